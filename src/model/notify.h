/*
 * notify.h - tell a user that something happened: an in-app notification
 * (the bell and /notifications, pushed live to open pages) and, as the user
 * chose per kind, an email now or in the daily digest.
 */
#ifndef BEACON_MODEL_NOTIFY_H
#define BEACON_MODEL_NOTIFY_H

#include <stdint.h>

#include "db/db.h"

/* The kinds of events (notifications.kind, notification_prefs.kind). */
#define NOTIFY_APPLICATION_RECEIVED "application_received"
#define NOTIFY_STAGE_CHANGED "stage_changed"
#define NOTIFY_INTERVIEW_PROPOSED "interview_proposed"
#define NOTIFY_INTERVIEW_CONFIRMED "interview_confirmed"
#define NOTIFY_NEW_MESSAGE "new_message"
#define NOTIFY_SAVED_SEARCH "saved_search"

/*
 * Record a notification for user_id: title is one line shown in the list
 * and used as the email subject; link is a path on this site ("/applications/7");
 * body is plain text for the email (may be NULL). Joins the caller's
 * transaction when one is open. Returns the notification id, or -1.
 */
int64_t notify(struct db *db, int64_t user_id, const char *kind, const char *title,
               const char *link, const char *body);

#endif
