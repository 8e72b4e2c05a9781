/*
 * export.c - beaconctl export-jobs: every job as a JobPosting JSON line,
 * in the shape import-jobs reads (so export | import round-trips).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "model/audit.h"
#include "model/jobs.h"

int
cli_export_jobs(struct db *db, const char *path)
{
	FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (out == NULL) {
		fprintf(stderr, "beaconctl: cannot write %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct db_stmt *st = db_prepare(db, "SELECT " JOB_COLUMNS " FROM jobs j ORDER BY j.id");
	if (st == NULL) {
		fprintf(stderr, "beaconctl: %s\n", db_errmsg(db));
		if (out != stdout)
			fclose(out);
		return 1;
	}
	struct buf line = {0};
	long count = 0;
	enum db_step_result sr;
	while ((sr = db_step(st)) == DB_ROW) {
		struct job j;
		struct json_writer w;
		job_from_row(st, 0, &j);
		buf_reset(&line);
		jw_init(&w, &line);
		job_write_jsonld(&w, &j, NULL, true, NULL);
		buf_putc(&line, '\n');
		fwrite(line.data, 1, line.len, out);
		job_free(&j);
		count++;
	}
	db_finalize(st);
	buf_free(&line);
	int rc = 0;
	if (sr == DB_ERROR) {
		fprintf(stderr, "beaconctl: %s\n", db_errmsg(db));
		rc = 1;
	}
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
		fprintf(stderr, "beaconctl: writing %s: %s\n", path, strerror(errno));
		rc = 1;
	}
	if (rc == 0) {
		fprintf(stderr, "exported %ld jobs\n", count);
		char detail[64];
		snprintf(detail, sizeof(detail), "{\"jobs\":%ld,\"via\":\"beaconctl\"}", count);
		if (audit_log(db, 0, NULL, "data.export.jobs", NULL, NULL, detail) != 0)
			fprintf(stderr, "beaconctl: could not record the export in the audit log: %s\n",
			        db_errmsg(db));
	}
	return rc;
}
