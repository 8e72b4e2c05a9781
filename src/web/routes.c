/*
 * routes.c - the route table and the one Kore handler that dispatches it.
 *
 * Kore hands every request to beacon_dispatch (conf: a single catch-all
 * route). Here it gets a request id, its query string is parsed and
 * validated once, the route is matched (405 for a known path with the
 * wrong method, 404 otherwise), and the handler runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/mem.h"
#include "web/cors.h"
#include "web/handlers.h"
#include "web/ratelimit.h"
#include "web/req.h"
#include "web/static.h"

int beacon_dispatch(struct http_request *req);

enum seg { SEG_NONE, SEG_ID, SEG_NAME };

struct route {
	const char *prefix; /* literal path, or the part before the variable segment */
	enum seg var;       /* what follows the prefix */
	int methods;
	void (*handler)(struct rctx *);
	bool api; /* errors as problem+json: the API and the machine-readable feeds */
};

#define GET_HEAD (HTTP_METHOD_GET | HTTP_METHOD_HEAD)

static const struct route routes[] = {
    {"/", SEG_NONE, GET_HEAD, page_home, false},
    {"/jobs", SEG_NONE, GET_HEAD, page_search, false},
    {"/jobs/", SEG_ID, GET_HEAD, page_job, false},
    {"/jobs.rss", SEG_NONE, GET_HEAD, feed_rss, true},
    {"/help", SEG_NONE, GET_HEAD, page_help, false},
    {"/feeds/indeed.xml", SEG_NONE, GET_HEAD, feed_indeed, true},
    {"/api/v1/jobs", SEG_NONE, GET_HEAD, api_jobs_search, true},
    {"/api/v1/jobs/", SEG_ID, GET_HEAD, api_job_get, true},
    {"/healthz", SEG_NONE, GET_HEAD, ops_healthz, true},
    {"/readyz", SEG_NONE, GET_HEAD, ops_readyz, true},
    {"/static/vendor/", SEG_NAME, GET_HEAD, static_vendor, false},
    {"/static/", SEG_NAME, GET_HEAD, static_assets, false},
};

void
static_assets(struct rctx *ctx)
{
	static_serve(ctx, "");
}

void
static_vendor(struct rctx *ctx)
{
	static_serve(ctx, "vendor/");
}

/* Positive decimal id of at most 18 digits (fits int64). */
static bool
match_id(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool
match_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/*
 * Find the route for path. Returns it, or NULL; *path_known tells whether
 * some route has this path (for 405 versus 404), and then ctx->is_api takes
 * that route's error format.
 */
static const struct route *
route_find(struct rctx *ctx, const char *path, int method, bool *path_known)
{
	*path_known = false;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];
		size_t plen = strlen(r->prefix);
		if (r->var == SEG_NONE) {
			if (strcmp(path, r->prefix) != 0)
				continue;
		} else {
			if (strncmp(path, r->prefix, plen) != 0)
				continue;
			const char *rest = path + plen;
			if (r->var == SEG_ID && !match_id(rest, &ctx->id))
				continue;
			if (r->var == SEG_NAME && !match_name(rest))
				continue;
			ctx->tail = rest;
		}
		*path_known = true;
		ctx->is_api = r->api;
		if (r->methods & method)
			return r;
	}
	return NULL;
}

static void
request_id(char out[24])
{
	static uint64_t counter;
	static uint64_t seed;
	if (seed == 0 && getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)getpid() << 32 ^ (uint64_t)monotonic_ms();
	/* splitmix64 over a per-worker random seed: unique and unguessable enough for tracing. */
	uint64_t z = (seed += 0x9E3779B97F4A7C15ULL) + (++counter);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	snprintf(out, 24, "%016llx", (unsigned long long)z);
}

int
beacon_dispatch(struct http_request *req)
{
	struct rctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.req = req;
	ctx.started_ms = monotonic_ms();
	ctx.route = "unmatched";
	request_id(ctx.rid);
	ctx.is_api = strncmp(req->path, "/api/", 5) == 0;
	const char *hx = NULL, *restore = NULL;
	http_request_header(req, "hx-request", &hx);
	http_request_header(req, "hx-history-restore-request", &restore);
	ctx.htmx = hx != NULL && strcmp(hx, "true") == 0 && restore == NULL;

	bool known = false;
	const struct route *r = route_find(&ctx, req->path, req->method, &known);
	if (r != NULL) {
		ctx.route = r->prefix;
		ctx.is_api = r->api;
	}
	char bad_key[QUERY_MAX_KEY + 1] = "";
	const char *qs = req->query_string ? req->query_string : "";
	enum query_error qe = query_parse(&ctx.query, qs, strlen(qs), bad_key, sizeof(bad_key));
	if (r == NULL && known && cors_is_preflight(&ctx)) {
		cors_preflight(&ctx);
	} else if (r == NULL && known) {
		resp_error(&ctx, 405, "method_not_allowed", "Method not allowed",
		           "This address only answers GET and HEAD requests.", NULL);
	} else if (r == NULL) {
		resp_error(&ctx, 404, "not_found", "Not found",
		           "We could not find that page. It may have moved.", NULL);
	} else if (qe != QUERY_OK) {
		char detail[160];
		snprintf(detail, sizeof(detail), "The query string is not valid: %s.",
		         query_strerror(qe));
		resp_error(&ctx, 400, "invalid_parameter", "Invalid parameter", detail,
		           bad_key[0] ? bad_key : "query");
	} else if (ratelimit_allow(&ctx)) {
		r->handler(&ctx);
	}
	query_free(&ctx.query);
	buf_free(&ctx.body);
	return KORE_RESULT_OK;
}
