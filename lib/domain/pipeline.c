/* Deals and the sales pipeline: the state machine is the table below. */
#include "domain/rules.h"

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

/* A deal's owner must sell. */
static lss_status owner_role(lss_db *db, const char *ctx, const char *deal, const lss_member *m)
{
    if (m->role != LSS_ROLE_SALES && m->role != LSS_ROLE_BOTH)
        return lss__fail(db, LSS_ROLE, "%s: deal \"%s\": owner \"%s\" has role %s (a deal owner needs role sales or both)",
                         ctx, deal, m->key, lss_role_name(m->role));
    return LSS_OK;
}

/* The member key slot k names as the owner of deal `deal`. */
static lss_status find_owner(lss_db *db, lss__cmd *c, unsigned k, const char *deal, const lss_member **out)
{
    lss_status st = lss__cmd_key(db, c, k);
    if (st)
        return st;
    if ((*out = lss__cmd_get(db, c, k)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\": owner \"%s\" does not exist", lss__cmd_ctx(c), deal,
                         c->ev.s[k]);
    return owner_role(db, lss__cmd_ctx(c), deal, *out);
}

static void note_stage(lss_deal *d, uint8_t stage)
{
    d->stage = stage;
    if (stage <= LSS_STAGE_WON && stage > d->furthest)
        d->furthest = stage;
}

/* ---- deal.open ------------------------------------------------------------- */

lss_status lss__deal_open_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s, *key = s[0];
    lss_time expected_close = c->ev.i[1];
    const lss_member *m;
    lss_status st;
    if ((st = lss__check_key(db, ctx, "key", key)) || (st = lss__cmd_key(db, c, 1)) ||
        (st = lss__check_money(db, ctx, "amount", c->ev.i[0], false)) ||
        (st = lss__check_text(db, ctx, "title", s[3], LSS__TITLE_MAX, false, false)) ||
        (expected_close != LSS_TIME_NONE && (st = lss__check_time(db, ctx, "expected_close", expected_close))))
        return st;
    if (lss__cmd_get(db, c, 1) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\": customer \"%s\" does not exist", ctx, key, s[1]);
    if ((st = find_owner(db, c, 2, key, &m)))
        return st;
    if (lss__cmd_exists(db, c))
        return lss__fail(db, LSS_EXISTS, "%s: deal \"%s\" already exists", ctx, key);
    return LSS_OK;
}

lss_status lss__deal_open_reserve(lss_db *db, lss__cmd *c)
{
    return lss__pool_reserve(&db->hist, &c->hist, 2);
}

void lss__deal_open_apply(lss_db *db, lss__cmd *c)
{
    lss_deal *d = lss__slab_push(&db->deals);
    d->key = c->txt[0];
    d->title = c->txt[3];
    d->customer = c->e[1];
    d->owner = c->e[2];
    d->expected_close = c->ev.i[1];
    d->opened_at = d->last_at = c->ev.at;
    d->amount = c->ev.i[0];
    d->id = db->deals.count - 1;
    d->stage = d->lost_from = d->furthest = LSS_STAGE_PROSPECT;
    d->hist = c->hist;
    c->hist = (lss__vec){ 0 };
    lss__deal_change *ch = &LSS__VEC_AT(&d->hist, lss__deal_change, d->hist.count++);
    ch->w = lss__dc_word(c->ev.at, LSS_DEAL_OPENED, LSS_STAGE_PROSPECT, LSS_STAGE_PROSPECT, LSS_LOSS_OTHER);
    ch->seq = lss__next_seq(db);
    ch->v.amount = c->ev.i[0];
    LSS__APPEND_TO_CUSTOMER(db, d->customer, last_deal, d);
    c->created = d;
}

/* ---- the events after deal.open ---------------------------------------------- */

static lss_deal_change_kind change_kind(const lss__cmd *c) { return (lss_deal_change_kind)(c->ev.kind - LSS__EV_DEAL_OPEN); }

