/* How the cost of a report grows with the data. Builds N customers, each
 * with a deal through the pipeline and a ticket through its lifecycle, then
 * times the full report (every metric, JSON rendered) and prints figures.
 * Not a test: it asserts nothing about time. Usage: bench_report [N ...]
 * (default 10000 100000 1000000). */
#include <salesservice.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define CHECK(call)                                                                                 \
    do {                                                                                            \
        if ((call) != LSS_OK) {                                                                     \
            fprintf(stderr, "bench_report: %s: %s\n", #call, lss_errmsg());                        \
            exit(1);                                                                                \
        }                                                                                           \
    } while (0)

static unsigned long long rnd(unsigned long long *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void run(long n)
{
    lss_db *db;
    CHECK(lss_db_open(&db, NULL, NULL));
    CHECK(lss_member_add(NULL, db, 0, "s1", "S1", LSS_ROLE_SALES, "north"));
    CHECK(lss_member_add(NULL, db, 0, "s2", "S2", LSS_ROLE_SALES, "south"));
    CHECK(lss_member_add(NULL, db, 0, "a1", "A1", LSS_ROLE_SERVICE, "desk"));
    CHECK(lss_quota_set(db, 0, "s1", 0, 86400 * 365, 100000000));
    unsigned long long seed = 42;
    double t0 = now();
    long events = 0;
    char c[24], d[24], t[24];
    for (long i = 0; i < n; i++) {
        lss_time at = 1000 + i * 30;
        snprintf(c, sizeof c, "c%ld", i);
        snprintf(d, sizeof d, "d%ld", i);
        snprintf(t, sizeof t, "t%ld", i);
        unsigned long long r = rnd(&seed);
        CHECK(lss_customer_add(NULL, db, at, c, c, NULL, NULL, r % 3 ? "smb" : "ent", LSS_SOURCE_WEB, NULL));
        CHECK(lss_deal_open(NULL, db, at + 1, d, c, r % 2 ? "s1" : "s2", (lss_money)(r % 1000000), NULL,
                            LSS_TIME_NONE));
        events += 2;
        int stages = (int)(r >> 8) % 4;
        for (int k = 1; k <= stages; k++, events++)
            CHECK(lss_deal_advance(db, at + 1 + k, d, (lss_stage)k));
        if (stages == 3 && (r >> 12) % 2) {
            CHECK(lss_deal_win(db, at + 10, d, -1));
            events++;
        } else if ((r >> 13) % 3 == 0) {
            CHECK(lss_deal_lose(db, at + 10, d, LSS_LOSS_PRICE, NULL));
            events++;
        }
        CHECK(lss_ticket_open(NULL, db, at + 11, t, c, LSS_TICKET_QUESTION, (lss_channel)(r % 6),
                              (lss_priority)((r >> 4) % 4), NULL, NULL));
        CHECK(lss_ticket_assign(db, at + 12, t, "a1"));
        CHECK(lss_ticket_contact(db, at + 13 + (lss_time)(r % 7), t, "a1", (int64_t)(r % 900), -1));
        events += 3;
        if ((r >> 20) % 4) {
            CHECK(lss_ticket_resolve(db, at + 25, t, NULL));
            CHECK(lss_ticket_rate(db, at + 26, t, 1 + (int)((r >> 24) % 5), NULL));
            events += 2;
        }
    }
    double ingest = now() - t0;

    lss_query q = LSS_QUERY_INIT;
    lss_report *rep;
    char *json;
    size_t len;
    t0 = now();
    CHECK(lss_report_run(&rep, db, &q));
    double report = now() - t0;
    t0 = now();
    CHECK(lss_report_render(&json, &len, rep, LSS_REPORT_JSON));
    double render = now() - t0;
    lss_report_free(rep);
    lss_free(json);

    /* 12 monthly windows over the same data */
    lss_time end = lss_db_last_time(db) + 1, step = (end - 1000) / 12 + 1;
    t0 = now();
    for (int m = 0; m < 12; m++) {
        q.from = 1000 + m * step;
        q.to = q.from + step;
        CHECK(lss_report_run(&rep, db, &q));
        lss_report_free(rep);
    }
    double monthly = now() - t0;
    long entities = 3 * n; /* customers, deals, tickets */
    printf("%9ld %10ld %12.0f %10.1f %10.3f %10.1f %12.1f %10ld\n", n, events, events / ingest, report * 1e3,
           render * 1e3, report * 1e9 / entities, monthly * 1e3, peak_rss_kib() / 1024);
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
