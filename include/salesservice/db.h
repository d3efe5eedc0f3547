/**
 * @file salesservice/db.h
 * @brief Opening and closing a database; per-database settings; threads.
 *
 * ## Threads
 * A database handle may be shared by threads. Every function that takes an
 * `lss_db *` runs under the database's internal (recursive) lock, so calls
 * on one database are serialised and each sees the effects of the ones
 * before it. Accessors on entity handles (lss_deal_stage(), ...) take no
 * lock: they are plain reads, safe while no other thread mutates the same
 * database. A program that reads from one thread while another writes wraps
 * its reads in lss_db_lock() / lss_db_unlock().
 *
 * ## Borrowing
 * Entity handles (`const lss_member *`, `lss_customer`, `lss_deal`,
 * `lss_activity`) and the strings their accessors return are owned by the
 * database. A handle stays valid until lss_db_close() (or, for an entity
 * created inside a transaction, until that transaction is rolled back); a
 * string stays valid until the same entity is changed again (for example by
 * lss_customer_update() or lss_customer_erase()) or the database is closed.
 * Never free them.
 *
 * ## No handle
 * An accessor given a NULL entity handle returns its "no value" and never
 * crashes: NULL for a string or a handle, #LSS_TIME_NONE for a time, 0 for
 * a count, a flag, a score or an amount, UINT32_MAX for an id, -1 for a
 * duration and for an enum (stage, state, kind, channel, priority, role,
 * source). Functions that return a status give #LSS_INVALID instead.
 */
#ifndef SALESSERVICE_DB_H
#define SALESSERVICE_DB_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How strictly deals must follow the pipeline. Pinned values. */
typedef enum lss_pipeline_mode {
    LSS_PIPELINE_STRICT = 0,   /**< advance one stage at a time, win only from negotiated */
    LSS_PIPELINE_LENIENT = 1   /**< advance to any later open stage, win from any open stage */
} lss_pipeline_mode;

/** @return "strict" or "lenient"; NULL for a value that is not a mode. */
LSS_API const char *lss_pipeline_mode_name(int mode);
/** Parse "strict" / "lenient". @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_pipeline_mode_parse(lss_pipeline_mode *out, const char *text);

/**
 * When a file-backed database makes a change durable (docs/durability.md).
 * Pinned values.
 */
typedef enum lss_sync_mode {
    LSS_SYNC_FULL = 0,    /**< fdatasync before each change (or each transaction commit) returns:
                               nothing acknowledged is lost, even on power loss */
    LSS_SYNC_NORMAL = 1,  /**< written before the call returns, synced at least once a second and at
                               close: a process crash loses nothing, power loss at most the last second */
    LSS_SYNC_OFF = 2      /**< written before the call returns, synced only at close and by
                               lss_db_sync(): a process crash loses nothing, power loss what the
                               operating system had not yet written */
} lss_sync_mode;

/** @return "full", "normal", "off"; NULL otherwise. */
LSS_API const char *lss_sync_mode_name(int mode);
/** Parse a sync mode. @return #LSS_OK, or #LSS_INVALID (NULL output or text, or not a mode). */
LSS_API lss_status lss_sync_mode_parse(lss_sync_mode *out, const char *text);

/** lss_open_options::flags: open an existing journal for reading only (shared lock; every change fails). */
#define LSS_OPEN_READ_ONLY 1u
/** lss_open_options::flags: with #LSS_OPEN_READ_ONLY, open a damaged journal up to the damage
 *  instead of failing (lss_db_recovery() tells where reading stopped). */
#define LSS_OPEN_TO_DAMAGE 2u
/** lss_open_options::flags: open for writing even though the journal's last record is damaged (whole,
 *  but its checksum, salt, sequence or transaction structure does not check out, and no valid record
 *  follows): the damaged record, and any unfinished transaction before it, is cut off the file and
 *  lss_db_recovery() reports it (damage_offset, bytes_dropped). Without it such a journal refuses to
 *  open with #LSS_CORRUPT, since the damaged record may hold acknowledged changes. Damage followed by
 *  valid records always refuses to open for writing. */
