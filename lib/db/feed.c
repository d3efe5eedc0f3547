/* The change feed (docs/durability.md, "The change feed"): the commit hook,
 * called with each event once it is committed, and the events since a
 * sequence number. */
#include "db/db.h"

#include <stdio.h>

typedef struct pending {
    uint64_t seq;
    lss_time at;
    size_t off, len;
    uint8_t kind;
} pending;

struct lss__feed {
    lss_change_fn fn;
    void *ctx;
    lss__json json; /* the waiting events' JSON, one after the other */
    lss__vec items; /* pending */
};

lss_status lss_db_on_commit(lss_db *db, lss_change_fn fn, void *ctx)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "on commit: NULL database");
    lss__lock(db);
    lss_status st = LSS_OK;
    if (fn == NULL) {
        lss__feed_free(db);
    } else {
        if (db->feed == NULL && (db->feed = lss__malloc(sizeof *db->feed)) != NULL)
            memset(db->feed, 0, sizeof *db->feed);
        if (db->feed == NULL) {
            st = lss__fail(db, LSS_NOMEM, "on commit: out of memory");
        } else {
            db->feed->fn = fn;
            db->feed->ctx = ctx;
        }
    }
    lss__unlock(db);
    return st;
}

void lss__feed_free(lss_db *db)
{
    if (db->feed == NULL)
        return;
    lss__free(db->feed->json.data);
    lss__vec_free(&db->feed->items);
    lss__free(db->feed);
    db->feed = NULL;
}

void lss__feed_note(lss_db *db, const lss__event *ev)
{
    struct lss__feed *f = db->feed;
    if (f == NULL || lss__vec_reserve(&f->items, sizeof(pending), 1) != LSS_OK)
        return; /* (no memory: the event is committed, the hook misses it; lss_events_since has it) */
    size_t off = f->json.len;
    lss__json_event(&f->json, ev);
    if (f->json.nomem) {
        f->json.nomem = false;
        f->json.len = off;
        return;
    }
    pending p = { db->events, ev->at, off, f->json.len - off - 1, ev->kind };
    LSS__VEC_AT(&f->items, pending, f->items.count++) = p;
}

void lss__feed_fire(lss_db *db)
{
    struct lss__feed *f = db->feed;
    if (f == NULL)
        return;
    for (uint32_t i = 0; i < f->items.count; i++) {
        const pending *p = &LSS__VEC_AT(&f->items, pending, i);
        f->json.data[p->off + p->len] = '\0'; /* the newline */
        lss_change ch = { p->seq, lss__ev_descs[p->kind].name, p->at, f->json.data + p->off, p->len };
        (void)f->fn(f->ctx, &ch);
    }
    lss__feed_drop(db);
}

void lss__feed_drop(lss_db *db)
{
    if (db->feed) {
        db->feed->items.count = 0;
        db->feed->json.len = 0;
    }
}

lss_status lss_events_since(lss_db *db, uint64_t seq, lss_change_fn fn, void *ctx)
{
    if (db == NULL || fn == NULL)
        return lss__fail(db, LSS_INVALID, "events since: NULL argument");
    lss__lock(db);
    lss_status st = LSS_OK;
    lss__evref *refs = NULL;
    uint64_t n = 0;
    lss__json o = { NULL, 0, 0, false };
    if (seq > db->events)
        st = lss__fail(db, LSS_INVALID, "events since: sequence number %llu is beyond the last event (%llu)",
                       (unsigned long long)seq, (unsigned long long)db->events);
    else if (seq < db->events)
        st = lss__event_refs(db, &refs, &n);
    for (uint64_t k = seq; st == LSS_OK && k < n; k++) {
        lss__event ev;
        lss__event_of(db, &refs[k], &ev);
        o.len = 0;
        lss__json_event(&o, &ev);
        if (o.nomem) {
            st = lss__fail(db, LSS_NOMEM, "events since: out of memory");
            break;
        }
        o.data[--o.len] = '\0';
        lss_change ch = { k + 1, lss__ev_descs[ev.kind].name, ev.at, o.data, o.len };
        if (fn(ctx, &ch) != 0)
            break;
    }
    lss__free(o.data);
    lss__free(refs);
    lss__unlock(db);
    return st;
}
