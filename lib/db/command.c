/* The command path (db.h): the gate, the checks every kind shares, the
 * reservation, the journal, the change. */
#include "db/db.h"

#include <limits.h>
#include <stdio.h>

/* ---- what every kind shares --------------------------------------------- */

/* Room for one more event. */
static lss_status seq_room(lss_db *db, const char *ctx)
{
    if (db->events >= UINT32_MAX)
        return lss__fail(db, LSS_OVERFLOW, "%s: the database holds the most events it can (%u)", ctx, UINT32_MAX);
    return LSS_OK;
}

/* What refuses any change to a handle; in a transaction, room in the undo
 * log for the copies the kind saves. */
static lss_status gate(lss_db *db, const char *ctx, uint32_t saves)
{
    lss_status st;
    if ((st = lss__db_writable(db, ctx)) || (st = seq_room(db, ctx)))
        return st;
    if (db->tx_active && !pthread_equal(db->tx_owner, pthread_self()))
        return lss__fail(db, LSS_MISUSE, "%s: another thread's transaction is open on this database", ctx);
    db->undo_on = db->tx_active;
    if (db->undo_on && lss__undo_reserve_saves(db, saves))
        return lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
    return LSS_OK;
}

/* The integer fields that become a C int or enum must fit one. */
static lss_status ints_fit(lss_db *db, const lss__event *ev)
{
    const lss__ev_desc *d = &lss__ev_descs[ev->kind];
    for (unsigned k = 0; k < d->ni; k++)
        if ((d->itype[k] == LSS__F_INT || d->itype[k] == LSS__F_ENUM) && (ev->i[k] < INT_MIN || ev->i[k] > INT_MAX))
            return lss__fail(db, LSS_INVALID, "%s: field \"%s\": %lld is out of range", d->name, d->iname[k],
                             (long long)ev->i[k]);
    return LSS_OK;
}

/* What the reservation took, to give back if the command goes no further. */
typedef struct held {
    lss__arena_mark text;
    uint32_t teams, segments;
} held;

static void give_back(lss_db *db, lss__cmd *c, const held *h, const lss__ev_desc *d)
{
    lss__texts_back(db, h->teams, h->segments, h->text);
    if (c->hist.cap) /* reserved for the history of the entity it adds */
        lss__pool_release(lss__hist_pool(db, d->adds), &c->hist);
}

/* Memory for the change: the new entity's place (and its key's, outside
 * replay), the kind's own, and the database's copy of every text. */
static lss_status reserve(lss_db *db, lss__cmd *c, const lss__ev_desc *d)
{
    bool keyed = d->adds && d->adds != LSS__REF_ACTIVITY;
    if (d->adds && lss__slab_reserve(lss__slab_of(db, d->adds)))
        return LSS_NOMEM;
    if (keyed && !c->replay && !lss__keyindex_reserve(lss__index_of(db, d->adds)))
        return LSS_NOMEM;
    if (d->reserve && d->reserve(db, c))
        return LSS_NOMEM;
    for (unsigned k = 0; k < d->ns; k++) {
        bool added;
        if (c->ev.s[k] == NULL || d->sref[k] || d->sintern[k] == LSS__INTERN_PIPELINE)
            continue;
        if (d->sintern[k] ? lss__intern_put(d->sintern[k] == LSS__INTERN_TEAM ? &db->teams : &db->segments,
                                            &db->text, c->ev.s[k], &c->txt[k], &added)
                          : lss__arena_strdup(&db->text, c->ev.s[k], &c->txt[k]))
            return LSS_NOMEM;
    }
    return LSS_OK;
}

/* After the check: the ids of the entities the event names, as the journal
 * writes them. */
static void name_ids(lss__cmd *c, const lss__ev_desc *d)
{
    for (unsigned k = 0; k < d->ns; k++)
        if (d->sref[k])
            c->ev.ref[k] = c->e[k] ? lss__entity_id(d->sref[k], c->e[k]) : LSS__NONE;
}

