/* The public calls that change a database: each builds the command of its
 * event kind (the fields in the schema's slot order, domain/schema.c) and
 * runs it (command.c). */
#include "db/db.h"

/* ---- the team ------------------------------------------------------------ */

lss_status lss_member_add(const lss_member **out, lss_db *db, lss_time at, const char *key, const char *name,
                          lss_role role, const char *team)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_MEMBER_ADD, at);
    c.ev.s[0] = key;
    c.ev.s[1] = name;
    c.ev.s[2] = team;
    c.ev.i[0] = role;
    return lss__command(db, &c, (const void **)out);
}

lss_status lss_quota_set(lss_db *db, lss_time at, const char *member, lss_time from, lss_time to,
                         lss_money amount)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_QUOTA_SET, at);
    c.ev.s[0] = member;
    c.ev.i[0] = from;
    c.ev.i[1] = to;
    c.ev.i[2] = amount;
    return lss__command(db, &c, NULL);
}

/* ---- customers and activities -------------------------------------------- */

lss_status lss_customer_add(const lss_customer **out, lss_db *db, lss_time at, const char *key, const char *name,
                            const char *email, const char *company, const char *segment, lss_source source,
                            const char *referred_by)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_CUSTOMER_ADD, at);
    c.ev.s[0] = key;
    c.ev.s[1] = name;
    c.ev.s[2] = email;
    c.ev.s[3] = company;
    c.ev.s[4] = segment;
    c.ev.s[5] = referred_by;
    c.ev.i[0] = source;
    return lss__command(db, &c, (const void **)out);
}

static lss_status customer_call(lss_db *db, uint8_t kind, lss_time at, const char *customer)
{
    lss__cmd c;
    lss__cmd_init(&c, kind, at);
    c.ev.s[0] = customer;
    return lss__command(db, &c, NULL);
}

lss_status lss_customer_update(lss_db *db, lss_time at, const char *customer, const char *name, const char *email,
                               const char *company, const char *segment)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_CUSTOMER_UPDATE, at);
    c.ev.s[0] = customer;
    c.ev.s[1] = name;
    c.ev.s[2] = email;
    c.ev.s[3] = company;
    c.ev.s[4] = segment;
    return lss__command(db, &c, NULL);
}

lss_status lss_customer_churn(lss_db *db, lss_time at, const char *customer)
{
    return customer_call(db, LSS__EV_CUSTOMER_CHURN, at, customer);
}

lss_status lss_customer_erase(lss_db *db, lss_time at, const char *customer)
{
    return customer_call(db, LSS__EV_CUSTOMER_ERASE, at, customer);
}

lss_status lss_activity_log(const lss_activity **out, lss_db *db, lss_time at, const char *customer,
                            const char *member, lss_activity_kind kind, lss_channel channel, int64_t duration,
                            const char *deal, const char *note)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_ACTIVITY_LOG, at);
    c.ev.s[0] = customer;
    c.ev.s[1] = member;
    c.ev.s[2] = deal;
    c.ev.s[3] = note;
    c.ev.i[0] = kind;
    c.ev.i[1] = channel;
    c.ev.i[2] = duration;
    return lss__command(db, &c, (const void **)out);
}

/* ---- deals and forecast probabilities ------------------------------------ */

lss_status lss_deal_open(const lss_deal **out, lss_db *db, lss_time at, const char *key, const char *customer,
                         const char *owner, lss_money amount, const char *title, lss_time expected_close)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_DEAL_OPEN, at);
    c.ev.s[0] = key;
    c.ev.s[1] = customer;
    c.ev.s[2] = owner;
    c.ev.s[3] = title;
    c.ev.i[0] = amount;
    c.ev.i[1] = expected_close;
    return lss__command(db, &c, (const void **)out);
}

/* A public deal call: the command of `kind` on `deal` with an integer and a text. */
static lss_status deal_call(lss_db *db, lss_time at, const char *deal, uint8_t kind, int64_t v, const char *s)
{
    lss__cmd c;
    lss__cmd_init(&c, kind, at);
    c.ev.s[0] = deal;
    c.ev.s[1] = s;
    c.ev.i[0] = v;
    return lss__command(db, &c, NULL);
}

