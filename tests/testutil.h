/* Shared helpers of the cmocka tests. */
#ifndef LSS_TESTUTIL_H
#define LSS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/domain.h"

/* Parse a timestamp or fail the test. */
lss_time T(const char *text);

/* A counting allocator: fails the Nth allocation after arming (one shot)
 * and tracks live blocks, so tests can prove "no leak" and "OOM is clean". */
void fail_alloc_install(void);
void fail_alloc_uninstall(void);
void fail_alloc_arm(long nth);   /* 0 disarms */
int fail_alloc_fired(void);      /* the armed failure happened */
long fail_alloc_live(void);      /* live blocks */

/* Full state of a database as text (owned; free with free()). */
char *dump(const lss_db *db);
/* A 64-bit FNV-1a hash of dump(db): the state, to compare without keeping it. */
uint64_t dump_hash(const lss_db *db);

/* Assert that status is `expect` and the database message contains every
 * NULL-terminated fragment. */
#define assert_status_msg(db, st, expect, ...) assert_status_msg_((db), (st), (expect), __FILE__, __LINE__, __VA_ARGS__, (const char *)NULL)
void assert_status_msg_(const lss_db *db, lss_status st, lss_status expect, const char *file, int line, ...);

/* Assert an exact ratio num / den. */
#define assert_ratio(r, n, d)                                                                       \
    do {                                                                                            \
        assert_int_equal((r).num, (n));                                                             \
        assert_int_equal((r).den, (d));                                                             \
    } while (0)

/* A fresh directory for a test program's files: in $TMPDIR, else /dev/shm
 * (where fsync costs nothing: the tests check what reaches the file, not the
 * disk), else here. tmp_path names a file in it (two buffers alternate). */
int tmp_dir_make(const char *prefix);
int tmp_dir_remove(void);
const char *tmp_path(const char *name);
/* cmocka group setup and teardown around them. */
int tmp_group_setup(void **state);
int tmp_group_teardown(void **state);

/* Open (create or replay) a lenient database journal with the given sync mode; fails the test on error. */
lss_db *open_journal(const char *path, lss_sync_mode sync);

/* The canonical export of db (lss_export_stream) as text; free with free(). */
char *export_text(lss_db *db);
/* Export db, import the text into a new in-memory database: the same state
 * (dump_hash) and the same export byte for byte. Returns the export (free with free()). */
char *assert_round_trip(lss_db *db);
/* Close *db (a journal at path), open it again: the state is `want`; write a
 * checkpoint, close, open from it: the state is `want` and checks out. */
void assert_reopens(lss_db **db, const char *path, uint64_t want);

/* Open an in-memory database in the given pipeline mode; fails the test on error. */
lss_db *open_db(lss_pipeline_mode mode);

/* Every stored fact of db, in id order, as text (tests/dump.c); free with lss__free. NULL on OOM. */
char *lss__dump(const lss_db *db);

#endif
