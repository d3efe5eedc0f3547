/**
 * @file salesservice/metrics.h
 * @brief Metrics as of any moment: sales, service, relationship, quotas, and
 *        the full report (metrics spec version 1).
 *
 * Every metric is computed for a window W = [from, to) and only from events
 * with at < to: the database as it was at `to`, whatever was recorded later.
 * Values are exact: counts and money are integers (money in minor units),
 * every other value is an exact fraction (#lss_ratio) that has no value when
 * its denominator is 0 (never 0, never NaN). docs/metrics.md states each
 * definition with an example.
 *
 * Three ways to get a figure:
 * - one metric alone: lss_metric_win_rate() and its siblings, one per metric;
 * - one part: lss_sales_metrics_get(), lss_service_metrics_get(),
 *   lss_relationship_metrics_get() fill a struct;
 * - everything: lss_report_run() computes every metric for one window and
 *   filter, and lss_report_render() prints it as the spec's JSON or as text.
 *
 * Cost: one pass over the deals, tickets and customers (and the members for
 * quotas); the service part also sorts the response and resolution times for
 * the percentiles. All functions lock the database for their duration.
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

/**
 * Round num × @p scale / den to the nearest integer, ties to even (exact,
 * 128-bit intermediate). Example: scale 1 rounds an average of money to the
 * minor unit; scale 1000000 gives a rate in millionths.
 * @return #LSS_OK; #LSS_INVALID (no value: den == 0, NULL @p out, scale < 1);
 *         #LSS_OVERFLOW (the result does not fit 64 bits).
 */
LSS_API lss_status lss_ratio_round(int64_t *out, lss_ratio r, int64_t scale);

/**
 * Write @p r as a decimal with @p decimals (0..18) fraction digits, rounded
 * half to even, trailing zeros kept (for example "0.224000"). The text always
 * fits #LSS_RATIO_BUFSIZE bytes.
 * @return #LSS_OK; #LSS_INVALID (no value, bad argument, @p size too small);
 *         #LSS_OVERFLOW (the scaled value does not fit 64 bits).
 */
LSS_API lss_status lss_ratio_format(char *buf, size_t size, lss_ratio r, int decimals);

/** Buffer size that holds any text of lss_ratio_format(). */
#define LSS_RATIO_BUFSIZE 48

/** Version of #lss_query this header describes (version 1, without
 *  lss_query::threads, and version 2, without lss_query::as_of, are still
 *  accepted). */
#define LSS_QUERY_VERSION 3

/** No channel filter (the value of lss_query::channel). */
#define LSS_CHANNEL_ANY (-1)

/**
 * The window and filter of a metric. Initialise with #LSS_QUERY_INIT or
 * lss_query_init(), then set what you need. Filters combine (all must match).
 */
typedef struct lss_query {
    unsigned int version;   /**< #LSS_QUERY_VERSION */
    lss_time from;          /**< window start (inclusive); #LSS_TIME_NONE: the beginning of time */
    lss_time to;            /**< window end (exclusive); #LSS_TIME_NONE: one second after the latest event */
    const char *member;     /**< member key: their deals (owner as of `to`), tickets (assignee as of `to`),
                                 contacts and quotas; NULL: no filter. Must exist. */
    const char *team;       /**< the same for every member of this team; NULL: no filter */
    int channel;            /**< an #lss_channel: tickets opened on it and their contacts (sales
                                 are not narrowed); #LSS_CHANNEL_ANY: no filter */
    const char *segment;    /**< customers whose segment as of `to` is this, with their deals and
                                 tickets; NULL: no filter */
    unsigned int threads;   /**< version 2: threads lss_report_run() may use: 0 (default) lets the
                                 library decide (the ticket pass on a second thread, started and
                                 joined within the call, when the database holds 20,000 deals and
                                 tickets or more); 1: the calling thread only (0 to 64; the
                                 passes use at most 2 today). The single metric functions always
                                 run in the calling thread. */
    lss_time as_of;         /**< version 3: the moment of knowledge. Only events with at < as_of exist
                                 for the query; everything the metrics read "as of `to`" is read as of
                                 as_of, and the window still counts what falls in [from, to).
                                 #LSS_TIME_NONE (default): `to`. So W = next quarter with as_of = today
                                 is today's view of the next quarter. */
    const char *pipeline;   /**< version 3: deals of that pipeline (sales metrics, forecast, stage durations;
                                 quota rows are not narrowed); NULL: every pipeline. Must exist. */
} lss_query;

