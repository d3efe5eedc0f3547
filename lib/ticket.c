/* Service tickets: the lifecycle as a transition table, contacts, ratings,
 * service levels and the SLA clock. */
#include "event.h"

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



LSS__DEFINE_GET(lss_ticket, lss__ticket_get, tickets_by_key, tickets, LSS__H_TICKET)

/* ---- SLA targets ------------------------------------------------------------ */

static const int64_t default_sla[4][2] = {
    [LSS_PRIORITY_LOW] = { 24 * 3600, 120 * 3600 },
    [LSS_PRIORITY_NORMAL] = { 8 * 3600, 72 * 3600 },
    [LSS_PRIORITY_HIGH] = { 4 * 3600, 24 * 3600 },
    [LSS_PRIORITY_URGENT] = { 1 * 3600, 8 * 3600 },
};

/* The latest sla.set for the priority with at <= t (the last applied wins a tie). */
static void sla_targets(const lss_db *db, unsigned priority, lss_time t, int64_t *resp, int64_t *res)
{
    lss_time best = LSS_TIME_NONE;
    *resp = default_sla[priority][0];
    *res = default_sla[priority][1];
    for (uint32_t i = 0; i < db->sla.count; i++) {
        const lss__sla_change *s = &LSS__VEC_AT(&db->sla, lss__sla_change, i);
        if (s->priority == priority && s->at <= t && s->at >= best) {
            best = s->at;
            *resp = s->response;
            *res = s->resolution;
        }
    }
}

lss_status lss_sla_set(lss_db *db, lss_time at, lss_priority priority, int64_t first_response, int64_t resolution)
{
    static const char ctx[] = "sla.set";
    lss_status st;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 0)) || (st = lss__check_time(db, ctx, "at", at)))
        goto done;
    if (lss_priority_name((int)priority) == NULL) {
        st = lss__fail(db, LSS_INVALID, "%s: field \"priority\": %d is not a priority", ctx, (int)priority);
        goto done;
    }
    if (first_response < 0 || first_response > LSS__DURATION_MAX || resolution < 0 ||
        resolution > LSS__DURATION_MAX) {
        bool fr = first_response < 0 || first_response > LSS__DURATION_MAX;
        st = lss__fail(db, LSS_INVALID, "%s: priority %s: field \"%s\": %lld is out of range (0 to %lld seconds)", ctx,
                       lss_priority_name((int)priority), fr ? "first_response" : "resolution",
                       (long long)(fr ? first_response : resolution), (long long)LSS__DURATION_MAX);
        goto done;
    }
    if (lss__vec_reserve(&db->sla, sizeof(lss__sla_change), 1)) {
        st = lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
        goto done;
    }
    lss__sla_change s = { at, first_response, resolution, lss__next_seq(db), (uint8_t)priority };
    LSS__VEC_AT(&db->sla, lss__sla_change, db->sla.count) = s; /* in its reserved place, not yet counted */
    if ((st = lss__log_ref(db, LSS__EV_SLA_SET, NULL, db->sla.count)))
        goto done;
    db->sla.count++;
    lss__counted(db, at);
done:
    lss__unlock(db);
    return st;
}

lss_status lss_sla_targets_at(int64_t *first_response, int64_t *resolution, const lss_db *db, lss_priority priority,
                              lss_time t)
{
    if (first_response == NULL || resolution == NULL || db == NULL || lss_priority_name((int)priority) == NULL)
        return lss__fail(db, LSS_INVALID, "sla: invalid argument");
    lss__lock(db);
    sla_targets(db, priority, t, first_response, resolution);
    lss__unlock(db);
    return LSS_OK;
}

/* ---- open ---------------------------------------------------------------------- */

static lss_status ticket_create(const lss_ticket **out, lss_db *db, lss_time at, const char *key, lss_customer *c,
                                lss_ticket_kind kind, lss_channel channel, lss_priority priority, const char *subject,
                                const lss_deal *d);

