/* Customers, their change history, and activities. */
#include "event.h"

#include <stdlib.h>

LSS__DEFINE_GET(lss_customer, lss__customer_get, customers_by_key, customers, LSS__H_CUSTOMER)

static lss_status check_fields(lss_db *db, const char *ctx, const char *name, bool name_required,
                               const char *email, const char *company, const char *segment)
{
    lss_status st;
    if ((st = lss__check_text(db, ctx, "name", name, LSS__NAME_MAX, name_required, false)) ||
        (st = lss__check_text(db, ctx, "email", email, LSS__EMAIL_MAX, false, false)) ||
        (st = lss__check_text(db, ctx, "company", company, LSS__NAME_MAX, false, false)) ||
        (st = lss__check_text(db, ctx, "segment", segment, LSS__NAME_MAX, false, true)))
        return st;
    return LSS_OK;
}

static lss_status customer_create(const lss_customer **out, lss_db *db, lss_time at, const char *key,
                                  const char *name, const char *email, const char *company, const char *segment,
                                  lss_source source, const lss_customer *ref);

lss_status lss_customer_add(const lss_customer **out, lss_db *db, lss_time at, const char *key, const char *name,
                            const char *email, const char *company, const char *segment, lss_source source,
                            const char *referred_by)
{
    static const char ctx[] = "customer.add";
    lss_status st;
    if (out)
        *out = NULL;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 0)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = lss__check_key(db, ctx, "key", key)) ||
        (st = check_fields(db, ctx, name, true, email, company, segment)))
        goto done;
    if (lss_source_name((int)source) == NULL) {
        st = lss__fail(db, LSS_INVALID, "%s: customer \"%s\": field \"source\": %d is not a source", ctx, key,
                       (int)source);
        goto done;
    }
    const lss_customer *ref = NULL;
    if (referred_by != NULL) {
        if ((st = lss__check_key(db, ctx, "referred_by", referred_by)))
            goto done;
        if (source != LSS_SOURCE_REFERRAL) {
            st = lss__fail(db, LSS_INVALID,
                           "%s: customer \"%s\": field \"referred_by\" is allowed only with source referral (source is %s)",
                           ctx, key, lss_source_name((int)source));
            goto done;
        }
        if ((ref = lss__customer_get(db, referred_by)) == NULL) {
            st = lss__fail(db, LSS_NOT_FOUND, "%s: customer \"%s\": referred_by customer \"%s\" does not exist", ctx,
                           key, referred_by);
            goto done;
        }
    }
    if (lss__customer_get(db, key)) {
        st = lss__fail(db, LSS_EXISTS, "%s: customer \"%s\" already exists", ctx, key);
        goto done;
    }
    st = customer_create(out, db, at, key, name, email, company, segment, source, ref);
done:
    lss__unlock(db);
    return st;
}

/* The rest of customer.add, once every field is checked: the record, its
 * texts, its event. */
static lss_status customer_create(const lss_customer **out, lss_db *db, lss_time at, const char *key,
                                  const char *name, const char *email, const char *company, const char *segment,
                                  lss_source source, const lss_customer *ref)
{
    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    const char *k, *n, *e, *co, *seg;
    bool seg_added = false;
    lss_status st;
    if (lss__slab_reserve(&db->customers) || lss__arena_strdup(&db->text, key, &k) ||
        lss__arena_strdup(&db->text, name, &n) || lss__arena_strdup(&db->text, email, &e) ||
        lss__arena_strdup(&db->text, company, &co) ||
        lss__intern_put(&db->segments, &db->text, segment, &seg, &seg_added))
        goto oom;
    lss_customer *c = lss__slab_push(&db->customers);
    c->key = k;
    c->name = n;
    c->email = e;
    c->company = co;
    c->seq = lss__next_seq(db);
    c->segment = seg;
    c->referred_by = ref;
    c->id = db->customers.count - 1;
    c->added = (uint64_t)at | (uint64_t)source << 38;
    if (!lss__index_add(db, &db->customers_by_key, c->id, c->key)) {
        lss__slab_pop(&db->customers);
        if (seg_added)
            lss__intern_undo(&db->segments);
        goto oom;
    }
    if ((st = lss__log_ref(db, LSS__EV_CUSTOMER_ADD, c, 0)))
        return st;
    lss__counted(db, at);
    if (out)
        *out = c;
    return LSS_OK;
oom:
    lss__arena_reset(&db->text, mark);
    return lss__fail(db, LSS_NOMEM, "customer.add: customer \"%s\": out of memory", key);
}

