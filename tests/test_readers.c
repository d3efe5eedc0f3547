/* Readers beside a writer, in real processes: a reader sees a committed
 * prefix, never half a transaction; lss_db_refresh brings it up to the
 * latest commit, and through a compaction and a writer killed mid
 * transaction; the change feed gives every committed event once, in order,
 * never a rolled-back one, and without an erased customer's data. */
#define _GNU_SOURCE 1
#include "randevents.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVENTS 2500

static ev evs[EVENTS];
static uint64_t hashes[EVENTS + 8]; /* the state after each number of events */
static bool boundary[EVENTS + 8];   /* a commit ends after that many events */
static size_t nref;

/* The length of the next commit: one event, or a transaction of 2 to 9. */
static int commit_len(rng *r) { return rng_pick(r, 3) == 0 ? 2 + rng_pick(r, 8) : 1; }

/* What the writer does, in memory: the state after each event, and where
 * its commits end. */
static void reference(void)
{
    rng rr = { 99 };
    rand_events(evs, EVENTS, &rr);
    lss_db *mem = open_db(LSS_PIPELINE_LENIENT);
    hashes[0] = dump_hash(mem);
    boundary[0] = true;
    for (int i = 0; i < 5; i++) {
        rand_team_member(mem, i);
        hashes[++nref] = dump_hash(mem);
        boundary[nref] = true;
    }
    rng r = { 5 };
    for (int i = 0; i < EVENTS;) {
        int len = commit_len(&r);
        for (int k = 0; k < len && i < EVENTS; k++, i++)
            if (rand_apply(mem, &evs[i]) == LSS_OK)
                hashes[++nref] = dump_hash(mem);
        boundary[nref] = true;
    }
    lss_db_close(mem);
}

/* Shared with the processes: how far each reader has seen. The writer
 * waits, eight times on its way, until every reader has caught up, so that
 * each reader sees the database grow several times whatever the machine's
 * speed. */
#define READERS 3
static volatile uint64_t *reader_seen;

static void wait_for_readers(uint64_t n)
{
    for (int ms = 0; ms < 30000; ms++) {
        int behind = 0;
        for (int k = 0; k < READERS; k++)
            behind += reader_seen[k] < n;
        if (!behind)
            return;
        usleep(1000);
    }
}

/* The writer: the team, then the events in the commits reference() made. */
static void writer(const char *path, int sync)
{
    lss_db *db = NULL;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.pipeline = LSS_PIPELINE_LENIENT;
    o.sync = (lss_sync_mode)sync;
    if (lss_db_open(&db, path, &o) != LSS_OK)
        _exit(3);
    for (int i = 0; i < 5; i++)
        if (rand_team_member(db, i) != LSS_OK)
            _exit(4);
    rng r = { 5 };
    for (int i = 0, c = 0; i < EVENTS; c++) {
        int len = commit_len(&r);
        if (len > 1 && lss_tx_begin(db) != LSS_OK)
            _exit(5);
        for (int k = 0; k < len && i < EVENTS; k++, i++)
            rand_apply(db, &evs[i]);
        if (len > 1 && lss_tx_commit(db) != LSS_OK)
            _exit(6);
        if (i / (EVENTS / 8) != (i - len) / (EVENTS / 8) || c % 8 == 0) {
            if (i / (EVENTS / 8) != (i - len) / (EVENTS / 8))
                wait_for_readers(lss_db_event_count(db));
            struct timespec ts = { 0, 200000 };
            nanosleep(&ts, NULL);
        }
    }
    lss_db_close(db);
    _exit(0);
}

static lss_db *open_reader(const char *path)
{
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    lss_db *db = NULL;
    lss_status st = lss_db_open(&db, path, &o);
    if (st != LSS_OK)
        fail_msg("reader open: %s", lss_errmsg());
    return db;
}

/* A reader's state must be the reference after its number of events, and
 * that number a commit's end. 0 if so, else why (for a child's exit). */
static int reader_ok(const lss_db *db)
{
    uint64_t n = lss_db_event_count(db);
    if (n > nref)
        return 10;
    if (!boundary[n])
        return 11; /* half a transaction */
    if (dump_hash(db) != hashes[n])
        return 12;
    return 0;
}

/* A reader in a process of its own: refresh until the writer is done (the
 * whole reference seen), checking after every refresh. */
static void reader_process(const char *path, int me)
{
    lss_db *db = NULL;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    for (int tries = 0; lss_db_open(&db, path, &o) != LSS_OK; tries++) {
        if (tries > 2000)
            _exit(20);
        usleep(1000); /* the writer has not created it yet */
    }
    int refreshes = 0;
    for (int k = 0; k < 200000 && lss_db_event_count(db) < nref; k++) {
        uint64_t n;
        int reopened;
        if (lss_db_refresh(db, &n, &reopened) != LSS_OK)
            _exit(21);
        int bad = reader_ok(db);
        if (bad)
            _exit(bad);
        refreshes += n > 0;
        reader_seen[me] = lss_db_event_count(db);
        usleep(200);
    }
    if (lss_db_event_count(db) != nref)
        _exit(22);
    lss_db_close(db);
    _exit(refreshes > 3 ? 0 : 23); /* it saw the database grow, more than once */
}

