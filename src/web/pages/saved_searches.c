/*
 * saved_searches.c - saving a job search (/saved-searches/new, reached from
 * the search page), the list with rename, alert frequency, a new RSS link
 * and delete (/saved-searches), and the private RSS feed of one search
 * (/saved-searches/{id}/feed.rss?token=..., no sign-in).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/html.h"
#include "core/markdown.h"
#include "core/query.h"
#include "core/utf8.h"
#include "model/saved_searches.h"
#include "search/params.h"
#include "search/search.h"
#include "model/vocab.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/render.h"
#include "web/pages/saved_searches_ui.h"
#include "web/ui.h"

#define RSS_ITEMS 50

void
saved_search_link(struct buf *b, const struct search_query *sq)
{
	struct search_query t = *sq;
	t.sort = SEARCH_SORT_DEFAULT;
	t.per_page = SEARCH_DEFAULT_PER_PAGE;
	struct buf qs = {0};
	params_search_qs(&qs, &t, 0);
	HTML_LIT(b, "<p class=\"save-search\"><a href=\"/saved-searches/new");
	if (qs.len) {
		HTML_LIT(b, "?");
		html_attr(b, qs.data);
	}
	HTML_LIT(b, "\">Save this search and get alerts for new jobs</a></p>");
	buf_free(&qs);
}

/* One filter of a search, after a " · " unless it is the first. */
static void
filter_item(struct buf *b, bool *first, const char *label, const char *value)
{
	if (!*first)
		HTML_LIT(b, " · ");
	*first = false;
	html_text(b, label);
	if (value) {
		HTML_LIT(b, ": ");
		html_text(b, value);
	}
}

/* The labels of the bits set in bits over a vocabulary, as one filter. */
static void
filter_bits(struct buf *b, bool *first, const char *label, const struct vocab_entry *v,
            size_t count, uint64_t bits)
{
	struct buf t = {0};
	for (size_t i = 0; i < count && i < 64; i++)
		if (bits & ((uint64_t)1 << i)) {
			if (t.len)
				buf_puts(&t, ", ");
			buf_puts(&t, v[i].label);
		}
	if (t.len)
		filter_item(b, first, label, buf_cstr(&t));
	buf_free(&t);
}

/*
 * What a saved query string searches for, in words, in a <p class="filters-said">:
 * "Words: accountant · On site only · Accommodations: ASL interpreter provided".
 */
static void
filters_said(struct buf *b, const char *qs)
{
	struct query q;
	struct search_query sq;
	const char *param = NULL;
	char detail[160];
	if (query_parse(&q, qs, strlen(qs), NULL, 0) != QUERY_OK)
		return;
	if (params_search(&q, &sq, &param, detail, sizeof(detail)) == 0) {
		bool first = true;
		HTML_LIT(b, "<p class=\"filters-said\">");
		if (sq.words && sq.words[0])
			filter_item(b, &first, "Words", sq.words);
		if (sq.location && sq.location[0])
			filter_item(b, &first, "Place", sq.location);
		if (sq.remote == 0)
			filter_item(b, &first, "On site only", NULL);
		else if (sq.remote == 1)
			filter_item(b, &first, "Remote only", NULL);
		filter_bits(b, &first, "Type", vocab_employment_types, vocab_employment_types_count,
		            sq.types);
		filter_bits(b, &first, "Level", vocab_levels, vocab_levels_count, sq.levels);
		filter_bits(b, &first, "Accommodations", vocab_accommodations,
		            vocab_accommodations_count, sq.accommodations);
		if (sq.min_salary > 0) {
			/* As the search page's salary choices say it: "$50,000 or more". */
			filter_item(b, &first, "Salary", NULL);
			HTML_LIT(b, ": ");
			render_money(b, "USD", (double)sq.min_salary);
			HTML_LIT(b, " or more");
		}
		if (first)
			HTML_LIT(b, "Every job");
		HTML_LIT(b, "</p>");
	}
	query_free(&q);
}

