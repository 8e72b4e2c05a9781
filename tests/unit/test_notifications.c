/*
 * Notifications on a real database (SQLite, or PostgreSQL with
 * BEACON_TEST_PG): notify joins or opens a transaction, the email choice per
 * kind (instant mail, daily left for the digest, off), list order and
 * paging, read marks scoped to the owner, unsubscribe tokens, and a digest
 * that groups daily rows into one mail and never mails a row twice.
 */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/secrets.h"
#include "core/utf8.h"
#include "db/db.h"
#include "dbtest.h"
#include "harness.h"
#include "model/notifications.h"
#include "model/saved_searches.h"
#include "model/users.h"
#include "suites.h"

static struct secrets sec;
static struct config cfg;

static void
setup_globals(void)
{
	memset(&sec, 0, sizeof(sec));
	memset(sec.jwt_key, 0x5a, 32);
	sec.jwt_key_len = 32;
	secrets_set_global(&sec);
	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = (char *)(uintptr_t) "https://beacon.test";
	config_set_global(&cfg);
}

static void
teardown_globals(void)
{
	secrets_set_global(NULL);
	config_set_global(NULL);
}

static int64_t
make_user(struct db *db, const char *email)
{
	int64_t id = 0;
	CHECK_INT_EQ(users_create(db, email, "$argon2id$not-a-real-hash", ROLE_JOB_SEEKER, "Someone",
	                          true, &id),
	             0);
	return id;
}

static int64_t
count(struct db *db, const char *sql, int64_t arg)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, arg);
	int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return v;
}

#define OUTBOX_TO(db, uid)                                                                        \
	count(db, "SELECT COUNT(*) FROM outbox o JOIN users u ON u.email = o.to_addr WHERE u.id = ?", \
	      uid)

