/*
 * audit.c - the hash-chained audit log.
 *
 * A record's hash is SHA-256 over a canonical encoding of the previous
 * record's hash and the record's own fields (id included, so records cannot
 * be renumbered or swapped). Every field is written as its length in decimal,
 * a colon and its bytes, or "~" for SQL NULL, so no two different records
 * encode alike. Appends are serialised (SQLite: the write transaction;
 * PostgreSQL: an advisory lock held to the end of the transaction), so two
 * workers never chain onto the same predecessor.
 */
#include "model/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"

/* pg_advisory_xact_lock key for appends (migrations use another). */
#define AUDIT_PG_LOCK "SELECT pg_advisory_xact_lock(6645000101)"
/* Rows read per query while verifying, so memory stays flat on PostgreSQL. */
#define VERIFY_BATCH 1000

static void
put_field(struct buf *b, const char *s)
{
	if (s == NULL) {
		buf_puts(b, "~");
		return;
	}
	buf_printf(b, "%zu:", strlen(s));
	buf_puts(b, s);
}

static void
put_int(struct buf *b, int64_t v, bool null_if_zero)
{
	if (null_if_zero && v == 0) {
		put_field(b, NULL);
		return;
	}
	char tmp[24];
	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	put_field(b, tmp);
}

void
audit_hash(const char *prev, const struct audit_record *rec, char out[AUDIT_HASH_LEN])
{
	struct buf b = {0};
	buf_puts(&b, "beacon-audit-v1\n");
	put_field(&b, prev);
	put_int(&b, rec->id, false);
	put_field(&b, rec->at);
	put_int(&b, rec->actor_id, true);
	put_field(&b, rec->actor_ip);
	put_field(&b, rec->event);
	put_field(&b, rec->target_type);
	put_field(&b, rec->target_id);
	put_field(&b, rec->detail);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)buf_cstr(&b), b.len);
	sodium_bin2hex(out, AUDIT_HASH_LEN, h, sizeof(h));
	buf_free(&b);
}

int
audit_head(struct db *db, int64_t *id, char hash[AUDIT_HASH_LEN])
{
	*id = 0;
	snprintf(hash, AUDIT_HASH_LEN, "%s", AUDIT_GENESIS);
	struct db_stmt *st = db_prepare(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	enum db_step_result r = db_step(st);
	if (r == DB_ROW) {
		const char *h = db_col_text(st, 1);
		*id = db_col_int(st, 0);
		snprintf(hash, AUDIT_HASH_LEN, "%s", h ? h : "");
	}
	db_finalize(st);
	return r == DB_ERROR ? -1 : 0;
}

/* The id the next record gets, inside the append lock. */
static int64_t
next_id(struct db *db, int64_t last_id)
{
	if (db_kind(db) == DB_SQLITE)
		return last_id + 1;
	/* The identity sequence, so a default-id insert elsewhere can never collide. */
	struct db_stmt *st =
	    db_prepare(db, "SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))");
	if (st == NULL)
		return -1;
	int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return id;
}

int
audit_log(struct db *db, int64_t actor_id, const char *ip, const char *event,
          const char *target_type, const char *target_id, const char *detail)
{
	if (event == NULL || event[0] == '\0')
		return -1;
	if (detail == NULL)
		detail = "";
	bool own = !db_in_transaction(db);
	if (own && db_begin_write(db) != 0)
		return -1;
	if (db_kind(db) == DB_POSTGRES && db_exec(db, AUDIT_PG_LOCK) != 0)
		goto fail;
	int64_t last_id;
	char prev[AUDIT_HASH_LEN];
	if (audit_head(db, &last_id, prev) != 0)
		goto fail;
	int64_t id = next_id(db, last_id);
	if (id <= 0)
		goto fail;
	char at[INSTANT_LEN];
	instant_now(at);
	struct audit_record rec = {
	    .id = id,
	    .at = at,
	    .actor_id = actor_id,
	    .actor_ip = ip,
	    .event = event,
	    .target_type = target_type,
	    .target_id = target_id,
	    .detail = detail,
	};
	char hash[AUDIT_HASH_LEN];
	audit_hash(prev, &rec, hash);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO audit_log (id, at, actor_id, actor_ip, event, target_type, target_id, "
	        "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		goto fail;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, at);
	if (actor_id != 0)
		db_bind_int(st, 3, actor_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, ip);
	db_bind_text(st, 5, event);
	db_bind_text(st, 6, target_type);
	db_bind_text(st, 7, target_id);
	db_bind_text(st, 8, detail);
	db_bind_text(st, 9, prev);
	db_bind_text(st, 10, hash);
	if (db_run(st) != 1)
		goto fail;
	if (own && db_commit(db) != 0)
		goto fail;
	return 0;
fail:
	/* The caller's transaction is the caller's to roll back. */
	if (own)
		db_rollback(db);
	return -1;
}

int
audit_verify(struct db *db, int64_t *first_bad_id, int64_t *count)
{
	*first_bad_id = 0;
	*count = 0;
	char prev[AUDIT_HASH_LEN] = AUDIT_GENESIS;
	int64_t after = 0;
	for (;;) {
		struct db_stmt *st = db_prepare(
		    db, "SELECT id, at, actor_id, actor_ip, event, target_type, target_id, detail, "
		        "prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT ?");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, after);
		db_bind_int(st, 2, VERIFY_BATCH);
		int rows = 0;
		enum db_step_result r;
		while ((r = db_step(st)) == DB_ROW) {
			rows++;
			int64_t id = db_col_int(st, 0);
			const char *stored_prev = db_col_text(st, 8);
			const char *stored = db_col_text(st, 9);
			struct audit_record rec = {
			    .id = id,
			    .at = db_col_text(st, 1),
			    .actor_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2),
			    .actor_ip = db_col_text(st, 3),
			    .event = db_col_text(st, 4),
			    .target_type = db_col_text(st, 5),
			    .target_id = db_col_text(st, 6),
			    .detail = db_col_text(st, 7),
			};
			char want[AUDIT_HASH_LEN];
			audit_hash(prev, &rec, want);
			if (stored_prev == NULL || strcmp(stored_prev, prev) != 0 || stored == NULL ||
			    strcmp(stored, want) != 0) {
				*first_bad_id = id;
				db_finalize(st);
				return 1;
			}
			snprintf(prev, sizeof(prev), "%s", stored);
			after = id;
			(*count)++;
		}
		db_finalize(st);
		if (r == DB_ERROR)
			return -1;
		if (rows < VERIFY_BATCH)
			return 0;
	}
}

