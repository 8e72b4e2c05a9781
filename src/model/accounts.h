/*
 * accounts.h - what signing up, signing in and managing an account does,
 * shared by the pages and the API so both follow the same rules: NIST SP
 * 800-63B passwords, answers that never reveal whether an email address
 * is registered, throttled guessing, audited security events, and the
 * emails each step sends.
 */
#ifndef BEACON_MODEL_ACCOUNTS_H
#define BEACON_MODEL_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fielderr.h"
#include "db/db.h"
#include "model/users.h"

/* Emailed tokens: how long each stays valid. */
#define VERIFY_TOKEN_MINUTES (48 * 60)
#define RESET_TOKEN_MINUTES 60

/* The words shown for a password_check reason code. */
const char *accounts_password_message(const char *code);

/*
 * Sign up. Validates every field into fe (returns 1 when any is wrong).
 * When the address is already registered nothing is created and the owner
 * gets an email saying so: the answer is the same as for a new account,
 * so sign-up cannot be used to find out who has an account. Returns 0,
 * 1 (fe filled) or -1 (database error).
 */
int accounts_register(struct db *db, const char *email, const char *password,
                      const char *display_name, const char *role, const char *ip,
                      struct field_errors *fe);

enum signin_result {
	SIGNIN_OK,         /* *u filled: password right, no second factor needed */
	SIGNIN_NEED_CODE,  /* *u filled: password right, TOTP (or recovery code) due */
	SIGNIN_BAD,        /* unknown email, wrong password or disabled account */
	SIGNIN_THROTTLED,  /* too many failures: *retry_after seconds */
	SIGNIN_ERROR,      /* database error */
};

/*
 * Check email and password with the throttle (model/throttle.h). A wrong
 * password for an unknown address costs the same time as a known one.
 * Rehashes the password when its parameters are out of date. Audited.
 */
enum signin_result accounts_signin(struct db *db, const char *email, const char *password,
                                   const char *ip, struct user *u, int *retry_after);

/* Queue the email-verification message for u. 0 or -1. */
int accounts_send_verification(struct db *db, const struct user *u);

/*
 * Confirm an emailed verification or email-change token. 1 done (*user_id),
 * 0 invalid/used/expired, 2 the new address is taken meanwhile, -1 error.
 */
int accounts_verify_email(struct db *db, const char *token, const char *ip, int64_t *user_id);

/* Send a reset link if the address has an account; silent otherwise. 0 or -1. */
int accounts_forgot(struct db *db, const char *email, const char *ip);

/*
 * Set a new password with a reset token: validates the password into fe
 * (1), an unknown/used/expired token is 2; on success (0) every session
 * and refresh token of the account is revoked. -1 on error.
 */
int accounts_reset(struct db *db, const char *token, const char *password, const char *ip,
                   struct field_errors *fe);

/*
 * Change the password of u after checking current (fe: "current_password"
 * or "new_password"). Revokes all other sessions (keep_session) and every
 * refresh token. 0, 1 (fe) or -1.
 */
int accounts_change_password(struct db *db, const struct user *u, const char *current,
                             const char *new_password, int64_t keep_session, const char *ip,
                             struct field_errors *fe);

/*
 * Start an email change: checks the password, then sends a confirmation
 * link to the new address (the change happens when it is opened) and a
 * notice to the old one. 0, 1 (fe) or -1.
 */
int accounts_change_email(struct db *db, const struct user *u, const char *password,
                          const char *new_email, const char *ip, struct field_errors *fe);

/* Revoke every session (but keep_session) and refresh token of user_id. 0 or -1. */
int accounts_signout_everywhere(struct db *db, int64_t user_id, int64_t keep_session,
                                const char *ip);

#endif
