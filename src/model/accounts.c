/*
 * accounts.c - the account flows shared by pages and API (see accounts.h).
 */
#include "accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/password.h"
#include "model/audit.h"
#include "model/mail.h"
#include "model/refresh.h"
#include "model/sessions.h"
#include "model/throttle.h"
#include "model/twofactor.h"

const char *
accounts_password_message(const char *code)
{
	if (code == NULL)
		return "Choose another password.";
	if (strcmp(code, "too_short") == 0)
		return "Use at least 15 characters. A few unrelated words make a good password.";
	if (strcmp(code, "too_long") == 0)
		return "Use at most 128 characters.";
	if (strcmp(code, "invalid_utf8") == 0)
		return "The password holds characters we cannot read.";
	if (strcmp(code, "common") == 0)
		return "This password is too common. Choose one that others would not guess.";
	if (strcmp(code, "repetitive") == 0)
		return "This password repeats characters or follows a simple sequence.";
	if (strcmp(code, "contains_email") == 0)
		return "Do not use your email address in your password.";
	return "Choose another password.";
}

static void
link_to(struct buf *b, const char *path, const char *token)
{
	buf_puts(b, config_get()->base_url);
	buf_puts(b, path);
	buf_puts(b, "?token=");
	buf_puts(b, token); /* base64url: safe in a URL as is */
}

/* Messages with this subject queued to this address within the last seconds; -1 on error. */
static int
count_recent_mail(struct db *db, const char *to, const char *subject, long seconds)
{
	char since[INSTANT_LEN];
	instant_format(time(NULL) - seconds, since);
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND "
	                                    "subject = ? AND created_at > ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, subject);
	db_bind_text(st, 3, since);
	int n = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

static int
queue(struct db *db, const char *to, const char *subject, struct buf *body)
{
	int64_t id = mail_queue(db, to, subject, buf_cstr(body));
	buf_free(body);
	return id > 0 ? 0 : -1;
}

int
accounts_send_verification(struct db *db, const struct user *u)
{
	char token[TOKEN_TEXT_LEN + 1];
	if (etokens_issue(db, u->id, ETOKEN_VERIFY, NULL, VERIFY_TOKEN_MINUTES, token) != 0)
		return -1;
	struct buf b = {0};
	/* No name chosen by whoever signed up: this goes to an address nobody has proven yet. */
	buf_puts(&b, "Hello,\n\nPlease confirm your email address for Beacon by opening this "
	             "link:\n\n");
	link_to(&b, "/verify-email", token);
	buf_puts(&b, "\n\nThe link works for 48 hours. If you did not create a Beacon account, "
	             "you can ignore this message.\n\n-- Beacon\n");
	sodium_memzero(token, sizeof(token));
	return queue(db, u->email, "Confirm your email address", &b);
}

/* Checks shared by sign-up, reset and change: returns the message or NULL. */
static const char *
password_problem(const char *pw, const char *email)
{
	const char *code = NULL;
	if (pw == NULL || pw[0] == '\0')
		return "Enter a password.";
	return password_check(pw, strlen(pw), email, &code) == 0 ? NULL
	                                                          : accounts_password_message(code);
}

int
accounts_register(struct db *db, const char *email_in, const char *password,
                  const char *display_name, const char *role_in, const char *ip,
                  struct field_errors *fe)
{
	char email[EMAIL_MAX + 1];
	bool email_ok = email_normalise(email_in, email);
	if (!email_ok)
		ferr_add(fe, "email", "Enter an email address like name@example.org.");
	char *name = display_name_clean(display_name);
	if (name == NULL)
		ferr_add(fe, "display_name", "Enter your name (up to 100 characters).");
	int role = role_parse(role_in);
	if (!(role & ROLES_SELF_SERVICE))
		ferr_add(fe, "role", "Choose job seeker, entrepreneur or employer.");
	const char *pw_problem = password_problem(password, email_ok ? email : NULL);
	if (pw_problem)
		ferr_add(fe, "password", pw_problem);
	if (fe->n > 0) {
		free(name);
		return 1;
	}
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(password, strlen(password), hash, sizeof(hash)) != 0) {
		free(name);
		log_error("password hashing failed during sign-up");
		return -1;
	}
	int rc = -1;
	if (db_begin_write(db) != 0)
		goto out;
	int64_t id = 0;
	int made = users_create(db, email, hash, role, name, false, &id);
	if (made < 0)
		goto rollback;
	if (made == 1) {
		/* Taken: tell the owner (once a day at most), answer exactly as for a new account. */
		int recent = count_recent_mail(db, email, "You already have a Beacon account", 24 * 3600);
		if (recent < 0)
			goto rollback;
		if (recent > 0) {
			rc = db_commit(db) == 0 ? 0 : -1;
			goto out;
		}
		struct buf b = {0};
		buf_puts(&b, "Hello,\n\nSomeone tried to create a Beacon account with this email "
		             "address, which already has one. If it was you, sign in, or reset your "
		             "password here:\n\n");
		buf_puts(&b, config_get()->base_url);
		buf_puts(&b, "/password/forgot\n\nIf it was not you, you can ignore this message.\n\n"
		             "-- Beacon\n");
		if (queue(db, email, "You already have a Beacon account", &b) != 0 ||
		    audit_log(db, 0, ip, "auth.signup.existing", "user", NULL, NULL) != 0)
			goto rollback;
	} else {
		struct user u = {.id = id, .email = email, .display_name = name};
		char target[24];
		snprintf(target, sizeof(target), "%lld", (long long)id);
		char detail[64];
		snprintf(detail, sizeof(detail), "{\"role\":\"%s\"}", role_name(role));
		if (accounts_send_verification(db, &u) != 0 ||
		    audit_log(db, id, ip, "auth.signup", "user", target, detail) != 0)
			goto rollback;
	}
	rc = db_commit(db) == 0 ? 0 : -1;
	goto out;
rollback:
	db_rollback(db);
out:
	sodium_memzero(hash, sizeof(hash));
	free(name);
	return rc;
}

