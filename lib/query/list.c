/* Work queues (salesservice/list.h, docs/lists.md): a list is the rows of
 * one kind that pass every filter as of a moment, sorted and paged.
 *
 * A list is made in three steps: the plan picks where the candidates come
 * from (an index of lib/domain/lists.c as of now, a customer's own lists,
 * or every entity of the kind); each candidate's row is computed as of the
 * moment and checked against every filter (an index only narrows, it never
 * decides); the matches are sorted and the page cut. */
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>

bool lss__list_scan;

struct lss_list {
    lss_db *db;
    lss_list_kind kind;
    lss_time as_of;
    uint32_t count, matched;
    uint32_t ids[];
};

const char *lss_list_kind_name(int kind)
{
    static const char *const names[] = { "deals", "tickets", "customers", "tasks" };
    return kind >= 0 && kind <= LSS_LIST_TASKS ? names[kind] : NULL;
}

lss_status lss_list_kind_parse(lss_list_kind *out, const char *text)
{
    for (int k = 0; text && k <= LSS_LIST_TASKS; k++)
        if (strcmp(text, lss_list_kind_name(k)) == 0) {
            if (out)
                *out = (lss_list_kind)k;
            return LSS_OK;
        }
    return lss__fail(NULL, LSS_INVALID, "list: \"%s\" is not a list (expected deals, tickets, customers or tasks)",
                     text ? text : "(null)");
}

void lss_list_filter_init(lss_list_filter *f, lss_list_kind kind)
{
    if (f == NULL)
        return;
    *f = (lss_list_filter)LSS_LIST_FILTER_INIT;
    f->kind = kind;
}

/* ---- rows as of a moment ----------------------------------------------------- */

/* The last history entry of a deal or ticket before t (its opening is before t). */
static uint32_t entry_before(const lss__vec *hist, lss_time last_at, lss_time t)
{
    uint32_t n = hist->count;
    if (last_at < t)
        return n - 1;
    const uint64_t *w0 = hist->data; /* both entry kinds begin with the packed word, 24 bytes each */
    uint32_t lo = 0, hi = n;         /* the first entry at or after t is in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (lss__w_at(w0[(size_t)mid * 3]) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}
_Static_assert(sizeof(lss__deal_change) == 24 && sizeof(lss__ticket_change) == 24 &&
                   offsetof(lss__deal_change, w) == 0 && offsetof(lss__ticket_change, w) == 0,
               "history entries: 24 bytes, the word first");

static bool deal_row(lss_deal_row *r, const lss_db *db, const lss_deal *d, lss_time t)
{
    if (d->opened_at >= t)
        return false;
    r->deal = d;
    r->customer = d->customer;
    r->pipeline = lss_pipeline_key(db, d->pipeline);
    r->opened = d->opened_at;
    int own;
    if (d->last_at < t) {
        r->stage = (lss_stage)d->stage;
        r->amount = d->amount;
        r->owner = d->owner;
        r->last_at = d->last_at;
        r->expected_close = d->expected_close;
        r->forecast = lss_forecast_category_name(d->forecast);
        own = d->probability;
    } else {
        lss_deal_change ch;
        lss__deal_change_get(&ch, d, entry_before(&d->hist, d->last_at, t));
        r->stage = ch.stage;
        r->amount = ch.amount;
        r->owner = ch.owner;
        r->last_at = ch.at;
        r->expected_close = ch.expected_close;
        r->forecast = lss_forecast_category_name(ch.forecast);
        own = ch.probability;
    }
    r->probability = own >= 0                     ? own
                     : r->stage == LSS_STAGE_WON  ? 100
                     : r->stage == LSS_STAGE_LOST ? 0
                                                  : lss__stage_probability(db, d->pipeline, r->stage, t);
    return true;
}

static bool ticket_row(lss_ticket_row *r, const lss_ticket *t, lss_time as_of)
{
    if (t->opened_at >= as_of)
        return false;
    r->ticket = t;
    r->customer = t->customer;
    r->kind = (lss_ticket_kind)t->kind;
    r->channel = (lss_channel)t->channel;
    r->opened = t->opened_at;
    const lss__ticket_change *h = t->hist.data;
    uint32_t i = entry_before(&t->hist, t->last_at, as_of);
    r->state = (lss_ticket_state)LSS__TC_STATE(&h[i]);
    r->assignee = NULL;
    r->first_response = LSS_TIME_NONE;
    if (i == t->hist.count - 1) {
        r->assignee = t->assignee;
        r->first_response = lss__ticket_mark(t, t->contact_after);
    } else {
        for (uint32_t k = 0; k <= i; k++) {
            unsigned kind = LSS__TC_KIND(&h[k]);
            if (kind == LSS_TICKET_EV_ASSIGN)
                r->assignee = h[k].v.agent;
            else if (kind == LSS_TICKET_EV_CONTACT && r->first_response == LSS_TIME_NONE)
                r->first_response = lss__w_at(h[k].w);
        }
    }
    lss_sla_state s;
    if (lss_ticket_sla(&s, t, as_of) != LSS_OK)
        return false;
    r->priority = s.priority; /* as of the moment: ticket.priority changes it */
    r->first_response_due = s.running && s.first_response == LSS_SLA_UNDECIDED ? s.first_response_due : LSS_TIME_NONE;
    r->resolution_due = s.running && s.resolution == LSS_SLA_UNDECIDED ? s.resolution_due : LSS_TIME_NONE;
    r->sla = s.first_response == LSS_SLA_MISSED || s.resolution == LSS_SLA_MISSED ? LSS_SLA_MISSED
             : s.first_response == LSS_SLA_MET && s.resolution == LSS_SLA_MET   ? LSS_SLA_MET
                                                                                : LSS_SLA_UNDECIDED;
    return true;
}

