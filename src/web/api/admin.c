/*
 * admin.c - /api/v1/admin: the user list, one user, role and status
 * changes (PATCH), and the audit log. Admin only (route table). A bearer
 * token carries no "password given recently", so PATCH asks for the
 * admin's current password in the body, checked under the same guessing
 * throttle as sign-in.
 */
#include <jansson.h>
#include <string.h>

#include "core/json.h"
#include "core/password.h"
#include "model/audit.h"
#include "model/throttle.h"
#include "model/useradmin.h"
#include "model/tasks.h"
#include "model/users.h"
#include "web/admin_query.h"
#include "web/body.h"
#include "web/handlers.h"
#include "web/ui.h"

static void
send_json(struct rctx *ctx, int status)
{
	resp_send(ctx, status, "application/json", CACHE_NONE);
}

/* The user as the admin API shows it (never the password hash or the TOTP secret). */
static void
user_json(struct json_writer *w, const struct user *u)
{
	jw_obj_begin(w);
	jw_kv_int(w, "id", u->id);
	jw_kv_str(w, "email", u->email);
	jw_kv_str(w, "display_name", u->display_name);
	jw_kv_str(w, "role", role_name(u->role));
	jw_kv_str(w, "status", u->disabled ? "disabled" : "active");
	jw_key(w, "email_verified");
	jw_bool(w, u->email_verified);
	jw_key(w, "two_factor");
	jw_bool(w, u->totp_enabled);
	jw_kv_str(w, "created_at", u->created_at);
	jw_obj_end(w);
}

static void
list_item(const struct user *u, void *arg)
{
	user_json(arg, u);
}

void
api_admin_users(struct rctx *ctx)
{
	struct admin_users_query uq;
	if (!admin_users_query(ctx, &uq, true) || !req_db(ctx))
		return;
	struct json_writer w;
	int64_t total = 0;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	if (users_list(ctx->db, &uq.f, uq.page, uq.per_page, list_item, &w, &total) != 0) {
		buf_reset(&ctx->body);
		resp_db_error(ctx, "user list");
		return;
	}
	jw_arr_end(&w);
	jw_kv_int(&w, "total", total);
	jw_kv_int(&w, "page", uq.page);
	jw_kv_int(&w, "per_page", uq.per_page);
	jw_obj_end(&w);
	send_json(ctx, 200);
}

static bool
load_target(struct rctx *ctx, struct user *u)
{
	int found = users_get(ctx->db, ctx->id, u);
	if (found < 0)
		resp_db_error(ctx, "user");
	else if (found == 0)
		resp_problem(ctx, 404, "not_found", "Not found", "There is no user with this id.",
		             NULL);
	return found == 1;
}

static void
reauth_refused(struct rctx *ctx, const char *detail)
{
	resp_problem(ctx, 403, "reauthentication_required", "Confirm your password", detail,
	             "password");
}

/*
 * The signed-in admin's current password, checked under the sign-in
 * throttle; a wrong one is counted and audited. Answers and returns false
 * unless it is right.
 */
static bool
reauth_ok(struct rctx *ctx, const char *password)
{
	if (password == NULL || password[0] == '\0') {
		reauth_refused(ctx, "Changing a user needs your current password: send it as "
		                    "\"password\".");
		return false;
	}
	struct user me;
	if (users_get(ctx->db, ctx->auth.user_id, &me) != 1) {
		resp_db_error(ctx, "reauthenticate");
		return false;
	}
	bool ok = false;
	int retry = 0;
	int t = throttle_check(ctx->db, me.email, ctx->ip, &retry);
	if (t < 0) {
		resp_db_error(ctx, "reauthenticate");
	} else if (t == 1) {
		form_retry_after(ctx, retry);
		resp_problem(ctx, 429, "too_many_attempts", "Too many attempts",
		             "Too many wrong passwords for this account or address. Wait, then try "
		             "again.",
		             "password");
	} else if (password_verify(me.password_hash, password, strlen(password))) {
		ok = true;
	} else {
		char target[24];
		snprintf(target, sizeof(target), "%lld", (long long)me.id);
		if (throttle_fail(ctx->db, me.email, ctx->ip) != 0 ||
		    audit_log(ctx->db, me.id, ctx->ip, "auth.reauth.failure", "user", target,
		              NULL) != 0)
			resp_db_error(ctx, "reauthenticate");
		else
			reauth_refused(ctx, "The password is not right.");
	}
	user_free(&me);
	return ok;
}