/** Static initialiser: the whole history, no filter, as of `to`. */
#define LSS_QUERY_INIT { LSS_QUERY_VERSION, LSS_TIME_NONE, LSS_TIME_NONE, NULL, NULL, LSS_CHANNEL_ANY, NULL, 0u, \
                         LSS_TIME_NONE, NULL }

/** Set @p q to #LSS_QUERY_INIT. @return #LSS_OK, #LSS_INVALID, #LSS_VERSION. */
LSS_API lss_status lss_query_init(lss_query *q, unsigned int version);

/* ---- sales ------------------------------------------------------------- */

/** The funnel stages, in order: prospect, qualified, presented, negotiated, won. */
#define LSS_FUNNEL_STAGES 5

/** Sales figures of one window and filter (narrowed by member, team, segment). */
typedef struct lss_sales_metrics {
    lss_time from, to;              /**< the window actually used (from may be #LSS_TIME_NONE) */
    int64_t deals_opened;           /**< deals opened in W */
    int64_t won;                    /**< deals whose win is in W (sales volume) */
    int64_t lost;                   /**< deals lost as of `to` whose latest loss is in W */
    lss_money revenue;              /**< sum of the final amounts of the deals counted in won */
    lss_ratio win_rate;             /**< won / (won + lost) */
    lss_ratio avg_deal_size;        /**< revenue / won, in minor units */
    lss_ratio avg_sales_cycle_days; /**< sum of (win - open) seconds / (won x 86400) */
    lss_ratio lead_conversion_rate; /**< customers added in W with a win before `to` / customers added
                                         in W (narrowed by segment only) */
    int64_t funnel_reached[LSS_FUNNEL_STAGES]; /**< cohort (deals opened in W) whose furthest stage as
                                                    of `to` is >= each stage */
    lss_ratio funnel_conversion[LSS_FUNNEL_STAGES]; /**< reached[s] / reached[s-1]; [0] has no value */
    lss_money open_pipeline;        /**< sum of the current amounts of deals open as of `to` */
    lss_ratio weighted_pipeline;    /**< sum of amount x probability percent of their stage / 100,
                                         in minor units */
} lss_sales_metrics;

/** A forecast of the window (version 2 metrics): money in minor units. */
typedef struct lss_forecast {
    lss_money closed;     /**< `revenue`: the deals won in W */
    lss_money commit;     /**< closed + amounts of the deals open as of as_of, expected to close in W, in commit */
    lss_money best_case;  /**< commit + those in best_case */
    lss_money pipeline;   /**< best_case + those in pipeline */
    lss_ratio weighted;   /**< closed + sum of amount x probability / 100 over those of every category but
                               omitted: minor units rounded half to even at the cent (den 1) */
} lss_forecast;

/** The stays in one open stage that ended in W. */
typedef struct lss_stage_duration {
    int64_t stays;        /**< how many */
    lss_ratio mean_days;  /**< sum of their seconds / (stays x 86400) */
    lss_ratio median_days; /**< nearest-rank median of their seconds, / 86400 */
} lss_stage_duration;

/** The sales figures of version 2 of the metrics (docs/metrics.md), narrowed as lss_sales_metrics. */
typedef struct lss_pipeline_metrics {
    lss_time from, to, as_of;            /**< the window and the moment actually used */
    int64_t open_deals;                  /**< deals open as of as_of (any open time) */
    lss_ratio pipeline_velocity;         /**< open_deals x win_rate x avg_deal_size / avg_sales_cycle_days: minor
                                              units per day, rounded half to even at the cent (den 1); no value
                                              when an input has none or the cycle is 0 */
    lss_forecast forecast;               /**< the forecast of W as of as_of */
    lss_stage_duration stage_durations[4]; /**< prospect, qualified, presented, negotiated */
} lss_pipeline_metrics;

