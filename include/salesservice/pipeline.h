/**
 * @file salesservice/pipeline.h
 * @brief Deals and the sales pipeline state machine.
 *
 * Stages in order: prospect < qualified < presented < negotiated < won;
 * lost is off the line. won is final; lost can be reopened, returning the
 * deal to the stage it was lost from. The rules are a transition table
 * (docs/pipeline.md), checked identically in both pipeline modes except
 * where the mode says otherwise:
 *
 * | event   | strict                        | lenient                       |
 * |---------|-------------------------------|-------------------------------|
 * | advance | to exactly the next stage     | to any later open stage       |
 * | amount  | while open                    | while open                    |
 * | assign  | while open                    | while open                    |
 * | win     | from negotiated               | from any open stage           |
 * | lose    | from any open stage           | from any open stage           |
 * | reopen  | from lost                     | from lost                     |
 *
 * Every deal event must be at or after the deal's latest event
 * (#LSS_OUT_OF_ORDER otherwise).
 */
#ifndef SALESSERVICE_PIPELINE_H
#define SALESSERVICE_PIPELINE_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Pipeline stages. Pinned values; the open stages are ordered. */
typedef enum lss_stage {
    LSS_STAGE_PROSPECT = 0,
    LSS_STAGE_QUALIFIED = 1,
    LSS_STAGE_PRESENTED = 2,
    LSS_STAGE_NEGOTIATED = 3,
    LSS_STAGE_WON = 4,
    LSS_STAGE_LOST = 5
} lss_stage;

/** @return "prospect", ..., "won", "lost"; NULL for a value that is not a stage. */
LSS_API const char *lss_stage_name(int stage);
/** Parse a stage spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_stage_parse(lss_stage *out, const char *text);

/** Why a deal was lost. Pinned values. */
typedef enum lss_loss_reason {
    LSS_LOSS_PRICE = 0,
    LSS_LOSS_COMPETITOR = 1,
    LSS_LOSS_NO_BUDGET = 2,
    LSS_LOSS_NO_DECISION = 3,
    LSS_LOSS_TIMING = 4,
    LSS_LOSS_OTHER = 5
} lss_loss_reason;

/** @return "price", "competitor", "no_budget", "no_decision", "timing", "other"; NULL otherwise. */
LSS_API const char *lss_loss_reason_name(int reason);
/** Parse a loss reason spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_loss_reason_parse(lss_loss_reason *out, const char *text);

/**
 * Open a deal in stage prospect (event `deal.open`).
 *
 * @param[out] out       optional: the new deal, borrowed from @p db
 * @param key            unique deal key
 * @param customer       key of an existing customer
 * @param owner          key of a member with role sales or both
 * @param amount         expected value in minor units, >= 0
 * @param title          optional (NULL), UTF-8, at most 512 bytes
 * @param expected_close optional expected close time, or #LSS_TIME_NONE
 * @return #LSS_OK; #LSS_INVALID; #LSS_EXISTS; #LSS_NOT_FOUND; #LSS_ROLE; #LSS_NOMEM.
 */
LSS_API lss_status lss_deal_open(const lss_deal **out, lss_db *db, lss_time at,
                                 const char *key, const char *customer, const char *owner,
                                 lss_money amount, const char *title, lss_time expected_close);

/**
 * Move a deal forward to @p to, one of qualified, presented, negotiated
 * (event `deal.advance`). In lenient mode the stages in between count as
 * skipped, not entered.
 * @return #LSS_OK; #LSS_INVALID (to is not an open stage after prospect);
 *         #LSS_NOT_FOUND; #LSS_TRANSITION; #LSS_OUT_OF_ORDER; #LSS_NOMEM.
 */
LSS_API lss_status lss_deal_advance(lss_db *db, lss_time at, const char *deal, lss_stage to);

/** Revise the amount of an open deal (event `deal.amount`). Errors as lss_deal_advance(). */
LSS_API lss_status lss_deal_set_amount(lss_db *db, lss_time at, const char *deal, lss_money amount);

