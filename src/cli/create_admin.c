/*
 * create_admin.c - `beaconctl create-admin EMAIL [NAME]`: the first admin.
 *
 * The password comes from BEACON_ADMIN_PASSWORD or the first line of
 * standard input (never from the command line, where other users of the
 * machine could read it in the process list). The account is created with
 * its address confirmed; two-factor sign-in is set up at the first sign-in,
 * which admins cannot skip.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/password.h"
#include "core/secrets.h"
#include "model/accounts.h"
#include "model/audit.h"
#include "model/users.h"

/* The password into buf (NUL-terminated, line end removed); 0 or -1. */
static int
read_password(char *buf, size_t size)
{
	const char *env = getenv("BEACON_ADMIN_PASSWORD");
	if (env != NULL) {
		if (strlen(env) >= size)
			return -1;
		memcpy(buf, env, strlen(env) + 1);
		return 0;
	}
	if (fgets(buf, (int)size, stdin) == NULL)
		return -1;
	size_t n = strlen(buf);
	if (n > 0 && buf[n - 1] != '\n' && !feof(stdin))
		return -1; /* longer than any accepted password */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

int
cli_create_admin(const struct config *cfg, const char *email_in, const char *name_in)
{
	char email[EMAIL_MAX + 1];
	if (!email_normalise(email_in, email)) {
		fprintf(stderr, "beaconctl: create-admin: not an email address: %s\n", email_in);
		return 2;
	}
	char *name = display_name_clean(name_in ? name_in : "Admin");
	if (name == NULL) {
		fprintf(stderr, "beaconctl: create-admin: the name must be 1 to 100 characters\n");
		return 2;
	}
	secrets_sodium_init();
	char pw[PASSWORD_MAX_BYTES + 2];
	const char *code = NULL;
	int rc = 1;
	if (read_password(pw, sizeof(pw)) != 0) {
		fprintf(stderr, "beaconctl: create-admin: give the password in BEACON_ADMIN_PASSWORD "
		                "or as one line on standard input\n");
		free(name);
		return 2;
	}
	if (password_check(pw, strlen(pw), email, &code) != 0) {
		fprintf(stderr, "beaconctl: create-admin: %s\n", accounts_password_message(code));
		rc = 2;
		goto out;
	}
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(pw, strlen(pw), hash, sizeof(hash)) != 0) {
		fprintf(stderr, "beaconctl: create-admin: cannot hash the password\n");
		goto out;
	}
	struct db *db = cli_open_db(cfg);
	int64_t id = 0;
	int made = -1;
	if (db_begin_write(db) == 0) {
		made = users_create(db, email, hash, ROLE_ADMIN, name, true, &id);
		char target[24];
		snprintf(target, sizeof(target), "%lld", (long long)id);
		if (made == 0 &&
		    (audit_log(db, id, NULL, "admin.created", "user", target, "{\"via\":\"beaconctl\"}") !=
		         0 ||
		     db_commit(db) != 0))
			made = -1;
		if (made != 0)
			db_rollback(db);
	}
	if (made == 1)
		fprintf(stderr, "beaconctl: create-admin: %s already has an account; an admin can "
		                "change its role on the admin page\n",
		        email);
	else if (made < 0)
		fprintf(stderr, "beaconctl: create-admin: database error: %s\n", db_errmsg(db));
	else
		printf("admin %s created (id %lld); sign in to set up two-factor sign-in\n", email,
		       (long long)id);
	rc = made == 0 ? 0 : 1;
	db_close(db);
	sodium_memzero(hash, sizeof(hash));
out:
	sodium_memzero(pw, sizeof(pw));
	free(name);
	return rc;
}