/*
 * A fixed Argon2id hash to verify against when the address is unknown, so
 * the answer takes as long as for a real account. Made once per process.
 */
static const char *
dummy_hash(void)
{
	static char hash[PASSWORD_HASH_SIZE];
	if (hash[0] == '\0') {
		char pw[32];
		randombytes_buf(pw, sizeof(pw));
		if (password_hash(pw, sizeof(pw), hash, sizeof(hash)) != 0)
			hash[0] = '\0';
	}
	return hash;
}

static void
id_text(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

enum signin_result
accounts_signin(struct db *db, const char *email_in, const char *password, const char *ip,
                struct user *u, int *retry_after)
{
	char email[EMAIL_MAX + 1];
	bool email_ok = email_normalise(email_in, email);
	const char *account = email_ok ? email : NULL;
	int t = throttle_check(db, account, ip, retry_after);
	if (t < 0)
		return SIGNIN_ERROR;
	if (t > 0) {
		audit_log(db, 0, ip, "auth.signin.throttled", "email", account, NULL);
		return SIGNIN_THROTTLED;
	}
	size_t pwlen = password ? strlen(password) : 0;
	int found = email_ok ? users_by_email(db, email, u) : 0;
	if (found < 0)
		return SIGNIN_ERROR;
	bool ok;
	if (found == 1) {
		ok = password && password_verify(u->password_hash, password, pwlen) && !u->disabled;
	} else {
		password_verify(dummy_hash(), password ? password : "", pwlen);
		ok = false;
	}
	if (!ok) {
		char target[24] = "";
		if (found == 1)
			id_text(u->id, target);
		if (throttle_fail(db, account, ip) != 0 ||
		    audit_log(db, found == 1 ? u->id : 0, ip, "auth.signin.failure",
		              found == 1 ? "user" : "email", found == 1 ? target : account,
		              found == 1 && u->disabled ? "{\"reason\":\"disabled\"}" : NULL) != 0) {
			if (found == 1)
				user_free(u);
			return SIGNIN_ERROR;
		}
		if (found == 1)
			user_free(u);
		return SIGNIN_BAD;
	}
	if (password_needs_rehash(u->password_hash)) {
		char hash[PASSWORD_HASH_SIZE];
		if (password_hash(password, pwlen, hash, sizeof(hash)) == 0)
			users_set_password(db, u->id, hash);
	}
	char target[24];
	id_text(u->id, target);
	if (u->totp_enabled)
		return audit_log(db, u->id, ip, "auth.signin.password_ok", "user", target, NULL) == 0
		           ? SIGNIN_NEED_CODE
		           : SIGNIN_ERROR;
	if (audit_log(db, u->id, ip, "auth.signin.success", "user", target, NULL) != 0) {
		user_free(u);
		return SIGNIN_ERROR;
	}
	return SIGNIN_OK;
}

int
accounts_verify_email(struct db *db, const char *token, const char *ip, int64_t *user_id)
{
	char *new_email = NULL;
	if (db_begin_write(db) != 0)
		return -1;
	int rc = etokens_consume(db, ETOKEN_VERIFY, token, user_id, NULL);
	if (rc == 0)
		rc = etokens_consume(db, ETOKEN_EMAIL_CHANGE, token, user_id, &new_email);
	char target[24];
	if (rc == 1) {
		id_text(*user_id, target);
		if (new_email != NULL) {
			struct user old;
			int found = users_get(db, *user_id, &old);
			int set = found == 1 ? users_set_email(db, *user_id, new_email) : -1;
			struct buf note = {0};
			buf_printf(&note, "Hello,\n\nThe email address of your Beacon account was changed "
			                  "to %s. If this was not you, contact us at once.\n\n-- Beacon\n",
			           new_email);
			if (set == 1) {
				rc = 2;
			} else if (set != 0 || users_mark_verified(db, *user_id) != 0 ||
			           /* Links sent to the old address (or for other changes) stop working. */
			           etokens_revoke_user(db, *user_id) != 0 ||
			           queue(db, old.email, "Your Beacon email address was changed", &note) != 0 ||
			           audit_log(db, *user_id, ip, "account.email.changed", "user", target,
			                     NULL) != 0) {
				rc = -1;
			}
			buf_free(&note);
			if (found == 1)
				user_free(&old);
		} else if (users_mark_verified(db, *user_id) != 0 ||
		           audit_log(db, *user_id, ip, "account.email.verified", "user", target,
		                     NULL) != 0) {
			rc = -1;
		}
	}
	free(new_email);
	if (rc < 0 || rc == 2) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) == 0 ? rc : -1;
}