/** Give an open deal to another owner (event `deal.assign`); #LSS_ROLE unless sales or both. */
LSS_API lss_status lss_deal_assign(lss_db *db, lss_time at, const char *deal, const char *owner);

/**
 * Win a deal (event `deal.win`). Strict: only from negotiated; lenient:
 * from any open stage.
 * @param amount  final value, or -1 to keep the current amount
 */
LSS_API lss_status lss_deal_win(lss_db *db, lss_time at, const char *deal, lss_money amount);

/** Lose an open deal (event `deal.lose`) with a reason and an optional note (at most 4096 bytes). */
LSS_API lss_status lss_deal_lose(lss_db *db, lss_time at, const char *deal,
                                 lss_loss_reason reason, const char *note);

/** Reopen a lost deal (event `deal.reopen`): it returns to the stage it was lost from. */
LSS_API lss_status lss_deal_reopen(lss_db *db, lss_time at, const char *deal);

/**
 * Set the forecast probability of an open stage (event `stage.probability`),
 * used by the weighted pipeline. Defaults 10, 25, 50, 75 percent.
 * @return #LSS_OK; #LSS_INVALID (stage not open or percent outside 0-100); #LSS_NOMEM.
 */
LSS_API lss_status lss_stage_probability_set(lss_db *db, lss_time at, lss_stage stage, int percent);
/** @return the probability (percent) of open stage @p stage as of @p t (events with at < t), or -1 for a stage that is not open. */
LSS_API int lss_stage_probability_at(const lss_db *db, lss_stage stage, lss_time t);

/* ---- several pipelines (events version 2) -------------------------------- */

/** The key of the pipeline every database has (name "Default"); deals open in it unless told. */
#define LSS_PIPELINE_DEFAULT "default"

/**
 * Add a named sales pipeline (event `pipeline.add`): a product line, a
 * region. Every pipeline has the same stages and rules; each has its own
 * stage probabilities. "default" always exists and cannot be added.
 * @param key   unique pipeline key (the key rules of docs/api.md)
 * @param name  display name, UTF-8, at most 512 bytes
 * @return #LSS_OK; #LSS_INVALID; #LSS_EXISTS; #LSS_NOMEM.
 */
LSS_API lss_status lss_pipeline_add(lss_db *db, lss_time at, const char *key, const char *name);
/** @return the number of pipelines (>= 1: the default is number 0, then the added ones in order). */
LSS_API uint32_t lss_pipeline_count(const lss_db *db);
/** @return the key of pipeline @p i (0 .. count-1), or NULL (borrowed). */
LSS_API const char *lss_pipeline_key(const lss_db *db, uint32_t i);
/** @return the name of pipeline @p i, or NULL (borrowed). */
LSS_API const char *lss_pipeline_name(const lss_db *db, uint32_t i);
/** @return when pipeline @p i was added (#LSS_TIME_NONE for the default), or #LSS_TIME_NONE. */
LSS_API lss_time lss_pipeline_added_at(const lss_db *db, uint32_t i);

/**
 * lss_deal_open() in a pipeline (event `deal.open` with *pipeline*; NULL:
 * the default). A deal stays in its pipeline.
 * @return as lss_deal_open(); #LSS_NOT_FOUND (no such pipeline).
 */
LSS_API lss_status lss_deal_open_in(const lss_deal **out, lss_db *db, lss_time at, const char *key,
                                    const char *customer, const char *owner, lss_money amount, const char *title,
                                    lss_time expected_close, const char *pipeline);

/**
 * lss_stage_probability_set() for one pipeline (event `stage.probability`
 * with *pipeline*; NULL: the default). A pipeline that never set a stage's
 * probability uses 10, 25, 50, 75.
 * @return as lss_stage_probability_set(); #LSS_NOT_FOUND (no such pipeline).
 */
LSS_API lss_status lss_pipeline_stage_probability_set(lss_db *db, lss_time at, const char *pipeline, lss_stage stage,
                                                      int percent);
/** @return the probability of open stage @p stage in @p pipeline (NULL: the default) as of @p t, or -1
 *  (not an open stage, no such pipeline). */
