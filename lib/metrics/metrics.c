/* Metrics as of any moment, computed from the histories every entity keeps:
 * one pass over the deals, tickets and customers, no snapshots, no
 * per-entity searches. The only sort is the one the percentiles need. */
#include "metrics/metrics.h"

#include <stddef.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>

lss_status lss_query_init(lss_query *q, unsigned int version)
{
    if (q == NULL)
        return lss__fail(NULL, LSS_INVALID, "query: NULL argument");
    if (version < 1 || version > LSS_QUERY_VERSION)
        return lss__fail(NULL, LSS_VERSION, "query: version %u is not supported (expected 1 to %d)", version,
                         LSS_QUERY_VERSION);
    lss_query def = LSS_QUERY_INIT;
    def.version = version;
    /* a version 1 struct ends before threads, a version 2 before as_of */
    memcpy(q, &def, version == 1 ? offsetof(lss_query, threads) : version == 2 ? offsetof(lss_query, as_of) : sizeof def);
    return LSS_OK;
}

/* ---- exact ratios -------------------------------------------------------- */

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* n / d rounded half to even (d != 0). */
static i128 div_half_even(i128 n, i128 d)
{
    if (d < 0) {
        n = -n;
        d = -d;
    }
    i128 q = n / d, r = n % d; /* truncated toward zero */
    if (r < 0) {               /* floor */
        q -= 1;
        r += d;
    }
    return 2 * r > d || (2 * r == d && (q & 1)) ? q + 1 : q;
}

/* A moment for a message: RFC 3339 when it is one, else its number. */
static const char *time_text(char buf[32], lss_time t)
{
    if (lss_time_format(buf, 32, t) != LSS_OK)
        snprintf(buf, 32, "%lld", (long long)t);
    return buf;
}

static lss_status round_half_even(int64_t *out, int64_t num, int64_t den, int64_t scale)
{
    i128 q = div_half_even((i128)num * scale, den);
    if (q > INT64_MAX || q < INT64_MIN)
        return LSS_OVERFLOW;
    *out = (int64_t)q;
    return LSS_OK;
}

lss_status lss_ratio_round(int64_t *out, lss_ratio r, int64_t scale)
{
    if (out == NULL || scale < 1)
        return lss__fail(NULL, LSS_INVALID, "ratio: NULL argument or scale < 1");
    if (r.den == 0)
        return lss__fail(NULL, LSS_INVALID, "ratio: no value (denominator 0)");
    if (round_half_even(out, r.num, r.den, scale))
        return lss__fail(NULL, LSS_OVERFLOW, "ratio: %lld / %lld x %lld exceeds 64 bits", (long long)r.num,
                         (long long)r.den, (long long)scale);
    return LSS_OK;
}

lss_status lss_ratio_format(char *buf, size_t size, lss_ratio r, int decimals)
{
    if (buf == NULL || decimals < 0 || decimals > 18)
        return lss__fail(NULL, LSS_INVALID, "ratio: NULL buffer or decimals %d out of range (0 to 18)", decimals);
    if (size < LSS_RATIO_BUFSIZE)
        return lss__fail(NULL, LSS_INVALID, "ratio: buffer of %zu bytes is too small (need %d)", size,
                         LSS_RATIO_BUFSIZE);
    if (r.den == 0)
        return lss__fail(NULL, LSS_INVALID, "ratio: no value (denominator 0)");
    int64_t scale = 1, v;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    if (round_half_even(&v, r.num, r.den, scale))
        return lss__fail(NULL, LSS_OVERFLOW, "ratio: %lld / %lld at %d decimals exceeds 64 bits",
                         (long long)r.num, (long long)r.den, decimals);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t s = (uint64_t)scale;
    if (decimals == 0)
        snprintf(buf, size, "%s%llu", v < 0 ? "-" : "", (unsigned long long)u);
    else
        snprintf(buf, size, "%s%llu.%0*llu", v < 0 ? "-" : "", (unsigned long long)(u / s), decimals,
                 (unsigned long long)(u % s));
    return LSS_OK;
}

/* r x mult rounded half to even to `decimals` (0 to 6) places, in 128 bits
 * (a quota attainment's numerator is money in minor units: x 100 does not
 * fit 64 bits). False if buf is too small. */
bool lss__ratio_format_scaled(char *buf, size_t size, lss_ratio r, int decimals, int64_t mult)
{
    int64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    i128 q = div_half_even((i128)r.num * mult * scale, r.den); /* |num| < 2^63, mult * scale <= 10^8: below 2^90 */
    bool neg = q < 0;
    u128 u = neg ? (u128)0 - (u128)q : (u128)q;
    char digits[48];
    int k = 0;
    do {
        digits[k++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u || k <= decimals);
    size_t need = (size_t)k + (neg ? 1 : 0) + (decimals ? 1 : 0) + 1;
    if (need > size)
        return false;
    char *o = buf;
    if (neg)
        *o++ = '-';
    for (int i = k - 1; i >= 0; i--) {
        *o++ = digits[i];
        if (i == decimals && decimals)
            *o++ = '.';
    }
    *o = '\0';
    return true;
}

/* ---- query resolution ---------------------------------------------------- */

lss_status lss__mq_resolve(lss__mq *m, lss_db *db, const lss_query *q, const char *ctx)
{
    lss_query def = LSS_QUERY_INIT;
    if (q == NULL)
        q = &def;
    if (q->version < 1 || q->version > LSS_QUERY_VERSION)
        return lss__fail(db, LSS_VERSION, "%s: query version %u is not supported (expected 1 to %d)", ctx,
                         q->version, LSS_QUERY_VERSION);
    memset(m, 0, sizeof *m);
    m->threads = q->version >= 2 ? q->threads : 0; /* version 1 has no such field */
    if (m->threads > 64)
        return lss__fail(db, LSS_INVALID, "%s: threads %u is out of range (0 to 64)", ctx, m->threads);
    m->from_given = q->from;
    m->from = q->from == LSS_TIME_NONE ? 0 : q->from;
    if (q->to != LSS_TIME_NONE)
        m->to = q->to;
    else if (db->last_time == LSS_TIME_NONE)
        m->to = 1;
    else
        m->to = db->last_time < LSS_TIME_MAX ? db->last_time + 1 : LSS_TIME_MAX;
    if (m->from < 0 || m->to < 1 || m->to > LSS_TIME_MAX || m->from >= m->to) {
        char a[32], b[32];
        return lss__fail(db, LSS_INVALID, "%s: window [%s, %s) is empty or out of range (1970 to 9999)", ctx,
                         time_text(a, m->from), time_text(b, m->to));
    }
    m->as_of = q->version >= 3 && q->as_of != LSS_TIME_NONE ? q->as_of : m->to; /* version 3 has it */
    if (m->as_of < 1 || m->as_of > LSS_TIME_MAX)
        return lss__fail(db, LSS_INVALID, "%s: as_of %lld is out of range (1 to %lld)", ctx, (long long)m->as_of,
                         (long long)LSS_TIME_MAX);
    if (q->member && (m->member = lss__entity_get(db, LSS__REF_MEMBER, q->member)) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: filter member \"%.128s\" does not exist", ctx, q->member);
    if (q->channel != LSS_CHANNEL_ANY && lss_channel_name(q->channel) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: filter channel %d is not a channel", ctx, q->channel);
    m->channel = q->channel;
    m->pipeline = -1;
    if (q->version >= 3 && q->pipeline && (m->pipeline = lss__pipeline_find(db, q->pipeline)) < 0)
        return lss__fail(db, LSS_INVALID, "%s: filter pipeline \"%.128s\" does not exist", ctx, q->pipeline);
    /* interned: a team or segment nobody has matches nothing ("" is never interned) */
    if (q->team && (m->team = lss__intern_find(&db->teams, q->team)) == NULL)
        m->team = "";
    if (q->segment && (m->segment = lss__intern_find(&db->segments, q->segment)) == NULL)
        m->segment = "";
    return LSS_OK;
}

/* In W and known as of as_of. */
static bool in_window(lss_time t, const lss__mq *m)
{
    return t != LSS_TIME_NONE && t >= m->from && t < m->to && t < m->as_of;
}

/* Member and team filters: does the deal owner / ticket assignee / agent match? */
static bool person_match(const lss__mq *m, const lss_member *p)
{
    if (m->member && p != m->member)
        return false;
    if (m->team && (p == NULL || p->team != m->team))
        return false;
    return true;
}

static bool segment_match(const lss__mq *m, const lss_customer *c)
{
    return m->segment == NULL || lss_customer_segment_at(c, m->as_of) == m->segment;
}

/* ---- sales --------------------------------------------------------------- */

/* A deal as it was at `to`: the replay of its history entries with at < to. */
typedef struct deal_asof {
    bool exists;
    uint8_t stage, furthest;
    lss_money amount;
    const lss_member *owner;
    lss_time won_at, lost_at;
    lss_time close;       /* expected close */
    uint8_t forecast;     /* category */
    int own;              /* its own probability, or -1 */
} deal_asof;

static void deal_at(const lss_deal *d, lss_time to, deal_asof *s)
{
    if (d->last_at < to) { /* nothing happened to it since: the record says it */
        s->exists = true;
        s->stage = d->stage;
        s->furthest = d->furthest;
        s->amount = d->amount;
        s->owner = d->owner;
        s->won_at = d->stage == LSS_STAGE_WON ? d->last_at : LSS_TIME_NONE;
        s->lost_at = d->stage == LSS_STAGE_LOST ? d->last_at : LSS_TIME_NONE;
        s->close = d->expected_close;
        s->forecast = d->forecast;
        s->own = d->probability;
        return;
    }
    memset(s, 0, sizeof *s);
    s->won_at = s->lost_at = LSS_TIME_NONE;
    uint32_t i = 0;
    for (; i < d->hist.count; i++) {
        const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, i);
        lss_time at = lss__w_at(x->w);
        if (at >= to)
            break; /* a deal's events are in time order */
        if (!s->exists)
            s->furthest = LSS_STAGE_PROSPECT;
        s->exists = true;
        unsigned kind = LSS__DC_KIND(x), stage = LSS__DC_STAGE(x);
        s->stage = (uint8_t)stage;
        if (lss__dc_has_amount(kind))
            s->amount = x->v.amount;
        if (stage <= LSS_STAGE_WON && stage > s->furthest)
            s->furthest = (uint8_t)stage;
        if (kind == LSS_DEAL_WON)
            s->won_at = at;
        if (kind == LSS_DEAL_LOST)
            s->lost_at = at;
    }
    if (s->exists) {
        unsigned cat;
        s->owner = lss__deal_owner_after(d, i - 1);
        lss__deal_forecast_after(d, i - 1, &s->close, &cat, &s->own);
        s->forecast = (uint8_t)cat;
    }
}

static void set_ratio(lss_ratio *r, int64_t num, int64_t den)
{
    r->num = num;
    r->den = den;
}

/* A customer's wins before `to` (won is final: a deal won before `to` is won
 * as of `to`), gathered by one pass over the deals in the order they sit in
 * memory, so that the customer pass reads no deal. */
typedef struct cust_wins {
    int64_t value;
    lss_time first, last, last_before_from; /* LSS_TIME_NONE: none */
    uint32_t n;
    bool overflow; /* value exceeds 64 bits */
} cust_wins;


/* The customer pass: relationship metrics and lead conversion (segment only). */
/* A customer's latest NPS answer before as_of: counted when it was given in W. */
static void nps_add(lss_nps_metrics *n, const lss_customer *c, const lss__mq *m)
{
    lss_time at;
    int score = c->changes ? lss_customer_nps_at(c, m->as_of, &at) : -1;
    if (score < 0 || !in_window(at, m))
        return;
    n->nps_responses++;
    n->nps.num += score >= 9 ? 100 : score <= 6 ? -100 : 0;
}

/* A win of `amount` at `won` (LSS_TIME_NONE: none) into its customer's
 * wins as of m (won is final). */
static void wins_add(cust_wins *w, lss_time won, lss_money amount, const lss__mq *m)
{
    if (won == LSS_TIME_NONE || won >= m->as_of)
        return;
    w->n++;
    w->overflow |= __builtin_add_overflow(w->value, amount, &w->value);
    if (w->first == LSS_TIME_NONE || won < w->first)
        w->first = won;
    if (w->last == LSS_TIME_NONE || won > w->last)
        w->last = won;
    if (won < m->from && (w->last_before_from == LSS_TIME_NONE || won > w->last_before_from))
        w->last_before_from = won;
}

/* The relationship figures of one window being gathered, customer by customer. */
typedef struct rel_acc {
    lss_relationship_metrics r;
    lss_nps_metrics n;
    int64_t lead_num, ret_num, ret_den, buyers, repeat, value;
    bool overflow;
} rel_acc;

static void rel_begin(rel_acc *a, const lss__mq *m)
{
    memset(a, 0, sizeof *a);
    a->r.from = m->from_given;
    a->r.to = m->to;
}

/* Customer c, whose wins as of m are w. */
static void rel_customer(rel_acc *a, const lss_customer *c, const cust_wins *w, const lss__mq *m, bool nps)
{
    if (LSS__ADDED_AT(c) >= m->as_of || !segment_match(m, c) || a->overflow)
        return;
    lss_relationship_metrics *r = &a->r;
    a->overflow |= w->overflow || __builtin_add_overflow(a->value, w->value, &a->value);
    if (in_window(LSS__ADDED_AT(c), m)) {
        r->customers_added++;
        r->referrals += c->referred_by != NULL;
        a->lead_num += w->n > 0;
    }
    r->customers_converted += in_window(w->first, m);
    bool active = lss__customer_state_given(c, m->as_of, w->last) == LSS_CUSTOMER_STATE_ACTIVE;
    r->active_customers += active;
    /* as of from, with what is known as of as_of (nothing after as_of happened) */
    if (m->from_given != LSS_TIME_NONE &&
        lss__customer_state_given(c, m->from < m->as_of ? m->from : m->as_of, w->last_before_from) ==
            LSS_CUSTOMER_STATE_ACTIVE) {
        a->ret_den++;
        a->ret_num += active;
    }
    a->buyers += w->n > 0;
    a->repeat += w->n > 1;
    if (nps)
        nps_add(&a->n, c, m);
}

static lss_status rel_end(rel_acc *a, lss_relationship_metrics *out, lss_ratio *lead, lss_nps_metrics *nps,
                          lss_db *db)
{
    if (a->overflow)
        return lss__fail(db, LSS_OVERFLOW, "relationship metrics: a sum exceeds the 64-bit range of minor units");
    set_ratio(&a->r.retention_rate, a->ret_num, a->ret_den);
    set_ratio(&a->r.repeat_purchase_rate, a->repeat, a->buyers);
    set_ratio(&a->r.avg_customer_value, a->value, a->buyers);
    if (lead)
        set_ratio(lead, a->lead_num, a->r.customers_added);
    if (out)
        *out = a->r;
    if (nps) {
        a->n.nps.den = a->n.nps_responses;
        *nps = a->n;
    }
    return LSS_OK;
}

/* Adds b's counts to a's (the customer pass's parts, done by two threads). */
static void rel_add(rel_acc *a, const rel_acc *b)
{
    a->r.customers_added += b->r.customers_added;
    a->r.referrals += b->r.referrals;
    a->r.customers_converted += b->r.customers_converted;
    a->r.active_customers += b->r.active_customers;
    a->n.nps_responses += b->n.nps_responses;
    a->n.nps.num += b->n.nps.num;
    a->lead_num += b->lead_num;
    a->ret_num += b->ret_num;
    a->ret_den += b->ret_den;
    a->buyers += b->buyers;
    a->repeat += b->repeat;
    a->overflow |= b->overflow || __builtin_add_overflow(a->value, b->value, &a->value);
}

/* The quota rows of a window being made: counted and allocated on the
 * calling thread (quota_alloc), filled where the report likes, without
 * allocating (on the report's second thread for one window), handed over
 * or failed on the calling thread (quota_done). */
typedef struct quota_job {
    lss_quota_row *rows;
    uint32_t *first; /* each member's first row, LSS__NONE without one */
    uint32_t n;
    bool overflow;
} quota_job;

static void quota_rows(quota_job *qj, const lss_db *db, const lss__mq *m);
static void quota_deal(quota_job *qj, const lss_deal *d, const lss__mq *m);
static void quota_ratios(quota_job *qj);

/* Every customer's wins into cw (room for each): one pass over the deals
 * gathers them in the order the deals sit in memory, so that the customer
 * pass reads no deal; with quota rows qj (NULL: none), what each member
 * achieved in the same pass. */
static void rel_wins(cust_wins *cw, const lss_db *db, const lss__mq *m, quota_job *qj)
{
    for (uint32_t i = 0; i < db->customers.count; i++)
        cw[i] = (cust_wins){ 0, LSS_TIME_NONE, LSS_TIME_NONE, LSS_TIME_NONE, 0, false };
    if (qj && qj->n == 0)
        qj = NULL;
    if (qj)
        quota_rows(qj, db, m);
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        wins_add(&cw[d->customer_id], LSS__DEAL_WON_AT(d), LSS__DEAL_AMOUNT(d), m);
        if (qj)
            quota_deal(qj, d, m);
    }
    if (qj)
        quota_ratios(qj);
}

