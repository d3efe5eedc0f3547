/* Customers, their change history, and activities. */
#include "domain/rules.h"

#include <stdlib.h>

static lss_status check_fields(lss_db *db, const char *ctx, const char *const *s, bool name_required)
{
    lss_status st;
    if ((st = lss__check_text(db, ctx, "name", s[1], LSS__NAME_MAX, name_required, false)) ||
        (st = lss__check_text(db, ctx, "email", s[2], LSS__EMAIL_MAX, false, false)) ||
        (st = lss__check_text(db, ctx, "company", s[3], LSS__NAME_MAX, false, false)) ||
        (st = lss__check_text(db, ctx, "segment", s[4], LSS__NAME_MAX, false, true)))
        return st;
    return LSS_OK;
}

/* ---- customer.add ----------------------------------------------------------- */

lss_status lss__customer_add_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s, *key = s[0];
    int source = (int)c->ev.i[0];
    lss_status st;
    if ((st = lss__check_key(db, ctx, "key", key)) || (st = check_fields(db, ctx, s, true)))
        return st;
    if (lss_source_name(source) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: customer \"%s\": field \"source\": %d is not a source", ctx, key, source);
    if (s[5] != NULL) {
        if ((st = lss__cmd_key(db, c, 5)))
            return st;
        if (source != LSS_SOURCE_REFERRAL)
            return lss__fail(db, LSS_INVALID,
                             "%s: customer \"%s\": field \"referred_by\" is allowed only with source referral (source "
                             "is %s)",
                             ctx, key, lss_source_name(source));
        if (lss__cmd_get(db, c, 5) == NULL)
            return lss__fail(db, LSS_NOT_FOUND, "%s: customer \"%s\": referred_by customer \"%s\" does not exist", ctx,
                             key, s[5]);
    }
    if (lss__cmd_exists(db, c))
        return lss__fail(db, LSS_EXISTS, "%s: customer \"%s\" already exists", ctx, key);
    return LSS_OK;
}

void lss__customer_add_apply(lss_db *db, lss__cmd *cmd)
{
    lss_customer *c = lss__slab_push(&db->customers);
    c->key = cmd->txt[0];
    c->name = cmd->txt[1];
    c->email = cmd->txt[2];
    c->company = cmd->txt[3];
    c->segment = cmd->txt[4];
    c->referred_by = cmd->e[5];
    c->seq = lss__next_seq(db);
    c->id = db->customers.count - 1;
    c->added = (uint64_t)cmd->ev.at | (uint64_t)cmd->ev.i[0] << 38;
    cmd->created = c;
}

/* ---- customer.update, customer.churn, customer.erase -------------------------- */

static lss_status find_customer(lss_db *db, lss__cmd *c, lss_customer **out)
{
    lss_status st = lss__cmd_key(db, c, 0);
    if (st)
        return st;
    if ((*out = lss__cmd_get(db, c, 0)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: customer \"%s\" does not exist", lss__cmd_ctx(c), c->ev.s[0]);
    return LSS_OK;
}

lss_status lss__customer_change_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s;
    lss_customer *cu;
    lss_status st;
    if ((st = find_customer(db, c, &cu)))
        return st;
    if (c->ev.kind == LSS__EV_CUSTOMER_NPS) {
        if (c->ev.i[0] < 0 || c->ev.i[0] > 10)
            return lss__fail(db, LSS_INVALID, "%s: customer \"%s\": field \"score\": %lld is out of range (0 to 10)",
                             ctx, s[0], (long long)c->ev.i[0]);
        return lss__check_text(db, ctx, "comment", s[1], LSS__NOTE_MAX, false, false);
    }
    if (c->ev.kind != LSS__EV_CUSTOMER_UPDATE)
        return st;
    if ((st = check_fields(db, ctx, s, false)))
        return st;
    if (!s[1] && !s[2] && !s[3] && !s[4])
        return lss__fail(db, LSS_INVALID, "%s: customer \"%s\": give at least one of name, email, company, segment",
                         ctx, s[0]);
    return LSS_OK;
}