/* Replay (lss__event_replay): customer.add, when its fields pass the checks
 * of lss_customer_add (else false, and the event goes through it for its
 * error). The key is new: the journal was written after that check. */
bool lss__customer_add_replay(lss_db *db, const lss__event *ev, lss_status *st)
{
    const char *const *s = ev->s;
    lss_source source = (lss_source)ev->i[0];
    const lss_customer *ref = NULL;
    if (!lss__key_fits(s[0]) ||
        !lss__text_fits(s[1], 0, LSS__NAME_MAX, true) || !lss__text_fits(s[2], 0, LSS__EMAIL_MAX, false) ||
        !lss__text_fits(s[3], 0, LSS__NAME_MAX, false) || !lss__text_fits(s[4], 1, LSS__NAME_MAX, false) ||
        lss_source_name((int)source) == NULL || s[5] != NULL)
        return false;
    if (ev->ref[5] != LSS__NONE) {
        if (ev->ref[5] >= db->customers.count || source != LSS_SOURCE_REFERRAL)
            return false;
        ref = lss__slab_get(&db->customers, ev->ref[5]);
    }
    *st = customer_create(NULL, db, ev->at, s[0], s[1], s[2], s[3], s[4], source, ref);
    return true;
}

static lss_status find_customer(lss_db *db, const char *ctx, const char *key, lss_customer **out)
{
    lss_status st = lss__check_key(db, ctx, "customer", key);
    if (st)
        return st;
    if ((*out = lss__customer_get(db, key)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: customer \"%s\" does not exist", ctx, key);
    return LSS_OK;
}

/* The start of customer.churn and customer.erase: the gate, the time, the
 * customer, room for one more change. */
static lss_status change_start(lss_db *db, const char *ctx, lss_time at, const char *customer, lss_customer **c)
{
    lss_status st;
    if ((st = lss__wbegin(db, ctx, 1)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = find_customer(db, ctx, customer, c)))
        return st;
    if (lss__changes_reserve(*c))
        return lss__fail(db, LSS_NOMEM, "%s: customer \"%s\": out of memory", ctx, customer);
    return LSS_OK;
}

/* Write a customer change's event: the change in its reserved place, not
 * yet counted (change_end counts it once memory is changed). */
static lss_status change_log(lss_db *db, lss_customer *c, const lss__customer_change *ch, uint8_t kind)
{
    c->changes->e[c->changes->count] = *ch;
    return lss__log_ref(db, kind, c, c->changes->count);
}

static void change_end(lss_db *db, lss_customer *c, lss_time at)
{
    c->changes->count++;
    lss__counted(db, at);
}

lss_status lss_customer_update(lss_db *db, lss_time at, const char *customer, const char *name, const char *email,
                               const char *company, const char *segment)
{
    static const char ctx[] = "customer.update";
    lss_status st;
    lss_customer *c;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 1)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = find_customer(db, ctx, customer, &c)) ||
        (st = check_fields(db, ctx, name, false, email, company, segment)))
        goto done;
    if (!name && !email && !company && !segment) {
        st = lss__fail(db, LSS_INVALID, "%s: customer \"%s\": give at least one of name, email, company, segment",
                       ctx, customer);
        goto done;
    }
    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    lss__customer_change ch = { at, NULL, NULL, NULL, NULL, lss__next_seq(db), LSS_CUSTOMER_UPDATED };
    bool seg_added = false;
    if (lss__changes_reserve(c) || lss__arena_strdup(&db->text, name, &ch.name) ||
        lss__arena_strdup(&db->text, email, &ch.email) || lss__arena_strdup(&db->text, company, &ch.company) ||
        lss__intern_put(&db->segments, &db->text, segment, &ch.segment, &seg_added)) {
        lss__arena_reset(&db->text, mark);
        st = lss__fail(db, LSS_NOMEM, "%s: customer \"%s\": out of memory", ctx, customer);
        goto done;
    }
    if ((st = change_log(db, c, &ch, LSS__EV_CUSTOMER_UPDATE)))
        goto done;
    lss__undo_save(db, LSS__U_CUSTOMER, c);
    change_end(db, c, at);
