/* Business calendars (salesservice/calendar.h): hand-computed cases in
 * Europe/Berlin and America/New_York across both clock changes, holidays,
 * fixed offsets, the TZ rule past the zone file's last transition; the
 * zone's offsets against the C library's localtime_r; business seconds
 * against a count minute by minute; add as the inverse of seconds; the
 * errors. */
#define _DEFAULT_SOURCE /* tm_gmtoff */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define H 3600

static lss_calendar *cal_new(const char *tz, const lss_hours *h, size_t n, const lss_date *hol, size_t nh)
{
    lss_calendar *c = NULL;
    lss_status st = lss_calendar_new(&c, tz, h, n, hol, nh, NULL);
    if (st != LSS_OK)
        fail_msg("lss_calendar_new(%s): %s: %s", tz, lss_status_name(st), lss_errmsg());
    return c;
}

/* Mon-Fri 09:00-17:00 */
static lss_calendar *office(const char *tz, const lss_date *hol, size_t nh)
{
    lss_hours h[5];
    for (int d = 0; d < 5; d++)
        h[d] = (lss_hours){ (lss_weekday)d, 9 * H, 17 * H };
    return cal_new(tz, h, 5, hol, nh);
}

static lss_calendar *around_the_clock(const char *tz)
{
    lss_hours h[7];
    for (int d = 0; d < 7; d++)
        h[d] = (lss_hours){ (lss_weekday)d, 0, 24 * H };
    return cal_new(tz, h, 7, NULL, 0);
}

static lss_time add(const lss_calendar *c, lss_time from, int64_t s)
{
    lss_time out = 0;
    assert_int_equal(lss_calendar_add(&out, c, from, s), LSS_OK);
    return out;
}

static int64_t secs(const lss_calendar *c, lss_time a, lss_time b)
{
    int64_t out = -1;
    assert_int_equal(lss_calendar_seconds(&out, c, a, b), LSS_OK);
    return out;
}

static lss_date D(const char *text)
{
    lss_date d;
    assert_int_equal(lss_date_parse(&d, text), LSS_OK);
    return d;
}

static void test_berlin(void **state)
{
    (void)state;
    lss_calendar *c = office("Europe/Berlin", NULL, 0);
    /* Friday 16:30 local + 4 business hours: Monday 12:30 local */
    assert_int_equal(add(c, T("2025-01-10T16:30:00+01:00"), 4 * H), T("2025-01-13T12:30:00+01:00"));
    assert_int_equal(secs(c, T("2025-01-10T16:30:00+01:00"), T("2025-01-13T12:30:00+01:00")), 4 * H);
    /* across the change to summer time (Sunday 2025-03-30): Monday 12:30 CEST */
    assert_int_equal(add(c, T("2025-03-28T16:30:00+01:00"), 4 * H), T("2025-03-31T12:30:00+02:00"));
    assert_int_equal(secs(c, T("2025-03-28T16:30:00+01:00"), T("2025-03-31T12:30:00+02:00")), 4 * H);
    /* and back (Sunday 2025-10-26): Monday 12:30 CET */
    assert_int_equal(add(c, T("2025-10-24T16:30:00+02:00"), 4 * H), T("2025-10-27T12:30:00+01:00"));
    /* a whole week of summer and of winter: 40 hours each */
    assert_int_equal(secs(c, T("2025-03-24"), T("2025-03-31")), 40 * H);
    assert_int_equal(secs(c, T("2025-10-20"), T("2025-10-27")), 40 * H);
    /* a year: 261 working days in 2025 */
    assert_int_equal(secs(c, T("2025-01-01"), T("2026-01-01")), 261 * 8 * H);
    /* on the hour itself, and at the end of a day */
    assert_int_equal(add(c, T("2025-01-13T09:00:00+01:00"), 8 * H), T("2025-01-13T17:00:00+01:00"));
    assert_int_equal(add(c, T("2025-01-13T17:00:00+01:00"), 1), T("2025-01-14T09:00:01+01:00"));
    assert_int_equal(add(c, T("2025-01-11T12:00:00+01:00"), 0), T("2025-01-11T12:00:00+01:00"));
    assert_int_equal(secs(c, T("2025-01-11"), T("2025-01-12")), 0); /* a Saturday */
    assert_int_equal(lss_calendar_utc_offset(c, T("2025-07-01")), 2 * H);
    assert_int_equal(lss_calendar_utc_offset(c, T("2025-12-01")), H);
    assert_string_equal(lss_calendar_timezone(c), "Europe/Berlin");
    assert_null(lss_calendar_key(c));
    assert_int_equal(lss_calendar_since(c), LSS_TIME_NONE);
    lss_calendar_free(c);

    /* the day lengths of the changes around the clock: 23 and 25 hours */
    c = around_the_clock("Europe/Berlin");
    assert_int_equal(secs(c, T("2025-03-29T23:00:00Z"), T("2025-03-30T22:00:00Z")), 23 * H);
    assert_int_equal(add(c, T("2025-03-30T01:30:00Z"), H), T("2025-03-30T02:30:00Z"));
    assert_int_equal(secs(c, T("2025-01-01"), T("2026-01-01")), 365 * 24 * H);
    /* past the zone file's transitions: the footer's rule (last Sunday of March 2040 is the 25th) */
    assert_int_equal(lss_calendar_utc_offset(c, T("2040-03-25T00:59:59Z")), H);
    assert_int_equal(lss_calendar_utc_offset(c, T("2040-03-25T01:00:00Z")), 2 * H);
    assert_int_equal(lss_calendar_utc_offset(c, T("2040-10-28T00:59:59Z")), 2 * H);
    assert_int_equal(lss_calendar_utc_offset(c, T("2040-10-28T01:00:00Z")), H);
    lss_calendar_free(c);

    /* hours of a clock change's own night: 01:00-04:00 local is 2 hours on
     * 2025-03-30 and 4 on 2025-10-26; 02:30-03:30 on 2025-03-30 starts in
     * the skipped hour, read with the offset before it (01:30Z), and ends
     * at 03:30 CEST (01:30Z): nothing; on 2025-10-26, 02:30 CEST (00:30Z)
     * to 03:30 CET (02:30Z): 2 hours */
    lss_hours night[] = { { LSS_SUN, 1 * H, 4 * H } };
    c = cal_new("Europe/Berlin", night, 1, NULL, 0);
    assert_int_equal(secs(c, T("2025-03-29"), T("2025-03-31")), 2 * H);
    assert_int_equal(secs(c, T("2025-10-25"), T("2025-10-27")), 4 * H);
    assert_int_equal(add(c, T("2025-03-29"), 2 * H), T("2025-03-30T02:00:00Z"));
    lss_calendar_free(c);
    lss_hours gap[] = { { LSS_SUN, 2 * H + 1800, 3 * H + 1800 } };
    c = cal_new("Europe/Berlin", gap, 1, NULL, 0);
    assert_int_equal(secs(c, T("2025-03-29"), T("2025-03-31")), 0);
    assert_int_equal(secs(c, T("2025-10-25"), T("2025-10-27")), 2 * H);
    assert_int_equal(secs(c, T("2025-10-26T00:00:00Z"), T("2025-10-26T01:00:00Z")), 1800);
    lss_calendar_free(c);
}

