/* Finding entities in the state: where each kind lives, the key index
 * (built at the end of a replay), the lookups the public calls and the
 * checks make. */
#include "domain/rules.h"

#include <stdio.h>

/* Where each entity kind lives in the database, and its id in the entity. */
static const size_t slab_off[] = {
    [LSS__REF_MEMBER] = offsetof(lss_db, members),   [LSS__REF_CUSTOMER] = offsetof(lss_db, customers),
    [LSS__REF_DEAL] = offsetof(lss_db, deals),       [LSS__REF_TICKET] = offsetof(lss_db, tickets),
    [LSS__REF_TASK] = offsetof(lss_db, tasks),       [LSS__REF_ACTIVITY] = offsetof(lss_db, activities),
};
static const size_t index_off[] = {
    [LSS__REF_MEMBER] = offsetof(lss_db, members_by_key), [LSS__REF_CUSTOMER] = offsetof(lss_db, customers_by_key),
    [LSS__REF_DEAL] = offsetof(lss_db, deals_by_key),     [LSS__REF_TICKET] = offsetof(lss_db, tickets_by_key),
    [LSS__REF_TASK] = offsetof(lss_db, tasks_by_key),
};
static const size_t id_off[] = {
    [LSS__REF_MEMBER] = offsetof(lss_member, id), [LSS__REF_CUSTOMER] = offsetof(lss_customer, id),
    [LSS__REF_DEAL] = offsetof(lss_deal, id),     [LSS__REF_TICKET] = offsetof(lss_ticket, id),
    [LSS__REF_TASK] = offsetof(lss_task, id),     [LSS__REF_ACTIVITY] = offsetof(lss_activity, id),
};
static const char *const nouns[] = { NULL, "member", "customer", "deal", "ticket", "task", "activity" };

lss__slab *lss__slab_of(const lss_db *db, unsigned ref) { return (lss__slab *)((char *)db + slab_off[ref]); }
lss__pool *lss__hist_pool(lss_db *db, unsigned ref)
{
    return ref == LSS__REF_TICKET ? &db->ticket_hist : ref == LSS__REF_TASK ? &db->task_hist : &db->deal_hist;
}
lss__keyindex *lss__index_of(const lss_db *db, unsigned ref)
{
    return (lss__keyindex *)((char *)db + index_off[ref]);
}
uint32_t lss__entity_id(unsigned ref, const void *e) { return *(const uint32_t *)((const char *)e + id_off[ref]); }
const char *lss__ref_noun(unsigned ref) { return nouns[ref]; }

void *lss__entity_get(const lss_db *db, unsigned ref, const char *key)
{
    const lss__slab *s = lss__slab_of(db, ref);
    uint32_t id = lss__keyindex_find(lss__index_of(db, ref), s, 0, key); /* keyed entities have the key first */
    return id == LSS__NONE ? NULL : lss__slab_get(s, id);
}

/* ---- for the checks ----------------------------------------------------- */

lss_status lss__cmd_key(lss_db *db, const lss__cmd *c, unsigned k)
{
    if (c->e[k])
        return LSS_OK;
    return lss__check_key(db, lss__cmd_ctx(c), lss__ev_descs[c->ev.kind].sname[k], c->ev.s[k]);
}

void *lss__cmd_get(lss_db *db, lss__cmd *c, unsigned k)
{
    if (c->e[k] == NULL && c->ev.s[k] != NULL)
        c->e[k] = lss__entity_get(db, lss__ev_descs[c->ev.kind].sref[k], c->ev.s[k]);
    return c->e[k];
}

bool lss__cmd_exists(const lss_db *db, const lss__cmd *c)
{
    return !c->replay && lss__entity_get(db, lss__ev_descs[c->ev.kind].adds, c->ev.s[0]) != NULL;
}

lss_status lss__cmd_order(lss_db *db, const lss__cmd *c, const char *what, const char *key, lss_time last)
{
    if (c->ev.at >= last)
        return LSS_OK;
    char t1[LSS_TIME_BUFSIZE], t2[LSS_TIME_BUFSIZE];
    lss__fmt_time(t1, c->ev.at);
    lss__fmt_time(t2, last);
    return lss__fail(db, LSS_OUT_OF_ORDER, "%s: %s \"%s\": event at %s is earlier than its last event at %s",
                     lss__cmd_ctx(c), what, key, t1, t2);
}

/* ---- the key index ------------------------------------------------------- */

#define KEY_FIRST(type) _Static_assert(offsetof(type, key) == 0, #type ": the key first")
KEY_FIRST(struct lss_member);
KEY_FIRST(struct lss_customer);
KEY_FIRST(struct lss_deal);
KEY_FIRST(struct lss_ticket);
KEY_FIRST(struct lss_task);

/* The index of one kind, into a table sized for it (no allocation): the
 * first key found twice stops it (its ids in dup and at). */
typedef struct index_job {
    lss_db *db;
    unsigned ref;
    bool twice;
    uint32_t dup, at;
} index_job;

/* Keys are hashed a batch ahead of their inserts, and each home slot is
 * fetched while the others are hashed: the inserts land on random slots of
 * a table far larger than the caches, and this overlaps their misses. */
