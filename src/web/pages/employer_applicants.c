/*
 * employer_applicants.c - the employer side of applications: the pipeline
 * board of a job (GET /employer/jobs/{id}/applicants: the first cards of
 * each stage, and with ?stage= one stage's view, paged) with a move form per
 * card (no dragging: WCAG 2.5.7) and bulk rejection (POST
 * /employer/jobs/{id}/reject), and one application (GET
 * /employer/applications/{id}) with its stage form (POST .../stage),
 * private notes (POST .../notes) and interview proposals (POST
 * .../interviews). Everything works without JavaScript; with HTMX a move
 * swaps the board in place and a live region says what happened. A move
 * the board offered but that is refused (409: the card was moved meanwhile
 * in another tab or by a colleague) answers with the board again, up to
 * date, and the reason in an alert at its top; static/beacon.js lets HTMX
 * swap that 409 in (the board opts in with data-swap-refusals) and moves
 * focus to the alert.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "model/applications.h"
#include "model/disclosure.h"
#include "model/interviews.h"
#include "model/jobs.h"
#include "model/postings.h"
#include "model/profiles.h"
#include "model/vocab.h"
#include "web/actor.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/applications_ui.h"
#include "web/pages/notifications_ui.h"
#include "web/ui.h"

/* The stages a card can move to (employer side), as {value, label} options. */
static void
next_options(int stage, const char *opts[][2])
{
	size_t k = 0;
	for (int to = 0; to < STAGE_COUNT; to++)
		if (app_transition_allowed(stage, to, SIDE_EMPLOYER)) {
			opts[k][0] = app_stage_name(to);
			opts[k][1] = app_stage_label(to);
			k++;
		}
	opts[k][0] = opts[k][1] = NULL;
}

/* ---- the board ---- */

/*
 * The whole board shows the first BOARD_PER_STAGE cards of each stage and
 * links to that stage's own view, which pages by STAGE_PER_PAGE: every card
 * carries a form, so a page of all of a busy job's applicants would be
 * megabytes.
 */
#define BOARD_PER_STAGE 25
#define STAGE_PER_PAGE 50
#define BOARD_MAX_PAGE 10000

struct board {
	struct rctx *ctx;
	int64_t job_id;
	const char *back; /* this board's URL with its filters */
	struct buf cols[STAGE_COUNT];
	int shown[STAGE_COUNT]; /* cards in each column */
	int total_shown;
	int64_t moved_id; /* the card just moved, for the status line */
	char moved_name[240];
	int moved_stage;
};

static void
board_card(const struct app_row *r, void *arg)
{
	struct board *bd = arg;
	if (r->stage < 0)
		return;
	struct buf *b = &bd->cols[r->stage];
	bd->shown[r->stage]++;
	bd->total_shown++;
	if (r->id == bd->moved_id) {
		snprintf(bd->moved_name, sizeof(bd->moved_name), "%s", r->candidate_name);
		bd->moved_stage = r->stage;
	}
	HTML_LIT(b, "<li class=\"card applicant\" id=\"app-");
	html_int(b, r->id);
	HTML_LIT(b, "\"><div class=\"check\"><input type=\"checkbox\" form=\"bulk\" name=\"id\" "
	            "value=\"");
	html_int(b, r->id);
	HTML_LIT(b, "\" id=\"sel-");
	html_int(b, r->id);
	HTML_LIT(b, "\"");
	if (app_stage_final(r->stage))
		HTML_LIT(b, " disabled");
	HTML_LIT(b, "><label for=\"sel-");
	html_int(b, r->id);
	HTML_LIT(b, "\">Select ");
	html_text(b, r->candidate_name);
	HTML_LIT(b, "</label></div><h3 class=\"card-title\"><a href=\"/employer/applications/");
	html_int(b, r->id);
	HTML_LIT(b, "\">");
	html_text(b, r->candidate_name);
	HTML_LIT(b, "</a></h3><p class=\"muted\">Applied ");
	appui_time(b, r->created_at);
	if (r->unread > 0) {
		HTML_LIT(b, " · <strong>");
		html_int(b, r->unread);
		if (r->unread == 1)
			HTML_LIT(b, " unread message</strong>");
		else
			HTML_LIT(b, " unread messages</strong>");
	}
	HTML_LIT(b, "</p>");
	const char *opts[STAGE_COUNT + 1][2];
	next_options(r->stage, opts);
	if (opts[0][0] != NULL) {
		HTML_LIT(b, "<form method=\"post\" class=\"inline-form move\" action=\"/employer/"
		            "applications/");
		html_int(b, r->id);
		HTML_LIT(b, "/stage\" hx-post=\"/employer/applications/");
		html_int(b, r->id);
		HTML_LIT(b, "/stage\" hx-target=\"#board\" hx-select=\"#board\" hx-swap=\"outerHTML\">");
		ui_csrf(b, bd->ctx);
		HTML_LIT(b, "<input type=\"hidden\" name=\"next\" value=\"");
		html_attr(b, bd->back);
		HTML_LIT(b, "\"><label for=\"to-");
		html_int(b, r->id);
		HTML_LIT(b, "\">Move ");
		html_text(b, r->candidate_name);
		HTML_LIT(b, " to</label> <select name=\"stage\" id=\"to-");
		html_int(b, r->id);
		HTML_LIT(b, "\">");
		for (size_t i = 0; opts[i][0]; i++) {
			HTML_LIT(b, "<option value=\"");
			html_attr(b, opts[i][0]);
			HTML_LIT(b, "\">");
			html_text(b, opts[i][1]);
			HTML_LIT(b, "</option>");
		}
		HTML_LIT(b, "</select> <button type=\"submit\" class=\"secondary\">Move</button></form>");
	}
	HTML_LIT(b, "</li>");
}

