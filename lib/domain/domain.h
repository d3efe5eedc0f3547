/* The domain layer (lib/domain/): the state of a database (its entities,
 * their histories, the key index, the undo log), the event schema, and the
 * rules of each event kind (rules.h). It knows nothing of files. */
#ifndef LSS_DOMAIN_H
#define LSS_DOMAIN_H

#include "core/core.h"

/* ---- entities ----------------------------------------------------------- */

/* The entity kinds, as an event's key field names one (lss__field::ref; it
 * must exist) or adds one (lss__ev_desc::adds). */
enum { LSS__REF_NONE, LSS__REF_MEMBER, LSS__REF_CUSTOMER, LSS__REF_DEAL, LSS__REF_TICKET, LSS__REF_TASK,
       LSS__REF_ACTIVITY };
/* The kinds with a key: LSS__REF_MEMBER .. LSS__REF_KEYED_LAST (the activity has none). */
#define LSS__REF_KEYED_LAST LSS__REF_TASK

/* Entities with a key (member, customer, deal, ticket) have it first: the
 * key index and the replay read it there (static assertions in db.c). */

struct lss_member {
    const char *key;
    const char *name;
    lss_time added_at;
    const char *team; /* interned, NULL = none */
    uint32_t id;
    uint32_t seq;     /* sequence number of its member.add */
    uint8_t role;
    lss__vec quotas; /* lss__quota, every quota.set in order */
};

typedef struct lss__quota {
    lss_quota q;
    uint32_t seq;
} lss__quota;

/* Times are 0..LSS_TIME_MAX < 2^38: a time and small fields share a 64-bit
 * word (history entries, a customer's add time). */
#define LSS__AT_BITS 38
#define LSS__AT_MASK ((UINT64_C(1) << LSS__AT_BITS) - 1u)
#define LSS__FIELD(w, shift, bits) ((unsigned)(((w) >> (shift)) & ((1u << (bits)) - 1u)))
static inline lss_time lss__w_at(uint64_t w) { return (lss_time)(w & LSS__AT_MASK); }

typedef struct lss__customer_change {
    lss_time at;
    const char *name, *email, *company;
    const char *segment; /* interned; NULL = not changed */
    const char *comment; /* nps: the comment or NULL; else NULL */
    uint32_t seq;
    uint8_t kind;     /* lss_customer_change_kind */
    uint8_t score;    /* nps: 0-10; else 0 */
} lss__customer_change;

/* A customer. name, email, company and segment are the values given to
 * customer.add; the current ones are the latest changes that set them
 * (lss_customer_name() etc.). Its deals, activities and tickets are circular
 * lists through their next_of_customer, entered at the newest (last_*): the
 * first is last->next_of_customer (LSS__FIRST, LSS__NEXT). */
struct lss_customer {
    const char *key;
    const char *name, *email, *company;
    const char *segment; /* interned */
    const lss_customer *referred_by;
    lss_deal *last_deal;
    lss_activity *last_activity;
    lss_ticket *last_ticket;
    uint64_t added;       /* time of customer.add | source << 38 | erased << 41 | churned << 42 (LSS__ADDED_AT
                             etc.; churned: a customer.churn among its changes, so that the state as of a
                             moment reads the changes only of a customer who ever churned) */
    uint32_t id;
    uint32_t seq;         /* sequence number of its customer.add */
    struct lss__changes *changes; /* NULL until the first change */
};
#define LSS__ADDED_AT(c) lss__w_at((c)->added)
#define LSS__SOURCE(c) LSS__FIELD((c)->added, 38, 3)
#define LSS__ERASED(c) LSS__FIELD((c)->added, 41, 1)
#define LSS__ERASED_BIT (UINT64_C(1) << 41)
#define LSS__EVER_CHURNED(c) LSS__FIELD((c)->added, 42, 1)
#define LSS__CHURNED_BIT (UINT64_C(1) << 42)

/* A customer's changes, oldest first: allocated on the first one. */
typedef struct lss__changes {
    uint32_t count, cap;
    lss__customer_change e[];
} lss__changes;
static inline uint32_t lss__changes_count(const lss_customer *c) { return c->changes ? c->changes->count : 0u; }
#define LSS__CHANGE(c, i) (&(c)->changes->e[i])
/* Room for one more change (nothing changes on failure). */
lss_status lss__changes_reserve(lss_customer *c);

