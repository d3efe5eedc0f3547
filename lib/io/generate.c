/* The demo company: a deterministic simulation of leads, deals, activities
 * and tickets. Each customer's story is written as events, sorted by time
 * and run through the command path (lss__event_apply), as a caller's calls are. */
#include "db/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DAY 86400
#define HOUR 3600
#define MIN 60

/* ---- randomness: splitmix64, deterministic on every platform -------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next64(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double uni(rng *r) { return (double)(next64(r) >> 11) * (1.0 / 9007199254740992.0); }
static bool chance(rng *r, double p) { return uni(r) < p; }
static uint32_t below(rng *r, uint32_t n) { return (uint32_t)(next64(r) % n); }
/* exponential with the given mean (seconds), at least 1 */
static lss_time expo(rng *r, double mean)
{
    double u = uni(r);
    double v = -log(1.0 - u) * mean;
    return v < 1 ? 1 : (lss_time)v;
}
/* log-normal around a median, sigma in log space */
static double lognormal(rng *r, double median, double sigma)
{
    double u1 = uni(r), u2 = uni(r);
    double z = sqrt(-2.0 * log(1.0 - u1)) * cos(6.283185307179586 * u2);
    return median * exp(sigma * z);
}
static int pick(rng *r, const double *weights, int n)
{
    double total = 0, u;
    for (int k = 0; k < n; k++)
        total += weights[k];
    u = uni(r) * total;
    for (int k = 0; k < n; k++) {
        if (u < weights[k])
            return k;
        u -= weights[k];
    }
    return n - 1;
}

/* ---- one customer's story ---------------------------------------------------- */

#define POOL 65536
#define MAXEV 1024

typedef struct story {
    lss__event ev[MAXEV];
    uint32_t order[MAXEV];
    int n;
    char pool[POOL];
    size_t used;
    lss_time end;
    bool full;
} story;

static const char *text(story *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *text(story *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->pool + s->used, POOL - s->used, fmt, ap);
    va_end(ap);
    if (n < 0 || s->used + (size_t)n + 1 > POOL) {
        s->full = true;
        return NULL;
    }
    const char *p = s->pool + s->used;
    s->used += (size_t)n + 1;
    return p;
}

/* The next event of the story: `kind` at `at` on the entity `key`; NULL
 * when it would fall after the period (the caller then stops that thread
 * of the story). */
static lss__event *add(story *s, uint8_t kind, lss_time at, const char *key)
{
    /* a full story (a very long period) simply ends: an event never lacks room for its texts */
    if (at >= s->end || s->n == MAXEV || s->used > POOL - 4096) {
        s->full |= at < s->end;
        return NULL;
    }
    lss__event *e = &s->ev[s->n];
    memset(e, 0, sizeof *e);
    for (int k = 0; k < LSS__EV_STRS; k++)
        e->ref[k] = LSS__NONE;
    e->kind = kind;
    e->at = at;
    e->s[0] = key;
    s->order[s->n] = (uint32_t)s->n;
    s->n++;
    return e;
}

typedef struct company {
    rng r;
    const lss_generate_options *o;
    story *s;
    lss_time end;
    uint32_t deals, tickets, tasks;
} company;

static const char *const FIRST[] = { "Nord", "Alpen", "Blue", "Sun", "Iron", "Silver", "Green", "Oak", "River",
                                     "Stone", "Bright", "Delta", "Polar", "Cedar", "Harbor", "Summit" };
static const char *const SECOND[] = { "works", "data", "logistics", "foods", "systems", "media", "labs", "motors",
                                      "health", "energy", "textiles", "print", "design", "retail" };
static const char *const SUFFIX[] = { "GmbH", "AB", "Ltd", "SARL", "s.r.o.", "Inc", "BV", "Oy" };
static const char *const PRODUCT[] = { "workstations", "laptops", "monitors", "servers", "storage", "network gear",
                                       "docking stations", "printers" };

