/* Deals and the sales pipeline: the state machine is the table below. */
#include "event.h"

#define BIT(s) (1u << (s))
#define OPEN_STAGES (BIT(LSS_STAGE_PROSPECT) | BIT(LSS_STAGE_QUALIFIED) | BIT(LSS_STAGE_PRESENTED) | BIT(LSS_STAGE_NEGOTIATED))
#define BEFORE_LAST (BIT(LSS_STAGE_PROSPECT) | BIT(LSS_STAGE_QUALIFIED) | BIT(LSS_STAGE_PRESENTED))

/* One row per deal event (indexed by lss_deal_change_kind): the stages it
 * may start from and the rule, per pipeline mode ([0] strict, [1] lenient).
 * docs/pipeline.md and every error message are made from this table. */
static const struct deal_rule {
    const char *verb;
    unsigned from[2];
    const char *rule[2];
} deal_rules[] = {
    [LSS_DEAL_OPENED] = { "open", { 0, 0 }, { "a deal opens in prospect", "a deal opens in prospect" } },
    [LSS_DEAL_ADVANCED] = { "advance",
                            { BEFORE_LAST, BEFORE_LAST },
                            { "advance one stage at a time from prospect, qualified or presented",
                              "advance to a later open stage from prospect, qualified or presented" } },
    [LSS_DEAL_AMOUNT] = { "change the amount", { OPEN_STAGES, OPEN_STAGES },
                          { "amount changes only while open", "amount changes only while open" } },
    [LSS_DEAL_ASSIGNED] = { "assign", { OPEN_STAGES, OPEN_STAGES },
                            { "assign only while open", "assign only while open" } },
    [LSS_DEAL_WON] = { "win", { BIT(LSS_STAGE_NEGOTIATED), OPEN_STAGES },
                       { "win only from negotiated", "win only from an open stage" } },
    [LSS_DEAL_LOST] = { "lose", { OPEN_STAGES, OPEN_STAGES },
                        { "lose only from an open stage", "lose only from an open stage" } },
    [LSS_DEAL_REOPENED] = { "reopen", { BIT(LSS_STAGE_LOST), BIT(LSS_STAGE_LOST) },
                            { "reopen only from lost", "reopen only from lost" } },
};


LSS__DEFINE_GET(lss_deal, lss__deal_get, deals_by_key, deals, LSS__H_DEAL)

/* A deal's owner must sell. */
static lss_status owner_role(lss_db *db, const char *ctx, const char *deal, const lss_member *m)
{
    if (m->role != LSS_ROLE_SALES && m->role != LSS_ROLE_BOTH)
        return lss__fail(db, LSS_ROLE, "%s: deal \"%s\": owner \"%s\" has role %s (a deal owner needs role sales or both)",
                         ctx, deal, m->key, lss_role_name(m->role));
    return LSS_OK;
}

/* The member a deal event names as its owner (owner_role checks the role). */
static lss_status find_owner(lss_db *db, const char *ctx, const char *deal, const char *owner,
                             const lss_member **out)
{
    lss_status st = lss__check_key(db, ctx, "owner", owner);
    if (st)
        return st;
    const lss_member *m = lss__member_get(db, owner);
    if (m == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\": owner \"%s\" does not exist", ctx, deal, owner);
    *out = m;
    return LSS_OK;
}

static void note_stage(lss_deal *d, uint8_t stage)
{
    d->stage = stage;
    if (stage <= LSS_STAGE_WON && stage > d->furthest)
        d->furthest = stage;
}

static lss_status deal_create(const lss_deal **out, lss_db *db, lss_time at, const char *key, lss_customer *c,
                              const lss_member *m, lss_money amount, const char *title, lss_time expected_close);

lss_status lss_deal_open(const lss_deal **out, lss_db *db, lss_time at, const char *key, const char *customer,
                         const char *owner, lss_money amount, const char *title, lss_time expected_close)
{
    static const char ctx[] = "deal.open";
    lss_status st;
    lss_customer *c;
    const lss_member *m = NULL; /* set by find_owner on success (gcc -O3 cannot see it) */
    if (out)
        *out = NULL;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 2)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = lss__check_key(db, ctx, "key", key)) || (st = lss__check_key(db, ctx, "customer", customer)) ||
        (st = lss__check_money(db, ctx, "amount", amount, false)) ||
        (st = lss__check_text(db, ctx, "title", title, LSS__TITLE_MAX, false, false)) ||
        (expected_close != LSS_TIME_NONE && (st = lss__check_time(db, ctx, "expected_close", expected_close))))
        goto done;
    if ((c = lss__customer_get(db, customer)) == NULL) {
        st = lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\": customer \"%s\" does not exist", ctx, key, customer);
        goto done;
    }
    if ((st = find_owner(db, ctx, key, owner, &m)) || (st = owner_role(db, ctx, key, m)))
        goto done;
    if (lss__deal_get(db, key)) {
        st = lss__fail(db, LSS_EXISTS, "%s: deal \"%s\" already exists", ctx, key);
        goto done;
    }
    st = deal_create(out, db, at, key, c, m, amount, title, expected_close);
