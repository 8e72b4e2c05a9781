/*
 * libFuzzer driver for the HTML/XML writer. Each function is compared with
 * a slow reference that handles one code point at a time, and the outputs
 * are checked for the properties pages rely on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "core/mem.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLACEMENT "\xEF\xBF\xBD"

static bool
is_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
}

static void
ref_text(struct buf *b, const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0, len; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 1 && (unsigned char)s[i] >= 0x80)
			buf_puts(b, REPLACEMENT);
		else if (is_control(cp))
			continue;
		else if (cp == '&')
			buf_puts(b, "&amp;");
		else if (cp == '<')
			buf_puts(b, "&lt;");
		else if (cp == '>')
			buf_puts(b, "&gt;");
		else if (cp == '"')
			buf_puts(b, "&quot;");
		else if (cp == '\'')
			buf_puts(b, "&#39;");
		else
			buf_append(b, s + i, len);
	}
}

/* The content of a CDATA section: repaired, XML 1.0 Chars only. */
static void
ref_cdata_content(struct buf *b, const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0, len; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 1 && (unsigned char)s[i] >= 0x80)
			buf_puts(b, REPLACEMENT);
		else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
		         cp == 0xFFFF)
			continue;
		else
			buf_append(b, s + i, len);
	}
}

static void
check_cdata(const char *s, size_t n)
{
	static const char open[] = "<![CDATA[", close[] = "]]>", split[] = "]]><![CDATA[";
	struct buf out = {0}, joined = {0}, want = {0};

	xml_cdata(&out, s);
	if (out.len < 12 || memcmp(out.data, open, 9) != 0 ||
	    memcmp(out.data + out.len - 3, close, 3) != 0)
		abort();
	/* Every "]]>" inside must start a section split; removing the splits gives the content. */
	const char *p = out.data + 9, *end = out.data + out.len - 3;
	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), close, 3);
		if (hit == NULL) {
			buf_append(&joined, p, (size_t)(end - p));
			break;
		}
		if ((size_t)(end - hit) < sizeof(split) - 1 ||
		    memcmp(hit, split, sizeof(split) - 1) != 0)
			abort();
		buf_append(&joined, p, (size_t)(hit - p));
		p = hit + sizeof(split) - 1;
	}
	ref_cdata_content(&want, s, n);
	if (joined.len != want.len ||
	    (want.len > 0 && memcmp(joined.data, want.data, want.len) != 0))
		abort();
	buf_free(&out);
	buf_free(&joined);
	buf_free(&want);
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

static void
check_urlenc(const char *s, size_t n)
{
	struct buf out = {0}, back = {0};

	html_urlenc(&out, s);
	for (size_t i = 0; i < out.len; i++) {
		char c = out.data[i];
		if (c == '%') {
			if (i + 2 >= out.len || hexval(out.data[i + 1]) < 0 ||
			    hexval(out.data[i + 2]) < 0)
				abort();
			buf_putc(&back,
			         (char)(hexval(out.data[i + 1]) << 4 | hexval(out.data[i + 2])));
			i += 2;
		} else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			buf_putc(&back, c);
		} else {
			abort();
		}
	}
	if (back.len != n || (n > 0 && memcmp(back.data, s, n) != 0))
		abort();
	buf_free(&out);
	buf_free(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf got = {0}, want = {0}, viastr = {0};
	char *z = xstrndup(s, size); /* stops at the first NUL, as C callers would */
	size_t zn = strlen(z);

	html_textn(&got, s, size);
	ref_text(&want, s, size);
	if (got.len != want.len || (got.len > 0 && memcmp(got.data, want.data, got.len) != 0))
		abort();
	if (!utf8_valid(buf_cstr(&got), got.len) || utf8_has_control(buf_cstr(&got), got.len))
		abort();
	if (got.len > 0 && strpbrk(got.data, "<>\"'") != NULL)
		abort();

	html_attr(&viastr, z);
	buf_reset(&want);
	ref_text(&want, z, zn);
	if (strcmp(buf_cstr(&viastr), buf_cstr(&want)) != 0)
		abort();

	check_urlenc(z, zn);
	check_cdata(z, zn);

	free(z);
	buf_free(&got);
	buf_free(&want);
	buf_free(&viastr);
	return 0;
}
