/*
 * jwt.c - HS256 JSON Web Tokens on libsodium (HMAC-SHA-256, base64url) and
 * jansson (parsing), not libjwt.
 *
 * DESIGN.md prefers libjwt when it can pin the algorithm. Debian's libjwt
 * 1.10.2 cannot: jwt_decode() verifies with whatever algorithm the token's
 * header names and the caller learns the algorithm only afterwards. Tried
 * here with a 32-byte key: a token with "alg":"HS512" signed with our key is
 * accepted, "alg":"RS256" hands our HMAC secret to OpenSSL's PEM parser as a
 * public key, a header with "crit" (or "kid", "jku", "jwk") is accepted, and
 * a header {"alg":"none","alg":"HS256"} is accepted (last duplicate wins).
 * It does reject "alg":"none" when a key is given, but it has no exp/nbf
 * checks (jwt_valid came in 1.12) and no hook to refuse a header before
 * verification (jwt_decode_2 came later still). RFC 8725 3.1 asks that
 * libraries let the caller pin the algorithm, so this file is the small
 * HS256 codec DESIGN.md names as the fallback: the header must be exactly
 * alg HS256 (plus typ JWT) before the signature is looked at, the signature
 * is compared in constant time (sodium_memcmp), the payload
 * is parsed only after the signature matched, duplicate JSON keys are
 * refused, and base64url must be canonical, so one token has one spelling.
 */
#include "jwt.h"

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/secrets.h"
#include "core/token.h"

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING
/* {"alg":"HS256","typ":"JWT"} */
#define JWT_HEADER_B64 "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
/* The longest decoded part of a token that passed the length check. */
#define PART_MAX (JWT_MAX_LEN / 4 * 3 + 3)

const char *
jwt_error_code(enum jwt_error e)
{
	switch (e) {
	case JWT_OK:
		return "ok";
	case JWT_MALFORMED:
		return "malformed";
	case JWT_BAD_ALG:
		return "bad_alg";
	case JWT_BAD_SIGNATURE:
		return "bad_signature";
	case JWT_EXPIRED:
		return "expired";
	case JWT_NOT_YET_VALID:
		return "not_yet_valid";
	case JWT_WRONG_ISS:
		return "wrong_iss";
	case JWT_WRONG_AUD:
		return "wrong_aud";
	case JWT_MISSING_CLAIM:
		return "missing_claim";
	case JWT_TOO_LONG:
		return "too_long";
	case JWT_BAD_KEY:
		return "bad_key";
	}
	return "malformed";
}

static void
put_b64url(struct buf *b, const void *p, size_t n)
{
	size_t enc = sodium_base64_ENCODED_LEN(n, B64URL);

	buf_reserve(b, enc);
	sodium_bin2base64(b->data + b->len, enc, p, n, B64URL);
	b->len += enc - 1;
}

