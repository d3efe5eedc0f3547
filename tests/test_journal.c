#define _GNU_SOURCE 1 /* memmem */
/* Durability: the journal replays to the same database; a cut at any byte
 * reopens to the longest complete prefix; flipped bits are never applied;
 * transactions survive all or none; erasure and compaction. The crash,
 * I/O-fault and lock tests are in test_crash.c. */
#include "randevents.h"
#include "db/db.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define path_of tmp_path



static char *report(lss_db *db)
{
    lss_report *r;
    char *out;
    lss_query q = LSS_QUERY_INIT;
    q.to = 1000000; /* after every event of these tests, and the same whatever came last */
    assert_int_equal(lss_report_run(&r, db, &q), LSS_OK);
    assert_int_equal(lss_report_render(&out, NULL, r, LSS_REPORT_JSON), LSS_OK);
    lss_report_free(r);
    return out;
}

static void assert_same(lss_db *a, lss_db *b)
{
    /* the derived stays of each deal (what the report reads for stage durations) are its history's */
    const lss_deal *wa = lss__deal_stays_wrong(a), *wb = lss__deal_stays_wrong(b);
    if (wa || wb)
        fail_msg("deal \"%s\": its stays are not its history's", wa ? wa->key : wb->key);
    char *da = dump(a), *db_ = dump(b);
    if (strcmp(da, db_) != 0)
        fail_msg("databases differ:\n--- a\n%s\n--- b\n%s", da, db_);
    free(da);
    free(db_);
    char *ra = report(a), *rb = report(b);
    assert_string_equal(ra, rb);
    lss_free(ra);
    lss_free(rb);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(*n + 1);
    assert_int_equal(fread(p, 1, *n, f), *n);
    fclose(f);
    return p;
}