/* History entries are 24 bytes: the packed word, the sequence number, and
 * one 8-byte value whose meaning depends on the kind. */

/* A deal's history entry. w: at | kind << 38 | stage << 42 | from_stage << 45
 * | reason << 48 (lost: the loss reason; forecast: the category). v by
 * kind: opened, amount, won: the amount after it; assigned: the owner
 * before it (the owner after entry i is the first later assigned entry's
 * from_owner, or the deal's current owner); close_date: the expected close
 * before it (likewise: the close after entry i is the next close_date
 * entry's, or the deal's current); probability: the percent it sets (-1:
 * the stage's); lost: the note or NULL; advanced, reopened: nothing. */
typedef struct lss__deal_change {
    uint64_t w;
    uint32_t seq;
    union {
        lss_money amount;
        const lss_member *from_owner;
        const char *note;
        lss_time close_before;
        int64_t percent;
    } v;
} lss__deal_change;
static inline uint64_t lss__dc_word(lss_time at, unsigned kind, unsigned stage, unsigned from, unsigned reason)
{
    return (uint64_t)at | (uint64_t)kind << 38 | (uint64_t)stage << 42 | (uint64_t)from << 45 |
           (uint64_t)reason << 48;
}
#define LSS__DC_KIND(x) LSS__FIELD((x)->w, 38, 4)
#define LSS__DC_STAGE(x) LSS__FIELD((x)->w, 42, 3)
#define LSS__DC_FROM(x) LSS__FIELD((x)->w, 45, 3)
#define LSS__DC_REASON(x) LSS__FIELD((x)->w, 48, 3)
static inline bool lss__dc_has_amount(unsigned kind)
{
    return kind == LSS_DEAL_OPENED || kind == LSS_DEAL_AMOUNT || kind == LSS_DEAL_WON;
}

/* stage, furthest, owner, amount and last_at are the deal after its latest
 * history entry: as of any moment after last_at the record alone says what
 * the deal was (the report reads no history for it). */
struct lss_deal {
    const char *key;
    const char *title;
    lss_customer *customer;
    const lss_member *owner;
    lss_deal *next_of_customer;
    lss_time expected_close;     /* the latest set (deal.open, deal.close_date) */
    lss_time opened_at, last_at; /* the first and the latest history entries' times */
    lss_money amount;            /* set by the latest entry that has one (the opening does) */
    uint32_t id;
    uint8_t stage, lost_from, furthest;
    uint8_t forecast;            /* lss_forecast_category */
    int8_t probability;          /* its own (deal.probability), or -1: its stage's */
    uint8_t flags;               /* LSS__DF_* */
    uint16_t pipeline;           /* 0: the default; k: lss_db::pipelines entry k - 1 */
    uint32_t customer_id;        /* customer->id, for the passes that group deals by customer without
                                    reading every deal's customer (in a hole of the layout: no bytes more) */
    lss__vec hist; /* lss__deal_change; the opening first, times in order */
};
enum {
    LSS__DF_CLOSE = 1,       /* a close_date entry in its history */
    LSS__DF_FORECAST = 2     /* a forecast or probability entry in its history */
};

/* A deal's changes of stage (the history entries whose stage differs from
 * the one before), up to four: each the seconds from its opening to the
 * change << 3 | the stage it moved to, unused ones LSS__STAYS_NONE. A deal
 * with more, or with one 2^29 - 1 seconds or more after its opening, has
 * LSS__STAYS_WALK first: its history says. Prospect to won is four. */
typedef struct lss__deal_stays {
    uint32_t c[4];
} lss__deal_stays;
#define LSS__STAYS_NONE UINT32_MAX
#define LSS__STAYS_WALK (UINT32_MAX - 1u)
#define LSS__STAYS_AT_MAX ((1u << 29) - 1u)
/* Add a change to `stage` at `at` to s (a deal opened at `opened`). */
void lss__deal_stays_note(lss__deal_stays *s, lss_time opened, lss_time at, unsigned stage);
/* s from deal d's history. */
void lss__deal_stays_build(lss__deal_stays *s, const lss_deal *d);
/* The first deal whose stays are not what its history says (NULL: none). */
const lss_deal *lss__deal_stays_wrong(const lss_db *db);

