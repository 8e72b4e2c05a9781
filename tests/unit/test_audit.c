/*
 * The hash-chained audit log on a real database (SQLite, or PostgreSQL with
 * BEACON_TEST_PG): appends chain, tampering is found at the right record,
 * appends from several processes never fork the chain, listing filters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "dbtest.h"
#include "harness.h"
#include "model/audit.h"
#include "suites.h"

struct seen {
	int n;
	int64_t ids[64];
	char events[64][48];
	char hashes[64][AUDIT_HASH_LEN];
};

static int
collect(const struct audit_record *rec, void *arg)
{
	struct seen *s = arg;
	if (s->n < 64) {
		s->ids[s->n] = rec->id;
		snprintf(s->events[s->n], sizeof(s->events[0]), "%s", rec->event);
		snprintf(s->hashes[s->n], AUDIT_HASH_LEN, "%s", rec->hash);
	}
	s->n++;
	return 0;
}

static int64_t
scalar(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	CHECK(st != NULL);
	if (st == NULL)
		return -1;
	int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return v;
}

/* Let the test change history: what an attacker with database access could do. */
static void
drop_guards(struct db *db)
{
	if (db_kind(db) == DB_SQLITE)
		CHECK_INT_EQ(db_exec(db, "DROP TRIGGER audit_log_no_update; "
		                         "DROP TRIGGER audit_log_no_delete"),
		             0);
	else
		CHECK_INT_EQ(db_exec(db, "DROP TRIGGER audit_log_no_change ON audit_log"), 0);
}

/* Five appends: ids 1..5, each prev_hash is the hash before it, verify passes. */
static struct db *
chain_of_five(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return NULL;
	CHECK_INT_EQ(audit_log(db, 0, "203.0.113.9", "auth.signin.failure", "user", NULL,
	                       "{\"reason\":\"password\"}"),
	             0);
	CHECK_INT_EQ(audit_log(db, 7, "203.0.113.9", "auth.signin.success", "user", "7", NULL), 0);
	CHECK_INT_EQ(audit_log(db, 7, NULL, "account.password.change", "user", "7", "{}"), 0);
	CHECK_INT_EQ(audit_log(db, 1, "2001:db8::1", "admin.user.disable", "user", "9", "{}"), 0);
	CHECK_INT_EQ(audit_log(db, 9, NULL, "auth.signout", NULL, NULL, NULL), 0);
	return db;
}

static void
test_chain_verifies(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	int64_t bad = -1, count = -1;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 0);
	CHECK_INT_EQ(bad, 0);
	CHECK_INT_EQ(count, 5);

	struct db_stmt *st = db_prepare(db, "SELECT id, prev_hash, hash, actor_id FROM audit_log "
	                                    "ORDER BY id");
	CHECK(st != NULL);
	char prev[AUDIT_HASH_LEN] = AUDIT_GENESIS;
	int64_t want_id = 1;
	while (st != NULL && db_step(st) == DB_ROW) {
		CHECK_INT_EQ(db_col_int(st, 0), want_id);
		CHECK_STR_EQ(db_col_text(st, 1), prev);
		const char *h = db_col_text(st, 2);
		CHECK(h != NULL && strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64);
		CHECK(strcmp(h, prev) != 0);
		if (want_id == 1)
			CHECK(db_col_is_null(st, 3)); /* actor 0 = no actor = NULL */
		snprintf(prev, sizeof(prev), "%s", h ? h : "");
		want_id++;
	}
	db_finalize(st);
	CHECK_INT_EQ(want_id, 6);

	int64_t head_id;
	char head[AUDIT_HASH_LEN];
	CHECK_INT_EQ(audit_head(db, &head_id, head), 0);
	CHECK_INT_EQ(head_id, 5);
	CHECK_STR_EQ(head, prev);

	/* An empty event is refused; nothing is written. */
	CHECK_INT_EQ(audit_log(db, 0, NULL, "", NULL, NULL, NULL), -1);
	CHECK_INT_EQ(scalar(db, "SELECT COUNT(*) FROM audit_log"), 5);
	dbtest_close(db);
}

static void
test_append_only(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	CHECK(db_exec(db, "UPDATE audit_log SET detail = 'x' WHERE id = 2") != 0);
	CHECK(db_exec(db, "DELETE FROM audit_log WHERE id = 5") != 0);
	CHECK_INT_EQ(scalar(db, "SELECT COUNT(*) FROM audit_log"), 5);
	int64_t bad, count;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 0);
	dbtest_close(db);
}

