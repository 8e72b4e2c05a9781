#include "sealed.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/seal.h"

/* The SQL is made from the names at compile time: no SQL is assembled at run time. */
#define SEALED_COLUMN_KEYED(tbl, key, col)                                                         \
	{                                                                                          \
		tbl, col, tbl "." col ":",                                                         \
		    "SELECT " key ", " col " FROM " tbl " WHERE " key " > ? AND " col               \
		    " IS NOT NULL ORDER BY " key " LIMIT ?",                                       \
		    "UPDATE " tbl " SET " col " = ? WHERE " key " = ? AND " col " = ?"             \
	}
#define SEALED_COLUMN(tbl, col) SEALED_COLUMN_KEYED(tbl, "id", col)

const struct sealed_column sealed_columns[] = {
    SEALED_COLUMN("users", "totp_secret"),
    /* A profile's row is its user's: the aad number is the user id. */
    SEALED_COLUMN_KEYED("profiles", "user_id", "videophone_sealed"),
    SEALED_COLUMN_KEYED("profiles", "user_id", "text_phone_sealed"),
    SEALED_COLUMN_KEYED("profiles", "user_id", "accommodations_sealed"),
    SEALED_COLUMN("interviews", "accommodation_sealed"),
    {NULL, NULL, NULL, NULL, NULL},
};

void
sealed_aad(const struct sealed_column *c, int64_t id, char *out, size_t n)
{
	snprintf(out, n, "%s%" PRId64, c->aad_prefix, id);
}

struct row {
	int64_t id;
	char *value;
};

static int
db_fail(struct db *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, db_errmsg(db));
	return -1;
}

/* Read up to batch rows after *last_id into rows; returns the count or -1. */
static int
read_batch(struct db *db, const struct sealed_column *c, int64_t last_id, int batch,
           struct row *rows)
{
	struct db_stmt *st = db_prepare(db, c->select_sql);
	enum db_step_result r;
	int n = 0;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, last_id);
	db_bind_int(st, 2, batch);
	while (n < batch && (r = db_step(st)) == DB_ROW) {
		rows[n].id = db_col_int(st, 0);
		rows[n].value = xstrdup(db_col_text(st, 1));
		n++;
	}
	if (n < batch && r == DB_ERROR)
		n = -1;
	db_finalize(st);
	return n;
}

/* Seal one value again; 1 rotated, 0 left alone (cannot be opened, or changed meanwhile), -1. */
static int
rotate_one(struct db *db, const struct sealed_column *c, const struct row *row, long *failed)
{
	char aad[128];
	struct buf pt = {0}, sealed = {0};
	int rc = 0;

	sealed_aad(c, row->id, aad, sizeof(aad));
	if (seal_decrypt(row->value, aad, &pt) != 0) {
		struct json_writer *w = log_begin(LOG_LVL_WARN, "sealed value cannot be opened");
		if (w != NULL) {
			jw_kv_str(w, "table", c->table);
			jw_kv_str(w, "column", c->column);
			jw_kv_int(w, "id", row->id);
			jw_kv_int(w, "key_id", seal_key_id(row->value));
			log_end(w);
		}
		(*failed)++;
		return 0;
	}
	if (seal_encrypt(pt.data, pt.len, aad, &sealed) != 0) {
		rc = -1;
		goto out;
	}
	struct db_stmt *st = db_prepare(db, c->update_sql);
	if (st == NULL) {
		rc = -1;
		goto out;
	}
	db_bind_text(st, 1, buf_cstr(&sealed));
	db_bind_int(st, 2, row->id);
	db_bind_text(st, 3, row->value);
	int64_t changed = db_run(st);
	rc = changed < 0 ? -1 : changed > 0;
out:
	if (pt.data != NULL)
		sodium_memzero(pt.data, pt.len);
	buf_free(&pt);
	buf_free(&sealed);
	return rc;
}

static int
rotate_column(struct db *db, const struct sealed_column *c, int batch, long *rotated, long *failed,
              char *err, size_t errlen)
{
	struct row *rows = xcalloc((size_t)batch, sizeof(*rows));
	int64_t last_id = 0;
	int n, rc = 0;

	do {
		if (db_begin_write(db) != 0) {
			rc = db_fail(db, "begin", err, errlen);
			break;
		}
		n = read_batch(db, c, last_id, batch, rows);
		if (n < 0) {
			rc = db_fail(db, c->table, err, errlen);
			db_rollback(db);
			break;
		}
		long done = 0;
		for (int i = 0; i < n && rc == 0; i++) {
			if (!seal_needs_rotation(rows[i].value))
				continue;
			int r = rotate_one(db, c, &rows[i], failed);
			if (r < 0)
				rc = db_fail(db, c->table, err, errlen);
			else
				done += r;
		}
		for (int i = 0; i < n; i++)
			free(rows[i].value);
		if (rc != 0) {
			db_rollback(db);
			break;
		}
		if (db_commit(db) != 0) {
			rc = db_fail(db, "commit", err, errlen);
			break;
		}
		*rotated += done;
		if (n > 0)
			last_id = rows[n - 1].id;
	} while (n == batch);
	free(rows);
	return rc;
}

int
sealed_rotate(struct db *db, int batch, long *rotated, long *failed, char *err, size_t errlen)
{
	*rotated = 0;
	*failed = 0;
	if (batch < 1)
		batch = 1;
	for (const struct sealed_column *c = sealed_columns; c->table != NULL; c++) {
		if (rotate_column(db, c, batch, rotated, failed, err, errlen) != 0)
			return -1;
	}
	return 0;
}
