/* The contract every entry point keeps with bad arguments: a NULL where a
 * handle or output is needed, a query of an unknown version or an empty
 * window, an unknown key, a bad enum, a time out of range, a read-only or
 * poisoned handle. Each returns its documented status with a message and
 * changes nothing (the dump before and after is the same). */
#include "testutil.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The status is `want` and lss_errmsg() (the thread's last message) holds `frag`. */
#define EXPECT(call, want, frag)                                                                    \
    do {                                                                                            \
        lss_status st_ = (call);                                                                    \
        if (st_ != (want) || strstr(lss_errmsg(), (frag)) == NULL)                                  \
            fail_msg("%s: %s (\"%s\"), expected %s with \"%s\"", #call, lss_status_name(st_),      \
                     lss_errmsg(), lss_status_name(want), (frag));                                  \
    } while (0)

/* A small company: two members, customers, an open and a won deal, a ticket. */
static lss_db *company(lss_db *db)
{
    assert_int_equal(lss_member_add(NULL, db, 10, "rep", "Rep", LSS_ROLE_SALES, "North"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 10, "agent", "Agent", LSS_ROLE_SERVICE, "Desk"), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 20, "c1", "C One", "a@b.test", "Co", "smb", LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 30, "d1", "c1", "rep", 1000, "T", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 30, "d2", "c1", "rep", 1000, "T", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_win(db, 31, "d2", -1), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 40, "t1", "c1", LSS_TICKET_INCIDENT, LSS_CHANNEL_EMAIL,
                                     LSS_PRIORITY_HIGH, "S", NULL),
                     LSS_OK);
    return db;
}

/* Every change the API can make, applied to `db` with the given time and
 * keys: the statuses in out[] (as many as the function returns). */
#define N_CHANGES 27
static void every_change(lss_db *db, lss_time at, const char *member, const char *customer, const char *deal,
                         const char *ticket, lss_status out[N_CHANGES])
{
    int k = 0;
    out[k++] = lss_member_add(NULL, db, at, "new-member", "N", LSS_ROLE_SALES, NULL);
    out[k++] = lss_quota_set(db, at, member, 0, 100, 10);
    out[k++] = lss_customer_add(NULL, db, at, "new-customer", "N", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL);
    out[k++] = lss_customer_update(db, at, customer, "N2", NULL, NULL, NULL);
    out[k++] = lss_customer_churn(db, at, customer);
    out[k++] = lss_customer_erase(db, at, customer);
    out[k++] = lss_activity_log(NULL, db, at, customer, member, LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 60, NULL, NULL);
    out[k++] = lss_deal_open(NULL, db, at, "new-deal", customer, member, 10, NULL, LSS_TIME_NONE);
    out[k++] = lss_deal_advance(db, at, deal, LSS_STAGE_QUALIFIED);
    out[k++] = lss_deal_set_amount(db, at, deal, 5);
    out[k++] = lss_deal_assign(db, at, deal, member);
    out[k++] = lss_deal_win(db, at, deal, -1);
    out[k++] = lss_deal_lose(db, at, deal, LSS_LOSS_PRICE, NULL);
    out[k++] = lss_deal_reopen(db, at, deal);
    out[k++] = lss_stage_probability_set(db, at, LSS_STAGE_QUALIFIED, 30);
    out[k++] = lss_ticket_open(NULL, db, at, "new-ticket", customer, LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE,
                               LSS_PRIORITY_LOW, NULL, NULL);
    out[k++] = lss_ticket_assign(db, at, ticket, member);
    out[k++] = lss_ticket_contact(db, at, ticket, member, 60, -1);
    out[k++] = lss_ticket_wait(db, at, ticket);
    out[k++] = lss_ticket_resume(db, at, ticket);
    out[k++] = lss_ticket_resolve(db, at, ticket, NULL);
    out[k++] = lss_ticket_reopen(db, at, ticket);
    out[k++] = lss_ticket_close(db, at, ticket);
    out[k++] = lss_ticket_rate(db, at, ticket, 5, NULL);
    out[k++] = lss_sla_set(db, at, LSS_PRIORITY_HIGH, 3600, 86400);
    out[k++] = lss_apply_json(db, "{\"type\":\"customer.churn\",\"at\":100,\"customer\":\"c1\"}");
    out[k++] = lss_tx_begin(db);
    assert_int_equal(k, N_CHANGES);
}