static void
test_tampered_field(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	drop_guards(db);
	CHECK_INT_EQ(db_exec(db, "UPDATE audit_log SET detail = '{\"reason\":\"none\"}' WHERE id = 3"),
	             0);
	int64_t bad = 0, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 1);
	CHECK_INT_EQ(bad, 3);
	CHECK_INT_EQ(count, 2);
	dbtest_close(db);
}

/* NULL and the empty string are different values in the encoding. */
static void
test_tampered_null(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	drop_guards(db);
	CHECK_INT_EQ(db_exec(db, "UPDATE audit_log SET actor_ip = '' WHERE id = 3"), 0);
	int64_t bad = 0, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 1);
	CHECK_INT_EQ(bad, 3);
	dbtest_close(db);
}

/*
 * A forger who knows the encoding changes record 2 and gives it a correct
 * hash: record 2 now checks out, but record 3 still names the old hash.
 */
static void
test_tampered_rehashed(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	drop_guards(db);
	struct db_stmt *st = db_prepare(db, "SELECT id, at, actor_id, actor_ip, target_type, "
	                                    "target_id, detail, prev_hash FROM audit_log WHERE id = 2");
	CHECK(st != NULL && db_step(st) == DB_ROW);
	char forged[AUDIT_HASH_LEN] = "";
	if (st != NULL) {
		struct audit_record rec = {
		    .id = db_col_int(st, 0),
		    .at = db_col_text(st, 1),
		    .actor_id = db_col_int(st, 2),
		    .actor_ip = db_col_text(st, 3),
		    .event = "auth.signin.failure",
		    .target_type = db_col_text(st, 4),
		    .target_id = db_col_text(st, 5),
		    .detail = db_col_text(st, 6),
		};
		audit_hash(db_col_text(st, 7), &rec, forged);
	}
	db_finalize(st);
	st = db_prepare(db, "UPDATE audit_log SET event = 'auth.signin.failure', hash = ? WHERE id = 2");
	CHECK(st != NULL);
	if (st != NULL)
		db_bind_text(st, 1, forged);
	CHECK_INT_EQ(db_run(st), 1);
	int64_t bad = 0, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 1);
	CHECK_INT_EQ(bad, 3);
	CHECK_INT_EQ(count, 2);
	dbtest_close(db);
}

static void
test_deleted_record(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	drop_guards(db);
	CHECK_INT_EQ(db_exec(db, "DELETE FROM audit_log WHERE id = 4"), 0);
	int64_t bad = 0, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 1);
	CHECK_INT_EQ(bad, 5);
	CHECK_INT_EQ(count, 3);
	dbtest_close(db);
}

/* A row inserted by hand, even with the right prev_hash, has no valid hash. */
static void
test_forged_insert(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	int64_t head_id;
	char head[AUDIT_HASH_LEN];
	CHECK_INT_EQ(audit_head(db, &head_id, head), 0);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO audit_log (id, at, actor_id, actor_ip, event, target_type, target_id, "
	        "detail, prev_hash, hash) VALUES (6, '2026-01-01T00:00:00Z', 1, NULL, "
	        "'admin.role.grant', 'user', '66', '{}', ?, ?)");
	CHECK(st != NULL);
	if (st != NULL) {
		db_bind_text(st, 1, head);
		db_bind_text(st, 2, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	}
	CHECK_INT_EQ(db_run(st), 1);
	int64_t bad = 0, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 1);
	CHECK_INT_EQ(bad, 6);
	CHECK_INT_EQ(count, 5);
	dbtest_close(db);
}

/* Inside the caller's transaction: gone on rollback, kept on commit, chain intact. */
static void
test_caller_transaction(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	CHECK_INT_EQ(db_begin_write(db), 0);
	CHECK(db_in_transaction(db));
	CHECK_INT_EQ(audit_log(db, 3, NULL, "account.delete", "user", "3", "{}"), 0);
	CHECK(db_in_transaction(db)); /* audit_log did not end the caller's transaction */
	CHECK_INT_EQ(db_rollback(db), 0);
	CHECK(!db_in_transaction(db));
	CHECK_INT_EQ(scalar(db, "SELECT COUNT(*) FROM audit_log"), 5);

	CHECK_INT_EQ(db_begin_write(db), 0);
	CHECK_INT_EQ(audit_log(db, 3, NULL, "account.delete", "user", "3", "{}"), 0);
	CHECK_INT_EQ(audit_log(db, 3, NULL, "auth.signout", "user", "3", "{}"), 0);
	CHECK_INT_EQ(db_commit(db), 0);
	CHECK_INT_EQ(audit_log(db, 0, NULL, "system.check", NULL, NULL, NULL), 0);
	int64_t bad = 0, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 0);
	CHECK_INT_EQ(count, 8);
	CHECK_INT_EQ(bad, 0);
	dbtest_close(db);
}

