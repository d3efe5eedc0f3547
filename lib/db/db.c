/* Opening, closing and locking a database; version; the test dump. */
#include "db/checkpoint.h"

#include <stdatomic.h>

#include <stddef.h>
#include <stdio.h>

const char *lss_version(void) { return LSS_VERSION_STRING; }
int lss_version_number(void) { return LSS_VERSION_NUMBER; }

/* Bytes of lss_open_options as version 1 knew it. */
#define OPTIONS_V1_SIZE offsetof(lss_open_options, checkpoint_bytes)
#define OPTIONS_V2_SIZE offsetof(lss_open_options, zoneinfo_dir)
#define OPTIONS_V3_SIZE offsetof(lss_open_options, follow)
static size_t options_size(unsigned version)
{
    return version == 1   ? OPTIONS_V1_SIZE
           : version == 2 ? OPTIONS_V2_SIZE
           : version == 3 ? OPTIONS_V3_SIZE
                          : sizeof(lss_open_options);
}

lss_status lss_open_options_init(lss_open_options *opts, unsigned int version)
{
    if (opts == NULL)
        return lss__fail(NULL, LSS_INVALID, "open options: NULL argument");
    if (version < 1 || version > LSS_OPEN_OPTIONS_VERSION)
        return lss__fail(NULL, LSS_VERSION, "open options: version %u is not supported (expected 1 to %d)",
                         version, LSS_OPEN_OPTIONS_VERSION);
    lss_open_options def = LSS_OPEN_OPTIONS_INIT;
    def.version = version;
    memcpy(opts, &def, options_size(version)); /* an older version's struct is shorter */
    return LSS_OK;
}

/* ---- the state ------------------------------------------------------------ */

static void state_init(lss_db *db)
{
    db->events = 0;
    db->last_time = LSS_TIME_NONE;
    memset(&db->text, 0, sizeof db->text);
    lss__intern_init(&db->teams);
    lss__intern_init(&db->segments);
    lss__slab_init(&db->members, sizeof(lss_member));
    lss__slab_init(&db->customers, sizeof(lss_customer));
    lss__slab_init(&db->deals, sizeof(lss_deal));
    lss__pool_init(&db->deal_hist, sizeof(lss__deal_change));
    memset(&db->deal_stays, 0, sizeof db->deal_stays);
    lss__pool_init(&db->ticket_hist, sizeof(lss__ticket_change));
    lss__pool_init(&db->task_hist, sizeof(lss__task_change));
    lss__slab_init(&db->activities, sizeof(lss_activity));
    lss__slab_init(&db->tickets, sizeof(lss_ticket));
    lss__slab_init(&db->tasks, sizeof(lss_task));
    memset(&db->prob, 0, sizeof db->prob);
    memset(&db->pipelines, 0, sizeof db->pipelines);
    memset(&db->sla, 0, sizeof db->sla);
    memset(&db->cals, 0, sizeof db->cals);
    lss__slab_init(&db->policies, sizeof(lss__policy));
    memset(&db->zones, 0, sizeof db->zones);
}