done:
    lss__unlock(db);
    return st;
}

/* The rest of deal.open, once every field is checked: the record, its
 * texts, its history, its event. */
static lss_status deal_create(const lss_deal **out, lss_db *db, lss_time at, const char *key, lss_customer *c,
                              const lss_member *m, lss_money amount, const char *title, lss_time expected_close)
{
    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    const char *k, *t;
    lss__vec hist = { 0 };
    lss_status st;
    if (lss__slab_reserve(&db->deals) || lss__vec_reserve(&hist, sizeof(lss__deal_change), 2) ||
        lss__arena_strdup(&db->text, key, &k) || lss__arena_strdup(&db->text, title, &t))
        goto oom;
    lss_deal *d = lss__slab_push(&db->deals);
    d->key = k;
    d->title = t;
    d->customer = c;
    d->owner = m;
    d->expected_close = expected_close;
    d->id = db->deals.count - 1;
    d->stage = d->lost_from = d->furthest = LSS_STAGE_PROSPECT;
    d->hist = hist;
    lss__deal_change *ch = &LSS__VEC_AT(&d->hist, lss__deal_change, d->hist.count++);
    ch->w = lss__dc_word(at, LSS_DEAL_OPENED, LSS_STAGE_PROSPECT, LSS_STAGE_PROSPECT, LSS_LOSS_OTHER);
    ch->seq = lss__next_seq(db);
    ch->v.amount = amount;
    if (!lss__index_add(db, &db->deals_by_key, d->id, d->key)) {
        lss__slab_pop(&db->deals);
        goto oom;
    }
    if ((st = lss__log_ref(db, LSS__EV_DEAL_OPEN, d, 0)))
        return st;
    LSS__APPEND_TO_CUSTOMER(db, c, last_deal, d);
    lss__counted(db, at);
    if (out)
        *out = d;
    return LSS_OK;
oom:
    lss__vec_free(&hist);
    lss__arena_reset(&db->text, mark);
    return lss__fail(db, LSS_NOMEM, "deal.open: deal \"%s\": out of memory", key);
}

/* Replay (lss__event_replay): deal.open, when its fields pass the checks of
 * lss_deal_open (else false, and the event goes through it for its error).
 * The key is new: the journal was written after that check. */
bool lss__deal_open_replay(lss_db *db, const lss__event *ev, lss_status *st)
{
    const char *const *s = ev->s;
    const uint32_t *ref = ev->ref;
    lss_money amount = ev->i[0];
    lss_time expected_close = ev->i[1];
    if (!lss__key_fits(s[0]) ||
        s[1] != NULL || ref[1] >= db->customers.count || s[2] != NULL || ref[2] >= db->members.count ||
        amount < 0 || !lss__text_fits(s[3], 0, LSS__TITLE_MAX, false) ||
        (expected_close != LSS_TIME_NONE && !lss__time_fits(expected_close)))
        return false;
    const lss_member *m = lss__slab_get(&db->members, ref[2]);
    if (m->role != LSS_ROLE_SALES && m->role != LSS_ROLE_BOTH)
        return false;
    *st = deal_create(NULL, db, ev->at, s[0], lss__slab_get(&db->customers, ref[1]), m, amount, s[3], expected_close);
    return true;
}

/* Arguments of the events after deal.open; only those of `kind` are read. */
typedef struct deal_args {
    lss_stage to;
    lss_money amount;   /* -1: keep (win) */
    const char *owner;
    lss_loss_reason reason;
    const char *note;
} deal_args;

static const char *const ctx_names[] = { "deal.open", "deal.advance", "deal.amount", "deal.assign",
                                         "deal.win", "deal.lose", "deal.reopen" };

static lss_status deal_change(lss_db *db, lss_time at, lss_deal *d, lss_deal_change_kind kind, const deal_args *a,
                              const lss_member *owner);

