/*
 * sessions.h - web sessions and emailed single-use tokens.
 *
 * A session id is 256 random bits sent only in the cookie; the database
 * holds its keyed hash, so a copy of the database does not sign anyone in.
 * Sessions end at the idle timeout, at the absolute limit, or when revoked
 * (sign-out, sign-out everywhere, password change, account disabled).
 */
#ifndef BEACON_MODEL_SESSIONS_H
#define BEACON_MODEL_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/dates.h"
#include "db/db.h"

/* Length of a session id or emailed token as text (32 bytes, base64url). */
#define TOKEN_TEXT_LEN 43

struct session {
	int64_t id;
	int64_t user_id;
	bool mfa_pending; /* password accepted, second factor still due */
	char created_at[INSTANT_LEN];
	char last_seen_at[INSTANT_LEN];
	char auth_at[INSTANT_LEN]; /* last time the password (and code) was given */
};

/*
 * Start a session for user_id lasting at most max_hours. auth_at is when the
 * password was last given (NULL = now: it was given for this session).
 * Writes the id to put in the cookie into token (TOKEN_TEXT_LEN + 1 bytes).
 * Returns 0 or -1.
 */
int sessions_create(struct db *db, int64_t user_id, bool mfa_pending, int max_hours,
                    const char *auth_at, const char *ip, const char *user_agent, char *token,
                    int64_t *id);

/*
 * Find the live session for a cookie value: not revoked, not past its
 * absolute expiry, seen within idle_minutes. Refreshes last_seen_at (at
 * most once a minute). 1 found, 0 none, -1 database error.
 */
int sessions_lookup(struct db *db, const char *token, int idle_minutes, struct session *s);

/* Revoke one session. 0 or -1. */
int sessions_revoke(struct db *db, int64_t id);
/* Revoke every session of a user except keep_id (0 = all). 0 or -1. */
int sessions_revoke_user(struct db *db, int64_t user_id, int64_t keep_id);
/* The password (and second factor) were just given again: auth_at = now, mfa done. */
int sessions_mark_authenticated(struct db *db, int64_t id);
/* True when the session's last authentication is younger than seconds. */
bool sessions_recent_auth(const struct session *s, int seconds);

/* Purposes of emailed tokens (email_tokens.purpose). */
#define ETOKEN_VERIFY "verify"
#define ETOKEN_RESET "reset"
#define ETOKEN_EMAIL_CHANGE "email_change"

/*
 * Issue a single-use emailed token for user_id valid for minutes; earlier
 * unused tokens of the same purpose are invalidated. new_email only for
 * email changes. Writes the token text (TOKEN_TEXT_LEN + 1). 0 or -1.
 */
int etokens_issue(struct db *db, int64_t user_id, const char *purpose, const char *new_email,
                  int minutes, char *token);

/*
 * Use a token: when it exists for purpose, is unused and unexpired, marks it
 * used (once, even under races) and returns 1 with *user_id and, for email
 * changes, *new_email (caller frees). 0 = invalid or used, -1 = error.
 */
int etokens_consume(struct db *db, const char *purpose, const char *token, int64_t *user_id,
                    char **new_email);

/* Cancel every unused emailed token of user_id (after a password or address change). 0 or -1. */
int etokens_revoke_user(struct db *db, int64_t user_id);

/* True when s looks like a token we issued (length and alphabet), before any lookup. */
bool token_text_valid(const char *s);

#endif
