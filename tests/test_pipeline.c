/* The sales pipeline state machine: every deal event from every state, in
 * both pipeline modes, checked against a table written out by hand here
 * (independently of the library's own table). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P = LSS_STAGE_PROSPECT, Q = LSS_STAGE_QUALIFIED, PR = LSS_STAGE_PRESENTED, N = LSS_STAGE_NEGOTIATED,
       W = LSS_STAGE_WON, L = LSS_STAGE_LOST, X = -1 /* refused: LSS_TRANSITION */ };

enum { E_ADV_Q, E_ADV_PR, E_ADV_N, E_AMOUNT, E_ASSIGN, E_WIN, E_LOSE, E_REOPEN, E_CLOSE, E_FORECAST, E_PROB,
       E_COUNT };
static const char *const event_names[E_COUNT] = { "advance qualified", "advance presented", "advance negotiated",
                                                  "amount", "assign", "win", "lose", "reopen", "close date",
                                                  "forecast", "probability" };
/* starting states: the open stages, won, and lost (lost from qualified) */
static const int starts[6] = { P, Q, PR, N, W, L };

/* expected stage after [start][event]; X = refused */
static const int strict_table[6][E_COUNT] = {
    /*           adv Q  adv PR adv N  amount assign win  lose reopen close forecast probability */
    /* P  */ { Q, X, X, P, P, X, L, X, P, P, P },
    /* Q  */ { X, PR, X, Q, Q, X, L, X, Q, Q, Q },
    /* PR */ { X, X, N, PR, PR, X, L, X, PR, PR, PR },
    /* N  */ { X, X, X, N, N, W, L, X, N, N, N },
    /* W  */ { X, X, X, X, X, X, X, X, X, X, X },
    /* L  */ { X, X, X, X, X, X, X, Q, X, X, X },
};
static const int lenient_table[6][E_COUNT] = {
    /* P  */ { Q, PR, N, P, P, W, L, X, P, P, P },
    /* Q  */ { X, PR, N, Q, Q, W, L, X, Q, Q, Q },
    /* PR */ { X, X, N, PR, PR, W, L, X, PR, PR, PR },
    /* N  */ { X, X, X, N, N, W, L, X, N, N, N },
    /* W  */ { X, X, X, X, X, X, X, X, X, X, X },
    /* L  */ { X, X, X, X, X, X, X, Q, X, X, X },
};

static lss_db *setup(lss_pipeline_mode mode, int start)
{
    lss_db *db = open_db(mode);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-1", "One", LSS_ROLE_SALES, "A"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-2", "Two", LSS_ROLE_BOTH, "B"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-svc", "Svc", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 10, "d", "c", "m-1", 1000, "t", 3000), LSS_OK);
    if (start == Q || start == PR || start == N || start == W || start == L)
        assert_int_equal(lss_deal_advance(db, 20, "d", LSS_STAGE_QUALIFIED), LSS_OK);
    if (start == PR || start == N || start == W)
        assert_int_equal(lss_deal_advance(db, 30, "d", LSS_STAGE_PRESENTED), LSS_OK);
    if (start == N || start == W)
        assert_int_equal(lss_deal_advance(db, 40, "d", LSS_STAGE_NEGOTIATED), LSS_OK);
    if (start == W)
        assert_int_equal(lss_deal_win(db, 50, "d", -1), LSS_OK);
    if (start == L)
        assert_int_equal(lss_deal_lose(db, 50, "d", LSS_LOSS_TIMING, "later"), LSS_OK);
    return db;
}

