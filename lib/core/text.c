/* Validation of text, times and money, and their event-format spellings. */
#include "core/core.h"

#include <stdio.h>

bool lss__utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* eight ASCII bytes, none NUL, at a time */
        if (len - i >= 8) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (((v | ((v - 0x0101010101010101u) & ~v)) & 0x8080808080808080u) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == 0)
                return false;
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1; cp = c & 0x1F; min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2; cp = c & 0x0F; min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3; cp = c & 0x07; min = 0x10000;
        } else {
            return false; /* continuation byte, overlong lead C0/C1, or F5..FF */
        }
        if (len - i <= n)
            return false; /* truncated */
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

/* ---- time --------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t lss__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void lss__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int month_days(int y, int m)
{
    static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return md[m - 1];
}

lss_status lss_time_parse(lss_time *out, const char *text)
{
    int y, mo, d, h = 0, mi = 0, s = 0, off = 0;
    const char *p = text;
    if (out == NULL || text == NULL)
        return lss__fail(NULL, LSS_INVALID, "time: NULL argument");
    if (!(digits(p, 4, &y) && p[4] == '-' && digits(p + 5, 2, &mo) && p[7] == '-' &&
          digits(p + 8, 2, &d)))
        goto bad;
    p += 10;
    if (*p == 'T' || *p == 't') {
        if (!(digits(p + 1, 2, &h) && p[3] == ':' && digits(p + 4, 2, &mi) && p[6] == ':' &&
              digits(p + 7, 2, &s)))
            goto bad;
        p += 9;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                goto bad;
            while (*p >= '0' && *p <= '9')
                p++;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (!(digits(p + 1, 2, &oh) && p[3] == ':' && digits(p + 4, 2, &om)) || oh > 23 || om > 59)
                goto bad;
            off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
            p += 6;
        } else {
            goto bad;
        }
    }
    if (*p != '\0')
        goto bad;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 ||
        mi > 59 || s > 60)
        goto range;
    if (s == 60)
        s = 59; /* a leap second is held at :59 so time never runs backwards */
    int64_t t = lss__days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s - off;
    if (!lss__time_fits(t))
        goto range;
    *out = t;
    return LSS_OK;
bad:
    return lss__fail(NULL, LSS_INVALID,
                     "\"%.64s\" is not a timestamp (expected YYYY-MM-DD or RFC 3339 like 2024-03-01T09:30:00Z)",
                     text);
range:
    return lss__fail(NULL, LSS_INVALID, "\"%.64s\" is out of range (years 1970-9999, valid date and time)", text);
}

void lss__fmt_time(char buf[LSS_TIME_BUFSIZE], lss_time t)
{
    int64_t y;
    unsigned m, d;
    int64_t days = t / 86400, sec = t % 86400;
    if (sec < 0)
        sec += 86400, days--;
    char tmp[64];
    lss__civil_from_days(days, &y, &m, &d);
    snprintf(tmp, sizeof tmp, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d, (int)(sec / 3600),
             (int)(sec / 60 % 60), (int)(sec % 60));
    memcpy(buf, tmp, LSS_TIME_BUFSIZE - 1);
    buf[LSS_TIME_BUFSIZE - 1] = '\0';
}

lss_status lss_time_format(char *buf, size_t size, lss_time t)
{
    if (buf == NULL || size < LSS_TIME_BUFSIZE)
        return lss__fail(NULL, LSS_INVALID, "time: buffer of %zu bytes is too small (need %d)", size,
                         LSS_TIME_BUFSIZE);
    if (!lss__time_fits(t))
        return lss__fail(NULL, LSS_INVALID, "time %lld is out of range (0 to %lld)", (long long)t,
                         (long long)LSS_TIME_MAX);
    lss__fmt_time(buf, t);
    return LSS_OK;
}

/* ---- money -------------------------------------------------------------- */