static lss_status deal_event(lss_db *db, lss_time at, const char *key, lss_deal_change_kind kind,
                             const deal_args *a)
{
    const char *ctx = ctx_names[kind];
    lss_status st;
    lss_deal *d;
    const lss_member *owner = NULL;

    if ((st = lss__wbegin(db, ctx, 1)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = lss__check_key(db, ctx, "deal", key)))
        return st;
    if ((d = lss__deal_get(db, key)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\" does not exist", ctx, key);
    if (kind == LSS_DEAL_ASSIGNED && (st = find_owner(db, ctx, key, a->owner, &owner)))
        return st;
    return deal_change(db, at, d, kind, a, owner);
}

/* The rest of a deal event, once the deal (and a new owner) are found:
 * the field checks, the transition and the change itself. */
static lss_status deal_change(lss_db *db, lss_time at, lss_deal *d, lss_deal_change_kind kind, const deal_args *a,
                              const lss_member *owner)
{
    const char *ctx = ctx_names[kind];
    const char *key = d->key;
    const struct deal_rule *rule = &deal_rules[kind];
    const int mode = db->pipeline == LSS_PIPELINE_LENIENT;
    const char *mode_name = mode ? "lenient" : "strict";
    lss_status st;

    /* field checks, in the order of the event's fields */
    switch (kind) {
    case LSS_DEAL_ADVANCED:
        if (a->to < LSS_STAGE_QUALIFIED || a->to > LSS_STAGE_NEGOTIATED)
            return lss__fail(db, LSS_INVALID,
                             "%s: deal \"%s\": field \"to\": %s is not a stage to advance to (expected qualified, "
                             "presented or negotiated)",
                             ctx, key, lss_stage_name((int)a->to) ? lss_stage_name((int)a->to) : "(invalid)");
        break;
    case LSS_DEAL_AMOUNT:
        if ((st = lss__check_money(db, ctx, "amount", a->amount, false)))
            return st;
        break;
    case LSS_DEAL_WON:
        if (a->amount != -1 && (st = lss__check_money(db, ctx, "amount", a->amount, false)))
            return st;
        break;
    case LSS_DEAL_ASSIGNED:
        if ((st = owner_role(db, ctx, key, owner)))
            return st;
        break;
    case LSS_DEAL_LOST:
        if (lss_loss_reason_name((int)a->reason) == NULL)
            return lss__fail(db, LSS_INVALID, "%s: deal \"%s\": field \"reason\": %d is not a loss reason", ctx, key,
                             (int)a->reason);
        if ((st = lss__check_text(db, ctx, "note", a->note, LSS__NOTE_MAX, false, false)))
            return st;
        break;
    default:
        break;
    }
    if (at < LSS__DEAL_LAST_AT(d)) {
        char t1[LSS_TIME_BUFSIZE], t2[LSS_TIME_BUFSIZE];
        lss__fmt_time(t1, at);
        lss__fmt_time(t2, LSS__DEAL_LAST_AT(d));
        return lss__fail(db, LSS_OUT_OF_ORDER, "%s: deal \"%s\": event at %s is earlier than its last event at %s",
                         ctx, key, t1, t2);
    }
    /* the transition table */
    if (!(rule->from[mode] & BIT(d->stage))) {
        if (kind == LSS_DEAL_ADVANCED && d->stage == LSS_STAGE_NEGOTIATED)
            return lss__fail(db, LSS_TRANSITION,
                             "deal \"%s\": cannot advance from negotiated (%s pipeline: negotiated is the last open "
                             "stage; win or lose the deal)",
                             key, mode_name);
        return lss__fail(db, LSS_TRANSITION, "deal \"%s\": cannot %s from %s (%s pipeline: %s)", key, rule->verb,
                         lss_stage_name(d->stage), mode_name, rule->rule[mode]);
    }
    if (kind == LSS_DEAL_ADVANCED) {
        bool ok = mode ? (unsigned)a->to > d->stage : (unsigned)a->to == d->stage + 1u;
        if (!ok) {
            if (mode)
                return lss__fail(db, LSS_TRANSITION,
                                 "deal \"%s\": cannot advance from %s to %s (lenient pipeline: advance only to a "
                                 "later open stage)",
                                 key, lss_stage_name(d->stage), lss_stage_name((int)a->to));
            return lss__fail(db, LSS_TRANSITION,
                             "deal \"%s\": cannot advance from %s to %s (strict pipeline: next stage is %s)", key,
                             lss_stage_name(d->stage), lss_stage_name((int)a->to), lss_stage_name(d->stage + 1));
        }
    }
    /* reserve, then commit */
    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    lss__deal_change ch = { 0, lss__next_seq(db), { 0 } };
    unsigned stage = d->stage, reason = LSS_LOSS_OTHER;
    lss_money amount = LSS__DEAL_AMOUNT(d);
    const lss_member *new_owner = d->owner;
    if (lss__vec_reserve(&d->hist, sizeof ch, 1) ||
        (kind == LSS_DEAL_LOST && lss__arena_strdup(&db->text, a->note, &ch.v.note))) {
        lss__arena_reset(&db->text, mark);
        return lss__fail(db, LSS_NOMEM, "%s: deal \"%s\": out of memory", ctx, key);
    }
    switch (kind) {
    case LSS_DEAL_ADVANCED:
        stage = (unsigned)a->to;
        break;
    case LSS_DEAL_AMOUNT:
        amount = ch.v.amount = a->amount;
        break;
    case LSS_DEAL_ASSIGNED:
        ch.v.from_owner = d->owner;
        new_owner = owner;
        break;
    case LSS_DEAL_WON:
        stage = LSS_STAGE_WON;
        if (a->amount != -1)
            amount = a->amount;
        ch.v.amount = amount;
        break;
    case LSS_DEAL_LOST:
        stage = LSS_STAGE_LOST;
        reason = (unsigned)a->reason;
        break;
    case LSS_DEAL_REOPENED:
        stage = d->lost_from;
        break;
    default:
        break;
    }
    ch.w = lss__dc_word(at, (unsigned)kind, stage, d->stage, reason);
    /* the event, from the entry in its reserved place (not yet counted) and
     * the owner after it; then the change */
    LSS__VEC_AT(&d->hist, lss__deal_change, d->hist.count) = ch;
    if (db->journal && !db->replaying) {
        lss__evref r = { d, d->hist.count, (uint8_t)(LSS__EV_DEAL_OPEN + kind) };
        lss__event ev;
        lss__event_of(db, &r, &ev);
        if (kind == LSS_DEAL_ASSIGNED) {
            ev.s[1] = new_owner->key;
            ev.ref[1] = new_owner->id;
        }
        if ((st = lss__log(db, &ev)))
            return st;
    }
    lss__undo_save(db, LSS__U_DEAL, d);
    if (kind == LSS_DEAL_LOST)
        d->lost_from = d->stage;
    d->hist.count++;
    note_stage(d, (uint8_t)stage);
    d->owner = new_owner;
    lss__counted(db, at);
    /* a won deal is final and a lost one mostly stays lost: no room for more history */
    if (kind == LSS_DEAL_WON || kind == LSS_DEAL_LOST)
        lss__vec_shrink(&d->hist, sizeof(lss__deal_change));
    return LSS_OK;
}

/* A public deal call: the database locked around deal_event. */
static lss_status deal_call(lss_db *db, lss_time at, const char *deal, unsigned kind, deal_args a)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx_names[kind]);
    lss__lock(db);
    lss_status st = deal_event(db, at, deal, kind, &a);
    lss__unlock(db);
    return st;
}

