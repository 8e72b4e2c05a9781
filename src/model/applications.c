/*
 * applications.c - applying, the stage table, history, notes, bulk
 * rejection. See applications.h for the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/mem.h"
#include "core/textfield.h"
#include "model/applications.h"
#include "model/interviews.h"
#include "model/notifications.h"
#include "model/notify.h"
#include "model/postings.h"
#include "model/users.h"

static const char *const stage_names[STAGE_COUNT] = {
    "applied", "screening", "interview", "offer", "hired", "rejected", "withdrawn",
};
static const char *const stage_labels[STAGE_COUNT] = {
    "Applied", "Screening", "Interview", "Offer", "Hired", "Not selected", "Withdrawn",
};

#define E SIDE_EMPLOYER
#define C SIDE_CANDIDATE
/*
 * The transition table: who may move from the row's stage to the column's.
 * Rows and columns in enum app_stage order; 0 = never.
 */
static const unsigned char transitions[STAGE_COUNT][STAGE_COUNT] = {
    /*              applied scr int offer hired rej wd */
    /* applied   */ {0, E, E, 0, 0, E, C},
    /* screening */ {0, 0, E, 0, 0, E, C},
    /* interview */ {0, 0, 0, E, 0, E, C},
    /* offer     */ {0, 0, 0, 0, E, E, C},
    /* hired     */ {0, 0, 0, 0, 0, 0, 0},
    /* rejected  */ {0, 0, 0, 0, 0, 0, 0},
    /* withdrawn */ {0, 0, 0, 0, 0, 0, 0},
};
#undef E
#undef C

const char *
app_stage_name(int stage)
{
	return stage >= 0 && stage < STAGE_COUNT ? stage_names[stage] : NULL;
}

const char *
app_stage_label(int stage)
{
	return stage >= 0 && stage < STAGE_COUNT ? stage_labels[stage] : "";
}

int
app_stage_parse(const char *s)
{
	for (int i = 0; s != NULL && i < STAGE_COUNT; i++)
		if (strcmp(s, stage_names[i]) == 0)
			return i;
	return -1;
}

bool
app_transition_allowed(int from, int to, enum app_side side)
{
	if (from < 0 || from >= STAGE_COUNT || to < 0 || to >= STAGE_COUNT)
		return false;
	return side != SIDE_NONE && transitions[from][to] == side;
}

bool
app_stage_final(int stage)
{
	return stage == STAGE_HIRED || stage == STAGE_REJECTED || stage == STAGE_WITHDRAWN;
}

void
application_free(struct application *a)
{
	free(a->message);
	free(a->job_title);
	free(a->company);
	free(a->candidate_name);
	free(a->candidate_email);
	memset(a, 0, sizeof(*a));
}

/* Begin a write transaction unless the caller holds one; *own tells which. */
static int
begin(struct db *db, bool *own)
{
	*own = !db_in_transaction(db);
	return *own ? db_begin_write(db) : 0;
}

static enum app_result
finish(struct db *db, bool own, enum app_result rc)
{
	if (!own)
		return rc;
	if (rc == APP_OK && db_commit(db) == 0)
		return APP_OK;
	db_rollback(db);
	return rc == APP_OK ? APP_ERROR : rc;
}

int
applications_notify_company(struct db *db, int64_t company_id, int64_t except_user,
                            const char *kind, const char *title, const char *link,
                            const char *body)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT user_id FROM company_members WHERE company_id = ? ORDER BY user_id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, company_id);
	int64_t ids[256];
	size_t n = 0;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW)
		if (n < sizeof(ids) / sizeof(ids[0]))
			ids[n++] = db_col_int(st, 0);
	db_finalize(st);
	if (r != DB_DONE)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ids[i] != except_user && notify(db, ids[i], kind, title, link, body) < 0)
			return -1;
	return 0;
}

/* Parse a positive decimal id; 0 when absent or not one. */
static int64_t
parse_id(const char *s)
{
	if (s == NULL || *s < '1' || *s > '9' || strlen(s) > 18)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end == '\0' ? (int64_t)v : 0;
}