/* A named pipeline (pipeline.add); the default is not one of them. */
typedef struct lss__pipeline {
    lss_time at;
    uint32_t seq;
    const char *key, *name;
} lss__pipeline;
/* At most this many pipelines are added (the deal keeps its pipeline in 16 bits). */
#define LSS__PIPELINES_MAX 65535u

struct lss_activity {
    lss_time at;
    const char *note;
    const lss_customer *customer;
    const lss_member *member;
    const lss_deal *deal;
    lss_activity *next_of_customer;
    uint32_t id;
    uint32_t seq;
    int32_t duration; /* seconds (<= LSS__DURATION_MAX); -1 = not given */
    uint8_t kind, channel;
};

/* A ticket's history entry. w: at | kind << 38 | state << 42 | from_state << 45
 * | channel << 48 (contact: its channel; else the ticket's) | score << 51
 * (rate: the score; priority: the new priority; else 0). v by kind: assign,
 * contact: the agent; resolve: the note; rate: the comment (each may be
 * NULL); priority: the priority before it; otherwise NULL. */
typedef struct lss__ticket_change {
    uint64_t w;
    uint32_t seq;
    int32_t duration; /* contact (<= LSS__DURATION_MAX); else -1 */
    union {
        const lss_member *agent;
        const char *text;
        uint64_t before;
    } v;
} lss__ticket_change;
static inline uint64_t lss__tc_word(lss_time at, unsigned kind, unsigned state, unsigned from, unsigned channel,
                                    unsigned score)
{
    return (uint64_t)at | (uint64_t)kind << 38 | (uint64_t)state << 42 | (uint64_t)from << 45 |
           (uint64_t)channel << 48 | (uint64_t)score << 51;
}
#define LSS__TC_KIND(x) LSS__FIELD((x)->w, 38, 4)
#define LSS__TC_STATE(x) LSS__FIELD((x)->w, 42, 3)
#define LSS__TC_FROM(x) LSS__FIELD((x)->w, 45, 3)
#define LSS__TC_CHANNEL(x) LSS__FIELD((x)->w, 48, 3)
#define LSS__TC_SCORE(x) LSS__FIELD((x)->w, 51, 3)
static inline bool lss__tc_has_text(unsigned kind)
{
    return kind == LSS_TICKET_EV_RESOLVE || kind == LSS_TICKET_EV_RATE;
}

/* state, assignee, last_at and the marks are what the history says up to
 * its latest entry, kept by every change: as of any moment after last_at the
 * report reads the record alone (unless LSS__TM_WALK: a mark did not fit).
 * Marks are seconds after the opening; LSS__MARK_NONE: not yet. */
/* An SLA policy: for every priority its targets (<= LSS__DURATION_MAX) and
 * the definition of its calendar (NULL: around the clock), as in force at a
 * moment. A ticket keeps the one of its opening; tickets opened under the
 * same policy share it (lss_db::policies, ticket.c). */
typedef struct lss__policy {
    int32_t response[4], resolution[4];
    const lss_calendar *cal[4];
    uint32_t id;
} lss__policy;

