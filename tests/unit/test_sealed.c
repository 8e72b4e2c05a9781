/*
 * Field-key rotation over the sealed columns, on a real database (SQLite,
 * or PostgreSQL with BEACON_TEST_PG): every value moves to the current key
 * and still opens, nothing else changes, a second run has nothing to do, and
 * values that cannot be opened are counted and left alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/seal.h"
#include "core/secrets.h"
#include "db/db.h"
#include "dbtest.h"
#include "harness.h"
#include "model/sealed.h"
#include "suites.h"

static struct secrets_field_key keys[2];
static struct secrets sec;

static void
use_keys(unsigned current)
{
	memset(&sec, 0, sizeof(sec));
	keys[0].id = 1;
	memset(keys[0].key, 0x11, sizeof(keys[0].key));
	keys[1].id = 2;
	memset(keys[1].key, 0x22, sizeof(keys[1].key));
	sec.jwt_key_len = 32;
	sec.field_keys = keys;
	sec.nfield_keys = 2;
	sec.field_key_current = (uint16_t)current;
	secrets_set_global(&sec);
}

static int64_t
add_user(struct db *db, int i)
{
	char email[64];
	snprintf(email, sizeof(email), "user%d@example.org", i);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO users (email, password_hash, role, display_name, password_changed_at, "
	        "created_at, updated_at) VALUES (?, 'x', 'job_seeker', 'User', "
	        "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	CHECK(st != NULL);
	db_bind_text(st, 1, email);
	CHECK_INT_EQ(db_run(st), 1);
	st = db_prepare(db, "SELECT id FROM users WHERE email = ?");
	db_bind_text(st, 1, email);
	CHECK(db_step(st) == DB_ROW);
	int64_t id = db_col_int(st, 0);
	db_finalize(st);
	return id;
}

static void
set_secret(struct db *db, int64_t id, const char *value)
{
	struct db_stmt *st = db_prepare(db, "UPDATE users SET totp_secret = ? WHERE id = ?");
	db_bind_text(st, 1, value);
	db_bind_int(st, 2, id);
	CHECK_INT_EQ(db_run(st), 1);
}

/* The stored value of row id (caller frees), or NULL. */
static char *
get_secret(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT totp_secret FROM users WHERE id = ?");
	db_bind_int(st, 1, id);
	char *v = NULL;
	if (db_step(st) == DB_ROW && !db_col_is_null(st, 0))
		v = strdup(db_col_text(st, 0));
	db_finalize(st);
	return v;
}

static void
seal_for(int64_t id, const char *plain, struct buf *out)
{
	char aad[64];
	sealed_aad(&sealed_columns[0], id, aad, sizeof(aad));
	buf_reset(out);
	CHECK_INT_EQ(seal_encrypt(plain, strlen(plain), aad, out), 0);
}

static void
test_table(void)
{
	char aad[64];
	CHECK_STR_EQ(sealed_columns[0].table, "users");
	CHECK_STR_EQ(sealed_columns[0].column, "totp_secret");
	sealed_aad(&sealed_columns[0], 42, aad, sizeof(aad));
	CHECK_STR_EQ(aad, "users.totp_secret:42");
	/* The list ends. */
	size_t n = 0;
	while (sealed_columns[n].table != NULL)
		n++;
	CHECK(n >= 1);
}

static void
test_rotate(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	struct buf b = {0}, pt = {0};
	int64_t ids[7];
	char plain[7][32], err[256] = "";
	long rotated = -1, failed = -1;

	use_keys(1);
	for (int i = 0; i < 7; i++) {
		ids[i] = add_user(db, i);
		snprintf(plain[i], sizeof(plain[i]), "secret-%d", i);
		if (i == 3)
			continue; /* 2FA off: NULL stays NULL */
		seal_for(ids[i], plain[i], &b);
		set_secret(db, ids[i], buf_cstr(&b));
	}
	/* Key 2 becomes current; batches of 2 rows so several transactions run. */
	use_keys(2);
	/* One value already under key 2 is left as it is. */
	seal_for(ids[6], plain[6], &b);
	set_secret(db, ids[6], buf_cstr(&b));
	char *before6 = get_secret(db, ids[6]);

	CHECK_INT_EQ(sealed_rotate(db, 2, &rotated, &failed, err, sizeof(err)), 0);
	CHECK_INT_EQ(rotated, 5);
	CHECK_INT_EQ(failed, 0);
	for (int i = 0; i < 7; i++) {
		char *v = get_secret(db, ids[i]);
		if (i == 3) {
			CHECK(v == NULL);
			continue;
		}
		CHECK(v != NULL && seal_key_id(v) == 2);
		char aad[64];
		sealed_aad(&sealed_columns[0], ids[i], aad, sizeof(aad));
		buf_reset(&pt);
		CHECK(v != NULL && seal_decrypt(v, aad, &pt) == 0);
		CHECK_STR_EQ(buf_cstr(&pt), plain[i]);
		if (i == 6)
			CHECK_STR_EQ(v, before6);
		free(v);
	}
	free(before6);

	/* Again: nothing to do. */
	CHECK_INT_EQ(sealed_rotate(db, 2, &rotated, &failed, err, sizeof(err)), 0);
	CHECK_INT_EQ(rotated, 0);
	CHECK_INT_EQ(failed, 0);
	/* Batches larger than the table work the same. */
	CHECK_INT_EQ(sealed_rotate(db, 500, &rotated, &failed, err, sizeof(err)), 0);
	CHECK_INT_EQ(rotated, 0);

	buf_free(&b);
	buf_free(&pt);
	secrets_set_global(NULL);
	dbtest_close(db);
}

static void
test_unopenable(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	struct buf b = {0};
	char err[256] = "";
	long rotated = -1, failed = -1;

	use_keys(1);
	int64_t a = add_user(db, 1), c = add_user(db, 2), d = add_user(db, 3);
	seal_for(a, "aaa", &b);
	set_secret(db, a, buf_cstr(&b));
	/* Row a's value copied into row c: bound to row a, it does not open as row c's. */
	set_secret(db, c, buf_cstr(&b));
	/* A key id that is not loaded. */
	seal_for(d, "ddd", &b);
	char unknown[256];
	snprintf(unknown, sizeof(unknown), "s1.9.%s", buf_cstr(&b) + 5);
	set_secret(db, d, unknown);

	use_keys(2);
	enum log_level level = log_get_level();
	log_set_level(LOG_LVL_ERROR); /* the two warnings are expected */
	CHECK_INT_EQ(sealed_rotate(db, 100, &rotated, &failed, err, sizeof(err)), 0);
	log_set_level(level);
	CHECK_INT_EQ(rotated, 1);
	CHECK_INT_EQ(failed, 2);
	char *vc = get_secret(db, c), *vd = get_secret(db, d), *va = get_secret(db, a);
	CHECK(vc != NULL && seal_key_id(vc) == 1);
	CHECK_STR_EQ(vd, unknown);
	CHECK(va != NULL && seal_key_id(va) == 2);
	free(va);
	free(vc);
	free(vd);
	buf_free(&b);
	secrets_set_global(NULL);
	dbtest_close(db);
}

void
test_suite_sealed(void)
{
	RUN_TEST(test_table);
	RUN_TEST(test_rotate);
	RUN_TEST(test_unopenable);
}
