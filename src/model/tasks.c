/*
 * tasks.c - the durable background queue: enqueue, atomic claim with a
 * lease, done/fail with backoff, the kind -> handler registry and the
 * runner the server's workers call on a timer.
 */
#include "tasks.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"

#define TASKS_HANDLERS_MAX 32
#define TASKS_CLAIM_MAX 64

static struct {
	char kind[TASKS_KIND_MAX];
	task_handler fn;
} handlers[TASKS_HANDLERS_MAX];
static int nhandlers;

static bool
kind_ok(const char *kind)
{
	size_t n = kind ? strlen(kind) : 0;
	if (n == 0 || n >= TASKS_KIND_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (kind[i] <= 0x20 || kind[i] >= 0x7F)
			return false;
	}
	return true;
}

int
tasks_register(const char *kind, task_handler fn)
{
	if (!kind_ok(kind) || fn == NULL || tasks_handler(kind) != NULL ||
	    nhandlers == TASKS_HANDLERS_MAX)
		return -1;
	snprintf(handlers[nhandlers].kind, sizeof(handlers[nhandlers].kind), "%s", kind);
	handlers[nhandlers].fn = fn;
	nhandlers++;
	return 0;
}

task_handler
tasks_handler(const char *kind)
{
	for (int i = 0; i < nhandlers; i++) {
		if (strcmp(handlers[i].kind, kind) == 0)
			return handlers[i].fn;
	}
	return NULL;
}

void
tasks_unregister_all(void)
{
	nhandlers = 0;
}

static void
instant_in(long seconds, char out[INSTANT_LEN])
{
	instant_format(time(NULL) + seconds, out);
}

long
tasks_backoff(int attempts)
{
	long wait = TASKS_BACKOFF_BASE;
	for (int i = 1; i < attempts && wait < TASKS_BACKOFF_CAP; i++)
		wait *= 2;
	return wait < TASKS_BACKOFF_CAP ? wait : TASKS_BACKOFF_CAP;
}

long
tasks_retry_delay(int attempts)
{
	long wait = tasks_backoff(attempts);
	return wait + (long)randombytes_uniform((uint32_t)(wait / 4 + 1));
}

int64_t
tasks_enqueue(struct db *db, const char *kind, const char *payload, const char *run_at)
{
	time_t t;
	if (payload == NULL)
		payload = "";
	size_t plen = strlen(payload);
	if (!kind_ok(kind) || plen > TASKS_PAYLOAD_MAX || !utf8_valid(payload, plen) ||
	    (run_at != NULL && !date_parse(run_at, false, &t)))
		return -1;
	char now[INSTANT_LEN], due[INSTANT_LEN];
	instant_now(now);
	if (run_at != NULL)
		instant_format(t, due);
	else
		memcpy(due, now, sizeof(due));
	struct db_stmt *st = db_prepare(db, "INSERT INTO tasks (kind, payload, status, run_at, "
	                                    "created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?) "
	                                    "RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, payload);
	db_bind_text(st, 3, due);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, now);
	int64_t id = -1;
	if (db_step(st) == DB_ROW) {
		id = db_col_int(st, 0);
		if (db_step(st) != DB_DONE)
			id = -1;
	}
	db_finalize(st);
	return id;
}

/*
 * The claim, the one place the dialects differ. PostgreSQL under READ
 * COMMITTED needs the row locks of FOR UPDATE (and SKIP LOCKED, so
 * concurrent claimers take different rows instead of queueing behind each
 * other); rows another claim changed meanwhile are re-checked against the
 * WHERE clause on the newest version and dropped. SQLite takes the database
 * write lock at the start of the UPDATE, so the subquery and the update see
 * the same state and no other writer runs in between.
 */
