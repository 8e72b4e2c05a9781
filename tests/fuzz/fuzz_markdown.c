/*
 * libFuzzer driver for the Markdown renderer. cmark escapes all text, so
 * every '<' in the output must open a tag from the small set cmark emits,
 * with only the attributes cmark writes, and no link or image URL may use a
 * dangerous scheme. The plain-text form is checked for its own promises.
 * Inputs are capped (see README.md): cmark 0.30.2 is quadratic on some.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/markdown.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strlen(*list) == n && strncmp(*list, w, n) == 0)
			return true;
	}
	return false;
}

/* A URL attribute value (still entity-escaped) must not start a banned scheme. */
static void
check_url(const char *v, size_t n)
{
	static const char *const banned[] = {"javascript:", "vbscript:", "file:", "data:", NULL};

	for (const char *const *b = banned; *b != NULL; b++) {
		size_t bn = strlen(*b);
		if (n >= bn && strncasecmp(v, *b, bn) == 0) {
			if (strcmp(*b, "data:") == 0 && n >= 11 &&
			    strncasecmp(v, "data:image/", 11) == 0)
				continue;
			abort();
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '<' || v[i] == '>' || v[i] == '\'' || isspace((unsigned char)v[i]))
			abort();
	}
}

/* Check the tag at s (s[0] == '<'); returns its length. */
static size_t
check_tag(const char *s)
{
	static const char comment[] = "<!-- raw HTML omitted -->";
	static const char *const tags[] = {"p",  "h1",  "h2", "h3",  "h4",         "h5", "h6",
	                                   "ul", "ol",  "li", "pre", "code",       "em", "strong",
	                                   "a",  "img", "hr", "br",  "blockquote", NULL};
	static const char *const attrs[] = {"href", "src", "alt", "title", "start", "class", NULL};
	const char *p = s + 1;

	if (strncmp(s, comment, sizeof(comment) - 1) == 0)
		return sizeof(comment) - 1;
	if (*p == '/')
		p++;
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
	if (!word_in(p, n, tags))
		abort();
	p += n;
	while (*p == ' ') {
		p++;
		if (*p == '/')
			break;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz");
		if (!word_in(p, n, attrs) || p[n] != '=' || p[n + 1] != '"')
			abort();
		const char *name = p;
		p += n + 2;
		const char *q = strchr(p, '"');
		if (q == NULL || memchr(p, '<', (size_t)(q - p)) != NULL)
			abort();
		if (strncmp(name, "href=", 5) == 0 || strncmp(name, "src=", 4) == 0)
			check_url(p, (size_t)(q - p));
		p = q + 1;
	}
	if (*p == '/')
		p++;
	if (*p != '>')
		abort();
	return (size_t)(p + 1 - s);
}

static void
check_render(const char *md, size_t n)
{
	struct buf out = {0};

	markdown_render(&out, md, n);
	if (!utf8_valid(buf_cstr(&out), out.len) || utf8_has_control(buf_cstr(&out), out.len))
		abort();
	if (out.len > 0 && strlen(out.data) != out.len)
		abort();
	for (size_t i = 0; i < out.len;) {
		if (out.data[i] == '<')
			i += check_tag(out.data + i);
		else if (out.data[i] == '>')
			abort();
		else
			i++;
	}
	buf_free(&out);
}

static void
check_plain(const char *md, size_t n, size_t max)
{
	struct buf out = {0};

	markdown_plain(&out, md, n, max);
	if (!utf8_valid(buf_cstr(&out), out.len) || utf8_has_control(buf_cstr(&out), out.len))
		abort();
	if (out.len > max + 3)
		abort();
	if (out.len > 0 && (out.data[0] == ' ' || out.data[out.len - 1] == ' ' ||
	                    strstr(out.data, "  ") != NULL || strpbrk(out.data, "\t\r\n") != NULL))
		abort();
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	check_render((const char *)data, size);
	check_plain((const char *)data, size, size > 0 ? data[0] : 0);
	check_plain((const char *)data, size, (size_t)-1 / 2);
	return 0;
}
