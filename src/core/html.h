/*
 * html.h - the one HTML (and XML) writer; escaping is the default.
 *
 * Every byte of markup Beacon sends goes through these functions into a
 * struct buf. Text and attribute values are escaped; invalid UTF-8 becomes
 * U+FFFD; control characters other than TAB/LF/CR and the noncharacters U+FFFE/U+FFFF are dropped (they are not
 * allowed in HTML or XML). The only way to write raw markup is HTML_LIT(),
 * which accepts string literals only (the "" concatenation makes anything
 * else a compile error), and html_raw_trusted_, whose ugly name marks the
 * few places that pass already-sanitised markup (the Markdown renderer).
 */
#ifndef BEACON_CORE_HTML_H
#define BEACON_CORE_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Append markup known at compile time. lit must be a string literal. */
#define HTML_LIT(b, lit) buf_append((b), "" lit "", sizeof(lit) - 1)

/* Append already-sanitised markup (Markdown output). Never pass user input. */
void html_raw_trusted_(struct buf *b, const char *s, size_t n);

/* Escaped text content: & < > " ' are escaped. s may be NULL (writes nothing). */
void html_text(struct buf *b, const char *s);
/* Same for n bytes (may contain NUL, which is dropped). */
void html_textn(struct buf *b, const char *s, size_t n);
/* Escaped attribute value (to be placed inside double quotes). */
void html_attr(struct buf *b, const char *s);
/* A decimal integer. */
void html_int(struct buf *b, int64_t v);
/*
 * Percent-encode s for use as a URL query component (RFC 3986 unreserved
 * characters pass, space becomes %20; other bytes, valid UTF-8 or not, become
 * %XX). The result is also safe inside an HTML attribute. NULL writes nothing.
 */
void html_urlenc(struct buf *b, const char *s);

/*
 * XML CDATA section holding s: "<![CDATA[" ... "]]>", with "]]>" inside s
 * split across two sections, invalid UTF-8 repaired and characters not
 * allowed in XML 1.0 dropped. NULL writes an empty section.
 */
void xml_cdata(struct buf *b, const char *s);

#endif
