/* Time zones and business calendars (salesservice/calendar.h,
 * docs/calendars.md).
 *
 * A zone is read from a TZif file (RFC 8536: the 64-bit data of version 2
 * and later, the footer's POSIX TZ rule for the instants after the last
 * transition) or is a fixed offset; nothing global is read or set.
 *
 * Business time: for every local date that is not a holiday, every interval
 * [from, to) of its weekday is the UTC span [U(from), U(to)), where U
 * converts a local time as zoneinfo does with fold=0: with the offset in
 * force before the first transition i such that L < at_i + max(before_i,
 * after_i). Away from the clock changes U is L - offset, so a run of local
 * days between two changes is counted with week arithmetic: F(x), the
 * business seconds of the local timeline up to x without holidays, is whole
 * weeks times the week's seconds plus a search in the week's intervals, and
 * each holiday in the range takes its day's part back. A day that touches
 * a change (the local times [at + min offset, at + max offset]) is counted
 * interval by interval through U. So a year costs a few runs, the changes'
 * days and the year's holidays, never a walk over days or seconds. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAY INT64_C(86400)
#define WEEK (7 * DAY)
#define MONDAY0 (-3 * DAY) /* 1969-12-29, a Monday, 00:00 */
#define DAY_MAX INT64_C(2932897) /* 10000-01-01 */
#define TZIF_MAX (1u << 20)

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* ---- zones ---------------------------------------------------------------- */

typedef struct rule_date {
    char kind;    /* 'M' month.week.day, 'J' Julian 1-365 without Feb 29, 'N' 0-365 with it */
    int m, w, d;  /* M: month 1-12, week 1-5 (5: last), weekday 0-6 (Sunday 0); J/N: the day in d */
    int32_t secs; /* local time of the change, -167 h to 167 h */
} rule_date;

struct lss__zone {
    char *name;
    uint32_t n;        /* transitions */
    int64_t *at;       /* their UTC instants, ascending */
    int32_t *off;      /* the offset after each */
    int32_t off0;      /* the offset before the first */
    bool rule;         /* the footer has daylight saving time: std/dst after the last transition */
    int32_t std, dst;  /* the footer's offsets (east positive); without rule, std is the offset after */
    bool footer;       /* a footer was given (else the offset after the last transition holds) */
    rule_date start, end;
    bool wide;         /* its offsets span a day or more: midnights' instants may go back */
};

typedef struct trans {
    int64_t at;
    int32_t before, after;
} trans;

const char *lss__zone_name(const lss__zone *z) { return z->name; }

void lss__zone_free(lss__zone *z)
{
    if (z == NULL)
        return;
    lss__free(z->name);
    lss__free(z->at);
    lss__free(z->off);
    lss__free(z);
}

/* The day (since 1970) of a rule's change in year y. */
static int64_t rule_day(const rule_date *r, int64_t y)
{
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int64_t jan1 = lss__days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->d - 1 + (leap && r->d >= 60);
    if (r->kind == 'N')
        return jan1 + r->d;
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int64_t first = lss__days_from_civil(y, (unsigned)r->m, 1);
    int wd_first = (int)((first % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday (4) */
    int64_t day = 1 + (r->d - wd_first + 7) % 7 + (int64_t)(r->w - 1) * 7;
    int len = mdays[r->m - 1] + (r->m == 2 && leap);
    while (day > len)
        day -= 7;
    return first + day - 1;
}

/* The footer rule's two changes of year y, in order. */
static void rule_year(const lss__zone *z, int64_t y, trans out[2])
{
    trans a = { rule_day(&z->start, y) * DAY + z->start.secs - z->std, z->std, z->dst };
    trans b = { rule_day(&z->end, y) * DAY + z->end.secs - z->dst, z->dst, z->std };
    out[0] = a.at <= b.at ? a : b;
    out[1] = a.at <= b.at ? b : a;
}

static int64_t year_of(int64_t t)
{
    int64_t y;
    unsigned m, d;
    lss__civil_from_days(floor_div(t, DAY), &y, &m, &d);
    return y;
}

/* The first change after t; false when there is none. */
static bool next_trans(const lss__zone *z, int64_t t, trans *out)
{
    uint32_t lo = 0, hi = z->n; /* the first at > t */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < z->n) {
        *out = (trans){ z->at[lo], lo ? z->off[lo - 1] : z->off0, z->off[lo] };
        return true;
    }
    if (!z->rule)
        return false;
    int64_t after = t; /* every explicit change is at or before t */
    for (int64_t y = year_of(after) - 1; y <= year_of(after) + 1; y++) {
        trans r[2];
        rule_year(z, y, r);
        for (int k = 0; k < 2; k++)
            if (r[k].at > after) {
                *out = r[k];
                return true;
            }
    }
    return false;
}

/* The offset in force at instant t. */
static int32_t offset_at(const lss__zone *z, int64_t t)
{
    if (z->n && t < z->at[0])
        return z->off0;
    if (z->n && (t < z->at[z->n - 1] || !z->rule)) {
        uint32_t lo = 0, hi = z->n; /* the last at <= t */
        while (hi - lo > 1) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (z->at[mid] <= t)
                lo = mid;
            else
                hi = mid;
        }
        return t >= z->at[z->n - 1] && z->footer ? z->std : z->off[lo];
    }
    if (!z->rule)
        return z->n ? z->off[z->n - 1] : z->std;
    int32_t o = z->n ? z->off[z->n - 1] : z->std;
    int64_t best = z->n ? z->at[z->n - 1] : INT64_MIN;
    for (int64_t y = year_of(t) - 1; y <= year_of(t); y++) {
        trans r[2];
        rule_year(z, y, r);
        for (int k = 0; k < 2; k++)
            if (r[k].at <= t && r[k].at >= best) {
                best = r[k].at;
                o = r[k].after;
            }
    }
    return o;
}