struct lss_ticket {
    const char *key;
    const char *subject;
    lss_customer *customer;
    const lss_deal *deal;
    lss_ticket *next_of_customer;
    const lss_member *assignee;           /* the latest assign's agent; NULL = none */
    lss_time opened_at, last_at;          /* the first and the latest history entries' times */
    const lss__policy *policy;            /* the SLA policy in force at its opening (ticket.c) */
    uint32_t contact_after, resolve_after, rated_after; /* first contact, first resolve, latest rating */
    uint32_t clock_contact, clock_resolve; /* the SLA clock at the first contact, first resolve */
    uint32_t handle_sum, contacts;        /* seconds of all contacts; how many */
    uint32_t id;
    uint8_t state, kind, channel, priority;
    uint8_t contacts_before_resolve;      /* contacts before the first resolve (saturates at 255) */
    uint8_t score;                        /* of the latest rating */
    uint8_t reopened;                     /* reopened at least once */
    uint8_t marks;                        /* LSS__TM_* */
    lss__vec hist; /* lss__ticket_change; the opening first, times in order */
};
#define LSS__MARK_NONE UINT32_MAX
enum {
    LSS__TM_RESPONSE_MISSED = 1,   /* the first contact came after the response target */
    LSS__TM_RESOLUTION_MISSED = 2, /* the first resolve came after the resolution target */
    LSS__TM_WALK = 4,              /* a mark or the handle time does not fit: read the history */
    LSS__TM_PRIORITY = 8           /* its priority changed (ticket.priority): t->priority is the latest */
};

/* A task's history entry. w: at | kind << 38 | state << 42. v by kind:
 * rescheduled: the due moment before it (the due after entry i is the next
 * rescheduled entry's, or the task's current); assigned: the member before
 * it (likewise); done: the note or NULL; added, cancelled: nothing. */
typedef struct lss__task_change {
    uint64_t w;
    uint32_t seq;
    union {
        lss_time due_before;
        const lss_member *member_before;
        const char *note;
    } v;
} lss__task_change;
static inline uint64_t lss__tk_word(lss_time at, unsigned kind, unsigned state)
{
    return (uint64_t)at | (uint64_t)kind << 38 | (uint64_t)state << 42;
}
#define LSS__TK_KIND(x) LSS__FIELD((x)->w, 38, 3)
#define LSS__TK_STATE(x) LSS__FIELD((x)->w, 42, 2)

/* due, member, state and last_at are the task after its latest history entry. */
struct lss_task {
    const char *key;
    const char *note;             /* task.add's note (NULL: none, or erased) */
    lss_customer *customer;
    const lss_member *member;
    const lss_deal *deal;
    const lss_ticket *ticket;
    lss_time due;
    lss_time added_at, last_at;
    uint32_t id;
    uint8_t state, kind;          /* lss_task_state, lss_activity_kind */
    lss__vec hist;                /* lss__task_change; task.add first, times in order */
};

#define LSS__DEAL_OPENED_AT(d) ((d)->opened_at)
#define LSS__DEAL_LAST_AT(d) ((d)->last_at)
/* won is final: a won deal's last entry is its win */
#define LSS__DEAL_WON_AT(d) ((d)->stage == LSS_STAGE_WON ? LSS__DEAL_LAST_AT(d) : LSS_TIME_NONE)
/* The amount of d after history entry i: the latest entry up to i that sets
 * it (the opening does). */
static inline lss_money lss__deal_amount_after(const lss_deal *d, uint32_t i)
{
    const lss__deal_change *h = (const lss__deal_change *)d->hist.data;
    while (!lss__dc_has_amount(LSS__DC_KIND(&h[i])))
        i--;
    return h[i].v.amount;
}
#define LSS__DEAL_AMOUNT(d) ((d)->amount)
#define LSS__TICKET_OPENED_AT(t) ((t)->opened_at)
#define LSS__TICKET_LAST_AT(t) ((t)->last_at)
/* Mark m of t as a time (LSS_TIME_NONE for none). */
static inline lss_time lss__ticket_mark(const lss_ticket *t, uint32_t m)
{
    return m == LSS__MARK_NONE ? LSS_TIME_NONE : t->opened_at + (lss_time)m;
}

typedef struct lss__sla_change {
    lss_time at;
    int64_t response, resolution;
    uint32_t seq;
    uint32_t cal; /* the calendar: 1 + the index in lss_db::cals of its key's first definition; 0: none */
    uint8_t priority;
} lss__sla_change;

/* One calendar.set: a calendar's definition from `at` on (calendar.c). The
 * texts are the database's; cal is built from them (its zone from
 * lss_db::zones). */
typedef struct lss__cal_def {
    lss_time at;
    uint32_t seq;
    const char *key, *timezone, *hours, *holidays; /* holidays: NULL when none */
    lss_calendar *cal;
} lss__cal_def;

