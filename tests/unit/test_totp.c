/*
 * TOTP and HOTP against the RFC test vectors, the acceptance window, replay,
 * malformed codes, the otpauth URI, and recovery codes.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/totp.h"
#include "harness.h"
#include "suites.h"

/* The RFC 4226 / RFC 6238 (SHA-1) test secret. */
static const unsigned char rfc_secret[] = "12345678901234567890";
#define RFC_LEN 20

static void
test_hotp_rfc4226(void)
{
	/* RFC 4226 Appendix D: HOTP values for counters 0..9. */
	static const char *const want[] = {"755224", "287082", "359152", "969429", "338314",
	                                   "254676", "287922", "162583", "399871", "520489"};
	char out[9];

	for (unsigned i = 0; i < 10; i++) {
		CHECK_INT_EQ(totp_hotp(rfc_secret, RFC_LEN, i, 6, out), 0);
		CHECK_STR_EQ(out, want[i]);
	}
	CHECK_INT_EQ(totp_hotp(rfc_secret, RFC_LEN, 0, 5, out), -1);
	CHECK_INT_EQ(totp_hotp(rfc_secret, RFC_LEN, 0, 9, out), -1);
}

static void
test_totp_rfc6238(void)
{
	/* RFC 6238 Appendix B, SHA-1 rows (8 digits). */
	static const struct {
		time_t t;
		const char *code;
	} rows[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
	            {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
	char out[9];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK_INT_EQ(totp_generate(rfc_secret, RFC_LEN, rows[i].t, 8, out), 0);
		CHECK_STR_EQ(out, rows[i].code);
	}
	/* The 6-digit code is the last 6 digits of the same truncation. */
	CHECK_INT_EQ(totp_generate(rfc_secret, RFC_LEN, 59, 6, out), 0);
	CHECK_STR_EQ(out, "287082");
}

/* The 6-digit code of step s. */
static void
code_at(int64_t s, char out[7])
{
	CHECK_INT_EQ(totp_hotp(rfc_secret, RFC_LEN, (uint64_t)s, 6, out), 0);
}

static void
test_verify_window(void)
{
	const time_t now = 1111111111;
	const int64_t step = now / 30;
	int64_t matched = -1;
	char c[7];

	for (int d = -1; d <= 1; d++) {
		code_at(step + d, c);
		matched = -1;
		CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, 0, &matched), 0);
		CHECK_INT_EQ(matched, step + d);
	}
	/* Two steps away is too far, either side. */
	code_at(step - 2, c);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, 0, &matched), -1);
	code_at(step + 2, c);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, 0, &matched), -1);
	/* Another secret's code is refused. */
	static const unsigned char other[] = "abcdefghijabcdefghij";
	CHECK_INT_EQ(totp_hotp(other, 20, (uint64_t)step, 6, c), 0);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, 0, &matched), -1);
	/* Step boundaries: the first and last second of a step. */
	code_at(step, c);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, step * 30, 0, &matched), 0);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, step * 30 + 29, 0, &matched), 0);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, step * 30 + 60, 0, &matched), -1);
}

static void
test_verify_once(void)
{
	const time_t now = 1234567890;
	const int64_t step = now / 30;
	int64_t matched = -1;
	char c[7];

	code_at(step, c);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, step - 1, &matched), 0);
	CHECK_INT_EQ(matched, step);
	/* The same code again (the caller stored matched as last_step). */
	matched = -1;
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, step, &matched), -1);
	CHECK_INT_EQ(matched, -1);
	/* An older code, still inside the window, after a newer one was used. */
	code_at(step - 1, c);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, step, &matched), -1);
	/* The next step's code is still fine. */
	code_at(step + 1, c);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, c, now, step, &matched), 0);
	CHECK_INT_EQ(matched, step + 1);
}

static void
test_verify_malformed(void)
{
	const time_t now = 1111111111;
	const int64_t step = now / 30;
	int64_t matched = -1;
	char c[7], t[32];

	code_at(step, c); /* "050471" */
	/* Spaces anywhere are ignored. */
	snprintf(t, sizeof(t), "%.3s %.3s", c, c + 3);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, t, now, 0, &matched), 0);
	snprintf(t, sizeof(t), " %s ", c);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, t, now, 0, &matched), 0);
	/* Anything else is refused, even around the right digits. */
	static const struct {
		const char *before, *after;
		int keep; /* digits of the code kept */
	} bad[] = {{"", "7", 6}, {"7", "", 6},           {"", "", 5},   {"-", "", 6},
	           {"+", "", 6}, {"", "\n", 6},          {"\t", "", 6}, {"", ".", 6},
	           {"", "x", 6}, {"\xEF\xBC\x90", "", 6}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(t, sizeof(t), "%s%.*s%s", bad[i].before, bad[i].keep, c, bad[i].after);
		CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, t, now, 0, &matched), -1);
	}
	snprintf(t, sizeof(t), "%.3s-%.3s", c, c + 3);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, t, now, 0, &matched), -1);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, "", now, 0, &matched), -1);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, "      ", now, 0, &matched), -1);
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN, NULL, now, 0, &matched), -1);
	/* Full-width digits are not ASCII digits. */
	CHECK_INT_EQ(totp_verify(rfc_secret, RFC_LEN,
	                         "\xEF\xBC\x90\xEF\xBC\x95\xEF\xBC\x90\xEF\xBC\x94\xEF\xBC\x97"
	                         "\xEF\xBC\x91",
	                         now, 0, &matched),
	             -1);
}