static void test_holidays_and_zones(void **state)
{
    (void)state;
    /* Friday 16:30 with the Monday off: Tuesday 12:30 */
    lss_date hol[] = { D("2025-12-22"), D("2025-12-25"), D("2025-12-22"), D("2025-12-26") };
    lss_calendar *c = office("Europe/Berlin", hol, 4);
    assert_int_equal(lss_calendar_holidays_count(c), 3);
    char buf[11];
    assert_string_equal(lss_date_format(buf, lss_calendar_holiday(c, 0)), "2025-12-22");
    assert_int_equal(lss_calendar_holiday(c, 3), -1);
    assert_int_equal(add(c, T("2025-12-19T16:30:00+01:00"), 4 * H), T("2025-12-23T12:30:00+01:00"));
    /* the week of Christmas: Tue, Wed, Sat and Sun are not holidays; Mon, Thu, Fri are */
    assert_int_equal(secs(c, T("2025-12-22"), T("2025-12-29")), 2 * 8 * H);
    /* 23 December 16:00 + 3 hours: 1 h on Tuesday, 2 h on Wednesday (24th), then 29 December */
    assert_int_equal(add(c, T("2025-12-23T16:00:00+01:00"), 3 * H), T("2025-12-24T11:00:00+01:00"));
    assert_int_equal(add(c, T("2025-12-24T16:00:00+01:00"), 2 * H), T("2025-12-29T10:00:00+01:00"));
    lss_calendar_free(c);

    /* New York: the change to summer time on Sunday 2025-03-09 */
    c = office("America/New_York", NULL, 0);
    assert_int_equal(add(c, T("2025-03-07T16:30:00-05:00"), 4 * H), T("2025-03-10T12:30:00-04:00"));
    assert_int_equal(secs(c, T("2025-03-07T16:30:00-05:00"), T("2025-03-10T12:30:00-04:00")), 4 * H);
    lss_calendar_free(c);

    /* Samoa skipped Friday 2011-12-30: Thursday 23:59:59 -10:00 was followed
     * by Saturday 00:00 +14:00. The skipped day's local times convert past
     * the change, onto Saturday's instants; they are counted once. */
    c = office("Pacific/Apia", NULL, 0);
    assert_int_equal(secs(c, T("2011-12-29T00:00:00-10:00"), T("2012-01-03T00:00:00+14:00")), 16 * H);
    assert_int_equal(add(c, T("2011-12-29T16:00:00-10:00"), 2 * H), T("2012-01-02T10:00:00+14:00"));
    lss_calendar_free(c);
    c = around_the_clock("Pacific/Apia");
    assert_int_equal(secs(c, T("2011-12-29T00:00:00-10:00"), T("2012-01-01T00:00:00+14:00")), 48 * H);
    assert_int_equal(add(c, T("2011-12-29T12:00:00-10:00"), 24 * H), T("2011-12-31T12:00:00+14:00"));
    lss_calendar_free(c);

    /* a fixed offset needs no zone file */
    lss_hours h[] = { { LSS_MON, 9 * H, 13 * H }, { LSS_MON, 14 * H, 18 * H }, { LSS_SAT, 10 * H, 24 * H } };
    c = cal_new("+05:30", h, 3, NULL, 0);
    assert_int_equal(lss_calendar_utc_offset(c, T("2025-06-01")), 5 * H + 1800);
    /* Monday 2025-01-06 12:00 local + 2 h: 1 h before lunch, 1 h after: 15:00 local */
    assert_int_equal(add(c, T("2025-01-06T12:00:00+05:30"), 2 * H), T("2025-01-06T15:00:00+05:30"));
    assert_int_equal(secs(c, T("2025-01-06"), T("2025-01-13")), 22 * H);
    /* Monday 17:00 + 2 h: 1 h Monday, then Saturday 10:00 + 1 h */
    assert_int_equal(add(c, T("2025-01-06T17:00:00+05:30"), 2 * H), T("2025-01-11T11:00:00+05:30"));
    lss_hours got;
    assert_int_equal(lss_calendar_hours_count(c), 3);
    assert_int_equal(lss_calendar_hours_get(&got, c, 2), LSS_OK);
    assert_int_equal(got.day, LSS_SAT);
    assert_int_equal(lss_calendar_hours_get(&got, c, 3), LSS_NOT_FOUND);
    lss_calendar_free(c);
    c = cal_new("-03:00", h, 3, NULL, 0);
    assert_int_equal(lss_calendar_utc_offset(c, 0), -3 * H);
    lss_calendar_free(c);
    c = around_the_clock("UTC");
    assert_int_equal(secs(c, 0, T("2025-01-01")), T("2025-01-01"));
    /* an add that would end after 9999 */
    lss_time out = 0;
    assert_int_equal(lss_calendar_add(&out, c, T("9999-12-31T23:00:00Z"), 2 * H), LSS_OK);
    assert_int_equal(out, LSS_TIME_NONE);
    lss_calendar_free(c);
}