static const char *
claim_sql(const struct db *db)
{
#define CLAIM_HEAD                                                                                \
	"UPDATE tasks SET status = 'running', attempts = attempts + 1, locked_by = ?, "               \
	"locked_until = ?, updated_at = ? WHERE id IN (SELECT id FROM tasks WHERE "                   \
	"(status = 'pending' AND run_at <= ?) OR (status = 'running' AND locked_until < ?) "          \
	"ORDER BY run_at, id LIMIT ?"
#define CLAIM_TAIL ") RETURNING id, kind, payload, attempts, max_attempts, run_at"
	return db_kind(db) == DB_POSTGRES ? CLAIM_HEAD " FOR UPDATE SKIP LOCKED" CLAIM_TAIL
	                                  : CLAIM_HEAD CLAIM_TAIL;
#undef CLAIM_HEAD
#undef CLAIM_TAIL
}

/* A read-only look first, so an idle queue never takes SQLite's write lock. */
static int
anything_due(struct db *db, const char *now)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM tasks WHERE (status = 'pending' AND "
	                                    "run_at <= ?) OR (status = 'running' AND "
	                                    "locked_until < ?) LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, now);
	enum db_step_result r = db_step(st);
	db_finalize(st);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

struct claimed {
	struct task task;
	char run_at[INSTANT_LEN];
};

static int
claimed_cmp(const void *a, const void *b)
{
	const struct claimed *x = a, *y = b;
	int c = strcmp(x->run_at, y->run_at);
	if (c != 0)
		return c;
	return x->task.id < y->task.id ? -1 : x->task.id > y->task.id;
}

int
tasks_claim(struct db *db, const char *worker_tag, int max, int lease_seconds,
            struct task *out)
{
	if (max < 1 || max > TASKS_CLAIM_MAX || lease_seconds < 1 || worker_tag == NULL)
		return -1;
	char now[INSTANT_LEN], until[INSTANT_LEN];
	instant_now(now);
	instant_in(lease_seconds, until);
	int due = anything_due(db, now);
	if (due <= 0)
		return due;
	struct db_stmt *st = db_prepare(db, claim_sql(db));
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, worker_tag);
	db_bind_text(st, 2, until);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, now);
	db_bind_int(st, 6, max);
	struct claimed got[TASKS_CLAIM_MAX];
	int n = 0;
	enum db_step_result r = DB_DONE;
	while (n < max && (r = db_step(st)) == DB_ROW) {
		struct claimed *c = &got[n++];
		c->task.id = db_col_int(st, 0);
		snprintf(c->task.kind, sizeof(c->task.kind), "%s",
		         db_col_text(st, 1) ? db_col_text(st, 1) : "");
		c->task.payload = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
		c->task.attempts = (int)db_col_int(st, 3);
		c->task.max_attempts = (int)db_col_int(st, 4);
		snprintf(c->run_at, sizeof(c->run_at), "%s",
		         db_col_text(st, 5) ? db_col_text(st, 5) : "");
	}
	db_finalize(st);
	if (r == DB_ERROR) {
		/* The statement failed, so nothing was claimed. */
		for (int i = 0; i < n; i++)
			free(got[i].task.payload);
		return -1;
	}
	/* RETURNING has no order of its own. */
	qsort(got, (size_t)n, sizeof(got[0]), claimed_cmp);
	for (int i = 0; i < n; i++)
		out[i] = got[i].task;
	return n;
}

void
tasks_release(struct task *tasks, int n)
{
	for (int i = 0; i < n; i++) {
		free(tasks[i].payload);
		tasks[i].payload = NULL;
	}
}