static void
test_notify_and_list(void)
{
	setup_globals();
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t a = make_user(db, "a@example.org"), b = make_user(db, "b@example.org");
	int64_t n1 = notify(db, a, NOTIFY_STAGE_CHANGED, "Moved to screening", "/applications/1",
	                    "Your application moved.");
	CHECK(n1 > 0);
	/* Instant by default: one mail now, with an unsubscribe link. */
	CHECK_INT_EQ(OUTBOX_TO(db, a), 1);
	struct db_stmt *st = db_prepare(db, "SELECT body_text FROM outbox");
	CHECK(st != NULL && db_step(st) == DB_ROW);
	if (st != NULL) {
		const char *body = db_col_text(st, 0);
		CHECK(body && strstr(body, "https://beacon.test/applications/1") != NULL);
		CHECK(body && strstr(body, "https://beacon.test/unsubscribe?u=") != NULL);
		db_finalize(st);
	}
	/* Daily by default for saved searches: no mail yet. */
	int64_t n2 = notify(db, a, NOTIFY_SAVED_SEARCH, "2 new jobs", "/saved-searches", NULL);
	CHECK(n2 > n1);
	CHECK_INT_EQ(OUTBOX_TO(db, a), 1);
	/* Off: no mail. */
	CHECK_INT_EQ(notify_pref_set(db, a, NOTIFY_NEW_MESSAGE, NOTIFY_EMAIL_OFF), 0);
	CHECK_INT_EQ(notify_pref_get(db, a, NOTIFY_NEW_MESSAGE), NOTIFY_EMAIL_OFF);
	int64_t n3 = notify(db, a, NOTIFY_NEW_MESSAGE, "A message", "/messages/3", NULL);
	CHECK(n3 > n2);
	CHECK_INT_EQ(OUTBOX_TO(db, a), 1);
	/* Bad input is refused. */
	CHECK_INT_EQ(notify(db, a, "nonsense", "x", "/", NULL), -1);
	CHECK_INT_EQ(notify(db, a, NOTIFY_NEW_MESSAGE, "x", "//evil.example", NULL), -1);
	CHECK_INT_EQ(notify(db, a, NOTIFY_NEW_MESSAGE, "two\nlines", "/", NULL), -1);
	CHECK_INT_EQ(notify(db, 999999, NOTIFY_NEW_MESSAGE, "x", "/", NULL), -1);
	CHECK_INT_EQ(notify(db, a, NOTIFY_NEW_MESSAGE, "bad \xff byte", "/", NULL), -1);
	CHECK_INT_EQ(notify(db, a, NOTIFY_NEW_MESSAGE, NULL, "/", NULL), -1);
	/* Only a last character cut short is dropped; other broken bytes are refused. */
	CHECK_INT_EQ(notify(db, a, NOTIFY_NEW_MESSAGE, "abc\xff", "/", NULL), -1);
	CHECK_INT_EQ(notify(db, a, NOTIFY_NEW_MESSAGE, "abc\xc3(", "/", NULL), -1);
	CHECK_INT_EQ(notify(db, a, NOTIFY_NEW_MESSAGE, "abc\x80\x80", "/", NULL), -1);
	{
		/*
		 * Titles and bodies are made from job titles and names, long in bytes in
		 * many languages: cut at a character boundary with "…", never refused.
		 */
		char title[3 * 150 + 1], body[3 * 3000 + 1];
		for (int i = 0; i < 150; i++)
			memcpy(title + 3 * i, "\xe6\x97\xa5", 3); /* 日 */
		title[450] = '\0';
		for (int i = 0; i < 3000; i++)
			memcpy(body + 3 * i, "\xe6\x97\xa5", 3);
		body[9000] = '\0';
		int64_t c = make_user(db, "c@example.org");
		/* A title a caller's snprintf cut inside its last character: that character goes. */
		int64_t cut = notify(db, c, NOTIFY_NEW_MESSAGE, "Job \xe6\x97", "/", NULL);
		CHECK(cut > 0);
		struct db_stmt *q0 = db_prepare(db, "SELECT title FROM notifications WHERE id = ?");
		if (q0 != NULL) {
			db_bind_int(q0, 1, cut);
			CHECK(db_step(q0) == DB_ROW && strcmp(db_col_text(q0, 0), "Job ") == 0);
			db_finalize(q0);
		}
		int64_t nl = notify(db, c, NOTIFY_NEW_MESSAGE, title, "/", body);
		CHECK(nl > 0);
		struct db_stmt *q = db_prepare(db, "SELECT title, body FROM notifications WHERE id = ?");
		CHECK(q != NULL);
		if (q != NULL) {
			db_bind_int(q, 1, nl);
			CHECK(db_step(q) == DB_ROW);
			const char *t = db_col_text(q, 0), *bd = db_col_text(q, 1);
			CHECK(t && strlen(t) <= NOTIFY_TITLE_MAX && utf8_valid(t, strlen(t)));
			CHECK(t && strlen(t) >= 6 && strcmp(t + strlen(t) - 3, "\xe2\x80\xa6") == 0);
			CHECK(bd && strlen(bd) <= NOTIFY_BODY_MAX && utf8_valid(bd, strlen(bd)));
			CHECK(t && strncmp(t, title, 3 * 65) == 0);
			db_finalize(q);
		}
	}

	/* A caller's transaction that rolls back takes the notification and its mail with it. */
	CHECK_INT_EQ(db_begin_write(db), 0);
	CHECK(notify(db, b, NOTIFY_STAGE_CHANGED, "Rolled back", "/", NULL) > 0);
	CHECK(db_in_transaction(db));
	CHECK_INT_EQ(db_rollback(db), 0);
	CHECK_INT_EQ(notify_unread_count(db, b), 0);
	CHECK_INT_EQ(OUTBOX_TO(db, b), 0);

	struct notification items[NOTIFY_PAGE_MAX];
	CHECK_INT_EQ(notify_unread_count(db, a), 3);
	int n = notify_list(db, a, 0, 2, items);
	CHECK_INT_EQ(n, 2);
	if (n == 2) {
		CHECK_INT_EQ(items[0].id, n3);
		CHECK_INT_EQ(items[1].id, n2);
		CHECK(!items[0].read);
		CHECK_STR_EQ(items[0].link, "/messages/3");
	}
	notify_list_free(items, n);
	n = notify_list(db, a, n2, 10, items);
	CHECK_INT_EQ(n, 1);
	notify_list_free(items, n);
	n = notify_list_after(db, a, n1, 10, items);
	CHECK_INT_EQ(n, 2);
	if (n == 2)
		CHECK_INT_EQ(items[0].id, n2);
	notify_list_free(items, n);
	int64_t unread = -1, last = -1;
	CHECK(notify_bell(db, a, &unread, &last));
	CHECK_INT_EQ(unread, 3);
	CHECK_INT_EQ(last, n3);
	CHECK_INT_EQ(notify_count_after(db, a, 0, 10), 3);
	CHECK_INT_EQ(notify_count_after(db, a, n1, 10), 2);
	CHECK_INT_EQ(notify_count_after(db, a, 0, 2), 2);
	CHECK_INT_EQ(notify_count_after(db, a, n3, 10), 0);
	CHECK_INT_EQ(notify_count_after(db, b, 0, 10), 0);
	CHECK(notify_bell(db, b, &unread, &last));
	CHECK_INT_EQ(unread, 0);
	CHECK_INT_EQ(last, 0);

	/* Another user cannot mark a's rows. */
	CHECK_INT_EQ(notify_mark_read(db, b, n1), 0);
	CHECK_INT_EQ(notify_mark_read(db, a, n1), 1);
	CHECK_INT_EQ(notify_mark_read(db, a, n1), 0);
	CHECK_INT_EQ(notify_unread_count(db, a), 2);
	CHECK_INT_EQ(notify_mark_all_read(db, a), 2);
	CHECK_INT_EQ(notify_unread_count(db, a), 0);

	/* Opening a page marks what points to it (and to its parts), nothing else, nobody else's. */
	int64_t l1 = notify(db, a, NOTIFY_NEW_MESSAGE, "A message", "/applications/7#thread", NULL);
	int64_t l2 = notify(db, a, NOTIFY_STAGE_CHANGED, "Moved", "/applications/7", NULL);
	int64_t l3 = notify(db, a, NOTIFY_STAGE_CHANGED, "Moved", "/applications/70", NULL);
	int64_t l4 = notify(db, a, NOTIFY_STAGE_CHANGED, "Moved", "/applications/7x", NULL);
	int64_t l5 = notify(db, b, NOTIFY_STAGE_CHANGED, "Moved", "/applications/7", NULL);
	CHECK(l1 > 0 && l2 > 0 && l3 > 0 && l4 > 0 && l5 > 0);
	CHECK_INT_EQ(notify_mark_read_link(db, a, "/applications/7"), 2);
	CHECK_INT_EQ(notify_mark_read_link(db, a, "/applications/7"), 0);
	CHECK_INT_EQ(notify_unread_count(db, a), 2);
	CHECK_INT_EQ(notify_unread_count(db, b), 1);
	CHECK_INT_EQ(notify_mark_read_link(db, a, "/applications/%"), 0);
	dbtest_close(db);
	teardown_globals();
}