/* UTC of local time L, fold=0. */
static int64_t to_utc(const lss__zone *z, int64_t L)
{
    int64_t t = L - 2 * DAY;
    int32_t o = offset_at(z, t);
    trans tr;
    while (next_trans(z, t, &tr) && tr.at <= L + 2 * DAY) {
        if (L < tr.at + (tr.before > tr.after ? tr.before : tr.after))
            break;
        o = tr.after;
        t = tr.at;
    }
    return L - o;
}

bool lss__zone_fixed(const char *s, int32_t *off)
{
    if (strcmp(s, "UTC") == 0) { /* the same as the zone file, and there without one */
        *off = 0;
        return true;
    }
    if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
        return false;
    for (int i = 1; i < 6; i++)
        if (i != 3 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
    if (h > 23 || m > 59)
        return false;
    *off = (int32_t)((h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1));
    return true;
}

/* ---- the TZif reader --------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

/* POSIX TZ string pieces (RFC 8536 section 3.3). */
static bool tz_name(const char **p)
{
    const char *s = *p;
    if (*s == '<') {
        while (*s && *s != '>')
            s++;
        if (*s != '>' || s - *p < 4)
            return false;
        *p = s + 1;
        return true;
    }
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
        s++;
    if (s - *p < 3)
        return false;
    *p = s;
    return true;
}

/* [+-]hh[:mm[:ss]], hours up to `hmax`; seconds into *out. */
static bool tz_time(const char **p, int hmax, int32_t *out)
{
    const char *s = *p;
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int32_t v[3] = { 0, 0, 0 };
    for (int k = 0; k < 3; k++) {
        if (k > 0 && *s != ':')
            break;
        if (k > 0)
            s++;
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            v[k] = v[k] * 10 + (*s++ - '0');
            digits++;
        }
        if (digits == 0 || (k > 0 && (digits != 2 || v[k] > 59)) || (k == 0 && v[0] > hmax))
            return false;
    }
    *out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
    *p = s;
    return true;
}

static bool tz_num(const char **p, int lo, int hi, int *out)
{
    const char *s = *p;
    int v = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 3) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (digits == 0 || v < lo || v > hi)
        return false;
    *out = v;
    *p = s;
    return true;
}

static bool tz_date(const char **p, rule_date *r)
{
    const char *s = *p;
    r->secs = 2 * 3600;
    if (*s == 'M') {
        s++;
        r->kind = 'M';
        if (!tz_num(&s, 1, 12, &r->m) || *s++ != '.' || !tz_num(&s, 1, 5, &r->w) || *s++ != '.' ||
            !tz_num(&s, 0, 6, &r->d))
            return false;
    } else if (*s == 'J') {
        s++;
        r->kind = 'J';
        if (!tz_num(&s, 1, 365, &r->d))
            return false;
    } else {
        r->kind = 'N';
        if (!tz_num(&s, 0, 365, &r->d))
            return false;
    }
    if (*s == '/') {
        s++;
        if (!tz_time(&s, 167, &r->secs))
            return false;
    }
    *p = s;
    return true;
}

/* The footer: std offset [dst [offset] ,start[/time],end[/time]]. POSIX
 * offsets are west positive. */
static bool tz_footer(lss__zone *z, const char *s)
{
    int32_t std, dst;
    if (!tz_name(&s) || !tz_time(&s, 24, &std))
        return false;
    z->std = -std;
    z->footer = true;
    if (*s == 0)
        return true;
    if (!tz_name(&s))
        return false;
    dst = std - 3600;
    if (*s != ',' && *s && !tz_time(&s, 24, &dst))
        return false;
    z->dst = -dst;
    if (*s++ != ',' || !tz_date(&s, &z->start) || *s++ != ',' || !tz_date(&s, &z->end) || *s)
        return false;
    z->rule = true;
    return true;
}

