/*
 * ratelimit.h - the general request limit per client (BEACON_RATE_LIMIT_MINUTE
 * and BEACON_RATE_LIMIT_HOUR), shared by all workers of a node and, with
 * BEACON_REDIS_URL, by all nodes.
 *
 * Clients are counted by their address, ctx->ip (the connection's peer, or
 * what trusted proxies forwarded; IPv6 by /64), in two fixed windows: the
 * current minute and the current hour. Without Redis the counts
 * live in a table in shared memory made by the parent before it forks. With
 * Redis each worker keeps one connection (opened on first use, short
 * timeouts) and counts there; while Redis cannot be reached the shared-memory
 * counts decide, a warning is logged at most once a minute per node, and no
 * request fails because of Redis.
 */
#ifndef BEACON_WEB_RATELIMIT_H
#define BEACON_WEB_RATELIMIT_H

#include <stdbool.h>

#include "web/req.h"

/* In the parent, before the workers fork: map the shared table, read the Redis address. */
void ratelimit_init(void);

/*
 * Count this request. True: go ahead. False: the client is over a limit and
 * has been answered 429 with Retry-After (problem+json under /api/, the error
 * page elsewhere). Health checks and static files are neither counted nor
 * limited.
 */
bool ratelimit_allow(struct rctx *ctx);

#endif