/** Compute the version 2 sales figures of @p q. @return as lss_sales_metrics_get(); #LSS_NOMEM. */
LSS_API lss_status lss_pipeline_metrics_get(lss_pipeline_metrics *out, lss_db *db, const lss_query *q);

/**
 * Compute the sales metrics of @p q (NULL: whole history, no filter).
 * @return #LSS_OK; #LSS_INVALID (NULL argument, empty or out-of-range window,
 *         unknown member, bad channel); #LSS_VERSION; #LSS_OVERFLOW (a sum
 *         beyond 64 bits).
 */
LSS_API lss_status lss_sales_metrics_get(lss_sales_metrics *out, lss_db *db, const lss_query *q);

/* ---- service ----------------------------------------------------------- */

/** Mean and nearest-rank percentiles of a set of durations (seconds). */
typedef struct lss_duration_stats {
    int64_t count;      /**< how many values */
    lss_ratio mean;     /**< sum / count */
    lss_ratio median;   /**< the value at rank ceil(0.5 n) of the sorted values, as v / 1 */
    lss_ratio p90;      /**< the value at rank ceil(0.9 n), as v / 1 */
} lss_duration_stats;

/** Service figures of one window and filter (narrowed by member, team, channel, segment). */
typedef struct lss_service_metrics {
    lss_time from, to;                  /**< the window actually used */
    int64_t tickets_opened;             /**< tickets opened in W */
    int64_t resolved;                   /**< of those, resolved or closed as of `to` */
    lss_ratio resolution_rate;          /**< resolved / tickets_opened */
    lss_ratio fcr_rate;                 /**< share of resolved with <= 1 contact before the first
                                             resolution and no reopen before `to` */
    lss_ratio aht_seconds;              /**< sum of contact durations in W / number of contacts in W */
    lss_ratio csat_percent;             /**< 100 x ratings >= 4 / ratings, over tickets whose latest
                                             rating before `to` is in W */
    lss_ratio csat_mean;                /**< mean score over the same ratings */
    lss_duration_stats first_response_seconds; /**< first contact - open, tickets opened in W */
    lss_duration_stats resolution_seconds;     /**< first resolution - open, tickets opened in W */
    lss_ratio reopen_rate;              /**< among tickets opened in W resolved before `to`, the share
                                             reopened before `to` */
    int64_t backlog;                    /**< tickets new, open or pending as of `to` (any open time) */
    lss_ratio sla_compliance;           /**< among tickets opened in W with a decided SLA outcome, the
                                             share that met both targets */
} lss_service_metrics;

/**
 * Compute the service metrics of @p q (NULL: whole history, no filter).
 * @return as lss_sales_metrics_get(), and #LSS_NOMEM (the percentiles need
 *         room for one value per ticket).
 */
LSS_API lss_status lss_service_metrics_get(lss_service_metrics *out, lss_db *db, const lss_query *q);

/** The buckets of lss_service_levels::backlog_age: [0, 1 d), [1 d, 3 d), [3 d, 7 d), [7 d, 30 d), [30 d, ...). */
#define LSS_BACKLOG_AGE_BUCKETS 5

/** The service levels of version 2 of the metrics (docs/metrics.md), of one window and filter
 *  (narrowed as lss_service_metrics). "As of" is lss_query::as_of (default `to`). */
typedef struct lss_service_levels {
    lss_time from, to, as_of;                 /**< the window and the moment actually used */
    lss_ratio sla_first_response_compliance;  /**< among tickets opened in W whose first-response target is
                                                   decided as of as_of, the share met */
    lss_ratio sla_resolution_compliance;      /**< the same for the resolution target */
    lss_duration_stats first_response_business_seconds; /**< the SLA clock at the first response, over
                                                              the tickets of first_response_seconds */
    lss_duration_stats resolution_business_seconds;     /**< the SLA clock at the first resolution, over
                                                              the tickets of resolution_seconds */
    lss_duration_stats full_resolution_seconds; /**< latest resolution before as_of - open, over tickets
                                                     opened in W resolved or closed as of as_of */
    int64_t backlog_age[LSS_BACKLOG_AGE_BUCKETS]; /**< backlog tickets by age (as_of - open), in the
                                                       buckets of #LSS_BACKLOG_AGE_BUCKETS */
    int64_t backlog_breached;                 /**< backlog tickets whose SLA outcome as of as_of is missed */
} lss_service_levels;

