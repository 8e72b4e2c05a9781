/*
 * interviews.c - proposing, choosing, and the needs recorded on an
 * interview. See interviews.h.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/mem.h"
#include "core/seal.h"
#include "core/textfield.h"
#include "model/disclosure.h"
#include "model/interviews.h"
#include "model/notify.h"

static const char *const formats[][2] = {
    {"video", "Video call"},
    {"in_person", "In person"},
    {"text", "Text chat"},
};

const char *
interview_format_label(const char *format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (format && strcmp(format, formats[i][0]) == 0)
			return formats[i][1];
	return "";
}

void
interview_free(struct interview *iv)
{
	free(iv->location);
	free(iv->details);
	memset(iv, 0, sizeof(*iv));
}

/*
 * A slot as typed: a date and a time ("2026-12-01T14:30", the shape of an
 * <input type="datetime-local">), taken as UTC unless it names its offset.
 * A date alone is refused: an interview needs a time.
 */
static bool
slot_parse(const char *s, time_t *t)
{
	if (s == NULL || strlen(s) < 16 || s[10] != 'T')
		return false;
	return date_parse(s, false, t);
}

/* Seal the candidate's needs (as disclosed at interview) onto interview id; clears them when not disclosed. */
static int
record_needs(struct db *db, int64_t id, int64_t candidate_id)
{
	struct buf needs = {0}, sealed = {0};
	int rc = -1;
	int has = disclosure_accommodations(db, candidate_id, "interview", &needs);
	if (has < 0)
		goto out;
	if (has == 1) {
		char aad[80];
		snprintf(aad, sizeof(aad), "interviews.accommodation_sealed:%lld", (long long)id);
		if (seal_encrypt(needs.data ? needs.data : "", needs.len, aad, &sealed) != 0)
			goto out;
	}
	struct db_stmt *st =
	    db_prepare(db, "UPDATE interviews SET accommodation_sealed = ? WHERE id = ?");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, has == 1 ? buf_cstr(&sealed) : NULL);
	db_bind_int(st, 2, id);
	rc = db_run(st) == 1 ? 0 : -1;
out:
	if (needs.data)
		sodium_memzero(needs.data, needs.len);
	buf_free(&needs);
	buf_free(&sealed);
	return rc;
}

static char *
clean(const char *in, size_t max, bool multi, const char *field, struct field_errors *fe)
{
	enum text_problem p;
	char *s = text_clean(in, max, TEXT_CHARS, multi, &p);
	if (s != NULL)
		return s;
	if (p == TEXT_EMPTY)
		return xstrdup("");
	ferr_add(fe, field, p == TEXT_TOO_LONG ? "This is too long." : "Remove the control characters or line breaks.");
	return NULL;
}

int64_t
interviews_waiting(struct db *db, int64_t app_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM interviews WHERE application_id = ? "
	                                    "AND status = 'proposed'");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, app_id);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