/* Minutes of handle time by channel: phone, email, chat, in person, web, social. */
static const double HANDLE_MIN[6] = { 8, 4, 10, 40, 5, 3 };
/* SLA targets in seconds (the defaults) by priority: low, normal, high, urgent. */
static const lss_time SLA_RESP[4] = { 24 * HOUR, 8 * HOUR, 4 * HOUR, 1 * HOUR };
static const lss_time SLA_RES[4] = { 120 * HOUR, 72 * HOUR, 24 * HOUR, 8 * HOUR };

static const char *rep_key(company *c, uint32_t i) { return text(c->s, "s-%02u", i % c->o->sales_reps + 1); }
static const char *agent_key(company *c, uint32_t i) { return text(c->s, "a-%02u", i % c->o->agents + 1); }

/* One contact by `agent`, `wait` seconds of running SLA clock after *t, with
 * a handle time typical of the ticket's channel (`via`: the contact's own
 * channel, or -1). False when it would fall after the period. */
static bool contact(company *c, const char *key, const char *agent, int channel, lss_time wait, int via, lss_time *t,
                    lss_time *clock)
{
    *t += wait;
    *clock += wait;
    lss__event *e = add(c->s, LSS__EV_TICKET_CONTACT, *t, key);
    if (e == NULL)
        return false;
    double d = lognormal(&c->r, HANDLE_MIN[channel] * MIN, 0.6);
    e->s[1] = agent;
    e->i[0] = d > LSS__DURATION_MAX ? LSS__DURATION_MAX : (int64_t)d;
    e->i[1] = via;
    return true;
}

/* The rating follows the service: speed against the targets, reopens,
 * back-and-forth. */
static int score_of(rng *r, bool late_response, bool late_resolution, bool reopened, int contacts)
{
    double score = 4.6 + (uni(r) - 0.5) * 1.2;
    score -= late_response ? 1.3 : 0;
    score -= late_resolution ? 1.0 : 0;
    score -= reopened ? 1.0 : 0;
    score -= 0.35 * (contacts - 1);
    int sc = (int)lround(score);
    return sc < 1 ? 1 : sc > 5 ? 5 : sc;
}

/* Rate the ticket `key` a while after *t (which becomes the rating's time). */
static bool rate(company *c, const char *key, lss_time *t, int sc, bool reopened)
{
    lss__event *e = add(c->s, LSS__EV_TICKET_RATE, *t + expo(&c->r, DAY), key);
    if (e == NULL)
        return false;
    e->s[1] = sc <= 2 && chance(&c->r, 0.5) ? text(c->s, "%s", reopened ? "had to call twice" : "too slow") : NULL;
    e->i[0] = sc;
    *t = e->at;
    return true;
}