static void
test_secret_and_uri(void)
{
	struct buf b = {0};
	unsigned char s1[TOTP_SECRET_BYTES], s2[TOTP_SECRET_BYTES];

	totp_secret_base32(rfc_secret, RFC_LEN, false, &b);
	CHECK_STR_EQ(buf_cstr(&b), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	buf_reset(&b);
	totp_secret_base32(rfc_secret, RFC_LEN, true, &b);
	CHECK_STR_EQ(buf_cstr(&b), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
	buf_reset(&b);
	totp_uri(rfc_secret, RFC_LEN, "ana+jobs@example.org", &b);
	CHECK_STR_EQ(buf_cstr(&b), "otpauth://totp/Beacon:ana%2Bjobs%40example.org"
	                           "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Beacon"
	                           "&algorithm=SHA1&digits=6&period=30");
	buf_reset(&b);
	totp_uri(rfc_secret, RFC_LEN, "a b&c=d?e#f/g@x.org", &b);
	CHECK(strstr(buf_cstr(&b), "Beacon:a%20b%26c%3Dd%3Fe%23f%2Fg%40x.org?secret=") != NULL);
	buf_free(&b);

	totp_secret_new(s1);
	totp_secret_new(s2);
	CHECK(memcmp(s1, s2, sizeof(s1)) != 0);
}

static void
test_recovery_codes(void)
{
	static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
	char code[TOTP_RECOVERY_SIZE], norm[TOTP_RECOVERY_SIZE], other[TOTP_RECOVERY_SIZE];
	int seen[256] = {0}, bad = 0;

	for (int i = 0; i < 2000; i++) {
		totp_recovery_code(code);
		if (strlen(code) != 11 || code[5] != '-')
			bad++;
		for (int k = 0; k < 11; k++) {
			if (k == 5)
				continue;
			if (strchr(alphabet, code[k]) == NULL || code[k] == '\0')
				bad++;
			seen[(unsigned char)code[k]]++;
		}
		/* A code is its own canonical form. */
		if (totp_recovery_normalize(code, norm) != 0 || strcmp(norm, code) != 0)
			bad++;
	}
	CHECK_INT_EQ(bad, 0);
	/* Every character of the alphabet turns up; nothing else does. */
	int used = 0;
	for (int c = 0; c < 256; c++)
		used += seen[c] > 0;
	CHECK_INT_EQ(used, (int)strlen(alphabet));
	totp_recovery_code(other);
	CHECK(strcmp(code, other) != 0);

	CHECK_INT_EQ(totp_recovery_normalize("ABCDE FGHJK", norm), 0);
	CHECK_STR_EQ(norm, "abcde-fghjk");
	CHECK_INT_EQ(totp_recovery_normalize("abcdefghjk", norm), 0);
	CHECK_STR_EQ(norm, "abcde-fghjk");
	CHECK_INT_EQ(totp_recovery_normalize(" ab-cde fg--hjK ", norm), 0);
	CHECK_STR_EQ(norm, "abcde-fghjk");
	CHECK_INT_EQ(totp_recovery_normalize("abcde-fghj", norm), -1);
	CHECK_INT_EQ(totp_recovery_normalize("abcde-fghjkm", norm), -1);
	CHECK_INT_EQ(totp_recovery_normalize("abcde-fghj0", norm),
	             -1); /* 0 is not in the alphabet */
	CHECK_INT_EQ(totp_recovery_normalize("abcde-fghjl", norm), -1);
	CHECK_INT_EQ(totp_recovery_normalize("abcde_fghjk", norm), -1);
	CHECK_INT_EQ(totp_recovery_normalize("", norm), -1);
}

void
test_suite_totp(void)
{
	RUN_TEST(test_hotp_rfc4226);
	RUN_TEST(test_totp_rfc6238);
	RUN_TEST(test_verify_window);
	RUN_TEST(test_verify_once);
	RUN_TEST(test_verify_malformed);
	RUN_TEST(test_secret_and_uri);
	RUN_TEST(test_recovery_codes);
}
