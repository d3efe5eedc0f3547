/* libFuzzer target, stateful: the bytes choose a sequence of API calls
 * (over a few keys, with times that mostly move forward), transactions
 * and reports. After every call that fails, the database is exactly as
 * before it (its export, and for a durable database the journal's size);
 * a rolled-back transaction leaves it as at its start. At the end export
 * -> import -> export is identical, and a durable database reopens (its
 * journal replayed) to the same export as the live one. */
#include "fuzz_common.h"
#include "query/query.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static unsigned next(input *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static const char *const members[] = { "m0", "m1", "m2", "m3" };
static const char *const customers[] = { "c0", "c1", "c2", "c3", "c4" };
static const char *const deals[] = { "d0", "d1", "d2", "d3", "d4" };
static const char *const tickets[] = { "t0", "t1", "t2", "t3", "t4" };
/* texts, among them the edge cases of the checks */
static const char *const texts[] = { NULL, "", "Name", "Kraus GmbH", "x\xc3\xa9y", "\xff", "a\nb", "seg" };

#define PICK(in, a) ((a)[next(in) % (sizeof(a) / sizeof((a)[0]))])

static lss_money money(input *in)
{
    unsigned b = next(in);
    switch (b % 4) {
    case 0: return (lss_money)(b * 100);
    case 1: return 0;
    case 2: return -1;
    default: return INT64_MAX / 2 + b;
    }
}

static char path[256];

static long file_size(void)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* The key of row i of a list. */
static const char *list_key(const lss_list *l, uint32_t i)
{
    lss_deal_row d;
    lss_ticket_row t;
    lss_customer_row c;
    switch (lss_list_kind_of(l)) {
    case LSS_LIST_DEALS: return lss_list_deal(&d, l, i) == LSS_OK ? lss_deal_key(d.deal) : NULL;
    case LSS_LIST_TICKETS: return lss_list_ticket(&t, l, i) == LSS_OK ? lss_ticket_key(t.ticket) : NULL;
    default: return lss_list_customer(&c, l, i) == LSS_OK ? lss_customer_key(c.customer) : NULL;
    }
}

/* A list with filters from the input, through the indexes and through the
 * scan: the same status, the same rows in the same order. */
static void fuzz_list(lss_db *db, input *in, lss_time now)
{
    static const char *const sorts[] = { NULL, "key", "opened", "amount", "expected_close", "last_at", "priority",
                                         "first_response_due", "resolution_due", "added", "name", "bogus" };
    lss_list_filter f;
    lss_list_filter_init(&f, (lss_list_kind)(next(in) % 3));
    unsigned mask = next(in);
    f.sort = sorts[next(in) % 12];
    f.desc = (mask & 1) != 0;
    if (mask & 2)
        f.limit = next(in) % 6;
    if (mask & 4)
        f.as_of = now - (lss_time)(next(in) % 8) * 3600;
    if (f.kind == LSS_LIST_DEALS) {
        if (mask & 8)
            f.owner = PICK(in, members);
        f.open = (mask & 16) != 0;
        if (mask & 32)
            f.stages = next(in) % 64;
        if (mask & 64) {
            f.closing_from = now - (lss_time)(next(in) % 8) * 86400;
            f.closing_to = f.closing_from + (lss_time)(next(in) % 8) * 86400;
        }
        if (mask & 128)
            f.customer = PICK(in, customers);
    } else if (f.kind == LSS_LIST_TICKETS) {
        if (mask & 8)
            f.assignee = PICK(in, members);
        else if (mask & 16)
            f.unassigned = 1;
        if (mask & 32)
            f.states = next(in) % 32;
        if (mask & 64)
            f.breach_before = now + (lss_time)(next(in) % 16) * 3600;
        if (mask & 128)
            f.priorities = next(in) % 16;
    } else {
        if (mask & 8)
            f.search = PICK(in, texts);
        if (mask & 16)
            f.state = (int)(next(in) % 3);
        if (mask & 32)
            f.segment = PICK(in, texts);
    }
    lss_list *a = NULL, *b = NULL;
    lss__list_scan = false;
    lss_status sa = lss_list_run(&a, db, &f);
    lss__list_scan = true;
    lss_status sb = lss_list_run(&b, db, &f);
    lss__list_scan = false;
    FUZZ_ASSERT(sa == sb, "list: %s through the indexes, %s through the scan", lss_status_name(sa), lss_status_name(sb));
    FUZZ_ASSERT((sa == LSS_OK) == (a != NULL), "list: a list and its status disagree");
    if (sa == LSS_OK) {
        FUZZ_ASSERT(lss_list_count(a) == lss_list_count(b) && lss_list_matched(a) == lss_list_matched(b),
                    "list: %u rows through the indexes, %u through the scan", lss_list_matched(a), lss_list_matched(b));
        for (uint32_t i = 0; i < lss_list_count(a); i++)
            FUZZ_ASSERT(strcmp(list_key(a, i), list_key(b, i)) == 0, "list: row %u differs", i);
    }
    lss_list_free(a);
    lss_list_free(b);
}

