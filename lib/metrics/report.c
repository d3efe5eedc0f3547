/* The full report: every metric of one window and filter, computed under one
 * lock, and its two renderings (the spec's JSON object, aligned text). */
#include "metrics/metrics.h"

#include <stdio.h>
#include <stdlib.h>

struct lss_report {
    lss_sales_metrics sales;
    lss_service_metrics service;
    lss_relationship_metrics rel;
    lss_quota_row *quota;
    uint32_t nquota;
    int channel;
    char currency[4];
    char *member, *team, *segment; /* copies of the filter (NULL: none) */
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
    lss__free(r);
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
    if (st == LSS_OK) {
        bool fail = false;
        r->member = dup_or_null(q ? q->member : NULL, &fail);
        r->team = dup_or_null(q ? q->team : NULL, &fail);
        r->segment = dup_or_null(q ? q->segment : NULL, &fail);
        r->channel = m.channel;
        memcpy(r->currency, db->currency, sizeof r->currency);
        if (fail)
            st = lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
    }
    if (st == LSS_OK)
        st = lss__sales_compute(&r->sales, db, &m, false);
    if (st == LSS_OK)
        st = lss__service_compute(&r->service, db, &m);
    if (st == LSS_OK)
        st = lss__relationship_compute(&r->rel, &r->sales.lead_conversion_rate, db, &m); /* one customer pass */
    if (st == LSS_OK)
        st = lss__quota_compute(&r->quota, &r->nquota, db, &m);
    lss__unlock(db);
    if (st != LSS_OK) {
        lss_report_free(r);
        return st;
    }
    *out = r;
    return LSS_OK;
}

const lss_sales_metrics *lss_report_sales(const lss_report *r) { return r ? &r->sales : NULL; }
const lss_service_metrics *lss_report_service(const lss_report *r) { return r ? &r->service : NULL; }
const lss_relationship_metrics *lss_report_relationship(const lss_report *r) { return r ? &r->rel : NULL; }
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

static void put_stats_json(buf *b, const char *name, const lss_duration_stats *d)
{
    putf(b, ",\"%s\":{\"mean\":", name);
    put_num(b, d->mean, true, 0);
    puts_(b, ",\"median\":");
    if (d->count)
        putf(b, "%lld", (long long)d->median.num);
    else
        puts_(b, "null");
    puts_(b, ",\"p90\":");
    if (d->count)
        putf(b, "%lld", (long long)d->p90.num);
    else
        puts_(b, "null");
    puts_(b, "}");
}

static const char *const funnel_names[LSS_FUNNEL_STAGES] = { "prospect", "qualified", "presented", "negotiated",
                                                             "won" };

/* The report as JSON, in the order and shape of the metrics spec's report
 * (docs/metrics.md). Long on purpose: one field after another, so that the
 * function reads like the spec it must match; splitting it would scatter
 * the shape over helpers. */
