/*
 * libFuzzer driver for password_check (never password_hash: Argon2id is
 * slow on purpose). Input: one byte L, then an email of L % 80 bytes (none
 * at all when L is 0xFF), then the password's bytes.
 *
 * The reason code is one of password.h's, and the first three rules are
 * checked exactly against an independent UTF-8 decoder: invalid_utf8, then
 * too_short (< 15 code points), then too_long (> 128). An accepted
 * password is also not one character or a pattern of up to 4 repeated, not
 * an ascending or descending run of digits or letters, not a blocklist
 * word (bare or with digits and punctuation around it), and does not hold
 * the email's local part. All rules ignore ASCII case, so the upper-cased
 * password gets the same verdict, and without an email only
 * contains_email can change (to accepted).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/password.h"
#include "core/password_blocklist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const reasons[] = {"invalid_utf8", "too_short", "too_long",
                                      "repetitive",   "common",    "contains_email"};

/*
 * Code points of well-formed UTF-8 (Unicode 3.9, no overlongs, surrogates or
 * values above U+10FFFF) into cp (when not NULL); -1 when malformed.
 */
static long
decode(const unsigned char *s, size_t n, uint32_t *cp, size_t max)
{
	size_t i = 0;
	long count = 0;

	while (i < n) {
		uint32_t c = s[i], min;
		size_t len;
		if (c < 0x80) {
			len = 1;
			min = 0;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			c &= 0x1F;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			c &= 0x0F;
			min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			c &= 0x07;
			min = 0x10000;
		} else {
			return -1;
		}
		if (n - i < len)
			return -1;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return -1;
		if (cp != NULL && (size_t)count < max)
			cp[count] = c >= 'A' && c <= 'Z' ? c + 32 : c;
		count++;
		i += len;
	}
	return count;
}

/* The blocklist's words in a hash table (open addressing), built on first use. */
struct word {
	const char *p;
	size_t n;
};
static struct word *table;
static size_t table_size;

static size_t
hash(const char *w, size_t n)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 1099511628211u;
	return (size_t)h;
}

static void
table_build(void)
{
	const char *t = password_blocklist_text, *end = t + strlen(t);

	table_size = 1;
	while (table_size < 4 * password_blocklist_count)
		table_size *= 2;
	table = calloc(table_size, sizeof(*table));
	while (t < end) {
		const char *nl = memchr(t, '\n', (size_t)(end - t));
		size_t n = nl != NULL ? (size_t)(nl - t) : (size_t)(end - t);
		size_t h = hash(t, n) & (table_size - 1);
		while (table[h].p != NULL)
			h = (h + 1) & (table_size - 1);
		table[h].p = t;
		table[h].n = n;
		t += n + 1;
	}
}

static bool
listed(const char *w, size_t n)
{
	size_t h;

	if (n == 0)
		return false;
	if (table == NULL)
		table_build();
	for (h = hash(w, n) & (table_size - 1); table[h].p != NULL;
	     h = (h + 1) & (table_size - 1)) {
		if (table[h].n == n && memcmp(table[h].p, w, n) == 0)
			return true;
	}
	return false;
}

static bool
padding(unsigned char c)
{
	return c >= 0x20 && c < 0x7F && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z');
}

/* One code point repeated, or a pattern of 2..4 repeated throughout. */
static bool
periodic(const uint32_t *cp, size_t n)
{
	for (size_t p = 1; p <= 4; p++) {
		size_t i = p;
		while (i < n && cp[i] == cp[i - p])
			i++;
		if (i >= n)
			return true;
	}
	return false;
}

/* The digit or (folded) letter after c going up (dir 1) or down; 0 when none. */
static uint32_t
next(uint32_t c, int dir)
{
	if (c >= '0' && c <= '9') {
		if (dir > 0)
			return c == '9' ? '0' : c + 1; /* 123456789012345 */
		return c == '0' ? '9' : c - 1;
	}
	if (c >= 'a' && c <= 'z') {
		if (dir > 0)
			return c == 'z' ? 0 : c + 1;
		return c == 'a' ? 0 : c - 1;
	}
	return 0;
}

/* A run such as "123456789012345" or "zyxwv...". */
static bool
run(const uint32_t *cp, size_t n, int dir)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t want = next(cp[i - 1], dir);
		if (want == 0 || cp[i] != want)
			return false;
	}
	return true;
}

