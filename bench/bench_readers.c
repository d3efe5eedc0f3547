/* Readers beside a writer, in processes of their own: how long after a
 * commit a reader that refreshes in a loop sees it, and what readers cost
 * the writer, with 0, 1 and 8 readers. Printed, never asserted.
 * Usage: bench_readers [DIR] [EVENTS]   (default /dev/shm, 20,000 commits) */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, usleep */
#include "workload.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* shared with the readers: when the writer's call for each event returned,
 * and when the first reader saw it (0: not yet) */
typedef struct shared {
    volatile double committed[1 << 20];
    volatile double seen[1 << 20];
    volatile int start, done;
} shared;

static void reader(const char *path, shared *sh, uint64_t base)
{
    lss_db *db;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    bench_check(lss_db_open(&db, path, &o), "reader open");
    while (!sh->done) {
        uint64_t n;
        int reopened;
        bench_check(lss_db_refresh(db, &n, &reopened), "refresh");
        double now = bench_now();
        uint64_t count = lss_db_event_count(db);
        for (uint64_t s = count - n; s < count; s++)
            if (s >= base && sh->seen[s - base] == 0)
                sh->seen[s - base] = now;
        if (n == 0)
            usleep(50);
    }
    lss_db_close(db);
    _exit(0);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/dev/shm";
    long commits = argc > 2 ? atol(argv[2]) : 20000;
    if (commits < 1 || commits > (1 << 20))
        commits = 20000;
    shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return 1;
    printf("libsalesservice %s: readers in processes of their own, refreshing in a loop; %ld commits, one\n"
           "customer.add each, normal sync; journal in %s\n\n",
           lss_version(), commits, dir);
    printf("  %-8s %14s %16s %16s %16s\n", "readers", "writer events/s", "seen after, p50", "p99", "max");
    const int counts[3] = { 0, 1, 8 };
    for (int c = 0; c < 3; c++) {
        char path[512];
        snprintf(path, sizeof path, "%s/bench-readers-%ld.lss", dir, (long)getpid());
        unlink(path);
        lss_db *db;
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        o.sync = LSS_SYNC_NORMAL;
        bench_check(lss_db_open(&db, path, &o), "open");
        long base = bench_team(db) + bench_customers(db, 0, 2000); /* a small company first */
        memset((void *)sh, 0, sizeof *sh);
        pid_t pids[8];
        for (int r = 0; r < counts[c]; r++)
            if ((pids[r] = fork()) == 0)
                reader(path, sh, (uint64_t)base);
        usleep(200000); /* the readers have opened */
        double t0 = bench_now();
        for (long k = 0; k < commits; k++) {
            char key[32];
            snprintf(key, sizeof key, "rd-%ld", k);
            bench_check(lss_customer_add(NULL, db, 1800000000 + k, key, "Reader Test", NULL, NULL, "smb",
                                         LSS_SOURCE_WEB, NULL),
                        "add");
            sh->committed[k] = bench_now();
        }
        double dt = bench_now() - t0;
        usleep(200000);
        sh->done = 1;
        for (int r = 0; r < counts[c]; r++)
            waitpid(pids[r], NULL, 0);
        lss_db_close(db);
        unlink(path);
        if (counts[c] == 0) {
            printf("  %-8d %14.0f %16s %16s %16s\n", 0, commits / dt, "-", "-", "-");
            continue;
        }
        double *lat = malloc((size_t)commits * sizeof *lat);
        long n = 0;
        for (long k = 0; k < commits; k++)
            if (sh->seen[k] > 0)
                lat[n++] = (sh->seen[k] - sh->committed[k]) * 1e6;
        qsort(lat, (size_t)n, sizeof *lat, cmp_d);
        if (n == 0)
            printf("  %-8d %14.0f %16s\n", counts[c], commits / dt, "(none seen)");
        else
            printf("  %-8d %14.0f %13.0f µs %13.0f µs %13.0f µs%s\n", counts[c], commits / dt, lat[n / 2],
                   lat[n * 99 / 100], lat[n - 1], n < commits ? " (some never seen)" : "");
        free(lat);
    }
    printf("\n(\"seen after\": from the writer's call returning to the first reader's refresh that applied it; a\n"
           "reader sleeps 50 µs between refreshes that find nothing new. The machine has %ld cores.)\n",
           sysconf(_SC_NPROCESSORS_ONLN));
    return 0;
}
