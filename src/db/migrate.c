/*
 * migrate.c - apply embedded migrations under a lock.
 *
 * SQLite: BEGIN IMMEDIATE takes the database write lock for the whole
 * migration. PostgreSQL: a transaction-scoped advisory lock serialises
 * concurrent starters; the version is re-read after the lock is held.
 */
#include "migrate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

#define PG_MIGRATE_LOCK_KEY 0x626561636f6eLL /* "beacon" */

static const char *
dialect_name(const struct db *db)
{
	return db_kind(db) == DB_SQLITE ? "sqlite" : "postgres";
}

int
migrate_latest(const struct db *db)
{
	int latest = 0;
	const char *d = dialect_name(db);
	for (const struct migration *m = beacon_migrations; m->dialect; m++)
		if (strcmp(m->dialect, d) == 0 && m->version > latest)
			latest = m->version;
	return latest;
}

static int
ensure_table(struct db *db)
{
	return db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                   " version INTEGER PRIMARY KEY,"
	                   " name TEXT NOT NULL,"
	                   " applied_at TEXT NOT NULL)");
}

int
migrate_current(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	if (st == NULL)
		return -1;
	int v = -1;
	if (db_step(st) == DB_ROW)
		v = (int)db_col_int(st, 0);
	db_finalize(st);
	return v;
}

static int
apply_one(struct db *db, const struct migration *m, char *err, size_t errlen)
{
	if (db_begin_write(db) != 0) {
		snprintf(err, errlen, "migration %s: cannot begin: %s", m->name, db_errmsg(db));
		return -1;
	}
	if (db_kind(db) == DB_POSTGRES) {
		struct db_stmt *lk = db_prepare(db, "SELECT pg_advisory_xact_lock(?)");
		if (lk != NULL)
			db_bind_int(lk, 1, PG_MIGRATE_LOCK_KEY);
		if (db_run(lk) < 0) {
			snprintf(err, errlen, "migration lock: %s", db_errmsg(db));
			goto fail;
		}
	}
	/* Another process may have applied it while we waited for the lock. */
	int cur = migrate_current(db);
	if (cur < 0) {
		snprintf(err, errlen, "cannot read schema version: %s", db_errmsg(db));
		goto fail;
	}
	if (cur >= m->version) {
		db_rollback(db);
		return 0;
	}
	if (db_exec(db, m->sql) != 0) {
		snprintf(err, errlen, "migration %s failed: %s", m->name, db_errmsg(db));
		goto fail;
	}
	struct db_stmt *st = db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at)"
	                                    " VALUES (?, ?, ?)");
	if (st != NULL) {
		char now[32];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, m->name);
		db_bind_text(st, 3, now);
	}
	if (db_run(st) < 0) {
		snprintf(err, errlen, "migration %s: cannot record version: %s", m->name,
		         db_errmsg(db));
		goto fail;
	}
	if (db_commit(db) != 0) {
		snprintf(err, errlen, "migration %s: commit failed: %s", m->name, db_errmsg(db));
		goto fail;
	}
	log_info("applied migration %s", m->name);
	return 1;
fail:
	db_rollback(db);
	return -1;
}

int
migrate_apply(struct db *db, char *err, size_t errlen)
{
	if (db_kind(db) == DB_POSTGRES) {
		/* CREATE TABLE IF NOT EXISTS can race in PostgreSQL; serialise it too. */
		if (db_begin(db) != 0 || db_exec(db, "SELECT pg_advisory_xact_lock(6645000000)") != 0 ||
		    ensure_table(db) != 0 || db_commit(db) != 0) {
			snprintf(err, errlen, "cannot create schema_migrations: %s", db_errmsg(db));
			db_rollback(db);
			return -1;
		}
	} else if (ensure_table(db) != 0) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", db_errmsg(db));
		return -1;
	}
	int applied = 0;
	const char *d = dialect_name(db);
	for (int v = 1;; v++) {
		const struct migration *m = NULL;
		for (const struct migration *x = beacon_migrations; x->dialect; x++)
			if (x->version == v && strcmp(x->dialect, d) == 0)
				m = x;
		if (m == NULL)
			break;
		int cur = migrate_current(db);
		if (cur < 0) {
			snprintf(err, errlen, "cannot read schema version: %s", db_errmsg(db));
			return -1;
		}
		if (cur >= v)
			continue;
		int r = apply_one(db, m, err, errlen);
		if (r < 0)
			return -1;
		applied += r;
	}
	int cur = migrate_current(db);
	if (cur > migrate_latest(db)) {
		snprintf(err, errlen, "database schema version %d is newer than this Beacon (%d)", cur,
		         migrate_latest(db));
		return -1;
	}
	return applied;
}
