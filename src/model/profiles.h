/*
 * profiles.h - a job seeker's profile: what they offer (headline, summary,
 * skills, experience, education), what they look for, how they communicate,
 * and their accommodation needs with the disclosure and visibility settings.
 *
 * Contact numbers and accommodation needs are sealed (core/seal.h) with the
 * aad "profiles.<column>:<user id>"; only profiles_get with PROFILE_OWNER
 * opens them, and only model/disclosure.c shows needs to anyone else.
 * Skills are stored normalised (profiles_skill_norm); search_text is
 * rebuilt on every save for candidate search.
 */
#ifndef BEACON_MODEL_PROFILES_H
#define BEACON_MODEL_PROFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/fielderr.h"
#include "db/db.h"

#define PROFILE_HEADLINE_MAX 120  /* characters */
#define PROFILE_SUMMARY_MAX 4000  /* characters */
#define PROFILE_LINES_MAX 10      /* desired titles, locations, links: lines each */
#define PROFILE_LINE_MAX 120      /* characters per title or location line */
#define PROFILE_LINK_MAX 500      /* bytes per link */
#define PROFILE_WORKAUTH_MAX 300  /* characters */
#define PROFILE_SKILLS_MAX 50     /* skills */
#define PROFILE_SKILL_MAX 60      /* characters per skill */
#define PROFILE_ENTRIES_MAX 20    /* experience or education entries */
#define PROFILE_ENTRY_TEXT_MAX 160 /* characters: title, organisation, institution, ... */
#define PROFILE_ENTRY_DESC_MAX 2000 /* characters of an experience description */
#define PROFILE_PHONE_MAX 40      /* bytes of a contact number */
#define PROFILE_NOTES_MAX 1000    /* characters of accommodation notes */
#define PROFILE_SALARY_MAX 100000000.0

struct profile_experience {
	char *title, *organisation, *start_date, *end_date, *description; /* dates may be NULL */
};

struct profile_education {
	char *institution, *credential, *field, *start_date, *end_date; /* dates may be NULL */
};

/*
 * A profile. Every string is allocated ("" when empty) except those marked
 * NULL-able. As input (profiles_validate) the strings are taken as
 * submitted and replaced by their clean forms.
 */
struct profile {
	int64_t user_id;
	char *headline, *summary;
	char *desired_titles; /* one per line */
	char *locations;      /* one per line */
	char *remote_preference; /* onsite | hybrid | remote | any */
	char *experience_level;  /* vocab_levels code, NULL when not stated */
	bool has_salary;
	double salary_min;
	char *salary_currency; /* 3 capital letters, NULL without a salary */
	char *salary_period;   /* vocab_periods code, NULL without a salary */
	char *availability;    /* immediately | two_weeks | one_month | three_months | not_looking */
	char *work_authorization;
	char *links;         /* one http(s) URL per line */
	uint64_t comm_modes; /* bit set over vocab_comm_modes */
	char *videophone, *text_phone; /* sealed at rest; "" when none */
	uint64_t needs;      /* bit set over vocab_needs (sealed at rest as codes) */
	char *needs_notes;   /* sealed at rest */
	char *disclosure;    /* never | after_apply | interview */
	char *visibility;    /* private | employers | public */
	char **skills;       /* normalised, in the owner's order */
	int nskills;
	struct profile_experience *experience;
	int nexperience;
	struct profile_education *education;
	int neducation;
	char *created_at, *updated_at; /* NULL before the first save */
	char *display_name;            /* the account's name (read only) */
};

/* Codes of the enumerated profile fields, each list ended by NULL. */
extern const char *const profiles_remote_prefs[];
extern const char *const profiles_availabilities[];
extern const char *const profiles_disclosures[];
extern const char *const profiles_visibilities[];
/* Short labels for the codes above (same order). */
extern const char *const profiles_remote_labels[];
extern const char *const profiles_availability_labels[];
extern const char *const profiles_disclosure_labels[];
extern const char *const profiles_visibility_labels[];

/* Index of code in a NULL-ended list, or -1. */
int profiles_code_index(const char *const *list, const char *code);

