/*
 * app.c - Beacon inside Kore: start-up checks in the parent, one database
 * connection per worker, the seccomp allowances, clean shutdown.
 */
#include <kore/kore.h>
#include <kore/hooks.h>
#include <kore/seccomp.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "web/ratelimit.h"
#include "web/req.h"
#include "web/static.h"

/*
 * The system calls Beacon needs beyond Kore's own filter, in one place.
 *  - SQLite: pread64/pwrite64 (pages), fsync/fdatasync (synchronous=FULL),
 *    fcntl (locks), ftruncate/unlink (WAL and journal files), mremap and
 *    newfstatat/fstat (shared-memory index), getcwd/readlink (path
 *    resolution), lseek, rename; fchown (SQLite running as root hands WAL and
 *    shared-memory files to the database owner).
 *  - libpq: socket/connect/poll and sockopts to reach PostgreSQL, plus
 *    getsockname/getpeername; uname for its first connection.
 *  - hiredis (request limits in Redis): the same socket/connect/poll,
 *    fcntl and sockopts; the Redis host is resolved in the parent, so no DNS.
 *    The shared limit table's process-shared mutexes need futex (Kore's own).
 *  - request ids: getrandom.
 */
KORE_SECCOMP_FILTER("beacon",
    KORE_SYSCALL_ALLOW(pread64), KORE_SYSCALL_ALLOW(pwrite64), KORE_SYSCALL_ALLOW(fsync),
    KORE_SYSCALL_ALLOW(fdatasync), KORE_SYSCALL_ALLOW(fcntl), KORE_SYSCALL_ALLOW(ftruncate),
    KORE_SYSCALL_ALLOW(unlink), KORE_SYSCALL_ALLOW(mremap), KORE_SYSCALL_ALLOW(newfstatat),
    KORE_SYSCALL_ALLOW(fstat), KORE_SYSCALL_ALLOW(getcwd), KORE_SYSCALL_ALLOW(readlink),
    KORE_SYSCALL_ALLOW(lseek), KORE_SYSCALL_ALLOW(rename), KORE_SYSCALL_ALLOW(socket),
    KORE_SYSCALL_ALLOW(connect), KORE_SYSCALL_ALLOW(poll), KORE_SYSCALL_ALLOW(setsockopt),
    KORE_SYSCALL_ALLOW(getsockopt), KORE_SYSCALL_ALLOW(getsockname),
    KORE_SYSCALL_ALLOW(getpeername), KORE_SYSCALL_ALLOW(uname), KORE_SYSCALL_ALLOW(getrandom),
    KORE_SYSCALL_ALLOW(access), KORE_SYSCALL_ALLOW(faccessat), KORE_SYSCALL_ALLOW(geteuid),
    KORE_SYSCALL_ALLOW(getuid), KORE_SYSCALL_ALLOW(mkdir), KORE_SYSCALL_ALLOW(fchown));

static struct config cfg;
static struct db *worker_db;

/* Start-up in the parent: configuration and schema, before any worker forks. */
void
kore_parent_configure(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char err[512];
	if (config_load(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "beacon: %s\n", err);
		exit(1);
	}
	config_set_global(&cfg);
	log_set_level((enum log_level)cfg.log_level);
	struct db *db = db_open(cfg.database_url, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "beacon: BEACON_DATABASE_URL: %s\n", err);
		exit(1);
	}
	if (migrate_apply(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "beacon: %s\n", err);
		db_close(db);
		exit(1);
	}
	db_close(db);
	if (static_load(cfg.static_dir) != 0) {
		fprintf(stderr, "beacon: BEACON_STATIC_DIR: static assets missing in %s (run make)\n",
		        cfg.static_dir);
		exit(1);
	}
	/* Request counters every worker shares: mapped before the fork. */
	ratelimit_init();
	log_info("beacon ready on %s", cfg.base_url);
}

void
kore_worker_configure(void)
{
	/* Assets were loaded in the parent and are inherited; the database is not. */
	worker_db = app_db();
}

void
kore_worker_teardown(void)
{
	db_close(worker_db);
	worker_db = NULL;
}

struct db *
app_db(void)
{
	if (worker_db != NULL && db_alive(worker_db))
		return worker_db;
	if (worker_db != NULL) {
		log_warn("database connection lost; reconnecting");
		db_close(worker_db);
		worker_db = NULL;
	}
	char err[512];
	worker_db = db_open(cfg.database_url, err, sizeof(err));
	if (worker_db == NULL) {
		log_error("database unavailable: %s", err);
		return NULL;
	}
	/* No request may hold a worker on one statement for long. */
	if (db_kind(worker_db) == DB_POSTGRES && db_exec(worker_db, "SET statement_timeout = '10s'") != 0)
		log_warn("cannot set statement_timeout: %s", db_errmsg(worker_db));
	return worker_db;
}