static const char *const freq_choices[][2] = {
    {"instant", "As soon as new jobs appear"},
    {"daily", "Once a day"},
    {"off", "No alerts (RSS only)"},
    {NULL, NULL},
};

static const char *
freq_label(enum saved_freq f)
{
	return f == SAVED_INSTANT ? "as soon as new jobs appear"
	       : f == SAVED_DAILY ? "once a day"
	                          : "off";
}

/* The canonical query of the current request's search, or answers 400 and returns false. */
static bool
canonical_from(struct rctx *ctx, const char *raw, struct buf *out)
{
	char detail[160];
	if (saved_canonical(raw, out, detail, sizeof(detail)) != 0) {
		resp_error(ctx, 400, "invalid_parameter", "Invalid search", detail, "query");
		return false;
	}
	return true;
}

/* A short default name: the words, else the location, else "All jobs". */
static void
default_name(const char *query, char *out, size_t n)
{
	struct query q;
	snprintf(out, n, "All jobs");
	if (query_parse(&q, query, strlen(query), NULL, 0) != QUERY_OK)
		return;
	const char *w = query_get(&q, "q"), *l = query_get(&q, "location");
	if (w && w[0])
		snprintf(out, n, "%s%s%s", w, l && l[0] ? " in " : "", l && l[0] ? l : "");
	else if (l && l[0])
		snprintf(out, n, "Jobs in %s", l);
	query_free(&q);
	/* snprintf may have cut a character in half: drop the broken end. */
	size_t len = strlen(out);
	while (len > 0 && !utf8_valid(out, len))
		out[--len] = '\0';
	/* A name is at most SAVED_NAME_MAX characters: cut at the start of the next one. */
	size_t chars = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)out[i] & 0xC0) != 0x80 && ++chars > SAVED_NAME_MAX) {
			out[i] = '\0';
			while (i > 0 && out[i - 1] == ' ')
				out[--i] = '\0';
			break;
		}
}

/* The message for a name saved_name_ok refuses: missing, too long or with control characters. */
static const char *
name_problem(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n == strspn(name, " \t\r\n"))
		return "Give the search a name.";
	if (n > SAVED_NAME_BYTES || (utf8_valid(name, n) && utf8_count(name, n) > SAVED_NAME_MAX))
		return "Give the search a name of at most 100 characters.";
	if (!saved_name_ok(name))
		return "Write the name on one line, without tabs or control characters.";
	return NULL;
}

