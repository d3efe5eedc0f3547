/**
 * @file salesservice/ticket.h
 * @brief Service tickets: lifecycle, contacts, ratings and service levels.
 *
 * States: new -> open <-> pending -> resolved -> closed; resolved -> open on
 * reopen; closed is final. The rules are one transition table
 * (docs/tickets.md):
 *
 * | event   | allowed from                 | result                         |
 * |---------|------------------------------|--------------------------------|
 * | assign  | new, open, pending, resolved | new -> open, else unchanged    |
 * | contact | new, open, pending           | new -> open, else unchanged    |
 * | wait    | open                         | pending                        |
 * | resume  | pending                      | open                           |
 * | resolve | open, pending                | resolved                       |
 * | reopen  | resolved                     | open                           |
 * | close   | resolved                     | closed                         |
 * | rate    | resolved, closed             | unchanged                      |
 *
 * Every ticket event must be at or after the ticket's latest event
 * (#LSS_OUT_OF_ORDER otherwise). Agents are members with role service or both.
 */
#ifndef SALESSERVICE_TICKET_H
#define SALESSERVICE_TICKET_H

#include "common.h"
#include "errors.h"
#include "customer.h"
#include "calendar.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ticket states. Pinned values. */
typedef enum lss_ticket_state {
    LSS_TICKET_NEW = 0,
    LSS_TICKET_OPEN = 1,
    LSS_TICKET_PENDING = 2,
    LSS_TICKET_RESOLVED = 3,
    LSS_TICKET_CLOSED = 4
} lss_ticket_state;

/** What a ticket is about. Pinned values. */
typedef enum lss_ticket_kind {
    LSS_TICKET_PRESALES = 0,
    LSS_TICKET_INSTALLATION = 1,
    LSS_TICKET_MAINTENANCE = 2,
    LSS_TICKET_INCIDENT = 3,
    LSS_TICKET_COMPLAINT = 4,
    LSS_TICKET_TRAINING = 5,
    LSS_TICKET_QUESTION = 6
} lss_ticket_kind;

/** Ticket priorities. Pinned values. */
typedef enum lss_priority {
    LSS_PRIORITY_LOW = 0,
    LSS_PRIORITY_NORMAL = 1,
    LSS_PRIORITY_HIGH = 2,
    LSS_PRIORITY_URGENT = 3
} lss_priority;

/** @return "new", "open", "pending", "resolved", "closed"; NULL otherwise. */
LSS_API const char *lss_ticket_state_name(int state);
/** Parse a ticket state spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_ticket_state_parse(lss_ticket_state *out, const char *text);
/** @return "presales", "installation", ..., "question"; NULL otherwise. */
LSS_API const char *lss_ticket_kind_name(int kind);
/** Parse a ticket kind spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_ticket_kind_parse(lss_ticket_kind *out, const char *text);
/** @return "low", "normal", "high", "urgent"; NULL otherwise. */
LSS_API const char *lss_priority_name(int priority);
/** Parse a priority spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_priority_parse(lss_priority *out, const char *text);

/**
 * Open a ticket in state new (event `ticket.open`). It keeps the SLA targets
 * in force for its priority at @p at (see lss_sla_set()).
 *
 * @param[out] out  optional: the new ticket, borrowed from @p db
 * @param key       unique ticket key
 * @param customer  key of an existing customer
 * @param subject   optional (NULL), UTF-8, at most 512 bytes
 * @param deal      optional key of a deal of the same customer
 * @return #LSS_OK; #LSS_INVALID; #LSS_EXISTS; #LSS_NOT_FOUND; #LSS_NOMEM.
 */
LSS_API lss_status lss_ticket_open(const lss_ticket **out, lss_db *db, lss_time at, const char *key,
                                   const char *customer, lss_ticket_kind kind, lss_channel channel,
                                   lss_priority priority, const char *subject, const char *deal);

