/*
 * download.h - sending a stored document as a download, for the page
 * (/documents/{id}) and the API (/api/v1/documents/{id}) alike.
 */
#ifndef BEACON_WEB_DOWNLOAD_H
#define BEACON_WEB_DOWNLOAD_H

#include "model/documents.h"
#include "web/req.h"

/*
 * Load document id and check that the visitor may read it
 * (documents_can_read). Anyone else, and a missing or deleted document, get
 * the same 404, so ids reveal nothing. Returns 1 (d filled), or 0 after
 * answering (404, or 500 on a database error).
 */
int download_load(struct rctx *ctx, int64_t id, struct document *d);

/*
 * Send d's bytes: its stored type (text as "text/plain; charset=utf-8"),
 * Content-Disposition: attachment with an ASCII filename and an RFC 6266 /
 * RFC 8187 filename* in UTF-8, Cache-Control: private, no-store (nosniff
 * is on every response). 500 when the file cannot be read.
 */
void download_send(struct rctx *ctx, const struct document *d);

#endif
