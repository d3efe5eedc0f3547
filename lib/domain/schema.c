/* Events: from memory (by sequence number), to the public API, and to and
 * from their binary form. */
#include "domain/rules.h"
#include "core/enums.h"

#include <limits.h>
#include <stddef.h>

#define KEY(name, slot, ref) { name, LSS__F_KEY, slot, 1, LSS__REF_##ref, 0, 0, 0, 0, 0 }
#define OKEY(name, slot, ref) { name, LSS__F_KEY, slot, 0, LSS__REF_##ref, 0, 0, 0, 0, 0 }
#define NEWKEY(name) { name, LSS__F_KEY, 0, 1, LSS__REF_NONE, 0, 0, 0, 0, 0 } /* the key of the entity it adds */
#define TEXT(name, slot, req) { name, LSS__F_TEXT, slot, req, 0, 0, 0, 0, 0, 0 }
#define INTERNED(name, slot, table) { name, LSS__F_TEXT, slot, 0, 0, LSS__INTERN_##table, 0, 0, 0, 0 }
#define TIME(name, slot, req) { name, LSS__F_TIME, slot, req, 0, 0, 0, 0, 0, LSS_TIME_NONE }
#define MONEY(name, slot, req) { name, LSS__F_MONEY, slot, req, 0, 0, 0, 0, 0, -1 }
#define DUR(name, slot, req) { name, LSS__F_DURATION, slot, req, 0, 0, 0, 0, 0, -1 }
#define INT(name, slot) { name, LSS__F_INT, slot, 1, 0, 0, 0, 0, 0, 0 }
#define OINT(name, slot) { name, LSS__F_INT, slot, 0, 0, 0, 0, 0, 0, -1 }
#define PIPELINE(name, slot) { name, LSS__F_KEY, slot, 0, LSS__REF_NONE, LSS__INTERN_PIPELINE, 0, 0, 0, 0 }
#define HOURS(name, slot) { name, LSS__F_HOURS, slot, 1, 0, 0, 0, 0, 0, 0 }
#define DATES(name, slot) { name, LSS__F_DATES, slot, 0, 0, 0, 0, 0, 0, 0 }
/* An enum: every spelling is read (the call checks the value's meaning);
 * an error lists values first..last (-1: all) as the expected ones. */
