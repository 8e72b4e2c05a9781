/*
 * refresh.h - API refresh tokens: opaque, stored hashed, rotated on every
 * use. A token belongs to a family (one sign-in); presenting a token that
 * was already used means someone kept a copy, so the whole family is
 * revoked (RFC 6819 5.2.2.3, OAuth 2.0 Security BCP 4.14).
 */
#ifndef BEACON_MODEL_REFRESH_H
#define BEACON_MODEL_REFRESH_H

#include <stdint.h>

#include "db/db.h"

/* A sign-in's refresh tokens end this long after it, however often they rotate. */
#define REFRESH_TOKEN_DAYS 30

/*
 * Issue a token for user_id in family (NULL starts a new family). Writes
 * the token text (44 bytes with NUL). 0 or -1.
 */
int refresh_issue(struct db *db, int64_t user_id, const char *family, char *token);

enum refresh_result {
	REFRESH_OK,      /* rotated: *user_id set, new token written */
	REFRESH_INVALID, /* unknown, expired or revoked */
	REFRESH_REUSED,  /* already used: the family is now revoked */
	REFRESH_ERROR,
};

/* Use token: mark it used and issue its successor in the same family, atomically. */
enum refresh_result refresh_rotate(struct db *db, const char *token, int64_t *user_id,
                                   char *new_token);

/* Revoke the family of token (sign-out of one API client). 1 done, 0 unknown, -1 error. */
int refresh_revoke_token(struct db *db, const char *token);
/* Revoke every refresh token of user_id. 0 or -1. */
int refresh_revoke_user(struct db *db, int64_t user_id);

#endif
