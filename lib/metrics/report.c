/* The full report: every metric of one window and filter, computed under one
 * lock, and its two renderings (the spec's JSON object, aligned text). */
#include "metrics/metrics.h"

#include <stdio.h>
#include <stdlib.h>

struct lss_report {
    lss__report_parts p;
    lss_quota_row *quota;
    uint32_t nquota;
    int channel;
    char currency[4];
    char *member, *team, *segment, *pipeline; /* copies of the filter (NULL: none) */
};

static char *dup_or_null(const char *s, bool *fail)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = lss__malloc(n);
    if (d == NULL)
        *fail = true;
    else
        memcpy(d, s, n);
    return d;
}

void lss_report_free(lss_report *r)
{
    if (r == NULL)
        return;
    lss__free(r->quota);
    lss__free(r->member);
    lss__free(r->team);
    lss__free(r->segment);
    lss__free(r->pipeline);
    lss__free(r);
}

/* The filter copies, channel and currency of a report of query q. */
static lss_status report_header(lss_report *r, lss_db *db, const lss_query *q, int channel, const char *ctx)
{
    bool fail = false;
    r->member = dup_or_null(q ? q->member : NULL, &fail);
    r->team = dup_or_null(q ? q->team : NULL, &fail);
    r->segment = dup_or_null(q ? q->segment : NULL, &fail);
    r->pipeline = dup_or_null(q && q->version >= 3 ? q->pipeline : NULL, &fail);
    r->channel = channel;
    memcpy(r->currency, db->currency, sizeof r->currency);
    return fail ? lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx) : LSS_OK;
}

lss_status lss_report_run(lss_report **out, lss_db *db, const lss_query *q)
{
    static const char ctx[] = "report";
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    *out = NULL;
    lss_report *r = lss__malloc(sizeof *r);
    if (r == NULL)
        return lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
    memset(r, 0, sizeof *r);
    lss__lock(db);
    lss__mq m;
    lss_status st = lss__mq_resolve(&m, db, q, ctx);
    if (st == LSS_OK)
        st = report_header(r, db, q, m.channel, ctx);
    if (st == LSS_OK)
        st = lss__report_compute(&r->p, &r->quota, &r->nquota, db, &m);
    lss__unlock(db);
    if (st != LSS_OK) {
        lss_report_free(r);
        return st;
    }
    *out = r;
    return LSS_OK;
}

