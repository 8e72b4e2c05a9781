/*
 * applications.c - the candidate's side: applying (GET/POST
 * /jobs/{id}/apply), my applications (GET /applications), one application
 * with its timeline, messages and interviews (GET /applications/{id}),
 * withdrawing (GET /applications/{id}/withdraw asks first, the POST there
 * withdraws), writing in the thread
 * (POST /applications/{id}/messages, both sides), choosing an interview
 * time (POST /interviews/{id}/choose) and the calendar file (GET
 * /interviews/{id}.ics, both sides). The rules live in
 * model/applications.c, model/messages.c and model/interviews.c.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/html.h"
#include "core/ics.h"
#include "core/log.h"
#include "model/applications.h"
#include "model/disclosure.h"
#include "model/documents.h"
#include "model/interviews.h"
#include "model/jobs.h"
#include "model/messages.h"
#include "model/profiles.h"
#include "web/actor.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/applications_ui.h"
#include "web/pages/notifications_ui.h"
#include "web/ui.h"

/* ---- applying ---- */

struct doc_opts {
	const char *opts[42][2];
	char ids[40][24];
	char *names[40];
	size_t n;
};

static void
doc_option(const struct app_doc *d, void *arg)
{
	struct doc_opts *o = arg;
	if (o->n >= 40)
		return;
	snprintf(o->ids[o->n], sizeof(o->ids[o->n]), "%lld", (long long)d->id);
	o->opts[o->n][0] = o->ids[o->n];
	o->names[o->n] = strdup(d->filename);
	o->opts[o->n][1] = o->names[o->n];
	o->n++;
}

static void
doc_opts_free(struct doc_opts *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->names[i]);
}

