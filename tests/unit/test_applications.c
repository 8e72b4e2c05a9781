/*
 * Applications: the stage transition table (every pair of stages for both
 * sides, against an independent list of the allowed moves), stage names,
 * the iCalendar writer (escaping, folding at 75 octets without splitting
 * UTF-8, CRLF, UTC times, a cancellation), and on a real database (SQLite,
 * or PostgreSQL with BEACON_TEST_PG) interviews cancelled when their
 * application is withdrawn or rejected.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/ics.h"
#include "db/db.h"
#include "db/migrate.h"
#include "dbtest.h"
#include "harness.h"
#include "model/applications.h"
#include "model/companies.h"
#include "model/interviews.h"
#include "model/postings.h"
#include "model/users.h"
#include "suites.h"

/* The allowed moves, written out by hand from the product rules. */
static const struct {
	const char *from, *to;
	enum app_side side;
} allowed[] = {
    {"applied", "screening", SIDE_EMPLOYER},   {"applied", "interview", SIDE_EMPLOYER},
    {"applied", "rejected", SIDE_EMPLOYER},    {"screening", "interview", SIDE_EMPLOYER},
    {"screening", "rejected", SIDE_EMPLOYER},  {"interview", "offer", SIDE_EMPLOYER},
    {"interview", "rejected", SIDE_EMPLOYER},  {"offer", "hired", SIDE_EMPLOYER},
    {"offer", "rejected", SIDE_EMPLOYER},      {"applied", "withdrawn", SIDE_CANDIDATE},
    {"screening", "withdrawn", SIDE_CANDIDATE}, {"interview", "withdrawn", SIDE_CANDIDATE},
    {"offer", "withdrawn", SIDE_CANDIDATE},
};

static bool
expected(int from, int to, enum app_side side)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(allowed[i].from, app_stage_name(from)) == 0 &&
		    strcmp(allowed[i].to, app_stage_name(to)) == 0 && allowed[i].side == side)
			return true;
	return false;
}

static void
test_transition_table(void)
{
	int yes = 0;
	for (int from = 0; from < STAGE_COUNT; from++)
		for (int to = 0; to < STAGE_COUNT; to++)
			for (int side = SIDE_NONE; side <= SIDE_EMPLOYER; side++) {
				bool got = app_transition_allowed(from, to, (enum app_side)side);
				CHECK(got == expected(from, to, (enum app_side)side));
				yes += got;
			}
	CHECK_INT_EQ(yes, 13);
	CHECK(!app_transition_allowed(-1, STAGE_APPLIED, SIDE_EMPLOYER));
	CHECK(!app_transition_allowed(STAGE_APPLIED, STAGE_COUNT, SIDE_EMPLOYER));
	/* Final stages are exactly those with no way out. */
	for (int s = 0; s < STAGE_COUNT; s++) {
		bool out = false;
		for (int to = 0; to < STAGE_COUNT; to++)
			out = out || app_transition_allowed(s, to, SIDE_EMPLOYER) ||
			      app_transition_allowed(s, to, SIDE_CANDIDATE);
		CHECK(app_stage_final(s) == !out);
	}
}

static void
test_stage_names(void)
{
	for (int s = 0; s < STAGE_COUNT; s++)
		CHECK_INT_EQ(app_stage_parse(app_stage_name(s)), s);
	CHECK_INT_EQ(app_stage_parse("Applied"), -1);
	CHECK_INT_EQ(app_stage_parse(""), -1);
	CHECK_INT_EQ(app_stage_parse(NULL), -1);
	CHECK(app_stage_name(STAGE_COUNT) == NULL);
	CHECK_STR_EQ(app_stage_label(STAGE_REJECTED), "Not selected");
}

static void
test_ics_escape(void)
{
	struct buf b = {0};
	ics_escape(&b, "a,b;c\\d\ne\r\nf\rg\x01h");
	CHECK_STR_EQ(buf_cstr(&b), "a\\,b\\;c\\\\d\\ne\\nf\\ngh");
	buf_free(&b);
}

