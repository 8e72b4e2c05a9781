/*
 * layout.c - the shared page frame.
 */
#include "web/layout.h"

#include <string.h>

#include "core/html.h"
#include "model/users.h"
#include "web/pages/notifications_ui.h"
#include "web/ui.h"
#include "web/static.h"

static void
nav_link(struct buf *b, const struct page *pg, const char *key, const char *href,
         const char *label)
{
	HTML_LIT(b, "<li><a href=\"");
	html_attr(b, href);
	HTML_LIT(b, "\"");
	if (pg->nav != NULL && strcmp(pg->nav, key) == 0)
		HTML_LIT(b, " aria-current=\"page\"");
	HTML_LIT(b, ">");
	html_text(b, label);
	HTML_LIT(b, "</a></li>");
}

void
layout_begin(struct rctx *ctx, const struct page *pg)
{
	struct buf *b = &ctx->body;
	HTML_LIT(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<title>");
	html_text(b, pg->title);
	HTML_LIT(b, " · Beacon</title>");
	if (pg->description) {
		HTML_LIT(b, "<meta name=\"description\" content=\"");
		html_attr(b, pg->description);
		HTML_LIT(b, "\">");
	}
	if (pg->canonical) {
		HTML_LIT(b, "<link rel=\"canonical\" href=\"");
		html_attr(b, pg->canonical);
		HTML_LIT(b, "\">");
	}
	if (pg->rss_url) {
		HTML_LIT(b, "<link rel=\"alternate\" type=\"application/rss+xml\" "
		            "title=\"Jobs matching this search\" href=\"");
		html_attr(b, pg->rss_url);
		HTML_LIT(b, "\">");
	}
	HTML_LIT(b, "<link rel=\"icon\" href=\"");
	html_attr(b, static_url("favicon.svg"));
	HTML_LIT(b, "\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"");
	html_attr(b, static_url("beacon.css"));
	HTML_LIT(b, "\"><meta name=\"htmx-config\" content=\"{&quot;includeIndicatorStyles&quot;:"
	            "false,&quot;historyCacheSize&quot;:0,&quot;allowEval&quot;:false,"
	            "&quot;allowScriptTags&quot;:false,"
	            "&quot;attributesToSettle&quot;:[&quot;class&quot;,&quot;width&quot;,"
	            "&quot;height&quot;],"
	            "&quot;historyRestoreAsHxRequest&quot;:false}\"><script src=\"");
	html_attr(b, static_url("vendor/htmx.min.js"));
	HTML_LIT(b, "\" defer></script><script src=\"");
	html_attr(b, static_url("beacon.js"));
	HTML_LIT(b, "\" defer></script>");
	if (pg->jsonld && pg->jsonld->len) {
		/* The JSON writer escapes "</" so the data cannot end the element. */
		HTML_LIT(b, "<script type=\"application/ld+json\">");
		html_raw_trusted_(b, pg->jsonld->data, pg->jsonld->len);
		HTML_LIT(b, "</script>");
	}
	HTML_LIT(b, "</head><body><a class=\"skip-link\" href=\"#main\">Skip to main content</a>"
	            "<header class=\"site-header\"><div class=\"wrap\">"
	            "<a class=\"brand\" href=\"/\"><span aria-hidden=\"true\" class=\"brand-mark\">"
	            "&#9673;</span> Beacon</a><nav aria-label=\"Main\"><ul>");
	nav_link(b, pg, "home", "/", "Home");
	nav_link(b, pg, "jobs", "/jobs", "Find jobs");
	nav_link(b, pg, "help", "/help", "Help");
	const struct auth *a = &ctx->auth;
	if (a->user_id != 0 && !a->mfa_pending) {
		if (a->role & (ROLE_EMPLOYER | ROLE_RECRUITER))
			nav_link(b, pg, "employer", "/employer/jobs", "My jobs");
		if (a->role & (ROLE_EMPLOYER | ROLE_RECRUITER | ROLE_ADMIN))
			nav_link(b, pg, "candidates", "/candidates", "Candidates");
		if (a->role == ROLE_JOB_SEEKER)
			nav_link(b, pg, "profile", "/profile", "Profile");
		if (a->role == ROLE_JOB_SEEKER)
			nav_link(b, pg, "applications", "/applications", "Applications");
		if (a->role & (ROLE_JOB_SEEKER | ROLE_ENTREPRENEUR))
			nav_link(b, pg, "documents", "/documents", "Documents");
		if (a->role == ROLE_ADMIN)
			nav_link(b, pg, "admin", "/admin/users", "Admin");
		nav_link(b, pg, "saved", "/saved-searches", "Saved searches");
		notify_nav_item(ctx, b, pg);
		nav_link(b, pg, "account", "/account", "Account");
		HTML_LIT(b, "<li><form method=\"post\" action=\"/signout\" class=\"inline-form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<button type=\"submit\" class=\"link-button\">Sign out</button></form></li>");
	} else {
		nav_link(b, pg, "signin", "/signin", "Sign in");
		nav_link(b, pg, "signup", "/signup", "Sign up");
	}
	HTML_LIT(b, "</ul></nav></div></header><main id=\"main\" tabindex=\"-1\" class=\"wrap\">");
}

void
layout_end(struct rctx *ctx, const struct page *pg)
{
	(void)pg;
	HTML_LIT(&ctx->body,
	         "</main><footer class=\"site-footer\"><div class=\"wrap\">"
	         "<p>Beacon is a job platform built Deaf-first: every step works in writing, "
	         "no phone calls needed.</p>"
	         "<p>Need help? Read <a href=\"/help\">how Beacon works</a> or write to "
	         "<a href=\"mailto:help@beacon.example\">help@beacon.example</a>.</p>"
	         "<p><a href=\"/feeds/indeed.xml\">Job feed (XML)</a> · "
	         "<a href=\"/api/v1/jobs\">JSON API</a></p></div></footer></body></html>\n");
}
