/*
 * auth.c - sessions, bearer tokens, CSRF and the route policy.
 */
#include "web/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/html.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/secrets.h"
#include "core/token.h"
#include "model/sessions.h"
#include "model/users.h"
#include "web/api_tokens.h"

#define CSRF_FIELD "_csrf"

const char *
auth_cookie_name(void)
{
	return config_get()->https ? "__Host-beacon_session" : "beacon_session";
}

static const char *
csrf_cookie_name(void)
{
	return config_get()->https ? "__Host-beacon_csrf" : "beacon_csrf";
}

/* Set-Cookie with the attributes every Beacon cookie has; max_age < 0 deletes it. */
static void
set_cookie(struct rctx *ctx, const char *name, const char *value, long max_age)
{
	char line[256];
	snprintf(line, sizeof(line), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%ld", name,
	         value, config_get()->https ? "; Secure" : "", max_age < 0 ? 0 : max_age);
	http_response_header(ctx->req, "set-cookie", line);
}

/* The value of cookie name when it has the shape of our tokens, else NULL. */
static const char *
cookie_token(struct rctx *ctx, const char *name)
{
	char *v = NULL;
	http_populate_cookies(ctx->req);
	if (http_request_cookie(ctx->req, name, &v) != KORE_RESULT_OK || !token_text_valid(v))
		return NULL;
	return v;
}

static void
auth_fill(struct rctx *ctx, const struct user *u)
{
	struct auth *a = &ctx->auth;
	a->user_id = u->id;
	a->role = u->role;
	a->email = xstrdup(u->email);
	a->display_name = xstrdup(u->display_name);
	a->email_verified = u->email_verified;
	a->totp_enabled = u->totp_enabled;
}

static bool
load_session(struct rctx *ctx)
{
	const char *token = cookie_token(ctx, auth_cookie_name());
	if (token == NULL)
		return true;
	/* Whatever this visitor sees depends on the cookie from here on. */
	ctx->personal = true;
	struct db *db = app_db();
	if (db == NULL)
		return true;
	struct session s;
	int rc = sessions_lookup(db, token, config_get()->session_idle_min, &s);
	if (rc != 1) {
		if (rc < 0)
			log_error("session lookup failed (request %s): %s", ctx->rid, db_errmsg(db));
		return true;
	}
	struct user u;
	if (users_get(db, s.user_id, &u) != 1)
		return true;
	if (!u.disabled) {
		auth_fill(ctx, &u);
		ctx->auth.session_id = s.id;
		ctx->auth.session_token = xstrdup(token);
		ctx->auth.mfa_pending = s.mfa_pending;
		snprintf(ctx->auth.auth_at, sizeof(ctx->auth.auth_at), "%s", s.auth_at);
	}
	user_free(&u);
	return true;
}

static bool
load_bearer(struct rctx *ctx)
{
	const char *h = req_header(ctx, "authorization");
	if (h == NULL)
		return true;
	ctx->personal = true;
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		http_response_header(ctx->req, "www-authenticate", "Bearer realm=\"beacon\"");
		resp_problem(ctx, 401, "invalid_token", "Invalid token",
		             "Send an access token as: Authorization: Bearer <token>.", NULL);
		return false;
	}
	int64_t user_id = 0;
	const char *why = api_token_verify(h + 7, &user_id);
	struct db *db = why == NULL ? req_db(ctx) : NULL;
	if (why == NULL && db == NULL)
		return false;
	struct user u = {0};
	int found = why == NULL ? users_get(db, user_id, &u) : 0;
	if (found < 0) {
		resp_db_error(ctx, "user lookup");
		return false;
	}
	if (why == NULL && (found == 0 || u.disabled))
		why = "The account behind this token is not active.";
	if (why != NULL) {
		user_free(&u);
		http_response_header(ctx->req, "www-authenticate",
		                     "Bearer realm=\"beacon\", error=\"invalid_token\"");
		resp_problem(ctx, 401, "invalid_token", "Invalid token", why, NULL);
		return false;
	}
	auth_fill(ctx, &u);
	ctx->auth.bearer = true;
	user_free(&u);
	return true;
}

bool
auth_load(struct rctx *ctx)
{
	return ctx->is_api ? load_bearer(ctx) : load_session(ctx);
}

void
auth_free(struct rctx *ctx)
{
	struct auth *a = &ctx->auth;
	free(a->email);
	free(a->display_name);
	free(a->session_token);
	free(a->csrf);
	memset(a, 0, sizeof(*a));
}

/*
 * Where to come back to after signing in or confirming the password: the
 * page itself when its address answers GET; for a POST-only address the
 * page the form was on, when the Referer names one of ours.
 */
static const char *
return_path(struct rctx *ctx)
{
	if (ctx->req->method != HTTP_METHOD_POST || (ctx->route_methods & HTTP_METHOD_GET))
		return ctx->req->path;
	const char *ref = req_header(ctx, "referer");
	const char *base = config_get()->base_url;
	size_t blen = strlen(base);
	if (ref != NULL && strncmp(ref, base, blen) == 0 && ref[blen] == '/' && ref[blen + 1] != '/')
		return ref + blen;
	return "/account";
}

static void
redirect_with_next(struct rctx *ctx, const char *where)
{
	struct buf loc = {0};
	buf_puts(&loc, where);
	buf_puts(&loc, "?next=");
	html_urlenc(&loc, return_path(ctx));
	if (ctx->htmx) {
		/* HTMX follows redirects inside the swap; make the browser go instead. */
		http_response_header(ctx->req, "hx-redirect", buf_cstr(&loc));
		resp_send(ctx, 204, NULL, CACHE_NONE);
	} else {
		resp_redirect(ctx, 303, buf_cstr(&loc));
	}
	buf_free(&loc);
}

