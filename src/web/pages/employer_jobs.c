/*
 * employer_jobs.c - an employer's jobs: the list (GET /employer/jobs),
 * posting (GET/POST /employer/jobs/new), editing (GET/POST
 * /employer/jobs/{id}/edit), closing and reopening (POST
 * /employer/jobs/{id}/close and /reopen). The rules, including who may
 * change which job, live in model/postings.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/html.h"
#include "model/companies.h"
#include "model/postings.h"
#include "model/vocab.h"
#include "web/actor.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/employer_ui.h"
#include "web/pages/render.h"
#include "web/ui.h"

#define EMP_PER_PAGE 20
#define EMP_MAX_PAGE 10000
#define NO_COMPANY_TEXT                                                                            \
	"Jobs on Beacon belong to a company. Create your company profile first, then post your "   \
	"first job."

/* ---- the job form ---- */

static void
input_from_form(const struct query *f, struct posting_input *in)
{
	memset(in, 0, sizeof(*in));
	in->title = query_get(f, "title");
	in->description = query_get(f, "description");
	in->employment_type = query_get(f, "employment_type");
	in->experience_level = query_get(f, "experience_level");
	in->city = query_get(f, "city");
	in->region = query_get(f, "region");
	in->country = query_get(f, "country");
	in->remote = query_get(f, "remote") != NULL;
	in->applicant_country = query_get(f, "applicant_country");
	in->salary_min = query_get(f, "salary_min");
	in->salary_max = query_get(f, "salary_max");
	in->salary_currency = query_get(f, "salary_currency");
	in->salary_period = query_get(f, "salary_period");
	in->skills_required = query_get(f, "skills_required");
	in->skills_preferred = query_get(f, "skills_preferred");
	in->valid_through = query_get(f, "valid_through");
	for (size_t i = 0; i < vocab_accommodations_count; i++) {
		char name[QUERY_MAX_KEY];
		snprintf(name, sizeof(name), "acc_%s", vocab_accommodations[i].code);
		if (query_get(f, name) != NULL)
			in->accommodations[in->naccommodations++] = vocab_accommodations[i].code;
	}
}

/* What a new job's form starts with. */
static void
input_defaults(struct posting_input *in)
{
	memset(in, 0, sizeof(*in));
	in->employment_type = "FULL_TIME";
	in->experience_level = "mid";
	in->salary_currency = "USD";
	in->salary_period = "YEAR";
}

/* {code, label} pairs of a vocabulary for ui_select, ending with {NULL, NULL}. */
static void
vocab_options(const struct vocab_entry *t, size_t n, const char *opts[][2], size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++, k++) {
		opts[k][0] = t[i].code;
		opts[k][1] = t[i].label;
	}
	opts[k][0] = opts[k][1] = NULL;
}

static void
select_vocab(struct buf *b, const struct field_errors *fe, const char *name, const char *label,
             const struct vocab_entry *t, size_t n, const char *selected)
{
	const char *opts[24][2];
	vocab_options(t, n, opts, 24);
	ui_select(b, fe, name, label, (const char *const(*)[2])opts, selected, NULL);
}

static bool
has_accommodation(const struct posting_input *v, const char *code)
{
	for (size_t i = 0; i < v->naccommodations; i++)
		if (strcmp(v->accommodations[i], code) == 0)
			return true;
	return false;
}

/* A fieldset that groups fields; id (may be NULL) is where an error summary link lands. */
static void
group_begin(struct buf *b, const char *legend, const char *id, const char *hint)
{
	HTML_LIT(b, "<fieldset class=\"field group\"");
	if (id) {
		HTML_LIT(b, " id=\"");
		html_attr(b, id);
		HTML_LIT(b, "\"");
	}
	HTML_LIT(b, "><legend>");
	html_text(b, legend);
	HTML_LIT(b, "</legend>");
	if (hint) {
		HTML_LIT(b, "<p class=\"hint\">");
		html_text(b, hint);
		HTML_LIT(b, "</p>");
	}
}

struct job_view {
	const char *heading; /* the h1 */
	const char *action;  /* where the form posts */
	const char *submit;  /* the button's words */
	const struct posting_input *values;
	const struct field_errors *fe;
	const struct job *job; /* when editing: for its status and links */
	int status;
};

