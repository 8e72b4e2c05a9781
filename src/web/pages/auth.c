/*
 * auth.c - sign-up, sign-in (with the second factor), sign-out, email
 * verification and password reset pages. The rules live in
 * model/accounts.c; these handlers read forms and draw pages.
 */
#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "core/log.h"
#include "model/accounts.h"
#include "model/audit.h"
#include "model/twofactor.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/ui.h"

static const char *const role_choices[][2] = {
    {"job_seeker", "Job seeker: I am looking for work"},
    {"entrepreneur", "Entrepreneur: I run or am starting a business"},
    {"employer", "Employer: I hire people"},
    {NULL, NULL},
};

static void
signup_form(struct rctx *ctx, const struct field_errors *fe, int status)
{
	struct buf *b = &ctx->body;
	const struct query *f = &ctx->form;
	struct page pg = {.title = "Create an account", .nav = "signup", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Create an account</h1>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<p>Already have one? <a href=\"/signin\">Sign in</a>.</p>"
	            "<form method=\"post\" action=\"/signup\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	ui_input(b, fe, "display_name", "Your name",
	         &(struct field_opts){.value = query_get(f, "display_name"), .autocomplete = "name",
	                              .required = true, .maxlength = DISPLAY_NAME_MAX});
	ui_input(b, fe, "email", "Email address",
	         &(struct field_opts){.type = "email", .value = query_get(f, "email"),
	                              .autocomplete = "email", .required = true,
	                              .hint = "We send a link to confirm it."});
	ui_input(b, fe, "password", "Password",
	         &(struct field_opts){.type = "password", .autocomplete = "new-password",
	                              .required = true,
	                              .hint = "At least 15 characters. Several unrelated words work "
	                                      "well. You can paste from a password manager."});
	form_radios(b, fe, "role", "I am a", role_choices, query_get(f, "role"));
	HTML_LIT(b, "<button type=\"submit\">Create account</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

/* The summary lists the problems in the order of the fields on the form. */
static void
signup_errors_in_form_order(struct field_errors *fe)
{
	static const char *const order[] = {"display_name", "email", "password", "role"};
	struct field_errors sorted = {0};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (ferr_get(fe, order[i]))
			ferr_add(&sorted, order[i], ferr_get(fe, order[i]));
	for (int i = 0; i < fe->n; i++)
		ferr_add(&sorted, fe->e[i].field, fe->e[i].msg);
	*fe = sorted;
}

/* A page with a heading and one message, for the end of a flow. */
static void
message_page(struct rctx *ctx, int status, const char *title, const char *text,
             const char *link_href, const char *link_text)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = title, .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>");
	html_text(b, title);
	HTML_LIT(b, "</h1>");
	ui_notice(b, status < 400 ? "ok" : "info", text);
	if (link_href) {
		HTML_LIT(b, "<p><a href=\"");
		html_attr(b, link_href);
		HTML_LIT(b, "\">");
		html_text(b, link_text);
		HTML_LIT(b, "</a></p>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_signup(struct rctx *ctx)
{
	if (ctx->req->method != HTTP_METHOD_POST) {
		signup_form(ctx, NULL, 200);
		return;
	}
	if (!req_db(ctx))
		return;
	struct field_errors fe = {0};
	const struct query *f = &ctx->form;
	int rc = accounts_register(ctx->db, query_get(f, "email"), query_get(f, "password"),
	                           query_get(f, "display_name"), query_get(f, "role"), ctx->ip, &fe);
	if (rc < 0) {
		resp_db_error(ctx, "sign-up");
		return;
	}
	if (rc == 1) {
		signup_errors_in_form_order(&fe);
		signup_form(ctx, &fe, 422);
		return;
	}
	/*
	 * The same page whether or not the address already had an account (that
	 * one gets a different mail), so naming the address the person typed
	 * tells nothing new, and lets them spot a typo.
	 */
	char email[EMAIL_MAX + 1], text[EMAIL_MAX + 400];
	if (!email_normalise(query_get(f, "email"), email))
		snprintf(email, sizeof(email), "the address you gave");
	snprintf(text, sizeof(text),
	         "We sent a message to %s. Open the link in it within 48 hours to confirm your "
	         "address. You can sign in now; if the message does not arrive, your account page "
	         "sends a new link, and you can correct the address there too.",
	         email);
	message_page(ctx, 200, "Check your email", text, "/signin", "Go to sign in");
}

static void
signin_form(struct rctx *ctx, const char *error, int status)
{
	struct buf *b = &ctx->body;
	const struct query *f = &ctx->form;
	struct page pg = {.title = "Sign in", .nav = "signin", .status = status};
	struct field_errors fe = {0};
	if (error)
		ferr_add(&fe, "email", error);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Sign in</h1>");
	ui_error_summary(b, &fe);
	HTML_LIT(b, "<form method=\"post\" action=\"/signin\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	form_next_field(b, ctx);
	ui_input(b, &fe, "email", "Email address",
	         &(struct field_opts){.type = "email", .value = query_get(f, "email"),
	                              .autocomplete = "username", .required = true});
	ui_input(b, NULL, "password", "Password",
	         &(struct field_opts){.type = "password", .autocomplete = "current-password",
	                              .required = true});
	HTML_LIT(b, "<button type=\"submit\">Sign in</button></form>"
	            "<p><a href=\"/password/forgot\">Forgot your password?</a></p>"
	            "<p>New to Beacon? <a href=\"/signup\">Create an account</a>.</p>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_signin(struct rctx *ctx)
{
	if (ctx->req->method != HTTP_METHOD_POST) {
		signin_form(ctx, NULL, 200);
		return;
	}
	if (!req_db(ctx))
		return;
	struct user u;
	int retry = 0;
	const struct query *f = &ctx->form;
	switch (accounts_signin(ctx->db, query_get(f, "email"), query_get(f, "password"), ctx->ip,
	                        &u, &retry)) {
	case SIGNIN_OK:
	case SIGNIN_NEED_CODE: {
		bool pending = u.totp_enabled;
		int64_t uid = u.id;
		user_free(&u);
		if (auth_start_session(ctx, uid, pending, AUTH_FRESH) != 0) {
			resp_db_error(ctx, "session");
			return;
		}
		if (pending) {
			struct buf loc = {0};
			buf_puts(&loc, "/signin/2fa?next=");
			html_urlenc(&loc, form_next(ctx, "/account"));
			resp_redirect(ctx, 303, buf_cstr(&loc));
			buf_free(&loc);
		} else {
			resp_redirect(ctx, 303, form_next(ctx, "/account"));
		}
		return;
	}
	case SIGNIN_THROTTLED:
		form_retry_after(ctx, retry);
		signin_form(ctx, "Too many attempts. Wait a little, then try again.", 429);
		return;
	case SIGNIN_BAD:
		signin_form(ctx, "The email address or password is wrong.", 401);
		return;
	default:
		resp_db_error(ctx, "sign-in");
	}
}

static void
code_form(struct rctx *ctx, const char *error, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Enter your sign-in code", .status = status};
	struct field_errors fe = {0};
	if (error)
		ferr_add(&fe, "code", error);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Enter your sign-in code</h1>");
	ui_error_summary(b, &fe);
	HTML_LIT(b, "<form method=\"post\" action=\"/signin/2fa\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	form_next_field(b, ctx);
	ui_input(b, &fe, "code", "Code",
	         &(struct field_opts){.autocomplete = "one-time-code", .inputmode = "numeric",
	                              .required = true, .maxlength = 16,
	                              .hint = "The 6-digit code from your authenticator app, or "
	                                      "one of your recovery codes."});
	HTML_LIT(b, "<button type=\"submit\">Continue</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_signin_2fa(struct rctx *ctx)
{
	if (!ctx->auth.mfa_pending) {
		resp_redirect(ctx, 303, form_next(ctx, "/account"));
		return;
	}
	if (ctx->req->method != HTTP_METHOD_POST) {
		code_form(ctx, NULL, 200);
		return;
	}
	if (!req_db(ctx))
		return;
	struct user u;
	int found = users_get(ctx->db, ctx->auth.user_id, &u);
	if (found != 1) {
		resp_db_error(ctx, "user");
		return;
	}
	int retry = 0;
	int ok = twofactor_check(ctx->db, &u, query_get(&ctx->form, "code"), ctx->ip, &retry);
	user_free(&u);
	if (ok == 1) {
		/* The second factor raises the session's privilege: give it a new id. */
		if (auth_start_session(ctx, ctx->auth.user_id, false, AUTH_FRESH) != 0) {
			resp_db_error(ctx, "session");
			return;
		}
		resp_redirect(ctx, 303, form_next(ctx, "/account"));
	} else if (ok == 2) {
		form_retry_after(ctx, retry);
		code_form(ctx, "Too many attempts. Wait a little, then try again.", 429);
	} else if (ok == 0) {
		code_form(ctx, "That code is not right, or was already used. Try the newest code.",
		          401);
	} else {
		resp_db_error(ctx, "second factor");
	}
}

void
page_signout(struct rctx *ctx)
{
	struct db *db = app_db();
	if (db != NULL) {
		char target[24];
		snprintf(target, sizeof(target), "%lld", (long long)ctx->auth.user_id);
		audit_log(db, ctx->auth.user_id, ctx->ip, "auth.signout", "user", target, NULL);
	}
	auth_end_session(ctx);
	resp_redirect(ctx, 303, "/");
}

void
page_verify_email(struct rctx *ctx)
{
	struct buf *b = &ctx->body;
	if (ctx->req->method != HTTP_METHOD_POST) {
		/* Opening the link only shows a button: mail scanners that fetch links change nothing. */
		const char *token = query_get(&ctx->query, "token");
		struct page pg = {.title = "Confirm your email address"};
		layout_begin(ctx, &pg);
		HTML_LIT(b, "<h1>Confirm your email address</h1>"
		            "<form method=\"post\" action=\"/verify-email\" class=\"form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<input type=\"hidden\" name=\"token\" value=\"");
		html_attr(b, token ? token : "");
		HTML_LIT(b, "\"><button type=\"submit\">Confirm my email address</button></form>");
		layout_end(ctx, &pg);
		resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
		return;
	}
	if (!req_db(ctx))
		return;
	int64_t uid = 0;
	int rc = accounts_verify_email(ctx->db, query_get(&ctx->form, "token"), ctx->ip, &uid);
	if (rc < 0)
		resp_db_error(ctx, "verify email");
	else if (rc == 1)
		message_page(ctx, 200, "Email address confirmed", "Thank you. Your address is confirmed.",
		             ctx->auth.user_id ? "/account" : "/signin",
		             ctx->auth.user_id ? "Go to your account" : "Sign in");
	else if (rc == 2)
		message_page(ctx, 409, "Address already in use",
		             "Another account uses this address now, so it cannot be moved to yours.",
		             "/account", "Go to your account");
	else if (ctx->auth.user_id != 0 && !ctx->auth.mfa_pending && ctx->auth.email_verified)
		/*
		 * Opened again after it worked: the signed-in account's own address is
		 * confirmed, so say that. Nothing is said about whose link it was.
		 */
		message_page(ctx, 200, "Your email address is confirmed",
		             "There is nothing more to do: your address is already confirmed. If you "
		             "were changing your address, that link has expired or was already used; "
		             "you can ask for a new one on your account page.",
		             "/account", "Go to your account");
	else if (ctx->auth.user_id != 0 && !ctx->auth.mfa_pending)
		message_page(ctx, 400, "This link does not work",
		             "The link has expired or was already used. Ask for a new one on your "
		             "account page.",
		             "/account", "Go to your account");
	else
		message_page(ctx, 400, "This link does not work",
		             "The link has expired or was already used. Sign in and ask for a new one "
		             "on your account page.",
		             "/signin", "Sign in");
}

static void
forgot_form(struct rctx *ctx, const struct field_errors *fe, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Reset your password", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Reset your password</h1>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<p>Enter the email address of your account. We will send you a link to "
	            "choose a new password.</p>"
	            "<form method=\"post\" action=\"/password/forgot\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	ui_input(b, fe, "email", "Email address",
	         &(struct field_opts){.type = "email", .value = query_get(&ctx->form, "email"),
	                              .autocomplete = "email", .required = true});
	HTML_LIT(b, "<button type=\"submit\">Send the link</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_password_forgot(struct rctx *ctx)
{
	if (ctx->req->method != HTTP_METHOD_POST) {
		forgot_form(ctx, NULL, 200);
		return;
	}
	char email[EMAIL_MAX + 1];
	if (!email_normalise(query_get(&ctx->form, "email"), email)) {
		struct field_errors fe = {0};
		ferr_add(&fe, "email", "Enter an email address like name@example.org.");
		forgot_form(ctx, &fe, 422);
		return;
	}
	if (!req_db(ctx))
		return;
	if (accounts_forgot(ctx->db, email, ctx->ip) != 0) {
		resp_db_error(ctx, "password reset");
		return;
	}
	message_page(ctx, 200, "Check your email",
	             "If an account uses that address, we sent it a link to choose a new password. "
	             "The link works once, for one hour.",
	             "/signin", "Back to sign in");
}

static void
reset_form(struct rctx *ctx, const char *token, const struct field_errors *fe, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Choose a new password", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Choose a new password</h1>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<form method=\"post\" action=\"/password/reset\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<input type=\"hidden\" name=\"token\" value=\"");
	html_attr(b, token ? token : "");
	HTML_LIT(b, "\">");
	ui_input(b, fe, "password", "New password",
	         &(struct field_opts){.type = "password", .autocomplete = "new-password",
	                              .required = true,
	                              .hint = "At least 15 characters. You will be signed out "
	                                      "everywhere else."});
	HTML_LIT(b, "<button type=\"submit\">Save the new password</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_password_reset(struct rctx *ctx)
{
	if (ctx->req->method != HTTP_METHOD_POST) {
		reset_form(ctx, query_get(&ctx->query, "token"), NULL, 200);
		return;
	}
	if (!req_db(ctx))
		return;
	const char *token = query_get(&ctx->form, "token");
	struct field_errors fe = {0};
	int rc = accounts_reset(ctx->db, token, query_get(&ctx->form, "password"), ctx->ip, &fe);
	if (rc < 0)
		resp_db_error(ctx, "password reset");
	else if (rc == 1)
		reset_form(ctx, token, &fe, 422);
	else if (rc == 2)
		message_page(ctx, 400, "This link does not work",
		             "The link has expired or was already used. Ask for a new one.",
		             "/password/forgot", "Reset your password");
	else
		message_page(ctx, 200, "Password changed",
		             "Your new password is saved and every other sign-in was ended.", "/signin",
		             "Sign in");
}
