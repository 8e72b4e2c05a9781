/*
 * notifications.c - notify(), the email choice per kind, the list, read
 * marks, unsubscribe tokens and the daily digest (see notifications.h).
 */
#include "notifications.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/secrets.h"
#include "core/token.h"
#include "core/utf8.h"
#include "model/mail.h"
#include "model/tasks.h"

#define DIGEST_ITEMS_MAX 50 /* most items one digest email lists; the rest are counted */
#define DIGEST_BODY_BUDGET (MAIL_BODY_MAX / 2) /* details are left out beyond this size */

const struct notify_kind notify_kinds[NOTIFY_KINDS] = {
    {NOTIFY_APPLICATION_RECEIVED, "A new application for one of your jobs", NOTIFY_EMAIL_INSTANT},
    {NOTIFY_STAGE_CHANGED, "Your application moved to another stage", NOTIFY_EMAIL_INSTANT},
    {NOTIFY_INTERVIEW_PROPOSED, "Interview times proposed", NOTIFY_EMAIL_INSTANT},
    {NOTIFY_INTERVIEW_CONFIRMED, "An interview time confirmed", NOTIFY_EMAIL_INSTANT},
    {NOTIFY_NEW_MESSAGE, "A new message", NOTIFY_EMAIL_INSTANT},
    {NOTIFY_SAVED_SEARCH, "New jobs for a saved search", NOTIFY_EMAIL_DAILY},
};

const struct notify_kind *
notify_kind_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < NOTIFY_KINDS; i++) {
		if (strcmp(notify_kinds[i].name, name) == 0)
			return &notify_kinds[i];
	}
	return NULL;
}

const char *
notify_email_name(enum notify_email e)
{
	switch (e) {
	case NOTIFY_EMAIL_INSTANT:
		return "instant";
	case NOTIFY_EMAIL_DAILY:
		return "daily";
	default:
		return "off";
	}
}

int
notify_email_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "off") == 0)
		return NOTIFY_EMAIL_OFF;
	if (strcmp(s, "instant") == 0)
		return NOTIFY_EMAIL_INSTANT;
	if (strcmp(s, "daily") == 0)
		return NOTIFY_EMAIL_DAILY;
	return -1;
}

int
notify_pref_get(struct db *db, int64_t user_id, const char *kind)
{
	const struct notify_kind *k = notify_kind_find(kind);
	if (k == NULL)
		return -1;
	struct db_stmt *st =
	    db_prepare(db, "SELECT email FROM notification_prefs WHERE user_id = ? AND kind = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, kind);
	int r;
	switch (db_step(st)) {
	case DB_ROW:
		r = notify_email_parse(db_col_text(st, 0));
		break;
	case DB_DONE:
		r = (int)k->dflt;
		break;
	default:
		r = -1;
	}
	db_finalize(st);
	return r;
}

int
notify_pref_set(struct db *db, int64_t user_id, const char *kind, enum notify_email e)
{
	if (notify_kind_find(kind) == NULL)
		return -1;
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO notification_prefs (user_id, kind, email) VALUES (?, ?, ?) "
	        "ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, notify_email_name(e));
	return db_run(st) < 0 ? -1 : 0;
}

/* ---- unsubscribe tokens ---- */

static bool
unsub_mac(int64_t user_id, const char *kind, unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	if (secrets_get() == NULL || kind == NULL)
		return false;
	unsigned char key[SECRETS_SUBKEY_BYTES];
	secrets_subkey("unsubscribe", key);
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "%" PRId64 ":%s", user_id, kind);
	bool ok = n > 0 && (size_t)n < sizeof(msg);
	if (ok)
		crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (size_t)n, key);
	sodium_memzero(key, sizeof(key));
	return ok;
}

bool
notify_unsubscribe_token(int64_t user_id, const char *kind, char out[NOTIFY_UNSUB_TOKEN_SIZE])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	if (!unsub_mac(user_id, kind, mac))
		return false;
	sodium_bin2base64(out, NOTIFY_UNSUB_TOKEN_SIZE, mac, sizeof(mac),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return true;
}

