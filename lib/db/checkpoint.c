/* Checkpoints (docs/durability.md, "Checkpoints"): the state of a database
 * written beside its journal, so that an open loads it and replays only the
 * journal after it. A checkpoint is a cache of the journal, never the truth:
 * whatever does not check out is left aside and the journal replayed.
 *
 * The file holds the records of each entity kind as they lie in memory,
 * with every pointer replaced by a code (an entity by its id + 1, a text by
 * its offset + 1 in the text section, an interned team or segment by its id,
 * a history by its first entry's index): the layout is this build's, so the
 * header carries a fingerprint of it and a checkpoint of another layout is
 * left aside like a damaged one. One function per record kind turns its
 * pointers into codes (writing) and back (loading), so the two directions
 * cannot drift apart; loading checks every code, so that no file can make a
 * pointer that leads outside the state. */
#include "db/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CK_MAGIC "LSSK\r\n\x1a\n"
#define CK_VERSION 3u
#define CK_SEC_HEAD 24u

enum {
    S_META,
    S_TEXT,
    S_TEAMS,
    S_SEGMENTS,
    S_MEMBERS,
    S_QUOTAS,
    S_CUSTOMERS,
    S_CHANGES,
    S_DEALS,
    S_DEAL_HIST,
    S_ACTIVITIES,
    S_TICKETS,
    S_TICKET_HIST,
    S_TASKS,
    S_TASK_HIST,
    S_PROB,
    S_SLA,
    S_IX_MEMBERS,
    S_IX_CUSTOMERS,
    S_IX_DEALS,
    S_IX_TICKETS,
    S_IX_TASKS,
    S_CALS,
    S_POLICIES,
    S_PIPELINES,
    S_COUNT
};
static const char *const sec_names[S_COUNT] = { "settings",  "texts",           "teams",     "segments",
                                                "members",   "quotas",          "customers", "customer changes",
                                                "deals",     "deal histories",  "activities", "tickets",
                                                "ticket histories", "tasks", "task histories",
                                                "stage probabilities", "SLA targets",
                                                "member keys", "customer keys", "deal keys", "ticket keys", "task keys",
                                                "calendars", "SLA policies", "pipelines" };
#define HEAD_SIZE (56u + S_COUNT * CK_SEC_HEAD + 4u)

/* The settings section: the scalars of the state. */
typedef struct ck_meta {
    uint64_t events;
    int64_t last_time;
    uint32_t ix_cap[LSS__REF_KEYED_LAST], ix_count[LSS__REF_KEYED_LAST];
    char currency[4];
    uint32_t pipeline;
} ck_meta;

/* What a section holds: its bytes (data, or the chunks of a slab), the
 * number of elements, and the element size. */
typedef struct ck_section {
    unsigned char *data;
    size_t len, cap;
    uint32_t count;
    uint32_t crc;
} ck_section;

struct lss__ckpt {
    lss__jresume at;
    uint32_t salt;
    ck_section sec[S_COUNT];
    char *path, *tmp, *dir; /* the file, its temporary, their directory */
};

/* ---- the layout fingerprint ----------------------------------------------- */

static uint32_t layout(void)
{
    static const size_t v[] = {
        sizeof(void *), sizeof(size_t), sizeof(lss_member), sizeof(lss_customer), sizeof(lss_deal),
        sizeof(lss_activity), sizeof(lss_ticket), sizeof(lss__deal_change), sizeof(lss__ticket_change),
        sizeof(lss__customer_change), sizeof(lss__changes), sizeof(lss__quota), sizeof(lss__prob_change),
        sizeof(lss__sla_change), sizeof(ck_meta), offsetof(lss_member, team), offsetof(lss_member, quotas),
        offsetof(lss_customer, segment), offsetof(lss_customer, referred_by), offsetof(lss_customer, changes),
        offsetof(lss_customer, last_ticket), offsetof(lss_deal, customer), offsetof(lss_deal, owner),
        offsetof(lss_deal, next_of_customer), offsetof(lss_deal, hist), offsetof(lss_activity, note),
        offsetof(lss_activity, deal), offsetof(lss_activity, next_of_customer), offsetof(lss_ticket, deal),
        offsetof(lss_ticket, assignee), offsetof(lss_ticket, hist), offsetof(lss__deal_change, v),
        offsetof(lss__ticket_change, v), offsetof(lss__customer_change, segment), sizeof(lss__policy),
        offsetof(lss_ticket, policy), offsetof(lss_deal, pipeline), sizeof(lss__pipeline), sizeof(lss_task),
        sizeof(lss__task_change), offsetof(lss_task, customer), offsetof(lss_task, hist),
        offsetof(lss__task_change, v), 0x01020305u
    };
    uint32_t crc = lss__crc32c(0, LSS_VERSION_STRING, sizeof LSS_VERSION_STRING);
    return lss__crc32c(crc, v, sizeof v);
}

/* ---- codes: one function per record kind, both directions ------------------ */

typedef struct ck {
    lss_db *db;
    bool load;
    bool bad;                        /* loading: a code that names nothing, or a value out of range */
    bool nomem;                      /* writing: no room for a text */
    bool no_grow, overflow;          /* writing on the second thread: allocate nothing; a section was full */
    lss__ckpt *img;                  /* writing: the sections being built */
    const char *text;                /* loading: the text section */
    size_t text_len;
    const lss__intern_entry *last_seg; /* writing: the latest segment looked up */
    const lss__slab *slab[LSS__REF_ACTIVITY + 1]; /* where each kind lives */
    struct ck_section *text_out;     /* writing: where the texts go */
} ck;

static void ck_init(ck *k, lss_db *db, bool load, lss__ckpt *img)
{
    memset(k, 0, sizeof *k);
    k->db = db;
    k->load = load;
    k->img = img;
    for (unsigned r = LSS__REF_MEMBER; r <= LSS__REF_ACTIVITY; r++)
        k->slab[r] = lss__slab_of(db, r);
    if (img)
        k->text_out = &img->sec[S_TEXT];
}

static uintptr_t code_of(const void *slot)
{
    uintptr_t c;
    memcpy(&c, slot, sizeof c);
    return c;
}
static void set_code(void *slot, uintptr_t c) { memcpy(slot, &c, sizeof c); }
static void *ptr_of(const void *slot)
{
    void *p;
    memcpy(&p, slot, sizeof p);
    return p;
}
static void set_ptr(void *slot, const void *p) { memcpy(slot, &p, sizeof p); }

/* Room for n more bytes in sec. The copy's second thread allocates nothing
 * (a custom allocator need not be thread-safe): its sections were sized
 * before it started, and should one not suffice it stops (overflow) and the
 * calling thread does its part again. */
static bool room(ck *k, ck_section *sec, size_t n)
{
    if (sec->cap - sec->len >= n)
        return true;
    if (k->no_grow) {
        k->overflow = true;
        return false;
    }
    if (lss__bytes_reserve(&sec->data, &sec->cap, sec->len, n, 4096) != LSS_OK) {
        k->nomem = true;
        return false;
    }
    return true;
}

static void put_bytes(ck *k, int s, const void *p, size_t n)
{
    ck_section *sec = &k->img->sec[s];
    if (n == 0 || !room(k, sec, n))
        return;
    memcpy(sec->data + sec->len, p, n);
    sec->len += n;
}

/* A text (a const char * at slot). */
static inline void fx_text(ck *k, void *slot)
{
    if (k->load) {
        uintptr_t c = code_of(slot);
        if (c != 0 && c - 1 >= k->text_len)
            k->bad = true;
        set_ptr(slot, c == 0 || c - 1 >= k->text_len ? NULL : k->text + (c - 1));
        return;
    }
    const char *s = ptr_of(slot);
    uintptr_t c = 0;
    if (s) {
        ck_section *t = k->text_out;
        size_t n = strlen(s) + 1;
        c = (uintptr_t)t->len + 1;
        if (!room(k, t, n)) {
            c = 0;
        } else {
            memcpy(t->data + t->len, s, n);
            t->len += n;
        }
    }
    set_code(slot, c);
}

/* An entity of kind ref. */
static inline void fx_ent(ck *k, void *slot, unsigned ref)
{
    const lss__slab *s = k->slab[ref];
    if (k->load) {
        uintptr_t c = code_of(slot);
        if (c != 0 && c - 1 >= s->count)
            k->bad = true;
        set_ptr(slot, c == 0 || c - 1 >= s->count ? NULL : lss__slab_get(s, (uint32_t)(c - 1)));
        return;
    }
    const void *e = ptr_of(slot);
    set_code(slot, e ? (uintptr_t)lss__entity_id(ref, e) + 1 : 0);
}

/* An interned text of t. */
static void fx_intern(ck *k, void *slot, lss__intern *t)
{
    if (k->load) {
        uintptr_t c = code_of(slot);
        if (c != 0 && c > t->entries.count)
            k->bad = true;
        set_ptr(slot, c == 0 || c > t->entries.count
                          ? NULL
                          : ((const lss__intern_entry *)lss__slab_get(&t->entries, (uint32_t)(c - 1)))->s);
        return;
    }
    const char *s = ptr_of(slot);
    const lss__intern_entry *e = k->last_seg && k->last_seg->s == s ? k->last_seg : NULL;
    if (s && e == NULL) {
        lss__intern_entry *f = NULL;
        HASH_FIND_STR(t->by_name, s, f);
        e = f;
        k->last_seg = f;
    }
    set_code(slot, e ? e->id : 0);
}

static void fx_range(ck *k, bool ok)
{
    if (!ok)
        k->bad = true;
}

static void fx_member(ck *k, lss_member *m)
{
    fx_text(k, &m->key);
    fx_text(k, &m->name);
    fx_intern(k, &m->team, &k->db->teams);
    if (k->load)
        fx_range(k, m->key != NULL && lss_role_name(m->role) != NULL);
}

static void fx_change(ck *k, lss__customer_change *x)
{
    fx_text(k, &x->name);
    fx_text(k, &x->email);
    fx_text(k, &x->company);
    fx_intern(k, &x->segment, &k->db->segments);
    fx_text(k, &x->comment);
    if (k->load)
        fx_range(k, x->kind <= LSS_CUSTOMER_NPS && x->score <= 10);
}