/* A ticket's whole life; `deal` may be NULL. */
static void ticket(company *c, const char *cust, const char *deal, lss_time at, int kind)
{
    story *s = c->s;
    rng *r = &c->r;
    static const double chw[6] = { 35, 30, 20, 3, 10, 2 };
    static const double prw[4] = { 20, 50, 22, 8 };
    int channel = pick(r, chw, 6), prio = pick(r, prw, 4);
    const char *key = text(s, "t-%06u", ++c->tickets);
    lss__event *e = add(s, LSS__EV_TICKET_OPEN, at, key);
    if (e == NULL || key == NULL)
        return;
    static const char *const SUBJ[7] = { "Question before ordering", "Installation of %s", "Maintenance of %s",
                                         "%s stopped working", "Unhappy with %s", "Training on %s",
                                         "How do I use %s?" };
    e->s[1] = cust;
    e->s[2] = text(s, SUBJ[kind], PRODUCT[below(r, 8)]);
    e->s[3] = deal;
    e->i[0] = kind;
    e->i[1] = channel;
    e->i[2] = prio;
    /* queue: faster for urgent work; the clock runs while new or open */
    lss_time t = at + expo(r, (double)SLA_RESP[prio] * 0.45), clock = t - at, first_resp = clock;
    const char *agent = agent_key(c, below(r, 1000));
    if ((e = add(s, LSS__EV_TICKET_ASSIGN, t, key)) == NULL)
        return;
    e->s[1] = agent;
    int contacts = 0;
    bool reopened = false;
    lss_time dt;
    for (int round = 0; round < 2; round++) {
        if (!contact(c, key, agent, channel, expo(r, 20 * MIN), -1, &t, &clock))
            return;
        contacts++;
        if (chance(r, 0.25)) { /* waiting on the customer */
            if ((e = add(s, LSS__EV_TICKET_WAIT, t + 10 * MIN, key)) == NULL)
                return;
            t += 10 * MIN + expo(r, 1.5 * DAY);
            clock += 10 * MIN;
            if ((e = add(s, LSS__EV_TICKET_RESUME, t, key)) == NULL)
                return;
            if (!contact(c, key, agent, channel, expo(r, 2 * HOUR), chance(r, 0.2) ? LSS_CHANNEL_PHONE : -1, &t,
                         &clock))
                return;
            contacts++;
        }
        if (chance(r, 0.3)) { /* a second contact before it is fixed */
            if (!contact(c, key, agent, channel, expo(r, 3 * HOUR), -1, &t, &clock))
                return;
            contacts++;
        }
        dt = expo(r, (double)SLA_RES[prio] * 0.3);
        t += dt;
        clock += dt;
        if ((e = add(s, LSS__EV_TICKET_RESOLVE, t, key)) == NULL)
            return;
        e->s[1] = chance(r, 0.5) ? text(s, "fixed: %s", chance(r, 0.5) ? "configuration" : "part replaced") : NULL;
        if (round == 1 || !chance(r, 0.08))
            break;
        reopened = true; /* it came back */
        t += expo(r, 2 * DAY);
        if ((e = add(s, LSS__EV_TICKET_REOPEN, t, key)) == NULL)
            return;
    }
    if (chance(r, 0.6) &&
        !rate(c, key, &t, score_of(r, first_resp > SLA_RESP[prio], clock > SLA_RES[prio], reopened, contacts),
              reopened))
        return;
    if (chance(r, 0.8))
        (void)add(s, LSS__EV_TICKET_CLOSE, t + 3 * DAY + expo(r, 2 * DAY), key);
}

/* A follow-up task for `member` about the deal, added at `at` and due a few
 * days later: mostly done on time, some late, a few cancelled or left open. */
static void follow_up(company *c, const char *cust, const char *deal, const char *member, lss_time at, int kind)
{
    story *s = c->s;
    rng *r = &c->r;
    const char *key = text(s, "k-%06u", ++c->tasks);
    lss__event *e = add(s, LSS__EV_TASK_ADD, at, key);
    if (e == NULL || key == NULL)
        return;
    lss_time due = at + (lss_time)(1 + below(r, 5)) * DAY;
    e->s[1] = cust;
    e->s[2] = member;
    e->s[3] = deal;
    e->s[5] = chance(r, 0.3) ? text(s, "%s", kind == LSS_ACTIVITY_FOLLOW_UP ? "send the revised quote" : "call back") : NULL;
    e->i[0] = kind;
    e->i[1] = due;
    if (chance(r, 0.15)) { /* pushed back once */
        if ((e = add(s, LSS__EV_TASK_RESCHEDULE, at + expo(r, DAY), key)) == NULL)
            return;
        due += (lss_time)(2 + below(r, 4)) * DAY;
        e->i[0] = due;
    }
    static const double outcome[4] = { 65, 20, 10, 5 }; /* on time, late, cancelled, left open */
    int o = pick(r, outcome, 4);
    if (o == 3)
        return;
    lss_time last = e->at;
    lss_time when = o == 0 ? at + (lss_time)(uni(r) * (double)(due - at)) : o == 1 ? due + expo(r, 2 * DAY)
                                                                          : at + expo(r, DAY);
    if (when < last)
        when = last;
    if ((e = add(s, o == 2 ? LSS__EV_TASK_CANCEL : LSS__EV_TASK_DONE, when, key)) != NULL && o == 1 && chance(r, 0.3))
        e->s[1] = text(s, "%s", "done, later than promised");
}

