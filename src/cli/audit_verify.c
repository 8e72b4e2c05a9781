/*
 * audit_verify.c - `beaconctl audit-verify`: check the audit log's hash chain.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "model/audit.h"

int
cli_audit_verify(struct db *db)
{
	int64_t bad = 0, count = 0;
	int rc = audit_verify(db, &bad, &count);
	if (rc < 0) {
		fprintf(stderr, "beaconctl: audit-verify: %s\n", db_errmsg(db));
		return 2;
	}
	if (rc > 0) {
		printf("audit log: record %" PRId64 " breaks the chain (%" PRId64
		       " records before it are intact)\n",
		       bad, count);
		return 1;
	}
	int64_t head_id;
	char head[AUDIT_HASH_LEN];
	if (audit_head(db, &head_id, head) != 0) {
		fprintf(stderr, "beaconctl: audit-verify: %s\n", db_errmsg(db));
		return 2;
	}
	printf("audit log: %" PRId64 " records, chain intact\n", count);
	/* Kept elsewhere, the head also shows when the newest records are removed. */
	printf("head: %" PRId64 " %s\n", head_id, head);
	return 0;
}
