/*
 * alerts.c - beaconctl run-alerts and beaconctl send-digest: run the
 * saved-search alerts or the daily digest once, now, as the server's
 * recurring tasks do (for operators after an outage, and for tests that
 * cannot wait for the clock). Safe while the server runs: a job is
 * claimed for a search and a notification for the digest in the database,
 * so nothing is sent twice.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "core/secrets.h"
#include "model/notifications.h"
#include "model/saved_searches.h"

int
cli_notify_run(const struct config *cfg, bool digest)
{
	struct secrets s;
	char err[512];
	/* Emails carry one-click unsubscribe links, signed with a key from the secrets file. */
	if (secrets_load(cfg, &s, err, sizeof(err)) != 0) {
		fprintf(stderr, "beaconctl: %s\n", err);
		return 1;
	}
	secrets_set_global(&s);
	struct db *db = cli_open_db(cfg);
	int n = digest ? notify_digest_run(db) : saved_run_due(db);
	int rc = 0;
	if (n < 0) {
		fprintf(stderr, "beaconctl: %s: %s\n", digest ? "send-digest" : "run-alerts",
		        db_errmsg(db));
		rc = 1;
	} else if (digest) {
		printf("queued %d digest emails\n", n);
	} else {
		printf("%d saved searches found new jobs\n", n);
	}
	db_close(db);
	secrets_set_global(NULL);
	secrets_free(&s);
	return rc;
}
