/* Opening, closing and locking a database; version; the test dump. */
#include "journal.h"

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
        pthread_mutex_init(&db->mu, &attr) != 0) {
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
    lss__slab_init(&db->activities, sizeof(lss_activity));
    lss__slab_init(&db->tickets, sizeof(lss_ticket));
    lss__db_opened();
    lss__schema_init();
    if (path != NULL) {
        lss_status st = lss__journal_open(db, path, opts);
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
    lss__journal_close(db);
    lss__free(db->undo.data);
    lss__free(db->undo_bytes);
    lss__tickets_free(db);
    lss__pipeline_free(db);
    lss__customers_free(db);
    lss__team_free(db);
    lss__intern_free(&db->teams);
    lss__intern_free(&db->segments);
    lss__arena_free(&db->text);
    pthread_mutex_destroy(&db->mu);
    lss__errmsg_forget(db);
    lss__free(db);
    lss__db_closed();
}

void lss__lock(const lss_db *db) { pthread_mutex_lock(&((lss_db *)db)->mu); }
void lss__unlock(const lss_db *db) { pthread_mutex_unlock(&((lss_db *)db)->mu); }
void lss_db_lock(lss_db *db) { if (db) lss__lock(db); }
void lss_db_unlock(lss_db *db) { if (db) lss__unlock(db); }

/* ---- the key index ------------------------------------------------------- */

#define KEY_FIRST(type) _Static_assert(offsetof(type, key) == 0, #type ": the key first")
KEY_FIRST(struct lss_member);
KEY_FIRST(struct lss_customer);
KEY_FIRST(struct lss_deal);
KEY_FIRST(struct lss_ticket);

/* Index one entity kind; a key that two entities share (a journal no writer
 * of this library wrote: every add checks that its key is new) is damage. */
static lss_status index_slab(lss_db *db, const lss__slab *s, size_t key_off, lss__keyindex *ix, const char *what)
{
    for (uint32_t i = 0; i < s->count; i++) {
        const char *key = *(const char *const *)((const char *)lss__slab_get(s, i) + key_off);
        uint32_t dup;
        int r = lss__keyindex_add_unique(ix, s, key_off, lss__key_hash(key), i, &dup);
        if (r < 0)
            return lss__fail(db, LSS_NOMEM, "out of memory for the key index");
        if (r > 0)
            return lss__fail(db, LSS_CORRUPT, "%s \"%.128s\" is added twice (as the %s of ids %u and %u)", what, key,
                             what, dup, i);
    }
    return LSS_OK;
}

lss_status lss__index_build(lss_db *db)
{
    lss_status st;
    if ((st = index_slab(db, &db->members, offsetof(lss_member, key), &db->members_by_key, "member")) == LSS_OK &&
        (st = index_slab(db, &db->customers, offsetof(lss_customer, key), &db->customers_by_key, "customer")) ==
            LSS_OK &&
        (st = index_slab(db, &db->deals, offsetof(lss_deal, key), &db->deals_by_key, "deal")) == LSS_OK &&
        (st = index_slab(db, &db->tickets, offsetof(lss_ticket, key), &db->tickets_by_key, "ticket")) == LSS_OK)
        return LSS_OK;
    lss__keyindex_clear(&db->members_by_key);
    lss__keyindex_clear(&db->customers_by_key);
    lss__keyindex_clear(&db->deals_by_key);
    lss__keyindex_clear(&db->tickets_by_key);
    return st;
}

lss_status lss__find(const void **out, const lss_db *db, const lss__keyindex *ix, const lss__slab *s, const char *key,
                     const char *noun)
{
    if (out == NULL || db == NULL || key == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", noun);
    lss__lock(db);
    lss_status st = LSS_OK;
    uint32_t id = lss__keyindex_find(ix, s, 0, key); /* entities with keys have the key first */
    *out = id == LSS__NONE ? NULL : lss__slab_get(s, id);
    if (*out == NULL)
        st = lss__fail(db, LSS_NOT_FOUND, "%s \"%.128s\" does not exist", noun, key);
    lss__unlock(db);
    return st;
}

lss_status lss__by_id(const void **out, const lss_db *db, const lss__slab *s, uint32_t id, const char *what)
{
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", what);
    lss__lock(db);
    lss_status st = LSS_OK;
    *out = NULL;
    if (id < s->count)
        *out = lss__slab_get(s, id);
    else
        st = lss__fail(db, LSS_NOT_FOUND, "%s id %u does not exist (there are %u)", what, id, s->count);
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
    else if (db->poisoned)
        st = lss__fail(db, db->poisoned, "transaction: the database refuses changes after an earlier I/O error");
    else if (lss__journal_read_only(db))
        st = lss__fail(db, LSS_MISUSE, "transaction: the database is open read-only");
    if (st != LSS_OK) {
        lss__unlock(db);
        return st;
    }
    db->tx_active = 1;
    db->tx_owner = pthread_self();
    db->undo.count = 0;
    db->undo_len = 0;
    lss__savepoint_take(db, &db->tx_sp);
    lss__journal_tx_begin(db);
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
    st = lss__journal_tx_commit(db);
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
    lss__journal_tx_discard(db);
    tx_end(db);
    return LSS_OK;
}

const char *lss_db_currency(const lss_db *db) { return db ? db->currency : NULL; }
lss_pipeline_mode lss_db_pipeline(const lss_db *db) { return db ? db->pipeline : LSS_PIPELINE_STRICT; }
uint64_t lss_db_event_count(const lss_db *db) { return db ? db->events : 0; }
lss_time lss_db_last_time(const lss_db *db) { return db ? db->last_time : LSS_TIME_NONE; }

/* ---- dump: every stored fact, in id order; tests compare two dumps ------- */

typedef struct dbuf {
    char *p;
    size_t len, cap;
    bool oom;
} dbuf;

static void put(dbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(dbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->oom)
        return;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *np = lss__realloc(b->p, cap);
        if (np == NULL) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

#define S(x) ((x) ? (x) : "-")

char *lss__dump(const lss_db *db)
{
    dbuf b = { 0 };
    lss__lock(db);
    put(&b, "db currency=%s pipeline=%d events=%llu last=%lld\n", db->currency, (int)db->pipeline,
        (unsigned long long)db->events, (long long)db->last_time);
    for (uint32_t i = 0; i < db->prob.count; i++) {
        const lss__prob_change *p = &LSS__VEC_AT(&db->prob, lss__prob_change, i);
        put(&b, "prob seq=%u at=%lld stage=%u pct=%u\n", p->seq, (long long)p->at, p->stage, p->percent);
    }
    for (uint32_t i = 0; i < db->members.count; i++) {
        const lss_member *m = lss__slab_get(&db->members, i);
        put(&b, "member %u seq=%u key=%s name=%s team=%s role=%u at=%lld\n", m->id, m->seq, m->key, m->name,
            S(m->team), m->role, (long long)m->added_at);
        for (uint32_t q = 0; q < m->quotas.count; q++) {
            const lss__quota *x = &LSS__VEC_AT(&m->quotas, lss__quota, q);
            put(&b, "  quota seq=%u at=%lld %lld..%lld %lld\n", x->seq, (long long)x->q.set_at, (long long)x->q.from,
                (long long)x->q.to, (long long)x->q.target);
        }
    }
    for (uint32_t i = 0; i < db->customers.count; i++) {
        const lss_customer *c = lss__slab_get(&db->customers, i);
        put(&b, "customer %u seq=%u key=%s name=%s/%s email=%s/%s company=%s/%s segment=%s/%s erased=%u source=%u "
                "ref=%s at=%lld churn=%lld first_deal=%s first_act=%u first_ticket=%s\n",
            c->id, c->seq, c->key, S(lss_customer_name(c)), S(c->name), S(lss_customer_email(c)), S(c->email),
            S(lss_customer_company(c)), S(c->company), S(lss_customer_segment(c)), S(c->segment), LSS__ERASED(c), LSS__SOURCE(c),
            c->referred_by ? c->referred_by->key : "-",
            (long long)LSS__ADDED_AT(c), (long long)lss_customer_churned_at(c),
            c->last_deal ? LSS__FIRST(c, last_deal)->key : "-",
            c->last_activity ? LSS__FIRST(c, last_activity)->id : LSS__NONE,
            c->last_ticket ? LSS__FIRST(c, last_ticket)->key : "-");
        for (uint32_t k = 0; k < lss__changes_count(c); k++) {
            const lss__customer_change *x = LSS__CHANGE(c, k);
            put(&b, "  change seq=%u at=%lld kind=%u name=%s email=%s company=%s segment=%s\n", x->seq,
                (long long)x->at, x->kind,
                S(x->name), S(x->email), S(x->company), S(x->segment));
        }
    }
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        put(&b, "deal %u key=%s title=%s customer=%s owner=%s opened=%lld close=%lld last=%lld amount=%lld stage=%u "
                "lost_from=%u furthest=%u next=%s\n",
            d->id, d->key, S(d->title), d->customer->key, d->owner->key, (long long)LSS__DEAL_OPENED_AT(d),
            (long long)d->expected_close, (long long)LSS__DEAL_LAST_AT(d), (long long)LSS__DEAL_AMOUNT(d), d->stage, d->lost_from,
            d->furthest, LSS__NEXT(d, last_deal) ? LSS__NEXT(d, last_deal)->key : "-");
        for (uint32_t k = 0; k < d->hist.count; k++) {
            lss_deal_change x;
            lss__deal_change_get(&x, d, k);
            put(&b, "  hist seq=%u at=%lld kind=%u stage=%u from=%u amount=%lld owner=%s reason=%u note=%s\n",
                LSS__VEC_AT(&d->hist, lss__deal_change, k).seq, (long long)x.at, x.kind, x.stage, x.from_stage,
                (long long)x.amount, x.owner->key, x.reason, S(x.note));
        }
    }
    for (uint32_t i = 0; i < db->activities.count; i++) {
        const lss_activity *a = lss__slab_get(&db->activities, i);
        put(&b, "activity %u seq=%u at=%lld customer=%s member=%s deal=%s kind=%u channel=%u duration=%lld note=%s "
                "next=%u\n",
            a->id, a->seq, (long long)a->at, a->customer->key, a->member->key, a->deal ? a->deal->key : "-", a->kind,
            a->channel, (long long)a->duration, S(a->note),
            LSS__NEXT(a, last_activity) ? LSS__NEXT(a, last_activity)->id : LSS__NONE);
    }
    for (uint32_t i = 0; i < db->sla.count; i++) {
        const lss__sla_change *x = &LSS__VEC_AT(&db->sla, lss__sla_change, i);
        put(&b, "sla seq=%u at=%lld prio=%u %lld/%lld\n", x->seq, (long long)x->at, x->priority, (long long)x->response,
            (long long)x->resolution);
    }
    for (uint32_t i = 0; i < db->tickets.count; i++) {
        const lss_ticket *t = lss__slab_get(&db->tickets, i);
        lss__ticket_marks mk;
        lss__ticket_marks_get(t, &mk);
        put(&b, "ticket %u key=%s subject=%s customer=%s deal=%s assignee=%s opened=%lld last=%lld fr=%lld fres=%lld "
                "rated=%lld sla=%lld/%lld reopens=%u contacts=%u state=%u kind=%u channel=%u prio=%u score=%d next=%s\n",
            t->id, t->key, S(t->subject), t->customer->key, t->deal ? t->deal->key : "-",
            lss__ticket_assignee(t) ? lss__ticket_assignee(t)->key : "-", (long long)LSS__TICKET_OPENED_AT(t), (long long)LSS__TICKET_LAST_AT(t),
            (long long)mk.first_response, (long long)mk.first_resolution, (long long)mk.rated_at,
            (long long)t->sla_response, (long long)t->sla_resolution, mk.reopens, mk.contacts, t->state, t->kind,
            t->channel, t->priority, mk.score, LSS__NEXT(t, last_ticket) ? LSS__NEXT(t, last_ticket)->key : "-");
        for (uint32_t k = 0; k < t->hist.count; k++) {
            lss_ticket_change x;
            lss__ticket_change_get(&x, t, k);
            put(&b, "  hist seq=%u at=%lld kind=%u state=%u from=%u agent=%s channel=%u duration=%lld score=%d "
                    "text=%s\n",
                LSS__VEC_AT(&t->hist, lss__ticket_change, k).seq, (long long)x.at, x.kind, x.state, x.from_state,
                x.agent ? x.agent->key : "-", x.channel, (long long)x.duration, x.score, S(x.text));
        }
    }
    put(&b, "hash members=%u customers=%u deals=%u tickets=%u teams=%u segments=%u\n", db->members_by_key.count,
        db->customers_by_key.count, db->deals_by_key.count, db->tickets_by_key.count, HASH_COUNT(db->teams.by_name),
        HASH_COUNT(db->segments.by_name));
    lss__unlock(db);
    if (b.oom) {
        lss__free(b.p);
        return NULL;
    }
    return b.p;
}
