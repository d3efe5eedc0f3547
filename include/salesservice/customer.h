/**
 * @file salesservice/customer.h
 * @brief Customers, their history, and the activities logged with them.
 */
#ifndef SALESSERVICE_CUSTOMER_H
#define SALESSERVICE_CUSTOMER_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a customer came from. Pinned values. */
typedef enum lss_source {
    LSS_SOURCE_WEB = 0,
    LSS_SOURCE_REFERRAL = 1,
    LSS_SOURCE_EVENT = 2,
    LSS_SOURCE_OUTBOUND = 3,
    LSS_SOURCE_PARTNER = 4,
    LSS_SOURCE_OTHER = 5
} lss_source;

/** @return "web", "referral", ...; NULL for a value that is not a source. */
LSS_API const char *lss_source_name(int source);
/** Parse a source spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_source_parse(lss_source *out, const char *text);

/** Contact channels, shared by activities and tickets. Pinned values. */
typedef enum lss_channel {
    LSS_CHANNEL_PHONE = 0,
    LSS_CHANNEL_EMAIL = 1,
    LSS_CHANNEL_CHAT = 2,
    LSS_CHANNEL_IN_PERSON = 3,
    LSS_CHANNEL_WEB = 4,
    LSS_CHANNEL_SOCIAL = 5
} lss_channel;

/** @return "phone", "email", "chat", "in_person", "web", "social"; NULL otherwise. */
LSS_API const char *lss_channel_name(int channel);
/** Parse a channel spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_channel_parse(lss_channel *out, const char *text);

/** Kinds of logged activity. Pinned values. */
typedef enum lss_activity_kind {
    LSS_ACTIVITY_CALL = 0,
    LSS_ACTIVITY_EMAIL = 1,
    LSS_ACTIVITY_MEETING = 2,
    LSS_ACTIVITY_DEMO = 3,
    LSS_ACTIVITY_PRESENTATION = 4,
    LSS_ACTIVITY_NEGOTIATION = 5,
    LSS_ACTIVITY_FOLLOW_UP = 6,
    LSS_ACTIVITY_TRAINING = 7,
    LSS_ACTIVITY_OTHER = 8
} lss_activity_kind;

/** @return "call", "email", ..., "follow_up", ...; NULL otherwise. */
LSS_API const char *lss_activity_kind_name(int kind);
/** Parse an activity kind spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_activity_kind_parse(lss_activity_kind *out, const char *text);

/**
 * Add a customer (event `customer.add`).
 *
 * @param[out] out   optional: the new customer, borrowed from @p db
 * @param key        unique customer key (1-128 bytes, no control characters)
 * @param name       UTF-8, at most 256 bytes
 * @param email      optional (NULL), at most 254 bytes
 * @param company    optional (NULL), at most 256 bytes
 * @param segment    optional (NULL), 1-256 bytes
 * @param source     #lss_source (#LSS_SOURCE_OTHER when unknown)
 * @param referred_by optional key of an existing customer; only with
 *                   #LSS_SOURCE_REFERRAL
 * @return #LSS_OK; #LSS_INVALID; #LSS_EXISTS; #LSS_NOT_FOUND (referred_by);
 *         #LSS_NOMEM.
 */
LSS_API lss_status lss_customer_add(const lss_customer **out, lss_db *db, lss_time at,
                                    const char *key, const char *name, const char *email,
                                    const char *company, const char *segment,
                                    lss_source source, const char *referred_by);

/**
 * Change a customer's details (event `customer.update`). NULL leaves a field
 * as it is; at least one field must be given. The earlier values stay in the
 * customer's history (segment filters of reports use the value as of their end).
 * @return #LSS_OK; #LSS_INVALID (nothing given, bad text); #LSS_NOT_FOUND; #LSS_NOMEM.
 */
LSS_API lss_status lss_customer_update(lss_db *db, lss_time at, const char *customer,
                                       const char *name, const char *email,
                                       const char *company, const char *segment);

/**
 * Record that the relationship ended (event `customer.churn`). A later won
 * deal makes the customer active again.
 * @return #LSS_OK; #LSS_INVALID; #LSS_NOT_FOUND; #LSS_NOMEM.
 */
LSS_API lss_status lss_customer_churn(lss_db *db, lss_time at, const char *customer);

/**
 * Erase a customer's personal data (event `customer.erase`, the right to be
 * forgotten): the name becomes "[erased]"; the email, the company and every
 * note, subject, title and comment on the customer's deals, activities and
 * tickets recorded so far are removed (their accessors return NULL). Keys,
 * times, amounts, states and scores stay, so every metric is unchanged.
 * Later events may record new data. A file-backed database's journal keeps
 * the erased texts until lss_db_compact() rewrites it.
 * @return #LSS_OK; #LSS_INVALID; #LSS_NOT_FOUND; #LSS_NOMEM; #LSS_IO.
 */
