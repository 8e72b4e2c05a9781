/*
 * routes.c - the route table and the one Kore handler that dispatches it.
 *
 * Kore hands every request to beacon_dispatch (conf: a single catch-all
 * route). Here it gets a request id, its query string is parsed and
 * validated once, the route is matched (405 for a known path with the
 * wrong method, 404 otherwise), and the handler runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/mem.h"
#include "core/multipart.h"
#include "core/utf8.h"
#include "model/users.h"
#include "web/auth.h"
#include "web/cors.h"
#include "web/handlers.h"
#include "web/notify_stream.h"
#include "web/ratelimit.h"
#include "web/req.h"
#include "web/static.h"

/* The Kore route handler (by name, from the generated conf): visible outside the module. */
__attribute__((visibility("default"))) int beacon_dispatch(struct http_request *req);

/*
 * SEG_ID_SUFFIX: the prefix holds "{id}" followed by a literal suffix
 * ("/employer/jobs/{id}/edit" matches "/employer/jobs/7/edit").
 */
enum seg { SEG_NONE, SEG_ID, SEG_NAME, SEG_ID_SUFFIX };

struct route {
	const char *prefix; /* literal path, or the part before the variable segment */
	enum seg var;       /* what follows the prefix */
	int methods;
	void (*handler)(struct rctx *);
	bool api;       /* errors as problem+json: the API and the machine-readable feeds */
	int roles;      /* enum role bits that may use it; 0 = anyone (model/users.h) */
	unsigned flags; /* AUTH_* exceptions (web/auth.h), ROUTE_* below */
};

#define GET_HEAD (HTTP_METHOD_GET | HTTP_METHOD_HEAD)
#define POST HTTP_METHOD_POST
#define GET_POST (GET_HEAD | HTTP_METHOD_POST)
#define PATCH HTTP_METHOD_PATCH
#define PUT HTTP_METHOD_PUT
#define DELETE HTTP_METHOD_DELETE
#define ANY_USER ROLES_ALL
/* Largest form field (a job description is the longest). */
#define FORM_MAX_VALUE (64 * 1024)
#define EMPLOYERS (ROLE_EMPLOYER | ROLE_RECRUITER | ROLE_ADMIN)
/* Who keeps documents (resumes, cover letters, portfolios). */
#define DOC_OWNERS (ROLE_JOB_SEEKER | ROLE_ENTREPRENEUR)
/* Route flag: POST bodies are multipart/form-data (uploads), see upload_ok. Above AUTH_*. */
#define ROUTE_MULTIPART 0x100
/*
 * Route flag: a page POST without the CSRF token. Only for routes whose own
 * secret in the request (an HMAC-signed link, checked in constant time by the
 * handler) is the authority and that act for nobody signed in: one-click
 * unsubscribe from an email (RFC 8058). The form is still read and checked.
 */
#define ROUTE_NO_CSRF 0x200