static void
test_unsubscribe_token(void)
{
	setup_globals();
	char t[NOTIFY_UNSUB_TOKEN_SIZE], u[NOTIFY_UNSUB_TOKEN_SIZE];
	CHECK(notify_unsubscribe_token(7, NOTIFY_NEW_MESSAGE, t));
	CHECK_INT_EQ(strlen(t), 43);
	CHECK(notify_unsubscribe_check(7, NOTIFY_NEW_MESSAGE, t));
	CHECK(!notify_unsubscribe_check(8, NOTIFY_NEW_MESSAGE, t));
	CHECK(!notify_unsubscribe_check(7, NOTIFY_STAGE_CHANGED, t));
	CHECK(!notify_unsubscribe_check(7, "bogus", t));
	CHECK(!notify_unsubscribe_check(7, NOTIFY_NEW_MESSAGE, ""));
	CHECK(!notify_unsubscribe_check(7, NOTIFY_NEW_MESSAGE, NULL));
	CHECK(notify_unsubscribe_token(7, NOTIFY_STAGE_CHANGED, u));
	CHECK(strcmp(t, u) != 0);
	teardown_globals();
	CHECK(!notify_unsubscribe_token(7, NOTIFY_NEW_MESSAGE, t));
}

static void
test_digest(void)
{
	setup_globals();
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t a = make_user(db, "digest@example.org"), b = make_user(db, "other@example.org");
	CHECK_INT_EQ(notify_pref_set(db, a, NOTIFY_NEW_MESSAGE, NOTIFY_EMAIL_DAILY), 0);
	CHECK(notify(db, a, NOTIFY_SAVED_SEARCH, "3 new jobs for Designers", "/saved-searches",
	             NULL) > 0);
	CHECK(notify(db, a, NOTIFY_NEW_MESSAGE, "A message from Acme", "/messages/1", NULL) > 0);
	CHECK(notify(db, b, NOTIFY_STAGE_CHANGED, "Instant one", "/applications/2", NULL) > 0);
	CHECK_INT_EQ(OUTBOX_TO(db, a), 0);
	CHECK_INT_EQ(OUTBOX_TO(db, b), 1);
	CHECK_INT_EQ(notify_digest_run(db), 1);
	CHECK_INT_EQ(OUTBOX_TO(db, a), 1);
	struct db_stmt *st = db_prepare(db, "SELECT subject, body_text FROM outbox WHERE to_addr = "
	                                    "'digest@example.org'");
	CHECK(st != NULL && db_step(st) == DB_ROW);
	if (st != NULL) {
		CHECK_STR_EQ(db_col_text(st, 0), "Your Beacon digest: 2 updates");
		const char *body = db_col_text(st, 1);
		CHECK(body && strstr(body, "3 new jobs for Designers") != NULL);
		CHECK(body && strstr(body, "A message from Acme") != NULL);
		db_finalize(st);
	}
	/* Nothing waits any more: a second run sends nothing. */
	CHECK_INT_EQ(notify_digest_run(db), 0);
	CHECK_INT_EQ(OUTBOX_TO(db, a), 1);
	CHECK_INT_EQ(count(db, "SELECT COUNT(*) FROM notifications WHERE emailed_at IS NULL AND "
	                       "user_id = ?",
	                   a),
	             0);
	dbtest_close(db);
	teardown_globals();
}