lss_status lss_deal_advance(lss_db *db, lss_time at, const char *deal, lss_stage to)
{
    return deal_call(db, at, deal, LSS_DEAL_ADVANCED, (deal_args){ to, 0, NULL, LSS_LOSS_OTHER, NULL });
}

lss_status lss_deal_set_amount(lss_db *db, lss_time at, const char *deal, lss_money amount)
{
    return deal_call(db, at, deal, LSS_DEAL_AMOUNT,
                     (deal_args){ LSS_STAGE_PROSPECT, amount, NULL, LSS_LOSS_OTHER, NULL });
}

lss_status lss_deal_assign(lss_db *db, lss_time at, const char *deal, const char *owner)
{
    return deal_call(db, at, deal, LSS_DEAL_ASSIGNED,
                     (deal_args){ LSS_STAGE_PROSPECT, 0, owner, LSS_LOSS_OTHER, NULL });
}

lss_status lss_deal_win(lss_db *db, lss_time at, const char *deal, lss_money amount)
{
    return deal_call(db, at, deal, LSS_DEAL_WON, (deal_args){ LSS_STAGE_PROSPECT, amount, NULL, LSS_LOSS_OTHER, NULL });
}

lss_status lss_deal_lose(lss_db *db, lss_time at, const char *deal, lss_loss_reason reason, const char *note)
{
    return deal_call(db, at, deal, LSS_DEAL_LOST, (deal_args){ LSS_STAGE_PROSPECT, 0, NULL, reason, note });
}

