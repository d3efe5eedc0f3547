/* libsalesservice against SQLite, side by side in one run.
 *
 * The workload comes from lss_generate(): N customers with their deals,
 * activities and tickets (about 8.7 events per customer). The SQLite side is
 * what a competent application developer would write: a normalised schema
 * with the indexes the queries need, prepared statements, one transaction per
 * 10,000 events, every event looked up by key and checked against the row's
 * current state like the library does, and the report computed in SQL with
 * the metrics spec's definitions. The benchmark first checks that the SQL
 * report equals the library's, figure by figure, for the whole period and
 * for each of 12 monthly windows (a fast wrong answer counts for nothing).
 *
 * Each figure is printed for both sides with SQLite's cost over the
 * library's (above 1: the library is ahead). Memory is measured in fresh
 * processes: own accounting (the library's bytes through a counting allocator
 * hook; sqlite3_memory_used()) and resident growth over the ingest (the
 * library with its default allocator).
 *
 * Usage: bench_sqlite [N ...]     (default: 10000 100000; 1000000 works)
 *        environment BENCH_DIR: where the durable files go (default /dev/shm
 *        if it exists, else the current directory); BENCH_ORDER: the order
 *        of the generated events, customer, time or both (the default: each
 *        N is run by customer, then by time, the order a live system writes)
 * Not a test: it prints figures; it exits 1 only if the reports differ. */
#define _GNU_SOURCE 1
#include "db/db.h"
#include "workload.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DAY 86400

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_sqlite: %s: %s\n", what, msg);
    exit(2);
}

/* ---- the workload: the generator's events, in order ----------------------- */

typedef struct workload {
    lss_db *src;
    lss__event *ev;
    uint64_t n;
    lss_time start, end;
} workload;

/* The order the workload is generated in (BENCH_ORDER_NOW, which main sets
 * for each run and the memory children inherit). */
static lss_generate_order workload_order(void)
{
    lss_generate_order o = LSS_GENERATE_BY_CUSTOMER;
    const char *e = getenv("BENCH_ORDER_NOW");
    if (e && lss_generate_order_parse(&o, e) != LSS_OK)
        die("BENCH_ORDER_NOW", lss_errmsg());
    return o;
}

static void make_workload(workload *w, uint32_t customers)
{
    bench_check(lss_db_open(&w->src, NULL, NULL), "open");
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = customers;
    g.order = workload_order();
    bench_check(lss_generate(w->src, &g), "generate");
    w->start = g.start;
    w->end = g.start + (lss_time)g.days * DAY;
    lss__evref *refs;
    bench_check(lss__event_refs(w->src, &refs, &w->n), "events");
    w->ev = malloc(sizeof *w->ev * w->n);
    for (uint64_t k = 0; k < w->n; k++) {
        lss__event_of(w->src, &refs[k], &w->ev[k]);
        for (int s = 0; s < LSS__EV_STRS; s++)
            w->ev[k].ref[s] = LSS__NONE; /* the library looks keys up like any caller */
    }
    lss_free(refs);
}

/* ---- the library side ------------------------------------------------------- */

static lss_db *lib_ingest(const workload *w, const char *path, lss_sync_mode sync, uint64_t batch)
{
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.sync = sync;
    o.checkpoint_bytes = 0; /* ingest alone; the checkpoint is measured by itself */
    lss_db *db;
    bench_check(lss_db_open(&db, path, &o), "open");
    for (uint64_t k = 0; k < w->n; k++) {
        if (batch && k % batch == 0)
            bench_check(lss_tx_begin(db), "begin");
        bench_check(lss__event_apply(db, &w->ev[k], NULL), "apply");
        if (batch && (k % batch == batch - 1 || k + 1 == w->n))
            bench_check(lss_tx_commit(db), "commit");
    }
    return db;
}

/* ---- the SQLite side: schema, statements, ingest ------------------------------ */

static const char SCHEMA[] =
    "CREATE TABLE members(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role INTEGER NOT NULL,"
    " team TEXT, added_at INTEGER NOT NULL);"
    "CREATE TABLE quotas(member_id INTEGER NOT NULL REFERENCES members, seq INTEGER NOT NULL, set_at INTEGER NOT NULL,"
    " from_t INTEGER NOT NULL, to_t INTEGER NOT NULL, target INTEGER NOT NULL);"
    "CREATE INDEX quotas_member ON quotas(member_id, from_t, to_t);"
    "CREATE TABLE customers(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, email TEXT,"
    " company TEXT, segment TEXT, source INTEGER NOT NULL, referred_by INTEGER REFERENCES customers,"
    " added_at INTEGER NOT NULL);"
    "CREATE TABLE customer_events(customer_id INTEGER NOT NULL REFERENCES customers, at INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, name TEXT, email TEXT, company TEXT, segment TEXT);"
    "CREATE INDEX customer_events_customer ON customer_events(customer_id, kind, at);"
    "CREATE TABLE deals(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, customer_id INTEGER NOT NULL"
    " REFERENCES customers, owner_id INTEGER NOT NULL REFERENCES members, title TEXT, expected_close INTEGER,"
    " opened_at INTEGER NOT NULL, stage INTEGER NOT NULL, amount INTEGER NOT NULL, lost_from INTEGER,"
    " last_at INTEGER NOT NULL, events INTEGER NOT NULL, pipeline_id INTEGER NOT NULL DEFAULT 0,"
    " own_prob INTEGER NOT NULL DEFAULT -1);"
    "CREATE INDEX deals_customer ON deals(customer_id);"
    "CREATE INDEX deals_opened ON deals(opened_at);"
    "CREATE TABLE deal_events(deal_id INTEGER NOT NULL REFERENCES deals, seq INTEGER NOT NULL, at INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, stage INTEGER NOT NULL, amount INTEGER NOT NULL, owner_id INTEGER NOT NULL,"
    " reason INTEGER, note TEXT, PRIMARY KEY(deal_id, seq)) WITHOUT ROWID;"
    "CREATE INDEX deal_events_kind ON deal_events(kind, at);"
    "CREATE TABLE activities(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers,"
    " member_id INTEGER NOT NULL REFERENCES members, deal_id INTEGER REFERENCES deals, at INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, channel INTEGER NOT NULL, duration INTEGER, note TEXT);"
    "CREATE INDEX activities_customer ON activities(customer_id);"
    "CREATE TABLE tickets(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, customer_id INTEGER NOT NULL"
    " REFERENCES customers, deal_id INTEGER REFERENCES deals, kind INTEGER NOT NULL, channel INTEGER NOT NULL,"
    " priority INTEGER NOT NULL, subject TEXT, opened_at INTEGER NOT NULL, state INTEGER NOT NULL,"
    " assignee_id INTEGER REFERENCES members, sla_resp INTEGER NOT NULL, sla_res INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL, events INTEGER NOT NULL);"
    "CREATE INDEX tickets_customer ON tickets(customer_id);"
    "CREATE INDEX tickets_opened ON tickets(opened_at);"
    "CREATE TABLE ticket_events(ticket_id INTEGER NOT NULL REFERENCES tickets, seq INTEGER NOT NULL,"
    " at INTEGER NOT NULL, kind INTEGER NOT NULL, state INTEGER NOT NULL, agent_id INTEGER, duration INTEGER,"
    " channel INTEGER, score INTEGER, text TEXT, PRIMARY KEY(ticket_id, seq)) WITHOUT ROWID;"
    "CREATE INDEX ticket_events_kind ON ticket_events(kind, at);"
    "CREATE TABLE sla(priority INTEGER NOT NULL, at INTEGER NOT NULL, seq INTEGER NOT NULL, response INTEGER NOT NULL,"
    " resolution INTEGER NOT NULL);"
    "CREATE TABLE stage_prob(stage INTEGER NOT NULL, at INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " percent INTEGER NOT NULL, pipeline_id INTEGER NOT NULL DEFAULT 0);";

/* The tables of the version 2 events. */
static const char SCHEMA_V2[] =
    "CREATE TABLE pipelines(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " added_at INTEGER NOT NULL);"
    "CREATE TABLE tasks(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, customer_id INTEGER NOT NULL"
    " REFERENCES customers, member_id INTEGER NOT NULL REFERENCES members, deal_id INTEGER REFERENCES deals,"
    " ticket_id INTEGER REFERENCES tickets, kind INTEGER NOT NULL, due INTEGER NOT NULL, state INTEGER NOT NULL,"
    " note TEXT, added_at INTEGER NOT NULL, last_at INTEGER NOT NULL, events INTEGER NOT NULL);"
    "CREATE TABLE task_events(task_id INTEGER NOT NULL REFERENCES tasks, seq INTEGER NOT NULL, at INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, state INTEGER NOT NULL, due INTEGER NOT NULL, member_id INTEGER NOT NULL, note TEXT,"
    " PRIMARY KEY(task_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE nps(customer_id INTEGER NOT NULL REFERENCES customers, at INTEGER NOT NULL, score INTEGER NOT NULL,"
    " comment TEXT);";

enum {
    S_MEMBER_ADD, S_MEMBER_ID, S_QUOTA, S_CUSTOMER_ADD, S_CUSTOMER_ID, S_CUSTOMER_EVENT, S_CUSTOMER_UPDATE,
    S_DEAL_ADD, S_DEAL_GET, S_DEAL_EVENT, S_DEAL_UPDATE, S_ACTIVITY, S_TICKET_ADD, S_TICKET_GET, S_TICKET_EVENT,
    S_TICKET_UPDATE, S_SLA_GET, S_SLA_ADD, S_PROB_ADD, S_PIPE_ADD, S_PIPE_ID, S_DEAL_CLOSE, S_DEAL_PROB, S_TASK_ADD,
    S_TASK_GET, S_TASK_EVENT, S_TASK_UPDATE, S_TICKET_ID, S_NPS_ADD, S_COUNT
};

