/* Durability under failure: a writer killed at random moments loses nothing
 * it acknowledged; I/O errors (write, short write, fdatasync, truncate,
 * rename, directory sync) are reported, poison the handle where the design
 * says so, and leave a file that reopens consistently; one writer per file. */
#define _GNU_SOURCE 1
#include "randevents.h"
#include "store/store.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define path_of tmp_path


/* ---- crash: SIGKILL at random moments ---------------------------------------- */

#define CRASH_EVENTS 3000

/* The child: continue the sequence where the file stands (next[n] is the
 * first event after the n-th that applied), in full sync mode, sometimes in
 * transactions, and report through the pipe the event count after each
 * acknowledged change. */
static void writer(const char *path, const ev *evs, int n, const int *next, int fd, unsigned seed)
{
    lss_db *db = NULL;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.pipeline = LSS_PIPELINE_LENIENT;
    if (lss_db_open(&db, path, &o) != LSS_OK)
        _exit(3);
    for (int i = (int)lss_db_event_count(db); i < 5; i++)
        if (rand_team_member(db, i) != LSS_OK)
            _exit(4);
    rng r = { seed };
    for (int i = next[lss_db_event_count(db)]; i < n;) {
        int len = rng_pick(&r, 4) == 0 ? 1 + rng_pick(&r, 8) : 1;
        bool tx = len > 1;
        if (tx && lss_tx_begin(db) != LSS_OK)
            _exit(5);
        for (int k = 0; k < len && i < n; k++, i++)
            rand_apply(db, &evs[i]);
        if (tx && lss_tx_commit(db) != LSS_OK)
            _exit(6);
        uint64_t count = lss_db_event_count(db);
        if (write(fd, &count, sizeof count) != (ssize_t)sizeof count)
            _exit(7);
    }
    lss_db_close(db);
    _exit(0);
}

static void test_killed_writer_loses_nothing_it_acknowledged(void **state)
{
    (void)state;
    static ev evs[CRASH_EVENTS];
    static uint64_t hashes[CRASH_EVENTS + 8];
    static int next[CRASH_EVENTS + 8];
    rng r = { 99 };
    rand_events(evs, CRASH_EVENTS, &r);
    /* reference: the database after each number of events */
    lss_db *mem = open_db(LSS_PIPELINE_LENIENT);
    size_t nref = 0;
    hashes[0] = dump_hash(mem);
    for (int i = 0; i < 5; i++) {
        rand_team_member(mem, i);
        hashes[++nref] = dump_hash(mem);
        next[nref] = 0;
    }
    for (int i = 0; i < CRASH_EVENTS; i++)
        if (rand_apply(mem, &evs[i]) == LSS_OK) {
            hashes[++nref] = dump_hash(mem);
            next[nref] = i + 1;
        }
    lss_db_close(mem);

    const char *p = path_of("crash.lss");
    unlink(p);
    int kills = 0, runs = 40;
    uint64_t acked_max = 0;
    for (int run = 0; run < runs; run++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            writer(p, evs, CRASH_EVENTS, next, fds[1], (unsigned)run + 1);
        }
        close(fds[1]);
        /* let it acknowledge a random number of changes, then kill it mid-flight */
        int want = 1 + rng_pick(&r, 60);
        uint64_t acked = 0, v;
        for (int k = 0; k < want && read(fds[0], &v, sizeof v) == (ssize_t)sizeof v; k++)
            acked = v;
        struct timespec ts = { 0, (long)rng_pick(&r, 300) * 1000 };
        nanosleep(&ts, NULL);
        kills += kill(pid, SIGKILL) == 0;
        int status;
        waitpid(pid, &status, 0);
        while (read(fds[0], &v, sizeof v) == (ssize_t)sizeof v)
            acked = v; /* acknowledged before it died */
        close(fds[0]);
        if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
            fail_msg("run %d: writer failed with %d", run, WEXITSTATUS(status));
        lss_db *db = open_journal(p, LSS_SYNC_FULL);
        uint64_t n = lss_db_event_count(db);
        if (n < acked)
            fail_msg("run %d: %llu events acknowledged, %llu after reopening", run, (unsigned long long)acked,
                     (unsigned long long)n);
        if (n > nref || dump_hash(db) != hashes[n])
            fail_msg("run %d: the reopened database is not the first %llu events", run, (unsigned long long)n);
        lss_db_close(db);
        acked_max = acked > acked_max ? acked : acked_max;
    }
    assert_true(kills > runs / 2); /* most runs were really killed, not finished */
    assert_true(acked_max > 100);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* ---- I/O faults ------------------------------------------------------------------- */