lss_status lss_deal_reopen(lss_db *db, lss_time at, const char *deal)
{
    return deal_call(db, at, deal, LSS_DEAL_REOPENED, (deal_args){ LSS_STAGE_PROSPECT, 0, NULL, LSS_LOSS_OTHER, NULL });
}

/* Replay (lss__event_replay): a deal event whose deal, and new owner, the
 * journal names by id. The checks are those of the call that wrote it, less
 * the lookups by key (lss__event_replay checked the time and the room for
 * one more event, as lss__wbegin would). */
lss_status lss__deal_replay(lss_db *db, const lss__event *ev, lss_deal *d, const lss_member *owner)
{
    lss_deal_change_kind kind = (lss_deal_change_kind)(ev->kind - LSS__EV_DEAL_OPEN);
    deal_args a = { LSS_STAGE_PROSPECT, 0, NULL, LSS_LOSS_OTHER, NULL };
    switch (kind) {
    case LSS_DEAL_ADVANCED:
        a.to = (lss_stage)ev->i[0];
        break;
    case LSS_DEAL_AMOUNT:
    case LSS_DEAL_WON:
        a.amount = ev->i[0];
        break;
    case LSS_DEAL_LOST:
        a.reason = (lss_loss_reason)ev->i[0];
        a.note = ev->s[1];
        break;
    default:
        break;
    }
    return deal_change(db, ev->at, d, kind, &a, owner);
}

/* ---- forecast probabilities ------------------------------------------------ */

static const uint8_t default_probability[4] = { 10, 25, 50, 75 };

lss_status lss_stage_probability_set(lss_db *db, lss_time at, lss_stage stage, int percent)
{
    static const char ctx[] = "stage.probability";
    lss_status st;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 0)) || (st = lss__check_time(db, ctx, "at", at)))
        goto done;
    if ((unsigned)stage > LSS_STAGE_NEGOTIATED) {
        st = lss__fail(db, LSS_INVALID,
                       "%s: field \"stage\": %d is not an open stage (expected prospect, qualified, presented or "
                       "negotiated)",
                       ctx, (int)stage);
        goto done;
    }
    if (percent < 0 || percent > 100) {
        st = lss__fail(db, LSS_INVALID, "%s: stage %s: field \"percent\": %d is out of range (0 to 100)", ctx,
                       lss_stage_name((int)stage), percent);
        goto done;
    }
    if (lss__vec_reserve(&db->prob, sizeof(lss__prob_change), 1)) {
        st = lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
        goto done;
    }
    lss__prob_change p = { at, lss__next_seq(db), (uint8_t)stage, (uint8_t)percent };
    LSS__VEC_AT(&db->prob, lss__prob_change, db->prob.count) = p; /* in its reserved place, not yet counted */
    if ((st = lss__log_ref(db, LSS__EV_STAGE_PROBABILITY, NULL, db->prob.count)))
        goto done;
    db->prob.count++;
    lss__counted(db, at);
done:
    lss__unlock(db);
    return st;
}

int lss_stage_probability_at(const lss_db *db, lss_stage stage, lss_time t)
{
    if (db == NULL || (unsigned)stage > LSS_STAGE_NEGOTIATED)
        return -1;
    lss__lock(db);
    /* the latest setting before t; settings may arrive out of time order */
    int pct = default_probability[stage];
    lss_time best = LSS_TIME_NONE;
    for (uint32_t i = 0; i < db->prob.count; i++) {
        const lss__prob_change *p = &LSS__VEC_AT(&db->prob, lss__prob_change, i);
        if (p->stage == stage && p->at < t && p->at >= best)
            pct = p->percent, best = p->at;
    }
    lss__unlock(db);
    return pct;
}

/* ---- read side --------------------------------------------------------------- */

lss_status lss_deal_find(const lss_deal **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, db ? &db->deals_by_key : NULL, db ? &db->deals : NULL, key,
                     "deal");
}

lss_status lss_deal_by_id(const lss_deal **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, db ? &db->deals : NULL, id, "deal");
}

