/*
 * feeds.c - RSS 2.0 for any job search (GET /jobs.rss?<search params>) and
 * an Indeed-style XML feed of every open job (GET /feeds/indeed.xml).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/html.h"
#include "core/log.h"
#include "core/markdown.h"
#include "model/vocab.h"
#include "search/search.h"
#include "web/handlers.h"
#include "web/pages/render.h"
#include "search/params.h"

#define RSS_DEFAULT_ITEMS 50
#define INDEED_BATCH 500

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

static void
job_url(struct buf *b, int64_t id)
{
	html_text(b, config_get()->base_url);
	HTML_LIT(b, "/jobs/");
	html_int(b, id);
}

void
feed_rss(struct rctx *ctx)
{
	struct search_query sq;
	struct search_result r;
	const char *param = NULL;
	char detail[200];
	if (params_search(&ctx->query, &sq, &param, detail, sizeof(detail)) != 0) {
		resp_problem(ctx, 400, "invalid_parameter", "Invalid parameter", detail, param);
		return;
	}
	if (query_get(&ctx->query, "per_page") == NULL)
		sq.per_page = RSS_DEFAULT_ITEMS;
	if (sq.sort == SEARCH_SORT_DEFAULT)
		sq.sort = SEARCH_SORT_DATE;
	if (!req_db(ctx))
		return;
	if (search_jobs(ctx->db, &sq, &r) != 0) {
		resp_db_error(ctx, "rss search");
		return;
	}
	const char *base = config_get()->base_url;
	struct buf qs = {0};
	params_search_qs(&qs, &sq, 0);
	struct buf *b = &ctx->body;
	HTML_LIT(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
	            "xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>");
	HTML_LIT(b, "Beacon jobs");
	if (sq.words) {
		HTML_LIT(b, ": ");
		html_text(b, sq.words);
	}
	HTML_LIT(b, "</title><link>");
	html_text(b, base);
	HTML_LIT(b, "/jobs");
	if (qs.len) {
		HTML_LIT(b, "?");
		html_text(b, qs.data);
	}
	HTML_LIT(b, "</link><description>Open jobs on Beacon matching this search, newest first."
	            "</description><language>en</language><atom:link rel=\"self\" "
	            "type=\"application/rss+xml\" href=\"");
	html_attr(b, base);
	HTML_LIT(b, "/jobs.rss");
	if (qs.len) {
		HTML_LIT(b, "?");
		html_attr(b, qs.data);
	}
	HTML_LIT(b, "\"/>");
	for (size_t i = 0; i < r.njobs; i++) {
		const struct job *j = &r.jobs[i];
		HTML_LIT(b, "<item><title>");
		html_text(b, j->title);
		HTML_LIT(b, " — ");
		html_text(b, j->company);
		HTML_LIT(b, "</title><link>");
		job_url(b, j->id);
		HTML_LIT(b, "</link><guid isPermaLink=\"true\">");
		job_url(b, j->id);
		HTML_LIT(b, "</guid><pubDate>");
		rfc822(b, j->date_posted);
		HTML_LIT(b, "</pubDate><description>");
		/* RSS descriptions are HTML carried as XML text: escaped twice. */
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
	buf_free(&qs);
	search_result_free(&r);
	resp_send(ctx, 200, "application/rss+xml; charset=utf-8", CACHE_SHORT);
}

static void
indeed_field(struct buf *b, const char *tag, const char *value)
{
	buf_putc(b, '<');
	buf_puts(b, tag);
	buf_putc(b, '>');
	xml_cdata(b, value ? value : "");
	buf_puts(b, "</");
	buf_puts(b, tag);
	buf_putc(b, '>');
}

static void
indeed_job(struct buf *b, const struct job *j)
{
	char tmp[64];
	struct buf s = {0};
	HTML_LIT(b, "<job>");
	indeed_field(b, "title", j->title);
	snprintf(tmp, sizeof(tmp), "%lld", (long long)j->id);
	indeed_field(b, "date", j->date_posted);
	indeed_field(b, "referencenumber", j->source_id);
	buf_puts(&s, config_get()->base_url);
	buf_puts(&s, "/jobs/");
	buf_puts(&s, tmp);
	indeed_field(b, "url", s.data);
	indeed_field(b, "company", j->company);
	indeed_field(b, "city", j->city);
	indeed_field(b, "state", j->region);
	indeed_field(b, "country", j->country);
	buf_reset(&s);
	markdown_render(&s, j->description, strlen(j->description));
	indeed_field(b, "description", s.data);
	buf_reset(&s);
	/* Amounts, ISO currency codes and period words: nothing the escaper changes. */
	render_salary(&s, j);
	indeed_field(b, "salary", s.data);
	const char *type = vocab_label(vocab_employment_types, vocab_employment_types_count,
	                               j->employment_type);
	indeed_field(b, "jobtype", type);
	if (j->remote)
		indeed_field(b, "remotetype", "Fully remote");
	HTML_LIT(b, "</job>\n");
	buf_free(&s);
}

void
feed_indeed(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	char now[INSTANT_LEN];
	instant_now(now);
	struct buf *b = &ctx->body;
	HTML_LIT(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<source><publisher>Beacon"
	            "</publisher><publisherurl>");
	html_text(b, config_get()->base_url);
	HTML_LIT(b, "</publisherurl><lastBuildDate>");
	html_text(b, now);
	HTML_LIT(b, "</lastBuildDate>\n");
	/* Keyset paging keeps each statement short and memory flat per batch. */
	int64_t after = 0;
	for (;;) {
		struct db_stmt *st = db_prepare(ctx->db, "SELECT " JOB_COLUMNS " FROM jobs j"
		                                         " WHERE j.id > ? AND j.status = 'open'"
		                                         " AND (j.valid_through IS NULL OR"
		                                         " j.valid_through >= ?)"
		                                         " ORDER BY j.id LIMIT ?");
		if (st == NULL) {
			resp_db_error(ctx, "indeed feed");
			return;
		}
		db_bind_int(st, 1, after);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, INDEED_BATCH);
		int n = 0;
		enum db_step_result sr;
		while ((sr = db_step(st)) == DB_ROW) {
			struct job j;
			job_from_row(st, 0, &j);
			indeed_job(b, &j);
			after = j.id;
			job_free(&j);
			n++;
		}
		db_finalize(st);
		if (sr == DB_ERROR) {
			resp_db_error(ctx, "indeed feed");
			return;
		}
		if (n < INDEED_BATCH)
			break;
	}
	HTML_LIT(b, "</source>\n");
	resp_send(ctx, 200, "application/xml; charset=utf-8", CACHE_SHORT);
}