/* Pointers customer.erase clears outside the entity structs (history
 * entries, activities, tasks), each saved for undo. The customer's tasks
 * are found by a pass over all of them: erasure is rare, and a task needs
 * no list of its customer's. */
static uint32_t erase_count(const lss_db *db, const lss_customer *c)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < db->tasks.count; i++) {
        const lss_task *t = lss__slab_get(&db->tasks, i);
        if (t->customer == c)
            n += 1 + t->hist.count;
    }
    for (uint32_t i = 0; i < lss__changes_count(c); i++)
        n += 4;
    const lss_deal *d;
    LSS__EACH(d, c, last_deal)
        n += 1 + d->hist.count;
    const lss_activity *a;
    LSS__EACH(a, c, last_activity)
        n++;
    const lss_ticket *t;
    LSS__EACH(t, c, last_ticket)
        n += 1 + t->hist.count;
    return n;
}

lss_status lss__customer_change_reserve(lss_db *db, lss__cmd *cmd)
{
    lss_customer *c = cmd->e[0];
    if (lss__changes_reserve(c))
        return LSS_NOMEM;
    if (cmd->ev.kind == LSS__EV_CUSTOMER_ERASE && db->undo_on) {
        uint32_t n = erase_count(db, c);
        return lss__undo_reserve(db, n + 1, (size_t)n * (sizeof(lss_deal) + sizeof(lss_ticket)) + sizeof *c);
    }
    return LSS_OK;
}

static const char erased_name[] = "[erased]";

/* Clear a text pointer of an entity (stable storage). */
static void clear(lss_db *db, const char **p)
{
    if (*p) {
        lss__undo_save(db, LSS__U_PTR, (void *)p);
        *p = NULL;
    }
}

/* Clear a text pointer `p` of element `i` of an entity's movable vector:
 * undo keeps where it is (entity, index, field), not its address. */
static void clear_elem(lss_db *db, int type, void *entity, uint32_t i, const char **p, size_t field)
{
    if (*p) {
        lss__undo_save_elem(db, type, entity, i, field);
        *p = NULL;
    }
}

/* customer.erase: every personal text of the customer and of what it owns. */
static void erase(lss_db *db, lss_customer *c)
{
    c->name = erased_name;
    c->email = c->company = NULL;
    for (uint32_t i = 0; i < lss__changes_count(c); i++) {
        lss__customer_change *x = LSS__CHANGE(c, i);
        /* an update keeps saying that it changed something personal */
        bool personal = x->name || x->email || x->company;
        clear_elem(db, LSS__U_CHANGE_PTR, c, i, &x->email, offsetof(lss__customer_change, email));
        clear_elem(db, LSS__U_CHANGE_PTR, c, i, &x->company, offsetof(lss__customer_change, company));
        clear_elem(db, LSS__U_CHANGE_PTR, c, i, &x->comment, offsetof(lss__customer_change, comment));
        if (personal && x->name != erased_name) {
            lss__undo_save_elem(db, LSS__U_CHANGE_PTR, c, i, offsetof(lss__customer_change, name));
            x->name = erased_name;
        }
    }
    lss_deal *d;
    LSS__EACH(d, c, last_deal) {
        lss__undo_save(db, LSS__U_DEAL, d);
        d->title = NULL;
        for (uint32_t i = 0; i < d->hist.count; i++)
            if (LSS__DC_KIND(&LSS__VEC_AT(&d->hist, lss__deal_change, i)) == LSS_DEAL_LOST)
                clear_elem(db, LSS__U_DEAL_HIST_PTR, d, i, &LSS__VEC_AT(&d->hist, lss__deal_change, i).v.note,
                           offsetof(lss__deal_change, v.note));
    }
    lss_activity *a;
    LSS__EACH(a, c, last_activity)
        clear(db, &a->note);
    lss_ticket *t;
    LSS__EACH(t, c, last_ticket) {
        lss__undo_save(db, LSS__U_TICKET, t);
        t->subject = NULL;
        for (uint32_t i = 0; i < t->hist.count; i++)
            if (lss__tc_has_text(LSS__TC_KIND(&LSS__VEC_AT(&t->hist, lss__ticket_change, i))))
                clear_elem(db, LSS__U_TICKET_HIST_PTR, t, i, &LSS__VEC_AT(&t->hist, lss__ticket_change, i).v.text,
                           offsetof(lss__ticket_change, v.text));
    }
    for (uint32_t i = 0; i < db->tasks.count; i++) {
        lss_task *k = lss__slab_get(&db->tasks, i);
        if (k->customer != c)
            continue;
        clear(db, &k->note);
        for (uint32_t j = 0; j < k->hist.count; j++)
            if (LSS__TK_KIND(&LSS__VEC_AT(&k->hist, lss__task_change, j)) == LSS_TASK_DONE_EV)
                clear_elem(db, LSS__U_TASK_HIST_PTR, k, j, &LSS__VEC_AT(&k->hist, lss__task_change, j).v.note,
                           offsetof(lss__task_change, v.note));
    }
    c->added |= LSS__ERASED_BIT;
}

