/*
 * textfield.h - one submitted text field made clean: trimmed, checked for
 * length, valid UTF-8 and control characters, line breaks normalised.
 *
 * Forms and the API hand the model the same raw strings; this is the one
 * place that decides what a usable single-line or multi-line value is.
 */
#ifndef BEACON_CORE_TEXTFIELD_H
#define BEACON_CORE_TEXTFIELD_H

#include <stdbool.h>
#include <stddef.h>

/* Why text_clean refused a value. */
enum text_problem {
	TEXT_OK = 0,
	TEXT_EMPTY,      /* absent, empty or only white space */
	TEXT_TOO_LONG,   /* over the limit */
	TEXT_BAD_CHARS,  /* invalid UTF-8, NUL or another control character */
	TEXT_MULTI_LINE, /* a line break or tab in a single-line field */
};

/* How text_clean counts towards max. */
enum text_unit { TEXT_BYTES, TEXT_CHARS };

/*
 * A clean, newly allocated copy of in: ASCII white space trimmed at both
 * ends; in multi-line fields CR LF and lone CR become LF (so a browser's
 * textarea and an API client store the same text); then at most max units
 * (counted after trimming and normalising). Returns NULL with *problem set
 * when the value is refused or empty (TEXT_EMPTY: the caller decides
 * whether that is an error).
 */
char *text_clean(const char *in, size_t max, enum text_unit unit, bool multi_line,
                 enum text_problem *problem);

/*
 * True for an http(s) address with a host name and nothing that could break
 * out of an attribute or hide the real host: no white space or control
 * characters, quotes, angle brackets, backslashes, braces, and no user name
 * (the host holds only letters, digits, dots, hyphens, and a port or an IPv6
 * address in brackets). Company websites and profile links.
 */
bool text_web_address_ok(const char *u);

#endif
