/* The full report: the spec's JSON shape (parsed back with jansson), the
 * text rendering, the "as of" property (a report as of t on the whole
 * database equals the report on a database holding only the events before
 * t), and allocation failure. */
#include "testutil.h"
#include "randevents.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render(lss_db *db, const lss_query *q, lss_report_format f)
{
    lss_report *r = NULL;
    lss_status st = lss_report_run(&r, db, q);
    if (st != LSS_OK)
        fail_msg("report: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(lss_report_render(&out, &len, r, f), LSS_OK);
    assert_int_equal(len, strlen(out));
    lss_report_free(r);
    return out;
}

/* The spec's example, with the funnel written out, no quota rows, and the
 * version 2 additions of service levels (as_of, per-target compliance,
 * SLA clocks, full resolution, backlog age). */
static const char EMPTY_REPORT[] =
    "{\"window\":{\"from\":null,\"to\":\"2026-01-01T00:00:00Z\",\"as_of\":\"2026-01-01T00:00:00Z\"},\"currency\":\"EUR\","
    "\"filter\":{\"member\":null,\"team\":null,\"channel\":null,\"segment\":null,\"pipeline\":null},"
    "\"sales\":{\"deals_opened\":0,\"won\":0,\"lost\":0,\"revenue\":\"0.00\",\"win_rate\":null,"
    "\"avg_deal_size\":null,\"avg_sales_cycle_days\":null,\"lead_conversion_rate\":null,"
    "\"funnel\":[{\"stage\":\"prospect\",\"reached\":0,\"conversion\":null},"
    "{\"stage\":\"qualified\",\"reached\":0,\"conversion\":null},"
    "{\"stage\":\"presented\",\"reached\":0,\"conversion\":null},"
    "{\"stage\":\"negotiated\",\"reached\":0,\"conversion\":null},"
    "{\"stage\":\"won\",\"reached\":0,\"conversion\":null}],"
    "\"open_pipeline\":\"0.00\",\"weighted_pipeline\":\"0.00\",\"quota\":[],"
    "\"open_deals\":0,\"pipeline_velocity\":null,"
    "\"forecast\":{\"closed\":\"0.00\",\"commit\":\"0.00\",\"best_case\":\"0.00\",\"pipeline\":\"0.00\",\"weighted\":\"0.00\"},"
    "\"stage_durations\":[{\"stage\":\"prospect\",\"stays\":0,\"mean_days\":null,\"median_days\":null},"
    "{\"stage\":\"qualified\",\"stays\":0,\"mean_days\":null,\"median_days\":null},"
    "{\"stage\":\"presented\",\"stays\":0,\"mean_days\":null,\"median_days\":null},"
    "{\"stage\":\"negotiated\",\"stays\":0,\"mean_days\":null,\"median_days\":null}]},"
    "\"service\":{\"tickets_opened\":0,\"resolved\":0,\"resolution_rate\":null,\"fcr_rate\":null,"
    "\"aht_seconds\":null,\"csat_percent\":null,\"csat_mean\":null,"
    "\"first_response_seconds\":{\"mean\":null,\"median\":null,\"p90\":null},"
    "\"resolution_seconds\":{\"mean\":null,\"median\":null,\"p90\":null},"
    "\"reopen_rate\":null,\"backlog\":0,\"sla_compliance\":null,"
    "\"sla_first_response_compliance\":null,\"sla_resolution_compliance\":null,"
    "\"first_response_business_seconds\":{\"mean\":null,\"median\":null,\"p90\":null},"
    "\"resolution_business_seconds\":{\"mean\":null,\"median\":null,\"p90\":null},"
    "\"full_resolution_seconds\":{\"mean\":null,\"median\":null,\"p90\":null},"
    "\"backlog_age\":{\"lt_1d\":0,\"1d_3d\":0,\"3d_7d\":0,\"7d_30d\":0,\"ge_30d\":0},\"backlog_breached\":0},"
    "\"relationship\":{\"customers_added\":0,\"customers_converted\":0,\"active_customers\":0,"
    "\"retention_rate\":null,\"repeat_purchase_rate\":null,\"referrals\":0,\"avg_customer_value\":null,"
    "\"nps\":null,\"nps_responses\":0},"
    "\"follow_up\":{\"tasks_due\":0,\"tasks_on_time_rate\":null,\"tasks_overdue\":0}}";

static void test_empty_database_gives_the_spec_example(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    lss_query q = LSS_QUERY_INIT;
    q.to = T("2026-01-01");
    char *json = render(db, &q, LSS_REPORT_JSON);
    assert_string_equal(json, EMPTY_REPORT);
    lss_free(json);
    lss_db_close(db);
}

/* ---- a small company with a figure of every kind ---------------------- */

static lss_db *company(void)
{
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-anna", "Anna", LSS_ROLE_SALES, "DACH"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "m-ben", "Ben", LSS_ROLE_SERVICE, "Desk"), LSS_OK);
    assert_int_equal(lss_quota_set(db, 0, "m-anna", T("2025-01-01"), T("2025-04-01"), 5000000), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, T("2025-01-06"), "c-1", "K \"quoted\" \\ GmbH", NULL, NULL,
                                      "s\"mb", LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, T("2025-01-07"), "c-2", "L", NULL, NULL, NULL,
                                      LSS_SOURCE_REFERRAL, "c-1"), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, T("2025-01-06T09:30:00Z"), "d-1", "c-1", "m-anna", 1200000, NULL,
                                   LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_advance(db, T("2025-01-09"), "d-1", LSS_STAGE_NEGOTIATED), LSS_OK);
    assert_int_equal(lss_deal_win(db, T("2025-01-28T15:45:00Z"), "d-1", 1120000), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, T("2025-01-10"), "d-2", "c-2", "m-anna", 1, NULL, LSS_TIME_NONE),
                     LSS_OK);
    assert_int_equal(lss_deal_advance(db, T("2025-01-11"), "d-2", LSS_STAGE_PRESENTED), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, T("2025-01-10"), "d-3", "c-2", "m-anna", 2, NULL, LSS_TIME_NONE),
                     LSS_OK);
    assert_int_equal(lss_deal_win(db, T("2025-01-12"), "d-3", -1), LSS_OK);
    assert_int_equal(lss_ticket_open(NULL, db, T("2025-02-03T08:05:00Z"), "t-90", "c-1", LSS_TICKET_INSTALLATION,
                                     LSS_CHANNEL_PHONE, LSS_PRIORITY_HIGH, NULL, NULL), LSS_OK);
    assert_int_equal(lss_ticket_contact(db, T("2025-02-03T08:40:00Z"), "t-90", "m-ben", 540, -1), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, T("2025-02-03T09:10:00Z"), "t-90", NULL), LSS_OK);
    assert_int_equal(lss_ticket_rate(db, T("2025-02-04T10:00:00Z"), "t-90", 5, NULL), LSS_OK);
    return db;
}