enum app_result
interviews_propose(struct db *db, const struct actor *a, int64_t app_id,
                   const struct interview_input *in, struct field_errors *fe, int64_t *id)
{
	const char *fmt = in->format ? in->format : "";
	if (interview_format_label(fmt)[0] == '\0')
		ferr_add(fe, "format", "Choose video call, in person or text chat.");
	char *location = clean(in->location, INTERVIEW_LOCATION_MAX, false, "location", fe);
	char *details = clean(in->details, INTERVIEW_DETAILS_MAX, true, "details", fe);
	if (location && !location[0] && (strcmp(fmt, "video") == 0 || strcmp(fmt, "in_person") == 0))
		ferr_add(fe, "location", strcmp(fmt, "video") == 0
		                             ? "Give the link to the video call."
		                             : "Give the address where the interview takes place.");
	int duration = 0;
	const char *d = in->duration && in->duration[0] ? in->duration : "30";
	char *end;
	long dv = strtol(d, &end, 10);
	if (*end != '\0' || dv < INTERVIEW_DURATION_MIN || dv > INTERVIEW_DURATION_MAX)
		ferr_add(fe, "duration", "Give the length in minutes, from 15 to 480.");
	else
		duration = (int)dv;
	time_t now = time(NULL), when[INTERVIEW_SLOTS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < INTERVIEW_SLOTS_MAX; i++) {
		const char *s = in->slots[i];
		if (s == NULL || s[0] == '\0')
			continue;
		/* fe keeps the pointer: the field name must outlive this loop (a literal). */
		static const char *const slot_fields[] = {"slot1", "slot2", "slot3", "slot4", "slot5"};
		_Static_assert(sizeof(slot_fields) / sizeof(slot_fields[0]) == INTERVIEW_SLOTS_MAX,
		               "one field name per slot");
		const char *field = slot_fields[i];
		time_t t;
		if (!slot_parse(s, &t))
			ferr_add(fe, field, "Give a date and time like 2026-12-01T14:30 (UTC).");
		else if (t <= now)
			ferr_add(fe, field, "Choose a time in the future.");
		else
			when[n++] = t;
	}
	if (n == 0 && ferr_get(fe, "slot1") == NULL)
		ferr_add(fe, "slot1", "Propose at least one time.");
	enum app_result rc = APP_ERROR;
	bool own = !db_in_transaction(db);
	struct application app = {0};
	bool loaded = false;
	if (fe->n > 0) {
		rc = APP_INVALID;
		goto out_free;
	}
	if (own && db_begin_write(db) != 0)
		goto out_free;
	enum app_side side;
	rc = applications_load(db, a, app_id, &app, &side);
	if (rc != APP_OK)
		goto out;
	loaded = true;
	if (side != SIDE_EMPLOYER) {
		rc = APP_FORBIDDEN;
		goto out;
	}
	/*
	 * One open proposal at a time: the candidate answers one question, not a
	 * pile. PostgreSQL's read committed would let two proposals both count
	 * none, so the application row is locked first (SQLite's write
	 * transaction already serialises them).
	 */
	rc = APP_ERROR;
	if (db_kind(db) == DB_POSTGRES) {
		struct db_stmt *lock =
		    db_prepare(db, "SELECT id FROM applications WHERE id = ? FOR UPDATE");
		if (lock == NULL)
			goto out;
		db_bind_int(lock, 1, app_id);
		enum db_step_result lr = db_step(lock);
		db_finalize(lock);
		if (lr != DB_ROW)
			goto out;
	}
	int64_t open = interviews_waiting(db, app_id);
	if (open != 0) {
		if (open > 0) {
			ferr_add(fe, "slot1", "A proposal is already waiting for the candidate's choice. "
			                      "Propose again once they answer, or write to them.");
			rc = APP_INVALID;
		}
		goto out;
	}
	if (app.stage != STAGE_INTERVIEW) {
		rc = applications_move_loaded(db, a, &app, STAGE_INTERVIEW, NULL);
		if (rc != APP_OK)
			goto out;
	}
	rc = APP_ERROR;
	char stamp[INSTANT_LEN];
	instant_now(stamp);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO interviews (application_id, format, status, location, duration_min, "
	        "created_by, created_at, updated_at, details) VALUES (?, ?, 'proposed', ?, ?, ?, ?, "
	        "?, ?) RETURNING id");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, app_id);
	db_bind_text(st, 2, fmt);
	db_bind_text(st, 3, location);
	db_bind_int(st, 4, duration);
	db_bind_int(st, 5, a->user_id);
	db_bind_text(st, 6, stamp);
	db_bind_text(st, 7, stamp);
	db_bind_text(st, 8, details);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		*id = db_col_int(st, 0);
	while (r == DB_ROW)
		r = db_step(st);
	db_finalize(st);
	if (r != DB_DONE)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char at[INSTANT_LEN];
		instant_format(when[i], at);
		st = db_prepare(db, "INSERT INTO interview_slots (interview_id, starts_at) VALUES (?, ?)");
		if (st == NULL)
			goto out;
		db_bind_int(st, 1, *id);
		db_bind_text(st, 2, at);
		if (db_run(st) != 1)
			goto out;
	}
	if (record_needs(db, *id, app.user_id) != 0)
		goto out;
	char title[1024], link[64];
	snprintf(link, sizeof(link), "/applications/%lld#interviews", (long long)app_id);
	snprintf(title, sizeof(title), "Interview times proposed for %s: choose one",
	         app.job_title);
	if (notify(db, app.user_id, NOTIFY_INTERVIEW_PROPOSED, title, link, NULL) < 0)
		goto out;
	rc = APP_OK;
out:
	if (own) {
		if (rc == APP_OK && db_commit(db) != 0)
			rc = APP_ERROR;
		if (rc != APP_OK)
			db_rollback(db);
	}
