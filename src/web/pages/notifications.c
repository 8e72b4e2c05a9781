/*
 * notifications.c - the notifications list (/notifications), opening one
 * (marks it read), "Mark all as read", the email settings per kind
 * (/account/notifications) and the header's bell.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "core/log.h"
#include "model/notifications.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/notifications_ui.h"
#include "web/ui.h"

#define PAGE_SIZE 20     /* notifications per page */

void
notify_bell_text(struct buf *b, int64_t unread)
{
	HTML_LIT(b, "Notifications");
	if (unread > 0) {
		HTML_LIT(b, " (");
		html_int(b, unread);
		HTML_LIT(b, "<span class=\"visually-hidden\"> unread</span>)");
	}
}

void
notify_nav_item(struct rctx *ctx, struct buf *b, const struct page *pg)
{
	if (ctx->auth.user_id == 0 || ctx->auth.mfa_pending)
		return;
	int64_t unread = pg->bell_unread, last_id = pg->bell_last_id;
	bool known = pg->bell_read;
	if (!known) {
		struct db *db = ctx->db ? ctx->db : app_db();
		known = db != NULL && notify_bell(db, ctx->auth.user_id, &unread, &last_id);
	}
	ctx->personal = true;
	/*
	 * The stream starts after the newest notification this page knew of, so
	 * one that arrives between this page and the stream's connection is not
	 * lost. Not knowing it (a database error), the stream starts from now on
	 * rather than announce old notifications as new.
	 */
	HTML_LIT(b, "<li><a href=\"/notifications\" id=\"nav-notifications\" "
	            "data-stream=\"/notifications/stream");
	if (known) {
		HTML_LIT(b, "?after=");
		html_int(b, last_id);
	}
	HTML_LIT(b, "\"");
	if (pg->nav != NULL && strcmp(pg->nav, "notifications") == 0)
		HTML_LIT(b, " aria-current=\"page\"");
	HTML_LIT(b, ">");
	notify_bell_text(b, known && unread > 0 ? unread : 0);
	HTML_LIT(b, "</a></li>");
}

void
notify_page_seen(struct rctx *ctx, const char *prefix, int64_t id)
{
	char path[128];
	snprintf(path, sizeof(path), "%s%lld", prefix, (long long)id);
	if (ctx->db != NULL && notify_mark_read_link(ctx->db, ctx->auth.user_id, path) < 0)
		log_warn("cannot mark notifications for %s read: %s", path, db_errmsg(ctx->db));
}

static const char *
kind_label(const char *kind)
{
	const struct notify_kind *k = notify_kind_find(kind);
	return k ? k->label : kind;
}

/* "2026-05-01T10:00:00Z" shown as "2026-05-01 10:00 UTC". */
static void
when(struct buf *b, const char *instant)
{
	HTML_LIT(b, "<time datetime=\"");
	html_attr(b, instant);
	HTML_LIT(b, "\">");
	if (strlen(instant) >= 16) {
		html_textn(b, instant, 10);
		HTML_LIT(b, " ");
		html_textn(b, instant + 11, 5);
		HTML_LIT(b, " UTC");
	} else {
		html_text(b, instant);
	}
	HTML_LIT(b, "</time>");
}

/* One list item; unread is said in text, not only by style. */
static void
item_html(struct buf *b, const struct notification *n)
{
	HTML_LIT(b, "<li class=\"card notification");
	if (!n->read)
		HTML_LIT(b, " unread");
	HTML_LIT(b, "\" id=\"n-");
	html_int(b, n->id);
	HTML_LIT(b, "\"><p class=\"card-title\">");
	if (!n->read)
		HTML_LIT(b, "<strong class=\"tag-unread\">Unread:</strong> ");
	HTML_LIT(b, "<a href=\"/notifications/");
	html_int(b, n->id);
	HTML_LIT(b, "\">");
	html_text(b, n->title);
	HTML_LIT(b, "</a></p><p class=\"muted\">");
	html_text(b, kind_label(n->kind));
	HTML_LIT(b, " · ");
	when(b, n->created_at);
	HTML_LIT(b, "</p></li>");
}

