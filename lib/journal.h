/* The journal: the file a durable database is the replay of (journal.c),
 * and the I/O calls it makes, behind a table tests can replace. */
#ifndef LSS_JOURNAL_H
#define LSS_JOURNAL_H

#include "event.h"

#include <sys/types.h>

/* File layout (docs/durability.md): a 32-byte header, then records of a
 * 24-byte header and a payload. */
#define LSS__J_MAGIC "LSSJ\r\n\x1a\n"
#define LSS__J_VERSION 1u
#define LSS__J_HEADER 32u
#define LSS__J_RECORD 24u
#define LSS__J_PAYLOAD_MAX (1u << 20)
enum { LSS__R_EVENT = 1, LSS__R_TX_EVENT = 2, LSS__R_TX_COMMIT = 3 };

/* The I/O the journal does that can fail in ways tests must reach. */
typedef struct lss__io {
    ssize_t (*write)(int fd, const void *buf, size_t n);
    int (*fdatasync)(int fd);
    int (*ftruncate)(int fd, off_t len);
    int (*rename)(const char *from, const char *to);
    int (*fsync_dir)(const char *dir);
    int (*flock)(int fd, int op);
} lss__io;
extern lss__io lss__io_ops;
/* The real calls, for tests that wrap them. */
extern const lss__io lss__io_posix;

uint32_t lss__crc32c(uint32_t crc, const void *buf, size_t n);
uint32_t lss__crc_mask(uint32_t crc);

/* Open (create or replay) the journal of a new, empty database. */
lss_status lss__journal_open(lss_db *db, const char *path, const lss_open_options *opts);
/* Sync and close (lss_db_close). */
void lss__journal_close(lss_db *db);
/* Write (or, in a transaction, buffer) the event about to become number
 * db->events + 1. On failure nothing is kept of it (a write failure also
 * poisons the handle). */
lss_status lss__journal_append(lss_db *db, const lss__event *ev);
/* Transactions: start buffering; write the buffer and its commit; drop it. */
void lss__journal_tx_begin(lss_db *db);
lss_status lss__journal_tx_commit(lss_db *db);
void lss__journal_tx_discard(lss_db *db);
bool lss__journal_read_only(const lss_db *db);
/* db.config on an empty database: write the header again with the new
 * currency and pipeline mode (no-op in memory). */
lss_status lss__journal_rewrite_header(lss_db *db);

#endif