static int fail_write_at, write_calls, short_write;
static int fail_sync_at, sync_calls, fail_truncate, fail_rename, fail_dir;

static ssize_t bad_write(int fd, const void *buf, size_t n)
{
    if (fail_write_at && ++write_calls == fail_write_at) {
        if (short_write && n > 1) {
            ssize_t w = write(fd, buf, n / 2); /* half a record reaches the file */
            (void)w;
        }
        errno = ENOSPC;
        return -1;
    }
    return write(fd, buf, n);
}
static int bad_sync(int fd)
{
    sync_calls++;
    if (fail_sync_at && sync_calls == fail_sync_at) {
        errno = EIO;
        return -1;
    }
    return fdatasync(fd);
}
static int bad_truncate(int fd, off_t len)
{
    if (fail_truncate) {
        errno = EIO;
        return -1;
    }
    return ftruncate(fd, len);
}
static int bad_rename(const char *a, const char *b)
{
    if (fail_rename) {
        errno = EXDEV;
        return -1;
    }
    return rename(a, b);
}
static int bad_dir(const char *d)
{
    if (fail_dir) {
        errno = EIO;
        return -1;
    }
    return lss__io_posix.fsync_dir(d);
}

static void faults_on(void)
{
    fail_write_at = write_calls = short_write = fail_sync_at = sync_calls = 0;
    fail_truncate = fail_rename = fail_dir = 0;
    lss__io io = { bad_write, bad_sync, bad_truncate, bad_rename, bad_dir, lss__io_posix.flock, lss__io_posix.pread };
    lss__io_ops = io;
}

static void faults_off(void) { lss__io_ops = lss__io_posix; }

/* A database with a few events, closed and reopened. */
static lss_db *prepared(const char *name, lss_sync_mode sync)
{
    const char *p = path_of(name);
    unlink(p);
    lss_db *db = open_journal(p, sync);
    rand_team(db);
    assert_int_equal(lss_customer_add(NULL, db, 10, "c0", "C0", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 11, "d0", "c0", "s0", 1000, "t", LSS_TIME_NONE), LSS_OK);
    return db;
}

static void reopen_and_compare(const char *name, const char *expect)
{
    lss_db *db = open_journal(path_of(name), LSS_SYNC_FULL);
    char *got = dump(db);
    assert_string_equal(got, expect);
    free(got);
    lss_db_close(db);
}

static void test_failed_write_poisons_and_changes_nothing(void **state)
{
    (void)state;
    for (int variant = 0; variant < 3; variant++) {
        faults_on();
        lss_db *db = prepared("write.lss", LSS_SYNC_FULL);
        char *before = dump(db);
        fail_write_at = write_calls + 1;
        short_write = variant >= 1;
        fail_truncate = variant == 2; /* the torn half record stays in the file */
        assert_status_msg(db, lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_IO, "write failed",
                          "No space left on device");
        char *after = dump(db);
        assert_string_equal(before, after); /* memory as before the call */
        free(after);
        /* poisoned: every later change fails, reads go on */
        assert_status_msg(db, lss_customer_churn(db, 13, "c0"), LSS_IO, "refuses changes", "reopen");
        assert_int_equal(lss_tx_begin(db), LSS_IO);
        assert_int_equal(lss_db_sync(db), LSS_IO);
        assert_int_equal(lss_customer_count(db), 1);
        lss_db_close(db);
        faults_off();
        reopen_and_compare("write.lss", before);
        free(before);
    }
}

