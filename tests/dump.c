/* The dump of a database: every stored fact, in id order, as text. Tests
 * compare two dumps to prove two databases equal (replay, rollback, import,
 * compaction). It reads the library's private structs (lib/domain/domain.h). */
#include "domain/domain.h"
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>

typedef struct dbuf {
    char *p;
    size_t len, cap;
    bool oom;
} dbuf;

static void put(dbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(dbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->oom)
        return;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *np = lss__realloc(b->p, cap);
        if (np == NULL) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

#define S(x) ((x) ? (x) : "-")

/* What a deal's or ticket's history says of the fields its record keeps
 * current (domain.h): a dump of a record whose fields disagree names them,
 * so every test that compares dumps (replay, rollback, import, compaction,
 * random events) also proves the record's fields equal to its history. */
static void check_deal(dbuf *b, const lss_deal *d)
{
    const lss__deal_change *h = d->hist.data;
    lss_money amount = lss__deal_amount_after(d, d->hist.count - 1);
    if (d->opened_at != lss__w_at(h[0].w) || d->last_at != lss__w_at(h[d->hist.count - 1].w) || d->amount != amount)
        put(b, "DEAL %s RECORD DISAGREES WITH ITS HISTORY: opened %lld last %lld amount %lld\n", d->key,
            (long long)d->opened_at, (long long)d->last_at, (long long)d->amount);
    unsigned category = LSS_FORECAST_PIPELINE, flags = 0;
    int percent = -1;
    for (uint32_t k = 1; k < d->hist.count; k++) {
        unsigned kind = LSS__DC_KIND(&h[k]);
        if (kind == LSS_DEAL_CLOSE_DATE)
            flags |= LSS__DF_CLOSE;
        if (kind == LSS_DEAL_FORECAST)
            category = LSS__DC_REASON(&h[k]), flags |= LSS__DF_FORECAST;
        if (kind == LSS_DEAL_PROBABILITY)
            percent = (int)h[k].v.percent, flags |= LSS__DF_FORECAST;
    }
    if (d->forecast != category || d->probability != percent || d->flags != flags)
        put(b, "DEAL %s FORECAST FIELDS DISAGREE WITH ITS HISTORY\n", d->key);
}

static void check_ticket(dbuf *b, const lss_ticket *t)
{
    const lss__ticket_change *h = t->hist.data;
    lss__ticket_marks mk;
    lss__ticket_marks_get(t, &mk);
    const lss_member *assignee = NULL;
    uint64_t handle = 0;
    unsigned before_resolve = 0;
    for (uint32_t k = 1; k < t->hist.count; k++) {
        unsigned kind = LSS__TC_KIND(&h[k]);
        if (kind == LSS_TICKET_EV_ASSIGN)
            assignee = h[k].v.agent;
        if (kind == LSS_TICKET_EV_CONTACT) {
            handle += (uint64_t)h[k].duration;
            before_resolve += mk.first_resolution == LSS_TIME_NONE || lss__w_at(h[k].w) < mk.first_resolution;
        }
    }
    bool walk = (t->marks & LSS__TM_WALK) != 0, reprioritized = false;
    for (uint32_t k = 1; k < t->hist.count; k++)
        reprioritized |= LSS__TC_KIND(&h[k]) == LSS_TICKET_EV_PRIORITY;
    lss__sla_fold f;
    f.target = -1;
    lss__ticket_sla_fold(t, t->last_at + 1, &f);
    bool resp_missed = f.first_contact != LSS_TIME_NONE && f.clock_contact > LSS__P_RESPONSE(t, f.prio_contact);
    bool reso_missed = f.first_resolve != LSS_TIME_NONE && f.clock_resolve > LSS__P_RESOLUTION(t, f.prio_resolve);
    if (t->opened_at != lss__w_at(h[0].w) || t->last_at != lss__w_at(h[t->hist.count - 1].w) ||
        t->assignee != assignee || t->priority != f.priority || !(t->marks & LSS__TM_PRIORITY) != !reprioritized ||
        (!walk && (lss__ticket_mark(t, t->contact_after) != mk.first_response ||
                   lss__ticket_mark(t, t->resolve_after) != mk.first_resolution ||
                   lss__ticket_mark(t, t->rated_after) != mk.rated_at || t->handle_sum != handle ||
                   t->contacts != mk.contacts || t->score != mk.score || t->reopened != (mk.reopens > 0) ||
                   t->contacts_before_resolve != (before_resolve < 255 ? before_resolve : 255) ||
                   (f.first_contact != LSS_TIME_NONE && t->clock_contact != f.clock_contact) ||
                   (f.first_resolve != LSS_TIME_NONE && t->clock_resolve != f.clock_resolve) ||
                   !(t->marks & LSS__TM_RESPONSE_MISSED) != !resp_missed ||
                   !(t->marks & LSS__TM_RESOLUTION_MISSED) != !reso_missed)))
        put(b, "TICKET %s RECORD DISAGREES WITH ITS HISTORY\n", t->key);
}

char *lss__dump(const lss_db *db)
{
    dbuf b = { 0 };
    lss__lock(db);
    put(&b, "db currency=%s pipeline=%d events=%llu last=%lld\n", db->currency, (int)db->pipeline,
        (unsigned long long)db->events, (long long)db->last_time);
    for (uint32_t i = 0; i < db->prob.count; i++) {
        const lss__prob_change *p = &LSS__VEC_AT(&db->prob, lss__prob_change, i);
        put(&b, "prob seq=%u at=%lld stage=%u pct=%u pipeline=%u\n", p->seq, (long long)p->at, p->stage, p->percent,
            p->pipeline);
    }
    for (uint32_t i = 0; i < db->pipelines.count; i++) {
        const lss__pipeline *p = &LSS__VEC_AT(&db->pipelines, lss__pipeline, i);
        put(&b, "pipeline seq=%u at=%lld key=%s name=%s\n", p->seq, (long long)p->at, p->key, p->name);
    }
    for (uint32_t i = 0; i < db->members.count; i++) {
        const lss_member *m = lss__slab_get(&db->members, i);
        put(&b, "member %u seq=%u key=%s name=%s team=%s role=%u at=%lld\n", m->id, m->seq, m->key, m->name,
            S(m->team), m->role, (long long)m->added_at);
        for (uint32_t q = 0; q < m->quotas.count; q++) {
            const lss__quota *x = &LSS__VEC_AT(&m->quotas, lss__quota, q);
            put(&b, "  quota seq=%u at=%lld %lld..%lld %lld\n", x->seq, (long long)x->q.set_at, (long long)x->q.from,
                (long long)x->q.to, (long long)x->q.target);
        }
    }
    for (uint32_t i = 0; i < db->customers.count; i++) {
        const lss_customer *c = lss__slab_get(&db->customers, i);
        put(&b, "customer %u seq=%u key=%s name=%s/%s email=%s/%s company=%s/%s segment=%s/%s erased=%u source=%u "
                "ref=%s at=%lld churn=%lld first_deal=%s first_act=%u first_ticket=%s\n",
            c->id, c->seq, c->key, S(lss_customer_name(c)), S(c->name), S(lss_customer_email(c)), S(c->email),
            S(lss_customer_company(c)), S(c->company), S(lss_customer_segment(c)), S(c->segment), LSS__ERASED(c), LSS__SOURCE(c),
            c->referred_by ? c->referred_by->key : "-",
            (long long)LSS__ADDED_AT(c), (long long)lss_customer_churned_at(c),
            c->last_deal ? LSS__FIRST(c, last_deal)->key : "-",
            c->last_activity ? LSS__FIRST(c, last_activity)->id : LSS__NONE,
            c->last_ticket ? LSS__FIRST(c, last_ticket)->key : "-");
        for (uint32_t k = 0; k < lss__changes_count(c); k++) {
            const lss__customer_change *x = LSS__CHANGE(c, k);
            put(&b, "  change seq=%u at=%lld kind=%u name=%s email=%s company=%s segment=%s score=%u comment=%s\n",
                x->seq, (long long)x->at, x->kind, S(x->name), S(x->email), S(x->company), S(x->segment), x->score,
                S(x->comment));
        }
    }
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        check_deal(&b, d);
        put(&b, "deal %u key=%s title=%s customer=%s owner=%s opened=%lld close=%lld last=%lld amount=%lld stage=%u "
                "lost_from=%u furthest=%u next=%s pipeline=%u forecast=%u probability=%d flags=%u\n",
            d->id, d->key, S(d->title), d->customer->key, d->owner->key, (long long)LSS__DEAL_OPENED_AT(d),
            (long long)d->expected_close, (long long)LSS__DEAL_LAST_AT(d), (long long)LSS__DEAL_AMOUNT(d), d->stage, d->lost_from,
            d->furthest, LSS__NEXT(d, last_deal) ? LSS__NEXT(d, last_deal)->key : "-", d->pipeline, d->forecast,
            d->probability, d->flags);
        for (uint32_t k = 0; k < d->hist.count; k++) {
            lss_deal_change x;
            lss__deal_change_get(&x, d, k);
            put(&b, "  hist seq=%u at=%lld kind=%u stage=%u from=%u amount=%lld owner=%s reason=%u note=%s close=%lld "
                    "forecast=%u probability=%d\n",
                LSS__VEC_AT(&d->hist, lss__deal_change, k).seq, (long long)x.at, x.kind, x.stage, x.from_stage,
                (long long)x.amount, x.owner->key, x.reason, S(x.note), (long long)x.expected_close, x.forecast,
                x.probability);
        }
    }
    for (uint32_t i = 0; i < db->activities.count; i++) {
        const lss_activity *a = lss__slab_get(&db->activities, i);
        put(&b, "activity %u seq=%u at=%lld customer=%s member=%s deal=%s kind=%u channel=%u duration=%lld note=%s "
                "next=%u\n",
            a->id, a->seq, (long long)a->at, a->customer->key, a->member->key, a->deal ? a->deal->key : "-", a->kind,
            a->channel, (long long)a->duration, S(a->note),
            LSS__NEXT(a, last_activity) ? LSS__NEXT(a, last_activity)->id : LSS__NONE);
    }
    for (uint32_t i = 0; i < db->sla.count; i++) {
        const lss__sla_change *x = &LSS__VEC_AT(&db->sla, lss__sla_change, i);
        put(&b, "sla seq=%u at=%lld prio=%u %lld/%lld\n", x->seq, (long long)x->at, x->priority, (long long)x->response,
            (long long)x->resolution);
    }
    for (uint32_t i = 0; i < db->tickets.count; i++) {
        const lss_ticket *t = lss__slab_get(&db->tickets, i);
        lss__ticket_marks mk;
        lss__ticket_marks_get(t, &mk);
        check_ticket(&b, t);
        put(&b, "ticket %u key=%s subject=%s customer=%s deal=%s assignee=%s opened=%lld last=%lld fr=%lld fres=%lld "
                "rated=%lld sla=%lld/%lld cal=%s reopens=%u contacts=%u state=%u kind=%u channel=%u prio=%u score=%d next=%s\n",
            t->id, t->key, S(t->subject), t->customer->key, t->deal ? t->deal->key : "-",
            t->assignee ? t->assignee->key : "-", (long long)LSS__TICKET_OPENED_AT(t), (long long)LSS__TICKET_LAST_AT(t),
            (long long)mk.first_response, (long long)mk.first_resolution, (long long)mk.rated_at,
            (long long)LSS__T_RESPONSE(t), (long long)LSS__T_RESOLUTION(t),
            LSS__T_CAL(t) ? lss_calendar_key(LSS__T_CAL(t)) : "-", mk.reopens, mk.contacts, t->state, t->kind,
            t->channel, t->priority, mk.score, LSS__NEXT(t, last_ticket) ? LSS__NEXT(t, last_ticket)->key : "-");
        for (uint32_t k = 0; k < t->hist.count; k++) {
            lss_ticket_change x;
            lss__ticket_change_get(&x, t, k);
            put(&b, "  hist seq=%u at=%lld kind=%u state=%u from=%u agent=%s channel=%u duration=%lld score=%d "
                    "text=%s priority=%d\n",
                LSS__VEC_AT(&t->hist, lss__ticket_change, k).seq, (long long)x.at, x.kind, x.state, x.from_state,
                x.agent ? x.agent->key : "-", x.channel, (long long)x.duration, x.score, S(x.text), (int)x.priority);
        }
    }
    for (uint32_t i = 0; i < db->tasks.count; i++) {
        const lss_task *t = lss__slab_get(&db->tasks, i);
        const lss__task_change *h = t->hist.data;
        if (t->added_at != lss__w_at(h[0].w) || t->last_at != lss__w_at(h[t->hist.count - 1].w) ||
            t->state != LSS__TK_STATE(&h[t->hist.count - 1]))
            put(&b, "TASK %s RECORD DISAGREES WITH ITS HISTORY\n", t->key);
        put(&b, "task %u key=%s customer=%s member=%s deal=%s ticket=%s kind=%u due=%lld state=%u added=%lld last=%lld "
                "note=%s\n",
            t->id, t->key, t->customer->key, t->member->key, t->deal ? t->deal->key : "-",
            t->ticket ? t->ticket->key : "-", t->kind, (long long)t->due, t->state, (long long)t->added_at,
            (long long)t->last_at, S(t->note));
        for (uint32_t k = 0; k < t->hist.count; k++) {
            lss_task_change x;
            lss_task_history_get(&x, t, k);
            put(&b, "  hist seq=%u at=%lld kind=%u state=%u due=%lld member=%s note=%s\n", h[k].seq, (long long)x.at,
                x.kind, x.state, (long long)x.due, x.member->key, S(x.note));
        }
    }
    put(&b, "hash members=%u customers=%u deals=%u tickets=%u tasks=%u teams=%u segments=%u\n",
        db->members_by_key.count, db->customers_by_key.count, db->deals_by_key.count, db->tickets_by_key.count,
        db->tasks_by_key.count, HASH_COUNT(db->teams.by_name), HASH_COUNT(db->segments.by_name));
    lss__unlock(db);
    if (b.oom) {
        lss__free(b.p);
        return NULL;
    }
    return b.p;
}
