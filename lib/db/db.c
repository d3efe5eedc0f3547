/* Opening, closing and locking a database; version; the test dump. */
#include "db/db.h"

#include <stddef.h>
#include <stdio.h>

const char *lss_version(void) { return LSS_VERSION_STRING; }
int lss_version_number(void) { return LSS_VERSION_NUMBER; }

lss_status lss_open_options_init(lss_open_options *opts, unsigned int version)
{
    if (opts == NULL)
        return lss__fail(NULL, LSS_INVALID, "open options: NULL argument");
    if (version != LSS_OPEN_OPTIONS_VERSION)
        return lss__fail(NULL, LSS_VERSION, "open options: version %u is not supported (expected %d)", version,
                         LSS_OPEN_OPTIONS_VERSION);
    lss_open_options def = LSS_OPEN_OPTIONS_INIT;
    *opts = def;
    return LSS_OK;
}

/* The replay of an existing journal: its settings, its events, then the
 * key index, which replay does not keep (lss__index_build). */
static lss_status replay_header(void *ctx, const lss__jheader *h)
{
    lss_db *db = ctx;
    memcpy(db->currency, h->currency, 4);
    db->pipeline = h->pipeline;
    return LSS_OK;
}
static lss_status replay_event(void *ctx, const lss__event *ev) { return lss__replay(ctx, ev); }
static lss_status lss__index_build_cb(void *ctx) { return lss__index_build(ctx); }

lss_status lss_db_open(lss_db **out, const char *path, const lss_open_options *opts)
{
    lss_open_options def = LSS_OPEN_OPTIONS_INIT;
    if (out == NULL)
        return lss__fail(NULL, LSS_INVALID, "open: NULL output");
    *out = NULL;
    if (opts == NULL)
        opts = &def;
    if (opts->version != LSS_OPEN_OPTIONS_VERSION)
        return lss__fail(NULL, LSS_VERSION, "open: options version %u is not supported (expected %d)",
                         opts->version, LSS_OPEN_OPTIONS_VERSION);
    char currency[4];
    memcpy(currency, opts->currency, sizeof currency);
    if (currency[0] == '\0')
        memcpy(currency, "EUR", 4);
    if (memchr(opts->currency, '\0', sizeof opts->currency) == NULL || !lss__currency_valid(currency))
        return lss__fail(NULL, LSS_INVALID, "open: currency \"%.3s\" is not an ISO 4217 code (three letters A-Z)",
                         opts->currency);
    if (lss_pipeline_mode_name((int)opts->pipeline) == NULL)
        return lss__fail(NULL, LSS_INVALID, "open: pipeline mode %d is not strict (0) or lenient (1)",
                         (int)opts->pipeline);

    lss_db *db = lss__malloc(sizeof *db);
    if (db == NULL)
        return lss__fail(NULL, LSS_NOMEM, "open: out of memory");
    memset(db, 0, sizeof *db);
    pthread_mutexattr_t attr;
    if (pthread_mutexattr_init(&attr) != 0 ||
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) != 0 ||
        pthread_mutex_init(&db->h.mu, &attr) != 0) {
        lss__free(db);
        return lss__fail(NULL, LSS_NOMEM, "open: cannot create the database lock");
    }
    pthread_mutexattr_destroy(&attr);
    memcpy(db->currency, currency, 4);
    db->pipeline = opts->pipeline;
    db->last_time = LSS_TIME_NONE;
    lss__intern_init(&db->teams);
    lss__intern_init(&db->segments);
    lss__slab_init(&db->members, sizeof(lss_member));
    lss__slab_init(&db->customers, sizeof(lss_customer));
    lss__slab_init(&db->deals, sizeof(lss_deal));
    lss__pool_init(&db->hist, sizeof(lss__deal_change));
    lss__slab_init(&db->activities, sizeof(lss_activity));
    lss__slab_init(&db->tickets, sizeof(lss_ticket));
    lss__db_opened();
    lss__schema_init();
    if (path != NULL) {
        lss__jheader fresh;
        memcpy(fresh.currency, currency, 4);
        fresh.pipeline = opts->pipeline;
        lss__journal_reader rd = { replay_header, replay_event, lss__index_build_cb, db };
        lss_status st = lss__journal_open(&db->journal, db, path, opts, &fresh, &rd);
        if (st != LSS_OK) {
            lss_db_close(db);
            return st;
        }
    }
    *out = db;
    return LSS_OK;
}

void lss_db_close(lss_db *db)
{
    if (db == NULL)
        return;
    if (db->tx_active) {
        lss__rollback(db, &db->tx_sp);
        db->tx_active = 0;
        lss__unlock(db); /* the lock lss_tx_begin took */
    }
    lss__journal_close(db->journal);
    db->journal = NULL;
    lss__free(db->undo.data);
    lss__free(db->undo_bytes);
    lss__tickets_free(db);
    lss__pipeline_free(db);
    lss__pool_free(&db->hist);
    lss__customers_free(db);
    lss__team_free(db);
    lss__intern_free(&db->teams);
    lss__intern_free(&db->segments);
    lss__arena_free(&db->text);
    pthread_mutex_destroy(&db->h.mu);
    lss__errmsg_forget(db);
    lss__free(db);
    lss__db_closed();
}

_Static_assert(offsetof(lss_db, h) == 0, "a handle begins with its lss__handle");
_Static_assert(sizeof(lss__deal_change) == sizeof(lss__ticket_change), "one pool holds both kinds of history");
void lss_db_lock(lss_db *db) { if (db) lss__lock(db); }
void lss_db_unlock(lss_db *db) { if (db) lss__unlock(db); }