static bool
unsub_kind_ok(const char *kind)
{
	return notify_kind_find(kind) != NULL ||
	       (kind != NULL && strcmp(kind, NOTIFY_UNSUB_DIGEST) == 0);
}

bool
notify_unsubscribe_check(int64_t user_id, const char *kind, const char *token)
{
	if (token == NULL || !unsub_kind_ok(kind))
		return false;
	char want[NOTIFY_UNSUB_TOKEN_SIZE];
	if (!notify_unsubscribe_token(user_id, kind, want))
		return false;
	return token_equal(want, token);
}

const char *
notify_unsubscribe_label(const char *kind)
{
	const struct notify_kind *k = notify_kind_find(kind);
	return k != NULL ? k->label : "The daily digest of your notifications";
}

int
notify_unsubscribe_apply(struct db *db, int64_t user_id, const char *kind)
{
	if (!unsub_kind_ok(kind))
		return -1;
	if (strcmp(kind, NOTIFY_UNSUB_DIGEST) != 0)
		return notify_pref_set(db, user_id, kind, NOTIFY_EMAIL_OFF);
	if (db_begin_write(db) != 0)
		return -1;
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		int cur = notify_pref_get(db, user_id, notify_kinds[i].name);
		if (cur < 0 || (cur == NOTIFY_EMAIL_DAILY &&
		                notify_pref_set(db, user_id, notify_kinds[i].name, NOTIFY_EMAIL_OFF) != 0)) {
			db_rollback(db);
			return -1;
		}
	}
	if (db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return -1;
}

/* ---- notify ---- */

static bool
line_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max || !utf8_valid(s, n) || utf8_has_control(s, n))
		return false;
	return strpbrk(s, "\t\r\n") == NULL;
}

/* A path on this site: "/..." but not "//host". */
static bool
link_ok(const char *s)
{
	return s != NULL && s[0] == '/' && s[1] != '/' && s[1] != '\\' && line_ok(s, NOTIFY_LINK_MAX);
}

/*
 * The one-click unsubscribe address of (user_id, kind) into out: the link
 * in the footer and in the List-Unsubscribe header. false without secrets.
 */
static bool
unsub_url(int64_t user_id, const char *kind, char *out, size_t outlen)
{
	const char *base = config_get() ? config_get()->base_url : "";
	char tok[NOTIFY_UNSUB_TOKEN_SIZE];
	if (!notify_unsubscribe_token(user_id, kind, tok))
		return false;
	int n = snprintf(out, outlen, "%s/unsubscribe?u=%" PRId64 "&k=%s&t=%s", base, user_id, kind,
	                 tok);
	return n > 0 && (size_t)n < outlen;
}

/* The footer every notification email ends with: where to change it, one-click stop. */
static void
mail_footer(struct buf *b, int64_t user_id, const char *kind)
{
	const char *base = config_get() ? config_get()->base_url : "";
	buf_printf(b, "\n--\nChoose which emails you get: %s/account/notifications\n", base);
	char url[NOTIFY_UNSUB_URL_MAX];
	if (kind != NULL && unsub_url(user_id, kind, url, sizeof(url)))
		buf_printf(b, "Stop these emails: %s\n", url);
}

/*
 * Queue a notification email. With a kind, it carries the RFC 8058
 * one-click unsubscribe headers for (user_id, kind), so a mail program
 * can offer "unsubscribe" and POST "List-Unsubscribe=One-Click" to the
 * same link the footer shows. Returns mail_queue's answer.
 */