/* A field of a deal event, in the order of the event's fields. */
static lss_status check_field(lss_db *db, lss__cmd *c, const lss_deal *d)
{
    const char *ctx = lss__cmd_ctx(c), *key = d->key;
    int64_t v = c->ev.i[0];
    const lss_member *owner;
    switch (change_kind(c)) {
    case LSS_DEAL_ADVANCED:
        if (v < LSS_STAGE_QUALIFIED || v > LSS_STAGE_NEGOTIATED)
            return lss__fail(db, LSS_INVALID,
                             "%s: deal \"%s\": field \"to\": %s is not a stage to advance to (expected qualified, "
                             "presented or negotiated)",
                             ctx, key, lss_stage_name((int)v) ? lss_stage_name((int)v) : "(invalid)");
        return LSS_OK;
    case LSS_DEAL_AMOUNT:
        return lss__check_money(db, ctx, "amount", v, false);
    case LSS_DEAL_WON:
        if (v == -1) /* keep the amount: the journal says which */
            c->ev.i[0] = LSS__DEAL_AMOUNT(d);
        return lss__check_money(db, ctx, "amount", c->ev.i[0], false);
    case LSS_DEAL_ASSIGNED:
        return find_owner(db, c, 1, key, &owner);
    case LSS_DEAL_LOST:
        if (lss_loss_reason_name((int)v) == NULL)
            return lss__fail(db, LSS_INVALID, "%s: deal \"%s\": field \"reason\": %d is not a loss reason", ctx, key,
                             (int)v);
        return lss__check_text(db, ctx, "note", c->ev.s[1], LSS__NOTE_MAX, false, false);
    default:
        return LSS_OK;
    }
}

/* The transition table, in the database's pipeline mode. */
static lss_status check_transition(lss_db *db, const lss__cmd *c, const lss_deal *d)
{
    lss_deal_change_kind kind = change_kind(c);
    const struct deal_rule *rule = &deal_rules[kind];
    const int mode = db->pipeline == LSS_PIPELINE_LENIENT;
    const char *mode_name = mode ? "lenient" : "strict", *key = d->key;
    if (!(rule->from[mode] & BIT(d->stage))) {
        if (kind == LSS_DEAL_ADVANCED && d->stage == LSS_STAGE_NEGOTIATED)
            return lss__fail(db, LSS_TRANSITION,
                             "deal \"%s\": cannot advance from negotiated (%s pipeline: negotiated is the last open "
                             "stage; win or lose the deal)",
                             key, mode_name);
        return lss__fail(db, LSS_TRANSITION, "deal \"%s\": cannot %s from %s (%s pipeline: %s)", key, rule->verb,
                         lss_stage_name(d->stage), mode_name, rule->rule[mode]);
    }
    if (kind != LSS_DEAL_ADVANCED)
        return LSS_OK;
    unsigned to = (unsigned)c->ev.i[0];
    if (mode ? to > d->stage : to == d->stage + 1u)
        return LSS_OK;
    if (mode)
        return lss__fail(db, LSS_TRANSITION,
                         "deal \"%s\": cannot advance from %s to %s (lenient pipeline: advance only to a later open "
                         "stage)",
                         key, lss_stage_name(d->stage), lss_stage_name((int)to));
    return lss__fail(db, LSS_TRANSITION, "deal \"%s\": cannot advance from %s to %s (strict pipeline: next stage is %s)",
                     key, lss_stage_name(d->stage), lss_stage_name((int)to), lss_stage_name(d->stage + 1));
}