static void test_errors(void **state)
{
    (void)state;
    lss_hours h[] = { { LSS_MON, 9 * H, 17 * H }, { LSS_MON, 12 * H, 18 * H } };
    lss_calendar *c = (lss_calendar *)1;
    assert_status_msg(NULL, lss_calendar_new(&c, "Mars/Olympus", h, 1, NULL, 0, NULL), LSS_INVALID, "timezone",
                      "\"Mars/Olympus\" is not a known time zone");
    assert_null(c);
    assert_status_msg(NULL, lss_calendar_new(&c, "../etc/passwd", h, 1, NULL, 0, NULL), LSS_INVALID, "timezone",
                      "not a time zone name");
    assert_status_msg(NULL, lss_calendar_new(&c, "Europe", h, 1, NULL, 0, NULL), LSS_INVALID, "timezone", "Europe");
    assert_status_msg(NULL, lss_calendar_new(&c, "+25:00", h, 1, NULL, 0, NULL), LSS_INVALID, "timezone");
    assert_status_msg(NULL, lss_calendar_new(&c, "UTC", h, 2, NULL, 0, NULL), LSS_INVALID, "hours", "mon 09:00-17:00",
                      "overlaps 12:00-18:00");
    lss_hours bad[] = { { LSS_TUE, 17 * H, 9 * H } };
    assert_status_msg(NULL, lss_calendar_new(&c, "UTC", bad, 1, NULL, 0, NULL), LSS_INVALID, "hours\"[0]",
                      "\"from\" 17:00 is not before \"to\" 09:00");
    bad[0] = (lss_hours){ (lss_weekday)7, 0, H };
    assert_status_msg(NULL, lss_calendar_new(&c, "UTC", bad, 1, NULL, 0, NULL), LSS_INVALID, "\"day\"", "7");
    bad[0] = (lss_hours){ LSS_MON, 0, 25 * H };
    assert_status_msg(NULL, lss_calendar_new(&c, "UTC", bad, 1, NULL, 0, NULL), LSS_INVALID, "24:00");
    assert_status_msg(NULL, lss_calendar_new(&c, "UTC", h, 0, NULL, 0, NULL), LSS_INVALID, "at least one");
    lss_date hol[] = { -4 };
    assert_status_msg(NULL, lss_calendar_new(&c, "UTC", h, 1, hol, 1, NULL), LSS_INVALID, "holidays\"[0]");
    assert_int_equal(lss_calendar_new(&c, "UTC", h, 1, NULL, 0, "/nonexistent"), LSS_OK); /* needs no file */
    lss_calendar_free(c);
    assert_status_msg(NULL, lss_calendar_new(&c, "Europe/Berlin", h, 1, NULL, 0, "/nonexistent"), LSS_INVALID,
                      "/nonexistent/Europe/Berlin");
    /* a file that is not TZif */
    char dir[] = "/tmp/lss-test-zoneXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/Bad", dir);
    FILE *f = fopen(path, "w");
    fputs("not a zone file at all, but long enough to have a header of forty-four bytes\n", f);
    fclose(f);
    assert_status_msg(NULL, lss_calendar_new(&c, "Bad", h, 1, NULL, 0, dir), LSS_INVALID, "not TZif");
    remove(path);
    rmdir(dir);
    lss_date d;
    assert_status_msg(NULL, lss_date_parse(&d, "2025-02-29"), LSS_INVALID, "2025-02-29");
    assert_int_equal(lss_date_parse(&d, "2024-02-29"), LSS_OK);
    assert_int_equal(d, 19782);
    assert_status_msg(NULL, lss_date_parse(&d, "1969-12-31"), LSS_INVALID, "1969-12-31");
    assert_status_msg(NULL, lss_date_parse(&d, "2025-1-01"), LSS_INVALID, "YYYY-MM-DD");
    lss_weekday w;
    assert_int_equal(lss_weekday_parse(&w, "sun"), LSS_OK);
    assert_int_equal(w, LSS_SUN);
    assert_status_msg(NULL, lss_weekday_parse(&w, "sunday"), LSS_INVALID, "sunday", "expected mon");
    c = around_the_clock("UTC");
    int64_t s;
    lss_time t;
    assert_status_msg(NULL, lss_calendar_seconds(&s, c, 10, 5), LSS_INVALID, "after");
    assert_status_msg(NULL, lss_calendar_seconds(&s, c, -1, 5), LSS_INVALID, "1970-9999");
    assert_status_msg(NULL, lss_calendar_add(&t, c, 0, -1), LSS_INVALID, "negative");
    assert_status_msg(NULL, lss_calendar_add(&t, NULL, 0, 1), LSS_INVALID, "NULL");
    lss_calendar_free(c);
    lss_calendar_free(NULL);
}

/* ---- against the C library and a count minute by minute ----------------------- */

static const char *const ZONES[] = { "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
                                     "America/Sao_Paulo", "Pacific/Auckland", "Europe/London", "UTC",
                                     "America/Santiago", "Asia/Tehran" };
enum { NZONES = sizeof ZONES / sizeof ZONES[0] };

static uint64_t rng_state = 88172645463325252u;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

static void test_offsets_match_libc(void **state)
{
    (void)state;
    lss_hours h[] = { { LSS_MON, 0, H } };
    for (int z = 0; z < NZONES; z++) {
        lss_calendar *c = cal_new(ZONES[z], h, 1, NULL, 0);
        setenv("TZ", ZONES[z], 1); /* the test's own process: the library reads no TZ */
        tzset();
        for (int i = 0; i < 20000; i++) {
            time_t t = (time_t)rnd((uint64_t)T("2100-01-01"));
            struct tm tm;
            localtime_r(&t, &tm);
            if (lss_calendar_utc_offset(c, t) != tm.tm_gmtoff)
                fail_msg("%s at %lld: %d, localtime_r says %ld", ZONES[z], (long long)t,
                         lss_calendar_utc_offset(c, t), (long)tm.tm_gmtoff);
        }
        lss_calendar_free(c);
    }
    unsetenv("TZ");
    tzset();
}

/* A random calendar whose hours begin and end on whole hours from 05:00
 * on (where no zone here changes its clocks), and its holidays. */
