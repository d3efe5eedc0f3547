/* Events: the one description of a change that the journal writes and
 * replays (and that import and export will read and write). A database is
 * the replay of its events; every stored fact carries the sequence number of
 * the event that made it, so the events can be rebuilt from memory in order. */
#ifndef LSS_EVENT_H
#define LSS_EVENT_H

#include "core/core.h"

/* Event kinds. Pinned: they are written to journal files. */
typedef enum lss__ev_kind {
    LSS__EV_NONE = 0,
    LSS__EV_MEMBER_ADD = 1,
    LSS__EV_QUOTA_SET = 2,
    LSS__EV_CUSTOMER_ADD = 3,
    LSS__EV_CUSTOMER_UPDATE = 4,
    LSS__EV_CUSTOMER_CHURN = 5,
    LSS__EV_CUSTOMER_ERASE = 6,
    LSS__EV_DEAL_OPEN = 7,      /* + lss_deal_change_kind: 7 .. 13 */
    LSS__EV_DEAL_ADVANCE = 8,
    LSS__EV_DEAL_AMOUNT = 9,
    LSS__EV_DEAL_ASSIGN = 10,
    LSS__EV_DEAL_WIN = 11,
    LSS__EV_DEAL_LOSE = 12,
    LSS__EV_DEAL_REOPEN = 13,
    LSS__EV_ACTIVITY_LOG = 14,
    LSS__EV_TICKET_OPEN = 15,   /* + lss_ticket_change_kind: 15 .. 23; priority: 27 */
    LSS__EV_TICKET_ASSIGN = 16,
    LSS__EV_TICKET_CONTACT = 17,
    LSS__EV_TICKET_WAIT = 18,
    LSS__EV_TICKET_RESUME = 19,
    LSS__EV_TICKET_RESOLVE = 20,
    LSS__EV_TICKET_REOPEN = 21,
    LSS__EV_TICKET_CLOSE = 22,
    LSS__EV_TICKET_RATE = 23,
    LSS__EV_SLA_SET = 24,
    LSS__EV_STAGE_PROBABILITY = 25,
    LSS__EV_CALENDAR_SET = 26,
    LSS__EV_TICKET_PRIORITY = 27, /* lss_ticket_change_kind 9 (lss__ticket_ev) */
    LSS__EV_PIPELINE_ADD = 28,
    LSS__EV_DEAL_CLOSE_DATE = 29, /* lss_deal_change_kind 7 .. 9 (lss__deal_ev) */
    LSS__EV_DEAL_FORECAST = 30,
    LSS__EV_DEAL_PROBABILITY = 31,
    LSS__EV_CUSTOMER_NPS = 32,
    LSS__EV_TASK_ADD = 33, /* + lss_task_change_kind: 33 .. 37 */
    LSS__EV_TASK_RESCHEDULE = 34,
    LSS__EV_TASK_ASSIGN = 35,
    LSS__EV_TASK_DONE = 36,
    LSS__EV_TASK_CANCEL = 37,
    LSS__EV_COUNT = 38
} lss__ev_kind;

/* The event kind of a ticket history entry's kind, and back (0xFF: not a
 * ticket event). */
static inline uint8_t lss__ticket_ev(unsigned change)
{
    return change == LSS_TICKET_EV_PRIORITY ? (uint8_t)LSS__EV_TICKET_PRIORITY : (uint8_t)(LSS__EV_TICKET_OPEN + change);
}
static inline unsigned lss__ticket_change_of(unsigned kind)
{
    return kind == LSS__EV_TICKET_PRIORITY                             ? (unsigned)LSS_TICKET_EV_PRIORITY
           : kind >= LSS__EV_TICKET_OPEN && kind <= LSS__EV_TICKET_RATE ? kind - LSS__EV_TICKET_OPEN
                                                                     : 0xFFu;
}

/* The same for deals: kinds 0 .. 6 are LSS__EV_DEAL_OPEN + kind, 7 .. 9
 * LSS__EV_DEAL_CLOSE_DATE + kind - 7. */
static inline uint8_t lss__deal_ev(unsigned change)
{
    return change >= LSS_DEAL_CLOSE_DATE ? (uint8_t)(LSS__EV_DEAL_CLOSE_DATE + change - LSS_DEAL_CLOSE_DATE)
                                         : (uint8_t)(LSS__EV_DEAL_OPEN + change);
}
static inline unsigned lss__deal_change_of(unsigned kind)
{
    return kind >= LSS__EV_DEAL_OPEN && kind <= LSS__EV_DEAL_REOPEN                 ? kind - LSS__EV_DEAL_OPEN
           : kind >= LSS__EV_DEAL_CLOSE_DATE && kind <= LSS__EV_DEAL_PROBABILITY ? kind - LSS__EV_DEAL_CLOSE_DATE +
                                                                                        LSS_DEAL_CLOSE_DATE
                                                                                  : 0xFFu;
}

#define LSS__EV_STRS 6
#define LSS__EV_INTS 4

/* One event: its kind and time, then its text fields (keys and texts, NULL
 * when absent) and its integer fields, each kind using a prefix of s[] and
 * i[] in the order of lss__ev_desc. Strings are borrowed. */