typedef struct lss__prob_change {
    lss_time at;
    uint32_t seq;
    uint8_t stage, percent;
    uint16_t pipeline; /* as lss_deal::pipeline */
} lss__prob_change;

/* Undo: how to put memory back as it was at a savepoint (a transaction's
 * start, or the start of one call whose journal write failed). New entities,
 * interned strings, texts and appended vector entries are undone by
 * truncating to the counts of the savepoint; changes to existing entities by
 * the copies in the undo log (undo.c). */
typedef struct lss__savepoint {
    uint64_t events;
    lss_time last_time;
    uint32_t entities[LSS__REF_ACTIVITY + 1]; /* how many of each kind (LSS__REF_*) */
    uint32_t teams, segments, prob, sla, cals, policies, pipelines;
    lss__arena_mark text;
    uint32_t undo_count;
    size_t undo_bytes;
} lss__savepoint;

/* What an undo entry saved: a whole entity record; a pointer in storage
 * that never moves (an entity's field: entities live in slabs); or a
 * pointer field of an element of storage that can move when it grows (a
 * customer's changes, a deal's or ticket's history), saved as the entity,
 * the element's index and the field's offset, never as an address. */
enum {
    LSS__U_MEMBER,
    LSS__U_CUSTOMER,
    LSS__U_DEAL,
    LSS__U_TICKET,
    LSS__U_TASK,
    LSS__U_PTR,
    LSS__U_CHANGE_PTR,     /* obj: the customer; index into its changes */
    LSS__U_DEAL_HIST_PTR,  /* obj: the deal; index into its history */
    LSS__U_TICKET_HIST_PTR, /* obj: the ticket; index into its history */
    LSS__U_TASK_HIST_PTR   /* obj: the task; index into its history */
};

typedef struct lss__undo_entry {
    void *obj;        /* the entity, or the address of a pointer (LSS__U_PTR) */
    size_t off;       /* where its copy starts in the undo bytes */
    uint32_t index;   /* the element (LSS__U_*_PTR of movable storage) */
    uint16_t field;   /* the pointer's offset in the element */
    uint8_t type;
} lss__undo_entry;

struct lss__journal;

struct lss_db {
    lss__handle h; /* first: the lock and the message (core.h) */
    unsigned char mem_id[16]; /* an in-memory database's id (a file's is in its journal header) */
    char id_text[33];         /* lss_db_id's text, set when the journal is opened or gets its id */
    char currency[4];
    lss_pipeline_mode pipeline;
    uint64_t events;
    lss_time last_time;
    lss__arena text;
    lss__intern teams, segments;
    lss__slab members, customers, deals, activities, tickets, tasks;
    /* the histories of each kind in a pool of its own (24-byte entries all),
       so that a pass over one kind reads only its own blocks */
    lss__pool deal_hist, ticket_hist, task_hist;
    /* lss__deal_stays, one per deal by id: what the report's stage durations need of each deal's history,
       read in order beside the records (derived: kept by the deal events, rebuilt on rollback and on a
       checkpoint's load, never stored) */
    lss__vec deal_stays;
    lss__keyindex members_by_key, customers_by_key, deals_by_key, tickets_by_key, tasks_by_key;
    lss__vec prob; /* lss__prob_change */
    lss__vec pipelines; /* lss__pipeline, in the order added */
    lss__vec sla;  /* lss__sla_change */
    lss__vec cals; /* lss__cal_def, in sequence order */
    lss__vec zones; /* lss__zone *: every zone a calendar uses, read once */
    lss__slab policies; /* lss__policy: every one a ticket keeps */
    /* durability and transactions */
    struct lss__journal *journal; /* NULL: in memory */
    pthread_t tx_owner;
    int tx_active;
    bool undo_on;                 /* the current call keeps an undo log */
    lss__savepoint tx_sp;
    lss__vec undo;                /* lss__undo_entry */
    unsigned char *undo_bytes;
    size_t undo_len, undo_cap;
    /* checkpoints (lib/db/checkpoint.c) */
    uint64_t ckpt_every;           /* write one by itself after this many journal bytes (0: never) */
    uint64_t ckpt_base;            /* the journal's size at the latest checkpoint, or at the open */
    struct lss__ckpt_job *ckpt_job; /* the one being written on its own thread, or NULL */
    const char *ckpt_path;         /* while opening: the journal's path */
    lss_open_options opts;         /* as opened (a reader's refresh may reopen) */
    struct lss__feed *feed;        /* the commit hook and the events waiting for it (db/feed.c), or NULL */
    bool feeding;                  /* a refresh: replayed events go to the hook */
    struct lss__lx *lx;            /* the list indexes (lists.c), or NULL until the first list */
    char *zoneinfo;                /* where calendars find their zones (open option), or NULL: the system's */
};