done:
    lss__unlock(db);
    return st;
}

lss_status lss_customer_churn(lss_db *db, lss_time at, const char *customer)
{
    static const char ctx[] = "customer.churn";
    lss_status st;
    lss_customer *c;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = change_start(db, ctx, at, customer, &c)))
        goto done;
    lss__customer_change ch = { at, NULL, NULL, NULL, NULL, lss__next_seq(db), LSS_CUSTOMER_CHURNED };
    if ((st = change_log(db, c, &ch, LSS__EV_CUSTOMER_CHURN)))
        goto done;
    lss__undo_save(db, LSS__U_CUSTOMER, c);
    change_end(db, c, at);
done:
    lss__unlock(db);
    return st;
}

static const char erased_name[] = "[erased]";

/* Pointers customer.erase clears outside the entity structs (history
 * entries, activities), each saved for undo. */
static uint32_t erase_count(const lss_customer *c)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < lss__changes_count(c); i++)
        n += 3;
    const lss_deal *d;
    LSS__EACH(d, c, last_deal)
        n += 1 + d->hist.count;
    const lss_activity *a;
    LSS__EACH(a, c, last_activity)
        n++;
    const lss_ticket *t;
    LSS__EACH(t, c, last_ticket)
        n += 1 + t->hist.count;
    return n;
}

/* Clear a text pointer of an entity (stable storage). */
static void clear(lss_db *db, const char **p)
{
    if (*p) {
        lss__undo_save(db, LSS__U_PTR, (void *)p);
        *p = NULL;
    }
}

/* Clear a text pointer `p` of element `i` of an entity's movable vector:
 * undo keeps where it is (entity, index, field), not its address. */
static void clear_elem(lss_db *db, int type, void *entity, uint32_t i, const char **p, size_t field)
{
    if (*p) {
        lss__undo_save_elem(db, type, entity, i, field);
        *p = NULL;
    }
}

lss_status lss_customer_erase(lss_db *db, lss_time at, const char *customer)
{
    static const char ctx[] = "customer.erase";
    lss_status st;
    lss_customer *c;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = change_start(db, ctx, at, customer, &c)))
        goto done;
    lss__customer_change ch = { at, NULL, NULL, NULL, NULL, lss__next_seq(db), LSS_CUSTOMER_ERASED };
    if (db->undo_on) {
        uint32_t n = erase_count(c);
        if (lss__undo_reserve(db, n + 1, (size_t)n * (sizeof(lss_deal) + sizeof(lss_ticket)) + sizeof *c)) {
            st = lss__fail(db, LSS_NOMEM, "%s: customer \"%s\": out of memory", ctx, customer);
            goto done;
        }
    }
    if ((st = change_log(db, c, &ch, LSS__EV_CUSTOMER_ERASE)))
        goto done;
    lss__undo_save(db, LSS__U_CUSTOMER, c);
    c->name = erased_name;
    c->email = c->company = NULL;
    for (uint32_t i = 0; i < lss__changes_count(c); i++) {
        lss__customer_change *x = LSS__CHANGE(c, i);
        /* an update keeps saying that it changed something personal */
        bool personal = x->name || x->email || x->company;
        clear_elem(db, LSS__U_CHANGE_PTR, c, i, &x->email, offsetof(lss__customer_change, email));
        clear_elem(db, LSS__U_CHANGE_PTR, c, i, &x->company, offsetof(lss__customer_change, company));
        if (personal && x->name != erased_name) {
            lss__undo_save_elem(db, LSS__U_CHANGE_PTR, c, i, offsetof(lss__customer_change, name));
            x->name = erased_name;
        }
    }
    lss_deal *d;
    LSS__EACH(d, c, last_deal) {
        lss__undo_save(db, LSS__U_DEAL, d);
        d->title = NULL;
        for (uint32_t i = 0; i < d->hist.count; i++)
            if (LSS__DC_KIND(&LSS__VEC_AT(&d->hist, lss__deal_change, i)) == LSS_DEAL_LOST)
                clear_elem(db, LSS__U_DEAL_HIST_PTR, d, i, &LSS__VEC_AT(&d->hist, lss__deal_change, i).v.note,
                           offsetof(lss__deal_change, v.note));
    }
    lss_activity *a;
    LSS__EACH(a, c, last_activity)
        clear(db, &a->note);
    lss_ticket *t;
    LSS__EACH(t, c, last_ticket) {
        lss__undo_save(db, LSS__U_TICKET, t);
        t->subject = NULL;
        for (uint32_t i = 0; i < t->hist.count; i++)
            if (lss__tc_has_text(LSS__TC_KIND(&LSS__VEC_AT(&t->hist, lss__ticket_change, i))))
                clear_elem(db, LSS__U_TICKET_HIST_PTR, t, i, &LSS__VEC_AT(&t->hist, lss__ticket_change, i).v.text,
                           offsetof(lss__ticket_change, v.text));
    }
    c->added |= LSS__ERASED_BIT;
    change_end(db, c, at);