lss_status lss__zone_parse(lss__zone **out, const lss_db *db, const char *ctx, const char *name,
                           const unsigned char *p, size_t len)
{
    *out = NULL;
#define BAD(why) return lss__fail(db, LSS_INVALID, "%sfield \"timezone\": \"%s\": %s", ctx, name, why)
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        BAD("the zone file is not TZif");
    int version = p[4] == 0 ? 1 : p[4] - '0';
    if (version < 1 || version > 9)
        BAD("the zone file is not TZif");
    size_t at = 0, tsize = 4;
    uint32_t c[6];
    for (int pass = version >= 2 ? 0 : 1; pass < 2; pass++) {
        if (len - at < 44 || memcmp(p + at, "TZif", 4) != 0)
            BAD("the zone file is cut short");
        for (int k = 0; k < 6; k++)
            c[k] = be32(p + at + 20 + 4 * k);
        /* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
        if (c[4] == 0 || c[3] > TZIF_MAX || c[4] > 256 || c[5] > TZIF_MAX || c[2] > TZIF_MAX ||
            (c[0] && c[0] != c[4]) || (c[1] && c[1] != c[4]))
            BAD("the zone file's counts are not valid");
        size_t leap = pass == 0 ? 8 : 4 + tsize;
        size_t body = c[3] * tsize + c[3] + c[4] * 6u + c[5] + c[2] * leap + c[1] + c[0];
        if (len - at - 44 < body)
            BAD("the zone file is cut short");
        if (pass == 0) {
            at += 44 + body; /* the version 1 block: its 32-bit data is not used */
            tsize = 8;
        }
    }
    if (c[2] != 0)
        BAD("the zone counts leap seconds (a \"right/\" zone); use the POSIX one");
    const unsigned char *times = p + at + 44, *idx = times + (size_t)c[3] * tsize, *types = idx + c[3];
    lss__zone *z = lss__malloc(sizeof *z);
    if (z == NULL)
        return lss__fail(db, LSS_NOMEM, "%sout of memory for time zone \"%s\"", ctx, name);
    memset(z, 0, sizeof *z);
    z->name = lss__malloc(strlen(name) + 1);
    z->at = lss__malloc((c[3] ? c[3] : 1) * sizeof *z->at);
    z->off = lss__malloc((c[3] ? c[3] : 1) * sizeof *z->off);
    if (z->name == NULL || z->at == NULL || z->off == NULL) {
        lss__zone_free(z);
        return lss__fail(db, LSS_NOMEM, "%sout of memory for time zone \"%s\"", ctx, name);
    }
    strcpy(z->name, name);
    const char *why = NULL;
    int32_t type_off[256];
    for (uint32_t k = 0; k < c[4]; k++) {
        type_off[k] = (int32_t)be32(types + 6 * k);
        if (type_off[k] <= -89999 || type_off[k] >= 93600 || types[6 * k + 4] > 1)
            why = "the zone file has an offset out of range";
    }
    z->off0 = type_off[0];
    for (uint32_t k = 0; k < c[3] && !why; k++) {
        z->at[k] = tsize == 8 ? be64(times + 8 * k) : (int32_t)be32(times + 4 * k);
        if (idx[k] >= c[4] || (k && z->at[k] <= z->at[k - 1]))
            why = "the zone file's transitions are not valid";
        else
            z->off[k] = type_off[idx[k]];
    }
    z->n = c[3];
    z->std = z->n ? z->off[z->n - 1] : z->off0;
    if (!why && version >= 2) {
        const char *f = (const char *)types + c[4] * 6u + c[5] + (size_t)c[2] * 12 + c[1] + c[0];
        size_t left = len - (size_t)((const unsigned char *)f - p);
        char buf[128];
        if (left < 2 || f[0] != '\n')
            why = "the zone file's footer is missing";
        else {
            size_t k = 1;
            while (k < left && f[k] != '\n' && k < sizeof buf)
                k++;
            if (k >= left || k >= sizeof buf)
                why = "the zone file's footer is not valid";
            else {
                memcpy(buf, f + 1, k - 1);
                buf[k - 1] = 0;
                if (buf[0] && !tz_footer(z, buf))
                    why = "the zone file's footer is not a TZ rule this library reads";
            }
        }
    }
    if (why) {
        lss__zone_free(z);
        BAD(why);
    }
    int32_t lo = z->off0, hi = z->off0;
    for (uint32_t k = 0; k < z->n; k++) {
        lo = z->off[k] < lo ? z->off[k] : lo;
        hi = z->off[k] > hi ? z->off[k] : hi;
    }
    for (int k = 0; k < (z->rule ? 2 : 1); k++) {
        int32_t o = k ? z->dst : z->std;
        lo = o < lo ? o : lo;
        hi = o > hi ? o : hi;
    }
    z->wide = (int64_t)hi - lo >= DAY;
#undef BAD
    *out = z;
    return LSS_OK;
}

