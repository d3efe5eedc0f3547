/**
 * @file salesservice/metrics.h
 * @brief Sales metrics as of any moment (the sales part of the metrics spec).
 *
 * Every metric is computed for a window W = [from, to) and only from events
 * with at < to: the database as it was at `to`. Ratios are exact fractions
 * (#lss_ratio); a ratio whose denominator is 0 has no value. See
 * docs/metrics.md for each definition.
 */
#ifndef SALESSERVICE_METRICS_H
#define SALESSERVICE_METRICS_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An exact ratio num / den. No value when den == 0 (never 0, never NaN). */
typedef struct lss_ratio {
    int64_t num;
    int64_t den;
} lss_ratio;

/** Version of #lss_query this header describes. */
#define LSS_QUERY_VERSION 1

/** The window and filter of a metric. Initialise with #LSS_QUERY_INIT or lss_query_init(). */
typedef struct lss_query {
    unsigned int version;   /**< #LSS_QUERY_VERSION */
    lss_time from;          /**< window start (inclusive); #LSS_TIME_NONE: the beginning of time */
    lss_time to;            /**< window end (exclusive); #LSS_TIME_NONE: one second after the latest event */
    const char *member;     /**< only deals owned (as of `to`) by this member key, or NULL */
    const char *team;       /**< only deals owned (as of `to`) by members of this team, or NULL */
    const char *segment;    /**< only customers whose segment as of `to` is this, or NULL */
} lss_query;

/** Static initialiser: the whole history, no filter. */
#define LSS_QUERY_INIT { LSS_QUERY_VERSION, LSS_TIME_NONE, LSS_TIME_NONE, NULL, NULL, NULL }

/** Set @p q to #LSS_QUERY_INIT. @return #LSS_OK, #LSS_INVALID, #LSS_VERSION. */
LSS_API lss_status lss_query_init(lss_query *q, unsigned int version);

/** Sales figures of one window and filter. */
typedef struct lss_sales_metrics {
    lss_time from, to;             /**< the window actually used (to resolved) */
    int64_t deals_opened;          /**< deals opened in W */
    int64_t won;                   /**< deals whose win is in W */
    int64_t lost;                  /**< deals lost as of `to` whose latest loss is in W */
    lss_money revenue;             /**< sum of the final amounts of the deals counted in won */
    lss_ratio win_rate;            /**< won / (won + lost) */
    lss_ratio avg_deal_size;       /**< revenue / won, in minor units */
    lss_ratio avg_sales_cycle_days; /**< sum of (win - open) seconds / (won * 86400) */
    int64_t funnel_reached[5];     /**< cohort (opened in W) whose furthest stage as of `to` is >= prospect .. won */
    lss_money open_pipeline;       /**< sum of current amounts of deals open as of `to` */
    lss_ratio weighted_pipeline;   /**< sum of amount x probability percent of their stage / 100, in minor units */
} lss_sales_metrics;

/**
 * Compute the sales metrics of @p q (NULL: whole history, no filter).
 * @return #LSS_OK; #LSS_INVALID (bad window, unknown member); #LSS_VERSION;
 *         #LSS_OVERFLOW (a sum beyond 64 bits).
 */
LSS_API lss_status lss_sales_metrics_get(lss_sales_metrics *out, lss_db *db, const lss_query *q);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_METRICS_H */