static void
hmac(const unsigned char *key, size_t keylen, const char *msg, size_t n,
     unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

int
jwt_issue(const struct jwt_claims *c, const unsigned char *key, size_t keylen, char *out,
          size_t outlen)
{
	struct buf b = {0}, payload = {0};
	struct json_writer w;
	char sub[24], jti[TOKEN_TEXT_SIZE(18)];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	int rc = -1;

	secrets_sodium_init();
	if (keylen < JWT_KEY_MIN || c->sub <= 0)
		return -1;
	if (c->jti[0] == '\0')
		token_random(jti, 18);
	snprintf(sub, sizeof(sub), "%lld", (long long)c->sub);
	jw_init(&w, &payload);
	jw_obj_begin(&w);
	jw_kv_str(&w, "iss", c->iss);
	jw_kv_str(&w, "aud", c->aud);
	jw_kv_str(&w, "sub", sub);
	jw_kv_str(&w, "role", c->role);
	jw_kv_int(&w, "iat", c->iat);
	jw_kv_int(&w, "nbf", c->nbf);
	jw_kv_int(&w, "exp", c->exp);
	jw_kv_str(&w, "jti", c->jti[0] != '\0' ? c->jti : jti);
	jw_obj_end(&w);

	buf_puts(&b, JWT_HEADER_B64 ".");
	put_b64url(&b, payload.data, payload.len);
	hmac(key, keylen, b.data, b.len, mac);
	buf_putc(&b, '.');
	put_b64url(&b, mac, sizeof(mac));
	if (b.len < outlen && b.len <= JWT_MAX_LEN) {
		memcpy(out, b.data, b.len + 1);
		rc = 0;
	}
	buf_free(&b);
	buf_free(&payload);
	return rc;
}

/*
 * Decode the base64url text s[0..n) into bin (at most max bytes). Only the
 * canonical spelling is accepted: no padding, no other characters, and the
 * unused low bits of the last character zero (re-encoding gives s back).
 */
static int
b64url_decode(const char *s, size_t n, unsigned char *bin, size_t max, size_t *len)
{
	const char *end = NULL;
	char again[JWT_MAX_LEN + 1];

	if (n == 0 || n > JWT_MAX_LEN ||
	    sodium_base642bin(bin, max, s, n, NULL, len, &end, B64URL) != 0 || end != s + n)
		return -1;
	sodium_bin2base64(again, sizeof(again), bin, *len, B64URL);
	return strlen(again) == n && memcmp(again, s, n) == 0 ? 0 : -1;
}

/* The header must be {"alg":"HS256"} with at most "typ":"JWT" besides. */
static enum jwt_error
check_header(const char *s, size_t n)
{
	unsigned char raw[PART_MAX];
	size_t len;
	json_t *h, *alg, *typ;
	enum jwt_error rc = JWT_BAD_ALG;

	if (b64url_decode(s, n, raw, sizeof(raw), &len) != 0)
		return JWT_MALFORMED;
	h = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
	if (h == NULL || !json_is_object(h)) {
		json_decref(h);
		return JWT_MALFORMED;
	}
	alg = json_object_get(h, "alg");
	typ = json_object_get(h, "typ");
	if (alg != NULL && json_is_string(alg) && strcmp(json_string_value(alg), "HS256") == 0 &&
	    json_string_length(alg) == 5 &&
	    (typ == NULL || (json_is_string(typ) && strcmp(json_string_value(typ), "JWT") == 0 &&
	                     json_string_length(typ) == 3)) &&
	    json_object_size(h) == (typ != NULL ? 2u : 1u))
		rc = JWT_OK;
	json_decref(h);
	return rc;
}

/* Copy a string claim into dst (size n); -1 when absent (*missing) or not a fitting string. */
static int
get_str(json_t *obj, const char *name, char *dst, size_t n, bool *missing)
{
	json_t *v = json_object_get(obj, name);

	if (v == NULL) {
		*missing = true;
		return -1;
	}
	if (!json_is_string(v) || json_string_length(v) >= n)
		return -1;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int
get_int(json_t *obj, const char *name, int64_t *dst, bool *missing)
{
	json_t *v = json_object_get(obj, name);

	if (v == NULL) {
		*missing = true;
		return -1;
	}
	if (!json_is_integer(v))
		return -1;
	*dst = (int64_t)json_integer_value(v);
	return 0;
}

/* A positive decimal user id without sign, spaces or leading zeros. */
static int
parse_sub(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 18 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static bool
aud_matches(json_t *aud, const char *expected)
{
	size_t i;
	json_t *v;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), expected) == 0;
	json_array_foreach(aud, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), expected) == 0)
			return true;
	}
	return false;
}

/* Claims from the (authenticated) payload, then iss, aud and the times. */
static enum jwt_error
check_payload(const char *s, size_t n, const char *iss, const char *aud, int64_t now,
              struct jwt_claims *out)
{
	unsigned char raw[PART_MAX];
	size_t len;
	json_t *p, *a;
	char sub[24];
	bool missing = false, bad = false;
	enum jwt_error rc;