static bool name_ok(const char *s)
{
    if (s[0] == 0 || s[0] == '/' || strlen(s) > LSS_TIMEZONE_MAX)
        return false;
    for (const char *q = s; *q; q++) {
        bool ok = (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
                  *q == '/' || *q == '_' || *q == '-' || *q == '+';
        if (!ok || (q[0] == '/' && q[1] == '/'))
            return false;
        if ((q == s || q[-1] == '/') && q[0] == '.')
            return false;
    }
    return true;
}

lss_status lss__zone_load(lss__zone **out, const lss_db *db, const char *ctx, const char *dir, const char *name)
{
    *out = NULL;
    int32_t fixed;
    if (lss__zone_fixed(name, &fixed)) {
        lss__zone *z = lss__malloc(sizeof *z);
        if (z == NULL || (memset(z, 0, sizeof *z), z->name = lss__malloc(strlen(name) + 1)) == NULL) {
            lss__free(z);
            return lss__fail(db, LSS_NOMEM, "%sout of memory for time zone \"%s\"", ctx, name);
        }
        strcpy(z->name, name);
        z->off0 = z->std = fixed;
        *out = z;
        return LSS_OK;
    }
    if (!name_ok(name))
        return lss__fail(db, LSS_INVALID,
                         "%sfield \"timezone\": \"%.64s\" is not a time zone name or an offset (+HH:MM)", ctx, name);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "/usr/share/zoneinfo", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int e = fd < 0 ? errno : EISDIR;
        if (fd >= 0)
            close(fd);
        return lss__fail(db, LSS_INVALID, "%sfield \"timezone\": \"%s\" is not a known time zone (%s: %s)", ctx,
                         name, path, strerror(e));
    }
    if (sb.st_size > (off_t)(16 * TZIF_MAX)) {
        close(fd);
        return lss__fail(db, LSS_INVALID, "%sfield \"timezone\": \"%s\": the zone file is too large", ctx, name);
    }
    size_t len = (size_t)sb.st_size, got = 0;
    unsigned char *buf = lss__malloc(len ? len : 1);
    if (buf == NULL) {
        close(fd);
        return lss__fail(db, LSS_NOMEM, "%sout of memory for time zone \"%s\"", ctx, name);
    }
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    lss_status st = lss__zone_parse(out, db, ctx, name, buf, got);
    lss__free(buf);
    return st;
}

/* ---- calendars --------------------------------------------------------------- */

static int cmp_hours(const void *a, const void *b)
{
    const lss_hours *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->from < y->from ? -1 : x->from > y->from;
}

static int cmp_date(const void *a, const void *b)
{
    lss_date x = *(const lss_date *)a, y = *(const lss_date *)b;
    return x < y ? -1 : x > y;
}

static void fmt_hm(char buf[8], int32_t s)
{
    snprintf(buf, 8, "%02d:%02d", (int)(s / 3600 % 100), (int)(s / 60 % 60));
}

void lss__calendar_free(lss_calendar *c)
{
    if (c == NULL)
        return;
    if (c->own_zone)
        lss__zone_free(c->zone);
    lss__free(c->hours);
    lss__free(c->wstart);
    lss__free(c->holidays);
    lss__free(c);
}

lss_status lss__hours_valid(const lss_db *db, const char *ctx, const lss_hours *hours, size_t nhours, bool minutes)
{
    if (hours == NULL || nhours == 0 || nhours > LSS__HOURS_MAX)
        return lss__fail(db, LSS_INVALID, "%sfield \"hours\": %s", ctx,
                         nhours ? "more than 336 intervals" : "at least one interval is needed");
    char a[8], b[8];
    for (size_t i = 0; i < nhours; i++) {
        const lss_hours *h = &hours[i];
        if (lss_weekday_name((int)h->day) == NULL)
            return lss__fail(db, LSS_INVALID, "%sfield \"hours\"[%zu]: \"day\": %d is not a weekday", ctx, i,
                             (int)h->day);
        if (h->from < 0 || h->to > 86400 || (minutes && (h->from % 60 || h->to % 60)))
            return lss__fail(db, LSS_INVALID, "%sfield \"hours\"[%zu]: times are %sfrom 00:00 to 24:00", ctx, i,
                             minutes ? "whole minutes " : "");
        if (h->from >= h->to)
            return lss__fail(db, LSS_INVALID, "%sfield \"hours\"[%zu]: \"from\" %s is not before \"to\" %s", ctx, i,
                             (fmt_hm(a, h->from), a), (fmt_hm(b, h->to), b));
    }
    return LSS_OK;
}