lss_status lss_report_merge(lss_report **out, lss_db *const *dbs, size_t n, const lss_query *q,
                            const lss_merge_options *o)
{
    static const char ctx[] = "merge";
    if (out == NULL || dbs == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL argument", ctx);
    *out = NULL;
    if (n == 0 || n > 100000)
        return lss__fail(NULL, LSS_INVALID, "%s: %zu databases (1 to 100000)", ctx, n);
    if (o && o->version != LSS_MERGE_OPTIONS_VERSION)
        return lss__fail(NULL, LSS_VERSION, "%s: options version %u is not supported (expected 1)", ctx, o->version);
    double err = o ? o->sketch_error : 0;
    if (!(err >= 0 && err <= 0.5))
        return lss__fail(NULL, LSS_INVALID, "%s: sketch_error %g is not from 0 to 0.5", ctx, err);
    lss_query qq = LSS_QUERY_INIT;
    if (q) {
        if (q->version < 1 || q->version > LSS_QUERY_VERSION)
            return lss__fail(NULL, LSS_VERSION, "%s: query version %u is not supported (expected 1 to %d)", ctx,
                             q->version, LSS_QUERY_VERSION);
        memcpy(&qq, q, q->version == 1 ? offsetof(lss_query, threads)
                       : q->version == 2 ? offsetof(lss_query, as_of) : sizeof qq);
        qq.version = LSS_QUERY_VERSION;
    }
    lss_time to = LSS_TIME_NONE;
    for (size_t k = 0; k < n; k++) {
        if (dbs[k] == NULL)
            return lss__fail(NULL, LSS_INVALID, "%s: database %zu is NULL", ctx, k);
        for (size_t j = 0; j < k; j++)
            if (dbs[j] == dbs[k] || (lss_db_id(dbs[k])[0] && strcmp(lss_db_id(dbs[j]), lss_db_id(dbs[k])) == 0))
                return lss__fail(NULL, LSS_INVALID,
                                 "%s: databases %zu and %zu are the same database (id %s, a copy or a follower): its "
                                 "events would count twice", ctx, j, k, lss_db_id(dbs[k]));
        if (strcmp(dbs[k]->currency, dbs[0]->currency) != 0)
            return lss__fail(NULL, LSS_INVALID, "%s: database %zu is in %s, database 0 in %s: one report needs one "
                             "currency", ctx, k, dbs[k]->currency, dbs[0]->currency);
        lss_time last = lss_db_last_time(dbs[k]);
        if (last != LSS_TIME_NONE && (to == LSS_TIME_NONE || last + 1 > to))
            to = last < LSS_TIME_MAX ? last + 1 : LSS_TIME_MAX;
    }
    if (qq.to == LSS_TIME_NONE)
        qq.to = to == LSS_TIME_NONE ? 1 : to;
    lss__mq *m = lss__malloc(sizeof *m * n);
    lss_report *r = lss__malloc(sizeof *r);
    if (m == NULL || r == NULL) {
        lss__free(m);
        lss__free(r);
        return lss__fail(NULL, LSS_NOMEM, "%s: out of memory", ctx);
    }
    memset(r, 0, sizeof *r);
    lss_status st = LSS_OK;
    size_t counted = 0;
    char why[LSS__MSG_MAX] = "";
    for (size_t k = 0; k < n && st == LSS_OK; k++) {
        lss_db *db = dbs[k];
        lss__lock(db);
        bool absent = (qq.member && lss__entity_get(db, LSS__REF_MEMBER, qq.member) == NULL) ||
                      (qq.pipeline && lss__pipeline_find(db, qq.pipeline) < 0);
        st = lss__mq_resolve(&m[k], db, &qq, ctx);
        if (st == LSS_INVALID && absent) { /* the filter names nothing here: this database counts for nothing */
            snprintf(why, sizeof why, "%s", lss_errmsg());
            memset(&m[k], 0, sizeof m[k]);
            m[k].as_of = LSS_TIME_NONE;
            st = LSS_OK;
        } else if (st == LSS_OK) {
            counted++;
        }
        lss__unlock(db);
    }
    if (st == LSS_OK && counted == 0)
        st = lss__fail(NULL, LSS_INVALID, "%s", why);
    size_t lead = 0; /* the first database that counts: its window and filters are every one's */
    while (st == LSS_OK && m[lead].as_of == LSS_TIME_NONE)
        lead++;
    if (st == LSS_OK)
        st = report_header(r, dbs[lead], &qq, m[lead].channel, ctx);
    if (st == LSS_OK)
        st = lss__report_merge(&r->p, &r->quota, &r->nquota, dbs, n, m, lead, err);
    lss__free(m);
    if (st != LSS_OK) {
        lss_report_free(r);
        return st;
    }
    *out = r;
    return LSS_OK;
}

const lss_sales_metrics *lss_report_sales(const lss_report *r) { return r ? &r->p.sales : NULL; }
const lss_service_metrics *lss_report_service(const lss_report *r) { return r ? &r->p.service : NULL; }
const lss_relationship_metrics *lss_report_relationship(const lss_report *r) { return r ? &r->p.rel : NULL; }
const lss_service_levels *lss_report_service_levels(const lss_report *r) { return r ? &r->p.levels : NULL; }
const lss_pipeline_metrics *lss_report_pipeline(const lss_report *r) { return r ? &r->p.pipeline : NULL; }
const lss_follow_up_metrics *lss_report_follow_up(const lss_report *r) { return r ? &r->p.follow_up : NULL; }
const lss_nps_metrics *lss_report_nps(const lss_report *r) { return r ? &r->p.nps : NULL; }
lss_time lss_report_as_of(const lss_report *r) { return r ? r->p.levels.as_of : LSS_TIME_NONE; }
uint32_t lss_report_quota_count(const lss_report *r) { return r ? r->nquota : 0; }

lss_status lss_report_quota_get(lss_quota_row *out, const lss_report *r, uint32_t i)
{
    if (out == NULL || r == NULL)
        return lss__fail(NULL, LSS_INVALID, "report quota: NULL argument");
    if (i >= r->nquota)
        return lss__fail(NULL, LSS_NOT_FOUND, "report quota: row %u does not exist (%u rows)", i, r->nquota);
    *out = r->quota[i];
    return LSS_OK;
}

/* ---- rendering ----------------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
    bool oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (lss__bytes_reserve(&b->p, &b->cap, b->len, n + 1, 1024)) {
        b->oom = true;
        return;
    }
    if (n) /* s may be NULL when n is 0 */
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void putf(buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) { /* only labels and numbers go through here */
        b->oom = true;
        return;
    }
    put(b, tmp, (size_t)n);
}

/* A JSON string (keys and texts are valid UTF-8; escape what JSON needs). */
static void put_jstr(buf *b, const char *s)
{
    if (s == NULL) {
        puts_(b, "null");
        return;
    }
    puts_(b, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            char e[2] = { '\\', (char)*c };
            put(b, e, 2);
        } else if (*c < 0x20) {
            putf(b, "\\u%04x", *c);
        } else {
            put(b, (const char *)c, 1);
        }
    }
    puts_(b, "\"");
}

static void put_time(buf *b, lss_time t, bool json)
{
    char tb[LSS_TIME_BUFSIZE];
    if (t == LSS_TIME_NONE) {
        puts_(b, json ? "null" : "-");
        return;
    }
    lss__fmt_time(tb, t);
    if (json)
        put_jstr(b, tb);
    else
        puts_(b, tb);
}

static void put_money(buf *b, lss_money v, bool json)
{
    char mb[LSS_MONEY_BUFSIZE];
    lss_money_format(mb, sizeof mb, v);
    if (json)
        put_jstr(b, mb);
    else
        puts_(b, mb);
}

/* An average of money: rounded half to even at the minor unit. */
static void put_money_ratio(buf *b, lss_ratio r, bool json)
{
    int64_t v;
    if (r.den == 0 || lss_ratio_round(&v, r, 1) != LSS_OK) {
        puts_(b, json ? "null" : "-");
        return;
    }
    put_money(b, v, json);
}

/* A number rounded half to even to 6 decimals; trailing zeros dropped, at
 * least one fraction digit kept (0.224, 1.0). */
