/* Random event sequences for property tests (see randevents.h). */
#include "randevents.h"

#include <stdio.h>

uint64_t rng_next(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}
int rng_pick(rng *r, int n) { return (int)(rng_next(r) % (uint64_t)n); }

const char *const RAND_SEGMENTS[3] = { "smb", "ent", "gov" };
const char *const RAND_SALES[3] = { "s0", "s1", "s2" };
const char *const RAND_AGENTS[3] = { "a0", "a1", "s2" }; /* s2 has role both */

lss_status rand_apply(lss_db *db, const ev *e)
{
    char k1[16], k2[16];
    switch (e->kind) {
    case E_CUST:
        snprintf(k1, sizeof k1, "c%d", e->a);
        snprintf(k2, sizeof k2, "c%d", e->b);
        return lss_customer_add(NULL, db, e->at, k1, k1, e->c % 2 ? "x@example.com" : NULL, e->c == 1 ? "Co" : NULL,
                                e->c < 3 ? RAND_SEGMENTS[e->c] : NULL,
                                e->b >= 0 ? LSS_SOURCE_REFERRAL : LSS_SOURCE_WEB, e->b >= 0 ? k2 : NULL);
    case E_SEG:
        snprintf(k1, sizeof k1, "c%d", e->a);
        return lss_customer_update(db, e->at, k1, e->c % 4 == 1 ? "New name" : NULL, NULL,
                                   e->c % 4 == 2 ? "New Co" : NULL, e->c % 4 == 1 ? NULL : RAND_SEGMENTS[e->c % 3]);
    case E_CHURN:
        snprintf(k1, sizeof k1, "c%d", e->a);
        return lss_customer_churn(db, e->at, k1);
    case E_OPEN:
        snprintf(k1, sizeof k1, "d%d", e->a);
        snprintf(k2, sizeof k2, "c%d", e->b);
        return lss_deal_open_in(NULL, db, e->at, k1, k2, RAND_SALES[e->c % 3], e->amount, e->c % 2 ? "Title" : NULL,
                                e->c % 3 ? LSS_TIME_NONE : e->at + 86400,
                                e->c % 4 == 1 ? "p1" : e->c % 4 == 2 ? "p2" : NULL); /* p2 may not exist yet */
    case E_TASK:
        snprintf(k1, sizeof k1, "k%d", e->a);
        snprintf(k2, sizeof k2, "c%d", e->b);
        return lss_task_add(NULL, db, e->at, k1, k2, e->c % 2 ? RAND_SALES[e->c % 3] : RAND_AGENTS[e->c % 3],
                            (lss_activity_kind)(e->c % 9), e->at + (e->c - 4) * 1500, NULL, NULL,
                            e->c % 3 ? "follow up" : NULL);
    case E_TRESCHEDULE:
    case E_TASSIGN2:
    case E_TDONE:
    case E_TCANCEL:
        snprintf(k1, sizeof k1, "k%d", e->a);
        return e->kind == E_TRESCHEDULE ? lss_task_reschedule(db, e->at, k1, e->at + (e->c - 2) * 2000)
               : e->kind == E_TASSIGN2  ? lss_task_assign(db, e->at, k1, RAND_SALES[e->c % 3])
               : e->kind == E_TDONE     ? lss_task_done(db, e->at, k1, e->c % 2 ? "done note" : NULL)
                                        : lss_task_cancel(db, e->at, k1);
    case E_NPS:
        snprintf(k1, sizeof k1, "c%d", e->a % 7);
        return lss_customer_nps(db, e->at, k1, e->c % 11, e->c % 2 ? "would recommend" : NULL);
    case E_PIPE:
        return lss_pipeline_add(db, e->at, e->c % 2 ? "p1" : "p2", e->c % 2 ? "One" : "Two");
    case E_CLOSE_DATE:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_set_close_date(db, e->at, k1, e->at + (e->c - 3) * 3000);
    case E_FORECAST:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_set_forecast(db, e->at, k1, (lss_forecast_category)(e->c % 4));
    case E_DPROB:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_set_probability(db, e->at, k1, e->c % 3 ? e->c * 8 : -1);
    case E_ADV:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_advance(db, e->at, k1, (lss_stage)(1 + e->c % 3));
    case E_AMT:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_set_amount(db, e->at, k1, e->amount);
    case E_ASSIGN:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_assign(db, e->at, k1, RAND_SALES[e->c % 3]);
    case E_WIN:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_win(db, e->at, k1, e->c % 2 ? e->amount : -1);
    case E_LOSE:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_lose(db, e->at, k1, (lss_loss_reason)(e->c % 6), e->c % 2 ? "lost note" : NULL);
    case E_REOPEN:
        snprintf(k1, sizeof k1, "d%d", e->a);
        return lss_deal_reopen(db, e->at, k1);
    case E_TOPEN:
        snprintf(k1, sizeof k1, "t%d", e->a);
        snprintf(k2, sizeof k2, "c%d", e->b);
        return lss_ticket_open(NULL, db, e->at, k1, k2, (lss_ticket_kind)(e->c % 7), (lss_channel)(e->c % 6),
                               (lss_priority)(e->c % 4), e->c % 2 ? "Subject" : NULL, NULL);
    case E_TASSIGN:
        snprintf(k1, sizeof k1, "t%d", e->a);
        return lss_ticket_assign(db, e->at, k1, RAND_AGENTS[e->c % 3]);
    case E_CONTACT:
        snprintf(k1, sizeof k1, "t%d", e->a);
        return lss_ticket_contact(db, e->at, k1, RAND_AGENTS[e->c % 3], e->amount % 3600, -1);
    case E_WAIT:
    case E_RESUME:
    case E_RESOLVE:
    case E_TREOPEN:
    case E_CLOSE:
        snprintf(k1, sizeof k1, "t%d", e->a);
        return e->kind == E_WAIT      ? lss_ticket_wait(db, e->at, k1)
               : e->kind == E_RESUME  ? lss_ticket_resume(db, e->at, k1)
               : e->kind == E_RESOLVE ? lss_ticket_resolve(db, e->at, k1, e->c % 2 ? "resolve note" : NULL)
               : e->kind == E_TREOPEN ? lss_ticket_reopen(db, e->at, k1)
                                      : lss_ticket_close(db, e->at, k1);
    case E_RATE:
        snprintf(k1, sizeof k1, "t%d", e->a);
        return lss_ticket_rate(db, e->at, k1, 1 + e->c % 5, e->c % 2 ? "a comment" : NULL);
    case E_TPRIO:
        snprintf(k1, sizeof k1, "t%d", e->a);
        return lss_ticket_set_priority(db, e->at, k1, (lss_priority)(e->c % 4));
    case E_QUOTA:
        return lss_quota_set(db, e->at, RAND_SALES[e->c % 3], (lss_time)e->a * 20000, (lss_time)(e->a + 1) * 20000,
                             e->amount + 1);
    case E_SLA:
        return lss_sla_set(db, e->at, (lss_priority)(e->c % 4), 60 * (1 + e->a % 100), 600 * (1 + e->a % 100));
    case E_ACT: {
        snprintf(k1, sizeof k1, "c%d", e->a);
        snprintf(k2, sizeof k2, "d%d", e->b);
        return lss_activity_log(NULL, db, e->at, k1, RAND_SALES[e->c % 3], (lss_activity_kind)(e->c % 9),
                                (lss_channel)(e->c % 6), e->c % 2 ? (int64_t)(e->amount % 7200) : -1,
                                e->b >= 0 ? k2 : NULL, e->c % 3 ? "met" : NULL);
    }
    case E_ERASE:
        snprintf(k1, sizeof k1, "c%d", e->a);
        return lss_customer_erase(db, e->at, k1);
    case E_PROB:
        return lss_pipeline_stage_probability_set(db, e->at, e->a % 3 == 1 ? "p1" : NULL, (lss_stage)(e->c % 4),
                                                  e->a % 101);
    default:
        return LSS_MISUSE;
    }
}

