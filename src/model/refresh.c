/*
 * refresh.c - rotating refresh tokens with reuse detection.
 */
#include "refresh.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/token.h"
#include "model/sessions.h"

/* expires_at NULL: REFRESH_TOKEN_DAYS from now (a new sign-in). */
static int
insert_token(struct db *db, int64_t user_id, const char *family, const char *expires_at,
             char *token)
{
	char hash[TOKEN_HASH_SIZE], now[INSTANT_LEN], expires[INSTANT_LEN];
	token_random(token, 32);
	token_hash(token, hash);
	instant_now(now);
	if (expires_at != NULL)
		snprintf(expires, sizeof(expires), "%.20s", expires_at);
	else
		instant_format(time(NULL) + (time_t)REFRESH_TOKEN_DAYS * 86400, expires);
	struct db_stmt *st = db_prepare(db, "INSERT INTO refresh_tokens (family, user_id, token_hash, "
	                                    "created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, family);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, expires);
	return db_run(st) < 0 ? -1 : 0;
}

int
refresh_issue(struct db *db, int64_t user_id, const char *family, char *token)
{
	char fam[TOKEN_TEXT_SIZE(16)];
	if (family == NULL) {
		token_random(fam, 16);
		family = fam;
	}
	return insert_token(db, user_id, family, NULL, token);
}

static int
revoke_family(struct db *db, const char *family)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE refresh_tokens SET revoked_at = ? "
	                                    "WHERE family = ? AND revoked_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, family);
	return db_run(st) < 0 ? -1 : 0;
}

/*
 * The lookup and the "mark used" are one transaction with the write lock
 * taken first, so two clients racing with the same token cannot both get
 * a successor: the second sees it used and revokes the family.
 */
enum refresh_result
refresh_rotate(struct db *db, const char *token, int64_t *user_id, char *new_token)
{
	if (!token_text_valid(token))
		return REFRESH_INVALID;
	char hash[TOKEN_HASH_SIZE], now[INSTANT_LEN], family[64] = "", expires[INSTANT_LEN] = "";
	token_hash(token, hash);
	instant_now(now);
	if (db_begin_write(db) != 0)
		return REFRESH_ERROR;
	enum refresh_result res = REFRESH_ERROR;
	struct db_stmt *st = db_prepare(
	    db, db_kind(db) == DB_POSTGRES
	            ? "SELECT id, family, user_id, used_at, revoked_at, expires_at FROM refresh_tokens "
	              "WHERE token_hash = ? FOR UPDATE"
	            : "SELECT id, family, user_id, used_at, revoked_at, expires_at FROM refresh_tokens "
	              "WHERE token_hash = ?");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, hash);
	enum db_step_result r = db_step(st);
	if (r != DB_ROW) {
		db_finalize(st);
		res = r == DB_DONE ? REFRESH_INVALID : REFRESH_ERROR;
		goto out;
	}
	int64_t id = db_col_int(st, 0);
	snprintf(family, sizeof(family), "%s", db_col_text(st, 1));
	*user_id = db_col_int(st, 2);
	bool used = !db_col_is_null(st, 3), revoked = !db_col_is_null(st, 4);
	bool expired = strcmp(db_col_text(st, 5), now) <= 0;
	snprintf(expires, sizeof(expires), "%.20s", db_col_text(st, 5));
	db_finalize(st);
	if (used) {
		res = revoke_family(db, family) == 0 ? REFRESH_REUSED : REFRESH_ERROR;
		goto out;
	}
	if (revoked || expired) {
		res = REFRESH_INVALID;
		goto out;
	}
	st = db_prepare(db, "UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	/* The successor keeps the family's end: a sign-in lasts REFRESH_TOKEN_DAYS at most. */
	if (db_run(st) != 1 || insert_token(db, *user_id, family, expires, new_token) != 0)
		goto out;
	res = REFRESH_OK;
out:
	if (res == REFRESH_ERROR) {
		db_rollback(db);
		return res;
	}
	return db_commit(db) == 0 ? res : REFRESH_ERROR;
}

int
refresh_revoke_token(struct db *db, const char *token)
{
	if (!token_text_valid(token))
		return 0;
	char hash[TOKEN_HASH_SIZE], family[64];
	token_hash(token, hash);
	struct db_stmt *st = db_prepare(db, "SELECT family FROM refresh_tokens WHERE token_hash = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		snprintf(family, sizeof(family), "%s", db_col_text(st, 0));
	db_finalize(st);
	if (r != DB_ROW)
		return r == DB_DONE ? 0 : -1;
	return revoke_family(db, family) == 0 ? 1 : -1;
}

int
refresh_revoke_user(struct db *db, int64_t user_id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE refresh_tokens SET revoked_at = ? "
	                                    "WHERE user_id = ? AND revoked_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, user_id);
	return db_run(st) < 0 ? -1 : 0;
}