static int64_t
queue_mail(struct db *db, const char *to, const char *subject, const char *body, int64_t user_id,
           const char *kind)
{
	char url[NOTIFY_UNSUB_URL_MAX], value[NOTIFY_UNSUB_URL_MAX + 2];
	if (kind == NULL || !unsub_url(user_id, kind, url, sizeof(url)))
		return mail_queue(db, to, subject, body);
	snprintf(value, sizeof(value), "<%s>", url);
	const struct mail_header h[] = {
	    {"List-Unsubscribe", value},
	    {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
	};
	return mail_queue_with(db, to, subject, body, h, 2);
}

/* Queue the instant email of one notification. 0, or -1. */
static int
mail_now(struct db *db, int64_t user_id, const char *to, const char *kind, const char *title,
         const char *link, const char *body)
{
	const char *base = config_get() ? config_get()->base_url : "";
	struct buf b = {0};
	buf_printf(&b, "%s\n\n", title);
	if (body != NULL && body[0] != '\0')
		buf_printf(&b, "%s\n\n", body);
	buf_printf(&b, "Open it on Beacon: %s%s\n", base, link);
	mail_footer(&b, user_id, kind);
	int64_t id = queue_mail(db, to, title, buf_cstr(&b), user_id, kind);
	buf_free(&b);
	return id > 0 ? 0 : -1;
}

/* The recipient, when mail may go to them: an active account with a confirmed address. */
static int
mail_address(struct db *db, int64_t user_id, char out[MAIL_ADDR_MAX + 1])
{
	struct db_stmt *st = db_prepare(db, "SELECT email, status, email_verified_at FROM users "
	                                    "WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	int r = -1;
	out[0] = '\0';
	if (db_step(st) == DB_ROW) {
		const char *email = db_col_text(st, 0);
		const char *status = db_col_text(st, 1);
		r = 0;
		if (email && status && strcmp(status, "active") == 0 && !db_col_is_null(st, 2) &&
		    strlen(email) <= MAIL_ADDR_MAX)
			snprintf(out, MAIL_ADDR_MAX + 1, "%s", email);
	}
	db_finalize(st);
	return r;
}

/* Everything notify writes, inside the transaction or savepoint it opened. */
static int64_t
notify_write(struct db *db, int64_t user_id, const char *kind, const char *title,
             const char *link, const char *body)
{
	char to[MAIL_ADDR_MAX + 1];
	int pref = notify_pref_get(db, user_id, kind);
	if (pref < 0 || mail_address(db, user_id, to) != 0)
		return -1;
	char now[INSTANT_LEN];
	instant_now(now);
	/* Only the daily choice leaves emailed_at open for the digest. */
	bool handled = pref != NOTIFY_EMAIL_DAILY || to[0] == '\0';
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO notifications (user_id, kind, title, link, created_at, emailed_at, body) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, title);
	db_bind_text(st, 4, link);
	db_bind_text(st, 5, now);
	if (handled)
		db_bind_text(st, 6, now);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, body ? body : "");
	int64_t id = -1;
	if (db_step(st) == DB_ROW) {
		id = db_col_int(st, 0);
		if (db_step(st) != DB_DONE)
			id = -1;
	}
	db_finalize(st);
	if (id > 0 && pref == NOTIFY_EMAIL_INSTANT && to[0] != '\0' &&
	    mail_now(db, user_id, to, kind, title, link, body) != 0)
		return -1;
	return id;
}

static int64_t notify_fitted(struct db *db, int64_t user_id, const char *kind, const char *title,
                             const char *link, const char *body);
static char *fit_cut(const char *s, size_t n, size_t max);

/*
 * s cut to at most max bytes at a character boundary, ending in "…" when cut
 * (titles and bodies are made from job titles and names, which may be long
 * in bytes): a new string, or NULL when s is not valid UTF-8. A last
 * character a caller's snprintf cut short is dropped.
 */
static char *
fit(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (utf8_valid(s, n))
		return fit_cut(s, n, max);
	/*
	 * A last character cut short: a lead byte within the last 3 bytes that
	 * announces more bytes than follow it, only continuation bytes after it.
	 */
	size_t lead = n;
	while (lead > 0 && n - lead < 3 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead == 0)
		return NULL;
	unsigned char c = (unsigned char)s[lead - 1];
	size_t want = 0; /* the length the lead byte announces */
	if (c >= 0xC2 && c <= 0xDF)
		want = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		want = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		want = 4;
	size_t have = n - lead + 1;
	if (want == 0 || have >= want || !utf8_valid(s, lead - 1))
		return NULL;
	return fit_cut(s, lead - 1, max);
}

_Static_assert(NOTIFY_TITLE_MAX >= 3 && NOTIFY_BODY_MAX >= 3, "room for the ellipsis");

