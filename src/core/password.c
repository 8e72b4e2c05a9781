#include "password.h"

#include <assert.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>

#include "core/mem.h"
#include "core/password_blocklist.h"
#include "core/secrets.h"
#include "core/utf8.h"

static_assert(PASSWORD_HASH_SIZE == crypto_pwhash_STRBYTES, "stored hash size");
/* libsodium takes passwords of any length up to crypto_pwhash_PASSWD_MAX (4 GiB): no truncation. */
static_assert(PASSWORD_MAX_BYTES <= crypto_pwhash_PASSWD_MAX, "no truncation");
static_assert(PASSWORD_ARGON2_MEMLIMIT >= crypto_pwhash_MEMLIMIT_MIN, "memlimit");

/*
 * Room for the NFKC form of the longest password. One code point expands to
 * at most 18 (U+FDFA), about 11 times its bytes; 512 bytes stay under 5,700.
 */
#define NFKC_MAX 8192

/*
 * The NFKC form of pw (SP 800-63B 5.1.1.2: the same password typed on
 * another keyboard, composed "é" or "e" + combining accent, full-width
 * letters, must match). Returns its length in out, or (size_t)-1 when pw is
 * not UTF-8 or the form does not fit.
 */
static size_t
nfkc(const char *pw, size_t len, char out[NFKC_MAX])
{
	size_t n = NFKC_MAX;
	uint8_t *r = u8_normalize(UNINORM_NFKC, (const uint8_t *)pw, len, (uint8_t *)out, &n);
	if (r == NULL)
		return (size_t)-1;
	if (r != (uint8_t *)out) {
		sodium_memzero(r, n);
		free(r);
		return (size_t)-1;
	}
	return n;
}

/*
 * Offsets of the blocklist's words in password_blocklist_text, built on
 * first use (in Kore's parent when it checks a password before forking, else
 * once per worker: about 0.5 ms and 200 KB).
 */
static uint32_t *blocklist_index;

static void
blocklist_build(void)
{
	uint32_t *idx = xmalloc(password_blocklist_count * sizeof(*idx));
	size_t n = 0, off = 0;

	while (n < password_blocklist_count) {
		idx[n++] = (uint32_t)off;
		off += strcspn(password_blocklist_text + off, "\n") + 1;
	}
	blocklist_index = idx;
}

/* Compare key[0..n) with the word at offset off (ending with '\n'), like strcmp. */
static int
word_cmp(const char *key, size_t n, uint32_t off)
{
	const unsigned char *w = (const unsigned char *)password_blocklist_text + off;

	for (size_t i = 0; i < n; i++) {
		if (w[i] == '\n')
			return 1;
		if ((unsigned char)key[i] != w[i])
			return (unsigned char)key[i] < w[i] ? -1 : 1;
	}
	return w[n] == '\n' ? 0 : -1;
}

