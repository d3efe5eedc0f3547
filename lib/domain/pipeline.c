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
    [LSS_DEAL_CLOSE_DATE] = { "change the expected close", { OPEN_STAGES, OPEN_STAGES },
                              { "the expected close changes only while open",
                                "the expected close changes only while open" } },
    [LSS_DEAL_FORECAST] = { "change the forecast category", { OPEN_STAGES, OPEN_STAGES },
                            { "the forecast category changes only while open",
                              "the forecast category changes only while open" } },
    [LSS_DEAL_PROBABILITY] = { "change the probability", { OPEN_STAGES, OPEN_STAGES },
                               { "the probability changes only while open", "the probability changes only while open" } },
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

/* ---- pipelines ----------------------------------------------------------------- */

int32_t lss__pipeline_find(const lss_db *db, const char *key)
{
    if (key == NULL || strcmp(key, LSS_PIPELINE_DEFAULT) == 0)
        return 0;
    for (uint32_t i = 0; i < db->pipelines.count; i++) /* a database holds few pipelines */
        if (strcmp(LSS__VEC_AT(&db->pipelines, lss__pipeline, i).key, key) == 0)
            return (int32_t)i + 1;
    return -1;
}

/* The pipeline key slot k names, as its index (0: absent or the default). */
static lss_status pipeline_of(lss_db *db, const lss__cmd *c, unsigned k, const char *what, int32_t *out)
{
    const char *ctx = lss__cmd_ctx(c), *key = c->ev.s[k];
    lss_status st;
    *out = 0;
    if (key == NULL)
        return LSS_OK;
    if ((st = lss__check_key(db, ctx, "pipeline", key)))
        return st;
    if ((*out = lss__pipeline_find(db, key)) < 0)
        return lss__fail(db, LSS_NOT_FOUND, "%s: %s: pipeline \"%s\" does not exist", ctx, what, key);
    return LSS_OK;
}

lss_status lss__pipeline_add_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *key = c->ev.s[0];
    lss_status st;
    if ((st = lss__check_key(db, ctx, "key", key)) ||
        (st = lss__check_text(db, ctx, "name", c->ev.s[1], LSS__TITLE_MAX, true, true)))
        return st;
    if (lss__pipeline_find(db, key) >= 0)
        return lss__fail(db, LSS_EXISTS, "%s: pipeline \"%s\" %s", ctx, key,
                         strcmp(key, LSS_PIPELINE_DEFAULT) == 0 ? "always exists and cannot be added"
                                                                : "already exists");
    if (db->pipelines.count >= LSS__PIPELINES_MAX)
        return lss__fail(db, LSS_INVALID, "%s: pipeline \"%s\": a database holds at most %u pipelines", ctx, key,
                         LSS__PIPELINES_MAX);
    return LSS_OK;
}

lss_status lss__pipeline_add_reserve(lss_db *db, lss__cmd *c)
{
    (void)c;
    return lss__vec_reserve(&db->pipelines, sizeof(lss__pipeline), 1);
}

void lss__pipeline_add_apply(lss_db *db, lss__cmd *c)
{
    lss__pipeline p = { c->ev.at, lss__next_seq(db), c->txt[0], c->txt[1] };
    LSS__VEC_AT(&db->pipelines, lss__pipeline, db->pipelines.count++) = p;
}

lss_status lss__pipeline_restore(lss_db *db, lss_time at, uint32_t seq, const char *key, const char *name)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_PIPELINE_ADD, at);
    c.ev.s[0] = key;
    c.ev.s[1] = name;
    lss_status st = lss__pipeline_add_check(db, &c);
    if (st == LSS_OK && (lss__arena_strdup(&db->text, key, &c.txt[0]) || lss__arena_strdup(&db->text, name, &c.txt[1]) ||
                         lss__pipeline_add_reserve(db, &c)))
        st = LSS_NOMEM;
    if (st == LSS_OK)
        lss__apply_as_seq(db, seq, lss__pipeline_add_apply, &c);
    return st;
}

uint32_t lss_pipeline_count(const lss_db *db) { return db ? db->pipelines.count + 1u : 0; }

static const lss__pipeline *pipeline_at(const lss_db *db, uint32_t i)
{
    return db && i >= 1 && i <= db->pipelines.count ? &LSS__VEC_AT(&db->pipelines, lss__pipeline, i - 1) : NULL;
}

