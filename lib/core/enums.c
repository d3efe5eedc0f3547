/* The spellings of every enum (enums.h), and the public functions that
 * name and parse them. */
#include "core/core.h"
#include "core/enums.h"

#include <stdio.h>

static const char *const pipeline_modes[] = { "strict", "lenient" };
static const char *const sync_modes[] = { "full", "normal", "off" };
static const char *const roles[] = { "sales", "service", "both" };
static const char *const sources[] = { "web", "referral", "event", "outbound", "partner", "other" };
static const char *const channels[] = { "phone", "email", "chat", "in_person", "web", "social" };
static const char *const activity_kinds[] = { "call",        "email",     "meeting",  "demo", "presentation",
                                              "negotiation", "follow_up", "training", "other" };
static const char *const stages[] = { "prospect", "qualified", "presented", "negotiated", "won", "lost" };
static const char *const loss_reasons[] = { "price", "competitor", "no_budget", "no_decision", "timing", "other" };
static const char *const customer_states[] = { "prospect", "active", "churned" };
static const char *const deal_changes[] = { "opened", "advanced",   "amount",   "assigned",   "won",
                                            "lost",   "reopened",   "close_date", "forecast", "probability" };
static const char *const forecasts[] = { "pipeline", "best_case", "commit", "omitted" };
static const char *const task_states[] = { "open", "done", "cancelled" };
static const char *const task_changes[] = { "added", "rescheduled", "assigned", "done", "cancelled" };
static const char *const ticket_states[] = { "new", "open", "pending", "resolved", "closed" };
static const char *const ticket_kinds[] = { "presales", "installation", "maintenance", "incident",
                                            "complaint", "training",     "question" };
static const char *const priorities[] = { "low", "normal", "high", "urgent" };
static const char *const ticket_changes[] = { "opened",   "assigned", "contacted", "waiting", "resumed",
                                              "resolved", "reopened", "closed",    "rated",
                                              "priority" };
static const char *const sla_outcomes[] = { "undecided", "met", "missed" };
static const char *const generate_orders[] = { "customer", "time" };
static const char *const customer_changes[] = { "updated", "churned", "erased", "nps" };
static const char *const steps[] = { "day", "week", "month", "quarter" };

#define TABLE(noun, names) { noun, names, (int)(sizeof(names) / sizeof *(names)) }
const lss__enum lss__enums[LSS__E_COUNT] = {
    [LSS__E_PIPELINE_MODE] = TABLE("pipeline mode", pipeline_modes),
    [LSS__E_SYNC_MODE] = TABLE("sync mode", sync_modes),
    [LSS__E_ROLE] = TABLE("role", roles),
    [LSS__E_SOURCE] = TABLE("source", sources),
    [LSS__E_CHANNEL] = TABLE("channel", channels),
    [LSS__E_ACTIVITY_KIND] = TABLE("activity kind", activity_kinds),
    [LSS__E_STAGE] = TABLE("stage", stages),
    [LSS__E_LOSS_REASON] = TABLE("loss reason", loss_reasons),
    [LSS__E_CUSTOMER_STATE] = TABLE("customer state", customer_states),
    [LSS__E_DEAL_CHANGE] = TABLE("deal change", deal_changes),
    [LSS__E_TICKET_STATE] = TABLE("ticket state", ticket_states),
    [LSS__E_TICKET_KIND] = TABLE("ticket kind", ticket_kinds),
    [LSS__E_PRIORITY] = TABLE("priority", priorities),
    [LSS__E_TICKET_CHANGE] = TABLE("ticket change", ticket_changes),
    [LSS__E_SLA_OUTCOME] = TABLE("SLA outcome", sla_outcomes),
    [LSS__E_GENERATE_ORDER] = TABLE("generate order", generate_orders),
    [LSS__E_FORECAST] = TABLE("forecast category", forecasts),
    [LSS__E_TASK_STATE] = TABLE("task state", task_states),
    [LSS__E_TASK_CHANGE] = TABLE("task change", task_changes),
    [LSS__E_CUSTOMER_CHANGE] = TABLE("customer change", customer_changes),
    [LSS__E_STEP] = TABLE("step", steps),
};

const char *lss__enum_spell(lss__enum_id e, int v)
{
    const lss__enum *t = &lss__enums[e];
    return v >= 0 && v < t->count ? t->names[v] : NULL;
}

int lss__enum_find(lss__enum_id e, const char *text)
{
    const lss__enum *t = &lss__enums[e];
    if (text != NULL)
        for (int i = 0; i < t->count; i++)
            if (strcmp(t->names[i], text) == 0)
                return i;
    return -1;
}

void lss__enum_list(lss__enum_id e, int first, int last, char *buf, size_t size)
{
    const lss__enum *t = &lss__enums[e];
    size_t len = 0;
    buf[0] = '\0';
    for (int i = first; i <= last && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i == first ? "" : i == last ? " or " : ", ",
                                t->names[i]);
}

lss_status lss__enum_read(lss__enum_id e, const char *text, int *out)
{
    int v = lss__enum_find(e, text);
    if (v >= 0) {
        *out = v;
        return LSS_OK;
    }
    char expected[256];
    lss__enum_list(e, 0, lss__enums[e].count - 1, expected, sizeof expected);
    return lss__fail(NULL, LSS_INVALID, "\"%s\" is not a %s (expected %s)", text ? text : "(null)",
                     lss__enums[e].noun, expected);
}

/* One public parse: the output checked, then the spelling; the value, or
 * -1 after the failure (LSS_INVALID) is reported. */
