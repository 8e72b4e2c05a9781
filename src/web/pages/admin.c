/*
 * admin.c - the admin area: the user list (search, filters, pages), one
 * user's details with role and status changes, and the audit log with its
 * chain status. Admin only (route table); changes need a recent password
 * (auth_recent) and follow the rules in model/useradmin.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "model/audit.h"
#include "model/useradmin.h"
#include "model/tasks.h"
#include "model/users.h"
#include "web/admin_query.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/ui.h"

static const char *const role_options[][2] = {
    {"job_seeker", "Job seeker"},
    {"entrepreneur", "Entrepreneur"},
    {"employer", "Employer"},
    {"recruiter", "Recruiter"},
    {"counselor", "VR counselor"},
    {"admin", "Admin"},
    {NULL, NULL},
};

static const char *const role_filter_options[][2] = {
    {"", "Any role"},
    {"job_seeker", "Job seeker"},
    {"entrepreneur", "Entrepreneur"},
    {"employer", "Employer"},
    {"recruiter", "Recruiter"},
    {"counselor", "VR counselor"},
    {"admin", "Admin"},
    {NULL, NULL},
};

static const char *const status_filter_options[][2] = {
    {"", "Any status"},
    {"active", "Active"},
    {"disabled", "Disabled"},
    {NULL, NULL},
};

/* The links between the admin pages; current is "users" or "audit". */
static void
subnav(struct buf *b, const char *current, bool exact)
{
	HTML_LIT(b, "<nav class=\"subnav\" aria-label=\"Admin sections\"><ul><li><a "
	            "href=\"/admin/users\"");
	if (strcmp(current, "users") == 0) {
		if (exact)
			HTML_LIT(b, " aria-current=\"page\"");
		else
			HTML_LIT(b, " aria-current=\"true\"");
	}
	HTML_LIT(b, ">Users</a></li><li><a href=\"/admin/audit\"");
	if (strcmp(current, "audit") == 0)
		HTML_LIT(b, " aria-current=\"page\"");
	HTML_LIT(b, ">Audit log</a></li><li><a href=\"/admin/queue\"");
	if (strcmp(current, "queue") == 0)
		HTML_LIT(b, " aria-current=\"page\"");
	HTML_LIT(b, ">Background work</a></li></ul></nav>");
}

/* "2025-03-01T10:22:05Z" as <time> reading "2025-03-01 10:22 UTC". */
static void
instant_html(struct buf *b, const char *at)
{
	if (at == NULL || strlen(at) < 16) {
		html_text(b, at);
		return;
	}
	HTML_LIT(b, "<time datetime=\"");
	html_attr(b, at);
	HTML_LIT(b, "\">");
	html_textn(b, at, 10);
	HTML_LIT(b, " ");
	html_textn(b, at + 11, 5);
	HTML_LIT(b, " UTC</time>");
}

/* "?name=value" for the first non-empty value, "&amp;name=value" after it; URL-encoded. */
static void
qs_param(struct buf *b, bool *first, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	if (*first)
		HTML_LIT(b, "?");
	else
		HTML_LIT(b, "&amp;");
	*first = false;
	html_attr(b, name);
	HTML_LIT(b, "=");
	html_urlenc(b, value);
}

/* ---- /admin/users ---------------------------------------------------------------------- */

struct list_rows {
	struct buf rows;
	int n;
};

static void
list_row(const struct user *u, void *arg)
{
	struct list_rows *lr = arg;
	struct buf *b = &lr->rows;
	lr->n++;
	HTML_LIT(b, "<tr><th scope=\"row\"><a href=\"/admin/users/");
	html_int(b, u->id);
	HTML_LIT(b, "\">");
	html_text(b, u->display_name);
	HTML_LIT(b, "</a></th><td>");
	html_text(b, u->email);
	HTML_LIT(b, "</td><td>");
	html_text(b, role_label(u->role));
	HTML_LIT(b, "</td><td>");
	html_text(b, u->disabled ? "Disabled" : "Active");
	HTML_LIT(b, "</td><td>");
	html_text(b, u->totp_enabled ? "On" : "Off");
	HTML_LIT(b, "</td><td>");
	instant_html(b, u->created_at);
	HTML_LIT(b, "</td></tr>");
}

/*
 * A pager item up to the open href: "<li><a rel=... href=\"path" (rel may be
 * NULL; current marks the page shown instead). The caller adds the query
 * and ends it with pager_link_end.
 */
