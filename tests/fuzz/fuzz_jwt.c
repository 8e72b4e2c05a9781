/*
 * libFuzzer driver for jwt_verify. The first input byte picks a mode:
 *
 *   0  the rest is token text, verified as it is;
 *   1  the rest is "HEADER-JSON\nPAYLOAD-JSON": the driver encodes both and
 *      signs them with the key (libsodium's one-shot HMAC-SHA-256), so the
 *      header and claim checks behind the signature are reached, and a
 *      reference written from jwt.h (jansson) says which refusal is due;
 *   2  a token from jwt_issue is edited (flip, insert, delete bytes) as the
 *      rest of the input says: the edited token must be refused unless it
 *      is byte-identical to the issued one (one token, one spelling).
 *
 * Whatever is accepted must have a header of exactly alg HS256 (typ JWT
 * optional), a signature equal to crypto_auth_hmacsha256 over
 * "header.payload", claims within iss/aud/exp/nbf/iat rules, and claims
 * that jwt_issue can issue again into a token that verifies to the same.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define NOW INT64_C(1700000000)
#define ISS "https://beacon.example"
#define AUD "beacon-api"
#define B64URL_DOT "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."

static const unsigned char KEY[32] = "fuzz-jwt-key-0123456789abcdefghi";

enum verdict {
	REF_OK,
	REF_MALFORMED,
	REF_BAD_ALG,
	REF_CLAIMS,
	REF_WRONG_ISS,
	REF_WRONG_AUD,
	REF_EXPIRED,
	REF_NOT_YET_VALID,
	REF_EITHER
};

static void
put_b64url(struct buf *b, const void *p, size_t n)
{
	size_t enc = sodium_base64_ENCODED_LEN(n, B64URL);

	buf_reserve(b, enc);
	sodium_bin2base64(b->data + b->len, enc, p, n, B64URL);
	b->len += enc - 1;
}

/* Decode a whole base64url part into a new buffer; NULL when it is not one. */
static unsigned char *
b64url_part(const char *s, size_t n, size_t *len)
{
	unsigned char *bin = malloc(n + 1);
	const char *end = NULL;

	if (sodium_base642bin(bin, n + 1, s, n, NULL, len, &end, B64URL) != 0 || end != s + n) {
		free(bin);
		return NULL;
	}
	return bin;
}

/* The header's JSON is exactly {"alg":"HS256"} with at most "typ":"JWT" besides. */
static bool
header_exact(json_t *h)
{
	json_t *alg = json_object_get(h, "alg"), *typ = json_object_get(h, "typ");

	if (!json_is_object(h) || alg == NULL || !json_is_string(alg) ||
	    json_string_length(alg) != 5 || memcmp(json_string_value(alg), "HS256", 5) != 0)
		return false;
	if (typ != NULL && (!json_is_string(typ) || json_string_length(typ) != 3 ||
	                    memcmp(json_string_value(typ), "JWT", 3) != 0))
		return false;
	return json_object_size(h) == (typ != NULL ? 2u : 1u);
}

static bool
same_claims(const struct jwt_claims *a, const struct jwt_claims *b, bool jti_too)
{
	return strcmp(a->iss, b->iss) == 0 && strcmp(a->aud, b->aud) == 0 && a->sub == b->sub &&
	       strcmp(a->role, b->role) == 0 && a->iat == b->iat && a->nbf == b->nbf &&
	       a->exp == b->exp && (!jti_too || strcmp(a->jti, b->jti) == 0);
}

/* Everything an accepted token must be. */
static void
check_accepted(const char *token, const struct jwt_claims *c)
{
	size_t n = strlen(token), hlen, slen;
	const char *dot1 = strchr(token, '.'), *dot2;
	unsigned char *hraw, *sig, mac[crypto_auth_hmacsha256_BYTES];
	json_t *h;
	struct buf want = {0};
	char again[JWT_MAX_LEN + 1];
	struct jwt_claims c2;

	if (n > JWT_MAX_LEN || dot1 == NULL || (dot2 = strchr(dot1 + 1, '.')) == NULL ||
	    strchr(dot2 + 1, '.') != NULL)
		abort();
	/* The header. */
	hraw = b64url_part(token, (size_t)(dot1 - token), &hlen);
	if (hraw == NULL)
		abort();
	h = json_loadb((const char *)hraw, hlen, JSON_REJECT_DUPLICATES, NULL);
	if (h == NULL || !header_exact(h))
		abort();
	json_decref(h);
	free(hraw);
	/* The signature, recomputed, and its only spelling. */
	crypto_auth_hmacsha256(mac, (const unsigned char *)token, (size_t)(dot2 - token), KEY);
	sig = b64url_part(dot2 + 1, strlen(dot2 + 1), &slen);
	if (sig == NULL || slen != sizeof(mac) || memcmp(sig, mac, sizeof(mac)) != 0)
		abort();
	free(sig);
	put_b64url(&want, mac, sizeof(mac));
	if (strcmp(buf_cstr(&want), dot2 + 1) != 0)
		abort();
	buf_free(&want);
	/* The claims. */
	if (strcmp(c->iss, ISS) != 0 || strcmp(c->aud, AUD) != 0 || c->sub <= 0 ||
	    c->exp <= NOW - JWT_LEEWAY || c->nbf > NOW + JWT_LEEWAY || c->iat > NOW + JWT_LEEWAY)
		abort();
	/* Issued again, the same claims verify to the same (a fresh jti when it was empty). */
	if (jwt_issue(c, KEY, sizeof(KEY), again, sizeof(again)) != 0)
		abort();
	if (jwt_verify(again, KEY, sizeof(KEY), ISS, AUD, NOW, &c2) != JWT_OK ||
	    !same_claims(c, &c2, c->jti[0] != '\0') || c2.jti[0] == '\0')
		abort();
}

