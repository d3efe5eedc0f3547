/* Customers, their history, activities. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *str_of(size_t n, char c)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static lss_db *base(void)
{
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_member_add(NULL, db, 0, "m", "M", LSS_ROLE_SALES, NULL), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, "s", "S", LSS_ROLE_SERVICE, NULL), LSS_OK);
    return db;
}

static void test_customer_add_fields_and_referral(void **state)
{
    (void)state;
    lss_db *db = base();
    const lss_customer *a, *b, *f;
    assert_int_equal(lss_customer_add(&a, db, 100, "c-1", "Kraus GmbH", "einkauf@kraus.example", "Kraus", "smb",
                                      LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_customer_add(&b, db, 200, "c-2", "Moreau", NULL, NULL, NULL, LSS_SOURCE_REFERRAL, "c-1"),
                     LSS_OK);
    assert_string_equal(lss_customer_key(a), "c-1");
    assert_string_equal(lss_customer_name(a), "Kraus GmbH");
    assert_string_equal(lss_customer_email(a), "einkauf@kraus.example");
    assert_string_equal(lss_customer_company(a), "Kraus");
    assert_string_equal(lss_customer_segment(a), "smb");
    assert_int_equal(lss_customer_source(a), LSS_SOURCE_WEB);
    assert_null(lss_customer_referred_by(a));
    assert_int_equal(lss_customer_added_at(a), 100);
    assert_int_equal(lss_customer_churned_at(a), LSS_TIME_NONE);
    assert_null(lss_customer_email(b));
    assert_null(lss_customer_segment(b));
    assert_ptr_equal(lss_customer_referred_by(b), a);
    assert_int_equal(lss_customer_find(&f, db, "c-2"), LSS_OK);
    assert_ptr_equal(f, b);
    assert_int_equal(lss_customer_by_id(&f, db, 0), LSS_OK);
    assert_ptr_equal(f, a);
    assert_int_equal(lss_customer_count(db), 2);

    char *before = dump(db);
    assert_status_msg(db, lss_customer_add(NULL, db, 1, "c-3", "X", NULL, NULL, NULL, LSS_SOURCE_WEB, "c-1"),
                      LSS_INVALID, "referred_by\" is allowed only with source referral (source is web)");
    assert_status_msg(db, lss_customer_add(NULL, db, 1, "c-3", "X", NULL, NULL, NULL, LSS_SOURCE_REFERRAL, "c-9"),
                      LSS_NOT_FOUND, "referred_by customer \"c-9\" does not exist");
    assert_status_msg(db, lss_customer_add(NULL, db, 1, "c-1", "X", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                      LSS_EXISTS, "customer.add: customer \"c-1\" already exists");
    assert_status_msg(db, lss_customer_add(NULL, db, 1, "c-3", "X", NULL, NULL, NULL, (lss_source)6, NULL),
                      LSS_INVALID, "field \"source\"");
    assert_status_msg(db, lss_customer_add(NULL, db, 1, "c-3", "X", NULL, NULL, "", LSS_SOURCE_WEB, NULL),
                      LSS_INVALID, "field \"segment\" must not be empty");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    lss_db_close(db);
}

static void test_customer_text_limits(void **state)
{
    (void)state;
    static const struct { const char *field; size_t max; } limits[] = {
        { "name", 256 }, { "email", 254 }, { "company", 256 }, { "segment", 256 },
    };
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
        lss_db *db = base();
        for (size_t len = limits[i].max - 1; len <= limits[i].max + 1; len++) {
            char *s = str_of(len, 'a');
            const char *f[4] = { "n", NULL, NULL, NULL };
            f[i] = s;
            char key[16] = "c-";
            key[2] = (char)('0' + (len - limits[i].max + 1));
            lss_status st = lss_customer_add(NULL, db, 0, key, f[0], f[1], f[2], f[3], LSS_SOURCE_OTHER, NULL);
            if (len <= limits[i].max) {
                assert_int_equal(st, LSS_OK);
            } else {
                assert_status_msg(db, st, LSS_INVALID, limits[i].field, "too long");
            }
            free(s);
        }
        assert_int_equal(lss_customer_count(db), 2);
        lss_db_close(db);
    }
}

static void test_customer_update_keeps_history_and_segment_as_of(void **state)
{
    (void)state;
    lss_db *db = base();
    const lss_customer *c;
    assert_int_equal(lss_customer_add(&c, db, 100, "c", "Old", "a@x", NULL, "smb", LSS_SOURCE_EVENT, NULL), LSS_OK);
    const char *old_name = lss_customer_name(c);
    assert_int_equal(lss_customer_update(db, 200, "c", "New", NULL, "NewCo", "enterprise"), LSS_OK);
    assert_int_equal(lss_customer_update(db, 300, "c", NULL, "b@x", NULL, NULL), LSS_OK);
    assert_string_equal(lss_customer_name(c), "New");
    assert_string_equal(lss_customer_email(c), "b@x");
    assert_string_equal(lss_customer_company(c), "NewCo");
    assert_string_equal(lss_customer_segment(c), "enterprise");
    assert_string_equal(old_name, "Old"); /* earlier strings stay valid */
    assert_int_equal(lss_customer_change_count(c), 2);
    lss_customer_change ch;
    assert_int_equal(lss_customer_change_get(&ch, c, 0), LSS_OK);
    assert_int_equal(ch.at, 200);
    assert_int_equal(ch.kind, LSS_CUSTOMER_UPDATED);
    assert_string_equal(ch.name, "New");
    assert_null(ch.email);
    assert_string_equal(ch.segment, "enterprise");
    assert_int_equal(lss_customer_change_get(&ch, c, 2), LSS_NOT_FOUND);
    assert_null(lss_customer_segment_at(c, 100)); /* not yet added */
    assert_string_equal(lss_customer_segment_at(c, 101), "smb");
    assert_string_equal(lss_customer_segment_at(c, 200), "smb");
    assert_string_equal(lss_customer_segment_at(c, 201), "enterprise");

    char *before = dump(db);
    assert_status_msg(db, lss_customer_update(db, 400, "c", NULL, NULL, NULL, NULL), LSS_INVALID,
                      "customer \"c\": give at least one of name, email, company, segment");
    assert_status_msg(db, lss_customer_update(db, 400, "zz", "N", NULL, NULL, NULL), LSS_NOT_FOUND,
                      "customer.update: customer \"zz\" does not exist");
    assert_status_msg(db, lss_customer_update(db, 400, "c", "ok", "\xC0\x80", NULL, NULL), LSS_INVALID,
                      "field \"email\" is not valid UTF-8");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    lss_db_close(db);
}