static void
status_section(struct rctx *ctx, const struct job *j)
{
	struct buf *b = &ctx->body;
	char now[INSTANT_LEN];
	instant_now(now);
	bool open = strcmp(j->status, "open") == 0;
	HTML_LIT(b, "<section aria-labelledby=\"h-status\"><h2 id=\"h-status\">Status</h2><p>");
	if (open && job_is_closed(j, now))
		HTML_LIT(
		    b,
		    "Its closing date has passed, so people can no longer find it. Choose a later "
		    "date above to show it again.");
	else if (open)
		HTML_LIT(b, "Open: people can find this job and apply.");
	else
		HTML_LIT(b, "Closed: this job is hidden from search.");
	HTML_LIT(b, " <a href=\"/jobs/");
	html_int(b, j->id);
	HTML_LIT(b, "\">See the job page</a></p><form method=\"post\" action=\"/employer/jobs/");
	html_int(b, j->id);
	if (open)
		HTML_LIT(b, "/close\" class=\"inline-form\">");
	else
		HTML_LIT(b, "/reopen\" class=\"inline-form\">");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<button type=\"submit\" class=\"secondary\">");
	if (open)
		HTML_LIT(b, "Close this job");
	else
		HTML_LIT(b, "Reopen this job");
	HTML_LIT(b, "</button></form></section>");
}

