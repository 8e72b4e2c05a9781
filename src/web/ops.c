/*
 * ops.c - /healthz (the process answers) and /readyz (the database answers
 * and its schema is the one this binary expects).
 */
#include "core/json.h"
#include "db/migrate.h"
#include "web/handlers.h"

void
ops_healthz(struct rctx *ctx)
{
	buf_puts(&ctx->body, "{\"status\":\"ok\"}");
	resp_send(ctx, 200, "application/json", CACHE_NONE);
}

void
ops_readyz(struct rctx *ctx)
{
	struct db *db = app_db();
	int cur = db ? migrate_current(db) : -1;
	int want = db ? migrate_latest(db) : -1;
	bool ready = db != NULL && cur >= 0 && cur == want;
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_kv_str(&w, "status", ready ? "ready" : "unready");
	jw_kv_str(&w, "database", db == NULL || cur < 0 ? "unreachable" : "ok");
	jw_kv_int(&w, "schema_version", cur);
	jw_kv_int(&w, "schema_expected", want);
	jw_obj_end(&w);
	resp_send(ctx, ready ? 200 : 503, "application/json", CACHE_NONE);
}