typedef struct lss__event {
    uint8_t kind;
    lss_time at;
    const char *s[LSS__EV_STRS];
    int64_t i[LSS__EV_INTS];
    uint32_t ref[LSS__EV_STRS]; /* for a field naming an existing entity: its id (LSS__NONE: unknown) */
} lss__event;

/* An event of `kind`, every field absent. */
static inline void lss__event_clear(lss__event *e, uint8_t kind)
{
    /* field by field: a memset of this size is a slow `rep stos` on x86 */
    e->kind = kind;
    e->at = 0;
    for (int k = 0; k < LSS__EV_STRS; k++) {
        e->s[k] = NULL;
        e->ref[k] = LSS__NONE;
    }
    for (int k = 0; k < LSS__EV_INTS; k++)
        e->i[k] = 0;
}

/* The interned texts (lss__field::intern): one copy per distinct team or segment. */
enum { LSS__INTERN_NONE, LSS__INTERN_TEAM, LSS__INTERN_SEGMENT,
       LSS__INTERN_PIPELINE /* a pipeline's key: the pipeline holds the text, the event is not copied */ };

/* Field types: a key or a text (in s[]), or an integer (in i[]) that is a
 * time, money in minor units, a duration in seconds, a plain integer or an
 * enum's value. */
enum { LSS__F_KEY, LSS__F_TEXT, LSS__F_TIME, LSS__F_MONEY, LSS__F_DURATION, LSS__F_INT, LSS__F_ENUM, LSS__F_HOURS,
       LSS__F_DATES };
/* Hours and dates (calendar.set) are held in s[] as the texts of
 * lss__hours_format and lss__dates_format; JSON shows them as arrays. */
static inline bool lss__field_is_text(unsigned type)
{
    return type == LSS__F_KEY || type == LSS__F_TEXT || type == LSS__F_HOURS || type == LSS__F_DATES;
}

/* One field of an event, as the event format (../shared/spec/events.md)
 * names it. */
typedef struct lss__field {
    const char *name;
    uint8_t type;        /* LSS__F_* */
    uint8_t slot;        /* its index in s[] (keys, texts) or i[] (integers) */
    uint8_t required;
    uint8_t ref;         /* LSS__REF_*: a key naming an existing entity */
    uint8_t intern;      /* LSS__INTERN_*: a text stored once per distinct value */
    int8_t spelling;     /* LSS__F_ENUM: its lss__enum_id (enums.h) */
    int8_t first, last;  /* LSS__F_ENUM: the values an error lists as expected (last -1: all) */
    int64_t absent;      /* an integer field's value when it is not given */
} lss__field;

#define LSS__EV_FIELDS 8

struct lss__cmd;

/* The schema: each event kind's name and fields, in the format's order, and
 * its rules. The binary codec, the JSON reader and writer, the export, the
 * command path and the messages all read it; the per-slot arrays after f[]
 * are derived from it once (lss__schema_init), for the codec's inner loops.
 * The rules of a kind (rules.h) live beside each other in its entity's
 * file: check (pure: the state and the event give OK or a status and its
 * message), reserve (the kind's own memory; NULL: none beyond what
 * command.c reserves for every kind) and apply (the change; cannot fail). */
typedef struct lss__ev_desc {
    const char *name;                  /* the spec's type, e.g. "deal.open" */
    uint8_t nf;                        /* fields in f[] */
    uint8_t ns1;                       /* 1 + the strings of its version 1 form: a record may end after them
                                          when the later string slots are absent (0: no such form) */
    lss__field f[LSS__EV_FIELDS];
    lss_status (*check)(lss_db *db, struct lss__cmd *c);
    lss_status (*reserve)(lss_db *db, struct lss__cmd *c);
    void (*apply)(lss_db *db, struct lss__cmd *c);
    uint8_t adds;                      /* the entity it adds (LSS__REF_*), or 0 */
    uint8_t saves;                     /* entity copies a transaction's undo log needs for it */
    /* derived */
    uint8_t ns, ni;                    /* how many strings, integers */
    const char *sname[LSS__EV_STRS];   /* each slot's field name */
    const char *iname[LSS__EV_INTS];
    uint8_t itype[LSS__EV_INTS];       /* each integer slot's LSS__F_* */
    uint8_t sref[LSS__EV_STRS];        /* each string slot's LSS__REF_* */
    uint8_t sintern[LSS__EV_STRS];     /* each string slot's LSS__INTERN_* */
} lss__ev_desc;

extern lss__ev_desc lss__ev_descs[LSS__EV_COUNT];
/* Derive the per-slot arrays (once per process; lss_db_open calls it). */
void lss__schema_init(void);

/* Where an event's facts live in memory: the entity (member, customer, deal,
 * activity, ticket; NULL for sla.set and stage.probability) and the index of
 * its history entry (quota, customer change, deal or ticket history, sla or
 * probability change). */
typedef struct lss__evref {
    const void *obj;
    uint32_t idx;
    uint8_t kind;
} lss__evref;

/* Rebuild the event `r` stands for (strings borrowed from the database). */
void lss__event_of(const lss_db *db, const lss__evref *r, lss__event *ev);

/* Every event of the database in sequence order: refs[k] is event k + 1.
 * Allocated with lss__malloc; *count = lss_db_event_count(). */
lss_status lss__event_refs(const lss_db *db, lss__evref **refs, uint64_t *count);

#endif
