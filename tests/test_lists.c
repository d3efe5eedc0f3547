/* Work queues (salesservice/list.h): rows as of a moment, every filter,
 * order and pages, the errors; and the list indexes against the scan, over
 * random databases changed after the first list and rolled back. */
#include "randevents.h"
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>

static lss_db *example(void)
{
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, T("2025-01-01"), "m-anna", "Anna Berg", LSS_ROLE_SALES, "DACH"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, T("2025-01-01"), "m-ben", "Ben Ortiz", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, T("2025-01-06T09:12:00Z"), "c-17", "Kraus GmbH", "einkauf@kraus.example",
                                      NULL, NULL, LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, T("2025-01-06T09:30:00Z"), "d-17", "c-17", "m-anna", 1200000,
                                   "12 workstations", T("2025-02-01")),
                     LSS_OK);
    assert_int_equal(lss_deal_advance(db, T("2025-01-09T14:00:00Z"), "d-17", LSS_STAGE_QUALIFIED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T("2025-01-15T10:00:00Z"), "d-17", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T("2025-01-20T16:00:00Z"), "d-17", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_set_amount(db, T("2025-01-22T11:00:00Z"), "d-17", 1120000), LSS_OK);
    assert_int_equal(lss_deal_win(db, T("2025-01-28T15:45:00Z"), "d-17", -1), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, T("2025-02-03T08:05:00Z"), "t-90", "c-17", LSS_TICKET_INSTALLATION,
                                     LSS_CHANNEL_PHONE, LSS_PRIORITY_HIGH, "Docking stations not detected", NULL),
                     LSS_OK);
    assert_int_equal(lss_ticket_contact(db, T("2025-02-03T08:40:00Z"), "t-90", "m-ben", 540, -1), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, T("2025-02-03T09:10:00Z"), "t-90", NULL), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, T("2025-02-04T10:00:00Z"), "t-90", 5, NULL), LSS_OK);
    assert_int_equal(lss_ticket_close(db, T("2025-02-10T00:00:00Z"), "t-90"), LSS_OK);
    return db;
}

static lss_list *run(lss_db *db, const lss_list_filter *f)
{
    lss_list *l = NULL;
    lss_status st = lss_list_run(&l, db, f);
    if (st != LSS_OK)
        fail_msg("lss_list_run: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    return l;
}

/* The example of the events spec, as of now and as of moments before. */
static void test_rows_as_of(void **state)
{
    (void)state;
    lss_db *db = example();
    lss_list_filter f;
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    lss_list *l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    assert_int_equal(lss_list_as_of(l), T("2025-02-10T00:00:01Z"));
    lss_deal_row d;
    assert_int_equal(lss_list_deal(&d, l, 0), LSS_OK);
    assert_string_equal(lss_deal_key(d.deal), "d-17");
    assert_int_equal(d.stage, LSS_STAGE_WON);
    assert_int_equal(d.amount, 1120000);
    assert_int_equal(d.probability, 100);
    assert_string_equal(d.pipeline, "default");
    assert_string_equal(d.forecast, "pipeline");
    assert_int_equal(d.expected_close, T("2025-02-01"));
    assert_int_equal(d.last_at, T("2025-01-28T15:45:00Z"));
    assert_string_equal(lss_member_key(d.owner), "m-anna");
    lss_ticket_row tr;
    assert_int_equal(lss_list_ticket(&tr, l, 0), LSS_INVALID); /* a list of deals */
    assert_int_equal(lss_list_deal(&d, l, 1), LSS_NOT_FOUND);
    lss_list_free(l);

    /* as of 2025-01-10: qualified, the first amount, the stage's probability */
    f.as_of = T("2025-01-10");
    f.open = 1;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    assert_int_equal(lss_list_deal(&d, l, 0), LSS_OK);
    assert_int_equal(d.stage, LSS_STAGE_QUALIFIED);
    assert_int_equal(d.amount, 1200000);
    assert_int_equal(d.probability, 25);
    assert_int_equal(d.last_at, T("2025-01-09T14:00:00Z"));
    lss_list_free(l);
    f.as_of = T("2025-01-06T09:30:00Z"); /* the opening is not before it */
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 0);
    lss_list_free(l);

    /* the ticket as of 08:30, before its first response: due 4 h and 24 h after opening */
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    f.as_of = T("2025-02-03T08:30:00Z");
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    assert_int_equal(lss_list_ticket(&tr, l, 0), LSS_OK);
    assert_int_equal(tr.state, LSS_TICKET_NEW);
    assert_null(tr.assignee);
    assert_int_equal(tr.first_response, LSS_TIME_NONE);
    assert_int_equal(tr.first_response_due, T("2025-02-03T12:05:00Z"));
    assert_int_equal(tr.resolution_due, T("2025-02-04T08:05:00Z"));
    assert_int_equal(tr.sla, LSS_SLA_UNDECIDED);
    assert_int_equal(tr.priority, LSS_PRIORITY_HIGH);
    assert_int_equal(tr.kind, LSS_TICKET_INSTALLATION);
    lss_list_free(l);
    /* breach_before: a due strictly before T */
    f.breach_before = T("2025-02-03T12:05:01Z");
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    lss_list_free(l);
    f.breach_before = T("2025-02-03T12:05:00Z");
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 0);
    lss_list_free(l);
    /* as of now: closed, both targets met, no due */
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    l = run(db, &f);
    assert_int_equal(lss_list_ticket(&tr, l, 0), LSS_OK);
    assert_int_equal(tr.state, LSS_TICKET_CLOSED);
    assert_int_equal(tr.sla, LSS_SLA_MET);
    assert_int_equal(tr.first_response, T("2025-02-03T08:40:00Z"));
    assert_int_equal(tr.first_response_due, LSS_TIME_NONE);
    assert_int_equal(tr.resolution_due, LSS_TIME_NONE);
    assert_null(tr.assignee); /* a contact is not an assignment */
    lss_list_free(l);
    lss_db_close(db);
}

