/**
 * @file salesservice/list.h
 * @brief Work queues: lists of deals, tickets and customers, filtered,
 *        sorted and paged, as of any moment (docs/lists.md).
 *
 * A list is taken with lss_list_run() from a filter: every given filter must
 * hold, as of the filter's moment (only events with at < as_of; default now,
 * one second after the latest event). Rows are sorted by one row field
 * (default the key), ties by key, rows whose sort value is absent last; a
 * page is `limit` rows after the row whose key is `after`. The rows of the
 * result are read with lss_list_deal(), lss_list_ticket() and
 * lss_list_customer(): each gives the entity's handle and the values the row
 * shows as of the list's moment.
 *
 * As of now, the library finds the candidates from indexes it keeps current
 * (built by the first list of a handle); a list as of a past moment checks
 * the candidates of the customer's own lists (filter `customer`), the text
 * index (filter `search`) or every entity of the kind.
 *
 * @code
 * lss_list_filter f;
 * lss_list_filter_init(&f, LSS_LIST_DEALS);
 * f.owner = "m-anna";
 * f.open = 1;
 * f.sort = "expected_close";
 * lss_list *l;
 * if (lss_list_run(&l, db, &f) == LSS_OK) {
 *     for (uint32_t i = 0; i < lss_list_count(l); i++) {
 *         lss_deal_row r;
 *         lss_list_deal(&r, l, i);
 *         ... lss_deal_key(r.deal), r.amount, r.probability ...
 *     }
 *     lss_list_free(l);
 * }
 * @endcode
 */
#ifndef SALESSERVICE_LIST_H
#define SALESSERVICE_LIST_H

#include "common.h"
#include "errors.h"
#include "customer.h"
#include "pipeline.h"
#include "task.h"
#include "ticket.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a list holds. Pinned values. */
typedef enum lss_list_kind {
    LSS_LIST_DEALS = 0,
    LSS_LIST_TICKETS = 1,
    LSS_LIST_CUSTOMERS = 2,
    LSS_LIST_TASKS = 3
} lss_list_kind;

/** @return "deals", "tickets", "customers", "tasks"; NULL otherwise. */
LSS_API const char *lss_list_kind_name(int kind);
/** Parse a list kind spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_list_kind_parse(lss_list_kind *out, const char *text);

/** Version of #lss_list_filter this header describes (version 1, without the task filters, is still
 *  accepted). */
#define LSS_LIST_FILTER_VERSION 2u
/** `limit` of a list without a limit. */
#define LSS_LIST_ALL INT64_MAX

/**
 * What a list holds and in which order. Start from lss_list_filter_init()
 * (or #LSS_LIST_FILTER_INIT and set `kind`): every filter unset. A filter
 * of another kind's list set is an error (#LSS_INVALID naming it). Keys are
 * borrowed for the call only.
 */
typedef struct lss_list_filter {
    unsigned version;          /**< #LSS_LIST_FILTER_VERSION */
    lss_list_kind kind;        /**< deals, tickets or customers */
    lss_time as_of;            /**< the moment, or #LSS_TIME_NONE for now */
    const char *sort;          /**< a row field (see docs/lists.md), or NULL for "key" */
    int desc;                  /**< 1: descending (absent values still last) */
    int64_t limit;             /**< rows of the page, >= 1, or #LSS_LIST_ALL */
    const char *after;         /**< the key of the row the page starts after, or NULL */
    /* deals, tickets, tasks */
    const char *customer;      /**< customer key, or NULL */
    int open;                  /**< 1: only open deals / new, open or pending tickets */
    /* deals */
    const char *owner;         /**< owner's member key, or NULL */
    const char *team;          /**< the owner's team, or NULL */
    const char *pipeline;      /**< pipeline key, or NULL */
    unsigned stages;           /**< bit (1u << #lss_stage) per stage; 0: any */
    lss_time closing_from;     /**< expected close >= this, or #LSS_TIME_NONE */
    lss_time closing_to;       /**< expected close < this, or #LSS_TIME_NONE */
    /* tickets, tasks */
    unsigned states;           /**< bit (1u << #lss_ticket_state, or #lss_task_state) per state; 0: any */
    const char *assignee;      /**< assignee's member key, or NULL */
    int unassigned;            /**< 1: only tickets without an assignee */
    unsigned priorities;       /**< bit (1u << #lss_priority) per priority; 0: any */
    int channel;               /**< #lss_channel, or -1 for any */
    lss_time breach_before;    /**< an undecided target due before this, or #LSS_TIME_NONE */
    /* customers */
    const char *segment;       /**< current segment, or NULL */
    int source;                /**< #lss_source, or -1 for any */
    int state;                 /**< #lss_customer_state, or -1 for any */
    const char *search;        /**< case-insensitive (ASCII) substring of name, email or company, or NULL */
    /* tasks (version 2) */
    const char *member;        /**< the task's member key, or NULL */
    lss_time due_from;         /**< due >= this, or #LSS_TIME_NONE */
    lss_time due_to;           /**< due < this, or #LSS_TIME_NONE */
    int overdue;               /**< 1: only open tasks due before the moment */
} lss_list_filter;

/** Every filter unset (set `kind`). */
#define LSS_LIST_FILTER_INIT                                                                        \
    { LSS_LIST_FILTER_VERSION, LSS_LIST_DEALS, LSS_TIME_NONE, NULL, 0, LSS_LIST_ALL, NULL, NULL, 0, NULL, NULL, \
      NULL, 0u, LSS_TIME_NONE, LSS_TIME_NONE, 0u, NULL, 0, 0u, -1, LSS_TIME_NONE, NULL, -1, -1, NULL,      \
      NULL, LSS_TIME_NONE, LSS_TIME_NONE, 0 }

