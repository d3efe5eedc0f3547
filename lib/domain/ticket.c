/* Service tickets: the lifecycle as a transition table, contacts, ratings,
 * service levels and the SLA clock. */
#include "domain/rules.h"

#include <stdlib.h>

#define BIT(s) (1u << (s))
#define KEEP 0xFF /* result: the state does not change */

/* One row per ticket event (indexed by lss_ticket_change_kind): the states
 * it may start from, the state it leads to, and the rule for messages.
 * docs/tickets.md is made from this table. */
static const struct ticket_rule {
    const char *ctx;
    const char *verb;
    unsigned from;
    uint8_t to;
    uint8_t to_from_new; /* result when starting in new (assign, contact) */
    const char *rule;
} ticket_rules[] = {
    [LSS_TICKET_EV_OPEN] = { "ticket.open", "open", 0, LSS_TICKET_NEW, LSS_TICKET_NEW, "a ticket opens in new" },
    [LSS_TICKET_EV_ASSIGN] = { "ticket.assign", "assign",
                              BIT(LSS_TICKET_NEW) | BIT(LSS_TICKET_OPEN) | BIT(LSS_TICKET_PENDING) | BIT(LSS_TICKET_RESOLVED),
                              KEEP, LSS_TICKET_OPEN, "assign only before the ticket is closed" },
    [LSS_TICKET_EV_CONTACT] = { "ticket.contact", "record a contact",
                               BIT(LSS_TICKET_NEW) | BIT(LSS_TICKET_OPEN) | BIT(LSS_TICKET_PENDING), KEEP,
                               LSS_TICKET_OPEN, "contacts only in new, open or pending" },
    [LSS_TICKET_EV_WAIT] = { "ticket.wait", "wait", BIT(LSS_TICKET_OPEN), LSS_TICKET_PENDING, 0,
                             "wait only from open" },
    [LSS_TICKET_EV_RESUME] = { "ticket.resume", "resume", BIT(LSS_TICKET_PENDING), LSS_TICKET_OPEN, 0,
                             "resume only from pending" },
    [LSS_TICKET_EV_RESOLVE] = { "ticket.resolve", "resolve", BIT(LSS_TICKET_OPEN) | BIT(LSS_TICKET_PENDING),
                                 LSS_TICKET_RESOLVED, 0, "resolve only from open or pending" },
    [LSS_TICKET_EV_REOPEN] = { "ticket.reopen", "reopen", BIT(LSS_TICKET_RESOLVED), LSS_TICKET_OPEN, 0,
                              "reopen only from resolved" },
    [LSS_TICKET_EV_CLOSE] = { "ticket.close", "close", BIT(LSS_TICKET_RESOLVED), LSS_TICKET_CLOSED, 0,
                               "close only from resolved" },
    [LSS_TICKET_EV_RATE] = { "ticket.rate", "rate", BIT(LSS_TICKET_RESOLVED) | BIT(LSS_TICKET_CLOSED), KEEP, 0,
                           "rate only once resolved or closed" },
    [LSS_TICKET_EV_PRIORITY] = { "ticket.priority", "change the priority",
                                 BIT(LSS_TICKET_NEW) | BIT(LSS_TICKET_OPEN) | BIT(LSS_TICKET_PENDING), KEEP,
                                 LSS_TICKET_NEW, "the priority changes only in new, open or pending" },
};

/* ---- SLA targets ------------------------------------------------------------ */

static const int64_t default_sla[4][2] = {
    [LSS_PRIORITY_LOW] = { 24 * 3600, 120 * 3600 },
    [LSS_PRIORITY_NORMAL] = { 8 * 3600, 72 * 3600 },
    [LSS_PRIORITY_HIGH] = { 4 * 3600, 24 * 3600 },
    [LSS_PRIORITY_URGENT] = { 1 * 3600, 8 * 3600 },
};

/* The latest sla.set for the priority with at <= t (the last applied wins a
 * tie): its targets and calendar (1 + its key's first definition; 0: none). */
static void sla_targets(const lss_db *db, unsigned priority, lss_time t, int64_t *resp, int64_t *res, uint32_t *cal)
{
    lss_time best = LSS_TIME_NONE;
    *resp = default_sla[priority][0];
    *res = default_sla[priority][1];
    if (cal)
        *cal = 0;
    for (uint32_t i = 0; i < db->sla.count; i++) {
        const lss__sla_change *s = &LSS__VEC_AT(&db->sla, lss__sla_change, i);
        if (s->priority == priority && s->at <= t && s->at >= best) {
            best = s->at;
            *resp = s->response;
            *res = s->resolution;
            if (cal)
                *cal = s->cal;
        }
    }
}