#define ENUM(name, slot, req, absent, spelling, first, last) \
    { name, LSS__F_ENUM, slot, req, 0, 0, LSS__E_##spelling, first, last, absent }
/* A kind's rules (rules.h): its check and apply, its own reservation,
 * the entity it adds, the undo copies a transaction needs. */
#define RULES(fam, reserve_fn, added, nsaves)                                                      \
    .check = lss__##fam##_check, .reserve = reserve_fn, .apply = lss__##fam##_apply,               \
    .adds = LSS__REF_##added, .saves = nsaves
lss__ev_desc lss__ev_descs[LSS__EV_COUNT] = {
    [LSS__EV_MEMBER_ADD] = {  RULES(member_add, NULL, MEMBER, 0), .name = "member.add",
                             .nf = 4,
                             .f = { NEWKEY("key"), TEXT("name", 1, 1), ENUM("role", 0, 1, 0, ROLE, 0, -1),
                                    INTERNED("team", 2, TEAM) } },
    [LSS__EV_QUOTA_SET] = {  RULES(quota_set, lss__quota_set_reserve, NONE, 1), .name = "quota.set",
                            .nf = 4,
                            .f = { KEY("member", 0, MEMBER), TIME("from", 0, 1), TIME("to", 1, 1),
                                   MONEY("amount", 2, 1) } },
    [LSS__EV_CUSTOMER_ADD] = {  RULES(customer_add, NULL, CUSTOMER, 0), .name = "customer.add",
                               .nf = 7,
                               .f = { NEWKEY("key"), TEXT("name", 1, 1), TEXT("email", 2, 0), TEXT("company", 3, 0),
                                      INTERNED("segment", 4, SEGMENT), ENUM("source", 0, 0, LSS_SOURCE_OTHER, SOURCE, 0, -1),
                                      OKEY("referred_by", 5, CUSTOMER) } },
    [LSS__EV_CUSTOMER_UPDATE] = {  RULES(customer_change, lss__customer_change_reserve, NONE, 1), .name = "customer.update",
                                  .nf = 5,
                                  .f = { KEY("customer", 0, CUSTOMER), TEXT("name", 1, 0), TEXT("email", 2, 0),
                                         TEXT("company", 3, 0), INTERNED("segment", 4, SEGMENT) } },
    [LSS__EV_CUSTOMER_CHURN] = {  RULES(customer_change, lss__customer_change_reserve, NONE, 1), .name = "customer.churn", .nf = 1, .f = { KEY("customer", 0, CUSTOMER) } },
    [LSS__EV_CUSTOMER_ERASE] = {  RULES(customer_change, lss__customer_change_reserve, NONE, 1), .name = "customer.erase", .nf = 1, .f = { KEY("customer", 0, CUSTOMER) } },
    [LSS__EV_DEAL_OPEN] = {  RULES(deal_open, lss__deal_open_reserve, DEAL, 2), .name = "deal.open",
                            .nf = 7, .ns1 = 1 + 4,
                            .f = { NEWKEY("key"), KEY("customer", 1, CUSTOMER), KEY("owner", 2, MEMBER),
                                   MONEY("amount", 0, 1), TEXT("title", 3, 0), TIME("expected_close", 1, 0),
                                   PIPELINE("pipeline", 4) } },
    [LSS__EV_DEAL_ADVANCE] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.advance",
                               .nf = 2,
                               .f = { KEY("deal", 0, DEAL),
                                      ENUM("to", 0, 1, 0, STAGE, LSS_STAGE_QUALIFIED, LSS_STAGE_NEGOTIATED) } },
    [LSS__EV_DEAL_AMOUNT] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.amount", .nf = 2, .f = { KEY("deal", 0, DEAL), MONEY("amount", 0, 1) } },
    [LSS__EV_DEAL_ASSIGN] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.assign", .nf = 2, .f = { KEY("deal", 0, DEAL), KEY("owner", 1, MEMBER) } },
    [LSS__EV_DEAL_WIN] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.win", .nf = 2, .f = { KEY("deal", 0, DEAL), MONEY("amount", 0, 0) } },
    [LSS__EV_DEAL_LOSE] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.lose",
                            .nf = 3,
                            .f = { KEY("deal", 0, DEAL), ENUM("reason", 0, 1, 0, LOSS_REASON, 0, -1),
                                   TEXT("note", 1, 0) } },
    [LSS__EV_DEAL_REOPEN] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.reopen", .nf = 1, .f = { KEY("deal", 0, DEAL) } },
    [LSS__EV_ACTIVITY_LOG] = {  RULES(activity_log, NULL, ACTIVITY, 2), .name = "activity.log",
                               .nf = 7,
                               .f = { KEY("customer", 0, CUSTOMER), KEY("member", 1, MEMBER),
                                      ENUM("kind", 0, 1, 0, ACTIVITY_KIND, 0, -1),
                                      ENUM("channel", 1, 1, 0, CHANNEL, 0, -1), DUR("duration", 2, 0),
                                      OKEY("deal", 2, DEAL), TEXT("note", 3, 0) } },
    [LSS__EV_TICKET_OPEN] = {  RULES(ticket_open, lss__ticket_open_reserve, TICKET, 2), .name = "ticket.open",
                              .nf = 7,
                              .f = { NEWKEY("key"), KEY("customer", 1, CUSTOMER),
                                     ENUM("kind", 0, 1, 0, TICKET_KIND, 0, -1),
                                     ENUM("channel", 1, 1, 0, CHANNEL, 0, -1),
                                     ENUM("priority", 2, 1, 0, PRIORITY, 0, -1), TEXT("subject", 2, 0),
                                     OKEY("deal", 3, DEAL) } },
    [LSS__EV_TICKET_ASSIGN] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.assign",
                                .nf = 2,
                                .f = { KEY("ticket", 0, TICKET), KEY("agent", 1, MEMBER) } },
    [LSS__EV_TICKET_CONTACT] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.contact",
                                 .nf = 4,
                                 .f = { KEY("ticket", 0, TICKET), KEY("agent", 1, MEMBER), DUR("duration", 0, 1),
                                        ENUM("channel", 1, 0, -1, CHANNEL, 0, -1) } },
    [LSS__EV_TICKET_WAIT] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.wait", .nf = 1, .f = { KEY("ticket", 0, TICKET) } },
    [LSS__EV_TICKET_RESUME] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.resume", .nf = 1, .f = { KEY("ticket", 0, TICKET) } },
    [LSS__EV_TICKET_RESOLVE] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.resolve",
                                 .nf = 2,
                                 .f = { KEY("ticket", 0, TICKET), TEXT("note", 1, 0) } },
    [LSS__EV_TICKET_REOPEN] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.reopen", .nf = 1, .f = { KEY("ticket", 0, TICKET) } },
    [LSS__EV_TICKET_CLOSE] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.close", .nf = 1, .f = { KEY("ticket", 0, TICKET) } },
    [LSS__EV_TICKET_RATE] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.rate",
                              .nf = 3,
                              .f = { KEY("ticket", 0, TICKET), INT("score", 0), TEXT("comment", 1, 0) } },
    [LSS__EV_SLA_SET] = {  RULES(sla_set, lss__sla_set_reserve, NONE, 0), .name = "sla.set",
                          .nf = 4,
                          .f = { ENUM("priority", 0, 1, 0, PRIORITY, 0, -1), DUR("first_response", 1, 1),
                                 DUR("resolution", 2, 1), OKEY("calendar", 0, NONE) } },
    [LSS__EV_STAGE_PROBABILITY] = {  RULES(stage_probability, lss__stage_probability_reserve, NONE, 0), .name = "stage.probability",
                                    .nf = 3, .ns1 = 1 + 0,
                                    .f = { ENUM("stage", 0, 1, 0, STAGE, LSS_STAGE_PROSPECT, LSS_STAGE_NEGOTIATED),
                                           INT("percent", 1), PIPELINE("pipeline", 0) } },
    [LSS__EV_CALENDAR_SET] = {  RULES(calendar_set, lss__calendar_set_reserve, NONE, 0), .name = "calendar.set",
                               .nf = 4,
                               .f = { KEY("key", 0, NONE), TEXT("timezone", 1, 1), HOURS("hours", 2),
                                      DATES("holidays", 3) } },
    [LSS__EV_TICKET_PRIORITY] = {  RULES(ticket_change, lss__ticket_change_reserve, NONE, 1), .name = "ticket.priority",
                                  .nf = 2,
                                  .f = { KEY("ticket", 0, TICKET), ENUM("priority", 0, 1, 0, PRIORITY, 0, -1) } },
    [LSS__EV_PIPELINE_ADD] = {  RULES(pipeline_add, lss__pipeline_add_reserve, NONE, 0), .name = "pipeline.add",
                               .nf = 2, .f = { KEY("key", 0, NONE), TEXT("name", 1, 1) } },
    [LSS__EV_DEAL_CLOSE_DATE] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.close_date",
                                  .nf = 2, .f = { KEY("deal", 0, DEAL), TIME("expected_close", 0, 1) } },
    [LSS__EV_DEAL_FORECAST] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.forecast",
                                .nf = 2, .f = { KEY("deal", 0, DEAL), ENUM("category", 0, 1, 0, FORECAST, 0, -1) } },
    [LSS__EV_TASK_ADD] = {  RULES(task_add, lss__task_add_reserve, TASK, 2), .name = "task.add",
                           .nf = 8,
                           .f = { NEWKEY("key"), KEY("customer", 1, CUSTOMER), KEY("member", 2, MEMBER),
                                  ENUM("kind", 0, 1, 0, ACTIVITY_KIND, 0, -1), TIME("due", 1, 1), OKEY("deal", 3, DEAL),
                                  OKEY("ticket", 4, TICKET), TEXT("note", 5, 0) } },
    [LSS__EV_TASK_RESCHEDULE] = {  RULES(task_change, lss__task_change_reserve, NONE, 1), .name = "task.reschedule",
                                  .nf = 2, .f = { KEY("task", 0, TASK), TIME("due", 0, 1) } },
    [LSS__EV_TASK_ASSIGN] = {  RULES(task_change, lss__task_change_reserve, NONE, 1), .name = "task.assign",
                              .nf = 2, .f = { KEY("task", 0, TASK), KEY("member", 1, MEMBER) } },
    [LSS__EV_TASK_DONE] = {  RULES(task_change, lss__task_change_reserve, NONE, 1), .name = "task.done",
                            .nf = 2, .f = { KEY("task", 0, TASK), TEXT("note", 1, 0) } },
    [LSS__EV_TASK_CANCEL] = {  RULES(task_change, lss__task_change_reserve, NONE, 1), .name = "task.cancel",
                              .nf = 1, .f = { KEY("task", 0, TASK) } },
    [LSS__EV_CUSTOMER_NPS] = {  RULES(customer_change, lss__customer_change_reserve, NONE, 1), .name = "customer.nps",
                               .nf = 3, .f = { KEY("customer", 0, CUSTOMER), INT("score", 0), TEXT("comment", 1, 0) } },
    [LSS__EV_DEAL_PROBABILITY] = {  RULES(deal_change, lss__deal_change_reserve, NONE, 1), .name = "deal.probability",
                                   .nf = 2, .f = { KEY("deal", 0, DEAL), OINT("percent", 0) } },
};
#undef RULES
#undef KEY
#undef OKEY
#undef NEWKEY
#undef TEXT
#undef INTERNED
#undef TIME
#undef MONEY
#undef DUR
#undef INT
#undef OINT
#undef PIPELINE
#undef HOURS
#undef DATES
#undef ENUM

