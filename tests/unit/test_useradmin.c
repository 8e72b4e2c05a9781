/*
 * Role changes and disabling by an admin on a real database (SQLite, or
 * PostgreSQL with BEACON_TEST_PG): sessions and refresh tokens end, audit
 * records name actor and target, the self and last-admin rules, and a race
 * between two admins demoting each other from two processes.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"
#include "dbtest.h"
#include "harness.h"
#include "model/audit.h"
#include "model/refresh.h"
#include "model/sessions.h"
#include "model/useradmin.h"
#include "model/users.h"
#include "suites.h"

static int64_t
make_user(struct db *db, const char *email, int role)
{
	int64_t id = 0;
	CHECK_INT_EQ(
	    users_create(db, email, "$argon2id$not-a-real-hash", role, "Someone", true, &id), 0);
	return id;
}

/* A live web session for id; its cookie value goes to token. */
static void
make_session(struct db *db, int64_t id, char token[TOKEN_TEXT_LEN + 1])
{
	int64_t sid = 0;
	CHECK_INT_EQ(sessions_create(db, id, false, 24, NULL, "127.0.0.1", "test", token, &sid), 0);
}

static bool
session_live(struct db *db, const char *token)
{
	struct session s;
	return sessions_lookup(db, token, 60, &s) == 1;
}

struct audit_seen {
	char event[64];
	int64_t actor;
	char target[24];
	char detail[128];
	int n;
};

static int
keep_newest(const struct audit_record *rec, void *arg)
{
	struct audit_seen *a = arg;
	if (a->n++ == 0) {
		snprintf(a->event, sizeof(a->event), "%s", rec->event);
		a->actor = rec->actor_id;
		snprintf(a->target, sizeof(a->target), "%s", rec->target_id ? rec->target_id : "");
		snprintf(a->detail, sizeof(a->detail), "%s", rec->detail);
	}
	return 0;
}

/* The newest audit record whose event starts with prefix, and how many there are. */
static struct audit_seen
newest(struct db *db, const char *prefix)
{
	struct audit_seen a = {0};
	struct audit_filter f = {.event_prefix = prefix};
	CHECK(audit_list(db, &f, AUDIT_LIST_MAX, 0, keep_newest, &a) >= 0);
	return a;
}

static void
chain_intact(struct db *db)
{
	int64_t bad = -1, count = 0;
	CHECK_INT_EQ(audit_verify(db, &bad, &count), 0);
	CHECK_INT_EQ(bad, 0);
}

static void
test_role_change_ends_sessions(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t admin = make_user(db, "ada@example.org", ROLE_ADMIN);
	int64_t emp = make_user(db, "eve@example.org", ROLE_EMPLOYER);
	char s_emp[TOKEN_TEXT_LEN + 1], s_admin[TOKEN_TEXT_LEN + 1], r_emp[TOKEN_TEXT_LEN + 1];
	make_session(db, emp, s_emp);
	make_session(db, admin, s_admin);
	CHECK_INT_EQ(refresh_issue(db, emp, NULL, r_emp), 0);

	struct useradmin_change c = {.role = ROLE_RECRUITER, .disabled = -1};
	bool changed = false;
	struct user after = {0};
	CHECK_INT_EQ(useradmin_apply(db, admin, "192.0.2.1", emp, &c, &changed, &after),
	             USERADMIN_OK);
	CHECK(changed);
	CHECK_INT_EQ(after.role, ROLE_RECRUITER);
	CHECK_STR_EQ(after.email, "eve@example.org");
	user_free(&after);
	struct user u;
	CHECK_INT_EQ(users_get(db, emp, &u), 1);
	CHECK_INT_EQ(u.role, ROLE_RECRUITER);
	user_free(&u);
	CHECK(!session_live(db, s_emp));
	CHECK(session_live(db, s_admin));
	int64_t uid = 0;
	char next[TOKEN_TEXT_LEN + 1];
	CHECK_INT_EQ(refresh_rotate(db, r_emp, &uid, next), REFRESH_INVALID);

	struct audit_seen a = newest(db, "admin.user.");
	CHECK_INT_EQ(a.n, 1);
	CHECK_STR_EQ(a.event, USERADMIN_EV_ROLE);
	CHECK_INT_EQ(a.actor, admin);
	char want[24];
	snprintf(want, sizeof(want), "%lld", (long long)emp);
	CHECK_STR_EQ(a.target, want);
	CHECK_STR_EQ(a.detail, "{\"from\":\"employer\",\"to\":\"recruiter\"}");

	/* The same role again changes nothing, audits nothing and ends nothing. */
	make_session(db, emp, s_emp);
	CHECK_INT_EQ(useradmin_apply(db, admin, NULL, emp, &c, &changed, NULL), USERADMIN_OK);
	CHECK(!changed);
	CHECK(session_live(db, s_emp));
	CHECK_INT_EQ(newest(db, "admin.user.").n, 1);
	chain_intact(db);
	dbtest_close(db);
}

