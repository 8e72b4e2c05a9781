/*
 * auth.c - /api/v1/auth: register, token (password grant with optional
 * TOTP code), refresh (rotation with reuse detection), logout, password
 * reset; and /api/v1/me.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/json.h"
#include "core/jwt.h"
#include "core/log.h"
#include "core/secrets.h"
#include "model/accounts.h"
#include "model/audit.h"
#include "model/refresh.h"
#include "model/sessions.h"
#include "model/twofactor.h"
#include "web/api_tokens.h"
#include "web/body.h"
#include "web/handlers.h"
#include "web/ui.h"

/* Access tokens are signed with their own subkey, never with the master key itself. */
static void
jwt_key(unsigned char key[SECRETS_SUBKEY_BYTES])
{
	secrets_subkey("jwt", key);
}

const char *
api_token_verify(const char *token, int64_t *user_id)
{
	unsigned char key[SECRETS_SUBKEY_BYTES];
	struct jwt_claims c;
	jwt_key(key);
	enum jwt_error rc = jwt_verify(token, key, sizeof(key), config_get()->base_url,
	                               ACCESS_TOKEN_AUD, (int64_t)time(NULL), &c);
	sodium_memzero(key, sizeof(key));
	if (rc != JWT_OK)
		return rc == JWT_EXPIRED ? "The access token has expired; refresh it."
		                         : "The access token is not valid.";
	*user_id = c.sub;
	return NULL;
}

/* Write {access_token, token_type, expires_in, refresh_token} for u; 0 or -1. */
static int
token_pair(struct rctx *ctx, int64_t user_id, int role, const char *refresh_token)
{
	unsigned char key[SECRETS_SUBKEY_BYTES];
	int64_t now = (int64_t)time(NULL);
	struct jwt_claims c = {.sub = user_id, .iat = now, .nbf = now,
	                       .exp = now + ACCESS_TOKEN_SECONDS};
	snprintf(c.iss, sizeof(c.iss), "%s", config_get()->base_url);
	snprintf(c.aud, sizeof(c.aud), "%s", ACCESS_TOKEN_AUD);
	snprintf(c.role, sizeof(c.role), "%s", role_name(role));
	char jwt[JWT_MAX_LEN];
	jwt_key(key);
	int issued = jwt_issue(&c, key, sizeof(key), jwt, sizeof(jwt));
	sodium_memzero(key, sizeof(key));
	if (issued != 0)
		return -1;
	struct json_writer w;
	buf_reset(&ctx->body);
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_kv_str(&w, "access_token", jwt);
	jw_kv_str(&w, "token_type", "Bearer");
	jw_kv_int(&w, "expires_in", ACCESS_TOKEN_SECONDS);
	jw_kv_str(&w, "refresh_token", refresh_token);
	jw_obj_end(&w);
	sodium_memzero(jwt, sizeof(jwt));
	return 0;
}

static void
send_json(struct rctx *ctx, int status)
{
	resp_send(ctx, status, "application/json", CACHE_NONE);
}

/* Parse the body and read string fields; answers and returns NULL on a bad body. */
static json_t *
read_fields(struct rctx *ctx, const char *const *keys, const char **out, size_t n)
{
	json_t *o = body_json(ctx);
	if (o == NULL)
		return NULL;
	struct field_errors fe = {0};
	for (size_t i = 0; i < n; i++)
		out[i] = body_str(o, keys[i], &fe);
	if (fe.n > 0) {
		json_decref(o);
		resp_problem_fields(ctx, &fe);
		return NULL;
	}
	return o;
}

