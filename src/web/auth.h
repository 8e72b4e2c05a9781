/*
 * auth.h - who is asking, and may they: sessions, bearer tokens, CSRF and
 * the route policy.
 *
 * Pages sign in with a session cookie; the API with a JWT access token in
 * `Authorization: Bearer`. Cookies never authenticate API calls and bearer
 * tokens never authenticate pages, so the API needs no CSRF defence and the
 * pages get one on every state-changing request.
 */
#ifndef BEACON_WEB_AUTH_H
#define BEACON_WEB_AUTH_H

#include <stdbool.h>

#include "web/req.h"

/* Route flags for auth_allow. */
#define AUTH_PENDING_OK 0x1 /* usable while the second factor is still due */
#define AUTH_NO_MFA_OK 0x2  /* usable by an admin who has not enrolled 2FA yet */

/* Longest time since the password was given for sensitive actions. */
#define AUTH_RECENT_SECONDS (10 * 60)

/*
 * Fill ctx->auth from the session cookie (pages) or the bearer token (API).
 * Invalid, expired or revoked credentials leave the visitor anonymous; an
 * invalid bearer token is answered 401 here (returns false). Returns false
 * when it answered.
 */
bool auth_load(struct rctx *ctx);

/*
 * The route policy: roles is a mask of enum role bits (0 = anyone). Sends
 * anonymous visitors of a page to /signin (401 problem on the API), the
 * wrong role to 403, an admin without 2FA to enrolment. Returns false when
 * it answered.
 */
bool auth_allow(struct rctx *ctx, int roles, unsigned flags);

/* Free what auth_load allocated. */
void auth_free(struct rctx *ctx);

/* The CSRF token for this visitor (creates the anonymous CSRF cookie if needed). */
const char *auth_csrf(struct rctx *ctx);
/* True when the request carries the right CSRF token (form field _csrf or X-CSRF-Token). */
bool auth_csrf_ok(struct rctx *ctx);

/* How a new session counts for "recently gave the password" (auth_recent). */
enum auth_fresh {
	AUTH_FRESH,     /* the password (and code) were just given */
	AUTH_KEEP_TIME, /* privilege change only: keep the current session's time */
};

/*
 * Sign user_id in: revoke the visitor's current session, start a new one
 * (a new id at every sign-in and privilege change: no fixation) and set the
 * cookie. mfa_pending sessions only reach the second-factor page. Returns
 * 0 or -1 (database error; nothing sent).
 */
int auth_start_session(struct rctx *ctx, int64_t user_id, bool mfa_pending,
                       enum auth_fresh fresh);
/* Revoke the current session and clear the cookie. */
void auth_end_session(struct rctx *ctx);

/*
 * Sensitive actions need a recent password: true when given within
 * AUTH_RECENT_SECONDS; otherwise sends pages to /account/confirm?next=...
 * (403 problem on the API) and returns false.
 */
bool auth_recent(struct rctx *ctx);

/* The session cookie's name (__Host- prefixed when served over HTTPS). */
const char *auth_cookie_name(void);

#endif
