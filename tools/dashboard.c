/* lss dashboard: one self-contained HTML page of a database's figures,
 * drawn as inline SVG (no script, nothing fetched): the funnel, won revenue
 * against quota, win rate, pipeline velocity, the forecast, the backlog by
 * age, SLA compliance, CSAT, NPS, and the overdue tasks and breaching
 * tickets. The figures come from one series (lss_series_run) and one
 * report of the whole window; the tables from lss_list_run. */
#define _POSIX_C_SOURCE 200809L
#include "dashboard.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define W 560
#define H 230
#define LEFT 64
#define RIGHT 16
#define TOP 16
#define BOTTOM 44
#define MAX_SERIES 5
#define TABLE_ROWS 10

/* One series of a chart: values with gaps (has[i] false: no value). */
typedef struct series {
    const char *name, *color;
    const double *v;
    const bool *has;
    bool line; /* a line; else bars (stacked with the other bar series when the chart stacks) */
} series;

typedef struct chart {
    const char *id, *title, *unit; /* unit: "" for counts, "%" ... */
    char (*labels)[16];
    int n;
    series s[MAX_SERIES];
    int ns;
    bool stacked;
    double lo, hi; /* fixed range when lo < hi, else from the values */
} chart;

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A compact number for an axis or a label: 950, 12.5k, 3.2M. */
static const char *compact(char buf[32], double v)
{
    double a = v < 0 ? -v : v;
    if (a >= 1e9)
        snprintf(buf, 32, "%.1fG", v / 1e9);
    else if (a >= 1e6)
        snprintf(buf, 32, "%.1fM", v / 1e6);
    else if (a >= 1e4)
        snprintf(buf, 32, "%.1fk", v / 1e3);
    else if (a >= 100 || v == (double)(long long)v)
        snprintf(buf, 32, "%.0f", v);
    else
        snprintf(buf, 32, "%.1f", v);
    return buf;
}

static double ratio(lss_ratio r, double scale, bool *has)
{
    *has = r.den != 0;
    return r.den ? (double)r.num * scale / (double)r.den : 0;
}

static void range_of(const chart *c, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    for (int i = 0; i < c->n; i++) {
        double stack = 0;
        for (int k = 0; k < c->ns; k++) {
            const series *s = &c->s[k];
            if (!s->has[i])
                continue;
            double v = c->stacked && !s->line ? (stack += s->v[i]) : s->v[i];
            *lo = v < *lo ? v : *lo;
            *hi = v > *hi ? v : *hi;
        }
    }
    if (c->lo < c->hi) {
        *lo = c->lo;
        *hi = c->hi;
    } else if (*hi <= *lo) {
        *hi = *lo + 1;
    } else {
        *hi += (*hi - *lo) * 0.08;
    }
}

/* One chart: a titled section with an <svg class="chart">. */
static void draw(FILE *f, const chart *c)
{
    double lo, hi;
    range_of(c, &lo, &hi);
    double pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM, slot = pw / (c->n > 0 ? c->n : 1);
#define Y(v) (TOP + ph - ((v) - lo) / (hi - lo) * ph)
    char b[32];
    fprintf(f, "<section><h2>");
    esc(f, c->title);
    fprintf(f, "</h2>\n<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">\n",
            c->id, W, H, W, H);
    for (int g = 0; g <= 4; g++) { /* grid and y labels */
        double v = lo + (hi - lo) * g / 4;
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", LEFT, W - RIGHT, Y(v), Y(v));
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"ylab\">%s%s</text>\n", LEFT - 6, Y(v) + 4, compact(b, v),
                c->unit);
    }
    int every = c->n > 12 ? (c->n + 11) / 12 : 1;
    for (int i = 0; i < c->n; i += every)
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"xlab\">%s</text>", LEFT + slot * (i + 0.5), H - BOTTOM + 16,
                c->labels[i]);
    fputc('\n', f);
    int nbars = 0;
    for (int k = 0; k < c->ns; k++)
        nbars += !c->s[k].line;
    int bars_side = c->stacked ? (nbars > 0) : nbars;
    double bw = bars_side ? slot * 0.7 / bars_side : 0;
    for (int i = 0; i < c->n; i++) {
        double base = 0;
        int b_i = 0;
        for (int k = 0; k < c->ns; k++) {
            const series *s = &c->s[k];
            if (s->line || !s->has[i])
                continue;
            double x = LEFT + slot * i + slot * 0.15 + (c->stacked ? 0 : bw * b_i++);
            double y0 = c->stacked ? base : 0, y1 = y0 + s->v[i];
            base = c->stacked ? y1 : base;
            double top = Y(y1 > y0 ? y1 : y0), bottom = Y(y1 > y0 ? y0 : y1);
            fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                       "<title>%s %s: %s</title></rect>\n",
                    x, top, bw, bottom - top, s->color, c->labels[i], s->name, compact(b, s->v[i]));
        }
    }
    for (int k = 0; k < c->ns; k++) {
        const series *s = &c->s[k];
        if (!s->line)
            continue;
        bool open = false;
        for (int i = 0; i < c->n; i++) { /* a polyline per run of values */
            if (!s->has[i]) {
                if (open)
                    fputs("\"/>\n", f);
                open = false;
                continue;
            }
            if (!open)
                fprintf(f, "<polyline class=\"line\" fill=\"none\" stroke=\"%s\" points=\"", s->color);
            fprintf(f, "%.1f,%.1f ", LEFT + slot * (i + 0.5), Y(s->v[i]));
            open = true;
        }
        if (open)
            fputs("\"/>\n", f);
        for (int i = 0; i < c->n; i++)
            if (s->has[i])
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s %s: %s</title></circle>",
                        LEFT + slot * (i + 0.5), Y(s->v[i]), s->color, c->labels[i], s->name, compact(b, s->v[i]));
        fputc('\n', f);
    }
    double lx = LEFT;
    for (int k = 0; k < c->ns; k++) { /* legend */
        fprintf(f, "<rect x=\"%.0f\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%.0f\" y=\"%d\" "
                   "class=\"legend\">%s</text>",
                lx, H - 14, c->s[k].color, lx + 14, H - 5, c->s[k].name);
        lx += 14 + 6.2 * (double)strlen(c->s[k].name) + 16;
    }
    fputs("\n</svg></section>\n", f);
