/*
 * The background queue and the outbox against a real database: SQLite in a
 * temporary file, or PostgreSQL when BEACON_TEST_PG names a server (a fresh
 * database is created there and dropped afterwards).
 */
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "harness.h"
#include "model/mail.h"
#include "model/tasks.h"
#include "suites.h"

static char url[512];
static char path[128];
static char pg_name[64];

static void
pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("BEACON_TEST_PG"));
	CHECK(PQstatus(c) == CONNECTION_OK);
	PGresult *r = PQexec(c, sql);
	CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
	PQclear(r);
	PQfinish(c);
}

static struct db *
open_fresh(void)
{
	const char *pg = getenv("BEACON_TEST_PG");
	if (pg && *pg) {
		snprintf(pg_name, sizeof(pg_name), "beacon_tasks_%d", (int)getpid());
		char sql[128];
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_name);
		pg_admin(sql);
		const char *slash = strrchr(pg, '/');
		snprintf(url, sizeof(url), "%.*s/%s", (int)(slash - pg), pg, pg_name);
	} else {
		snprintf(path, sizeof(path), "/tmp/beacon-tasks-%d.db", (int)getpid());
		unlink(path);
		snprintf(url, sizeof(url), "sqlite:%s", path);
	}
	char err[256];
	struct db *db = db_open(url, err, sizeof(err));
	CHECK(db != NULL);
	if (db != NULL)
		CHECK(migrate_apply(db, err, sizeof(err)) >= 0);
	return db;
}

static void
close_fresh(struct db *db)
{
	db_close(db);
	if (pg_name[0]) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_name);
		pg_admin(sql);
		pg_name[0] = '\0';
	} else {
		char p[160];
		unlink(path);
		snprintf(p, sizeof(p), "%s-wal", path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", path);
		unlink(p);
	}
}

/* Run one statement with up to two text parameters; returns rows changed. */
static int64_t
sql2(struct db *db, const char *sql, const char *a, const char *b)
{
	struct db_stmt *st = db_prepare(db, sql);
	CHECK(st != NULL);
	if (st == NULL)
		return -1;
	if (a != NULL)
		db_bind_text(st, 1, a);
	if (b != NULL)
		db_bind_text(st, 2, b);
	return db_run(st);
}

/* One text column of one row, copied into out ("" for NULL, "?" when no row). */
static void
col_of(struct db *db, const char *sql, int64_t id, char *out, size_t len)
{
	struct db_stmt *st = db_prepare(db, sql);
	CHECK(st != NULL);
	snprintf(out, len, "?");
	if (st == NULL)
		return;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW)
		snprintf(out, len, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
	db_finalize(st);
}

