/* Checkpoints: an open from a checkpoint (and the journal after it) gives
 * exactly the state of a full replay; a checkpoint that is damaged, stale,
 * of another format or not ours is left aside, with a note, and the journal
 * replayed; a writer killed while writing one loses nothing; compaction
 * leaves no erased text in a checkpoint; a file that is not a checkpoint is
 * never overwritten. */
#define _GNU_SOURCE 1
#include "randevents.h"
#include "db/checkpoint.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVENTS 1500

static ev evs[EVENTS];

static void make_events(void)
{
    rng r = { 4242 };
    rand_events(evs, EVENTS, &r);
}

static lss_db *open_with(const char *path, unsigned flags, uint64_t every)
{
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.pipeline = LSS_PIPELINE_LENIENT;
    o.sync = LSS_SYNC_OFF;
    o.flags = flags;
    o.checkpoint_bytes = every;
    lss_db *db = NULL;
    lss_status st = lss_db_open(&db, path, &o);
    if (st != LSS_OK)
        fail_msg("open %s: %s: %s", path, lss_status_name(st), lss_errmsg());
    return db;
}

/* A journal of the team and events [0, n) (no automatic checkpoint). */
static void write_journal(const char *path, int from, int to)
{
    lss_db *db = open_with(path, 0, 0);
    if (from == 0)
        rand_team(db);
    for (int i = from; i < to; i++)
        rand_apply(db, &evs[i]);
    lss_db_close(db);
}

static char *ck_path(const char *path)
{
    static char p[400];
    snprintf(p, sizeof p, "%s.checkpoint", path);
    return p;
}

static void checkpoint(const char *path)
{
    lss_db *db = open_with(path, 0, 0);
    assert_int_equal(lss_db_checkpoint(db), LSS_OK);
    lss_db_close(db);
}

/* The full state of the journal replayed from the start. */
static char *replayed(const char *path)
{
    lss_db *db = open_with(path, LSS_OPEN_READ_ONLY | LSS_OPEN_NO_CHECKPOINT, 0);
    lss_recovery rec;
    assert_int_equal(lss_db_recovery(&rec, db), LSS_OK);
    assert_int_equal(rec.checkpoint_events, 0);
    char *d = dump(db);
    lss_db_close(db);
    return d;
}

/* Open read-only (the file stays as it is); its recovery in *rec; the
 * state must be the full replay's. */
static void open_equals_replay(const char *path, lss_recovery *rec)
{
    char *want = replayed(path);
    lss_db *db = open_with(path, LSS_OPEN_READ_ONLY, 0);
    assert_int_equal(lss_db_recovery(rec, db), LSS_OK);
    char *got = dump(db);
    if (strcmp(want, got) != 0)
        fail_msg("the state opened (checkpoint events %llu, note \"%s\") is not the journal replayed",
                 (unsigned long long)rec->checkpoint_events, rec->checkpoint_note);
    assert_int_equal(lss_db_verify_state(db), LSS_OK);
    free(want);
    free(got);
    lss_db_close(db);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static unsigned char *slurp(const char *path, long *n)
{
    *n = file_size(path);
    assert_true(*n >= 0);
    unsigned char *b = malloc((size_t)*n + 1);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(b, 1, (size_t)*n, f), (size_t)*n);
    fclose(f);
    return b;
}

static void spit(const char *path, const unsigned char *b, long n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
}

/* A journal of evs[0, events) at p with a checkpoint: the checkpoint's
 * path into ck, its bytes (n of them, to free) returned. */
static unsigned char *checkpointed(const char *p, int events, char ck[400], long *n)
{
    write_journal(p, 0, events);
    checkpoint(p);
    snprintf(ck, 400, "%s", ck_path(p));
    return slurp(ck, n);
}

/* ---- the round trip -------------------------------------------------------- */