static void assert_keys(json_t *obj, const char *const *keys, size_t n)
{
    assert_true(json_is_object(obj));
    assert_int_equal(json_object_size(obj), n);
    size_t i = 0;
    for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it), i++)
        assert_string_equal(json_object_iter_key(it), keys[i]);
}

static void assert_money(json_t *v, const char *want)
{
    assert_true(json_is_string(v));
    assert_string_equal(json_string_value(v), want);
}

#define KEYS(obj, ...)                                                                              \
    do {                                                                                            \
        static const char *const k_[] = { __VA_ARGS__ };                                            \
        assert_keys((obj), k_, sizeof k_ / sizeof *k_);                                             \
    } while (0)

static void test_json_parses_and_has_the_spec_shape(void **state)
{
    (void)state;
    lss_db *db = company();
    lss_query q = LSS_QUERY_INIT;
    q.from = T("2025-01-01");
    q.to = T("2025-04-01");
    q.segment = "s\"mb";
    char *text = render(db, &q, LSS_REPORT_JSON);
    json_error_t err;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL)
        fail_msg("report JSON does not parse: %s at %d: %s", err.text, err.position, text);
    KEYS(root, "window", "currency", "filter", "sales", "service", "relationship", "follow_up");
    KEYS(json_object_get(root, "window"), "from", "to", "as_of");
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "window"), "from")),
                        "2025-01-01T00:00:00Z");
    KEYS(json_object_get(root, "filter"), "member", "team", "channel", "segment", "pipeline");
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "filter"), "segment")), "s\"mb");
    assert_true(json_is_null(json_object_get(json_object_get(root, "filter"), "member")));

    json_t *s = json_object_get(root, "sales");
    KEYS(s, "deals_opened", "won", "lost", "revenue", "win_rate", "avg_deal_size", "avg_sales_cycle_days",
         "lead_conversion_rate", "funnel", "open_pipeline", "weighted_pipeline", "quota", "open_deals",
         "pipeline_velocity", "forecast", "stage_durations");
    KEYS(json_object_get(s, "forecast"), "closed", "commit", "best_case", "pipeline", "weighted");
    assert_int_equal(json_array_size(json_object_get(s, "stage_durations")), 4);
    /* segment s"mb: c-1 only: d-1 won 11200.00 after 22 d 6 h 15 min = 22.260417 days */
    assert_int_equal(json_integer_value(json_object_get(s, "won")), 1);
    assert_money(json_object_get(s, "revenue"), "11200.00");
    assert_money(json_object_get(s, "avg_deal_size"), "11200.00");
    assert_true(json_is_real(json_object_get(s, "win_rate")));
    assert_true(json_real_value(json_object_get(s, "win_rate")) == 1.0);
    assert_true(json_real_value(json_object_get(s, "avg_sales_cycle_days")) == 22.260417);
    assert_true(json_real_value(json_object_get(s, "lead_conversion_rate")) == 1.0);
    json_t *funnel = json_object_get(s, "funnel");
    assert_int_equal(json_array_size(funnel), 5);
    static const char *const stages[] = { "prospect", "qualified", "presented", "negotiated", "won" };
    for (size_t i = 0; i < 5; i++) {
        json_t *f = json_array_get(funnel, i);
        KEYS(f, "stage", "reached", "conversion");
        assert_string_equal(json_string_value(json_object_get(f, "stage")), stages[i]);
        assert_int_equal(json_integer_value(json_object_get(f, "reached")), 1);
        assert_true(i == 0 ? json_is_null(json_object_get(f, "conversion"))
                           : json_real_value(json_object_get(f, "conversion")) == 1.0);
    }
    json_t *quota = json_object_get(s, "quota");
    assert_int_equal(json_array_size(quota), 1);
    json_t *row = json_array_get(quota, 0);
    KEYS(row, "member", "from", "to", "target", "achieved", "attainment");
    assert_money(json_object_get(row, "target"), "50000.00");
    assert_money(json_object_get(row, "achieved"), "11200.00");
    assert_true(json_real_value(json_object_get(row, "attainment")) == 0.224);
    assert_string_equal(json_string_value(json_object_get(row, "to")), "2025-04-01T00:00:00Z");

    json_t *v = json_object_get(root, "service");
    KEYS(v, "tickets_opened", "resolved", "resolution_rate", "fcr_rate", "aht_seconds", "csat_percent", "csat_mean",
         "first_response_seconds", "resolution_seconds", "reopen_rate", "backlog", "sla_compliance",
         "sla_first_response_compliance", "sla_resolution_compliance", "first_response_business_seconds",
         "resolution_business_seconds", "full_resolution_seconds", "backlog_age", "backlog_breached");
    KEYS(json_object_get(v, "backlog_age"), "lt_1d", "1d_3d", "3d_7d", "7d_30d", "ge_30d");
    /* t-90: high (4 h / 24 h) around the clock, replied after 35 min, resolved after 65 min: both met */
    assert_true(json_real_value(json_object_get(v, "sla_first_response_compliance")) == 1.0);
    assert_true(json_real_value(json_object_get(v, "sla_resolution_compliance")) == 1.0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "first_response_business_seconds"),
                                                        "median")), 2100);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "full_resolution_seconds"), "p90")),
                     3900);
    KEYS(json_object_get(v, "first_response_seconds"), "mean", "median", "p90");
    KEYS(json_object_get(v, "resolution_seconds"), "mean", "median", "p90");
    assert_true(json_real_value(json_object_get(v, "csat_percent")) == 100.0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "first_response_seconds"), "median")),
                     2100);
    assert_true(json_real_value(json_object_get(v, "aht_seconds")) == 540.0);

    json_t *c = json_object_get(root, "relationship");
    KEYS(c, "customers_added", "customers_converted", "active_customers", "retention_rate", "repeat_purchase_rate",
         "referrals", "avg_customer_value", "nps", "nps_responses");
    KEYS(json_object_get(root, "follow_up"), "tasks_due", "tasks_on_time_rate", "tasks_overdue");
    assert_int_equal(json_integer_value(json_object_get(c, "customers_added")), 1);
    /* from is given, but nobody was active at from: no value */
    assert_true(json_is_null(json_object_get(c, "retention_rate")));
    json_decref(root);
    lss_free(text);

    /* without the filter, averages of money are rounded half to even at the cent:
     * d-1 11200.00 and d-3 0.02 -> 11200.02 / 2 = 5600.01; c-2's d-3 keeps lead conversion at 2 / 2 */
    q.segment = NULL;
    text = render(db, &q, LSS_REPORT_JSON);
    assert_non_null(strstr(text, "\"revenue\":\"11200.02\",\"win_rate\":1.0,\"avg_deal_size\":\"5600.01\""));
    assert_non_null(strstr(text, "\"open_pipeline\":\"0.01\",\"weighted_pipeline\":\"0.00\""));
    lss_free(text);
    lss_db_close(db);
}