static void state_free(lss_db *db)
{
    lss__lx_free(db);
    lss__calendars_free(db);
    lss__tickets_free(db);
    lss__tasks_free(db);
    lss__pipeline_free(db);
    lss__pool_free(&db->deal_hist);
    lss__pool_free(&db->ticket_hist);
    lss__pool_free(&db->task_hist);
    lss__customers_free(db);
    lss__team_free(db);
    lss__intern_free(&db->teams);
    lss__intern_free(&db->segments);
    lss__arena_free(&db->text);
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
static lss_status replay_resume(void *ctx, uint32_t salt, uint64_t size, lss__jresume *at, char *note,
                                size_t note_size)
{
    lss_db *db = ctx;
    bool used;
    lss_status st = lss__ckpt_load(db, db->ckpt_path, salt, size, at, note, note_size, &used);
    db->ckpt_base = used ? at->offset : 0; /* without one, the whole journal counts as grown */
    if (st != LSS_OK || !used) {
        state_free(db);
        state_init(db);
    }
    return st;
}
static void replay_discard(void *ctx)
{
    lss_db *db = ctx;
    state_free(db);
    state_init(db);
    db->ckpt_base = 0;
}
static lss_status lss__index_build_cb(void *ctx) { return lss__index_build(ctx); }

/* db->id_text from its journal's id (a version 1 journal: none, "") or its in-memory id. */
static void id_text_set(lss_db *db)
{
    const lss__jheader *h = lss__journal_header(db->journal);
    const unsigned char *id = h ? (h->has_id ? h->id : NULL) : db->mem_id;
    static const char hex[] = "0123456789abcdef";
    for (unsigned k = 0; id && k < LSS__J_ID; k++) {
        db->id_text[2 * k] = hex[id[k] >> 4];
        db->id_text[2 * k + 1] = hex[id[k] & 15];
    }
    db->id_text[id ? 2 * LSS__J_ID : 0] = '\0';
}

static lss_status journal_open(lss_db *db, const char *path, const lss__jheader *fresh)
{
    lss__journal_reader rd = { replay_header, replay_resume, replay_discard, replay_event, lss__index_build_cb, db };
    db->ckpt_path = path;
    lss_status st = lss__journal_open(&db->journal, db, path, &db->opts, fresh, &rd);
    db->ckpt_path = NULL;
    if (st == LSS_OK)
        id_text_set(db);
    return st;
}

/* A database id in text (32 hex digits) into its 16 bytes. */
static bool parse_id(unsigned char id[16], const char *text)
{
    if (text == NULL || strlen(text) != 32)
        return false;
    for (unsigned k = 0; k < 32; k++) {
        char c = text[k];
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0)
            return false;
        id[k / 2] = (unsigned char)(k % 2 ? id[k / 2] | v : v << 4);
    }
    return true;
}

/* A follower is written only as one, and only of its own source. */
static lss_status follower_check(lss_db *db, const char *path, bool follower, const unsigned char id[16])
{
    const lss__jheader *h = lss__journal_header(db->journal);
    bool ro = lss__journal_read_only(db->journal);
    if (!follower && !ro && h->follower)
        return lss__fail(NULL, LSS_UNSUPPORTED,
                         "open \"%.200s\": the database is a follower of %s, written only by its replication (open "
                         "it read-only)", path, lss_db_id(db));
    if (follower && (!h->follower || !h->has_id || memcmp(h->id, id, 16) != 0))
        return lss__fail(NULL, LSS_INVALID, "open \"%.200s\": %s", path,
                         h->follower ? "the database follows another database" : "the database is not a follower");
    return LSS_OK;
}

