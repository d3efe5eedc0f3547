/* Status names and failure messages, kept per handle and per thread; the
 * handle's lock. */
#include "core/core.h"

#include <stdio.h>

static const char *const status_names[LSS_STATUS_COUNT] = {
    "LSS_OK", "LSS_INVALID", "LSS_NOT_FOUND", "LSS_EXISTS", "LSS_TRANSITION",
    "LSS_OUT_OF_ORDER", "LSS_NOMEM", "LSS_IO", "LSS_CORRUPT", "LSS_LOCKED",
    "LSS_OVERFLOW", "LSS_ROLE", "LSS_VERSION", "LSS_UNSUPPORTED", "LSS_MISUSE",
};

const char *lss_status_name(int status)
{
    if (status < 0 || status >= LSS_STATUS_COUNT)
        return "LSS_UNKNOWN";
    return status_names[status];
}

/* The calling thread's latest failure, and the database it was on. */
static _Thread_local struct {
    const lss_db *db;
    char msg[LSS__MSG_MAX];
} tls_err;

lss_status lss__fail(const lss_db *db, lss_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tls_err.msg, sizeof tls_err.msg, fmt, ap);
    va_end(ap);
    tls_err.db = db;
    if (db != NULL) {
        /* the database's copy is shared by its threads: written under its (recursive) lock */
        lss__lock(db);
        memcpy(((lss__handle *)db)->errmsg, tls_err.msg, sizeof tls_err.msg);
        lss__unlock(db);
    }
    return st;
}

void lss__errmsg_forget(const lss_db *db)
{
    if (tls_err.db == db)
        tls_err.db = NULL;
}

const char *lss_errmsg(void) { return tls_err.msg; }

const char *lss_db_errmsg(const lss_db *db)
{
    if (db == NULL)
        return tls_err.msg;
    if (tls_err.db == db)
        return tls_err.msg;
    return ((const lss__handle *)db)->errmsg;
}

/* A handle begins with its lss__handle (C11 6.7.2.1: a pointer to a
 * structure, converted, points to its first member). */
void lss__lock(const lss_db *db) { pthread_mutex_lock(&((lss__handle *)db)->mu); }
void lss__unlock(const lss_db *db) { pthread_mutex_unlock(&((lss__handle *)db)->mu); }