/* Reserve, write, change, count: a checked command. */
static lss_status run(lss_db *db, lss__cmd *c, const lss__ev_desc *d)
{
    held h = { lss__arena_mark_get(&db->text), db->teams.entries.count, db->segments.entries.count };
    lss_status st;
    if (reserve(db, c, d)) {
        give_back(db, c, &h, d);
        const char *key = c->ev.s[0];
        unsigned what = d->f[0].type == LSS__F_KEY ? (d->sref[0] ? d->sref[0] : d->adds) : 0;
        if (what && key)
            return lss__fail(db, LSS_NOMEM, "%s: %s \"%s\": out of memory", d->name, lss__ref_noun(what), key);
        return lss__fail(db, LSS_NOMEM, "%s: out of memory", d->name);
    }
    if (db->journal && !c->replay && (st = lss__journal_append(db->journal, &c->ev, db->events + 1, db->tx_active))) {
        give_back(db, c, &h, d);
        db->undo_on = false;
        return st;
    }
    d->apply(db, c);
    if (db->lx) /* the list indexes, once a list built them */
        lss__lx_note(db, c);
    if (d->adds && d->adds != LSS__REF_ACTIVITY && !c->replay)
        lss__keyindex_put(lss__index_of(db, d->adds), lss__key_hash(c->ev.s[0]), lss__slab_of(db, d->adds)->count - 1);
    lss__counted(db, c->ev.at);
    return LSS_OK;
}

lss_status lss__command(lss_db *db, lss__cmd *c, const void **out)
{
    const lss__ev_desc *d = &lss__ev_descs[c->ev.kind];
    lss_status st;
    if (out)
        *out = NULL;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", d->name);
    if ((st = ints_fit(db, &c->ev)))
        return st;
    lss__lock(db);
    if (!(st = gate(db, d->name, d->saves)) && !(st = lss__check_time(db, d->name, "at", c->ev.at)) &&
        !(st = d->check(db, c))) {
        name_ids(c, d);
        if ((st = run(db, c, d)) == LSS_OK) {
            if (db->feed) {
                lss__feed_note(db, &c->ev);
                if (!db->tx_active)
                    lss__feed_fire(db);
            }
            lss__ckpt_auto(db);
        }
    }
    if (c->made) /* built by the check, not kept */
        lss__calendar_free(c->made);
    c->made = NULL;
    lss__unlock(db);
    if (st == LSS_OK && out)
        *out = c->created;
    return st;
}

lss_status lss__call(lss_db *db, const void **out, uint8_t kind, lss_time at, const char *const *s, const int64_t *i)
{
    lss__cmd c;
    lss__cmd_init(&c, kind, at);
    if (s)
        memcpy(c.ev.s, s, sizeof c.ev.s);
    if (i)
        memcpy(c.ev.i, i, sizeof c.ev.i);
    return lss__command(db, &c, out);
}

lss_status lss__event_apply(lss_db *db, const lss__event *ev, const void **created)
{
    if (ev->kind != LSS__EV_NONE && ev->kind < LSS__EV_COUNT) /* entities by key: ids a caller gives are not trusted */
        return lss__call(db, created, ev->kind, ev->at, ev->s, ev->i);
    if (created)
        *created = NULL;
    return lss__fail(db, LSS_INVALID, "event: kind %u is not an event", ev->kind);
}

lss_status lss__replay(lss_db *db, const lss__event *ev)
{
    const lss__ev_desc *d = &lss__ev_descs[ev->kind];
    lss__cmd c;
    lss_status st;
    c.ev = *ev;
    lss__cmd_clear(&c, true);
    /* the entities the record names by id; their keys for the messages */
    for (unsigned k = 0; k < d->ns; k++) {
        if (!d->sref[k] || ev->ref[k] == LSS__NONE)
            continue;
        const lss__slab *s = lss__slab_of(db, d->sref[k]);
        if (ev->ref[k] >= s->count)
            return lss__fail(db, LSS_NOT_FOUND, "%s: field \"%s\": entity id %u does not exist", d->name,
                             d->sname[k], ev->ref[k]);
        c.e[k] = lss__slab_get(s, ev->ref[k]);
        c.ev.s[k] = *(const char *const *)c.e[k];
    }
    if ((st = ints_fit(db, &c.ev)) || (st = seq_room(db, d->name)) ||
        (st = lss__check_time(db, d->name, "at", c.ev.at)) || (st = d->check(db, &c)))
        return st;
    if ((st = run(db, &c, d)) == LSS_OK && db->feeding)
        lss__feed_note(db, &c.ev);
    if (c.made)
        lss__calendar_free(c.made);
    return st;
}
