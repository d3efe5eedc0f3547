/* Times, money, text validation and enum spellings. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static void test_time_parse_accepts_the_spec_forms(void **state)
{
    (void)state;
    lss_time t;
    assert_int_equal(lss_time_parse(&t, "2024-03-01T09:30:00Z"), LSS_OK);
    assert_int_equal(t, 1709285400);
    assert_int_equal(lss_time_parse(&t, "2024-03-01T10:30:00+01:00"), LSS_OK);
    assert_int_equal(t, 1709285400);
    assert_int_equal(lss_time_parse(&t, "2024-03-01T04:00:00-05:30"), LSS_OK);
    assert_int_equal(t, 1709285400);
    assert_int_equal(lss_time_parse(&t, "2024-03-01T09:30:00.987Z"), LSS_OK); /* fraction dropped */
    assert_int_equal(t, 1709285400);
    assert_int_equal(lss_time_parse(&t, "2024-03-01"), LSS_OK);
    assert_int_equal(t, 1709251200);
    assert_int_equal(lss_time_parse(&t, "1970-01-01"), LSS_OK);
    assert_int_equal(t, 0);
    assert_int_equal(lss_time_parse(&t, "9999-12-31T23:59:59Z"), LSS_OK);
    assert_int_equal(t, LSS_TIME_MAX);
    assert_int_equal(lss_time_parse(&t, "2024-02-29"), LSS_OK);
}

static void test_time_parse_rejects_bad_input_and_leaves_output(void **state)
{
    (void)state;
    static const char *const bad[] = { "", "2024-3-01", "2024-03-01T09:30Z", "2024-03-01 09:30:00Z",
                                       "2024-03-01T09:30:00", "2024-03-01T09:30:00+0100", "2024-03-01x",
                                       "2023-02-29", "2024-13-01", "2024-00-10", "1969-12-31",
                                       "1970-01-01T00:00:00+00:01", "10000-01-01", "2024-03-01T24:00:00Z",
                                       "2024-03-01T09:30:00.Z" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lss_time t = 42;
        lss_status st = lss_time_parse(&t, bad[i]);
        if (st != LSS_INVALID)
            fail_msg("\"%s\" parsed with %s", bad[i], lss_status_name(st));
        assert_int_equal(t, 42);
        assert_non_null(strstr(lss_errmsg(), bad[i]));
    }
}

static void test_time_parse_edge_forms(void **state)
{
    (void)state;
    lss_time t = 0;
    /* lower-case t and z, a leap second (held at :59), offsets at their limits */
    assert_int_equal(lss_time_parse(&t, "2016-12-31t23:59:60z"), LSS_OK);
    assert_int_equal(t, 1483228799);
    assert_int_equal(lss_time_parse(&t, "2024-03-01T23:59:00+23:59"), LSS_OK);
    assert_int_equal(t, 1709251200 + 86340 - (23 * 3600 + 59 * 60));
    static const char *const bad[] = {
        "2024-03-01T09:30:00.", "2024-03-01T09:30:00+24:00", "2024-03-01T09:30:00+01:60", "2024-03-01T09:30:00+1:00",
        "2024-03-01T09:61:00Z", "2024-03-01T09:30:61Z", "2024-03-32", "2024-04-31", "2024-03-01T", "2024-03-01T0:30:00Z",
        "2024-03-01T09-30-00Z", "20x4-03-01", "2024/03/01", "2024-03-01T09:30:00Zjunk",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t = 7;
        if (lss_time_parse(&t, bad[i]) != LSS_INVALID || t != 7)
            fail_msg("\"%s\" parsed", bad[i]);
    }
    assert_int_equal(lss_time_parse(NULL, "2024-03-01"), LSS_INVALID);
    assert_int_equal(lss_time_parse(&t, NULL), LSS_INVALID);
    char buf[LSS_TIME_BUFSIZE];
    assert_int_equal(lss_time_format(NULL, sizeof buf, 0), LSS_INVALID);
}

static void test_time_format_round_trips(void **state)
{
    (void)state;
    char buf[LSS_TIME_BUFSIZE];
    static const lss_time ts[] = { 0, 1, 86399, 951782400 /* 2000-02-29 */, 1709285400, LSS_TIME_MAX };
    for (size_t i = 0; i < sizeof ts / sizeof *ts; i++) {
        lss_time back;
        assert_int_equal(lss_time_format(buf, sizeof buf, ts[i]), LSS_OK);
        assert_int_equal(lss_time_parse(&back, buf), LSS_OK);
        assert_int_equal(back, ts[i]);
    }
    assert_int_equal(lss_time_format(buf, sizeof buf, 1709285400), LSS_OK);
    assert_string_equal(buf, "2024-03-01T09:30:00Z");
    assert_int_equal(lss_time_format(buf, sizeof buf, -1), LSS_INVALID);
    assert_int_equal(lss_time_format(buf, sizeof buf, LSS_TIME_MAX + 1), LSS_INVALID);
    assert_int_equal(lss_time_format(buf, LSS_TIME_BUFSIZE - 1, 0), LSS_INVALID);
}

