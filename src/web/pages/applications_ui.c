/*
 * applications_ui.c - timeline, thread and interviews for both sides of an
 * application. See applications_ui.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/html.h"
#include "core/ics.h"
#include "model/interviews.h"
#include "model/documents.h"
#include "model/mail.h"
#include "model/messages.h"
#include "web/pages/applications_ui.h"
#include "web/ui.h"

void
appui_not_found(struct rctx *ctx)
{
	resp_error_page(ctx, 404, "There is no application with this number that you can see.");
}

/* Length of an http(s) URL starting at s, 0 when s does not start one. */
static size_t
url_len(const char *s)
{
	size_t scheme = strncasecmp(s, "https://", 8) == 0  ? 8
	                : strncasecmp(s, "http://", 7) == 0 ? 7
	                                                     : 0;
	if (scheme == 0)
		return 0;
	size_t n = scheme;
	while (s[n] && !strchr(" \t\r\n<>\"'`", s[n]))
		n++;
	/* Punctuation that ends a sentence is not part of the link. */
	while (n > scheme && strchr(".,;:!?)]}", s[n - 1]))
		n--;
	return n > scheme ? n : 0;
}

void
appui_text_with_links(struct buf *b, const char *text)
{
	const char *s = text ? text : "";
	const char *run = s;
	while (*s) {
		bool boundary = s == text || strchr(" \t\r\n(<[\"'", s[-1]) != NULL;
		size_t n = boundary ? url_len(s) : 0;
		if (n > 0) {
			html_textn(b, run, (size_t)(s - run));
			char url[2048];
			if (n < sizeof(url)) {
				memcpy(url, s, n);
				url[n] = '\0';
				HTML_LIT(b, "<a rel=\"nofollow noopener ugc\" href=\"");
				html_attr(b, url);
				HTML_LIT(b, "\">");
				html_text(b, url);
				HTML_LIT(b, "</a>");
			} else {
				html_textn(b, s, n);
			}
			s += n;
			run = s;
		} else if (*s == '\n') {
			html_textn(b, run, (size_t)(s - run));
			HTML_LIT(b, "<br>");
			s++;
			run = s;
		} else {
			s++;
		}
	}
	html_textn(b, run, (size_t)(s - run));
}

static void
time_element(struct buf *b, const char *iso, bool local)
{
	time_t t;
	HTML_LIT(b, "<time datetime=\"");
	html_attr(b, iso);
	if (local)
		HTML_LIT(b, "\" data-local=\"");
	HTML_LIT(b, "\">");
	if (iso && date_parse(iso, false, &t)) {
		struct tm tm;
		char out[48];
		gmtime_r(&t, &tm);
		strftime(out, sizeof(out), "%-d %b %Y, %H:%M UTC", &tm);
		html_text(b, out);
	} else {
		html_text(b, iso);
	}
	HTML_LIT(b, "</time>");
}

void
appui_time(struct buf *b, const char *iso)
{
	time_element(b, iso, false);
}

void
appui_meeting_time(struct buf *b, const char *iso)
{
	time_element(b, iso, true);
}

struct tl_state {
	struct buf *b;
	enum app_side side;
};

static void
timeline_item(const struct app_event *e, void *arg)
{
	struct tl_state *s = arg;
	struct buf *b = s->b;
	HTML_LIT(b, "<li><strong>");
	html_text(b, app_stage_label(e->to_stage));
	HTML_LIT(b, "</strong> · ");
	appui_time(b, e->at);
	HTML_LIT(b, "<br><span class=\"muted\">");
	if (e->from_stage < 0)
		HTML_LIT(b, "Application sent");
	else if (e->by_candidate)
		HTML_LIT(b, "By the candidate");
	else if (s->side == SIDE_EMPLOYER && e->actor_name) {
		HTML_LIT(b, "By ");
		html_text(b, e->actor_name);
	} else
		HTML_LIT(b, "By the employer");
	HTML_LIT(b, "</span>");
	if (e->note && e->note[0]) {
		HTML_LIT(b, "<blockquote class=\"message-body\">");
		appui_text_with_links(b, e->note);
		HTML_LIT(b, "</blockquote>");
	}
	HTML_LIT(b, "</li>");
}

