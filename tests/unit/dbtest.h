/*
 * dbtest.h - a fresh, migrated database for a test: SQLite in a temporary
 * file, or a new database on the PostgreSQL server named by BEACON_TEST_PG
 * (dropped again by dbtest_close).
 */
#ifndef BEACON_TESTS_DBTEST_H
#define BEACON_TESTS_DBTEST_H

#include "db/db.h"

/* Create, open and migrate a fresh database; NULL (with a failed check) on error. */
struct db *dbtest_open(void);
/* Open another connection to the database dbtest_open made. */
struct db *dbtest_connect(void);
/* The URL of that database. */
const char *dbtest_url(void);
/* Close db and remove the database. */
void dbtest_close(struct db *db);

#endif