out_free:
	if (loaded)
		application_free(&app);
	free(location);
	free(details);
	return rc;
}

/* A load_row row (without slots) into arg (a struct interview). */
static void
interview_from_row(struct db_stmt *st, void *arg)
{
	struct interview *iv = arg;
	memset(iv, 0, sizeof(*iv));
	iv->id = db_col_int(st, 0);
	iv->application_id = db_col_int(st, 1);
	snprintf(iv->format, sizeof(iv->format), "%s", db_col_text(st, 2));
	snprintf(iv->status, sizeof(iv->status), "%s", db_col_text(st, 3));
	iv->chosen_slot_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	iv->location = xstrdup(db_col_text(st, 5));
	iv->details = xstrdup(db_col_text(st, 6));
	iv->duration_min = (int)db_col_int(st, 7);
	snprintf(iv->created_at, sizeof(iv->created_at), "%s", db_col_text(st, 8));
	iv->has_accommodation = db_col_int(st, 9) != 0;
}

/* Fill iv from interview id (slots too): 1, 0, -1. */
static int
load_row(struct db *db, int64_t id, struct interview *iv)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, application_id, format, status, chosen_slot_id, location, details, "
	        "duration_min, created_at, CASE WHEN accommodation_sealed IS NULL THEN 0 ELSE 1 END "
	        "FROM interviews WHERE id = ?");
	if (st != NULL)
		db_bind_int(st, 1, id);
	int found = db_one(st, interview_from_row, iv);
	if (found != 1)
		return found;
	st = db_prepare(db, "SELECT id, starts_at FROM interview_slots WHERE interview_id = ? "
	                    "ORDER BY starts_at, id");
	if (st == NULL) {
		interview_free(iv);
		return -1;
	}
	db_bind_int(st, 1, id);
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW)
		if (iv->nslots < INTERVIEW_SLOTS_MAX) {
			struct interview_slot *s = &iv->slots[iv->nslots++];
			s->id = db_col_int(st, 0);
			snprintf(s->starts_at, sizeof(s->starts_at), "%s", db_col_text(st, 1));
		}
	db_finalize(st);
	if (r != DB_DONE) {
		interview_free(iv);
		return -1;
	}
	return 1;
}

enum app_result
interviews_load(struct db *db, const struct actor *a, int64_t id, struct interview *iv,
                struct application *app, enum app_side *side)
{
	int r = load_row(db, id, iv);
	if (r <= 0)
		return r < 0 ? APP_ERROR : APP_NOT_FOUND;
	enum app_result rc = applications_load(db, a, iv->application_id, app, side);
	if (rc != APP_OK)
		interview_free(iv);
	return rc;
}

enum app_result
interviews_choose(struct db *db, const struct actor *a, int64_t id, int64_t slot_id,
                  struct field_errors *fe)
{
	bool own = !db_in_transaction(db);
	if (own && db_begin_write(db) != 0)
		return APP_ERROR;
	struct interview iv;
	struct application app;
	enum app_side side;
	enum app_result rc = interviews_load(db, a, id, &iv, &app, &side);
	if (rc != APP_OK)
		goto out_nofree;
	rc = APP_ERROR;
	if (side != SIDE_CANDIDATE) {
		rc = APP_FORBIDDEN;
		goto out;
	}
	if (strcmp(iv.status, "proposed") != 0 || app_stage_final(app.stage)) {
		rc = APP_BAD_TRANSITION;
		goto out;
	}
	if (slot_id < 0) {
		ferr_add(fe, "slot_id", "Choose a time, or say that none of these times work.");
		rc = APP_INVALID;
		goto out;
	}
	const char *at = NULL;
	for (size_t i = 0; i < iv.nslots; i++)
		if (iv.slots[i].id == slot_id)
			at = iv.slots[i].starts_at;
	if (slot_id != 0 && at == NULL) {
		ferr_add(fe, "slot_id", "Choose one of the proposed times.");
		rc = APP_INVALID;
		goto out;
	}
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE interviews SET status = ?, chosen_slot_id = ?, "
	                                    "updated_at = ? WHERE id = ? AND status = 'proposed'");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, slot_id ? "confirmed" : "cancelled");
	if (slot_id)
		db_bind_int(st, 2, slot_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, now);
	db_bind_int(st, 4, id);
	int64_t changed = db_run(st);
	if (changed != 1) {
		rc = changed == 0 ? APP_BAD_TRANSITION : APP_ERROR;
		goto out;
	}
	if (slot_id && record_needs(db, id, app.user_id) != 0)
		goto out;
	char title[1024], link[64];
	snprintf(link, sizeof(link), "/employer/applications/%lld#interviews", (long long)app.id);
	if (slot_id)
		snprintf(title, sizeof(title), "%s chose %s (UTC) for the %s interview",
		         app.candidate_name, at, app.job_title);
	else
		snprintf(title, sizeof(title), "%s declined the proposed times for %s",
		         app.candidate_name, app.job_title);
	if (app.company_id &&
	    applications_notify_company(db, app.company_id, a->user_id,
	                                slot_id ? NOTIFY_INTERVIEW_CONFIRMED : NOTIFY_STAGE_CHANGED,
	                                title, link, NULL) != 0)
		goto out;
	rc = APP_OK;