#define LSS_OPEN_DROP_DAMAGED_TAIL 4u

/** lss_open_options::flags: leave any checkpoint aside and replay the whole journal (the checkpoint file
 *  stays as it is). */
#define LSS_OPEN_NO_CHECKPOINT 8u

/** lss_open_options::flags: open as the follower of the database whose id is lss_open_options::follow
 *  (what `lss replicate` does): a missing or empty file becomes a new journal with that database id,
 *  marked a follower in its header; an existing one must be a follower of that database. A follower is
 *  written only through this flag: any other open for writing fails with #LSS_UNSUPPORTED, so that a
 *  copy kept equal to its source by replication is never changed by anything else. Readers open it as
 *  any journal. */
#define LSS_OPEN_FOLLOWER 16u

/** Default of lss_open_options::checkpoint_bytes: 64 MiB of journal (about a million events). */
#define LSS_CHECKPOINT_BYTES_DEFAULT (UINT64_C(64) << 20)

/** Version of #lss_open_options this header describes (1 is still accepted: it has no checkpoint_bytes,
 *  which then takes its default). */
#define LSS_OPEN_OPTIONS_VERSION 4

/** Options of lss_db_open(). Initialise with #LSS_OPEN_OPTIONS_INIT or lss_open_options_init(). */
typedef struct lss_open_options {
    unsigned int version;            /**< #LSS_OPEN_OPTIONS_VERSION */
    char currency[4];                /**< ISO 4217 code, three letters A-Z; "" means "EUR". For a new
                                          database only: an existing journal keeps its own. */
    lss_pipeline_mode pipeline;      /**< default #LSS_PIPELINE_STRICT; new databases only, as currency */
    lss_sync_mode sync;              /**< file-backed databases: default #LSS_SYNC_FULL */
    unsigned int flags;              /**< #LSS_OPEN_READ_ONLY, #LSS_OPEN_TO_DAMAGE, ...; default 0 */
    uint64_t checkpoint_bytes;       /**< version 2. A writer writes a checkpoint by itself (lss_db_checkpoint())
                                          once its journal has grown this many bytes past the latest checkpoint
                                          (or past its size at open, without one); 0: never by itself. Default
                                          #LSS_CHECKPOINT_BYTES_DEFAULT. */
    unsigned int busy_timeout_ms;    /**< version 2. A writer whose file another writer holds waits up to this
                                          many milliseconds for it, then fails with #LSS_LOCKED; default 0 (fail
                                          at once). Readers never wait: they take no lock. */
    const char *zoneinfo_dir;        /**< version 3. Where calendars (calendar.h) read their TZif zone files;
                                          NULL (default): /usr/share/zoneinfo. Copied at open. */
    const char *follow;              /**< version 4. With #LSS_OPEN_FOLLOWER: the id (lss_db_id(), 32 hex
                                          digits) of the database this one follows; else NULL (default). */
} lss_open_options;

/** Static initialiser: version set, every option at its default. */
#define LSS_OPEN_OPTIONS_INIT                                                                                   \
    { LSS_OPEN_OPTIONS_VERSION, "EUR", LSS_PIPELINE_STRICT, LSS_SYNC_FULL, 0u, LSS_CHECKPOINT_BYTES_DEFAULT, 0u, NULL, \
      NULL }

/**
 * Set @p opts to the defaults of @p version (the twin of #LSS_OPEN_OPTIONS_INIT).
 * @return #LSS_OK, #LSS_INVALID for NULL, #LSS_VERSION for an unknown version.
 */
LSS_API lss_status lss_open_options_init(lss_open_options *opts, unsigned int version);

