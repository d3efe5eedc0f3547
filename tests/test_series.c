/* Time series (lss_series_run): every step's report equals the report
 * lss_report_run gives for that step's window and moment, byte for byte,
 * on random databases and on a generated company, for every step, with
 * filters, an earlier as_of and partial first and last steps; the step
 * boundaries; the renderings; errors; allocation failure. */
#include "testutil.h"
#include "randevents.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render_one(lss_db *db, const lss_query *q)
{
    lss_report *r = NULL;
    lss_status st = lss_report_run(&r, db, q);
    if (st != LSS_OK)
        fail_msg("report: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    char *out = NULL;
    assert_int_equal(lss_report_render(&out, NULL, r, LSS_REPORT_JSON), LSS_OK);
    lss_report_free(r);
    return out;
}

/* Each step of the series of q against a report of its own; returns the steps. */
static uint32_t check_series(lss_db *db, const lss_query *q, lss_step step, const char *what)
{
    lss_series *s = NULL;
    lss_status st = lss_series_run(&s, db, q, step);
    if (st != LSS_OK)
        fail_msg("%s: series: %s: %s", what, lss_status_name(st), lss_db_errmsg(db));
    uint32_t n = lss_series_count(s);
    assert_true(n >= 1);
    assert_int_equal(lss_series_step(s), step);
    lss_time prev_to = LSS_TIME_NONE;
    for (uint32_t k = 0; k < n; k++) {
        const lss_report *r = lss_series_report(s, k);
        assert_non_null(r);
        const lss_sales_metrics *sm = lss_report_sales(r);
        /* steps are contiguous */
        if (k > 0)
            assert_int_equal(sm->from, prev_to);
        else if (q->from != LSS_TIME_NONE)
            assert_int_equal(sm->from, q->from);
        prev_to = sm->to;
        lss_query one = *q;
        one.from = sm->from;
        one.to = sm->to;
        one.as_of = lss_report_as_of(r);
        char *a = NULL, *b = render_one(db, &one);
        assert_int_equal(lss_report_render(&a, NULL, r, LSS_REPORT_JSON), LSS_OK);
        if (strcmp(a, b) != 0)
            fail_msg("%s: step %u of %u (%s):\nseries: %s\nalone:  %s", what, k, n, lss_step_name(step), a, b);
        lss_free(a);
        lss_free(b);
    }
    if (q->to != LSS_TIME_NONE)
        assert_int_equal(prev_to, q->to);
    assert_null(lss_series_report(s, n));
    lss_series_free(s);
    return n;
}

/* Random databases, their times stretched over about a month, by day and
 * by week, with each filter and with an as_of inside the range. */
static void test_series_equals_a_report_per_step_random(void **state)
{
    (void)state;
    enum { N = 300 };
    static ev evs[N];
    uint32_t steps = 0;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        rng r = { seed * 0x9E3779B97F4A7C15u };
        rand_events(evs, N, &r);
        for (int i = 0; i < N; i++)
            evs[i].at = 1000 + (evs[i].at - 1000) * 40;
        lss_db *db = rand_base();
        for (int i = 0; i < N; i++)
            (void)rand_apply(db, &evs[i]);
        lss_time last = lss_db_last_time(db);
        for (int k = 0; k < 6; k++) {
            lss_query q = LSS_QUERY_INIT;
            q.from = k % 2 ? LSS_TIME_NONE : 1000 + rng_pick(&r, 200000);
            q.to = last + 1 + rng_pick(&r, 3) * 86400;
            switch (k) {
            case 1: q.member = RAND_SALES[rng_pick(&r, 3)]; break;
            case 2: q.team = "north"; break;
            case 3: q.channel = rng_pick(&r, 6); break;
            case 4: q.segment = RAND_SEGMENTS[rng_pick(&r, 3)]; break;
            case 5: q.as_of = 1000 + (last - 1000) / 2; break;
            default: break;
            }
            char what[64];
            snprintf(what, sizeof what, "seed %llu query %d", (unsigned long long)seed, k);
            steps += check_series(db, &q, LSS_STEP_DAY, what);
            steps += check_series(db, &q, LSS_STEP_WEEK, what);
        }
        lss_db_close(db);
    }
    assert_true(steps > 6 * 6 * 20); /* many steps compared, not a handful */
}

static lss_db *generated(uint32_t customers)
{
    lss_db *db = NULL;
    assert_int_equal(lss_db_open(&db, NULL, NULL), LSS_OK);
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = customers;
    assert_int_equal(lss_generate(db, &g), LSS_OK);
    return db;
}

/* A generated year (with pipelines, forecasts, tasks, calendars) by month,
 * quarter and week; a range that starts and ends inside steps; a second
 * thread for the ticket pass (above the threshold) and without. */