/* Customers: state, search (ASCII case folding, any of the three texts,
 * names of the moment), erasure. */
static void test_customers(void **state)
{
    (void)state;
    lss_db *db = example();
    assert_int_equal(lss_customer_add(NULL, db, T("2025-03-01"), "c-18", "Otto Lamm", NULL, "Lamm AG", "smb",
                                      LSS_SOURCE_REFERRAL, "c-17"),
                     LSS_OK);
    assert_int_equal(lss_customer_update(db, T("2025-03-05"), "c-18", "Otto Schaf", NULL, NULL, NULL), LSS_OK);
    lss_list_filter f;
    lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
    f.search = "KRAUS";
    lss_list *l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    lss_customer_row r;
    assert_int_equal(lss_list_customer(&r, l, 0), LSS_OK);
    assert_string_equal(r.name, "Kraus GmbH");
    assert_int_equal(r.state, LSS_CUSTOMER_STATE_ACTIVE);
    assert_int_equal(r.source, LSS_SOURCE_WEB);
    lss_list_free(l);
    f.search = "lamm"; /* the company still says Lamm; the name no longer */
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    lss_list_free(l);
    f.search = "otto l"; /* the old name: only as of before the update */
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 0);
    lss_list_free(l);
    f.as_of = T("2025-03-04");
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    assert_int_equal(lss_list_customer(&r, l, 0), LSS_OK);
    assert_string_equal(r.name, "Otto Lamm");
    assert_string_equal(r.segment, "smb");
    assert_int_equal(r.state, LSS_CUSTOMER_STATE_PROSPECT);
    lss_list_free(l);
    f.search = "ot"; /* shorter than a trigram: a scan */
    f.as_of = LSS_TIME_NONE;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    lss_list_free(l);
    /* segment and state */
    lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
    f.state = LSS_CUSTOMER_STATE_ACTIVE;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    lss_list_free(l);
    f.state = -1;
    f.segment = "smb";
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    lss_list_free(l);
    /* erased: the row says [erased], the search finds nothing */
    assert_int_equal(lss_customer_erase(db, T("2025-03-06"), "c-18"), LSS_OK);
    lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
    f.sort = "name";
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 2);
    assert_int_equal(lss_list_customer(&r, l, 0), LSS_OK);
    assert_string_equal(r.name, "Kraus GmbH");
    assert_int_equal(lss_list_customer(&r, l, 1), LSS_OK);
    assert_string_equal(r.name, "[erased]");
    assert_null(r.email);
    assert_null(r.company);
    lss_list_free(l);
    f.search = "schaf";
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 0);
    lss_list_free(l);
    f.search = "erased";
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 0);
    lss_list_free(l);
    lss_db_close(db);
}