/* 1 + the index of the first definition of calendar `key`; 0: none. */
static uint32_t calendar_id(const lss_db *db, const char *key)
{
    for (uint32_t i = 0; i < db->cals.count; i++)
        if (strcmp(LSS__VEC_AT(&db->cals, lss__cal_def, i).key, key) == 0)
            return i + 1;
    return 0;
}

const lss__policy *lss__policy_at(lss_db *db, lss_time t)
{
    lss__policy p;
    memset(&p, 0, sizeof p);
    for (unsigned k = 0; k <= LSS_PRIORITY_URGENT; k++) {
        int64_t resp, res;
        uint32_t cal;
        sla_targets(db, k, t, &resp, &res, &cal);
        p.response[k] = (int32_t)resp; /* <= LSS__DURATION_MAX */
        p.resolution[k] = (int32_t)res;
        p.cal[k] = cal ? lss__calendar_at(db, LSS__VEC_AT(&db->cals, lss__cal_def, cal - 1).key, t) : NULL;
    }
    for (uint32_t i = db->policies.count; i-- > 0;) { /* the latest first: tickets open in time order mostly */
        const lss__policy *q = lss__slab_get(&db->policies, i);
        if (memcmp(q->response, p.response, sizeof p.response) == 0 &&
            memcmp(q->resolution, p.resolution, sizeof p.resolution) == 0 && memcmp(q->cal, p.cal, sizeof p.cal) == 0)
            return q;
    }
    if (lss__slab_reserve(&db->policies))
        return NULL;
    lss__policy *n = lss__slab_push(&db->policies);
    *n = p;
    n->id = db->policies.count - 1;
    return n;
}

lss_status lss__sla_set_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c);
    int64_t priority = c->ev.i[0], first_response = c->ev.i[1], resolution = c->ev.i[2];
    lss_status st;
    if (lss_priority_name((int)priority) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: field \"priority\": %d is not a priority", ctx, (int)priority);
    bool fr = first_response < 0 || first_response > LSS__DURATION_MAX;
    if (fr || resolution < 0 || resolution > LSS__DURATION_MAX)
        return lss__fail(db, LSS_INVALID, "%s: priority %s: field \"%s\": %lld is out of range (0 to %lld seconds)",
                         ctx, lss_priority_name((int)priority), fr ? "first_response" : "resolution",
                         (long long)(fr ? first_response : resolution), (long long)LSS__DURATION_MAX);
    if (c->ev.s[0] != NULL) {
        if ((st = lss__check_key(db, ctx, "calendar", c->ev.s[0])))
            return st;
        if (calendar_id(db, c->ev.s[0]) == 0)
            return lss__fail(db, LSS_NOT_FOUND, "%s: priority %s: calendar \"%s\" does not exist", ctx,
                             lss_priority_name((int)priority), c->ev.s[0]);
    }
    return LSS_OK;
}

lss_status lss__sla_set_reserve(lss_db *db, lss__cmd *c)
{
    (void)c;
    return lss__vec_reserve(&db->sla, sizeof(lss__sla_change), 1);
}

void lss__sla_set_apply(lss_db *db, lss__cmd *c)
{
    lss__sla_change s = { c->ev.at, c->ev.i[1], c->ev.i[2], lss__next_seq(db),
                          c->ev.s[0] ? calendar_id(db, c->ev.s[0]) : 0u, (uint8_t)c->ev.i[0] };
    LSS__VEC_AT(&db->sla, lss__sla_change, db->sla.count++) = s;
}

lss_status lss_sla_targets_at(int64_t *first_response, int64_t *resolution, const lss_db *db, lss_priority priority,
                              lss_time t)
{
    if (first_response == NULL || resolution == NULL || db == NULL || lss_priority_name((int)priority) == NULL)
        return lss__fail(db, LSS_INVALID, "sla: invalid argument");
    lss__lock(db);
    sla_targets(db, priority, t, first_response, resolution, NULL);
    lss__unlock(db);
    return LSS_OK;
}

/* ---- open ---------------------------------------------------------------------- */

