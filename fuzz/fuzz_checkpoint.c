/* libFuzzer target: any bytes as the checkpoint of a fixed journal (a small
 * generated company). The first byte chooses whether the target first
 * repairs the checkpoint (its magic, the journal's salt and position, every
 * section's checksum and the header's), so that mutations reach the
 * sections' contents (counts, codes, lists, values) instead of stopping at
 * a checksum.
 *
 * Checked: opening never crashes. A checkpoint left aside gives exactly the
 * state of the full replay (the same export) and a note. A checkpoint used
 * is compared with the full replay (lss_db_verify_state never crashes);
 * when it says they are the same, the report and the export are the full
 * replay's. (A state the comparison calls different is not reported on: the
 * report relies on the invariants that the journal's replay establishes and
 * that checksums, not a rule-by-rule check, protect in a checkpoint:
 * docs/durability.md, "Checkpoints".) */
#include "fuzz_common.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD 660u /* 56 + 25 sections * 24 + 4 (docs/durability.md) */
#define SECTIONS 25u

static char path[256], ckpath[300];
static unsigned char *journal;
static size_t journal_len;
static char *full_export, *full_report;

static void write_file(const char *p, const unsigned char *b, size_t n)
{
    FILE *f = fopen(p, "wb");
    FUZZ_ASSERT(f != NULL, "fopen %s", p);
    FUZZ_ASSERT(n == 0 || fwrite(b, 1, n, f) == n, "fwrite");
    FUZZ_ASSERT(fclose(f) == 0, "fclose");
}

static unsigned char *read_file(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    FUZZ_ASSERT(f != NULL, "fopen %s", p);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    FUZZ_ASSERT(b && fread(b, 1, (size_t)len, f) == (size_t)len, "fread");
    fclose(f);
    *n = (size_t)len;
    return b;
}

static uint64_t get64(const unsigned char *p) { return fuzz_get32(p) | (uint64_t)fuzz_get32(p + 4) << 32; }
static void put64(unsigned char *p, uint64_t v)
{
    fuzz_put32(p, (uint32_t)v);
    fuzz_put32(p + 4, (uint32_t)(v >> 32));
}

static char *report_json(lss_db *db)
{
    lss_report *r = NULL;
    char *out = NULL;
    FUZZ_ASSERT(lss_report_run(&r, db, NULL) == LSS_OK, "report: %s", lss_db_errmsg(db));
    FUZZ_ASSERT(lss_report_render(&out, NULL, r, LSS_REPORT_JSON) == LSS_OK, "render");
    lss_report_free(r);
    return out;
}

/* The files go with the process (libFuzzer ends a timed run by exit). */
static void cleanup(void)
{
    unlink(path);
    unlink(ckpath);
}

/* The journal every input is the checkpoint of, and its full replay. */
static void setup(void)
{
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/lss-fuzz-checkpoint-%ld.lss", dir, (long)getpid());
    snprintf(ckpath, sizeof ckpath, "%s.checkpoint", path);
    unlink(path);
    unlink(ckpath);
    atexit(cleanup);
    lss_db *db = NULL;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.sync = LSS_SYNC_OFF;
    o.checkpoint_bytes = 0;
    FUZZ_ASSERT(lss_db_open(&db, path, &o) == LSS_OK, "open: %s", lss_errmsg());
    /* the company of the seeds (fuzz/make-corpus.sh: lss generate --customers 12 --seed 1 --days 90 --reps 2
       --agents 2) */
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 12;
    g.seed = 1;
    g.days = 90;
    g.sales_reps = 2;
    g.agents = 2;
    FUZZ_ASSERT(lss_generate(db, &g) == LSS_OK, "generate: %s", lss_db_errmsg(db));
    size_t n;
    full_export = fuzz_export(db, &n);
    full_report = report_json(db);
    lss_db_close(db);
    journal = read_file(path, &journal_len);
}

/* Make the bytes a checkpoint of this journal, as far as the header goes:
 * the magic, the salt, the position (its end), every section's checksum
 * (for the lengths the header gives, within the bytes) and the header's. */
static void repair(unsigned char *p, size_t n)
{
    if (n < HEAD)
        return;
    memcpy(p, "LSSK\r\n\x1a\n", 8);
    fuzz_put32(p + 16, fuzz_get32(journal + 12));
    put64(p + 24, journal_len);
    uint32_t tail = journal_len - 32 < 4096 ? (uint32_t)(journal_len - 32) : 4096u;
    fuzz_put32(p + 40, fuzz_crc32c(journal + journal_len - tail, tail));
    fuzz_put32(p + 44, tail);
    size_t off = HEAD;
    for (unsigned s = 0; s < SECTIONS; s++) {
        unsigned char *h = p + 56 + s * 24;
        uint64_t len = get64(h + 8);
        if (len > n - off)
            break;
        fuzz_put32(h + 16, fuzz_mask(fuzz_crc32c(p + off, (size_t)len)));
        off += (size_t)len;
    }
    fuzz_put32(p + HEAD - 4, fuzz_mask(fuzz_crc32c(p, HEAD - 4)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (journal == NULL)
        setup();
    if (size == 0)
        return 0;
    size_t n = size - 1;
    unsigned char *bytes = malloc(n ? n : 1);
    FUZZ_ASSERT(bytes != NULL, "malloc");
    memcpy(bytes, data + 1, n);
    if (data[0] & 1)
        repair(bytes, n);
    write_file(path, journal, journal_len);
    write_file(ckpath, bytes, n);

    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    lss_db *db = NULL;
    lss_status st = lss_db_open(&db, path, &o);
    FUZZ_ASSERT(st == LSS_OK, "open: %s: %s", lss_status_name(st), lss_errmsg());
    lss_recovery rec;
    FUZZ_ASSERT(lss_db_recovery(&rec, db) == LSS_OK, "recovery");
    if (rec.checkpoint_events == 0) {
        FUZZ_ASSERT(strstr(rec.checkpoint_note, "checkpoint ignored: ") == rec.checkpoint_note,
                    "left aside without a note: \"%s\"", rec.checkpoint_note);
        size_t len;
        char *e = fuzz_export(db, &len);
        FUZZ_ASSERT(strcmp(e, full_export) == 0, "a checkpoint left aside changed the state");
        free(e);
    } else if (lss_db_verify_state(db) == LSS_OK) {
        size_t len;
        char *e = fuzz_export(db, &len);
        FUZZ_ASSERT(strcmp(e, full_export) == 0, "the same state by the comparison, another export");
        free(e);
        char *r = report_json(db);
        FUZZ_ASSERT(strcmp(r, full_report) == 0, "the same state by the comparison, another report");
        lss_free(r);
    } else {
        FUZZ_ASSERT(strstr(lss_db_errmsg(db), "verify: ") != NULL, "verify failed without a message");
    }
    lss_db_close(db);
    free(bytes);
    return 0;
}
