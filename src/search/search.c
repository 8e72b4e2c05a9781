/*
 * search.c - the first search engine: SQL over SQLite FTS5 or PostgreSQL
 * tsvector. SQL text is assembled from constant fragments only; every value
 * from the query is bound as a parameter.
 */
#include "search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "model/vocab.h"

const int64_t search_salary_bands[SEARCH_SALARY_BANDS] = {30000, 50000, 75000, 100000, 150000};

/* Which filter a facet query leaves out. */
enum facet_dim { DIM_NONE, DIM_TYPE, DIM_LEVEL, DIM_REMOTE, DIM_SALARY, DIM_LOCATION };

#define MAX_BINDS 48

struct sql {
	struct buf text;
	int n;
	bool is_text[MAX_BINDS];
	int64_t ints[MAX_BINDS];
	char *texts[MAX_BINDS];
};

static void
bind_int(struct sql *s, int64_t v)
{
	if (s->n >= MAX_BINDS)
		abort(); /* the builder below never asks for more */
	s->is_text[s->n] = false;
	s->ints[s->n++] = v;
}

static void
bind_text(struct sql *s, const char *v)
{
	if (s->n >= MAX_BINDS)
		abort();
	s->is_text[s->n] = true;
	s->texts[s->n++] = xstrdup(v);
}

static void
sql_free(struct sql *s)
{
	for (int i = 0; i < s->n; i++)
		if (s->is_text[i])
			free(s->texts[i]);
	buf_free(&s->text);
	memset(s, 0, sizeof(*s));
}

static struct db_stmt *
sql_prepare(struct db *db, struct sql *s)
{
	struct db_stmt *st = db_prepare(db, buf_cstr(&s->text));
	if (st == NULL) {
		log_error("search query failed to prepare: %s", db_errmsg(db));
		return NULL;
	}
	for (int i = 0; i < s->n; i++) {
		if (s->is_text[i])
			db_bind_text(st, i + 1, s->texts[i]);
		else
			db_bind_int(st, i + 1, s->ints[i]);
	}
	return st;
}

/*
 * English stop words, the list PostgreSQL's english configuration drops.
 * Both engines drop them here, so a search means the same on either.
 * Sorted for bsearch.
 */
static const char *const stop_words[] = {
    "a",       "about",    "above",      "after",   "again",  "against", "all",     "am",
    "an",      "and",      "any",        "are",     "as",     "at",      "be",      "because",
    "been",    "before",   "being",      "below",   "between", "both",   "but",     "by",
    "can",     "did",      "do",         "does",    "doing",  "don",     "down",    "during",
    "each",    "few",      "for",        "from",    "further", "had",    "has",     "have",
    "having",  "he",       "her",        "here",    "hers",   "herself", "him",     "himself",
    "his",     "how",      "i",          "if",      "in",     "into",    "is",      "it",
    "its",     "itself",   "just",       "me",      "more",   "most",    "my",      "myself",
    "no",      "nor",      "not",        "now",     "of",     "off",     "on",      "once",
    "only",    "or",       "other",      "our",     "ours",   "ourselves", "out",   "over",
    "own",     "s",        "same",       "she",     "should", "so",      "some",    "such",
    "t",       "than",     "that",       "the",     "their",  "theirs",  "them",    "themselves",
    "then",    "there",    "these",      "they",    "this",   "those",   "through", "to",
    "too",     "under",    "until",      "up",      "very",   "was",     "we",      "were",
    "what",    "when",     "where",      "which",   "while",  "who",     "whom",    "why",
    "will",    "with",     "you",        "your",    "yours",  "yourself", "yourselves",
};

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool
is_stop_word(const unsigned char *w, size_t n)
{
	char low[16];
	if (n >= sizeof(low))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (w[i] >= 0x80)
			return false;
		low[i] = (char)tolower(w[i]);
	}
	low[n] = '\0';
	const char *key = low;
	return bsearch(&key, stop_words, sizeof(stop_words) / sizeof(stop_words[0]),
	               sizeof(stop_words[0]), cmp_word) != NULL;
}