/* A deal's whole life; returns its win time or LSS_TIME_NONE. */
static lss_time deal(company *c, const char *cust, int segment, lss_time at, uint32_t rep)
{
    story *s = c->s;
    rng *r = &c->r;
    static const double median[3] = { 6000, 25000, 90000 }; /* smb, mid, enterprise, in currency units */
    const char *key = text(s, "d-%06u", ++c->deals);
    const char *owner = rep_key(c, rep);
    lss__event *e = add(s, LSS__EV_DEAL_OPEN, at, key);
    if (e == NULL || key == NULL)
        return LSS_TIME_NONE;
    int64_t amount = (int64_t)(lognormal(r, median[segment], 0.7) * 100) / 100 * 100;
    e->s[1] = cust;
    e->s[2] = owner;
    e->s[3] = text(s, "%u %s", 2 + below(r, 40), PRODUCT[below(r, 8)]);
    e->i[0] = amount;
    lss_time close = chance(r, 0.8) ? at + (lss_time)(30 + below(r, 60)) * DAY : LSS_TIME_NONE;
    e->i[1] = close;
    e->s[4] = chance(r, 0.3) ? "services" : NULL; /* the services pipeline; else the default */
    if (chance(r, 0.15)) { /* a pre-sales question */
        ticket(c, cust, key, at + expo(r, 2 * DAY), LSS_TICKET_PRESALES);
    }
    static const double step_p[4] = { 0.65, 0.70, 0.75, 0.60 }; /* to qualified, presented, negotiated, won */
    static const double step_days[4] = { 5, 7, 6, 8 };
    static const double reasonw[6] = { 30, 25, 15, 15, 10, 5 };
    lss_time t = at;
    for (int stage = 0; stage < 4; stage++) {
        t += expo(r, step_days[stage] * DAY);
        if (stage == 1 && chance(r, 0.05)) { /* handed to a colleague */
            if ((e = add(s, LSS__EV_DEAL_ASSIGN, t, key)) == NULL)
                return LSS_TIME_NONE;
            e->s[1] = owner = rep_key(c, rep + 1);
            t += HOUR;
        }
        if (!chance(r, step_p[stage])) {
            if (chance(r, 0.25))
                return LSS_TIME_NONE; /* still open when the period ends */
            if ((e = add(s, LSS__EV_DEAL_LOSE, t, key)) == NULL)
                return LSS_TIME_NONE;
            e->i[0] = pick(r, reasonw, 6);
            e->s[1] = chance(r, 0.4) ? text(s, "%s", e->i[0] == 0 ? "too expensive" : "went elsewhere") : NULL;
            if (!chance(r, 0.06))
                return LSS_TIME_NONE;
            t += expo(r, 30 * DAY); /* they came back */
            if ((e = add(s, LSS__EV_DEAL_REOPEN, t, key)) == NULL)
                return LSS_TIME_NONE;
        }
        static const uint8_t act[4] = { LSS_ACTIVITY_CALL, LSS_ACTIVITY_DEMO, LSS_ACTIVITY_NEGOTIATION,
                                        LSS_ACTIVITY_MEETING };
        /* a call, demo or meeting shortly before the step (never before the deal) */
        lss_time before = t - at > 2 * HOUR ? HOUR : (t - at) / 2;
        if ((e = add(s, LSS__EV_ACTIVITY_LOG, t - before, cust)) != NULL) {
            e->s[1] = owner;
            e->s[2] = key;
            e->s[3] = chance(r, 0.3) ? text(s, "stage %d talk", stage + 1) : NULL;
            e->i[0] = act[stage];
            e->i[1] = stage == 1 ? LSS_CHANNEL_IN_PERSON : chance(r, 0.6) ? LSS_CHANNEL_PHONE : LSS_CHANNEL_EMAIL;
            e->i[2] = (int64_t)lognormal(r, 30 * MIN, 0.5);
        }
        if (stage == 3) {
            if (chance(r, 0.3) && (e = add(s, LSS__EV_DEAL_AMOUNT, t, key)) != NULL) {
                e->i[0] = amount = amount * (85 + below(r, 20)) / 100 / 100 * 100; /* a revised quote */
            }
            if ((e = add(s, LSS__EV_DEAL_WIN, t, key)) == NULL)
                return LSS_TIME_NONE;
            e->i[0] = -1;
            return t;
        }
        if ((e = add(s, LSS__EV_DEAL_ADVANCE, t, key)) == NULL)
            return LSS_TIME_NONE;
        e->i[0] = stage + 1;
        follow_up(c, cust, key, owner, t + HOUR, stage == 2 ? LSS_ACTIVITY_FOLLOW_UP : LSS_ACTIVITY_CALL);
        /* the forecast: best case once presented, commit when negotiating, a few left out */
        int category = stage == 1 && chance(r, 0.6) ? LSS_FORECAST_BEST_CASE
                       : stage == 2 && chance(r, 0.7) ? LSS_FORECAST_COMMIT
                       : stage == 0 && chance(r, 0.08) ? LSS_FORECAST_OMITTED
                                                       : -1;
        if (category >= 0 && (e = add(s, LSS__EV_DEAL_FORECAST, t, key)) != NULL)
            e->i[0] = category;
        if (stage == 2 && chance(r, 0.1) && (e = add(s, LSS__EV_DEAL_PROBABILITY, t, key)) != NULL)
            e->i[0] = 85 + below(r, 11); /* the rep is sure */
        /* the expected close slips when the next step will not make it */
        if (close != LSS_TIME_NONE && t + (lss_time)(step_days[stage + 1] * DAY) > close && chance(r, 0.7) &&
            (e = add(s, LSS__EV_DEAL_CLOSE_DATE, t, key)) != NULL)
            e->i[0] = close = t + (lss_time)(14 + below(r, 30)) * DAY;
    }
    return LSS_TIME_NONE;
}

