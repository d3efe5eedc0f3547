/* Business-calendar arithmetic (salesservice/calendar.h): the time of one
 * lss_calendar_seconds() and one lss_calendar_add() over spans of an hour,
 * a week and a year, for a calendar in Europe/Berlin (Mon-Fri 09:00-17:00,
 * 12 holidays a year, two clock changes a year) and the same hours in UTC.
 * Each figure is the median of 9 runs of 200,000 calls with start moments
 * spread over 2024-2027. Issue 19's target: a year of calendar well under
 * a microsecond per call.
 *
 * Then, for each N given, the full report of lss_generate()'s company of N
 * customers (by time) beside the same company whose every ticket counts its
 * SLA clock in a business calendar (Europe/Berlin, Mon-Fri 09:00-17:00,
 * with the holidays above; the generator's events imported after a
 * calendar.set and an sla.set with the calendar for every priority): best
 * of 5 runs each, alternating. Issue 19's target: the business-hours clock
 * does not make the report more than 2x slower.
 * Usage: bench_calendar [N ...]   (default: no report table) */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALLS 200000
#define RUNS 9

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static volatile int64_t sink;

static double ns_per_call(const lss_calendar *c, int64_t span, int add)
{
    double v[RUNS];
    lss_time base = 1704067200; /* 2024-01-01 */
    for (int r = 0; r < RUNS; r++) {
        uint64_t x = 12345u + (uint64_t)r;
        double t0 = bench_now();
        for (int i = 0; i < CALLS; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            lss_time a = base + (lss_time)((x >> 33) % (3u * 366u * 86400u));
            int64_t out;
            if (add) {
                lss_time due;
                lss_calendar_add(&due, c, a, span);
                out = due;
            } else {
                lss_calendar_seconds(&out, c, a, a + span);
            }
            sink += out;
        }
        v[r] = (bench_now() - t0) / CALLS * 1e9;
    }
    qsort(v, RUNS, sizeof v[0], cmp_d);
    return v[RUNS / 2];
}

/* Best of 5 reports of each database, alternating, in seconds. */
static void report_pair(lss_db *a, lss_db *b, double *ta, double *tb)
{
    *ta = *tb = 1e9;
    lss_query q = LSS_QUERY_INIT;
    for (int k = 0; k < 10; k++) {
        lss_report *rep;
        double t0 = bench_now();
        bench_check(lss_report_run(&rep, k % 2 ? b : a, &q), "lss_report_run");
        double dt = bench_now() - t0;
        lss_report_free(rep);
        double *best = k % 2 ? tb : ta;
        *best = dt < *best ? dt : *best;
    }
}