static const struct route routes[] = {
    {"/", SEG_NONE, GET_HEAD, page_home, false, 0, 0},
    {"/jobs", SEG_NONE, GET_HEAD, page_search, false, 0, 0},
    {"/jobs/", SEG_ID, GET_HEAD, page_job, false, 0, 0},
    {"/jobs.rss", SEG_NONE, GET_HEAD, feed_rss, true, 0, 0},
    {"/help", SEG_NONE, GET_HEAD, page_help, false, 0, 0},
    {"/feeds/indeed.xml", SEG_NONE, GET_HEAD, feed_indeed, true, 0, 0},
    {"/api/v1/jobs", SEG_NONE, GET_HEAD, api_jobs_search, true, 0, 0},
    {"/api/v1/jobs/", SEG_ID, GET_HEAD, api_job_get, true, 0, 0},
    {"/healthz", SEG_NONE, GET_HEAD, ops_healthz, true, 0, 0},
    {"/readyz", SEG_NONE, GET_HEAD, ops_readyz, true, 0, 0},
    {"/static/vendor/", SEG_NAME, GET_HEAD, static_vendor, false, 0, 0},
    {"/static/", SEG_NAME, GET_HEAD, static_assets, false, 0, 0},

    /* Accounts: pages */
    {"/signup", SEG_NONE, GET_POST, page_signup, false, 0, 0},
    {"/signin", SEG_NONE, GET_POST, page_signin, false, 0, 0},
    {"/signin/2fa", SEG_NONE, GET_POST, page_signin_2fa, false, ANY_USER, AUTH_PENDING_OK | AUTH_NO_MFA_OK},
    {"/signout", SEG_NONE, POST, page_signout, false, ANY_USER, AUTH_PENDING_OK | AUTH_NO_MFA_OK},
    {"/verify-email", SEG_NONE, GET_POST, page_verify_email, false, 0, 0},
    {"/password/forgot", SEG_NONE, GET_POST, page_password_forgot, false, 0, 0},
    {"/password/reset", SEG_NONE, GET_POST, page_password_reset, false, 0, 0},
    {"/account", SEG_NONE, GET_HEAD, page_account, false, ANY_USER, 0},
    {"/account/confirm", SEG_NONE, GET_POST, page_account_confirm, false, ANY_USER, AUTH_NO_MFA_OK},
    {"/account/password", SEG_NONE, POST, page_account_password, false, ANY_USER, 0},
    {"/account/email", SEG_NONE, POST, page_account_email, false, ANY_USER, 0},
    {"/account/verify-email", SEG_NONE, POST, page_account_resend, false, ANY_USER, 0},
    {"/account/2fa", SEG_NONE, GET_HEAD, page_2fa, false, ANY_USER, AUTH_NO_MFA_OK},
    {"/account/2fa/enable", SEG_NONE, POST, page_2fa_enable, false, ANY_USER, AUTH_NO_MFA_OK},
    {"/account/2fa/recovery", SEG_NONE, POST, page_2fa_recovery, false, ANY_USER, 0},
    {"/account/2fa/disable", SEG_NONE, POST, page_2fa_disable, false, ANY_USER, 0},
    {"/account/signout-everywhere", SEG_NONE, POST, page_account_signout_all, false, ANY_USER, 0},

    /* Accounts: API */
    {"/api/v1/auth/register", SEG_NONE, POST, api_auth_register, true, 0, 0},
    {"/api/v1/auth/token", SEG_NONE, POST, api_auth_token, true, 0, 0},
    {"/api/v1/auth/refresh", SEG_NONE, POST, api_auth_refresh, true, 0, 0},
    {"/api/v1/auth/logout", SEG_NONE, POST, api_auth_logout, true, 0, 0},
    {"/api/v1/auth/password/forgot", SEG_NONE, POST, api_auth_forgot, true, 0, 0},
    {"/api/v1/auth/password/reset", SEG_NONE, POST, api_auth_reset, true, 0, 0},
    {"/api/v1/me", SEG_NONE, GET_HEAD, api_me, true, ANY_USER, AUTH_NO_MFA_OK},

    /* Admin: pages and API (changes need a recent password, see pages/admin.c, api/admin.c) */
    {"/admin", SEG_NONE, GET_HEAD, page_admin, false, ROLE_ADMIN, 0},
    {"/admin/users", SEG_NONE, GET_HEAD, page_admin_users, false, ROLE_ADMIN, 0},
    {"/admin/users/", SEG_ID, GET_HEAD, page_admin_user, false, ROLE_ADMIN, 0},
    {"/admin/users/{id}/role", SEG_ID_SUFFIX, GET_POST, page_admin_user_role, false, ROLE_ADMIN, 0},
    {"/admin/users/{id}/status", SEG_ID_SUFFIX, GET_POST, page_admin_user_status, false, ROLE_ADMIN, 0},
    {"/admin/audit", SEG_NONE, GET_HEAD, page_admin_audit, false, ROLE_ADMIN, 0},
    {"/api/v1/admin/users", SEG_NONE, GET_HEAD, api_admin_users, true, ROLE_ADMIN, 0},
    {"/api/v1/admin/users/", SEG_ID, GET_HEAD | PATCH, api_admin_user, true, ROLE_ADMIN, 0},
    {"/api/v1/admin/audit", SEG_NONE, GET_HEAD, api_admin_audit, true, ROLE_ADMIN, 0},
    {"/admin/queue", SEG_NONE, GET_HEAD, page_admin_queue, false, ROLE_ADMIN, 0},
    {"/api/v1/admin/queue", SEG_NONE, GET_HEAD, api_admin_queue, true, ROLE_ADMIN, 0},

    /* Employers: company and jobs (pages/company.c, pages/employer_jobs.c, api/employer.c) */
    {"/company", SEG_NONE, GET_POST, page_company, false, EMPLOYERS, 0},
    {"/company/invites", SEG_NONE, POST, page_company_invite, false, EMPLOYERS, 0},
    {"/invites/accept", SEG_NONE, GET_POST, page_invite_accept, false, 0, 0},
    {"/employer/jobs", SEG_NONE, GET_HEAD, page_employer_jobs, false, EMPLOYERS, 0},
    {"/employer/jobs/new", SEG_NONE, GET_POST, page_employer_job_new, false, EMPLOYERS, 0},
    {"/employer/jobs/{id}/edit", SEG_ID_SUFFIX, GET_POST, page_employer_job_edit, false, EMPLOYERS, 0},
    {"/employer/jobs/{id}/close", SEG_ID_SUFFIX, POST, page_employer_job_close, false, EMPLOYERS, 0},
    {"/employer/jobs/{id}/reopen", SEG_ID_SUFFIX, POST, page_employer_job_reopen, false, EMPLOYERS, 0},
    {"/api/v1/company", SEG_NONE, GET_HEAD, api_company_get, true, EMPLOYERS, 0},
    {"/api/v1/company", SEG_NONE, PUT, api_company_put, true, EMPLOYERS, 0},
    {"/api/v1/company/invites", SEG_NONE, POST, api_company_invite, true, EMPLOYERS, 0},
    {"/api/v1/employer/jobs", SEG_NONE, GET_HEAD, api_employer_jobs, true, EMPLOYERS, 0},
    {"/api/v1/jobs", SEG_NONE, POST, api_job_create, true, EMPLOYERS, 0},
    {"/api/v1/jobs/", SEG_ID, PATCH, api_job_patch, true, EMPLOYERS, 0},
    {"/api/v1/jobs/{id}/close", SEG_ID_SUFFIX, POST, api_job_close, true, EMPLOYERS, 0},
    {"/api/v1/jobs/{id}/reopen", SEG_ID_SUFFIX, POST, api_job_reopen, true, EMPLOYERS, 0},

    /* Job seeker profiles and candidate search (pages/profile.c, api/profile.c) */
    {"/profile", SEG_NONE, GET_HEAD, page_profile, false, ROLE_JOB_SEEKER, 0},
    {"/profile/edit", SEG_NONE, GET_POST, page_profile_edit, false, ROLE_JOB_SEEKER, 0},
    {"/profile/experience", SEG_NONE, GET_POST, page_profile_experience, false, ROLE_JOB_SEEKER, 0},
    {"/profile/education", SEG_NONE, GET_POST, page_profile_education, false, ROLE_JOB_SEEKER, 0},
    {"/profile/resume.json", SEG_NONE, GET_HEAD, api_profile_resume_get, false, ROLE_JOB_SEEKER, 0},
    {"/profile/import", SEG_NONE, POST, page_profile_import, false, ROLE_JOB_SEEKER, 0},
    {"/candidates", SEG_NONE, GET_HEAD, page_candidates, false, EMPLOYERS, 0},
    {"/candidates/", SEG_ID, GET_HEAD, page_candidate, false, 0, 0},
    {"/api/v1/profile", SEG_NONE, GET_HEAD, api_profile_get, true, ROLE_JOB_SEEKER, 0},
    {"/api/v1/profile", SEG_NONE, PUT, api_profile_put, true, ROLE_JOB_SEEKER, 0},
    {"/api/v1/profile/resume.json", SEG_NONE, GET_HEAD, api_profile_resume_get, true, ROLE_JOB_SEEKER, 0},
    {"/api/v1/profile/resume", SEG_NONE, POST, api_profile_resume_post, true, ROLE_JOB_SEEKER, 0},
    {"/api/v1/candidates", SEG_NONE, GET_HEAD, api_candidates, true, EMPLOYERS, 0},
    {"/api/v1/candidates/", SEG_ID, GET_HEAD, api_candidate_get, true, EMPLOYERS, 0},

    /* Notifications (pages/notifications.c, api/notifications.c) */
    {"/notifications", SEG_NONE, GET_HEAD, page_notifications, false, ANY_USER, 0},
    {"/notifications/read-all", SEG_NONE, POST, page_notifications_read_all, false, ANY_USER, 0},
    {"/notifications/stream", SEG_NONE, HTTP_METHOD_GET, page_notifications_stream, false, ANY_USER, 0},
    {"/notifications/", SEG_ID, GET_HEAD, page_notification_open, false, ANY_USER, 0},
    {"/account/notifications", SEG_NONE, GET_POST, page_notification_prefs, false, ANY_USER, 0},
    {"/api/v1/notifications", SEG_NONE, GET_HEAD, api_notifications, true, ANY_USER, 0},
    {"/api/v1/notifications/read", SEG_NONE, POST, api_notifications_read, true, ANY_USER, 0},
    {"/api/v1/notifications/preferences", SEG_NONE, GET_HEAD | PATCH, api_notification_prefs, true, ANY_USER, 0},
    {"/unsubscribe", SEG_NONE, GET_POST, page_unsubscribe, false, 0, ROUTE_NO_CSRF},

    /* Saved searches and alerts (pages/saved_searches.c, api/saved_searches.c) */
    {"/saved-searches", SEG_NONE, GET_POST, page_saved_searches, false, ANY_USER, 0},
    {"/saved-searches/new", SEG_NONE, GET_HEAD, page_saved_search_new, false, ANY_USER, 0},
    {"/saved-searches/", SEG_ID, POST, page_saved_search_update, false, ANY_USER, 0},
    {"/saved-searches/{id}/delete", SEG_ID_SUFFIX, POST, page_saved_search_delete, false, ANY_USER, 0},
    {"/saved-searches/{id}/rss", SEG_ID_SUFFIX, POST, page_saved_search_rss_token, false, ANY_USER, 0},
    {"/saved-searches/{id}/feed.rss", SEG_ID_SUFFIX, GET_HEAD, feed_saved_search, true, 0, 0},
    {"/api/v1/saved-searches", SEG_NONE, GET_HEAD | POST, api_saved_searches, true, ANY_USER, 0},
    {"/api/v1/saved-searches/", SEG_ID, GET_HEAD | PATCH | DELETE, api_saved_search, true, ANY_USER, 0},

    /* Documents (pages/documents.c, api/documents.c); downloads check access in the model */
    {"/documents", SEG_NONE, GET_POST, page_documents, false, DOC_OWNERS, ROUTE_MULTIPART},
    {"/documents/", SEG_ID, GET_HEAD, page_document, false, ANY_USER, 0},
    {"/documents/{id}/delete", SEG_ID_SUFFIX, POST, page_document_delete, false, DOC_OWNERS, 0},
    {"/api/v1/documents", SEG_NONE, GET_POST, api_documents, true, DOC_OWNERS, ROUTE_MULTIPART},
    {"/api/v1/documents/", SEG_ID, GET_HEAD | DELETE, api_document, true, ANY_USER, 0},
    {"/api/v1/documents/{id}/text", SEG_ID_SUFFIX, GET_HEAD, api_document_text, true, ANY_USER, 0},

    /* Applications, messages, interviews (pages/applications.c, pages/employer_applicants.c,
     * api/applications.c); who sees which application is decided in model/applications.c */
    {"/jobs/{id}/apply", SEG_ID_SUFFIX, GET_POST, page_job_apply, false, ROLE_JOB_SEEKER, 0},
    {"/applications", SEG_NONE, GET_HEAD, page_applications, false, ANY_USER, 0},
    {"/applications/", SEG_ID, GET_HEAD, page_application, false, ANY_USER, 0},
    {"/applications/{id}/withdraw", SEG_ID_SUFFIX, GET_POST, page_application_withdraw, false, ANY_USER, 0},
    {"/applications/{id}/messages", SEG_ID_SUFFIX, POST, page_application_message, false, ANY_USER, 0},
    {"/interviews/{id}/choose", SEG_ID_SUFFIX, POST, page_interview_choose, false, ANY_USER, 0},
    {"/interviews/{id}.ics", SEG_ID_SUFFIX, GET_HEAD, page_interview_ics, false, ANY_USER, 0},
    {"/employer/jobs/{id}/applicants", SEG_ID_SUFFIX, GET_HEAD, page_employer_applicants, false, EMPLOYERS, 0},
    {"/employer/jobs/{id}/reject", SEG_ID_SUFFIX, POST, page_employer_reject, false, EMPLOYERS, 0},
    {"/employer/applications/", SEG_ID, GET_HEAD, page_employer_application, false, EMPLOYERS, 0},
    {"/employer/applications/{id}/stage", SEG_ID_SUFFIX, POST, page_employer_application_stage, false, EMPLOYERS, 0},
    {"/employer/applications/{id}/notes", SEG_ID_SUFFIX, POST, page_employer_application_note, false, EMPLOYERS, 0},
    {"/employer/applications/{id}/interviews", SEG_ID_SUFFIX, POST, page_employer_application_propose, false, EMPLOYERS, 0},
    {"/api/v1/jobs/{id}/applications", SEG_ID_SUFFIX, POST, api_application_create, true, ROLE_JOB_SEEKER, 0},
    {"/api/v1/applications", SEG_NONE, GET_HEAD, api_applications_mine, true, ANY_USER, 0},
    {"/api/v1/applications/", SEG_ID, GET_HEAD, api_application_get, true, ANY_USER, 0},
    {"/api/v1/applications/{id}/withdraw", SEG_ID_SUFFIX, POST, api_application_withdraw, true, ANY_USER, 0},
    {"/api/v1/applications/{id}/stage", SEG_ID_SUFFIX, POST, api_application_stage, true, EMPLOYERS, 0},
    {"/api/v1/applications/{id}/notes", SEG_ID_SUFFIX, POST, api_application_note, true, EMPLOYERS, 0},
    {"/api/v1/applications/{id}/messages", SEG_ID_SUFFIX, GET_POST, api_application_messages, true, ANY_USER, 0},
    {"/api/v1/applications/{id}/interviews", SEG_ID_SUFFIX, POST, api_application_interview, true, EMPLOYERS, 0},
    {"/api/v1/interviews/{id}/choose", SEG_ID_SUFFIX, POST, api_interview_choose, true, ANY_USER, 0},
    {"/api/v1/employer/jobs/{id}/applications", SEG_ID_SUFFIX, GET_HEAD, api_employer_job_applications, true, EMPLOYERS, 0},
};