static void fx_customer(ck *k, lss_customer *c)
{
    fx_text(k, &c->key);
    fx_text(k, &c->name);
    fx_text(k, &c->email);
    fx_text(k, &c->company);
    fx_intern(k, &c->segment, &k->db->segments);
    fx_ent(k, &c->referred_by, LSS__REF_CUSTOMER);
    fx_ent(k, &c->last_deal, LSS__REF_DEAL);
    fx_ent(k, &c->last_activity, LSS__REF_ACTIVITY);
    fx_ent(k, &c->last_ticket, LSS__REF_TICKET);
    c->added &= ~LSS__CHURNED_BIT; /* derived from the changes: not stored, set again by changes_in on load */
    if (k->load)
        fx_range(k, c->key != NULL && lss_source_name((int)LSS__SOURCE(c)) != NULL);
}

static void fx_deal_change(ck *k, lss__deal_change *x)
{
    unsigned kind = LSS__DC_KIND(x);
    if (kind == LSS_DEAL_ASSIGNED)
        fx_ent(k, &x->v.from_owner, LSS__REF_MEMBER);
    else if (kind == LSS_DEAL_LOST)
        fx_text(k, &x->v.note);
    if (k->load)
        fx_range(k, lss_deal_change_kind_name((int)kind) && lss_stage_name((int)LSS__DC_STAGE(x)) &&
                        lss_stage_name((int)LSS__DC_FROM(x)) && lss_loss_reason_name((int)LSS__DC_REASON(x)));
}

static void fx_deal(ck *k, lss_deal *d)
{
    fx_text(k, &d->key);
    fx_text(k, &d->title);
    /* customer_id is derived: not stored (the file's bytes there stay 0), set from the customer's code on load
       (the customers may still be loading on another thread) */
    d->customer_id = k->load ? (uint32_t)(code_of(&d->customer) - 1u) : 0;
    fx_ent(k, &d->customer, LSS__REF_CUSTOMER);
    fx_ent(k, &d->owner, LSS__REF_MEMBER);
    fx_ent(k, &d->next_of_customer, LSS__REF_DEAL);
    if (k->load)
        fx_range(k, d->key != NULL && d->customer != NULL && lss_stage_name(d->stage) &&
                        lss_stage_name(d->lost_from) && lss_stage_name(d->furthest) &&
                        lss_forecast_category_name(d->forecast) && d->probability >= -1 && d->probability <= 100 &&
                        d->flags <= (LSS__DF_CLOSE | LSS__DF_FORECAST));
}

static void fx_activity(ck *k, lss_activity *a)
{
    fx_text(k, &a->note);
    fx_ent(k, &a->customer, LSS__REF_CUSTOMER);
    fx_ent(k, &a->member, LSS__REF_MEMBER);
    fx_ent(k, &a->deal, LSS__REF_DEAL);
    fx_ent(k, &a->next_of_customer, LSS__REF_ACTIVITY);
    if (k->load)
        fx_range(k, a->customer != NULL && lss_activity_kind_name(a->kind) && lss_channel_name(a->channel));
}

static void fx_ticket_change(ck *k, lss__ticket_change *x)
{
    unsigned kind = LSS__TC_KIND(x);
    if (kind == LSS_TICKET_EV_ASSIGN || kind == LSS_TICKET_EV_CONTACT)
        fx_ent(k, &x->v.agent, LSS__REF_MEMBER);
    else if (lss__tc_has_text(kind))
        fx_text(k, &x->v.text);
    if (k->load)
        fx_range(k, lss_ticket_change_kind_name((int)kind) && lss_ticket_state_name((int)LSS__TC_STATE(x)) &&
                        lss_ticket_state_name((int)LSS__TC_FROM(x)) &&
                        lss_channel_name((int)LSS__TC_CHANNEL(x)) && LSS__TC_SCORE(x) <= 5);
}

static void fx_task_change(ck *k, lss__task_change *x)
{
    unsigned kind = LSS__TK_KIND(x);
    if (kind == LSS_TASK_ASSIGNED)
        fx_ent(k, &x->v.member_before, LSS__REF_MEMBER);
    else if (kind == LSS_TASK_DONE_EV)
        fx_text(k, &x->v.note);
    if (k->load)
        fx_range(k, lss_task_change_kind_name((int)kind) && lss_task_state_name((int)LSS__TK_STATE(x)));
}

static void fx_task(ck *k, lss_task *t)
{
    fx_text(k, &t->key);
    fx_text(k, &t->note);
    fx_ent(k, &t->customer, LSS__REF_CUSTOMER);
    fx_ent(k, &t->member, LSS__REF_MEMBER);
    fx_ent(k, &t->deal, LSS__REF_DEAL);
    fx_ent(k, &t->ticket, LSS__REF_TICKET);
    if (k->load)
        fx_range(k, t->key != NULL && t->customer != NULL && t->member != NULL && lss_task_state_name(t->state) &&
                        lss_activity_kind_name(t->kind));
}

static void fx_ticket(ck *k, lss_ticket *t)
{
    fx_text(k, &t->key);
    fx_text(k, &t->subject);
    fx_ent(k, &t->customer, LSS__REF_CUSTOMER);
    fx_ent(k, &t->deal, LSS__REF_DEAL);
    fx_ent(k, &t->next_of_customer, LSS__REF_TICKET);
    fx_ent(k, &t->assignee, LSS__REF_MEMBER);
    if (k->load) {
        uintptr_t c = code_of(&t->policy);
        if (c == 0 || c > k->db->policies.count)
            k->bad = true;
        set_ptr(&t->policy, c == 0 || c > k->db->policies.count ? NULL : lss__slab_get(&k->db->policies, (uint32_t)(c - 1)));
    } else {
        set_code(&t->policy, t->policy ? (uintptr_t)t->policy->id + 1 : 0);
    }
    if (k->load)
        fx_range(k, t->key != NULL && t->customer != NULL && lss_ticket_state_name(t->state) &&
                        lss_ticket_kind_name(t->kind) && lss_channel_name(t->channel) &&
                        lss_priority_name(t->priority) && t->score <= 5);
}

/* ---- writing ----------------------------------------------------------------- */

/* The small records, field by field into zeroed ones: their padding is
 * whatever the stack held when they were made, and a checkpoint must hold
 * nothing of that (and compare equal for equal states). */
static void clean_quota(lss__quota *d, const lss__quota *x)
{
    memset(d, 0, sizeof *d);
    d->q.set_at = x->q.set_at, d->q.from = x->q.from, d->q.to = x->q.to, d->q.target = x->q.target;
    d->seq = x->seq;
}
static void clean_change(lss__customer_change *d, const lss__customer_change *x)
{
    memset(d, 0, sizeof *d);
    d->at = x->at, d->name = x->name, d->email = x->email, d->company = x->company, d->segment = x->segment;
    d->comment = x->comment, d->seq = x->seq, d->kind = x->kind, d->score = x->score;
}
static void clean_deal_change(lss__deal_change *d, const lss__deal_change *x)
{
    memset(d, 0, sizeof *d);
    d->w = x->w, d->seq = x->seq;
    memcpy(&d->v, &x->v, sizeof d->v);
}
static void clean_prob(lss__prob_change *d, const lss__prob_change *x)
{
    memset(d, 0, sizeof *d);
    d->at = x->at, d->seq = x->seq, d->stage = x->stage, d->percent = x->percent, d->pipeline = x->pipeline;
}
static void clean_sla(lss__sla_change *d, const lss__sla_change *x)
{
    memset(d, 0, sizeof *d);
    d->at = x->at, d->response = x->response, d->resolution = x->resolution, d->seq = x->seq;
    d->cal = x->cal, d->priority = x->priority;
}

/* A vector's place in a section of elements: its first index (kept in the
 * data pointer's slot; the capacity is not kept). */
static void quotas_out(ck *k, lss__vec *v, int s)
{
    uintptr_t first = k->img->sec[s].count;
    for (uint32_t i = 0; i < v->count; i++) {
        lss__quota q;
        clean_quota(&q, &LSS__VEC_AT(v, lss__quota, i));
        put_bytes(k, s, &q, sizeof q);
    }
    k->img->sec[s].count += v->count;
    set_code(&v->data, first);
    v->cap = 0;
}

static unsigned char *sec_tail(ck *k, int s, size_t n)
{
    ck_section *sec = &k->img->sec[s];
    return room(k, sec, n) ? sec->data + sec->len : NULL;
}

static void image_free(lss__ckpt *img)
{
    if (img == NULL)
        return;
    for (int s = 0; s < S_COUNT; s++)
        lss__free(img->sec[s].data);
    lss__free(img->path);
    lss__free(img->tmp);
    lss__free(img->dir);
    lss__free(img);
}
void lss__ckpt_free(lss__ckpt *img) { image_free(img); }

/* Where a record kind points at other entities: the field, and the id in
 * the entity it points at (which coding it reads: a cache miss when the
 * stories interleave, so records_out fetches them a few records ahead). */
typedef struct ptr_field {
    size_t field, id;
} ptr_field;
#define PF(type, f, target) { offsetof(type, f), offsetof(target, id) }
static const ptr_field customer_ptrs[] = { PF(lss_customer, referred_by, lss_customer),
                                           PF(lss_customer, last_deal, lss_deal),
                                           PF(lss_customer, last_activity, lss_activity),
                                           PF(lss_customer, last_ticket, lss_ticket), { 0, 0 } };
static const ptr_field deal_ptrs[] = { PF(lss_deal, customer, lss_customer), PF(lss_deal, next_of_customer, lss_deal),
                                       { 0, 0 } };
static const ptr_field activity_ptrs[] = { PF(lss_activity, customer, lss_customer), PF(lss_activity, deal, lss_deal),
                                           PF(lss_activity, next_of_customer, lss_activity), { 0, 0 } };
