/* Follow-up tasks: every task event from every state (table written out
 * here), the checks of task.add, the history and the task as of any
 * moment, erasure of notes, rollback, export -> import, the journal and a
 * checkpoint. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPEN = LSS_TASK_OPEN, DONE = LSS_TASK_DONE, CANC = LSS_TASK_CANCELLED, X = -1 };
enum { E_RESCHEDULE, E_ASSIGN, E_DONE, E_CANCEL, E_COUNT };
static const char *const names[E_COUNT] = { "reschedule", "assign", "done", "cancel" };
static const int table[3][E_COUNT] = {
    /*           reschedule assign done  cancel */
    /* OPEN */ { OPEN, OPEN, DONE, CANC },
    /* DONE */ { X, X, X, X },
    /* CANC */ { X, X, X, X },
};

static lss_db *base(void)
{
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-1", "One", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-2", "Two", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c2", "C2", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 1, "d", "c", "m-1", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 1, "d2", "c2", "m-1", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 1, "t", "c", LSS_TICKET_QUESTION, LSS_CHANNEL_EMAIL,
                                     LSS_PRIORITY_LOW, NULL, NULL), LSS_OK);
    return db;
}

static lss_db *task_in(int state)
{
    lss_db *db = base();
    assert_int_equal(lss_task_add(NULL, db, 10, "k", "c", "m-1", LSS_ACTIVITY_CALL, 1000, "d", "t", "call back"),
                     LSS_OK);
    if (state == DONE)
        assert_int_equal(lss_task_done(db, 20, "k", NULL), LSS_OK);
    if (state == CANC)
        assert_int_equal(lss_task_cancel(db, 20, "k"), LSS_OK);
    return db;
}

static lss_status apply(lss_db *db, int e, lss_time at)
{
    switch (e) {
    case E_RESCHEDULE: return lss_task_reschedule(db, at, "k", 2000);
    case E_ASSIGN: return lss_task_assign(db, at, "k", "m-2");
    case E_DONE: return lss_task_done(db, at, "k", "reached them");
    case E_CANCEL: return lss_task_cancel(db, at, "k");
    }
    return LSS_INVALID;
}

static void test_task_events_from_every_state(void **state)
{
    (void)state;
    static const lss_task_change_kind kinds[E_COUNT] = { LSS_TASK_RESCHEDULED, LSS_TASK_ASSIGNED, LSS_TASK_DONE_EV,
                                                         LSS_TASK_CANCELLED_EV };
    for (int s = OPEN; s <= CANC; s++) {
        for (int e = 0; e < E_COUNT; e++) {
            lss_db *db = task_in(s);
            const lss_task *k;
            assert_int_equal(lss_task_find(&k, db, "k"), LSS_OK);
            uint32_t hist = lss_task_history_count(k);
            uint64_t before = dump_hash(db);
            lss_status st = apply(db, e, 100);
            if (table[s][e] == X) {
                if (st != LSS_TRANSITION)
                    fail_msg("%s in %s: %s", names[e], lss_task_state_name(s), lss_status_name(st));
                assert_status_msg(db, st, LSS_TRANSITION, "task \"k\": cannot ", lss_task_state_name(s));
                assert_int_equal(dump_hash(db), before);
            } else {
                if (st != LSS_OK)
                    fail_msg("%s in %s: %s (%s)", names[e], lss_task_state_name(s), lss_status_name(st),
                             lss_db_errmsg(db));
                assert_int_equal(lss_task_state_of(k), table[s][e]);
                assert_int_equal(lss_task_history_count(k), hist + 1);
                lss_task_change ch;
                assert_int_equal(lss_task_history_get(&ch, k, hist), LSS_OK);
                assert_int_equal(ch.kind, kinds[e]);
                assert_int_equal(ch.at, 100);
                assert_int_equal(ch.due, e == E_RESCHEDULE ? 2000 : 1000);
                assert_string_equal(lss_member_key(ch.member), e == E_ASSIGN ? "m-2" : "m-1");
                assert_int_equal(lss_task_due(k), e == E_RESCHEDULE ? 2000 : 1000);
                assert_int_equal(lss_task_done_at(k), e == E_DONE ? 100 : LSS_TIME_NONE);
                if (e == E_DONE)
                    assert_string_equal(ch.note, "reached them");
                /* as of 100 the task is as before the event */
                lss_task_state ts;
                lss_time due;
                const lss_member *m;
                assert_int_equal(lss_task_at(&ts, &due, &m, k, 100), LSS_OK);
                assert_int_equal(ts, OPEN);
                assert_int_equal(due, 1000);
                assert_string_equal(lss_member_key(m), "m-1");
                assert_int_equal(lss_task_at(&ts, &due, &m, k, 101), LSS_OK);
                assert_int_equal(ts, table[s][e]);
            }
            lss_db_close(db);
        }
    }
}