/* The customer pass into a, with room cw for every customer's wins (it
 * allocates nothing: it may run on the report's second thread). */
static void rel_fill(rel_acc *a, cust_wins *cw, const lss_db *db, const lss__mq *m, bool nps)
{
    rel_wins(cw, db, m, NULL);
    for (uint32_t i = 0; i < db->customers.count; i++)
        rel_customer(a, lss__slab_get(&db->customers, i), &cw[i], m, nps);
}

static lss_status rel_room(cust_wins **cw, lss_db *db)
{
    *cw = NULL;
    if (db->customers.count && (*cw = lss__malloc(sizeof **cw * db->customers.count)) == NULL)
        return lss__fail(db, LSS_NOMEM, "relationship metrics: out of memory for %u customers", db->customers.count);
    return LSS_OK;
}

static lss_status rel_pass(rel_acc *a, lss_db *db, const lss__mq *m, bool nps)
{
    cust_wins *cw;
    lss_status st = rel_room(&cw, db);
    if (st == LSS_OK)
        rel_fill(a, cw, db, m, nps);
    lss__free(cw);
    return st;
}

lss_status lss__relationship_compute(lss_relationship_metrics *out, lss_ratio *lead, lss_nps_metrics *nps, lss_db *db,
                                     const lss__mq *m)
{
    rel_acc a;
    rel_begin(&a, m);
    lss_status st = rel_pass(&a, db, m, nps != NULL);
    return st != LSS_OK ? st : rel_end(&a, out, lead, nps, db);
}

/* The won deals of a series, grouped by customer (a counting sort of one
 * pass over the deals): what the customer pass and the quota rows of every
 * window need of a deal, read in order instead of from each deal. */
typedef struct win {
    lss_time at;
    lss_money amount;
    uint32_t owner, customer;
} win;

typedef struct wins {
    win *v;
    uint32_t *first; /* customer i's wins are v[first[i] .. first[i + 1]) */
    uint32_t n;
} wins;

static void wins_free(wins *w)
{
    lss__free(w->v);
    lss__free(w->first);
    w->v = NULL;
    w->first = NULL;
}

/* The wins before `before` (the latest as_of of the series). */
static lss_status wins_get(wins *w, lss_db *db, lss_time before)
{
    uint32_t nc = db->customers.count;
    w->n = 0;
    w->v = NULL;
    if ((w->first = lss__malloc(sizeof *w->first * ((size_t)nc + 1))) == NULL)
        return lss__fail(db, LSS_NOMEM, "relationship metrics: out of memory for %u customers", nc);
    memset(w->first, 0, sizeof *w->first * ((size_t)nc + 1));
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        lss_time won = LSS__DEAL_WON_AT(d);
        if (won != LSS_TIME_NONE && won < before) {
            w->first[d->customer_id + 1]++;
            w->n++;
        }
    }
    if (w->n && (w->v = lss__malloc(sizeof *w->v * w->n)) == NULL) {
        wins_free(w);
        return lss__fail(db, LSS_NOMEM, "relationship metrics: out of memory for %u wins", w->n);
    }
    for (uint32_t i = 0; i < nc; i++)
        w->first[i + 1] += w->first[i];
    for (uint32_t i = 0; i < db->deals.count; i++) { /* first[c] runs to the end of c's wins, then back */
        const lss_deal *d = lss__slab_get(&db->deals, i);
        lss_time won = LSS__DEAL_WON_AT(d);
        if (won != LSS_TIME_NONE && won < before)
            w->v[w->first[d->customer_id]++] = (win){ won, LSS__DEAL_AMOUNT(d), d->owner->id, d->customer_id };
    }
    for (uint32_t i = nc; i > 0; i--)
        w->first[i] = w->first[i - 1];
    w->first[0] = 0;
    return LSS_OK;
}

/* n windows in one pass over the customers, each customer's wins read from
 * the wins table for every window. */
static lss_status relationship_compute_n(lss__report_parts *parts, lss_db *db, const lss__mq *m, uint32_t n,
                                         const wins *wt)
{
    rel_acc *a = lss__malloc(sizeof *a * n);
    cust_wins *w = lss__malloc(sizeof *w * n);
    if (a == NULL || w == NULL) {
        lss__free(a);
        lss__free(w);
        return lss__fail(db, LSS_NOMEM, "relationship metrics: out of memory");
    }
    for (uint32_t k = 0; k < n; k++)
        rel_begin(&a[k], &m[k]);
    for (uint32_t i = 0; i < db->customers.count; i++) {
        const lss_customer *c = lss__slab_get(&db->customers, i);
        for (uint32_t k = 0; k < n; k++) {
            w[k] = (cust_wins){ 0, LSS_TIME_NONE, LSS_TIME_NONE, LSS_TIME_NONE, 0, false };
            for (uint32_t x = wt->first[i]; x < wt->first[i + 1]; x++)
                wins_add(&w[k], wt->v[x].at, wt->v[x].amount, &m[k]);
            rel_customer(&a[k], c, &w[k], &m[k], true);
        }
    }
    lss_status st = LSS_OK;
    for (uint32_t k = 0; k < n && st == LSS_OK; k++)
        st = rel_end(&a[k], &parts[k].rel, &parts[k].sales.lead_conversion_rate, &parts[k].nps, db);
    lss__free(a);
    lss__free(w);
    return st;
}

/* The stays of one open stage that ended in W: their seconds. */
typedef struct stays {
    lss__vec v; /* int64_t */
    int64_t sum;
} stays;

/* The stay in stage `cur` from `since` to a change at `at` into st[cur] if
 * it is an open stage's and ended in W; false when there is no memory. */
static bool stay_add(stays st[4], unsigned cur, lss_time since, lss_time at, const lss__mq *m)
{
    if (cur > LSS_STAGE_NEGOTIATED || at < m->from)
        return true;
    stays *y = &st[cur];
    if (y->v.count == y->v.cap && lss__vec_reserve(&y->v, sizeof(int64_t), 1) != LSS_OK)
        return false;
    LSS__VEC_AT(&y->v, int64_t, y->v.count++) = at - since;
    y->sum += at - since;
    return true;
}

/* The stays of d that ended in W (before as_of) into st[stage]: a stay in s
 * runs from the event that put the deal in s to the next event that changed
 * its stage. They come from the deal's stays (its changes of stage, read in
 * order beside the records), or from its history when they do not say.
 * False when there is no memory for them. */
