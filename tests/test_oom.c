/* Allocation failure: every mutating call, with the 1st, 2nd, 3rd, ...
 * allocation failing until the call succeeds. Each failure must return
 * LSS_NOMEM, leave the database exactly as it was (same dump), and leak
 * nothing (live blocks back to zero after close). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A database with something of everything, so that calls find existing
 * hash tables, interned strings and half-full vectors as well as empty ones. */
/* Where the journaled sweeps keep their file (empty: in memory). */
static char journal[256];

static lss_db *setup(void)
{
    lss_db *db = NULL;
    if (journal[0]) {
        unlink(journal);
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        o.sync = LSS_SYNC_OFF;
        assert_int_equal(lss_db_open(&db, journal, &o), LSS_OK);
    } else {
        db = open_db(LSS_PIPELINE_STRICT);
    }
    assert_int_equal(lss_member_add(NULL, db, 0, "m", "M", LSS_ROLE_SALES, "DACH"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "m2", "M2", LSS_ROLE_BOTH, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 10, "d", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 11, "d", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 12, "d", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 13, "d", LSS_STAGE_NEGOTIATED), LSS_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(lss_deal_set_amount(db, 13, "d", i % 2 ? 100 : 110), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 10, "dl", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(lss_deal_set_amount(db, 11 + i / 2, "dl", 101 + i), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 14, "dl", LSS_LOSS_PRICE, NULL), LSS_OK);
    /* d and dp have 8 history entries (a new history has room for 2, then
     * 4, then 8), dl 6 (a lost deal's history gives back its spare room):
     * the next event of each grows the vector */
    assert_int_equal(lss_deal_open(NULL, db, 10, "dp", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    for (int i = 0; i < 7; i++)
        assert_int_equal(lss_deal_set_amount(db, 11 + i / 2, "dp", 200 + i), LSS_OK);
    /* a pipeline, and a task whose history is full (the next event grows it) */
    assert_int_equal(lss_pipeline_add(db, 0, "hw", "Hardware"), LSS_OK);
    assert_int_equal(lss_task_add(NULL, db, 10, "k", "c", "m", LSS_ACTIVITY_CALL, 100, "d", NULL, "note"), LSS_OK);
    assert_int_equal(lss_task_reschedule(db, 11, "k", 200), LSS_OK);
    /* tickets with 6 history entries each, in open, pending and resolved */
    assert_int_equal(lss_member_add(NULL, db, 0, "a", "A", LSS_ROLE_SERVICE, "Desk"), LSS_OK);
    static const char *const keys[3] = { "to", "tp", "tr" };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(lss_ticket_open(NULL, db, 10, keys[i], "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE,
                                         LSS_PRIORITY_HIGH, "subject", NULL),
                         LSS_OK);
        assert_int_equal(lss_ticket_assign(db, 11, keys[i], "a"), LSS_OK);
        assert_int_equal(lss_ticket_contact(db, 12, keys[i], "a", 60, -1), LSS_OK);
        assert_int_equal(lss_ticket_contact(db, 12, keys[i], "a", 60, -1), LSS_OK);
        assert_int_equal(lss_ticket_contact(db, 12, keys[i], "a", 60, -1), LSS_OK);
    }
    assert_int_equal(lss_ticket_contact(db, 13, "to", "a", 60, -1), LSS_OK);
    assert_int_equal(lss_ticket_wait(db, 13, "tp"), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, 13, "tr", NULL), LSS_OK);
    return db;
}

/* setup() and then enough of every entity that each slab is exactly full,
 * so the next entity of any kind needs a new chunk. */
static lss_db *setup_full(void)
{
    lss_db *db = setup();
    char key[32];
    while (lss_member_count(db) < LSS__SLAB_CHUNK) {
        snprintf(key, sizeof key, "fm-%u", lss_member_count(db));
        assert_int_equal(lss_member_add(NULL, db, 0, key, key, LSS_ROLE_SALES, key), LSS_OK);
    }
    while (lss_customer_count(db) < LSS__SLAB_CHUNK) {
        snprintf(key, sizeof key, "fc-%u", lss_customer_count(db));
        assert_int_equal(lss_customer_add(NULL, db, 0, key, key, NULL, NULL, key, LSS_SOURCE_WEB, NULL), LSS_OK);
    }
    while (lss_deal_count(db) < LSS__SLAB_CHUNK) {
        snprintf(key, sizeof key, "fd-%u", lss_deal_count(db));
        assert_int_equal(lss_deal_open(NULL, db, 0, key, "fc-1", "m", 1, NULL, LSS_TIME_NONE), LSS_OK);
    }
    while (lss_ticket_count(db) < LSS__SLAB_CHUNK) {
        snprintf(key, sizeof key, "ft-%u", lss_ticket_count(db));
        assert_int_equal(lss_ticket_open(NULL, db, 0, key, "fc-1", LSS_TICKET_QUESTION, LSS_CHANNEL_WEB,
                                         LSS_PRIORITY_LOW, NULL, NULL),
                         LSS_OK);
    }
    while (lss_activity_count(db) < LSS__SLAB_CHUNK)
        assert_int_equal(lss_activity_log(NULL, db, 0, "fc-1", "m", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 1, NULL, NULL),
                         LSS_OK);
    return db;
}

typedef lss_status (*op_fn)(lss_db *db);

static lss_status op_member_add(lss_db *db) { return lss_member_add(NULL, db, 20, "m3", "New", LSS_ROLE_SALES, "Nordics"); }
static lss_status op_member_add_known_team(lss_db *db) { return lss_member_add(NULL, db, 20, "m3", "New", LSS_ROLE_SALES, "DACH"); }
static lss_status op_quota_set(lss_db *db) { return lss_quota_set(db, 20, "m", 0, 100, 500); }
static lss_status op_customer_add(lss_db *db)
{
    return lss_customer_add(NULL, db, 20, "c2", "Name", "e@x", "Co", "enterprise", LSS_SOURCE_REFERRAL, "c");
}
static lss_status op_customer_update(lss_db *db) { return lss_customer_update(db, 20, "c", "N2", "e2", "Co2", "mid"); }
static lss_status op_customer_churn(lss_db *db) { return lss_customer_churn(db, 20, "c"); }
static lss_status op_deal_open(lss_db *db)
{
    return lss_deal_open(NULL, db, 20, "d2", "c", "m", 500, "A title", 1000);
}
static lss_status op_deal_advance(lss_db *db) { return lss_deal_advance(db, 20, "dp", LSS_STAGE_QUALIFIED); }
static lss_status op_deal_amount(lss_db *db) { return lss_deal_set_amount(db, 20, "d", 999); }
static lss_status op_deal_assign(lss_db *db) { return lss_deal_assign(db, 20, "d", "m2"); }
static lss_status op_deal_win(lss_db *db) { return lss_deal_win(db, 20, "d", 1234); }
static lss_status op_deal_lose(lss_db *db) { return lss_deal_lose(db, 20, "d", LSS_LOSS_OTHER, "a note"); }
static lss_status op_deal_reopen(lss_db *db) { return lss_deal_reopen(db, 20, "dl"); }
static lss_status op_activity_log(lss_db *db)
{
    return lss_activity_log(NULL, db, 20, "c", "m", LSS_ACTIVITY_DEMO, LSS_CHANNEL_WEB, 60, "d", "note");
}
static lss_status op_stage_probability(lss_db *db) { return lss_stage_probability_set(db, 20, LSS_STAGE_QUALIFIED, 30); }

enum { EMPTY, SMALL, FULL };
static lss_status op_ticket_open(lss_db *db)
{
    return lss_ticket_open(NULL, db, 20, "t-new", "c", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT, LSS_PRIORITY_URGENT,
                           "A subject", "d");
}
static lss_status op_ticket_assign(lss_db *db) { return lss_ticket_assign(db, 20, "to", "a"); }
static lss_status op_ticket_contact(lss_db *db) { return lss_ticket_contact(db, 20, "to", "a", 5, LSS_CHANNEL_EMAIL); }
static lss_status op_ticket_wait(lss_db *db) { return lss_ticket_wait(db, 20, "to"); }
static lss_status op_ticket_resume(lss_db *db) { return lss_ticket_resume(db, 20, "tp"); }
static lss_status op_ticket_resolve(lss_db *db) { return lss_ticket_resolve(db, 20, "to", "fixed"); }
static lss_status op_ticket_reopen(lss_db *db) { return lss_ticket_reopen(db, 20, "tr"); }
static lss_status op_ticket_close(lss_db *db) { return lss_ticket_close(db, 20, "tr"); }
static lss_status op_ticket_rate(lss_db *db) { return lss_ticket_rate(db, 20, "tr", 5, "thanks"); }
static lss_status op_sla_set(lss_db *db) { return lss_sla_set(db, 20, LSS_PRIORITY_LOW, 60, 600); }
static lss_status op_customer_erase(lss_db *db) { return lss_customer_erase(db, 20, "c"); }
static lss_status op_pipeline_add(lss_db *db) { return lss_pipeline_add(db, 20, "sw", "Software"); }
static lss_status op_deal_open_in(lss_db *db)
{
    return lss_deal_open_in(NULL, db, 20, "d-hw", "c", "m", 500, "A title", 1000, "hw");
}
static lss_status op_deal_close_date(lss_db *db) { return lss_deal_set_close_date(db, 20, "dp", 5000); }
static lss_status op_deal_forecast(lss_db *db) { return lss_deal_set_forecast(db, 20, "dp", LSS_FORECAST_COMMIT); }
static lss_status op_deal_probability(lss_db *db) { return lss_deal_set_probability(db, 20, "dp", 70); }
static lss_status op_customer_nps(lss_db *db) { return lss_customer_nps(db, 20, "c", 9, "would recommend"); }
static lss_status op_task_add(lss_db *db)
{
    return lss_task_add(NULL, db, 20, "k2", "c", "m2", LSS_ACTIVITY_DEMO, 300, "d", "to", "a note");
}
static lss_status op_task_reschedule(lss_db *db) { return lss_task_reschedule(db, 20, "k", 400); }
static lss_status op_task_assign(lss_db *db) { return lss_task_assign(db, 20, "k", "m2"); }
static lss_status op_task_done(lss_db *db) { return lss_task_done(db, 20, "k", "done"); }
static lss_status op_task_cancel(lss_db *db) { return lss_task_cancel(db, 20, "k"); }
static lss_status op_ticket_priority(lss_db *db) { return lss_ticket_set_priority(db, 20, "to", LSS_PRIORITY_URGENT); }
/* a transaction of three changes, committed (the commit writes the journal) */
static lss_status op_transaction(lss_db *db)
{
    lss_status st = lss_tx_begin(db);
    if (st)
        return st;
    if ((st = lss_customer_add(NULL, db, 20, "c-tx", "C", "e@x", NULL, "new-seg", LSS_SOURCE_WEB, NULL)) ||
        (st = lss_deal_open(NULL, db, 21, "d-tx", "c-tx", "m", 100, "t", LSS_TIME_NONE)) ||
        (st = lss_deal_advance(db, 22, "dp", LSS_STAGE_QUALIFIED))) {
        lss_tx_rollback(db);
        return st;
    }
    return lss_tx_commit(db);
}

static const struct { const char *name; op_fn fn; int setup; } ops[] = {
    { "member.add", op_member_add, FULL },
    { "member.add (known team)", op_member_add_known_team, FULL },
    { "member.add (empty db)", op_member_add, EMPTY },
    { "quota.set", op_quota_set, SMALL },
    { "customer.add", op_customer_add, FULL },
    { "customer.update", op_customer_update, SMALL },
    { "customer.churn", op_customer_churn, SMALL },
    { "deal.open", op_deal_open, SMALL },
    { "deal.advance", op_deal_advance, SMALL },
    { "deal.amount", op_deal_amount, SMALL },
    { "deal.assign", op_deal_assign, SMALL },
    { "deal.win", op_deal_win, SMALL },
    { "deal.lose", op_deal_lose, SMALL },
    { "deal.reopen", op_deal_reopen, SMALL },
    { "activity.log", op_activity_log, SMALL },
    { "stage.probability", op_stage_probability, SMALL },
    { "ticket.open", op_ticket_open, SMALL },
    { "ticket.assign", op_ticket_assign, SMALL },
    { "ticket.contact", op_ticket_contact, SMALL },
    { "ticket.wait", op_ticket_wait, SMALL },
    { "ticket.resume", op_ticket_resume, SMALL },
    { "ticket.resolve", op_ticket_resolve, SMALL },
    { "ticket.reopen", op_ticket_reopen, SMALL },
    { "ticket.close", op_ticket_close, SMALL },
    { "ticket.rate", op_ticket_rate, SMALL },
    { "sla.set", op_sla_set, SMALL },
    { "customer.erase", op_customer_erase, SMALL },
    { "pipeline.add (empty db)", op_pipeline_add, EMPTY },
    { "deal.open (pipeline)", op_deal_open_in, SMALL },
    { "deal.close_date", op_deal_close_date, SMALL },
    { "deal.forecast", op_deal_forecast, SMALL },
    { "deal.probability", op_deal_probability, SMALL },
    { "customer.nps", op_customer_nps, SMALL },
    { "task.add", op_task_add, SMALL },
    { "task.reschedule", op_task_reschedule, SMALL },
    { "task.assign", op_task_assign, SMALL },
    { "task.done", op_task_done, SMALL },
    { "task.cancel", op_task_cancel, SMALL },
    { "ticket.priority", op_ticket_priority, SMALL },
    { "transaction", op_transaction, SMALL },
};

static long journal_size(void)
{
    struct stat sb;
    return journal[0] && stat(journal, &sb) == 0 ? (long)sb.st_size : -1;
}

static void sweep(const char *name, op_fn fn, int kind, int *failures_seen)
{
    lss_db *db = kind == EMPTY ? open_db(LSS_PIPELINE_STRICT) : kind == SMALL ? setup() : setup_full();
    char *before = dump(db);
    long size_before = journal_size();
    int start = *failures_seen;
    for (long n = 1;; n++) {
        fail_alloc_arm(n);
        lss_status st = fn(db);
        fail_alloc_arm(0);
        if (!fail_alloc_fired()) {
            if (n == 1)
                fail_msg("%s: the call allocated nothing: the sweep would prove nothing", name);
            if (st != LSS_OK)
                fail_msg("%s: no allocation failed but got %s: %s", name, lss_status_name(st), lss_db_errmsg(db));
            char *after = dump(db);
            assert_string_not_equal(before, after); /* the call did something */
            free(after);
            break;
        }
        if (st == LSS_OK) {
            /* an allocation that may fail (giving back a final history's spare room): the call succeeded */
            char *after = dump(db);
            assert_string_not_equal(before, after);
            free(after);
            break;
        }
        (*failures_seen)++;
        if (st != LSS_NOMEM)
            fail_msg("%s: allocation %ld failed and the call returned %s", name, n, lss_status_name(st));
        char *after = dump(db);
        if (strcmp(before, after) != 0)
            fail_msg("%s: allocation %ld failed and the database changed:\n--- before\n%s\n--- after\n%s", name, n,
                     before, after);
        free(after);
        if (journal_size() != size_before)
            fail_msg("%s: allocation %ld failed and the journal grew from %ld to %ld bytes", name, n, size_before,
                     journal_size());
        if (n > 1000)
            fail_msg("%s: more than 1000 allocations", name);
    }
    free(before);
    lss_db_close(db);
    print_message("  %-28s %-5s%s %d allocation points\n", name,
                  kind == FULL ? "full" : kind == SMALL ? "small" : "empty", journal[0] ? " journaled" : "",
                  *failures_seen - start);
    if (fail_alloc_live() != 0)
        fail_msg("%s: %ld blocks leaked", name, fail_alloc_live());
}

static void test_every_mutation_survives_allocation_failure(void **state)
{
    (void)state;
    fail_alloc_install();
    int failures = 0;
    size_t block = lss__arena_block, pool_chunk = lss__pool_chunk;
    lss__pool_chunk = 1; /* every history block the free lists cannot give is an allocation */
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        sweep(ops[i].name, ops[i].fn, ops[i].setup, &failures);
    /* again with every slab full and one arena block per string */
    lss__arena_block = 1;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (ops[i].setup != EMPTY)
            sweep(ops[i].name, ops[i].fn, FULL, &failures);
    lss__arena_block = block;
    /* again on a durable database: the undo log and the journal's buffer allocate too */
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ".";
    snprintf(journal, sizeof journal, "%s/lss-oom-test-%ld.lss", base, (long)getpid());
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (ops[i].setup == SMALL)
            sweep(ops[i].name, ops[i].fn, SMALL, &failures);
    unlink(journal);
    journal[0] = '\0';
    lss__pool_chunk = pool_chunk;
    fail_alloc_uninstall();
    print_message("%d allocation failures injected, all clean\n", failures);
    assert_true(failures >= (int)(sizeof ops / sizeof *ops)); /* at least one per call */
}

/* Compaction with the 1st, 2nd, ... allocation failing: LSS_NOMEM, the
 * journal and memory as they were, no PATH.compact left; then it succeeds
 * and the reopened journal holds the same database. */
static void test_compaction_survives_allocation_failure(void **state)
{
    (void)state;
    fail_alloc_install();
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ".";
    snprintf(journal, sizeof journal, "%s/lss-oom-compact-%ld.lss", base, (long)getpid());
    char side[300];
    snprintf(side, sizeof side, "%s.compact", journal);
    lss_db *db = setup();
    char *before = dump(db);
    long size = journal_size();
    int failures = 0;
    for (long n = 1;; n++) {
        fail_alloc_arm(n);
        lss_status st = lss_db_compact(db);
        fail_alloc_arm(0);
        if (!fail_alloc_fired()) {
            assert_int_equal(st, LSS_OK);
            break;
        }
        failures++;
        if (st != LSS_NOMEM)
            fail_msg("allocation %ld: %s", n, lss_status_name(st));
        assert_int_equal(journal_size(), size);
        assert_int_equal(access(side, F_OK), -1);
        char *after = dump(db);
        assert_string_equal(before, after);
        free(after);
        assert_true(n < 1000);
    }
    assert_true(failures >= 2); /* the event list, the record buffer */
    lss_db_close(db);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    assert_int_equal(lss_db_open(&db, journal, &o), LSS_OK);
    char *after = dump(db);
    assert_string_equal(before, after);
    free(after);
    free(before);
    lss_db_close(db);
    unlink(journal);
    journal[0] = '\0';
    fail_alloc_uninstall();
}

/* Inside a transaction on a durable database, a call's event goes to the
 * transaction's buffer before memory changes: when that (or anything the
 * call reserves) fails, the call returns LSS_NOMEM, memory is as before the
 * call, the transaction goes on, and its commit keeps exactly the calls
 * that succeeded. */
static void test_calls_in_a_transaction_survive_allocation_failure(void **state)
{
    (void)state;
    fail_alloc_install();
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ".";
    snprintf(journal, sizeof journal, "%s/lss-oom-tx-%ld.lss", base, (long)getpid());
    lss_db *db = setup();
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    static const char long_note[] = "a note long enough to make the transaction's buffer grow: "
                                    "0123456789012345678901234567890123456789012345678901234567890123456789";
    int failures = 0;
    for (int call = 0; call < 3; call++) {
        char *before = dump(db);
        for (long n = 1;; n++) {
            fail_alloc_arm(n);
            lss_status st = call == 0   ? lss_ticket_resolve(db, 30, "to", long_note)
                            : call == 1 ? lss_customer_update(db, 30, "c", "New name", NULL, NULL, "new-segment")
                                        : lss_deal_lose(db, 30, "d", LSS_LOSS_PRICE, long_note);
            fail_alloc_arm(0);
            if (!fail_alloc_fired() || st == LSS_OK) {
                /* done (an allocation that may fail: a lost deal giving back its history's spare room) */
                assert_int_equal(st, LSS_OK);
                break;
            }
            failures++;
            assert_int_equal(st, LSS_NOMEM);
            char *after = dump(db);
            assert_string_equal(before, after);
            free(after);
            assert_true(n < 1000);
        }
        free(before);
    }
    assert_true(failures >= 3);
    char *committed = dump(db);
    assert_int_equal(lss_tx_commit(db), LSS_OK);
    lss_db_close(db);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    assert_int_equal(lss_db_open(&db, journal, &o), LSS_OK);
    char *reopened = dump(db);
    assert_string_equal(committed, reopened);
    free(committed);
    free(reopened);
    lss_db_close(db);
    unlink(journal);
    journal[0] = '\0';
    fail_alloc_uninstall();
}

static void test_open_survives_allocation_failure(void **state)
{
    (void)state;
    fail_alloc_install();
    for (long n = 1;; n++) {
        lss_db *db = (lss_db *)1;
        fail_alloc_arm(n);
        lss_status st = lss_db_open(&db, NULL, NULL);
        fail_alloc_arm(0);
        if (!fail_alloc_fired()) {
            assert_int_equal(st, LSS_OK);
            lss_db_close(db);
            break;
        }
        assert_int_equal(st, LSS_NOMEM);
        assert_null(db);
        assert_int_equal(fail_alloc_live(), 0);
    }
    assert_int_equal(fail_alloc_live(), 0);
    /* opening (replaying) a journal with events, including a transaction */
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ".";
    snprintf(journal, sizeof journal, "%s/lss-oom-open-%ld.lss", base, (long)getpid());
    lss_db *db = setup();
    assert_int_equal(op_transaction(db), LSS_OK);
    char *expect = dump(db);
    lss_db_close(db);
    long size = journal_size();
    int failures = 0;
    for (long n = 1;; n++) {
        db = (lss_db *)1;
        fail_alloc_arm(n);
        lss_status st = lss_db_open(&db, journal, NULL);
        fail_alloc_arm(0);
        if (st == LSS_OK) {
            /* every allocation succeeded, or only one that may fail without
             * harm did (a final history giving back its spare room) */
            char *got = dump(db);
            assert_string_equal(got, expect);
            free(got);
            lss_db_close(db);
            if (!fail_alloc_fired())
                break;
            continue;
        }
        failures++;
        assert_int_equal(st, LSS_NOMEM);
        assert_null(db);
        assert_int_equal(fail_alloc_live(), 0);
        assert_int_equal(journal_size(), size);
    }
    assert_true(failures > 10);
    free(expect);
    unlink(journal);
    journal[0] = '\0';
    fail_alloc_uninstall();
}

/* Many entities: hash tables expand, slabs add chunks, the arena adds
 * blocks; allocation failures at those moments are clean too. */
static void test_growth_points_survive_allocation_failure(void **state)
{
    (void)state;
    fail_alloc_install();
    lss_db *db = setup();
    char key[32];
    int failed = 0;
    for (int i = 0; i < 3000; i++) {
        snprintf(key, sizeof key, "bulk-%d", i);
        /* fail the first allocation of every call: the call must fail cleanly, then succeed */
        fail_alloc_arm(1);
        lss_status st = lss_customer_add(NULL, db, 30, key, "Bulk customer with a longish name", NULL, NULL, NULL,
                                         LSS_SOURCE_WEB, NULL);
        fail_alloc_arm(0);
        if (fail_alloc_fired()) {
            assert_int_equal(st, LSS_NOMEM);
            failed++;
            const lss_customer *c;
            assert_int_equal(lss_customer_find(&c, db, key), LSS_NOT_FOUND);
            assert_int_equal(lss_customer_add(NULL, db, 30, key, "Bulk customer with a longish name", NULL, NULL,
                                              NULL, LSS_SOURCE_WEB, NULL),
                             LSS_OK);
        } else {
            assert_int_equal(st, LSS_OK);
        }
    }
    assert_int_equal(lss_customer_count(db), 3001);
    assert_true(failed > 3); /* hash expansions, slab chunks and arena blocks */
    for (int i = 0; i < 3000; i++) {
        const lss_customer *c;
        snprintf(key, sizeof key, "bulk-%d", i);
        assert_int_equal(lss_customer_find(&c, db, key), LSS_OK);
    }
    lss_db_close(db);
    assert_int_equal(fail_alloc_live(), 0);
    fail_alloc_uninstall();
}

/* The timeline is a read, but it allocates: a failure returns LSS_NOMEM,
 * no timeline and no leak. */
static void test_timeline_survives_allocation_failure(void **state)
{
    (void)state;
    fail_alloc_install();
    lss_db *db = setup();
    lss_timeline *tl = NULL;
    fail_alloc_arm(1);
    assert_int_equal(lss_customer_timeline(&tl, db, "c"), LSS_NOMEM);
    fail_alloc_arm(0);
    assert_true(fail_alloc_fired());
    assert_null(tl);
    assert_int_equal(lss_customer_timeline(&tl, db, "c"), LSS_OK);
    assert_int_equal(lss_timeline_count(tl), 3 + 3 + 0);
    lss_timeline_free(tl);
    lss_db_close(db);
    assert_int_equal(fail_alloc_live(), 0);
    fail_alloc_uninstall();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_mutation_survives_allocation_failure),
        cmocka_unit_test(test_open_survives_allocation_failure),
        cmocka_unit_test(test_compaction_survives_allocation_failure),
        cmocka_unit_test(test_calls_in_a_transaction_survive_allocation_failure),
        cmocka_unit_test(test_growth_points_survive_allocation_failure),
        cmocka_unit_test(test_timeline_survives_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