static void customer(company *c, uint32_t i)
{
    story *s = c->s;
    rng *r = &c->r;
    const lss_generate_options *o = c->o;
    static const double srcw[6] = { 35, 15, 15, 20, 10, 5 };
    static const double segw[3] = { 70, 20, 10 };
    double span = (double)o->days * DAY / o->customers;
    lss_time at = o->start + (lss_time)((i + uni(r)) * span);
    int source = pick(r, srcw, 6), segment = pick(r, segw, 3);
    static const char *const SEGMENT[3] = { "smb", "mid", "enterprise" };
    const char *key = text(s, "c-%06u", i + 1);
    lss__event *e = add(s, LSS__EV_CUSTOMER_ADD, at, key);
    if (e == NULL || key == NULL)
        return;
    e->s[1] = text(s, "%s%s %s", FIRST[below(r, 16)], SECOND[below(r, 14)], SUFFIX[below(r, 8)]);
    e->s[2] = chance(r, 0.7) ? text(s, "contact@%s.example", key) : NULL;
    e->s[4] = SEGMENT[segment];
    if (source == LSS_SOURCE_REFERRAL && i > 0) {
        e->s[5] = text(s, "c-%06u", below(r, i) + 1);
        e->i[0] = LSS_SOURCE_REFERRAL;
    } else {
        e->i[0] = source == LSS_SOURCE_REFERRAL ? LSS_SOURCE_OTHER : source;
    }
    uint32_t rep = below(r, o->sales_reps);
    lss_time last_win = LSS_TIME_NONE, t = at;
    if (chance(r, 0.8)) {
        lss_time won = deal(c, key, segment, at + expo(r, 2 * DAY), rep);
        while (won != LSS_TIME_NONE) {
            last_win = won;
            /* installation, then service over time */
            if (chance(r, 0.6))
                ticket(c, key, NULL, won + expo(r, 3 * DAY), LSS_TICKET_INSTALLATION);
            lss_time tt = won;
            for (;;) {
                tt += expo(r, 100 * DAY);
                if (tt >= c->end)
                    break;
                static const double kw[7] = { 0, 0, 25, 35, 6, 6, 28 };
                ticket(c, key, NULL, tt, pick(r, kw, 7));
            }
            if (!chance(r, 0.3))
                break;
            won = deal(c, key, segment, won + 30 * DAY + expo(r, 60 * DAY), rep); /* a repeat purchase */
        }
        t = last_win;
    }
    if (last_win != LSS_TIME_NONE && chance(r, 0.4) &&
        (e = add(s, LSS__EV_CUSTOMER_NPS, last_win + 30 * DAY + expo(r, 30 * DAY), key)) != NULL) {
        static const double npsw[11] = { 1, 1, 1, 2, 2, 3, 4, 8, 14, 22, 24 };
        e->i[0] = pick(r, npsw, 11);
        e->s[1] = e->i[0] <= 6 && chance(r, 0.5) ? text(s, "%s", "support was slow") : NULL;
    }
    if (last_win != LSS_TIME_NONE && chance(r, 0.12))
        (void)add(s, LSS__EV_CUSTOMER_CHURN, t + 90 * DAY + expo(r, 120 * DAY), key);
    if (chance(r, 0.1) && (e = add(s, LSS__EV_CUSTOMER_UPDATE, at + expo(r, 60 * DAY), key))) {
        e->s[3] = text(s, "%s Holding", FIRST[below(r, 16)]);
    }
}