static bool deal_stays(stays st[4], const lss_deal *d, const lss__deal_stays *s, const lss__mq *m)
{
    unsigned cur = LSS_STAGE_PROSPECT;
    lss_time since = d->opened_at, end = m->as_of < m->to ? m->as_of : m->to;
    if (s->c[0] != LSS__STAYS_WALK) {
        for (unsigned k = 0; k < 4 && s->c[k] != LSS__STAYS_NONE; k++) {
            lss_time at = d->opened_at + (lss_time)(s->c[k] >> 3);
            if (at >= end)
                break;
            if (!stay_add(st, cur, since, at, m))
                return false;
            cur = s->c[k] & 7u;
            since = at;
        }
        return true;
    }
    for (uint32_t i = 1; i < d->hist.count; i++) {
        const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, i);
        lss_time at = lss__w_at(x->w);
        if (at >= end)
            break; /* a deal's events are in time order */
        unsigned stage = LSS__DC_STAGE(x);
        if (stage == cur)
            continue;
        if (!stay_add(st, cur, since, at, m))
            return false;
        cur = stage;
        since = at;
    }
    return true;
}

/* open x win_rate x avg_deal_size / avg_sales_cycle_days = open x revenue x won x 86400 / ((won + lost) x
 * cycle), in minor units per day, rounded half to even at the cent. */
static lss_status velocity(lss_ratio *out, int64_t open, const lss_sales_metrics *s, int64_t cycle)
{
    set_ratio(out, 0, 0);
    if (s->won == 0 || cycle == 0)
        return LSS_OK;
    i128 num = (i128)open * s->revenue * s->won * 86400, den = (i128)(s->won + s->lost) * cycle;
    i128 q = div_half_even(num, den);
    if (q > INT64_MAX || q < INT64_MIN)
        return LSS_OVERFLOW;
    set_ratio(out, (int64_t)q, 1);
    return LSS_OK;
}

static void duration_stats(lss_duration_stats *out, int64_t *v, int64_t n, int64_t sum);

/* The stays' mean and nearest-rank median, in days. */
static void stay_stats(lss_stage_duration *out, stays *y)
{
    lss_duration_stats d;
    duration_stats(&d, y->v.data, (int64_t)y->v.count, y->sum);
    out->stays = d.count;
    set_ratio(&out->mean_days, d.mean.num, d.mean.den * 86400);
    set_ratio(&out->median_days, d.median.num, d.median.den * 86400);
}

/* The sales figures of one window being gathered, deal by deal. */
typedef struct sales_acc {
    lss_sales_metrics s;
    lss_pipeline_metrics p;
    int64_t cycle, weighted, fc[4], fc_weighted;
    stays st[4];
    int *pct; /* the probability of each open stage in each pipeline as of as_of */
    bool overflow, nomem;
} sales_acc;

static lss_status sales_begin(sales_acc *a, lss_db *db, const lss__mq *m)
{
    memset(a, 0, sizeof *a);
    a->s.from = a->p.from = m->from_given;
    a->s.to = a->p.to = m->to;
    a->p.as_of = m->as_of;
    uint32_t np = db->pipelines.count + 1u;
    if ((a->pct = lss__malloc(sizeof *a->pct * 4u * np)) == NULL)
        return lss__fail(db, LSS_NOMEM, "sales metrics: out of memory");
    for (uint32_t k = 0; k < np; k++)
        for (unsigned g = 0; g <= LSS_STAGE_NEGOTIATED; g++)
            a->pct[k * 4 + g] = lss__stage_probability(db, k, g, m->as_of);
    return LSS_OK;
}

/* Deal d's part of the window m (its stays ds only when not NULL). */
static void sales_deal(sales_acc *a, const lss_deal *d, const lss__deal_stays *ds, const lss__mq *m)
{
    lss_time opened = LSS__DEAL_OPENED_AT(d);
    if (opened >= m->as_of || (m->pipeline >= 0 && d->pipeline != m->pipeline) || a->nomem)
        return;
    deal_asof x;
    deal_at(d, m->as_of, &x);
    if (!person_match(m, x.owner) || !segment_match(m, d->customer))
        return;
    lss_sales_metrics *s = &a->s;
    bool overflow = false;
    if (in_window(opened, m)) {
        s->deals_opened++;
        for (unsigned k = 0; k <= x.furthest && k < LSS_FUNNEL_STAGES; k++)
            s->funnel_reached[k]++;
    }
    if (x.stage == LSS_STAGE_WON && in_window(x.won_at, m)) {
        s->won++;
        overflow |= __builtin_add_overflow(s->revenue, x.amount, &s->revenue);
        overflow |= __builtin_add_overflow(a->cycle, x.won_at - opened, &a->cycle);
    }
    if (x.stage == LSS_STAGE_LOST && in_window(x.lost_at, m))
        s->lost++;
    if (x.stage <= LSS_STAGE_NEGOTIATED) {
        int64_t part;
        int prob = x.own >= 0 ? x.own : a->pct[d->pipeline * 4u + x.stage];
        a->p.open_deals++;
        overflow |= __builtin_add_overflow(s->open_pipeline, x.amount, &s->open_pipeline);
        overflow |= __builtin_mul_overflow(x.amount, (int64_t)prob, &part);
        overflow |= __builtin_add_overflow(a->weighted, part, &a->weighted);
        if (x.close != LSS_TIME_NONE && x.close >= m->from && x.close < m->to) { /* expected to close in W */
            overflow |= __builtin_add_overflow(a->fc[x.forecast], x.amount, &a->fc[x.forecast]);
            if (x.forecast != LSS_FORECAST_OMITTED)
                overflow |= __builtin_add_overflow(a->fc_weighted, part, &a->fc_weighted);
        }
    }
    a->overflow |= overflow;
    if (ds && d->last_at >= m->from && d->hist.count > 1)
        a->nomem = !deal_stays(a->st, d, ds, m);
}

/* The figures of a; frees what a holds. */
static lss_status sales_end(sales_acc *a, lss_sales_metrics *out, lss_pipeline_metrics *pm, lss_db *db)
{
    lss__free(a->pct);
    lss_sales_metrics *s = &a->s;
    lss_pipeline_metrics *p = &a->p;
    bool overflow = a->overflow;
    lss_status status = LSS_OK;
    if (a->nomem)
        status = lss__fail(db, LSS_NOMEM, "sales metrics: out of memory for the stage durations");
    else if (overflow)
        status = lss__fail(db, LSS_OVERFLOW, "sales metrics: a sum exceeds the 64-bit range of minor units");
    if (status == LSS_OK) {
        set_ratio(&s->win_rate, s->won, s->won + s->lost);
        set_ratio(&s->avg_deal_size, s->revenue, s->won);
        set_ratio(&s->avg_sales_cycle_days, a->cycle, s->won * 86400);
        set_ratio(&s->weighted_pipeline, a->weighted, 100);
        set_ratio(&s->funnel_conversion[0], 0, 0);
        for (int k = 1; k < LSS_FUNNEL_STAGES; k++)
            set_ratio(&s->funnel_conversion[k], s->funnel_reached[k], s->funnel_reached[k - 1]);
        lss_forecast *f = &p->forecast;
        f->closed = s->revenue;
        overflow |= __builtin_add_overflow(f->closed, a->fc[LSS_FORECAST_COMMIT], &f->commit);
        overflow |= __builtin_add_overflow(f->commit, a->fc[LSS_FORECAST_BEST_CASE], &f->best_case);
        overflow |= __builtin_add_overflow(f->best_case, a->fc[LSS_FORECAST_PIPELINE], &f->pipeline);
        int64_t part; /* closed is whole minor units: round the weighted part alone */
        overflow |= round_half_even(&part, a->fc_weighted, 100, 1) != LSS_OK;
        overflow |= __builtin_add_overflow(f->closed, part, &f->weighted.num);
        f->weighted.den = 1;
        if (overflow || velocity(&p->pipeline_velocity, p->open_deals, s, a->cycle) != LSS_OK)
            status = lss__fail(db, LSS_OVERFLOW, "sales metrics: a sum exceeds the 64-bit range of minor units");
        for (unsigned g = 0; g < 4 && pm; g++)
            stay_stats(&p->stage_durations[g], &a->st[g]);
    }
    for (unsigned g = 0; g < 4; g++)
        lss__vec_free(&a->st[g].v);
    if (status == LSS_OK) {
        if (out)
            *out = *s;
        if (pm)
            *pm = *p;
    }
    return status;
}

/* The sales figures of n windows m[0..n-1] in one pass over the deals. */
static lss_status sales_compute_n(lss__report_parts *parts, lss_db *db, const lss__mq *m, uint32_t n)
{
    sales_acc *a = lss__malloc(sizeof *a * n);
    if (a == NULL)
        return lss__fail(db, LSS_NOMEM, "sales metrics: out of memory");
    lss_status st = LSS_OK;
    uint32_t begun = 0;
    for (; begun < n && st == LSS_OK; begun++)
        st = sales_begin(&a[begun], db, &m[begun]);
    if (st != LSS_OK)
        begun--;
    for (uint32_t i = 0; i < db->deals.count && st == LSS_OK; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        const lss__deal_stays *ds = &LSS__VEC_AT(&db->deal_stays, lss__deal_stays, i);
        for (uint32_t k = 0; k < n; k++)
            sales_deal(&a[k], d, ds, &m[k]);
    }
    for (uint32_t k = 0; k < begun; k++) {
        lss_status e = sales_end(&a[k], &parts[k].sales, &parts[k].pipeline, db);
        if (st == LSS_OK)
            st = e;
    }
    lss__free(a);
    return st;
}

lss_status lss__sales_compute(lss_sales_metrics *out, lss_pipeline_metrics *pm, lss_db *db, const lss__mq *m,
                              bool with_lead)
{
    sales_acc a;
    lss_status status = sales_begin(&a, db, m);
    if (status != LSS_OK)
        return status;
    for (uint32_t i = 0; i < db->deals.count; i++)
        sales_deal(&a, lss__slab_get(&db->deals, i), pm ? &LSS__VEC_AT(&db->deal_stays, lss__deal_stays, i) : NULL,
                   m);
    lss_sales_metrics s;
    status = sales_end(&a, &s, pm, db);
    if (status == LSS_OK && with_lead)
        status = lss__relationship_compute(NULL, &s.lead_conversion_rate, NULL, db, m);
    if (status == LSS_OK && out)
        *out = s;
    return status;
}

/* ---- follow-up ------------------------------------------------------------- */

/* The follow-up figures of one window being gathered, task by task. */
typedef struct follow_acc {
    lss_follow_up_metrics f;
    int64_t on_time, past;
} follow_acc;

static void follow_task(follow_acc *a, const lss_task *t, const lss__mq *m)
{
    if (t->added_at >= m->as_of || !segment_match(m, t->customer))
        return;
    unsigned state = t->state;
    lss_time due = t->due, done_at = t->last_at; /* done is final: its last event */
    const lss_member *member = t->member;
    if (t->last_at >= m->as_of) { /* as of as_of, from its history */
        uint32_t k = 0;
        while (k + 1 < t->hist.count && lss__w_at(LSS__VEC_AT(&t->hist, lss__task_change, k + 1).w) < m->as_of)
            k++;
        const lss__task_change *x = &LSS__VEC_AT(&t->hist, lss__task_change, k);
        state = LSS__TK_STATE(x);
        done_at = lss__w_at(x->w);
        lss__task_after(t, k, &due, &member);
    }
    if (!person_match(m, member) || state == LSS_TASK_CANCELLED)
        return;
    if (due >= m->from && due < m->to) {
        a->f.tasks_due++;
        if (due < m->as_of) {
            a->past++;
            a->on_time += state == LSS_TASK_DONE && done_at <= due;
        }
    }
    a->f.tasks_overdue += state == LSS_TASK_OPEN && due < m->as_of;
}