static lss_status apply(lss_db *db, int ev, lss_time at)
{
    switch (ev) {
    case E_ADV_Q: return lss_deal_advance(db, at, "d", LSS_STAGE_QUALIFIED);
    case E_ADV_PR: return lss_deal_advance(db, at, "d", LSS_STAGE_PRESENTED);
    case E_ADV_N: return lss_deal_advance(db, at, "d", LSS_STAGE_NEGOTIATED);
    case E_AMOUNT: return lss_deal_set_amount(db, at, "d", 777);
    case E_ASSIGN: return lss_deal_assign(db, at, "d", "m-2");
    case E_WIN: return lss_deal_win(db, at, "d", 900);
    case E_LOSE: return lss_deal_lose(db, at, "d", LSS_LOSS_PRICE, "too dear");
    case E_REOPEN: return lss_deal_reopen(db, at, "d");
    case E_CLOSE: return lss_deal_set_close_date(db, at, "d", 5000);
    case E_FORECAST: return lss_deal_set_forecast(db, at, "d", LSS_FORECAST_COMMIT);
    case E_PROB: return lss_deal_set_probability(db, at, "d", 42);
    }
    return LSS_INVALID;
}

/* After a forecast event at 100: as of 100 the deal is as before it, from 101 on as it says. */
static void continue_checks(lss_db *db, const lss_deal *d, int e)
{
    lss_time close;
    lss_forecast_category cat;
    int pct;
    assert_int_equal(lss_deal_forecast_at(&close, &cat, &pct, db, d, 100), LSS_OK);
    assert_int_equal(close, 3000);
    assert_int_equal(cat, LSS_FORECAST_PIPELINE);
    assert_int_equal(pct, lss_stage_probability_at(db, lss_deal_stage(d), 100));
    assert_int_equal(lss_deal_forecast_at(&close, &cat, &pct, db, d, 101), LSS_OK);
    assert_int_equal(close, e == E_CLOSE ? 5000 : 3000);
    assert_int_equal(cat, e == E_FORECAST ? LSS_FORECAST_COMMIT : LSS_FORECAST_PIPELINE);
    assert_int_equal(pct, e == E_PROB ? 42 : lss_stage_probability_at(db, lss_deal_stage(d), 101));
    assert_int_equal(lss_deal_forecast_at(NULL, NULL, NULL, db, d, 10), LSS_NOT_FOUND);
}

static const lss_deal_change_kind expected_kind[E_COUNT] = {
    LSS_DEAL_ADVANCED, LSS_DEAL_ADVANCED, LSS_DEAL_ADVANCED, LSS_DEAL_AMOUNT,
    LSS_DEAL_ASSIGNED, LSS_DEAL_WON, LSS_DEAL_LOST, LSS_DEAL_REOPENED, LSS_DEAL_CLOSE_DATE,
    LSS_DEAL_FORECAST, LSS_DEAL_PROBABILITY,
};