/* A quota attainment's numerator is money in minor units: shown as a
 * percentage it is multiplied by 100, past 64 bits for large figures. */
static void test_text_percentages_of_large_money_are_exact(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_LENIENT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m", "M", LSS_ROLE_SALES, NULL), LSS_OK);
    const lss_money big = INT64_C(4000000000000000000); /* 4e16 EUR */
    assert_int_equal(lss_quota_set(db, 0, "m", T("2025-01-01"), T("2025-04-01"), big), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, T("2025-01-02"), "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, T("2025-01-02"), "d", "c", "m", big, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_deal_win(db, T("2025-01-03"), "d", big / 4 * 3 + 3), LSS_OK);
    lss_query q = LSS_QUERY_INIT;
    q.to = T("2025-04-01");
    char *text = render(db, &q, LSS_REPORT_TEXT);
    /* 3e18 + 3 of 4e18: 75.0000000000000000750 % */
    if (strstr(text, "     75.00 %\n") == NULL)
        fail_msg("attainment not 75.00 %%:\n%s", text);
    assert_null(strstr(text, "-1.00 %"));
    lss_free(text);
    char *json = render(db, &q, LSS_REPORT_JSON);
    if (strstr(json, "\"attainment\":0.75}") == NULL)
        fail_msg("%s", json);
    lss_free(json);
    lss_db_close(db);
}

/* Filters that name a team and a segment with characters JSON escapes; the
 * report's accessors and render refuse NULL and unknown formats. */
static void test_filters_escaping_and_render_arguments(void **state)
{
    (void)state;
    lss_db *db = company();
    assert_int_equal(lss_customer_add(NULL, db, T("2025-02-01"), "c-q", "Q", NULL, NULL, "a \"b\"\\c\nd", LSS_SOURCE_WEB,
                                      NULL),
                     LSS_OK);
    lss_query q = LSS_QUERY_INIT;
    q.to = T("2025-04-01");
    q.team = "DACH";
    q.segment = "a \"b\"\\c\nd";
    char *json = render(db, &q, LSS_REPORT_JSON);
    json_error_t err;
    json_t *root = json_loads(json, 0, &err);
    if (root == NULL)
        fail_msg("not JSON (%s): %s", err.text, json);
    json_t *filter = json_object_get(root, "filter");
    assert_string_equal(json_string_value(json_object_get(filter, "team")), "DACH");
    assert_string_equal(json_string_value(json_object_get(filter, "segment")), "a \"b\"\\c\nd");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "relationship"), "customers_added")), 1);
    json_decref(root);
    lss_free(json);
    char *text = render(db, &q, LSS_REPORT_TEXT);
    assert_non_null(strstr(text, "team=DACH"));
    assert_non_null(strstr(text, "m-anna")); /* the team's quota row */
    lss_free(text);
    lss_report *r;
    assert_int_equal(lss_report_run(&r, db, &q), LSS_OK);
    char *out = (char *)"untouched";
    assert_int_equal(lss_report_render(&out, NULL, r, (lss_report_format)7), LSS_INVALID);
    assert_int_equal(lss_report_render(NULL, NULL, r, LSS_REPORT_JSON), LSS_INVALID);
    assert_int_equal(lss_report_render(&out, NULL, NULL, LSS_REPORT_JSON), LSS_INVALID);
    assert_string_equal(out, "untouched");
    lss_quota_row row;
    assert_int_equal(lss_report_quota_get(NULL, r, 0), LSS_INVALID);
    assert_int_equal(lss_report_quota_get(&row, NULL, 0), LSS_INVALID);
    assert_int_equal(lss_report_quota_get(&row, r, 99), LSS_NOT_FOUND);
    assert_non_null(lss_report_sales(r));
    assert_non_null(lss_report_service(r));
    assert_non_null(lss_report_relationship(r));
    assert_null(lss_report_sales(NULL));
    assert_null(lss_report_service(NULL));
    assert_null(lss_report_relationship(NULL));
    lss_report_free(r);
    lss_report_free(NULL);
    assert_int_equal(lss_report_run(NULL, db, &q), LSS_INVALID);
    assert_int_equal(lss_report_run(&r, NULL, &q), LSS_INVALID);
    lss_db_close(db);
}