static void put_num(buf *b, lss_ratio r, bool json, int scale100)
{
    char nb[LSS_RATIO_BUFSIZE];
    /* text shows percentages: x 100 in 128 bits (a quota attainment's num is money) */
    if (r.den == 0 || !lss__ratio_format_scaled(nb, sizeof nb, r, json ? 6 : 2, scale100 ? 100 : 1)) {
        puts_(b, json ? "null" : "-");
        return;
    }
    if (json) {
        size_t n = strlen(nb);
        while (n > 2 && nb[n - 1] == '0' && nb[n - 2] != '.')
            nb[--n] = '\0';
    }
    puts_(b, nb);
    if (scale100)
        puts_(b, " %");
}

/* ---- the report's shape -------------------------------------------------- */

/* One table gives both renderings their fields, in the order of the metrics
 * spec's report (docs/metrics.md): the JSON key, the text label and how the
 * value is written. */
/* The parts (structs) a field is read from, and the section each is shown in. */
enum { SALES, SERVICE, REL, FOLLOW_UP, LEVELS, PIPE, NPS };
typedef enum {
    COUNT,     /* int64_t */
    MONEY,     /* lss_money */
    MONEY_AVG, /* lss_ratio of money, rounded to the minor unit */
    RATE,      /* lss_ratio; text shows a percentage */
    NUM,       /* lss_ratio; text adds the unit */
    PERCENT,   /* lss_ratio already x 100 */
    STATS,     /* lss_duration_stats: mean, median, p90 */
    FUNNEL,    /* the funnel stages */
    AGE,       /* the backlog age buckets */
    FORECAST,  /* lss_forecast */
    STAYS,     /* the stage durations */
    QUOTA      /* the quota rows */
} kind;

typedef struct field {
    uint8_t part, kind;
    const char *key, *label, *unit;
    size_t off;
} field;

#define F(part_, type, kind_, name, label, unit) { part_, kind_, #name, label, unit, offsetof(type, name) }
#define S(kind_, name, label) F(SALES, lss_sales_metrics, kind_, name, label, NULL)
#define V(kind_, name, label, unit) F(SERVICE, lss_service_metrics, kind_, name, label, unit)
#define R(kind_, name, label) F(REL, lss_relationship_metrics, kind_, name, label, NULL)
#define L(kind_, name, label, unit) F(LEVELS, lss_service_levels, kind_, name, label, unit)
#define P(kind_, name, label, unit) F(PIPE, lss_pipeline_metrics, kind_, name, label, unit)
#define U(kind_, name, label) F(FOLLOW_UP, lss_follow_up_metrics, kind_, name, label, NULL)
#define N(kind_, name, label) F(NPS, lss_nps_metrics, kind_, name, label, NULL)

static const field fields[] = {
    S(COUNT, deals_opened, "deals opened"),
    S(COUNT, won, "won"),
    S(COUNT, lost, "lost"),
    S(MONEY, revenue, "revenue"),
    S(RATE, win_rate, "win rate"),
    S(MONEY_AVG, avg_deal_size, "average deal size"),
    F(SALES, lss_sales_metrics, NUM, avg_sales_cycle_days, "average sales cycle", " days"),
    S(RATE, lead_conversion_rate, "lead conversion rate"),
    { SALES, FUNNEL, "funnel", "funnel", NULL, 0 },
    S(MONEY, open_pipeline, "open pipeline"),
    S(MONEY_AVG, weighted_pipeline, "weighted pipeline"),
    { SALES, QUOTA, "quota", "Quota", NULL, 0 },
    P(COUNT, open_deals, "open deals", NULL),
    P(MONEY_AVG, pipeline_velocity, "pipeline velocity / day", NULL),
    P(FORECAST, forecast, "forecast", NULL),
    P(STAYS, stage_durations, "days in", " days"),
    V(COUNT, tickets_opened, "tickets opened", NULL),
    V(COUNT, resolved, "resolved", NULL),
    V(RATE, resolution_rate, "resolution rate", NULL),
    V(RATE, fcr_rate, "first-contact resolution", NULL),
    V(NUM, aht_seconds, "average handle time", " s"),
    V(PERCENT, csat_percent, "CSAT", NULL),
    V(NUM, csat_mean, "CSAT mean score", " / 5"),
    V(STATS, first_response_seconds, "first response", " s"),
    V(STATS, resolution_seconds, "resolution", " s"),
    V(RATE, reopen_rate, "reopen rate", NULL),
    V(COUNT, backlog, "backlog", NULL),
    V(RATE, sla_compliance, "SLA compliance", NULL),
    L(RATE, sla_first_response_compliance, "SLA first response", NULL),
    L(RATE, sla_resolution_compliance, "SLA resolution", NULL),
    L(STATS, first_response_business_seconds, "SLA clock at response", " s"),
    L(STATS, resolution_business_seconds, "SLA clock at resolve", " s"),
    L(STATS, full_resolution_seconds, "full resolution", " s"),
    L(AGE, backlog_age, "backlog age", NULL),
    L(COUNT, backlog_breached, "backlog breached", NULL),
    R(COUNT, customers_added, "customers added"),
    R(COUNT, customers_converted, "customers converted"),
    R(COUNT, active_customers, "active customers"),
    R(RATE, retention_rate, "retention rate"),
    R(RATE, repeat_purchase_rate, "repeat purchase rate"),
    R(COUNT, referrals, "referrals"),
    R(MONEY_AVG, avg_customer_value, "average customer value"),
    N(NUM, nps, "NPS"),
    N(COUNT, nps_responses, "NPS responses"),
    U(COUNT, tasks_due, "tasks due"),
    U(RATE, tasks_on_time_rate, "tasks done on time"),
    U(COUNT, tasks_overdue, "tasks overdue"),
};

