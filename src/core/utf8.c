#include "utf8.h"

/*
 * Decoding follows Table 3-7 of the Unicode Standard ("Well-Formed UTF-8
 * Byte Sequences"): the second byte's range depends on the lead byte, which
 * is what rules out overlong forms (E0, F0), surrogates (ED) and code points
 * above U+10FFFF (F4) without a separate range check afterwards.
 */

static inline int
utf8_is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * Decode one code point from u[0..n); n > 0. Returns the sequence length, or
 * 0 when the sequence is invalid or truncated.
 */
static size_t
utf8_decode_strict(const unsigned char *u, size_t n, uint32_t *cp)
{
	unsigned char c = u[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2)
		return 0; /* continuation byte, or overlong 2-byte lead C0/C1 */
	if (c < 0xE0) {
		len = 2;
		v = c & 0x1F;
	} else if (c < 0xF0) {
		len = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c < 0xF5) {
		len = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	if (u[1] < lo || u[1] > hi)
		return 0;
	v = (v << 6) | (u[1] & 0x3F);
	for (size_t i = 2; i < len; i++) {
		if (!utf8_is_cont(u[i]))
			return 0;
		v = (v << 6) | (u[i] & 0x3F);
	}
	*cp = v;
	return len;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_decode_strict(u + i, n - i, &cp);
		if (len == 0)
			return false;
		i += len;
	}
	return true;
}

size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	size_t len = utf8_decode_strict((const unsigned char *)s, n, cp);
	if (len == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return len;
}

/*
 * A byte scan rather than a decode: C1 controls U+0080..U+009F are exactly
 * the two-byte sequences C2 80..C2 9F, so no other multi-byte sequence can
 * hold a control character. This stays memory-safe on invalid input too.
 */
bool
utf8_has_control(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = u[i];
		if (c < 0x20) {
			if (c != '\t' && c != '\n' && c != '\r')
				return true;
		} else if (c == 0x7F) {
			return true;
		} else if (c == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F) {
			return true;
		}
	}
	return false;
}

size_t
utf8_count(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}
