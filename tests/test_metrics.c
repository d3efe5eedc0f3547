/* Sales metrics: a hand-built company whose figures are worked out in the
 * comments, queried at several moments, windows and filters. */
#include "testutil.h"

#include <stdio.h>

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
    assert_status_msg(db, lss_sales_metrics_get(&out, db, &q), LSS_INVALID, "window [1970-01-01T00:00:10Z, 1970-01-01T00:00:10Z) is empty");
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


static void test_funnel_counts_skipped_stages_as_reached(void **state)
{
    (void)state;
    /* lenient: d1 jumps prospect -> negotiated -> won; d2 prospect -> presented, lost;
     * d3 won straight from prospect. reached(s) = furthest >= s. */
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m", "M", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 10, "d1", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 20, "d1", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, 30, "d1", -1), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 10, "d2", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 20, "d2", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 30, "d2", LSS_LOSS_TIMING, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 10, "d3", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_win(db, 15, "d3", -1), LSS_OK);
    int64_t reached[LSS_FUNNEL_STAGES];
    lss_ratio conv[LSS_FUNNEL_STAGES];
    lss_query q = LSS_QUERY_INIT;
    q.to = 100;
    assert_int_equal(lss_metric_funnel(reached, conv, db, &q), LSS_OK);
    /* furthest: d1 won, d2 presented (kept after the loss), d3 won (won >= every stage) */
    static const int64_t expect[LSS_FUNNEL_STAGES] = { 3, 3, 3, 2, 2 };
    assert_memory_equal(reached, expect, sizeof expect);
    assert_int_equal(conv[0].den, 0); /* prospect has no previous stage */
    assert_ratio(conv[1], 3, 3);
    assert_ratio(conv[2], 3, 3);
    assert_ratio(conv[3], 2, 3);
    assert_ratio(conv[4], 2, 2);
    lss_ratio wr;
    assert_int_equal(lss_metric_win_rate(&wr, db, &q), LSS_OK);
    assert_ratio(wr, 2, 3);
    lss_db_close(db);
}

/* Relationship: s1 sells (lenient pipeline).
 *   r1 added 100 smb web;   dr1 open 150 won 400 (1000.00); dr2 open 500 won 2000 (500.00); churn 2500
 *   r2 added 200 smb referral by r1; dr3 open 250 won 3000 (200.00); churn 2800 (before that win)
 *   r3 added 300 ent;       dr4 open 350 lost 600
 *   r4 added 5000 smb */
static lss_db *accounts(void)
{
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 0, "s1", "S1", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 100, "r1", "R1", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 150, "dr1", "r1", "s1", 100000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 200, "r2", "R2", NULL, NULL, "smb", LSS_SOURCE_REFERRAL, "r1"),
                     LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 250, "dr3", "r2", "s1", 20000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 300, "r3", "R3", NULL, NULL, "ent", LSS_SOURCE_EVENT, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 350, "dr4", "r3", "s1", 70000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_win(db, 400, "dr1", -1), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 500, "dr2", "r1", "s1", 50000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 600, "dr4", LSS_LOSS_PRICE, NULL), LSS_OK);
    assert_int_equal(lss_deal_win(db, 2000, "dr2", -1), LSS_OK);
    assert_int_equal(lss_customer_churn(db, 2500, "r1"), LSS_OK);
    assert_int_equal(lss_customer_churn(db, 2800, "r2"), LSS_OK);
    assert_int_equal(lss_deal_win(db, 3000, "dr3", -1), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 5000, "r4", "R4", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    return db;
}

