/*
 * db_pg.c - the PostgreSQL backend (libpq, text-format parameters).
 *
 * Each distinct SQL text is prepared once per connection as a named
 * server-side statement; db_step executes it on the first call and walks
 * the result rows afterwards.
 */
#include "db_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"

static void
notice_ignore(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

struct db *
db_pg_open(const char *url, char *err, size_t errlen)
{
	struct db *db = xcalloc(1, sizeof(*db));
	db->kind = DB_POSTGRES;
	/*
	 * Defaults the URL's own settings (expanded later) can override: a
	 * connect timeout, and no GSSAPI encryption attempt, whose library
	 * re-reads a configuration folder with a system call the worker sandbox
	 * does not allow.
	 */
	const char *const keys[] = {"connect_timeout", "gssencmode", "dbname", NULL};
	const char *const values[] = {"5", "disable", url, NULL};
	db->pg = PQconnectdbParams(keys, values, 1);
	if (db->pg == NULL || PQstatus(db->pg) != CONNECTION_OK) {
		/* libpq messages end with a newline; keep the reason on one line. */
		char reason[256];
		snprintf(reason, sizeof(reason), "%s", db->pg ? PQerrorMessage(db->pg) : "out of memory");
		for (char *p = reason; *p; p++)
			if (*p == '\n')
				*p = ' ';
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s", reason);
		db_close(db);
		return NULL;
	}
	PQsetNoticeProcessor(db->pg, notice_ignore, NULL);
	PQclear(PQexec(db->pg, "SET client_encoding TO 'UTF8'"));
	return db;
}

static void
pg_error(struct db *db, PGresult *res)
{
	const char *m = res ? PQresultErrorMessage(res) : "";
	if (m == NULL || *m == '\0')
		m = PQerrorMessage(db->pg);
	db_set_error(db, "%s", m);
	size_t n = strlen(db->err);
	while (n > 0 && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
		db->err[--n] = '\0';
}

int
db_pg_exec(struct db *db, const char *sql)
{
	PGresult *res = PQexec(db->pg, sql);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_error(db, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

char *
db_pg_rewrite_placeholders(const char *sql, int *count)
{
	struct buf b = {0};
	int n = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			buf_putc(&b, *p);
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			buf_putc(&b, *p);
		} else if (*p == '?') {
			buf_printf(&b, "$%d", ++n);
		} else {
			buf_putc(&b, *p);
		}
	}
	*count = n;
	return buf_steal(&b);
}

/*
 * After the server closed the connection (restart, failover, idle kill),
 * reconnect once. Every server-side prepared statement is gone with the old
 * session, so the generation moves on and statements prepare again on use.
 */
static bool
pg_reconnect(struct db *db)
{
	if (PQstatus(db->pg) != CONNECTION_BAD || db->in_transaction)
		return false;
	PQreset(db->pg);
	if (PQstatus(db->pg) != CONNECTION_OK)
		return false;
	db->pg_generation++;
	PQclear(PQexec(db->pg, "SET client_encoding TO 'UTF8'"));
	return true;
}

int
db_pg_prepare(struct db_stmt *st)
{
	struct db *db = st->db;
	int n = 0;
	char *sql = db_pg_rewrite_placeholders(st->sql, &n);
	if (n > DB_MAX_PARAMS) {
		db_set_error(db, "too many parameters (%d)", n);
		free(sql);
		return -1;
	}
	st->nparams = n;
	snprintf(st->pg_name, sizeof(st->pg_name), "b%u", ++db->pg_next_name);
	PGresult *res = PQprepare(db->pg, st->pg_name, sql, n, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && pg_reconnect(db)) {
		PQclear(res);
		res = PQprepare(db->pg, st->pg_name, sql, n, NULL);
	}
	free(sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_error(db, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	st->pg_prepared = true;
	st->pg_generation = db->pg_generation;
	return 0;
}

static PGresult *
pg_execute(struct db_stmt *st)
{
	if (st->pg_generation != st->db->pg_generation && db_pg_prepare(st) != 0)
		return NULL;
	return PQexecPrepared(st->db->pg, st->pg_name, st->nparams,
	                      (const char *const *)st->params, NULL, NULL, 0);
}

enum db_step_result
db_pg_step(struct db_stmt *st)
{
	if (st->res == NULL) {
		st->res = pg_execute(st);
		ExecStatusType s = PQresultStatus(st->res);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && pg_reconnect(st->db)) {
			PQclear(st->res);
			st->res = pg_execute(st);
			s = PQresultStatus(st->res);
		}
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			pg_error(st->db, st->res);
			return DB_ERROR;
		}
		st->nrows = PQntuples(st->res);
		const char *ct = PQcmdTuples(st->res);
		st->changes = (ct && *ct) ? strtoll(ct, NULL, 10) : 0;
		st->row = -1;
	}
	st->row++;
	return st->row < st->nrows ? DB_ROW : DB_DONE;
}
