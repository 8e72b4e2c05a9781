/*
 * job.c - the job page (GET /jobs/{id}) with schema.org JobPosting JSON-LD
 * while the job is open. Closed and expired jobs keep their page (links to
 * them keep working) and say plainly that they are closed.
 */
#include <string.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/html.h"
#include "core/json.h"
#include "core/markdown.h"
#include "model/jobs.h"
#include "model/users.h"
#include "model/vocab.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/render.h"

static void
fact(struct buf *b, const char *term, const char *text)
{
	HTML_LIT(b, "<div><dt>");
	html_text(b, term);
	HTML_LIT(b, "</dt><dd>");
	html_text(b, text);
	HTML_LIT(b, "</dd></div>");
}

static void
skill_item(const char *s, size_t n, void *arg)
{
	struct buf *b = arg;
	HTML_LIT(b, "<li>");
	html_textn(b, s, n);
	HTML_LIT(b, "</li>");
}

static void
skill_list(struct buf *b, const char *title, const char *list)
{
	if (list == NULL || *list == '\0')
		return;
	HTML_LIT(b, "<h3>");
	html_text(b, title);
	HTML_LIT(b, "</h3><ul class=\"tags skills\">");
	job_each_skill(list, skill_item, b);
	HTML_LIT(b, "</ul>");
}

/*
 * How to apply to an open job. Visitors get the apply link (it asks them to
 * sign in first); a job seeker who already applied (applied == 1) gets a link
 * to that application; the employer side and entrepreneurs, who cannot
 * apply, get no link to a page that would refuse them.
 */
static void
apply_section(struct rctx *ctx, const struct job *j, int applied, int64_t application_id)
{
	struct buf *b = &ctx->body;
	HTML_LIT(b, "<section aria-labelledby=\"apply-h\"><h2 id=\"apply-h\">Apply</h2><p>");
	if (applied == 1) {
		HTML_LIT(b, "You applied to this job. <a href=\"/applications/");
		html_int(b, application_id);
		HTML_LIT(b, "\">See your application</a></p></section>");
		return;
	}
	HTML_LIT(b, "Apply in writing with your resume: no phone calls.");
	/* A session still waiting for its second factor counts as signed out. */
	bool signed_in = ctx->auth.user_id != 0 && !ctx->auth.mfa_pending;
	if (!signed_in || ctx->auth.role == ROLE_JOB_SEEKER) {
		HTML_LIT(b, " <a href=\"/jobs/");
		html_int(b, j->id);
		HTML_LIT(b, "/apply\">Apply for this job</a>");
	} else {
		HTML_LIT(b, " Applications come from job seeker accounts.");
	}
	HTML_LIT(b, "</p></section>");
}

