/*
 * The secrets file: generation, every refusal (each message begins with the
 * variable's name and never shows key material), BEACON_JWT_KEY, subkeys.
 */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/secrets.h"
#include "harness.h"
#include "suites.h"

/* base64 of 32 bytes 0x01..0x20, of 32 bytes 0xAA, of 16 bytes, of 31 bytes. */
#define KEY_A "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
#define KEY_B "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo="
#define KEY_16 "AAECAwQFBgcICQoLDA0ODw=="
#define KEY_31 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg=="
/* base64 of 64 and 65 bytes 0x01, 0x02, ... */
#define KEY_64                                                                                     \
	"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QA=="
#define KEY_65                                                                                     \
	"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEE="

static char path[128];

static void
write_file(const char *text, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	CHECK(fchmod(fd, mode) == 0);
	close(fd);
}

static int
load(struct secrets *s, char *err, size_t errlen)
{
	struct config c = {0};
	c.secrets_file = path;
	return secrets_load(&c, s, err, errlen);
}

/* The file text must be refused with a message starting "var: " and not showing secret. */
static void
expect_refused(const char *text, mode_t mode, const char *var, const char *secret)
{
	struct secrets s;
	char err[512] = "";

	write_file(text, mode);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), -1);
	CHECK(strncmp(err, var, strlen(var)) == 0 && err[strlen(var)] == ':');
	CHECK(strchr(err, '\n') == NULL);
	if (secret != NULL)
		CHECK(strstr(err, secret) == NULL);
}

