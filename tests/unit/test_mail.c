/*
 * Email without a database: address checks, MIME rendering (decoded again
 * here to prove it round-trips), the SMTP URL rule, file delivery and an
 * SMTP attempt at a closed port.
 */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "harness.h"
#include "model/mail.h"
#include "suites.h"

static void
test_addresses(void)
{
	char bare[64];
	mail_bare_address("Beacon <noreply@beacon.example>", bare, sizeof(bare));
	CHECK_STR_EQ(bare, "noreply@beacon.example");
	mail_bare_address("<a@example.com>", bare, sizeof(bare));
	CHECK_STR_EQ(bare, "a@example.com");
	mail_bare_address("a@example.com", bare, sizeof(bare));
	CHECK_STR_EQ(bare, "a@example.com");
	CHECK(mail_address_valid("a@example.com"));
	CHECK(mail_address_valid("first.last+tag@sub.example-mail.org"));
	CHECK(mail_address_valid("o'brien@example.ie"));
	CHECK(mail_address_valid("dev@localhost"));
	CHECK(!mail_address_valid(NULL));
	CHECK(!mail_address_valid(""));
	CHECK(!mail_address_valid("a@"));
	CHECK(!mail_address_valid("@example.com"));
	CHECK(!mail_address_valid("a@@example.com"));
	CHECK(!mail_address_valid("a@b@example.com"));
	CHECK(!mail_address_valid(".a@example.com"));
	CHECK(!mail_address_valid("a.@example.com"));
	CHECK(!mail_address_valid("a..b@example.com"));
	CHECK(!mail_address_valid("a b@example.com"));
	CHECK(!mail_address_valid("a@example.com\r\nBcc: b@example.com"));
	CHECK(!mail_address_valid("a@example.com\n"));
	CHECK(!mail_address_valid("<a@example.com>"));
	CHECK(!mail_address_valid("\"a\"@example.com"));
	CHECK(!mail_address_valid("a@exa_mple.com"));
	CHECK(!mail_address_valid("a@-example.com"));
	CHECK(!mail_address_valid("a@example-.com"));
	CHECK(!mail_address_valid("a@example..com"));
	CHECK(!mail_address_valid("a@example.com."));
	CHECK(!mail_address_valid("a@[127.0.0.1]"));
	CHECK(!mail_address_valid("caf\xC3\xA9@example.com"));
	char local[80];
	memset(local, 'a', 65);
	strcpy(local + 65, "@example.com");
	CHECK(!mail_address_valid(local));
	strcpy(local + 64, "@example.com");
	CHECK(mail_address_valid(local));
}

static void
test_smtp_url(void)
{
	CHECK(mail_smtp_url_ok("smtp://127.0.0.1:2525"));
	CHECK(mail_smtp_url_ok("smtp://mail.example.com"));
	CHECK(mail_smtp_url_ok("smtps://mail.example.com:465/beacon.example.com"));
	CHECK(mail_smtp_url_ok("smtp://apikey@mail.example.com:587"));
	CHECK(!mail_smtp_url_ok("smtp://user:secret@mail.example.com"));
	CHECK(!mail_smtp_url_ok("smtps://user:@mail.example.com"));
	CHECK(!mail_smtp_url_ok("smtp://@mail.example.com"));
	CHECK(!mail_smtp_url_ok("smtp://user@"));
	CHECK(!mail_smtp_url_ok("smtp://"));
	CHECK(!mail_smtp_url_ok("http://mail.example.com"));
	CHECK(!mail_smtp_url_ok("smtp://mail.example.com/\r\n"));
	CHECK(!mail_smtp_url_ok(NULL));
	/* A colon after the host is a port, not a password. */
	CHECK(mail_smtp_url_ok("smtp://user@mail.example.com:25/a:b"));
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode a quoted-printable body (CRLF lines) independently of the encoder,
 * checking the rules it must follow on the way: no line over 76 characters,
 * nothing but printable ASCII, no whitespace before a line end, no "." or
 * "From " at the start of a line. Returns false on a broken rule.
 */
static bool
qp_decode(const char *in, struct buf *out)
{
	const char *p = in;
	while (*p != '\0') {
		const char *eol = strstr(p, "\r\n");
		if (eol == NULL)
			return false;
		size_t n = (size_t)(eol - p);
		if (n > 76 || (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')))
			return false;
		if (n > 0 && (p[0] == '.' || strncmp(p, "From ", 5) == 0))
			return false;
		bool soft = n > 0 && p[n - 1] == '='; /* "=XX" always ends in a hex digit */
		size_t end = soft ? n - 1 : n;
		for (size_t i = 0; i < end; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c == '=') {
				if (i + 2 >= end || hexval(p[i + 1]) < 0 || hexval(p[i + 2]) < 0)
					return false;
				buf_putc(out, (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2])));
				i += 2;
			} else if ((c < 33 || c > 126) && c != ' ' && c != '\t') {
				return false;
			} else {
				buf_putc(out, (char)c);
			}
		}
		if (!soft)
			buf_puts(out, "\r\n");
		p = eol + 2;
	}
	return true;
}

