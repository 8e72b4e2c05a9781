/*
 * Access tokens (RFC 8725): the round trip, and every way a forged, altered,
 * stale or odd token is refused, with its stable code. Hostile tokens are
 * built here with libsodium directly, independent of jwt.c's encoder.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jwt.h"
#include "harness.h"
#include "suites.h"

#define NOW 1700000000LL
#define ISS "https://jobs.example.org"
#define AUD "beacon-api"

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char other_key[32] = "fedcba9876543210fedcba9876543210";

static void
b64(struct buf *b, const void *p, size_t n)
{
	char tmp[8192];
	sodium_bin2base64(tmp, sizeof(tmp), p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_puts(b, tmp);
}

enum sig { SIG_HS256, SIG_HS512, SIG_NONE };

/* "b64(header).b64(payload).signature" signed as asked with k. */
static char *
forge(const char *header, const char *payload, enum sig how, const unsigned char *k)
{
	struct buf b = {0};
	b64(&b, header, strlen(header));
	buf_putc(&b, '.');
	b64(&b, payload, strlen(payload));
	if (how == SIG_HS256) {
		unsigned char mac[32];
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, k, 32);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)b.data, b.len);
		crypto_auth_hmacsha256_final(&st, mac);
		buf_putc(&b, '.');
		b64(&b, mac, sizeof(mac));
	} else if (how == SIG_HS512) {
		unsigned char mac[64];
		crypto_auth_hmacsha512_state st;
		crypto_auth_hmacsha512_init(&st, k, 32);
		crypto_auth_hmacsha512_update(&st, (const unsigned char *)b.data, b.len);
		crypto_auth_hmacsha512_final(&st, mac);
		buf_putc(&b, '.');
		b64(&b, mac, sizeof(mac));
	} else {
		buf_putc(&b, '.');
	}
	return buf_steal(&b);
}

/* Sign "text" (already "header.payload" base64url) with HS256 under key. */
static char *
sign_raw(const char *text)
{
	struct buf b = {0};
	unsigned char mac[32];
	buf_puts(&b, text);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)b.data, b.len);
	crypto_auth_hmacsha256_final(&st, mac);
	buf_putc(&b, '.');
	b64(&b, mac, sizeof(mac));
	return buf_steal(&b);
}

/* A complete, valid payload with the given changes spliced in by the caller. */
#define GOOD_CLAIMS                                                                                \
	"\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"42\",\"role\":\"employer\","            \
	"\"iat\":1700000000,\"nbf\":1700000000,\"exp\":1700000900,\"jti\":\"abc\""
#define HS256 "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static enum jwt_error
verify(const char *tok)
{
	struct jwt_claims c;
	return jwt_verify(tok, key, sizeof(key), ISS, AUD, NOW, &c);
}

/* Verify a token forged from header and payload; frees it. */
static const char *
forged(const char *header, const char *payload, enum sig how)
{
	char *t = forge(header, payload, how, key);
	enum jwt_error e = verify(t);
	free(t);
	return jwt_error_code(e);
}

static struct jwt_claims
sample(void)
{
	struct jwt_claims c;
	memset(&c, 0, sizeof(c));
	snprintf(c.iss, sizeof(c.iss), "%s", ISS);
	snprintf(c.aud, sizeof(c.aud), "%s", AUD);
	c.sub = 42;
	snprintf(c.role, sizeof(c.role), "employer");
	c.iat = c.nbf = NOW;
	c.exp = NOW + 900;
	return c;
}

