/*
 * twofactor.c - TOTP second factor and recovery codes (see twofactor.h).
 *
 * The TOTP secret is stored sealed (core/seal.h) with the row's place as
 * associated data. Recovery codes carry about 49 bits, too few for a plain
 * hash to resist an offline search of a stolen database, so they are
 * stored as a keyed BLAKE2b hash under a subkey of the server secret.
 */
#include "twofactor.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/seal.h"
#include "core/secrets.h"
#include "core/totp.h"
#include "core/buf.h"
#include "model/audit.h"
#include "model/mail.h"
#include "model/refresh.h"
#include "model/sessions.h"
#include "model/throttle.h"

static void
totp_aad(int64_t user_id, char out[64])
{
	snprintf(out, 64, "users.totp_secret:%lld", (long long)user_id);
}

static void
id_text(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

static void
recovery_hash(const char canonical[TOTP_RECOVERY_SIZE], char out[65])
{
	unsigned char key[SECRETS_SUBKEY_BYTES], h[32];
	secrets_subkey("recovery", key);
	crypto_generichash(h, sizeof(h), (const unsigned char *)canonical, strlen(canonical), key,
	                   sizeof(key));
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* The secret of u into out (TOTP_SECRET_BYTES); 0 or -1. */
static int
open_secret(const struct user *u, unsigned char out[TOTP_SECRET_BYTES])
{
	if (u->totp_secret == NULL)
		return -1;
	char aad[64];
	totp_aad(u->id, aad);
	struct buf pt = {0};
	int rc = -1;
	if (seal_decrypt(u->totp_secret, aad, &pt) == 0 && pt.len == TOTP_SECRET_BYTES) {
		memcpy(out, pt.data, TOTP_SECRET_BYTES);
		rc = 0;
	}
	if (pt.data)
		sodium_memzero(pt.data, pt.len);
	buf_free(&pt);
	return rc;
}

/* 1 when code is u's current TOTP code never used before (the step is claimed), 0, -1. */
static int
totp_accept(struct db *db, const struct user *u, const char *code)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	if (open_secret(u, secret) != 0)
		return -1;
	int64_t step = 0;
	int ok = totp_verify(secret, sizeof(secret), code, time(NULL), u->totp_last_step, &step);
	sodium_memzero(secret, sizeof(secret));
	if (ok != 0)
		return 0;
	return users_claim_totp_step(db, u->id, step);
}

static int
recovery_accept(struct db *db, const struct user *u, const char *canonical)
{
	char hash[65], now[INSTANT_LEN];
	recovery_hash(canonical, hash);
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? "
	                                    "AND code_hash = ? AND used_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, u->id);
	db_bind_text(st, 3, hash);
	int64_t n = db_run(st);
	return n < 0 ? -1 : n > 0 ? 1 : 0;
}

int
twofactor_check(struct db *db, const struct user *u, const char *code, const char *ip,
                int *retry_after)
{
	int t = throttle_check(db, u->email, ip, retry_after);
	if (t != 0)
		return t < 0 ? -1 : 2;
	char target[24];
	id_text(u->id, target);
	char canonical[TOTP_RECOVERY_SIZE];
	int ok = 0;
	const char *event = "auth.2fa.success";
	if (code != NULL && u->totp_enabled) {
		if (totp_recovery_normalize(code, canonical) == 0) {
			ok = recovery_accept(db, u, canonical);
			event = "auth.2fa.recovery_code_used";
		} else {
			ok = totp_accept(db, u, code);
		}
	}
	if (ok < 0)
		return -1;
	if (ok == 0) {
		if (throttle_fail(db, u->email, ip) != 0 ||
		    audit_log(db, u->id, ip, "auth.2fa.failure", "user", target, NULL) != 0)
			return -1;
		return 0;
	}
	return audit_log(db, u->id, ip, event, "user", target, NULL) == 0 ? 1 : -1;
}

int
twofactor_begin(struct db *db, const struct user *u, struct buf *secret_text, struct buf *uri)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	struct buf sealed = {0};
	int rc = -1;
	bool pending = !u->totp_enabled && u->totp_secret != NULL && open_secret(u, secret) == 0;
	if (!pending) {
		char aad[64];
		totp_aad(u->id, aad);
		totp_secret_new(secret);
		if (seal_encrypt(secret, sizeof(secret), aad, &sealed) != 0 ||
		    users_set_totp(db, u->id, buf_cstr(&sealed), false) != 0)
			goto out;
	}
	{
		totp_secret_base32(secret, sizeof(secret), true, secret_text);
		totp_uri(secret, sizeof(secret), u->email, uri);
		rc = 0;
	}
out:
	sodium_memzero(secret, sizeof(secret));
	buf_free(&sealed);
	return rc;
}