static void write_all_file(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* Record end offsets of a journal (the test reads the documented format). */
static size_t record_ends(const unsigned char *p, size_t n, size_t *ends, size_t max)
{
    size_t k = 0, off = LSS__J_HEADER;
    while (off + LSS__J_RECORD <= n && k < max) {
        off += LSS__J_RECORD + lss__get_u32(p + off + 4);
        ends[k++] = off;
    }
    return k;
}

/* ---- replay --------------------------------------------------------------- */

static void test_reopen_gives_the_same_database(void **state)
{
    (void)state;
    static ev evs[600];
    for (uint64_t seed = 1; seed <= 4; seed++) {
        rng r = { seed * 0x9E3779B97F4A7C15u };
        rand_events(evs, 600, &r);
        const char *p = path_of("same.lss");
        unlink(p);
        lss_db *file = open_journal(p, seed % 2 ? LSS_SYNC_OFF : LSS_SYNC_NORMAL);
        lss_db *mem = rand_base();
        rand_team(file);
        int ok = 0;
        for (int i = 0; i < 600; i++) {
            lss_status a = rand_apply(file, &evs[i]), b = rand_apply(mem, &evs[i]);
            assert_int_equal(a, b);
            ok += a == LSS_OK;
        }
        assert_true(ok > 200);
        assert_same(file, mem);
        lss_db_close(file);
        file = open_journal(p, LSS_SYNC_FULL);
        lss_recovery rec;
        assert_int_equal(lss_db_recovery(&rec, file), LSS_OK);
        assert_int_equal(rec.events, (uint64_t)ok + 5);
        assert_int_equal(rec.last_seq, (uint64_t)ok + 5);
        assert_int_equal(rec.bytes_dropped, 0);
        assert_int_equal(rec.file_size, (uint64_t)file_size(p));
        assert_string_equal(lss_db_path(file), p);
        assert_same(file, mem);
        lss_db_close(file);
        lss_db_close(mem);
    }
}

static void test_events_rebuilt_from_memory_replay_to_the_same_database(void **state)
{
    (void)state;
    static ev evs[800];
    for (uint64_t seed = 11; seed <= 16; seed++) {
        rng r = { seed * 0x9E3779B97F4A7C15u };
        rand_events(evs, 800, &r);
        lss_db *mem = rand_base();
        for (int i = 0; i < 800; i++)
            rand_apply(mem, &evs[i]);
        lss__evref *refs;
        uint64_t n;
        assert_int_equal(lss__event_refs(mem, &refs, &n), LSS_OK);
        assert_int_equal(n, lss_db_event_count(mem));
        lss_db *copy = open_db(LSS_PIPELINE_LENIENT);
        for (uint64_t k = 0; k < n; k++) {
            lss__event e;
            lss__event_of(mem, &refs[k], &e);
            lss_status st = lss__event_apply(copy, &e, NULL);
            if (st != LSS_OK)
                fail_msg("event %llu (%s): %s", (unsigned long long)k + 1, lss__ev_descs[e.kind].name,
                         lss_db_errmsg(copy));
        }
        lss_free(refs);
        assert_same(mem, copy);
        lss_db_close(copy);
        lss_db_close(mem);
    }
}

/* A record whose checksum holds but whose event breaks a rule (a journal
 * written by something else, or by a bug) is refused with the rule, whether
 * replay takes the direct path (entities named by id) or the general one. */
static void patch_record(unsigned char *p, size_t off, unsigned payload_off, uint64_t v, unsigned width)
{
    unsigned char *rec = p + off;
    if (width == 4)
        lss__put_u32(rec + LSS__J_RECORD + payload_off, (uint32_t)v);
    else
        lss__put_u64(rec + LSS__J_RECORD + payload_off, v);
    uint32_t len = lss__get_u32(rec + 4);
    lss__put_u32(rec, lss__crc_mask(lss__crc32c(0, rec + 4, LSS__J_RECORD - 4 + len)));
}

static void test_a_checksummed_record_that_breaks_a_rule_is_refused(void **state)
{
    (void)state;
    const char *p = path_of("rules.lss"), *q = path_of("rules-patched.lss");
    unlink(p);
    lss_db *db = open_journal(p, LSS_SYNC_OFF);
    assert_int_equal(lss_member_add(NULL, db, 10, "rep", "Rep", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 10, "agent", "Agent", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 20, "c1", "C One", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 30, "d1", "c1", "rep", 100000, "Deal", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 40, "d1", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 50, "t1", "c1", LSS_TICKET_PRESALES, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_NORMAL, "Help", NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_assign(db, 60, "t1", "agent"), LSS_OK);
    assert_int_equal(lss_deal_win(db, 70, "d1", -1), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 80, "c2", "C Two", NULL, NULL, NULL, LSS_SOURCE_REFERRAL, "c1"),
                     LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 90, "d2", "c2", "rep", 5000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_activity_log(NULL, db, 100, "c1", "rep", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 60, "d1", NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 110, "t2", "c2", LSS_TICKET_PRESALES, LSS_CHANNEL_EMAIL,
                                     LSS_PRIORITY_LOW, NULL, "d2"),
                     LSS_OK);
    lss_db_close(db);

    size_t n, ends[16];
    unsigned char *orig = read_all(p, &n);
    assert_int_equal(record_ends(orig, n, ends, 16), 12);
    /* where the payload of each patched field is (docs/durability.md): the time (8 bytes), then each text
     * as a length (4) and its bytes, each entity it names as its id (4), each integer (8) */
    static const struct {
        unsigned record, kind; /* the record's number (from 1) and its kind */
        unsigned off, width;   /* the field in the payload */
        uint64_t value;
        const char *why;
    } cases[] = {
        { 5, LSS__EV_DEAL_ADVANCE, 12, 8, LSS_STAGE_WON,
          "deal.advance: deal \"d1\": field \"to\": won is not a stage to advance to" },
        { 5, LSS__EV_DEAL_ADVANCE, 12, 8, (uint64_t)1 << 33, "deal.advance: field \"to\": 8589934592 is out of range" },
        { 5, LSS__EV_DEAL_ADVANCE, 8, 4, 7, "deal.advance: field \"deal\": entity id 7 does not exist" },
        { 7, LSS__EV_TICKET_ASSIGN, 12, 4, 0, "ticket.assign: ticket \"t1\": agent \"rep\" has role sales" },
        { 7, LSS__EV_TICKET_ASSIGN, 12, 4, 9, "ticket.assign: field \"agent\": entity id 9 does not exist" },
        /* customer.add: key "c2", name "C Two", three absent texts, referred_by, then source */
        { 9, LSS__EV_CUSTOMER_ADD, 39, 8, LSS_SOURCE_WEB,
          "customer.add: customer \"c2\": field \"referred_by\" is allowed only with source referral" },
        /* deal.open: key "d2", customer, owner */
        { 10, LSS__EV_DEAL_OPEN, 18, 4, 1, "deal.open: deal \"d2\": owner \"agent\" has role service" },
        { 10, LSS__EV_DEAL_OPEN, 14, 4, 5, "deal.open: field \"customer\": entity id 5 does not exist" },
        /* activity.log: customer, member, deal */
        { 11, LSS__EV_ACTIVITY_LOG, 16, 4, 1, "activity.log: deal \"d2\" belongs to customer \"c2\", not \"c1\"" },
        /* ticket.open: key "t2", customer */
        { 12, LSS__EV_TICKET_OPEN, 14, 4, 0,
          "ticket.open: ticket \"t2\": deal \"d2\" belongs to customer \"c2\", not \"c1\"" },
        /* every quiet check of the direct paths falls back to the call, for its message */
        { 9, LSS__EV_CUSTOMER_ADD, 39, 8, 99, "field \"source\"" },
        { 9, LSS__EV_CUSTOMER_ADD, 35, 4, 7, "field \"referred_by\": entity id 7 does not exist" },
        { 10, LSS__EV_DEAL_OPEN, 18, 4, 9, "field \"owner\": entity id 9 does not exist" },
        { 10, LSS__EV_DEAL_OPEN, 26, 8, (uint64_t)-5, "field \"amount\"" },
        { 10, LSS__EV_DEAL_OPEN, 34, 8, (uint64_t)LSS_TIME_MAX + 1, "field \"expected_close\"" },
        { 11, LSS__EV_ACTIVITY_LOG, 8, 4, 9, "field \"customer\": entity id 9 does not exist" },
        { 11, LSS__EV_ACTIVITY_LOG, 12, 4, 9, "field \"member\": entity id 9 does not exist" },
        { 11, LSS__EV_ACTIVITY_LOG, 16, 4, 9, "field \"deal\": entity id 9 does not exist" },
        { 11, LSS__EV_ACTIVITY_LOG, 24, 8, 99, "kind 99 is not valid" },
        { 11, LSS__EV_ACTIVITY_LOG, 32, 8, 99, "channel 99 is not valid" },
        { 11, LSS__EV_ACTIVITY_LOG, 40, 8, (uint64_t)-7, "field \"duration\"" },
        { 12, LSS__EV_TICKET_OPEN, 14, 4, 9, "field \"customer\": entity id 9 does not exist" },
        { 12, LSS__EV_TICKET_OPEN, 22, 4, 9, "field \"deal\": entity id 9 does not exist" },
        { 12, LSS__EV_TICKET_OPEN, 26, 8, 99, "field \"kind\"" },
        { 12, LSS__EV_TICKET_OPEN, 34, 8, 99, "field \"channel\"" },
        { 12, LSS__EV_TICKET_OPEN, 42, 8, 9, "field \"priority\"" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t at = ends[cases[k].record - 2]; /* record r starts where r - 1 ends */
        assert_int_equal(orig[at + 9], cases[k].kind);
        unsigned char *b = malloc(n);
        memcpy(b, orig, n);
        patch_record(b, at, cases[k].off, cases[k].value, cases[k].width);
        write_all_file(q, b, n);
        free(b);
        lss_db *x = (lss_db *)1;
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        o.flags = LSS_OPEN_READ_ONLY;
        assert_int_equal(lss_db_open(&x, q, &o), LSS_CORRUPT);
        assert_null(x);
        const char *msg = lss_errmsg();
        if (strstr(msg, "does not apply") == NULL || strstr(msg, cases[k].why) == NULL)
            fail_msg("case %zu: %s", k, msg);
    }
    /* the file as written opens, with every event */
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    assert_int_equal(lss_db_open(&db, p, &o), LSS_OK);
    assert_int_equal(lss_db_event_count(db), 12);
    const lss_deal *d;
    assert_int_equal(lss_deal_find(&d, db, "d1"), LSS_OK);
    assert_int_equal(lss_deal_stage(d), LSS_STAGE_WON);
    lss_db_close(db);
    free(orig);
    unlink(p);
    unlink(q);
}

/* ---- truncation sweep -------------------------------------------------------- */

#define SWEEP_EVENTS 1000
#define SWEEP_CANDIDATES 4000

static void test_cut_at_every_byte_reopens_to_the_longest_complete_prefix(void **state)
{
    (void)state;
    static ev evs[SWEEP_CANDIDATES];
    static size_t ends[SWEEP_EVENTS + 8];
    static uint64_t hashes[SWEEP_EVENTS + 8];
    rng r = { 0x5eed };
    const char *full = path_of("full.lss");
    lss_db *db = open_journal(full, LSS_SYNC_OFF);
    rand_team(db);
    rand_events(evs, SWEEP_CANDIDATES, &r);
    for (int i = 0; i < SWEEP_CANDIDATES && lss_db_event_count(db) < SWEEP_EVENTS; i++)
        rand_apply(db, &evs[i]);
    /* reference: the database built from the first k events, as a hash of its dump */
    lss_db *mem = open_db(LSS_PIPELINE_LENIENT);
    size_t nref = 0;
    hashes[nref] = dump_hash(mem);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(rand_team_member(mem, i), LSS_OK);
        hashes[++nref] = dump_hash(mem);
    }
    for (int i = 0; i < SWEEP_CANDIDATES && nref < SWEEP_EVENTS; i++)
        if (rand_apply(mem, &evs[i]) == LSS_OK)
            hashes[++nref] = dump_hash(mem);
    assert_int_equal(nref, lss_db_event_count(db));
    lss_db_close(db);
    size_t n;
    unsigned char *bytes = read_all(full, &n);
    size_t nrec = record_ends(bytes, n, ends, SWEEP_EVENTS + 8);
    assert_int_equal(nrec, SWEEP_EVENTS);
    assert_int_equal(ends[nrec - 1], n);
    const char *cut = path_of("cut.lss");
    size_t k = 0; /* records complete within the cut */
    for (size_t c = 0; c <= n; c++) {
        while (k < nrec && ends[k] <= c)
            k++;
        write_all_file(cut, bytes, c);
        lss_db *d = open_journal(cut, LSS_SYNC_OFF);
        size_t good = c < LSS__J_HEADER ? LSS__J_HEADER : k ? ends[k - 1] : LSS__J_HEADER;
        lss_recovery rec;
        lss_db_recovery(&rec, d);
        if (lss_db_event_count(d) != k || rec.bytes_dropped != (c < LSS__J_HEADER ? c : c - good))
            fail_msg("cut at %zu: %llu events, %llu bytes dropped; expected %zu and %zu", c,
                     (unsigned long long)lss_db_event_count(d), (unsigned long long)rec.bytes_dropped, k,
                     c < LSS__J_HEADER ? c : c - good);
        /* the state after k events is the same wherever the cut fell; check it at the edges */
        if (c == good || c == good + 1 || (k < nrec && c + 1 == ends[k]))
            if (dump_hash(d) != hashes[k])
                fail_msg("cut at %zu: the database differs from the first %zu events", c, k);
        lss_db_close(d);
        assert_int_equal(file_size(cut), (long)good); /* the torn tail was cut off the file */
    }
    free(bytes);
    lss_db_close(mem);
}

/* ---- corruption sweep ------------------------------------------------------------ */

static void test_flipped_bits_are_never_applied(void **state)
{
    (void)state;
    static ev evs[200];
    rng r = { 77 };
    rand_events(evs, 200, &r);
    const char *full = path_of("flip.lss");
    lss_db *db = open_journal(full, LSS_SYNC_OFF);
    rand_team(db);
    for (int i = 0; i < 200; i++)
        rand_apply(db, &evs[i]);
    uint64_t total = lss_db_event_count(db);
    lss_db_close(db);
    size_t n;
    unsigned char *bytes = read_all(full, &n);
    static size_t ends[400];
    size_t nrec = record_ends(bytes, n, ends, 400);
    assert_int_equal(nrec, total);
    const char *bad = path_of("bad.lss");
    /* every bit of the header: never opens as a journal with other contents */
    for (size_t bit = 0; bit < LSS__J_HEADER * 8; bit++) {
        bytes[bit / 8] ^= (unsigned char)(1u << bit % 8);
        write_all_file(bad, bytes, n);
        bytes[bit / 8] ^= (unsigned char)(1u << bit % 8);
        lss_db *d = NULL;
        lss_status st = lss_db_open(&d, bad, NULL);
        if (st != LSS_CORRUPT && st != LSS_VERSION)
            fail_msg("header bit %zu: %s", bit, lss_status_name(st));
        assert_null(d);
    }
    /* one bit in every record (a different position each time) */
    for (size_t i = 0; i < nrec; i++) {
        size_t start = i ? ends[i - 1] : LSS__J_HEADER, len = ends[i] - start;
        size_t bit = (size_t)rng_pick(&r, (int)(len * 8));
        bytes[start + bit / 8] ^= (unsigned char)(1u << bit % 8);
        write_all_file(bad, bytes, n);
        bytes[start + bit / 8] ^= (unsigned char)(1u << bit % 8);
        lss_db *d = NULL;
        lss_status st = lss_db_open(&d, bad, NULL);
        if (i + 1 < nrec) {
            /* valid records follow: corruption, never a silent cut */
            if (st != LSS_CORRUPT)
                fail_msg("record %zu bit %zu: %s", i, bit, lss_status_name(st));
            char want[64];
            snprintf(want, sizeof want, "damaged at offset %zu", start);
            assert_non_null(strstr(lss_errmsg(), want));
            assert_null(d);
            /* read-only up to the damage: exactly the records before it */
            lss_open_options o = LSS_OPEN_OPTIONS_INIT;
            o.flags = LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE;
            assert_int_equal(lss_db_open(&d, bad, &o), LSS_OK);
            assert_int_equal(lss_db_event_count(d), i);
            lss_recovery rec;
            lss_db_recovery(&rec, d);
            assert_int_equal(rec.damage_offset, start);
            assert_status_msg(d, lss_customer_churn(d, 1, "c0"), LSS_MISUSE, "read-only");
            lss_db_close(d);
            assert_int_equal(file_size(bad), (long)n); /* read-only never changes the file */
        } else {
            /* the last record: whole, so damage, not a torn write (it may be an
             * acknowledged change), unless the flip made its length run past
             * the end of the file: that is what a torn write looks like */
            uint32_t newlen = lss__get_u32(bytes + start + 4) ^ (bit / 8 >= 4 && bit / 8 < 8 ? 1u << (bit - 32) : 0);
            bool torn = bit / 8 >= 4 && bit / 8 < 8 && newlen <= LSS__J_PAYLOAD_MAX && newlen > len - LSS__J_RECORD;
            if (torn) {
                assert_int_equal(st, LSS_OK);
                assert_int_equal(lss_db_event_count(d), i);
                lss_db_close(d);
                continue;
            }
            if (st != LSS_CORRUPT)
                fail_msg("last record bit %zu: %s", bit, lss_status_name(st));
            assert_null(d);
            char want[64];
            snprintf(want, sizeof want, "damaged at offset %zu", start);
            assert_non_null(strstr(lss_errmsg(), want));
            assert_non_null(strstr(lss_errmsg(), "LSS_OPEN_DROP_DAMAGED_TAIL"));
            assert_int_equal(file_size(bad), (long)n); /* refused: the file is as it was */
            /* cut off on request, and said */
            lss_open_options o = LSS_OPEN_OPTIONS_INIT;
            o.flags = LSS_OPEN_DROP_DAMAGED_TAIL;
            assert_int_equal(lss_db_open(&d, bad, &o), LSS_OK);
            assert_int_equal(lss_db_event_count(d), i);
            lss_recovery rec;
            lss_db_recovery(&rec, d);
            assert_int_equal(rec.damage_offset, start);
            assert_int_equal(rec.tail_offset, start);
            assert_int_equal(rec.bytes_dropped, len);
            lss_db_close(d);
            assert_int_equal(file_size(bad), (long)start);
            o.flags |= LSS_OPEN_READ_ONLY;
            assert_int_equal(lss_db_open(&d, bad, &o), LSS_INVALID);
        }
    }
    free(bytes);
}


/* ---- every framing rule, with the checksums right ---------------------------------- */

static void fix_record_crc(unsigned char *rec)
{
    lss__put_u32(rec, lss__crc_mask(lss__crc32c(0, rec + 4, LSS__J_RECORD - 4 + lss__get_u32(rec + 4))));
}

static void fix_header_crc(unsigned char *h)
{
    lss__put_u32(h + LSS__J_HEADER - 4, lss__crc_mask(lss__crc32c(0, h, LSS__J_HEADER - 4)));
}

/* Write `bytes` with one change made by `edit` and check that a read-write
 * open refuses it with `want` and a message holding `why`. */
static void expect_refused(const char *p, const unsigned char *bytes, size_t n, size_t cut,
                           void (*edit)(unsigned char *b, size_t n, const size_t *ends), const size_t *ends,
                           lss_status want, const char *why)
{
    unsigned char *b = malloc(n);
    assert_non_null(b);
    memcpy(b, bytes, n);
    edit(b, n, ends);
    write_all_file(p, b, cut ? cut : n);
    free(b);
    lss_db *d = NULL;
    lss_status st = lss_db_open(&d, p, NULL);
    if (st != want || strstr(lss_errmsg(), why) == NULL)
        fail_msg("%s: %s: %s", why, lss_status_name(st), lss_errmsg());
    assert_null(d);
}

/* the journal of framing_fixture: 0 header, records: 1 event (member), then
 * a transaction of 2 events and its commit, then 1 event */
static void edit_version(unsigned char *b, size_t n, const size_t *e)
{
    (void)n, (void)e;
    lss__put_u32(b + 8, LSS__J_VERSION + 1);
    fix_header_crc(b);
}
static void edit_currency(unsigned char *b, size_t n, const size_t *e)
{
    (void)n, (void)e;
    b[17] = 'x';
    fix_header_crc(b);
}
static void edit_pipeline(unsigned char *b, size_t n, const size_t *e)
{
    (void)n, (void)e;
    b[19] = 7;
    fix_header_crc(b);
}
static void edit_reserved(unsigned char *b, size_t n, const size_t *e)
{
    (void)n, (void)e;
    lss__put_u64(b + 20, 2);
    fix_header_crc(b);
}
static void edit_seq(unsigned char *b, size_t n, const size_t *e)
{
    (void)n;
    lss__put_u64(b + e[0] + 16, 9); /* the second record claims sequence 9 */
    fix_record_crc(b + e[0]);
}
static void edit_type(unsigned char *b, size_t n, const size_t *e)
{
    (void)n;
    b[e[0] + 8] = 9;
    fix_record_crc(b + e[0]);
}
static void edit_commit_count(unsigned char *b, size_t n, const size_t *e)
{
    (void)n;
    lss__put_u32(b + e[2] + LSS__J_RECORD, 5); /* the commit says 5 events, the transaction has 2 */
    fix_record_crc(b + e[2]);
}
static void edit_interrupted(unsigned char *b, size_t n, const size_t *e)
{
    (void)n;
    b[e[1] + 8] = LSS__R_EVENT; /* the transaction's second event written as a plain one */
    fix_record_crc(b + e[1]);
}
static void edit_stray_commit(unsigned char *b, size_t n, const size_t *e)
{
    (void)n;
    /* the first transaction event becomes a plain one: its second event then
     * starts a transaction of one, and the commit says two */
    b[e[0] + 8] = LSS__R_EVENT;
    fix_record_crc(b + e[0]);
}
static void edit_decode(unsigned char *b, size_t n, const size_t *e)
{
    (void)n;
    (void)e;
    /* the first record: an event kind that does not exist */
    b[LSS__J_HEADER + 9] = 0;
    fix_record_crc(b + LSS__J_HEADER);
}
static void edit_salt(unsigned char *b, size_t n, const size_t *e)
{
    (void)n;
    lss__put_u32(b + e[3] + 12, lss__get_u32(b + e[3] + 12) ^ 1);
    fix_record_crc(b + e[3]);
}
static void edit_none(unsigned char *b, size_t n, const size_t *e)
{
    (void)b, (void)n, (void)e;
}

static void test_every_framing_rule_is_checked(void **state)
{
    (void)state;
    const char *p = path_of("frame.lss"), *q = path_of("frame-edited.lss");
    unlink(p);
    lss_db *db = open_journal(p, LSS_SYNC_OFF);
    assert_int_equal(lss_member_add(NULL, db, 1, "m", "M", LSS_ROLE_BOTH, NULL), LSS_OK);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 2, "c1", "C1", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 2, "c2", "C2", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_tx_commit(db), LSS_OK);
    assert_int_equal(lss_customer_churn(db, 3, "c1"), LSS_OK);
    lss_db_close(db);
    size_t n;
    unsigned char *bytes = read_all(p, &n);
    size_t ends[8];
    assert_int_equal(record_ends(bytes, n, ends, 8), 5);
    expect_refused(q, bytes, n, 0, edit_version, ends, LSS_VERSION, "journal format 3 is not supported");
    expect_refused(q, bytes, n, 0, edit_currency, ends, LSS_CORRUPT, "invalid settings");
    /* each letter of the currency below A and above Z */
    for (int i = 0; i < 6; i++) {
        unsigned char *h = malloc(n);
        memcpy(h, bytes, n);
        h[16 + i / 2] = i % 2 ? '[' : '@';
        fix_header_crc(h);
        write_all_file(q, h, n);
        free(h);
        lss_db *x = NULL;
        assert_status_msg(NULL, lss_db_open(&x, q, NULL), LSS_CORRUPT, "invalid settings");
    }
    expect_refused(q, bytes, n, 0, edit_pipeline, ends, LSS_CORRUPT, "invalid settings");
    expect_refused(q, bytes, n, 0, edit_reserved, ends, LSS_CORRUPT, "invalid settings");
    expect_refused(q, bytes, n, 0, edit_seq, ends, LSS_CORRUPT, "sequence number is out of order");
    expect_refused(q, bytes, n, 0, edit_type, ends, LSS_CORRUPT, "checksum, length or salt");
    expect_refused(q, bytes, n, 0, edit_commit_count, ends, LSS_CORRUPT, "does not close the transaction");
    expect_refused(q, bytes, n, 0, edit_interrupted, ends, LSS_CORRUPT, "interrupted");
    expect_refused(q, bytes, n, 0, edit_stray_commit, ends, LSS_CORRUPT, "does not close the transaction");
    expect_refused(q, bytes, n, 0, edit_decode, ends, LSS_CORRUPT, "does not decode");
    expect_refused(q, bytes, n, 0, edit_salt, ends, LSS_CORRUPT, "in the last record, which is whole");
    /* a record whose length is past 1 MiB at the end is damage, not a torn write */
    unsigned char *b = malloc(n);
    memcpy(b, bytes, n);
    lss__put_u32(b + ends[3] + 4, LSS__J_PAYLOAD_MAX + 1);
    write_all_file(q, b, n);
    lss_db *d = NULL;
    assert_int_equal(lss_db_open(&d, q, NULL), LSS_CORRUPT);
    /* the same with the length inside the limit: a torn tail, cut */
    lss__put_u32(b + ends[3] + 4, 4096);
    write_all_file(q, b, n);
    d = open_journal(q, LSS_SYNC_OFF);
    assert_int_equal(lss_db_event_count(d), 3);
    lss_db_close(d);
    free(b);
    (void)edit_none;
    /* unknown flags and a bad sync mode are refused before the file is touched */
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = 0x100;
    assert_status_msg(NULL, lss_db_open(&d, p, &o), LSS_INVALID, "unknown flags 0x100");
    o.flags = LSS_OPEN_TO_DAMAGE;
    assert_status_msg(NULL, lss_db_open(&d, p, &o), LSS_INVALID, "needs LSS_OPEN_READ_ONLY");
    o.flags = 0;
    o.sync = (lss_sync_mode)7;
    assert_status_msg(NULL, lss_db_open(&d, p, &o), LSS_INVALID, "sync mode 7");
    free(bytes);
}