static void
test_round_trip(void)
{
	struct jwt_claims c = sample(), got, got2;
	char tok[1024], tok2[1024];

	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK(strncmp(tok, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37) == 0);
	CHECK_INT_EQ(jwt_verify(tok, key, sizeof(key), ISS, AUD, NOW, &got), JWT_OK);
	CHECK_STR_EQ(got.iss, ISS);
	CHECK_STR_EQ(got.aud, AUD);
	CHECK_INT_EQ(got.sub, 42);
	CHECK_STR_EQ(got.role, "employer");
	CHECK_INT_EQ(got.iat, NOW);
	CHECK_INT_EQ(got.nbf, NOW);
	CHECK_INT_EQ(got.exp, NOW + 900);
	CHECK_INT_EQ(strlen(got.jti), 24);
	/* Each token gets its own random id. */
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok2, sizeof(tok2)), 0);
	CHECK_INT_EQ(jwt_verify(tok2, key, sizeof(key), ISS, AUD, NOW, &got2), JWT_OK);
	CHECK(strcmp(got.jti, got2.jti) != 0);
	/* A given id is kept; strings are JSON-escaped and come back unchanged. */
	snprintf(c.jti, sizeof(c.jti), "my-id");
	snprintf(c.role, sizeof(c.role), "a\"b\\c");
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_INT_EQ(jwt_verify(tok, key, sizeof(key), ISS, AUD, NOW, &got), JWT_OK);
	CHECK_STR_EQ(got.jti, "my-id");
	CHECK_STR_EQ(got.role, "a\"b\\c");
	/* Output too small, bad sub, short key. */
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, 40), -1);
	c.sub = 0;
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), -1);
	c.sub = 42;
	CHECK_INT_EQ(jwt_issue(&c, key, 31, tok, sizeof(tok)), -1);
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_INT_EQ(jwt_verify(tok, key, 31, ISS, AUD, NOW, &got), JWT_BAD_KEY);
	CHECK_INT_EQ(jwt_verify(tok, other_key, sizeof(other_key), ISS, AUD, NOW, &got),
	             JWT_BAD_SIGNATURE);
	/* The forging helper agrees with the issuer (so the tests below test something). */
	CHECK_STR_EQ(forged(HS256, "{" GOOD_CLAIMS "}", SIG_HS256), "ok");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\"}", "{" GOOD_CLAIMS "}", SIG_HS256), "ok");
}

static void
test_alg(void)
{
	const char *p = "{" GOOD_CLAIMS "}";

	/* alg none, without and with a signature. */
	CHECK_STR_EQ(forged("{\"alg\":\"none\",\"typ\":\"JWT\"}", p, SIG_NONE), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"none\",\"typ\":\"JWT\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"none\"}", p, SIG_NONE), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"None\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"NONE\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"typ\":\"JWT\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":null}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"\"}", p, SIG_HS256), "bad_alg");
	/* Other algorithms, even when correctly signed with our key. */
	CHECK_STR_EQ(forged("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", p, SIG_HS512), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"hs256\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256 \"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\\u0000\"}", p, SIG_HS256), "malformed");
	CHECK_STR_EQ(forged("{\"alg\":[\"HS256\"]}", p, SIG_HS256), "bad_alg");
	/* typ other than JWT; header members that would steer verification. */
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\",\"typ\":1}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", p, SIG_HS256), "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\",\"kid\":\"../../dev/null\"}", p, SIG_HS256),
	             "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\",\"jku\":\"https://evil.example/k\"}", p, SIG_HS256),
	             "bad_alg");
	CHECK_STR_EQ(
	    forged("{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}}", p, SIG_HS256),
	    "bad_alg");
	CHECK_STR_EQ(forged("{\"alg\":\"HS256\",\"b64\":false}", p, SIG_HS256), "bad_alg");
	/* A duplicate alg is not resolved either way. */
	CHECK_STR_EQ(forged("{\"alg\":\"none\",\"alg\":\"HS256\"}", p, SIG_HS256), "malformed");
}

static void
test_signature(void)
{
	struct jwt_claims c = sample();
	char tok[1024], copy[1024];

	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	/* Signed with another key. */
	char *t = forge(HS256, "{" GOOD_CLAIMS "}", SIG_HS256, other_key);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "bad_signature");
	free(t);
	/* One signature character changed, the signature cut short or missing. */
	size_t n = strlen(tok);
	memcpy(copy, tok, n + 1);
	copy[n - 5] = copy[n - 5] == 'A' ? 'B' : 'A';
	CHECK_STR_EQ(jwt_error_code(verify(copy)), "bad_signature");
	memcpy(copy, tok, n + 1);
	copy[n - 4] = '\0';
	CHECK_STR_EQ(jwt_error_code(verify(copy)), "bad_signature");
	memcpy(copy, tok, n + 1);
	*strrchr(copy, '.') = '\0';
	strcat(copy, ".");
	CHECK_STR_EQ(jwt_error_code(verify(copy)), "bad_signature");
	/* The same signature bytes spelt differently (unused low bits of the last character set).
	 */
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	memcpy(copy, tok, n + 1);
	int v = (int)(strchr(alphabet, copy[n - 1]) - alphabet);
	copy[n - 1] = alphabet[v ^ 1];
	CHECK_STR_EQ(jwt_error_code(verify(copy)), "bad_signature");

	/* Payload changed (role raised to admin), signature kept. */
	const char *dot1 = strchr(tok, '.'), *dot2 = strrchr(tok, '.');
	struct buf b = {0};
	buf_append(&b, tok, (size_t)(dot1 - tok) + 1);
	const char *admin = "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"42\",\"role\":"
	                    "\"admin\",\"iat\":1700000000,\"nbf\":1700000000,\"exp\":1700000900,"
	                    "\"jti\":\"abc\"}";
	b64(&b, admin, strlen(admin));
	buf_puts(&b, dot2);
	CHECK_STR_EQ(jwt_error_code(verify(buf_cstr(&b))), "bad_signature");
	/* Header swapped for one without typ, signature kept. */
	buf_reset(&b);
	b64(&b, "{\"alg\":\"HS256\"}", 15);
	buf_puts(&b, dot1);
	CHECK_STR_EQ(jwt_error_code(verify(buf_cstr(&b))), "bad_signature");
	buf_free(&b);
}