static const char *const SQL[S_COUNT] = {
    [S_MEMBER_ADD] = "INSERT INTO members(key, name, role, team, added_at) VALUES(?1, ?2, ?3, ?4, ?5)",
    [S_MEMBER_ID] = "SELECT id FROM members WHERE key = ?1",
    [S_QUOTA] = "INSERT INTO quotas(member_id, seq, set_at, from_t, to_t, target) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [S_CUSTOMER_ADD] = "INSERT INTO customers(key, name, email, company, segment, source, referred_by, added_at)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_CUSTOMER_ID] = "SELECT id FROM customers WHERE key = ?1",
    [S_CUSTOMER_EVENT] = "INSERT INTO customer_events(customer_id, at, kind, name, email, company, segment)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_CUSTOMER_UPDATE] = "UPDATE customers SET name = coalesce(?2, name), email = coalesce(?3, email),"
                          " company = coalesce(?4, company), segment = coalesce(?5, segment) WHERE id = ?1",
    [S_DEAL_ADD] = "INSERT INTO deals(key, customer_id, owner_id, title, expected_close, opened_at, stage, amount,"
                   " last_at, events, pipeline_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?6, 1, ?8)",
    [S_DEAL_GET] = "SELECT id, stage, amount, owner_id, lost_from, events, last_at FROM deals WHERE key = ?1",
    [S_DEAL_EVENT] = "INSERT INTO deal_events(deal_id, seq, at, kind, stage, amount, owner_id, reason, note)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_DEAL_UPDATE] = "UPDATE deals SET stage = ?2, amount = ?3, owner_id = ?4, lost_from = ?5, events = ?6,"
                      " last_at = ?7 WHERE id = ?1",
    [S_ACTIVITY] = "INSERT INTO activities(customer_id, member_id, deal_id, at, kind, channel, duration, note)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_TICKET_ADD] = "INSERT INTO tickets(key, customer_id, deal_id, kind, channel, priority, subject, opened_at,"
                     " state, sla_resp, sla_res, last_at, events) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10,"
                     " ?8, 1)",
    [S_TICKET_GET] = "SELECT id, state, channel, events, last_at, assignee_id FROM tickets WHERE key = ?1",
    [S_TICKET_EVENT] = "INSERT INTO ticket_events(ticket_id, seq, at, kind, state, agent_id, duration, channel,"
                       " score, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_TICKET_UPDATE] = "UPDATE tickets SET state = ?2, assignee_id = ?3, events = ?4, last_at = ?5 WHERE id = ?1",
    [S_SLA_GET] = "SELECT response, resolution FROM sla WHERE priority = ?1 AND at <= ?2 ORDER BY at DESC, seq DESC"
                  " LIMIT 1",
    [S_SLA_ADD] = "INSERT INTO sla(priority, at, seq, response, resolution) VALUES(?1, ?2, ?3, ?4, ?5)",
    [S_PROB_ADD] = "INSERT INTO stage_prob(stage, at, seq, percent, pipeline_id) VALUES(?1, ?2, ?3, ?4, ?5)",
    [S_PIPE_ADD] = "INSERT INTO pipelines(key, name, added_at) VALUES(?1, ?2, ?3)",
    [S_PIPE_ID] = "SELECT id FROM pipelines WHERE key = ?1",
    [S_DEAL_CLOSE] = "UPDATE deals SET expected_close = ?2 WHERE id = ?1",
    [S_DEAL_PROB] = "UPDATE deals SET own_prob = ?2 WHERE id = ?1",
    [S_TASK_ADD] = "INSERT INTO tasks(key, customer_id, member_id, deal_id, ticket_id, kind, due, state, note, added_at,"
                   " last_at, events) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?9, 1)",
    [S_TASK_GET] = "SELECT id, state, due, member_id, events, last_at FROM tasks WHERE key = ?1",
    [S_TASK_EVENT] = "INSERT INTO task_events(task_id, seq, at, kind, state, due, member_id, note)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_TASK_UPDATE] = "UPDATE tasks SET state = ?2, due = ?3, member_id = ?4, events = ?5, last_at = ?6 WHERE id = ?1",
    [S_TICKET_ID] = "SELECT id FROM tickets WHERE key = ?1",
    [S_NPS_ADD] = "INSERT INTO nps(customer_id, at, score, comment) VALUES(?1, ?2, ?3, ?4)",
};

typedef struct sq {
    sqlite3 *db;
    sqlite3_stmt *st[S_COUNT];
    int64_t seq;
} sq;

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        die(sql, err ? err : "?");
}

static void sq_open(sq *s, const char *path, bool create)
{
    memset(s, 0, sizeof *s);
    if (sqlite3_open(path, &s->db) != SQLITE_OK)
        die("sqlite3_open", sqlite3_errmsg(s->db));
    if (path[0] != ':') {
        exec(s->db, "PRAGMA journal_mode=WAL");
        exec(s->db, "PRAGMA synchronous=NORMAL");
    }
    if (create) {
        exec(s->db, SCHEMA);
        exec(s->db, SCHEMA_V2);
    }
    for (int k = 0; k < S_COUNT; k++)
        if (sqlite3_prepare_v3(s->db, SQL[k], -1, SQLITE_PREPARE_PERSISTENT, &s->st[k], NULL) != SQLITE_OK)
            die(SQL[k], sqlite3_errmsg(s->db));
}

static void sq_close(sq *s)
{
    for (int k = 0; k < S_COUNT; k++)
        sqlite3_finalize(s->st[k]);
    sqlite3_close(s->db);
}

static sqlite3_stmt *use(sq *s, int k)
{
    sqlite3_reset(s->st[k]);
    sqlite3_clear_bindings(s->st[k]);
    return s->st[k];
}

static void run(sq *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        die(sqlite3_sql(st), sqlite3_errmsg(s->db));
}

static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
}

static void bind_opt(sqlite3_stmt *st, int i, int64_t v, int64_t absent)
{
    if (v != absent)
        sqlite3_bind_int64(st, i, v);
}

/* The id of a key, or a fatal error (the workload is valid). */
static int64_t id_of(sq *s, int stmt, const char *key)
{
    sqlite3_stmt *st = use(s, stmt);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW)
        die("unknown key", key);
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st); /* a stepped SELECT holds a read transaction: the WAL could not be reset */
    return id;
}

/* A row of a task's history: its seq-th event. */
static void task_event(sq *s, int64_t task, int64_t seq, int64_t at, int64_t kind, int64_t state, int64_t due,
                       int64_t member, const char *note)
{
    sqlite3_stmt *st = use(s, S_TASK_EVENT);
    sqlite3_bind_int64(st, 1, task);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_int64(st, 3, at);
    sqlite3_bind_int64(st, 4, kind);
    sqlite3_bind_int64(st, 5, state);
    sqlite3_bind_int64(st, 6, due);
    sqlite3_bind_int64(st, 7, member);
    bind_text(st, 8, note);
    run(s, st);
}