/* hay holds needle, ASCII letters folded. */
static bool
holds(const char *hay, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m) {
			unsigned char a = (unsigned char)hay[i + j], b = (unsigned char)needle[j];
			if (a >= 'A' && a <= 'Z')
				a += 32;
			if (b >= 'A' && b <= 'Z')
				b += 32;
			if (a != b)
				break;
			j++;
		}
		if (j == m)
			return true;
	}
	return false;
}

static void
check_accepted(const char *pw, size_t len, const char *email, long count)
{
	uint32_t cp[PASSWORD_MAX_CHARS];
	char lower[PASSWORD_MAX_BYTES];
	size_t a = 0, b = len;

	if (len > sizeof(lower) ||
	    decode((const unsigned char *)pw, len, cp, PASSWORD_MAX_CHARS) != count)
		abort();
	if (periodic(cp, (size_t)count) || run(cp, (size_t)count, 1) || run(cp, (size_t)count, -1))
		abort();
	for (size_t i = 0; i < len; i++)
		lower[i] = pw[i] >= 'A' && pw[i] <= 'Z' ? (char)(pw[i] + 32) : pw[i];
	if (listed(lower, len))
		abort();
	while (a < b && padding((unsigned char)lower[a]))
		a++;
	while (b > a && padding((unsigned char)lower[b - 1]))
		b--;
	if (listed(lower + a, b - a))
		abort();
	if (email != NULL) {
		const char *at = strrchr(email, '@');
		if (at != NULL) {
			long local =
			    decode((const unsigned char *)email, (size_t)(at - email), NULL, 0);
			if (local >= 4 && holds(pw, len, email, (size_t)(at - email)))
				abort();
		}
	}
}

static int
check(const char *pw, size_t len, const char *email, const char **reason)
{
	int rc;

	*reason = "unset";
	rc = password_check(pw, len, email, reason);
	if (rc == 0)
		return 0;
	if (rc != -1 || *reason == NULL)
		abort();
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (strcmp(*reason, reasons[i]) == 0) {
			*reason = reasons[i];
			return -1;
		}
	}
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char email[80], *pw, *upper;
	const char *emailp = NULL, *reason, *reason2;
	size_t elen = 0, len;
	long count;
	int rc;

	if (size == 0)
		return 0;
	if (data[0] != 0xFF) {
		elen = data[0] % 80;
		if (elen > size - 1)
			elen = size - 1;
		memcpy(email, data + 1, elen);
		email[elen < sizeof(email) ? elen : sizeof(email) - 1] = '\0';
		emailp = email;
	}
	len = size - 1 - elen;
	/* A heap copy of exactly len bytes, so ASan sees any read past the end. */
	pw = malloc(len > 0 ? len : 1);
	memcpy(pw, data + 1 + elen, len);

	rc = check(pw, len, emailp, &reason);
	count = decode((const unsigned char *)pw, len, NULL, 0);
	if (count < 0) {
		if (rc == 0 || reason != reasons[0])
			abort();
	} else if (count < PASSWORD_MIN_CHARS) {
		if (rc == 0 || reason != reasons[1])
			abort();
	} else if (count > PASSWORD_MAX_CHARS) {
		if (rc == 0 || reason != reasons[2])
			abort();
	} else if (rc != 0) {
		if (reason == reasons[0] || reason == reasons[1] || reason == reasons[2])
			abort();
		if (reason == reasons[5] && emailp == NULL)
			abort();
	} else {
		check_accepted(pw, len, emailp, count);
	}

	/* The same verdict with ASCII letters upper-cased. */
	upper = malloc(len > 0 ? len : 1);
	for (size_t i = 0; i < len; i++)
		upper[i] = pw[i] >= 'a' && pw[i] <= 'z' ? (char)(pw[i] - 32) : pw[i];
	if (check(upper, len, emailp, &reason2) != rc || (rc != 0 && reason2 != reason))
		abort();
	free(upper);

	/* Without an email only contains_email changes, to accepted. */
	if (emailp != NULL) {
		int rc2 = check(pw, len, NULL, &reason2);
		if (rc == 0 || reason == reasons[5]) {
			if (rc2 != 0)
				abort();
		} else if (rc2 == 0 || reason2 != reason) {
			abort();
		}
	}
	free(pw);
	return 0;
}