/* The first n bytes of s (valid UTF-8), cut to max bytes (max >= 3) as fit() says. */
static char *
fit_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return xstrndup(s, n);
	static const char more[] = "\xe2\x80\xa6"; /* … */
	size_t keep = max - (sizeof(more) - 1);
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--; /* never end inside a character */
	char *out = xmalloc(keep + sizeof(more));
	memcpy(out, s, keep);
	memcpy(out + keep, more, sizeof(more));
	return out;
}

int64_t
notify(struct db *db, int64_t user_id, const char *kind, const char *title, const char *link,
       const char *body)
{
	if (user_id <= 0 || notify_kind_find(kind) == NULL || title == NULL || !link_ok(link))
		return -1;
	char *t = fit(title, NOTIFY_TITLE_MAX), *bd = body ? fit(body, NOTIFY_BODY_MAX) : NULL;
	bool ok = t != NULL && line_ok(t, NOTIFY_TITLE_MAX) &&
	          (body == NULL || (bd != NULL && !utf8_has_control(bd, strlen(bd))));
	int64_t id = ok ? notify_fitted(db, user_id, kind, t, link, bd) : -1;
	free(t);
	free(bd);
	return id;
}

/* notify() with title and body checked and within their limits. */
static int64_t
notify_fitted(struct db *db, int64_t user_id, const char *kind, const char *title,
              const char *link, const char *body)
{
	/* A savepoint nests in the caller's transaction; alone we open our own. */
	bool joined = db_in_transaction(db);
	if (joined ? db_exec(db, "SAVEPOINT notify") != 0 : db_begin_write(db) != 0)
		return -1;
	int64_t id = notify_write(db, user_id, kind, title, link, body);
	if (id > 0 && (joined ? db_exec(db, "RELEASE SAVEPOINT notify") : db_commit(db)) == 0)
		return id;
	log_warn("notify %s for user %" PRId64 " failed: %s", kind, user_id, db_errmsg(db));
	if (joined) {
		db_exec(db, "ROLLBACK TO SAVEPOINT notify");
		db_exec(db, "RELEASE SAVEPOINT notify");
	} else {
		db_rollback(db);
	}
	return -1;
}

/* ---- the list ---- */

static int
fill(struct db_stmt *st, int limit, struct notification *out)
{
	int n = 0;
	enum db_step_result r;
	while (n < limit && (r = db_step(st)) == DB_ROW) {
		struct notification *x = &out[n++];
		x->id = db_col_int(st, 0);
		x->kind = xstrdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
		x->title = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
		x->link = xstrdup(db_col_text(st, 3) ? db_col_text(st, 3) : "");
		snprintf(x->created_at, sizeof(x->created_at), "%s",
		         db_col_text(st, 4) ? db_col_text(st, 4) : "");
		x->read = !db_col_is_null(st, 5);
	}
	if (n < limit && r == DB_ERROR) {
		notify_list_free(out, n);
		n = -1;
	}
	db_finalize(st);
	return n;
}

int
notify_list(struct db *db, int64_t user_id, int64_t before, int limit, struct notification *out)
{
	if (limit < 1 || limit > NOTIFY_PAGE_MAX)
		return -1;
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, kind, title, link, created_at, read_at FROM notifications "
	        "WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, before > 0 ? before : INT64_MAX);
	db_bind_int(st, 3, limit);
	return fill(st, limit, out);
}

int
notify_list_after(struct db *db, int64_t user_id, int64_t after, int limit,
                  struct notification *out)
{
	if (limit < 1 || limit > NOTIFY_PAGE_MAX)
		return -1;
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, kind, title, link, created_at, read_at FROM notifications "
	        "WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, after);
	db_bind_int(st, 3, limit);
	return fill(st, limit, out);
}

void
notify_list_free(struct notification *items, int n)
{
	for (int i = 0; i < n; i++) {
		free(items[i].kind);
		free(items[i].title);
		free(items[i].link);
		items[i].kind = items[i].title = items[i].link = NULL;
	}
}

static int64_t
one_int(struct db *db, const char *sql, int64_t user_id)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return v;
}

int64_t
notify_unread_count(struct db *db, int64_t user_id)
{
	return one_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
	               user_id);
}