/* Punctuation, symbols, spaces and invalid bytes separate words; letters and digits do not. */
static bool
is_separator(uint32_t cp, size_t len)
{
	if (cp < 0x80)
		return !isalnum((int)cp);
	if (len == 1 && cp == 0xFFFD)
		return true; /* an invalid byte */
	if (cp <= 0xBF)
		return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
	return cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
	       (cp >= 0x20A0 && cp <= 0x20CF) || (cp >= 0x2190 && cp <= 0x2BFF) ||
	       (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	       (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

size_t
search_words(const char *text, struct buf *out)
{
	size_t count = 0;
	if (text == NULL)
		return 0;
	const unsigned char *p = (const unsigned char *)text;
	size_t left = strlen(text);
	while (left > 0 && count < SEARCH_MAX_WORDS) {
		uint32_t cp;
		size_t len = utf8_decode((const char *)p, left, &cp);
		if (is_separator(cp, len)) {
			p += len;
			left -= len;
			continue;
		}
		const unsigned char *start = p;
		size_t n = 0;
		while (left > 0) {
			len = utf8_decode((const char *)p, left, &cp);
			if (is_separator(cp, len))
				break;
			/* At most 64 bytes a word, never cutting a character. */
			if (n + len <= 64)
				n += len;
			p += len;
			left -= len;
		}
		if (is_stop_word(start, n))
			continue;
		if (count++)
			buf_putc(out, ' ');
		buf_append(out, start, n);
	}
	return count;
}

/* FTS5 wants each word quoted so operators in user text mean nothing. */
static char *
fts5_expression(const char *words)
{
	struct buf b = {0};
	const char *p = words;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (b.len)
			buf_putc(&b, ' ');
		buf_putc(&b, '"');
		buf_append(&b, p, n);
		buf_putc(&b, '"');
		p += n + (sp ? 1 : 0);
	}
	return buf_steal(&b);
}

struct plan {
	enum db_kind kind;
	char *words;   /* normalised words or NULL */
	char *fts;     /* FTS5 expression (SQLite) */
	char now[INSTANT_LEN];
	char *loc_parts[SEARCH_MAX_LOCATION_PARTS];
	size_t nloc;
};

static void
plan_free(struct plan *p)
{
	free(p->words);
	free(p->fts);
	for (size_t i = 0; i < p->nloc; i++)
		free(p->loc_parts[i]);
}

/* "%|austin|%" with LIKE's special characters escaped by backslash. */
static char *
like_pattern(const char *part, size_t n)
{
	struct buf b = {0};
	buf_puts(&b, "%|");
	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)part[i]);
		if (c == '|')
			continue;
		if (c == '%' || c == '_' || c == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, c);
	}
	buf_puts(&b, "|%");
	return buf_steal(&b);
}

static void
plan_init(struct plan *p, struct db *db, const struct search_query *q)
{
	memset(p, 0, sizeof(*p));
	p->kind = db_kind(db);
	instant_now(p->now);
	struct buf w = {0};
	if (search_words(q->words, &w) > 0) {
		p->words = buf_steal(&w);
		if (p->kind == DB_SQLITE)
			p->fts = fts5_expression(p->words);
	}
	buf_free(&w);
	const char *l = q->location;
	while (l && *l && p->nloc < SEARCH_MAX_LOCATION_PARTS) {
		const char *comma = strchr(l, ',');
		size_t n = comma ? (size_t)(comma - l) : strlen(l);
		const char *s = l;
		size_t m = n;
		while (m > 0 && isspace((unsigned char)*s)) {
			s++;
			m--;
		}
		while (m > 0 && isspace((unsigned char)s[m - 1]))
			m--;
		if (m > 0)
			p->loc_parts[p->nloc++] = like_pattern(s, m);
		l += n + (comma ? 1 : 0);
	}
}