static const char *const part_key[] = { "sales", "service", "relationship", "follow_up" };
static const char *const part_label[] = { "Sales", "Service", "Relationship", "Follow-up" };
static int section_of(int part) { return part == LEVELS ? SERVICE : part == PIPE ? SALES : part == NPS ? REL : part; }
static const char *const forecast_keys[] = { "closed", "commit", "best_case", "pipeline", "weighted" };
static const char *const age_keys[LSS_BACKLOG_AGE_BUCKETS] = { "lt_1d", "1d_3d", "3d_7d", "7d_30d", "ge_30d" };
static const char *const age_labels[LSS_BACKLOG_AGE_BUCKETS] = { "< 1 day", "1-3 days", "3-7 days", "7-30 days",
                                                                 ">= 30 days" };
static const char *const funnel_names[LSS_FUNNEL_STAGES] = { "prospect", "qualified", "presented", "negotiated",
                                                             "won" };

static const void *value_of(const lss_report *r, const field *f)
{
    const char *part = f->part == SALES       ? (const char *)&r->p.sales
                       : f->part == SERVICE   ? (const char *)&r->p.service
                       : f->part == LEVELS    ? (const char *)&r->p.levels
                       : f->part == PIPE      ? (const char *)&r->p.pipeline
                       : f->part == FOLLOW_UP ? (const char *)&r->p.follow_up
                       : f->part == NPS       ? (const char *)&r->p.nps
                                              : (const char *)&r->p.rel;
    return part + f->off;
}

/* A scalar field's value: JSON's number or string, or the text's cell. */
static void put_value(buf *b, const field *f, const void *p, bool json)
{
    lss_ratio v = f->kind == COUNT || f->kind == MONEY ? (lss_ratio){ 0, 0 } : *(const lss_ratio *)p;
    switch (f->kind) {
    case COUNT:
        putf(b, "%lld", (long long)*(const int64_t *)p);
        break;
    case MONEY:
        put_money(b, *(const lss_money *)p, json);
        break;
    case MONEY_AVG:
        put_money_ratio(b, v, json);
        break;
    case PERCENT:
        if (!json && v.den)
            v.num /= 100; /* text shows every rate x 100 */
        /* fall through */
    case RATE:
        put_num(b, v, json, !json);
        break;
    default: /* NUM */
        put_num(b, v, json, 0);
        if (!json && v.den && f->unit)
            puts_(b, f->unit);
    }
}

static void json_stats(buf *b, const lss_duration_stats *d)
{
    puts_(b, "{\"mean\":");
    put_num(b, d->mean, true, 0);
    if (d->count)
        putf(b, ",\"median\":%lld,\"p90\":%lld}", (long long)d->median.num, (long long)d->p90.num);
    else
        puts_(b, ",\"median\":null,\"p90\":null}");
}

static void json_funnel(buf *b, const lss_sales_metrics *s)
{
    puts_(b, "[");
    for (int k = 0; k < LSS_FUNNEL_STAGES; k++) {
        putf(b, "%s{\"stage\":\"%s\",\"reached\":%lld,\"conversion\":", k ? "," : "", funnel_names[k],
             (long long)s->funnel_reached[k]);
        put_num(b, s->funnel_conversion[k], true, 0);
        puts_(b, "}");
    }
    puts_(b, "]");
}

static void json_quota(buf *b, const lss_report *r)
{
    puts_(b, "[");
    for (uint32_t i = 0; i < r->nquota; i++) {
        const lss_quota_row *q = &r->quota[i];
        puts_(b, i ? ",{\"member\":" : "{\"member\":");
        put_jstr(b, q->member->key);
        puts_(b, ",\"from\":");
        put_time(b, q->from, true);
        puts_(b, ",\"to\":");
        put_time(b, q->to, true);
        puts_(b, ",\"target\":");
        put_money(b, q->target, true);
        puts_(b, ",\"achieved\":");
        put_money(b, q->achieved, true);
        puts_(b, ",\"attainment\":");
        put_num(b, q->attainment, true, 0);
        puts_(b, "}");
    }
    puts_(b, "]");
}

static void json_forecast(buf *b, const lss_forecast *f)
{
    const lss_money v[4] = { f->closed, f->commit, f->best_case, f->pipeline };
    for (int k = 0; k < 4; k++) {
        putf(b, "%s\"%s\":", k ? "," : "{", forecast_keys[k]);
        put_money(b, v[k], true);
    }
    puts_(b, ",\"weighted\":");
    put_money_ratio(b, f->weighted, true);
    puts_(b, "}");
}

static void json_stays(buf *b, const lss_stage_duration *d)
{
    for (int k = 0; k < 4; k++) {
        putf(b, "%s{\"stage\":\"%s\",\"stays\":%lld,\"mean_days\":", k ? "," : "[", funnel_names[k],
             (long long)d[k].stays);
        put_num(b, d[k].mean_days, true, 0);
        puts_(b, ",\"median_days\":");
        put_num(b, d[k].median_days, true, 0);
        puts_(b, "}");
    }
    puts_(b, "]");
}