/* Order a story by time, keeping the written order of equal times (insertion
 * sort: a story is short and nearly sorted). */
static void sort_story(story *s)
{
    for (int k = 1; k < s->n; k++) {
        uint32_t x = s->order[k];
        int j = k - 1;
        while (j >= 0 && s->ev[s->order[j]].at > s->ev[x].at) {
            s->order[j + 1] = s->order[j];
            j--;
        }
        s->order[j + 1] = x;
    }
}

/* ---- the company ----------------------------------------------------------------- */

static lss_status team(lss_db *db, const lss_generate_options *o)
{
    static const char *const NAMES[] = { "Anna Berg", "Raj Patel", "Mia Lund", "Omar Haddad", "Lena Vogel",
                                         "Tom Reyes", "Ines Costa", "Jon Eriksen", "Sara Kim", "Luca Bruni" };
    static const char *const TEAMS[] = { "North", "South", "West" };
    lss_status st;
    char key[16], name[64];
    for (uint32_t k = 1; k <= o->sales_reps; k++) {
        snprintf(key, sizeof key, "s-%02u", k);
        snprintf(name, sizeof name, "%s %u", NAMES[(k - 1) % 10], k);
        if ((st = lss_member_add(NULL, db, o->start, key, name, LSS_ROLE_SALES, TEAMS[(k - 1) % 3])))
            return st;
        /* a quota per quarter of the period (the period cut in quarters of about 91 days) */
        uint32_t nq = (o->days * 4 + 182) / 365;
        nq = nq ? nq : 1;
        for (uint32_t q = 0; q < nq; q++) {
            lss_time from = o->start + (lss_time)o->days * DAY * q / nq;
            lss_time to = o->start + (lss_time)o->days * DAY * (q + 1) / nq;
            if ((st = lss_quota_set(db, o->start, key, from, to,
                                    (lss_money)(o->customers * 500000LL / o->sales_reps / nq + 100))))
                return st;
        }
    }
    /* a second pipeline, services, with its own stage probabilities */
    static const int services_pct[4] = { 15, 30, 55, 80 };
    if ((st = lss_pipeline_add(db, o->start, "services", "Services and support")))
        return st;
    for (int g = 0; g < 4; g++)
        if ((st = lss_pipeline_stage_probability_set(db, o->start, "services", (lss_stage)g, services_pct[g])))
            return st;
    for (uint32_t k = 1; k <= o->agents; k++) {
        snprintf(key, sizeof key, "a-%02u", k);
        snprintf(name, sizeof name, "%s %u", NAMES[(k + 4) % 10], k);
        if ((st = lss_member_add(NULL, db, o->start, key, name, k == 1 ? LSS_ROLE_BOTH : LSS_ROLE_SERVICE,
                                 "Support")))
            return st;
    }
    return LSS_OK;
}