/** Assign an agent (event `ticket.assign`): new -> open; in open, pending, resolved only the assignee changes. */
LSS_API lss_status lss_ticket_assign(lss_db *db, lss_time at, const char *ticket, const char *agent);

/**
 * Record one handled contact (event `ticket.contact`): a call, reply, chat or
 * visit by @p agent lasting @p duration seconds (0..31536000). The first is
 * the ticket's first response. new -> open. Not allowed in resolved or closed.
 * @param channel  the contact's channel, or -1 for the ticket's own channel
 */
LSS_API lss_status lss_ticket_contact(lss_db *db, lss_time at, const char *ticket, const char *agent,
                                      int64_t duration, int channel);

/** Wait on the customer (event `ticket.wait`): open -> pending. */
LSS_API lss_status lss_ticket_wait(lss_db *db, lss_time at, const char *ticket);
/** The customer answered (event `ticket.resume`): pending -> open. */
LSS_API lss_status lss_ticket_resume(lss_db *db, lss_time at, const char *ticket);
/** Resolve (event `ticket.resolve`): open or pending -> resolved; optional note (at most 4096 bytes). */
LSS_API lss_status lss_ticket_resolve(lss_db *db, lss_time at, const char *ticket, const char *note);
/** Reopen (event `ticket.reopen`): resolved -> open. */
LSS_API lss_status lss_ticket_reopen(lss_db *db, lss_time at, const char *ticket);
/** Close (event `ticket.close`): resolved -> closed (final). */
LSS_API lss_status lss_ticket_close(lss_db *db, lss_time at, const char *ticket);
/**
 * Rate (event `ticket.rate`) with a score 1-5 and an optional comment (at
 * most 4096 bytes). Only in resolved or closed; a later rating replaces the
 * earlier one (both stay in the history).
 */
LSS_API lss_status lss_ticket_rate(lss_db *db, lss_time at, const char *ticket, int score, const char *comment);

/** Look a ticket up by key. @return #LSS_OK or #LSS_NOT_FOUND (*out = NULL). */
LSS_API lss_status lss_ticket_find(const lss_ticket **out, const lss_db *db, const char *key);
/** Look a ticket up by id (0 .. count-1). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_ticket_by_id(const lss_ticket **out, const lss_db *db, uint32_t id);
/** @return the number of tickets; ids are 0 .. count-1 in the order they were opened. */
LSS_API uint32_t lss_ticket_count(const lss_db *db);

LSS_API uint32_t lss_ticket_id(const lss_ticket *t);                    /**< dense id */
LSS_API const char *lss_ticket_key(const lss_ticket *t);                /**< key (borrowed) */
LSS_API const char *lss_ticket_subject(const lss_ticket *t);            /**< subject or NULL */
LSS_API const lss_customer *lss_ticket_customer(const lss_ticket *t);   /**< the customer */
LSS_API const lss_deal *lss_ticket_deal(const lss_ticket *t);           /**< related deal or NULL */
LSS_API const lss_member *lss_ticket_assignee(const lss_ticket *t);     /**< current assignee or NULL */
LSS_API lss_ticket_state lss_ticket_state_of(const lss_ticket *t);      /**< current state */
LSS_API lss_ticket_kind lss_ticket_kind_of(const lss_ticket *t);        /**< kind */
LSS_API lss_channel lss_ticket_channel(const lss_ticket *t);            /**< channel it was opened on */
LSS_API lss_priority lss_ticket_priority(const lss_ticket *t);          /**< priority */
LSS_API lss_time lss_ticket_opened_at(const lss_ticket *t);             /**< time of ticket.open */
LSS_API lss_time lss_ticket_last_at(const lss_ticket *t);               /**< time of its latest event */
LSS_API lss_time lss_ticket_first_response_at(const lss_ticket *t);     /**< first contact, or #LSS_TIME_NONE */
LSS_API lss_time lss_ticket_first_resolution_at(const lss_ticket *t);   /**< first resolve, or #LSS_TIME_NONE */
LSS_API uint32_t lss_ticket_reopen_count(const lss_ticket *t);          /**< number of reopens */
LSS_API uint32_t lss_ticket_contact_count(const lss_ticket *t);         /**< number of contacts */
/** @return the latest score (1-5), or 0 when never rated. */
LSS_API int lss_ticket_score(const lss_ticket *t);
/** @return when the latest rating was given, or #LSS_TIME_NONE. */
LSS_API lss_time lss_ticket_rated_at(const lss_ticket *t);
/** The next ticket of the same customer (in order of opening), or NULL. */
LSS_API const lss_ticket *lss_ticket_next_of_customer(const lss_ticket *t);
/** The customer's first ticket (in order of opening), or NULL. */
LSS_API const lss_ticket *lss_customer_first_ticket(const lss_customer *c);

