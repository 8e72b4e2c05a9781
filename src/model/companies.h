/*
 * companies.h - employers' companies: the profile, its members and the
 * invitations that bring colleagues in.
 *
 * A user belongs to at most one company (company_members.user_id is
 * unique); whoever creates a company becomes its owner. Owners and members
 * alike may edit the profile, invite colleagues and post jobs for it.
 * Invitations are emailed links whose token is stored hashed, valid for
 * INVITE_DAYS and usable once, only by the invited address.
 */
#ifndef BEACON_MODEL_COMPANIES_H
#define BEACON_MODEL_COMPANIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fielderr.h"
#include "db/db.h"

#define COMPANY_NAME_MIN 2           /* characters */
#define COMPANY_NAME_MAX 120         /* characters */
#define COMPANY_DESCRIPTION_MAX 8000 /* characters of Markdown */
#define COMPANY_WEBSITE_MAX 500      /* bytes */
#define COMPANY_INDUSTRY_MAX 100     /* characters */
#define INVITE_DAYS 7
/* Invitations one company may send in 24 hours (keeps the mail form from becoming a spam tool). */
#define INVITES_PER_DAY 50

/* Who acts: the parts of the signed-in account the company and posting rules read. */
struct actor {
	int64_t user_id;
	int role; /* one enum role bit (model/users.h) */
	bool email_verified;
	const char *email; /* the account's (normalised) address */
	const char *name;  /* display name, for emails */
	const char *ip;    /* for the audit log, may be NULL */
};

/* The sizes a company may give, as {code, label} pairs ending with {NULL, NULL}. */
extern const char *const company_sizes[][2];

struct company {
	int64_t id;
	char *name;
	char *description; /* Markdown, "" when none */
	char *website;     /* NULL when none */
	char *size;        /* one of company_sizes, NULL when not stated */
	char *industry;    /* NULL when none */
	bool deaf_owned, deaf_led, asl_fluent_staff, interpreters_on_request;
	char *created_at, *updated_at;
};

/* A profile as submitted by a form or the API; strings as given (NULL = absent). */
struct company_input {
	const char *name;
	const char *description;
	const char *website;
	const char *size;
	const char *industry;
	bool deaf_owned, deaf_led, asl_fluent_staff, interpreters_on_request;
};

/* A member's place in the company. */
enum company_role { COMPANY_ROLE_NONE = 0, COMPANY_ROLE_OWNER, COMPANY_ROLE_MEMBER };

/* "owner", "member" (NULL for none). */
const char *company_role_name(enum company_role r);

/* Release c's strings and zero it. */
void company_free(struct company *c);

/*
 * Check in and build a clean profile in out (trimmed; empty optional fields
 * become NULL): name 2..120 characters on one line; description up to 8000
 * characters; website an http:// or https:// URL with a host; size one of
 * company_sizes; industry up to 100 characters. Messages go into fe under
 * the input's field names. Returns 0, or 1 when fe got a message (out is
 * then freed).
 */
int company_validate(const struct company_input *in, struct company *out, struct field_errors *fe);

/*
 * Create a company from in with a as its owner, audited
 * ("company.created"). Returns 0 (*id set), 1 when fe got a message, 2 when
 * a already belongs to a company, -1 on a database error.
 */
int companies_create(struct db *db, const struct actor *a, const struct company_input *in,
                     struct field_errors *fe, int64_t *id);

/*
 * Replace company id's profile with in (the caller has checked that a may).
 * The company's name and website are copied onto its jobs so search results
 * and job pages show the new ones. Returns 0, 1 (fe), -1.
 */
int companies_update(struct db *db, const struct actor *a, int64_t id,
                     const struct company_input *in, struct field_errors *fe);

/* Load company id: 1 found (free with company_free), 0 not found, -1 error. */
int companies_get(struct db *db, int64_t id, struct company *c);

/*
 * The company user_id belongs to: 1 (*company_id and *member_role set), 0
 * when none (*company_id = 0, *member_role = COMPANY_ROLE_NONE), -1 error.
 */
int companies_of_user(struct db *db, int64_t user_id, int64_t *company_id,
                      enum company_role *member_role);

/* One member as companies_members hands it over (strings live during the call). */
struct company_member {
	int64_t user_id;
	const char *display_name;
	const char *email;
	enum company_role role;
	const char *since; /* instant */
};

/* Call fn for each member of company id, owners first, oldest first. 0 or -1. */
int companies_members(struct db *db, int64_t id,
                      void (*fn)(const struct company_member *m, void *arg), void *arg);

/*
 * Invite email_in to company id on behalf of a (a member; the caller
 * checked): stores the hashed token, queues the email with the link
 * <base_url>/invites/accept?token=..., audits "company.invite.sent", all in
 * one transaction. fe gets "email" when the address is not valid, is a's
 * own, or the company sent INVITES_PER_DAY invitations in the last day.
 * Returns 0 (*expires_at, INSTANT_LEN bytes, set when not NULL), 1 (fe), -1.
 */
int companies_invite(struct db *db, const struct actor *a, int64_t id, const char *email_in,
                     struct field_errors *fe, char *expires_at);

enum invite_status {
	INVITE_VALID,       /* usable */
	INVITE_UNKNOWN,     /* no such token (or a malformed one) */
	INVITE_USED,        /* accepted already */
	INVITE_EXPIRED,     /* older than INVITE_DAYS */
	INVITE_WRONG_EMAIL, /* the actor's address is not the invited one */
	INVITE_UNVERIFIED,  /* the actor has not confirmed their address */
	INVITE_WRONG_ROLE,  /* only employer and recruiter accounts join companies */
	INVITE_HAS_COMPANY, /* the actor belongs to a company already */
	INVITE_ERROR = -1,  /* database error */
};

/* What an invitation says, for the page that offers to accept it. */
struct invite_info {
	int64_t company_id;
	char company_name[4 * COMPANY_NAME_MAX + 1];
	char email[256];
	char expires_at[24];
};

/*
 * Look token up without using it. With a (may be NULL: anonymous) also
 * tells whether a could accept it. Returns the status; info is filled
 * whenever the token is known.
 */
enum invite_status companies_invite_check(struct db *db, const char *token, const struct actor *a,
                                          struct invite_info *info);

/*
 * Accept token as a: every check of companies_invite_check, then, in one
 * transaction, the invitation is marked used (a conditional update: only
 * one caller wins), a becomes a member and "company.invite.accepted" is
 * audited. Returns INVITE_VALID on success (*company_id set).
 */
enum invite_status companies_invite_accept(struct db *db, const char *token, const struct actor *a,
                                           int64_t *company_id);

#endif