/* Is doc_id a live document of kind owned by user_id? 1, 0, -1. */
static int
own_document(struct db *db, int64_t user_id, int64_t doc_id, const char *kind)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM documents WHERE id = ? AND user_id = ? "
	                                    "AND kind = ? AND deleted_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, doc_id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, kind);
	return db_one(st, NULL, NULL);
}

static int
insert_event(struct db *db, int64_t app_id, int from, int to, int64_t actor, const char *at,
             const char *note)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO application_events (application_id, "
	                                    "from_stage, to_stage, actor_id, at, note) VALUES (?, ?, "
	                                    "?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, app_id);
	if (from < 0)
		db_bind_null(st, 2);
	else
		db_bind_text(st, 2, app_stage_name(from));
	db_bind_text(st, 3, app_stage_name(to));
	db_bind_int(st, 4, actor);
	db_bind_text(st, 5, at);
	db_bind_text(st, 6, note ? note : "");
	return db_run(st) == 1 ? 0 : -1;
}

/* A multi-line text field: NULL with an error in fe (unless empty is allowed). */
static char *
clean_text(const char *in, size_t max, const char *field, bool required, struct field_errors *fe)
{
	enum text_problem p;
	char *s = text_clean(in, max, TEXT_CHARS, true, &p);
	if (s != NULL)
		return s;
	const char *msg;
	switch (p) {
	case TEXT_EMPTY:
		if (!required)
			return xstrdup("");
		msg = "Write a few words.";
		break;
	case TEXT_TOO_LONG:
		msg = max == APP_NOTE_MAX ? "Keep it to 4000 characters or fewer."
		                          : "Keep it to 2000 characters or fewer.";
		break;
	default:
		msg = "Remove the control characters or invalid text.";
	}
	ferr_add(fe, field, msg);
	return NULL;
}

enum app_result
applications_apply(struct db *db, const struct actor *a, int64_t job_id,
                   const struct app_input *in, struct field_errors *fe, int64_t *id)
{
	int64_t resume = parse_id(in->resume_id);
	int64_t cover = parse_id(in->cover_letter_id);
	char *message = clean_text(in->message, APP_MESSAGE_MAX, "message", false, fe);
	char now[INSTANT_LEN];
	instant_now(now);
	enum app_result rc = APP_ERROR;
	bool own = false, raced = false;
	char *title = NULL;
	int64_t company_id = 0;

	if (begin(db, &own) != 0)
		goto out_free;
	struct db_stmt *st =
	    db_prepare(db, "SELECT status, valid_through, company_id, title FROM jobs WHERE id = ?");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, job_id);
	enum db_step_result r = db_step(st);
	bool open = false;
	if (r == DB_ROW) {
		const char *vt = db_col_text(st, 1);
		open = strcmp(db_col_text(st, 0), "open") == 0 && (vt == NULL || strcmp(vt, now) >= 0);
		company_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		title = xstrdup(db_col_text(st, 3));
	}
	db_finalize(st);
	if (r != DB_ROW) {
		rc = r == DB_DONE ? APP_NOT_FOUND : APP_ERROR;
		goto out;
	}
	if (!open) {
		rc = APP_JOB_CLOSED;
		goto out;
	}
	if (resume == 0) {
		ferr_add(fe, "resume_id", "Choose the resume to send.");
	} else {
		int ok = own_document(db, a->user_id, resume, "resume");
		if (ok < 0)
			goto out;
		if (ok == 0)
			ferr_add(fe, "resume_id", "Choose one of your own resumes.");
	}
	if (in->cover_letter_id && in->cover_letter_id[0]) {
		int ok = cover ? own_document(db, a->user_id, cover, "cover_letter") : 0;
		if (ok < 0)
			goto out;
		if (ok == 0)
			ferr_add(fe, "cover_letter_id", "Choose one of your own cover letters, or none.");
	}
	if (fe->n > 0) {
		rc = APP_INVALID;
		goto out;
	}
	st = db_prepare(db, "SELECT 1 FROM applications WHERE job_id = ? AND user_id = ?");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, job_id);
	db_bind_int(st, 2, a->user_id);
	r = db_step(st);
	db_finalize(st);
	if (r != DB_DONE) {
		rc = r == DB_ROW ? APP_DUPLICATE : APP_ERROR;
		goto out;
	}
	st = db_prepare(db, "INSERT INTO applications (job_id, user_id, resume_id, cover_letter_id, "
	                    "stage, created_at, updated_at, message) VALUES (?, ?, ?, ?, 'applied', "
	                    "?, ?, ?) RETURNING id");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, job_id);
	db_bind_int(st, 2, a->user_id);
	db_bind_int(st, 3, resume);
	if (cover)
		db_bind_int(st, 4, cover);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, now);
	db_bind_text(st, 7, message);
	if (db_returning_id(st, id) != 1) {
		raced = true;
		goto out;
	}
	if (insert_event(db, *id, -1, STAGE_APPLIED, a->user_id, now, NULL) != 0)
		goto out;
	char link[64], ntitle[1024];
	snprintf(link, sizeof(link), "/employer/applications/%lld", (long long)*id);
	snprintf(ntitle, sizeof(ntitle), "New application for %s from %s", title,
	         a->name ? a->name : "a candidate");
	if (company_id &&
	    applications_notify_company(db, company_id, a->user_id, NOTIFY_APPLICATION_RECEIVED,
	                                ntitle, link, NULL) != 0)
		goto out;
	rc = APP_OK;