	if (b64url_decode(s, n, raw, sizeof(raw), &len) != 0)
		return JWT_MALFORMED;
	p = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
	if (p == NULL || !json_is_object(p)) {
		json_decref(p);
		return JWT_MALFORMED;
	}
	memset(out, 0, sizeof(*out));
	bad |= get_str(p, "iss", out->iss, sizeof(out->iss), &missing) != 0;
	bad |= get_str(p, "sub", sub, sizeof(sub), &missing) != 0;
	bad |= get_str(p, "role", out->role, sizeof(out->role), &missing) != 0;
	bad |= get_str(p, "jti", out->jti, sizeof(out->jti), &missing) != 0;
	bad |= get_int(p, "iat", &out->iat, &missing) != 0;
	bad |= get_int(p, "nbf", &out->nbf, &missing) != 0;
	bad |= get_int(p, "exp", &out->exp, &missing) != 0;
	a = json_object_get(p, "aud");
	if (a == NULL)
		missing = true;
	else if (json_is_string(a))
		bad |= get_str(p, "aud", out->aud, sizeof(out->aud), &missing) != 0;
	else if (!json_is_array(a))
		bad = true;

	if (missing)
		rc = JWT_MISSING_CLAIM;
	else if (bad || parse_sub(sub, &out->sub) != 0)
		rc = JWT_MALFORMED;
	else if (strcmp(out->iss, iss) != 0)
		rc = JWT_WRONG_ISS;
	else if (!aud_matches(a, aud))
		rc = JWT_WRONG_AUD;
	else if (out->exp <= now - JWT_LEEWAY)
		rc = JWT_EXPIRED;
	else if (out->nbf > now + JWT_LEEWAY || out->iat > now + JWT_LEEWAY)
		rc = JWT_NOT_YET_VALID;
	else
		rc = JWT_OK;
	if (rc == JWT_OK && out->aud[0] == '\0')
		snprintf(out->aud, sizeof(out->aud), "%s", aud);
	json_decref(p);
	return rc;
}

enum jwt_error
jwt_verify(const char *token, const unsigned char *key, size_t keylen, const char *expected_iss,
           const char *expected_aud, int64_t now, struct jwt_claims *out)
{
	const char *dot1, *dot2;
	unsigned char sig[crypto_auth_hmacsha256_BYTES + 1];
	size_t n, siglen;
	enum jwt_error rc;

	secrets_sodium_init();
	if (token == NULL)
		return JWT_MALFORMED;
	n = strnlen(token, JWT_MAX_LEN + 1);
	if (n > JWT_MAX_LEN)
		return JWT_TOO_LONG;
	if (key == NULL || keylen < JWT_KEY_MIN)
		return JWT_BAD_KEY;
	dot1 = memchr(token, '.', n);
	dot2 = dot1 != NULL ? memchr(dot1 + 1, '.', n - (size_t)(dot1 + 1 - token)) : NULL;
	if (dot2 == NULL || memchr(dot2 + 1, '.', n - (size_t)(dot2 + 1 - token)) != NULL)
		return JWT_MALFORMED;

	/* The algorithm is pinned before anything else in the token is trusted. */
	rc = check_header(token, (size_t)(dot1 - token));
	if (rc != JWT_OK)
		return rc;
	if (b64url_decode(dot2 + 1, n - (size_t)(dot2 + 1 - token), sig, sizeof(sig), &siglen) !=
	        0 ||
	    siglen != crypto_auth_hmacsha256_BYTES)
		return JWT_BAD_SIGNATURE;
	{
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		hmac(key, keylen, token, (size_t)(dot2 - token), mac);
		int same = sodium_memcmp(mac, sig, sizeof(mac));
		sodium_memzero(mac, sizeof(mac));
		if (same != 0)
			return JWT_BAD_SIGNATURE;
	}
	return check_payload(dot1 + 1, (size_t)(dot2 - dot1 - 1), expected_iss, expected_aud, now,
	                     out);
}