static const ptr_field task_ptrs[] = { PF(lss_task, customer, lss_customer), PF(lss_task, member, lss_member),
                                       PF(lss_task, deal, lss_deal), PF(lss_task, ticket, lss_ticket), { 0, 0 } };
static const ptr_field ticket_ptrs[] = { PF(lss_ticket, customer, lss_customer), PF(lss_ticket, deal, lss_deal),
                                         PF(lss_ticket, next_of_customer, lss_ticket), { 0, 0 } };
#define AHEAD 8u

static void fetch_ahead(const unsigned char *r, const ptr_field *f)
{
    for (; f && f->field; f++) {
        const char *e = ptr_of(r + f->field);
        if (e)
            LSS__PREFETCH(e + f->id);
    }
}

/* Each record of slab `ref` copied into section s, its pointers coded. */
static void records_out(ck *k, unsigned ref, int s)
{
    const lss__slab *sl = lss__slab_of(k->db, ref);
    size_t elem = sl->elem;
    unsigned char *base = sec_tail(k, s, (size_t)sl->count * elem);
    if (base == NULL)
        return;
    k->img->sec[s].len += (size_t)sl->count * elem;
    k->img->sec[s].count = sl->count;
    const ptr_field *ptrs = ref == LSS__REF_CUSTOMER ? customer_ptrs
                            : ref == LSS__REF_DEAL   ? deal_ptrs
                            : ref == LSS__REF_ACTIVITY ? activity_ptrs
                            : ref == LSS__REF_TICKET ? ticket_ptrs
                            : ref == LSS__REF_TASK   ? task_ptrs
                                                     : NULL;
    for (uint32_t i = 0; i < sl->count && !k->nomem && !k->overflow; i++) {
        void *r = base + (size_t)i * elem;
        if (i + AHEAD < sl->count)
            fetch_ahead(lss__slab_get(sl, i + AHEAD), ptrs);
        memcpy(r, lss__slab_get(sl, i), elem);
        switch (ref) {
        case LSS__REF_MEMBER:
            fx_member(k, r);
            quotas_out(k, &((lss_member *)r)->quotas, S_QUOTAS);
            break;
        case LSS__REF_CUSTOMER: {
            lss_customer *c = r;
            uint64_t code = 0;
            if (c->changes) {
                uint32_t first = k->img->sec[S_CHANGES].count, n = c->changes->count;
                for (uint32_t j = 0; j < n; j++) {
                    lss__customer_change x;
                    clean_change(&x, &c->changes->e[j]);
                    fx_change(k, &x);
                    put_bytes(k, S_CHANGES, &x, sizeof x);
                }
                k->img->sec[S_CHANGES].count += n;
                code = (uint64_t)n << 32 | first; /* n >= 1: never 0 */
            }
            fx_customer(k, c);
            memcpy(&c->changes, &code, sizeof code);
            break;
        }
        case LSS__REF_DEAL: {
            lss_deal *d = r;
            fx_deal(k, d);
            lss__deal_change *h = (lss__deal_change *)sec_tail(k, S_DEAL_HIST, (size_t)d->hist.count * sizeof *h);
            if (h == NULL)
                break;
            for (uint32_t j = 0; j < d->hist.count; j++) {
                clean_deal_change(&h[j], &((const lss__deal_change *)d->hist.data)[j]);
                fx_deal_change(k, &h[j]);
            }
            k->img->sec[S_DEAL_HIST].len += (size_t)d->hist.count * sizeof *h;
            set_code(&d->hist.data, k->img->sec[S_DEAL_HIST].count);
            k->img->sec[S_DEAL_HIST].count += d->hist.count;
            d->hist.cap = 0;
            break;
        }
        case LSS__REF_ACTIVITY:
            fx_activity(k, r);
            break;
        case LSS__REF_TICKET: {
            lss_ticket *t = r;
            fx_ticket(k, t);
            lss__ticket_change *h =
                (lss__ticket_change *)sec_tail(k, S_TICKET_HIST, (size_t)t->hist.count * sizeof *h);
            if (h == NULL)
                break;
            for (uint32_t j = 0; j < t->hist.count; j++) {
                h[j] = ((const lss__ticket_change *)t->hist.data)[j];
                fx_ticket_change(k, &h[j]);
            }
            k->img->sec[S_TICKET_HIST].len += (size_t)t->hist.count * sizeof *h;
            set_code(&t->hist.data, k->img->sec[S_TICKET_HIST].count);
            k->img->sec[S_TICKET_HIST].count += t->hist.count;
            t->hist.cap = 0;
            break;
        }
        case LSS__REF_TASK: {
            lss_task *t = r;
            fx_task(k, t);
            lss__task_change *h = (lss__task_change *)sec_tail(k, S_TASK_HIST, (size_t)t->hist.count * sizeof *h);
            if (h == NULL)
                break;
            for (uint32_t j = 0; j < t->hist.count; j++) {
                const lss__task_change *x = &((const lss__task_change *)t->hist.data)[j];
                memset(&h[j], 0, sizeof h[j]);
                h[j].w = x->w, h[j].seq = x->seq;
                memcpy(&h[j].v, &x->v, sizeof h[j].v);
                fx_task_change(k, &h[j]);
            }
            k->img->sec[S_TASK_HIST].len += (size_t)t->hist.count * sizeof *h;
            set_code(&t->hist.data, k->img->sec[S_TASK_HIST].count);
            k->img->sec[S_TASK_HIST].count += t->hist.count;
            t->hist.cap = 0;
            break;
        }
        }
    }
}

static void interned_out(ck *k, const lss__intern *t, int s)
{
    for (uint32_t i = 0; i < t->entries.count; i++) {
        const char *str = ((const lss__intern_entry *)lss__slab_get(&t->entries, i))->s;
        put_bytes(k, s, str, strlen(str) + 1);
    }
    k->img->sec[s].count = t->entries.count;
}

/* The customers (and their changes) and the activities, copied on a second
 * thread while the rest is copied on the calling one (which holds the
 * database's lock: nothing changes meanwhile). */
typedef struct copy_side {
    ck k;
    ck_section text; /* their texts */
    pthread_t thread;
} copy_side;

static void *copy_side_main(void *arg)
{
    copy_side *c = arg;
    records_out(&c->k, LSS__REF_CUSTOMER, S_CUSTOMERS);
    records_out(&c->k, LSS__REF_ACTIVITY, S_ACTIVITIES);
    return NULL;
}

static void shift_text(void *slot, uintptr_t by)
{
    uintptr_t c = code_of(slot);
    if (c)
        set_code(slot, c + by);
}

/* The side's texts after the others': its records' text codes move by the
 * others' length. */
static void texts_join(ck *k, copy_side *side)
{
    ck_section *t = &k->img->sec[S_TEXT];
    uintptr_t by = t->len;
    if (side->text.len == 0)
        return;
    if (lss__bytes_reserve(&t->data, &t->cap, t->len, side->text.len, 4096) != LSS_OK) {
        k->nomem = true;
        return;
    }
    memcpy(t->data + t->len, side->text.data, side->text.len);
    t->len += side->text.len;
    ck_section *cs = &k->img->sec[S_CUSTOMERS], *ch = &k->img->sec[S_CHANGES], *as = &k->img->sec[S_ACTIVITIES];
    for (uint32_t i = 0; i < cs->count; i++) {
        lss_customer *c = (lss_customer *)(void *)(cs->data + (size_t)i * sizeof *c);
        shift_text(&c->key, by), shift_text(&c->name, by), shift_text(&c->email, by), shift_text(&c->company, by);
    }
    for (uint32_t i = 0; i < ch->count; i++) {
        lss__customer_change *x = (lss__customer_change *)(void *)(ch->data + (size_t)i * sizeof *x);
        shift_text(&x->name, by), shift_text(&x->email, by), shift_text(&x->company, by);
        shift_text(&x->comment, by);
    }
    for (uint32_t i = 0; i < as->count; i++)
        shift_text(&((lss_activity *)(void *)(as->data + (size_t)i * sizeof(lss_activity)))->note, by);
}

/* Each growing section's room, in one allocation each, from what the state
 * holds (the texts: at most what the arena holds), so that the copy never
 * moves a section to grow it. A failure here is only a missed shortcut:
 * the sections then grow as they fill. */
static bool presize(ck *k, const lss_db *db, ck_section *side_text)
{
    size_t text = 0, deal_hist = 0, ticket_hist = 0, changes = 0, quotas = 0;
    for (const lss__arena_chunk *c = db->text.head; c; c = c->next)
        text += c->used;
    for (uint32_t i = 0; i < db->deals.count; i++)
        deal_hist += ((const lss_deal *)lss__slab_get(&db->deals, i))->hist.count;
    for (uint32_t i = 0; i < db->tickets.count; i++)
        ticket_hist += ((const lss_ticket *)lss__slab_get(&db->tickets, i))->hist.count;
    for (uint32_t i = 0; i < db->customers.count; i++)
        changes += lss__changes_count(lss__slab_get(&db->customers, i));
    for (uint32_t i = 0; i < db->members.count; i++)
        quotas += ((const lss_member *)lss__slab_get(&db->members, i))->quotas.count;
    const size_t want[S_COUNT] = {
        [S_TEXT] = text,
        [S_MEMBERS] = (size_t)db->members.count * sizeof(lss_member),
        [S_QUOTAS] = quotas * sizeof(lss__quota),
        [S_CUSTOMERS] = (size_t)db->customers.count * sizeof(lss_customer),
        [S_CHANGES] = changes * sizeof(lss__customer_change),
        [S_DEALS] = (size_t)db->deals.count * sizeof(lss_deal),
        [S_DEAL_HIST] = deal_hist * sizeof(lss__deal_change),
        [S_ACTIVITIES] = (size_t)db->activities.count * sizeof(lss_activity),
        [S_TICKETS] = (size_t)db->tickets.count * sizeof(lss_ticket),
        [S_TICKET_HIST] = ticket_hist * sizeof(lss__ticket_change),
        [S_TASKS] = (size_t)db->tasks.count * sizeof(lss_task),
    };
    bool all = lss__bytes_reserve(&side_text->data, &side_text->cap, 0, text + 1, text + 1) == LSS_OK;
    for (int s = 0; s < S_COUNT; s++)
        if (want[s])
            all &= lss__bytes_reserve(&k->img->sec[s].data, &k->img->sec[s].cap, 0, want[s], want[s]) == LSS_OK;
    return all;
}