static void follow_begin(follow_acc *a, const lss__mq *m)
{
    memset(a, 0, sizeof *a);
    a->f.from = m->from_given;
    a->f.to = m->to;
    a->f.as_of = m->as_of;
}

static lss_follow_up_metrics follow_end(follow_acc *a)
{
    set_ratio(&a->f.tasks_on_time_rate, a->on_time, a->past);
    return a->f;
}

/* The follow-up figures of n windows in one pass over the tasks. */
static void follow_up_compute_n(lss__report_parts *parts, const lss_db *db, const lss__mq *m, uint32_t n,
                                follow_acc *a)
{
    for (uint32_t k = 0; k < n; k++)
        follow_begin(&a[k], &m[k]);
    for (uint32_t i = 0; i < db->tasks.count; i++) {
        const lss_task *t = lss__slab_get(&db->tasks, i);
        for (uint32_t k = 0; k < n; k++)
            follow_task(&a[k], t, &m[k]);
    }
    for (uint32_t k = 0; k < n; k++)
        parts[k].follow_up = follow_end(&a[k]);
}

void lss__follow_up_compute(lss_follow_up_metrics *out, const lss_db *db, const lss__mq *m)
{
    lss__report_parts part;
    follow_acc a;
    follow_up_compute_n(&part, db, m, 1, &a);
    *out = part.follow_up;
}

/* ---- service ------------------------------------------------------------- */

/* A ticket as it was as of as_of. */
typedef struct ticket_asof {
    uint8_t state;
    bool record;            /* nothing happened to it since as_of: the record says it */
    const lss_member *assignee;
    lss_time first_contact, first_resolve, rated_at;
    uint32_t contacts_before_resolve;
    bool reopened;
    uint8_t score;
    int64_t aht_sum, aht_n; /* handle time: contacts made by the filtered member (team) in the window */
} ticket_asof;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reorder v[lo..hi] so that v[k] is the value a sort would put there, with
 * nothing greater before it and nothing smaller after it: quickselect with
 * Hoare's partition around the median of three, in linear time on average;
 * after 2 log2 n rounds (an input that defeats the pivot) it sorts the
 * range left. */
static void select_kth(int64_t *v, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t k)
{
    int rounds = 2 * (64 - __builtin_clzll((unsigned long long)(hi - lo + 1)));
    while (hi > lo) {
        if (rounds-- == 0) {
            qsort(v + lo, (size_t)(hi - lo + 1), sizeof *v, cmp_i64);
            return;
        }
        int64_t a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
        int64_t p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        ptrdiff_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i <= j) {
                int64_t x = v[i];
                v[i++] = v[j];
                v[j--] = x;
            }
        }
        /* v[lo..j] <= p, v[i..hi] >= p, and what lies between equals p */
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* Radix selection, for large inputs: a histogram of the values' top
 * RADIX_BITS bits above their minimum finds the buckets that hold ranks k1
 * and k2, and only the values of those buckets go on (to the front of v),
 * to be selected among by the same means. Three passes a level that count
 * and copy without a data-dependent branch, where quickselect's partitions
 * mispredict about once a value; the range shrinks 2^RADIX_BITS-fold a
 * level, so there are at most six. */
#define RADIX_BITS 11u
#define RADIX_MIN 2048u /* fewer values: quickselect */

void lss__select_two(int64_t *v, size_t n, size_t k1, size_t k2, int64_t *x1, int64_t *x2)
{
    if (n < RADIX_MIN) {
        select_kth(v, 0, (ptrdiff_t)n - 1, (ptrdiff_t)k1);
        select_kth(v, (ptrdiff_t)k1, (ptrdiff_t)n - 1, (ptrdiff_t)k2); /* what follows v[k1] is not smaller */
        *x1 = v[k1];
        *x2 = v[k2];
        return;
    }
    int64_t lo = v[0], hi = v[0];
    for (size_t i = 1; i < n; i++) {
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    if (lo == hi) {
        *x1 = *x2 = lo;
        return;
    }
    uint64_t base = (uint64_t)lo, range = (uint64_t)hi - base;
    unsigned bits = 64u - (unsigned)__builtin_clzll(range), shift = bits > RADIX_BITS ? bits - RADIX_BITS : 0;
    uint32_t count[1u << RADIX_BITS];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        count[((uint64_t)v[i] - base) >> shift]++;
    size_t below = 0, below1 = 0, below2 = 0;
    uint64_t b1 = 0, b2 = 0;
    for (uint64_t b = 0;; b++) { /* k1 <= k2 < n: both are found */
        if (k1 >= below && k1 < below + count[b])
            b1 = b, below1 = below;
        if (k2 < below + count[b]) {
            b2 = b, below2 = below;
            break;
        }
        below += count[b];
    }
    size_t w = 0; /* the values of buckets b1 and b2 to the front, in their order */
    for (size_t i = 0; i < n; i++) {
        uint64_t b = ((uint64_t)v[i] - base) >> shift;
        v[w] = v[i];
        w += (b == b1) | (b == b2);
    }
    if (b1 == b2) {
        lss__select_two(v, w, k1 - below1, k2 - below1, x1, x2);
        return;
    }
    /* b1 < b2: bucket b1's values before bucket b2's */
    size_t c1 = 0;
    for (size_t i = 0; i < w; i++)
        if ((((uint64_t)v[i] - base) >> shift) == b1) {
            int64_t t = v[c1];
            v[c1++] = v[i];
            v[i] = t;
        }
    int64_t ignored;
    lss__select_two(v, c1, k1 - below1, k1 - below1, x1, &ignored);
    lss__select_two(v + c1, w - c1, k2 - below2, k2 - below2, x2, &ignored);
}

/* Mean and nearest-rank percentiles (rank ceil(p/100 n), 1-based); reorders v. */
static void duration_stats(lss_duration_stats *out, int64_t *v, int64_t n, int64_t sum)
{
    memset(out, 0, sizeof *out);
    out->count = n;
    set_ratio(&out->mean, sum, n);
    if (n == 0)
        return;
    int64_t median, p90;
    lss__select_two(v, (size_t)n, (size_t)((n + 1) / 2 - 1), (size_t)((9 * n + 9) / 10 - 1), &median, &p90);
    set_ratio(&out->median, median, 1);
    set_ratio(&out->p90, p90, 1);
}

/* Fold t's history up to m->as_of; the handle time of the contacts in the
 * window by the filtered people. */
static void ticket_as_of(ticket_asof *a, const lss_ticket *t, const lss__mq *m)
{
    if (t->last_at < m->as_of && !(t->marks & LSS__TM_WALK)) { /* nothing happened to it since: the record says it */
        *a = (ticket_asof){ t->state, true, t->assignee, lss__ticket_mark(t, t->contact_after),
                            lss__ticket_mark(t, t->resolve_after), lss__ticket_mark(t, t->rated_after),
                            t->contacts_before_resolve, t->reopened, t->score, 0, 0 };
        if (t->contacts == 0)
            return;
        if (m->member == NULL && m->team == NULL && t->opened_at >= m->from && t->last_at < m->to) {
            a->aht_sum = t->handle_sum; /* every contact counts */
            a->aht_n = t->contacts;
            return;
        }
        for (uint32_t k = 1; k < t->hist.count; k++) {
            const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, k);
            if (LSS__TC_KIND(x) == LSS_TICKET_EV_CONTACT && in_window(lss__w_at(x->w), m) &&
                person_match(m, x->v.agent)) {
                a->aht_sum += x->duration;
                a->aht_n++;
            }
        }
        return;
    }
    *a = (ticket_asof){ LSS_TICKET_NEW, false, NULL, LSS_TIME_NONE, LSS_TIME_NONE, LSS_TIME_NONE, 0, false, 0, 0, 0 };
    for (uint32_t k = 0; k < t->hist.count; k++) {
        const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, k);
        lss_time at = lss__w_at(x->w);
        if (at >= m->as_of)
            break; /* a ticket's events are in time order */
        a->state = (uint8_t)LSS__TC_STATE(x);
        switch (LSS__TC_KIND(x)) {
        case LSS_TICKET_EV_ASSIGN:
            a->assignee = x->v.agent;
            break;
        case LSS_TICKET_EV_CONTACT:
            if (a->first_contact == LSS_TIME_NONE)
                a->first_contact = at;
            if (a->first_resolve == LSS_TIME_NONE)
                a->contacts_before_resolve++;
            if (in_window(at, m) && person_match(m, x->v.agent)) {
                a->aht_sum += x->duration; /* <= 31536000 each: no overflow below 2^38 contacts */
                a->aht_n++;
            }
            break;
        case LSS_TICKET_EV_RESOLVE:
            if (a->first_resolve == LSS_TIME_NONE)
                a->first_resolve = at;
            break;
        case LSS_TICKET_EV_REOPEN:
            a->reopened = true;
            break;
        case LSS_TICKET_EV_RATE:
            a->rated_at = at;
            a->score = (int)LSS__TC_SCORE(x);
            break;
        default:
            break;
        }
    }
}

/* What the service levels need of a ticket beyond ticket_asof: the SLA
 * clock at its first contact and first resolve, its latest resolve, and the
 * two outcomes, as of as_of. From the record when it says them (nothing
 * happened since, and the marks fit), else from a fold of the history. */
typedef struct ticket_levels {
    int64_t clock_contact, clock_resolve;
    lss_time last_resolve;
    lss_sla_outcome response, resolution;
} ticket_levels;

static void ticket_levels_of(ticket_levels *l, const lss_ticket *t, const ticket_asof *a, const lss__mq *m)
{
    if (a->record && (a->first_contact == LSS_TIME_NONE || t->clock_contact != LSS__MARK_NONE) &&
        (a->first_resolve == LSS_TIME_NONE || t->clock_resolve != LSS__MARK_NONE)) {
        l->clock_contact = t->clock_contact;
        l->clock_resolve = t->clock_resolve;
        l->last_resolve = a->first_resolve;
        if (a->reopened) /* the latest resolve is in the history */
            for (uint32_t k = t->hist.count; k-- > 1;) {
                const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, k);
                if (LSS__TC_KIND(x) == LSS_TICKET_EV_RESOLVE) {
                    l->last_resolve = lss__w_at(x->w);
                    break;
                }
            }
        lss__ticket_sla_outcomes(t, m->as_of, &l->response, &l->resolution);
        return;
    }
    lss__sla_fold f;
    f.target = -1;
    lss__ticket_sla_fold(t, m->as_of, &f);
    l->clock_contact = f.clock_contact;
    l->clock_resolve = f.clock_resolve;
    l->last_resolve = f.last_resolve;
    lss__sla_fold_outcomes(t, &f, &l->response, &l->resolution);
}

/* A set of durations being gathered: room for cap (grown when full, unless
 * it was sized for every ticket). */
typedef struct durations {
    int64_t *v, n, cap, sum;
} durations;

