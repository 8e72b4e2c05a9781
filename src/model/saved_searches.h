/*
 * saved_searches.h - saved job searches, their private RSS tokens and the
 * alerts that tell their owner about new matching jobs.
 *
 * A saved search stores the canonical query string of its filters
 * (search/params.h), so running it later means exactly what the person
 * saw. Its RSS link carries a random token of which only the hash is
 * stored: the link is shown once, and a new one can be made at any time.
 *
 * Alerts: a job is news for a search when it matches, was added after the
 * search was saved, and is not yet in saved_search_seen. Claiming it there
 * (insert-or-ignore) and the notification commit together, so a job is
 * never announced twice for one search, however many workers run alerts.
 */
#ifndef BEACON_MODEL_SAVED_SEARCHES_H
#define BEACON_MODEL_SAVED_SEARCHES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/token.h"
#include "db/db.h"

#define SAVED_NAME_MAX 100     /* characters of a name */
#define SAVED_NAME_BYTES (SAVED_NAME_MAX * 4)
#define SAVED_QUERY_MAX 1000   /* bytes of a canonical query string */
#define SAVED_PER_USER_MAX 50  /* saved searches one person may keep */
#define SAVED_TOKEN_BYTES 32   /* random bytes of an RSS token */
#define SAVED_ALERT_JOBS 100   /* newest matches an alert run looks at */
#define SAVED_ALERTS_TASK "saved-search-alerts" /* the tasks.kind of the recurring run */
#define SAVED_ALERTS_EVERY 60  /* seconds between runs of the recurring task */
#define SAVED_INSTANT_TASK "saved-search-instant" /* the tasks.kind of a run right after new jobs */

/* How often alerts run for a search. */
enum saved_freq { SAVED_OFF = 0, SAVED_INSTANT = 1, SAVED_DAILY = 2 };

/* "off", "instant", "daily" */
const char *saved_freq_name(enum saved_freq f);
/* The frequency named s, or -1. */
int saved_freq_parse(const char *s);

struct saved_search {
	int64_t id;
	int64_t user_id;
	char name[SAVED_NAME_BYTES + 1];
	char query[SAVED_QUERY_MAX + 1];
	enum saved_freq freq;
	char created_at[PRECISE_LEN]; /* microseconds, as jobs.created_at: alerts compare them */
	char last_run_at[INSTANT_LEN]; /* "" when never run */
};

/*
 * The canonical query string of a search's filters (no page, page size or
 * order) from a raw query string, into out. Returns 0, or -1 with a
 * sentence in detail when the query is not a valid job search.
 */
int saved_canonical(const char *raw, struct buf *out, char *detail, size_t detail_len);

/*
 * Create a saved search for user_id. name: 1..SAVED_NAME_MAX characters of text
 * without control characters; query: canonical (saved_canonical). Writes
 * the new RSS token (shown once) into token. Returns the id, 0 when the
 * user already has SAVED_PER_USER_MAX searches, or -1.
 */
int64_t saved_create(struct db *db, int64_t user_id, const char *name, const char *query,
                     enum saved_freq freq, char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)]);

/* The user's saved searches, newest first, into out (max entries). n or -1. */
int saved_list(struct db *db, int64_t user_id, struct saved_search *out, int max);

/* One of the user's saved searches: 1 found, 0 not theirs or absent, -1 error. */
int saved_get(struct db *db, int64_t user_id, int64_t id, struct saved_search *out);

/*
 * Change a search of the user: name when not NULL, frequency when freq >= 0.
 * Returns 1 changed, 0 not theirs or absent, -1 error.
 */
int saved_update(struct db *db, int64_t user_id, int64_t id, const char *name, int freq);

/* A new RSS token for the search (the old link stops working). 1, 0 or -1 as saved_update. */
int saved_new_token(struct db *db, int64_t user_id, int64_t id,
                    char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)]);

/* Delete a search of the user (its seen jobs go with it). 1, 0 or -1. */
int saved_delete(struct db *db, int64_t user_id, int64_t id);

/* The search id whose RSS token is token: 1 found, 0 wrong token or id, -1 error. */
int saved_by_token(struct db *db, int64_t id, const char *token, struct saved_search *out);

/* True when name is an acceptable name. */
bool saved_name_ok(const char *name);

/*
 * Run the alert of one search now: find the newest matching jobs, claim
 * the new ones in saved_search_seen and notify the owner
 * (NOTIFY_SAVED_SEARCH) in one transaction; set last_run_at. Returns the
 * number of new jobs announced, or -1.
 */
int saved_run_alert(struct db *db, const struct saved_search *s);

/*
 * Run every due alert: instant searches each time, daily ones when their
 * last run is a day old. Returns the number of searches that announced new
 * jobs, or -1 on a database error.
 */
int saved_run_due(struct db *db);

/* As saved_run_due, for the instant searches only. */
int saved_run_instant(struct db *db);

/*
 * New or reopened jobs are in (call it in the transaction that adds them):
 * make sure a SAVED_INSTANT_TASK runs soon, so instant alerts go out within
 * seconds instead of at the next recurring run, which stays as the safety
 * net. A pending one is brought forward and reused, so a burst of jobs (an
 * import) makes one run. Updating the pending row locks it until the
 * caller commits, so on PostgreSQL no worker can claim it and search before
 * the new jobs are visible; a row a worker has already claimed is not
 * pending any more, and a new one is queued. 0 or -1.
 */
int saved_alerts_soon(struct db *db);

/* Register the alerts task handlers (parent, before fork). 0 or -1. */
int saved_setup(void);

/* Queue the recurring alerts task unless one is pending (hourly, every worker). */
void saved_schedule(struct db *db);

#endif