out:
	rc = finish(db, own, rc);
	/*
	 * Two requests of one person racing past the check above: the UNIQUE
	 * constraint stops the second insert; once rolled back, say so plainly.
	 */
	if (raced && own) {
		struct db_stmt *q =
		    db_prepare(db, "SELECT 1 FROM applications WHERE job_id = ? AND user_id = ?");
		if (q != NULL) {
			db_bind_int(q, 1, job_id);
			db_bind_int(q, 2, a->user_id);
			if (db_step(q) == DB_ROW)
				rc = APP_DUPLICATE;
			db_finalize(q);
		}
	}
out_free:
	free(message);
	free(title);
	return rc;
}

/* A load_row row into arg (a struct application). */
static void
application_from_row(struct db_stmt *st, void *arg)
{
	struct application *app = arg;
	memset(app, 0, sizeof(*app));
	app->id = db_col_int(st, 0);
	app->job_id = db_col_int(st, 1);
	app->user_id = db_col_int(st, 2);
	app->resume_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
	app->cover_letter_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	app->stage = app_stage_parse(db_col_text(st, 5));
	snprintf(app->created_at, sizeof(app->created_at), "%s", db_col_text(st, 6));
	snprintf(app->updated_at, sizeof(app->updated_at), "%s", db_col_text(st, 7));
	app->message = xstrdup(db_col_text(st, 8));
	app->job_title = xstrdup(db_col_text(st, 9));
	app->company_id = db_col_is_null(st, 10) ? 0 : db_col_int(st, 10);
	app->candidate_name = xstrdup(db_col_text(st, 11));
	app->candidate_email = xstrdup(db_col_text(st, 12));
	app->company = xstrdup(db_col_text(st, 13) ? db_col_text(st, 13) : "");
}

/* Fill app from row id; 1, 0 none, -1. */
static int
load_row(struct db *db, int64_t id, struct application *app)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT a.id, a.job_id, a.user_id, a.resume_id, a.cover_letter_id, a.stage, "
	        "a.created_at, a.updated_at, a.message, j.title, j.company_id, u.display_name, "
	        "u.email, j.company FROM applications a JOIN jobs j ON j.id = a.job_id JOIN users u "
	        "ON u.id = a.user_id WHERE a.id = ?");
	if (st != NULL)
		db_bind_int(st, 1, id);
	return db_one(st, application_from_row, app);
}

enum app_result
applications_load(struct db *db, const struct actor *a, int64_t id, struct application *app,
                  enum app_side *side)
{
	int r = load_row(db, id, app);
	if (r <= 0)
		return r < 0 ? APP_ERROR : APP_NOT_FOUND;
	if (app->user_id == a->user_id) {
		*side = SIDE_CANDIDATE;
		return APP_OK;
	}
	int may = postings_can_edit(db, a, app->job_id);
	if (may == 1) {
		*side = SIDE_EMPLOYER;
		return APP_OK;
	}
	application_free(app);
	return may < 0 ? APP_ERROR : APP_NOT_FOUND;
}

