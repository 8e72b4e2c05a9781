/*
 * Storage and search against a real database: SQLite in a temporary file,
 * or PostgreSQL when BEACON_TEST_PG names a server (a fresh database is
 * created there and dropped afterwards).
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_impl.h"
#include "db/migrate.h"
#include "harness.h"
#include "model/jobs.h"
#include "model/vocab.h"
#include "search/search.h"
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
		snprintf(pg_name, sizeof(pg_name), "beacon_unit_%d", (int)getpid());
		char sql[128];
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_name);
		pg_admin(sql);
		const char *slash = strrchr(pg, '/');
		snprintf(url, sizeof(url), "%.*s/%s", (int)(slash - pg), pg, pg_name);
	} else {
		snprintf(path, sizeof(path), "/tmp/beacon-unit-%d.db", (int)getpid());
		unlink(path);
		snprintf(url, sizeof(url), "sqlite:%s", path);
	}
	char err[256];
	struct db *db = db_open(url, err, sizeof(err));
	CHECK(db != NULL);
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
	} else {
		char p[160];
		unlink(path);
		snprintf(p, sizeof(p), "%s-wal", path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", path);
		unlink(p);
	}
}

static void
test_placeholders(void)
{
	int n;
	char *s = db_pg_rewrite_placeholders("SELECT ? , '?', \"a?\", x = ?", &n);
	CHECK_STR_EQ(s, "SELECT $1 , '?', \"a?\", x = $2");
	CHECK_INT_EQ(n, 2);
	free(s);
}

static void
test_words(void)
{
	struct buf b = {0};
	CHECK_INT_EQ(search_words("The Nurse, and a DEVELOPER!", &b), 2);
	CHECK_STR_EQ(buf_cstr(&b), "Nurse DEVELOPER");
	buf_reset(&b);
	/* Em dash, full-width comma, no-break space and an invalid byte all separate words. */
	CHECK_INT_EQ(search_words("nurse\xE2\x80\x94" "data\xEF\xBC\x8C" "sql\xC2\xA0" "go\xFFlang", &b), 5);
	CHECK_STR_EQ(buf_cstr(&b), "nurse data sql go lang");
	buf_reset(&b);
	/* Letters outside ASCII stay in words. */
	CHECK_INT_EQ(search_words("caf\xC3\xA9 M\xC3\xBCnchen", &b), 2);
	CHECK_STR_EQ(buf_cstr(&b), "caf\xC3\xA9 M\xC3\xBCnchen");
	buf_reset(&b);
	CHECK_INT_EQ(search_words("the of and", &b), 0);
	CHECK_INT_EQ(search_words("a b c d e f g h i j k l m n o p q r s t u v w x y z", &b), 16);
	buf_free(&b);
}

static void
test_bad_urls(void)
{
	char err[256] = "";
	CHECK(db_open("mysql://x", err, sizeof(err)) == NULL);
	CHECK(strstr(err, "sqlite:") != NULL);
	CHECK(db_open("sqlite:/nonexistent-dir/x/y.db", err, sizeof(err)) == NULL);
	CHECK(strstr(err, "cannot open") != NULL);
}

/* Insert a job built from the few fields tests care about. */
static int64_t
add(struct db *db, const char *sid, const char *title, const char *skills, const char *desc,
    const char *type, const char *level, double salary, uint64_t acc, bool remote,
    const char *posted, const char *until)
{
	struct job j = {0};
	j.source_id = (char *)(uintptr_t)sid;
	j.title = (char *)(uintptr_t)title;
	j.company = (char *)(uintptr_t) "Acme";
	j.description = (char *)(uintptr_t)desc;
	j.city = (char *)(uintptr_t) "Austin";
	j.region = (char *)(uintptr_t) "TX";
	j.country = (char *)(uintptr_t) "US";
	j.remote = remote;
	j.employment_type = (char *)(uintptr_t)type;
	j.experience_level = (char *)(uintptr_t)level;
	if (salary > 0) {
		j.has_salary = true;
		j.salary_min = salary;
		j.salary_max = salary;
		j.salary_currency = (char *)(uintptr_t) "USD";
		j.salary_period = (char *)(uintptr_t) "YEAR";
	}
	j.skills_required = (char *)(uintptr_t)skills;
	j.accommodations = acc;
	j.date_posted = (char *)(uintptr_t)posted;
	j.valid_through = (char *)(uintptr_t)until;
	int64_t id = 0;
	bool created;
	CHECK_INT_EQ(jobs_upsert(db, &j, &id, &created), 0);
	return id;
}

