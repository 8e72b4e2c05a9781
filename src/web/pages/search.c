/*
 * search.c - the job search page (GET /jobs). Without HX-Request it renders
 * the whole page; with it, only the results plus out-of-band updates for
 * the facet counts and the live region, so focus stays where it was.
 */
#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "core/log.h"
#include "model/vocab.h"
#include "search/search.h"
#include "web/handlers.h"
#include "web/search_req.h"
#include "web/layout.h"
#include "web/pages/render.h"
#include "web/pages/saved_searches_ui.h"
#include "search/params.h"

static void
count_span(struct buf *b, const char *group, const char *code, int64_t n, bool oob)
{
	HTML_LIT(b, "<span class=\"count\" id=\"fc-");
	html_attr(b, group);
	HTML_LIT(b, "-");
	html_attr(b, code);
	HTML_LIT(b, "\"");
	if (oob)
		HTML_LIT(b, " hx-swap-oob=\"true\"");
	HTML_LIT(b, ">(");
	html_int(b, n);
	HTML_LIT(b, ")</span>");
}

static void
checkbox(struct buf *b, const char *name, const char *group, const char *code,
         const char *label, bool checked, int64_t count)
{
	HTML_LIT(b, "<li><input type=\"checkbox\" name=\"");
	html_attr(b, name);
	HTML_LIT(b, "\" value=\"");
	html_attr(b, code);
	HTML_LIT(b, "\" id=\"f-");
	html_attr(b, group);
	HTML_LIT(b, "-");
	html_attr(b, code);
	HTML_LIT(b, "\"");
	if (checked)
		HTML_LIT(b, " checked");
	HTML_LIT(b, "><label for=\"f-");
	html_attr(b, group);
	HTML_LIT(b, "-");
	html_attr(b, code);
	HTML_LIT(b, "\">");
	html_text(b, label);
	HTML_LIT(b, " ");
	count_span(b, group, code, count, false);
	HTML_LIT(b, "</label></li>");
}

static void
radio(struct buf *b, const char *name, const char *group, const char *value, const char *label,
      bool checked, int64_t count, bool show_count)
{
	HTML_LIT(b, "<li><input type=\"radio\" name=\"");
	html_attr(b, name);
	HTML_LIT(b, "\" value=\"");
	html_attr(b, value);
	HTML_LIT(b, "\" id=\"f-");
	html_attr(b, group);
	HTML_LIT(b, "-");
	html_attr(b, value[0] ? value : "any");
	HTML_LIT(b, "\"");
	if (checked)
		HTML_LIT(b, " checked");
	HTML_LIT(b, "><label for=\"f-");
	html_attr(b, group);
	HTML_LIT(b, "-");
	html_attr(b, value[0] ? value : "any");
	HTML_LIT(b, "\">");
	html_text(b, label);
	if (show_count) {
		HTML_LIT(b, " ");
		count_span(b, group, value, count, false);
	}
	HTML_LIT(b, "</label></li>");
}

static const char *const salary_labels[SEARCH_SALARY_BANDS] = {
    "$30,000 or more", "$50,000 or more", "$75,000 or more", "$100,000 or more",
    "$150,000 or more"};

static void
salary_code(char *out, size_t n, int i)
{
	snprintf(out, n, "%lld", (long long)search_salary_bands[i]);
}

/* "City, Region, Country" of a facet entry, the parts it has. */
static void
location_value(struct buf *b, const struct search_location *l)
{
	const char *parts[] = {l->city, l->region, l->country};
	for (int i = 0; i < 3; i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if (b->len)
			buf_puts(b, ", ");
		buf_puts(b, parts[i]);
	}
}

/*
 * The places with the most matching jobs, each a link that sets the
 * location (a full page load, so the location field shows it too).
 */
static void
location_facet(struct buf *b, const struct search_query *sq, const struct search_result *r,
               bool oob)
{
	HTML_LIT(b, "<ul class=\"places\" id=\"fc-places\"");
	if (oob)
		HTML_LIT(b, " hx-swap-oob=\"true\"");
	HTML_LIT(b, ">");
	struct buf place = {0}, qs = {0};
	for (size_t i = 0; i < r->nlocations; i++) {
		struct search_query t = *sq;
		buf_reset(&place);
		buf_reset(&qs);
		location_value(&place, &r->locations[i]);
		t.location = buf_cstr(&place);
		t.page = 1;
		params_search_qs(&qs, &t, 0);
		HTML_LIT(b, "<li><a href=\"/jobs?");
		html_attr(b, buf_cstr(&qs));
		HTML_LIT(b, "\">");
		html_text(b, buf_cstr(&place));
		HTML_LIT(b, "</a> <span class=\"count\">(");
		html_int(b, r->locations[i].count);
		HTML_LIT(b, ")</span></li>");
	}
	if (r->nlocations == 0)
		HTML_LIT(b, "<li>No places to suggest.</li>");
	HTML_LIT(b, "</ul>");
	buf_free(&place);
	buf_free(&qs);
}