lss_status lss__ticket_open_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s, *key = s[0];
    const int64_t *i = c->ev.i;
    const lss_customer *cu;
    const lss_deal *d;
    lss_status st;
    if ((st = lss__check_key(db, ctx, "key", key)) || (st = lss__cmd_key(db, c, 1)) ||
        (st = lss__check_text(db, ctx, "subject", s[2], LSS__TITLE_MAX, false, false)))
        return st;
    int bad = lss_ticket_kind_name((int)i[0]) == NULL ? 0
              : lss_channel_name((int)i[1]) == NULL   ? 1
              : lss_priority_name((int)i[2]) == NULL  ? 2
                                                      : -1;
    if (bad >= 0)
        return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"%s\": %d is not valid", ctx, key,
                         lss__ev_descs[c->ev.kind].iname[bad], (int)i[bad]);
    if ((cu = lss__cmd_get(db, c, 1)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\": customer \"%s\" does not exist", ctx, key, s[1]);
    if (s[3] != NULL) {
        if ((st = lss__cmd_key(db, c, 3)))
            return st;
        if ((d = lss__cmd_get(db, c, 3)) == NULL)
            return lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\": deal \"%s\" does not exist", ctx, key, s[3]);
        if (d->customer != cu)
            return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": deal \"%s\" belongs to customer \"%s\", not \"%s\"",
                             ctx, key, s[3], d->customer->key, s[1]);
    }
    if (lss__cmd_exists(db, c))
        return lss__fail(db, LSS_EXISTS, "%s: ticket \"%s\" already exists", ctx, key);
    return LSS_OK;
}

lss_status lss__ticket_open_reserve(lss_db *db, lss__cmd *c)
{
    if ((c->kept = lss__policy_at(db, c->ev.at)) == NULL)
        return LSS_NOMEM;
    return lss__pool_reserve(&db->ticket_hist, &c->hist, 6);
}

void lss__ticket_open_apply(lss_db *db, lss__cmd *c)
{
    lss_ticket *t = lss__slab_push(&db->tickets);
    unsigned channel = (unsigned)c->ev.i[1], priority = (unsigned)c->ev.i[2];
    t->key = c->txt[0];
    t->subject = c->txt[2];
    t->customer = c->e[1];
    t->deal = c->e[3];
    t->policy = c->kept;
    t->id = db->tickets.count - 1;
    t->state = LSS_TICKET_NEW;
    t->kind = (uint8_t)c->ev.i[0];
    t->channel = (uint8_t)channel;
    t->priority = (uint8_t)priority;
    t->assignee = NULL;
    t->opened_at = t->last_at = c->ev.at;
    t->contact_after = t->resolve_after = t->rated_after = LSS__MARK_NONE;
    t->clock_contact = t->clock_resolve = LSS__MARK_NONE;
    t->handle_sum = t->contacts = 0;
    t->contacts_before_resolve = t->score = t->reopened = t->marks = 0;
    t->hist = c->hist;
    c->hist = (lss__vec){ 0 };
    lss__ticket_change ch = { lss__tc_word(c->ev.at, LSS_TICKET_EV_OPEN, LSS_TICKET_NEW, LSS_TICKET_NEW, channel, 0),
                              lss__next_seq(db), -1, { NULL } };
    LSS__VEC_AT(&t->hist, lss__ticket_change, t->hist.count++) = ch;
    LSS__APPEND_TO_CUSTOMER(db, t->customer, last_ticket, t);
    c->created = t;
}

/* ---- the other events ------------------------------------------------------------- */

static int64_t sla_clock(const lss_ticket *t, lss_time until, bool *running);

/* Set a first mark (first contact, first resolve) unless it is set: its
 * seconds after the opening, the SLA clock then, and `missed` if the clock
 * had passed `target` (the current priority's) by then. */
static void first_mark(lss_ticket *t, uint32_t *mark, uint32_t *clock_mark, uint32_t after, lss_time at,
                       int64_t target, unsigned missed)
{
    if (*mark != LSS__MARK_NONE)
        return;
    *mark = after;
    int64_t clock = sla_clock(t, at, NULL);
    if (clock >= (int64_t)LSS__MARK_NONE)
        t->marks |= LSS__TM_WALK;
    else
        *clock_mark = (uint32_t)clock;
    if (clock > target)
        t->marks |= (uint8_t)missed;
}

