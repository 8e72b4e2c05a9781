/*
 * mail.c - the outbox: validation, queueing, MIME rendering, delivery by
 * SMTP (libcurl) or to .eml files, and the "email" task handler.
 */
#include "mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"

#define MAIL_LINE_MAX 998 /* RFC 5322 line limit, CRLF excluded */
#define MAIL_QP_LINE 76   /* RFC 2045 quoted-printable line limit */
#define MAIL_WORD_BYTES 39 /* bytes per RFC 2047 word: 52 base64 chars, the line stays under 78 */

/* ---- validation ---- */

static bool
atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static bool
label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool
mail_address_valid(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 3 || n > MAIL_ADDR_MAX || at == NULL || strchr(at + 1, '@') != NULL)
		return false;
	size_t local = (size_t)(at - s);
	if (local == 0 || local > 64 || s[0] == '.' || s[local - 1] == '.')
		return false;
	for (size_t i = 0; i < local; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !atext((unsigned char)s[i]))
			return false;
	}
	const char *d = at + 1;
	size_t label = 0;
	for (size_t i = 0;; i++) {
		if (d[i] == '.' || d[i] == '\0') {
			if (label == 0 || label > 63 || d[i - 1] == '-' || d[i - label] == '-')
				return false;
			if (d[i] == '\0')
				return true;
			label = 0;
			continue;
		}
		if (!label_char((unsigned char)d[i]))
			return false;
		label++;
	}
}

/* Valid UTF-8 without control characters (tab and line breaks allowed when multiline). */
static bool
text_ok(const char *s, size_t max, bool multiline)
{
	size_t n = strlen(s);
	if (n > max || !utf8_valid(s, n))
		return false;
	if (multiline)
		return !utf8_has_control(s, n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			return false;
	}
	return !utf8_has_control(s, n);
}

/* The extra headers a message may carry, as they are spelled on the wire. */
static const char *const extra_header_names[] = {"List-Unsubscribe", "List-Unsubscribe-Post",
                                                 "List-Id"};

bool
mail_header_valid(const char *name, const char *value)
{
	if (name == NULL || value == NULL)
		return false;
	bool known = false;
	for (size_t i = 0; i < sizeof(extra_header_names) / sizeof(extra_header_names[0]); i++)
		known = known || strcmp(name, extra_header_names[i]) == 0;
	size_t n = strlen(value);
	if (!known || n == 0 || n > MAIL_HEADER_VALUE_MAX || value[0] == ' ' || value[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c < 0x20 || c > 0x7E)
			return false;
	}
	return true;
}

/*
 * The stored form of headers ("Name: value\n" each) into out, after
 * checking each and that no name repeats. false when one fails.
 */
static bool
headers_encode(const struct mail_header *h, size_t n, struct buf *out)
{
	if (n > MAIL_HEADERS_MAX || (n > 0 && h == NULL))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!mail_header_valid(h[i].name, h[i].value))
			return false;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(h[i].name, h[j].name) == 0)
				return false;
		}
		buf_printf(out, "%s: %s\n", h[i].name, h[i].value);
	}
	return true;
}

/*
 * Write the stored extra headers s (as headers_encode made them) with CRLF
 * line ends, checking each line again: the column is data, and data is
 * not trusted to be well-formed. false when a line fails.
 */
static bool
headers_render(const char *s, struct buf *out)
{
	int count = 0;
	while (s != NULL && *s != '\0') {
		const char *nl = strchr(s, '\n');
		const char *colon = strchr(s, ':');
		if (nl == NULL || colon == NULL || colon > nl || colon[1] != ' ' ||
		    ++count > MAIL_HEADERS_MAX)
			return false;
		char name[32], value[MAIL_HEADER_VALUE_MAX + 1];
		size_t nlen = (size_t)(colon - s), vlen = (size_t)(nl - colon - 2);
		if (nlen >= sizeof(name) || vlen >= sizeof(value))
			return false;
		memcpy(name, s, nlen);
		name[nlen] = '\0';
		memcpy(value, colon + 2, vlen);
		value[vlen] = '\0';
		if (!mail_header_valid(name, value))
			return false;
		buf_printf(out, "%s: %s\r\n", name, value);
		s = nl + 1;
	}
	return true;
}

/* ---- queueing ---- */

/*
 * The outbox row and its task in one atomic step, inside or outside the
 * caller's transaction. PostgreSQL: one statement with a data-modifying
 * WITH. SQLite has no such statement, so a savepoint: it nests in an open
 * transaction and starts (and RELEASE commits) one otherwise.
 */