static void test_series_equals_a_report_per_step_generated(void **state)
{
    (void)state;
    lss_db *db = generated(16000); /* above the threshold of the second thread */
    assert_true(lss_deal_count(db) + lss_ticket_count(db) >= 20000);
    lss_query q = LSS_QUERY_INIT;
    q.from = 1735689600; /* 2025-01-01 */
    q.to = 1767225600;   /* 2026-01-01 */
    assert_int_equal(check_series(db, &q, LSS_STEP_MONTH, "year by month"), 12);
    assert_int_equal(check_series(db, &q, LSS_STEP_QUARTER, "year by quarter"), 4);
    /* a partial week from Wed 2025-01-01, then 52 from Mondays (01-06 .. 12-29, the last cut at 2026-01-01) */
    assert_int_equal(check_series(db, &q, LSS_STEP_WEEK, "year by week"), 53);
    q.threads = 1;
    q.from = 1735689600 + 10 * 86400 + 3600; /* 2025-01-11T01:00Z .. 2025-05-20T12:00Z: partial steps */
    q.to = 1747742400;
    q.team = "North";
    assert_int_equal(check_series(db, &q, LSS_STEP_MONTH, "partial months, team"), 5);
    q.as_of = 1743465600; /* 2025-04-01: the later steps as of then */
    q.team = NULL;
    q.pipeline = NULL;
    assert_int_equal(check_series(db, &q, LSS_STEP_MONTH, "as of April"), 5);
    lss_db_close(db);
}

/* An allocator that is not thread-safe and says so: every call holds it a
 * little while, and a call that finds another inside counts an overlap. */
static atomic_int g_inside, g_overlaps, g_watch;
static atomic_long g_calls;
static void hold(void)
{
    if (!atomic_load(&g_watch))
        return;
    if (atomic_fetch_add(&g_inside, 1) != 0)
        atomic_fetch_add(&g_overlaps, 1);
    atomic_fetch_add(&g_calls, 1);
    for (volatile int k = 0; k < 2000; k++) /* widen the window in which another call would overlap */
        ;
    atomic_fetch_sub(&g_inside, 1);
}
static void *u_malloc(size_t n, void *ctx) { (void)ctx; hold(); return malloc(n); }
static void *u_realloc(void *p, size_t n, void *ctx) { (void)ctx; hold(); return realloc(p, n); }
static void u_free(void *p, void *ctx) { (void)ctx; hold(); free(p); }

/* A series of many windows on two threads grows the ticket pass's arrays
 * on the second thread while the calling thread allocates for the deal and
 * customer passes: the allocator, documented as needing no thread safety,
 * must never be called twice at once. The steps still equal the reports. */
static void test_a_series_on_two_threads_never_calls_the_allocator_twice_at_once(void **state)
{
    (void)state;
    lss_allocator a = { LSS_ALLOCATOR_VERSION, u_malloc, u_realloc, u_free, NULL };
    assert_int_equal(lss_set_allocator(&a), LSS_OK);
    lss_db *db = generated(16000);
    lss_query q = LSS_QUERY_INIT;
    q.from = 1735689600; /* 2025-01-01 .. 2026-01-01 by week: 53 windows */
    q.to = 1767225600;
    atomic_store(&g_watch, 1);
    for (int run = 0; run < 3; run++) {
        lss_series *s = NULL;
        assert_int_equal(lss_series_run(&s, db, &q, LSS_STEP_WEEK), LSS_OK);
        lss_series_free(s);
        lss_report *r = NULL;
        assert_int_equal(lss_report_run(&r, db, &q), LSS_OK);
        lss_report_free(r);
    }
    atomic_store(&g_watch, 0);
    assert_true(atomic_load(&g_calls) > 1000); /* the passes did call it, often */
    assert_int_equal(atomic_load(&g_overlaps), 0);
    assert_int_equal(check_series(db, &q, LSS_STEP_WEEK, "year by week, own allocator"), 53);
    lss_db_close(db);
    assert_int_equal(lss_set_allocator(NULL), LSS_OK);
}

/* Boundaries in UTC: ISO weeks from Monday, quarters from Jan/Apr/Jul/Oct,
 * a leap February; the default start is the boundary before the first customer. */
