/*
 * mem.h - allocation that never returns NULL.
 *
 * Out-of-memory is not a condition Beacon recovers from inside a request:
 * every allocation goes through these wrappers, which log and abort, so call
 * sites stay free of NULL checks.
 */
#ifndef BEACON_CORE_MEM_H
#define BEACON_CORE_MEM_H

#include <stddef.h>

/* malloc(n); aborts on failure. */
void *xmalloc(size_t n);
/* calloc(count, size); aborts on failure or overflow. */
void *xcalloc(size_t count, size_t size);
/* realloc(p, n); aborts on failure. */
void *xrealloc(void *p, size_t n);
/* strdup(s); aborts on failure. s must not be NULL. */
char *xstrdup(const char *s);
/* Copy of the first n bytes of s plus a NUL; aborts on failure. */
char *xstrndup(const char *s, size_t n);

#endif