static lss_status open_db(lss_db **out, const char *path, const lss_open_options *given, unsigned internal)
{
    lss_open_options def = LSS_OPEN_OPTIONS_INIT, o = def;
    const lss_open_options *opts = &o;
    if (out == NULL)
        return lss__fail(NULL, LSS_INVALID, "open: NULL output");
    *out = NULL;
    if (given && (given->version < 1 || given->version > LSS_OPEN_OPTIONS_VERSION))
        return lss__fail(NULL, LSS_VERSION, "open: options version %u is not supported (expected 1 to %d)",
                         given->version, LSS_OPEN_OPTIONS_VERSION);
    if (given)
        memcpy(&o, given, options_size(given->version));
    if (o.zoneinfo_dir && strlen(o.zoneinfo_dir) > 1024)
        return lss__fail(NULL, LSS_INVALID, "open: zoneinfo_dir is longer than 1024 bytes");
    if ((o.flags & LSS__OPEN_UNLOCKED) && !internal)
        return lss__fail(NULL, LSS_INVALID, "open \"%.200s\": unknown flags 0x%x", path ? path : "",
                         LSS__OPEN_UNLOCKED);
    unsigned char follow_id[16];
    bool follower = (o.flags & LSS_OPEN_FOLLOWER) != 0;
    if (follower) {
        if (path == NULL || (o.flags & LSS_OPEN_READ_ONLY))
            return lss__fail(NULL, LSS_INVALID, "open: LSS_OPEN_FOLLOWER is for writing a journal file");
        if (o.version < 4 || !parse_id(follow_id, o.follow))
            return lss__fail(NULL, LSS_INVALID,
                             "open \"%.200s\": LSS_OPEN_FOLLOWER needs follow, a database id of 32 hex digits",
                             path);
    }
    o.flags &= ~LSS_OPEN_FOLLOWER; /* the journal's part is the header (below) */
    o.flags |= internal;
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
    if (o.zoneinfo_dir && (db->zoneinfo = lss__malloc(strlen(o.zoneinfo_dir) + 1)) == NULL) {
        pthread_mutex_destroy(&db->h.mu);
        lss__free(db);
        return lss__fail(NULL, LSS_NOMEM, "open: out of memory");
    }
    if (o.zoneinfo_dir)
        strcpy(db->zoneinfo, o.zoneinfo_dir);
    o.zoneinfo_dir = db->zoneinfo; /* the handle's own copy */
    state_init(db);
    lss__db_opened();
    lss__schema_init();
    if (path != NULL) {
        lss__jheader fresh;
        memset(&fresh, 0, sizeof fresh);
        memcpy(fresh.currency, currency, 4);
        fresh.pipeline = opts->pipeline;
        if (follower) { /* a new follower takes its source's id */
            fresh.follower = fresh.has_id = true;
            memcpy(fresh.id, follow_id, sizeof fresh.id);
        }
        db->opts = o;
        lss_status st = journal_open(db, path, &fresh);
        if (st == LSS_OK)
            st = follower_check(db, path, follower, follow_id);
        if (st != LSS_OK) {
            lss_db_close(db);
            return st;
        }
        lss_recovery rec;
        lss__journal_recovery(db->journal, &rec);
        bool ro = lss__journal_read_only(db->journal);
        db->ckpt_every = ro ? 0 : o.checkpoint_bytes;
        if (!ro && rec.checkpoint_note[0])
            (void)lss__ckpt_remove(db, path); /* a writer clears away a checkpoint it left aside */
        /* a version 1 journal has no database id: its first writer rewrites it (a compaction) with one */
        if (!ro && lss__journal_version(db->journal) == 1 && (st = lss_db_compact(db)) != LSS_OK) {
            char msg[LSS__MSG_MAX];
            snprintf(msg, sizeof msg, "%s", lss_db_errmsg(db));
            lss_db_close(db);
            return lss__fail(NULL, st, "open \"%.200s\": rewriting the version 1 journal with a database id: %s",
                             path, msg);
        }
        id_text_set(db); /* the rewrite gave it an id */
    } else {
        lss__random_id(db->mem_id);
        id_text_set(db);
    }
    *out = db;
    return LSS_OK;
}

lss_status lss_db_open(lss_db **out, const char *path, const lss_open_options *opts)
{
    return open_db(out, path, opts, 0);
}

int lss_db_is_follower(const lss_db *db)
{
    const lss__jheader *h = db ? lss__journal_header(db->journal) : NULL;
    return h && h->follower;
}

const char *lss_db_id(const lss_db *db) { return db ? db->id_text : ""; }