static void test_open_from_a_checkpoint_is_the_full_replay(void **state)
{
    (void)state;
    const char *p = tmp_path("round.lss");
    write_journal(p, 0, EVENTS);
    checkpoint(p);
    assert_true(file_size(ck_path(p)) > 0);
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_true(rec.checkpoint_events > 500);
    assert_int_equal(rec.events, 0);
    assert_string_equal(rec.checkpoint_note, "");
    assert_int_equal(rec.last_seq, rec.checkpoint_events);
    /* reports too, as of now and of a past moment */
    lss_db *a = open_with(p, LSS_OPEN_READ_ONLY, 0), *b = open_with(p, LSS_OPEN_READ_ONLY | LSS_OPEN_NO_CHECKPOINT, 0);
    lss_query q = LSS_QUERY_INIT;
    q.from = 0;
    q.to = 5000;
    for (int k = 0; k < 2; k++, q.to = 3000) {
        lss_report *ra, *rb;
        char *ja, *jb;
        assert_int_equal(lss_report_run(&ra, a, &q), LSS_OK);
        assert_int_equal(lss_report_run(&rb, b, &q), LSS_OK);
        assert_int_equal(lss_report_render(&ja, NULL, ra, LSS_REPORT_JSON), LSS_OK);
        assert_int_equal(lss_report_render(&jb, NULL, rb, LSS_REPORT_JSON), LSS_OK);
        assert_string_equal(ja, jb);
        lss_free(ja);
        lss_free(jb);
        lss_report_free(ra);
        lss_report_free(rb);
    }
    lss_db_close(a);
    lss_db_close(b);
}

/* The copy on a second thread writes exactly the file the copy on one
 * thread writes. */
