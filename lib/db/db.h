/* The db layer (lib/db/): opening and closing a handle, its lock, the
 * command path (command.c) every change runs, transactions, the journal's
 * glue, and the public calls that change a database (calls.c). */
#ifndef LSS_DB_H
#define LSS_DB_H

#include "domain/rules.h"
#include "store/store.h"

/* Run a live command (from a call or an import); *out, if not NULL,
 * receives the entity an adding event made (NULL on failure). */
lss_status lss__command(lss_db *db, lss__cmd *c, const void **out);
/* Run an event decoded from the database's own journal. */
lss_status lss__replay(lss_db *db, const lss__event *ev);
/* Run the command of `kind` at `at` with the texts s[LSS__EV_STRS] and the
 * integers i[LSS__EV_INTS] (NULL: all absent); *out as lss__command's. */
lss_status lss__call(lss_db *db, const void **out, uint8_t kind, lss_time at, const char *const *s, const int64_t *i);
/* Run an event that names entities by key (import, generate, tests): the
 * command of its kind. *created as lss__command's out. */
lss_status lss__event_apply(lss_db *db, const lss__event *ev, const void **created);

/* Can the handle change: not after an I/O error (the journal is poisoned),
 * not read-only. Else the failure, in the context ctx. */
lss_status lss__db_writable(lss_db *db, const char *ctx);
/* db.config: the currency and pipeline mode of an empty database (its
 * journal's header is rewritten); `where` prefixes the messages. */
lss_status lss__db_configure(lss_db *db, const char *currency, int pipeline, const char *where);

/* After a change outside a transaction (or a commit), with the lock held:
 * start an automatic checkpoint if the journal has grown enough. */
void lss__ckpt_auto(lss_db *db);
/* Finish an automatic checkpoint's thread (wait: even if still writing). */
void lss__ckpt_reap(lss_db *db, bool wait);

/* The change feed (feed.c): note a committed or replayed event for the hook
 * (its sequence number: db->events, the event counted); call the hook with
 * what is noted; forget it (a rollback, a failed commit). */
void lss__feed_note(lss_db *db, const lss__event *ev);
void lss__feed_fire(lss_db *db);
void lss__feed_drop(lss_db *db);
void lss__feed_free(lss_db *db);

#endif
