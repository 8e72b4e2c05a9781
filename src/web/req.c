/*
 * req.c - the single exit of every response: headers, caching, ETag,
 * compression, problem+json and error pages, and the access log.
 */
#include "web/req.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/compress.h"
#include "core/config.h"
#include "core/dates.h"
#include "core/html.h"
#include "core/json.h"
#include "core/log.h"
#include "db/db.h"
#include "web/cors.h"
#include "web/layout.h"

#define GZIP_MIN_BYTES 1024

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                          "object-src 'none'; base-uri 'none'; form-action 'self'; "
                          "frame-ancestors 'none'";

/* addr (text) written canonically into out (64 bytes); false when it is not an address. */
static bool
ip_canonical(const char *addr, size_t n, char out[64])
{
	char item[64];
	unsigned char bin[16];
	if (n == 0 || n >= sizeof(item))
		return false;
	memcpy(item, addr, n);
	item[n] = '\0';
	if (inet_pton(AF_INET, item, bin) == 1)
		return inet_ntop(AF_INET, bin, out, 64) != NULL;
	if (inet_pton(AF_INET6, item, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, 64) != NULL;
	return false;
}

/* True when ip (canonical text) is one of BEACON_TRUSTED_PROXIES. */
static bool
trusted_proxy(const char *ip)
{
	const char *p = config_get()->trusted_proxies;
	char item[64];
	while (p != NULL && *p) {
		size_t n = strcspn(p, " ,");
		if (ip_canonical(p, n, item) && strcmp(item, ip) == 0)
			return true;
		p += n;
		while (*p == ' ' || *p == ',')
			p++;
	}
	return false;
}

/*
 * The client is the connection's peer, unless the peer is a trusted proxy:
 * then X-Forwarded-For is read from the right (the hops our proxies added)
 * to the first address that is not one of them. Anything a client wrote
 * further left is ignored, so the header cannot be used to pick an address.
 */
void
req_set_ip(struct rctx *ctx)
{
	struct connection *c = ctx->req->owner;
	ctx->ip[0] = '\0';
	if (c->family == AF_INET)
		inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, ctx->ip, sizeof(ctx->ip));
	else if (c->family == AF_INET6)
		inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, ctx->ip, sizeof(ctx->ip));
	if (ctx->ip[0] == '\0' || !trusted_proxy(ctx->ip))
		return;
	const char *xff = req_header(ctx, "x-forwarded-for");
	size_t end = xff ? strlen(xff) : 0;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		size_t a = start, b = end;
		while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
			a++;
		while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
			b--;
		char hop[64];
		if (!ip_canonical(xff + a, b - a, hop))
			return; /* garbage: keep the last address we trust to be real */
		snprintf(ctx->ip, sizeof(ctx->ip), "%s", hop);
		if (!trusted_proxy(hop))
			return;
		end = start > 0 ? start - 1 : 0;
	}
}

const char *
req_header(struct rctx *ctx, const char *name)
{
	const char *v = NULL;
	if (http_request_header(ctx->req, name, &v) != KORE_RESULT_OK)
		return NULL;
	return v;
}

static void
security_headers(struct rctx *ctx)
{
	struct http_request *req = ctx->req;
	http_response_header(req, "content-security-policy", CSP);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "strict-origin-when-cross-origin");
	http_response_header(req, "permissions-policy",
	                     "camera=(), microphone=(), geolocation=(), payment=()");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "cross-origin-opener-policy", "same-origin");
	http_response_header(req, "x-request-id", ctx->rid);
	/* Behind TLS (an https base URL): browsers never try plain HTTP again for a year. */
	const struct config *cfg = config_get();
	if (cfg != NULL && cfg->https)
		http_response_header(req, "strict-transport-security",
		                     "max-age=31536000; includeSubDomains");
	cors_headers(ctx);
}

static const char *
method_name(int m)
{
	switch (m) {
	case HTTP_METHOD_GET:
		return "GET";
	case HTTP_METHOD_HEAD:
		return "HEAD";
	case HTTP_METHOD_POST:
		return "POST";
	case HTTP_METHOD_PUT:
		return "PUT";
	case HTTP_METHOD_DELETE:
		return "DELETE";
	case HTTP_METHOD_PATCH:
		return "PATCH";
	case HTTP_METHOD_OPTIONS:
		return "OPTIONS";
	default:
		return "OTHER";
	}
}