static void
job_form(struct rctx *ctx, const struct job_view *view)
{
	struct buf *b = &ctx->body;
	const struct field_errors *fe = view->fe;
	const struct posting_input *v = view->values;
	struct page pg = {.title = view->heading, .nav = "employer", .status = view->status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>");
	html_text(b, view->heading);
	HTML_LIT(b, "</h1>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<p>Fields marked optional can stay empty. The job can be found in search as "
	            "soon as you save it.</p><form method=\"post\" action=\"");
	html_attr(b, view->action);
	HTML_LIT(b, "\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	ui_input(b, fe, "title", "Job title",
	         &(struct field_opts){.value = v->title,
	                              .required = true,
	                              .hint = "For example: Accounts assistant."});
	ui_textarea(b, fe, "description", "Description",
	            &(struct field_opts){.value = v->description,
	                                 .required = true,
	                                 .hint =
	                                     "What the work is, who you are looking for and how "
	                                     "your team communicates. Markdown works: **bold**, "
	                                     "lists that start with -, headings that start with "
	                                     "#."},
	            14);
	select_vocab(b, fe, "employment_type", "Type of employment", vocab_employment_types,
	             vocab_employment_types_count, v->employment_type);
	select_vocab(b, fe, "experience_level", "Experience level", vocab_levels,
	             vocab_levels_count, v->experience_level);

	group_begin(b, "Where the job is", NULL,
	            "Give a city, region or country, or mark the job as remote (or both).");
	ui_input(b, fe, "city", "City",
	         &(struct field_opts){.value = v->city, .autocomplete = "address-level2"});
	ui_input(b, fe, "region", "State or region",
	         &(struct field_opts){.value = v->region, .autocomplete = "address-level1"});
	ui_input(b, fe, "country", "Country",
	         &(struct field_opts){.value = v->country,
	                              .autocomplete = "country-name",
	                              .hint = "A name or a code, like US."});
	ui_checkbox(b, "remote", "Remote: people can do this job from home", v->remote, NULL);
	ui_input(b, fe, "applicant_country", "Remote applicants must live in",
	         &(struct field_opts){.value = v->applicant_country,
	                              .hint = "For remote jobs: a country, if it matters."});
	HTML_LIT(b, "</fieldset>");

	group_begin(b, "Salary", NULL, "Optional. Jobs that show pay get more applicants.");
	ui_input(b, fe, "salary_min", "Lowest amount",
	         &(struct field_opts){.value = v->salary_min,
	                              .inputmode = "decimal",
	                              .hint = "A number, like 52000."});
	ui_input(b, fe, "salary_max", "Highest amount",
	         &(struct field_opts){.value = v->salary_max, .inputmode = "decimal"});
	ui_input(b, fe, "salary_currency", "Currency",
	         &(struct field_opts){.value = v->salary_currency,
	                              .hint = "A three-letter code, like USD or CAD."});
	select_vocab(b, fe, "salary_period", "Paid", vocab_periods, vocab_periods_count,
	             v->salary_period && v->salary_period[0] ? v->salary_period : "YEAR");
	HTML_LIT(b, "</fieldset>");

	ui_textarea(
	    b, fe, "skills_required", "Skills needed",
	    &(struct field_opts){.value = v->skills_required,
	                         .hint = "One per line, or separated by commas. At most 50."},
	    4);
	ui_textarea(b, fe, "skills_preferred", "Skills that help",
	            &(struct field_opts){.value = v->skills_preferred,
	                                 .hint = "One per line, or separated by commas."},
	            3);

	group_begin(b, "Accommodations you offer", "f-accommodations",
	            "Tick each one you provide. Job seekers can search for them.");
	if (ferr_get(fe, "accommodations")) {
		HTML_LIT(b, "<p class=\"error-text\">");
		html_text(b, ferr_get(fe, "accommodations"));
		HTML_LIT(b, "</p>");
	}
	for (size_t i = 0; i < vocab_accommodations_count; i++) {
		char name[QUERY_MAX_KEY];
		snprintf(name, sizeof(name), "acc_%s", vocab_accommodations[i].code);
		ui_checkbox(b, name, vocab_accommodations[i].label,
		            has_accommodation(v, vocab_accommodations[i].code), NULL);
	}
	HTML_LIT(b, "</fieldset>");

	ui_input(b, fe, "valid_through", "Closing date",
	         &(struct field_opts){.type = "date",
	                              .value = v->valid_through,
	                              .hint = "The last day people can apply, like 2026-12-31. "
	                                      "Leave it empty for no closing date."});
	HTML_LIT(b, "<button type=\"submit\">");
	html_text(b, view->submit);
	HTML_LIT(b, "</button></form>");
	if (view->job)
		status_section(ctx, view->job);
	layout_end(ctx, &pg);
	resp_send(ctx, view->status ? view->status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* ---- the list ---- */

struct list_state {
	struct rctx *ctx;
	char now[INSTANT_LEN];
	int shown;
};

static void
labelled_action_end(struct buf *b, const char *verb, const char *title)
{
	HTML_LIT(b, " aria-label=\"");
	html_attr(b, verb);
	HTML_LIT(b, " ");
	html_attr(b, title);
	HTML_LIT(b, "\">");
	html_text(b, verb);
}

static void
job_item(const struct job *j, void *arg)
{
	struct list_state *ls = arg;
	struct buf *b = &ls->ctx->body;
	bool open = strcmp(j->status, "open") == 0;
	ls->shown++;
	HTML_LIT(b, "<li class=\"card\"><h2 class=\"card-title\"><a href=\"/jobs/");
	html_int(b, j->id);
	HTML_LIT(b, "\">");
	html_text(b, j->title);
	HTML_LIT(b, "</a></h2><ul class=\"facts\"><li>Status: <strong>");
	if (open && job_is_closed(j, ls->now))
		HTML_LIT(b, "Expired (closing date passed)");
	else if (open)
		HTML_LIT(b, "Open");
	else
		HTML_LIT(b, "Closed");
	HTML_LIT(b, "</strong></li><li>Posted <time datetime=\"");
	html_attr(b, j->date_posted);
	HTML_LIT(b, "\">");
	html_text(b, j->date_posted);
	HTML_LIT(b, "</time></li><li>");
	render_location(b, j);
	HTML_LIT(b, "</li></ul><div class=\"actions\"><a href=\"/employer/jobs/");
	html_int(b, j->id);
	HTML_LIT(b, "/applicants\"");
	labelled_action_end(b, "Applicants", j->title);
	HTML_LIT(b, "</a> <a href=\"/employer/jobs/");
	html_int(b, j->id);
	HTML_LIT(b, "/edit\"");
	labelled_action_end(b, "Edit", j->title);
	HTML_LIT(b, "</a> <form method=\"post\" class=\"inline-form\" action=\"/employer/jobs/");
	html_int(b, j->id);
	if (open)
		HTML_LIT(b, "/close\">");
	else
		HTML_LIT(b, "/reopen\">");
	ui_csrf(b, ls->ctx);
	HTML_LIT(b, "<button type=\"submit\" class=\"secondary\"");
	labelled_action_end(b, open ? "Close" : "Reopen", j->title);
	HTML_LIT(b, "</button></form></div></li>");
}

static void
done_notice(struct rctx *ctx)
{
	struct buf *b = &ctx->body;
	const char *done = query_get(&ctx->query, "done");
	const char *text = NULL;
	if (done == NULL)
		return;
	if (strcmp(done, "posted") == 0)
		text = "Your job is posted. People can find it in search now.";
	else if (strcmp(done, "saved") == 0)
		text = "Your changes are saved.";
	else if (strcmp(done, "closed") == 0)
		text = "The job is closed. It no longer shows in search.";
	else if (strcmp(done, "reopened") == 0)
		text = "The job is open again and shows in search.";
	if (text != NULL)
		ui_notice(b, "ok", text);
}

static void
pager(struct buf *b, int page, int64_t pages)
{
	if (pages <= 1)
		return;
	HTML_LIT(b, "<nav class=\"pager\" aria-label=\"Pages\">");
	if (page > 1) {
		HTML_LIT(b, "<a href=\"/employer/jobs?page=");
		html_int(b, page - 1);
		HTML_LIT(b, "\" rel=\"prev\">Previous page</a>");
	}
	HTML_LIT(b, "<span>Page ");
	html_int(b, page);
	HTML_LIT(b, " of ");
	html_int(b, pages);
	HTML_LIT(b, "</span>");
	if (page < pages) {
		HTML_LIT(b, "<a href=\"/employer/jobs?page=");
		html_int(b, page + 1);
		HTML_LIT(b, "\" rel=\"next\">Next page</a>");
	}
	HTML_LIT(b, "</nav>");
}

void
page_employer_jobs(struct rctx *ctx)
{
	int page;
	if (!req_param_int(ctx, &ctx->query, "page", 1, EMP_MAX_PAGE, &page) || !req_db(ctx))
		return;
	int64_t company_id;
	enum company_role role;
	int has = companies_of_user(ctx->db, ctx->auth.user_id, &company_id, &role);
	if (has < 0) {
		resp_db_error(ctx, "employer jobs");
		return;
	}
	if (has == 0) {
		emp_message(ctx, 200, "Your jobs", NO_COMPANY_TEXT, "/company",
		            "Create your company");
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Your jobs", .nav = "employer"};
	struct list_state ls = {.ctx = ctx};
	instant_now(ls.now);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Your jobs</h1>");
	done_notice(ctx);
	if (!ctx->auth.email_verified)
		HTML_LIT(
		    b, "<div class=\"notice\" role=\"note\"><p>Confirm your email address to post "
		       "jobs: open the link we sent you, or ask for a new one on <a "
		       "href=\"/account\">your account page</a>.</p></div>");
	HTML_LIT(b, "<p><a href=\"/employer/jobs/new\">Post a job</a> · <a href=\"/company\">Your "
	            "company</a></p><ul class=\"results\">");
	int64_t total = 0;
	size_t mark = b->len;
	if (postings_list(ctx->db, company_id, page, EMP_PER_PAGE, job_item, &ls, &total) != 0) {
		resp_db_error(ctx, "employer jobs");
		return;
	}
	HTML_LIT(b, "</ul>");
	if (ls.shown == 0) {
		b->len = mark; /* drop the empty list */
		if (total == 0)
			HTML_LIT(
			    b,
			    "<div class=\"empty\"><h2>No jobs yet</h2><p>Post your first job: "
			    "say which accommodations you offer, and Deaf and hard-of-hearing "
			    "job seekers can find it at once.</p><p><a href=\"/employer/jobs/new\">"
			    "Post your first job</a></p></div>");
		else
			HTML_LIT(b, "<div class=\"empty\"><h2>Nothing on this page</h2><p><a "
			            "href=\"/employer/jobs\">Go to the first page</a></p></div>");
	}
	pager(b, page, (total + EMP_PER_PAGE - 1) / EMP_PER_PAGE);
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* ---- posting, editing, closing, reopening ---- */

/* Answer a posting_result that is not OK or INVALID. */
static void
posting_failed(struct rctx *ctx, enum posting_result r)
{
	switch (r) {
	case POSTING_NOT_FOUND:
		emp_job_not_found(ctx);
		break;
	case POSTING_UNVERIFIED:
		emp_unverified(ctx);
		break;
	case POSTING_NO_COMPANY:
		emp_message(ctx, 409, "Create your company first", NO_COMPANY_TEXT, "/company",
		            "Create your company");
		break;
	default:
		resp_db_error(ctx, "posting");
	}
}

/*
 * Answer a posting write: on to done, the form again with fe when invalid
 * (view NULL: no form, the problem page), or the problem page.
 */
static void
posting_answer(struct rctx *ctx, enum posting_result r, const char *done, struct job_view *view,
               const struct field_errors *fe)
{
	if (r == POSTING_OK) {
		resp_redirect(ctx, 303, done);
	} else if (r == POSTING_INVALID && view != NULL) {
		view->fe = fe;
		view->status = 422;
		job_form(ctx, view);
	} else {
		posting_failed(ctx, r);
	}
}

void
page_employer_job_new(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	struct posting_input in;
	struct field_errors fe = {0};
	struct job_view view = {.heading = "Post a job",
	                        .action = "/employer/jobs/new",
	                        .submit = "Post the job",
	                        .values = &in};
	if (ctx->req->method != HTTP_METHOD_POST) {
		int64_t company_id;
		enum company_role role;
		int has = companies_of_user(ctx->db, a.user_id, &company_id, &role);
		if (has == 0)
			emp_message(ctx, 200, "Create your company first", NO_COMPANY_TEXT,
			            "/company", "Create your company");
		else if (has < 0)
			posting_failed(ctx, POSTING_ERROR);
		else if (!a.email_verified)
			posting_failed(ctx, POSTING_UNVERIFIED);
		else {
			input_defaults(&in);
			job_form(ctx, &view);
		}
		return;
	}
	input_from_form(&ctx->form, &in);
	int64_t id;
	enum posting_result r = postings_create(ctx->db, &a, &in, &fe, &id);
	posting_answer(ctx, r, "/employer/jobs?done=posted", &view, &fe);
}

void
page_employer_job_edit(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	int may = postings_can_edit(ctx->db, &a, ctx->id);
	if (may != 1) {
		posting_failed(ctx, may == 0 ? POSTING_NOT_FOUND : POSTING_ERROR);
		return;
	}
	if (!a.email_verified) {
		posting_failed(ctx, POSTING_UNVERIFIED);
		return;
	}
	struct job j;
	if (jobs_get(ctx->db, ctx->id, &j) != 1) {
		resp_db_error(ctx, "load job");
		return;
	}
	char action[64];
	snprintf(action, sizeof(action), "/employer/jobs/%lld/edit", (long long)j.id);
	struct buf heading = {0};
	buf_printf(&heading, "Edit: %s", j.title);
	struct posting_input in;
	struct field_errors fe = {0};
	struct job_view view = {.heading = buf_cstr(&heading),
	                        .action = action,
	                        .submit = "Save changes",
	                        .values = &in,
	                        .job = &j};
	if (ctx->req->method != HTTP_METHOD_POST) {
		posting_input_from_job(&in, &j);
		job_form(ctx, &view);
		goto out;
	}
	input_from_form(&ctx->form, &in);
	enum posting_result r = postings_update(ctx->db, &a, j.id, &in, &fe);
	posting_answer(ctx, r, "/employer/jobs?done=saved", &view, &fe);
out:
	buf_free(&heading);
	job_free(&j);
}

void
page_employer_job_close(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	enum posting_result r = postings_close(ctx->db, &a, ctx->id);
	posting_answer(ctx, r, "/employer/jobs?done=closed", NULL, NULL);
}

void
page_employer_job_reopen(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	enum posting_result r = postings_reopen(ctx->db, &a, ctx->id);
	if (r == POSTING_OK) {
		resp_redirect(ctx, 303, "/employer/jobs?done=reopened");
	} else if (r == POSTING_EXPIRED) {
		char edit[64];
		snprintf(edit, sizeof(edit), "/employer/jobs/%lld/edit", (long long)ctx->id);
		emp_message(
		    ctx, 409, "This job cannot be reopened yet",
		    "Its closing date has passed. Edit the job, choose a later closing date "
		    "and save it, then reopen the job.",
		    edit, "Edit the job");
	} else {
		posting_failed(ctx, r);
	}
}