/* The value of header name in a rendered message (unfolded), or "" */
static void
header(const char *msg, const char *name, struct buf *out)
{
	buf_reset(out);
	size_t n = strlen(name);
	const char *end = strstr(msg, "\r\n\r\n");
	for (const char *p = msg; p != NULL && p < end; p = strstr(p, "\r\n"), p = p ? p + 2 : p) {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			for (;;) {
				const char *e = strstr(v, "\r\n");
				buf_append(out, v, (size_t)(e - v));
				if (e[2] != ' ' && e[2] != '\t')
					return;
				v = e + 2;
			}
		}
	}
}

/* Join the RFC 2047 base64 words of a Subject value into their text. */
static bool
decode_words(const char *v, struct buf *out)
{
	while (*v != '\0') {
		if (strncmp(v, "=?UTF-8?B?", 10) != 0)
			return false;
		v += 10;
		const char *e = strstr(v, "?=");
		if (e == NULL || e - v > 64)
			return false;
		unsigned char bin[64];
		size_t len;
		if (sodium_base642bin(bin, sizeof(bin), v, (size_t)(e - v), NULL, &len, NULL,
		                      sodium_base64_VARIANT_ORIGINAL) != 0)
			return false;
		buf_append(out, bin, len);
		v = e + 2;
		while (*v == ' ')
			v++;
	}
	return true;
}

static void
test_render_plain(void)
{
	struct buf b = {0}, h = {0};
	struct mail_message m = {42, "dev@example.com", "Reset your password",
	                         "Hello,\n\nOpen https://x.test/r?t=abc\n.\nFrom me\n",
	                         "2026-01-02T03:04:05Z", NULL};
	CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), 0);
	const char *msg = buf_cstr(&b);
	header(msg, "Date", &h);
	CHECK_STR_EQ(buf_cstr(&h), "Fri, 02 Jan 2026 03:04:05 +0000");
	header(msg, "From", &h);
	CHECK_STR_EQ(buf_cstr(&h), "no-reply@beacon.test");
	header(msg, "To", &h);
	CHECK_STR_EQ(buf_cstr(&h), "dev@example.com");
	header(msg, "Subject", &h);
	CHECK_STR_EQ(buf_cstr(&h), "Reset your password");
	header(msg, "Message-ID", &h);
	CHECK_STR_EQ(buf_cstr(&h), "<beacon.42.20260102T030405Z@beacon.test>");
	header(msg, "MIME-Version", &h);
	CHECK_STR_EQ(buf_cstr(&h), "1.0");
	header(msg, "Content-Type", &h);
	CHECK_STR_EQ(buf_cstr(&h), "text/plain; charset=UTF-8");
	header(msg, "Content-Transfer-Encoding", &h);
	CHECK_STR_EQ(buf_cstr(&h), "7bit");
	/* ASCII text stays readable (links work in a .eml), with CRLF line ends. */
	const char *body = strstr(msg, "\r\n\r\n");
	CHECK_STR_EQ(body ? body + 4 : NULL, "Hello,\r\n\r\nOpen https://x.test/r?t=abc\r\n.\r\nFrom me\r\n");
	/* Bare LF never appears. */
	for (const char *p = msg; *p; p++) {
		if (*p == '\n' && (p == msg || p[-1] != '\r')) {
			CHECK(false);
			break;
		}
	}
	/* The same message renders the same way (a retry sends the same Message-ID). */
	struct buf again = {0};
	mail_render(&m, "no-reply@beacon.test", &again);
	CHECK_STR_EQ(buf_cstr(&again), msg);
	/* "<addr>" as From works, and the Message-ID takes its domain. */
	buf_reset(&b);
	CHECK_INT_EQ(mail_render(&m, "<jobs@mail.example.org>", &b), 0);
	header(buf_cstr(&b), "Message-ID", &h);
	CHECK_STR_EQ(buf_cstr(&h), "<beacon.42.20260102T030405Z@mail.example.org>");
	m.created_at = "yesterday";
	CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), -1);
	buf_free(&b);
	buf_free(&h);
	buf_free(&again);
}

