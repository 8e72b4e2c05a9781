/*
 * jwt.h - access tokens: JSON Web Tokens signed with HS256 (RFC 7519, RFC 8725).
 *
 * Only tokens Beacon issued itself are accepted: header exactly alg HS256
 * (typ JWT when present, nothing else), a valid HMAC-SHA-256 signature under
 * a key of at least 256 bits, every claim present, iss and aud as expected,
 * and exp / nbf / iat within JWT_LEEWAY seconds of the clock. The signing
 * key should be secrets_subkey("jwt"), not another purpose's key.
 */
#ifndef BEACON_CORE_JWT_H
#define BEACON_CORE_JWT_H

#include <stddef.h>
#include <stdint.h>

#define JWT_MAX_LEN 4096 /* longer tokens are refused before any parsing */
#define JWT_LEEWAY 30    /* seconds of clock skew allowed on exp, nbf and iat */
#define JWT_KEY_MIN 32   /* RFC 8725 3.5 / RFC 7518 3.2: >= 256 bits for HS256 */

struct jwt_claims {
	char iss[128]; /* issuer: Beacon's base URL */
	char aud[128]; /* audience */
	int64_t sub;   /* the user id (> 0), written as a decimal string */
	char role[32]; /* the user's role name */
	int64_t iat;   /* issued at, Unix seconds */
	int64_t nbf;   /* not before */
	int64_t exp;   /* expires */
	char jti[48];  /* token id; jwt_issue makes a random one when empty */
};

/* Why a token was refused; JWT_OK is 0. */
enum jwt_error {
	JWT_OK = 0,
	JWT_MALFORMED, /* not three base64url parts of JSON objects, or a claim of the wrong type */
	JWT_BAD_ALG,   /* header is not exactly {"alg":"HS256"} with an optional "typ":"JWT" */
	JWT_BAD_SIGNATURE, /* the HMAC does not match */
	JWT_EXPIRED,       /* exp <= now - leeway */
	JWT_NOT_YET_VALID, /* nbf or iat > now + leeway */
	JWT_WRONG_ISS,
	JWT_WRONG_AUD,
	JWT_MISSING_CLAIM, /* one of iss aud sub role iat nbf exp jti is absent */
	JWT_TOO_LONG,      /* longer than JWT_MAX_LEN */
	JWT_BAD_KEY,       /* the key given is shorter than JWT_KEY_MIN */
};

/* The stable code for e: "ok", "malformed", "bad_alg", "bad_signature", "expired", ... */
const char *jwt_error_code(enum jwt_error e);

/*
 * Write the signed token for c into out (outlen bytes, NUL-terminated).
 * Returns 0, or -1 when keylen < JWT_KEY_MIN, c->sub <= 0, or the token
 * would not fit in outlen or exceed JWT_MAX_LEN.
 */
int jwt_issue(const struct jwt_claims *c, const unsigned char *key, size_t keylen, char *out,
              size_t outlen);

/*
 * Verify token at time now and fill *out with its claims. Checks, in order:
 * length, key, shape and base64url, header (alg pinned to HS256 before the
 * signature is looked at), signature (constant time), payload JSON and the
 * presence and types of the claims, iss, aud (a string, or an array that
 * holds expected_aud), exp, then nbf and iat. *out is only meaningful when
 * JWT_OK is returned.
 */
enum jwt_error jwt_verify(const char *token, const unsigned char *key, size_t keylen,
                          const char *expected_iss, const char *expected_aud, int64_t now,
                          struct jwt_claims *out);

#endif
