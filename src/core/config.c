#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"

static struct config *global;

const struct config *
config_get(void)
{
	return global;
}

void
config_set_global(struct config *cfg)
{
	global = cfg;
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return (v != NULL && *v != '\0') ? v : def;
}

static int
fail(char *err, size_t errlen, const char *name, const char *what, const char *got)
{
	char shown[64];
	size_t i = 0;
	for (; got && got[i] && i < sizeof(shown) - 1; i++)
		shown[i] = (got[i] >= 0x20 && got[i] < 0x7f) ? got[i] : '?';
	shown[i] = '\0';
	snprintf(err, errlen, "%s: %s (got \"%s\")", name, what, shown);
	return -1;
}

static int
int_var(const char *name, long def, long lo, long hi, long *out, char *err, size_t errlen)
{
	const char *v = getenv(name);
	if (v == NULL || *v == '\0') {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi) {
		char what[96];
		snprintf(what, sizeof(what), "must be a number from %ld to %ld", lo, hi);
		return fail(err, errlen, name, what, v);
	}
	*out = n;
	return 0;
}

static bool
printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Each space- or comma-separated item is an IPv4 or IPv6 address. */
static bool
proxies_valid(const char *list)
{
	char item[64];
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ,");
		if (n >= sizeof(item))
			return false;
		if (n > 0) {
			unsigned char bin[16];
			memcpy(item, p, n);
			item[n] = '\0';
			if (inet_pton(AF_INET, item, bin) != 1 && inet_pton(AF_INET6, item, bin) != 1)
				return false;
		}
		p += n;
		while (*p == ' ' || *p == ',')
			p++;
	}
	return true;
}