static void
test_generate_and_load(void)
{
	struct secrets s;
	struct stat st;
	char err[512] = "";

	unsetenv("BEACON_JWT_KEY");
	unlink(path);
	CHECK_INT_EQ(secrets_generate(path, err, sizeof(err)), 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	CHECK_INT_EQ(s.jwt_key_len, 32);
	CHECK_INT_EQ(s.nfield_keys, 1);
	CHECK_INT_EQ(s.field_key_current, 1);
	CHECK(secrets_field_key(&s, 1) != NULL);
	CHECK(secrets_field_key(&s, 2) == NULL);
	CHECK(s.smtp_password == NULL);
	unsigned char first[32];
	memcpy(first, s.jwt_key, 32);
	secrets_free(&s);
	CHECK(s.field_keys == NULL && s.jwt_key_len == 0);

	/* Never replaces an existing file. */
	err[0] = '\0';
	CHECK_INT_EQ(secrets_generate(path, err, sizeof(err)), -1);
	CHECK(strncmp(err, "BEACON_SECRETS_FILE: ", 21) == 0);

	/* A second file gets other keys. */
	unlink(path);
	CHECK_INT_EQ(secrets_generate(path, err, sizeof(err)), 0);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	CHECK(memcmp(first, s.jwt_key, 32) != 0);
	secrets_free(&s);
	unlink(path);
}

static void
test_parse(void)
{
	struct secrets s;
	char err[512] = "";

	unsetenv("BEACON_JWT_KEY");
	write_file("# comment\n\n  jwt_key=" KEY_A "  \r\n"
	           "field_key.7 = " KEY_B "\n"
	           "\t# another comment\n"
	           "field_key.65535 = " KEY_A "\n"
	           "field_key_current = 7\n"
	           "smtp_password =  s3cret pass word \n",
	           0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	CHECK_STR_EQ(err, "");
	CHECK_INT_EQ(s.jwt_key_len, 32);
	CHECK(s.jwt_key[0] == 1 && s.jwt_key[31] == 0x20);
	CHECK_INT_EQ(s.nfield_keys, 2);
	CHECK_INT_EQ(s.field_key_current, 7);
	CHECK(secrets_field_key(&s, 7) != NULL && secrets_field_key(&s, 7)[0] == 0xAA);
	CHECK(secrets_field_key(&s, 65535) != NULL && secrets_field_key(&s, 65535)[0] == 1);
	CHECK_STR_EQ(s.smtp_password, "s3cret pass word");
	secrets_free(&s);

	/* 64 bytes is the largest jwt_key; 65 is refused (line 1 named). */
	write_file("jwt_key = " KEY_64 "\nfield_key.1 = " KEY_B "\nfield_key_current = 1\n", 0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	CHECK_INT_EQ(s.jwt_key_len, 64);
	CHECK(s.jwt_key[63] == 64);
	secrets_free(&s);
	write_file("jwt_key = " KEY_65 "\nfield_key.1 = " KEY_B "\nfield_key_current = 1\n", 0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), -1);
	CHECK(strncmp(err, "BEACON_SECRETS_FILE: ", 21) == 0 && strstr(err, "line 1") != NULL);
	secrets_free(&s);
}

static void
test_refusals(void)
{
	const char *F = "BEACON_SECRETS_FILE";
	struct secrets s;
	char err[512] = "";

	unsetenv("BEACON_JWT_KEY");
	unlink(path);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), -1);
	CHECK(strncmp(err, "BEACON_SECRETS_FILE: ", 21) == 0);

	const char *good = "jwt_key = " KEY_A "\nfield_key.1 = " KEY_B "\nfield_key_current = 1\n";
	write_file(good, 0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	secrets_free(&s);
	/* Readable (or writable) by group or others. */
	expect_refused(good, 0640, F, NULL);
	expect_refused(good, 0604, F, NULL);
	expect_refused(good, 0620, F, NULL);
	expect_refused(good, 0644, F, NULL);

	expect_refused("jwt_key = " KEY_16 "\nfield_key.1 = " KEY_B "\nfield_key_current = 1\n",
	               0600, F, KEY_16);
	expect_refused("field_key.1 = " KEY_B "\nfield_key_current = 1\n", 0600, F, NULL);
	expect_refused("jwt_key = " KEY_A "\nfield_key_current = 1\n", 0600, F, NULL);
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B "\n", 0600, F, NULL);
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B "\nfield_key_current = 2\n",
	               0600, F, NULL);
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_31 "\nfield_key_current = 1\n",
	               0600, F, KEY_31);
	expect_refused("jwt_key = " KEY_A "\nfield_key.0 = " KEY_B "\nfield_key_current = 1\n",
	               0600, F, KEY_B);
	expect_refused("jwt_key = " KEY_A "\nfield_key.01 = " KEY_B "\nfield_key_current = 1\n",
	               0600, F, KEY_B);
	expect_refused("jwt_key = " KEY_A "\nfield_key.65536 = " KEY_B "\nfield_key_current = 1\n",
	               0600, F, KEY_B);
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B "\nfield_key_current = 01\n",
	               0600, F, NULL);
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B "\nfield_key_current = one\n",
	               0600, F, NULL);
	/* Unknown names, repeats, lines without '=', base64 that is not standard. */
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B
	               "\nfield_key_current = 1\njwtkey = " KEY_B "\n",
	               0600, F, KEY_B);
	expect_refused("jwt_key = " KEY_A "\njwt_key = " KEY_A "\nfield_key.1 = " KEY_B
	               "\nfield_key_current = 1\n",
	               0600, F, KEY_A);
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B "\nfield_key.1 = " KEY_B
	               "\nfield_key_current = 1\n",
	               0600, F, KEY_B);
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B
	               "\nfield_key_current = 1\nfield_key_current = 1\n",
	               0600, F, NULL);
	expect_refused("jwt_key " KEY_A "\nfield_key.1 = " KEY_B "\nfield_key_current = 1\n", 0600,
	               F, KEY_A);
	expect_refused("jwt_key = AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA\nfield_key.1 = " KEY_B
	               "\nfield_key_current = 1\n",
	               0600, F, NULL);
	expect_refused(
	    "jwt_key = AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHy_=\nfield_key.1 = " KEY_B
	    "\nfield_key_current = 1\n",
	    0600, F, NULL);

	/* The line number is named. */
	write_file("jwt_key = " KEY_A "\n\n# c\nbogus = 1\n", 0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), -1);
	CHECK(strstr(err, "line 4") != NULL && strstr(err, "bogus") != NULL);
	unlink(path);
}

