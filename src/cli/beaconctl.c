/*
 * beaconctl - Beacon's administration command.
 *
 *   beaconctl serve                 start the server (what `make run` does)
 *   beaconctl migrate               apply database migrations
 *   beaconctl audit-verify          check the audit log's hash chain
 *   beaconctl rotate-key            re-seal encrypted fields with field_key_current
 *   beaconctl import-jobs FILE|-    import JobPosting JSON Lines
 *   beaconctl export-jobs [FILE|-]  export every job as JobPosting JSON Lines
 *   beaconctl gen-jobs N [SEED]     print N generated demo/benchmark jobs
 *   beaconctl check-config          validate BEACON_* settings and exit
 *   beaconctl send-test-mail ADDR   queue a test email (checks the mail settings)
 *   beaconctl run-alerts            run the saved-search alerts once, now
 *   beaconctl send-digest           send the daily notification digest now
 *   beaconctl create-admin EMAIL [NAME]  create an admin (password on stdin)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/log.h"
#include "db/migrate.h"

static void
usage(FILE *f)
{
	fputs("usage: beaconctl COMMAND [ARGS]\n"
	      "  serve                  start Beacon (configuration from BEACON_* variables)\n"
	      "  migrate                apply database migrations\n"
	      "  audit-verify           check the audit log's hash chain (exit 1 if broken)\n"
	      "  rotate-key             re-seal encrypted fields with field_key_current\n"
	      "  import-jobs FILE|-     import schema.org JobPosting JSON Lines\n"
	      "  export-jobs [FILE|-]   export all jobs as JobPosting JSON Lines\n"
	      "  gen-jobs N [SEED]      print N generated jobs as JSON Lines\n"
	      "  check-config           validate the configuration and exit\n"
	      "  send-test-mail ADDRESS queue a short test email to ADDRESS\n"
	      "  run-alerts             run the saved-search alerts once, now\n"
	      "  send-digest            send the daily notification digest now\n"
	      "  create-admin EMAIL [NAME]  create an admin; the password is read from\n"
	      "                         BEACON_ADMIN_PASSWORD or the first line of stdin\n",
	      f);
}

struct db *
cli_open_db(const struct config *cfg)
{
	char err[512];
	struct db *db = db_open(cfg->database_url, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "beaconctl: BEACON_DATABASE_URL: %s\n", err);
		exit(1);
	}
	int n = migrate_apply(db, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "beaconctl: %s\n", err);
		db_close(db);
		exit(1);
	}
	return db;
}

static long
parse_count(const char *s, const char *what)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end == s || *end != '\0' || n < 0 || n > 10000000) {
		fprintf(stderr, "beaconctl: %s must be a number from 0 to 10000000\n", what);
		exit(2);
	}
	return n;
}

int
main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "gen-jobs") == 0) {
		if (argc < 3) {
			usage(stderr);
			return 2;
		}
		long n = parse_count(argv[2], "N");
		unsigned long seed = argc > 3 ? (unsigned long)parse_count(argv[3], "SEED") : 1;
		cli_gen_jobs(stdout, n, seed);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	struct config cfg;
	char err[512];
	if (config_load(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "beaconctl: %s\n", err);
		return 1;
	}
	config_set_global(&cfg);
	log_set_level((enum log_level)cfg.log_level);
	int rc = 0;
	if (strcmp(cmd, "check-config") == 0) {
		printf("configuration is valid; database %s\n",
		       strncmp(cfg.database_url, "sqlite:", 7) == 0 ? cfg.database_url : "postgres");
	} else if (strcmp(cmd, "serve") == 0) {
		rc = cli_serve(&cfg, argv[0]);
	} else if (strcmp(cmd, "migrate") == 0) {
		struct db *db = cli_open_db(&cfg);
		printf("schema is at version %d\n", migrate_current(db));
		db_close(db);
	} else if (strcmp(cmd, "audit-verify") == 0 && argc == 2) {
		struct db *db = cli_open_db(&cfg);
		rc = cli_audit_verify(db);
		db_close(db);
	} else if (strcmp(cmd, "rotate-key") == 0 && argc == 2) {
		rc = cli_rotate_key(&cfg);
	} else if (strcmp(cmd, "import-jobs") == 0 && argc == 3) {
		struct db *db = cli_open_db(&cfg);
		rc = cli_import_jobs(db, argv[2], stderr);
		db_close(db);
	} else if (strcmp(cmd, "create-admin") == 0 && (argc == 3 || argc == 4)) {
		rc = cli_create_admin(&cfg, argv[2], argc == 4 ? argv[3] : NULL);
	} else if (strcmp(cmd, "run-alerts") == 0 && argc == 2) {
		rc = cli_notify_run(&cfg, false);
	} else if (strcmp(cmd, "send-digest") == 0 && argc == 2) {
		rc = cli_notify_run(&cfg, true);
	} else if (strcmp(cmd, "send-test-mail") == 0 && argc == 3) {
		rc = cli_send_test_mail(&cfg, argv[2]);
	} else if (strcmp(cmd, "export-jobs") == 0 && argc <= 3) {
		struct db *db = cli_open_db(&cfg);
		rc = cli_export_jobs(db, argc == 3 ? argv[2] : "-");
		db_close(db);
	} else {
		usage(stderr);
		rc = 2;
	}
	config_free(&cfg);
	return rc;
}
