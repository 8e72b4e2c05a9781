/*
 * token.h - random tokens and how they are stored.
 *
 * Session ids, refresh tokens, API tokens and email links are random
 * base64url strings. Only token_hash() of a token is stored, so a copy of the
 * database does not hand out working tokens.
 */
#ifndef BEACON_CORE_TOKEN_H
#define BEACON_CORE_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

/* Characters (with the NUL) token_random needs for a token of n random bytes. */
#define TOKEN_TEXT_SIZE(n) (((n)*4 + 2) / 3 + 1)
/* Hex SHA-256 plus NUL. */
#define TOKEN_HASH_SIZE 65

/*
 * Write bytes random bytes (from the system CSPRNG) as base64url without
 * padding into out, which holds TOKEN_TEXT_SIZE(bytes) characters. Use at
 * least 32 bytes for anything that grants access.
 */
void token_random(char *out, size_t bytes);

/* The lower-case hex SHA-256 of the token's text: the form that is stored. */
void token_hash(const char *token, char out[TOKEN_HASH_SIZE]);

/*
 * True when the strings are equal. The time taken does not depend on where
 * they differ (only on their lengths). NULL equals nothing.
 */
bool token_equal(const char *a, const char *b);

#endif
