/*
 * home.c - the front page: one search box, shortcuts to the searches Deaf
 * and hard-of-hearing job seekers ask for most, and the newest jobs.
 */
#include "core/html.h"
#include "search/search.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/search_req.h"
#include "web/pages/render.h"

struct shortcut {
	const char *href;
	const char *label;
};

static const struct shortcut shortcuts[] = {
    {"/jobs?accommodation=asl_interpreter", "Jobs with an ASL interpreter"},
    {"/jobs?accommodation=text_interviews", "Text-based interviews"},
    {"/jobs?accommodation=captioned_meetings", "Captioned meetings"},
    {"/jobs?accommodation=deaf_owned", "Deaf-owned businesses"},
    {"/jobs?remote=true", "Remote jobs"},
    {"/jobs?level=entry", "Entry-level jobs"},
};

void
page_home(struct rctx *ctx)
{
	struct search_query sq;
	struct search_result r;
	search_query_init(&sq);
	sq.per_page = 5;
	if (!search_req_run(ctx, &sq, &r))
		return;
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Jobs with the accommodations you need",
	                  .description = "Beacon is a job board built Deaf-first: search jobs by "
	                                 "the accommodations employers offer.",
	                  .nav = "home"};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<section class=\"hero\" aria-labelledby=\"hero-h\">"
	            "<h1 id=\"hero-h\">Find jobs with the accommodations you need</h1>"
	            "<p class=\"lead\">Beacon is built Deaf-first. Every employer here lists the "
	            "accommodations they offer, and nothing on Beacon needs a phone call.</p>"
	            "<form class=\"search\" action=\"/jobs\" method=\"get\" role=\"search\" "
	            "aria-label=\"Jobs\"><div class=\"search-row\"><div class=\"field\">"
	            "<label for=\"q\">Job title, skill or keyword</label>"
	            "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"200\"></div>"
	            "<div class=\"field\"><label for=\"location\">City, state or country</label>"
	            "<input id=\"location\" name=\"location\" type=\"text\" maxlength=\"100\" "
	            "autocomplete=\"address-level2\"></div>"
	            "<button type=\"submit\">Search jobs</button></div></form>"
	            "<p class=\"muted\">");
	html_int(b, r.total);
	if (r.total == 1)
		HTML_LIT(b, " open job right now.");
	else
		HTML_LIT(b, " open jobs right now.");
	HTML_LIT(b, "</p></section><section aria-labelledby=\"quick-h\">"
	            "<h2 id=\"quick-h\">Popular searches</h2><ul class=\"shortcuts\">");
	for (size_t i = 0; i < sizeof(shortcuts) / sizeof(shortcuts[0]); i++) {
		HTML_LIT(b, "<li><a href=\"");
		html_attr(b, shortcuts[i].href);
		HTML_LIT(b, "\">");
		html_text(b, shortcuts[i].label);
		HTML_LIT(b, "</a></li>");
	}
	HTML_LIT(b, "</ul></section><section aria-labelledby=\"new-h\">"
	            "<h2 id=\"new-h\">Newest jobs</h2>");
	if (r.njobs == 0) {
		HTML_LIT(b, "<p class=\"empty\">No jobs are open yet. Employers and imports add them; "
		            "check back soon.</p>");
	} else {
		HTML_LIT(b, "<ul class=\"results\">");
		for (size_t i = 0; i < r.njobs; i++) {
			HTML_LIT(b, "<li>");
			render_job_card(b, &r.jobs[i], 3);
			HTML_LIT(b, "</li>");
		}
		HTML_LIT(b, "</ul><p><a href=\"/jobs\">See all open jobs</a></p>");
	}
	HTML_LIT(b, "</section>");
	layout_end(ctx, &pg);
	search_result_free(&r);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_SHORT);
}