static bool durations_add(durations *d, int64_t x)
{
    if (d->n == d->cap) {
        int64_t cap = d->cap ? 2 * d->cap : 64;
        int64_t *v = lss__realloc(d->v, sizeof *v * (size_t)cap);
        if (v == NULL)
            return false;
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = x;
    d->sum += x;
    return true;
}

static int backlog_bucket(lss_time age)
{
    static const lss_time upper[LSS_BACKLOG_AGE_BUCKETS - 1] = { 86400, 3 * 86400, 7 * 86400, 30 * 86400 };
    int k = 0;
    while (k < LSS_BACKLOG_AGE_BUCKETS - 1 && age >= upper[k])
        k++;
    return k;
}

/* The service figures of one window being gathered, ticket by ticket. */
enum { R_RESP, R_RESO, R_RESP_BIZ, R_RESO_BIZ, R_FULL, R_COUNT };
typedef struct service_acc {
    lss_service_metrics s;
    lss_service_levels l;
    durations d[R_COUNT];
    int64_t fcr, aht_sum, aht_n, ratings, good, score_sum;
    int64_t reopen_num, reopen_den, sla_num, sla_den;
    int64_t fr_num, fr_den, res_num, res_den;
    bool nomem;
} service_acc;

static void service_acc_free(service_acc *a)
{
    for (int k = 0; k < R_COUNT; k++)
        lss__free(a->d[k].v);
}

/* With `room` tickets' room for each kind of duration (the pass then cannot fail). */
static lss_status service_begin(service_acc *a, lss_db *db, const lss__mq *m, uint32_t room)
{
    memset(a, 0, sizeof *a);
    a->s.from = a->l.from = m->from_given;
    a->s.to = a->l.to = m->to;
    a->l.as_of = m->as_of;
    bool fail = false;
    for (int k = 0; k < R_COUNT && room; k++) {
        a->d[k].cap = room;
        if ((a->d[k].v = lss__malloc(sizeof(int64_t) * room)) == NULL)
            fail = true;
    }
    if (fail) {
        service_acc_free(a);
        return lss__fail(db, LSS_NOMEM, "service metrics: out of memory for %u durations", room);
    }
    return LSS_OK;
}

static void service_ticket(service_acc *a, const lss_ticket *t, const lss__mq *m)
{
    lss_time opened = LSS__TICKET_OPENED_AT(t);
    if (opened >= m->as_of || (m->channel != LSS_CHANNEL_ANY && t->channel != m->channel) ||
        !segment_match(m, t->customer))
        return;
    ticket_asof x;
    ticket_as_of(&x, t, m);
    a->aht_sum += x.aht_sum;
    a->aht_n += x.aht_n;
    if (!person_match(m, x.assignee))
        return;
    bool backlog = x.state == LSS_TICKET_NEW || x.state == LSS_TICKET_OPEN || x.state == LSS_TICKET_PENDING;
    if (in_window(x.rated_at, m)) {
        a->ratings++;
        a->good += x.score >= 4;
        a->score_sum += x.score;
    }
    bool opened_in_w = in_window(opened, m);
    if (!opened_in_w && !backlog)
        return;
    ticket_levels tl;
    ticket_levels_of(&tl, t, &x, m);
    if (backlog) {
        a->s.backlog++;
        a->l.backlog_age[backlog_bucket(m->as_of - opened)]++;
        a->l.backlog_breached += tl.response == LSS_SLA_MISSED || tl.resolution == LSS_SLA_MISSED;
    }
    if (!opened_in_w)
        return;
    bool ok = true;
    a->s.tickets_opened++;
    if (x.state == LSS_TICKET_RESOLVED || x.state == LSS_TICKET_CLOSED) {
        a->s.resolved++;
        a->fcr += x.contacts_before_resolve <= 1 && !x.reopened;
        ok &= durations_add(&a->d[R_FULL], tl.last_resolve - opened);
    }
    if (x.first_contact != LSS_TIME_NONE) {
        ok &= durations_add(&a->d[R_RESP], x.first_contact - opened);
        ok &= durations_add(&a->d[R_RESP_BIZ], tl.clock_contact);
    }
    if (x.first_resolve != LSS_TIME_NONE) {
        ok &= durations_add(&a->d[R_RESO], x.first_resolve - opened);
        ok &= durations_add(&a->d[R_RESO_BIZ], tl.clock_resolve);
        a->reopen_den++;
        a->reopen_num += x.reopened;
    }
    a->nomem |= !ok;
    lss_sla_outcome o1 = tl.response, o2 = tl.resolution;
    if (o1 == LSS_SLA_MISSED || o2 == LSS_SLA_MISSED || (o1 != LSS_SLA_UNDECIDED && o2 != LSS_SLA_UNDECIDED)) {
        a->sla_den++;
        a->sla_num += o1 == LSS_SLA_MET && o2 == LSS_SLA_MET;
    }
    a->fr_den += o1 != LSS_SLA_UNDECIDED;
    a->fr_num += o1 == LSS_SLA_MET;
    a->res_den += o2 != LSS_SLA_UNDECIDED;
    a->res_num += o2 == LSS_SLA_MET;
}

/* The figures of a (either output may be NULL); frees what a holds. */
/* The figures of a into out and lv (either may be NULL); it cannot fail and
 * frees nothing (it runs on the report's second thread): false when the
 * pass ran out of memory. */
static bool service_finish(service_acc *a, lss_service_metrics *out, lss_service_levels *lv)
{
    if (a->nomem)
        return false;
    lss_service_metrics *s = &a->s;
    lss_service_levels *l = &a->l;
    durations *d = a->d;
    set_ratio(&s->resolution_rate, s->resolved, s->tickets_opened);
    set_ratio(&s->fcr_rate, a->fcr, s->resolved);
    set_ratio(&s->aht_seconds, a->aht_sum, a->aht_n);
    set_ratio(&s->csat_percent, 100 * a->good, a->ratings);
    set_ratio(&s->csat_mean, a->score_sum, a->ratings);
    duration_stats(&s->first_response_seconds, d[R_RESP].v, d[R_RESP].n, d[R_RESP].sum);
    duration_stats(&s->resolution_seconds, d[R_RESO].v, d[R_RESO].n, d[R_RESO].sum);
    set_ratio(&s->reopen_rate, a->reopen_num, a->reopen_den);
    set_ratio(&s->sla_compliance, a->sla_num, a->sla_den);
    set_ratio(&l->sla_first_response_compliance, a->fr_num, a->fr_den);
    set_ratio(&l->sla_resolution_compliance, a->res_num, a->res_den);
    duration_stats(&l->first_response_business_seconds, d[R_RESP_BIZ].v, d[R_RESP_BIZ].n, d[R_RESP_BIZ].sum);
    duration_stats(&l->resolution_business_seconds, d[R_RESO_BIZ].v, d[R_RESO_BIZ].n, d[R_RESO_BIZ].sum);
    duration_stats(&l->full_resolution_seconds, d[R_FULL].v, d[R_FULL].n, d[R_FULL].sum);
    if (out)
        *out = *s;
    if (lv)
        *lv = *l;
    return true;
}

/* The figures of a (either output may be NULL); frees what a holds. */
static lss_status service_end(service_acc *a, lss_service_metrics *out, lss_service_levels *lv, lss_db *db)
{
    bool ok = service_finish(a, out, lv);
    service_acc_free(a);
    return ok ? LSS_OK : lss__fail(db, LSS_NOMEM, "service metrics: out of memory for the durations");
}

/* The ticket pass over n windows (it may run in a second thread). */
static void service_pass(service_acc *a, const lss_db *db, const lss__mq *m, uint32_t n)
{
    for (uint32_t i = 0; i < db->tickets.count; i++) {
        const lss_ticket *t = lss__slab_get(&db->tickets, i);
        for (uint32_t k = 0; k < n; k++)
            service_ticket(&a[k], t, &m[k]);
    }
}

lss_status lss__service_compute(lss_service_metrics *out, lss_service_levels *lv, lss_db *db, const lss__mq *m)
{
    service_acc a;
    lss_status st = service_begin(&a, db, m, db->tickets.count);
    if (st != LSS_OK)
        return st;
    service_pass(&a, db, m, 1);
    return service_end(&a, out, lv, db);
}

/* ---- the report's passes, on up to two threads ----------------------------- */

static lss_status quota_compute(lss_quota_row **out, uint32_t *count, lss_db *db, const lss__mq *m, const wins *wt);
static lss_status quota_alloc(quota_job *qj, lss_db *db, const lss__mq *m);
static lss_status quota_done(quota_job *qj, lss_quota_row **out, uint32_t *count, lss_db *db);

/* Below this many deals and tickets a second thread costs more than it saves. */
#define THREAD_MIN_ENTITIES 5000u

typedef struct service_job {
    service_acc *a;
    follow_acc *fa;
    const lss_db *db;
    const lss__mq *m;
    uint32_t n;
    lss__report_parts *p;
    bool *done; /* done[k]: window k's service figures are in p[k] */
    /* one window: its quota rows (qj) and the customer pass, into room cw; the thread done first gathers the
       wins and the quotas' achieved amounts in one pass over the deals, then both take the customers by chunks,
       each into its own ra[k] (a series reads its quotas from the wins table, made after) */
    quota_job *qj;
    rel_acc *ra;
    cust_wins *cw;
    atomic_bool rel_taken;
    atomic_uint_fast64_t rel_next; /* the first customer of the next chunk */
    bool wins_ready;               /* cw is filled (under mu; cv tells) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} service_job;

#define REL_CHUNK 4096u

/* Customers by chunks (the next one not taken by the other thread) into a. */
static void rel_customers(rel_acc *a, service_job *j)
{
    uint32_t count = j->db->customers.count;
    for (;;) {
        uint64_t from = atomic_fetch_add(&j->rel_next, REL_CHUNK);
        if (from >= count)
            return;
        uint32_t to = from + REL_CHUNK < count ? (uint32_t)from + REL_CHUNK : count;
        for (uint32_t i = (uint32_t)from; i < to; i++)
            rel_customer(a, lss__slab_get(&j->db->customers, i), &j->cw[i], j->m, true);
    }
}

/* The customer pass of one window: the first thread here gathers the wins
 * and takes customers; the other waits for the wins and takes customers
 * too, so that neither sits idle while the other has a long pass left. */
static void rel_claim(service_job *j)
{
    if (j->ra == NULL)
        return;
    bool first = !atomic_exchange(&j->rel_taken, true);
    if (first) {
        rel_wins(j->cw, j->db, j->m, j->qj);
        pthread_mutex_lock(&j->mu);
        j->wins_ready = true;
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
    } else {
        pthread_mutex_lock(&j->mu);
        while (!j->wins_ready)
            pthread_cond_wait(&j->cv, &j->mu);
        pthread_mutex_unlock(&j->mu);
    }
    rel_customers(&j->ra[first ? 0 : 1], j);
}

/* The ticket pass and its figures (the percentiles' selection with them)
 * and the task pass; then, for one window, the customer pass with the
 * calling thread (rel_claim). Which of the two threads is done first
 * depends on the window (a year: the deals are longer; a month: the
 * tickets). */
static void service_run(service_job *j)
{
    service_pass(j->a, j->db, j->m, j->n);
    for (uint32_t k = 0; k < j->n; k++)
        j->done[k] = service_finish(&j->a[k], &j->p[k].service, &j->p[k].levels);
    follow_up_compute_n(j->p, j->db, j->m, j->n, j->fa);
    rel_claim(j);
}

static void *service_thread(void *arg)
{
    service_run(arg);
    return NULL;
}

/* The calling thread's part of a report of n > 1 windows: the deal pass,
 * the wins table, the customer pass and each window's quota rows. */
static lss_status report_n_calling_thread(lss__report_parts *p, lss_quota_row **quota, uint32_t *nquota, lss_db *db,
                                          const lss__mq *m, uint32_t n)
{
    wins wt = { NULL, NULL, 0 };
    lss_time before = 0;
    for (uint32_t k = 0; k < n; k++)
        before = m[k].as_of > before ? m[k].as_of : before;
    lss_status st = sales_compute_n(p, db, m, n);
    if (st == LSS_OK)
        st = wins_get(&wt, db, before);
    if (st == LSS_OK)
        st = relationship_compute_n(p, db, m, n, &wt);
    for (uint32_t k = 0; k < n && st == LSS_OK; k++)
        st = quota_compute(&quota[k], &nquota[k], db, &m[k], &wt);
    wins_free(&wt);
    return st;
}

/* What the passes over n windows set aside before they start (so that the
 * second thread allocates nothing for one window). */
typedef struct report_mem {
    service_acc *sa;
    follow_acc *fa;
    bool *done;
    quota_job qj; /* one window's quota rows */
    rel_acc ra[2]; /* one window's customer pass (a part by each thread), and its room */
    cust_wins *cw;
} report_mem;

static void report_mem_free(report_mem *r, uint32_t begun)
{
    for (uint32_t k = 0; k < begun; k++)
        service_acc_free(&r->sa[k]);
    lss__free(r->qj.first);
    lss__free(r->qj.rows);
    lss__free(r->cw);
    lss__free(r->sa);
    lss__free(r->fa);
    lss__free(r->done);
}

static lss_status report_mem_get(report_mem *r, lss_db *db, const lss__mq *m, uint32_t n)
{
    r->sa = lss__malloc(sizeof *r->sa * n);
    r->fa = lss__malloc(sizeof *r->fa * n);
    r->done = lss__malloc(sizeof *r->done * n);
    r->qj = (quota_job){ NULL, NULL, 0, false };
    r->cw = NULL;
    if (r->sa == NULL || r->fa == NULL || r->done == NULL) {
        report_mem_free(r, 0);
        return lss__fail(db, LSS_NOMEM, "report: out of memory for %u windows", n);
    }
    /* one window gets room for every ticket (the pass cannot fail); several grow theirs */
    lss_status st = LSS_OK;
    uint32_t begun = 0; /* a service_begin that fails frees what it took */
    for (; begun < n && st == LSS_OK; begun++)
        if ((st = service_begin(&r->sa[begun], db, &m[begun], n == 1 ? db->tickets.count : 0)) != LSS_OK)
            begun--;
    if (st == LSS_OK && n == 1)
        st = quota_alloc(&r->qj, db, m);
    if (st == LSS_OK && n == 1) {
        rel_begin(&r->ra[0], m);
        rel_begin(&r->ra[1], m);
        st = rel_room(&r->cw, db);
    }
    if (st != LSS_OK)
        report_mem_free(r, begun);
    return st;
}

lss_status lss__report_compute_n(lss__report_parts *p, lss_quota_row **quota, uint32_t *nquota, lss_db *db,
                                 const lss__mq *m, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        quota[k] = NULL;
        nquota[k] = 0;
    }
    report_mem r;
    lss_status st = report_mem_get(&r, db, m, n);
    if (st != LSS_OK)
        return st;
    /* the ticket and task passes (and one window's quota rows) read what the others read and write only their own
       accumulators, rows and figures, into memory set aside here */
    service_job job = { .a = r.sa, .fa = r.fa, .db = db, .m = m, .n = n, .p = p, .done = r.done,
                        .qj = n == 1 ? &r.qj : NULL, .ra = n == 1 ? r.ra : NULL, .cw = r.cw };
    if (pthread_mutex_init(&job.mu, NULL) != 0) {
        report_mem_free(&r, n);
        return lss__fail(db, LSS_NOMEM, "report: the system gives no mutex");
    }
    if (pthread_cond_init(&job.cv, NULL) != 0) {
        pthread_mutex_destroy(&job.mu);
        report_mem_free(&r, n);
        return lss__fail(db, LSS_NOMEM, "report: the system gives no condition variable");
    }
    pthread_t worker;
    /* several windows grow their arrays of durations as the pass goes: meanwhile the allocator is called
       under a lock (lss__alloc_shared) */
    bool threaded = m->threads != 1 && db->deals.count + db->tickets.count >= THREAD_MIN_ENTITIES;
    if (threaded && n > 1)
        lss__alloc_shared(true);
    if (threaded && pthread_create(&worker, NULL, service_thread, &job) != 0) {
        threaded = false;
        if (n > 1)
            lss__alloc_shared(false);
    }
    if (!threaded)
        service_run(&job);
    if (n == 1) {
        st = lss__sales_compute(&p->sales, &p->pipeline, db, m, false);
        rel_claim(&job);
    } else {
        st = report_n_calling_thread(p, quota, nquota, db, m, n);
    }
    if (threaded) {
        pthread_join(worker, NULL);
        if (n > 1)
            lss__alloc_shared(false);
    }
    pthread_cond_destroy(&job.cv);
    pthread_mutex_destroy(&job.mu);
    if (n == 1 && st == LSS_OK) { /* one customer pass for the three */
        rel_add(&r.ra[0], &r.ra[1]);
        st = rel_end(&r.ra[0], &p->rel, &p->sales.lead_conversion_rate, &p->nps, db);
    }
    if (n == 1 && st == LSS_OK) {
        st = quota_done(&r.qj, quota, nquota, db);
        r.qj = (quota_job){ NULL, NULL, 0, false }; /* handed over or freed */
    }
    for (uint32_t k = 0; k < n && st == LSS_OK; k++)
        if (!r.done[k])
            st = lss__fail(db, LSS_NOMEM, "service metrics: out of memory for the durations");
    for (uint32_t k = 0; k < n && st != LSS_OK; k++) {
        lss__free(quota[k]);
        quota[k] = NULL;
        nquota[k] = 0;
    }
    report_mem_free(&r, n);
    return st;
}

lss_status lss__report_compute(lss__report_parts *p, lss_quota_row **quota, uint32_t *nquota, lss_db *db,
                               const lss__mq *m)
{
    return lss__report_compute_n(p, quota, nquota, db, m, 1);
}

/* ---- quotas -------------------------------------------------------------- */

/* Index of the quota.set that holds member m's target for the period of
 * entry i as of `to`: the latest set of that period before `to`; -1 when
 * entry i is not the first set of its period before `to` (or not before `to`). */
static int64_t quota_latest(const lss_member *m, uint32_t i, lss_time to)
{
    const lss_quota *q = &LSS__VEC_AT(&m->quotas, lss__quota, i).q;
    if (q->set_at >= to)
        return -1;
    for (uint32_t k = 0; k < i; k++) {
        const lss_quota *p = &LSS__VEC_AT(&m->quotas, lss__quota, k).q;
        if (p->from == q->from && p->to == q->to && p->set_at < to)
            return -1;
    }
    int64_t latest = i;
    for (uint32_t k = i + 1; k < m->quotas.count; k++) {
        const lss_quota *p = &LSS__VEC_AT(&m->quotas, lss__quota, k).q;
        if (p->from == q->from && p->to == q->to && p->set_at < to)
            latest = k;
    }
    return latest;
}

static int cmp_row(const void *pa, const void *pb)
{
    const lss_quota_row *a = pa, *b = pb;
    int c = strcmp(a->member->key, b->member->key);
    if (c)
        return c;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

/* Achieved amounts of rows (sorted by member), from one pass over the deals.
 * first[member id] is the member's first row or LSS__NONE. */
static void quota_win(lss_quota_row *rows, uint32_t n, uint32_t r, const lss_member *owner, lss_time won,
                      lss_money amount, bool *overflow)
{
    for (; r < n && rows[r].member == owner; r++)
        if (won >= rows[r].from && won < rows[r].to)
            *overflow |= __builtin_add_overflow(rows[r].achieved, amount, &rows[r].achieved);
}

/* Won deal d's part of the quota rows qj (rows sorted by member; first[member id] is the member's first row or
 * LSS__NONE). */
static void quota_deal(quota_job *qj, const lss_deal *d, const lss__mq *m)
{
    lss_time won = LSS__DEAL_WON_AT(d);
    if (won == LSS_TIME_NONE || won >= m->as_of || qj->first[d->owner->id] == LSS__NONE)
        return; /* the owner cannot change after the win: d->owner is the owner at win time */
    if (!segment_match(m, d->customer))
        return;
    quota_win(qj->rows, qj->n, qj->first[d->owner->id], d->owner, won, LSS__DEAL_AMOUNT(d), &qj->overflow);
}

/* Achieved amounts of qj's rows from one pass over the deals, or with a
 * wins table (a series) from it. */
static void quota_achieved(quota_job *qj, const lss_db *db, const lss__mq *m, const wins *wt)
{
    for (uint32_t i = 0; wt && i < wt->n; i++) {
        const win *x = &wt->v[i];
        if (x->at >= m->as_of || qj->first[x->owner] == LSS__NONE ||
            (m->segment && !segment_match(m, lss__slab_get(&db->customers, x->customer))))
            continue;
        quota_win(qj->rows, qj->n, qj->first[x->owner], lss__slab_get(&db->members, x->owner), x->at, x->amount,
                  &qj->overflow);
    }
    for (uint32_t i = 0; !wt && i < db->deals.count; i++)
        quota_deal(qj, lss__slab_get(&db->deals, i), m);
}

static void quota_ratios(quota_job *qj)
{
    for (uint32_t r = 0; r < qj->n; r++)
        set_ratio(&qj->rows[r].attainment, qj->rows[r].achieved, qj->rows[r].target);
}

static lss_status quota_alloc(quota_job *qj, lss_db *db, const lss__mq *m)
{
    *qj = (quota_job){ NULL, NULL, 0, false };
    uint32_t n = 0;
    for (uint32_t i = 0; i < db->members.count; i++) {
        const lss_member *p = lss__slab_get(&db->members, i);
        if (!person_match(m, p))
            continue;
        for (uint32_t k = 0; k < p->quotas.count; k++) {
            const lss_quota *q = &LSS__VEC_AT(&p->quotas, lss__quota, k).q;
            n += q->from < m->to && q->to > m->from && quota_latest(p, k, m->as_of) >= 0;
        }
    }
    if (n == 0)
        return LSS_OK;
    qj->rows = lss__malloc(sizeof *qj->rows * n);
    qj->first = lss__malloc(sizeof *qj->first * db->members.count);
    if (qj->rows == NULL || qj->first == NULL) {
        lss__free(qj->rows);
        lss__free(qj->first);
        *qj = (quota_job){ NULL, NULL, 0, false };
        return lss__fail(db, LSS_NOMEM, "quota attainment: out of memory for %u rows", n);
    }
    qj->n = n;
    return LSS_OK;
}

/* The rows of m, sorted, with nothing achieved yet. */
static void quota_rows(quota_job *qj, const lss_db *db, const lss__mq *m)
{
    if (qj->n == 0)
        return;
    uint32_t r = 0;
    for (uint32_t i = 0; i < db->members.count; i++) {
        lss_member *p = lss__slab_get(&db->members, i);
        qj->first[i] = LSS__NONE;
        if (!person_match(m, p))
            continue;
        for (uint32_t k = 0; k < p->quotas.count; k++) {
            const lss_quota *q = &LSS__VEC_AT(&p->quotas, lss__quota, k).q;
            int64_t latest;
            if (!(q->from < m->to && q->to > m->from) || (latest = quota_latest(p, k, m->as_of)) < 0)
                continue;
            lss_quota_row row = { p, q->from, q->to, LSS__VEC_AT(&p->quotas, lss__quota, latest).q.target, 0, { 0, 0 } };
            qj->rows[r++] = row;
        }
    }
    qsort(qj->rows, qj->n, sizeof *qj->rows, cmp_row);
    for (uint32_t i = qj->n; i-- > 0;)
        qj->first[qj->rows[i].member->id] = i;
}

/* The rows of m and what each member achieved; with a wins table (a
 * series), the won deals from it. */
static void quota_fill(quota_job *qj, const lss_db *db, const lss__mq *m, const wins *wt)
{
    if (qj->n == 0)
        return;
    quota_rows(qj, db, m);
    quota_achieved(qj, db, m, wt);
    quota_ratios(qj);
}

static lss_status quota_done(quota_job *qj, lss_quota_row **out, uint32_t *count, lss_db *db)
{
    lss__free(qj->first);
    *out = NULL;
    *count = 0;
    if (qj->overflow) {
        lss__free(qj->rows);
        return lss__fail(db, LSS_OVERFLOW, "quota attainment: a sum exceeds the 64-bit range of minor units");
    }
    *out = qj->rows;
    *count = qj->n;
    return LSS_OK;
}

static lss_status quota_compute(lss_quota_row **out, uint32_t *count, lss_db *db, const lss__mq *m, const wins *wt)
{
    quota_job qj;
    lss_status st = quota_alloc(&qj, db, m);
    if (st != LSS_OK) {
        *out = NULL;
        *count = 0;
        return st;
    }
    quota_fill(&qj, db, m, wt);
    return quota_done(&qj, out, count, db);
}

lss_status lss__quota_compute(lss_quota_row **out, uint32_t *count, lss_db *db, const lss__mq *m)
{
    return quota_compute(out, count, db, m, NULL);
}

/* One period's attainment for a member (team == NULL) or a team's members. */
static lss_status quota_one(lss_quota_row *out, lss_db *db, const char *member, const char *team, lss_time from,
                            lss_time to, lss_time as_of)
{
    const char *ctx = team ? "team quota attainment" : "quota attainment";
    if (out == NULL || db == NULL || (member == NULL && team == NULL))
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    lss_query q = LSS_QUERY_INIT;
    q.to = as_of;
    q.member = member;
    q.team = team;
    lss__lock(db);
    lss__mq m;
    lss_quota_row *rows = NULL;
    uint32_t n = 0;
    lss_status st = LSS_OK;
    if (member && lss__entity_get(db, LSS__REF_MEMBER, member) == NULL)
        st = lss__fail(db, LSS_NOT_FOUND, "%s: member \"%.128s\" does not exist", ctx, member);
    if (st == LSS_OK)
        st = lss__mq_resolve(&m, db, &q, ctx);
    if (st == LSS_OK)
        st = lss__quota_compute(&rows, &n, db, &m);
    if (st == LSS_OK) {
        lss_quota_row sum = { member ? m.member : NULL, from, to, 0, 0, { 0, 0 } };
        bool found = false, overflow = false;
        for (uint32_t i = 0; i < n; i++) {
            if (rows[i].from != from || rows[i].to != to)
                continue;
            found = true;
            overflow |= __builtin_add_overflow(sum.target, rows[i].target, &sum.target);
            overflow |= __builtin_add_overflow(sum.achieved, rows[i].achieved, &sum.achieved);
        }
        set_ratio(&sum.attainment, sum.achieved, sum.target);
        char a[LSS_TIME_BUFSIZE], b[LSS_TIME_BUFSIZE];
        lss__fmt_time(a, from);
        lss__fmt_time(b, to);
        if (!found)
            st = lss__fail(db, LSS_NOT_FOUND, "%s: %s \"%.128s\" has no quota for [%s, %s) as of the given time", ctx,
                           team ? "team" : "member", team ? team : member, a, b);
        else if (overflow)
            st = lss__fail(db, LSS_OVERFLOW, "%s: a sum exceeds the 64-bit range of minor units", ctx);
        else
            *out = sum;
    }
    lss__free(rows);
    lss__unlock(db);
    return st;
}

lss_status lss_quota_attainment(lss_quota_row *out, lss_db *db, const char *member, lss_time from, lss_time to,
                                lss_time as_of)
{
    return quota_one(out, db, member, NULL, from, to, as_of);
}

lss_status lss_team_quota_attainment(lss_quota_row *out, lss_db *db, const char *team, lss_time from, lss_time to,
                                     lss_time as_of)
{
    return quota_one(out, db, NULL, team, from, to, as_of);
}

/* ---- the parts and the per-metric functions ---------------------------- */

typedef lss_status (*part_fn)(void *out, lss_db *db, const lss__mq *m);

static lss_status part_get(void *out, lss_db *db, const lss_query *q, part_fn fn, const char *ctx)
{
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    lss__lock(db);
    lss__mq m;
    lss_status st = lss__mq_resolve(&m, db, q, ctx);
    if (st == LSS_OK)
        st = fn(out, db, &m);
    lss__unlock(db);
    return st;
}

static lss_status sales_fn(void *out, lss_db *db, const lss__mq *m)
{
    return lss__sales_compute(out, NULL, db, m, true);
}
static lss_status pipeline_fn(void *out, lss_db *db, const lss__mq *m)
{
    return lss__sales_compute(NULL, out, db, m, false);
}
static lss_status follow_up_fn(void *out, lss_db *db, const lss__mq *m)
{
    lss__follow_up_compute(out, db, m);
    return LSS_OK;
}
static lss_status nps_fn(void *out, lss_db *db, const lss__mq *m)
{
    return lss__relationship_compute(NULL, NULL, out, db, m);
}
static lss_status service_fn(void *out, lss_db *db, const lss__mq *m)
{
    return lss__service_compute(out, NULL, db, m);
}
static lss_status levels_fn(void *out, lss_db *db, const lss__mq *m)
{
    return lss__service_compute(NULL, out, db, m);
}
static lss_status rel_fn(void *out, lss_db *db, const lss__mq *m)
{
    return lss__relationship_compute(out, NULL, NULL, db, m);
}

lss_status lss_sales_metrics_get(lss_sales_metrics *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, sales_fn, "sales metrics");
}

lss_status lss_service_metrics_get(lss_service_metrics *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, service_fn, "service metrics");
}