static void test_task_add_checks(void **state)
{
    (void)state;
    lss_db *db = base();
    uint64_t h = dump_hash(db);
    assert_status_msg(db, lss_task_add(NULL, db, 10, "k", "nobody", "m-1", LSS_ACTIVITY_CALL, 100, NULL, NULL, NULL),
                      LSS_NOT_FOUND, "task.add: task \"k\": customer \"nobody\" does not exist");
    assert_status_msg(db, lss_task_add(NULL, db, 10, "k", "c", "nobody", LSS_ACTIVITY_CALL, 100, NULL, NULL, NULL),
                      LSS_NOT_FOUND, "task.add: task \"k\": member \"nobody\" does not exist");
    assert_status_msg(db, lss_task_add(NULL, db, 10, "k", "c", "m-1", (lss_activity_kind)99, 100, NULL, NULL, NULL),
                      LSS_INVALID, "task.add: task \"k\": field \"kind\": 99 is not an activity kind");
    assert_status_msg(db, lss_task_add(NULL, db, 10, "k", "c", "m-1", LSS_ACTIVITY_CALL, -5, NULL, NULL, NULL),
                      LSS_INVALID, "task.add: field \"due\"");
    assert_status_msg(db, lss_task_add(NULL, db, 10, "k", "c", "m-1", LSS_ACTIVITY_CALL, 100, "d2", NULL, NULL),
                      LSS_INVALID, "task.add: task \"k\": deal \"d2\" belongs to customer \"c2\", not \"c\"");
    assert_status_msg(db, lss_task_add(NULL, db, 10, "k", "c2", "m-1", LSS_ACTIVITY_CALL, 100, NULL, "t", NULL),
                      LSS_INVALID, "task.add: task \"k\": ticket \"t\" belongs to customer \"c\", not \"c2\"");
    assert_status_msg(db, lss_task_add(NULL, db, 10, "k", "c", "m-1", LSS_ACTIVITY_CALL, 100, "nope", NULL, NULL),
                      LSS_NOT_FOUND, "task.add: task \"k\": deal \"nope\" does not exist");
    assert_int_equal(dump_hash(db), h);
    const lss_task *k;
    assert_int_equal(lss_task_add(&k, db, 10, "k", "c", "m-2", LSS_ACTIVITY_DEMO, 100, NULL, NULL, NULL), LSS_OK);
    assert_string_equal(lss_task_key(k), "k");
    assert_int_equal(lss_task_kind(k), LSS_ACTIVITY_DEMO);
    assert_null(lss_task_deal(k));
    assert_status_msg(db, lss_task_add(NULL, db, 11, "k", "c", "m-1", LSS_ACTIVITY_CALL, 100, NULL, NULL, NULL),
                      LSS_EXISTS, "task.add: task \"k\" already exists");
    assert_status_msg(db, lss_task_done(db, 9, "k", NULL), LSS_OUT_OF_ORDER, "earlier than its last event");
    assert_status_msg(db, lss_task_assign(db, 12, "k", "nobody"), LSS_NOT_FOUND,
                      "task.assign: task \"k\": member \"nobody\" does not exist");
    assert_status_msg(db, lss_task_reschedule(db, 12, "none", 5), LSS_NOT_FOUND,
                      "task.reschedule: task \"none\" does not exist");
    assert_int_equal(lss_task_count(db), 1);
    assert_int_equal((int)lss_task_state_of(NULL), -1);
    assert_null(lss_task_member(NULL));
    lss_db_close(db);
}

