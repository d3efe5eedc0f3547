/**
 * @file salesservice/generate.h
 * @brief A realistic, deterministic company: for demos, tests and benchmarks.
 *
 * lss_generate() fills an empty database with a company over a period: a
 * sales team and a service team; leads arriving through the period from
 * several sources (some by referral); deals moving through the pipeline with
 * realistic stage conversion, amounts and cycle times, losses with reasons,
 * reassignments and reopened deals; quotas per sales rep and quarter;
 * activities along the deals; tickets of every kind and channel before
 * (pre-sales) and after purchases, with contacts and handle times, pending
 * spells, reopens and ratings that depend on how fast and how well the
 * ticket was handled; repeat purchases and churn. The same options and seed
 * always give the same events. See docs/lss.md ("lss generate").
 */
#ifndef SALESSERVICE_GENERATE_H
#define SALESSERVICE_GENERATE_H

#include "common.h"
#include "errors.h"
#include "interchange.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Version of #lss_generate_options this header describes (version 1, without
 *  lss_generate_options::order, is still accepted). */
#define LSS_GENERATE_OPTIONS_VERSION 2

/** The order in which lss_generate() writes the company's events. */
typedef enum lss_generate_order {
    LSS_GENERATE_BY_CUSTOMER = 0, /**< one customer's whole story after another (each story in time order) */
    LSS_GENERATE_BY_TIME = 1      /**< every event of the company in time order, as a live system writes them:
                                       the stories interleave (events at the same time in customer order) */
} lss_generate_order;

/** @return "customer", "time"; NULL otherwise. */
LSS_API const char *lss_generate_order_name(int order);
/** Parse an order ("customer" or "time"). @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_generate_order_parse(lss_generate_order *out, const char *text);

/** Options of lss_generate(). Initialise with #LSS_GENERATE_OPTIONS_INIT. */
typedef struct lss_generate_options {
    unsigned int version;     /**< #LSS_GENERATE_OPTIONS_VERSION */
    uint64_t seed;            /**< default 1 */
    uint32_t customers;       /**< leads arriving over the period; default 3000 (1 to 10,000,000) */
    lss_time start;           /**< first day; default 2025-01-01T00:00:00Z */
    uint32_t days;            /**< length of the period; default 365 (1 to 3650) */
    uint32_t sales_reps;      /**< default 6 (1 to 1000) */
    uint32_t agents;          /**< service agents; default 5 (1 to 1000) */
    lss_progress_fn progress; /**< by customer: customers done of the total; by time: the stories
                                   written (the first half), then the events applied (the second);
                                   NULL for none */
    void *progress_ctx;
    lss_generate_order order; /**< version 2: #LSS_GENERATE_BY_CUSTOMER (default) or #LSS_GENERATE_BY_TIME */
} lss_generate_options;

/** Static initialiser: every option at its default. */
#define LSS_GENERATE_OPTIONS_INIT                                                                                  \
    { LSS_GENERATE_OPTIONS_VERSION, 1u, 3000u, INT64_C(1735689600), 365u, 6u, 5u, NULL, NULL, LSS_GENERATE_BY_CUSTOMER }

/**
 * Generate a company into @p db, which must hold no events. The events go
 * through the public API (so they obey every rule) in transactions of about
 * a thousand customers (by customer) or ten thousand events (by time) each.
 * Nothing happens after start + days. Both orders give the same events, so
 * the same state and report; by time, the company's events are held encoded
 * in memory until they are sorted (about 60 bytes an event, 10 events a
 * customer).
 * @return #LSS_OK; #LSS_INVALID (an option out of range); #LSS_MISUSE (the
 *         database is not empty, or a transaction is open); #LSS_NOMEM;
 *         #LSS_IO.
 */
LSS_API lss_status lss_generate(lss_db *db, const lss_generate_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_GENERATE_H */