lss_status lss_deal_advance(lss_db *db, lss_time at, const char *deal, lss_stage to)
{
    return deal_call(db, at, deal, LSS__EV_DEAL_ADVANCE, to, NULL);
}

lss_status lss_deal_set_amount(lss_db *db, lss_time at, const char *deal, lss_money amount)
{
    return deal_call(db, at, deal, LSS__EV_DEAL_AMOUNT, amount, NULL);
}

lss_status lss_deal_assign(lss_db *db, lss_time at, const char *deal, const char *owner)
{
    return deal_call(db, at, deal, LSS__EV_DEAL_ASSIGN, 0, owner);
}

lss_status lss_deal_win(lss_db *db, lss_time at, const char *deal, lss_money amount)
{
    return deal_call(db, at, deal, LSS__EV_DEAL_WIN, amount, NULL);
}

lss_status lss_deal_lose(lss_db *db, lss_time at, const char *deal, lss_loss_reason reason, const char *note)
{
    return deal_call(db, at, deal, LSS__EV_DEAL_LOSE, reason, note);
}

lss_status lss_deal_reopen(lss_db *db, lss_time at, const char *deal)
{
    return deal_call(db, at, deal, LSS__EV_DEAL_REOPEN, 0, NULL);
}

lss_status lss_stage_probability_set(lss_db *db, lss_time at, lss_stage stage, int percent)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_STAGE_PROBABILITY, at);
    c.ev.i[0] = stage;
    c.ev.i[1] = percent;
    return lss__command(db, &c, NULL);
}

/* ---- SLA targets and tickets --------------------------------------------- */

lss_status lss_sla_set(lss_db *db, lss_time at, lss_priority priority, int64_t first_response, int64_t resolution)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_SLA_SET, at);
    c.ev.i[0] = priority;
    c.ev.i[1] = first_response;
    c.ev.i[2] = resolution;
    return lss__command(db, &c, NULL);
}

lss_status lss_ticket_open(const lss_ticket **out, lss_db *db, lss_time at, const char *key, const char *customer,
                           lss_ticket_kind kind, lss_channel channel, lss_priority priority, const char *subject,
                           const char *deal)
{
    lss__cmd c;
    lss__cmd_init(&c, LSS__EV_TICKET_OPEN, at);
    c.ev.s[0] = key;
    c.ev.s[1] = customer;
    c.ev.s[2] = subject;
    c.ev.s[3] = deal;
    c.ev.i[0] = kind;
    c.ev.i[1] = channel;
    c.ev.i[2] = priority;
    return lss__command(db, &c, (const void **)out);
}

/* A public ticket call: the command of `kind` on `ticket`. */
static lss_status ticket_call(lss_db *db, lss_time at, const char *ticket, uint8_t kind, const char *s, int64_t i0,
                              int64_t i1)
{
    lss__cmd c;
    lss__cmd_init(&c, kind, at);
    c.ev.s[0] = ticket;
    c.ev.s[1] = s;
    c.ev.i[0] = i0;
    c.ev.i[1] = i1;
    return lss__command(db, &c, NULL);
}

lss_status lss_ticket_assign(lss_db *db, lss_time at, const char *ticket, const char *agent)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_ASSIGN, agent, 0, 0);
}

lss_status lss_ticket_contact(lss_db *db, lss_time at, const char *ticket, const char *agent, int64_t duration,
                              int channel)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_CONTACT, agent, duration, channel);
}

lss_status lss_ticket_wait(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_WAIT, NULL, 0, 0);
}

lss_status lss_ticket_resume(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_RESUME, NULL, 0, 0);
}

lss_status lss_ticket_resolve(lss_db *db, lss_time at, const char *ticket, const char *note)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_RESOLVE, note, 0, 0);
}

lss_status lss_ticket_reopen(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_REOPEN, NULL, 0, 0);
}

lss_status lss_ticket_close(lss_db *db, lss_time at, const char *ticket)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_CLOSE, NULL, 0, 0);
}

lss_status lss_ticket_rate(lss_db *db, lss_time at, const char *ticket, int score, const char *comment)
{
    return ticket_call(db, at, ticket, LSS__EV_TICKET_RATE, comment, score, 0);
}
