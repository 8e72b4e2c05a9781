/*
 * rotate_key.c - beaconctl rotate-key: seal every sealed column value again
 * with field_key_current (docs/configuration.md, "Secrets").
 */
#include <stdio.h>

#include "cli/cli.h"
#include "core/secrets.h"
#include "model/sealed.h"

/* Rows per transaction: short write locks on SQLite, bounded memory. */
#define ROTATE_BATCH 500

int
cli_rotate_key(const struct config *cfg)
{
	struct secrets s;
	char err[512];
	long rotated = 0, failed = 0;
	int rc = 0;

	if (secrets_load(cfg, &s, err, sizeof(err)) != 0) {
		fprintf(stderr, "beaconctl: %s\n", err);
		return 1;
	}
	secrets_set_global(&s);
	struct db *db = cli_open_db(cfg);
	if (sealed_rotate(db, ROTATE_BATCH, &rotated, &failed, err, sizeof(err)) != 0) {
		fprintf(stderr, "beaconctl: rotate-key: %s\n", err);
		rc = 1;
	}
	printf("rotated %ld sealed values to field key %u\n", rotated,
	       (unsigned)s.field_key_current);
	if (failed > 0) {
		fprintf(stderr,
		        "beaconctl: %ld sealed values could not be opened and were left as they "
		        "are (logged above); keep their field key in the secrets file\n",
		        failed);
		rc = 1;
	}
	db_close(db);
	secrets_set_global(NULL);
	secrets_free(&s);
	return rc;
}