/* A string claim that fits in a buffer of size max. */
static int
ref_str(json_t *p, const char *name, size_t max, bool *missing)
{
	json_t *v = json_object_get(p, name);

	if (v == NULL) {
		*missing = true;
		return -1;
	}
	return json_is_string(v) && json_string_length(v) < max &&
	               strlen(json_string_value(v)) == json_string_length(v)
	           ? 0
	           : -1;
}

static int
ref_int(json_t *p, const char *name, int64_t *v, bool *missing)
{
	json_t *j = json_object_get(p, name);

	if (j == NULL) {
		*missing = true;
		return -1;
	}
	if (!json_is_integer(j))
		return -1;
	*v = (int64_t)json_integer_value(j);
	return 0;
}

/*
 * What jwt.h says of a token signed with the right key, with header and
 * payload JSON as given.
 */
static enum verdict
ref_verdict(const char *hdr, size_t hn, const char *pay, size_t pn)
{
	json_t *h, *p, *sub, *aud;
	bool missing = false, bad = false, aud_ok = false;
	int64_t iat = 0, nbf = 0, exp = 0;
	enum verdict v;

	h = json_loadb(hdr, hn, JSON_REJECT_DUPLICATES, NULL);
	if (h == NULL || !json_is_object(h)) {
		json_decref(h);
		return REF_MALFORMED;
	}
	v = header_exact(h) ? REF_OK : REF_BAD_ALG;
	json_decref(h);
	if (v != REF_OK)
		return v;
	p = json_loadb(pay, pn, JSON_REJECT_DUPLICATES, NULL);
	if (p == NULL || !json_is_object(p)) {
		json_decref(p);
		return REF_MALFORMED;
	}
	bad |= ref_str(p, "iss", 128, &missing) != 0;
	bad |= ref_str(p, "role", 32, &missing) != 0;
	bad |= ref_str(p, "jti", 48, &missing) != 0;
	bad |= ref_int(p, "iat", &iat, &missing) != 0;
	bad |= ref_int(p, "nbf", &nbf, &missing) != 0;
	bad |= ref_int(p, "exp", &exp, &missing) != 0;
	/* sub: a user id > 0 as a decimal string (no sign, no leading zero). */
	sub = json_object_get(p, "sub");
	if (sub == NULL) {
		missing = true;
	} else if (!json_is_string(sub)) {
		bad = true;
	} else {
		const char *s = json_string_value(sub);
		size_t n = json_string_length(sub);
		if (n == 0 || s[0] == '0' || strspn(s, "0123456789") != n)
			bad = true;
		else if (n > 18) /* 19 digits may or may not fit an int64 */
			v = REF_EITHER;
	}
	aud = json_object_get(p, "aud");
	if (aud == NULL) {
		missing = true;
	} else if (json_is_string(aud)) {
		bad |= ref_str(p, "aud", 128, &missing) != 0;
		aud_ok = strcmp(json_string_value(aud), AUD) == 0;
	} else if (json_is_array(aud)) {
		size_t i;
		json_t *e;
		json_array_foreach(aud, i, e)
		{
			if (json_is_string(e) && strcmp(json_string_value(e), AUD) == 0)
				aud_ok = true;
		}
	} else {
		bad = true;
	}
	if (missing || bad)
		v = v == REF_EITHER ? REF_EITHER : REF_CLAIMS;
	else if (v == REF_EITHER)
		;
	else if (strcmp(json_string_value(json_object_get(p, "iss")), ISS) != 0)
		v = REF_WRONG_ISS;
	else if (!aud_ok)
		v = REF_WRONG_AUD;
	else if (exp <= NOW - JWT_LEEWAY)
		v = REF_EXPIRED;
	else if (nbf > NOW + JWT_LEEWAY || iat > NOW + JWT_LEEWAY)
		v = REF_NOT_YET_VALID;
	json_decref(p);
	return v;
}

