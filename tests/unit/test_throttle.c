/*
 * Guessing limits on a real database (SQLite, or PostgreSQL with
 * BEACON_TEST_PG), with the clock passed in: growing delays, the hourly
 * account limit, the looser IP limit, counts that survive reconnecting.
 */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "dbtest.h"
#include "harness.h"
#include "model/throttle.h"
#include "suites.h"

/* A fixed instant well inside an hour, so nothing here depends on the real clock. */
static const time_t T0 = 1800000000;

static int64_t
failures(struct db *db, const char *kind, const char *subject)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT COUNT(*) FROM auth_failures WHERE kind = ? AND subject = ?");
	CHECK(st != NULL);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, subject);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

static void
test_free_attempts(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int retry = -1;
	for (int i = 0; i < THROTTLE_ACCOUNT_FREE; i++) {
		CHECK_INT_EQ(throttle_check_at(db, "ann@example.org", NULL, T0, &retry), 0);
		CHECK_INT_EQ(retry, 0);
		CHECK_INT_EQ(throttle_fail_at(db, "ann@example.org", NULL, T0), 0);
	}
	CHECK_INT_EQ(failures(db, "account", "ann@example.org"), THROTTLE_ACCOUNT_FREE);
	/* Another account is not affected. */
	CHECK_INT_EQ(throttle_check_at(db, "bob@example.org", NULL, T0, &retry), 0);
	/* Nothing to count: go ahead. */
	CHECK_INT_EQ(throttle_check_at(db, NULL, NULL, T0, &retry), 0);
	dbtest_close(db);
}

/* After five failures: 1 s, then each refused attempt doubles the wait, up to a minute. */
static void
test_delay_grows(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	const char *acct = "ann@example.org";
	for (int i = 0; i < 5; i++)
		CHECK_INT_EQ(throttle_fail_at(db, acct, NULL, T0), 0);
	int retry = 0;
	/* Coming back one second later is allowed. */
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 1, &retry), 0);
	CHECK_INT_EQ(throttle_fail_at(db, acct, NULL, T0 + 1), 0); /* 6 failures: next gap 2 s */
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 2, &retry), 1);
	/* The refused attempt counts: 7 failures, last at T0 + 2, so 4 s from now. */
	CHECK_INT_EQ(retry, 4);
	static const int want[] = {8, 16, 32, 60, 60, 60};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 2, &retry), 1);
		CHECK_INT_EQ(retry, want[i]);
	}
	CHECK_INT_EQ(failures(db, "account", acct), 13);
	/* One second early is still refused (and counted); waiting it out works. */
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 61, &retry), 1);
	CHECK_INT_EQ(retry, 60);
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 61 + 60, &retry), 0);
	CHECK_INT_EQ(retry, 0);
	dbtest_close(db);
}

/*
 * A client that ignores Retry-After: refused attempts count, so the 101st
 * attempt in the hour meets the hard limit, even with the right password,
 * until the oldest failure is an hour old. The limit holds after closing and
 * reopening the database.
 */
static void
test_hourly_limit(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	const char *acct = "carol@example.org";
	int retry = 0, refused = 0;
	for (int attempt = 1; attempt <= THROTTLE_ACCOUNT_PER_HOUR; attempt++) {
		time_t now = T0 + attempt / 10; /* ten attempts a second */
		int rc = throttle_check_at(db, acct, NULL, now, &retry);
		CHECK(rc == 0 || rc == 1);
		if (rc == 0)
			CHECK_INT_EQ(throttle_fail_at(db, acct, NULL, now), 0);
		refused += rc == 1;
	}
	CHECK_INT_EQ(refused, THROTTLE_ACCOUNT_PER_HOUR - THROTTLE_ACCOUNT_FREE);
	CHECK_INT_EQ(failures(db, "account", acct), THROTTLE_ACCOUNT_PER_HOUR);
	/* The 100th failure reached the limit: the oldest (at T0) ages out at T0 + 3600. */
	CHECK_INT_EQ(retry, 3600 - 10);

	/* The 101st attempt is refused whatever the password, and not recorded. */
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 10, &retry), 1);
	CHECK_INT_EQ(retry, 3590);
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 1000, &retry), 1);
	CHECK_INT_EQ(retry, 2600);
	CHECK_INT_EQ(failures(db, "account", acct), THROTTLE_ACCOUNT_PER_HOUR);

	db_close(db);
	db = dbtest_connect();
	if (db == NULL)
		return;
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 3599, &retry), 1);
	CHECK_INT_EQ(retry, 1);
	/*
	 * At T0 + 3600 the nine failures of the first second have aged out: 91
	 * remain, the last an hour old, so the delay is long over.
	 */
	CHECK_INT_EQ(throttle_check_at(db, acct, NULL, T0 + 3600, &retry), 0);
	CHECK_INT_EQ(retry, 0);
	dbtest_close(db);
}