static void
test_ics_fold(void)
{
	struct buf b = {0};
	char line[200];
	memset(line, 'x', 160);
	line[160] = '\0';
	ics_line(&b, line, 160);
	/* 75 + (1 + 74) + (1 + 11): folded lines start with one space. */
	const char *s = buf_cstr(&b);
	const char *first_end = strstr(s, "\r\n");
	CHECK_INT_EQ(first_end - s, 75);
	CHECK(first_end[2] == ' ');
	const char *second_end = strstr(first_end + 2, "\r\n");
	CHECK_INT_EQ(second_end - (first_end + 2), 75);
	CHECK_INT_EQ(b.len, 160 + 2 * 3 + 2);
	buf_free(&b);

	/* A 3-byte character at the fold point moves whole to the next line. */
	struct buf u = {0};
	char text[100];
	memset(text, 'a', 74);
	memcpy(text + 74, "\xe2\x82\xac", 3); /* EURO SIGN */
	memcpy(text + 77, "b", 2);
	ics_line(&u, text, 78);
	CHECK_INT_EQ(strstr(buf_cstr(&u), "\r\n") - buf_cstr(&u), 74);
	CHECK(strstr(buf_cstr(&u), "\r\n \xe2\x82\xac" "b\r\n") != NULL);
	buf_free(&u);
}

static void
test_ics_event(void)
{
	struct buf b = {0};
	time_t start = 1796220000; /* 2026-12-02T14:00:00Z */
	struct ics_event e = {.uid = "interview-7@beacon",
	                      .stamp = start - 86400,
	                      .start = start,
	                      .end = start + 1800,
	                      .summary = "Interview: Clerk, Payroll; Team",
	                      .location = "https://meet.example.org/a",
	                      .description = "Line one\nLine two"};
	ics_event_write(&b, &e);
	const char *s = buf_cstr(&b);
	CHECK(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	CHECK(strstr(s, "DTSTART:20261202T140000Z\r\n") != NULL);
	CHECK(strstr(s, "DTEND:20261202T143000Z\r\n") != NULL);
	CHECK(strstr(s, "DTSTAMP:20261201T140000Z\r\n") != NULL);
	CHECK(strstr(s, "UID:interview-7@beacon\r\n") != NULL);
	CHECK(strstr(s, "SUMMARY:Interview: Clerk\\, Payroll\\; Team\r\n") != NULL);
	CHECK(strstr(s, "DESCRIPTION:Line one\\nLine two\r\n") != NULL);
	CHECK(strstr(s, "END:VEVENT\r\nEND:VCALENDAR\r\n") != NULL);
	/* No bare LF anywhere. */
	for (size_t i = 0; i < b.len; i++)
		if (s[i] == '\n')
			CHECK(i > 0 && s[i - 1] == '\r');
	buf_free(&b);
}

static void
test_ics_cancel(void)
{
	struct buf b = {0};
	time_t start = 1796220000; /* 2026-12-02T14:00:00Z */
	struct ics_event e = {.uid = "interview-7@beacon",
	                      .stamp = start - 86400,
	                      .start = start,
	                      .end = start + 1800,
	                      .summary = "Cancelled: Interview: Clerk",
	                      .organizer = "mailto:beacon@example.org",
	                      .sequence = 1,
	                      .cancelled = true};
	ics_event_write(&b, &e);
	const char *s = buf_cstr(&b);
	CHECK(strstr(s, "METHOD:CANCEL\r\n") != NULL);
	CHECK(strstr(s, "METHOD:PUBLISH") == NULL);
	CHECK(strstr(s, "BEGIN:VEVENT\r\nUID:interview-7@beacon\r\nSEQUENCE:1\r\n") != NULL);
	CHECK(strstr(s, "STATUS:CANCELLED\r\n") != NULL);
	CHECK(strstr(s, "DTSTART:20261202T140000Z\r\n") != NULL);
	CHECK(strstr(s, "ORGANIZER;CN=Beacon:mailto:beacon@example.org\r\n") != NULL);
	buf_reset(&b);
	e.cancelled = false;
	e.sequence = 0;
	e.organizer = NULL;
	ics_event_write(&b, &e);
	s = buf_cstr(&b);
	CHECK(strstr(s, "METHOD:PUBLISH\r\n") != NULL);
	CHECK(strstr(s, "SEQUENCE:0\r\n") != NULL);
	CHECK(strstr(s, "STATUS:CONFIRMED\r\n") != NULL);
	CHECK(strstr(s, "ORGANIZER") == NULL);
	buf_free(&b);
}

/* ---- on a database ---- */

static struct actor
make_actor(struct db *db, const char *email, int role)
{
	int64_t id = 0;
	CHECK_INT_EQ(users_create(db, email, "$argon2id$not-a-real-hash", role, "Someone", true, &id),
	             0);
	return (struct actor){
	    .user_id = id, .role = role, .email_verified = true, .email = email, .name = "Someone"};
}

/* A seeker with a resume who applied to job; the application id. */
static int64_t
applied(struct db *db, const struct actor *a, int64_t job)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO documents (user_id, kind, filename, mime, size, sha256, storage_name, "
	        "created_at) VALUES (?, 'resume', 'cv.txt', 'text/plain', 3, '', ?, "
	        "'2026-01-01T00:00:00Z') RETURNING id");
	char name[64], rid[24];
	snprintf(name, sizeof(name), "unit-%lld", (long long)a->user_id);
	db_bind_int(st, 1, a->user_id);
	db_bind_text(st, 2, name);
	int64_t doc = 0;
	CHECK_INT_EQ(db_returning_id(st, &doc), 1);
	snprintf(rid, sizeof(rid), "%lld", (long long)doc);
	struct field_errors fe = {0};
	int64_t id = 0;
	CHECK_INT_EQ(applications_apply(db, a, job, &(struct app_input){.resume_id = rid}, &fe, &id),
	             APP_OK);
	return id;
}