lss_status lss_pipeline_metrics_get(lss_pipeline_metrics *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, pipeline_fn, "pipeline metrics");
}

lss_status lss_follow_up_metrics_get(lss_follow_up_metrics *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, follow_up_fn, "follow-up metrics");
}

lss_status lss_nps_metrics_get(lss_nps_metrics *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, nps_fn, "nps metrics");
}

lss_status lss_service_levels_get(lss_service_levels *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, levels_fn, "service levels");
}

lss_status lss_relationship_metrics_get(lss_relationship_metrics *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, rel_fn, "relationship metrics");
}

/* One function per metric: compute its part, hand out one field. */
enum { PART_SALES, PART_SERVICE, PART_REL, PART_LEVELS, PART_PIPELINE, PART_FOLLOW_UP, PART_NPS };

/* The size, part, offset and name of a field of a part. */
#define FIELD(part, type, f) sizeof(((type *)0)->f), part, offsetof(type, f), #f
#define SALES(f) FIELD(PART_SALES, lss_sales_metrics, f)
#define SERVICE(f) FIELD(PART_SERVICE, lss_service_metrics, f)
#define REL(f) FIELD(PART_REL, lss_relationship_metrics, f)
#define LEVELS(f) FIELD(PART_LEVELS, lss_service_levels, f)
#define PIPE(f) FIELD(PART_PIPELINE, lss_pipeline_metrics, f)
#define FOLLOW(f) FIELD(PART_FOLLOW_UP, lss_follow_up_metrics, f)
#define NPS(f) FIELD(PART_NPS, lss_nps_metrics, f)