static const char *row_key(const lss_list *l, uint32_t i)
{
    lss_deal_row d;
    lss_ticket_row t;
    lss_customer_row c;
    lss_task_row k;
    switch (lss_list_kind_of(l)) {
    case LSS_LIST_DEALS: assert_int_equal(lss_list_deal(&d, l, i), LSS_OK); return lss_deal_key(d.deal);
    case LSS_LIST_TICKETS: assert_int_equal(lss_list_ticket(&t, l, i), LSS_OK); return lss_ticket_key(t.ticket);
    case LSS_LIST_TASKS: assert_int_equal(lss_list_task(&k, l, i), LSS_OK); return lss_task_key(k.task);
    default: assert_int_equal(lss_list_customer(&c, l, i), LSS_OK); return lss_customer_key(c.customer);
    }
}

/* Sort orders (absent values last either way, ties by key) and pages. */
static void test_order_and_pages(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    rand_team(db);
    char k[16], c[16];
    assert_int_equal(lss_customer_add(NULL, db, 10, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    for (int i = 0; i < 9; i++) {
        snprintf(k, sizeof k, "d%d", i);
        snprintf(c, sizeof c, "c");
        assert_int_equal(lss_deal_open(NULL, db, 20 + i, k, c, RAND_SALES[i % 3], (i % 3) * 100, NULL,
                                       i % 4 == 0 ? LSS_TIME_NONE : 100000 - (i % 2) * 500),
                         LSS_OK);
    }
    lss_list_filter f;
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.sort = "expected_close";
    lss_list *l = run(db, &f);
    const char *asc[] = { "d1", "d3", "d5", "d7", "d2", "d6", "d0", "d4", "d8" };
    assert_int_equal(lss_list_count(l), 9);
    for (uint32_t i = 0; i < 9; i++)
        assert_string_equal(row_key(l, i), asc[i]);
    lss_list_free(l);
    f.desc = 1;
    l = run(db, &f);
    const char *desc[] = { "d2", "d6", "d1", "d3", "d5", "d7", "d0", "d4", "d8" };
    for (uint32_t i = 0; i < 9; i++)
        assert_string_equal(row_key(l, i), desc[i]);
    lss_list_free(l);
    /* pages of 2 after each page's last key walk the whole list */
    f.desc = 0;
    f.sort = "amount";
    l = run(db, &f);
    lss_list_filter p = f;
    p.limit = 2;
    char after[16] = "";
    for (uint32_t i = 0; i < 9; i += 2) {
        p.after = i ? after : NULL;
        lss_list *pg = run(db, &p);
        assert_int_equal(lss_list_count(pg), i + 2 <= 9 ? 2 : 1);
        assert_int_equal(lss_list_matched(pg), 9);
        for (uint32_t j = 0; j < lss_list_count(pg); j++)
            assert_string_equal(row_key(pg, j), row_key(l, i + j));
        snprintf(after, sizeof after, "%s", row_key(pg, lss_list_count(pg) - 1));
        lss_list_free(pg);
    }
    lss_list_free(l);
    lss_db_close(db);
}

static void test_errors(void **state)
{
    (void)state;
    lss_db *db = example();
    lss_list *l = (lss_list *)&l;
    lss_list_filter f;
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.sort = "title";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "sort", "\"title\"", "expected key, opened");
    assert_null(l);
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.limit = 0;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "limit", "0");
    f.limit = -3;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "limit", "-3");
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.closing_from = T("2025-03-01");
    f.closing_to = T("2025-02-01");
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "closing_from", "after closing_to");
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.owner = "m-nobody";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_NOT_FOUND, "owner", "\"m-nobody\"", "not found");
    f.owner = NULL;
    f.pipeline = "emea";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_NOT_FOUND, "pipeline", "\"emea\"");
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.after = "d-99";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_NOT_FOUND, "after", "\"d-99\"");
    f.after = "d-17";
    f.open = 1; /* d-17 is won: not in the list of open deals */
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_NOT_FOUND, "after", "\"d-17\"");
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    f.owner = "m-anna";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "owner", "does not apply to tickets");
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    f.assignee = "m-ben";
    f.unassigned = 1;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "unassigned");
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    f.priorities = 1u << 7;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "priority", "0x80");
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    f.states = 1u << 5;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "state", "0x20");
    lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
    f.search = "";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "search");
    lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
    f.version = 9;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "version 9");
    lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
    f.as_of = -5;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "as_of", "-5");
    lss_list_kind k;
    assert_int_equal(lss_list_kind_parse(&k, "tickets"), LSS_OK);
    assert_int_equal(k, LSS_LIST_TICKETS);
    assert_int_equal(lss_list_kind_parse(&k, "tasks"), LSS_OK);
    assert_int_equal(k, LSS_LIST_TASKS);
    assert_int_equal(lss_list_kind_parse(&k, "jobs"), LSS_INVALID);
    assert_null(lss_list_kind_name(4));
    lss_db_close(db);
}