int
config_load(struct config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	long n;

	/* The runtime folder comes first: the default database lives in it. */
	const char *var = env_or("BEACON_VAR_DIR", "var");
	if (strlen(var) > 512 || strchr(var, '\n'))
		return fail(err, errlen, "BEACON_VAR_DIR", "must be a path", var);
	char def_url[600];
	snprintf(def_url, sizeof(def_url), "sqlite:%s/beacon.db", var);
	const char *url = env_or("BEACON_DATABASE_URL", def_url);
	if (!(strncmp(url, "sqlite:", 7) == 0 && url[7] != '\0') &&
	    strncmp(url, "postgres://", 11) != 0 && strncmp(url, "postgresql://", 13) != 0)
		return fail(err, errlen, "BEACON_DATABASE_URL",
		            "must be sqlite:PATH or postgres://USER@HOST/DB",
		            strchr(url, '@') ? "(not shown: it may hold a password)" : url);
	if (strncmp(url, "sqlite:", 7) != 0 && !printable_ascii(url))
		return fail(err, errlen, "BEACON_DATABASE_URL", "must not contain spaces", "");

	const char *addr = env_or("BEACON_LISTEN_ADDR", "127.0.0.1");
	unsigned char tmp[16];
	if (inet_pton(AF_INET, addr, tmp) != 1 && inet_pton(AF_INET6, addr, tmp) != 1)
		return fail(err, errlen, "BEACON_LISTEN_ADDR", "must be an IPv4 or IPv6 address",
		            addr);

	if (int_var("BEACON_PORT", 8080, 1, 65535, &n, err, errlen) != 0)
		return -1;
	cfg->port = (int)n;

	const char *lvl = env_or("BEACON_LOG_LEVEL", "info");
	cfg->log_level = log_parse_level(lvl);
	if (cfg->log_level < 0)
		return fail(err, errlen, "BEACON_LOG_LEVEL", "must be debug, info, warn or error",
		            lvl);

	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (int_var("BEACON_WORKERS", cpus > 0 ? cpus : 1, 1, 256, &n, err, errlen) != 0)
		return -1;
	cfg->workers = (int)n;

	if (int_var("BEACON_BODY_MAX", 6291456, 1024, 64L * 1024 * 1024, &n, err, errlen) != 0)
		return -1;
	cfg->body_max = n;

	const char *demo = env_or("BEACON_DEMO_DATA", "1");
	if (strcmp(demo, "1") && strcmp(demo, "0") && strcmp(demo, "true") && strcmp(demo, "false"))
		return fail(err, errlen, "BEACON_DEMO_DATA", "must be 1, 0, true or false", demo);
	cfg->demo_data = strcmp(demo, "1") == 0 || strcmp(demo, "true") == 0;

	const char *stat = env_or("BEACON_STATIC_DIR", "static");
	if (strlen(stat) > 512 || strchr(stat, '\n'))
		return fail(err, errlen, "BEACON_STATIC_DIR", "must be a path", stat);

	/* Links in feeds and JSON-LD must name the public address, never 0.0.0.0. */
	bool loopback = strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
	if (!loopback && env_or("BEACON_BASE_URL", NULL) == NULL)
		return fail(err, errlen, "BEACON_BASE_URL",
		            "must be set when BEACON_LISTEN_ADDR is not a loopback address", "");
	char def_base[128];
	snprintf(def_base, sizeof(def_base), strchr(addr, ':') ? "http://[%s]:%d" : "http://%s:%d",
	         addr, cfg->port);
	const char *base = env_or("BEACON_BASE_URL", def_base);
	size_t blen = strlen(base);
	if ((strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0) ||
	    !printable_ascii(base) || blen > 200 || strpbrk(base, "\"'<>\\`") != NULL)
		return fail(err, errlen, "BEACON_BASE_URL", "must be an http(s) URL", base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;

	if (int_var("BEACON_SESSION_IDLE_MINUTES", 30, 1, 24 * 60, &n, err, errlen) != 0)
		return -1;
	cfg->session_idle_min = (int)n;
	if (int_var("BEACON_SESSION_MAX_HOURS", 12, 1, 24 * 30, &n, err, errlen) != 0)
		return -1;
	cfg->session_max_hours = (int)n;
	if (int_var("BEACON_RATE_LIMIT_MINUTE", 100, 1, 1000000, &n, err, errlen) != 0)
		return -1;
	cfg->rate_per_minute = (int)n;
	if (int_var("BEACON_RATE_LIMIT_HOUR", 1000, 1, 100000000, &n, err, errlen) != 0)
		return -1;
	cfg->rate_per_hour = (int)n;
	/* At most a minute: the extract task's lease (src/model/tasks.c) must outlast it. */
	if (int_var("BEACON_EXTRACT_TIMEOUT_MS", 20000, 100, 60000, &n, err, errlen) != 0)
		return -1;
	cfg->extract_timeout_ms = (int)n;
	const char *smtp = env_or("BEACON_SMTP_URL", NULL);
	if (smtp != NULL && smtp[0] != '\0') {
		/* The value is never echoed: a mistyped URL may hold a password. */
		if ((strncmp(smtp, "smtp://", 7) != 0 && strncmp(smtp, "smtps://", 8) != 0) ||
		    !printable_ascii(smtp) || strlen(smtp) > 300)
			return fail(err, errlen, "BEACON_SMTP_URL", "must be an smtp:// or smtps:// URL",
			            "(not shown)");
		const char *host = strstr(smtp, "://") + 3;
		size_t hostlen = strcspn(host, "/");
		const char *at = memchr(host, '@', hostlen);
		if (at != NULL && memchr(host, ':', (size_t)(at - host)) != NULL)
			return fail(err, errlen, "BEACON_SMTP_URL",
			            "must not hold a password; put smtp_password in the secrets file",
			            "(not shown)");
	}
	const char *from = env_or("BEACON_SMTP_FROM", "no-reply@beacon.invalid");
	if (!printable_ascii(from) || strlen(from) > 200 || strchr(from, '@') == NULL)
		return fail(err, errlen, "BEACON_SMTP_FROM", "must be an email address", from);
	const char *redis = env_or("BEACON_REDIS_URL", NULL);
	if (redis != NULL && redis[0] != '\0' &&
	    (strncmp(redis, "redis://", 8) != 0 || !printable_ascii(redis) || strlen(redis) > 300))
		return fail(err, errlen, "BEACON_REDIS_URL", "must be a redis://host:port URL",
		            strchr(redis, '@') ? "(not shown: it may hold a password)" : redis);
	const char *cors = env_or("BEACON_CORS_ORIGINS", "");
	if (strpbrk(cors, "\r\n\"<>") != NULL || strlen(cors) > 2000)
		return fail(err, errlen, "BEACON_CORS_ORIGINS", "must be origins such as https://example.org",
		            cors);
	const char *proxies = env_or("BEACON_TRUSTED_PROXIES", "");
	if (strlen(proxies) > 2000 || !proxies_valid(proxies))
		return fail(err, errlen, "BEACON_TRUSTED_PROXIES",
		            "must be IP addresses separated by spaces or commas", proxies);
	char def_secrets[300];
	snprintf(def_secrets, sizeof(def_secrets), "%s/secrets", var);
	const char *secrets = env_or("BEACON_SECRETS_FILE", def_secrets);
	if (secrets[0] == '\0' || strlen(secrets) > 1000)
		return fail(err, errlen, "BEACON_SECRETS_FILE", "must be a path", secrets);

	cfg->https = strncmp(base, "https://", 8) == 0;
	cfg->secrets_file = xstrdup(secrets);
	cfg->smtp_url = smtp != NULL && smtp[0] != '\0' ? xstrdup(smtp) : NULL;
	cfg->smtp_from = xstrdup(from);
	cfg->redis_url = redis != NULL && redis[0] != '\0' ? xstrdup(redis) : NULL;
	cfg->cors_origins = xstrdup(cors);
	cfg->trusted_proxies = xstrdup(proxies);
	cfg->database_url = xstrdup(url);
	cfg->listen_addr = xstrdup(addr);
	cfg->base_url = xstrndup(base, blen);
	cfg->var_dir = xstrdup(var);
	cfg->static_dir = xstrdup(stat);
	return 0;
}

void
config_free(struct config *cfg)
{
	free(cfg->database_url);
	free(cfg->listen_addr);
	free(cfg->base_url);
	free(cfg->var_dir);
	free(cfg->static_dir);
	free(cfg->secrets_file);
	free(cfg->smtp_url);
	free(cfg->smtp_from);
	free(cfg->redis_url);
	free(cfg->cors_origins);
	free(cfg->trusted_proxies);
	memset(cfg, 0, sizeof(*cfg));
}