lss_status lss_db_refresh(lss_db *db, uint64_t *applied, int *reopened)
{
    uint64_t n = 0;
    bool replaced = false;
    if (applied)
        *applied = 0;
    if (reopened)
        *reopened = 0;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "refresh: NULL database");
    lss__lock(db);
    lss_status st = LSS_OK;
    if (db->journal == NULL || !lss__journal_read_only(db->journal)) {
        st = lss__fail(db, LSS_MISUSE, "refresh: %s",
                       db->journal ? "the handle writes: it is always up to date" : "an in-memory database has no journal");
    } else {
        lss__journal_reader rd = { replay_header, NULL, NULL, replay_event, lss__index_build_cb, db };
        db->feeding = db->feed != NULL;
        st = lss__journal_refresh(db->journal, &rd, &n, &replaced);
        db->feeding = false;
        lss__feed_fire(db); /* the events applied, whatever stopped the refresh after them */
        if (st == LSS_OK && replaced) {
            /* the file was compacted or cut: read it again from its checkpoint and journal */
            char *path = lss__malloc(strlen(lss__journal_path(db->journal)) + 1);
            if (path == NULL) {
                st = lss__fail(db, LSS_NOMEM, "refresh: out of memory");
            } else {
                strcpy(path, lss__journal_path(db->journal));
                lss__journal_close(db->journal);
                db->journal = NULL;
                state_free(db);
                state_init(db);
                lss__jheader fresh;
                memset(&fresh, 0, sizeof fresh);
                memcpy(fresh.currency, db->currency, 4);
                fresh.pipeline = db->pipeline;
                st = journal_open(db, path, &fresh);
                lss__free(path);
                n = db->events;
                if (reopened)
                    *reopened = 1;
                if (st != LSS_OK)
                    n = 0; /* the handle holds nothing now: every later call says so */
            }
        }
    }
    if (applied)
        *applied = n;
    lss__unlock(db);
    return st;
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
    lss__ckpt_reap(db, true);
    lss__journal_close(db->journal);
    db->journal = NULL;
    lss__free(db->undo.data);
    lss__free(db->undo_bytes);
    lss__feed_free(db);
    state_free(db);
    lss__free(db->zoneinfo);
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
    if (lss__journal_read_only(db->journal) || (db->journal == NULL && (db->opts.flags & LSS_OPEN_READ_ONLY)))
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
    memset(&h, 0, sizeof h);
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
        /* the checkpoint goes first: it may hold what customer.erase took away */
        lss__ckpt_reap(db, true);
        if (!(st = lss__ckpt_remove(db, lss__journal_path(db->journal))) &&
            !(st = lss__journal_compact(db->journal, &src)))
            db->ckpt_base = lss__journal_size(db->journal);
    }
    lss__free(refs);
    lss__unlock(db);
    return st;
}

/* ---- checkpoints -------------------------------------------------------- */

/* An automatic checkpoint: the copy taken under the lock, written by a
 * thread of its own while changes go on (it allocates and frees nothing:
 * the image is freed here, when the thread is joined). */
typedef struct lss__ckpt_job {
    pthread_t thread;
    lss__ckpt *img;
    atomic_bool done;
} ckpt_job;

static void *ckpt_main(void *arg)
{
    ckpt_job *j = arg;
    (void)lss__ckpt_write(NULL, j->img); /* a failure leaves the previous one: the journal is the truth */
    atomic_store(&j->done, true);
    return NULL;
}

void lss__ckpt_reap(lss_db *db, bool wait)
{
    ckpt_job *j = db->ckpt_job;
    if (j == NULL || (!wait && !atomic_load(&j->done)))
        return;
    pthread_join(j->thread, NULL);
    lss__ckpt_free(j->img);
    lss__free(j);
    db->ckpt_job = NULL;
}

/* The copy of the state and the journal position it covers (the caller
 * holds the lock). */
static lss_status ckpt_copy(lss_db *db, lss__ckpt **out)
{
    lss__jresume at;
    uint32_t salt;
    lss_status st = lss__journal_anchor(db->journal, db->events, &salt, &at);
    if (st == LSS_OK && (st = lss__ckpt_take(db, out)) == LSS_OK) {
        lss__ckpt_set_position(*out, salt, &at);
        if ((st = lss__ckpt_set_file(db, *out, lss__journal_path(db->journal))) != LSS_OK) {
            lss__ckpt_free(*out);
            *out = NULL;
        }
    }
    return st;
}

