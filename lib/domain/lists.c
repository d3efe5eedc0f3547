/* The list indexes (domain.h): what finds the rows of a work queue
 * (lib/query/) as of now without a scan of every entity.
 *
 * They are a cache of the state, never a part of it: built on the first
 * list of a handle, kept current by every change after it (lss__lx_note),
 * and marked stale, to be rebuilt by the next list, when keeping them would
 * need memory that is not there or when a transaction's rollback puts the
 * state back. So no change ever fails or waits for them, and a handle that
 * never lists pays nothing. Every index yields candidates: the query checks
 * each row against the filters as of its moment, so an index may say more
 * than is true (a customer's old names stay in the text index), never less.
 *
 *   deals      lists by (owner, stage); a tree by expected close
 *   tickets    lists by (state, priority) and by (assignee, active); a tree
 *              of the moments their SLA targets fall due (two per ticket)
 *   customers  lists by (segment, source, state); trigrams of name, email
 *              and company (ASCII case folded) to candidate customers */
#include "domain/rules.h"

#include <stdlib.h>

/* ---- doubly linked lists in buckets ---------------------------------------
 * next/prev per item; prev of a bucket's first item is HEAD | bucket;
 * LSS__NONE: the item is in no bucket. */
#define HEAD 0x80000000u

typedef struct lx_lists {
    uint32_t *next, *prev, cap;
    uint32_t *head, nb;
} lx_lists;

static bool grow_u32(uint32_t **a, uint32_t old, uint32_t cap, uint32_t fill)
{
    uint32_t *n = lss__realloc(*a, (size_t)cap * sizeof *n);
    if (n == NULL)
        return false;
    for (uint32_t i = old; i < cap; i++)
        n[i] = fill;
    *a = n;
    return true;
}

/* A capacity above need: an eighth more (the arrays are per entity, so
 * doubling would leave up to half of them unused). */
