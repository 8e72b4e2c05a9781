/*
 * notify_stream.h - GET /notifications/stream: Server-Sent Events that push
 * the unread count and new notifications to open pages.
 *
 * Kore runs handlers synchronously, so a stream is not a handler that waits:
 * the handler sends the headers (chunked, no length), marks the connection
 * busy so Kore reads no next request from it, and leaves it in a slot of
 * this worker's table. One timer per worker polls the database for every
 * open slot every STREAM_POLL_MS and writes events as chunks. A stream ends
 * after STREAM_MAX_MS (EventSource reconnects and the request is checked
 * again from scratch), when its session ends, or when a write fails.
 * docs/architecture.md ("Live notifications") explains the choice.
 */
#ifndef BEACON_WEB_NOTIFY_STREAM_H
#define BEACON_WEB_NOTIFY_STREAM_H

#include "web/req.h"

#define STREAM_SLOTS 64            /* open streams per worker; more get 503 */
#define STREAM_POLL_MS 2000        /* how often each stream looks for news */
#define STREAM_PING_MS 15000       /* a comment line this often finds dead clients */
#define STREAM_MAX_MS (5 * 60000)  /* a stream ends after this; the browser reconnects */
#define STREAM_RETRY_MS 3000       /* the reconnection delay sent to EventSource */

/* The handler (route table: signed-in users, GET only). */
void page_notifications_stream(struct rctx *ctx);

/* Open streams in this worker (tests, metrics). */
int notify_stream_count(void);

#endif
