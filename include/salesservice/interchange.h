/**
 * @file salesservice/interchange.h
 * @brief JSON Lines import and export (the event format of docs/events.md).
 *
 * Every change to a database is one event; a database is fully described by
 * its events. Export writes them in the canonical form (fields in the
 * format's order, `YYYY-MM-DDTHH:MM:SSZ` times, money with two fraction
 * digits, absent optional fields omitted), so that export -> import ->
 * export gives the same bytes and both databases the same report. Import
 * reads any valid file (other timestamp spellings, money as integers, CRLF
 * line ends, blank lines) and names the line, the field and the reason of
 * the first problem. Money never passes through floating point.
 *
 * The JSON parsing uses jansson; nothing else in the library does.
 */
#ifndef SALESSERVICE_INTERCHANGE_H
#define SALESSERVICE_INTERCHANGE_H

#include <stdio.h>

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Progress of a long import (bytes read of the total, 0 when unknown) or export (events written of the total). */
typedef void (*lss_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/** A line that a keep-going import rejected: its number (from 1), status and message. */
typedef void (*lss_reject_fn)(void *ctx, uint64_t line, lss_status status, const char *message);

/** Version of #lss_import_options this header describes. */
#define LSS_IMPORT_OPTIONS_VERSION 1

/** lss_import_options::flags: apply every good line and report each bad one instead of stopping. */
#define LSS_IMPORT_KEEP_GOING 1u

/** Options of an import. Initialise with #LSS_IMPORT_OPTIONS_INIT. */
typedef struct lss_import_options {
    unsigned int version;       /**< #LSS_IMPORT_OPTIONS_VERSION */
    unsigned int flags;         /**< #LSS_IMPORT_KEEP_GOING, or 0: atomic (the default) */
    lss_progress_fn progress;   /**< called about every 64 KiB, and at the end; NULL for none */
    void *progress_ctx;
    lss_reject_fn reject;       /**< keep-going: called for each rejected line; NULL for none */
    void *reject_ctx;
} lss_import_options;

/** Static initialiser: atomic, no callbacks. */
#define LSS_IMPORT_OPTIONS_INIT { LSS_IMPORT_OPTIONS_VERSION, 0u, NULL, NULL, NULL, NULL }

/** What an import did. */
typedef struct lss_import_result {
    uint64_t lines;            /**< lines read, blank ones included */
    uint64_t applied;          /**< events applied (and kept) */
    uint64_t rejected;         /**< lines rejected (keep-going), or 1 when an atomic import failed on a line */
    uint64_t first_bad_line;   /**< the first rejected line, 0 for none */
} lss_import_result;

/**
 * Import the JSON Lines in @p in into @p db, in one transaction.
 *
 * Atomic (default): on the first bad line nothing is applied (the database
 * is exactly as before) and the status and message (lss_db_errmsg()) name
 * the line, the field and the reason, e.g. `line 812: deal.advance: field
 * "to": "closed" is not a stage (expected qualified, presented or
 * negotiated)`. Keep-going: every good line is applied, each bad line is
 * passed to the reject callback and counted; the call returns #LSS_OK.
 * A `db.config` line is allowed only as the first event of an empty
 * database (it sets its currency and pipeline mode).
 *
 * @param result  may be NULL
 * @return #LSS_OK; the status of the first bad line (atomic); #LSS_IO (read
 *         error); #LSS_MISUSE (a transaction is already open); #LSS_NOMEM.
 */
LSS_API lss_status lss_import_stream(lss_db *db, FILE *in, const lss_import_options *opts,
                                     lss_import_result *result);

/** lss_import_stream() on the file at @p path ("-" for standard input). */
LSS_API lss_status lss_import_file(lss_db *db, const char *path, const lss_import_options *opts,
                                   lss_import_result *result);

/**
 * Apply one event given as a JSON object (one line of the format, without
 * the newline). For programs and bindings that produce events one by one.
 * @return as the event's API call, or #LSS_INVALID for a malformed line.
 */
LSS_API lss_status lss_apply_json(lss_db *db, const char *json);

/** Version of #lss_export_options this header describes. */
#define LSS_EXPORT_OPTIONS_VERSION 1

/** Options of an export. Initialise with #LSS_EXPORT_OPTIONS_INIT. */
typedef struct lss_export_options {
    unsigned int version;       /**< #LSS_EXPORT_OPTIONS_VERSION */
    lss_progress_fn progress;   /**< called about every 65,536 events, and at the end; NULL for none */
    void *progress_ctx;
} lss_export_options;

/** Static initialiser: no callback. */
#define LSS_EXPORT_OPTIONS_INIT { LSS_EXPORT_OPTIONS_VERSION, NULL, NULL }

/**
 * Write every event of @p db to @p out as JSON Lines, in order, starting with
 * a `db.config` line. Erased fields are absent (an erased name is
 * "[erased]") and the `customer.erase` events are kept, so a re-import is
 * erased too.
 * @return #LSS_OK; #LSS_IO (write error); #LSS_NOMEM.
 */
LSS_API lss_status lss_export_stream(lss_db *db, FILE *out, const lss_export_options *opts);

/** lss_export_stream() to the file at @p path ("-" for standard output), replaced if it exists. */
LSS_API lss_status lss_export_file(lss_db *db, const char *path, const lss_export_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_INTERCHANGE_H */