static void
test_times(void)
{
	struct jwt_claims c = sample(), got;
	char tok[1024];

	/* exp must be later than now - 30 s. */
	c.iat = c.nbf = NOW - 1000;
	c.exp = NOW - 31;
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, AUD, NOW, &got)), "expired");
	c.exp = NOW - 30;
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, AUD, NOW, &got)), "expired");
	c.exp = NOW - 29;
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, AUD, NOW, &got)), "ok");
	/* nbf (and iat) may be at most 30 s ahead. */
	c = sample();
	c.nbf = NOW + 31;
	c.exp = NOW + 900;
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, AUD, NOW, &got)),
	             "not_yet_valid");
	c.nbf = NOW + 30;
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, AUD, NOW, &got)), "ok");
	c = sample();
	c.iat = NOW + 31;
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, AUD, NOW, &got)),
	             "not_yet_valid");
}

static void
test_iss_aud(void)
{
	struct jwt_claims c = sample(), got;
	char tok[1024];

	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	CHECK_STR_EQ(
	    jwt_error_code(jwt_verify(tok, key, 32, "https://evil.example", AUD, NOW, &got)),
	    "wrong_iss");
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, "other-api", NOW, &got)),
	             "wrong_aud");
	CHECK_STR_EQ(jwt_error_code(jwt_verify(tok, key, 32, ISS, "beacon-ap", NOW, &got)),
	             "wrong_aud");
	/* aud may be an array that holds ours. */
	const char *rest = "\"iss\":\"" ISS "\",\"sub\":\"42\",\"role\":\"employer\",\"iat\":"
	                   "1700000000,\"nbf\":1700000000,\"exp\":1700000900,\"jti\":\"abc\"";
	char p[512];
	snprintf(p, sizeof(p), "{\"aud\":[\"x\",\"" AUD "\"],%s}", rest);
	CHECK_STR_EQ(forged(HS256, p, SIG_HS256), "ok");
	snprintf(p, sizeof(p), "{\"aud\":[\"x\",\"y\"],%s}", rest);
	CHECK_STR_EQ(forged(HS256, p, SIG_HS256), "wrong_aud");
	snprintf(p, sizeof(p), "{\"aud\":[],%s}", rest);
	CHECK_STR_EQ(forged(HS256, p, SIG_HS256), "wrong_aud");
	snprintf(p, sizeof(p), "{\"aud\":7,%s}", rest);
	CHECK_STR_EQ(forged(HS256, p, SIG_HS256), "malformed");
}