void
static_assets(struct rctx *ctx)
{
	static_serve(ctx, "");
}

void
static_vendor(struct rctx *ctx)
{
	static_serve(ctx, "vendor/");
}

/* Positive decimal id of at most 18 digits (fits int64). */
static bool
match_id(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* An id (as match_id) followed by exactly suffix: "7/edit" with "/edit", "7.ics" with ".ics". */
static bool
match_id_suffix(const char *s, const char *suffix, int64_t *out)
{
	size_t n = strcspn(s, "/.");
	char digits[20];
	if (n >= sizeof(digits) || strcmp(s + n, suffix) != 0)
		return false;
	memcpy(digits, s, n);
	digits[n] = '\0';
	return match_id(digits, out);
}

static bool
match_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/*
 * Find the route for path. Returns it, or NULL; *path_known tells whether
 * some route has this path (for 405 versus 404), and then ctx->is_api takes
 * that route's error format.
 */
static const struct route *
route_find(struct rctx *ctx, const char *path, int method, bool *path_known, int *allowed)
{
	*path_known = false;
	*allowed = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];
		const char *hole = r->var == SEG_ID_SUFFIX ? strstr(r->prefix, "{id}") : NULL;
		size_t plen = hole ? (size_t)(hole - r->prefix) : strlen(r->prefix);
		if (r->var == SEG_NONE) {
			if (strcmp(path, r->prefix) != 0)
				continue;
		} else {
			if (strncmp(path, r->prefix, plen) != 0)
				continue;
			const char *rest = path + plen;
			if (r->var == SEG_ID && !match_id(rest, &ctx->id))
				continue;
			if (hole && !match_id_suffix(rest, hole + 4, &ctx->id))
				continue;
			if (r->var == SEG_NAME && !match_name(rest))
				continue;
			ctx->tail = rest;
		}
		*path_known = true;
		*allowed |= r->methods;
		ctx->is_api = r->api;
		if (r->methods & method)
			return r;
	}
	return NULL;
}