/* True when the lower-case bytes s[0..n) are a word of the blocklist. */
static bool
blocklisted(const char *s, size_t n)
{
	size_t lo = 0, hi = password_blocklist_count;

	if (n == 0)
		return false;
	if (blocklist_index == NULL)
		blocklist_build();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = word_cmp(s, n, blocklist_index[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static bool
is_digit_or_punct(unsigned char c)
{
	return (c >= '0' && c <= '9') ||
	       (c >= 0x20 && c < 0x7F && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z'));
}

/* s[0..n) without leading and trailing ASCII digits, punctuation and spaces. */
static void
trim_padding(const char *s, size_t n, size_t *start, size_t *len)
{
	size_t a = 0, b = n;

	while (a < b && is_digit_or_punct((unsigned char)s[a]))
		a++;
	while (b > a && is_digit_or_punct((unsigned char)s[b - 1]))
		b--;
	*start = a;
	*len = b - a;
}

/*
 * True when s[0..n) (lower case) is a blocklisted word, or a listed word
 * repeated ("passwordpassword", "dragondragondrag"), possibly a listed word
 * with digits repeated ("monkey12monkey12").
 */
static bool
common_core(const char *s, size_t n)
{
	if (blocklisted(s, n))
		return true;
	for (size_t p = 1; p < n; p++) {
		size_t i = p, us, ul;
		while (i < n && s[i] == s[i - p])
			i++;
		if (i < n)
			continue;
		/* s repeats its first p bytes throughout. */
		if (blocklisted(s, p))
			return true;
		trim_padding(s, p, &us, &ul);
		if (ul < p && blocklisted(s + us, ul))
			return true;
	}
	return false;
}

/* The "common" rule on the ASCII-lower-cased password. */
static bool
is_common(const char *lower, size_t n)
{
	size_t start, len;

	if (common_core(lower, n))
		return true;
	trim_padding(lower, n, &start, &len);
	return len > 0 && len < n && common_core(lower + start, len);
}

/* ASCII letters in lower case, other code points as they are. */
static uint32_t
fold(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* The code point after c going up (dir 1) or down (dir -1), digits and letters wrapping around. */
static uint32_t
step_cp(uint32_t c, int dir)
{
	if (dir > 0) {
		if (c == '9')
			return '0';
		if (c == 'z')
			return 'a';
		return c + 1;
	}
	if (c == '0')
		return '9';
	if (c == 'a')
		return 'z';
	return c - 1;
}

/* The "repetitive" rule on n >= 2 case-folded code points. */
static bool
is_repetitive(const uint32_t *cp, size_t n)
{
	for (size_t p = 1; p <= 4; p++) {
		size_t i = p;
		while (i < n && cp[i] == cp[i - p])
			i++;
		if (i >= n)
			return true;
	}
	for (int dir = -1; dir <= 1; dir += 2) {
		size_t i = 1;
		while (i < n && cp[i] == step_cp(cp[i - 1], dir))
			i++;
		if (i >= n)
			return true;
	}
	return false;
}

/* True when needle[0..m) occurs in hay[0..n), ASCII letters compared case-insensitively. */
static bool
contains_folded(const char *hay, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && fold((unsigned char)hay[i + j]) == fold((unsigned char)needle[j]))
			j++;
		if (j == m)
			return true;
	}
	return false;
}

/* Code points in s[0..n) (valid UTF-8). */
static size_t
count_cps(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	}
	return count;
}

/* The email's local part and, for "name+tag@", the part before '+', when >= 4 characters. */
static bool
contains_email(const char *pw, size_t len, const char *email)
{
	const char *at;
	size_t local, plus;

	if (email == NULL || (at = strrchr(email, '@')) == NULL)
		return false;
	local = (size_t)(at - email);
	if (count_cps(email, local) >= 4 && contains_folded(pw, len, email, local))
		return true;
	plus = strcspn(email, "+");
	return plus < local && count_cps(email, plus) >= 4 && contains_folded(pw, len, email, plus);
}

int
password_check(const char *pw, size_t len, const char *email, const char **reason_code)
{
	size_t n = 0;

	if (!utf8_valid(pw, len)) {
		*reason_code = "invalid_utf8";
		return -1;
	}
	/*
	 * Length counts what was typed; the other rules judge the NFKC form of
	 * the password with ASCII letters lower-cased first, so case never
	 * changes a verdict ("y" + ring above composes to one letter, "Y" + ring
	 * above does not).
	 */
	n = count_cps(pw, len);
	if (n < PASSWORD_MIN_CHARS) {
		*reason_code = "too_short";
		return -1;
	}
	if (n > PASSWORD_MAX_CHARS) {
		*reason_code = "too_long";
		return -1;
	}
	char typed[PASSWORD_MAX_BYTES], norm[NFKC_MAX];
	if (len > sizeof(typed)) {
		*reason_code = "too_long";
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		typed[i] = (char)fold((unsigned char)pw[i]);
	size_t nlen = nfkc(typed, len, norm);
	sodium_memzero(typed, sizeof(typed));
	if (nlen == (size_t)-1) {
		sodium_memzero(norm, sizeof(norm));
		*reason_code = "too_long";
		return -1;
	}
	pw = norm;
	len = nlen;
	n = count_cps(pw, len);
	uint32_t *cps = xmalloc(n * sizeof(*cps));
	char *lower = xmalloc(len);
	int rc = -1;
	for (size_t i = 0, k = 0; i < len; k++) {
		uint32_t c;
		i += utf8_decode(pw + i, len - i, &c);
		cps[k] = fold(c);
	}
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)fold((unsigned char)pw[i]);
	if (is_repetitive(cps, n))
		*reason_code = "repetitive";
	else if (is_common(lower, len))
		*reason_code = "common";
	else if (contains_email(pw, len, email))
		*reason_code = "contains_email";
	else {
		*reason_code = NULL;
		rc = 0;
	}
	sodium_memzero(norm, sizeof(norm));
	sodium_memzero(lower, len);
	sodium_memzero(cps, n * sizeof(*cps));
	free(lower);
	free(cps);
	return rc;
}

int
password_hash(const char *pw, size_t len, char *out, size_t outlen)
{
	secrets_sodium_init();
	if (outlen < PASSWORD_HASH_SIZE || len > PASSWORD_MAX_BYTES)
		return -1;
	char norm[NFKC_MAX];
	size_t nlen = nfkc(pw, len, norm);
	if (nlen == (size_t)-1) {
		sodium_memzero(norm, sizeof(norm));
		return -1;
	}
	int rc = crypto_pwhash_str_alg(out, norm, nlen, PASSWORD_ARGON2_OPSLIMIT,
	                               PASSWORD_ARGON2_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
	sodium_memzero(norm, sizeof(norm));
	return rc == 0 ? 0 : -1;
}

bool
password_verify(const char *hash, const char *pw, size_t len)
{
	secrets_sodium_init();
	if (hash == NULL || len > PASSWORD_MAX_BYTES ||
	    strnlen(hash, PASSWORD_HASH_SIZE) == PASSWORD_HASH_SIZE)
		return false;
	char norm[NFKC_MAX];
	size_t nlen = nfkc(pw, len, norm);
	bool ok = nlen != (size_t)-1 && crypto_pwhash_str_verify(hash, norm, nlen) == 0;
	/*
	 * Hashes made before passwords were normalised hold the bytes as typed;
	 * try those too when normalising changed them (never for ASCII).
	 */
	if (!ok && (nlen != len || memcmp(norm, pw, len) != 0))
		ok = crypto_pwhash_str_verify(hash, pw, len) == 0;
	sodium_memzero(norm, sizeof(norm));
	return ok;
}

bool
password_needs_rehash(const char *hash)
{
	secrets_sodium_init();
	/* libsodium would judge an Argon2i hash by its parameters alone. */
	if (hash == NULL || strnlen(hash, PASSWORD_HASH_SIZE) == PASSWORD_HASH_SIZE ||
	    strncmp(hash, "$argon2id$", 10) != 0)
		return true;
	return crypto_pwhash_str_needs_rehash(hash, PASSWORD_ARGON2_OPSLIMIT,
	                                      PASSWORD_ARGON2_MEMLIMIT) != 0;
}