static int64_t
propose(struct db *db, const struct actor *emp, int64_t app)
{
	char slot[32];
	time_t t = time(NULL) + 5 * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(slot, sizeof(slot), "%Y-%m-%dT14:30", &tm);
	struct interview_input in = {.format = "text", .slots = {slot}};
	struct field_errors fe = {0};
	int64_t id = 0;
	CHECK_INT_EQ(interviews_propose(db, emp, app, &in, &fe, &id), APP_OK);
	return id;
}

/* The status of interview id, or "" */
static void
status_of(struct db *db, int64_t id, char *out, size_t n)
{
	struct db_stmt *st = db_prepare(db, "SELECT status FROM interviews WHERE id = ?");
	db_bind_int(st, 1, id);
	out[0] = '\0';
	if (db_step(st) == DB_ROW)
		snprintf(out, n, "%s", db_col_text(st, 0));
	db_finalize(st);
}

/* How many notifications user_id has whose title holds s. */
static int64_t
titled(struct db *db, int64_t user_id, const char *s)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE ?");
	char like[200];
	snprintf(like, sizeof(like), "%%%s%%", s);
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, like);
	int64_t n = -1;
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_finalize(st);
	return n;
}

/* A company of emp with one job, "Baker"; the job id. */
static int64_t
company_job(struct db *db, const struct actor *emp)
{
	struct field_errors fe = {0};
	int64_t company = 0, job = 0;
	CHECK_INT_EQ(
	    companies_create(db, emp, &(struct company_input){.name = "Company"}, &fe, &company), 0);
	struct posting_input in = {.title = "Baker",
	                           .description = "Bake bread.",
	                           .employment_type = "FULL_TIME",
	                           .experience_level = "entry",
	                           .city = "Austin"};
	CHECK_INT_EQ(postings_create(db, emp, &in, &fe, &job), POSTING_OK);
	return job;
}

