/* Finding entities in the state: where each kind lives, the key index
 * (built at the end of a replay), the lookups the public calls and the
 * checks make. */
#include "domain/rules.h"

#include <stdio.h>

/* Where each entity kind lives in the database, and its id in the entity. */
static const size_t slab_off[] = {
    [LSS__REF_MEMBER] = offsetof(lss_db, members),   [LSS__REF_CUSTOMER] = offsetof(lss_db, customers),
    [LSS__REF_DEAL] = offsetof(lss_db, deals),       [LSS__REF_TICKET] = offsetof(lss_db, tickets),
    [LSS__REF_ACTIVITY] = offsetof(lss_db, activities),
};
static const size_t index_off[] = {
    [LSS__REF_MEMBER] = offsetof(lss_db, members_by_key), [LSS__REF_CUSTOMER] = offsetof(lss_db, customers_by_key),
    [LSS__REF_DEAL] = offsetof(lss_db, deals_by_key),     [LSS__REF_TICKET] = offsetof(lss_db, tickets_by_key),
};
static const size_t id_off[] = {
    [LSS__REF_MEMBER] = offsetof(lss_member, id), [LSS__REF_CUSTOMER] = offsetof(lss_customer, id),
    [LSS__REF_DEAL] = offsetof(lss_deal, id),     [LSS__REF_TICKET] = offsetof(lss_ticket, id),
};
static const char *const nouns[] = { NULL, "member", "customer", "deal", "ticket", "activity" };

lss__slab *lss__slab_of(const lss_db *db, unsigned ref) { return (lss__slab *)((char *)db + slab_off[ref]); }
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

/* Index every keyed kind (the key first in each entity). A key that two
 * entities share (a journal no writer of this library wrote: every add
 * checks that its key is new) is damage. */
lss_status lss__index_build(lss_db *db)
{
    for (unsigned ref = LSS__REF_MEMBER; ref <= LSS__REF_TICKET; ref++) {
        const lss__slab *s = lss__slab_of(db, ref);
        for (uint32_t i = 0, dup; i < s->count; i++) {
            const char *key = *(const char *const *)lss__slab_get(s, i);
            int r = lss__keyindex_add_unique(lss__index_of(db, ref), s, 0, lss__key_hash(key), i, &dup);
            if (r == 0)
                continue;
            for (unsigned k = LSS__REF_MEMBER; k <= LSS__REF_TICKET; k++)
                lss__keyindex_clear(lss__index_of(db, k));
            if (r < 0)
                return lss__fail(db, LSS_NOMEM, "out of memory for the key index");
            return lss__fail(db, LSS_CORRUPT, "%s \"%.128s\" is added twice (as the %s of ids %u and %u)", nouns[ref],
                             key, nouns[ref], dup, i);
        }
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