/* Write customer i's story into c->s, in time order (s->order). */
static void write_story(company *c, uint32_t i)
{
    story *s = c->s;
    s->n = 0;
    s->used = 0;
    s->end = c->end;
    s->full = false;
    customer(c, i);
    /* an entity's own events are already in order */
    sort_story(s);
}

/* Apply ev, the k-th event of the order; a failure names it. */
static lss_status apply(lss_db *db, const lss__event *ev, uint64_t k, uint32_t customer)
{
    lss_status st = lss__event_apply(db, ev, NULL);
    if (st != LSS_OK) {
        char msg[LSS__MSG_MAX], who[48] = "";
        snprintf(msg, sizeof msg, "%s", lss_db_errmsg(db));
        if (customer)
            snprintf(who, sizeof who, "customer %u, ", customer);
        st = lss__fail(db, st, "generate: %sevent %llu (%s): %s", who, (unsigned long long)k,
                       lss__ev_descs[ev->kind].name, msg);
    }
    return st;
}

/* One story after another, in transactions of a thousand customers. */
static lss_status by_customer(lss_db *db, company *c)
{
    const lss_generate_options *o = c->o;
    lss_status st = LSS_OK;
    for (uint32_t i = 0; st == LSS_OK && i < o->customers; i++) {
        if (i % 1000 == 0 && (st = lss_tx_begin(db)))
            break;
        write_story(c, i);
        for (int k = 0; k < c->s->n && st == LSS_OK; k++)
            st = apply(db, &c->s->ev[c->s->order[k]], (uint64_t)k, i + 1);
        if (st == LSS_OK && (i % 1000 == 999 || i + 1 == o->customers)) {
            st = lss_tx_commit(db);
            if (o->progress)
                o->progress(o->progress_ctx, i + 1, o->customers);
        }
    }
    return st;
}

/* Where an event of the whole company is, held, until the sort. */
typedef struct placed {
    lss_time at;
    uint64_t off; /* in the buffer: the order of writing, customer by customer */
    uint32_t len;
    uint8_t kind;
} placed;

static int cmp_placed(const void *pa, const void *pb)
{
    const placed *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->off < b->off ? -1 : a->off > b->off;
}

typedef struct placement {
    unsigned char *bytes;
    size_t len, cap;
    placed *ev;
    size_t n, ncap; /* ncap in bytes */
    uint32_t max_len;
} placement;

/* Hold every event of every story (the first half of the progress). */
static lss_status place_all(company *c, placement *p)
{
    const lss_generate_options *o = c->o;
    for (uint32_t i = 0; i < o->customers; i++) {
        write_story(c, i);
        for (int k = 0; k < c->s->n; k++) {
            const lss__event *ev = &c->s->ev[c->s->order[k]];
            size_t n = lss__event_size(ev, true); /* keys as keys: the entities do not exist yet */
            if (lss__bytes_reserve(&p->ev, &p->ncap, p->n * sizeof *p->ev, sizeof *p->ev, 4096 * sizeof *p->ev))
                return LSS_NOMEM;
            if (lss__bytes_reserve(&p->bytes, &p->cap, p->len, n, 1u << 20))
                return LSS_NOMEM;
            lss__event_encode(ev, p->bytes + p->len, true);
            p->ev[p->n++] = (placed){ ev->at, p->len, (uint32_t)n, ev->kind };
            p->len += n;
            p->max_len = n > p->max_len ? (uint32_t)n : p->max_len;
        }
        if (o->progress && (i % 1000 == 999 || i + 1 == o->customers))
            o->progress(o->progress_ctx, i + 1, 2ull * o->customers);
    }
    return LSS_OK;
}