/* An empty profile with the defaults (private, never disclose, any remote, immediately). */
void profiles_init(struct profile *p);
/* Release p's strings and zero it. */
void profiles_free(struct profile *p);

/*
 * The first names of profiles_init and profiles_free. They must never be
 * real symbols: libkrb5 (loaded by libpq for GSSAPI) exports its own
 * profile_init, and the dynamic linker handed callers that one.
 */
#define profile_init(p) profiles_init(p)
#define profile_free(p) profiles_free(p)

/*
 * Normalise one skill into out (size n): ASCII letters folded to lower
 * case, white space trimmed and collapsed to one space, then the alias
 * table applied (js -> javascript, american sign language -> asl, ...).
 * Returns false when the result is empty, too long or holds control
 * characters or broken UTF-8.
 */
bool profiles_skill_norm(const char *in, char *out, size_t n);

/*
 * Clean and check p in place: every text field trimmed and limited, enums
 * checked, links http(s) only, skills
 * normalised (duplicates dropped), entries without any text dropped and
 * entries with text but no title/institution refused; dates YYYY, YYYY-MM
 * or YYYY-MM-DD. Messages go into fe
 * under the field names of the page form and the API ("headline",
 * "skills", "experience.0.title", ...). Returns 0, or 1 when fe got a
 * message.
 */
int profiles_validate(struct profile *p, struct field_errors *fe);

/* Who reads a profile: its owner (everything) or an employer (no sealed fields). */
enum profile_view { PROFILE_OWNER, PROFILE_PUBLIC };

/*
 * Load user_id's profile into p. PROFILE_OWNER opens the sealed fields;
 * PROFILE_PUBLIC leaves numbers and needs empty and never decrypts.
 * Returns 1 found, 0 when the user has no profile (p initialised with the
 * defaults and user_id), -1 on error (including a sealed value that does not
 * open).
 */
int profiles_get(struct db *db, int64_t user_id, enum profile_view view, struct profile *p);

/*
 * Validate p (see profiles_validate) and store it as user_id's profile:
 * upsert the row with sealed numbers and needs, replace skills, experience
 * and education, rebuild search_text, all in one transaction. Returns 0,
 * 1 when fe got a message, -1 on error.
 */
int profiles_save(struct db *db, int64_t user_id, struct profile *p, struct field_errors *fe);

/* The sealed needs document {"needs":[codes],"notes":"..."} for needs and notes, into out. */
void profiles_needs_json(uint64_t needs, const char *notes, struct buf *out);
/* Parse a needs document: 0 (*needs, *notes allocated) or -1 when it is not one. */
int profiles_needs_parse(const char *json, uint64_t *needs, char **notes);

/* Candidate search (employers, recruiters, admins): visible profiles only. */
struct candidate_query {
	const char *words;      /* free text: every word (search_words) in search_text, stemmed
	                           as in job search, through the full-text index */
	const char *skills;     /* comma-separated; all of them */
	const char *location;   /* substring of any location line */
	const char *remote;     /* remote_preference code or NULL */
	const char *availability; /* code or NULL */
	const char *level;      /* vocab_levels code or NULL */
	int page, per_page;     /* page from 1 */
};

/* One search result (strings live during the callback). */
struct candidate_hit {
	int64_t user_id;
	const char *display_name, *headline, *locations, *remote_preference, *availability,
	    *experience_level, *skills, *updated_at; /* skills: comma-separated */
};

/*
 * Run q: calls fn for each hit of the page (newest update first, then the
 * highest id) and sets *total, the matches on all pages. Returns 0, 1 when q
 * holds a value out of range (fe names it), -1.
 */
int candidates_search(struct db *db, const struct candidate_query *q, struct field_errors *fe,
                      void (*fn)(const struct candidate_hit *h, void *arg), void *arg,
                      int64_t *total);

/*
 * Whether user_id's profile may be shown to employers (visibility employers
 * or public, and the account is an active job seeker): 1 yes, 0 no, -1.
 */
int profiles_visible_to_employers(struct db *db, int64_t user_id);

/*
 * Whether user_id's profile is public (anyone, signed in or not, may see
 * what employers see): 1 yes, 0 no, -1.
 */
int profiles_public(struct db *db, int64_t user_id);

#endif
