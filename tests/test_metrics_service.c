/* Service metrics: a hand-built service desk whose figures are worked out in
 * the comments, queried at several moments, windows and filters. */
#include "testutil.h"
#include "metrics/metrics.h"

#include <stdio.h>

#define B INT64_C(1000000)

/* a1 (team S1) and a2 (team S2) are agents; c1 is smb, c2 is ent.
 * Default SLA targets: urgent 1 h / 8 h, high 4 h / 24 h, normal 8 h / 72 h, low 24 h / 120 h.
 *
 * t1 c1 phone normal, open B:  assign a1 +100, contact a1 +200 (300 s), resolve +1000, rate 5 +2000, close +3000
 *    first response 200, resolution 1000, one contact, no reopen: FCR. SLA clock 1000: met, met.
 * t2 c2 email urgent, open B+500: contact a2 +4100 (600 s; clock 3600 = target: met), assign a2 +4200,
 *    wait +5000, resume +9000, contact a2 +9500 (900 s), resolve +10000, reopen +11000,
 *    contact a1 +12000 (100 s; a1 is not the assignee), resolve +13000, rate 2 +14000, rerate 4 +15000.
 *    first response 3600, first resolution 9500 (clock 4500 + 1000 = 5500 <= 28800: met). Not FCR.
 * t3 c1 chat low, open B+20000, nothing else: response target 86400 missed from B+106400 on.
 * t4 c2 phone high, open B+30000: assign a1 +100, contact a1 +200 (1200 s), resolve +300, rate 3 +400: FCR. */
static lss_db *desk(void)
{
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "a1", "A1", LSS_ROLE_SERVICE, "S1"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "a2", "A2", LSS_ROLE_SERVICE, "S2"), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c1", "C1", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c2", "C2", NULL, NULL, "ent", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, B, "t1", "c1", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_NORMAL, NULL, NULL), LSS_OK);
    assert_int_equal(lss_ticket_assign(db, B + 100, "t1", "a1"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, B + 200, "t1", "a1", 300, -1), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, B + 500, "t2", "c2", LSS_TICKET_COMPLAINT, LSS_CHANNEL_EMAIL,
                                     LSS_PRIORITY_URGENT, NULL, NULL), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, B + 1000, "t1", NULL), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, B + 2000, "t1", 5, NULL), LSS_OK);
    assert_int_equal(lss_ticket_close(db, B + 3000, "t1"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, B + 4100, "t2", "a2", 600, -1), LSS_OK);
    assert_int_equal(lss_ticket_assign(db, B + 4200, "t2", "a2"), LSS_OK);
    assert_int_equal(lss_ticket_wait(db, B + 5000, "t2"), LSS_OK);
    assert_int_equal(lss_ticket_resume(db, B + 9000, "t2"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, B + 9500, "t2", "a2", 900, LSS_CHANNEL_PHONE), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, B + 10000, "t2", NULL), LSS_OK);
    assert_int_equal(lss_ticket_reopen(db, B + 11000, "t2"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, B + 12000, "t2", "a1", 100, -1), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, B + 13000, "t2", NULL), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, B + 14000, "t2", 2, NULL), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, B + 15000, "t2", 4, NULL), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, B + 20000, "t3", "c1", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT,
                                     LSS_PRIORITY_LOW, NULL, NULL), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, B + 30000, "t4", "c2", LSS_TICKET_INSTALLATION, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_HIGH, NULL, NULL), LSS_OK);
    assert_int_equal(lss_ticket_assign(db, B + 30100, "t4", "a1"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, B + 30200, "t4", "a1", 1200, -1), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, B + 30300, "t4", NULL), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, B + 30400, "t4", 3, NULL), LSS_OK);
    return db;
}

typedef struct filter {
    const char *member, *team, *segment;
    int channel;
} filter;

static const filter NOFILTER = { NULL, NULL, NULL, LSS_CHANNEL_ANY };

