/*
 * The unit-test runner: runs every suite in the table below, or only those
 * named on the command line (build/unit-tests json query).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

/* One suite per line, so suites added in parallel merge cleanly. */
/* clang-format off */
static const struct {
	const char *name;
	void (*run)(void);
} suites[] = {
	{"utf8", test_suite_utf8},
	{"html", test_suite_html},
	{"json", test_suite_json},
	{"query", test_suite_query},
	{"markdown", test_suite_markdown},
	{"params", test_suite_params},
	{"jobs", test_suite_jobs},
	{"config", test_suite_config},
	{"db", test_suite_db},
	{"tasks", test_suite_tasks},
	{"mail", test_suite_mail},
	{"secrets", test_suite_secrets},
	{"token", test_suite_token},
	{"password", test_suite_password},
	{"totp", test_suite_totp},
	{"qrsvg", test_suite_qrsvg},
	{"jwt", test_suite_jwt},
	{"seal", test_suite_seal},
	{"sealed", test_suite_sealed},
	{"audit", test_suite_audit},
	{"throttle", test_suite_throttle},
	{"ratetable", test_suite_ratetable},
	{"useradmin", test_suite_useradmin},
	{"postings", test_suite_postings},
	{"documents", test_suite_documents},
	{"notifications", test_suite_notifications},
	{"profiles", test_suite_profiles},
	{"applications", test_suite_applications},
};
/* clang-format on */

static unsigned long passed, failed;
static const char *current_suite = "", *current_test = "";

static void
harness_fail_header(const char *file, int line, const char *expr)
{
	printf("FAIL %s:%d: [%s/%s] %s\n", file, line, current_suite, current_test, expr);
}

/* Print bytes as a C string literal so failures show NULs and controls. */
static void
harness_print_bytes(const char *label, const void *p, size_t n)
{
	const unsigned char *u = p;

	printf("    %s: ", label);
	if (p == NULL) {
		printf("NULL\n");
		return;
	}
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		if (u[i] == '"' || u[i] == '\\')
			printf("\\%c", u[i]);
		else if (u[i] == '\n')
			printf("\\n");
		else if (u[i] == '\t')
			printf("\\t");
		else if (u[i] == '\r')
			printf("\\r");
		else if (u[i] >= 0x20 && u[i] < 0x7F)
			putchar(u[i]);
		else
			printf("\\x%02X", u[i]);
	}
	printf("\" (%zu bytes)\n", n);
}

void
harness_check(bool ok, const char *file, int line, const char *expr)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	harness_fail_header(file, line, expr);
}

void
harness_check_mem(const void *got, size_t got_len, const void *want, size_t want_len,
                  const char *file, int line, const char *expr)
{
	bool ok;

	if (got == NULL || want == NULL)
		ok = got == want;
	else
		ok = got_len == want_len && memcmp(got, want, got_len) == 0;
	if (ok) {
		passed++;
		return;
	}
	failed++;
	harness_fail_header(file, line, expr);
	harness_print_bytes("got ", got, got_len);
	harness_print_bytes("want", want, want_len);
}

void
harness_check_str(const char *got, const char *want, const char *file, int line, const char *expr)
{
	harness_check_mem(got, got != NULL ? strlen(got) : 0, want, want != NULL ? strlen(want) : 0,
	                  file, line, expr);
}

void
harness_check_int(long long got, long long want, const char *file, int line, const char *expr)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	harness_fail_header(file, line, expr);
	printf("    got %lld, want %lld\n", got, want);
}

void
harness_run(const char *name, void (*fn)(void))
{
	current_test = name;
	fn();
	current_test = "";
}

static bool
selected(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], name) == 0)
			return true;
	}
	return false;
}

/* A misspelt suite name must not pass as "0 passed, 0 failed". */
static bool
known(const char *name)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (strcmp(suites[i].name, name) == 0)
			return true;
	}
	return false;
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!known(argv[i])) {
			fprintf(stderr, "unit-tests: no suite named %s\n", argv[i]);
			return 2;
		}
	}
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (!selected(argc, argv, suites[i].name))
			continue;
		current_suite = suites[i].name;
		suites[i].run();
	}
	fflush(stdout);
	printf("%lu passed, %lu failed\n", passed, failed);
	return failed > 0 ? 1 : 0;
}
