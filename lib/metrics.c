/* Metrics as of any moment, computed from the histories every entity keeps:
 * one pass over the deals, no snapshots, no per-entity searches. */
#include "internal.h"

lss_status lss_query_init(lss_query *q, unsigned int version)
{
    if (q == NULL)
        return lss__fail(NULL, LSS_INVALID, "query: NULL argument");
    if (version != LSS_QUERY_VERSION)
        return lss__fail(NULL, LSS_VERSION, "query: version %u is not supported (expected %d)", version,
                         LSS_QUERY_VERSION);
    lss_query def = LSS_QUERY_INIT;
    *q = def;
    return LSS_OK;
}

/* A deal as it was at `to`: the replay of its history entries with at < to. */
typedef struct deal_asof {
    bool exists;
    uint8_t stage, furthest;
    lss_money amount;
    const lss_member *owner;
    lss_time won_at, lost_at;
} deal_asof;

static void deal_at(const lss_deal *d, lss_time to, deal_asof *s)
{
    memset(s, 0, sizeof *s);
    s->won_at = s->lost_at = LSS_TIME_NONE;
    for (uint32_t i = 0; i < d->hist.count; i++) {
        const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, i);
        if (x->at >= to)
            break; /* a deal's events are in time order */
        if (!s->exists)
            s->furthest = LSS_STAGE_PROSPECT;
        s->exists = true;
        s->stage = x->stage;
        s->amount = x->amount;
        s->owner = x->owner;
        if (x->stage <= LSS_STAGE_WON && x->stage > s->furthest)
            s->furthest = x->stage;
        if (x->kind == LSS_DEAL_WON)
            s->won_at = x->at;
        if (x->kind == LSS_DEAL_LOST)
            s->lost_at = x->at;
    }
}

static bool in_window(lss_time t, lss_time from, lss_time to)
{
    return t != LSS_TIME_NONE && t >= from && t < to;
}

lss_status lss_sales_metrics_get(lss_sales_metrics *out, lss_db *db, const lss_query *q)
{
    static const char ctx[] = "sales metrics";
    lss_query def = LSS_QUERY_INIT;
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    if (q == NULL)
        q = &def;
    if (q->version != LSS_QUERY_VERSION)
        return lss__fail(db, LSS_VERSION, "%s: query version %u is not supported (expected %d)", ctx, q->version,
                         LSS_QUERY_VERSION);
    lss__lock(db);
    lss_status st = LSS_OK;
    lss_time from = q->from == LSS_TIME_NONE ? 0 : q->from;
    lss_time to = q->to != LSS_TIME_NONE ? q->to : db->last_time == LSS_TIME_NONE ? 1 : db->last_time + 1;
    const lss_member *member = NULL;
    const char *team = NULL, *segment = NULL;
    if (from < 0 || to < 0 || to > LSS_TIME_MAX + 1 || from >= to) {
        st = lss__fail(db, LSS_INVALID, "%s: window [%lld, %lld) is empty or out of range", ctx, (long long)from,
                       (long long)to);
        goto done;
    }
    if (q->member && (member = lss__member_get(db, q->member)) == NULL) {
        st = lss__fail(db, LSS_INVALID, "%s: filter member \"%.128s\" does not exist", ctx, q->member);
        goto done;
    }
    /* interned: a team or segment nobody has matches nothing */
    if (q->team && (team = lss__intern_find(&db->teams, q->team)) == NULL)
        team = "";
    if (q->segment && (segment = lss__intern_find(&db->segments, q->segment)) == NULL)
        segment = "";

    lss_sales_metrics m;
    memset(&m, 0, sizeof m);
    m.from = q->from;
    m.to = to;
    int64_t cycle = 0, weighted = 0;
    int pct[LSS_STAGE_NEGOTIATED + 1];
    for (int k = 0; k <= LSS_STAGE_NEGOTIATED; k++)
        pct[k] = lss_stage_probability_at(db, (lss_stage)k, to);
    bool overflow = false;
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        deal_asof s;
        deal_at(d, to, &s);
        if (!s.exists)
            continue;
        if (member && s.owner != member)
            continue;
        if (team && s.owner->team != team)
            continue;
        if (segment && lss_customer_segment_at(d->customer, to) != segment)
            continue;
        if (in_window(d->opened_at, from, to)) {
            m.deals_opened++;
            for (unsigned k = 0; k <= s.furthest && k <= LSS_STAGE_WON; k++)
                m.funnel_reached[k]++;
        }
        if (s.stage == LSS_STAGE_WON && in_window(s.won_at, from, to)) {
            m.won++;
            overflow |= __builtin_add_overflow(m.revenue, s.amount, &m.revenue);
            overflow |= __builtin_add_overflow(cycle, s.won_at - d->opened_at, &cycle);
        }
        if (s.stage == LSS_STAGE_LOST && in_window(s.lost_at, from, to))
            m.lost++;
        if (s.stage <= LSS_STAGE_NEGOTIATED) {
            int64_t part;
            overflow |= __builtin_add_overflow(m.open_pipeline, s.amount, &m.open_pipeline);
            overflow |= __builtin_mul_overflow(s.amount, (int64_t)pct[s.stage], &part);
            overflow |= __builtin_add_overflow(weighted, part, &weighted);
        }
    }
    if (overflow) {
        st = lss__fail(db, LSS_OVERFLOW, "%s: a sum exceeds the 64-bit range of minor units", ctx);
        goto done;
    }
    m.win_rate.num = m.won;
    m.win_rate.den = m.won + m.lost;
    m.avg_deal_size.num = m.revenue;
    m.avg_deal_size.den = m.won;
    m.avg_sales_cycle_days.num = cycle;
    m.avg_sales_cycle_days.den = m.won * 86400;
    m.weighted_pipeline.num = weighted;
    m.weighted_pipeline.den = 100;
    *out = m;
done:
    lss__unlock(db);
    return st;
}