static void render_json(buf *b, const lss_report *r)
{
    puts_(b, "{\"window\":{\"from\":");
    put_time(b, r->p.sales.from, true);
    puts_(b, ",\"to\":");
    put_time(b, r->p.sales.to, true);
    puts_(b, ",\"as_of\":");
    put_time(b, r->p.levels.as_of, true);
    puts_(b, "},\"currency\":");
    put_jstr(b, r->currency);
    puts_(b, ",\"filter\":{\"member\":");
    put_jstr(b, r->member);
    puts_(b, ",\"team\":");
    put_jstr(b, r->team);
    puts_(b, ",\"channel\":");
    put_jstr(b, r->channel == LSS_CHANNEL_ANY ? NULL : lss_channel_name(r->channel));
    puts_(b, ",\"segment\":");
    put_jstr(b, r->segment);
    puts_(b, ",\"pipeline\":");
    put_jstr(b, r->pipeline);
    int part = -1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const field *f = &fields[i];
        if (section_of(f->part) != part)
            putf(b, "},\"%s\":{\"%s\":", part_key[part = section_of(f->part)], f->key); /* closes the previous one */
        else
            putf(b, ",\"%s\":", f->key);
        if (f->kind == STATS)
            json_stats(b, value_of(r, f));
        else if (f->kind == AGE)
            for (int k = 0; k < LSS_BACKLOG_AGE_BUCKETS; k++)
                putf(b, "%s\"%s\":%lld%s", k ? "," : "{", age_keys[k], (long long)((const int64_t *)value_of(r, f))[k],
                     k == LSS_BACKLOG_AGE_BUCKETS - 1 ? "}" : "");
        else if (f->kind == FUNNEL)
            json_funnel(b, &r->p.sales);
        else if (f->kind == QUOTA)
            json_quota(b, r);
        else if (f->kind == FORECAST)
            json_forecast(b, value_of(r, f));
        else if (f->kind == STAYS)
            json_stays(b, value_of(r, f));
        else
            put_value(b, f, value_of(r, f), true);
    }
    puts_(b, "}}");
}

/* ---- text ---------------------------------------------------------------- */

#define LABEL_W 26
#define VALUE_W 18

/* Right-align whatever was written since `start` to `width` columns. */
static void align(buf *b, size_t start, size_t width)
{
    if (b->oom || b->len - start >= width)
        return;
    size_t n = b->len - start, k = width - n;
    char pad[VALUE_W];
    memset(pad, ' ', k);
    put(b, pad, k);
    if (b->oom)
        return;
    memmove(b->p + start + k, b->p + start, n);
    memset(b->p + start, ' ', k);
}

static void row_end(buf *b, size_t start)
{
    align(b, start, VALUE_W);
    puts_(b, "\n");
}

static void text_row(buf *b, const field *f, const char *label, const void *p)
{
    putf(b, "  %-*s", LABEL_W, label);
    size_t at = b->len;
    put_value(b, f, p, false);
    row_end(b, at);
}

static void text_stats(buf *b, const field *f, const lss_duration_stats *d)
{
    static const char *const names[] = { "mean", "median", "p90" };
    const lss_ratio *v[] = { &d->mean, &d->median, &d->p90 };
    field num = *f;
    num.kind = NUM;
    for (int k = 0; k < 3; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s %s", f->label, names[k]);
        text_row(b, &num, label, v[k]);
    }
}

/* The text shows the funnel as a table after the sales rows, then the quota
 * rows as a section of their own (when there are any). */
static void text_funnel_quota(buf *b, const lss_report *r)
{
    putf(b, "  %-*s%*s%*s\n", LABEL_W, "funnel", VALUE_W, "reached", VALUE_W, "conversion");
    for (int k = 0; k < LSS_FUNNEL_STAGES; k++) {
        putf(b, "    %-*s%*lld", LABEL_W - 2, funnel_names[k], VALUE_W, (long long)r->p.sales.funnel_reached[k]);
        size_t at = b->len;
        put_num(b, r->p.sales.funnel_conversion[k], false, 1);
        row_end(b, at);
    }
    if (r->nquota == 0)
        return;
    putf(b, "\nQuota\n  %-20s %-10s %-10s %16s %16s %11s\n", "member", "from", "to", "target", "achieved",
         "attainment");
    for (uint32_t i = 0; i < r->nquota; i++) {
        const lss_quota_row *q = &r->quota[i];
        char f[LSS_TIME_BUFSIZE], t[LSS_TIME_BUFSIZE], tg[LSS_MONEY_BUFSIZE], ac[LSS_MONEY_BUFSIZE];
        lss__fmt_time(f, q->from);
        lss__fmt_time(t, q->to);
        f[10] = t[10] = '\0'; /* the date is enough to read a period */
        lss_money_format(tg, sizeof tg, q->target);
        lss_money_format(ac, sizeof ac, q->achieved);
        putf(b, "  %-20.20s %-10s %-10s %16s %16s ", q->member->key, f, t, tg, ac);
        size_t at = b->len;
        put_num(b, q->attainment, false, 1);
        align(b, at, 11);
        puts_(b, "\n");
    }
}