void lss__customer_change_apply(lss_db *db, lss__cmd *cmd)
{
    static const uint8_t change_kind[] = { [LSS__EV_CUSTOMER_UPDATE] = LSS_CUSTOMER_UPDATED,
                                           [LSS__EV_CUSTOMER_CHURN] = LSS_CUSTOMER_CHURNED,
                                           [LSS__EV_CUSTOMER_ERASE] = LSS_CUSTOMER_ERASED,
                                           [LSS__EV_CUSTOMER_NPS] = LSS_CUSTOMER_NPS };
    lss_customer *c = cmd->e[0];
    bool nps = cmd->ev.kind == LSS__EV_CUSTOMER_NPS;
    lss__customer_change ch = { cmd->ev.at,
                                nps ? NULL : cmd->txt[1],
                                cmd->txt[2],
                                cmd->txt[3],
                                cmd->txt[4],
                                nps ? cmd->txt[1] : NULL,
                                lss__next_seq(db),
                                change_kind[cmd->ev.kind],
                                nps ? (uint8_t)cmd->ev.i[0] : 0 };
    lss__undo_save(db, LSS__U_CUSTOMER, c);
    if (cmd->ev.kind == LSS__EV_CUSTOMER_ERASE)
        erase(db, c);
    if (cmd->ev.kind == LSS__EV_CUSTOMER_CHURN)
        c->added |= LSS__CHURNED_BIT;
    c->changes->e[c->changes->count++] = ch;
}

int lss_customer_is_erased(const lss_customer *c) { return c ? LSS__ERASED(c) : 0; }

lss_status lss_customer_find(const lss_customer **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, LSS__REF_CUSTOMER, key);
}

lss_status lss_customer_by_id(const lss_customer **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, LSS__REF_CUSTOMER, id);
}

uint32_t lss_customer_count(const lss_db *db) { return db ? db->customers.count : 0; }
uint32_t lss_customer_id(const lss_customer *c) { return c ? c->id : LSS__NONE; }
const char *lss_customer_key(const lss_customer *c) { return c ? c->key : NULL; }
/* The current value of a field: the latest change that set it, else the
 * value given to customer.add. */
static const char *latest(const lss_customer *c, size_t off, const char *added)
{
    for (uint32_t i = lss__changes_count(c); i-- > 0;) {
        const char *v = *(const char *const *)((const char *)LSS__CHANGE(c, i) + off);
        if (v)
            return v;
    }
    return added;
}
const char *lss_customer_name(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, name), c->name) : NULL;
}
const char *lss_customer_email(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, email), c->email) : NULL;
}
const char *lss_customer_company(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, company), c->company) : NULL;
}
const char *lss_customer_segment(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, segment), c->segment) : NULL;
}
lss_source lss_customer_source(const lss_customer *c) { return c ? (lss_source)LSS__SOURCE(c) : (lss_source)-1; }
const lss_customer *lss_customer_referred_by(const lss_customer *c) { return c ? c->referred_by : NULL; }
lss_time lss_customer_added_at(const lss_customer *c) { return c ? LSS__ADDED_AT(c) : LSS_TIME_NONE; }
lss_time lss_customer_churned_at(const lss_customer *c)
{
    if (c == NULL)
        return LSS_TIME_NONE;
    for (uint32_t i = lss__changes_count(c); i-- > 0;) /* changes are in time order */
        if (LSS__CHANGE(c, i)->kind == LSS_CUSTOMER_CHURNED)
            return LSS__CHANGE(c, i)->at;
    return LSS_TIME_NONE;
}
uint32_t lss_customer_change_count(const lss_customer *c) { return c ? lss__changes_count(c) : 0; }
const lss_deal *lss_customer_first_deal(const lss_customer *c) { return c ? LSS__FIRST(c, last_deal) : NULL; }
const lss_activity *lss_customer_first_activity(const lss_customer *c)
{
    return c ? LSS__FIRST(c, last_activity) : NULL;
}

