/* Team members and quotas. */
#include "event.h"

#include <stdio.h>

LSS__DEFINE_GET(lss_member, lss__member_get, members_by_key, members, LSS__H_MEMBER)

lss_status lss_member_add(const lss_member **out, lss_db *db, lss_time at, const char *key, const char *name,
                          lss_role role, const char *team)
{
    static const char ctx[] = "member.add";
    lss_status st;
    if (out)
        *out = NULL;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 0)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = lss__check_key(db, ctx, "key", key)) ||
        (st = lss__check_text(db, ctx, "name", name, LSS__NAME_MAX, true, false)) ||
        (st = lss__check_text(db, ctx, "team", team, LSS__NAME_MAX, false, true)))
        goto done;
    if (lss_role_name((int)role) == NULL) {
        st = lss__fail(db, LSS_INVALID, "%s: member \"%s\": field \"role\": %d is not a role", ctx, key, (int)role);
        goto done;
    }
    if (lss__member_get(db, key)) {
        st = lss__fail(db, LSS_EXISTS, "%s: member \"%s\" already exists", ctx, key);
        goto done;
    }
    lss__arena_mark mark = lss__arena_mark_get(&db->text);
    const char *team_s;
    bool team_added = false;
    const char *k, *n;
    if (lss__slab_reserve(&db->members) || lss__arena_strdup(&db->text, key, &k) ||
        lss__arena_strdup(&db->text, name, &n) ||
        lss__intern_put(&db->teams, &db->text, team, &team_s, &team_added))
        goto oom;
    lss_member *m = lss__slab_push(&db->members);
    m->key = k;
    m->name = n;
    m->added_at = at;
    m->id = db->members.count - 1;
    m->seq = lss__next_seq(db);
    m->team = team_s;
    m->role = (uint8_t)role;
    if (!lss__index_add(db, &db->members_by_key, m->id, m->key)) {
        lss__slab_pop(&db->members);
        if (team_added)
            lss__intern_undo(&db->teams);
        goto oom;
    }
    if ((st = lss__log_ref(db, LSS__EV_MEMBER_ADD, m, 0)))
        goto done;
    lss__counted(db, at);
    if (out)
        *out = m;
    st = LSS_OK;
    goto done;
oom:
    lss__arena_reset(&db->text, mark);
    st = lss__fail(db, LSS_NOMEM, "%s: member \"%s\": out of memory", ctx, key);
done:
    lss__unlock(db);
    return st;
}

lss_status lss_quota_set(lss_db *db, lss_time at, const char *member, lss_time from, lss_time to,
                         lss_money amount)
{
    static const char ctx[] = "quota.set";
    lss_status st;
    if (db == NULL)
        return lss__fail(NULL, LSS_INVALID, "%s: NULL database", ctx);
    lss__lock(db);
    if ((st = lss__wbegin(db, ctx, 1)) || (st = lss__check_time(db, ctx, "at", at)) ||
        (st = lss__check_key(db, ctx, "member", member)) ||
        (st = lss__check_time(db, ctx, "from", from)) || (st = lss__check_time(db, ctx, "to", to)) ||
        (st = lss__check_money(db, ctx, "amount", amount, true)))
        goto done;
    if (to <= from) {
        char a[LSS_TIME_BUFSIZE], b[LSS_TIME_BUFSIZE];
        lss__fmt_time(a, from);
        lss__fmt_time(b, to);
        st = lss__fail(db, LSS_INVALID, "%s: member \"%s\": field \"to\": %s is not after from %s", ctx, member, b, a);
        goto done;
    }
    lss_member *m = lss__member_get(db, member);
    if (m == NULL) {
        st = lss__fail(db, LSS_NOT_FOUND, "%s: member \"%s\" does not exist", ctx, member);
        goto done;
    }
    if (lss__vec_reserve(&m->quotas, sizeof(lss__quota), 1)) {
        st = lss__fail(db, LSS_NOMEM, "%s: member \"%s\": out of memory", ctx, member);
        goto done;
    }
    lss__quota q = { { at, from, to, amount }, lss__next_seq(db) };
    LSS__VEC_AT(&m->quotas, lss__quota, m->quotas.count) = q; /* in its reserved place, not yet counted */
    if ((st = lss__log_ref(db, LSS__EV_QUOTA_SET, m, m->quotas.count)))
        goto done;
    lss__undo_save(db, LSS__U_MEMBER, m);
    m->quotas.count++;
    lss__counted(db, at);
done:
    lss__unlock(db);
    return st;
}

lss_status lss_member_find(const lss_member **out, const lss_db *db, const char *key)
{
    return lss__find((const void **)out, db, db ? &db->members_by_key : NULL, db ? &db->members : NULL, key,
                     "member");
}

lss_status lss_member_by_id(const lss_member **out, const lss_db *db, uint32_t id)
{
    return lss__by_id((const void **)out, db, db ? &db->members : NULL, id, "member");
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