const char *lss_pipeline_key(const lss_db *db, uint32_t i)
{
    return db && i == 0 ? LSS_PIPELINE_DEFAULT : pipeline_at(db, i) ? pipeline_at(db, i)->key : NULL;
}

const char *lss_pipeline_name(const lss_db *db, uint32_t i)
{
    return db && i == 0 ? "Default" : pipeline_at(db, i) ? pipeline_at(db, i)->name : NULL;
}

lss_time lss_pipeline_added_at(const lss_db *db, uint32_t i)
{
    return pipeline_at(db, i) ? pipeline_at(db, i)->at : LSS_TIME_NONE;
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
    char what[LSS__KEY_MAX + 16];
    snprintf(what, sizeof what, "deal \"%s\"", key);
    int32_t p;
    if ((st = pipeline_of(db, c, 4, what, &p)))
        return st;
    if (lss__cmd_exists(db, c))
        return lss__fail(db, LSS_EXISTS, "%s: deal \"%s\" already exists", ctx, key);
    return LSS_OK;
}

lss_status lss__deal_open_reserve(lss_db *db, lss__cmd *c)
{
    lss_status st = lss__vec_reserve(&db->deal_stays, sizeof(lss__deal_stays), 1);
    return st != LSS_OK ? st : lss__pool_reserve(&db->deal_hist, &c->hist, 2);
}

void lss__deal_stays_note(lss__deal_stays *s, lss_time opened, lss_time at, unsigned stage)
{
    if (s->c[0] == LSS__STAYS_WALK)
        return;
    for (unsigned k = 0; k < 4; k++) {
        if (s->c[k] != LSS__STAYS_NONE)
            continue;
        /* in unsigned arithmetic: a checkpoint's times are only known to be 64-bit numbers here */
        uint64_t after = (uint64_t)at - (uint64_t)opened;
        if (at < opened || after >= LSS__STAYS_AT_MAX)
            break;
        s->c[k] = (uint32_t)after << 3 | stage;
        return;
    }
    s->c[0] = LSS__STAYS_WALK;
}

const lss_deal *lss__deal_stays_wrong(const lss_db *db)
{
    if (db->deal_stays.count != db->deals.count)
        return db->deals.count ? lss__slab_get(&db->deals, 0) : NULL;
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        lss__deal_stays s;
        lss__deal_stays_build(&s, d);
        if (memcmp(&s, &LSS__VEC_AT(&db->deal_stays, lss__deal_stays, i), sizeof s) != 0)
            return d;
    }
    return NULL;
}

void lss__deal_stays_build(lss__deal_stays *s, const lss_deal *d)
{
    for (unsigned k = 0; k < 4; k++)
        s->c[k] = LSS__STAYS_NONE;
    unsigned cur = LSS_STAGE_PROSPECT;
    for (uint32_t i = 1; i < d->hist.count; i++) {
        const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, i);
        unsigned stage = LSS__DC_STAGE(x);
        if (stage != cur)
            lss__deal_stays_note(s, d->opened_at, lss__w_at(x->w), stage);
        cur = stage;
    }
}

void lss__deal_open_apply(lss_db *db, lss__cmd *c)
{
    lss_deal *d = lss__slab_push(&db->deals);
    d->key = c->txt[0];
    d->title = c->txt[3];
    d->customer = c->e[1];
    d->customer_id = d->customer->id;
    d->owner = c->e[2];
    d->expected_close = c->ev.i[1];
    d->opened_at = d->last_at = c->ev.at;
    d->amount = c->ev.i[0];
    d->id = db->deals.count - 1;
    d->stage = d->lost_from = d->furthest = LSS_STAGE_PROSPECT;
    d->forecast = LSS_FORECAST_PIPELINE;
    d->probability = -1;
    d->flags = 0;
    d->pipeline = (uint16_t)lss__pipeline_find(db, c->ev.s[4]); /* the check found it */
    d->hist = c->hist;
    c->hist = (lss__vec){ 0 };
    lss__deal_change *ch = &LSS__VEC_AT(&d->hist, lss__deal_change, d->hist.count++);
    ch->w = lss__dc_word(c->ev.at, LSS_DEAL_OPENED, LSS_STAGE_PROSPECT, LSS_STAGE_PROSPECT, LSS_LOSS_OTHER);
    ch->seq = lss__next_seq(db);
    ch->v.amount = c->ev.i[0];
    LSS__VEC_AT(&db->deal_stays, lss__deal_stays, db->deal_stays.count++) =
        (lss__deal_stays){ { LSS__STAYS_NONE, LSS__STAYS_NONE, LSS__STAYS_NONE, LSS__STAYS_NONE } };
    LSS__APPEND_TO_CUSTOMER(db, d->customer, last_deal, d);
    c->created = d;
}

