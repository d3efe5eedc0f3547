/* Follow-up tasks: open -> done or cancelled, with a due moment and a
 * member that change while open, and the history of every change. */
#include "domain/rules.h"

#define BIT(s) (1u << (s))

/* One row per task event (indexed by lss_task_change_kind): the states it
 * may start from, the state it leads to, the rule for messages. */
static const struct task_rule {
    const char *verb;
    unsigned from;
    uint8_t to;
    const char *rule;
} task_rules[] = {
    [LSS_TASK_ADDED] = { "add", 0, LSS_TASK_OPEN, "a task starts open" },
    [LSS_TASK_RESCHEDULED] = { "reschedule", BIT(LSS_TASK_OPEN), LSS_TASK_OPEN, "reschedule only while open" },
    [LSS_TASK_ASSIGNED] = { "assign", BIT(LSS_TASK_OPEN), LSS_TASK_OPEN, "assign only while open" },
    [LSS_TASK_DONE_EV] = { "mark done", BIT(LSS_TASK_OPEN), LSS_TASK_DONE, "done only from open" },
    [LSS_TASK_CANCELLED_EV] = { "cancel", BIT(LSS_TASK_OPEN), LSS_TASK_CANCELLED, "cancel only from open" },
};

static lss_task_change_kind change_kind(const lss__cmd *c)
{
    return (lss_task_change_kind)(c->ev.kind - LSS__EV_TASK_ADD);
}

/* ---- task.add ----------------------------------------------------------------- */

/* An optional deal or ticket (key slot k, entity kind ref) of the task's customer. */
static lss_status belongs(lss_db *db, lss__cmd *c, unsigned k, const lss_customer *cu)
{
    const char *ctx = lss__cmd_ctx(c), *noun = k == 3 ? "deal" : "ticket";
    lss_status st;
    if (c->ev.s[k] == NULL)
        return LSS_OK;
    if ((st = lss__cmd_key(db, c, k)))
        return st;
    const void *e = lss__cmd_get(db, c, k);
    if (e == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: task \"%s\": %s \"%s\" does not exist", ctx, c->ev.s[0], noun,
                         c->ev.s[k]);
    const lss_customer *owner = k == 3 ? ((const lss_deal *)e)->customer : ((const lss_ticket *)e)->customer;
    if (owner != cu)
        return lss__fail(db, LSS_INVALID, "%s: task \"%s\": %s \"%s\" belongs to customer \"%s\", not \"%s\"", ctx,
                         c->ev.s[0], noun, c->ev.s[k], owner->key, cu->key);
    return LSS_OK;
}

lss_status lss__task_add_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s, *key = s[0];
    const lss_customer *cu;
    lss_status st;
    if ((st = lss__check_key(db, ctx, "key", key)) || (st = lss__cmd_key(db, c, 1)) || (st = lss__cmd_key(db, c, 2)) ||
        (st = lss__check_time(db, ctx, "due", c->ev.i[1])) ||
        (st = lss__check_text(db, ctx, "note", s[5], LSS__NOTE_MAX, false, false)))
        return st;
    if (lss_activity_kind_name((int)c->ev.i[0]) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: task \"%s\": field \"kind\": %d is not an activity kind", ctx, key,
                         (int)c->ev.i[0]);
    if ((cu = lss__cmd_get(db, c, 1)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: task \"%s\": customer \"%s\" does not exist", ctx, key, s[1]);
    if (lss__cmd_get(db, c, 2) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: task \"%s\": member \"%s\" does not exist", ctx, key, s[2]);
    if ((st = belongs(db, c, 3, cu)) || (st = belongs(db, c, 4, cu)))
        return st;
    if (lss__cmd_exists(db, c))
        return lss__fail(db, LSS_EXISTS, "%s: task \"%s\" already exists", ctx, key);
    return LSS_OK;
}

lss_status lss__task_add_reserve(lss_db *db, lss__cmd *c)
{
    return lss__pool_reserve(&db->task_hist, &c->hist, 2);
}