static lss_relationship_metrics rel(lss_db *db, lss_time from, lss_time to, const char *segment)
{
    lss_query q = LSS_QUERY_INIT;
    q.from = from;
    q.to = to;
    q.segment = segment;
    lss_relationship_metrics m;
    lss_status st = lss_relationship_metrics_get(&m, db, &q);
    if (st != LSS_OK)
        fail_msg("metrics: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    return m;
}

static void test_relationship_metrics(void **state)
{
    (void)state;
    lss_db *db = accounts();
    lss_relationship_metrics m = rel(db, LSS_TIME_NONE, 4000, NULL);
    assert_int_equal(m.customers_added, 3);           /* r4 comes at 5000 */
    assert_int_equal(m.referrals, 1);
    assert_int_equal(m.customers_converted, 2);       /* r1 (400), r2 (3000) */
    assert_int_equal(m.active_customers, 1);          /* r1 churned after its last win; r2 won after churning */
    assert_int_equal(m.retention_rate.den, 0);        /* from is the beginning of time */
    assert_ratio(m.repeat_purchase_rate, 1, 2);       /* r1 has two wins, r2 one */
    assert_ratio(m.avg_customer_value, 100000 + 50000 + 20000, 2);
    lss_ratio lead;
    lss_query q = LSS_QUERY_INIT;
    q.to = 4000;
    assert_int_equal(lss_metric_lead_conversion_rate(&lead, db, &q), LSS_OK);
    assert_ratio(lead, 2, 3);

    /* [1000, 4000): r1 was active at 1000 and churned by 4000 */
    m = rel(db, 1000, 4000, NULL);
    assert_int_equal(m.customers_added, 0);
    assert_int_equal(m.customers_converted, 1);       /* r2; r1's first win (400) is before the window */
    assert_ratio(m.retention_rate, 0, 1);
    q.from = 1000;
    assert_int_equal(lss_metric_lead_conversion_rate(&lead, db, &q), LSS_OK);
    assert_int_equal(lead.den, 0);
    /* [1000, 2600) seen at 2600: r1 churned at 2500, r2 not won yet */
    m = rel(db, 500, 2400, NULL);
    assert_ratio(m.retention_rate, 1, 1);             /* r1 active at 500 and at 2400 */
    m = rel(db, LSS_TIME_NONE, 2600, NULL);
    assert_int_equal(m.active_customers, 0);
    assert_int_equal(m.customers_converted, 1);
    assert_ratio(m.repeat_purchase_rate, 1, 1);
    assert_ratio(m.avg_customer_value, 150000, 1);
    /* segment ent: r3 only */
    m = rel(db, LSS_TIME_NONE, 4000, "ent");
    assert_int_equal(m.customers_added, 1);
    assert_int_equal(m.customers_converted, 0);
    assert_int_equal(m.repeat_purchase_rate.den, 0);
    assert_int_equal(m.avg_customer_value.den, 0);
    /* the member filter does not narrow relationship metrics */
    q = (lss_query)LSS_QUERY_INIT;
    q.to = 4000;
    q.member = "s1";
    q.channel = LSS_CHANNEL_CHAT;
    lss_relationship_metrics all;
    assert_int_equal(lss_relationship_metrics_get(&all, db, &q), LSS_OK);
    m = rel(db, LSS_TIME_NONE, 4000, NULL);
    assert_memory_equal(&all, &m, sizeof m);
    int64_t n;
    assert_int_equal(lss_metric_active_customers(&n, db, &q), LSS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lss_metric_customers_converted(&n, db, &q), LSS_OK);
    assert_int_equal(n, 2);
    lss_db_close(db);
}

/* Quotas: q1, q2 in team T, q3 in team U (lenient pipeline, wins from prospect).
 *   q1 [1000,2000) 1000.00 set at 0, replaced by 2000.00 at 1500; q1 [2000,3000) 500.00
 *   q2 [1000,2000) 3000.00;  q3 [1000,2000) 100.00
 *   dq1 q1 won 1200 300.00;  dq2 q1 won 2000 400.00;  dq3 q2 won 1999 3000.00
 *   dq4 opened by q2, assigned to q1 at 1100, won 1300 600.00;  dq5 q1 won 999 50.00 (before every period) */
static lss_db *quotas(void)
{
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 0, "q2", "Q2", LSS_ROLE_SALES, "T"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "q1", "Q1", LSS_ROLE_SALES, "T"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "q3", "Q3", LSS_ROLE_SALES, "U"), LSS_OK);
    assert_int_equal(lss_quota_set(db, 0, "q1", 1000, 2000, 100000), LSS_OK);
    assert_int_equal(lss_quota_set(db, 0, "q1", 2000, 3000, 50000), LSS_OK);
    assert_int_equal(lss_quota_set(db, 0, "q2", 1000, 2000, 300000), LSS_OK);
    assert_int_equal(lss_quota_set(db, 0, "q3", 1000, 2000, 10000), LSS_OK);
    assert_int_equal(lss_quota_set(db, 1500, "q1", 1000, 2000, 200000), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 900, "dq1", "c", "q1", 30000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 900, "dq2", "c", "q1", 40000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 900, "dq3", "c", "q2", 300000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 900, "dq4", "c", "q2", 60000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 900, "dq5", "c", "q1", 5000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_win(db, 999, "dq5", -1), LSS_OK);
    assert_int_equal(lss_deal_assign(db, 1100, "dq4", "q1"), LSS_OK);
    assert_int_equal(lss_deal_win(db, 1200, "dq1", -1), LSS_OK);
    assert_int_equal(lss_deal_win(db, 1300, "dq4", -1), LSS_OK);
    assert_int_equal(lss_deal_win(db, 1999, "dq3", -1), LSS_OK);
    assert_int_equal(lss_deal_win(db, 2000, "dq2", -1), LSS_OK);
    return db;
}