static lss_service_metrics get(lss_db *db, lss_time from, lss_time to, filter f)
{
    lss_query q = LSS_QUERY_INIT;
    q.from = from;
    q.to = to;
    q.member = f.member;
    q.team = f.team;
    q.segment = f.segment;
    q.channel = f.channel;
    lss_service_metrics m;
    lss_status st = lss_service_metrics_get(&m, db, &q);
    if (st != LSS_OK)
        fail_msg("metrics: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    return m;
}


static void test_whole_history(void **state)
{
    (void)state;
    lss_db *db = desk();
    lss_service_metrics m = get(db, LSS_TIME_NONE, B + 200000, NOFILTER);
    assert_int_equal(m.tickets_opened, 4);
    assert_int_equal(m.resolved, 3);                 /* t1 closed, t2 and t4 resolved */
    assert_ratio(m.resolution_rate, 3, 4);
    assert_ratio(m.fcr_rate, 2, 3);                  /* t1, t4; t2 had two contacts and a reopen */
    assert_ratio(m.aht_seconds, 300 + 600 + 900 + 100 + 1200, 5);
    assert_ratio(m.csat_percent, 200, 3);            /* 5, 4 (t2 rerated), 3 */
    assert_ratio(m.csat_mean, 12, 3);
    /* first responses 200, 3600, 200: sorted 200 200 3600; median rank 2, p90 rank 3 */
    assert_int_equal(m.first_response_seconds.count, 3);
    assert_ratio(m.first_response_seconds.mean, 4000, 3);
    assert_ratio(m.first_response_seconds.median, 200, 1);
    assert_ratio(m.first_response_seconds.p90, 3600, 1);
    /* first resolutions 1000, 9500, 300: sorted 300 1000 9500 */
    assert_ratio(m.resolution_seconds.mean, 10800, 3);
    assert_ratio(m.resolution_seconds.median, 1000, 1);
    assert_ratio(m.resolution_seconds.p90, 9500, 1);
    assert_ratio(m.reopen_rate, 1, 3);
    assert_int_equal(m.backlog, 1);                  /* t3 */
    assert_ratio(m.sla_compliance, 3, 4);            /* t3's response target is missed */
    lss_db_close(db);
}

static void test_undecided_sla_is_left_out(void **state)
{
    (void)state;
    lss_db *db = desk();
    /* as of B+106400 t3's clock is exactly at its target: undecided, so not counted */
    lss_service_metrics m = get(db, LSS_TIME_NONE, B + 106400, NOFILTER);
    assert_ratio(m.sla_compliance, 3, 3);
    m = get(db, LSS_TIME_NONE, B + 106401, NOFILTER);
    assert_ratio(m.sla_compliance, 3, 4);
    lss_db_close(db);
}

static void test_window_edges(void **state)
{
    (void)state;
    lss_db *db = desk();
    /* [B+500, B+20000): t2 opened exactly at from is in; t3 opened exactly at to is out */
    lss_service_metrics m = get(db, B + 500, B + 20000, NOFILTER);
    assert_int_equal(m.tickets_opened, 1);
    assert_int_equal(m.resolved, 1);
    assert_ratio(m.fcr_rate, 0, 1);
    assert_ratio(m.aht_seconds, 600 + 900 + 100, 3); /* t1's contact at B+200 is before the window */
    assert_ratio(m.csat_percent, 200, 2);            /* t1 rated in W (B+2000), t2's latest rating 4 */
    assert_ratio(m.csat_mean, 9, 2);
    assert_ratio(m.reopen_rate, 1, 1);
    assert_int_equal(m.backlog, 0);                  /* t3 does not exist yet */
    assert_int_equal(m.from, B + 500);
    assert_int_equal(m.to, B + 20000);
    lss_db_close(db);
}

static void test_as_of_earlier_moments(void **state)
{
    (void)state;
    lss_db *db = desk();
    /* B+14500: t2's latest rating is still the 2 */
    lss_service_metrics m = get(db, LSS_TIME_NONE, B + 14500, NOFILTER);
    assert_ratio(m.csat_percent, 100, 2);
    assert_ratio(m.csat_mean, 7, 2);
    /* B+10500: t2 resolved once, not reopened yet; two contacts before its resolution: not FCR */
    m = get(db, LSS_TIME_NONE, B + 10500, NOFILTER);
    assert_int_equal(m.tickets_opened, 2);
    assert_int_equal(m.resolved, 2);
    assert_ratio(m.fcr_rate, 1, 2);
    assert_ratio(m.reopen_rate, 0, 2);
    assert_int_equal(m.backlog, 0);
    /* B+11500: reopened, so back in the backlog and no longer resolved */
    m = get(db, LSS_TIME_NONE, B + 11500, NOFILTER);
    assert_int_equal(m.resolved, 1);
    assert_int_equal(m.backlog, 1);
    assert_ratio(m.reopen_rate, 1, 2);
    /* B+150: t1 exists but has no response: no value anywhere, never 0 */
    m = get(db, LSS_TIME_NONE, B + 150, NOFILTER);
    assert_int_equal(m.tickets_opened, 1);
    assert_int_equal(m.first_response_seconds.count, 0);
    assert_int_equal(m.first_response_seconds.mean.den, 0);
    assert_int_equal(m.first_response_seconds.median.den, 0);
    assert_int_equal(m.first_response_seconds.p90.den, 0);
    assert_int_equal(m.aht_seconds.den, 0);
    assert_int_equal(m.csat_percent.den, 0);
    assert_int_equal(m.fcr_rate.den, 0);
    assert_int_equal(m.sla_compliance.den, 0);
    assert_int_equal(m.backlog, 1);
    /* before anything */
    m = get(db, LSS_TIME_NONE, 10, NOFILTER);
    assert_int_equal(m.tickets_opened, 0);
    assert_int_equal(m.resolution_rate.den, 0);
    lss_db_close(db);
}

static void test_filters(void **state)
{
    (void)state;
    lss_db *db = desk();
    filter f = NOFILTER;
    /* member a1: tickets assigned to a1 as of to (t1, t4); contacts made by a1 (including t2's) */
    f.member = "a1";
    lss_service_metrics m = get(db, LSS_TIME_NONE, B + 200000, f);
    assert_int_equal(m.tickets_opened, 2);
    assert_ratio(m.fcr_rate, 2, 2);
    assert_ratio(m.aht_seconds, 300 + 100 + 1200, 3);
    assert_ratio(m.csat_percent, 100, 2);
    assert_ratio(m.csat_mean, 8, 2);
    assert_int_equal(m.backlog, 0);                  /* t3 has no assignee */
    assert_ratio(m.sla_compliance, 2, 2);
    /* team S2: t2 and a2's contacts */
    f = NOFILTER;
    f.team = "S2";
    m = get(db, LSS_TIME_NONE, B + 200000, f);
    assert_int_equal(m.tickets_opened, 1);
    assert_ratio(m.aht_seconds, 600 + 900, 2);
    /* channel phone: tickets opened on phone (t1, t4) and their contacts; t2's phone contact is not one */
    f = NOFILTER;
    f.channel = LSS_CHANNEL_PHONE;
    m = get(db, LSS_TIME_NONE, B + 200000, f);
    assert_int_equal(m.tickets_opened, 2);
    assert_ratio(m.aht_seconds, 300 + 1200, 2);
    assert_ratio(m.resolution_rate, 2, 2);
    /* segment ent: c2's tickets t2, t4 */
    f = NOFILTER;
    f.segment = "ent";
    m = get(db, LSS_TIME_NONE, B + 200000, f);
    assert_int_equal(m.tickets_opened, 2);
    assert_ratio(m.csat_mean, 7, 2);
    /* combined: segment ent and member a1: t4 only, a1's contacts on c2's tickets */
    f.member = "a1";
    m = get(db, LSS_TIME_NONE, B + 200000, f);
    assert_int_equal(m.tickets_opened, 1);
    assert_ratio(m.aht_seconds, 100 + 1200, 2);
    /* an unknown channel number is an error; unknown team matches nothing */
    lss_query q = LSS_QUERY_INIT;
    q.channel = 42;
    lss_service_metrics out;
    memset(&out, 0x5a, sizeof out);
    lss_service_metrics before = out;
    assert_status_msg(db, lss_service_metrics_get(&out, db, &q), LSS_INVALID, "filter channel 42 is not a channel");
    assert_memory_equal(&out, &before, sizeof out);
    f = NOFILTER;
    f.team = "nobody";
    m = get(db, LSS_TIME_NONE, B + 200000, f);
    assert_int_equal(m.tickets_opened, 0);
    assert_int_equal(m.aht_seconds.den, 0);
    lss_db_close(db);
}

static void test_percentiles_nearest_rank(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "a", "A", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    /* ten tickets answered after 10, 20, ..., 100 seconds, opened in reverse order of their delay */
    for (int i = 0; i < 10; i++) {
        char key[8];
        snprintf(key, sizeof key, "t%d", i);
        assert_int_equal(lss_ticket_open(NULL, db, 1000 + i, key, "c", LSS_TICKET_QUESTION, LSS_CHANNEL_WEB,
                                         LSS_PRIORITY_LOW, NULL, NULL), LSS_OK);
        assert_int_equal(lss_ticket_contact(db, 1000 + i + (10 - i) * 10, key, "a", 1, -1), LSS_OK);
    }
    lss_service_metrics m = get(db, LSS_TIME_NONE, 5000, NOFILTER);
    /* n = 10: median rank ceil(5) = 5 -> 50; p90 rank ceil(9) = 9 -> 90 */
    assert_int_equal(m.first_response_seconds.count, 10);
    assert_ratio(m.first_response_seconds.median, 50, 1);
    assert_ratio(m.first_response_seconds.p90, 90, 1);
    assert_ratio(m.first_response_seconds.mean, 550, 10);
    /* n = 9 (from 1001: the 100 s one is out): median rank 5 -> 50, p90 rank ceil(8.1) = 9 -> 90 */
    m = get(db, 1001, 5000, NOFILTER);
    assert_ratio(m.first_response_seconds.median, 50, 1);
    assert_ratio(m.first_response_seconds.p90, 90, 1);
    /* n = 1 */
    m = get(db, 1009, 5000, NOFILTER);
    assert_ratio(m.first_response_seconds.median, 10, 1);
    assert_ratio(m.first_response_seconds.p90, 10, 1);
    lss_db_close(db);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The percentiles are found by selection, not a sort: on inputs that trouble
 * a pivot (sorted, reversed, all equal, a few distinct values, organ pipe,
 * pseudo-random) they must be the values a sort puts at the nearest ranks,
 * for every count from 1 to 40 and for 1,001. */
static void test_percentiles_match_a_sort(void **state)
{
    (void)state;
    enum { MAX = 1001 };
    static int64_t sorted[MAX];
    for (int pattern = 0; pattern < 6; pattern++) {
        for (int n = 1; n <= 41; n++) {
            int count = n == 41 ? MAX : n;
            lss_db *db = open_db(LSS_PIPELINE_STRICT);
            assert_int_equal(lss_member_add(NULL, db, 0, "a", "A", LSS_ROLE_SERVICE, NULL), LSS_OK);
            assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
            uint64_t r = 7;
            for (int i = 0; i < count; i++) {
                r = r * 6364136223846793005u + 1442695040888963407u;
                int64_t d = pattern == 0   ? i + 1
                            : pattern == 1 ? count - i
                            : pattern == 2 ? 42
                            : pattern == 3 ? 1 + (int64_t)(r >> 33) % 3
                            : pattern == 4 ? 1 + (i < count / 2 ? i : count - i)
                                           : 1 + (int64_t)(r >> 40) % 100000;
                sorted[i] = d;
                char key[16];
                snprintf(key, sizeof key, "t%d", i);
                assert_int_equal(lss_ticket_open(NULL, db, 1000, key, "c", LSS_TICKET_QUESTION, LSS_CHANNEL_WEB,
                                                 LSS_PRIORITY_LOW, NULL, NULL), LSS_OK);
                assert_int_equal(lss_ticket_contact(db, 1000 + d, key, "a", 1, -1), LSS_OK);
            }
            qsort(sorted, (size_t)count, sizeof *sorted, cmp_i64);
            lss_service_metrics m = get(db, LSS_TIME_NONE, 200000, NOFILTER);
            assert_int_equal(m.first_response_seconds.count, count);
            assert_ratio(m.first_response_seconds.median, sorted[(count + 1) / 2 - 1], 1);
            assert_ratio(m.first_response_seconds.p90, sorted[(9 * count + 9) / 10 - 1], 1);
            lss_db_close(db);
        }
    }
}

/* The selection itself, past the sizes where it counts by radix: on every
 * pattern above, skewed ones (most values in one narrow bucket, a long
 * tail), negative and extreme values, at every size from the threshold's
 * neighbourhood to 200,000, the values a sort puts at pairs of ranks. */
static void test_selection_by_radix_matches_a_sort(void **state)
{
    (void)state;
    enum { MAX = 200000 };
    int64_t *v = malloc(MAX * sizeof *v), *sorted = malloc(MAX * sizeof *sorted);
    assert_non_null(v);
    assert_non_null(sorted);
    static const int sizes[] = { 2047, 2048, 2049, 4096, 5000, 65537, MAX };
    uint64_t r = 11;
    for (int pattern = 0; pattern < 9; pattern++) {
        for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
            int n = sizes[z];
            for (int i = 0; i < n; i++) {
                r = r * 6364136223846793005u + 1442695040888963407u;
                int64_t x = (int64_t)(r >> 11);
                sorted[i] = pattern == 0   ? i + 1
                            : pattern == 1 ? n - i
                            : pattern == 2 ? 42
                            : pattern == 3 ? 1 + x % 3
                            : pattern == 4 ? 1 + (i < n / 2 ? i : n - i)
                            : pattern == 5 ? x % 100000
                            : pattern == 6 ? (x % 100 == 0 ? x : 3600 + x % 7) /* skewed, long tail */
                            : pattern == 7 ? x % 2000001 - 1000000            /* negative too */
                                           : (x % 3 == 0 ? INT64_MIN : x % 3 == 1 ? INT64_MAX : x % 5 - 2);
            }
            memcpy(v, sorted, (size_t)n * sizeof *v);
            qsort(sorted, (size_t)n, sizeof *sorted, cmp_i64);
            static const double at[][2] = { { 0.5, 0.9 }, { 0, 1 }, { 0.25, 0.25 }, { 0.99, 1 } };
            for (size_t a = 0; a < sizeof at / sizeof *at; a++) {
                size_t k1 = (size_t)(at[a][0] * (n - 1)), k2 = (size_t)(at[a][1] * (n - 1));
                int64_t *w = malloc((size_t)n * sizeof *w);
                assert_non_null(w);
                memcpy(w, v, (size_t)n * sizeof *w);
                int64_t x1 = 0, x2 = 0;
                lss__select_two(w, (size_t)n, k1, k2, &x1, &x2);
                if (x1 != sorted[k1] || x2 != sorted[k2])
                    fail_msg("pattern %d, n %d, ranks %zu and %zu: %lld and %lld, a sort says %lld and %lld",
                             pattern, n, k1, k2, (long long)x1, (long long)x2, (long long)sorted[k1],
                             (long long)sorted[k2]);
                free(w);
            }
        }
    }
    free(v);
    free(sorted);
}

static void test_one_metric_alone_equals_the_part(void **state)
{
    (void)state;
    lss_db *db = desk();
    lss_query q = LSS_QUERY_INIT;
    q.from = B + 500;
    q.to = B + 200000;
    lss_service_metrics m;
    assert_int_equal(lss_service_metrics_get(&m, db, &q), LSS_OK);
    int64_t n;
    lss_ratio r;
    lss_duration_stats d;
    assert_int_equal(lss_metric_tickets_opened(&n, db, &q), LSS_OK);
    assert_int_equal(n, m.tickets_opened);
    assert_int_equal(lss_metric_resolved(&n, db, &q), LSS_OK);
    assert_int_equal(n, m.resolved);
    assert_int_equal(lss_metric_backlog(&n, db, &q), LSS_OK);
    assert_int_equal(n, m.backlog);
#define SAME_RATIO(fn, field)                                                                       \
    assert_int_equal(fn(&r, db, &q), LSS_OK);                                                       \
    assert_memory_equal(&r, &m.field, sizeof r)
    SAME_RATIO(lss_metric_resolution_rate, resolution_rate);
    SAME_RATIO(lss_metric_fcr_rate, fcr_rate);
    SAME_RATIO(lss_metric_aht_seconds, aht_seconds);
    SAME_RATIO(lss_metric_csat_percent, csat_percent);
    SAME_RATIO(lss_metric_csat_mean, csat_mean);
    SAME_RATIO(lss_metric_reopen_rate, reopen_rate);
    SAME_RATIO(lss_metric_sla_compliance, sla_compliance);
    assert_int_equal(lss_metric_first_response_seconds(&d, db, &q), LSS_OK);
    assert_memory_equal(&d, &m.first_response_seconds, sizeof d);
    assert_int_equal(lss_metric_resolution_seconds(&d, db, &q), LSS_OK);
    assert_memory_equal(&d, &m.resolution_seconds, sizeof d);
    assert_int_equal(m.tickets_opened, 3); /* not a vacuous comparison */
    assert_int_equal(lss_metric_backlog(NULL, db, &q), LSS_INVALID);
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_history),
        cmocka_unit_test(test_undecided_sla_is_left_out),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_as_of_earlier_moments),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_percentiles_nearest_rank),
        cmocka_unit_test(test_percentiles_match_a_sort),
        cmocka_unit_test(test_selection_by_radix_matches_a_sort),
        cmocka_unit_test(test_one_metric_alone_equals_the_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
