/*
 * tasks.h - the durable background queue (table `tasks`).
 *
 * Work that must survive a restart and may run on any node (email, alerts,
 * text extraction) is a row: a kind, a text payload and a due time. Any
 * process claims due rows atomically (tasks_claim), so two workers or two
 * nodes never run one task at the same time; a claim is a lease that
 * expires, so the work of a worker that died is picked up again. A failure
 * puts the task back with exponential backoff until max_attempts, then it
 * stays 'failed' with its last error for the admin page.
 *
 * Delivery is at least once: a worker that dies after the work but before
 * tasks_done makes the task run again when its lease expires. Handlers
 * must tolerate that (email marks outbox.sent_at and skips sent mail).
 *
 * Times are instants as Beacon stores them ("YYYY-MM-DDTHH:MM:SSZ").
 */
#ifndef BEACON_MODEL_TASKS_H
#define BEACON_MODEL_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dates.h"
#include "db/db.h"

#define TASKS_KIND_MAX 64          /* bytes of a kind, NUL included */
#define TASKS_PAYLOAD_MAX 65536    /* bytes of a payload */
#define TASKS_ERROR_MAX 500        /* bytes of last_error kept */
#define TASKS_BACKOFF_BASE 30      /* seconds before the first retry */
#define TASKS_BACKOFF_CAP (6 * 3600) /* longest wait between attempts */
#define TASKS_STATS_FAILED_MAX 50  /* most failed tasks tasks_stats reports */

/* One claimed task. */
struct task {
	int64_t id;
	char kind[TASKS_KIND_MAX];
	char *payload;    /* owned; released by tasks_release */
	int attempts;     /* this claim included, so 1 on the first run */
	int max_attempts;
};

/* What a handler reports. */
enum task_result {
	TASK_DONE = 0,  /* finished: the task is marked done */
	TASK_RETRY = 1, /* failed for now: retried with backoff until max_attempts */
	TASK_GIVE_UP = 2 /* can never succeed (bad payload, 5xx from a mail server): failed now */
};

/*
 * A handler runs one task on db (outside any transaction) and, unless it
 * returns TASK_DONE, writes a one-line reason into err. The reason is
 * stored and logged, so it must never hold secrets or message bodies.
 */
typedef enum task_result (*task_handler)(struct db *db, const struct task *task, char *err,
                                         size_t errlen);

/*
 * Register the handler for kind (printable ASCII, 1..63 bytes) in this
 * process. Call it before the workers fork. Returns 0, or -1 when the kind
 * is invalid, already registered or the table is full.
 */
int tasks_register(const char *kind, task_handler fn);
/* The handler registered for kind, or NULL. */
task_handler tasks_handler(const char *kind);
/* Forget every registered handler (tests). */
void tasks_unregister_all(void);

/*
 * Queue a task of kind with payload (valid UTF-8, at most TASKS_PAYLOAD_MAX
 * bytes; NULL is ""), due at run_at (an instant) or now when run_at is NULL.
 * A single INSERT, so it joins the caller's transaction when one is open.
 * Returns the new id, or -1 (invalid arguments or a database error).
 */
int64_t tasks_enqueue(struct db *db, const char *kind, const char *payload, const char *run_at);

/*
 * Claim up to max (1..64) due tasks for worker_tag: pending ones whose
 * run_at has come, and running ones whose lease (locked_until) has expired.
 * Each claimed row becomes 'running' with attempts + 1, locked_by =
 * worker_tag and locked_until = now + lease_seconds, in one UPDATE, so a
 * task is never handed to two claimers at once (SQLite takes the write lock
 * for the whole statement; PostgreSQL skips rows another claim has locked).
 * Call it outside a transaction. Fills out[0..n-1] in due order and returns
 * n (0 when nothing is due), or -1 on a database error. Release the tasks
 * with tasks_release.
 */
int tasks_claim(struct db *db, const char *worker_tag, int max, int lease_seconds,
                struct task *out);
/* Free the payloads of n claimed tasks. */
void tasks_release(struct task *tasks, int n);

/*
 * Mark a claimed task done. Only the current claim counts (the row is still
 * 'running' with the same attempts): returns 0, 1 when the lease was lost to
 * another claimer (nothing changed), -1 on a database error.
 */
int tasks_done(struct db *db, const struct task *task);

/*
 * Record a failure of a claimed task: back to 'pending' due after
 * tasks_retry_delay(attempts), or 'failed' when attempts reached max_attempts.
 * error is kept in last_error, cut to TASKS_ERROR_MAX bytes on a character
 * boundary (invalid UTF-8 and control characters become '?'). Returns as
 * tasks_done.
 */
int tasks_fail(struct db *db, const struct task *task, const char *error);
/* As tasks_fail, but 'failed' at once whatever the attempts. */
int tasks_give_up(struct db *db, const struct task *task, const char *error);

/* Seconds to wait after the given failed attempt: 30 s x 2^(attempts-1), at most 6 h. */
long tasks_backoff(int attempts);
/*
 * tasks_backoff plus a random quarter of it at most, so tasks that failed
 * together (a mail server refusing a burst) do not all come back at once
 * (so up to 7.5 h after the 6 h cap).
 */
long tasks_retry_delay(int attempts);

/*
 * Claim due tasks one at a time and run their handlers, for at most max
 * tasks or until budget_ms has passed (a task already started always
 * finishes). Unknown kinds are retried (a newer node may know them); a task
 * whose previous lease expired on its last attempt is given up without
 * running. Each failure is logged at warn. busy (may be NULL) is called
 * once, after the first claim and before its handler runs: the server hands
 * its share of new connections to other workers there. Returns the number
 * of tasks run, or -1 when the queue could not be read.
 */
int tasks_run_due(struct db *db, const char *worker_tag, int max, int lease_seconds,
                  double budget_ms, void (*busy)(void));

/* Delete done tasks last updated before the instant before. Returns rows deleted or -1. */
int64_t tasks_purge_done(struct db *db, const char *before);

/* One failed task, for the admin page. */
struct tasks_failure {
	int64_t id;
	char kind[TASKS_KIND_MAX];
	int attempts;
	char updated_at[INSTANT_LEN];
	char last_error[TASKS_ERROR_MAX + 1];
};

/* The state of the queue. */
struct tasks_stats {
	int64_t pending, running, done, failed;
	int64_t due;                 /* pending tasks whose run_at has come */
	char oldest_due[INSTANT_LEN]; /* run_at of the oldest due task, "" when none */
	int nfailures;
	struct tasks_failure failures[TASKS_STATS_FAILED_MAX]; /* newest first */
};

/*
 * Count tasks per status and list the last_failed (at most
 * TASKS_STATS_FAILED_MAX) most recently failed ones. 0 or -1.
 */
int tasks_stats(struct db *db, int last_failed, struct tasks_stats *out);

#endif
