/*
 * notifications.c - /api/v1/notifications: the signed-in user's
 * notifications (newest first, cursor "before"), marking them read, and
 * the email choice per kind (/api/v1/notifications/preferences, the same
 * choices as the page /account/notifications).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "model/notifications.h"
#include "web/body.h"
#include "web/handlers.h"

#define PAGE_SIZE 20    /* default items per call */
#define API_IDS_MAX 100 /* ids one POST /api/v1/notifications/read takes */

static void
item_json(struct json_writer *w, const struct notification *n)
{
	jw_obj_begin(w);
	jw_kv_int(w, "id", n->id);
	jw_kv_str(w, "kind", n->kind);
	jw_kv_str(w, "title", n->title);
	jw_kv_str(w, "link", n->link);
	jw_kv_str(w, "created_at", n->created_at);
	jw_key(w, "read");
	jw_bool(w, n->read);
	jw_obj_end(w);
}

void
api_notifications(struct rctx *ctx)
{
	int64_t before = 0, limit = 0;
	if (!req_param_id(ctx, "before", &before) || !req_param_id(ctx, "limit", &limit) || !req_db(ctx))
		return;
	if (limit == 0)
		limit = PAGE_SIZE;
	if (limit > NOTIFY_PAGE_MAX) {
		resp_problem(ctx, 400, "invalid_parameter", "Invalid parameter",
		             "limit is at most 100.", "limit");
		return;
	}
	struct notification items[NOTIFY_PAGE_MAX + 1];
	int n = notify_list(ctx->db, ctx->auth.user_id, before, (int)limit + (limit < NOTIFY_PAGE_MAX),
	                    items);
	int64_t unread = notify_unread_count(ctx->db, ctx->auth.user_id);
	if (n < 0 || unread < 0) {
		if (n > 0)
			notify_list_free(items, n);
		resp_db_error(ctx, "notifications");
		return;
	}
	int shown = n > limit ? (int)limit : n;
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (int i = 0; i < shown; i++)
		item_json(&w, &items[i]);
	jw_arr_end(&w);
	jw_kv_int(&w, "unread", unread);
	jw_key(&w, "next_before");
	if (n > shown)
		jw_int(&w, items[shown - 1].id);
	else
		jw_null(&w);
	jw_obj_end(&w);
	notify_list_free(items, n);
	resp_send(ctx, 200, "application/json", CACHE_NONE);
}

/* POST /api/v1/notifications/read: {"ids": [1, 2]} or {"all": true}. */
void
api_notifications_read(struct rctx *ctx)
{
	json_t *o = body_json(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	bool all = body_bool(o, "all", false, &fe);
	json_t *ids = json_object_get(o, "ids");
	if (ids != NULL && !json_is_array(ids))
		ferr_add(&fe, "ids", "must be an array of notification ids");
	else if (ids != NULL && json_array_size(ids) > API_IDS_MAX)
		ferr_add(&fe, "ids", "at most 100 ids at a time");
	else if (ids == NULL && !all)
		ferr_add(&fe, "ids", "send \"ids\" or \"all\": true");
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			ferr_add(&fe, "ids", "must be an array of notification ids");
			break;
		}
	}
	if (fe.n > 0) {
		json_decref(o);
		resp_problem_fields(ctx, &fe);
		return;
	}
	if (!req_db(ctx)) {
		json_decref(o);
		return;
	}
	int64_t marked = 0;
	bool failed = false;
	if (all) {
		marked = notify_mark_all_read(ctx->db, ctx->auth.user_id);
		failed = marked < 0;
	} else {
		json_array_foreach(ids, i, v)
		{
			int64_t r = notify_mark_read(ctx->db, ctx->auth.user_id, json_integer_value(v));
			if (r < 0) {
				failed = true;
				break;
			}
			marked += r;
		}
	}
	json_decref(o);
	int64_t unread = failed ? -1 : notify_unread_count(ctx->db, ctx->auth.user_id);
	if (unread < 0) {
		resp_db_error(ctx, "notifications");
		return;
	}
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_kv_int(&w, "marked", marked);
	jw_kv_int(&w, "unread", unread);
	jw_obj_end(&w);
	resp_send(ctx, 200, "application/json", CACHE_NONE);
}

