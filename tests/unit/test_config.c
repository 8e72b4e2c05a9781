/*
 * Configuration: defaults, and every invalid value stops start-up with a
 * message that begins with the variable's name.
 */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "harness.h"
#include "suites.h"

static const char *const vars[] = {"BEACON_DATABASE_URL", "BEACON_LISTEN_ADDR", "BEACON_PORT",
                                   "BEACON_LOG_LEVEL",    "BEACON_WORKERS",     "BEACON_BODY_MAX",
                                   "BEACON_DEMO_DATA",    "BEACON_BASE_URL",    "BEACON_VAR_DIR",
                                   "BEACON_STATIC_DIR", "BEACON_SECRETS_FILE", "BEACON_SMTP_URL", "BEACON_SMTP_FROM",
                                   "BEACON_REDIS_URL", "BEACON_CORS_ORIGINS", "BEACON_SESSION_IDLE_MINUTES",
                                   "BEACON_SESSION_MAX_HOURS", "BEACON_RATE_LIMIT_MINUTE",
                                   "BEACON_RATE_LIMIT_HOUR", "BEACON_EXTRACT_TIMEOUT_MS"};

static void
clear_env(void)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

static void
test_defaults(void)
{
	clear_env();
	struct config c;
	char err[256] = "";
	CHECK_INT_EQ(config_load(&c, err, sizeof(err)), 0);
	CHECK_STR_EQ(c.database_url, "sqlite:var/beacon.db");
	CHECK_STR_EQ(c.listen_addr, "127.0.0.1");
	CHECK_INT_EQ(c.port, 8080);
	CHECK_STR_EQ(c.base_url, "http://127.0.0.1:8080");
	CHECK(c.demo_data);
	config_free(&c);
	setenv("BEACON_BASE_URL", "https://jobs.example.org/", 1);
	setenv("BEACON_DATABASE_URL", "postgres://beacon@db/beacon", 1);
	CHECK_INT_EQ(config_load(&c, err, sizeof(err)), 0);
	CHECK_STR_EQ(c.base_url, "https://jobs.example.org");
	CHECK_STR_EQ(c.database_url, "postgres://beacon@db/beacon");
	config_free(&c);
	/* The default database follows the runtime folder; a URL given wins. */
	clear_env();
	setenv("BEACON_VAR_DIR", "/srv/beacon", 1);
	CHECK_INT_EQ(config_load(&c, err, sizeof(err)), 0);
	CHECK_STR_EQ(c.database_url, "sqlite:/srv/beacon/beacon.db");
	CHECK_STR_EQ(c.secrets_file, "/srv/beacon/secrets");
	config_free(&c);
	setenv("BEACON_DATABASE_URL", "sqlite:/data/jobs.db", 1);
	CHECK_INT_EQ(config_load(&c, err, sizeof(err)), 0);
	CHECK_STR_EQ(c.database_url, "sqlite:/data/jobs.db");
	config_free(&c);
	clear_env();
}

static void
expect_bad(const char *var, const char *value)
{
	clear_env();
	setenv(var, value, 1);
	struct config c;
	char err[256] = "";
	CHECK_INT_EQ(config_load(&c, err, sizeof(err)), -1);
	CHECK(strncmp(err, var, strlen(var)) == 0 && err[strlen(var)] == ':');
	CHECK(strchr(err, '\n') == NULL);
	clear_env();
}

static void
test_invalid(void)
{
	expect_bad("BEACON_DATABASE_URL", "mysql://x");
	expect_bad("BEACON_DATABASE_URL", "sqlite:");
	expect_bad("BEACON_LISTEN_ADDR", "localhost");
	clear_env();
	setenv("BEACON_LISTEN_ADDR", "0.0.0.0", 1);
	struct config c;
	char err[256] = "";
	CHECK_INT_EQ(config_load(&c, err, sizeof(err)), -1);
	CHECK(strncmp(err, "BEACON_BASE_URL:", 16) == 0);
	setenv("BEACON_BASE_URL", "https://jobs.example.org", 1);
	CHECK_INT_EQ(config_load(&c, err, sizeof(err)), 0);
	config_free(&c);
	clear_env();
	expect_bad("BEACON_PORT", "0");
	expect_bad("BEACON_PORT", "65536");
	expect_bad("BEACON_PORT", "80x");
	expect_bad("BEACON_EXTRACT_TIMEOUT_MS", "99");
	expect_bad("BEACON_EXTRACT_TIMEOUT_MS", "60001");
	expect_bad("BEACON_LOG_LEVEL", "verbose");
	expect_bad("BEACON_WORKERS", "0");
	expect_bad("BEACON_BODY_MAX", "12");
	expect_bad("BEACON_DEMO_DATA", "maybe");
	expect_bad("BEACON_BASE_URL", "ftp://x");
	expect_bad("BEACON_SMTP_URL", "http://mail.example.org");
	expect_bad("BEACON_SMTP_URL", "smtp://me:hunter2secret@mail.example.org:587");
	expect_bad("BEACON_REDIS_URL", "http://localhost:6379");
	expect_bad("BEACON_SESSION_IDLE_MINUTES", "0");
	expect_bad("BEACON_RATE_LIMIT_MINUTE", "lots");
	{
		/* An SMTP URL is never echoed: it may hold a password. */
		clear_env();
		setenv("BEACON_SMTP_URL", "smtpx://me:hunter2secret@mail.example.org", 1);
		struct config sc;
		char serr[256] = "";
		CHECK_INT_EQ(config_load(&sc, serr, sizeof(serr)), -1);
		CHECK(strstr(serr, "hunter2") == NULL);
		setenv("BEACON_SMTP_URL", "smtp://me@mail.example.org:587", 1);
		CHECK_INT_EQ(config_load(&sc, serr, sizeof(serr)), 0);
		config_free(&sc);
		clear_env();
	}
	expect_bad("BEACON_BASE_URL", "https://x/\"><script>");
}

void
test_suite_config(void)
{
	RUN_TEST(test_defaults);
	RUN_TEST(test_invalid);
}