/* Keep t's marks as the change of `kind` at `at` (not yet in the history) makes them. */
static void note_marks(lss_ticket *t, lss_ticket_change_kind kind, lss_time at, const lss__cmd *c)
{
    uint32_t after = at - t->opened_at < (lss_time)LSS__MARK_NONE ? (uint32_t)(at - t->opened_at) : LSS__MARK_NONE;
    if (after == LSS__MARK_NONE)
        t->marks |= LSS__TM_WALK;
    t->last_at = at;
    switch (kind) {
    case LSS_TICKET_EV_ASSIGN:
        t->assignee = c->e[1];
        break;
    case LSS_TICKET_EV_CONTACT:
        first_mark(t, &t->contact_after, &t->clock_contact, after, at, LSS__T_RESPONSE(t), LSS__TM_RESPONSE_MISSED);
        if (t->resolve_after == LSS__MARK_NONE && t->contacts_before_resolve < UINT8_MAX)
            t->contacts_before_resolve++;
        if (__builtin_add_overflow(t->handle_sum, (uint32_t)c->ev.i[0], &t->handle_sum))
            t->marks |= LSS__TM_WALK;
        t->contacts++;
        break;
    case LSS_TICKET_EV_RESOLVE:
        first_mark(t, &t->resolve_after, &t->clock_resolve, after, at, LSS__T_RESOLUTION(t),
                   LSS__TM_RESOLUTION_MISSED);
        break;
    case LSS_TICKET_EV_REOPEN:
        t->reopened = 1;
        break;
    case LSS_TICKET_EV_RATE:
        t->rated_after = after;
        t->score = (uint8_t)c->ev.i[0];
        break;
    case LSS_TICKET_EV_PRIORITY:
        t->priority = (uint8_t)c->ev.i[0];
        t->marks |= LSS__TM_PRIORITY;
        break;
    default:
        break;
    }
}

static lss_ticket_change_kind change_kind(const lss__cmd *c)
{
    return (lss_ticket_change_kind)lss__ticket_change_of(c->ev.kind);
}

/* The fields of a ticket event (its agent found), in the order of the event's fields. */
static lss_status check_fields(lss_db *db, lss__cmd *c, const lss_ticket *t, const lss_member *agent)
{
    const char *ctx = lss__cmd_ctx(c), *key = t->key;
    lss_ticket_change_kind kind = change_kind(c);
    int64_t *i = c->ev.i;
    if (agent && agent->role != LSS_ROLE_SERVICE && agent->role != LSS_ROLE_BOTH)
        return lss__fail(db, LSS_ROLE,
                         "%s: ticket \"%s\": agent \"%s\" has role %s (an agent needs role service or both)", ctx,
                         key, agent->key, lss_role_name(agent->role));
    if (kind == LSS_TICKET_EV_CONTACT) {
        if (i[0] < 0 || i[0] > LSS__DURATION_MAX)
            return lss__fail(db, LSS_INVALID,
                             "%s: ticket \"%s\": field \"duration\": %lld is out of range (0 to %lld seconds)", ctx,
                             key, (long long)i[0], (long long)LSS__DURATION_MAX);
        if (i[1] != -1 && lss_channel_name((int)i[1]) == NULL)
            return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"channel\": %d is not a channel", ctx, key,
                             (int)i[1]);
        if (i[1] == t->channel) /* the ticket's own: the journal says none */
            i[1] = -1;
    }
    if (kind == LSS_TICKET_EV_PRIORITY && lss_priority_name((int)i[0]) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"priority\": %d is not a priority", ctx, key,
                         (int)i[0]);
    if (kind == LSS_TICKET_EV_RATE && (i[0] < 1 || i[0] > 5))
        return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"score\": %d is out of range (1 to 5)", ctx, key,
                         (int)i[0]);
    if (kind == LSS_TICKET_EV_RESOLVE || kind == LSS_TICKET_EV_RATE)
        return lss__check_text(db, ctx, kind == LSS_TICKET_EV_RATE ? "comment" : "note", c->ev.s[1], LSS__NOTE_MAX,
                               false, false);
    return LSS_OK;
}