void
page_job(struct rctx *ctx)
{
	struct job j;
	if (!req_db(ctx))
		return;
	int found = jobs_get(ctx->db, ctx->id, &j);
	if (found < 0) {
		resp_db_error(ctx, "load job");
		return;
	}
	if (found == 0) {
		resp_error_page(ctx, 404, "There is no job with this number. It may have been removed.");
		return;
	}
	const struct config *cfg = config_get();
	char now[INSTANT_LEN];
	instant_now(now);
	bool closed = job_is_closed(&j, now);
	int64_t application_id = 0;
	int applied = 0;
	if (!closed && ctx->auth.role == ROLE_JOB_SEEKER && !ctx->auth.mfa_pending) {
		applied = jobs_application_of(ctx->db, j.id, ctx->auth.user_id, &application_id);
		if (applied < 0) {
			job_free(&j);
			resp_db_error(ctx, "load job");
			return;
		}
	}
	/* The description is rendered once and used by both the page and the JSON-LD. */
	struct buf jsonld = {0}, canonical = {0}, desc = {0}, html = {0};
	markdown_render(&html, j.description, strlen(j.description));
	if (!closed) {
		struct json_writer w;
		jw_init(&w, &jsonld);
		job_write_jsonld(&w, &j, cfg->base_url, false, buf_cstr(&html));
	}
	buf_puts(&canonical, cfg->base_url);
	buf_printf(&canonical, "/jobs/%lld", (long long)j.id);
	markdown_plain(&desc, j.description, strlen(j.description), 160);
	struct page pg = {.title = j.title,
	                  .description = desc.data,
	                  .canonical = canonical.data,
	                  .jsonld = &jsonld,
	                  .nav = "jobs"};
	struct buf *b = &ctx->body;
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<article class=\"job\"><p class=\"back\"><a href=\"/jobs\">← All jobs</a></p>");
	if (closed) {
		HTML_LIT(b, "<div class=\"notice\" role=\"note\"><p><strong>This job is closed.</strong> "
		            "It no longer accepts applications");
		if (strcmp(j.status, "open") == 0 && j.valid_through) {
			HTML_LIT(b, ": the posting expired on <time datetime=\"");
			html_attr(b, j.valid_through);
			HTML_LIT(b, "\">");
			html_textn(b, j.valid_through, strnlen(j.valid_through, 10));
			HTML_LIT(b, "</time>");
		}
		HTML_LIT(b, ". <a href=\"/jobs\">Search open jobs</a>.</p></div>");
	}
	HTML_LIT(b, "<h1>");
	html_text(b, j.title);
	HTML_LIT(b, "</h1><p class=\"company\">");
	if (j.company_url) {
		HTML_LIT(b, "<a rel=\"nofollow noopener\" href=\"");
		html_attr(b, j.company_url);
		HTML_LIT(b, "\">");
		html_text(b, j.company);
		HTML_LIT(b, "</a>");
	} else {
		html_text(b, j.company);
	}
	HTML_LIT(b, "</p><dl class=\"facts\"><div><dt>Location</dt><dd>");
	render_location(b, &j);
	HTML_LIT(b, "</dd></div>");
	fact(b, "Employment type",
	     vocab_label(vocab_employment_types, vocab_employment_types_count, j.employment_type));
	fact(b, "Experience level", vocab_label(vocab_levels, vocab_levels_count, j.experience_level));
	if (j.has_salary) {
		HTML_LIT(b, "<div><dt>Salary</dt><dd>");
		render_salary(b, &j);
		HTML_LIT(b, "</dd></div>");
	}
	if (j.industry)
		fact(b, "Industry", j.industry);
	HTML_LIT(b, "<div><dt>Posted</dt><dd><time datetime=\"");
	html_attr(b, j.date_posted);
	HTML_LIT(b, "\">");
	html_text(b, j.date_posted);
	HTML_LIT(b, "</time></dd></div>");
	if (j.valid_through) {
		HTML_LIT(b, "<div><dt>Apply by</dt><dd><time datetime=\"");
		html_attr(b, j.valid_through);
		HTML_LIT(b, "\">");
		html_textn(b, j.valid_through, strnlen(j.valid_through, 10));
		HTML_LIT(b, "</time></dd></div>");
	}
	HTML_LIT(b, "</dl><section aria-labelledby=\"acc-h\"><h2 id=\"acc-h\">Accommodations "
	            "offered</h2>");
	if (j.accommodations)
		render_accommodations(b, j.accommodations);
	else
		HTML_LIT(b, "<p>The employer has not listed accommodations for this job. "
		            "You can still ask for any accommodation you need.</p>");
	HTML_LIT(b, "</section><section aria-labelledby=\"comm-h\"><h2 id=\"comm-h\">Hearing and "
	            "communication</h2><p>");
	if (j.sensory_requirement)
		html_text(b, j.sensory_requirement);
	else
		HTML_LIT(b, "The employer has not stated hearing or communication requirements.");
	HTML_LIT(b, "</p></section><section aria-labelledby=\"about-h\"><h2 id=\"about-h\">About "
	            "the job</h2><div class=\"prose\">");
	html_raw_trusted_(b, html.data, html.len);
	HTML_LIT(b, "</div></section>");
	if ((j.skills_required && *j.skills_required) || (j.skills_preferred && *j.skills_preferred)) {
		HTML_LIT(b, "<section aria-labelledby=\"skills-h\"><h2 id=\"skills-h\">Skills</h2>");
		skill_list(b, "Required", j.skills_required);
		skill_list(b, "Nice to have", j.skills_preferred);
		HTML_LIT(b, "</section>");
	}
	if (!closed)
		apply_section(ctx, &j, applied, application_id);
	HTML_LIT(b, "<p class=\"source muted\">Job reference: ");
	html_text(b, j.source_id);
	HTML_LIT(b, "</p></article>");
	layout_end(ctx, &pg);
	buf_free(&jsonld);
	buf_free(&canonical);
	buf_free(&desc);
	buf_free(&html);
	job_free(&j);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_REVALIDATE);
}