lss_status lss_customer_change_get(lss_customer_change *out, const lss_customer *c, uint32_t i)
{
    if (out == NULL || c == NULL)
        return lss__fail(NULL, LSS_INVALID, "customer change: NULL argument");
    if (i >= lss__changes_count(c))
        return lss__fail(NULL, LSS_NOT_FOUND, "customer \"%s\": change %u does not exist (%u changes)", c->key, i,
                         lss__changes_count(c));
    const lss__customer_change *x = LSS__CHANGE(c, i);
    out->at = x->at;
    out->kind = (lss_customer_change_kind)x->kind;
    out->name = x->name;
    out->email = x->email;
    out->company = x->company;
    out->segment = x->segment;
    out->score = x->kind == LSS_CUSTOMER_NPS ? x->score : -1;
    out->comment = x->comment;
    return LSS_OK;
}

int lss_customer_nps_at(const lss_customer *c, lss_time t, lss_time *at)
{
    int score = -1;
    lss_time when = LSS_TIME_NONE;
    for (uint32_t i = 0; c && i < lss__changes_count(c); i++) { /* the latest by time; a tie: the later one */
        const lss__customer_change *x = LSS__CHANGE(c, i);
        if (x->kind == LSS_CUSTOMER_NPS && x->at < t && (when == LSS_TIME_NONE || x->at >= when)) {
            when = x->at;
            score = x->score;
        }
    }
    if (at)
        *at = when;
    return score;
}

const char *lss_customer_segment_at(const lss_customer *c, lss_time t)
{
    if (c == NULL || LSS__ADDED_AT(c) >= t)
        return NULL;
    const char *seg = c->segment;
    for (uint32_t i = 0; i < lss__changes_count(c); i++) {
        const lss__customer_change *x = LSS__CHANGE(c, i);
        if (x->at < t && x->segment)
            seg = x->segment;
    }
    return seg;
}

/* ---- activities ----------------------------------------------------------- */

lss_status lss__activity_log_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s;
    const int64_t *i = c->ev.i;
    lss_customer *cu;
    const lss_deal *d;
    lss_status st;
    if ((st = find_customer(db, c, &cu)) || (st = lss__cmd_key(db, c, 1)) ||
        (st = lss__check_text(db, ctx, "note", s[3], LSS__NOTE_MAX, false, false)))
        return st;
    if (lss__cmd_get(db, c, 1) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: member \"%s\" does not exist", ctx, s[1]);
    bool bad_kind = lss_activity_kind_name((int)i[0]) == NULL;
    if (bad_kind || lss_channel_name((int)i[1]) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: customer \"%s\": %s %d is not valid", ctx, s[0],
                         bad_kind ? "kind" : "channel", (int)i[bad_kind ? 0 : 1]);
    if (i[2] != -1 && (i[2] < 0 || i[2] > LSS__DURATION_MAX))
        return lss__fail(db, LSS_INVALID, "%s: field \"duration\": %lld is out of range (0 to %lld seconds)", ctx,
                         (long long)i[2], (long long)LSS__DURATION_MAX);
    if (s[2] != NULL) {
        if ((st = lss__cmd_key(db, c, 2)))
            return st;
        if ((d = lss__cmd_get(db, c, 2)) == NULL)
            return lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\" does not exist", ctx, s[2]);
        if (d->customer != cu)
            return lss__fail(db, LSS_INVALID, "%s: deal \"%s\" belongs to customer \"%s\", not \"%s\"", ctx, s[2],
                             d->customer->key, s[0]);
    }
    return LSS_OK;
}

