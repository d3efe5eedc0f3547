/* The rules of the event kinds and what the command path (db/command.c),
 * the one way an event changes a database, gives them.
 *
 * A public call, an import, generate and the Python binding build an event
 * and run it: lock, the gate (poisoned, read-only, another thread's
 * transaction, a full sequence), the time, the kind's check (which finds
 * the entities the event names by key), the reservation of memory, the
 * append to the journal (or the transaction's buffer), the kind's apply,
 * which cannot fail, and the count; then unlock.
 *
 * Replay of the database's own journal runs the same check and apply with
 * the entities named by id (the ids the writer found) and without the
 * lookup of a new key: the key index is not kept while replaying, and
 * lss__index_build refuses a key added twice when the replay ends. */
#ifndef LSS_RULES_H
#define LSS_RULES_H

#include "domain/domain.h"
#include "domain/schema.h"

typedef struct lss__cmd {
    /* the event; check may complete what it derives from the state (a win
     * without an amount keeps the deal's, a contact on the ticket's own
     * channel says none), so that the journal holds what memory will */
    lss__event ev;
    void *e[LSS__EV_STRS];         /* the entity key slot k names (check finds it; replay gives it) */
    const char *txt[LSS__EV_STRS]; /* the database's copy of text slot k (reserved) */
    lss__vec hist;                 /* a new deal's or ticket's history (reserved) */
    const void *created;           /* the entity an adding event made (apply) */
    lss_calendar *made;            /* what check built for apply to keep (calendar.set); freed when the
                                      command goes no further */
    const void *kept;              /* what reserve found or made for apply (ticket.open: its policy) */
    bool replay;                   /* from the database's own journal */
} lss__cmd;

/* Everything of a command but its event: nothing found, reserved or made
 * yet. Field by field: replay starts a command for every record, and a
 * memset of the whole command is a slow `rep stos` on x86. */
static inline void lss__cmd_clear(lss__cmd *c, bool replay)
{
    for (unsigned k = 0; k < LSS__EV_STRS; k++) {
        c->e[k] = NULL;
        c->txt[k] = NULL;
    }
    c->hist = (lss__vec){ 0 };
    c->created = NULL;
    c->made = NULL;
    c->kept = NULL;
    c->replay = replay;
}

/* A command of `kind` at `at`, every field absent. */
static inline void lss__cmd_init(lss__cmd *c, uint8_t kind, lss_time at)
{
    lss__event_clear(&c->ev, kind);
    c->ev.at = at;
    lss__cmd_clear(c, false);
}

/* For the checks. The context of messages is the kind's name. */
static inline const char *lss__cmd_ctx(const lss__cmd *c) { return lss__ev_descs[c->ev.kind].name; }
/* Check key slot k as a key, unless replay gave its entity (whose key was
 * checked when it was added). */
lss_status lss__cmd_key(lss_db *db, const lss__cmd *c, unsigned k);
/* The entity key slot k names: the one replay gave, else the one with that
 * key; NULL when the slot is absent or names none. */
void *lss__cmd_get(lss_db *db, lss__cmd *c, unsigned k);
/* Does the key an adding event adds exist already? Replay does not ask
 * (see above). */
bool lss__cmd_exists(const lss_db *db, const lss__cmd *c);
/* "at" earlier than the entity's last event at `last`: LSS_OUT_OF_ORDER. */
lss_status lss__cmd_order(lss_db *db, const lss__cmd *c, const char *noun, const char *key, lss_time last);

/* The rules of each kind (the files of their entities). */
lss_status lss__member_add_check(lss_db *db, lss__cmd *c);
void lss__member_add_apply(lss_db *db, lss__cmd *c);
lss_status lss__quota_set_check(lss_db *db, lss__cmd *c);
void lss__quota_set_apply(lss_db *db, lss__cmd *c);
lss_status lss__customer_add_check(lss_db *db, lss__cmd *c);
void lss__customer_add_apply(lss_db *db, lss__cmd *c);
lss_status lss__customer_change_check(lss_db *db, lss__cmd *c);
void lss__customer_change_apply(lss_db *db, lss__cmd *c);
lss_status lss__deal_open_check(lss_db *db, lss__cmd *c);
void lss__deal_open_apply(lss_db *db, lss__cmd *c);
lss_status lss__deal_change_check(lss_db *db, lss__cmd *c);
void lss__deal_change_apply(lss_db *db, lss__cmd *c);
lss_status lss__activity_log_check(lss_db *db, lss__cmd *c);
void lss__activity_log_apply(lss_db *db, lss__cmd *c);
lss_status lss__ticket_open_check(lss_db *db, lss__cmd *c);
void lss__ticket_open_apply(lss_db *db, lss__cmd *c);
lss_status lss__ticket_change_check(lss_db *db, lss__cmd *c);
void lss__ticket_change_apply(lss_db *db, lss__cmd *c);
lss_status lss__sla_set_check(lss_db *db, lss__cmd *c);
void lss__sla_set_apply(lss_db *db, lss__cmd *c);
lss_status lss__stage_probability_check(lss_db *db, lss__cmd *c);
void lss__stage_probability_apply(lss_db *db, lss__cmd *c);
lss_status lss__quota_set_reserve(lss_db *db, lss__cmd *c);
lss_status lss__customer_change_reserve(lss_db *db, lss__cmd *c);
lss_status lss__deal_open_reserve(lss_db *db, lss__cmd *c);
lss_status lss__deal_change_reserve(lss_db *db, lss__cmd *c);
lss_status lss__ticket_open_reserve(lss_db *db, lss__cmd *c);
lss_status lss__ticket_change_reserve(lss_db *db, lss__cmd *c);
lss_status lss__sla_set_reserve(lss_db *db, lss__cmd *c);
lss_status lss__stage_probability_reserve(lss_db *db, lss__cmd *c);
lss_status lss__task_add_check(lss_db *db, lss__cmd *c);
lss_status lss__task_add_reserve(lss_db *db, lss__cmd *c);
void lss__task_add_apply(lss_db *db, lss__cmd *c);
lss_status lss__task_change_check(lss_db *db, lss__cmd *c);
lss_status lss__task_change_reserve(lss_db *db, lss__cmd *c);
void lss__task_change_apply(lss_db *db, lss__cmd *c);
lss_status lss__pipeline_add_check(lss_db *db, lss__cmd *c);
lss_status lss__pipeline_add_reserve(lss_db *db, lss__cmd *c);
void lss__pipeline_add_apply(lss_db *db, lss__cmd *c);
lss_status lss__calendar_set_check(lss_db *db, lss__cmd *c);
lss_status lss__calendar_set_reserve(lss_db *db, lss__cmd *c);
void lss__calendar_set_apply(lss_db *db, lss__cmd *c);

/* A checkpoint's restore of a definition that keeps its own sequence number
 * (a pipeline, a calendar): apply c as the event numbered seq; the count of
 * events is left as it was. */
static inline void lss__apply_as_seq(lss_db *db, uint32_t seq, void (*apply)(lss_db *, lss__cmd *), lss__cmd *c)
{
    uint64_t events = db->events;
    db->events = seq - 1u;
    apply(db, c);
    db->events = events;
}

/* After a command's change: keep the list indexes current (lists.c). */
void lss__lx_note(lss_db *db, const lss__cmd *c);

#endif