static void run_writer_and_readers(const char *name, int sync)
{
    const char *p = tmp_path(name);
    unlink(p);
    for (int k = 0; k < READERS; k++)
        reader_seen[k] = 0;
    pid_t w = fork();
    assert_true(w >= 0);
    if (w == 0)
        writer(p, sync);
    pid_t r[READERS];
    for (int k = 0; k < READERS; k++) {
        r[k] = fork();
        assert_true(r[k] >= 0);
        if (r[k] == 0)
            reader_process(p, k);
    }
    int status;
    waitpid(w, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    for (int k = 0; k < READERS; k++) {
        waitpid(r[k], &status, 0);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) != 0)
            fail_msg("reader %d exited %d (10: too many events, 11: half a transaction, 12: another state, 2x: "
                     "open/refresh/end)",
                     k, WEXITSTATUS(status));
    }
    /* and a report from a reader equals one from the reference */
    lss_db *db = open_reader(p);
    assert_int_equal(reader_ok(db), 0);
    lss_db_close(db);
}

static void test_readers_in_processes_see_committed_prefixes(void **state)
{
    (void)state;
    run_writer_and_readers("readers-full.lss", LSS_SYNC_FULL);
    run_writer_and_readers("readers-off.lss", LSS_SYNC_OFF);
}

/* ---- a writer killed mid transaction, a compaction -------------------------- */