static void test_series_steps(void **state)
{
    (void)state;
    lss_db *db = NULL;
    assert_int_equal(lss_db_open(&db, NULL, NULL), LSS_OK);
    lss_time t0 = 1709294400; /* 2024-03-01T12:00Z, a Friday */
    assert_int_equal(lss_customer_add(NULL, db, t0, "c-1", "One", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    struct { lss_step step; lss_time to; uint32_t n; lss_time first, second; } cases[] = {
        { LSS_STEP_DAY, t0 + 3 * 86400, 4, 1709251200, 1709337600 },      /* from 2024-03-01T00:00Z */
        { LSS_STEP_WEEK, t0 + 10 * 86400, 3, 1708905600, 1709510400 },    /* Mon 2024-02-26, Mon 03-04 */
        { LSS_STEP_MONTH, 1719792000, 4, 1709251200, 1711929600 },        /* 03-01, 04-01 .. to 07-01 */
        { LSS_STEP_QUARTER, 1735689600, 4, 1704067200, 1711929600 },      /* 2024-01-01, 04-01 .. 2025 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lss_query q = LSS_QUERY_INIT;
        q.to = cases[i].to;
        lss_series *s = NULL;
        assert_int_equal(lss_series_run(&s, db, &q, cases[i].step), LSS_OK);
        assert_int_equal(lss_series_count(s), cases[i].n);
        assert_int_equal(lss_report_sales(lss_series_report(s, 0))->from, cases[i].first);
        assert_int_equal(lss_report_sales(lss_series_report(s, 1))->from, cases[i].second);
        assert_int_equal(lss_report_sales(lss_series_report(s, cases[i].n - 1))->to, cases[i].to);
        lss_series_free(s);
    }
    /* February of a leap year: 29 days */
    lss_query q = LSS_QUERY_INIT;
    q.from = 1706745600; /* 2024-02-01 */
    q.to = 1709251200 + 1;
    lss_series *s = NULL;
    assert_int_equal(lss_series_run(&s, db, &q, LSS_STEP_MONTH), LSS_OK);
    assert_int_equal(lss_series_count(s), 2);
    assert_int_equal(lss_report_sales(lss_series_report(s, 0))->to, 1709251200); /* 2024-03-01 */
    lss_series_free(s);
    lss_step st;
    assert_int_equal(lss_step_parse(&st, "quarter"), LSS_OK);
    assert_int_equal(st, LSS_STEP_QUARTER);
    assert_int_equal(lss_step_parse(&st, "fortnight"), LSS_INVALID);
    assert_string_equal(lss_errmsg(), "\"fortnight\" is not a step (expected day, week, month or quarter)");
    assert_string_equal(lss_step_name(LSS_STEP_WEEK), "week");
    assert_null(lss_step_name(4));
    lss_db_close(db);
}

/* JSON: {"step":..,"reports":[..]} with each report as rendered alone; CSV:
 * one header and a line per step; text: the reports one after another. */
static void test_series_render(void **state)
{
    (void)state;
    lss_db *db = generated(300);
    lss_query q = LSS_QUERY_INIT;
    q.from = 1735689600;
    q.to = 1767225600;
    lss_series *s = NULL;
    assert_int_equal(lss_series_run(&s, db, &q, LSS_STEP_QUARTER), LSS_OK);
    char *json = NULL, *csv = NULL, *text = NULL;
    size_t len = 0;
    assert_int_equal(lss_series_render(&json, &len, s, LSS_REPORT_JSON), LSS_OK);
    assert_int_equal(len, strlen(json));
    json_error_t err;
    json_t *root = json_loads(json, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "step")), "quarter");
    json_t *reports = json_object_get(root, "reports");
    assert_int_equal(json_array_size(reports), 4);
    for (uint32_t k = 0; k < 4; k++) {
        char *one = NULL;
        assert_int_equal(lss_report_render(&one, NULL, lss_series_report(s, k), LSS_REPORT_JSON), LSS_OK);
        char *again = json_dumps(json_array_get(reports, k), JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_t *parsed = json_loads(one, 0, &err);
        char *alone = json_dumps(parsed, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_string_equal(again, alone);
        free(again);
        free(alone);
        json_decref(parsed);
        lss_free(one);
    }
    json_decref(root);
    assert_int_equal(lss_series_render(&csv, NULL, s, LSS_REPORT_CSV), LSS_OK);
    /* a line per step, each after a header line: the first, and one where a step's quota rows change the columns */
    int lines = 0, headers = 0;
    for (const char *p = csv; *p; p = strchr(p, '\n') + 1) {
        lines++;
        headers += strncmp(p, "window.from,", 12) == 0;
    }
    assert_true(headers >= 1);
    assert_int_equal(lines - headers, 4);
    assert_true(strncmp(csv, "window.from,window.to,window.as_of,", 35) == 0);
    assert_non_null(strstr(csv, "\n2025-04-01T00:00:00Z,2025-07-01T00:00:00Z,2025-07-01T00:00:00Z,EUR,"));
    assert_int_equal(lss_series_render(&text, NULL, s, LSS_REPORT_TEXT), LSS_OK);
    int reports_in_text = 0;
    for (const char *p = text; (p = strstr(p, "Report\n")) != NULL; p++)
        reports_in_text++;
    assert_int_equal(reports_in_text, 4);
    lss_free(json);
    lss_free(csv);
    lss_free(text);
    char *out = (char *)"untouched";
    assert_int_equal(lss_series_render(&out, NULL, s, (lss_report_format)9), LSS_INVALID);
    assert_int_equal(lss_series_render(&out, NULL, NULL, LSS_REPORT_JSON), LSS_INVALID);
    assert_string_equal(out, "untouched");
    lss_series_free(s);
    lss_db_close(db);
}

static void test_series_errors(void **state)
{
    (void)state;
    lss_db *db = generated(50);
    lss_series *s = (lss_series *)db; /* any non-NULL: must become NULL */
    lss_query q = LSS_QUERY_INIT;
    assert_int_equal(lss_series_run(&s, db, &q, (lss_step)7), LSS_INVALID);
    assert_null(s);
    assert_string_equal(lss_db_errmsg(db), "series: step 7 is not a step (0 day, 1 week, 2 month, 3 quarter)");
    q.from = 1000;
    q.to = 1000 + 86400LL * 200000;
    assert_int_equal(lss_series_run(&s, db, &q, LSS_STEP_DAY), LSS_INVALID);
    assert_string_equal(lss_db_errmsg(db), "series: the range has more than 100000 steps of a day");
    q.to = 500;
    assert_int_equal(lss_series_run(&s, db, &q, LSS_STEP_DAY), LSS_INVALID);
    assert_non_null(strstr(lss_db_errmsg(db), "series: window"));
    q = (lss_query)LSS_QUERY_INIT;
    q.member = "nobody";
    assert_int_equal(lss_series_run(&s, db, &q, LSS_STEP_MONTH), LSS_INVALID);
    assert_string_equal(lss_db_errmsg(db), "series: filter member \"nobody\" does not exist");
    assert_int_equal(lss_series_run(NULL, db, &q, LSS_STEP_MONTH), LSS_INVALID);
    assert_int_equal(lss_series_run(&s, NULL, &q, LSS_STEP_MONTH), LSS_INVALID);
    assert_int_equal(lss_series_count(NULL), 0);
    assert_null(lss_series_report(NULL, 0));
    assert_int_equal(lss_series_step(NULL), -1);
    lss_series_free(NULL);
    lss_db_close(db);
}

/* Every allocation of a series and its rendering may fail: LSS_NOMEM, no
 * series, nothing leaked; the ticket pass on a second thread too. */
static void test_series_out_of_memory(void **state)
{
    (void)state;
    fail_alloc_install();
    lss_db *db = NULL;
    assert_int_equal(lss_db_open(&db, NULL, NULL), LSS_OK);
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 120;
    assert_int_equal(lss_generate(db, &g), LSS_OK);
    lss_query q = LSS_QUERY_INIT;
    q.from = 1735689600;
    q.to = 1767225600;
    q.member = "s-01";
    int failures = 0;
    for (long n = 1;; n++) {
        lss_series *s = (lss_series *)db;
        fail_alloc_arm(n);
        lss_status st = lss_series_run(&s, db, &q, LSS_STEP_MONTH);
        fail_alloc_arm(0);
        if (!fail_alloc_fired()) {
            assert_int_equal(st, LSS_OK);
            for (int f = LSS_REPORT_JSON; f <= LSS_REPORT_CSV; f++) {
                for (long m = 1;; m++) {
                    char *out = (char *)"x";
                    fail_alloc_arm(m);
                    lss_status rs = lss_series_render(&out, NULL, s, (lss_report_format)f);
                    fail_alloc_arm(0);
                    if (!fail_alloc_fired()) {
                        assert_int_equal(rs, LSS_OK);
                        lss_free(out);
                        break;
                    }
                    assert_int_equal(rs, LSS_NOMEM);
                    assert_string_equal(out, "x");
                }
            }
            lss_series_free(s);
            break;
        }
        assert_int_equal(st, LSS_NOMEM);
        assert_null(s);
        failures++;
    }
    assert_true(failures >= 10);
    lss_db_close(db);
    assert_int_equal(fail_alloc_live(), 0);
    fail_alloc_uninstall();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_equals_a_report_per_step_random),
        cmocka_unit_test(test_series_equals_a_report_per_step_generated),
        cmocka_unit_test(test_a_series_on_two_threads_never_calls_the_allocator_twice_at_once),
        cmocka_unit_test(test_series_steps),
        cmocka_unit_test(test_series_render),
        cmocka_unit_test(test_series_errors),
        cmocka_unit_test(test_series_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
