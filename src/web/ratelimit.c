/*
 * ratelimit.c - the per-client request limit: shared memory on one node,
 * Redis across nodes (see ratelimit.h).
 *
 * Redis keys are beacon:rl:m:<minute number>:<client> and
 * beacon:rl:h:<hour number>:<client>; one pipelined round trip sends
 * INCR + EXPIRE for both. The window number is part of the key, so EXPIRE
 * only removes old keys and never stretches a window; nodes should keep
 * their clocks in step (NTP), as they do for everything else.
 *
 * The shared-memory table counts every request even while Redis answers, so
 * when Redis goes away this node falls back on counts it already has.
 */
#include "web/ratelimit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <hiredis/hiredis.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/clientaddr.h"
#include "core/config.h"
#include "core/log.h"
#include "core/ratetable.h"

#define REDIS_TIMEOUT_MS 100
/* After a failure, Redis is tried again this many seconds later (per worker). */
#define REDIS_RETRY_SECONDS 2
#define WARN_INTERVAL 60

static struct rate_table *table;

/* Where Redis is, resolved by the parent (workers cannot use DNS in the sandbox). */
static struct {
	bool on;
	char host[INET6_ADDRSTRLEN];
	int port;
	char user[128];
	char password[256];
	int dbnum;
} rcfg;

/* This worker's connection and when it may try again after a failure. */
static redisContext *redis;
static time_t redis_retry_at;

/*
 * Split redis://[[user]:password@]host[:port][/db] into rcfg (host still a
 * name). Returns false with a reason in err.
 */
static bool
redis_parse(const char *url, char *name, size_t namelen, const char **err)
{
	const char *p = url + strlen("redis://");
	const char *at = strrchr(p, '@');
	const char *slash = strchr(at ? at : p, '/');
	if (at != NULL) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		if (colon == NULL) {
			*err = "credentials must be user:password@ or :password@";
			return false;
		}
		snprintf(rcfg.user, sizeof(rcfg.user), "%.*s", (int)(colon - p), p);
		snprintf(rcfg.password, sizeof(rcfg.password), "%.*s", (int)(at - colon - 1), colon + 1);
		p = at + 1;
	}
	size_t hostlen = slash ? (size_t)(slash - p) : strlen(p);
	const char *portp = NULL;
	if (hostlen > 0 && p[0] == '[') {
		const char *close = memchr(p, ']', hostlen);
		if (close == NULL) {
			*err = "unclosed [ in the host";
			return false;
		}
		snprintf(name, namelen, "%.*s", (int)(close - p - 1), p + 1);
		if (close + 1 < p + hostlen) {
			if (close[1] != ':') {
				*err = "unexpected text after ]";
				return false;
			}
			portp = close + 2;
		}
	} else {
		const char *colon = memchr(p, ':', hostlen);
		snprintf(name, namelen, "%.*s", (int)(colon ? colon - p : (long)hostlen), p);
		if (colon)
			portp = colon + 1;
	}
	if (name[0] == '\0') {
		*err = "missing host";
		return false;
	}
	rcfg.port = 6379;
	if (portp != NULL) {
		char *end;
		long port = strtol(portp, &end, 10);
		if (end == portp || (*end != '\0' && *end != '/') || port < 1 || port > 65535) {
			*err = "the port must be a number from 1 to 65535";
			return false;
		}
		rcfg.port = (int)port;
	}
	rcfg.dbnum = 0;
	if (slash != NULL && slash[1] != '\0') {
		char *end;
		long n = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end != '\0' || n < 0 || n > 1000000) {
			*err = "the database must be a number";
			return false;
		}
		rcfg.dbnum = (int)n;
	}
	return true;
}

void
ratelimit_init(void)
{
	table = rate_table_create(RATE_TABLE_ENTRIES);
	if (table == NULL) {
		fprintf(stderr, "beacon: rate limit: cannot map shared memory: %s\n", strerror(errno));
		exit(1);
	}
	const struct config *cfg = config_get();
	if (cfg == NULL || cfg->redis_url == NULL)
		return;
	char name[256];
	const char *err = NULL;
	if (!redis_parse(cfg->redis_url, name, sizeof(name), &err)) {
		fprintf(stderr, "beacon: BEACON_REDIS_URL: %s\n", err);
		exit(1);
	}
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0 || res == NULL ||
	    getnameinfo(res->ai_addr, res->ai_addrlen, rcfg.host, sizeof(rcfg.host), NULL, 0,
	                NI_NUMERICHOST) != 0) {
		log_warn("BEACON_REDIS_URL: cannot resolve %s (%s); request limits stay in this "
		         "node's shared memory until restart",
		         name, rc != 0 ? gai_strerror(rc) : "no address");
		if (res != NULL)
			freeaddrinfo(res);
		return;
	}
	freeaddrinfo(res);
	rcfg.on = true;
}

static bool
reply_is(redisReply *r, int type)
{
	return r != NULL && r->type == type;
}

