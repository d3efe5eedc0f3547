/* The ticket lifecycle, the SLA clock, the customer view. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NEW = LSS_TICKET_NEW, OPEN = LSS_TICKET_OPEN, PEN = LSS_TICKET_PENDING, RES = LSS_TICKET_RESOLVED,
       CLO = LSS_TICKET_CLOSED, X = -1 };
enum { E_ASSIGN, E_CONTACT, E_WAIT, E_RESUME, E_RESOLVE, E_REOPEN, E_CLOSE, E_RATE, E_PRIO, E_COUNT };
static const char *const ev_names[E_COUNT] = { "assign", "contact", "wait",  "resume",  "resolve",
                                               "reopen", "close",   "rate",  "priority" };

/* expected state after [start][event], written out from the event spec */
static const int table[5][E_COUNT] = {
    /*          assign contact wait resume resolve reopen close rate priority */
    /* NEW */ { OPEN, OPEN, X, X, X, X, X, X, NEW },
    /* OPEN */ { OPEN, OPEN, PEN, X, RES, X, X, X, OPEN },
    /* PEN */ { PEN, PEN, X, OPEN, RES, X, X, X, PEN },
    /* RES */ { RES, X, X, X, X, OPEN, CLO, RES, X },
    /* CLO */ { X, X, X, X, X, X, X, CLO, X },
};

static lss_db *base(void)
{
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "a-1", "Agent One", LSS_ROLE_SERVICE, "Desk"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "a-2", "Agent Two", LSS_ROLE_BOTH, "Desk"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "s-1", "Seller", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c2", "C2", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    return db;
}

static lss_db *ticket_in(int state)
{
    lss_db *db = base();
    assert_int_equal(lss_ticket_open(NULL, db, 10, "t", "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_EMAIL,
                                     LSS_PRIORITY_HIGH, "Printer on fire", NULL),
                     LSS_OK);
    if (state != NEW)
        assert_int_equal(lss_ticket_assign(db, 20, "t", "a-1"), LSS_OK);
    if (state == PEN)
        assert_int_equal(lss_ticket_wait(db, 30, "t"), LSS_OK);
    if (state == RES || state == CLO)
        assert_int_equal(lss_ticket_resolve(db, 30, "t", NULL), LSS_OK);
    if (state == CLO)
        assert_int_equal(lss_ticket_close(db, 40, "t"), LSS_OK);
    return db;
}

static lss_status apply(lss_db *db, int e, lss_time at)
{
    switch (e) {
    case E_ASSIGN: return lss_ticket_assign(db, at, "t", "a-2");
    case E_CONTACT: return lss_ticket_contact(db, at, "t", "a-2", 300, LSS_CHANNEL_PHONE);
    case E_WAIT: return lss_ticket_wait(db, at, "t");
    case E_RESUME: return lss_ticket_resume(db, at, "t");
    case E_RESOLVE: return lss_ticket_resolve(db, at, "t", "replaced the fuser");
    case E_REOPEN: return lss_ticket_reopen(db, at, "t");
    case E_CLOSE: return lss_ticket_close(db, at, "t");
    case E_RATE: return lss_ticket_rate(db, at, "t", 4, "quick");
    case E_PRIO: return lss_ticket_set_priority(db, at, "t", LSS_PRIORITY_URGENT);
    }
    return LSS_INVALID;
}