static void
pager_link_begin(struct buf *b, const char *path, const char *rel, bool current)
{
	if (current) {
		HTML_LIT(b, "<li><a aria-current=\"page\" href=\"");
	} else {
		HTML_LIT(b, "<li><a");
		if (rel) {
			HTML_LIT(b, " rel=\"");
			html_attr(b, rel);
			HTML_LIT(b, "\"");
		}
		HTML_LIT(b, " href=\"");
	}
	html_attr(b, path);
}

static void
pager_link_end(struct buf *b, const char *label)
{
	HTML_LIT(b, "\">");
	html_text(b, label);
	HTML_LIT(b, "</a></li>");
}

/* A link to page `page` of the same search. */
static void
users_page_link(struct buf *b, const struct admin_users_query *uq, int page, const char *rel,
                const char *label, bool current)
{
	pager_link_begin(b, "/admin/users", rel, current);
	bool first = true;
	qs_param(b, &first, "q", uq->q);
	qs_param(b, &first, "role", uq->role_text);
	qs_param(b, &first, "status", uq->status_text);
	char num[16];
	snprintf(num, sizeof(num), "%d", page);
	qs_param(b, &first, "page", num);
	pager_link_end(b, label);
}

/* Previous, a window of page numbers around the current one with the first and last, next. */
static void
users_pager(struct buf *b, const struct admin_users_query *uq, int pages)
{
	if (pages <= 1)
		return;
	HTML_LIT(b, "<nav class=\"pager\" aria-label=\"Pages of users\"><ul class=\"page-list\">");
	char label[40];
	if (uq->page > 1)
		users_page_link(b, uq, uq->page - 1, "prev", "← Previous", false);
	int from = uq->page - 2 < 1 ? 1 : uq->page - 2;
	int to = uq->page + 2 > pages ? pages : uq->page + 2;
	if (from > 1) {
		users_page_link(b, uq, 1, NULL, "1", false);
		if (from > 2)
			HTML_LIT(b, "<li aria-hidden=\"true\">…</li>");
	}
	for (int p = from; p <= to; p++) {
		snprintf(label, sizeof(label), "%d", p);
		users_page_link(b, uq, p, NULL, label, p == uq->page);
	}
	if (to < pages) {
		if (to < pages - 1)
			HTML_LIT(b, "<li aria-hidden=\"true\">…</li>");
		snprintf(label, sizeof(label), "%d", pages);
		users_page_link(b, uq, pages, NULL, label, false);
	}
	if (uq->page < pages)
		users_page_link(b, uq, uq->page + 1, "next", "Next →", false);
	HTML_LIT(b, "</ul></nav>");
}

static void
users_filter_form(struct buf *b, const struct admin_users_query *uq)
{
	HTML_LIT(b, "<form method=\"get\" action=\"/admin/users\" class=\"filter-form\" "
	            "role=\"search\" aria-label=\"Find users\">");
	ui_input(b, NULL, "q", "Email or name contains",
	         &(struct field_opts){.type = "search", .value = uq->q, .maxlength = ADMIN_Q_MAX});
	ui_select(b, NULL, "role", "Role", role_filter_options, uq->role_text, NULL);
	ui_select(b, NULL, "status", "Status", status_filter_options, uq->status_text, NULL);
	HTML_LIT(b, "<button type=\"submit\">Search</button></form>");
}

void
page_admin(struct rctx *ctx)
{
	resp_redirect(ctx, 303, "/admin/users");
}