lss_status rand_team_member(lss_db *db, int i)
{
    static const struct { const char *key, *name, *team; lss_role role; } team[5] = {
        { "s0", "S0", "north", LSS_ROLE_SALES }, { "s1", "S1", "south", LSS_ROLE_SALES },
        { "s2", "S2", "north", LSS_ROLE_BOTH },  { "a0", "A0", "desk", LSS_ROLE_SERVICE },
        { "a1", "A1", NULL, LSS_ROLE_SERVICE },
    };
    return lss_member_add(NULL, db, 0, team[i].key, team[i].name, team[i].role, team[i].team);
}

void rand_team(lss_db *db)
{
    for (int i = 0; i < 5; i++)
        assert_int_equal(rand_team_member(db, i), LSS_OK);
}

lss_db *rand_base(void)
{
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    rand_team(db);
    return db;
}

void rand_events(ev *evs, int n, rng *r)
{
    int customers = 0, deals = 0, tickets = 0, tasks = 0;
    lss_time at = 1000;
    for (int i = 0; i < n; i++) {
        ev e = { rng_pick(r, E_KINDS), at, 0, -1, rng_pick(r, 12), (int64_t)(rng_next(r) % 500000) };
        if (i < 5 || customers == 0)
            e.kind = E_CUST;
        if (e.kind == E_ERASE && rng_pick(r, 3)) /* erasure is rare */
            e.kind = E_CHURN;
        switch (e.kind) {
        case E_CUST:
            e.a = customers++;
            e.b = rng_pick(r, 4) == 0 && e.a > 0 ? rng_pick(r, e.a) : -1;
            e.c = rng_pick(r, 4);
            break;
        case E_SEG:
        case E_CHURN:
        case E_ERASE:
            e.a = rng_pick(r, customers + 1); /* sometimes one that does not exist yet */
            break;
        case E_ACT:
            e.a = rng_pick(r, customers);
            e.b = deals && rng_pick(r, 2) ? rng_pick(r, deals) : -1; /* may belong to another customer */
            break;
        case E_OPEN:
            e.a = deals++;
            e.b = rng_pick(r, customers);
            break;
        case E_TOPEN:
            e.a = tickets++;
            e.b = rng_pick(r, customers);
            break;
        case E_TASK:
            e.a = tasks++;
            e.b = rng_pick(r, customers);
            break;
        case E_TRESCHEDULE:
        case E_TASSIGN2:
        case E_TDONE:
        case E_TCANCEL:
            e.a = rng_pick(r, tasks + 1);
            break;
        case E_QUOTA:
        case E_SLA:
        case E_PROB:
            e.a = rng_pick(r, 12);
            break;
        default:
            if (e.kind >= E_TASSIGN && e.kind <= E_TPRIO)
                e.a = rng_pick(r, tickets + 1);
            else
                e.a = rng_pick(r, deals + 1);
        }
        evs[i] = e;
        at += rng_pick(r, 4) == 0 ? 0 : rng_pick(r, 600); /* ties happen */
    }
}
