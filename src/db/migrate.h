/*
 * migrate.h - versioned schema migrations, embedded in the binary.
 *
 * Files migrations/<dialect>/<NNNN>_<name>.sql (dialect "sqlite" or
 * "postgres") are compiled into beacon_migrations[] by
 * scripts/embed-migrations. migrate_apply runs the missing ones in order,
 * each in its own transaction, under a lock so two processes starting at
 * once never apply the same version twice.
 */
#ifndef BEACON_DB_MIGRATE_H
#define BEACON_DB_MIGRATE_H

#include <stddef.h>

#include "db.h"

struct migration {
	const char *dialect;
	int version;
	const char *name;
	const char *sql;
};

/* Terminated by an entry with dialect NULL. */
extern const struct migration beacon_migrations[];

/*
 * Apply every migration newer than the database's version. Returns the
 * number applied (0 when current) or -1 with a one-line reason in err; a
 * failed migration is rolled back whole.
 */
int migrate_apply(struct db *db, char *err, size_t errlen);

/* The newest version this binary knows for db's dialect. */
int migrate_latest(const struct db *db);

/* The version recorded in the database (0 for an empty database, -1 on error). */
int migrate_current(struct db *db);

#endif
