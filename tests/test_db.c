/* Opening databases, options, error messages, the allocator hook, threads. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void test_open_defaults_and_close_null(void **state)
{
    (void)state;
    lss_db *db = NULL;
    assert_int_equal(lss_db_open(&db, NULL, NULL), LSS_OK);
    assert_string_equal(lss_db_currency(db), "EUR");
    assert_int_equal(lss_db_pipeline(db), LSS_PIPELINE_STRICT);
    assert_int_equal(lss_db_event_count(db), 0);
    assert_int_equal(lss_db_last_time(db), LSS_TIME_NONE);
    assert_string_equal(lss_db_errmsg(db), "");
    lss_db_close(db);
    lss_db_close(NULL);
}

static void test_open_options_are_validated(void **state)
{
    (void)state;
    lss_db *db = (lss_db *)1;
    lss_open_options o;
    assert_int_equal(lss_open_options_init(&o, LSS_OPEN_OPTIONS_VERSION), LSS_OK);
    assert_string_equal(o.currency, "EUR");
    assert_int_equal(lss_open_options_init(&o, 99), LSS_VERSION);

    memcpy(o.currency, "usd", 4);
    assert_status_msg(NULL, lss_db_open(&db, NULL, &o), LSS_INVALID, "currency \"usd\"", "ISO 4217");
    assert_null(db);
    memcpy(o.currency, "USD", 4);
    o.pipeline = (lss_pipeline_mode)7;
    assert_status_msg(NULL, lss_db_open(&db, NULL, &o), LSS_INVALID, "pipeline mode 7");
    o.pipeline = LSS_PIPELINE_LENIENT;
    o.version = LSS_OPEN_OPTIONS_VERSION + 1;
    assert_status_msg(NULL, lss_db_open(&db, NULL, &o), LSS_VERSION, "version 5");
    o.version = LSS_OPEN_OPTIONS_VERSION;
    o.sync = (lss_sync_mode)3;
    assert_status_msg(NULL, lss_db_open(&db, "test-db-options.lss", &o), LSS_INVALID, "sync mode 3");
    assert_null(db);
    o.sync = LSS_SYNC_FULL;
    o.flags = LSS_OPEN_TO_DAMAGE;
    assert_status_msg(NULL, lss_db_open(&db, "test-db-options.lss", &o), LSS_INVALID,
                      "LSS_OPEN_TO_DAMAGE needs LSS_OPEN_READ_ONLY");
    o.flags = 0;
    assert_status_msg(NULL, lss_db_open(&db, "no-such-dir/x.lss", &o), LSS_IO, "no-such-dir/x.lss",
                      "No such file or directory");
    assert_null(db);
    assert_int_equal(lss_db_open(&db, NULL, &o), LSS_OK);
    assert_string_equal(lss_db_currency(db), "USD");
    assert_int_equal(lss_db_pipeline(db), LSS_PIPELINE_LENIENT);
    lss_db_close(db);
    assert_int_equal(lss_db_open(NULL, NULL, NULL), LSS_INVALID);
}

static void test_errmsg_is_per_database_and_per_thread(void **state)
{
    (void)state;
    lss_db *a = open_db(LSS_PIPELINE_STRICT), *b = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_deal_win(a, 0, "da", -1), LSS_NOT_FOUND);
    assert_int_equal(lss_deal_win(b, 0, "db", -1), LSS_NOT_FOUND);
    assert_string_equal(lss_db_errmsg(a), "deal.win: deal \"da\" does not exist");
    assert_string_equal(lss_db_errmsg(b), "deal.win: deal \"db\" does not exist");
    assert_string_equal(lss_errmsg(), "deal.win: deal \"db\" does not exist");
    lss_db_close(a);
    lss_db_close(b);
}

static void test_event_count_and_last_time(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 500, "m", "M", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 300, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 300, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_EXISTS);
    assert_int_equal(lss_db_event_count(db), 2);
    assert_int_equal(lss_db_last_time(db), 500);
    lss_db_close(db);
}

static void test_allocator_cannot_change_while_open(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_status_msg(NULL, lss_set_allocator(NULL), LSS_MISUSE, "while 1 database(s) are open");
    lss_db_close(db);
    lss_allocator bad = { 99, NULL, NULL, NULL, NULL };
    assert_int_equal(lss_set_allocator(&bad), LSS_VERSION);
    bad.version = LSS_ALLOCATOR_VERSION;
    assert_int_equal(lss_set_allocator(&bad), LSS_INVALID);
    fail_alloc_install();
    db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m", "M", LSS_ROLE_SALES, "T"), LSS_OK);
    assert_true(fail_alloc_live() > 0);
    lss_db_close(db);
    assert_int_equal(fail_alloc_live(), 0);
    fail_alloc_uninstall();
}

/* Threads share one database; the internal lock serialises their calls. */
#define THREADS 4
#define PER_THREAD 2000

static lss_db *g_db;

static void *worker(void *arg)
{
    int n = (int)(intptr_t)arg;
    char key[32], dkey[32];
    for (int i = 0; i < PER_THREAD; i++) {
        snprintf(key, sizeof key, "c-%d-%d", n, i);
        snprintf(dkey, sizeof dkey, "d-%d-%d", n, i);
        if (lss_customer_add(NULL, g_db, i, key, key, NULL, NULL, "smb", LSS_SOURCE_WEB, NULL) != LSS_OK ||
            lss_deal_open(NULL, g_db, i, dkey, key, "m", 100, NULL, LSS_TIME_NONE) != LSS_OK ||
            lss_deal_advance(g_db, i + 1, dkey, LSS_STAGE_QUALIFIED) != LSS_OK)
            return (void *)1;
        lss_db_lock(g_db);
        const lss_deal *d = NULL;
        int ok = lss_deal_find(&d, g_db, dkey) == LSS_OK && lss_deal_stage(d) == LSS_STAGE_QUALIFIED;
        lss_db_unlock(g_db);
        if (!ok)
            return (void *)1;
    }
    return NULL;
}

static void test_threads_share_a_database(void **state)
{
    (void)state;
    g_db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, g_db, 0, "m", "M", LSS_ROLE_SALES, NULL), LSS_OK);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++) {
        void *r;
        assert_int_equal(pthread_join(th[i], &r), 0);
        assert_null(r);
    }
    assert_int_equal(lss_customer_count(g_db), THREADS * PER_THREAD);
    assert_int_equal(lss_deal_count(g_db), THREADS * PER_THREAD);
    assert_int_equal(lss_db_event_count(g_db), 1 + 3 * THREADS * PER_THREAD);
    /* every id maps back to its key */
    for (uint32_t i = 0; i < lss_customer_count(g_db); i++) {
        const lss_customer *c, *c2;
        assert_int_equal(lss_customer_by_id(&c, g_db, i), LSS_OK);
        assert_int_equal(lss_customer_find(&c2, g_db, lss_customer_key(c)), LSS_OK);
        assert_ptr_equal(c, c2);
        assert_int_equal(lss_customer_id(c), i);
    }
    lss_db_close(g_db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_defaults_and_close_null),
        cmocka_unit_test(test_open_options_are_validated),
        cmocka_unit_test(test_errmsg_is_per_database_and_per_thread),
        cmocka_unit_test(test_event_count_and_last_time),
        cmocka_unit_test(test_allocator_cannot_change_while_open),
        cmocka_unit_test(test_threads_share_a_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