static void sq_apply(sq *s, const lss__event *e)
{
    const char *const *x = e->s;
    const int64_t *i = e->i;
    sqlite3_stmt *st;
    int64_t seq = ++s->seq;
    switch (e->kind) {
    case LSS__EV_MEMBER_ADD:
        st = use(s, S_MEMBER_ADD);
        bind_text(st, 1, x[0]);
        bind_text(st, 2, x[1]);
        sqlite3_bind_int64(st, 3, i[0]);
        bind_text(st, 4, x[2]);
        sqlite3_bind_int64(st, 5, e->at);
        run(s, st);
        break;
    case LSS__EV_QUOTA_SET: {
        int64_t m = id_of(s, S_MEMBER_ID, x[0]);
        st = use(s, S_QUOTA);
        sqlite3_bind_int64(st, 1, m);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_int64(st, 3, e->at);
        sqlite3_bind_int64(st, 4, i[0]);
        sqlite3_bind_int64(st, 5, i[1]);
        sqlite3_bind_int64(st, 6, i[2]);
        run(s, st);
        break;
    }
    case LSS__EV_CUSTOMER_ADD: {
        int64_t ref = x[5] ? id_of(s, S_CUSTOMER_ID, x[5]) : 0;
        st = use(s, S_CUSTOMER_ADD);
        for (int k = 0; k < 5; k++)
            bind_text(st, k + 1, x[k]);
        sqlite3_bind_int64(st, 6, i[0]);
        if (x[5])
            sqlite3_bind_int64(st, 7, ref);
        sqlite3_bind_int64(st, 8, e->at);
        run(s, st);
        break;
    }
    case LSS__EV_CUSTOMER_UPDATE:
    case LSS__EV_CUSTOMER_CHURN:
    case LSS__EV_CUSTOMER_ERASE: {
        int64_t c = id_of(s, S_CUSTOMER_ID, x[0]);
        st = use(s, S_CUSTOMER_EVENT);
        sqlite3_bind_int64(st, 1, c);
        sqlite3_bind_int64(st, 2, e->at);
        sqlite3_bind_int64(st, 3, e->kind - LSS__EV_CUSTOMER_UPDATE);
        for (int k = 1; k < 5; k++)
            bind_text(st, k + 3, x[k]);
        run(s, st);
        if (e->kind == LSS__EV_CUSTOMER_UPDATE) {
            st = use(s, S_CUSTOMER_UPDATE);
            sqlite3_bind_int64(st, 1, c);
            for (int k = 1; k < 5; k++)
                bind_text(st, k + 1, x[k]);
            run(s, st);
        }
        break;
    }
    case LSS__EV_ACTIVITY_LOG: {
        int64_t c = id_of(s, S_CUSTOMER_ID, x[0]), m = id_of(s, S_MEMBER_ID, x[1]), d = 0;
        if (x[2]) {
            st = use(s, S_DEAL_GET);
            sqlite3_bind_text(st, 1, x[2], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW)
                die("unknown deal", x[2]);
            d = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
        }
        st = use(s, S_ACTIVITY);
        sqlite3_bind_int64(st, 1, c);
        sqlite3_bind_int64(st, 2, m);
        if (x[2])
            sqlite3_bind_int64(st, 3, d);
        sqlite3_bind_int64(st, 4, e->at);
        sqlite3_bind_int64(st, 5, i[0]);
        sqlite3_bind_int64(st, 6, i[1]);
        bind_opt(st, 7, i[2], -1);
        bind_text(st, 8, x[3]);
        run(s, st);
        break;
    }
    case LSS__EV_DEAL_OPEN: {
        int64_t c = id_of(s, S_CUSTOMER_ID, x[1]), m = id_of(s, S_MEMBER_ID, x[2]);
        st = use(s, S_DEAL_ADD);
        bind_text(st, 1, x[0]);
        sqlite3_bind_int64(st, 2, c);
        sqlite3_bind_int64(st, 3, m);
        bind_text(st, 4, x[3]);
        bind_opt(st, 5, i[1], LSS_TIME_NONE);
        sqlite3_bind_int64(st, 6, e->at);
        sqlite3_bind_int64(st, 7, i[0]);
        sqlite3_bind_int64(st, 8, x[4] ? id_of(s, S_PIPE_ID, x[4]) : 0);
        run(s, st);
        int64_t d = sqlite3_last_insert_rowid(s->db);
        st = use(s, S_DEAL_EVENT);
        sqlite3_bind_int64(st, 1, d);
        sqlite3_bind_int64(st, 2, 1);
        sqlite3_bind_int64(st, 3, e->at);
        sqlite3_bind_int64(st, 4, LSS_DEAL_OPENED);
        sqlite3_bind_int64(st, 5, LSS_STAGE_PROSPECT);
        sqlite3_bind_int64(st, 6, i[0]);
        sqlite3_bind_int64(st, 7, m);
        run(s, st);
        break;
    }
    case LSS__EV_TICKET_OPEN: {
        int64_t c = id_of(s, S_CUSTOMER_ID, x[1]), d = 0, resp, res;
        static const int64_t DEF_RESP[4] = { 24 * 3600, 8 * 3600, 4 * 3600, 3600 };
        static const int64_t DEF_RES[4] = { 120 * 3600, 72 * 3600, 24 * 3600, 8 * 3600 };
        if (x[3]) {
            st = use(s, S_DEAL_GET);
            sqlite3_bind_text(st, 1, x[3], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW)
                die("unknown deal", x[3]);
            d = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
        }
        st = use(s, S_SLA_GET);
        sqlite3_bind_int64(st, 1, i[2]);
        sqlite3_bind_int64(st, 2, e->at);
        if (sqlite3_step(st) == SQLITE_ROW) {
            resp = sqlite3_column_int64(st, 0);
            res = sqlite3_column_int64(st, 1);
            sqlite3_reset(st);
        } else {
            resp = DEF_RESP[i[2]];
            res = DEF_RES[i[2]];
        }
        st = use(s, S_TICKET_ADD);
        bind_text(st, 1, x[0]);
        sqlite3_bind_int64(st, 2, c);
        if (x[3])
            sqlite3_bind_int64(st, 3, d);
        sqlite3_bind_int64(st, 4, i[0]);
        sqlite3_bind_int64(st, 5, i[1]);
        sqlite3_bind_int64(st, 6, i[2]);
        bind_text(st, 7, x[2]);
        sqlite3_bind_int64(st, 8, e->at);
        sqlite3_bind_int64(st, 9, resp);
        sqlite3_bind_int64(st, 10, res);
        run(s, st);
        int64_t t = sqlite3_last_insert_rowid(s->db);
        st = use(s, S_TICKET_EVENT);
        sqlite3_bind_int64(st, 1, t);
        sqlite3_bind_int64(st, 2, 1);
        sqlite3_bind_int64(st, 3, e->at);
        sqlite3_bind_int64(st, 4, LSS_TICKET_EV_OPEN);
        sqlite3_bind_int64(st, 5, LSS_TICKET_NEW);
        sqlite3_bind_int64(st, 8, i[1]);
        run(s, st);
        break;
    }
    case LSS__EV_SLA_SET:
        st = use(s, S_SLA_ADD);
        sqlite3_bind_int64(st, 1, i[0]);
        sqlite3_bind_int64(st, 2, e->at);
        sqlite3_bind_int64(st, 3, seq);
        sqlite3_bind_int64(st, 4, i[1]);
        sqlite3_bind_int64(st, 5, i[2]);
        run(s, st);
        break;
    case LSS__EV_STAGE_PROBABILITY: {
        int64_t p = x[0] ? id_of(s, S_PIPE_ID, x[0]) : 0;
        st = use(s, S_PROB_ADD);
        sqlite3_bind_int64(st, 1, i[0]);
        sqlite3_bind_int64(st, 2, e->at);
        sqlite3_bind_int64(st, 3, seq);
        sqlite3_bind_int64(st, 4, i[1]);
        sqlite3_bind_int64(st, 5, p);
        run(s, st);
        break;
    }
    case LSS__EV_PIPELINE_ADD:
        st = use(s, S_PIPE_ADD);
        bind_text(st, 1, x[0]);
        bind_text(st, 2, x[1]);
        sqlite3_bind_int64(st, 3, e->at);
        run(s, st);
        break;
    case LSS__EV_CUSTOMER_NPS:
        st = use(s, S_NPS_ADD);
        sqlite3_bind_int64(st, 1, id_of(s, S_CUSTOMER_ID, x[0]));
        sqlite3_bind_int64(st, 2, e->at);
        sqlite3_bind_int64(st, 3, i[0]);
        bind_text(st, 4, x[1]);
        run(s, st);
        break;
    case LSS__EV_TASK_ADD: {
        int64_t c = id_of(s, S_CUSTOMER_ID, x[1]), m = id_of(s, S_MEMBER_ID, x[2]), d = 0, t = 0;
        if (x[3]) {
            st = use(s, S_DEAL_GET);
            sqlite3_bind_text(st, 1, x[3], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW)
                die("unknown deal", x[3]);
            d = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
        }
        if (x[4])
            t = id_of(s, S_TICKET_ID, x[4]);
        st = use(s, S_TASK_ADD);
        bind_text(st, 1, x[0]);
        sqlite3_bind_int64(st, 2, c);
        sqlite3_bind_int64(st, 3, m);
        if (x[3])
            sqlite3_bind_int64(st, 4, d);
        if (x[4])
            sqlite3_bind_int64(st, 5, t);
        sqlite3_bind_int64(st, 6, i[0]);
        sqlite3_bind_int64(st, 7, i[1]);
        bind_text(st, 8, x[5]);
        sqlite3_bind_int64(st, 9, e->at);
        run(s, st);
        task_event(s, sqlite3_last_insert_rowid(s->db), 1, e->at, LSS_TASK_ADDED, LSS_TASK_OPEN, i[1], m, NULL);
        break;
    }
    case LSS__EV_TASK_RESCHEDULE:
    case LSS__EV_TASK_ASSIGN:
    case LSS__EV_TASK_DONE:
    case LSS__EV_TASK_CANCEL: {
        st = use(s, S_TASK_GET);
        sqlite3_bind_text(st, 1, x[0], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            die("unknown task", x[0]);
        int64_t k = sqlite3_column_int64(st, 0), state = sqlite3_column_int64(st, 1), due = sqlite3_column_int64(st, 2),
                m = sqlite3_column_int64(st, 3), events = sqlite3_column_int64(st, 4),
                last_at = sqlite3_column_int64(st, 5);
        sqlite3_reset(st);
        if (e->at < last_at || state != LSS_TASK_OPEN)
            die("task event out of order or after the end", x[0]);
        if (e->kind == LSS__EV_TASK_RESCHEDULE)
            due = i[0];
        else if (e->kind == LSS__EV_TASK_ASSIGN)
            m = id_of(s, S_MEMBER_ID, x[1]);
        else
            state = e->kind == LSS__EV_TASK_DONE ? LSS_TASK_DONE : LSS_TASK_CANCELLED;
        task_event(s, k, events + 1, e->at, e->kind - LSS__EV_TASK_ADD, state, due, m,
                   e->kind == LSS__EV_TASK_DONE ? x[1] : NULL);
        st = use(s, S_TASK_UPDATE);
        sqlite3_bind_int64(st, 1, k);
        sqlite3_bind_int64(st, 2, state);
        sqlite3_bind_int64(st, 3, due);
        sqlite3_bind_int64(st, 4, m);
        sqlite3_bind_int64(st, 5, events + 1);
        sqlite3_bind_int64(st, 6, e->at);
        run(s, st);
        break;
    }
    default:
        if (e->kind != LSS__EV_DEAL_OPEN && lss__deal_change_of(e->kind) != 0xFFu) {
            /* the current row, checked and moved on, and the history row */
            st = use(s, S_DEAL_GET);
            sqlite3_bind_text(st, 1, x[0], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW)
                die("unknown deal", x[0]);
            int64_t d = sqlite3_column_int64(st, 0), stage = sqlite3_column_int64(st, 1),
                    amount = sqlite3_column_int64(st, 2), owner = sqlite3_column_int64(st, 3),
                    lost_from = sqlite3_column_int64(st, 4), events = sqlite3_column_int64(st, 5),
                    last_at = sqlite3_column_int64(st, 6);
            sqlite3_reset(st);
            if (e->at < last_at || stage == LSS_STAGE_WON)
                die("deal event out of order or after the win", x[0]);
            int kind = (int)lss__deal_change_of(e->kind);
            switch (e->kind) {
            case LSS__EV_DEAL_ADVANCE: stage = i[0]; break;
            case LSS__EV_DEAL_AMOUNT: amount = i[0]; break;
            case LSS__EV_DEAL_ASSIGN: owner = id_of(s, S_MEMBER_ID, x[1]); break;
            case LSS__EV_DEAL_WIN: stage = LSS_STAGE_WON; amount = i[0] >= 0 ? i[0] : amount; break;
            case LSS__EV_DEAL_LOSE: lost_from = stage; stage = LSS_STAGE_LOST; break;
            case LSS__EV_DEAL_REOPEN: stage = lost_from; break;
            default: break; /* close date, forecast, probability: the value in `reason` */
            }
            st = use(s, S_DEAL_EVENT);
            sqlite3_bind_int64(st, 1, d);
            sqlite3_bind_int64(st, 2, events + 1);
            sqlite3_bind_int64(st, 3, e->at);
            sqlite3_bind_int64(st, 4, kind);
            sqlite3_bind_int64(st, 5, stage);
            sqlite3_bind_int64(st, 6, amount);
            sqlite3_bind_int64(st, 7, owner);
            if (e->kind == LSS__EV_DEAL_LOSE || kind >= LSS_DEAL_CLOSE_DATE)
                sqlite3_bind_int64(st, 8, i[0]);
            bind_text(st, 9, e->kind == LSS__EV_DEAL_LOSE ? x[1] : NULL);
            run(s, st);
            st = use(s, S_DEAL_UPDATE);
            sqlite3_bind_int64(st, 1, d);
            sqlite3_bind_int64(st, 2, stage);
            sqlite3_bind_int64(st, 3, amount);
            sqlite3_bind_int64(st, 4, owner);
            sqlite3_bind_int64(st, 5, lost_from);
            sqlite3_bind_int64(st, 6, events + 1);
            sqlite3_bind_int64(st, 7, e->at);
            run(s, st);
            if (e->kind == LSS__EV_DEAL_CLOSE_DATE || e->kind == LSS__EV_DEAL_PROBABILITY) {
                st = use(s, e->kind == LSS__EV_DEAL_CLOSE_DATE ? S_DEAL_CLOSE : S_DEAL_PROB);
                sqlite3_bind_int64(st, 1, d);
                sqlite3_bind_int64(st, 2, i[0]);
                run(s, st);
            }
        } else if (e->kind > LSS__EV_TICKET_OPEN && e->kind <= LSS__EV_TICKET_RATE) {
            st = use(s, S_TICKET_GET);
            sqlite3_bind_text(st, 1, x[0], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW)
                die("unknown ticket", x[0]);
            int64_t t = sqlite3_column_int64(st, 0), state = sqlite3_column_int64(st, 1),
                    channel = sqlite3_column_int64(st, 2), events = sqlite3_column_int64(st, 3),
                    last_at = sqlite3_column_int64(st, 4), assignee = sqlite3_column_int64(st, 5);
            bool has_assignee = sqlite3_column_type(st, 5) != SQLITE_NULL;
            sqlite3_reset(st);
            if (e->at < last_at || state == LSS_TICKET_CLOSED)
                die("ticket event out of order or after closing", x[0]);
            int64_t agent = 0;
            if (e->kind == LSS__EV_TICKET_ASSIGN || e->kind == LSS__EV_TICKET_CONTACT)
                agent = id_of(s, S_MEMBER_ID, x[1]);
            switch (e->kind) {
            case LSS__EV_TICKET_ASSIGN:
                assignee = agent;
                has_assignee = true;
                /* fallthrough */
            case LSS__EV_TICKET_CONTACT: state = state == LSS_TICKET_NEW ? LSS_TICKET_OPEN : state; break;
            case LSS__EV_TICKET_WAIT: state = LSS_TICKET_PENDING; break;
            case LSS__EV_TICKET_RESUME:
            case LSS__EV_TICKET_REOPEN: state = LSS_TICKET_OPEN; break;
            case LSS__EV_TICKET_RESOLVE: state = LSS_TICKET_RESOLVED; break;
            case LSS__EV_TICKET_CLOSE: state = LSS_TICKET_CLOSED; break;
            default: break; /* rate */
            }
            st = use(s, S_TICKET_EVENT);
            sqlite3_bind_int64(st, 1, t);
            sqlite3_bind_int64(st, 2, events + 1);
            sqlite3_bind_int64(st, 3, e->at);
            sqlite3_bind_int64(st, 4, e->kind - LSS__EV_TICKET_OPEN);
            sqlite3_bind_int64(st, 5, state);
            if (agent)
                sqlite3_bind_int64(st, 6, agent);
            if (e->kind == LSS__EV_TICKET_CONTACT) {
                sqlite3_bind_int64(st, 7, i[0]);
                sqlite3_bind_int64(st, 8, i[1] >= 0 ? i[1] : channel);
            }
            if (e->kind == LSS__EV_TICKET_RATE)
                sqlite3_bind_int64(st, 9, i[0]);
            bind_text(st, 10, e->kind == LSS__EV_TICKET_RESOLVE || e->kind == LSS__EV_TICKET_RATE ? x[1] : NULL);
            run(s, st);
            st = use(s, S_TICKET_UPDATE);
            sqlite3_bind_int64(st, 1, t);
            sqlite3_bind_int64(st, 2, state);
            if (has_assignee)
                sqlite3_bind_int64(st, 3, assignee);
            sqlite3_bind_int64(st, 4, events + 1);
            sqlite3_bind_int64(st, 5, e->at);
            run(s, st);
        } else {
            die("event kind", lss__ev_descs[e->kind].name);
        }
    }
}

static void sq_ingest(sq *s, const workload *w)
{
    for (uint64_t k = 0; k < w->n; k++) {
        if (k % 10000 == 0)
            exec(s->db, "BEGIN");
        sq_apply(s, &w->ev[k]);
        if (k % 10000 == 9999 || k + 1 == w->n)
            exec(s->db, "COMMIT");
    }
}

/* ---- the report in SQL ---------------------------------------------------------- */

/* Every figure of the report as exact numbers: name, numerator, denominator
 * (1 for counts and money; 0 for "no value"). */
#define MAXFIG 256
typedef struct figs {
    int n;
    const char *name[MAXFIG];
    int64_t num[MAXFIG], den[MAXFIG];
} figs;

static void fig(figs *f, const char *name, int64_t num, int64_t den)
{
    if (f->n == MAXFIG)
        die("figures", "too many");
    f->name[f->n] = name;
    f->num[f->n] = den ? num : 0;
    f->den[f->n] = den;
    f->n++;
}

static const char SALES_SQL[] =
    "WITH ev AS (SELECT * FROM deal_events WHERE at < ?2),"
    " last AS (SELECT deal_id, MAX(seq) s FROM ev GROUP BY deal_id),"
    " asof AS (SELECT e.deal_id, e.stage, e.amount FROM ev e JOIN last l ON e.deal_id = l.deal_id AND e.seq = l.s),"
    " won AS (SELECT a.amount, w.at - d.opened_at cycle FROM asof a JOIN ev w ON w.deal_id = a.deal_id AND w.kind = 4"
    "         JOIN deals d ON d.id = a.deal_id WHERE a.stage = 4 AND w.at >= ?1),"
    " lost AS (SELECT a.deal_id FROM asof a JOIN (SELECT deal_id, MAX(at) t FROM ev WHERE kind = 5 GROUP BY deal_id) x"
    "          ON x.deal_id = a.deal_id WHERE a.stage = 5 AND x.t >= ?1),"
    " prob AS (SELECT pl.id pipeline_id, s.stage, coalesce((SELECT percent FROM stage_prob p WHERE p.stage = s.stage"
    "          AND p.pipeline_id = pl.id AND p.at < ?2 ORDER BY p.at DESC, p.seq DESC LIMIT 1), s.def) pct"
    "          FROM (SELECT 0 stage, 10 def UNION ALL SELECT 1, 25 UNION ALL SELECT 2, 50 UNION ALL SELECT 3, 75) s,"
    "          (SELECT 0 id UNION ALL SELECT id FROM pipelines) pl),"
    " own AS (SELECT e.deal_id, e.reason pct FROM ev e JOIN (SELECT deal_id, MAX(seq) s FROM ev WHERE kind = 9"
    "          GROUP BY deal_id) x ON x.deal_id = e.deal_id AND x.s = e.seq)"
    " SELECT (SELECT count(*) FROM won), (SELECT coalesce(sum(amount), 0) FROM won),"
    " (SELECT coalesce(sum(cycle), 0) FROM won), (SELECT count(*) FROM lost),"
    " (SELECT coalesce(sum(amount), 0) FROM asof WHERE stage <= 3),"
    " (SELECT coalesce(sum(a.amount * CASE WHEN o.pct >= 0 THEN o.pct ELSE p.pct END), 0) FROM asof a"
    "  JOIN deals d ON d.id = a.deal_id JOIN prob p ON p.pipeline_id = d.pipeline_id AND p.stage = a.stage"
    "  LEFT JOIN own o ON o.deal_id = a.deal_id WHERE a.stage <= 3)";

static const char FUNNEL_SQL[] =
    "WITH f AS (SELECT e.deal_id, max(e.stage) fs FROM deal_events e JOIN deals d ON d.id = e.deal_id"
    "           WHERE e.at < ?2 AND e.stage <= 4 AND d.opened_at >= ?1 AND d.opened_at < ?2 GROUP BY e.deal_id)"
    " SELECT count(*), coalesce(sum(fs >= 1), 0), coalesce(sum(fs >= 2), 0), coalesce(sum(fs >= 3), 0),"
    " coalesce(sum(fs >= 4), 0) FROM f";

static const char QUOTA_SQL[] =
    "WITH q AS (SELECT * FROM quotas WHERE set_at < ?2),"
    " latest AS (SELECT member_id, from_t, to_t, (SELECT q2.target FROM q q2 WHERE q2.member_id = q.member_id"
    "            AND q2.from_t = q.from_t AND q2.to_t = q.to_t ORDER BY q2.seq DESC LIMIT 1) target FROM q"
    "            GROUP BY member_id, from_t, to_t)"
    " SELECT l.target, coalesce((SELECT sum(w.amount) FROM deal_events w WHERE w.kind = 4 AND w.owner_id = l.member_id"
    "        AND w.at >= l.from_t AND w.at < l.to_t AND w.at < ?2), 0)"
    " FROM latest l JOIN members m ON m.id = l.member_id WHERE l.from_t < ?2 AND l.to_t > ?1"
    " ORDER BY m.key, l.from_t, l.to_t";

static const char SERVICE_SQL[] =
    "WITH ev AS (SELECT * FROM ticket_events WHERE at < ?2),"
    " last AS (SELECT ticket_id, MAX(seq) s FROM ev GROUP BY ticket_id),"
    " st AS (SELECT e.ticket_id, e.state FROM ev e JOIN last l ON e.ticket_id = l.ticket_id AND e.seq = l.s),"
    " fres AS (SELECT ticket_id, MIN(seq) s FROM ev WHERE kind = 5 GROUP BY ticket_id),"
    " reop AS (SELECT DISTINCT ticket_id FROM ev WHERE kind = 6),"
    " cohort AS (SELECT t.id, st.state, fres.s fs, reop.ticket_id IS NOT NULL reopened FROM tickets t"
    "            JOIN st ON st.ticket_id = t.id LEFT JOIN fres ON fres.ticket_id = t.id"
    "            LEFT JOIN reop ON reop.ticket_id = t.id WHERE t.opened_at >= ?1),"
    " fcr AS (SELECT c.id FROM cohort c WHERE c.state IN (3, 4) AND NOT c.reopened AND (SELECT count(*) FROM ev x"
    "         WHERE x.ticket_id = c.id AND x.kind = 2 AND (c.fs IS NULL OR x.seq < c.fs)) <= 1)"
    " SELECT count(*), coalesce(sum(state IN (3, 4)), 0), (SELECT count(*) FROM fcr),"
    " coalesce(sum(fs IS NOT NULL), 0), coalesce(sum(fs IS NOT NULL AND reopened), 0),"
    " (SELECT count(*) FROM st WHERE state <= 2) FROM cohort";

static const char AHT_SQL[] =
    "SELECT coalesce(sum(duration), 0), count(*) FROM ticket_events WHERE kind = 2 AND at >= ?1 AND at < ?2";

static const char CSAT_SQL[] =
    "WITH r AS (SELECT score, at, row_number() OVER (PARTITION BY ticket_id ORDER BY seq DESC) rn FROM ticket_events"
    "           WHERE kind = 8 AND at < ?2)"
    " SELECT count(*), coalesce(sum(score >= 4), 0), coalesce(sum(score), 0) FROM r WHERE rn = 1 AND at >= ?1";

/* ?3: the event kind whose first occurrence ends the wait (2 contact, 5 resolve) */
static const char DURATION_SQL[] =
    "WITH v AS (SELECT min(e.at) - t.opened_at x FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id"
    "           WHERE t.opened_at >= ?1 AND t.opened_at < ?2 AND e.kind = ?3 AND e.at < ?2 GROUP BY t.id),"
    " o AS (SELECT x, row_number() OVER (ORDER BY x) rn, count(*) OVER () n FROM v)"
    " SELECT count(*), coalesce(sum(x), 0), max(CASE WHEN rn = (n + 1) / 2 THEN x END),"
    " max(CASE WHEN rn = (9 * n + 9) / 10 THEN x END) FROM o";

static const char SLA_SQL[] =
    "WITH fr AS MATERIALIZED (SELECT ticket_id, min(at) r FROM ticket_events WHERE kind = 2 AND at < ?2"
    "        GROUP BY ticket_id),"
    " fs AS MATERIALIZED (SELECT ticket_id, min(at) s FROM ticket_events WHERE kind = 5 AND at < ?2"
    "        GROUP BY ticket_id),"
    " c AS MATERIALIZED (SELECT t.id, t.sla_resp, t.sla_res, fr.r, fs.s FROM tickets t"
    "        LEFT JOIN fr ON fr.ticket_id = t.id LEFT JOIN fs ON fs.ticket_id = t.id"
    "        WHERE t.opened_at >= ?1 AND t.opened_at < ?2),"
    /* each history row of those tickets with the time of the next one: the SLA clock runs in new and open */
    " ev AS (SELECT c.id, c.sla_resp, c.sla_res, c.r, c.s, e.at, e.state,"
    "        lead(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.seq) nxt"
    "        FROM c JOIN ticket_events e ON e.ticket_id = c.id WHERE e.at < ?2),"
    " k AS (SELECT id, sla_resp, sla_res, r, s,"
    "   sum(CASE WHEN state IN (0, 1) AND at < coalesce(r, ?2)"
    "       THEN min(coalesce(nxt, coalesce(r, ?2)), coalesce(r, ?2)) - at ELSE 0 END) cr,"
    "   sum(CASE WHEN state IN (0, 1) AND at < coalesce(s, ?2)"
    "       THEN min(coalesce(nxt, coalesce(s, ?2)), coalesce(s, ?2)) - at ELSE 0 END) cs"
    "   FROM ev GROUP BY id),"
    " o AS (SELECT CASE WHEN r IS NOT NULL THEN CASE WHEN cr <= sla_resp THEN 1 ELSE 2 END"
    "              ELSE CASE WHEN cr > sla_resp THEN 2 ELSE 0 END END o1,"
    "              CASE WHEN s IS NOT NULL THEN CASE WHEN cs <= sla_res THEN 1 ELSE 2 END"
    "              ELSE CASE WHEN cs > sla_res THEN 2 ELSE 0 END END o2 FROM k)"
    " SELECT coalesce(sum(o1 = 2 OR o2 = 2 OR (o1 <> 0 AND o2 <> 0)), 0), coalesce(sum(o1 = 1 AND o2 = 1), 0) FROM o";

/* ?3: the moment retention looks back to (from) */
static const char REL_SQL[] =
    "WITH w AS (SELECT d.customer_id, w.at, w.amount FROM deal_events w JOIN deals d ON d.id = w.deal_id"
    "           WHERE w.kind = 4 AND w.at < ?2),"
    " cw AS (SELECT customer_id, count(*) n, sum(amount) v, min(at) first_win, max(at) last_win,"
    "        max(CASE WHEN at < ?1 THEN at END) win_from FROM w GROUP BY customer_id),"
    " ch AS (SELECT customer_id, max(at) last_churn, max(CASE WHEN at < ?1 THEN at END) churn_from"
    "        FROM customer_events WHERE kind = 1 AND at < ?2 GROUP BY customer_id),"
    " cust AS (SELECT c.id, c.added_at, c.referred_by, coalesce(cw.n, 0) n, cw.v, cw.first_win, cw.last_win,"
    "          cw.win_from, ch.last_churn, ch.churn_from,"
    "          (cw.last_win IS NOT NULL AND (ch.last_churn IS NULL OR ch.last_churn < cw.last_win)) active,"
    "          (c.added_at < ?1 AND cw.win_from IS NOT NULL AND (ch.churn_from IS NULL OR ch.churn_from < cw.win_from))"
    "           active_from"
    "          FROM customers c LEFT JOIN cw ON cw.customer_id = c.id LEFT JOIN ch ON ch.customer_id = c.id"
    "          WHERE c.added_at < ?2)"
    " SELECT coalesce(sum(added_at >= ?1), 0), coalesce(sum(added_at >= ?1 AND n > 0), 0),"
    " coalesce(sum(first_win >= ?1), 0), coalesce(sum(active), 0), coalesce(sum(n > 0), 0), coalesce(sum(n > 1), 0),"
    " coalesce(sum(added_at >= ?1 AND referred_by IS NOT NULL), 0), coalesce(sum(v), 0),"
    " coalesce(sum(active_from), 0), coalesce(sum(active_from AND active), 0) FROM cust";

static sqlite3_stmt *q_run(sqlite3 *db, const char *sql, lss_time from, lss_time to, int64_t p3)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, p3);
    return st;
}