static void
append_in_list(struct sql *s, const char *column, uint32_t bits,
               const struct vocab_entry *table, size_t count)
{
	buf_puts(&s->text, " AND ");
	buf_puts(&s->text, column);
	buf_puts(&s->text, " IN (");
	int k = 0;
	for (size_t i = 0; i < count; i++) {
		if (!(bits & (1u << i)))
			continue;
		buf_puts(&s->text, k++ ? ",?" : "?");
		bind_text(s, table[i].code);
	}
	buf_puts(&s->text, ")");
}

/* FROM ... WHERE ... for q, leaving out the filter of dimension skip. */
static void
append_from_where(struct sql *s, const struct plan *p, const struct search_query *q,
                  enum facet_dim skip)
{
	if (p->words && p->kind == DB_SQLITE) {
		/*
		 * CROSS JOIN pins the order: FTS5 finds the matches first. A plain
		 * JOIN let the planner walk every open job and re-run MATCH for each.
		 */
		buf_puts(&s->text, " FROM jobs_fts CROSS JOIN jobs j ON j.id = jobs_fts.rowid"
		                   " WHERE jobs_fts MATCH ? AND");
		bind_text(s, p->fts);
	} else if (p->words) {
		buf_puts(&s->text, " FROM jobs j WHERE j.tsv @@ plainto_tsquery('english', ?) AND");
		bind_text(s, p->words);
	} else {
		buf_puts(&s->text, " FROM jobs j WHERE");
	}
	buf_puts(&s->text, " j.status = 'open' AND (j.valid_through IS NULL OR j.valid_through >= ?)");
	bind_text(s, p->now);
	for (size_t i = 0; i < p->nloc && skip != DIM_LOCATION; i++) {
		buf_puts(&s->text, " AND j.location_norm LIKE ? ESCAPE '\\'");
		bind_text(s, p->loc_parts[i]);
	}
	if (q->remote >= 0 && skip != DIM_REMOTE) {
		buf_puts(&s->text, " AND j.remote = ?");
		bind_int(s, q->remote);
	}
	if (q->types && skip != DIM_TYPE)
		append_in_list(s, "j.employment_type", q->types, vocab_employment_types,
		               vocab_employment_types_count);
	if (q->levels && skip != DIM_LEVEL)
		append_in_list(s, "j.experience_level", q->levels, vocab_levels, vocab_levels_count);
	if (q->accommodations) {
		buf_puts(&s->text, " AND (j.accommodations & ?) = ?");
		bind_int(s, (int64_t)q->accommodations);
		bind_int(s, (int64_t)q->accommodations);
	}
	if (q->min_salary > 0 && skip != DIM_SALARY) {
		buf_puts(&s->text, " AND j.salary_annual_max >= ?");
		bind_int(s, q->min_salary);
	}
}

static int
run_results(struct db *db, const struct plan *p, const struct search_query *q,
            struct search_result *r)
{
	struct sql s = {0};
	buf_puts(&s.text, "SELECT " JOB_COLUMNS);
	append_from_where(&s, p, q, DIM_NONE);
	switch (r->sort) {
	case SEARCH_SORT_RELEVANCE:
		if (p->kind == DB_SQLITE) {
			buf_puts(&s.text, " ORDER BY bm25(jobs_fts, 10.0, 4.0, 1.0), j.id DESC");
		} else {
			buf_puts(&s.text, " ORDER BY ts_rank(j.tsv, plainto_tsquery('english', ?))"
			                  " DESC, j.id DESC");
			bind_text(&s, p->words);
		}
		break;
	case SEARCH_SORT_SALARY:
		buf_puts(&s.text, " ORDER BY j.salary_annual_max DESC NULLS LAST, j.id DESC");
		break;
	default:
		buf_puts(&s.text, " ORDER BY j.date_posted DESC, j.id DESC");
	}
	buf_puts(&s.text, " LIMIT ? OFFSET ?");
	bind_int(&s, q->per_page);
	bind_int(&s, (int64_t)(q->page - 1) * q->per_page);
	int rc = -1;
	struct db_stmt *st = sql_prepare(db, &s);
	if (st == NULL)
		goto out;
	r->jobs = xcalloc((size_t)q->per_page, sizeof(struct job));
	enum db_step_result sr;
	while ((sr = db_step(st)) == DB_ROW && r->njobs < (size_t)q->per_page)
		job_from_row(st, 0, &r->jobs[r->njobs++]);
	if (sr == DB_ERROR)
		log_error("search query failed: %s", db_errmsg(db));
	else
		rc = 0;
	db_finalize(st);
out:
	sql_free(&s);
	return rc;
}

