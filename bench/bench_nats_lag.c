/* The lag from a commit in a source database to the same event applied in
 * its follower, with `lss publish` and `lss replicate` running between them
 * (bench/bench_nats.sh starts them): commits one customer.add at a time,
 * each after the previous one reached the follower, and prints the
 * distribution. Not a test: it asserts nothing about time.
 * Usage: bench_nats_lag SOURCE.lss FOLLOWER.lss [N]   (default 200) */
#include <salesservice.h>

#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHECK(call) bench_check((call), #call)

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_nats_lag SOURCE.lss FOLLOWER.lss [N]\n");
        return 2;
    }
    int n = argc > 3 ? atoi(argv[3]) : 200;
    lss_db *src, *fol = NULL;
    CHECK(lss_db_open(&src, argv[1], NULL)); /* sync full: a commit is on disk when it returns */
    lss_open_options ro = LSS_OPEN_OPTIONS_INIT;
    ro.flags = LSS_OPEN_READ_ONLY;
    double *lag = malloc(sizeof *lag * (size_t)n);
    lss_time at = lss_db_last_time(src) + 1;
    for (int i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "lag-%d-%ld", i, (long)time(NULL));
        double t0 = bench_now();
        CHECK(lss_customer_add(NULL, src, at + i, key, "Lag GmbH", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL));
        uint64_t want = lss_db_event_count(src);
        for (;;) { /* until the follower holds it */
            if (fol == NULL && lss_db_open(&fol, argv[2], &ro) != LSS_OK)
                fol = NULL;
            uint64_t got = 0;
            int reopened;
            if (fol && lss_db_refresh(fol, &got, &reopened) == LSS_OK && lss_db_event_count(fol) >= want)
                break;
            if (bench_now() - t0 > 30) {
                fprintf(stderr, "bench_nats_lag: event %llu did not reach the follower in 30 s\n",
                        (unsigned long long)want);
                return 1;
            }
            struct timespec ts = { 0, 200000 }; /* 0.2 ms */
            nanosleep(&ts, NULL);
        }
        lag[i] = bench_now() - t0;
    }
    qsort(lag, (size_t)n, sizeof *lag, cmp);
    printf("commit to follower, %d events one at a time: median %.1f ms, p90 %.1f ms, max %.1f ms\n", n,
           lag[n / 2] * 1e3, lag[n * 9 / 10] * 1e3, lag[n - 1] * 1e3);
    free(lag);
    lss_db_close(fol);
    lss_db_close(src);
    return 0;
}