/* One RFC 4180 field from *p (quoted or not) into out; *p moves past it
 * and its separator; returns the separator (',' or '\n'). */
static char csv_field(const char **p, char *out, size_t size)
{
    size_t n = 0;
    const char *c = *p;
    if (*c == '"') {
        for (c++;; c++) {
            if (*c == '"' && c[1] == '"')
                c++;
            else if (*c == '"')
                break;
            assert_true(*c != '\0' && n + 1 < size);
            out[n++] = *c;
        }
        c++;
    } else {
        while (*c != ',' && *c != '\n') {
            assert_true(*c != '\0' && n + 1 < size);
            out[n++] = *c++;
        }
    }
    out[n] = '\0';
    assert_true(*c == ',' || *c == '\n');
    *p = c + 1;
    return c[0];
}

/* The JSON value at a CSV column's name (keys joined by '.', array indexes). */
static json_t *json_at(json_t *root, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s", name);
    json_t *v = root;
    for (char *save = NULL, *k = strtok_r(path, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, strtoul(k, NULL, 10)) : json_object_get(v, k);
    return v;
}

static size_t count_scalars(json_t *v)
{
    size_t n = 0, i;
    const char *k;
    json_t *e;
    if (json_is_object(v)) {
        json_object_foreach(v, k, e) n += count_scalars(e);
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, e) n += count_scalars(e);
    } else {
        n = 1;
    }
    return n;
}

/* CSV is the JSON object flattened: as many names as values, each column's
 * value the JSON scalar at its name (strings unescaped, null empty), every
 * scalar of the JSON in a column; a filter text with quotes, a comma and a
 * line break survives the quoting. */