/* ---- content a writer would have refused ------------------------------------------ */

/* Replace the first `from` in the journal at `path` by `to` (same length)
 * and fix the checksum of the record it is in: a crafted journal whose
 * framing is valid. */
static void craft(const char *path, const char *from, const char *to)
{
    size_t n, len = strlen(from);
    assert_int_equal(strlen(to), len);
    unsigned char *bytes = read_all(path, &n);
    unsigned char *hit = memmem(bytes, n, from, len);
    assert_non_null(hit);
    memcpy(hit, to, len);
    static size_t ends[64];
    size_t nrec = record_ends(bytes, n, ends, 64), at = (size_t)(hit - bytes), start = LSS__J_HEADER;
    for (size_t k = 0; k < nrec && ends[k] <= at; k++)
        start = ends[k];
    unsigned char *rec = bytes + start;
    lss__put_u32(rec, lss__crc_mask(lss__crc32c(0, rec + 4, LSS__J_RECORD - 4 + lss__get_u32(rec + 4))));
    write_all_file(path, bytes, n);
    free(bytes);
}

static void test_replay_refuses_content_a_writer_would_refuse(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *why;
    } cases[] = {
        { "Name-One", "Name-\xff\xfe!", "not valid UTF-8" },        /* a customer's name */
        { "c-key-2", "c-k\x01y-2", "control character 0x01" },      /* a key */
        { "d-key-2", "d-key-1", "deal \"d-key-1\" is added twice" }, /* a duplicate key */
        { "c-key-2", "c-key-1", "customer \"c-key-1\" is added twice" },
        { "t-note", "t-\xc0\xafte", "not valid UTF-8" },            /* an overlong '/' in a ticket note */
        { "Deal-Title", "Deal-\xed\xa0\x80le", "not valid UTF-8" },  /* a surrogate in a deal title */
    };
    const char *p = path_of("content.lss");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        unlink(p);
        lss_db *db = open_journal(p, LSS_SYNC_OFF);
        assert_int_equal(lss_member_add(NULL, db, 10, "rep", "Rep", LSS_ROLE_BOTH, NULL), LSS_OK);
        assert_int_equal(lss_customer_add(NULL, db, 20, "c-key-1", "Name-One", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                         LSS_OK);
        assert_int_equal(lss_customer_add(NULL, db, 21, "c-key-2", "Name-Two", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                         LSS_OK);
        assert_int_equal(lss_deal_open(NULL, db, 30, "d-key-1", "c-key-1", "rep", 100, "Deal-Title", LSS_TIME_NONE),
                         LSS_OK);
        assert_int_equal(lss_deal_open(NULL, db, 31, "d-key-2", "c-key-2", "rep", 100, NULL, LSS_TIME_NONE), LSS_OK);
        assert_int_equal(lss_ticket_open(NULL, db, 40, "t-1", "c-key-1", LSS_TICKET_PRESALES, LSS_CHANNEL_PHONE,
                                         LSS_PRIORITY_NORMAL, NULL, NULL),
                         LSS_OK);
        assert_int_equal(lss_ticket_assign(db, 41, "t-1", "rep"), LSS_OK);
        assert_int_equal(lss_ticket_resolve(db, 41, "t-1", "t-note"), LSS_OK);
        lss_db_close(db);
        craft(p, cases[k].from, cases[k].to);
        long size = file_size(p);
        for (int run = 0; run < 4; run++) {
            /* read-write and read-only; checked and indexed on this thread, then on second threads */
            bool ro = run % 2, threads = run >= 2;
            lss_open_options o = LSS_OPEN_OPTIONS_INIT;
            o.flags = ro ? LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE : 0;
            lss_db *d = NULL;
            size_t scan_min = lss__scan_ahead_min;
            uint32_t index_min = lss__index_thread_min;
            if (threads)
                lss__scan_ahead_min = lss__index_thread_min = 0;
            lss_status st = lss_db_open(&d, p, &o);
            lss__scan_ahead_min = scan_min;
            lss__index_thread_min = index_min;
            if (st != LSS_CORRUPT || strstr(lss_errmsg(), cases[k].why) == NULL || strstr(lss_errmsg(), p) == NULL)
                fail_msg("case %zu (%s), %s%s: %s: %s", k, cases[k].why, ro ? "read-only" : "read-write",
                         threads ? " on second threads" : "", lss_status_name(st), lss_errmsg());
            assert_null(d);
        }
        assert_int_equal(file_size(p), size); /* refused, not repaired */
    }
}

