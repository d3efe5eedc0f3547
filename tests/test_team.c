/* Team members and quotas. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static char *str_of(size_t n, char c)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_member_add_and_lookup(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    const lss_member *m = NULL, *f = NULL;
    assert_int_equal(lss_member_add(&m, db, 100, "m-anna", "Anna Berg", LSS_ROLE_SALES, "DACH"), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 100, "m-ben", "Ben Ortiz", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 100, "m-cy", "Cy", LSS_ROLE_BOTH, "DACH"), LSS_OK);
    assert_string_equal(lss_member_key(m), "m-anna");
    assert_string_equal(lss_member_name(m), "Anna Berg");
    assert_string_equal(lss_member_team(m), "DACH");
    assert_int_equal(lss_member_role(m), LSS_ROLE_SALES);
    assert_int_equal(lss_member_added_at(m), 100);
    assert_int_equal(lss_member_find(&f, db, "m-ben"), LSS_OK);
    assert_null(lss_member_team(f));
    assert_int_equal(lss_member_id(f), 1);
    assert_int_equal(lss_member_count(db), 3);
    /* two members of one team share one team string */
    assert_int_equal(lss_member_by_id(&f, db, 2), LSS_OK);
    assert_ptr_equal(lss_member_team(f), lss_member_team(m));
    assert_status_msg(db, lss_member_find(&f, db, "m-zed"), LSS_NOT_FOUND, "member \"m-zed\" does not exist");
    assert_null(f);
    assert_int_equal(lss_member_by_id(&f, db, 3), LSS_NOT_FOUND);
    char *before = dump(db);
    assert_status_msg(db, lss_member_add(NULL, db, 100, "m-anna", "Again", LSS_ROLE_SALES, NULL), LSS_EXISTS,
                      "member.add: member \"m-anna\" already exists");
    assert_status_msg(db, lss_member_add(NULL, db, 100, "m-x", "X", (lss_role)3, NULL), LSS_INVALID, "field \"role\"");
    assert_status_msg(db, lss_member_add(NULL, db, 100, "m-x", NULL, LSS_ROLE_SALES, NULL), LSS_INVALID,
                      "field \"name\" is required");
    assert_status_msg(db, lss_member_add(NULL, db, 100, "m-x", "X", LSS_ROLE_SALES, ""), LSS_INVALID,
                      "field \"team\" must not be empty");
    assert_status_msg(db, lss_member_add(NULL, db, -1, "m-x", "X", LSS_ROLE_SALES, NULL), LSS_INVALID,
                      "field \"at\"", "out of range");
    assert_status_msg(db, lss_member_add(NULL, db, LSS_TIME_MAX + 1, "m-x", "X", LSS_ROLE_SALES, NULL), LSS_INVALID,
                      "field \"at\"");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    lss_db_close(db);
}

static void test_member_field_limits(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    char *k127 = str_of(127, 'k'), *k128 = str_of(128, 'K'), *k129 = str_of(129, 'x');
    char *n255 = str_of(255, 'n'), *n256 = str_of(256, 'n'), *n257 = str_of(257, 'n');
    assert_int_equal(lss_member_add(NULL, db, 0, k127, n255, LSS_ROLE_SALES, n255), LSS_OK);
    assert_int_equal(lss_member_add(NULL, db, 0, k128, n256, LSS_ROLE_SALES, n256), LSS_OK);
    assert_status_msg(db, lss_member_add(NULL, db, 0, k129, "n", LSS_ROLE_SALES, NULL), LSS_INVALID,
                      "field \"key\": key of 129 bytes (expected 1 to 128)");
    assert_status_msg(db, lss_member_add(NULL, db, 0, "", "n", LSS_ROLE_SALES, NULL), LSS_INVALID,
                      "key of 0 bytes");
    assert_status_msg(db, lss_member_add(NULL, db, 0, "k\tx", "n", LSS_ROLE_SALES, NULL), LSS_INVALID,
                      "control character 0x09 at byte 1");
    assert_status_msg(db, lss_member_add(NULL, db, 0, "k-1", n257, LSS_ROLE_SALES, NULL), LSS_INVALID,
                      "field \"name\": 257 bytes is too long (at most 256)");
    assert_status_msg(db, lss_member_add(NULL, db, 0, "k-1", "n", LSS_ROLE_SALES, n257), LSS_INVALID,
                      "field \"team\": 257 bytes");
    assert_int_equal(lss_member_count(db), 2);
    free(k127), free(k128), free(k129), free(n255), free(n256), free(n257);
    lss_db_close(db);
}

static void test_quota_set_replace_and_validate(void **state)
{
    (void)state;
    lss_db *db = open_db(LSS_PIPELINE_STRICT);
    const lss_member *m;
    lss_quota q;
    assert_int_equal(lss_member_add(&m, db, 0, "m", "M", LSS_ROLE_SALES, NULL), LSS_OK);
    lss_time q1 = T("2025-01-01"), q2 = T("2025-04-01"), q3 = T("2025-07-01");
    assert_int_equal(lss_quota_set(db, 10, "m", q1, q2, 5000000), LSS_OK);
    assert_int_equal(lss_quota_set(db, 10, "m", q2, q3, 6000000), LSS_OK);
    assert_int_equal(lss_quota_set(db, 20, "m", q1, q2, 5500000), LSS_OK); /* replaces the first */
    assert_int_equal(lss_member_quota_count(m), 2);
    assert_int_equal(lss_member_quota_get(&q, m, 0), LSS_OK);
    assert_int_equal(q.from, q1);
    assert_int_equal(q.to, q2);
    assert_int_equal(q.target, 5500000);
    assert_int_equal(q.set_at, 20);
    assert_int_equal(lss_member_quota_get(&q, m, 1), LSS_OK);
    assert_int_equal(q.target, 6000000);
    assert_int_equal(lss_member_quota_get(&q, m, 2), LSS_NOT_FOUND);
    char *before = dump(db);
    assert_status_msg(db, lss_quota_set(db, 30, "m", q2, q1, 100), LSS_INVALID,
                      "field \"to\": 2025-01-01T00:00:00Z is not after from 2025-04-01T00:00:00Z");
    assert_status_msg(db, lss_quota_set(db, 30, "m", q1, q1, 100), LSS_INVALID, "is not after");
    assert_status_msg(db, lss_quota_set(db, 30, "m", q1, q2, 0), LSS_INVALID, "field \"amount\": 0.00 must be > 0");
    assert_status_msg(db, lss_quota_set(db, 30, "nobody", q1, q2, 1), LSS_NOT_FOUND,
                      "quota.set: member \"nobody\" does not exist");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    lss_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_member_add_and_lookup),
        cmocka_unit_test(test_member_field_limits),
        cmocka_unit_test(test_quota_set_replace_and_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