lss_status lss__ckpt_take(lss_db *db, lss__ckpt **out)
{
    *out = NULL;
    lss__ckpt *img = lss__malloc(sizeof *img);
    if (img == NULL)
        return lss__fail(db, LSS_NOMEM, "checkpoint: out of memory");
    memset(img, 0, sizeof *img);
    ck k;
    ck_init(&k, db, false, img);
    copy_side side;
    memset(&side, 0, sizeof side);
    bool sized = presize(&k, db, &side.text);
    ck_meta m;
    memset(&m, 0, sizeof m);
    m.events = db->events;
    m.last_time = db->last_time;
    memcpy(m.currency, db->currency, 4);
    m.pipeline = (uint32_t)db->pipeline;
    for (unsigned r = LSS__REF_MEMBER; r <= LSS__REF_KEYED_LAST; r++) {
        const lss__keyindex *ix = lss__index_of(db, r);
        m.ix_cap[r - 1] = ix->cap;
        m.ix_count[r - 1] = ix->count;
        put_bytes(&k, S_IX_MEMBERS + (int)r - 1, ix->slots, (size_t)ix->cap * sizeof *ix->slots);
        img->sec[S_IX_MEMBERS + r - 1].count = ix->cap;
    }
    put_bytes(&k, S_META, &m, sizeof m);
    img->sec[S_META].count = 1;
    interned_out(&k, &db->teams, S_TEAMS);
    interned_out(&k, &db->segments, S_SEGMENTS);
    /* the customers (with their changes) and the activities on a second thread for a large state, their texts
       in a section of their own that goes after the others' */
    ck_init(&side.k, db, false, img);
    side.k.text_out = &side.text;
    side.k.no_grow = true;
    bool threaded = sized &&
                    ((size_t)db->customers.count * sizeof(lss_customer) +
                     (size_t)db->activities.count * sizeof(lss_activity)) >= lss__ckpt_check_thread_min &&
                    pthread_create(&side.thread, NULL, copy_side_main, &side) == 0;
    records_out(&k, LSS__REF_MEMBER, S_MEMBERS);
    records_out(&k, LSS__REF_DEAL, S_DEALS);
    records_out(&k, LSS__REF_TICKET, S_TICKETS);
    records_out(&k, LSS__REF_TASK, S_TASKS);
    if (threaded)
        pthread_join(side.thread, NULL);
    if (!threaded || side.k.overflow) { /* here, growing as needed */
        img->sec[S_CUSTOMERS].len = img->sec[S_CUSTOMERS].count = 0;
        img->sec[S_CHANGES].len = img->sec[S_CHANGES].count = 0;
        img->sec[S_ACTIVITIES].len = img->sec[S_ACTIVITIES].count = 0;
        side.text.len = 0;
        side.k.no_grow = side.k.overflow = false;
        copy_side_main(&side);
    }
    k.nomem |= side.k.nomem;
    if (!k.nomem)
        texts_join(&k, &side);
    lss__free(side.text.data);
    for (uint32_t i = 0; i < db->prob.count; i++) {
        lss__prob_change x;
        clean_prob(&x, &LSS__VEC_AT(&db->prob, lss__prob_change, i));
        put_bytes(&k, S_PROB, &x, sizeof x);
    }
    img->sec[S_PROB].count = db->prob.count;
    for (uint32_t i = 0; i < db->sla.count; i++) {
        lss__sla_change x;
        clean_sla(&x, &LSS__VEC_AT(&db->sla, lss__sla_change, i));
        put_bytes(&k, S_SLA, &x, sizeof x);
    }
    img->sec[S_SLA].count = db->sla.count;
    /* calendars as their events' fields: at, seq, then four texts (length
     * and bytes; UINT32_MAX: absent); the load builds them again */
    for (uint32_t i = 0; i < db->cals.count; i++) {
        const lss__cal_def *x = &LSS__VEC_AT(&db->cals, lss__cal_def, i);
        unsigned char b[12];
        lss__put_u64(b, (uint64_t)x->at);
        lss__put_u32(b + 8, x->seq);
        put_bytes(&k, S_CALS, b, 12);
        const char *t[4] = { x->key, x->timezone, x->hours, x->holidays };
        for (int j = 0; j < 4; j++) {
            uint32_t n = t[j] ? (uint32_t)strlen(t[j]) : UINT32_MAX;
            lss__put_u32(b, n);
            put_bytes(&k, S_CALS, b, 4);
            if (t[j])
                put_bytes(&k, S_CALS, t[j], n);
        }
    }
    img->sec[S_CALS].count = db->cals.count;
    /* pipelines as their events' fields: at, seq, key and name (length and bytes) */
    for (uint32_t i = 0; i < db->pipelines.count; i++) {
        const lss__pipeline *x = &LSS__VEC_AT(&db->pipelines, lss__pipeline, i);
        unsigned char b[12];
        lss__put_u64(b, (uint64_t)x->at);
        lss__put_u32(b + 8, x->seq);
        put_bytes(&k, S_PIPELINES, b, 12);
        const char *t[2] = { x->key, x->name };
        for (int j = 0; j < 2; j++) {
            uint32_t n = (uint32_t)strlen(t[j]);
            lss__put_u32(b, n);
            put_bytes(&k, S_PIPELINES, b, 4);
            put_bytes(&k, S_PIPELINES, t[j], n);
        }
    }
    img->sec[S_PIPELINES].count = db->pipelines.count;
    /* the SLA policies, each calendar as 1 + the index of its definition */
    for (uint32_t i = 0; i < db->policies.count; i++) {
        lss__policy x;
        memcpy(&x, lss__slab_get(&db->policies, i), sizeof x);
        for (int p = 0; p < 4; p++) {
            uintptr_t c = 0;
            for (uint32_t j = 0; x.cal[p] && j < db->cals.count && c == 0; j++)
                if (LSS__VEC_AT(&db->cals, lss__cal_def, j).cal == x.cal[p])
                    c = j + 1;
            set_code(&x.cal[p], c);
        }
        put_bytes(&k, S_POLICIES, &x, sizeof x);
    }
    img->sec[S_POLICIES].count = db->policies.count;
    img->sec[S_TEXT].count = 1;
    if (k.nomem) {
        image_free(img);
        return lss__fail(db, LSS_NOMEM, "checkpoint: out of memory for the copy of the state");
    }
    *out = img;
    return LSS_OK;
}

uint64_t lss__ckpt_bytes(const lss__ckpt *img)
{
    uint64_t n = HEAD_SIZE;
    for (int s = 0; s < S_COUNT; s++)
        n += img->sec[s].len;
    return n;
}

void lss__ckpt_set_position(lss__ckpt *img, uint32_t salt, const lss__jresume *at)
{
    img->salt = salt;
    img->at = *at;
}

/* The sections' checksums are taken when the copy is written, outside the
 * database's lock. */
static void make_head(lss__ckpt *img, unsigned char *h)
{
    for (int s = 0; s < S_COUNT; s++)
        img->sec[s].crc = lss__crc32c(0, img->sec[s].data, img->sec[s].len);
    memset(h, 0, HEAD_SIZE);
    memcpy(h, CK_MAGIC, 8);
    lss__put_u32(h + 8, CK_VERSION);
    lss__put_u32(h + 12, layout());
    lss__put_u32(h + 16, img->salt);
    lss__put_u32(h + 20, S_COUNT);
    lss__put_u64(h + 24, img->at.offset);
    lss__put_u64(h + 32, img->at.events);
    lss__put_u32(h + 40, img->at.tail_crc);
    lss__put_u32(h + 44, img->at.tail_len);
    unsigned char *p = h + 56;
    for (int s = 0; s < S_COUNT; s++, p += CK_SEC_HEAD) {
        lss__put_u32(p, (uint32_t)s);
        lss__put_u32(p + 4, img->sec[s].count);
        lss__put_u64(p + 8, img->sec[s].len);
        lss__put_u32(p + 16, lss__crc_mask(img->sec[s].crc));
    }
    lss__put_u32(h + HEAD_SIZE - 4, lss__crc_mask(lss__crc32c(0, h, HEAD_SIZE - 4)));
}

/* ---- the file ------------------------------------------------------------------ */

static char *path_with(const char *jpath, const char *suffix)
{
    size_t a = strlen(jpath), b = strlen(suffix);
    char *p = lss__malloc(a + b + 1);
    if (p) {
        memcpy(p, jpath, a);
        memcpy(p + a, suffix, b + 1);
    }
    return p;
}

/* Is the file at fd empty or a checkpoint (by its magic)? */
static bool ours(int fd)
{
    unsigned char m[8];
    ssize_t got = pread(fd, m, sizeof m, 0);
    return got == 0 || (got == (ssize_t)sizeof m && memcmp(m, CK_MAGIC, 8) == 0);
}

static bool path_ours(const char *path, bool *exists)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *exists = fd >= 0 || errno != ENOENT;
    if (fd < 0)
        return !*exists;
    bool r = ours(fd);
    close(fd);
    return r;
}

static lss_status ck_io_fail(const lss_db *db, const char *what, const char *path)
{
    return lss__fail(db, LSS_IO, "checkpoint \"%.200s\": %s: %s", path, what, strerror(errno));
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *d = lss__malloc(slash ? (size_t)(slash - path) + 2 : 2);
    if (d == NULL)
        return NULL;
    if (slash == NULL)
        strcpy(d, ".");
    else if (slash == path)
        strcpy(d, "/");
    else {
        memcpy(d, path, (size_t)(slash - path));
        d[slash - path] = '\0';
    }
    return d;
}