static lss_calendar *random_calendar(const char *tz)
{
    lss_hours h[40];
    size_t n = 0;
    for (int d = 0; d < 7; d++) {
        int at = (int)rnd(2) ? 0 : 5 + (int)rnd(6);
        while (at < 24 && n < 40 && rnd(3)) {
            int from = at, to = from + 1 + (int)rnd(8);
            if (to > 24)
                to = 24;
            h[n++] = (lss_hours){ (lss_weekday)d, from == 0 ? 0 : from * H, to * H };
            at = to + (int)rnd(3);
            if (at < 5)
                at = 5;
        }
    }
    if (n == 0)
        h[n++] = (lss_hours){ LSS_WED, 9 * H, 17 * H };
    lss_date hol[30];
    size_t nh = rnd(30);
    for (size_t i = 0; i < nh; i++)
        hol[i] = (lss_date)(D("2024-01-01") + (lss_date)rnd(3 * 366));
    return cal_new(tz, h, n, hol, nh);
}

static bool business(const lss_calendar *c, lss_time t)
{
    lss_time local = t + lss_calendar_utc_offset(c, t);
    lss_date day = (lss_date)(local / 86400);
    for (uint32_t i = 0; i < lss_calendar_holidays_count(c); i++)
        if (lss_calendar_holiday(c, i) == day)
            return false;
    int wd = (int)((day + 3) % 7), s = (int)(local % 86400);
    for (uint32_t i = 0; i < lss_calendar_hours_count(c); i++) {
        lss_hours h;
        lss_calendar_hours_get(&h, c, i);
        if ((int)h.day == wd && s >= h.from && s < h.to)
            return true;
    }
    return false;
}

static void test_against_minutes(void **state)
{
    (void)state;
    for (int round = 0; round < 300; round++) {
        lss_calendar *c = random_calendar(ZONES[round % NZONES]);
        lss_time a = T("2024-01-01") + (lss_time)rnd(3 * 366 * 1440) * 60;
        lss_time b = a + (lss_time)rnd(12 * 1440) * 60;
        int64_t want = 0;
        for (lss_time t = a; t < b; t += 60)
            want += business(c, t) ? 60 : 0;
        int64_t got = secs(c, a, b);
        if (got != want)
            fail_msg("%s round %d [%lld, %lld): %lld, minute by minute %lld", ZONES[round % NZONES], round,
                     (long long)a, (long long)b, (long long)got, (long long)want);
        /* add is the inverse: the least instant with that many seconds */
        if (want > 0) {
            lss_time x = add(c, a, want);
            assert_int_equal(secs(c, a, x), want);
            assert_true(x <= b);
            assert_true(secs(c, a, x - 1) == want - 1);
        }
        /* seconds add up over a cut anywhere */
        lss_time m = a + (b > a ? (lss_time)rnd((uint64_t)(b - a)) : 0);
        assert_int_equal(secs(c, a, m) + secs(c, m, b), got);
        lss_calendar_free(c);
    }
}

/* Long spans: seconds over years equal the sum over their days. */
static void test_long_spans(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        lss_calendar *c = random_calendar(ZONES[round % NZONES]);
        lss_time a = T("2023-06-01") + (lss_time)rnd(86400 * 30);
        lss_time b = a + 86400 * 365 * 3;
        int64_t sum = 0;
        for (lss_time t = a; t < b; t += 86400)
            sum += secs(c, t, t + 86400 < b ? t + 86400 : b);
        assert_int_equal(secs(c, a, b), sum);
        assert_int_equal(add(c, a, sum), add(c, a, sum)); /* deterministic */
        assert_int_equal(secs(c, a, add(c, a, sum / 2)), sum / 2);
        lss_calendar_free(c);
    }
}

/* ---- the calendars of a database ---------------------------------------------- */

