/* JSON Lines: export -> import -> export is identical for random databases;
 * every kind of bad line is refused with its line, field and reason and
 * changes nothing; keep-going; value spellings; db.config; the generator. */
#include "randevents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static lss_status import_text(lss_db *db, const char *text, unsigned flags, lss_import_result *res)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    lss_import_options o = LSS_IMPORT_OPTIONS_INIT;
    o.flags = flags;
    lss_status st = lss_import_stream(db, f, &o, res);
    fclose(f);
    return st;
}

static void test_export_import_export_is_identical(void **state)
{
    (void)state;
    static ev evs[700];
    for (uint64_t seed = 1; seed <= 10; seed++) {
        rng r = { seed * 0x9E3779B97F4A7C15u };
        rand_events(evs, 700, &r);
        lss_db *a = rand_base();
        for (int i = 0; i < 700; i++)
            rand_apply(a, &evs[i]);
        char *one = export_text(a);
        lss_db *b = open_db(LSS_PIPELINE_STRICT); /* db.config makes it lenient */
        lss_import_result res;
        if (import_text(b, one, 0, &res) != LSS_OK)
            fail_msg("seed %llu: %s", (unsigned long long)seed, lss_db_errmsg(b));
        assert_int_equal(res.applied, lss_db_event_count(a));
        assert_int_equal(res.rejected, 0);
        char *two = export_text(b);
        assert_string_equal(one, two);
        char *da = dump(a), *db_ = dump(b);
        assert_string_equal(da, db_); /* the same database, erasures included */
        free(da);
        free(db_);
        free(one);
        free(two);
        lss_db_close(a);
        lss_db_close(b);
    }
}

/* The example of the event format spec. */
static const char SPEC_EXAMPLE[] =
    "{\"type\":\"db.config\",\"at\":\"2025-01-01\",\"currency\":\"EUR\"}\n"
    "{\"type\":\"member.add\",\"at\":\"2025-01-01\",\"key\":\"m-anna\",\"name\":\"Anna Berg\",\"role\":\"sales\",\"team\":\"DACH\"}\n"
    "{\"type\":\"member.add\",\"at\":\"2025-01-01\",\"key\":\"m-ben\",\"name\":\"Ben Ortiz\",\"role\":\"service\"}\n"
    "{\"type\":\"quota.set\",\"at\":\"2025-01-01\",\"member\":\"m-anna\",\"from\":\"2025-01-01\",\"to\":\"2025-04-01\",\"amount\":\"50000.00\"}\n"
    "{\"type\":\"customer.add\",\"at\":\"2025-01-06T09:12:00Z\",\"key\":\"c-17\",\"name\":\"Kraus GmbH\",\"email\":\"einkauf@kraus.example\",\"source\":\"web\"}\n"
    "{\"type\":\"deal.open\",\"at\":\"2025-01-06T09:30:00Z\",\"key\":\"d-17\",\"customer\":\"c-17\",\"owner\":\"m-anna\",\"amount\":\"12000.00\",\"title\":\"12 workstations\"}\n"
    "{\"type\":\"deal.advance\",\"at\":\"2025-01-09T14:00:00Z\",\"deal\":\"d-17\",\"to\":\"qualified\"}\n"
    "{\"type\":\"deal.advance\",\"at\":\"2025-01-15T10:00:00Z\",\"deal\":\"d-17\",\"to\":\"presented\"}\n"
    "{\"type\":\"deal.advance\",\"at\":\"2025-01-20T16:00:00Z\",\"deal\":\"d-17\",\"to\":\"negotiated\"}\n"
    "{\"type\":\"deal.amount\",\"at\":\"2025-01-22T11:00:00Z\",\"deal\":\"d-17\",\"amount\":\"11200.00\"}\n"
    "{\"type\":\"deal.win\",\"at\":\"2025-01-28T15:45:00Z\",\"deal\":\"d-17\"}\n"
    "{\"type\":\"ticket.open\",\"at\":\"2025-02-03T08:05:00Z\",\"key\":\"t-90\",\"customer\":\"c-17\",\"kind\":\"installation\",\"channel\":\"phone\",\"priority\":\"high\",\"subject\":\"Docking stations not detected\"}\n"
    "{\"type\":\"ticket.contact\",\"at\":\"2025-02-03T08:40:00Z\",\"ticket\":\"t-90\",\"agent\":\"m-ben\",\"duration\":540}\n"
    "{\"type\":\"ticket.resolve\",\"at\":\"2025-02-03T09:10:00Z\",\"ticket\":\"t-90\"}\n"
    "{\"type\":\"ticket.rate\",\"at\":\"2025-02-04T10:00:00Z\",\"ticket\":\"t-90\",\"score\":5}\n"
    "{\"type\":\"ticket.close\",\"at\":\"2025-02-10T00:00:00Z\",\"ticket\":\"t-90\"}\n";

