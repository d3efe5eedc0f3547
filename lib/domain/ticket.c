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
    return lss__pool_reserve(&db->hist, &c->hist, 6);
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
 * seconds after the opening, and `missed` if the SLA clock had passed
 * `target` by then. */
static void first_mark(lss_ticket *t, uint32_t *mark, uint32_t after, lss_time at, int64_t target, unsigned missed)
{
    if (*mark != LSS__MARK_NONE)
        return;
    *mark = after;
    if (sla_clock(t, at, NULL) > target)
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
        first_mark(t, &t->contact_after, after, at, LSS__T_RESPONSE(t), LSS__TM_RESPONSE_MISSED);
        if (t->resolve_after == LSS__MARK_NONE && t->contacts_before_resolve < UINT8_MAX)
            t->contacts_before_resolve++;
        if (__builtin_add_overflow(t->handle_sum, (uint32_t)c->ev.i[0], &t->handle_sum))
            t->marks |= LSS__TM_WALK;
        t->contacts++;
        break;
    case LSS_TICKET_EV_RESOLVE:
        first_mark(t, &t->resolve_after, after, at, LSS__T_RESOLUTION(t), LSS__TM_RESOLUTION_MISSED);
        break;
    case LSS_TICKET_EV_REOPEN:
        t->reopened = 1;
        break;
    case LSS_TICKET_EV_RATE:
        t->rated_after = after;
        t->score = (uint8_t)c->ev.i[0];
        break;
    default:
        break;
    }
}

static lss_ticket_change_kind change_kind(const lss__cmd *c)
{
    return (lss_ticket_change_kind)(c->ev.kind - LSS__EV_TICKET_OPEN);
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
    return lss__pool_reserve(&db->hist, &((lss_ticket *)c->e[0])->hist, 1);
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
    } else if (kind == LSS_TICKET_EV_RATE) {
        score = (unsigned)c->ev.i[0];
    }
    if (lss__tc_has_text((unsigned)kind))
        ch.v.text = c->txt[1];
    ch.w = lss__tc_word(c->ev.at, (unsigned)kind, state, t->state, channel, score);
    lss__undo_save(db, LSS__U_TICKET, t);
    note_marks(t, kind, c->ev.at, c);
    LSS__VEC_AT(&t->hist, lss__ticket_change, t->hist.count++) = ch;
    t->state = (uint8_t)state;
    if (kind == LSS_TICKET_EV_CLOSE) /* closed is final */
        lss__pool_shrink(&db->hist, &t->hist);
}

/* ---- the SLA clock: a pure function of the state history ------------------------ */

static bool clock_runs(unsigned state) { return state == LSS_TICKET_NEW || state == LSS_TICKET_OPEN; }

/* Walk the state history up to `until`: the seconds spent in new or open,
 * whether the clock runs at `until`, and (when `reached` is given) the
 * moment the clock reached `target`, or LSS_TIME_NONE if it has not. */
static int64_t sla_walk(const lss_ticket *t, lss_time until, bool *running, int64_t target, lss_time *reached)
{
    int64_t total = 0;
    bool run = false;
    const lss_calendar *cal = LSS__T_CAL(t);
    if (reached)
        *reached = LSS_TIME_NONE;
    for (uint32_t i = 0; i < t->hist.count; i++) {
        const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, i);
        lss_time at = lss__w_at(x->w);
        if (at >= until)
            break;
        run = clock_runs(LSS__TC_STATE(x));
        if (!run)
            continue;
        lss_time end = until;
        if (i + 1 < t->hist.count && lss__w_at(LSS__VEC_AT(&t->hist, lss__ticket_change, i + 1).w) < end)
            end = lss__w_at(LSS__VEC_AT(&t->hist, lss__ticket_change, i + 1).w);
        int64_t spell = cal ? lss__cal_seconds(cal, at, end) : end - at;
        if (reached && *reached == LSS_TIME_NONE && total + spell >= target)
            *reached = cal ? lss__cal_add(cal, at, target - total) : at + (target - total);
        total += spell;
    }
    if (running)
        *running = run;
    return total;
}

static int64_t sla_clock(const lss_ticket *t, lss_time until, bool *running)
{
    return sla_walk(t, until, running, 0, NULL);
}

int64_t lss_ticket_sla_clock(const lss_ticket *t, lss_time as_of)
{
    return t ? sla_clock(t, as_of, NULL) : 0;
}

static lss_sla_outcome outcome(const lss_ticket *t, lss_time event_at, int64_t target, int64_t clock_now,
                               lss_time as_of)
{
    if (event_at != LSS_TIME_NONE && event_at < as_of)
        return sla_clock(t, event_at, NULL) <= target ? LSS_SLA_MET : LSS_SLA_MISSED;
    return clock_now > target ? LSS_SLA_MISSED : LSS_SLA_UNDECIDED;
}

static lss_time due(const lss_ticket *t, int64_t target, int64_t clock_now, bool running, lss_time as_of)
{
    if (clock_now >= target) {
        lss_time reached;
        sla_walk(t, as_of, NULL, target, &reached);
        return reached;
    }
    if (!running)
        return LSS_TIME_NONE;
    const lss_calendar *cal = LSS__T_CAL(t);
    return cal ? lss__cal_add(cal, as_of, target - clock_now) : as_of + (target - clock_now);
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

void lss__ticket_sla_outcomes(const lss_ticket *t, lss_time as_of, lss_time first_response,
                              lss_time first_resolution, lss_sla_outcome *response, lss_sla_outcome *resolution)
{
    bool responded = first_response != LSS_TIME_NONE && first_response < as_of;
    bool resolved = first_resolution != LSS_TIME_NONE && first_resolution < as_of;
    if (as_of > t->last_at && !(t->marks & LSS__TM_WALK) && responded && resolved) {
        /* both decided, and the record's marks are the history's */
        *response = t->marks & LSS__TM_RESPONSE_MISSED ? LSS_SLA_MISSED : LSS_SLA_MET;
        *resolution = t->marks & LSS__TM_RESOLUTION_MISSED ? LSS_SLA_MISSED : LSS_SLA_MET;
        return;
    }
    int64_t now = sla_clock(t, as_of, NULL);
    *response = outcome(t, first_response, LSS__T_RESPONSE(t), now, as_of);
    *resolution = outcome(t, first_resolution, LSS__T_RESOLUTION(t), now, as_of);
}

lss_status lss_ticket_sla(lss_sla_state *out, const lss_ticket *t, lss_time as_of)
{
    if (out == NULL || t == NULL)
        return lss__fail(NULL, LSS_INVALID, "ticket sla: NULL argument");
    if (!lss__time_fits(as_of))
        return lss__fail(NULL, LSS_INVALID, "ticket \"%s\": as-of time %lld is out of range", t->key,
                         (long long)as_of);
    bool running;
    lss__ticket_marks k;
    lss__ticket_marks_get(t, &k);
    out->elapsed = sla_clock(t, as_of, &running);
    out->running = running;
    out->first_response_target = LSS__T_RESPONSE(t);
    out->resolution_target = LSS__T_RESOLUTION(t);
    out->first_response = outcome(t, k.first_response, LSS__T_RESPONSE(t), out->elapsed, as_of);
    out->resolution = outcome(t, k.first_resolution, LSS__T_RESOLUTION(t), out->elapsed, as_of);
    out->first_response_due = due(t, LSS__T_RESPONSE(t), out->elapsed, running, as_of);
    out->resolution_due = due(t, LSS__T_RESOLUTION(t), out->elapsed, running, as_of);
    out->calendar = LSS__T_CAL(t);
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