static void
test_disable_enable(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t admin = make_user(db, "ada@example.org", ROLE_ADMIN);
	int64_t js = make_user(db, "sam@example.org", ROLE_JOB_SEEKER);
	char s_js[TOKEN_TEXT_LEN + 1], r_js[TOKEN_TEXT_LEN + 1];
	make_session(db, js, s_js);
	CHECK_INT_EQ(refresh_issue(db, js, NULL, r_js), 0);
	bool changed = false;
	struct useradmin_change off = {.role = 0, .disabled = 1};
	CHECK_INT_EQ(useradmin_apply(db, admin, NULL, js, &off, &changed, NULL), USERADMIN_OK);
	CHECK(changed);
	struct user u;
	CHECK_INT_EQ(users_get(db, js, &u), 1);
	CHECK(u.disabled);
	CHECK_INT_EQ(u.role, ROLE_JOB_SEEKER);
	user_free(&u);
	CHECK(!session_live(db, s_js));
	int64_t uid = 0;
	char next[TOKEN_TEXT_LEN + 1];
	CHECK_INT_EQ(refresh_rotate(db, r_js, &uid, next), REFRESH_INVALID);
	struct audit_seen a = newest(db, "admin.user.");
	CHECK_STR_EQ(a.event, USERADMIN_EV_DISABLE);
	CHECK_STR_EQ(a.detail, "{\"from\":\"active\",\"to\":\"disabled\"}");

	struct useradmin_change on = {.role = 0, .disabled = 0};
	CHECK_INT_EQ(useradmin_apply(db, admin, NULL, js, &on, &changed, NULL), USERADMIN_OK);
	CHECK(changed);
	CHECK_INT_EQ(users_get(db, js, &u), 1);
	CHECK(!u.disabled);
	user_free(&u);
	a = newest(db, "admin.user.");
	CHECK_INT_EQ(a.n, 2);
	CHECK_STR_EQ(a.event, USERADMIN_EV_ENABLE);
	CHECK_STR_EQ(a.detail, "{\"from\":\"disabled\",\"to\":\"active\"}");

	/* Role and status together: two records, one transaction. */
	struct useradmin_change both = {.role = ROLE_COUNSELOR, .disabled = 1};
	CHECK_INT_EQ(useradmin_apply(db, admin, NULL, js, &both, &changed, NULL), USERADMIN_OK);
	CHECK_INT_EQ(newest(db, "admin.user.").n, 4);
	CHECK_INT_EQ(users_get(db, js, &u), 1);
	CHECK(u.disabled && u.role == ROLE_COUNSELOR);
	user_free(&u);
	chain_intact(db);
	dbtest_close(db);
}

static void
test_self_and_last_admin(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t a = make_user(db, "ada@example.org", ROLE_ADMIN);
	int64_t b = make_user(db, "bob@example.org", ROLE_ADMIN);
	int64_t e = make_user(db, "eve@example.org", ROLE_EMPLOYER);
	bool changed = true;
	struct useradmin_change demote = {.role = ROLE_EMPLOYER, .disabled = -1};
	struct useradmin_change off = {.role = 0, .disabled = 1};
	struct useradmin_change keep = {.role = ROLE_ADMIN, .disabled = 0};
	/* Two admins: an admin cannot leave on their own, but may act on the other. */
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, a, &demote, &changed, NULL), USERADMIN_SELF);
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, a, &off, &changed, NULL), USERADMIN_SELF);
	CHECK(!changed);
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, a, &keep, &changed, NULL), USERADMIN_OK);
	CHECK(!changed);
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, b, &off, &changed, NULL), USERADMIN_OK);
	CHECK(changed);
	/* Now a is the only active admin: neither it nor anyone else can remove it. */
	CHECK_INT_EQ(users_count_active_admins(db), 1);
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, a, &demote, &changed, NULL),
	             USERADMIN_LAST_ADMIN);
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, a, &off, &changed, NULL), USERADMIN_LAST_ADMIN);
	CHECK_INT_EQ(useradmin_apply(db, e, NULL, a, &demote, &changed, NULL),
	             USERADMIN_LAST_ADMIN);
	/* A disabled admin is no active admin: demoting it is fine. */
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, b, &demote, &changed, NULL), USERADMIN_OK);
	struct user u;
	CHECK_INT_EQ(users_get(db, a, &u), 1);
	CHECK(u.role == ROLE_ADMIN && !u.disabled);
	user_free(&u);
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, 999999, &demote, &changed, NULL),
	             USERADMIN_NOT_FOUND);
	/* Not one role bit: refused before anything is touched. */
	struct useradmin_change bad = {.role = ROLE_ADMIN | ROLE_EMPLOYER, .disabled = -1};
	CHECK_INT_EQ(useradmin_apply(db, a, NULL, e, &bad, &changed, NULL), USERADMIN_ERROR);
	CHECK(!db_in_transaction(db));
	chain_intact(db);
	dbtest_close(db);
}