static void test_customer_churn(void **state)
{
    (void)state;
    lss_db *db = base();
    const lss_customer *c;
    assert_int_equal(lss_customer_add(&c, db, 100, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_churn(db, 500, "c"), LSS_OK);
    assert_int_equal(lss_customer_churned_at(c), 500);
    lss_customer_change ch;
    assert_int_equal(lss_customer_change_get(&ch, c, 0), LSS_OK);
    assert_int_equal(ch.kind, LSS_CUSTOMER_CHURNED);
    assert_int_equal(ch.at, 500);
    assert_status_msg(db, lss_customer_churn(db, 500, "x"), LSS_NOT_FOUND, "customer.churn: customer \"x\"");
    lss_db_close(db);
}

static void test_activities_are_logged_and_listed_per_customer(void **state)
{
    (void)state;
    lss_db *db = base();
    const lss_activity *a1, *a2, *a3;
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c2", "C2", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    assert_int_equal(lss_deal_open(NULL, db, 10, "d", "c", "m", 100, NULL, LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_activity_log(&a1, db, 20, "c", "m", LSS_ACTIVITY_DEMO, LSS_CHANNEL_IN_PERSON, 3600, "d",
                                      "showed the docking"),
                     LSS_OK);
    assert_int_equal(lss_activity_log(&a2, db, 25, "c2", "s", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, -1, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_activity_log(&a3, db, 15, "c", "s", LSS_ACTIVITY_TRAINING, LSS_CHANNEL_WEB, 0, NULL, NULL),
                     LSS_OK);
    assert_int_equal(lss_activity_count(db), 3);
    assert_int_equal(lss_activity_at(a1), 20);
    assert_string_equal(lss_customer_key(lss_activity_customer(a1)), "c");
    assert_string_equal(lss_member_key(lss_activity_member(a1)), "m");
    assert_string_equal(lss_deal_key(lss_activity_deal(a1)), "d");
    assert_int_equal(lss_activity_kind_of(a1), LSS_ACTIVITY_DEMO);
    assert_int_equal(lss_activity_channel(a1), LSS_CHANNEL_IN_PERSON);
    assert_int_equal(lss_activity_duration(a1), 3600);
    assert_string_equal(lss_activity_note(a1), "showed the docking");
    assert_int_equal(lss_activity_duration(a2), -1);
    assert_null(lss_activity_deal(a2));
    assert_null(lss_activity_note(a2));
    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, db, "c"), LSS_OK);
    assert_ptr_equal(lss_customer_first_activity(c), a1);
    assert_ptr_equal(lss_activity_next_of_customer(a1), a3);
    assert_null(lss_activity_next_of_customer(a3));
    const lss_activity *byid;
    assert_int_equal(lss_activity_by_id(&byid, db, 1), LSS_OK);
    assert_ptr_equal(byid, a2);
    assert_int_equal(lss_activity_id(a2), 1);

    char *before = dump(db);
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c2", "m", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 1, "d", NULL),
                      LSS_INVALID, "deal \"d\" belongs to customer \"c\", not \"c2\"");
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c", "m", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 31536001, NULL,
                                           NULL),
                      LSS_INVALID, "field \"duration\": 31536001 is out of range");
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c", "m", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, -2, NULL, NULL),
                      LSS_INVALID, "field \"duration\"");
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c", "nobody", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 1, NULL,
                                           NULL),
                      LSS_NOT_FOUND, "member \"nobody\" does not exist");
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c", "m", (lss_activity_kind)9, LSS_CHANNEL_PHONE, 1, NULL,
                                           NULL),
                      LSS_INVALID, "kind 9");
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c", "m", LSS_ACTIVITY_CALL, (lss_channel)6, 1, NULL, NULL),
                      LSS_INVALID, "channel 6");
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c", "m", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 1, "dx", NULL),
                      LSS_NOT_FOUND, "deal \"dx\" does not exist");
    char *note = str_of(4097, 'n');
    assert_status_msg(db, lss_activity_log(NULL, db, 30, "c", "m", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 1, NULL, note),
                      LSS_INVALID, "field \"note\": 4097 bytes is too long (at most 4096)");
    note[4096] = '\0';
    char *after = dump(db);
    assert_string_equal(before, after);
    assert_int_equal(lss_activity_log(NULL, db, 30, "c", "m", LSS_ACTIVITY_CALL, LSS_CHANNEL_PHONE, 31536000, NULL,
                                      note),
                     LSS_OK);
    free(note);
    free(before);
    free(after);
    lss_db_close(db);
}

