/* The public calls that change a database: each runs the command of its
 * event kind with its arguments in the schema's slot order (the texts, then
 * the integers: domain/schema.c), the other fields absent. */
#include "db/db.h"

#include <stdio.h>

typedef const char *texts[LSS__EV_STRS];
typedef int64_t ints[LSS__EV_INTS];

/* ---- the team ------------------------------------------------------------ */

lss_status lss_member_add(const lss_member **out, lss_db *db, lss_time at, const char *key, const char *name,
                          lss_role role, const char *team)
{
    return lss__call(db, (const void **)out, LSS__EV_MEMBER_ADD, at, (texts){ key, name, team }, (ints){ role });
}

lss_status lss_quota_set(lss_db *db, lss_time at, const char *member, lss_time from, lss_time to, lss_money amount)
{
    return lss__call(db, NULL, LSS__EV_QUOTA_SET, at, (texts){ member }, (ints){ from, to, amount });
}

/* ---- customers and activities -------------------------------------------- */

lss_status lss_customer_add(const lss_customer **out, lss_db *db, lss_time at, const char *key, const char *name,
                            const char *email, const char *company, const char *segment, lss_source source,
                            const char *referred_by)
{
    return lss__call(db, (const void **)out, LSS__EV_CUSTOMER_ADD, at,
                     (texts){ key, name, email, company, segment, referred_by }, (ints){ source });
}

lss_status lss_customer_update(lss_db *db, lss_time at, const char *customer, const char *name, const char *email,
                               const char *company, const char *segment)
{
    return lss__call(db, NULL, LSS__EV_CUSTOMER_UPDATE, at, (texts){ customer, name, email, company, segment }, NULL);
}

lss_status lss_customer_churn(lss_db *db, lss_time at, const char *customer)
{
    return lss__call(db, NULL, LSS__EV_CUSTOMER_CHURN, at, (texts){ customer }, NULL);
}

lss_status lss_customer_erase(lss_db *db, lss_time at, const char *customer)
{
    return lss__call(db, NULL, LSS__EV_CUSTOMER_ERASE, at, (texts){ customer }, NULL);
}

lss_status lss_customer_nps(lss_db *db, lss_time at, const char *customer, int score, const char *comment)
{
    return lss__call(db, NULL, LSS__EV_CUSTOMER_NPS, at, (texts){ customer, comment }, (ints){ score });
}

lss_status lss_activity_log(const lss_activity **out, lss_db *db, lss_time at, const char *customer,
                            const char *member, lss_activity_kind kind, lss_channel channel, int64_t duration,
                            const char *deal, const char *note)
{
    return lss__call(db, (const void **)out, LSS__EV_ACTIVITY_LOG, at, (texts){ customer, member, deal, note },
                     (ints){ kind, channel, duration });
}

/* ---- deals and forecast probabilities ------------------------------------ */

lss_status lss_deal_open(const lss_deal **out, lss_db *db, lss_time at, const char *key, const char *customer,
                         const char *owner, lss_money amount, const char *title, lss_time expected_close)
{
    return lss__call(db, (const void **)out, LSS__EV_DEAL_OPEN, at, (texts){ key, customer, owner, title },
                     (ints){ amount, expected_close });
}

lss_status lss_deal_open_in(const lss_deal **out, lss_db *db, lss_time at, const char *key, const char *customer,
                            const char *owner, lss_money amount, const char *title, lss_time expected_close,
                            const char *pipeline)
{
    return lss__call(db, (const void **)out, LSS__EV_DEAL_OPEN, at, (texts){ key, customer, owner, title, pipeline },
                     (ints){ amount, expected_close });
}

lss_status lss_pipeline_add(lss_db *db, lss_time at, const char *key, const char *name)
{
    return lss__call(db, NULL, LSS__EV_PIPELINE_ADD, at, (texts){ key, name }, NULL);
}

lss_status lss_pipeline_stage_probability_set(lss_db *db, lss_time at, const char *pipeline, lss_stage stage,
                                              int percent)
{
    return lss__call(db, NULL, LSS__EV_STAGE_PROBABILITY, at, (texts){ pipeline }, (ints){ stage, percent });
}