lss_status lss__ticket_change_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s;
    lss_ticket_change_kind kind = change_kind(c);
    const struct ticket_rule *rule = &ticket_rules[kind];
    const lss_member *agent = NULL;
    lss_ticket *t;
    lss_status st;
    if ((st = lss__cmd_key(db, c, 0)))
        return st;
    if ((t = lss__cmd_get(db, c, 0)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\" does not exist", ctx, s[0]);
    if (kind == LSS_TICKET_EV_ASSIGN || kind == LSS_TICKET_EV_CONTACT) {
        if ((st = lss__cmd_key(db, c, 1)))
            return st;
        if ((agent = lss__cmd_get(db, c, 1)) == NULL)
            return lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\": agent \"%s\" does not exist", ctx, t->key, s[1]);
    }
    if ((st = check_fields(db, c, t, agent)) ||
        (st = lss__cmd_order(db, c, "ticket", t->key, LSS__TICKET_LAST_AT(t))))
        return st;
    if (!(rule->from & BIT(t->state)))
        return lss__fail(db, LSS_TRANSITION, "ticket \"%s\": cannot %s in state %s (%s)", t->key, rule->verb,
                         lss_ticket_state_name(t->state), rule->rule);
    return LSS_OK;
}

lss_status lss__ticket_change_reserve(lss_db *db, lss__cmd *c)
{
    return lss__pool_reserve(&db->ticket_hist, &((lss_ticket *)c->e[0])->hist, 1);
}

void lss__ticket_change_apply(lss_db *db, lss__cmd *c)
{
    lss_ticket *t = c->e[0];
    lss_ticket_change_kind kind = change_kind(c);
    const struct ticket_rule *rule = &ticket_rules[kind];
    lss__ticket_change ch = { 0, lss__next_seq(db), -1, { c->e[1] } };
    unsigned channel = t->channel, score = 0;
    unsigned state = t->state == LSS_TICKET_NEW && rule->to == KEEP ? rule->to_from_new
                     : rule->to == KEEP                            ? t->state
                                                                   : rule->to;
    if (kind == LSS_TICKET_EV_CONTACT) {
        ch.duration = (int32_t)c->ev.i[0];
        if (c->ev.i[1] != -1)
            channel = (unsigned)c->ev.i[1];
    } else if (kind == LSS_TICKET_EV_RATE || kind == LSS_TICKET_EV_PRIORITY) {
        score = (unsigned)c->ev.i[0];
    }
    if (kind == LSS_TICKET_EV_PRIORITY)
        ch.v.before = t->priority;
    if (lss__tc_has_text((unsigned)kind))
        ch.v.text = c->txt[1];
    ch.w = lss__tc_word(c->ev.at, (unsigned)kind, state, t->state, channel, score);
    lss__undo_save(db, LSS__U_TICKET, t);
    note_marks(t, kind, c->ev.at, c);
    LSS__VEC_AT(&t->hist, lss__ticket_change, t->hist.count++) = ch;
    t->state = (uint8_t)state;
    if (kind == LSS_TICKET_EV_CLOSE) /* closed is final */
        lss__pool_shrink(&db->ticket_hist, &t->hist);
}

/* ---- the SLA clock: a pure function of the state history ------------------------ */

static bool clock_runs(unsigned state) { return state == LSS_TICKET_NEW || state == LSS_TICKET_OPEN; }

unsigned lss__ticket_opening_priority(const lss_ticket *t)
{
    if (!(t->marks & LSS__TM_PRIORITY))
        return t->priority;
    for (uint32_t i = 1; i < t->hist.count; i++) {
        const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, i);
        if (LSS__TC_KIND(x) == LSS_TICKET_EV_PRIORITY)
            return (unsigned)x->v.before;
    }
    return t->priority;
}

/* A spell [a, b) of running clock in priority p's calendar: the clock after
 * it, and the moment it reached f->target if it did in this spell. */
static int64_t spell(const lss_ticket *t, unsigned p, lss_time a, lss_time b, int64_t total, lss__sla_fold *f)
{
    const lss_calendar *cal = t->policy->cal[p];
    int64_t n = cal ? lss__cal_seconds(cal, a, b) : b - a;
    if (f->target >= 0 && f->reached == LSS_TIME_NONE && total + n >= f->target)
        f->reached = cal ? lss__cal_add(cal, a, f->target - total) : a + (f->target - total);
    return total + n;
}

/* The clock counts the time in new or open, each spell in the calendar of
 * the priority the ticket had then (the priorities' calendars of the policy
 * it kept from its opening). */
