/*
 * import.c - beaconctl import-jobs: JSON Lines of schema.org JobPosting.
 *
 * identifier.value is the idempotency key: importing the same file twice
 * updates rows instead of adding new ones. Bad lines are reported with
 * their number and reason and skipped; good lines are committed in batches
 * so a huge file neither holds one giant transaction nor pays for a commit
 * per line.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/dates.h"
#include "model/jobs.h"
#include "model/saved_searches.h"

#define IMPORT_BATCH 2000
#define IMPORT_MAX_LINE (1024 * 1024)
#define IMPORT_MAX_REPORTED 1000

struct progress {
	FILE *tty; /* NULL when status is not a terminal */
	off_t total_bytes;
	double last_ms;
};

static void
progress_draw(struct progress *p, off_t done, long lines, bool final)
{
	if (p->tty == NULL)
		return;
	double now = monotonic_ms();
	if (!final && now - p->last_ms < 100)
		return;
	p->last_ms = now;
	if (p->total_bytes > 0) {
		/* The file may grow while we read it. */
		int pct = (int)(done * 100 / p->total_bytes);
		pct = pct < 0 ? 0 : pct > 100 ? 100 : pct;
		int filled = pct * 30 / 100;
		char bar[31];
		memset(bar, '#', (size_t)filled);
		memset(bar + filled, '.', (size_t)(30 - filled));
		bar[30] = '\0';
		fprintf(p->tty, "\r[%s] %3d%%  %ld lines", bar, pct, lines);
	} else {
		fprintf(p->tty, "\r%ld lines", lines);
	}
	if (final)
		fputc('\n', p->tty);
	fflush(p->tty);
}

int
cli_import_jobs(struct db *db, const char *path, FILE *status)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (in == NULL) {
		fprintf(stderr, "beaconctl: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	int rc = cli_import_stream(db, in, path, status);
	if (in != stdin)
		fclose(in);
	return rc;
}

int
cli_import_stream(struct db *db, FILE *in, const char *path, FILE *status)
{
	struct progress prog = {0};
	if (isatty(fileno(status)))
		prog.tty = status;
	struct stat sb;
	if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
		prog.total_bytes = sb.st_size;

	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0, created = 0, updated = 0, bad = 0, in_batch = 0;
	off_t consumed = 0;
	double started = monotonic_ms();
	int rc;
	if (db_begin_write(db) != 0)
		goto dberr;
	while ((n = getline(&line, &cap, in)) != -1) {
		lineno++;
		consumed += n;
		progress_draw(&prog, consumed, lineno, false);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		/* Editors on some systems start UTF-8 files with a byte order mark. */
		if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			memmove(line, line + 3, (size_t)n - 2);
			n -= 3;
		}
		if (n == 0)
			continue;
		char reason[300];
		reason[0] = '\0';
		struct job j;
		json_error_t jerr;
		json_t *obj = NULL;
		if (n > IMPORT_MAX_LINE) {
			snprintf(reason, sizeof(reason), "line is longer than %d bytes", IMPORT_MAX_LINE);
		} else if ((obj = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr)) == NULL) {
			snprintf(reason, sizeof(reason), "invalid JSON at column %d: %s", jerr.column,
			         jerr.text);
		} else if (job_from_jsonld(obj, &j, reason, sizeof(reason)) == 0) {
			int64_t id;
			bool was_created;
			if (jobs_upsert(db, &j, &id, &was_created) != 0) {
				job_free(&j);
				json_decref(obj);
				goto dberr;
			}
			was_created ? created++ : updated++;
			job_free(&j);
			if (++in_batch >= IMPORT_BATCH) {
				if (db_commit(db) != 0 || db_begin_write(db) != 0) {
					json_decref(obj);
					goto dberr;
				}
				in_batch = 0;
			}
		}
		json_decref(obj);
		if (reason[0]) {
			if (++bad <= IMPORT_MAX_REPORTED) {
				if (prog.tty)
					fputs("\r\033[K", prog.tty);
				fprintf(status, "line %ld: %s\n", lineno, reason);
			}
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "beaconctl: reading %s: %s\n", path, strerror(errno));
		db_rollback(db);
		rc = 1;
		goto out;
	}
	/* A server picks this up and runs the instant saved-search alerts for the new jobs. */
	if ((created + updated > 0 && saved_alerts_soon(db) != 0) || db_commit(db) != 0)
		goto dberr;
	progress_draw(&prog, consumed, lineno, true);
	if (bad > IMPORT_MAX_REPORTED)
		fprintf(status, "... %ld more bad lines not shown\n", bad - IMPORT_MAX_REPORTED);
	fprintf(status, "imported %ld jobs (%ld new, %ld updated), %ld bad lines skipped, in %.1f s\n",
	        created + updated, created, updated, bad, (monotonic_ms() - started) / 1000.0);
	rc = bad ? 3 : 0;
	goto out;
dberr:
	fprintf(stderr, "beaconctl: database error at line %ld: %s\n", lineno, db_errmsg(db));
	db_rollback(db);
	rc = 1;
out:
	free(line);
	return rc;
}
