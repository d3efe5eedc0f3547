/* Sales metrics: a hand-built company whose figures are worked out in the
 * comments, queried at several moments, windows and filters. */
#include "testutil.h"

/* m1 (team A) and m2 (team B) sell; c1 (smb, becomes ent at 1950), c2 (ent).
 *   d1 c1 m1 1000.00: open 100, Q 200, PR 300, N 400, won 500 at 1200.00 (cycle 400 s)
 *   d2 c2 m2  500.00: open 150, Q 250, lost 350 (from Q), reopened 1900 (back to Q)
 *   d3 c1 m1  300.00: open 1000, Q 1100
 *   d4 c2 m2  800.00: open 1500, Q 1600, PR 1700, N 1800, won 2000 */
static lss_db *company(void)
{
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m1", "M1", LSS_ROLE_SALES, "A"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "m2", "M2", LSS_ROLE_SALES, "B"), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c1", "C1", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c2", "C2", NULL, NULL, "ent", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 100, "d1", "c1", "m1", 100000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 150, "d2", "c2", "m2", 50000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 200, "d1", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 250, "d2", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 300, "d1", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 350, "d2", LSS_LOSS_PRICE, NULL), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 400, "d1", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, 500, "d1", 120000), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 1000, "d3", "c1", "m1", 30000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 1100, "d3", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 1500, "d4", "c2", "m2", 80000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 1600, "d4", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 1700, "d4", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 1800, "d4", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_reopen(db, 1900, "d2"), LSS_OK);
    assert_int_equal(lss_customer_update(db, 1950, "c1", NULL, NULL, NULL, "ent"), LSS_OK);
    assert_int_equal(lss_deal_win(db, 2000, "d4", -1), LSS_OK);
    return db;
}