/* ---- a short file that is not a journal ---------------------------------------------- */

static void test_a_short_file_that_is_not_a_journal_is_never_overwritten(void **state)
{
    (void)state;
    const char *p = path_of("notes.txt");
    static const char text[] = "my notes";
    write_all_file(p, (const unsigned char *)text, sizeof text);
    lss_db *d = NULL;
    assert_int_equal(lss_db_open(&d, p, NULL), LSS_CORRUPT);
    assert_null(d);
    assert_non_null(strstr(lss_errmsg(), "not a libsalesservice journal"));
    assert_non_null(strstr(lss_errmsg(), "left as it is"));
    size_t n;
    unsigned char *bytes = read_all(p, &n);
    assert_int_equal(n, sizeof text);
    assert_memory_equal(bytes, text, sizeof text);
    free(bytes);
    /* a header cut short at any byte is a creation cut short: initialised */
    lss_db *db = open_journal(path_of("header.lss"), LSS_SYNC_OFF);
    lss_db_close(db);
    unsigned char *h = read_all(path_of("header.lss"), &n);
    assert_int_equal(n, LSS__J_HEADER);
    for (size_t cut = 0; cut < LSS__J_HEADER; cut++) {
        write_all_file(p, h, cut);
        db = open_journal(p, LSS_SYNC_OFF);
        lss_recovery rec;
        lss_db_recovery(&rec, db);
        assert_int_equal(rec.bytes_dropped, cut);
        assert_int_equal(lss_db_event_count(db), 0);
        lss_db_close(db);
        assert_int_equal(file_size(p), LSS__J_HEADER);
    }
    /* ... but not a header prefix with one byte off */
    for (size_t cut = 1; cut < 12; cut++) {
        unsigned char bad[LSS__J_HEADER];
        memcpy(bad, h, cut);
        bad[cut - 1] ^= 0x20;
        write_all_file(p, bad, cut);
        assert_int_equal(lss_db_open(&d, p, NULL), LSS_CORRUPT);
        assert_int_equal(file_size(p), (long)cut);
    }
    free(h);
    /* a PATH.compact that is not ours is neither overwritten nor removed */
    const char *j = path_of("owner.lss");
    unlink(j);
    db = open_journal(j, LSS_SYNC_OFF);
    assert_int_equal(lss_customer_add(NULL, db, 1, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    char side[512];
    snprintf(side, sizeof side, "%s.compact", j);
    write_all_file(side, (const unsigned char *)text, sizeof text);
    assert_status_msg(db, lss_db_compact(db), LSS_IO, "exists and is not a journal", "left as it is");
    assert_int_equal(file_size(side), (long)sizeof text);
    unlink(side);
    assert_int_equal(lss_db_compact(db), LSS_OK);
    assert_int_equal(access(side, F_OK), -1);
    lss_db_close(db);
}

/* ---- one flipped bit in the commit of an acknowledged transaction --------------------------- */

static void test_a_damaged_final_commit_is_refused_not_dropped(void **state)
{
    (void)state;
    const char *p = path_of("import.lss");
    unlink(p);
    lss_db *db = open_journal(p, LSS_SYNC_FULL);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    char key[16];
    for (int i = 0; i < 50; i++) {
        snprintf(key, sizeof key, "c%d", i);
        assert_int_equal(lss_customer_add(NULL, db, 10 + i, key, "Name", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                         LSS_OK);
    }
    assert_int_equal(lss_tx_commit(db), LSS_OK); /* acknowledged */
    lss_db_close(db);
    size_t n;
    unsigned char *bytes = read_all(p, &n);
    /* the commit record is the last 28 bytes: flip a bit of its count */
    bytes[n - 2] ^= 0x10;
    write_all_file(p, bytes, n);
    free(bytes);
    lss_db *d = NULL;
    assert_int_equal(lss_db_open(&d, p, NULL), LSS_CORRUPT);
    assert_non_null(strstr(lss_errmsg(), "in the last record, which is whole"));
    assert_int_equal(file_size(p), (long)n);
    /* read-only up to the damage: the 50 events are in the file, unacknowledged by their commit */
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE;
    assert_int_equal(lss_db_open(&d, p, &o), LSS_OK);
    lss_recovery rec;
    lss_db_recovery(&rec, d);
    assert_int_equal(rec.damage_offset, n - LSS__J_RECORD - 4);
    lss_db_close(d);
    assert_int_equal(file_size(p), (long)n);
}

/* ---- rollback after customer.erase and growth of what it changed --------------------------- */

static void test_rollback_after_erase_and_growth_is_exact(void **state)
{
    (void)state;
    for (int durable = 0; durable < 2; durable++) {
        const char *p = path_of("erase-tx.lss");
        unlink(p);
        lss_db *db = durable ? open_journal(p, LSS_SYNC_OFF) : open_db(LSS_PIPELINE_LENIENT);
        assert_int_equal(lss_member_add(NULL, db, 1, "m", "M", LSS_ROLE_BOTH, NULL), LSS_OK);
        assert_int_equal(lss_customer_add(NULL, db, 2, "c", "Carla", "c0@x.test", "Co", NULL, LSS_SOURCE_WEB, NULL),
                         LSS_OK);
        assert_int_equal(lss_customer_update(db, 3, "c", NULL, "c1@x.test", NULL, NULL), LSS_OK);
        assert_int_equal(lss_deal_open(NULL, db, 4, "d", "c", "m", 100, "Title", LSS_TIME_NONE), LSS_OK);
        assert_int_equal(lss_deal_lose(db, 5, "d", LSS_LOSS_PRICE, "too dear"), LSS_OK);
        assert_int_equal(lss_ticket_open(NULL, db, 6, "t", "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_EMAIL,
                                         LSS_PRIORITY_NORMAL, "Subject", NULL),
                         LSS_OK);
        assert_int_equal(lss_ticket_assign(db, 7, "t", "m"), LSS_OK);
        assert_int_equal(lss_ticket_resolve(db, 7, "t", "resolved note"), LSS_OK);
        char *before = dump(db);
        assert_int_equal(lss_tx_begin(db), LSS_OK);
        assert_int_equal(lss_customer_erase(db, 8, "c"), LSS_OK);
        /* grow the customer's changes and the ticket's history: their storage moves */
        for (int i = 0; i < 40; i++) {
            assert_int_equal(lss_customer_update(db, 9 + i, "c", NULL, NULL, NULL, "seg"), LSS_OK);
            assert_int_equal(lss_ticket_reopen(db, 9 + i, "t"), LSS_OK);
            assert_int_equal(lss_ticket_resolve(db, 9 + i, "t", NULL), LSS_OK);
            assert_int_equal(lss_deal_reopen(db, 9 + i, "d"), LSS_OK);
            assert_int_equal(lss_deal_lose(db, 9 + i, "d", LSS_LOSS_TIMING, NULL), LSS_OK);
        }
        assert_int_equal(lss_tx_rollback(db), LSS_OK);
        char *after = dump(db);
        assert_string_equal(before, after);
        free(after);
        const lss_customer *c;
        assert_int_equal(lss_customer_find(&c, db, "c"), LSS_OK);
        assert_string_equal(lss_customer_email(c), "c1@x.test");
        lss_db_close(db);
        free(before);
    }
}

/* In one transaction: a change adds entries (a customer change, a deal's
 * loss note, a ticket's resolve note), customer.erase clears their texts,
 * later changes of the same entities follow; the rollback removes the
 * entries the erase had cleared before it restores what the erase saved. */
static void test_rollback_of_an_erase_of_entries_made_in_the_transaction(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 1, "m", "M", LSS_ROLE_BOTH, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 2, "c", "Carla", "c@x.test", NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 3, "d", "c", "m", 100, "Title", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 4, "t", "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_EMAIL, LSS_PRIORITY_LOW,
                                     "Subject", NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_assign(db, 5, "t", "m"), LSS_OK);
    char *before = dump(db);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_customer_update(db, 6, "c", NULL, "new@x.test", "NewCo", NULL), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 6, "d", LSS_LOSS_PRICE, "too dear"), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, 6, "t", "fixed it"), LSS_OK);
    assert_int_equal(lss_customer_erase(db, 7, "c"), LSS_OK);
    assert_int_equal(lss_customer_update(db, 8, "c", NULL, NULL, NULL, "seg"), LSS_OK);
    assert_int_equal(lss_deal_reopen(db, 8, "d"), LSS_OK);
    assert_int_equal(lss_ticket_reopen(db, 8, "t"), LSS_OK);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    char *after = dump(db);
    assert_string_equal(before, after);
    free(after);
    free(before);
    lss_db_close(db);
}