static void
board_free(struct board *bd)
{
	for (int i = 0; i < STAGE_COUNT; i++)
		buf_free(&bd->cols[i]);
}

/* Forget the cards (to fill the board again). */
static void
board_clear(struct board *bd)
{
	for (int i = 0; i < STAGE_COUNT; i++) {
		buf_reset(&bd->cols[i]);
		bd->shown[i] = 0;
	}
	bd->total_shown = 0;
	bd->moved_stage = -1;
}

/* The board's address: stage (-1 = whole board), unread and page (1 = none). */
static void
board_url(struct buf *u, int64_t job_id, int stage, bool unread, int page)
{
	buf_printf(u, "/employer/jobs/%lld/applicants", (long long)job_id);
	char sep = '?';
	if (stage >= 0) {
		buf_printf(u, "%cstage=%s", sep, app_stage_name(stage));
		sep = '&';
	}
	if (unread) {
		buf_printf(u, "%cunread=1", sep);
		sep = '&';
	}
	if (page > 1)
		buf_printf(u, "%cpage=%d", sep, page);
}

/* A link to page p of one stage's view, in the pager's list. */
static void
stage_page_link(struct buf *b, int64_t job_id, int stage, bool unread, int p, const char *rel,
                const char *label, bool current)
{
	struct buf u = {0};
	board_url(&u, job_id, stage, unread, p);
	HTML_LIT(b, "<li><a");
	if (current)
		HTML_LIT(b, " aria-current=\"page\"");
	if (rel) {
		HTML_LIT(b, " rel=\"");
		html_attr(b, rel);
		HTML_LIT(b, "\"");
	}
	HTML_LIT(b, " href=\"");
	html_attr(b, buf_cstr(&u));
	HTML_LIT(b, "\">");
	html_text(b, label);
	HTML_LIT(b, "</a></li>");
	buf_free(&u);
}

/* Previous, a window of page numbers with the first and last, next: one stage's pages. */
static void
stage_pager(struct buf *b, int64_t job_id, int stage, bool unread, int page, int pages)
{
	if (pages <= 1)
		return;
	HTML_LIT(b, "<nav class=\"pager\" aria-label=\"Pages of ");
	html_attr(b, app_stage_label(stage));
	HTML_LIT(b, "\"><ul class=\"page-list\">");
	char label[40];
	if (page > 1)
		stage_page_link(b, job_id, stage, unread, page - 1, "prev", "← Previous", false);
	int from = page - 2 < 1 ? 1 : page - 2;
	int to = page + 2 > pages ? pages : page + 2;
	if (from > 1) {
		stage_page_link(b, job_id, stage, unread, 1, NULL, "1", false);
		if (from > 2)
			HTML_LIT(b, "<li aria-hidden=\"true\">…</li>");
	}
	for (int p = from; p <= to; p++) {
		snprintf(label, sizeof(label), "%d", p);
		stage_page_link(b, job_id, stage, unread, p, NULL, label, p == page);
	}
	if (to < pages) {
		if (to < pages - 1)
			HTML_LIT(b, "<li aria-hidden=\"true\">…</li>");
		snprintf(label, sizeof(label), "%d", pages);
		stage_page_link(b, job_id, stage, unread, pages, NULL, label, false);
	}
	if (page < pages)
		stage_page_link(b, job_id, stage, unread, page + 1, "next", "Next →", false);
	HTML_LIT(b, "</ul></nav>");
}

/* The filter form: stage and unread only. */
static void
filters(struct buf *b, int64_t job_id, int stage, bool unread)
{
	HTML_LIT(b, "<form method=\"get\" class=\"filters inline-form\" action=\"/employer/jobs/");
	html_int(b, job_id);
	HTML_LIT(b, "/applicants\"><label for=\"f-stage\">Show stage</label> <select name=\"stage\" "
	            "id=\"f-stage\"><option value=\"\">All stages</option>");
	for (int i = 0; i < STAGE_COUNT; i++) {
		HTML_LIT(b, "<option value=\"");
		html_attr(b, app_stage_name(i));
		HTML_LIT(b, "\"");
		if (i == stage)
			HTML_LIT(b, " selected");
		HTML_LIT(b, ">");
		html_text(b, app_stage_label(i));
		HTML_LIT(b, "</option>");
	}
	HTML_LIT(b, "</select> <span class=\"check\"><input type=\"checkbox\" name=\"unread\" "
	            "value=\"1\" id=\"f-unread\"");
	if (unread)
		HTML_LIT(b, " checked");
	HTML_LIT(b, "><label for=\"f-unread\">Only with unread messages</label></span> <button "
	            "type=\"submit\" class=\"secondary\">Filter</button></form>");
}