lss_status lss__calendar_make(lss_calendar **out, const lss_db *db, const char *ctx, lss__zone *zone, bool own,
                              const lss_hours *hours, size_t nhours, const lss_date *holidays, size_t nholidays)
{
    *out = NULL;
    char a[8], b[8], a2[8], b2[8];
    lss_status st = lss__hours_valid(db, ctx, hours, nhours, false);
    if (st == LSS_OK && nholidays && holidays == NULL)
        st = lss__fail(db, LSS_INVALID, "%sfield \"holidays\": NULL with %zu dates", ctx, nholidays);
    if (st == LSS_OK && nholidays > LSS__HOLIDAYS_MAX)
        st = lss__fail(db, LSS_INVALID, "%sfield \"holidays\": more than %u dates", ctx, LSS__HOLIDAYS_MAX);
    for (size_t i = 0; st == LSS_OK && i < nholidays; i++)
        if (holidays[i] < 0 || holidays[i] >= DAY_MAX)
            st = lss__fail(db, LSS_INVALID, "%sfield \"holidays\"[%zu]: %d is not a date of the years 1970-9999", ctx,
                           i, (int)holidays[i]);
    lss_calendar *c = NULL;
    if (st == LSS_OK) {
        c = lss__malloc(sizeof *c);
        if (c != NULL) {
            memset(c, 0, sizeof *c);
            c->hours = lss__malloc(nhours * sizeof *c->hours);
            c->wstart = lss__malloc(nhours * 3 * sizeof *c->wstart);
            c->holidays = lss__malloc((nholidays ? nholidays : 1) * sizeof *c->holidays);
        }
        if (c == NULL || c->hours == NULL || c->wstart == NULL || c->holidays == NULL)
            st = lss__fail(db, LSS_NOMEM, "%sout of memory for a calendar", ctx);
    }
    if (st == LSS_OK) {
        memcpy(c->hours, hours, nhours * sizeof *hours);
        qsort(c->hours, nhours, sizeof *c->hours, cmp_hours);
        for (size_t i = 1; st == LSS_OK && i < nhours; i++)
            if (c->hours[i].day == c->hours[i - 1].day && c->hours[i].from < c->hours[i - 1].to)
                st = lss__fail(db, LSS_INVALID, "%sfield \"hours\": %s %s-%s overlaps %s-%s", ctx,
                               lss_weekday_name((int)c->hours[i].day), (fmt_hm(a, c->hours[i - 1].from), a),
                               (fmt_hm(b, c->hours[i - 1].to), b), (fmt_hm(a2, c->hours[i].from), a2),
                               (fmt_hm(b2, c->hours[i].to), b2));
    }
    if (st != LSS_OK) {
        if (own)
            lss__zone_free(zone);
        if (c)
            c->own_zone = false;
        lss__calendar_free(c);
        return st;
    }
    c->zone = zone;
    c->own_zone = own;
    c->since = LSS_TIME_NONE;
    c->nhours = (uint32_t)nhours;
    c->wend = c->wstart + nhours;
    c->wcum = c->wend + nhours;
    int64_t cum = 0;
    for (uint32_t i = 0; i < c->nhours; i++) {
        c->wstart[i] = c->hours[i].day * DAY + c->hours[i].from;
        c->wend[i] = c->hours[i].day * DAY + c->hours[i].to;
        c->wcum[i] = cum;
        cum += c->wend[i] - c->wstart[i];
    }
    c->week = cum;
    for (int d = 0, i = 0; d <= 7; d++) {
        while (i < (int)nhours && (int)c->hours[i].day < d)
            i++;
        c->day_first[d] = (uint8_t)(d == 7 ? nhours : (size_t)i);
    }
    if (nholidays)
        memcpy(c->holidays, holidays, nholidays * sizeof *holidays);
    qsort(c->holidays, nholidays, sizeof *c->holidays, cmp_date);
    uint32_t n = 0;
    for (size_t i = 0; i < nholidays; i++)
        if (n == 0 || c->holidays[n - 1] != c->holidays[i])
            c->holidays[n++] = c->holidays[i];
    c->nholidays = n;
    *out = c;
    return LSS_OK;
}

/* Business seconds of the local timeline before x, holidays not taken out. */
static int64_t F(const lss_calendar *c, int64_t x)
{
    int64_t y = x - MONDAY0, q = floor_div(y, WEEK), r = y - q * WEEK;
    uint32_t lo = 0, hi = c->nhours; /* the first interval starting after r */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->wstart[mid] <= r)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t v = q * c->week;
    if (lo > 0) {
        uint32_t k = lo - 1;
        v += c->wcum[k] + (r < c->wend[k] ? r : c->wend[k]) - c->wstart[k];
    }
    return v;
}

/* The least local x at which F(x) reaches v (v > 0 counted from the timeline's zero). */
static int64_t F_inverse(const lss_calendar *c, int64_t v)
{
    int64_t q = floor_div(v - 1, c->week), r = v - q * c->week; /* 1 <= r <= week */
    uint32_t lo = 0, hi = c->nhours;                             /* the first interval whose end reaches r */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->wcum[mid] + (c->wend[mid] - c->wstart[mid]) < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    return MONDAY0 + q * WEEK + c->wstart[lo] + (r - c->wcum[lo]);
}