void lss__ticket_sla_fold(const lss_ticket *t, lss_time until, lss__sla_fold *f)
{
    unsigned prio = lss__ticket_opening_priority(t), state = LSS_TICKET_NEW;
    lss_time since = LSS_TIME_NONE;
    int64_t total = 0;
    f->first_contact = f->first_resolve = f->last_resolve = f->reached = LSS_TIME_NONE;
    f->clock_contact = f->clock_resolve = 0;
    f->prio_contact = f->prio_resolve = (uint8_t)prio;
    for (uint32_t i = 0; i < t->hist.count; i++) {
        const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, i);
        lss_time at = lss__w_at(x->w);
        if (at >= until)
            break; /* a ticket's events are in time order */
        if (since != LSS_TIME_NONE && clock_runs(state))
            total = spell(t, prio, since, at, total, f);
        switch (LSS__TC_KIND(x)) {
        case LSS_TICKET_EV_CONTACT:
            if (f->first_contact == LSS_TIME_NONE) {
                f->first_contact = at;
                f->clock_contact = total;
                f->prio_contact = (uint8_t)prio;
            }
            break;
        case LSS_TICKET_EV_RESOLVE:
            if (f->first_resolve == LSS_TIME_NONE) {
                f->first_resolve = at;
                f->clock_resolve = total;
                f->prio_resolve = (uint8_t)prio;
            }
            f->last_resolve = at;
            break;
        case LSS_TICKET_EV_PRIORITY:
            prio = LSS__TC_SCORE(x);
            break;
        default:
            break;
        }
        state = LSS__TC_STATE(x);
        since = at;
    }
    f->running = since != LSS_TIME_NONE && clock_runs(state);
    if (f->running)
        total = spell(t, prio, since, until, total, f);
    f->clock = total;
    f->priority = (uint8_t)prio;
}

static int64_t sla_clock(const lss_ticket *t, lss_time until, bool *running)
{
    lss__sla_fold f;
    f.target = -1;
    lss__ticket_sla_fold(t, until, &f);
    if (running)
        *running = f.running;
    return f.clock;
}

int64_t lss_ticket_sla_clock(const lss_ticket *t, lss_time as_of)
{
    return t ? sla_clock(t, as_of, NULL) : 0;
}

lss_priority lss_ticket_priority_at(const lss_ticket *t, lss_time as_of)
{
    if (t == NULL || as_of <= t->opened_at)
        return (lss_priority)-1;
    if (as_of > t->last_at || !(t->marks & LSS__TM_PRIORITY))
        return (lss_priority)t->priority;
    lss__sla_fold f;
    f.target = -1;
    lss__ticket_sla_fold(t, as_of, &f);
    return (lss_priority)f.priority;
}

/* A target judged at its event (the clock and the priority then), or, with
 * no such event yet, against the clock and the priority as of the moment. */
static lss_sla_outcome outcome(lss_time event_at, int64_t clock_then, int64_t target_then, int64_t clock_now,
                               int64_t target_now)
{
    if (event_at != LSS_TIME_NONE)
        return clock_then <= target_then ? LSS_SLA_MET : LSS_SLA_MISSED;
    return clock_now > target_now ? LSS_SLA_MISSED : LSS_SLA_UNDECIDED;
}

void lss__sla_fold_outcomes(const lss_ticket *t, const lss__sla_fold *f, lss_sla_outcome *response,
                            lss_sla_outcome *resolution)
{
    *response = outcome(f->first_contact, f->clock_contact, LSS__P_RESPONSE(t, f->prio_contact), f->clock,
                        LSS__P_RESPONSE(t, f->priority));
    *resolution = outcome(f->first_resolve, f->clock_resolve, LSS__P_RESOLUTION(t, f->prio_resolve), f->clock,
                          LSS__P_RESOLUTION(t, f->priority));
}

/* When the clock reaches (reached) `target` in the priority of the fold. */
static lss_time due(const lss_ticket *t, const lss__sla_fold *f, int64_t target, lss_time as_of)
{
    if (f->clock >= target) {
        lss__sla_fold g;
        g.target = target;
        lss__ticket_sla_fold(t, as_of, &g);
        return g.reached;
    }
    if (!f->running)
        return LSS_TIME_NONE;
    const lss_calendar *cal = t->policy->cal[f->priority];
    return cal ? lss__cal_add(cal, as_of, target - f->clock) : as_of + (target - f->clock);
}