#define INDEX_BATCH 16u

static void index_kind(index_job *j)
{
    const lss__slab *s = lss__slab_of(j->db, j->ref);
    lss__keyindex *ix = lss__index_of(j->db, j->ref);
    uint32_t hash[INDEX_BATCH];
    for (uint32_t i = ix->count; i < s->count;) { /* ids below count are indexed (a checkpoint's) */
        uint32_t n = s->count - i < INDEX_BATCH ? s->count - i : INDEX_BATCH;
        for (uint32_t b = 0; b < n; b++) {
            hash[b] = lss__key_hash(*(const char *const *)lss__slab_get(s, i + b));
            lss__keyindex_prefetch(ix, hash[b]);
        }
        for (uint32_t b = 0; b < n; b++, i++)
            if (lss__keyindex_add_unique(ix, s, 0, hash[b], i, &j->dup) != 0) {
                j->twice = true;
                j->at = i;
                return;
            }
    }
}

/* The kinds one thread indexes, in order. */
typedef struct index_share {
    index_job *jobs[LSS__REF_KEYED_LAST + 1];
    unsigned n;
    uint64_t keys;
} index_share;

static void *index_thread(void *arg)
{
    index_share *sh = arg;
    for (unsigned k = 0; k < sh->n; k++)
        index_kind(sh->jobs[k]);
    return NULL;
}

uint32_t lss__index_thread_min = 50000u;

/* Index every keyed kind (the key first in each entity). A key that two
 * entities share (a journal no writer of this library wrote: every add
 * checks that its key is new) is damage. The tables are sized first, so
 * the kinds are indexed without allocating, and every failure is reported
 * here. A large database's kinds are shared between this thread and a
 * second one, each kind (largest first) going to the one with fewer keys. */
lss_status lss__index_build(lss_db *db)
{
    index_job jobs[LSS__REF_KEYED_LAST + 1];
    index_share share[2] = { { { NULL }, 0, 0 }, { { NULL }, 0, 0 } };
    uint64_t total = 0;
    for (unsigned ref = LSS__REF_MEMBER; ref <= LSS__REF_KEYED_LAST; ref++) {
        jobs[ref] = (index_job){ db, ref, false, 0, 0 };
        const lss__slab *s = lss__slab_of(db, ref);
        total += s->count;
        if (!lss__keyindex_presize(lss__index_of(db, ref), s->count)) {
            for (unsigned k = LSS__REF_MEMBER; k <= LSS__REF_KEYED_LAST; k++)
                lss__keyindex_clear(lss__index_of(db, k));
            return lss__fail(db, LSS_NOMEM, "out of memory for the key index");
        }
    }
    bool taken[LSS__REF_KEYED_LAST + 1] = { false };
    for (unsigned round = LSS__REF_MEMBER; round <= LSS__REF_KEYED_LAST; round++) {
        unsigned big = 0;
        for (unsigned ref = LSS__REF_MEMBER; ref <= LSS__REF_KEYED_LAST; ref++)
            if (!taken[ref] && (big == 0 || lss__slab_of(db, ref)->count > lss__slab_of(db, big)->count))
                big = ref;
        taken[big] = true;
        index_share *to = &share[share[1].keys < share[0].keys];
        to->jobs[to->n++] = &jobs[big];
        to->keys += lss__slab_of(db, big)->count;
    }
    pthread_t worker;
    bool threaded = total >= lss__index_thread_min && pthread_create(&worker, NULL, index_thread, &share[1]) == 0;
    index_thread(&share[0]);
    if (threaded)
        pthread_join(worker, NULL);
    else
        index_thread(&share[1]);
    for (unsigned ref = LSS__REF_MEMBER; ref <= LSS__REF_KEYED_LAST; ref++) {
        const index_job *j = &jobs[ref];
        if (!j->twice)
            continue;
        const char *key = *(const char *const *)lss__slab_get(lss__slab_of(db, ref), j->at);
        for (unsigned k = LSS__REF_MEMBER; k <= LSS__REF_KEYED_LAST; k++)
            lss__keyindex_clear(lss__index_of(db, k));
        return lss__fail(db, LSS_CORRUPT, "%s \"%.128s\" is added twice (as the %s of ids %u and %u)", nouns[ref],
                         key, nouns[ref], j->dup, j->at);
    }
    return LSS_OK;
}

lss_status lss__find(const void **out, const lss_db *db, unsigned ref, const char *key)
{
    if (out == NULL || db == NULL || key == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", nouns[ref]);
    lss__lock(db);
    lss_status st = LSS_OK;
    *out = lss__entity_get(db, ref, key);
    if (*out == NULL)
        st = lss__fail(db, LSS_NOT_FOUND, "%s \"%.128s\" does not exist", nouns[ref], key);
    lss__unlock(db);
    return st;
}

lss_status lss__by_id(const void **out, const lss_db *db, unsigned ref, uint32_t id)
{
    const char *what = nouns[ref];
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", what);
    const lss__slab *s = lss__slab_of(db, ref);
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

