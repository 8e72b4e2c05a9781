#include "totp.h"

#include <liboath/oath.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "core/secrets.h"

/* Recovery-code characters: digits and lower-case letters without 0, 1, i, l, o. */
static const char recovery_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";

static void
oath_ready(void)
{
	static bool done;

	if (done)
		return;
	if (oath_init() != OATH_OK) {
		fputs("beacon: liboath cannot initialise\n", stderr);
		abort();
	}
	done = true;
}

void
totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES])
{
	secrets_sodium_init();
	randombytes_buf(secret, TOTP_SECRET_BYTES);
}

void
totp_secret_base32(const unsigned char *secret, size_t len, bool grouped, struct buf *out)
{
	char *b32 = NULL;
	size_t n = 0;

	oath_ready();
	if (oath_base32_encode((const char *)secret, len, &b32, &n) != OATH_OK) {
		fputs("beacon: out of memory\n", stderr);
		abort();
	}
	/* Padding is optional in otpauth URIs and some apps refuse it. */
	while (n > 0 && b32[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		if (grouped && i > 0 && i % 4 == 0)
			buf_putc(out, ' ');
		buf_putc(out, b32[i]);
	}
	sodium_memzero(b32, n);
	free(b32);
}

void
totp_uri(const unsigned char *secret, size_t len, const char *email, struct buf *out)
{
	buf_puts(out, "otpauth://totp/Beacon:");
	html_urlenc(out, email);
	buf_puts(out, "?secret=");
	totp_secret_base32(secret, len, false, out);
	buf_printf(out, "&issuer=Beacon&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
	           TOTP_STEP_SECONDS);
}

int
totp_hotp(const unsigned char *secret, size_t len, uint64_t counter, unsigned digits, char *out)
{
	oath_ready();
	if (digits < 6 || digits > 8)
		return -1;
	return oath_hotp_generate((const char *)secret, len, counter, digits, false,
	                          OATH_HOTP_DYNAMIC_TRUNCATION, out) == OATH_OK
	           ? 0
	           : -1;
}

int
totp_generate(const unsigned char *secret, size_t len, time_t now, unsigned digits, char *out)
{
	oath_ready();
	if (digits < 6 || digits > 8)
		return -1;
	return oath_totp_generate((const char *)secret, len, now, TOTP_STEP_SECONDS,
	                          OATH_TOTP_DEFAULT_START_TIME, digits, out) == OATH_OK
	           ? 0
	           : -1;
}

int
totp_verify(const unsigned char *secret, size_t len, const char *code_text, time_t now,
            int64_t last_step, int64_t *matched_step)
{
	char code[TOTP_DIGITS + 1];
	size_t n = 0;
	int64_t step, found = -1;

	if (code_text == NULL || now < 0)
		return -1;
	for (const char *p = code_text; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
			return -1;
		code[n++] = *p;
	}
	if (n != TOTP_DIGITS)
		return -1;
	code[n] = '\0';
	step = (int64_t)now / TOTP_STEP_SECONDS;
	/* Every step in the window is computed and compared, whatever matched before. */
	for (int64_t s = step - TOTP_WINDOW; s <= step + TOTP_WINDOW; s++) {
		char want[TOTP_DIGITS + 1];
		if (s < 0 || totp_hotp(secret, len, (uint64_t)s, TOTP_DIGITS, want) != 0)
			continue;
		if (sodium_memcmp(want, code, TOTP_DIGITS) == 0 && s > last_step && found < 0)
			found = s;
	}
	sodium_memzero(code, sizeof(code));
	if (found < 0)
		return -1;
	*matched_step = found;
	return 0;
}

void
totp_recovery_code(char out[TOTP_RECOVERY_SIZE])
{
	size_t k = 0;

	secrets_sodium_init();
	for (int i = 0; i < 10; i++) {
		if (i == 5)
			out[k++] = '-';
		out[k++] = recovery_alphabet[randombytes_uniform(sizeof(recovery_alphabet) - 1)];
	}
	out[k] = '\0';
}

int
totp_recovery_normalize(const char *in, char out[TOTP_RECOVERY_SIZE])
{
	size_t n = 0;

	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c == '\0' || strchr(recovery_alphabet, c) == NULL || n == 11)
			return -1;
		if (n == 5)
			out[n++] = '-';
		out[n++] = c;
	}
	if (n != 11)
		return -1;
	out[n] = '\0';
	return 0;
}