/* ---- the events after deal.open ---------------------------------------------- */

static lss_deal_change_kind change_kind(const lss__cmd *c)
{
    return (lss_deal_change_kind)lss__deal_change_of(c->ev.kind);
}

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
    case LSS_DEAL_CLOSE_DATE:
        return lss__check_time(db, ctx, "expected_close", v);
    case LSS_DEAL_FORECAST:
        if (lss_forecast_category_name((int)v) == NULL)
            return lss__fail(db, LSS_INVALID, "%s: deal \"%s\": field \"category\": %d is not a forecast category",
                             ctx, key, (int)v);
        return LSS_OK;
    case LSS_DEAL_PROBABILITY:
        if (v < -1 || v > 100)
            return lss__fail(db, LSS_INVALID, "%s: deal \"%s\": field \"percent\": %lld is out of range (0 to 100)",
                             ctx, key, (long long)v);
        return LSS_OK;
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
    return lss__pool_reserve(&db->deal_hist, &((lss_deal *)c->e[0])->hist, 1);
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
    case LSS_DEAL_CLOSE_DATE:
        ch.v.close_before = d->expected_close;
        break;
    case LSS_DEAL_FORECAST:
        reason = (unsigned)c->ev.i[0];
        break;
    case LSS_DEAL_PROBABILITY:
        ch.v.percent = c->ev.i[0];
        break;
    default:
        break;
    }
    ch.w = lss__dc_word(c->ev.at, (unsigned)kind, stage, d->stage, reason);
    lss__undo_save(db, LSS__U_DEAL, d);
    if (kind == LSS_DEAL_CLOSE_DATE) {
        d->expected_close = c->ev.i[0];
        d->flags |= LSS__DF_CLOSE;
    } else if (kind == LSS_DEAL_FORECAST) {
        d->forecast = (uint8_t)c->ev.i[0];
        d->flags |= LSS__DF_FORECAST;
    } else if (kind == LSS_DEAL_PROBABILITY) {
        d->probability = (int8_t)c->ev.i[0];
        d->flags |= LSS__DF_FORECAST;
    }
    if (kind == LSS_DEAL_LOST)
        d->lost_from = d->stage;
    LSS__VEC_AT(&d->hist, lss__deal_change, d->hist.count++) = ch;
    if (stage != d->stage)
        lss__deal_stays_note(&LSS__VEC_AT(&db->deal_stays, lss__deal_stays, d->id), d->opened_at, c->ev.at, stage);
    note_stage(d, (uint8_t)stage);
    d->owner = owner;
    d->last_at = c->ev.at;
    if (lss__dc_has_amount((unsigned)kind))
        d->amount = ch.v.amount;
    /* a won deal is final and a lost one mostly stays lost: no room for more history */
    if (kind == LSS_DEAL_WON || kind == LSS_DEAL_LOST)
        lss__pool_shrink(&db->deal_hist, &d->hist);
}

/* ---- forecast probabilities ------------------------------------------------ */

static const uint8_t default_probability[4] = { 10, 25, 50, 75 };

lss_status lss__stage_probability_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c);
    int64_t stage = c->ev.i[0], percent = c->ev.i[1];
    int32_t p;
    lss_status st = pipeline_of(db, c, 0, "field \"pipeline\"", &p);
    if (st)
        return st;
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
    lss__prob_change p = { c->ev.at, lss__next_seq(db), (uint8_t)c->ev.i[0], (uint8_t)c->ev.i[1],
                           (uint16_t)lss__pipeline_find(db, c->ev.s[0]) };
    LSS__VEC_AT(&db->prob, lss__prob_change, db->prob.count++) = p;
}

int lss__stage_probability(const lss_db *db, unsigned pipeline, unsigned stage, lss_time t)
{
    /* the latest setting before t; settings may arrive out of time order */
    int pct = default_probability[stage];
    lss_time best = LSS_TIME_NONE;
    for (uint32_t i = 0; i < db->prob.count; i++) {
        const lss__prob_change *p = &LSS__VEC_AT(&db->prob, lss__prob_change, i);
        if (p->stage == stage && p->pipeline == pipeline && p->at < t && p->at >= best)
            pct = p->percent, best = p->at;
    }
    return pct;
}