/*
 * Page POSTs: read the urlencoded form into ctx->form and check its CSRF
 * token. The API takes JSON and bearer tokens only (see web/auth.h), so it
 * reads its own bodies. Answers and returns false on a bad body or token.
 */
static bool
csrf_checked(struct rctx *ctx)
{
	if (auth_csrf_ok(ctx))
		return true;
	resp_error(ctx, 403, "csrf_failed", "Form expired",
	           "This form was out of date or came from another site. Go back, reload the "
	           "page and send it again.",
	           NULL);
	return false;
}

/*
 * ROUTE_MULTIPART POSTs: the body (at most BEACON_BODY_MAX, Kore answers
 * 413 above it) parsed as multipart/form-data into ctx->upload. Its text
 * fields (parts without a file name) also go to ctx->form with the checks
 * of urlencoded forms (UTF-8, no control characters but tab and line
 * breaks, FORM_MAX_VALUE), so a page's "_csrf" field is checked here,
 * before the handler stores anything. Answers and returns false otherwise.
 */
static bool
upload_ok(struct rctx *ctx, const struct route *r)
{
	char boundary[80];
	if (!multipart_boundary(req_header(ctx, "content-type"), boundary, sizeof(boundary))) {
		resp_error(ctx, 415, "unsupported_media_type", "Unsupported form encoding",
		           "Send the form as multipart/form-data.", NULL);
		return false;
	}
	struct buf body = {0};
	char chunk[65536];
	ssize_t n;
	while ((n = http_body_read(ctx->req, chunk, sizeof(chunk))) > 0)
		buf_append(&body, chunk, (size_t)n);
	size_t len = body.len;
	ctx->upload = xcalloc(1, sizeof(*ctx->upload));
	bool ok = n >= 0 && multipart_parse(ctx->upload, boundary, buf_steal(&body), len) == 0;
	for (int i = 0; ok && i < ctx->upload->n; i++) {
		const struct multipart_part *p = &ctx->upload->parts[i];
		if (p->filename != NULL)
			continue;
		size_t klen = strlen(p->name);
		if (ctx->form.count == QUERY_MAX_PARAMS || p->len > FORM_MAX_VALUE ||
		    memchr(p->data, '\0', p->len) != NULL || !utf8_valid(p->data, p->len) ||
		    utf8_has_control(p->data, p->len) || !utf8_valid(p->name, klen) ||
		    utf8_has_control(p->name, klen)) {
			ok = false;
			break;
		}
		char *mem = xmalloc(klen + p->len + 2);
		memcpy(mem, p->name, klen + 1);
		memcpy(mem + klen + 1, p->data, p->len);
		mem[klen + 1 + p->len] = '\0';
		ctx->form.params[ctx->form.count].key = mem;
		ctx->form.params[ctx->form.count].value = mem + klen + 1;
		ctx->form.count++;
	}
	if (!ok) {
		resp_error(ctx, 400, "invalid_form", "Invalid form",
		           "The form could not be read as multipart/form-data.", NULL);
		return false;
	}
	return r->api || csrf_checked(ctx);
}