static void
test_render_utf8(void)
{
	struct buf b = {0}, h = {0}, text = {0};
	/* A subject long enough for several encoded words, with 2-, 3- and 4-byte characters. */
	const char *subject = "Caf\xC3\xA9 jobs \xE2\x80\x94 \xF0\x9F\x9A\x80 "
	                      "Entwicklerin (m/w/d) in M\xC3\xBCnchen, Z\xC3\xBCrich und K\xC3\xB6ln";
	struct buf body = {0};
	buf_puts(&body, "Gr\xC3\xBC\xC3\x9F" "e = hello\r\n");
	buf_puts(&body, ".leading dot\n");
	buf_puts(&body, "trailing space \n");
	buf_puts(&body, "tab\tend\t\n");
	for (int i = 0; i < 40; i++)
		buf_puts(&body, "\xC3\xA9t\xC3\xA9 ");
	buf_puts(&body, "\nFrom here\nlast line without newline");
	struct mail_message m = {7, "a@example.com", subject, buf_cstr(&body),
	                         "2026-06-30T23:59:59Z", NULL};
	CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), 0);
	const char *msg = buf_cstr(&b);
	header(msg, "Content-Transfer-Encoding", &h);
	CHECK_STR_EQ(buf_cstr(&h), "quoted-printable");
	/* Header lines stay under 78 characters; the words decode to the subject. */
	const char *end = strstr(msg, "\r\n\r\n");
	for (const char *p = msg; p < end;) {
		const char *e = strstr(p, "\r\n");
		CHECK(e - p <= 78);
		p = e + 2;
	}
	header(msg, "Subject", &h);
	CHECK(strchr(buf_cstr(&h), 0xC3) == NULL);
	CHECK(decode_words(buf_cstr(&h), &text));
	CHECK_STR_EQ(buf_cstr(&text), subject);
	/* The body decodes back to the text with CRLF line ends. */
	buf_reset(&text);
	CHECK(qp_decode(end + 4, &text));
	struct buf want = {0};
	buf_puts(&want, "Gr\xC3\xBC\xC3\x9F" "e = hello\r\n.leading dot\r\ntrailing space \r\n"
	                "tab\tend\t\r\n");
	for (int i = 0; i < 40; i++)
		buf_puts(&want, "\xC3\xA9t\xC3\xA9 ");
	buf_puts(&want, "\r\nFrom here\r\nlast line without newline\r\n");
	CHECK_STR_EQ(buf_cstr(&text), buf_cstr(&want));

	/* An ASCII subject that looks like an encoded word is encoded, so it reads as typed. */
	buf_reset(&b);
	m.subject = "=?UTF-8?B?SGk=?=";
	CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), 0);
	header(buf_cstr(&b), "Subject", &h);
	buf_reset(&text);
	CHECK(decode_words(buf_cstr(&h), &text));
	CHECK_STR_EQ(buf_cstr(&text), "=?UTF-8?B?SGk=?=");

	/* A long ASCII line (over 998 bytes) needs quoted-printable too. */
	buf_reset(&body);
	for (int i = 0; i < 1100; i++)
		buf_putc(&body, 'x');
	m.body_text = buf_cstr(&body);
	buf_reset(&b);
	CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), 0);
	header(buf_cstr(&b), "Content-Transfer-Encoding", &h);
	CHECK_STR_EQ(buf_cstr(&h), "quoted-printable");
	buf_reset(&text);
	CHECK(qp_decode(strstr(buf_cstr(&b), "\r\n\r\n") + 4, &text));
	CHECK_INT_EQ(text.len, 1102);
	buf_free(&b);
	buf_free(&h);
	buf_free(&text);
	buf_free(&body);
	buf_free(&want);
}

