/*
 * send_test_mail.c - beaconctl send-test-mail ADDRESS: queue a short
 * message so an operator can check the email settings end to end. A
 * running server delivers it like any other mail (BEACON_SMTP_URL, or a
 * file in BEACON_VAR_DIR/mail/ without it).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/dates.h"
#include "model/mail.h"

int
cli_send_test_mail(const struct config *cfg, const char *to)
{
	if (!mail_address_valid(to)) {
		fprintf(stderr, "beaconctl: send-test-mail: not a plain email address: %s\n", to);
		return 2;
	}
	if (cfg->smtp_url != NULL && !mail_smtp_url_ok(cfg->smtp_url)) {
		fprintf(stderr, "beaconctl: BEACON_SMTP_URL: must be smtp://[USER@]HOST[:PORT] or "
		                "smtps://...; a password belongs in the secrets file\n");
		return 1;
	}
	char now[INSTANT_LEN];
	instant_now(now);
	struct buf body = {0};
	buf_printf(&body,
	           "This is a test message from Beacon (beaconctl send-test-mail).\n"
	           "\n"
	           "If you can read it, outgoing email works.\n"
	           "\n"
	           "Queued at %s for %s.\n",
	           now, to);
	struct db *db = cli_open_db(cfg);
	int64_t id = mail_queue(db, to, "Beacon test message", buf_cstr(&body));
	buf_free(&body);
	if (id < 0) {
		fprintf(stderr, "beaconctl: send-test-mail: cannot queue the message: %s\n",
		        db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	if (cfg->smtp_url != NULL)
		printf("queued test message %lld; a running Beacon sends it by SMTP within seconds\n",
		       (long long)id);
	else
		printf("queued test message %lld; without BEACON_SMTP_URL a running Beacon writes it to "
		       "%s/mail/\n",
		       (long long)id, cfg->var_dir);
	return 0;
}
