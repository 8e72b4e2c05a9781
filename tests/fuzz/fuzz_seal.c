/*
 * libFuzzer driver for seal_decrypt, with field keys 1, 2 and 700 loaded
 * (secrets_set_global). The first input byte picks a mode:
 *
 *   0  the rest is sealed text, opened with a fixed aad: seal_key_id
 *      matches a reference reading of seal.h's "s1.<key id>.<body>" and
 *      seal_needs_rotation agrees with it; a text that opens (only seeds
 *      sealed with the driver's keys can) has a canonical body, opens for
 *      no other aad, and no one-character edit of it opens;
 *   1  the rest is KEY AADLEN AAD PTLEN PT EDITS: PT is sealed under key
 *      KEY for AAD, must open again to PT, and then the text (and the aad)
 *      is edited as EDITS say: it must not open unless text and aad are
 *      both byte-identical to what was sealed (no second spelling, no
 *      other place).
 *
 * A refusal leaves the output buffer as it was.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/seal.h"
#include "core/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define AAD "users.totp_secret:42"
#define B64URL_DOT "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."

static struct secrets_field_key keys[3];
static struct secrets sec;
static const uint16_t key_ids[3] = {1, 2, 700};

static void
load_keys(void)
{
	if (sec.nfield_keys != 0)
		return;
	if (sodium_init() < 0)
		abort();
	for (size_t i = 0; i < 3; i++) {
		keys[i].id = key_ids[i];
		memset(keys[i].key, 0x11 * (int)(i + 1), sizeof(keys[i].key));
	}
	memset(sec.jwt_key, 0x5A, 32);
	sec.jwt_key_len = 32;
	sec.field_keys = keys;
	sec.nfield_keys = 3;
	sec.field_key_current = 1;
	secrets_set_global(&sec);
}

/* seal.h's key id: "s1." then 1..65535 without leading zeros, '.', a non-empty body. */
static int
ref_key_id(const char *t)
{
	long id = 0;
	size_t i = 3;

	if (strncmp(t, "s1.", 3) != 0 || t[3] < '1' || t[3] > '9')
		return -1;
	while (t[i] >= '0' && t[i] <= '9') {
		id = id * 10 + (t[i] - '0');
		if (id > 65535)
			return -1;
		i++;
	}
	return t[i] == '.' && t[i + 1] != '\0' ? (int)id : -1;
}

/* Open text for aad; on refusal out must be untouched. Returns seal_decrypt's result. */
static int
open_sealed(const char *text, const char *aad, struct buf *pt)
{
	static const char before[] = "before";
	int rc, id = seal_key_id(text);

	if (id != ref_key_id(text))
		abort();
	if (seal_needs_rotation(text) != (id < 0 || id != sec.field_key_current))
		abort();
	buf_reset(pt);
	buf_puts(pt, before);
	rc = seal_decrypt(text, aad, pt);
	if (rc != 0 && rc != -1)
		abort();
	if (rc != 0 && (pt->len != sizeof(before) - 1 || memcmp(pt->data, before, pt->len) != 0))
		abort();
	/* Whatever opens names a loaded key. */
	if (rc == 0 && secrets_field_key(&sec, (unsigned)id) == NULL)
		abort();
	return rc;
}

/*
 * A text that opened (a seed sealed with the driver's keys: a fuzzer does
 * not forge Poly1305 tags) is in its only spelling: the body is canonical
 * base64url, and no one-character change, insertion or deletion opens.
 */
