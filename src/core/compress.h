/*
 * compress.h - gzip (RFC 1952) for responses and static assets, with zlib.
 */
#ifndef BEACON_CORE_COMPRESS_H
#define BEACON_CORE_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Append the gzip form of len bytes at data to out (level 1-9). False when zlib fails. */
bool gzip_compress(const void *data, size_t len, int level, struct buf *out);

/* 64-bit FNV-1a of n bytes: fast, for ETags and cache keys (not for security). */
uint64_t hash_fnv1a(const void *data, size_t n);

#endif
