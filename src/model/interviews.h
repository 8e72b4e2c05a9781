/*
 * interviews.h - interviews for an application: the employer side proposes
 * one to five times with a format (video, in person, text) and a place or
 * link; the candidate picks one or declines. The candidate's accommodation
 * needs, when their disclosure setting allows it at the interview stage,
 * are copied onto the interview (sealed) so the employer sees what to
 * arrange.
 */
#ifndef BEACON_MODEL_INTERVIEWS_H
#define BEACON_MODEL_INTERVIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/fielderr.h"
#include "db/db.h"
#include "model/applications.h"

#define INTERVIEW_SLOTS_MAX 5
#define INTERVIEW_LOCATION_MAX 500 /* characters */
#define INTERVIEW_DETAILS_MAX 2000 /* characters */
#define INTERVIEW_DURATION_MIN 15  /* minutes */
#define INTERVIEW_DURATION_MAX 480

/* What the employer side proposes; strings as given (NULL or "" = absent). */
struct interview_input {
	const char *format;   /* video | in_person | text */
	const char *location; /* address or meeting link; required for video and in_person */
	const char *duration; /* minutes, decimal */
	const char *details;  /* optional: anything else the candidate should know */
	/* "YYYY-MM-DDTHH:MM" (taken as UTC) or with "Z" / "+HH:MM"; in the future */
	const char *slots[INTERVIEW_SLOTS_MAX];
};

struct interview_slot {
	int64_t id;
	char starts_at[32]; /* YYYY-MM-DDTHH:MM:SSZ */
};

struct interview {
	int64_t id, application_id;
	char format[16];
	char status[16]; /* proposed | confirmed | cancelled */
	int64_t chosen_slot_id;
	char *location;
	char *details;
	int duration_min;
	char created_at[32];
	struct interview_slot slots[INTERVIEW_SLOTS_MAX];
	size_t nslots;
	bool has_accommodation; /* a sealed copy of the needs is on record */
};

void interview_free(struct interview *iv);

/* The label of a format ("Video call", "In person", "Text chat"), "" when unknown. */
const char *interview_format_label(const char *format);

/* How many of application app_id's interviews wait for the candidate's choice, or -1. */
int64_t interviews_waiting(struct db *db, int64_t app_id);

/*
 * Propose an interview for application app_id as a (employer side): the
 * application must be open; it moves to interview when it was at applied or
 * screening. Copies the candidate's needs (when disclosed at interview)
 * sealed onto the interview. Notifies the candidate. One proposal may wait
 * at a time: another while one is proposed is INVALID ("slot1" in fe).
 * OK with *id, INVALID, NOT_FOUND, FORBIDDEN (the candidate),
 * BAD_TRANSITION (application closed or past interview), ERROR.
 */
enum app_result interviews_propose(struct db *db, const struct actor *a, int64_t app_id,
                                   const struct interview_input *in, struct field_errors *fe,
                                   int64_t *id);

/*
 * The candidate picks slot_id of interview id, or declines (slot_id 0);
 * slot_id < 0 is no choice at all (INVALID, "slot_id" in fe). Only while
 * the interview is proposed and the application open. Refreshes the sealed
 * copy of the needs, notifies the employer side. OK, NOT_FOUND, FORBIDDEN
 * (employer side), INVALID (no choice, or not one of its slots),
 * BAD_TRANSITION (no longer proposed: confirmed, declined or cancelled),
 * ERROR.
 */
enum app_result interviews_choose(struct db *db, const struct actor *a, int64_t id,
                                  int64_t slot_id, struct field_errors *fe);

/*
 * Load interview id as a may see it (a participant of its application):
 * app filled too (free both). OK, NOT_FOUND, ERROR.
 */
enum app_result interviews_load(struct db *db, const struct actor *a, int64_t id,
                                struct interview *iv, struct application *app,
                                enum app_side *side);

/*
 * Cancel application app_id's proposed and confirmed interviews, within the
 * caller's transaction: the application was withdrawn or rejected, so
 * nobody will come. A confirmed one keeps its chosen slot, so its calendar
 * file can tell calendars to remove the event. what (may be NULL) gets one
 * plain-text sentence per interview cancelled, for the notification
 * ("The interview on 1 Dec 2026, 14:30 UTC is cancelled."). Returns how
 * many were cancelled, or -1.
 */
int interviews_cancel_open(struct db *db, int64_t app_id, struct buf *what);

/*
 * Cancel application app_id's interviews still waiting for a choice (the
 * candidate was hired: no time needs choosing); confirmed ones stay, they
 * may have taken place. How many, or -1.
 */
int interviews_cancel_proposed(struct db *db, int64_t app_id);

/* Application app_id's interviews, oldest first. 0 or -1. */
int interviews_of_application(struct db *db, int64_t app_id,
                              void (*fn)(const struct interview *iv, void *arg), void *arg);

/* The needs recorded on iv, opened into out: 1, 0 none, -1 error. */
int interviews_accommodation(struct db *db, const struct interview *iv, struct buf *out);

#endif
