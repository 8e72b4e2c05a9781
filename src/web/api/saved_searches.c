/*
 * saved_searches.c - /api/v1/saved-searches: list and create; PATCH (name,
 * frequency, a new RSS link) and DELETE one. The RSS URL is in the answer
 * only when its token was just made: only its hash is stored.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/json.h"
#include "model/saved_searches.h"
#include "web/body.h"
#include "web/handlers.h"

static void
item_json(struct json_writer *w, const struct saved_search *s, const char *token)
{
	jw_obj_begin(w);
	jw_kv_int(w, "id", s->id);
	jw_kv_str(w, "name", s->name);
	jw_kv_str(w, "query", s->query);
	jw_kv_str(w, "frequency", saved_freq_name(s->freq));
	jw_kv_str(w, "created_at", s->created_at);
	jw_key(w, "last_run_at");
	if (s->last_run_at[0])
		jw_str(w, s->last_run_at);
	else
		jw_null(w);
	char url[SAVED_QUERY_MAX + 256];
	snprintf(url, sizeof(url), "%s/jobs%s%s", config_get()->base_url, s->query[0] ? "?" : "",
	         s->query);
	jw_kv_str(w, "search_url", url);
	if (token != NULL) {
		snprintf(url, sizeof(url), "%s/saved-searches/%lld/feed.rss?token=%s",
		         config_get()->base_url, (long long)s->id, token);
		jw_kv_str(w, "rss_url", url);
	}
	jw_obj_end(w);
}

static void
send_one(struct rctx *ctx, int status, int64_t id, const char *token)
{
	struct saved_search s;
	int r = saved_get(ctx->db, ctx->auth.user_id, id, &s);
	if (r != 1) {
		resp_db_error(ctx, "saved search");
		return;
	}
	struct json_writer w;
	jw_init(&w, &ctx->body);
	item_json(&w, &s, token);
	resp_send(ctx, status, "application/json", CACHE_NONE);
}

static void
list(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	static struct saved_search items[SAVED_PER_USER_MAX];
	int n = saved_list(ctx->db, ctx->auth.user_id, items, SAVED_PER_USER_MAX);
	if (n < 0) {
		resp_db_error(ctx, "saved searches");
		return;
	}
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (int i = 0; i < n; i++)
		item_json(&w, &items[i], NULL);
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_send(ctx, 200, "application/json", CACHE_NONE);
}

/* The frequency member: def when absent; an unknown value adds an error. */
static int
freq_member(json_t *o, int def, struct field_errors *fe)
{
	const char *f = body_str(o, "frequency", fe);
	if (f == NULL)
		return def;
	int v = saved_freq_parse(f);
	if (v < 0)
		ferr_add(fe, "frequency", "must be \"instant\", \"daily\" or \"off\"");
	return v;
}

static void
create(struct rctx *ctx)
{
	json_t *o = body_json(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	const char *name = body_str(o, "name", &fe);
	const char *query = body_str(o, "query", &fe);
	int freq = freq_member(o, SAVED_DAILY, &fe);
	if (!saved_name_ok(name))
		ferr_add(&fe, "name", "1 to 100 characters of text on one line");
	struct buf canon = {0};
	char detail[160];
	if (saved_canonical(query ? query : "", &canon, detail, sizeof(detail)) != 0)
		ferr_add(&fe, "query", "is not a valid job search query string");
	if (fe.n > 0) {
		resp_problem_fields(ctx, &fe);
		goto out;
	}
	if (!req_db(ctx))
		goto out;
	char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)];
	int64_t id = saved_create(ctx->db, ctx->auth.user_id, name, buf_cstr(&canon),
	                          (enum saved_freq)freq, token);
	if (id < 0)
		resp_db_error(ctx, "save search");
	else if (id == 0)
		resp_problem(ctx, 409, "limit_reached", "Too many saved searches",
		             "You have 50 saved searches. Delete one to save another.", NULL);
	else
		send_one(ctx, 201, id, token);
out:
	buf_free(&canon);
	json_decref(o);
}

void
api_saved_searches(struct rctx *ctx)
{
	if (ctx->req->method == HTTP_METHOD_POST)
		create(ctx);
	else
		list(ctx);
}

static void
not_found(struct rctx *ctx)
{
	resp_problem(ctx, 404, "not_found", "Not found", "You have no saved search with this id.",
	             NULL);
}

static void
patch(struct rctx *ctx)
{
	json_t *o = body_json(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	const char *name = body_str(o, "name", &fe);
	int freq = freq_member(o, -1, &fe);
	bool rotate = body_bool(o, "new_rss_token", false, &fe);
	if (name != NULL && !saved_name_ok(name))
		ferr_add(&fe, "name", "1 to 100 characters of text on one line");
	if (fe.n > 0) {
		resp_problem_fields(ctx, &fe);
		json_decref(o);
		return;
	}
	if (!req_db(ctx)) {
		json_decref(o);
		return;
	}
	int r = saved_update(ctx->db, ctx->auth.user_id, ctx->id, name, freq);
	char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)];
	if (r == 1 && rotate)
		r = saved_new_token(ctx->db, ctx->auth.user_id, ctx->id, token);
	json_decref(o);
	if (r < 0)
		resp_db_error(ctx, "saved search");
	else if (r == 0)
		not_found(ctx);
	else
		send_one(ctx, 200, ctx->id, rotate ? token : NULL);
}

void
api_saved_search(struct rctx *ctx)
{
	if (ctx->req->method == HTTP_METHOD_PATCH) {
		patch(ctx);
		return;
	}
	if (!req_db(ctx))
		return;
	if (ctx->req->method == HTTP_METHOD_DELETE) {
		int r = saved_delete(ctx->db, ctx->auth.user_id, ctx->id);
		if (r < 0)
			resp_db_error(ctx, "saved search");
		else if (r == 0)
			not_found(ctx);
		else
			resp_send(ctx, 204, NULL, CACHE_NONE);
		return;
	}
	struct saved_search s;
	int r = saved_get(ctx->db, ctx->auth.user_id, ctx->id, &s);
	if (r < 0) {
		resp_db_error(ctx, "saved search");
		return;
	}
	if (r == 0) {
		not_found(ctx);
		return;
	}
	struct json_writer w;
	jw_init(&w, &ctx->body);
	item_json(&w, &s, NULL);
	resp_send(ctx, 200, "application/json", CACHE_NONE);
}