static void
access_log(struct rctx *ctx, int status, size_t bytes)
{
	struct json_writer *w = log_begin(LOG_LVL_INFO, "request");
	if (w == NULL)
		return;
	jw_kv_str(w, "rid", ctx->rid);
	jw_kv_str(w, "method", method_name(ctx->req->method));
	jw_kv_str(w, "path", ctx->req->path);
	jw_kv_str(w, "route", ctx->route);
	jw_kv_int(w, "status", status);
	jw_kv_int(w, "bytes", (int64_t)bytes);
	jw_key(w, "ms");
	jw_double(w, (double)((int64_t)((monotonic_ms() - ctx->started_ms) * 1000)) / 1000.0);
	jw_kv_str(w, "ip", ctx->ip);
	if (ctx->auth.user_id != 0)
		jw_kv_int(w, "user", ctx->auth.user_id);
	log_end(w);
}

/* True when If-None-Match lists etag (exactly, weak or strong) or is "*". */
static bool
etag_matches(struct rctx *ctx, const char *etag)
{
	const char *inm = req_header(ctx, "if-none-match");
	if (inm == NULL)
		return false;
	size_t want = strlen(etag);
	const char *p = inm;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == want && memcmp(p, etag, n) == 0)
			return true;
		p += n;
		while (*p && *p != ',')
			p++;
	}
	return false;
}

/* Accept-Encoding names gzip without refusing it (q=0). */
static bool
accepts_gzip(struct rctx *ctx)
{
	const char *ae = req_header(ctx, "accept-encoding");
	const char *g = ae ? strstr(ae, "gzip") : NULL;
	if (g == NULL)
		return false;
	g += 4;
	while (*g == ' ')
		g++;
	if (strncmp(g, ";q=0", 4) == 0 || strncmp(g, "; q=0", 5) == 0) {
		const char *q = strchr(g, '=') + 1;
		while (*q == '0' || *q == '.')
			q++;
		return !(*q == '\0' || *q == ',' || *q == ' ');
	}
	return true;
}

static bool
compressible(const char *ct)
{
	return strncmp(ct, "text/", 5) == 0 || strstr(ct, "json") != NULL ||
	       strstr(ct, "xml") != NULL || strstr(ct, "javascript") != NULL;
}

static const char *
cache_header(enum cache_policy cache)
{
	switch (cache) {
	case CACHE_SHORT:
		return "public, max-age=60";
	case CACHE_REVALIDATE:
		return "no-cache";
	case CACHE_IMMUTABLE:
		return "public, max-age=31536000, immutable";
	default:
		return "no-store";
	}
}

static void
finish(struct rctx *ctx, int status, const char *content_type, const void *data, size_t len,
       const void *gz, size_t gzlen, const char *etag, enum cache_policy cache)
{
	struct http_request *req = ctx->req;
	bool cond = status == 200 &&
	            (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD);
	bool text = content_type != NULL && compressible(content_type);
	bool zip = text && accepts_gzip(ctx) && (gz != NULL || len >= GZIP_MIN_BYTES);
	security_headers(ctx);
	/* What one visitor sees (their name, a form's CSRF token) is never stored for others. */
	if (ctx->personal && cache != CACHE_IMMUTABLE)
		cache = CACHE_NONE;
	http_response_header(req, "cache-control",
	                     ctx->personal && cache == CACHE_NONE ? "private, no-store"
	                                                          : cache_header(cache));
	if (text)
		http_response_header(req, "vary", "Accept-Encoding, Cookie, HX-Request, "
		                                  "HX-History-Restore-Request");
	/* The gzip body is a different representation: it gets its own tag. */
	char tag[48];
	if (cond && (etag != NULL || cache != CACHE_NONE)) {
		uint64_t h = etag ? 0 : hash_fnv1a(data, len);
		if (etag)
			snprintf(tag, sizeof(tag), "%.*s%s\"", (int)strlen(etag) - 1, etag,
			         zip ? "-gz" : "");
		else
			snprintf(tag, sizeof(tag), "\"%016llx%s\"", (unsigned long long)h,
			         zip ? "-gz" : "");
		http_response_header(req, "etag", tag);
		if (etag_matches(ctx, tag)) {
			access_log(ctx, 304, 0);
			http_response(req, 304, NULL, 0);
			return;
		}
	}
	if (content_type != NULL)
		http_response_header(req, "content-type", content_type);
	struct buf z = {0};
	if (zip && gz != NULL) {
		data = gz;
		len = gzlen;
		http_response_header(req, "content-encoding", "gzip");
	} else if (zip && gzip_compress(data, len, 5, &z)) {
		data = z.data;
		len = z.len;
		http_response_header(req, "content-encoding", "gzip");
	}
	access_log(ctx, status, len);
	http_response(req, status, data, len);
	buf_free(&z);
}

void
resp_send(struct rctx *ctx, int status, const char *content_type, enum cache_policy cache)
{
	finish(ctx, status, content_type, ctx->body.data, ctx->body.len, NULL, 0, NULL, cache);
}