static int64_t col(sqlite3_stmt *st, int k) { return sqlite3_column_int64(st, k); }

/* The figures of each part, in lib_figs' order, from a row of the SQL whose
 * columns both reports (as of `to` from the histories, and over the current
 * rows) lay out alike. */
static sqlite3_stmt *row(sqlite3 *db, const char *sql, lss_time from, lss_time to, int64_t p3, const char *what)
{
    sqlite3_stmt *st = q_run(db, sql, from, to, p3);
    if (sqlite3_step(st) != SQLITE_ROW)
        die(what, sqlite3_errmsg(db));
    return st;
}

/* won, revenue, cycle seconds, lost, open pipeline, weighted x 100 */
static void sales_figs(figs *f, sqlite3_stmt *st)
{
    int64_t won = col(st, 0), rev = col(st, 1), cycle = col(st, 2), lost = col(st, 3);
    fig(f, "won", won, 1);
    fig(f, "lost", lost, 1);
    fig(f, "revenue", rev, 1);
    fig(f, "win_rate", won, won + lost);
    fig(f, "avg_deal_size", rev, won);
    fig(f, "avg_sales_cycle_days", cycle, won * DAY);
    fig(f, "open_pipeline", col(st, 4), 1);
    fig(f, "weighted_pipeline", col(st, 5), 100);
}