/* A refused move, shown at the top of the board. */
struct move_error {
	const char *name;  /* the candidate */
	int stage;         /* where the application is now */
};

/*
 * The board page of job j, filtered by the stage and unread parameters in
 * filter (the query string, or the board address a move form came from).
 * fe/message refill the bulk form after an error; refused is a move that
 * did not happen (NULL = none). The query's "moved" (the application just
 * moved) and "rejected" (the count of a bulk rejection) fill the status line.
 */
static void
board_page(struct rctx *ctx, const struct job *j, const struct query *filter,
           const struct field_errors *fe, const char *message,
           const struct move_error *refused, int status)
{
	struct buf *b = &ctx->body;
	const char *sv = query_get(filter, "stage");
	int stage = sv && sv[0] ? app_stage_parse(sv) : -1;
	if (sv && sv[0] && stage < 0) {
		resp_error(ctx, 400, "invalid_parameter", "Invalid parameter",
		           "stage must be one of applied, screening, interview, offer, hired, "
		           "rejected, withdrawn.",
		           "stage");
		return;
	}
	int page;
	if (!req_param_int(ctx, filter, "page", 1, BOARD_MAX_PAGE, &page))
		return;
	if (stage < 0)
		page = 1;
	bool unread = query_get(filter, "unread") != NULL;
	struct buf back = {0};
	struct board bd = {.ctx = ctx, .job_id = j->id, .moved_stage = -1};
	const char *mv = query_get(&ctx->query, "moved");
	bd.moved_id = mv ? strtoll(mv, NULL, 10) : 0;
	struct app_job_query q = {.stage = stage, .unread_only = unread};
	if (stage < 0) {
		q.per_stage = BOARD_PER_STAGE;
	} else {
		q.limit = STAGE_PER_PAGE;
		q.offset = (page - 1) * STAGE_PER_PAGE;
	}
	int64_t counts[STAGE_COUNT];
	board_url(&back, j->id, stage, unread, page);
	bd.back = buf_cstr(&back);
	if (applications_of_job(ctx->db, j->id, &q, ctx->auth.user_id, counts, board_card, &bd) !=
	    0) {
		resp_db_error(ctx, "board");
		goto out;
	}
	int pages = stage >= 0 ? (int)((counts[stage] + STAGE_PER_PAGE - 1) / STAGE_PER_PAGE) : 1;
	if (page > pages && pages > 0) {
		/* Past the end (the last cards moved away): the last page. */
		page = pages;
		q.offset = (page - 1) * STAGE_PER_PAGE;
		board_clear(&bd);
		buf_reset(&back);
		board_url(&back, j->id, stage, unread, page);
		bd.back = buf_cstr(&back);
		if (applications_of_job(ctx->db, j->id, &q, ctx->auth.user_id, counts, board_card,
		                        &bd) != 0) {
			resp_db_error(ctx, "board");
			goto out;
		}
	}
	if (bd.moved_id > 0 && bd.moved_stage < 0) {
		/* The card moved to a place this view does not show. */
		struct application app;
		struct actor a = actor_of(ctx);
		enum app_side side;
		if (applications_load(ctx->db, &a, bd.moved_id, &app, &side) == APP_OK) {
			if (side == SIDE_EMPLOYER && app.job_id == j->id) {
				snprintf(bd.moved_name, sizeof(bd.moved_name), "%s", app.candidate_name);
				bd.moved_stage = app.stage;
			}
			application_free(&app);
		}
	}
	int64_t total = 0;
	for (int i = 0; i < STAGE_COUNT; i++)
		total += counts[i];
	char title[1024]; /* a job title may be 800 bytes */
	snprintf(title, sizeof(title), "Applicants: %s", j->title);
	struct page pg = {.title = title, .nav = "employer", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<p class=\"back\"><a href=\"/employer/jobs\">← Your jobs</a></p><h1>Applicants: ");
	html_text(b, j->title);
	HTML_LIT(b, "</h1>");
	ui_error_summary(b, fe);
	filters(b, j->id, stage, unread);
	HTML_LIT(b, "<div id=\"board\" data-swap-refusals>");
	if (refused != NULL) {
		HTML_LIT(b, "<div id=\"board-error\" class=\"error-summary\" role=\"alert\" "
		            "tabindex=\"-1\" aria-labelledby=\"board-error-title\"><h2 "
		            "id=\"board-error-title\">");
		html_text(b, refused->name);
		HTML_LIT(b, " was not moved</h2><p>That move is not possible from the stage the "
		            "application is at now: ");
		html_text(b, app_stage_label(refused->stage));
		HTML_LIT(b, ". It may have been moved meanwhile; the board below is up to date.</p>"
		            "</div>");
	}
	HTML_LIT(b, "<p id=\"board-status\" role=\"status\" class=\"status\" tabindex=\"-1\">");
	if (bd.moved_stage >= 0) {
		HTML_LIT(b, "Moved ");
		html_text(b, bd.moved_name);
		HTML_LIT(b, " to ");
		html_text(b, app_stage_label(bd.moved_stage));
		HTML_LIT(b, ". ");
	}
	const char *rej = query_get(&ctx->query, "rejected");
	if (rej && rej[0] >= '0' && rej[0] <= '9' && strlen(rej) < 5) {
		html_text(b, rej);
		HTML_LIT(b, " applicants were sent your message and marked not selected. ");
	}
	if (bd.total_shown == total) {
		html_int(b, total);
		if (total == 1)
			HTML_LIT(b, " applicant shown.</p>");
		else
			HTML_LIT(b, " applicants shown.</p>");
	} else if (stage < 0) {
		HTML_LIT(b, "Showing ");
		html_int(b, bd.total_shown);
		HTML_LIT(b, " of ");
		html_int(b, total);
		HTML_LIT(b, " applicants: the first ");
		html_int(b, BOARD_PER_STAGE);
		HTML_LIT(b, " of each stage.</p>");
	} else {
		HTML_LIT(b, "Showing ");
		html_int(b, q.offset + 1);
		HTML_LIT(b, "–");
		html_int(b, q.offset + bd.total_shown);
		HTML_LIT(b, " of ");
		html_int(b, total);
		HTML_LIT(b, " applicants (page ");
		html_int(b, page);
		HTML_LIT(b, " of ");
		html_int(b, pages);
		HTML_LIT(b, ").</p>");
	}
	if (stage >= 0) {
		struct buf all = {0};
		board_url(&all, j->id, -1, unread, 1);
		HTML_LIT(b, "<p><a href=\"");
		html_attr(b, buf_cstr(&all));
		HTML_LIT(b, "\">← All stages</a></p>");
		buf_free(&all);
	}
	HTML_LIT(b, "<div class=\"board\">");
	for (int i = 0; i < STAGE_COUNT; i++) {
		if (stage >= 0 && i != stage)
			continue;
		HTML_LIT(b, "<section class=\"column\" aria-labelledby=\"col-");
		html_text(b, app_stage_name(i));
		HTML_LIT(b, "\"><h2 id=\"col-");
		html_text(b, app_stage_name(i));
		HTML_LIT(b, "\">");
		html_text(b, app_stage_label(i));
		HTML_LIT(b, " <span class=\"count\">(");
		html_int(b, counts[i]);
		HTML_LIT(b, ")</span></h2>");
		if (counts[i] == 0) {
			HTML_LIT(b, "<p class=\"muted\">Nobody at this stage.</p>");
		} else {
			HTML_LIT(b, "<ul class=\"cards\">");
			buf_append(b, bd.cols[i].data, bd.cols[i].len);
			HTML_LIT(b, "</ul>");
		}
		if (stage < 0 && counts[i] > bd.shown[i]) {
			struct buf more = {0};
			board_url(&more, j->id, i, unread, 1);
			HTML_LIT(b, "<p class=\"more\"><a href=\"");
			html_attr(b, buf_cstr(&more));
			HTML_LIT(b, "\">Show all ");
			html_int(b, counts[i]);
			HTML_LIT(b, " in ");
			html_text(b, app_stage_label(i));
			HTML_LIT(b, "</a></p>");
			buf_free(&more);
		}
		if (stage >= 0)
			stage_pager(b, j->id, i, unread, page, pages);
		HTML_LIT(b, "</section>");
	}
	HTML_LIT(b, "</div></div><section aria-labelledby=\"h-bulk\"><h2 id=\"h-bulk\">Reject "
	            "selected applicants</h2><form method=\"post\" id=\"bulk\" class=\"form\" "
	            "action=\"/employer/jobs/");
	html_int(b, j->id);
	HTML_LIT(b, "/reject\">");
	ui_csrf(b, ctx);
	if (ferr_get(fe, "ids")) {
		HTML_LIT(b, "<p class=\"error-text\" id=\"f-ids\">");
		html_text(b, ferr_get(fe, "ids"));
		HTML_LIT(b, "</p>");
	}
	ui_textarea(b, fe, "message", "Message to each selected applicant",
	            &(struct field_opts){.value = message
	                                              ? message
	                                              : "Thank you for applying and for your time. "
	                                                "We have decided to move forward with other "
	                                                "candidates for this role. We wish you well "
	                                                "in your search.",
	                                 .required = true,
	                                 .hint = "Tick \"Select\" on each applicant above first. "
	                                         "Each one gets this message."},
	            4);
	HTML_LIT(b, "<button type=\"submit\">Reject selected with a message</button></form>"
	            "</section>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
out:
	board_free(&bd);
	buf_free(&back);
}

/* May the visitor act for job ctx->id? Loads it into j, or answers 404/500. */
static bool
job_or_404(struct rctx *ctx, struct job *j)
{
	if (!req_db(ctx))
		return false;
	struct actor a = actor_of(ctx);
	int may = postings_can_edit(ctx->db, &a, ctx->id);
	if (may == 1 && jobs_get(ctx->db, ctx->id, j) == 1)
		return true;
	if (may == 0)
		resp_error_page(ctx, 404, "There is no job with this number among your company's jobs.");
	else
		resp_db_error(ctx, "load job");
	return false;
}

void
page_employer_applicants(struct rctx *ctx)
{
	struct job j;
	if (!job_or_404(ctx, &j))
		return;
	board_page(ctx, &j, &ctx->query, NULL, NULL, NULL, 200);
	job_free(&j);
}

void
page_employer_reject(struct rctx *ctx)
{
	struct job j;
	if (!job_or_404(ctx, &j))
		return;
	int64_t ids[APP_BULK_MAX + 1];
	size_t n = 0;
	bool bad = false;
	for (size_t i = 0; i < ctx->form.count; i++) {
		if (strcmp(ctx->form.params[i].key, "id") != 0)
			continue;
		const char *v = ctx->form.params[i].value;
		char *end;
		long long id = strtoll(v, &end, 10);
		if (*end != '\0' || id <= 0)
			bad = true;
		else if (n < APP_BULK_MAX + 1)
			ids[n++] = id;
	}
	const char *message = query_get(&ctx->form, "message");
	struct field_errors fe = {0};
	struct actor a = actor_of(ctx);
	int moved = 0;
	enum app_result r = bad ? APP_NOT_FOUND
	                        : applications_bulk_reject(ctx->db, &a, j.id, ids, n, message, &fe,
	                                                   &moved);
	if (r == APP_OK) {
		char loc[96];
		snprintf(loc, sizeof(loc), "/employer/jobs/%lld/applicants?rejected=%d",
		         (long long)j.id, moved);
		resp_redirect(ctx, 303, loc);
	} else if (r == APP_INVALID) {
		board_page(ctx, &j, &ctx->query, &fe, message, NULL, 422);
	} else if (r == APP_NOT_FOUND) {
		resp_error_page(ctx, 404, "One of the selected applications is not an application to "
		                          "this job.");
	} else {
		resp_db_error(ctx, "bulk reject");
	}
	job_free(&j);
}

/* ---- one application ---- */

static void
note_item(const struct app_note *n, void *arg)
{
	struct buf *b = arg;
	HTML_LIT(b, "<li><p class=\"message-meta\"><strong>");
	html_text(b, n->author_name ? n->author_name : "A former colleague");
	HTML_LIT(b, "</strong> · ");
	appui_time(b, n->created_at);
	HTML_LIT(b, "</p><div class=\"message-body\">");
	appui_text_with_links(b, n->body);
	HTML_LIT(b, "</div></li>");
}

/* Candidate basics: headline, summary and how they communicate. 0 or -1. */
static int
candidate_section(struct rctx *ctx, const struct application *app)
{
	struct buf *b = &ctx->body;
	struct profile p;
	profiles_init(&p);
	int r = profiles_get(ctx->db, app->user_id, PROFILE_PUBLIC, &p);
	if (r < 0) {
		profiles_free(&p);
		return -1;
	}
	HTML_LIT(b, "<section aria-labelledby=\"h-candidate\"><h2 id=\"h-candidate\">Candidate"
	            "</h2><dl class=\"facts\"><div><dt>Name</dt><dd>");
	html_text(b, app->candidate_name);
	HTML_LIT(b, "</dd></div><div><dt>Email</dt><dd><a href=\"mailto:");
	html_attr(b, app->candidate_email);
	HTML_LIT(b, "\">");
	html_text(b, app->candidate_email);
	HTML_LIT(b, "</a></dd></div>");
	if (p.headline && p.headline[0]) {
		HTML_LIT(b, "<div><dt>Headline</dt><dd>");
		html_text(b, p.headline);
		HTML_LIT(b, "</dd></div>");
	}
	HTML_LIT(b, "<div><dt>Communicates by</dt><dd>");
	bool any = false;
	for (size_t i = 0; i < vocab_comm_modes_count && i < 64; i++)
		if (p.comm_modes & ((uint64_t)1 << i)) {
			if (any)
				HTML_LIT(b, ", ");
			html_text(b, vocab_comm_modes[i].label);
			any = true;
		}
	if (!any)
		HTML_LIT(b, "Not stated. Write to them here; never call.");
	HTML_LIT(b, "</dd></div></dl>");
	if (p.summary && p.summary[0]) {
		HTML_LIT(b, "<div class=\"message-body\">");
		appui_text_with_links(b, p.summary);
		HTML_LIT(b, "</div>");
	}
	HTML_LIT(b, "<h3>Documents</h3><ul>");
	if (appui_document_item(ctx, "Resume", app->resume_id) != 0 ||
	    appui_document_item(ctx, "Cover letter", app->cover_letter_id) != 0) {
		profiles_free(&p);
		return -1;
	}
	HTML_LIT(b, "</ul>");
	if (app->message[0]) {
		HTML_LIT(b, "<h3>Their message with the application</h3><div class=\"message-body\">");
		appui_text_with_links(b, app->message);
		HTML_LIT(b, "</div>");
	}
	HTML_LIT(b, "</section>");
	profiles_free(&p);
	return 0;
}

static int
needs_section(struct rctx *ctx, const struct application *app)
{
	struct buf *b = &ctx->body;
	struct buf needs = {0};
	int r = disclosure_accommodations(ctx->db, app->user_id, app_stage_name(app->stage), &needs);
	if (r < 0)
		return -1;
	HTML_LIT(b, "<section aria-labelledby=\"h-needs\"><h2 id=\"h-needs\">Accommodation needs"
	            "</h2><p>");
	if (r == 1)
		appui_text_with_links(b, buf_cstr(&needs));
	else
		HTML_LIT(b, "Not shared by the candidate at this stage.");
	HTML_LIT(b, "</p></section>");
	buf_free(&needs);
	return 0;
}

static void
stage_form(struct rctx *ctx, const struct application *app, const struct field_errors *fe)
{
	struct buf *b = &ctx->body;
	const char *opts[STAGE_COUNT + 1][2];
	next_options(app->stage, opts);
	HTML_LIT(b, "<section aria-labelledby=\"h-stage\"><h2 id=\"h-stage\">Stage: ");
	html_text(b, app_stage_label(app->stage));
	HTML_LIT(b, "</h2>");
	if (opts[0][0] == NULL) {
		HTML_LIT(b, "<p>This application is closed.</p></section>");
		return;
	}
	HTML_LIT(b, "<form method=\"post\" class=\"form\" action=\"/employer/applications/");
	html_int(b, app->id);
	HTML_LIT(b, "/stage\">");
	ui_csrf(b, ctx);
	ui_select(b, fe, "stage", "Move to", (const char *const(*)[2])opts, NULL, NULL);
	ui_textarea(b, fe, "note", "Message to the candidate",
	            &(struct field_opts){.hint = "Shown on their timeline. Up to 2000 characters."},
	            3);
	HTML_LIT(b, "<button type=\"submit\">Change stage</button></form></section>");
}

static void
propose_form(struct rctx *ctx, const struct application *app, const struct field_errors *fe)
{
	struct buf *b = &ctx->body;
	if (app_stage_final(app->stage) || app->stage > STAGE_INTERVIEW)
		return;
	/* One proposal waits at a time (interviews_propose); a refused one shows its form again. */
	if (fe == NULL && interviews_waiting(ctx->db, app->id) > 0) {
		HTML_LIT(b, "<section aria-labelledby=\"h-propose\"><h2 id=\"h-propose\">Propose an "
		            "interview</h2><p>Your proposal is waiting for the candidate's choice. You can "
		            "propose other times once they answer; to change something now, write to "
		            "them below.</p></section>");
		return;
	}
	static const char *const fmts[][2] = {
	    {"video", "Video call"}, {"in_person", "In person"}, {"text", "Text chat"}, {NULL, NULL}};
	const struct query *f = &ctx->form;
	bool post = fe != NULL;
	HTML_LIT(b, "<section aria-labelledby=\"h-propose\"><h2 id=\"h-propose\">Propose an "
	            "interview</h2><p>Offer one to five times; the candidate picks one. Times are in "
	            "UTC. ");
	if (app->stage < STAGE_INTERVIEW)
		HTML_LIT(b, "Proposing moves the application to the interview stage. ");
	HTML_LIT(b, "</p><form method=\"post\" class=\"form\" novalidate action=\"/employer/"
	            "applications/");
	html_int(b, app->id);
	HTML_LIT(b, "/interviews\">");
	ui_csrf(b, ctx);
	form_radios(b, fe, "format", "Format", fmts, post ? query_get(f, "format") : "video");
	ui_input(b, fe, "location", "Meeting link or address",
	         &(struct field_opts){.value = post ? query_get(f, "location") : NULL,
	                              .unmarked = true,
	                              .hint = "Needed for video and in person: for a video call, "
	                                      "the link (with captions on); in person, the address. "
	                                      "For a text chat, where to join, if anywhere."});
	ui_input(b, fe, "duration", "Length in minutes",
	         &(struct field_opts){.value = post ? query_get(f, "duration") : "30",
	                              .inputmode = "numeric"});
	for (int i = 1; i <= INTERVIEW_SLOTS_MAX; i++) {
		char name[8], label[40];
		snprintf(name, sizeof(name), "slot%d", i);
		snprintf(label, sizeof(label), "Time %d (UTC)", i);
		ui_input(b, fe, name, label,
		         &(struct field_opts){.type = "datetime-local",
		                              .utc = true,
		                              .value = post ? query_get(f, name) : NULL,
		                              .required = i == 1,
		                              .hint = i == 1 ? "Like 2026-12-01T14:30, in UTC." : NULL});
	}
	ui_textarea(b, fe, "details", "Anything else the candidate should know",
	            &(struct field_opts){.value = post ? query_get(f, "details") : NULL}, 3);
	HTML_LIT(b, "<button type=\"submit\">Propose these times</button></form></section>");
}

/* Which form fe belongs to, so the right one shows the errors. */
enum form_kind { FORM_NONE, FORM_MESSAGE, FORM_STAGE, FORM_NOTE, FORM_PROPOSE };

static void
employer_page(struct rctx *ctx, const struct application *app, enum form_kind which,
              const struct field_errors *fe, const char *body, int status)
{
	struct buf *b = &ctx->body;
	char title[1536]; /* a name (400 bytes) and a job title (800) */
	snprintf(title, sizeof(title), "%s: %s", app->candidate_name, app->job_title);
	struct page pg = {.title = title, .nav = "employer", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<p class=\"back\"><a href=\"/employer/jobs/");
	html_int(b, app->job_id);
	HTML_LIT(b, "/applicants\">← All applicants for this job</a></p><h1>");
	html_text(b, app->candidate_name);
	HTML_LIT(b, " <span class=\"muted\">for ");
	html_text(b, app->job_title);
	HTML_LIT(b, "</span></h1>");
	const char *done = query_get(&ctx->query, "done");
	if (done && strcmp(done, "moved") == 0)
		ui_notice(b, "ok", "The stage is changed and the candidate is told.");
	else if (done && strcmp(done, "noted") == 0)
		ui_notice(b, "ok", "Your note is saved. Only your company sees it.");
	else if (done && strcmp(done, "sent") == 0)
		ui_notice(b, "ok", "Your message is sent.");
	else if (done && strcmp(done, "proposed") == 0)
		ui_notice(b, "ok", "The times are sent. The candidate picks one.");
	ui_error_summary(b, fe);
	if (candidate_section(ctx, app) != 0 || needs_section(ctx, app) != 0)
		goto fail;
	stage_form(ctx, app, which == FORM_STAGE ? fe : NULL);
	if (appui_timeline(ctx, app, SIDE_EMPLOYER) != 0 ||
	    appui_interviews(ctx, app, SIDE_EMPLOYER, NULL) != 0)
		goto fail;
	propose_form(ctx, app, which == FORM_PROPOSE ? fe : NULL);
	if (appui_thread(ctx, app, which == FORM_MESSAGE ? fe : NULL, body) != 0)
		goto fail;
	HTML_LIT(b, "<section aria-labelledby=\"h-notes\"><h2 id=\"h-notes\">Private notes</h2>"
	            "<p class=\"hint\">Only people in your company see these.</p>");
	size_t mark = b->len;
	HTML_LIT(b, "<ol class=\"thread\">");
	size_t before = b->len;
	if (applications_notes(ctx->db, app->id, note_item, b) != 0)
		goto fail;
	if (b->len == before)
		b->len = mark;
	else
		HTML_LIT(b, "</ol>");
	HTML_LIT(b, "<form method=\"post\" class=\"form\" action=\"/employer/applications/");
	html_int(b, app->id);
	HTML_LIT(b, "/notes\">");
	ui_csrf(b, ctx);
	ui_textarea(b, which == FORM_NOTE ? fe : NULL, "note_body", "New note",
	            &(struct field_opts){.value = which == FORM_NOTE ? body : NULL,
	                                 .required = true},
	            3);
	HTML_LIT(b, "<button type=\"submit\" class=\"secondary\">Save note</button></form></section>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
	return;
fail:
	resp_db_error(ctx, "application page");
}

void
appui_employer_page(struct rctx *ctx, const struct application *app,
                    const struct field_errors *fe, const char *body, int status)
{
	employer_page(ctx, app, FORM_MESSAGE, fe, body, status);
}

/* Load ctx->id as the employer side or answer 404 (the candidate too: these are employer pages). */
static bool
employer_app_or_404(struct rctx *ctx, struct application *app)
{
	if (!req_db(ctx))
		return false;
	struct actor a = actor_of(ctx);
	enum app_side side;
	enum app_result r = applications_load(ctx->db, &a, ctx->id, app, &side);
	if (r == APP_OK && side == SIDE_EMPLOYER)
		return true;
	if (r == APP_OK)
		application_free(app);
	if (r == APP_OK || r == APP_NOT_FOUND)
		appui_not_found(ctx);
	else
		resp_db_error(ctx, "load application");
	return false;
}

void
page_employer_application(struct rctx *ctx)
{
	struct application app;
	if (!employer_app_or_404(ctx, &app))
		return;
	notify_page_seen(ctx, "/employer/applications/", app.id);
	employer_page(ctx, &app, FORM_NONE, NULL, NULL, 200);
	application_free(&app);
}

/*
 * Did the move form come from the board of job_id? Then next is that board's
 * address (with its filters): filter gets its query string and true is
 * returned (free filter with query_free).
 */
static bool
from_board(const char *next, int64_t job_id, struct query *filter)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "/employer/jobs/%lld/applicants", (long long)job_id);
	size_t n = strlen(prefix);
	if (next == NULL || strncmp(next, prefix, n) != 0 || (next[n] != '\0' && next[n] != '?'))
		return false;
	const char *qs = next[n] == '?' ? next + n + 1 : "";
	return query_parse(filter, qs, strlen(qs), NULL, 0) == QUERY_OK;
}