lss_status lss_money_parse(lss_money *out, const char *text)
{
    const char *p = text;
    bool neg = false;
    int64_t v = 0;
    int ndig = 0, nfrac = 0;
    if (out == NULL || text == NULL)
        return lss__fail(NULL, LSS_INVALID, "money: NULL argument");
    if (*p == '-')
        neg = true, p++;
    for (; *p >= '0' && *p <= '9'; p++, ndig++) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, *p - '0', &v))
            goto overflow;
    }
    if (*p == '.') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++, nfrac++) {
            if (nfrac == 2)
                goto bad;
            if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, *p - '0', &v))
                goto overflow;
        }
        if (nfrac == 0)
            goto bad;
    }
    if (*p != '\0' || ndig == 0)
        goto bad;
    for (; nfrac < 2; nfrac++)
        if (__builtin_mul_overflow(v, 10, &v))
            goto overflow;
    /* accumulated negatively so that INT64_MIN cents is reachable */
    if (!neg && __builtin_mul_overflow(v, -1, &v))
        goto overflow;
    *out = v;
    return LSS_OK;
bad:
    return lss__fail(NULL, LSS_INVALID,
                     "\"%.64s\" is not a money amount (expected a decimal like 1234.56, at most 2 fraction digits)",
                     text);
overflow:
    return lss__fail(NULL, LSS_OVERFLOW, "\"%.64s\" does not fit in 64-bit minor units", text);
}

lss_status lss_money_format(char *buf, size_t size, lss_money m)
{
    if (buf == NULL || size < LSS_MONEY_BUFSIZE)
        return lss__fail(NULL, LSS_INVALID, "money: buffer of %zu bytes is too small (need %d)", size,
                         LSS_MONEY_BUFSIZE);
    uint64_t u = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
    snprintf(buf, size, "%s%llu.%02u", m < 0 ? "-" : "", (unsigned long long)(u / 100), (unsigned)(u % 100));
    return LSS_OK;
}

/* ---- checks used by every mutation ------------------------------------- */

lss_status lss__check_time(lss_db *db, const char *ctx, const char *field, lss_time t)
{
    if (!lss__time_fits(t))
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\": %lld is out of range (0 to %lld, years 1970-9999)",
                         ctx, field, (long long)t, (long long)LSS_TIME_MAX);
    return LSS_OK;
}

lss_status lss__check_key(lss_db *db, const char *ctx, const char *field, const char *key)
{
    if (key == NULL)
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\" is required", ctx, field);
    size_t n = strlen(key);
    if (n == 0 || n > LSS__KEY_MAX)
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\": key of %zu bytes (expected 1 to %u)", ctx,
                         field, n, LSS__KEY_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c < 0x20 || c == 0x7F)
            return lss__fail(db, LSS_INVALID, "%s: field \"%s\": control character 0x%02X at byte %zu", ctx,
                             field, c, i);
    }
    if (!lss__utf8_valid(key, n))
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\": key is not valid UTF-8", ctx, field);
    return LSS_OK;
}

lss_status lss__check_text(lss_db *db, const char *ctx, const char *field, const char *s, size_t max,
                           bool required, bool nonempty)
{
    if (s == NULL) {
        if (required)
            return lss__fail(db, LSS_INVALID, "%s: field \"%s\" is required", ctx, field);
        return LSS_OK;
    }
    size_t n = strlen(s);
    if (n > max)
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\": %zu bytes is too long (at most %zu)", ctx, field,
                         n, max);
    if (nonempty && n == 0)
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\" must not be empty", ctx, field);
    if (!lss__utf8_valid(s, n))
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\" is not valid UTF-8", ctx, field);
    return LSS_OK;
}

bool lss__currency_valid(const char *c)
{
    for (int i = 0; i < 3; i++)
        if (c[i] < 'A' || c[i] > 'Z')
            return false;
    return c[3] == '\0';
}

lss_status lss__check_money(lss_db *db, const char *ctx, const char *field, lss_money m, bool positive)
{
    if (positive ? m <= 0 : m < 0) {
        char buf[LSS_MONEY_BUFSIZE];
        lss_money_format(buf, sizeof buf, m);
        return lss__fail(db, LSS_INVALID, "%s: field \"%s\": %s must be %s", ctx, field, buf,
                         positive ? "> 0" : ">= 0");
    }
    return LSS_OK;
}