LSS_API int lss_pipeline_stage_probability_at(const lss_db *db, const char *pipeline, lss_stage stage, lss_time t);

/* ---- forecasting (events version 2) -------------------------------------- */

/** Forecast categories. Pinned values. A deal opens in pipeline. */
typedef enum lss_forecast_category {
    LSS_FORECAST_PIPELINE = 0,
    LSS_FORECAST_BEST_CASE = 1,
    LSS_FORECAST_COMMIT = 2,
    LSS_FORECAST_OMITTED = 3
} lss_forecast_category;

/** @return "pipeline", "best_case", "commit", "omitted"; NULL otherwise. */
LSS_API const char *lss_forecast_category_name(int category);
/** Parse a forecast category. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_forecast_category_parse(lss_forecast_category *out, const char *text);

/**
 * Change an open deal's expected close date (event `deal.close_date`). The
 * expected close as of a moment is the latest one set before it (by
 * deal.open or deal.close_date).
 * @return #LSS_OK; #LSS_INVALID (time out of range); #LSS_NOT_FOUND;
 *         #LSS_TRANSITION (won or lost); #LSS_OUT_OF_ORDER; #LSS_NOMEM.
 */
LSS_API lss_status lss_deal_set_close_date(lss_db *db, lss_time at, const char *deal, lss_time expected_close);
/** Put an open deal in a forecast category (event `deal.forecast`). Errors as lss_deal_set_close_date(). */
LSS_API lss_status lss_deal_set_forecast(lss_db *db, lss_time at, const char *deal, lss_forecast_category category);
/**
 * Set an open deal's own probability (event `deal.probability`), 0-100, or
 * -1: back to its stage's. Errors as lss_deal_set_close_date().
 */
LSS_API lss_status lss_deal_set_probability(lss_db *db, lss_time at, const char *deal, int percent);

/** @return the key of the pipeline @p d (a deal of @p db) is in (borrowed), or NULL. */
LSS_API const char *lss_deal_pipeline(const lss_db *db, const lss_deal *d);
/** @return @p d's current forecast category, or -1. */
LSS_API lss_forecast_category lss_deal_forecast(const lss_deal *d);
/** @return @p d's own probability (0-100), or -1 when it uses its stage's (or @p d is NULL). */
LSS_API int lss_deal_own_probability(const lss_deal *d);
/**
 * @p d as of @p t (events with at < t): its expected close, forecast
 * category and probability (its own, else its stage's in its pipeline; a
 * won deal without its own: 100, a lost one: 0). Any output may be NULL.
 * @return #LSS_OK; #LSS_NOT_FOUND (not opened before @p t); #LSS_INVALID.
 */
LSS_API lss_status lss_deal_forecast_at(lss_time *expected_close, lss_forecast_category *category, int *probability,
                                        const lss_db *db, const lss_deal *d, lss_time t);

/** Look a deal up by key. @return #LSS_OK or #LSS_NOT_FOUND (*out = NULL). */
LSS_API lss_status lss_deal_find(const lss_deal **out, const lss_db *db, const char *key);
/** Look a deal up by id (0 .. count-1). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_deal_by_id(const lss_deal **out, const lss_db *db, uint32_t id);
/** @return the number of deals; ids are 0 .. count-1 in the order they were opened. */
LSS_API uint32_t lss_deal_count(const lss_db *db);

LSS_API uint32_t lss_deal_id(const lss_deal *d);                      /**< dense id */
LSS_API const char *lss_deal_key(const lss_deal *d);                  /**< key (borrowed) */
LSS_API const char *lss_deal_title(const lss_deal *d);                /**< title or NULL (borrowed) */
LSS_API const lss_customer *lss_deal_customer(const lss_deal *d);     /**< the customer */
LSS_API const lss_member *lss_deal_owner(const lss_deal *d);          /**< the current owner */
LSS_API lss_stage lss_deal_stage(const lss_deal *d);                  /**< the current stage */
LSS_API lss_money lss_deal_amount(const lss_deal *d);                 /**< current (or final) amount */
LSS_API lss_time lss_deal_opened_at(const lss_deal *d);               /**< time of deal.open */
LSS_API lss_time lss_deal_expected_close(const lss_deal *d);          /**< the latest one set, or #LSS_TIME_NONE */
LSS_API lss_time lss_deal_last_at(const lss_deal *d);                 /**< time of its latest event */
/** @return the stage a lost deal was lost from (and returns to on reopen); for other deals its current stage. */
LSS_API lss_stage lss_deal_lost_from(const lss_deal *d);
/** @return 1 when the deal is open (prospect..negotiated), else 0. */
LSS_API int lss_deal_is_open(const lss_deal *d);
/** The next deal of the same customer (in order of opening), or NULL. */
LSS_API const lss_deal *lss_deal_next_of_customer(const lss_deal *d);