/* One address trying many accounts meets the IP limits (IPv6 counted by /64). */
static void
test_ip_limits(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	char acct[64];
	int retry = 0;
	for (int i = 0; i < THROTTLE_IP_FREE; i++) {
		snprintf(acct, sizeof(acct), "user%d@example.org", i);
		CHECK_INT_EQ(throttle_fail_at(db, acct, "2001:db8:1:2::10", T0), 0);
	}
	CHECK_INT_EQ(failures(db, "ip", "2001:db8:1:2::/64"), THROTTLE_IP_FREE);
	/* A fresh account from a neighbour address in the same /64 waits. */
	CHECK_INT_EQ(throttle_check_at(db, "new@example.org", "2001:db8:1:2::99", T0, &retry), 1);
	CHECK_INT_EQ(retry, 2);
	/* The refused attempt was counted against the account as well. */
	CHECK_INT_EQ(failures(db, "account", "new@example.org"), 1);
	/* Another /64 and another IPv4 address are free. */
	CHECK_INT_EQ(throttle_check_at(db, "new@example.org", "2001:db8:1:3::10", T0, &retry), 0);
	CHECK_INT_EQ(throttle_check_at(db, "new@example.org", "198.51.100.7", T0, &retry), 0);

	/* The hourly IP limit. */
	for (int i = THROTTLE_IP_FREE + 1; i < THROTTLE_IP_PER_HOUR; i++)
		CHECK_INT_EQ(throttle_fail_at(db, NULL, "2001:db8:1:2::10", T0 + 1), 0);
	CHECK_INT_EQ(failures(db, "ip", "2001:db8:1:2::/64"), THROTTLE_IP_PER_HOUR);
	CHECK_INT_EQ(throttle_check_at(db, "other@example.org", "2001:db8:1:2::1", T0 + 500, &retry),
	             1);
	CHECK_INT_EQ(retry, 3100);
	CHECK_INT_EQ(failures(db, "ip", "2001:db8:1:2::/64"), THROTTLE_IP_PER_HOUR);
	dbtest_close(db);
}

static void
test_prune(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	CHECK_INT_EQ(throttle_fail_at(db, "old@example.org", "192.0.2.1", T0 - 2 * 86400), 0);
	CHECK_INT_EQ(throttle_fail_at(db, "new@example.org", "192.0.2.1", T0 - 3600), 0);
	CHECK_INT_EQ(throttle_prune(db, T0), 2);
	CHECK_INT_EQ(failures(db, "account", "old@example.org"), 0);
	CHECK_INT_EQ(failures(db, "account", "new@example.org"), 1);
	CHECK_INT_EQ(failures(db, "ip", "192.0.2.1"), 1);
	/* Checks prune now and then on their own: old rows go within 100 calls. */
	CHECK_INT_EQ(throttle_fail_at(db, "old@example.org", NULL, T0 - 2 * 86400), 0);
	int retry;
	for (int i = 0; i < 100; i++)
		CHECK_INT_EQ(throttle_check_at(db, "x@example.org", NULL, T0, &retry), 0);
	CHECK_INT_EQ(failures(db, "account", "old@example.org"), 0);
	dbtest_close(db);
}

void
test_suite_throttle(void)
{
	RUN_TEST(test_free_attempts);
	RUN_TEST(test_delay_grows);
	RUN_TEST(test_hourly_limit);
	RUN_TEST(test_ip_limits);
	RUN_TEST(test_prune);
}