/*
 * Run an aggregate query that returns one row and copy its first n integer
 * columns into out. Frees s.
 */
static int
run_one_row(struct db *db, struct sql *s, int64_t *out, int n, const char *what)
{
	int rc = -1;
	struct db_stmt *st = sql_prepare(db, s);
	if (st != NULL && db_step(st) == DB_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = db_col_int(st, i);
		rc = 0;
	} else if (st != NULL) {
		log_error("%s failed: %s", what, db_errmsg(db));
	}
	db_finalize(st);
	sql_free(s);
	return rc;
}

/* Total and accommodation counts (conjunctive) in one pass. */
static int
run_totals(struct db *db, const struct plan *p, const struct search_query *q,
           struct search_result *r)
{
	struct sql s = {0};
	int64_t row[1 + SEARCH_MAX_ACCOMMODATIONS];
	buf_puts(&s.text, "SELECT COUNT(*)");
	for (size_t i = 0; i < vocab_accommodations_count; i++)
		buf_printf(&s.text, ", SUM(CASE WHEN (j.accommodations & %llu) <> 0 THEN 1 ELSE 0 END)",
		           1ULL << i);
	append_from_where(&s, p, q, DIM_NONE);
	if (run_one_row(db, &s, row, 1 + (int)vocab_accommodations_count, "search count") != 0)
		return -1;
	r->total = row[0];
	memcpy(r->accommodation_counts, row + 1, vocab_accommodations_count * sizeof(int64_t));
	return 0;
}

/* Counts per value of one column with that column's own filter left out. */
static int
run_group(struct db *db, const struct plan *p, const struct search_query *q, enum facet_dim dim,
          const char *column, const struct vocab_entry *table, size_t count, int64_t *out)
{
	struct sql s = {0};
	buf_puts(&s.text, "SELECT ");
	buf_puts(&s.text, column);
	buf_puts(&s.text, ", COUNT(*)");
	append_from_where(&s, p, q, dim);
	buf_puts(&s.text, " GROUP BY ");
	buf_puts(&s.text, column);
	int rc = -1;
	struct db_stmt *st = sql_prepare(db, &s);
	if (st == NULL)
		goto out;
	enum db_step_result sr;
	while ((sr = db_step(st)) == DB_ROW) {
		if (table == NULL) {
			int64_t v = db_col_int(st, 0);
			if (v == 0 || v == 1)
				out[v] = db_col_int(st, 1);
			continue;
		}
		int i = vocab_find(table, count, db_col_text(st, 0));
		if (i >= 0)
			out[i] = db_col_int(st, 1);
	}
	if (sr == DB_ERROR)
		log_error("search facet failed: %s", db_errmsg(db));
	else
		rc = 0;
	db_finalize(st);
out:
	sql_free(&s);
	return rc;
}

/* Jobs per salary band, with the salary filter left out. */
static int
run_salary(struct db *db, const struct plan *p, const struct search_query *q,
           struct search_result *r)
{
	struct sql s = {0};
	buf_puts(&s.text, "SELECT 0");
	for (int i = 0; i < SEARCH_SALARY_BANDS; i++)
		buf_printf(&s.text, ", SUM(CASE WHEN j.salary_annual_max >= %lld THEN 1 ELSE 0 END)",
		           (long long)search_salary_bands[i]);
	append_from_where(&s, p, q, DIM_SALARY);
	int64_t row[1 + SEARCH_SALARY_BANDS];
	if (run_one_row(db, &s, row, 1 + SEARCH_SALARY_BANDS, "search salary facet") != 0)
		return -1;
	memcpy(r->salary_counts, row + 1, sizeof(r->salary_counts));
	return 0;
}