static void render_json(buf *b, const lss_report *r)
{
    const lss_sales_metrics *s = &r->sales;
    const lss_service_metrics *v = &r->service;
    const lss_relationship_metrics *c = &r->rel;
    puts_(b, "{\"window\":{\"from\":");
    put_time(b, s->from, true);
    puts_(b, ",\"to\":");
    put_time(b, s->to, true);
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

    putf(b, "},\"sales\":{\"deals_opened\":%lld,\"won\":%lld,\"lost\":%lld,\"revenue\":", (long long)s->deals_opened,
         (long long)s->won, (long long)s->lost);
    put_money(b, s->revenue, true);
    puts_(b, ",\"win_rate\":");
    put_num(b, s->win_rate, true, 0);
    puts_(b, ",\"avg_deal_size\":");
    put_money_ratio(b, s->avg_deal_size, true);
    puts_(b, ",\"avg_sales_cycle_days\":");
    put_num(b, s->avg_sales_cycle_days, true, 0);
    puts_(b, ",\"lead_conversion_rate\":");
    put_num(b, s->lead_conversion_rate, true, 0);
    puts_(b, ",\"funnel\":[");
    for (int k = 0; k < LSS_FUNNEL_STAGES; k++) {
        putf(b, "%s{\"stage\":\"%s\",\"reached\":%lld,\"conversion\":", k ? "," : "", funnel_names[k],
             (long long)s->funnel_reached[k]);
        put_num(b, s->funnel_conversion[k], true, 0);
        puts_(b, "}");
    }
    puts_(b, "],\"open_pipeline\":");
    put_money(b, s->open_pipeline, true);
    puts_(b, ",\"weighted_pipeline\":");
    put_money_ratio(b, s->weighted_pipeline, true);
    puts_(b, ",\"quota\":[");
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

    putf(b, "]},\"service\":{\"tickets_opened\":%lld,\"resolved\":%lld,\"resolution_rate\":",
         (long long)v->tickets_opened, (long long)v->resolved);
    put_num(b, v->resolution_rate, true, 0);
    puts_(b, ",\"fcr_rate\":");
    put_num(b, v->fcr_rate, true, 0);
    puts_(b, ",\"aht_seconds\":");
    put_num(b, v->aht_seconds, true, 0);
    puts_(b, ",\"csat_percent\":");
    put_num(b, v->csat_percent, true, 0);
    puts_(b, ",\"csat_mean\":");
    put_num(b, v->csat_mean, true, 0);
    put_stats_json(b, "first_response_seconds", &v->first_response_seconds);
    put_stats_json(b, "resolution_seconds", &v->resolution_seconds);
    puts_(b, ",\"reopen_rate\":");
    put_num(b, v->reopen_rate, true, 0);
    putf(b, ",\"backlog\":%lld,\"sla_compliance\":", (long long)v->backlog);
    put_num(b, v->sla_compliance, true, 0);

    putf(b, "},\"relationship\":{\"customers_added\":%lld,\"customers_converted\":%lld,\"active_customers\":%lld",
         (long long)c->customers_added, (long long)c->customers_converted, (long long)c->active_customers);
    puts_(b, ",\"retention_rate\":");
    put_num(b, c->retention_rate, true, 0);
    puts_(b, ",\"repeat_purchase_rate\":");
    put_num(b, c->repeat_purchase_rate, true, 0);
    putf(b, ",\"referrals\":%lld,\"avg_customer_value\":", (long long)c->referrals);
    put_money_ratio(b, c->avg_customer_value, true);
    puts_(b, "}}");
}

/* ---- text ---------------------------------------------------------------- */

#define LABEL_W 26
#define VALUE_W 18

static void row_begin(buf *b, const char *label) { putf(b, "  %-*s", LABEL_W, label); }

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

static void row_count(buf *b, const char *label, int64_t v)
{
    row_begin(b, label);
    size_t at = b->len;
    putf(b, "%lld", (long long)v);
    row_end(b, at);
}

static void row_money(buf *b, const char *label, lss_money v)
{
    row_begin(b, label);
    size_t at = b->len;
    put_money(b, v, false);
    row_end(b, at);
}

static void row_money_ratio(buf *b, const char *label, lss_ratio v)
{
    row_begin(b, label);
    size_t at = b->len;
    put_money_ratio(b, v, false);
    row_end(b, at);
}

static void row_rate(buf *b, const char *label, lss_ratio v)
{
    row_begin(b, label);
    size_t at = b->len;
    put_num(b, v, false, 1);
    row_end(b, at);
}

static void row_num(buf *b, const char *label, lss_ratio v, const char *unit)
{
    row_begin(b, label);
    size_t at = b->len;
    put_num(b, v, false, 0);
    if (v.den)
        puts_(b, unit);
    row_end(b, at);
}

static void row_stats(buf *b, const char *label, const lss_duration_stats *d)
{
    char l[64];
    snprintf(l, sizeof l, "%s mean", label);
    row_num(b, l, d->mean, " s");
    snprintf(l, sizeof l, "%s median", label);
    row_num(b, l, d->median, " s");
    snprintf(l, sizeof l, "%s p90", label);
    row_num(b, l, d->p90, " s");
}

/* The report as text: one section after another, as render_json (long for
 * the same reason). */