/*
 * In a child process: wait for the go byte on fd, then demote target on
 * behalf of actor on a connection of its own; exit with the result.
 */
static void
demote_in_child(int fd, int64_t actor, int64_t target)
{
	char go;
	if (read(fd, &go, 1) != 1)
		_exit(101);
	/* Waiting on the lock is slow by design: no slow-query lines in the report. */
	log_set_level(LOG_LVL_ERROR);
	struct db *db = dbtest_connect();
	if (db == NULL)
		_exit(100);
	struct useradmin_change c = {.role = ROLE_EMPLOYER, .disabled = -1};
	bool changed = false;
	enum useradmin_result r = useradmin_apply(db, actor, NULL, target, &c, &changed, NULL);
	db_close(db);
	_exit((int)r);
}

/*
 * Two admins demote each other at the same moment. A third connection holds
 * the admins' rows (PostgreSQL) or the write lock (SQLite) while both
 * processes start, so both are in flight together when it lets go. Exactly
 * one may win: the other must find that it would remove the last admin.
 * Connections are opened only after the fork (SQLite forbids carrying one
 * across it).
 */
static void
test_race_two_admins(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t a = make_user(db, "ada@example.org", ROLE_ADMIN);
	int64_t b = make_user(db, "bob@example.org", ROLE_ADMIN);
	db_close(db);
	int go[2];
	CHECK(pipe(go) == 0);
	fflush(stdout);
	pid_t p1 = fork();
	if (p1 == 0)
		demote_in_child(go[0], a, b);
	pid_t p2 = fork();
	if (p2 == 0)
		demote_in_child(go[0], b, a);
	CHECK(p1 > 0 && p2 > 0);
	db = dbtest_connect();
	CHECK_INT_EQ(db_begin_write(db), 0);
	if (db_kind(db) == DB_POSTGRES) {
		struct db_stmt *st =
		    db_prepare(db, "SELECT id FROM users WHERE role = 'admin' FOR UPDATE");
		CHECK(st != NULL && db_run(st) >= 0);
	}
	CHECK(write(go[1], "gg", 2) == 2);
	usleep(300 * 1000);
	CHECK_INT_EQ(db_commit(db), 0);
	int st1 = 0, st2 = 0;
	CHECK(waitpid(p1, &st1, 0) == p1 && WIFEXITED(st1));
	CHECK(waitpid(p2, &st2, 0) == p2 && WIFEXITED(st2));
	close(go[0]);
	close(go[1]);
	int r1 = WEXITSTATUS(st1), r2 = WEXITSTATUS(st2);
	CHECK((r1 == USERADMIN_OK && r2 == USERADMIN_LAST_ADMIN) ||
	      (r1 == USERADMIN_LAST_ADMIN && r2 == USERADMIN_OK));
	CHECK_INT_EQ(users_count_active_admins(db), 1);
	CHECK_INT_EQ(newest(db, USERADMIN_EV_ROLE).n, 1);
	chain_intact(db);
	dbtest_close(db);
}

void
test_suite_useradmin(void)
{
	RUN_TEST(test_role_change_ends_sessions);
	RUN_TEST(test_disable_enable);
	RUN_TEST(test_self_and_last_admin);
	RUN_TEST(test_race_two_admins);
}
