/*
 * params.h - turning a validated query string into a search query.
 *
 * The job search page, its HTMX fragment, the API and the RSS feed take the
 * same parameters (docs/api.md):
 *   q, location, remote (true|false), type (repeatable), level (repeatable),
 *   accommodation (repeatable), min_salary, sort (relevance|date|salary),
 *   page, per_page.
 * Empty values mean "not set"; unknown parameters are ignored.
 */
#ifndef BEACON_SEARCH_PARAMS_H
#define BEACON_SEARCH_PARAMS_H

#include <stddef.h>

#include "core/buf.h"
#include "core/query.h"
#include "search/search.h"

#define PARAM_Q_MAX 200
#define PARAM_LOCATION_MAX 100

/*
 * Fill sq from q (the parsed query string; sq points into it). Returns 0, or -1 with the offending parameter's
 * name in *param and a sentence in detail (detail_len bytes).
 */
int params_search(const struct query *q, struct search_query *sq, const char **param, char *detail,
                  size_t detail_len);

/*
 * Append the query string that reproduces sq ("q=...&type=..."), leaving
 * out page when page is 0, or using page otherwise.
 */
void params_search_qs(struct buf *out, const struct search_query *sq, int page);

#endif