static int64_t
queue_pg(struct db *db, const char *to, const char *subject, const char *body,
         const char *headers, const char *now)
{
	struct db_stmt *st = db_prepare(
	    db, "WITH o AS (INSERT INTO outbox (to_addr, subject, created_at, body_text, headers) "
	        "VALUES (?, ?, ?, ?, ?) RETURNING id) INSERT INTO tasks (kind, payload, status, "
	        "run_at, created_at, updated_at) SELECT ?, CAST(o.id AS TEXT), 'pending', ?, ?, ? "
	        "FROM o RETURNING payload");
	if (st == NULL)
		return MAIL_EDB;
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, subject);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, body);
	db_bind_text(st, 5, headers);
	db_bind_text(st, 6, MAIL_TASK_KIND);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, now);
	int64_t id = MAIL_EDB;
	if (db_step(st) == DB_ROW) {
		const char *v = db_col_text(st, 0);
		id = v ? strtoll(v, NULL, 10) : MAIL_EDB;
		if (db_step(st) != DB_DONE)
			id = MAIL_EDB;
	}
	db_finalize(st);
	return id > 0 ? id : MAIL_EDB;
}

static int64_t
queue_sqlite(struct db *db, const char *to, const char *subject, const char *body,
             const char *headers, const char *now)
{
	if (db_exec(db, "SAVEPOINT mail_queue") != 0)
		return MAIL_EDB;
	int64_t id = MAIL_EDB;
	struct db_stmt *st = db_prepare(db, "INSERT INTO outbox (to_addr, subject, created_at, "
	                                    "body_text, headers) VALUES (?, ?, ?, ?, ?) RETURNING id");
	if (st != NULL) {
		db_bind_text(st, 1, to);
		db_bind_text(st, 2, subject);
		db_bind_text(st, 3, now);
		db_bind_text(st, 4, body);
		db_bind_text(st, 5, headers);
		if (db_step(st) == DB_ROW) {
			id = db_col_int(st, 0);
			if (db_step(st) != DB_DONE)
				id = MAIL_EDB;
		}
		db_finalize(st);
	}
	if (id > 0) {
		char payload[24];
		snprintf(payload, sizeof(payload), "%" PRId64, id);
		if (tasks_enqueue(db, MAIL_TASK_KIND, payload, now) < 0)
			id = MAIL_EDB;
	}
	if (id > 0 && db_exec(db, "RELEASE mail_queue") == 0)
		return id;
	/* A successful rollback leaves db_errmsg naming the failure. */
	db_exec(db, "ROLLBACK TO mail_queue");
	db_exec(db, "RELEASE mail_queue");
	return MAIL_EDB;
}

int64_t
mail_queue_with(struct db *db, const char *to, const char *subject, const char *body_text,
                const struct mail_header *headers, size_t n)
{
	if (!mail_address_valid(to) || subject == NULL || subject[0] == '\0' || body_text == NULL ||
	    !text_ok(subject, MAIL_SUBJECT_MAX, false) || !text_ok(body_text, MAIL_BODY_MAX, true))
		return MAIL_EINVAL;
	struct buf h = {0};
	int64_t id = MAIL_EINVAL;
	if (headers_encode(headers, n, &h)) {
		char now[INSTANT_LEN];
		instant_now(now);
		id = db_kind(db) == DB_POSTGRES
		         ? queue_pg(db, to, subject, body_text, buf_cstr(&h), now)
		         : queue_sqlite(db, to, subject, body_text, buf_cstr(&h), now);
	}
	buf_free(&h);
	return id;
}

int64_t
mail_queue(struct db *db, const char *to, const char *subject, const char *body_text)
{
	return mail_queue_with(db, to, subject, body_text, NULL, 0);
}

/* ---- rendering ---- */

/* "Fri, 02 Jan 2026 10:00:00 +0000", independent of the locale. */
static void
rfc5322_date(time_t t, char out[64])
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
	         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "20260102T100000Z" for file names and Message-IDs. */
static void
compact_instant(time_t t, char out[24])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, 24, "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(out, 24, "0");
}

void
mail_bare_address(const char *from, char *out, size_t outlen)
{
	const char *lt = strchr(from, '<');
	if (lt == NULL) {
		snprintf(out, outlen, "%s", from);
		return;
	}
	const char *gt = strchr(lt, '>');
	size_t n = gt ? (size_t)(gt - lt - 1) : strlen(lt + 1);
	snprintf(out, outlen, "%.*s", (int)n, lt + 1);
}