/* freq is the choice to show checked: the submitted one when the form comes back. */
static void
new_form(struct rctx *ctx, const char *query, const char *name, const char *freq,
         const struct field_errors *fe, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Save this search", .nav = "saved", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Save this search</h1>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<p>You can <a href=\"/jobs");
	if (query[0]) {
		HTML_LIT(b, "?");
		html_attr(b, query);
	}
	HTML_LIT(b, "\">look at the results</a> again at any time from your saved searches.</p>"
	            "<h2>This search</h2>");
	filters_said(b, query);
	HTML_LIT(b, "<form method=\"post\" action=\"/saved-searches\" class=\"form\">");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<input type=\"hidden\" name=\"query\" value=\"");
	html_attr(b, query);
	HTML_LIT(b, "\">");
	ui_input(b, fe, "name", "Name",
	         &(struct field_opts){.value = name, .required = true, .maxlength = SAVED_NAME_MAX,
	                              .hint = "So you recognise it in the list and in alerts."});
	form_radios(b, fe, "frequency", "Tell me about new jobs", freq_choices,
	            freq ? freq : "daily");
	HTML_LIT(b, "<button type=\"submit\">Save search</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, status ? status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_saved_search_new(struct rctx *ctx)
{
	const char *qs = ctx->req->query_string ? ctx->req->query_string : "";
	struct buf canon = {0};
	if (!canonical_from(ctx, qs, &canon))
		return;
	char name[SAVED_NAME_BYTES + 1];
	default_name(buf_cstr(&canon), name, sizeof(name));
	new_form(ctx, buf_cstr(&canon), name, NULL, NULL, 0);
	buf_free(&canon);
}

static void
rss_url(struct buf *b, int64_t id, const char *token)
{
	buf_printf(b, "%s/saved-searches/%lld/feed.rss?token=%s", config_get()->base_url,
	           (long long)id, token);
}

/* A change to one saved search that was refused: what was sent and why, shown on its form. */
struct edit_error {
	int64_t id;
	const char *name, *freq; /* as submitted; NULL when not sent */
	const char *field;       /* "name" or "freq" */
	const char *msg;
};

/* The list; notice and a fresh RSS link (shown once) after an action, or a refused change. */
static void
list_page(struct rctx *ctx, const char *notice, int64_t token_id, const char *token, int status,
          const struct edit_error *ee)
{
	if (!req_db(ctx))
		return;
	static struct saved_search items[SAVED_PER_USER_MAX];
	int n = saved_list(ctx->db, ctx->auth.user_id, items, SAVED_PER_USER_MAX);
	if (n < 0) {
		resp_db_error(ctx, "saved searches");
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Saved searches", .nav = "saved", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Saved searches</h1>");
	if (ee) {
		/* The markup of ui_error_summary; the fields of this list carry the search's id. */
		HTML_LIT(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
		            "aria-labelledby=\"error-summary-title\"><h2 id=\"error-summary-title\">"
		            "Please fix one thing</h2><ul><li><a href=\"#");
		html_text(b, ee->field);
		HTML_LIT(b, "-");
		html_int(b, ee->id);
		HTML_LIT(b, "\">");
		html_text(b, ee->msg);
		HTML_LIT(b, "</a></li></ul></div>");
	}
	if (notice)
		ui_notice(b, "ok", notice);
	if (token != NULL) {
		struct buf u = {0};
		rss_url(&u, token_id, token);
		HTML_LIT(b, "<div class=\"notice\" role=\"status\"><p>Your private RSS link for this "
		            "search. Copy it now: we show it only once. Anyone with the link can read "
		            "the feed; make a new link if it leaks.</p><p><code class=\"rss-link\">");
		html_text(b, u.data);
		HTML_LIT(b, "</code></p></div>");
		buf_free(&u);
	}
	if (n == 0) {
		HTML_LIT(b, "<div class=\"empty\"><p>No saved searches yet. <a href=\"/jobs\">Search "
		            "for jobs</a> and choose “Save this search”.</p></div>");
	} else {
		HTML_LIT(b, "<ul class=\"results saved-searches\">");
	}
	for (int i = 0; i < n; i++) {
		const struct saved_search *s = &items[i];
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)s->id);
		/* The refused change comes back as it was sent, with its error. */
		const struct edit_error *err = ee && ee->id == s->id ? ee : NULL;
		const char *name_err = err && strcmp(err->field, "name") == 0 ? err->msg : NULL;
		const char *freq_err = err && strcmp(err->field, "freq") == 0 ? err->msg : NULL;
		const char *name_value = err && err->name ? err->name : s->name;
		int freq_value = (int)s->freq;
		if (err && err->freq && saved_freq_parse(err->freq) >= 0)
			freq_value = saved_freq_parse(err->freq);
		HTML_LIT(b, "<li class=\"card\" id=\"s-");
		html_text(b, id);
		HTML_LIT(b, "\"><h2 class=\"card-title\"><a href=\"/jobs");
		if (s->query[0]) {
			HTML_LIT(b, "?");
			html_attr(b, s->query);
		}
		HTML_LIT(b, "\">");
		html_text(b, s->name);
		HTML_LIT(b, "</a></h2>");
		filters_said(b, s->query);
		HTML_LIT(b, "<p>Alerts: ");
		html_text(b, freq_label(s->freq));
		HTML_LIT(b, ".</p><form method=\"post\" action=\"/saved-searches/");
		html_text(b, id);
		HTML_LIT(b, "\" class=\"form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<div class=\"field");
		if (name_err)
			HTML_LIT(b, " field-error");
		HTML_LIT(b, "\"><label for=\"name-");
		html_text(b, id);
		HTML_LIT(b, "\">Name</label>");
		if (name_err) {
			HTML_LIT(b, "<p class=\"error-text\" id=\"e-name-");
			html_text(b, id);
			HTML_LIT(b, "\"><span class=\"visually-hidden\">Error: </span>");
			html_text(b, name_err);
			HTML_LIT(b, "</p>");
		}
		HTML_LIT(b, "<input type=\"text\" id=\"name-");
		html_text(b, id);
		HTML_LIT(b, "\" name=\"name\" required maxlength=\"100\"");
		if (name_err) {
			HTML_LIT(b, " aria-describedby=\"e-name-");
			html_text(b, id);
			HTML_LIT(b, "\" aria-invalid=\"true\"");
		}
		HTML_LIT(b, " value=\"");
		html_attr(b, name_value);
		HTML_LIT(b, "\"></div><div class=\"field");
		if (freq_err)
			HTML_LIT(b, " field-error");
		HTML_LIT(b, "\"><label for=\"freq-");
		html_text(b, id);
		HTML_LIT(b, "\">Alerts</label>");
		if (freq_err) {
			HTML_LIT(b, "<p class=\"error-text\" id=\"e-freq-");
			html_text(b, id);
			HTML_LIT(b, "\"><span class=\"visually-hidden\">Error: </span>");
			html_text(b, freq_err);
			HTML_LIT(b, "</p>");
		}
		HTML_LIT(b, "<select id=\"freq-");
		html_text(b, id);
		HTML_LIT(b, "\" name=\"frequency\"");
		if (freq_err) {
			HTML_LIT(b, " aria-describedby=\"e-freq-");
			html_text(b, id);
			HTML_LIT(b, "\" aria-invalid=\"true\"");
		}
		HTML_LIT(b, ">");
		for (int k = 0; freq_choices[k][0] != NULL; k++) {
			HTML_LIT(b, "<option value=\"");
			html_attr(b, freq_choices[k][0]);
			HTML_LIT(b, "\"");
			if (saved_freq_parse(freq_choices[k][0]) == freq_value)
				HTML_LIT(b, " selected");
			HTML_LIT(b, ">");
			html_text(b, freq_choices[k][1]);
			HTML_LIT(b, "</option>");
		}
		HTML_LIT(b, "</select></div><button type=\"submit\">Save changes<span "
		            "class=\"visually-hidden\"> to ");
		html_text(b, s->name);
		HTML_LIT(b, "</span></button></form><form method=\"post\" action=\"/saved-searches/");
		html_text(b, id);
		HTML_LIT(b, "/rss\" class=\"inline-form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<button type=\"submit\">Make a new RSS link<span class=\"visually-hidden\"> "
		            "for ");
		html_text(b, s->name);
		HTML_LIT(b, "</span></button></form> <form method=\"post\" action=\"/saved-searches/");
		html_text(b, id);
		HTML_LIT(b, "/delete\" class=\"inline-form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<button type=\"submit\">Delete<span class=\"visually-hidden\"> ");
		html_text(b, s->name);
		HTML_LIT(b, "</span></button></form></li>");
	}
	if (n > 0)
		HTML_LIT(b, "</ul>");
	HTML_LIT(b, "<p><a href=\"/account/notifications\">Choose how alerts reach you by "
	            "email</a></p>");
	layout_end(ctx, &pg);
	resp_send(ctx, status ? status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_saved_searches(struct rctx *ctx)
{
	if (ctx->req->method != HTTP_METHOD_POST) {
		const char *done = query_get(&ctx->query, "done");
		const char *notice = done == NULL                     ? NULL
		                     : strcmp(done, "saved") == 0     ? "Your changes are saved."
		                     : strcmp(done, "deleted") == 0   ? "The saved search is deleted."
		                                                      : NULL;
		list_page(ctx, notice, 0, NULL, 0, NULL);
		return;
	}
	const char *raw = query_get(&ctx->form, "query");
	const char *name = query_get(&ctx->form, "name");
	const char *freq = query_get(&ctx->form, "frequency");
	struct buf canon = {0};
	if (!canonical_from(ctx, raw ? raw : "", &canon))
		return;
	struct field_errors fe = {0};
	const char *problem = name_problem(name);
	if (problem)
		ferr_add(&fe, "name", problem);
	int f = freq ? saved_freq_parse(freq) : SAVED_DAILY;
	if (f < 0)
		ferr_add(&fe, "frequency", "Choose how often to hear about new jobs.");
	if (fe.n > 0) {
		new_form(ctx, buf_cstr(&canon), name ? name : "", freq, &fe, 422);
		buf_free(&canon);
		return;
	}
	if (!req_db(ctx)) {
		buf_free(&canon);
		return;
	}
	char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)];
	int64_t id = saved_create(ctx->db, ctx->auth.user_id, name, buf_cstr(&canon),
	                          (enum saved_freq)f, token);
	buf_free(&canon);
	if (id < 0) {
		resp_db_error(ctx, "save search");
		return;
	}
	if (id == 0) {
		ferr_add(&fe, "name", "You have 50 saved searches. Delete one to save another.");
		new_form(ctx, raw ? raw : "", name, freq, &fe, 422);
		return;
	}
	list_page(ctx, "Your search is saved.", id, token, 201, NULL);
}

