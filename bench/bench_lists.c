/* Work queues: four lists as of now at N customers (lss_generate, by time),
 * and the same lists in SQLite, side by side in one run.
 *
 * The SQLite side holds the rows the lists show (deals, tickets, customers,
 * loaded from the library's own lists so both answer over the same data)
 * with the indexes an application would create for these questions:
 * deals (owner, stage), tickets (assignee, state), tickets (resolution due),
 * tickets (first-response due), customers (name), customers (email). A
 * substring search has no B-tree index: SQLite scans (LIKE '%...%').
 *
 *   one member's open deals          owner = s-01, open
 *   tickets breaching before T       T such that 1 % of the open tickets have a due before it
 *   unassigned tickets, first 50     unassigned, by key
 *   customers containing a string    a 5-letter string of names and emails
 *
 * Each list runs 20 times after a warm-up; the median is printed, with the
 * rows returned. Memory: the bytes the list indexes hold (lss_list_index_bytes)
 * over the library's bytes before them (counting allocator), per customer.
 *
 * Usage: bench_lists [N]   (default 100000; 1000000 for the figures)
 * Not a test: it prints figures. */
#include <salesservice.h>
#include "workload.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS 20

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static void sq(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bench_lists: sqlite: %s: %s\n", sql, err);
        exit(1);
    }
}

static lss_list *list(lss_db *db, const lss_list_filter *f)
{
    lss_list *l = NULL;
    bench_check(lss_list_run(&l, db, f), "lss_list_run");
    return l;
}

/* Time the library's list: median of RUNS, rows in *rows. */
static double time_lss(lss_db *db, const lss_list_filter *f, uint32_t *rows)
{
    double t[RUNS];
    lss_list_free(list(db, f));
    for (int i = 0; i < RUNS; i++) {
        double t0 = bench_now();
        lss_list *l = list(db, f);
        /* read every row, as a caller shows it */
        for (uint32_t k = 0; k < lss_list_count(l); k++) {
            lss_deal_row d;
            lss_ticket_row tr;
            lss_customer_row c;
            if (f->kind == LSS_LIST_DEALS)
                lss_list_deal(&d, l, k);
            else if (f->kind == LSS_LIST_TICKETS)
                lss_list_ticket(&tr, l, k);
            else
                lss_list_customer(&c, l, k);
        }
        t[i] = bench_now() - t0;
        *rows = lss_list_count(l);
        lss_list_free(l);
    }
    return median(t, RUNS);
}

static double time_sql(sqlite3 *db, const char *sql, int64_t arg, long *rows)
{
    double t[RUNS];
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_lists: %s: %s\n", sql, sqlite3_errmsg(db));
        exit(1);
    }
    for (int i = -1; i < RUNS; i++) {
        double t0 = bench_now();
        sqlite3_reset(st);
        if (arg != INT64_MIN)
            sqlite3_bind_int64(st, 1, arg);
        long n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++)
                (void)sqlite3_column_text(st, c);
            n++;
        }
        if (i >= 0)
            t[i] = bench_now() - t0;
        *rows = n;
    }
    sqlite3_finalize(st);
    return median(t, RUNS);
}