static void test_failed_fdatasync_poisons(void **state)
{
    (void)state;
    /* a single change, then a transaction's commit, whose fdatasync fails:
     * the call fails, memory is as before, and the record is cut off the
     * file, so a reopen does not bring the failed change back */
    for (int variant = 0; variant < 2; variant++) {
        faults_on();
        lss_db *db = prepared("sync.lss", LSS_SYNC_FULL);
        char *before = dump(db);
        long size = file_size(path_of("sync.lss"));
        fail_sync_at = sync_calls + 1;
        if (variant == 0) {
            assert_status_msg(db, lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_IO, "fdatasync failed",
                              "cut off the journal");
        } else {
            assert_int_equal(lss_tx_begin(db), LSS_OK);
            assert_int_equal(lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_OK);
            assert_int_equal(lss_customer_churn(db, 12, "c0"), LSS_OK);
            assert_status_msg(db, lss_tx_commit(db), LSS_IO, "fdatasync failed", "cut off the journal");
        }
        assert_int_equal(file_size(path_of("sync.lss")), size);
        char *after = dump(db);
        assert_string_equal(before, after);
        free(after);
        /* poisoned: never synced again and believed */
        int calls = sync_calls;
        assert_int_equal(lss_customer_churn(db, 13, "c0"), LSS_IO);
        assert_int_equal(lss_db_sync(db), LSS_IO);
        assert_int_equal(sync_calls, calls);
        lss_db_close(db);
        assert_int_equal(sync_calls, calls); /* close does not sync a poisoned handle either */
        faults_off();
        reopen_and_compare("sync.lss", before);
        free(before);
    }
    /* the cut fails too: said, since the change may come back */
    faults_on();
    lss_db *db = prepared("sync.lss", LSS_SYNC_FULL);
    fail_sync_at = sync_calls + 1;
    fail_truncate = 1;
    assert_status_msg(db, lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_IO, "fdatasync failed",
                      "may reappear");
    lss_db_close(db);
    faults_off();
}

static void test_failed_commit_keeps_nothing_of_the_transaction(void **state)
{
    (void)state;
    faults_on();
    lss_db *db = prepared("txfail.lss", LSS_SYNC_FULL);
    char *before = dump(db);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 12, "c1", "C1", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_OK);
    fail_write_at = write_calls + 1;
    short_write = 1;
    assert_status_msg(db, lss_tx_commit(db), LSS_IO, "write failed");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(lss_deal_advance(db, 13, "d0", LSS_STAGE_QUALIFIED), LSS_IO);
    lss_db_close(db);
    faults_off();
    reopen_and_compare("txfail.lss", before);
    free(before);
}

static void test_compaction_faults(void **state)
{
    (void)state;
    /* rename or sync of the new file fails: the old journal stays, the handle goes on */
    for (int variant = 0; variant < 2; variant++) {
        faults_on();
        lss_db *db = prepared("compact.lss", LSS_SYNC_FULL);
        if (variant == 0)
            fail_rename = 1;
        else
            fail_sync_at = sync_calls + 2; /* the header's sync passes, the records' fails */
        assert_status_msg(db, lss_db_compact(db), LSS_IO, variant == 0 ? "cannot rename" : "cannot sync");
        assert_int_equal(access(path_of("compact.lss.compact"), F_OK), -1);
        fail_rename = 0;
        fail_sync_at = 0;
        assert_int_equal(lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_OK);
        char *expect = dump(db);
        lss_db_close(db);
        faults_off();
        reopen_and_compare("compact.lss", expect);
        free(expect);
    }
    /* the directory sync after the rename fails: poisoned, but the file is the compacted journal */
    faults_on();
    lss_db *db = prepared("compact2.lss", LSS_SYNC_FULL);
    char *expect = dump(db);
    fail_dir = 1;
    assert_status_msg(db, lss_db_compact(db), LSS_IO, "cannot sync the directory");
    assert_int_equal(lss_customer_churn(db, 13, "c0"), LSS_IO);
    lss_db_close(db);
    faults_off();
    reopen_and_compare("compact2.lss", expect);
    free(expect);
}