int64_t
notify_count_after(struct db *db, int64_t user_id, int64_t after, int cap)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM (SELECT 1 FROM notifications "
	                                    "WHERE user_id = ? AND id > ? LIMIT ?) AS t");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, after);
	db_bind_int(st, 3, cap);
	int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return v;
}

bool
notify_bell(struct db *db, int64_t user_id, int64_t *unread, int64_t *last_id)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT (SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL), "
	        "(SELECT COALESCE(MAX(id), 0) FROM notifications WHERE user_id = ?)");
	if (st == NULL)
		return false;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, user_id);
	bool ok = db_step(st) == DB_ROW;
	if (ok) {
		*unread = db_col_int(st, 0);
		*last_id = db_col_int(st, 1);
	}
	db_finalize(st);
	return ok;
}

int64_t
notify_mark_read(struct db *db, int64_t user_id, int64_t id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE notifications SET read_at = ? WHERE id = ? AND "
	                                    "user_id = ? AND read_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, user_id);
	return db_run(st);
}

int64_t
notify_mark_read_link(struct db *db, int64_t user_id, const char *path)
{
	static const char where[] =
	    " WHERE user_id = ? AND read_at IS NULL AND (link = ? OR "
	    "(substr(link, 1, length(?) + 1) = ? || '#'))";
	/* A page view usually finds nothing to mark: only then take a write lock. */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM notifications%s", where);
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	for (int i = 2; i <= 4; i++)
		db_bind_text(st, i, path);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	if (n <= 0)
		return n;
	char now[INSTANT_LEN];
	instant_now(now);
	snprintf(sql, sizeof(sql), "UPDATE notifications SET read_at = ?%s", where);
	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, user_id);
	for (int i = 3; i <= 5; i++)
		db_bind_text(st, i, path);
	return db_run(st);
}

int64_t
notify_mark_all_read(struct db *db, int64_t user_id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, user_id);
	return db_run(st);
}

/* ---- the daily digest ---- */

/* Users with rows waiting for the digest, at most max, into ids. n or -1. */
static int
digest_users(struct db *db, int64_t *ids, int max)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT DISTINCT user_id FROM notifications WHERE emailed_at IS NULL LIMIT ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, max);
	int n = 0;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW && n < max)
		ids[n++] = db_col_int(st, 0);
	db_finalize(st);
	return r == DB_ERROR ? -1 : n;
}

/*
 * One user's digest, in one write transaction: claim the waiting rows
 * (emailed_at = now) and queue one email listing them. Kinds the user has
 * since set to "off" or "instant" are claimed without being listed. 1 when
 * an email was queued, 0 when none was needed, -1 on error (rolled back).
 */