/* One command on a fresh connection (AUTH, SELECT); true on a non-error reply. */
static bool
redis_setup(const char *fmt, const char *a, const char *b)
{
	redisReply *r = redisCommand(redis, fmt, a, b);
	bool ok = r != NULL && r->type != REDIS_REPLY_ERROR;
	if (r != NULL)
		freeReplyObject(r);
	return ok;
}

static bool
redis_connect(void)
{
	struct timeval tv = {0, REDIS_TIMEOUT_MS * 1000};
	redis = redisConnectWithTimeout(rcfg.host, rcfg.port, tv);
	if (redis == NULL || redis->err || redisSetTimeout(redis, tv) != REDIS_OK)
		return false;
	if (rcfg.password[0] != '\0') {
		bool ok = rcfg.user[0] != '\0'
		              ? redis_setup("AUTH %s %s", rcfg.user, rcfg.password)
		              : redis_setup("AUTH %s", rcfg.password, NULL);
		if (!ok)
			return false;
	}
	if (rcfg.dbnum != 0) {
		char n[16];
		snprintf(n, sizeof(n), "%d", rcfg.dbnum);
		if (!redis_setup("SELECT %s", n, NULL))
			return false;
	}
	return true;
}

static void
redis_drop(time_t now)
{
	if (redis != NULL)
		redisFree(redis);
	redis = NULL;
	redis_retry_at = now + REDIS_RETRY_SECONDS;
}

/*
 * Count the request in Redis: *n_minute and *n_hour get the client's counts
 * in this minute and hour. False when Redis cannot answer (now or lately).
 */
static bool
redis_count(const char *client, time_t now, long long *n_minute, long long *n_hour)
{
	if (redis == NULL) {
		if (now < redis_retry_at)
			return false;
		if (!redis_connect()) {
			redis_drop(now);
			return false;
		}
	}
	char km[96], kh[96];
	snprintf(km, sizeof(km), "beacon:rl:m:%lld:%s", (long long)(now / 60), client);
	snprintf(kh, sizeof(kh), "beacon:rl:h:%lld:%s", (long long)(now / 3600), client);
	redisAppendCommand(redis, "INCR %s", km);
	redisAppendCommand(redis, "EXPIRE %s 120", km);
	redisAppendCommand(redis, "INCR %s", kh);
	redisAppendCommand(redis, "EXPIRE %s 3660", kh);
	long long got[4] = {0};
	bool ok = true;
	for (int i = 0; i < 4; i++) {
		void *reply = NULL;
		if (redisGetReply(redis, &reply) != REDIS_OK) {
			ok = false;
			break;
		}
		if (reply_is(reply, REDIS_REPLY_INTEGER))
			got[i] = ((redisReply *)reply)->integer;
		else
			ok = false;
		freeReplyObject(reply);
	}
	if (!ok) {
		redis_drop(now);
		return false;
	}
	*n_minute = got[0];
	*n_hour = got[2];
	return true;
}

static void
warn_redis(time_t now)
{
	if (!rate_table_gate(table, now, WARN_INTERVAL))
		return;
	struct json_writer *w = log_begin(LOG_LVL_WARN, "rate limit: Redis unreachable; counting "
	                                                "in this node's shared memory");
	if (w == NULL)
		return;
	jw_kv_str(w, "redis_host", rcfg.host);
	jw_kv_int(w, "redis_port", rcfg.port);
	log_end(w);
}

static int
window_wait(long long n, int limit, time_t now, int len)
{
	if (limit <= 0 || n <= limit)
		return 0;
	return (int)((now / len + 1) * len - now);
}

bool
ratelimit_allow(struct rctx *ctx)
{
	const char *path = ctx->req->path;
	if (table == NULL || strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 ||
	    strncmp(path, "/static/", 8) == 0)
		return true;
	const struct config *cfg = config_get();
	/* ctx->ip is the client as req_set_ip decided (trusted proxies taken into account). */
	struct client_key key;
	if (!client_key_parse(ctx->ip, &key))
		return true;
	time_t now = time(NULL);
	int wait = rate_table_hit(table, &key, now, cfg->rate_per_minute, cfg->rate_per_hour);
	if (rcfg.on) {
		char client[CLIENT_TEXT_LEN];
		long long n_minute, n_hour;
		client_key_text(&key, client);
		if (redis_count(client, now, &n_minute, &n_hour)) {
			int wm = window_wait(n_minute, cfg->rate_per_minute, now, 60);
			int wh = window_wait(n_hour, cfg->rate_per_hour, now, 3600);
			wait = wm > wh ? wm : wh;
		} else {
			warn_redis(now);
		}
	}
	if (wait <= 0)
		return true;
	char retry[16], detail[160];
	snprintf(retry, sizeof(retry), "%d", wait);
	snprintf(detail, sizeof(detail),
	         "Too many requests from your address. Please wait %d second%s and try again.", wait,
	         wait == 1 ? "" : "s");
	http_response_header(ctx->req, "retry-after", retry);
	resp_error(ctx, 429, "rate_limited", "Too many requests", detail, NULL);
	return false;
}