static lss_report *run(lss_db *db, lss_time from, lss_time to, const char *member, const char *team)
{
    lss_query q = LSS_QUERY_INIT;
    q.from = from;
    q.to = to;
    q.member = member;
    q.team = team;
    lss_report *r = NULL;
    lss_status st = lss_report_run(&r, db, &q);
    if (st != LSS_OK)
        fail_msg("report: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    return r;
}

static void assert_row(const lss_report *r, uint32_t i, const char *member, lss_time from, lss_time to,
                       lss_money target, lss_money achieved)
{
    lss_quota_row row;
    assert_int_equal(lss_report_quota_get(&row, r, i), LSS_OK);
    assert_string_equal(lss_member_key(row.member), member);
    assert_int_equal(row.from, from);
    assert_int_equal(row.to, to);
    assert_int_equal(row.target, target);
    assert_int_equal(row.achieved, achieved);
    assert_ratio(row.attainment, achieved, target);
}

static void test_quota_rows(void **state)
{
    (void)state;
    lss_db *db = quotas();
    /* as of 1600: q1's target is the replacement; q1's second period does not overlap [0, 1600);
     * achieved: dq1 + dq4 (q1 owned it at its win); dq3 is won at 1999, after 1600 */
    lss_report *r = run(db, LSS_TIME_NONE, 1600, NULL, NULL);
    assert_int_equal(lss_report_quota_count(r), 3);
    assert_row(r, 0, "q1", 1000, 2000, 200000, 90000);
    assert_row(r, 1, "q2", 1000, 2000, 300000, 0);
    assert_row(r, 2, "q3", 1000, 2000, 10000, 0);
    lss_quota_row row;
    assert_status_msg(NULL, lss_report_quota_get(&row, r, 3), LSS_NOT_FOUND, "row 3 does not exist");
    lss_report_free(r);
    /* as of 1400 the first target still holds */
    r = run(db, LSS_TIME_NONE, 1400, NULL, NULL);
    assert_row(r, 0, "q1", 1000, 2000, 100000, 90000);
    lss_report_free(r);
    /* [1999, 3000): every period overlaps; ordered by member key, then period */
    r = run(db, 1999, 3000, NULL, NULL);
    assert_int_equal(lss_report_quota_count(r), 4);
    assert_row(r, 0, "q1", 1000, 2000, 200000, 90000);
    assert_row(r, 1, "q1", 2000, 3000, 50000, 40000);
    assert_row(r, 2, "q2", 1000, 2000, 300000, 300000);
    assert_row(r, 3, "q3", 1000, 2000, 10000, 0);
    lss_report_free(r);
    /* filters: a member's own rows, a team's members' rows */
    r = run(db, LSS_TIME_NONE, 3000, "q2", NULL);
    assert_int_equal(lss_report_quota_count(r), 1);
    assert_row(r, 0, "q2", 1000, 2000, 300000, 300000);
    lss_report_free(r);
    r = run(db, LSS_TIME_NONE, 3000, NULL, "U");
    assert_int_equal(lss_report_quota_count(r), 1);
    assert_row(r, 0, "q3", 1000, 2000, 10000, 0);
    lss_report_free(r);
    /* a window that ends before every period: no rows */
    r = run(db, LSS_TIME_NONE, 1000, NULL, NULL);
    assert_int_equal(lss_report_quota_count(r), 0);
    lss_report_free(r);
    lss_db_close(db);
}

static void test_quota_attainment_alone_and_per_team(void **state)
{
    (void)state;
    lss_db *db = quotas();
    lss_quota_row row;
    assert_int_equal(lss_quota_attainment(&row, db, "q1", 1000, 2000, 3000), LSS_OK);
    assert_int_equal(row.target, 200000);
    assert_int_equal(row.achieved, 90000);
    assert_string_equal(lss_member_key(row.member), "q1");
    assert_int_equal(lss_quota_attainment(&row, db, "q1", 1000, 2000, 1400), LSS_OK);
    assert_int_equal(row.target, 100000);
    /* team T: q1 and q2 for [1000, 2000): 2000.00 + 3000.00 target, 900.00 + 3000.00 achieved */
    assert_int_equal(lss_team_quota_attainment(&row, db, "T", 1000, 2000, 3000), LSS_OK);
    assert_null(row.member);
    assert_int_equal(row.target, 500000);
    assert_int_equal(row.achieved, 390000);
    assert_ratio(row.attainment, 390000, 500000);
    /* team T for [2000, 3000): only q1 has that quota */
    assert_int_equal(lss_team_quota_attainment(&row, db, "T", 2000, 3000, 3000), LSS_OK);
    assert_int_equal(row.target, 50000);
    assert_int_equal(row.achieved, 40000);
    /* errors leave out alone */
    lss_quota_row before = row;
    assert_status_msg(db, lss_quota_attainment(&row, db, "q3", 2000, 3000, 3000), LSS_NOT_FOUND,
                      "member \"q3\" has no quota for [1970-01-01T00:33:20Z, 1970-01-01T00:50:00Z)");
    assert_status_msg(db, lss_quota_attainment(&row, db, "q9", 1000, 2000, 3000), LSS_NOT_FOUND,
                      "member \"q9\" does not exist");
    assert_status_msg(db, lss_team_quota_attainment(&row, db, "Z", 1000, 2000, 3000), LSS_NOT_FOUND,
                      "team \"Z\" has no quota");
    /* quota set at 1500 does not exist as of 1500 */
    assert_int_equal(lss_quota_attainment(&row, db, "q1", 1000, 2000, 0), LSS_INVALID);
    assert_memory_equal(&row, &before, sizeof row);
    assert_int_equal(lss_quota_attainment(NULL, db, "q1", 1000, 2000, 3000), LSS_INVALID);
    lss_db_close(db);
}

static void test_ratio_rounding_half_to_even(void **state)
{
    (void)state;
    char b[LSS_RATIO_BUFSIZE];
    struct { lss_ratio r; int dec; const char *want; } cases[] = {
        { { 1, 3 }, 6, "0.333333" },   { { 2, 3 }, 6, "0.666667" },  { { 1, 8 }, 2, "0.12" },
        { { 3, 8 }, 2, "0.38" },       { { -1, 8 }, 2, "-0.12" },    { { -3, 8 }, 2, "-0.38" },
        { { 5, 2 }, 0, "2" },          { { 7, 2 }, 0, "4" },         { { 1, -4 }, 1, "-0.2" },
        { { 224, 1000 }, 6, "0.224000" }, { { 1, 1 }, 6, "1.000000" }, { { 0, 5 }, 3, "0.000" },
        { { INT64_MAX, INT64_MAX }, 18, "1.000000000000000000" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(lss_ratio_format(b, sizeof b, cases[i].r, cases[i].dec), LSS_OK);
        assert_string_equal(b, cases[i].want);
    }
    int64_t v = 7;
    /* money averages: 0.5 and 1.5 cents round to even */
    assert_int_equal(lss_ratio_round(&v, (lss_ratio){ 1, 2 }, 1), LSS_OK);
    assert_int_equal(v, 0);
    assert_int_equal(lss_ratio_round(&v, (lss_ratio){ 3, 2 }, 1), LSS_OK);
    assert_int_equal(v, 2);
    assert_int_equal(lss_ratio_round(&v, (lss_ratio){ 2, 3 }, 1000000), LSS_OK);
    assert_int_equal(v, 666667);
    /* 128-bit intermediate: INT64_MAX x 10 / 10 is exact */
    assert_int_equal(lss_ratio_round(&v, (lss_ratio){ INT64_MAX, 10 }, 10), LSS_OK);
    assert_int_equal(v, INT64_MAX);
    v = 7;
    assert_status_msg(NULL, lss_ratio_round(&v, (lss_ratio){ 1, 0 }, 1), LSS_INVALID, "no value");
    assert_status_msg(NULL, lss_ratio_round(&v, (lss_ratio){ INT64_MAX, 1 }, 10), LSS_OVERFLOW, "exceeds 64 bits");
    assert_int_equal(v, 7);
    strcpy(b, "untouched");
    assert_int_equal(lss_ratio_format(b, sizeof b, (lss_ratio){ 1, 0 }, 6), LSS_INVALID);
    assert_int_equal(lss_ratio_format(b, sizeof b, (lss_ratio){ INT64_MAX, 1 }, 6), LSS_OVERFLOW);
    assert_int_equal(lss_ratio_format(b, sizeof b, (lss_ratio){ 1, 2 }, 19), LSS_INVALID);
    assert_int_equal(lss_ratio_format(b, 8, (lss_ratio){ 1, 2 }, 2), LSS_INVALID);
    assert_string_equal(b, "untouched");
}

/* ---- version 2: forecast, velocity, stage durations, follow-up, NPS ------------ */

#define DAY 86400

/* A small company by hand (docs/metrics.md "Version 2" works this example):
 * d1 default 1000.00 close day 30: qualified 2, presented 5, negotiated 9, won 10.
 * d2 hw 500.00 close day 20: qualified 3, commit 4 (hw qualified: 40 %).
 * d3 default 200.00 close day 50: own probability 90 at 6.
 * d4 default 300.00 close day 25: best_case 3, lost 12.
 * d5 default 400.00 close day 35: omitted 4.
 * Tasks due 5 (done 4), 6 (done 7), 7 (cancelled 6), 10, 20 (member a), 50.
 * NPS: c1 10 at 2; c2 3 at 3 and 9 at 20; c3 7 at 5. */
static lss_db *v2_company(void)
{
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "s", "S", LSS_ROLE_SALES, "North"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "a", "A", LSS_ROLE_SERVICE, "Desk"), LSS_OK);
    for (int i = 1; i <= 3; i++) {
        char k[4];
        snprintf(k, sizeof k, "c%d", i);
        assert_int_equal(lss_customer_add(NULL, db, 0, k, k, NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    }
    assert_int_equal(lss_pipeline_add(db, 0, "hw", "Hardware"), LSS_OK);
    assert_int_equal(lss_pipeline_stage_probability_set(db, 0, "hw", LSS_STAGE_QUALIFIED, 40), LSS_OK);
    assert_int_equal(lss_deal_open_in(NULL, db, 0, "d1", "c1", "s", 100000, NULL, 30 * DAY, NULL), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 2 * DAY, "d1", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 5 * DAY, "d1", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 9 * DAY, "d1", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, 10 * DAY, "d1", -1), LSS_OK);
    assert_int_equal(lss_deal_open_in(NULL, db, 1 * DAY, "d2", "c2", "s", 50000, NULL, 20 * DAY, "hw"), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 3 * DAY, "d2", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_set_forecast(db, 4 * DAY, "d2", LSS_FORECAST_COMMIT), LSS_OK);
    assert_int_equal(lss_deal_open_in(NULL, db, 1 * DAY, "d3", "c3", "s", 20000, NULL, 50 * DAY, NULL), LSS_OK);
    assert_int_equal(lss_deal_set_probability(db, 6 * DAY, "d3", 90), LSS_OK);
    assert_int_equal(lss_deal_open_in(NULL, db, 2 * DAY, "d4", "c1", "s", 30000, NULL, 25 * DAY, NULL), LSS_OK);
    assert_int_equal(lss_deal_set_forecast(db, 3 * DAY, "d4", LSS_FORECAST_BEST_CASE), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 12 * DAY, "d4", LSS_LOSS_PRICE, NULL), LSS_OK);
    assert_int_equal(lss_deal_open_in(NULL, db, 3 * DAY, "d5", "c2", "s", 40000, NULL, 35 * DAY, NULL), LSS_OK);
    assert_int_equal(lss_deal_set_forecast(db, 4 * DAY, "d5", LSS_FORECAST_OMITTED), LSS_OK);
    static const struct { const char *key, *member; int due; } tasks[] = {
        { "k1", "s", 5 }, { "k2", "s", 6 }, { "k3", "s", 7 }, { "k4", "s", 10 }, { "k5", "a", 20 }, { "k6", "s", 50 },
    };
    for (int i = 0; i < 6; i++)
        assert_int_equal(lss_task_add(NULL, db, DAY, tasks[i].key, "c1", tasks[i].member, LSS_ACTIVITY_CALL,
                                      tasks[i].due * DAY, NULL, NULL, NULL), LSS_OK);
    assert_int_equal(lss_task_done(db, 4 * DAY, "k1", NULL), LSS_OK);
    assert_int_equal(lss_task_done(db, 7 * DAY, "k2", NULL), LSS_OK);
    assert_int_equal(lss_task_cancel(db, 6 * DAY, "k3"), LSS_OK);
    assert_int_equal(lss_customer_nps(db, 2 * DAY, "c1", 10, NULL), LSS_OK);
    assert_int_equal(lss_customer_nps(db, 3 * DAY, "c2", 3, "late"), LSS_OK);
    assert_int_equal(lss_customer_nps(db, 20 * DAY, "c2", 9, NULL), LSS_OK);
    assert_int_equal(lss_customer_nps(db, 5 * DAY, "c3", 7, NULL), LSS_OK);
    return db;
}

