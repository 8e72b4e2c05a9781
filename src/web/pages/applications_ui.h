/*
 * applications_ui.h - page pieces both sides of an application share: the
 * stage timeline, the message thread (plain text with http(s) links made
 * into links) and its form, the interviews.
 */
#ifndef BEACON_WEB_PAGES_APPLICATIONS_UI_H
#define BEACON_WEB_PAGES_APPLICATIONS_UI_H

#include "core/buf.h"
#include "model/applications.h"
#include "web/req.h"

/*
 * Plain text as HTML: every character escaped, line breaks kept as <br>,
 * and http:// or https:// URLs made into links (rel="nofollow noopener
 * ugc"). Nothing else becomes markup.
 */
void appui_text_with_links(struct buf *b, const char *text);

/* "2026-12-01T14:30:00Z" as "1 Dec 2026, 14:30 UTC" inside <time datetime=...>. */
void appui_time(struct buf *b, const char *iso);
/*
 * The same for a time someone must be somewhere (an interview), marked
 * data-local: with JavaScript, static/beacon.js adds the reader's own time.
 */
void appui_meeting_time(struct buf *b, const char *iso);

/*
 * "<li>Resume: <a href="/documents/12">cv.pdf</a></li>": a document sent with
 * an application, by its file name, for a reader documents_can_read lets
 * have it (the candidate; the employer unless the application was
 * withdrawn: then neither name nor link); "none" without one, "deleted since"
 * when the candidate deleted it. 0, or -1 on a database error.
 */
int appui_document_item(struct rctx *ctx, const char *label, int64_t id);

/* The history of stage changes as an ordered list, in a section with heading "Timeline". */
int appui_timeline(struct rctx *ctx, const struct application *app, enum app_side side);

/*
 * The thread section (id "thread"): messages oldest first, the form posting
 * to /applications/{id}/messages (fe holds its error, body the text to put
 * back). Marks the thread read for the viewer. 0 or -1.
 */
int appui_thread(struct rctx *ctx, const struct application *app, const struct field_errors *fe,
                 const char *body);

/*
 * The interviews section (id "interviews"): each interview's format, place,
 * length, times; for the candidate a form to pick a time or decline (no
 * time chosen in advance), for the employer side the needs recorded.
 * Calendar links while confirmed; a cancelled one (declined, or its
 * application withdrawn or rejected) says so and offers neither. fe (or
 * NULL) may hold "slot-<interview id>": a refused choice, shown at its times.
 */
int appui_interviews(struct rctx *ctx, const struct application *app, enum app_side side,
                     const struct field_errors *fe);

/*
 * The candidate's page of app again (422) after their choice for interview
 * iv_id was refused: fe's "slot_id" message (or "Choose a time, ..." when
 * none was sent) in the error summary, linked to that interview's first
 * radio, and next to its times.
 */
void appui_choose_refused(struct rctx *ctx, const struct application *app, int64_t iv_id,
                          const struct field_errors *fe);

struct interview;
/*
 * GET /interviews/{id}.ics for iv as side sees it: a confirmed interview
 * as an event (METHOD:PUBLISH, SEQUENCE:0); a cancelled one with a chosen
 * time as its cancellation (METHOD:CANCEL, STATUS:CANCELLED, the same UID,
 * SEQUENCE:1), so a calendar that holds the event removes it; otherwise
 * 409 (no time chosen yet, or cancelled before one was).
 */
void appui_interview_ics(struct rctx *ctx, const struct interview *iv,
                         const struct application *app, enum app_side side);

/* Render the candidate's page of app (pages/applications.c); fe and body refill the message form. */
void appui_candidate_page(struct rctx *ctx, const struct application *app,
                          const struct field_errors *fe, const char *body, int status);
/* Render the employer side's page of app (pages/employer_applicants.c). */
void appui_employer_page(struct rctx *ctx, const struct application *app,
                         const struct field_errors *fe, const char *body, int status);

/* The 404 every page gives for an application this visitor may not see. */
void appui_not_found(struct rctx *ctx);

#endif