bool
auth_allow(struct rctx *ctx, int roles, unsigned flags)
{
	struct auth *a = &ctx->auth;
	bool signed_in = a->user_id != 0 && (!a->mfa_pending || (flags & AUTH_PENDING_OK));
	if (roles == 0)
		return true;
	if (!signed_in) {
		if (ctx->is_api) {
			http_response_header(ctx->req, "www-authenticate", "Bearer realm=\"beacon\"");
			resp_problem(ctx, 401, "unauthenticated", "Sign-in required",
			             "This endpoint needs an access token.", NULL);
		} else {
			redirect_with_next(ctx, a->mfa_pending ? "/signin/2fa" : "/signin");
		}
		return false;
	}
	if (!(a->role & roles)) {
		resp_error(ctx, 403, "forbidden", "Not allowed",
		           "Your account cannot use this page.", NULL);
		return false;
	}
	if (a->role == ROLE_ADMIN && !a->totp_enabled && !(flags & AUTH_NO_MFA_OK)) {
		if (ctx->is_api)
			resp_problem(ctx, 403, "mfa_enrolment_required", "Two-factor sign-in required",
			             "Admins must turn on two-factor sign-in on the account page first.",
			             NULL);
		else
			redirect_with_next(ctx, "/account/2fa");
		return false;
	}
	return true;
}

/* HMAC-SHA256 of what the token is bound to, under the CSRF key; base64url. */
static char *
csrf_for(const char *kind, const char *bound)
{
	unsigned char key[32], mac[crypto_auth_hmacsha256_BYTES];
	secrets_subkey("csrf", key);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, sizeof(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)bound, strlen(bound));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(key, sizeof(key));
	char out[sodium_base64_ENCODED_LEN(sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(out, sizeof(out), mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return xstrdup(out);
}

/* The anonymous CSRF binding: a random cookie made the first time a form needs it. */
static const char *
anon_binding(struct rctx *ctx, bool create)
{
	static char fresh[TOKEN_TEXT_LEN + 1];
	const char *v = cookie_token(ctx, csrf_cookie_name());
	if (v != NULL || !create)
		return v;
	token_random(fresh, 32);
	set_cookie(ctx, csrf_cookie_name(), fresh, 12L * 3600);
	return fresh;
}

const char *
auth_csrf(struct rctx *ctx)
{
	struct auth *a = &ctx->auth;
	if (a->csrf != NULL)
		return a->csrf;
	ctx->personal = true;
	if (a->session_token != NULL)
		a->csrf = csrf_for("session", a->session_token);
	else
		a->csrf = csrf_for("anon", anon_binding(ctx, true));
	return a->csrf;
}

bool
auth_csrf_ok(struct rctx *ctx)
{
	const char *sent = query_get(&ctx->form, CSRF_FIELD);
	if (sent == NULL)
		sent = req_header(ctx, "x-csrf-token");
	if (sent == NULL)
		return false;
	char *want;
	if (ctx->auth.session_token != NULL) {
		want = csrf_for("session", ctx->auth.session_token);
	} else {
		const char *bound = anon_binding(ctx, false);
		if (bound == NULL)
			return false;
		want = csrf_for("anon", bound);
	}
	bool ok = strlen(sent) == strlen(want) && sodium_memcmp(sent, want, strlen(want)) == 0;
	free(want);
	return ok;
}

int
auth_start_session(struct rctx *ctx, int64_t user_id, bool mfa_pending, enum auth_fresh fresh)
{
	struct db *db = app_db();
	if (db == NULL)
		return -1;
	if (ctx->auth.session_id != 0 && sessions_revoke(db, ctx->auth.session_id) != 0)
		return -1;
	char token[TOKEN_TEXT_LEN + 1];
	int64_t id;
	const struct config *cfg = config_get();
	/* An empty auth_at (no session yet) counts as now: sessions_create decides. */
	if (sessions_create(db, user_id, mfa_pending, cfg->session_max_hours,
	                    fresh == AUTH_KEEP_TIME ? ctx->auth.auth_at : NULL, ctx->ip,
	                    req_header(ctx, "user-agent"), token, &id) != 0)
		return -1;
	set_cookie(ctx, auth_cookie_name(), token, (long)cfg->session_max_hours * 3600);
	/* Forms rendered in this response are bound to the new session. */
	free(ctx->auth.session_token);
	free(ctx->auth.csrf);
	ctx->auth.csrf = NULL;
	ctx->auth.session_token = xstrdup(token);
	ctx->auth.session_id = id;
	ctx->auth.mfa_pending = mfa_pending;
	ctx->personal = true;
	sodium_memzero(token, sizeof(token));
	return 0;
}

void
auth_end_session(struct rctx *ctx)
{
	struct db *db = app_db();
	if (db != NULL && ctx->auth.session_id != 0)
		sessions_revoke(db, ctx->auth.session_id);
	set_cookie(ctx, auth_cookie_name(), "", -1);
	free(ctx->auth.session_token);
	ctx->auth.session_token = NULL;
	ctx->auth.session_id = 0;
}

bool
auth_recent(struct rctx *ctx)
{
	struct session s = {0};
	snprintf(s.auth_at, sizeof(s.auth_at), "%.20s", ctx->auth.auth_at);
	if (!ctx->auth.bearer && sessions_recent_auth(&s, AUTH_RECENT_SECONDS))
		return true;
	if (ctx->is_api)
		resp_problem(ctx, 403, "reauthentication_required", "Confirm your password",
		             "Send the current password with this request.", "password");
	else
		redirect_with_next(ctx, "/account/confirm");
	return false;
}