/* Calendars (calendar.c): the definition of `key` in force at t (at <= t;
 * LSS_TIME_NONE: the latest), or NULL; give back the definitions beyond
 * `count` (a rollback); free them all and the zones. */
const lss_calendar *lss__calendar_at(const lss_db *db, const char *key, lss_time t);
void lss__calendars_back(lss_db *db, uint32_t count);
/* A definition from a checkpoint: its event's at, sequence number and texts. */
lss_status lss__calendar_restore(lss_db *db, lss_time at, uint32_t seq, const char *const texts[4]);
void lss__calendars_free(lss_db *db);

/* The SLA policy in force at t, one the database holds (made if new), or
 * NULL when there is no memory for it (ticket.c). */
const lss__policy *lss__policy_at(lss_db *db, lss_time t);
/* What a ticket's history says of its service level up to a moment
 * (lss__ticket_sla_fold): the SLA clock, whether it runs, the priority; the
 * first contact and first resolve before the moment (LSS_TIME_NONE: none),
 * the clock and the priority at each; the latest resolve; and, when asked,
 * the moment the clock reached `target` (LSS_TIME_NONE: not yet). */
typedef struct lss__sla_fold {
    int64_t clock;
    bool running;
    uint8_t priority, prio_contact, prio_resolve;
    lss_time first_contact, first_resolve, last_resolve;
    int64_t clock_contact, clock_resolve;
    int64_t target;
    lss_time reached;
} lss__sla_fold;
/* Fold t's history up to `until` (entries with at < until); f->target is
 * read (a negative one: none). */
void lss__ticket_sla_fold(const lss_ticket *t, lss_time until, lss__sla_fold *f);
/* The priority t was opened with. */
unsigned lss__ticket_opening_priority(const lss_ticket *t);
/* The targets of priority p in t's policy. */
#define LSS__P_RESPONSE(t, p) ((t)->policy->response[(p)])
#define LSS__P_RESOLUTION(t, p) ((t)->policy->resolution[(p)])
/* The targets and calendar of ticket t's current priority. */
#define LSS__T_RESPONSE(t) ((t)->policy->response[(t)->priority])
#define LSS__T_RESOLUTION(t) ((t)->policy->resolution[(t)->priority])
#define LSS__T_CAL(t) ((t)->policy->cal[(t)->priority])

/* The sequence number the change being made will get. */
static inline uint32_t lss__next_seq(const lss_db *db) { return (uint32_t)db->events + 1u; }
/* Before changing an existing entity or pointer: keep a copy (only while
 * undo is on, in a transaction; never fails: the command's gate reserved
 * the room). */
void lss__undo_save(lss_db *db, int type, void *obj);
/* Before changing pointer field `field` (an offset) of element `index` of a
 * movable vector of `obj` (type LSS__U_CHANGE_PTR, LSS__U_DEAL_HIST_PTR or
 * LSS__U_TICKET_HIST_PTR): keep its value. */
void lss__undo_save_elem(lss_db *db, int type, void *obj, uint32_t index, size_t field);
/* Reserve room for `entries` more saves of `bytes` in all (customer.erase);
 * room for the `saves` entity copies of one event (the command's gate). */
lss_status lss__undo_reserve(lss_db *db, uint32_t entries, size_t bytes);
lss_status lss__undo_reserve_saves(lss_db *db, uint32_t saves);
/* Take a savepoint; put memory back to one. */
void lss__savepoint_take(const lss_db *db, lss__savepoint *sp);
void lss__rollback(lss_db *db, const lss__savepoint *sp);
/* Forget the interned teams and segments beyond the counts given and the
 * text stored since the mark (a rollback; a command that went no further). */