/* deals opened, then reached qualified .. won, from column `first` on */
static void funnel_figs(figs *f, sqlite3_stmt *st, int first)
{
    static const char *const FN[5] = { "funnel prospect", "funnel qualified", "funnel presented",
                                       "funnel negotiated", "funnel won" };
    fig(f, "deals_opened", col(st, first), 1);
    fig(f, FN[0], col(st, first), 1);
    for (int k = 1; k < 5; k++)
        fig(f, FN[k], col(st, first + k), 1);
}

/* one row per quota: target, achieved */
static void quota_figs(figs *f, sqlite3 *db, const char *sql, lss_time from, lss_time to)
{
    sqlite3_stmt *st = q_run(db, sql, from, to, 0);
    while (sqlite3_step(st) == SQLITE_ROW)
        fig(f, "quota attainment", col(st, 1), col(st, 0));
    sqlite3_finalize(st);
}

/* opened, resolved, first-contact resolutions, first resolved, of those reopened, backlog */
static void ticket_figs(figs *f, sqlite3_stmt *st)
{
    int64_t opened = col(st, 0), resolved = col(st, 1);
    fig(f, "tickets_opened", opened, 1);
    fig(f, "resolved", resolved, 1);
    fig(f, "resolution_rate", resolved, opened);
    fig(f, "fcr_rate", col(st, 2), resolved);
    fig(f, "reopen_rate", col(st, 4), col(st, 3));
    fig(f, "backlog", col(st, 5), 1);
}

/* count, sum, median, p90 of the first responses (k 0) or resolutions (k 1) */
static void duration_figs(figs *f, sqlite3_stmt *st, int k)
{
    static const char *const DN[2][4] = { { "first_response count", "first_response mean", "first_response median",
                                            "first_response p90" },
                                          { "resolution count", "resolution mean", "resolution median",
                                            "resolution p90" } };
    int64_t n = col(st, 0);
    fig(f, DN[k][0], n, 1);
    fig(f, DN[k][1], col(st, 1), n);
    fig(f, DN[k][2], col(st, 2), n ? 1 : 0);
    fig(f, DN[k][3], col(st, 3), n ? 1 : 0);
}

/* added, of those converted as leads, converted in W, active, buyers, repeat buyers, referrals, value;
 * retention as given */
static void rel_figs(figs *f, sqlite3_stmt *st, int64_t ret_num, int64_t ret_den)
{
    int64_t added = col(st, 0), buyers = col(st, 4);
    fig(f, "lead_conversion_rate", col(st, 1), added);
    fig(f, "customers_added", added, 1);
    fig(f, "customers_converted", col(st, 2), 1);
    fig(f, "active_customers", col(st, 3), 1);
    fig(f, "repeat_purchase_rate", col(st, 5), buyers);
    fig(f, "referrals", col(st, 6), 1);
    fig(f, "avg_customer_value", col(st, 7), buyers);
    fig(f, "retention_rate", ret_num, ret_den);
}

static void sq_report(sqlite3 *db, lss_time from, lss_time to, bool from_given, figs *f)
{
    f->n = 0;
    sqlite3_stmt *st = row(db, SALES_SQL, from, to, 0, "sales");
    sales_figs(f, st);
    sqlite3_finalize(st);
    st = row(db, FUNNEL_SQL, from, to, 0, "funnel");
    funnel_figs(f, st, 0);
    sqlite3_finalize(st);
    quota_figs(f, db, QUOTA_SQL, from, to);
    st = row(db, SERVICE_SQL, from, to, 0, "service");
    ticket_figs(f, st);
    sqlite3_finalize(st);
    st = row(db, AHT_SQL, from, to, 0, "handle time");
    fig(f, "aht_seconds", col(st, 0), col(st, 1));
    sqlite3_finalize(st);
    st = row(db, CSAT_SQL, from, to, 0, "csat");
    fig(f, "csat_percent", 100 * col(st, 1), col(st, 0));
    fig(f, "csat_mean", col(st, 2), col(st, 0));
    sqlite3_finalize(st);
    for (int k = 0; k < 2; k++) {
        st = row(db, DURATION_SQL, from, to, k ? 5 : 2, "durations");
        duration_figs(f, st, k);
        sqlite3_finalize(st);
    }
    st = row(db, SLA_SQL, from, to, 0, "sla");
    fig(f, "sla_compliance", col(st, 1), col(st, 0));
    sqlite3_finalize(st);
    st = row(db, REL_SQL, from, to, 0, "relationship");
    rel_figs(f, st, col(st, 9), from_given ? col(st, 8) : 0);
    sqlite3_finalize(st);
}

/* ---- the report over the current rows only ---------------------------------- */

/* What an application with summary columns keeps on its current rows for the
 * report "as of now": the deal's furthest stage; the ticket's first contact
 * and resolve, contacts before the first resolve, reopened, the latest
 * rating, handle time, and the SLA clock (at the first contact, the first
 * resolve and the latest event, and whether it runs); the customer's wins.
 * Built here after the ingest, untimed (as if the ingest had kept them:
 * SQLite's ingest figure does not pay for them), from the history tables,
 * by SQL and by a fold over each ticket's events in C. */
static void sq_build_current(sq *s)
{
    exec(s->db, "BEGIN");
    exec(s->db,
         "ALTER TABLE deals ADD furthest INTEGER;"
         "UPDATE deals SET furthest = (SELECT max(stage) FROM deal_events e WHERE e.deal_id = deals.id AND e.stage <= 4);"
         "CREATE INDEX deals_owner_won ON deals(owner_id, stage, last_at);"
         "ALTER TABLE customers ADD wins INTEGER; ALTER TABLE customers ADD value INTEGER;"
         "ALTER TABLE customers ADD first_win INTEGER; ALTER TABLE customers ADD last_win INTEGER;"
         "ALTER TABLE customers ADD last_churn INTEGER;"
         "UPDATE customers SET wins = (SELECT count(*) FROM deals d WHERE d.customer_id = customers.id AND d.stage = 4),"
         " value = (SELECT coalesce(sum(amount), 0) FROM deals d WHERE d.customer_id = customers.id AND d.stage = 4),"
         " first_win = (SELECT min(last_at) FROM deals d WHERE d.customer_id = customers.id AND d.stage = 4),"
         " last_win = (SELECT max(last_at) FROM deals d WHERE d.customer_id = customers.id AND d.stage = 4),"
         " last_churn = (SELECT max(at) FROM customer_events e WHERE e.customer_id = customers.id AND e.kind = 1);");
    static const char *const cols[] = { "first_contact", "first_resolve", "cbr", "reopened", "rated_at", "score",
                                        "handle_sum", "handle_n", "resp_clock", "reso_clock", "clock_last",
                                        "running" };
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) {
        char sql[96];
        snprintf(sql, sizeof sql, "ALTER TABLE tickets ADD %s INTEGER", cols[k]);
        exec(s->db, sql);
    }
    sqlite3_stmt *ev, *up;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT ticket_id, at, kind, state, duration, score FROM ticket_events ORDER BY ticket_id, seq",
                           -1, &ev, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "UPDATE tickets SET first_contact = ?2, first_resolve = ?3, cbr = ?4, reopened = ?5,"
                           " rated_at = ?6, score = ?7, handle_sum = ?8, handle_n = ?9, resp_clock = ?10,"
                           " reso_clock = ?11, clock_last = ?12, running = ?13 WHERE id = ?1",
                           -1, &up, NULL) != SQLITE_OK)
        die("current rows", sqlite3_errmsg(s->db));
    int64_t id = -1, v[13] = { 0 };
    lss_time prev = 0;
    int state = 0;
    int rc;
    for (;;) {
        rc = sqlite3_step(ev);
        int64_t tid = rc == SQLITE_ROW ? sqlite3_column_int64(ev, 0) : -2;
        if (tid != id && id >= 0) { /* the previous ticket is complete */
            v[12] = state <= 1; /* the clock runs after the latest event */
            sqlite3_bind_int64(up, 1, id);
            for (int k = 1; k <= 11; k++)
                if (v[k] == LSS_TIME_NONE)
                    sqlite3_bind_null(up, k + 1);
                else
                    sqlite3_bind_int64(up, k + 1, v[k]);
            sqlite3_bind_int64(up, 13, v[12]);
            run(s, up);
            sqlite3_reset(up);
        }
        if (rc != SQLITE_ROW)
            break;
        lss_time at = sqlite3_column_int64(ev, 1);
        int kind = sqlite3_column_int(ev, 2);
        if (tid != id) { /* its opening */
            id = tid;
            for (int k = 1; k <= 11; k++)
                v[k] = k <= 2 || (k >= 5 && k <= 6) || k == 9 || k == 10 ? LSS_TIME_NONE : 0;
            prev = at;
        }
        /* v: [1] first contact [2] first resolve [3] cbr [4] reopened [5] rated_at [6] score [7] handle sum
         * [8] handle n [9] clock at first contact [10] clock at first resolve [11] clock at the latest event */
        if (state <= 1 && kind != 0)
            v[11] += at - prev; /* the clock ran in new and open */
        prev = at;
        if (kind == 2) {
            if (v[1] == LSS_TIME_NONE) {
                v[1] = at;
                v[9] = v[11];
            }
            v[3] += v[2] == LSS_TIME_NONE;
            v[7] += sqlite3_column_int64(ev, 4);
            v[8]++;
        } else if (kind == 5 && v[2] == LSS_TIME_NONE) {
            v[2] = at;
            v[10] = v[11];
        } else if (kind == 6) {
            v[4] = 1;
        } else if (kind == 8) {
            v[5] = at;
            v[6] = sqlite3_column_int64(ev, 5);
        }
        state = sqlite3_column_int(ev, 3);
    }
    if (rc != SQLITE_DONE)
        die("current rows", sqlite3_errmsg(s->db));
    sqlite3_finalize(ev);
    sqlite3_finalize(up);
    exec(s->db, "COMMIT");
}

