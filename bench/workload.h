/* The benchmarks' synthetic company: per customer, a deal through the
 * pipeline (won, lost or still open) and a ticket through its lifecycle,
 * about 8.4 events per customer. Deterministic. */
#ifndef LSS_BENCH_WORKLOAD_H
#define LSS_BENCH_WORKLOAD_H

#include <salesservice.h>

double bench_now(void);       /* monotonic seconds */
long bench_peak_rss_kib(void);
/* Add the team (4 events), then customers [first, first + n); returns the
 * number of events applied. Exits on any error. */
long bench_team(lss_db *db);
long bench_customers(lss_db *db, long first, long n);
void bench_check(lss_status st, const char *what);
/* Route the library's allocations through a hook that counts the bytes it
 * asked for (each block gets a header of its own, so resident memory is
 * better measured without it); bench_live_bytes() says how many are live. */
void bench_count_allocations(void);
size_t bench_live_bytes(void);

#endif
