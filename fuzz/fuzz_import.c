/* libFuzzer target: any bytes as JSON Lines. An atomic import that fails
 * changes nothing; keep-going applies what it can; whatever was imported
 * reports, renders and survives export -> import -> export unchanged. */
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int keep_going = 0; keep_going < 2; keep_going++) {
        lss_db *db = NULL;
        FUZZ_ASSERT(lss_db_open(&db, NULL, NULL) == LSS_OK, "open");
        size_t n0;
        char *empty = fuzz_export(db, &n0);
        lss_status st = fuzz_import(db, (const char *)data, size, keep_going);
        if (st != LSS_OK) {
            /* a failed import changes nothing */
            FUZZ_ASSERT(!keep_going || st == LSS_NOMEM || st == LSS_IO, "keep-going import failed: %s",
                        lss_status_name(st));
            FUZZ_ASSERT(strlen(lss_db_errmsg(db)) > 0, "a failure without a message");
            size_t n1;
            char *after = fuzz_export(db, &n1);
            FUZZ_ASSERT(n0 == n1 && memcmp(empty, after, n0) == 0, "a failed import changed the database");
            FUZZ_ASSERT(lss_db_event_count(db) == 0, "a failed import left events");
            free(after);
        }
        fuzz_report(db);
        fuzz_roundtrip(db);
        free(empty);
        lss_db_close(db);
    }
    return 0;
}
