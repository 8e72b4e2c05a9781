/*
 * config.h - Beacon's settings, read from BEACON_* environment variables.
 *
 * Every variable has a default that works on a developer machine. An
 * invalid value is a start-up error whose message names the variable.
 * docs/configuration.md lists them all.
 */
#ifndef BEACON_CORE_CONFIG_H
#define BEACON_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
	char *database_url; /* BEACON_DATABASE_URL: sqlite:PATH | postgres://... */
	char *listen_addr;  /* BEACON_LISTEN_ADDR: IPv4/IPv6 literal */
	int port;           /* BEACON_PORT: 1..65535 */
	int log_level;      /* BEACON_LOG_LEVEL: debug | info | warn | error */
	int workers;        /* BEACON_WORKERS: 1..256, default = CPU count */
	char *base_url;     /* BEACON_BASE_URL: public URL, default http://ADDR:PORT */
	char *var_dir;      /* BEACON_VAR_DIR: runtime files (database, generated conf) */
	char *static_dir;   /* BEACON_STATIC_DIR: CSS, scripts */
	bool demo_data;     /* BEACON_DEMO_DATA: demo jobs and people into an unused database */
	long body_max;      /* BEACON_BODY_MAX: largest request body in bytes */
	bool https;         /* base_url starts with https:// (cookies Secure/__Host-, HSTS) */
	char *secrets_file; /* BEACON_SECRETS_FILE: keys (see docs/configuration.md) */
	int session_idle_min;   /* BEACON_SESSION_IDLE_MINUTES: idle timeout, default 30 */
	int session_max_hours;  /* BEACON_SESSION_MAX_HOURS: absolute lifetime, default 12 */
	char *smtp_url;     /* BEACON_SMTP_URL: smtp:// or smtps://; NULL = mail to var/mail/ */
	char *smtp_from;    /* BEACON_SMTP_FROM: sender address */
	char *redis_url;    /* BEACON_REDIS_URL: redis://host:port; NULL = limits in shared memory */
	int rate_per_minute; /* BEACON_RATE_LIMIT_MINUTE: requests per client per minute */
	int rate_per_hour;   /* BEACON_RATE_LIMIT_HOUR: requests per client per hour */
	char *cors_origins; /* BEACON_CORS_ORIGINS: space/comma separated origins allowed on /api/ */
	char *trusted_proxies; /* BEACON_TRUSTED_PROXIES: proxy addresses whose X-Forwarded-For counts */
	int extract_timeout_ms; /* BEACON_EXTRACT_TIMEOUT_MS: wall-clock limit of one PDF/DOCX text extraction */
};

/*
 * Fill cfg from the environment. Returns 0, or -1 with one line such as
 * "BEACON_PORT: must be a number from 1 to 65535 (got \"80x\")" in err.
 */
int config_load(struct config *cfg, char *err, size_t errlen);
void config_free(struct config *cfg);

/* The process-wide configuration once loaded (set by config_set_global). */
const struct config *config_get(void);
void config_set_global(struct config *cfg);

#endif