void lss__ckpt_auto(lss_db *db)
{
    if (db->ckpt_every == 0 || db->tx_active || db->journal == NULL ||
        lss__journal_size(db->journal) - db->ckpt_base < db->ckpt_every)
        return;
    lss__ckpt_reap(db, false);
    if (db->ckpt_job)
        return; /* the previous one is still being written */
    db->ckpt_base = lss__journal_size(db->journal); /* tried once per threshold, whatever comes of it */
    ckpt_job *j = lss__malloc(sizeof *j);
    if (j == NULL)
        return;
    memset(j, 0, sizeof *j);
    atomic_init(&j->done, false);
    if (ckpt_copy(db, &j->img) != LSS_OK) {
        lss__free(j);
        lss__errmsg_forget(db); /* nothing failed that the caller asked for */
        return;
    }
    if (pthread_create(&j->thread, NULL, ckpt_main, j) != 0) {
        lss__ckpt_free(j->img);
        lss__free(j);
        return;
    }
    db->ckpt_job = j;
}

/* In memory, read-only or in a transaction: the reason, else NULL. */
static const char *ckpt_misuse(const lss_db *db)
{
    return db->journal == NULL                    ? "an in-memory database has no journal"
           : lss__journal_read_only(db->journal) ? "the database is open read-only"
           : db->tx_active                       ? "a transaction is open"
                                                 : NULL;
}

lss_status lss_db_checkpoint(lss_db *db)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "checkpoint: NULL database");
    lss__lock(db);
    const char *why = ckpt_misuse(db);
    lss__ckpt *img = NULL;
    lss_status st = why ? lss__fail(db, LSS_MISUSE, "checkpoint: %s", why) : lss__db_writable(db, "checkpoint");
    if (st == LSS_OK) {
        lss__ckpt_reap(db, true);
        if ((st = ckpt_copy(db, &img)) == LSS_OK)
            db->ckpt_base = lss__journal_size(db->journal);
    }
    lss__unlock(db);
    if (st == LSS_OK) {
        st = lss__ckpt_write(db, img);
        lss__ckpt_free(img);
    }
    return st;
}

lss_status lss_db_verify_state(lss_db *db)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "verify: NULL database");
    lss__lock(db);
    lss_status st = LSS_OK;
    lss__ckpt *mine = NULL, *theirs = NULL;
    lss_db *other = NULL;
    const lss_deal *wrong;
    if (db->journal == NULL || db->tx_active) {
        st = lss__fail(db, LSS_MISUSE, "verify: %s",
                       db->journal == NULL ? "an in-memory database has no journal" : "a transaction is open");
    } else if ((wrong = lss__deal_stays_wrong(db)) != NULL) {
        st = lss__fail(db, LSS_CORRUPT, "verify: deal \"%.200s\": the changes of stage the report reads are not "
                                        "those of its history", wrong->key);
    } else if ((st = lss__ckpt_take(db, &mine)) == LSS_OK) {
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        o.flags = LSS_OPEN_READ_ONLY;
        if ((st = open_db(&other, lss__journal_path(db->journal), &o, LSS__OPEN_UNLOCKED)) != LSS_OK)
            st = lss__fail(db, st, "verify: the journal replayed from the start: %s", lss_errmsg());
        else if ((st = lss__ckpt_take(other, &theirs)) != LSS_OK)
            st = lss__fail(db, st, "verify: %s", lss_db_errmsg(other));
        else
            st = lss__ckpt_compare(db, mine, theirs);
    }
    lss__unlock(db);
    lss__ckpt_free(mine);
    lss__ckpt_free(theirs);
    lss_db_close(other);
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
    db->tx_active = 0;
    if (st == LSS_OK) {
        lss__feed_fire(db);
        lss__ckpt_auto(db);
    } else {
        lss__feed_drop(db);
    }
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
    lss__feed_drop(db);
    tx_end(db);
    return LSS_OK;
}

const char *lss_db_currency(const lss_db *db) { return db ? db->currency : NULL; }
lss_pipeline_mode lss_db_pipeline(const lss_db *db) { return db ? db->pipeline : LSS_PIPELINE_STRICT; }
uint64_t lss_db_event_count(const lss_db *db) { return db ? db->events : 0; }
lss_time lss_db_last_time(const lss_db *db) { return db ? db->last_time : LSS_TIME_NONE; }
