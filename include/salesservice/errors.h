/**
 * @file salesservice/errors.h
 * @brief Status codes and error messages.
 *
 * Every function that can fail returns an #lss_status; #LSS_OK is 0 and
 * every other code is a distinct kind of failure. A failed call changes
 * nothing. The detail of the failure ("what and why") is kept per database
 * and per thread: see lss_db_errmsg() and lss_errmsg().
 */
#ifndef SALESSERVICE_ERRORS_H
#define SALESSERVICE_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every fallible call. Values are pinned and never renumbered. */
typedef enum lss_status {
    LSS_OK = 0,             /**< success */
    LSS_INVALID = 1,        /**< an argument or field is invalid (bad text, range, enum, NULL) */
    LSS_NOT_FOUND = 2,      /**< a referenced member, customer, deal or ticket does not exist */
    LSS_EXISTS = 3,         /**< the key is already used by another entity of that kind */
    LSS_TRANSITION = 4,     /**< the event is not allowed in the entity's current state */
    LSS_OUT_OF_ORDER = 5,   /**< the event is earlier than the entity's last event */
    LSS_NOMEM = 6,          /**< an allocation failed; nothing was changed */
    LSS_IO = 7,             /**< a read, write or sync of a file failed */
    LSS_CORRUPT = 8,        /**< a file is damaged or is not a libsalesservice file */
    LSS_LOCKED = 9,         /**< the file is locked by another writer */
    LSS_OVERFLOW = 10,      /**< a money amount or sum exceeds the 64-bit range */
    LSS_ROLE = 11,          /**< the member's role does not allow this (e.g. a service member owning a deal) */
    LSS_VERSION = 12,       /**< an options struct or file has a version this library does not know */
    LSS_UNSUPPORTED = 13,   /**< the request is valid but not supported by this build or mode */
    LSS_MISUSE = 14         /**< the call is not allowed now (e.g. db.config on a non-empty database) */
} lss_status;

/** Number of status codes; every code is in [0, LSS_STATUS_COUNT). */
#define LSS_STATUS_COUNT 15

/**
 * @return the symbolic name of @p status ("LSS_OK", "LSS_NOT_FOUND", ...),
 *         or "LSS_UNKNOWN" for a value that is not a status. Static storage.
 */
LSS_API const char *lss_status_name(int status);

/**
 * The message of the calling thread's most recent failed call, with or
 * without a database handle (for example lss_db_open() or the value
 * parsers). Empty string when that thread has had no failure.
 *
 * @return a thread-local string, valid until the next failing call on the
 *         same thread. Never NULL.
 */
LSS_API const char *lss_errmsg(void);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_ERRORS_H */