void lss__ticket_marks_get(const lss_ticket *t, lss__ticket_marks *m)
{
    memset(m, 0, sizeof *m);
    m->first_response = m->first_resolution = m->rated_at = LSS_TIME_NONE;
    for (uint32_t i = 1; i < t->hist.count; i++) {
        const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, i);
        switch (LSS__TC_KIND(x)) {
        case LSS_TICKET_EV_CONTACT:
            if (m->first_response == LSS_TIME_NONE)
                m->first_response = lss__w_at(x->w);
            m->contacts++;
            break;
        case LSS_TICKET_EV_RESOLVE:
            if (m->first_resolution == LSS_TIME_NONE)
                m->first_resolution = lss__w_at(x->w);
            break;
        case LSS_TICKET_EV_REOPEN:
            m->reopens++;
            break;
        case LSS_TICKET_EV_RATE:
            m->rated_at = lss__w_at(x->w);
            m->score = (int)LSS__TC_SCORE(x);
            break;
        default:
            break;
        }
    }
}

void lss__ticket_sla_outcomes(const lss_ticket *t, lss_time as_of, lss_sla_outcome *response,
                              lss_sla_outcome *resolution)
{
    if (as_of > t->last_at && !(t->marks & LSS__TM_WALK) && t->contact_after != LSS__MARK_NONE &&
        t->resolve_after != LSS__MARK_NONE) {
        /* both decided, and the record's marks are the history's */
        *response = t->marks & LSS__TM_RESPONSE_MISSED ? LSS_SLA_MISSED : LSS_SLA_MET;
        *resolution = t->marks & LSS__TM_RESOLUTION_MISSED ? LSS_SLA_MISSED : LSS_SLA_MET;
        return;
    }
    lss__sla_fold f;
    f.target = -1;
    lss__ticket_sla_fold(t, as_of, &f);
    lss__sla_fold_outcomes(t, &f, response, resolution);
}

lss_status lss_ticket_sla(lss_sla_state *out, const lss_ticket *t, lss_time as_of)
{
    if (out == NULL || t == NULL)
        return lss__fail(NULL, LSS_INVALID, "ticket sla: NULL argument");
    if (!lss__time_fits(as_of))
        return lss__fail(NULL, LSS_INVALID, "ticket \"%s\": as-of time %lld is out of range", t->key,
                         (long long)as_of);
    lss__sla_fold f;
    f.target = -1;
    lss__ticket_sla_fold(t, as_of, &f);
    out->elapsed = f.clock;
    out->running = f.running;
    out->first_response_target = LSS__P_RESPONSE(t, f.priority);
    out->resolution_target = LSS__P_RESOLUTION(t, f.priority);
    lss__sla_fold_outcomes(t, &f, &out->first_response, &out->resolution);
    out->first_response_due = due(t, &f, out->first_response_target, as_of);
    out->resolution_due = due(t, &f, out->resolution_target, as_of);
    out->calendar = t->policy->cal[f.priority];
    out->priority = (lss_priority)f.priority;
    return LSS_OK;
}

/* ---- read side ---------------------------------------------------------------------- */

lss_status lss_ticket_find(const lss_ticket **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, LSS__REF_TICKET, key);
}

lss_status lss_ticket_by_id(const lss_ticket **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, LSS__REF_TICKET, id);
}

uint32_t lss_ticket_count(const lss_db *db) { return db ? db->tickets.count : 0; }
uint32_t lss_ticket_id(const lss_ticket *t) { return t ? t->id : LSS__NONE; }
const char *lss_ticket_key(const lss_ticket *t) { return t ? t->key : NULL; }
const char *lss_ticket_subject(const lss_ticket *t) { return t ? t->subject : NULL; }
const lss_customer *lss_ticket_customer(const lss_ticket *t) { return t ? t->customer : NULL; }
const lss_deal *lss_ticket_deal(const lss_ticket *t) { return t ? t->deal : NULL; }
const lss_member *lss_ticket_assignee(const lss_ticket *t) { return t ? t->assignee : NULL; }
lss_ticket_state lss_ticket_state_of(const lss_ticket *t)
{
    return t ? (lss_ticket_state)t->state : (lss_ticket_state)-1;
}
lss_ticket_kind lss_ticket_kind_of(const lss_ticket *t) { return t ? (lss_ticket_kind)t->kind : (lss_ticket_kind)-1; }
lss_channel lss_ticket_channel(const lss_ticket *t) { return t ? (lss_channel)t->channel : (lss_channel)-1; }
lss_priority lss_ticket_priority(const lss_ticket *t) { return t ? (lss_priority)t->priority : (lss_priority)-1; }
lss_time lss_ticket_opened_at(const lss_ticket *t) { return t ? LSS__TICKET_OPENED_AT(t) : LSS_TIME_NONE; }
lss_time lss_ticket_last_at(const lss_ticket *t) { return t ? LSS__TICKET_LAST_AT(t) : LSS_TIME_NONE; }
/* What the history says (lss__ticket_marks_get: one pass); for no ticket,
 * nothing happened: no times, no counts, no rating. */