done:
    lss__unlock(db);
    return st;
}

int lss_customer_is_erased(const lss_customer *c) { return c ? LSS__ERASED(c) : 0; }

lss_status lss_customer_find(const lss_customer **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, db ? &db->customers_by_key : NULL, db ? &db->customers : NULL, key,
                     "customer");
}

lss_status lss_customer_by_id(const lss_customer **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, db ? &db->customers : NULL, id, "customer");
}

uint32_t lss_customer_count(const lss_db *db) { return db ? db->customers.count : 0; }
uint32_t lss_customer_id(const lss_customer *c) { return c ? c->id : LSS__NONE; }
const char *lss_customer_key(const lss_customer *c) { return c ? c->key : NULL; }
/* The current value of a field: the latest change that set it, else the
 * value given to customer.add. */
static const char *latest(const lss_customer *c, size_t off, const char *added)
{
    for (uint32_t i = lss__changes_count(c); i-- > 0;) {
        const char *v = *(const char *const *)((const char *)LSS__CHANGE(c, i) + off);
        if (v)
            return v;
    }
    return added;
}
const char *lss_customer_name(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, name), c->name) : NULL;
}
const char *lss_customer_email(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, email), c->email) : NULL;
}
const char *lss_customer_company(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, company), c->company) : NULL;
}
const char *lss_customer_segment(const lss_customer *c)
{
    return c ? latest(c, offsetof(lss__customer_change, segment), c->segment) : NULL;
}
lss_source lss_customer_source(const lss_customer *c) { return c ? (lss_source)LSS__SOURCE(c) : (lss_source)-1; }
const lss_customer *lss_customer_referred_by(const lss_customer *c) { return c ? c->referred_by : NULL; }
lss_time lss_customer_added_at(const lss_customer *c) { return c ? LSS__ADDED_AT(c) : LSS_TIME_NONE; }
lss_time lss_customer_churned_at(const lss_customer *c)
{
    if (c == NULL)
        return LSS_TIME_NONE;
    for (uint32_t i = lss__changes_count(c); i-- > 0;) /* changes are in time order */
        if (LSS__CHANGE(c, i)->kind == LSS_CUSTOMER_CHURNED)
            return LSS__CHANGE(c, i)->at;
    return LSS_TIME_NONE;
}
uint32_t lss_customer_change_count(const lss_customer *c) { return c ? lss__changes_count(c) : 0; }
const lss_deal *lss_customer_first_deal(const lss_customer *c) { return c ? LSS__FIRST(c, last_deal) : NULL; }
const lss_activity *lss_customer_first_activity(const lss_customer *c)
{
    return c ? LSS__FIRST(c, last_activity) : NULL;
}