static void test_null_database_and_outputs(void **state)
{
    (void)state;
    lss_status st[N_CHANGES];
    every_change(NULL, 100, "rep", "c1", "d1", "t1", st);
    for (int k = 0; k < N_CHANGES; k++)
        if (st[k] != LSS_INVALID)
            fail_msg("change %d with a NULL database: %s", k, lss_status_name(st[k]));
    EXPECT(lss_tx_commit(NULL), LSS_INVALID, "NULL database");
    EXPECT(lss_tx_rollback(NULL), LSS_INVALID, "NULL database");
    EXPECT(lss_db_sync(NULL), LSS_INVALID, "NULL database");
    EXPECT(lss_db_compact(NULL), LSS_INVALID, "NULL database");
    EXPECT(lss_db_open(NULL, NULL, NULL), LSS_INVALID, "NULL output");
    EXPECT(lss_open_options_init(NULL, LSS_OPEN_OPTIONS_VERSION), LSS_INVALID, "NULL");
    EXPECT(lss_query_init(NULL, LSS_QUERY_VERSION), LSS_INVALID, "NULL");
    lss_query q;
    EXPECT(lss_query_init(&q, 99), LSS_VERSION, "version 99");
    lss_recovery rec;
    EXPECT(lss_db_recovery(&rec, NULL), LSS_INVALID, "NULL");
    EXPECT(lss_generate(NULL, NULL), LSS_INVALID, "NULL");
    EXPECT(lss_import_stream(NULL, stdin, NULL, NULL), LSS_INVALID, "NULL");
    EXPECT(lss_import_file(NULL, "x", NULL, NULL), LSS_INVALID, "NULL");
    EXPECT(lss_export_stream(NULL, stdout, NULL), LSS_INVALID, "NULL");
    EXPECT(lss_export_file(NULL, "x", NULL), LSS_INVALID, "NULL");
    /* what reads a NULL database says so (counts are 0, names NULL) */
    assert_int_equal(lss_db_event_count(NULL), 0);
    assert_int_equal(lss_db_last_time(NULL), LSS_TIME_NONE);
    assert_null(lss_db_path(NULL));
    assert_null(lss_db_currency(NULL));
    assert_int_equal(lss_db_pipeline(NULL), LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_count(NULL), 0);
    assert_int_equal(lss_customer_count(NULL), 0);
    assert_int_equal(lss_deal_count(NULL), 0);
    assert_int_equal(lss_activity_count(NULL), 0);
    assert_int_equal(lss_ticket_count(NULL), 0);
    assert_int_equal(lss_customer_is_erased(NULL), 0);
    assert_int_equal(lss_timeline_count(NULL), 0);
    assert_int_equal(lss_report_quota_count(NULL), 0);
    lss_db_lock(NULL);
    lss_db_unlock(NULL);
    lss_db_close(NULL);

    lss_db *db = company(open_db(LSS_PIPELINE_LENIENT));
    char *before = dump(db);
    const lss_customer *c;
    const lss_deal *d;
    const lss_ticket *t;
    const lss_member *m;
    const lss_activity *a;
    EXPECT(lss_customer_find(NULL, db, "c1"), LSS_INVALID, "NULL argument");
    EXPECT(lss_customer_find(&c, NULL, "c1"), LSS_INVALID, "NULL argument");
    EXPECT(lss_customer_find(&c, db, NULL), LSS_INVALID, "NULL argument");
    EXPECT(lss_deal_find(&d, db, NULL), LSS_INVALID, "NULL argument");
    EXPECT(lss_ticket_find(&t, db, NULL), LSS_INVALID, "NULL argument");
    EXPECT(lss_member_find(&m, db, NULL), LSS_INVALID, "NULL argument");
    EXPECT(lss_customer_by_id(NULL, db, 0), LSS_INVALID, "NULL argument");
    EXPECT(lss_deal_by_id(&d, NULL, 0), LSS_INVALID, "NULL argument");
    EXPECT(lss_ticket_by_id(&t, db, 7), LSS_NOT_FOUND, "ticket id 7 does not exist (there are 1)");
    EXPECT(lss_activity_by_id(&a, db, 0), LSS_NOT_FOUND, "activity id 0 does not exist (there are 0)");
    EXPECT(lss_member_by_id(&m, db, 2), LSS_NOT_FOUND, "member id 2 does not exist");
    assert_int_equal(lss_customer_find(&c, db, "c1"), LSS_OK);
    assert_int_equal(lss_deal_find(&d, db, "d1"), LSS_OK);
    assert_int_equal(lss_ticket_find(&t, db, "t1"), LSS_OK);
    lss_customer_change cc;
    EXPECT(lss_customer_change_get(NULL, c, 0), LSS_INVALID, "NULL");
    EXPECT(lss_customer_change_get(&cc, c, 0), LSS_NOT_FOUND, "");
    lss_deal_change dc;
    EXPECT(lss_deal_history_get(NULL, d, 0), LSS_INVALID, "NULL");
    EXPECT(lss_deal_history_get(&dc, d, 5), LSS_NOT_FOUND, "");
    lss_ticket_change tc;
    EXPECT(lss_ticket_history_get(NULL, t, 0), LSS_INVALID, "NULL");
    EXPECT(lss_ticket_history_get(&tc, t, 9), LSS_NOT_FOUND, "");
    lss_sla_state sla;
    EXPECT(lss_ticket_sla(NULL, t, 50), LSS_INVALID, "NULL");
    EXPECT(lss_ticket_sla(&sla, NULL, 50), LSS_INVALID, "NULL");
    lss_time at;
    EXPECT(lss_deal_stage_entered(NULL, d, LSS_STAGE_PROSPECT), LSS_INVALID, "invalid argument");
    lss_timeline *tl;
    EXPECT(lss_customer_timeline(NULL, db, "c1"), LSS_INVALID, "NULL");
    EXPECT(lss_customer_timeline(&tl, db, "nobody"), LSS_NOT_FOUND, "customer \"nobody\" does not exist");
    assert_int_equal(lss_customer_timeline(&tl, db, "c1"), LSS_OK);
    lss_timeline_item it;
    EXPECT(lss_timeline_get(NULL, tl, 0), LSS_INVALID, "NULL");
    EXPECT(lss_timeline_get(&it, tl, 99), LSS_NOT_FOUND, "");
    lss_timeline_free(tl);
    lss_timeline_free(NULL);
    lss_quota_row row;
    EXPECT(lss_quota_attainment(NULL, db, "rep", 0, 100, LSS_TIME_NONE), LSS_INVALID, "NULL");
    EXPECT(lss_quota_attainment(&row, db, NULL, 0, 100, LSS_TIME_NONE), LSS_INVALID, "NULL");
    EXPECT(lss_team_quota_attainment(&row, NULL, "North", 0, 100, LSS_TIME_NONE), LSS_INVALID, "NULL");
    EXPECT(lss_quota_attainment(&row, db, "nobody", 0, 100, LSS_TIME_NONE), LSS_NOT_FOUND, "nobody");
    (void)at;
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    lss_db_close(db);
}

/* Every metric: NULL output, an unknown query version, an empty window and
 * an unknown member are refused with their status; the output is untouched. */