static void schema_derive(void)
{
    for (unsigned k = 1; k < LSS__EV_COUNT; k++) {
        lss__ev_desc *d = &lss__ev_descs[k];
        for (unsigned j = 0; j < d->nf; j++) {
            const lss__field *f = &d->f[j];
            if (lss__field_is_text(f->type)) {
                d->sname[f->slot] = f->name;
                d->sref[f->slot] = f->ref;
                d->sintern[f->slot] = f->intern;
                if (f->slot + 1u > d->ns)
                    d->ns = (uint8_t)(f->slot + 1u);
            } else {
                d->iname[f->slot] = f->name;
                d->itype[f->slot] = f->type;
                if (f->slot + 1u > d->ni)
                    d->ni = (uint8_t)(f->slot + 1u);
            }
        }
    }
}

static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
void lss__schema_init(void) { pthread_once(&schema_once, schema_derive); }

static const char *key_or_null(const char *const *key) { return key ? *key : NULL; }
#define KEY(p) key_or_null((p) ? &(p)->key : NULL)
#define ID(p) ((p) ? (p)->id : LSS__NONE)

/* A deal event: history entry r->idx of deal r->obj (and the owner after it). */
static void deal_event_of(const lss_db *db, const lss__evref *r, lss__event *ev)
{
    const lss_deal *d = r->obj;
    const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, r->idx);
    const lss_member *owner;
    ev->at = lss__w_at(x->w);
    ev->s[0] = d->key;
    if (r->kind != LSS__EV_DEAL_OPEN)
        ev->ref[0] = d->id;
    switch (r->kind) {
    case LSS__EV_DEAL_OPEN:
        ev->s[1] = d->customer->key;
        owner = lss__deal_owner_after(d, r->idx);
        ev->s[2] = owner->key;
        ev->ref[1] = d->customer->id;
        ev->ref[2] = owner->id;
        ev->s[3] = d->title;
        ev->s[4] = d->pipeline ? LSS__VEC_AT(&db->pipelines, lss__pipeline, d->pipeline - 1u).key : NULL;
        ev->i[0] = x->v.amount;
        lss__deal_forecast_after(d, 0, &ev->i[1], NULL, NULL);
        break;
    case LSS__EV_DEAL_CLOSE_DATE:
        lss__deal_forecast_after(d, r->idx, &ev->i[0], NULL, NULL);
        break;
    case LSS__EV_DEAL_FORECAST:
        ev->i[0] = LSS__DC_REASON(x);
        break;
    case LSS__EV_DEAL_PROBABILITY:
        ev->i[0] = x->v.percent;
        break;
    case LSS__EV_DEAL_ADVANCE:
        ev->i[0] = LSS__DC_STAGE(x);
        break;
    case LSS__EV_DEAL_AMOUNT:
    case LSS__EV_DEAL_WIN:
        ev->i[0] = x->v.amount;
        break;
    case LSS__EV_DEAL_ASSIGN:
        owner = lss__deal_owner_after(d, r->idx);
        ev->s[1] = owner->key;
        ev->ref[1] = owner->id;
        break;
    case LSS__EV_DEAL_LOSE:
        ev->s[1] = x->v.note;
        ev->i[0] = LSS__DC_REASON(x);
        break;
    default:
        break;
    }
}

