/*
 * markdown.h - safe Markdown rendering for job descriptions.
 *
 * CommonMark through cmark with headings moved down so the highest is h3
 * (the text sits under a page's h1 and h2), raw HTML disabled (it is replaced by a
 * comment) and unsafe link schemes (javascript:, vbscript:, file:, data:
 * except PNG/GIF/JPEG/WebP images) removed. Input that is not valid UTF-8 is
 * repaired first; control characters (as html.h defines them) are dropped,
 * including those written as character references. md may be NULL when n
 * is 0. cmark's run time grows faster than linearly on some pathological
 * inputs, so callers bound n (a job description limit).
 */
#ifndef BEACON_CORE_MARKDOWN_H
#define BEACON_CORE_MARKDOWN_H

#include <stddef.h>

#include "buf.h"

/* Append the HTML rendering of the n bytes of Markdown at md to out. */
void markdown_render(struct buf *out, const char *md, size_t n);

/*
 * Append a plain-text version of the Markdown (markup removed, whitespace
 * collapsed), cut at max_bytes on a UTF-8 boundary with "…" appended when
 * cut. Used for result snippets, feeds and meta descriptions. The result is
 * text, not markup: escape it (html_text) like any other text.
 */
void markdown_plain(struct buf *out, const char *md, size_t n, size_t max_bytes);

#endif
