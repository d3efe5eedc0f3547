/* The store layer (lib/store/): the binary form of an event (codec.c) and
 * the journal, the file a durable database is the replay of (journal.c),
 * with the I/O calls it makes behind a table tests can replace. It knows
 * bytes and events, never the database. */
#ifndef LSS_STORE_H
#define LSS_STORE_H

#include "domain/schema.h"

#include <sys/types.h>

/* File layout (docs/durability.md): a 48-byte header (format version 2,
 * with the database id; version 1, 32 bytes without it, is still read),
 * then records of a 24-byte header and a payload. */
#define LSS__J_MAGIC "LSSJ\r\n\x1a\n"
#define LSS__J_VERSION 2u
#define LSS__J_HEADER 48u
#define LSS__J_HEADER_V1 32u
#define LSS__J_ID 16u
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
    ssize_t (*pread)(int fd, void *buf, size_t n, off_t off);
} lss__io;
extern lss__io lss__io_ops;
/* Write all of buf through lss__io_ops (short writes continued, EINTR
 * retried): 0, or -1 with errno. Read n bytes at off: false on an error
 * (errno) or the end of the file first (errno 0). */
int lss__write_all(int fd, const void *buf, size_t n);
bool lss__pread_all(int fd, void *buf, size_t n, uint64_t off);
/* The real calls, for tests that wrap them. */
extern const lss__io lss__io_posix;

/* Binary form (the journal's payload): the time as a little-endian i64, each
 * string as a u32 length (0xFFFFFFFF: absent) and its bytes, except that a
 * field naming an existing entity is that entity's u32 id (ev->ref[k]); each
 * integer as a little-endian i64. With `keys` such a field is written as its
 * key instead, a string like the others: the form of events whose entities
 * do not exist yet (lss_generate holds a company's events so until it has
 * sorted them). */
size_t lss__event_size(const lss__event *ev, bool keys);
void lss__event_encode(const lss__event *ev, unsigned char *out, bool keys);
/* Decode `len` bytes of payload for `kind` (written with the same `keys`);
 * the strings are copied, each with its NUL, into `scratch` (at least
 * len + LSS__EV_STRS bytes), which must outlive the event. Returns false
 * when the payload does not fit. */
bool lss__event_decode(lss__event *ev, uint8_t kind, const unsigned char *buf, size_t len, char *scratch,
                       bool keys);

/* The canonical JSON of an event, one line with its newline, appended to a
 * growing buffer (json.c), kept NUL-terminated; nomem: a growth failed (what
 * the buffer holds is then incomplete). */
typedef struct lss__json {
    char *data;
    size_t len, cap;
    bool nomem;
} lss__json;
void lss__json_event(lss__json *o, const lss__event *ev);
void lss__json_config(lss__json *o, lss_time at, const char *currency, const char *pipeline);

/* A journal knows bytes and events, never the database: it reports its
 * failures as the message of the handle it belongs to (an opaque pointer)
 * and takes its lock only in the normal-mode flusher. */
typedef struct lss__journal lss__journal;

/* The settings a journal's header holds. */
typedef struct lss__jheader {
    char currency[4];
    lss_pipeline_mode pipeline;
    unsigned char id[LSS__J_ID]; /* the database id: random, chosen at creation (version 2) */
    bool has_id;                 /* false: a version 1 journal, which has none until it is rewritten */
    bool follower;               /* written only by replication (LSS_OPEN_FOLLOWER) */
} lss__jheader;

/* What opening an existing journal hands on: its header's settings, then
 * each event of its good records in order, then the end (whose failure, like
 * an event's, fails the open). */
/* Where a checkpoint took the journal up to: the end of its last covered
 * record (never inside a transaction), the events before it, and a checksum
 * of the tail_len bytes before offset, which tells this journal from another
 * of the same salt and size. */
typedef struct lss__jresume {
    uint64_t offset, events;
    uint32_t tail_crc, tail_len;
} lss__jresume;
#define LSS__J_TAIL 4096u