/* A ticket event: history entry r->idx of ticket r->obj. */
static void ticket_event_of(const lss__evref *r, lss__event *ev)
{
    const lss_ticket *t = r->obj;
    const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, r->idx);
    ev->at = lss__w_at(x->w);
    ev->s[0] = t->key;
    if (r->kind != LSS__EV_TICKET_OPEN)
        ev->ref[0] = t->id;
    switch (r->kind) {
    case LSS__EV_TICKET_OPEN:
        ev->s[1] = t->customer->key;
        ev->s[2] = t->subject;
        ev->s[3] = KEY(t->deal);
        ev->ref[1] = t->customer->id;
        ev->ref[3] = ID(t->deal);
        ev->i[0] = t->kind;
        ev->i[1] = t->channel;
        ev->i[2] = lss__ticket_opening_priority(t);
        break;
    case LSS__EV_TICKET_ASSIGN:
        ev->s[1] = x->v.agent->key;
        ev->ref[1] = x->v.agent->id;
        break;
    case LSS__EV_TICKET_CONTACT:
        ev->s[1] = x->v.agent->key;
        ev->ref[1] = x->v.agent->id;
        ev->i[0] = x->duration;
        ev->i[1] = LSS__TC_CHANNEL(x) == t->channel ? -1 : (int64_t)LSS__TC_CHANNEL(x);
        break;
    case LSS__EV_TICKET_RESOLVE:
        ev->s[1] = x->v.text;
        break;
    case LSS__EV_TICKET_RATE:
        ev->s[1] = x->v.text;
        ev->i[0] = LSS__TC_SCORE(x);
        break;
    case LSS__EV_TICKET_PRIORITY:
        ev->i[0] = LSS__TC_SCORE(x);
        break;
    default:
        break;
    }
}

