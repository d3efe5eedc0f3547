/**
 * @file salesservice/team.h
 * @brief Team members and their sales quotas.
 */
#ifndef SALESSERVICE_TEAM_H
#define SALESSERVICE_TEAM_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a member may do. Pinned values. */
typedef enum lss_role {
    LSS_ROLE_SALES = 0,     /**< may own deals */
    LSS_ROLE_SERVICE = 1,   /**< may handle tickets */
    LSS_ROLE_BOTH = 2       /**< may do both */
} lss_role;

/** @return "sales", "service" or "both"; NULL for a value that is not a role. */
LSS_API const char *lss_role_name(int role);
/** Parse a role spelling. @return #LSS_OK or #LSS_INVALID. */
LSS_API lss_status lss_role_parse(lss_role *out, const char *text);

/**
 * Add a team member (event `member.add`).
 *
 * @param[out] out  optional (may be NULL): the new member, borrowed from @p db
 * @param at    time of the event
 * @param key   unique member key, 1-128 bytes of UTF-8, no control characters
 * @param name  display name, UTF-8, at most 256 bytes
 * @param role  #lss_role
 * @param team  optional team name (NULL for none), UTF-8, 1-256 bytes
 * @return #LSS_OK; #LSS_INVALID; #LSS_EXISTS (key taken); #LSS_NOMEM.
 */
LSS_API lss_status lss_member_add(const lss_member **out, lss_db *db, lss_time at,
                                  const char *key, const char *name, lss_role role,
                                  const char *team);

/**
 * Set a member's quota for the period [from, to) (event `quota.set`).
 * A second quota for the same member and the same period replaces the first
 * from @p at on (earlier reports still see the earlier target).
 *
 * @param amount  target in minor units, > 0
 * @return #LSS_OK; #LSS_INVALID (to <= from, amount <= 0, bad time);
 *         #LSS_NOT_FOUND (member); #LSS_NOMEM.
 */
LSS_API lss_status lss_quota_set(lss_db *db, lss_time at, const char *member,
                                 lss_time from, lss_time to, lss_money amount);

/** Look a member up by key. @return #LSS_OK or #LSS_NOT_FOUND (*out = NULL). */
LSS_API lss_status lss_member_find(const lss_member **out, const lss_db *db, const char *key);
/** Look a member up by id (0 .. lss_member_count()-1). @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_member_by_id(const lss_member **out, const lss_db *db, uint32_t id);
/** @return the number of members; ids are 0 .. count-1 in the order they were added. */
LSS_API uint32_t lss_member_count(const lss_db *db);

/** @return the member's dense id (its position in the order of addition). */
LSS_API uint32_t lss_member_id(const lss_member *m);
/** @return the member's key (borrowed). */
LSS_API const char *lss_member_key(const lss_member *m);
/** @return the member's name (borrowed). */
LSS_API const char *lss_member_name(const lss_member *m);
/** @return the member's team (borrowed), or NULL for none. */
LSS_API const char *lss_member_team(const lss_member *m);
/** @return the member's role. */
LSS_API lss_role lss_member_role(const lss_member *m);
/** @return when the member was added. */
LSS_API lss_time lss_member_added_at(const lss_member *m);

/** One quota as set by `quota.set`. */
typedef struct lss_quota {
    lss_time set_at;     /**< when it was set */
    lss_time from;       /**< period start (inclusive) */
    lss_time to;         /**< period end (exclusive) */
    lss_money target;    /**< target amount in minor units */
} lss_quota;

/**
 * Quotas of a member, one per distinct period, in the order their periods
 * were first set, each with its latest target.
 * @return the number of quota periods of @p m.
 */
LSS_API uint32_t lss_member_quota_count(const lss_member *m);
/** Copy quota @p i (0-based, < lss_member_quota_count()) into @p out. @return #LSS_OK or #LSS_NOT_FOUND. */
LSS_API lss_status lss_member_quota_get(lss_quota *out, const lss_member *m, uint32_t i);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_TEAM_H */