/*
 * Read {"role", "disabled", "password"} into c and *password. Wrong types
 * and unknown roles are 422 naming the field; a body that changes nothing is
 * 422 too. Answers and returns NULL on error; free the object after use.
 */
static json_t *
read_change(struct rctx *ctx, struct useradmin_change *c, const char **password)
{
	json_t *o = body_json(ctx);
	if (o == NULL)
		return NULL;
	struct field_errors fe = {0};
	*password = body_str(o, "password", &fe);
	const char *role = body_str(o, "role", &fe);
	c->role = 0;
	c->disabled = -1;
	if (role != NULL && (c->role = role_parse(role)) == 0)
		ferr_add(&fe, "role",
		         "Unknown role: use job_seeker, entrepreneur, employer, "
		         "recruiter, counselor or admin.");
	json_t *d = json_object_get(o, "disabled");
	if (d != NULL && !json_is_null(d)) {
		if (json_is_boolean(d))
			c->disabled = json_is_true(d) ? 1 : 0;
		else
			ferr_add(&fe, "disabled", "must be true or false");
	}
	if (fe.n == 0 && c->role == 0 && c->disabled < 0)
		ferr_add(&fe, "role", "Send \"role\", \"disabled\" or both.");
	if (fe.n > 0) {
		json_decref(o);
		resp_problem_fields(ctx, &fe);
		return NULL;
	}
	return o;
}

static void
user_patch(struct rctx *ctx)
{
	struct useradmin_change c;
	const char *password = NULL;
	json_t *o = read_change(ctx, &c, &password);
	if (o == NULL)
		return;
	struct user after = {0};
	if (!req_db(ctx) || !reauth_ok(ctx, password))
		goto out;
	bool changed = false;
	switch (
	    useradmin_apply(ctx->db, ctx->auth.user_id, ctx->ip, ctx->id, &c, &changed, &after)) {
	case USERADMIN_OK: {
		struct json_writer w;
		jw_init(&w, &ctx->body);
		user_json(&w, &after);
		user_free(&after);
		send_json(ctx, 200);
		break;
	}
	case USERADMIN_NOT_FOUND:
		resp_problem(ctx, 404, "not_found", "Not found", "There is no user with this id.",
		             NULL);
		break;
	case USERADMIN_SELF:
		resp_problem(ctx, 409, "self_change_forbidden", "Not on your own account",
		             "You cannot disable yourself or take away your own admin role. Ask "
		             "another admin.",
		             c.disabled == 1 ? "disabled" : "role");
		break;
	case USERADMIN_LAST_ADMIN:
		resp_problem(ctx, 409, "last_admin", "Last active admin",
		             "This is the last active admin. Make another account an admin first.",
		             c.disabled == 1 ? "disabled" : "role");
		break;
	default:
		resp_db_error(ctx, "user change");
	}
out:
	json_decref(o);
}

void
api_admin_user(struct rctx *ctx)
{
	if (ctx->req->method == HTTP_METHOD_PATCH) {
		user_patch(ctx);
		return;
	}
	if (!req_db(ctx))
		return;
	struct user u;
	if (!load_target(ctx, &u))
		return;
	struct json_writer w;
	jw_init(&w, &ctx->body);
	user_json(&w, &u);
	user_free(&u);
	send_json(ctx, 200);
}