/*
 * Say in a notification title that interviews were cancelled, when it still
 * fits the title's limit (the body says it in full either way).
 */
static void
with_cancelled(char *title, size_t size, int ncancelled)
{
	const char *more = ncancelled > 1 ? "; the interviews are cancelled"
	                                  : "; the interview is cancelled";
	size_t n = strlen(title);
	if (ncancelled > 0 && n + strlen(more) <= NOTIFY_TITLE_MAX && n + strlen(more) < size)
		memcpy(title + n, more, strlen(more) + 1);
}

enum app_result
applications_move_loaded(struct db *db, const struct actor *a, const struct application *app,
                         int to, const char *note)
{
	enum app_side side = app->user_id == a->user_id ? SIDE_CANDIDATE : SIDE_EMPLOYER;
	if (!app_transition_allowed(app->stage, to, side))
		return APP_BAD_TRANSITION;
	char now[INSTANT_LEN];
	instant_now(now);
	/* The stage in the WHERE clause: a concurrent move makes this one change nothing. */
	struct db_stmt *st = db_prepare(
	    db, "UPDATE applications SET stage = ?, updated_at = ? WHERE id = ? AND stage = ?");
	if (st == NULL)
		return APP_ERROR;
	db_bind_text(st, 1, app_stage_name(to));
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, app->id);
	db_bind_text(st, 4, app_stage_name(app->stage));
	int64_t changed = db_run(st);
	if (changed < 0)
		return APP_ERROR;
	if (changed == 0)
		return APP_BAD_TRANSITION;
	if (insert_event(db, app->id, app->stage, to, a->user_id, now, note) != 0)
		return APP_ERROR;
	/*
	 * A closed application has no interview left: nobody would come. The
	 * other side learns it from the notification below.
	 */
	struct buf cancelled = {0};
	int ncancelled = 0;
	if (to == STAGE_WITHDRAWN || to == STAGE_REJECTED) {
		ncancelled = interviews_cancel_open(db, app->id, &cancelled);
		if (ncancelled < 0) {
			buf_free(&cancelled);
			return APP_ERROR;
		}
	} else if (to == STAGE_HIRED && interviews_cancel_proposed(db, app->id) < 0) {
		return APP_ERROR;
	}
	enum app_result rc = APP_OK;
	char title[1024], link[64];
	struct buf body = {0};
	if (note && note[0])
		buf_puts(&body, note);
	/* The note fills at most the body's limit: then the title says it alone. */
	if (ncancelled > 0 && body.len + 2 + cancelled.len <= NOTIFY_BODY_MAX)
		buf_printf(&body, "%s%s", body.len ? "\n\n" : "", buf_cstr(&cancelled));
	if (side == SIDE_EMPLOYER) {
		snprintf(link, sizeof(link), "/applications/%lld", (long long)app->id);
		snprintf(title, sizeof(title), "Your application for %s: %s", app->job_title,
		         app_stage_label(to));
		with_cancelled(title, sizeof(title), ncancelled);
		if (notify(db, app->user_id, NOTIFY_STAGE_CHANGED, title, link,
		           body.len ? buf_cstr(&body) : NULL) < 0)
			rc = APP_ERROR;
	} else if (app->company_id) {
		snprintf(link, sizeof(link), "/employer/applications/%lld", (long long)app->id);
		snprintf(title, sizeof(title), "%s withdrew their application for %s",
		         app->candidate_name, app->job_title);
		with_cancelled(title, sizeof(title), ncancelled);
		if (applications_notify_company(db, app->company_id, a->user_id,
		                                NOTIFY_STAGE_CHANGED, title, link,
		                                ncancelled > 0 ? buf_cstr(&cancelled) : NULL) != 0)
			rc = APP_ERROR;
	}
	buf_free(&cancelled);
	buf_free(&body);
	return rc;
}