static int parse(lss__enum_id e, const void *out, const char *text)
{
    int v = -1;
    if (out == NULL)
        lss__fail(NULL, LSS_INVALID, "%s: NULL output", lss__enums[e].noun);
    else if (lss__enum_read(e, text, &v) != LSS_OK)
        v = -1;
    return v;
}

const char *lss_pipeline_mode_name(int v) { return lss__enum_spell(LSS__E_PIPELINE_MODE, v); }
const char *lss_sync_mode_name(int v) { return lss__enum_spell(LSS__E_SYNC_MODE, v); }
const char *lss_role_name(int v) { return lss__enum_spell(LSS__E_ROLE, v); }
const char *lss_source_name(int v) { return lss__enum_spell(LSS__E_SOURCE, v); }
const char *lss_channel_name(int v) { return lss__enum_spell(LSS__E_CHANNEL, v); }
const char *lss_activity_kind_name(int v) { return lss__enum_spell(LSS__E_ACTIVITY_KIND, v); }
const char *lss_stage_name(int v) { return lss__enum_spell(LSS__E_STAGE, v); }
const char *lss_loss_reason_name(int v) { return lss__enum_spell(LSS__E_LOSS_REASON, v); }
const char *lss_customer_state_name(int v) { return lss__enum_spell(LSS__E_CUSTOMER_STATE, v); }
const char *lss_deal_change_kind_name(int v) { return lss__enum_spell(LSS__E_DEAL_CHANGE, v); }
const char *lss_ticket_state_name(int v) { return lss__enum_spell(LSS__E_TICKET_STATE, v); }
const char *lss_ticket_kind_name(int v) { return lss__enum_spell(LSS__E_TICKET_KIND, v); }
const char *lss_priority_name(int v) { return lss__enum_spell(LSS__E_PRIORITY, v); }
const char *lss_ticket_change_kind_name(int v) { return lss__enum_spell(LSS__E_TICKET_CHANGE, v); }
const char *lss_sla_outcome_name(int v) { return lss__enum_spell(LSS__E_SLA_OUTCOME, v); }
const char *lss_generate_order_name(int v) { return lss__enum_spell(LSS__E_GENERATE_ORDER, v); }
const char *lss_forecast_category_name(int v) { return lss__enum_spell(LSS__E_FORECAST, v); }
const char *lss_task_state_name(int v) { return lss__enum_spell(LSS__E_TASK_STATE, v); }
const char *lss_task_change_kind_name(int v) { return lss__enum_spell(LSS__E_TASK_CHANGE, v); }
const char *lss_customer_change_kind_name(int v) { return lss__enum_spell(LSS__E_CUSTOMER_CHANGE, v); }
const char *lss_step_name(int v) { return lss__enum_spell(LSS__E_STEP, v); }

lss_status lss_step_parse(lss_step *out, const char *text)
{
    int v = parse(LSS__E_STEP, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_step)v, LSS_OK);
}

lss_status lss_task_state_parse(lss_task_state *out, const char *text)
{
    int v = parse(LSS__E_TASK_STATE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_task_state)v, LSS_OK);
}

lss_status lss_forecast_category_parse(lss_forecast_category *out, const char *text)
{
    int v = parse(LSS__E_FORECAST, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_forecast_category)v, LSS_OK);
}

lss_status lss_pipeline_mode_parse(lss_pipeline_mode *out, const char *text)
{
    int v = parse(LSS__E_PIPELINE_MODE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_pipeline_mode)v, LSS_OK);
}

lss_status lss_sync_mode_parse(lss_sync_mode *out, const char *text)
{
    int v = parse(LSS__E_SYNC_MODE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_sync_mode)v, LSS_OK);
}

lss_status lss_role_parse(lss_role *out, const char *text)
{
    int v = parse(LSS__E_ROLE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_role)v, LSS_OK);
}

lss_status lss_source_parse(lss_source *out, const char *text)
{
    int v = parse(LSS__E_SOURCE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_source)v, LSS_OK);
}

lss_status lss_customer_state_parse(lss_customer_state *out, const char *text)
{
    int v = parse(LSS__E_CUSTOMER_STATE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_customer_state)v, LSS_OK);
}

lss_status lss_channel_parse(lss_channel *out, const char *text)
{
    int v = parse(LSS__E_CHANNEL, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_channel)v, LSS_OK);
}

lss_status lss_activity_kind_parse(lss_activity_kind *out, const char *text)
{
    int v = parse(LSS__E_ACTIVITY_KIND, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_activity_kind)v, LSS_OK);
}

lss_status lss_stage_parse(lss_stage *out, const char *text)
{
    int v = parse(LSS__E_STAGE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_stage)v, LSS_OK);
}

lss_status lss_loss_reason_parse(lss_loss_reason *out, const char *text)
{
    int v = parse(LSS__E_LOSS_REASON, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_loss_reason)v, LSS_OK);
}

lss_status lss_ticket_state_parse(lss_ticket_state *out, const char *text)
{
    int v = parse(LSS__E_TICKET_STATE, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_ticket_state)v, LSS_OK);
}

lss_status lss_ticket_kind_parse(lss_ticket_kind *out, const char *text)
{
    int v = parse(LSS__E_TICKET_KIND, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_ticket_kind)v, LSS_OK);
}

lss_status lss_priority_parse(lss_priority *out, const char *text)
{
    int v = parse(LSS__E_PRIORITY, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_priority)v, LSS_OK);
}

lss_status lss_generate_order_parse(lss_generate_order *out, const char *text)
{
    int v = parse(LSS__E_GENERATE_ORDER, out, text);
    return v < 0 ? LSS_INVALID : (*out = (lss_generate_order)v, LSS_OK);
}
