/* How the cost of a report grows with the data, in both orders of the
 * events: lss_generate()'s company of N customers written by customer (each
 * customer's story after another) and by time (every event in time order, as
 * a live system writes them). Times the full report (every metric) on the
 * threads the library chooses and on the calling thread only, its JSON
 * rendering, 12 monthly reports, and the same 12 calendar months as one
 * series (lss_series_run, one pass) against 12 separate reports of the
 * same windows, and prints figures.
 * Not a test: it asserts nothing about time.
 * Usage: bench_report [N ...]   (default 10000 100000 1000000)
 *        environment BENCH_ORDER: customer, time or both (the default) */
#include <salesservice.h>

#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call) bench_check((call), #call)
#define DAY 86400

/* Best of `reps` runs of the report of q, in seconds. */
static double report_time(lss_db *db, const lss_query *q, int reps)
{
    double best = 1e9;
    for (int k = 0; k < reps; k++) {
        lss_report *rep;
        double t0 = bench_now();
        CHECK(lss_report_run(&rep, db, q));
        double dt = bench_now() - t0;
        lss_report_free(rep);
        best = dt < best ? dt : best;
    }
    return best;
}

static void run(long n, lss_generate_order order)
{
    lss_db *db;
    CHECK(lss_db_open(&db, NULL, NULL));
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = (uint32_t)n;
    g.order = order;
    CHECK(lss_generate(db, &g));
    int reps = n >= 1000000 ? 3 : 5;

    lss_query q = LSS_QUERY_INIT;
    double report = report_time(db, &q, reps);
    q.threads = 1;
    double report1 = report_time(db, &q, reps);
    q.threads = 0;
    lss_report *rep;
    char *json;
    size_t len;
    CHECK(lss_report_run(&rep, db, &q));
    double t0 = bench_now();
    CHECK(lss_report_render(&json, &len, rep, LSS_REPORT_JSON));
    double render = bench_now() - t0;
    lss_report_free(rep);
    lss_free(json);

    /* 12 monthly windows of the year, each as of its own end */
    double monthly = 1e9;
    for (int k = 0; k < reps; k++) {
        t0 = bench_now();
        for (int m = 0; m < 12; m++) {
            q.from = g.start + (lss_time)m * 365 * DAY / 12;
            q.to = g.start + (lss_time)(m + 1) * 365 * DAY / 12;
            CHECK(lss_report_run(&rep, db, &q));
            lss_report_free(rep);
        }
        double dt = bench_now() - t0;
        monthly = dt < monthly ? dt : monthly;
    }
    /* the calendar months of the year: one series against a report per month, alternating */
    lss_query y = LSS_QUERY_INIT;
    y.from = g.start;
    y.to = g.start + 365 * DAY;
    double series = 1e9, separate = 1e9;
    for (int k = 0; k < reps; k++) {
        lss_series *s;
        t0 = bench_now();
        CHECK(lss_series_run(&s, db, &y, LSS_STEP_MONTH));
        double dt = bench_now() - t0;
        series = dt < series ? dt : series;
        t0 = bench_now();
        for (uint32_t m = 0; m < lss_series_count(s); m++) {
            const lss_sales_metrics *sm = lss_report_sales(lss_series_report(s, m));
            lss_query one = y;
            one.from = sm->from;
            one.to = sm->to;
            CHECK(lss_report_run(&rep, db, &one));
            lss_report_free(rep);
        }
        dt = bench_now() - t0;
        separate = dt < separate ? dt : separate;
        lss_series_free(s);
    }
    double entities = (double)lss_customer_count(db) + lss_deal_count(db) + lss_ticket_count(db);
    printf("%-8s %9ld %10llu %10.2f %10.2f %10.3f %10.1f %12.1f %10.1f %10.1f %8.1fx %10ld\n",
           lss_generate_order_name(order), n, (unsigned long long)lss_db_event_count(db), report * 1e3,
           report1 * 1e3, render * 1e3, report * 1e9 / entities, monthly * 1e3, separate * 1e3, series * 1e3,
           separate / series, bench_peak_rss_kib() / 1024);
    lss_db_close(db);
}

int main(int argc, char **argv)
{
    lss_generate_order orders[2] = { LSS_GENERATE_BY_CUSTOMER, LSS_GENERATE_BY_TIME };
    int norders = 2;
    const char *want = getenv("BENCH_ORDER");
    if (want && strcmp(want, "both") != 0) {
        if (lss_generate_order_parse(&orders[0], want) != LSS_OK) {
            fprintf(stderr, "bench_report: BENCH_ORDER: customer, time or both\n");
            return 2;
        }
        norders = 1;
    }
    printf("libsalesservice %s: full report cost as the data grows (best of 5, of 3 at a million)\n",
           lss_version());
    printf("%-8s %9s %10s %10s %10s %10s %10s %12s %10s %10s %9s %10s\n", "order", "customers", "events",
           "report ms", "1 thread", "render ms", "ns/entity", "12 months ms", "cal. 12 ms", "series ms", "speedup",
           "peak MiB");
    long sizes[16] = { 10000, 100000, 1000000 };
    int nsizes = 3;
    if (argc > 1) {
        nsizes = 0;
        for (int i = 1; i < argc && nsizes < 16; i++)
            sizes[nsizes++] = atol(argv[i]);
    }
    for (int o = 0; o < norders; o++)
        for (int k = 0; k < nsizes; k++)
            run(sizes[k], orders[o]);
    return 0;
}
