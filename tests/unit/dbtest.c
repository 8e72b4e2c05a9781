/*
 * dbtest.c - fresh databases for model tests (see dbtest.h).
 */
#include "dbtest.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "db/migrate.h"
#include "harness.h"

static char url[512];
static char path[160];
static char pg_name[64];
static unsigned serial;

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

const char *
dbtest_url(void)
{
	return url;
}

struct db *
dbtest_connect(void)
{
	char err[256] = "";
	struct db *db = db_open(url, err, sizeof(err));
	CHECK(db != NULL);
	if (db == NULL)
		printf("    %s\n", err);
	return db;
}

struct db *
dbtest_open(void)
{
	const char *pg = getenv("BEACON_TEST_PG");
	serial++;
	pg_name[0] = '\0';
	path[0] = '\0';
	if (pg && *pg) {
		snprintf(pg_name, sizeof(pg_name), "beacon_unit_m%d_%u", (int)getpid(), serial);
		char sql[128];
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_name);
		pg_admin(sql);
		const char *slash = strrchr(pg, '/');
		snprintf(url, sizeof(url), "%.*s/%s", (int)(slash - pg), pg, pg_name);
	} else {
		snprintf(path, sizeof(path), "/tmp/beacon-unit-m%d-%u.db", (int)getpid(), serial);
		unlink(path);
		snprintf(url, sizeof(url), "sqlite:%s", path);
	}
	struct db *db = dbtest_connect();
	if (db == NULL)
		return NULL;
	char err[256] = "";
	/* "applied migration" lines for every fresh database would bury the report. */
	enum log_level level = log_get_level();
	log_set_level(LOG_LVL_WARN);
	int applied = migrate_apply(db, err, sizeof(err));
	log_set_level(level);
	if (applied < 0) {
		CHECK_STR_EQ(err, "");
		db_close(db);
		return NULL;
	}
	return db;
}

void
dbtest_close(struct db *db)
{
	db_close(db);
	if (pg_name[0]) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_name);
		pg_admin(sql);
	} else if (path[0]) {
		char p[200];
		unlink(path);
		snprintf(p, sizeof(p), "%s-wal", path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", path);
		unlink(p);
	}
}