#undef Y
}

static void step_label(char out[16], lss_time t, lss_step step, bool first)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (step == LSS_STEP_MONTH) /* "Jan 25", then "Feb" ... */
        strftime(out, 16, tm.tm_mon == 0 || first ? "%b %y" : "%b", &tm);
    else if (step == LSS_STEP_QUARTER)
    {
        size_t l = strftime(out, 14, "%Y-Q", &tm);
        out[l] = (char)('1' + tm.tm_mon / 3);
        out[l + 1] = '\0';
    }
    else
        strftime(out, 16, "%m-%d", &tm);
}

static void time_cell(FILE *f, lss_time t)
{
    char b[LSS_TIME_BUFSIZE];
    fputs("<td>", f);
    if (t != LSS_TIME_NONE && lss_time_format(b, sizeof b, t) == LSS_OK)
        esc(f, b);
    fputs("</td>", f);
}

static void text_cell(FILE *f, const char *s)
{
    fputs("<td>", f);
    esc(f, s ? s : "");
    fputs("</td>", f);
}

/* The open tasks most overdue, and the open tickets with an SLA target due
 * within a day of `at` (a target whose due has passed is missed: those are
 * counted, `breached`). */
static lss_status tables(FILE *f, lss_db *db, lss_time at, int64_t breached)
{
    lss_list_filter tf, kf;
    lss_list_filter_init(&tf, LSS_LIST_TASKS);
    tf.as_of = at;
    tf.overdue = 1;
    tf.sort = "due";
    tf.limit = TABLE_ROWS;
    lss_list_filter_init(&kf, LSS_LIST_TICKETS);
    kf.as_of = at;
    kf.open = 1;
    kf.breach_before = at + 86400;
    kf.sort = "resolution_due";
    kf.limit = TABLE_ROWS;
    lss_list *tasks = NULL, *tickets = NULL;
    lss_status st = lss_list_run(&tasks, db, &tf);
    if (st == LSS_OK)
        st = lss_list_run(&tickets, db, &kf);
    if (st != LSS_OK) {
        lss_list_free(tasks);
        return st;
    }
    fprintf(f, "<section class=\"wide\"><h2>Overdue tasks (%u, the %u most overdue)</h2>\n<table id=\"overdue-tasks\">"
               "<tr><th>task</th><th>member</th><th>customer</th><th>to do</th><th>due</th></tr>\n",
            lss_list_matched(tasks), lss_list_count(tasks));
    for (uint32_t i = 0; i < lss_list_count(tasks); i++) {
        lss_task_row r;
        lss_list_task(&r, tasks, i);
        fputs("<tr>", f);
        text_cell(f, lss_task_key(r.task));
        text_cell(f, r.member ? lss_member_key(r.member) : "");
        text_cell(f, lss_customer_name(r.customer));
        text_cell(f, lss_activity_kind_name(r.kind));
        time_cell(f, r.due);
        fputs("</tr>\n", f);
    }
    fprintf(f, "</table></section>\n<section class=\"wide\"><h2>Tickets about to breach: %u with an SLA target due "
               "within a day (the first %u); %lld open tickets have missed one</h2>\n"
               "<table id=\"breaching-tickets\"><tr><th>ticket</th><th>priority</th><th>customer</th>"
               "<th>assignee</th><th>opened</th><th>response due</th><th>resolution due</th></tr>\n",
            lss_list_matched(tickets), lss_list_count(tickets), (long long)breached);
    for (uint32_t i = 0; i < lss_list_count(tickets); i++) {
        lss_ticket_row r;
        lss_list_ticket(&r, tickets, i);
        fputs("<tr>", f);
        text_cell(f, lss_ticket_key(r.ticket));
        text_cell(f, lss_priority_name(r.priority));
        text_cell(f, lss_customer_name(r.customer));
        text_cell(f, r.assignee ? lss_member_key(r.assignee) : "");
        time_cell(f, r.opened);
        time_cell(f, r.first_response_due);
        time_cell(f, r.resolution_due);
        fputs("</tr>\n", f);
    }
    fputs("</table></section>\n", f);
    lss_list_free(tasks);
    lss_list_free(tickets);
    return LSS_OK;
}

