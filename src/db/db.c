/*
 * db.c - backend-neutral part of the database interface: URL dispatch,
 * the per-connection statement cache, bindings and column access.
 */
#include "db_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/compress.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/mem.h"

void
db_set_error(struct db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
}

void
db_log_slow(struct db_stmt *st)
{
	double ms = monotonic_ms() - st->started_ms;
	if (ms < DB_SLOW_MS)
		return;
	struct json_writer *w = log_begin(LOG_LVL_WARN, "slow query");
	if (w == NULL)
		return;
	jw_key(w, "ms");
	jw_double(w, ms);
	jw_kv_str(w, "sql", st->sql);
	log_end(w);
}

struct db *
db_open(const char *url, char *err, size_t errlen)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		return db_sqlite_open(url + 7, err, errlen);
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
		return db_pg_open(url, err, errlen);
	snprintf(err, errlen, "database URL must start with sqlite: or postgres://");
	return NULL;
}

enum db_kind
db_kind(const struct db *db)
{
	return db->kind;
}

const char *
db_errmsg(const struct db *db)
{
	return db->err;
}

static void
stmt_clear_params(struct db_stmt *st)
{
	for (int i = 0; i < DB_MAX_PARAMS; i++) {
		free(st->params[i]);
		st->params[i] = NULL;
	}
	if (st->res != NULL) {
		PQclear(st->res);
		st->res = NULL;
	}
	st->row = -1;
	st->nrows = 0;
	st->changes = 0;
}

static void
stmt_destroy(struct db_stmt *st)
{
	if (st == NULL)
		return;
	stmt_clear_params(st);
	if (st->lite != NULL)
		sqlite3_finalize(st->lite);
	if (st->pg_prepared && st->db->pg != NULL &&
	    st->pg_generation == st->db->pg_generation) {
		char sql[64];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->pg_name);
		PQclear(PQexec(st->db->pg, sql));
	}
	free(st->sql);
	free(st);
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < DB_CACHE_SLOTS; i++)
		stmt_destroy(db->cache[i]);
	if (db->lite != NULL)
		sqlite3_close_v2(db->lite);
	if (db->pg != NULL)
		PQfinish(db->pg);
	free(db);
}

bool
db_alive(const struct db *db)
{
	if (db->kind == DB_POSTGRES)
		return PQstatus(db->pg) == CONNECTION_OK;
	return true;
}

int
db_exec(struct db *db, const char *sql)
{
	return db->kind == DB_SQLITE ? db_sqlite_exec(db, sql) : db_pg_exec(db, sql);
}

/* A reconnect may replay a statement only outside a transaction. */
static int
tx_exec(struct db *db, const char *sql, bool inside)
{
	int rc = db_exec(db, sql);
	db->in_transaction = inside && rc == 0;
	return rc;
}

int
db_begin(struct db *db)
{
	return tx_exec(db, "BEGIN", true);
}

int
db_begin_write(struct db *db)
{
	return tx_exec(db, db->kind == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", true);
}

int
db_commit(struct db *db)
{
	return tx_exec(db, "COMMIT", false);
}

int
db_rollback(struct db *db)
{
	return tx_exec(db, "ROLLBACK", false);
}

bool
db_in_transaction(const struct db *db)
{
	if (db->kind == DB_SQLITE)
		return sqlite3_get_autocommit(db->lite) == 0;
	return PQtransactionStatus(db->pg) != PQTRANS_IDLE;
}

/*
 * The cache is a small direct-mapped table keyed by the SQL text's hash. A
 * statement still in use (nested queries) or a slot collision falls back to
 * an uncached statement that db_finalize destroys.
 */
struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	uint64_t h = hash_fnv1a(sql, strlen(sql));
	unsigned slot = (unsigned)(h % DB_CACHE_SLOTS);
	struct db_stmt *st = db->cache[slot];
	if (st != NULL && !st->in_use && st->hash == h && strcmp(st->sql, sql) == 0) {
		st->in_use = true;
		st->row = -1;
		return st;
	}
	st = xcalloc(1, sizeof(*st));
	st->db = db;
	st->sql = xstrdup(sql);
	st->hash = h;
	st->row = -1;
	int rc = db->kind == DB_SQLITE ? db_sqlite_prepare(st) : db_pg_prepare(st);
	if (rc != 0) {
		stmt_destroy(st);
		return NULL;
	}
	st->in_use = true;
	if (db->cache[slot] == NULL || !db->cache[slot]->in_use) {
		stmt_destroy(db->cache[slot]);
		db->cache[slot] = st;
	}
	return st;
}

static bool
param_ok(struct db_stmt *st, int i)
{
	return i >= 1 && i <= DB_MAX_PARAMS && i <= (st->nparams ? st->nparams : DB_MAX_PARAMS);
}

