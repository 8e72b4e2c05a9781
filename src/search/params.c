/*
 * params.c - search parameters: validation with a named culprit, and the
 * reverse (a query string for links).
 */
#include "search/params.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "model/vocab.h"

static int
bad(const char **param, const char *name, char *detail, size_t len, const char *msg)
{
	*param = name;
	snprintf(detail, len, "%s", msg);
	return -1;
}

static const char *
nonempty(const char *v)
{
	return (v != NULL && *v != '\0') ? v : NULL;
}

static bool
parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Collect a repeatable parameter into a bit set over table. */
static int
parse_multi(const struct query *q, const char *name, const struct vocab_entry *table,
            size_t count, uint64_t *bits, const char **param, char *detail, size_t len)
{
	for (size_t i = 0; i < q->count; i++) {
		if (strcmp(q->params[i].key, name) != 0 || q->params[i].value[0] == '\0')
			continue;
		int k = vocab_find(table, count, q->params[i].value);
		if (k < 0) {
			*param = name;
			snprintf(detail, len, "Unknown value for %s. Allowed values are listed in "
			                      "docs/vocabulary.md.", name);
			return -1;
		}
		*bits |= (uint64_t)1 << k;
	}
	return 0;
}

int
params_search(const struct query *q, struct search_query *sq, const char **param, char *detail,
              size_t len)
{
	search_query_init(sq);
	const char *v;
	long n;

	if ((v = nonempty(query_get(q, "q"))) != NULL) {
		if (strlen(v) > PARAM_Q_MAX)
			return bad(param, "q", detail, len, "Search words are limited to 200 characters.");
		sq->words = v;
	}
	if ((v = nonempty(query_get(q, "location"))) != NULL) {
		if (strlen(v) > PARAM_LOCATION_MAX)
			return bad(param, "location", detail, len,
			           "Location is limited to 100 characters.");
		sq->location = v;
	}
	if ((v = nonempty(query_get(q, "remote"))) != NULL) {
		if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
			sq->remote = 1;
		else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
			sq->remote = 0;
		else if (strcmp(v, "any") != 0)
			return bad(param, "remote", detail, len, "remote must be true, false or any.");
	}
	uint64_t bits = 0;
	if (parse_multi(q, "type", vocab_employment_types, vocab_employment_types_count, &bits,
	                param, detail, len) != 0)
		return -1;
	sq->types = (uint32_t)bits;
	bits = 0;
	if (parse_multi(q, "level", vocab_levels, vocab_levels_count, &bits, param, detail, len) !=
	    0)
		return -1;
	sq->levels = (uint32_t)bits;
	if (parse_multi(q, "accommodation", vocab_accommodations, vocab_accommodations_count,
	                &sq->accommodations, param, detail, len) != 0)
		return -1;
	if ((v = nonempty(query_get(q, "min_salary"))) != NULL) {
		if (!parse_long(v, 0, 10000000, &n))
			return bad(param, "min_salary", detail, len,
			           "min_salary must be a whole number from 0 to 10000000.");
		sq->min_salary = n;
	}
	if ((v = nonempty(query_get(q, "sort"))) != NULL) {
		if (strcmp(v, "relevance") == 0)
			sq->sort = SEARCH_SORT_RELEVANCE;
		else if (strcmp(v, "date") == 0)
			sq->sort = SEARCH_SORT_DATE;
		else if (strcmp(v, "salary") == 0)
			sq->sort = SEARCH_SORT_SALARY;
		else
			return bad(param, "sort", detail, len,
			           "sort must be relevance, date or salary.");
	}
	if ((v = nonempty(query_get(q, "page"))) != NULL) {
		if (!parse_long(v, 1, SEARCH_MAX_PAGE, &n))
			return bad(param, "page", detail, len,
			           "page must be a whole number from 1 to 500.");
		sq->page = (int)n;
	}
	if ((v = nonempty(query_get(q, "per_page"))) != NULL) {
		if (!parse_long(v, 1, SEARCH_MAX_PER_PAGE, &n))
			return bad(param, "per_page", detail, len,
			           "per_page must be a whole number from 1 to 100.");
		sq->per_page = (int)n;
	}
	return 0;
}

static void
qs_add(struct buf *out, const char *key, const char *value)
{
	if (out->len)
		buf_putc(out, '&');
	buf_puts(out, key);
	buf_putc(out, '=');
	html_urlenc(out, value);
}

void
params_search_qs(struct buf *out, const struct search_query *sq, int page)
{
	if (sq->words)
		qs_add(out, "q", sq->words);
	if (sq->location)
		qs_add(out, "location", sq->location);
	if (sq->remote >= 0)
		qs_add(out, "remote", sq->remote ? "true" : "false");
	for (size_t i = 0; i < vocab_employment_types_count; i++)
		if (sq->types & (1u << i))
			qs_add(out, "type", vocab_employment_types[i].code);
	for (size_t i = 0; i < vocab_levels_count; i++)
		if (sq->levels & (1u << i))
			qs_add(out, "level", vocab_levels[i].code);
	for (size_t i = 0; i < vocab_accommodations_count; i++)
		if (sq->accommodations & ((uint64_t)1 << i))
			qs_add(out, "accommodation", vocab_accommodations[i].code);
	if (sq->min_salary > 0) {
		char tmp[24];
		snprintf(tmp, sizeof(tmp), "%lld", (long long)sq->min_salary);
		qs_add(out, "min_salary", tmp);
	}
	static const char *const sorts[] = {NULL, "relevance", "date", "salary"};
	if (sq->sort != SEARCH_SORT_DEFAULT)
		qs_add(out, "sort", sorts[sq->sort]);
	if (sq->per_page != SEARCH_DEFAULT_PER_PAGE) {
		char tmp[24];
		snprintf(tmp, sizeof(tmp), "%d", sq->per_page);
		qs_add(out, "per_page", tmp);
	}
	if (page > 1) {
		char tmp[24];
		snprintf(tmp, sizeof(tmp), "%d", page);
		qs_add(out, "page", tmp);
	}
}