static void
test_env_jwt_key(void)
{
	struct secrets s;
	char err[512] = "";

	/* BEACON_JWT_KEY stands in for a missing jwt_key ... */
	write_file("field_key.1 = " KEY_B "\nfield_key_current = 1\n", 0600);
	setenv("BEACON_JWT_KEY", KEY_A, 1);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	CHECK(s.jwt_key_len == 32 && s.jwt_key[0] == 1);
	secrets_free(&s);
	/* ... and replaces the file's. */
	write_file("jwt_key = " KEY_B "\nfield_key.1 = " KEY_B "\nfield_key_current = 1\n", 0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	CHECK(s.jwt_key_len == 32 && s.jwt_key[0] == 1);
	secrets_free(&s);
	/* A bad one is named. */
	setenv("BEACON_JWT_KEY", KEY_16, 1);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), -1);
	CHECK(strncmp(err, "BEACON_JWT_KEY: ", 16) == 0);
	CHECK(strstr(err, KEY_16) == NULL);
	setenv("BEACON_JWT_KEY", "not base64!", 1);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), -1);
	CHECK(strncmp(err, "BEACON_JWT_KEY: ", 16) == 0);
	unsetenv("BEACON_JWT_KEY");
	unlink(path);
}

static void
test_subkeys(void)
{
	struct secrets s;
	char err[512] = "";
	unsigned char csrf[32], csrf2[32], tok[32], other[32];

	unsetenv("BEACON_JWT_KEY");
	write_file("jwt_key = " KEY_A "\nfield_key.1 = " KEY_B "\nfield_key_current = 1\n", 0600);
	CHECK_INT_EQ(load(&s, err, sizeof(err)), 0);
	secrets_set_global(&s);
	CHECK(secrets_get() == &s);
	secrets_subkey("csrf", csrf);
	secrets_subkey("csrf", csrf2);
	secrets_subkey("token", tok);
	CHECK(memcmp(csrf, csrf2, 32) == 0);
	CHECK(memcmp(csrf, tok, 32) != 0);
	CHECK(memcmp(csrf, s.jwt_key, 32) != 0);
	/* Keyed: another jwt_key gives other subkeys. */
	s.jwt_key[0] ^= 1;
	secrets_subkey("csrf", other);
	CHECK(memcmp(csrf, other, 32) != 0);
	/* Known answer: BLAKE2b-256 keyed with KEY_A over "beacon.subkey.v1:csrf". */
	s.jwt_key[0] ^= 1;
	unsigned char want[32];
	static const char msg[] = "beacon.subkey.v1:csrf";
	crypto_generichash(want, 32, (const unsigned char *)msg, sizeof(msg) - 1, s.jwt_key, 32);
	CHECK(memcmp(csrf, want, 32) == 0);
	secrets_set_global(NULL);
	secrets_free(&s);
	unlink(path);
}

/* Found by tests/fuzz/fuzz_secrets.c: a key line without " = " must not echo the key. */
static void
test_no_key_in_errors(void)
{
	expect_refused("jwt_key " KEY_A "\nfield_key.1 = " KEY_A "\nfield_key_current = 1\n", 0600,
	               "BEACON_SECRETS_FILE", "AQIDBAUGBwgJ");
	expect_refused("jwt_key = " KEY_A "\nfield_key.1 " KEY_A "\nfield_key_current = 1\n", 0600,
	               "BEACON_SECRETS_FILE", "AQIDBAUGBwgJ");
	/* libsodium reads bytes >= 0x80 as '/': they must be refused, not decoded. */
	char text[256];
	snprintf(text, sizeof(text), "jwt_key = %s\nfield_key.1 = %s\nfield_key_current = 1\n",
	         "\x80QIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", KEY_A);
	expect_refused(text, 0600, "BEACON_SECRETS_FILE", NULL);
	unlink(path);
}

void
test_suite_secrets(void)
{
	snprintf(path, sizeof(path), "/tmp/beacon-unit-secrets-%d", (int)getpid());
	RUN_TEST(test_generate_and_load);
	RUN_TEST(test_parse);
	RUN_TEST(test_refusals);
	RUN_TEST(test_env_jwt_key);
	RUN_TEST(test_subkeys);
	RUN_TEST(test_no_key_in_errors);
}