void lss__task_add_apply(lss_db *db, lss__cmd *c)
{
    lss_task *t = lss__slab_push(&db->tasks);
    t->key = c->txt[0];
    t->note = c->txt[5];
    t->customer = c->e[1];
    t->member = c->e[2];
    t->deal = c->e[3];
    t->ticket = c->e[4];
    t->due = c->ev.i[1];
    t->added_at = t->last_at = c->ev.at;
    t->id = db->tasks.count - 1;
    t->state = LSS_TASK_OPEN;
    t->kind = (uint8_t)c->ev.i[0];
    t->hist = c->hist;
    c->hist = (lss__vec){ 0 };
    lss__task_change ch = { lss__tk_word(c->ev.at, LSS_TASK_ADDED, LSS_TASK_OPEN), lss__next_seq(db), { 0 } };
    LSS__VEC_AT(&t->hist, lss__task_change, t->hist.count++) = ch;
    c->created = t;
}

/* ---- the events after task.add ---------------------------------------------------- */

lss_status lss__task_change_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s;
    lss_task_change_kind kind = change_kind(c);
    const struct task_rule *rule = &task_rules[kind];
    lss_task *t;
    lss_status st;
    if ((st = lss__cmd_key(db, c, 0)))
        return st;
    if ((t = lss__cmd_get(db, c, 0)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: task \"%s\" does not exist", ctx, s[0]);
    if (kind == LSS_TASK_ASSIGNED) {
        if ((st = lss__cmd_key(db, c, 1)))
            return st;
        if (lss__cmd_get(db, c, 1) == NULL)
            return lss__fail(db, LSS_NOT_FOUND, "%s: task \"%s\": member \"%s\" does not exist", ctx, t->key, s[1]);
    }
    if ((kind == LSS_TASK_RESCHEDULED && (st = lss__check_time(db, ctx, "due", c->ev.i[0]))) ||
        (kind == LSS_TASK_DONE_EV && (st = lss__check_text(db, ctx, "note", s[1], LSS__NOTE_MAX, false, false))) ||
        (st = lss__cmd_order(db, c, "task", t->key, t->last_at)))
        return st;
    if (!(rule->from & BIT(t->state)))
        return lss__fail(db, LSS_TRANSITION, "task \"%s\": cannot %s in state %s (%s)", t->key, rule->verb,
                         lss_task_state_name(t->state), rule->rule);
    return LSS_OK;
}

lss_status lss__task_change_reserve(lss_db *db, lss__cmd *c)
{
    return lss__pool_reserve(&db->task_hist, &((lss_task *)c->e[0])->hist, 1);
}

void lss__task_change_apply(lss_db *db, lss__cmd *c)
{
    lss_task *t = c->e[0];
    lss_task_change_kind kind = change_kind(c);
    unsigned state = task_rules[kind].to;
    lss__task_change ch = { lss__tk_word(c->ev.at, (unsigned)kind, state), lss__next_seq(db), { 0 } };
    lss__undo_save(db, LSS__U_TASK, t);
    switch (kind) {
    case LSS_TASK_RESCHEDULED:
        ch.v.due_before = t->due;
        t->due = c->ev.i[0];
        break;
    case LSS_TASK_ASSIGNED:
        ch.v.member_before = t->member;
        t->member = c->e[1];
        break;
    case LSS_TASK_DONE_EV:
        ch.v.note = c->txt[1];
        break;
    default:
        break;
    }
    LSS__VEC_AT(&t->hist, lss__task_change, t->hist.count++) = ch;
    t->state = (uint8_t)state;
    t->last_at = c->ev.at;
    if (state != LSS_TASK_OPEN) /* done and cancelled are final */
        lss__pool_shrink(&db->task_hist, &t->hist);
}

/* ---- read side --------------------------------------------------------------- */

void lss__task_after(const lss_task *t, uint32_t i, lss_time *due, const lss_member **member)
{
    if (due)
        *due = t->due;
    if (member)
        *member = t->member;
    bool want_due = due != NULL, want_member = member != NULL;
    for (uint32_t k = i + 1; k < t->hist.count && (want_due || want_member); k++) {
        const lss__task_change *x = &LSS__VEC_AT(&t->hist, lss__task_change, k);
        if (want_due && LSS__TK_KIND(x) == LSS_TASK_RESCHEDULED) {
            *due = x->v.due_before;
            want_due = false;
        } else if (want_member && LSS__TK_KIND(x) == LSS_TASK_ASSIGNED) {
            *member = x->v.member_before;
            want_member = false;
        }
    }
}