static void
test_claims(void)
{
	/* Each claim left out in turn. */
	static const char *const names[] = {"iss", "aud", "sub", "role",
	                                    "iat", "nbf", "exp", "jti"};
	const char *full = "{" GOOD_CLAIMS "}";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[512], needle[16];
		snprintf(needle, sizeof(needle), "\"%s\":", names[i]);
		const char *at = strstr(full, needle);
		const char *end = strchr(at, ',');
		if (end == NULL) /* the last claim: drop the comma before it */
			snprintf(p, sizeof(p), "%.*s}", (int)(at - full - 1), full);
		else
			snprintf(p, sizeof(p), "%.*s%s", (int)(at - full), full, end + 1);
		CHECK_STR_EQ(forged(HS256, p, SIG_HS256), "missing_claim");
	}
	/* Claims of the wrong type or shape. */
	const char *base = "\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"role\":\"employer\","
	                   "\"iat\":1700000000,\"nbf\":1700000000,\"jti\":\"abc\"";
	static const char *const bad[] = {
	    "\"sub\":\"42\",\"exp\":\"1700000900\"", "\"sub\":\"42\",\"exp\":1700000900.5",
	    "\"sub\":\"42\",\"exp\":null",           "\"sub\":42,\"exp\":1700000900",
	    "\"sub\":\"0\",\"exp\":1700000900",      "\"sub\":\"-1\",\"exp\":1700000900",
	    "\"sub\":\"042\",\"exp\":1700000900",    "\"sub\":\"4 2\",\"exp\":1700000900",
	    "\"sub\":\"\",\"exp\":1700000900",       "\"sub\":\"99999999999999999999\",\"exp\":1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char p[512];
		snprintf(p, sizeof(p), "{%s,%s}", base, bad[i]);
		CHECK_STR_EQ(forged(HS256, p, SIG_HS256), "malformed");
	}
	/* A role longer than the claims struct holds. */
	CHECK_STR_EQ(forged(HS256,
	                    "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"42\",\"role\":"
	                    "\"abcdefghijklmnopqrstuvwxyz0123456789\",\"iat\":1700000000,\"nbf\":"
	                    "1700000000,\"exp\":1700000900,\"jti\":\"abc\"}",
	                    SIG_HS256),
	             "malformed");
	/* Unknown claims are ignored. */
	CHECK_STR_EQ(forged(HS256, "{" GOOD_CLAIMS ",\"extra\":{\"x\":[1,2]}}", SIG_HS256), "ok");
	/* Duplicate claims are refused. */
	CHECK_STR_EQ(forged(HS256, "{" GOOD_CLAIMS ",\"sub\":\"1\"}", SIG_HS256), "malformed");
}

static void
test_malformed(void)
{
	/* Header or payload that is not JSON, or not an object. */
	CHECK_STR_EQ(forged("not json", "{" GOOD_CLAIMS "}", SIG_HS256), "malformed");
	CHECK_STR_EQ(forged("[\"HS256\"]", "{" GOOD_CLAIMS "}", SIG_HS256), "malformed");
	CHECK_STR_EQ(forged(HS256 "x", "{" GOOD_CLAIMS "}", SIG_HS256), "malformed");
	CHECK_STR_EQ(forged(HS256, "not json", SIG_HS256), "malformed");
	CHECK_STR_EQ(forged(HS256, "{" GOOD_CLAIMS, SIG_HS256), "malformed");
	CHECK_STR_EQ(forged(HS256, "[1,2]", SIG_HS256), "malformed");
	CHECK_STR_EQ(forged(HS256, "\"a string\"", SIG_HS256), "malformed");

	struct jwt_claims c = sample();
	char tok[1024], t[1200];
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);
	const char *dot1 = strchr(tok, '.'), *dot2 = strrchr(tok, '.');

	/* Extra dots and missing parts. */
	snprintf(t, sizeof(t), "%s.", tok);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "malformed");
	snprintf(t, sizeof(t), "%s.%s", tok, dot2 + 1);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "malformed");
	snprintf(t, sizeof(t), "%.*s", (int)(dot2 - tok), tok);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "malformed");
	snprintf(t, sizeof(t), ".%s", tok);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "malformed");
	CHECK_STR_EQ(jwt_error_code(verify("")), "malformed");
	CHECK_STR_EQ(jwt_error_code(verify("..")), "malformed");
	CHECK_STR_EQ(jwt_error_code(verify(".")), "malformed");
	CHECK_STR_EQ(jwt_error_code(verify(NULL)), "malformed");
	/* An empty payload between the dots: the signature is checked first, then the payload. */
	snprintf(t, sizeof(t), "%.*s.%s", (int)(dot1 - tok), tok, dot2);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "bad_signature");
	snprintf(t, sizeof(t), "%.*s.", (int)(dot1 - tok), tok);
	char *e = sign_raw(t);
	CHECK_STR_EQ(jwt_error_code(verify(e)), "malformed");
	free(e);

	/* Characters outside base64url, in the header, or in a (signed) payload. */
	snprintf(t, sizeof(t), "%.*s+%s", (int)(dot1 - tok), tok, dot1);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "malformed");
	snprintf(t, sizeof(t), "%.*s=%s", (int)(dot1 - tok), tok, dot1);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "malformed");
	snprintf(t, sizeof(t), " %s", tok);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "malformed");
	char text[1200];
	snprintf(text, sizeof(text), "%.*s/", (int)(dot2 - tok), tok);
	char *s = sign_raw(text);
	CHECK_STR_EQ(jwt_error_code(verify(s)), "malformed");
	free(s);
	snprintf(text, sizeof(text), "%.*s==", (int)(dot2 - tok), tok);
	s = sign_raw(text);
	CHECK_STR_EQ(jwt_error_code(verify(s)), "malformed");
	free(s);
	/* Standard base64 in the signature. */
	snprintf(t, sizeof(t), "%s", tok);
	char *last = strrchr(t, '.') + 5;
	*last = '+';
	CHECK_STR_EQ(jwt_error_code(verify(t)), "bad_signature");
	/* The unchanged token still passes (the cases above differ only as described). */
	CHECK_STR_EQ(jwt_error_code(verify(tok)), "ok");
}