lss_status lss__deal_change_check(lss_db *db, lss__cmd *c)
{
    lss_status st;
    lss_deal *d;
    if ((st = lss__cmd_key(db, c, 0)))
        return st;
    if ((d = lss__cmd_get(db, c, 0)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\" does not exist", lss__cmd_ctx(c), c->ev.s[0]);
    if ((st = check_field(db, c, d)) || (st = lss__cmd_order(db, c, "deal", d->key, LSS__DEAL_LAST_AT(d))))
        return st;
    return check_transition(db, c, d);
}

lss_status lss__deal_change_reserve(lss_db *db, lss__cmd *c)
{
    return lss__pool_reserve(&db->hist, &((lss_deal *)c->e[0])->hist, 1);
}

void lss__deal_change_apply(lss_db *db, lss__cmd *c)
{
    lss_deal *d = c->e[0];
    lss_deal_change_kind kind = change_kind(c);
    lss__deal_change ch = { 0, lss__next_seq(db), { 0 } };
    unsigned stage = d->stage, reason = LSS_LOSS_OTHER;
    const lss_member *owner = d->owner;
    switch (kind) {
    case LSS_DEAL_ADVANCED:
        stage = (unsigned)c->ev.i[0];
        break;
    case LSS_DEAL_AMOUNT:
        ch.v.amount = c->ev.i[0];
        break;
    case LSS_DEAL_ASSIGNED:
        ch.v.from_owner = d->owner;
        owner = c->e[1];
        break;
    case LSS_DEAL_WON:
        stage = LSS_STAGE_WON;
        ch.v.amount = c->ev.i[0];
        break;
    case LSS_DEAL_LOST:
        stage = LSS_STAGE_LOST;
        reason = (unsigned)c->ev.i[0];
        ch.v.note = c->txt[1];
        break;
    case LSS_DEAL_REOPENED:
        stage = d->lost_from;
        break;
    default:
        break;
    }
    ch.w = lss__dc_word(c->ev.at, (unsigned)kind, stage, d->stage, reason);
    lss__undo_save(db, LSS__U_DEAL, d);
    if (kind == LSS_DEAL_LOST)
        d->lost_from = d->stage;
    LSS__VEC_AT(&d->hist, lss__deal_change, d->hist.count++) = ch;
    note_stage(d, (uint8_t)stage);
    d->owner = owner;
    d->last_at = c->ev.at;
    if (lss__dc_has_amount((unsigned)kind))
        d->amount = ch.v.amount;
    /* a won deal is final and a lost one mostly stays lost: no room for more history */
    if (kind == LSS_DEAL_WON || kind == LSS_DEAL_LOST)
        lss__pool_shrink(&db->hist, &d->hist);
}

/* ---- forecast probabilities ------------------------------------------------ */

static const uint8_t default_probability[4] = { 10, 25, 50, 75 };

lss_status lss__stage_probability_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c);
    int64_t stage = c->ev.i[0], percent = c->ev.i[1];
    if (stage < 0 || stage > LSS_STAGE_NEGOTIATED)
        return lss__fail(db, LSS_INVALID,
                         "%s: field \"stage\": %d is not an open stage (expected prospect, qualified, presented or "
                         "negotiated)",
                         ctx, (int)stage);
    if (percent < 0 || percent > 100)
        return lss__fail(db, LSS_INVALID, "%s: stage %s: field \"percent\": %d is out of range (0 to 100)", ctx,
                         lss_stage_name((int)stage), (int)percent);
    return LSS_OK;
}

lss_status lss__stage_probability_reserve(lss_db *db, lss__cmd *c)
{
    (void)c;
    return lss__vec_reserve(&db->prob, sizeof(lss__prob_change), 1);
}

void lss__stage_probability_apply(lss_db *db, lss__cmd *c)
{
    lss__prob_change p = { c->ev.at, lss__next_seq(db), (uint8_t)c->ev.i[0], (uint8_t)c->ev.i[1] };
    LSS__VEC_AT(&db->prob, lss__prob_change, db->prob.count++) = p;
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
    return lss__find((const void **)out, db, LSS__REF_DEAL, key);
}

lss_status lss_deal_by_id(const lss_deal **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, LSS__REF_DEAL, id);
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
    for (uint32_t i = 0; i < db->deals.count; i++) { /* the pool's blocks go with the pool */
        lss__vec *h = &((lss_deal *)lss__slab_get(&db->deals, i))->hist;
        if (h->cap > LSS__POOL_MAX)
            lss__vec_free(h);
    }
    lss__slab_free(&db->deals);
    lss__vec_free(&db->prob);
}
