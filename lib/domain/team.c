/* Team members and quotas. */
#include "domain/rules.h"

#include <stdio.h>

/* ---- member.add ---------------------------------------------------------- */

lss_status lss__member_add_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *const *s = c->ev.s;
    lss_status st;
    if ((st = lss__check_key(db, ctx, "key", s[0])) ||
        (st = lss__check_text(db, ctx, "name", s[1], LSS__NAME_MAX, true, false)) ||
        (st = lss__check_text(db, ctx, "team", s[2], LSS__NAME_MAX, false, true)))
        return st;
    if (lss_role_name((int)c->ev.i[0]) == NULL)
        return lss__fail(db, LSS_INVALID, "%s: member \"%s\": field \"role\": %d is not a role", ctx, s[0],
                         (int)c->ev.i[0]);
    if (lss__cmd_exists(db, c))
        return lss__fail(db, LSS_EXISTS, "%s: member \"%s\" already exists", ctx, s[0]);
    return LSS_OK;
}

void lss__member_add_apply(lss_db *db, lss__cmd *c)
{
    lss_member *m = lss__slab_push(&db->members);
    m->key = c->txt[0];
    m->name = c->txt[1];
    m->team = c->txt[2];
    m->added_at = c->ev.at;
    m->id = db->members.count - 1;
    m->seq = lss__next_seq(db);
    m->role = (uint8_t)c->ev.i[0];
    c->created = m;
}

/* ---- quota.set ------------------------------------------------------------ */

lss_status lss__quota_set_check(lss_db *db, lss__cmd *c)
{
    const char *ctx = lss__cmd_ctx(c), *member = c->ev.s[0];
    lss_time from = c->ev.i[0], to = c->ev.i[1];
    lss_status st;
    if ((st = lss__cmd_key(db, c, 0)) || (st = lss__check_time(db, ctx, "from", from)) ||
        (st = lss__check_time(db, ctx, "to", to)) || (st = lss__check_money(db, ctx, "amount", c->ev.i[2], true)))
        return st;
    if (to <= from) {
        char a[LSS_TIME_BUFSIZE], b[LSS_TIME_BUFSIZE];
        lss__fmt_time(a, from);
        lss__fmt_time(b, to);
        return lss__fail(db, LSS_INVALID, "%s: member \"%s\": field \"to\": %s is not after from %s", ctx, member, b,
                         a);
    }
    if (lss__cmd_get(db, c, 0) == NULL)
        return lss__fail(db, LSS_NOT_FOUND, "%s: member \"%s\" does not exist", ctx, member);
    return LSS_OK;
}

lss_status lss__quota_set_reserve(lss_db *db, lss__cmd *c)
{
    (void)db;
    return lss__vec_reserve(&((lss_member *)c->e[0])->quotas, sizeof(lss__quota), 1);
}

void lss__quota_set_apply(lss_db *db, lss__cmd *c)
{
    lss_member *m = c->e[0];
    lss__quota q = { { c->ev.at, c->ev.i[0], c->ev.i[1], c->ev.i[2] }, lss__next_seq(db) };
    lss__undo_save(db, LSS__U_MEMBER, m);
    LSS__VEC_AT(&m->quotas, lss__quota, m->quotas.count++) = q;
}

lss_status lss_member_find(const lss_member **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, LSS__REF_MEMBER, key);
}

lss_status lss_member_by_id(const lss_member **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, LSS__REF_MEMBER, id);
}

uint32_t lss_member_count(const lss_db *db) { return db ? db->members.count : 0; }
uint32_t lss_member_id(const lss_member *m) { return m ? m->id : LSS__NONE; }
const char *lss_member_key(const lss_member *m) { return m ? m->key : NULL; }
const char *lss_member_name(const lss_member *m) { return m ? m->name : NULL; }
lss_role lss_member_role(const lss_member *m) { return m ? (lss_role)m->role : (lss_role)-1; }
lss_time lss_member_added_at(const lss_member *m) { return m ? m->added_at : LSS_TIME_NONE; }

const char *lss_member_team(const lss_member *m) { return m ? m->team : NULL; }

/* Quotas are kept as every quota.set in order (reports as of an earlier
 * time need the earlier targets); the accessors show one row per period
 * with its latest target. */
static bool quota_is_first_of_period(const lss_member *m, uint32_t i)
{
    const lss_quota *q = &LSS__VEC_AT(&m->quotas, lss__quota, i).q;
    for (uint32_t k = 0; k < i; k++) {
        const lss_quota *p = &LSS__VEC_AT(&m->quotas, lss__quota, k).q;
        if (p->from == q->from && p->to == q->to)
            return false;
    }
    return true;
}

uint32_t lss_member_quota_count(const lss_member *m)
{
    uint32_t n = 0;
    if (m == NULL)
        return 0;
    for (uint32_t i = 0; i < m->quotas.count; i++)
        n += quota_is_first_of_period(m, i);
    return n;
}

lss_status lss_member_quota_get(lss_quota *out, const lss_member *m, uint32_t i)
{
    if (out == NULL || m == NULL)
        return lss__fail(NULL, LSS_INVALID, "quota: NULL argument");
    for (uint32_t k = 0, n = 0; k < m->quotas.count; k++) {
        if (!quota_is_first_of_period(m, k))
            continue;
        if (n++ == i) {
            *out = LSS__VEC_AT(&m->quotas, lss__quota, k).q;
            for (uint32_t j = k + 1; j < m->quotas.count; j++) {
                const lss_quota *p = &LSS__VEC_AT(&m->quotas, lss__quota, j).q;
                if (p->from == out->from && p->to == out->to)
                    *out = *p;
            }
            return LSS_OK;
        }
    }
    return lss__fail(NULL, LSS_NOT_FOUND, "member \"%s\": quota %u does not exist", m->key, i);
}

void lss__team_free(lss_db *db)
{
    lss__keyindex_clear(&db->members_by_key);
    for (uint32_t i = 0; i < db->members.count; i++)
        lss__vec_free(&((lss_member *)lss__slab_get(&db->members, i))->quotas);
    lss__slab_free(&db->members);
}