void
resp_send_static(struct rctx *ctx, const char *content_type, const void *data, size_t len,
                 const void *gz, size_t gzlen, const char *etag, enum cache_policy cache)
{
	finish(ctx, 200, content_type, data, len, gz, gzlen, etag, cache);
}

void
resp_problem(struct rctx *ctx, int status, const char *code, const char *title,
             const char *detail, const char *param)
{
	struct json_writer w;
	buf_reset(&ctx->body);
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	char type[96];
	snprintf(type, sizeof(type), "https://beacon.example/problems/%s", code);
	jw_kv_str(&w, "type", type);
	jw_kv_str(&w, "title", title);
	jw_kv_int(&w, "status", status);
	jw_kv_str(&w, "code", code);
	if (detail)
		jw_kv_str(&w, "detail", detail);
	if (param)
		jw_kv_str(&w, "param", param);
	jw_kv_str(&w, "instance", ctx->req->path);
	jw_kv_str(&w, "request_id", ctx->rid);
	jw_obj_end(&w);
	resp_send(ctx, status, "application/problem+json", CACHE_NONE);
}

void
resp_error_page(struct rctx *ctx, int status, const char *message)
{
	const char *title = status == 404   ? "Page not found"
	                    : status == 400 ? "Something in the address is not right"
	                    : status == 405 ? "That action is not allowed here"
	                    : status >= 500 ? "Something went wrong on our side"
	                                    : "Request not accepted";
	buf_reset(&ctx->body);
	struct page pg = {.title = title, .status = status};
	if (!ctx->htmx)
		layout_begin(ctx, &pg);
	HTML_LIT(&ctx->body, "<section class=\"error\" aria-labelledby=\"err-title\">");
	HTML_LIT(&ctx->body, "<h1 id=\"err-title\">");
	html_text(&ctx->body, title);
	HTML_LIT(&ctx->body, "</h1><p>");
	html_text(&ctx->body, message);
	HTML_LIT(&ctx->body, "</p><p>Try <a href=\"/jobs\">searching all jobs</a> or go to the "
	                     "<a href=\"/\">home page</a>.</p><p class=\"muted\">Reference: <code>");
	html_text(&ctx->body, ctx->rid);
	HTML_LIT(&ctx->body, "</code></p></section>");
	if (!ctx->htmx)
		layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
resp_error(struct rctx *ctx, int status, const char *code, const char *title,
           const char *detail, const char *param)
{
	if (ctx->is_api) {
		resp_problem(ctx, status, code, title, detail, param);
		return;
	}
	resp_error_page(ctx, status, detail ? detail : title);
}

void
resp_db_error(struct rctx *ctx, const char *what)
{
	struct json_writer *w = log_begin(LOG_LVL_ERROR, "database error");
	if (w != NULL) {
		jw_kv_str(w, "rid", ctx->rid);
		jw_kv_str(w, "during", what);
		jw_kv_str(w, "error", ctx->db ? db_errmsg(ctx->db) : "no connection");
		log_end(w);
	}
	resp_error(ctx, 500, "internal_error", "Internal server error",
	           "We could not complete this request. Please try again in a moment.", NULL);
}

void
resp_redirect(struct rctx *ctx, int status, const char *location)
{
	http_response_header(ctx->req, "location", location);
	buf_reset(&ctx->body);
	resp_send(ctx, status, NULL, CACHE_NONE);
}

struct db *
req_db(struct rctx *ctx)
{
	ctx->db = app_db();
	if (ctx->db == NULL)
		resp_error(ctx, 503, "unavailable", "Service unavailable",
		           "The database cannot be reached right now. Please try again shortly.",
		           NULL);
	return ctx->db;
}

/* key's value in q as a number in 1..max; 0 when absent or empty, -1 when malformed. */
static long long
param_number(const struct query *q, const char *key, long long max)
{
	const char *s = query_get(q, key);
	if (s == NULL || s[0] == '\0')
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < 1 || v > max)
		return -1;
	return v;
}

bool
req_param_int(struct rctx *ctx, const struct query *q, const char *key, int def, int max,
              int *out)
{
	long long v = param_number(q, key, max);
	*out = v > 0 ? (int)v : def;
	if (v >= 0)
		return true;
	char detail[96];
	snprintf(detail, sizeof(detail), "%s must be a whole number from 1 to %d.", key, max);
	resp_error(ctx, 400, "invalid_parameter", "Invalid parameter", detail, key);
	return false;
}

bool
req_param_id(struct rctx *ctx, const char *key, int64_t *out)
{
	long long v = param_number(&ctx->query, key, INT64_MAX);
	*out = v > 0 ? v : 0;
	if (v >= 0)
		return true;
	resp_error(ctx, 400, "invalid_parameter", "Invalid parameter",
	           "Use a positive whole number.", key);
	return false;
}