void lss__activity_log_apply(lss_db *db, lss__cmd *c)
{
    lss_customer *cu = c->e[0];
    lss_activity *a = lss__slab_push(&db->activities);
    a->at = c->ev.at;
    a->duration = (int32_t)c->ev.i[2];
    a->note = c->txt[3];
    a->customer = cu;
    a->member = c->e[1];
    a->deal = c->e[2];
    a->id = db->activities.count - 1;
    a->seq = lss__next_seq(db);
    a->kind = (uint8_t)c->ev.i[0];
    a->channel = (uint8_t)c->ev.i[1];
    LSS__APPEND_TO_CUSTOMER(db, cu, last_activity, a);
    c->created = a;
}

uint32_t lss_activity_count(const lss_db *db) { return db ? db->activities.count : 0; }

lss_status lss_activity_by_id(const lss_activity **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, LSS__REF_ACTIVITY, id);
}

uint32_t lss_activity_id(const lss_activity *a) { return a ? a->id : LSS__NONE; }
lss_time lss_activity_at(const lss_activity *a) { return a ? a->at : LSS_TIME_NONE; }
const lss_customer *lss_activity_customer(const lss_activity *a) { return a ? a->customer : NULL; }
const lss_member *lss_activity_member(const lss_activity *a) { return a ? a->member : NULL; }
const lss_deal *lss_activity_deal(const lss_activity *a) { return a ? a->deal : NULL; }
lss_activity_kind lss_activity_kind_of(const lss_activity *a)
{
    return a ? (lss_activity_kind)a->kind : (lss_activity_kind)-1;
}
lss_channel lss_activity_channel(const lss_activity *a) { return a ? (lss_channel)a->channel : (lss_channel)-1; }
int64_t lss_activity_duration(const lss_activity *a) { return a ? a->duration : -1; }
const char *lss_activity_note(const lss_activity *a) { return a ? a->note : NULL; }
const lss_activity *lss_activity_next_of_customer(const lss_activity *a)
{
    return a ? LSS__NEXT(a, last_activity) : NULL;
}

void lss__customers_free(lss_db *db)
{
    lss__keyindex_clear(&db->customers_by_key);
    for (uint32_t i = 0; i < db->customers.count; i++)
        lss__free(((lss_customer *)lss__slab_get(&db->customers, i))->changes);
    lss__slab_free(&db->customers);
    lss__slab_free(&db->activities);
}

/* ---- where a customer stands, and its timeline ------------------------------ */

lss_status lss__changes_reserve(lss_customer *c)
{
    uint32_t count = lss__changes_count(c), cap = c->changes ? c->changes->cap : 0;
    if (count < cap)
        return LSS_OK;
    if (cap > UINT32_MAX / 4u)
        return LSS_NOMEM;
    cap = cap ? cap * 2u : 1u;
    lss__changes *p = lss__realloc(c->changes, sizeof *p + (size_t)cap * sizeof p->e[0]);
    if (p == NULL)
        return LSS_NOMEM;
    p->count = count;
    p->cap = cap;
    c->changes = p;
    return LSS_OK;
}

lss_customer_state lss_customer_state_at(const lss_customer *c, lss_time t)
{
    lss_time last_win = LSS_TIME_NONE;
    if (c == NULL)
        return (lss_customer_state)-1;
    if (LSS__ADDED_AT(c) >= t)
        return LSS_CUSTOMER_STATE_PROSPECT;
    const lss_deal *d;
    LSS__EACH(d, c, last_deal) {
        lss_time won = LSS__DEAL_WON_AT(d);
        if (won != LSS_TIME_NONE && won < t && won > last_win)
            last_win = won;
    }
    return lss__customer_state_given(c, t, last_win);
}