/* Reset links sent to one account per hour at most; more are dropped silently. */
#define RESETS_PER_HOUR 3

int
accounts_forgot(struct db *db, const char *email_in, const char *ip)
{
	char email[EMAIL_MAX + 1];
	if (!email_normalise(email_in, email))
		return 0;
	struct user u;
	int found = users_by_email(db, email, &u);
	if (found <= 0)
		return found;
	int rc = -1;
	char token[TOKEN_TEXT_LEN + 1], target[24];
	id_text(u.id, target);
	int recent = count_recent_mail(db, u.email, "Reset your Beacon password", 3600);
	if (recent < 0)
		goto out;
	if (u.disabled || recent >= RESETS_PER_HOUR) {
		rc = 0;
		goto out;
	}
	if (db_begin_write(db) != 0)
		goto out;
	if (etokens_issue(db, u.id, ETOKEN_RESET, NULL, RESET_TOKEN_MINUTES, token) == 0) {
		struct buf b = {0};
		buf_puts(&b, "Hello,\n\nSomeone asked to reset the password of your Beacon "
		             "account. To choose a new password, open this link:\n\n");
		link_to(&b, "/password/reset", token);
		buf_puts(&b, "\n\nThe link works once, for one hour. If you did not ask for this, "
		             "ignore this message: your password stays as it is.\n\n-- Beacon\n");
		if (queue(db, u.email, "Reset your Beacon password", &b) == 0 &&
		    audit_log(db, u.id, ip, "auth.reset.requested", "user", target, NULL) == 0)
			rc = 0;
	}
	sodium_memzero(token, sizeof(token));
	if (rc == 0)
		rc = db_commit(db) == 0 ? 0 : -1;
	else
		db_rollback(db);
out:
	user_free(&u);
	return rc;
}

