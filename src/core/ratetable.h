/*
 * ratetable.h - request counters per client in memory shared by processes.
 *
 * The table is made once with mmap(MAP_SHARED | MAP_ANONYMOUS) by a parent
 * before it forks, so every child counts in the same place. It has a fixed
 * number of entries in buckets of RATE_BUCKET_WAYS, each bucket behind its
 * own process-shared robust mutex (a process that dies holding it cannot
 * block the others). A new client takes a free entry of its bucket, else one
 * whose hour has passed, else the least recently seen one: memory stays
 * bounded and a full table only forgets old clients. Buckets are chosen by a
 * keyed hash with a random key, so clients cannot aim at one bucket.
 *
 * Two fixed windows per client: the current minute and the current hour.
 * Every request counts, also refused ones.
 */
#ifndef BEACON_CORE_RATETABLE_H
#define BEACON_CORE_RATETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/clientaddr.h"

#define RATE_BUCKET_WAYS 8
/* The server's table: 65,536 clients, about 3.5 MiB. */
#define RATE_TABLE_ENTRIES 65536

struct rate_table;

/*
 * Map a shared table of at least `entries` entries (rounded up to whole
 * buckets). Returns NULL (errno set) when the memory cannot be mapped.
 */
struct rate_table *rate_table_create(size_t entries);
/* Unmap it (NULL is fine). Only the last process using it should. */
void rate_table_destroy(struct rate_table *t);

/*
 * Count one request of client k at now. Returns 0 when it is within
 * per_minute and per_hour, else the seconds until the window that is over
 * its limit ends (for Retry-After). A limit of 0 or less is no limit.
 */
int rate_table_hit(struct rate_table *t, const struct client_key *k, time_t now, int per_minute,
                   int per_hour);

/*
 * True for at most one caller, across processes, per `interval` seconds:
 * for warnings that should appear once a minute, not once per request.
 */
bool rate_table_gate(struct rate_table *t, time_t now, int interval);

#endif
