/* Business-calendar arithmetic (salesservice/calendar.h): the time of one
 * lss_calendar_seconds() and one lss_calendar_add() over spans of an hour,
 * a week and a year, for a calendar in Europe/Berlin (Mon-Fri 09:00-17:00,
 * 12 holidays a year, two clock changes a year) and the same hours in UTC.
 * Each figure is the median of 9 runs of 200,000 calls with start moments
 * spread over 2024-2027. Issue 19's target: a year of calendar well under
 * a microsecond per call. Usage: bench_calendar */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>

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

int main(void)
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
    return 0;
}