lss_status lss_ticket_open(const lss_ticket **out, lss_db *db, lss_time at, const char *key, const char *customer,
                           lss_ticket_kind kind, lss_channel channel, lss_priority priority, const char *subject,
                           const char *deal)
{
    static const char ctx[] = "ticket.open";
    lss_status st;
    lss_customer *c;
    const lss_deal *d = NULL;
    if (out)
        *out = NULL;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 2)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = lss__check_key(db, ctx, "key", key)) || (st = lss__check_key(db, ctx, "customer", customer)) ||
        (st = lss__check_text(db, ctx, "subject", subject, LSS__TITLE_MAX, false, false)))
        goto done;
    if (lss_ticket_kind_name((int)kind) == NULL || lss_channel_name((int)channel) == NULL ||
        lss_priority_name((int)priority) == NULL) {
        const char *f = lss_ticket_kind_name((int)kind) == NULL ? "kind"
                        : lss_channel_name((int)channel) == NULL ? "channel" : "priority";
        int v = lss_ticket_kind_name((int)kind) == NULL ? (int)kind
                : lss_channel_name((int)channel) == NULL ? (int)channel : (int)priority;
        st = lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"%s\": %d is not valid", ctx, key, f, v);
        goto done;
    }
    if ((c = lss__customer_get(db, customer)) == NULL) {
        st = lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\": customer \"%s\" does not exist", ctx, key, customer);
        goto done;
    }
    if (deal != NULL) {
        if ((st = lss__check_key(db, ctx, "deal", deal)))
            goto done;
        if ((d = lss__deal_get(db, deal)) == NULL) {
            st = lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\": deal \"%s\" does not exist", ctx, key, deal);
            goto done;
        }
        if (d->customer != c) {
            st = lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": deal \"%s\" belongs to customer \"%s\", not \"%s\"",
                           ctx, key, deal, d->customer->key, customer);
            goto done;
        }
    }
    if (lss__ticket_get(db, key)) {
        st = lss__fail(db, LSS_EXISTS, "%s: ticket \"%s\" already exists", ctx, key);
        goto done;
    }
    st = ticket_create(out, db, at, key, c, kind, channel, priority, subject, d);
done:
    lss__unlock(db);
    return st;
}

/* The rest of ticket.open, once every field is checked: the record, its
 * texts, its history, its event. */
static lss_status ticket_create(const lss_ticket **out, lss_db *db, lss_time at, const char *key, lss_customer *c,
                                lss_ticket_kind kind, lss_channel channel, lss_priority priority, const char *subject,
                                const lss_deal *d)
{
    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    const char *k, *s;
    lss__vec hist = { 0 };
    lss_status st;
    if (lss__slab_reserve(&db->tickets) || lss__vec_reserve(&hist, sizeof(lss__ticket_change), 6) ||
        lss__arena_strdup(&db->text, key, &k) || lss__arena_strdup(&db->text, subject, &s))
        goto oom;
    lss_ticket *t = lss__slab_push(&db->tickets);
    t->key = k;
    t->subject = s;
    t->customer = c;
    t->deal = d;
    int64_t resp, reso;
    sla_targets(db, priority, at, &resp, &reso);
    t->sla_response = (int32_t)resp; /* <= LSS__DURATION_MAX */
    t->sla_resolution = (int32_t)reso;
    t->id = db->tickets.count - 1;
    t->state = LSS_TICKET_NEW;
    t->kind = (uint8_t)kind;
    t->channel = (uint8_t)channel;
    t->priority = (uint8_t)priority;
    t->hist = hist;
    lss__ticket_change ch = { lss__tc_word(at, LSS_TICKET_EV_OPEN, LSS_TICKET_NEW, LSS_TICKET_NEW, (unsigned)channel, 0),
                              lss__next_seq(db), -1, { NULL } };
    LSS__VEC_AT(&t->hist, lss__ticket_change, t->hist.count++) = ch;
    if (!lss__index_add(db, &db->tickets_by_key, t->id, t->key)) {
        lss__slab_pop(&db->tickets);
        goto oom;
    }
    if ((st = lss__log_ref(db, LSS__EV_TICKET_OPEN, t, 0)))
        return st;
    LSS__APPEND_TO_CUSTOMER(db, c, last_ticket, t);
    lss__counted(db, at);
    if (out)
        *out = t;
    return LSS_OK;
oom:
    lss__vec_free(&hist);
    lss__arena_reset(&db->text, mark);
    return lss__fail(db, LSS_NOMEM, "ticket.open: ticket \"%s\": out of memory", key);
}