static void render_text(buf *b, const lss_report *r)
{
    puts_(b, "Report\n  window  ");
    put_time(b, r->p.sales.from, false);
    puts_(b, " .. ");
    put_time(b, r->p.sales.to, false);
    puts_(b, " (end exclusive)\n  as of  ");
    put_time(b, r->p.levels.as_of, false);
    putf(b, "\n  currency  %s\n  filter  member=", r->currency);
    puts_(b, r->member ? r->member : "-");
    puts_(b, " team=");
    puts_(b, r->team ? r->team : "-");
    puts_(b, " channel=");
    puts_(b, r->channel == LSS_CHANNEL_ANY ? "-" : lss_channel_name(r->channel));
    puts_(b, " segment=");
    puts_(b, r->segment ? r->segment : "-");
    puts_(b, " pipeline=");
    puts_(b, r->pipeline ? r->pipeline : "-");
    puts_(b, "\n");
    int part = -1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const field *f = &fields[i];
        if (section_of(f->part) != part) {
            if (part == SALES) /* the funnel and quota tables close the sales rows */
                text_funnel_quota(b, r);
            putf(b, "\n%s\n", part_label[part = section_of(f->part)]);
        }
        if (f->kind == FORECAST) {
            const lss_forecast *fc = value_of(r, f);
            const lss_money v[4] = { fc->closed, fc->commit, fc->best_case, fc->pipeline };
            field money = *f;
            money.kind = MONEY;
            for (int k = 0; k < 4; k++) {
                char label[64];
                snprintf(label, sizeof label, "forecast %s", forecast_keys[k]);
                text_row(b, &money, label, &v[k]);
            }
            money.kind = MONEY_AVG;
            text_row(b, &money, "forecast weighted", &fc->weighted);
        } else if (f->kind == STAYS) {
            const lss_stage_duration *d = value_of(r, f);
            field num = *f;
            num.kind = NUM;
            for (int k = 0; k < 4; k++) {
                char label[64];
                snprintf(label, sizeof label, "days in %s (%lld)", funnel_names[k], (long long)d[k].stays);
                text_row(b, &num, label, &d[k].mean_days);
            }
        } else if (f->kind == STATS)
            text_stats(b, f, value_of(r, f));
        else if (f->kind == AGE)
            for (int k = 0; k < LSS_BACKLOG_AGE_BUCKETS; k++) {
                char label[64];
                snprintf(label, sizeof label, "%s %s", f->label, age_labels[k]);
                field count = *f;
                count.kind = COUNT;
                text_row(b, &count, label, (const int64_t *)value_of(r, f) + k);
            }
        else if (f->kind != FUNNEL && f->kind != QUOTA)
            text_row(b, f, f->label, value_of(r, f));
    }
}

/* ---- CSV: the JSON object flattened ------------------------------------------ */

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void put_csv(buf *b, const char *s, size_t n)
{
    if (strcspn(s, ",\"\r\n") >= n) {
        put(b, s, n);
        return;
    }
    puts_(b, "\"");
    for (size_t i = 0; i < n; i++)
        put(b, s[i] == '"' ? "\"\"" : s + i, 1 + (s[i] == '"'));
    puts_(b, "\"");
}

/* The JSON string at p (put_jstr's escapes: \" \\ \u00XX) into t; past its closing quote. */
static const char *json_unquote(const char *p, buf *t)
{
    t->len = 0;
    put(t, "", 0);
    for (p++; *p != '"'; p++) {
        if (*p != '\\') {
            put(t, p, 1);
        } else if (p[1] == 'u') {
            char c = (char)strtol((char[]){ p[4], p[5], 0 }, NULL, 16);
            put(t, &c, 1);
            p += 5;
        } else {
            put(t, ++p, 1);
        }
    }
    return p + 1;
}

/* Flatten the value at p, named path: each number, string, true/false or
 * null is one column, named by the keys on its way joined with '.', an
 * array element by its index from 0 (sales.funnel.1.reached); null is an
 * empty field. Names go to names (when not NULL), values to values. */
static const char *flatten(const char *p, char *path, size_t plen, buf *names, buf *values, buf *t)
{
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        size_t i = 0;
        for (p++; *p != close; i++) {
            size_t n = plen + (plen > 0);
            if (plen)
                path[plen] = '.';
            if (close == '}') {
                p = json_unquote(p, t) + 1; /* past the ':' */
                n += (size_t)snprintf(path + n, 256 - n, "%s", t->p);
            } else {
                n += (size_t)snprintf(path + n, 256 - n, "%zu", i);
            }
            p = flatten(p, path, n < 256 ? n : 255, names, values, t);
            if (*p == ',')
                p++;
        }
        path[plen] = '\0';
        return p + 1;
    }
    if (names) {
        put(names, ",", 1);
        put_csv(names, path, plen);
    }
    put(values, ",", 1);
    if (*p == '"') {
        p = json_unquote(p, t);
        put_csv(values, t->p, t->len);
        return p;
    }
    size_t n = strcspn(p, ",}]");
    if (strncmp(p, "null", n) != 0)
        put(values, p, n);
    return p + n;
}

/* The CSV lines of r without their line ends: its column names into names
 * (when not NULL) and its values into values; false without memory. */