static void report_table(long n, const lss_date *hol, size_t nh)
{
    lss_db *plain, *cal;
    bench_check(lss_db_open(&plain, NULL, NULL), "open");
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = (uint32_t)n;
    g.order = LSS_GENERATE_BY_TIME;
    bench_check(lss_generate(plain, &g), "lss_generate");
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bench_check(lss_export_stream(plain, f, NULL), "lss_export_stream");
    fclose(f);
    /* the calendar and the policy right after the db.config line */
    char *rest = strchr(text, '\n') + 1;
    size_t head = (size_t)(rest - text);
    char pre[4096];
    int k = snprintf(pre, sizeof pre, "{\"type\":\"calendar.set\",\"at\":\"2025-01-01\",\"key\":\"office\","
                                      "\"timezone\":\"Europe/Berlin\",\"hours\":[");
    for (int d = 0; d < 5; d++)
        k += snprintf(pre + k, sizeof pre - (size_t)k, "%s{\"day\":\"%s\",\"from\":\"09:00\",\"to\":\"17:00\"}",
                      d ? "," : "", lss_weekday_name(d));
    k += snprintf(pre + k, sizeof pre - (size_t)k, "],\"holidays\":[");
    for (size_t i = 0; i < nh; i++) {
        char b[11];
        k += snprintf(pre + k, sizeof pre - (size_t)k, "%s\"%s\"", i ? "," : "", lss_date_format(b, hol[i]));
    }
    k += snprintf(pre + k, sizeof pre - (size_t)k, "]}\n");
    static const char *const prio[] = { "low", "normal", "high", "urgent" };
    static const int resp[] = { 24, 8, 4, 1 }, res[] = { 120, 72, 24, 8 };
    for (int p = 0; p < 4; p++)
        k += snprintf(pre + k, sizeof pre - (size_t)k,
                      "{\"type\":\"sla.set\",\"at\":\"2025-01-01\",\"priority\":\"%s\",\"first_response\":%d,"
                      "\"resolution\":%d,\"calendar\":\"office\"}\n",
                      prio[p], resp[p] * 3600, res[p] * 3600);
    char *all = malloc(len + (size_t)k + 1);
    if (all == NULL)
        exit(1);
    memcpy(all, text, head);
    memcpy(all + head, pre, (size_t)k);
    memcpy(all + head + k, rest, len - head + 1);
    bench_check(lss_db_open(&cal, NULL, NULL), "open");
    f = fmemopen(all, len + (size_t)k, "r");
    bench_check(lss_import_stream(cal, f, NULL, NULL), "lss_import_stream");
    fclose(f);
    free(all);
    free(text);
    double ta, tb;
    report_pair(plain, cal, &ta, &tb);
    lss_query q = LSS_QUERY_INIT;
    lss_ratio ra, rb;
    bench_check(lss_metric_sla_compliance(&ra, plain, &q), "sla_compliance");
    bench_check(lss_metric_sla_compliance(&rb, cal, &q), "sla_compliance");
    char sa[LSS_RATIO_BUFSIZE] = "-", sb[LSS_RATIO_BUFSIZE] = "-";
    if (lss_ratio_format(sa, sizeof sa, ra, 4) != LSS_OK)
        snprintf(sa, sizeof sa, "%lld/%lld", (long long)ra.num, (long long)ra.den);
    if (lss_ratio_format(sb, sizeof sb, rb, 4) != LSS_OK)
        snprintf(sb, sizeof sb, "%lld/%lld", (long long)rb.num, (long long)rb.den);
    printf("%9ld %10u %16.2f %16.2f %8.2fx %12s %12s\n", n, lss_ticket_count(cal), ta * 1e3, tb * 1e3, tb / ta, sa,
           sb);
    lss_db_close(plain);
    lss_db_close(cal);
}

int main(int argc, char **argv)
{
    lss_hours h[5];
    for (int d = 0; d < 5; d++)
        h[d] = (lss_hours){ (lss_weekday)d, 9 * 3600, 17 * 3600 };
    static const char *const days[] = { "01-01", "04-18", "04-21", "05-01", "05-29", "06-09",
                                        "10-03", "12-24", "12-25", "12-26", "12-31", "08-15" };
    lss_date hol[4 * 12];
    size_t nh = 0;
    for (int y = 2024; y <= 2027; y++)
        for (int k = 0; k < 12; k++) {
            char buf[16];
            snprintf(buf, sizeof buf, "%d-%s", y, days[k]);
            bench_check(lss_date_parse(&hol[nh++], buf), "lss_date_parse");
        }
    lss_calendar *berlin, *utc;
    bench_check(lss_calendar_new(&berlin, "Europe/Berlin", h, 5, hol, nh, NULL), "lss_calendar_new Europe/Berlin");
    bench_check(lss_calendar_new(&utc, "UTC", h, 5, NULL, 0, NULL), "lss_calendar_new UTC");
    printf("bench_calendar: Mon-Fri 09:00-17:00; ns per call, median of %d runs of %d calls\n\n", RUNS, CALLS);
    printf("%-34s %14s %14s\n", "call", "Europe/Berlin", "UTC");
    static const struct {
        const char *name;
        int64_t span;
        int add;
    } q[] = {
        { "seconds over 1 hour", 3600, 0 },       { "seconds over 1 week", 7 * 86400, 0 },
        { "seconds over 1 year", 365 * 86400, 0 }, { "add 4 business hours", 4 * 3600, 1 },
        { "add 1 business week (40 h)", 40 * 3600, 1 }, { "add 1 business year (2088 h)", 2088 * 3600, 1 },
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        printf("%-34s %14.1f %14.1f\n", q[i].name, ns_per_call(berlin, q[i].span, q[i].add),
               ns_per_call(utc, q[i].span, q[i].add));
    lss_calendar_free(berlin);
    lss_calendar_free(utc);
    if (argc > 1) {
        printf("\nfull report, best of 5 each, alternating (ms); SLA compliance of each\n%9s %10s %16s %16s %9s %12s %12s\n",
               "customers", "tickets", "around the clock", "business hours", "ratio", "SLA 24/7", "SLA business");
        for (int i = 1; i < argc; i++)
            report_table(atol(argv[i]), hol, nh);
    }
    return 0;
}
