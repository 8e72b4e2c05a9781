/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 *
 * The HTML writer, the JSON writer and every response body are built in a
 * struct buf. A zeroed struct buf is a valid empty buffer.
 */
#ifndef BEACON_CORE_BUF_H
#define BEACON_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char *data; /* NUL-terminated once anything was appended; may be NULL when empty */
	size_t len;
	size_t cap;
};

/* Make sure at least n more bytes fit. */
void buf_reserve(struct buf *b, size_t n);
/* Append n bytes. */
void buf_append(struct buf *b, const void *p, size_t n);
/* Append a NUL-terminated string (NULL appends nothing). */
void buf_puts(struct buf *b, const char *s);
/* Append one byte. */
void buf_putc(struct buf *b, char c);
/* Append a decimal integer. */
void buf_put_i64(struct buf *b, int64_t v);
/* Append printf-formatted text. Never use it for untrusted data in markup. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Forget the contents, keep the memory. */
void buf_reset(struct buf *b);
/* Release the memory; b is an empty buffer again. */
void buf_free(struct buf *b);
/* The contents as a C string ("" when empty). */
const char *buf_cstr(const struct buf *b);
/* Take the contents (caller frees); b is empty again. Never NULL. */
char *buf_steal(struct buf *b);

#endif