void
page_admin_users(struct rctx *ctx)
{
	struct admin_users_query uq;
	if (!admin_users_query(ctx, &uq, false) || !req_db(ctx))
		return;
	struct list_rows lr = {0};
	int64_t total = 0;
	if (users_list(ctx->db, &uq.f, uq.page, uq.per_page, list_row, &lr, &total) != 0) {
		buf_free(&lr.rows);
		resp_db_error(ctx, "user list");
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Users", .nav = "admin"};
	layout_begin(ctx, &pg);
	subnav(b, "users", true);
	HTML_LIT(b, "<h1>Users</h1>");
	users_filter_form(b, &uq);
	bool filtered = uq.f.q || uq.f.role || uq.f.disabled >= 0;
	int pages = (int)((total + uq.per_page - 1) / uq.per_page);
	if (total == 0) {
		HTML_LIT(b, "<div class=\"empty\"><p>");
		if (filtered)
			HTML_LIT(b, "No users match this search. <a href=\"/admin/users\">Show all "
			            "users</a>.");
		else
			HTML_LIT(b, "There are no users yet.");
		HTML_LIT(b, "</p></div>");
	} else if (lr.n == 0) {
		/* A stale link or a hand-typed page number: offer the way back. */
		HTML_LIT(
		    b, "<div class=\"empty\"><p>This page is past the last page of users.</p><ul>");
		users_page_link(b, &uq, pages, "last", "Go to the last page", false);
		HTML_LIT(b, "</ul></div>");
	} else {
		int64_t first = (int64_t)(uq.page - 1) * uq.per_page + 1;
		HTML_LIT(b, "<p class=\"status\" id=\"users-count\">Showing ");
		html_int(b, first);
		HTML_LIT(b, "–");
		html_int(b, first + lr.n - 1);
		HTML_LIT(b, " of ");
		html_int(b, total);
		html_text(b, total == 1 ? " user" : " users");
		HTML_LIT(b, "</p>");
		HTML_LIT(
		    b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"users-count\" "
		       "tabindex=\"0\"><table class=\"data\"><thead><tr><th scope=\"col\">Name</th>"
		       "<th scope=\"col\">Email address</th><th scope=\"col\">Role</th>"
		       "<th scope=\"col\">Status</th><th scope=\"col\">Two-factor</th>"
		       "<th scope=\"col\">Joined</th></tr></thead><tbody>");
		buf_append(b, lr.rows.data, lr.rows.len);
		HTML_LIT(b, "</tbody></table></div>");
		users_pager(b, &uq, pages);
	}
	buf_free(&lr.rows);
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* ---- /admin/users/{id} ----------------------------------------------------------------- */

struct user_view {
	const char *notice;
	const struct field_errors *fe; /* "role" or "status" */
	const char *role_value;        /* the role to preselect (the form's, after an error) */
	int status;
};

static void
user_render(struct rctx *ctx, const struct user *u, const struct user_view *v)
{
	struct buf *b = &ctx->body;
	int status = v->status ? v->status : 200;
	struct page pg = {.title = u->display_name, .nav = "admin", .status = status};
	bool self = u->id == ctx->auth.user_id;
	layout_begin(ctx, &pg);
	subnav(b, "users", false);
	HTML_LIT(b, "<p class=\"back\"><a href=\"/admin/users\">← All users</a></p><h1>");
	html_text(b, u->display_name);
	HTML_LIT(b, "</h1>");
	if (v->notice)
		ui_notice(b, "ok", v->notice);
	ui_error_summary(b, v->fe);
	HTML_LIT(b, "<section aria-labelledby=\"h-details\"><h2 id=\"h-details\">Details</h2>"
	            "<dl class=\"details\"><dt>Email address</dt><dd>");
	html_text(b, u->email);
	HTML_LIT(b, "</dd><dt>Email confirmed</dt><dd>");
	html_text(b, u->email_verified ? "Yes" : "No");
	HTML_LIT(b, "</dd><dt>Role</dt><dd>");
	html_text(b, role_label(u->role));
	HTML_LIT(b, "</dd><dt>Status</dt><dd>");
	html_text(b, u->disabled ? "Disabled: cannot sign in" : "Active");
	HTML_LIT(b, "</dd><dt>Two-factor sign-in</dt><dd>");
	html_text(b, u->totp_enabled ? "On" : "Off");
	HTML_LIT(b, "</dd><dt>Joined</dt><dd>");
	instant_html(b, u->created_at);
	HTML_LIT(b, "</dd><dt>User id</dt><dd>");
	html_int(b, u->id);
	HTML_LIT(b, "</dd></dl><p><a href=\"/admin/audit?actor=");
	html_int(b, u->id);
	HTML_LIT(b, "\">What this user did (audit log)</a></p></section>");

	if (self) {
		HTML_LIT(b,
		         "<section aria-labelledby=\"h-self\"><h2 id=\"h-self\">This is your "
		         "account</h2><p>You cannot change your own role or disable yourself. Ask "
		         "another admin.</p></section>");
	} else {
		char action[64];
		snprintf(action, sizeof(action), "/admin/users/%lld/role", (long long)u->id);
		HTML_LIT(b, "<section aria-labelledby=\"h-role\"><h2 id=\"h-role\">Change role</h2>"
		            "<form method=\"post\" action=\"");
		html_attr(b, action);
		HTML_LIT(b, "\" class=\"form\">");
		ui_csrf(b, ctx);
		ui_select(
		    b, v->fe, "role", "New role", role_options,
		    v->role_value ? v->role_value : role_name(u->role),
		    "They are signed out everywhere, so the new role applies at once. You will "
		    "be asked for your password if you have not given it in the last 10 "
		    "minutes.");
		HTML_LIT(b, "<button type=\"submit\">Change role</button></form></section>"
		            "<section aria-labelledby=\"h-status\"><h2 id=\"h-status\">");
		html_text(b, u->disabled ? "Enable account" : "Disable account");
		HTML_LIT(b, "</h2>");
		const char *err = ferr_get(v->fe, "status");
		HTML_LIT(b, "<p id=\"h-status-hint\">");
		html_text(b, u->disabled ? "They can sign in again with their password."
		                         : "They can no longer sign in, and every sign-in and app "
		                           "token they have ends now.");
		HTML_LIT(b, "</p>");
		if (err) {
			HTML_LIT(b, "<p class=\"error-text\" id=\"e-status\"><span "
			            "class=\"visually-hidden\">Error: </span>");
			html_text(b, err);
			HTML_LIT(b, "</p>");
		}
		snprintf(action, sizeof(action), "/admin/users/%lld/status", (long long)u->id);
		HTML_LIT(b, "<form method=\"post\" action=\"");
		html_attr(b, action);
		HTML_LIT(b, "\" class=\"inline-form\">");
		ui_csrf(b, ctx);
		if (u->disabled)
			HTML_LIT(b,
			         "<input type=\"hidden\" name=\"status\" value=\"active\"><button "
			         "type=\"submit\" id=\"f-status\"");
		else
			HTML_LIT(
			    b, "<input type=\"hidden\" name=\"status\" value=\"disabled\"><button "
			       "type=\"submit\" id=\"f-status\"");
		HTML_LIT(b, " aria-describedby=\"h-status-hint");
		if (err)
			HTML_LIT(b, " e-status");
		HTML_LIT(b, "\">");
		html_text(b, u->disabled ? "Enable account" : "Disable account");
		HTML_LIT(b, "</button></form></section>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

static const char *
done_notice(const char *done)
{
	if (done == NULL)
		return NULL;
	if (strcmp(done, "role") == 0)
		return "Role changed. Their sign-ins were ended, so the new role applies at once.";
	if (strcmp(done, "disabled") == 0)
		return "Account disabled. Every sign-in and app token of this account was ended.";
	if (strcmp(done, "enabled") == 0)
		return "Account enabled. They can sign in again.";
	if (strcmp(done, "same") == 0)
		return "Nothing changed: the account already had that setting.";
	return NULL;
}

/* The user of the {id} segment, or answers 404 (or 500) and returns false. */
static bool
load_target(struct rctx *ctx, struct user *u)
{
	if (!req_db(ctx))
		return false;
	int found = users_get(ctx->db, ctx->id, u);
	if (found < 0)
		resp_db_error(ctx, "user");
	else if (found == 0)
		resp_error(ctx, 404, "not_found", "Not found", "There is no user with this id.",
		           NULL);
	return found == 1;
}

/*
 * After "confirm your password", the browser comes back to the address it
 * posted to with a GET: send it on to the user's page.
 */
static bool
get_to_user_page(struct rctx *ctx)
{
	if (ctx->req->method == HTTP_METHOD_POST)
		return false;
	char where[48];
	snprintf(where, sizeof(where), "/admin/users/%lld", (long long)ctx->id);
	resp_redirect(ctx, 303, where);
	return true;
}

/*
 * Apply c to user u and answer: back to the user's page with a notice, or
 * the page again with the refusal tied to field ("role" or "status").
 */
static void
user_change(struct rctx *ctx, const struct user *u, const struct useradmin_change *c,
            const char *field, const char *done)
{
	struct field_errors fe = {0};
	const char *role_text = query_get(&ctx->form, "role");
	bool changed = false;
	char where[64];
	switch (useradmin_apply(ctx->db, ctx->auth.user_id, ctx->ip, u->id, c, &changed, NULL)) {
	case USERADMIN_OK:
		snprintf(where, sizeof(where), "/admin/users/%lld?done=%s", (long long)u->id,
		         changed ? done : "same");
		resp_redirect(ctx, 303, where);
		return;
	case USERADMIN_NOT_FOUND:
		resp_error(ctx, 404, "not_found", "Not found", "There is no user with this id.",
		           NULL);
		return;
	case USERADMIN_SELF:
		ferr_add(&fe, field,
		         c->disabled == 1 ? "You cannot disable your own account."
		                          : "You cannot take away your own admin role.");
		break;
	case USERADMIN_LAST_ADMIN:
		ferr_add(&fe, field,
		         "This is the last active admin. Make another account an admin "
		         "first, so someone can still run Beacon.");
		break;
	default:
		resp_db_error(ctx, "user change");
		return;
	}
	user_render(ctx, u, &(struct user_view){.fe = &fe, .role_value = role_text, .status = 409});
}

void
page_admin_user_role(struct rctx *ctx)
{
	if (get_to_user_page(ctx) || !auth_recent(ctx))
		return;
	struct user u;
	if (!load_target(ctx, &u))
		return;
	struct useradmin_change c = {.role = role_parse(query_get(&ctx->form, "role")),
	                             .disabled = -1};
	if (c.role == 0) {
		struct field_errors fe = {0};
		ferr_add(&fe, "role", "Choose one of the roles in the list.");
		user_render(ctx, &u, &(struct user_view){.fe = &fe, .status = 422});
	} else {
		user_change(ctx, &u, &c, "role", "role");
	}
	user_free(&u);
}

void
page_admin_user_status(struct rctx *ctx)
{
	if (get_to_user_page(ctx) || !auth_recent(ctx))
		return;
	const char *status = query_get(&ctx->form, "status");
	struct useradmin_change c = {.role = 0, .disabled = -1};
	if (status && strcmp(status, "disabled") == 0)
		c.disabled = 1;
	else if (status && strcmp(status, "active") == 0)
		c.disabled = 0;
	else {
		resp_error(ctx, 400, "invalid_parameter", "Invalid form",
		           "The status must be active or disabled.", "status");
		return;
	}
	struct user u;
	if (!load_target(ctx, &u))
		return;
	user_change(ctx, &u, &c, "status", c.disabled ? "disabled" : "enabled");
	user_free(&u);
}

void
page_admin_user(struct rctx *ctx)
{
	struct user u;
	if (!load_target(ctx, &u))
		return;
	user_render(ctx, &u,
	            &(struct user_view){.notice = done_notice(query_get(&ctx->query, "done"))});
	user_free(&u);
}

/* ---- /admin/audit ---------------------------------------------------------------------- */

/* Actor emails already looked up for this page (a page shows a few distinct actors). */
struct actor_cache {
	int64_t id[ADMIN_AUDIT_PER_PAGE];
	char *email[ADMIN_AUDIT_PER_PAGE];
	int n;
};

struct audit_rows {
	struct rctx *ctx;
	struct buf rows;
	struct actor_cache actors;
	int limit; /* rows to show; one more is asked for to learn whether older ones exist */
	int n;
	bool more;
	int64_t last_id;
};

static const char *
actor_email(struct audit_rows *ar, int64_t id)
{
	struct actor_cache *c = &ar->actors;
	for (int i = 0; i < c->n; i++)
		if (c->id[i] == id)
			return c->email[i];
	struct user u;
	char *email = NULL;
	if (users_get(ar->ctx->db, id, &u) == 1) {
		email = u.email;
		u.email = NULL;
		user_free(&u);
	}
	if (c->n < ADMIN_AUDIT_PER_PAGE) {
		c->id[c->n] = id;
		c->email[c->n++] = email;
	}
	return email;
}

static void
actor_cache_free(struct actor_cache *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->email[i]);
}

static int
audit_row(const struct audit_record *rec, void *arg)
{
	struct audit_rows *ar = arg;
	struct buf *b = &ar->rows;
	if (ar->n == ar->limit) {
		ar->more = true;
		return 1;
	}
	ar->n++;
	ar->last_id = rec->id;
	HTML_LIT(b, "<tr><td>");
	instant_html(b, rec->at);
	HTML_LIT(b, "</td><td><code>");
	html_text(b, rec->event);
	HTML_LIT(b, "</code></td><td>");
	if (rec->actor_id != 0) {
		const char *email = actor_email(ar, rec->actor_id);
		HTML_LIT(b, "<a href=\"/admin/users/");
		html_int(b, rec->actor_id);
		HTML_LIT(b, "\">");
		if (email)
			html_text(b, email);
		else {
			HTML_LIT(b, "user ");
			html_int(b, rec->actor_id);
		}
		HTML_LIT(b, "</a>");
	} else {
		HTML_LIT(b, "<span class=\"muted\">none</span>");
	}
	HTML_LIT(b, "</td><td>");
	html_text(b, rec->actor_ip);
	HTML_LIT(b, "</td><td>");
	if (rec->target_type && rec->target_id && strcmp(rec->target_type, "user") == 0) {
		HTML_LIT(b, "<a href=\"/admin/users/");
		html_urlenc(b, rec->target_id);
		HTML_LIT(b, "\">user ");
		html_text(b, rec->target_id);
		HTML_LIT(b, "</a>");
	} else if (rec->target_type) {
		html_text(b, rec->target_type);
		HTML_LIT(b, " ");
		html_text(b, rec->target_id);
	}
	HTML_LIT(b, "</td><td>");
	if (rec->detail && rec->detail[0]) {
		HTML_LIT(b, "<code>");
		html_text(b, rec->detail);
		HTML_LIT(b, "</code>");
	}
	HTML_LIT(b, "</td></tr>");
	return 0;
}

static void
audit_filter_form(struct buf *b, const struct admin_audit_query *aq)
{
	HTML_LIT(b, "<form method=\"get\" action=\"/admin/audit\" class=\"filter-form\" "
	            "role=\"search\" aria-label=\"Filter the audit log\">");
	ui_input(b, NULL, "event", "Event starts with",
	         &(struct field_opts){.value = aq->event_text,
	                              .maxlength = ADMIN_EVENT_MAX,
	                              .hint = "For example admin. or auth.signin"});
	ui_input(
	    b, NULL, "actor", "Actor (user id)",
	    &(struct field_opts){.value = aq->actor_text, .inputmode = "numeric", .maxlength = 18});
	ui_input(b, NULL, "since", "From (date)",
	         &(struct field_opts){.type = "date", .value = aq->since_text});
	ui_input(b, NULL, "until", "Up to and including (date)",
	         &(struct field_opts){.type = "date", .value = aq->until_text});
	HTML_LIT(b, "<button type=\"submit\">Filter</button></form>");
}

/* The audit page link with the same filters; before = 0 for the newest. */
static void
audit_link(struct buf *b, const struct admin_audit_query *aq, int64_t before, const char *rel,
           const char *label)
{
	pager_link_begin(b, "/admin/audit", rel, false);
	bool first = true;
	qs_param(b, &first, "event", aq->event_text);
	qs_param(b, &first, "actor", aq->actor_text);
	qs_param(b, &first, "since", aq->since_text);
	qs_param(b, &first, "until", aq->until_text);
	if (before > 0) {
		char num[24];
		snprintf(num, sizeof(num), "%lld", (long long)before);
		qs_param(b, &first, "before", num);
	}
	pager_link_end(b, label);
}

static void
chain_status(struct buf *b, struct db *db)
{
	int64_t bad = 0, count = 0;
	int rc = audit_verify(db, &bad, &count);
	HTML_LIT(b, "<p class=\"chain\" id=\"chain\">");
	if (rc == 0) {
		HTML_LIT(b, "<strong>Chain intact:</strong> all ");
		html_int(b, count);
		HTML_LIT(b, " records check out.");
	} else if (rc > 0) {
		HTML_LIT(b, "<strong>Chain broken at record ");
		html_int(b, bad);
		HTML_LIT(b, ":</strong> this record or one before it was changed or removed. The ");
		html_int(b, count);
		HTML_LIT(b, " records before it check out.");
	} else {
		HTML_LIT(b, "<strong>Chain not checked:</strong> the database did not answer.");
	}
	HTML_LIT(b, "</p>");
}

void
page_admin_audit(struct rctx *ctx)
{
	struct admin_audit_query aq;
	if (!admin_audit_query(ctx, &aq, false) || !req_db(ctx))
		return;
	struct audit_rows ar = {.ctx = ctx, .limit = aq.limit};
	if (audit_list(ctx->db, &aq.f, aq.limit + 1, aq.before, audit_row, &ar) < 0) {
		buf_free(&ar.rows);
		actor_cache_free(&ar.actors);
		resp_db_error(ctx, "audit list");
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Audit log", .nav = "admin"};
	layout_begin(ctx, &pg);
	subnav(b, "audit", true);
	HTML_LIT(b, "<h1>Audit log</h1>");
	chain_status(b, ctx->db);
	audit_filter_form(b, &aq);
	if (ar.n == 0) {
		HTML_LIT(b, "<div class=\"empty\"><p>No audit records match. <a "
		            "href=\"/admin/audit\">Show the newest records</a>.</p></div>");
	} else {
		HTML_LIT(b, "<p class=\"status\" id=\"audit-count\">");
		html_text(b, aq.before ? "Showing " : "Showing the ");
		html_int(b, ar.n);
		html_text(b, aq.before ? " older records, newest first." : " newest records.");
		HTML_LIT(b,
		         "</p><div class=\"table-wrap\" role=\"region\" "
		         "aria-labelledby=\"audit-count\" tabindex=\"0\"><table class=\"data\">"
		         "<thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Event</th>"
		         "<th scope=\"col\">Actor</th><th scope=\"col\">IP address</th>"
		         "<th scope=\"col\">Target</th><th scope=\"col\">Detail</th></tr></thead>"
		         "<tbody>");
		buf_append(b, ar.rows.data, ar.rows.len);
		HTML_LIT(b, "</tbody></table></div>");
	}
	if (aq.before || ar.more) {
		HTML_LIT(
		    b,
		    "<nav class=\"pager\" aria-label=\"Audit log pages\"><ul class=\"page-list\">");
		if (aq.before)
			audit_link(b, &aq, 0, "first", "Newest records");
		if (ar.more)
			audit_link(b, &aq, ar.last_id, "next", "Older records →");
		HTML_LIT(b, "</ul></nav>");
	}
	buf_free(&ar.rows);
	actor_cache_free(&ar.actors);
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* How many failed tasks the queue page lists. */
#define QUEUE_FAILURES_SHOWN 20

void
page_admin_queue(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct tasks_stats st;
	if (tasks_stats(ctx->db, QUEUE_FAILURES_SHOWN, &st) != 0) {
		resp_db_error(ctx, "queue stats");
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Background work", .nav = "admin"};
	layout_begin(ctx, &pg);
	subnav(b, "queue", true);
	HTML_LIT(b, "<h1>Background work</h1><p>Emails, alerts, digests and text extraction wait in "
	            "a queue that every worker takes from. Failed tasks stay here with their last "
	            "error.</p><dl class=\"details\"><dt>Waiting</dt><dd>");
	html_int(b, st.pending);
	HTML_LIT(b, "</dd><dt>Due now</dt><dd>");
	html_int(b, st.due);
	if (st.oldest_due[0]) {
		HTML_LIT(b, " (oldest due since ");
		instant_html(b, st.oldest_due);
		HTML_LIT(b, ")");
	}
	HTML_LIT(b, "</dd><dt>Running</dt><dd>");
	html_int(b, st.running);
	HTML_LIT(b, "</dd><dt>Done (kept 7 days)</dt><dd>");
	html_int(b, st.done);
	HTML_LIT(b, "</dd><dt>Failed</dt><dd>");
	html_int(b, st.failed);
	HTML_LIT(b, "</dd></dl><h2>Last failures</h2>");
	if (st.nfailures == 0) {
		HTML_LIT(b, "<div class=\"empty\"><p>No task has failed.</p></div>");
	} else {
		HTML_LIT(b, "<table><caption class=\"visually-hidden\">Failed tasks, newest first"
		            "</caption><thead><tr><th scope=\"col\">Task</th><th scope=\"col\">Kind"
		            "</th><th scope=\"col\">Attempts</th><th scope=\"col\">Last try</th><th "
		            "scope=\"col\">Last error</th></tr></thead><tbody>");
		for (int i = 0; i < st.nfailures; i++) {
			const struct tasks_failure *f = &st.failures[i];
			HTML_LIT(b, "<tr><td>");
			html_int(b, f->id);
			HTML_LIT(b, "</td><td>");
			html_text(b, f->kind);
			HTML_LIT(b, "</td><td>");
			html_int(b, f->attempts);
			HTML_LIT(b, "</td><td>");
			instant_html(b, f->updated_at);
			HTML_LIT(b, "</td><td>");
			html_text(b, f->last_error);
			HTML_LIT(b, "</td></tr>");
		}
		HTML_LIT(b, "</tbody></table>");
	}
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}