static void test_every_metric_refuses_bad_queries(void **state)
{
    (void)state;
    lss_db *db = company(open_db(LSS_PIPELINE_LENIENT));
    lss_query bad_version = LSS_QUERY_INIT, empty = LSS_QUERY_INIT, nobody = LSS_QUERY_INIT, ok = LSS_QUERY_INIT;
    bad_version.version = 77;
    empty.from = 50;
    empty.to = 50;
    nobody.member = "nobody";
    const lss_query *qs[] = { &bad_version, &empty, &nobody };
    const lss_status want[] = { LSS_VERSION, LSS_INVALID, LSS_INVALID };
    const char *frag[] = { "version 77", "window [1970-01-01T00:00:50Z, 1970-01-01T00:00:50Z) is empty", "filter member \"nobody\" does not exist" };
    int64_t i64 = 12345;
    lss_money money = 12345;
    lss_ratio ratio = { 7, 7 };
    lss_duration_stats ds;
    memset(&ds, 0x5a, sizeof ds);
    lss_duration_stats ds0 = ds;
#define INT_METRICS(X)                                                                              \
    X(deals_opened) X(won) X(lost) X(tickets_opened) X(resolved) X(backlog) X(customers_added)      \
        X(customers_converted) X(active_customers) X(referrals)
#define MONEY_METRICS(X) X(revenue) X(open_pipeline)
#define RATIO_METRICS(X)                                                                            \
    X(win_rate) X(avg_deal_size) X(avg_sales_cycle_days) X(lead_conversion_rate) X(weighted_pipeline) \
        X(resolution_rate) X(fcr_rate) X(aht_seconds) X(csat_percent) X(csat_mean) X(reopen_rate)   \
            X(sla_compliance) X(retention_rate) X(repeat_purchase_rate) X(avg_customer_value)
#define STATS_METRICS(X) X(first_response_seconds) X(resolution_seconds)
    for (int k = 0; k < 3; k++) {
#define CHECK_INT(name)                                                                             \
        EXPECT(lss_metric_##name(&i64, db, qs[k]), want[k], frag[k]);                               \
        EXPECT(lss_metric_##name(NULL, db, &ok), LSS_INVALID, "NULL argument");                    \
        EXPECT(lss_metric_##name(&i64, NULL, &ok), LSS_INVALID, "NULL argument");
#define CHECK_MONEY(name)                                                                           \
        EXPECT(lss_metric_##name(&money, db, qs[k]), want[k], frag[k]);                             \
        EXPECT(lss_metric_##name(NULL, db, &ok), LSS_INVALID, "NULL argument");
#define CHECK_RATIO(name)                                                                           \
        EXPECT(lss_metric_##name(&ratio, db, qs[k]), want[k], frag[k]);                             \
        EXPECT(lss_metric_##name(NULL, db, &ok), LSS_INVALID, "NULL argument");
#define CHECK_STATS(name)                                                                           \
        EXPECT(lss_metric_##name(&ds, db, qs[k]), want[k], frag[k]);                                \
        EXPECT(lss_metric_##name(NULL, db, &ok), LSS_INVALID, "NULL argument");
        INT_METRICS(CHECK_INT)
        MONEY_METRICS(CHECK_MONEY)
        RATIO_METRICS(CHECK_RATIO)
        STATS_METRICS(CHECK_STATS)
        int64_t reached[LSS_FUNNEL_STAGES];
        lss_ratio conv[LSS_FUNNEL_STAGES];
        EXPECT(lss_metric_funnel(reached, conv, db, qs[k]), want[k], frag[k]);
        lss_sales_metrics sm;
        lss_service_metrics vm;
        lss_relationship_metrics rm;
        EXPECT(lss_sales_metrics_get(&sm, db, qs[k]), want[k], frag[k]);
        EXPECT(lss_service_metrics_get(&vm, db, qs[k]), want[k], frag[k]);
        EXPECT(lss_relationship_metrics_get(&rm, db, qs[k]), want[k], frag[k]);
        lss_report *r = (lss_report *)db;
        EXPECT(lss_report_run(&r, db, qs[k]), want[k], frag[k]);
        assert_null(r);
    }
    /* untouched by every failure */
    assert_int_equal(i64, 12345);
    assert_int_equal(money, 12345);
    assert_int_equal(ratio.num, 7);
    assert_memory_equal(&ds, &ds0, sizeof ds);
    /* and each one answers a good query: the values of this company */
    assert_int_equal(lss_metric_won(&i64, db, &ok), LSS_OK);
    assert_int_equal(i64, 1);
    assert_int_equal(lss_metric_open_pipeline(&money, db, &ok), LSS_OK);
    assert_int_equal(money, 1000);
    assert_int_equal(lss_metric_tickets_opened(&i64, db, &ok), LSS_OK);
    assert_int_equal(i64, 1);
    assert_int_equal(lss_metric_customers_added(&i64, db, &ok), LSS_OK);
    assert_int_equal(i64, 1);
    assert_int_equal(lss_metric_win_rate(&ratio, db, &ok), LSS_OK);
    assert_ratio(ratio, 1, 1);
    assert_int_equal(lss_metric_resolution_seconds(&ds, db, &ok), LSS_OK);
    assert_int_equal(ds.count, 0);
    assert_int_equal(lss_metric_funnel(NULL, NULL, db, &ok), LSS_OK); /* either output may be NULL */
    EXPECT(lss_metric_funnel(NULL, NULL, NULL, &ok), LSS_INVALID, "NULL");
    lss_db_close(db);
}

/* Times out of range, missing entities and bad enums: refused with the
 * field named, nothing changed. */
static void test_every_change_refuses_bad_arguments(void **state)
{
    (void)state;
    lss_db *db = company(open_db(LSS_PIPELINE_LENIENT));
    char *before = dump(db);
    lss_status st[N_CHANGES];
    /* a time before the epoch, and one past the largest */
    for (int v = 0; v < 2; v++) {
        every_change(db, v ? LSS_TIME_MAX + 1 : -5, "rep", "c1", "d1", "t1", st);
        for (int k = 0; k < N_CHANGES - 2; k++)
            if (st[k] != LSS_INVALID)
                fail_msg("change %d at %s: %s (%s)", k, v ? "past the largest time" : "-5", lss_status_name(st[k]),
                         lss_db_errmsg(db));
        assert_int_equal(st[N_CHANGES - 1], LSS_OK); /* the transaction: no time */
        assert_int_equal(lss_tx_rollback(db), LSS_OK);
    }
    /* unknown member, customer, deal, ticket: every call that names one */
    every_change(db, 100, "ghost-m", "ghost-c", "ghost-d", "ghost-t", st);
    static const int named[] = { 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23 };
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (st[named[i]] != LSS_NOT_FOUND)
            fail_msg("change %d naming missing entities: %s (%s)", named[i], lss_status_name(st[named[i]]),
                     lss_db_errmsg(db));
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    /* undo what the good ones of those did */
    lss_db_close(db);
    db = company(open_db(LSS_PIPELINE_LENIENT));
    /* bad enums, each naming its field */
    EXPECT(lss_member_add(NULL, db, 50, "m9", "M", (lss_role)9, NULL), LSS_INVALID, "role");
    EXPECT(lss_customer_add(NULL, db, 50, "c9", "C", NULL, NULL, NULL, (lss_source)42, NULL), LSS_INVALID, "source");
    EXPECT(lss_activity_log(NULL, db, 50, "c1", "rep", (lss_activity_kind)99, LSS_CHANNEL_PHONE, 1, NULL, NULL),
           LSS_INVALID, "kind");
    EXPECT(lss_activity_log(NULL, db, 50, "c1", "rep", LSS_ACTIVITY_CALL, (lss_channel)99, 1, NULL, NULL), LSS_INVALID,
           "channel");
    EXPECT(lss_activity_log(NULL, db, 50, "c1", "rep", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, -7, NULL, NULL),
           LSS_INVALID, "duration");
    EXPECT(lss_activity_log(NULL, db, 50, "c1", "rep", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 1, "ghost", NULL),
           LSS_NOT_FOUND, "ghost");
    EXPECT(lss_ticket_open(NULL, db, 50, "t9", "c1", (lss_ticket_kind)99, LSS_CHANNEL_PHONE, LSS_PRIORITY_LOW, NULL,
                           NULL),
           LSS_INVALID, "kind");
    EXPECT(lss_ticket_open(NULL, db, 50, "t9", "c1", LSS_TICKET_INCIDENT, (lss_channel)99, LSS_PRIORITY_LOW, NULL,
                           NULL),
           LSS_INVALID, "channel");
    EXPECT(lss_ticket_open(NULL, db, 50, "t9", "c1", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE, (lss_priority)99, NULL,
                           NULL),
           LSS_INVALID, "priority");
    EXPECT(lss_ticket_open(NULL, db, 50, "t9", "c1", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE, LSS_PRIORITY_LOW, NULL,
                           "ghost"),
           LSS_NOT_FOUND, "ghost");
    EXPECT(lss_ticket_open(NULL, db, 50, "t9", "c1", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE, LSS_PRIORITY_LOW, NULL,
                           "bad\x01key"),
           LSS_INVALID, "control character");
    EXPECT(lss_ticket_contact(db, 50, "t1", "agent", 60, 99), LSS_INVALID, "channel");
    EXPECT(lss_ticket_assign(db, 50, "t1", NULL), LSS_INVALID, "agent");
    EXPECT(lss_ticket_rate(db, 50, "t1", 9, NULL), LSS_INVALID, "score");
    EXPECT(lss_sla_set(db, 50, (lss_priority)99, 1, 1), LSS_INVALID, "priority");
    EXPECT(lss_sla_set(db, 50, LSS_PRIORITY_LOW, -1, 1), LSS_INVALID, "first_response");
    EXPECT(lss_sla_set(db, 50, LSS_PRIORITY_LOW, 1, -1), LSS_INVALID, "resolution");
    EXPECT(lss_deal_advance(db, 50, "d1", (lss_stage)99), LSS_INVALID, "");
    EXPECT(lss_deal_lose(db, 50, "d1", (lss_loss_reason)99, NULL), LSS_INVALID, "reason");
    EXPECT(lss_stage_probability_set(db, 50, LSS_STAGE_QUALIFIED, 101), LSS_INVALID, "percent");
    EXPECT(lss_stage_probability_set(db, 50, LSS_STAGE_WON, 50), LSS_INVALID, "");
    EXPECT(lss_customer_add(NULL, db, 50, "c9", "C", NULL, NULL, NULL, LSS_SOURCE_REFERRAL, "ghost"), LSS_NOT_FOUND,
           "ghost");
    EXPECT(lss_customer_add(NULL, db, 50, "c9", "C", NULL, NULL, NULL, LSS_SOURCE_REFERRAL, "bad\x02"), LSS_INVALID,
           "control character");
    EXPECT(lss_customer_update(db, 50, "c1", NULL, NULL, NULL, NULL), LSS_INVALID, "give at least one");
    EXPECT(lss_customer_update(db, 50, "c1", "\xff", NULL, NULL, NULL), LSS_INVALID, "not valid UTF-8");
    EXPECT(lss_quota_set(db, 50, "rep", 100, 100, 5), LSS_INVALID, "");
    EXPECT(lss_quota_set(db, 50, "rep", 0, 100, 0), LSS_INVALID, "amount");
    EXPECT(lss_deal_open(NULL, db, 50, "d9", "c1", "agent", 5, NULL, LSS_TIME_NONE), LSS_ROLE, "");
    EXPECT(lss_deal_open(NULL, db, 50, "d9", "c1", "rep", -5, NULL, LSS_TIME_NONE), LSS_INVALID, "amount");
    EXPECT(lss_deal_open(NULL, db, 50, "d9", "c1", "rep", 5, NULL, -9), LSS_INVALID, "expected_close");
    char *after = dump(db);
    char *fresh_dump;
    lss_db *fresh = company(open_db(LSS_PIPELINE_LENIENT));
    fresh_dump = dump(fresh);
    assert_string_equal(after, fresh_dump);
    free(fresh_dump);
    lss_db_close(fresh);
    free(after);
    free(before);
    lss_db_close(db);
}

static int failing_sync(int fd)
{
    (void)fd;
    errno = EIO;
    return -1;
}

/* A read-only handle and a poisoned one refuse every change; reads go on. */
static void test_read_only_and_poisoned_handles_refuse_every_change(void **state)
{
    (void)state;
    const char *p = tmp_path("ro.lss");
    unlink(p);
    lss_db *w = company(open_journal(p, LSS_SYNC_OFF));
    lss_db_close(w);
    long size;
    {
        FILE *f = fopen(p, "rb");
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        fclose(f);
    }
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    lss_db *ro;
    assert_int_equal(lss_db_open(&ro, p, &o), LSS_OK);
    char *before = dump(ro);
    lss_status st[N_CHANGES];
    every_change(ro, 100, "rep", "c1", "d1", "t1", st);
    for (int k = 0; k < N_CHANGES; k++)
        if (st[k] != LSS_MISUSE || (k < N_CHANGES - 1 && strstr(lss_db_errmsg(ro), "read-only") == NULL))
            fail_msg("change %d on a read-only handle: %s", k, lss_status_name(st[k]));
    EXPECT(lss_db_compact(ro), LSS_MISUSE, "read-only");
    assert_int_equal(lss_db_sync(ro), LSS_OK); /* nothing to sync */
    char *after = dump(ro);
    assert_string_equal(before, after);
    free(after);
    lss_db_close(ro);
    FILE *f = fopen(p, "rb");
    fseek(f, 0, SEEK_END);
    assert_int_equal(ftell(f), size);
    fclose(f);

    /* poisoned by a failed sync */
    lss_db *db = open_journal(p, LSS_SYNC_FULL);
    lss__io_ops.fdatasync = failing_sync;
    EXPECT(lss_customer_churn(db, 60, "c1"), LSS_IO, "fdatasync failed");
    lss__io_ops = lss__io_posix;
    char *poisoned = dump(db);
    assert_string_equal(poisoned, before);
    every_change(db, 100, "rep", "c1", "d1", "t1", st);
    for (int k = 0; k < N_CHANGES; k++)
        if (st[k] != LSS_IO)
            fail_msg("change %d on a poisoned handle: %s", k, lss_status_name(st[k]));
    EXPECT(lss_customer_churn(db, 100, "c1"), LSS_IO, "refuses changes after an earlier I/O error");
    EXPECT(lss_db_compact(db), LSS_IO, "refuses changes");
    EXPECT(lss_db_sync(db), LSS_IO, "refuses changes");
    after = dump(db);
    assert_string_equal(after, before);
    free(after);
    free(poisoned);
    free(before);
    lss_db_close(db);
}

static int generate_progress_calls;
static void on_generate_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    assert_true(done <= total);
    generate_progress_calls++;
}

/* lss_generate: options out of range, a database that is not empty or is
 * in a transaction are refused; the progress callback sees every batch. */
static void test_generate_refuses_bad_options(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    lss_generate_options o = LSS_GENERATE_OPTIONS_INIT;
    o.version = 5;
    EXPECT(lss_generate(db, &o), LSS_VERSION, "options version 5");
    static const struct {
        uint32_t customers, days, reps, agents;
        lss_time start;
    } bad[] = {
        { 0, 365, 6, 5, 0 }, { 10000001, 365, 6, 5, 0 }, { 10, 0, 6, 5, 0 }, { 10, 3651, 6, 5, 0 },
        { 10, 365, 0, 5, 0 }, { 10, 365, 1001, 5, 0 }, { 10, 365, 6, 0, 0 }, { 10, 365, 6, 1001, 0 },
        { 10, 365, 6, 5, -1 }, { 10, 365, 6, 5, LSS_TIME_MAX - 86400 },
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        o = (lss_generate_options)LSS_GENERATE_OPTIONS_INIT;
        o.customers = bad[k].customers;
        o.days = bad[k].days;
        o.sales_reps = bad[k].reps;
        o.agents = bad[k].agents;
        o.start = bad[k].start;
        EXPECT(lss_generate(db, &o), LSS_INVALID, "options out of range");
        assert_int_equal(lss_db_event_count(db), 0);
    }
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    EXPECT(lss_generate(db, NULL), LSS_MISUSE, "must be empty and without an open transaction");
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    o = (lss_generate_options)LSS_GENERATE_OPTIONS_INIT;
    o.customers = 2500;
    o.progress = on_generate_progress;
    assert_int_equal(lss_generate(db, &o), LSS_OK);
    assert_int_equal(generate_progress_calls, 3); /* a batch of 1,000 customers each */
    assert_int_equal(lss_customer_count(db), 2500);
    EXPECT(lss_generate(db, NULL), LSS_MISUSE, "must be empty");
    lss_db_close(db);
}

/* Hundreds of segments and teams (the interned strings' table grows), a
 * transaction that adds some and is rolled back removes exactly those. */
static void test_many_segments_and_teams(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    char key[32], seg[32];
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "m%d", i);
        snprintf(seg, sizeof seg, "team-%d", i % 150);
        assert_int_equal(lss_member_add(NULL, db, 1, key, "M", LSS_ROLE_BOTH, seg), LSS_OK);
        snprintf(key, sizeof key, "c%d", i);
        snprintf(seg, sizeof seg, "segment-%d", i);
        assert_int_equal(lss_customer_add(NULL, db, 2, key, "C", NULL, NULL, seg, LSS_SOURCE_WEB, NULL), LSS_OK);
    }
    char *before = dump(db);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "c%d", i);
        snprintf(seg, sizeof seg, "new-segment-%d", i);
        assert_int_equal(lss_customer_update(db, 3, key, NULL, NULL, NULL, seg), LSS_OK);
        snprintf(key, sizeof key, "x%d", i);
        snprintf(seg, sizeof seg, "new-team-%d", i);
        assert_int_equal(lss_member_add(NULL, db, 3, key, "M", LSS_ROLE_BOTH, seg), LSS_OK);
    }
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* the filters find them: one customer per segment, two members per team */
    lss_query q = LSS_QUERY_INIT;
    q.segment = "segment-123";
    int64_t n;
    assert_int_equal(lss_metric_customers_added(&n, db, &q), LSS_OK);
    assert_int_equal(n, 1);
    q.segment = "new-segment-1"; /* rolled back: matches nothing */
    assert_int_equal(lss_metric_customers_added(&n, db, &q), LSS_OK);
    assert_int_equal(n, 0);
    lss_quota_row row;
    assert_int_equal(lss_quota_set(db, 4, "m7", 0, 100, 50), LSS_OK);
    assert_int_equal(lss_quota_set(db, 4, "m157", 0, 100, 70), LSS_OK);
    assert_int_equal(lss_team_quota_attainment(&row, db, "team-7", 0, 100, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(row.target, 120);
    lss_db_close(db);
}

/* Every enum's parse: NULL output or text refused, unknown spelling named,
 * the output untouched; every known spelling round-trips through its name. */
static void test_every_enum_parses_and_refuses(void **state)
{
    (void)state;
#define ENUM_CASE(type, parse, name, count)                                                             do {                                                                                                    type v = (type)77;                                                                                  EXPECT(parse(NULL, "x"), LSS_INVALID, "NULL output");                                              EXPECT(parse(&v, NULL), LSS_INVALID, "");                                                           EXPECT(parse(&v, "no-such-spelling"), LSS_INVALID, "no-such-spelling");                             assert_int_equal((int)v, 77);                                                                       for (int k = 0; k < (count); k++) {                                                                     assert_non_null(name(k));                                                                           assert_int_equal(parse(&v, name(k)), LSS_OK);                                                       assert_int_equal((int)v, k);                                                                    }                                                                                                   assert_null(name(count));                                                                           assert_null(name(-1));                                                                          } while (0)
    ENUM_CASE(lss_pipeline_mode, lss_pipeline_mode_parse, lss_pipeline_mode_name, 2);
    ENUM_CASE(lss_sync_mode, lss_sync_mode_parse, lss_sync_mode_name, 3);
    ENUM_CASE(lss_role, lss_role_parse, lss_role_name, 3);
    ENUM_CASE(lss_source, lss_source_parse, lss_source_name, 6);
    ENUM_CASE(lss_channel, lss_channel_parse, lss_channel_name, 6);
    ENUM_CASE(lss_activity_kind, lss_activity_kind_parse, lss_activity_kind_name, 9);
    ENUM_CASE(lss_stage, lss_stage_parse, lss_stage_name, 6);
    ENUM_CASE(lss_loss_reason, lss_loss_reason_parse, lss_loss_reason_name, 6);
    ENUM_CASE(lss_ticket_state, lss_ticket_state_parse, lss_ticket_state_name, 5);
    ENUM_CASE(lss_ticket_kind, lss_ticket_kind_parse, lss_ticket_kind_name, 7);
    ENUM_CASE(lss_priority, lss_priority_parse, lss_priority_name, 4);
    assert_null(lss_sla_outcome_name(99));
    assert_string_equal(lss_status_name(-1), "LSS_UNKNOWN");
    assert_null(lss_customer_state_name(99));
}

/* Settings that change over time: the latest one before the moment counts,
 * whatever order they were recorded in. */
static void test_settings_as_of_a_moment(void **state)
{
    (void)state;
    lss_db *db = company(open_db(LSS_PIPELINE_LENIENT));
    /* stage probabilities: defaults, then 30 from t=100, 40 from t=300, recorded in a later event at t=200 (50) */
    int def = lss_stage_probability_at(db, LSS_STAGE_QUALIFIED, 50);
    assert_true(def >= 0 && def <= 100);
    assert_int_equal(lss_stage_probability_set(db, 100, LSS_STAGE_QUALIFIED, 30), LSS_OK);
    assert_int_equal(lss_stage_probability_set(db, 300, LSS_STAGE_QUALIFIED, 40), LSS_OK);
    assert_int_equal(lss_stage_probability_set(db, 300, LSS_STAGE_PRESENTED, 70), LSS_OK);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_QUALIFIED, 100), def); /* before: at < t */
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_QUALIFIED, 101), 30);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_QUALIFIED, 301), 40);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_PRESENTED, 301), 70);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_WON, 301), -1);
    assert_int_equal(lss_stage_probability_at(NULL, LSS_STAGE_QUALIFIED, 301), -1);
    /* SLA targets per priority: the latest sla.set with at <= t */
    int64_t fr, res;
    assert_int_equal(lss_sla_set(db, 400, LSS_PRIORITY_LOW, 100, 1000), LSS_OK);
    assert_int_equal(lss_sla_set(db, 500, LSS_PRIORITY_LOW, 200, 2000), LSS_OK);
    assert_int_equal(lss_sla_set(db, 500, LSS_PRIORITY_HIGH, 300, 3000), LSS_OK);
    assert_int_equal(lss_sla_targets_at(&fr, &res, db, LSS_PRIORITY_LOW, 450), LSS_OK);
    assert_int_equal(fr, 100);
    assert_int_equal(res, 1000);
    assert_int_equal(lss_sla_targets_at(&fr, &res, db, LSS_PRIORITY_LOW, 500), LSS_OK);
    assert_int_equal(fr, 200);
    assert_int_equal(res, 2000);
    EXPECT(lss_sla_targets_at(NULL, &res, db, LSS_PRIORITY_LOW, 500), LSS_INVALID, "");
    EXPECT(lss_sla_targets_at(&fr, NULL, db, LSS_PRIORITY_LOW, 500), LSS_INVALID, "");
    EXPECT(lss_sla_targets_at(&fr, &res, NULL, LSS_PRIORITY_LOW, 500), LSS_INVALID, "");
    EXPECT(lss_sla_targets_at(&fr, &res, db, (lss_priority)9, 500), LSS_INVALID, "");
    /* the stage a deal entered when */
    const lss_deal *d;
    assert_int_equal(lss_deal_advance(db, 600, "d1", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 610, "d1", LSS_LOSS_TIMING, NULL), LSS_OK);
    assert_int_equal(lss_deal_reopen(db, 620, "d1"), LSS_OK);
    assert_int_equal(lss_deal_find(&d, db, "d1"), LSS_OK);
    lss_time at;
    assert_int_equal(lss_deal_stage_entered(&at, d, LSS_STAGE_PROSPECT), LSS_OK);
    assert_int_equal(at, 30);
    assert_int_equal(lss_deal_stage_entered(&at, d, LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(at, 620); /* last entered: the reopen returned it to presented */
    assert_int_equal(lss_deal_stage_entered(&at, d, LSS_STAGE_LOST), LSS_OK);
    assert_int_equal(at, 610);
    at = 5;
    assert_int_equal(lss_deal_stage_entered(&at, d, LSS_STAGE_WON), LSS_NOT_FOUND);
    assert_int_equal(lss_deal_stage_entered(&at, d, (lss_stage)42), LSS_INVALID);
    assert_int_equal(lss_deal_furthest_stage(d), LSS_STAGE_PRESENTED);
    assert_int_equal(lss_deal_stage(d), LSS_STAGE_PRESENTED);
    lss_db_close(db);
}

/* A customer's timeline orders deals, tickets and activities by time, then
 * kind, then id, whatever order they were recorded in. */
static void test_timeline_orders_ties(void **state)
{
    (void)state;
    lss_db *db = company(open_db(LSS_PIPELINE_LENIENT));
    /* at t=40: the ticket t1 (recorded), now a deal and two activities at the same moment */
    assert_int_equal(lss_deal_open(NULL, db, 40, "d3", "c1", "rep", 10, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_activity_log(NULL, db, 40, "c1", "rep", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 1, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_activity_log(NULL, db, 40, "c1", "rep", LSS_ACTIVITY_DEMO, LSS_CHANNEL_PHONE, 1, "d3", NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 40, "t2", "c1", LSS_TICKET_PRESALES, LSS_CHANNEL_CHAT,
                                     LSS_PRIORITY_LOW, NULL, "d3"),
                     LSS_OK);
    lss_timeline *tl;
    assert_int_equal(lss_customer_timeline(&tl, db, "c1"), LSS_OK);
    uint32_t n = lss_timeline_count(tl);
    assert_int_equal(n, 3 + 2 + 2); /* deals d1 d2 d3, tickets t1 t2, two activities */
    lss_timeline_item prev, it;
    assert_int_equal(lss_timeline_get(&prev, tl, 0), LSS_OK);
    for (uint32_t i = 1; i < n; i++) {
        assert_int_equal(lss_timeline_get(&it, tl, i), LSS_OK);
        assert_true(it.at > prev.at || (it.at == prev.at && it.kind >= prev.kind));
        prev = it;
    }
    lss_timeline_free(tl);
    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, db, "c1"), LSS_OK);
    int deals = 0, tickets = 0, acts = 0;
    for (const lss_deal *d = lss_customer_first_deal(c); d; d = lss_deal_next_of_customer(d))
        deals++;
    for (const lss_ticket *t = lss_customer_first_ticket(c); t; t = lss_ticket_next_of_customer(t))
        tickets++;
    for (const lss_activity *a = lss_customer_first_activity(c); a; a = lss_activity_next_of_customer(a))
        acts++;
    assert_int_equal(deals, 3);
    assert_int_equal(tickets, 2);
    assert_int_equal(acts, 2);
    lss_db_close(db);
}

/* Open options: the currency must be three letters A-Z with its NUL; an
 * allocator must have its three functions. */
static void test_open_options_and_allocator(void **state)
{
    (void)state;
    static const char *const bad[] = { "eur", "EU", "E1R", "EUr", "1UR" };
    lss_db *db = NULL;
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        memcpy(o.currency, bad[k], strlen(bad[k]) + 1);
        EXPECT(lss_db_open(&db, NULL, &o), LSS_INVALID, "is not an ISO 4217 code");
        assert_null(db);
    }
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    memcpy(o.currency, "EURO", 4); /* no room for the NUL */
    EXPECT(lss_db_open(&db, NULL, &o), LSS_INVALID, "is not an ISO 4217 code");
    o = (lss_open_options)LSS_OPEN_OPTIONS_INIT;
    o.currency[0] = '\0';
    assert_int_equal(lss_db_open(&db, NULL, &o), LSS_OK);
    assert_string_equal(lss_db_currency(db), "EUR");
    lss_db_close(db);
    o.pipeline = (lss_pipeline_mode)5;
    EXPECT(lss_db_open(&db, NULL, &o), LSS_INVALID, "pipeline mode 5");
    o = (lss_open_options)LSS_OPEN_OPTIONS_INIT;
    o.version = LSS_OPEN_OPTIONS_VERSION + 1;
    EXPECT(lss_db_open(&db, NULL, &o), LSS_VERSION, "options version 5");
    EXPECT(lss_open_options_init(&o, LSS_OPEN_OPTIONS_VERSION + 1), LSS_VERSION, "version 5");
    assert_int_equal(lss_open_options_init(&o, 3), LSS_OK); /* version 3: no follow */
    assert_int_equal(o.version, 3);
    EXPECT(lss_open_options_init(&o, 0), LSS_VERSION, "version 0");
    assert_int_equal(lss_open_options_init(&o, 2), LSS_OK); /* an older struct: its own fields only */
    assert_int_equal(o.version, 2);
    lss_allocator a = { LSS_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL };
    EXPECT(lss_set_allocator(&a), LSS_INVALID, "must all be set");
    a.version = 9;
    EXPECT(lss_set_allocator(&a), LSS_VERSION, "version 9");
}