/* A task event: history entry r->idx of task r->obj. */
static void task_event_of(const lss__evref *r, lss__event *ev)
{
    const lss_task *t = r->obj;
    const lss__task_change *x = &LSS__VEC_AT(&t->hist, lss__task_change, r->idx);
    const lss_member *m;
    ev->at = lss__w_at(x->w);
    ev->s[0] = t->key;
    if (r->kind != LSS__EV_TASK_ADD)
        ev->ref[0] = t->id;
    switch (r->kind) {
    case LSS__EV_TASK_ADD:
        lss__task_after(t, 0, &ev->i[1], &m);
        ev->s[1] = t->customer->key;
        ev->ref[1] = t->customer->id;
        ev->s[2] = m->key;
        ev->ref[2] = m->id;
        ev->s[3] = KEY(t->deal);
        ev->ref[3] = ID(t->deal);
        ev->s[4] = KEY(t->ticket);
        ev->ref[4] = ID(t->ticket);
        ev->s[5] = t->note;
        ev->i[0] = t->kind;
        break;
    case LSS__EV_TASK_RESCHEDULE:
        lss__task_after(t, r->idx, &ev->i[0], NULL);
        break;
    case LSS__EV_TASK_ASSIGN:
        lss__task_after(t, r->idx, NULL, &m);
        ev->s[1] = m->key;
        ev->ref[1] = m->id;
        break;
    case LSS__EV_TASK_DONE:
        ev->s[1] = x->v.note;
        break;
    default:
        break;
    }
}

/* A customer's event: its customer.add, change r->idx, or activity r->obj. */
static void customer_event_of(const lss__evref *r, lss__event *ev)
{
    switch (r->kind) {
    case LSS__EV_CUSTOMER_ADD: {
        const lss_customer *c = r->obj;
        ev->at = LSS__ADDED_AT(c);
        ev->s[0] = c->key;
        ev->s[1] = c->name;
        ev->s[2] = c->email;
        ev->s[3] = c->company;
        ev->s[4] = c->segment;
        ev->s[5] = KEY(c->referred_by);
        ev->ref[5] = ID(c->referred_by);
        ev->i[0] = LSS__SOURCE(c);
        break;
    }
    case LSS__EV_CUSTOMER_UPDATE:
    case LSS__EV_CUSTOMER_CHURN:
    case LSS__EV_CUSTOMER_ERASE: {
        const lss_customer *c = r->obj;
        const lss__customer_change *x = LSS__CHANGE(c, r->idx);
        ev->at = x->at;
        ev->s[0] = c->key;
        ev->ref[0] = c->id;
        ev->s[1] = x->name;
        ev->s[2] = x->email;
        ev->s[3] = x->company;
        ev->s[4] = x->segment;
        break;
    }
    case LSS__EV_CUSTOMER_NPS: {
        const lss_customer *c = r->obj;
        const lss__customer_change *x = LSS__CHANGE(c, r->idx);
        ev->at = x->at;
        ev->s[0] = c->key;
        ev->ref[0] = c->id;
        ev->s[1] = x->comment;
        ev->i[0] = x->score;
        break;
    }
    case LSS__EV_ACTIVITY_LOG: {
        const lss_activity *a = r->obj;
        ev->at = a->at;
        ev->s[0] = a->customer->key;
        ev->s[1] = a->member->key;
        ev->s[2] = KEY(a->deal);
        ev->ref[0] = a->customer->id;
        ev->ref[1] = a->member->id;
        ev->ref[2] = ID(a->deal);
        ev->s[3] = a->note;
        ev->i[0] = a->kind;
        ev->i[1] = a->channel;
        ev->i[2] = a->duration;
        break;
    }
    default:
        break;
    }
}