static void
test_storage_and_search(void)
{
	struct db *db = open_fresh();
	if (db == NULL)
		return;
	char err[256] = "";
	int applied = migrate_apply(db, err, sizeof(err));
	CHECK_INT_EQ(applied, migrate_latest(db));
	CHECK_STR_EQ(err, "");
	CHECK_INT_EQ(migrate_current(db), migrate_latest(db));
	CHECK_INT_EQ(migrate_apply(db, err, sizeof(err)), 0);

	if (db_kind(db) == DB_SQLITE) {
		struct db_stmt *st = db_prepare(db, "PRAGMA journal_mode");
		CHECK(st && db_step(st) == DB_ROW);
		CHECK_STR_EQ(db_col_text(st, 0), "wal");
		db_finalize(st);
		st = db_prepare(db, "PRAGMA synchronous");
		CHECK(st && db_step(st) == DB_ROW);
		CHECK_INT_EQ(db_col_int(st, 0), 2);
		db_finalize(st);
		st = db_prepare(db, "PRAGMA foreign_keys");
		CHECK(st && db_step(st) == DB_ROW);
		CHECK_INT_EQ(db_col_int(st, 0), 1);
		db_finalize(st);
	}

	uint64_t asl = vocab_accommodation_bit("asl_interpreter");
	uint64_t cart = vocab_accommodation_bit("cart");
	int64_t a = add(db, "a", "Nursing Assistant", "Patient Care", "Help nurses on the ward.",
	                "FULL_TIME", "entry", 40000, asl, false, "2026-11-01", NULL);
	int64_t b = add(db, "b", "Software Developer", "Python\nSQL", "We never mention nursing here",
	                "PART_TIME", "senior", 120000, asl | cart, true, "2026-11-03", NULL);
	int64_t c = add(db, "c", "Data Analyst", "SQL", "Reports about nurse staffing.", "FULL_TIME",
	                "mid", 0, cart, false, "2026-11-02", NULL);
	add(db, "old", "Nurse Manager", "Leadership", "Expired posting", "FULL_TIME", "lead", 90000,
	    asl, false, "2020-01-01", "2020-01-31T23:59:59Z");
	CHECK(a > 0 && b > 0 && c > 0);

	/* Re-inserting the same source id updates in place. */
	bool created = true;
	int64_t again = 0;
	struct job u = {0};
	CHECK_INT_EQ(jobs_get(db, a, &u), 1);
	free(u.title);
	u.title = strdup("Nursing Assistant II");
	CHECK_INT_EQ(jobs_upsert(db, &u, &again, &created), 0);
	CHECK_INT_EQ(again, a);
	CHECK(!created);
	job_free(&u);
	CHECK_INT_EQ(jobs_count(db), 4);

	struct search_query q;
	struct search_result r;
	search_query_init(&q);
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 3); /* the expired job is not found */
	CHECK_INT_EQ(r.sort, SEARCH_SORT_DATE);
	CHECK(r.njobs == 3 && r.jobs[0].id == b && r.jobs[1].id == c && r.jobs[2].id == a);
	CHECK_INT_EQ(r.accommodation_counts[0], 2);
	CHECK_INT_EQ(r.remote_counts[1], 1);
	search_result_free(&r);

	/* Stemming: "nurses" matches "Nursing", "nurse", "nursing"; the title match ranks first. */
	q.words = "nurses";
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 3);
	CHECK_INT_EQ(r.sort, SEARCH_SORT_RELEVANCE);
	CHECK(r.njobs > 0 && r.jobs[0].id == a);
	search_result_free(&r);

	/* Stop words are dropped on both databases; a query of only punctuation is no query. */
	q.words = "the nurses";
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 3);
	search_result_free(&r);
	q.words = "\xE2\x80\x94 \xEF\xBC\x8C";
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 3);
	CHECK_INT_EQ(r.sort, SEARCH_SORT_DATE);
	search_result_free(&r);

	/* Hostile words are only words. */
	q.words = "\" OR 1=1 -- ) NEAR( * ^";
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 0);
	search_result_free(&r);

	/* Filters and facets: type facet leaves the type filter out. */
	search_query_init(&q);
	q.types = 1u << 0; /* FULL_TIME */
	q.accommodations = cart;
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 1);
	CHECK(r.njobs == 1 && r.jobs[0].id == c);
	CHECK_INT_EQ(r.type_counts[0], 1);
	CHECK_INT_EQ(r.type_counts[1], 1);
	search_result_free(&r);

	search_query_init(&q);
	q.min_salary = 50000;
	q.sort = SEARCH_SORT_SALARY;
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 1);
	CHECK_INT_EQ(r.salary_counts[0], 2); /* >= 30000, without the salary filter */
	search_result_free(&r);

	search_query_init(&q);
	q.location = "austin, tx";
	q.remote = 0;
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 2);
	search_result_free(&r);
	q.location = "Dallas";
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 0);
	/* The location facet leaves the location filter out: Austin still shows its on-site jobs. */
	CHECK_INT_EQ(r.nlocations, 1);
	if (r.nlocations == 1) {
		CHECK_STR_EQ(r.locations[0].city, "Austin");
		CHECK_STR_EQ(r.locations[0].region, "TX");
		CHECK_INT_EQ(r.locations[0].count, 2);
	}
	search_result_free(&r);
	q.location = "%";
	CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
	CHECK_INT_EQ(r.total, 0);
	search_result_free(&r);

	/* Paging is stable and complete. */
	search_query_init(&q);
	q.per_page = 1;
	int64_t seen[3] = {0};
	for (int p = 1; p <= 3; p++) {
		q.page = p;
		CHECK_INT_EQ(search_jobs(db, &q, &r), 0);
		CHECK_INT_EQ(r.njobs, 1);
		if (r.njobs == 1)
			seen[p - 1] = r.jobs[0].id;
		search_result_free(&r);
	}
	CHECK(seen[0] == b && seen[1] == c && seen[2] == a);
	/* A database from a newer Beacon is refused, not downgraded. */
	struct db_stmt *st = db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at)"
	                                    " VALUES (999, 'future', 'x')");
	CHECK(db_run(st) == 1);
	err[0] = '\0';
	CHECK_INT_EQ(migrate_apply(db, err, sizeof(err)), -1);
	CHECK(strstr(err, "newer than this Beacon") != NULL);
	close_fresh(db);
}