/* Several processes appending at once, each on its own connection: one unbroken chain. */
static void
test_concurrent_appends(void)
{
	enum { PROCS = 4, EACH = 25 };
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	fflush(stdout);
	pid_t pids[PROCS];
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		if (pids[p] == 0) {
			char err[256];
			struct db *mine = db_open(dbtest_url(), err, sizeof(err));
			int failures = mine == NULL;
			for (int i = 0; mine != NULL && i < EACH; i++) {
				char detail[64];
				snprintf(detail, sizeof(detail), "{\"proc\":%d,\"i\":%d}", p, i);
				failures += audit_log(mine, p + 1, "127.0.0.1", "test.append", NULL, NULL,
				                      detail) != 0;
			}
			db_close(mine);
			_exit(failures == 0 ? 0 : 1);
		}
	}
	for (int p = 0; p < PROCS; p++) {
		int status = 0;
		CHECK(pids[p] > 0 && waitpid(pids[p], &status, 0) == pids[p]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	int64_t bad = -1, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 0);
	CHECK_INT_EQ(count, PROCS * EACH);
	CHECK_INT_EQ(bad, 0);
	CHECK_INT_EQ(scalar(db, "SELECT COUNT(DISTINCT prev_hash) FROM audit_log"), PROCS * EACH);
	dbtest_close(db);
}

static void
test_list(void)
{
	struct db *db = chain_of_five();
	if (db == NULL)
		return;
	struct seen s = {0};
	CHECK_INT_EQ(audit_list(db, NULL, 100, 0, collect, &s), 5);
	CHECK_INT_EQ(s.ids[0], 5); /* newest first */
	CHECK_INT_EQ(s.ids[4], 1);

	memset(&s, 0, sizeof(s));
	struct audit_filter f = {.event_prefix = "auth."};
	CHECK_INT_EQ(audit_list(db, &f, 100, 0, collect, &s), 3);
	CHECK_STR_EQ(s.events[0], "auth.signout");
	CHECK_STR_EQ(s.events[1], "auth.signin.success");
	CHECK_STR_EQ(s.events[2], "auth.signin.failure");

	/* Paging: two at a time, continuing below the last id seen. */
	memset(&s, 0, sizeof(s));
	CHECK_INT_EQ(audit_list(db, &f, 2, 0, collect, &s), 2);
	CHECK_INT_EQ(audit_list(db, &f, 2, s.ids[1], collect, &s), 1);
	CHECK_INT_EQ(s.ids[2], 1);

	memset(&s, 0, sizeof(s));
	f = (struct audit_filter){.actor_id = 7};
	CHECK_INT_EQ(audit_list(db, &f, 100, 0, collect, &s), 2);
	CHECK_INT_EQ(s.ids[0], 3);
	CHECK_INT_EQ(s.ids[1], 2);

	/* A prefix is a prefix, not a pattern. */
	memset(&s, 0, sizeof(s));
	f = (struct audit_filter){.event_prefix = "auth%"};
	CHECK_INT_EQ(audit_list(db, &f, 100, 0, collect, &s), 0);

	memset(&s, 0, sizeof(s));
	f = (struct audit_filter){.since = "2000-01-01T00:00:00Z", .until = "2999-01-01T00:00:00Z"};
	CHECK_INT_EQ(audit_list(db, &f, 100, 0, collect, &s), 5);
	memset(&s, 0, sizeof(s));
	f = (struct audit_filter){.until = "2000-01-01T00:00:00Z"};
	CHECK_INT_EQ(audit_list(db, &f, 100, 0, collect, &s), 0);
	memset(&s, 0, sizeof(s));
	f = (struct audit_filter){.since = "2999-01-01T00:00:00Z"};
	CHECK_INT_EQ(audit_list(db, &f, 100, 0, collect, &s), 0);

	/* The hashes handed out are the stored ones. */
	memset(&s, 0, sizeof(s));
	CHECK_INT_EQ(audit_list(db, NULL, 1, 0, collect, &s), 1);
	int64_t head_id;
	char head[AUDIT_HASH_LEN];
	CHECK_INT_EQ(audit_head(db, &head_id, head), 0);
	CHECK_STR_EQ(s.hashes[0], head);
	dbtest_close(db);
}

void
test_suite_audit(void)
{
	RUN_TEST(test_chain_verifies);
	RUN_TEST(test_append_only);
	RUN_TEST(test_tampered_field);
	RUN_TEST(test_tampered_null);
	RUN_TEST(test_tampered_rehashed);
	RUN_TEST(test_deleted_record);
	RUN_TEST(test_forged_insert);
	RUN_TEST(test_caller_transaction);
	RUN_TEST(test_concurrent_appends);
	RUN_TEST(test_list);
}
