/*
 * users.c - accounts: rows, email and name normalisation, role names.
 */
#include "users.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "model/mail.h"

static const struct {
	int role;
	const char *name;
	const char *label;
} roles[] = {
    {ROLE_JOB_SEEKER, "job_seeker", "Job seeker"},
    {ROLE_ENTREPRENEUR, "entrepreneur", "Entrepreneur"},
    {ROLE_EMPLOYER, "employer", "Employer"},
    {ROLE_RECRUITER, "recruiter", "Recruiter"},
    {ROLE_COUNSELOR, "counselor", "VR counselor"},
    {ROLE_ADMIN, "admin", "Admin"},
};

const char *
role_name(int role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == role)
			return roles[i].name;
	return NULL;
}

const char *
role_label(int role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == role)
			return roles[i].label;
	return "Visitor";
}

int
role_parse(const char *name)
{
	if (name == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return 0;
}

bool
email_normalise(const char *in, char *out)
{
	if (in == NULL)
		return false;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n < 3 || n > EMAIL_MAX)
		return false;
	const char *at = NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c >= 0x7f || strchr("\"'<>()[],;:\\`", c) != NULL)
			return false;
		if (c == '@') {
			if (at != NULL)
				return false;
			at = in + i;
		}
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	if (at == NULL || at == in || (size_t)(at - in) > 64)
		return false;
	const char *domain = at + 1;
	size_t dlen = n - (size_t)(domain - in);
	if (dlen < 3 || memchr(domain, '.', dlen) == NULL || domain[0] == '.' || domain[0] == '-' ||
	    domain[dlen - 1] == '.' || strstr(domain, "..") != NULL)
		return false;
	/* Only addresses the mailer can send to: every account must be reachable. */
	return mail_address_valid(out);
}

char *
display_name_clean(const char *in)
{
	if (in == NULL)
		return NULL;
	while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
		in++;
	size_t n = strlen(in);
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\n' || in[n - 1] == '\r'))
		n--;
	if (n == 0 || !utf8_valid(in, n) || utf8_has_control(in, n) || memchr(in, '\n', n) ||
	    memchr(in, '\r', n) || memchr(in, '\t', n) || utf8_count(in, n) > DISPLAY_NAME_MAX)
		return NULL;
	return xstrndup(in, n);
}

#define USER_COLUMNS                                                                          \
	"id, email, password_hash, role, display_name, status, email_verified_at, totp_secret, " \
	"totp_enabled_at, totp_last_step, created_at"

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
user_from_row(struct db_stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	u->email = dup_or_null(db_col_text(st, 1));
	u->password_hash = dup_or_null(db_col_text(st, 2));
	u->role = role_parse(db_col_text(st, 3));
	u->display_name = dup_or_null(db_col_text(st, 4));
	const char *status = db_col_text(st, 5);
	u->disabled = status == NULL || strcmp(status, "active") != 0;
	u->email_verified = !db_col_is_null(st, 6);
	u->totp_secret = dup_or_null(db_col_text(st, 7));
	u->totp_enabled = !db_col_is_null(st, 8) && u->totp_secret != NULL;
	u->totp_last_step = db_col_int(st, 9);
	u->created_at = dup_or_null(db_col_text(st, 10));
}

static void
user_row(struct db_stmt *st, void *arg)
{
	user_from_row(st, arg);
}

void
user_free(struct user *u)
{
	free(u->email);
	if (u->password_hash != NULL) {
		memset(u->password_hash, 0, strlen(u->password_hash));
		free(u->password_hash);
	}
	free(u->display_name);
	free(u->totp_secret);
	free(u->created_at);
	memset(u, 0, sizeof(*u));
}

int
users_get(struct db *db, int64_t id, struct user *u)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?");
	if (st != NULL)
		db_bind_int(st, 1, id);
	return db_one(st, user_row, u);
}

int
users_by_email(struct db *db, const char *email, struct user *u)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS " FROM users WHERE email = ?");
	if (st != NULL)
		db_bind_text(st, 1, email);
	return db_one(st, user_row, u);
}

static int
email_taken(struct db *db, const char *email)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM users WHERE email = ?");
	if (st != NULL)
		db_bind_text(st, 1, email);
	return db_one(st, NULL, NULL);
}

int
users_create(struct db *db, const char *email, const char *password_hash, int role,
             const char *display_name, bool verified, int64_t *id)
{
	int taken = email_taken(db, email);
	if (taken != 0)
		return taken;
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO users (email, password_hash, role, display_name, email_verified_at, "
	        "password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	        "RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, password_hash);
	db_bind_text(st, 3, role_name(role));
	db_bind_text(st, 4, display_name);
	db_bind_text(st, 5, verified ? now : NULL);
	db_bind_text(st, 6, now);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, now);
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = 0;
	}
	db_finalize(st);
	/* A concurrent sign-up with the same address loses on the unique index. */
	if (rc != 0 && email_taken(db, email) == 1)
		rc = 1;
	return rc;
}

