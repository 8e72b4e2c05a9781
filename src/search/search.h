/*
 * search.h - job search: words, filters, facet counts, sorting, paging.
 *
 * The only way the rest of Beacon searches jobs. The engine behind it
 * (today SQLite FTS5 or PostgreSQL tsvector, chosen by the connection) may
 * be replaced; callers depend on this contract only:
 *  - words are stemmed and all must match (title, skills, description;
 *    title weighs most, then skills);
 *  - only open jobs whose validThrough has not passed are found;
 *  - multi-value filters (types, levels) match any of the chosen values,
 *    accommodations match only jobs offering all chosen ones;
 *  - facet counts for types, levels, remote, salary and the top locations
 *    are "what you would get if you changed this filter" (the filter itself
 *    is left out), and
 *    accommodation counts are "what remains if you add this one";
 *  - every order ends with the job id, so paging is stable.
 */
#ifndef BEACON_SEARCH_SEARCH_H
#define BEACON_SEARCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "model/jobs.h"

#define SEARCH_MAX_PER_PAGE 100
#define SEARCH_DEFAULT_PER_PAGE 20
#define SEARCH_MAX_PAGE 500
#define SEARCH_MAX_WORDS 16
#define SEARCH_MAX_LOCATION_PARTS 3
#define SEARCH_SALARY_BANDS 5
#define SEARCH_MAX_ACCOMMODATIONS 64
#define SEARCH_TOP_LOCATIONS 10

enum search_sort { SEARCH_SORT_DEFAULT = 0, SEARCH_SORT_RELEVANCE, SEARCH_SORT_DATE, SEARCH_SORT_SALARY };

/* The annual amounts the salary facet counts (jobs paying at least this much). */
extern const int64_t search_salary_bands[SEARCH_SALARY_BANDS];

struct search_query {
	const char *words;    /* free text; NULL or "" for none */
	const char *location; /* "City", "City, Region", "Country", ...; NULL for any */
	int remote;           /* -1 any, 0 on-site only, 1 remote only */
	uint32_t types;       /* bit i = vocab_employment_types[i]; 0 = any */
	uint32_t levels;      /* bit i = vocab_levels[i]; 0 = any */
	uint64_t accommodations; /* all of these bits must be offered */
	int64_t min_salary;   /* annual amount the job's maximum must reach; 0 = none */
	enum search_sort sort; /* DEFAULT = relevance with words, else date */
	int page;             /* 1-based, <= SEARCH_MAX_PAGE */
	int per_page;         /* 1..SEARCH_MAX_PER_PAGE */
};

struct search_location {
	char *city, *region, *country; /* any may be NULL */
	int64_t count;
};

struct search_result {
	int64_t total;
	struct job *jobs;
	size_t njobs;
	enum search_sort sort; /* the order actually used */
	int64_t type_counts[16];
	int64_t level_counts[8];
	int64_t remote_counts[2]; /* [0] on-site, [1] remote */
	int64_t salary_counts[SEARCH_SALARY_BANDS];
	int64_t accommodation_counts[SEARCH_MAX_ACCOMMODATIONS];
	/* The places with the most jobs, most first (location filter left out). */
	struct search_location locations[SEARCH_TOP_LOCATIONS];
	size_t nlocations;
};

/* A query with every filter off: remote -1, page 1, default page size. */
void search_query_init(struct search_query *q);

/*
 * Run q. Returns 0 and fills r (free with search_result_free), or -1 on a
 * database error (the reason is logged).
 */
int search_jobs(struct db *db, const struct search_query *q, struct search_result *r);
void search_result_free(struct search_result *r);

/*
 * The words of text as the engine will match them: split on anything that
 * is not a letter or digit (ASCII punctuation, Latin-1 and general
 * punctuation, symbols, CJK and full-width punctuation, emoji, invalid
 * bytes), English stop words dropped (the same list on both databases), at
 * most SEARCH_MAX_WORDS words of at most 64 bytes. Appends them to out
 * separated by single spaces and returns how many.
 */
size_t search_words(const char *text, struct buf *out);

#endif
