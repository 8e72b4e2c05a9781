/*
 * companies.c - company profiles, members and invitations (see companies.h).
 */
#include "companies.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/dates.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/textfield.h"
#include "core/token.h"
#include "core/utf8.h"
#include "model/audit.h"
#include "model/mail.h"
#include "model/sessions.h"
#include "model/users.h"

const char *const company_sizes[][2] = {
    {"1-10", "1 to 10 people"},          {"11-50", "11 to 50 people"},
    {"51-200", "51 to 200 people"},      {"201-1000", "201 to 1,000 people"},
    {"1001+", "More than 1,000 people"}, {NULL, NULL},
};

const char *
company_role_name(enum company_role r)
{
	return r == COMPANY_ROLE_OWNER ? "owner" : r == COMPANY_ROLE_MEMBER ? "member" : NULL;
}

static enum company_role
role_from_text(const char *s)
{
	if (s != NULL && strcmp(s, "owner") == 0)
		return COMPANY_ROLE_OWNER;
	if (s != NULL && strcmp(s, "member") == 0)
		return COMPANY_ROLE_MEMBER;
	return COMPANY_ROLE_NONE;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
id_text(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

void
company_free(struct company *c)
{
	free(c->name);
	free(c->description);
	free(c->website);
	free(c->size);
	free(c->industry);
	free(c->created_at);
	free(c->updated_at);
	memset(c, 0, sizeof(*c));
}

/* The message for a refused text field: empty and too_long are the field's own words. */
static const char *
text_message(enum text_problem p, const char *empty, const char *too_long)
{
	switch (p) {
	case TEXT_EMPTY:
		return empty;
	case TEXT_TOO_LONG:
		return too_long;
	case TEXT_MULTI_LINE:
		return "Write this on one line.";
	default:
		return "This holds characters we cannot store (control characters or broken text).";
	}
}

int
company_validate(const struct company_input *in, struct company *out, struct field_errors *fe)
{
	memset(out, 0, sizeof(*out));
	int before = fe->n;
	enum text_problem p;

	out->name = text_clean(in->name, COMPANY_NAME_MAX, TEXT_CHARS, false, &p);
	if (out->name == NULL)
		ferr_add(fe, "name",
		         text_message(p, "Enter the company's name.",
		                      "Use at most 120 characters for the name."));
	else if (utf8_count(out->name, strlen(out->name)) < COMPANY_NAME_MIN)
		ferr_add(fe, "name", "Use at least 2 characters for the name.");

	out->website = text_clean(in->website, COMPANY_WEBSITE_MAX, TEXT_BYTES, false, &p);
	if (out->website == NULL && p != TEXT_EMPTY)
		ferr_add(fe, "website",
		         text_message(p, NULL, "Use a web address of at most 500 characters."));
	else if (out->website != NULL && !text_web_address_ok(out->website))
		ferr_add(fe, "website",
		         "Enter a web address that starts with https:// or http://, "
		         "like https://example.org.");

	if (in->size != NULL && in->size[0] != '\0') {
		for (size_t i = 0; company_sizes[i][0] != NULL; i++)
			if (strcmp(in->size, company_sizes[i][0]) == 0)
				out->size = xstrdup(company_sizes[i][0]);
		if (out->size == NULL)
			ferr_add(fe, "size", "Choose one of the sizes in the list.");
	}

	out->industry = text_clean(in->industry, COMPANY_INDUSTRY_MAX, TEXT_CHARS, false, &p);
	if (out->industry == NULL && p != TEXT_EMPTY)
		ferr_add(fe, "industry",
		         text_message(p, NULL, "Use at most 100 characters for the industry."));

	out->description =
	    text_clean(in->description, COMPANY_DESCRIPTION_MAX, TEXT_CHARS, true, &p);
	if (out->description == NULL) {
		if (p != TEXT_EMPTY)
			ferr_add(fe, "description",
			         text_message(p, NULL,
			                      "Use at most 8,000 characters for the description."));
		out->description = xstrdup("");
	}

	out->deaf_owned = in->deaf_owned;
	out->deaf_led = in->deaf_led;
	out->asl_fluent_staff = in->asl_fluent_staff;
	out->interpreters_on_request = in->interpreters_on_request;
	if (fe->n > before) {
		company_free(out);
		return 1;
	}
	return 0;
}

/* {"key": value} as audit detail text (escaped by the JSON writer). */
static void
detail_json(struct buf *out, const char *key, const char *value)
{
	struct json_writer w;
	jw_init(&w, out);
	jw_obj_begin(&w);
	jw_kv_str(&w, key, value);
	jw_obj_end(&w);
}

static void
bind_profile(struct db_stmt *st, int *i, const struct company *c)
{
	db_bind_text(st, (*i)++, c->name);
	db_bind_text(st, (*i)++, c->website);
	db_bind_text(st, (*i)++, c->size);
	db_bind_text(st, (*i)++, c->industry);
	db_bind_int(st, (*i)++, c->deaf_owned);
	db_bind_int(st, (*i)++, c->deaf_led);
	db_bind_int(st, (*i)++, c->asl_fluent_staff);
	db_bind_int(st, (*i)++, c->interpreters_on_request);
	db_bind_text(st, (*i)++, c->description);
}

/* Add user_id to company_id with role; 1 added, 0 when the user has a company already, -1. */
static int
add_member(struct db *db, int64_t company_id, int64_t user_id, const char *role)
{
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO company_members (company_id, user_id, "
	                                    "role, created_at) VALUES (?, ?, ?, ?) "
	                                    "ON CONFLICT (user_id) DO NOTHING RETURNING user_id");
	if (st != NULL) {
		db_bind_int(st, 1, company_id);
		db_bind_int(st, 2, user_id);
		db_bind_text(st, 3, role);
		db_bind_text(st, 4, now);
	}
	int64_t ignored;
	return db_returning_id(st, &ignored);
}

int
companies_create(struct db *db, const struct actor *a, const struct company_input *in,
                 struct field_errors *fe, int64_t *id)
{
	struct company c;
	if (company_validate(in, &c, fe) != 0)
		return 1;
	int rc = -1;
	struct buf detail = {0};
	if (db_begin_write(db) != 0)
		goto out;
	int64_t existing;
	enum company_role role;
	int has = companies_of_user(db, a->user_id, &existing, &role);
	if (has != 0) {
		rc = has == 1 ? 2 : -1;
		goto rollback;
	}
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO companies (name, website, size, industry, deaf_owned, deaf_led, "
	        "asl_fluent_staff, interpreters_on_request, description, created_by, created_at, "
	        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (st != NULL) {
		int i = 1;
		bind_profile(st, &i, &c);
		db_bind_int(st, i++, a->user_id);
		db_bind_text(st, i++, now);
		db_bind_text(st, i++, now);
	}
	if (db_returning_id(st, id) != 1)
		goto rollback;
	int added = add_member(db, *id, a->user_id, "owner");
	if (added != 1) {
		rc = added == 0 ? 2 : -1;
		goto rollback;
	}
	char target[24];
	id_text(*id, target);
	detail_json(&detail, "name", c.name);
	if (audit_log(db, a->user_id, a->ip, "company.created", "company", target,
	              buf_cstr(&detail)) != 0)
		goto rollback;
	rc = db_commit(db) == 0 ? 0 : -1;
	goto out;
rollback:
	db_rollback(db);
out:
	buf_free(&detail);
	company_free(&c);
	return rc;
}

int
companies_update(struct db *db, const struct actor *a, int64_t id, const struct company_input *in,
                 struct field_errors *fe)
{
	struct company c, old = {0};
	if (company_validate(in, &c, fe) != 0)
		return 1;
	int rc = -1;
	if (db_begin_write(db) != 0)
		goto out;
	if (companies_get(db, id, &old) != 1)
		goto rollback;
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE companies SET name = ?, website = ?, size = ?, industry = ?, deaf_owned = ?, "
	    "deaf_led = ?, asl_fluent_staff = ?, interpreters_on_request = ?, description = ?, "
	    "updated_at = ? WHERE id = ?");
	if (st != NULL) {
		int i = 1;
		bind_profile(st, &i, &c);
		db_bind_text(st, i++, now);
		db_bind_int(st, i++, id);
	}
	if (db_run(st) < 0)
		goto rollback;
	bool same_url =
	    (old.website == NULL && c.website == NULL) ||
	    (old.website != NULL && c.website != NULL && strcmp(old.website, c.website) == 0);
	if (strcmp(old.name, c.name) != 0 || !same_url) {
		char precise[PRECISE_LEN];
		instant_now_precise(precise);
		st = db_prepare(db, "UPDATE jobs SET company = ?, company_url = ?, updated_at = ? "
		                    "WHERE company_id = ?");
		if (st != NULL) {
			db_bind_text(st, 1, c.name);
			db_bind_text(st, 2, c.website);
			db_bind_text(st, 3, precise);
			db_bind_int(st, 4, id);
		}
		if (db_run(st) < 0)
			goto rollback;
	}
	char target[24];
	id_text(id, target);
	if (audit_log(db, a->user_id, a->ip, "company.updated", "company", target, NULL) != 0)
		goto rollback;
	rc = db_commit(db) == 0 ? 0 : -1;
	goto out;
rollback:
	db_rollback(db);
out:
	company_free(&old);
	company_free(&c);
	return rc;
}

/* A companies_get row into arg (a struct company). */
static void
company_from_row(struct db_stmt *st, void *arg)
{
	struct company *c = arg;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->name = dup_or_null(db_col_text(st, 1));
	c->description = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
	c->website = dup_or_null(db_col_text(st, 3));
	c->size = dup_or_null(db_col_text(st, 4));
	c->industry = dup_or_null(db_col_text(st, 5));
	c->deaf_owned = db_col_int(st, 6) != 0;
	c->deaf_led = db_col_int(st, 7) != 0;
	c->asl_fluent_staff = db_col_int(st, 8) != 0;
	c->interpreters_on_request = db_col_int(st, 9) != 0;
	c->created_at = dup_or_null(db_col_text(st, 10));
	c->updated_at = dup_or_null(db_col_text(st, 11));
}

int
companies_get(struct db *db, int64_t id, struct company *c)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, name, description, website, size, industry, deaf_owned, deaf_led, "
	        "asl_fluent_staff, interpreters_on_request, created_at, updated_at FROM companies "
	        "WHERE id = ?");
	if (st != NULL)
		db_bind_int(st, 1, id);
	return db_one(st, company_from_row, c);
}