static bool customer_row(lss_customer_row *r, const lss_customer *c, lss_time t)
{
    if (LSS__ADDED_AT(c) >= t)
        return false;
    r->customer = c;
    r->name = c->name;
    r->email = c->email;
    r->company = c->company;
    r->segment = c->segment;
    for (uint32_t i = 0; i < lss__changes_count(c); i++) {
        const lss__customer_change *x = LSS__CHANGE(c, i);
        if (x->at >= t)
            break;
        if (x->name)
            r->name = x->name;
        if (x->email)
            r->email = x->email;
        if (x->company)
            r->company = x->company;
        if (x->segment)
            r->segment = x->segment;
    }
    if (LSS__ERASED(c)) {
        r->name = "[erased]";
        r->email = r->company = NULL;
    }
    r->source = (lss_source)LSS__SOURCE(c);
    r->state = lss_customer_state_at(c, t);
    r->added = LSS__ADDED_AT(c);
    return true;
}

/* ---- the query ---------------------------------------------------------- */

typedef union row {
    lss_deal_row d;
    lss_ticket_row t;
    lss_customer_row c;
    lss_task_row k;
} row;

static bool task_row(lss_task_row *r, const lss_task *t, lss_time as_of)
{
    if (t->added_at >= as_of)
        return false;
    r->task = t;
    r->customer = t->customer;
    r->kind = (lss_activity_kind)t->kind;
    r->deal = t->deal;
    r->ticket = t->ticket;
    lss_task_at(&r->state, &r->due, &r->member, t, as_of);
    return true;
}

typedef struct match {
    uint32_t id;
    int64_t v;      /* the sort value; LSS_TIME_NONE (INT64_MIN): absent */
    uint64_t p[2];  /* the first 16 bytes of the sort text, big-endian, NUL padded */
    const char *s;  /* the sort text: the name (customers by name), else the key */
    const char *key;
} match;

/* The text's first 16 bytes as two numbers that compare as strcmp does, so
 * that a sort touches the text itself only when they are equal. */
static void text_prefix(uint64_t p[2], const char *s)
{
    unsigned char b[16] = { 0 };
    for (size_t i = 0; i < 16 && s[i]; i++)
        b[i] = (unsigned char)s[i];
    p[0] = p[1] = 0;
    for (int i = 0; i < 8; i++) {
        p[0] = p[0] << 8 | b[i];
        p[1] = p[1] << 8 | b[8 + i];
    }
}

/* strcmp of the two sort texts. */
static int text_cmp(const match *a, const match *b)
{
    for (int i = 0; i < 2; i++)
        if (a->p[i] != b->p[i])
            return a->p[i] < b->p[i] ? -1 : 1;
    return (a->p[1] & 0xffu) ? strcmp(a->s + 16, b->s + 16) : 0; /* both go on past the 16 bytes, or both end in them */
}