static int
update_text(struct db *db, const char *sql, const char *value, int64_t id)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	char now[INSTANT_LEN];
	instant_now(now);
	db_bind_text(st, 1, value);
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, id);
	return db_run(st) < 0 ? -1 : 0;
}

int
users_set_password(struct db *db, int64_t id, const char *password_hash)
{
	struct db_stmt *st = db_prepare(db, "UPDATE users SET password_hash = ?, updated_at = ?, "
	                                    "password_changed_at = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	char now[INSTANT_LEN];
	instant_now(now);
	db_bind_text(st, 1, password_hash);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, now);
	db_bind_int(st, 4, id);
	return db_run(st) < 0 ? -1 : 0;
}

int
users_set_email(struct db *db, int64_t id, const char *email)
{
	int taken = email_taken(db, email);
	if (taken != 0)
		return taken;
	return update_text(db, "UPDATE users SET email = ?, updated_at = ? WHERE id = ?", email, id);
}

int
users_set_role(struct db *db, int64_t id, int role)
{
	if (role_name(role) == NULL)
		return -1;
	return update_text(db, "UPDATE users SET role = ?, updated_at = ? WHERE id = ?",
	                   role_name(role), id);
}

int
users_set_disabled(struct db *db, int64_t id, bool disabled)
{
	return update_text(db, "UPDATE users SET status = ?, updated_at = ? WHERE id = ?",
	                   disabled ? "disabled" : "active", id);
}

int
users_set_display_name(struct db *db, int64_t id, const char *name)
{
	return update_text(db, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?",
	                   name, id);
}

int
users_mark_verified(struct db *db, int64_t id)
{
	char now[INSTANT_LEN];
	instant_now(now);
	return update_text(db,
	                   "UPDATE users SET email_verified_at = ?, updated_at = ? WHERE id = ?",
	                   now, id);
}

int
users_set_totp(struct db *db, int64_t id, const char *sealed, bool enabled)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE users SET totp_secret = ?, totp_enabled_at = ?, updated_at = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	char now[INSTANT_LEN];
	instant_now(now);
	db_bind_text(st, 1, sealed);
	db_bind_text(st, 2, enabled && sealed != NULL ? now : NULL);
	db_bind_text(st, 3, now);
	db_bind_int(st, 4, id);
	return db_run(st) < 0 ? -1 : 0;
}

int
users_claim_totp_step(struct db *db, int64_t id, int64_t step)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, step);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, step);
	int64_t n = db_run(st);
	return n < 0 ? -1 : n > 0 ? 1 : 0;
}

int64_t
users_count_active_admins(struct db *db)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active'");
	if (st == NULL)
		return -1;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

/* Bind the filter's values in the order the WHERE clause below uses them. */
static void
bind_filter(struct db_stmt *st, const struct user_filter *f, const char *like)
{
	db_bind_text(st, 1, like);
	db_bind_text(st, 2, like);
	db_bind_text(st, 3, like);
	db_bind_text(st, 4, f->role ? role_name(f->role) : NULL);
	db_bind_text(st, 5, f->role ? role_name(f->role) : NULL);
	db_bind_int(st, 6, f->disabled);
	db_bind_int(st, 7, f->disabled);
}

/* PostgreSQL cannot infer the type of a bare "? IS NULL" parameter, hence the casts. */
#define USER_FILTER                                                                    \
	" WHERE (CAST(? AS TEXT) IS NULL OR email LIKE ? ESCAPE '!'"                       \
	" OR LOWER(display_name) LIKE ? ESCAPE '!')"                                       \
	" AND (CAST(? AS TEXT) IS NULL OR role = ?)"                                       \
	" AND (? < 0 OR (status = 'disabled') = (? = 1))"

int
users_list(struct db *db, const struct user_filter *f, int page, int per_page,
           void (*fn)(const struct user *u, void *arg), void *arg, int64_t *total)
{
	char *like = NULL;
	if (f->q != NULL && f->q[0] != '\0') {
		struct buf b = {0};
		buf_putc(&b, '%');
		for (const char *p = f->q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '!')
				buf_putc(&b, '!');
			buf_putc(&b, (char)tolower((unsigned char)*p));
		}
		buf_putc(&b, '%');
		like = buf_steal(&b);
	}
	int rc = -1;
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM users" USER_FILTER);
	if (st == NULL)
		goto out;
	bind_filter(st, f, like);
	*total = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	if (*total < 0)
		goto out;
	st = db_prepare(db, "SELECT " USER_COLUMNS " FROM users" USER_FILTER
	                    " ORDER BY id DESC LIMIT ? OFFSET ?");
	if (st == NULL)
		goto out;
	bind_filter(st, f, like);
	db_bind_int(st, 8, per_page);
	db_bind_int(st, 9, (int64_t)(page - 1) * per_page);
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		struct user u;
		user_from_row(st, &u);
		fn(&u, arg);
		user_free(&u);
	}
	db_finalize(st);
	rc = r == DB_DONE ? 0 : -1;
out:
	free(like);
	return rc;
}
