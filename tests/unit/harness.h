/*
 * harness.h - the unit-test harness.
 *
 * A test file defines static test functions and one suite function,
 * void test_suite_<name>(void), which calls RUN_TEST() on each of them. The
 * suite is declared in suites.h and listed in main.c. Checks never stop a
 * test: every failing check prints file:line, so one run shows them all.
 * main() ends with the line "N passed, N failed" (counting checks) and exits
 * non-zero when anything failed.
 */
#ifndef BEACON_TESTS_HARNESS_H
#define BEACON_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

/* Record one boolean check. */
void harness_check(bool ok, const char *file, int line, const char *expr);
/* Record a string comparison; NULL equals only NULL. */
void harness_check_str(const char *got, const char *want, const char *file, int line,
                       const char *expr);
/* Record a comparison of two byte ranges (may hold NUL). */
void harness_check_mem(const void *got, size_t got_len, const void *want, size_t want_len,
                       const char *file, int line, const char *expr);
/* Record an integer comparison. */
void harness_check_int(long long got, long long want, const char *file, int line, const char *expr);
/* Run one test function, naming it in the report of any failure inside it. */
void harness_run(const char *name, void (*fn)(void));

#define CHECK(cond) harness_check((cond) ? true : false, __FILE__, __LINE__, #cond)
#define CHECK_STR_EQ(got, want) harness_check_str((got), (want), __FILE__, __LINE__, #got)
#define CHECK_MEM_EQ(got, got_len, want, want_len)                                                 \
	harness_check_mem((got), (got_len), (want), (want_len), __FILE__, __LINE__, #got)
#define CHECK_INT_EQ(got, want)                                                                    \
	harness_check_int((long long)(got), (long long)(want), __FILE__, __LINE__, #got)
#define RUN_TEST(fn) harness_run(#fn, fn)

#endif