static void
test_saved_searches(void)
{
	struct buf b = {0};
	char detail[160];
	CHECK_INT_EQ(saved_canonical("page=3&q=baker&sort=date&per_page=50&remote=true", &b, detail,
	                             sizeof(detail)),
	             0);
	CHECK_STR_EQ(buf_cstr(&b), "q=baker&remote=true");
	CHECK_INT_EQ(saved_canonical("remote=maybe", &b, detail, sizeof(detail)), -1);
	CHECK_INT_EQ(saved_canonical("", &b, detail, sizeof(detail)), 0);
	CHECK_STR_EQ(buf_cstr(&b), "");
	buf_free(&b);
	CHECK(!saved_name_ok(""));
	CHECK(!saved_name_ok("two\nlines"));
	CHECK(saved_name_ok("Designers in Austin"));
	CHECK(!saved_name_ok("   "));
	/* Counted in characters: 100 "日" (300 bytes) fit, 101 do not. */
	char cjk[3 * 101 + 1];
	for (int i = 0; i < 101; i++)
		memcpy(cjk + 3 * i, "\xe6\x97\xa5", 3);
	cjk[303] = '\0';
	CHECK(!saved_name_ok(cjk));
	cjk[300] = '\0';
	CHECK(saved_name_ok(cjk));

	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t a = make_user(db, "saver@example.org"), o = make_user(db, "other@example.org");
	char tok[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)], tok2[TOKEN_TEXT_SIZE(SAVED_TOKEN_BYTES)];
	int64_t id = saved_create(db, a, "Bakers", "q=baker", SAVED_INSTANT, tok);
	CHECK(id > 0);
	struct saved_search s;
	CHECK_INT_EQ(saved_by_token(db, id, tok, &s), 1);
	CHECK_STR_EQ(s.query, "q=baker");
	CHECK_INT_EQ(saved_by_token(db, id, "wrong", &s), 0);
	CHECK_INT_EQ(saved_by_token(db, id + 1, tok, &s), 0);
	/* Only the hash is stored, never the token. */
	struct db_stmt *st = db_prepare(db, "SELECT rss_token_hash FROM saved_searches WHERE id = ?");
	CHECK(st != NULL);
	if (st != NULL) {
		db_bind_int(st, 1, id);
		CHECK(db_step(st) == DB_ROW);
		char want[TOKEN_HASH_SIZE];
		token_hash(tok, want);
		CHECK_STR_EQ(db_col_text(st, 0), want);
		db_finalize(st);
	}
	CHECK_INT_EQ(saved_get(db, o, id, &s), 0);
	CHECK_INT_EQ(saved_update(db, o, id, "Mine now", -1), 0);
	CHECK_INT_EQ(saved_update(db, a, id, "Night bakers", SAVED_DAILY), 1);
	CHECK_INT_EQ(saved_get(db, a, id, &s), 1);
	CHECK_STR_EQ(s.name, "Night bakers");
	CHECK_INT_EQ(s.freq, SAVED_DAILY);
	CHECK_INT_EQ(saved_new_token(db, a, id, tok2), 1);
	CHECK_INT_EQ(saved_by_token(db, id, tok, &s), 0);
	CHECK_INT_EQ(saved_by_token(db, id, tok2, &s), 1);
	/* At most SAVED_PER_USER_MAX per person. */
	for (int i = 1; i < SAVED_PER_USER_MAX; i++)
		CHECK(saved_create(db, a, "More", "", SAVED_OFF, tok) > 0);
	CHECK_INT_EQ(saved_create(db, a, "One too many", "", SAVED_OFF, tok), 0);
	struct saved_search all[SAVED_PER_USER_MAX];
	CHECK_INT_EQ(saved_list(db, a, all, SAVED_PER_USER_MAX), SAVED_PER_USER_MAX);
	CHECK_INT_EQ(saved_delete(db, o, id), 0);
	CHECK_INT_EQ(saved_delete(db, a, id), 1);
	CHECK_INT_EQ(saved_list(db, a, all, SAVED_PER_USER_MAX), SAVED_PER_USER_MAX - 1);
	dbtest_close(db);
}

void
test_suite_notifications(void)
{
	RUN_TEST(test_notify_and_list);
	RUN_TEST(test_unsubscribe_token);
	RUN_TEST(test_digest);
	RUN_TEST(test_saved_searches);
}
