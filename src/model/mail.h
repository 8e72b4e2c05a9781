/*
 * mail.h - outgoing email: the outbox, message rendering and delivery.
 *
 * mail_queue stores a message in `outbox` and queues an "email" task for
 * it; a server worker later renders and delivers it (tasks.h), by SMTP
 * through libcurl when BEACON_SMTP_URL is set, otherwise as a file
 * <var_dir>/mail/<created>-<id>.eml for developers.
 *
 * Messages are text/plain UTF-8. Header injection is impossible by
 * construction: the recipient must be one plain address, the subject may
 * hold no control characters, and extra headers (mail_queue_with) have a
 * name from a fixed list and a value of printable ASCII, so no CR or LF
 * ever reaches a header.
 */
#ifndef BEACON_MODEL_MAIL_H
#define BEACON_MODEL_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"
#include "db/db.h"
#include "model/tasks.h"

#define MAIL_ADDR_MAX 254      /* bytes of an address (RFC 5321 path limit) */
#define MAIL_SUBJECT_MAX 200   /* bytes of a subject */
#define MAIL_BODY_MAX 65536    /* bytes of a body */
#define MAIL_TASK_KIND "email" /* the tasks.kind of a delivery */
#define MAIL_HEADERS_MAX 4     /* extra headers one message may carry */
#define MAIL_HEADER_VALUE_MAX 900 /* bytes of an extra header's value: the line stays under 998 */

/* mail_queue's failures (an outbox id is always positive). */
#define MAIL_EINVAL (-1) /* an argument failed validation */
#define MAIL_EDB (-2)    /* the database refused (see db_errmsg) */

/*
 * True when s is one plain address: local@domain, ASCII, at most
 * MAIL_ADDR_MAX bytes, a dot-atom local part of at most 64 bytes and a
 * domain of letters, digits and hyphens in dot-separated labels. No display
 * names, comments, quotes or whitespace.
 */
bool mail_address_valid(const char *s);
/* The bare address of a From setting ("a@b", "<a@b>" or "Name <a@b>") into out. */
void mail_bare_address(const char *from, char *out, size_t outlen);

/*
 * Store a message to one recipient and queue its delivery. subject: valid
 * UTF-8 without control characters, 1..MAIL_SUBJECT_MAX bytes. body_text:
 * valid UTF-8 up to MAIL_BODY_MAX bytes, no control characters except tab
 * and line breaks. Both rows are written by one atomic step that joins the
 * caller's transaction when one is open (so the mail goes out only if the
 * caller's change commits) and stands alone otherwise. Returns the outbox
 * id, MAIL_EINVAL or MAIL_EDB.
 */
int64_t mail_queue(struct db *db, const char *to, const char *subject, const char *body_text);

/* One extra header line of a message: "name: value". */
struct mail_header {
	const char *name;
	const char *value;
};

/*
 * True when name is one of the extra headers Beacon sets (List-Unsubscribe,
 * List-Unsubscribe-Post, List-Id; spelled so) and value is 1..
 * MAIL_HEADER_VALUE_MAX bytes of printable ASCII and spaces, without
 * leading or trailing space. CR, LF and every other control byte fail.
 */
bool mail_header_valid(const char *name, const char *value);

/*
 * As mail_queue, with n (0..MAIL_HEADERS_MAX) extra headers, each checked
 * by mail_header_valid; a name may appear once. They are stored with the
 * message (outbox.headers) and written after Beacon's own headers.
 * mail_queue(...) is mail_queue_with(..., NULL, 0). Account and security
 * messages (verification, reset, sign-in changes) use mail_queue: they are
 * not something one unsubscribes from.
 */
int64_t mail_queue_with(struct db *db, const char *to, const char *subject,
                        const char *body_text, const struct mail_header *headers, size_t n);

/* A message as stored in the outbox. */
struct mail_message {
	int64_t id;
	const char *to;
	const char *subject;
	const char *body_text;
	const char *created_at; /* instant */
	const char *headers;    /* extra "Name: value" lines, LF-ended, as stored; NULL = none */
};

/*
 * Render m as an RFC 5322 message with CRLF line ends into out: Date (from
 * created_at), From (from), To, Subject (RFC 2047 base64 words when not
 * plain ASCII), Message-ID (stable across retries), MIME-Version,
 * Content-Type text/plain UTF-8, Content-Transfer-Encoding 7bit for ASCII
 * bodies with short lines, quoted-printable otherwise, Auto-Submitted,
 * then the extra headers. Returns 0, or -1 when created_at is not an
 * instant or a stored extra header fails mail_header_valid.
 */
int mail_render(const struct mail_message *m, const char *from, struct buf *out);

/* How the worker delivers; copied by mail_setup. */
struct mail_transport {
	const char *smtp_url;      /* smtp:// or smtps://; NULL = write .eml files */
	const char *smtp_password; /* NULL = no authentication */
	const char *from;          /* address, or <address> */
	const char *var_dir;       /* .eml files go to var_dir/mail/ */
};

/* Outcome of one delivery attempt. */
enum mail_result { MAIL_SENT = 0, MAIL_TEMPFAIL = 1, MAIL_PERMFAIL = 2 };

/*
 * True when url may be used as BEACON_SMTP_URL: smtp:// or smtps:// and no
 * password in it (a user name alone is fine). Passwords come from the
 * secrets file, never from a URL that may end up in a log.
 */
bool mail_smtp_url_ok(const char *url);

/*
 * Send msg (len bytes, CRLF lines) to one recipient by SMTP through
 * libcurl: STARTTLS when the server offers it on smtp://, TLS required on
 * smtps://, 10 s to connect, 20 s in all, no signals. password (may be
 * NULL) authenticates the user named in the URL. On failure writes a
 * reason without the URL or credentials into err. A recipient the server
 * refuses for good (550, 551, 553) is MAIL_PERMFAIL.
 */
enum mail_result mail_send_smtp(const char *url, const char *password, const char *from,
                                const char *to, const char *msg, size_t len, char *err,
                                size_t errlen);

/*
 * Write msg to dir/mail/name (creating dir/mail): a temporary file, fsync,
 * rename, fsync of the folder, so the file is whole or absent. The path is
 * written into path. 0, or -1 with a reason in err.
 */
int mail_write_file(const char *dir, const char *name, const char *msg, size_t len, char *path,
                    size_t pathlen, char *err, size_t errlen);

/*
 * Deliver outbox message id with tr and set its sent_at. A message already
 * sent is not sent again. The task handler for MAIL_TASK_KIND.
 */
enum mail_result mail_deliver(struct db *db, const struct mail_transport *tr, int64_t id,
                              char *err, size_t errlen);

/*
 * Take the delivery settings from cfg, initialise libcurl and register the
 * "email" task handler. Call once in the parent before workers fork.
 * Returns 0, or -1 with a line naming the variable in err.
 */
int mail_setup(const struct config *cfg, char *err, size_t errlen);

/*
 * The SMTP password hook: whoever loads the secrets file calls this (in the
 * parent, before the workers fork) with its smtp_password; NULL forgets it.
 * The value is copied and never logged.
 */
void mail_set_smtp_password(const char *password);

/* Delete outbox messages sent before the instant before. Rows deleted or -1. */
int64_t mail_purge_sent(struct db *db, const char *before);

#endif