/** Kinds of ticket history entries, one per ticket event. Pinned values. */
typedef enum lss_ticket_change_kind {
    LSS_TICKET_EV_OPEN = 0,
    LSS_TICKET_EV_ASSIGN = 1,
    LSS_TICKET_EV_CONTACT = 2,
    LSS_TICKET_EV_WAIT = 3,
    LSS_TICKET_EV_RESUME = 4,
    LSS_TICKET_EV_RESOLVE = 5,
    LSS_TICKET_EV_REOPEN = 6,
    LSS_TICKET_EV_CLOSE = 7,
    LSS_TICKET_EV_RATE = 8,
    LSS_TICKET_EV_PRIORITY = 9     /**< event `ticket.priority`: lss_ticket_change::priority is the new one */
} lss_ticket_change_kind;

/** @return "opened", "assigned", "contacted", "waiting", "resumed", "resolved", "reopened", "closed", "rated",
 *  "priority". */
LSS_API const char *lss_ticket_change_kind_name(int kind);

/** One entry of a ticket's history: the event and the state right after it. */
typedef struct lss_ticket_change {
    lss_time at;                    /**< when */
    lss_ticket_change_kind kind;    /**< which event */
    lss_ticket_state state;         /**< state after the event */
    lss_ticket_state from_state;    /**< state before the event */
    const lss_member *agent;        /**< assigned or contacting agent (assign, contact); else NULL */
    lss_channel channel;            /**< contact channel (contact); else the ticket's channel */
    int64_t duration;               /**< contact duration in seconds (contact); else -1 */
    int score;                      /**< rating (rate); else 0 */
    const char *text;               /**< resolve note or rating comment, or NULL (borrowed) */
    lss_priority priority;          /**< the ticket's priority after the event (every kind) */
} lss_ticket_change;

/** @return the number of history entries of @p t (>= 1: its opening). */
LSS_API uint32_t lss_ticket_history_count(const lss_ticket *t);
/** Copy history entry @p i (0 = opening, oldest first). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_ticket_history_get(lss_ticket_change *out, const lss_ticket *t, uint32_t i);

/* ---- service levels ------------------------------------------------------ */

/**
 * Set the SLA targets of a priority (event `sla.set`) for tickets opened at
 * or after @p at. A ticket keeps the targets in force when it was opened.
 * Defaults: urgent 1 h / 8 h, high 4 h / 24 h, normal 8 h / 72 h, low 24 h / 120 h.
 * @param first_response, resolution  seconds, 0..31536000
 */
LSS_API lss_status lss_sla_set(lss_db *db, lss_time at, lss_priority priority, int64_t first_response,
                               int64_t resolution);

/**
 * lss_sla_set() with a business calendar (event `sla.set` with *calendar*):
 * tickets of @p priority opened from @p at on count their SLA clock in the
 * business time of calendar @p calendar (docs/calendars.md), with its
 * definition in force at their opening. NULL: around the clock.
 * @return as lss_sla_set(); #LSS_NOT_FOUND (no calendar of that key).
 */
