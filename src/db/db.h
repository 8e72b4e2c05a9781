/*
 * db.h - the one database interface, with a SQLite and a PostgreSQL backend.
 *
 * SQL is written once with '?' placeholders; the PostgreSQL backend rewrites
 * them to $1, $2, ... Only parameterised SQL goes through here: callers bind
 * values, they never splice them into SQL text. Where the dialects differ
 * (full-text search), callers ask db_kind() and pick between two constant
 * strings.
 *
 * A connection belongs to one process (a Kore worker or beaconctl) and is
 * not thread-safe.
 */
#ifndef BEACON_DB_DB_H
#define BEACON_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_kind { DB_SQLITE, DB_POSTGRES };

enum db_step_result { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/*
 * Open the database named by url: "sqlite:PATH" or "postgres://..." /
 * "postgresql://...". SQLite is opened in WAL mode with synchronous=FULL,
 * foreign keys on and a busy timeout, and each setting is read back; a
 * setting that did not take is an error. On failure returns NULL and writes
 * a one-line reason into err.
 */
struct db *db_open(const char *url, char *err, size_t errlen);
/* Close the connection and every cached statement. NULL is fine. */
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
/* The last error message of this connection (never NULL). */
const char *db_errmsg(const struct db *db);

/*
 * False when the connection is known to be broken (PostgreSQL restarted or
 * the network dropped); the caller should close it and open a new one.
 */
bool db_alive(const struct db *db);

/* Run SQL without parameters; may hold several statements. 0 or -1. */
int db_exec(struct db *db, const char *sql);
int db_begin(struct db *db);
/* Begin a transaction that takes the write lock at once (SQLite IMMEDIATE). */
int db_begin_write(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
/*
 * True while a transaction is open on this connection, whoever began it, so a
 * helper can join the caller's transaction instead of starting its own.
 */
bool db_in_transaction(const struct db *db);

/*
 * Prepare sql (with '?' placeholders, at most 64). Statements are cached per
 * connection by SQL text, so preparing the same text again is cheap. Returns
 * NULL on error (see db_errmsg). Finish with db_finalize.
 */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* Bind parameter i (1-based). Text is copied. NULL text binds SQL NULL. */
void db_bind_int(struct db_stmt *st, int i, int64_t v);
void db_bind_double(struct db_stmt *st, int i, double v);
void db_bind_text(struct db_stmt *st, int i, const char *s);
void db_bind_null(struct db_stmt *st, int i);
/* Advance: DB_ROW when a row is available, DB_DONE at the end, DB_ERROR. */
enum db_step_result db_step(struct db_stmt *st);
/* Column accessors for the current row (0-based). Text is valid until the next step. */
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
/* NULL for SQL NULL. */
const char *db_col_text(struct db_stmt *st, int i);
bool db_col_is_null(struct db_stmt *st, int i);
/* Rows changed by the last step of an INSERT/UPDATE/DELETE. */
int64_t db_changes(struct db_stmt *st);
/* Reset bindings and release the statement back to the cache. NULL is fine. */
void db_finalize(struct db_stmt *st);

/*
 * Step st to the end (result rows ignored) and finalize it. Returns the
 * number of rows changed, or -1 on error (st NULL counts as an error).
 */
int64_t db_run(struct db_stmt *st);

/* Copies the columns of the current row of st into arg. */
typedef void (*db_row_fn)(struct db_stmt *st, void *arg);

/*
 * A query for one row: step st once and, when there is a row and row is not
 * NULL, call row(st, arg) to copy its columns out. Finalizes st; st NULL
 * (a failed db_prepare) counts as an error. Returns 1 (a row), 0 (none) or
 * -1. Further rows are left unread: the query should select one.
 */
int db_one(struct db_stmt *st, db_row_fn row, void *arg);

/*
 * db_one for a write with RETURNING: after the first row, steps to the end
 * so that the write completes on every backend, then finalizes.
 */
int db_one_write(struct db_stmt *st, db_row_fn row, void *arg);

/* db_one_write that reads column 0 of the row into *id. */
int db_returning_id(struct db_stmt *st, int64_t *id);

/* Elapsed milliseconds above which a statement is logged as slow. */
#define DB_SLOW_MS 100

#endif