/** Set @p f to #LSS_LIST_FILTER_INIT with @p kind. */
LSS_API void lss_list_filter_init(lss_list_filter *f, lss_list_kind kind);

/** The rows of one list; free with lss_list_free(). */
typedef struct lss_list lss_list;

/**
 * Take a list.
 * @param[out] out  the list (NULL on failure)
 * @return #LSS_OK (an empty list too); #LSS_INVALID (a bad filter, sort
 *         field or page: the message names the filter and the value);
 *         #LSS_NOT_FOUND (a key named by a filter, or `after`, that is not
 *         there, or not in the list); #LSS_NOMEM.
 */
LSS_API lss_status lss_list_run(lss_list **out, lss_db *db, const lss_list_filter *f);
/** @return the number of rows (after the page's limit). */
LSS_API uint32_t lss_list_count(const lss_list *l);
/** @return the list's kind. */
LSS_API lss_list_kind lss_list_kind_of(const lss_list *l);
/** @return the moment the list was taken as of. */
LSS_API lss_time lss_list_as_of(const lss_list *l);
/** @return how many rows matched before the page (`after`, `limit`) was cut. */
LSS_API uint32_t lss_list_matched(const lss_list *l);
/** Free a list (NULL is fine). */
LSS_API void lss_list_free(lss_list *l);

/** A deal's row as of the list's moment. */
typedef struct lss_deal_row {
    const lss_deal *deal;          /**< the deal (borrowed) */
    const lss_customer *customer;  /**< its customer */
    const lss_member *owner;       /**< its owner as of the moment */
    const char *pipeline;          /**< its pipeline's key ("default") */
    lss_stage stage;               /**< as of the moment */
    lss_money amount;              /**< as of the moment */
    lss_time expected_close;       /**< the latest set before the moment, or #LSS_TIME_NONE */
    const char *forecast;          /**< forecast category as of the moment: "pipeline", "best_case", "commit", "omitted" */
    int probability;               /**< percent as of the moment: its own (deal.probability), else its stage's in its
                                        pipeline (won 100, lost 0) */
    lss_time opened;               /**< its deal.open */
    lss_time last_at;              /**< its latest event before the moment */
} lss_deal_row;

/** A ticket's row as of the list's moment. */
typedef struct lss_ticket_row {
    const lss_ticket *ticket;      /**< the ticket (borrowed) */
    const lss_customer *customer;  /**< its customer */
    lss_ticket_state state;        /**< as of the moment */
    lss_priority priority;         /**< its priority */
    lss_ticket_kind kind;          /**< its kind */
    lss_channel channel;           /**< the channel it was opened on */
    const lss_member *assignee;    /**< as of the moment, or NULL */
    lss_time opened;               /**< its ticket.open */
    lss_time first_response;       /**< its first contact before the moment, or #LSS_TIME_NONE */
    /** When the SLA clock reaches the first-response target if the ticket
     *  stays as it is; #LSS_TIME_NONE when the target is decided or the
     *  clock is stopped (pending, resolved, closed). */
    lss_time first_response_due;
    lss_time resolution_due;       /**< the same for the resolution target */
    lss_sla_outcome sla;           /**< met (both met), missed (either missed), else undecided */
} lss_ticket_row;

/** A customer's row as of the list's moment. */
typedef struct lss_customer_row {
    const lss_customer *customer;  /**< the customer (borrowed) */
    const char *name;              /**< as of the moment; "[erased]" once erased */
    const char *email;             /**< or NULL (erased: NULL) */
    const char *company;           /**< or NULL (erased: NULL) */
    const char *segment;           /**< or NULL */
    lss_source source;             /**< its source */
    lss_customer_state state;      /**< as of the moment */
    lss_time added;                /**< its customer.add */
} lss_customer_row;

/** A task's row as of the list's moment. */
typedef struct lss_task_row {
    const lss_task *task;          /**< the task (borrowed) */
    const lss_customer *customer;  /**< its customer */
    const lss_member *member;      /**< as of the moment */
    lss_activity_kind kind;        /**< what to do */
    lss_time due;                  /**< as of the moment */
    lss_task_state state;          /**< as of the moment */
    const lss_deal *deal;          /**< or NULL */
    const lss_ticket *ticket;      /**< or NULL */
} lss_task_row;

/**
 * Read row @p i (0 .. count-1) of a list of deals, tickets, customers or tasks.
 * Rows hold handles into the database: read them before a change to it
 * from another thread. @return #LSS_OK; #LSS_NOT_FOUND (i out of range);
 * #LSS_INVALID (NULL, or a list of another kind).
 */
LSS_API lss_status lss_list_deal(lss_deal_row *out, const lss_list *l, uint32_t i);
LSS_API lss_status lss_list_ticket(lss_ticket_row *out, const lss_list *l, uint32_t i);   /**< as lss_list_deal() */
LSS_API lss_status lss_list_customer(lss_customer_row *out, const lss_list *l, uint32_t i); /**< as lss_list_deal() */
LSS_API lss_status lss_list_task(lss_task_row *out, const lss_list *l, uint32_t i);         /**< as lss_list_deal() */

/**
 * @return the bytes the list indexes of @p db hold (0 before its first
 * list): what lists add to the memory of a database.
 */
LSS_API size_t lss_list_index_bytes(const lss_db *db);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_LIST_H */