LSS_API lss_status lss_sla_set_calendar(lss_db *db, lss_time at, lss_priority priority, int64_t first_response,
                                        int64_t resolution, const char *calendar);

/**
 * The targets in force for tickets of @p priority opened at @p t (the latest
 * sla.set with at <= t). @return #LSS_OK or #LSS_INVALID.
 */
LSS_API lss_status lss_sla_targets_at(int64_t *first_response, int64_t *resolution, const lss_db *db,
                                      lss_priority priority, lss_time t);

/** Outcome of one SLA target. Pinned values. */
typedef enum lss_sla_outcome {
    LSS_SLA_UNDECIDED = 0,   /**< not reached yet and the clock is still below the target */
    LSS_SLA_MET = 1,         /**< the event came with the clock at or below the target */
    LSS_SLA_MISSED = 2       /**< the clock passed the target first */
} lss_sla_outcome;

/** @return "undecided", "met", "missed"; NULL otherwise. */
LSS_API const char *lss_sla_outcome_name(int outcome);

/** A ticket's service level as of a moment. */
typedef struct lss_sla_state {
    int64_t elapsed;                   /**< SLA clock: seconds spent in new or open before the moment
                                            (business seconds of `calendar`, when set) */
    int running;                       /**< 1 when the clock runs at the moment (new or open), else 0 */
    int64_t first_response_target;     /**< seconds: the target of its priority as of the moment, in the
                                            SLA policy captured when the ticket was opened */
    int64_t resolution_target;         /**< the same for resolution */
    lss_sla_outcome first_response;    /**< outcome of the first-response target, judged against the
                                            target of the priority at the first contact (or, before
                                            it, as of the moment) */
    lss_sla_outcome resolution;        /**< outcome of the resolution target */
    /** When the clock reaches (or reached) the first-response target: exact if
     *  already reached, projected if the clock is running, #LSS_TIME_NONE if it
     *  is paused below the target. */
    lss_time first_response_due;
    lss_time resolution_due;           /**< the same for the resolution target */
    /** The business calendar the clock counts in (the one its priority had in the
     *  SLA policy in force at the ticket's opening, with its definition then),
     *  borrowed from the database; NULL: around the clock. Elapsed, targets and
     *  due moments are then business seconds and their instants (calendar.h). */
    const lss_calendar *calendar;
    /** The ticket's priority as of the moment (ticket.priority changes it): the targets,
     *  the calendar and the due moments are that priority's. */
    lss_priority priority;
} lss_sla_state;

/**
 * Compute @p t's service level as of @p as_of, from the events with
 * at < as_of only (a pure function of the ticket's history).
 * @return #LSS_OK; #LSS_INVALID (NULL argument, as_of out of range).
 */
LSS_API lss_status lss_ticket_sla(lss_sla_state *out, const lss_ticket *t, lss_time as_of);

/**
 * Change a ticket's priority (event `ticket.priority`), in new, open or
 * pending; the state does not change. Its SLA targets and calendar become
 * the new priority's in the policy it kept from its opening; the clock keeps
 * what it counted and counts on in the new priority's calendar.
 * @return #LSS_OK; #LSS_NOT_FOUND; #LSS_INVALID (not a priority);
 *         #LSS_TRANSITION (resolved or closed); #LSS_OUT_OF_ORDER.
 */
LSS_API lss_status lss_ticket_set_priority(lss_db *db, lss_time at, const char *ticket, lss_priority priority);

/** @return @p t's priority as of @p as_of (events with at < as_of), or -1 when it was not
 *  open yet or @p t is NULL. lss_ticket_priority() is the latest. */
LSS_API lss_priority lss_ticket_priority_at(const lss_ticket *t, lss_time as_of);

/** @return the SLA clock of @p t as of @p as_of: seconds in new or open before as_of (business
 *  seconds of its calendar, when it has one). */
LSS_API int64_t lss_ticket_sla_clock(const lss_ticket *t, lss_time as_of);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_TICKET_H */
