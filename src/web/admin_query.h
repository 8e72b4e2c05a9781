/*
 * admin_query.h - the query parameters of the admin user list and audit
 * log, read and checked in one place so the pages and the API accept the
 * same input and name the same culprit.
 */
#ifndef BEACON_WEB_ADMIN_QUERY_H
#define BEACON_WEB_ADMIN_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/dates.h"
#include "model/audit.h"
#include "model/users.h"
#include "web/req.h"

/* Longest search text, in bytes. */
#define ADMIN_Q_MAX 200
/* Users per page on the list page, and the API's default and largest per_page. */
#define ADMIN_USERS_PER_PAGE 50
#define ADMIN_USERS_PER_PAGE_MAX 100
/* Highest page number accepted (far beyond any real list; keeps OFFSET bounded). */
#define ADMIN_PAGE_MAX 100000
/* Audit records per page on the page, and the API's default and largest limit. */
#define ADMIN_AUDIT_PER_PAGE 50
#define ADMIN_AUDIT_LIMIT_MAX 100
/* Longest event prefix, in bytes. */
#define ADMIN_EVENT_MAX 100

struct admin_users_query {
	struct user_filter f; /* f.q points into q (NULL when empty) */
	char q[ADMIN_Q_MAX + 1];
	const char *role_text;   /* the role parameter as given ("" when absent) */
	const char *status_text; /* "active", "disabled" or "" */
	int page;
	int per_page;
};

/*
 * Read q (trimmed), role (a role name), status (active | disabled), page
 * and, when per_page_param, per_page (1..ADMIN_USERS_PER_PAGE_MAX) from the
 * query string. Empty values mean "any". Answers 400 invalid_parameter
 * naming the parameter itself and returns false.
 */
bool admin_users_query(struct rctx *ctx, struct admin_users_query *out, bool per_page_param);

struct admin_audit_query {
	struct audit_filter f; /* points into the fields below */
	char since[INSTANT_LEN];
	char until[INSTANT_LEN];
	const char *event_text; /* the parameters as given, for the form ("" when absent) */
	const char *actor_text;
	const char *since_text;
	const char *until_text;
	int64_t before; /* cursor: records with smaller ids (0 = from the newest) */
	int limit;
};

/*
 * Read event (a prefix), actor (a user id), since and until (dates or
 * instants; a date alone in until includes that whole day), before (a
 * record id) and, when limit_param, limit (1..ADMIN_AUDIT_LIMIT_MAX).
 * Answers 400 invalid_parameter itself and returns false.
 */
bool admin_audit_query(struct rctx *ctx, struct admin_audit_query *out, bool limit_param);

#endif
