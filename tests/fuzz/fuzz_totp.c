/*
 * libFuzzer driver for totp_verify and totp_recovery_normalize.
 *
 * Input: four bytes of clock (now, Unix seconds), one byte for last_step
 * (0xFF: none, else step - 3 + b % 7), one byte of mode, then text:
 *
 *   mode even  the text is the code as typed;
 *   mode odd   the code of step - 2 + text[0] % 5 (liboath's HOTP, not
 *              Beacon's) is typed with the rest of the text as edits
 *              (position, character) inserted: spaces, digits, others.
 *
 * totp_verify must accept exactly when, with spaces removed, the text is
 * six ASCII digits equal to the code of a step in now/30 - 1 .. now/30 + 1
 * later than last_step, and report such a step. The same text goes through
 * totp_recovery_normalize, which must agree with a reference (spaces and
 * hyphens dropped, ASCII upper case folded, ten characters of
 * 23456789abcdefghjkmnpqrstuvwxyz) and be canonical: normalising its output,
 * or the output upper-cased, gives it back.
 */
#include <liboath/oath.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char SECRET[TOTP_SECRET_BYTES] = "12345678901234567890";
static const char ALPHABET[] = "23456789abcdefghjkmnpqrstuvwxyz";

/* RFC 4226 HOTP of step s straight from liboath. */
static void
hotp(int64_t s, char out[TOTP_DIGITS + 1])
{
	if (oath_hotp_generate((const char *)SECRET, sizeof(SECRET), (uint64_t)s, TOTP_DIGITS,
	                       false, OATH_HOTP_DYNAMIC_TRUNCATION, out) != OATH_OK)
		abort();
}

static void
check_verify(const char *text, time_t now, int64_t last_step)
{
	char code[TOTP_DIGITS + 1], want[TOTP_DIGITS + 1];
	size_t n = 0;
	bool digits = true, any = false;
	int64_t step = (int64_t)now / TOTP_STEP_SECONDS, matched = -1;
	int rc;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == TOTP_DIGITS) {
			digits = false;
			break;
		}
		code[n++] = *p;
	}
	code[n] = '\0';
	digits = digits && n == TOTP_DIGITS;
	for (int64_t s = step - TOTP_WINDOW; digits && s <= step + TOTP_WINDOW; s++) {
		if (s < 0 || s <= last_step)
			continue;
		hotp(s, want);
		if (strcmp(want, code) == 0)
			any = true;
	}
	rc = totp_verify(SECRET, sizeof(SECRET), text, now, last_step, &matched);
	if (rc != (any ? 0 : -1))
		abort();
	if (rc == 0) {
		/* The step is in the window, after last_step, and this is its code. */
		if (matched < step - TOTP_WINDOW || matched > step + TOTP_WINDOW ||
		    matched <= last_step || matched < 0)
			abort();
		hotp(matched, want);
		if (strcmp(want, code) != 0)
			abort();
		/* Passed back as last_step, the code matches no step up to it again. */
		int64_t first = matched;
		if (totp_verify(SECRET, sizeof(SECRET), text, now, first, &matched) == 0 &&
		    matched <= first)
			abort();
	}
}

static void
check_recovery(const char *text)
{
	char ref[TOTP_RECOVERY_SIZE], out[TOTP_RECOVERY_SIZE + 4], again[TOTP_RECOVERY_SIZE + 4],
	    upper[TOTP_RECOVERY_SIZE];
	size_t n = 0;
	bool ok = true;
	int rc;

	for (const char *p = text; *p != '\0' && ok; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (strchr(ALPHABET, c) == NULL || n == 10) {
			ok = false;
			break;
		}
		if (n == 5)
			ref[n + 0] = '-';
		ref[n < 5 ? n : n + 1] = c;
		n++;
	}
	ok = ok && n == 10;
	if (ok)
		ref[11] = '\0';
	memset(out, 'x', sizeof(out));
	rc = totp_recovery_normalize(text, out);
	if (rc != (ok ? 0 : -1))
		abort();
	if (rc != 0)
		return;
	if (strcmp(out, ref) != 0 || out[5] != '-' || strlen(out) != 11)
		abort();
	for (size_t i = 0; i < 11; i++) {
		if (i != 5 && strchr(ALPHABET, out[i]) == NULL)
			abort();
	}
	if (totp_recovery_normalize(out, again) != 0 || strcmp(again, out) != 0)
		abort();
	for (size_t i = 0; i < 12; i++)
		upper[i] = out[i] >= 'a' && out[i] <= 'z' ? (char)(out[i] - 32) : out[i];
	if (totp_recovery_normalize(upper, again) != 0 || strcmp(again, out) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	time_t now;
	int64_t step, last_step;
	char *text;
	const uint8_t *rest;
	size_t n;

	if (size < 6)
		return 0;
	if (!ready) {
		if (oath_init() != OATH_OK)
			abort();
		ready = true;
	}
	now = (time_t)((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 |
	               data[3]);
	step = (int64_t)now / TOTP_STEP_SECONDS;
	last_step = data[4] == 0xFF ? -1 : step - 3 + data[4] % 7;
	rest = data + 6;
	n = size - 6;
	text = malloc(n + TOTP_DIGITS + 1);
	if (data[5] % 2 == 0) {
		memcpy(text, rest, n);
		text[n] = '\0';
	} else {
		static const char typed[] = " 0123456789-aA\t";
		int64_t s = step - 2 + (n > 0 ? rest[0] % 5 : 2);
		size_t len = TOTP_DIGITS;
		if (s >= 0)
			hotp(s, text);
		else
			memcpy(text, "000000", TOTP_DIGITS + 1);
		for (size_t i = 1; i + 2 <= n; i += 2) {
			size_t pos = rest[i] * (len + 1) / 256;
			memmove(text + pos + 1, text + pos, len - pos + 1);
			text[pos] = typed[rest[i + 1] % (sizeof(typed) - 1)];
			len++;
		}
	}
	check_verify(text, now, last_step);
	check_recovery(text);
	free(text);
	return 0;
}