static lss_sales_metrics get(lss_db *db, lss_time from, lss_time to, const char *member, const char *team,
                             const char *segment)
{
    lss_query q = LSS_QUERY_INIT;
    q.from = from;
    q.to = to;
    q.member = member;
    q.team = team;
    q.segment = segment;
    lss_sales_metrics m;
    lss_status st = lss_sales_metrics_get(&m, db, &q);
    if (st != LSS_OK)
        fail_msg("metrics: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    return m;
}

static void test_sales_metrics_as_of_2000(void **state)
{
    (void)state;
    lss_db *db = company();
    lss_sales_metrics m = get(db, LSS_TIME_NONE, 2000, NULL, NULL, NULL);
    assert_int_equal(m.deals_opened, 4);
    assert_int_equal(m.won, 1);              /* d4's win at 2000 is not before 2000 */
    assert_int_equal(m.lost, 0);             /* d2 was reopened at 1900 */
    assert_int_equal(m.revenue, 120000);
    assert_int_equal(m.win_rate.num, 1);
    assert_int_equal(m.win_rate.den, 1);
    assert_int_equal(m.avg_deal_size.num, 120000);
    assert_int_equal(m.avg_deal_size.den, 1);
    assert_int_equal(m.avg_sales_cycle_days.num, 400);
    assert_int_equal(m.avg_sales_cycle_days.den, 86400);
    static const int64_t funnel[5] = { 4, 4, 2, 2, 1 }; /* d2 and d3 reached qualified; d1, d4 negotiated */
    for (int k = 0; k < 5; k++)
        assert_int_equal(m.funnel_reached[k], funnel[k]);
    assert_int_equal(m.open_pipeline, 50000 + 30000 + 80000);
    /* 500.00 x 25% + 300.00 x 25% + 800.00 x 75% = 800.00 */
    assert_int_equal(m.weighted_pipeline.num, 50000 * 25 + 30000 * 25 + 80000 * 75);
    assert_int_equal(m.weighted_pipeline.den, 100);
    assert_int_equal(m.to, 2000);
    lss_db_close(db);
}

static void test_sales_metrics_earlier_moment_sees_the_loss(void **state)
{
    (void)state;
    lss_db *db = company();
    lss_sales_metrics m = get(db, LSS_TIME_NONE, 1900, NULL, NULL, NULL);
    assert_int_equal(m.lost, 1);             /* the reopen at 1900 is not before 1900 */
    assert_int_equal(m.won, 1);
    assert_int_equal(m.win_rate.num, 1);
    assert_int_equal(m.win_rate.den, 2);
    assert_int_equal(m.open_pipeline, 30000 + 80000);
    /* before anything happened: no value, never 0 */
    m = get(db, LSS_TIME_NONE, 50, NULL, NULL, NULL);
    assert_int_equal(m.deals_opened, 0);
    assert_int_equal(m.win_rate.den, 0);
    assert_int_equal(m.avg_deal_size.den, 0);
    assert_int_equal(m.avg_sales_cycle_days.den, 0);
    lss_db_close(db);
}

static void test_sales_metrics_window_edges(void **state)
{
    (void)state;
    lss_db *db = company();
    /* [1000, 2001): d3 opened exactly at from is in; d4's win at 2000 is in */
    lss_sales_metrics m = get(db, 1000, 2001, NULL, NULL, NULL);
    assert_int_equal(m.deals_opened, 2);
    assert_int_equal(m.won, 1);
    assert_int_equal(m.revenue, 80000);
    assert_int_equal(m.avg_sales_cycle_days.num, 500); /* 2000 - 1500 */
    static const int64_t funnel[5] = { 2, 2, 1, 1, 1 };
    for (int k = 0; k < 5; k++)
        assert_int_equal(m.funnel_reached[k], funnel[k]);
    /* [0, 1000): d3 opened exactly at to is out */
    m = get(db, 0, 1000, NULL, NULL, NULL);
    assert_int_equal(m.deals_opened, 2);
    /* default `to`: one second after the latest event, so d4's win counts */
    m = get(db, LSS_TIME_NONE, LSS_TIME_NONE, NULL, NULL, NULL);
    assert_int_equal(m.to, 2001);
    assert_int_equal(m.won, 2);
    lss_db_close(db);
}

static void test_sales_metrics_filters(void **state)
{
    (void)state;
    lss_db *db = company();
    lss_sales_metrics m = get(db, LSS_TIME_NONE, 2000, "m1", NULL, NULL);
    assert_int_equal(m.deals_opened, 2); /* d1, d3 */
    assert_int_equal(m.won, 1);
    assert_int_equal(m.open_pipeline, 30000);
    m = get(db, LSS_TIME_NONE, 1900, NULL, "B", NULL);
    assert_int_equal(m.deals_opened, 2); /* d2, d4 */
    assert_int_equal(m.won, 0);
    assert_int_equal(m.lost, 1);
    assert_int_equal(m.win_rate.num, 0);
    assert_int_equal(m.win_rate.den, 1);
    m = get(db, LSS_TIME_NONE, 2000, NULL, "nobody's team", NULL);
    assert_int_equal(m.deals_opened, 0);
    /* segment as of `to`: c1 moved to ent at 1950 */
    m = get(db, LSS_TIME_NONE, 1900, NULL, NULL, "ent");
    assert_int_equal(m.deals_opened, 2); /* c2's d2, d4 */
    m = get(db, LSS_TIME_NONE, 2000, NULL, NULL, "ent");
    assert_int_equal(m.deals_opened, 4);
    m = get(db, LSS_TIME_NONE, 2000, NULL, NULL, "smb");
    assert_int_equal(m.deals_opened, 0);
    lss_query q = LSS_QUERY_INIT;
    q.member = "m9";
    lss_sales_metrics out;
    assert_status_msg(db, lss_sales_metrics_get(&out, db, &q), LSS_INVALID, "filter member \"m9\" does not exist");
    q.member = NULL;
    q.from = 10;
    q.to = 10;
    assert_status_msg(db, lss_sales_metrics_get(&out, db, &q), LSS_INVALID, "window [10, 10) is empty");
    q.version = 7;
    assert_int_equal(lss_sales_metrics_get(&out, db, &q), LSS_VERSION);
    assert_int_equal(lss_query_init(&q, LSS_QUERY_VERSION), LSS_OK);
    assert_int_equal(q.to, LSS_TIME_NONE);
    lss_db_close(db);
}

static void test_weighted_pipeline_uses_probabilities_as_of_to(void **state)
{
    (void)state;
    lss_db *db = company();
    assert_int_equal(lss_stage_probability_set(db, 1950, LSS_STAGE_NEGOTIATED, 90), LSS_OK);
    lss_sales_metrics m = get(db, LSS_TIME_NONE, 1950, NULL, NULL, NULL);
    assert_int_equal(m.weighted_pipeline.num, 50000 * 25 + 30000 * 25 + 80000 * 75);
    m = get(db, LSS_TIME_NONE, 1951, NULL, NULL, NULL);
    assert_int_equal(m.weighted_pipeline.num, 50000 * 25 + 30000 * 25 + 80000 * 90);
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sales_metrics_as_of_2000),
        cmocka_unit_test(test_sales_metrics_earlier_moment_sees_the_loss),
        cmocka_unit_test(test_sales_metrics_window_edges),
        cmocka_unit_test(test_sales_metrics_filters),
        cmocka_unit_test(test_weighted_pipeline_uses_probabilities_as_of_to),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
