/*
 * postings.h - jobs posted on Beacon by a company: validation of what an
 * employer submits (the same limits as imported jobs, model/jobs.h),
 * create, update, close and reopen, and who may do it.
 *
 * A posted job is an ordinary row of `jobs` (so search, job pages, feeds
 * and the API see it at once) with company_id, posted_by, source_name
 * "Beacon" and source_id "beacon:<random>". Members of the job's company
 * may change it, admins any job, nobody else: to everyone else the job is
 * "not found", so its existence is not revealed. Publishing (creating,
 * editing, reopening) needs a confirmed email address.
 */
#ifndef BEACON_MODEL_POSTINGS_H
#define BEACON_MODEL_POSTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dates.h"
#include "core/fielderr.h"
#include "db/db.h"
#include "model/companies.h"
#include "model/jobs.h"

#define POSTING_ACCOMMODATIONS_MAX 64

/*
 * A job as submitted by the form or the API: strings as given, NULL or ""
 * when absent. Field names in errors are the member names below.
 */
struct posting_input {
	const char *title;
	const char *description;      /* Markdown */
	const char *employment_type;  /* vocab_employment_types code */
	const char *experience_level; /* vocab_levels code */
	const char *city, *region, *country;
	bool remote;
	const char *applicant_country;                  /* where remote applicants must live */
	const char *salary_min, *salary_max;            /* decimal text: "52000", "52,000.50" */
	const char *salary_currency;                    /* ISO 4217, any case */
	const char *salary_period;                      /* vocab_periods code; "" = YEAR */
	const char *skills_required, *skills_preferred; /* one per line or comma-separated */
	const char *accommodations[POSTING_ACCOMMODATIONS_MAX]; /* vocab_accommodations codes */
	size_t naccommodations;
	const char *valid_through; /* "YYYY-MM-DD" (or an ISO 8601 instant), NULL/"" = none */
	/* Storage for posting_input_from_job's formatted values. */
	char text_[3][48];
};

/*
 * Fill in with what job j holds (for edit forms and PATCH). in points into
 * j, which must outlive it.
 */
void posting_input_from_job(struct posting_input *in, const struct job *j);

/*
 * Check every field of in (all errors at once, into fe) and build the
 * content fields of j (title, description, location, type, level, salary,
 * skills, accommodations, valid_through), newly allocated. valid_through
 * must be today or later unless it equals current_valid_through (an edit
 * that leaves an old date alone). Returns 0, or 1 when fe got a message (j
 * is then freed).
 */
int posting_validate(const struct posting_input *in, const char *current_valid_through,
                     struct job *j, struct field_errors *fe);

enum posting_result {
	POSTING_OK = 0,
	POSTING_INVALID = 1, /* fe holds the messages */
	POSTING_NOT_FOUND,   /* no such job, or not one a may change */
	POSTING_UNVERIFIED,  /* a has not confirmed their email address */
	POSTING_NO_COMPANY,  /* a belongs to no company */
	POSTING_EXPIRED,     /* reopen: valid_through has passed */
	POSTING_ERROR = -1,  /* database error */
};

/*
 * Post a new job for a's company: validated, company name and website from
 * the company, status open, date_posted today, audited ("job.posted").
 * Returns POSTING_OK with *id, or INVALID, UNVERIFIED, NO_COMPANY, ERROR.
 */
enum posting_result postings_create(struct db *db, const struct actor *a,
                                    const struct posting_input *in, struct field_errors *fe,
                                    int64_t *id);

/*
 * Replace job_id's content with in; its company, source, date posted and
 * status stay. Audited ("job.updated"). OK, INVALID, NOT_FOUND, UNVERIFIED,
 * ERROR.
 */
enum posting_result postings_update(struct db *db, const struct actor *a, int64_t job_id,
                                    const struct posting_input *in, struct field_errors *fe);

/* Close job_id (status closed; idempotent), audited. OK, NOT_FOUND, ERROR. */
enum posting_result postings_close(struct db *db, const struct actor *a, int64_t job_id);

/*
 * Reopen job_id (status open), audited. EXPIRED when its valid_through has
 * passed (edit the date first). OK, NOT_FOUND, UNVERIFIED, EXPIRED, ERROR.
 */
enum posting_result postings_reopen(struct db *db, const struct actor *a, int64_t job_id);

/*
 * May a change job_id? 1 when a is an admin (any existing job) or an
 * employer or recruiter who belongs to the job's company; 0 when not, or
 * when there is no such job (the same answer, on purpose); -1 on error.
 */
int postings_can_edit(struct db *db, const struct actor *a, int64_t job_id);

/*
 * Company company_id's jobs, most recently changed first: page (1-based)
 * of per_page. Calls fn for each (j lives during the call); *total gets the
 * number of jobs. 0 or -1.
 */
int postings_list(struct db *db, int64_t company_id, int page, int per_page,
                  void (*fn)(const struct job *j, void *arg), void *arg, int64_t *total);

#endif