static void test_sync_modes(void **state)
{
    (void)state;
    faults_on();
    /* full: one fdatasync per change; a transaction: one for all of it */
    lss_db *db = prepared("modes.lss", LSS_SYNC_FULL);
    int s0 = sync_calls;
    assert_int_equal(lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(sync_calls, s0 + 1);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    for (int i = 0; i < 10; i++) {
        char k[8];
        snprintf(k, sizeof k, "x%d", i);
        assert_int_equal(lss_customer_add(NULL, db, 12, k, k, NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    }
    assert_int_equal(sync_calls, s0 + 1);
    assert_int_equal(lss_tx_commit(db), LSS_OK);
    assert_int_equal(sync_calls, s0 + 2);
    lss_db_close(db);
    /* off: no sync until lss_db_sync or close */
    db = open_journal(path_of("modes.lss"), LSS_SYNC_OFF);
    s0 = sync_calls;
    assert_int_equal(lss_deal_advance(db, 13, "d0", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(sync_calls, s0);
    assert_int_equal(lss_db_sync(db), LSS_OK);
    assert_int_equal(sync_calls, s0 + 1);
    assert_int_equal(lss_deal_advance(db, 14, "d0", LSS_STAGE_NEGOTIATED), LSS_OK);
    lss_db_close(db);
    assert_int_equal(sync_calls, s0 + 2); /* at close */
    /* normal: the background thread syncs within about a second */
    db = open_journal(path_of("modes.lss"), LSS_SYNC_NORMAL);
    s0 = sync_calls;
    assert_int_equal(lss_deal_win(db, 15, "d0", -1), LSS_OK);
    assert_int_equal(sync_calls, s0);
    for (int i = 0; i < 40 && sync_calls == s0; i++) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    assert_true(sync_calls > s0);
    /* and a failure there poisons the handle */
    fail_sync_at = sync_calls + 1;
    assert_int_equal(lss_customer_churn(db, 16, "c0"), LSS_OK);
    for (int i = 0; i < 40 && !lss__journal_poisoned(db->journal); i++) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    assert_status_msg(db, lss_customer_churn(db, 17, "c0"), LSS_IO, "refuses changes");
    lss_db_close(db);
    faults_off();
    assert_string_equal(lss_sync_mode_name(LSS_SYNC_NORMAL), "normal");
    lss_sync_mode m;
    assert_int_equal(lss_sync_mode_parse(&m, "off"), LSS_OK);
    assert_int_equal(m, LSS_SYNC_OFF);
    assert_int_equal(lss_sync_mode_parse(&m, "sometimes"), LSS_INVALID);
}

static void test_creating_a_journal_reports_io_errors(void **state)
{
    (void)state;
    faults_on();
    fail_dir = 1;
    lss_db *db = NULL;
    assert_status_msg(NULL, lss_db_open(&db, path_of("new.lss"), NULL), LSS_IO, "cannot create the journal");
    assert_null(db);
    faults_off();
    /* the empty file left behind is simply initialised on the next open */
    db = open_journal(path_of("new.lss"), LSS_SYNC_FULL);
    assert_int_equal(lss_db_event_count(db), 0);
    lss_db_close(db);
    /* not a journal */
    FILE *f = fopen(path_of("text.lss"), "w");
    fputs("this is a text file, not a journal, but it is long enough\n", f);
    fclose(f);
    assert_status_msg(NULL, lss_db_open(&db, path_of("text.lss"), NULL), LSS_CORRUPT, "not a libsalesservice journal");
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    assert_int_equal(lss_db_open(&db, path_of("missing.lss"), &o), LSS_IO);
}

/* ---- more I/O faults: interrupted and short writes, locks, cutting, compaction --------- */

static int eintr_writes, short_writes;
static ssize_t interrupted_write(int fd, const void *buf, size_t n)
{
    if (eintr_writes > 0) {
        eintr_writes--;
        errno = EINTR;
        return -1;
    }
    if (short_writes > 0 && n > 1) {
        short_writes--;
        return write(fd, buf, n / 2);
    }
    return write(fd, buf, n);
}
static int eio_flock(int fd, int op)
{
    (void)fd, (void)op;
    errno = EIO;
    return -1;
}
static int zero_writes_left = -1;
static ssize_t zero_write(int fd, const void *buf, size_t n)
{
    if (zero_writes_left == 0)
        return 0; /* the device takes nothing and says no error */
    if (zero_writes_left > 0)
        zero_writes_left--;
    return write(fd, buf, n);
}

static void test_interrupted_and_short_writes_are_continued(void **state)
{
    (void)state;
    faults_on();
    lss_db *db = prepared("eintr.lss", LSS_SYNC_FULL);
    lss__io_ops.write = interrupted_write;
    eintr_writes = 3;
    short_writes = 4;
    assert_int_equal(lss_deal_advance(db, 12, "d0", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_customer_update(db, 13, "c0", "A name long enough to be split in halves", NULL, NULL, NULL),
                     LSS_OK);
    char *expect = dump(db);
    lss_db_close(db);
    /* a write that returns 0 is an error (EIO), not a loop */
    lss__io_ops.write = zero_write;
    db = open_journal(path_of("eintr.lss"), LSS_SYNC_FULL);
    zero_writes_left = 0;
    assert_status_msg(db, lss_customer_churn(db, 14, "c0"), LSS_IO, "write failed", "Input/output error");
    zero_writes_left = -1;
    lss_db_close(db);
    faults_off();
    reopen_and_compare("eintr.lss", expect);
    free(expect);
}

static void test_lock_cut_and_header_faults(void **state)
{
    (void)state;
    /* flock fails for another reason than "in use" */
    lss_db *db = NULL;
    lss__io_ops.flock = eio_flock;
    assert_status_msg(NULL, lss_db_open(&db, path_of("flock.lss"), NULL), LSS_IO, "lock: Input/output error");
    assert_null(db);
    lss__io_ops = lss__io_posix;
    /* a torn tail that cannot be cut: the open fails and the file stays */
    db = prepared("torn.lss", LSS_SYNC_FULL);
    lss_db_close(db);
    FILE *f = fopen(path_of("torn.lss"), "ab");
    fputs("torn", f);
    fclose(f);
    long size = file_size(path_of("torn.lss"));
    faults_on();
    fail_truncate = 1;
    assert_status_msg(NULL, lss_db_open(&db, path_of("torn.lss"), NULL), LSS_IO, "cannot cut the torn tail");
    faults_off();
    assert_int_equal(file_size(path_of("torn.lss")), size);
    /* read-only: reported, not cut */
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    assert_int_equal(lss_db_open(&db, path_of("torn.lss"), &o), LSS_OK);
    lss_recovery rec;
    assert_int_equal(lss_db_recovery(&rec, db), LSS_OK);
    assert_int_equal(rec.bytes_dropped, 4);
    assert_int_equal(lss_db_recovery(NULL, db), LSS_INVALID);
    lss_db_close(db);
    assert_int_equal(file_size(path_of("torn.lss")), size);
    /* db.config on an empty durable database rewrites the header; a failure poisons */
    unlink(path_of("config.lss"));
    db = open_journal(path_of("config.lss"), LSS_SYNC_FULL);
    assert_int_equal(lss_apply_json(db, "{\"type\":\"db.config\",\"at\":0,\"currency\":\"USD\"}"), LSS_OK);
    assert_string_equal(lss_db_currency(db), "USD");
    lss_db_close(db);
    db = open_journal(path_of("config.lss"), LSS_SYNC_FULL);
    assert_string_equal(lss_db_currency(db), "USD");
    faults_on();
    fail_truncate = 1;
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"db.config\",\"at\":0,\"currency\":\"GBP\"}"), LSS_IO,
                      "cannot write the journal header");
    faults_off();
    assert_string_equal(lss_db_currency(db), "USD");
    assert_int_equal(lss_customer_churn(db, 1, "x"), LSS_IO); /* poisoned */
    lss_db_close(db);
    db = open_journal(path_of("config.lss"), LSS_SYNC_FULL);
    assert_string_equal(lss_db_currency(db), "USD");
    lss_db_close(db);
    /* read-only: refused, memory and file unchanged */
    assert_int_equal(lss_db_open(&db, path_of("config.lss"), &o), LSS_OK);
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"db.config\",\"at\":0,\"currency\":\"GBP\"}"), LSS_MISUSE,
                      "read-only");
    assert_string_equal(lss_db_currency(db), "USD");
    lss_db_close(db);
}

static void test_compaction_write_faults_leave_the_journal(void **state)
{
    (void)state;
    for (int variant = 0; variant < 4; variant++) {
        faults_on();
        lss_db *db = prepared("cw.lss", LSS_SYNC_FULL);
        for (int i = 0; i < 50; i++) {
            char k[16];
            snprintf(k, sizeof k, "x%d", i);
            assert_int_equal(lss_customer_add(NULL, db, 12, k, k, NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
        }
        char *expect = dump(db);
        const char *why = NULL;
        switch (variant) {
        case 0: /* the header of the compacted file */
            fail_write_at = write_calls + 1;
            why = "cannot write the compacted file";
            break;
        case 1: /* its records */
            fail_write_at = write_calls + 2;
            why = "cannot write the compacted file";
            break;
        case 2: /* its header's sync */
            fail_sync_at = sync_calls + 1;
            why = "cannot write the compacted file";
            break;
        default: /* its lock */
            lss__io_ops.flock = eio_flock;
            why = "cannot create the compacted file";
            break;
        }
        assert_status_msg(db, lss_db_compact(db), LSS_IO, why);
        lss__io_ops.flock = lss__io_posix.flock;
        /* not poisoned: the old journal is as it was, the handle goes on */
        assert_int_equal(access(path_of("cw.lss.compact"), F_OK), -1);
        assert_int_equal(lss_customer_churn(db, 13, "c0"), LSS_OK);
        free(expect);
        expect = dump(db);
        lss_db_close(db);
        faults_off();
        reopen_and_compare("cw.lss", expect);
        free(expect);
    }
    /* compaction refuses inside a transaction */
    lss_db *db = prepared("cw.lss", LSS_SYNC_FULL);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_status_msg(db, lss_db_compact(db), LSS_MISUSE, "a transaction is open");
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    lss_db_close(db);
    lss_db *mem = open_db(LSS_PIPELINE_LENIENT);
    assert_status_msg(mem, lss_db_compact(mem), LSS_MISUSE, "in-memory");
    assert_int_equal(lss_db_sync(mem), LSS_OK);
    assert_null(lss_db_path(mem));
    lss_db_close(mem);
}

/* More places a sync or a write can fail: lss_db_sync itself, creating a
 * journal, cutting a torn tail; and an in-memory database's recovery. */
static void test_sync_create_and_cut_faults(void **state)
{
    (void)state;
    faults_on();
    lss_db *db = prepared("sync-off.lss", LSS_SYNC_OFF);
    assert_int_equal(lss_customer_churn(db, 12, "c0"), LSS_OK); /* written, not synced */
    fail_sync_at = sync_calls + 1;
    assert_status_msg(db, lss_db_sync(db), LSS_IO, "fdatasync failed");
    assert_status_msg(db, lss_db_sync(db), LSS_IO, "refuses changes");
    lss_db_close(db);
    /* creating: the header's write, then its sync */
    for (int variant = 0; variant < 2; variant++) {
        unlink(path_of("create.lss"));
        if (variant == 0)
            fail_write_at = write_calls + 1;
        else
            fail_sync_at = sync_calls + 1;
        assert_status_msg(NULL, lss_db_open(&db, path_of("create.lss"), NULL), LSS_IO, "cannot create the journal");
        assert_null(db);
    }
    /* cutting a torn tail: its sync fails */
    db = prepared("torn2.lss", LSS_SYNC_FULL);
    lss_db_close(db);
    FILE *f = fopen(path_of("torn2.lss"), "ab");
    fputs("torn", f);
    fclose(f);
    fail_sync_at = sync_calls + 1;
    assert_status_msg(NULL, lss_db_open(&db, path_of("torn2.lss"), NULL), LSS_IO, "cannot cut the torn tail");
    faults_off();
    /* an empty file opened read-only: nothing to read, nothing written */
    f = fopen(path_of("empty.lss"), "wb");
    fclose(f);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    assert_status_msg(NULL, lss_db_open(&db, path_of("empty.lss"), &o), LSS_CORRUPT, "0 bytes is too short");
    assert_int_equal(file_size(path_of("empty.lss")), 0);
    /* in memory: recovery is all zero */
    db = open_db(LSS_PIPELINE_LENIENT);
    lss_recovery rec;
    memset(&rec, 0xff, sizeof rec);
    assert_int_equal(lss_db_recovery(&rec, db), LSS_OK);
    assert_int_equal(rec.events + rec.file_size + rec.bytes_dropped + rec.damage_offset, 0);
    lss_db_close(db);
    /* compacting an empty journal gives an empty journal */
    unlink(path_of("empty2.lss"));
    db = open_journal(path_of("empty2.lss"), LSS_SYNC_FULL);
    assert_int_equal(lss_db_compact(db), LSS_OK);
    lss_db_close(db);
    assert_int_equal(file_size(path_of("empty2.lss")), LSS__J_HEADER);
}

/* lss_generate and a keep-going import stop at an I/O error: the handle is
 * poisoned and the file holds only whole, committed batches. */
static void test_generate_and_import_stop_at_io_errors(void **state)
{
    (void)state;
    const char *p = path_of("gen-fault.lss");
    unlink(p);
    faults_on();
    lss_db *db = open_journal(p, LSS_SYNC_OFF);
    fail_write_at = write_calls + 3; /* the team's batch and the first customers' pass, the second fails */
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 2500;
    assert_status_msg(db, lss_generate(db, &g), LSS_IO, "write failed");
    uint64_t kept = lss_db_event_count(db);
    assert_true(kept > 0);
    assert_int_equal(lss_customer_count(db), 1000); /* the first batch of 1,000 customers only */
    /* keep-going does not go on past an I/O error */
    static const char lines[] = "{\"type\":\"customer.churn\",\"at\":\"2026-06-01\",\"customer\":\"c-000001\"}\n";
    FILE *in = fmemopen((void *)lines, sizeof lines - 1, "r");
    lss_import_options io = LSS_IMPORT_OPTIONS_INIT;
    io.flags = LSS_IMPORT_KEEP_GOING;
    lss_import_result res;
    assert_int_equal(lss_import_stream(db, in, &io, &res), LSS_IO);
    fclose(in);
    lss_db_close(db);
    faults_off();
    db = open_journal(p, LSS_SYNC_OFF);
    assert_int_equal(lss_db_event_count(db), kept);
    lss_db_close(db);
    /* a read-only handle cannot be generated into */
    unlink(p);
    db = open_journal(p, LSS_SYNC_OFF);
    lss_db_close(db);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    assert_int_equal(lss_db_open(&db, p, &o), LSS_OK);
    assert_status_msg(db, lss_generate(db, NULL), LSS_MISUSE, "read-only");
    assert_int_equal(lss_db_event_count(db), 0);
    lss_db_close(db);
}

/* ---- one writer ------------------------------------------------------------------- */

static void test_one_writer_per_file(void **state)
{
    (void)state;
    const char *p = path_of("lock.lss");
    lss_db *a = open_journal(p, LSS_SYNC_FULL), *b = NULL;
    char me[64];
    snprintf(me, sizeof me, "open for writing by process %ld", (long)getpid());
    assert_status_msg(NULL, lss_db_open(&b, p, NULL), LSS_LOCKED, me);
    assert_null(b);
    /* readers open beside the writer: they take no lock */
    lss_open_options ro = LSS_OPEN_OPTIONS_INIT;
    ro.flags = LSS_OPEN_READ_ONLY;
    assert_int_equal(lss_db_open(&b, p, &ro), LSS_OK);
    lss_db_close(b);
    /* another process */
    pid_t pid = fork();
    if (pid == 0) {
        lss_db *c = NULL;
        _exit(lss_db_open(&c, p, NULL));
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), LSS_LOCKED);
    lss_db_close(a);
    /* the other way round: a child holds it, and lets go after 300 ms */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        lss_db *c = NULL;
        char ok = lss_db_open(&c, p, NULL) == LSS_OK ? 'y' : 'n';
        if (write(fds[1], &ok, 1) != 1)
            _exit(2);
        struct timespec ts = { 0, 300 * 1000000L };
        nanosleep(&ts, NULL);
        lss_db_close(c);
        _exit(0);
    }
    char ok = 0;
    assert_int_equal(read(fds[0], &ok, 1), 1);
    assert_int_equal(ok, 'y');
    char child[64];
    snprintf(child, sizeof child, "open for writing by process %ld", (long)pid);
    assert_status_msg(NULL, lss_db_open(&b, p, NULL), LSS_LOCKED, child);
    /* a busy timeout shorter than the wait fails after it; a longer one gets the file */
    lss_open_options wait = LSS_OPEN_OPTIONS_INIT;
    wait.busy_timeout_ms = 50;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_status_msg(NULL, lss_db_open(&b, p, &wait), LSS_LOCKED, child, "waited the busy timeout");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 50);
    wait.busy_timeout_ms = 5000;
    assert_int_equal(lss_db_open(&b, p, &wait), LSS_OK);
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(fds[0]);
    close(fds[1]);
    lss_db_close(b);
    /* a killed holder's lock dies with it */
    pid = fork();
    if (pid == 0) {
        lss_db *c = NULL;
        if (lss_db_open(&c, p, NULL) != LSS_OK)
            _exit(2);
        pause();
        _exit(0);
    }
    wait.busy_timeout_ms = 5000;
    struct timespec ts = { 0, 100 * 1000000L };
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    assert_int_equal(lss_db_open(&b, p, &wait), LSS_OK);
    /* readers share, with the writer too */
    lss_db *r1 = NULL, *r2 = NULL;
    assert_int_equal(lss_db_open(&r1, p, &ro), LSS_OK);
    assert_int_equal(lss_db_open(&r2, p, &ro), LSS_OK);
    lss_db_close(b);
    assert_int_equal(lss_db_open(&b, p, NULL), LSS_OK);
    lss_db_close(b);
    lss_db_close(r1);
    lss_db_close(r2);
}

/* ---- compaction while another process opens ---------------------------------------- */

/* The flock hook of the opening process: before it takes the lock, the
 * process that holds the journal compacts it (renaming a new file over the
 * path) and exits, releasing the old file's lock. */
static int race_to_child = -1, race_from_child = -1;
static int flock_after_compaction(int fd, int op)
{
    if (race_to_child >= 0) {
        char c = 'g';
        assert_int_equal(write(race_to_child, &c, 1), 1);
        assert_int_equal(read(race_from_child, &c, 1), 1); /* compacted and closed */
        assert_int_equal(c, 'c');
        close(race_to_child);
        race_to_child = -1;
    }
    return flock(fd, op);
}

static void test_compaction_by_another_process_loses_no_acknowledged_write(void **state)
{
    (void)state;
    const char *p = path_of("race.lss");
    unlink(p);
    lss_db *db = prepared("race.lss", LSS_SYNC_FULL);
    lss_db_close(db);
    int go[2], done[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    pid_t pid = fork();
    if (pid == 0) {
        lss_db *c = NULL;
        char x;
        if (lss_db_open(&c, p, NULL) != LSS_OK || write(done[1], "o", 1) != 1 || read(go[0], &x, 1) != 1 ||
            lss_db_compact(c) != LSS_OK)
            _exit(1);
        lss_db_close(c);
        _exit(write(done[1], "c", 1) == 1 ? 0 : 1);
    }
    char x;
    assert_int_equal(read(done[0], &x, 1), 1); /* the child holds the journal */
    assert_int_equal(x, 'o');
    race_to_child = go[1];
    race_from_child = done[0];
    lss__io_ops.flock = flock_after_compaction;
    lss_db *b = NULL;
    lss_status st = lss_db_open(&b, p, NULL);
    lss__io_ops = lss__io_posix;
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(st, LSS_OK);
    /* acknowledged (full sync): it must be in the file the path names */
    assert_int_equal(lss_customer_add(NULL, b, 20, "late", "Late", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    uint64_t n = lss_db_event_count(b);
    lss_db_close(b);
    lss_db *re = open_journal(p, LSS_SYNC_FULL);
    assert_int_equal(lss_db_event_count(re), n);
    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, re, "late"), LSS_OK);
    lss_db_close(re);
    close(go[0]);
    close(done[0]);
    close(done[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_killed_writer_loses_nothing_it_acknowledged),
        cmocka_unit_test(test_failed_write_poisons_and_changes_nothing),
        cmocka_unit_test(test_failed_fdatasync_poisons),
        cmocka_unit_test(test_failed_commit_keeps_nothing_of_the_transaction),
        cmocka_unit_test(test_compaction_faults),
        cmocka_unit_test(test_sync_modes),
        cmocka_unit_test(test_creating_a_journal_reports_io_errors),
        cmocka_unit_test(test_one_writer_per_file),
        cmocka_unit_test(test_compaction_by_another_process_loses_no_acknowledged_write),
        cmocka_unit_test(test_interrupted_and_short_writes_are_continued),
        cmocka_unit_test(test_lock_cut_and_header_faults),
        cmocka_unit_test(test_compaction_write_faults_leave_the_journal),
        cmocka_unit_test(test_generate_and_import_stop_at_io_errors),
        cmocka_unit_test(test_sync_create_and_cut_faults),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