static void test_money_parse_exact_and_overflow(void **state)
{
    (void)state;
    lss_money m;
    assert_int_equal(lss_money_parse(&m, "1234.56"), LSS_OK);
    assert_int_equal(m, 123456);
    assert_int_equal(lss_money_parse(&m, "1234.5"), LSS_OK);
    assert_int_equal(m, 123450);
    assert_int_equal(lss_money_parse(&m, "1234"), LSS_OK);
    assert_int_equal(m, 123400);
    assert_int_equal(lss_money_parse(&m, "0.07"), LSS_OK);
    assert_int_equal(m, 7);
    assert_int_equal(lss_money_parse(&m, "-0.07"), LSS_OK);
    assert_int_equal(m, -7);
    assert_int_equal(lss_money_parse(&m, "92233720368547758.07"), LSS_OK);
    assert_int_equal(m, INT64_MAX);
    assert_int_equal(lss_money_parse(&m, "-92233720368547758.08"), LSS_OK);
    assert_int_equal(m, INT64_MIN);
    m = 5;
    assert_int_equal(lss_money_parse(&m, "92233720368547758.08"), LSS_OVERFLOW);
    assert_int_equal(lss_money_parse(&m, "100000000000000000000"), LSS_OVERFLOW);
    assert_int_equal(lss_money_parse(&m, "922337203685477580.7"), LSS_OVERFLOW);   /* in the fraction */
    assert_int_equal(lss_money_parse(&m, "92233720368547758.1"), LSS_OVERFLOW);    /* padding the fraction */
    assert_int_equal(lss_money_parse(&m, "922337203685477580"), LSS_OVERFLOW);     /* x 100 */
    assert_int_equal(m, 5);
    assert_int_equal(lss_money_parse(NULL, "1"), LSS_INVALID);
    assert_int_equal(lss_money_parse(&m, NULL), LSS_INVALID);
    char mb[LSS_MONEY_BUFSIZE];
    assert_int_equal(lss_money_format(NULL, sizeof mb, 1), LSS_INVALID);
    assert_int_equal(lss_money_format(mb, 3, 1), LSS_INVALID);
    static const char *const bad[] = { "", "-", ".5", "5.", "1.234", "1e3", "1,5", " 1", "1 ", "+1", "0x10", "1.2.3" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lss_status st = lss_money_parse(&m, bad[i]);
        if (st != LSS_INVALID)
            fail_msg("\"%s\" parsed with %s", bad[i], lss_status_name(st));
        assert_int_equal(m, 5);
    }
}

static void test_money_format_two_decimals(void **state)
{
    (void)state;
    char buf[LSS_MONEY_BUFSIZE];
    assert_int_equal(lss_money_format(buf, sizeof buf, 0), LSS_OK);
    assert_string_equal(buf, "0.00");
    assert_int_equal(lss_money_format(buf, sizeof buf, -1205), LSS_OK);
    assert_string_equal(buf, "-12.05");
    assert_int_equal(lss_money_format(buf, sizeof buf, INT64_MIN), LSS_OK);
    assert_string_equal(buf, "-92233720368547758.08");
    assert_int_equal(lss_money_format(buf, sizeof buf, INT64_MAX), LSS_OK);
    assert_string_equal(buf, "92233720368547758.07");
    assert_int_equal(lss_money_format(buf, 4, 0), LSS_INVALID);
}

/* Text goes through customer.add's name; each case must be refused with the
 * field named and nothing added. */
static void test_invalid_utf8_is_rejected_everywhere(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xC0\xAF",             /* overlong '/' */
        "\xE0\x80\xAF",         /* overlong, 3 bytes */
        "\xF0\x80\x80\xAF",     /* overlong, 4 bytes */
        "\xED\xA0\x80",         /* surrogate U+D800 */
        "\xED\xBF\xBF",         /* surrogate U+DFFF */
        "\xF4\x90\x80\x80",     /* U+110000 */
        "\xF5\x80\x80\x80",     /* lead byte past F4 */
        "\xC3",                 /* truncated 2-byte */
        "ab\xE2\x82",           /* truncated 3-byte */
        "\xF0\x9F\x98",         /* truncated 4-byte */
        "\x80",                 /* lone continuation */
        "a\xFFz",               /* invalid byte */
    };
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_status_msg(db, lss_customer_add(NULL, db, 0, "c", bad[i], NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                          LSS_INVALID, "customer.add", "field \"name\"", "not valid UTF-8");
        assert_status_msg(db, lss_customer_add(NULL, db, 0, bad[i], "n", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                          LSS_INVALID, "field \"key\"");
    }
    assert_int_equal(lss_customer_count(db), 0);
    /* valid multi-byte text at the edges is accepted */
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "\xC2\x80 \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xF4\x8F\xBF\xBF "
                                                       "Kraus GmbH \xF0\x9F\x98\x80",
                                      NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    lss_db_close(db);
}

