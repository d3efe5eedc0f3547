/* How the cost of a report grows with the data. Builds N customers, each
 * with a deal through the pipeline and a ticket through its lifecycle, then
 * times the full report (every metric, JSON rendered) and prints figures.
 * Not a test: it asserts nothing about time. Usage: bench_report [N ...]
 * (default 10000 100000 1000000). */
#include <salesservice.h>

#include "workload.h"

#include <stdio.h>
#include <stdlib.h>

#define CHECK(call) bench_check((call), #call)

static void run(long n)
{
    lss_db *db;
    CHECK(lss_db_open(&db, NULL, NULL));
    bench_team(db);
    double t0 = bench_now();
    long events = bench_customers(db, 0, n);
    double ingest = bench_now() - t0;

    lss_query q = LSS_QUERY_INIT;
    lss_report *rep;
    char *json;
    size_t len;
    t0 = bench_now();
    CHECK(lss_report_run(&rep, db, &q));
    double report = bench_now() - t0;
    t0 = bench_now();
    CHECK(lss_report_render(&json, &len, rep, LSS_REPORT_JSON));
    double render = bench_now() - t0;
    lss_report_free(rep);
    lss_free(json);

    /* 12 monthly windows over the same data */
    lss_time end = lss_db_last_time(db) + 1, step = (end - 1000) / 12 + 1;
    t0 = bench_now();
    for (int m = 0; m < 12; m++) {
        q.from = 1000 + m * step;
        q.to = q.from + step;
        CHECK(lss_report_run(&rep, db, &q));
        lss_report_free(rep);
    }
    double monthly = bench_now() - t0;
    long entities = 3 * n; /* customers, deals, tickets */
    printf("%9ld %10ld %12.0f %10.1f %10.3f %10.1f %12.1f %10ld\n", n, events, events / ingest, report * 1e3,
           render * 1e3, report * 1e9 / entities, monthly * 1e3, bench_peak_rss_kib() / 1024);
    lss_db_close(db);
}

int main(int argc, char **argv)
{
    printf("libsalesservice %s: full report cost as the data grows (one core)\n", lss_version());
    printf("%9s %10s %12s %10s %10s %10s %12s %10s\n", "customers", "events", "ingest ev/s", "report ms",
           "render ms", "ns/entity", "12 months ms", "peak MiB");
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            run(atol(argv[i]));
    } else {
        run(10000);
        run(100000);
        run(1000000);
    }
    return 0;
}