/* The report of [?1, ?2) as of ?2 from the current rows alone: what an
 * application with summary columns runs for "now". Exact when ?2 is after
 * every event and ?1 before every customer (the whole history: the figures
 * of earlier moments are not on the current rows), which sq_report_current
 * checks. */
static const char CUR_SALES_SQL[] =
    "WITH prob AS (SELECT pl.id pipeline_id, s.stage, coalesce((SELECT percent FROM stage_prob p"
    "          WHERE p.stage = s.stage AND p.pipeline_id = pl.id ORDER BY p.at DESC, p.seq DESC LIMIT 1), s.def) pct"
    "          FROM (SELECT 0 stage, 10 def UNION ALL SELECT 1, 25 UNION ALL SELECT 2, 50 UNION ALL SELECT 3, 75) s,"
    "          (SELECT 0 id UNION ALL SELECT id FROM pipelines) pl)"
    " SELECT coalesce(sum(stage = 4 AND last_at >= ?1), 0),"
    " coalesce(sum(CASE WHEN stage = 4 AND last_at >= ?1 THEN amount END), 0),"
    " coalesce(sum(CASE WHEN stage = 4 AND last_at >= ?1 THEN last_at - opened_at END), 0),"
    " coalesce(sum(stage = 5 AND last_at >= ?1), 0), coalesce(sum(CASE WHEN stage <= 3 THEN amount END), 0),"
    " coalesce(sum(CASE WHEN stage <= 3 THEN amount * (CASE WHEN own_prob >= 0 THEN own_prob ELSE (SELECT pct"
    "          FROM prob p WHERE p.stage = d.stage AND p.pipeline_id = d.pipeline_id) END) END), 0),"
    " coalesce(sum(opened_at >= ?1), 0), coalesce(sum(opened_at >= ?1 AND furthest >= 1), 0),"
    " coalesce(sum(opened_at >= ?1 AND furthest >= 2), 0), coalesce(sum(opened_at >= ?1 AND furthest >= 3), 0),"
    " coalesce(sum(opened_at >= ?1 AND furthest >= 4), 0) FROM deals d";

static const char CUR_QUOTA_SQL[] =
    "WITH latest AS (SELECT member_id, from_t, to_t, (SELECT q2.target FROM quotas q2 WHERE q2.member_id = q.member_id"
    "            AND q2.from_t = q.from_t AND q2.to_t = q.to_t ORDER BY q2.seq DESC LIMIT 1) target FROM quotas q"
    "            GROUP BY member_id, from_t, to_t)"
    " SELECT l.target, (SELECT coalesce(sum(d.amount), 0) FROM deals d WHERE d.owner_id = l.member_id AND d.stage = 4"
    "        AND d.last_at >= l.from_t AND d.last_at < l.to_t)"
    " FROM latest l JOIN members m ON m.id = l.member_id WHERE l.from_t < ?2 AND l.to_t > ?1"
    " ORDER BY m.key, l.from_t, l.to_t";

static const char CUR_SERVICE_SQL[] =
    "SELECT count(*), coalesce(sum(state IN (3, 4)), 0), coalesce(sum(state IN (3, 4) AND cbr <= 1 AND NOT reopened), 0),"
    " coalesce(sum(first_resolve IS NOT NULL), 0), coalesce(sum(first_resolve IS NOT NULL AND reopened), 0),"
    " (SELECT count(*) FROM tickets WHERE state <= 2), coalesce(sum(handle_sum), 0), coalesce(sum(handle_n), 0),"
    " coalesce(sum(rated_at >= ?1), 0), coalesce(sum(rated_at >= ?1 AND score >= 4), 0),"
    " coalesce(sum(CASE WHEN rated_at >= ?1 THEN score END), 0)"
    " FROM tickets WHERE opened_at >= ?1";

/* ?3: 0 first contact, 1 first resolve */
static const char CUR_DURATION_SQL[] =
    "WITH v AS (SELECT CASE WHEN ?3 THEN first_resolve ELSE first_contact END - opened_at x FROM tickets"
    "           WHERE opened_at >= ?1 AND (CASE WHEN ?3 THEN first_resolve ELSE first_contact END) IS NOT NULL),"
    " o AS (SELECT x, row_number() OVER (ORDER BY x) rn, count(*) OVER () n FROM v)"
    " SELECT count(*), coalesce(sum(x), 0), max(CASE WHEN rn = (n + 1) / 2 THEN x END),"
    " max(CASE WHEN rn = (9 * n + 9) / 10 THEN x END) FROM o";

static const char CUR_SLA_SQL[] =
    "WITH o AS (SELECT CASE WHEN first_contact IS NOT NULL THEN CASE WHEN resp_clock <= sla_resp THEN 1 ELSE 2 END"
    "                  WHEN clock_last + running * (?2 - last_at) > sla_resp THEN 2 ELSE 0 END o1,"
    "                  CASE WHEN first_resolve IS NOT NULL THEN CASE WHEN reso_clock <= sla_res THEN 1 ELSE 2 END"
    "                  WHEN clock_last + running * (?2 - last_at) > sla_res THEN 2 ELSE 0 END o2"
    "           FROM tickets WHERE opened_at >= ?1)"
    " SELECT coalesce(sum(o1 = 2 OR o2 = 2 OR (o1 <> 0 AND o2 <> 0)), 0), coalesce(sum(o1 = 1 AND o2 = 1), 0) FROM o";

static const char CUR_REL_SQL[] =
    "SELECT coalesce(sum(added_at >= ?1), 0), coalesce(sum(added_at >= ?1 AND wins > 0), 0),"
    " coalesce(sum(first_win >= ?1), 0),"
    " coalesce(sum(last_win IS NOT NULL AND (last_churn IS NULL OR last_churn < last_win)), 0),"
    " coalesce(sum(wins > 0), 0), coalesce(sum(wins > 1), 0),"
    " coalesce(sum(added_at >= ?1 AND referred_by IS NOT NULL), 0), coalesce(sum(value), 0),"
    " coalesce(sum(added_at < ?1), 0) FROM customers";

static void sq_report_current(sqlite3 *db, lss_time from, lss_time to, figs *f)
{
    f->n = 0;
    sqlite3_stmt *st = row(db, CUR_SALES_SQL, from, to, 0, "current sales");
    sales_figs(f, st);
    funnel_figs(f, st, 6);
    sqlite3_finalize(st);
    quota_figs(f, db, CUR_QUOTA_SQL, from, to);
    st = row(db, CUR_SERVICE_SQL, from, to, 0, "current service");
    ticket_figs(f, st);
    fig(f, "aht_seconds", col(st, 6), col(st, 7));
    fig(f, "csat_percent", 100 * col(st, 9), col(st, 8));
    fig(f, "csat_mean", col(st, 10), col(st, 8));
    sqlite3_finalize(st);
    for (int k = 0; k < 2; k++) {
        st = row(db, CUR_DURATION_SQL, from, to, k, "current durations");
        duration_figs(f, st, k);
        sqlite3_finalize(st);
    }
    st = row(db, CUR_SLA_SQL, from, to, 0, "current sla");
    fig(f, "sla_compliance", col(st, 1), col(st, 0));
    sqlite3_finalize(st);
    st = row(db, CUR_REL_SQL, from, to, 0, "current relationship");
    if (col(st, 8) != 0)
        die("current rows", "the window must start before every customer");
    rel_figs(f, st, 0, 0); /* nobody was a customer at `from` */
    sqlite3_finalize(st);
}

/* The same figures from the library's report, in the same order. */
static void lib_figs(const lss_report *r, figs *f)
{
    const lss_sales_metrics *s = lss_report_sales(r);
    const lss_service_metrics *v = lss_report_service(r);
    const lss_relationship_metrics *c = lss_report_relationship(r);
    f->n = 0;
#define R(name, x) fig(f, name, (x).num, (x).den)
    fig(f, "won", s->won, 1);
    fig(f, "lost", s->lost, 1);
    fig(f, "revenue", s->revenue, 1);
    R("win_rate", s->win_rate);
    R("avg_deal_size", s->avg_deal_size);
    R("avg_sales_cycle_days", s->avg_sales_cycle_days);
    fig(f, "open_pipeline", s->open_pipeline, 1);
    R("weighted_pipeline", s->weighted_pipeline);
    fig(f, "deals_opened", s->deals_opened, 1);
    static const char *const FN[5] = { "funnel prospect", "funnel qualified", "funnel presented",
                                       "funnel negotiated", "funnel won" };
    for (int k = 0; k < 5; k++)
        fig(f, FN[k], s->funnel_reached[k], 1);
    for (uint32_t k = 0; k < lss_report_quota_count(r); k++) {
        lss_quota_row row;
        lss_report_quota_get(&row, r, k);
        R("quota attainment", row.attainment);
    }
    fig(f, "tickets_opened", v->tickets_opened, 1);
    fig(f, "resolved", v->resolved, 1);
    R("resolution_rate", v->resolution_rate);
    R("fcr_rate", v->fcr_rate);
    R("reopen_rate", v->reopen_rate);
    fig(f, "backlog", v->backlog, 1);
    R("aht_seconds", v->aht_seconds);
    R("csat_percent", v->csat_percent);
    R("csat_mean", v->csat_mean);
    const lss_duration_stats *d[2] = { &v->first_response_seconds, &v->resolution_seconds };
    static const char *const DN[2][4] = { { "first_response count", "first_response mean", "first_response median",
                                            "first_response p90" },
                                          { "resolution count", "resolution mean", "resolution median",
                                            "resolution p90" } };
    for (int k = 0; k < 2; k++) {
        fig(f, DN[k][0], d[k]->count, 1);
        R(DN[k][1], d[k]->mean);
        R(DN[k][2], d[k]->median);
        R(DN[k][3], d[k]->p90);
    }
    R("sla_compliance", v->sla_compliance);
    R("lead_conversion_rate", s->lead_conversion_rate);
    fig(f, "customers_added", c->customers_added, 1);
    fig(f, "customers_converted", c->customers_converted, 1);
    fig(f, "active_customers", c->active_customers, 1);
    R("repeat_purchase_rate", c->repeat_purchase_rate);
    fig(f, "referrals", c->referrals, 1);
    R("avg_customer_value", c->avg_customer_value);
    R("retention_rate", c->retention_rate);
#undef R
}