static void test_ticket_events_from_every_state(void **state)
{
    (void)state;
    static const lss_ticket_change_kind kinds[E_COUNT] = {
        LSS_TICKET_EV_ASSIGN, LSS_TICKET_EV_CONTACT, LSS_TICKET_EV_WAIT, LSS_TICKET_EV_RESUME,
        LSS_TICKET_EV_RESOLVE, LSS_TICKET_EV_REOPEN, LSS_TICKET_EV_CLOSE, LSS_TICKET_EV_RATE, LSS_TICKET_EV_PRIORITY,
    };
    for (int s = NEW; s <= CLO; s++) {
        for (int e = 0; e < E_COUNT; e++) {
            lss_db *db = ticket_in(s);
            const lss_ticket *t;
            assert_int_equal(lss_ticket_find(&t, db, "t"), LSS_OK);
            uint32_t hist = lss_ticket_history_count(t);
            char *before = dump(db);
            lss_status st = apply(db, e, 100);
            if (table[s][e] == X) {
                if (st != LSS_TRANSITION)
                    fail_msg("%s in %s: got %s, expected LSS_TRANSITION", ev_names[e], lss_ticket_state_name(s),
                             lss_status_name(st));
                assert_status_msg(db, st, LSS_TRANSITION, "ticket \"t\": cannot ", lss_ticket_state_name(s));
                char *after = dump(db);
                assert_string_equal(before, after);
                free(after);
            } else {
                if (st != LSS_OK)
                    fail_msg("%s in %s: got %s (%s)", ev_names[e], lss_ticket_state_name(s), lss_status_name(st),
                             lss_db_errmsg(db));
                assert_int_equal(lss_ticket_state_of(t), table[s][e]);
                assert_int_equal(lss_ticket_history_count(t), hist + 1);
                lss_ticket_change ch;
                assert_int_equal(lss_ticket_history_get(&ch, t, hist), LSS_OK);
                assert_int_equal(ch.kind, kinds[e]);
                assert_int_equal(ch.at, 100);
                assert_int_equal(ch.state, table[s][e]);
                assert_int_equal(ch.from_state, s);
                assert_int_equal(lss_ticket_last_at(t), 100);
                if (e == E_ASSIGN)
                    assert_string_equal(lss_member_key(lss_ticket_assignee(t)), "a-2");
                if (e == E_CONTACT) {
                    assert_string_equal(lss_member_key(ch.agent), "a-2");
                    assert_int_equal(ch.duration, 300);
                    assert_int_equal(ch.channel, LSS_CHANNEL_PHONE);
                    assert_int_equal(lss_ticket_contact_count(t), 1);
                    assert_int_equal(lss_ticket_first_response_at(t), 100);
                }
                if (e == E_RESOLVE) {
                    assert_string_equal(ch.text, "replaced the fuser");
                    assert_int_equal(lss_ticket_first_resolution_at(t), 100);
                }
                if (e == E_REOPEN)
                    assert_int_equal(lss_ticket_reopen_count(t), 1);
                assert_int_equal(ch.priority, e == E_PRIO ? LSS_PRIORITY_URGENT : LSS_PRIORITY_HIGH);
                assert_int_equal(lss_ticket_priority(t), e == E_PRIO ? LSS_PRIORITY_URGENT : LSS_PRIORITY_HIGH);
                if (e == E_PRIO) { /* the urgent targets of the policy kept from the opening: 1 h / 8 h */
                    lss_sla_state sla;
                    assert_int_equal(lss_ticket_sla(&sla, t, 101), LSS_OK);
                    assert_int_equal(sla.first_response_target, 3600);
                    assert_int_equal(sla.priority, LSS_PRIORITY_URGENT);
                    assert_int_equal(lss_ticket_sla(&sla, t, 100), LSS_OK);
                    assert_int_equal(sla.first_response_target, 4 * 3600);
                }
                if (e == E_RATE) {
                    assert_int_equal(lss_ticket_score(t), 4);
                    assert_int_equal(lss_ticket_rated_at(t), 100);
                    assert_string_equal(ch.text, "quick");
                }
            }
            free(before);
            lss_db_close(db);
        }
    }
}