static void run_table(lss_pipeline_mode mode, const int table[6][E_COUNT])
{
    const char *mode_name = mode == LSS_PIPELINE_STRICT ? "strict pipeline" : "lenient pipeline";
    for (int s = 0; s < 6; s++) {
        for (int e = 0; e < E_COUNT; e++) {
            lss_db *db = setup(mode, starts[s]);
            const lss_deal *d;
            assert_int_equal(lss_deal_find(&d, db, "d"), LSS_OK);
            uint32_t hist = lss_deal_history_count(d);
            lss_money amount = lss_deal_amount(d);
            const lss_member *owner = lss_deal_owner(d);
            char *before = dump(db);
            lss_status st = apply(db, e, 100);
            int want = table[s][e];
            if (want == X) {
                if (st != LSS_TRANSITION)
                    fail_msg("%s: %s from %s: got %s, expected LSS_TRANSITION", mode_name, event_names[e],
                             lss_stage_name(starts[s]), lss_status_name(st));
                assert_status_msg(db, st, LSS_TRANSITION, "deal \"d\"", "cannot ", mode_name,
                                  lss_stage_name(starts[s]));
                char *after = dump(db);
                assert_string_equal(before, after);
                free(after);
            } else {
                if (st != LSS_OK)
                    fail_msg("%s: %s from %s: got %s (%s), expected OK", mode_name, event_names[e],
                             lss_stage_name(starts[s]), lss_status_name(st), lss_db_errmsg(db));
                assert_int_equal(lss_deal_stage(d), want);
                assert_int_equal(lss_deal_history_count(d), hist + 1);
                assert_int_equal(lss_deal_last_at(d), 100);
                lss_deal_change ch;
                assert_int_equal(lss_deal_history_get(&ch, d, hist), LSS_OK);
                assert_int_equal(ch.kind, expected_kind[e]);
                assert_int_equal(ch.at, 100);
                assert_int_equal(ch.stage, want);
                assert_int_equal(ch.from_stage, starts[s]);
                /* amount and owner change only where the event says so */
                assert_int_equal(lss_deal_amount(d), e == E_AMOUNT ? 777 : e == E_WIN ? 900 : amount);
                assert_ptr_equal(lss_deal_owner(d), e == E_ASSIGN ? lss_deal_owner(d) : owner);
                if (e == E_ASSIGN)
                    assert_string_equal(lss_member_key(lss_deal_owner(d)), "m-2");
                if (e == E_LOSE) {
                    assert_int_equal(ch.reason, LSS_LOSS_PRICE);
                    assert_string_equal(ch.note, "too dear");
                    assert_int_equal(lss_deal_lost_from(d), starts[s]);
                }
                /* the forecast fields change only where the event says so */
                assert_int_equal(ch.expected_close, e == E_CLOSE ? 5000 : 3000);
                assert_int_equal(lss_deal_expected_close(d), e == E_CLOSE ? 5000 : 3000);
                assert_int_equal(ch.forecast, e == E_FORECAST ? LSS_FORECAST_COMMIT : LSS_FORECAST_PIPELINE);
                assert_int_equal(ch.probability, e == E_PROB ? 42 : -1);
                assert_int_equal(lss_deal_own_probability(d), e == E_PROB ? 42 : -1);
                if (e == E_CLOSE || e == E_FORECAST || e == E_PROB) {
                    assert_int_equal(ch.reason, LSS_LOSS_OTHER);
                    assert_null(ch.note);
                    continue_checks(db, d, e);
                }
                lss_time at;
                if (want <= W && e != E_AMOUNT && e != E_ASSIGN && e < E_CLOSE) {
                    assert_int_equal(lss_deal_stage_entered(&at, d, (lss_stage)want), LSS_OK);
                    assert_int_equal(at, 100);
                }
            }
            free(before);
            lss_db_close(db);
        }
    }
}

static void test_deal_events_from_every_state_strict(void **state)
{
    (void)state;
    run_table(LSS_PIPELINE_STRICT, strict_table);
}

static void test_deal_events_from_every_state_lenient(void **state)
{
    (void)state;
    run_table(LSS_PIPELINE_LENIENT, lenient_table);
}

static void test_deal_advance_skip_rejected_in_strict_mode_with_rule(void **state)
{
    (void)state;
    lss_db *db = setup(LSS_PIPELINE_STRICT, P);
    assert_status_msg(db, lss_deal_advance(db, 100, "d", LSS_STAGE_NEGOTIATED), LSS_TRANSITION,
                      "deal \"d\": cannot advance from prospect to negotiated (strict pipeline: next stage is qualified)");
    lss_db_close(db);
    db = setup(LSS_PIPELINE_STRICT, Q);
    assert_status_msg(db, lss_deal_win(db, 100, "d", -1), LSS_TRANSITION,
                      "deal \"d\": cannot win from qualified (strict pipeline: win only from negotiated)");
    lss_db_close(db);
    db = setup(LSS_PIPELINE_STRICT, N);
    assert_status_msg(db, lss_deal_advance(db, 100, "d", LSS_STAGE_NEGOTIATED), LSS_TRANSITION,
                      "cannot advance from negotiated", "last open stage");
    lss_db_close(db);
}