static void test_the_copy_on_two_threads_writes_the_same_file(void **state)
{
    (void)state;
    const char *p = tmp_path("threads.lss");
    write_journal(p, 0, EVENTS);
    long n1, n2;
    lss__ckpt_check_thread_min = SIZE_MAX;
    checkpoint(p);
    unsigned char *one = slurp(ck_path(p), &n1);
    lss__ckpt_check_thread_min = 0;
    checkpoint(p);
    unsigned char *two = slurp(ck_path(p), &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(one, two, (size_t)n1);
    lss_recovery rec;
    open_equals_replay(p, &rec); /* loaded on two threads too */
    assert_true(rec.checkpoint_events > 500);
    lss__ckpt_check_thread_min = (size_t)1 << 20;
    free(one);
    free(two);
}

static void test_the_journal_after_a_checkpoint_is_replayed(void **state)
{
    (void)state;
    const char *p = tmp_path("tail.lss");
    write_journal(p, 0, EVENTS / 2);
    checkpoint(p);
    /* a writer that does not checkpoint appends, with transactions; then one with version 1 options */
    lss_db *db = open_with(p, 0, 0);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    for (int i = EVENTS / 2; i < EVENTS / 2 + 40; i++)
        rand_apply(db, &evs[i]);
    assert_int_equal(lss_tx_commit(db), LSS_OK);
    for (int i = EVENTS / 2 + 40; i < EVENTS * 3 / 4; i++)
        rand_apply(db, &evs[i]);
    lss_recovery rec;
    assert_int_equal(lss_db_recovery(&rec, db), LSS_OK);
    uint64_t from_ck = rec.checkpoint_events;
    assert_true(from_ck > 0);
    lss_db_close(db);
    lss_open_options v1;
    assert_int_equal(lss_open_options_init(&v1, 1), LSS_OK);
    v1.pipeline = LSS_PIPELINE_LENIENT;
    assert_int_equal(lss_db_open(&db, p, &v1), LSS_OK);
    for (int i = EVENTS * 3 / 4; i < EVENTS; i++)
        rand_apply(db, &evs[i]);
    uint64_t total = lss_db_event_count(db);
    lss_db_close(db);

    open_equals_replay(p, &rec);
    assert_int_equal(rec.checkpoint_events, from_ck);
    assert_int_equal(rec.checkpoint_events + rec.events, total);
    assert_int_equal(rec.last_seq, total);
    assert_string_equal(rec.checkpoint_note, "");
    /* a torn tail after the checkpoint is cut as without one */
    long n;
    unsigned char *b = slurp(p, &n);
    spit(p, b, n - 3);
    free(b);
    open_equals_replay(p, &rec);
    assert_int_equal(rec.checkpoint_events, from_ck);
    assert_true(rec.bytes_dropped > 0);
    assert_int_equal(rec.checkpoint_events + rec.events, total - 1);
}

/* ---- what is left aside ------------------------------------------------------ */

static void expect_left_aside(const char *p, const char *why)
{
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_int_equal(rec.checkpoint_events, 0);
    if (strstr(rec.checkpoint_note, "checkpoint ignored: ") != rec.checkpoint_note ||
        strstr(rec.checkpoint_note, why) == NULL || strstr(rec.checkpoint_note, "the whole journal was replayed") == NULL)
        fail_msg("note \"%s\" does not say \"%s\"", rec.checkpoint_note, why);
}

static void test_every_bit_flip_leaves_the_checkpoint_aside(void **state)
{
    (void)state;
    const char *p = tmp_path("flip.lss");
    char ck[400];
    long n;
    unsigned char *good = checkpointed(p, 300, ck, &n);
    char *want = replayed(p);
    int tried = 0;
    for (long i = 0; i < n; i += i < 600 ? 1 : 37) { /* every byte of the header, then a sample */
        lss__ckpt_check_thread_min = i % 2 ? 0 : SIZE_MAX; /* the check on a second thread, or inline */
        good[i] ^= (unsigned char)(1u << (i % 8));
        spit(ck, good, n);
        good[i] ^= (unsigned char)(1u << (i % 8));
        lss_db *db = open_with(p, LSS_OPEN_READ_ONLY, 0);
        lss_recovery rec;
        lss_db_recovery(&rec, db);
        char *got = dump(db);
        if (rec.checkpoint_events != 0 || strstr(rec.checkpoint_note, "checkpoint ignored") == NULL)
            fail_msg("a flipped bit at byte %ld of %ld was not noticed", i, n);
        if (strcmp(got, want) != 0)
            fail_msg("a flipped bit at byte %ld gave another state", i);
        free(got);
        lss_db_close(db);
        tried++;
    }
    assert_true(tried > 600);
    spit(ck, good, n); /* and the good one is used again */
    lss__ckpt_check_thread_min = (size_t)1 << 20;
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_true(rec.checkpoint_events > 0);
    free(good);
    free(want);
}

/* Put a u32 into the checkpoint's header and fix the header's checksum, as a
 * writer of that value would have. */
static void patch_header(const char *ck, long at, uint32_t v)
{
    long n;
    unsigned char *b = slurp(ck, &n);
    lss__put_u32(b + at, v);
    long head = 56 + 25 * 24 + 4;
    lss__put_u32(b + head - 4, lss__crc_mask(lss__crc32c(0, b, (size_t)head - 4)));
    spit(ck, b, n);
    free(b);
}

static void test_another_format_or_build_is_left_aside(void **state)
{
    (void)state;
    const char *p = tmp_path("format.lss");
    char ck[400];
    long n;
    unsigned char *good = checkpointed(p, 300, ck, &n);
    patch_header(ck, 8, 0); /* an older format version */
    expect_left_aside(p, "another format version");
    spit(ck, good, n);
    patch_header(ck, 12, 0x12345678u); /* another memory layout */
    expect_left_aside(p, "another build of the library");
    spit(ck, good, n);
    /* cut short */
    spit(ck, good, n / 2);
    expect_left_aside(p, "cut short");
    free(good);
}

/* Change the word at `field` of record `id` (of `elem` bytes) in section
 * `sec` to v, with the section's and the header's checksums fixed, as a
 * file written that way would be. */
static void patch_record(const char *ck, int sec, size_t elem, uint32_t id, size_t field, uintptr_t v)
{
    long n;
    unsigned char *b = slurp(ck, &n);
    long head = 56 + 25 * 24 + 4, off = head;
    for (int s = 0; s < sec; s++)
        off += (long)lss__get_u64(b + 56 + s * 24 + 8);
    long len = (long)lss__get_u64(b + 56 + sec * 24 + 8);
    assert_true((long)((id + 1) * elem) <= len);
    memcpy(b + off + (long)(id * elem) + (long)field, &v, sizeof v);
    lss__put_u32(b + 56 + sec * 24 + 16, lss__crc_mask(lss__crc32c(0, b + off, (size_t)len)));
    lss__put_u32(b + head - 4, lss__crc_mask(lss__crc32c(0, b, (size_t)head - 4)));
    spit(ck, b, n);
    free(b);
}

/* Patch the record as patch_record does, expect the checkpoint left aside
 * for `why`, and put back the good file (`good`, n bytes). */
static void patched_aside(const char *p, const char *ck, const unsigned char *good, long n, int sec, size_t elem,
                          uint32_t id, size_t field, uintptr_t v, const char *why)
{
    patch_record(ck, sec, elem, id, field, v);
    expect_left_aside(p, why);
    spit(ck, good, n);
}

static void test_codes_that_lead_nowhere_are_refused(void **state)
{
    (void)state;
    const char *p = tmp_path("codes.lss");
    char ck[400];
    long n;
    unsigned char *good = checkpointed(p, 600, ck, &n);
    lss_db *db = open_with(p, LSS_OPEN_READ_ONLY, 0);
    assert_true(lss_deal_count(db) > 3 && lss_ticket_count(db) > 1);
    const lss_deal *d0, *dj = NULL;
    assert_int_equal(lss_deal_by_id(&d0, db, 0), LSS_OK);
    uint32_t c0 = lss_customer_id(lss_deal_customer(d0)), j = 1;
    for (; j < lss_deal_count(db); j++) { /* a deal of another customer */
        assert_int_equal(lss_deal_by_id(&dj, db, j), LSS_OK);
        if (lss_customer_id(lss_deal_customer(dj)) != c0)
            break;
    }
    assert_true(j < lss_deal_count(db));
    lss_db_close(db);
    for (int threaded = 0; threaded < 2; threaded++) {
        lss__ckpt_check_thread_min = threaded ? 0 : SIZE_MAX;
        /* a deal whose next is another customer's deal; a customer with deals and no last one */
        patched_aside(p, ck, good, n, 8, sizeof(lss_deal), 0, offsetof(lss_deal, next_of_customer), (uintptr_t)j + 1,
                      "a customer's list of deals, tickets or activities is broken");
        patched_aside(p, ck, good, n, 6, sizeof(lss_customer), c0, offsetof(lss_customer, last_deal), 0,
                      "a customer's list of deals, tickets or activities is broken");
        /* a ticket of a customer that does not exist */
        patched_aside(p, ck, good, n, 11, sizeof(lss_ticket), 0, offsetof(lss_ticket, customer), 1u << 30,
                      "checkpoint ignored");
        /* a deal's owner out of range; a text beyond the texts */
        patched_aside(p, ck, good, n, 8, sizeof(lss_deal), 0, offsetof(lss_deal, owner), 999,
                      "names something that is not there");
        patched_aside(p, ck, good, n, 8, sizeof(lss_deal), 0, offsetof(lss_deal, title), (uintptr_t)1 << 40,
                      "names something that is not there");
    }
    lss__ckpt_check_thread_min = (size_t)1 << 20;
    free(good);
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_true(rec.checkpoint_events > 0);
}

/* A deal's or ticket's first and latest times must be its history's first
 * and latest entries': the report subtracts the ones from the others. A
 * checkpoint whose deal opens at INT64_MIN + 1 (what fuzz_checkpoint found:
 * the derivation of its changes of stage then overflowed, and the report's
 * stage durations would have) is left aside, and the journal replayed. */
static void test_a_record_whose_times_are_not_its_history_s_is_left_aside(void **state)
{
    (void)state;
    const char *p = tmp_path("far.lss");
    char ck[400];
    long n;
    unsigned char *good = checkpointed(p, 600, ck, &n);
    lss_db *db = open_with(p, LSS_OPEN_READ_ONLY, 0);
    uint32_t id = 0;
    const lss_deal *d = NULL;
    for (; id < lss_deal_count(db); id++) { /* a deal that changed stage */
        assert_int_equal(lss_deal_by_id(&d, db, id), LSS_OK);
        if (lss_deal_stage(d) != LSS_STAGE_PROSPECT)
            break;
    }
    assert_true(id < lss_deal_count(db));
    lss_db_close(db);
    patched_aside(p, ck, good, n, 8, sizeof(lss_deal), id, offsetof(lss_deal, opened_at), (uintptr_t)INT64_MIN + 1u,
                  "holds a value out of range");
    patched_aside(p, ck, good, n, 8, sizeof(lss_deal), id, offsetof(lss_deal, last_at), (uintptr_t)1 << 40,
                  "holds a value out of range");
    patched_aside(p, ck, good, n, 11, sizeof(lss_ticket), 0, offsetof(lss_ticket, opened_at), 0,
                  "holds a value out of range");
    free(good);
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_true(rec.checkpoint_events > 0);
}

static void test_a_stale_checkpoint_is_left_aside_and_cleared_by_a_writer(void **state)
{
    (void)state;
    const char *p = tmp_path("stale.lss");
    write_journal(p, 0, 600);
    checkpoint(p);
    char ck[400];
    snprintf(ck, sizeof ck, "%s", ck_path(p));
    long jn, cn;
    unsigned char *journal = slurp(p, &jn), *ckb = slurp(ck, &cn);
    /* the journal restored from an older copy: shorter than the checkpoint covers */
    write_journal(p, 600, 700);
    checkpoint(p);
    long jn2;
    unsigned char *longer = slurp(p, &jn2);
    spit(p, journal, jn);
    expect_left_aside(p, "covers more of the journal than the file holds");
    /* the same length, other bytes before the position (the journal of another history) */
    spit(p, longer, jn2);
    unsigned char *ck2 = slurp(ck, &cn);
    unlink(p);
    write_journal(p, 0, 700); /* a new salt */
    expect_left_aside(p, "belongs to another journal");
    /* a writer opening it clears the stale checkpoint away */
    lss_db *db = open_with(p, 0, 0);
    assert_true(file_size(ck) < 0);
    lss_db_close(db);
    free(journal);
    free(ckb);
    free(longer);
    free(ck2);
}

static void test_a_journal_that_differs_before_the_position_is_noticed(void **state)
{
    (void)state;
    const char *p = tmp_path("differs.lss");
    write_journal(p, 0, 400);
    checkpoint(p);
    /* change one byte of a string in the last record before the position, with its checksum fixed, so that only the
       checkpoint's tail checksum can tell */
    long n;
    unsigned char *b = slurp(p, &n);
    long off = LSS__J_HEADER, last = LSS__J_HEADER;
    while (off < n) {
        last = off;
        off += 24 + (long)lss__get_u32(b + off + 4);
    }
    assert_int_equal(off, n);
    uint32_t len = lss__get_u32(b + last + 4);
    b[last + 24 + 0] ^= 1; /* the event's time: another history, still a valid record */
    lss__put_u32(b + last, lss__crc_mask(lss__crc32c(0, b + last + 4, 20 + len)));
    spit(p, b, n);
    free(b);
    lss_recovery rec;
    lss_db *db = NULL;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.pipeline = LSS_PIPELINE_LENIENT;
    o.flags = LSS_OPEN_READ_ONLY;
    if (lss_db_open(&db, p, &o) == LSS_OK) { /* the changed event may no longer apply: then the open fails */
        lss_db_recovery(&rec, db);
        assert_int_equal(rec.checkpoint_events, 0);
        assert_non_null(strstr(rec.checkpoint_note, "is not the one it was taken from"));
        lss_db_close(db);
    } else {
        assert_non_null(strstr(lss_errmsg(), "does not apply"));
    }
}

static void test_a_file_that_is_not_a_checkpoint_is_never_overwritten(void **state)
{
    (void)state;
    const char *p = tmp_path("notours.lss");
    write_journal(p, 0, 200);
    char ck[400], tmp[420];
    snprintf(ck, sizeof ck, "%s", ck_path(p));
    snprintf(tmp, sizeof tmp, "%s.tmp", ck);
    static const unsigned char notes[] = "my own notes, not a checkpoint\n";
    spit(ck, notes, (long)sizeof notes - 1);
    lss_db *db = open_with(p, 0, 0);
    lss_recovery rec;
    lss_db_recovery(&rec, db);
    assert_non_null(strstr(rec.checkpoint_note, "not a checkpoint"));
    assert_status_msg(db, lss_db_checkpoint(db), LSS_IO, "is not a checkpoint; it is left as it is");
    lss_db_close(db);
    long n;
    unsigned char *b = slurp(ck, &n);
    assert_int_equal(n, (long)sizeof notes - 1);
    assert_memory_equal(b, notes, (size_t)n);
    free(b);
    /* nor its temporary file */
    unlink(ck);
    spit(tmp, notes, (long)sizeof notes - 1);
    db = open_with(p, 0, 0);
    assert_status_msg(db, lss_db_checkpoint(db), LSS_IO, "checkpoint.tmp", "is not a checkpoint");
    lss_db_close(db);
    b = slurp(tmp, &n);
    assert_memory_equal(b, notes, (size_t)n);
    free(b);
    assert_true(file_size(ck) < 0);
    unlink(tmp);
}

static void test_misuse(void **state)
{
    (void)state;
    assert_int_equal(lss_db_checkpoint(NULL), LSS_INVALID);
    assert_int_equal(lss_db_verify_state(NULL), LSS_INVALID);
    lss_db *mem = open_db(LSS_PIPELINE_STRICT);
    assert_status_msg(mem, lss_db_checkpoint(mem), LSS_MISUSE, "in-memory");
    assert_status_msg(mem, lss_db_verify_state(mem), LSS_MISUSE, "in-memory");
    lss_db_close(mem);
    const char *p = tmp_path("misuse.lss");
    write_journal(p, 0, 50);
    lss_db *ro = open_with(p, LSS_OPEN_READ_ONLY, 0);
    assert_status_msg(ro, lss_db_checkpoint(ro), LSS_MISUSE, "read-only");
    assert_int_equal(lss_db_verify_state(ro), LSS_OK); /* a reader may verify */
    lss_db_close(ro);
    lss_db *db = open_with(p, 0, 0);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_status_msg(db, lss_db_checkpoint(db), LSS_MISUSE, "a transaction is open");
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_int_equal(lss_db_checkpoint(db), LSS_OK);
    assert_int_equal(lss_db_verify_state(db), LSS_OK);
    lss_db_close(db);
    /* an internal flag is not an option */
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS__OPEN_UNLOCKED;
    assert_status_msg(NULL, lss_db_open(&db, p, &o), LSS_INVALID, "unknown flags");
}

/* ---- writers ------------------------------------------------------------------ */

static void test_a_writer_checkpoints_by_itself(void **state)
{
    (void)state;
    const char *p = tmp_path("auto.lss");
    unlink(p);
    lss_db *db = open_with(p, 0, 8192);
    rand_team(db);
    for (int i = 0; i < EVENTS; i++)
        rand_apply(db, &evs[i]);
    uint64_t n = lss_db_event_count(db);
    lss_db_close(db);
    assert_true(file_size(ck_path(p)) > 0);
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_true(rec.checkpoint_events > 0);
    assert_int_equal(rec.checkpoint_events + rec.events, n);
    /* the default threshold (64 MiB) writes none for a small journal */
    const char *q = tmp_path("auto-default.lss");
    unlink(q);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    assert_int_equal(o.checkpoint_bytes, LSS_CHECKPOINT_BYTES_DEFAULT);
    o.pipeline = LSS_PIPELINE_LENIENT;
    assert_int_equal(lss_db_open(&db, q, &o), LSS_OK);
    rand_team(db);
    for (int i = 0; i < 200; i++)
        rand_apply(db, &evs[i]);
    lss_db_close(db);
    assert_true(file_size(ck_path(q)) < 0);
}

static void test_compaction_leaves_no_erased_text_in_a_checkpoint(void **state)
{
    (void)state;
    const char *p = tmp_path("erase.lss");
    unlink(p);
    lss_db *db = open_with(p, 0, 0);
    assert_int_equal(lss_customer_add(NULL, db, 10, "c-secret", "Zebulon Quux", "zq@example.org", "Quuxcorp",
                                      "smb", LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 11, "c-other", "Other", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_db_checkpoint(db), LSS_OK);
    long n;
    unsigned char *b = slurp(ck_path(p), &n);
    assert_non_null(memmem(b, (size_t)n, "Zebulon", 7));
    free(b);
    assert_int_equal(lss_customer_erase(db, 20, "c-secret"), LSS_OK);
    assert_int_equal(lss_db_compact(db), LSS_OK);
    assert_true(file_size(ck_path(p)) < 0); /* the old checkpoint is gone */
    assert_int_equal(lss_db_checkpoint(db), LSS_OK);
    lss_db_close(db);
    const char *files[] = { p, ck_path(p) };
    for (int k = 0; k < 2; k++) {
        b = slurp(files[k], &n);
        assert_null(memmem(b, (size_t)n, "Zebulon", 7));
        assert_null(memmem(b, (size_t)n, "Quuxcorp", 8));
        free(b);
    }
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_true(rec.checkpoint_events > 0);
}

/* The child: append events and write checkpoints, over and over, until it
 * is killed. */
static void checkpointer(const char *path)
{
    lss_db *db = open_with(path, 0, 0);
    int i = 0;
    for (;;) {
        for (int k = 0; k < 20; k++, i = (i + 1) % EVENTS)
            rand_apply(db, &evs[i]);
        if (lss_db_checkpoint(db) != LSS_OK)
            _exit(3);
    }
}

static void test_a_writer_killed_while_checkpointing_loses_nothing(void **state)
{
    (void)state;
    const char *p = tmp_path("killed.lss");
    unlink(p);
    unlink(ck_path(p));
    write_journal(p, 0, EVENTS);
    rng r = { 7 };
    int used = 0, runs = 30;
    for (int run = 0; run < runs; run++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            checkpointer(p);
        struct timespec ts = { 0, (long)(2 + rng_pick(&r, 40)) * 1000000L };
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status))
            fail_msg("run %d: the checkpointer exited with %d", run, WEXITSTATUS(status));
        lss_recovery rec;
        open_equals_replay(p, &rec);
        used += rec.checkpoint_events > 0;
    }
    assert_true(used > runs / 2); /* most opens came from a checkpoint */
}