static void
test_closing_cancels_interviews(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	struct actor emp = make_actor(db, "emp@example.org", ROLE_EMPLOYER);
	struct actor c1 = make_actor(db, "c1@example.org", ROLE_JOB_SEEKER);
	struct actor c2 = make_actor(db, "c2@example.org", ROLE_JOB_SEEKER);
	struct actor c3 = make_actor(db, "c3@example.org", ROLE_JOB_SEEKER);
	struct field_errors fe = {0};
	int64_t job = company_job(db, &emp);
	int64_t a1 = applied(db, &c1, job), a2 = applied(db, &c2, job), a3 = applied(db, &c3, job);
	int64_t i1 = propose(db, &emp, a1), i2 = propose(db, &emp, a2), i3 = propose(db, &emp, a3);
	char st[16];

	/* No choice at all is refused and books nothing. */
	CHECK_INT_EQ(interviews_choose(db, &c1, i1, -1, &fe), APP_INVALID);
	CHECK(ferr_get(&fe, "slot_id") != NULL);
	status_of(db, i1, st, sizeof(st));
	CHECK_STR_EQ(st, "proposed");

	/* Confirmed, then withdrawn: cancelled, the chosen slot kept, the company told. */
	struct interview iv;
	struct application app;
	enum app_side side;
	CHECK_INT_EQ(interviews_load(db, &c1, i1, &iv, &app, &side), APP_OK);
	int64_t slot = iv.slots[0].id;
	interview_free(&iv);
	application_free(&app);
	fe = (struct field_errors){0};
	CHECK_INT_EQ(interviews_choose(db, &c1, i1, slot, &fe), APP_OK);
	CHECK_INT_EQ(applications_move(db, &c1, a1, STAGE_WITHDRAWN, NULL, &fe), APP_OK);
	CHECK_INT_EQ(interviews_load(db, &c1, i1, &iv, &app, &side), APP_OK);
	CHECK_STR_EQ(iv.status, "cancelled");
	CHECK(iv.chosen_slot_id == slot);
	interview_free(&iv);
	application_free(&app);
	CHECK_INT_EQ(titled(db, emp.user_id, "withdrew their application for Baker; the interview "
	                                     "is cancelled"),
	             1);
	CHECK_INT_EQ(interviews_choose(db, &c1, i1, slot, &fe), APP_BAD_TRANSITION);
	status_of(db, i2, st, sizeof(st));
	CHECK_STR_EQ(st, "proposed"); /* another application's interview is left alone */

	/* Rejected singly while proposed. */
	CHECK_INT_EQ(applications_move(db, &emp, a2, STAGE_REJECTED, "Thank you.", &fe), APP_OK);
	status_of(db, i2, st, sizeof(st));
	CHECK_STR_EQ(st, "cancelled");
	CHECK_INT_EQ(titled(db, c2.user_id, "Not selected; the interview is cancelled"), 1);

	/* Rejected in bulk: the same. */
	int moved = 0;
	CHECK_INT_EQ(applications_bulk_reject(db, &emp, job, (int64_t[]){a3}, 1, "Thank you.", &fe,
	                                      &moved),
	             APP_OK);
	CHECK_INT_EQ(moved, 1);
	status_of(db, i3, st, sizeof(st));
	CHECK_STR_EQ(st, "cancelled");
	CHECK_INT_EQ(titled(db, c3.user_id, "Not selected; the interview is cancelled"), 1);

	/* Moves that do not close the application cancel nothing; a second close finds none. */
	CHECK_INT_EQ(interviews_cancel_open(db, a3, NULL), 0);
	dbtest_close(db);
}

/* The SQL of migration version of this database's dialect, or NULL. */
static const char *
migration_sql(struct db *db, int version)
{
	const char *dialect = db_kind(db) == DB_SQLITE ? "sqlite" : "postgres";
	for (const struct migration *m = beacon_migrations; m->dialect; m++)
		if (m->version == version && strcmp(m->dialect, dialect) == 0)
			return m->sql;
	return NULL;
}