uint32_t lss_deal_count(const lss_db *db) { return db ? db->deals.count : 0; }
uint32_t lss_deal_id(const lss_deal *d) { return d ? d->id : LSS__NONE; }
const char *lss_deal_key(const lss_deal *d) { return d ? d->key : NULL; }
const char *lss_deal_title(const lss_deal *d) { return d ? d->title : NULL; }
const lss_customer *lss_deal_customer(const lss_deal *d) { return d ? d->customer : NULL; }
const lss_member *lss_deal_owner(const lss_deal *d) { return d ? d->owner : NULL; }
lss_stage lss_deal_stage(const lss_deal *d) { return d ? (lss_stage)d->stage : (lss_stage)-1; }
lss_money lss_deal_amount(const lss_deal *d) { return d ? LSS__DEAL_AMOUNT(d) : 0; }
lss_time lss_deal_opened_at(const lss_deal *d) { return d ? LSS__DEAL_OPENED_AT(d) : LSS_TIME_NONE; }
lss_time lss_deal_expected_close(const lss_deal *d) { return d ? d->expected_close : LSS_TIME_NONE; }
lss_time lss_deal_last_at(const lss_deal *d) { return d ? LSS__DEAL_LAST_AT(d) : LSS_TIME_NONE; }
lss_stage lss_deal_lost_from(const lss_deal *d)
{
    if (d == NULL)
        return (lss_stage)-1;
    return (lss_stage)(d->stage == LSS_STAGE_LOST ? d->lost_from : d->stage);
}
int lss_deal_is_open(const lss_deal *d) { return d ? d->stage <= LSS_STAGE_NEGOTIATED : 0; }
const lss_deal *lss_deal_next_of_customer(const lss_deal *d) { return d ? LSS__NEXT(d, last_deal) : NULL; }
uint32_t lss_deal_history_count(const lss_deal *d) { return d ? d->hist.count : 0; }
lss_stage lss_deal_furthest_stage(const lss_deal *d) { return d ? (lss_stage)d->furthest : (lss_stage)-1; }

lss_status lss_deal_history_get(lss_deal_change *out, const lss_deal *d, uint32_t i)
{
    if (out == NULL || d == NULL)
        return lss__fail(NULL, LSS_INVALID, "deal history: NULL argument");
    if (i >= d->hist.count)
        return lss__fail(NULL, LSS_NOT_FOUND, "deal \"%s\": history entry %u does not exist (%u entries)", d->key, i,
                         d->hist.count);
    lss__deal_change_get(out, d, i);
    return LSS_OK;
}

const lss_member *lss__deal_owner_after(const lss_deal *d, uint32_t i)
{
    for (uint32_t k = i + 1; k < d->hist.count; k++) {
        const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, k);
        if (LSS__DC_KIND(x) == LSS_DEAL_ASSIGNED)
            return x->v.from_owner;
    }
    return d->owner;
}

void lss__deal_change_get(lss_deal_change *out, const lss_deal *d, uint32_t i)
{
    const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, i);
    unsigned kind = LSS__DC_KIND(x);
    out->at = lss__w_at(x->w);
    out->kind = (lss_deal_change_kind)kind;
    out->stage = (lss_stage)LSS__DC_STAGE(x);
    out->from_stage = (lss_stage)LSS__DC_FROM(x);
    out->reason = (lss_loss_reason)LSS__DC_REASON(x);
    out->note = kind == LSS_DEAL_LOST ? x->v.note : NULL;
    out->amount = lss__deal_amount_after(d, i);
    out->owner = lss__deal_owner_after(d, i);
}

lss_status lss_deal_stage_entered(lss_time *at, const lss_deal *d, lss_stage stage)
{
    if (at == NULL || d == NULL || lss_stage_name((int)stage) == NULL)
        return lss__fail(NULL, LSS_INVALID, "deal stage: invalid argument");
    *at = LSS_TIME_NONE;
    for (uint32_t i = d->hist.count; i-- > 0;) {
        const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, i);
        unsigned kind = LSS__DC_KIND(x);
        bool enters = kind == LSS_DEAL_OPENED || kind == LSS_DEAL_ADVANCED || kind == LSS_DEAL_WON ||
                      kind == LSS_DEAL_LOST || kind == LSS_DEAL_REOPENED;
        if (enters && LSS__DC_STAGE(x) == (unsigned)stage) {
            *at = lss__w_at(x->w);
            return LSS_OK;
        }
    }
    return LSS_NOT_FOUND;
}

void lss__pipeline_free(lss_db *db)
{
    lss__keyindex_clear(&db->deals_by_key);
    for (uint32_t i = 0; i < db->deals.count; i++)
        lss__vec_free(&((lss_deal *)lss__slab_get(&db->deals, i))->hist);
    lss__slab_free(&db->deals);
    lss__vec_free(&db->prob);
}
