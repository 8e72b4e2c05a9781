/*
 * sessions.c - web sessions and emailed single-use tokens.
 */
#include "sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "core/token.h"

bool
token_text_valid(const char *s)
{
	if (s == NULL || strlen(s) != TOKEN_TEXT_LEN)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

static void
instant_in(long seconds, char out[INSTANT_LEN])
{
	instant_format(time(NULL) + seconds, out);
}

int
sessions_create(struct db *db, int64_t user_id, bool mfa_pending, int max_hours,
                const char *auth_at, const char *ip, const char *user_agent, char *token,
                int64_t *id)
{
	char hash[65], now[INSTANT_LEN], expires[INSTANT_LEN];
	token_random(token, 32);
	token_hash(token, hash);
	instant_now(now);
	instant_in((long)max_hours * 3600, expires);
	char ua[201];
	snprintf(ua, sizeof(ua), "%s", user_agent ? user_agent : "");
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO sessions (token_hash, user_id, mfa_pending, created_at, last_seen_at, "
	        "expires_at, auth_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, mfa_pending ? 1 : 0);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, expires);
	db_bind_text(st, 7, auth_at != NULL && auth_at[0] != '\0' ? auth_at : now);
	db_bind_text(st, 8, ip);
	db_bind_text(st, 9, ua);
	return db_returning_id(st, id) == 1 ? 0 : -1;
}

/* A sessions_lookup row into arg (a struct session). */
static void
session_from_row(struct db_stmt *st, void *arg)
{
	struct session *s = arg;
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->user_id = db_col_int(st, 1);
	s->mfa_pending = db_col_int(st, 2) != 0;
	snprintf(s->created_at, sizeof(s->created_at), "%s", db_col_text(st, 3));
	snprintf(s->last_seen_at, sizeof(s->last_seen_at), "%s", db_col_text(st, 4));
	snprintf(s->auth_at, sizeof(s->auth_at), "%s", db_col_text(st, 5));
}

int
sessions_lookup(struct db *db, const char *token, int idle_minutes, struct session *s)
{
	if (!token_text_valid(token))
		return 0;
	char hash[65], now[INSTANT_LEN], idle[INSTANT_LEN], touch[INSTANT_LEN];
	token_hash(token, hash);
	instant_now(now);
	instant_in(-(long)idle_minutes * 60, idle);
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, user_id, mfa_pending, created_at, last_seen_at, auth_at FROM sessions "
	        "WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, idle);
	int rc = db_one(st, session_from_row, s);
	if (rc != 1)
		return rc;
	/* One write a minute at most keeps reads cheap while the idle clock stays accurate. */
	instant_in(-60, touch);
	if (strcmp(s->last_seen_at, touch) < 0) {
		st = db_prepare(db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?");
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, now);
		db_bind_int(st, 2, s->id);
		if (db_run(st) < 0)
			return -1;
	}
	return 1;
}

int
sessions_revoke(struct db *db, int64_t id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st =
	    db_prepare(db, "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	return db_run(st) < 0 ? -1 : 0;
}

int
sessions_revoke_user(struct db *db, int64_t user_id, int64_t keep_id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE sessions SET revoked_at = ? WHERE user_id = ? "
	                                    "AND id <> ? AND revoked_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, keep_id);
	return db_run(st) < 0 ? -1 : 0;
}

int
sessions_mark_authenticated(struct db *db, int64_t id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st =
	    db_prepare(db, "UPDATE sessions SET auth_at = ?, mfa_pending = 0 WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	return db_run(st) < 0 ? -1 : 0;
}

bool
sessions_recent_auth(const struct session *s, int seconds)
{
	char since[INSTANT_LEN];
	instant_in(-(long)seconds, since);
	return strcmp(s->auth_at, since) >= 0;
}

int
etokens_issue(struct db *db, int64_t user_id, const char *purpose, const char *new_email,
              int minutes, char *token)
{
	char hash[65], now[INSTANT_LEN], expires[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE email_tokens SET used_at = ? WHERE user_id = ? "
	                                    "AND purpose = ? AND used_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, purpose);
	if (db_run(st) < 0)
		return -1;
	token_random(token, 32);
	token_hash(token, hash);
	instant_in((long)minutes * 60, expires);
	st = db_prepare(db, "INSERT INTO email_tokens (user_id, purpose, token_hash, new_email, "
	                    "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, purpose);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, new_email);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, expires);
	return db_run(st) < 0 ? -1 : 0;
}

struct etoken_use {
	int64_t *user_id;
	char **new_email; /* NULL: not wanted */
};

static void
etoken_from_row(struct db_stmt *st, void *arg)
{
	struct etoken_use *u = arg;
	*u->user_id = db_col_int(st, 0);
	if (u->new_email != NULL && db_col_text(st, 1) != NULL)
		*u->new_email = xstrdup(db_col_text(st, 1));
}

int
etokens_consume(struct db *db, const char *purpose, const char *token, int64_t *user_id,
                char **new_email)
{
	if (new_email != NULL)
		*new_email = NULL;
	if (!token_text_valid(token))
		return 0;
	char hash[65], now[INSTANT_LEN];
	token_hash(token, hash);
	instant_now(now);
	/* The conditional UPDATE is the single point of use: only one caller gets the row back. */
	struct db_stmt *st = db_prepare(
	    db, "UPDATE email_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? "
	        "AND used_at IS NULL AND expires_at > ? RETURNING user_id, new_email");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, hash);
	db_bind_text(st, 3, purpose);
	db_bind_text(st, 4, now);
	return db_one_write(st, etoken_from_row,
	                    &(struct etoken_use){.user_id = user_id, .new_email = new_email});
}

int
etokens_revoke_user(struct db *db, int64_t user_id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db, "UPDATE email_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, user_id);
	return db_run(st) < 0 ? -1 : 0;
}