static lss_status metric(void *out, lss_db *db, const lss_query *q, size_t size, int part, size_t off,
                         const char *name)
{
    if (out == NULL)
        return lss__fail(db, LSS_INVALID, "metric %s: NULL argument", name);
    union {
        lss_sales_metrics sales;
        lss_service_metrics service;
        lss_relationship_metrics rel;
        lss_service_levels levels;
        lss_pipeline_metrics pipeline;
        lss_follow_up_metrics follow_up;
        lss_nps_metrics nps;
    } p;
    lss_status st = part == PART_SALES       ? lss_sales_metrics_get(&p.sales, db, q)
                    : part == PART_SERVICE   ? lss_service_metrics_get(&p.service, db, q)
                    : part == PART_LEVELS    ? lss_service_levels_get(&p.levels, db, q)
                    : part == PART_PIPELINE  ? lss_pipeline_metrics_get(&p.pipeline, db, q)
                    : part == PART_FOLLOW_UP ? lss_follow_up_metrics_get(&p.follow_up, db, q)
                    : part == PART_NPS       ? lss_nps_metrics_get(&p.nps, db, q)
                                             : lss_relationship_metrics_get(&p.rel, db, q);
    if (st == LSS_OK)
        memcpy(out, (const char *)&p + off, size);
    return st;
}

lss_status lss_metric_deals_opened(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SALES(deals_opened));
}
lss_status lss_metric_won(int64_t *out, lss_db *db, const lss_query *q) { return metric(out, db, q, SALES(won)); }
lss_status lss_metric_lost(int64_t *out, lss_db *db, const lss_query *q) { return metric(out, db, q, SALES(lost)); }
lss_status lss_metric_revenue(lss_money *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SALES(revenue));
}
lss_status lss_metric_win_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SALES(win_rate));
}
lss_status lss_metric_avg_deal_size(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SALES(avg_deal_size));
}
lss_status lss_metric_avg_sales_cycle_days(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SALES(avg_sales_cycle_days));
}
lss_status lss_metric_open_pipeline(lss_money *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SALES(open_pipeline));
}
lss_status lss_metric_weighted_pipeline(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SALES(weighted_pipeline));
}
lss_status lss_metric_tickets_opened(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(tickets_opened));
}
lss_status lss_metric_resolved(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(resolved));
}
lss_status lss_metric_resolution_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(resolution_rate));
}
lss_status lss_metric_fcr_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(fcr_rate));
}
lss_status lss_metric_aht_seconds(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(aht_seconds));
}
lss_status lss_metric_csat_percent(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(csat_percent));
}
lss_status lss_metric_csat_mean(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(csat_mean));
}
lss_status lss_metric_first_response_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(first_response_seconds));
}
lss_status lss_metric_resolution_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(resolution_seconds));
}
lss_status lss_metric_reopen_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(reopen_rate));
}
lss_status lss_metric_backlog(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(backlog));
}
lss_status lss_metric_sla_compliance(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, SERVICE(sla_compliance));
}
lss_status lss_metric_sla_first_response_compliance(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, LEVELS(sla_first_response_compliance));
}
lss_status lss_metric_sla_resolution_compliance(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, LEVELS(sla_resolution_compliance));
}
lss_status lss_metric_first_response_business_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, LEVELS(first_response_business_seconds));
}
lss_status lss_metric_resolution_business_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, LEVELS(resolution_business_seconds));
}
lss_status lss_metric_full_resolution_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, LEVELS(full_resolution_seconds));
}
lss_status lss_metric_backlog_age(int64_t out[LSS_BACKLOG_AGE_BUCKETS], lss_db *db, const lss_query *q)
{
    return metric(out, db, q, LEVELS(backlog_age));
}
lss_status lss_metric_backlog_breached(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, LEVELS(backlog_breached));
}
lss_status lss_metric_open_deals(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, PIPE(open_deals));
}
lss_status lss_metric_pipeline_velocity(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, PIPE(pipeline_velocity));
}
lss_status lss_metric_forecast(lss_forecast *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, PIPE(forecast));
}
lss_status lss_metric_stage_durations(lss_stage_duration out[4], lss_db *db, const lss_query *q)
{
    return metric(out, db, q, PIPE(stage_durations));
}
lss_status lss_metric_tasks_due(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, FOLLOW(tasks_due));
}
lss_status lss_metric_tasks_on_time_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, FOLLOW(tasks_on_time_rate));
}
lss_status lss_metric_tasks_overdue(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, FOLLOW(tasks_overdue));
}
lss_status lss_metric_nps(lss_ratio *out, lss_db *db, const lss_query *q) { return metric(out, db, q, NPS(nps)); }
lss_status lss_metric_nps_responses(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, NPS(nps_responses));
}
lss_status lss_metric_customers_added(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, REL(customers_added));
}
lss_status lss_metric_customers_converted(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, REL(customers_converted));
}
lss_status lss_metric_active_customers(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, REL(active_customers));
}
lss_status lss_metric_retention_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, REL(retention_rate));
}
lss_status lss_metric_repeat_purchase_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, REL(repeat_purchase_rate));
}
lss_status lss_metric_referrals(int64_t *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, REL(referrals));
}
lss_status lss_metric_avg_customer_value(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return metric(out, db, q, REL(avg_customer_value));
}

