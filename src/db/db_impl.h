/*
 * db_impl.h - what db.c shares with the two backends. Not for other layers.
 */
#ifndef BEACON_DB_IMPL_H
#define BEACON_DB_IMPL_H

#include <sqlite3.h>
#include <libpq-fe.h>

#include "db.h"

#define DB_MAX_PARAMS 64
#define DB_CACHE_SLOTS 64

struct db_stmt {
	struct db *db;
	char *sql;          /* the SQL as given (cache key) */
	uint64_t hash;
	bool in_use;
	/* SQLite */
	sqlite3_stmt *lite;
	/* PostgreSQL */
	char pg_name[24];   /* server-side prepared statement name */
	bool pg_prepared;
	unsigned pg_generation; /* the connection generation it was prepared on */
	int nparams;
	char *params[DB_MAX_PARAMS];
	PGresult *res;
	int row;            /* current row, -1 before the first step */
	int nrows;
	int64_t changes;
	double started_ms;
};

struct db {
	enum db_kind kind;
	sqlite3 *lite;
	PGconn *pg;
	char err[512];
	unsigned pg_next_name;
	unsigned pg_generation; /* bumped when the connection is re-established */
	bool in_transaction;
	struct db_stmt *cache[DB_CACHE_SLOTS];
};

void db_set_error(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void db_log_slow(struct db_stmt *st);

struct db *db_sqlite_open(const char *path, char *err, size_t errlen);
struct db *db_pg_open(const char *url, char *err, size_t errlen);
int db_sqlite_exec(struct db *db, const char *sql);
int db_pg_exec(struct db *db, const char *sql);
int db_sqlite_prepare(struct db_stmt *st);
int db_pg_prepare(struct db_stmt *st);
enum db_step_result db_sqlite_step(struct db_stmt *st);
enum db_step_result db_pg_step(struct db_stmt *st);

/* Rewrite '?' placeholders outside quotes into $1..$n; returns a new string. */
char *db_pg_rewrite_placeholders(const char *sql, int *count);

#endif
