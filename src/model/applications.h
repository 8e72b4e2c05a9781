/*
 * applications.h - a job seeker's application to a job and its way through
 * the employer's pipeline: applying, the stages and who may move between
 * them, the history of every change, the employer's private notes and bulk
 * rejection with a message.
 *
 * Two sides see an application: the candidate who made it, and the
 * employer side (members of the job's company, and admins; see
 * postings_can_edit). To everyone else it does not exist: the same
 * "not found" as an id nobody holds, so ids reveal nothing.
 */
#ifndef BEACON_MODEL_APPLICATIONS_H
#define BEACON_MODEL_APPLICATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fielderr.h"
#include "db/db.h"
#include "model/companies.h"

#define APP_MESSAGE_MAX 2000 /* characters of the candidate's note when applying */
#define APP_NOTE_MAX 4000    /* characters of an employer's private note */
#define APP_REJECT_MAX 2000  /* characters of a rejection message */
#define APP_BULK_MAX 200     /* applications one bulk rejection may name */

enum app_stage {
	STAGE_APPLIED,
	STAGE_SCREENING,
	STAGE_INTERVIEW,
	STAGE_OFFER,
	STAGE_HIRED,
	STAGE_REJECTED,
	STAGE_WITHDRAWN,
	STAGE_COUNT,
};

/* "applied", ... for a stage; NULL when out of range. */
const char *app_stage_name(int stage);
/* "Applied", "Screening", ... (for people). */
const char *app_stage_label(int stage);
/* The stage named s, or -1. */
int app_stage_parse(const char *s);

/* Who moves an application. */
enum app_side { SIDE_NONE = 0, SIDE_CANDIDATE = 1, SIDE_EMPLOYER = 2 };

/*
 * May side move an application from stage from to stage to? The table in
 * applications.c: forward through the pipeline (applied -> screening ->
 * interview -> offer -> hired, with applied or screening straight to
 * interview), rejected from any open stage by the employer side, withdrawn
 * from any open stage by the candidate. hired, rejected and withdrawn end it.
 */
bool app_transition_allowed(int from, int to, enum app_side side);

/* A stage the application can no longer leave (hired, rejected, withdrawn). */
bool app_stage_final(int stage);

struct application {
	int64_t id, job_id, user_id;
	int64_t resume_id, cover_letter_id; /* 0 when none */
	int64_t company_id;                 /* the job's company, 0 when none */
	int stage;
	char created_at[32], updated_at[32];
	char *message;        /* the candidate's note, "" when none */
	char *job_title;
	char *company;        /* the job's company name as shown on the job, "" when none */
	char *candidate_name;
	char *candidate_email;
};

void application_free(struct application *a);

enum app_result {
	APP_OK = 0,
	APP_INVALID = 1,    /* fe holds the messages */
	APP_NOT_FOUND,      /* no such application or job, or not one this actor may see */
	APP_DUPLICATE,      /* already applied to this job */
	APP_JOB_CLOSED,     /* the job is not open for applications */
	APP_BAD_TRANSITION, /* the stage change is not allowed from the current stage */
	APP_FORBIDDEN,      /* the actor may see it but not do this (e.g. a note by the candidate) */
	APP_ERROR = -1,
};

/* What applying takes; strings as given (NULL or "" = absent). */
struct app_input {
	const char *resume_id;       /* decimal id of the applicant's resume document */
	const char *cover_letter_id; /* optional: decimal id of a cover letter document */
	const char *message;         /* optional note to the employer */
};

/*
 * a applies to job_id (open and not past its closing date): the resume must
 * be a non-deleted document of kind resume owned by a, the cover letter (if
 * any) one of kind cover_letter. One application per person per job
 * (APP_DUPLICATE). Records the first event (-> applied) and notifies the
 * company's members (NOTIFY_APPLICATION_RECEIVED), in one transaction.
 * OK with *id, INVALID, NOT_FOUND (no such job), JOB_CLOSED, DUPLICATE, ERROR.
 */
enum app_result applications_apply(struct db *db, const struct actor *a, int64_t job_id,
                                   const struct app_input *in, struct field_errors *fe,
                                   int64_t *id);

/*
 * Load application id as actor a may see it: *side tells which side a is
 * on. OK (app filled; free it), NOT_FOUND (no such application or a is on
 * neither side), ERROR.
 */
enum app_result applications_load(struct db *db, const struct actor *a, int64_t id,
                                  struct application *app, enum app_side *side);