/* ---- transactions -------------------------------------------------------------------- */

static void test_transactions_commit_and_roll_back_exactly(void **state)
{
    (void)state;
    static ev evs[900];
    rng r = { 4242 };
    rand_events(evs, 900, &r);
    const char *p = path_of("tx.lss");
    lss_db *db = open_journal(p, LSS_SYNC_FULL);
    lss_db *ref = rand_base(); /* gets only what is committed */
    rand_team(db);
    int i = 0, commits = 0, rollbacks = 0;
    while (i < 900) {
        int len = 1 + rng_pick(&r, 30);
        bool commit = rng_pick(&r, 3) != 0;
        char *before = dump(db);
        assert_int_equal(lss_tx_begin(db), LSS_OK);
        assert_int_equal(lss_tx_begin(db), LSS_MISUSE);
        int first = i;
        for (; i < 900 && i < first + len; i++)
            rand_apply(db, &evs[i]);
        if (commit) {
            assert_int_equal(lss_tx_commit(db), LSS_OK);
            for (int k = first; k < i; k++)
                rand_apply(ref, &evs[k]);
            commits++;
        } else {
            assert_int_equal(lss_tx_rollback(db), LSS_OK);
            char *after = dump(db);
            if (strcmp(before, after) != 0)
                fail_msg("rollback of events %d..%d did not restore memory:\n%s\n---\n%s", first, i - 1, before,
                         after);
            free(after);
            rollbacks++;
        }
        free(before);
    }
    assert_true(commits > 5 && rollbacks > 5);
    assert_int_equal(lss_tx_commit(db), LSS_MISUSE);
    assert_int_equal(lss_tx_rollback(db), LSS_MISUSE);
    assert_same(db, ref);
    lss_db_close(db);
    db = open_journal(p, LSS_SYNC_FULL);
    assert_same(db, ref);
    lss_db_close(db);
    lss_db_close(ref);
}

