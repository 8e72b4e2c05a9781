/*
 * saved_searches.c - saved searches, RSS tokens and alerts (see saved_searches.h).
 */
#include "saved_searches.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "core/query.h"
#include "core/utf8.h"
#include "model/notifications.h"
#include "model/tasks.h"
#include "search/params.h"
#include "search/search.h"

#define ALERT_BODY_JOBS 10 /* jobs an alert lists by name; the rest are counted */

const char *
saved_freq_name(enum saved_freq f)
{
	return f == SAVED_INSTANT ? "instant" : f == SAVED_DAILY ? "daily" : "off";
}

int
saved_freq_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "off") == 0)
		return SAVED_OFF;
	if (strcmp(s, "instant") == 0)
		return SAVED_INSTANT;
	if (strcmp(s, "daily") == 0)
		return SAVED_DAILY;
	return -1;
}

bool
saved_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > SAVED_NAME_BYTES || !utf8_valid(name, n) || utf8_has_control(name, n))
		return false;
	/* Counted in characters, as people count; spaces alone are no name. */
	return strpbrk(name, "\t\r\n") == NULL && utf8_count(name, n) <= SAVED_NAME_MAX &&
	       strspn(name, " ") < n;
}

int
saved_canonical(const char *raw, struct buf *out, char *detail, size_t detail_len)
{
	struct query q;
	char bad[QUERY_MAX_KEY + 1];
	if (query_parse(&q, raw ? raw : "", raw ? strlen(raw) : 0, bad, sizeof(bad)) != QUERY_OK) {
		snprintf(detail, detail_len, "The search could not be read.");
		return -1;
	}
	struct search_query sq;
	const char *param = NULL;
	int r = params_search(&q, &sq, &param, detail, detail_len);
	if (r == 0) {
		/* The filters only: order and paging are how one looks at results, not what. */
		sq.sort = SEARCH_SORT_DEFAULT;
		sq.per_page = SEARCH_DEFAULT_PER_PAGE;
		buf_reset(out);
		params_search_qs(out, &sq, 0);
		if (out->len > SAVED_QUERY_MAX) {
			snprintf(detail, detail_len, "This search is too long to save.");
			r = -1;
		}
	}
	query_free(&q);
	return r;
}

static void
row_to(struct db_stmt *st, struct saved_search *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->user_id = db_col_int(st, 1);
	snprintf(s->name, sizeof(s->name), "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
	snprintf(s->query, sizeof(s->query), "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
	int f = saved_freq_parse(db_col_text(st, 4));
	s->freq = f < 0 ? SAVED_OFF : (enum saved_freq)f;
	snprintf(s->created_at, sizeof(s->created_at), "%s",
	         db_col_text(st, 5) ? db_col_text(st, 5) : "");
	snprintf(s->last_run_at, sizeof(s->last_run_at), "%s",
	         db_col_text(st, 6) ? db_col_text(st, 6) : "");
}

#define COLS "id, user_id, name, query, frequency, created_at, last_run_at"

int64_t
saved_create(struct db *db, int64_t user_id, const char *name, const char *query,
             enum saved_freq freq, char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)])
{
	if (!saved_name_ok(name) || query == NULL || strlen(query) > SAVED_QUERY_MAX)
		return -1;
	char hash[TOKEN_HASH_SIZE], now[PRECISE_LEN];
	token_random(token, SAVED_TOKEN_BYTES);
	token_hash(token, hash);
	instant_now_precise(now);
	/* The count and the insert in one write transaction: the limit holds under races. */
	if (db_begin_write(db) != 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM saved_searches WHERE user_id = ?");
	int64_t n = -1;
	if (st != NULL) {
		db_bind_int(st, 1, user_id);
		n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
		db_finalize(st);
	}
	int64_t id = -1;
	if (n >= SAVED_PER_USER_MAX) {
		id = 0;
	} else if (n >= 0 &&
	           (st = db_prepare(db, "INSERT INTO saved_searches (user_id, name, query, frequency, "
	                                "rss_token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) "
	                                "RETURNING id")) != NULL) {
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, query);
		db_bind_text(st, 4, saved_freq_name(freq));
		db_bind_text(st, 5, hash);
		db_bind_text(st, 6, now);
		if (db_step(st) == DB_ROW)
			id = db_col_int(st, 0);
		if (id > 0 && db_step(st) != DB_DONE)
			id = -1;
		db_finalize(st);
	}
	if (id >= 0 && db_commit(db) == 0)
		return id;
	db_rollback(db);
	return -1;
}