/**
 * Open a database.
 *
 * With a @p path the database is durable: the file is its journal, created
 * if missing. Opening replays it; every later change is appended as one
 * record before the call returns (synced per lss_open_options::sync). A torn
 * tail (a final record cut short by the end of the file: a write a crash
 * interrupted, never acknowledged) is truncated and reported by
 * lss_db_recovery(). Damage (a whole record that does not check out, or a
 * short one with valid records after it) refuses to open, unless the flags
 * ask otherwise (#LSS_OPEN_TO_DAMAGE, #LSS_OPEN_DROP_DAMAGED_TAIL). A file
 * that is not a journal is never written to: an existing file is
 * initialised only when it is empty or a header cut short.
 * One writer, any number of readers: a second open for writing of the same
 * file, by this or another process, waits up to
 * lss_open_options::busy_timeout_ms and then fails with #LSS_LOCKED (naming
 * the process that holds it when the system can tell); a read-only open
 * (#LSS_OPEN_READ_ONLY) takes no lock and sees the latest commit at its
 * open, then lss_db_refresh() brings it up to date. See docs/durability.md.
 *
 * @param[out] out   the new database; the caller owns it and closes it with
 *                   lss_db_close(). Set to NULL on failure.
 * @param path       NULL for an in-memory database, or the journal's path.
 * @param opts       NULL for the defaults (EUR, strict pipeline, full sync).
 * @return #LSS_OK; #LSS_INVALID (bad option, NULL out); #LSS_VERSION (options
 *         or a journal written by a newer format); #LSS_LOCKED; #LSS_IO (the
 *         file cannot be opened, read or written); #LSS_CORRUPT (not a
 *         journal, or damaged); #LSS_NOMEM. On failure the message is in
 *         lss_errmsg().
 */
LSS_API lss_status lss_db_open(lss_db **out, const char *path, const lss_open_options *opts);

/**
 * Close @p db and free everything it owns. NULL is a no-op. Handles from it
 * become invalid. A file-backed database is synced first; an open transaction
 * is rolled back.
 */
LSS_API void lss_db_close(lss_db *db);

/**
 * The message of the most recent failed call on @p db made by the calling
 * thread (falling back to the most recent failure on @p db by any thread),
 * naming the entity, the rule and the values, e.g.
 * `deal "d-17": cannot win from qualified (strict pipeline: win only from negotiated)`.
 *
 * @return a string owned by the library, valid until the next failing call
 *         on the same thread or the database is closed; "" if none. Never NULL
 *         (for a NULL @p db it returns lss_errmsg()).
 */
LSS_API const char *lss_db_errmsg(const lss_db *db);

/** Take the database's recursive lock (see "Threads" above). */
LSS_API void lss_db_lock(lss_db *db);
/** Release a lock taken with lss_db_lock(). */
LSS_API void lss_db_unlock(lss_db *db);

/** @return the database's ISO 4217 currency code (static for its lifetime). */
LSS_API const char *lss_db_currency(const lss_db *db);
/**
 * The database id: 32 lowercase hex digits of a random 128-bit id chosen
 * when the database was created and kept in its journal header for good
 * (compaction keeps it; a copy of the file has the same id). It names the
 * database beyond this machine: `lss publish` gives each event the message
 * id `<database id>:<seq>`. A journal of format version 1 (written before
 * the id existed) gets one when it is first opened for writing (the open
 * rewrites it, as lss_db_compact() does); until then, and for NULL, "".
 * An in-memory database has a random id of its own.
 * @return a string owned by @p db, valid until it is closed.
 */
LSS_API const char *lss_db_id(const lss_db *db);
/** @return 1 when @p db is a follower (its journal's header says so: see #LSS_OPEN_FOLLOWER), else 0. */
LSS_API int lss_db_is_follower(const lss_db *db);
/** @return the database's pipeline mode. */
LSS_API lss_pipeline_mode lss_db_pipeline(const lss_db *db);

/** @return how many events were applied to @p db since it was opened or created. */
LSS_API uint64_t lss_db_event_count(const lss_db *db);

/** @return the largest `at` of any event applied, or #LSS_TIME_NONE for an empty database. */
LSS_API lss_time lss_db_last_time(const lss_db *db);