lss_status lss__db_writable(lss_db *db, const char *ctx)
{
    lss_status st = lss__journal_poisoned(db->journal);
    if (st)
        return lss__fail(db, st,
                         "%s: the database refuses changes after an earlier I/O error (%s); close and reopen it", ctx,
                         lss_status_name(st));
    if (lss__journal_read_only(db->journal))
        return lss__fail(db, LSS_MISUSE, "%s: the database is open read-only", ctx);
    return LSS_OK;
}

lss_status lss__db_configure(lss_db *db, const char *currency, int pipeline, const char *where)
{
    char ctx[LSS__MSG_MAX];
    snprintf(ctx, sizeof ctx, "%sdb.config", where);
    if (db->events != 0)
        return lss__fail(db, LSS_INVALID,
                         "%s: allowed only as the first event of an empty database (this one holds %llu events)", ctx,
                         (unsigned long long)db->events);
    lss_status st = lss__db_writable(db, ctx);
    if (st)
        return st;
    lss__jheader h;
    memcpy(h.currency, currency, 4);
    h.pipeline = (lss_pipeline_mode)pipeline;
    /* on failure the header on disk may be either: the journal is poisoned and memory stays as it was */
    if ((st = lss__journal_rewrite_header(db->journal, &h)) == LSS_OK) {
        memcpy(db->currency, currency, 4);
        db->pipeline = (lss_pipeline_mode)pipeline;
    }
    return st;
}

/* ---- the journal's calls ------------------------------------------------ */

lss_status lss_db_sync(lss_db *db)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "sync: NULL database");
    lss__lock(db);
    lss_status st = lss__journal_sync(db->journal);
    lss__unlock(db);
    return st;
}

lss_status lss_db_recovery(lss_recovery *out, const lss_db *db)
{
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "recovery: NULL argument");
    lss__lock(db);
    lss__journal_recovery(db->journal, out);
    lss__unlock(db);
    return LSS_OK;
}

const char *lss_db_path(const lss_db *db) { return db ? lss__journal_path(db->journal) : NULL; }

typedef struct compaction {
    const lss_db *db;
    const lss__evref *refs;
} compaction;

static void compacted_event(void *ctx, uint64_t k, lss__event *ev)
{
    const compaction *cp = ctx;
    lss__event_of(cp->db, &cp->refs[k], ev);
}

lss_status lss_db_compact(lss_db *db)
{
    static const char ctx[] = "compact";
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    lss_status st;
    lss__evref *refs = NULL;
    uint64_t n = 0;
    if (db->journal == NULL || lss__journal_read_only(db->journal) || db->tx_active) {
        st = lss__fail(db, LSS_MISUSE, "%s: %s", ctx,
                       db->journal == NULL                    ? "an in-memory database has no journal"
                       : lss__journal_read_only(db->journal) ? "the database is open read-only"
                                                              : "a transaction is open");
    } else if (!(st = lss__db_writable(db, ctx)) && !(st = lss__event_refs(db, &refs, &n))) {
        compaction cp = { db, refs };
        lss__journal_source src = { n, compacted_event, &cp };
        st = lss__journal_compact(db->journal, &src);
    }
    lss__free(refs);
    lss__unlock(db);
    return st;
}

/* ---- transactions ------------------------------------------------------- */

lss_status lss_tx_begin(lss_db *db)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "transaction: NULL database");
    lss__lock(db);
    lss_status st = LSS_OK;
    if (db->tx_active)
        st = lss__fail(db, LSS_MISUSE, "transaction: one is already open on this database");
    else
        st = lss__db_writable(db, "transaction");
    if (st != LSS_OK) {
        lss__unlock(db);
        return st;
    }
    db->tx_active = 1;
    db->tx_owner = pthread_self();
    db->undo.count = 0;
    db->undo_len = 0;
    lss__savepoint_take(db, &db->tx_sp);
    lss__journal_tx_reset(db->journal);
    return LSS_OK; /* the lock stays taken until commit or rollback */
}

static lss_status tx_check(lss_db *db, const char *what)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "transaction %s: NULL database", what);
    lss__lock(db);
    lss_status st = LSS_OK;
    if (!db->tx_active)
        st = lss__fail(db, LSS_MISUSE, "transaction %s: no transaction is open", what);
    else if (!pthread_equal(db->tx_owner, pthread_self()))
        st = lss__fail(db, LSS_MISUSE, "transaction %s: the transaction belongs to another thread", what);
    lss__unlock(db);
    return st;
}

static void tx_end(lss_db *db)
{
    db->tx_active = 0;
    db->undo.count = 0;
    db->undo_len = 0;
    lss__unlock(db); /* the lock lss_tx_begin took */
}

lss_status lss_tx_commit(lss_db *db)
{
    lss_status st = tx_check(db, "commit");
    if (st != LSS_OK)
        return st;
    st = lss__journal_tx_commit(db->journal, db->events);
    if (st != LSS_OK)
        lss__rollback(db, &db->tx_sp);
    tx_end(db);
    return st;
}

lss_status lss_tx_rollback(lss_db *db)
{
    lss_status st = tx_check(db, "rollback");
    if (st != LSS_OK)
        return st;
    lss__rollback(db, &db->tx_sp);
    lss__journal_tx_reset(db->journal);
    tx_end(db);
    return LSS_OK;
}

const char *lss_db_currency(const lss_db *db) { return db ? db->currency : NULL; }
lss_pipeline_mode lss_db_pipeline(const lss_db *db) { return db ? db->pipeline : LSS_PIPELINE_STRICT; }
uint64_t lss_db_event_count(const lss_db *db) { return db ? db->events : 0; }
lss_time lss_db_last_time(const lss_db *db) { return db ? db->last_time : LSS_TIME_NONE; }