static bool
form_ok(struct rctx *ctx, const struct route *r)
{
	if (ctx->req->method != HTTP_METHOD_POST)
		return true;
	if (r->flags & ROUTE_MULTIPART)
		return upload_ok(ctx, r);
	if (r->api)
		return true;
	const char *ct = req_header(ctx, "content-type");
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		resp_error(ctx, 415, "unsupported_media_type", "Unsupported form encoding",
		           "Send the form as application/x-www-form-urlencoded.", NULL);
		return false;
	}
	struct buf body = {0};
	char chunk[8192];
	ssize_t n;
	while ((n = http_body_read(ctx->req, chunk, sizeof(chunk))) > 0)
		buf_append(&body, chunk, (size_t)n);
	char bad_key[QUERY_MAX_KEY + 1] = "";
	enum query_error qe = n < 0 ? QUERY_TOO_LONG
	                            : query_parse_form(&ctx->form, body.data ? body.data : "",
	                                               body.len, FORM_MAX_VALUE, bad_key,
	                                               sizeof(bad_key));
	buf_free(&body);
	if (qe != QUERY_OK) {
		char detail[160];
		snprintf(detail, sizeof(detail), "The form could not be read: %s.", query_strerror(qe));
		resp_error(ctx, 400, "invalid_form", "Invalid form", detail, bad_key[0] ? bad_key : NULL);
		return false;
	}
	return (r->flags & ROUTE_NO_CSRF) || csrf_checked(ctx);
}