static void test_a_transaction_cut_short_is_dropped_whole(void **state)
{
    (void)state;
    const char *p = path_of("txcut.lss");
    lss_db *db = open_journal(p, LSS_SYNC_FULL);
    rand_team(db);
    assert_int_equal(lss_customer_add(NULL, db, 10, "c0", "C0", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    long before_tx = file_size(p);
    char *expect = dump(db);
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 11, "c1", "C1", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 12, "d1", "c1", "s0", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_win(db, 13, "d1", -1), LSS_OK);
    assert_int_equal(file_size(p), before_tx); /* nothing written before the commit */
    assert_int_equal(lss_tx_commit(db), LSS_OK);
    lss_db_close(db);
    size_t n;
    unsigned char *bytes = read_all(p, &n);
    /* every cut inside the transaction's records, including just before the end of its commit record */
    for (size_t c = (size_t)before_tx + 1; c < n; c += 7) {
        write_all_file(p, bytes, c);
        db = open_journal(p, LSS_SYNC_FULL);
        char *got = dump(db);
        assert_string_equal(got, expect);
        free(got);
        lss_recovery rec;
        lss_db_recovery(&rec, db);
        assert_int_equal(rec.tail_offset, before_tx);
        assert_int_equal(rec.bytes_dropped, c - (size_t)before_tx);
        assert_true(rec.tx_events_dropped <= 3);
        lss_db_close(db);
    }
    write_all_file(p, bytes, n);
    db = open_journal(p, LSS_SYNC_FULL);
    assert_int_equal(lss_db_event_count(db), 9);
    lss_db_close(db);
    free(bytes);
    free(expect);
}

static void test_transaction_in_memory_and_misuse(void **state)
{
    (void)state;
    lss_db *db = rand_base();
    char *before = dump(db);
    const lss_customer *c;
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_customer_add(&c, db, 10, "c0", "C0", "e@x", NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 11, "d0", "c0", "s0", 100, "t", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 12, "t0", "c0", LSS_TICKET_QUESTION, LSS_CHANNEL_WEB,
                                     LSS_PRIORITY_LOW, "s", "d0"), LSS_OK);
    assert_int_equal(lss_customer_erase(db, 13, "c0"), LSS_OK);
    assert_int_equal(lss_customer_count(db), 1);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(lss_customer_find(&c, db, "c0"), LSS_NOT_FOUND);
    /* closing with an open transaction rolls it back */
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 10, "c9", "C9", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    lss_db_close(db);
    assert_int_equal(lss_tx_begin(NULL), LSS_INVALID);
}

/* ---- erasure and compaction ------------------------------------------------------------ */

static bool file_contains(const char *path, const char *needle)
{
    size_t n;
    unsigned char *p = read_all(path, &n);
    bool found = memmem(p, n, needle, strlen(needle)) != NULL;
    free(p);
    return found;
}

static void test_erase_then_compact_removes_the_texts_and_keeps_every_figure(void **state)
{
    (void)state;
    const char *p = path_of("erase.lss");
    lss_db *db = open_journal(p, LSS_SYNC_NORMAL);
    rand_team(db);
    assert_int_equal(lss_customer_add(NULL, db, 10, "c-kraus", "Kraus GmbH", "einkauf@kraus.example",
                                      "Kraus Holding", "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 10, "c-keep", "Keep AG", "keep@x.example", NULL, "smb",
                                      LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_update(db, 11, "c-kraus", "Kraus & Sohn", NULL, NULL, "ent"), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 12, "d-1", "c-kraus", "s0", 120000, "Secret workstations",
                                   LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 13, "d-1", LSS_LOSS_PRICE, "Herr Kraus found it too dear"), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 12, "d-2", "c-kraus", "s0", 50000, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_win(db, 14, "d-2", -1), LSS_OK);
    assert_int_equal(lss_activity_log(NULL, db, 15, "c-kraus", "s0", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 60,
                                      "d-2", "Called Herr Kraus at home"), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 16, "t-1", "c-kraus", LSS_TICKET_COMPLAINT, LSS_CHANNEL_EMAIL,
                                     LSS_PRIORITY_HIGH, "Kraus complains", "d-2"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, 17, "t-1", "a0", 300, -1), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, 18, "t-1", "Told Herr Kraus"), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, 19, "t-1", 2, "Kraus: slow"), LSS_OK);
    char *before = report(db);
    assert_int_equal(lss_customer_erase(db, 20, "c-kraus"), LSS_OK);
    char *after = report(db);
    assert_string_equal(before, after); /* every figure stays */

    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, db, "c-kraus"), LSS_OK);
    assert_true(lss_customer_is_erased(c));
    assert_string_equal(lss_customer_name(c), "[erased]");
    assert_null(lss_customer_email(c));
    assert_null(lss_customer_company(c));
    assert_string_equal(lss_customer_segment(c), "ent");
    const lss_deal *d;
    lss_deal_change dc;
    assert_int_equal(lss_deal_find(&d, db, "d-1"), LSS_OK);
    assert_null(lss_deal_title(d));
    assert_int_equal(lss_deal_history_get(&dc, d, 1), LSS_OK);
    assert_null(dc.note);
    assert_int_equal(dc.reason, LSS_LOSS_PRICE);
    const lss_ticket *t;
    assert_int_equal(lss_ticket_find(&t, db, "t-1"), LSS_OK);
    assert_null(lss_ticket_subject(t));
    assert_int_equal(lss_ticket_score(t), 2);
    assert_null(lss_activity_note(lss_customer_first_activity(c)));
    lss_customer_change cc;
    assert_int_equal(lss_customer_change_get(&cc, c, 0), LSS_OK);
    assert_string_equal(cc.name, "[erased]");
    assert_int_equal(lss_customer_change_get(&cc, c, 1), LSS_OK);
    assert_int_equal(cc.kind, LSS_CUSTOMER_ERASED);
    assert_int_equal(lss_customer_find(&c, db, "c-keep"), LSS_OK);
    assert_string_equal(lss_customer_email(c), "keep@x.example");

    /* the journal still holds the texts until it is compacted */
    assert_true(file_contains(p, "Herr Kraus"));
    char *mem_before = dump(db);
    assert_int_equal(lss_db_compact(db), LSS_OK);
    char *mem_compacted = dump(db);
    assert_string_equal(mem_compacted, mem_before); /* compaction changes the file, not the database */
    free(mem_compacted);
    static const char *const gone[] = { "Kraus GmbH", "einkauf@kraus", "Kraus Holding", "Kraus & Sohn",
                                        "Secret", "Herr Kraus", "Kraus complains", "Kraus: slow" };
    for (size_t k = 0; k < sizeof gone / sizeof *gone; k++)
        if (file_contains(p, gone[k]))
            fail_msg("\"%s\" is still in the compacted journal", gone[k]);
    assert_true(file_contains(p, "keep@x.example"));
    assert_int_equal(access(path_of("erase.lss.compact"), F_OK), -1);
    /* the handle goes on writing to the new file */
    assert_int_equal(lss_ticket_close(db, 21, "t-1"), LSS_OK);
    char *mem_after_close = dump(db);
    lss_db_close(db);
    db = open_journal(p, LSS_SYNC_FULL);
    char *reopened = dump(db);
    assert_string_equal(reopened, mem_after_close);
    char *again = report(db);
    assert_string_equal(again, after);
    lss_db_close(db);
    free(mem_before);
    free(mem_after_close);
    free(reopened);
    lss_free(before);
    lss_free(after);
    lss_free(again);
    /* misuse */
    lss_db *m = open_db(LSS_PIPELINE_STRICT);
    assert_status_msg(m, lss_db_compact(m), LSS_MISUSE, "in-memory");
    lss_db_close(m);
}

/* ---- the check on a second thread ------------------------------------------------- */

typedef struct opened {
    lss_status st;
    char msg[512];
    uint64_t events, hash;
    lss_recovery rec;
} opened;

static opened open_with(const char *path, unsigned flags, size_t ahead_min)
{
    size_t saved = lss__scan_ahead_min;
    lss__scan_ahead_min = ahead_min;
    opened o;
    memset(&o, 0, sizeof o);
    lss_open_options opts = LSS_OPEN_OPTIONS_INIT;
    opts.sync = LSS_SYNC_OFF;
    opts.flags = flags;
    lss_db *d = NULL;
    o.st = lss_db_open(&d, path, &opts);
    snprintf(o.msg, sizeof o.msg, "%s", o.st == LSS_OK ? "" : lss_errmsg());
    if (d) {
        o.events = lss_db_event_count(d);
        o.hash = dump_hash(d);
        lss_db_recovery(&o.rec, d);
        lss_db_close(d);
    }
    lss__scan_ahead_min = saved;
    return o;
}