/* Equal as exact fractions (both without value, or a/b == c/d). */
static int compare(const figs *a, const figs *b, const char *window)
{
    int bad = 0;
    if (a->n != b->n) {
        printf("  MISMATCH %s: %d figures from the library, %d from SQL\n", window, a->n, b->n);
        return 1;
    }
    for (int k = 0; k < a->n; k++) {
        __extension__ __int128 x = (__int128)a->num[k] * b->den[k], y = (__int128)b->num[k] * a->den[k];
        bool same = (a->den[k] == 0) == (b->den[k] == 0) && x == y;
        if (!same && bad++ < 10)
            printf("  MISMATCH %s %s: library %lld/%lld, SQL %lld/%lld\n", window, a->name[k],
                   (long long)a->num[k], (long long)a->den[k], (long long)b->num[k], (long long)b->den[k]);
    }
    return bad;
}

/* ---- measurements ------------------------------------------------------------------ */

static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Peak resident memory since the last reset_peak() (VmHWM), KiB; -1 if
 * /proc does not tell. */
static long peak_kib(void)
{
    long kib = -1;
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
                break;
        fclose(f);
    }
    return kib;
}

/* Start the peak over from the current resident size (Linux >= 4.0:
 * writing 5 to clear_refs resets VmHWM). False if it cannot. */
static bool reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL)
        return false;
    bool ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Memory of one side's in-memory database, measured in a fresh process
 * (this program run with --memory): resident growth over the ingest (KiB), at
 * its end and at its peak (-1 where the peak cannot be reset), and the side's
 * own accounting (bytes). The library's own accounting counts the
 * bytes asked of its allocator hook; its resident growth is measured in
 * another process that leaves the hook alone (the counting hook adds a
 * header to every block), as a program would use it. */
static void memory_child(const char *side, uint32_t customers)
{
    bool counted = strcmp(side, "library") == 0;
    if (counted) {
        bench_count_allocations();
    }
    workload w;
    make_workload(&w, customers);
    long r0 = rss_kib();
    bool peak_ok = reset_peak();
    int64_t own = 0;
    if (counted || strcmp(side, "library-plain") == 0) {
        size_t l0 = bench_live_bytes();
        lss_db *db = lib_ingest(&w, NULL, LSS_SYNC_FULL, 0);
        own = (int64_t)(bench_live_bytes() - l0);
        (void)db;
    } else {
        sq s;
        sq_open(&s, ":memory:", true);
        sq_ingest(&s, &w);
        own = sqlite3_memory_used();
    }
    long peak = peak_kib();
    printf("%ld %ld %lld\n", rss_kib() - r0, peak_ok && peak >= 0 ? peak - r0 : -1L, (long long)own);
}

static void memory_of(uint32_t customers, const char *side, long *rss, long *peak, int64_t *own)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/proc/%ld/exe --memory %s %u", (long)getpid(), side, customers);
    FILE *p = popen(cmd, "r");
    long long o = 0;
    if (p == NULL || fscanf(p, "%ld %ld %lld", rss, peak, &o) != 3)
        die("memory", "the measuring process gave no answer");
    pclose(p);
    *own = o;
}

typedef struct result {
    uint32_t customers;
    uint64_t events;
    double lib_mem_ingest, sq_mem_ingest, lib_durable, lib_durable_tx, sq_durable;
    double lib_report, sq_report, lib_report12, sq_report12, lib_reopen, sq_reopen, lib_replay_rate;
    double lib_report1, sq_report_current, memory_read; /* one thread; SQL over current rows; bytes/s */
    double lib_reopen_ck, sq_reopen_current, ckpt_write; /* from a checkpoint; SQL over current rows; s */
    double ckpt_wait, ckpt_plain; /* a change that starts an automatic checkpoint, one that does not; s */
    long long ckpt_bytes;
    long lib_rss, sq_rss, lib_peak, sq_peak; /* KiB; peak -1: not measured */
    int64_t lib_own, sq_own;
    int mismatches;
} result;

static void monthly(lss_time start, int m, lss_time *from, lss_time *to)
{
    *from = start + (lss_time)m * 365 * DAY / 12;
    *to = start + (lss_time)(m + 1) * 365 * DAY / 12;
}

static double lib_all_reports(lss_db *db, const workload *w, figs *f12)
{
    double t0 = bench_now();
    for (int m = 0; m < 12; m++) {
        lss_query q = LSS_QUERY_INIT;
        monthly(w->start, m, &q.from, &q.to);
        lss_report *r;
        bench_check(lss_report_run(&r, db, &q), "report");
        if (f12)
            lib_figs(r, &f12[m]);
        lss_report_free(r);
    }
    return bench_now() - t0;
}

/* Bytes per second of one core reading n bytes in order (8 at a time), best
 * of 5: what "memory speed" means on this machine for a report's scan. */
static double memory_read_rate(size_t n)
{
    size_t words = n / 8 ? n / 8 : 1;
    uint64_t *v = malloc(words * 8);
    if (v == NULL)
        die("memory read", "out of memory");
    for (size_t i = 0; i < words; i++)
        v[i] = i;
    double best = 1e9;
    volatile uint64_t sink = 0;
    for (int k = 0; k < 5; k++) {
        double t0 = bench_now();
        uint64_t sum = 0;
        for (size_t i = 0; i < words; i++)
            sum += v[i];
        sink += sum;
        double dt = bench_now() - t0;
        best = dt < best ? dt : best;
    }
    (void)sink;
    free(v);
    return (double)words * 8 / best;
}

static void bench(uint32_t customers, const char *dir, result *res)
{
    workload w;
    make_workload(&w, customers);
    memset(res, 0, sizeof *res);
    res->customers = customers;
    res->events = w.n;
    char lpath[512], spath[512];
    snprintf(lpath, sizeof lpath, "%s/bench-sqlite-%ld.lss", dir, (long)getpid());
    snprintf(spath, sizeof spath, "%s/bench-sqlite-%ld.sqlite", dir, (long)getpid());

    /* in-memory ingest */
    double t0 = bench_now();
    lss_db *mem = lib_ingest(&w, NULL, LSS_SYNC_FULL, 0);
    res->lib_mem_ingest = bench_now() - t0;
    sq smem;
    sq_open(&smem, ":memory:", true);
    t0 = bench_now();
    sq_ingest(&smem, &w);
    res->sq_mem_ingest = bench_now() - t0;

    /* the reports must agree: the whole period and 12 months */
    lss_query q = LSS_QUERY_INIT;
    q.from = w.start;
    q.to = w.end;
    figs a, b, a12[12], b12[12];
    lss_report *r;
    bench_check(lss_report_run(&r, mem, &q), "report");
    lib_figs(r, &a);
    lss_report_free(r);
    sq_report(smem.db, w.start, w.end, true, &b);
    res->mismatches = compare(&a, &b, "year");
    lib_all_reports(mem, &w, a12);
    for (int m = 0; m < 12; m++) {
        lss_time f, t;
        monthly(w.start, m, &f, &t);
        sq_report(smem.db, f, t, true, &b12[m]);
        char name[32];
        snprintf(name, sizeof name, "month %d", m + 1);
        res->mismatches += compare(&a12[m], &b12[m], name);
    }
    printf("  %d figures compared per window, 13 windows: %s\n", a.n,
           res->mismatches ? "THE REPORTS DIFFER" : "SQLite and the library agree");

    /* report timings (best of 3; one run from 500,000 customers on: the SQL side takes minutes) */
    res->lib_report = res->sq_report = res->lib_report12 = res->sq_report12 = 1e9;
    for (int k = 0; k < (customers >= 500000 ? 1 : 3); k++) {
        t0 = bench_now();
        bench_check(lss_report_run(&r, mem, &q), "report");
        lss_report_free(r);
        double dt = bench_now() - t0;
        res->lib_report = dt < res->lib_report ? dt : res->lib_report;
        t0 = bench_now();
        sq_report(smem.db, w.start, w.end, true, &b);
        dt = bench_now() - t0;
        res->sq_report = dt < res->sq_report ? dt : res->sq_report;
        dt = lib_all_reports(mem, &w, NULL);
        res->lib_report12 = dt < res->lib_report12 ? dt : res->lib_report12;
        t0 = bench_now();
        for (int m = 0; m < 12; m++) {
            lss_time f, t;
            monthly(w.start, m, &f, &t);
            sq_report(smem.db, f, t, true, &b12[m]);
        }
        dt = bench_now() - t0;
        res->sq_report12 = dt < res->sq_report12 ? dt : res->sq_report12;
    }
    /* one thread, and SQL over the current rows only: the whole history as of now */
    res->lib_report1 = res->sq_report_current = 1e9;
    sq_build_current(&smem);
    figs c;
    sq_report_current(smem.db, w.start, w.end, &c);
    int cur_bad = compare(&a, &c, "year, current rows");
    res->mismatches += cur_bad;
    printf("  the report over SQLite's current rows (the whole history as of now): %s\n",
           cur_bad ? "THE REPORTS DIFFER" : "SQLite and the library agree");
    for (int k = 0; k < (customers >= 500000 ? 1 : 3); k++) {
        lss_query one = q;
        one.threads = 1;
        t0 = bench_now();
        bench_check(lss_report_run(&r, mem, &one), "report");
        lss_report_free(r);
        double dt = bench_now() - t0;
        res->lib_report1 = dt < res->lib_report1 ? dt : res->lib_report1;
        t0 = bench_now();
        sq_report_current(smem.db, w.start, w.end, &c);
        dt = bench_now() - t0;
        res->sq_report_current = dt < res->sq_report_current ? dt : res->sq_report_current;
    }
    lss_db_close(mem);
    sq_close(&smem);

    /* durable ingest: journal in normal sync vs WAL + synchronous=NORMAL, both in batches of 10,000 */
    unlink(lpath);
    t0 = bench_now();
    lss_db *dl = lib_ingest(&w, lpath, LSS_SYNC_NORMAL, 0);
    lss_db_close(dl);
    res->lib_durable = bench_now() - t0;
    unlink(lpath);
    t0 = bench_now();
    dl = lib_ingest(&w, lpath, LSS_SYNC_NORMAL, 10000);
    lss_db_close(dl);
    res->lib_durable_tx = bench_now() - t0;
    unlink(spath);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", spath);
    unlink(wal);
    sq sfile;
    sq_open(&sfile, spath, true);
    t0 = bench_now();
    sq_ingest(&sfile, &w);
    res->sq_durable = bench_now() - t0;
    /* the summary columns an application would keep (untimed): with a cache that holds the whole rewrite, so that
     * the big transaction does not spill the same pages into the WAL again and again (the close folds the WAL into
     * the file) */
    exec(sfile.db, "PRAGMA cache_size=-4000000");
    sq_build_current(&sfile);
    sq_close(&sfile);

    /* a checkpoint of the journal */
    lss_open_options wo = LSS_OPEN_OPTIONS_INIT;
    wo.checkpoint_bytes = 0;
    bench_check(lss_db_open(&dl, lpath, &wo), "open");
    t0 = bench_now();
    bench_check(lss_db_checkpoint(dl), "checkpoint");
    res->ckpt_write = bench_now() - t0;
    lss_db_close(dl);
    char ckpath[600];
    snprintf(ckpath, sizeof ckpath, "%s.checkpoint", lpath);
    struct stat sb;
    res->ckpt_bytes = stat(ckpath, &sb) == 0 ? (long long)sb.st_size : -1;

    /* reopen and answer the first report (best of 3): the library from the journal alone and from the
     * checkpoint; SQLite with the report from the history tables and over the current rows */
    res->lib_reopen = res->sq_reopen = res->lib_reopen_ck = res->sq_reopen_current = 1e9;
    for (int k = 0; k < (customers >= 500000 ? 1 : 3); k++) {
        lss_open_options o = LSS_OPEN_OPTIONS_INIT;
        o.flags = LSS_OPEN_READ_ONLY;
        t0 = bench_now();
        bench_check(lss_db_open(&dl, lpath, &o), "reopen");
        bench_check(lss_report_run(&r, dl, &q), "report");
        lss_report_free(r);
        double dt = bench_now() - t0;
        lss_recovery rec;
        lss_db_recovery(&rec, dl);
        if (rec.checkpoint_events != w.n)
            die("reopen", "the checkpoint was not used");
        res->lib_reopen_ck = dt < res->lib_reopen_ck ? dt : res->lib_reopen_ck;
        lss_db_close(dl);
        t0 = bench_now();
        sq_open(&sfile, spath, false);
        sq_report_current(sfile.db, w.start, w.end, &c);
        sq_close(&sfile);
        dt = bench_now() - t0;
        res->sq_reopen_current = dt < res->sq_reopen_current ? dt : res->sq_reopen_current;
        o.flags = LSS_OPEN_READ_ONLY | LSS_OPEN_NO_CHECKPOINT;
        t0 = bench_now();
        bench_check(lss_db_open(&dl, lpath, &o), "reopen");
        double replay = bench_now() - t0;
        bench_check(lss_report_run(&r, dl, &q), "report");
        lss_report_free(r);
        dt = bench_now() - t0;
        if (dt < res->lib_reopen) {
            res->lib_reopen = dt;
            res->lib_replay_rate = w.n / replay;
        }
        lss_db_close(dl);
        t0 = bench_now();
        sq_open(&sfile, spath, false);
        sq_report(sfile.db, w.start, w.end, true, &b);
        sq_close(&sfile);
        dt = bench_now() - t0;
        res->sq_reopen = dt < res->sq_reopen ? dt : res->sq_reopen;
    }
    /* how long an automatic checkpoint holds up the change that starts it (the copy under the lock), against
     * the same change without one */
    for (int k = 0; k < 2; k++) {
        wo.checkpoint_bytes = k ? 1 : 0;
        bench_check(lss_db_open(&dl, lpath, &wo), "open");
        char key[32];
        snprintf(key, sizeof key, "bench-ckpt-%d", k);
        t0 = bench_now();
        bench_check(lss_member_add(NULL, dl, w.end, key, "Checkpoint", LSS_ROLE_SALES, NULL), "change");
        double dt = bench_now() - t0;
        if (k)
            res->ckpt_wait = dt;
        else
            res->ckpt_plain = dt;
        lss_db_close(dl);
    }
    lss_open_options ro = LSS_OPEN_OPTIONS_INIT;
    ro.flags = LSS_OPEN_READ_ONLY;
    bench_check(lss_db_open(&dl, lpath, &ro), "reopen");
    lss_recovery rec0;
    lss_db_recovery(&rec0, dl);
    if (rec0.checkpoint_events != w.n + 2)
        die("automatic checkpoint", "the reopen did not use it");
    lss_db_close(dl);
    unlink(lpath);
    unlink(ckpath);
    unlink(spath);
    unlink(wal);

    /* memory, each side in its own process */
    long counted_rss, counted_peak;
    int64_t plain_own;
    memory_of(customers, "library", &counted_rss, &counted_peak, &res->lib_own);
    memory_of(customers, "library-plain", &res->lib_rss, &res->lib_peak, &plain_own);
    memory_of(customers, "sqlite", &res->sq_rss, &res->sq_peak, &res->sq_own);
    res->memory_read = memory_read_rate((size_t)res->lib_own);
    free(w.ev);
    lss_db_close(w.src);
}