static void test_ticket_time_order_agents_and_fields(void **state)
{
    (void)state;
    lss_db *db = ticket_in(OPEN); /* last event at 20 */
    char *before = dump(db);
    assert_status_msg(db, lss_ticket_wait(db, 19, "t"), LSS_OUT_OF_ORDER,
                      "ticket.wait: ticket \"t\": event at 1970-01-01T00:00:19Z is earlier than its last event at "
                      "1970-01-01T00:00:20Z");
    assert_status_msg(db, lss_ticket_assign(db, 30, "t", "s-1"), LSS_ROLE,
                      "agent \"s-1\" has role sales (an agent needs role service or both)");
    assert_status_msg(db, lss_ticket_contact(db, 30, "t", "s-1", 5, -1), LSS_ROLE, "role sales");
    assert_status_msg(db, lss_ticket_contact(db, 30, "t", "zz", 5, -1), LSS_NOT_FOUND, "agent \"zz\" does not exist");
    assert_status_msg(db, lss_ticket_contact(db, 30, "t", "a-1", -1, -1), LSS_INVALID, "field \"duration\"");
    assert_status_msg(db, lss_ticket_contact(db, 30, "t", "a-1", 31536001, -1), LSS_INVALID, "field \"duration\"");
    assert_status_msg(db, lss_ticket_contact(db, 30, "t", "a-1", 5, 6), LSS_INVALID, "field \"channel\": 6");
    assert_status_msg(db, lss_ticket_wait(db, 30, "nope"), LSS_NOT_FOUND, "ticket.wait: ticket \"nope\" does not exist");
    assert_status_msg(db, lss_ticket_open(NULL, db, 30, "t", "c", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT,
                                          LSS_PRIORITY_LOW, NULL, NULL),
                      LSS_EXISTS, "ticket \"t\" already exists");
    assert_status_msg(db, lss_ticket_open(NULL, db, 30, "t2", "c", (lss_ticket_kind)7, LSS_CHANNEL_CHAT,
                                          LSS_PRIORITY_LOW, NULL, NULL),
                      LSS_INVALID, "field \"kind\": 7");
    assert_status_msg(db, lss_ticket_open(NULL, db, 30, "t2", "c", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT,
                                          (lss_priority)4, NULL, NULL),
                      LSS_INVALID, "field \"priority\": 4");
    assert_status_msg(db, lss_ticket_open(NULL, db, 30, "t2", "cx", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT,
                                          LSS_PRIORITY_LOW, NULL, NULL),
                      LSS_NOT_FOUND, "customer \"cx\" does not exist");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(after);
    /* the same second as the last event is fine; a contact in pending keeps it pending */
    assert_int_equal(lss_ticket_wait(db, 20, "t"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, 25, "t", "a-1", 60, -1), LSS_OK);
    const lss_ticket *t;
    assert_int_equal(lss_ticket_find(&t, db, "t"), LSS_OK);
    assert_int_equal(lss_ticket_state_of(t), LSS_TICKET_PENDING);
    lss_ticket_change ch;
    assert_int_equal(lss_ticket_history_get(&ch, t, lss_ticket_history_count(t) - 1), LSS_OK);
    assert_int_equal(ch.channel, LSS_CHANNEL_EMAIL); /* -1: the ticket's own channel */
    /* scores */
    assert_int_equal(lss_ticket_resolve(db, 30, "t", NULL), LSS_OK);
    assert_status_msg(db, lss_ticket_rate(db, 31, "t", 0, NULL), LSS_INVALID, "field \"score\": 0 is out of range (1 to 5)");
    assert_status_msg(db, lss_ticket_rate(db, 31, "t", 6, NULL), LSS_INVALID, "field \"score\": 6");
    assert_int_equal(lss_ticket_rate(db, 31, "t", 2, NULL), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, 40, "t", 5, "better now"), LSS_OK); /* replaces */
    assert_int_equal(lss_ticket_score(t), 5);
    assert_int_equal(lss_ticket_rated_at(t), 40);
    free(before);
    lss_db_close(db);
}

