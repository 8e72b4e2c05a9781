/*
 * layout.h - the page frame every HTML page shares: head, skip link,
 * header navigation, main landmark, footer with consistent help.
 */
#ifndef BEACON_WEB_LAYOUT_H
#define BEACON_WEB_LAYOUT_H

#include "web/req.h"

struct page {
	const char *title;       /* becomes "<title> · Beacon" */
	const char *description; /* meta description, may be NULL */
	const char *canonical;   /* absolute canonical URL, may be NULL */
	const char *rss_url;     /* alternate RSS link for this page, may be NULL */
	const struct buf *jsonld; /* JSON-LD to embed in the head, may be NULL */
	int status;
	const char *nav;         /* "home", "jobs": marks the current nav link */
};

/* Write everything up to and including the opening <main> into ctx->body. */
void layout_begin(struct rctx *ctx, const struct page *pg);
/* Close <main> and write the footer and scripts. */
void layout_end(struct rctx *ctx, const struct page *pg);

#endif
