/*
 * password.h - password rules and storage (NIST SP 800-63B).
 *
 * Rules (SP 800-63B 5.1.1.2 / 3.1.1.2): at least 15 and at most 128
 * characters (Unicode code points), any characters, no composition rules,
 * refused when common, derived from the account's email, or repetitive or
 * sequential. Storage: Argon2id through libsodium, with the parameters in
 * the stored string so they can be raised later (password_needs_rehash).
 */
#ifndef BEACON_CORE_PASSWORD_H
#define BEACON_CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* SP 800-63B: at least 15 characters for a password used alone (we use it for all). */
#define PASSWORD_MIN_CHARS 15
/* SP 800-63B asks for at least 64; longer passphrases are welcome up to this. */
#define PASSWORD_MAX_CHARS 128
/* The longest password in bytes (128 code points of up to 4 bytes each). */
#define PASSWORD_MAX_BYTES (PASSWORD_MAX_CHARS * 4)

/*
 * Argon2id parameters: OWASP Password Storage Cheat Sheet (the Argon2id
 * line that PRODUCT.md's standards cite): m = 19 MiB, t = 2, p = 1. libsodium
 * always uses one lane (p = 1). They are written into each stored hash.
 */
#define PASSWORD_ARGON2_OPSLIMIT 2ULL
#define PASSWORD_ARGON2_MEMLIMIT ((size_t)19 * 1024 * 1024)
/* Room for a stored hash with its NUL (libsodium's crypto_pwhash_STRBYTES). */
#define PASSWORD_HASH_SIZE 128

/*
 * Check a new password (len bytes at pw) for the account with this email
 * (may be NULL). Returns 0, or -1 with *reason_code set to a stable code.
 * Length is counted as typed; the other rules judge the NFKC form, which
 * is also what password_hash stores and password_verify compares (SP 800-63B
 * 5.1.1.2), so one password typed on different keyboards stays one password.
 * Checked in this order: "invalid_utf8", "too_short" (< 15 code points),
 * "too_long" (> 128), "repetitive" (one character, or a pattern of up to 4
 * characters, repeated throughout; or a run such as 123456789012345 or
 * zyxwv...), "common" (on the blocklist, compared case-insensitively, also
 * when a listed word is repeated or padded with digits or punctuation to
 * reach the length: "passwordpassword", "Password1234567"),
 * "contains_email" (contains the email's local part when that has at least
 * 4 characters, case-insensitively).
 */
int password_check(const char *pw, size_t len, const char *email, const char **reason_code);

/*
 * Hash the password with Argon2id into out (outlen >= PASSWORD_HASH_SIZE),
 * a NUL-terminated "$argon2id$v=19$m=19456,t=2,p=1$..." string. Every byte
 * counts (no truncation). Returns 0, or -1 when outlen is too small,
 * len > PASSWORD_MAX_BYTES or memory for Argon2 cannot be had.
 */
int password_hash(const char *pw, size_t len, char *out, size_t outlen);

/*
 * True when the password matches the stored hash (any Argon2 parameters).
 * False for a malformed hash or len > PASSWORD_MAX_BYTES.
 */
bool password_verify(const char *hash, const char *pw, size_t len);

/*
 * True when the stored hash was made with other parameters or another
 * algorithm than today's (or is malformed): rehash it at the next sign-in.
 */
bool password_needs_rehash(const char *hash);

#endif