int
saved_list(struct db *db, int64_t user_id, struct saved_search *out, int max)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLS " FROM saved_searches WHERE user_id = ? "
	                                    "ORDER BY id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, max);
	int n = 0;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW && n < max)
		row_to(st, &out[n++]);
	db_finalize(st);
	return r == DB_ERROR ? -1 : n;
}

int
saved_get(struct db *db, int64_t user_id, int64_t id, struct saved_search *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " COLS " FROM saved_searches WHERE id = ? AND user_id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, user_id);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		row_to(st, out);
	db_finalize(st);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int
saved_update(struct db *db, int64_t user_id, int64_t id, const char *name, int freq)
{
	if ((name != NULL && !saved_name_ok(name)) || freq > SAVED_DAILY)
		return -1;
	struct db_stmt *st = db_prepare(
	    db, "UPDATE saved_searches SET name = COALESCE(?, name), frequency = COALESCE(?, "
	        "frequency) WHERE id = ? AND user_id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, freq >= 0 ? saved_freq_name((enum saved_freq)freq) : NULL);
	db_bind_int(st, 3, id);
	db_bind_int(st, 4, user_id);
	int64_t n = db_run(st);
	return n < 0 ? -1 : n > 0;
}

int
saved_new_token(struct db *db, int64_t user_id, int64_t id,
                char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)])
{
	char hash[TOKEN_HASH_SIZE];
	token_random(token, SAVED_TOKEN_BYTES);
	token_hash(token, hash);
	struct db_stmt *st = db_prepare(
	    db, "UPDATE saved_searches SET rss_token_hash = ? WHERE id = ? AND user_id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, user_id);
	int64_t n = db_run(st);
	return n < 0 ? -1 : n > 0;
}

int
saved_delete(struct db *db, int64_t user_id, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM saved_searches WHERE id = ? AND user_id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, user_id);
	int64_t n = db_run(st);
	return n < 0 ? -1 : n > 0;
}

int
saved_by_token(struct db *db, int64_t id, const char *token, struct saved_search *out)
{
	if (token == NULL || token[0] == '\0' || strlen(token) > 128)
		return 0;
	char hash[TOKEN_HASH_SIZE];
	token_hash(token, hash);
	/* The lookup is by hash: timing reveals nothing about the token itself. */
	struct db_stmt *st = db_prepare(
	    db, "SELECT " COLS " FROM saved_searches WHERE id = ? AND rss_token_hash = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, hash);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		row_to(st, out);
	db_finalize(st);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

/* ---- alerts ---- */

/* Run the search's filters: the newest SAVED_ALERT_JOBS open matches. 0 or -1. */
static int
run_search(struct db *db, const struct saved_search *s, struct search_result *r)
{
	struct query q;
	if (query_parse(&q, s->query, strlen(s->query), NULL, 0) != QUERY_OK)
		return -1;
	struct search_query sq;
	const char *param = NULL;
	char detail[160];
	int rc = params_search(&q, &sq, &param, detail, sizeof(detail));
	if (rc == 0) {
		sq.sort = SEARCH_SORT_DATE;
		sq.page = 1;
		sq.per_page = SAVED_ALERT_JOBS;
		rc = search_jobs(db, &sq, r);
	}
	query_free(&q);
	return rc;
}

static int
touch_run(struct db *db, int64_t id, const char *now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE saved_searches SET last_run_at = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	return db_run(st) < 0 ? -1 : 0;
}

int
saved_run_alert(struct db *db, const struct saved_search *s)
{
	struct search_result r;
	if (run_search(db, s, &r) != 0)
		return -1;
	char now[INSTANT_LEN];
	instant_now(now);
	if (db_begin_write(db) != 0) {
		search_result_free(&r);
		return -1;
	}
	const char *base = config_get() ? config_get()->base_url : "";
	struct buf body = {0};
	int fresh = 0;
	bool failed = false;
	for (size_t i = 0; i < r.njobs && !failed; i++) {
		/* Added after the search was saved, and never announced for it before. */
		struct db_stmt *st = db_prepare(
		    db, "INSERT INTO saved_search_seen (saved_search_id, job_id, at) SELECT ?, id, ? "
		        "FROM jobs WHERE id = ? AND created_at >= ? "
		        "ON CONFLICT (saved_search_id, job_id) DO NOTHING");
		if (st == NULL) {
			failed = true;
			break;
		}
		db_bind_int(st, 1, s->id);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, r.jobs[i].id);
		db_bind_text(st, 4, s->created_at);
		int64_t n = db_run(st);
		if (n < 0) {
			failed = true;
		} else if (n > 0) {
			if (fresh < ALERT_BODY_JOBS)
				buf_printf(&body, "- %s, %s\n  %s/jobs/%" PRId64 "\n", r.jobs[i].title,
				           r.jobs[i].company, base, r.jobs[i].id);
			fresh++;
		}
	}
	search_result_free(&r);
	if (!failed && fresh > ALERT_BODY_JOBS)
		buf_printf(&body, "And %d more.\n", fresh - ALERT_BODY_JOBS);
	if (!failed && fresh > 0) {
		char title[1024]; /* notify() cuts it to NOTIFY_TITLE_MAX with "…" */
		snprintf(title, sizeof(title), "%d new job%s for your saved search \"%s\"", fresh,
		         fresh == 1 ? "" : "s", s->name);
		/* The search page itself when its address fits, else the list of saved searches. */
		char link[NOTIFY_LINK_MAX + 1];
		int n = snprintf(link, sizeof(link), "/jobs?%s%ssort=date", s->query,
		                 s->query[0] ? "&" : "");
		if (n < 0 || (size_t)n >= sizeof(link))
			snprintf(link, sizeof(link), "/saved-searches");
		failed = notify(db, s->user_id, NOTIFY_SAVED_SEARCH, title, link, buf_cstr(&body)) < 0;
	}
	buf_free(&body);
	if (!failed)
		failed = touch_run(db, s->id, now) != 0;
	if (!failed && db_commit(db) == 0)
		return fresh;
	log_warn("saved search %" PRId64 " alert failed: %s", s->id, db_errmsg(db));
	db_rollback(db);
	return -1;
}

/* The due alerts (instant_only: of the instant searches), in pages by id. */
static int
run_selected(struct db *db, bool instant_only)
{
	char day_ago[INSTANT_LEN];
	instant_format(time(NULL) - 24 * 3600, day_ago);
	int announced = 0;
	int64_t after = 0;
	for (;;) {
		/* Pages by id, so a long list never holds a statement open across the runs. */
		struct saved_search batch[32];
		struct db_stmt *st = db_prepare(
		    db, "SELECT " COLS " FROM saved_searches WHERE id > ? AND (frequency = 'instant' "
		        "OR (? = 0 AND frequency = 'daily' AND (last_run_at IS NULL OR "
		        "last_run_at <= ?))) ORDER BY id LIMIT 32");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, after);
		db_bind_int(st, 2, instant_only ? 1 : 0);
		db_bind_text(st, 3, day_ago);
		int n = 0;
		enum db_step_result r;
		while ((r = db_step(st)) == DB_ROW && n < 32)
			row_to(st, &batch[n++]);
		db_finalize(st);
		if (r == DB_ERROR)
			return -1;
		for (int i = 0; i < n; i++) {
			int got = saved_run_alert(db, &batch[i]);
			if (got > 0)
				announced++;
			after = batch[i].id;
		}
		if (n < 32)
			return announced;
	}
}