static void test_csv_is_the_json_flattened(void **state)
{
    (void)state;
    lss_db *db = company();
    assert_int_equal(lss_customer_add(NULL, db, T("2025-02-01"), "c-q", "Q", NULL, NULL, "a \"b\",c\nd",
                                      LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    lss_query q = LSS_QUERY_INIT;
    q.to = T("2025-04-01");
    q.segment = "a \"b\",c\nd";
    for (int with_filter = 0; with_filter < 2; with_filter++) {
        const lss_query *qq = with_filter ? &q : NULL;
        char *json = render(db, qq, LSS_REPORT_JSON), *csv = render(db, qq, LSS_REPORT_CSV);
        json_error_t err;
        json_t *root = json_loads(json, 0, &err);
        assert_non_null(root);
        const char *names = csv, *values = strchr(csv, '\n');
        assert_non_null(values);
        values++;
        char name[256], value[256];
        size_t columns = 0;
        for (char a = ',', b = ','; a == ','; columns++) {
            a = csv_field(&names, name, sizeof name);
            b = csv_field(&values, value, sizeof value);
            assert_int_equal(a, b);
            json_t *v = json_at(root, name);
            if (v == NULL)
                fail_msg("column %s is not in the JSON", name);
            if (json_is_null(v))
                assert_string_equal(value, "");
            else if (json_is_string(v))
                assert_string_equal(value, json_string_value(v));
            else if (json_is_integer(v))
                assert_int_equal(strtoll(value, NULL, 10), json_integer_value(v));
            else if (json_is_real(v))
                assert_true(strtod(value, NULL) == json_real_value(v));
            else
                fail_msg("column %s is not a scalar", name);
        }
        assert_int_equal(*values, '\0'); /* two lines, nothing after */
        size_t scalars = count_scalars(root); /* every scalar of the JSON has its column */
        assert_int_equal(columns, scalars);
        if (with_filter)
            assert_non_null(strstr(csv, ",\"a \"\"b\"\",c\nd\","));
        json_decref(root);
        lss_free(json);
        lss_free(csv);
    }
    lss_db_close(db);
}

static void test_text_rendering(void **state)
{
    (void)state;
    lss_db *db = company();
    lss_query q = LSS_QUERY_INIT;
    q.to = T("2025-04-01");
    q.member = "m-anna";
    q.channel = LSS_CHANNEL_PHONE;
    char *text = render(db, &q, LSS_REPORT_TEXT);
    static const char *const lines[] = {
        "  window  - .. 2025-04-01T00:00:00Z (end exclusive)\n",
        "  filter  member=m-anna team=- channel=phone segment=- pipeline=-\n",
        "  won                                        2\n",
        "  revenue                             11200.02\n",
        "  win rate                            100.00 %\n",
        "  average deal size                    5600.01\n",
        "    presented                                3          100.00 %\n",
        "  m-anna               2025-01-01 2025-04-01         50000.00         11200.02     22.40 %\n",
        "  tickets opened                             0\n", /* m-anna is not the assignee of t-90 */
        "  retention rate                             -\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if (strstr(text, lines[i]) == NULL)
            fail_msg("text report lacks line %zu \"%s\":\n%s", i, lines[i], text);
    lss_free(text);
    lss_db_close(db);
}

static void test_report_errors_and_accessors(void **state)
{
    (void)state;
    lss_db *db = company();
    lss_report *r = (lss_report *)db; /* must be overwritten with NULL on failure */
    lss_query q = LSS_QUERY_INIT;
    q.member = "nobody";
    assert_status_msg(db, lss_report_run(&r, db, &q), LSS_INVALID, "report: filter member \"nobody\" does not exist");
    assert_null(r);
    q.member = NULL;
    q.from = T("2025-02-01");
    q.to = T("2025-01-01");
    assert_status_msg(db, lss_report_run(&r, db, &q), LSS_INVALID, "is empty or out of range");
    q.from = LSS_TIME_NONE;
    q.to = LSS_TIME_MAX + 1;
    assert_int_equal(lss_report_run(&r, db, &q), LSS_INVALID);
    q.to = LSS_TIME_NONE;
    assert_int_equal(lss_report_run(&r, db, NULL), LSS_OK);
    /* default `to`: one second after the latest event (the rating) */
    assert_int_equal(lss_report_sales(r)->to, T("2025-02-04T10:00:01Z"));
    assert_int_equal(lss_report_sales(r)->won, 2);
    assert_int_equal(lss_report_service(r)->tickets_opened, 1);
    assert_int_equal(lss_report_relationship(r)->customers_added, 2);
    char *out = (char *)"x";
    assert_int_equal(lss_report_render(&out, NULL, r, (lss_report_format)7), LSS_INVALID);
    assert_string_equal(out, "x");
    /* a snapshot: later events do not change it */
    assert_int_equal(lss_deal_open(NULL, db, T("2025-03-01"), "d-9", "c-1", "m-anna", 1, NULL, LSS_TIME_NONE),
                     LSS_OK);
    assert_int_equal(lss_report_sales(r)->deals_opened, 3);
    lss_report_free(r);
    lss_report_free(NULL);
    assert_null(lss_report_sales(NULL));
    assert_int_equal(lss_report_quota_count(NULL), 0);
    lss_db_close(db);
}

/* ---- property: as of t on everything == on the events before t --------- */

#define NEV 400

static void test_report_as_of_equals_report_of_the_prefix(void **state)
{
    (void)state;
    static ev evs[NEV];
    static lss_status full_st[NEV];
    int compared = 0, applied = 0;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        rng r = { seed * 0x9E3779B97F4A7C15u };
        int n = NEV;
        rand_events(evs, n, &r);
        lss_db *full = rand_base();
        for (int i = 0; i < n; i++) {
            full_st[i] = rand_apply(full, &evs[i]);
            applied += full_st[i] == LSS_OK;
        }
        for (int cut = 0; cut < 6; cut++) {
            /* cut at an event's own time (events at exactly t are excluded) or between events */
            lss_time t = evs[rng_pick(&r, n)].at + (cut % 2);
            lss_db *prefix = rand_base();
            for (int i = 0; i < n && evs[i].at < t; i++) {
                lss_status st = rand_apply(prefix, &evs[i]);
                if (st != full_st[i])
                    fail_msg("seed %llu event %d: %s on the prefix, %s on the whole", (unsigned long long)seed, i,
                             lss_status_name(st), lss_status_name(full_st[i]));
            }
            for (int k = 0; k < 6; k++) {
                lss_query q = LSS_QUERY_INIT;
                q.to = t;
                q.from = rng_pick(&r, 2) ? LSS_TIME_NONE : 1000 + rng_pick(&r, (int)(t - 1000 + 1));
                if (q.from >= t)
                    q.from = LSS_TIME_NONE;
                switch (k) {
                case 1: q.member = RAND_SALES[rng_pick(&r, 3)]; break;
                case 2: q.team = rng_pick(&r, 2) ? "north" : "desk"; break;
                case 3: q.channel = rng_pick(&r, 6); break;
                case 4: q.segment = RAND_SEGMENTS[rng_pick(&r, 3)]; break;
                case 5: q.member = RAND_AGENTS[rng_pick(&r, 3)]; q.segment = RAND_SEGMENTS[rng_pick(&r, 3)]; break;
                default: break;
                }
                /* as of t with the window ending at t, and (query version 3) with a window reaching past t */
                for (int past = 0; past < 2; past++) {
                    if (past) {
                        q.as_of = t;
                        q.to = t + 1 + rng_pick(&r, 20000);
                    }
                    char *a = render(full, &q, LSS_REPORT_JSON);
                    char *b = render(prefix, &q, LSS_REPORT_JSON);
                    if (strcmp(a, b) != 0)
                        fail_msg("seed %llu, as of %lld, to %lld, query %d:\nwhole:  %s\nprefix: %s",
                                 (unsigned long long)seed, (long long)t, (long long)q.to, k, a, b);
                    lss_free(a);
                    lss_free(b);
                    compared++;
                }
            }
            lss_db_close(prefix);
        }
        lss_db_close(full);
    }
    /* the sequences must exercise the engine, not just be rejected */
    assert_true(applied > 12 * NEV / 3);
    assert_int_equal(compared, 12 * 6 * 6 * 2);
}

/* A report with the ticket pass on a second thread (a database above the
 * threshold, threads 0) equals the one computed in the calling thread
 * (threads 1), for whole and partial windows, with and without filters;
 * version 1 queries (no threads field) still work, and are not written past. */
static void test_report_threads_give_the_same_report(void **state)
{
    (void)state;
    lss_db *db;
    assert_int_equal(lss_db_open(&db, NULL, NULL), LSS_OK);
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 16000;
    g.order = LSS_GENERATE_BY_TIME;
    assert_int_equal(lss_generate(db, &g), LSS_OK);
    assert_true(lss_deal_count(db) + lss_ticket_count(db) >= 5000);
    for (int k = 0; k < 5; k++) {
        lss_query q = LSS_QUERY_INIT;
        q.from = k == 0 ? LSS_TIME_NONE : g.start + k * 40 * 86400;
        q.to = k == 0 ? LSS_TIME_NONE : q.from + k * 30 * 86400;
        if (k == 3)
            q.team = "Support";
        if (k == 4)
            q.segment = "mid";
        q.threads = 0;
        char *a = render(db, &q, LSS_REPORT_JSON);
        q.threads = 1;
        char *b = render(db, &q, LSS_REPORT_JSON);
        assert_string_equal(a, b);
        lss_free(a);
        lss_free(b);
    }
    lss_query v1;
    memset(&v1, 0xAB, sizeof v1);
    assert_int_equal(lss_query_init(&v1, 1), LSS_OK);
    assert_int_equal(v1.version, 1);
    assert_int_equal(v1.threads, 0xABABABABu); /* a version 1 struct ends before it */
    lss_report *r;
    assert_int_equal(lss_report_run(&r, db, &v1), LSS_OK);
    lss_report_free(r);
    lss_query v2;
    memset(&v2, 0xAB, sizeof v2);
    assert_int_equal(lss_query_init(&v2, 2), LSS_OK);
    assert_int_equal(v2.threads, 0);
    assert_int_equal((uint64_t)v2.as_of, UINT64_C(0xABABABABABABABAB)); /* a version 2 struct ends before it */
    v2.to = g.start + 90 * 86400;
    assert_int_equal(lss_report_run(&r, db, &v2), LSS_OK); /* as of `to` */
    assert_int_equal(lss_report_as_of(r), v2.to);
    lss_report_free(r);
    assert_int_equal(lss_query_init(&v2, 4), LSS_VERSION);
    lss_query bad = LSS_QUERY_INIT;
    bad.threads = 65;
    assert_status_msg(db, lss_report_run(&r, db, &bad), LSS_INVALID, "threads 65 is out of range (0 to 64)");
    lss_db_close(db);
}

/* Each one-metric function hands out the same value as its part's getter. */
static void test_one_metric_alone_equals_the_part(void **state)
{
    (void)state;
    lss_db *db = company();
    lss_query q = LSS_QUERY_INIT;
    lss_sales_metrics s;
    lss_relationship_metrics c;
    assert_int_equal(lss_sales_metrics_get(&s, db, &q), LSS_OK);
    assert_int_equal(lss_relationship_metrics_get(&c, db, &q), LSS_OK);
    int64_t n;
    lss_money v;
    lss_ratio r;
#define SAME(fn, out, field)                                                                         \
    do {                                                                                             \
        memset(&out, 0x5a, sizeof out);                                                              \
        assert_int_equal(fn(&out, db, &q), LSS_OK);                                                  \
        assert_memory_equal(&out, &field, sizeof out);                                               \
    } while (0)
    SAME(lss_metric_deals_opened, n, s.deals_opened);
    SAME(lss_metric_won, n, s.won);
    SAME(lss_metric_lost, n, s.lost);
    SAME(lss_metric_revenue, v, s.revenue);
    SAME(lss_metric_win_rate, r, s.win_rate);
    SAME(lss_metric_avg_deal_size, r, s.avg_deal_size);
    SAME(lss_metric_avg_sales_cycle_days, r, s.avg_sales_cycle_days);
    SAME(lss_metric_open_pipeline, v, s.open_pipeline);
    SAME(lss_metric_weighted_pipeline, r, s.weighted_pipeline);
    SAME(lss_metric_lead_conversion_rate, r, s.lead_conversion_rate);
    SAME(lss_metric_customers_added, n, c.customers_added);
    SAME(lss_metric_customers_converted, n, c.customers_converted);
    SAME(lss_metric_active_customers, n, c.active_customers);
    SAME(lss_metric_retention_rate, r, c.retention_rate);
    SAME(lss_metric_repeat_purchase_rate, r, c.repeat_purchase_rate);
    SAME(lss_metric_referrals, n, c.referrals);
    SAME(lss_metric_avg_customer_value, r, c.avg_customer_value);
    lss_service_levels l;
    lss_duration_stats d;
    int64_t age[LSS_BACKLOG_AGE_BUCKETS];
    assert_int_equal(lss_service_levels_get(&l, db, &q), LSS_OK);
    SAME(lss_metric_sla_first_response_compliance, r, l.sla_first_response_compliance);
    SAME(lss_metric_sla_resolution_compliance, r, l.sla_resolution_compliance);
    SAME(lss_metric_first_response_business_seconds, d, l.first_response_business_seconds);
    SAME(lss_metric_resolution_business_seconds, d, l.resolution_business_seconds);
    SAME(lss_metric_full_resolution_seconds, d, l.full_resolution_seconds);
    SAME(lss_metric_backlog_breached, n, l.backlog_breached);
    memset(age, 0x5a, sizeof age);
    assert_int_equal(lss_metric_backlog_age(age, db, &q), LSS_OK);
    assert_memory_equal(age, l.backlog_age, sizeof age);
    assert_int_equal(l.full_resolution_seconds.count, 1);
#undef SAME
    /* not vacuous: the company has figures of these kinds */
    assert_int_equal(s.deals_opened, 3);
    assert_int_equal(s.won, 2);
    assert_int_equal(c.customers_added, 2);
    assert_int_equal(c.referrals, 1);
    assert_int_equal(lss_metric_revenue(NULL, db, &q), LSS_INVALID);
    assert_string_equal(lss_db_errmsg(db), "metric revenue: NULL argument");
    lss_db_close(db);
}

/* ---- allocation failure --------------------------------------------------- */

/* Run a report with the nth allocation failing, for n = 1, 2, ... until
 * none fails: each failure must be LSS_NOMEM with no report made, and the
 * last run must succeed. Returns how many failed. */
typedef lss_status (*report_call)(lss_report **out, void *ctx);
static int report_sweep(report_call call, void *ctx)
{
    int failures = 0;
    for (long n = 1;; n++) {
        lss_report *r = (lss_report *)ctx; /* not NULL: a failure must set it */
        fail_alloc_arm(n);
        lss_status st = call(&r, ctx);
        fail_alloc_arm(0);
        if (!fail_alloc_fired()) {
            assert_int_equal(st, LSS_OK);
            lss_report_free(r);
            return failures;
        }
        assert_int_equal(st, LSS_NOMEM);
        assert_null(r);
        failures++;
    }
}

static lss_status run_plain(lss_report **out, void *db) { return lss_report_run(out, db, NULL); }

typedef struct merge_args {
    lss_db **dbs;
    const lss_merge_options *mo;
} merge_args;

static lss_status run_merge(lss_report **out, void *ctx)
{
    const merge_args *m = ctx;
    return lss_report_merge(out, m->dbs, 2, NULL, m->mo);
}

static void test_report_out_of_memory(void **state)
{
    (void)state;
    fail_alloc_install();
    lss_db *db = company();
    int failures = report_sweep(run_plain, db);
    assert_true(failures >= 4); /* report, filter copies none, durations x2, quota rows, index */
    lss_report *r = NULL;
    assert_int_equal(lss_report_run(&r, db, NULL), LSS_OK);
    for (int f = LSS_REPORT_JSON; f <= LSS_REPORT_CSV; f++) {
        for (long n = 1;; n++) {
            char *out = (char *)"x";
            fail_alloc_arm(n);
            lss_status st = lss_report_render(&out, NULL, r, (lss_report_format)f);
            fail_alloc_arm(0);
            if (!fail_alloc_fired()) {
                assert_int_equal(st, LSS_OK);
                lss_free(out);
                break;
            }
            assert_int_equal(st, LSS_NOMEM);
            assert_string_equal(out, "x");
        }
    }
    lss_report_free(r);
    lss_db_close(db);
    assert_int_equal(fail_alloc_live(), 0);
    fail_alloc_uninstall();
}

/* lss_report_merge at the C level: a database merged with an empty one is
 * itself; arguments and options refused; every allocation may fail. (The
 * union of real shards: tests/check_merge.py.) */
static void test_report_merge(void **state)
{
    (void)state;
    lss_db *db = company(), *empty, *usd;
    assert_int_equal(lss_db_open(&empty, NULL, NULL), LSS_OK);
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    memcpy(o.currency, "USD", 4);
    assert_int_equal(lss_db_open(&usd, NULL, &o), LSS_OK);
    lss_query q = LSS_QUERY_INIT;
    q.to = T("2025-04-01");
    lss_db *both[2] = { db, empty }, *twice[2] = { db, db }, *mixed[2] = { db, usd };
    lss_report *r = (lss_report *)db;
    assert_int_equal(lss_report_merge(&r, both, 2, &q, NULL), LSS_OK);
    char *merged = NULL, *alone = render(db, &q, LSS_REPORT_JSON);
    assert_int_equal(lss_report_render(&merged, NULL, r, LSS_REPORT_JSON), LSS_OK);
    assert_string_equal(merged, alone);
    lss_free(merged);
    lss_free(alone);
    lss_report_free(r);
    both[0] = empty; /* the order does not matter */
    both[1] = db;
    assert_int_equal(lss_report_merge(&r, both, 2, &q, NULL), LSS_OK);
    alone = render(db, &q, LSS_REPORT_JSON);
    assert_int_equal(lss_report_render(&merged, NULL, r, LSS_REPORT_JSON), LSS_OK);
    assert_string_equal(merged, alone);
    lss_free(merged);
    lss_free(alone);
    lss_report_free(r);
    r = (lss_report *)db;
    assert_int_equal(lss_report_merge(&r, twice, 2, &q, NULL), LSS_INVALID);
    assert_null(r);
    assert_non_null(strstr(lss_errmsg(), "are the same database"));
    assert_int_equal(lss_report_merge(&r, mixed, 2, &q, NULL), LSS_INVALID);
    assert_non_null(strstr(lss_errmsg(), "one report needs one currency"));
    assert_int_equal(lss_report_merge(&r, both, 0, &q, NULL), LSS_INVALID);
    assert_int_equal(lss_report_merge(NULL, both, 2, &q, NULL), LSS_INVALID);
    assert_int_equal(lss_report_merge(&r, NULL, 2, &q, NULL), LSS_INVALID);
    lss_merge_options mo = LSS_MERGE_OPTIONS_INIT;
    mo.sketch_error = 0.7;
    assert_int_equal(lss_report_merge(&r, both, 2, &q, &mo), LSS_INVALID);
    mo.sketch_error = 0.01;
    mo.version = 2;
    assert_int_equal(lss_report_merge(&r, both, 2, &q, &mo), LSS_VERSION);
    q.member = "nobody";
    assert_int_equal(lss_report_merge(&r, both, 2, &q, NULL), LSS_INVALID);
    assert_string_equal(lss_errmsg(), "merge: filter member \"nobody\" does not exist");
    lss_db_close(usd);
    lss_db_close(empty);
    lss_db_close(db);
}

static void test_report_merge_out_of_memory(void **state)
{
    (void)state;
    fail_alloc_install();
    lss_db *a, *b;
    assert_int_equal(lss_db_open(&a, NULL, NULL), LSS_OK);
    assert_int_equal(lss_db_open(&b, NULL, NULL), LSS_OK);
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 60;
    assert_int_equal(lss_generate(a, &g), LSS_OK);
    lss_db *dbs[2] = { a, b };
    lss_merge_options mo = LSS_MERGE_OPTIONS_INIT;
    for (int sketch = 0; sketch < 2; sketch++) {
        mo.sketch_error = sketch ? 0.02 : 0;
        merge_args args = { dbs, &mo };
        assert_true(report_sweep(run_merge, &args) >= 8);
    }
    lss_db_close(a);
    lss_db_close(b);
    assert_int_equal(fail_alloc_live(), 0);
    fail_alloc_uninstall();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_database_gives_the_spec_example),
        cmocka_unit_test(test_json_parses_and_has_the_spec_shape),
        cmocka_unit_test(test_text_percentages_of_large_money_are_exact),
        cmocka_unit_test(test_filters_escaping_and_render_arguments),
        cmocka_unit_test(test_csv_is_the_json_flattened),
        cmocka_unit_test(test_text_rendering),
        cmocka_unit_test(test_report_errors_and_accessors),
        cmocka_unit_test(test_report_as_of_equals_report_of_the_prefix),
        cmocka_unit_test(test_report_threads_give_the_same_report),
        cmocka_unit_test(test_one_metric_alone_equals_the_part),
        cmocka_unit_test(test_report_out_of_memory),
        cmocka_unit_test(test_report_merge),
        cmocka_unit_test(test_report_merge_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