int
appui_timeline(struct rctx *ctx, const struct application *app, enum app_side side)
{
	struct buf *b = &ctx->body;
	struct tl_state s = {.b = b, .side = side};
	HTML_LIT(b, "<section aria-labelledby=\"h-timeline\"><h2 id=\"h-timeline\">Timeline</h2>"
	            "<ol class=\"timeline\">");
	if (applications_events(ctx->db, app->id, app->user_id, timeline_item, &s) != 0)
		return -1;
	HTML_LIT(b, "</ol></section>");
	return 0;
}

struct thread_state {
	struct buf *b;
	int64_t viewer;
	int n;
};

static void
message_item(const struct message *m, void *arg)
{
	struct thread_state *s = arg;
	struct buf *b = s->b;
	s->n++;
	HTML_LIT(b, "<li class=\"message");
	if (m->sender_id == s->viewer)
		HTML_LIT(b, " mine");
	HTML_LIT(b, "\"><p class=\"message-meta\"><strong>");
	if (m->sender_id == s->viewer)
		HTML_LIT(b, "You");
	else if (m->sender_name)
		html_text(b, m->sender_name);
	else
		HTML_LIT(b, "A former user");
	if (!m->from_candidate)
		HTML_LIT(b, " (employer)");
	HTML_LIT(b, "</strong> · ");
	appui_time(b, m->created_at);
	HTML_LIT(b, "</p><div class=\"message-body\">");
	appui_text_with_links(b, m->body);
	HTML_LIT(b, "</div></li>");
}

int
appui_thread(struct rctx *ctx, const struct application *app, const struct field_errors *fe,
             const char *body)
{
	struct buf *b = &ctx->body;
	struct thread_state s = {.b = b, .viewer = ctx->auth.user_id};
	HTML_LIT(b, "<section id=\"thread\" aria-labelledby=\"h-thread\"><h2 id=\"h-thread\">"
	            "Messages</h2>");
	size_t mark = b->len;
	HTML_LIT(b, "<ol class=\"thread\">");
	if (messages_list(ctx->db, app, message_item, &s) != 0)
		return -1;
	HTML_LIT(b, "</ol>");
	if (s.n == 0) {
		b->len = mark;
		HTML_LIT(b, "<p>No messages yet. Write below: everything here is in writing, no phone "
		            "calls needed.</p>");
	}
	if (messages_mark_read(ctx->db, app->id, ctx->auth.user_id) != 0)
		return -1;
	HTML_LIT(b, "<form method=\"post\" class=\"form\" action=\"/applications/");
	html_int(b, app->id);
	HTML_LIT(b, "/messages\">");
	ui_csrf(b, ctx);
	ui_textarea(b, fe, "body", "Your message",
	            &(struct field_opts){.value = body,
	                                 .required = true,
	                                 .hint = "Plain text, up to 4000 characters. Web addresses "
	                                         "become links."},
	            4);
	HTML_LIT(b, "<button type=\"submit\">Send message</button></form></section>");
	return 0;
}

struct iv_state {
	struct rctx *ctx;
	const struct application *app;
	const struct field_errors *fe; /* a refused choice: "slot-<interview>", or NULL */
	enum app_side side;
	int n;
	int err;
};

static const char *
slot_at(const struct interview *iv, int64_t id)
{
	for (size_t i = 0; i < iv->nslots; i++)
		if (iv->slots[i].id == id)
			return iv->slots[i].starts_at;
	return NULL;
}