typedef struct query {
    lss_db *db;
    const lss_list_filter *f;
    lss_time as_of;
    bool now;                      /* as_of is after the latest event: the indexes apply */
    int sort;                      /* index into the kind's sort fields */
    const lss_customer *customer;
    const lss_member *owner, *assignee, *member;
    lss_time due_from, due_to;
    const char *team;              /* interned, or NULL */
    bool team_none;                /* a team no member has: nothing matches */
    unsigned stages, states, prios;
    int32_t pipeline;              /* -1: any */
    lss_time from, to, breach;
    size_t needle_len;
    /* the matches */
    match *m;
    uint32_t n, cap;
    lss_status st;                 /* LSS_NOMEM while gathering */
    uint8_t *seen;                 /* candidates already checked (a plan that may repeat one) */
} query;

static const char *const sorts[4][6] = {
    { "key", "opened", "expected_close", "amount", "last_at", NULL },
    { "key", "opened", "priority", "first_response_due", "resolution_due", NULL },
    { "key", "added", "name", NULL, NULL, NULL },
    { "key", "due", NULL, NULL, NULL, NULL },
};

/* ASCII case-insensitive: does s contain the needle? */
static bool contains(const char *s, const char *needle, size_t nlen)
{
    if (s == NULL)
        return false;
    for (; *s; s++) {
        size_t i = 0;
        while (i < nlen && s[i]) {
            unsigned char a = (unsigned char)s[i], b = (unsigned char)needle[i];
            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a + 32);
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b + 32);
            if (a != b)
                break;
            i++;
        }
        if (i == nlen)
            return true;
    }
    return false;
}

/* Is the row of candidate id a match? Its sort value into *mt. */
static bool check(query *q, uint32_t id, row *r, match *mt)
{
    const lss_list_filter *f = q->f;
    lss_time t = q->as_of;
    switch (f->kind) {
    case LSS_LIST_DEALS: {
        const lss_deal *d = lss__slab_get(&q->db->deals, id);
        lss_deal_row *x = &r->d;
        if (!deal_row(x, q->db, d, t) || (q->customer && x->customer != q->customer) ||
            (q->owner && x->owner != q->owner) || (q->team && x->owner->team != q->team) || q->team_none ||
            !(q->stages >> x->stage & 1u) || (q->pipeline >= 0 && d->pipeline != q->pipeline))
            return false;
        if ((q->from != LSS_TIME_NONE || q->to != LSS_TIME_NONE) &&
            (x->expected_close == LSS_TIME_NONE || (q->from != LSS_TIME_NONE && x->expected_close < q->from) ||
             (q->to != LSS_TIME_NONE && x->expected_close >= q->to)))
            return false;
        int64_t v[] = { 0, x->opened, x->expected_close, x->amount, x->last_at };
        mt->v = v[q->sort];
        mt->key = d->key;
        break;
    }
    case LSS_LIST_TICKETS: {
        const lss_ticket *tk = lss__slab_get(&q->db->tickets, id);
        lss_ticket_row *x = &r->t;
        if (!ticket_row(x, tk, t) || (q->customer && x->customer != q->customer) ||
            (q->assignee && x->assignee != q->assignee) || (f->unassigned && x->assignee) ||
            !(q->states >> x->state & 1u) || !(q->prios >> x->priority & 1u) ||
            (f->channel >= 0 && (int)x->channel != f->channel))
            return false;
        if (q->breach != LSS_TIME_NONE && !((x->first_response_due != LSS_TIME_NONE && x->first_response_due < q->breach) ||
                                             (x->resolution_due != LSS_TIME_NONE && x->resolution_due < q->breach)))
            return false;
        int64_t v[] = { 0, x->opened, LSS_PRIORITY_URGENT - x->priority, x->first_response_due, x->resolution_due };
        mt->v = v[q->sort];
        mt->key = tk->key;
        break;
    }
    case LSS_LIST_CUSTOMERS: {
        const lss_customer *c = lss__slab_get(&q->db->customers, id);
        lss_customer_row *x = &r->c;
        if (!customer_row(x, c, t) || (f->segment && (x->segment == NULL || strcmp(x->segment, f->segment))) ||
            (f->source >= 0 && (int)x->source != f->source) || (f->state >= 0 && (int)x->state != f->state))
            return false;
        if (f->search && (LSS__ERASED(c) || !(contains(x->name, f->search, q->needle_len) ||
                                               contains(x->email, f->search, q->needle_len) ||
                                               contains(x->company, f->search, q->needle_len))))
            return false;
        mt->v = q->sort == 1 ? x->added : 0;
        mt->s = q->sort == 2 ? x->name : NULL;
        mt->key = c->key;
        break;
    }
    case LSS_LIST_TASKS: {
        const lss_task *k = lss__slab_get(&q->db->tasks, id);
        lss_task_row *x = &r->k;
        if (!task_row(x, k, t) || (q->customer && x->customer != q->customer) ||
            (q->member && x->member != q->member) || !(q->states >> x->state & 1u) ||
            (q->due_from != LSS_TIME_NONE && x->due < q->due_from) || (q->due_to != LSS_TIME_NONE && x->due >= q->due_to) ||
            (f->overdue && !(x->state == LSS_TASK_OPEN && x->due < t)))
            return false;
        mt->v = q->sort == 1 ? x->due : 0;
        mt->key = k->key;
        break;
    }
    }
    if (mt->s == NULL)
        mt->s = mt->key;
    text_prefix(mt->p, mt->s);
    mt->id = id;
    return true;
}