/* The needs as disclosure_accommodations writes them ("- label" lines, then notes) in HTML. */
static void
needs_html(struct buf *b, const char *text)
{
	bool list = false;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		bool item = n >= 2 && p[0] == '-' && p[1] == ' ';
		if (item && !list)
			HTML_LIT(b, "<ul>");
		else if (!item && list)
			HTML_LIT(b, "</ul>");
		list = item;
		if (n > (item ? 2u : 0u)) {
			if (item)
				HTML_LIT(b, "<li>");
			else
				HTML_LIT(b, "<p>");
			html_textn(b, item ? p + 2 : p, item ? n - 2 : n);
			if (item)
				HTML_LIT(b, "</li>");
			else
				HTML_LIT(b, "</p>");
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	if (list)
		HTML_LIT(b, "</ul>");
}

static void
apply_form(struct rctx *ctx, const struct job *j, const struct app_input *in,
           const struct field_errors *fe, int status)
{
	struct buf *b = &ctx->body;
	struct doc_opts resumes = {0}, covers = {0}, tmp = {0};
	/* What this employer will see of the candidate's accommodation needs, said plainly. */
	struct buf needs = {0};
	struct profile prof;
	bool has_prof = false;
	covers.opts[0][0] = "";
	covers.opts[0][1] = "No cover letter";
	if (applications_documents(ctx->db, ctx->auth.user_id, "resume", doc_option, &resumes) != 0) {
		resp_db_error(ctx, "apply documents");
		goto out;
	}
	/* Not knowing (a value that does not open) is no reason to refuse the page. */
	int shared = disclosure_accommodations(ctx->db, ctx->auth.user_id, "applied", &needs);
	if (shared < 0)
		log_warn("apply page: cannot tell what the employer sees of user %lld's needs",
		         (long long)ctx->auth.user_id);
	has_prof = true; /* profiles_get fills prof even when it fails */
	if (profiles_get(ctx->db, ctx->auth.user_id, PROFILE_PUBLIC, &prof) < 0) {
		resp_db_error(ctx, "apply disclosure");
		goto out;
	}
	/* The cover letters start after the "none" choice. */
	if (applications_documents(ctx->db, ctx->auth.user_id, "cover_letter", doc_option, &tmp) !=
	    0) {
		resp_db_error(ctx, "apply documents");
		goto out;
	}
	for (size_t i = 0; i < tmp.n; i++) {
		memcpy(covers.ids[i], tmp.ids[i], sizeof(tmp.ids[i]));
		covers.opts[i + 1][0] = covers.ids[i];
		covers.opts[i + 1][1] = tmp.opts[i][1];
	}
	covers.n = tmp.n; /* the names stay tmp's */
	char heading[1024]; /* a job title may be 800 bytes */
	snprintf(heading, sizeof(heading), "Apply: %s", j->title);
	struct page pg = {.title = heading, .nav = "applications", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Apply: ");
	html_text(b, j->title);
	HTML_LIT(b, "</h1><p class=\"company\">");
	html_text(b, j->company);
	HTML_LIT(b, "</p>");
	ui_error_summary(b, fe);
	if (resumes.n == 0) {
		HTML_LIT(b, "<div class=\"empty\"><h2>Add a resume first</h2><p>You need a resume on "
		            "Beacon to apply. <a href=\"/documents\">Upload your resume</a>, then come "
		            "back to this page.</p></div>");
	} else {
		HTML_LIT(b, "<form method=\"post\" class=\"form\" novalidate action=\"/jobs/");
		html_int(b, j->id);
		HTML_LIT(b, "/apply\">");
		ui_csrf(b, ctx);
		resumes.opts[resumes.n][0] = resumes.opts[resumes.n][1] = NULL;
		covers.opts[covers.n + 1][0] = covers.opts[covers.n + 1][1] = NULL;
		ui_select(b, fe, "resume_id", "Resume", (const char *const(*)[2])resumes.opts,
		          in->resume_id, "The employer sees the resume you choose.");
		ui_select(b, fe, "cover_letter_id", "Cover letter (optional)",
		          (const char *const(*)[2])covers.opts, in->cover_letter_id, NULL);
		ui_textarea(b, fe, "message", "Message to the employer",
		            &(struct field_opts){.value = in->message,
		                                 .hint = "Up to 2000 characters. You can also write "
		                                         "to the employer after you apply."},
		            5);
		HTML_LIT(b, "<div class=\"hint\" id=\"apply-disclosure\"><p>");
		if (shared == 1) {
			HTML_LIT(b, "With this application, the employer also sees your accommodation "
			            "needs:</p>");
			needs_html(b, buf_cstr(&needs));
			HTML_LIT(b, "<p>");
		} else if (shared < 0) {
			HTML_LIT(b, "Your accommodation needs are shared only as your profile's "
			            "disclosure setting says. ");
		} else if (prof.disclosure && strcmp(prof.disclosure, "interview") == 0) {
			HTML_LIT(b, "If your profile lists accommodation needs, the employer sees them "
			            "only if they invite you to interview. ");
		} else {
			HTML_LIT(b, "The employer does not see accommodation needs from your profile. ");
		}
		HTML_LIT(b, "<a href=\"/profile/edit\">Change who sees what</a></p></div><button "
		            "type=\"submit\">Send my application</button></form>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
out:
	doc_opts_free(&resumes);
	doc_opts_free(&tmp);
	if (needs.data)
		sodium_memzero(needs.data, needs.len);
	buf_free(&needs);
	if (has_prof)
		profiles_free(&prof);
}

/* The page for an application that already exists (409 or a closed job). */
static void
apply_message(struct rctx *ctx, int status, const char *title, const char *text,
              const char *href, const char *link_text)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = title, .nav = "applications", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>");
	html_text(b, title);
	HTML_LIT(b, "</h1><p>");
	html_text(b, text);
	HTML_LIT(b, "</p><p><a href=\"");
	html_attr(b, href);
	HTML_LIT(b, "\">");
	html_text(b, link_text);
	HTML_LIT(b, "</a></p>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

static void
already_applied(struct rctx *ctx, int64_t job_id)
{
	int64_t id = 0;
	char href[48] = "/applications";
	if (jobs_application_of(ctx->db, job_id, ctx->auth.user_id, &id) == 1)
		snprintf(href, sizeof(href), "/applications/%lld", (long long)id);
	apply_message(ctx, 409, "You already applied",
	              "You can apply to each job once. Follow your application, or write to the "
	              "employer there.",
	              href, "See your application");
}

void
page_job_apply(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct job j;
	int found = jobs_get(ctx->db, ctx->id, &j);
	if (found <= 0) {
		if (found < 0)
			resp_db_error(ctx, "load job");
		else
			resp_error_page(ctx, 404, "There is no job with this number.");
		return;
	}
	char now[INSTANT_LEN];
	instant_now(now);
	struct app_input in = {0};
	struct field_errors fe = {0};
	int64_t existing;
	int has = jobs_application_of(ctx->db, j.id, ctx->auth.user_id, &existing);
	if (has < 0) {
		resp_db_error(ctx, "apply");
	} else if (has == 1) {
		already_applied(ctx, j.id);
	} else if (job_is_closed(&j, now)) {
		apply_message(ctx, 409, "This job is closed",
		              "It no longer accepts applications.", "/jobs", "Search open jobs");
	} else if (ctx->req->method != HTTP_METHOD_POST) {
		apply_form(ctx, &j, &in, NULL, 200);
	} else {
		in.resume_id = query_get(&ctx->form, "resume_id");
		in.cover_letter_id = query_get(&ctx->form, "cover_letter_id");
		in.message = query_get(&ctx->form, "message");
		struct actor a = actor_of(ctx);
		int64_t id;
		enum app_result r = applications_apply(ctx->db, &a, j.id, &in, &fe, &id);
		char loc[64];
		switch (r) {
		case APP_OK:
			snprintf(loc, sizeof(loc), "/applications/%lld?done=applied", (long long)id);
			resp_redirect(ctx, 303, loc);
			break;
		case APP_INVALID:
			apply_form(ctx, &j, &in, &fe, 422);
			break;
		case APP_DUPLICATE:
			already_applied(ctx, j.id);
			break;
		case APP_JOB_CLOSED:
			apply_message(ctx, 409, "This job is closed",
			              "It no longer accepts applications.", "/jobs", "Search open jobs");
			break;
		case APP_NOT_FOUND:
			resp_error_page(ctx, 404, "There is no job with this number.");
			break;
		default:
			resp_db_error(ctx, "apply");
		}
	}
	job_free(&j);
}

/* ---- my applications ---- */

struct mine_state {
	struct buf *b;
	int n;
};

static void
mine_item(const struct app_row *r, void *arg)
{
	struct mine_state *s = arg;
	struct buf *b = s->b;
	s->n++;
	HTML_LIT(b, "<li class=\"card\"><h2 class=\"card-title\"><a href=\"/applications/");
	html_int(b, r->id);
	HTML_LIT(b, "\">");
	html_text(b, r->job_title);
	HTML_LIT(b, "</a></h2>");
	/* What the candidate has to do comes first, in words, not only as a style. */
	if (r->to_choose > 0) {
		HTML_LIT(b, "<p class=\"action-needed\"><strong>Action needed:</strong> <a href=\""
		            "/applications/");
		html_int(b, r->id);
		if (r->to_choose == 1)
			HTML_LIT(b, "#interviews\">choose a time for your interview</a></p>");
		else
			HTML_LIT(b, "#interviews\">choose times for your interviews</a></p>");
	}
	HTML_LIT(b, "<ul class=\"facts\"><li>");
	html_text(b, r->company);
	HTML_LIT(b, "</li><li>Stage: <strong>");
	html_text(b, app_stage_label(r->stage));
	HTML_LIT(b, "</strong></li><li>Last change ");
	appui_time(b, r->updated_at);
	HTML_LIT(b, "</li>");
	if (r->unread > 0) {
		HTML_LIT(b, "<li><strong>");
		html_int(b, r->unread);
		if (r->unread == 1)
			HTML_LIT(b, " unread message</strong></li>");
		else
			HTML_LIT(b, " unread messages</strong></li>");
	}
	HTML_LIT(b, "</ul></li>");
}

void
page_applications(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Your applications", .nav = "applications"};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Your applications</h1>");
	size_t mark = b->len;
	HTML_LIT(b, "<ul class=\"results\">");
	struct mine_state s = {.b = b};
	if (applications_mine(ctx->db, ctx->auth.user_id, mine_item, &s) != 0) {
		resp_db_error(ctx, "my applications");
		return;
	}
	HTML_LIT(b, "</ul>");
	if (s.n == 0) {
		b->len = mark;
		HTML_LIT(b, "<div class=\"empty\"><h2>No applications yet</h2><p><a href=\"/jobs\">"
		            "Find a job</a> and apply with your resume.</p></div>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* ---- one application ---- */

static void
done_notice(struct rctx *ctx)
{
	const char *done = query_get(&ctx->query, "done");
	if (done == NULL)
		return;
	const char *text = strcmp(done, "applied") == 0     ? "Your application is sent."
	                   : strcmp(done, "withdrawn") == 0 ? "You withdrew this application."
	                   : strcmp(done, "sent") == 0      ? "Your message is sent."
	                   : strcmp(done, "chosen") == 0    ? "Your choice is sent to the employer."
	                                                    : NULL;
	if (text)
		ui_notice(&ctx->body, "ok", text);
}

/* What the candidate sent: the documents and their message, as the employer sees them. */
static int
sent_section(struct rctx *ctx, const struct application *app)
{
	struct buf *b = &ctx->body;
	HTML_LIT(b, "<section aria-labelledby=\"h-sent\"><h2 id=\"h-sent\">What you sent</h2><ul>");
	if (appui_document_item(ctx, "Resume", app->resume_id) != 0 ||
	    appui_document_item(ctx, "Cover letter", app->cover_letter_id) != 0)
		return -1;
	HTML_LIT(b, "</ul>");
	if (app->message[0]) {
		HTML_LIT(b, "<h3>Your message with the application</h3><div class=\"message-body\">");
		appui_text_with_links(b, app->message);
		HTML_LIT(b, "</div>");
	}
	HTML_LIT(b, "</section>");
	return 0;
}

void
appui_candidate_page(struct rctx *ctx, const struct application *app,
                     const struct field_errors *fe, const char *body, int status)
{
	struct buf *b = &ctx->body;
	char title[1024];
	snprintf(title, sizeof(title), "Application: %s", app->job_title);
	struct page pg = {.title = title, .nav = "applications", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<p class=\"back\"><a href=\"/applications\">← Your applications</a></p><h1>");
	html_text(b, app->job_title);
	HTML_LIT(b, "</h1>");
	if (app->company[0]) {
		HTML_LIT(b, "<p class=\"company\">");
		html_text(b, app->company);
		HTML_LIT(b, "</p>");
	}
	done_notice(ctx);
	ui_error_summary(b, fe);
	HTML_LIT(b, "<dl class=\"facts\"><div><dt>Stage</dt><dd><strong>");
	html_text(b, app_stage_label(app->stage));
	HTML_LIT(b, "</strong></dd></div><div><dt>Applied</dt><dd>");
	appui_time(b, app->created_at);
	HTML_LIT(b, "</dd></div></dl><p><a href=\"/jobs/");
	html_int(b, app->job_id);
	HTML_LIT(b, "\">See the job</a></p>");
	if (appui_timeline(ctx, app, SIDE_CANDIDATE) != 0 ||
	    appui_interviews(ctx, app, SIDE_CANDIDATE, fe) != 0 || sent_section(ctx, app) != 0 ||
	    appui_thread(ctx, app, fe, body) != 0) {
		resp_db_error(ctx, "application page");
		return;
	}
	if (app_transition_allowed(app->stage, STAGE_WITHDRAWN, SIDE_CANDIDATE)) {
		HTML_LIT(b, "<section aria-labelledby=\"h-withdraw\"><h2 id=\"h-withdraw\">Withdraw"
		            "</h2><p>If you no longer want this job, withdraw your application. This "
		            "cannot be undone.</p><p><a href=\"/applications/");
		html_int(b, app->id);
		HTML_LIT(b, "/withdraw\">Withdraw my application</a></p></section>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

/* Load ctx->id for this visitor or answer (404, 500). */
static bool
load_or_404(struct rctx *ctx, struct application *app, enum app_side *side)
{
	if (!req_db(ctx))
		return false;
	struct actor a = actor_of(ctx);
	enum app_result r = applications_load(ctx->db, &a, ctx->id, app, side);
	if (r == APP_NOT_FOUND)
		appui_not_found(ctx);
	else if (r != APP_OK)
		resp_db_error(ctx, "load application");
	return r == APP_OK;
}

void
page_application(struct rctx *ctx)
{
	struct application app;
	enum app_side side;
	if (!load_or_404(ctx, &app, &side))
		return;
	if (side == SIDE_EMPLOYER) {
		char loc[64];
		snprintf(loc, sizeof(loc), "/employer/applications/%lld", (long long)app.id);
		resp_redirect(ctx, 303, loc);
	} else {
		notify_page_seen(ctx, "/applications/", app.id);
		appui_candidate_page(ctx, &app, NULL, NULL, 200);
	}
	application_free(&app);
}

/* The open interviews of an application, as list items for the question before withdrawing. */
struct open_ivs {
	struct buf *b;
	int n;
};

static void
open_interview_item(const struct interview *iv, void *arg)
{
	struct open_ivs *o = arg;
	bool confirmed = strcmp(iv->status, "confirmed") == 0;
	if (!confirmed && strcmp(iv->status, "proposed") != 0)
		return;
	o->n++;
	HTML_LIT(o->b, "<li>");
	html_text(o->b, interview_format_label(iv->format));
	if (confirmed) {
		for (size_t i = 0; i < iv->nslots; i++)
			if (iv->slots[i].id == iv->chosen_slot_id) {
				HTML_LIT(o->b, ", booked for ");
				appui_meeting_time(o->b, iv->slots[i].starts_at);
			}
	} else {
		HTML_LIT(o->b, ", times proposed, none chosen yet");
	}
	HTML_LIT(o->b, "</li>");
}

/* Withdrawing cannot be undone: the page that asks first (the application page links here). */
static void
withdraw_confirm_page(struct rctx *ctx, const struct application *app)
{
	/* What else withdrawing ends: the interviews still open, so nobody books an interpreter. */
	struct buf items = {0};
	struct open_ivs o = {.b = &items};
	if (interviews_of_application(ctx->db, app->id, open_interview_item, &o) != 0) {
		buf_free(&items);
		resp_db_error(ctx, "withdraw question");
		return;
	}
	struct buf *b = &ctx->body;
	char title[1024];
	snprintf(title, sizeof(title), "Withdraw your application: %s?", app->job_title);
	struct page pg = {.title = title, .nav = "applications", .status = 200};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<p class=\"back\"><a href=\"/applications/");
	html_int(b, app->id);
	HTML_LIT(b, "\">← Your application</a></p><h1>Withdraw your application: ");
	html_text(b, app->job_title);
	HTML_LIT(b, "?</h1><p>The employer sees that you withdrew, and the application is closed "
	            "for good. This cannot be undone: you cannot apply to this job again.</p>");
	if (o.n > 0) {
		if (o.n == 1)
			HTML_LIT(b, "<p>This interview is cancelled too, and the employer is told:</p><ul>");
		else
			HTML_LIT(b, "<p>These interviews are cancelled too, and the employer is told:</p>"
			            "<ul>");
		buf_append(b, items.data, items.len);
		HTML_LIT(b, "</ul>");
	}
	buf_free(&items);
	HTML_LIT(b, "<form method=\"post\" action=\"/applications/");
	html_int(b, app->id);
	HTML_LIT(b, "/withdraw\" class=\"form\">");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<p class=\"actions\"><button type=\"submit\">Withdraw my application</button> "
	            "<a href=\"/applications/");
	html_int(b, app->id);
	HTML_LIT(b, "\">Keep my application</a></p></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* GET asks (the page above); POST withdraws, as the API does. */
void
page_application_withdraw(struct rctx *ctx)
{
	struct application app;
	enum app_side side;
	if (!load_or_404(ctx, &app, &side))
		return;
	if (ctx->req->method != HTTP_METHOD_POST) {
		if (side != SIDE_CANDIDATE)
			appui_not_found(ctx);
		else if (!app_transition_allowed(app.stage, STAGE_WITHDRAWN, SIDE_CANDIDATE))
			resp_error_page(ctx, 409,
			                "This application is already closed, so it cannot be withdrawn.");
		else
			withdraw_confirm_page(ctx, &app);
		application_free(&app);
		return;
	}
	struct actor a = actor_of(ctx);
	struct field_errors fe = {0};
	enum app_result r = side == SIDE_CANDIDATE
	                        ? applications_move(ctx->db, &a, app.id, STAGE_WITHDRAWN, NULL, &fe)
	                        : APP_NOT_FOUND;
	char loc[64];
	snprintf(loc, sizeof(loc), "/applications/%lld?done=withdrawn", (long long)app.id);
	if (r == APP_OK)
		resp_redirect(ctx, 303, loc);
	else if (r == APP_NOT_FOUND)
		appui_not_found(ctx);
	else if (r == APP_BAD_TRANSITION)
		resp_error_page(ctx, 409, "This application is already closed, so it cannot be "
		                          "withdrawn.");
	else
		resp_db_error(ctx, "withdraw");
	application_free(&app);
}

void
page_application_message(struct rctx *ctx)
{
	struct application app;
	enum app_side side;
	if (!load_or_404(ctx, &app, &side))
		return;
	struct field_errors fe = {0};
	const char *body = query_get(&ctx->form, "body");
	int64_t id;
	int r = messages_post(ctx->db, &app, side, ctx->auth.user_id, ctx->auth.display_name, body,
	                      &fe, &id);
	if (r == 0) {
		char loc[80];
		snprintf(loc, sizeof(loc), "%s/%lld?done=sent#thread",
		         side == SIDE_EMPLOYER ? "/employer/applications" : "/applications",
		         (long long)app.id);
		resp_redirect(ctx, 303, loc);
	} else if (r == 1 && side == SIDE_EMPLOYER) {
		appui_employer_page(ctx, &app, &fe, body, 422);
	} else if (r == 1) {
		appui_candidate_page(ctx, &app, &fe, body, 422);
	} else {
		resp_db_error(ctx, "message");
	}
	application_free(&app);
}

/* ---- interviews ---- */

void
page_interview_choose(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	const char *v = query_get(&ctx->form, "slot_id");
	int64_t slot = -1;
	if (v && strcmp(v, "none") == 0)
		slot = 0;
	else if (v && v[0] >= '1' && v[0] <= '9' && strlen(v) < 19)
		slot = strtoll(v, NULL, 10);
	struct field_errors fe = {0};
	struct interview iv;
	struct application app;
	enum app_side side;
	enum app_result r = interviews_load(ctx->db, &a, ctx->id, &iv, &app, &side);
	if (r != APP_OK) {
		if (r == APP_NOT_FOUND)
			resp_error_page(ctx, 404, "There is no interview with this number that you can "
			                          "see.");
		else
			resp_db_error(ctx, "load interview");
		return;
	}
	/* No choice sent (slot < 0) is the model's to refuse, after who and whether. */
	r = interviews_choose(ctx->db, &a, iv.id, slot, &fe);
	char loc[80];
	snprintf(loc, sizeof(loc), "/applications/%lld?done=chosen#interviews", (long long)app.id);
	switch (r) {
	case APP_OK:
		resp_redirect(ctx, 303, loc);
		break;
	case APP_INVALID:
		appui_choose_refused(ctx, &app, iv.id, &fe);
		break;
	case APP_FORBIDDEN:
		resp_error_page(ctx, 403, "Only the candidate chooses the interview time.");
		break;
	case APP_BAD_TRANSITION:
		resp_error_page(ctx, 409,
		                strcmp(iv.status, "cancelled") == 0
		                    ? "This interview was declined or cancelled, so none of its times "
		                      "can be chosen."
		                    : "A time was already chosen for this interview, or the "
		                      "application is closed.");
		break;
	case APP_NOT_FOUND:
		resp_error_page(ctx, 404, "There is no interview with this number that you can see.");
		break;
	default:
		resp_db_error(ctx, "choose interview");
	}
	interview_free(&iv);
	application_free(&app);
}

void
page_interview_ics(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	struct interview iv;
	struct application app;
	enum app_side side;
	enum app_result r = interviews_load(ctx->db, &a, ctx->id, &iv, &app, &side);
	if (r != APP_OK) {
		if (r == APP_NOT_FOUND)
			resp_error(ctx, 404, "not_found", "Not found",
			           "There is no interview with this number that you can see.", NULL);
		else
			resp_db_error(ctx, "load interview");
		return;
	}
	/* An event once confirmed; its cancellation once cancelled (applications_ui.c). */
	appui_interview_ics(ctx, &iv, &app, side);
	interview_free(&iv);
	application_free(&app);
}
