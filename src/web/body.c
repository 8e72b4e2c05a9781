/*
 * body.c - JSON request bodies (see body.h).
 */
#include "web/body.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"

#define BODY_JSON_DEPTH 32

/* Nesting depth of a parsed value (jansson has no depth limit of its own). */
static int
depth(json_t *v, int limit)
{
	if (limit < 0)
		return 1 << 20;
	int deepest = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *m;
		json_object_foreach(v, k, m)
		{
			int d = depth(m, limit - 1);
			if (d > deepest)
				deepest = d;
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *m;
		json_array_foreach(v, i, m)
		{
			int d = depth(m, limit - 1);
			if (d > deepest)
				deepest = d;
		}
	} else {
		return 0;
	}
	return deepest + 1;
}

json_t *
body_json(struct rctx *ctx)
{
	const char *ct = req_header(ctx, "content-type");
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
		resp_problem(ctx, 415, "unsupported_media_type", "Unsupported media type",
		             "Send the body as application/json.", NULL);
		return NULL;
	}
	struct buf body = {0};
	char chunk[8192];
	ssize_t n;
	while ((n = http_body_read(ctx->req, chunk, sizeof(chunk))) > 0)
		buf_append(&body, chunk, (size_t)n);
	json_error_t err;
	json_t *o = n < 0 ? NULL
	                  : json_loadb(body.data ? body.data : "", body.len,
	                               JSON_REJECT_DUPLICATES, &err);
	buf_free(&body);
	if (o != NULL && json_is_object(o) && depth(o, BODY_JSON_DEPTH) <= BODY_JSON_DEPTH)
		return o;
	char detail[240];
	if (o == NULL)
		snprintf(detail, sizeof(detail), "The body is not valid JSON: %s (line %d, column %d).",
		         err.text, err.line, err.column);
	else
		snprintf(detail, sizeof(detail), "The body must be a JSON object.");
	json_decref(o);
	resp_problem(ctx, 400, "invalid_json", "Invalid JSON", detail, NULL);
	return NULL;
}

const char *
body_str(json_t *o, const char *key, struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		ferr_add(fe, key, "must be a string");
		return NULL;
	}
	return json_string_value(v);
}

bool
body_bool(json_t *o, const char *key, bool def, struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return def;
	if (!json_is_boolean(v)) {
		ferr_add(fe, key, "must be true or false");
		return def;
	}
	return json_is_true(v);
}

void
resp_problem_fields(struct rctx *ctx, const struct field_errors *fe)
{
	struct json_writer w;
	buf_reset(&ctx->body);
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", "https://beacon.example/problems/validation_failed");
	jw_kv_str(&w, "title", "Validation failed");
	jw_kv_int(&w, "status", 422);
	jw_kv_str(&w, "code", "validation_failed");
	jw_kv_str(&w, "detail", fe->n > 0 ? fe->e[0].msg : "Some fields are not valid.");
	if (fe->n > 0)
		jw_kv_str(&w, "param", fe->e[0].field);
	jw_key(&w, "errors");
	jw_arr_begin(&w);
	for (int i = 0; i < fe->n; i++) {
		jw_obj_begin(&w);
		jw_kv_str(&w, "field", fe->e[i].field);
		jw_kv_str(&w, "message", fe->e[i].msg);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_kv_str(&w, "instance", ctx->req->path);
	jw_kv_str(&w, "request_id", ctx->rid);
	jw_obj_end(&w);
	resp_send(ctx, 422, "application/problem+json", CACHE_NONE);
}
