/* Savepoints and the undo log: how a transaction's rollback puts memory
 * back exactly as it was. A single call needs neither: it changes memory
 * only after its event is written (db/command.c). */
#include "domain/domain.h"

#define UNDO_ENTITY_MAX                                                                             \
    (sizeof(lss_customer) > sizeof(lss_deal) ? sizeof(lss_customer) : sizeof(lss_deal)) +           \
        sizeof(lss_ticket) + sizeof(lss_member)

static size_t entity_size(int type)
{
    switch (type) {
    case LSS__U_MEMBER: return sizeof(lss_member);
    case LSS__U_CUSTOMER: return sizeof(lss_customer);
    case LSS__U_DEAL: return sizeof(lss_deal);
    case LSS__U_TICKET: return sizeof(lss_ticket);
    default: return sizeof(void *);
    }
}

lss_status lss__undo_reserve(lss_db *db, uint32_t entries, size_t bytes)
{
    if (lss__vec_reserve(&db->undo, sizeof(lss__undo_entry), entries))
        return LSS_NOMEM;
    return lss__bytes_reserve(&db->undo_bytes, &db->undo_cap, db->undo_len, bytes, 4096);
}

void lss__savepoint_take(const lss_db *db, lss__savepoint *sp)
{
    sp->events = db->events;
    sp->last_time = db->last_time;
    sp->members = db->members.count;
    sp->customers = db->customers.count;
    sp->deals = db->deals.count;
    sp->activities = db->activities.count;
    sp->tickets = db->tickets.count;
    sp->teams = db->teams.entries.count;
    sp->segments = db->segments.entries.count;
    sp->prob = db->prob.count;
    sp->sla = db->sla.count;
    sp->text = lss__arena_mark_get(&db->text);
    sp->undo_count = db->undo.count;
    sp->undo_bytes = db->undo_len;
}

lss_status lss__undo_reserve_saves(lss_db *db, uint32_t saves)
{
    return lss__undo_reserve(db, saves + 1, (saves + 1) * (UNDO_ENTITY_MAX));
}

/* An entity created since the transaction began needs no copy: the
 * rollback removes it. */
static bool created_since(const lss_db *db, int type, const void *obj)
{
    const lss__savepoint *sp = &db->tx_sp;
    switch (type) {
    case LSS__U_MEMBER: return ((const lss_member *)obj)->id >= sp->members;
    case LSS__U_CUSTOMER: return ((const lss_customer *)obj)->id >= sp->customers;
    case LSS__U_DEAL: return ((const lss_deal *)obj)->id >= sp->deals;
    case LSS__U_TICKET: return ((const lss_ticket *)obj)->id >= sp->tickets;
    default: return false;
    }
}

/* Where the pointer an LSS__U_*_PTR entry saved is now (NULL if its element
 * is gone: it was added after the savepoint and already undone). */
static void *elem_ptr(const lss__undo_entry *e)
{
    unsigned char *base = NULL;
    switch (e->type) {
    case LSS__U_CHANGE_PTR: {
        lss_customer *c = e->obj;
        if (e->index < lss__changes_count(c))
            base = (unsigned char *)LSS__CHANGE(c, e->index);
        break;
    }
    case LSS__U_DEAL_HIST_PTR: {
        lss_deal *d = e->obj;
        if (e->index < d->hist.count)
            base = (unsigned char *)&LSS__VEC_AT(&d->hist, lss__deal_change, e->index);
        break;
    }
    case LSS__U_TICKET_HIST_PTR: {
        lss_ticket *t = e->obj;
        if (e->index < t->hist.count)
            base = (unsigned char *)&LSS__VEC_AT(&t->hist, lss__ticket_change, e->index);
        break;
    }
    default:
        break;
    }
    return base ? base + e->field : NULL;
}

void lss__undo_save(lss_db *db, int type, void *obj)
{
    if (!db->undo_on || created_since(db, type, obj))
        return;
    size_t n = entity_size(type);
    /* the command's gate (lss__undo_reserve_saves) or lss__undo_reserve made room */
    lss__undo_entry *e = &LSS__VEC_AT(&db->undo, lss__undo_entry, db->undo.count++);
    e->obj = obj;
    e->off = db->undo_len;
    e->type = (uint8_t)type;
    memcpy(db->undo_bytes + db->undo_len, obj, n);
    db->undo_len += n;
}