/* Bound and clean an error message for last_error (PostgreSQL refuses invalid UTF-8). */
static void
clean_error(const char *error, char out[TASKS_ERROR_MAX + 1])
{
	size_t o = 0, n = error ? strlen(error) : 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(error + i, n - i, &cp);
		bool bad = cp == 0xFFFD && len == 1; /* a real U+FFFD takes 3 bytes */
		if (bad || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			if (o + 1 > TASKS_ERROR_MAX)
				break;
			out[o++] = cp == '\t' || cp == '\n' || cp == '\r' ? ' ' : '?';
			i += len;
			continue;
		}
		if (o + len > TASKS_ERROR_MAX)
			break;
		memcpy(out + o, error + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
}

/* Finish a claim: the row changes only while it is still this claim. */
static int
finish(struct db *db, const struct task *task, const char *status, long wait, const char *error)
{
	char now[INSTANT_LEN], run_at[INSTANT_LEN], clean[TASKS_ERROR_MAX + 1];
	instant_now(now);
	instant_in(wait, run_at);
	struct db_stmt *st;
	if (error == NULL) {
		st = db_prepare(db, "UPDATE tasks SET status = ?, locked_by = NULL, locked_until = NULL, "
		                    "updated_at = ? WHERE id = ? AND status = 'running' AND attempts = ?");
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, status);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, task->id);
		db_bind_int(st, 4, task->attempts);
	} else {
		clean_error(error, clean);
		st = db_prepare(db, "UPDATE tasks SET status = ?, run_at = ?, last_error = ?, "
		                    "locked_by = NULL, locked_until = NULL, updated_at = ? "
		                    "WHERE id = ? AND status = 'running' AND attempts = ?");
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, status);
		db_bind_text(st, 2, run_at);
		db_bind_text(st, 3, clean);
		db_bind_text(st, 4, now);
		db_bind_int(st, 5, task->id);
		db_bind_int(st, 6, task->attempts);
	}
	int64_t changed = db_run(st);
	return changed < 0 ? -1 : changed == 0 ? 1 : 0;
}

int
tasks_done(struct db *db, const struct task *task)
{
	return finish(db, task, "done", 0, NULL);
}

/* As tasks_fail, due again after wait seconds. */
static int
fail_after(struct db *db, const struct task *task, const char *error, long wait)
{
	if (task->attempts >= task->max_attempts)
		return tasks_give_up(db, task, error);
	return finish(db, task, "pending", wait, error ? error : "failed");
}

int
tasks_fail(struct db *db, const struct task *task, const char *error)
{
	return fail_after(db, task, error, tasks_retry_delay(task->attempts));
}

int
tasks_give_up(struct db *db, const struct task *task, const char *error)
{
	return finish(db, task, "failed", 0, error ? error : "failed");
}

static void
log_task(enum log_level level, const char *msg, const struct task *t, const char *error,
         long retry_in)
{
	struct json_writer *w = log_begin(level, msg);
	if (w == NULL)
		return;
	jw_kv_int(w, "task", t->id);
	jw_kv_str(w, "kind", t->kind);
	jw_kv_int(w, "attempt", t->attempts);
	jw_kv_int(w, "max_attempts", t->max_attempts);
	if (retry_in >= 0)
		jw_kv_int(w, "retry_in_s", retry_in);
	if (error != NULL) {
		char clean[TASKS_ERROR_MAX + 1];
		clean_error(error, clean);
		jw_kv_str(w, "error", clean);
	}
	log_end(w);
}

/* Run one claimed task and record the outcome. */
static void
run_one(struct db *db, struct task *t)
{
	char err[TASKS_ERROR_MAX + 1] = "";
	enum task_result r;
	task_handler fn = tasks_handler(t->kind);
	double started = monotonic_ms();
	if (t->attempts > t->max_attempts) {
		snprintf(err, sizeof(err),
		         "the last attempt never finished (its worker stopped or ran out of time)");
		r = TASK_GIVE_UP;
	} else if (fn == NULL) {
		snprintf(err, sizeof(err), "no handler for this kind on this node");
		r = TASK_RETRY;
	} else {
		r = fn(db, t, err, sizeof(err));
		if (r != TASK_DONE && err[0] == '\0')
			snprintf(err, sizeof(err), "failed without a reason");
	}
	int rc;
	if (r == TASK_DONE) {
		rc = tasks_done(db, t);
		struct json_writer *w = log_begin(LOG_LVL_DEBUG, "task done");
		if (w != NULL) {
			jw_kv_int(w, "task", t->id);
			jw_kv_str(w, "kind", t->kind);
			jw_key(w, "ms");
			jw_double(w, monotonic_ms() - started);
			log_end(w);
		}
	} else if (r == TASK_RETRY && t->attempts < t->max_attempts) {
		long wait = tasks_retry_delay(t->attempts);
		rc = fail_after(db, t, err, wait);
		log_task(LOG_LVL_WARN, "task failed; will retry", t, err, wait);
	} else {
		rc = tasks_give_up(db, t, err);
		log_task(LOG_LVL_WARN, "task failed for good", t, err, -1);
	}
	if (rc < 0)
		log_warn("task %lld: cannot record the outcome: %s", (long long)t->id, db_errmsg(db));
	else if (rc == 1)
		log_task(LOG_LVL_WARN, "task outlived its lease; another claim owns it", t, NULL, -1);
}

