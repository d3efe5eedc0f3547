/**
 * @file salesservice/calendar.h
 * @brief Business calendars: working hours in a time zone, holidays, and
 *        the arithmetic of business seconds (docs/calendars.md).
 *
 * A calendar is a time zone (an IANA name resolved with the system's time
 * zone database, TZif files under /usr/share/zoneinfo or a directory the
 * caller names, or a fixed offset `+HH:MM`), weekly hours (intervals of a
 * local weekday) and holidays (local dates, whole days off). Its business
 * time is, for every local date that is not a holiday and every interval
 * [from, to) of that date's weekday, the instants from the UTC instant of
 * the local time `from` to the UTC instant of the local time `to`, local
 * times converted as Python's `zoneinfo` does with `fold=0`: a local time
 * a clock change skips or repeats takes the offset in force before the
 * change. (So hours of 09:00-17:00 are 8 hours on every working day, 23- and
 * 25-hour days included.)
 *
 * A calendar is immutable. One made by lss_calendar_new() belongs to the
 * caller (lss_calendar_free()); one of a database (event `calendar.set`,
 * lss_calendar_set(), found with lss_calendar_find()) is borrowed from it
 * and lives as long as the handle. Every function here is a pure function
 * of its arguments: no global state, no `TZ`, no `localtime`.
 *
 * @code
 * lss_hours h[5];
 * for (int d = 0; d < 5; d++)
 *     h[d] = (lss_hours){ (lss_weekday)d, 9 * 3600, 17 * 3600 };
 * lss_calendar *cal;
 * if (lss_calendar_new(&cal, "Europe/Berlin", h, 5, NULL, 0, NULL) == LSS_OK) {
 *     lss_time due;
 *     lss_calendar_add(&due, cal, friday_1630, 4 * 3600); // Monday 12:30 local
 *     lss_calendar_free(cal);
 * }
 * @endcode
 */
#ifndef SALESSERVICE_CALENDAR_H
#define SALESSERVICE_CALENDAR_H

#include "common.h"
#include "errors.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Days of the week, Monday first. Pinned values. */
typedef enum lss_weekday {
    LSS_MON = 0,
    LSS_TUE = 1,
    LSS_WED = 2,
    LSS_THU = 3,
    LSS_FRI = 4,
    LSS_SAT = 5,
    LSS_SUN = 6
} lss_weekday;

/** @return "mon", "tue", ..., "sun"; NULL otherwise. */
LSS_API const char *lss_weekday_name(int day);
/** Parse a weekday spelling ("mon" ... "sun"). @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_weekday_parse(lss_weekday *out, const char *text);

/** Business hours of one weekday: the local times [from, to), in seconds
 *  after local midnight, 0 <= from < to <= 86400 (86400 is "24:00"). */
typedef struct lss_hours {
    lss_weekday day;
    int32_t from;
    int32_t to;
} lss_hours;

/** A local date as days since 1970-01-01 (so 0 is 1970-01-01, 20454 is 2026-01-01). */
typedef int32_t lss_date;

/** Parse "YYYY-MM-DD" (years 1970-9999, a real date). @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_date_parse(lss_date *out, const char *text);
/** Write @p day as "YYYY-MM-DD" into @p buf (11 bytes). @return @p buf; "" when out of range. */
LSS_API char *lss_date_format(char buf[11], lss_date day);

/** Longest time zone name or offset the library takes. */
#define LSS_TIMEZONE_MAX 64

/** An opaque business calendar. */
typedef struct lss_calendar lss_calendar;

/**
 * Make a calendar of its own (not in a database).
 *
 * @param timezone     an IANA name ("Europe/Berlin", "America/New_York"), or "+HH:MM" / "-HH:MM"
 *                     (at most 23:59); "UTC" needs no zone file
 * @param hours        @p nhours intervals (at least one); intervals of one weekday must not
 *                     overlap (touching is fine); any order
 * @param holidays     @p nholidays local dates (may be NULL when 0), any order, repeats allowed
 * @param zoneinfo_dir where the TZif files are; NULL: /usr/share/zoneinfo
 * @return #LSS_OK; #LSS_INVALID (the message names the field, from lss_errmsg(): an unknown or
 *         unreadable zone, a file that is not TZif, from >= to, an overlap, a bad date);
 *         #LSS_NOMEM.
 */