void
db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	if (st->lite != NULL) {
		sqlite3_bind_int64(st->lite, i, v);
		return;
	}
	if (!param_ok(st, i))
		return;
	char tmp[24];
	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	free(st->params[i - 1]);
	st->params[i - 1] = xstrdup(tmp);
}

void
db_bind_double(struct db_stmt *st, int i, double v)
{
	if (st->lite != NULL) {
		sqlite3_bind_double(st->lite, i, v);
		return;
	}
	if (!param_ok(st, i))
		return;
	char tmp[40];
	snprintf(tmp, sizeof(tmp), "%.17g", v);
	free(st->params[i - 1]);
	st->params[i - 1] = xstrdup(tmp);
}

void
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	if (st->lite != NULL) {
		if (s == NULL)
			sqlite3_bind_null(st->lite, i);
		else
			sqlite3_bind_text(st->lite, i, s, -1, SQLITE_TRANSIENT);
		return;
	}
	if (!param_ok(st, i))
		return;
	free(st->params[i - 1]);
	st->params[i - 1] = s ? xstrdup(s) : NULL;
}

void
db_bind_null(struct db_stmt *st, int i)
{
	db_bind_text(st, i, NULL);
}

enum db_step_result
db_step(struct db_stmt *st)
{
	if (st->row < 0)
		st->started_ms = monotonic_ms();
	enum db_step_result r =
	    st->db->kind == DB_SQLITE ? db_sqlite_step(st) : db_pg_step(st);
	if (r != DB_ROW)
		db_log_slow(st);
	return r;
}

int64_t
db_col_int(struct db_stmt *st, int i)
{
	if (st->lite != NULL)
		return sqlite3_column_int64(st->lite, i);
	const char *v = db_col_text(st, i);
	return v ? strtoll(v, NULL, 10) : 0;
}

double
db_col_double(struct db_stmt *st, int i)
{
	if (st->lite != NULL)
		return sqlite3_column_double(st->lite, i);
	const char *v = db_col_text(st, i);
	return v ? strtod(v, NULL) : 0.0;
}

const char *
db_col_text(struct db_stmt *st, int i)
{
	if (st->lite != NULL)
		return (const char *)sqlite3_column_text(st->lite, i);
	if (st->res == NULL || st->row < 0 || st->row >= st->nrows || i >= PQnfields(st->res))
		return NULL;
	if (PQgetisnull(st->res, st->row, i))
		return NULL;
	return PQgetvalue(st->res, st->row, i);
}

bool
db_col_is_null(struct db_stmt *st, int i)
{
	if (st->lite != NULL)
		return sqlite3_column_type(st->lite, i) == SQLITE_NULL;
	return db_col_text(st, i) == NULL;
}

int64_t
db_changes(struct db_stmt *st)
{
	if (st->lite != NULL)
		return sqlite3_changes(st->db->lite);
	return st->changes;
}

void
db_finalize(struct db_stmt *st)
{
	if (st == NULL)
		return;
	struct db *db = st->db;
	unsigned slot = (unsigned)(st->hash % DB_CACHE_SLOTS);
	if (db->cache[slot] != st) {
		stmt_destroy(st);
		return;
	}
	if (st->lite != NULL) {
		sqlite3_reset(st->lite);
		sqlite3_clear_bindings(st->lite);
	}
	stmt_clear_params(st);
	st->in_use = false;
}

int64_t
db_run(struct db_stmt *st)
{
	if (st == NULL)
		return -1;
	enum db_step_result r = db_step(st);
	while (r == DB_ROW)
		r = db_step(st);
	int64_t changed = r == DB_DONE ? db_changes(st) : -1;
	db_finalize(st);
	return changed;
}

/* Step st once, read a row through row; with drain, step on to the end. Finalizes. */
static int
one_row(struct db_stmt *st, db_row_fn row, void *arg, bool drain)
{
	if (st == NULL)
		return -1;
	enum db_step_result r = db_step(st);
	int rc = r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
	if (rc == 1 && row != NULL)
		row(st, arg);
	while (rc == 1 && drain && db_step(st) == DB_ROW)
		;
	db_finalize(st);
	return rc;
}

int
db_one(struct db_stmt *st, db_row_fn row, void *arg)
{
	return one_row(st, row, arg, false);
}

int
db_one_write(struct db_stmt *st, db_row_fn row, void *arg)
{
	return one_row(st, row, arg, true);
}

static void
id_of_row(struct db_stmt *st, void *arg)
{
	*(int64_t *)arg = db_col_int(st, 0);
}

int
db_returning_id(struct db_stmt *st, int64_t *id)
{
	return db_one_write(st, id_of_row, id);
}