/* The first holiday whose day ends after local x. */
static uint32_t holiday_from(const lss_calendar *c, int64_t x)
{
    int64_t d = floor_div(x, DAY);
    uint32_t lo = 0, hi = c->nholidays;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->holidays[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Business seconds of local [A, B) with holidays taken out (one offset). */
static int64_t local_count(const lss_calendar *c, int64_t A, int64_t B)
{
    int64_t v = F(c, B) - F(c, A);
    for (uint32_t h = holiday_from(c, A); h < c->nholidays && c->holidays[h] * DAY < B; h++) {
        int64_t lo = c->holidays[h] * DAY, hi = lo + DAY;
        v -= F(c, hi < B ? hi : B) - F(c, lo > A ? lo : A);
    }
    return v;
}

/* The least local x in (A, B] with local_count(A, x) == *rem, or INT64_MIN
 * with *rem less what [A, B) holds. */
static int64_t local_find(const lss_calendar *c, int64_t A, int64_t B, int64_t *rem)
{
    for (uint32_t h = holiday_from(c, A); A < B; h++) {
        int64_t end = h < c->nholidays && c->holidays[h] * DAY < B ? c->holidays[h] * DAY : B;
        if (end > A) {
            int64_t fa = F(c, A), have = F(c, end) - fa;
            if (*rem <= have)
                return F_inverse(c, fa + *rem);
            *rem -= have;
        }
        if (end == B)
            break;
        A = end + DAY;
    }
    return INT64_MIN;
}

/* The first change whose local window [at + min, at + max] ends at or after
 * local x; false when there is none. */
static bool window_from(const lss__zone *z, int64_t x, trans *tr, int64_t *lo, int64_t *hi)
{
    int64_t t = x - 2 * DAY;
    while (next_trans(z, t, tr)) {
        int32_t mn = tr->before < tr->after ? tr->before : tr->after;
        int32_t mx = tr->before < tr->after ? tr->after : tr->before;
        *lo = tr->at + mn;
        *hi = tr->at + mx;
        if (*hi >= x)
            return true;
        t = tr->at;
    }
    return false;
}

/* The instant at which local day d begins: the latest instant of the local
 * midnights up to d's. In a zone whose offsets stay within a day that is
 * the instant of d's midnight. Where they span more, a midnight's instant
 * may precede the one before; offsets lie within (-25, +26) hours, so the
 * midnights of more than three days back come earlier and need not be
 * read. The instants are non-decreasing in d. */
static int64_t day_start(const lss__zone *z, int64_t d)
{
    int64_t t = to_utc(z, d * DAY);
    for (int64_t k = d - 3; z->wide && k < d; k++) {
        int64_t u = to_utc(z, k * DAY);
        if (u > t)
            t = u;
    }
    return t;
}

/* The UTC spans of local day d, in order; at most nhours. A local time in
 * a gap converts with the offset before it: past a large gap its instant
 * may lie in the next day, over that day's own spans. So a day's spans are
 * kept within [day_start(d), day_start(d + 1)): the days partition time
 * and no instant is counted twice. */
static uint32_t day_spans(const lss_calendar *c, int64_t d, int64_t *s, int64_t *e)
{
    if (c->nholidays) {
        uint32_t h = holiday_from(c, d * DAY);
        if (h < c->nholidays && c->holidays[h] == d)
            return 0;
    }
    int wd = (int)((d % 7 + 7 + 3) % 7); /* day 0 was a Thursday: weekday 3 */
    uint32_t n = 0;
    int64_t prev = day_start(c->zone, d), next_day = day_start(c->zone, d + 1);
    for (uint32_t k = c->day_first[wd]; k < c->day_first[wd + 1]; k++) {
        int64_t a = to_utc(c->zone, d * DAY + c->hours[k].from), b = to_utc(c->zone, d * DAY + c->hours[k].to);
        if (a < prev)
            a = prev;
        if (b > next_day)
            b = next_day;
        if (b > a) {
            s[n] = a;
            e[n++] = b;
            prev = b;
        }
    }
    return n;
}

/* Walk the days from the one before a's: plain runs with one offset, and
 * the days that touch a change one by one. `fn` gets each piece: a run as
 * (local A, local B, offset) or a day's spans; it returns true to stop. */
typedef struct walk {
    const lss_calendar *c;
    lss_time a, b;  /* seconds: count in [a, b); add: from a */
    int64_t rem;    /* add: what is left */
    int64_t total;  /* seconds */
    lss_time found; /* add */
} walk;

static bool run_piece(walk *w, int64_t A, int64_t B, int32_t o)
{
    if (A < w->a + o)
        A = w->a + o;
    if (w->b != LSS_TIME_NONE) {
        if (B > w->b + o)
            B = w->b + o;
        if (A < B)
            w->total += local_count(w->c, A, B);
        return false;
    }
    if (A >= B)
        return false;
    int64_t x = local_find(w->c, A, B, &w->rem);
    if (x == INT64_MIN)
        return false;
    w->found = x - o;
    return true;
}

static bool day_piece(walk *w, int64_t d)
{
    int64_t s[LSS__HOURS_MAX], e[LSS__HOURS_MAX];
    uint32_t n = day_spans(w->c, d, s, e);
    for (uint32_t k = 0; k < n; k++) {
        int64_t a = s[k] > w->a ? s[k] : w->a, b = e[k];
        if (w->b != LSS_TIME_NONE) {
            if (b > w->b)
                b = w->b;
            if (b > a)
                w->total += b - a;
        } else if (b > a) {
            if (w->rem <= b - a) {
                w->found = a + w->rem;
                return true;
            }
            w->rem -= b - a;
        }
    }
    return false;
}

/* A day is walked on its own when a change's local window touches it (in a
 * wide zone, comes within two days of it): then the midnights that bound it
 * (day_start) all convert with one offset on the days run as a whole. */
static void walk_days(walk *w)
{
    const lss__zone *z = w->c->zone;
    int64_t back = z->wide ? 3 : 0, ahead = z->wide ? 2 : 1, slack = z->wide ? 3 : 1;
    int64_t d = floor_div(w->a + offset_at(z, w->a), DAY) - slack;
    int64_t dend = w->b != LSS_TIME_NONE ? floor_div(w->b + offset_at(z, w->b), DAY) + slack : DAY_MAX;
    while (d <= dend) {
        trans tr;
        int64_t lo, hi;
        bool has = window_from(z, (d - back) * DAY, &tr, &lo, &hi);
        if (has && lo <= (d + ahead) * DAY) { /* the day is near the change */
            if (day_piece(w, d))
                return;
            d++;
            continue;
        }
        int64_t d2 = has ? floor_div(lo + DAY - 1, DAY) - ahead : dend + 1; /* the first day near it */
        if (d2 > dend + 1)
            d2 = dend + 1;
        /* no change ends after local day d - back: the offset is the last
         * one, read where it is in force (the UTC instant d * DAY may precede
         * the last change by up to a day's offset) */
        int32_t o = has ? tr.before : offset_at(z, d * DAY + 2 * DAY);
        if (run_piece(w, d * DAY, d2 * DAY, o))
            return;
        d = d2;
    }
}

int64_t lss__cal_seconds(const lss_calendar *c, lss_time a, lss_time b)
{
    if (b <= a)
        return 0;
    walk w = { c, a, b, 0, 0, LSS_TIME_NONE };
    walk_days(&w);
    return w.total;
}

lss_time lss__cal_add(const lss_calendar *c, lss_time a, int64_t seconds)
{
    if (seconds <= 0)
        return a;
    walk w = { c, a, LSS_TIME_NONE, seconds, 0, LSS_TIME_NONE };
    walk_days(&w);
    /* the days' spans partition time and come in time order: the first
     * instant the walk reaches is the least */
    return w.found != LSS_TIME_NONE && w.found <= LSS_TIME_MAX ? w.found : LSS_TIME_NONE;
}

/* ---- the texts of a calendar.set event ------------------------------------
 * hours: "mon 09:00-17:00;tue 09:00-12:30" in the order given; holidays:
 * "2025-12-25;2025-12-26". What the journal keeps and the JSON shows as
 * arrays. */

char *lss__hours_format(const lss_hours *h, size_t n)
{
    char *out = lss__malloc(n * 16 + 1), *p = out;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char a[8], b[8];
        p += sprintf(p, "%s%s %s-%s", i ? ";" : "", lss_weekday_name((int)h[i].day), (fmt_hm(a, h[i].from), a),
                     (fmt_hm(b, h[i].to), b));
    }
    *p = 0;
    return out;
}

/* "HH:MM", 00:00 to 24:00, into seconds; -1 if not. */
int32_t lss__hm_parse(const char *s, size_t len)
{
    if (len != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return (int32_t)(h * 3600 + m * 60);
}

lss_status lss__hours_parse(const lss_db *db, const char *ctx, const char *text, lss_hours **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 1;
    for (const char *q = text; *q; q++)
        cap += *q == ';';
    lss_hours *h = lss__malloc(cap * sizeof *h);
    if (h == NULL)
        return lss__fail(db, LSS_NOMEM, "%sout of memory", ctx);
    size_t k = 0;
    for (const char *q = text;; k++) {
        const char *e = strchr(q, ';');
        size_t len = e ? (size_t)(e - q) : strlen(q);
        char day[4] = "";
        if (len == 15 && q[3] == ' ' && q[9] == '-') {
            memcpy(day, q, 3);
            day[3] = 0;
        }
        lss_weekday wd = LSS_MON;
        bool ok = false;
        for (int d = 0; day[0] && d < 7 && !ok; d++)
            if (strcmp(day, lss_weekday_name(d)) == 0) {
                wd = (lss_weekday)d;
                ok = true;
            }
        int32_t from = ok ? lss__hm_parse(q + 4, 5) : -1, to = ok ? lss__hm_parse(q + 10, 5) : -1;
        if (from < 0 || to < 0) {
            lss__free(h);
            return lss__fail(db, LSS_INVALID, "%sfield \"hours\"[%zu]: \"%.*s\" is not \"day HH:MM-HH:MM\"", ctx, k,
                             (int)(len < 40 ? len : 40), q);
        }
        h[k] = (lss_hours){ wd, from, to };
        if (e == NULL)
            break;
        q = e + 1;
    }
    *out = h;
    *n = k + 1;
    return LSS_OK;
}

char *lss__dates_format(const lss_date *d, size_t n)
{
    char *out = lss__malloc(n * 11 + 1), *p = out;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char b[11];
        p += sprintf(p, "%s%s", i ? ";" : "", lss_date_format(b, d[i]));
    }
    *p = 0;
    return out;
}

lss_status lss__dates_parse(const lss_db *db, const char *ctx, const char *text, lss_date **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (text == NULL || *text == 0)
        return LSS_OK;
    size_t cap = 1;
    for (const char *q = text; *q; q++)
        cap += *q == ';';
    lss_date *d = lss__malloc(cap * sizeof *d);
    if (d == NULL)
        return lss__fail(db, LSS_NOMEM, "%sout of memory", ctx);
    size_t k = 0;
    for (const char *q = text;; k++) {
        const char *e = strchr(q, ';');
        size_t len = e ? (size_t)(e - q) : strlen(q);
        char b[11] = "";
        if (len == 10)
            memcpy(b, q, 10);
        if (lss_date_parse(&d[k], b) != LSS_OK) {
            lss__free(d);
            return lss__fail(db, LSS_INVALID, "%sfield \"holidays\"[%zu]: \"%.*s\" is not a date (YYYY-MM-DD)", ctx,
                             k, (int)(len < 20 ? len : 20), q);
        }
        if (e == NULL)
            break;
        q = e + 1;
    }
    *out = d;
    *n = k + 1;
    return LSS_OK;
}

/* ---- the public functions ---------------------------------------------------- */

const char *lss_weekday_name(int day)
{
    static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
    return day >= 0 && day <= 6 ? names[day] : NULL;
}

lss_status lss_weekday_parse(lss_weekday *out, const char *text)
{
    for (int d = 0; text && d <= 6; d++)
        if (strcmp(text, lss_weekday_name(d)) == 0) {
            if (out)
                *out = (lss_weekday)d;
            return LSS_OK;
        }
    return lss__fail(NULL, LSS_INVALID, "\"%.32s\" is not a weekday (expected mon, tue, wed, thu, fri, sat or sun)",
                     text ? text : "(null)");
}

lss_status lss_date_parse(lss_date *out, const char *s)
{
    int v[3] = { 0, 0, 0 };
    static const int width[3] = { 4, 2, 2 };
    const char *p = s;
    for (int k = 0; p && k < 3; k++) {
        for (int i = 0; i < width[k]; i++, p++) {
            if (*p < '0' || *p > '9') {
                p = NULL;
                break;
            }
            v[k] = v[k] * 10 + (*p - '0');
        }
        if (p && k < 2 && *p++ != '-')
            p = NULL;
    }
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (p == NULL || *p || v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1] ||
        (v[1] == 2 && v[2] == 29 && !leap))
        return lss__fail(NULL, LSS_INVALID, "\"%.32s\" is not a date (YYYY-MM-DD, years 1970-9999)",
                         s ? s : "(null)");
    if (out)
        *out = (lss_date)lss__days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]);
    return LSS_OK;
}