static bool
verdict_matches(enum verdict v, enum jwt_error e)
{
	switch (v) {
	case REF_OK:
		return e == JWT_OK;
	case REF_MALFORMED:
		return e == JWT_MALFORMED;
	case REF_BAD_ALG:
		return e == JWT_BAD_ALG;
	case REF_CLAIMS: /* a missing and a mistyped claim: either name is right */
		return e == JWT_MALFORMED || e == JWT_MISSING_CLAIM;
	case REF_WRONG_ISS:
		return e == JWT_WRONG_ISS;
	case REF_WRONG_AUD:
		return e == JWT_WRONG_AUD;
	case REF_EXPIRED:
		return e == JWT_EXPIRED;
	case REF_NOT_YET_VALID:
		return e == JWT_NOT_YET_VALID;
	case REF_EITHER:
		return true;
	}
	return false;
}

static enum jwt_error
verify(const char *token, struct jwt_claims *c)
{
	enum jwt_error e = jwt_verify(token, KEY, sizeof(KEY), ISS, AUD, NOW, c);

	if ((unsigned)e > JWT_BAD_KEY || jwt_error_code(e) == NULL)
		abort();
	if (strnlen(token, JWT_MAX_LEN + 1) > JWT_MAX_LEN && e != JWT_TOO_LONG)
		abort();
	if (e == JWT_OK)
		check_accepted(token, c);
	/* A short key is refused whatever the token (unless it is too long). */
	if (e != JWT_TOO_LONG && jwt_verify(token, KEY, 31, ISS, AUD, NOW, c) != JWT_BAD_KEY)
		abort();
	return e;
}

static void
mode_raw(const uint8_t *data, size_t size)
{
	char *token = malloc(size + 1);
	struct jwt_claims c;

	memcpy(token, data, size);
	token[size] = '\0';
	verify(token, &c);
	free(token);
}

static void
mode_signed(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hn = nl != NULL ? (size_t)(nl - data) : size;
	const char *hdr = (const char *)data, *pay = nl != NULL ? (const char *)nl + 1 : "";
	size_t pn = nl != NULL ? size - hn - 1 : 0;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	struct buf t = {0};
	struct jwt_claims c;
	enum jwt_error e;

	put_b64url(&t, hdr, hn);
	buf_putc(&t, '.');
	put_b64url(&t, pay, pn);
	crypto_auth_hmacsha256(mac, (const unsigned char *)t.data, t.len, KEY);
	buf_putc(&t, '.');
	put_b64url(&t, mac, sizeof(mac));
	e = verify(buf_cstr(&t), &c);
	if (t.len > JWT_MAX_LEN) {
		if (e != JWT_TOO_LONG)
			abort();
	} else if (hn == 0) {
		/* An empty part is not base64url of a JSON object. */
		if (e != JWT_MALFORMED)
			abort();
	} else if (pn == 0) {
		/*
		 * jwt.c decodes the payload only after the header and the
		 * signature passed, so a bad header is named first.
		 */
		if (e !=
		    (ref_verdict(hdr, hn, "{}", 2) == REF_BAD_ALG ? JWT_BAD_ALG : JWT_MALFORMED))
			abort();
	} else if (!verdict_matches(ref_verdict(hdr, hn, pay, pn), e)) {
		abort();
	}
	buf_free(&t);
}

static void
mode_mutate(const uint8_t *data, size_t size)
{
	static char issued[JWT_MAX_LEN + 1];
	static struct jwt_claims want = {ISS,      AUD,      42,        "employer",
	                                 NOW - 10, NOW - 10, NOW + 600, "fuzz-jti-0001"};
	char tok[JWT_MAX_LEN + 64];
	size_t n;
	struct jwt_claims c;

	if (issued[0] == '\0') {
		if (jwt_issue(&want, KEY, sizeof(KEY), issued, sizeof(issued)) != 0)
			abort();
	}
	n = strlen(issued);
	memcpy(tok, issued, n + 1);
	/* Each edit is three bytes: operation, position, value. */
	for (size_t i = 0; i + 3 <= size && i < 3 * 16; i += 3) {
		size_t pos = n > 0 ? data[i + 1] * n / 256 : 0;
		switch (data[i] % 4) {
		case 0: /* flip bits */
			if (n > 0)
				tok[pos] ^= (char)data[i + 2];
			break;
		case 1: /* insert */
			if (n + 2 < sizeof(tok)) {
				memmove(tok + pos + 1, tok + pos, n - pos + 1);
				tok[pos] = (char)data[i + 2];
				n++;
			}
			break;
		case 2: /* delete */
			if (n > 0) {
				memmove(tok + pos, tok + pos + 1, n - pos);
				n--;
			}
			break;
		default: /* replace with a base64url character or a dot */
			if (n > 0)
				tok[pos] = B64URL_DOT[data[i + 2] % 65];
			break;
		}
	}
	if (verify(tok, &c) == JWT_OK) {
		if (strcmp(tok, issued) != 0 || !same_claims(&c, &want, true))
			abort();
	} else if (strcmp(tok, issued) == 0) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (sodium_init() < 0)
		abort();
	switch (data[0] % 3) {
	case 0:
		mode_raw(data + 1, size - 1);
		break;
	case 1:
		mode_signed(data + 1, size - 1);
		break;
	default:
		mode_mutate(data + 1, size - 1);
		break;
	}
	return 0;
}
