/*
 * unsubscribe.c - one-click unsubscribe from one kind of notification
 * email: /unsubscribe?u=<user id>&k=<kind>&t=<token>. GET shows a button;
 * POST turns that kind's email off (k=digest, from a digest listing several
 * kinds: every kind sent by daily digest). No sign-in and no CSRF token (route
 * flag ROUTE_NO_CSRF): the HMAC token names the user and the kind and is
 * the only authority, checked in constant time. RFC 8058 one-click POSTs
 * carry the parameters in the URL and "List-Unsubscribe=One-Click" in the
 * body, so the parameters are read from the URL first, then the form.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "model/notifications.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/ui.h"

struct unsub {
	int64_t user_id;
	const char *kind; /* a kind, or NOTIFY_UNSUB_DIGEST */
	const char *token;
};

static const char *
param(struct rctx *ctx, const char *key)
{
	const char *v = query_get(&ctx->query, key);
	return v ? v : query_get(&ctx->form, key);
}

/* The request's parameters when the token is right; otherwise answers 404 and returns false. */
static bool
load(struct rctx *ctx, struct unsub *u)
{
	const char *us = param(ctx, "u");
	u->kind = param(ctx, "k");
	u->token = param(ctx, "t");
	u->user_id = 0;
	if (us != NULL && us[0] >= '1' && us[0] <= '9') {
		char *end = NULL;
		errno = 0;
		long long v = strtoll(us, &end, 10);
		if (errno == 0 && *end == '\0')
			u->user_id = v;
	}
	if (u->user_id > 0 && u->kind != NULL &&
	    notify_unsubscribe_check(u->user_id, u->kind, u->token))
		return true;
	resp_error_page(ctx, 404, "This unsubscribe link is not valid. Open the newest email, or "
	                          "choose your emails in your account settings.");
	return false;
}

static void
page(struct rctx *ctx, const struct unsub *u, bool done)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = done ? "Unsubscribed" : "Unsubscribe"};
	layout_begin(ctx, &pg);
	if (done) {
		HTML_LIT(b, "<h1>Unsubscribed</h1><p role=\"status\">You will get no more emails about: ");
		html_text(b, notify_unsubscribe_label(u->kind));
		HTML_LIT(b, ". You still see these on your notifications page. You can turn the emails "
		            "on again in <a href=\"/account/notifications\">your email settings</a>.</p>");
	} else {
		HTML_LIT(b, "<h1>Unsubscribe</h1><p>Stop emails about: <strong>");
		html_text(b, notify_unsubscribe_label(u->kind));
		HTML_LIT(b, "</strong>?</p><form method=\"post\" action=\"/unsubscribe\">"
		            "<input type=\"hidden\" name=\"u\" value=\"");
		html_int(b, u->user_id);
		HTML_LIT(b, "\"><input type=\"hidden\" name=\"k\" value=\"");
		html_attr(b, u->kind);
		HTML_LIT(b, "\"><input type=\"hidden\" name=\"t\" value=\"");
		html_attr(b, u->token);
		HTML_LIT(b, "\"><button type=\"submit\">Stop these emails</button></form>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_unsubscribe(struct rctx *ctx)
{
	struct unsub u;
	ctx->personal = true;
	if (!load(ctx, &u))
		return;
	if (ctx->req->method != HTTP_METHOD_POST) {
		page(ctx, &u, false);
		return;
	}
	if (!req_db(ctx))
		return;
	if (notify_unsubscribe_apply(ctx->db, u.user_id, u.kind) != 0) {
		resp_db_error(ctx, "unsubscribe");
		return;
	}
	page(ctx, &u, true);
}