/* Every facet count again, marked for HTMX out-of-band swaps. */
static void
oob_counts(struct buf *b, const struct search_result *r)
{
	for (size_t i = 0; i < vocab_accommodations_count; i++)
		count_span(b, "acc", vocab_accommodations[i].code, r->accommodation_counts[i], true);
	count_span(b, "remote", "true", r->remote_counts[1], true);
	count_span(b, "remote", "false", r->remote_counts[0], true);
	for (size_t i = 0; i < vocab_employment_types_count; i++)
		count_span(b, "type", vocab_employment_types[i].code, r->type_counts[i], true);
	for (size_t i = 0; i < vocab_levels_count; i++)
		count_span(b, "level", vocab_levels[i].code, r->level_counts[i], true);
	for (int i = 0; i < SEARCH_SALARY_BANDS; i++) {
		char code[24];
		salary_code(code, sizeof(code), i);
		count_span(b, "salary", code, r->salary_counts[i], true);
	}
}

static void
filters(struct buf *b, const struct search_query *sq, const struct search_result *r)
{
	HTML_LIT(b, "<section class=\"filters\" aria-labelledby=\"filters-h\">"
	            "<h2 id=\"filters-h\">Filters</h2>");

	HTML_LIT(b, "<fieldset><legend>Accommodations offered</legend><ul class=\"options\">");
	for (size_t i = 0; i < vocab_accommodations_count; i++)
		checkbox(b, "accommodation", "acc", vocab_accommodations[i].code,
		         vocab_accommodations[i].label,
		         (sq->accommodations & ((uint64_t)1 << i)) != 0, r->accommodation_counts[i]);
	HTML_LIT(b, "</ul></fieldset>");

	HTML_LIT(b, "<section class=\"facet\" aria-labelledby=\"places-h\"><h3 id=\"places-h\">"
	            "Places with the most jobs</h3>");
	location_facet(b, sq, r, false);
	HTML_LIT(b, "</section>");

	HTML_LIT(b, "<fieldset><legend>Where you work</legend><ul class=\"options\">");
	radio(b, "remote", "remote", "", "Anywhere", sq->remote < 0, 0, false);
	radio(b, "remote", "remote", "true", "Remote", sq->remote == 1, r->remote_counts[1], true);
	radio(b, "remote", "remote", "false", "On-site", sq->remote == 0, r->remote_counts[0],
	      true);
	HTML_LIT(b, "</ul></fieldset>");

	HTML_LIT(b, "<fieldset><legend>Employment type</legend><ul class=\"options\">");
	for (size_t i = 0; i < vocab_employment_types_count; i++)
		checkbox(b, "type", "type", vocab_employment_types[i].code,
		         vocab_employment_types[i].label, (sq->types & (1u << i)) != 0,
		         r->type_counts[i]);
	HTML_LIT(b, "</ul></fieldset>");

	HTML_LIT(b, "<fieldset><legend>Experience level</legend><ul class=\"options\">");
	for (size_t i = 0; i < vocab_levels_count; i++)
		checkbox(b, "level", "level", vocab_levels[i].code, vocab_levels[i].label,
		         (sq->levels & (1u << i)) != 0, r->level_counts[i]);
	HTML_LIT(b, "</ul></fieldset>");

	HTML_LIT(b, "<fieldset><legend>Salary per year</legend><ul class=\"options\">");
	radio(b, "min_salary", "salary", "", "Any salary", sq->min_salary == 0, 0, false);
	for (int i = 0; i < SEARCH_SALARY_BANDS; i++) {
		char code[24];
		salary_code(code, sizeof(code), i);
		radio(b, "min_salary", "salary", code, salary_labels[i],
		      sq->min_salary == search_salary_bands[i], r->salary_counts[i], true);
	}
	HTML_LIT(b, "</ul></fieldset>");
	HTML_LIT(b, "<button type=\"submit\" class=\"secondary\">Apply filters</button>"
	            "</section>");
}