/* Replace u's recovery codes inside the caller's transaction; codes receives them. */
static int
store_recovery_codes(struct db *db, int64_t user_id, struct buf *codes)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM recovery_codes WHERE user_id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	if (db_run(st) < 0)
		return -1;
	for (int i = 0; i < RECOVERY_CODES; i++) {
		char code[TOTP_RECOVERY_SIZE], canonical[TOTP_RECOVERY_SIZE], hash[65];
		totp_recovery_code(code);
		if (totp_recovery_normalize(code, canonical) != 0)
			return -1;
		recovery_hash(canonical, hash);
		st = db_prepare(db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, hash);
		if (db_run(st) != 1)
			return -1;
		buf_puts(codes, code);
		buf_putc(codes, '\n');
	}
	return 0;
}

/* End other sessions and API tokens and tell the owner: 2FA changed (inside a transaction). */
static int
after_change(struct db *db, const struct user *u, int64_t keep_session, const char *what)
{
	struct buf b = {0};
	buf_printf(&b, "Hello,\n\nTwo-factor sign-in for your Beacon account was %s. Other "
	               "sign-ins and app tokens were ended.\n\nIf this was not you, reset your "
	               "password now and contact us.\n\n-- Beacon\n",
	           what);
	int64_t queued = mail_queue(db, u->email, "Two-factor sign-in changed", buf_cstr(&b));
	buf_free(&b);
	return queued > 0 && sessions_revoke_user(db, u->id, keep_session) == 0 &&
	               refresh_revoke_user(db, u->id) == 0
	           ? 0
	           : -1;
}

int
twofactor_forget_pending(struct db *db, const struct user *u)
{
	if (u->totp_enabled || u->totp_secret == NULL)
		return 0;
	return users_set_totp(db, u->id, NULL, false);
}

int
twofactor_enable(struct db *db, const struct user *u, const char *code, const char *ip,
                 int64_t keep_session, struct buf *codes)
{
	if (u->totp_secret == NULL || u->totp_enabled)
		return 0;
	int ok = code != NULL ? totp_accept(db, u, code) : 0;
	if (ok != 1)
		return ok;
	char target[24];
	id_text(u->id, target);
	if (db_begin_write(db) != 0)
		return -1;
	if (users_set_totp(db, u->id, u->totp_secret, true) == 0 &&
	    store_recovery_codes(db, u->id, codes) == 0 &&
	    after_change(db, u, keep_session, "turned on") == 0 &&
	    audit_log(db, u->id, ip, "auth.2fa.enabled", "user", target, NULL) == 0)
		return db_commit(db) == 0 ? 1 : -1;
	db_rollback(db);
	buf_reset(codes);
	return -1;
}

int
twofactor_disable(struct db *db, const struct user *u, int64_t actor_id, const char *ip,
                  int64_t keep_session)
{
	char target[24];
	id_text(u->id, target);
	if (db_begin_write(db) != 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "DELETE FROM recovery_codes WHERE user_id = ?");
	if (st != NULL)
		db_bind_int(st, 1, u->id);
	if (st != NULL && db_run(st) >= 0 && users_set_totp(db, u->id, NULL, false) == 0 &&
	    after_change(db, u, keep_session, "turned off") == 0 &&
	    audit_log(db, actor_id, ip, "auth.2fa.disabled", "user", target, NULL) == 0)
		return db_commit(db) == 0 ? 0 : -1;
	db_rollback(db);
	return -1;
}

int
twofactor_new_recovery_codes(struct db *db, const struct user *u, const char *ip,
                             struct buf *codes)
{
	char target[24];
	id_text(u->id, target);
	if (db_begin_write(db) != 0)
		return -1;
	if (store_recovery_codes(db, u->id, codes) == 0 &&
	    audit_log(db, u->id, ip, "auth.2fa.recovery_codes_renewed", "user", target, NULL) == 0)
		return db_commit(db) == 0 ? 0 : -1;
	db_rollback(db);
	buf_reset(codes);
	return -1;
}

int
twofactor_recovery_left(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	int n = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}
