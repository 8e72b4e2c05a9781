#include "html.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

#define UTF8_REPLACEMENT "\xEF\xBF\xBD"

/* ASCII bytes that html_textn copies unchanged. */
static inline bool
html_ascii_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
}

void
html_raw_trusted_(struct buf *b, const char *s, size_t n)
{
	if (s != NULL && n > 0)
		buf_append(b, s, n);
}

void
html_text(struct buf *b, const char *s)
{
	if (s != NULL)
		html_textn(b, s, strlen(s));
}

/*
 * The one escaping loop behind html_text and html_attr. Safe bytes are
 * copied in runs with a single buf_append; only the bytes that need work
 * break a run. Escaping both quotes makes the same output valid in text,
 * in double-quoted and in single-quoted attributes.
 */
void
html_textn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;
	uint32_t cp;

	if (s == NULL)
		return;
	while (i < n) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if (html_ascii_plain(c)) {
				i++;
				continue;
			}
			if (i > start)
				buf_append(b, s + start, i - start);
			switch (c) {
			case '&':
				HTML_LIT(b, "&amp;");
				break;
			case '<':
				HTML_LIT(b, "&lt;");
				break;
			case '>':
				HTML_LIT(b, "&gt;");
				break;
			case '"':
				HTML_LIT(b, "&quot;");
				break;
			case '\'':
				HTML_LIT(b, "&#39;");
				break;
			case '\t':
			case '\n':
			case '\r':
				buf_putc(b, (char)c);
				break;
			default:
				break; /* other C0 controls, NUL and DEL are dropped */
			}
			start = ++i;
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &cp);
		/*
		 * C1 controls and the noncharacters U+FFFE/U+FFFF are dropped: they
		 * are parse errors in HTML and forbidden in XML, and the same text
		 * goes into RSS.
		 */
		if (len > 1 && (cp < 0x80 || cp > 0x9F) && cp != 0xFFFE && cp != 0xFFFF) {
			i += len;
			continue;
		}
		if (i > start)
			buf_append(b, s + start, i - start);
		if (len == 1)
			HTML_LIT(b, UTF8_REPLACEMENT);
		i += len;
		start = i;
	}
	if (i > start)
		buf_append(b, s + start, i - start);
}

void
html_attr(struct buf *b, const char *s)
{
	html_text(b, s);
}

void
html_int(struct buf *b, int64_t v)
{
	buf_put_i64(b, v);
}

static inline bool
html_url_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/*
 * Bytes are encoded as they are, without UTF-8 repair: every byte outside
 * the unreserved set becomes %XX, so the output is plain ASCII whatever the
 * input holds, and the receiving parser does the validating.
 */
void
html_urlenc(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;

	if (s == NULL)
		return;
	for (; u[i] != '\0'; i++) {
		if (html_url_unreserved(u[i]))
			continue;
		if (i > start)
			buf_append(b, s + start, i - start);
		char esc[3] = {'%', hex[u[i] >> 4], hex[u[i] & 0x0F]};
		buf_append(b, esc, sizeof(esc));
		start = i + 1;
	}
	if (i > start)
		buf_append(b, s + start, i - start);
}

/* XML 1.0 Char production, for code points that decoded as valid UTF-8. */
static inline bool
xml_char_allowed(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	return cp != 0xFFFE && cp != 0xFFFF;
}

/*
 * "]]>" is detected in what has been written rather than in the input:
 * dropping a disallowed character can join "]]" and ">" that were apart in
 * s. The check never looks before the current section, because every
 * section opener ends in '['.
 */
void
xml_cdata(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0, n = s != NULL ? strlen(s) : 0;
	uint32_t cp;

	HTML_LIT(b, "<![CDATA[");
	while (i < n) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if (c != '>' && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')) {
				i++;
				continue;
			}
			if (i > start)
				buf_append(b, s + start, i - start);
			start = i++;
			if (c != '>') {
				start = i; /* disallowed C0 control: drop it */
				continue;
			}
			if (b->len >= 2 && b->data[b->len - 1] == ']' && b->data[b->len - 2] == ']')
				HTML_LIT(b, "]]><![CDATA[");
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len > 1 && xml_char_allowed(cp)) {
			i += len;
			continue;
		}
		if (i > start)
			buf_append(b, s + start, i - start);
		if (len == 1)
			HTML_LIT(b, UTF8_REPLACEMENT);
		i += len;
		start = i;
	}
	if (i > start)
		buf_append(b, s + start, i - start);
	HTML_LIT(b, "]]>");
}