/* Row readers for test_one. */
struct pair {
	int64_t id;
	char name[32];
};

static void
pair_from_row(struct db_stmt *st, void *arg)
{
	struct pair *p = arg;
	p->id = db_col_int(st, 0);
	snprintf(p->name, sizeof(p->name), "%s", db_col_text(st, 1));
}

/* db_one, db_one_write and db_returning_id on both databases. */
static void
test_one(void)
{
	struct db *db = open_fresh();
	CHECK(db_exec(db, "CREATE TABLE t_one (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)") ==
	      0);
	int64_t id = 0;
	CHECK_INT_EQ(db_returning_id(db_prepare(db, "INSERT INTO t_one (id, name) VALUES (7, 'ada') "
	                                            "RETURNING id"),
	                             &id),
	             1);
	CHECK_INT_EQ((int)id, 7);
	struct pair p = {0};
	struct db_stmt *st = db_prepare(db, "SELECT id, name FROM t_one WHERE name = ?");
	db_bind_text(st, 1, "ada");
	CHECK_INT_EQ(db_one(st, pair_from_row, &p), 1);
	CHECK_INT_EQ((int)p.id, 7);
	CHECK_STR_EQ(p.name, "ada");
	/* No row: 0 and the output untouched. */
	struct pair none = {.id = -5};
	st = db_prepare(db, "SELECT id, name FROM t_one WHERE name = ?");
	db_bind_text(st, 1, "nobody");
	CHECK_INT_EQ(db_one(st, pair_from_row, &none), 0);
	CHECK_INT_EQ((int)none.id, -5);
	/* A row without a reader still counts. */
	CHECK_INT_EQ(db_one(db_prepare(db, "SELECT 1 FROM t_one"), NULL, NULL), 1);
	/* A failed prepare is an error, not "no row". */
	CHECK_INT_EQ(db_one(db_prepare(db, "SELECT nonsense FROM nowhere"), pair_from_row, &p), -1);
	CHECK_INT_EQ(db_one_write(NULL, NULL, NULL), -1);
	/* A write that fails (unique name) is -1, and nothing was written. */
	CHECK_INT_EQ(db_returning_id(db_prepare(db, "INSERT INTO t_one (id, name) VALUES (8, 'ada') "
	                                            "RETURNING id"),
	                             &id),
	             -1);
	/* UPDATE ... RETURNING through db_one_write completes the write. */
	st = db_prepare(db, "UPDATE t_one SET name = ? WHERE id = ? RETURNING id, name");
	db_bind_text(st, 1, "grace");
	db_bind_int(st, 2, 7);
	CHECK_INT_EQ(db_one_write(st, pair_from_row, &p), 1);
	CHECK_STR_EQ(p.name, "grace");
	st = db_prepare(db, "SELECT count(*), min(name) FROM t_one");
	CHECK_INT_EQ(db_one(st, pair_from_row, &p), 1);
	CHECK_INT_EQ((int)p.id, 1);
	CHECK_STR_EQ(p.name, "grace");
	close_fresh(db);
}

void
test_suite_db(void)
{
	RUN_TEST(test_placeholders);
	RUN_TEST(test_words);
	RUN_TEST(test_bad_urls);
	RUN_TEST(test_storage_and_search);
	RUN_TEST(test_one);
}
