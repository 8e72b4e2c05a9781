/*
 * messages.c - an application's thread. See messages.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/textfield.h"
#include "model/messages.h"
#include "model/notify.h"

/* Move user_id's read mark in app_id's thread up to last_id (never back). */
static int
read_upto(struct db *db, int64_t app_id, int64_t user_id, int64_t last_id)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO message_reads (application_id, user_id, last_read_id) VALUES (?, ?, ?) "
	        "ON CONFLICT (application_id, user_id) DO UPDATE SET last_read_id = CASE WHEN "
	        "excluded.last_read_id > message_reads.last_read_id THEN excluded.last_read_id ELSE "
	        "message_reads.last_read_id END");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, app_id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, last_id);
	return db_run(st) < 0 ? -1 : 0;
}

int
messages_post(struct db *db, const struct application *app, enum app_side side,
              int64_t sender_id, const char *sender_name, const char *body,
              struct field_errors *fe, int64_t *id)
{
	enum text_problem p;
	char *clean = text_clean(body, MESSAGE_MAX, TEXT_CHARS, true, &p);
	if (clean == NULL) {
		ferr_add(fe, "body",
		         p == TEXT_EMPTY      ? "Write your message."
		         : p == TEXT_TOO_LONG ? "Keep a message to 4000 characters or fewer."
		                              : "Remove the control characters or invalid text.");
		return 1;
	}
	char now[INSTANT_LEN];
	instant_now(now);
	int rc = -1;
	bool own = !db_in_transaction(db);
	if (own && db_begin_write(db) != 0)
		goto out_free;
	struct db_stmt *st = db_prepare(db, "INSERT INTO messages (application_id, sender_id, "
	                                    "created_at, body) VALUES (?, ?, ?, ?) RETURNING id");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, app->id);
	db_bind_int(st, 2, sender_id);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, clean);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		*id = db_col_int(st, 0);
	while (r == DB_ROW)
		r = db_step(st);
	db_finalize(st);
	if (r != DB_DONE || read_upto(db, app->id, sender_id, *id) != 0)
		goto out;
	char title[1024], link[64];
	if (side == SIDE_CANDIDATE) {
		snprintf(link, sizeof(link), "/employer/applications/%lld#thread", (long long)app->id);
		snprintf(title, sizeof(title), "New message from %s about %s",
		         sender_name ? sender_name : "the candidate", app->job_title);
		if (app->company_id &&
		    applications_notify_company(db, app->company_id, sender_id, NOTIFY_NEW_MESSAGE,
		                                title, link, clean) != 0)
			goto out;
	} else {
		snprintf(link, sizeof(link), "/applications/%lld#thread", (long long)app->id);
		snprintf(title, sizeof(title), "New message about your application for %s",
		         app->job_title);
		if (notify(db, app->user_id, NOTIFY_NEW_MESSAGE, title, link, clean) < 0)
			goto out;
	}
	rc = 0;
out:
	if (own) {
		if (rc == 0 && db_commit(db) != 0)
			rc = -1;
		if (rc != 0)
			db_rollback(db);
	}
out_free:
	free(clean);
	return rc;
}

int
messages_list(struct db *db, const struct application *app,
              void (*fn)(const struct message *m, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT m.id, m.sender_id, u.display_name, m.created_at, m.body FROM messages m "
	        "LEFT JOIN users u ON u.id = m.sender_id WHERE m.application_id = ? ORDER BY m.id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, app->id);
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		int64_t sender = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		struct message m = {.id = db_col_int(st, 0),
		                    .sender_id = sender,
		                    .sender_name = db_col_text(st, 2),
		                    .from_candidate = sender == app->user_id,
		                    .created_at = db_col_text(st, 3),
		                    .body = db_col_text(st, 4)};
		fn(&m, arg);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

int64_t
messages_unread(struct db *db, int64_t app_id, int64_t user_id)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT COUNT(*) FROM messages m WHERE m.application_id = ? AND (m.sender_id IS "
	        "NULL OR m.sender_id <> ?) AND m.id > COALESCE((SELECT r.last_read_id FROM "
	        "message_reads r WHERE r.application_id = ? AND r.user_id = ?), 0)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, app_id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, app_id);
	db_bind_int(st, 4, user_id);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

int
messages_mark_read(struct db *db, int64_t app_id, int64_t user_id)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM messages WHERE application_id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, app_id);
	int64_t last = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	if (last < 0)
		return -1;
	if (last == 0)
		return 0;
	return read_upto(db, app_id, user_id, last);
}