static void test_status_and_enum_names(void **state)
{
    (void)state;
    assert_string_equal(lss_status_name(LSS_OK), "LSS_OK");
    assert_string_equal(lss_status_name(LSS_OUT_OF_ORDER), "LSS_OUT_OF_ORDER");
    assert_string_equal(lss_status_name(LSS_MISUSE), "LSS_MISUSE");
    assert_string_equal(lss_status_name(-1), "LSS_UNKNOWN");
    assert_string_equal(lss_status_name(LSS_STATUS_COUNT), "LSS_UNKNOWN");
    /* every status has its own name */
    for (int i = 0; i < LSS_STATUS_COUNT; i++)
        for (int j = i + 1; j < LSS_STATUS_COUNT; j++)
            assert_string_not_equal(lss_status_name(i), lss_status_name(j));

    lss_stage s;
    assert_int_equal(lss_stage_parse(&s, "negotiated"), LSS_OK);
    assert_int_equal(s, LSS_STAGE_NEGOTIATED);
    assert_int_equal(lss_stage_parse(&s, "closed"), LSS_INVALID);
    assert_string_equal(lss_errmsg(), "\"closed\" is not a stage (expected prospect, qualified, presented, "
                                      "negotiated, won or lost)");
    assert_null(lss_stage_name(6));
    assert_string_equal(lss_stage_name(LSS_STAGE_LOST), "lost");
    lss_channel c;
    assert_int_equal(lss_channel_parse(&c, "in_person"), LSS_OK);
    assert_int_equal(c, LSS_CHANNEL_IN_PERSON);
    assert_string_equal(lss_channel_name(LSS_CHANNEL_SOCIAL), "social");
    lss_activity_kind k;
    assert_int_equal(lss_activity_kind_parse(&k, "follow_up"), LSS_OK);
    assert_int_equal(k, LSS_ACTIVITY_FOLLOW_UP);
    lss_loss_reason r;
    assert_int_equal(lss_loss_reason_parse(&r, "no_budget"), LSS_OK);
    assert_int_equal(r, LSS_LOSS_NO_BUDGET);
    lss_role role;
    assert_int_equal(lss_role_parse(&role, "both"), LSS_OK);
    assert_int_equal(role, LSS_ROLE_BOTH);
    assert_int_equal(lss_role_parse(&role, NULL), LSS_INVALID);
    lss_source src;
    assert_int_equal(lss_source_parse(&src, "partner"), LSS_OK);
    assert_int_equal(src, LSS_SOURCE_PARTNER);
    lss_pipeline_mode pm;
    assert_int_equal(lss_pipeline_mode_parse(&pm, "lenient"), LSS_OK);
    assert_int_equal(pm, LSS_PIPELINE_LENIENT);
    assert_string_equal(lss_deal_change_kind_name(LSS_DEAL_REOPENED), "reopened");
    /* pinned values never change */
    assert_int_equal(LSS_STAGE_WON, 4);
    assert_int_equal(LSS_CHANNEL_SOCIAL, 5);
    assert_int_equal(LSS_ACTIVITY_OTHER, 8);
    assert_int_equal(LSS_LOCKED, 9);
}

static void test_version(void **state)
{
    (void)state;
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", LSS_VERSION_MAJOR, LSS_VERSION_MINOR, LSS_VERSION_PATCH);
    assert_string_equal(lss_version(), v);
    assert_string_equal(lss_version(), LSS_VERSION_STRING);
    assert_int_equal(lss_version_number(), LSS_VERSION_MAJOR * 10000 + LSS_VERSION_MINOR * 100 + LSS_VERSION_PATCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse_accepts_the_spec_forms),
        cmocka_unit_test(test_time_parse_rejects_bad_input_and_leaves_output),
        cmocka_unit_test(test_time_parse_edge_forms),
        cmocka_unit_test(test_time_format_round_trips),
        cmocka_unit_test(test_money_parse_exact_and_overflow),
        cmocka_unit_test(test_money_format_two_decimals),
        cmocka_unit_test(test_invalid_utf8_is_rejected_everywhere),
        cmocka_unit_test(test_status_and_enum_names),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
