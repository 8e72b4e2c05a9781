/*
 * body.c - JSON request bodies (see body.h).
 */
#include "web/body.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"

#define BODY_JSON_DEPTH 32

/*
 * Paths named in field errors: a worker handles one request at a time and
 * sends the errors before the next request's body_json() empties the pool.
 * Room for the errors twice over (as read, then renamed after validation)
 * and a prefix for each of 40 profile entries.
 */
static char path_pool[FIELD_ERRORS_MAX * 4][96];
static int path_used;

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
	body_paths_reset();
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

const char *
body_path(const char *fallback, const char *fmt, ...)
{
	if (path_used >= (int)(sizeof(path_pool) / sizeof(path_pool[0])))
		return fallback;
	char *p = path_pool[path_used++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p, sizeof(path_pool[0]), fmt, ap);
	va_end(ap);
	return p;
}

void
body_paths_reset(void)
{
	path_used = 0;
}

/* "prefix.key", or key without a prefix. */
static const char *
member_path(const char *prefix, const char *key)
{
	return prefix != NULL ? body_path(key, "%s.%s", prefix, key) : key;
}

static bool
field_named(const struct body_field *fields, const char *key)
{
	for (const struct body_field *f = fields; f->key != NULL; f++)
		if (strcmp(f->key, key) == 0)
			return true;
	return false;
}

void
body_read_strs(json_t *o, const struct body_field *fields, void *target, unsigned flags,
               const char *prefix, struct field_errors *fe)
{
	for (const struct body_field *f = fields; f->key != NULL; f++) {
		json_t *v = json_object_get(o, f->key);
		if (v == NULL)
			continue;
		if (!json_is_null(v) && !json_is_string(v)) {
			ferr_add(fe, member_path(prefix, f->key), "Must be a string.");
			continue;
		}
		const char *s = json_is_string(v) ? json_string_value(v) : f->nullable ? NULL : "";
		char *slot = (char *)target + f->offset;
		if (flags & BODY_COPY) {
			free(*(char **)slot);
			*(char **)slot = s != NULL ? xstrdup(s) : NULL;
		} else {
			*(const char **)slot = s;
		}
	}
	if (!(flags & BODY_STRICT))
		return;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		(void)v;
		if (!field_named(fields, key))
			ferr_add(fe, member_path(prefix, key), "Unknown field.");
	}
}

static bool
key_in(const char *key, const char *const *list)
{
	for (size_t i = 0; list != NULL && list[i] != NULL; i++)
		if (strcmp(key, list[i]) == 0)
			return true;
	return false;
}

void
body_unknown_members(json_t *o, const char *const *known, const char *const *ignored,
                     const char *prefix, struct field_errors *fe)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		(void)v;
		if (!key_in(key, known) && !key_in(key, ignored))
			ferr_add(fe, member_path(prefix, key), "Unknown field.");
	}
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
resp_data_begin(struct rctx *ctx, struct json_writer *w)
{
	buf_reset(&ctx->body);
	jw_init(w, &ctx->body);
	jw_obj_begin(w);
	jw_key(w, "data");
}

void
resp_data_send(struct rctx *ctx, struct json_writer *w, int status)
{
	jw_obj_end(w);
	resp_send(ctx, status, "application/json", CACHE_NONE);
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