/* ---- failures ---------------------------------------------------------------- */

static int eio_fdatasync(int fd)
{
    (void)fd;
    errno = EIO;
    return -1;
}
static int fail_rename(const char *a, const char *b)
{
    (void)a, (void)b;
    errno = EACCES;
    return -1;
}

static void test_a_failed_write_keeps_the_previous_checkpoint(void **state)
{
    (void)state;
    const char *p = tmp_path("iofail.lss");
    char ck[400];
    long n;
    unsigned char *before = checkpointed(p, 300, ck, &n);
    lss_db *db = open_with(p, 0, 0);
    for (int i = 300; i < 400; i++)
        rand_apply(db, &evs[i]);
    assert_int_equal(lss_db_sync(db), LSS_OK);
    lss__io_ops.rename = fail_rename;
    assert_status_msg(db, lss_db_checkpoint(db), LSS_IO, "cannot rename");
    lss__io_ops.rename = lss__io_posix.rename;
    long m;
    unsigned char *after = slurp(ck, &m);
    assert_int_equal(m, n);
    assert_memory_equal(before, after, (size_t)n);
    free(after);
    char tmp[420];
    snprintf(tmp, sizeof tmp, "%s.tmp", ck);
    assert_true(file_size(tmp) < 0); /* the temporary file is cleaned away */
    /* a failed fdatasync (the journal's, first) is reported and not believed */
    lss__io_ops.fdatasync = eio_fdatasync;
    assert_int_equal(lss_db_checkpoint(db), LSS_IO);
    lss__io_ops.fdatasync = lss__io_posix.fdatasync;
    lss_db_close(db);
    after = slurp(ck, &m);
    assert_memory_equal(before, after, (size_t)n);
    free(after);
    free(before);
    lss_recovery rec;
    open_equals_replay(p, &rec);
}