void
page_notifications(struct rctx *ctx)
{
	int64_t before = 0;
	if (!req_param_id(ctx, "before", &before) || !req_db(ctx))
		return;
	/*
	 * The bell first, then the list: a notification made in between is in the
	 * list and also comes through the stream (the script adds each id once),
	 * rather than in neither.
	 */
	struct page pg = {.title = "Notifications", .nav = "notifications", .bell_read = true};
	if (!notify_bell(ctx->db, ctx->auth.user_id, &pg.bell_unread, &pg.bell_last_id)) {
		resp_db_error(ctx, "notifications");
		return;
	}
	int64_t unread = pg.bell_unread;
	struct notification items[PAGE_SIZE + 1];
	int n = notify_list(ctx->db, ctx->auth.user_id, before, PAGE_SIZE + 1, items);
	if (n < 0) {
		resp_db_error(ctx, "notifications");
		return;
	}
	bool more = n > PAGE_SIZE;
	int shown = more ? PAGE_SIZE : n;
	struct buf *b = &ctx->body;
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Notifications</h1>");
	const char *done = query_get(&ctx->query, "done");
	if (done && strcmp(done, "read") == 0)
		ui_notice(b, "ok", "All notifications are marked as read.");
	HTML_LIT(b, "<p id=\"notify-summary\">");
	if (unread == 0) {
		HTML_LIT(b, "You have no unread notifications.");
	} else {
		HTML_LIT(b, "You have ");
		html_int(b, unread);
		html_text(b, unread == 1 ? " unread notification." : " unread notifications.");
	}
	HTML_LIT(b, "</p><p class=\"visually-hidden\" role=\"status\" id=\"notify-live\"></p>");
	if (unread > 0) {
		HTML_LIT(b, "<form method=\"post\" action=\"/notifications/read-all\" "
		            "class=\"inline-form\">");
		ui_csrf(b, ctx);
		HTML_LIT(b, "<button type=\"submit\">Mark all as read</button></form>");
	}
	HTML_LIT(b, "<p><a href=\"/account/notifications\">Choose which emails you get</a></p>");
	if (shown == 0 && before == 0)
		HTML_LIT(b, "<div class=\"empty\"><p>Nothing yet. When an employer answers, a stage "
		            "changes or new jobs match a saved search, you will see it here.</p></div>");
	HTML_LIT(b, "<ul class=\"results notifications\" id=\"notify-list\" aria-labelledby=\"notify-summary\">");
	for (int i = 0; i < shown; i++)
		item_html(b, &items[i]);
	HTML_LIT(b, "</ul>");
	if (before || more) {
		HTML_LIT(b, "<nav class=\"pager\" aria-label=\"Pages of notifications\">"
		            "<ul class=\"page-list\">");
		if (before)
			HTML_LIT(b, "<li><a href=\"/notifications\" rel=\"first\">Newest</a></li>");
		if (more) {
			HTML_LIT(b, "<li><a rel=\"next\" href=\"/notifications?before=");
			html_int(b, items[shown - 1].id);
			HTML_LIT(b, "\">Older notifications →</a></li>");
		}
		HTML_LIT(b, "</ul></nav>");
	}
	notify_list_free(items, n);
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* GET /notifications/{id}: mark it read and go to its page. Another user's id is 404. */
void
page_notification_open(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct db_stmt *st = db_prepare(ctx->db, "SELECT link FROM notifications WHERE id = ? AND "
	                                         "user_id = ?");
	if (st == NULL) {
		resp_db_error(ctx, "notification");
		return;
	}
	db_bind_int(st, 1, ctx->id);
	db_bind_int(st, 2, ctx->auth.user_id);
	char link[NOTIFY_LINK_MAX + 1] = "";
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		snprintf(link, sizeof(link), "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "/");
	db_finalize(st);
	if (r == DB_ERROR) {
		resp_db_error(ctx, "notification");
		return;
	}
	if (r != DB_ROW) {
		resp_error_page(ctx, 404, "There is no notification with this number for you.");
		return;
	}
	if (notify_mark_read(ctx->db, ctx->auth.user_id, ctx->id) < 0) {
		resp_db_error(ctx, "notification");
		return;
	}
	/* notify() only stores paths on this site; check again before redirecting. */
	resp_redirect(ctx, 303, link[0] == '/' && link[1] != '/' && link[1] != '\\' ? link : "/");
}

void
page_notifications_read_all(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	if (notify_mark_all_read(ctx->db, ctx->auth.user_id) < 0) {
		resp_db_error(ctx, "notifications");
		return;
	}
	resp_redirect(ctx, 303, "/notifications?done=read");
}

/* ---- email settings ---- */

static const char *const email_choices[][2] = {
    {"instant", "Email me at once"},
    {"daily", "One daily digest email"},
    {"off", "No email (still shown on Beacon)"},
    {NULL, NULL},
};

static void
prefs_render(struct rctx *ctx, const struct field_errors *fe, const char *notice, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Notification emails", .nav = "account", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Notification emails</h1>");
	if (notice)
		ui_notice(b, "ok", notice);
	ui_error_summary(b, fe);
	HTML_LIT(b, "<p>Everything always appears on your <a href=\"/notifications\">"
	            "notifications page</a>. Choose for each kind whether we also send an email.</p>"
	            "<form method=\"post\" action=\"/account/notifications\" class=\"form\">");
	ui_csrf(b, ctx);
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		const struct notify_kind *k = &notify_kinds[i];
		int cur = notify_pref_get(ctx->db, ctx->auth.user_id, k->name);
		char name[64];
		snprintf(name, sizeof(name), "email_%s", k->name);
		form_radios(b, fe, name, k->label, email_choices,
		            notify_email_name(cur < 0 ? k->dflt : (enum notify_email)cur));
	}
	HTML_LIT(b, "<button type=\"submit\">Save email choices</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, status ? status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_notification_prefs(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	if (ctx->req->method != HTTP_METHOD_POST) {
		const char *done = query_get(&ctx->query, "done");
		prefs_render(ctx, NULL, done && strcmp(done, "saved") == 0 ? "Your choices are saved."
		                                                            : NULL,
		             0);
		return;
	}
	struct field_errors fe = {0};
	int choice[NOTIFY_KINDS];
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		char name[64];
		snprintf(name, sizeof(name), "email_%s", notify_kinds[i].name);
		const char *v = query_get(&ctx->form, name);
		choice[i] = v ? notify_email_parse(v) : -1;
		if (v == NULL)
			choice[i] = -2; /* not sent: unchanged */
		else if (choice[i] < 0)
			ferr_add(&fe, notify_kinds[i].name, "Choose one of the options.");
	}
	if (fe.n > 0) {
		prefs_render(ctx, &fe, NULL, 422);
		return;
	}
	if (db_begin_write(ctx->db) != 0) {
		resp_db_error(ctx, "notification settings");
		return;
	}
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		if (choice[i] >= 0 && notify_pref_set(ctx->db, ctx->auth.user_id, notify_kinds[i].name,
		                                      (enum notify_email)choice[i]) != 0) {
			db_rollback(ctx->db);
			resp_db_error(ctx, "notification settings");
			return;
		}
	}
	if (db_commit(ctx->db) != 0) {
		db_rollback(ctx->db);
		resp_db_error(ctx, "notification settings");
		return;
	}
	resp_redirect(ctx, 303, "/account/notifications?done=saved");
}
