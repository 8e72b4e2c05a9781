/*
 * search_req.h - the search steps the search page, the API and the RSS
 * feed share. Each helper answers the request itself when it fails.
 */
#ifndef BEACON_WEB_SEARCH_REQ_H
#define BEACON_WEB_SEARCH_REQ_H

#include <stdbool.h>

#include "search/search.h"
#include "web/req.h"

/*
 * Read the search parameters of ctx's query string into sq. On a bad
 * parameter answers 400 in the route's error format (naming the parameter)
 * and returns false.
 */
bool search_req_params(struct rctx *ctx, struct search_query *sq);

/*
 * Run sq on the request's database into r (free with search_result_free).
 * Answers 503 or 500 itself and returns false when that fails.
 */
bool search_req_run(struct rctx *ctx, const struct search_query *sq, struct search_result *r);

#endif
