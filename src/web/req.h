/*
 * req.h - one request's context and the helpers that answer it.
 *
 * Every response leaves through resp_send(), which adds the security
 * headers, the request id, caching headers, ETag/304, gzip, and writes the
 * JSON access-log line. Handlers build a body in ctx->body and call one of
 * the resp_* helpers; helpers that reply themselves (resp_problem,
 * resp_error_page) make early exits one line.
 */
#ifndef BEACON_WEB_REQ_H
#define BEACON_WEB_REQ_H

#include <kore/kore.h>
#include <kore/http.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/query.h"
#include "db/db.h"

/* Who is asking: filled by auth_load (src/web/auth.c) before the handler runs. */
struct auth {
	int64_t user_id;     /* 0 = anonymous */
	int role;            /* one enum role bit (model/users.h), 0 when anonymous */
	char *email;
	char *display_name;
	bool email_verified;
	bool totp_enabled;
	bool mfa_pending;    /* web session waiting for its second factor */
	bool bearer;         /* signed in with an API access token */
	int64_t session_id;  /* web session, 0 otherwise */
	char *session_token; /* cookie value of the web session */
	char auth_at[24];    /* when the password was last given (web sessions) */
	char *csrf;          /* the CSRF token for forms in this response, once computed */
};

struct multipart;

struct rctx {
	struct http_request *req;
	char ip[64];           /* client address as text */
	char rid[24];          /* request id, also sent as X-Request-Id */
	double started_ms;
	bool is_api;           /* path under /api/: errors are problem+json */
	bool htmx;             /* HX-Request: true (and not a history restore) */
	struct query query;    /* parsed, validated query string */
	int64_t id;            /* {id} path segment when the route has one */
	const char *tail;      /* {name} path segment (static files), raw */
	struct buf body;       /* response body under construction */
	struct db *db;
	const char *route;     /* route pattern, for the access log */
	int route_methods;     /* methods the matched route answers (HTTP_METHOD_* bits) */
	struct auth auth;
	struct query form;     /* parsed urlencoded body of page POSTs */
	struct multipart *upload; /* parsed body of ROUTE_MULTIPART routes (core/multipart.h), or NULL */
	bool personal;         /* response depends on the visitor: never shared-cached */
};

/* Cache policies for resp_send. */
enum cache_policy {
	CACHE_NONE,      /* no-store (errors, API search) */
	CACHE_SHORT,     /* public, max-age=60: search pages, feeds */
	CACHE_REVALIDATE, /* no-cache + ETag: job pages */
	CACHE_IMMUTABLE, /* a year, immutable: fingerprinted static files */
};

/*
 * Send ctx->body with status and content type. Adds ETag and answers 304
 * when If-None-Match matches (GET/HEAD 200 only), gzips text bodies over
 * 1 KiB when the client accepts it.
 */
void resp_send(struct rctx *ctx, int status, const char *content_type, enum cache_policy cache);
/* Send a prebuilt body (static files): etag may be NULL; gz is an optional gzip copy. */
void resp_send_static(struct rctx *ctx, const char *content_type, const void *data, size_t len,
                      const void *gz, size_t gzlen, const char *etag, enum cache_policy cache);

/*
 * RFC 9457 problem+json: {"type", "title", "status", "code", "detail",
 * "instance"} and, when param is set, "param". code is a stable
 * machine-readable identifier such as "invalid_parameter".
 */
void resp_problem(struct rctx *ctx, int status, const char *code, const char *title,
                  const char *detail, const char *param);

/* The error page (or HTMX fragment) for status with a short explanation. */
void resp_error_page(struct rctx *ctx, int status, const char *message);

/*
 * A whole-number parameter key of q (the query string, or a parsed form) in
 * 1..max into *out: def when absent or empty. Anything else (signs, spaces,
 * other characters, out of range) answers 400 invalid_parameter naming it
 * (resp_error: a problem for the API, an error page for pages) and returns
 * false.
 */
bool req_param_int(struct rctx *ctx, const struct query *q, const char *key, int def, int max,
                   int *out);

/* A positive id in the query string into *out, 0 when absent; false (answered 400) otherwise. */
bool req_param_id(struct rctx *ctx, const char *key, int64_t *out);

/* An error that fits the route: problem+json under /api/, the error page elsewhere. */
void resp_error(struct rctx *ctx, int status, const char *code, const char *title,
                const char *detail, const char *param);

/* 500 after a database failure: logs the database message with the request id. */
void resp_db_error(struct rctx *ctx, const char *what);

/* Redirect (303 by default for forms, 301/308 for moved URLs). */
void resp_redirect(struct rctx *ctx, int status, const char *location);

/* Fill ctx->ip from the connection (once, at dispatch). */
void req_set_ip(struct rctx *ctx);

/* The request header value or NULL. */
const char *req_header(struct rctx *ctx, const char *name);

/* The worker's database connection, reconnecting if needed; NULL when unavailable. */
struct db *app_db(void);

/*
 * The database for this request (also stored in ctx->db). When it cannot be
 * reached, answers 503 itself and returns NULL: `if (!req_db(ctx)) return;`.
 */
struct db *req_db(struct rctx *ctx);

#endif