static void test_db_calendars(void **state)
{
    (void)state;
    char dir[] = "/tmp/lss-test-calXXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/db.lss", dir);
    lss_db *db;
    assert_int_equal(lss_db_open(&db, path, NULL), LSS_OK);
    lss_hours h[5];
    for (int d = 0; d < 5; d++)
        h[d] = (lss_hours){ (lss_weekday)d, 9 * H, 17 * H };
    lss_date hol[] = { D("2025-12-25"), D("2025-12-26") };
    assert_int_equal(lss_calendar_set(db, T("2025-01-01"), "berlin", "Europe/Berlin", h, 5, hol, 2), LSS_OK);
    /* replaced from July on: Fridays off */
    assert_int_equal(lss_calendar_set(db, T("2025-07-01"), "berlin", "Europe/Berlin", h, 4, NULL, 0), LSS_OK);
    assert_int_equal(lss_apply_json(db, "{\"type\":\"calendar.set\",\"at\":\"2025-02-01\",\"key\":\"ny\","
                                        "\"timezone\":\"America/New_York\",\"hours\":[{\"day\":\"sat\",\"from\":\"10:00\","
                                        "\"to\":\"24:00\"}],\"holidays\":[\"2025-07-04\"]}"),
                     LSS_OK);
    assert_int_equal(lss_calendar_count(db), 3);
    const lss_calendar *c;
    assert_int_equal(lss_calendar_find(&c, db, "berlin", T("2025-03-01")), LSS_OK);
    assert_string_equal(lss_calendar_key(c), "berlin");
    assert_int_equal(lss_calendar_since(c), T("2025-01-01"));
    assert_int_equal(lss_calendar_hours_count(c), 5);
    assert_int_equal(lss_calendar_holidays_count(c), 2);
    assert_int_equal(lss_calendar_find(&c, db, "berlin", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_calendar_hours_count(c), 4);
    assert_int_equal(secs(c, T("2025-07-07"), T("2025-07-14")), 32 * H);
    assert_status_msg(db, lss_calendar_find(&c, db, "berlin", T("2024-12-31")), LSS_NOT_FOUND, "berlin",
                      "no definition");
    assert_null(c);
    assert_status_msg(db, lss_calendar_find(&c, db, "paris", LSS_TIME_NONE), LSS_NOT_FOUND, "\"paris\" does not exist");
    assert_int_equal(lss_calendar_get(&c, db, 0), LSS_OK);
    lss_calendar_free((lss_calendar *)c); /* a database's: not freed */
    assert_int_equal(lss_calendar_hours_count(c), 5);
    assert_int_equal(lss_calendar_get(&c, db, 3), LSS_NOT_FOUND);

    /* bad definitions change nothing */
    uint64_t before = dump_hash(db);
    assert_status_msg(db, lss_calendar_set(db, T("2025-08-01"), "x", "Mars/Olympus", h, 5, NULL, 0), LSS_INVALID,
                      "calendar.set: calendar \"x\": field \"timezone\"", "Mars/Olympus");
    assert_status_msg(db, lss_calendar_set(db, T("2025-03-01"), "berlin", "Europe/Berlin", h, 5, NULL, 0),
                      LSS_OUT_OF_ORDER, "before its latest definition");
    lss_hours over[] = { { LSS_MON, 9 * H, 12 * H }, { LSS_MON, 11 * H, 13 * H } };
    assert_status_msg(db, lss_calendar_set(db, T("2025-08-01"), "x", "UTC", over, 2, NULL, 0), LSS_INVALID,
                      "overlaps");
    lss_hours secsonly[] = { { LSS_MON, 9 * H + 30, 12 * H } };
    assert_status_msg(db, lss_calendar_set(db, T("2025-08-01"), "x", "UTC", secsonly, 1, NULL, 0), LSS_INVALID,
                      "whole minutes");
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"calendar.set\",\"at\":\"2025-08-01\",\"key\":\"x\","
                                             "\"timezone\":\"UTC\",\"hours\":[{\"day\":\"mon\",\"from\":\"9:00\",\"to\":\"17:00\"}]}"),
                      LSS_INVALID, "field \"hours\"[0]", "\"from\"", "HH:MM");
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"calendar.set\",\"at\":\"2025-08-01\",\"key\":\"x\","
                                             "\"timezone\":\"UTC\",\"hours\":[{\"day\":\"mon\",\"from\":\"17:00\",\"to\":\"09:00\"}]}"),
                      LSS_INVALID, "\"from\" 17:00 is not before \"to\" 09:00");
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"calendar.set\",\"at\":\"2025-08-01\",\"key\":\"x\","
                                             "\"timezone\":\"UTC\",\"hours\":[{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"17:00\"}],"
                                             "\"holidays\":[\"2025-13-01\"]}"),
                      LSS_INVALID, "field \"holidays\"[0]", "2025-13-01");
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"calendar.set\",\"at\":\"2025-08-01\",\"key\":\"x\","
                                             "\"timezone\":\"UTC\",\"hours\":[]}"),
                      LSS_INVALID, "at least one");
    assert_status_msg(db, lss_apply_json(db, "{\"type\":\"calendar.set\",\"at\":\"2025-08-01\",\"key\":\"x\","
                                             "\"timezone\":\"UTC\",\"hours\":[{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"17:00\",\"tz\":1}]}"),
                      LSS_INVALID, "unknown field \"tz\"");
    assert_int_equal(dump_hash(db), before);
    assert_int_equal(lss_calendar_count(db), 3);

    /* a rolled-back transaction takes its definitions back */
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_calendar_set(db, T("2025-09-01"), "tokyo", "Asia/Tokyo", h, 5, NULL, 0), LSS_OK);
    assert_int_equal(lss_calendar_count(db), 4);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_int_equal(lss_calendar_count(db), 3);
    assert_int_equal(lss_calendar_find(&c, db, "tokyo", LSS_TIME_NONE), LSS_NOT_FOUND);

    /* export, import, export: the same text; the arrays as the format has them */
    char *a = export_text(db);
    assert_non_null(strstr(a, "{\"type\":\"calendar.set\",\"at\":\"2025-02-01T00:00:00Z\",\"key\":\"ny\","
                              "\"timezone\":\"America/New_York\",\"hours\":[{\"day\":\"sat\",\"from\":\"10:00\","
                              "\"to\":\"24:00\"}],\"holidays\":[\"2025-07-04\"]}\n"));
    assert_non_null(strstr(a, "\"key\":\"berlin\",\"timezone\":\"Europe/Berlin\",\"hours\":[{\"day\":\"mon\","
                              "\"from\":\"09:00\",\"to\":\"17:00\"},{\"day\":\"tue\""));
    lss_db *b;
    assert_int_equal(lss_db_open(&b, NULL, NULL), LSS_OK);
    FILE *in = fmemopen(a, strlen(a), "r");
    assert_int_equal(lss_import_stream(b, in, NULL, NULL), LSS_OK);
    fclose(in);
    char *a2 = export_text(b);
    assert_string_equal(a, a2);
    free(a2);
    lss_db_close(b);

    /* the journal replays them; a checkpoint keeps them */
    lss_db_close(db);
    assert_int_equal(lss_db_open(&db, path, NULL), LSS_OK);
    assert_int_equal(lss_calendar_count(db), 3);
    assert_int_equal(dump_hash(db), before);
    a2 = export_text(db);
    assert_string_equal(a, a2);
    free(a2);
    assert_int_equal(lss_db_checkpoint(db), LSS_OK);
    lss_db_close(db);
    assert_int_equal(lss_db_open(&db, path, NULL), LSS_OK);
    lss_recovery rec;
    assert_int_equal(lss_db_recovery(&rec, db), LSS_OK);
    assert_int_equal(rec.checkpoint_events, 3);
    assert_int_equal(lss_calendar_find(&c, db, "berlin", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(secs(c, T("2025-07-07"), T("2025-07-14")), 32 * H);
    assert_int_equal(lss_calendar_find(&c, db, "ny", LSS_TIME_NONE), LSS_OK);
    assert_int_equal(lss_calendar_holidays_count(c), 1);
    a2 = export_text(db);
    assert_string_equal(a, a2);
    free(a2);
    free(a);
    lss_db_close(db);

    /* the open option names where the zones are */
    lss_open_options o;
    assert_int_equal(lss_open_options_init(&o, LSS_OPEN_OPTIONS_VERSION), LSS_OK);
    o.zoneinfo_dir = dir; /* holds no zone */
    assert_int_equal(lss_db_open(&db, NULL, &o), LSS_OK);
    assert_status_msg(db, lss_calendar_set(db, T("2025-01-01"), "b", "Europe/Berlin", h, 5, NULL, 0), LSS_INVALID,
                      dir, "Europe/Berlin");
    assert_int_equal(lss_calendar_set(db, T("2025-01-01"), "u", "UTC", h, 5, NULL, 0), LSS_OK);
    lss_db_close(db);
    char ck[160];
    snprintf(ck, sizeof ck, "%s.checkpoint", path);
    remove(ck);
    remove(path);
    rmdir(dir);
}

/* ---- the SLA clock in business time ------------------------------------------------ */

static lss_sla_state sla_of(lss_db *db, const char *key, lss_time as_of)
{
    const lss_ticket *t;
    assert_int_equal(lss_ticket_find(&t, db, key), LSS_OK);
    lss_sla_state st;
    assert_int_equal(lss_ticket_sla(&st, t, as_of), LSS_OK);
    return st;
}

static void office_db(lss_db *db)
{
    lss_hours h[5];
    for (int d = 0; d < 5; d++)
        h[d] = (lss_hours){ (lss_weekday)d, 9 * H, 17 * H };
    assert_int_equal(lss_member_add(NULL, db, T("2025-01-01"), "m-ben", "Ben", LSS_ROLE_SERVICE, NULL), LSS_OK);
    assert_int_equal(lss_customer_add(NULL, db, T("2025-01-01"), "c-1", "Kraus", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL),
                     LSS_OK);
    assert_int_equal(lss_calendar_set(db, T("2025-01-01"), "office", "Europe/Berlin", h, 5, NULL, 0), LSS_OK);
    assert_int_equal(lss_sla_set_calendar(db, T("2025-01-01"), LSS_PRIORITY_HIGH, 4 * H, 16 * H, "office"), LSS_OK);
}

static void open_ticket(lss_db *db, const char *key, lss_time at, lss_priority p)
{
    assert_int_equal(lss_ticket_open(NULL, db, at, key, "c-1", LSS_TICKET_INCIDENT, LSS_CHANNEL_PHONE, p, NULL, NULL),
                     LSS_OK);
}

static void test_ticket_sla(void **state)
{
    (void)state;
    char dir[] = "/tmp/lss-test-slaXXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/db.lss", dir);
    lss_db *db;
    assert_int_equal(lss_db_open(&db, path, NULL), LSS_OK);
    office_db(db);
    /* Friday 16:30 Berlin, 4 business hours: due Monday 12:30 local */
    open_ticket(db, "t-1", T("2025-01-10T16:30:00+01:00"), LSS_PRIORITY_HIGH);
    lss_sla_state st = sla_of(db, "t-1", T("2025-01-10T17:30:00+01:00"));
    assert_int_equal(st.elapsed, 1800);
    assert_true(st.running);
    assert_int_equal(st.first_response_target, 4 * H);
    assert_int_equal(st.first_response_due, T("2025-01-13T12:30:00+01:00"));
    assert_int_equal(st.resolution_due, T("2025-01-14T16:30:00+01:00")); /* 0.5 + 8 + 7.5 hours */
    assert_non_null(st.calendar);
    assert_string_equal(lss_calendar_key(st.calendar), "office");
    /* over the weekend the clock stands */
    assert_int_equal(sla_of(db, "t-1", T("2025-01-13T09:00:00+01:00")).elapsed, 1800);
    /* the reply Monday 12:00: 3.5 hours, met */
    assert_int_equal(lss_ticket_contact(db, T("2025-01-13T12:00:00+01:00"), "t-1", "m-ben", 300, -1), LSS_OK);
    /* waiting on the customer from 13:00 to Tuesday 10:00 does not count */
    assert_int_equal(lss_ticket_wait(db, T("2025-01-13T13:00:00+01:00"), "t-1"), LSS_OK);
    assert_int_equal(lss_ticket_resume(db, T("2025-01-14T10:00:00+01:00"), "t-1"), LSS_OK);
    assert_int_equal(lss_ticket_resolve(db, T("2025-01-14T12:00:00+01:00"), "t-1", NULL), LSS_OK);
    st = sla_of(db, "t-1", T("2025-02-01"));
    assert_int_equal(st.elapsed, 4 * H + 1800 + 2 * H);
    assert_int_equal(st.first_response, LSS_SLA_MET);
    assert_int_equal(st.resolution, LSS_SLA_MET);
    assert_false(st.running);
    /* across the change to summer time: Monday 12:30 CEST */
    open_ticket(db, "t-2", T("2025-03-28T16:30:00+01:00"), LSS_PRIORITY_HIGH);
    assert_int_equal(sla_of(db, "t-2", T("2025-03-28T17:00:00+01:00")).first_response_due, T("2025-03-31T12:30:00+02:00"));
    /* missed: no reply by Monday 12:30 */
    assert_int_equal(sla_of(db, "t-2", T("2025-03-31T12:30:00+02:00")).first_response, LSS_SLA_UNDECIDED);
    assert_int_equal(sla_of(db, "t-2", T("2025-03-31T12:30:02+02:00")).first_response, LSS_SLA_MISSED);
    assert_int_equal(sla_of(db, "t-2", T("2025-04-02")).first_response_due, T("2025-03-31T12:30:00+02:00"));
    /* a priority without a calendar counts around the clock */
    open_ticket(db, "t-3", T("2025-01-10T16:30:00+01:00"), LSS_PRIORITY_NORMAL);
    st = sla_of(db, "t-3", T("2025-01-11T16:30:00+01:00"));
    assert_int_equal(st.elapsed, 24 * H);
    assert_null(st.calendar);
    /* the calendar replaced (Mondays off) after t-1 and t-2 opened: they keep theirs */
    lss_hours h4[] = { { LSS_TUE, 9 * H, 17 * H }, { LSS_WED, 9 * H, 17 * H }, { LSS_THU, 9 * H, 17 * H },
                       { LSS_FRI, 9 * H, 17 * H } };
    lss_date hol[] = { D("2025-04-15") };
    assert_int_equal(lss_calendar_set(db, T("2025-04-01"), "office", "Europe/Berlin", h4, 4, hol, 1), LSS_OK);
    assert_int_equal(sla_of(db, "t-2", T("2025-04-02")).first_response_due, T("2025-03-31T12:30:00+02:00"));
    /* a ticket opened after it: Friday 16:30, no Monday, Tuesday a holiday: Wednesday 12:30 */
    open_ticket(db, "t-4", T("2025-04-11T16:30:00+02:00"), LSS_PRIORITY_HIGH);
    assert_int_equal(sla_of(db, "t-4", T("2025-04-11T16:45:00+02:00")).first_response_due,
                     T("2025-04-16T12:30:00+02:00"));
    /* ticket.priority: normal around the clock (8 h / 72 h), raised to high (office, 4 h / 16 h) after 2 h:
     * the clock keeps the 2 h and counts on in office hours. Opened Tuesday 2025-04-08 (the calendar of 04-01: Tue-Fri) 07:00 Berlin. */
    open_ticket(db, "t-6", T("2025-04-08T07:00:00+02:00"), LSS_PRIORITY_NORMAL);
    assert_int_equal(lss_ticket_set_priority(db, T("2025-04-08T09:00:00+02:00"), "t-6", LSS_PRIORITY_HIGH), LSS_OK);
    st = sla_of(db, "t-6", T("2025-04-08T10:00:00+02:00"));
    assert_int_equal(st.elapsed, 3 * H); /* 2 h around the clock + 1 office hour */
    assert_int_equal(st.priority, LSS_PRIORITY_HIGH);
    assert_int_equal(st.first_response_target, 4 * H);
    assert_string_equal(lss_calendar_key(st.calendar), "office");
    assert_int_equal(st.first_response_due, T("2025-04-08T11:00:00+02:00"));
    /* as of before the change: normal, no calendar, 8 h due at 15:00 */
    st = sla_of(db, "t-6", T("2025-04-08T08:00:00+02:00"));
    assert_int_equal(st.priority, LSS_PRIORITY_NORMAL);
    assert_null(st.calendar);
    assert_int_equal(st.first_response_due, T("2025-04-08T15:00:00+02:00"));
    assert_int_equal((int)lss_ticket_priority_at(NULL, 0), -1);
    const lss_ticket *t6;
    assert_int_equal(lss_ticket_find(&t6, db, "t-6"), LSS_OK);
    assert_int_equal(lss_ticket_priority_at(t6, T("2025-04-08T09:00:00+02:00")), LSS_PRIORITY_NORMAL);
    assert_int_equal(lss_ticket_priority_at(t6, T("2025-04-08T09:00:01+02:00")), LSS_PRIORITY_HIGH);
    assert_int_equal((int)lss_ticket_priority_at(t6, T("2025-04-08T07:00:00+02:00")), -1);
    assert_int_equal(lss_ticket_priority(t6), LSS_PRIORITY_HIGH);
    /* the reply at 11:30 (clock 4.5 h) misses the high target it is judged against, though it meets normal's 8 h */
    assert_int_equal(lss_ticket_contact(db, T("2025-04-08T11:30:00+02:00"), "t-6", "m-ben", 60, -1), LSS_OK);
    st = sla_of(db, "t-6", T("2025-04-08T12:00:00+02:00"));
    assert_int_equal(st.first_response, LSS_SLA_MISSED);
    /* lowered back to normal while pending: resolution judged against 72 h, the clock in its own time again */
    assert_int_equal(lss_ticket_wait(db, T("2025-04-08T12:00:00+02:00"), "t-6"), LSS_OK);
    assert_int_equal(lss_ticket_set_priority(db, T("2025-04-08T13:00:00+02:00"), "t-6", LSS_PRIORITY_NORMAL), LSS_OK);
    assert_int_equal(lss_ticket_resume(db, T("2025-04-08T20:00:00+02:00"), "t-6"), LSS_OK);
    st = sla_of(db, "t-6", T("2025-04-08T22:00:00+02:00"));
    assert_int_equal(st.elapsed, 2 * H + 3 * H + 2 * H); /* 07-09 clock, 09-12 office, 20-22 clock */
    assert_int_equal(st.resolution_target, 72 * H);
    assert_int_equal(st.first_response, LSS_SLA_MISSED); /* decided at the contact: stays missed */
    lss_ticket_change ch;
    assert_int_equal(lss_ticket_history_get(&ch, t6, 1), LSS_OK);
    assert_int_equal(ch.kind, LSS_TICKET_EV_PRIORITY);
    assert_int_equal(ch.priority, LSS_PRIORITY_HIGH);
    assert_int_equal(ch.state, LSS_TICKET_NEW); /* the state does not change */
    assert_string_equal(lss_ticket_change_kind_name(ch.kind), "priority");
    assert_int_equal(lss_ticket_history_get(&ch, t6, 0), LSS_OK);
    assert_int_equal(ch.priority, LSS_PRIORITY_NORMAL);
    /* both priorities on office hours: normal (office since May 1st) opened Tuesday 2025-05-06 16:00, one
     * business hour that day, one more Wednesday 09:00-10:00: raised to high at 10:00 with 2 business hours
     * counted, due at 12:00; as of 09:30 it was normal: 6.5 business hours left, due at 16:00 */
    assert_int_equal(lss_sla_set_calendar(db, T("2025-05-01"), LSS_PRIORITY_NORMAL, 8 * H, 72 * H, "office"), LSS_OK);
    open_ticket(db, "t-7", T("2025-05-06T16:00:00+02:00"), LSS_PRIORITY_NORMAL);
    assert_int_equal(lss_ticket_set_priority(db, T("2025-05-07T10:00:00+02:00"), "t-7", LSS_PRIORITY_HIGH), LSS_OK);
    st = sla_of(db, "t-7", T("2025-05-07T10:00:00+02:00"));
    assert_int_equal(st.elapsed, 2 * H);
    assert_int_equal(st.priority, LSS_PRIORITY_NORMAL); /* as of 10:00: the change at 10:00 is not before it */
    st = sla_of(db, "t-7", T("2025-05-07T10:00:01+02:00"));
    assert_int_equal(st.elapsed, 2 * H + 1);
    assert_int_equal(st.priority, LSS_PRIORITY_HIGH);
    assert_int_equal(st.first_response_due, T("2025-05-07T12:00:00+02:00"));
    st = sla_of(db, "t-7", T("2025-05-07T09:30:00+02:00"));
    assert_int_equal(st.first_response_due, T("2025-05-07T16:00:00+02:00"));
    /* the errors change nothing */
    uint64_t h6 = dump_hash(db);
    assert_status_msg(db, lss_ticket_set_priority(db, T("2025-04-09"), "t-6", (lss_priority)7), LSS_INVALID,
                      "ticket.priority: ticket \"t-6\": field \"priority\": 7 is not a priority");
    assert_status_msg(db, lss_ticket_set_priority(db, T("2025-04-09"), "t-none", LSS_PRIORITY_LOW), LSS_NOT_FOUND,
                      "ticket.priority: ticket \"t-none\" does not exist");
    assert_status_msg(db, lss_ticket_set_priority(db, T("2025-04-08T19:00:00+02:00"), "t-6", LSS_PRIORITY_LOW),
                      LSS_OUT_OF_ORDER, "t-6");
    assert_int_equal(lss_ticket_resolve(db, T("2025-04-09"), "t-6", NULL), LSS_OK);
    h6 = dump_hash(db);
    assert_status_msg(db, lss_ticket_set_priority(db, T("2025-04-10"), "t-6", LSS_PRIORITY_LOW), LSS_TRANSITION,
                      "ticket \"t-6\": cannot change the priority in state resolved (the priority changes only in "
                      "new, open or pending)");
    assert_int_equal(dump_hash(db), h6);
    /* the service levels of January as of February 1st: t-1 (high, office) replied at 3.5 business hours,
     * resolved at 6.5 (4 + 0.5 + 2), 3 d 19 h 30 min after its opening; t-3 (normal, around the clock) still
     * new: both of its targets missed, in the backlog for 21 d 7.5 h */
    lss_query q = LSS_QUERY_INIT;
    q.from = T("2025-01-01");
    q.to = T("2025-02-01");
    lss_service_levels lv;
    assert_int_equal(lss_service_levels_get(&lv, db, &q), LSS_OK);
    assert_int_equal(lv.as_of, T("2025-02-01"));
    assert_int_equal(lv.sla_first_response_compliance.num, 1);
    assert_int_equal(lv.sla_first_response_compliance.den, 2);
    assert_int_equal(lv.sla_resolution_compliance.num, 1);
    assert_int_equal(lv.sla_resolution_compliance.den, 2);
    assert_int_equal(lv.first_response_business_seconds.count, 1);
    assert_int_equal(lv.first_response_business_seconds.median.num, 3 * H + 1800);
    assert_int_equal(lv.resolution_business_seconds.median.num, 6 * H + 1800);
    assert_int_equal(lv.full_resolution_seconds.median.num, 3 * 86400 + 19 * H + 1800);
    int64_t age[LSS_BACKLOG_AGE_BUCKETS] = { 0, 0, 0, 1, 0 };
    assert_memory_equal(lv.backlog_age, age, sizeof age);
    assert_int_equal(lv.backlog_breached, 1);
    /* as of January 10th 18:00 nothing is decided: t-3's 8 h run until 00:30, t-1 has 1 business hour */
    q.as_of = T("2025-01-10T18:00:00+01:00");
    assert_int_equal(lss_service_levels_get(&lv, db, &q), LSS_OK);
    assert_int_equal(lv.sla_first_response_compliance.den, 0);
    assert_int_equal(lv.backlog_breached, 0);
    int64_t young[LSS_BACKLOG_AGE_BUCKETS] = { 2, 0, 0, 0, 0 };
    assert_memory_equal(lv.backlog_age, young, sizeof young);
    int64_t n = -1;
    assert_int_equal(lss_metric_backlog_breached(&n, db, &q), LSS_OK);
    assert_int_equal(n, 0);
    q.as_of = 0;
    assert_status_msg(db, lss_service_levels_get(&lv, db, &q), LSS_INVALID, "as_of 0 is out of range");
    /* an unknown calendar changes nothing */
    uint64_t before = dump_hash(db);
    assert_status_msg(db, lss_sla_set_calendar(db, T("2025-05-01"), LSS_PRIORITY_LOW, H, 2 * H, "nowhere"),
                      LSS_NOT_FOUND, "calendar \"nowhere\" does not exist");
    assert_int_equal(dump_hash(db), before);
    /* export: sla.set names its calendar; import gives the same state */
    char *a = export_text(db);
    assert_non_null(strstr(a, "{\"type\":\"sla.set\",\"at\":\"2025-01-01T00:00:00Z\",\"priority\":\"high\","
                              "\"first_response\":14400,\"resolution\":57600,\"calendar\":\"office\"}\n"));
    lss_db *b;
    assert_int_equal(lss_db_open(&b, NULL, NULL), LSS_OK);
    FILE *in = fmemopen(a, strlen(a), "r");
    assert_int_equal(lss_import_stream(b, in, NULL, NULL), LSS_OK);
    fclose(in);
    assert_int_equal(dump_hash(b), before);
    lss_db_close(b);
    free(a);
    /* the journal, and a checkpoint, give it back */
    lss_db_close(db);
    assert_int_equal(lss_db_open(&db, path, NULL), LSS_OK);
    assert_int_equal(dump_hash(db), before);
    assert_int_equal(lss_db_checkpoint(db), LSS_OK);
    lss_db_close(db);
    assert_int_equal(lss_db_open(&db, path, NULL), LSS_OK);
    lss_recovery rec;
    assert_int_equal(lss_db_recovery(&rec, db), LSS_OK);
    assert_true(rec.checkpoint_events > 0);
    assert_int_equal(dump_hash(db), before);
    assert_int_equal(sla_of(db, "t-4", T("2025-04-11T16:45:00+02:00")).first_response_due,
                     T("2025-04-16T12:30:00+02:00"));
    /* a rolled-back transaction takes its calendar and policy back */
    assert_int_equal(lss_tx_begin(db), LSS_OK);
    assert_int_equal(lss_calendar_set(db, T("2025-06-01"), "night", "UTC", h4, 4, NULL, 0), LSS_OK);
    assert_int_equal(lss_sla_set_calendar(db, T("2025-06-01"), LSS_PRIORITY_LOW, H, 2 * H, "night"), LSS_OK);
    open_ticket(db, "t-5", T("2025-06-02"), LSS_PRIORITY_LOW);
    assert_int_equal(lss_tx_rollback(db), LSS_OK);
    assert_int_equal(dump_hash(db), before);
    lss_db_close(db);
    char ck[160];
    snprintf(ck, sizeof ck, "%s.checkpoint", path);
    remove(ck);
    remove(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_berlin),
        cmocka_unit_test(test_holidays_and_zones),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_offsets_match_libc),
        cmocka_unit_test(test_against_minutes),
        cmocka_unit_test(test_long_spans),
        cmocka_unit_test(test_db_calendars),
        cmocka_unit_test(test_ticket_sla),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