lss_status lss_deal_set_close_date(lss_db *db, lss_time at, const char *deal, lss_time expected_close)
{
    return lss__call(db, NULL, LSS__EV_DEAL_CLOSE_DATE, at, (texts){ deal }, (ints){ expected_close });
}

lss_status lss_deal_set_forecast(lss_db *db, lss_time at, const char *deal, lss_forecast_category category)
{
    return lss__call(db, NULL, LSS__EV_DEAL_FORECAST, at, (texts){ deal }, (ints){ category });
}

lss_status lss_deal_set_probability(lss_db *db, lss_time at, const char *deal, int percent)
{
    return lss__call(db, NULL, LSS__EV_DEAL_PROBABILITY, at, (texts){ deal }, (ints){ percent });
}

lss_status lss_deal_advance(lss_db *db, lss_time at, const char *deal, lss_stage to)
{
    return lss__call(db, NULL, LSS__EV_DEAL_ADVANCE, at, (texts){ deal }, (ints){ to });
}

lss_status lss_deal_set_amount(lss_db *db, lss_time at, const char *deal, lss_money amount)
{
    return lss__call(db, NULL, LSS__EV_DEAL_AMOUNT, at, (texts){ deal }, (ints){ amount });
}

lss_status lss_deal_assign(lss_db *db, lss_time at, const char *deal, const char *owner)
{
    return lss__call(db, NULL, LSS__EV_DEAL_ASSIGN, at, (texts){ deal, owner }, NULL);
}

lss_status lss_deal_win(lss_db *db, lss_time at, const char *deal, lss_money amount)
{
    return lss__call(db, NULL, LSS__EV_DEAL_WIN, at, (texts){ deal }, (ints){ amount });
}

lss_status lss_deal_lose(lss_db *db, lss_time at, const char *deal, lss_loss_reason reason, const char *note)
{
    return lss__call(db, NULL, LSS__EV_DEAL_LOSE, at, (texts){ deal, note }, (ints){ reason });
}

lss_status lss_deal_reopen(lss_db *db, lss_time at, const char *deal)
{
    return lss__call(db, NULL, LSS__EV_DEAL_REOPEN, at, (texts){ deal }, NULL);
}

lss_status lss_stage_probability_set(lss_db *db, lss_time at, lss_stage stage, int percent)
{
    return lss__call(db, NULL, LSS__EV_STAGE_PROBABILITY, at, NULL, (ints){ stage, percent });
}

/* ---- calendars ------------------------------------------------------------- */

lss_status lss_calendar_set(lss_db *db, lss_time at, const char *key, const char *timezone, const lss_hours *hours,
                            size_t nhours, const lss_date *holidays, size_t nholidays)
{
    char ctx[LSS__KEY_MAX + 64];
    snprintf(ctx, sizeof ctx, "calendar.set: calendar \"%.128s\": ", key ? key : "(null)");
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "calendar.set: NULL database");
    lss_status st = lss__hours_valid(db, ctx, hours, nhours, true);
    if (st == LSS_OK && nholidays > LSS__HOLIDAYS_MAX)
        st = lss__fail(db, LSS_INVALID, "%sfield \"holidays\": more than %u dates", ctx, LSS__HOLIDAYS_MAX);
    for (size_t i = 0; st == LSS_OK && i < nholidays; i++) {
        char b[11];
        if (holidays == NULL || lss_date_format(b, holidays[i])[0] == 0)
            st = lss__fail(db, LSS_INVALID, "%sfield \"holidays\"[%zu]: not a date of the years 1970-9999", ctx, i);
    }
    if (st != LSS_OK)
        return st;
    char *h = lss__hours_format(hours, nhours), *d = nholidays ? lss__dates_format(holidays, nholidays) : NULL;
    if (h == NULL || (nholidays && d == NULL))
        st = lss__fail(db, LSS_NOMEM, "%sout of memory", ctx);
    else
        st = lss__call(db, NULL, LSS__EV_CALENDAR_SET, at, (texts){ key, timezone, h, d }, NULL);
    lss__free(h);
    lss__free(d);
    return st;
}

/* ---- SLA targets and tickets --------------------------------------------- */

lss_status lss_sla_set(lss_db *db, lss_time at, lss_priority priority, int64_t first_response, int64_t resolution)
{
    return lss__call(db, NULL, LSS__EV_SLA_SET, at, NULL, (ints){ priority, first_response, resolution });
}