lss_status lss__ckpt_set_file(const lss_db *db, lss__ckpt *img, const char *jpath)
{
    img->path = path_with(jpath, ".checkpoint");
    img->tmp = path_with(jpath, ".checkpoint.tmp");
    img->dir = dir_of(jpath);
    if (img->path == NULL || img->tmp == NULL || img->dir == NULL)
        return lss__fail(db, LSS_NOMEM, "checkpoint: out of memory");
    return LSS_OK;
}

lss_status lss__ckpt_write(const lss_db *db, lss__ckpt *img)
{
    lss_status st = LSS_OK;
    const char *path = img->path, *tmp = img->tmp, *dir = img->dir;
    int fd = -1;
    bool exists, made = false;
    if (!path_ours(path, &exists)) {
        st = lss__fail(db, LSS_IO, "checkpoint: \"%.200s\" exists and is not a checkpoint; it is left as it is",
                       path);
        goto done;
    }
    fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    made = fd >= 0;
    if (fd < 0 && errno == EEXIST) {
        fd = open(tmp, O_RDWR | O_CLOEXEC);
        if (fd >= 0 && !ours(fd)) {
            st = lss__fail(db, LSS_IO,
                           "checkpoint: \"%.200s\" exists and is not a checkpoint; it is left as it is", tmp);
            goto done;
        }
        made = fd >= 0;
    }
    if (fd < 0 || lss__io_ops.flock(fd, LOCK_EX | LOCK_NB) != 0 || lss__io_ops.ftruncate(fd, 0) != 0) {
        st = ck_io_fail(db, "cannot create the temporary file", tmp);
        goto done;
    }
    unsigned char head[HEAD_SIZE];
    make_head(img, head);
    if (lss__write_all(fd, head, sizeof head) != 0) {
        st = ck_io_fail(db, "write failed", tmp);
        goto done;
    }
    for (int s = 0; s < S_COUNT; s++)
        if (lss__write_all(fd, img->sec[s].data, img->sec[s].len) != 0) {
            st = ck_io_fail(db, "write failed", tmp);
            goto done;
        }
    if (lss__io_ops.fdatasync(fd) != 0) {
        st = ck_io_fail(db, "fdatasync failed", tmp);
        goto done;
    }
    if (lss__io_ops.rename(tmp, path) != 0) {
        st = ck_io_fail(db, "cannot rename the temporary file over the checkpoint", tmp);
        goto done;
    }
    made = false;
    if (lss__io_ops.fsync_dir(dir) != 0)
        st = ck_io_fail(db, "cannot sync the directory after the rename", path); /* the journal is the truth */
done:
    if (fd >= 0)
        close(fd);
    if (made)
        unlink(tmp);
    return st;
}

lss_status lss__ckpt_remove(const lss_db *db, const char *jpath)
{
    char *path = path_with(jpath, ".checkpoint");
    if (path == NULL)
        return lss__fail(db, LSS_NOMEM, "checkpoint: out of memory");
    bool exists;
    lss_status st = LSS_OK;
    if (path_ours(path, &exists) && exists && unlink(path) != 0 && errno != ENOENT)
        st = ck_io_fail(db, "cannot remove the checkpoint", path);
    lss__free(path);
    return st;
}

/* ---- loading --------------------------------------------------------------------- */

/* Read n bytes at *off of fd into p (and on), folding them into *crc. */
static bool read_at(int fd, void *p, size_t n, uint64_t *off, uint32_t *crc)
{
    if (!lss__pread_all(fd, p, n, *off))
        return false;
    *off += n;
    if (crc)
        *crc = lss__crc32c(*crc, p, n);
    return true;
}

/* Room for `count` elements in an empty slab (every chunk allocated). */
static bool slab_room(lss__slab *s, uint32_t count)
{
    if (count == 0)
        return true;
    uint32_t off, last = lss__slab_chunk_of(count - 1, &off), n = last + 1, cap = 1;
    while (cap < n)
        cap *= 2;
    s->chunks = lss__malloc(cap * sizeof *s->chunks);
    if (s->chunks == NULL)
        return false;
    for (uint32_t c = 0; c < n; c++) {
        s->chunks[c] = lss__malloc(s->elem * lss__slab_chunk_size(c));
        if (s->chunks[c] == NULL)
            return false;
        s->nchunks++;
    }
    s->count = count; /* the records come later (their codes are checked as they are decoded) */
    return true;
}

/* Read a section of count records into slab s, chunk by chunk. */
static bool slab_read(int fd, lss__slab *s, uint32_t count, uint64_t *off, uint32_t *crc)
{
    for (uint32_t id = 0; id < count;) {
        uint32_t in, c = lss__slab_chunk_of(id, &in);
        uint32_t n = (uint32_t)lss__slab_chunk_size(c);
        if (n > count - id)
            n = count - id;
        if (!read_at(fd, s->chunks[c], (size_t)n * s->elem, off, crc))
            return false;
        id += n;
    }
    return true;
}

typedef struct ck_head {
    uint32_t salt, layout, version;
    lss__jresume at;
    uint32_t count[S_COUNT], crc[S_COUNT];
    uint64_t len[S_COUNT];
} ck_head;

static const char *head_why(const unsigned char *h, ck_head *o)
{
    if (memcmp(h, CK_MAGIC, 8) != 0)
        return "it is not a checkpoint";
    if (lss__get_u32(h + HEAD_SIZE - 4) != lss__crc_mask(lss__crc32c(0, h, HEAD_SIZE - 4)))
        return "its header is damaged (checksum)";
    o->version = lss__get_u32(h + 8);
    if (o->version != CK_VERSION)
        return "it was written in another format version";
    if (lss__get_u32(h + 12) != layout())
        return "it was written by another build of the library (memory layout)";
    if (lss__get_u32(h + 20) != S_COUNT)
        return "its header is damaged (sections)";
    o->salt = lss__get_u32(h + 16);
    o->at.offset = lss__get_u64(h + 24);
    o->at.events = lss__get_u64(h + 32);
    o->at.tail_crc = lss__get_u32(h + 40);
    o->at.tail_len = lss__get_u32(h + 44);
    const unsigned char *p = h + 56;
    for (int s = 0; s < S_COUNT; s++, p += CK_SEC_HEAD) {
        if (lss__get_u32(p) != (uint32_t)s)
            return "its header is damaged (sections)";
        o->count[s] = lss__get_u32(p + 4);
        o->len[s] = lss__get_u64(p + 8);
        o->crc[s] = lss__get_u32(p + 16);
    }
    return NULL;
}

/* The section sizes a header gives must be what their counts make. */
static bool sizes_ok(const ck_head *o)
{
    static const size_t elem[S_COUNT] = {
        [S_META] = sizeof(ck_meta),          [S_MEMBERS] = sizeof(lss_member),
        [S_QUOTAS] = sizeof(lss__quota),     [S_CUSTOMERS] = sizeof(lss_customer),
        [S_CHANGES] = sizeof(lss__customer_change), [S_DEALS] = sizeof(lss_deal),
        [S_DEAL_HIST] = sizeof(lss__deal_change),   [S_ACTIVITIES] = sizeof(lss_activity),
        [S_TICKETS] = sizeof(lss_ticket),    [S_TICKET_HIST] = sizeof(lss__ticket_change),
        [S_TASKS] = sizeof(lss_task),        [S_TASK_HIST] = sizeof(lss__task_change),
        [S_PROB] = sizeof(lss__prob_change), [S_SLA] = sizeof(lss__sla_change),
        [S_IX_MEMBERS] = 8, [S_IX_CUSTOMERS] = 8, [S_IX_DEALS] = 8, [S_IX_TICKETS] = 8, [S_IX_TASKS] = 8,
        [S_POLICIES] = sizeof(lss__policy),
    }; /* 0: a section of texts or of variable records */
    for (int s = 0; s < S_COUNT; s++)
        if (elem[s] && o->len[s] != (uint64_t)o->count[s] * elem[s])
            return false;
    return o->count[S_META] == 1 && o->count[S_TEXT] == 1;
}

/* ---- the check: every section's checksum, and the customers' lists ----------
 *
 * It reads the file's own bytes (mapped), so that it can run on a second
 * thread while the load copies and decodes them: the load trusts no code
 * (each is range-checked), and the state is used only if the check passes
 * too. */

typedef struct ck_check {
    const unsigned char *map;
    size_t size;
    const ck_head *h;
    uint64_t off[S_COUNT];
    const char *why;
    char why_buf[80];
    uint32_t *work; /* lists_ok's arrays */
    bool nomem;
    pthread_t thread;
} ck_check;

size_t lss__ckpt_check_thread_min = (size_t)1 << 20;

static uintptr_t code_at(const unsigned char *rec, size_t field)
{
    uintptr_t c;
    memcpy(&c, rec + field, sizeof c);
    return c;
}

/* A customer's list of deals, tickets or activities runs from its first to
 * its last item through items of that customer in the order they were added
 * (ids increasing), and from the last back to the first, so that no walk of
 * it can loop. Checked on the codes in one pass over the items in id order,
 * remembering per customer its first item, its latest, and the next that
 * the latest names (c->work: three arrays of a u32 per customer), never
 * reading a record out of order: item i of size `elem` in section s, its
 * customer and next at those offsets, the customer's last at `last`. */
static bool lists_ok(const ck_check *c, int s, size_t elem, size_t cust, size_t next, size_t last)
{
    const unsigned char *items = c->map + c->off[s], *custs = c->map + c->off[S_CUSTOMERS];
    uint32_t n = c->h->count[s], nc = c->h->count[S_CUSTOMERS];
    uint32_t *first = c->work, *latest = first + nc, *want = latest + nc;
    memset(first, 0, (size_t)nc * sizeof *first); /* 0: none yet; else id + 1, as the codes */
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *x = items + (size_t)i * elem;
        uintptr_t cu = code_at(x, cust), nx = code_at(x, next);
        if (cu == 0 || cu > nc || nx == 0 || nx > n)
            return false;
        uint32_t k = (uint32_t)(cu - 1);
        if (first[k] == 0)
            first[k] = i + 1;
        else if (want[k] != i + 1)
            return false; /* the previous item of this customer does not lead here */
        latest[k] = i + 1;
        want[k] = (uint32_t)nx;
    }
    for (uint32_t k = 0; k < nc; k++) {
        uintptr_t l = code_at(custs + (size_t)k * sizeof(lss_customer), last);
        if (first[k] == 0 ? l != 0 : l != latest[k] || want[k] != first[k])
            return false; /* its last is its latest item, which leads back to its first */
    }
    return true;
}