lss_customer_state lss__customer_state_given(const lss_customer *c, lss_time t, lss_time last_win)
{
    lss_time last_churn = LSS_TIME_NONE;
    if (LSS__ADDED_AT(c) >= t)
        return LSS_CUSTOMER_STATE_PROSPECT;
    for (uint32_t i = 0; LSS__EVER_CHURNED(c) && i < lss__changes_count(c); i++) {
        const lss__customer_change *x = LSS__CHANGE(c, i);
        if (x->kind == LSS_CUSTOMER_CHURNED && x->at < t && x->at > last_churn)
            last_churn = x->at;
    }
    /* a win strictly after the latest churn makes the customer active again */
    if (last_churn != LSS_TIME_NONE && last_churn >= last_win)
        return LSS_CUSTOMER_STATE_CHURNED;
    return last_win != LSS_TIME_NONE ? LSS_CUSTOMER_STATE_ACTIVE : LSS_CUSTOMER_STATE_PROSPECT;
}

struct lss_timeline {
    uint32_t count;
    lss_timeline_item items[];
};

static int item_cmp(const void *pa, const void *pb)
{
    const lss_timeline_item *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    uint32_t ia = a->deal ? a->deal->id : a->ticket ? a->ticket->id : a->activity->id;
    uint32_t ib = b->deal ? b->deal->id : b->ticket ? b->ticket->id : b->activity->id;
    return ia < ib ? -1 : ia > ib;
}

lss_status lss_customer_timeline(lss_timeline **out, lss_db *db, const char *customer)
{
    static const char ctx[] = "customer.timeline";
    lss_status st;
    lss_customer *c;
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    *out = NULL;
    lss__lock(db);
    if ((st = lss__check_key(db, ctx, "customer", customer)))
        goto done;
    if ((c = lss__entity_get(db, LSS__REF_CUSTOMER, customer)) == NULL) {
        st = lss__fail(db, LSS_NOT_FOUND, "%s: customer \"%s\" does not exist", ctx, customer);
        goto done;
    }
    size_t n = 0;
    const lss_deal *d;
    LSS__EACH(d, c, last_deal)
        n++;
    const lss_ticket *t;
    LSS__EACH(t, c, last_ticket)
        n++;
    const lss_activity *a;
    LSS__EACH(a, c, last_activity)
        n++;
    lss_timeline *tl = lss__malloc(sizeof *tl + n * sizeof(lss_timeline_item));
    if (tl == NULL) {
        st = lss__fail(db, LSS_NOMEM, "%s: customer \"%s\": out of memory", ctx, customer);
        goto done;
    }
    size_t i = 0;
    LSS__EACH(d, c, last_deal) {
        lss_timeline_item it = { LSS__DEAL_OPENED_AT(d), LSS_TIMELINE_DEAL, d, NULL, NULL };
        tl->items[i++] = it;
    }
    LSS__EACH(t, c, last_ticket) {
        lss_timeline_item it = { LSS__TICKET_OPENED_AT(t), LSS_TIMELINE_TICKET, NULL, t, NULL };
        tl->items[i++] = it;
    }
    LSS__EACH(a, c, last_activity) {
        lss_timeline_item it = { a->at, LSS_TIMELINE_ACTIVITY, NULL, NULL, a };
        tl->items[i++] = it;
    }
    tl->count = (uint32_t)n;
    qsort(tl->items, n, sizeof *tl->items, item_cmp);
    *out = tl;
done:
    lss__unlock(db);
    return st;
}

uint32_t lss_timeline_count(const lss_timeline *tl) { return tl ? tl->count : 0; }

lss_status lss_timeline_get(lss_timeline_item *out, const lss_timeline *tl, uint32_t i)
{
    if (out == NULL || tl == NULL)
        return lss__fail(NULL, LSS_INVALID, "timeline: NULL argument");
    if (i >= tl->count)
        return lss__fail(NULL, LSS_NOT_FOUND, "timeline item %u does not exist (%u items)", i, tl->count);
    *out = tl->items[i];
    return LSS_OK;
}

void lss_timeline_free(lss_timeline *tl) { lss__free(tl); }