typedef struct lss__journal_reader {
    lss_status (*header)(void *ctx, const lss__jheader *h);
    /* Optional: before the records, the reader may load a state that covers
     * the journal up to a position (a checkpoint) and say where in *at
     * (offset 0: from the start). The journal checks the position against
     * its bytes; when they disagree it calls discard, after which the reader
     * holds no state, and replays from the start. Why a checkpoint was not
 * used goes in note (lss_recovery::checkpoint_note). */
    lss_status (*resume)(void *ctx, uint32_t salt, uint64_t size, lss__jresume *at, char *note, size_t note_size);
    void (*discard)(void *ctx);
    lss_status (*event)(void *ctx, const lss__event *ev);
    lss_status (*end)(void *ctx);
    void *ctx;
} lss__journal_reader;

/* Journals of at least this many bytes are checked on a second thread, a
 * chunk ahead of the replay (tests set 0 or SIZE_MAX to compare the two). */
extern size_t lss__scan_ahead_min;
/* A reader replaying the whole journal reads it this many bytes at a time,
 * as the check reaches them (tests make it small). */
extern size_t lss__scan_read;

/* Open the journal at path for the handle db (created with the settings
 * `fresh` if missing or empty; an existing one is read through rd). */
lss_status lss__journal_open(lss__journal **out, lss_db *db, const char *path, const lss_open_options *opts,
                             const lss__jheader *fresh, const lss__journal_reader *rd);
/* Sync and close (the caller does not hold the handle's lock). NULL: nothing. */
void lss__journal_close(lss__journal *j);
/* Write (or, in a transaction, buffer) the event numbered seq. On failure
 * nothing is kept of it; a write or sync failure poisons the journal. */
lss_status lss__journal_append(lss__journal *j, const lss__event *ev, uint64_t seq, bool in_tx);
/* Transactions: write the buffer and its commit (last_seq: the last event
 * in it); forget the buffer (at the start and on rollback). */
lss_status lss__journal_tx_commit(lss__journal *j, uint64_t last_seq);
void lss__journal_tx_reset(lss__journal *j);
/* fdatasync now (lss_db_sync); LSS_OK for NULL or read-only. */
lss_status lss__journal_sync(lss__journal *j);
/* While the journal holds no record: write its header again with h. */
lss_status lss__journal_rewrite_header(lss__journal *j, const lss__jheader *h);
/* What the events of a compacted journal come from: event k (from 0) of count. */
typedef struct lss__journal_source {
    uint64_t count;
    void (*event)(void *ctx, uint64_t k, lss__event *ev);
    void *ctx;
} lss__journal_source;
/* Write the source's events to PATH.compact and rename it over the journal. */
lss_status lss__journal_compact(lss__journal *j, const lss__journal_source *src);
/* For NULL (in memory): false, LSS_OK, NULL, a zeroed report. */
bool lss__journal_read_only(const lss__journal *j);
/* LSS_OK, or the I/O error after which the journal refuses every write. */
lss_status lss__journal_poisoned(const lss__journal *j);
const char *lss__journal_path(const lss__journal *j);
/* The format version of the file: 1 or 2 (0 for NULL). */
unsigned lss__journal_version(const lss__journal *j);
/* The header's settings and database id (NULL: none). */
const lss__jheader *lss__journal_header(const lss__journal *j);
/* 16 random bytes (from /dev/urandom; a clock and pid mix if it cannot be read). */
void lss__random_id(unsigned char id[LSS__J_ID]);
void lss__journal_recovery(const lss__journal *j, lss_recovery *out);
/* The journal's position now, for a checkpoint of a state holding `events`
 * events (synced first: a checkpoint never covers what the journal might
 * lose). Not in a transaction. */
lss_status lss__journal_anchor(lss__journal *j, uint64_t events, uint32_t *salt, lss__jresume *out);
/* A reader: apply the whole committed records appended since the open or
 * the last refresh through rd (its event and end). *replaced: the file is
 * another now (compacted) or no longer holds what was read (cut): nothing
 * was applied, and the caller reopens. */
lss_status lss__journal_refresh(lss__journal *j, const lss__journal_reader *rd, uint64_t *applied, bool *replaced);
/* Bytes of valid journal now. */
uint64_t lss__journal_size(const lss__journal *j);
/* Open flag for a second, read-only look at a journal this process already
 * holds (lss_db_verify_state): no lock, no checkpoint. */
#define LSS__OPEN_UNLOCKED (1u << 30)

#endif