/* The stage durations come from each deal's changes of stage, kept beside
 * its record, up to four of them within 2^29 - 1 seconds of its opening;
 * a deal with more, or with a later one, is read from its history; a
 * change rolled back is gone from both. The figures are the same either
 * way: A (four changes), B (six: lost and reopened), C (one, 2^29 seconds
 * after its opening), D (a rolled back advance, then one committed). */
static void test_stage_durations_from_the_changes_of_stage_and_from_histories(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    const lss_time T = 100 * DAY, big = (lss_time)1 << 29;
    assert_int_equal(lss_member_add(NULL, db, 0, "s", "S", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    const char *keys[] = { "A", "B", "C", "D" };
    for (int i = 0; i < 4; i++)
        assert_int_equal(lss_deal_open(NULL, db, T, keys[i], "c", "s", 1000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + 1 * DAY, "A", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_set_amount(db, T + 2 * DAY, "A", 1200), LSS_OK); /* not a change of stage */
    assert_int_equal(lss_deal_advance(db, T + 3 * DAY, "A", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + 6 * DAY, "A", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, T + 10 * DAY, "A", 1200), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + 1 * DAY, "B", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_lose(db, T + 2 * DAY, "B", LSS_LOSS_PRICE, NULL), LSS_OK);
    assert_int_equal(lss_deal_reopen(db, T + 4 * DAY, "B"), LSS_OK); /* back to qualified */
    assert_int_equal(lss_deal_advance(db, T + 5 * DAY, "B", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + 7 * DAY, "B", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, T + 8 * DAY, "B", 1000), LSS_OK);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + 1 * DAY, "D", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + 2 * DAY, "D", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + 9 * DAY, "D", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T + big, "C", LSS_STAGE_QUALIFIED), LSS_OK);
    lss_query q = LSS_QUERY_INIT;
    lss_pipeline_metrics p;
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: everything; pass 1: what ended before T + 5 days (B's first stays, A's first two) */
        q.to = pass ? T + 5 * DAY : T + big + 1;
        assert_int_equal(lss_pipeline_metrics_get(&p, db, &q), LSS_OK);
        if (pass == 0) {
            /* prospect: A 1, B 1, D 9 days, C 2^29 s */
            assert_int_equal(p.stage_durations[0].stays, 4);
            assert_ratio(p.stage_durations[0].mean_days, 11 * DAY + big, 4 * DAY);
            assert_ratio(p.stage_durations[0].median_days, 1 * DAY, DAY);
            /* qualified: A 2, B 1 (until lost), B 1 (reopened to presented) */
            assert_int_equal(p.stage_durations[1].stays, 3);
            assert_ratio(p.stage_durations[1].mean_days, 4 * DAY, 3 * DAY);
            /* presented: A 3, B 2; negotiated: A 4, B 1 */
            assert_int_equal(p.stage_durations[2].stays, 2);
            assert_ratio(p.stage_durations[2].mean_days, 5 * DAY, 2 * DAY);
            assert_int_equal(p.stage_durations[3].stays, 2);
            assert_ratio(p.stage_durations[3].mean_days, 5 * DAY, 2 * DAY);
        } else {
            /* prospect: A 1, B 1; qualified: A 2, B 1; presented: none ended */
            assert_int_equal(p.stage_durations[0].stays, 2);
            assert_ratio(p.stage_durations[0].mean_days, 2 * DAY, 2 * DAY);
            assert_int_equal(p.stage_durations[1].stays, 2);
            assert_ratio(p.stage_durations[1].mean_days, 3 * DAY, 2 * DAY);
            assert_int_equal(p.stage_durations[2].stays, 0);
        }
    }
    lss_db_close(db);
}