static void
put_subject(struct buf *out, const char *subject)
{
	size_t n = strlen(subject);
	bool plain = strstr(subject, "=?") == NULL;
	for (size_t i = 0; i < n && plain; i++)
		plain = (unsigned char)subject[i] < 0x80;
	buf_puts(out, "Subject: ");
	if (plain) {
		buf_append(out, subject, n);
		buf_puts(out, "\r\n");
		return;
	}
	/* Encoded words hold whole characters only (RFC 2047 section 5). */
	for (size_t i = 0; i < n;) {
		size_t len = 0;
		while (i + len < n) {
			uint32_t cp;
			size_t c = utf8_decode(subject + i + len, n - i - len, &cp);
			if (len + c > MAIL_WORD_BYTES)
				break;
			len += c;
		}
		char b64[sodium_base64_ENCODED_LEN(MAIL_WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)subject + i, len,
		                  sodium_base64_VARIANT_ORIGINAL);
		if (i > 0)
			buf_puts(out, "\r\n ");
		buf_printf(out, "=?UTF-8?B?%s?=", b64);
		i += len;
	}
	buf_puts(out, "\r\n");
}

/* Call fn on each line of body; "\r\n", "\n" and "\r" all end a line. */
static bool
each_line(const char *body, bool (*fn)(const char *line, size_t n, void *arg), void *arg)
{
	const char *p = body;
	while (*p != '\0') {
		size_t n = strcspn(p, "\r\n");
		if (!fn(p, n, arg))
			return false;
		p += n;
		if (p[0] == '\r' && p[1] == '\n')
			p += 2;
		else if (*p != '\0')
			p++;
	}
	return true;
}

static bool
line_is_7bit(const char *line, size_t n, void *arg)
{
	(void)arg;
	if (n > MAIL_LINE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)line[i] >= 0x80)
			return false;
	}
	return true;
}

static bool
line_7bit(const char *line, size_t n, void *arg)
{
	struct buf *out = arg;
	buf_append(out, line, n);
	buf_puts(out, "\r\n");
	return true;
}

/*
 * One line in quoted-printable (RFC 2045 6.7): at most 76 characters per
 * output line with soft breaks, "=" and bytes outside printable ASCII
 * encoded, whitespace encoded at the end of the line. A "." or "F" that
 * starts an output line is encoded too, so neither SMTP dot handling nor
 * mbox "From " quoting can touch the text.
 */
static bool
line_qp(const char *line, size_t n, void *arg)
{
	struct buf *out = arg;
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];
		bool last = i + 1 == n;
		for (;;) {
			bool literal = ((c >= 33 && c <= 126 && c != '=') ||
			                ((c == ' ' || c == '\t') && !last)) &&
			               !(col == 0 && (c == '.' || c == 'F'));
			size_t w = literal ? 1 : 3;
			/* Room for the character, and for a soft break after it unless the line ends. */
			if (col + w + (last ? 0 : 1) > MAIL_QP_LINE && col > 0) {
				buf_puts(out, "=\r\n");
				col = 0;
				continue;
			}
			if (literal)
				buf_putc(out, (char)c);
			else
				buf_printf(out, "=%02X", c);
			col += w;
			break;
		}
	}
	buf_puts(out, "\r\n");
	return true;
}

int
mail_render(const struct mail_message *m, const char *from, struct buf *out)
{
	time_t created;
	if (m->created_at == NULL || !date_parse(m->created_at, false, &created))
		return -1;
	char date[64], stamp[24], addr[MAIL_ADDR_MAX + 2];
	rfc5322_date(created, date);
	compact_instant(created, stamp);
	mail_bare_address(from, addr, sizeof(addr));
	const char *domain = strrchr(addr, '@');
	domain = domain != NULL && domain[1] != '\0' ? domain + 1 : "beacon.invalid";
	bool plain = each_line(m->body_text, line_is_7bit, NULL);
	struct buf extra = {0};
	if (!headers_render(m->headers, &extra)) {
		buf_free(&extra);
		return -1;
	}

	buf_printf(out, "Date: %s\r\n", date);
	buf_printf(out, "From: %s\r\n", from);
	buf_printf(out, "To: %s\r\n", m->to);
	put_subject(out, m->subject);
	buf_printf(out, "Message-ID: <beacon.%" PRId64 ".%s@%s>\r\n", m->id, stamp, domain);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	              "Content-Type: text/plain; charset=UTF-8\r\n");
	buf_printf(out, "Content-Transfer-Encoding: %s\r\n", plain ? "7bit" : "quoted-printable");
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	if (extra.len > 0)
		buf_append(out, extra.data, extra.len);
	buf_free(&extra);
	buf_puts(out, "\r\n");
	each_line(m->body_text, plain ? line_7bit : line_qp, out);
	return 0;
}

/* ---- delivery ---- */