/**
 * Compute the service levels of @p q (NULL: whole history, no filter).
 * @return as lss_service_metrics_get().
 */
LSS_API lss_status lss_service_levels_get(lss_service_levels *out, lss_db *db, const lss_query *q);

/* ---- relationship ------------------------------------------------------ */

/** Relationship figures of one window (narrowed by segment only). */
typedef struct lss_relationship_metrics {
    lss_time from, to;               /**< the window actually used */
    int64_t customers_added;         /**< customers added in W */
    int64_t customers_converted;     /**< customers whose first won deal is in W */
    int64_t active_customers;        /**< a win before `to` and no churn after their latest win */
    lss_ratio retention_rate;        /**< active as of `from` and still as of `to` / active as of `from`;
                                          no value when from is the beginning of time */
    lss_ratio repeat_purchase_rate;  /**< among customers with >= 1 win before `to`, the share with >= 2 */
    int64_t referrals;               /**< customers added in W with a referrer */
    lss_ratio avg_customer_value;    /**< sum of the final amounts of deals won before `to` / customers
                                          with >= 1 win before `to`, in minor units */
} lss_relationship_metrics;

/** Compute the relationship metrics of @p q (NULL: everything). @return as lss_sales_metrics_get(). */
LSS_API lss_status lss_relationship_metrics_get(lss_relationship_metrics *out, lss_db *db, const lss_query *q);

/* ---- follow-up and recommendation (version 2) --------------------------- */

/** Follow-up tasks of one window (narrowed by member and team: the task's member as of as_of; by segment: its
 *  customer's; channel and pipeline do not narrow). */
typedef struct lss_follow_up_metrics {
    lss_time from, to, as_of;         /**< the window and the moment actually used */
    int64_t tasks_due;                /**< tasks not cancelled as of as_of whose due (as of as_of) is in W */
    lss_ratio tasks_on_time_rate;     /**< among tasks_due with due < as_of, the share done at or before their due */
    int64_t tasks_overdue;            /**< tasks open as of as_of whose due is before as_of (any due) */
} lss_follow_up_metrics;

/** Compute the follow-up metrics of @p q. @return as lss_sales_metrics_get(). */
LSS_API lss_status lss_follow_up_metrics_get(lss_follow_up_metrics *out, lss_db *db, const lss_query *q);

/** Net promoter score over the customers whose latest customer.nps before as_of was given in W (narrowed by
 *  segment only). */
typedef struct lss_nps_metrics {
    lss_ratio nps;                    /**< 100 x (scores 9-10 - scores 0-6) / responses */
    int64_t nps_responses;            /**< those customers */
} lss_nps_metrics;

/** Compute the NPS of @p q. @return as lss_sales_metrics_get(). */
LSS_API lss_status lss_nps_metrics_get(lss_nps_metrics *out, lss_db *db, const lss_query *q);

/* ---- quotas ------------------------------------------------------------ */

/** Attainment of one quota (a member's, or a team's sum). */
typedef struct lss_quota_row {
    const lss_member *member;   /**< the member; NULL for a team total */
    lss_time from, to;          /**< the quota period [from, to) */
    lss_money target;           /**< target in minor units (the latest quota.set before as-of) */
    lss_money achieved;         /**< final amounts of deals the member owned at win time, won in the
                                     period and before as-of */
    lss_ratio attainment;       /**< achieved / target */
} lss_quota_row;

/**
 * Attainment of @p member's quota for the period [@p from, @p to) as of
 * @p as_of (#LSS_TIME_NONE: one second after the latest event). The quota must
 * have been set before @p as_of.
 * @return #LSS_OK; #LSS_NOT_FOUND (no such member or quota); #LSS_INVALID;
 *         #LSS_OVERFLOW.
 */