void
api_auth_register(struct rctx *ctx)
{
	static const char *const keys[] = {"email", "password", "display_name", "role"};
	const char *v[4];
	json_t *o = read_fields(ctx, keys, v, 4);
	if (o == NULL || !req_db(ctx))
		goto out;
	struct field_errors fe = {0};
	int rc = accounts_register(ctx->db, v[0], v[1], v[2], v[3], ctx->ip, &fe);
	if (rc < 0) {
		resp_db_error(ctx, "register");
	} else if (rc == 1) {
		resp_problem_fields(ctx, &fe);
	} else {
		struct json_writer w;
		jw_init(&w, &ctx->body);
		jw_obj_begin(&w);
		jw_kv_str(&w, "status", "verification_sent");
		jw_kv_str(&w, "detail", "If the address can be used, a message to confirm it is on its "
		                        "way. Then request a token.");
		jw_obj_end(&w);
		send_json(ctx, 202);
	}
out:
	json_decref(o);
}

static void
throttled(struct rctx *ctx, int retry)
{
	form_retry_after(ctx, retry);
	resp_problem(ctx, 429, "too_many_attempts", "Too many attempts",
	             "Too many failed attempts for this account or address. Wait, then try again.",
	             NULL);
}

void
api_auth_token(struct rctx *ctx)
{
	static const char *const keys[] = {"email", "password", "code"};
	const char *v[3];
	json_t *o = read_fields(ctx, keys, v, 3);
	if (o == NULL || !req_db(ctx))
		goto out;
	struct user u;
	int retry = 0;
	enum signin_result r = accounts_signin(ctx->db, v[0], v[1], ctx->ip, &u, &retry);
	if (r == SIGNIN_ERROR) {
		resp_db_error(ctx, "token");
		goto out;
	}
	if (r == SIGNIN_THROTTLED) {
		throttled(ctx, retry);
		goto out;
	}
	if (r == SIGNIN_BAD) {
		resp_problem(ctx, 401, "invalid_credentials", "Invalid credentials",
		             "The email address or password is wrong.", NULL);
		goto out;
	}
	if (r == SIGNIN_NEED_CODE) {
		if (v[2] == NULL) {
			user_free(&u);
			resp_problem(ctx, 401, "mfa_required", "Code required",
			             "This account uses two-factor sign-in: send \"code\" too.", "code");
			goto out;
		}
		int ok = twofactor_check(ctx->db, &u, v[2], ctx->ip, &retry);
		if (ok != 1) {
			user_free(&u);
			if (ok < 0)
				resp_db_error(ctx, "token");
			else if (ok == 2)
				throttled(ctx, retry);
			else
				resp_problem(ctx, 401, "invalid_code", "Invalid code",
				             "The code is wrong or was already used.", "code");
			goto out;
		}
	} else if (u.role == ROLE_ADMIN) {
		user_free(&u);
		resp_problem(ctx, 403, "mfa_enrolment_required", "Two-factor sign-in required",
		             "Admins must turn on two-factor sign-in on the account page first.", NULL);
		goto out;
	}
	char refresh[TOKEN_TEXT_LEN + 1];
	if (refresh_issue(ctx->db, u.id, NULL, refresh) != 0 ||
	    token_pair(ctx, u.id, u.role, refresh) != 0)
		resp_db_error(ctx, "token");
	else
		send_json(ctx, 200);
	sodium_memzero(refresh, sizeof(refresh));
	user_free(&u);
out:
	json_decref(o);
}