static void *check_main(void *arg)
{
    ck_check *c = arg;
    for (int s = 0; s < S_COUNT && c->why == NULL; s++)
        if (lss__crc_mask(lss__crc32c(0, c->map + c->off[s], (size_t)c->h->len[s])) != c->h->crc[s]) {
            snprintf(c->why_buf, sizeof c->why_buf, "its %s are damaged (checksum)", sec_names[s]);
            c->why = c->why_buf;
        }
    if (c->why == NULL &&
        (!lists_ok(c, S_DEALS, sizeof(lss_deal), offsetof(lss_deal, customer), offsetof(lss_deal, next_of_customer),
                   offsetof(lss_customer, last_deal)) ||
         !lists_ok(c, S_TICKETS, sizeof(lss_ticket), offsetof(lss_ticket, customer),
                   offsetof(lss_ticket, next_of_customer), offsetof(lss_customer, last_ticket)) ||
         !lists_ok(c, S_ACTIVITIES, sizeof(lss_activity), offsetof(lss_activity, customer),
                   offsetof(lss_activity, next_of_customer), offsetof(lss_customer, last_activity))))
        c->why = "a customer's list of deals, tickets or activities is broken";
    return NULL;
}

/* Start the check of the file at fd (size bytes, header h): on a thread of
 * its own for a large file, else here. false: it cannot be read. */
static bool check_start(ck_check *c, int fd, size_t size, const ck_head *h, bool *threaded)
{
    memset(c, 0, sizeof *c);
    c->h = h;
    c->size = size;
    uint64_t off = HEAD_SIZE;
    for (int s = 0; s < S_COUNT; s++) {
        c->off[s] = off;
        off += h->len[s];
    }
    c->work = lss__malloc(3 * ((size_t)h->count[S_CUSTOMERS] + 1) * sizeof *c->work);
    if (c->work == NULL) {
        c->nomem = true;
        return false;
    }
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        lss__free(c->work);
        return false;
    }
    c->map = m;
    *threaded = size >= lss__ckpt_check_thread_min && pthread_create(&c->thread, NULL, check_main, c) == 0;
    if (!*threaded)
        check_main(c);
    return true;
}

static const char *check_end(ck_check *c, bool threaded)
{
    if (threaded)
        pthread_join(c->thread, NULL);
    munmap((void *)(uintptr_t)c->map, c->size);
    lss__free(c->work);
    return c->why;
}

typedef struct loader {
    int fd;
    uint64_t sec_off[S_COUNT]; /* where each section starts */
    ck_head h;
    unsigned char *small[S_COUNT]; /* sections read whole into a buffer */
    const char *why;
    char why_buf[80];
    bool nomem;
    uint32_t fixed[LSS__REF_ACTIVITY + 1]; /* records of each kind whose own storage is theirs (not codes) */
} loader;

static bool read_small(loader *l, int s)
{
    l->small[s] = lss__malloc((size_t)l->h.len[s] + 1);
    if (l->small[s] == NULL) {
        l->nomem = true;
        return false;
    }
    uint64_t off = l->sec_off[s];
    if (!read_at(l->fd, l->small[s], (size_t)l->h.len[s], &off, NULL)) {
        l->why = "it is cut short";
        return false;
    }
    return true;
}

/* Sections that go straight into the state's own storage. */
static bool read_slab(loader *l, int s, lss__slab *sl)
{
    uint64_t off = l->sec_off[s];
    if (!slab_read(l->fd, sl, l->h.count[s], &off, NULL)) {
        l->why = "it is cut short";
        return false;
    }
    return true;
}

static bool interned_in(loader *l, lss_db *db, int s, lss__intern *t)
{
    const char *p = (const char *)l->small[s], *end = p + l->h.len[s];
    for (uint32_t i = 0; i < l->h.count[s]; i++) {
        const char *z = memchr(p, '\0', (size_t)(end - p));
        const char *out;
        bool added;
        if (z == NULL || lss__intern_put(t, &db->text, p, &out, &added) != LSS_OK || !added) {
            if (z && !added)
                l->why = "its teams or segments repeat";
            else if (z)
                l->nomem = true;
            return false;
        }
        p = z + 1;
    }
    return p == end;
}

/* Histories into the pool: a block of exactly their entries each (as a
 * final history has), or their own allocation beyond the pool's largest. */
static bool hist_in(ck *k, lss__pool *pool, lss__vec *v, const unsigned char *sec, uint32_t total, size_t elem)
{
    uintptr_t first = code_of(&v->data);
    uint32_t n = v->count;
    v->data = NULL;
    v->count = v->cap = 0;
    if (n == 0 || first > total || total - first < n) {
        k->bad = true;
        return true;
    }
    if (lss__pool_reserve(pool, v, n) != LSS_OK)
        return false;
    memcpy(v->data, sec + first * elem, (size_t)n * elem);
    v->count = n;
    return true;
}

/* After a failed load: the records whose own storage is still a code from
 * the file hold none, so that the state can be freed as any other. */
static void unload(const loader *l, lss_db *db)
{
    for (uint32_t i = l->fixed[LSS__REF_MEMBER]; i < db->members.count; i++)
        memset(&((lss_member *)lss__slab_get(&db->members, i))->quotas, 0, sizeof(lss__vec));
    for (uint32_t i = l->fixed[LSS__REF_CUSTOMER]; i < db->customers.count; i++)
        ((lss_customer *)lss__slab_get(&db->customers, i))->changes = NULL;
    for (uint32_t i = l->fixed[LSS__REF_DEAL]; i < db->deals.count; i++)
        memset(&((lss_deal *)lss__slab_get(&db->deals, i))->hist, 0, sizeof(lss__vec));
    for (uint32_t i = l->fixed[LSS__REF_TICKET]; i < db->tickets.count; i++)
        memset(&((lss_ticket *)lss__slab_get(&db->tickets, i))->hist, 0, sizeof(lss__vec));
    for (uint32_t i = l->fixed[LSS__REF_TASK]; i < db->tasks.count; i++)
        memset(&((lss_task *)lss__slab_get(&db->tasks, i))->hist, 0, sizeof(lss__vec));
}

static void loader_free(loader *l)
{
    for (int s = 0; s < S_COUNT; s++)
        lss__free(l->small[s]);
}

/* The text section becomes the arena's first chunk. */
static bool text_in(loader *l, lss_db *db, ck *k)
{
    size_t n = (size_t)l->h.len[S_TEXT];
    lss__arena_chunk *c = lss__malloc(sizeof *c + n + 1);
    if (c == NULL) {
        l->nomem = true;
        return false;
    }
    c->next = NULL;
    c->cap = n + 1;
    c->used = n + 1;
    c->data[n] = '\0'; /* whatever a code points at ends inside the chunk */
    db->text.head = db->text.cur = c;
    uint64_t off = l->sec_off[S_TEXT];
    if (!read_at(l->fd, c->data, n, &off, NULL)) {
        l->why = "it is cut short";
        return false;
    }
    k->text = c->data;
    k->text_len = n;
    return true;
}

/* The customers and the activities, read and decoded on a second thread
 * (for a large checkpoint) while the load does the rest: the slabs of every
 * kind are allocated first, so that the codes of both sides can be turned
 * into addresses, and the side allocates nothing. A customer's changes stay
 * a code until the load is back (their storage is allocated). */
typedef struct side {
    loader *l;
    ck k;
    const char *why;
    pthread_t thread;
} side;

static void *side_main(void *arg)
{
    side *sd = arg;
    loader *l = sd->l;
    lss_db *db = sd->k.db;
    if (!read_slab(l, S_CUSTOMERS, &db->customers) || !read_slab(l, S_ACTIVITIES, &db->activities)) {
        sd->why = "it is cut short";
        return NULL;
    }
    for (uint32_t i = 0; i < db->customers.count && !sd->k.bad; i++) {
        lss_customer *x = lss__slab_get(&db->customers, i);
        fx_customer(&sd->k, x);
        if (x->id != i)
            sd->k.bad = true;
    }
    for (uint32_t i = 0; i < db->activities.count && !sd->k.bad; i++) {
        lss_activity *x = lss__slab_get(&db->activities, i);
        fx_activity(&sd->k, x);
        if (x->id != i)
            sd->k.bad = true;
    }
    return NULL;
}

/* The key index of kind r from its section (its entities' slab allocated). */
static bool index_in(loader *l, lss_db *db, const ck_meta *m, unsigned r)
{
    int s = S_IX_MEMBERS + (int)r - 1;
    lss__keyindex *ix = lss__index_of(db, r);
    uint32_t entities = lss__slab_of(db, r)->count, used = 0;
    if (m->ix_cap[r - 1] != l->h.count[s] || m->ix_count[r - 1] != entities ||
        (m->ix_cap[r - 1] ? m->ix_count[r - 1] >= m->ix_cap[r - 1] : m->ix_count[r - 1] != 0)) {
        l->why = "its key index does not fit its entities";
        return false;
    }
    if (!read_small(l, s))
        return false;
    ix->slots = (uint64_t *)(void *)l->small[s]; /* malloc'd: aligned for uint64_t */
    l->small[s] = NULL;
    ix->cap = m->ix_cap[r - 1];
    ix->count = m->ix_count[r - 1];
    for (uint32_t i = 0; i < ix->cap; i++) { /* the slots must name entities, and leave one free */
        used += ix->slots[i] != 0;
        if (ix->slots[i] && (uint32_t)ix->slots[i] - 1u >= entities) {
            l->why = "its key index names entities that do not exist";
            return false;
        }
    }
    if (used != ix->count) {
        l->why = "its key index does not fit its entities";
        return false;
    }
    return true;
}