/* POST /saved-searches/{id}: name and frequency. */
void
page_saved_search_update(struct rctx *ctx)
{
	const char *name = query_get(&ctx->form, "name");
	const char *freq = query_get(&ctx->form, "frequency");
	int f = freq ? saved_freq_parse(freq) : -1;
	const char *problem = name ? name_problem(name) : NULL;
	if (problem || (freq != NULL && f < 0)) {
		if (!req_db(ctx))
			return;
		struct saved_search s;
		int found = saved_get(ctx->db, ctx->auth.user_id, ctx->id, &s);
		if (found < 0) {
			resp_db_error(ctx, "saved search");
		} else if (found == 0) {
			resp_error_page(ctx, 404, "There is no saved search with this number for you.");
		} else {
			/* The list again with this search's form as it was sent, not a bare error. */
			struct edit_error ee = {
			    .id = ctx->id,
			    .name = name,
			    .freq = freq,
			    .field = problem ? "name" : "freq",
			    .msg = problem ? problem : "Choose how often to hear about new jobs."};
			list_page(ctx, NULL, 0, NULL, 422, &ee);
		}
		return;
	}
	if (!req_db(ctx))
		return;
	int r = saved_update(ctx->db, ctx->auth.user_id, ctx->id, name, f);
	if (r < 0)
		resp_db_error(ctx, "saved search");
	else if (r == 0)
		resp_error_page(ctx, 404, "There is no saved search with this number for you.");
	else
		resp_redirect(ctx, 303, "/saved-searches?done=saved");
}