/* A journal of 1,500 customers by time at p (in transactions of 10,000
 * events, several chunks of the check): its events, its bytes (n of them,
 * to free) and the ends of its records (nrec of them, at most 40,000). */
static unsigned char *large_journal(const char *p, uint64_t *events, size_t *n, size_t *ends, size_t *nrec)
{
    unlink(p);
    lss_db *db = open_journal(p, LSS_SYNC_OFF);
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 1500;
    g.order = LSS_GENERATE_BY_TIME;
    assert_int_equal(lss_generate(db, &g), LSS_OK);
    *events = lss_db_event_count(db);
    lss_db_close(db);
    unsigned char *bytes = read_all(p, n);
    assert_true(*n > 8 * 64 * 1024);
    *nrec = record_ends(bytes, *n, ends, 40000);
    assert_true(*nrec > *events && *nrec < 40000); /* the events and the commit records */
    return bytes;
}

/* ---- a reader reads the journal as its check reaches it ----------------------------- */

static int preads;              /* pread calls through the hook */
static off_t pread_fail_from;   /* reads at or past this offset fail with EIO (-1: none) */
static off_t pread_cut_from;    /* the first read at or past this offset first cuts the file (-1: none) */
static off_t pread_cut_to;      /* ... to this many bytes */
static const char *pread_path;

static ssize_t hooked_pread(int fd, void *buf, size_t n, off_t off)
{
    preads++;
    if (pread_fail_from >= 0 && off >= pread_fail_from) {
        errno = EIO;
        return -1;
    }
    if (pread_cut_from >= 0 && off >= pread_cut_from) { /* a writer cutting a torn tail meanwhile */
        assert_int_equal(truncate(pread_path, pread_cut_to), 0);
        pread_cut_from = -1;
    }
    return pread(fd, buf, n, off);
}

/* Open p read-only, replaying the whole journal through the hooked reads in
 * pieces of 4 KiB, checked on a second thread or on this one. */
static lss_status open_reading(lss_db **d, const char *p, bool threaded)
{
    size_t scan_min = lss__scan_ahead_min, piece = lss__scan_read;
    uint32_t index_min = lss__index_thread_min;
    lss__scan_ahead_min = threaded ? 0 : SIZE_MAX;
    lss__index_thread_min = threaded ? 0 : UINT32_MAX;
    lss__scan_read = 4096;
    lss__io_ops.pread = hooked_pread;
    pread_path = p;
    preads = 0;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY | LSS_OPEN_NO_CHECKPOINT;
    *d = NULL;
    lss_status st = lss_db_open(d, p, &o);
    lss__io_ops.pread = lss__io_posix.pread;
    lss__scan_ahead_min = scan_min;
    lss__index_thread_min = index_min;
    lss__scan_read = piece;
    return st;
}

/* A reader replaying a whole journal reads it piece by piece as the check
 * reaches it, on the check's thread: it gets the state a writer gets; a
 * read that fails halfway fails the open with the reason and gives no
 * handle; a file cut meanwhile (a writer dropping a torn tail) is read as
 * what is left of it, exactly as a reader opening the cut file reads it. */
static void test_a_reader_reads_the_journal_as_its_check_reaches_it(void **state)
{
    (void)state;
    const char *p = path_of("pieces.lss");
    static size_t ends[40000];
    size_t n, nrec;
    uint64_t events;
    unsigned char *bytes = large_journal(p, &events, &n, ends, &nrec);
    lss_db *w;
    lss_open_options wo = LSS_OPEN_OPTIONS_INIT;
    wo.checkpoint_bytes = 0;
    assert_int_equal(lss_db_open(&w, p, &wo), LSS_OK);
    pread_fail_from = pread_cut_from = -1;
    for (int threaded = 0; threaded < 2; threaded++) {
        lss_db *d;
        assert_int_equal(open_reading(&d, p, threaded), LSS_OK);
        assert_true((size_t)preads >= n / 4096); /* in pieces, not in one read */
        assert_int_equal(lss_db_event_count(d), events);
        assert_same(d, w);
        lss_db_close(d);
    }
    lss_db_close(w);
    for (int threaded = 0; threaded < 2; threaded++) {
        lss_db *d;
        pread_fail_from = (off_t)(n / 2);
        assert_int_equal(open_reading(&d, p, threaded), LSS_IO);
        pread_fail_from = -1;
        assert_null(d);
        assert_non_null(strstr(lss_errmsg(), "read failed"));
        assert_non_null(strstr(lss_errmsg(), "Input/output error"));
        assert_non_null(strstr(lss_errmsg(), p));
    }
    /* cut at a record boundary and inside a record, after the reader has read a quarter */
    size_t cuts[2] = { ends[nrec / 2], ends[nrec / 2] + 10 };
    for (int k = 0; k < 4; k++) {
        bool threaded = k % 2;
        lss_db *d, *after;
        pread_cut_from = (off_t)(n / 4);
        pread_cut_to = (off_t)cuts[k / 2];
        assert_int_equal(open_reading(&d, p, threaded), LSS_OK);
        assert_int_equal(pread_cut_from, -1); /* the cut happened during the open */
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        o.flags = LSS_OPEN_READ_ONLY | LSS_OPEN_NO_CHECKPOINT;
        assert_int_equal(lss_db_open(&after, p, &o), LSS_OK);
        assert_true(lss_db_event_count(d) < events);
        assert_int_equal(lss_db_event_count(d), lss_db_event_count(after));
        assert_same(d, after);
        lss_db_close(d);
        lss_db_close(after);
        write_all_file(p, bytes, n);
    }
    free(bytes);
}

/* A large journal (several chunks of the check, with transactions) is
 * checked on a second thread ahead of the replay: whole, cut short, or with
 * a flipped bit in its first records, in those across the first chunk
 * edges, in the middle and in its last record, under each open mode, it
 * opens exactly as when checked on the replay's own thread: the same status,
 * message, events, state and recovery. */
static void test_the_check_ahead_finds_what_the_check_in_line_finds(void **state)
{
    (void)state;
    const char *full = path_of("ahead.lss");
    static size_t ends[40000];
    size_t n, nrec;
    uint64_t events;
    unsigned char *bytes = large_journal(full, &events, &n, ends, &nrec);
    size_t picks[16];
    int np = 0;
    picks[np++] = 0;
    picks[np++] = 1;
    picks[np++] = nrec / 7;
    picks[np++] = nrec / 2;
    picks[np++] = nrec - 2;
    picks[np++] = nrec - 1;
    for (size_t edge = 1; edge <= 3; edge++) { /* the record that crosses the edge of a chunk */
        size_t i = 0;
        while (ends[i] <= edge * 64 * 1024)
            i++;
        picks[np++] = i;
    }
    static const unsigned modes[] = { 0, LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE, LSS_OPEN_DROP_DAMAGED_TAIL };
    const char *bad = path_of("ahead-bad.lss");
    unsigned char *copy = malloc(n);
    int compared = 0;
    for (int change = 0; change < 3; change++) {
        for (int k = 0; k < (change == 0 ? 1 : np); k++) {
            size_t i = picks[k], start = i ? ends[i - 1] : LSS__J_HEADER, len = n;
            memcpy(copy, bytes, n);
            if (change == 1)
                copy[start + (ends[i] - start) / 2] ^= 0x10;
            else if (change == 2)
                len = start + (ends[i] - start) / 2;
            for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
                write_all_file(bad, copy, len);
                opened in_line = open_with(bad, modes[m], SIZE_MAX);
                write_all_file(bad, copy, len); /* the open may have cut a torn tail off */
                opened ahead = open_with(bad, modes[m], 0);
                if (in_line.st != ahead.st || strcmp(in_line.msg, ahead.msg) != 0 || in_line.events != ahead.events ||
                    in_line.hash != ahead.hash || memcmp(&in_line.rec, &ahead.rec, sizeof in_line.rec) != 0)
                    fail_msg("change %d at record %zu, mode %u: in line %s, %llu events, \"%s\"; ahead %s, %llu "
                             "events, \"%s\"",
                             change, i, modes[m], lss_status_name(in_line.st), (unsigned long long)in_line.events,
                             in_line.msg, lss_status_name(ahead.st), (unsigned long long)ahead.events, ahead.msg);
                if (change == 0) {
                    assert_int_equal(ahead.st, LSS_OK);
                    assert_int_equal(ahead.events, events);
                }
                compared++;
            }
        }
    }
    assert_int_equal(compared, 3 + 2 * np * 3);
    free(copy);
    free(bytes);
    unlink(full);
    unlink(bad);
}

/* ---- the database id ---------------------------------------------------------------- */