enum app_result
applications_move(struct db *db, const struct actor *a, int64_t id, int to, const char *note,
                  struct field_errors *fe)
{
	char *clean = clean_text(note, APP_REJECT_MAX, "note", false, fe);
	if (clean == NULL)
		return APP_INVALID;
	bool own;
	enum app_result rc = APP_ERROR;
	if (begin(db, &own) != 0) {
		free(clean);
		return APP_ERROR;
	}
	struct application app;
	enum app_side side;
	rc = applications_load(db, a, id, &app, &side);
	if (rc == APP_OK) {
		rc = applications_move_loaded(db, a, &app, to, clean);
		application_free(&app);
	}
	free(clean);
	return finish(db, own, rc);
}

enum app_result
applications_bulk_reject(struct db *db, const struct actor *a, int64_t job_id,
                         const int64_t *ids, size_t n, const char *message,
                         struct field_errors *fe, int *moved)
{
	*moved = 0;
	char *clean = clean_text(message, APP_REJECT_MAX, "message", true, fe);
	if (n == 0)
		ferr_add(fe, "ids", "Select at least one applicant.");
	else if (n > APP_BULK_MAX)
		ferr_add(fe, "ids", "Select at most 200 applicants at a time.");
	if (fe->n > 0) {
		free(clean);
		return APP_INVALID;
	}
	int may = postings_can_edit(db, a, job_id);
	if (may != 1) {
		free(clean);
		return may < 0 ? APP_ERROR : APP_NOT_FOUND;
	}
	bool own;
	enum app_result rc = APP_ERROR;
	if (begin(db, &own) != 0) {
		free(clean);
		return APP_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		struct application app;
		int r = load_row(db, ids[i], &app);
		if (r <= 0 || app.job_id != job_id) {
			if (r > 0)
				application_free(&app);
			rc = r < 0 ? APP_ERROR : APP_NOT_FOUND;
			goto out;
		}
		if (app_stage_final(app.stage)) {
			application_free(&app);
			continue;
		}
		struct actor emp = *a;
		if (emp.user_id == app.user_id) /* an admin who applied cannot reject themselves */
			emp.user_id = 0;
		enum app_result m = applications_move_loaded(db, &emp, &app, STAGE_REJECTED, clean);
		application_free(&app);
		if (m != APP_OK) {
			rc = m;
			goto out;
		}
		(*moved)++;
	}
	rc = APP_OK;
out:
	free(clean);
	return finish(db, own, rc);
}

int
applications_events(struct db *db, int64_t id, int64_t candidate_id,
                    void (*fn)(const struct app_event *e, void *arg), void *arg)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT e.id, e.from_stage, e.to_stage, u.display_name, e.actor_id, e.at, "
	                   "e.note FROM application_events e LEFT JOIN users u ON u.id = e.actor_id "
	                   "WHERE e.application_id = ? ORDER BY e.id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		struct app_event e = {
		    .id = db_col_int(st, 0),
		    .from_stage = app_stage_parse(db_col_text(st, 1)),
		    .to_stage = app_stage_parse(db_col_text(st, 2)),
		    .actor_name = db_col_text(st, 3),
		    .by_candidate = !db_col_is_null(st, 4) && db_col_int(st, 4) == candidate_id,
		    .at = db_col_text(st, 5),
		    .note = db_col_text(st, 6),
		};
		fn(&e, arg);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

enum app_result
applications_note_add(struct db *db, const struct actor *a, int64_t id, const char *body,
                      struct field_errors *fe)
{
	struct application app;
	enum app_side side;
	enum app_result rc = applications_load(db, a, id, &app, &side);
	if (rc != APP_OK)
		return rc;
	application_free(&app);
	if (side != SIDE_EMPLOYER)
		return APP_FORBIDDEN;
	char *clean = clean_text(body, APP_NOTE_MAX, "body", true, fe);
	if (clean == NULL)
		return APP_INVALID;
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO application_notes (application_id, "
	                                    "author_id, created_at, body) VALUES (?, ?, ?, ?)");
	rc = APP_ERROR;
	if (st != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, a->user_id);
		db_bind_text(st, 3, now);
		db_bind_text(st, 4, clean);
		rc = db_run(st) == 1 ? APP_OK : APP_ERROR;
	}
	free(clean);
	return rc;
}

