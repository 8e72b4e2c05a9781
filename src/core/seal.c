#include "seal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/secrets.h"

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES

/*
 * Split "s1.<id>.<body>": key id 1..65535 without leading zeros, body
 * non-empty. Returns the id and sets *body and *header_len ("s1.<id>."), or
 * -1.
 */
static int
parse(const char *text, const char **body, size_t *header_len)
{
	long id = 0;
	size_t i = 3;

	if (text == NULL || strncmp(text, "s1.", 3) != 0 || text[3] < '1' || text[3] > '9')
		return -1;
	while (text[i] >= '0' && text[i] <= '9' && i < 8) {
		id = id * 10 + (text[i] - '0');
		i++;
	}
	if (text[i] != '.' || id > 65535 || text[i + 1] == '\0')
		return -1;
	*header_len = i + 1;
	*body = text + i + 1;
	return (int)id;
}

int
seal_key_id(const char *text)
{
	const char *body;
	size_t hl;

	return parse(text, &body, &hl);
}

bool
seal_needs_rotation(const char *text)
{
	const struct secrets *s = secrets_get();
	int id = seal_key_id(text);

	return id < 0 || s == NULL || id != s->field_key_current;
}

/* Associated data: the text's header then the caller's place name. */
static unsigned char *
make_ad(const char *header, size_t hl, const char *aad, size_t *len)
{
	size_t n = strlen(aad);
	unsigned char *ad = xmalloc(hl + n + 1);

	memcpy(ad, header, hl);
	memcpy(ad + hl, aad, n);
	*len = hl + n;
	return ad;
}

int
seal_encrypt(const void *pt, size_t len, const char *aad, struct buf *out)
{
	const struct secrets *s = secrets_get();
	const unsigned char *key;
	char header[16];
	unsigned char *blob, *ad;
	size_t adlen, bloblen = NONCE_BYTES + len + TAG_BYTES, enc;
	unsigned long long clen = 0;

	if (s == NULL || (key = secrets_field_key(s, s->field_key_current)) == NULL)
		return -1;
	secrets_sodium_init();
	int hl = snprintf(header, sizeof(header), "s1.%u.", (unsigned)s->field_key_current);
	ad = make_ad(header, (size_t)hl, aad, &adlen);
	blob = xmalloc(bloblen);
	randombytes_buf(blob, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + NONCE_BYTES, &clen, pt, len, ad, adlen,
	                                           NULL, blob, key);
	buf_append(out, header, (size_t)hl);
	enc = sodium_base64_ENCODED_LEN(bloblen, B64URL);
	buf_reserve(out, enc);
	sodium_bin2base64(out->data + out->len, enc, blob, bloblen, B64URL);
	out->len += enc - 1;
	free(blob);
	free(ad);
	return 0;
}

int
seal_decrypt(const char *text, const char *aad, struct buf *out)
{
	const struct secrets *s = secrets_get();
	const unsigned char *key;
	const char *body, *end = NULL;
	size_t hl, n, bloblen = 0, adlen;
	unsigned char *blob, *ad, *pt;
	unsigned long long ptlen = 0;
	int id = parse(text, &body, &hl), rc = -1;

	if (id < 0 || s == NULL || (key = secrets_field_key(s, (unsigned)id)) == NULL)
		return -1;
	n = strlen(body);
	/* libsodium 1.0.18 reads any byte >= 0x80 as '_': only one spelling may open. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)body[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return -1;
	}
	blob = xmalloc(n / 4 * 3 + 3);
	if (sodium_base642bin(blob, n / 4 * 3 + 3, body, n, NULL, &bloblen, &end, B64URL) != 0 ||
	    end != body + n || bloblen < NONCE_BYTES + TAG_BYTES) {
		free(blob);
		return -1;
	}
	ad = make_ad(text, hl, aad, &adlen);
	pt = xmalloc(bloblen - NONCE_BYTES - TAG_BYTES + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &ptlen, NULL, blob + NONCE_BYTES,
	                                               bloblen - NONCE_BYTES, ad, adlen, blob,
	                                               key) == 0) {
		buf_append(out, pt, (size_t)ptlen);
		rc = 0;
	}
	sodium_memzero(pt, bloblen - NONCE_BYTES - TAG_BYTES + 1);
	free(pt);
	free(ad);
	free(blob);
	return rc;
}
