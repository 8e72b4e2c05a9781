/*
 * db_sqlite.c - the SQLite backend (the embedded default).
 */
#include "db_impl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"

/* Read back one PRAGMA and compare it with what was asked for. */
static int
pragma_check(struct db *db, const char *pragma, const char *want, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char sql[64];
	int rc = -1;
	snprintf(sql, sizeof(sql), "PRAGMA %s", pragma);
	if (sqlite3_prepare_v2(db->lite, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "cannot read PRAGMA %s: %s", pragma, sqlite3_errmsg(db->lite));
		goto out;
	}
	const char *got = (const char *)sqlite3_column_text(st, 0);
	if (got == NULL || strcasecmp(got, want) != 0) {
		snprintf(err, errlen, "SQLite %s is %s, expected %s", pragma, got ? got : "NULL", want);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

struct db *
db_sqlite_open(const char *path, char *err, size_t errlen)
{
	struct db *db = xcalloc(1, sizeof(*db));
	db->kind = DB_SQLITE;
	if (*path == '\0') {
		snprintf(err, errlen, "empty SQLite path");
		goto fail;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->lite, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open SQLite database %s: %s", path,
		         db->lite ? sqlite3_errmsg(db->lite) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->lite, 5000);
	sqlite3_extended_result_codes(db->lite, 1);
	const char *setup = "PRAGMA journal_mode=WAL;"
	                    "PRAGMA synchronous=FULL;"
	                    "PRAGMA foreign_keys=ON;"
	                    "PRAGMA temp_store=MEMORY;"
	                    "PRAGMA cache_size=-32768;";
	char *msg = NULL;
	if (sqlite3_exec(db->lite, setup, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure SQLite database %s: %s", path,
		         msg ? msg : sqlite3_errmsg(db->lite));
		sqlite3_free(msg);
		goto fail;
	}
	/* synchronous=FULL reads back as 2, foreign_keys=ON as 1. */
	if (pragma_check(db, "journal_mode", "wal", err, errlen) != 0 ||
	    pragma_check(db, "synchronous", "2", err, errlen) != 0 ||
	    pragma_check(db, "foreign_keys", "1", err, errlen) != 0)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

int
db_sqlite_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
		db_set_error(db, "%s", msg ? msg : sqlite3_errmsg(db->lite));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
db_sqlite_prepare(struct db_stmt *st)
{
	if (sqlite3_prepare_v3(st->db->lite, st->sql, -1, SQLITE_PREPARE_PERSISTENT, &st->lite,
	                       NULL) != SQLITE_OK) {
		db_set_error(st->db, "%s", sqlite3_errmsg(st->db->lite));
		return -1;
	}
	st->nparams = sqlite3_bind_parameter_count(st->lite);
	return 0;
}

enum db_step_result
db_sqlite_step(struct db_stmt *st)
{
	st->row++;
	int rc = sqlite3_step(st->lite);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	db_set_error(st->db, "%s", sqlite3_errmsg(st->db->lite));
	return DB_ERROR;
}