static void test_the_spec_example_imports(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    lss_import_result res;
    assert_int_equal(import_text(db, SPEC_EXAMPLE, 0, &res), LSS_OK);
    assert_int_equal(res.lines, 16);
    assert_int_equal(res.applied, 15);
    lss_query q = LSS_QUERY_INIT;
    q.from = T("2025-01-01");
    q.to = T("2025-04-01");
    lss_report *r;
    assert_int_equal(lss_report_run(&r, db, &q), LSS_OK);
    assert_int_equal(lss_report_sales(r)->won, 1);
    assert_int_equal(lss_report_sales(r)->revenue, 1120000);
    assert_int_equal(lss_report_service(r)->csat_percent.num, 100);
    lss_quota_row row;
    assert_int_equal(lss_report_quota_get(&row, r, 0), LSS_OK);
    assert_int_equal(row.achieved, 1120000); /* the spec's 0.224 attainment */
    lss_report_free(r);
    lss_db_close(db);
}

/* One bad line (after a good one): the status, fragments of the message, and nothing applied. */
static const struct {
    const char *line;
    lss_status st;
    const char *msg[3];
} BAD[] = {
    { "not json", LSS_INVALID, { "line 2: not valid JSON", NULL } },
    { "[1,2]", LSS_INVALID, { "line 2: expected a JSON object, got an array", NULL } },
    { "{\"at\":\"2025-01-01\"}", LSS_INVALID, { "line 2: field \"type\" is required", NULL } },
    { "{\"type\":\"deal.fly\",\"at\":\"2025-01-01\"}", LSS_INVALID, { "\"deal.fly\" is not an event type", NULL } },
    { "{\"type\":\"customer.churn\",\"customer\":\"c\"}", LSS_INVALID, { "customer.churn: field \"at\" is required", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":\"2025-13-01\",\"customer\":\"c\"}", LSS_INVALID, { "field \"at\"", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":-5,\"customer\":\"c\"}", LSS_INVALID, { "field \"at\": -5 is out of range", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":\"2025-01-01\",\"customer\":\"c\",\"why\":1}", LSS_INVALID,
      { "customer.churn: unknown field \"why\"", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":\"2025-01-01\"}", LSS_INVALID, { "field \"customer\" is required", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":\"2025-01-01\",\"customer\":7}", LSS_INVALID,
      { "field \"customer\": expected a string, got an integer", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":\"2025-01-01\",\"customer\":\"nobody\"}", LSS_NOT_FOUND,
      { "line 2: customer.churn: customer \"nobody\" does not exist", NULL } },
    { "{\"type\":\"deal.advance\",\"at\":\"2025-01-02\",\"deal\":\"d\",\"to\":\"closed\"}", LSS_INVALID,
      { "line 2: deal.advance: field \"to\": \"closed\" is not a stage (expected qualified, presented or negotiated)",
        NULL } },
    { "{\"type\":\"deal.amount\",\"at\":\"2025-01-02\",\"deal\":\"d\",\"amount\":12.5}", LSS_INVALID,
      { "field \"amount\": expected a decimal string", "money never passes through floating point", NULL } },
    { "{\"type\":\"deal.amount\",\"at\":\"2025-01-02\",\"deal\":\"d\",\"amount\":\"12.555\"}", LSS_INVALID,
      { "field \"amount\"", NULL } },
    { "{\"type\":\"deal.amount\",\"at\":\"2025-01-02\",\"deal\":\"d\",\"amount\":92233720368547759}", LSS_INVALID,
      { "does not fit in 64-bit minor units", NULL } },
    { "{\"type\":\"ticket.contact\",\"at\":\"2025-01-02\",\"ticket\":\"t\",\"agent\":\"m\",\"duration\":-1}",
      LSS_INVALID, { "field \"duration\": -1 is out of range", NULL } },
    { "{\"type\":\"customer.add\",\"at\":\"2025-01-02\",\"key\":\"c\",\"name\":\"C\"}", LSS_EXISTS,
      { "customer \"c\" already exists", NULL } },
    { "{\"type\":\"deal.win\",\"at\":\"2024-01-01\",\"deal\":\"d\"}", LSS_OUT_OF_ORDER,
      { "is earlier than its last event", NULL } },
    { "{\"type\":\"db.config\",\"at\":\"2025-01-01\",\"currency\":\"USD\"}", LSS_INVALID,
      { "db.config: allowed only as the first event of an empty database", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":\"2025-01-01\",\"customer\":\"c\",\"customer\":\"c\"}", LSS_INVALID,
      { "duplicate", NULL } },
    { "\"just a string\"", LSS_INVALID, { "line 2: not valid JSON", NULL } },
    { "{\"type\":5,\"at\":\"2025-01-01\"}", LSS_INVALID, { "field \"type\": expected a string, got an integer", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":true,\"customer\":\"c\"}", LSS_INVALID,
      { "field \"at\": expected a timestamp string or Unix seconds, got a boolean", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":null,\"customer\":\"c\"}", LSS_INVALID, { "got null", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":1.5,\"customer\":\"c\"}", LSS_INVALID,
      { "got a number with a fraction or exponent", NULL } },
    { "{\"type\":\"customer.churn\",\"at\":\"2025-01-01\",\"customer\":{}}", LSS_INVALID, { "got an object", NULL } },
    { "{\"type\":\"deal.open\",\"at\":\"2025-01-02\",\"key\":\"d2\",\"customer\":\"c\",\"owner\":\"m\","
      "\"amount\":\"1.00\",\"expected_close\":[1]}", LSS_INVALID, { "field \"expected_close\"", "got an array", NULL } },
    { "{\"type\":\"deal.open\",\"at\":\"2025-01-02\",\"key\":\"d2\",\"customer\":\"c\",\"owner\":\"m\","
      "\"amount\":\"1.00\",\"expected_close\":\"2025-02-30\"}", LSS_INVALID, { "field \"expected_close\"", NULL } },
    { "{\"type\":\"deal.amount\",\"at\":\"2025-01-02\",\"deal\":\"d\",\"amount\":null}", LSS_INVALID,
      { "expected a decimal string", NULL } },
    { "{\"type\":\"ticket.rate\",\"at\":\"2025-01-02\",\"ticket\":\"t\",\"score\":\"5\"}", LSS_INVALID,
      { "field \"score\": expected an integer, got a string", NULL } },
    { "{\"type\":\"ticket.contact\",\"at\":\"2025-01-02\",\"ticket\":\"t\",\"agent\":\"m\",\"duration\":99999999999}",
      LSS_INVALID, { "field \"duration\": 99999999999 is out of range", NULL } },
    { "{\"type\":\"ticket.contact\",\"at\":\"2025-01-02\",\"ticket\":\"t\",\"agent\":\"m\",\"duration\":1,"
      "\"channel\":3}", LSS_INVALID, { "field \"channel\": expected a string, got an integer", NULL } },
    { "{\"type\":\"ticket.open\",\"at\":\"2025-01-02\",\"key\":\"t\",\"customer\":\"c\",\"kind\":\"riot\","
      "\"channel\":\"phone\",\"priority\":\"low\"}", LSS_INVALID, { "\"riot\" is not a", NULL } },
    { "{\"type\":\"db.config\",\"currency\":\"USD\"}", LSS_INVALID, { "db.config: field \"at\" is required", NULL } },
    { "{\"type\":\"db.config\",\"at\":0,\"currency\":7}", LSS_INVALID,
      { "db.config: field \"currency\": expected a string, got an integer", NULL } },
    { "{\"type\":\"db.config\",\"at\":0,\"currency\":\"usd\"}", LSS_INVALID, { "\"usd\" is not an ISO 4217 code", NULL } },
    { "{\"type\":\"db.config\",\"at\":0,\"currency\":\"US\"}", LSS_INVALID, { "\"US\" is not an ISO 4217 code", NULL } },
    { "{\"type\":\"db.config\",\"at\":0,\"pipeline\":\"loose\"}", LSS_INVALID, { "\"loose\" is not a pipeline mode", NULL } },
    { "{\"type\":\"db.config\",\"at\":\"x\"}", LSS_INVALID, { "db.config: field \"at\"", NULL } },
    { "{\"type\":\"db.config\",\"at\":0,\"colour\":\"red\"}", LSS_INVALID, { "db.config: unknown field \"colour\"", NULL } },
};

static void test_bad_lines_name_line_field_and_reason_and_change_nothing(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m", "M", LSS_ROLE_BOTH, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, T("2025-01-01"), "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, T("2025-01-01"), "d", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    char *before = dump(db);
    for (size_t k = 0; k < sizeof BAD / sizeof *BAD; k++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"type\":\"customer.update\",\"at\":\"2025-01-05\",\"customer\":\"c\",\"name\":\"Changed\"}\n%s\n"
                 "{\"type\":\"customer.churn\",\"at\":\"2025-01-06\",\"customer\":\"c\"}\n",
                 BAD[k].line);
        lss_import_result res;
        lss_status st = import_text(db, text, 0, &res);
        if (st != BAD[k].st)
            fail_msg("case %zu (%s): %s, expected %s: %s", k, BAD[k].line, lss_status_name(st),
                     lss_status_name(BAD[k].st), lss_db_errmsg(db));
        for (int m = 0; BAD[k].msg[m]; m++)
            if (strstr(lss_db_errmsg(db), BAD[k].msg[m]) == NULL)
                fail_msg("case %zu: message \"%s\" lacks \"%s\"", k, lss_db_errmsg(db), BAD[k].msg[m]);
        assert_int_equal(res.first_bad_line, 2);
        assert_int_equal(res.applied, 0);
        char *after = dump(db);
        assert_string_equal(before, after); /* the good first line was rolled back too */
        free(after);
        /* keep-going: both good lines applied, the bad one reported */
        lss_db *k2 = open_db(LSS_PIPELINE_STRICT);
        assert_int_equal(lss_member_add(NULL, k2, 0, "m", "M", LSS_ROLE_BOTH, NULL), LSS_OK);
        assert_int_equal(lss_customer_add(NULL, k2, T("2025-01-01"), "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB,
                                          NULL), LSS_OK);
        assert_int_equal(lss_deal_open(NULL, k2, T("2025-01-01"), "d", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
        assert_int_equal(import_text(k2, text, LSS_IMPORT_KEEP_GOING, &res), LSS_OK);
        assert_int_equal(res.rejected, 1);
        assert_int_equal(res.applied, 2);
        assert_int_equal(res.lines, 3);
        lss_db_close(k2);
    }
    free(before);
    lss_db_close(db);
}

/* Texts with what JSON escapes (quotes, backslashes, control characters
 * but NUL, DEL) export and re-import exactly; lines may start with blanks. */
static void test_texts_that_need_escaping_round_trip(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    static const char name[] = "Quote \" back \\ tab \t nl \n cr \r bell \x07 del \x7f \xc3\xa9";
    assert_int_equal(lss_member_add(NULL, db, 1, "m", "M", LSS_ROLE_BOTH, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 2, "c\"\\q", name, NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(lss_export_stream(db, f, NULL), LSS_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\\u0007"));
    assert_non_null(strstr(buf, "\\u007f"));
    /* leading blanks on every line are allowed */
    size_t n = strlen(buf);
    char *indented = malloc(3 * n + 1);
    char *o = indented;
    for (const char *p = buf; *p; p++) {
        if (p == buf || p[-1] == '\n')
            *o++ = ' ', *o++ = '\t';
        *o++ = *p;
    }
    *o = '\0';
    lss_db *copy = open_db(LSS_PIPELINE_LENIENT);
    lss_import_result res;
    assert_int_equal(import_text(copy, indented, 0, &res), LSS_OK);
    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, copy, "c\"\\q"), LSS_OK);
    assert_string_equal(lss_customer_name(c), name);
    char *a = dump(db), *b = dump(copy);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(indented);
    free(buf);
    lss_db_close(copy);
    lss_db_close(db);
}

/* An atomic import that fails on an empty database takes back its
 * db.config too: the currency and pipeline in memory and in the header. */
static void test_a_failed_import_takes_back_its_db_config(void **state)
{
    (void)state;
    const char *p = tmp_path("config-import.lss");
    unlink(p);
    lss_db *db = open_journal(p, LSS_SYNC_FULL);
    assert_string_equal(lss_db_currency(db), "EUR");
    lss_import_result res;
    assert_status_msg(db,
                      import_text(db,
                                  "{\"type\":\"db.config\",\"at\":0,\"currency\":\"JPY\",\"pipeline\":\"strict\"}\n"
                                  "{\"type\":\"member.add\",\"at\":1,\"key\":\"m\",\"name\":\"M\",\"role\":\"sales\"}\n"
                                  "{\"type\":\"customer.churn\",\"at\":2,\"customer\":\"nobody\"}\n",
                                  0, &res),
                      LSS_NOT_FOUND, "line 3", "nobody");
    assert_string_equal(lss_db_currency(db), "EUR");
    assert_int_equal(lss_db_pipeline(db), LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_db_event_count(db), 0);
    lss_db_close(db);
    db = open_journal(p, LSS_SYNC_FULL);
    assert_string_equal(lss_db_currency(db), "EUR");
    assert_int_equal(lss_db_pipeline(db), LSS_PIPELINE_LENIENT);
    /* the same import without the bad line keeps it */
    assert_int_equal(import_text(db,
                                 "{\"type\":\"db.config\",\"at\":0,\"currency\":\"JPY\",\"pipeline\":\"strict\"}\n"
                                 "{\"type\":\"member.add\",\"at\":1,\"key\":\"m\",\"name\":\"M\",\"role\":\"sales\"}\n",
                                 0, &res),
                     LSS_OK);
    lss_db_close(db);
    db = open_journal(p, LSS_SYNC_FULL);
    assert_string_equal(lss_db_currency(db), "JPY");
    assert_int_equal(lss_db_pipeline(db), LSS_PIPELINE_STRICT);
    assert_int_equal(lss_db_event_count(db), 1);
    lss_db_close(db);
}

static uint64_t rejected_lines[8];
static int nrejected;
static void on_reject(void *ctx, uint64_t line, lss_status st, const char *message)
{
    (void)ctx;
    assert_true(st != LSS_OK);
    assert_non_null(strstr(message, "line "));
    if (nrejected < 8)
        rejected_lines[nrejected] = line;
    nrejected++;
}

static int progress_calls;
static uint64_t progress_last;
static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    (void)total;
    assert_true(done >= progress_last);
    progress_last = done;
    progress_calls++;
}

/* Export and import options, streams that fail, progress. */
static int export_progress_calls;
static void on_export_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    assert_true(done <= total);
    export_progress_calls++;
}

static void test_streams_options_and_io_errors(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 12000; /* more than 65,536 events: the export reports progress */
    assert_int_equal(lss_generate(db, &g), LSS_OK);
    assert_true(lss_db_event_count(db) > 65536);
    char *before = dump(db);
    /* a full disk: write errors are reported, not swallowed */
    FILE *full = fopen("/dev/full", "w");
    assert_non_null(full);
    assert_status_msg(db, lss_export_stream(db, full, NULL), LSS_IO, "export");
    fclose(full);
    assert_status_msg(db, lss_export_file(db, "/dev/full", NULL), LSS_IO, "export");
    assert_status_msg(db, lss_export_file(db, "/nonexistent-dir/x.jsonl", NULL), LSS_IO, "/nonexistent-dir/x.jsonl");
    lss_export_options eo = LSS_EXPORT_OPTIONS_INIT;
    eo.version = 9;
    assert_status_msg(db, lss_export_stream(db, stdout, &eo), LSS_VERSION, "version 9");
    eo = (lss_export_options)LSS_EXPORT_OPTIONS_INIT;
    eo.progress = on_export_progress;
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(lss_export_stream(db, null, &eo), LSS_OK);
    fclose(null);
    assert_true(export_progress_calls >= 2);
    /* import options */
    lss_import_options io = LSS_IMPORT_OPTIONS_INIT;
    io.version = 3;
    assert_status_msg(db, lss_import_stream(db, stdin, &io, NULL), LSS_VERSION, "version 3");
    io = (lss_import_options)LSS_IMPORT_OPTIONS_INIT;
    io.flags = 0x80;
    assert_status_msg(db, lss_import_stream(db, stdin, &io, NULL), LSS_INVALID, "flags");
    assert_status_msg(db, lss_import_file(db, "/nonexistent-dir/in.jsonl", NULL, NULL), LSS_IO, "in.jsonl");
    /* a stream that cannot seek (a pipe): imported, progress without a total */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    static const char line[] = "{\"type\":\"customer.churn\",\"at\":\"2026-06-01\",\"customer\":\"c-000001\"}\n";
    assert_int_equal(write(fds[1], line, sizeof line - 1), (ssize_t)(sizeof line - 1));
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    io = (lss_import_options)LSS_IMPORT_OPTIONS_INIT;
    io.progress = on_progress;
    progress_calls = 0;
    progress_last = 0;
    lss_import_result res;
    lss_status pst = lss_import_stream(db, in, &io, &res);
    if (pst != LSS_OK)
        fail_msg("pipe import: %s", lss_db_errmsg(db));
    fclose(in);
    assert_int_equal(res.applied, 1);
    assert_true(progress_calls >= 1);
    /* a directory is not a stream of lines: a read error, nothing applied */
    uint64_t n = lss_db_event_count(db);
    FILE *dir = fopen("/", "r");
    if (dir) {
        lss_status st = lss_import_stream(db, dir, NULL, &res);
        assert_int_equal(st, LSS_IO);
        assert_int_equal(lss_db_event_count(db), n);
        fclose(dir);
    }
    /* a transaction already open */
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    FILE *empty = fopen("/dev/null", "r");
    assert_status_msg(db, lss_import_stream(db, empty, NULL, NULL), LSS_MISUSE, "transaction");
    fclose(empty);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_status_msg(db, lss_apply_json(db, NULL), LSS_INVALID, "NULL");
    (void)before;
    free(before);
    lss_db_close(db);
}

static void test_spellings_blank_lines_crlf_callbacks(void **state)
{
    (void)state;
    const char *text =
        "\r\n"
        "{\"type\":\"member.add\",\"at\":0,\"key\":\"m\",\"name\":\"M\",\"role\":\"both\"}\r\n"
        "   \n"
        "{\"type\":\"customer.add\",\"at\":\"2025-03-01T10:30:00+01:00\",\"key\":\"c\",\"name\":\"Zoë\"}\n"
        "{\"type\":\"deal.open\",\"at\":\"2025-03-01T09:30:00.750Z\",\"key\":\"d\",\"customer\":\"c\",\"owner\":\"m\",\"amount\":1234}\n"
        "{\"type\":\"deal.amount\",\"at\":\"2025-03-02\",\"deal\":\"d\",\"amount\":\"99.5\"}\n"
        "{\"type\":\"deal.amount\",\"at\":\"2025-03-03\",\"deal\":\"nope\",\"amount\":\"1\"}\n"
        "{\"type\":\"ticket.open\",\"at\":\"2025-03-03\",\"key\":\"t\",\"customer\":\"c\",\"kind\":\"question\",\"channel\":\"fax\",\"priority\":\"low\"}\n";
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    lss_import_options o = LSS_IMPORT_OPTIONS_INIT;
    o.flags = LSS_IMPORT_KEEP_GOING;
    o.reject = on_reject;
    o.progress = on_progress;
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    lss_import_result res;
    nrejected = progress_calls = 0;
    progress_last = 0;
    assert_int_equal(lss_import_stream(db, f, &o, &res), LSS_OK);
    fclose(f);
    assert_int_equal(res.lines, 8);
    assert_int_equal(res.applied, 4);
    assert_int_equal(res.rejected, 2);
    assert_int_equal(nrejected, 2);
    assert_int_equal(rejected_lines[0], 7);
    assert_int_equal(rejected_lines[1], 8);
    assert_true(progress_calls >= 1); /* at the end at least */
    assert_int_equal(progress_last, strlen(text));
    const lss_customer *c;
    const lss_deal *d;
    assert_int_equal(lss_customer_find(&c, db, "c"), LSS_OK);
    assert_int_equal(lss_customer_added_at(c), T("2025-03-01T09:30:00Z")); /* +01:00 */
    assert_string_equal(lss_customer_name(c), "Zoë");
    assert_int_equal(lss_deal_find(&d, db, "d"), LSS_OK);
    assert_int_equal(lss_deal_opened_at(d), T("2025-03-01T09:30:00Z")); /* fraction dropped */
    assert_int_equal(lss_deal_amount(d), 9950);
    lss_deal_change ch;
    assert_int_equal(lss_deal_history_get(&ch, d, 0), LSS_OK);
    assert_int_equal(ch.amount, 123400); /* an integer is whole units */
    lss_db_close(db);
}

static void test_db_config_and_single_events(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_apply_json(db, "{\"type\":\"db.config\",\"at\":\"2025-01-01\",\"currency\":\"CHF\","
                                        "\"pipeline\":\"lenient\"}"),
                     LSS_OK);
    assert_string_equal(lss_db_currency(db), "CHF");
    assert_int_equal(lss_db_pipeline(db), LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_apply_json(db, "{\"type\":\"member.add\",\"at\":0,\"key\":\"m\",\"name\":\"M\",\"role\":\"sales\"}"),
                     LSS_OK);
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"member.add\",\"at\":0,\"key\":\"m\",\"name\":\"M\",\"role\":\"boss\"}"),
                      LSS_INVALID, "member.add: field \"role\": \"boss\" is not a role (expected sales, service or both)");
    assert_null(strstr(lss_db_errmsg(db), "line"));
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"db.config\",\"at\":0,\"currency\":\"EUR\"}"), LSS_INVALID,
                      "only as the first event of an empty database");
    assert_string_equal(lss_db_currency(db), "CHF");
    /* a failed atomic import puts a db.config back */
    lss_db *e = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(import_text(e, "{\"type\":\"db.config\",\"at\":0,\"currency\":\"JPY\"}\n{\"type\":\"oops\",\"at\":0}\n", 0,
                                 NULL),
                     LSS_INVALID);
    assert_string_equal(lss_db_currency(e), "EUR");
    assert_status_msg(e, import_text(e, "{\"type\":\"db.config\",\"at\":0,\"currency\":\"eur\"}\n", 0, NULL),
                      LSS_INVALID, "not an ISO 4217 code");
    /* import runs its own transaction */
    assert_int_equal(lss_tx_begin(e), LSS_OK);
    assert_status_msg(e, import_text(e, "", 0, NULL), LSS_MISUSE, "its own transaction");
    assert_int_equal(lss_tx_rollback(e), LSS_OK);
    lss_db_close(e);
    lss_db_close(db);
}

static void test_generator_is_deterministic_and_follows_the_rules(void **state)
{
    (void)state;
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 500;
    g.seed = 42;
    lss_db *a = open_db(LSS_PIPELINE_STRICT), *b = open_db(LSS_PIPELINE_STRICT), *c = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_generate(a, &g), LSS_OK);
    assert_int_equal(lss_generate(b, &g), LSS_OK);
    g.seed = 43;
    assert_int_equal(lss_generate(c, &g), LSS_OK);
    char *ea = export_text(a), *eb = export_text(b), *ec = export_text(c);
    /* the export's progress: events written of the total, ending at the total */
    lss_export_options eo = LSS_EXPORT_OPTIONS_INIT;
    eo.progress = on_progress;
    progress_calls = 0;
    progress_last = 0;
    FILE *sink = fopen("/dev/null", "w");
    assert_int_equal(lss_export_stream(a, sink, &eo), LSS_OK);
    fclose(sink);
    assert_true(progress_calls >= 1);
    assert_int_equal(progress_last, lss_db_event_count(a));
    assert_string_equal(ea, eb);
    assert_string_not_equal(ea, ec);
    /* something of everything */
    assert_int_equal(lss_customer_count(a), 500);
    assert_true(lss_deal_count(a) > 300);
    assert_true(lss_ticket_count(a) > 100);
    assert_true(lss_activity_count(a) > 300);
    static const char *const kinds[] = { "\"deal.win\"", "\"deal.lose\"", "\"deal.reopen\"", "\"deal.assign\"",
                                         "\"deal.amount\"", "\"ticket.wait\"", "\"ticket.reopen\"", "\"ticket.rate\"",
                                         "\"customer.churn\"", "\"quota.set\"", "\"referral\"", "\"presales\"" };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (strstr(ea, kinds[k]) == NULL)
            fail_msg("the generated company has no %s", kinds[k]);
    /* nothing after the period */
    assert_true(lss_db_last_time(a) < g.start + (lss_time)g.days * 86400);
    assert_status_msg(a, lss_generate(a, &g), LSS_MISUSE, "must be empty");
    g.customers = 0;
    assert_int_equal(lss_generate(c, &g), LSS_INVALID);
    free(ea);
    free(eb);
    free(ec);
    lss_db_close(a);
    lss_db_close(b);
    lss_db_close(c);
}

static int cmp_line(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The export's lines sorted (the same events in any order give the same). */
static char *sorted_lines(char *text, size_t *count)
{
    size_t n = 0, cap = 1024, len = strlen(text);
    char **lines = malloc(cap * sizeof *lines);
    for (char *p = strtok(text, "\n"); p; p = strtok(NULL, "\n")) {
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof *lines);
        lines[n++] = p;
    }
    qsort(lines, n, sizeof *lines, cmp_line);
    char *out = malloc(len + 2), *q = out;
    for (size_t k = 0; k < n; k++)
        q += sprintf(q, "%s\n", lines[k]);
    *q = '\0';
    free(lines);
    *count = n;
    return out;
}

/* Are the export's "at" times non-decreasing? */
static bool in_time_order(const char *text)
{
    char last[32] = "";
    for (const char *p = strstr(text, "\"at\":\""); p; p = strstr(p + 1, "\"at\":\"")) {
        char at[32];
        memcpy(at, p + 6, 20);
        at[20] = '\0';
        if (strcmp(at, last) < 0)
            return false;
        memcpy(last, at, sizeof at);
        p = strchr(p, '\n'); /* one "at" per line: the event's time first */
        if (p == NULL)
            break;
    }
    return true;
}

static char *report_json(lss_db *db, lss_time from, lss_time to)
{
    lss_query q = LSS_QUERY_INIT;
    q.from = from;
    q.to = to;
    lss_report *r;
    char *json;
    assert_int_equal(lss_report_run(&r, db, &q), LSS_OK);
    assert_int_equal(lss_report_render(&json, NULL, r, LSS_REPORT_JSON), LSS_OK);
    lss_report_free(r);
    return json;
}

static uint64_t order_progress_last, order_progress_total;
static void on_order_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    assert_true(done >= order_progress_last && done <= total);
    order_progress_last = done;
    order_progress_total = total;
}

/* By time and by customer, the generator writes the same events: the same
 * state and the same reports, as of the end and of any moment; by time the
 * events are in time order and the stories interleave. */
static void test_generator_orders_give_the_same_company(void **state)
{
    (void)state;
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 800;
    lss_db *a = open_db(LSS_PIPELINE_STRICT), *b = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_generate(a, &g), LSS_OK);
    g.order = LSS_GENERATE_BY_TIME;
    g.progress = on_order_progress;
    assert_int_equal(lss_generate(b, &g), LSS_OK);
    assert_int_equal(order_progress_total, 2u * g.customers);
    assert_int_equal(order_progress_last, order_progress_total);
    assert_int_equal(lss_db_event_count(a), lss_db_event_count(b));
    assert_int_equal(lss_deal_count(a), lss_deal_count(b));
    assert_int_equal(lss_ticket_count(a), lss_ticket_count(b));
    char *ea = export_text(a), *eb = export_text(b);
    assert_string_not_equal(ea, eb);
    assert_false(in_time_order(ea));
    assert_true(in_time_order(eb));
    size_t na, nb;
    char *sa = sorted_lines(ea, &na), *sb = sorted_lines(eb, &nb);
    assert_int_equal(na, lss_db_event_count(a) + 1); /* and the db.config line */
    assert_int_equal(na, nb);
    assert_string_equal(sa, sb);
    lss_time end = g.start + (lss_time)g.days * 86400;
    for (lss_time to = g.start + 30 * 86400; to <= end; to += 167 * 86400) {
        char *ra = report_json(a, g.start, to), *rb = report_json(b, g.start, to);
        assert_string_equal(ra, rb);
        lss_free(ra);
        lss_free(rb);
    }
    /* the order option: checked, and not read from version-1 options */
    lss_db *c = open_db(LSS_PIPELINE_STRICT);
    g.progress = NULL;
    g.order = (lss_generate_order)7;
    assert_status_msg(c, lss_generate(c, &g), LSS_INVALID, "order 7 is not by customer (0) or by time (1)");
    assert_int_equal(lss_db_event_count(c), 0);
    g.version = 3;
    assert_status_msg(c, lss_generate(c, &g), LSS_VERSION, "version 3 is not supported");
    g.version = 1;
    g.customers = 50;
    assert_int_equal(lss_generate(c, &g), LSS_OK); /* version 1: by customer, whatever follows the struct */
    lss_generate_order o;
    assert_int_equal(lss_generate_order_parse(&o, "time"), LSS_OK);
    assert_int_equal(o, LSS_GENERATE_BY_TIME);
    assert_int_equal(lss_generate_order_parse(&o, "customer"), LSS_OK);
    assert_int_equal(o, LSS_GENERATE_BY_CUSTOMER);
    assert_int_equal(lss_generate_order_parse(&o, "random"), LSS_INVALID);
    assert_non_null(strstr(lss_errmsg(), "expected customer or time"));
    assert_string_equal(lss_generate_order_name(LSS_GENERATE_BY_TIME), "time");
    assert_null(lss_generate_order_name(2));
    free(sa);
    free(sb);
    free(ea);
    free(eb);
    lss_db_close(a);
    lss_db_close(b);
    lss_db_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_import_export_is_identical),
        cmocka_unit_test(test_the_spec_example_imports),
        cmocka_unit_test(test_bad_lines_name_line_field_and_reason_and_change_nothing),
        cmocka_unit_test(test_streams_options_and_io_errors),
        cmocka_unit_test(test_texts_that_need_escaping_round_trip),
        cmocka_unit_test(test_a_failed_import_takes_back_its_db_config),
        cmocka_unit_test(test_spellings_blank_lines_crlf_callbacks),
        cmocka_unit_test(test_db_config_and_single_events),
        cmocka_unit_test(test_generator_is_deterministic_and_follows_the_rules),
        cmocka_unit_test(test_generator_orders_give_the_same_company),
    };
    return cmocka_run_group_tests(tests, tmp_group_setup, tmp_group_teardown);
}
