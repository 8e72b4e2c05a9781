/*
 * Random tokens, their stored hash and constant-time comparison.
 */
#include <sodium.h>
#include <string.h>

#include "core/token.h"
#include "harness.h"
#include "suites.h"

static bool
all_base64url(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	       strlen(s);
}

static void
test_random(void)
{
	char a[TOKEN_TEXT_SIZE(32)], b[TOKEN_TEXT_SIZE(32)];

	token_random(a, 32);
	token_random(b, 32);
	CHECK_INT_EQ(strlen(a), 43);
	CHECK(all_base64url(a));
	CHECK(strcmp(a, b) != 0);

	char one[TOKEN_TEXT_SIZE(1)], none[TOKEN_TEXT_SIZE(0)];
	token_random(one, 1);
	CHECK_INT_EQ(strlen(one), 2);
	token_random(none, 0);
	CHECK_STR_EQ(none, "");

	/* Longer than one internal chunk: still one base64url text of all the bytes. */
	char big[TOKEN_TEXT_SIZE(300)];
	unsigned char raw[300];
	size_t rawlen = 0;
	const char *end = NULL;
	memset(big, 'x', sizeof(big));
	token_random(big, 300);
	CHECK_INT_EQ(strlen(big), sizeof(big) - 1);
	CHECK(all_base64url(big));
	CHECK(sodium_base642bin(raw, sizeof(raw), big, strlen(big), NULL, &rawlen, &end,
	                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
	CHECK_INT_EQ(rawlen, 300);
	CHECK(end == big + strlen(big));
}

static void
test_hash(void)
{
	char h[TOKEN_HASH_SIZE];

	/* SHA-256 test vectors (FIPS 180-2). */
	token_hash("abc", h);
	CHECK_STR_EQ(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	token_hash("", h);
	CHECK_STR_EQ(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_equal(void)
{
	CHECK(token_equal("abcdef", "abcdef"));
	CHECK(token_equal("", ""));
	CHECK(!token_equal("abcdef", "abcdeg"));
	CHECK(!token_equal("abcdef", "Abcdef"));
	CHECK(!token_equal("abcdef", "abcde"));
	CHECK(!token_equal("abc", "abcdef"));
	CHECK(!token_equal(NULL, "abc"));
	CHECK(!token_equal("abc", NULL));
	CHECK(!token_equal(NULL, NULL));
}

void
test_suite_token(void)
{
	RUN_TEST(test_random);
	RUN_TEST(test_hash);
	RUN_TEST(test_equal);
}