static void test_version2_sales_follow_up_nps(void **state)
{
    (void)state;
    lss_db *db = v2_company();
    lss_query q = LSS_QUERY_INIT;
    q.from = 0;
    q.to = 40 * DAY;
    q.as_of = 15 * DAY;
    lss_pipeline_metrics p;
    lss_sales_metrics s;
    assert_int_equal(lss_pipeline_metrics_get(&p, db, &q), LSS_OK);
    assert_int_equal(lss_sales_metrics_get(&s, db, &q), LSS_OK);
    assert_int_equal(p.as_of, 15 * DAY);
    assert_int_equal(p.open_deals, 3);
    assert_ratio(s.win_rate, 1, 2);
    assert_ratio(s.weighted_pipeline, 50000 * 40 + 20000 * 90 + 40000 * 10, 100); /* 420.00 */
    assert_ratio(p.pipeline_velocity, 15000, 1);                                   /* 3 x 1/2 x 1000.00 / 10 days */
    assert_int_equal(p.forecast.closed, 100000);
    assert_int_equal(p.forecast.commit, 150000);
    assert_int_equal(p.forecast.best_case, 150000);
    assert_int_equal(p.forecast.pipeline, 150000);
    assert_ratio(p.forecast.weighted, 120000, 1);
    assert_int_equal(p.stage_durations[0].stays, 3); /* prospect: 2, 2 and 10 days */
    assert_ratio(p.stage_durations[0].mean_days, 14 * DAY, 3 * DAY);
    assert_ratio(p.stage_durations[0].median_days, 2 * DAY, DAY);
    assert_int_equal(p.stage_durations[1].stays, 1);
    assert_ratio(p.stage_durations[1].mean_days, 3 * DAY, DAY);
    assert_ratio(p.stage_durations[2].median_days, 4 * DAY, DAY);
    assert_ratio(p.stage_durations[3].mean_days, 1 * DAY, DAY);
    /* as of day 8: what the forecast said then */
    q.as_of = 8 * DAY;
    assert_int_equal(lss_pipeline_metrics_get(&p, db, &q), LSS_OK);
    assert_int_equal(p.open_deals, 5);
    assert_int_equal(p.forecast.closed, 0);
    assert_int_equal(p.forecast.commit, 50000);
    assert_int_equal(p.forecast.best_case, 80000);
    assert_int_equal(p.forecast.pipeline, 180000);
    assert_ratio(p.forecast.weighted, 73000, 1);
    assert_int_equal(p.pipeline_velocity.den, 0); /* no win yet */
    /* the pipeline filter: hw holds d2 alone */
    q.as_of = 15 * DAY;
    q.pipeline = "hw";
    assert_int_equal(lss_pipeline_metrics_get(&p, db, &q), LSS_OK);
    assert_int_equal(p.open_deals, 1);
    assert_int_equal(p.forecast.commit, 50000);
    q.pipeline = "nope";
    assert_status_msg(db, lss_pipeline_metrics_get(&p, db, &q), LSS_INVALID,
                      "pipeline metrics: filter pipeline \"nope\" does not exist");
    q.pipeline = NULL;
    /* follow-up */
    lss_follow_up_metrics f;
    assert_int_equal(lss_follow_up_metrics_get(&f, db, &q), LSS_OK);
    assert_int_equal(f.tasks_due, 4);
    assert_ratio(f.tasks_on_time_rate, 1, 3);
    assert_int_equal(f.tasks_overdue, 1);
    q.member = "a";
    assert_int_equal(lss_follow_up_metrics_get(&f, db, &q), LSS_OK);
    assert_int_equal(f.tasks_due, 1);
    assert_int_equal(f.tasks_overdue, 0);
    q.member = NULL;
    q.as_of = 6 * DAY + 1; /* k2 due and not done yet: late and overdue; k3 cancelled at 6 */
    assert_int_equal(lss_follow_up_metrics_get(&f, db, &q), LSS_OK);
    assert_int_equal(f.tasks_due, 4);
    assert_ratio(f.tasks_on_time_rate, 1, 2);
    assert_int_equal(f.tasks_overdue, 1);
    /* NPS */
    lss_nps_metrics n;
    q.as_of = 15 * DAY;
    assert_int_equal(lss_nps_metrics_get(&n, db, &q), LSS_OK);
    assert_int_equal(n.nps_responses, 3);
    assert_ratio(n.nps, 0, 3);
    q.as_of = 25 * DAY;
    assert_int_equal(lss_nps_metrics_get(&n, db, &q), LSS_OK);
    assert_ratio(n.nps, 200, 3);
    /* one metric alone equals its part */
    lss_forecast fc;
    assert_int_equal(lss_metric_forecast(&fc, db, &q), LSS_OK);
    assert_int_equal(lss_pipeline_metrics_get(&p, db, &q), LSS_OK);
    assert_memory_equal(&fc, &p.forecast, sizeof fc);
    int64_t v;
    assert_int_equal(lss_metric_tasks_overdue(&v, db, &q), LSS_OK);
    assert_int_equal(v, 2); /* k4 and k5 as of day 25 */
    assert_int_equal(lss_metric_nps_responses(&v, db, &q), LSS_OK);
    assert_int_equal(v, 3);
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
        cmocka_unit_test(test_funnel_counts_skipped_stages_as_reached),
        cmocka_unit_test(test_relationship_metrics),
        cmocka_unit_test(test_quota_rows),
        cmocka_unit_test(test_quota_attainment_alone_and_per_team),
        cmocka_unit_test(test_ratio_rounding_half_to_even),
        cmocka_unit_test(test_stage_durations_from_the_changes_of_stage_and_from_histories),
        cmocka_unit_test(test_version2_sales_follow_up_nps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