struct membership {
	int64_t *company_id;
	enum company_role *role;
};

static void
membership_from_row(struct db_stmt *st, void *arg)
{
	struct membership *m = arg;
	*m->company_id = db_col_int(st, 0);
	*m->role = role_from_text(db_col_text(st, 1));
}

int
companies_of_user(struct db *db, int64_t user_id, int64_t *company_id,
                  enum company_role *member_role)
{
	*company_id = 0;
	*member_role = COMPANY_ROLE_NONE;
	struct db_stmt *st =
	    db_prepare(db, "SELECT company_id, role FROM company_members WHERE user_id = ?");
	if (st != NULL)
		db_bind_int(st, 1, user_id);
	return db_one(st, membership_from_row,
	              &(struct membership){.company_id = company_id, .role = member_role});
}

int
companies_members(struct db *db, int64_t id, void (*fn)(const struct company_member *m, void *arg),
                  void *arg)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT m.user_id, u.display_name, u.email, m.role, m.created_at "
	        "FROM company_members m JOIN users u ON u.id = m.user_id WHERE m.company_id = ? "
	        "ORDER BY CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, m.created_at, m.user_id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		struct company_member m = {
		    .user_id = db_col_int(st, 0),
		    .display_name = db_col_text(st, 1),
		    .email = db_col_text(st, 2),
		    .role = role_from_text(db_col_text(st, 3)),
		    .since = db_col_text(st, 4),
		};
		fn(&m, arg);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

