/*
 * audit.h - the append-only, hash-chained log of security events.
 *
 * Each record's hash covers its own fields and the previous record's hash,
 * so changing or removing a record breaks the chain from there on;
 * audit_verify (and `beaconctl audit-verify`) finds the first broken link.
 * The tables refuse UPDATE and DELETE (triggers in the migration).
 */
#ifndef BEACON_MODEL_AUDIT_H
#define BEACON_MODEL_AUDIT_H

#include <stdint.h>

#include "db/db.h"

/*
 * Append one event. actor_id 0 = no signed-in actor (e.g. a failed sign-in);
 * ip, target_type, target_id and detail may be NULL. event is a stable dotted
 * name such as "auth.signin.success"; detail is a short JSON object text (no
 * secrets, no passwords, no tokens). Runs inside the caller's transaction if
 * one is open, else in its own write transaction. Returns 0 or -1.
 */
int audit_log(struct db *db, int64_t actor_id, const char *ip, const char *event,
              const char *target_type, const char *target_id, const char *detail);

/* The prev_hash of the first record: 64 zeros. */
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_HASH_LEN 65 /* 64 hex digits + NUL */

/*
 * Walk the whole chain in id order: each record's prev_hash must be the hash
 * of the record before it (AUDIT_GENESIS for the first) and its hash must
 * match its fields. Returns 0 when intact (*count = records checked), 1 when
 * broken (*first_bad_id = the first record that does not fit, *count = the
 * good records before it), -1 on a database error. Removing the newest
 * records leaves a shorter, intact chain: compare the head hash
 * (audit_head) with one kept elsewhere to notice that.
 */
int audit_verify(struct db *db, int64_t *first_bad_id, int64_t *count);

/* The newest record's id and hash (0 and AUDIT_GENESIS when empty). 0 or -1. */
int audit_head(struct db *db, int64_t *id, char hash[AUDIT_HASH_LEN]);

/* One record as audit_list hands it over; the strings live until the callback returns. */
struct audit_record {
	int64_t id;
	const char *at;          /* "YYYY-MM-DDTHH:MM:SSZ" */
	int64_t actor_id;        /* 0 = none */
	const char *actor_ip;    /* NULL when unknown */
	const char *event;
	const char *target_type; /* NULL when none */
	const char *target_id;   /* NULL when none */
	const char *detail;      /* "" when none */
	const char *hash;
};

/*
 * The hash of rec chained onto prev: SHA-256, as hex, of "beacon-audit-v1\n"
 * followed by prev, id, at, actor_id (NULL when 0), actor_ip, event,
 * target_type, target_id and detail, each written as its byte length in
 * decimal, ":" and its bytes, or as "~" when NULL. rec->hash is not read.
 */
void audit_hash(const char *prev, const struct audit_record *rec, char out[AUDIT_HASH_LEN]);

/* What audit_list selects; zero/NULL fields do not filter. */
struct audit_filter {
	const char *event_prefix; /* "auth." matches auth.signin.success, ... */
	int64_t actor_id;
	const char *since;        /* instant text, inclusive: at >= since */
	const char *until;        /* instant text, exclusive: at < until */
};

/* Called once per record; return non-zero to stop early. */
typedef int (*audit_row_fn)(const struct audit_record *rec, void *arg);

#define AUDIT_LIST_MAX 1000

/*
 * Records matching f (NULL = all), newest first, with ids below before_id
 * (0 = from the newest): at most limit (1..AUDIT_LIST_MAX) of them. For the
 * next page pass the last id seen as before_id. Returns the number of records
 * handed to fn, or -1 on a database error.
 */
int audit_list(struct db *db, const struct audit_filter *f, int limit, int64_t before_id,
               audit_row_fn fn, void *arg);

#endif
