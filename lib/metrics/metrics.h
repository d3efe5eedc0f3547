/* Private interface between the metric passes (metrics.c) and the report (report.c). */
#ifndef LSS_METRICS_INTERNAL_H
#define LSS_METRICS_INTERNAL_H

#include "domain/domain.h"

/* A query resolved against a database: the window with defaults applied and
 * the filters as handles and interned pointers. */
typedef struct lss__mq {
    lss_time from_given;  /* as asked: LSS_TIME_NONE for the beginning of time */
    lss_time from, to;    /* the window actually used */
    lss_time as_of;       /* the moment of knowledge: only events with at < as_of exist (default: to) */
    const lss_member *member;
    const char *team;     /* interned; "" matches nothing; NULL: no filter */
    const char *segment;  /* interned; "" matches nothing; NULL: no filter */
    int channel;
    int32_t pipeline;     /* the pipeline filter's index; -1: none */
    unsigned threads;     /* lss_query::threads */
} lss__mq;

/* r x mult as text with `decimals` (0 to 6) places, rounded half to even,
 * exact for any ratio (128-bit arithmetic). False if `size` is too small. */
bool lss__ratio_format_scaled(char *buf, size_t size, lss_ratio r, int decimals, int64_t mult);
/* The values a sort of v[0..n) would put at ranks k1 <= k2 < n (0-based),
 * in *x1 and *x2; reorders v. */
void lss__select_two(int64_t *v, size_t n, size_t k1, size_t k2, int64_t *x1, int64_t *x2);

/* All of these run with the database locked and report through lss__fail. */
lss_status lss__mq_resolve(lss__mq *m, lss_db *db, const lss_query *q, const char *ctx);
/* with_lead: also lead_conversion_rate, which takes a pass over the customers
 * (the report gets it from its relationship pass instead). */
lss_status lss__sales_compute(lss_sales_metrics *out, lss_pipeline_metrics *pm, lss_db *db, const lss__mq *m,
                              bool with_lead);
/* The ticket pass: the version 1 service metrics and the service levels (either may be NULL). */
lss_status lss__service_compute(lss_service_metrics *out, lss_service_levels *lv, lss_db *db, const lss__mq *m);
/* The customer pass: the relationship metrics (out may be NULL) and, if lead
 * is not NULL, the lead conversion rate (narrowed by segment only). */
lss_status lss__relationship_compute(lss_relationship_metrics *out, lss_ratio *lead, lss_nps_metrics *nps, lss_db *db,
                                     const lss__mq *m);
/* The task pass: the follow-up metrics. */
void lss__follow_up_compute(lss_follow_up_metrics *out, const lss_db *db, const lss__mq *m);
/* Every part of a report: sales with lead conversion, service, relationship,
 * quota rows; the ticket pass on a second thread unless m->threads is 1 or
 * the database is small. */
typedef struct lss__report_parts {
    lss_sales_metrics sales;
    lss_pipeline_metrics pipeline;
    lss_service_metrics service;
    lss_service_levels levels;
    lss_relationship_metrics rel;
    lss_nps_metrics nps;
    lss_follow_up_metrics follow_up;
} lss__report_parts;
lss_status lss__report_compute(lss__report_parts *p, lss_quota_row **quota, uint32_t *nquota, lss_db *db,
                               const lss__mq *m);
/* The parts of n windows m[0..n-1] in one pass over each kind of entity:
 * p, quota and nquota have n elements. On failure every quota[k] is freed. */
lss_status lss__report_compute_n(lss__report_parts *p, lss_quota_row **quota, uint32_t *nquota, lss_db *db,
                                 const lss__mq *m, uint32_t n);
/* The report of the union of n databases (their events together), exact:
 * the passes of each under its own lock into one set of accumulators, the
 * figures finished once. m[k] is the window and filters resolved against
 * database k (as_of LSS_TIME_NONE: a database where the member or pipeline
 * filter names nothing, which then counts for nothing); m[lead] counts, and
 * its window heads the report. sketch_error > 0: the percentiles from a
 * mergeable sketch within that relative error. */
lss_status lss__report_merge(lss__report_parts *p, lss_quota_row **quota, uint32_t *nquota, lss_db *const *dbs,
                             size_t n, const lss__mq *m, size_t lead, double sketch_error);
/* Quota rows overlapping the window, sorted by member key and period;
 * *out is allocated with lss__malloc (NULL when *count is 0). */
lss_status lss__quota_compute(lss_quota_row **out, uint32_t *count, lss_db *db, const lss__mq *m);

#endif