/* Quotas: one row per period with its latest target; as of an earlier
 * moment the earlier target; lookups refuse NULL and rows that do not exist. */
static void test_quota_periods_and_replacements(void **state)
{
    (void)state;
    lss_db *db = company(open_db(LSS_PIPELINE_LENIENT));
    assert_int_equal(lss_quota_set(db, 100, "rep", 0, 1000, 500), LSS_OK);
    assert_int_equal(lss_quota_set(db, 100, "rep", 1000, 2000, 600), LSS_OK);
    assert_int_equal(lss_quota_set(db, 200, "rep", 0, 1000, 800), LSS_OK); /* replaces the first from t=200 */
    const lss_member *m;
    assert_int_equal(lss_member_find(&m, db, "rep"), LSS_OK);
    assert_int_equal(lss_member_quota_count(m), 2);
    lss_quota q;
    assert_int_equal(lss_member_quota_get(&q, m, 0), LSS_OK);
    assert_int_equal(q.from, 0);
    assert_int_equal(q.target, 800);
    assert_int_equal(lss_member_quota_get(&q, m, 1), LSS_OK);
    assert_int_equal(q.target, 600);
    EXPECT(lss_member_quota_get(&q, m, 2), LSS_NOT_FOUND, "quota 2 does not exist");
    EXPECT(lss_member_quota_get(NULL, m, 0), LSS_INVALID, "NULL");
    EXPECT(lss_member_quota_get(&q, NULL, 0), LSS_INVALID, "NULL");
    lss_quota_row row;
    assert_int_equal(lss_quota_attainment(&row, db, "rep", 0, 1000, 150), LSS_OK);
    assert_int_equal(row.target, 500); /* as of t=150 */
    assert_int_equal(lss_quota_attainment(&row, db, "rep", 0, 1000, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(row.target, 800);
    EXPECT(lss_quota_attainment(&row, db, "rep", 0, 999, LSS_TIME_NONE), LSS_NOT_FOUND, "has no quota");
    EXPECT(lss_quota_attainment(&row, db, "rep", 0, 1000, 50), LSS_NOT_FOUND, "as of the given time");
    assert_int_equal(lss_team_quota_attainment(&row, db, "North", 0, 1000, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(row.target, 800);
    EXPECT(lss_team_quota_attainment(&row, db, "Nowhere", 0, 1000, LSS_TIME_NONE), LSS_NOT_FOUND, "");
    lss_db_close(db);
}

/* Every accessor on a NULL handle: its "no value" (db.h, "No handle"). */
static void test_accessors_on_no_handle(void **state)
{
    (void)state;
    const lss_member *m = NULL;
    const lss_customer *c = NULL;
    const lss_deal *d = NULL;
    const lss_activity *a = NULL;
    const lss_ticket *t = NULL;
    assert_null(lss_member_key(m));
    assert_null(lss_member_name(m));
    assert_null(lss_member_team(m));
    assert_int_equal((int)lss_member_role(m), -1);
    assert_int_equal(lss_member_added_at(m), LSS_TIME_NONE);
    assert_int_equal(lss_member_id(m), UINT32_MAX);
    assert_int_equal(lss_member_quota_count(m), 0);
    assert_null(lss_customer_key(c));
    assert_null(lss_customer_name(c));
    assert_null(lss_customer_email(c));
    assert_null(lss_customer_company(c));
    assert_null(lss_customer_segment(c));
    assert_null(lss_customer_segment_at(c, 5));
    assert_null(lss_customer_referred_by(c));
    assert_null(lss_customer_first_deal(c));
    assert_null(lss_customer_first_activity(c));
    assert_null(lss_customer_first_ticket(c));
    assert_int_equal((int)lss_customer_source(c), -1);
    assert_int_equal((int)lss_customer_state_at(c, 5), -1);
    assert_int_equal(lss_customer_added_at(c), LSS_TIME_NONE);
    assert_int_equal(lss_customer_churned_at(c), LSS_TIME_NONE);
    assert_int_equal(lss_customer_change_count(c), 0);
    assert_int_equal(lss_customer_id(c), UINT32_MAX);
    assert_int_equal(lss_customer_is_erased(c), 0);
    assert_null(lss_deal_key(d));
    assert_null(lss_deal_title(d));
    assert_null(lss_deal_customer(d));
    assert_null(lss_deal_owner(d));
    assert_null(lss_deal_next_of_customer(d));
    assert_int_equal((int)lss_deal_stage(d), -1);
    assert_int_equal((int)lss_deal_lost_from(d), -1);
    assert_int_equal((int)lss_deal_furthest_stage(d), -1);
    assert_int_equal(lss_deal_amount(d), 0);
    assert_int_equal(lss_deal_opened_at(d), LSS_TIME_NONE);
    assert_int_equal(lss_deal_expected_close(d), LSS_TIME_NONE);
    assert_int_equal(lss_deal_last_at(d), LSS_TIME_NONE);
    assert_int_equal(lss_deal_is_open(d), 0);
    assert_int_equal(lss_deal_history_count(d), 0);
    assert_int_equal(lss_deal_id(d), UINT32_MAX);
    assert_null(lss_activity_customer(a));
    assert_null(lss_activity_member(a));
    assert_null(lss_activity_deal(a));
    assert_null(lss_activity_note(a));
    assert_null(lss_activity_next_of_customer(a));
    assert_int_equal(lss_activity_at(a), LSS_TIME_NONE);
    assert_int_equal((int)lss_activity_kind_of(a), -1);
    assert_int_equal((int)lss_activity_channel(a), -1);
    assert_int_equal((int)lss_activity_duration(a), -1);
    assert_int_equal(lss_activity_id(a), UINT32_MAX);
    assert_null(lss_ticket_key(t));
    assert_null(lss_ticket_subject(t));
    assert_null(lss_ticket_customer(t));
    assert_null(lss_ticket_deal(t));
    assert_null(lss_ticket_assignee(t));
    assert_null(lss_ticket_next_of_customer(t));
    assert_int_equal((int)lss_ticket_state_of(t), -1);
    assert_int_equal((int)lss_ticket_kind_of(t), -1);
    assert_int_equal((int)lss_ticket_channel(t), -1);
    assert_int_equal((int)lss_ticket_priority(t), -1);
    assert_int_equal(lss_ticket_opened_at(t), LSS_TIME_NONE);
    assert_int_equal(lss_ticket_last_at(t), LSS_TIME_NONE);
    assert_int_equal(lss_ticket_first_response_at(t), LSS_TIME_NONE);
    assert_int_equal(lss_ticket_first_resolution_at(t), LSS_TIME_NONE);
    assert_int_equal(lss_ticket_rated_at(t), LSS_TIME_NONE);
    assert_int_equal(lss_ticket_reopen_count(t), 0);
    assert_int_equal(lss_ticket_contact_count(t), 0);
    assert_int_equal(lss_ticket_score(t), 0);
    assert_int_equal(lss_ticket_history_count(t), 0);
    assert_int_equal(lss_ticket_id(t), UINT32_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_database_and_outputs),
        cmocka_unit_test(test_every_metric_refuses_bad_queries),
        cmocka_unit_test(test_every_change_refuses_bad_arguments),
        cmocka_unit_test(test_read_only_and_poisoned_handles_refuse_every_change),
        cmocka_unit_test(test_generate_refuses_bad_options),
        cmocka_unit_test(test_many_segments_and_teams),
        cmocka_unit_test(test_every_enum_parses_and_refuses),
        cmocka_unit_test(test_settings_as_of_a_moment),
        cmocka_unit_test(test_timeline_orders_ties),
        cmocka_unit_test(test_open_options_and_allocator),
        cmocka_unit_test(test_quota_periods_and_replacements),
        cmocka_unit_test(test_accessors_on_no_handle),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