static void test_task_round_trip_erasure_rollback(void **state)
{
    (void)state;
    const char *path = tmp_path("tasks.lss");
    remove(path);
    lss_db *db = open_journal(path, LSS_SYNC_OFF);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-1", "One", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-2", "Two", LSS_ROLE_BOTH, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 1, "d", "c", "m-1", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_task_add(NULL, db, 10, "k1", "c", "m-1", LSS_ACTIVITY_FOLLOW_UP, 1000, "d", NULL, "private"),
                     LSS_OK);
    assert_int_equal(lss_task_reschedule(db, 20, "k1", 1500), LSS_OK);
    assert_int_equal(lss_task_assign(db, 30, "k1", "m-2"), LSS_OK);
    assert_int_equal(lss_task_reschedule(db, 40, "k1", 1800), LSS_OK);
    assert_int_equal(lss_task_done(db, 50, "k1", "signed, private"), LSS_OK);
    assert_int_equal(lss_task_add(NULL, db, 60, "k2", "c", "m-2", LSS_ACTIVITY_EMAIL, 900, NULL, NULL, NULL), LSS_OK);
    assert_int_equal(lss_task_cancel(db, 70, "k2"), LSS_OK);
    char *a = export_text(db);
    assert_non_null(strstr(a, "{\"type\":\"task.add\",\"at\":\"1970-01-01T00:00:10Z\",\"key\":\"k1\",\"customer\":\"c\","
                              "\"member\":\"m-1\",\"kind\":\"follow_up\",\"due\":\"1970-01-01T00:16:40Z\",\"deal\":\"d\","
                              "\"note\":\"private\"}\n"));
    assert_non_null(strstr(a, "{\"type\":\"task.reschedule\",\"at\":\"1970-01-01T00:00:40Z\",\"task\":\"k1\","
                              "\"due\":\"1970-01-01T00:30:00Z\"}\n"));
    assert_non_null(strstr(a, "{\"type\":\"task.assign\",\"at\":\"1970-01-01T00:00:30Z\",\"task\":\"k1\",\"member\":\"m-2\"}\n"));
    assert_non_null(strstr(a, "{\"type\":\"task.done\",\"at\":\"1970-01-01T00:00:50Z\",\"task\":\"k1\","
                              "\"note\":\"signed, private\"}\n"));
    assert_non_null(strstr(a, "{\"type\":\"task.cancel\",\"at\":\"1970-01-01T00:01:10Z\",\"task\":\"k2\"}\n"));
    uint64_t h = dump_hash(db);
    free(assert_round_trip(db));
    free(a);
    /* as of 35: rescheduled to 1500, with m-2 */
    const lss_task *k1;
    assert_int_equal(lss_task_find(&k1, db, "k1"), LSS_OK);
    lss_time due;
    const lss_member *m;
    lss_task_state st;
    assert_int_equal(lss_task_at(&st, &due, &m, k1, 35), LSS_OK);
    assert_int_equal(due, 1500);
    assert_string_equal(lss_member_key(m), "m-2");
    assert_int_equal(st, LSS_TASK_OPEN);
    assert_int_equal(lss_task_at(&st, &due, &m, k1, 25), LSS_OK);
    assert_string_equal(lss_member_key(m), "m-1");
    assert_int_equal(lss_task_at(NULL, NULL, NULL, k1, 10), LSS_NOT_FOUND);
    /* a rolled-back task is gone; a rolled-back change to a task is undone */
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_task_add(NULL, db, 80, "k3", "c", "m-1", LSS_ACTIVITY_CALL, 999, NULL, NULL, "x"), LSS_OK);
    assert_int_equal(lss_task_reschedule(db, 81, "k3", 1999), LSS_OK);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_int_equal(dump_hash(db), h);
    assert_int_equal(lss_task_add(NULL, db, 80, "k3", "c", "m-1", LSS_ACTIVITY_CALL, 999, NULL, NULL, "x"), LSS_OK);
    h = dump_hash(db);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_task_assign(db, 90, "k3", "m-2"), LSS_OK);
    assert_int_equal(lss_task_done(db, 91, "k3", "y"), LSS_OK);
    assert_int_equal(lss_customer_erase(db, 92, "c"), LSS_OK);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_int_equal(dump_hash(db), h);
    /* the journal, and a checkpoint */
    assert_reopens(&db, path, h);
    /* erasure removes every task note of the customer */
    assert_int_equal(lss_customer_erase(db, 100, "c"), LSS_OK);
    assert_int_equal(lss_task_find(&k1, db, "k1"), LSS_OK);
    assert_null(lss_task_note(k1));
    lss_task_change ch;
    assert_int_equal(lss_task_history_get(&ch, k1, 4), LSS_OK);
    assert_int_equal(ch.kind, LSS_TASK_DONE_EV);
    assert_null(ch.note);
    a = export_text(db);
    assert_null(strstr(a, "private"));
    free(a);
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_events_from_every_state),
        cmocka_unit_test(test_task_add_checks),
        cmocka_unit_test(test_task_round_trip_erasure_rollback),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
