/*
 * useradmin.c - role changes, disabling and enabling by an admin (see
 * useradmin.h).
 *
 * The last-admin rule needs a lock: two admins demoting each other at the
 * same moment would each count two admins and both succeed. On SQLite the
 * write transaction (BEGIN IMMEDIATE) already serialises writers. On
 * PostgreSQL the active admins' rows are locked with FOR UPDATE before they
 * are counted; a second transaction waits for the first and then sees the
 * committed result (READ COMMITTED re-checks locked rows against the WHERE
 * clause), so it counts one admin and refuses.
 */
#include "model/useradmin.h"

#include <stdio.h>

#include "core/buf.h"
#include "core/json.h"
#include "model/audit.h"
#include "model/refresh.h"
#include "model/sessions.h"

/* Active admins, their rows locked until the transaction ends; -1 on error. */
static int64_t
lock_active_admins(struct db *db)
{
	if (db_kind(db) == DB_SQLITE)
		return users_count_active_admins(db);
	struct db_stmt *st = db_prepare(
	    db, "SELECT id FROM users WHERE role = 'admin' AND status = 'active' FOR UPDATE");
	if (st == NULL)
		return -1;
	int64_t n = 0;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW)
		n++;
	db_finalize(st);
	return r == DB_DONE ? n : -1;
}

/* Lock and read the target row. 1 found, 0 not, -1 error. */
static int
lock_target(struct db *db, int64_t id, struct user *u)
{
	if (db_kind(db) == DB_POSTGRES) {
		struct db_stmt *st = db_prepare(db, "SELECT id FROM users WHERE id = ? FOR UPDATE");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, id);
		enum db_step_result r = db_step(st);
		db_finalize(st);
		if (r != DB_ROW)
			return r == DB_DONE ? 0 : -1;
	}
	return users_get(db, id, u);
}

/* One audit record {"from": from, "to": to} about target. 0 or -1. */
static int
audit_change(struct db *db, int64_t actor_id, const char *ip, const char *event, const char *target,
             const char *from, const char *to)
{
	struct buf detail = {0};
	struct json_writer w;
	jw_init(&w, &detail);
	jw_obj_begin(&w);
	jw_kv_str(&w, "from", from);
	jw_kv_str(&w, "to", to);
	jw_obj_end(&w);
	int rc = audit_log(db, actor_id, ip, event, "user", target, buf_cstr(&detail));
	buf_free(&detail);
	return rc;
}

static const char *
status_name(bool disabled)
{
	return disabled ? "disabled" : "active";
}

enum useradmin_result
useradmin_apply(struct db *db, int64_t actor_id, const char *ip, int64_t target_id,
                const struct useradmin_change *c, bool *changed, struct user *after)
{
	*changed = false;
	if (c->role != 0 && role_name(c->role) == NULL)
		return USERADMIN_ERROR;
	if (db_begin_write(db) != 0)
		return USERADMIN_ERROR;
	enum useradmin_result res = USERADMIN_ERROR;
	struct user u = {0};
	/* Always the admins first, then the target: one lock order for every change. */
	int64_t admins = lock_active_admins(db);
	int found = admins < 0 ? -1 : lock_target(db, target_id, &u);
	if (found <= 0) {
		res = found == 0 ? USERADMIN_NOT_FOUND : USERADMIN_ERROR;
		goto rollback;
	}
	int new_role = c->role != 0 ? c->role : u.role;
	bool new_disabled = c->disabled >= 0 ? c->disabled == 1 : u.disabled;
	bool role_changed = new_role != u.role;
	bool status_changed = new_disabled != u.disabled;
	bool stays_admin = new_role == ROLE_ADMIN && !new_disabled;
	if (!role_changed && !status_changed) {
		res = USERADMIN_OK;
		goto rollback;
	}
	/*
	 * The last admin first: while two admins are active, an admin acting on
	 * another never meets it, so it is the answer a sole admin gets about
	 * their own account (and the loser of a race between two admins).
	 */
	if (u.role == ROLE_ADMIN && !u.disabled && !stays_admin && admins <= 1) {
		res = USERADMIN_LAST_ADMIN;
		goto rollback;
	}
	if (target_id == actor_id && !stays_admin) {
		res = USERADMIN_SELF;
		goto rollback;
	}
	char target[24];
	snprintf(target, sizeof(target), "%lld", (long long)target_id);
	if ((role_changed && users_set_role(db, target_id, new_role) != 0) ||
	    (status_changed && users_set_disabled(db, target_id, new_disabled) != 0))
		goto rollback;
	/* Enabling alone leaves nothing to end: disabling ended it all already. */
	if ((role_changed || new_disabled) && (sessions_revoke_user(db, target_id, 0) != 0 ||
	                                       refresh_revoke_user(db, target_id) != 0))
		goto rollback;
	/* Audit last: on PostgreSQL it holds the log's lock until commit, so take no other after
	 * it. */
	if (role_changed && audit_change(db, actor_id, ip, USERADMIN_EV_ROLE, target,
	                                 role_name(u.role), role_name(new_role)) != 0)
		goto rollback;
	if (status_changed &&
	    audit_change(db, actor_id, ip,
	                 new_disabled ? USERADMIN_EV_DISABLE : USERADMIN_EV_ENABLE, target,
	                 status_name(u.disabled), status_name(new_disabled)) != 0)
		goto rollback;
	if (db_commit(db) != 0)
		goto rollback;
	*changed = true;
	u.role = new_role;
	u.disabled = new_disabled;
	res = USERADMIN_OK;
	goto out;

rollback:
	db_rollback(db);
out:
	if (res == USERADMIN_OK && after != NULL)
		*after = u;
	else
		user_free(&u);
	return res;
}