out:
	interview_free(&iv);
	application_free(&app);
out_nofree:
	if (own) {
		if (rc == APP_OK && db_commit(db) != 0)
			rc = APP_ERROR;
		if (rc != APP_OK)
			db_rollback(db);
	}
	return rc;
}

/* Cancel app_id's proposed interviews, and its confirmed ones too when confirmed. Count or -1. */
static int
cancel_where(struct db *db, int64_t app_id, bool confirmed)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db, confirmed ? "UPDATE interviews SET status = 'cancelled', updated_at = ? WHERE "
	                    "application_id = ? AND status IN ('proposed', 'confirmed')"
	                  : "UPDATE interviews SET status = 'cancelled', updated_at = ? WHERE "
	                    "application_id = ? AND status = 'proposed'");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, app_id);
	int64_t n = db_run(st);
	return n < 0 ? -1 : (int)n;
}

int
interviews_cancel_open(struct db *db, int64_t app_id, struct buf *what)
{
	if (what != NULL) {
		struct db_stmt *st = db_prepare(
		    db, "SELECT s.starts_at FROM interviews i LEFT JOIN interview_slots s ON s.id = "
		        "i.chosen_slot_id WHERE i.application_id = ? AND i.status IN ('proposed', "
		        "'confirmed') ORDER BY i.id");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, app_id);
		enum db_step_result r;
		while ((r = db_step(st)) == DB_ROW) {
			if (what->len > 0)
				buf_putc(what, '\n');
			time_t t;
			const char *at = db_col_is_null(st, 0) ? NULL : db_col_text(st, 0);
			if (at != NULL && date_parse(at, false, &t)) {
				struct tm tm;
				char when[48];
				gmtime_r(&t, &tm);
				strftime(when, sizeof(when), "%-d %b %Y, %H:%M UTC", &tm);
				buf_printf(what, "The interview on %s is cancelled.", when);
			} else {
				buf_puts(what, "The interview being arranged is cancelled: its proposed "
				               "times can no longer be chosen.");
			}
		}
		db_finalize(st);
		if (r != DB_DONE)
			return -1;
	}
	return cancel_where(db, app_id, true);
}

int
interviews_cancel_proposed(struct db *db, int64_t app_id)
{
	return cancel_where(db, app_id, false);
}

int
interviews_of_application(struct db *db, int64_t app_id,
                          void (*fn)(const struct interview *iv, void *arg), void *arg)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT id FROM interviews WHERE application_id = ? ORDER BY id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, app_id);
	int64_t ids[64];
	size_t n = 0;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW)
		if (n < 64)
			ids[n++] = db_col_int(st, 0);
	db_finalize(st);
	if (r != DB_DONE)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct interview iv;
		if (load_row(db, ids[i], &iv) != 1)
			return -1;
		fn(&iv, arg);
		interview_free(&iv);
	}
	return 0;
}

int
interviews_accommodation(struct db *db, const struct interview *iv, struct buf *out)
{
	if (!iv->has_accommodation)
		return 0;
	struct db_stmt *st =
	    db_prepare(db, "SELECT accommodation_sealed FROM interviews WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, iv->id);
	int rc = -1;
	if (db_step(st) == DB_ROW && !db_col_is_null(st, 0)) {
		char aad[80];
		snprintf(aad, sizeof(aad), "interviews.accommodation_sealed:%lld", (long long)iv->id);
		rc = seal_decrypt(db_col_text(st, 0), aad, out) == 0 ? 1 : -1;
	}
	db_finalize(st);
	return rc;
}