static lss__ticket_marks marks_of(const lss_ticket *t)
{
    lss__ticket_marks k = { LSS_TIME_NONE, LSS_TIME_NONE, LSS_TIME_NONE, 0, 0, 0 };
    if (t)
        lss__ticket_marks_get(t, &k);
    return k;
}
lss_time lss_ticket_first_response_at(const lss_ticket *t) { return marks_of(t).first_response; }
lss_time lss_ticket_first_resolution_at(const lss_ticket *t) { return marks_of(t).first_resolution; }
uint32_t lss_ticket_reopen_count(const lss_ticket *t) { return marks_of(t).reopens; }
uint32_t lss_ticket_contact_count(const lss_ticket *t) { return marks_of(t).contacts; }
int lss_ticket_score(const lss_ticket *t) { return marks_of(t).score; }
lss_time lss_ticket_rated_at(const lss_ticket *t) { return marks_of(t).rated_at; }
const lss_ticket *lss_ticket_next_of_customer(const lss_ticket *t) { return t ? LSS__NEXT(t, last_ticket) : NULL; }
const lss_ticket *lss_customer_first_ticket(const lss_customer *c) { return c ? LSS__FIRST(c, last_ticket) : NULL; }
uint32_t lss_ticket_history_count(const lss_ticket *t) { return t ? t->hist.count : 0; }

lss_status lss_ticket_history_get(lss_ticket_change *out, const lss_ticket *t, uint32_t i)
{
    if (out == NULL || t == NULL)
        return lss__fail(NULL, LSS_INVALID, "ticket history: NULL argument");
    if (i >= t->hist.count)
        return lss__fail(NULL, LSS_NOT_FOUND, "ticket \"%s\": history entry %u does not exist (%u entries)", t->key, i,
                         t->hist.count);
    lss__ticket_change_get(out, t, i);
    return LSS_OK;
}

void lss__ticket_change_get(lss_ticket_change *out, const lss_ticket *t, uint32_t i)
{
    const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, i);
    unsigned kind = LSS__TC_KIND(x);
    out->at = lss__w_at(x->w);
    out->kind = (lss_ticket_change_kind)kind;
    out->state = (lss_ticket_state)LSS__TC_STATE(x);
    out->from_state = (lss_ticket_state)LSS__TC_FROM(x);
    out->agent = kind == LSS_TICKET_EV_ASSIGN || kind == LSS_TICKET_EV_CONTACT ? x->v.agent : NULL;
    out->channel = (lss_channel)LSS__TC_CHANNEL(x);
    out->duration = x->duration;
    out->score = (int)LSS__TC_SCORE(x);
    out->text = lss__tc_has_text(kind) ? x->v.text : NULL;
    unsigned p = t->priority;
    if (t->marks & LSS__TM_PRIORITY) { /* the latest priority change up to entry i */
        p = lss__ticket_opening_priority(t);
        for (uint32_t k = 1; k <= i; k++) {
            const lss__ticket_change *y = &LSS__VEC_AT(&t->hist, lss__ticket_change, k);
            if (LSS__TC_KIND(y) == LSS_TICKET_EV_PRIORITY)
                p = LSS__TC_SCORE(y);
        }
    }
    out->priority = (lss_priority)p;
}

void lss__tickets_free(lss_db *db)
{
    lss__keyindex_clear(&db->tickets_by_key);
    for (uint32_t i = 0; i < db->tickets.count; i++) { /* the pool's blocks go with the pool */
        lss__vec *h = &((lss_ticket *)lss__slab_get(&db->tickets, i))->hist;
        if (h->cap > LSS__POOL_MAX)
            lss__vec_free(h);
    }
    lss__slab_free(&db->tickets);
    lss__vec_free(&db->sla);
    lss__slab_free(&db->policies);
}