/* Store a new password and end every session and refresh token but keep_session. */
static int
set_password_everywhere(struct db *db, int64_t user_id, const char *password,
                        int64_t keep_session)
{
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(password, strlen(password), hash, sizeof(hash)) != 0)
		return -1;
	int rc = users_set_password(db, user_id, hash) == 0 &&
	                 sessions_revoke_user(db, user_id, keep_session) == 0 &&
	                 refresh_revoke_user(db, user_id) == 0 &&
	                 etokens_revoke_user(db, user_id) == 0
	             ? 0
	             : -1;
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
accounts_reset(struct db *db, const char *token, const char *password, const char *ip,
               struct field_errors *fe)
{
	int64_t user_id = 0;
	if (db_begin_write(db) != 0)
		return -1;
	int used = etokens_consume(db, ETOKEN_RESET, token, &user_id, NULL);
	if (used != 1) {
		db_rollback(db);
		return used == 0 ? 2 : -1;
	}
	struct user u;
	int found = users_get(db, user_id, &u);
	if (found != 1) {
		db_rollback(db);
		return found == 0 ? 2 : -1;
	}
	const char *problem = password_problem(password, u.email);
	if (problem != NULL) {
		/* The token stays usable: roll back its use along with everything else. */
		ferr_add(fe, "password", problem);
		db_rollback(db);
		user_free(&u);
		return 1;
	}
	char target[24];
	id_text(user_id, target);
	int rc = -1;
	struct buf note = {0};
	buf_puts(&note, "Hello,\n\nThe password of your Beacon account was reset and every "
	                "sign-in was ended. If this was not you, reset it again now and contact "
	                "us.\n\n-- Beacon\n");
	/*
	 * Opening the emailed link proves the address. If it had never been
	 * proven, whoever made the account may not be its owner: anything they
	 * set up (a second factor, recovery codes) goes.
	 */
	bool wipe = !u.email_verified && (u.totp_secret != NULL || u.totp_enabled);
	if (set_password_everywhere(db, user_id, password, 0) == 0 &&
	    (u.email_verified || users_mark_verified(db, user_id) == 0) &&
	    (!wipe || twofactor_disable(db, &u, user_id, ip, 0) == 0) &&
	    (u.email_verified || twofactor_forget_pending(db, &u) == 0) &&
	    queue(db, u.email, "Your Beacon password was reset", &note) == 0 &&
	    audit_log(db, user_id, ip, "auth.reset.completed", "user", target, NULL) == 0)
		rc = db_commit(db) == 0 ? 0 : -1;
	else
		db_rollback(db);
	buf_free(&note);
	user_free(&u);
	return rc;
}

/*
 * The current password given again for a change: throttled and audited like
 * a sign-in. 1 right, 0 wrong, 2 throttled, -1 error.
 */
static int
current_password_ok(struct db *db, const struct user *u, const char *password, const char *ip)
{
	int retry = 0;
	int t = throttle_check(db, u->email, ip, &retry);
	if (t != 0)
		return t < 0 ? -1 : 2;
	if (password != NULL && password_verify(u->password_hash, password, strlen(password)))
		return 1;
	char target[24];
	id_text(u->id, target);
	if (throttle_fail(db, u->email, ip) != 0 ||
	    audit_log(db, u->id, ip, "auth.reauth.failure", "user", target, NULL) != 0)
		return -1;
	return 0;
}