static void
test_one_proposal_waits(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	struct actor emp = make_actor(db, "emp@example.org", ROLE_EMPLOYER);
	struct actor c1 = make_actor(db, "c1@example.org", ROLE_JOB_SEEKER);
	struct actor c2 = make_actor(db, "c2@example.org", ROLE_JOB_SEEKER);
	struct field_errors fe = {0};
	int64_t job = company_job(db, &emp);
	int64_t a1 = applied(db, &c1, job), a2 = applied(db, &c2, job);
	int64_t i1 = propose(db, &emp, a1);
	CHECK_INT_EQ(interviews_waiting(db, a1), 1);

	/* A second proposal while the first waits is refused, naming why. */
	char slot[32];
	time_t t = time(NULL) + 6 * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(slot, sizeof(slot), "%Y-%m-%dT10:00", &tm);
	int64_t id = 0;
	fe = (struct field_errors){0};
	CHECK_INT_EQ(interviews_propose(db, &emp, a1,
	                                &(struct interview_input){.format = "text", .slots = {slot}},
	                                &fe, &id),
	             APP_INVALID);
	CHECK(ferr_get(&fe, "slot1") != NULL);
	CHECK_INT_EQ(interviews_waiting(db, a1), 1);

	/* Once the candidate answered (here: declined), another may be proposed. */
	fe = (struct field_errors){0};
	CHECK_INT_EQ(interviews_choose(db, &c1, i1, 0, &fe), APP_OK);
	CHECK_INT_EQ(interviews_waiting(db, a1), 0);
	int64_t again = propose(db, &emp, a1);

	/* Hired meanwhile: nothing is left waiting for a choice; a confirmed one would stay. */
	CHECK_INT_EQ(applications_move(db, &emp, a1, STAGE_OFFER, NULL, &fe), APP_OK);
	CHECK_INT_EQ(interviews_waiting(db, a1), 1);
	CHECK_INT_EQ(applications_move(db, &emp, a1, STAGE_HIRED, NULL, &fe), APP_OK);
	CHECK_INT_EQ(interviews_waiting(db, a1), 0);
	char s[16];
	status_of(db, again, s, sizeof(s));
	CHECK_STR_EQ(s, "cancelled");

	/*
	 * Migration 7 cancels what an application closed before closing cancelled
	 * interviews left open; open applications keep theirs.
	 */
	int64_t i2 = propose(db, &emp, a2);
	struct actor c3 = make_actor(db, "c3@example.org", ROLE_JOB_SEEKER);
	struct actor c4 = make_actor(db, "c4@example.org", ROLE_JOB_SEEKER);
	int64_t a3 = applied(db, &c3, job), a4 = applied(db, &c4, job);
	propose(db, &emp, a3);
	int64_t i4 = propose(db, &emp, a4);
	struct db_stmt *st = db_prepare(db, "UPDATE applications SET stage = 'withdrawn' WHERE id = ?");
	db_bind_int(st, 1, a2);
	CHECK_INT_EQ(db_run(st), 1);
	st = db_prepare(db, "UPDATE applications SET stage = 'hired' WHERE id = ?");
	db_bind_int(st, 1, a4);
	CHECK_INT_EQ(db_run(st), 1);
	const char *sql = migration_sql(db, 7);
	CHECK(sql != NULL);
	if (sql != NULL)
		CHECK_INT_EQ(db_exec(db, sql), 0);
	status_of(db, i2, s, sizeof(s));
	CHECK_STR_EQ(s, "cancelled");
	status_of(db, i4, s, sizeof(s));
	CHECK_STR_EQ(s, "cancelled");
	CHECK_INT_EQ(interviews_waiting(db, a3), 1);
	dbtest_close(db);
}

void
test_suite_applications(void)
{
	RUN_TEST(test_transition_table);
	RUN_TEST(test_stage_names);
	RUN_TEST(test_ics_escape);
	RUN_TEST(test_ics_fold);
	RUN_TEST(test_ics_event);
	RUN_TEST(test_ics_cancel);
	RUN_TEST(test_closing_cancels_interviews);
	RUN_TEST(test_one_proposal_waits);
}
