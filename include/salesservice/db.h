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
 * database. A handle stays valid until lss_db_close(); a string stays valid
 * until the same entity is changed again (for example by
 * lss_customer_update()) or the database is closed. Never free them.
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

/** Version of #lss_open_options this header describes. */
#define LSS_OPEN_OPTIONS_VERSION 1

/** Options of lss_db_open(). Initialise with #LSS_OPEN_OPTIONS_INIT or lss_open_options_init(). */
typedef struct lss_open_options {
    unsigned int version;            /**< #LSS_OPEN_OPTIONS_VERSION */
    char currency[4];                /**< ISO 4217 code, three letters A-Z; "" means "EUR" */
    lss_pipeline_mode pipeline;      /**< default #LSS_PIPELINE_STRICT */
} lss_open_options;

/** Static initialiser: version set, every option at its default. */
#define LSS_OPEN_OPTIONS_INIT { LSS_OPEN_OPTIONS_VERSION, "EUR", LSS_PIPELINE_STRICT }

/**
 * Set @p opts to the defaults of @p version (the twin of #LSS_OPEN_OPTIONS_INIT).
 * @return #LSS_OK, #LSS_INVALID for NULL, #LSS_VERSION for an unknown version.
 */
LSS_API lss_status lss_open_options_init(lss_open_options *opts, unsigned int version);

/**
 * Open a database.
 *
 * @param[out] out   the new database; the caller owns it and closes it with
 *                   lss_db_close(). Set to NULL on failure.
 * @param path       NULL for an in-memory database. File-backed databases
 *                   (the journal) are not available in this version: a path
 *                   is refused with #LSS_UNSUPPORTED.
 * @param opts       NULL for the defaults (EUR, strict pipeline).
 * @return #LSS_OK; #LSS_INVALID (bad currency or mode, NULL out);
 *         #LSS_VERSION; #LSS_UNSUPPORTED; #LSS_NOMEM. On failure the
 *         message is in lss_errmsg().
 */
LSS_API lss_status lss_db_open(lss_db **out, const char *path, const lss_open_options *opts);

/** Close @p db and free everything it owns. NULL is a no-op. Handles from it become invalid. */
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
/** @return the database's pipeline mode. */
LSS_API lss_pipeline_mode lss_db_pipeline(const lss_db *db);

/** @return how many events were applied to @p db since it was opened or created. */
LSS_API uint64_t lss_db_event_count(const lss_db *db);

/** @return the largest `at` of any event applied, or #LSS_TIME_NONE for an empty database. */
LSS_API lss_time lss_db_last_time(const lss_db *db);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_DB_H */
