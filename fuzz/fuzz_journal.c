/* libFuzzer target: any bytes as a journal file. The first byte chooses
 * whether the target first repairs the framing (the header's and every
 * record's checksum, from the salt in the header), so that the fuzzer
 * reaches the records' contents and not only the checksums.
 *
 * Checked: opening read-only, read-only up to damage and read-write never
 * crashes; a refused open leaves the file as it was; what opens reports,
 * exports and round-trips; read-only and read-write opens agree on the
 * events; a read-write handle can append, and the file then reopens with
 * one more event. */
#include "fuzz_common.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[256];

static void write_file(const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    FUZZ_ASSERT(f != NULL, "fopen %s", path);
    FUZZ_ASSERT(fwrite(p, 1, n, f) == n, "fwrite");
    FUZZ_ASSERT(fclose(f) == 0, "fclose");
}

static long file_size(void)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}


/* Give the bytes a valid header and valid record checksums. */
static void repair(unsigned char *p, size_t n)
{
    /* format version 2 (48-byte header, with the database id) or, when byte 8 is odd, version 1 (32 bytes) */
    size_t hs = n >= 9 && (p[8] & 1) ? 32 : 48;
    if (n < hs)
        return;
    memcpy(p, "LSSJ\r\n\x1a\n", 8);
    fuzz_put32(p + 8, hs == 32 ? 1 : 2);
    fuzz_put32(p + hs - 4, fuzz_mask(fuzz_crc32c(p, hs - 4)));
    uint32_t salt = fuzz_get32(p + 12);
    size_t off = hs;
    while (off + 24 <= n) {
        uint32_t len = fuzz_get32(p + off + 4);
        if (len > n - off - 24)
            break;
        fuzz_put32(p + off + 12, salt);
        fuzz_put32(p + off, fuzz_mask(fuzz_crc32c(p + off + 4, 20 + len)));
        off += 24 + len;
    }
}

static void exercise(lss_db *db)
{
    lss_recovery rec;
    FUZZ_ASSERT(lss_db_recovery(&rec, db) == LSS_OK, "recovery");
    FUZZ_ASSERT(rec.events == lss_db_event_count(db), "recovery events");
    fuzz_report(db);
    fuzz_roundtrip(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (path[0] == '\0') {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/lss-fuzz-journal-%ld.lss", dir, (long)getpid());
    }
    if (size == 0)
        return 0;
    size_t n = size - 1;
    unsigned char *bytes = malloc(n ? n : 1);
    FUZZ_ASSERT(bytes != NULL, "malloc");
    memcpy(bytes, data + 1, n);
    if (data[0] & 1)
        repair(bytes, n);

    /* read-only: never changes the file */
    write_file(bytes, n);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    lss_db *db = NULL;
    lss_status ro = lss_db_open(&db, path, &o);
    uint64_t ro_events = 0;
    char *ro_export = NULL;
    size_t ro_len = 0;
    if (ro == LSS_OK) {
        ro_events = lss_db_event_count(db);
        exercise(db);
        ro_export = fuzz_export(db, &ro_len);
        lss_db_close(db);
    } else {
        FUZZ_ASSERT(db == NULL, "a failed open returned a handle");
        FUZZ_ASSERT(strlen(lss_errmsg()) > 0, "a failed open without a message");
    }
    o.flags = LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE;
    if (lss_db_open(&db, path, &o) == LSS_OK) {
        exercise(db);
        lss_db_close(db);
    }
    FUZZ_ASSERT(file_size() == (long)n, "a read-only open changed the file");

    /* read-write: the same events as read-only; refusal leaves the file */
    lss_status rw = lss_db_open(&db, path, NULL);
    if (rw == LSS_OK) {
        /* only a file shorter than the header its version asks for (32 bytes for version 1, 48 for 2) is a
           creation cut short, which a writer starts again and a reader refuses */
        bool v2 = n >= 12 && memcmp(bytes, "LSSJ\r\n\x1a\n", 8) == 0 && fuzz_get32(bytes + 8) == 2;
        FUZZ_ASSERT(ro == LSS_OK || n < (v2 ? 48u : 32u), "read-write opened what read-only refused: %s",
                    lss_status_name(ro));
        if (ro == LSS_OK) {
            FUZZ_ASSERT(lss_db_event_count(db) == ro_events, "read-only %llu events, read-write %llu",
                        (unsigned long long)ro_events, (unsigned long long)lss_db_event_count(db));
            size_t len;
            char *e = fuzz_export(db, &len);
            FUZZ_ASSERT(len == ro_len && memcmp(e, ro_export, len) == 0, "read-only and read-write differ");
            free(e);
        }
        exercise(db);
        /* append one event: the file reopens with it */
        uint64_t before = lss_db_event_count(db);
        lss_time at = lss_db_last_time(db) == LSS_TIME_NONE ? 0 : lss_db_last_time(db);
        lss_status st = lss_member_add(NULL, db, at, "fuzz-new-member-key", "F", LSS_ROLE_BOTH, NULL);
        lss_db_close(db);
        FUZZ_ASSERT(lss_db_open(&db, path, NULL) == LSS_OK, "the file does not reopen after a write: %s",
                    lss_errmsg());
        FUZZ_ASSERT(lss_db_event_count(db) == before + (st == LSS_OK), "the appended event is lost");
        lss_db_close(db);
    } else {
        FUZZ_ASSERT(db == NULL, "a failed open returned a handle");
        if (rw != LSS_NOMEM && rw != LSS_IO) {
            size_t m = 0;
            FILE *f = fopen(path, "rb");
            FUZZ_ASSERT(f != NULL, "fopen");
            unsigned char *again = malloc(n + 1);
            FUZZ_ASSERT(again != NULL, "malloc");
            m = fread(again, 1, n + 1, f);
            fclose(f);
            FUZZ_ASSERT(m == n && memcmp(again, bytes, n) == 0, "a refused read-write open changed the file");
            free(again);
        }
    }
    free(ro_export);
    free(bytes);
    unlink(path);
    return 0;
}