static void
test_extra_headers(void)
{
	const char *url = "<https://beacon.test/unsubscribe?u=7&k=saved_search&t=abc_-9>";
	CHECK(mail_header_valid("List-Unsubscribe", url));
	CHECK(mail_header_valid("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
	CHECK(mail_header_valid("List-Id", "Beacon alerts <alerts.beacon.test>"));
	/* Names: only the fixed list, spelled so. */
	CHECK(!mail_header_valid("Bcc", "x@evil.test"));
	CHECK(!mail_header_valid("list-unsubscribe", url));
	CHECK(!mail_header_valid("List-Unsubscribe:", url));
	CHECK(!mail_header_valid("List-Unsubscribe\r\nBcc", url));
	CHECK(!mail_header_valid("", url));
	CHECK(!mail_header_valid(NULL, url));
	/* Values: printable ASCII, no line breaks or other control bytes, bounded. */
	CHECK(!mail_header_valid("List-Unsubscribe", NULL));
	CHECK(!mail_header_valid("List-Unsubscribe", ""));
	CHECK(!mail_header_valid("List-Unsubscribe", "<https://a.test/>\r\nBcc: x@evil.test"));
	CHECK(!mail_header_valid("List-Unsubscribe", "<https://a.test/>\nBcc: x@evil.test"));
	CHECK(!mail_header_valid("List-Unsubscribe", "<https://a.test/>\rBcc: x@evil.test"));
	CHECK(!mail_header_valid("List-Unsubscribe", "a\tb"));
	CHECK(!mail_header_valid("List-Unsubscribe", "a\x7f"));
	CHECK(!mail_header_valid("List-Unsubscribe", "caf\xC3\xA9"));
	CHECK(!mail_header_valid("List-Unsubscribe", " <https://a.test/>"));
	CHECK(!mail_header_valid("List-Unsubscribe", "<https://a.test/> "));
	char big[MAIL_HEADER_VALUE_MAX + 2];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(!mail_header_valid("List-Id", big));
	big[MAIL_HEADER_VALUE_MAX] = '\0';
	CHECK(mail_header_valid("List-Id", big));

	/* Rendered after Beacon's own headers, CRLF, before the blank line. */
	struct buf b = {0}, h = {0};
	struct buf stored = {0};
	buf_printf(&stored, "List-Unsubscribe: %s\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n",
	           url);
	struct mail_message m = {9, "dev@example.com", "1 new job", "Hello\n", "2026-01-02T03:04:05Z",
	                         buf_cstr(&stored)};
	CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), 0);
	header(buf_cstr(&b), "List-Unsubscribe", &h);
	CHECK_STR_EQ(buf_cstr(&h), url);
	header(buf_cstr(&b), "List-Unsubscribe-Post", &h);
	CHECK_STR_EQ(buf_cstr(&h), "List-Unsubscribe=One-Click");
	CHECK(strstr(buf_cstr(&b), "Auto-Submitted: auto-generated\r\nList-Unsubscribe: <https:") !=
	      NULL);
	CHECK(strstr(buf_cstr(&b), "One-Click\r\n\r\nHello\r\n") != NULL);
	/* No headers stored: none written (a reset mail has no unsubscribe header). */
	m.headers = "";
	buf_reset(&b);
	CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), 0);
	CHECK(strstr(buf_cstr(&b), "List-Unsubscribe") == NULL);
	/* A stored column that does not hold checked headers is refused, not sent. */
	static const char *const bad[] = {
	    "Bcc: x@evil.test\n",
	    "List-Unsubscribe: <a>\r\nBcc: x@evil.test\n",
	    "List-Unsubscribe: <a>",
	    "List-Unsubscribe:<a>\n",
	    "List-Unsubscribe <a>\n",
	    "List-Id: a\nList-Id: b\nList-Id: c\nList-Id: d\nList-Id: e\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.headers = bad[i];
		buf_reset(&b);
		CHECK_INT_EQ(mail_render(&m, "no-reply@beacon.test", &b), -1);
	}
	buf_free(&b);
	buf_free(&h);
	buf_free(&stored);
}

static void
test_write_file(void)
{
	char dir[] = "/tmp/beacon-mailfile-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[512], err[256] = "";
	CHECK_INT_EQ(mail_write_file(dir, "a.eml", "hello\r\n", 7, path, sizeof(path), err,
	                             sizeof(err)),
	             0);
	char want[512];
	snprintf(want, sizeof(want), "%s/mail/a.eml", dir);
	CHECK_STR_EQ(path, want);
	struct stat st;
	/* At most rw-r----- (the umask may take more away): mail may hold reset links. */
	CHECK(stat(path, &st) == 0 && st.st_size == 7 && (st.st_mode & 0137) == 0);
	/* Only the finished file is there: no temporary left over. */
	char folder[512];
	snprintf(folder, sizeof(folder), "%s/mail", dir);
	DIR *d = opendir(folder);
	int entries = 0;
	for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
		entries += e->d_name[0] != '.' || strstr(e->d_name, ".tmp") != NULL;
	if (d != NULL)
		closedir(d);
	CHECK_INT_EQ(entries, 1);
	unlink(path);
	rmdir(folder);
	rmdir(dir);
}

static void
test_smtp_refused(void)
{
	/* Port 1 on loopback: nobody listens, the connection is refused at once. */
	char err[256] = "";
	enum mail_result r = mail_send_smtp("smtp://127.0.0.1:1", NULL, "no-reply@beacon.test",
	                                    "a@example.com", "x\r\n", 3, err, sizeof(err));
	CHECK_INT_EQ(r, MAIL_TEMPFAIL);
	CHECK(strncmp(err, "smtp: ", 6) == 0);
	CHECK(strstr(err, "curl 7") != NULL);
}

void
test_suite_mail(void)
{
	RUN_TEST(test_addresses);
	RUN_TEST(test_smtp_url);
	RUN_TEST(test_render_plain);
	RUN_TEST(test_render_utf8);
	RUN_TEST(test_extra_headers);
	RUN_TEST(test_write_file);
	RUN_TEST(test_smtp_refused);
}
