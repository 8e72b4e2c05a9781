/*
 * password_blocklist.h - the common-password list password_check() refuses,
 * generated into password_blocklist.c by scripts/gen-password-blocklist.
 */
#ifndef BEACON_CORE_PASSWORD_BLOCKLIST_H
#define BEACON_CORE_PASSWORD_BLOCKLIST_H

#include <stddef.h>

/* Number of words. */
extern const size_t password_blocklist_count;
/* The words, lower-case ASCII, in strcmp order, each ending with '\n'. */
extern const char password_blocklist_text[];

#endif