static bool is_id(const char *id)
{
    if (strlen(id) != 32)
        return false;
    for (const char *c = id; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

/* A new journal has a random 128-bit id in its header, kept by reopening,
 * compaction and readers; in-memory databases have their own. */
static void test_database_id(void **state)
{
    (void)state;
    const char *p = path_of("id.lss"), *q = path_of("id2.lss");
    lss_db *a, *b, *m1, *m2;
    assert_int_equal(lss_db_open(&a, p, NULL), LSS_OK);
    assert_int_equal(lss_db_open(&b, q, NULL), LSS_OK);
    char id[33];
    snprintf(id, sizeof id, "%s", lss_db_id(a));
    assert_true(is_id(id));
    assert_true(is_id(lss_db_id(b)));
    assert_string_not_equal(id, lss_db_id(b));
    rand_team(a);
    assert_int_equal(lss_db_compact(a), LSS_OK);
    assert_string_equal(lss_db_id(a), id);
    lss_db_close(a);
    lss_db_close(b);
    assert_int_equal(file_size(p) > (long)LSS__J_HEADER, 1);
    lss_open_options ro = LSS_OPEN_OPTIONS_INIT;
    ro.flags = LSS_OPEN_READ_ONLY;
    assert_int_equal(lss_db_open(&a, p, &ro), LSS_OK);
    assert_string_equal(lss_db_id(a), id);
    lss_db_close(a);
    assert_int_equal(lss_db_open(&m1, NULL, NULL), LSS_OK);
    assert_int_equal(lss_db_open(&m2, NULL, NULL), LSS_OK);
    assert_true(is_id(lss_db_id(m1)));
    assert_string_not_equal(lss_db_id(m1), lss_db_id(m2));
    lss_db_close(m1);
    lss_db_close(m2);
    assert_string_equal(lss_db_id(NULL), "");
}

/* A journal of format version 1 (32-byte header, no id): a reader opens it
 * as it is (id ""); the first writer rewrites it as version 2 with an id,
 * every event and its sequence number kept. */
static void test_a_version_1_journal_gets_an_id_at_its_first_write(void **state)
{
    (void)state;
    const char *v2 = path_of("new.lss"), *v1 = path_of("old.lss");
    lss_db *db;
    assert_int_equal(lss_db_open(&db, v2, NULL), LSS_OK);
    rand_team(db);
    assert_int_equal(lss_customer_add(NULL, db, 2000, "c-1", "One", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL), LSS_OK);
    uint64_t events = lss_db_event_count(db);
    lss_db_close(db);
    /* the same records behind a version 1 header: what the library wrote before the id existed */
    size_t n;
    unsigned char *b = read_all(v2, &n);
    assert_int_equal(lss__get_u32(b + 8), 2);
    unsigned char *old = malloc(n - 16);
    assert_non_null(old);
    memcpy(old, b, 28);
    lss__put_u32(old + 8, 1);
    lss__put_u32(old + 28, lss__crc_mask(lss__crc32c(0, old, 28)));
    memcpy(old + 32, b + LSS__J_HEADER, n - LSS__J_HEADER);
    write_all_file(v1, old, n - 16);
    lss_open_options ro = LSS_OPEN_OPTIONS_INIT;
    ro.flags = LSS_OPEN_READ_ONLY;
    lss_db *r, *orig;
    assert_int_equal(lss_db_open(&r, v1, &ro), LSS_OK);
    assert_string_equal(lss_db_id(r), "");
    assert_int_equal(lss_db_event_count(r), events);
    assert_int_equal(lss_db_open(&orig, v2, &ro), LSS_OK);
    assert_same(r, orig);
    lss_db_close(r);
    assert_int_equal(file_size(v1), (long)(n - 16)); /* a reader changed nothing */
    assert_int_equal(lss_db_open(&db, v1, NULL), LSS_OK);
    char id[33];
    snprintf(id, sizeof id, "%s", lss_db_id(db));
    assert_true(is_id(id));
    assert_int_equal(lss_db_event_count(db), events);
    assert_same(db, orig);
    assert_int_equal(lss_customer_add(NULL, db, 3000, "c-2", "Two", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    lss_db_close(db);
    unsigned char *now = read_all(v1, &n);
    assert_int_equal(lss__get_u32(now + 8), 2);
    assert_int_equal(lss_db_open(&r, v1, &ro), LSS_OK);
    assert_string_equal(lss_db_id(r), id);
    assert_int_equal(lss_db_event_count(r), events + 1);
    lss_db_close(r);
    lss_db_close(orig);
    free(now);
    free(old);
    free(b);
}

/* A follower: created with its source's id, written only through
 * LSS_OPEN_FOLLOWER with that id, read by anyone. */
static void test_a_follower_is_written_only_as_one(void **state)
{
    (void)state;
    const char *p = path_of("follower.lss");
    const char *id = "00112233445566778899aabbccddeeff";
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_FOLLOWER;
    o.follow = id;
    lss_db *db;
    assert_int_equal(lss_db_open(&db, p, &o), LSS_OK);
    assert_string_equal(lss_db_id(db), id);
    assert_int_equal(lss_db_is_follower(db), 1);
    rand_team(db);
    uint64_t events = lss_db_event_count(db);
    lss_db_close(db);
    assert_status_msg(NULL, lss_db_open(&db, p, NULL), LSS_UNSUPPORTED,
                      "the database is a follower of 00112233445566778899aabbccddeeff, written only by its replication");
    o.follow = "ffffffffffffffffffffffffffffffff";
    assert_status_msg(NULL, lss_db_open(&db, p, &o), LSS_INVALID, "the database follows another database");
    o.follow = "not an id";
    assert_status_msg(NULL, lss_db_open(&db, p, &o), LSS_INVALID, "needs follow, a database id of 32 hex digits");
    o.follow = id;
    o.flags |= LSS_OPEN_READ_ONLY;
    assert_status_msg(NULL, lss_db_open(&db, p, &o), LSS_INVALID, "LSS_OPEN_FOLLOWER is for writing a journal file");
    lss_open_options ro = LSS_OPEN_OPTIONS_INIT;
    ro.flags = LSS_OPEN_READ_ONLY;
    assert_int_equal(lss_db_open(&db, p, &ro), LSS_OK);
    assert_int_equal(lss_db_event_count(db), events);
    assert_int_equal(lss_db_is_follower(db), 1);
    lss_db_close(db);
    o.flags = LSS_OPEN_FOLLOWER;
    assert_int_equal(lss_db_open(&db, p, &o), LSS_OK); /* its replication goes on */
    assert_int_equal(lss_db_compact(db), LSS_OK);      /* and compaction keeps what it is */
    lss_db_close(db);
    assert_int_equal(lss_db_open(&db, p, &ro), LSS_OK);
    assert_int_equal(lss_db_is_follower(db), 1);
    assert_string_equal(lss_db_id(db), id);
    lss_db_close(db);
    /* a database that is not a follower cannot be opened as one */
    const char *plain = path_of("plain.lss");
    assert_int_equal(lss_db_open(&db, plain, NULL), LSS_OK);
    assert_int_equal(lss_db_is_follower(db), 0);
    lss_db_close(db);
    assert_status_msg(NULL, lss_db_open(&db, plain, &o), LSS_INVALID, "the database is not a follower");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reopen_gives_the_same_database),
        cmocka_unit_test(test_events_rebuilt_from_memory_replay_to_the_same_database),
        cmocka_unit_test(test_a_checksummed_record_that_breaks_a_rule_is_refused),
        cmocka_unit_test(test_cut_at_every_byte_reopens_to_the_longest_complete_prefix),
        cmocka_unit_test(test_flipped_bits_are_never_applied),
        cmocka_unit_test(test_every_framing_rule_is_checked),
        cmocka_unit_test(test_replay_refuses_content_a_writer_would_refuse),
        cmocka_unit_test(test_a_short_file_that_is_not_a_journal_is_never_overwritten),
        cmocka_unit_test(test_a_damaged_final_commit_is_refused_not_dropped),
        cmocka_unit_test(test_rollback_after_erase_and_growth_is_exact),
        cmocka_unit_test(test_rollback_of_an_erase_of_entries_made_in_the_transaction),
        cmocka_unit_test(test_transactions_commit_and_roll_back_exactly),
        cmocka_unit_test(test_a_transaction_cut_short_is_dropped_whole),
        cmocka_unit_test(test_transaction_in_memory_and_misuse),
        cmocka_unit_test(test_erase_then_compact_removes_the_texts_and_keeps_every_figure),
        cmocka_unit_test(test_a_reader_reads_the_journal_as_its_check_reaches_it),
        cmocka_unit_test(test_the_check_ahead_finds_what_the_check_in_line_finds),
        cmocka_unit_test(test_database_id),
        cmocka_unit_test(test_a_version_1_journal_gets_an_id_at_its_first_write),
        cmocka_unit_test(test_a_follower_is_written_only_as_one),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
