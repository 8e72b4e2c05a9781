/*
 * Password rules (NIST SP 800-63B) and Argon2id storage.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/password.h"
#include "core/password_blocklist.h"
#include "harness.h"
#include "suites.h"

/* password_check's reason code for s, or "ok". */
static const char *
why(const char *s, const char *email)
{
	const char *code = "unset";
	int rc = password_check(s, strlen(s), email, &code);
	if (rc == 0)
		return code == NULL ? "ok" : "ok but a code was set";
	return code != NULL ? code : "failed without a code";
}

static void
test_length(void)
{
	CHECK_STR_EQ(why("", NULL), "too_short");
	CHECK_STR_EQ(why("velvet otter 7", NULL), "too_short"); /* 14 */
	CHECK_STR_EQ(why("velvet otter 7!", NULL), "ok");       /* 15 */
	/* Code points, not bytes: 14 Greek letters and signs in 26 bytes, then 15 in 28. */
	CHECK_STR_EQ(why("Ωμέγα-λάμβδα-φ", NULL), "too_short");
	CHECK_STR_EQ(why("Ωμέγα-λάμβδα-φι", NULL), "ok");

	/* 128 code points of 4 bytes each are accepted; 129 are too long. */
	char pw[4 * 130 + 1];
	size_t n = 0;
	for (int i = 0; i < 129; i++) {
		/* U+1F600 + (i * 7 % 64): emoji, no run, no short period. */
		unsigned cp = 0x1F600 + (unsigned)(i * 7 % 64);
		pw[n++] = (char)(0xF0 | (cp >> 18));
		pw[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		pw[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		pw[n++] = (char)(0x80 | (cp & 0x3F));
	}
	const char *code = NULL;
	CHECK_INT_EQ(password_check(pw, 4 * 128, NULL, &code), 0);
	CHECK_INT_EQ(password_check(pw, 4 * 129, NULL, &code), -1);
	CHECK_STR_EQ(code, "too_long");
	/* Spaces and any characters count: 128 ASCII accepted. */
	char ascii[200];
	for (int i = 0; i < 129; i++)
		ascii[i] = "the quick brown fox jumps over a lazy dog 0123456789 "[i % 53];
	CHECK_INT_EQ(password_check(ascii, 128, NULL, &code), 0);
	CHECK_INT_EQ(password_check(ascii, 129, NULL, &code), -1);
	CHECK_STR_EQ(code, "too_long");
}

static void
test_invalid_utf8(void)
{
	CHECK_STR_EQ(why("velvet otter harbor \xFF", NULL), "invalid_utf8");
	CHECK_STR_EQ(why("velvet otter harbor \xC0\xAF", NULL), "invalid_utf8");
	CHECK_STR_EQ(why("velvet otter harbor \xED\xA0\x80", NULL), "invalid_utf8");
	CHECK_STR_EQ(why("velvet otter harbor \xE2\x82", NULL), "invalid_utf8");
}

static void
test_repetitive(void)
{
	CHECK_STR_EQ(why("aaaaaaaaaaaaaaa", NULL), "repetitive");
	CHECK_STR_EQ(why("aAaAaAaAaAaAaAaA", NULL), "repetitive");
	CHECK_STR_EQ(why("éééééééééééééééé", NULL), "repetitive");
	CHECK_STR_EQ(why("xyxyxyxyxyxyxyxyx", NULL), "repetitive");
	CHECK_STR_EQ(why("q7!q7!q7!q7!q7!q7!", NULL), "repetitive");
	CHECK_STR_EQ(why("z9#kz9#kz9#kz9#kz9", NULL), "repetitive");
	CHECK_STR_EQ(why("123456789012345", NULL), "repetitive");
	CHECK_STR_EQ(why("987654321098765", NULL), "repetitive");
	CHECK_STR_EQ(why("abcdefghijklmnop", NULL), "repetitive");
	CHECK_STR_EQ(why("ZYXWVUTSRQPONMLK", NULL), "repetitive");
	CHECK_STR_EQ(why("uvwxyzabcdefghij", NULL), "repetitive");
	/* A pattern of 5 is not this rule's business, nor a run broken once. */
	CHECK_STR_EQ(why("v9#kmv9#kmv9#kmv9#km", NULL), "ok");
	CHECK_STR_EQ(why("123456789012346", NULL), "ok");
}

static void
test_common(void)
{
	CHECK_STR_EQ(why("passwordpassword", NULL), "common");
	CHECK_STR_EQ(why("PasswordPassword", NULL), "common");
	CHECK_STR_EQ(why("password1234567", NULL), "common");
	CHECK_STR_EQ(why("Password1234567", NULL), "common");
	CHECK_STR_EQ(why("2024password2024", NULL), "common");
	CHECK_STR_EQ(why("Password!123456", NULL), "common");
	CHECK_STR_EQ(why("dragondragondragon", NULL), "common");
	CHECK_STR_EQ(why("dragondragondrag", NULL), "common");
	CHECK_STR_EQ(why("monkey12monkey12", NULL), "common");
	CHECK_STR_EQ(why("qwertyuiop123456", NULL), "common");
	CHECK_STR_EQ(why("1qaz2wsx3edc4rfv", NULL), "common");
	CHECK_STR_EQ(why("123456123456123456", NULL), "common");
	CHECK_STR_EQ(why("ILOVEYOUILOVEYOU", NULL), "common");
	/* A listed word inside a longer phrase is fine: no substring matching. */
	CHECK_STR_EQ(why("my dragon eats seventeen pears", NULL), "ok");
	CHECK_STR_EQ(why("password manager 4 life", NULL), "ok");
}

static void
test_blocklist_complete(void)
{
	const char *t = password_blocklist_text;
	size_t count = 0, bad_order = 0, not_refused = 0;
	char prev[64] = "", w[64], pw[200];

	/* Sorted, lower case, as many words as announced. */
	while (*t) {
		size_t n = strcspn(t, "\n");
		if (n == 0 || n >= sizeof(w)) {
			CHECK(n > 0 && n < sizeof(w));
			break;
		}
		memcpy(w, t, n);
		w[n] = '\0';
		if (count > 0 && strcmp(prev, w) >= 0)
			bad_order++;
		memcpy(prev, w, n + 1);
		/* Each word, repeated to the minimum length, is refused. */
		size_t len = 0;
		while (len < PASSWORD_MIN_CHARS) {
			memcpy(pw + len, w, n);
			len += n;
		}
		const char *code = NULL;
		if (password_check(pw, len, NULL, &code) == 0 ||
		    (strcmp(code, "common") != 0 && strcmp(code, "repetitive") != 0))
			not_refused++;
		count++;
		t += n + 1;
	}
	CHECK_INT_EQ(count, password_blocklist_count);
	CHECK(count > 40000);
	CHECK_INT_EQ(bad_order, 0);
	CHECK_INT_EQ(not_refused, 0);
}

static void
test_email(void)
{
	CHECK_STR_EQ(why("hello jordan.smith here", "jordan.smith@example.org"), "contains_email");
	CHECK_STR_EQ(why("HELLO JORDAN.SMITH HERE", "jordan.smith@example.org"), "contains_email");
	CHECK_STR_EQ(why("hello jordan.smith here", "pat.lee@example.org"), "ok");
	CHECK_STR_EQ(why("hello jordan.smith here", NULL), "ok");
	/* A local part under 4 characters is not looked for. */
	CHECK_STR_EQ(why("velvet otter harbor bo", "bo@example.org"), "ok");
	CHECK_STR_EQ(why("velvet otter harbor alex", "alex@example.org"), "contains_email");
	/* name+tag@: the name alone counts too. */
	CHECK_STR_EQ(why("velvet alex.river harbor", "alex.river+jobs@example.org"),
	             "contains_email");
}

static void
test_hash_verify(void)
{
	char h[PASSWORD_HASH_SIZE], h2[PASSWORD_HASH_SIZE];
	const char *pw = "velvet otter harbor 7";

	CHECK_INT_EQ(password_hash(pw, strlen(pw), h, sizeof(h)), 0);
	CHECK(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	CHECK(password_verify(h, pw, strlen(pw)));
	CHECK(!password_verify(h, "velvet otter harbor 8", strlen(pw)));
	CHECK(!password_verify(h, pw, strlen(pw) - 1));
	CHECK(!password_needs_rehash(h));
	/* Salted: the same password hashes differently. */
	CHECK_INT_EQ(password_hash(pw, strlen(pw), h2, sizeof(h2)), 0);
	CHECK(strcmp(h, h2) != 0);
	CHECK(password_verify(h2, pw, strlen(pw)));

	CHECK_INT_EQ(password_hash(pw, strlen(pw), h2, PASSWORD_HASH_SIZE - 1), -1);
	CHECK(!password_verify("$argon2id$garbage", pw, strlen(pw)));
	CHECK(!password_verify("", pw, strlen(pw)));
	CHECK(!password_verify(NULL, pw, strlen(pw)));
	CHECK(password_needs_rehash("$argon2id$garbage"));
	CHECK(password_needs_rehash(""));
	CHECK(password_needs_rehash(NULL));
}

static void
test_rehash(void)
{
	char h[PASSWORD_HASH_SIZE];
	const char *pw = "velvet otter harbor 7";

	/* Older, weaker parameters: still verify, but ask for a rehash. */
	CHECK(crypto_pwhash_str_alg(h, pw, strlen(pw), 1, PASSWORD_ARGON2_MEMLIMIT,
	                            crypto_pwhash_ALG_ARGON2ID13) == 0);
	CHECK(password_verify(h, pw, strlen(pw)));
	CHECK(password_needs_rehash(h));
	CHECK(crypto_pwhash_str_alg(h, pw, strlen(pw), PASSWORD_ARGON2_OPSLIMIT, 8 * 1024 * 1024,
	                            crypto_pwhash_ALG_ARGON2ID13) == 0);
	CHECK(password_needs_rehash(h));
	/* Argon2i with today's parameters: another algorithm, so rehash. */
	CHECK(crypto_pwhash_str_alg(h, pw, strlen(pw), 3, PASSWORD_ARGON2_MEMLIMIT,
	                            crypto_pwhash_ALG_ARGON2I13) == 0);
	CHECK(password_verify(h, pw, strlen(pw)));
	CHECK(password_needs_rehash(h));
}

static void
test_no_truncation(void)
{
	/* 128 code points of 4 bytes: every byte, up to the last, counts. */
	char pw[4 * 128], h[PASSWORD_HASH_SIZE];
	for (int i = 0; i < 128; i++) {
		unsigned cp = 0x1F600 + (unsigned)(i * 7 % 64);
		pw[4 * i] = (char)(0xF0 | (cp >> 18));
		pw[4 * i + 1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		pw[4 * i + 2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		pw[4 * i + 3] = (char)(0x80 | (cp & 0x3F));
	}
	const char *code = NULL;
	CHECK_INT_EQ(password_check(pw, sizeof(pw), NULL, &code), 0);
	CHECK_INT_EQ(password_hash(pw, sizeof(pw), h, sizeof(h)), 0);
	CHECK(password_verify(h, pw, sizeof(pw)));
	pw[sizeof(pw) - 1] ^= 1;
	CHECK(!password_verify(h, pw, sizeof(pw)));
	pw[sizeof(pw) - 1] ^= 1;
	CHECK(!password_verify(h, pw, sizeof(pw) - 4));
	/* Longer than any acceptable password: refused outright. */
	char longer[PASSWORD_MAX_BYTES + 1];
	memset(longer, 'x', sizeof(longer));
	CHECK_INT_EQ(password_hash(longer, sizeof(longer), h, sizeof(h)), -1);
	CHECK(!password_verify(h, longer, sizeof(longer)));
}

static void
test_normalised(void)
{
	/* "Café crème brûlée 42" typed with composed letters, and with e + U+0301 etc. */
	const char *composed = "Caf\xC3\xA9 cr\xC3\xA8me br\xC3\xBBl\xC3\xA9\x65 42";
	const char *decomposed = "Cafe\xCC\x81 cre\xCC\x80me bru\xCC\x82le\xCC\x81\x65 42";
	char h[PASSWORD_HASH_SIZE];
	const char *code = NULL;
	CHECK_INT_EQ(password_check(composed, strlen(composed), NULL, &code), 0);
	CHECK_INT_EQ(password_hash(composed, strlen(composed), h, sizeof(h)), 0);
	CHECK(password_verify(h, decomposed, strlen(decomposed)));
	CHECK(password_verify(h, composed, strlen(composed)));
	CHECK_INT_EQ(password_hash(decomposed, strlen(decomposed), h, sizeof(h)), 0);
	CHECK(password_verify(h, composed, strlen(composed)));
	/* Compatibility forms: full-width letters and digits are the ASCII ones. */
	const char *ascii = "Harbor lantern 2026 wave";
	const char *wide = "\xEF\xBC\xA8" "arbor lantern \xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96 wave";
	CHECK_INT_EQ(password_hash(ascii, strlen(ascii), h, sizeof(h)), 0);
	CHECK(password_verify(h, wide, strlen(wide)));
	CHECK(!password_verify(h, "Harbor lantern 2027 wave", 24));
	/* The rules judge the normalised form: a full-width common password is still common. */
	CHECK_STR_EQ(why("\xEF\xBD\x90\xEF\xBD\x81\xEF\xBD\x93\xEF\xBD\x93"
	                 "\xEF\xBD\x97\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x84"
	                 "\xEF\xBD\x90\xEF\xBD\x81\xEF\xBD\x93\xEF\xBD\x93"
	                 "\xEF\xBD\x97\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x84",
	                 NULL),
	             "common");
	/* A hash stored before passwords were normalised (raw decomposed bytes) still matches. */
	CHECK(crypto_pwhash_str_alg(h, decomposed, strlen(decomposed), PASSWORD_ARGON2_OPSLIMIT,
	                            PASSWORD_ARGON2_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) == 0);
	CHECK(password_verify(h, decomposed, strlen(decomposed)));
	CHECK(password_verify(h, composed, strlen(composed)) == false);
	/* U+FDFA expands to 18 code points: 128 of them still fit and hash. */
	char big[3 * 128];
	for (int i = 0; i < 128; i++)
		memcpy(big + 3 * i, "\xEF\xB7\xBA", 3);
	CHECK_INT_EQ(password_hash(big, sizeof(big), h, sizeof(h)), 0);
	CHECK(password_verify(h, big, sizeof(big)));
}

void
test_suite_password(void)
{
	RUN_TEST(test_length);
	RUN_TEST(test_invalid_utf8);
	RUN_TEST(test_repetitive);
	RUN_TEST(test_common);
	RUN_TEST(test_blocklist_complete);
	RUN_TEST(test_email);
	RUN_TEST(test_hash_verify);
	RUN_TEST(test_rehash);
	RUN_TEST(test_no_truncation);
	RUN_TEST(test_normalised);
}