void lss__event_of(const lss_db *db, const lss__evref *r, lss__event *ev)
{
    lss__event_clear(ev, r->kind);
    switch (r->kind) {
    case LSS__EV_MEMBER_ADD: {
        const lss_member *m = r->obj;
        ev->at = m->added_at;
        ev->s[0] = m->key;
        ev->s[1] = m->name;
        ev->s[2] = m->team;
        ev->i[0] = m->role;
        break;
    }
    case LSS__EV_QUOTA_SET: {
        const lss_member *m = r->obj;
        const lss_quota *q = &LSS__VEC_AT(&m->quotas, lss__quota, r->idx).q;
        ev->at = q->set_at;
        ev->s[0] = m->key;
        ev->ref[0] = m->id;
        ev->i[0] = q->from;
        ev->i[1] = q->to;
        ev->i[2] = q->target;
        break;
    }
    case LSS__EV_SLA_SET: {
        const lss__sla_change *x = &LSS__VEC_AT(&db->sla, lss__sla_change, r->idx);
        ev->at = x->at;
        ev->i[0] = x->priority;
        ev->i[1] = x->response;
        ev->i[2] = x->resolution;
        ev->s[0] = x->cal ? LSS__VEC_AT(&db->cals, lss__cal_def, x->cal - 1).key : NULL;
        break;
    }
    case LSS__EV_CALENDAR_SET: {
        const lss__cal_def *x = &LSS__VEC_AT(&db->cals, lss__cal_def, r->idx);
        ev->at = x->at;
        ev->s[0] = x->key;
        ev->s[1] = x->timezone;
        ev->s[2] = x->hours;
        ev->s[3] = x->holidays;
        break;
    }
    case LSS__EV_STAGE_PROBABILITY: {
        const lss__prob_change *x = &LSS__VEC_AT(&db->prob, lss__prob_change, r->idx);
        ev->at = x->at;
        ev->i[0] = x->stage;
        ev->i[1] = x->percent;
        ev->s[0] = x->pipeline ? LSS__VEC_AT(&db->pipelines, lss__pipeline, x->pipeline - 1u).key : NULL;
        break;
    }
    case LSS__EV_PIPELINE_ADD: {
        const lss__pipeline *x = &LSS__VEC_AT(&db->pipelines, lss__pipeline, r->idx);
        ev->at = x->at;
        ev->s[0] = x->key;
        ev->s[1] = x->name;
        break;
    }
    default:
        if (lss__deal_change_of(r->kind) != 0xFFu)
            deal_event_of(db, r, ev);
        else if (lss__ticket_change_of(r->kind) != 0xFFu)
            ticket_event_of(r, ev);
        else if (r->kind >= LSS__EV_TASK_ADD && r->kind <= LSS__EV_TASK_CANCEL)
            task_event_of(r, ev);
        else
            customer_event_of(r, ev);
        break;
    }
}

/* ---- every event in order ------------------------------------------------ */

static bool put_ref(lss__evref *refs, uint64_t n, uint32_t seq, const void *obj, uint32_t idx, uint8_t kind)
{
    if (seq == 0 || seq > n || refs[seq - 1].kind != LSS__EV_NONE)
        return false;
    refs[seq - 1].obj = obj;
    refs[seq - 1].idx = idx;
    refs[seq - 1].kind = kind;
    return true;
}

