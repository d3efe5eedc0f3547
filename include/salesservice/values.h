/**
 * @file salesservice/values.h
 * @brief Times and money: parsing and formatting in the event-format spellings.
 */
#ifndef SALESSERVICE_VALUES_H
#define SALESSERVICE_VALUES_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Parse a timestamp: RFC 3339 (`2024-03-01T09:30:00Z`,
 * `2024-03-01T10:30:00+01:00`, fractional seconds dropped) or a date
 * (`2024-03-01`, meaning 00:00:00 UTC). Years 1970-9999.
 *
 * @param[out] out  seconds since the epoch, UTC; unchanged on failure
 * @return #LSS_OK, or #LSS_INVALID (message in lss_errmsg()).
 */
LSS_API lss_status lss_time_parse(lss_time *out, const char *text);

/**
 * Format @p t as `YYYY-MM-DDTHH:MM:SSZ` into @p buf (at least
 * #LSS_TIME_BUFSIZE bytes).
 * @return #LSS_OK, or #LSS_INVALID when @p t is outside [0, #LSS_TIME_MAX]
 *         or @p buf is too small.
 */
LSS_API lss_status lss_time_format(char *buf, size_t size, lss_time t);

/**
 * Parse money: a decimal string with at most two fraction digits
 * (`"1234.56"`, `"1234.5"`, `"1234"`), an optional leading `-`.
 * No exponents, no spaces, no thousands separators.
 *
 * @param[out] out  minor units (cents); unchanged on failure
 * @return #LSS_OK; #LSS_INVALID for a malformed string; #LSS_OVERFLOW when
 *         the value does not fit in 64 bits of cents.
 */
LSS_API lss_status lss_money_parse(lss_money *out, const char *text);

/**
 * Format @p amount as a decimal string with exactly two fraction digits
 * (`-12.05`, `0.00`) into @p buf (at least #LSS_MONEY_BUFSIZE bytes).
 * @return #LSS_OK, or #LSS_INVALID when @p buf is too small.
 */
LSS_API lss_status lss_money_format(char *buf, size_t size, lss_money amount);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_VALUES_H */