/**
 * Bring a read-only handle up to the latest commit of the writer (another
 * handle or process): read the records appended since the open or the last
 * refresh and apply every whole committed one (never half a transaction,
 * never a record still being written). When the file was replaced (the
 * writer compacted it) or cut (the writer took back a write whose sync
 * failed), the handle reopens the file instead: it loads its checkpoint and
 * replays what follows, and every entity handle and string taken from it
 * before is invalid (*reopened says so). Commit hooks (lss_db_on_commit())
 * are called for the events applied.
 * @param[out] applied  events applied (may be NULL)
 * @param[out] reopened 1 if the file was reopened, else 0 (may be NULL)
 * @return #LSS_OK; #LSS_MISUSE (not a read-only file handle); #LSS_IO;
 *         #LSS_CORRUPT (a record that does not check out: the handle keeps
 *         what it had); #LSS_NOMEM.
 */
LSS_API lss_status lss_db_refresh(lss_db *db, uint64_t *applied, int *reopened);

/** One committed event, as the change feed gives it (docs/durability.md, "The change feed"). */
typedef struct lss_change {
    uint64_t seq;        /**< its sequence number: 1 for a database's first event, then one more each */
    const char *type;    /**< its type, e.g. "deal.open" (static) */
    lss_time at;         /**< its time */
    const char *json;    /**< its canonical JSON (the export's line, without the newline); borrowed for the call */
    size_t json_len;     /**< strlen(json) */
} lss_change;

/** A consumer of the feed: return 0 to go on, anything else to stop (lss_events_since() only). */
typedef int (*lss_change_fn)(void *ctx, const lss_change *change);

/**
 * Call @p fn for every event once it is committed: after a change outside a
 * transaction is in the journal and synced per the sync mode (before the
 * call that made it returns), or, for a transaction, at its commit, every
 * event in order; never for an event that was rolled back or whose write
 * failed. A read-only handle calls it for the events lss_db_refresh()
 * applies. In sequence order, on the thread that made the change, under the
 * database's lock: @p fn may read the handle, and must not change it, close
 * it or refresh it. Its return value is ignored here. One hook per handle;
 * NULL @p fn removes it.
 * @return #LSS_OK; #LSS_INVALID (NULL @p db); #LSS_NOMEM.
 */
LSS_API lss_status lss_db_on_commit(lss_db *db, lss_change_fn fn, void *ctx);

/**
 * Call @p fn for every event after sequence number @p seq, in order (0: all
 * of them), as the database holds them now: an erased customer's personal
 * fields are gone from every event, as in lss_export_file(). A consumer that
 * stopped after event N resumes with `seq` = N: no gap, no duplicate. Stops
 * early when @p fn returns nonzero.
 * @return #LSS_OK; #LSS_INVALID (NULL argument, or @p seq beyond the last
 *         event); #LSS_NOMEM.
 */
LSS_API lss_status lss_events_since(lss_db *db, uint64_t seq, lss_change_fn fn, void *ctx);

/** @return the journal's path (borrowed), or NULL for an in-memory database. */
LSS_API const char *lss_db_path(const lss_db *db);

/** What opening a journal found. */
typedef struct lss_recovery {
    uint64_t events;          /**< events replayed */
    uint64_t last_seq;        /**< sequence number of the last event kept (0: none) */
    uint64_t file_size;       /**< bytes of the journal as found */
    uint64_t bytes_dropped;   /**< bytes of a torn tail that were cut off (0: the file ended cleanly) */
    uint64_t tail_offset;     /**< where the dropped tail started */
    uint64_t tx_events_dropped; /**< events of a transaction whose commit never reached the file */
    uint64_t damage_offset;   /**< #LSS_OPEN_TO_DAMAGE or #LSS_OPEN_DROP_DAMAGED_TAIL: where reading stopped at
                                   damage (0: none) */
    uint64_t checkpoint_events; /**< events the open took from the checkpoint instead of replaying them (0: it
                                     replayed the whole journal); `events` counts those replayed after it */
    char checkpoint_note[256];  /**< why a checkpoint beside the journal was left aside ("" when there was none
                                     or it was used), e.g. "checkpoint ignored: ... ; the whole journal was
                                     replayed" */
} lss_recovery;

