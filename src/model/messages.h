/*
 * messages.h - the written thread of an application between the candidate
 * and the employer side: plain text, no attachments, unread counts per
 * reader (message_reads holds how far each person has read).
 */
#ifndef BEACON_MODEL_MESSAGES_H
#define BEACON_MODEL_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/fielderr.h"
#include "db/db.h"
#include "model/applications.h"

#define MESSAGE_MAX 4000 /* characters of one message */

/*
 * Add body to app's thread as sender_id, on side (SIDE_CANDIDATE or
 * SIDE_EMPLOYER; the caller loaded app with applications_load), and tell
 * the other side (NOTIFY_NEW_MESSAGE). The sender has read their own
 * thread up to it. 0 with *id, 1 when fe got a message (empty, too long,
 * control characters), -1 on error.
 */
int messages_post(struct db *db, const struct application *app, enum app_side side,
                  int64_t sender_id, const char *sender_name, const char *body,
                  struct field_errors *fe, int64_t *id);

struct message {
	int64_t id;
	int64_t sender_id;
	const char *sender_name; /* NULL when the account is gone */
	bool from_candidate;
	const char *created_at;
	const char *body;
};

/* app's messages, oldest first. 0 or -1. */
int messages_list(struct db *db, const struct application *app,
                  void (*fn)(const struct message *m, void *arg), void *arg);

/* Messages in app_id's thread user_id neither sent nor read; -1 on error. */
int64_t messages_unread(struct db *db, int64_t app_id, int64_t user_id);

/* user_id has read app_id's thread up to its newest message. 0 or -1. */
int messages_mark_read(struct db *db, int64_t app_id, int64_t user_id);

#endif