static void
test_too_long(void)
{
	struct jwt_claims c = sample();
	char tok[1024];
	CHECK_INT_EQ(jwt_issue(&c, key, sizeof(key), tok, sizeof(tok)), 0);

	/* A valid token padded with unknown claims to just over 4 KiB. */
	struct buf p = {0};
	buf_puts(&p, "{" GOOD_CLAIMS ",\"pad\":\"");
	for (int i = 0; i < 3000; i++)
		buf_putc(&p, 'x');
	buf_puts(&p, "\"}");
	char *t = forge(HS256, buf_cstr(&p), SIG_HS256, key);
	CHECK(strlen(t) > JWT_MAX_LEN);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "too_long");
	free(t);
	/* Just under the limit it is accepted. */
	buf_reset(&p);
	buf_puts(&p, "{" GOOD_CLAIMS ",\"pad\":\"");
	for (int i = 0; i < 2800; i++)
		buf_putc(&p, 'x');
	buf_puts(&p, "\"}");
	t = forge(HS256, buf_cstr(&p), SIG_HS256, key);
	CHECK(strlen(t) <= JWT_MAX_LEN);
	CHECK_STR_EQ(jwt_error_code(verify(t)), "ok");
	free(t);
	buf_free(&p);
	/* A megabyte of dots or letters is refused without being read through. */
	size_t n = 1 << 20;
	char *huge = malloc(n + 1);
	memset(huge, 'a', n);
	huge[n] = '\0';
	huge[10] = huge[20] = '.';
	CHECK_STR_EQ(jwt_error_code(verify(huge)), "too_long");
	free(huge);
}

static void
test_codes(void)
{
	CHECK_STR_EQ(jwt_error_code(JWT_OK), "ok");
	CHECK_STR_EQ(jwt_error_code(JWT_MALFORMED), "malformed");
	CHECK_STR_EQ(jwt_error_code(JWT_BAD_ALG), "bad_alg");
	CHECK_STR_EQ(jwt_error_code(JWT_BAD_SIGNATURE), "bad_signature");
	CHECK_STR_EQ(jwt_error_code(JWT_EXPIRED), "expired");
	CHECK_STR_EQ(jwt_error_code(JWT_NOT_YET_VALID), "not_yet_valid");
	CHECK_STR_EQ(jwt_error_code(JWT_WRONG_ISS), "wrong_iss");
	CHECK_STR_EQ(jwt_error_code(JWT_WRONG_AUD), "wrong_aud");
	CHECK_STR_EQ(jwt_error_code(JWT_MISSING_CLAIM), "missing_claim");
	CHECK_STR_EQ(jwt_error_code(JWT_TOO_LONG), "too_long");
	CHECK_STR_EQ(jwt_error_code(JWT_BAD_KEY), "bad_key");
}

void
test_suite_jwt(void)
{
	RUN_TEST(test_round_trip);
	RUN_TEST(test_alg);
	RUN_TEST(test_signature);
	RUN_TEST(test_times);
	RUN_TEST(test_iss_aud);
	RUN_TEST(test_claims);
	RUN_TEST(test_malformed);
	RUN_TEST(test_too_long);
	RUN_TEST(test_codes);
}