static void test_out_of_memory_while_loading_or_writing_is_clean(void **state)
{
    (void)state;
    const char *p = tmp_path("oom.lss");
    write_journal(p, 0, 400);
    checkpoint(p);
    char *want = replayed(p);
    fail_alloc_install();
    int failed = 0;
    for (long nth = 1;; nth++) {
        fail_alloc_arm(nth);
        lss_db *db = NULL;
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        o.pipeline = LSS_PIPELINE_LENIENT;
        o.flags = LSS_OPEN_READ_ONLY;
        lss_status st = lss_db_open(&db, p, &o);
        int fired = fail_alloc_fired();
        fail_alloc_arm(0);
        if (st == LSS_OK) {
            char *got = dump(db);
            assert_string_equal(got, want);
            free(got);
            lss_db_close(db);
            if (!fired)
                break;
        } else {
            assert_int_equal(st, LSS_NOMEM);
            assert_null(db);
            failed++;
        }
        assert_int_equal(fail_alloc_live(), 0);
    }
    assert_true(failed > 10);
    /* and while taking the copy */
    lss_db *db = open_with(p, 0, 0);
    long before = fail_alloc_live();
    for (long nth = 1; nth < 200; nth++) {
        fail_alloc_arm(nth);
        lss_status st = lss_db_checkpoint(db);
        int fired = fail_alloc_fired();
        fail_alloc_arm(0);
        assert_true(st == LSS_OK || st == LSS_NOMEM);
        assert_int_equal(fail_alloc_live(), before);
        if (!fired)
            break;
    }
    lss_db_close(db);
    fail_alloc_uninstall();
    free(want);
    lss_recovery rec;
    open_equals_replay(p, &rec);
    assert_true(rec.checkpoint_events > 0);
}