/** Kinds of deal history entries, one per deal event. Pinned values. */
typedef enum lss_deal_change_kind {
    LSS_DEAL_OPENED = 0,      /**< `deal.open`: entered prospect */
    LSS_DEAL_ADVANCED = 1,    /**< `deal.advance`: entered `stage` */
    LSS_DEAL_AMOUNT = 2,      /**< `deal.amount` */
    LSS_DEAL_ASSIGNED = 3,    /**< `deal.assign` */
    LSS_DEAL_WON = 4,         /**< `deal.win`: entered won */
    LSS_DEAL_LOST = 5,        /**< `deal.lose`: entered lost from `from_stage` */
    LSS_DEAL_REOPENED = 6,    /**< `deal.reopen`: entered `stage` again */
    LSS_DEAL_CLOSE_DATE = 7,  /**< `deal.close_date`: `expected_close` changed */
    LSS_DEAL_FORECAST = 8,    /**< `deal.forecast`: `forecast` changed */
    LSS_DEAL_PROBABILITY = 9  /**< `deal.probability`: `probability` set (or back to the stage's) */
} lss_deal_change_kind;

/** @return "opened", "advanced", "amount", "assigned", "won", "lost", "reopened", "close_date", "forecast",
 *  "probability"; NULL otherwise. */
LSS_API const char *lss_deal_change_kind_name(int kind);

/**
 * One entry of a deal's history: the event and the deal's state right
 * after it. The stage history is the entries whose kind enters a stage
 * (opened, advanced, won, lost, reopened); the amount history is where
 * `amount` changes; the owner history is where `owner` changes.
 */
typedef struct lss_deal_change {
    lss_time at;                  /**< when */
    lss_deal_change_kind kind;    /**< which event */
    lss_stage stage;              /**< stage after the event */
    lss_stage from_stage;         /**< stage before the event */
    lss_money amount;             /**< amount after the event */
    const lss_member *owner;      /**< owner after the event */
    lss_loss_reason reason;       /**< for #LSS_DEAL_LOST; else #LSS_LOSS_OTHER */
    const char *note;             /**< for #LSS_DEAL_LOST: the note or NULL (borrowed) */
    lss_time expected_close;      /**< expected close after the event, or #LSS_TIME_NONE */
    lss_forecast_category forecast; /**< forecast category after the event */
    int probability;              /**< the deal's own probability after the event, or -1 (its stage's) */
} lss_deal_change;

/** @return the number of history entries of @p d (>= 1: its opening). */
LSS_API uint32_t lss_deal_history_count(const lss_deal *d);
/** Copy history entry @p i (0 = opening, oldest first). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_deal_history_get(lss_deal_change *out, const lss_deal *d, uint32_t i);

/**
 * When did @p d last enter @p stage?
 * @param[out] at  the time, or #LSS_TIME_NONE
 * @return #LSS_OK when it entered the stage, #LSS_NOT_FOUND when it never did
 *         (lenient skips do not count), #LSS_INVALID for a bad stage.
 */
LSS_API lss_status lss_deal_stage_entered(lss_time *at, const lss_deal *d, lss_stage stage);

/** @return the furthest stage of prospect..won that @p d has entered (a lost deal keeps the furthest it reached). */
LSS_API lss_stage lss_deal_furthest_stage(const lss_deal *d);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_PIPELINE_H */