LSS_API lss_status lss_customer_erase(lss_db *db, lss_time at, const char *customer);

/** @return 1 when @p c was erased (lss_customer_erase()), else 0. */
LSS_API int lss_customer_is_erased(const lss_customer *c);

/** Look a customer up by key. @return #LSS_OK or #LSS_NOT_FOUND (*out = NULL). */
LSS_API lss_status lss_customer_find(const lss_customer **out, const lss_db *db, const char *key);
/** Look a customer up by id (0 .. count-1). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_customer_by_id(const lss_customer **out, const lss_db *db, uint32_t id);
/** @return the number of customers; ids are 0 .. count-1 in the order they were added. */
LSS_API uint32_t lss_customer_count(const lss_db *db);

LSS_API uint32_t lss_customer_id(const lss_customer *c);             /**< dense id */
LSS_API const char *lss_customer_key(const lss_customer *c);         /**< key (borrowed) */
LSS_API const char *lss_customer_name(const lss_customer *c);        /**< current name (borrowed) */
LSS_API const char *lss_customer_email(const lss_customer *c);       /**< current email or NULL */
LSS_API const char *lss_customer_company(const lss_customer *c);     /**< current company or NULL */
LSS_API const char *lss_customer_segment(const lss_customer *c);     /**< current segment or NULL */
LSS_API lss_source lss_customer_source(const lss_customer *c);       /**< source */
LSS_API const lss_customer *lss_customer_referred_by(const lss_customer *c); /**< referrer or NULL */
LSS_API lss_time lss_customer_added_at(const lss_customer *c);       /**< time of customer.add */
/** @return the time of the latest churn, or #LSS_TIME_NONE if never churned. */
LSS_API lss_time lss_customer_churned_at(const lss_customer *c);
/** @return the number of `customer.update`, `customer.churn` and `customer.erase` events applied to @p c. */
LSS_API uint32_t lss_customer_change_count(const lss_customer *c);

/** Kinds of customer change. Pinned values. */
typedef enum lss_customer_change_kind {
    LSS_CUSTOMER_UPDATED = 0,   /**< `customer.update` */
    LSS_CUSTOMER_CHURNED = 1,   /**< `customer.churn` */
    LSS_CUSTOMER_ERASED = 2,    /**< `customer.erase` */
    LSS_CUSTOMER_NPS = 3        /**< `customer.nps`: `score` and `comment` */
} lss_customer_change_kind;
/** @return "updated", "churned", "erased", "nps"; NULL for a value that is not one. */
LSS_API const char *lss_customer_change_kind_name(int kind);

/** One entry of a customer's change history. Strings are borrowed. */
typedef struct lss_customer_change {
    lss_time at;                    /**< when */
    lss_customer_change_kind kind;  /**< what */
    const char *name;               /**< new name, or NULL when not changed */
    const char *email;              /**< new email, or NULL when not changed */
    const char *company;            /**< new company, or NULL when not changed */
    const char *segment;            /**< new segment, or NULL when not changed */
    int score;                      /**< #LSS_CUSTOMER_NPS: the score 0-10; else -1 */
    const char *comment;            /**< #LSS_CUSTOMER_NPS: the comment, or NULL (erased, or none given) */
} lss_customer_change;

/** Copy change @p i (0-based, oldest first) of @p c. @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_customer_change_get(lss_customer_change *out, const lss_customer *c, uint32_t i);

/**
 * Record how likely the customer is to recommend the company (event
 * `customer.nps`), 0-10, with an optional comment (at most 4096 bytes). A
 * later score replaces the earlier one; erasure removes the comment.
 * @return #LSS_OK; #LSS_INVALID (score outside 0-10, bad text); #LSS_NOT_FOUND; #LSS_NOMEM.
 */
LSS_API lss_status lss_customer_nps(lss_db *db, lss_time at, const char *customer, int score, const char *comment);
/** @return the latest NPS score of @p c given before @p t (0-10), or -1 when none; *@p at (if not NULL) when. */
LSS_API int lss_customer_nps_at(const lss_customer *c, lss_time t, lss_time *at);

/** @return the customer's segment as of time @p t (events with at < t), or NULL. */
LSS_API const char *lss_customer_segment_at(const lss_customer *c, lss_time t);

/** The customer's first deal (in order of opening), or NULL; continue with lss_deal_next_of_customer(). */
LSS_API const lss_deal *lss_customer_first_deal(const lss_customer *c);
/** The customer's first activity (in order of logging), or NULL; continue with lss_activity_next_of_customer(). */
LSS_API const lss_activity *lss_customer_first_activity(const lss_customer *c);