static bool candidate(void *p, uint32_t id)
{
    query *q = p;
    if (q->seen) {
        if (q->seen[id >> 3] >> (id & 7) & 1u)
            return true;
        q->seen[id >> 3] |= (uint8_t)(1u << (id & 7));
    }
    row r;
    match mt = { 0 };
    if (!check(q, id, &r, &mt))
        return true;
    if (q->n == q->cap) {
        uint32_t cap = q->cap ? q->cap * 2 : 64;
        match *m = lss__realloc(q->m, (size_t)cap * sizeof *m);
        if (m == NULL) {
            q->st = LSS_NOMEM;
            return false;
        }
        q->m = m;
        q->cap = cap;
    }
    q->m[q->n++] = mt;
    return true;
}

static _Thread_local const query *sorting;

static int order(const match *a, const match *b, const query *q)
{
    if (q->sort != 0) {
        int c;
        if (q->f->kind == LSS_LIST_CUSTOMERS && q->sort == 2) {
            c = text_cmp(a, b);
        } else {
            bool na = a->v == LSS_TIME_NONE, nb = b->v == LSS_TIME_NONE;
            if (na != nb)
                return na ? 1 : -1; /* absent last, either direction */
            c = a->v < b->v ? -1 : a->v > b->v;
        }
        if (c)
            return q->f->desc ? -c : c;
        return a->s == a->key ? text_cmp(a, b) : strcmp(a->key, b->key); /* ties: by key */
    }
    return q->f->desc ? text_cmp(b, a) : text_cmp(a, b);
}

static int order_cmp(const void *a, const void *b) { return order(a, b, sorting); }

static uint32_t count_of(const lss_db *db, lss_list_kind k)
{
    return k == LSS_LIST_DEALS     ? db->deals.count
           : k == LSS_LIST_TICKETS ? db->tickets.count
           : k == LSS_LIST_TASKS   ? db->tasks.count
                                   : db->customers.count;
}

/* For a plan that may yield a candidate twice. */
static bool seen_make(query *q, uint32_t n)
{
    if ((q->seen = lss__malloc(n / 8 + 1)) == NULL) {
        q->st = LSS_NOMEM;
        return false;
    }
    memset(q->seen, 0, n / 8 + 1);
    return true;
}