static void test_a_killed_writer_leaves_readers_the_committed_prefix(void **state)
{
    (void)state;
    const char *p = tmp_path("killed.lss");
    unlink(p);
    lss_db *w = open_journal(p, LSS_SYNC_FULL);
    rand_team(w);
    for (int i = 0; i < 300; i++)
        rand_apply(w, &evs[i]);
    uint64_t committed = lss_db_event_count(w);
    lss_db_close(w);
    lss_db *r = open_reader(p);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) { /* a transaction that never commits; its records reach the file when the buffer fills */
        lss_db *c = open_journal(p, LSS_SYNC_FULL);
        if (lss_tx_begin(c) != LSS_OK)
            _exit(2);
        for (int i = 300; i < EVENTS; i++)
            rand_apply(c, &evs[i]);
        if (write(fds[1], "x", 1) != 1)
            _exit(3);
        pause();
        _exit(0);
    }
    char x;
    assert_int_equal(read(fds[0], &x, 1), 1);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    uint64_t n;
    int reopened;
    assert_int_equal(lss_db_refresh(r, &n, &reopened), LSS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lss_db_event_count(r), committed);
    /* a write torn by the kill: a record header whose payload never came */
    FILE *f = fopen(p, "ab");
    assert_non_null(f);
    unsigned char torn[40] = { 0x11, 0x22, 0x33, 0x44, 200, 0, 0, 0, 1 };
    assert_int_equal(fwrite(torn, 1, sizeof torn, f), sizeof torn);
    fclose(f);
    assert_int_equal(lss_db_refresh(r, &n, &reopened), LSS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(reopened, 0);
    assert_int_equal(lss_db_event_count(r), committed);
    /* the next writer cuts whatever is torn and goes on; the reader follows */
    w = open_journal(p, LSS_SYNC_FULL);
    assert_int_equal(lss_member_add(NULL, w, 5000, "m-late", "Late", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_db_refresh(r, &n, &reopened), LSS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lss_db_event_count(r), committed + 1);
    const lss_member *m;
    assert_int_equal(lss_member_find(&m, r, "m-late"), LSS_OK);
    /* compaction: the reader keeps the old file until its refresh, which reopens the new one */
    assert_int_equal(lss_db_compact(w), LSS_OK);
    assert_int_equal(lss_member_add(NULL, w, 5001, "m-later", "Later", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_member_find(&m, r, "m-late"), LSS_OK); /* still the old file's state */
    assert_int_equal(lss_db_refresh(r, &n, &reopened), LSS_OK);
    assert_int_equal(reopened, 1);
    assert_int_equal(n, committed + 2);
    char *a = dump(r), *b = dump(w);
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_status_msg(w, lss_db_refresh(w, &n, &reopened), LSS_MISUSE, "it is always up to date");
    /* a record the reader saw is cut (as after a failed sync) and another written in its place: the refresh
       notices that the file no longer holds what it read, and reopens */
    long size = ftell((f = fopen(p, "rb"), fseek(f, 0, SEEK_END), f));
    fclose(f);
    assert_int_equal(lss_member_add(NULL, w, 5002, "m-cut", "Cut", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_db_refresh(r, &n, &reopened), LSS_OK);
    assert_int_equal(n, 1);
    lss_db_close(w);
    assert_int_equal(truncate(p, size), 0);
    w = open_journal(p, LSS_SYNC_FULL);
    assert_int_equal(lss_member_add(NULL, w, 5002, "m-cux", "Cux", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_db_refresh(r, &n, &reopened), LSS_OK);
    assert_int_equal(reopened, 1);
    assert_int_equal(lss_member_find(&m, r, "m-cux"), LSS_OK);
    assert_int_equal(lss_member_find(&m, r, "m-cut"), LSS_NOT_FOUND);
    lss_db_close(w);
    lss_db_close(r);
    close(fds[0]);
    close(fds[1]);
}

/* ---- the feed ------------------------------------------------------------------ */

typedef struct seen {
    uint64_t seqs[64];
    char json[64][512];
    int n;
} seen;

static int collect(void *ctx, const lss_change *ch)
{
    seen *s = ctx;
    if (s->n < 64) {
        s->seqs[s->n] = ch->seq;
        snprintf(s->json[s->n], sizeof s->json[0], "%s", ch->json);
        assert_int_equal(strlen(ch->json), ch->json_len);
        assert_true(strncmp(ch->json, "{\"type\":\"", 9) == 0 && strstr(ch->json, ch->type) != NULL);
    }
    s->n++;
    return 0;
}

static void test_the_feed_gives_every_commit_once(void **state)
{
    (void)state;
    const char *p = tmp_path("feed.lss");
    unlink(p);
    lss_db *w = open_journal(p, LSS_SYNC_NORMAL);
    static seen hook;
    memset(&hook, 0, sizeof hook);
    assert_int_equal(lss_db_on_commit(w, collect, &hook), LSS_OK);
    assert_int_equal(lss_member_add(NULL, w, 10, "m-1", "One", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(hook.n, 1);
    assert_int_equal(hook.seqs[0], 1);
    assert_string_equal(hook.json[0],
                        "{\"type\":\"member.add\",\"at\":\"1970-01-01T00:00:10Z\",\"key\":\"m-1\",\"name\":\"One\","
                        "\"role\":\"sales\"}");
    /* a refused call, a rolled-back transaction: nothing */
    assert_int_equal(lss_member_add(NULL, w, 11, "m-1", "Again", LSS_ROLE_SALES, NULL), LSS_EXISTS);
    assert_int_equal(lss_tx_begin(w), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, w, 12, "c-x", "X", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(hook.n, 1); /* not before the commit */
    assert_int_equal(lss_tx_rollback(w), LSS_OK);
    assert_int_equal(hook.n, 1);
    /* a transaction: every event at its commit, in order */
    assert_int_equal(lss_tx_begin(w), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, w, 12, "c-1", "Zebulon Quux", "zq@example.org", NULL, "smb",
                                      LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_customer_add(NULL, w, 13, "c-2", "Two", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(hook.n, 1);
    assert_int_equal(lss_tx_commit(w), LSS_OK);
    assert_int_equal(hook.n, 3);
    assert_int_equal(hook.seqs[1], 2);
    assert_int_equal(hook.seqs[2], 3);
    /* a reader's hook hears what its refresh applies */
    lss_db *r = open_reader(p);
    static seen rh;
    memset(&rh, 0, sizeof rh);
    assert_int_equal(lss_db_on_commit(r, collect, &rh), LSS_OK);
    assert_int_equal(lss_customer_churn(w, 20, "c-2"), LSS_OK);
    assert_int_equal(lss_customer_erase(w, 21, "c-1"), LSS_OK);
    uint64_t n;
    int reopened;
    assert_int_equal(lss_db_refresh(r, &n, &reopened), LSS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rh.n, 2);
    assert_int_equal(rh.seqs[0], 4);
    assert_int_equal(rh.seqs[1], 5);
    assert_non_null(strstr(rh.json[1], "\"type\":\"customer.erase\""));
    assert_string_equal(rh.json[0], hook.json[3]);
    assert_string_equal(rh.json[1], hook.json[4]);
    /* since a sequence number: the rest, once; after the erasure without the erased data */
    static seen since;
    memset(&since, 0, sizeof since);
    assert_int_equal(lss_events_since(r, 1, collect, &since), LSS_OK);
    assert_int_equal(since.n, 4);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(since.seqs[k], (uint64_t)k + 2);
        assert_null(strstr(since.json[k], "Zebulon"));
        assert_null(strstr(since.json[k], "zq@example.org"));
    }
    memset(&since, 0, sizeof since);
    assert_int_equal(lss_events_since(r, 5, collect, &since), LSS_OK);
    assert_int_equal(since.n, 0);
    assert_status_msg(r, lss_events_since(r, 6, collect, &since), LSS_INVALID, "beyond the last event (5)");
    /* the hook goes away */
    assert_int_equal(lss_db_on_commit(w, NULL, NULL), LSS_OK);
    assert_int_equal(lss_member_add(NULL, w, 30, "m-2", "Two", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(hook.n, 5);
    lss_db_close(w);
    lss_db_close(r);
}

int main(void)
{
    reference();
    reader_seen = mmap(NULL, READERS * sizeof *reader_seen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (reader_seen == MAP_FAILED)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers_in_processes_see_committed_prefixes),
        cmocka_unit_test(test_a_killed_writer_leaves_readers_the_committed_prefix),
        cmocka_unit_test(test_the_feed_gives_every_commit_once),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