static int64_t
count_of(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	CHECK(st != NULL);
	int64_t n = -1;
	if (st != NULL && db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_finalize(st);
	return n;
}

/* Seconds from now until the instant s. */
static long
seconds_until(const char *s)
{
	time_t t;
	CHECK(date_parse(s, false, &t));
	return (long)(t - time(NULL));
}

/* Make every pending task due and every lease expired, as if time had passed. */
static void
time_passes(struct db *db)
{
	sql2(db, "UPDATE tasks SET run_at = '2000-01-01T00:00:00Z' WHERE status = 'pending'", NULL,
	     NULL);
	sql2(db, "UPDATE tasks SET locked_until = '2000-01-01T00:00:00Z' WHERE status = 'running'",
	     NULL, NULL);
}

static void
test_backoff(void)
{
	CHECK_INT_EQ(tasks_backoff(1), 30);
	CHECK_INT_EQ(tasks_backoff(2), 60);
	CHECK_INT_EQ(tasks_backoff(8), 30 * 128);
	CHECK_INT_EQ(tasks_backoff(10), 30 * 512);
	CHECK_INT_EQ(tasks_backoff(11), 6 * 3600);
	CHECK_INT_EQ(tasks_backoff(1000), 6 * 3600);
	/* The retry delay spreads: within a quarter above the backoff, and not always the same. */
	long lo = LONG_MAX, hi = 0;
	for (int i = 0; i < 200; i++) {
		long d = tasks_retry_delay(3);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	CHECK(lo >= 120 && hi <= 150);
	CHECK(hi > lo);
}

static void
test_enqueue_claim_done(struct db *db)
{
	char later[INSTANT_LEN], buf[64];
	instant_format(time(NULL) + 3600, later);
	int64_t a = tasks_enqueue(db, "alpha", "one", NULL);
	int64_t b = tasks_enqueue(db, "beta", NULL, NULL);
	int64_t c = tasks_enqueue(db, "alpha", "later", later);
	CHECK(a > 0 && b > a && c > b);
	CHECK_INT_EQ(tasks_enqueue(db, "has space", "", NULL), -1);
	CHECK_INT_EQ(tasks_enqueue(db, "alpha", "\xFF", NULL), -1);
	CHECK_INT_EQ(tasks_enqueue(db, "alpha", "", "not a date"), -1);

	struct task t[8];
	int n = tasks_claim(db, "w1", 8, 60, t);
	CHECK_INT_EQ(n, 2); /* c is not due yet */
	if (n == 2) {
		CHECK_INT_EQ(t[0].id, a);
		CHECK_STR_EQ(t[0].kind, "alpha");
		CHECK_STR_EQ(t[0].payload, "one");
		CHECK_INT_EQ(t[0].attempts, 1);
		CHECK_INT_EQ(t[0].max_attempts, 8);
		CHECK_INT_EQ(t[1].id, b);
		CHECK_STR_EQ(t[1].payload, "");
		col_of(db, "SELECT status FROM tasks WHERE id = ?", a, buf, sizeof(buf));
		CHECK_STR_EQ(buf, "running");
		col_of(db, "SELECT locked_by FROM tasks WHERE id = ?", a, buf, sizeof(buf));
		CHECK_STR_EQ(buf, "w1");
		col_of(db, "SELECT locked_until FROM tasks WHERE id = ?", a, buf, sizeof(buf));
		long lease = seconds_until(buf);
		CHECK(lease >= 58 && lease <= 61);
		/* Running tasks with a live lease are not handed out again. */
		struct task again[8];
		CHECK_INT_EQ(tasks_claim(db, "w2", 8, 60, again), 0);
		CHECK_INT_EQ(tasks_done(db, &t[0]), 0);
		CHECK_INT_EQ(tasks_done(db, &t[0]), 1); /* no longer a running claim */
		col_of(db, "SELECT status FROM tasks WHERE id = ?", a, buf, sizeof(buf));
		CHECK_STR_EQ(buf, "done");
		col_of(db, "SELECT locked_by FROM tasks WHERE id = ?", a, buf, sizeof(buf));
		CHECK_STR_EQ(buf, "");
		CHECK_INT_EQ(tasks_done(db, &t[1]), 0);
		tasks_release(t, n);
	}
	CHECK_INT_EQ(tasks_claim(db, "w1", 0, 60, t), -1);
	CHECK_INT_EQ(tasks_claim(db, "w1", 65, 60, t), -1);

	/* A claim takes at most max, oldest due first. */
	sql2(db, "UPDATE tasks SET run_at = '2000-01-01T00:00:00Z' WHERE payload = ?", "later", NULL);
	int64_t d = tasks_enqueue(db, "alpha", "d", NULL);
	n = tasks_claim(db, "w1", 1, 60, t);
	CHECK_INT_EQ(n, 1);
	if (n == 1) {
		CHECK_INT_EQ(t[0].id, c);
		tasks_done(db, &t[0]);
		tasks_release(t, 1);
	}
	n = tasks_claim(db, "w1", 1, 60, t);
	CHECK_INT_EQ(n, 1);
	if (n == 1) {
		CHECK_INT_EQ(t[0].id, d);
		tasks_done(db, &t[0]);
		tasks_release(t, 1);
	}
	CHECK_INT_EQ(tasks_purge_done(db, "2000-01-01T00:00:00Z"), 0);
	char future[INSTANT_LEN];
	instant_format(time(NULL) + 10, future);
	CHECK_INT_EQ(tasks_purge_done(db, future), 4);
}

static void
test_fail_and_backoff(struct db *db)
{
	char buf[600];
	int64_t id = tasks_enqueue(db, "flaky", "p", NULL);
	sql2(db, "UPDATE tasks SET max_attempts = 3 WHERE kind = ?", "flaky", NULL);
	struct task t;
	for (int attempt = 1; attempt <= 3; attempt++) {
		CHECK_INT_EQ(tasks_claim(db, "w", 1, 60, &t), 1);
		CHECK_INT_EQ(t.id, id);
		CHECK_INT_EQ(t.attempts, attempt);
		CHECK_INT_EQ(t.max_attempts, 3);
		char why[32];
		snprintf(why, sizeof(why), "boom %d", attempt);
		CHECK_INT_EQ(tasks_fail(db, &t, why), 0);
		CHECK_INT_EQ(tasks_fail(db, &t, why), 1); /* the claim is over */
		tasks_release(&t, 1);
		col_of(db, "SELECT last_error FROM tasks WHERE id = ?", id, buf, sizeof(buf));
		CHECK_STR_EQ(buf, why);
		col_of(db, "SELECT status FROM tasks WHERE id = ?", id, buf, sizeof(buf));
		if (attempt < 3) {
			CHECK_STR_EQ(buf, "pending");
			col_of(db, "SELECT run_at FROM tasks WHERE id = ?", id, buf, sizeof(buf));
			long wait = seconds_until(buf);
			long want = tasks_backoff(attempt);
			CHECK(wait >= want - 2 && wait <= want + want / 4);
			/* Not due before its time. */
			CHECK_INT_EQ(tasks_claim(db, "w", 1, 60, &t), 0);
			time_passes(db);
		} else {
			CHECK_STR_EQ(buf, "failed");
		}
		col_of(db, "SELECT locked_by FROM tasks WHERE id = ?", id, buf, sizeof(buf));
		CHECK_STR_EQ(buf, "");
	}
	time_passes(db);
	CHECK_INT_EQ(tasks_claim(db, "w", 1, 60, &t), 0); /* failed tasks stay failed */

	/* Giving up fails at once; long and dirty errors are cut and cleaned. */
	id = tasks_enqueue(db, "flaky", "q", NULL);
	CHECK_INT_EQ(tasks_claim(db, "w", 1, 60, &t), 1);
	char err[1000];
	memset(err, 0, sizeof(err));
	strcpy(err, "bad\r\nline\x01 \xFF ");
	size_t len = strlen(err);
	while (len + 2 < 900) {
		memcpy(err + len, "\xC3\xA9", 2); /* é */
		len += 2;
	}
	CHECK_INT_EQ(tasks_give_up(db, &t, err), 0);
	tasks_release(&t, 1);
	col_of(db, "SELECT status FROM tasks WHERE id = ?", id, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "failed");
	col_of(db, "SELECT last_error FROM tasks WHERE id = ?", id, buf, sizeof(buf));
	CHECK(strncmp(buf, "bad  line? ? \xC3\xA9", 15) == 0);
	CHECK(strlen(buf) <= TASKS_ERROR_MAX && strlen(buf) >= TASKS_ERROR_MAX - 1);
	/* Cut on a character boundary: the text ends with a whole é. */
	CHECK(strcmp(buf + strlen(buf) - 2, "\xC3\xA9") == 0);

	struct tasks_stats s;
	CHECK_INT_EQ(tasks_stats(db, 10, &s), 0);
	CHECK_INT_EQ(s.failed, 2);
	CHECK_INT_EQ(s.nfailures, 2);
	CHECK_INT_EQ(s.failures[0].id, id); /* newest first */
	CHECK_STR_EQ(s.failures[1].last_error, "boom 3");
	CHECK_INT_EQ(s.failures[1].attempts, 3);
	CHECK_STR_EQ(s.failures[1].kind, "flaky");
	CHECK_INT_EQ(tasks_stats(db, 1, &s), 0);
	CHECK_INT_EQ(s.nfailures, 1);
}

static void
test_lease_expiry(struct db *db)
{
	char buf[64];
	int64_t id = tasks_enqueue(db, "slow", "", NULL);
	struct task first, second;
	CHECK_INT_EQ(tasks_claim(db, "dead-worker", 1, 60, &first), 1);
	CHECK_INT_EQ(first.id, id);
	/* The claimer died; once its lease has run out another one takes over. */
	time_passes(db);
	CHECK_INT_EQ(tasks_claim(db, "live-worker", 1, 60, &second), 1);
	CHECK_INT_EQ(second.id, id);
	CHECK_INT_EQ(second.attempts, 2);
	col_of(db, "SELECT locked_by FROM tasks WHERE id = ?", id, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "live-worker");
	/* The old claim can no longer change the row. */
	CHECK_INT_EQ(tasks_done(db, &first), 1);
	CHECK_INT_EQ(tasks_fail(db, &first, "late"), 1);
	col_of(db, "SELECT status FROM tasks WHERE id = ?", id, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "running");
	CHECK_INT_EQ(tasks_done(db, &second), 0);
	tasks_release(&first, 1);
	tasks_release(&second, 1);
}

static int handled, handled_bad;

static enum task_result
count_handler(struct db *db, const struct task *t, char *err, size_t errlen)
{
	(void)db;
	handled++;
	if (strcmp(t->payload, "fail") == 0) {
		snprintf(err, errlen, "asked to fail");
		return TASK_RETRY;
	}
	if (strcmp(t->payload, "never") == 0) {
		handled_bad++;
		snprintf(err, errlen, "cannot ever work");
		return TASK_GIVE_UP;
	}
	return TASK_DONE;
}

static int busy_calls;

static void
count_busy(void)
{
	busy_calls++;
}

static void
test_registry(void)
{
	tasks_unregister_all();
	CHECK(tasks_handler("count") == NULL);
	CHECK_INT_EQ(tasks_register("bad kind", count_handler), -1);
	CHECK_INT_EQ(tasks_register("", count_handler), -1);
	CHECK_INT_EQ(tasks_register("caf\xC3\xA9", count_handler), -1);
	CHECK_INT_EQ(tasks_register("ok", NULL), -1);
	CHECK_INT_EQ(tasks_register("count", count_handler), 0);
	CHECK_INT_EQ(tasks_register("count", count_handler), -1);
	CHECK(tasks_handler("count") == count_handler);
	tasks_unregister_all();
	CHECK(tasks_handler("count") == NULL);
}

static void
test_run_due(struct db *db)
{
	char buf[600];
	tasks_unregister_all();
	CHECK_INT_EQ(tasks_register("count", count_handler), 0);
	sql2(db, "DELETE FROM tasks", NULL, NULL);
	int64_t ok = tasks_enqueue(db, "count", "ok", NULL);
	int64_t fail = tasks_enqueue(db, "count", "fail", NULL);
	int64_t never = tasks_enqueue(db, "count", "never", NULL);
	int64_t unknown = tasks_enqueue(db, "nobody-handles-this", "", NULL);
	handled = 0;
	busy_calls = 0;
	CHECK_INT_EQ(tasks_run_due(db, "w", 10, 60, 5000, count_busy), 4);
	CHECK_INT_EQ(handled, 3);
	CHECK_INT_EQ(busy_calls, 1); /* once per run, not per task */
	col_of(db, "SELECT status FROM tasks WHERE id = ?", ok, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "done");
	col_of(db, "SELECT status FROM tasks WHERE id = ?", fail, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "pending");
	col_of(db, "SELECT status FROM tasks WHERE id = ?", never, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "failed");
	col_of(db, "SELECT last_error FROM tasks WHERE id = ?", never, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "cannot ever work");
	col_of(db, "SELECT status FROM tasks WHERE id = ?", unknown, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "pending");
	col_of(db, "SELECT last_error FROM tasks WHERE id = ?", unknown, buf, sizeof(buf));
	CHECK(strstr(buf, "no handler") != NULL);
	/* Nothing is due now: the retries wait for their backoff, and nobody is told to be busy. */
	CHECK_INT_EQ(tasks_run_due(db, "w", 10, 60, 5000, count_busy), 0);
	CHECK_INT_EQ(busy_calls, 1);

	/* max bounds one run. */
	for (int i = 0; i < 5; i++)
		tasks_enqueue(db, "count", "ok", NULL);
	CHECK_INT_EQ(tasks_run_due(db, "w", 2, 60, 5000, NULL), 2);
	CHECK_INT_EQ(tasks_run_due(db, "w", 10, 60, 5000, NULL), 3);

	/* A task whose last attempt never finished is given up, not run again. */
	int64_t stuck = tasks_enqueue(db, "count", "ok", NULL);
	sql2(db, "UPDATE tasks SET status = 'running', attempts = max_attempts, "
	         "locked_until = '2000-01-01T00:00:00Z' WHERE payload = ? AND status = 'pending'",
	     "ok", NULL);
	handled = 0;
	CHECK_INT_EQ(tasks_run_due(db, "w", 10, 60, 5000, NULL), 1);
	CHECK_INT_EQ(handled, 0);
	col_of(db, "SELECT status FROM tasks WHERE id = ?", stuck, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "failed");
	col_of(db, "SELECT last_error FROM tasks WHERE id = ?", stuck, buf, sizeof(buf));
	CHECK(strstr(buf, "never finished") != NULL);

	struct tasks_stats s;
	CHECK_INT_EQ(tasks_stats(db, 5, &s), 0);
	CHECK_INT_EQ(s.done, 6);
	CHECK_INT_EQ(s.pending, 2);
	CHECK_INT_EQ(s.failed, 2);
	CHECK_INT_EQ(s.running, 0);
	CHECK_INT_EQ(s.due, 0);
	time_passes(db);
	CHECK_INT_EQ(tasks_stats(db, 5, &s), 0);
	CHECK_INT_EQ(s.due, 2);
	CHECK_STR_EQ(s.oldest_due, "2000-01-01T00:00:00Z");
	tasks_unregister_all();
}

#define RACE_TASKS 300
#define RACE_WORKERS 4

/*
 * Several processes, each with its own connection, claim from one queue at
 * the same time (released together by a shared start signal). Every task
 * must be handed out exactly once. Each child writes {child, id} pairs to a
 * pipe.
 */
static void
test_claim_race(struct db *db)
{
	sql2(db, "DELETE FROM tasks", NULL, NULL);
	CHECK_INT_EQ(db_begin_write(db), 0);
	for (int i = 0; i < RACE_TASKS; i++)
		CHECK(tasks_enqueue(db, "race", "", NULL) > 0);
	CHECK_INT_EQ(db_commit(db), 0);
	int64_t first = count_of(db, "SELECT MIN(id) FROM tasks");
	int out[2], go[2];
	CHECK_INT_EQ(pipe(out), 0);
	CHECK_INT_EQ(pipe(go), 0);
	pid_t kids[RACE_WORKERS];
	for (int k = 0; k < RACE_WORKERS; k++) {
		kids[k] = fork();
		if (kids[k] != 0)
			continue;
		close(out[0]);
		close(go[1]);
		char err[256], tag[32];
		snprintf(tag, sizeof(tag), "racer-%d", k);
		struct db *mine = db_open(url, err, sizeof(err));
		char c;
		if (read(go[0], &c, 1) != 0 || mine == NULL) /* EOF is the start signal */
			_exit(2);
		int idle = 0, rc = 0;
		while (idle < 3) {
			struct task t[3];
			int n = tasks_claim(mine, tag, 1 + k % 3, 60, t);
			if (n < 0) {
				rc = 3;
				break;
			}
			idle = n == 0 ? idle + 1 : 0;
			for (int i = 0; i < n; i++) {
				int64_t pair[2] = {k, t[i].id};
				usleep(300); /* the work, during which the others claim */
				if (write(out[1], pair, sizeof(pair)) != sizeof(pair) ||
				    tasks_done(mine, &t[i]) != 0)
					rc = 4;
			}
			tasks_release(t, n);
		}
		db_close(mine);
		_exit(rc);
	}
	close(out[1]);
	close(go[0]);
	close(go[1]);
	static unsigned char seen[RACE_TASKS];
	memset(seen, 0, sizeof(seen));
	int per_child[RACE_WORKERS] = {0};
	int64_t pair[2];
	int total = 0, dupes = 0, strange = 0;
	while (read(out[0], pair, sizeof(pair)) == sizeof(pair)) {
		total++;
		int64_t slot = pair[1] - first;
		if (slot < 0 || slot >= RACE_TASKS || pair[0] < 0 || pair[0] >= RACE_WORKERS) {
			strange++;
			continue;
		}
		per_child[pair[0]]++;
		if (seen[slot]++)
			dupes++;
	}
	close(out[0]);
	int claimers = 0;
	for (int k = 0; k < RACE_WORKERS; k++) {
		int status = 0;
		waitpid(kids[k], &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		claimers += per_child[k] > 0;
	}
	CHECK_INT_EQ(dupes, 0);
	CHECK_INT_EQ(strange, 0);
	CHECK_INT_EQ(total, RACE_TASKS);
	/* The claims really overlapped: more than one process got work. */
	CHECK(claimers >= 2);
	printf("    claim race (%s): %d tasks, per claimer %d/%d/%d/%d\n",
	       db_kind(db) == DB_SQLITE ? "SQLite" : "PostgreSQL", total, per_child[0],
	       per_child[1], per_child[2], per_child[3]);
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM tasks WHERE status = 'done' AND attempts = 1"),
	             RACE_TASKS);
}

static void
test_mail_queue(struct db *db)
{
	char buf[128];
	sql2(db, "DELETE FROM tasks", NULL, NULL);
	/* Header injection and other bad input never reach the outbox. */
	CHECK_INT_EQ(mail_queue(db, "a@example.com\r\nBcc: x@evil.test", "Hi", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com\nBcc: x@evil.test", "Hi", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com, b@example.com", "Hi", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "Name <a@example.com>", "Hi", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "Hi\r\nBcc: x@evil.test", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "Hi\nthere", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "Hi\rthere", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "Hi\x85there", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "", "body"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "Hi", "bad \xC3"), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "Hi", "bell \x07"), MAIL_EINVAL);
	char *big = malloc(MAIL_BODY_MAX + 2);
	memset(big, 'x', MAIL_BODY_MAX + 1);
	big[MAIL_BODY_MAX + 1] = '\0';
	CHECK_INT_EQ(mail_queue(db, "a@example.com", "Hi", big), MAIL_EINVAL);
	big[MAIL_BODY_MAX] = '\0';
	int64_t bigid = mail_queue(db, "a@example.com", "Hi", big);
	CHECK(bigid > 0);
	free(big);
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM outbox"), 1);

	/* Outside a transaction: the message and its task are stored together. */
	int64_t id = mail_queue(db, "a@example.com", "Caf\xC3\xA9", "Hello\nthere");
	CHECK(id > bigid);
	col_of(db, "SELECT subject FROM outbox WHERE id = ?", id, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "Caf\xC3\xA9");
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'email'"), 2);
	struct task t[4];
	int n = tasks_claim(db, "w", 4, 60, t);
	CHECK_INT_EQ(n, 2);
	if (n == 2) {
		CHECK_STR_EQ(t[1].kind, MAIL_TASK_KIND);
		char want[24];
		snprintf(want, sizeof(want), "%lld", (long long)id);
		CHECK_STR_EQ(t[1].payload, want);
		tasks_done(db, &t[0]);
		tasks_done(db, &t[1]);
		tasks_release(t, n);
	}

	/* Inside the caller's transaction: gone with its rollback, kept with its commit. */
	CHECK_INT_EQ(db_begin_write(db), 0);
	CHECK(mail_queue(db, "rolled@example.com", "Never", "sent") > 0);
	CHECK_INT_EQ(db_rollback(db), 0);
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'rolled@example.com'"),
	             0);
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'email'"), 2);
	CHECK_INT_EQ(db_begin_write(db), 0);
	CHECK(mail_queue(db, "kept@example.com", "Kept", "sent") > 0);
	CHECK_INT_EQ(db_commit(db), 0);
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'kept@example.com'"), 1);
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'email'"), 3);

	/* Extra headers: checked before anything is stored, kept with the message. */
	struct mail_header inject[] = {{"List-Unsubscribe", "<https://a.test/u>\r\nBcc: x@evil.test"}};
	struct mail_header unknown[] = {{"Bcc", "x@evil.test"}};
	struct mail_header twice[] = {{"List-Id", "a"}, {"List-Id", "b"}};
	CHECK_INT_EQ(mail_queue_with(db, "h@example.com", "Hi", "body", inject, 1), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue_with(db, "h@example.com", "Hi", "body", unknown, 1), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue_with(db, "h@example.com", "Hi", "body", twice, 2), MAIL_EINVAL);
	CHECK_INT_EQ(mail_queue_with(db, "h@example.com", "Hi", "body", NULL, 1), MAIL_EINVAL);
	CHECK_INT_EQ(count_of(db, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'h@example.com'"), 0);
	struct mail_header ok[] = {{"List-Unsubscribe", "<https://a.test/u?t=1>"},
	                           {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
	int64_t hid = mail_queue_with(db, "h@example.com", "Hi", "body", ok, 2);
	CHECK(hid > 0);
	col_of(db, "SELECT headers FROM outbox WHERE id = ?", hid, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "List-Unsubscribe: <https://a.test/u?t=1>\n"
	                  "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n");
	col_of(db, "SELECT headers FROM outbox WHERE id = ?", id, buf, sizeof(buf));
	CHECK_STR_EQ(buf, "");
}

/* The "email" handler without SMTP: a whole .eml file, sent_at set, no second copy. */
static void
test_mail_deliver_file(struct db *db)
{
	char dir[] = "/tmp/beacon-mail-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	sql2(db, "DELETE FROM tasks", NULL, NULL);
	int64_t id = mail_queue(db, "dev@example.com", "Reset your password",
	                        "Open https://beacon.test/reset?token=abc to continue.\n");
	CHECK(id > 0);
	struct mail_transport tr = {NULL, NULL, "no-reply@beacon.test", dir};
	char err[256] = "";
	CHECK_INT_EQ(mail_deliver(db, &tr, id, err, sizeof(err)), MAIL_SENT);
	CHECK_STR_EQ(err, "");
	char created[64], name[128], file[512];
	col_of(db, "SELECT created_at FROM outbox WHERE id = ?", id, created, sizeof(created));
	/* 2026-01-02T03:04:05Z -> 20260102T030405Z */
	snprintf(name, sizeof(name), "%.4s%.2s%.2sT%.2s%.2s%.2sZ-%lld.eml", created, created + 5,
	         created + 8, created + 11, created + 14, created + 17, (long long)id);
	snprintf(file, sizeof(file), "%s/mail/%s", dir, name);
	FILE *f = fopen(file, "r");
	CHECK(f != NULL);
	if (f != NULL) {
		char text[4096];
		size_t len = fread(text, 1, sizeof(text) - 1, f);
		text[len] = '\0';
		fclose(f);
		CHECK(strstr(text, "To: dev@example.com\r\n") != NULL);
		CHECK(strstr(text, "Subject: Reset your password\r\n") != NULL);
		CHECK(strstr(text, "\r\n\r\nOpen https://beacon.test/reset?token=abc to continue.\r\n") !=
		      NULL);
	}
	col_of(db, "SELECT sent_at FROM outbox WHERE id = ?", id, created, sizeof(created));
	CHECK(created[0] == '2');
	/* Delivered once: a repeated run (a claim that outlived its lease) sends nothing. */
	unlink(file);
	CHECK_INT_EQ(mail_deliver(db, &tr, id, err, sizeof(err)), MAIL_SENT);
	CHECK(access(file, F_OK) != 0);
	CHECK_INT_EQ(mail_deliver(db, &tr, id + 1000, err, sizeof(err)), MAIL_PERMFAIL);
	CHECK(strstr(err, "does not exist") != NULL);
	/* A folder that cannot be created is a temporary failure. */
	int64_t id2 = mail_queue(db, "dev@example.com", "Again", "x");
	struct mail_transport bad = {NULL, NULL, "no-reply@beacon.test", "/proc/nonexistent"};
	CHECK_INT_EQ(mail_deliver(db, &bad, id2, err, sizeof(err)), MAIL_TEMPFAIL);
	CHECK(strstr(err, "cannot create") != NULL);
	/* Nothing but the finished file was left behind. */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_INT_EQ(system(cmd), 0);
}

static void
test_database(void)
{
	/* The failures below are on purpose; their warn lines would only be noise. */
	enum log_level level = log_get_level();
	log_set_level(LOG_LVL_ERROR);
	struct db *db = open_fresh();
	if (db == NULL) {
		log_set_level(level);
		return;
	}
	test_enqueue_claim_done(db);
	test_fail_and_backoff(db);
	test_lease_expiry(db);
	test_run_due(db);
	test_claim_race(db);
	test_mail_queue(db);
	test_mail_deliver_file(db);
	log_set_level(level);
	close_fresh(db);
}

void
test_suite_tasks(void)
{
	RUN_TEST(test_backoff);
	RUN_TEST(test_registry);
	RUN_TEST(test_database);
}
