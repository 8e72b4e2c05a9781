/*
 * admin_query.c - admin list and audit parameters (see admin_query.h).
 */
#include "web/admin_query.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool
bad(struct rctx *ctx, const char *param, const char *detail)
{
	resp_error(ctx, 400, "invalid_parameter", "Invalid parameter", detail, param);
	return false;
}

/* The parameter's value, "" when absent. */
static const char *
param(struct rctx *ctx, const char *key)
{
	const char *v = query_get(&ctx->query, key);
	return v ? v : "";
}

/*
 * A whole number in [min, max] from decimal digits only; an empty value
 * gives def. False for anything else.
 */
static bool
whole(const char *s, int64_t min, int64_t max, int64_t def, int64_t *out)
{
	if (s[0] == '\0') {
		*out = def;
		return true;
	}
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || p - s >= 18)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool
admin_users_query(struct rctx *ctx, struct admin_users_query *out, bool per_page_param)
{
	memset(out, 0, sizeof(*out));
	const char *q = param(ctx, "q");
	while (*q == ' ')
		q++;
	size_t n = strlen(q);
	while (n > 0 && q[n - 1] == ' ')
		n--;
	if (n > ADMIN_Q_MAX)
		return bad(ctx, "q", "The search text is too long (at most 200 bytes).");
	memcpy(out->q, q, n);
	out->q[n] = '\0';
	out->f.q = n > 0 ? out->q : NULL;

	out->role_text = param(ctx, "role");
	if (out->role_text[0] != '\0' && (out->f.role = role_parse(out->role_text)) == 0)
		return bad(ctx, "role",
		           "Unknown role: use job_seeker, entrepreneur, employer, "
		           "recruiter, counselor or admin.");
	out->status_text = param(ctx, "status");
	if (out->status_text[0] == '\0')
		out->f.disabled = -1;
	else if (strcmp(out->status_text, "active") == 0)
		out->f.disabled = 0;
	else if (strcmp(out->status_text, "disabled") == 0)
		out->f.disabled = 1;
	else
		return bad(ctx, "status", "Unknown status: use active or disabled.");

	int64_t v;
	if (!whole(param(ctx, "page"), 1, ADMIN_PAGE_MAX, 1, &v))
		return bad(ctx, "page", "The page must be a whole number from 1 to 100000.");
	out->page = (int)v;
	out->per_page = ADMIN_USERS_PER_PAGE;
	if (per_page_param) {
		if (!whole(param(ctx, "per_page"), 1, ADMIN_USERS_PER_PAGE_MAX,
		           ADMIN_USERS_PER_PAGE, &v))
			return bad(ctx, "per_page",
			           "per_page must be a whole number from 1 to 100.");
		out->per_page = (int)v;
	}
	return true;
}

/*
 * An instant from a date or date-time. A date alone starts its day; with
 * through_day it ends it, so an exclusive upper bound becomes the next
 * day's start and "until 2025-03-01" includes the 1st.
 */
static bool
instant_param(const char *s, bool through_day, char out[INSTANT_LEN])
{
	time_t t;
	bool date_only = strlen(s) == 10;
	if (!date_parse(s, false, &t))
		return false;
	if (through_day && date_only)
		t += 86400;
	instant_format(t, out);
	return true;
}

bool
admin_audit_query(struct rctx *ctx, struct admin_audit_query *out, bool limit_param)
{
	memset(out, 0, sizeof(*out));
	out->event_text = param(ctx, "event");
	if (strlen(out->event_text) > ADMIN_EVENT_MAX)
		return bad(ctx, "event", "The event prefix is too long (at most 100 bytes).");
	out->f.event_prefix = out->event_text[0] ? out->event_text : NULL;

	int64_t v;
	out->actor_text = param(ctx, "actor");
	if (!whole(out->actor_text, 1, INT64_MAX, 0, &v))
		return bad(ctx, "actor", "The actor must be a user id (a whole number).");
	out->f.actor_id = v;

	out->since_text = param(ctx, "since");
	if (out->since_text[0] != '\0') {
		if (!instant_param(out->since_text, false, out->since))
			return bad(ctx, "since", "Give since as a date like 2025-03-01.");
		out->f.since = out->since;
	}
	out->until_text = param(ctx, "until");
	if (out->until_text[0] != '\0') {
		if (!instant_param(out->until_text, true, out->until))
			return bad(ctx, "until", "Give until as a date like 2025-03-31.");
		out->f.until = out->until;
	}
	if (out->f.since && out->f.until && strcmp(out->since, out->until) >= 0)
		return bad(ctx, "until", "until must come after since.");

	if (!whole(param(ctx, "before"), 1, INT64_MAX, 0, &v))
		return bad(ctx, "before", "before must be a record id (a whole number).");
	out->before = v;
	out->limit = ADMIN_AUDIT_PER_PAGE;
	if (limit_param) {
		if (!whole(param(ctx, "limit"), 1, ADMIN_AUDIT_LIMIT_MAX, ADMIN_AUDIT_PER_PAGE, &v))
			return bad(ctx, "limit", "limit must be a whole number from 1 to 100.");
		out->limit = (int)v;
	}
	return true;
}