int
audit_list(struct db *db, const struct audit_filter *f, int limit, int64_t before_id,
           audit_row_fn fn, void *arg)
{
	static const struct audit_filter none = {0};
	if (f == NULL)
		f = &none;
	if (limit < 1 || limit > AUDIT_LIST_MAX)
		limit = limit < 1 ? 1 : AUDIT_LIST_MAX;
	bool by_event = f->event_prefix != NULL && f->event_prefix[0] != '\0';
	bool by_since = f->since != NULL && f->since[0] != '\0';
	bool by_until = f->until != NULL && f->until[0] != '\0';
	/* Constant fragments only; every value is bound. */
	struct buf sql = {0};
	buf_puts(&sql, "SELECT id, at, actor_id, actor_ip, event, target_type, target_id, detail, "
	               "hash FROM audit_log WHERE id < ?");
	if (by_event)
		buf_puts(&sql, " AND substr(event, 1, ?) = ?");
	if (f->actor_id != 0)
		buf_puts(&sql, " AND actor_id = ?");
	if (by_since)
		buf_puts(&sql, " AND at >= ?");
	if (by_until)
		buf_puts(&sql, " AND at < ?");
	buf_puts(&sql, " ORDER BY id DESC LIMIT ?");
	struct db_stmt *st = db_prepare(db, buf_cstr(&sql));
	buf_free(&sql);
	if (st == NULL)
		return -1;
	int i = 1;
	db_bind_int(st, i++, before_id > 0 ? before_id : INT64_MAX);
	if (by_event) {
		/* substr counts characters in both databases, not bytes. */
		int64_t chars = 0;
		for (const char *p = f->event_prefix; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		db_bind_int(st, i++, chars);
		db_bind_text(st, i++, f->event_prefix);
	}
	if (f->actor_id != 0)
		db_bind_int(st, i++, f->actor_id);
	if (by_since)
		db_bind_text(st, i++, f->since);
	if (by_until)
		db_bind_text(st, i++, f->until);
	db_bind_int(st, i, limit);
	int n = 0;
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		const char *detail = db_col_text(st, 7);
		struct audit_record rec = {
		    .id = db_col_int(st, 0),
		    .at = db_col_text(st, 1),
		    .actor_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2),
		    .actor_ip = db_col_text(st, 3),
		    .event = db_col_text(st, 4),
		    .target_type = db_col_text(st, 5),
		    .target_id = db_col_text(st, 6),
		    .detail = detail ? detail : "",
		    .hash = db_col_text(st, 8),
		};
		n++;
		if (fn(&rec, arg) != 0)
			break;
	}
	db_finalize(st);
	return r == DB_ERROR ? -1 : n;
}
