#include "workload.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

long bench_peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

void bench_check(lss_status st, const char *what)
{
    if (st != LSS_OK) {
        fprintf(stderr, "bench: %s: %s: %s\n", what, lss_status_name(st), lss_errmsg());
        exit(1);
    }
}

#define CHECK(call) bench_check((call), #call)

long bench_team(lss_db *db)
{
    CHECK(lss_member_add(NULL, db, 0, "s1", "S1", LSS_ROLE_SALES, "north"));
    CHECK(lss_member_add(NULL, db, 0, "s2", "S2", LSS_ROLE_SALES, "south"));
    CHECK(lss_member_add(NULL, db, 0, "a1", "A1", LSS_ROLE_SERVICE, "desk"));
    CHECK(lss_quota_set(db, 0, "s1", 0, 86400 * 365, 100000000));
    return 4;
}

static unsigned long long mix(unsigned long long x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

long bench_customers(lss_db *db, long first, long n)
{
    long events = 0;
    char c[24], d[24], t[24];
    for (long i = first; i < first + n; i++) {
        lss_time at = 1000 + i * 30;
        snprintf(c, sizeof c, "c%ld", i);
        snprintf(d, sizeof d, "d%ld", i);
        snprintf(t, sizeof t, "t%ld", i);
        unsigned long long r = mix((unsigned long long)i + 42);
        CHECK(lss_customer_add(NULL, db, at, c, c, NULL, NULL, r % 3 ? "smb" : "ent", LSS_SOURCE_WEB, NULL));
        CHECK(lss_deal_open(NULL, db, at + 1, d, c, r % 2 ? "s1" : "s2", (lss_money)(r % 1000000), NULL,
                            LSS_TIME_NONE));
        events += 2;
        int stages = (int)((r >> 8) % 4);
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
    return events;
}

/* ---- a counting allocator hook (the library's own memory accounting) ---- */

typedef union {
    max_align_t a;
    size_t n;
} count_hdr;
static size_t live_bytes;

static void *cnt_malloc(size_t n, void *ctx)
{
    (void)ctx;
    count_hdr *h = malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->n = n;
    live_bytes += n;
    return h + 1;
}

static void *cnt_realloc(void *p, size_t n, void *ctx)
{
    if (p == NULL)
        return cnt_malloc(n, ctx);
    count_hdr *h = (count_hdr *)p - 1;
    size_t old = h->n;
    count_hdr *nh = realloc(h, sizeof *nh + n);
    if (!nh)
        return NULL;
    live_bytes = live_bytes - old + n;
    nh->n = n;
    return nh + 1;
}

static void cnt_free(void *p, void *ctx)
{
    (void)ctx;
    if (p) {
        count_hdr *h = (count_hdr *)p - 1;
        live_bytes -= h->n;
        free(h);
    }
}

void bench_count_allocations(void)
{
    lss_allocator counting = { LSS_ALLOCATOR_VERSION, cnt_malloc, cnt_realloc, cnt_free, NULL };
    bench_check(lss_set_allocator(&counting), "allocator");
}

size_t bench_live_bytes(void) { return live_bytes; }
