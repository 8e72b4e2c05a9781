/*
 * cors.c - CORS for /api/ (see cors.h).
 */
#include "web/cors.h"

#include <string.h>

#include "core/config.h"

static bool
is_sep(char c)
{
	return c == ' ' || c == ',' || c == '\t';
}

bool
cors_origin_allowed(const char *origin)
{
	const struct config *cfg = config_get();
	if (origin == NULL || origin[0] == '\0' || cfg == NULL || cfg->cors_origins == NULL)
		return false;
	size_t want = strlen(origin);
	const char *p = cfg->cors_origins;
	while (*p) {
		while (is_sep(*p))
			p++;
		const char *start = p;
		while (*p && !is_sep(*p))
			p++;
		if ((size_t)(p - start) == want && memcmp(start, origin, want) == 0)
			return true;
	}
	return false;
}

static bool
applies(struct rctx *ctx)
{
	const struct config *cfg = config_get();
	return strncmp(ctx->req->path, "/api/", 5) == 0 && cfg != NULL && cfg->cors_origins != NULL &&
	       cfg->cors_origins[strspn(cfg->cors_origins, " ,\t")] != '\0';
}

void
cors_headers(struct rctx *ctx)
{
	if (!applies(ctx))
		return;
	http_response_header(ctx->req, "vary", "Origin");
	const char *origin = req_header(ctx, "origin");
	if (!cors_origin_allowed(origin))
		return;
	http_response_header(ctx->req, "access-control-allow-origin", origin);
	http_response_header(ctx->req, "access-control-expose-headers",
	                     "ETag, Retry-After, X-Request-Id");
}

bool
cors_is_preflight(struct rctx *ctx)
{
	return ctx->req->method == HTTP_METHOD_OPTIONS && strncmp(ctx->req->path, "/api/", 5) == 0 &&
	       req_header(ctx, "origin") != NULL &&
	       req_header(ctx, "access-control-request-method") != NULL;
}

void
cors_preflight(struct rctx *ctx)
{
	ctx->route = "preflight";
	if (applies(ctx) && cors_origin_allowed(req_header(ctx, "origin"))) {
		http_response_header(ctx->req, "access-control-allow-methods", CORS_ALLOW_METHODS);
		http_response_header(ctx->req, "access-control-allow-headers", CORS_ALLOW_HEADERS);
		http_response_header(ctx->req, "access-control-max-age", CORS_MAX_AGE);
	}
	buf_reset(&ctx->body);
	resp_send(ctx, 204, NULL, CACHE_NONE);
}
