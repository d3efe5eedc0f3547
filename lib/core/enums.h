/* Every enum of the public API and the event format, spelt once: the
 * public *_name and *_parse functions, the JSON Lines reader and writer and
 * the messages all read lss__enums (enums.c). The order of a table's names
 * is the enum's pinned values. */
#ifndef LSS_ENUMS_H
#define LSS_ENUMS_H

#include <salesservice.h>

#include <stddef.h>

typedef enum lss__enum_id {
    LSS__E_PIPELINE_MODE,
    LSS__E_SYNC_MODE,
    LSS__E_ROLE,
    LSS__E_SOURCE,
    LSS__E_CHANNEL,
    LSS__E_ACTIVITY_KIND,
    LSS__E_STAGE,
    LSS__E_LOSS_REASON,
    LSS__E_CUSTOMER_STATE,
    LSS__E_DEAL_CHANGE,
    LSS__E_TICKET_STATE,
    LSS__E_TICKET_KIND,
    LSS__E_PRIORITY,
    LSS__E_TICKET_CHANGE,
    LSS__E_SLA_OUTCOME,
    LSS__E_GENERATE_ORDER,
    LSS__E_FORECAST,
    LSS__E_TASK_STATE,
    LSS__E_TASK_CHANGE,
    LSS__E_CUSTOMER_CHANGE,
    LSS__E_STEP,
    LSS__E_COUNT
} lss__enum_id;

typedef struct lss__enum {
    const char *noun;          /* what a value is, in messages: "stage" */
    const char *const *names;  /* the spellings, by value */
    int count;
} lss__enum;

extern const lss__enum lss__enums[LSS__E_COUNT];

/* The spelling of value v, or NULL when v is not one. */
const char *lss__enum_spell(lss__enum_id e, int v);
/* The value spelt `text` (NULL: none), or -1. */
int lss__enum_find(lss__enum_id e, const char *text);
/* "a, b or c": the spellings of values first..last, for messages. */
void lss__enum_list(lss__enum_id e, int first, int last, char *buf, size_t size);
/* Parse `text` into *out, or fail with LSS_INVALID and
 * `"x" is not a <noun> (expected a, b or c)`. */
lss_status lss__enum_read(lss__enum_id e, const char *text, int *out);

#endif