lss_status lss_sla_set_calendar(lss_db *db, lss_time at, lss_priority priority, int64_t first_response,
                                int64_t resolution, const char *calendar)
{
    return lss__call(db, NULL, LSS__EV_SLA_SET, at, (texts){ calendar }, (ints){ priority, first_response, resolution });
}

lss_status lss_ticket_open(const lss_ticket **out, lss_db *db, lss_time at, const char *key, const char *customer,
                           lss_ticket_kind kind, lss_channel channel, lss_priority priority, const char *subject,
                           const char *deal)
{
    return lss__call(db, (const void **)out, LSS__EV_TICKET_OPEN, at, (texts){ key, customer, subject, deal },
                     (ints){ kind, channel, priority });
}

lss_status lss_ticket_assign(lss_db *db, lss_time at, const char *ticket, const char *agent)
{
    return lss__call(db, NULL, LSS__EV_TICKET_ASSIGN, at, (texts){ ticket, agent }, NULL);
}

lss_status lss_ticket_contact(lss_db *db, lss_time at, const char *ticket, const char *agent, int64_t duration,
                              int channel)
{
    return lss__call(db, NULL, LSS__EV_TICKET_CONTACT, at, (texts){ ticket, agent }, (ints){ duration, channel });
}

lss_status lss_ticket_wait(lss_db *db, lss_time at, const char *ticket)
{
    return lss__call(db, NULL, LSS__EV_TICKET_WAIT, at, (texts){ ticket }, NULL);
}

lss_status lss_ticket_resume(lss_db *db, lss_time at, const char *ticket)
{
    return lss__call(db, NULL, LSS__EV_TICKET_RESUME, at, (texts){ ticket }, NULL);
}

lss_status lss_ticket_resolve(lss_db *db, lss_time at, const char *ticket, const char *note)
{
    return lss__call(db, NULL, LSS__EV_TICKET_RESOLVE, at, (texts){ ticket, note }, NULL);
}

lss_status lss_ticket_reopen(lss_db *db, lss_time at, const char *ticket)
{
    return lss__call(db, NULL, LSS__EV_TICKET_REOPEN, at, (texts){ ticket }, NULL);
}

lss_status lss_ticket_close(lss_db *db, lss_time at, const char *ticket)
{
    return lss__call(db, NULL, LSS__EV_TICKET_CLOSE, at, (texts){ ticket }, NULL);
}

lss_status lss_task_add(const lss_task **out, lss_db *db, lss_time at, const char *key, const char *customer,
                        const char *member, lss_activity_kind kind, lss_time due, const char *deal, const char *ticket,
                        const char *note)
{
    return lss__call(db, (const void **)out, LSS__EV_TASK_ADD, at, (texts){ key, customer, member, deal, ticket, note },
                     (ints){ kind, due });
}

lss_status lss_task_reschedule(lss_db *db, lss_time at, const char *task, lss_time due)
{
    return lss__call(db, NULL, LSS__EV_TASK_RESCHEDULE, at, (texts){ task }, (ints){ due });
}

lss_status lss_task_assign(lss_db *db, lss_time at, const char *task, const char *member)
{
    return lss__call(db, NULL, LSS__EV_TASK_ASSIGN, at, (texts){ task, member }, NULL);
}

lss_status lss_task_done(lss_db *db, lss_time at, const char *task, const char *note)
{
    return lss__call(db, NULL, LSS__EV_TASK_DONE, at, (texts){ task, note }, NULL);
}

lss_status lss_task_cancel(lss_db *db, lss_time at, const char *task)
{
    return lss__call(db, NULL, LSS__EV_TASK_CANCEL, at, (texts){ task }, NULL);
}

lss_status lss_ticket_set_priority(lss_db *db, lss_time at, const char *ticket, lss_priority priority)
{
    return lss__call(db, NULL, LSS__EV_TICKET_PRIORITY, at, (texts){ ticket }, (ints){ priority });
}

lss_status lss_ticket_rate(lss_db *db, lss_time at, const char *ticket, int score, const char *comment)
{
    return lss__call(db, NULL, LSS__EV_TICKET_RATE, at, (texts){ ticket, comment }, (ints){ score });
}