static void
check_opened(const char *text, const char *aad)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=s ";
	const char *body = strchr(text + 3, '.') + 1;
	size_t n = strlen(text), bn = strlen(body), len = 0;
	unsigned char *bin = malloc(bn);
	char *again = malloc(bn + 2), *t = malloc(n + 2);
	struct buf pt = {0};

	if (sodium_base642bin(bin, bn, body, bn, NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
	              crypto_aead_xchacha20poly1305_ietf_ABYTES)
		abort();
	sodium_bin2base64(again, bn + 2, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (strcmp(again, body) != 0)
		abort();
	for (size_t i = 0; i <= n; i++) {
		/* Delete byte i. */
		if (i < n) {
			memcpy(t, text, i);
			memcpy(t + i, text + i + 1, n - i);
			if (open_sealed(t, aad, &pt) == 0)
				abort();
		}
		for (const char *c = alphabet; *c != '\0'; c++) {
			/* Insert *c before byte i. */
			memcpy(t, text, i);
			t[i] = *c;
			memcpy(t + i + 1, text + i, n - i + 1);
			if (open_sealed(t, aad, &pt) == 0)
				abort();
			/* Replace byte i with *c. */
			if (i < n && text[i] != *c) {
				memcpy(t, text, n + 1);
				t[i] = *c;
				if (open_sealed(t, aad, &pt) == 0)
					abort();
			}
		}
	}
	buf_free(&pt);
	free(t);
	free(again);
	free(bin);
}

static void
mode_raw(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct buf pt = {0};

	memcpy(text, data, size);
	text[size] = '\0';
	if (open_sealed(text, AAD, &pt) == 0) {
		/* It is bound to its place: another aad does not open it. */
		if (open_sealed(text, AAD "0", &pt) == 0 || open_sealed(text, "", &pt) == 0)
			abort();
		/* The sweep is slow: once per text, not again for trailing bytes after a NUL. */
		if (strlen(text) == size)
			check_opened(text, AAD);
	}
	buf_free(&pt);
	free(text);
}

/* Take n bytes from the input, or fewer at its end. */
static const uint8_t *
take(const uint8_t **p, const uint8_t *end, size_t n, size_t *got)
{
	const uint8_t *at = *p;

	*got = (size_t)(end - at) < n ? (size_t)(end - at) : n;
	*p += *got;
	return at;
}

/* Apply three-byte edits (operation, position, value) to s (room for cap bytes). */
static void
edit(char *s, size_t cap, const uint8_t *e, size_t elen)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + 3 <= elen; i += 3) {
		size_t pos = n > 0 ? e[i + 1] * n / 256 : 0;
		char c = (char)e[i + 2];
		switch (e[i] % 4) {
		case 0: /* flip bits */
			if (n > 0 && (char)(s[pos] ^ c) != '\0')
				s[pos] ^= c;
			break;
		case 1: /* insert */
			if (n + 2 < cap && c != '\0') {
				memmove(s + pos + 1, s + pos, n - pos + 1);
				s[pos] = c;
				n++;
			}
			break;
		case 2: /* delete */
			if (n > 0) {
				memmove(s + pos, s + pos + 1, n - pos);
				n--;
			}
			break;
		default: /* replace with a base64url character, a dot or a digit */
			if (n > 0)
				s[pos] = B64URL_DOT[e[i + 2] % 65];
			break;
		}
	}
}

static void
mode_mutate(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *b;
	size_t got, alen, plen, elen;
	char aad[64 + 32], *text, *aad2;
	struct buf sealed = {0}, pt = {0};
	const uint8_t *aad_bytes, *ptb, *edits;

	b = take(&p, end, 1, &got);
	sec.field_key_current = key_ids[got == 1 ? b[0] % 3 : 0];
	b = take(&p, end, 1, &got);
	aad_bytes = take(&p, end, got == 1 ? b[0] % 64 : 0, &alen);
	memcpy(aad, aad_bytes, alen);
	aad[alen] = '\0';
	b = take(&p, end, 1, &got);
	ptb = take(&p, end, got == 1 ? b[0] : 0, &plen);
	edits = take(&p, end, 3 * 24, &elen);

	if (seal_encrypt(ptb, plen, aad, &sealed) != 0)
		abort();
	/* Sealed with the current key, it opens to the plaintext, also after a rotation. */
	if (seal_key_id(buf_cstr(&sealed)) != sec.field_key_current ||
	    seal_needs_rotation(buf_cstr(&sealed)))
		abort();
	if (open_sealed(buf_cstr(&sealed), aad, &pt) != 0 || pt.len != 6 + plen ||
	    memcmp(pt.data + 6, ptb, plen) != 0)
		abort();
	sec.field_key_current = sec.field_key_current == 1 ? 2 : 1;
	if (open_sealed(buf_cstr(&sealed), aad, &pt) != 0)
		abort();

	/* Edits at even steps change the text, at odd steps the aad. */
	text = malloc(sealed.len + elen + 2);
	aad2 = malloc(sizeof(aad) + elen + 2);
	memcpy(text, sealed.data, sealed.len + 1);
	memcpy(aad2, aad, alen + 1);
	for (size_t i = 0; i + 3 <= elen; i += 3) {
		if ((i / 3) % 2 == 0)
			edit(text, sealed.len + elen + 2, edits + i, 3);
		else
			edit(aad2, sizeof(aad) + elen + 2, edits + i, 3);
	}
	if (open_sealed(text, aad2, &pt) == 0) {
		if (strcmp(text, buf_cstr(&sealed)) != 0 || strcmp(aad2, aad) != 0)
			abort();
	} else if (strcmp(text, buf_cstr(&sealed)) == 0 && strcmp(aad2, aad) == 0) {
		abort();
	}
	free(text);
	free(aad2);
	buf_free(&sealed);
	buf_free(&pt);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	load_keys();
	sec.field_key_current = 1;
	if (data[0] % 2 == 0)
		mode_raw(data + 1, size - 1);
	else
		mode_mutate(data + 1, size - 1);
	return 0;
}