static void test_ticket_open_fields_and_deal_of_same_customer(void **state)
{
    (void)state;
    lss_db *db = base();
    assert_int_equal(lss_deal_open(NULL, db, 5, "d", "c", "s-1", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_status_msg(db, lss_ticket_open(NULL, db, 10, "t", "c2", LSS_TICKET_INSTALLATION, LSS_CHANNEL_PHONE,
                                          LSS_PRIORITY_NORMAL, NULL, "d"),
                      LSS_INVALID, "deal \"d\" belongs to customer \"c\", not \"c2\"");
    const lss_ticket *t;
    assert_int_equal(lss_ticket_open(&t, db, 10, "t", "c", LSS_TICKET_INSTALLATION, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_NORMAL, "Docking stations", "d"),
                     LSS_OK);
    assert_string_equal(lss_ticket_key(t), "t");
    assert_string_equal(lss_ticket_subject(t), "Docking stations");
    assert_string_equal(lss_deal_key(lss_ticket_deal(t)), "d");
    assert_string_equal(lss_customer_key(lss_ticket_customer(t)), "c");
    assert_null(lss_ticket_assignee(t));
    assert_int_equal(lss_ticket_state_of(t), LSS_TICKET_NEW);
    assert_int_equal(lss_ticket_kind_of(t), LSS_TICKET_INSTALLATION);
    assert_int_equal(lss_ticket_channel(t), LSS_CHANNEL_PHONE);
    assert_int_equal(lss_ticket_priority(t), LSS_PRIORITY_NORMAL);
    assert_int_equal(lss_ticket_opened_at(t), 10);
    assert_int_equal(lss_ticket_first_response_at(t), LSS_TIME_NONE);
    assert_int_equal(lss_ticket_score(t), 0);
    assert_int_equal(lss_ticket_count(db), 1);
    const lss_ticket *byid;
    assert_int_equal(lss_ticket_by_id(&byid, db, 0), LSS_OK);
    assert_ptr_equal(byid, t);
    assert_int_equal(lss_ticket_by_id(&byid, db, 1), LSS_NOT_FOUND);
    lss_ticket_state ts;
    assert_int_equal(lss_ticket_state_parse(&ts, "pending"), LSS_OK);
    assert_int_equal(ts, LSS_TICKET_PENDING);
    lss_priority pr;
    assert_int_equal(lss_priority_parse(&pr, "urgent"), LSS_OK);
    assert_int_equal(pr, LSS_PRIORITY_URGENT);
    lss_ticket_kind tk;
    assert_int_equal(lss_ticket_kind_parse(&tk, "complaint"), LSS_OK);
    assert_int_equal(tk, LSS_TICKET_COMPLAINT);
    assert_string_equal(lss_ticket_change_kind_name(LSS_TICKET_EV_RATE), "rated");
    assert_string_equal(lss_sla_outcome_name(LSS_SLA_MISSED), "missed");
    lss_db_close(db);
}

/* ---- the SLA clock ---------------------------------------------------------------- */

#define H 3600

static void test_sla_targets_defaults_and_changes(void **state)
{
    (void)state;
    lss_db *db = base();
    int64_t fr, res;
    assert_int_equal(lss_sla_targets_at(&fr, &res, db, LSS_PRIORITY_URGENT, 0), LSS_OK);
    assert_int_equal(fr, 1 * H);
    assert_int_equal(res, 8 * H);
    assert_int_equal(lss_sla_targets_at(&fr, &res, db, LSS_PRIORITY_HIGH, 0), LSS_OK);
    assert_int_equal(fr, 4 * H);
    assert_int_equal(res, 24 * H);
    assert_int_equal(lss_sla_targets_at(&fr, &res, db, LSS_PRIORITY_NORMAL, 0), LSS_OK);
    assert_int_equal(fr, 8 * H);
    assert_int_equal(res, 72 * H);
    assert_int_equal(lss_sla_targets_at(&fr, &res, db, LSS_PRIORITY_LOW, 0), LSS_OK);
    assert_int_equal(fr, 24 * H);
    assert_int_equal(res, 120 * H);
    /* a ticket keeps the targets in force when it was opened */
    assert_int_equal(lss_ticket_open(NULL, db, 1000, "t1", "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_HIGH, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_sla_set(db, 2000, LSS_PRIORITY_HIGH, 2 * H, 12 * H), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 1999, "t2", "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_HIGH, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 2000, "t3", "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_HIGH, NULL, NULL),
                     LSS_OK);
    const char *keys[3] = { "t1", "t2", "t3" };
    const int64_t want_fr[3] = { 4 * H, 4 * H, 2 * H };
    for (int i = 0; i < 3; i++) {
        const lss_ticket *t;
        lss_sla_state s;
        assert_int_equal(lss_ticket_find(&t, db, keys[i]), LSS_OK);
        assert_int_equal(lss_ticket_sla(&s, t, 5000), LSS_OK);
        assert_int_equal(s.first_response_target, want_fr[i]);
    }
    assert_status_msg(db, lss_sla_set(db, 3000, LSS_PRIORITY_LOW, -1, 5), LSS_INVALID, "field \"first_response\"");
    assert_status_msg(db, lss_sla_set(db, 3000, (lss_priority)9, 1, 5), LSS_INVALID, "field \"priority\"");
    lss_db_close(db);
}

/* Worked example (docs/tickets.md): urgent ticket (1 h / 8 h) opened at 0.
 * assign at 600 (clock runs: new, then open), wait at 1800 (paused at
 * 1800 s), resume at 5400, first contact at 6600 (clock 1800 + 1200 = 3000
 * <= 3600: met), wait 7200 (clock 3600), resume 10800, resolve 32400
 * (clock 3600 + 21600 = 25200 <= 28800: met). */
static lss_db *worked_example(void)
{
    lss_db *db = base();
    assert_int_equal(lss_ticket_open(NULL, db, 0, "t", "c", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE,
                                     LSS_PRIORITY_URGENT, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_assign(db, 600, "t", "a-1"), LSS_OK);
    assert_int_equal(lss_ticket_wait(db, 1800, "t"), LSS_OK);
    assert_int_equal(lss_ticket_resume(db, 5400, "t"), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, 6600, "t", "a-1", 900, -1), LSS_OK);
    assert_int_equal(lss_ticket_wait(db, 7200, "t"), LSS_OK);
    assert_int_equal(lss_ticket_resume(db, 10800, "t"), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, 32400, "t", NULL), LSS_OK);
    return db;
}

static void test_sla_clock_pauses_in_pending_and_after_resolve(void **state)
{
    (void)state;
    lss_db *db = worked_example();
    const lss_ticket *t;
    assert_int_equal(lss_ticket_find(&t, db, "t"), LSS_OK);
    static const struct { lss_time at; int64_t clock; } pts[] = {
        { 0, 0 },        { 1, 1 },         { 600, 600 },     { 1800, 1800 },  { 3000, 1800 }, { 5400, 1800 },
        { 6600, 3000 },  { 7200, 3600 },   { 9000, 3600 },   { 10800, 3600 }, { 10801, 3601 },
        { 32400, 25200 }, { 40000, 25200 }, /* resolved: paused for good */
    };
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++)
        if (lss_ticket_sla_clock(t, pts[i].at) != pts[i].clock)
            fail_msg("clock at %lld: %lld, expected %lld", (long long)pts[i].at,
                     (long long)lss_ticket_sla_clock(t, pts[i].at), (long long)pts[i].clock);
    lss_sla_state s;
    /* before the first response: undecided, due projected while running */
    assert_int_equal(lss_ticket_sla(&s, t, 1000), LSS_OK);
    assert_int_equal(s.elapsed, 1000);
    assert_int_equal(s.running, 1);
    assert_int_equal(s.first_response, LSS_SLA_UNDECIDED);
    assert_int_equal(s.resolution, LSS_SLA_UNDECIDED);
    assert_int_equal(s.first_response_due, 3600);
    assert_int_equal(s.resolution_due, 28800);
    /* pending: paused, no due time */
    assert_int_equal(lss_ticket_sla(&s, t, 3000), LSS_OK);
    assert_int_equal(s.running, 0);
    assert_int_equal(s.first_response_due, LSS_TIME_NONE);
    /* resumed at 5400 with 1800 used: due 5400 + 1800 = 7200 */
    assert_int_equal(lss_ticket_sla(&s, t, 6000), LSS_OK);
    assert_int_equal(s.first_response_due, 7200);
    /* the contact at 6600 is seen only as of 6601 */
    assert_int_equal(lss_ticket_sla(&s, t, 6600), LSS_OK);
    assert_int_equal(s.first_response, LSS_SLA_UNDECIDED);
    assert_int_equal(lss_ticket_sla(&s, t, 6601), LSS_OK);
    assert_int_equal(s.first_response, LSS_SLA_MET);
    /* the resolution target is reached at clock 28800: 10800 + (28800 - 3600) = 36000 projected */
    assert_int_equal(lss_ticket_sla(&s, t, 20000), LSS_OK);
    assert_int_equal(s.resolution_due, 36000);
    assert_int_equal(lss_ticket_sla(&s, t, 32401), LSS_OK);
    assert_int_equal(s.resolution, LSS_SLA_MET);
    assert_int_equal(s.running, 0);
    assert_int_equal(lss_ticket_sla(&s, t, -1), LSS_INVALID);
    lss_db_close(db);
}

static void test_sla_event_exactly_at_target_is_met_one_second_later_missed(void **state)
{
    (void)state;
    for (int late = 0; late <= 1; late++) {
        lss_db *db = base();
        assert_int_equal(lss_sla_set(db, 0, LSS_PRIORITY_NORMAL, 100, 1000), LSS_OK);
        assert_int_equal(lss_ticket_open(NULL, db, 50, "t", "c", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT,
                                         LSS_PRIORITY_NORMAL, NULL, NULL),
                         LSS_OK);
        assert_int_equal(lss_ticket_contact(db, 150 + late, "t", "a-1", 30, -1), LSS_OK);
        assert_int_equal(lss_ticket_resolve(db, 1050 + late, "t", NULL), LSS_OK);
        const lss_ticket *t;
        lss_sla_state s;
        assert_int_equal(lss_ticket_find(&t, db, "t"), LSS_OK);
        assert_int_equal(lss_ticket_sla(&s, t, 5000), LSS_OK);
        assert_int_equal(s.first_response, late ? LSS_SLA_MISSED : LSS_SLA_MET);
        assert_int_equal(s.resolution, late ? LSS_SLA_MISSED : LSS_SLA_MET);
        assert_int_equal(s.first_response_due, 150);
        assert_int_equal(s.resolution_due, 1050);
        lss_db_close(db);
    }
}

static void test_sla_missed_without_event_once_clock_passes_target(void **state)
{
    (void)state;
    lss_db *db = base();
    assert_int_equal(lss_sla_set(db, 0, LSS_PRIORITY_LOW, 100, 1000), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 0, "t", "c", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT, LSS_PRIORITY_LOW,
                                     NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_assign(db, 60, "t", "a-1"), LSS_OK);
    assert_int_equal(lss_ticket_wait(db, 80, "t"), LSS_OK);    /* paused at 80 */
    assert_int_equal(lss_ticket_resume(db, 500, "t"), LSS_OK); /* runs again */
    const lss_ticket *t;
    lss_sla_state s;
    assert_int_equal(lss_ticket_find(&t, db, "t"), LSS_OK);
    assert_int_equal(lss_ticket_sla(&s, t, 520), LSS_OK); /* clock 100: not above */
    assert_int_equal(s.elapsed, 100);
    assert_int_equal(s.first_response, LSS_SLA_UNDECIDED);
    assert_int_equal(lss_ticket_sla(&s, t, 521), LSS_OK); /* clock 101 */
    assert_int_equal(s.first_response, LSS_SLA_MISSED);
    assert_int_equal(s.first_response_due, 520);          /* when it was reached */
    assert_int_equal(s.resolution, LSS_SLA_UNDECIDED);
    /* a reopened ticket: the resolution outcome stays with the first resolution */
    assert_int_equal(lss_ticket_contact(db, 530, "t", "a-1", 10, -1), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, 600, "t", NULL), LSS_OK); /* clock 80 + 100 = 180 */
    assert_int_equal(lss_ticket_reopen(db, 700, "t"), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, 5000, "t", NULL), LSS_OK);
    assert_int_equal(lss_ticket_sla(&s, t, 6000), LSS_OK);
    assert_int_equal(s.resolution, LSS_SLA_MET);
    assert_int_equal(s.elapsed, 180 + 4300);
    assert_int_equal(lss_ticket_reopen_count(t), 1);
    assert_int_equal(lss_ticket_first_resolution_at(t), 600);
    lss_db_close(db);
}