static lss_status lead_fn(void *out, lss_db *db, const lss__mq *m)
{
    return lss__relationship_compute(NULL, out, NULL, db, m);
}

lss_status lss_metric_lead_conversion_rate(lss_ratio *out, lss_db *db, const lss_query *q)
{
    return part_get(out, db, q, lead_fn, "metric lead_conversion_rate");
}

lss_status lss_metric_funnel(int64_t reached[LSS_FUNNEL_STAGES], lss_ratio conversion[LSS_FUNNEL_STAGES], lss_db *db,
                             const lss_query *q)
{
    lss_sales_metrics p;
    lss_status st = lss_sales_metrics_get(&p, db, q);
    if (st != LSS_OK)
        return st;
    if (reached)
        memcpy(reached, p.funnel_reached, sizeof p.funnel_reached);
    if (conversion)
        memcpy(conversion, p.funnel_conversion, sizeof p.funnel_conversion);
    return LSS_OK;
}

/* ---- reports merged across databases ---------------------------------------------------- */

/* A mergeable quantile sketch of non-negative durations (as DDSketch):
 * bucket i counts the values in (g^(i-1), g^i], g = (1 + a) / (1 - a), and
 * the value it stands for, 2 g^i / (g + 1), is within relative error a of
 * every value in it. Bucket bounds are a table made by multiplication (no
 * libm). Merging adds counts; n and sum stay exact. */
#define SKETCH_MAX 4096
typedef struct sketch {
    int64_t n, sum, zero;
    int64_t *count; /* by bucket, nb of them */
} sketch;

typedef struct sketch_table {
    double g;
    uint32_t nb;
    double upper[SKETCH_MAX]; /* bucket i holds (upper[i-1], upper[i]] */
} sketch_table;

static void sketch_table_init(sketch_table *t, double a)
{
    t->g = (1 + a) / (1 - a);
    double u = 1;
    t->nb = 0;
    while (t->nb < SKETCH_MAX && u < 1e15) { /* durations are below 2^40 s */
        t->upper[t->nb++] = u;
        u *= t->g;
    }
}

static void sketch_add(sketch *s, const sketch_table *t, int64_t x)
{
    s->n++;
    s->sum += x;
    if (x <= 0) {
        s->zero++;
        return;
    }
    uint32_t lo = 0, hi = t->nb - 1; /* the first bucket whose upper bound is >= x */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (t->upper[mid] >= (double)x)
            hi = mid;
        else
            lo = mid + 1;
    }
    s->count[lo]++;
}

/* The value at nearest rank r (1-based) of what s holds. */
static int64_t sketch_rank(const sketch *s, const sketch_table *t, int64_t r)
{
    int64_t seen = s->zero;
    if (r <= seen)
        return 0;
    for (uint32_t i = 0; i < t->nb; i++) {
        seen += s->count[i];
        if (r <= seen)
            return i == 0 ? 1 : (int64_t)(2 * t->upper[i] / (t->g + 1) + 0.5);
    }
    return (int64_t)t->upper[t->nb - 1];
}

static void sketch_stats(lss_duration_stats *out, const sketch *s, const sketch_table *t)
{
    memset(out, 0, sizeof *out);
    out->count = s->n;
    set_ratio(&out->mean, s->sum, s->n);
    if (s->n == 0)
        return;
    set_ratio(&out->median, sketch_rank(s, t, (s->n + 1) / 2), 1);
    set_ratio(&out->p90, sketch_rank(s, t, (9 * s->n + 9) / 10), 1);
}

/* The figures of several databases being merged: one set of accumulators
 * for all, and the sketches when the percentiles are approximate. */
typedef struct merge_acc {
    sales_acc sales;
    service_acc service;
    rel_acc rel;
    follow_acc follow;
    lss_quota_row *rows;
    uint32_t nrows;
    sketch_table *table; /* NULL: exact */
    sketch sk[R_COUNT + 4];
} merge_acc;

/* Fold the values gathered from one database into the sketches, and forget them. */
static void merge_fold(merge_acc *a)
{
    for (int k = 0; k < R_COUNT; k++) {
        durations *d = &a->service.d[k];
        for (int64_t i = 0; i < d->n; i++)
            sketch_add(&a->sk[k], a->table, d->v[i]);
        d->n = d->sum = 0;
    }
    for (int g = 0; g < 4; g++) {
        stays *y = &a->sales.st[g];
        for (uint32_t i = 0; i < y->v.count; i++)
            sketch_add(&a->sk[R_COUNT + g], a->table, LSS__VEC_AT(&y->v, int64_t, i));
        y->v.count = 0;
        y->sum = 0;
    }
}

/* Add one database's quota rows: a member key and period already there is
 * the same quota (keys name the same member in every database): achieved
 * adds, and the targets must agree. */
static lss_status merge_rows(merge_acc *a, lss_db *db, lss_quota_row *rows, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        lss_quota_row *r = &rows[i], *same = NULL;
        for (uint32_t k = 0; k < a->nrows && same == NULL; k++)
            if (a->rows[k].from == r->from && a->rows[k].to == r->to &&
                strcmp(a->rows[k].member->key, r->member->key) == 0)
                same = &a->rows[k];
        if (same) {
            if (same->target != r->target)
                return lss__fail(db, LSS_INVALID,
                                 "merge: member \"%.64s\" has a quota target of %lld in one database and %lld in "
                                 "another for the same period",
                                 r->member->key, (long long)same->target, (long long)r->target);
            if (__builtin_add_overflow(same->achieved, r->achieved, &same->achieved))
                return lss__fail(db, LSS_OVERFLOW, "merge: a sum exceeds the 64-bit range of minor units");
            continue;
        }
        lss_quota_row *v = lss__realloc(a->rows, sizeof *v * (a->nrows + 1u));
        if (v == NULL)
            return lss__fail(db, LSS_NOMEM, "merge: out of memory for the quota rows");
        a->rows = v;
        a->rows[a->nrows++] = *r;
    }
    return LSS_OK;
}

/* One database's part of the merge, under its lock. */
static lss_status merge_one(merge_acc *a, lss_db *db, const lss__mq *m)
{
    sales_acc one;
    lss_status st = sales_begin(&one, db, m); /* its stage probabilities */
    if (st != LSS_OK)
        return st;
    a->sales.pct = one.pct;
    for (uint32_t i = 0; i < db->deals.count; i++)
        sales_deal(&a->sales, lss__slab_get(&db->deals, i), &LSS__VEC_AT(&db->deal_stays, lss__deal_stays, i), m);
    a->sales.pct = NULL;
    lss__free(one.pct);
    for (uint32_t i = 0; i < db->tickets.count; i++)
        service_ticket(&a->service, lss__slab_get(&db->tickets, i), m);
    for (uint32_t i = 0; i < db->tasks.count; i++)
        follow_task(&a->follow, lss__slab_get(&db->tasks, i), m);
    if ((st = rel_pass(&a->rel, db, m, true)) != LSS_OK)
        return st;
    lss_quota_row *rows = NULL;
    uint32_t n = 0;
    if ((st = quota_compute(&rows, &n, db, m, NULL)) == LSS_OK)
        st = merge_rows(a, db, rows, n);
    lss__free(rows);
    if (st == LSS_OK && (a->sales.nomem || a->service.nomem))
        st = lss__fail(db, LSS_NOMEM, "merge: out of memory for the durations");
    if (st == LSS_OK && a->table)
        merge_fold(a);
    return st;
}

lss_status lss__report_merge(lss__report_parts *p, lss_quota_row **quota, uint32_t *nquota, lss_db *const *dbs,
                             size_t n, const lss__mq *m, size_t lead, double sketch_error)
{
    static const char ctx[] = "merge";
    merge_acc a;
    memset(&a, 0, sizeof a);
    *quota = NULL;
    *nquota = 0;
    lss_status st = LSS_OK;
    if (sketch_error > 0) {
        if ((a.table = lss__malloc(sizeof *a.table)) == NULL)
            return lss__fail(NULL, LSS_NOMEM, "%s: out of memory", ctx);
        sketch_table_init(a.table, sketch_error);
        for (int k = 0; k < R_COUNT + 4 && st == LSS_OK; k++)
            if ((a.sk[k].count = lss__malloc(sizeof(int64_t) * a.table->nb)) == NULL)
                st = lss__fail(NULL, LSS_NOMEM, "%s: out of memory", ctx);
            else
                memset(a.sk[k].count, 0, sizeof(int64_t) * a.table->nb);
    }
    /* the accumulators of the lead's window: the window and filters are the same for all */
    lss_db *db = dbs[lead];
    if (st == LSS_OK)
        st = service_begin(&a.service, db, &m[lead], 0);
    sales_acc first;
    if (st == LSS_OK && (st = sales_begin(&first, db, &m[lead])) == LSS_OK) {
        lss__free(first.pct);
        first.pct = NULL;
        a.sales = first;
    }
    rel_begin(&a.rel, &m[lead]);
    follow_begin(&a.follow, &m[lead]);
    for (size_t k = 0; k < n && st == LSS_OK; k++) {
        if (m[k].as_of == LSS_TIME_NONE) /* a database without the filter's member or pipeline: nothing of it counts */
            continue;
        lss__lock(dbs[k]);
        st = merge_one(&a, dbs[k], &m[k]);
        lss__unlock(dbs[k]);
    }
    if (st == LSS_OK) {
        p->follow_up = follow_end(&a.follow);
        st = rel_end(&a.rel, &p->rel, &p->sales.lead_conversion_rate, &p->nps, db);
    }
    lss_ratio lead_rate = p->sales.lead_conversion_rate;
    if (st == LSS_OK)
        st = sales_end(&a.sales, &p->sales, &p->pipeline, db);
    else
        for (unsigned g = 0; g < 4; g++)
            lss__vec_free(&a.sales.st[g].v);
    p->sales.lead_conversion_rate = lead_rate;
    if (st == LSS_OK)
        st = service_end(&a.service, &p->service, &p->levels, db);
    else
        service_acc_free(&a.service);
    if (st == LSS_OK && a.table) { /* the percentiles from the sketches */
        sketch_stats(&p->service.first_response_seconds, &a.sk[R_RESP], a.table);
        sketch_stats(&p->service.resolution_seconds, &a.sk[R_RESO], a.table);
        sketch_stats(&p->levels.first_response_business_seconds, &a.sk[R_RESP_BIZ], a.table);
        sketch_stats(&p->levels.resolution_business_seconds, &a.sk[R_RESO_BIZ], a.table);
        sketch_stats(&p->levels.full_resolution_seconds, &a.sk[R_FULL], a.table);
        for (unsigned g = 0; g < 4; g++) {
            lss_duration_stats d;
            sketch_stats(&d, &a.sk[R_COUNT + g], a.table);
            p->pipeline.stage_durations[g].stays = d.count;
            set_ratio(&p->pipeline.stage_durations[g].mean_days, d.mean.num, d.mean.den * 86400);
            set_ratio(&p->pipeline.stage_durations[g].median_days, d.median.num, d.median.den * 86400);
        }
    }
    for (int k = 0; k < R_COUNT + 4; k++)
        lss__free(a.sk[k].count);
    lss__free(a.table);
    if (st != LSS_OK) {
        lss__free(a.rows);
        return st;
    }
    if (a.nrows > 1)
        qsort(a.rows, a.nrows, sizeof *a.rows, cmp_row);
    for (uint32_t r = 0; r < a.nrows; r++)
        set_ratio(&a.rows[r].attainment, a.rows[r].achieved, a.rows[r].target);
    *quota = a.rows;
    *nquota = a.nrows;
    return LSS_OK;
}
