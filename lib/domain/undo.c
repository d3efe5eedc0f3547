/* Savepoints and the undo log: how a transaction's rollback puts memory
 * back exactly as it was. A single call needs neither: it changes memory
 * only after its event is written (db/command.c). */
#include "domain/domain.h"

#define UNDO_ENTITY_MAX                                                                             \
    (sizeof(lss_customer) > sizeof(lss_deal) ? sizeof(lss_customer) : sizeof(lss_deal)) +           \
        sizeof(lss_ticket) + sizeof(lss_member) + sizeof(lss_task)

static size_t entity_size(int type)
{
    switch (type) {
    case LSS__U_MEMBER: return sizeof(lss_member);
    case LSS__U_CUSTOMER: return sizeof(lss_customer);
    case LSS__U_DEAL: return sizeof(lss_deal);
    case LSS__U_TICKET: return sizeof(lss_ticket);
    case LSS__U_TASK: return sizeof(lss_task);
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
    for (unsigned ref = LSS__REF_MEMBER; ref <= LSS__REF_ACTIVITY; ref++)
        sp->entities[ref] = lss__slab_of(db, ref)->count;
    sp->teams = db->teams.entries.count;
    sp->segments = db->segments.entries.count;
    sp->prob = db->prob.count;
    sp->pipelines = db->pipelines.count;
    sp->sla = db->sla.count;
    sp->cals = db->cals.count;
    sp->policies = db->policies.count;
    sp->text = lss__arena_mark_get(&db->text);
    sp->undo_count = db->undo.count;
    sp->undo_bytes = db->undo_len;
}

lss_status lss__undo_reserve_saves(lss_db *db, uint32_t saves)
{
    return lss__undo_reserve(db, saves + 1, (saves + 1) * (UNDO_ENTITY_MAX));
}

_Static_assert(LSS__REF_MEMBER + LSS__U_CUSTOMER == LSS__REF_CUSTOMER && LSS__REF_MEMBER + LSS__U_DEAL == LSS__REF_DEAL &&
                   LSS__REF_MEMBER + LSS__U_TICKET == LSS__REF_TICKET && LSS__REF_MEMBER + LSS__U_TASK == LSS__REF_TASK,
               "the entity undo types in the order of the entity kinds");

/* An entity created since the transaction began needs no copy: the
 * rollback removes it. */
static bool created_since(const lss_db *db, int type, const void *obj)
{
    if (type > LSS__U_TASK)
        return false;
    unsigned ref = LSS__REF_MEMBER + (unsigned)type; /* LSS__U_MEMBER .. _TASK in the order of the refs */
    return lss__entity_id(ref, obj) >= db->tx_sp.entities[ref];
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
    case LSS__U_TASK_HIST_PTR: {
        lss_task *t = e->obj;
        if (e->index < t->hist.count)
            base = (unsigned char *)&LSS__VEC_AT(&t->hist, lss__task_change, e->index);
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
    case LSS__U_DEAL: {
        lss_deal *d = e->obj;
        restore_entity(d, saved, sizeof(lss_deal), &d->hist);
        if (d->id < db->deal_stays.count) /* a deal added since the savepoint goes with its stays */
            lss__deal_stays_build(&LSS__VEC_AT(&db->deal_stays, lss__deal_stays, d->id), d);
        break;
    }
    case LSS__U_TICKET:
        restore_entity(e->obj, saved, sizeof(lss_ticket), &((lss_ticket *)e->obj)->hist);
        break;
    case LSS__U_TASK:
        restore_entity(e->obj, saved, sizeof(lss_task), &((lss_task *)e->obj)->hist);
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

/* Remove the newest entity of kind ref: its key, its own memory, its place. */
static void drop_last(lss_db *db, unsigned ref)
{
    lss__slab *s = lss__slab_of(db, ref);
    void *e = lss__slab_get(s, s->count - 1);
    if (ref != LSS__REF_ACTIVITY) /* the keyed kinds have the key first */
        lss__keyindex_remove(lss__index_of(db, ref), lss__key_hash(*(const char *const *)e), s->count - 1);
    if (ref == LSS__REF_TICKET)
        lss__pool_release(&db->ticket_hist, &((lss_ticket *)e)->hist);
    else if (ref == LSS__REF_TASK)
        lss__pool_release(&db->task_hist, &((lss_task *)e)->hist);
    else if (ref == LSS__REF_DEAL) {
        lss__pool_release(&db->deal_hist, &((lss_deal *)e)->hist);
        db->deal_stays.count--;
    }
    else if (ref == LSS__REF_MEMBER)
        lss__vec_free(&((lss_member *)e)->quotas);
    else if (ref == LSS__REF_CUSTOMER) {
        lss__free(((lss_customer *)e)->changes);
        ((lss_customer *)e)->changes = NULL;
    }
    lss__slab_pop(s);
}

void lss__rollback(lss_db *db, const lss__savepoint *sp)
{
    lss__lx_stale(db);
    while (db->undo.count > sp->undo_count)
        undo_one(db, &LSS__VEC_AT(&db->undo, lss__undo_entry, --db->undo.count), sp->events);
    db->undo_len = sp->undo_bytes;
    for (unsigned ref = LSS__REF_ACTIVITY; ref >= LSS__REF_MEMBER; ref--)
        while (lss__slab_of(db, ref)->count > sp->entities[ref])
            drop_last(db, ref);
    lss__texts_back(db, sp->teams, sp->segments, sp->text);
    db->prob.count = sp->prob;
    db->pipelines.count = sp->pipelines;
    db->sla.count = sp->sla;
    while (db->policies.count > sp->policies)
        lss__slab_pop(&db->policies);
    lss__calendars_back(db, sp->cals);
    db->events = sp->events;
    db->last_time = sp->last_time;
}

void lss__texts_back(lss_db *db, uint32_t teams, uint32_t segments, lss__arena_mark text)
{
    while (db->teams.entries.count > teams)
        lss__intern_undo(&db->teams);
    while (db->segments.entries.count > segments)
        lss__intern_undo(&db->segments);
    lss__arena_reset(&db->text, text);
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