/* Replay (lss__event_replay): ticket.open, when its fields pass the checks
 * of lss_ticket_open (else false, and the event goes through it for its
 * error). The key is new: the journal was written after that check. */
bool lss__ticket_open_replay(lss_db *db, const lss__event *ev, lss_status *st)
{
    const char *const *s = ev->s;
    const uint32_t *ref = ev->ref;
    const int64_t *i = ev->i;
    if (!lss__key_fits(s[0]) ||
        s[1] != NULL || ref[1] >= db->customers.count || !lss__text_fits(s[2], 0, LSS__TITLE_MAX, false) ||
        lss_ticket_kind_name((int)i[0]) == NULL || lss_channel_name((int)i[1]) == NULL ||
        lss_priority_name((int)i[2]) == NULL || s[3] != NULL)
        return false;
    lss_customer *c = lss__slab_get(&db->customers, ref[1]);
    const lss_deal *d;
    if (!lss__replay_deal_of(db, ref[3], c, &d))
        return false;
    *st = ticket_create(NULL, db, ev->at, s[0], c, (lss_ticket_kind)i[0], (lss_channel)i[1], (lss_priority)i[2], s[2],
                        d);
    return true;
}

/* ---- the other events ------------------------------------------------------------- */

typedef struct ticket_args {
    const char *agent;
    int64_t duration;
    int channel; /* -1: the ticket's */
    int score;
    const char *text;
} ticket_args;

static lss_status ticket_change(lss_db *db, lss_time at, lss_ticket *t, lss_ticket_change_kind kind,
                                const ticket_args *a, const lss_member *agent);

static lss_status ticket_event(lss_db *db, lss_time at, const char *key, lss_ticket_change_kind kind,
                               const ticket_args *a)
{
    const char *ctx = ticket_rules[kind].ctx;
    lss_status st;
    lss_ticket *t;
    const lss_member *agent = NULL;

    if ((st = lss__wbegin(db, ctx, 1)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = lss__check_key(db, ctx, "ticket", key)))
        return st;
    if ((t = lss__ticket_get(db, key)) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\" does not exist", ctx, key);
    if (kind == LSS_TICKET_EV_ASSIGN || kind == LSS_TICKET_EV_CONTACT) {
        if ((st = lss__check_key(db, ctx, "agent", a->agent)))
            return st;
        if ((agent = lss__member_get(db, a->agent)) == NULL)
            return lss__fail(db, LSS_NOT_FOUND, "%s: ticket \"%s\": agent \"%s\" does not exist", ctx, key, a->agent);
    }
    return ticket_change(db, at, t, kind, a, agent);
}

/* The rest of a ticket event, once the ticket (and an agent) are found: the
 * field checks, the transition and the change itself. */