/* The calendars: each definition built again from its texts. */
static bool cals_in(loader *l, lss_db *db)
{
    const unsigned char *p = (const unsigned char *)l->small[S_CALS], *end = p + l->h.len[S_CALS];
    for (uint32_t i = 0; i < l->h.count[S_CALS]; i++) {
        if (end - p < 12)
            return l->why = "its calendars are cut short", false;
        lss_time at = (lss_time)lss__get_u64(p);
        uint32_t seq = lss__get_u32(p + 8);
        p += 12;
        char *t[4] = { NULL, NULL, NULL, NULL };
        bool ok = true;
        for (int j = 0; j < 4 && ok; j++) {
            uint32_t n = end - p >= 4 ? lss__get_u32(p) : 0;
            ok = end - p >= 4 && (n == UINT32_MAX || (size_t)(end - p - 4) >= n);
            p += 4;
            if (ok && n != UINT32_MAX) {
                ok = (t[j] = lss__malloc((size_t)n + 1)) != NULL;
                if (ok) {
                    memcpy(t[j], p, n);
                    t[j][n] = 0;
                    p += n;
                }
            }
        }
        lss_status st = ok ? lss__calendar_restore(db, at, seq, (const char *const *)t) : LSS_INVALID;
        for (int j = 0; j < 4; j++)
            lss__free(t[j]);
        if (st == LSS_NOMEM)
            return l->nomem = true, false;
        if (st != LSS_OK)
            return l->why = "a calendar of it does not build (its zone file changed or is gone?)", false;
    }
    return p == end || (l->why = "its calendars section is longer than its calendars", false);
}

/* The pipelines: each added again from its texts. */
static bool pipelines_in(loader *l, lss_db *db)
{
    const unsigned char *p = (const unsigned char *)l->small[S_PIPELINES], *end = p + l->h.len[S_PIPELINES];
    for (uint32_t i = 0; i < l->h.count[S_PIPELINES]; i++) {
        if (end - p < 12)
            return l->why = "its pipelines are cut short", false;
        lss_time at = (lss_time)lss__get_u64(p);
        uint32_t seq = lss__get_u32(p + 8);
        p += 12;
        char *t[2] = { NULL, NULL };
        bool ok = true;
        for (int j = 0; j < 2 && ok; j++) {
            uint32_t n = end - p >= 4 ? lss__get_u32(p) : 0;
            ok = end - p >= 4 && n < UINT32_MAX && (size_t)(end - p - 4) >= n;
            p += 4;
            if (ok && (t[j] = lss__malloc((size_t)n + 1)) == NULL)
                return lss__free(t[0]), l->nomem = true, false;
            if (ok) {
                memcpy(t[j], p, n);
                t[j][n] = 0;
                p += n;
            }
        }
        lss_status st = ok ? lss__pipeline_restore(db, at, seq, t[0], t[1]) : LSS_INVALID;
        lss__free(t[0]);
        lss__free(t[1]);
        if (st == LSS_NOMEM)
            return l->nomem = true, false;
        if (st != LSS_OK)
            return l->why = "a pipeline of it does not check out", false;
    }
    return p == end || (l->why = "its pipelines section is longer than its pipelines", false);
}

/* Whether a record's first and latest times (`first`, `last`) are its
 * history h's first and latest entries' (entries of `elem` bytes, the
 * packed word first): the report subtracts the ones from the others, so a
 * file that says otherwise is not one this library wrote. */
static bool times_of_history(lss_time first, lss_time last, const lss__vec *h, size_t elem)
{
    if (h->count == 0)
        return false;
    uint64_t w0, wn;
    memcpy(&w0, h->data, sizeof w0);
    memcpy(&wn, (const char *)h->data + (size_t)(h->count - 1) * elem, sizeof wn);
    return first == lss__w_at(w0) && last == lss__w_at(wn);
}

/* The members, deals and tickets (with their quotas and histories), and the
 * key indexes: the load's own part while the side decodes. */
static bool main_part(loader *l, lss_db *db, ck *k, const ck_meta *m)
{
    if (!read_slab(l, S_MEMBERS, &db->members) || !read_small(l, S_QUOTAS) || !read_small(l, S_CHANGES) ||
        !read_slab(l, S_DEALS, &db->deals) || !read_small(l, S_DEAL_HIST) || !read_slab(l, S_TICKETS, &db->tickets) ||
        !read_small(l, S_TICKET_HIST) || !read_small(l, S_PROB) || !read_small(l, S_SLA) || !read_small(l, S_CALS) ||
        !read_small(l, S_POLICIES) || !read_small(l, S_PIPELINES) || !read_slab(l, S_TASKS, &db->tasks) ||
        !read_small(l, S_TASK_HIST))
        return false;
    /* the policies first (the tickets point to them); their calendars once those are built */
    for (uint32_t i = 0; i < l->h.count[S_POLICIES]; i++) {
        if (lss__slab_reserve(&db->policies))
            return l->nomem = true, false;
        lss__policy *x = lss__slab_push(&db->policies);
        memcpy(x, l->small[S_POLICIES] + (size_t)i * sizeof *x, sizeof *x);
        if (x->id != i)
            k->bad = true;
        for (int p = 0; p < 4; p++)
            if (x->response[p] < 0 || x->response[p] > LSS__DURATION_MAX || x->resolution[p] < 0 ||
                x->resolution[p] > LSS__DURATION_MAX)
                k->bad = true;
    }
    for (unsigned r = LSS__REF_MEMBER; r <= LSS__REF_KEYED_LAST; r++)
        if (!index_in(l, db, m, r))
            return false;
    for (uint32_t i = 0; i < db->members.count && !k->bad; i++) {
        lss_member *x = lss__slab_get(&db->members, i);
        fx_member(k, x);
        uintptr_t first = code_of(&x->quotas.data);
        uint32_t n = x->quotas.count, total = l->h.count[S_QUOTAS];
        x->quotas.data = NULL;
        x->quotas.count = x->quotas.cap = 0;
        l->fixed[LSS__REF_MEMBER] = i + 1;
        if (first > total || total - first < n || x->id != i)
            k->bad = true;
        else if (n && lss__vec_reserve(&x->quotas, sizeof(lss__quota), n) != LSS_OK)
            return l->nomem = true, false;
        else if (n) {
            memcpy(x->quotas.data, l->small[S_QUOTAS] + first * sizeof(lss__quota), n * sizeof(lss__quota));
            x->quotas.count = n;
        }
    }
    /* each deal's stays are derived from its history, not stored */
    if (db->deals.count && lss__vec_reserve(&db->deal_stays, sizeof(lss__deal_stays), db->deals.count) != LSS_OK)
        return l->nomem = true, false;
    for (uint32_t i = 0; i < db->deals.count && !k->bad; i++) {
        lss_deal *x = lss__slab_get(&db->deals, i);
        fx_deal(k, x);
        if (x->id != i)
            k->bad = true;
        l->fixed[LSS__REF_DEAL] = i + 1;
        if (!hist_in(k, &k->db->deal_hist, &x->hist, l->small[S_DEAL_HIST], l->h.count[S_DEAL_HIST],
                     sizeof(lss__deal_change)))
            return l->nomem = true, false;
        for (uint32_t j = 0; j < x->hist.count && !k->bad; j++)
            fx_deal_change(k, &((lss__deal_change *)x->hist.data)[j]);
        fx_range(k, times_of_history(x->opened_at, x->last_at, &x->hist, sizeof(lss__deal_change)));
        if (!k->bad)
            lss__deal_stays_build(&LSS__VEC_AT(&db->deal_stays, lss__deal_stays, db->deal_stays.count++), x);
    }
    for (uint32_t i = 0; i < db->tickets.count && !k->bad; i++) {
        lss_ticket *x = lss__slab_get(&db->tickets, i);
        fx_ticket(k, x);
        if (x->id != i)
            k->bad = true;
        l->fixed[LSS__REF_TICKET] = i + 1;
        if (!hist_in(k, &k->db->ticket_hist, &x->hist, l->small[S_TICKET_HIST], l->h.count[S_TICKET_HIST],
                     sizeof(lss__ticket_change)))
            return l->nomem = true, false;
        for (uint32_t j = 0; j < x->hist.count && !k->bad; j++)
            fx_ticket_change(k, &((lss__ticket_change *)x->hist.data)[j]);
        fx_range(k, times_of_history(x->opened_at, x->last_at, &x->hist, sizeof(lss__ticket_change)));
    }
    for (uint32_t i = 0; i < db->tasks.count && !k->bad; i++) {
        lss_task *x = lss__slab_get(&db->tasks, i);
        fx_task(k, x);
        if (x->id != i)
            k->bad = true;
        l->fixed[LSS__REF_TASK] = i + 1;
        if (!hist_in(k, &k->db->task_hist, &x->hist, l->small[S_TASK_HIST], l->h.count[S_TASK_HIST],
                     sizeof(lss__task_change)))
            return l->nomem = true, false;
        for (uint32_t j = 0; j < x->hist.count && !k->bad; j++)
            fx_task_change(k, &((lss__task_change *)x->hist.data)[j]);
    }
    if (lss__vec_reserve(&db->prob, sizeof(lss__prob_change), l->h.count[S_PROB]) != LSS_OK ||
        lss__vec_reserve(&db->sla, sizeof(lss__sla_change), l->h.count[S_SLA]) != LSS_OK)
        return l->nomem = true, false;
    if (l->h.count[S_PROB])
        memcpy(db->prob.data, l->small[S_PROB], (size_t)l->h.len[S_PROB]);
    if (l->h.count[S_SLA])
        memcpy(db->sla.data, l->small[S_SLA], (size_t)l->h.len[S_SLA]);
    db->prob.count = l->h.count[S_PROB];
    db->sla.count = l->h.count[S_SLA];
    if (!cals_in(l, db) || !pipelines_in(l, db))
        return false;
    for (uint32_t i = 0; i < db->prob.count; i++)
        if (LSS__VEC_AT(&db->prob, lss__prob_change, i).pipeline > db->pipelines.count)
            k->bad = true;
    for (uint32_t i = 0; i < db->deals.count && !k->bad; i++)
        if (((const lss_deal *)lss__slab_get(&db->deals, i))->pipeline > db->pipelines.count)
            k->bad = true;
    for (uint32_t i = 0; i < db->sla.count; i++)
        if (LSS__VEC_AT(&db->sla, lss__sla_change, i).cal > db->cals.count)
            k->bad = true;
    for (uint32_t i = 0; i < db->policies.count; i++) {
        lss__policy *x = lss__slab_get(&db->policies, i);
        for (int p = 0; p < 4; p++) {
            uintptr_t c = code_of(&x->cal[p]);
            if (c > db->cals.count)
                k->bad = true;
            set_ptr(&x->cal[p], c == 0 || c > db->cals.count ? NULL : LSS__VEC_AT(&db->cals, lss__cal_def, c - 1).cal);
        }
    }
    return true;
}