int
saved_run_due(struct db *db)
{
	return run_selected(db, false);
}

int
saved_run_instant(struct db *db)
{
	return run_selected(db, true);
}

int
saved_alerts_soon(struct db *db)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE tasks SET run_at = ?, updated_at = ? WHERE kind = ? "
	                                    "AND status = 'pending'");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, SAVED_INSTANT_TASK);
	int64_t n = db_run(st);
	if (n != 0)
		return n > 0 ? 0 : -1;
	return tasks_enqueue(db, SAVED_INSTANT_TASK, NULL, now) > 0 ? 0 : -1;
}

static enum task_result
instant_task(struct db *db, const struct task *task, char *err, size_t errlen)
{
	(void)task;
	if (saved_run_instant(db) < 0) {
		snprintf(err, errlen, "instant alerts: %s", db_errmsg(db));
		return TASK_RETRY;
	}
	return TASK_DONE;
}

static enum task_result
alerts_task(struct db *db, const struct task *task, char *err, size_t errlen)
{
	(void)task;
	int r = saved_run_due(db);
	char at[INSTANT_LEN];
	instant_format(time(NULL) + SAVED_ALERTS_EVERY, at);
	if (notify_schedule_once(db, SAVED_ALERTS_TASK, at) != 0) {
		snprintf(err, errlen, "alerts: cannot queue the next run");
		return TASK_RETRY;
	}
	if (r < 0) {
		snprintf(err, errlen, "alerts: %s", db_errmsg(db));
		return TASK_RETRY;
	}
	return TASK_DONE;
}

int
saved_setup(void)
{
	if (tasks_register(SAVED_ALERTS_TASK, alerts_task) != 0)
		return -1;
	return tasks_register(SAVED_INSTANT_TASK, instant_task);
}

void
saved_schedule(struct db *db)
{
	if (notify_schedule_once(db, SAVED_ALERTS_TASK, NULL) != 0)
		log_warn("cannot schedule saved-search alerts: %s", db_errmsg(db));
}