lss_status lss_task_find(const lss_task **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, LSS__REF_TASK, key);
}

lss_status lss_task_by_id(const lss_task **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, LSS__REF_TASK, id);
}

uint32_t lss_task_count(const lss_db *db) { return db ? db->tasks.count : 0; }
uint32_t lss_task_id(const lss_task *t) { return t ? t->id : LSS__NONE; }
const char *lss_task_key(const lss_task *t) { return t ? t->key : NULL; }
const lss_customer *lss_task_customer(const lss_task *t) { return t ? t->customer : NULL; }
const lss_member *lss_task_member(const lss_task *t) { return t ? t->member : NULL; }
const lss_deal *lss_task_deal(const lss_task *t) { return t ? t->deal : NULL; }
const lss_ticket *lss_task_ticket(const lss_task *t) { return t ? t->ticket : NULL; }
lss_activity_kind lss_task_kind(const lss_task *t) { return t ? (lss_activity_kind)t->kind : (lss_activity_kind)-1; }
lss_time lss_task_due(const lss_task *t) { return t ? t->due : LSS_TIME_NONE; }
lss_task_state lss_task_state_of(const lss_task *t) { return t ? (lss_task_state)t->state : (lss_task_state)-1; }
lss_time lss_task_added_at(const lss_task *t) { return t ? t->added_at : LSS_TIME_NONE; }
lss_time lss_task_last_at(const lss_task *t) { return t ? t->last_at : LSS_TIME_NONE; }
const char *lss_task_note(const lss_task *t) { return t ? t->note : NULL; }
lss_time lss_task_done_at(const lss_task *t)
{
    return t && t->state == LSS_TASK_DONE ? t->last_at : LSS_TIME_NONE; /* done is final: its last event */
}
uint32_t lss_task_history_count(const lss_task *t) { return t ? t->hist.count : 0; }

lss_status lss_task_at(lss_task_state *state, lss_time *due, const lss_member **member, const lss_task *t,
                       lss_time as_of)
{
    if (t == NULL)
        return lss__fail(NULL, LSS_INVALID, "task: NULL argument");
    if (t->added_at >= as_of)
        return lss__fail(NULL, LSS_NOT_FOUND, "task \"%s\": not added before the given time", t->key);
    uint32_t i = 0;
    while (i + 1 < t->hist.count && lss__w_at(LSS__VEC_AT(&t->hist, lss__task_change, i + 1).w) < as_of)
        i++;
    if (state)
        *state = (lss_task_state)LSS__TK_STATE(&LSS__VEC_AT(&t->hist, lss__task_change, i));
    lss__task_after(t, i, due, member);
    return LSS_OK;
}

lss_status lss_task_history_get(lss_task_change *out, const lss_task *t, uint32_t i)
{
    if (out == NULL || t == NULL)
        return lss__fail(NULL, LSS_INVALID, "task history: NULL argument");
    if (i >= t->hist.count)
        return lss__fail(NULL, LSS_NOT_FOUND, "task \"%s\": history entry %u does not exist (%u entries)", t->key, i,
                         t->hist.count);
    const lss__task_change *x = &LSS__VEC_AT(&t->hist, lss__task_change, i);
    out->at = lss__w_at(x->w);
    out->kind = (lss_task_change_kind)LSS__TK_KIND(x);
    out->state = (lss_task_state)LSS__TK_STATE(x);
    out->note = out->kind == LSS_TASK_DONE_EV ? x->v.note : NULL;
    lss__task_after(t, i, &out->due, &out->member);
    return LSS_OK;
}

void lss__tasks_free(lss_db *db)
{
    lss__keyindex_clear(&db->tasks_by_key);
    for (uint32_t i = 0; i < db->tasks.count; i++) { /* the pool's blocks go with the pool */
        lss__vec *h = &((lss_task *)lss__slab_get(&db->tasks, i))->hist;
        if (h->cap > LSS__POOL_MAX)
            lss__vec_free(h);
    }
    lss__slab_free(&db->tasks);
}
