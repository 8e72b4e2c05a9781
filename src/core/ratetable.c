/*
 * ratetable.c - fixed-size, process-shared request counters (see ratetable.h).
 */
#include "core/ratetable.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

struct rate_entry {
	unsigned char key[CLIENT_KEY_LEN];
	bool used;
	uint32_t minute; /* window numbers: now / 60 and now / 3600 */
	uint32_t hour;
	uint32_t n_minute;
	uint32_t n_hour;
	int64_t last; /* when last seen, for eviction */
};

struct rate_bucket {
	pthread_mutex_t lock;
	struct rate_entry e[RATE_BUCKET_WAYS];
};

struct rate_table {
	size_t map_len;
	size_t nbuckets;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	_Atomic int64_t gate_at;
	struct rate_bucket buckets[];
};

struct rate_table *
rate_table_create(size_t entries)
{
	size_t nbuckets = (entries + RATE_BUCKET_WAYS - 1) / RATE_BUCKET_WAYS;
	if (nbuckets == 0)
		nbuckets = 1;
	size_t len = sizeof(struct rate_table) + nbuckets * sizeof(struct rate_bucket);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	struct rate_table *t = p; /* the mapping is zero-filled */
	t->map_len = len;
	t->nbuckets = nbuckets;
	if (getrandom(t->hash_key, sizeof(t->hash_key), 0) != (ssize_t)sizeof(t->hash_key)) {
		int e = errno;
		munmap(p, len);
		errno = e ? e : EIO;
		return NULL;
	}
	atomic_init(&t->gate_at, INT64_MIN / 2);
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	for (size_t i = 0; i < nbuckets; i++)
		pthread_mutex_init(&t->buckets[i].lock, &attr);
	pthread_mutexattr_destroy(&attr);
	return t;
}

void
rate_table_destroy(struct rate_table *t)
{
	if (t != NULL)
		munmap(t, t->map_len);
}

/* Lock a bucket; one left locked by a process that died is taken over. */
static bool
bucket_lock(struct rate_bucket *b)
{
	int rc = pthread_mutex_lock(&b->lock);
	if (rc == EOWNERDEAD) {
		/* Its counters may be half-updated; they are only counters. */
		pthread_mutex_consistent(&b->lock);
		return true;
	}
	return rc == 0;
}

/*
 * The client's entry in b. A new client takes a free entry, else one whose
 * hour is over (its counts no longer matter), else the least recently seen.
 */
static struct rate_entry *
bucket_entry(struct rate_bucket *b, const struct client_key *k, uint32_t hour)
{
	for (int i = 0; i < RATE_BUCKET_WAYS; i++) {
		struct rate_entry *e = &b->e[i];
		if (e->used && memcmp(e->key, k->b, CLIENT_KEY_LEN) == 0)
			return e;
	}
	struct rate_entry *victim = NULL;
	for (int i = 0; i < RATE_BUCKET_WAYS && victim == NULL; i++) {
		if (!b->e[i].used || b->e[i].hour != hour)
			victim = &b->e[i];
	}
	if (victim == NULL) {
		victim = &b->e[0];
		for (int i = 1; i < RATE_BUCKET_WAYS; i++) {
			if (b->e[i].last < victim->last)
				victim = &b->e[i];
		}
	}
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->key, k->b, CLIENT_KEY_LEN);
	victim->used = true;
	return victim;
}

int
rate_table_hit(struct rate_table *t, const struct client_key *k, time_t now, int per_minute,
               int per_hour)
{
	if (t == NULL)
		return 0;
	uint64_t h;
	crypto_shorthash((unsigned char *)&h, k->b, CLIENT_KEY_LEN, t->hash_key);
	struct rate_bucket *b = &t->buckets[h % t->nbuckets];
	uint32_t minute = (uint32_t)(now / 60), hour = (uint32_t)(now / 3600);
	/* A lock that cannot be had (never expected) lets the request through. */
	if (!bucket_lock(b))
		return 0;
	struct rate_entry *e = bucket_entry(b, k, hour);
	if (e->minute != minute) {
		e->minute = minute;
		e->n_minute = 0;
	}
	if (e->hour != hour) {
		e->hour = hour;
		e->n_hour = 0;
	}
	if (e->n_minute < UINT32_MAX)
		e->n_minute++;
	if (e->n_hour < UINT32_MAX)
		e->n_hour++;
	e->last = (int64_t)now;
	uint32_t n_minute = e->n_minute, n_hour = e->n_hour;
	pthread_mutex_unlock(&b->lock);
	int wait = 0;
	if (per_minute > 0 && n_minute > (uint32_t)per_minute)
		wait = (int)((int64_t)(minute + 1) * 60 - now);
	if (per_hour > 0 && n_hour > (uint32_t)per_hour) {
		int w = (int)((int64_t)(hour + 1) * 3600 - now);
		if (w > wait)
			wait = w;
	}
	return wait;
}

bool
rate_table_gate(struct rate_table *t, time_t now, int interval)
{
	if (t == NULL)
		return true;
	int64_t seen = atomic_load(&t->gate_at);
	if ((int64_t)now - seen < interval)
		return false;
	return atomic_compare_exchange_strong(&t->gate_at, &seen, (int64_t)now);
}
