/*
 * employer_ui.c - page pieces for employers (see employer_ui.h).
 */
#include "web/pages/employer_ui.h"

#include "core/html.h"
#include "web/layout.h"

void
emp_message(struct rctx *ctx, int status, const char *title, const char *text, const char *href,
            const char *link_text)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = title, .status = status, .nav = "employer"};
	buf_reset(b);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>");
	html_text(b, title);
	HTML_LIT(b, "</h1><p>");
	html_text(b, text);
	HTML_LIT(b, "</p>");
	if (href != NULL) {
		HTML_LIT(b, "<p><a href=\"");
		html_attr(b, href);
		HTML_LIT(b, "\">");
		html_text(b, link_text);
		HTML_LIT(b, "</a></p>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

void
emp_unverified(struct rctx *ctx)
{
	emp_message(ctx, 403, "Confirm your email address first",
	            "Only accounts with a confirmed email address can publish jobs or invite "
	            "colleagues. Open the link in the message we sent you when you signed up. "
	            "You can ask for a new link on your account page.",
	            "/account", "Go to your account page");
}

void
emp_job_not_found(struct rctx *ctx)
{
	resp_error_page(ctx, 404, "There is no job with this number among your company's jobs.");
}