bool
mail_smtp_url_ok(const char *url)
{
	const char *p;
	if (url == NULL)
		return false;
	if (strncmp(url, "smtp://", 7) == 0)
		p = url + 7;
	else if (strncmp(url, "smtps://", 8) == 0)
		p = url + 8;
	else
		return false;
	size_t auth = strcspn(p, "/?#");
	if (auth == 0)
		return false;
	for (size_t i = 0; url[i] != '\0'; i++) {
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7F)
			return false;
	}
	const char *at = NULL;
	for (size_t i = 0; i < auth; i++) {
		if (p[i] == '@')
			at = p + i;
	}
	if (at == NULL)
		return true;
	/* A user name may be given; a password may not. */
	return memchr(p, ':', (size_t)(at - p)) == NULL && at > p && (size_t)(at - p) + 1 < auth;
}

struct upload {
	const char *data;
	size_t len, off;
};

static size_t
upload_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t room = size * nmemb, left = u->len - u->off;
	size_t n = left < room ? left : room;
	memcpy(dst, u->data + u->off, n);
	u->off += n;
	return n;
}

enum mail_result
mail_send_smtp(const char *url, const char *password, const char *from, const char *to,
               const char *msg, size_t len, char *err, size_t errlen)
{
	char env_from[MAIL_ADDR_MAX + 4], env_to[MAIL_ADDR_MAX + 4], addr[MAIL_ADDR_MAX + 2];
	mail_bare_address(from, addr, sizeof(addr));
	snprintf(env_from, sizeof(env_from), "<%s>", addr);
	snprintf(env_to, sizeof(env_to), "<%s>", to);
	CURL *c = curl_easy_init();
	if (c == NULL) {
		snprintf(err, errlen, "smtp: cannot start libcurl");
		return MAIL_TEMPFAIL;
	}
	struct curl_slist *rcpt = curl_slist_append(NULL, env_to);
	struct upload up = {msg, len, 0};
	char cerr[CURL_ERROR_SIZE] = "";
	bool smtps = strncmp(url, "smtps://", 8) == 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, smtps ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, env_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	if (password != NULL)
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	CURLcode res = curl_easy_perform(c);
	long reply = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (res == CURLE_OK)
		return MAIL_SENT;
	snprintf(err, errlen, "smtp: %s (curl %d, reply %ld)",
	         cerr[0] != '\0' ? cerr : curl_easy_strerror(res), (int)res, reply);
	return reply == 550 || reply == 551 || reply == 553 ? MAIL_PERMFAIL : MAIL_TEMPFAIL;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
mail_write_file(const char *dir, const char *name, const char *msg, size_t len, char *path,
                size_t pathlen, char *err, size_t errlen)
{
	char folder[1024], tmp[1200];
	snprintf(folder, sizeof(folder), "%s/mail", dir);
	snprintf(path, pathlen, "%s/%s", folder, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", folder, name);
	if (mkdir(folder, 0750) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", folder, strerror(errno));
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, msg, len) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* The rename itself must reach the disk too. */
	int dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/*
 * Sent: the body is dropped at once, because it may hold a live link (reset,
 * verification) that must exist only in the recipient's mailbox; the
 * database keeps only hashes of those tokens. The extra headers go too
 * (an unsubscribe link is such a link).
 */
static int
mark_sent(struct db *db, int64_t id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st =
	    db_prepare(db, "UPDATE outbox SET sent_at = ?, body_text = '', headers = '' WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	return db_run(st) == 1 ? 0 : -1;
}

enum mail_result
mail_deliver(struct db *db, const struct mail_transport *tr, int64_t id, char *err,
             size_t errlen)
{
	struct db_stmt *st = db_prepare(db, "SELECT to_addr, subject, body_text, created_at, sent_at, "
	                                    "headers FROM outbox WHERE id = ?");
	if (st == NULL) {
		snprintf(err, errlen, "database: %s", db_errmsg(db));
		return MAIL_TEMPFAIL;
	}
	db_bind_int(st, 1, id);
	enum db_step_result r = db_step(st);
	if (r != DB_ROW) {
		if (r == DB_DONE)
			snprintf(err, errlen, "outbox message %" PRId64 " does not exist", id);
		else
			snprintf(err, errlen, "database: %s", db_errmsg(db));
		db_finalize(st);
		return r == DB_DONE ? MAIL_PERMFAIL : MAIL_TEMPFAIL;
	}
	if (!db_col_is_null(st, 4)) {
		/* Sent by an earlier claim that died before finishing its task. */
		db_finalize(st);
		return MAIL_SENT;
	}
	char *to = xstrdup(db_col_text(st, 0) ? db_col_text(st, 0) : "");
	char *subject = xstrdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
	char *body = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
	char *created = xstrdup(db_col_text(st, 3) ? db_col_text(st, 3) : "");
	char *headers = xstrdup(db_col_text(st, 5) ? db_col_text(st, 5) : "");
	db_finalize(st);

	enum mail_result res = MAIL_PERMFAIL;
	struct buf msg = {0};
	struct mail_message m = {id, to, subject, body, created, headers};
	if (!mail_address_valid(to) || mail_render(&m, tr->from, &msg) != 0) {
		snprintf(err, errlen, "outbox message %" PRId64 " is malformed", id);
		goto out;
	}
	if (tr->smtp_url != NULL) {
		res = mail_send_smtp(tr->smtp_url, tr->smtp_password, tr->from, to, buf_cstr(&msg),
		                     msg.len, err, errlen);
		if (res != MAIL_SENT)
			goto out;
		struct json_writer *w = log_begin(LOG_LVL_INFO, "mail sent");
		if (w != NULL) {
			jw_kv_int(w, "outbox", id);
			log_end(w);
		}
	} else {
		char name[64], path[1200];
		time_t t;
		char stamp[24];
		date_parse(created, false, &t);
		compact_instant(t, stamp);
		snprintf(name, sizeof(name), "%s-%" PRId64 ".eml", stamp, id);
		if (mail_write_file(tr->var_dir, name, buf_cstr(&msg), msg.len, path, sizeof(path), err,
		                    errlen) != 0) {
			res = MAIL_TEMPFAIL;
			goto out;
		}
		struct json_writer *w = log_begin(LOG_LVL_INFO, "mail written to a file (no BEACON_SMTP_URL)");
		if (w != NULL) {
			jw_kv_int(w, "outbox", id);
			jw_kv_str(w, "path", path);
			log_end(w);
		}
	}
	res = MAIL_SENT;
	/* Sent is sent: a failure to record it is logged, not retried (that would send twice). */
	if (mark_sent(db, id) != 0)
		log_warn("outbox message %" PRId64 " was sent but sent_at could not be set: %s", id,
		         db_errmsg(db));
out:
	buf_free(&msg);
	free(to);
	free(subject);
	free(body);
	free(created);
	free(headers);
	return res;
}

/* ---- the worker side ---- */

static struct {
	char *smtp_url, *smtp_password, *from, *var_dir;
} settings;

static void
replace(char **slot, const char *v)
{
	if (*slot != NULL) {
		sodium_memzero(*slot, strlen(*slot));
		free(*slot);
	}
	*slot = v != NULL ? xstrdup(v) : NULL;
}

void
mail_set_smtp_password(const char *password)
{
	replace(&settings.smtp_password, password);
}

static enum task_result
mail_task(struct db *db, const struct task *task, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	long long id = strtoll(task->payload, &end, 10);
	if (errno != 0 || end == task->payload || *end != '\0' || id <= 0) {
		snprintf(err, errlen, "payload is not an outbox id");
		return TASK_GIVE_UP;
	}
	struct mail_transport tr = {settings.smtp_url, settings.smtp_password, settings.from,
	                            settings.var_dir};
	switch (mail_deliver(db, &tr, id, err, errlen)) {
	case MAIL_SENT:
		return TASK_DONE;
	case MAIL_PERMFAIL:
		return TASK_GIVE_UP;
	case MAIL_TEMPFAIL:
		break;
	}
	return TASK_RETRY;
}

int
mail_setup(const struct config *cfg, char *err, size_t errlen)
{
	if (cfg->smtp_url != NULL && !mail_smtp_url_ok(cfg->smtp_url)) {
		snprintf(err, errlen, "BEACON_SMTP_URL: must be smtp://[USER@]HOST[:PORT] or "
		                      "smtps://...; a password belongs in the secrets file");
		return -1;
	}
	replace(&settings.smtp_url, cfg->smtp_url);
	replace(&settings.from, cfg->smtp_from);
	replace(&settings.var_dir, cfg->var_dir);
	/* Before any worker forks: libcurl's global set-up is not thread- or sandbox-friendly. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "libcurl failed to initialise");
		return -1;
	}
	if (tasks_handler(MAIL_TASK_KIND) == NULL && tasks_register(MAIL_TASK_KIND, mail_task) != 0) {
		snprintf(err, errlen, "cannot register the email task");
		return -1;
	}
	return 0;
}

int64_t
mail_purge_sent(struct db *db, const char *before)
{
	struct db_stmt *st =
	    db_prepare(db, "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, before);
	return db_run(st);
}
