/*
 * twofactor.h - TOTP (RFC 6238) second factor and recovery codes for an
 * account: enrolment, checking codes (each once), turning it off.
 */
#ifndef BEACON_MODEL_TWOFACTOR_H
#define BEACON_MODEL_TWOFACTOR_H

#include <stdint.h>

#include "core/buf.h"
#include "db/db.h"
#include "model/users.h"

#define RECOVERY_CODES 10

/*
 * Check a second factor for u: a 6-digit TOTP code (each time step once,
 * even across workers) or one of the recovery codes (each once). Throttled
 * and audited like passwords. Returns 1 accepted, 0 wrong, 2 throttled
 * (*retry_after seconds), -1 error.
 */
int twofactor_check(struct db *db, const struct user *u, const char *code, const char *ip,
                    int *retry_after);

/*
 * Enrolment: the secret waiting for its first code, or a new one (stored
 * sealed, not yet enabled) when there is none. Writes the secret as grouped
 * base32 text (for typing) and the otpauth:// URI (for the QR code) into the
 * buffers. Showing the page again shows the same secret. 0 or -1.
 */
int twofactor_begin(struct db *db, const struct user *u, struct buf *secret_text,
                    struct buf *uri);

/*
 * Finish enrolment with a code from the app: on success 2FA is on, every
 * other session (but keep_session) and every refresh token ends, the owner
 * is told by email, the session should be renewed, and codes
 * (RECOVERY_CODES lines) receives the new recovery codes to show once.
 * Returns 1 done, 0 wrong code, -1 error.
 */
int twofactor_enable(struct db *db, const struct user *u, const char *code, const char *ip,
                     int64_t keep_session, struct buf *codes);

/*
 * Turn 2FA off and delete the recovery codes; other sessions (but
 * keep_session; 0 = all) and refresh tokens end and the owner is told. 0 or -1.
 */
int twofactor_disable(struct db *db, const struct user *u, int64_t actor_id, const char *ip,
                      int64_t keep_session);

/*
 * Forget an enrolment that was never confirmed (its secret may have been
 * seen by whoever had the session then). 0 or -1.
 */
int twofactor_forget_pending(struct db *db, const struct user *u);

/* Replace the recovery codes (codes receives them). 0 or -1. */
int twofactor_new_recovery_codes(struct db *db, const struct user *u, const char *ip,
                                 struct buf *codes);

/* Unused recovery codes left, or -1. */
int twofactor_recovery_left(struct db *db, int64_t user_id);

#endif
