/*
 * users.h - accounts and their roles.
 *
 * A user has exactly one role. Anyone may sign up as a job seeker,
 * entrepreneur or employer; admins grant recruiter, counselor and admin.
 * Roles are bits so the route table can list who may use a route as a mask.
 */
#ifndef BEACON_MODEL_USERS_H
#define BEACON_MODEL_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

enum role {
	ROLE_JOB_SEEKER = 1 << 0,
	ROLE_ENTREPRENEUR = 1 << 1,
	ROLE_EMPLOYER = 1 << 2,
	ROLE_RECRUITER = 1 << 3,
	ROLE_COUNSELOR = 1 << 4,
	ROLE_ADMIN = 1 << 5,
};
#define ROLES_ALL 0x3f
/* The roles people may choose at sign-up. */
#define ROLES_SELF_SERVICE (ROLE_JOB_SEEKER | ROLE_ENTREPRENEUR | ROLE_EMPLOYER)

/* "job_seeker" for ROLE_JOB_SEEKER; NULL for anything that is not one role. */
const char *role_name(int role);
/* "Job seeker": the role as people read it. */
const char *role_label(int role);
/* The role bit for a name, or 0. */
int role_parse(const char *name);

/* Longest email address accepted (RFC 5321 path limit). */
#define EMAIL_MAX 254
#define DISPLAY_NAME_MAX 100

struct user {
	int64_t id;
	char *email;
	char *password_hash;
	int role;
	char *display_name;
	bool disabled;
	bool email_verified;
	char *totp_secret; /* sealed text, NULL when 2FA is off or only being enrolled */
	bool totp_enabled;
	int64_t totp_last_step;
	char *created_at;
};

/*
 * Check and normalise an email address into out (EMAIL_MAX + 1 bytes):
 * trimmed, lower-cased, one '@' with a non-empty local part and a domain
 * with a dot, printable ASCII without spaces, quotes or angle brackets.
 * Returns false for anything else. Internationalised addresses are not
 * accepted yet.
 */
bool email_normalise(const char *in, char *out);

/* Trimmed display name, 1..DISPLAY_NAME_MAX characters without controls; NULL otherwise (caller frees). */
char *display_name_clean(const char *in);

/* 1 found (u filled, free with user_free), 0 not found, -1 database error. */
int users_get(struct db *db, int64_t id, struct user *u);
int users_by_email(struct db *db, const char *email, struct user *u);
void user_free(struct user *u);

/* Create an account. Returns 0 (and *id), 1 when the email is taken, -1 on error. */
int users_create(struct db *db, const char *email, const char *password_hash, int role,
                 const char *display_name, bool verified, int64_t *id);

/* Field updates; each returns 0, or -1 on error. */
int users_set_password(struct db *db, int64_t id, const char *password_hash);
int users_set_email(struct db *db, int64_t id, const char *email); /* 1 when taken */
int users_set_role(struct db *db, int64_t id, int role);
int users_set_disabled(struct db *db, int64_t id, bool disabled);
int users_set_display_name(struct db *db, int64_t id, const char *name);
int users_mark_verified(struct db *db, int64_t id);
/* Store a sealed TOTP secret (NULL turns 2FA off) and whether it is confirmed. */
int users_set_totp(struct db *db, int64_t id, const char *sealed, bool enabled);
/*
 * Record that TOTP step was used: succeeds (1) only when step is newer than
 * the last accepted one, in one conditional UPDATE, so two workers racing
 * with the same code cannot both win. 0 = replay, -1 = error.
 */
int users_claim_totp_step(struct db *db, int64_t id, int64_t step);

/* How many admins can sign in (active); -1 on error. */
int64_t users_count_active_admins(struct db *db);

struct user_filter {
	const char *q;  /* part of the email or name, or NULL */
	int role;       /* one role bit or 0 */
	int disabled;   /* -1 any, 0 active, 1 disabled */
};
/*
 * Users matching f, newest first, page (1-based) of per_page. Calls fn for
 * each; *total receives the number matching. Returns 0 or -1.
 */
int users_list(struct db *db, const struct user_filter *f, int page, int per_page,
               void (*fn)(const struct user *u, void *arg), void *arg, int64_t *total);

#endif