static lss_status call(lss_db *db, input *in, lss_time *t, int *tx, unsigned *which)
{
    unsigned op = next(in) % 43;
    *which = op;
    unsigned dt = next(in);
    if (dt == 255)
        *t -= 3600; /* now and then a time before the last event */
    else
        *t += (lss_time)(dt % 8) * 1800;
    if (*t < 0)
        *t = 0;
    lss_time at = *t;
    switch (op) {
    case 0: return lss_member_add(NULL, db, at, PICK(in, members), PICK(in, texts), (lss_role)(next(in) % 4), PICK(in, texts));
    case 1: return lss_customer_add(NULL, db, at, PICK(in, customers), PICK(in, texts), PICK(in, texts), PICK(in, texts),
                                    PICK(in, texts), (lss_source)(next(in) % 8), next(in) % 2 ? PICK(in, customers) : NULL);
    case 2: return lss_customer_update(db, at, PICK(in, customers), PICK(in, texts), PICK(in, texts), PICK(in, texts),
                                       PICK(in, texts));
    case 3: return lss_customer_churn(db, at, PICK(in, customers));
    case 4: return lss_customer_erase(db, at, PICK(in, customers));
    case 5: return lss_deal_open(NULL, db, at, PICK(in, deals), PICK(in, customers), PICK(in, members), money(in),
                                 PICK(in, texts), next(in) % 2 ? at + 86400 * 30 : LSS_TIME_NONE);
    case 6: return lss_deal_advance(db, at, PICK(in, deals), (lss_stage)(next(in) % 7));
    case 7: return lss_deal_win(db, at, PICK(in, deals), next(in) % 2 ? -1 : money(in));
    case 8: return lss_deal_lose(db, at, PICK(in, deals), (lss_loss_reason)(next(in) % 8), PICK(in, texts));
    case 9: return lss_deal_reopen(db, at, PICK(in, deals));
    case 10: return lss_deal_set_amount(db, at, PICK(in, deals), money(in));
    case 11: return lss_deal_assign(db, at, PICK(in, deals), PICK(in, members));
    case 12: return lss_ticket_open(NULL, db, at, PICK(in, tickets), PICK(in, customers), (lss_ticket_kind)(next(in) % 6),
                                    (lss_channel)(next(in) % 7), (lss_priority)(next(in) % 5), PICK(in, texts),
                                    next(in) % 2 ? PICK(in, deals) : NULL);
    case 13: return lss_ticket_assign(db, at, PICK(in, tickets), PICK(in, members));
    case 14: return lss_ticket_contact(db, at, PICK(in, tickets), PICK(in, members), (int64_t)next(in) * 60 - 60,
                                       (int)(next(in) % 8) - 1);
    case 15: return lss_ticket_wait(db, at, PICK(in, tickets));
    case 16: return lss_ticket_resume(db, at, PICK(in, tickets));
    case 17: return lss_ticket_resolve(db, at, PICK(in, tickets), PICK(in, texts));
    case 18: return lss_ticket_reopen(db, at, PICK(in, tickets));
    case 19: return lss_ticket_close(db, at, PICK(in, tickets));
    case 20: return lss_ticket_rate(db, at, PICK(in, tickets), (int)(next(in) % 7), PICK(in, texts));
    case 21: return lss_activity_log(NULL, db, at, PICK(in, customers), PICK(in, members), (lss_activity_kind)(next(in) % 7),
                                     (lss_channel)(next(in) % 7), (int64_t)(next(in) % 4) * 600 - 600,
                                     next(in) % 2 ? PICK(in, deals) : NULL, PICK(in, texts));
    case 22: return lss_quota_set(db, at, PICK(in, members), at, at + (lss_time)(next(in) % 4) * 86400 * 30, money(in));
    case 23: return lss_sla_set(db, at, (lss_priority)(next(in) % 5), (int64_t)(next(in) % 4) * 3600,
                                (int64_t)(next(in) % 4) * 86400);
    case 24: return lss_stage_probability_set(db, at, (lss_stage)(next(in) % 6), (int)(next(in) % 120) - 5);
    case 25:
        if (*tx)
            return lss_tx_begin(db) == LSS_MISUSE ? LSS_MISUSE : LSS_UNSUPPORTED; /* must be misuse */
        *tx = lss_tx_begin(db) == LSS_OK;
        return *tx ? LSS_OK : LSS_IO;
    case 26:
        if (!*tx)
            return lss_tx_commit(db);
        *tx = 0;
        return lss_tx_commit(db);
    case 27:
        if (!*tx)
            return lss_tx_rollback(db);
        *tx = 0;
        return lss_tx_rollback(db);
    case 28:
        fuzz_report(db);
        return LSS_OK;
    case 29:
        fuzz_list(db, in, *t);
        return LSS_OK;
    case 31: return lss_ticket_set_priority(db, at, PICK(in, tickets), (lss_priority)(next(in) % 5));
    case 32: return lss_pipeline_add(db, at, next(in) % 2 ? "p1" : PICK(in, texts), PICK(in, texts));
    case 33: return lss_deal_open_in(NULL, db, at, PICK(in, deals), PICK(in, customers), PICK(in, members), money(in),
                                     NULL, next(in) % 2 ? at + 86400 : LSS_TIME_NONE, next(in) % 2 ? "p1" : NULL);
    case 34: return lss_deal_set_close_date(db, at, PICK(in, deals), at + (lss_time)(next(in) % 8) * 86400 * 10);
    case 35: return lss_deal_set_forecast(db, at, PICK(in, deals), (lss_forecast_category)(next(in) % 5));
    case 38: return lss_task_add(NULL, db, at, PICK(in, deals), PICK(in, customers), PICK(in, members),
                                 (lss_activity_kind)(next(in) % 10), at + (lss_time)(next(in) % 8) * 43200 - 86400,
                                 next(in) % 4 ? NULL : PICK(in, deals), next(in) % 4 ? NULL : PICK(in, tickets),
                                 PICK(in, texts));
    case 39: return lss_task_reschedule(db, at, PICK(in, deals), at + (lss_time)(next(in) % 8) * 43200);
    case 40: return lss_task_assign(db, at, PICK(in, deals), PICK(in, members));
    case 41: return lss_task_done(db, at, PICK(in, deals), PICK(in, texts));
    case 42: return lss_task_cancel(db, at, PICK(in, deals));
    case 37: return lss_customer_nps(db, at, PICK(in, customers), (int)(next(in) % 13) - 1, PICK(in, texts));
    case 36: return lss_deal_set_probability(db, at, PICK(in, deals), (int)(next(in) % 110) - 2);
    default: {
        const lss_customer *c;
        lss_status st = lss_customer_find(&c, db, PICK(in, customers));
        FUZZ_ASSERT(st == LSS_OK || st == LSS_NOT_FOUND, "find: %s", lss_status_name(st));
        return LSS_OK;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    input in = { data + 1, size - 1 };
    int durable = data[0] & 1;
    if (path[0] == '\0') {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/lss-fuzz-api-%ld.lss", dir, (long)getpid());
    }
    unlink(path);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.pipeline = data[0] & 2 ? LSS_PIPELINE_LENIENT : LSS_PIPELINE_STRICT;
    o.sync = LSS_SYNC_OFF;
    lss_db *db = NULL;
    FUZZ_ASSERT(lss_db_open(&db, durable ? path : NULL, &o) == LSS_OK, "open: %s", lss_errmsg());
    lss_time t = 1735689600; /* 2025-01-01 */
    int tx = 0;
    size_t tx_len = 0;
    char *tx_start = NULL;
    for (int steps = 0; in.n > 0 && steps < 256; steps++) {
        size_t n0;
        char *before = fuzz_export(db, &n0);
        long size0 = durable ? file_size() : 0;
        int was_tx = tx;
        unsigned op;
        lss_status st = call(db, &in, &t, &tx, &op);
        FUZZ_ASSERT(st != LSS_UNSUPPORTED, "a second lss_tx_begin was not LSS_MISUSE");
        if (!was_tx && tx) {
            free(tx_start);
            tx_start = before;
            tx_len = n0;
            before = NULL;
        } else if (st != LSS_OK) {
            FUZZ_ASSERT(strlen(lss_db_errmsg(db)) > 0, "a failure without a message");
            size_t n1;
            char *after = fuzz_export(db, &n1);
            FUZZ_ASSERT(n0 == n1 && memcmp(before, after, n0) == 0, "a failed call (%s: %s) changed the database",
                        lss_status_name(st), lss_db_errmsg(db));
            FUZZ_ASSERT(!durable || file_size() == size0, "a failed call changed the journal");
            free(after);
        } else if (was_tx && !tx && op == 27) {
            /* rolled back: exactly as at the transaction's start */
            size_t n1;
            char *after = fuzz_export(db, &n1);
            FUZZ_ASSERT(n1 == tx_len && memcmp(after, tx_start, n1) == 0, "a rollback is not exact");
            FUZZ_ASSERT(!durable || file_size() == size0, "a rollback changed the journal");
            free(after);
        }
        free(before);
    }
    if (tx)
        FUZZ_ASSERT(lss_tx_commit(db) == LSS_OK, "commit: %s", lss_db_errmsg(db));
    free(tx_start);
    fuzz_report(db);
    fuzz_roundtrip(db);
    if (durable) {
        size_t n1, n2;
        char *live = fuzz_export(db, &n1);
        lss_db_close(db);
        FUZZ_ASSERT(lss_db_open(&db, path, NULL) == LSS_OK, "reopen: %s", lss_errmsg());
        char *replayed = fuzz_export(db, &n2);
        FUZZ_ASSERT(n1 == n2 && memcmp(live, replayed, n1) == 0, "the replayed journal differs from the live database");
        free(live);
        free(replayed);
        unlink(path);
    }
    lss_db_close(db);
    return 0;
}
