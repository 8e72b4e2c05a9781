/*
 * static.h - static assets (CSS, scripts), loaded into memory when a worker
 * starts, with a content hash for long-lived caching and a gzip copy.
 */
#ifndef BEACON_WEB_STATIC_H
#define BEACON_WEB_STATIC_H

#include "web/req.h"

/* Load the known assets from dir. Returns 0, or -1 with the failing file logged. */
int static_load(const char *dir);
/* "/static/NAME?v=HASH" for a known asset (NAME relative to the static dir). */
const char *static_url(const char *name);
/* Serve the asset named by ctx->tail (under prefix "" or "vendor/"), or 404. */
void static_serve(struct rctx *ctx, const char *prefix);

#endif
