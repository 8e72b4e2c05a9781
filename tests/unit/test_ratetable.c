/*
 * Client keys and the shared-memory request counters: windows, Retry-After,
 * eviction in a full table, and counts shared by forked processes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clientaddr.h"
#include "core/ratetable.h"
#include "harness.h"
#include "suites.h"

/* 12:00:00 UTC on a day: the start of a minute and of an hour. */
static const time_t HOUR0 = 1800000000 / 3600 * 3600;

static struct client_key
key(const char *text)
{
	struct client_key k;
	memset(&k, 0, sizeof(k));
	CHECK(client_key_parse(text, &k));
	return k;
}

static void
test_client_keys(void)
{
	char text[CLIENT_TEXT_LEN];
	struct client_key a = key("203.0.113.9");
	client_key_text(&a, text);
	CHECK_STR_EQ(text, "203.0.113.9");
	/* IPv4-mapped IPv6 is the IPv4 address. */
	struct client_key m = key("::ffff:203.0.113.9");
	CHECK(memcmp(&a, &m, sizeof(a)) == 0);
	/* Two addresses in one /64 are one client; the next /64 is another. */
	struct client_key b = key("2001:db8:1:2::1");
	struct client_key c = key("2001:db8:1:2:ffff:ffff:ffff:ffff");
	struct client_key d = key("2001:db8:1:3::1");
	CHECK(memcmp(&b, &c, sizeof(b)) == 0);
	CHECK(memcmp(&b, &d, sizeof(b)) != 0);
	client_key_text(&c, text);
	CHECK_STR_EQ(text, "2001:db8:1:2::/64");
	/* From a socket address. */
	struct in_addr in;
	inet_pton(AF_INET, "203.0.113.9", &in);
	struct client_key s;
	CHECK(client_key_from_addr(AF_INET, &in, &s));
	CHECK(memcmp(&a, &s, sizeof(a)) == 0);
	CHECK(!client_key_from_addr(AF_UNIX, &in, &s));
	CHECK(!client_key_parse("not an address", &s));
	CHECK(!client_key_parse("203.0.113.9/24", &s));
	CHECK(!client_key_parse(NULL, &s));
}

static void
test_minute_window(void)
{
	struct rate_table *t = rate_table_create(1024);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	struct client_key a = key("192.0.2.1"), b = key("192.0.2.2");
	time_t now = HOUR0 + 10;
	for (int i = 0; i < 5; i++)
		CHECK_INT_EQ(rate_table_hit(t, &a, now, 5, 1000), 0);
	/* The 6th in the minute waits for the minute to end: 50 s. */
	CHECK_INT_EQ(rate_table_hit(t, &a, now, 5, 1000), 50);
	CHECK_INT_EQ(rate_table_hit(t, &a, now + 49, 5, 1000), 1);
	/* Another client has its own budget. */
	CHECK_INT_EQ(rate_table_hit(t, &b, now, 5, 1000), 0);
	/* A new minute, a new budget. */
	CHECK_INT_EQ(rate_table_hit(t, &a, HOUR0 + 60, 5, 1000), 0);
	/* No limit at all. */
	for (int i = 0; i < 20; i++)
		CHECK_INT_EQ(rate_table_hit(t, &b, now, 0, 0), 0);
	rate_table_destroy(t);
}

static void
test_hour_window(void)
{
	struct rate_table *t = rate_table_create(64);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	struct client_key a = key("2001:db8::1");
	/* Three a minute for ten minutes: under the minute limit, at the hour limit. */
	for (int m = 0; m < 10; m++)
		for (int i = 0; i < 3; i++)
			CHECK_INT_EQ(rate_table_hit(t, &a, HOUR0 + m * 60, 5, 30), 0);
	/* The 31st in the hour waits for the hour to end. */
	CHECK_INT_EQ(rate_table_hit(t, &a, HOUR0 + 600, 5, 30), 3000);
	/* A new hour, a new budget. */
	CHECK_INT_EQ(rate_table_hit(t, &a, HOUR0 + 3600, 5, 30), 0);
	rate_table_destroy(t);
}

/* One bucket of eight: the ninth client replaces the least recently seen. */
static void
test_eviction(void)
{
	struct rate_table *t = rate_table_create(RATE_BUCKET_WAYS);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	char ip[32];
	struct client_key k[RATE_BUCKET_WAYS + 1];
	for (int i = 0; i <= RATE_BUCKET_WAYS; i++) {
		snprintf(ip, sizeof(ip), "198.51.100.%d", i + 1);
		k[i] = key(ip);
	}
	for (int i = 0; i < RATE_BUCKET_WAYS; i++)
		CHECK_INT_EQ(rate_table_hit(t, &k[i], HOUR0 + i, 1, 100), 0);
	/* Client 0 was seen first; the newcomer takes its place. */
	CHECK_INT_EQ(rate_table_hit(t, &k[RATE_BUCKET_WAYS], HOUR0 + 20, 1, 100), 0);
	/* Client 1 is still known: its second request in the minute is over the limit. */
	CHECK(rate_table_hit(t, &k[1], HOUR0 + 21, 1, 100) > 0);
	/* Client 0 was forgotten: a fresh start. */
	CHECK_INT_EQ(rate_table_hit(t, &k[0], HOUR0 + 22, 1, 100), 0);
	/* Thousands of clients through a tiny table: no crash, always an answer. */
	for (int i = 0; i < 5000; i++) {
		char v6[64];
		snprintf(v6, sizeof(v6), "2001:db8:%x:%x::1", i / 256, i % 256);
		struct client_key x = key(v6);
		CHECK_INT_EQ(rate_table_hit(t, &x, HOUR0 + 30, 1, 100), 0);
	}
	rate_table_destroy(t);
}

/* Four processes count 250 requests each in the same table: the 1001st is refused. */
static void
test_shared_by_processes(void)
{
	enum { PROCS = 4, EACH = 250 };
	struct rate_table *t = rate_table_create(RATE_TABLE_ENTRIES);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	struct client_key a = key("192.0.2.77");
	fflush(stdout);
	pid_t pids[PROCS];
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		if (pids[p] == 0) {
			int refused = 0;
			for (int i = 0; i < EACH; i++)
				refused += rate_table_hit(t, &a, HOUR0 + 5, PROCS * EACH, 100000) != 0;
			_exit(refused == 0 ? 0 : 1);
		}
	}
	for (int p = 0; p < PROCS; p++) {
		int status = 0;
		CHECK(pids[p] > 0 && waitpid(pids[p], &status, 0) == pids[p]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	CHECK_INT_EQ(rate_table_hit(t, &a, HOUR0 + 5, PROCS * EACH, 100000), 55);
	rate_table_destroy(t);
}

static void
test_gate(void)
{
	struct rate_table *t = rate_table_create(8);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK(rate_table_gate(t, HOUR0, 60));
	CHECK(!rate_table_gate(t, HOUR0, 60));
	CHECK(!rate_table_gate(t, HOUR0 + 59, 60));
	CHECK(rate_table_gate(t, HOUR0 + 60, 60));
	/* Across processes: a child takes the gate, the parent then cannot. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(rate_table_gate(t, HOUR0 + 200, 60) ? 0 : 1);
	int status = 0;
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(!rate_table_gate(t, HOUR0 + 201, 60));
	rate_table_destroy(t);
}

void
test_suite_ratetable(void)
{
	RUN_TEST(test_client_keys);
	RUN_TEST(test_minute_window);
	RUN_TEST(test_hour_window);
	RUN_TEST(test_eviction);
	RUN_TEST(test_shared_by_processes);
	RUN_TEST(test_gate);
}