lss_status lss_customer_change_get(lss_customer_change *out, const lss_customer *c, uint32_t i)
{
    if (out == NULL || c == NULL)
        return lss__fail(NULL, LSS_INVALID, "customer change: NULL argument");
    if (i >= lss__changes_count(c))
        return lss__fail(NULL, LSS_NOT_FOUND, "customer \"%s\": change %u does not exist (%u changes)", c->key, i,
                         lss__changes_count(c));
    const lss__customer_change *x = LSS__CHANGE(c, i);
    out->at = x->at;
    out->kind = (lss_customer_change_kind)x->kind;
    out->name = x->name;
    out->email = x->email;
    out->company = x->company;
    out->segment = x->segment;
    return LSS_OK;
}

const char *lss_customer_segment_at(const lss_customer *c, lss_time t)
{
    if (c == NULL || LSS__ADDED_AT(c) >= t)
        return NULL;
    const char *seg = c->segment;
    for (uint32_t i = 0; i < lss__changes_count(c); i++) {
        const lss__customer_change *x = LSS__CHANGE(c, i);
        if (x->at < t && x->segment)
            seg = x->segment;
    }
    return seg;
}

/* ---- activities ----------------------------------------------------------- */

static lss_status activity_create(const lss_activity **out, lss_db *db, lss_time at, lss_customer *c,
                                  const lss_member *m, lss_activity_kind kind, lss_channel channel,
                                  int64_t duration, const lss_deal *d, const char *note);

lss_status lss_activity_log(const lss_activity **out, lss_db *db, lss_time at, const char *customer,
                            const char *member, lss_activity_kind kind, lss_channel channel, int64_t duration,
                            const char *deal, const char *note)
{
    static const char ctx[] = "activity.log";
    lss_status st;
    lss_customer *c;
    const lss_member *m;
    const lss_deal *d = NULL;
    if (out)
        *out = NULL;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 2)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = find_customer(db, ctx, customer, &c)) || (st = lss__check_key(db, ctx, "member", member)) ||
        (st = lss__check_text(db, ctx, "note", note, LSS__NOTE_MAX, false, false)))
        goto done;
    if ((m = lss__member_get(db, member)) == NULL) {
        st = lss__fail(db, LSS_NOT_FOUND, "%s: member \"%s\" does not exist", ctx, member);
        goto done;
    }
    if (lss_activity_kind_name((int)kind) == NULL || lss_channel_name((int)channel) == NULL) {
        st = lss__fail(db, LSS_INVALID, "%s: customer \"%s\": %s %d is not valid", ctx, customer,
                       lss_activity_kind_name((int)kind) == NULL ? "kind" : "channel",
                       lss_activity_kind_name((int)kind) == NULL ? (int)kind : (int)channel);
        goto done;
    }
    if (duration != -1 && (duration < 0 || duration > LSS__DURATION_MAX)) {
        st = lss__fail(db, LSS_INVALID, "%s: field \"duration\": %lld is out of range (0 to %lld seconds)", ctx,
                       (long long)duration, (long long)LSS__DURATION_MAX);
        goto done;
    }
    if (deal != NULL) {
        if ((st = lss__check_key(db, ctx, "deal", deal)))
            goto done;
        if ((d = lss__deal_get(db, deal)) == NULL) {
            st = lss__fail(db, LSS_NOT_FOUND, "%s: deal \"%s\" does not exist", ctx, deal);
            goto done;
        }
        if (d->customer != c) {
            st = lss__fail(db, LSS_INVALID, "%s: deal \"%s\" belongs to customer \"%s\", not \"%s\"", ctx, deal,
                           d->customer->key, customer);
            goto done;
        }
    }
    st = activity_create(out, db, at, c, m, kind, channel, duration, d, note);
done:
    lss__unlock(db);
    return st;
}

/* The rest of activity.log, once every field is checked: the record, its
 * note, its event. */
static lss_status activity_create(const lss_activity **out, lss_db *db, lss_time at, lss_customer *c,
                                  const lss_member *m, lss_activity_kind kind, lss_channel channel,
                                  int64_t duration, const lss_deal *d, const char *note)
{
    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    const char *n;
    lss_status st;
    if (lss__slab_reserve(&db->activities) || lss__arena_strdup(&db->text, note, &n)) {
        lss__arena_reset(&db->text, mark);
        return lss__fail(db, LSS_NOMEM, "activity.log: customer \"%s\": out of memory", c->key);
    }
    lss_activity *a = lss__slab_push(&db->activities);
    a->at = at;
    a->duration = (int32_t)duration;
    a->note = n;
    a->customer = c;
    a->member = m;
    a->deal = d;
    a->id = db->activities.count - 1;
    a->seq = lss__next_seq(db);
    a->kind = (uint8_t)kind;
    a->channel = (uint8_t)channel;
    if ((st = lss__log_ref(db, LSS__EV_ACTIVITY_LOG, a, 0)))
        return st;
    LSS__APPEND_TO_CUSTOMER(db, c, last_activity, a);
    lss__counted(db, at);
    if (out)
        *out = a;
    return LSS_OK;
}