/* Where the candidates come from. */
static void gather(query *q)
{
    const lss_list_filter *f = q->f;
    lss_db *db = q->db;
    if (q->customer && f->kind != LSS_LIST_CUSTOMERS && f->kind != LSS_LIST_TASKS) {
        if (f->kind == LSS_LIST_DEALS) {
            const lss_deal *d;
            LSS__EACH(d, q->customer, last_deal)
                if (!candidate(q, d->id))
                    return;
        } else {
            const lss_ticket *t;
            LSS__EACH(t, q->customer, last_ticket)
                if (!candidate(q, t->id))
                    return;
        }
        return;
    }
    if (f->kind == LSS_LIST_CUSTOMERS && f->search && q->needle_len >= 3 && !lss__list_scan) {
        /* names of every moment are in the text index: as of any moment */
        if (!seen_make(q, db->customers.count))
            return;
        lss__lx_customers_text(db, f->search, candidate, q);
        return;
    }
    if (q->now && !lss__list_scan) {
        switch (f->kind) {
        case LSS_LIST_DEALS:
            if (q->owner) {
                lss__lx_deals_owner(db, q->owner->id, q->stages, candidate, q);
                return;
            }
            if (q->from != LSS_TIME_NONE || q->to != LSS_TIME_NONE) {
                lss__lx_deals_closing(db, q->from == LSS_TIME_NONE ? INT64_MIN + 1 : q->from,
                                      q->to == LSS_TIME_NONE ? INT64_MAX : q->to, candidate, q);
                return;
            }
            if (q->team) {
                for (uint32_t m = 0; m < db->members.count; m++) {
                    const lss_member *mb = lss__slab_get(&db->members, m);
                    if (mb->team == q->team && !lss__lx_deals_owner(db, m, q->stages, candidate, q))
                        return; /* out of memory */
                }
                return;
            }
            if (q->stages != 0x3fu) {
                lss__lx_deals_owner(db, LSS__NONE, q->stages, candidate, q);
                return;
            }
            break;
        case LSS_LIST_TICKETS: {
            const unsigned active = 1u << LSS_TICKET_NEW | 1u << LSS_TICKET_OPEN | 1u << LSS_TICKET_PENDING;
            if (q->breach != LSS_TIME_NONE) {
                /* a due at or before as_of is already decided; the check says exactly.
                 * Both targets of a ticket may fall in the range. */
                if (!seen_make(q, db->tickets.count))
                    return;
                lss__lx_tickets_due(db, q->as_of - 1, q->breach, candidate, q);
                return;
            }
            if (q->assignee || f->unassigned) {
                lss__lx_tickets_assignee(db, q->assignee ? q->assignee->id : LSS__NONE, (q->states & ~active) == 0,
                                         candidate, q);
                return;
            }
            if (q->states != 0x1fu || q->prios != 0xfu) {
                lss__lx_tickets_state(db, q->states, q->prios, candidate, q);
                return;
            }
            break;
        }
        case LSS_LIST_CUSTOMERS:
            if (f->segment || f->source >= 0 || f->state >= 0) {
                lss__lx_customers(db, f->segment, f->source, f->state, candidate, q);
                return;
            }
            break;
        case LSS_LIST_TASKS: /* no index: every task is a candidate */
            break;
        }
    }
    uint32_t n = count_of(db, f->kind);
    for (uint32_t id = 0; id < n; id++)
        if (!candidate(q, id))
            return;
}

/* ---- the filter's checks -------------------------------------------------- */

static lss_status bad(const lss_db *db, const lss_list_filter *f, const char *what, const char *fmt, const char *value)
{
    char v[160];
    snprintf(v, sizeof v, fmt, value);
    return lss__fail(db, LSS_INVALID, "list %s: %s: %s", lss_list_kind_name(f->kind), what, v);
}

static lss_status key_of(query *q, unsigned ref, const char *filter, const char *key, const void **out)
{
    if (key == NULL)
        return LSS_OK;
    if ((*out = lss__entity_get(q->db, ref, key)) == NULL)
        return lss__fail(q->db, LSS_NOT_FOUND, "list %s: filter %s: %s \"%s\" not found",
                         lss_list_kind_name(q->f->kind), filter, lss__ref_noun(ref), key);
    return LSS_OK;
}

static lss_status time_ok(query *q, const char *filter, lss_time t)
{
    if (t != LSS_TIME_NONE && (t < 0 || t > LSS_TIME_MAX)) {
        char v[32];
        snprintf(v, sizeof v, "%lld", (long long)t);
        return bad(q->db, q->f, filter, "%s is not a time between 1970 and 9999", v);
    }
    return LSS_OK;
}