/* The Allow header of a 405: the methods of every route with this path ("GET, HEAD, POST"). */
static void
allow_text(int allowed, char *out, size_t n)
{
	static const struct {
		int bit;
		const char *name;
	} methods[] = {
	    {HTTP_METHOD_GET, "GET"},     {HTTP_METHOD_HEAD, "HEAD"},   {HTTP_METHOD_POST, "POST"},
	    {HTTP_METHOD_PUT, "PUT"},     {HTTP_METHOD_PATCH, "PATCH"}, {HTTP_METHOD_DELETE, "DELETE"},
	};
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if ((allowed & methods[i].bit) && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
			                        methods[i].name);
}

/*
 * Kore reads no body for GET, HEAD and DELETE: bytes sent as one would be
 * taken for the start of the next request on the connection (a request
 * smuggled past a proxy that shares connections). Such a request is
 * refused and the connection closed once the answer is out.
 */
static bool
body_not_read(struct rctx *ctx)
{
	int m = ctx->req->method;
	if (m != HTTP_METHOD_GET && m != HTTP_METHOD_HEAD && m != HTTP_METHOD_DELETE)
		return false;
	const char *cl = req_header(ctx, "content-length");
	const char *te = req_header(ctx, "transfer-encoding");
	if (te == NULL && (cl == NULL || strcmp(cl, "0") == 0))
		return false;
	ctx->req->owner->flags |= CONN_CLOSE_EMPTY;
	http_response_header(ctx->req, "connection", "close");
	resp_error(ctx, 400, "body_not_allowed", "Body not allowed",
	           "This method takes no request body; send the request without one.", NULL);
	return true;
}