/* Invitations the company sent since the instant since; -1 on error. */
static int64_t
invites_since(struct db *db, int64_t company_id, const char *since)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT COUNT(*) FROM company_invites WHERE company_id = ? AND created_at > ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, since);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

/* The invitation email's text. */
static void
invite_mail(struct buf *b, const struct actor *a, const char *company, const char *email,
            const char *token)
{
	buf_printf(b,
	           "Hello,\n\n%s invited you to join %s on Beacon, to post jobs and look after "
	           "them together.\n\nTo accept, sign in to Beacon with this email address (%s) "
	           "using an employer account, or create one, then open this link:\n\n",
	           a->name && a->name[0] ? a->name : "A colleague", company, email);
	buf_puts(b, config_get()->base_url);
	buf_puts(b, "/invites/accept?token=");
	buf_puts(b, token); /* base64url: safe in a URL as is */
	buf_printf(b,
	           "\n\nThe link works once, for %d days. If you did not expect this "
	           "invitation, you can ignore this message.\n\n-- Beacon\n",
	           INVITE_DAYS);
}

int
companies_invite(struct db *db, const struct actor *a, int64_t id, const char *email_in,
                 struct field_errors *fe, char *expires_at)
{
	char email[EMAIL_MAX + 1];
	if (!email_normalise(email_in, email) || !mail_address_valid(email)) {
		ferr_add(fe, "email", "Enter an email address like name@example.org.");
		return 1;
	}
	if (a->email != NULL && strcmp(email, a->email) == 0) {
		ferr_add(fe, "email", "This is your own address. Enter your colleague's address.");
		return 1;
	}
	struct company c = {0};
	struct buf body = {0}, detail = {0};
	char token[TOKEN_TEXT_SIZE(32)], hash[TOKEN_HASH_SIZE];
	char now[INSTANT_LEN], since[INSTANT_LEN], until[INSTANT_LEN], target[24];
	int rc = -1;
	time_t t = time(NULL);
	instant_format(t, now);
	instant_format(t - 24 * 3600, since);
	instant_format(t + (time_t)INVITE_DAYS * 24 * 3600, until);
	if (db_begin_write(db) != 0)
		goto out;
	if (companies_get(db, id, &c) != 1)
		goto rollback;
	int64_t sent = invites_since(db, id, since);
	if (sent < 0)
		goto rollback;
	if (sent >= INVITES_PER_DAY) {
		ferr_add(fe, "email",
		         "Your company has sent 50 invitations in the last day. Please "
		         "try again tomorrow.");
		rc = 1;
		goto rollback;
	}
	token_random(token, 32);
	token_hash(token, hash);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO company_invites (company_id, email, token_hash, invited_by, created_at, "
	    "expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	if (st != NULL) {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, email);
		db_bind_text(st, 3, hash);
		db_bind_int(st, 4, a->user_id);
		db_bind_text(st, 5, now);
		db_bind_text(st, 6, until);
	}
	int64_t invite_id;
	if (db_returning_id(st, &invite_id) != 1)
		goto rollback;
	invite_mail(&body, a, c.name, email, token);
	/* Subjects are limited to MAIL_SUBJECT_MAX bytes; a long name stays in the text only. */
	char subject[MAIL_SUBJECT_MAX + 1];
	if (strlen(c.name) <= 150)
		snprintf(subject, sizeof(subject), "Join %s on Beacon", c.name);
	else
		snprintf(subject, sizeof(subject), "You are invited to join a company on Beacon");
	if (mail_queue(db, email, subject, buf_cstr(&body)) <= 0)
		goto rollback;
	id_text(id, target);
	buf_printf(&detail, "{\"invite_id\":%lld}", (long long)invite_id);
	if (audit_log(db, a->user_id, a->ip, "company.invite.sent", "company", target,
	              buf_cstr(&detail)) != 0)
		goto rollback;
	if (db_commit(db) != 0)
		goto out;
	if (expires_at != NULL)
		memcpy(expires_at, until, INSTANT_LEN);
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	sodium_memzero(token, sizeof(token));
	if (body.data != NULL)
		sodium_memzero(body.data, body.len); /* it holds the link */
	buf_free(&body);
	buf_free(&detail);
	company_free(&c);
	return rc;
}