int
tasks_run_due(struct db *db, const char *worker_tag, int max, int lease_seconds,
              double budget_ms, void (*busy)(void))
{
	double start = monotonic_ms();
	int ran = 0;
	while (ran < max && monotonic_ms() - start < budget_ms) {
		struct task t;
		int n = tasks_claim(db, worker_tag, 1, lease_seconds, &t);
		if (n < 0) {
			log_warn("cannot claim tasks: %s", db_errmsg(db));
			return ran > 0 ? ran : -1;
		}
		if (n == 0)
			break;
		if (ran == 0 && busy != NULL)
			busy();
		run_one(db, &t);
		tasks_release(&t, 1);
		ran++;
	}
	return ran;
}

int64_t
tasks_purge_done(struct db *db, const char *before)
{
	struct db_stmt *st =
	    db_prepare(db, "DELETE FROM tasks WHERE status = 'done' AND updated_at < ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, before);
	return db_run(st);
}

int
tasks_stats(struct db *db, int last_failed, struct tasks_stats *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_prepare(db, "SELECT status, COUNT(*) FROM tasks GROUP BY status");
	if (st == NULL)
		return -1;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		const char *s = db_col_text(st, 0);
		int64_t n = db_col_int(st, 1);
		if (s == NULL)
			continue;
		if (strcmp(s, "pending") == 0)
			out->pending = n;
		else if (strcmp(s, "running") == 0)
			out->running = n;
		else if (strcmp(s, "done") == 0)
			out->done = n;
		else if (strcmp(s, "failed") == 0)
			out->failed = n;
	}
	db_finalize(st);
	if (r != DB_DONE)
		return -1;

	char now[INSTANT_LEN];
	instant_now(now);
	st = db_prepare(db, "SELECT COUNT(*), MIN(run_at) FROM tasks WHERE status = 'pending' AND "
	                    "run_at <= ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	r = db_step(st);
	if (r == DB_ROW) {
		out->due = db_col_int(st, 0);
		snprintf(out->oldest_due, sizeof(out->oldest_due), "%s",
		         db_col_text(st, 1) ? db_col_text(st, 1) : "");
	}
	db_finalize(st);
	if (r != DB_ROW)
		return -1;

	if (last_failed > TASKS_STATS_FAILED_MAX)
		last_failed = TASKS_STATS_FAILED_MAX;
	if (last_failed <= 0)
		return 0;
	st = db_prepare(db, "SELECT id, kind, attempts, updated_at, last_error FROM tasks WHERE "
	                    "status = 'failed' ORDER BY updated_at DESC, id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, last_failed);
	while ((r = db_step(st)) == DB_ROW && out->nfailures < last_failed) {
		struct tasks_failure *f = &out->failures[out->nfailures++];
		f->id = db_col_int(st, 0);
		snprintf(f->kind, sizeof(f->kind), "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
		f->attempts = (int)db_col_int(st, 2);
		snprintf(f->updated_at, sizeof(f->updated_at), "%s",
		         db_col_text(st, 3) ? db_col_text(st, 3) : "");
		snprintf(f->last_error, sizeof(f->last_error), "%s",
		         db_col_text(st, 4) ? db_col_text(st, 4) : "");
	}
	db_finalize(st);
	return r == DB_ERROR ? -1 : 0;
}