void lss__texts_back(lss_db *db, uint32_t teams, uint32_t segments, lss__arena_mark text);
/* The change is made: count it. */
void lss__counted(lss_db *db, lss_time at);

/* The entity of kind `ref` (LSS__REF_MEMBER, _CUSTOMER, _DEAL, _TICKET)
 * with `key`, or NULL. */
void *lss__entity_get(const lss_db *db, unsigned ref, const char *key);
/* Where entity kind `ref` lives: its slab, its key index (keyed kinds);
 * the id of entity e of that kind; its noun for messages ("deal"). */
lss__slab *lss__slab_of(const lss_db *db, unsigned ref);
/* The pool of the histories of kind ref (deal, ticket or task). */
lss__pool *lss__hist_pool(lss_db *db, unsigned ref);
lss__keyindex *lss__index_of(const lss_db *db, unsigned ref);
uint32_t lss__entity_id(unsigned ref, const void *e);
const char *lss__ref_noun(unsigned ref);
/* lss_<noun>_find and lss_<noun>_by_id of entity kind `ref`. */
lss_status lss__find(const void **out, const lss_db *db, unsigned ref, const char *key);
lss_status lss__by_id(const void **out, const lss_db *db, unsigned ref, uint32_t id);

/* A customer's lists (deals, tickets, activities: `last` is last_deal,
 * last_ticket or last_activity): the first item, the item after x (NULL at
 * the end), and a loop over them in the order they were added. */
#define LSS__FIRST(c, last) ((c)->last ? (c)->last->next_of_customer : NULL)
#define LSS__NEXT(x, last) ((x) == (x)->customer->last ? NULL : (x)->next_of_customer)
#define LSS__EACH(x, c, last) for (x = LSS__FIRST(c, last); x; x = (x) == (c)->last ? NULL : (x)->next_of_customer)

/* Append an entity to its customer's list, saving for undo what the append
 * changes: the customer's list end and the previous last item's link. */
#define LSS__APPEND_TO_CUSTOMER(db, c, last, item)                                                  \
    do {                                                                                            \
        lss__undo_save((db), LSS__U_CUSTOMER, (c));                                                 \
        if ((c)->last) {                                                                            \
            lss__undo_save((db), LSS__U_PTR, (void *)&(c)->last->next_of_customer);                 \
            (item)->next_of_customer = (c)->last->next_of_customer;                                 \
            (c)->last->next_of_customer = (item);                                                   \
        } else {                                                                                    \
            (item)->next_of_customer = (item);                                                      \
        }                                                                                           \
        (c)->last = (item);                                                                         \
    } while (0)

/* The key index (the four hash tables). While the journal is replayed it is
 * not kept (the records name entities by id); lss__index_build adds the
 * entities it lacks at the end of the replay (all of them, or those after a
 * checkpoint, which holds the index of its own), refusing a key that two
 * entities share
 * (LSS_CORRUPT), and the calls keep it from then on. */
lss_status lss__index_build(lss_db *db);
/* From this many keyed entities on, the customers are indexed on a second
 * thread (below it a thread costs more than it saves; tests set 0). */
extern uint32_t lss__index_thread_min;

/* Entry i of a deal's history as the public struct (with the amount and
 * owner after it); of a ticket's. No range check. */
void lss__deal_change_get(lss_deal_change *out, const lss_deal *d, uint32_t i);
void lss__ticket_change_get(lss_ticket_change *out, const lss_ticket *t, uint32_t i);
/* The owner of d after history entry i. */
const lss_member *lss__deal_owner_after(const lss_deal *d, uint32_t i);
/* The expected close, forecast category and own probability (-1: the
 * stage's) of d after history entry i (any output may be NULL). */
void lss__deal_forecast_after(const lss_deal *d, uint32_t i, lss_time *close, unsigned *category, int *percent);
/* The pipeline `key` names (NULL: the default): 0 for the default, k for
 * lss_db::pipelines entry k - 1; -1 for none. */