static const char STYLE[] =
    "<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}"
    "h1{font-size:22px;margin:0 0 4px}p.sub{color:#666;margin:0 0 16px}"
    "main{display:grid;grid-template-columns:repeat(auto-fill,minmax(580px,1fr));gap:16px}"
    "section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 12px}"
    "section.wide{grid-column:1/-1}h2{font-size:15px;margin:4px 0 6px}"
    ".grid{stroke:#e4e4e4}.ylab{font-size:10px;text-anchor:end;fill:#666}"
    ".xlab{font-size:10px;text-anchor:middle;fill:#666}.legend{font-size:11px;fill:#333}"
    ".line{stroke-width:2}table{border-collapse:collapse;width:100%;font-size:12px}"
    "th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eee}th{color:#555}</style>\n";

lss_status lss_dashboard_write(FILE *f, lss_db *db, const lss_query *q, lss_step step, const char *title)
{
    lss_series *s = NULL;
    lss_report *whole = NULL;
    lss_status st = lss_series_run(&s, db, q, step);
    if (st == LSS_OK)
        st = lss_report_run(&whole, db, q);
    if (st != LSS_OK) {
        lss_series_free(s);
        return st;
    }
    enum { REV, QUOTA, WIN, VEL, BL0, FR = BL0 + LSS_BACKLOG_AGE_BUCKETS, RES, CSAT, NPS, NV };
    int n = (int)lss_series_count(s);
    double *v[NV];
    bool *has[NV];
    char(*labels)[16] = malloc(sizeof *labels * (size_t)n);
    bool nomem = labels == NULL;
    for (int k = 0; k < NV; k++) {
        v[k] = malloc(sizeof *v[k] * (size_t)n);
        has[k] = malloc(sizeof *has[k] * (size_t)n);
        nomem |= v[k] == NULL || has[k] == NULL;
    }
    if (nomem) {
        st = LSS_NOMEM;
        goto done;
    }
    for (int i = 0; i < n; i++) {
        const lss_report *r = lss_series_report(s, (uint32_t)i);
        const lss_sales_metrics *sm = lss_report_sales(r);
        const lss_service_levels *lv = lss_report_service_levels(r);
        step_label(labels[i], sm->from, step, i == 0);
        v[REV][i] = (double)sm->revenue / 100;
        has[REV][i] = true;
        /* quota: each period's target, pro rata over the part of the step it covers */
        double quota = 0;
        for (uint32_t k = 0; k < lss_report_quota_count(r); k++) {
            lss_quota_row row;
            lss_report_quota_get(&row, r, k);
            lss_time a = row.from > sm->from ? row.from : sm->from, b = row.to < sm->to ? row.to : sm->to;
            if (b > a && row.to > row.from)
                quota += (double)row.target / 100 * (double)(b - a) / (double)(row.to - row.from);
        }
        v[QUOTA][i] = quota;
        has[QUOTA][i] = lss_report_quota_count(r) > 0;
        v[WIN][i] = ratio(sm->win_rate, 100, &has[WIN][i]);
        v[VEL][i] = ratio(lss_report_pipeline(r)->pipeline_velocity, 0.01, &has[VEL][i]);
        for (int k = 0; k < LSS_BACKLOG_AGE_BUCKETS; k++) {
            v[BL0 + k][i] = (double)lv->backlog_age[k];
            has[BL0 + k][i] = true;
        }
        v[FR][i] = ratio(lv->sla_first_response_compliance, 100, &has[FR][i]);
        v[RES][i] = ratio(lv->sla_resolution_compliance, 100, &has[RES][i]);
        v[CSAT][i] = ratio(lss_report_service(r)->csat_percent, 1, &has[CSAT][i]);
        v[NPS][i] = ratio(lss_report_nps(r)->nps, 1, &has[NPS][i]);
    }
    /* the whole window: the funnel and the forecast */
    const lss_sales_metrics *ws = lss_report_sales(whole);
    const lss_forecast *fc = &lss_report_pipeline(whole)->forecast;
    static char stage_labels[LSS_FUNNEL_STAGES][16] = { "prospect", "qualified", "presented", "negotiated",
                                                              "won" };
    static char fc_labels[5][16] = { "closed", "commit", "best case", "pipeline", "weighted" };
    double funnel[LSS_FUNNEL_STAGES], fcv[5];
    bool all[LSS_FUNNEL_STAGES] = { true, true, true, true, true };
    for (int k = 0; k < LSS_FUNNEL_STAGES; k++)
        funnel[k] = (double)ws->funnel_reached[k];
    bool w_has;
    fcv[0] = (double)fc->closed / 100;
    fcv[1] = (double)fc->commit / 100;
    fcv[2] = (double)fc->best_case / 100;
    fcv[3] = (double)fc->pipeline / 100;
    fcv[4] = ratio(fc->weighted, 0.01, &w_has);

    char from[LSS_TIME_BUFSIZE] = "the beginning", to[LSS_TIME_BUFSIZE], asof[LSS_TIME_BUFSIZE];
    if (ws->from != LSS_TIME_NONE)
        lss_time_format(from, sizeof from, ws->from);
    lss_time_format(to, sizeof to, ws->to);
    lss_time_format(asof, sizeof asof, lss_report_as_of(whole));
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    esc(f, title);
    fprintf(f, "</title>\n%s</head><body>\n<h1>", STYLE);
    esc(f, title);
    fprintf(f, "</h1><p class=\"sub\">%s to %s, by %s, as of %s. Money in %s.</p>\n<main>\n", from, to,
            lss_step_name(step), asof, lss_db_currency(db));
    const char *bucket[LSS_BACKLOG_AGE_BUCKETS] = { "< 1 day", "1-3 days", "3-7 days", "7-30 days", ">= 30 days" };
    const char *bucket_color[LSS_BACKLOG_AGE_BUCKETS] = { "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594" };
    chart charts[9] = {
        { "funnel", "Funnel: deals opened in the window by furthest stage", "", stage_labels, LSS_FUNNEL_STAGES,
          { { "deals", "#3182bd", funnel, all, false } }, 1, false, 0, 0 },
        { "revenue", "Won revenue against quota", "", labels, n,
          { { "won revenue", "#31a354", v[REV], has[REV], false }, { "quota", "#e6550d", v[QUOTA], has[QUOTA], true } },
          2, false, 0, 0 },
        { "win-rate", "Win rate", "%", labels, n, { { "win rate", "#756bb1", v[WIN], has[WIN], true } }, 1, false, 0, 100 },
        { "velocity", "Pipeline velocity (money per day)", "", labels, n,
          { { "velocity", "#636363", v[VEL], has[VEL], true } }, 1, false, 0, 0 },
        { "forecast", "Forecast of the window by category", "", fc_labels, 5,
          { { "forecast", "#fd8d3c", fcv, all, false } }, 1, false, 0, 0 },
        { "backlog", "Backlog by age at the end of each step", "", labels, n, { { 0 } }, LSS_BACKLOG_AGE_BUCKETS, true,
          0, 0 },
        { "sla", "SLA compliance per target", "%", labels, n,
          { { "first response", "#3182bd", v[FR], has[FR], true }, { "resolution", "#e6550d", v[RES], has[RES], true } },
          2, false, 0, 100 },
        { "csat", "CSAT (ratings of 4 or 5)", "%", labels, n, { { "CSAT", "#31a354", v[CSAT], has[CSAT], true } }, 1,
          false, 0, 100 },
        { "nps", "NPS", "", labels, n, { { "NPS", "#756bb1", v[NPS], has[NPS], true } }, 1, false, -100, 100 },
    };
    for (int k = 0; k < LSS_BACKLOG_AGE_BUCKETS; k++)
        charts[5].s[k] = (series){ bucket[k], bucket_color[k], v[BL0 + k], has[BL0 + k], false };
    for (size_t k = 0; k < sizeof charts / sizeof charts[0]; k++)
        draw(f, &charts[k]);
    st = tables(f, db, lss_report_as_of(whole), lss_report_service_levels(whole)->backlog_breached);
    fputs("</main>\n</body></html>\n", f);
done:
    for (int k = 0; k < NV; k++) {
        free(v[k]);
        free(has[k]);
    }
    free(labels);
    lss_report_free(whole);
    lss_series_free(s);
    return st;
}