int
accounts_change_password(struct db *db, const struct user *u, const char *current,
                         const char *new_password, int64_t keep_session, const char *ip,
                         struct field_errors *fe)
{
	int pw = current_password_ok(db, u, current, ip);
	if (pw < 0)
		return -1;
	if (pw == 2)
		ferr_add(fe, "current_password", "Too many attempts. Wait a little, then try again.");
	else if (pw == 0)
		ferr_add(fe, "current_password", "This is not your current password.");
	const char *problem = password_problem(new_password, u->email);
	if (problem)
		ferr_add(fe, "new_password", problem);
	if (fe->n > 0)
		return 1;
	char target[24];
	id_text(u->id, target);
	if (db_begin_write(db) != 0)
		return -1;
	struct buf b = {0};
	buf_printf(&b, "Hello %s,\n\nThe password of your Beacon account was changed. If this was "
	               "not you, reset your password now:\n\n%s/password/forgot\n\n-- Beacon\n",
	           u->display_name, config_get()->base_url);
	if (set_password_everywhere(db, u->id, new_password, keep_session) == 0 &&
	    queue(db, u->email, "Your Beacon password was changed", &b) == 0 &&
	    audit_log(db, u->id, ip, "account.password.changed", "user", target, NULL) == 0)
		return db_commit(db) == 0 ? 0 : -1;
	db_rollback(db);
	return -1;
}

int
accounts_change_email(struct db *db, const struct user *u, const char *password,
                      const char *new_email_in, const char *ip, struct field_errors *fe)
{
	char email[EMAIL_MAX + 1];
	if (!u->email_verified) {
		ferr_add(fe, "new_email", "Confirm your current address first: use the link we sent, "
		                          "or ask for a new one above.");
		return 1;
	}
	int pw = current_password_ok(db, u, password, ip);
	if (pw < 0)
		return -1;
	if (pw == 2)
		ferr_add(fe, "password", "Too many attempts. Wait a little, then try again.");
	else if (pw == 0)
		ferr_add(fe, "password", "This is not your current password.");
	if (!email_normalise(new_email_in, email))
		ferr_add(fe, "new_email", "Enter an email address like name@example.org.");
	else if (strcmp(email, u->email) == 0)
		ferr_add(fe, "new_email", "This is already your email address.");
	if (fe->n > 0)
		return 1;
	char token[TOKEN_TEXT_LEN + 1], target[24];
	id_text(u->id, target);
	if (db_begin_write(db) != 0)
		return -1;
	int rc = -1;
	if (etokens_issue(db, u->id, ETOKEN_EMAIL_CHANGE, email, VERIFY_TOKEN_MINUTES, token) != 0)
		goto out;
	/* Whether the new address is taken is not revealed: the link then fails politely. */
	struct buf b = {0};
	buf_printf(&b, "Hello %s,\n\nTo use this address for your Beacon account, open this "
	               "link:\n\n",
	           u->display_name);
	link_to(&b, "/verify-email", token);
	buf_puts(&b, "\n\nThe link works for 48 hours. If you did not ask for this, ignore this "
	             "message.\n\n-- Beacon\n");
	struct buf old = {0};
	buf_printf(&old, "Hello %s,\n\nSomeone asked to change the email address of your Beacon "
	                 "account to another address. If this was not you, change your password "
	                 "now:\n\n%s/password/forgot\n\n-- Beacon\n",
	           u->display_name, config_get()->base_url);
	if (queue(db, email, "Confirm your new email address", &b) == 0 &&
	    queue(db, u->email, "Your Beacon email address is changing", &old) == 0 &&
	    audit_log(db, u->id, ip, "account.email.change_requested", "user", target, NULL) == 0)
		rc = 0;
	else
		buf_free(&old);
out:
	sodium_memzero(token, sizeof(token));
	if (rc == 0)
		return db_commit(db) == 0 ? 0 : -1;
	db_rollback(db);
	return -1;
}

int
accounts_signout_everywhere(struct db *db, int64_t user_id, int64_t keep_session, const char *ip)
{
	char target[24];
	id_text(user_id, target);
	if (db_begin_write(db) != 0)
		return -1;
	if (sessions_revoke_user(db, user_id, keep_session) == 0 &&
	    refresh_revoke_user(db, user_id) == 0 &&
	    audit_log(db, user_id, ip, "auth.signout.everywhere", "user", target, NULL) == 0)
		return db_commit(db) == 0 ? 0 : -1;
	db_rollback(db);
	return -1;
}
