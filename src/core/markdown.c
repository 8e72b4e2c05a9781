#include "markdown.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cmark.h>

#include "utf8.h"

/*
 * CMARK_OPT_DEFAULT is cmark's safe mode since 0.29: raw HTML becomes
 * "<!-- raw HTML omitted -->" and javascript:, vbscript:, file: and data:
 * (other than image/png, gif, jpeg, webp) URLs become "". CMARK_OPT_UNSAFE
 * must never be added here.
 */
#define MARKDOWN_OPTS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

#define UTF8_REPLACEMENT "\xEF\xBF\xBD"
#define ELLIPSIS "\xE2\x80\xA6"

static inline bool
markdown_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Append the n bytes at s to out with invalid UTF-8 replaced by U+FFFD and
 * control characters (C0 other than TAB/LF/CR, DEL, C1) dropped, which is
 * what the HTML writer guarantees for everything else on a page.
 *
 * When space is not NULL the text is being flattened: every run of ASCII
 * whitespace (including the three kept controls) turns into one owed space,
 * stored in *space and written only when more text follows, so the result
 * never starts or ends with a space and never holds two in a row.
 */
static void
markdown_clean(struct buf *out, const char *s, size_t n, bool *space)
{
	enum { KEEP, DROP, REPLACE, SPACE } act;
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0, len;
	uint32_t cp;

	while (i < n) {
		unsigned char c = u[i];
		len = 1;
		if (c < 0x80) {
			if (space != NULL && markdown_ascii_space(c))
				act = SPACE;
			else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
				act = DROP;
			else
				act = KEEP;
		} else {
			len = utf8_decode(s + i, n - i, &cp);
			if (len == 1)
				act = REPLACE;
			else if (cp <= 0x9F)
				act = DROP;
			else
				act = KEEP;
		}
		if (act == KEEP && (space == NULL || !*space)) {
			i += len;
			continue;
		}
		if (i > start)
			buf_append(out, s + start, i - start);
		if (act == SPACE) {
			*space = true;
		} else if (act != DROP && space != NULL && *space) {
			if (out->len > 0)
				buf_putc(out, ' ');
			*space = false;
		}
		if (act == REPLACE)
			buf_append(out, UTF8_REPLACEMENT, 3);
		start = act == KEEP ? i : i + len;
		i += len;
	}
	if (i > start)
		buf_append(out, s + start, i - start);
}

/*
 * Parse md after cleaning it. Cleaning first (rather than relying only on
 * CMARK_OPT_VALIDATE_UTF8) fixes Beacon's own rules for repair and control
 * characters instead of inheriting whatever a cmark version does. Returns
 * NULL only if cmark fails.
 */
static cmark_node *
markdown_parse(const char *md, size_t n)
{
	struct buf clean = {0};
	cmark_node *doc;

	if (md == NULL)
		n = 0;
	if (utf8_valid(md, n) && !utf8_has_control(md, n)) {
		doc = cmark_parse_document(n > 0 ? md : "", n, MARKDOWN_OPTS);
	} else {
		markdown_clean(&clean, md, n, NULL);
		doc = cmark_parse_document(buf_cstr(&clean), clean.len, MARKDOWN_OPTS);
	}
	buf_free(&clean);
	return doc;
}

/*
 * The rendered HTML is cleaned once more because character references in
 * the Markdown (&#1;, &#x85;) decode to control characters that cmark
 * writes out verbatim.
 */
/*
 * Rendered text sits under the page's own h1 and an h2 section heading, so
 * its highest heading becomes h3 and the others keep their distance below
 * it (capped at h6): "#"/"##" documents and "##"/"###" documents both
 * render as h3/h4, and heading levels never skip.
 */
static void
demote_headings(cmark_node *doc)
{
	int top = 7;
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(node) < top)
			top = cmark_node_get_heading_level(node);
	}
	cmark_iter_reset(iter, doc, CMARK_EVENT_ENTER);
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(node) - top + 3;
			cmark_node_set_heading_level(node, level > 6 ? 6 : level);
		}
	}
	cmark_iter_free(iter);
}

void
markdown_render(struct buf *out, const char *md, size_t n)
{
	cmark_mem *mem = cmark_get_default_mem_allocator();
	cmark_node *doc = NULL;
	char *html = NULL;

	doc = markdown_parse(md, n);
	if (doc == NULL)
		goto out;
	demote_headings(doc);
	html = cmark_render_html(doc, MARKDOWN_OPTS);
	if (html == NULL)
		goto out;
	markdown_clean(out, html, strlen(html), NULL);

out:
	if (html != NULL)
		mem->free(html);
	if (doc != NULL)
		cmark_node_free(doc);
}

static bool
markdown_is_block(cmark_node_type type)
{
	return type >= CMARK_NODE_FIRST_BLOCK && type <= CMARK_NODE_LAST_BLOCK;
}

/*
 * Walk the tree collecting the literals of text, code spans and code blocks
 * (image alt text arrives as text children). Raw HTML is skipped; entering
 * or leaving a block and line breaks owe a space. The walk stops as soon as more
 * than max_bytes have been collected, since the cut is then certain and
 * long descriptions need not be flattened in full.
 */
void
markdown_plain(struct buf *out, const char *md, size_t n, size_t max_bytes)
{
	struct buf text = {0};
	cmark_node *doc = NULL;
	cmark_iter *iter = NULL;
	bool space = false;

	/*
	 * A snippet needs only the start of the text; parsing all of a long
	 * description would cost far more than the words kept.
	 */
	size_t enough = max_bytes * 8 + 1024;
	doc = markdown_parse(md, n < enough ? n : enough);
	if (doc == NULL)
		goto out;
	iter = cmark_iter_new(doc);
	while (text.len <= max_bytes && cmark_iter_next(iter) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		cmark_node_type type = cmark_node_get_type(node);

		if (markdown_is_block(type) || type == CMARK_NODE_SOFTBREAK ||
		    type == CMARK_NODE_LINEBREAK)
			space = true;
		if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE ||
		    type == CMARK_NODE_CODE_BLOCK) {
			const char *lit = cmark_node_get_literal(node);
			if (lit != NULL)
				markdown_clean(&text, lit, strlen(lit), &space);
		}
	}

	if (text.len > max_bytes) {
		size_t cut = max_bytes;
		while (cut > 0 && ((unsigned char)text.data[cut] & 0xC0) == 0x80)
			cut--;
		while (cut > 0 && text.data[cut - 1] == ' ')
			cut--;
		buf_append(out, text.data, cut);
		buf_append(out, ELLIPSIS, sizeof(ELLIPSIS) - 1);
	} else {
		buf_append(out, text.data != NULL ? text.data : "", text.len);
	}

out:
	if (iter != NULL)
		cmark_iter_free(iter);
	if (doc != NULL)
		cmark_node_free(doc);
	buf_free(&text);
}