/** Where a customer stands. Pinned values. */
typedef enum lss_customer_state {
    LSS_CUSTOMER_STATE_PROSPECT = 0,  /**< no won deal yet (and not churned) */
    LSS_CUSTOMER_STATE_ACTIVE = 1,    /**< at least one won deal and no churn since the latest win */
    LSS_CUSTOMER_STATE_CHURNED = 2    /**< churned at or after the latest win (or without any win) */
} lss_customer_state;

/** @return "prospect", "active", "churned"; NULL otherwise. */
LSS_API const char *lss_customer_state_name(int state);
/** Parse a customer state spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_customer_state_parse(lss_customer_state *out, const char *text);

/**
 * Where @p c stands as of @p t (events with at < t). A win strictly after a
 * churn makes the customer active again.
 * @return the state; #LSS_CUSTOMER_STATE_PROSPECT for a customer added at or after @p t.
 */
LSS_API lss_customer_state lss_customer_state_at(const lss_customer *c, lss_time t);

/** One item of a customer's timeline. */
typedef enum lss_timeline_kind {
    LSS_TIMELINE_DEAL = 0,      /**< a deal, at its opening */
    LSS_TIMELINE_TICKET = 1,    /**< a ticket, at its opening */
    LSS_TIMELINE_ACTIVITY = 2   /**< an activity */
} lss_timeline_kind;

typedef struct lss_timeline_item {
    lss_time at;                 /**< the deal's or ticket's opening, or the activity's time */
    lss_timeline_kind kind;      /**< which of the three handles is set */
    const lss_deal *deal;        /**< for #LSS_TIMELINE_DEAL, else NULL */
    const lss_ticket *ticket;    /**< for #LSS_TIMELINE_TICKET, else NULL */
    const lss_activity *activity; /**< for #LSS_TIMELINE_ACTIVITY, else NULL */
} lss_timeline_item;

/** A snapshot of one customer's deals, tickets and activities in time order. */
typedef struct lss_timeline lss_timeline;

/**
 * Build the timeline of @p customer: its deals, tickets and activities,
 * ordered by time (ties: deals, then tickets, then activities, each in order
 * of creation). The snapshot does not change when the database does.
 *
 * @param[out] out  the timeline; free it with lss_timeline_free()
 * @return #LSS_OK; #LSS_INVALID; #LSS_NOT_FOUND; #LSS_NOMEM.
 */
LSS_API lss_status lss_customer_timeline(lss_timeline **out, lss_db *db, const char *customer);
/** @return the number of items. */
LSS_API uint32_t lss_timeline_count(const lss_timeline *tl);
/** Copy item @p i (0-based). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_timeline_get(lss_timeline_item *out, const lss_timeline *tl, uint32_t i);
/** Free a timeline. NULL is a no-op. */
LSS_API void lss_timeline_free(lss_timeline *tl);

/**
 * Log an activity with a customer (event `activity.log`).
 *
 * @param[out] out  optional: the new activity, borrowed from @p db
 * @param customer  key of an existing customer
 * @param member    key of an existing member (any role)
 * @param duration  seconds, 0 .. 31536000, or -1 for "not given"
 * @param deal      optional key of a deal of the same customer
 * @param note      optional, UTF-8, at most 4096 bytes
 * @return #LSS_OK; #LSS_INVALID; #LSS_NOT_FOUND; #LSS_NOMEM.
 */
LSS_API lss_status lss_activity_log(const lss_activity **out, lss_db *db, lss_time at,
                                    const char *customer, const char *member,
                                    lss_activity_kind kind, lss_channel channel,
                                    int64_t duration, const char *deal, const char *note);

/** @return the number of activities; ids are 0 .. count-1 in the order they were logged. */
LSS_API uint32_t lss_activity_count(const lss_db *db);
/** Look an activity up by id. @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_activity_by_id(const lss_activity **out, const lss_db *db, uint32_t id);

LSS_API uint32_t lss_activity_id(const lss_activity *a);                    /**< dense id */
LSS_API lss_time lss_activity_at(const lss_activity *a);                    /**< when */
LSS_API const lss_customer *lss_activity_customer(const lss_activity *a);   /**< with whom */
LSS_API const lss_member *lss_activity_member(const lss_activity *a);       /**< by whom */
LSS_API const lss_deal *lss_activity_deal(const lss_activity *a);           /**< about which deal, or NULL */
LSS_API lss_activity_kind lss_activity_kind_of(const lss_activity *a);      /**< kind */
LSS_API lss_channel lss_activity_channel(const lss_activity *a);            /**< channel */
LSS_API int64_t lss_activity_duration(const lss_activity *a);               /**< seconds, or -1 */
LSS_API const char *lss_activity_note(const lss_activity *a);               /**< note or NULL (borrowed) */
/** The next activity of the same customer, or NULL. */
LSS_API const lss_activity *lss_activity_next_of_customer(const lss_activity *a);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_CUSTOMER_H */