char *lss_date_format(char buf[11], lss_date day)
{
    if (day < 0 || day >= DAY_MAX) {
        buf[0] = 0;
        return buf;
    }
    int64_t y;
    unsigned m, d;
    lss__civil_from_days(day, &y, &m, &d);
    snprintf(buf, 11, "%04d-%02u-%02u", (int)y, m, d);
    return buf;
}

lss_status lss_calendar_new(lss_calendar **out, const char *timezone, const lss_hours *hours, size_t nhours,
                            const lss_date *holidays, size_t nholidays, const char *zoneinfo_dir)
{
    if (out)
        *out = NULL;
    if (out == NULL || timezone == NULL)
        return lss__fail(NULL, LSS_INVALID, "calendar: NULL argument");
    lss__zone *z;
    lss_status st = lss__zone_load(&z, NULL, "calendar: ", zoneinfo_dir, timezone);
    if (st == LSS_OK)
        st = lss__calendar_make(out, NULL, "calendar: ", z, true, hours, nhours, holidays, nholidays);
    return st;
}

void lss_calendar_free(lss_calendar *cal)
{
    if (cal && cal->key == NULL)
        lss__calendar_free(cal);
}

static lss_status range_ok(const lss_calendar *c, const void *out, lss_time from, const char *what)
{
    if (c == NULL || out == NULL)
        return lss__fail(NULL, LSS_INVALID, "calendar %s: NULL argument", what);
    if (!lss__time_fits(from))
        return lss__fail(NULL, LSS_INVALID, "calendar %s: time %lld is outside the years 1970-9999", what,
                         (long long)from);
    return LSS_OK;
}

