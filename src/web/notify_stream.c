/*
 * notify_stream.c - Server-Sent Events for notifications (see notify_stream.h).
 *
 * Events:
 *   event: count          data: {"unread": 3}
 *   event: notification   id: <id>  data: {"id", "title", "kind", "label", "link", "created_at"}
 * The id lets a reconnecting EventSource send Last-Event-ID, so nothing that
 * arrived between two connections is lost.
 */
#include "web/notify_stream.h"

#include <errno.h>
#include <kore/kore.h>
#include <kore/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/json.h"
#include "core/log.h"
#include "model/notifications.h"

#define STREAM_BATCH 20          /* most new items written per poll */
#define STREAM_IDLE_MS 60000     /* Kore drops the connection if we stop writing this long */

struct stream {
	struct connection *c; /* NULL = free slot */
	int64_t user_id;
	int64_t session_id;
	int64_t last_id;     /* newest notification id sent (or known at the start) */
	int64_t unread;      /* last count sent */
	u_int64_t opened;    /* kore_time_ms */
	u_int64_t written;   /* last write */
};

static struct stream slots[STREAM_SLOTS];
static struct kore_timer *poll_timer;

int
notify_stream_count(void)
{
	int n = 0;
	for (int i = 0; i < STREAM_SLOTS; i++)
		n += slots[i].c != NULL;
	return n;
}

/* Kore is dropping the connection (client gone, idle timer, shutdown): free the slot. */
static void
stream_gone(struct connection *c)
{
	struct stream *s = c->hdlr_extra;
	c->hdlr_extra = NULL;
	c->disconnect = NULL;
	if (s != NULL)
		s->c = NULL;
}

/* Write text as one HTTP chunk. False when the connection failed (it is then dropped). */
static bool
stream_write(struct stream *s, const char *text, size_t len)
{
	struct connection *c = s->c;
	char head[24];
	int n = snprintf(head, sizeof(head), "%zx\r\n", len);
	net_send_queue(c, head, (size_t)n);
	net_send_queue(c, text, len);
	net_send_queue(c, "\r\n", 2);
	s->written = kore_time_ms();
	kore_connection_start_idletimer(c);
	if (net_send_flush(c) != KORE_RESULT_OK) {
		kore_connection_disconnect(c);
		return false;
	}
	return true;
}

/* End the stream politely: the last chunk, then close once it is sent. */
static void
stream_end(struct stream *s)
{
	struct connection *c = s->c;
	s->c = NULL;
	c->hdlr_extra = NULL;
	c->disconnect = NULL;
	c->flags &= ~CONN_IS_BUSY;
	c->flags |= CONN_CLOSE_EMPTY;
	net_send_queue(c, "0\r\n\r\n", 5);
	if (net_send_flush(c) != KORE_RESULT_OK)
		kore_connection_disconnect(c);
}

static void
count_event(struct buf *b, int64_t unread)
{
	buf_printf(b, "event: count\ndata: {\"unread\":%lld}\n\n", (long long)unread);
}

static void
item_event(struct buf *b, const struct notification *n)
{
	const struct notify_kind *k = notify_kind_find(n->kind);
	char link[48];
	snprintf(link, sizeof(link), "/notifications/%lld", (long long)n->id);
	buf_printf(b, "event: notification\nid: %lld\ndata: ", (long long)n->id);
	struct json_writer w;
	jw_init(&w, b);
	jw_obj_begin(&w);
	jw_kv_int(&w, "id", n->id);
	jw_kv_str(&w, "title", n->title);
	jw_kv_str(&w, "kind", n->kind);
	jw_kv_str(&w, "label", k ? k->label : n->kind);
	jw_kv_str(&w, "link", link);
	jw_kv_str(&w, "created_at", n->created_at);
	jw_obj_end(&w);
	buf_puts(b, "\n\n");
}

/*
 * The session still live, the newest id and the unread count, in one
 * statement. 1 live, 0 session ended, -1 database error.
 */
static int
poll_state(struct db *db, const struct stream *s, int64_t *max_id, int64_t *unread)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db, "SELECT (SELECT COUNT(*) FROM sessions WHERE id = ? AND user_id = ? AND "
	        "revoked_at IS NULL AND expires_at > ?), "
	        "(SELECT COALESCE(MAX(id), 0) FROM notifications WHERE user_id = ?), "
	        "(SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, s->session_id);
	db_bind_int(st, 2, s->user_id);
	db_bind_text(st, 3, now);
	db_bind_int(st, 4, s->user_id);
	db_bind_int(st, 5, s->user_id);
	int r = -1;
	if (db_step(st) == DB_ROW) {
		r = db_col_int(st, 0) > 0 ? 1 : 0;
		*max_id = db_col_int(st, 1);
		*unread = db_col_int(st, 2);
	}
	db_finalize(st);
	return r;
}