static void
status_text(struct buf *b, const struct search_result *r)
{
	html_int(b, r->total);
	if (r->total == 1)
		HTML_LIT(b, " job found");
	else
		HTML_LIT(b, " jobs found");
}

static void
page_link(struct buf *b, const struct search_query *sq, int page, const char *rel,
          const char *label)
{
	struct buf qs = {0};
	params_search_qs(&qs, sq, page);
	HTML_LIT(b, "<a href=\"/jobs");
	if (qs.len) {
		HTML_LIT(b, "?");
		html_attr(b, qs.data);
	}
	HTML_LIT(b, "\" rel=\"");
	html_attr(b, rel);
	HTML_LIT(b, "\" hx-get=\"/jobs");
	if (qs.len) {
		HTML_LIT(b, "?");
		html_attr(b, qs.data);
	}
	HTML_LIT(b, "\" hx-target=\"#results\" hx-push-url=\"true\" data-focus-results>");
	html_text(b, label);
	HTML_LIT(b, "</a>");
	buf_free(&qs);
}

/* Links that each remove one active filter: the way out of an empty result. */
static void
removal_links(struct buf *b, const struct search_query *sq)
{
	HTML_LIT(b, "<ul class=\"suggestions\">");
	struct search_query t;
	struct buf qs = {0};
#define REMOVE_LINK(cond, mutate, text)                                                       \
	if (cond) {                                                                           \
		t = *sq;                                                                      \
		t.page = 1;                                                                   \
		mutate;                                                                       \
		buf_reset(&qs);                                                               \
		params_search_qs(&qs, &t, 0);                                                 \
		HTML_LIT(b, "<li><a href=\"/jobs?");                                          \
		html_attr(b, buf_cstr(&qs));                                                  \
		HTML_LIT(b, "\">");                                                           \
		HTML_LIT(b, text);                                                            \
		HTML_LIT(b, "</a></li>");                                                     \
	}
	REMOVE_LINK(sq->words, t.words = NULL, "Search without the words");
	REMOVE_LINK(sq->location, t.location = NULL, "Search every location");
	REMOVE_LINK(sq->remote >= 0, t.remote = -1, "Include remote and on-site jobs");
	REMOVE_LINK(sq->types, t.types = 0, "Include every employment type");
	REMOVE_LINK(sq->levels, t.levels = 0, "Include every experience level");
	REMOVE_LINK(sq->accommodations, t.accommodations = 0, "Clear the accommodation filters");
	REMOVE_LINK(sq->min_salary, t.min_salary = 0, "Include every salary");
#undef REMOVE_LINK
	buf_free(&qs);
	HTML_LIT(b, "<li><a href=\"/jobs\">Start a new search</a></li></ul>");
}

static void
results(struct buf *b, const struct search_query *sq, const struct search_result *r)
{
	HTML_LIT(b, "<h2 id=\"results-h\" tabindex=\"-1\">");
	status_text(b, r);
	if (sq->words) {
		HTML_LIT(b, " for “");
		html_text(b, sq->words);
		HTML_LIT(b, "”");
	}
	HTML_LIT(b, "</h2>");
	saved_search_link(b, sq);
	if (r->total == 0) {
		HTML_LIT(b, "<div class=\"empty\"><p>No open jobs match this search. You could:</p>");
		removal_links(b, sq);
		HTML_LIT(b, "</div>");
		return;
	}
	int64_t pages = (r->total + sq->per_page - 1) / sq->per_page;
	if (pages > SEARCH_MAX_PAGE)
		pages = SEARCH_MAX_PAGE;
	if (r->njobs == 0) {
		/* A stale link or a hand-typed page number: offer the way back. */
		HTML_LIT(b, "<p class=\"empty\">This page is past the last page of results. ");
		page_link(b, sq, (int)pages, "last", "Go to the last page");
		HTML_LIT(b, "</p>");
		return;
	} else {
		HTML_LIT(b, "<ol class=\"results\" start=\"");
		html_int(b, (int64_t)(sq->page - 1) * sq->per_page + 1);
		HTML_LIT(b, "\">");
		for (size_t i = 0; i < r->njobs; i++) {
			HTML_LIT(b, "<li>");
			render_job_card(b, &r->jobs[i], 3);
			HTML_LIT(b, "</li>");
		}
		HTML_LIT(b, "</ol>");
	}
	HTML_LIT(b, "<nav class=\"pager\" aria-label=\"Result pages\">");
	if (sq->page > 1)
		page_link(b, sq, sq->page - 1, "prev", "← Previous page");
	HTML_LIT(b, "<span>Page ");
	html_int(b, sq->page);
	HTML_LIT(b, " of ");
	html_int(b, pages);
	HTML_LIT(b, "</span>");
	if (sq->page < pages)
		page_link(b, sq, sq->page + 1, "next", "Next page →");
	HTML_LIT(b, "</nav>");
	struct buf qs = {0};
	params_search_qs(&qs, sq, 0);
	HTML_LIT(b, "<p class=\"feed\"><a href=\"/jobs.rss");
	if (qs.len) {
		HTML_LIT(b, "?");
		html_attr(b, qs.data);
	}
	HTML_LIT(b, "\">RSS feed of this search</a></p>");
	buf_free(&qs);
}