static lss_status ticket_change(lss_db *db, lss_time at, lss_ticket *t, lss_ticket_change_kind kind,
                                const ticket_args *a, const lss_member *agent)
{
    const struct ticket_rule *rule = &ticket_rules[kind];
    const char *ctx = rule->ctx;
    const char *key = t->key;
    lss_status st;

    if (agent && agent->role != LSS_ROLE_SERVICE && agent->role != LSS_ROLE_BOTH)
        return lss__fail(db, LSS_ROLE,
                         "%s: ticket \"%s\": agent \"%s\" has role %s (an agent needs role service or both)", ctx,
                         key, agent->key, lss_role_name(agent->role));
    if (kind == LSS_TICKET_EV_CONTACT) {
        if (a->duration < 0 || a->duration > LSS__DURATION_MAX)
            return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"duration\": %lld is out of range (0 to %lld seconds)",
                             ctx, key, (long long)a->duration, (long long)LSS__DURATION_MAX);
        if (a->channel != -1 && lss_channel_name(a->channel) == NULL)
            return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"channel\": %d is not a channel", ctx, key,
                             a->channel);
    }
    if (kind == LSS_TICKET_EV_RATE && (a->score < 1 || a->score > 5))
        return lss__fail(db, LSS_INVALID, "%s: ticket \"%s\": field \"score\": %d is out of range (1 to 5)", ctx, key,
                         a->score);
    if ((kind == LSS_TICKET_EV_RESOLVE || kind == LSS_TICKET_EV_RATE) &&
        (st = lss__check_text(db, ctx, kind == LSS_TICKET_EV_RATE ? "comment" : "note", a->text, LSS__NOTE_MAX, false,
                              false)))
        return st;
    if (at < LSS__TICKET_LAST_AT(t)) {
        char t1[LSS_TIME_BUFSIZE], t2[LSS_TIME_BUFSIZE];
        lss__fmt_time(t1, at);
        lss__fmt_time(t2, LSS__TICKET_LAST_AT(t));
        return lss__fail(db, LSS_OUT_OF_ORDER, "%s: ticket \"%s\": event at %s is earlier than its last event at %s",
                         ctx, key, t1, t2);
    }
    if (!(rule->from & BIT(t->state)))
        return lss__fail(db, LSS_TRANSITION, "ticket \"%s\": cannot %s in state %s (%s)", key, rule->verb,
                         lss_ticket_state_name(t->state), rule->rule);

    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    lss__ticket_change ch = { 0, lss__next_seq(db), -1, { agent } };
    unsigned channel = t->channel, score = 0;
    if (lss__vec_reserve(&t->hist, sizeof ch, 1) ||
        (lss__tc_has_text((unsigned)kind) && lss__arena_strdup(&db->text, a->text, &ch.v.text))) {
        lss__arena_reset(&db->text, mark);
        return lss__fail(db, LSS_NOMEM, "%s: ticket \"%s\": out of memory", ctx, key);
    }
    unsigned state = t->state == LSS_TICKET_NEW && rule->to == KEEP ? rule->to_from_new
                     : rule->to == KEEP                            ? t->state
                                                                   : rule->to;
    switch (kind) {
    case LSS_TICKET_EV_CONTACT:
        ch.duration = (int32_t)a->duration;
        channel = (unsigned)(a->channel == -1 ? t->channel : a->channel);
        break;
    case LSS_TICKET_EV_RATE:
        score = (unsigned)a->score;
        break;
    default:
        break;
    }
    ch.w = lss__tc_word(at, (unsigned)kind, state, t->state, channel, score);
    LSS__VEC_AT(&t->hist, lss__ticket_change, t->hist.count) = ch; /* in its reserved place, not yet counted */
    if ((st = lss__log_ref(db, (uint8_t)(LSS__EV_TICKET_OPEN + kind), t, t->hist.count)))
        return st;
    lss__undo_save(db, LSS__U_TICKET, t);
    t->hist.count++;
    t->state = (uint8_t)state;
    lss__counted(db, at);
    if (kind == LSS_TICKET_EV_CLOSE) /* closed is final */
        lss__vec_shrink(&t->hist, sizeof(lss__ticket_change));
    return LSS_OK;
}

/* A public ticket call: the database locked around ticket_event. */
static lss_status ticket_call(lss_db *db, lss_time at, const char *ticket, unsigned kind, ticket_args a)
{
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ticket_rules[kind].ctx);
    lss__lock(db);
    lss_status st = ticket_event(db, at, ticket, kind, &a);
    lss__unlock(db);
    return st;
}