static void
interview_item(const struct interview *iv, void *arg)
{
	struct iv_state *s = arg;
	struct rctx *ctx = s->ctx;
	struct buf *b = &ctx->body;
	s->n++;
	HTML_LIT(b, "<li class=\"card\"><h3 class=\"card-title\">");
	html_text(b, interview_format_label(iv->format));
	HTML_LIT(b, " interview, ");
	html_int(b, iv->duration_min);
	HTML_LIT(b, " minutes</h3><ul class=\"facts\"><li>Status: <strong>");
	const char *chosen = iv->chosen_slot_id ? slot_at(iv, iv->chosen_slot_id) : NULL;
	bool confirmed = strcmp(iv->status, "confirmed") == 0;
	bool cancelled = strcmp(iv->status, "cancelled") == 0;
	if (confirmed)
		HTML_LIT(b, "Confirmed");
	else if (cancelled && (chosen || app_stage_final(s->app->stage)))
		/* A booked time, or an application closed (withdrawn, rejected, hired). */
		HTML_LIT(b, "Cancelled");
	else if (cancelled)
		HTML_LIT(b, "Declined: none of the times worked");
	else
		HTML_LIT(b, "Waiting for the candidate to choose a time");
	HTML_LIT(b, "</strong></li>");
	if (iv->location[0]) {
		HTML_LIT(b, "<li>Where: ");
		appui_text_with_links(b, iv->location);
		HTML_LIT(b, "</li>");
	}
	if (chosen) {
		if (cancelled)
			HTML_LIT(b, "<li>Was booked for: ");
		else
			HTML_LIT(b, "<li>When: ");
		appui_meeting_time(b, chosen);
		HTML_LIT(b, "</li>");
	}
	if (cancelled && app_stage_final(s->app->stage)) {
		HTML_LIT(b, "<li>");
		if (s->app->stage == STAGE_WITHDRAWN)
			HTML_LIT(b, "Cancelled because the application was withdrawn.");
		else if (s->app->stage == STAGE_REJECTED)
			HTML_LIT(b, "Cancelled because the application was not taken further.");
		else if (s->app->stage == STAGE_HIRED)
			HTML_LIT(b, "No longer needed: the candidate was hired.");
		else
			HTML_LIT(b, "The application is closed.");
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul>");
	if (iv->details[0]) {
		HTML_LIT(b, "<div class=\"message-body\">");
		appui_text_with_links(b, iv->details);
		HTML_LIT(b, "</div>");
	}
	/* The needs recorded for the employer to arrange; the candidate sees them too. */
	struct buf needs = {0};
	int has = interviews_accommodation(ctx->db, iv, &needs);
	if (has < 0)
		s->err = 1;
	HTML_LIT(b, "<div class=\"accommodation\"><h4>Accommodation requested</h4><p>");
	if (has == 1)
		appui_text_with_links(b, buf_cstr(&needs));
	else if (s->side == SIDE_EMPLOYER)
		HTML_LIT(b, "Not shared by the candidate for this interview.");
	else
		HTML_LIT(b, "None recorded. Your profile's disclosure setting decides whether the "
		            "employer sees your accommodation needs at the interview stage.");
	HTML_LIT(b, "</p></div>");
	buf_free(&needs);
	/* A closed application's proposal (hired meanwhile) offers no choice: it would be refused. */
	if (strcmp(iv->status, "proposed") == 0 && s->side == SIDE_CANDIDATE &&
	    !app_stage_final(s->app->stage)) {
		/*
		 * Nothing is chosen in advance: sending the form untouched must not
		 * book a time. The first radio is "f-slot-<interview>", where the
		 * error summary links when no choice was sent.
		 */
		char key[48];
		snprintf(key, sizeof(key), "slot-%lld", (long long)iv->id);
		const char *err = s->fe ? ferr_get(s->fe, key) : NULL;
		HTML_LIT(b, "<form method=\"post\" class=\"form\" action=\"/interviews/");
		html_int(b, iv->id);
		HTML_LIT(b, "/choose\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<fieldset class=\"field group");
		if (err) {
			HTML_LIT(b, " field-error\" aria-describedby=\"e-slot-");
			html_int(b, iv->id);
		}
		HTML_LIT(b, "\"><legend>Choose a time (UTC)</legend>");
		if (err) {
			HTML_LIT(b, "<p class=\"error-text\" id=\"e-slot-");
			html_int(b, iv->id);
			HTML_LIT(b, "\"><span class=\"visually-hidden\">Error: </span>");
			html_text(b, err);
			HTML_LIT(b, "</p>");
		}
		for (size_t i = 0; i <= iv->nslots; i++) {
			bool none = i == iv->nslots;
			char id[64];
			if (i == 0)
				snprintf(id, sizeof(id), "f-slot-%lld", (long long)iv->id);
			else if (none)
				snprintf(id, sizeof(id), "f-slot-%lld-none", (long long)iv->id);
			else
				snprintf(id, sizeof(id), "f-slot-%lld-%lld", (long long)iv->id,
				         (long long)iv->slots[i].id);
			HTML_LIT(b, "<div class=\"check\"><input type=\"radio\" name=\"slot_id\" id=\"");
			html_attr(b, id);
			HTML_LIT(b, "\" value=\"");
			if (none)
				HTML_LIT(b, "none");
			else
				html_int(b, iv->slots[i].id);
			HTML_LIT(b, "\"");
			if (err)
				HTML_LIT(b, " aria-invalid=\"true\"");
			HTML_LIT(b, "><label for=\"");
			html_attr(b, id);
			HTML_LIT(b, "\">");
			if (none)
				HTML_LIT(b, "None of these times work for me (decline)");
			else
				appui_meeting_time(b, iv->slots[i].starts_at);
			HTML_LIT(b, "</label></div>");
		}
		HTML_LIT(b, "</fieldset><button type=\"submit\">Send my choice</button></form>");
	} else if (strcmp(iv->status, "proposed") == 0) {
		HTML_LIT(b, "<p>Proposed times (UTC):</p><ul>");
		for (size_t i = 0; i < iv->nslots; i++) {
			HTML_LIT(b, "<li>");
			appui_meeting_time(b, iv->slots[i].starts_at);
			HTML_LIT(b, "</li>");
		}
		HTML_LIT(b, "</ul>");
	}
	if (chosen && confirmed) {
		HTML_LIT(b, "<p><a href=\"/interviews/");
		html_int(b, iv->id);
		HTML_LIT(b, ".ics\" download>Add to your calendar (.ics file)</a></p>");
	}
	HTML_LIT(b, "</li>");
}

int
appui_document_item(struct rctx *ctx, const char *label, int64_t id)
{
	struct buf *b = &ctx->body;
	HTML_LIT(b, "<li>");
	html_text(b, label);
	HTML_LIT(b, ": ");
	struct document d;
	int r = id ? documents_get(ctx->db, id, &d) : 0;
	if (r < 0)
		return -1;
	/* Neither a link nor the file's name for a reader who may not have it (withdrawn). */
	int may = r == 1 ? documents_can_read(ctx->db, &d, ctx->auth.user_id, ctx->auth.role) : 0;
	if (may < 0)
		return -1;
	if (r == 1 && may == 0) {
		HTML_LIT(b, "no longer shared (the application was withdrawn)");
	} else if (r == 1) {
		HTML_LIT(b, "<a href=\"/documents/");
		html_int(b, d.id);
		HTML_LIT(b, "\">");
		html_text(b, d.filename);
		HTML_LIT(b, "</a>");
	} else if (id) {
		HTML_LIT(b, "deleted since");
	} else {
		HTML_LIT(b, "none");
	}
	HTML_LIT(b, "</li>");
	return 0;
}

int
appui_interviews(struct rctx *ctx, const struct application *app, enum app_side side,
                 const struct field_errors *fe)
{
	struct buf *b = &ctx->body;
	struct iv_state s = {.ctx = ctx, .app = app, .fe = fe, .side = side};
	HTML_LIT(b, "<section id=\"interviews\" aria-labelledby=\"h-interviews\"><h2 "
	            "id=\"h-interviews\">Interviews</h2>");
	size_t mark = b->len;
	HTML_LIT(b, "<ul class=\"results\">");
	if (interviews_of_application(ctx->db, app->id, interview_item, &s) != 0 || s.err)
		return -1;
	HTML_LIT(b, "</ul>");
	if (s.n == 0) {
		b->len = mark;
		HTML_LIT(b, "<p>No interviews yet.</p>");
	}
	HTML_LIT(b, "</section>");
	return 0;
}

void
appui_choose_refused(struct rctx *ctx, const struct application *app, int64_t iv_id,
                     const struct field_errors *fe)
{
	const char *msg = ferr_get(fe, "slot_id");
	if (msg == NULL)
		msg = "Choose a time, or say that none of these times work.";
	/* The summary links to "#f-slot-<interview>", the group's first radio. */
	char field[48];
	snprintf(field, sizeof(field), "slot-%lld", (long long)iv_id);
	struct field_errors shown = {0};
	ferr_add(&shown, field, msg);
	appui_candidate_page(ctx, app, &shown, NULL, 422);
}

void
appui_interview_ics(struct rctx *ctx, const struct interview *iv,
                    const struct application *app, enum app_side side)
{
	const char *at = iv->chosen_slot_id ? slot_at(iv, iv->chosen_slot_id) : NULL;
	bool confirmed = strcmp(iv->status, "confirmed") == 0;
	bool cancelled = strcmp(iv->status, "cancelled") == 0;
	time_t start;
	if (at == NULL || !date_parse(at, false, &start) || (!confirmed && !cancelled)) {
		if (cancelled)
			resp_error(ctx, 409, "interview_cancelled", "Interview cancelled",
			           "This interview was cancelled before a time was chosen, so there is "
			           "no calendar event to add or remove.",
			           NULL);
		else
			resp_error(ctx, 409, "not_confirmed", "No time chosen yet",
			           "The calendar file is ready once the candidate has chosen a time.",
			           NULL);
		return;
	}
	const struct config *cfg = config_get();
	struct buf uid = {0}, summary = {0}, desc = {0}, url = {0}, org = {0};
	/* The same UID before and after cancelling: that is how a calendar finds the event. */
	buf_printf(&uid, "interview-%lld@beacon", (long long)iv->id);
	buf_printf(&summary, "%sInterview: %s", cancelled ? "Cancelled: " : "", app->job_title);
	if (side == SIDE_EMPLOYER)
		buf_printf(&summary, " with %s", app->candidate_name);
	else if (app->company && app->company[0])
		buf_printf(&summary, " at %s", app->company); /* which company, in the calendar */
	if (cancelled)
		buf_printf(&desc, "This interview is cancelled: the application was %s.\n\n",
		           app->stage == STAGE_WITHDRAWN  ? "withdrawn"
		           : app->stage == STAGE_REJECTED ? "not taken further"
		                                          : "closed");
	buf_printf(&desc, "%s interview, %d minutes.", interview_format_label(iv->format),
	           iv->duration_min);
	if (iv->details[0])
		buf_printf(&desc, "\n\n%s", iv->details);
	buf_printf(&url, "%s%s/%lld", cfg->base_url,
	           side == SIDE_EMPLOYER ? "/employer/applications" : "/applications",
	           (long long)app->id);
	/* RFC 5546 wants an organizer: the site's sender address ("Name <a@b>" gives a@b). */
	char addr[320] = "";
	if (cfg->smtp_from)
		mail_bare_address(cfg->smtp_from, addr, sizeof(addr));
	if (addr[0] && mail_address_valid(addr))
		buf_printf(&org, "mailto:%s", addr);
	struct ics_event e = {.uid = buf_cstr(&uid),
	                      .stamp = time(NULL),
	                      .start = start,
	                      .end = start + (time_t)iv->duration_min * 60,
	                      .summary = buf_cstr(&summary),
	                      .location = iv->location,
	                      .description = buf_cstr(&desc),
	                      .url = buf_cstr(&url),
	                      .organizer = org.len ? buf_cstr(&org) : NULL,
	                      /* 0 as published; the cancellation supersedes it. */
	                      .sequence = cancelled ? 1 : 0,
	                      .cancelled = cancelled};
	buf_reset(&ctx->body);
	ics_event_write(&ctx->body, &e);
	char disp[80];
	snprintf(disp, sizeof(disp), "attachment; filename=\"interview-%lld%s.ics\"",
	         (long long)iv->id, cancelled ? "-cancelled" : "");
	http_response_header(ctx->req, "content-disposition", disp);
	resp_send(ctx, 200, "text/calendar; charset=utf-8", CACHE_NONE);
	buf_free(&uid);
	buf_free(&summary);
	buf_free(&desc);
	buf_free(&url);
	buf_free(&org);
}