/* Replay (lss__event_replay): activity.log, when its fields pass the checks
 * of lss_activity_log (else false, and the event goes through it for its
 * error). */
bool lss__activity_log_replay(lss_db *db, const lss__event *ev, lss_status *st)
{
    const char *const *s = ev->s;
    const uint32_t *ref = ev->ref;
    const int64_t *i = ev->i;
    if (s[0] != NULL || ref[0] >= db->customers.count ||
        s[1] != NULL || ref[1] >= db->members.count || s[2] != NULL ||
        !lss__text_fits(s[3], 0, LSS__NOTE_MAX, false) || lss_activity_kind_name((int)i[0]) == NULL ||
        lss_channel_name((int)i[1]) == NULL || (i[2] != -1 && (i[2] < 0 || i[2] > LSS__DURATION_MAX)))
        return false;
    lss_customer *c = lss__slab_get(&db->customers, ref[0]);
    const lss_deal *d;
    if (!lss__replay_deal_of(db, ref[2], c, &d))
        return false;
    *st = activity_create(NULL, db, ev->at, c, lss__slab_get(&db->members, ref[1]), (lss_activity_kind)i[0],
                          (lss_channel)i[1], i[2], d, s[3]);
    return true;
}

uint32_t lss_activity_count(const lss_db *db) { return db ? db->activities.count : 0; }

lss_status lss_activity_by_id(const lss_activity **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, db ? &db->activities : NULL, id, "activity");
}

uint32_t lss_activity_id(const lss_activity *a) { return a ? a->id : LSS__NONE; }
lss_time lss_activity_at(const lss_activity *a) { return a ? a->at : LSS_TIME_NONE; }
const lss_customer *lss_activity_customer(const lss_activity *a) { return a ? a->customer : NULL; }
const lss_member *lss_activity_member(const lss_activity *a) { return a ? a->member : NULL; }
const lss_deal *lss_activity_deal(const lss_activity *a) { return a ? a->deal : NULL; }
lss_activity_kind lss_activity_kind_of(const lss_activity *a)
{
    return a ? (lss_activity_kind)a->kind : (lss_activity_kind)-1;
}
lss_channel lss_activity_channel(const lss_activity *a) { return a ? (lss_channel)a->channel : (lss_channel)-1; }
int64_t lss_activity_duration(const lss_activity *a) { return a ? a->duration : -1; }
const char *lss_activity_note(const lss_activity *a) { return a ? a->note : NULL; }
const lss_activity *lss_activity_next_of_customer(const lss_activity *a)
{
    return a ? LSS__NEXT(a, last_activity) : NULL;
}

void lss__customers_free(lss_db *db)
{
    lss__keyindex_clear(&db->customers_by_key);
    for (uint32_t i = 0; i < db->customers.count; i++)
        lss__free(((lss_customer *)lss__slab_get(&db->customers, i))->changes);
    lss__slab_free(&db->customers);
    lss__slab_free(&db->activities);
}

/* ---- where a customer stands, and its timeline ------------------------------ */

lss_status lss__changes_reserve(lss_customer *c)
{
    uint32_t count = lss__changes_count(c), cap = c->changes ? c->changes->cap : 0;
    if (count < cap)
        return LSS_OK;
    if (cap > UINT32_MAX / 4u)
        return LSS_NOMEM;
    cap = cap ? cap * 2u : 1u;
    lss__changes *p = lss__realloc(c->changes, sizeof *p + (size_t)cap * sizeof p->e[0]);
    if (p == NULL)
        return LSS_NOMEM;
    p->count = count;
    p->cap = cap;
    c->changes = p;
    return LSS_OK;
}


