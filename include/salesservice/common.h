/**
 * @file salesservice/common.h
 * @brief Export macro, opaque handle types, time and money helpers.
 */
#ifndef SALESSERVICE_COMMON_H
#define SALESSERVICE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(LSS_SHARED_BUILD)
#  define LSS_API __declspec(dllexport)
#elif defined(_WIN32) && defined(LSS_SHARED)
#  define LSS_API __declspec(dllimport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define LSS_API __attribute__((visibility("default")))
#else
#  define LSS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** A database: every customer, member, deal and ticket of one company. */
typedef struct lss_db lss_db;
/** A team member (sales, service or both). Borrowed from its database. */
typedef struct lss_member lss_member;
/** A customer (a person or a company). Borrowed from its database. */
typedef struct lss_customer lss_customer;
/** A deal moving through the sales pipeline. Borrowed from its database. */
typedef struct lss_deal lss_deal;
/** A logged sales or relationship activity. Borrowed from its database. */
typedef struct lss_activity lss_activity;
/** A service ticket. Borrowed from its database. */
typedef struct lss_ticket lss_ticket;
/** A follow-up task (task.h). */
typedef struct lss_task lss_task;

/**
 * A moment in time: whole seconds since 1970-01-01T00:00:00Z (UTC).
 * The library never reads the clock; every event carries the time the
 * caller gives it. Valid range: 0 (1970-01-01) to 253402300799
 * (9999-12-31T23:59:59Z), see #LSS_TIME_MAX.
 */
typedef int64_t lss_time;

/** Money in minor units (cents): "1234.56" is 123456. Never floating point. */
typedef int64_t lss_money;

/** The latest representable moment, 9999-12-31T23:59:59Z. */
#define LSS_TIME_MAX INT64_C(253402300799)
/** "No time": returned by accessors where an optional time is absent. */
#define LSS_TIME_NONE INT64_MIN

/** Size of a buffer that holds any formatted time, with its NUL. */
#define LSS_TIME_BUFSIZE 21
/** Size of a buffer that holds any formatted money amount, with its NUL. */
#define LSS_MONEY_BUFSIZE 24

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_COMMON_H */