/*
 * Move application id to stage to, as a: the transition must be allowed for
 * a's side (app_transition_allowed). The update and its event (from, to,
 * actor, time, note) share one transaction; the candidate is notified
 * (NOTIFY_STAGE_CHANGED) when the employer side moved it, the company's
 * members when the candidate withdrew. note (may be NULL) is kept on the
 * event, shown to the candidate. OK, NOT_FOUND, BAD_TRANSITION, INVALID
 * (note too long), ERROR.
 */
enum app_result applications_move(struct db *db, const struct actor *a, int64_t id, int to,
                                  const char *note, struct field_errors *fe);

/*
 * The same within the caller's transaction for an application already
 * loaded (interviews move to "interview" when one is proposed): no access
 * check. OK, BAD_TRANSITION, ERROR.
 */
enum app_result applications_move_loaded(struct db *db, const struct actor *a,
                                         const struct application *app, int to,
                                         const char *note);

/*
 * Reject each of ids[0..n) (applications to job_id) with message, sent to
 * each candidate through notify(). a must be on the employer side of job_id.
 * All in one transaction: an id that is not an application to job_id makes
 * it NOT_FOUND and changes nothing; applications already in a final stage
 * are left as they are. *moved gets the number rejected. OK, INVALID
 * (message empty or too long, no ids, too many), NOT_FOUND, ERROR.
 */
enum app_result applications_bulk_reject(struct db *db, const struct actor *a, int64_t job_id,
                                         const int64_t *ids, size_t n, const char *message,
                                         struct field_errors *fe, int *moved);

/* One stage change as applications_events hands it over (strings live during the call). */
struct app_event {
	int64_t id;
	int from_stage; /* -1 for the first event */
	int to_stage;
	const char *actor_name; /* NULL when the account is gone */
	bool by_candidate;
	const char *at;
	const char *note;
};

/* Application id's events, oldest first. 0 or -1. */
int applications_events(struct db *db, int64_t id, int64_t candidate_id,
                        void (*fn)(const struct app_event *e, void *arg), void *arg);

/* Add a private note (employer side only). OK, NOT_FOUND, FORBIDDEN, INVALID, ERROR. */
enum app_result applications_note_add(struct db *db, const struct actor *a, int64_t id,
                                      const char *body, struct field_errors *fe);

struct app_note {
	int64_t id;
	const char *author_name;
	const char *created_at;
	const char *body;
};

/* Application id's notes, oldest first. 0 or -1. */
int applications_notes(struct db *db, int64_t id,
                       void (*fn)(const struct app_note *n, void *arg), void *arg);

/* A row of a list: the application and the viewer's unread message count. */
struct app_row {
	int64_t id, job_id, user_id;
	int stage;
	const char *job_title;
	const char *company;
	const char *candidate_name;
	const char *created_at, *updated_at;
	int64_t unread;
	int64_t to_choose; /* interviews waiting for the candidate's choice (applications_mine) */
};

/* user_id's applications, most recently changed first. 0 or -1. */
int applications_mine(struct db *db, int64_t user_id,
                      void (*fn)(const struct app_row *r, void *arg), void *arg);

/* Which applications to a job applications_of_job gives. */
struct app_job_query {
	int stage;        /* one stage, or -1 for every stage */
	bool unread_only; /* only those with messages the viewer has not read */
	int per_stage;    /* > 0: only the first per_stage of each stage (the board) */
	int limit;        /* > 0: at most limit rows of the whole list, after offset */
	int offset;       /* rows of the whole list to skip */
};

/*
 * Applications to job_id matching q (stage and unread_only), in pipeline
 * order (applied first, as enum app_stage) then oldest first, each with
 * viewer_id's unread message count; per_stage, offset and limit cut that
 * list. counts (may be NULL) gets, per stage, how many match q's stage and
 * unread filters before any cut. The caller checks that the viewer is on
 * the employer side. 0 or -1.
 */
int applications_of_job(struct db *db, int64_t job_id, const struct app_job_query *q,
                        int64_t viewer_id, int64_t counts[STAGE_COUNT],
                        void (*fn)(const struct app_row *r, void *arg), void *arg);

/* A document the applicant may attach (their own, not deleted). */
struct app_doc {
	int64_t id;
	const char *kind; /* "resume" | "cover_letter" | "portfolio" */
	const char *filename;
	const char *created_at;
};

/* user_id's documents of kind (NULL = all), newest first. 0 or -1. */
int applications_documents(struct db *db, int64_t user_id, const char *kind,
                           void (*fn)(const struct app_doc *d, void *arg), void *arg);

/* Notify every member of company_id (except except_user). 0 or -1. */
int applications_notify_company(struct db *db, int64_t company_id, int64_t except_user,
                                const char *kind, const char *title, const char *link,
                                const char *body);

#endif
