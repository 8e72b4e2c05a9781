/*
 * secrets.h - the keys Beacon runs on, from the secrets file.
 *
 * The file named by BEACON_SECRETS_FILE (default var/secrets) holds lines
 * "name = value"; '#' starts a comment line, blank lines are ignored:
 *
 *   jwt_key = BASE64             master key, 32 to 64 bytes decoded
 *   field_key.N = BASE64         field encryption key N (1..65535), 32 bytes
 *   field_key_current = N        the field key new values are sealed with
 *   smtp_password = TEXT         optional, plain text to the end of the line
 *
 * Keys are standard base64 (with padding). BEACON_JWT_KEY (base64) replaces
 * the file's jwt_key. The file must not be readable by group or others.
 * Key material is never logged and is wiped when freed.
 *
 * jwt_key is a master key: code never uses it directly but derives one key
 * per purpose with secrets_subkey ("jwt" for access tokens, "csrf", ...),
 * so one secret never serves two purposes.
 */
#ifndef BEACON_CORE_SECRETS_H
#define BEACON_CORE_SECRETS_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

#define SECRETS_JWT_KEY_MIN 32 /* RFC 8725 3.5: at least 256 bits for HS256 */
#define SECRETS_JWT_KEY_MAX 64 /* the largest key BLAKE2b (secrets_subkey) takes */
#define SECRETS_FIELD_KEY_BYTES 32
#define SECRETS_SUBKEY_BYTES 32

struct secrets_field_key {
	uint16_t id; /* 1..65535 */
	unsigned char key[SECRETS_FIELD_KEY_BYTES];
};

struct secrets {
	unsigned char jwt_key[SECRETS_JWT_KEY_MAX];
	size_t jwt_key_len;
	struct secrets_field_key *field_keys; /* in file order */
	size_t nfield_keys;
	uint16_t field_key_current;
	char *smtp_password; /* NULL when the file has none */
};

/* Initialise libsodium (idempotent, call before forking workers); aborts if it cannot. */
void secrets_sodium_init(void);

/*
 * Read cfg->secrets_file (and BEACON_JWT_KEY) into s. Returns 0, or -1 with
 * one line in err that begins with the variable's name, for example
 * "BEACON_SECRETS_FILE: var/secrets: line 4: unknown name \"jwtkey\"".
 * Refused: a missing or unreadable file, one readable or writable by group
 * or others, unknown or repeated names, malformed base64, a jwt_key outside
 * 32..64 bytes, a field key that is not 32 bytes, no field key, and a
 * field_key_current naming no key. On failure s holds nothing to free.
 */
int secrets_load(const struct config *cfg, struct secrets *s, char *err, size_t errlen);

/* Wipe and release everything s holds; s is empty afterwards. */
void secrets_free(struct secrets *s);

/*
 * Create a new secrets file at path with mode 0600 holding a random jwt_key
 * and field_key.1 (current). Never replaces an existing file (O_EXCL).
 * Returns 0, or -1 with "BEACON_SECRETS_FILE: ..." in err.
 */
int secrets_generate(const char *path, char *err, size_t errlen);

/* The process-wide secrets once loaded (NULL before secrets_set_global). */
const struct secrets *secrets_get(void);
/* Make s the process-wide secrets; s must outlive its use (NULL clears). */
void secrets_set_global(struct secrets *s);

/*
 * Field key number id of s, or NULL when s has no such key.
 */
const unsigned char *secrets_field_key(const struct secrets *s, unsigned id);

/*
 * Derive the 32-byte key for purpose (a short constant such as "jwt",
 * "csrf", "token") from the global jwt_key with keyed BLAKE2b. Different
 * purposes give independent keys. Aborts when no secrets are loaded: that
 * is a start-up bug, not a runtime condition.
 */
void secrets_subkey(const char *purpose, unsigned char out[SECRETS_SUBKEY_BYTES]);

#endif
