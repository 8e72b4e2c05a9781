/*
 * cli.h - beaconctl's commands, one file each.
 */
#ifndef BEACON_CLI_CLI_H
#define BEACON_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/config.h"
#include "db/db.h"

/* Open the configured database and bring its schema up to date; exits on failure. */
struct db *cli_open_db(const struct config *cfg);

/* import.c: import JSON Lines from path ("-" = stdin). Returns the exit status. */
int cli_import_jobs(struct db *db, const char *path, FILE *status);
/* Import from an open stream; path only names it in messages. 0 ok, 3 some bad lines, 1 failure. */
int cli_import_stream(struct db *db, FILE *in, const char *path, FILE *status);
/* export.c: write every job as JSON Lines to path ("-" = stdout). */
int cli_export_jobs(struct db *db, const char *path);
/* gen.c: write n generated, realistic JobPosting lines to out, reproducible from seed. */
void cli_gen_jobs(FILE *out, long n, unsigned long seed);
/* send_test_mail.c: queue a test message to one address. Returns the exit status. */
int cli_send_test_mail(const struct config *cfg, const char *to);
/* create_admin.c: create an admin account (password from env or stdin). Exit status. */
int cli_create_admin(const struct config *cfg, const char *email, const char *name);
/* audit_verify.c: check the audit chain; 0 intact, 1 broken, 2 database error. */
int cli_audit_verify(struct db *db);
/* rotate_key.c: seal every sealed value again with the current field key. Exit status. */
int cli_rotate_key(const struct config *cfg);
/* alerts.c: run the saved-search alerts (or, with digest, the daily digest) once. Exit status. */
int cli_notify_run(const struct config *cfg, bool digest);
/*
 * demo.c: the demo people (seekers, employers with companies and jobs, a
 * recruiter, an entrepreneur, applications, messages, interviews) through
 * the model; the field keys must be loaded (secrets_set_global). Writes
 * the accounts and their random password to <var_dir>/demo-accounts.txt
 * (mode 0600). 0 (also when an address is taken: nothing made), -1.
 */
int cli_demo_people(const struct config *cfg, struct db *db);
/* serve.c: prepare (migrate, demo data, Kore conf) and exec the Kore runtime. */
int cli_serve(const struct config *cfg, const char *self);

#endif