/* A refused move from the board: the board again, up to date, with the reason (409). */
static void
board_refused(struct rctx *ctx, const struct application *app, const struct query *filter)
{
	struct job j;
	int has = jobs_get(ctx->db, app->job_id, &j);
	if (has != 1) {
		if (has == 0)
			resp_error_page(ctx, 404, "There is no job with this number among your "
			                          "company's jobs.");
		else
			resp_db_error(ctx, "load job");
		return;
	}
	struct move_error me = {.name = app->candidate_name, .stage = app->stage};
	board_page(ctx, &j, filter, NULL, NULL, &me, 409);
	job_free(&j);
}

void
page_employer_application_stage(struct rctx *ctx)
{
	struct application app;
	if (!employer_app_or_404(ctx, &app))
		return;
	struct actor a = actor_of(ctx);
	struct field_errors fe = {0};
	int to = app_stage_parse(query_get(&ctx->form, "stage"));
	enum app_result r =
	    to < 0 ? APP_BAD_TRANSITION
	           : applications_move(ctx->db, &a, app.id, to, query_get(&ctx->form, "note"), &fe);
	if (r == APP_OK) {
		const char *next = form_next(ctx, NULL);
		struct buf loc = {0};
		if (next)
			buf_printf(&loc, "%s%smoved=%lld", next, strchr(next, '?') ? "&" : "?",
			           (long long)app.id);
		else
			buf_printf(&loc, "/employer/applications/%lld?done=moved", (long long)app.id);
		resp_redirect(ctx, 303, buf_cstr(&loc));
		buf_free(&loc);
	} else if (r == APP_BAD_TRANSITION) {
		struct query filter;
		if (from_board(form_next(ctx, NULL), app.job_id, &filter)) {
			board_refused(ctx, &app, &filter);
			query_free(&filter);
		} else {
			ferr_add(&fe, "stage", "That move is not possible from this stage. Choose one of "
			                       "the stages offered.");
			employer_page(ctx, &app, FORM_STAGE, &fe, NULL, 409);
		}
	} else if (r == APP_INVALID) {
		employer_page(ctx, &app, FORM_STAGE, &fe, NULL, 422);
	} else if (r == APP_NOT_FOUND) {
		appui_not_found(ctx);
	} else {
		resp_db_error(ctx, "move application");
	}
	application_free(&app);
}