static void render_text(buf *b, const lss_report *r)
{
    const lss_sales_metrics *s = &r->sales;
    const lss_service_metrics *v = &r->service;
    const lss_relationship_metrics *c = &r->rel;
    puts_(b, "Report\n  window  ");
    put_time(b, s->from, false);
    puts_(b, " .. ");
    put_time(b, s->to, false);
    puts_(b, " (end exclusive)\n  currency  ");
    puts_(b, r->currency);
    puts_(b, "\n  filter  member=");
    puts_(b, r->member ? r->member : "-");
    puts_(b, " team=");
    puts_(b, r->team ? r->team : "-");
    puts_(b, " channel=");
    puts_(b, r->channel == LSS_CHANNEL_ANY ? "-" : lss_channel_name(r->channel));
    puts_(b, " segment=");
    puts_(b, r->segment ? r->segment : "-");

    puts_(b, "\n\nSales\n");
    row_count(b, "deals opened", s->deals_opened);
    row_count(b, "won", s->won);
    row_count(b, "lost", s->lost);
    row_money(b, "revenue", s->revenue);
    row_rate(b, "win rate", s->win_rate);
    row_money_ratio(b, "average deal size", s->avg_deal_size);
    row_num(b, "average sales cycle", s->avg_sales_cycle_days, " days");
    row_rate(b, "lead conversion rate", s->lead_conversion_rate);
    row_money(b, "open pipeline", s->open_pipeline);
    row_money_ratio(b, "weighted pipeline", s->weighted_pipeline);
    putf(b, "  %-*s%*s%*s\n", LABEL_W, "funnel", VALUE_W, "reached", VALUE_W, "conversion");
    for (int k = 0; k < LSS_FUNNEL_STAGES; k++) {
        putf(b, "    %-*s%*lld", LABEL_W - 2, funnel_names[k], VALUE_W, (long long)s->funnel_reached[k]);
        size_t at = b->len;
        put_num(b, s->funnel_conversion[k], false, 1);
        row_end(b, at);
    }
    if (r->nquota) {
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

    puts_(b, "\nService\n");
    row_count(b, "tickets opened", v->tickets_opened);
    row_count(b, "resolved", v->resolved);
    row_rate(b, "resolution rate", v->resolution_rate);
    row_rate(b, "first-contact resolution", v->fcr_rate);
    row_num(b, "average handle time", v->aht_seconds, " s");
    row_rate(b, "CSAT", v->csat_percent.den ? (lss_ratio){ v->csat_percent.num / 100, v->csat_percent.den }
                                            : v->csat_percent);
    row_num(b, "CSAT mean score", v->csat_mean, " / 5");
    row_stats(b, "first response", &v->first_response_seconds);
    row_stats(b, "resolution", &v->resolution_seconds);
    row_rate(b, "reopen rate", v->reopen_rate);
    row_count(b, "backlog", v->backlog);
    row_rate(b, "SLA compliance", v->sla_compliance);

    puts_(b, "\nRelationship\n");
    row_count(b, "customers added", c->customers_added);
    row_count(b, "customers converted", c->customers_converted);
    row_count(b, "active customers", c->active_customers);
    row_rate(b, "retention rate", c->retention_rate);
    row_rate(b, "repeat purchase rate", c->repeat_purchase_rate);
    row_count(b, "referrals", c->referrals);
    row_money_ratio(b, "average customer value", c->avg_customer_value);
}

lss_status lss_report_render(char **out, size_t *len, const lss_report *r, lss_report_format format)
{
    if (out == NULL || r == NULL)
        return lss__fail(NULL, LSS_INVALID, "report render: NULL argument");
    if (format != LSS_REPORT_JSON && format != LSS_REPORT_TEXT)
        return lss__fail(NULL, LSS_INVALID, "report render: format %d is not a format (0 json, 1 text)", (int)format);
    buf b = { NULL, 0, 0, false };
    if (format == LSS_REPORT_JSON)
        render_json(&b, r);
    else
        render_text(&b, r);
    if (b.oom) {
        lss__free(b.p);
        return lss__fail(NULL, LSS_NOMEM, "report render: out of memory");
    }
    *out = b.p;
    if (len)
        *len = b.len;
    return LSS_OK;
}