int
applications_notes(struct db *db, int64_t id, void (*fn)(const struct app_note *n, void *arg),
                   void *arg)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT n.id, u.display_name, n.created_at, n.body FROM application_notes n "
	        "LEFT JOIN users u ON u.id = n.author_id WHERE n.application_id = ? ORDER BY n.id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		struct app_note n = {.id = db_col_int(st, 0),
		                     .author_name = db_col_text(st, 1),
		                     .created_at = db_col_text(st, 2),
		                     .body = db_col_text(st, 3)};
		fn(&n, arg);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

/* Messages in a.id's thread that user ? has not read and did not send. */
#define UNREAD_SQL                                                                                 \
	"(SELECT COUNT(*) FROM messages m WHERE m.application_id = a.id AND (m.sender_id IS NULL " \
	"OR m.sender_id <> ?) AND m.id > COALESCE((SELECT r.last_read_id FROM message_reads r "   \
	"WHERE r.application_id = a.id AND r.user_id = ?), 0))"

/* Rows of columns 0-9 as below, and column 10 to_choose when with_to_choose. */
static int
list_rows(struct db_stmt *st, bool with_to_choose, void (*fn)(const struct app_row *r, void *arg),
          void *arg)
{
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		struct app_row row = {
		    .id = db_col_int(st, 0),
		    .job_id = db_col_int(st, 1),
		    .user_id = db_col_int(st, 2),
		    .stage = app_stage_parse(db_col_text(st, 3)),
		    .job_title = db_col_text(st, 4),
		    .company = db_col_text(st, 5),
		    .candidate_name = db_col_text(st, 6),
		    .created_at = db_col_text(st, 7),
		    .updated_at = db_col_text(st, 8),
		    .unread = db_col_int(st, 9),
		    .to_choose = with_to_choose ? db_col_int(st, 10) : 0,
		};
		fn(&row, arg);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

int
applications_mine(struct db *db, int64_t user_id, void (*fn)(const struct app_row *r, void *arg),
                  void *arg)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT a.id, a.job_id, a.user_id, a.stage, j.title, j.company, u.display_name, "
	        "a.created_at, a.updated_at, " UNREAD_SQL ", (SELECT COUNT(*) FROM interviews i "
	        "WHERE i.application_id = a.id AND i.status = 'proposed' AND a.stage NOT IN ('hired', "
	        "'rejected', 'withdrawn')) FROM applications a JOIN jobs j ON j.id = a.job_id JOIN "
	        "users u ON u.id = a.user_id WHERE a.user_id = ? "
	        "ORDER BY a.updated_at DESC, a.id DESC");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, user_id);
	return list_rows(st, true, fn, arg);
}

/*
 * The applications to job ? of stage ? (or every stage when ''), each with
 * its count of messages user ? has not read and did not send, kept when
 * the last ? is 0 or that count is not 0. One pass: the read mark joined
 * once, the messages after it grouped, instead of a subquery per
 * application (which PostgreSQL ran as a scan of message_reads per row).
 */
#define JOB_APPS_SQL                                                                               \
	"SELECT a.id, a.job_id, a.user_id, a.stage, a.created_at, a.updated_at, COUNT(m.id) AS "  \
	"unread FROM applications a LEFT JOIN message_reads r ON r.application_id = a.id AND "    \
	"r.user_id = ? LEFT JOIN messages m ON m.application_id = a.id AND m.id > "               \
	"COALESCE(r.last_read_id, 0) AND (m.sender_id IS NULL OR m.sender_id <> ?) WHERE "        \
	"a.job_id = ? AND (? = '' OR a.stage = ?) GROUP BY a.id, a.job_id, a.user_id, a.stage, " \
	"a.created_at, a.updated_at HAVING (? = 0 OR COUNT(m.id) > 0)"