/* May a join the company of an invitation to invited_email? */
static enum invite_status
may_join(struct db *db, const struct actor *a, const char *invited_email)
{
	if (a->email == NULL || strcmp(a->email, invited_email) != 0)
		return INVITE_WRONG_EMAIL;
	if (!(a->role & (ROLE_EMPLOYER | ROLE_RECRUITER)))
		return INVITE_WRONG_ROLE;
	if (!a->email_verified)
		return INVITE_UNVERIFIED;
	int64_t company_id;
	enum company_role role;
	int has = companies_of_user(db, a->user_id, &company_id, &role);
	return has < 0 ? INVITE_ERROR : has == 1 ? INVITE_HAS_COMPANY : INVITE_VALID;
}

enum invite_status
companies_invite_check(struct db *db, const char *token, const struct actor *a,
                       struct invite_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!token_text_valid(token))
		return INVITE_UNKNOWN;
	char hash[TOKEN_HASH_SIZE], now[INSTANT_LEN];
	token_hash(token, hash);
	instant_now(now);
	struct db_stmt *st =
	    db_prepare(db, "SELECT i.company_id, c.name, i.email, i.expires_at, i.accepted_at "
	                   "FROM company_invites i JOIN companies c ON c.id = i.company_id WHERE "
	                   "i.token_hash = ?");
	if (st == NULL)
		return INVITE_ERROR;
	db_bind_text(st, 1, hash);
	enum invite_status status;
	switch (db_step(st)) {
	case DB_ROW:
		info->company_id = db_col_int(st, 0);
		snprintf(info->company_name, sizeof(info->company_name), "%s", db_col_text(st, 1));
		snprintf(info->email, sizeof(info->email), "%s", db_col_text(st, 2));
		snprintf(info->expires_at, sizeof(info->expires_at), "%s", db_col_text(st, 3));
		status = !db_col_is_null(st, 4)               ? INVITE_USED
		         : strcmp(info->expires_at, now) <= 0 ? INVITE_EXPIRED
		                                              : INVITE_VALID;
		break;
	case DB_DONE:
		status = INVITE_UNKNOWN;
		break;
	default:
		status = INVITE_ERROR;
	}
	db_finalize(st);
	if (status == INVITE_VALID && a != NULL)
		status = may_join(db, a, info->email);
	return status;
}

