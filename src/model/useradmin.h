/*
 * useradmin.h - what an admin may do to another account: change its role,
 * disable or enable it. Shared by the admin pages and the admin API so both
 * follow the same rules:
 *
 *   - an admin cannot disable themselves or take away their own admin role;
 *   - the last active admin can be neither disabled nor demoted, checked
 *     under a lock so two admins demoting each other at once cannot both win;
 *   - a change of role and disabling end every session and refresh token of
 *     the account, so the new privileges apply to its very next request;
 *   - every change is audited with the admin as actor and the account as
 *     target, detail {"from": ..., "to": ...}, in the same transaction.
 */
#ifndef BEACON_MODEL_USERADMIN_H
#define BEACON_MODEL_USERADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "model/users.h"

/* Audit events written here. */
#define USERADMIN_EV_ROLE "admin.user.role_changed"
#define USERADMIN_EV_DISABLE "admin.user.disabled"
#define USERADMIN_EV_ENABLE "admin.user.enabled"

/* One request to change an account; fields left at their "keep" value are not touched. */
struct useradmin_change {
	int role;     /* one enum role bit, or 0 = keep */
	int disabled; /* 1 disable, 0 enable, -1 keep */
};

enum useradmin_result {
	USERADMIN_OK,         /* applied (or nothing to change); *after holds the account */
	USERADMIN_NOT_FOUND,  /* no account with that id */
	USERADMIN_SELF,       /* the admin tried to disable or demote themselves */
	USERADMIN_LAST_ADMIN, /* the change would leave no active admin */
	USERADMIN_ERROR,      /* database error; nothing changed */
};

/*
 * Apply c to account target_id on behalf of admin actor_id (from ip, may be
 * NULL), all in one write transaction: the rules above, the update, the
 * revocations and the audit records commit together or not at all.
 * *changed tells whether anything changed. On USERADMIN_OK, after (may be
 * NULL) receives the account as it now is (free with user_free).
 */
enum useradmin_result useradmin_apply(struct db *db, int64_t actor_id, const char *ip,
                                      int64_t target_id, const struct useradmin_change *c,
                                      bool *changed, struct user *after);

#endif