static bool csv_lines(const lss_report *r, buf *names, buf *values)
{
    buf json = { NULL, 0, 0, false }, n = { NULL, 0, 0, false }, v = { NULL, 0, 0, false },
        t = { NULL, 0, 0, false };
    char path[256] = "";
    render_json(&json, r);
    /* an unquoted string is never longer than the JSON: t never grows */
    if (!json.oom && (t.p = lss__malloc(json.len + 1)) != NULL) {
        t.cap = json.len + 1;
        flatten(json.p, path, 0, names ? &n : NULL, &v, &t);
    }
    bool ok = !json.oom && t.p != NULL && !n.oom && !v.oom;
    /* each column begins with a comma; the line does not */
    if (ok && names)
        put(names, n.p + 1, n.len - 1);
    if (ok)
        put(values, v.p + 1, v.len - 1);
    ok = ok && !values->oom && !(names && names->oom);
    lss__free(json.p);
    lss__free(n.p);
    lss__free(v.p);
    lss__free(t.p);
    return ok;
}

/* The report as CSV: a line naming the columns, then a line of values. */
static void render_csv(buf *b, const lss_report *r)
{
    buf names = { NULL, 0, 0, false }, values = { NULL, 0, 0, false };
    if (csv_lines(r, &names, &values)) {
        put(b, names.p, names.len);
        puts_(b, "\n");
        put(b, values.p, values.len);
        puts_(b, "\n");
    }
    b->oom |= names.oom || values.oom || names.p == NULL || values.p == NULL;
    lss__free(names.p);
    lss__free(values.p);
}

lss_status lss_report_render(char **out, size_t *len, const lss_report *r, lss_report_format format)
{
    if (out == NULL || r == NULL)
        return lss__fail(NULL, LSS_INVALID, "report render: NULL argument");
    if (format != LSS_REPORT_JSON && format != LSS_REPORT_TEXT && format != LSS_REPORT_CSV)
        return lss__fail(NULL, LSS_INVALID, "report render: format %d is not a format (0 json, 1 text, 2 csv)",
                         (int)format);
    buf b = { NULL, 0, 0, false };
    if (format == LSS_REPORT_JSON)
        render_json(&b, r);
    else if (format == LSS_REPORT_TEXT)
        render_text(&b, r);
    else
        render_csv(&b, r);
    if (b.oom) {
        lss__free(b.p);
        return lss__fail(NULL, LSS_NOMEM, "report render: out of memory");
    }
    *out = b.p;
    if (len)
        *len = b.len;
    return LSS_OK;
}

/* ---- series ---------------------------------------------------------------- */

struct lss_series {
    lss_step step;
    uint32_t n;
    lss_report **r;
};

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* The step boundary at or before t. */
static lss_time step_floor(lss_step step, lss_time t)
{
    int64_t day = floor_div(t, 86400), y;
    unsigned m, d;
    switch (step) {
    case LSS_STEP_DAY: return day * 86400;
    case LSS_STEP_WEEK: return (floor_div(day + 3, 7) * 7 - 3) * 86400; /* 1970-01-01 was a Thursday */
    default:
        lss__civil_from_days(day, &y, &m, &d);
        if (step == LSS_STEP_QUARTER)
            m = (m - 1) / 3 * 3 + 1;
        return lss__days_from_civil(y, m, 1) * 86400;
    }
}

/* The first step boundary after t. */
static lss_time step_next(lss_step step, lss_time t)
{
    lss_time b = step_floor(step, t);
    int64_t y;
    unsigned m, d;
    switch (step) {
    case LSS_STEP_DAY: return b + 86400;
    case LSS_STEP_WEEK: return b + 7 * 86400;
    default:
        lss__civil_from_days(floor_div(b, 86400), &y, &m, &d);
        m += step == LSS_STEP_QUARTER ? 3 : 1;
        if (m > 12)
            m -= 12, y++;
        return lss__days_from_civil(y, m, 1) * 86400;
    }
}

void lss_series_free(lss_series *s)
{
    if (s == NULL)
        return;
    for (uint32_t k = 0; k < s->n; k++)
        lss_report_free(s->r[k]);
    lss__free(s->r);
    lss__free(s);
}

uint32_t lss_series_count(const lss_series *s) { return s ? s->n : 0; }
int lss_series_step(const lss_series *s) { return s ? (int)s->step : -1; }
const lss_report *lss_series_report(const lss_series *s, uint32_t i) { return s && i < s->n ? s->r[i] : NULL; }

/* The windows of the series: *n of them into *out (lss__malloc'd). */
static lss_status series_windows(lss__mq **out, uint32_t *n, lss_db *db, const lss_query *q, lss_step step,
                                 const lss__mq *base)
{
    static const char ctx[] = "series";
    lss_time from = base->from_given, to = base->to;
    if (from == LSS_TIME_NONE) { /* the boundary at or before the first customer's arrival */
        from = to - 1;
        for (uint32_t i = 0; i < db->customers.count; i++) {
            lss_time added = LSS__ADDED_AT((const lss_customer *)lss__slab_get(&db->customers, i));
            from = added < from ? added : from;
        }
        from = step_floor(step, from);
        from = from < 0 ? 0 : from;
    }
    uint32_t count = 0;
    for (lss_time t = from; t < to; t = step_next(step, t))
        if (++count > LSS_SERIES_MAX_STEPS)
            return lss__fail(db, LSS_INVALID, "%s: the range has more than %u steps of a %s", ctx,
                             LSS_SERIES_MAX_STEPS, lss_step_name((int)step));
    lss__mq *m = lss__malloc(sizeof *m * count);
    if (m == NULL)
        return lss__fail(db, LSS_NOMEM, "%s: out of memory for %u steps", ctx, count);
    lss_time cap = q && q->version >= 3 && q->as_of != LSS_TIME_NONE ? base->as_of : LSS_TIME_MAX;
    lss_time t = from;
    for (uint32_t k = 0; k < count; k++) {
        lss_time end = step_next(step, t);
        m[k] = *base;
        m[k].from = m[k].from_given = t;
        m[k].to = end < to ? end : to;
        m[k].as_of = m[k].to < cap ? m[k].to : cap;
        t = end;
    }
    *out = m;
    *n = count;
    return LSS_OK;
}