/* A parsed JSON value written again through our writer (audit details are small objects). */
static void
detail_copy(struct json_writer *w, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *m;
		jw_obj_begin(w);
		json_object_foreach(v, k, m)
		{
			jw_key(w, k);
			detail_copy(w, m);
		}
		jw_obj_end(w);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *m;
		jw_arr_begin(w);
		json_array_foreach(v, i, m) detail_copy(w, m);
		jw_arr_end(w);
		break;
	}
	case JSON_STRING:
		jw_strn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jw_int(w, (int64_t)json_integer_value(v));
		break;
	case JSON_REAL:
		jw_double(w, json_real_value(v));
		break;
	case JSON_TRUE:
		jw_bool(w, true);
		break;
	case JSON_FALSE:
		jw_bool(w, false);
		break;
	default:
		jw_null(w);
	}
}

struct audit_json {
	struct json_writer *w;
	int limit;
	int n;
	bool more;
	int64_t last_id;
};

static int
audit_item(const struct audit_record *rec, void *arg)
{
	struct audit_json *aj = arg;
	if (aj->n == aj->limit) {
		aj->more = true;
		return 1;
	}
	aj->n++;
	aj->last_id = rec->id;
	struct json_writer *w = aj->w;
	jw_obj_begin(w);
	jw_kv_int(w, "id", rec->id);
	jw_kv_str(w, "at", rec->at);
	jw_kv_str(w, "event", rec->event);
	jw_key(w, "actor_id");
	if (rec->actor_id != 0)
		jw_int(w, rec->actor_id);
	else
		jw_null(w);
	jw_kv_str(w, "actor_ip", rec->actor_ip);
	jw_kv_str(w, "target_type", rec->target_type);
	jw_kv_str(w, "target_id", rec->target_id);
	jw_key(w, "detail");
	json_t *d = rec->detail && rec->detail[0] ? json_loads(rec->detail, 0, NULL) : NULL;
	if (d != NULL)
		detail_copy(w, d);
	else if (rec->detail && rec->detail[0])
		jw_str(w, rec->detail);
	else
		jw_null(w);
	json_decref(d);
	jw_obj_end(w);
	return 0;
}

void
api_admin_audit(struct rctx *ctx)
{
	struct admin_audit_query aq;
	if (!admin_audit_query(ctx, &aq, true) || !req_db(ctx))
		return;
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	struct audit_json aj = {.w = &w, .limit = aq.limit};
	/* One more than asked tells whether older records exist. */
	if (audit_list(ctx->db, &aq.f, aq.limit + 1, aq.before, audit_item, &aj) < 0) {
		buf_reset(&ctx->body);
		resp_db_error(ctx, "audit list");
		return;
	}
	jw_arr_end(&w);
	jw_key(&w, "next_before");
	if (aj.more)
		jw_int(&w, aj.last_id);
	else
		jw_null(&w);
	jw_obj_end(&w);
	send_json(ctx, 200);
}

void
api_admin_queue(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct tasks_stats st;
	if (tasks_stats(ctx->db, 20, &st) != 0) {
		resp_db_error(ctx, "queue stats");
		return;
	}
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_kv_int(&w, "pending", st.pending);
	jw_kv_int(&w, "due", st.due);
	jw_key(&w, "oldest_due");
	if (st.oldest_due[0])
		jw_str(&w, st.oldest_due);
	else
		jw_null(&w);
	jw_kv_int(&w, "running", st.running);
	jw_kv_int(&w, "done", st.done);
	jw_kv_int(&w, "failed", st.failed);
	jw_key(&w, "failures");
	jw_arr_begin(&w);
	for (int i = 0; i < st.nfailures; i++) {
		jw_obj_begin(&w);
		jw_kv_int(&w, "id", st.failures[i].id);
		jw_kv_str(&w, "kind", st.failures[i].kind);
		jw_kv_int(&w, "attempts", st.failures[i].attempts);
		jw_kv_str(&w, "updated_at", st.failures[i].updated_at);
		jw_kv_str(&w, "last_error", st.failures[i].last_error);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_send(ctx, 200, "application/json", CACHE_NONE);
}
