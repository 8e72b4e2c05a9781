/*
 * sealed.h - every database column that holds sealed (encrypted) values.
 *
 * One table in sealed.c lists them, so `beaconctl rotate-key` finds every
 * value when a field key is rotated. A feature that stores a new sealed
 * column adds one SEALED_COLUMN line there and seals with the associated
 * data sealed_aad() gives ("<table>.<column>:<row id>"). The table must
 * have an integer primary key named id.
 */
#ifndef BEACON_MODEL_SEALED_H
#define BEACON_MODEL_SEALED_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct sealed_column {
	const char *table;
	const char *column;
	const char *aad_prefix; /* "<table>.<column>:"; the row id follows */
	const char *select_sql; /* id, value of rows with id > ? and a value, by id, LIMIT ? */
	const char *update_sql; /* value = ? WHERE id = ? AND value = ? (the value read) */
};

/* The sealed columns, ended by an entry whose table is NULL. */
extern const struct sealed_column sealed_columns[];

/* The associated data for the value of column c in row id, into out (size n). */
void sealed_aad(const struct sealed_column *c, int64_t id, char *out, size_t n);

/*
 * Seal again, with the current field key, every value of every sealed
 * column that was sealed with another key: batch rows per transaction.
 * Values that cannot be opened (their key is not loaded, or they were
 * altered) are left as they are, logged with table, column and row id, and
 * counted in *failed. Running it again finds nothing more to do. Returns 0,
 * or -1 on a database error (with the message in err; batches already
 * committed stay rotated).
 */
int sealed_rotate(struct db *db, int batch, long *rotated, long *failed, char *err, size_t errlen);

#endif
