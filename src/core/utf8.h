/*
 * utf8.h - UTF-8 validation and repair.
 *
 * Everything that enters Beacon from outside (query strings, form bodies,
 * imported files) is checked here: overlong forms, surrogates, code points
 * above U+10FFFF and truncated sequences are invalid.
 */
#ifndef BEACON_CORE_UTF8_H
#define BEACON_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the n bytes at s are well-formed UTF-8 (a NUL byte counts as valid). */
bool utf8_valid(const char *s, size_t n);

/*
 * Decode one code point from s (at most n bytes available).
 * Returns the number of bytes consumed (1..4) and stores the code point in
 * *cp; on an invalid or truncated sequence returns 1 and stores 0xFFFD.
 * n must be > 0.
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* True when the n bytes hold a control character (C0 except TAB, LF, CR; DEL; C1). s must be valid UTF-8. */
bool utf8_has_control(const char *s, size_t n);
/* Number of code points in valid UTF-8 (continuation bytes are not counted). */
size_t utf8_count(const char *s, size_t n);

#endif
