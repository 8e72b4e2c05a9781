/*
 * libFuzzer driver for one import line: jansson parse (as beaconctl
 * import-jobs does) then job_from_jsonld. Properties: a rejected line frees
 * everything and names a field; an accepted job has its required fields,
 * valid dates, max >= min salary, and writes JSON-LD that jansson parses.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "model/jobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	json_error_t e;
	json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
	if (obj == NULL)
		return 0;
	struct job j;
	char err[300] = "";
	if (job_from_jsonld(obj, &j, err, sizeof(err)) != 0) {
		if (strchr(err, ':') == NULL)
			abort();
		json_decref(obj);
		return 0;
	}
	if (!j.source_id || !j.title || !j.company || !j.description || !j.date_posted ||
	    !j.employment_type || !j.experience_level || strlen(j.date_posted) != 10)
		abort();
	if (j.has_salary && (j.salary_max < j.salary_min || !j.salary_period || !j.salary_currency))
		abort();
	if (j.valid_through && strcmp(j.valid_through, j.date_posted) < 0)
		abort();
	j.status = j.status ? j.status : strdup("open");
	struct buf out = {0};
	struct json_writer w;
	jw_init(&w, &out);
	job_write_jsonld(&w, &j, "http://x", true, NULL);
	json_t *back = json_loadb(out.data, out.len, 0, &e);
	if (back == NULL)
		abort();
	json_decref(back);
	buf_free(&out);
	job_free(&j);
	json_decref(obj);
	return 0;
}