/* One stream's poll: end it, or write what changed, or a keep-alive comment. */
static void
stream_poll(struct db *db, struct stream *s, u_int64_t now)
{
	if (now - s->opened >= STREAM_MAX_MS) {
		stream_end(s);
		return;
	}
	/* A client that does not read: write nothing more; the idle timer drops it. */
	if (!TAILQ_EMPTY(&s->c->send_queue))
		return;
	int64_t max_id = 0, unread = 0;
	int live = poll_state(db, s, &max_id, &unread);
	if (live == 0) {
		stream_end(s);
		return;
	}
	struct buf b = {0};
	if (live > 0 && max_id > s->last_id) {
		struct notification items[STREAM_BATCH];
		int n = notify_list_after(db, s->user_id, s->last_id, STREAM_BATCH, items);
		for (int i = 0; i < n; i++) {
			item_event(&b, &items[i]);
			s->last_id = items[i].id;
		}
		if (n > 0)
			notify_list_free(items, n);
	}
	if (live > 0 && unread != s->unread) {
		count_event(&b, unread);
		s->unread = unread;
	}
	if (b.len == 0 && now - s->written >= STREAM_PING_MS)
		buf_puts(&b, ": ping\n\n");
	if (b.len > 0)
		stream_write(s, b.data, b.len);
	buf_free(&b);
}

static void
stream_tick(void *arg, u_int64_t now)
{
	(void)arg;
	struct db *db = NULL;
	for (int i = 0; i < STREAM_SLOTS; i++) {
		if (slots[i].c == NULL)
			continue;
		if (db == NULL && (db = app_db()) == NULL)
			return;
		stream_poll(db, &slots[i], now);
	}
}

/*
 * Where a stream starts: after the newest id the client has. A reconnecting
 * EventSource sends it as Last-Event-ID; a page's first connection carries
 * ?after= with the newest id that page was rendered with. Without either (or
 * with a value that is not an id up to max_id) it starts at max_id: only what
 * arrives from now on. Ids are shared by all users, so the gap is counted in
 * the user's own notifications: only a short one (STREAM_BATCH) is caught up;
 * the list page has the rest.
 */
static int64_t
resume_point(struct rctx *ctx, int64_t max_id)
{
	const char *v = req_header(ctx, "last-event-id");
	if (v == NULL)
		v = query_get(&ctx->query, "after");
	if (v == NULL || v[0] < '0' || v[0] > '9')
		return max_id;
	char *end = NULL;
	errno = 0;
	long long id = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || id < 0 || id >= max_id)
		return max_id;
	int64_t missed = notify_count_after(ctx->db, ctx->auth.user_id, id, STREAM_BATCH + 1);
	return missed < 0 || missed > STREAM_BATCH ? max_id : id;
}

void
page_notifications_stream(struct rctx *ctx)
{
	struct http_request *req = ctx->req;
	struct connection *c = req->owner;
	if (ctx->auth.session_id == 0 || (req->flags & HTTP_VERSION_1_0)) {
		resp_error(ctx, 400, "bad_request", "Not available",
		           "The live stream needs a signed-in browser over HTTP/1.1.", NULL);
		return;
	}
	/* EventSource always asks for this; anything else would wait on a stream it cannot read. */
	const char *accept = req_header(ctx, "accept");
	if (accept == NULL || strstr(accept, "text/event-stream") == NULL) {
		resp_error(ctx, 406, "not_acceptable", "Event stream only",
		           "This address sends Server-Sent Events: ask for text/event-stream.", NULL);
		return;
	}
	/*
	 * A client that went away while its request waited: Kore has already run the
	 * disconnect hooks and will free c->hdlr_extra itself when it removes the
	 * connection, so a stream must never be attached to it (a slot is not
	 * Kore-allocated memory: "bad memsize magic").
	 */
	if (c->state == CONN_STATE_DISCONNECTING) {
		resp_send(ctx, 204, NULL, CACHE_NONE);
		return;
	}
	struct stream *s = NULL;
	for (int i = 0; i < STREAM_SLOTS && s == NULL; i++)
		if (slots[i].c == NULL)
			s = &slots[i];
	if (s == NULL) {
		/* EventSource gives up on a 503: the page keeps working without live updates. */
		http_response_header(req, "retry-after", "60");
		resp_error(ctx, 503, "stream_busy", "Too many live pages",
		           "Live updates are busy right now; reload the page later.", NULL);
		return;
	}
	if (!req_db(ctx))
		return;
	struct stream tmp = {.user_id = ctx->auth.user_id, .session_id = ctx->auth.session_id};
	int64_t max_id = 0, unread = 0;
	if (poll_state(ctx->db, &tmp, &max_id, &unread) < 0) {
		resp_db_error(ctx, "notification stream");
		return;
	}
	if (poll_timer == NULL)
		poll_timer = kore_timer_add(stream_tick, STREAM_POLL_MS, NULL, 0);

	*s = tmp;
	s->c = c;
	s->unread = unread;
	s->opened = s->written = kore_time_ms();
	s->last_id = resume_point(ctx, max_id);
	/*
	 * What Kore's own streamed responses do: a busy connection reads no next
	 * request, and the disconnect hook tells us when it goes away.
	 */
	c->hdlr_extra = s;
	c->disconnect = stream_gone;
	c->flags |= CONN_IS_BUSY;
	c->idle_timer.length = STREAM_IDLE_MS;
	req->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
	ctx->personal = true;
	http_response_header(req, "transfer-encoding", "chunked");
	http_response_header(req, "x-accel-buffering", "no");
	buf_reset(&ctx->body);
	resp_send(ctx, 200, "text/event-stream; charset=utf-8", CACHE_NONE);

	struct buf b = {0};
	buf_printf(&b, "retry: %d\n\n", STREAM_RETRY_MS);
	count_event(&b, unread);
	stream_write(s, b.data, b.len);
	buf_free(&b);
	/* Items missed since the resume point go out at once rather than in two seconds. */
	if (s->c != NULL && s->last_id < max_id)
		stream_poll(ctx->db, s, kore_time_ms());
}