static int
digest_user(struct db *db, int64_t user_id)
{
	char to[MAIL_ADDR_MAX + 1];
	char now[INSTANT_LEN];
	instant_now(now);
	if (db_begin_write(db) != 0)
		return -1;
	int prefs[NOTIFY_KINDS];
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		prefs[i] = notify_pref_get(db, user_id, notify_kinds[i].name);
		if (prefs[i] < 0)
			goto fail;
	}
	if (mail_address(db, user_id, to) != 0)
		goto fail;
	struct db_stmt *st = db_prepare(
	    db, "UPDATE notifications SET emailed_at = ? WHERE user_id = ? AND emailed_at IS NULL "
	        "RETURNING id, kind, title, link, body");
	if (st == NULL)
		goto fail;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, user_id);
	const char *base = config_get() ? config_get()->base_url : "";
	struct buf b = {0};
	int listed = 0, more = 0;
	const char *kind_of_all = NULL;
	bool one_kind = true;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		const struct notify_kind *k = notify_kind_find(db_col_text(st, 1));
		if (k == NULL || prefs[k - notify_kinds] != NOTIFY_EMAIL_DAILY)
			continue;
		if (kind_of_all == NULL)
			kind_of_all = k->name;
		else if (strcmp(kind_of_all, k->name) != 0)
			one_kind = false;
		if (listed >= DIGEST_ITEMS_MAX) {
			more++;
			continue;
		}
		listed++;
		buf_printf(&b, "- %s\n  %s%s\n", db_col_text(st, 2) ? db_col_text(st, 2) : "", base,
		           db_col_text(st, 3) ? db_col_text(st, 3) : "");
		/* The details too, indented, while the mail stays well under its size limit. */
		const char *body = db_col_text(st, 4);
		if (body != NULL && body[0] != '\0' && b.len + strlen(body) < DIGEST_BODY_BUDGET) {
			buf_puts(&b, "  ");
			for (const char *p = body; *p; p++) {
				buf_putc(&b, *p);
				if (*p == '\n' && p[1] != '\0')
					buf_puts(&b, "  ");
			}
			if (body[strlen(body) - 1] != '\n')
				buf_putc(&b, '\n');
		}
		buf_putc(&b, '\n');
	}
	db_finalize(st);
	if (r == DB_ERROR) {
		buf_free(&b);
		goto fail;
	}
	int sent = 0;
	if (listed > 0 && to[0] != '\0') {
		struct buf m = {0};
		buf_printf(&m, "Here is what happened on Beacon since your last digest.\n\n%s",
		           buf_cstr(&b));
		if (more > 0)
			buf_printf(&m, "\nAnd %d more: %s/notifications\n", more, base);
		/* One kind in the mail: its own one-click stop; several: the whole digest. */
		const char *unsub = one_kind && kind_of_all != NULL ? kind_of_all : NOTIFY_UNSUB_DIGEST;
		mail_footer(&m, user_id, unsub);
		char subject[64];
		snprintf(subject, sizeof(subject), "Your Beacon digest: %d update%s", listed + more,
		         listed + more == 1 ? "" : "s");
		int64_t id = queue_mail(db, to, subject, buf_cstr(&m), user_id, unsub);
		buf_free(&m);
		if (id <= 0) {
			buf_free(&b);
			goto fail;
		}
		sent = 1;
	}
	buf_free(&b);
	if (db_commit(db) != 0)
		goto fail;
	return sent;
fail:
	log_warn("digest for user %" PRId64 " failed: %s", user_id, db_errmsg(db));
	db_rollback(db);
	return -1;
}

int
notify_digest_run(struct db *db)
{
	int sent = 0;
	int64_t ids[100];
	for (;;) {
		int n = digest_users(db, ids, 100);
		if (n < 0)
			return -1;
		if (n == 0)
			return sent;
		for (int i = 0; i < n; i++) {
			int r = digest_user(db, ids[i]);
			if (r < 0)
				return -1;
			sent += r;
		}
	}
}

int
notify_schedule_once(struct db *db, const char *kind, const char *run_at)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO tasks (kind, payload, status, run_at, created_at, updated_at) "
	        "SELECT ?, '', 'pending', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE "
	        "kind = ? AND status = 'pending')");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, run_at ? run_at : now);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, kind);
	return db_run(st) < 0 ? -1 : 0;
}

/* The next digest: tomorrow at 07:00 UTC. */
static void
next_digest_at(char out[INSTANT_LEN])
{
	time_t t = time(NULL) + 24 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	tm.tm_hour = 7;
	tm.tm_min = tm.tm_sec = 0;
	instant_format(timegm(&tm), out);
}

static enum task_result
digest_task(struct db *db, const struct task *task, char *err, size_t errlen)
{
	(void)task;
	if (notify_digest_run(db) < 0) {
		snprintf(err, errlen, "digest: %s", db_errmsg(db));
		return TASK_RETRY;
	}
	char at[INSTANT_LEN];
	next_digest_at(at);
	if (notify_schedule_once(db, NOTIFY_DIGEST_TASK, at) != 0) {
		snprintf(err, errlen, "digest: cannot queue the next run");
		return TASK_RETRY;
	}
	return TASK_DONE;
}

void
notify_schedule(struct db *db)
{
	char at[INSTANT_LEN];
	next_digest_at(at);
	if (notify_schedule_once(db, NOTIFY_DIGEST_TASK, at) != 0)
		log_warn("cannot schedule the digest: %s", db_errmsg(db));
}

int
notify_setup(void)
{
	return tasks_register(NOTIFY_DIGEST_TASK, digest_task);
}