int main(void)
{
    make_events();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_from_a_checkpoint_is_the_full_replay),
        cmocka_unit_test(test_the_copy_on_two_threads_writes_the_same_file),
        cmocka_unit_test(test_the_journal_after_a_checkpoint_is_replayed),
        cmocka_unit_test(test_every_bit_flip_leaves_the_checkpoint_aside),
        cmocka_unit_test(test_another_format_or_build_is_left_aside),
        cmocka_unit_test(test_codes_that_lead_nowhere_are_refused),
        cmocka_unit_test(test_a_record_whose_times_are_not_its_history_s_is_left_aside),
        cmocka_unit_test(test_a_stale_checkpoint_is_left_aside_and_cleared_by_a_writer),
        cmocka_unit_test(test_a_journal_that_differs_before_the_position_is_noticed),
        cmocka_unit_test(test_a_file_that_is_not_a_checkpoint_is_never_overwritten),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_a_writer_checkpoints_by_itself),
        cmocka_unit_test(test_compaction_leaves_no_erased_text_in_a_checkpoint),
        cmocka_unit_test(test_a_writer_killed_while_checkpointing_loses_nothing),
        cmocka_unit_test(test_a_failed_write_keeps_the_previous_checkpoint),
        cmocka_unit_test(test_out_of_memory_while_loading_or_writing_is_clean),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