lss_status lss__event_refs(const lss_db *db, lss__evref **out, uint64_t *count)
{
    uint64_t n = db->events;
    *out = NULL;
    *count = n;
    if (n == 0)
        return LSS_OK;
    lss__evref *refs = lss__malloc(sizeof *refs * n);
    if (refs == NULL)
        return lss__fail(db, LSS_NOMEM, "events: out of memory for %llu events", (unsigned long long)n);
    memset(refs, 0, sizeof *refs * n);
    bool ok = true;
    for (uint32_t i = 0; i < db->members.count; i++) {
        const lss_member *m = lss__slab_get(&db->members, i);
        ok &= put_ref(refs, n, m->seq, m, 0, LSS__EV_MEMBER_ADD);
        for (uint32_t k = 0; k < m->quotas.count; k++)
            ok &= put_ref(refs, n, LSS__VEC_AT(&m->quotas, lss__quota, k).seq, m, k, LSS__EV_QUOTA_SET);
    }
    for (uint32_t i = 0; i < db->customers.count; i++) {
        const lss_customer *c = lss__slab_get(&db->customers, i);
        ok &= put_ref(refs, n, c->seq, c, 0, LSS__EV_CUSTOMER_ADD);
        for (uint32_t k = 0; k < lss__changes_count(c); k++) {
            const lss__customer_change *x = LSS__CHANGE(c, k);
            uint8_t kind = x->kind == LSS_CUSTOMER_UPDATED   ? LSS__EV_CUSTOMER_UPDATE
                           : x->kind == LSS_CUSTOMER_CHURNED ? LSS__EV_CUSTOMER_CHURN
                           : x->kind == LSS_CUSTOMER_NPS     ? LSS__EV_CUSTOMER_NPS
                                                             : LSS__EV_CUSTOMER_ERASE;
            ok &= put_ref(refs, n, x->seq, c, k, kind);
        }
    }
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        for (uint32_t k = 0; k < d->hist.count; k++) {
            const lss__deal_change *x = &LSS__VEC_AT(&d->hist, lss__deal_change, k);
            ok &= put_ref(refs, n, x->seq, d, k, lss__deal_ev(LSS__DC_KIND(x)));
        }
    }
    for (uint32_t i = 0; i < db->activities.count; i++) {
        const lss_activity *a = lss__slab_get(&db->activities, i);
        ok &= put_ref(refs, n, a->seq, a, 0, LSS__EV_ACTIVITY_LOG);
    }
    for (uint32_t i = 0; i < db->tickets.count; i++) {
        const lss_ticket *t = lss__slab_get(&db->tickets, i);
        for (uint32_t k = 0; k < t->hist.count; k++) {
            const lss__ticket_change *x = &LSS__VEC_AT(&t->hist, lss__ticket_change, k);
            ok &= put_ref(refs, n, x->seq, t, k, lss__ticket_ev(LSS__TC_KIND(x)));
        }
    }
    for (uint32_t i = 0; i < db->tasks.count; i++) {
        const lss_task *t = lss__slab_get(&db->tasks, i);
        for (uint32_t k = 0; k < t->hist.count; k++) {
            const lss__task_change *x = &LSS__VEC_AT(&t->hist, lss__task_change, k);
            ok &= put_ref(refs, n, x->seq, t, k, (uint8_t)(LSS__EV_TASK_ADD + LSS__TK_KIND(x)));
        }
    }
    for (uint32_t k = 0; k < db->sla.count; k++)
        ok &= put_ref(refs, n, LSS__VEC_AT(&db->sla, lss__sla_change, k).seq, NULL, k, LSS__EV_SLA_SET);
    for (uint32_t k = 0; k < db->cals.count; k++)
        ok &= put_ref(refs, n, LSS__VEC_AT(&db->cals, lss__cal_def, k).seq, NULL, k, LSS__EV_CALENDAR_SET);
    for (uint32_t k = 0; k < db->pipelines.count; k++)
        ok &= put_ref(refs, n, LSS__VEC_AT(&db->pipelines, lss__pipeline, k).seq, NULL, k, LSS__EV_PIPELINE_ADD);
    for (uint32_t k = 0; k < db->prob.count; k++)
        ok &= put_ref(refs, n, LSS__VEC_AT(&db->prob, lss__prob_change, k).seq, NULL, k, LSS__EV_STAGE_PROBABILITY);
    for (uint64_t k = 0; ok && k < n; k++)
        ok = refs[k].kind != LSS__EV_NONE;
    if (!ok) {
        lss__free(refs);
        return lss__fail(db, LSS_CORRUPT, "events: the sequence numbers in memory are not 1 to %llu",
                         (unsigned long long)n);
    }
    *out = refs;
    return LSS_OK;
}