lss_customer_state lss_customer_state_at(const lss_customer *c, lss_time t)
{
    lss_time last_win = LSS_TIME_NONE, last_churn = LSS_TIME_NONE;
    if (c == NULL)
        return (lss_customer_state)-1;
    if (LSS__ADDED_AT(c) >= t)
        return LSS_CUSTOMER_STATE_PROSPECT;
    const lss_deal *d;
    LSS__EACH(d, c, last_deal) {
        lss_time won = LSS__DEAL_WON_AT(d);
        if (won != LSS_TIME_NONE && won < t && won > last_win)
            last_win = won;
    }
    for (uint32_t i = 0; i < lss__changes_count(c); i++) {
        const lss__customer_change *x = LSS__CHANGE(c, i);
        if (x->kind == LSS_CUSTOMER_CHURNED && x->at < t && x->at > last_churn)
            last_churn = x->at;
    }
    /* a win strictly after the latest churn makes the customer active again */
    if (last_churn != LSS_TIME_NONE && last_churn >= last_win)
        return LSS_CUSTOMER_STATE_CHURNED;
    return last_win != LSS_TIME_NONE ? LSS_CUSTOMER_STATE_ACTIVE : LSS_CUSTOMER_STATE_PROSPECT;
}

struct lss_timeline {
    uint32_t count;
    lss_timeline_item items[];
};

static int item_cmp(const void *pa, const void *pb)
{
    const lss_timeline_item *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    uint32_t ia = a->deal ? a->deal->id : a->ticket ? a->ticket->id : a->activity->id;
    uint32_t ib = b->deal ? b->deal->id : b->ticket ? b->ticket->id : b->activity->id;
    return ia < ib ? -1 : ia > ib;
}

lss_status lss_customer_timeline(lss_timeline **out, lss_db *db, const char *customer)
{
    static const char ctx[] = "customer.timeline";
    lss_status st;
    lss_customer *c;
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    *out = NULL;
    lss__lock(db);
    if ((st = find_customer(db, ctx, customer, &c)))
        goto done;
    size_t n = 0;
    const lss_deal *d;
    LSS__EACH(d, c, last_deal)
        n++;
    const lss_ticket *t;
    LSS__EACH(t, c, last_ticket)
        n++;
    const lss_activity *a;
    LSS__EACH(a, c, last_activity)
        n++;
    lss_timeline *tl = lss__malloc(sizeof *tl + n * sizeof(lss_timeline_item));
    if (tl == NULL) {
        st = lss__fail(db, LSS_NOMEM, "%s: customer \"%s\": out of memory", ctx, customer);
        goto done;
    }
    size_t i = 0;
    LSS__EACH(d, c, last_deal) {
        lss_timeline_item it = { LSS__DEAL_OPENED_AT(d), LSS_TIMELINE_DEAL, d, NULL, NULL };
        tl->items[i++] = it;
    }
    LSS__EACH(t, c, last_ticket) {
        lss_timeline_item it = { LSS__TICKET_OPENED_AT(t), LSS_TIMELINE_TICKET, NULL, t, NULL };
        tl->items[i++] = it;
    }
    LSS__EACH(a, c, last_activity) {
        lss_timeline_item it = { a->at, LSS_TIMELINE_ACTIVITY, NULL, NULL, a };
        tl->items[i++] = it;
    }
    tl->count = (uint32_t)n;
    qsort(tl->items, n, sizeof *tl->items, item_cmp);
    *out = tl;
done:
    lss__unlock(db);
    return st;
}

uint32_t lss_timeline_count(const lss_timeline *tl) { return tl ? tl->count : 0; }

lss_status lss_timeline_get(lss_timeline_item *out, const lss_timeline *tl, uint32_t i)
{
    if (out == NULL || tl == NULL)
        return lss__fail(NULL, LSS_INVALID, "timeline: NULL argument");
    if (i >= tl->count)
        return lss__fail(NULL, LSS_NOT_FOUND, "timeline item %u does not exist (%u items)", i, tl->count);
    *out = tl->items[i];
    return LSS_OK;
}

void lss_timeline_free(lss_timeline *tl) { lss__free(tl); }