void
page_saved_search_delete(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	int r = saved_delete(ctx->db, ctx->auth.user_id, ctx->id);
	if (r < 0)
		resp_db_error(ctx, "saved search");
	else if (r == 0)
		resp_error_page(ctx, 404, "There is no saved search with this number for you.");
	else
		resp_redirect(ctx, 303, "/saved-searches?done=deleted");
}

void
page_saved_search_rss_token(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	char token[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)];
	int r = saved_new_token(ctx->db, ctx->auth.user_id, ctx->id, token);
	if (r < 0)
		resp_db_error(ctx, "saved search");
	else if (r == 0)
		resp_error_page(ctx, 404, "There is no saved search with this number for you.");
	else
		list_page(ctx, "A new RSS link is made; the old one no longer works.", ctx->id, token,
		          200, NULL);
}

/* RFC 822 date for RSS from "YYYY-MM-DD". */
static void
rfc822(struct buf *b, const char *date)
{
	time_t t;
	char out[64];
	if (!date_parse(date, false, &t))
		t = 0;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	html_text(b, out);
}

/* GET /saved-searches/{id}/feed.rss?token=...: the token is the authority; wrong = 404. */
void
feed_saved_search(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct saved_search s;
	int found = saved_by_token(ctx->db, ctx->id, query_get(&ctx->query, "token"), &s);
	if (found < 0) {
		resp_db_error(ctx, "saved search feed");
		return;
	}
	if (found == 0) {
		resp_error(ctx, 404, "not_found", "Not found", "There is no feed at this address.",
		           NULL);
		return;
	}
	struct query q;
	struct search_query sq;
	struct search_result r;
	const char *param = NULL;
	char detail[160];
	if (query_parse(&q, s.query, strlen(s.query), NULL, 0) != QUERY_OK) {
		resp_error(ctx, 500, "internal", "Stored search unreadable", NULL, NULL);
		return;
	}
	if (params_search(&q, &sq, &param, detail, sizeof(detail)) != 0) {
		query_free(&q);
		resp_error(ctx, 500, "internal", "Stored search unreadable", NULL, NULL);
		return;
	}
	sq.sort = SEARCH_SORT_DATE;
	sq.per_page = RSS_ITEMS;
	sq.page = 1;
	if (search_jobs(ctx->db, &sq, &r) != 0) {
		query_free(&q);
		resp_db_error(ctx, "saved search feed");
		return;
	}
	const char *base = config_get()->base_url;
	struct buf *b = &ctx->body;
	HTML_LIT(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
	            "<title>Beacon: ");
	html_text(b, s.name);
	HTML_LIT(b, "</title><link>");
	html_text(b, base);
	HTML_LIT(b, "/jobs");
	if (s.query[0]) {
		HTML_LIT(b, "?");
		html_text(b, s.query);
	}
	HTML_LIT(b, "</link><description>New jobs on Beacon for your saved search, newest first."
	            "</description><language>en</language>");
	for (size_t i = 0; i < r.njobs; i++) {
		const struct job *j = &r.jobs[i];
		HTML_LIT(b, "<item><title>");
		html_text(b, j->title);
		HTML_LIT(b, " — ");
		html_text(b, j->company);
		HTML_LIT(b, "</title><link>");
		html_text(b, base);
		HTML_LIT(b, "/jobs/");
		html_int(b, j->id);
		HTML_LIT(b, "</link><guid isPermaLink=\"true\">");
		html_text(b, base);
		HTML_LIT(b, "/jobs/");
		html_int(b, j->id);
		HTML_LIT(b, "</guid><pubDate>");
		rfc822(b, j->date_posted);
		HTML_LIT(b, "</pubDate><description>");
		struct buf d = {0}, plain = {0};
		render_location(&d, j);
		buf_puts(&d, ". ");
		markdown_plain(&plain, j->description, strlen(j->description), 400);
		html_text(&d, plain.data);
		html_text(b, d.data);
		buf_free(&d);
		buf_free(&plain);
		HTML_LIT(b, "</description></item>");
	}
	HTML_LIT(b, "</channel></rss>\n");
	search_result_free(&r);
	query_free(&q);
	/* Private: the token is in the URL, so no shared cache may keep it. */
	ctx->personal = true;
	resp_send(ctx, 200, "application/rss+xml; charset=utf-8", CACHE_NONE);
}
