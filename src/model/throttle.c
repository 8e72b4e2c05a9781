/*
 * throttle.c - failure counting for sign-in, password-reset and 2FA attempts.
 *
 * Each failure is one auth_failures row per subject (the account's email and
 * the client address; IPv6 by /64). The decision reads the last hour of a
 * subject's rows (COUNT, MIN, MAX on the (kind, subject, at) index). A
 * refused attempt is recorded too, so hammering through a delay only makes
 * it longer; at the hourly limit nothing more is recorded, so the refusal
 * ends when the oldest failure is an hour old, as Retry-After says.
 *
 * Two attempts checked at the same instant by two workers may both pass:
 * the limits may be overrun by the number of concurrent attempts, never more.
 */
#include "model/throttle.h"

#include <stdio.h>
#include <string.h>

#include "core/clientaddr.h"
#include "core/dates.h"

#define WINDOW 3600
#define PRUNE_EVERY 100

struct rule {
	const char *kind;
	int64_t per_hour;
	int64_t free;
};

static const struct rule ACCOUNT = {"account", THROTTLE_ACCOUNT_PER_HOUR, THROTTLE_ACCOUNT_FREE};
static const struct rule IP = {"ip", THROTTLE_IP_PER_HOUR, THROTTLE_IP_FREE};

struct subject {
	const struct rule *rule;
	char name[320];
	int64_t n;     /* failures in the last hour */
	time_t oldest; /* of those */
	time_t last;
};

/* Fill the subjects present: the account (as given) and the IP (as its client key). */
static int
subjects(const char *account, const char *ip, struct subject out[2])
{
	int n = 0;
	if (account != NULL && account[0] != '\0') {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].rule = &ACCOUNT;
		snprintf(out[n].name, sizeof(out[n].name), "%s", account);
		n++;
	}
	if (ip != NULL && ip[0] != '\0') {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].rule = &IP;
		struct client_key k;
		char text[CLIENT_TEXT_LEN];
		if (client_key_parse(ip, &k)) {
			client_key_text(&k, text);
			snprintf(out[n].name, sizeof(out[n].name), "%s", text);
		} else {
			snprintf(out[n].name, sizeof(out[n].name), "%s", ip);
		}
		n++;
	}
	return n;
}

static int
load(struct db *db, struct subject *s, time_t now)
{
	char cutoff[INSTANT_LEN];
	instant_format(now - WINDOW, cutoff);
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*), MIN(at), MAX(at) FROM auth_failures "
	                                    "WHERE kind = ? AND subject = ? AND at > ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, s->rule->kind);
	db_bind_text(st, 2, s->name);
	db_bind_text(st, 3, cutoff);
	enum db_step_result r = db_step(st);
	s->n = 0;
	if (r == DB_ROW) {
		s->n = db_col_int(st, 0);
		const char *lo = db_col_text(st, 1), *hi = db_col_text(st, 2);
		if (s->n > 0 && (lo == NULL || hi == NULL || !date_parse(lo, false, &s->oldest) ||
		                 !date_parse(hi, false, &s->last)))
			r = DB_ERROR;
	}
	db_finalize(st);
	return r == DB_ROW ? 0 : -1;
}

/* Seconds this subject must still wait at now; 0 = go ahead. */
static int
wait_for(const struct subject *s, time_t now)
{
	if (s->n >= s->rule->per_hour) {
		time_t w = s->oldest + WINDOW - now;
		return w < 1 ? 1 : (int)w;
	}
	if (s->n < s->rule->free)
		return 0;
	int64_t over = s->n - s->rule->free;
	time_t gap = over >= 6 ? THROTTLE_MAX_DELAY : (time_t)1 << over;
	if (gap > THROTTLE_MAX_DELAY)
		gap = THROTTLE_MAX_DELAY;
	time_t w = s->last + gap - now;
	return w > 0 ? (int)w : 0;
}

static int
record(struct db *db, const struct subject *s, time_t now)
{
	char at[INSTANT_LEN];
	instant_format(now, at);
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO auth_failures (kind, subject, at) VALUES (?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, s->rule->kind);
	db_bind_text(st, 2, s->name);
	db_bind_text(st, 3, at);
	return db_run(st) == 1 ? 0 : -1;
}

int64_t
throttle_prune(struct db *db, time_t now)
{
	char cutoff[INSTANT_LEN];
	instant_format(now - THROTTLE_KEEP_SECONDS, cutoff);
	struct db_stmt *st = db_prepare(db, "DELETE FROM auth_failures WHERE at < ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, cutoff);
	return db_run(st);
}

/* Old rows go now and then, not on every attempt; a failed prune only leaves rows longer. */
static void
maybe_prune(struct db *db, time_t now)
{
	static unsigned calls;
	if (++calls % PRUNE_EVERY == 0)
		(void)throttle_prune(db, now);
}

int
throttle_check_at(struct db *db, const char *account, const char *ip, time_t now,
                  int *retry_after)
{
	*retry_after = 0;
	struct subject s[2];
	int n = subjects(account, ip, s);
	maybe_prune(db, now);
	bool refused = false;
	for (int i = 0; i < n; i++) {
		if (load(db, &s[i], now) != 0)
			return -1;
		refused |= wait_for(&s[i], now) > 0;
	}
	if (!refused)
		return 0;
	int wait = 1;
	for (int i = 0; i < n; i++) {
		if (s[i].n < s[i].rule->per_hour) {
			if (record(db, &s[i], now) != 0)
				return -1;
			if (s[i].n++ == 0)
				s[i].oldest = now;
			s[i].last = now;
		}
		int w = wait_for(&s[i], now);
		if (w > wait)
			wait = w;
	}
	*retry_after = wait;
	return 1;
}

int
throttle_fail_at(struct db *db, const char *account, const char *ip, time_t now)
{
	struct subject s[2];
	int n = subjects(account, ip, s);
	maybe_prune(db, now);
	for (int i = 0; i < n; i++) {
		if (record(db, &s[i], now) != 0)
			return -1;
	}
	return 0;
}

int
throttle_check(struct db *db, const char *account, const char *ip, int *retry_after)
{
	return throttle_check_at(db, account, ip, time(NULL), retry_after);
}

int
throttle_fail(struct db *db, const char *account, const char *ip)
{
	return throttle_fail_at(db, account, ip, time(NULL));
}
