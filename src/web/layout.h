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
	/*
	 * A page that read the bell itself (notify_bell) before its content, so the
	 * live stream starts exactly after what the page shows; otherwise the
	 * header reads it.
	 */
	bool bell_read;
	int64_t bell_unread, bell_last_id;
};

/* Write everything up to and including the opening <main> into ctx->body. */
void layout_begin(struct rctx *ctx, const struct page *pg);
/* Close <main> and write the footer and scripts. */
void layout_end(struct rctx *ctx, const struct page *pg);

#endif