int lss_stage_probability_at(const lss_db *db, lss_stage stage, lss_time t)
{
    return lss_pipeline_stage_probability_at(db, NULL, stage, t);
}

int lss_pipeline_stage_probability_at(const lss_db *db, const char *pipeline, lss_stage stage, lss_time t)
{
    if (db == NULL || (unsigned)stage > LSS_STAGE_NEGOTIATED)
        return -1;
    lss__lock(db);
    int32_t p = lss__pipeline_find(db, pipeline);
    int pct = p < 0 ? -1 : lss__stage_probability(db, (unsigned)p, stage, t);
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
lss_forecast_category lss_deal_forecast(const lss_deal *d)
{
    return d ? (lss_forecast_category)d->forecast : (lss_forecast_category)-1;
}
int lss_deal_own_probability(const lss_deal *d) { return d ? d->probability : -1; }
const char *lss_deal_pipeline(const lss_db *db, const lss_deal *d)
{
    return db && d ? lss_pipeline_key(db, d->pipeline) : NULL;
}

void lss__deal_forecast_after(const lss_deal *d, uint32_t i, lss_time *close, unsigned *category, int *percent)
{
    const lss__deal_change *h = (const lss__deal_change *)d->hist.data;
    if (close) {
        *close = d->expected_close;
        if (d->flags & LSS__DF_CLOSE)
            for (uint32_t k = i + 1; k < d->hist.count; k++)
                if (LSS__DC_KIND(&h[k]) == LSS_DEAL_CLOSE_DATE) {
                    *close = h[k].v.close_before;
                    break;
                }
    }
    unsigned cat = LSS_FORECAST_PIPELINE;
    int pct = -1;
    if (d->flags & LSS__DF_FORECAST)
        for (uint32_t k = 0; k <= i && k < d->hist.count; k++) {
            unsigned kind = LSS__DC_KIND(&h[k]);
            if (kind == LSS_DEAL_FORECAST)
                cat = LSS__DC_REASON(&h[k]);
            else if (kind == LSS_DEAL_PROBABILITY)
                pct = (int)h[k].v.percent;
        }
    if (category)
        *category = cat;
    if (percent)
        *percent = pct;
}

lss_status lss_deal_forecast_at(lss_time *expected_close, lss_forecast_category *category, int *probability,
                                const lss_db *db, const lss_deal *d, lss_time t)
{
    if (db == NULL || d == NULL)
        return lss__fail(NULL, LSS_INVALID, "deal forecast: NULL argument");
    if (d->opened_at >= t)
        return lss__fail(NULL, LSS_NOT_FOUND, "deal \"%s\": not open before the given time", d->key);
    uint32_t i = 0;
    while (i + 1 < d->hist.count && lss__w_at(LSS__VEC_AT(&d->hist, lss__deal_change, i + 1).w) < t)
        i++;
    lss_time close;
    unsigned cat;
    int pct;
    lss__deal_forecast_after(d, i, &close, &cat, &pct);
    if (expected_close)
        *expected_close = close;
    if (category)
        *category = (lss_forecast_category)cat;
    if (probability) {
        unsigned stage = LSS__DC_STAGE(&LSS__VEC_AT(&d->hist, lss__deal_change, i));
        lss__lock(db);
        *probability = pct >= 0 ? pct : stage <= LSS_STAGE_NEGOTIATED ? lss__stage_probability(db, d->pipeline, stage, t)
                                                                      : stage == LSS_STAGE_WON ? 100 : 0;
        lss__unlock(db);
    }
    return LSS_OK;
}
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
    out->reason = kind == LSS_DEAL_LOST ? (lss_loss_reason)LSS__DC_REASON(x) : LSS_LOSS_OTHER;
    out->amount = lss__deal_amount_after(d, i);
    out->owner = lss__deal_owner_after(d, i);
    unsigned cat;
    lss__deal_forecast_after(d, i, &out->expected_close, &cat, &out->probability);
    out->forecast = (lss_forecast_category)cat;
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
    lss__vec_free(&db->deal_stays);
    lss__vec_free(&db->prob);
    lss__vec_free(&db->pipelines);
}
