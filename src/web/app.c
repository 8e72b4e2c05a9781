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
#include "core/secrets.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/documents.h"
#include "model/mail.h"
#include "model/notifications.h"
#include "model/saved_searches.h"
#include "web/ratelimit.h"
#include "web/req.h"
#include "web/static.h"
#include "web/worker.h"

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
 *  - libcurl (email by SMTP, src/model/mail.c): socket/connect/poll and
 *    sockopts as above. A host name is resolved in a libcurl thread: clone3
 *    answers ENOSYS so glibc falls back to clone (allowed by Kore's tasks
 *    filter with set_robust_list; unlike clone3 its flags are visible to a
 *    filter), rseq (glibc registers each new thread), madvise (glibc returns
 *    a finished thread's stack), sendmmsg (the DNS queries). OpenSSL reads
 *    the CA bundle with Kore's open/read. In the ASan/UBSan build the
 *    sanitizer runtime also calls gettid and sched_getaffinity for that
 *    thread.
 *  - .eml files when there is no SMTP server: mkdir, fsync, rename (plus
 *    Kore's openat/write).
 *  - PDF/DOCX text extraction in a child process (src/model/documents.c;
 *    the child inherits this filter): pipe2 for its output, prlimit64 on
 *    itself only (pid 0: getrlimit/setrlimit), close_range (the child drops
 *    the worker's descriptors), rt_sigaction and rt_sigprocmask (SIGCHLD at
 *    its default while the child runs; the child resets Kore's handlers),
 *    wait4 to collect it. It also needs clone
 *    (fork), kill (past its time) and exit_group (its _exit), which Kore's
 *    own worker and task filters allow today; listed so this path does not
 *    depend on them.
 */
/* Kore finds these by name (dlsym): the hooks and the filter stay visible (see Makefile). */
#pragma GCC visibility push(default)

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
    KORE_SYSCALL_ALLOW(getuid), KORE_SYSCALL_ALLOW(mkdir), KORE_SYSCALL_ALLOW(fchown),
    KORE_SYSCALL_DENY(clone3, ENOSYS), KORE_SYSCALL_ALLOW(rseq), KORE_SYSCALL_ALLOW(madvise),
    KORE_SYSCALL_ALLOW(sendmmsg), KORE_SYSCALL_ALLOW(gettid),
    KORE_SYSCALL_ALLOW(sched_getaffinity), KORE_SYSCALL_ALLOW(pipe2), KORE_SYSCALL_ALLOW(clone),
    KORE_SYSCALL_ALLOW_ARG(prlimit64, 0, 0), KORE_SYSCALL_ALLOW(exit_group),
    KORE_SYSCALL_ALLOW(kill), KORE_SYSCALL_ALLOW(wait4), KORE_SYSCALL_ALLOW(close_range),
    KORE_SYSCALL_ALLOW(rt_sigaction), KORE_SYSCALL_ALLOW(rt_sigprocmask));

static struct config cfg;
static struct secrets app_secrets;
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
	/* Keys are read before the fork so every worker has them and none reads the file. */
	secrets_sodium_init();
	if (secrets_load(&cfg, &app_secrets, err, sizeof(err)) != 0) {
		fprintf(stderr, "beacon: %s\n", err);
		exit(1);
	}
	secrets_set_global(&app_secrets);
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
	/* Background work: delivery settings, libcurl's global set-up, the task handlers. */
	if (mail_setup(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "beacon: %s\n", err);
		exit(1);
	}
	mail_set_smtp_password(app_secrets.smtp_password);
	/* Notifications: the daily digest and the saved-search alerts, recurring tasks. */
	if (notify_setup() != 0 || saved_setup() != 0) {
		fprintf(stderr, "beacon: cannot register the notification tasks\n");
		exit(1);
	}
	/* Uploads: libmagic's database is read here, before the sandbox; text extraction task. */
	if (documents_setup(cfg.var_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "beacon: %s\n", err);
		exit(1);
	}
	log_info("beacon ready on %s", cfg.base_url);
}

void
kore_worker_configure(void)
{
	/* Assets were loaded in the parent and are inherited; the database is not. */
	worker_db = app_db();
	worker_tasks_start();
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

#pragma GCC visibility pop