static void load_sqlite(sqlite3 *s, lss_db *db)
{
    sq(s, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
          "CREATE TABLE deals(key TEXT PRIMARY KEY, customer TEXT, owner TEXT, stage TEXT, open INT, amount INT,"
          " expected_close INT, opened INT, last_at INT);"
          "CREATE TABLE tickets(key TEXT PRIMARY KEY, customer TEXT, state TEXT, priority TEXT, assignee TEXT,"
          " open INT, opened INT, first_response_due INT, resolution_due INT);"
          "CREATE TABLE customers(key TEXT PRIMARY KEY, name TEXT, email TEXT, company TEXT, segment TEXT,"
          " state TEXT, added INT);");
    lss_list_filter f;
    sqlite3_stmt *st;
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    lss_list *l = list(db, &f);
    sqlite3_prepare_v2(s, "INSERT INTO deals VALUES(?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    for (uint32_t i = 0; i < lss_list_count(l); i++) {
        lss_deal_row r;
        lss_list_deal(&r, l, i);
        sqlite3_bind_text(st, 1, lss_deal_key(r.deal), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, lss_customer_key(r.customer), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, lss_member_key(r.owner), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, lss_stage_name(r.stage), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, r.stage < LSS_STAGE_WON);
        sqlite3_bind_int64(st, 6, r.amount);
        if (r.expected_close == LSS_TIME_NONE)
            sqlite3_bind_null(st, 7);
        else
            sqlite3_bind_int64(st, 7, r.expected_close);
        sqlite3_bind_int64(st, 8, r.opened);
        sqlite3_bind_int64(st, 9, r.last_at);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    lss_list_free(l);
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    l = list(db, &f);
    sqlite3_prepare_v2(s, "INSERT INTO tickets VALUES(?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    for (uint32_t i = 0; i < lss_list_count(l); i++) {
        lss_ticket_row r;
        lss_list_ticket(&r, l, i);
        sqlite3_bind_text(st, 1, lss_ticket_key(r.ticket), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, lss_customer_key(r.customer), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, lss_ticket_state_name(r.state), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, lss_priority_name(r.priority), -1, SQLITE_STATIC);
        if (r.assignee)
            sqlite3_bind_text(st, 5, lss_member_key(r.assignee), -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 5);
        sqlite3_bind_int(st, 6, r.state <= LSS_TICKET_PENDING);
        sqlite3_bind_int64(st, 7, r.opened);
        if (r.first_response_due == LSS_TIME_NONE)
            sqlite3_bind_null(st, 8);
        else
            sqlite3_bind_int64(st, 8, r.first_response_due);
        if (r.resolution_due == LSS_TIME_NONE)
            sqlite3_bind_null(st, 9);
        else
            sqlite3_bind_int64(st, 9, r.resolution_due);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    lss_list_free(l);
    lss_list_filter_init(&f, LSS_LIST_CUSTOMERS);
    l = list(db, &f);
    sqlite3_prepare_v2(s, "INSERT INTO customers VALUES(?,?,?,?,?,?,?)", -1, &st, NULL);
    for (uint32_t i = 0; i < lss_list_count(l); i++) {
        lss_customer_row r;
        lss_list_customer(&r, l, i);
        sqlite3_bind_text(st, 1, lss_customer_key(r.customer), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r.email, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r.company, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, r.segment, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, lss_customer_state_name(r.state), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, r.added);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    lss_list_free(l);
    sq(s, "CREATE INDEX deals_owner ON deals(owner, open);"
          "CREATE INDEX tickets_assignee ON tickets(assignee, key);"
          "CREATE INDEX tickets_resolution_due ON tickets(resolution_due);"
          "CREATE INDEX tickets_first_response_due ON tickets(first_response_due);"
          "CREATE INDEX customers_name ON customers(name); CREATE INDEX customers_email ON customers(email);"
          "COMMIT; ANALYZE;");
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    bench_count_allocations();
    lss_db *db = NULL;
    bench_check(lss_db_open(&db, NULL, NULL), "open");
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = (uint32_t)n;
    g.order = LSS_GENERATE_BY_TIME;
    double t0 = bench_now();
    bench_check(lss_generate(db, &g), "generate");
    double gen = bench_now() - t0;
    size_t before = bench_live_bytes();
    lss_list_filter f;
    lss_list_filter_init(&f, LSS_LIST_DEALS);
    f.owner = "s-01";
    f.open = 1;
    t0 = bench_now();
    lss_list_free(list(db, &f)); /* builds the indexes */
    double build = bench_now() - t0;
    size_t ix = lss_list_index_bytes(db);
    printf("bench_lists: %ld customers, %llu events (generated in %.1f s)\n", n,
           (unsigned long long)lss_db_event_count(db), gen);
    printf("memory: %.1f bytes per customer before the lists; the indexes add %.1f (%.1f %%), built by the first "
           "list in %.1f ms (allocated bytes: %zu more)\n",
           (double)before / (double)n, (double)ix / (double)n, 100.0 * (double)ix / (double)before, build * 1e3,
           bench_live_bytes() - before);

    /* T: 1 % of the open tickets have a due before it */
    lss_list_filter_init(&f, LSS_LIST_TICKETS);
    f.open = 1;
    f.sort = "resolution_due";
    lss_list *open = list(db, &f);
    uint32_t nopen = lss_list_count(open), k = nopen / 100;
    lss_ticket_row tr;
    lss_list_ticket(&tr, open, k < nopen ? k : 0);
    lss_time T = tr.resolution_due;
    lss_list_free(open);

    sqlite3 *s;
    sqlite3_open(":memory:", &s);
    t0 = bench_now();
    load_sqlite(s, db);
    printf("sqlite: loaded the rows with their indexes in %.1f s\n\n", bench_now() - t0);

    printf("%-44s %12s %8s %12s %8s %8s\n", "list (as of now)", "library ms", "rows", "sqlite ms", "rows", "ratio");
    struct {
        const char *name, *sql;
        int64_t arg;
        lss_list_filter f;
    } q[4];
    lss_list_filter_init(&q[0].f, LSS_LIST_DEALS);
    q[0].f.owner = "s-01";
    q[0].f.open = 1;
    q[0].name = "one member's open deals";
    q[0].sql = "SELECT * FROM deals WHERE owner='s-01' AND open=1 ORDER BY key";
    q[0].arg = INT64_MIN;
    lss_list_filter_init(&q[1].f, LSS_LIST_TICKETS);
    q[1].f.breach_before = T;
    q[1].name = "tickets breaching before T (1 % of open)";
    q[1].sql = "SELECT * FROM tickets WHERE open=1 AND (first_response_due < ?1 OR resolution_due < ?1) ORDER BY key";
    q[1].arg = T;
    lss_list_filter_init(&q[2].f, LSS_LIST_TICKETS);
    q[2].f.unassigned = 1;
    q[2].f.limit = 50;
    q[2].name = "unassigned tickets, first 50";
    q[2].sql = "SELECT * FROM tickets WHERE assignee IS NULL ORDER BY key LIMIT 50";
    q[2].arg = INT64_MIN;
    lss_list_filter_init(&q[3].f, LSS_LIST_CUSTOMERS);
    q[3].f.search = "logis";
    q[3].name = "customers containing \"logis\"";
    q[3].sql = "SELECT * FROM customers WHERE name LIKE '%logis%' OR email LIKE '%logis%' OR company LIKE '%logis%'"
               " ORDER BY key";
    q[3].arg = INT64_MIN;
    for (int i = 0; i < 4; i++) {
        uint32_t rows;
        long srows;
        double a = time_lss(db, &q[i].f, &rows);
        double b = time_sql(s, q[i].sql, q[i].arg, &srows);
        printf("%-44s %12.3f %8u %12.3f %8ld %7.1fx\n", q[i].name, a * 1e3, rows, b * 1e3, srows, b / a);
        if ((long)rows != srows)
            printf("  (the row counts differ: %u vs %ld)\n", rows, srows);
    }
    sqlite3_close(s);
    lss_db_close(db);
    return 0;
}