lss_status lss_ticket_assign(lss_db *db, lss_time at, const char *ticket, const char *agent)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_ASSIGN, (ticket_args){ agent, -1, -1, 0, NULL });
}
lss_status lss_ticket_contact(lss_db *db, lss_time at, const char *ticket, const char *agent, int64_t duration,
                              int channel)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_CONTACT, (ticket_args){ agent, duration, channel, 0, NULL });
}
lss_status lss_ticket_wait(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_WAIT, (ticket_args){ NULL, -1, -1, 0, NULL });
}
lss_status lss_ticket_resume(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_RESUME, (ticket_args){ NULL, -1, -1, 0, NULL });
}
lss_status lss_ticket_resolve(lss_db *db, lss_time at, const char *ticket, const char *note)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_RESOLVE, (ticket_args){ NULL, -1, -1, 0, note });
}
lss_status lss_ticket_reopen(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_REOPEN, (ticket_args){ NULL, -1, -1, 0, NULL });
}
lss_status lss_ticket_close(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_CLOSE, (ticket_args){ NULL, -1, -1, 0, NULL });
}
lss_status lss_ticket_rate(lss_db *db, lss_time at, const char *ticket, int score, const char *comment)
{
    return ticket_call(db, at, ticket, LSS_TICKET_EV_RATE, (ticket_args){ NULL, -1, -1, score, comment });
}

/* Replay (lss__event_replay): a ticket event whose ticket, and agent, the
 * journal names by id. The checks are those of the call that wrote it, less
 * the lookups by key (lss__event_replay checked the time and the room for
 * one more event, as lss__wbegin would). */
lss_status lss__ticket_replay(lss_db *db, const lss__event *ev, lss_ticket *t, const lss_member *agent)
{
    lss_ticket_change_kind kind = (lss_ticket_change_kind)(ev->kind - LSS__EV_TICKET_OPEN);
    ticket_args a = { NULL, -1, -1, 0, NULL };
    switch (kind) {
    case LSS_TICKET_EV_CONTACT:
        a.duration = ev->i[0];
        a.channel = (int)ev->i[1];
        break;
    case LSS_TICKET_EV_RESOLVE:
        a.text = ev->s[1];
        break;
    case LSS_TICKET_EV_RATE:
        a.score = (int)ev->i[0];
        a.text = ev->s[1];
        break;
    default:
        break;
    }
    return ticket_change(db, ev->at, t, kind, &a, agent);
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
        if (reached && *reached == LSS_TIME_NONE && total + (end - at) >= target)
            *reached = at + (target - total);
        total += end - at;
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
    return running ? as_of + (target - clock_now) : LSS_TIME_NONE;
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
    int64_t now = sla_clock(t, as_of, NULL);
    *response = outcome(t, first_response, t->sla_response, now, as_of);
    *resolution = outcome(t, first_resolution, t->sla_resolution, now, as_of);
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
    out->first_response_target = t->sla_response;
    out->resolution_target = t->sla_resolution;
    out->first_response = outcome(t, k.first_response, t->sla_response, out->elapsed, as_of);
    out->resolution = outcome(t, k.first_resolution, t->sla_resolution, out->elapsed, as_of);
    out->first_response_due = due(t, t->sla_response, out->elapsed, running, as_of);
    out->resolution_due = due(t, t->sla_resolution, out->elapsed, running, as_of);
    return LSS_OK;
}

/* ---- read side ---------------------------------------------------------------------- */

lss_status lss_ticket_find(const lss_ticket **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, db ? &db->tickets_by_key : NULL, db ? &db->tickets : NULL, key,
                     "ticket");
}

lss_status lss_ticket_by_id(const lss_ticket **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, db ? &db->tickets : NULL, id, "ticket");
}

uint32_t lss_ticket_count(const lss_db *db) { return db ? db->tickets.count : 0; }
uint32_t lss_ticket_id(const lss_ticket *t) { return t ? t->id : LSS__NONE; }
const char *lss_ticket_key(const lss_ticket *t) { return t ? t->key : NULL; }
const char *lss_ticket_subject(const lss_ticket *t) { return t ? t->subject : NULL; }
const lss_customer *lss_ticket_customer(const lss_ticket *t) { return t ? t->customer : NULL; }
const lss_deal *lss_ticket_deal(const lss_ticket *t) { return t ? t->deal : NULL; }
const lss_member *lss_ticket_assignee(const lss_ticket *t) { return t ? lss__ticket_assignee(t) : NULL; }
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
    for (uint32_t i = 0; i < db->tickets.count; i++)
        lss__vec_free(&((lss_ticket *)lss__slab_get(&db->tickets, i))->hist);
    lss__slab_free(&db->tickets);
    lss__vec_free(&db->sla);
}