/* The order by key and by name is strcmp's, for texts longer than the part
 * a sort compares first, texts that share it, and bytes above 0x7f. */
static void test_text_order(void **state)
{
    (void)state;
    static const char *const keys[] = {
        "customer-0000000001-b", "customer-0000000001-a", "customer-0000000001", "customer-000000000",
        "customer-00000000011", "c", "\xc3\x84rzte-0000000000000", "customer-0000000001-aa", "Customer",
        "customer-0000000001-a\xc3\xa9",
    };
    static const char *const names[] = { "Name 0000000000 b", "Name 0000000000 a", "Name 0000000000 a", "Name",
                                         "Name 0000000000 b", "Name 0000000000 a", "\xc3\x84", "N", "name",
                                         "Name 0000000000 a" };
    enum { N = sizeof keys / sizeof keys[0] };
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    for (int i = 0; i < N; i++)
        assert_int_equal(lss_customer_add(NULL, db, T("2025-01-06") + i, keys[i], names[i], NULL, NULL, NULL,
                                          LSS_SOURCE_WEB, NULL),
                         LSS_OK);
    for (int sort = 0; sort < 2; sort++)
        for (int desc = 0; desc < 2; desc++) {
            lss_list_filter f;
            lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
            f.sort = sort ? "name" : "key";
            f.desc = desc;
            lss_list *l = run(db, &f);
            assert_int_equal(lss_list_count(l), N);
            lss_customer_row a, b;
            for (uint32_t i = 1; i < N; i++) {
                assert_int_equal(lss_list_customer(&a, l, i - 1), LSS_OK);
                assert_int_equal(lss_list_customer(&b, l, i), LSS_OK);
                const char *ka = lss_customer_key(a.customer), *kb = lss_customer_key(b.customer);
                int c = sort ? strcmp(a.name, b.name) : strcmp(ka, kb);
                if (desc)
                    c = -c;
                if (sort && c == 0)
                    c = strcmp(ka, kb); /* equal names: by key, ascending either way */
                if (c >= 0)
                    fail_msg("sort %s desc %d: row %u \"%s\" (%s) before \"%s\" (%s)", f.sort, desc, i - 1, ka,
                             a.name, kb, b.name);
            }
            lss_list_free(l);
        }
    lss_db_close(db);
}

/* ---- the indexes against the scan ---------------------------------------- */