static lss_status prepare(query *q)
{
    const lss_list_filter *f = q->f;
    lss_db *db = q->db;
    const char *kind = lss_list_kind_name(f->kind);
    lss_status st;
    if (f->version != 1 && f->version != LSS_LIST_FILTER_VERSION)
        return lss__fail(db, LSS_INVALID, "list: filter version %u is not 1 or %u (use lss_list_filter_init)",
                         f->version, LSS_LIST_FILTER_VERSION);
    bool v2 = f->version >= 2; /* version 1 ends before the task filters */
    const char *member = v2 ? f->member : NULL;
    lss_time due_from = v2 ? f->due_from : LSS_TIME_NONE, due_to = v2 ? f->due_to : LSS_TIME_NONE;
    int overdue = v2 ? f->overdue : 0;
    if (!v2 && f->kind == LSS_LIST_TASKS)
        return lss__fail(db, LSS_INVALID, "list tasks: a version 1 filter has no task filters (use version 2)");
    if (kind == NULL)
        return lss__fail(db, LSS_INVALID, "list: kind %d is not a list", (int)f->kind);
    /* the filters of other kinds */
    struct {
        const char *name;
        bool set;
        unsigned kinds; /* bit per kind it applies to */
    } other[] = {
        { "customer", f->customer != NULL, 11u },    { "open", f->open != 0, 3u },
        { "owner", f->owner != NULL, 1u },           { "team", f->team != NULL, 1u },
        { "pipeline", f->pipeline != NULL, 1u },     { "stage", f->stages != 0, 1u },
        { "closing_from", f->closing_from != LSS_TIME_NONE, 1u },
        { "closing_to", f->closing_to != LSS_TIME_NONE, 1u },
        { "state", f->states != 0, 10u },            { "assignee", f->assignee != NULL, 2u },
        { "unassigned", f->unassigned != 0, 2u },    { "priority", f->priorities != 0, 2u },
        { "channel", f->channel != -1, 2u },         { "breach_before", f->breach_before != LSS_TIME_NONE, 2u },
        { "segment", f->segment != NULL, 4u },       { "source", f->source != -1, 4u },
        { "state", f->state != -1, 4u },             { "search", f->search != NULL, 4u },
        { "member", member != NULL, 8u },            { "due_from", due_from != LSS_TIME_NONE, 8u },
        { "due_to", due_to != LSS_TIME_NONE, 8u },   { "overdue", overdue != 0, 8u },
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        if (other[i].set && !(other[i].kinds >> f->kind & 1u))
            return lss__fail(db, LSS_INVALID, "list %s: filter %s does not apply to %s", kind, other[i].name, kind);
    /* order and page */
    q->sort = -1;
    for (int i = 0; sorts[f->kind][i]; i++)
        if (strcmp(f->sort ? f->sort : "key", sorts[f->kind][i]) == 0)
            q->sort = i;
    if (q->sort < 0) {
        char exp[96] = "";
        for (int i = 0; sorts[f->kind][i]; i++)
            snprintf(exp + strlen(exp), sizeof exp - strlen(exp), "%s%s", i ? ", " : "", sorts[f->kind][i]);
        return lss__fail(db, LSS_INVALID, "list %s: sort: unknown field \"%s\" (expected %s)", kind, f->sort, exp);
    }
    if (f->limit <= 0) {
        char v[32];
        snprintf(v, sizeof v, "%lld", (long long)f->limit);
        return bad(db, f, "limit", "%s is not a number of rows (at least 1)", v);
    }
    if ((f->desc != 0 && f->desc != 1) || (f->open != 0 && f->open != 1) || (f->unassigned != 0 && f->unassigned != 1) ||
        (overdue != 0 && overdue != 1))
        return bad(db, f, "desc, open, unassigned, overdue", "%s", "each is 0 or 1");
    /* moments */
    if ((st = time_ok(q, "as_of", f->as_of)) || (st = time_ok(q, "closing_from", f->closing_from)) ||
        (st = time_ok(q, "closing_to", f->closing_to)) || (st = time_ok(q, "breach_before", f->breach_before)) ||
        (st = time_ok(q, "due_from", due_from)) || (st = time_ok(q, "due_to", due_to)))
        return st;
    if (due_from != LSS_TIME_NONE && due_to != LSS_TIME_NONE && due_from > due_to)
        return lss__fail(db, LSS_INVALID, "list tasks: due_from (%lld) is after due_to (%lld)", (long long)due_from,
                         (long long)due_to);
    q->due_from = due_from;
    q->due_to = due_to;
    q->as_of = f->as_of == LSS_TIME_NONE ? db->last_time + 1 : f->as_of;
    q->now = q->as_of > db->last_time;
    if (f->closing_from != LSS_TIME_NONE && f->closing_to != LSS_TIME_NONE && f->closing_from > f->closing_to)
        return lss__fail(db, LSS_INVALID, "list %s: closing_from (%lld) is after closing_to (%lld)", kind,
                         (long long)f->closing_from, (long long)f->closing_to);
    q->from = f->closing_from;
    q->to = f->closing_to;
    q->breach = f->breach_before;
    /* sets of values */
    char v[32];
    snprintf(v, sizeof v, "0x%x", f->stages);
    if (f->stages & ~0x3fu)
        return bad(db, f, "stage", "mask %s names a value that is not a stage", v);
    snprintf(v, sizeof v, "0x%x", f->states);
    if (f->kind == LSS_LIST_TASKS ? (f->states & ~0x7u) != 0 : (f->states & ~0x1fu) != 0)
        return bad(db, f, "state", f->kind == LSS_LIST_TASKS ? "mask %s names a value that is not a task state"
                                                             : "mask %s names a value that is not a ticket state", v);
    snprintf(v, sizeof v, "0x%x", f->priorities);
    if (f->priorities & ~0xfu)
        return bad(db, f, "priority", "mask %s names a value that is not a priority", v);
    snprintf(v, sizeof v, "%d", f->channel);
    if (f->channel != -1 && lss_channel_name(f->channel) == NULL)
        return bad(db, f, "channel", "%s is not a channel", v);
    snprintf(v, sizeof v, "%d", f->source);
    if (f->source != -1 && lss_source_name(f->source) == NULL)
        return bad(db, f, "source", "%s is not a source", v);
    snprintf(v, sizeof v, "%d", f->state);
    if (f->state != -1 && lss_customer_state_name(f->state) == NULL)
        return bad(db, f, "state", "%s is not a customer state", v);
    q->stages = f->stages ? f->stages : 0x3fu;
    if (f->open)
        q->stages &= 0xfu; /* prospect .. negotiated */
    q->states = f->states ? f->states : 0x1fu;
    if (f->open && f->kind == LSS_LIST_TICKETS)
        q->states &= 1u << LSS_TICKET_NEW | 1u << LSS_TICKET_OPEN | 1u << LSS_TICKET_PENDING;
    q->prios = f->priorities ? f->priorities : 0xfu;
    if (f->assignee && f->unassigned)
        return lss__fail(db, LSS_INVALID, "list tickets: assignee \"%s\" and unassigned exclude each other", f->assignee);
    if (f->search) {
        q->needle_len = strlen(f->search);
        if (q->needle_len == 0 || q->needle_len > LSS__NAME_MAX)
            return bad(db, f, "search", "%s", "the text is empty or longer than 256 bytes");
    }
    /* keys */
    if ((st = key_of(q, LSS__REF_CUSTOMER, "customer", f->customer, (const void **)&q->customer)) ||
        (st = key_of(q, LSS__REF_MEMBER, "owner", f->owner, (const void **)&q->owner)) ||
        (st = key_of(q, LSS__REF_MEMBER, "assignee", f->assignee, (const void **)&q->assignee)) ||
        (st = key_of(q, LSS__REF_MEMBER, "member", member, (const void **)&q->member)))
        return st;
    q->pipeline = f->pipeline ? lss__pipeline_find(db, f->pipeline) : -1;
    if (f->pipeline && q->pipeline < 0)
        return lss__fail(db, LSS_NOT_FOUND, "list deals: filter pipeline: pipeline \"%s\" not found", f->pipeline);
    if (f->team) {
        q->team = lss__intern_find(&db->teams, f->team);
        q->team_none = q->team == NULL;
    }
    return LSS_OK;
}

lss_status lss_list_run(lss_list **out, lss_db *db, const lss_list_filter *f)
{
    if (out)
        *out = NULL;
    if (out == NULL || db == NULL || f == NULL)
        return lss__fail(db, LSS_INVALID, "list: NULL argument");
    query q = { 0 };
    q.db = db;
    q.f = f;
    lss__lock(db);
    lss_status st = prepare(&q);
    if (st == LSS_OK && (q.now || (f->kind == LSS_LIST_CUSTOMERS && f->search)) && lss__lx_ready(db) != LSS_OK)
        st = lss__fail(db, LSS_NOMEM, "list %s: out of memory for the list indexes", lss_list_kind_name(f->kind));
    if (st == LSS_OK) {
        gather(&q);
        if (q.st)
            st = lss__fail(db, LSS_NOMEM, "list %s: out of memory", lss_list_kind_name(f->kind));
    }
    uint32_t first = 0;
    if (st == LSS_OK) {
        if (q.n > 1) {
            sorting = &q;
            qsort(q.m, q.n, sizeof q.m[0], order_cmp);
            sorting = NULL;
        }
        if (f->after) {
            uint32_t i = 0;
            while (i < q.n && strcmp(q.m[i].key, f->after) != 0)
                i++;
            if (i == q.n)
                st = lss__fail(db, LSS_NOT_FOUND, "list %s: after: \"%s\" is not a row of the list",
                               lss_list_kind_name(f->kind), f->after);
            first = i + 1;
        }
    }
    if (st == LSS_OK) {
        uint32_t left = q.n - first;
        uint32_t n = (uint64_t)f->limit < left ? (uint32_t)f->limit : left;
        lss_list *l = lss__malloc(sizeof *l + (size_t)n * sizeof l->ids[0]);
        if (l == NULL) {
            st = lss__fail(db, LSS_NOMEM, "list %s: out of memory", lss_list_kind_name(f->kind));
        } else {
            l->db = db;
            l->kind = f->kind;
            l->as_of = q.as_of;
            l->count = n;
            l->matched = q.n;
            for (uint32_t i = 0; i < n; i++)
                l->ids[i] = q.m[first + i].id;
            *out = l;
        }
    }
    lss__unlock(db);
    lss__free(q.m);
    lss__free(q.seen);
    return st;
}

uint32_t lss_list_count(const lss_list *l) { return l ? l->count : 0; }
uint32_t lss_list_matched(const lss_list *l) { return l ? l->matched : 0; }
lss_list_kind lss_list_kind_of(const lss_list *l) { return l ? l->kind : LSS_LIST_DEALS; }
lss_time lss_list_as_of(const lss_list *l) { return l ? l->as_of : LSS_TIME_NONE; }
void lss_list_free(lss_list *l) { lss__free(l); }

static lss_status row_get(row *r, const lss_list *l, uint32_t i, lss_list_kind kind)
{
    if (r == NULL || l == NULL || l->kind != kind)
        return lss__fail(l ? l->db : NULL, LSS_INVALID, "list row: NULL argument or a list of %s",
                         l ? lss_list_kind_name(l->kind) : "nothing");
    if (i >= l->count)
        return lss__fail(l->db, LSS_NOT_FOUND, "list row: %u is beyond the %u rows", i, l->count);
    lss__lock(l->db);
    switch (kind) {
    case LSS_LIST_DEALS: deal_row(&r->d, l->db, lss__slab_get(&l->db->deals, l->ids[i]), l->as_of); break;
    case LSS_LIST_TICKETS: ticket_row(&r->t, lss__slab_get(&l->db->tickets, l->ids[i]), l->as_of); break;
    case LSS_LIST_CUSTOMERS: customer_row(&r->c, lss__slab_get(&l->db->customers, l->ids[i]), l->as_of); break;
    case LSS_LIST_TASKS: task_row(&r->k, lss__slab_get(&l->db->tasks, l->ids[i]), l->as_of); break;
    }
    lss__unlock(l->db);
    return LSS_OK;
}

lss_status lss_list_deal(lss_deal_row *out, const lss_list *l, uint32_t i)
{
    row r;
    lss_status st = row_get(&r, l, i, LSS_LIST_DEALS);
    if (st == LSS_OK)
        *out = r.d;
    return st;
}

lss_status lss_list_ticket(lss_ticket_row *out, const lss_list *l, uint32_t i)
{
    row r;
    lss_status st = row_get(&r, l, i, LSS_LIST_TICKETS);
    if (st == LSS_OK)
        *out = r.t;
    return st;
}

lss_status lss_list_customer(lss_customer_row *out, const lss_list *l, uint32_t i)
{
    row r;
    lss_status st = row_get(&r, l, i, LSS_LIST_CUSTOMERS);
    if (st == LSS_OK)
        *out = r.c;
    return st;
}

lss_status lss_list_task(lss_task_row *out, const lss_list *l, uint32_t i)
{
    row r;
    lss_status st = row_get(&r, l, i, LSS_LIST_TASKS);
    if (st == LSS_OK)
        *out = r.k;
    return st;
}

size_t lss_list_index_bytes(const lss_db *db)
{
    if (db == NULL)
        return 0;
    lss__lock(db);
    size_t n = lss__lx_bytes(db);
    lss__unlock(db);
    return n;
}
