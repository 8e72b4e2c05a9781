/*
 * feeds.c - RSS 2.0 for any job search (GET /jobs.rss?<search params>) and
 * an Indeed-style XML feed of every open job (GET /feeds/indeed.xml).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/compress.h"
#include "core/config.h"
#include "core/dates.h"
#include "core/html.h"
#include "core/log.h"
#include "core/markdown.h"
#include "model/vocab.h"
#include "search/search.h"
#include "web/handlers.h"
#include "web/search_req.h"
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
	if (!search_req_params(ctx, &sq))
		return;
	if (query_get(&ctx->query, "per_page") == NULL)
		sq.per_page = RSS_DEFAULT_ITEMS;
	if (sq.sort == SEARCH_SORT_DEFAULT)
		sq.sort = SEARCH_SORT_DATE;
	if (!search_req_run(ctx, &sq, &r))
		return;
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

/*
 * The Indeed feed holds every open job, so building it costs seconds at
 * 100,000 jobs. Each worker keeps the last one it built, with its gzip copy,
 * and rebuilds only when the jobs changed (count or newest update) or the
 * copy is older than INDEED_TTL_MS (jobs expire as time passes).
 */
#define INDEED_TTL_MS (5 * 60 * 1000)

static struct {
	char key[64];
	double built_ms;
	struct buf xml;
	struct buf gz;
	char etag[24];
} indeed_cache;

/* "count|max(updated_at)" of the jobs table, or -1 on a database error. */
static int
indeed_key(struct db *db, char *out, size_t len)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*), MAX(updated_at) FROM jobs");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		const char *newest = db_col_text(st, 1);
		snprintf(out, len, "%lld|%s", (long long)db_col_int(st, 0), newest ? newest : "");
		rc = 0;
	}
	db_finalize(st);
	return rc;
}

static int
indeed_build(struct db *db, struct buf *b)
{
	char now[INSTANT_LEN];
	instant_now(now);
	HTML_LIT(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<source><publisher>Beacon"
	            "</publisher><publisherurl>");
	html_text(b, config_get()->base_url);
	HTML_LIT(b, "</publisherurl><lastBuildDate>");
	html_text(b, now);
	HTML_LIT(b, "</lastBuildDate>\n");
	/* Keyset paging keeps each statement short. */
	int64_t after = 0;
	for (;;) {
		struct db_stmt *st = db_prepare(db, "SELECT " JOB_COLUMNS " FROM jobs j"
		                                    " WHERE j.id > ? AND j.status = 'open'"
		                                    " AND (j.valid_through IS NULL OR"
		                                    " j.valid_through >= ?)"
		                                    " ORDER BY j.id LIMIT ?");
		if (st == NULL)
			return -1;
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
		if (sr == DB_ERROR)
			return -1;
		if (n < INDEED_BATCH)
			break;
	}
	HTML_LIT(b, "</source>\n");
	return 0;
}

void
feed_indeed(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	char key[64];
	if (indeed_key(ctx->db, key, sizeof(key)) != 0) {
		resp_db_error(ctx, "indeed feed");
		return;
	}
	double now = monotonic_ms();
	if (indeed_cache.xml.len == 0 || strcmp(key, indeed_cache.key) != 0 ||
	    now - indeed_cache.built_ms > INDEED_TTL_MS) {
		buf_reset(&indeed_cache.xml);
		buf_reset(&indeed_cache.gz);
		if (indeed_build(ctx->db, &indeed_cache.xml) != 0) {
			buf_free(&indeed_cache.xml);
			resp_db_error(ctx, "indeed feed");
			return;
		}
		gzip_compress(indeed_cache.xml.data, indeed_cache.xml.len, 6, &indeed_cache.gz);
		snprintf(indeed_cache.etag, sizeof(indeed_cache.etag), "\"%016llx\"",
		         (unsigned long long)hash_fnv1a(indeed_cache.xml.data, indeed_cache.xml.len));
		snprintf(indeed_cache.key, sizeof(indeed_cache.key), "%s", key);
		indeed_cache.built_ms = now;
	}
	resp_send_static(ctx, "application/xml; charset=utf-8", indeed_cache.xml.data,
	                 indeed_cache.xml.len, indeed_cache.gz.len ? indeed_cache.gz.data : NULL,
	                 indeed_cache.gz.len, indeed_cache.etag, CACHE_SHORT);
}