static char *
col_dup(struct db_stmt *st, int i)
{
	const char *v = db_col_text(st, i);
	return v ? xstrdup(v) : NULL;
}

/* The places with the most matching jobs, the location filter left out. */
static int
run_locations(struct db *db, const struct plan *p, const struct search_query *q,
              struct search_result *r)
{
	struct sql s = {0};
	buf_puts(&s.text, "SELECT j.city, j.region, j.country, COUNT(*)");
	append_from_where(&s, p, q, DIM_LOCATION);
	buf_puts(&s.text, " AND j.location_norm <> '|' GROUP BY j.city, j.region, j.country"
	                  " ORDER BY COUNT(*) DESC, COALESCE(j.city, ''), COALESCE(j.region, ''),"
	                  " COALESCE(j.country, '') LIMIT ?");
	bind_int(&s, SEARCH_TOP_LOCATIONS);
	int rc = -1;
	struct db_stmt *st = sql_prepare(db, &s);
	if (st == NULL)
		goto out;
	enum db_step_result sr;
	while ((sr = db_step(st)) == DB_ROW && r->nlocations < SEARCH_TOP_LOCATIONS) {
		struct search_location *l = &r->locations[r->nlocations++];
		l->city = col_dup(st, 0);
		l->region = col_dup(st, 1);
		l->country = col_dup(st, 2);
		l->count = db_col_int(st, 3);
	}
	if (sr == DB_ERROR)
		log_error("search location facet failed: %s", db_errmsg(db));
	else
		rc = 0;
	db_finalize(st);
out:
	sql_free(&s);
	return rc;
}

void
search_query_init(struct search_query *q)
{
	memset(q, 0, sizeof(*q));
	q->remote = -1;
	q->page = 1;
	q->per_page = SEARCH_DEFAULT_PER_PAGE;
}

int
search_jobs(struct db *db, const struct search_query *q, struct search_result *r)
{
	memset(r, 0, sizeof(*r));
	struct plan p;
	plan_init(&p, db, q);
	r->sort = q->sort;
	if (r->sort == SEARCH_SORT_DEFAULT)
		r->sort = p.words ? SEARCH_SORT_RELEVANCE : SEARCH_SORT_DATE;
	if (r->sort == SEARCH_SORT_RELEVANCE && p.words == NULL)
		r->sort = SEARCH_SORT_DATE;
	int rc = -1;
	if (run_results(db, &p, q, r) != 0 || run_totals(db, &p, q, r) != 0 ||
	    run_group(db, &p, q, DIM_TYPE, "j.employment_type", vocab_employment_types,
	              vocab_employment_types_count, r->type_counts) != 0 ||
	    run_group(db, &p, q, DIM_LEVEL, "j.experience_level", vocab_levels, vocab_levels_count,
	              r->level_counts) != 0 ||
	    run_group(db, &p, q, DIM_REMOTE, "j.remote", NULL, 2, r->remote_counts) != 0 ||
	    run_salary(db, &p, q, r) != 0 || run_locations(db, &p, q, r) != 0)
		goto out;
	rc = 0;
out:
	plan_free(&p);
	if (rc != 0)
		search_result_free(r);
	return rc;
}

void
search_result_free(struct search_result *r)
{
	for (size_t i = 0; i < r->njobs; i++)
		job_free(&r->jobs[i]);
	free(r->jobs);
	r->jobs = NULL;
	r->njobs = 0;
	for (size_t i = 0; i < r->nlocations; i++) {
		free(r->locations[i].city);
		free(r->locations[i].region);
		free(r->locations[i].country);
	}
	r->nlocations = 0;
}