void
page_employer_application_note(struct rctx *ctx)
{
	struct application app;
	if (!employer_app_or_404(ctx, &app))
		return;
	struct actor a = actor_of(ctx);
	struct field_errors fe = {0};
	const char *body = query_get(&ctx->form, "note_body");
	enum app_result r = applications_note_add(ctx->db, &a, app.id, body, &fe);
	if (r == APP_OK) {
		char loc[80];
		snprintf(loc, sizeof(loc), "/employer/applications/%lld?done=noted", (long long)app.id);
		resp_redirect(ctx, 303, loc);
	} else if (r == APP_INVALID) {
		if (fe.n > 0)
			fe.e[0].field = "note_body";
		employer_page(ctx, &app, FORM_NOTE, &fe, body, 422);
	} else if (r == APP_NOT_FOUND || r == APP_FORBIDDEN) {
		appui_not_found(ctx);
	} else {
		resp_db_error(ctx, "note");
	}
	application_free(&app);
}

void
page_employer_application_propose(struct rctx *ctx)
{
	struct application app;
	if (!employer_app_or_404(ctx, &app))
		return;
	struct actor a = actor_of(ctx);
	struct field_errors fe = {0};
	const struct query *f = &ctx->form;
	struct interview_input in = {.format = query_get(f, "format"),
	                             .location = query_get(f, "location"),
	                             .duration = query_get(f, "duration"),
	                             .details = query_get(f, "details"),
	                             .slots = {query_get(f, "slot1"), query_get(f, "slot2"),
	                                       query_get(f, "slot3"), query_get(f, "slot4"),
	                                       query_get(f, "slot5")}};
	int64_t id;
	enum app_result r = interviews_propose(ctx->db, &a, app.id, &in, &fe, &id);
	if (r == APP_OK) {
		char loc[96];
		snprintf(loc, sizeof(loc), "/employer/applications/%lld?done=proposed#interviews",
		         (long long)app.id);
		resp_redirect(ctx, 303, loc);
	} else if (r == APP_INVALID) {
		employer_page(ctx, &app, FORM_PROPOSE, &fe, NULL, 422);
	} else if (r == APP_BAD_TRANSITION) {
		resp_error_page(ctx, 409, "This application is closed or past the interview stage.");
	} else if (r == APP_NOT_FOUND || r == APP_FORBIDDEN) {
		appui_not_found(ctx);
	} else {
		resp_db_error(ctx, "propose interview");
	}
	application_free(&app);
}
