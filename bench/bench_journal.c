/* The journal's speed: durable ingest in each sync mode (the benchmarks'
 * synthetic company, workload.h), then reopening (replay) and compacting the
 * journal of lss_generate()'s company of CUSTOMERS customers written in each
 * order of its events: by customer, and by time as a live system writes them.
 * Prints figures; not a test. Usage: bench_journal [DIR] [CUSTOMERS] (default:
 * /dev/shm if it exists, else the current directory; 115,000 customers,
 * about 1,000,000 events). Put DIR on the disk you care about: on /dev/shm
 * fdatasync is free. */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(call) bench_check((call), #call)

static lss_db *open_mode(const char *path, lss_sync_mode mode)
{
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.sync = mode;
    lss_db *db;
    CHECK(lss_db_open(&db, path, &o));
    return db;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ".";
    long customers = argc > 2 ? atol(argv[2]) : 115000;
    char path[512];
    snprintf(path, sizeof path, "%s/bench-journal-%ld.lss", dir, (long)getpid());
    printf("libsalesservice %s: journal in %s\n\n", lss_version(), dir);

    /* durable ingest: a sample per mode (full syncs every event: keep it short) */
    static const struct { lss_sync_mode mode; long customers; } modes[] = {
        { LSS_SYNC_FULL, 2000 }, { LSS_SYNC_NORMAL, 50000 }, { LSS_SYNC_OFF, 50000 } };
    printf("%-8s %10s %12s\n", "sync", "events", "events/s");
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        unlink(path);
        lss_db *db = open_mode(path, modes[m].mode);
        bench_team(db);
        double t0 = bench_now();
        long ev = bench_customers(db, 0, modes[m].customers);
        lss_db_close(db); /* includes the final sync */
        double dt = bench_now() - t0;
        printf("%-8s %10ld %12.0f\n", lss_sync_mode_name(modes[m].mode), ev, ev / dt);
    }
    printf("%-8s %10s %12s   (the same in memory)\n", "", "", "");
    {
        lss_db *db;
        CHECK(lss_db_open(&db, NULL, NULL));
        bench_team(db);
        double t0 = bench_now();
        long ev = bench_customers(db, 0, 50000);
        double dt = bench_now() - t0;
        printf("%-8s %10ld %12.0f\n", "memory", ev, ev / dt);
        lss_db_close(db);
    }

    /* a big journal of lss_generate's company, in each order of its events */
    lss_generate_order orders[2] = { LSS_GENERATE_BY_CUSTOMER, LSS_GENERATE_BY_TIME };
    for (int o = 0; o < 2; o++) {
        char ck[600];
        snprintf(ck, sizeof ck, "%s.checkpoint", path);
        unlink(path);
        unlink(ck);
        /* no automatic checkpoint: the reopen below replays the whole journal */
        lss_open_options oo = LSS_OPEN_OPTIONS_INIT;
        oo.sync = LSS_SYNC_OFF;
        oo.checkpoint_bytes = 0;
        lss_db *db;
        CHECK(lss_db_open(&db, path, &oo));
        lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
        g.customers = (uint32_t)customers;
        g.order = orders[o];
        CHECK(lss_generate(db, &g));
        long events = (long)lss_db_event_count(db);
        lss_db_close(db);
        struct stat sb;
        stat(path, &sb);

        /* reopen: best of 5 */
        double best = 1e9;
        for (int run = 0; run < 5; run++) {
            double t0 = bench_now();
            db = open_mode(path, LSS_SYNC_FULL);
            double dt = bench_now() - t0;
            if ((long)lss_db_event_count(db) != events) {
                fprintf(stderr, "bench_journal: replayed %llu events, wrote %ld\n",
                        (unsigned long long)lss_db_event_count(db), events);
                return 1;
            }
            best = dt < best ? dt : best;
            if (run < 4)
                lss_db_close(db);
        }
        printf("\nevents by %s: reopen: %ld events (%.1f MB, %.1f bytes/event) in %.3f s: %.2f million events/s, "
               "%.0f MB/s\n",
               lss_generate_order_name(orders[o]), events, sb.st_size / 1e6, (double)sb.st_size / events, best,
               events / best / 1e6, sb.st_size / best / 1e6);
        /* the open built the key index: the first lookup by key costs nothing more */
        double t0 = bench_now();
        const lss_customer *c;
        CHECK(lss_customer_by_id(&c, db, 0));
        CHECK(lss_customer_find(&c, db, lss_customer_key(c)));
        printf("first lookup by key after the open (the open built the key index of %u customers, %u deals, %u "
               "tickets): %.6f s\n",
               lss_customer_count(db), lss_deal_count(db), lss_ticket_count(db), bench_now() - t0);
        t0 = bench_now();
        CHECK(lss_db_compact(db));
        printf("compact: %.3f s\n", bench_now() - t0);
        lss_db_close(db);
    }
    printf("peak RSS: %ld MiB\n", bench_peak_rss_kib() / 1024);
    unlink(path);
    return 0;
}