/* Binds JOB_APPS_SQL's parameters from 1. */
static void
bind_job_apps(struct db_stmt *st, int64_t job_id, const struct app_job_query *q,
              int64_t viewer_id)
{
	const char *name = q->stage >= 0 ? app_stage_name(q->stage) : "";
	db_bind_int(st, 1, viewer_id);
	db_bind_int(st, 2, viewer_id);
	db_bind_int(st, 3, job_id);
	db_bind_text(st, 4, name ? name : "");
	db_bind_text(st, 5, name ? name : "");
	db_bind_int(st, 6, q->unread_only ? 1 : 0);
}

/* Per stage, how many applications to job_id match q's stage and unread filters. 0 or -1. */
static int
job_stage_counts(struct db *db, int64_t job_id, const struct app_job_query *q,
                 int64_t viewer_id, int64_t counts[STAGE_COUNT])
{
	for (int i = 0; i < STAGE_COUNT; i++)
		counts[i] = 0;
	struct db_stmt *st;
	if (q->unread_only) {
		st = db_prepare(db, "SELECT g.stage, COUNT(*) FROM (" JOB_APPS_SQL ") g GROUP BY g.stage");
		if (st == NULL)
			return -1;
		bind_job_apps(st, job_id, q, viewer_id);
	} else {
		const char *name = q->stage >= 0 ? app_stage_name(q->stage) : "";
		st = db_prepare(db, "SELECT stage, COUNT(*) FROM applications WHERE job_id = ? AND "
		                    "(? = '' OR stage = ?) GROUP BY stage");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, job_id);
		db_bind_text(st, 2, name ? name : "");
		db_bind_text(st, 3, name ? name : "");
	}
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		int stage = app_stage_parse(db_col_text(st, 0));
		if (stage >= 0)
			counts[stage] = db_col_int(st, 1);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

int
applications_of_job(struct db *db, int64_t job_id, const struct app_job_query *q,
                    int64_t viewer_id, int64_t counts[STAGE_COUNT],
                    void (*fn)(const struct app_row *r, void *arg), void *arg)
{
	if (counts != NULL && job_stage_counts(db, job_id, q, viewer_id, counts) != 0)
		return -1;
	/* The CASE lists the stages in enum app_stage order. */
	struct db_stmt *st = db_prepare(
	    db, "SELECT x.id, x.job_id, x.user_id, x.stage, j.title, j.company, u.display_name, "
	        "x.created_at, x.updated_at, x.unread FROM (SELECT g.*, ROW_NUMBER() OVER "
	        "(PARTITION BY g.stage ORDER BY g.created_at, g.id) AS rn FROM (" JOB_APPS_SQL
	        ") g) x JOIN jobs j ON j.id = x.job_id JOIN users u ON u.id = x.user_id WHERE x.rn "
	        "<= ? ORDER BY CASE x.stage WHEN 'applied' THEN 0 WHEN 'screening' THEN 1 WHEN "
	        "'interview' THEN 2 WHEN 'offer' THEN 3 WHEN 'hired' THEN 4 WHEN 'rejected' THEN 5 "
	        "ELSE 6 END, x.created_at, x.id LIMIT ? OFFSET ?");
	if (st == NULL)
		return -1;
	bind_job_apps(st, job_id, q, viewer_id);
	db_bind_int(st, 7, q->per_stage > 0 ? q->per_stage : INT32_MAX);
	db_bind_int(st, 8, q->limit > 0 ? q->limit : INT32_MAX);
	db_bind_int(st, 9, q->offset > 0 ? q->offset : 0);
	return list_rows(st, false, fn, arg);
}

int
applications_documents(struct db *db, int64_t user_id, const char *kind,
                       void (*fn)(const struct app_doc *d, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, kind, filename, created_at FROM documents WHERE user_id = ? AND "
	        "deleted_at IS NULL AND (? = '' OR kind = ?) ORDER BY id DESC");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, kind ? kind : "");
	db_bind_text(st, 3, kind ? kind : "");
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		struct app_doc d = {.id = db_col_int(st, 0),
		                    .kind = db_col_text(st, 1),
		                    .filename = db_col_text(st, 2),
		                    .created_at = db_col_text(st, 3)};
		fn(&d, arg);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}
