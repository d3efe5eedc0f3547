/**
 * @file salesservice/task.h
 * @brief Follow-up tasks: a call to make, a demo to give, a quote to send,
 *        due at a moment, for a member, about a customer (events version 2).
 *
 * States: open -> done or cancelled (both final). Every task event must be
 * at or after the task's latest event (#LSS_OUT_OF_ORDER otherwise), and
 * reschedule, assign, done and cancel only while the task is open
 * (#LSS_TRANSITION). The follow-up metrics (docs/metrics.md) and the work
 * queue `lss list tasks` (docs/lists.md) read them as of any moment.
 */
#ifndef SALESSERVICE_TASK_H
#define SALESSERVICE_TASK_H

#include "common.h"
#include "errors.h"
#include "customer.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Task states. Pinned values. */
typedef enum lss_task_state {
    LSS_TASK_OPEN = 0,
    LSS_TASK_DONE = 1,
    LSS_TASK_CANCELLED = 2
} lss_task_state;

/** @return "open", "done", "cancelled"; NULL otherwise. */
LSS_API const char *lss_task_state_name(int state);
/** Parse a task state. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_task_state_parse(lss_task_state *out, const char *text);

/**
 * Add a task (event `task.add`), open.
 * @param[out] out  optional: the new task, borrowed from @p db
 * @param key       unique task key
 * @param customer  an existing customer
 * @param member    an existing member (any role): who is to do it
 * @param kind      an activity kind (call, email, meeting, demo, ...)
 * @param due       when it is due
 * @param deal      optional (NULL): a deal of that customer
 * @param ticket    optional (NULL): a ticket of that customer
 * @param note      optional (NULL), at most 4096 bytes; erased with the customer
 * @return #LSS_OK; #LSS_INVALID; #LSS_EXISTS; #LSS_NOT_FOUND; #LSS_NOMEM.
 */
LSS_API lss_status lss_task_add(const lss_task **out, lss_db *db, lss_time at, const char *key, const char *customer,
                                const char *member, lss_activity_kind kind, lss_time due, const char *deal,
                                const char *ticket, const char *note);
/** Move an open task's due moment (event `task.reschedule`). */
LSS_API lss_status lss_task_reschedule(lss_db *db, lss_time at, const char *task, lss_time due);
/** Give an open task to another member (event `task.assign`). */
LSS_API lss_status lss_task_assign(lss_db *db, lss_time at, const char *task, const char *member);
/** Mark an open task done (event `task.done`), with an optional note (erased with the customer). */
LSS_API lss_status lss_task_done(lss_db *db, lss_time at, const char *task, const char *note);
/** Cancel an open task (event `task.cancel`). */
LSS_API lss_status lss_task_cancel(lss_db *db, lss_time at, const char *task);

/** Look a task up by key. @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_task_find(const lss_task **out, const lss_db *db, const char *key);
/** Look a task up by id (0 .. count-1). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_task_by_id(const lss_task **out, const lss_db *db, uint32_t id);
/** @return the number of tasks; ids are 0 .. count-1 in the order they were added. */
LSS_API uint32_t lss_task_count(const lss_db *db);

LSS_API uint32_t lss_task_id(const lss_task *t);                    /**< dense id */
LSS_API const char *lss_task_key(const lss_task *t);                /**< key (borrowed) */
LSS_API const lss_customer *lss_task_customer(const lss_task *t);   /**< its customer */
LSS_API const lss_member *lss_task_member(const lss_task *t);       /**< who is to do it now */
LSS_API const lss_deal *lss_task_deal(const lss_task *t);           /**< its deal, or NULL */
LSS_API const lss_ticket *lss_task_ticket(const lss_task *t);       /**< its ticket, or NULL */
LSS_API lss_activity_kind lss_task_kind(const lss_task *t);         /**< what to do, or -1 */
LSS_API lss_time lss_task_due(const lss_task *t);                   /**< the latest due moment */
LSS_API lss_task_state lss_task_state_of(const lss_task *t);        /**< the current state, or -1 */
LSS_API lss_time lss_task_added_at(const lss_task *t);              /**< time of task.add */
LSS_API lss_time lss_task_last_at(const lss_task *t);               /**< time of its latest event */
LSS_API const char *lss_task_note(const lss_task *t);               /**< task.add's note, or NULL */
/** @return when the task was done, or #LSS_TIME_NONE. */
LSS_API lss_time lss_task_done_at(const lss_task *t);

/**
 * @p t as of @p as_of (events with at < as_of): its state, due moment and
 * member. Any output may be NULL.
 * @return #LSS_OK; #LSS_NOT_FOUND (not added before @p as_of); #LSS_INVALID.
 */
LSS_API lss_status lss_task_at(lss_task_state *state, lss_time *due, const lss_member **member, const lss_task *t,
                               lss_time as_of);

/** Kinds of task history entries. Pinned values. */
typedef enum lss_task_change_kind {
    LSS_TASK_ADDED = 0,
    LSS_TASK_RESCHEDULED = 1,
    LSS_TASK_ASSIGNED = 2,
    LSS_TASK_DONE_EV = 3,
    LSS_TASK_CANCELLED_EV = 4
} lss_task_change_kind;

/** @return "added", "rescheduled", "assigned", "done", "cancelled"; NULL otherwise. */
LSS_API const char *lss_task_change_kind_name(int kind);

/** One entry of a task's history: the event and the task right after it. */
typedef struct lss_task_change {
    lss_time at;                 /**< when */
    lss_task_change_kind kind;   /**< which event */
    lss_task_state state;        /**< state after it */
    lss_time due;                /**< due moment after it */
    const lss_member *member;    /**< member after it */
    const char *note;            /**< task.done's note, or NULL (borrowed) */
} lss_task_change;

/** @return the number of history entries of @p t (>= 1). */
LSS_API uint32_t lss_task_history_count(const lss_task *t);
/** Copy history entry @p i (0 = task.add). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_task_history_get(lss_task_change *out, const lss_task *t, uint32_t i);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_TASK_H */