static void random_filter(lss_list_filter *f, rng *r, lss_time now)
{
    static const char *const sorts[3][5] = { { "key", "opened", "expected_close", "amount", "last_at" },
                                             { "key", "opened", "priority", "first_response_due", "resolution_due" },
                                             { "key", "added", "name", "key", "added" } };
    static const char *const needles[] = { "c1", "c12", "C3", "x@ex", "new name", "co", "ample", "zz9" };
    lss_list_kind kind = (lss_list_kind)rng_pick(r, 3);
    lss_list_filter_init(f, kind);
    f->sort = sorts[kind][rng_pick(r, 5)];
    f->desc = rng_pick(r, 2);
    switch (kind) {
    case LSS_LIST_DEALS:
        if (rng_pick(r, 2))
            f->owner = RAND_SALES[rng_pick(r, 3)];
        else if (rng_pick(r, 3) == 0)
            f->team = rng_pick(r, 2) ? "north" : "nowhere";
        f->open = rng_pick(r, 2);
        if (rng_pick(r, 3) == 0)
            f->stages = (unsigned)rng_pick(r, 64);
        if (rng_pick(r, 3) == 0) {
            f->closing_from = 1000 + rng_pick(r, 40000);
            f->closing_to = f->closing_from + rng_pick(r, 40000);
        }
        break;
    case LSS_LIST_TICKETS:
        if (rng_pick(r, 3) == 0)
            f->assignee = RAND_AGENTS[rng_pick(r, 3)];
        else if (rng_pick(r, 3) == 0)
            f->unassigned = 1;
        f->open = rng_pick(r, 2);
        if (rng_pick(r, 3) == 0)
            f->states = (unsigned)rng_pick(r, 32);
        if (rng_pick(r, 3) == 0)
            f->priorities = (unsigned)rng_pick(r, 16);
        if (rng_pick(r, 4) == 0)
            f->channel = rng_pick(r, 6);
        if (rng_pick(r, 2))
            f->breach_before = now + rng_pick(r, 500000);
        break;
    case LSS_LIST_CUSTOMERS:
        if (rng_pick(r, 3) == 0)
            f->segment = RAND_SEGMENTS[rng_pick(r, 3)];
        if (rng_pick(r, 4) == 0)
            f->source = rng_pick(r, 6);
        if (rng_pick(r, 3) == 0)
            f->state = rng_pick(r, 3);
        if (rng_pick(r, 2))
            f->search = needles[rng_pick(r, 8)];
        break;
    case LSS_LIST_TASKS: /* not drawn: tasks have no index (test_task_list) */
        break;
    }
    if (rng_pick(r, 4) == 0)
        f->limit = 1 + rng_pick(r, 5);
}

/* The same list through the indexes and through the scan: the same rows in
 * the same order. Returns its length. */
static uint32_t same_as_scan(lss_db *db, const lss_list_filter *f)
{
    lss__list_scan = false;
    lss_list *a = run(db, f);
    lss__list_scan = true;
    lss_list *b = run(db, f);
    lss__list_scan = false;
    if (lss_list_matched(a) != lss_list_matched(b))
        fprintf(stderr, "kind %d sort %s open %d owner %s team %s stages %x from %lld to %lld states %x prios %x "
                "assignee %s unassigned %d channel %d breach %lld segment %s source %d state %d search %s: %u vs %u\n",
                f->kind, f->sort, f->open, f->owner, f->team, f->stages, (long long)f->closing_from,
                (long long)f->closing_to, f->states, f->priorities, f->assignee, f->unassigned, f->channel,
                (long long)f->breach_before, f->segment, f->source, f->state, f->search, lss_list_matched(a),
                lss_list_matched(b));
    assert_int_equal(lss_list_matched(a), lss_list_matched(b));
    assert_int_equal(lss_list_count(a), lss_list_count(b));
    for (uint32_t i = 0; i < lss_list_count(a); i++)
        assert_string_equal(row_key(a, i), row_key(b, i));
    uint32_t n = lss_list_matched(a);
    lss_list_free(a);
    lss_list_free(b);
    return n;
}