enum invite_status
companies_invite_accept(struct db *db, const char *token, const struct actor *a,
                        int64_t *company_id)
{
	struct invite_info info;
	if (db_begin_write(db) != 0)
		return INVITE_ERROR;
	enum invite_status status = companies_invite_check(db, token, a, &info);
	if (status != INVITE_VALID)
		goto rollback;
	char hash[TOKEN_HASH_SIZE], now[INSTANT_LEN], target[24];
	token_hash(token, hash);
	instant_now(now);
	/* The single point of use: only one caller gets the row back. */
	struct db_stmt *st =
	    db_prepare(db, "UPDATE company_invites SET accepted_at = ? WHERE token_hash = ? "
	                   "AND accepted_at IS NULL AND expires_at > ? RETURNING company_id");
	if (st != NULL) {
		db_bind_text(st, 1, now);
		db_bind_text(st, 2, hash);
		db_bind_text(st, 3, now);
	}
	int used = db_returning_id(st, company_id);
	if (used != 1) {
		status = used == 0 ? INVITE_USED : INVITE_ERROR;
		goto rollback;
	}
	int added = add_member(db, *company_id, a->user_id, "member");
	if (added != 1) {
		status = added == 0 ? INVITE_HAS_COMPANY : INVITE_ERROR;
		goto rollback;
	}
	id_text(*company_id, target);
	if (audit_log(db, a->user_id, a->ip, "company.invite.accepted", "company", target, NULL) !=
	        0 ||
	    db_commit(db) != 0) {
		status = INVITE_ERROR;
		goto rollback;
	}
	return INVITE_VALID;
rollback:
	db_rollback(db);
	return status;
}
