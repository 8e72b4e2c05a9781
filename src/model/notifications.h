/*
 * notifications.h - in-app notifications, the email choice per kind, the
 * daily digest and one-click unsubscribe tokens. notify() itself is the
 * contract in notify.h; this header is what the pages, the API, the live
 * stream and the background tasks use.
 *
 * notifications.emailed_at is the time email handling of a row finished:
 * sent at once, included in a digest, or skipped because the user chose
 * "off". Rows still NULL are waiting for the daily digest.
 */
#ifndef BEACON_MODEL_NOTIFICATIONS_H
#define BEACON_MODEL_NOTIFICATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dates.h"
#include "db/db.h"
#include "model/notify.h"

#define NOTIFY_TITLE_MAX 200 /* bytes of a title (it is also an email subject) */
#define NOTIFY_LINK_MAX 500  /* bytes of a link */
#define NOTIFY_BODY_MAX 8000 /* bytes of a body */
#define NOTIFY_PAGE_MAX 100  /* most rows one list call returns */
#define NOTIFY_KINDS 6       /* entries of notify_kinds */
#define NOTIFY_DIGEST_TASK "notify-digest" /* the tasks.kind of the daily digest */
#define NOTIFY_UNSUB_TOKEN_SIZE 44 /* base64url HMAC-SHA-256 plus NUL */
#define NOTIFY_UNSUB_URL_MAX 700   /* bytes of an unsubscribe link (it fits a mail header) */
/*
 * The unsubscribe "kind" of a digest that lists several kinds: it turns
 * off every kind the user gets by daily digest.
 */
#define NOTIFY_UNSUB_DIGEST "digest"

/* How a user wants to hear about one kind by email. */
enum notify_email { NOTIFY_EMAIL_OFF = 0, NOTIFY_EMAIL_INSTANT = 1, NOTIFY_EMAIL_DAILY = 2 };

/* One kind: its name (notify.h), what people read, the default email choice. */
struct notify_kind {
	const char *name;
	const char *label;
	enum notify_email dflt;
};
/* Every kind, in the order the settings page lists them. */
extern const struct notify_kind notify_kinds[NOTIFY_KINDS];
/* The kind called name, or NULL. */
const struct notify_kind *notify_kind_find(const char *name);

/* "off", "instant", "daily". */
const char *notify_email_name(enum notify_email e);
/* The choice named s, or -1. */
int notify_email_parse(const char *s);

/* The user's choice for kind (the kind's default without a row); -1 on error. */
int notify_pref_get(struct db *db, int64_t user_id, const char *kind);
/* Store the user's choice for kind (an upsert). 0 or -1. */
int notify_pref_set(struct db *db, int64_t user_id, const char *kind, enum notify_email e);

/* One notification as listed. Strings are owned; notify_list_free releases them. */
struct notification {
	int64_t id;
	char *kind;
	char *title;
	char *link;
	char created_at[INSTANT_LEN];
	bool read;
};

/*
 * The user's notifications with id < before (0 = from the newest), newest
 * first, at most limit (1..NOTIFY_PAGE_MAX). Fills out and returns n, or -1.
 */
int notify_list(struct db *db, int64_t user_id, int64_t before, int limit,
                struct notification *out);
/* As notify_list, but the rows with id > after, oldest first (the live stream). */
int notify_list_after(struct db *db, int64_t user_id, int64_t after, int limit,
                      struct notification *out);
void notify_list_free(struct notification *items, int n);

/* Unread notifications of the user, or -1. */
int64_t notify_unread_count(struct db *db, int64_t user_id);
/*
 * What the header's bell needs in one statement: the unread count and the
 * newest notification id (0 when none). False on a database error.
 */
bool notify_bell(struct db *db, int64_t user_id, int64_t *unread, int64_t *last_id);
/* How many of the user's notifications have id > after, counting at most cap; -1 on error. */
int64_t notify_count_after(struct db *db, int64_t user_id, int64_t after, int cap);

/*
 * Mark one of the user's notifications read (another user's id changes
 * nothing). Returns the rows changed (0 or 1), or -1.
 */
int64_t notify_mark_read(struct db *db, int64_t user_id, int64_t id);
/*
 * Mark read the user's unread notifications that point to path (exactly, or
 * to a part of it: path#...), as when the page they point to was opened.
 * Writes only when there is something to mark. Returns the rows changed, or -1.
 */
int64_t notify_mark_read_link(struct db *db, int64_t user_id, const char *path);
/* Mark every unread notification of the user read. Rows changed or -1. */
int64_t notify_mark_all_read(struct db *db, int64_t user_id);

/*
 * The one-click unsubscribe token for (user_id, kind): HMAC-SHA-256 with
 * secrets_subkey("unsubscribe") over "<user id>:<kind>", base64url. Returns
 * false when no secrets are loaded.
 */
bool notify_unsubscribe_token(int64_t user_id, const char *kind,
                              char out[NOTIFY_UNSUB_TOKEN_SIZE]);
/*
 * True when kind is a kind or NOTIFY_UNSUB_DIGEST and token is the token of
 * (user_id, kind), compared in constant time.
 */
bool notify_unsubscribe_check(int64_t user_id, const char *kind, const char *token);

/* What an unsubscribe of kind stops, for people ("A new message", "The daily digest"). */
const char *notify_unsubscribe_label(const char *kind);

/*
 * Unsubscribe user_id from kind: its email choice becomes "off"; for
 * NOTIFY_UNSUB_DIGEST, every kind set to "daily" becomes "off". Doing it
 * again changes nothing (one-click POSTs may be repeated). 0 or -1.
 */
int notify_unsubscribe_apply(struct db *db, int64_t user_id, const char *kind);

/*
 * Send each user one email holding their notifications that wait for the
 * digest (emailed_at NULL, kind set to daily), and mark them emailed. Rows
 * are claimed per user with one UPDATE before the mail is queued, in one
 * transaction, so two runs never mail a row twice. Returns the number of
 * emails queued, or -1.
 */
int notify_digest_run(struct db *db);

/*
 * Register the digest task handler (in the parent, before fork). The
 * handler sends the digest and queues the next run for the next day.
 */
int notify_setup(void);

/*
 * Queue a task of kind due at run_at (NULL = now) unless one of that kind
 * is already pending: a recurring task is a chain where each run queues the
 * next, and a second chain started by a race dies at its next run. 0 or -1.
 */
int notify_schedule_once(struct db *db, const char *kind, const char *run_at);

/* Make sure the recurring tasks (the digest) are queued; logs failures. Hourly from every worker. */
void notify_schedule(struct db *db);

#endif