/* Every event of the company sorted by time, in transactions of ten
 * thousand events. */
static lss_status by_time(lss_db *db, company *c)
{
    const lss_generate_options *o = c->o;
    placement p = { 0 };
    char *scratch = NULL;
    lss_status st = place_all(c, &p);
    if (st == LSS_OK) {
        qsort(p.ev, p.n, sizeof *p.ev, cmp_placed);
        if ((scratch = lss__malloc(p.max_len + LSS__EV_STRS + 1)) == NULL)
            st = LSS_NOMEM;
    }
    if (st == LSS_NOMEM)
        st = lss__fail(db, LSS_NOMEM, "generate: out of memory for the events of %u customers", o->customers);
    for (size_t k = 0; st == LSS_OK && k < p.n; k++) {
        lss__event ev;
        if (k % 10000 == 0 && (st = lss_tx_begin(db)))
            break;
        if (!lss__event_decode(&ev, p.ev[k].kind, p.bytes + p.ev[k].off, p.ev[k].len, scratch, true))
            st = lss__fail(db, LSS_CORRUPT, "generate: held event %zu does not decode", k); /* cannot happen */
        else
            st = apply(db, &ev, k, 0);
        if (st == LSS_OK && (k % 10000 == 9999 || k + 1 == p.n)) {
            st = lss_tx_commit(db);
            if (o->progress)
                o->progress(o->progress_ctx, o->customers + (uint64_t)o->customers * (k + 1) / p.n,
                            2ull * o->customers);
        }
    }
    lss__free(scratch);
    lss__free(p.bytes);
    lss__free(p.ev);
    return st;
}

lss_status lss_generate(lss_db *db, const lss_generate_options *opts)
{
    static const char ctx[] = "generate";
    lss_generate_options def = LSS_GENERATE_OPTIONS_INIT;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    if (opts == NULL)
        opts = &def;
    if (opts->version != 1 && opts->version != LSS_GENERATE_OPTIONS_VERSION)
        return lss__fail(db, LSS_VERSION, "%s: options version %u is not supported (expected 1 or %d)", ctx,
                         opts->version, LSS_GENERATE_OPTIONS_VERSION);
    lss_generate_order order = opts->version >= 2 ? opts->order : LSS_GENERATE_BY_CUSTOMER;
    if (opts->customers < 1 || opts->customers > 10000000 || opts->days < 1 || opts->days > 3650 ||
        opts->sales_reps < 1 || opts->sales_reps > 1000 || opts->agents < 1 || opts->agents > 1000 ||
        opts->start < 0 || opts->start + (lss_time)opts->days * DAY > LSS_TIME_MAX)
        return lss__fail(db, LSS_INVALID,
                         "%s: options out of range (customers 1 to 10,000,000, days 1 to 3650, sales reps and "
                         "agents 1 to 1000, the period within years 1970-9999)",
                         ctx);
    if (lss_generate_order_name((int)order) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: order %d is not by customer (0) or by time (1)", ctx, (int)order);
    lss__lock(db);
    if (db->events != 0 || db->tx_active) {
        lss__unlock(db);
        return lss__fail(db, LSS_MISUSE, "%s: the database must be empty and without an open transaction", ctx);
    }
    story *s = lss__malloc(sizeof *s);
    if (s == NULL) {
        lss__unlock(db);
        return lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
    }
    company c = { { opts->seed }, opts, s, opts->start + (lss_time)opts->days * DAY, 0, 0, 0 };
    lss_status st = lss_tx_begin(db);
    if (st == LSS_OK && (st = team(db, opts)) == LSS_OK)
        st = lss_tx_commit(db);
    else if (db->tx_active)
        lss_tx_rollback(db);
    if (st == LSS_OK)
        st = order == LSS_GENERATE_BY_TIME ? by_time(db, &c) : by_customer(db, &c);
    if (st != LSS_OK && db->tx_active)
        lss_tx_rollback(db);
    lss__free(s);
    lss__unlock(db);
    return st;
}