lss_status lss_calendar_seconds(int64_t *out, const lss_calendar *cal, lss_time from, lss_time to)
{
    lss_status st = range_ok(cal, out, from, "seconds");
    if (st == LSS_OK && !lss__time_fits(to))
        st = range_ok(cal, out, to, "seconds");
    if (st == LSS_OK && from > to)
        st = lss__fail(NULL, LSS_INVALID, "calendar seconds: from (%lld) is after to (%lld)", (long long)from,
                       (long long)to);
    if (st == LSS_OK)
        *out = lss__cal_seconds(cal, from, to);
    return st;
}

lss_status lss_calendar_add(lss_time *out, const lss_calendar *cal, lss_time from, int64_t seconds)
{
    lss_status st = range_ok(cal, out, from, "add");
    if (st == LSS_OK && seconds < 0)
        st = lss__fail(NULL, LSS_INVALID, "calendar add: %lld seconds is negative", (long long)seconds);
    if (st == LSS_OK)
        *out = lss__cal_add(cal, from, seconds);
    return st;
}

const char *lss_calendar_timezone(const lss_calendar *cal) { return cal ? cal->zone->name : NULL; }
int32_t lss_calendar_utc_offset(const lss_calendar *cal, lss_time t) { return cal ? offset_at(cal->zone, t) : 0; }
uint32_t lss_calendar_hours_count(const lss_calendar *cal) { return cal ? cal->nhours : 0; }
uint32_t lss_calendar_holidays_count(const lss_calendar *cal) { return cal ? cal->nholidays : 0; }
lss_date lss_calendar_holiday(const lss_calendar *cal, uint32_t i)
{
    return cal && i < cal->nholidays ? cal->holidays[i] : -1;
}
const char *lss_calendar_key(const lss_calendar *cal) { return cal ? cal->key : NULL; }
lss_time lss_calendar_since(const lss_calendar *cal) { return cal ? cal->since : LSS_TIME_NONE; }

lss_status lss_calendar_hours_get(lss_hours *out, const lss_calendar *cal, uint32_t i)
{
    if (out == NULL || cal == NULL)
        return lss__fail(NULL, LSS_INVALID, "calendar hours: NULL argument");
    if (i >= cal->nhours)
        return lss__fail(NULL, LSS_NOT_FOUND, "calendar hours: %u is beyond the %u intervals", i, cal->nhours);
    *out = cal->hours[i];
    return LSS_OK;
}
