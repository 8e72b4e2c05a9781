/*
 * cors.h - cross-origin access to the API for the origins in
 * BEACON_CORS_ORIGINS, and nothing else.
 *
 * Only paths under /api/ take part. An Origin header that exactly matches a
 * listed origin is echoed in Access-Control-Allow-Origin; never "*", and
 * never Access-Control-Allow-Credentials (the API authenticates with bearer
 * tokens, not cookies). While any origin is listed, API responses carry
 * "Vary: Origin" so shared caches keep the answers apart.
 */
#ifndef BEACON_WEB_CORS_H
#define BEACON_WEB_CORS_H

#include <stdbool.h>

#include "web/req.h"

/* The methods and request headers a preflight allows, and how long it may be cached. */
#define CORS_ALLOW_METHODS "GET, HEAD, POST, PUT, PATCH, DELETE"
#define CORS_ALLOW_HEADERS "Authorization, Content-Type"
#define CORS_MAX_AGE "600"

/* True when origin (NULL is fine) is one of the configured origins. */
bool cors_origin_allowed(const char *origin);

/* The CORS headers of an ordinary response (called by resp_send for every response). */
void cors_headers(struct rctx *ctx);

/*
 * A CORS preflight: OPTIONS on an /api/ path with Origin and
 * Access-Control-Request-Method. Any other OPTIONS request is an ordinary
 * request (405 on a path that does not answer OPTIONS).
 */
bool cors_is_preflight(struct rctx *ctx);

/*
 * Answer a preflight on a known /api/ path. 204, with the
 * Access-Control-Allow-* headers when the Origin is allowed; without them
 * (so the browser refuses) otherwise.
 */
void cors_preflight(struct rctx *ctx);

#endif