lss_status lss_series_run(lss_series **out, lss_db *db, const lss_query *q, lss_step step)
{
    static const char ctx[] = "series";
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    *out = NULL;
    if (lss_step_name((int)step) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: step %d is not a step (0 day, 1 week, 2 month, 3 quarter)", ctx,
                         (int)step);
    lss_series *s = lss__malloc(sizeof *s);
    if (s == NULL)
        return lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
    memset(s, 0, sizeof *s);
    s->step = step;
    lss__lock(db);
    lss__mq base, *m = NULL;
    lss__report_parts *parts = NULL;
    lss_quota_row **quota = NULL;
    uint32_t *nquota = NULL, n = 0;
    lss_status st = lss__mq_resolve(&base, db, q, ctx);
    if (st == LSS_OK)
        st = series_windows(&m, &n, db, q, step, &base);
    if (st == LSS_OK) {
        parts = lss__malloc(sizeof *parts * n);
        quota = lss__malloc(sizeof *quota * n);
        nquota = lss__malloc(sizeof *nquota * n);
        s->r = lss__malloc(sizeof *s->r * n);
        if (parts == NULL || quota == NULL || nquota == NULL || s->r == NULL)
            st = lss__fail(db, LSS_NOMEM, "%s: out of memory for %u steps", ctx, n);
    }
    /* each step's report, its filter copies first: nothing can fail after the pass */
    for (; st == LSS_OK && s->n < n; s->n++) { /* (a report made counts in s->n even when its copies fail) */
        lss_report *r = s->r[s->n] = lss__malloc(sizeof *r);
        if (r == NULL) {
            st = lss__fail(db, LSS_NOMEM, "%s: out of memory for %u steps", ctx, n);
            break;
        }
        memset(r, 0, sizeof *r);
        st = report_header(r, db, q, base.channel, ctx);
    }
    if (st == LSS_OK)
        st = lss__report_compute_n(parts, quota, nquota, db, m, n);
    lss__unlock(db);
    for (uint32_t k = 0; st == LSS_OK && k < n; k++) {
        s->r[k]->p = parts[k];
        s->r[k]->quota = quota[k];
        s->r[k]->nquota = nquota[k];
    }
    lss__free(m);
    lss__free(parts);
    lss__free(quota);
    lss__free(nquota);
    if (st != LSS_OK) {
        lss_series_free(s);
        return st;
    }
    *out = s;
    return LSS_OK;
}

lss_status lss_series_render(char **out, size_t *len, const lss_series *s, lss_report_format format)
{
    if (out == NULL || s == NULL)
        return lss__fail(NULL, LSS_INVALID, "series render: NULL argument");
    if (format != LSS_REPORT_JSON && format != LSS_REPORT_TEXT && format != LSS_REPORT_CSV)
        return lss__fail(NULL, LSS_INVALID, "series render: format %d is not a format (0 json, 1 text, 2 csv)",
                         (int)format);
    buf b = { NULL, 0, 0, false }, names = { NULL, 0, 0, false }, last = { NULL, 0, 0, false };
    if (format == LSS_REPORT_JSON)
        putf(&b, "{\"step\":\"%s\",\"reports\":[", lss_step_name((int)s->step));
    for (uint32_t k = 0; k < s->n && !b.oom; k++) {
        if (format == LSS_REPORT_JSON) {
            puts_(&b, k ? "," : "");
            render_json(&b, s->r[k]);
        } else if (format == LSS_REPORT_TEXT) {
            puts_(&b, k ? "\n" : "");
            render_text(&b, s->r[k]);
        } else {
            names.len = 0;
            buf values = { NULL, 0, 0, false };
            b.oom |= !csv_lines(s->r[k], &names, &values) || names.p == NULL || values.p == NULL;
            if (!b.oom && (last.p == NULL || last.len != names.len || memcmp(last.p, names.p, names.len) != 0)) {
                put(&b, names.p, names.len); /* the first step's columns, or a step whose columns differ */
                puts_(&b, "\n");
                last.len = 0;
                put(&last, names.p, names.len);
                b.oom |= last.oom;
            }
            if (!b.oom) {
                put(&b, values.p, values.len);
                puts_(&b, "\n");
            }
            lss__free(values.p);
        }
    }
    if (format == LSS_REPORT_JSON)
        puts_(&b, "]}");
    lss__free(names.p);
    lss__free(last.p);
    if (b.oom) {
        lss__free(b.p);
        return lss__fail(NULL, LSS_NOMEM, "series render: out of memory");
    }
    if (b.p == NULL) /* no step */
        put(&b, "", 0);
    if (b.oom) {
        return lss__fail(NULL, LSS_NOMEM, "series render: out of memory");
    }
    *out = b.p;
    if (len)
        *len = b.len;
    return LSS_OK;
}
