/* Business calendars of a database (event calendar.set, docs/calendars.md):
 * each definition of each key from its `at` on, built into a calendar
 * (lib/core/calendar.c) when it is set, its zone read once per handle. */
#include "domain/rules.h"

#include <stdio.h>

static lss__zone *zone_cached(const lss_db *db, const char *name)
{
    for (uint32_t i = 0; i < db->zones.count; i++) {
        lss__zone *z = LSS__VEC_AT(&db->zones, lss__zone *, i);
        if (strcmp(lss__zone_name(z), name) == 0)
            return z;
    }
    return NULL;
}

/* The latest definition of `key` (any moment), or NULL. */
static const lss__cal_def *latest(const lss_db *db, const char *key)
{
    for (uint32_t i = db->cals.count; i-- > 0;) {
        const lss__cal_def *d = &LSS__VEC_AT(&db->cals, lss__cal_def, i);
        if (strcmp(d->key, key) == 0)
            return d;
    }
    return NULL;
}

const lss_calendar *lss__calendar_at(const lss_db *db, const char *key, lss_time t)
{
    const lss__cal_def *best = NULL;
    for (uint32_t i = 0; i < db->cals.count; i++) {
        const lss__cal_def *d = &LSS__VEC_AT(&db->cals, lss__cal_def, i);
        if (strcmp(d->key, key) == 0 && (t == LSS_TIME_NONE || d->at <= t) && (best == NULL || d->at >= best->at))
            best = d;
    }
    return best ? best->cal : NULL;
}

lss_status lss__calendar_set_check(lss_db *db, lss__cmd *c)
{
    const char *const *s = c->ev.s;
    char ctx[LSS__KEY_MAX + 64];
    lss_status st;
    if ((st = lss__check_key(db, "calendar.set", "key", s[0])))
        return st;
    snprintf(ctx, sizeof ctx, "calendar.set: calendar \"%s\": ", s[0]);
    if (s[1] == NULL || s[1][0] == 0 || strlen(s[1]) > LSS_TIMEZONE_MAX)
        return lss__fail(db, LSS_INVALID, "%sfield \"timezone\": %s", ctx,
                         s[1] == NULL ? "is required" : "is empty or longer than 64 bytes");
    if (s[2] == NULL)
        return lss__fail(db, LSS_INVALID, "%sfield \"hours\" is required", ctx);
    const lss__cal_def *prev = latest(db, s[0]);
    if (prev && c->ev.at < prev->at) {
        char a[LSS_TIME_BUFSIZE], b[LSS_TIME_BUFSIZE];
        lss__fmt_time(a, c->ev.at);
        lss__fmt_time(b, prev->at);
        return lss__fail(db, LSS_OUT_OF_ORDER, "%sat %s is before its latest definition at %s", ctx, a, b);
    }
    lss_hours *hours = NULL;
    lss_date *days = NULL;
    size_t nh = 0, nd = 0;
    if ((st = lss__hours_parse(db, ctx, s[2], &hours, &nh)) == LSS_OK &&
        (st = lss__hours_valid(db, ctx, hours, nh, true)) == LSS_OK &&
        (st = lss__dates_parse(db, ctx, s[3], &days, &nd)) == LSS_OK) {
        lss__zone *z = zone_cached(db, s[1]);
        bool own = z == NULL;
        if (own)
            st = lss__zone_load(&z, db, ctx, db->zoneinfo, s[1]);
        if (st == LSS_OK)
            st = lss__calendar_make(&c->made, db, ctx, z, own, hours, nh, days, nd);
    }
    lss__free(hours);
    lss__free(days);
    return st;
}

lss_status lss__calendar_set_reserve(lss_db *db, lss__cmd *c)
{
    if (lss__vec_reserve(&db->cals, sizeof(lss__cal_def), 1))
        return LSS_NOMEM;
    return c->made && c->made->own_zone ? lss__vec_reserve(&db->zones, sizeof(lss__zone *), 1) : LSS_OK;
}

void lss__calendar_set_apply(lss_db *db, lss__cmd *c)
{
    lss_calendar *cal = c->made;
    c->made = NULL;
    if (cal->own_zone) {
        LSS__VEC_AT(&db->zones, lss__zone *, db->zones.count++) = cal->zone;
        cal->own_zone = false;
    }
    cal->key = c->txt[0];
    cal->since = c->ev.at;
    lss__cal_def d = { c->ev.at, lss__next_seq(db), c->txt[0], c->txt[1], c->txt[2], c->txt[3], cal };
    LSS__VEC_AT(&db->cals, lss__cal_def, db->cals.count++) = d;
}

lss_status lss__calendar_restore(lss_db *db, lss_time at, uint32_t seq, const char *const texts[4])
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_CALENDAR_SET, at);
    memcpy(c.ev.s, texts, 4 * sizeof texts[0]);
    lss_status st = lss__calendar_set_check(db, &c);
    for (int k = 0; k < 4 && st == LSS_OK; k++)
        if (texts[k] && lss__arena_strdup(&db->text, texts[k], &c.txt[k]))
            st = LSS_NOMEM;
    if (st == LSS_OK && lss__calendar_set_reserve(db, &c))
        st = LSS_NOMEM;
    if (st == LSS_OK)
        lss__apply_as_seq(db, seq, lss__calendar_set_apply, &c);
    lss__calendar_free(c.made);
    return st;
}

void lss__calendars_back(lss_db *db, uint32_t count)
{
    while (db->cals.count > count)
        lss__calendar_free(LSS__VEC_AT(&db->cals, lss__cal_def, --db->cals.count).cal);
}

void lss__calendars_free(lss_db *db)
{
    lss__calendars_back(db, 0);
    lss__vec_free(&db->cals);
    for (uint32_t i = 0; i < db->zones.count; i++)
        lss__zone_free(LSS__VEC_AT(&db->zones, lss__zone *, i));
    lss__vec_free(&db->zones);
}

lss_status lss_calendar_find(const lss_calendar **out, const lss_db *db, const char *key, lss_time as_of)
{
    if (out)
        *out = NULL;
    if (out == NULL || db == NULL || key == NULL)
        return lss__fail(db, LSS_INVALID, "calendar find: NULL argument");
    lss__lock(db);
    const lss_calendar *c = lss__calendar_at(db, key, as_of);
    lss_status st = LSS_OK;
    if (c == NULL) {
        char t[LSS_TIME_BUFSIZE] = "";
        if (as_of != LSS_TIME_NONE)
            lss__fmt_time(t, as_of);
        st = lss__fail(db, LSS_NOT_FOUND, "calendar \"%s\" %s%s", key,
                       as_of == LSS_TIME_NONE ? "does not exist" : "has no definition at or before ", t);
    }
    *out = c;
    lss__unlock(db);
    return st;
}

uint32_t lss_calendar_count(const lss_db *db) { return db ? db->cals.count : 0; }

lss_status lss_calendar_get(const lss_calendar **out, const lss_db *db, uint32_t i)
{
    if (out)
        *out = NULL;
    if (out == NULL || db == NULL)
        return lss__fail(db, LSS_INVALID, "calendar get: NULL argument");
    if (i >= db->cals.count)
        return lss__fail(db, LSS_NOT_FOUND, "calendar get: %u is beyond the %u definitions", i, db->cals.count);
    *out = LSS__VEC_AT(&db->cals, lss__cal_def, i).cal;
    return LSS_OK;
}