/* ---- email preferences ---- */

/* The user's choice for every kind, and what each kind is. false when the database failed. */
static bool
prefs_json(struct rctx *ctx)
{
	int cur[NOTIFY_KINDS];
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		cur[i] = notify_pref_get(ctx->db, ctx->auth.user_id, notify_kinds[i].name);
		if (cur[i] < 0)
			return false;
	}
	struct json_writer w;
	buf_reset(&ctx->body);
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_key(&w, "email");
	jw_obj_begin(&w);
	for (int i = 0; i < NOTIFY_KINDS; i++)
		jw_kv_str(&w, notify_kinds[i].name, notify_email_name((enum notify_email)cur[i]));
	jw_obj_end(&w);
	jw_key(&w, "kinds");
	jw_arr_begin(&w);
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		jw_obj_begin(&w);
		jw_kv_str(&w, "kind", notify_kinds[i].name);
		jw_kv_str(&w, "label", notify_kinds[i].label);
		jw_kv_str(&w, "default", notify_email_name(notify_kinds[i].dflt));
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return true;
}

/*
 * GET: {"email": {"<kind>": "off" | "instant" | "daily", ...}, "kinds":
 * [{"kind", "label", "default"}]}. PATCH {"email": {"<kind>": "<choice>"}}:
 * the kinds sent change, the others stay; every member is checked before
 * anything is stored, and all of them are stored in one transaction.
 * Answers as GET.
 */
void
api_notification_prefs(struct rctx *ctx)
{
	if (ctx->req->method == HTTP_METHOD_PATCH) {
		json_t *o = body_json(ctx);
		if (o == NULL)
			return;
		/* Field names for unknown or bad kinds: they must outlive the error response. */
		char names[FIELD_ERRORS_MAX][80];
		int nnames = 0;
		struct field_errors fe = {0};
		int choice[NOTIFY_KINDS];
		for (int i = 0; i < NOTIFY_KINDS; i++)
			choice[i] = -1;
		const char *key;
		json_t *v;
		json_object_foreach(o, key, v)
		{
			if (strcmp(key, "email") != 0)
				ferr_add(&fe, key, "is not a member of notification preferences (send \"email\")");
		}
		json_t *email = json_object_get(o, "email");
		if (!json_is_object(email)) {
			ferr_add(&fe, "email",
			         "must be an object: {\"<kind>\": \"off\" | \"instant\" | \"daily\"}");
		} else {
			json_object_foreach(email, key, v)
			{
				const struct notify_kind *k = notify_kind_find(key);
				int c = json_is_string(v) ? notify_email_parse(json_string_value(v)) : -1;
				if (k != NULL && c >= 0) {
					choice[k - notify_kinds] = c;
					continue;
				}
				if (nnames >= FIELD_ERRORS_MAX)
					break;
				snprintf(names[nnames], sizeof(names[nnames]), "email.%s", key);
				ferr_add(&fe, names[nnames++],
				         k == NULL ? "is not a kind of notification"
				                   : "must be \"off\", \"instant\" or \"daily\"");
			}
		}
		if (fe.n > 0) {
			resp_problem_fields(ctx, &fe);
			json_decref(o);
			return;
		}
		json_decref(o);
		if (!req_db(ctx))
			return;
		bool ok = db_begin_write(ctx->db) == 0;
		for (int i = 0; ok && i < NOTIFY_KINDS; i++) {
			if (choice[i] >= 0)
				ok = notify_pref_set(ctx->db, ctx->auth.user_id, notify_kinds[i].name,
				                     (enum notify_email)choice[i]) == 0;
		}
		if (!ok || db_commit(ctx->db) != 0) {
			db_rollback(ctx->db);
			resp_db_error(ctx, "notification preferences");
			return;
		}
	} else if (!req_db(ctx)) {
		return;
	}
	if (!prefs_json(ctx)) {
		resp_db_error(ctx, "notification preferences");
		return;
	}
	resp_send(ctx, 200, "application/json", CACHE_NONE);
}