static void
request_id(char out[24])
{
	static uint64_t counter;
	static uint64_t seed;
	if (seed == 0 && getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)getpid() << 32 ^ (uint64_t)monotonic_ms();
	/* splitmix64 over a per-worker random seed: unique and unguessable enough for tracing. */
	uint64_t z = (seed += 0x9E3779B97F4A7C15ULL) + (++counter);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	snprintf(out, 24, "%016llx", (unsigned long long)z);
}

int
beacon_dispatch(struct http_request *req)
{
	struct rctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.req = req;
	ctx.started_ms = monotonic_ms();
	ctx.route = "unmatched";
	request_id(ctx.rid);
	ctx.is_api = strncmp(req->path, "/api/", 5) == 0;
	const char *hx = NULL, *restore = NULL;
	http_request_header(req, "hx-request", &hx);
	http_request_header(req, "hx-history-restore-request", &restore);
	ctx.htmx = hx != NULL && strcmp(hx, "true") == 0 && restore == NULL;

	req_set_ip(&ctx);
	if (body_not_read(&ctx))
		goto done;
	bool known = false;
	int allowed = 0;
	const struct route *r = route_find(&ctx, req->path, req->method, &known, &allowed);
	if (r != NULL) {
		ctx.route = r->prefix;
		ctx.route_methods = r->methods;
		ctx.is_api = r->api;
	}
	char bad_key[QUERY_MAX_KEY + 1] = "";
	const char *qs = req->query_string ? req->query_string : "";
	enum query_error qe = query_parse(&ctx.query, qs, strlen(qs), bad_key, sizeof(bad_key));
	if (r == NULL && known && cors_is_preflight(&ctx)) {
		cors_preflight(&ctx);
	} else if (r == NULL && known) {
		char allow[64], detail[128];
		allow_text(allowed, allow, sizeof(allow));
		http_response_header(req, "allow", allow);
		snprintf(detail, sizeof(detail), "This address only answers %s requests.", allow);
		resp_error(&ctx, 405, "method_not_allowed", "Method not allowed", detail, NULL);
	} else if (r == NULL) {
		resp_error(&ctx, 404, "not_found", "Not found",
		           "We could not find that page. It may have moved.", NULL);
	} else if (qe != QUERY_OK) {
		char detail[160];
		snprintf(detail, sizeof(detail), "The query string is not valid: %s.",
		         query_strerror(qe));
		resp_error(&ctx, 400, "invalid_parameter", "Invalid parameter", detail,
		           bad_key[0] ? bad_key : "query");
	} else if (ratelimit_allow(&ctx) && auth_load(&ctx) && auth_allow(&ctx, r->roles, r->flags) &&
	           form_ok(&ctx, r)) {
		r->handler(&ctx);
	}
done:
	auth_free(&ctx);
	query_free(&ctx.form);
	if (ctx.upload != NULL) {
		multipart_free(ctx.upload);
		free(ctx.upload);
	}
	query_free(&ctx.query);
	buf_free(&ctx.body);
	return KORE_RESULT_OK;
}
