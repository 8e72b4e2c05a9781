/*
 * notifications_ui.h - the header's notifications link ("the bell"), shared
 * by the layout and the notifications pages.
 */
#ifndef BEACON_WEB_PAGES_NOTIFICATIONS_UI_H
#define BEACON_WEB_PAGES_NOTIFICATIONS_UI_H

#include "core/buf.h"
#include "web/layout.h"
#include "web/req.h"

/*
 * The <li> with the link to /notifications for the signed-in visitor:
 * "Notifications (3)" with the unread count in text, id "nav-notifications"
 * so beacon.js can update it from the live stream. Writes nothing for
 * anonymous visitors.
 */
void notify_nav_item(struct rctx *ctx, struct buf *b, const struct page *pg);

/* The link's text for n unread: "Notifications" or "Notifications (n)". */
void notify_bell_text(struct buf *b, int64_t unread);

/*
 * The visitor opened the page prefix + id (e.g. "/applications/", 12): their
 * notifications pointing to it count as read, before the bell is drawn. A
 * database error is logged and the page still shows.
 */
void notify_page_seen(struct rctx *ctx, const char *prefix, int64_t id);

#endif
