/*
 * worker.c - the task timer every Kore worker runs.
 *
 * Tasks run in slices on the worker's own database connection: a slice
 * claims due tasks one at a time and starts no new one after SLICE_MS or
 * SLICE_BATCH tasks. The handlers are synchronous (libcurl, files), so while
 * a slice runs the worker serves no requests; between slices it goes back
 * to its event loop. A slice that stopped with work possibly left (it hit
 * either limit) asks for the next one FOLLOW_MS later, so a burst drains at
 * the speed of the handlers rather than a few tasks per second; otherwise
 * the next look is a TICK_MS tick. Each handler bounds its own time (SMTP:
 * 20 s). The other workers keep serving meanwhile. The lease is longer than
 * any one task may take, so a slow task is never handed to a second worker
 * while it still runs.
 */
#include <kore/kore.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/log.h"
#include "model/mail.h"
#include "model/notifications.h"
#include "model/saved_searches.h"
#include "model/tasks.h"
#include "web/req.h"
#include "web/worker.h"

#define TICK_MS 1000             /* how often an idle worker looks for due tasks */
#define SLICE_BATCH 20           /* most tasks one slice runs */
#define SLICE_MS 20.0            /* no new task starts in a slice after this */
#define FOLLOW_MS 10             /* the next slice after one that left work */
#define LEASE_SECONDS 120        /* a claim's lease: well above the slowest task */
#define HOUSEKEEPING_MS (3600 * 1000) /* how often old rows are removed */
#define KEEP_SECONDS (7 * 24 * 3600)  /* finished tasks and sent mail are kept a week */

static char worker_tag[128];
static u_int64_t last_housekeeping;
static bool housekept;

/* Remove finished tasks and sent messages (with their links) after a week; start recurring tasks. */
static void
housekeeping(struct db *db)
{
	char before[INSTANT_LEN];
	instant_format(time(NULL) - KEEP_SECONDS, before);
	if (tasks_purge_done(db, before) < 0 || mail_purge_sent(db, before) < 0)
		log_warn("cannot remove old tasks and mail: %s", db_errmsg(db));
	/* Recurring tasks are chains that queue their next run; this starts them. */
	notify_schedule(db);
	saved_schedule(db);
}

/*
 * Called when this worker is about to run a task. Kore lets one worker at a
 * time accept new connections (the accept lock) and a worker keeps that
 * lock while it is not busy, so a worker stuck in a handler would leave
 * every new connection of the node waiting. Giving the lock up first lets
 * the other workers accept meanwhile (measured in docs/architecture.md).
 */
static void
hand_over_accepts(void)
{
	kore_worker_make_busy();
}

static bool follow_pending;    /* a one-shot timer for the next slice is set */

static void worker_tasks_follow(void *arg, u_int64_t now);

/* One slice of due tasks; when it may have left some, the next slice soon. */
static void
run_slice(struct db *db)
{
	double start = monotonic_ms();
	int ran = tasks_run_due(db, worker_tag, SLICE_BATCH, LEASE_SECONDS, SLICE_MS,
	                        hand_over_accepts);
	bool more = ran >= SLICE_BATCH || (ran > 0 && monotonic_ms() - start >= SLICE_MS);
	if (more && !follow_pending) {
		follow_pending = true;
		kore_timer_add(worker_tasks_follow, FOLLOW_MS, NULL, KORE_TIMER_ONESHOT);
	}
}

static void
worker_tasks_follow(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	follow_pending = false;
	struct db *db = app_db();
	if (db != NULL)
		run_slice(db);
}

static void
worker_tasks_tick(void *arg, u_int64_t now)
{
	(void)arg;
	struct db *db = app_db();
	if (db == NULL)
		return;
	/* A burst is already being drained by follow-up slices. */
	if (!follow_pending)
		run_slice(db);
	if (!housekept || now - last_housekeeping >= HOUSEKEEPING_MS) {
		housekept = true;
		last_housekeeping = now;
		housekeeping(db);
	}
}

void
worker_tasks_start(void)
{
	char host[64];
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	/* Names the claimer in tasks.locked_by: which node, which process. */
	snprintf(worker_tag, sizeof(worker_tag), "%s:%d", host, (int)getpid());
	kore_timer_add(worker_tasks_tick, TICK_MS, NULL, 0);
}