static void test_lenient_skipped_stages_are_not_entered(void **state)
{
    (void)state;
    lss_db *db = setup(LSS_PIPELINE_LENIENT, P);
    const lss_deal *d;
    lss_time at;
    assert_int_equal(lss_deal_find(&d, db, "d"), LSS_OK);
    assert_int_equal(lss_deal_advance(db, 100, "d", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_stage_entered(&at, d, LSS_STAGE_QUALIFIED), LSS_NOT_FOUND);
    assert_int_equal(at, LSS_TIME_NONE);
    assert_int_equal(lss_deal_stage_entered(&at, d, LSS_STAGE_PRESENTED), LSS_NOT_FOUND);
    assert_int_equal(lss_deal_stage_entered(&at, d, LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(at, 100);
    assert_int_equal(lss_deal_furthest_stage(d), LSS_STAGE_NEGOTIATED);
    /* backwards is refused in lenient mode too */
    assert_status_msg(db, lss_deal_advance(db, 110, "d", LSS_STAGE_QUALIFIED), LSS_TRANSITION,
                      "lenient pipeline", "negotiated");
    lss_db_close(db);
}

static void test_lost_deal_keeps_furthest_stage_and_reopens_where_it_was_lost(void **state)
{
    (void)state;
    lss_db *db = setup(LSS_PIPELINE_STRICT, PR);
    const lss_deal *d;
    assert_int_equal(lss_deal_find(&d, db, "d"), LSS_OK);
    assert_int_equal(lss_deal_lose(db, 100, "d", LSS_LOSS_COMPETITOR, NULL), LSS_OK);
    assert_int_equal(lss_deal_stage(d), LSS_STAGE_LOST);
    assert_int_equal(lss_deal_lost_from(d), LSS_STAGE_PRESENTED);
    assert_int_equal(lss_deal_furthest_stage(d), LSS_STAGE_PRESENTED);
    assert_int_equal(lss_deal_is_open(d), 0);
    assert_status_msg(db, lss_deal_set_amount(db, 110, "d", 5), LSS_TRANSITION, "amount changes only while open");
    assert_int_equal(lss_deal_reopen(db, 120, "d"), LSS_OK);
    assert_int_equal(lss_deal_stage(d), LSS_STAGE_PRESENTED);
    assert_int_equal(lss_deal_is_open(d), 1);
    assert_int_equal(lss_deal_advance(db, 130, "d", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, 140, "d", -1), LSS_OK);
    assert_int_equal(lss_deal_furthest_stage(d), LSS_STAGE_WON);
    /* the full stage path, in order */
    static const int path[] = { P, Q, PR, L, PR, N, W };
    assert_int_equal(lss_deal_history_count(d), 7);
    for (uint32_t i = 0; i < 7; i++) {
        lss_deal_change ch;
        assert_int_equal(lss_deal_history_get(&ch, d, i), LSS_OK);
        assert_int_equal(ch.stage, path[i]);
    }
    lss_deal_change ch;
    assert_int_equal(lss_deal_history_get(&ch, d, 7), LSS_NOT_FOUND);
    lss_db_close(db);
}

static void test_deal_event_earlier_than_last_is_out_of_order(void **state)
{
    (void)state;
    for (int e = 0; e < E_COUNT; e++) {
        lss_db *db = setup(LSS_PIPELINE_LENIENT, e == E_REOPEN ? L : Q);
        /* the deal's last event is at 20 (qualified) or 50 (lost) */
        lss_time last = e == E_REOPEN ? 50 : 20;
        char *before = dump(db);
        lss_status st = apply(db, e == E_ADV_Q ? E_ADV_PR : e, last - 1);
        assert_status_msg(db, st, LSS_OUT_OF_ORDER, "deal \"d\"", "earlier than its last event",
                          e == E_REOPEN ? "1970-01-01T00:00:50Z" : "1970-01-01T00:00:20Z");
        char *after = dump(db);
        assert_string_equal(before, after);
        free(before);
        free(after);
        /* the same time as the last event is allowed */
        assert_int_equal(apply(db, e == E_ADV_Q ? E_ADV_PR : e, last), LSS_OK);
        lss_db_close(db);
    }
}

static void test_deal_references_and_roles_are_checked(void **state)
{
    (void)state;
    lss_db *db = setup(LSS_PIPELINE_STRICT, P);
    char *before = dump(db);
    assert_status_msg(db, lss_deal_open(NULL, db, 5, "d", "c", "m-1", 0, NULL, LSS_TIME_NONE), LSS_EXISTS,
                      "deal \"d\" already exists");
    assert_status_msg(db, lss_deal_open(NULL, db, 5, "d2", "nobody", "m-1", 0, NULL, LSS_TIME_NONE), LSS_NOT_FOUND,
                      "customer \"nobody\" does not exist");
    assert_status_msg(db, lss_deal_open(NULL, db, 5, "d2", "c", "m-x", 0, NULL, LSS_TIME_NONE), LSS_NOT_FOUND,
                      "owner \"m-x\" does not exist");
    assert_status_msg(db, lss_deal_open(NULL, db, 5, "d2", "c", "m-svc", 0, NULL, LSS_TIME_NONE), LSS_ROLE,
                      "owner \"m-svc\" has role service");
    assert_status_msg(db, lss_deal_assign(db, 50, "d", "m-svc"), LSS_ROLE, "role service");
    assert_status_msg(db, lss_deal_open(NULL, db, 5, "d2", "c", "m-1", -1, NULL, LSS_TIME_NONE), LSS_INVALID,
                      "field \"amount\"", "-0.01");
    assert_status_msg(db, lss_deal_win(db, 50, "nope", -1), LSS_NOT_FOUND, "deal \"nope\" does not exist");
    assert_status_msg(db, lss_deal_advance(db, 50, "d", LSS_STAGE_WON), LSS_INVALID, "field \"to\"", "won");
    assert_status_msg(db, lss_deal_advance(db, 50, "d", (lss_stage)42), LSS_INVALID, "field \"to\"");
    assert_status_msg(db, lss_deal_lose(db, 50, "d", (lss_loss_reason)9, NULL), LSS_INVALID, "field \"reason\"");
    assert_status_msg(db, lss_deal_win(db, 50, "d", -5), LSS_INVALID, "deal.win: field \"amount\": -0.05 must be >= 0");
    assert_status_msg(db, lss_deal_win(db, 50, "d", 5), LSS_TRANSITION, "win only from negotiated");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    lss_db_close(db);
}

static void test_customer_deals_are_listed_in_order(void **state)
{
    (void)state;
    lss_db *db = setup(LSS_PIPELINE_STRICT, P);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c2", "C2", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 11, "d2", "c2", "m-1", 5, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 12, "d3", "c", "m-2", 6, NULL, 99), LSS_OK);
    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, db, "c"), LSS_OK);
    const lss_deal *d = lss_customer_first_deal(c);
    assert_string_equal(lss_deal_key(d), "d");
    d = lss_deal_next_of_customer(d);
    assert_string_equal(lss_deal_key(d), "d3");
    assert_int_equal(lss_deal_expected_close(d), 99);
    assert_null(lss_deal_next_of_customer(d));
    assert_int_equal(lss_deal_count(db), 3);
    assert_int_equal(lss_deal_by_id(&d, db, 1), LSS_OK);
    assert_string_equal(lss_deal_key(d), "d2");
    assert_int_equal(lss_deal_id(d), 1);
    assert_int_equal(lss_deal_by_id(&d, db, 3), LSS_NOT_FOUND);
    assert_null(d);
    lss_db_close(db);
}

static void test_deal_title_and_note_limits(void **state)
{
    (void)state;
    lss_db *db = setup(LSS_PIPELINE_STRICT, P);
    char *t = malloc(4098);
    memset(t, 't', 4097);
    t[511] = '\0';
    assert_int_equal(lss_deal_open(NULL, db, 10, "d511", "c", "m-1", 0, t, LSS_TIME_NONE), LSS_OK);
    t[511] = 't';
    t[512] = '\0';
    assert_int_equal(lss_deal_open(NULL, db, 10, "d512", "c", "m-1", 0, t, LSS_TIME_NONE), LSS_OK);
    t[512] = 't';
    t[513] = '\0';
    assert_status_msg(db, lss_deal_open(NULL, db, 10, "d513", "c", "m-1", 0, t, LSS_TIME_NONE), LSS_INVALID,
                      "field \"title\": 513 bytes is too long (at most 512)");
    t[513] = 't';
    t[4097] = '\0';
    assert_status_msg(db, lss_deal_lose(db, 20, "d511", LSS_LOSS_OTHER, t), LSS_INVALID,
                      "field \"note\": 4097 bytes is too long (at most 4096)");
    t[4096] = '\0';
    assert_int_equal(lss_deal_lose(db, 20, "d511", LSS_LOSS_OTHER, t), LSS_OK);
    assert_status_msg(db, lss_deal_open(NULL, db, 10, "dx", "c", "m-1", 0, NULL, LSS_TIME_MAX + 1), LSS_INVALID,
                      "field \"expected_close\"");
    assert_int_equal(lss_deal_count(db), 3);
    free(t);
    lss_db_close(db);
}

static void test_stage_probability_as_of(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_PROSPECT, 100), 10);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_QUALIFIED, 100), 25);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_PRESENTED, 100), 50);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_NEGOTIATED, 100), 75);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_WON, 100), -1);
    assert_int_equal(lss_stage_probability_set(db, 50, LSS_STAGE_PRESENTED, 40), LSS_OK);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_PRESENTED, 50), 50); /* at < t only */
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_PRESENTED, 51), 40);
    assert_status_msg(db, lss_stage_probability_set(db, 60, LSS_STAGE_PRESENTED, 101), LSS_INVALID, "0 to 100");
    assert_status_msg(db, lss_stage_probability_set(db, 60, LSS_STAGE_WON, 50), LSS_INVALID, "not an open stage");
    assert_int_equal(lss_stage_probability_set(db, 60, LSS_STAGE_PRESENTED, 0), LSS_OK);
    assert_int_equal(lss_stage_probability_at(db, LSS_STAGE_PRESENTED, 1000), 0);
    lss_db_close(db);
}