static void
sort_select(struct buf *b, const struct search_result *r)
{
	static const char *const values[] = {"relevance", "date", "salary"};
	static const char *const labels[] = {"Best match", "Newest first", "Highest salary"};
	HTML_LIT(b, "<div class=\"sort\"><label for=\"sort\">Sort by</label>"
	            "<select id=\"sort\" name=\"sort\">");
	for (int i = 0; i < 3; i++) {
		HTML_LIT(b, "<option value=\"");
		html_attr(b, values[i]);
		HTML_LIT(b, "\"");
		if ((int)r->sort == i + 1)
			HTML_LIT(b, " selected");
		HTML_LIT(b, ">");
		html_text(b, labels[i]);
		HTML_LIT(b, "</option>");
	}
	HTML_LIT(b, "</select></div>");
}

void
page_search(struct rctx *ctx)
{
	struct search_query sq;
	struct search_result r;
	if (!search_req_params(ctx, &sq) || !search_req_run(ctx, &sq, &r))
		return;
	struct buf *b = &ctx->body;
	if (ctx->htmx) {
		results(b, &sq, &r);
		HTML_LIT(b, "<div id=\"result-status\" hx-swap-oob=\"innerHTML\">");
		status_text(b, &r);
		HTML_LIT(b, "</div>");
		oob_counts(b, &r);
		location_facet(b, &sq, &r, true);
		search_result_free(&r);
		resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_SHORT);
		return;
	}
	struct buf rss = {0}, canon = {0};
	params_search_qs(&rss, &sq, 0);
	buf_puts(&canon, "/jobs.rss");
	if (rss.len) {
		buf_putc(&canon, '?');
		buf_append(&canon, rss.data, rss.len);
	}
	struct page pg = {.title = sq.words ? "Job search results" : "Find jobs",
	                  .description = "Search open jobs by words, location, accommodations "
	                                 "offered, employment type, level and salary.",
	                  .rss_url = canon.data,
	                  .nav = "jobs"};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Find jobs</h1>"
	            "<form class=\"search\" id=\"search-form\" action=\"/jobs\" method=\"get\" "
	            "role=\"search\" aria-label=\"Jobs\" hx-get=\"/jobs\" hx-target=\"#results\" "
	            "hx-push-url=\"true\" "
	            "hx-trigger=\"submit, change from:.filters, change from:#sort\">"
	            "<div class=\"search-row\"><div class=\"field\">"
	            "<label for=\"q\">Job title, skill or keyword</label>"
	            "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"200\" value=\"");
	html_attr(b, sq.words);
	HTML_LIT(b, "\"></div><div class=\"field\"><label for=\"location\">City, state or "
	            "country</label><input id=\"location\" name=\"location\" type=\"text\" "
	            "maxlength=\"100\" autocomplete=\"address-level2\" value=\"");
	html_attr(b, sq.location);
	HTML_LIT(b, "\"></div>");
	sort_select(b, &r);
	HTML_LIT(b, "<button type=\"submit\">Search</button></div>"
	            "<div class=\"search-layout\">");
	filters(b, &sq, &r);
	HTML_LIT(b, "<div class=\"results-col\"><div id=\"result-status\" class=\"status\" "
	            "role=\"status\" aria-live=\"polite\" aria-atomic=\"true\">");
	status_text(b, &r);
	HTML_LIT(b, "</div><section id=\"results\" aria-labelledby=\"results-h\">");
	results(b, &sq, &r);
	HTML_LIT(b, "</section></div></div></form>");
	layout_end(ctx, &pg);
	buf_free(&rss);
	buf_free(&canon);
	search_result_free(&r);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_SHORT);
}
