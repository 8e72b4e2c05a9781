/*
 * seal.h - field encryption at rest (XChaCha20-Poly1305, libsodium).
 *
 * A sealed value is the text "s1.<key id>.<base64url(nonce || ciphertext)>",
 * made with the current field key of the global secrets (secrets.h). The
 * associated data names the value's place, "<table>.<column>:<row id>"
 * (e.g. "users.totp_secret:42"), so a sealed value copied to another row or
 * column no longer opens. The version and key id are authenticated too.
 * Keys are rotated with `beaconctl rotate-key` (docs/configuration.md).
 */
#ifndef BEACON_CORE_SEAL_H
#define BEACON_CORE_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/*
 * Append the sealed text of pt[0..len) bound to aad to out. Returns 0, or
 * -1 (out unchanged) when no secrets are loaded.
 */
int seal_encrypt(const void *pt, size_t len, const char *aad, struct buf *out);

/*
 * Append the plaintext of a sealed text to out. Returns 0, or -1 (out
 * unchanged) when the text is malformed, its key is not loaded, it was
 * altered, or aad differs from the one it was sealed with. Wipe out after
 * use (sodium_memzero) when it holds a secret.
 */
int seal_decrypt(const char *text, const char *aad, struct buf *out);

/* The key id of a sealed text (1..65535), or -1 when text is not one. */
int seal_key_id(const char *text);

/*
 * True when text should be sealed again: its key id is not the current
 * field key, or it is not a sealed text at all.
 */
bool seal_needs_rotation(const char *text);

#endif