void
api_auth_refresh(struct rctx *ctx)
{
	static const char *const keys[] = {"refresh_token"};
	const char *v[1];
	json_t *o = read_fields(ctx, keys, v, 1);
	if (o == NULL || !req_db(ctx))
		goto out;
	int64_t uid = 0;
	char next[TOKEN_TEXT_LEN + 1];
	enum refresh_result r = refresh_rotate(ctx->db, v[0], &uid, next);
	if (r == REFRESH_REUSED) {
		char target[24];
		snprintf(target, sizeof(target), "%lld", (long long)uid);
		audit_log(ctx->db, uid, ctx->ip, "auth.refresh.reuse_detected", "user", target, NULL);
		resp_problem(ctx, 401, "token_reused",
		             "Refresh token reused", "This refresh token was already used, so every "
		             "token from the same sign-in was revoked. Sign in again.",
		             "refresh_token");
		goto out;
	}
	if (r == REFRESH_INVALID) {
		resp_problem(ctx, 401, "invalid_grant", "Invalid refresh token",
		             "The refresh token is unknown, expired or revoked.", "refresh_token");
		goto out;
	}
	struct user u;
	int found = r == REFRESH_OK ? users_get(ctx->db, uid, &u) : -1;
	if (found < 0) {
		resp_db_error(ctx, "refresh");
		goto out;
	}
	if (found == 0 || u.disabled) {
		if (found == 1)
			user_free(&u);
		refresh_revoke_token(ctx->db, next);
		resp_problem(ctx, 401, "invalid_grant", "Invalid refresh token",
		             "The account is not active.", "refresh_token");
		goto out;
	}
	if (token_pair(ctx, u.id, u.role, next) != 0)
		resp_db_error(ctx, "refresh");
	else
		send_json(ctx, 200);
	user_free(&u);
out:
	json_decref(o);
}

void
api_auth_logout(struct rctx *ctx)
{
	static const char *const keys[] = {"refresh_token"};
	const char *v[1];
	json_t *o = read_fields(ctx, keys, v, 1);
	if (o == NULL || !req_db(ctx))
		goto out;
	if (refresh_revoke_token(ctx->db, v[0]) < 0) {
		resp_db_error(ctx, "logout");
		goto out;
	}
	resp_send(ctx, 204, NULL, CACHE_NONE);
out:
	json_decref(o);
}

void
api_auth_forgot(struct rctx *ctx)
{
	static const char *const keys[] = {"email"};
	const char *v[1];
	json_t *o = read_fields(ctx, keys, v, 1);
	if (o == NULL || !req_db(ctx))
		goto out;
	char email[EMAIL_MAX + 1];
	if (!email_normalise(v[0], email)) {
		struct field_errors fe = {0};
		ferr_add(&fe, "email", "Enter an email address like name@example.org.");
		resp_problem_fields(ctx, &fe);
		goto out;
	}
	if (accounts_forgot(ctx->db, email, ctx->ip) != 0) {
		resp_db_error(ctx, "forgot");
		goto out;
	}
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_kv_str(&w, "status", "accepted");
	jw_kv_str(&w, "detail", "If an account uses that address, a reset link is on its way.");
	jw_obj_end(&w);
	send_json(ctx, 202);
out:
	json_decref(o);
}

void
api_auth_reset(struct rctx *ctx)
{
	static const char *const keys[] = {"token", "password"};
	const char *v[2];
	json_t *o = read_fields(ctx, keys, v, 2);
	if (o == NULL || !req_db(ctx))
		goto out;
	struct field_errors fe = {0};
	int rc = accounts_reset(ctx->db, v[0], v[1], ctx->ip, &fe);
	if (rc < 0)
		resp_db_error(ctx, "reset");
	else if (rc == 1)
		resp_problem_fields(ctx, &fe);
	else if (rc == 2)
		resp_problem(ctx, 400, "invalid_token", "Invalid token",
		             "The reset token has expired or was already used.", "token");
	else
		resp_send(ctx, 204, NULL, CACHE_NONE);
out:
	json_decref(o);
}

void
api_me(struct rctx *ctx)
{
	const struct auth *a = &ctx->auth;
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_kv_int(&w, "id", a->user_id);
	jw_kv_str(&w, "email", a->email);
	jw_kv_str(&w, "display_name", a->display_name);
	jw_kv_str(&w, "role", role_name(a->role));
	jw_key(&w, "email_verified");
	jw_bool(&w, a->email_verified);
	jw_key(&w, "two_factor");
	jw_bool(&w, a->totp_enabled);
	jw_obj_end(&w);
	send_json(ctx, 200);
}
