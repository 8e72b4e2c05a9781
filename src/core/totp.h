/*
 * totp.h - two-factor codes: TOTP (RFC 6238) through liboath, and recovery codes.
 *
 * Beacon's TOTP is what authenticator apps expect: HMAC-SHA-1, 6 digits, a
 * 30-second step from the Unix epoch, 20-byte secrets. A code is accepted
 * for the current step and one step either side (RFC 6238 section 5.2) and
 * only once: the caller stores the matched step and passes it back as
 * last_step, so a code, or an older one, never works twice.
 */
#ifndef BEACON_CORE_TOTP_H
#define BEACON_CORE_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/buf.h"

#define TOTP_SECRET_BYTES 20 /* RFC 4226 4: 160 bits recommended */
#define TOTP_DIGITS 6
#define TOTP_STEP_SECONDS 30
#define TOTP_WINDOW 1 /* steps accepted either side of now */
/* "xxxxx-xxxxx" plus NUL. */
#define TOTP_RECOVERY_SIZE 12

/* Fill secret with TOTP_SECRET_BYTES random bytes. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES]);

/*
 * Append the secret in base32 (RFC 4648, no padding: what apps accept for
 * manual entry). grouped puts a space after every 4 characters for reading
 * aloud or typing ("ABCD EFGH ...").
 */
void totp_secret_base32(const unsigned char *secret, size_t len, bool grouped, struct buf *out);

/*
 * Append the otpauth:// URI an authenticator app reads from a QR code:
 * otpauth://totp/Beacon:EMAIL?secret=BASE32&issuer=Beacon&algorithm=SHA1&digits=6&period=30
 * with EMAIL percent-encoded.
 */
void totp_uri(const unsigned char *secret, size_t len, const char *email, struct buf *out);

/*
 * The HOTP value (RFC 4226) for counter with digits digits (6..8) into out
 * (digits + 1 bytes). Returns 0 or -1. Used by tests; TOTP is HOTP of the step.
 */
int totp_hotp(const unsigned char *secret, size_t len, uint64_t counter, unsigned digits,
              char *out);

/* The TOTP value at time now with digits digits (6..8) into out. Returns 0 or -1. */
int totp_generate(const unsigned char *secret, size_t len, time_t now, unsigned digits, char *out);

/*
 * Check code_text typed by the user at time now. Accepted: exactly 6 ASCII
 * digits once spaces are removed, equal to the code of step now/30 - 1,
 * now/30 or now/30 + 1, where that step is greater than last_step. On
 * success returns 0 and stores the step in *matched_step (store it as the
 * new last_step); otherwise -1.
 */
int totp_verify(const unsigned char *secret, size_t len, const char *code_text, time_t now,
                int64_t last_step, int64_t *matched_step);

/*
 * A new recovery code: 10 random characters from an alphabet without look-alikes
 * (no 0/o, 1/i/l), written "xxxxx-xxxxx" (about 49 bits).
 */
void totp_recovery_code(char out[TOTP_RECOVERY_SIZE]);

/*
 * The canonical form of a recovery code as typed: case, spaces and hyphens
 * do not matter ("ABCDE FGHJK" -> "abcde-fghjk"). Returns 0, or -1 when the
 * text is not 10 characters of the alphabet. Compare (or hash) canonical forms.
 */
int totp_recovery_normalize(const char *in, char out[TOTP_RECOVERY_SIZE]);

#endif