static void test_indexes_equal_scan(void **state)
{
    (void)state;
    enum { N = 1500 };
    static ev evs[N];
    uint64_t rows = 0;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        rng r = { seed * 7919 };
        rand_events(evs, N, &r);
        lss_db *db = rand_base();
        for (int i = 0; i < N; i++) {
            if (i % 150 == 75) { /* a transaction rolled back: the indexes are rebuilt */
                assert_int_equal(lss_tx_begin(db), LSS_OK);
                for (int j = i; j < i + 20 && j < N; j++)
                    (void)rand_apply(db, &evs[j]);
                assert_int_equal(lss_tx_rollback(db), LSS_OK);
            }
            (void)rand_apply(db, &evs[i]);
            if (i % 10 == 0) {
                lss_list_filter f;
                random_filter(&f, &r, lss_db_last_time(db));
                rows += same_as_scan(db, &f);
            }
        }
        assert_true(lss_list_index_bytes(db) > 0);
        lss_db_close(db);
    }
    assert_true(rows > 1000); /* the lists were not all empty */
}

/* Tasks: rows as of a moment, every filter, order by due, pages, the errors. */
static void test_task_list(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 0, "s", "S", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "a", "A", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c1", "C1", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c2", "C2", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_task_add(NULL, db, 10, "k1", "c1", "s", LSS_ACTIVITY_CALL, 500, NULL, NULL, NULL), LSS_OK);
    assert_int_equal(lss_task_add(NULL, db, 10, "k2", "c2", "s", LSS_ACTIVITY_EMAIL, 300, NULL, NULL, NULL), LSS_OK);
    assert_int_equal(lss_task_add(NULL, db, 10, "k3", "c1", "a", LSS_ACTIVITY_DEMO, 900, NULL, NULL, NULL), LSS_OK);
    assert_int_equal(lss_task_done(db, 200, "k2", NULL), LSS_OK);
    assert_int_equal(lss_task_reschedule(db, 600, "k1", 1000), LSS_OK);
    assert_int_equal(lss_task_assign(db, 610, "k3", "s"), LSS_OK);
    lss_list_filter f;
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.sort = "due";
    lss_list *l = run(db, &f);
    assert_int_equal(lss_list_count(l), 3);
    assert_string_equal(row_key(l, 0), "k2"); /* 300, 900, 1000 */
    assert_string_equal(row_key(l, 1), "k3");
    assert_string_equal(row_key(l, 2), "k1");
    lss_task_row r;
    assert_int_equal(lss_list_task(&r, l, 1), LSS_OK);
    assert_string_equal(lss_member_key(r.member), "s");
    assert_int_equal(r.kind, LSS_ACTIVITY_DEMO);
    lss_list_free(l);
    /* overdue as of 550: k1 (due 500, rescheduled only at 600) */
    f.as_of = 550;
    f.overdue = 1;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    assert_string_equal(row_key(l, 0), "k1");
    assert_int_equal(lss_list_task(&r, l, 0), LSS_OK);
    assert_int_equal(r.due, 500);
    lss_list_free(l);
    /* member as of the moment, state, customer, due range */
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.member = "a";
    f.as_of = 605;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    lss_list_free(l);
    f.as_of = LSS_TIME_NONE;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 0);
    lss_list_free(l);
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.states = 1u << LSS_TASK_DONE;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    assert_string_equal(row_key(l, 0), "k2");
    lss_list_free(l);
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.customer = "c1";
    f.due_from = 900;
    f.due_to = 1000;
    l = run(db, &f);
    assert_int_equal(lss_list_count(l), 1);
    assert_string_equal(row_key(l, 0), "k3");
    lss_list_free(l);
    /* errors */
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.member = "nobody";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_NOT_FOUND, "list tasks: filter member: member \"nobody\" not found");
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.due_from = 10;
    f.due_to = 5;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "list tasks: due_from (10) is after due_to (5)");
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.sort = "amount";
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "unknown field \"amount\" (expected key, due)");
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.states = 8;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "is not a task state");
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.overdue = 1;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "list deals: filter overdue does not apply to deals");
    lss_list_filter_init(&f, LSS_LIST_TASKS);
    f.version = 1;
    assert_status_msg(db, lss_list_run(&l, db, &f), LSS_INVALID, "a version 1 filter has no task filters");
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_as_of),
        cmocka_unit_test(test_customers),
        cmocka_unit_test(test_order_and_pages),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_text_order),
        cmocka_unit_test(test_indexes_equal_scan),
        cmocka_unit_test(test_task_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