int32_t lss__pipeline_find(const lss_db *db, const char *key);
/* The probability of open stage `stage` in pipeline `p` as of t (no lock). */
int lss__stage_probability(const lss_db *db, unsigned p, unsigned stage, lss_time t);
/* A pipeline from a checkpoint: its event's at, sequence number and texts. */
lss_status lss__pipeline_restore(lss_db *db, lss_time at, uint32_t seq, const char *key, const char *name);
/* What a ticket's history says (one pass): first contact and resolve, the
 * latest rating, reopens and contacts. */
typedef struct lss__ticket_marks {
    lss_time first_response, first_resolution, rated_at;
    uint32_t reopens, contacts;
    int score;
} lss__ticket_marks;
void lss__ticket_marks_get(const lss_ticket *t, lss__ticket_marks *m);
/* The two SLA outcomes of t as of as_of (no range check): from the
 * record's marks when both are decided and nothing happened since, else
 * from a fold of the history. */
void lss__ticket_sla_outcomes(const lss_ticket *t, lss_time as_of, lss_sla_outcome *response,
                              lss_sla_outcome *resolution);
/* The two outcomes a fold says. */
void lss__sla_fold_outcomes(const lss_ticket *t, const lss__sla_fold *f, lss_sla_outcome *response,
                            lss_sla_outcome *resolution);
/* lss_customer_state_at(c, t) given the time of c's latest win before t
 * (LSS_TIME_NONE: none), for a pass that has gathered the wins itself. */
lss_customer_state lss__customer_state_given(const lss_customer *c, lss_time t, lss_time last_win);
/* The list indexes (lists.c): a cache of the state that finds the
 * candidates of a list as of now. lss__lx_ready builds them if absent or
 * stale (LSS_NOMEM: none); lss__lx_stale marks them for a rebuild (a
 * rollback); lss__lx_note (rules.h) keeps them after a change. The
 * candidate walks call fn(ctx, id) for each candidate until it returns
 * false. */
typedef struct lss__lx lss__lx;
typedef bool (*lss__lx_fn)(void *ctx, uint32_t id);
lss_status lss__lx_ready(lss_db *db);
void lss__lx_stale(lss_db *db);
void lss__lx_free(lss_db *db);
size_t lss__lx_bytes(const lss_db *db);
/* deals of member (LSS__NONE: every member) in the stages of the mask;
 * false when fn stopped the walk */
bool lss__lx_deals_owner(const lss_db *db, uint32_t member, unsigned stages, lss__lx_fn fn, void *ctx);
/* deals whose expected close is in [from, to) */
void lss__lx_deals_closing(const lss_db *db, lss_time from, lss_time to, lss__lx_fn fn, void *ctx);
/* tickets in the states and priorities of the masks */
void lss__lx_tickets_state(const lss_db *db, unsigned states, unsigned prios, lss__lx_fn fn, void *ctx);
/* tickets assigned to member (LSS__NONE: to nobody); active_only: only new, open, pending */
void lss__lx_tickets_assignee(const lss_db *db, uint32_t member, bool active_only, lss__lx_fn fn, void *ctx);
/* tickets with a target that, as of just after their latest event, falls due in [lo, hi) */
void lss__lx_tickets_due(const lss_db *db, lss_time lo, lss_time hi, lss__lx_fn fn, void *ctx);
/* customers by current segment (NULL: any), source and state (-1: any) */
void lss__lx_customers(const lss_db *db, const char *segment, int source, int state, lss__lx_fn fn, void *ctx);
/* customers whose texts may contain needle (at least 3 bytes; may repeat a customer) */
void lss__lx_customers_text(const lss_db *db, const char *needle, lss__lx_fn fn, void *ctx);
void lss__tickets_free(lss_db *db);
void lss__tasks_free(lss_db *db);
/* The task's due and member after history entry i (either may be NULL). */
void lss__task_after(const lss_task *t, uint32_t i, lss_time *due, const lss_member **member);
void lss__pipeline_free(lss_db *db);
void lss__customers_free(lss_db *db);
void lss__team_free(lss_db *db);

#endif /* LSS_DOMAIN_H */
