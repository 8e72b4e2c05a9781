#include "token.h"

#include <sodium.h>
#include <string.h>

#include "core/secrets.h"

/*
 * Why plain SHA-256 and not a hash keyed with secrets_subkey("token"): the
 * tokens hashed here are 32+ random bytes, so nobody can guess one from its
 * hash with or without a key; a key would add nothing against a stolen
 * table, but rotating jwt_key would then silently invalidate every stored
 * session, API token and email link. Passwords, which are guessable, go
 * through Argon2id (password.h) instead.
 */

void
token_random(char *out, size_t bytes)
{
	unsigned char raw[256];

	secrets_sodium_init();
	while (bytes > 0) {
		/* Whole groups of 3 bytes encode without padding, so chunks can be concatenated. */
		size_t n = bytes > sizeof(raw) - 1 ? sizeof(raw) - 1 : bytes;
		randombytes_buf(raw, n);
		sodium_bin2base64(out, TOKEN_TEXT_SIZE(n), raw, n,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		out += strlen(out);
		bytes -= n;
	}
	*out = '\0';
	sodium_memzero(raw, sizeof(raw));
}

void
token_hash(const char *token, char out[TOKEN_HASH_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, TOKEN_HASH_SIZE, h, sizeof(h));
}

bool
token_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return false;
	n = strlen(a);
	if (strlen(b) != n)
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