/* Pipelines: the default always there, added ones with their own stage
 * probabilities, deals in them; the forecast events; every refusal changes
 * nothing; export -> import -> export byte for byte, the journal and a
 * checkpoint give the same state. */
static void test_pipelines_forecast_and_round_trip(void **state)
{
    (void)state;
    const char *path = tmp_path("pipelines.lss");
    remove(path);
    lss_db *db = open_journal(path, LSS_SYNC_OFF);
    assert_int_equal(lss_pipeline_count(db), 1);
    assert_string_equal(lss_pipeline_key(db, 0), "default");
    assert_string_equal(lss_pipeline_name(db, 0), "Default");
    assert_null(lss_pipeline_key(db, 1));
    assert_int_equal(lss_member_add(NULL, db, 0, "m-1", "One", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    uint64_t h0 = dump_hash(db);
    assert_status_msg(db, lss_pipeline_add(db, 5, "default", "Again"), LSS_EXISTS,
                      "pipeline.add: pipeline \"default\" always exists and cannot be added");
    assert_status_msg(db, lss_pipeline_add(db, 5, "", "Bad"), LSS_INVALID, "field \"key\": key of 0 bytes");
    assert_status_msg(db, lss_pipeline_add(db, 5, "hw", NULL), LSS_INVALID, "field \"name\"");
    assert_int_equal(dump_hash(db), h0);
    assert_int_equal(lss_pipeline_add(db, 5, "hw", "Hardware"), LSS_OK);
    assert_status_msg(db, lss_pipeline_add(db, 6, "hw", "Again"), LSS_EXISTS, "pipeline \"hw\" already exists");
    assert_int_equal(lss_pipeline_count(db), 2);
    assert_string_equal(lss_pipeline_name(db, 1), "Hardware");
    assert_int_equal(lss_pipeline_added_at(db, 1), 5);
    /* stage probabilities per pipeline */
    assert_int_equal(lss_pipeline_stage_probability_set(db, 7, "hw", LSS_STAGE_QUALIFIED, 30), LSS_OK);
    assert_int_equal(lss_pipeline_stage_probability_at(db, "hw", LSS_STAGE_QUALIFIED, 8), 30);
    assert_int_equal(lss_pipeline_stage_probability_at(db, "hw", LSS_STAGE_QUALIFIED, 7), 25);
    assert_int_equal(lss_pipeline_stage_probability_at(db, NULL, LSS_STAGE_QUALIFIED, 8), 25);
    assert_int_equal(lss_pipeline_stage_probability_at(db, "nope", LSS_STAGE_QUALIFIED, 8), -1);
    assert_status_msg(db, lss_pipeline_stage_probability_set(db, 7, "nope", LSS_STAGE_QUALIFIED, 30), LSS_NOT_FOUND,
                      "stage.probability: field \"pipeline\": pipeline \"nope\" does not exist");
    /* deals in pipelines */
    assert_int_equal(lss_deal_open_in(NULL, db, 10, "d-hw", "c", "m-1", 50000, NULL, 1000, "hw"), LSS_OK);
    assert_int_equal(lss_deal_open_in(NULL, db, 10, "d-def", "c", "m-1", 7000, NULL, LSS_TIME_NONE, NULL), LSS_OK);
    assert_status_msg(db, lss_deal_open_in(NULL, db, 10, "d-x", "c", "m-1", 1, NULL, LSS_TIME_NONE, "nope"),
                      LSS_NOT_FOUND, "deal.open: deal \"d-x\": pipeline \"nope\" does not exist");
    const lss_deal *hw, *def;
    assert_int_equal(lss_deal_find(&hw, db, "d-hw"), LSS_OK);
    assert_int_equal(lss_deal_find(&def, db, "d-def"), LSS_OK);
    assert_string_equal(lss_deal_pipeline(db, hw), "hw");
    assert_string_equal(lss_deal_pipeline(db, def), "default");
    assert_int_equal(lss_deal_advance(db, 20, "d-hw", LSS_STAGE_QUALIFIED), LSS_OK);
    int pct = 0;
    assert_int_equal(lss_deal_forecast_at(NULL, NULL, &pct, db, hw, 21), LSS_OK);
    assert_int_equal(pct, 30); /* its pipeline's qualified */
    /* the forecast events and their refusals */
    h0 = dump_hash(db);
    assert_status_msg(db, lss_deal_set_forecast(db, 30, "d-hw", (lss_forecast_category)4), LSS_INVALID,
                      "deal.forecast: deal \"d-hw\": field \"category\": 4 is not a forecast category");
    assert_status_msg(db, lss_deal_set_probability(db, 30, "d-hw", 101), LSS_INVALID,
                      "deal.probability: deal \"d-hw\": field \"percent\": 101 is out of range (0 to 100)");
    assert_status_msg(db, lss_deal_set_close_date(db, 30, "d-hw", LSS_TIME_MAX + 1), LSS_INVALID,
                      "deal.close_date: field \"expected_close\"");
    assert_status_msg(db, lss_deal_set_close_date(db, 15, "d-hw", 2000), LSS_OUT_OF_ORDER, "earlier than its last");
    assert_status_msg(db, lss_deal_set_forecast(db, 30, "d-none", LSS_FORECAST_COMMIT), LSS_NOT_FOUND,
                      "deal.forecast: deal \"d-none\" does not exist");
    assert_int_equal(dump_hash(db), h0);
    assert_int_equal(lss_deal_set_close_date(db, 30, "d-hw", 2000), LSS_OK);
    assert_int_equal(lss_deal_set_forecast(db, 31, "d-hw", LSS_FORECAST_BEST_CASE), LSS_OK);
    assert_int_equal(lss_deal_set_probability(db, 32, "d-hw", 60), LSS_OK);
    assert_int_equal(lss_deal_set_close_date(db, 33, "d-hw", 2500), LSS_OK);
    assert_int_equal(lss_deal_set_forecast(db, 34, "d-hw", LSS_FORECAST_COMMIT), LSS_OK);
    assert_int_equal(lss_deal_set_probability(db, 35, "d-hw", -1), LSS_OK);
    assert_int_equal(lss_deal_expected_close(hw), 2500);
    assert_int_equal(lss_deal_forecast(hw), LSS_FORECAST_COMMIT);
    assert_int_equal(lss_deal_own_probability(hw), -1);
    lss_time close;
    lss_forecast_category cat;
    assert_int_equal(lss_deal_forecast_at(&close, &cat, &pct, db, hw, 33), LSS_OK);
    assert_int_equal(close, 2000);
    assert_int_equal(cat, LSS_FORECAST_BEST_CASE);
    assert_int_equal(pct, 60);
    assert_int_equal(lss_deal_forecast_at(&close, &cat, &pct, db, hw, 36), LSS_OK);
    assert_int_equal(pct, 30); /* back to its stage's */
    assert_int_equal(lss_deal_win(db, 40, "d-hw", -1), LSS_OK);
    assert_int_equal(lss_deal_forecast_at(NULL, NULL, &pct, db, hw, 41), LSS_OK);
    assert_int_equal(pct, 100);
    /* export: the default pipeline is never written; the rest round-trips byte for byte */
    char *a = export_text(db);
    assert_non_null(strstr(a, "{\"type\":\"pipeline.add\",\"at\":\"1970-01-01T00:00:05Z\",\"key\":\"hw\","
                              "\"name\":\"Hardware\"}\n"));
    assert_non_null(strstr(a, "\"amount\":\"500.00\",\"expected_close\":\"1970-01-01T00:16:40Z\",\"pipeline\":\"hw\"}"));
    assert_non_null(strstr(a, "{\"type\":\"deal.close_date\",\"at\":\"1970-01-01T00:00:30Z\",\"deal\":\"d-hw\","
                              "\"expected_close\":\"1970-01-01T00:33:20Z\"}\n"));
    assert_non_null(strstr(a, "{\"type\":\"deal.forecast\",\"at\":\"1970-01-01T00:00:31Z\",\"deal\":\"d-hw\","
                              "\"category\":\"best_case\"}\n"));
    assert_non_null(strstr(a, "{\"type\":\"deal.probability\",\"at\":\"1970-01-01T00:00:35Z\",\"deal\":\"d-hw\"}\n"));
    assert_non_null(strstr(a, "{\"type\":\"stage.probability\",\"at\":\"1970-01-01T00:00:07Z\",\"stage\":\"qualified\","
                              "\"percent\":30,\"pipeline\":\"hw\"}\n"));
    assert_null(strstr(a, "\"pipeline\":\"default\""));
    uint64_t h = dump_hash(db);
    free(assert_round_trip(db));
    free(a);
    /* a rolled-back pipeline is gone */
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_pipeline_add(db, 50, "sw", "Software"), LSS_OK);
    assert_int_equal(lss_deal_open_in(NULL, db, 50, "d-sw", "c", "m-1", 1, NULL, LSS_TIME_NONE, "sw"), LSS_OK);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_int_equal(lss_pipeline_count(db), 2);
    assert_int_equal(dump_hash(db), h);
    /* the journal, then a checkpoint */
    assert_reopens(&db, path, h);
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deal_events_from_every_state_strict),
        cmocka_unit_test(test_deal_events_from_every_state_lenient),
        cmocka_unit_test(test_deal_advance_skip_rejected_in_strict_mode_with_rule),
        cmocka_unit_test(test_lenient_skipped_stages_are_not_entered),
        cmocka_unit_test(test_lost_deal_keeps_furthest_stage_and_reopens_where_it_was_lost),
        cmocka_unit_test(test_deal_event_earlier_than_last_is_out_of_order),
        cmocka_unit_test(test_deal_references_and_roles_are_checked),
        cmocka_unit_test(test_customer_deals_are_listed_in_order),
        cmocka_unit_test(test_deal_title_and_note_limits),
        cmocka_unit_test(test_stage_probability_as_of),
        cmocka_unit_test(test_pipelines_forecast_and_round_trip),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
