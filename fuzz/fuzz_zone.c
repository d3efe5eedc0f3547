/* libFuzzer target: any bytes as a TZif zone file and a calendar on it.
 * The input: one byte n (1 to 8 intervals), 3 bytes per interval (weekday;
 * from and length in quarters of an hour), one byte m (up to 15 holidays), 2
 * bytes per holiday (days after 2024-01-01), 8 bytes choosing instants, then
 * the zone file's bytes.
 *
 * Checked: parsing never crashes and either fails with a message naming the
 * time zone or gives a zone whose offsets stay within ±26 hours; on it, for
 * instants in 1970-2100: the business seconds of [a, b) are between 0 and
 * b - a and add up over a cut; adding them to a gives the least instant
 * reaching them, at or before b. */
#include "fuzz_common.h"

#include "core/core.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t at = 0, n = data[at++] % 8 + 1;
    lss_hours h[8];
    for (size_t i = 0; i < n; i++, at += 3) {
        if (size - at < 3)
            return 0;
        int32_t from = data[at + 1] % 96 * 900, len = (data[at + 2] % 96 + 1) * 900;
        h[i] = (lss_hours){ (lss_weekday)(data[at] % 7), from, from + len > 86400 ? 86400 : from + len };
    }
    if (size - at < 1)
        return 0;
    size_t m = data[at++] % 16;
    lss_date hol[16];
    for (size_t i = 0; i < m; i++, at += 2) {
        if (size - at < 2)
            return 0;
        hol[i] = (lss_date)(19723 + (data[at] | data[at + 1] << 8) % 1500);
    }
    if (size - at < 8)
        return 0;
    uint64_t seed = 0;
    memcpy(&seed, data + at, 8);
    at += 8;
    seed |= 1;
    lss__zone *z;
    lss_status st = lss__zone_parse(&z, NULL, "", "Fuzz/Zone", data + at, size - at);
    if (st != LSS_OK) {
        FUZZ_ASSERT(st == LSS_INVALID || st == LSS_NOMEM, "status %d", (int)st);
        FUZZ_ASSERT(strstr(lss_errmsg(), "Fuzz/Zone") != NULL || st == LSS_NOMEM, "message %s", lss_errmsg());
        return 0;
    }
    lss_calendar *c;
    st = lss__calendar_make(&c, NULL, "", z, true, h, n, hol, m);
    if (st != LSS_OK) { /* overlapping intervals: the zone went with it */
        FUZZ_ASSERT(st == LSS_INVALID && strstr(lss_errmsg(), "overlaps") != NULL, "make: %s", lss_errmsg());
        return 0;
    }
    const lss_time span = INT64_C(4102444800); /* 2100-01-01 */
    for (int k = 0; k < 6; k++) {
        lss_time a = (lss_time)(next(&seed) % (uint64_t)span);
        lss_time b = a + (lss_time)(next(&seed) % (k < 3 ? 86400u * 10 : 86400u * 800));
        int32_t off = lss_calendar_utc_offset(c, a);
        FUZZ_ASSERT(off > -26 * 3600 && off < 26 * 3600, "offset %d at %lld", off, (long long)a);
        int64_t s;
        FUZZ_ASSERT(lss_calendar_seconds(&s, c, a, b) == LSS_OK, "seconds");
        FUZZ_ASSERT(s >= 0 && s <= b - a, "seconds of [%lld, %lld): %lld", (long long)a, (long long)b, (long long)s);
        lss_time mid = a + (b > a ? (lss_time)(next(&seed) % (uint64_t)(b - a)) : 0);
        int64_t s1, s2;
        lss_calendar_seconds(&s1, c, a, mid);
        lss_calendar_seconds(&s2, c, mid, b);
        FUZZ_ASSERT(s1 + s2 == s, "[%lld, %lld) cut at %lld: %lld + %lld != %lld", (long long)a, (long long)b,
                    (long long)mid, (long long)s1, (long long)s2, (long long)s);
        if (s > 0) {
            lss_time x;
            FUZZ_ASSERT(lss_calendar_add(&x, c, a, s) == LSS_OK, "add");
            int64_t back, before;
            lss_calendar_seconds(&back, c, a, x);
            lss_calendar_seconds(&before, c, a, x - 1);
            FUZZ_ASSERT(x <= b && back == s && before == s - 1, "add(%lld, %lld) = %lld: %lld, %lld before",
                        (long long)a, (long long)s, (long long)x, (long long)back, (long long)before);
        }
    }
    lss_calendar_free(c);
    return 0;
}