LSS_API lss_status lss_quota_attainment(lss_quota_row *out, lss_db *db, const char *member, lss_time from,
                                        lss_time to, lss_time as_of);

/**
 * A team's attainment for the period [@p from, @p to): target and achieved are
 * the sums over the members of @p team that have a quota for exactly that
 * period as of @p as_of; out->member is NULL.
 * @return #LSS_OK; #LSS_NOT_FOUND (no member of the team has that quota);
 *         #LSS_INVALID; #LSS_OVERFLOW.
 */
LSS_API lss_status lss_team_quota_attainment(lss_quota_row *out, lss_db *db, const char *team, lss_time from,
                                             lss_time to, lss_time as_of);

/* ---- one metric alone -------------------------------------------------- */
/* Each computes one metric of the spec for @p q (NULL: whole history, no
 * filter) and returns it in @p out; the status is as for the part it belongs
 * to. A ratio with den == 0 has no value. */

LSS_API lss_status lss_metric_deals_opened(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_won(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_lost(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_revenue(lss_money *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_win_rate(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_avg_deal_size(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_avg_sales_cycle_days(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_lead_conversion_rate(lss_ratio *out, lss_db *db, const lss_query *q);
/** Funnel: reached[] and conversion[] for prospect .. won (either may be NULL). */
LSS_API lss_status lss_metric_funnel(int64_t reached[LSS_FUNNEL_STAGES], lss_ratio conversion[LSS_FUNNEL_STAGES],
                                     lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_open_pipeline(lss_money *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_weighted_pipeline(lss_ratio *out, lss_db *db, const lss_query *q);

LSS_API lss_status lss_metric_tickets_opened(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_resolved(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_resolution_rate(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_fcr_rate(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_aht_seconds(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_csat_percent(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_csat_mean(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_first_response_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_resolution_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_reopen_rate(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_backlog(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_sla_compliance(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_sla_first_response_compliance(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_sla_resolution_compliance(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_first_response_business_seconds(lss_duration_stats *out, lss_db *db,
                                                              const lss_query *q);
LSS_API lss_status lss_metric_resolution_business_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_full_resolution_seconds(lss_duration_stats *out, lss_db *db, const lss_query *q);
/** backlog_age: the counts of the #LSS_BACKLOG_AGE_BUCKETS buckets. */
LSS_API lss_status lss_metric_backlog_age(int64_t out[LSS_BACKLOG_AGE_BUCKETS], lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_backlog_breached(int64_t *out, lss_db *db, const lss_query *q);

LSS_API lss_status lss_metric_open_deals(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_pipeline_velocity(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_forecast(lss_forecast *out, lss_db *db, const lss_query *q);
/** stage_durations: prospect, qualified, presented, negotiated. */
LSS_API lss_status lss_metric_stage_durations(lss_stage_duration out[4], lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_tasks_due(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_tasks_on_time_rate(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_tasks_overdue(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_nps(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_nps_responses(int64_t *out, lss_db *db, const lss_query *q);

LSS_API lss_status lss_metric_customers_added(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_customers_converted(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_active_customers(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_retention_rate(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_repeat_purchase_rate(lss_ratio *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_referrals(int64_t *out, lss_db *db, const lss_query *q);
LSS_API lss_status lss_metric_avg_customer_value(lss_ratio *out, lss_db *db, const lss_query *q);

/* ---- the full report --------------------------------------------------- */

/** Every metric of one window and filter, computed at once. Opaque; free with lss_report_free(). */
typedef struct lss_report lss_report;

/**
 * Compute every metric of the spec for @p q (NULL: whole history, no
 * filter). The report is a snapshot: later changes to @p db do not alter it.
 * It borrows member handles from @p db, so free it before closing @p db.
 * @return #LSS_OK; #LSS_NOMEM; and as the part functions.
 */
LSS_API lss_status lss_report_run(lss_report **out, lss_db *db, const lss_query *q);
/** Free a report (NULL is a no-op). */
LSS_API void lss_report_free(lss_report *r);
/** @return the sales part (borrowed from @p r). */
LSS_API const lss_sales_metrics *lss_report_sales(const lss_report *r);
/** @return the service part (borrowed from @p r). */
LSS_API const lss_service_metrics *lss_report_service(const lss_report *r);
/** @return the service levels (borrowed from @p r). */
LSS_API const lss_service_levels *lss_report_service_levels(const lss_report *r);
/** @return the version 2 sales figures (borrowed from @p r). */
LSS_API const lss_pipeline_metrics *lss_report_pipeline(const lss_report *r);
/** @return the follow-up figures (borrowed from @p r). */
LSS_API const lss_follow_up_metrics *lss_report_follow_up(const lss_report *r);
/** @return the NPS figures (borrowed from @p r). */
LSS_API const lss_nps_metrics *lss_report_nps(const lss_report *r);
/** @return the moment the report is as of (lss_query::as_of, default `to`). */
LSS_API lss_time lss_report_as_of(const lss_report *r);
/** @return the relationship part (borrowed from @p r). */
LSS_API const lss_relationship_metrics *lss_report_relationship(const lss_report *r);
/** @return the number of quota rows: quotas whose period overlaps the window, by member key then period. */
LSS_API uint32_t lss_report_quota_count(const lss_report *r);
/** Copy quota row @p i into @p out. @return #LSS_OK, #LSS_INVALID, #LSS_NOT_FOUND. */
LSS_API lss_status lss_report_quota_get(lss_quota_row *out, const lss_report *r, uint32_t i);

/** Output formats of lss_report_render(). Pinned values. */
typedef enum lss_report_format {
    LSS_REPORT_JSON = 0,   /**< one JSON object, the exact shape of the metrics spec, no newline */
    LSS_REPORT_TEXT = 1,   /**< aligned plain text for people, lines ending in "\n" */
    LSS_REPORT_CSV = 2     /**< two CSV lines (RFC 4180, "\n" ends each): the column names, then the
                                values; a column is a value of the JSON object, named by the keys on its
                                way joined with '.', an array element by its index from 0
                                (`sales.funnel.1.reached`); null is an empty field */
} lss_report_format;

/**
 * Render @p r. *@p out receives a NUL-terminated string allocated with the
 * library's allocator (free it with lss_free()); *@p len (if not NULL) its
 * length. In JSON, money is a string with two fraction digits, rates are
 * numbers rounded half to even to 6 decimals, a value that does not exist
 * is null.
 * @return #LSS_OK; #LSS_INVALID; #LSS_NOMEM.
 */
LSS_API lss_status lss_report_render(char **out, size_t *len, const lss_report *r, lss_report_format format);

/* ---- several databases: one report of their union ------------------------- */

/** Options of lss_report_merge(). Initialise with #LSS_MERGE_OPTIONS_INIT. */
#define LSS_MERGE_OPTIONS_VERSION 1
typedef struct lss_merge_options {
    unsigned int version;   /**< #LSS_MERGE_OPTIONS_VERSION */
    double sketch_error;    /**< 0 (default): every percentile exact. Above 0 (at most 0.5): the duration
                                 percentiles (medians, p90s) from a mergeable quantile sketch, each within
                                 this relative error of the exact one (0.01: 1 %); counts and means stay
                                 exact. Memory: about 16 KiB per duration at 0.01, whatever the data. */
} lss_merge_options;
#define LSS_MERGE_OPTIONS_INIT { LSS_MERGE_OPTIONS_VERSION, 0.0 }

/**
 * The report of the union of @p n databases (shards of one company, say,
 * one per region or tenant): exactly the report lss_report_run() would give
 * for one database holding all their events. Counts and sums add; every
 * ratio is made from the added numerators and denominators; percentiles
 * are exact, from all the durations together (memory: 8 bytes per ticket
 * for each of the five duration figures of the ticket pass, and per stage
 * stay, of all the databases at once), unless @p o asks for a sketch.
 *
 * Keys name the same thing in every database: a member key in several
 * databases is one member (its quota rows for one period are one row:
 * achieved adds, and the targets must agree, else #LSS_INVALID naming the
 * member); customers, deals, tickets and tasks are counted per database,
 * so a key used in two databases for two customers counts as two (keep
 * them unique, or prefix them per database). A member or pipeline filter
 * narrows each database that has it; a database without it counts for
 * nothing, and when none has it the merge fails as lss_report_run() does.
 * The window defaults as in lss_report_run(), over all the databases (to:
 * one second after the latest event of any). Each database is read under
 * its own lock, one after the other; the report borrows member handles from
 * them: free it before closing them.
 *
 * @return #LSS_OK; #LSS_INVALID (NULL, n == 0, a database given twice,
 * currencies that differ, a filter, a window); #LSS_VERSION; #LSS_NOMEM;
 * #LSS_OVERFLOW. The message: lss_errmsg().
 */
LSS_API lss_status lss_report_merge(lss_report **out, lss_db *const *dbs, size_t n, const lss_query *q,
                                    const lss_merge_options *o);

/* ---- time series: a report for each step of a range, in one pass ---------- */

/** The steps of a series, in UTC: days from 00:00, ISO weeks from Monday
 * 00:00, calendar months and quarters (January, April, July, October) from
 * the 1st at 00:00. Pinned values. */
typedef enum lss_step {
    LSS_STEP_DAY = 0,
    LSS_STEP_WEEK = 1,
    LSS_STEP_MONTH = 2,
    LSS_STEP_QUARTER = 3
} lss_step;
/** @return "day", "week", "month", "quarter"; NULL for a value that is not a step. */
LSS_API const char *lss_step_name(int step);
/** Parse a step name. @return #LSS_OK; #LSS_INVALID (the message names the value and the steps). */
LSS_API lss_status lss_step_parse(lss_step *out, const char *name);

/** A series of reports (opaque; free with lss_series_free()). */
typedef struct lss_series lss_series;

/** The most steps one series may have. */
#define LSS_SERIES_MAX_STEPS 100000u

/**
 * One report for each step of the range [@p q->from, @p q->to) (the filters
 * of @p q apply to every step): step i covers [start_i, end_i), where the
 * first starts at `from`, every later one at a step boundary, and the last
 * ends at `to`, so a range that does not begin or end on a boundary has
 * partial first and last steps. Each step's report is as of its end, or as
 * of @p q->as_of when that is earlier: exactly the report lss_report_run()
 * gives for that window and moment. Without `from`, the range starts at the
 * step boundary at or before the first customer's arrival (or before `to`
 * when there is none); `to` defaults as in lss_report_run().
 *
 * All steps are computed in one pass over the deals, tickets, customers and
 * tasks, under one lock: far cheaper than a report per step (figures in
 * docs/performance.md). Memory: one report per step, and the durations of
 * the tickets opened in each step.
 *
 * @return #LSS_OK; #LSS_INVALID (NULL argument, a step that is not one, a
 * window as lss_report_run() refuses it, more than #LSS_SERIES_MAX_STEPS
 * steps); #LSS_VERSION; #LSS_NOMEM; #LSS_OVERFLOW. On failure *@p out is NULL.
 */
LSS_API lss_status lss_series_run(lss_series **out, lss_db *db, const lss_query *q, lss_step step);
/** @return the number of steps (0 for NULL). */
LSS_API uint32_t lss_series_count(const lss_series *s);
/** @return step @p i's report (borrowed from @p s; NULL when @p i is out of range). */
LSS_API const lss_report *lss_series_report(const lss_series *s, uint32_t i);
/** @return the step of @p s (-1 for NULL). */
LSS_API int lss_series_step(const lss_series *s);
/**
 * Render every step. JSON: `{"step":"month","reports":[R0,R1,...]}`, each
 * Ri the report object of lss_report_render(). Text: each step's text report
 * in order, separated by a blank line. CSV: the column names once, then one
 * line per step (the columns of lss_report_render()'s CSV, which the
 * steps share as long as their quota rows are alike; a step whose columns
 * differ gets its own header line before it).
 * @return #LSS_OK; #LSS_INVALID; #LSS_NOMEM.
 */
LSS_API lss_status lss_series_render(char **out, size_t *len, const lss_series *s, lss_report_format format);
/** Free @p s and its reports. NULL is a no-op. */
LSS_API void lss_series_free(lss_series *s);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_METRICS_H */