void lss__undo_save_elem(lss_db *db, int type, void *obj, uint32_t index, size_t field)
{
    if (!db->undo_on)
        return;
    lss__undo_entry *e = &LSS__VEC_AT(&db->undo, lss__undo_entry, db->undo.count++);
    e->obj = obj;
    e->off = db->undo_len;
    e->index = index;
    e->field = (uint16_t)field;
    e->type = (uint8_t)type;
    memcpy(db->undo_bytes + db->undo_len, elem_ptr(e), sizeof(void *));
    db->undo_len += sizeof(void *);
}

/* Put an entity's bytes back, except its history vector's storage (which
 * may have moved; the entries before the saved count are unchanged). */
static void restore_entity(void *obj, const unsigned char *saved, size_t size, lss__vec *vec)
{
    lss__vec keep = *vec;
    memcpy(obj, saved, size);
    uint32_t count = vec->count;
    *vec = keep;
    vec->count = count;
}

/* A customer's record back as saved, with its current changes storage
 * (which may have moved), less the changes made after the savepoint. */
static void restore_customer(lss_customer *c, const unsigned char *saved, uint64_t events)
{
    lss__changes *keep = c->changes;
    memcpy(c, saved, sizeof *c);
    c->changes = keep;
    while (keep && keep->count > 0 && keep->e[keep->count - 1].seq > events)
        keep->count--;
}

static void undo_one(lss_db *db, const lss__undo_entry *e, uint64_t events)
{
    const unsigned char *saved = db->undo_bytes + e->off;
    switch (e->type) {
    case LSS__U_MEMBER:
        restore_entity(e->obj, saved, sizeof(lss_member), &((lss_member *)e->obj)->quotas);
        break;
    case LSS__U_CUSTOMER:
        restore_customer(e->obj, saved, events);
        break;
    case LSS__U_DEAL:
        restore_entity(e->obj, saved, sizeof(lss_deal), &((lss_deal *)e->obj)->hist);
        break;
    case LSS__U_TICKET:
        restore_entity(e->obj, saved, sizeof(lss_ticket), &((lss_ticket *)e->obj)->hist);
        break;
    case LSS__U_PTR:
        memcpy(e->obj, saved, sizeof(void *));
        break;
    default: {
        void *p = elem_ptr(e);
        if (p)
            memcpy(p, saved, sizeof(void *));
        break;
    }
    }
}

void lss__rollback(lss_db *db, const lss__savepoint *sp)
{
    while (db->undo.count > sp->undo_count)
        undo_one(db, &LSS__VEC_AT(&db->undo, lss__undo_entry, --db->undo.count), sp->events);
    db->undo_len = sp->undo_bytes;
    while (db->tickets.count > sp->tickets) {
        lss_ticket *t = lss__slab_get(&db->tickets, db->tickets.count - 1);
        lss__keyindex_remove(&db->tickets_by_key, lss__key_hash(t->key), t->id);
        lss__vec_free(&t->hist);
        lss__slab_pop(&db->tickets);
    }
    while (db->activities.count > sp->activities)
        lss__slab_pop(&db->activities);
    while (db->deals.count > sp->deals) {
        lss_deal *d = lss__slab_get(&db->deals, db->deals.count - 1);
        lss__keyindex_remove(&db->deals_by_key, lss__key_hash(d->key), d->id);
        lss__vec_free(&d->hist);
        lss__slab_pop(&db->deals);
    }
    while (db->customers.count > sp->customers) {
        lss_customer *c = lss__slab_get(&db->customers, db->customers.count - 1);
        lss__keyindex_remove(&db->customers_by_key, lss__key_hash(c->key), c->id);
        lss__free(c->changes);
        c->changes = NULL;
        lss__slab_pop(&db->customers);
    }
    while (db->members.count > sp->members) {
        lss_member *m = lss__slab_get(&db->members, db->members.count - 1);
        lss__keyindex_remove(&db->members_by_key, lss__key_hash(m->key), m->id);
        lss__vec_free(&m->quotas);
        lss__slab_pop(&db->members);
    }
    while (db->teams.entries.count > sp->teams)
        lss__intern_undo(&db->teams);
    while (db->segments.entries.count > sp->segments)
        lss__intern_undo(&db->segments);
    db->prob.count = sp->prob;
    db->sla.count = sp->sla;
    db->events = sp->events;
    db->last_time = sp->last_time;
    lss__arena_reset(&db->text, sp->text);
}

void lss__counted(lss_db *db, lss_time at)
{
    db->events++;
    if (db->last_time == LSS_TIME_NONE || at > db->last_time)
        db->last_time = at;
    if (!db->tx_active) {
        /* outside a transaction nothing needs undoing once the call is over */
        db->undo.count = 0;
        db->undo_len = 0;
    }
    db->undo_on = false;
}