/**
 * What lss_db_open() found in the journal of @p db (all zero for an
 * in-memory database). @return #LSS_OK or #LSS_INVALID.
 */
LSS_API lss_status lss_db_recovery(lss_recovery *out, const lss_db *db);

/**
 * Sync the journal now (fdatasync), whatever the sync mode.
 * @return #LSS_OK (also for an in-memory database); #LSS_IO (the handle is
 *         then poisoned: every later change fails until it is reopened).
 */
LSS_API lss_status lss_db_sync(lss_db *db);

/**
 * Rewrite the journal with exactly the events the database holds, without
 * what customer.erase removed: to a temporary file next to it, synced, then
 * renamed over the journal and the directory synced. Reports before and
 * after are identical. Not inside a transaction.
 * @return #LSS_OK; #LSS_MISUSE (in memory, read-only, or in a transaction);
 *         #LSS_IO (the old journal stays as it was, unless the final
 *         directory sync failed: then the handle is poisoned); #LSS_NOMEM.
 */
LSS_API lss_status lss_db_compact(lss_db *db);

/**
 * Write a checkpoint: the whole state of @p db, with the journal position it
 * covers, to `PATH.checkpoint` beside the journal (a temporary file synced,
 * then renamed over it, and the directory synced), so that the next open
 * loads it and replays only the journal after it (docs/durability.md,
 * "Checkpoints"). The journal is synced first. Changes wait while the state
 * is copied (0.4 s for a million customers, measured); the file is written after
 * the lock is released. A checkpoint is only a cache: the journal stays the
 * truth, and an open leaves aside a checkpoint that does not check out.
 * Not inside a transaction. A file at `PATH.checkpoint` that is not a
 * checkpoint is never overwritten.
 * @return #LSS_OK; #LSS_MISUSE (in memory, read-only, or in a transaction);
 *         #LSS_IO (the previous checkpoint, if any, stays as it was); #LSS_NOMEM.
 */
LSS_API lss_status lss_db_checkpoint(lss_db *db);

/**
 * Replay the whole journal of @p db into a second, private state and compare
 * it with @p db's, every entity, history entry, text and index: what
 * `lss check` does to prove that a checkpoint (and the journal replayed
 * after it) gave exactly the state of a full replay. First it checks that
 * the changes of stage each deal keeps for the report (docs/metrics.md,
 * "Cost") are those its history says. The comparison reads
 * the file as committed: changes @p db made since it was opened count too.
 * @return #LSS_OK (the same); #LSS_CORRUPT (they differ: the message names
 *         the first part that does); #LSS_MISUSE (in memory, or in a
 *         transaction); #LSS_IO; #LSS_NOMEM; or what the replay returns.
 */
LSS_API lss_status lss_db_verify_state(lss_db *db);

/**
 * Begin a transaction: the changes until lss_tx_commit() survive all or none
 * (a crash before the commit reached the file loses exactly them). The
 * calling thread holds the database until commit or rollback: other threads'
 * calls wait. Changes are visible to reads at once. In full sync mode the
 * commit is one write and one fdatasync for all of them (group commit).
 * @return #LSS_OK; #LSS_MISUSE (one is already open); #LSS_IO (poisoned handle).
 */
LSS_API lss_status lss_tx_begin(lss_db *db);
/**
 * Make the transaction's changes durable and end it.
 * @return #LSS_OK; #LSS_MISUSE (no transaction, or another thread's); #LSS_IO
 *         (nothing of the transaction is kept, in memory or in a reopened
 *         file, and the handle is poisoned); #LSS_NOMEM (the same, not poisoned).
 */
LSS_API lss_status lss_tx_commit(lss_db *db);
/** Undo every change of the transaction in memory, exactly, and end it. @return #LSS_OK or #LSS_MISUSE. */
LSS_API lss_status lss_tx_rollback(lss_db *db);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_DB_H */
