/*
 * account.c - the account page: details, email verification, password and
 * email changes, two-factor status, signing out everywhere; and the
 * "confirm your password" step before sensitive actions.
 */
#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "model/accounts.h"
#include "model/sessions.h"
#include "model/twofactor.h"
#include "model/users.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/ui.h"

/* What the account page shows after an action: a notice, and errors per form. */
struct account_view {
	const char *notice;
	const struct field_errors *pw_errors;
	const struct field_errors *email_errors;
	int status;
};

static void
account_render(struct rctx *ctx, const struct account_view *v)
{
	struct buf *b = &ctx->body;
	const struct auth *a = &ctx->auth;
	struct page pg = {.title = "Your account", .nav = "account", .status = v->status};
	int left = ctx->db && a->totp_enabled ? twofactor_recovery_left(ctx->db, a->user_id) : -1;
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Your account</h1>");
	if (v->notice)
		ui_notice(b, "ok", v->notice);
	HTML_LIT(b, "<section aria-labelledby=\"h-details\"><h2 id=\"h-details\">Details</h2><dl "
	            "class=\"details\"><dt>Name</dt><dd>");
	html_text(b, a->display_name);
	HTML_LIT(b, "</dd><dt>Email address</dt><dd>");
	html_text(b, a->email);
	if (a->email_verified)
		HTML_LIT(b, " (confirmed)");
	else
		HTML_LIT(b, " (not confirmed yet)");
	HTML_LIT(b, "</dd><dt>Account type</dt><dd>");
	html_text(b, role_label(a->role));
	HTML_LIT(b, "</dd></dl>");
	if (!a->email_verified) {
		HTML_LIT(b, "<form method=\"post\" action=\"/account/verify-email\" class=\"inline-form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<button type=\"submit\">Send the confirmation link again</button></form>");
	}
	HTML_LIT(b, "</section><section aria-labelledby=\"h-2fa\"><h2 id=\"h-2fa\">Two-factor "
	            "sign-in</h2>");
	if (a->totp_enabled) {
		HTML_LIT(b, "<p>On. You sign in with your password and a code from your authenticator "
		            "app.");
		if (left >= 0) {
			HTML_LIT(b, " Recovery codes left: ");
			html_int(b, left);
			HTML_LIT(b, ".");
		}
		HTML_LIT(b, "</p>");
	} else {
		HTML_LIT(b, "<p>Off. A code from an authenticator app keeps your account safe even if "
		            "someone learns your password.</p>");
	}
	HTML_LIT(b, "<p><a href=\"/account/2fa\">");
	HTML_LIT(b, "Manage two-factor sign-in</a></p></section>");

	HTML_LIT(b, "<section aria-labelledby=\"h-pw\"><h2 id=\"h-pw\">Change your password</h2>");
	ui_error_summary(b, v->pw_errors);
	HTML_LIT(b, "<form method=\"post\" action=\"/account/password\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	ui_input(b, v->pw_errors, "current_password", "Current password",
	         &(struct field_opts){.type = "password", .autocomplete = "current-password",
	                              .required = true});
	ui_input(b, v->pw_errors, "new_password", "New password",
	         &(struct field_opts){.type = "password", .autocomplete = "new-password",
	                              .required = true,
	                              .hint = "At least 15 characters. Other sign-ins will end."});
	HTML_LIT(b, "<button type=\"submit\">Change password</button></form></section>");

	HTML_LIT(b, "<section aria-labelledby=\"h-email\"><h2 id=\"h-email\">Change your email "
	            "address</h2>");
	ui_error_summary(b, v->email_errors);
	HTML_LIT(b, "<form method=\"post\" action=\"/account/email\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	ui_input(b, v->email_errors, "new_email", "New email address",
	         &(struct field_opts){.type = "email", .autocomplete = "email", .required = true,
	                              .hint = "We send a link to the new address; the change "
	                                      "happens when you open it."});
	ui_input(b, v->email_errors, "password", "Current password",
	         &(struct field_opts){.type = "password", .autocomplete = "current-password",
	                              .required = true});
	HTML_LIT(b, "<button type=\"submit\">Change email address</button></form></section>");

	HTML_LIT(b, "<section aria-labelledby=\"h-out\"><h2 id=\"h-out\">Sign out everywhere</h2>"
	            "<p>Ends every other sign-in on every device and every app token.</p>"
	            "<form method=\"post\" action=\"/account/signout-everywhere\" class=\"inline-form\">");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<button type=\"submit\">Sign out everywhere else</button></form></section>");
	layout_end(ctx, &pg);
	resp_send(ctx, v->status ? v->status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_account(struct rctx *ctx)
{
	ctx->db = app_db();
	const char *done = query_get(&ctx->query, "done");
	const char *notice = NULL;
	if (done && strcmp(done, "password") == 0)
		notice = "Your password is changed. Other sign-ins were ended.";
	else if (done && strcmp(done, "email") == 0)
		notice = "We sent a link to the new address. Open it to finish the change.";
	else if (done && strcmp(done, "signout") == 0)
		notice = "Every other sign-in was ended.";
	else if (done && strcmp(done, "verify") == 0)
		notice = "We sent the confirmation link again.";
	account_render(ctx, &(struct account_view){.notice = notice});
}

/* The signed-in user's full row (with the password hash), or answers and returns 0. */
static int
load_me(struct rctx *ctx, struct user *u)
{
	if (!req_db(ctx))
		return 0;
	int found = users_get(ctx->db, ctx->auth.user_id, u);
	if (found != 1) {
		resp_db_error(ctx, "user");
		return 0;
	}
	return 1;
}

void
page_account_password(struct rctx *ctx)
{
	struct user u;
	if (!load_me(ctx, &u))
		return;
	struct field_errors fe = {0};
	int rc = accounts_change_password(ctx->db, &u, query_get(&ctx->form, "current_password"),
	                                  query_get(&ctx->form, "new_password"),
	                                  ctx->auth.session_id, ctx->ip, &fe);
	int64_t uid = u.id;
	user_free(&u);
	if (rc < 0) {
		resp_db_error(ctx, "change password");
	} else if (rc == 1) {
		account_render(ctx, &(struct account_view){.pw_errors = &fe, .status = 422});
	} else if (auth_start_session(ctx, uid, false, AUTH_FRESH) != 0) {
		resp_db_error(ctx, "session");
	} else {
		resp_redirect(ctx, 303, "/account?done=password");
	}
}

void
page_account_email(struct rctx *ctx)
{
	struct user u;
	if (!load_me(ctx, &u))
		return;
	struct field_errors fe = {0};
	int rc = accounts_change_email(ctx->db, &u, query_get(&ctx->form, "password"),
	                               query_get(&ctx->form, "new_email"), ctx->ip, &fe);
	user_free(&u);
	if (rc < 0)
		resp_db_error(ctx, "change email");
	else if (rc == 1)
		account_render(ctx, &(struct account_view){.email_errors = &fe, .status = 422});
	else
		resp_redirect(ctx, 303, "/account?done=email");
}

void
page_account_resend(struct rctx *ctx)
{
	struct user u;
	if (!load_me(ctx, &u))
		return;
	int rc = u.email_verified ? 0 : accounts_send_verification(ctx->db, &u);
	user_free(&u);
	if (rc != 0)
		resp_db_error(ctx, "send verification");
	else
		resp_redirect(ctx, 303, "/account?done=verify");
}

void
page_account_signout_all(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	if (accounts_signout_everywhere(ctx->db, ctx->auth.user_id, ctx->auth.session_id, ctx->ip) !=
	    0) {
		resp_db_error(ctx, "sign out everywhere");
		return;
	}
	resp_redirect(ctx, 303, "/account?done=signout");
}

static void
confirm_form(struct rctx *ctx, const struct field_errors *fe, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Confirm it is you", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Confirm it is you</h1>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<p>This step changes something important, so please give your password "
	            "again.</p><form method=\"post\" action=\"/account/confirm\" class=\"form\" "
	            "novalidate>");
	ui_csrf(b, ctx);
	form_next_field(b, ctx);
	ui_input(b, fe, "password", "Password",
	         &(struct field_opts){.type = "password", .autocomplete = "current-password",
	                              .required = true});
	if (ctx->auth.totp_enabled)
		ui_input(b, fe, "code", "Code from your authenticator app",
		         &(struct field_opts){.autocomplete = "one-time-code", .inputmode = "numeric",
		                              .required = true, .maxlength = 16});
	HTML_LIT(b, "<button type=\"submit\">Confirm</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_account_confirm(struct rctx *ctx)
{
	if (ctx->req->method != HTTP_METHOD_POST) {
		confirm_form(ctx, NULL, 200);
		return;
	}
	if (!req_db(ctx))
		return;
	struct user me;
	int retry = 0;
	struct field_errors fe = {0};
	switch (accounts_signin(ctx->db, ctx->auth.email, query_get(&ctx->form, "password"), ctx->ip,
	                        &me, &retry)) {
	case SIGNIN_OK:
	case SIGNIN_NEED_CODE: {
		int ok = 1;
		if (me.totp_enabled)
			ok = twofactor_check(ctx->db, &me, query_get(&ctx->form, "code"), ctx->ip, &retry);
		user_free(&me);
		if (ok < 0) {
			resp_db_error(ctx, "confirm");
			return;
		}
		if (ok == 1) {
			if (sessions_mark_authenticated(ctx->db, ctx->auth.session_id) != 0) {
				resp_db_error(ctx, "confirm");
				return;
			}
			resp_redirect(ctx, 303, form_next(ctx, "/account"));
			return;
		}
		if (ok == 2) {
			form_retry_after(ctx, retry);
			ferr_add(&fe, "code", "Too many attempts. Wait a little, then try again.");
			confirm_form(ctx, &fe, 429);
			return;
		}
		ferr_add(&fe, "code", "That code is not right, or was already used.");
		confirm_form(ctx, &fe, 401);
		return;
	}
	case SIGNIN_THROTTLED:
		form_retry_after(ctx, retry);
		ferr_add(&fe, "password", "Too many attempts. Wait a little, then try again.");
		confirm_form(ctx, &fe, 429);
		return;
	case SIGNIN_BAD:
		ferr_add(&fe, "password", "This is not your password.");
		confirm_form(ctx, &fe, 401);
		return;
	default:
		resp_db_error(ctx, "confirm");
	}
}
