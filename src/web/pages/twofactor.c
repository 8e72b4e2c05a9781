/*
 * twofactor.c - the two-factor sign-in page: set up with a QR code or the
 * secret typed by hand, confirm with a code, see the recovery codes once,
 * renew them, turn 2FA off (not for admins: they must keep it).
 */
#include <string.h>

#include "core/html.h"
#include "core/qrsvg.h"
#include "model/twofactor.h"
#include "model/users.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/ui.h"

static void
codes_list(struct buf *b, const struct buf *codes)
{
	HTML_LIT(b, "<h2 id=\"h-codes\">Your recovery codes</h2><p>Each code signs you in once if "
	            "you lose your phone. Keep them somewhere safe, such as a password manager. "
	            "They are shown only now.</p><ul class=\"codes\" aria-labelledby=\"h-codes\">");
	const char *p = buf_cstr(codes);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		HTML_LIT(b, "<li><code>");
		html_textn(b, p, n);
		HTML_LIT(b, "</code></li>");
		p += n + (nl ? 1 : 0);
	}
	HTML_LIT(b, "</ul><p><a href=\"/account\">Back to your account</a></p>");
}

/* The set-up step: QR code, the secret as text, and the form for the first code. */
static void
setup_view(struct rctx *ctx, const struct buf *secret, const struct buf *uri, const char *error,
           int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Set up two-factor sign-in", .nav = "account", .status = status};
	struct field_errors fe = {0};
	if (error)
		ferr_add(&fe, "code", error);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Set up two-factor sign-in</h1>");
	ui_error_summary(b, &fe);
	if (ctx->auth.role == ROLE_ADMIN)
		ui_notice(b, "info", "Admins must use two-factor sign-in before they can continue.");
	HTML_LIT(b, "<ol class=\"steps\"><li><p>Open an authenticator app on your phone (for "
	            "example a password manager with one-time codes) and add an account.</p></li>"
	            "<li><p>Scan this code with the app:</p><div class=\"qr\">");
	qrsvg_render(buf_cstr(uri), "QR code for your authenticator app", b);
	HTML_LIT(b, "</div><p>Or type this key into the app:</p><p><code class=\"secret\">");
	html_text(b, buf_cstr(secret));
	HTML_LIT(b, "</code></p></li><li><p>Enter the 6-digit code the app shows.</p>"
	            "<form method=\"post\" action=\"/account/2fa/enable\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	form_next_field(b, ctx);
	ui_input(b, &fe, "code", "Code from the app",
	         &(struct field_opts){.autocomplete = "one-time-code", .inputmode = "numeric",
	                              .required = true, .maxlength = 8});
	HTML_LIT(b, "<button type=\"submit\">Turn on two-factor sign-in</button></form></li></ol>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

/* Show the enrolment step (the pending secret, or a new one). */
static void
setup_new(struct rctx *ctx, const struct user *u, const char *error, int status)
{
	struct buf secret = {0}, uri = {0};
	if (twofactor_begin(ctx->db, u, &secret, &uri) != 0)
		resp_db_error(ctx, "2fa setup");
	else
		setup_view(ctx, &secret, &uri, error, status);
	buf_free(&secret);
	buf_free(&uri);
}

static int
load_me(struct rctx *ctx, struct user *u)
{
	if (!req_db(ctx))
		return 0;
	if (users_get(ctx->db, ctx->auth.user_id, u) != 1) {
		resp_db_error(ctx, "user");
		return 0;
	}
	return 1;
}

void
page_2fa(struct rctx *ctx)
{
	struct user u;
	if (!load_me(ctx, &u))
		return;
	if (!u.totp_enabled) {
		/* Binding an authenticator needs the password given recently (NIST 800-63B 6.1.2.1). */
		if (!auth_recent(ctx)) {
			user_free(&u);
			return;
		}
		if (!u.email_verified) {
			user_free(&u);
			resp_error(ctx, 403, "email_unverified", "Confirm your email address first",
			           "Two-factor sign-in can be set up once your email address is confirmed. "
			           "Use the link we sent, or ask for a new one on your account page.",
			           NULL);
			return;
		}
		setup_new(ctx, &u, NULL, 200);
		user_free(&u);
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Two-factor sign-in", .nav = "account"};
	int left = twofactor_recovery_left(ctx->db, u.id);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Two-factor sign-in</h1><p>Two-factor sign-in is on.");
	if (left >= 0) {
		HTML_LIT(b, " Recovery codes left: ");
		html_int(b, left);
		HTML_LIT(b, ".");
	}
	HTML_LIT(b, "</p><h2>New recovery codes</h2><p>Makes new codes and stops the old ones.</p>"
	            "<form method=\"post\" action=\"/account/2fa/recovery\" class=\"inline-form\">");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<button type=\"submit\">Make new recovery codes</button></form>");
	if (u.role != ROLE_ADMIN) {
		HTML_LIT(b, "<h2>Turn off</h2><p>You will sign in with your password only.</p>"
		            "<form method=\"post\" action=\"/account/2fa/disable\" class=\"inline-form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<button type=\"submit\">Turn off two-factor sign-in</button></form>");
	} else {
		HTML_LIT(b, "<p>Admins must keep two-factor sign-in on.</p>");
	}
	HTML_LIT(b, "<p><a href=\"/account\">Back to your account</a></p>");
	layout_end(ctx, &pg);
	user_free(&u);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_2fa_enable(struct rctx *ctx)
{
	struct user u;
	if (!load_me(ctx, &u))
		return;
	if (u.totp_enabled || !u.email_verified) {
		user_free(&u);
		resp_redirect(ctx, 303, "/account/2fa");
		return;
	}
	if (!auth_recent(ctx)) {
		user_free(&u);
		return;
	}
	struct buf codes = {0};
	int rc = twofactor_enable(ctx->db, &u, query_get(&ctx->form, "code"), ctx->ip,
	                          ctx->auth.session_id, &codes);
	if (rc < 0) {
		resp_db_error(ctx, "2fa enable");
	} else if (rc == 0) {
		setup_new(ctx, &u, "That code is not right. Check the app shows Beacon and enter its "
		                   "newest code.", 422);
	} else if (auth_start_session(ctx, u.id, false, AUTH_KEEP_TIME) != 0) {
		resp_db_error(ctx, "session");
	} else {
		struct buf *b = &ctx->body;
		struct page pg = {.title = "Two-factor sign-in is on", .nav = "account"};
		ctx->auth.totp_enabled = true;
		layout_begin(ctx, &pg);
		HTML_LIT(b, "<h1>Two-factor sign-in is on</h1>");
		codes_list(b, &codes);
		layout_end(ctx, &pg);
		resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
	}
	buf_free(&codes);
	user_free(&u);
}

void
page_2fa_recovery(struct rctx *ctx)
{
	if (!auth_recent(ctx))
		return;
	struct user u;
	if (!load_me(ctx, &u))
		return;
	struct buf codes = {0};
	if (!u.totp_enabled) {
		resp_redirect(ctx, 303, "/account/2fa");
	} else if (twofactor_new_recovery_codes(ctx->db, &u, ctx->ip, &codes) != 0) {
		resp_db_error(ctx, "recovery codes");
	} else {
		struct buf *b = &ctx->body;
		struct page pg = {.title = "New recovery codes", .nav = "account"};
		layout_begin(ctx, &pg);
		HTML_LIT(b, "<h1>New recovery codes</h1>");
		codes_list(b, &codes);
		layout_end(ctx, &pg);
		resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
	}
	buf_free(&codes);
	user_free(&u);
}

void
page_2fa_disable(struct rctx *ctx)
{
	if (!auth_recent(ctx))
		return;
	struct user u;
	if (!load_me(ctx, &u))
		return;
	if (u.role == ROLE_ADMIN) {
		user_free(&u);
		resp_error(ctx, 403, "forbidden", "Not allowed", "Admins must keep two-factor sign-in on.",
		           NULL);
		return;
	}
	int rc = twofactor_disable(ctx->db, &u, u.id, ctx->ip, ctx->auth.session_id);
	user_free(&u);
	if (rc != 0)
		resp_db_error(ctx, "2fa disable");
	else
		resp_redirect(ctx, 303, "/account/2fa");
}