/* ---- the customer view ------------------------------------------------------------- */

static void test_customer_state_and_timeline(void **state)
{
    (void)state;
    lss_db *db = base();
    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, db, "c"), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 5, "t-pre", "c", LSS_TICKET_PRESALES, LSS_CHANNEL_WEB,
                                     LSS_PRIORITY_LOW, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_activity_log(NULL, db, 8, "c", "s-1", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 60, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 8, "d", "c", "s-1", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_customer_state_at(c, 1000), LSS_CUSTOMER_STATE_PROSPECT);
    assert_int_equal(lss_deal_advance(db, 10, "d", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 11, "d", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 12, "d", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, 20, "d", -1), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, 3, "t-early", "c", LSS_TICKET_QUESTION, LSS_CHANNEL_CHAT,
                                     LSS_PRIORITY_LOW, NULL, NULL),
                     LSS_OK); /* recorded late, but earlier in time */
    assert_int_equal(lss_customer_state_at(c, 20), LSS_CUSTOMER_STATE_PROSPECT); /* win at 20 not before 20 */
    assert_int_equal(lss_customer_state_at(c, 21), LSS_CUSTOMER_STATE_ACTIVE);
    assert_int_equal(lss_customer_churn(db, 30, "c"), LSS_OK);
    assert_int_equal(lss_customer_state_at(c, 30), LSS_CUSTOMER_STATE_ACTIVE);
    assert_int_equal(lss_customer_state_at(c, 31), LSS_CUSTOMER_STATE_CHURNED);
    assert_int_equal(lss_deal_open(NULL, db, 40, "d2", "c", "s-1", 5, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 41, "d2", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 42, "d2", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 43, "d2", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, 50, "d2", -1), LSS_OK);
    assert_int_equal(lss_customer_state_at(c, 51), LSS_CUSTOMER_STATE_ACTIVE); /* a later win reactivates */
    assert_int_equal(lss_customer_state_at(c, 0), LSS_CUSTOMER_STATE_PROSPECT); /* added at 0: not yet */
    assert_string_equal(lss_customer_state_name(LSS_CUSTOMER_STATE_CHURNED), "churned");

    lss_timeline *tl = NULL;
    assert_int_equal(lss_customer_timeline(&tl, db, "c"), LSS_OK);
    static const struct { lss_time at; lss_timeline_kind kind; const char *key; } want[] = {
        { 3, LSS_TIMELINE_TICKET, "t-early" }, { 5, LSS_TIMELINE_TICKET, "t-pre" },
        { 8, LSS_TIMELINE_DEAL, "d" },          { 8, LSS_TIMELINE_ACTIVITY, NULL },
        { 40, LSS_TIMELINE_DEAL, "d2" },
    };
    assert_int_equal(lss_timeline_count(tl), 5);
    for (uint32_t i = 0; i < 5; i++) {
        lss_timeline_item it;
        assert_int_equal(lss_timeline_get(&it, tl, i), LSS_OK);
        assert_int_equal(it.at, want[i].at);
        assert_int_equal(it.kind, want[i].kind);
        if (it.kind == LSS_TIMELINE_DEAL)
            assert_string_equal(lss_deal_key(it.deal), want[i].key);
        else if (it.kind == LSS_TIMELINE_TICKET)
            assert_string_equal(lss_ticket_key(it.ticket), want[i].key);
        else
            assert_non_null(it.activity);
    }
    lss_timeline_item it;
    assert_int_equal(lss_timeline_get(&it, tl, 5), LSS_NOT_FOUND);
    lss_timeline_free(tl);
    assert_status_msg(db, lss_customer_timeline(&tl, db, "nobody"), LSS_NOT_FOUND, "customer \"nobody\"");
    assert_null(tl);
    /* the customer's tickets in order of opening */
    const lss_ticket *t = lss_customer_first_ticket(c);
    assert_string_equal(lss_ticket_key(t), "t-pre");
    assert_string_equal(lss_ticket_key(lss_ticket_next_of_customer(t)), "t-early");
    lss_timeline_free(NULL);
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticket_events_from_every_state),
        cmocka_unit_test(test_ticket_time_order_agents_and_fields),
        cmocka_unit_test(test_ticket_open_fields_and_deal_of_same_customer),
        cmocka_unit_test(test_sla_targets_defaults_and_changes),
        cmocka_unit_test(test_sla_clock_pauses_in_pending_and_after_resolve),
        cmocka_unit_test(test_sla_event_exactly_at_target_is_met_one_second_later_missed),
        cmocka_unit_test(test_sla_missed_without_event_once_clock_passes_target),
        cmocka_unit_test(test_customer_state_and_timeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