/* Every size in one order; the number of reports that differed. */
static int run_sizes(const uint32_t *sizes, int nsizes, const char *dir)
{
    result res[8];
    int bad = 0;
    for (int k = 0; k < nsizes; k++) {
        printf("N = %u customers\n", sizes[k]);
        bench(sizes[k], dir, &res[k]);
        bad += res[k].mismatches;
        result *r = &res[k];
        printf("  %-44s %12s %12s %10s\n", "", "library", "SQLite", "SQLite/lib");
        printf("  %-44s %12.0f %12.0f %8.1fx\n", "in-memory ingest, events/s", r->events / r->lib_mem_ingest,
               r->events / r->sq_mem_ingest, r->sq_mem_ingest / r->lib_mem_ingest);
        printf("  %-44s %12.0f %12.0f %8.1fx\n", "durable ingest (batches of 10,000), events/s",
               r->events / r->lib_durable_tx, r->events / r->sq_durable, r->sq_durable / r->lib_durable_tx);
        printf("  %-44s %12.0f %12s\n", "durable ingest, library one call per event", r->events / r->lib_durable,
               "");
        printf("  %-44s %12.4f %12.4f %8.1fx\n", "full report, one window, s", r->lib_report, r->sq_report,
               r->sq_report / r->lib_report);
        printf("  %-44s %12.4f %12.4f %8.1fx\n", "full report vs SQL over the current rows, s", r->lib_report,
               r->sq_report_current, r->sq_report_current / r->lib_report);
        printf("  %-44s %12.4f %12s %8.2fx\n", "full report, the calling thread only, s", r->lib_report1, "",
               r->lib_report1 / r->lib_report);
        printf("  %-44s %12.4f %12.4f %8.1fx\n", "12 monthly reports, s", r->lib_report12, r->sq_report12,
               r->sq_report12 / r->lib_report12);
        printf("  %-44s %12.4f %12.4f %8.1fx\n", "reopen + first report (journal alone), s", r->lib_reopen,
               r->sq_reopen, r->sq_reopen / r->lib_reopen);
        printf("  %-44s %12.0f\n", "reopen: journal events replayed per s", r->lib_replay_rate);
        printf("  %-44s %12.4f %12.4f %8.1fx\n", "reopen from a checkpoint + first report vs", r->lib_reopen_ck,
               r->sq_reopen_current, r->sq_reopen_current / r->lib_reopen_ck);
        printf("  %-44s\n", "  SQLite reopen + report over current rows, s");
        printf("  %-44s %12.4f   (%.0f MB, %.0f MB/s; %.2f x the library's bytes in memory)\n",
               "checkpoint: write, s", r->ckpt_write, r->ckpt_bytes / 1e6, r->ckpt_bytes / 1e6 / r->ckpt_write,
               (double)r->ckpt_bytes / (double)r->lib_own);
        printf("  %-44s %12.4f   (the same change without one: %.6f s)\n",
               "the change that starts an automatic one, s", r->ckpt_wait, r->ckpt_plain);
        printf("  %-44s %12.2f   (one core reading the same %.0f MB in order: %.2f GB/s)\n",
               "report's scan: library bytes / report time, GB/s", (double)r->lib_own / r->lib_report / 1e9,
               (double)r->lib_own / 1e6, r->memory_read / 1e9);
        printf("  %-44s %12.0f %12.0f %8.2fx\n", "memory per customer, own accounting, bytes",
               (double)r->lib_own / r->customers, (double)r->sq_own / r->customers,
               (double)r->sq_own / (double)r->lib_own);
        printf("  %-44s %12.0f %12.0f %8.2fx\n", "memory per customer, resident growth, bytes",
               r->lib_rss * 1024.0 / r->customers, r->sq_rss * 1024.0 / r->customers,
               (double)r->sq_rss / (double)r->lib_rss);
        if (r->lib_peak >= 0 && r->sq_peak >= 0)
            printf("  %-44s %12.0f %12.0f %8.2fx\n", "memory per customer, peak resident growth, bytes",
                   r->lib_peak * 1024.0 / r->customers, r->sq_peak * 1024.0 / r->customers,
                   (double)r->sq_peak / (double)r->lib_peak);
        else
            printf("  %-44s %12s\n", "memory per customer, peak resident growth", "(not measured: no /proc/self/clear_refs)");
        printf("  (%llu events)\n\n", (unsigned long long)r->events);
    }
    if (nsizes > 1) {
        printf("growth (time per event, relative to N = %u):\n", sizes[0]);
        for (int k = 0; k < nsizes; k++) {
            double e0 = (double)res[0].events, e = (double)res[k].events;
            printf("  N = %-9u library ingest %.2f, report %.2f; SQLite ingest %.2f, report %.2f\n", sizes[k],
                   (res[k].lib_mem_ingest / e) / (res[0].lib_mem_ingest / e0),
                   (res[k].lib_report / e) / (res[0].lib_report / e0),
                   (res[k].sq_mem_ingest / e) / (res[0].sq_mem_ingest / e0),
                   (res[k].sq_report / e) / (res[0].sq_report / e0));
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--memory") == 0) {
        memory_child(argv[2], (uint32_t)atol(argv[3]));
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "--sqlite-file") == 0) { /* for profiling the SQL by hand */
        workload w;
        make_workload(&w, (uint32_t)atol(argv[3]));
        sq s;
        unlink(argv[2]);
        sq_open(&s, argv[2], true);
        sq_ingest(&s, &w);
        sq_close(&s);
        printf("%s: %llu events; window %lld .. %lld\n", argv[2], (unsigned long long)w.n, (long long)w.start,
               (long long)w.end);
        return 0;
    }
    const char *dir = getenv("BENCH_DIR");
    if (dir == NULL)
        dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ".";
    uint32_t sizes[8] = { 10000, 100000 };
    int nsizes = 2;
    if (argc > 1) {
        nsizes = 0;
        for (int k = 1; k < argc && nsizes < 8; k++)
            sizes[nsizes++] = (uint32_t)atol(argv[k]);
    }
    printf("libsalesservice %s against SQLite %s; SQLite on one core, the library on what it chooses (its report\n"
           "and its reopen use a second thread on large databases; \"the calling thread only\" is one core);\n"
           "durable files in %s\n\n", lss_version(),
           sqlite3_libversion(), dir);
    const char *orders[2] = { "customer", "time" };
    int norders = 2;
    const char *want = getenv("BENCH_ORDER");
    if (want && strcmp(want, "both") != 0) {
        lss_generate_order o;
        if (lss_generate_order_parse(&o, want) != LSS_OK)
            die("BENCH_ORDER", "customer, time or both");
        orders[0] = lss_generate_order_name(o);
        norders = 1;
    }
    int bad = 0;
    for (int oi = 0; oi < norders; oi++) {
        setenv("BENCH_ORDER_NOW", orders[oi], 1);
        printf("== events generated by %s%s\n\n", orders[oi],
               strcmp(orders[oi], "time") == 0 ? " (as a live system writes them: the stories interleave)" : "");
        bad += run_sizes(sizes, nsizes, dir);
    }
    return bad ? 1 : 0;
}

