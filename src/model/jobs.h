/*
 * jobs.h - the job posting: storage, validation, and its schema.org
 * JobPosting form (used by import/export, JSON-LD on pages and the API).
 */
#ifndef BEACON_MODEL_JOBS_H
#define BEACON_MODEL_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "db/db.h"

#define JOB_TITLE_MAX 200
#define JOB_COMPANY_MAX 200
#define JOB_DESCRIPTION_MAX 32768 /* cmark slows down badly on hostile input beyond this */
#define JOB_SOURCE_ID_MAX 200
#define JOB_FIELD_MAX 200
#define JOB_SKILLS_MAX 50
#define JOB_SALARY_MAX 1e12 /* largest salary amount accepted */

struct job {
	int64_t id;
	char *source_id;
	char *source_name;
	char *title;
	char *company;
	char *company_url;
	char *description; /* Markdown */
	char *city, *region, *country;
	bool remote;
	char *applicant_country;
	char *employment_type; /* vocab_employment_types code */
	char *experience_level; /* vocab_levels code */
	bool has_salary;
	double salary_min, salary_max; /* 0 when absent; max >= min */
	char *salary_currency;  /* ISO 4217 */
	char *salary_period;    /* vocab_periods code */
	char *skills_required;  /* newline-separated */
	char *skills_preferred; /* newline-separated */
	char *industry;
	uint64_t accommodations; /* bit set of vocab_accommodations */
	char *sensory_requirement;
	char *date_posted;   /* YYYY-MM-DD */
	char *valid_through; /* YYYY-MM-DDTHH:MM:SSZ or NULL */
	char *status;        /* open | closed | expired */
	char *updated_at;
};

/* The columns job_from_row reads, in order, for SELECT lists. */
#define JOB_COLUMNS                                                                          \
	"j.id, j.source_id, j.source_name, j.title, j.company, j.company_url, j.description, " \
	"j.city, j.region, j.country, j.remote, j.applicant_country, j.employment_type, "      \
	"j.experience_level, j.salary_min, j.salary_max, j.salary_currency, j.salary_period, " \
	"j.skills_required, j.skills_preferred, j.industry, j.accommodations, "                \
	"j.sensory_requirement, j.date_posted, j.valid_through, j.status, j.updated_at"
#define JOB_NCOLUMNS 27

/* Release the strings of j and zero it. */
void job_free(struct job *j);
/* Fill j from the current row of st, whose columns start at col with JOB_COLUMNS. */
void job_from_row(struct db_stmt *st, int col, struct job *j);

/* Load job id: 1 found, 0 not found, -1 database error. */
int jobs_get(struct db *db, int64_t id, struct job *j);

/*
 * Insert j, or update the job with the same source_id. Sets *id and
 * *created. Returns 0 or -1 (database error, see db_errmsg).
 */
int jobs_upsert(struct db *db, const struct job *j, int64_t *id, bool *created);

/* Number of jobs (any status), or -1. */
int64_t jobs_count(struct db *db);

/*
 * The application user_id made to job id, at whatever stage, for the job
 * page: 1 with *application_id, 0 when the user never applied, -1.
 */
int jobs_application_of(struct db *db, int64_t id, int64_t user_id, int64_t *application_id);

/* True when the job is not open for applications at instant now_iso. */
bool job_is_closed(const struct job *j, const char *now_iso);

/*
 * Build j from a schema.org JobPosting object (import format, see
 * docs/import-format.md). Validates every field; on failure returns -1 with
 * "field: reason" in err and leaves j freed.
 */
int job_from_jsonld(json_t *obj, struct job *j, char *err, size_t errlen);

/*
 * Write j as a schema.org JobPosting object (with Beacon's extension
 * fields and the Markdown description when extended is set, as export
 * does). base_url is used for url. description_html is the rendered
 * description when the caller has it already (NULL renders it here).
 */
void job_write_jsonld(struct json_writer *w, const struct job *j, const char *base_url,
                      bool extended, const char *description_html);

/* Write j in the API's shape (GET /api/v1/jobs/{id}). */
void job_write_api(struct json_writer *w, const struct job *j, const char *base_url);

/* Call fn for each skill in a newline-separated list. */
void job_each_skill(const char *list, void (*fn)(const char *skill, size_t n, void *arg),
                    void *arg);

#endif