/* The customers' changes, from their codes, once the side is done. */
static bool changes_in(loader *l, lss_db *db, ck *k)
{
    for (uint32_t i = 0; i < db->customers.count && !k->bad; i++) {
        lss_customer *x = lss__slab_get(&db->customers, i);
        uint64_t code;
        memcpy(&code, &x->changes, sizeof code);
        x->changes = NULL;
        l->fixed[LSS__REF_CUSTOMER] = i + 1;
        if (code == 0)
            continue;
        uint32_t first = (uint32_t)code, n = (uint32_t)(code >> 32), total = l->h.count[S_CHANGES];
        if (n == 0 || first > total || total - first < n) {
            k->bad = true;
            break;
        }
        x->changes = lss__malloc(sizeof *x->changes + (size_t)n * sizeof x->changes->e[0]);
        if (x->changes == NULL)
            return l->nomem = true, false;
        x->changes->count = x->changes->cap = n;
        memcpy(x->changes->e, l->small[S_CHANGES] + (size_t)first * sizeof x->changes->e[0],
               (size_t)n * sizeof x->changes->e[0]);
        for (uint32_t j = 0; j < n; j++) {
            fx_change(k, &x->changes->e[j]);
            if (x->changes->e[j].kind == LSS_CUSTOMER_CHURNED)
                x->added |= LSS__CHURNED_BIT;
        }
    }
    return true;
}

/* Build the state from the file; false with l->why (or l->nomem) on the
 * first thing that does not check out, the state then half built. */
static bool load(loader *l, lss_db *db)
{
    ck k;
    ck_init(&k, db, true, NULL);
    if (!read_small(l, S_META))
        return false;
    ck_meta m;
    memcpy(&m, l->small[S_META], sizeof m);
    if (memcmp(m.currency, db->currency, 4) != 0 || m.pipeline != (uint32_t)db->pipeline ||
        m.events != l->h.at.events || (m.last_time != LSS_TIME_NONE && !lss__time_fits(m.last_time))) {
        l->why = "its settings are not the journal's";
        return false;
    }
    db->events = m.events;
    db->last_time = m.last_time;
    if (!text_in(l, db, &k) || !read_small(l, S_TEAMS) || !read_small(l, S_SEGMENTS) ||
        !interned_in(l, db, S_TEAMS, &db->teams) || !interned_in(l, db, S_SEGMENTS, &db->segments))
        return false;
    if (!slab_room(&db->members, l->h.count[S_MEMBERS]) || !slab_room(&db->customers, l->h.count[S_CUSTOMERS]) ||
        !slab_room(&db->deals, l->h.count[S_DEALS]) || !slab_room(&db->activities, l->h.count[S_ACTIVITIES]) ||
        !slab_room(&db->tickets, l->h.count[S_TICKETS]) || !slab_room(&db->tasks, l->h.count[S_TASKS]))
        return l->nomem = true, false;
    side sd;
    memset(&sd, 0, sizeof sd);
    sd.l = l;
    sd.k = k;
    bool threaded = l->h.len[S_CUSTOMERS] + l->h.len[S_ACTIVITIES] >= lss__ckpt_check_thread_min &&
                    pthread_create(&sd.thread, NULL, side_main, &sd) == 0;
    bool ok = main_part(l, db, &k, &m);
    if (threaded)
        pthread_join(sd.thread, NULL);
    else if (ok)
        side_main(&sd);
    if (!ok)
        return false;
    if (sd.why) {
        l->why = sd.why;
        return false;
    }
    if (!changes_in(l, db, &k))
        return false;
    if (k.bad || sd.k.bad) {
        l->why = "a record names something that is not there, or holds a value out of range";
        return false;
    }
    return true;
}

lss_status lss__ckpt_load(lss_db *db, const char *jpath, uint32_t salt, uint64_t jsize, lss__jresume *at,
                          char *note, size_t note_size, bool *used)
{
    *used = false;
    memset(at, 0, sizeof *at);
    char *path = path_with(jpath, ".checkpoint");
    if (path == NULL)
        return lss__fail(NULL, LSS_NOMEM, "open: out of memory");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            snprintf(note, note_size, "checkpoint ignored: it cannot be opened (%s); the whole journal was replayed",
                     strerror(errno));
        lss__free(path);
        return LSS_OK;
    }
    lss__free(path);
    loader l;
    memset(&l, 0, sizeof l);
    l.fd = fd;
    unsigned char head[HEAD_SIZE];
    uint32_t crc = 0;
    uint64_t off = 0;
    struct stat sb;
    uint64_t total = HEAD_SIZE;
    ssize_t got = pread(fd, head, 8, 0);
    if (got != 8 || memcmp(head, CK_MAGIC, 8) != 0)
        l.why = "the file is not a checkpoint (it is left as it is)";
    else if (fstat(fd, &sb) != 0 || !read_at(fd, head, sizeof head, &off, &crc))
        l.why = "it is cut short";
    else if ((l.why = head_why(head, &l.h)) == NULL) {
        for (int s = 0; s < S_COUNT; s++) {
            l.sec_off[s] = total;
            total += l.h.len[s];
        }
        if (!sizes_ok(&l.h) || total != (uint64_t)sb.st_size)
            l.why = total > (uint64_t)sb.st_size ? "it is cut short" : "its header is damaged (sizes)";
        else if (l.h.salt != salt)
            l.why = "it belongs to another journal (one compacted or made since)";
        else if (l.h.at.offset > jsize)
            l.why = "it covers more of the journal than the file holds";
        else {
            ck_check chk;
            bool threaded = false;
            if (!check_start(&chk, fd, (size_t)total, &l.h, &threaded)) {
                l.nomem = chk.nomem;
                l.why = "it cannot be mapped to be checked";
            } else {
                bool loaded = load(&l, db);
                const char *bad = check_end(&chk, threaded);
                if (bad) {
                    snprintf(l.why_buf, sizeof l.why_buf, "%s", bad);
                    l.why = l.why_buf;
                    l.nomem = false; /* the file is the cause, whatever else failed */
                } else if (loaded) {
                    *at = l.h.at;
                    *used = true;
                }
            }
            if (!*used)
                unload(&l, db);
        }
    }
    close(fd);
    loader_free(&l);
    if (l.nomem)
        return lss__fail(NULL, LSS_NOMEM, "open: out of memory for the checkpoint");
    if (!*used)
        snprintf(note, note_size, "checkpoint ignored: %s; the whole journal was replayed", l.why);
    return LSS_OK;
}

/* ---- comparison ------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A key index's entries, sorted: two tables that hold the same entries may
 * place them differently (the order they were added in, their growth). */
static bool index_entries(const ck_section *sec, uint64_t **out, size_t *n)
{
    size_t cap = sec->len / 8;
    *n = 0;
    *out = lss__malloc(cap * 8 + 8);
    if (*out == NULL)
        return false;
    for (size_t i = 0; i < cap; i++) {
        uint64_t v;
        memcpy(&v, sec->data + i * 8, 8);
        if (v)
            (*out)[(*n)++] = v;
    }
    qsort(*out, *n, 8, cmp_u64);
    return true;
}

static lss_status compare_index(const lss_db *db, int s, const ck_section *x, const ck_section *y)
{
    uint64_t *ex = NULL, *ey = NULL;
    size_t nx, ny;
    lss_status st = LSS_OK;
    if (!index_entries(x, &ex, &nx) || !index_entries(y, &ey, &ny))
        st = lss__fail(db, LSS_NOMEM, "verify: out of memory");
    else if (nx != ny || memcmp(ex, ey, nx * 8) != 0)
        st = lss__fail(db, LSS_CORRUPT, "verify: the %s differ from the journal replayed", sec_names[s]);
    lss__free(ex);
    lss__free(ey);
    return st;
}

lss_status lss__ckpt_compare(const lss_db *db, const lss__ckpt *a, const lss__ckpt *b)
{
    for (int s = 0; s < S_COUNT; s++) {
        const ck_section *x = &a->sec[s], *y = &b->sec[s];
        if (s >= S_IX_MEMBERS && s <= S_IX_TASKS) {
            lss_status st = compare_index(db, s, x, y);
            if (st != LSS_OK)
                return st;
            continue;
        }
        if (s == S_META) { /* the tables' sizes may differ (compare_index) */
            ck_meta mx, my;
            memcpy(&mx, x->data, sizeof mx);
            memcpy(&my, y->data, sizeof my);
            memset(mx.ix_cap, 0, sizeof mx.ix_cap);
            memset(my.ix_cap, 0, sizeof my.ix_cap);
            if (memcmp(&mx, &my, sizeof mx) != 0)
                return lss__fail(db, LSS_CORRUPT, "verify: the %s differ from the journal replayed", sec_names[s]);
            continue;
        }
        if (x->count != y->count || x->len != y->len)
            return lss__fail(db, LSS_CORRUPT, "verify: the %s differ: %u against %u (the journal replayed)",
                             sec_names[s], x->count, y->count);
        if (x->len && memcmp(x->data, y->data, x->len) != 0) {
            size_t i = 0;
            while (x->data[i] == y->data[i])
                i++;
            return lss__fail(db, LSS_CORRUPT, "verify: the %s differ from the journal replayed, at byte %zu",
                             sec_names[s], i);
        }
    }
    return LSS_OK;
}
