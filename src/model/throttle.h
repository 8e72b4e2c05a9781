/*
 * throttle.h - limits on guessing: failed sign-in, password-reset and 2FA
 * attempts, per account and per client IP, stored in the database so they
 * hold across workers, nodes and restarts.
 */
#ifndef BEACON_MODEL_THROTTLE_H
#define BEACON_MODEL_THROTTLE_H

#include <time.h>

#include "db/db.h"

/* At most this many failures per account per hour (NIST SP 800-63B 5.2.2). */
#define THROTTLE_ACCOUNT_PER_HOUR 100

/*
 * Before checking a secret: 0 = go ahead; 1 = refused, *retry_after holds the
 * seconds to wait (answer 429 with Retry-After); -1 = database error.
 * account is the lower-cased email (or NULL), ip the client address (or NULL).
 * A refused attempt is itself recorded as a failure.
 */
int throttle_check(struct db *db, const char *account, const char *ip, int *retry_after);

/* Record a failed attempt. Returns 0 or -1. */
int throttle_fail(struct db *db, const char *account, const char *ip);

/*
 * The rules, per subject and per rolling hour: up to FREE failures cost
 * nothing; after that each attempt must come at least
 * min(2^(failures - FREE), THROTTLE_MAX_DELAY) seconds after the last
 * failure; at PER_HOUR failures every attempt is refused until the oldest
 * failure is an hour old. An IP gets looser limits than an account, so one
 * address cannot try a password on many accounts.
 */
#define THROTTLE_ACCOUNT_FREE 5
#define THROTTLE_IP_PER_HOUR 1000
#define THROTTLE_IP_FREE 50
#define THROTTLE_MAX_DELAY 60
/* Failures older than this are deleted (now and then, by throttle_check). */
#define THROTTLE_KEEP_SECONDS 86400

/* throttle_check and throttle_fail at a given time (tests, replays). */
int throttle_check_at(struct db *db, const char *account, const char *ip, time_t now,
                      int *retry_after);
int throttle_fail_at(struct db *db, const char *account, const char *ip, time_t now);

/* Delete failures older than THROTTLE_KEEP_SECONDS before now. Rows deleted, or -1. */
int64_t throttle_prune(struct db *db, time_t now);

#endif