/* customer.nps: scores 0-10, the latest before a moment, erasure removes the comment, round trip. */
static void test_customer_nps(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    assert_int_equal(lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL), LSS_OK);
    const lss_customer *c;
    assert_int_equal(lss_customer_find(&c, db, "c"), LSS_OK);
    assert_int_equal(lss_customer_nps_at(c, 100, NULL), -1);
    uint64_t h = dump_hash(db);
    assert_status_msg(db, lss_customer_nps(db, 10, "c", 11, NULL), LSS_INVALID,
                      "customer.nps: customer \"c\": field \"score\": 11 is out of range (0 to 10)");
    assert_status_msg(db, lss_customer_nps(db, 10, "c", -1, NULL), LSS_INVALID, "-1 is out of range");
    assert_status_msg(db, lss_customer_nps(db, 10, "nobody", 5, NULL), LSS_NOT_FOUND,
                      "customer.nps: customer \"nobody\" does not exist");
    assert_int_equal(dump_hash(db), h);
    assert_int_equal(lss_customer_nps(db, 10, "c", 6, "slow delivery"), LSS_OK);
    assert_int_equal(lss_customer_nps(db, 20, "c", 10, NULL), LSS_OK);
    lss_time at;
    assert_int_equal(lss_customer_nps_at(c, 10, &at), -1);
    assert_int_equal(at, LSS_TIME_NONE);
    assert_int_equal(lss_customer_nps_at(c, 11, &at), 6);
    assert_int_equal(at, 10);
    assert_int_equal(lss_customer_nps_at(c, 21, NULL), 10);
    assert_string_equal(lss_customer_name(c), "C"); /* an answer changes no field */
    lss_customer_change ch;
    assert_int_equal(lss_customer_change_get(&ch, c, 0), LSS_OK);
    assert_int_equal(ch.kind, LSS_CUSTOMER_NPS);
    assert_int_equal(ch.score, 6);
    assert_string_equal(ch.comment, "slow delivery");
    assert_null(ch.name);
    /* export and import give the same state */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(lss_export_stream(db, f, NULL), LSS_OK);
    fclose(f);
    assert_non_null(strstr(buf, "{\"type\":\"customer.nps\",\"at\":\"1970-01-01T00:00:10Z\",\"customer\":\"c\","
                                "\"score\":6,\"comment\":\"slow delivery\"}\n"));
    lss_db *b = open_db(LSS_PIPELINE_STRICT);
    f = fmemopen(buf, len, "r");
    assert_int_equal(lss_import_stream(b, f, NULL, NULL), LSS_OK);
    fclose(f);
    assert_int_equal(dump_hash(b), dump_hash(db));
    lss_db_close(b);
    free(buf);
    /* erasure removes the comment, keeps the score */
    assert_int_equal(lss_customer_erase(db, 30, "c"), LSS_OK);
    assert_int_equal(lss_customer_change_get(&ch, c, 0), LSS_OK);
    assert_null(ch.comment);
    assert_int_equal(ch.score, 6);
    assert_int_equal(lss_customer_nps_at(c, 31, NULL), 10);
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_customer_add_fields_and_referral),
        cmocka_unit_test(test_customer_text_limits),
        cmocka_unit_test(test_customer_update_keeps_history_and_segment_as_of),
        cmocka_unit_test(test_customer_churn),
        cmocka_unit_test(test_activities_are_logged_and_listed_per_customer),
        cmocka_unit_test(test_customer_nps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