LSS_API lss_status lss_calendar_new(lss_calendar **out, const char *timezone, const lss_hours *hours,
                                    size_t nhours, const lss_date *holidays, size_t nholidays,
                                    const char *zoneinfo_dir);
/** Free a calendar made by lss_calendar_new() (NULL is fine; never one of a database). */
LSS_API void lss_calendar_free(lss_calendar *cal);

/**
 * The business seconds of @p cal in [@p from, @p to). Exact to the second.
 * @return #LSS_OK; #LSS_INVALID (NULL, a time outside 1970-9999, from > to).
 */
LSS_API lss_status lss_calendar_seconds(int64_t *out, const lss_calendar *cal, lss_time from, lss_time to);

/**
 * The first instant at which @p seconds business seconds of @p cal have
 * passed since @p from (for 0: @p from). When that falls after 9999,
 * #LSS_TIME_NONE.
 * @return #LSS_OK; #LSS_INVALID (NULL, @p from outside 1970-9999, seconds < 0).
 */
LSS_API lss_status lss_calendar_add(lss_time *out, const lss_calendar *cal, lss_time from, int64_t seconds);

/** @return the calendar's time zone as it was given ("Europe/Berlin", "+01:00"); NULL for NULL. */
LSS_API const char *lss_calendar_timezone(const lss_calendar *cal);
/** @return the UTC offset in seconds at @p t (east positive); 0 for NULL. */
LSS_API int32_t lss_calendar_utc_offset(const lss_calendar *cal, lss_time t);
/** @return the number of intervals of hours (as given, sorted by day and from). */
LSS_API uint32_t lss_calendar_hours_count(const lss_calendar *cal);
/** Copy interval @p i of the hours. @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_calendar_hours_get(lss_hours *out, const lss_calendar *cal, uint32_t i);
/** @return the number of holidays (sorted, without repeats). */
LSS_API uint32_t lss_calendar_holidays_count(const lss_calendar *cal);
/** @return holiday @p i; -1 when out of range. */
LSS_API lss_date lss_calendar_holiday(const lss_calendar *cal, uint32_t i);
/** @return the key of a database's calendar; NULL for one of lss_calendar_new(). */
LSS_API const char *lss_calendar_key(const lss_calendar *cal);
/** @return when a database's calendar definition took effect (its `at`); #LSS_TIME_NONE otherwise. */
LSS_API lss_time lss_calendar_since(const lss_calendar *cal);

/* ---- the calendars of a database ------------------------------------------ */

/**
 * Define business calendar @p key from @p at on (event `calendar.set`): a
 * new key makes a calendar, a known one is replaced from @p at on (tickets
 * opened before keep the definition they opened with). Times of the hours
 * are whole minutes. The zone comes from lss_open_options::zoneinfo_dir
 * (default /usr/share/zoneinfo) and is read once per handle.
 * @return #LSS_OK; #LSS_INVALID (the message names the field); #LSS_OUT_OF_ORDER (@p at before the
 *         key's latest definition); #LSS_NOMEM; #LSS_IO; the gate's statuses (docs/api.md).
 */
LSS_API lss_status lss_calendar_set(lss_db *db, lss_time at, const char *key, const char *timezone,
                                    const lss_hours *hours, size_t nhours, const lss_date *holidays,
                                    size_t nholidays);

/**
 * The definition of calendar @p key in force at @p as_of (the latest whose
 * `at` is at or before it; #LSS_TIME_NONE: the latest of all), borrowed
 * from @p db.
 * @return #LSS_OK; #LSS_NOT_FOUND (no such key, or none defined by then); #LSS_INVALID.
 */
LSS_API lss_status lss_calendar_find(const lss_calendar **out, const lss_db *db, const char *key,
                                     lss_time as_of);
/** @return the number of calendar definitions of @p db (every calendar.set). */
LSS_API uint32_t lss_calendar_count(const lss_db *db);
/** Definition @p i of @p db, in the order they were set. @return #LSS_OK, #LSS_NOT_FOUND or #LSS_INVALID. */
LSS_API lss_status lss_calendar_get(const lss_calendar **out, const lss_db *db, uint32_t i);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_CALENDAR_H */