static uint32_t grown(uint32_t cap, uint32_t need)
{
    (void)cap;
    uint64_t n = (uint64_t)need + need / 8 + 64;
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* Room for items below n, exactly (a build knows how many there are). */
static bool lists_reserve(lx_lists *l, uint32_t n)
{
    if (n <= l->cap)
        return true;
    if (!grow_u32(&l->next, l->cap, n, LSS__NONE) || !grow_u32(&l->prev, l->cap, n, LSS__NONE))
        return false;
    l->cap = n;
    return true;
}

static bool lists_fit(lx_lists *l, uint32_t id, uint32_t bucket)
{
    if (id >= HEAD || bucket >= HEAD)
        return false;
    if (id >= l->cap) {
        uint32_t cap = grown(l->cap, id);
        if (!grow_u32(&l->next, l->cap, cap, LSS__NONE) || !grow_u32(&l->prev, l->cap, cap, LSS__NONE))
            return false;
        l->cap = cap;
    }
    if (bucket >= l->nb) {
        uint32_t nb = grown(l->nb, bucket);
        if (!grow_u32(&l->head, l->nb, nb, LSS__NONE))
            return false;
        l->nb = nb;
    }
    return true;
}

static void lists_del(lx_lists *l, uint32_t id)
{
    if (id >= l->cap || l->prev[id] == LSS__NONE)
        return;
    uint32_t p = l->prev[id], n = l->next[id];
    if (p & HEAD)
        l->head[p & ~HEAD] = n;
    else
        l->next[p] = n;
    if (n != LSS__NONE)
        l->prev[n] = p;
    l->prev[id] = l->next[id] = LSS__NONE;
}

static void lists_add(lx_lists *l, uint32_t id, uint32_t b)
{
    uint32_t n = l->head[b];
    l->next[id] = n;
    l->prev[id] = HEAD | b;
    if (n != LSS__NONE)
        l->prev[n] = id;
    l->head[b] = id;
}

static void lists_free(lx_lists *l)
{
    lss__free(l->next);
    lss__free(l->prev);
    lss__free(l->head);
    *l = (lx_lists){ 0 };
}

/* ---- a treap of (key, node) ------------------------------------------------
 * key[node] == LSS_TIME_NONE: the node is not in the tree. Priorities are a
 * hash of the node, so nothing but the links is stored. */
typedef struct lx_tree {
    int64_t *key;
    uint32_t *left, *right, cap, root;
} lx_tree;

static uint32_t prio(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    return x ^ (x >> 16);
}

static bool before(const lx_tree *t, uint32_t a, uint32_t b)
{
    return t->key[a] != t->key[b] ? t->key[a] < t->key[b] : a < b;
}

static bool tree_reserve(lx_tree *t, uint32_t cap)
{
    if (cap <= t->cap)
        return true;
    int64_t *k = lss__realloc(t->key, (size_t)cap * sizeof *k);
    if (k == NULL)
        return false;
    for (uint32_t i = t->cap; i < cap; i++)
        k[i] = LSS_TIME_NONE;
    t->key = k;
    if (!grow_u32(&t->left, t->cap, cap, LSS__NONE) || !grow_u32(&t->right, t->cap, cap, LSS__NONE))
        return false;
    t->cap = cap;
    return true;
}

static bool tree_fit(lx_tree *t, uint32_t node)
{
    return node < t->cap || tree_reserve(t, grown(t->cap, node));
}

static uint32_t tree_ins(lx_tree *t, uint32_t r, uint32_t x)
{
    if (r == LSS__NONE)
        return x;
    if (before(t, x, r)) {
        uint32_t l = t->left[r] = tree_ins(t, t->left[r], x);
        if (prio(l) > prio(r)) {
            t->left[r] = t->right[l];
            t->right[l] = r;
            return l;
        }
    } else {
        uint32_t g = t->right[r] = tree_ins(t, t->right[r], x);
        if (prio(g) > prio(r)) {
            t->right[r] = t->left[g];
            t->left[g] = r;
            return g;
        }
    }
    return r;
}

static uint32_t tree_join(lx_tree *t, uint32_t a, uint32_t b) /* every node of a before every node of b */
{
    if (a == LSS__NONE)
        return b;
    if (b == LSS__NONE)
        return a;
    if (prio(a) > prio(b)) {
        t->right[a] = tree_join(t, t->right[a], b);
        return a;
    }
    t->left[b] = tree_join(t, a, t->left[b]);
    return b;
}

static uint32_t tree_del(lx_tree *t, uint32_t r, uint32_t x)
{
    if (r == LSS__NONE)
        return r;
    if (r == x)
        return tree_join(t, t->left[r], t->right[r]);
    if (before(t, x, r))
        t->left[r] = tree_del(t, t->left[r], x);
    else
        t->right[r] = tree_del(t, t->right[r], x);
    return r;
}

/* Put node x at key k (LSS_TIME_NONE: out of the tree). */
static void tree_set(lx_tree *t, uint32_t x, int64_t k)
{
    if (t->key[x] == k)
        return;
    if (t->key[x] != LSS_TIME_NONE)
        t->root = tree_del(t, t->root, x);
    t->key[x] = k;
    t->left[x] = t->right[x] = LSS__NONE;
    if (k != LSS_TIME_NONE)
        t->root = tree_ins(t, t->root, x);
}

static bool tree_range(const lx_tree *t, uint32_t r, int64_t lo, int64_t hi, lss__lx_fn fn, void *ctx)
{
    while (r != LSS__NONE) {
        int64_t k = t->key[r];
        if (k >= lo && !tree_range(t, t->left[r], lo, hi, fn, ctx))
            return false;
        if (k >= hi)
            return true;
        if (k >= lo && !fn(ctx, r))
            return false;
        r = t->right[r];
    }
    return true;
}

static void tree_free(lx_tree *t)
{
    lss__free(t->key);
    lss__free(t->left);
    lss__free(t->right);
    *t = (lx_tree){ 0 };
}

/* ---- trigrams ------------------------------------------------------------
 * A bucket per hash of a case-folded trigram: the ids of the customers
 * whose texts had one of its trigrams, as zigzag varint deltas. */
#define TRI_BITS 16
#define TRI_BUCKETS (1u << TRI_BITS)

typedef struct tri_list {
    uint8_t *b;
    uint32_t len, cap;
    uint32_t last; /* the latest id appended */
} tri_list;

static unsigned char fold(unsigned char ch) { return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch; }

static uint32_t tri_hash(const unsigned char *p)
{
    uint32_t v = (uint32_t)fold(p[0]) << 16 | (uint32_t)fold(p[1]) << 8 | fold(p[2]);
    return (v * 2654435761u) >> (32 - TRI_BITS);
}

static bool tri_append(tri_list *l, uint32_t id)
{
    if (l->len && id == l->last)
        return true;
    if (l->cap - l->len < 10) {
        uint32_t cap = l->cap ? l->cap + l->cap / 4 + 16 : 16;
        uint8_t *n = lss__realloc(l->b, cap);
        if (n == NULL)
            return false;
        l->b = n;
        l->cap = cap;
    }
    int64_t d = (int64_t)id - (int64_t)l->last;
    uint64_t z = ((uint64_t)d << 1) ^ (uint64_t)(d >> 63);
    while (z >= 0x80) {
        l->b[l->len++] = (uint8_t)(z | 0x80);
        z >>= 7;
    }
    l->b[l->len++] = (uint8_t)z;
    l->last = id;
    return true;
}

/* ---- the indexes --------------------------------------------------------- */

struct lss__lx {
    bool stale;
    lx_lists deals;        /* bucket owner id * 6 + stage */
    lx_tree closing;       /* node: deal id; key: expected close */
    lx_lists tickets;      /* bucket state * 4 + priority */
    lx_lists assigned;     /* bucket (assignee id + 1) * 2 + active; 0, 1: none */
    lx_tree due;           /* node: ticket id * 2 + (0 first response, 1 resolution) */
    lx_lists customers;    /* bucket segment * 18 + source * 3 + state; segment 0: none, else intern id */
    tri_list *tri;         /* TRI_BUCKETS */
};

static uint32_t segment_no(const lss_db *db, const char *seg)
{
    if (seg == NULL)
        return 0;
    const lss__intern_entry *e = NULL;
    HASH_FIND_STR(db->segments.by_name, seg, e);
    return e ? e->id : 0;
}

static bool touch_deal(lss__lx *x, const lss_deal *d)
{
    uint32_t b = d->owner->id * 6u + d->stage;
    if (!lists_fit(&x->deals, d->id, b) || !tree_fit(&x->closing, d->id))
        return false;
    lists_del(&x->deals, d->id);
    lists_add(&x->deals, d->id, b);
    tree_set(&x->closing, d->id, d->expected_close);
    return true;
}

static bool active_state(unsigned s) { return s == LSS_TICKET_NEW || s == LSS_TICKET_OPEN || s == LSS_TICKET_PENDING; }

static bool touch_ticket(lss__lx *x, const lss_ticket *t)
{
    uint32_t b = t->state * 4u + t->priority;
    uint32_t a = (t->assignee ? t->assignee->id + 1u : 0u) * 2u + active_state(t->state);
    if (t->id >= HEAD / 2 || !lists_fit(&x->tickets, t->id, b) || !lists_fit(&x->assigned, t->id, a) ||
        !tree_fit(&x->due, t->id * 2u + 1u))
        return false;
    lists_del(&x->tickets, t->id);
    lists_add(&x->tickets, t->id, b);
    lists_del(&x->assigned, t->id);
    lists_add(&x->assigned, t->id, a);
    /* the moments the targets fall due if the ticket stays as it is: as of
     * just after its latest event (a target already decided has none) */
    int64_t rk = LSS_TIME_NONE, sk = LSS_TIME_NONE;
    if (active_state(t->state)) {
        lss_sla_state s;
        if (lss_ticket_sla(&s, t, t->last_at + 1) == LSS_OK && s.running) {
            if (s.first_response == LSS_SLA_UNDECIDED)
                rk = s.first_response_due;
            if (s.resolution == LSS_SLA_UNDECIDED)
                sk = s.resolution_due;
        }
    }
    tree_set(&x->due, t->id * 2u, rk);
    tree_set(&x->due, t->id * 2u + 1u, sk);
    return true;
}

static bool touch_customer(lss_db *db, lss__lx *x, const lss_customer *c, bool texts)
{
    unsigned state = (unsigned)lss_customer_state_at(c, INT64_MAX);
    uint32_t b = segment_no(db, lss_customer_segment(c)) * 18u + LSS__SOURCE(c) * 3u + state;
    if (!lists_fit(&x->customers, c->id, b))
        return false;
    lists_del(&x->customers, c->id);
    lists_add(&x->customers, c->id, b);
    if (!texts || LSS__ERASED(c))
        return true;
    /* every text it ever had: a list as of a past moment finds the old names.
     * A bucket that already ends with this customer is not appended to again
     * (tri_append), so a text's repeated trigrams are posted once. */
    uint32_t nchanges = lss__changes_count(c);
    for (uint32_t v = 0; v <= nchanges; v++) {
        const char *s[3] = { c->name, c->email, c->company };
        if (v > 0) {
            const lss__customer_change *ch = LSS__CHANGE(c, v - 1);
            s[0] = ch->name;
            s[1] = ch->email;
            s[2] = ch->company;
        }
        for (int k = 0; k < 3; k++) {
            size_t len = s[k] ? strlen(s[k]) : 0;
            for (size_t i = 0; i + 3 <= len; i++)
                if (!tri_append(&x->tri[tri_hash((const unsigned char *)s[k] + i)], c->id))
                    return false;
        }
    }
    return true;
}

static void lx_clear(lss__lx *x)
{
    lists_free(&x->deals);
    tree_free(&x->closing);
    lists_free(&x->tickets);
    lists_free(&x->assigned);
    tree_free(&x->due);
    lists_free(&x->customers);
    for (uint32_t i = 0; i < TRI_BUCKETS; i++)
        lss__free(x->tri[i].b);
    memset(x->tri, 0, TRI_BUCKETS * sizeof x->tri[0]);
    x->closing.root = x->due.root = LSS__NONE;
}

void lss__lx_free(lss_db *db)
{
    if (db->lx == NULL)
        return;
    lx_clear(db->lx);
    lss__free(db->lx->tri);
    lss__free(db->lx);
    db->lx = NULL;
}

void lss__lx_stale(lss_db *db)
{
    if (db->lx)
        db->lx->stale = true;
}

void lss__lx_note(lss_db *db, const lss__cmd *c)
{
    lss__lx *x = db->lx;
    if (x == NULL || x->stale)
        return;
    const lss__ev_desc *d = &lss__ev_descs[c->ev.kind];
    bool ok = true;
    for (unsigned k = 0; k < LSS__EV_STRS + 1u && ok; k++) {
        unsigned ref = k < LSS__EV_STRS ? d->sref[k] : d->adds;
        const void *e = k < LSS__EV_STRS ? c->e[k] : c->created;
        if (e == NULL || (k >= d->ns && k < LSS__EV_STRS))
            continue;
        switch (ref) {
        case LSS__REF_CUSTOMER: ok = touch_customer(db, x, e, k == LSS__EV_STRS || c->ev.kind == LSS__EV_CUSTOMER_UPDATE); break;
        case LSS__REF_DEAL: /* a win is the one deal event that changes its customer's state */
            ok = touch_deal(x, e) && (((const lss_deal *)e)->stage != LSS_STAGE_WON ||
                                      touch_customer(db, x, ((const lss_deal *)e)->customer, false));
            break;
        case LSS__REF_TICKET: ok = touch_ticket(x, e); break;
        default: break;
        }
    }
    if (!ok)
        x->stale = true;
}

lss_status lss__lx_ready(lss_db *db)
{
    lss__lx *x = db->lx;
    if (x && !x->stale)
        return LSS_OK;
    if (x == NULL) {
        if ((x = lss__malloc(sizeof *x)) == NULL)
            return LSS_NOMEM;
        memset(x, 0, sizeof *x);
        if ((x->tri = lss__malloc(TRI_BUCKETS * sizeof x->tri[0])) == NULL) {
            lss__free(x);
            return LSS_NOMEM;
        }
        memset(x->tri, 0, TRI_BUCKETS * sizeof x->tri[0]);
        db->lx = x;
    }
    lx_clear(x);
    uint32_t nd = db->deals.count, nt = db->tickets.count, nc = db->customers.count;
    bool ok = lists_reserve(&x->deals, nd) && tree_reserve(&x->closing, nd) && lists_reserve(&x->tickets, nt) &&
              lists_reserve(&x->assigned, nt) && (nt >= HEAD / 2 || tree_reserve(&x->due, nt * 2u)) &&
              lists_reserve(&x->customers, nc);
    for (uint32_t i = 0; i < db->deals.count && ok; i++)
        ok = touch_deal(x, lss__slab_get(&db->deals, i));
    for (uint32_t i = 0; i < db->tickets.count && ok; i++)
        ok = touch_ticket(x, lss__slab_get(&db->tickets, i));
    for (uint32_t i = 0; i < db->customers.count && ok; i++)
        ok = touch_customer(db, x, lss__slab_get(&db->customers, i), true);
    if (!ok) {
        lss__lx_free(db);
        return LSS_NOMEM;
    }
    /* the postings grew by a quarter at a time: give back what is unused */
    for (uint32_t i = 0; i < TRI_BUCKETS; i++) {
        tri_list *l = &x->tri[i];
        uint8_t *b = l->len && l->cap - l->len > 16 ? lss__realloc(l->b, l->len) : NULL;
        if (b) {
            l->b = b;
            l->cap = l->len;
        }
    }
    x->stale = false;
    return LSS_OK;
}

/* ---- candidates ------------------------------------------------------------ */

static bool each_in(const lx_lists *l, uint32_t b, lss__lx_fn fn, void *ctx)
{
    for (uint32_t i = b < l->nb ? l->head[b] : LSS__NONE; i != LSS__NONE; i = l->next[i])
        if (!fn(ctx, i))
            return false;
    return true;
}

bool lss__lx_deals_owner(const lss_db *db, uint32_t member, unsigned stages, lss__lx_fn fn, void *ctx)
{
    uint32_t lo = member == LSS__NONE ? 0 : member, hi = member == LSS__NONE ? db->members.count : member + 1;
    for (uint32_t m = lo; m < hi; m++)
        for (unsigned s = 0; s <= LSS_STAGE_LOST; s++)
            if ((stages >> s & 1u) && !each_in(&db->lx->deals, m * 6u + s, fn, ctx))
                return false;
    return true;
}

void lss__lx_deals_closing(const lss_db *db, lss_time from, lss_time to, lss__lx_fn fn, void *ctx)
{
    tree_range(&db->lx->closing, db->lx->closing.root, from, to, fn, ctx);
}

void lss__lx_tickets_state(const lss_db *db, unsigned states, unsigned prios, lss__lx_fn fn, void *ctx)
{
    for (unsigned s = 0; s <= LSS_TICKET_CLOSED; s++)
        for (unsigned p = 0; p <= LSS_PRIORITY_URGENT; p++)
            if ((states >> s & 1u) && (prios >> p & 1u) && !each_in(&db->lx->tickets, s * 4u + p, fn, ctx))
                return;
}

void lss__lx_tickets_assignee(const lss_db *db, uint32_t member, bool active_only, lss__lx_fn fn, void *ctx)
{
    uint32_t b = (member == LSS__NONE ? 0u : member + 1u) * 2u;
    if (each_in(&db->lx->assigned, b + 1, fn, ctx) && !active_only)
        each_in(&db->lx->assigned, b, fn, ctx);
}

typedef struct due_ctx {
    lss__lx_fn fn;
    void *ctx;
} due_ctx;

static bool due_ticket(void *p, uint32_t node)
{
    const due_ctx *d = p;
    return d->fn(d->ctx, node / 2u);
}

void lss__lx_tickets_due(const lss_db *db, lss_time lo, lss_time hi, lss__lx_fn fn, void *ctx)
{
    due_ctx d = { fn, ctx };
    tree_range(&db->lx->due, db->lx->due.root, lo, hi, due_ticket, &d);
}

void lss__lx_customers(const lss_db *db, const char *segment, int source, int state, lss__lx_fn fn, void *ctx)
{
    uint32_t lo = 0, hi = db->segments.entries.count;
    if (segment && (lo = hi = segment_no(db, segment)) == 0)
        return; /* no customer ever had it */
    for (uint32_t g = lo; g <= hi; g++)
        for (int src = 0; src <= LSS_SOURCE_OTHER; src++)
            for (int st = 0; st <= LSS_CUSTOMER_STATE_CHURNED; st++)
                if ((source < 0 || source == src) && (state < 0 || state == st) &&
                    !each_in(&db->lx->customers, g * 18u + (uint32_t)src * 3u + (uint32_t)st, fn, ctx))
                    return;
}

void lss__lx_customers_text(const lss_db *db, const char *needle, lss__lx_fn fn, void *ctx)
{
    size_t len = strlen(needle);
    const tri_list *best = NULL;
    for (size_t i = 0; i + 3 <= len; i++) {
        const tri_list *l = &db->lx->tri[tri_hash((const unsigned char *)needle + i)];
        if (best == NULL || l->len < best->len)
            best = l;
    }
    if (best == NULL)
        return;
    uint32_t id = 0;
    for (uint32_t i = 0; i < best->len;) {
        uint64_t z = 0;
        for (unsigned shift = 0;; shift += 7) {
            uint8_t byte = best->b[i++];
            z |= (uint64_t)(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                break;
        }
        int64_t delta = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
        id = (uint32_t)((int64_t)id + delta);
        if (!fn(ctx, id))
            break;
    }
}

size_t lss__lx_bytes(const lss_db *db)
{
    const lss__lx *x = db->lx;
    if (x == NULL)
        return 0;
    size_t n = sizeof *x + TRI_BUCKETS * sizeof x->tri[0];
    const lx_lists *l[] = { &x->deals, &x->tickets, &x->assigned, &x->customers };
    for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
        n += (size_t)l[i]->cap * 8u + (size_t)l[i]->nb * 4u;
    n += (size_t)x->closing.cap * 16u + (size_t)x->due.cap * 16u;
    for (uint32_t i = 0; i < TRI_BUCKETS; i++)
        n += x->tri[i].cap;
    return n;
}
