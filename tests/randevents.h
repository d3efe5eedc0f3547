/* Random but valid-looking event sequences for property tests: a small
 * company (5 members, lenient pipeline) whose customers, deals, tickets,
 * activities, quotas and settings change at random, including events that
 * the library must refuse (unknown keys, forbidden transitions). */
#ifndef LSS_RANDEVENTS_H
#define LSS_RANDEVENTS_H

#include "testutil.h"

typedef struct rng { uint64_t s; } rng;
uint64_t rng_next(rng *r);
int rng_pick(rng *r, int n);  /* 0 .. n-1 */

enum { E_CUST, E_SEG, E_CHURN, E_OPEN, E_ADV, E_AMT, E_ASSIGN, E_WIN, E_LOSE, E_REOPEN, E_TOPEN, E_TASSIGN,
       E_CONTACT, E_WAIT, E_RESUME, E_RESOLVE, E_TREOPEN, E_CLOSE, E_RATE, E_TPRIO, E_QUOTA, E_SLA, E_PROB, E_ACT,
       E_ERASE, E_PIPE, E_CLOSE_DATE, E_FORECAST, E_DPROB, E_NPS, E_TASK, E_TRESCHEDULE, E_TASSIGN2, E_TDONE, E_TCANCEL,
       E_KINDS };

typedef struct ev {
    int kind;
    lss_time at;
    int a, b, c;
    int64_t amount;
} ev;

extern const char *const RAND_SEGMENTS[3];
extern const char *const RAND_SALES[3];
extern const char *const RAND_AGENTS[3];

/* n events in time order (ties happen) starting at 1000. */
void rand_events(ev *evs, int n, rng *r);
/* Apply one through the public API; the library's status. */
lss_status rand_apply(lss_db *db, const ev *e);
/* The team every sequence assumes: 5 member.add events at time 0. */
void rand_team(lss_db *db);
lss_status rand_team_member(lss_db *db, int i); /* the i-th of them */
/* An in-memory lenient database with the team. */
lss_db *rand_base(void);

#endif
