/*
 * postings.c - jobs posted by companies (see postings.h).
 */
#include "postings.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/textfield.h"
#include "core/token.h"
#include "model/audit.h"
#include "model/saved_searches.h"
#include "model/users.h"
#include "model/vocab.h"

void
posting_input_from_job(struct posting_input *in, const struct job *j)
{
	memset(in, 0, sizeof(*in));
	in->title = j->title;
	in->description = j->description;
	in->employment_type = j->employment_type;
	in->experience_level = j->experience_level;
	in->city = j->city;
	in->region = j->region;
	in->country = j->country;
	in->remote = j->remote;
	in->applicant_country = j->applicant_country;
	if (j->has_salary) {
		/* %.17g gives back the same double when parsed again. */
		snprintf(in->text_[0], sizeof(in->text_[0]), "%.17g", j->salary_min);
		snprintf(in->text_[1], sizeof(in->text_[1]), "%.17g", j->salary_max);
		in->salary_min = in->text_[0];
		in->salary_max = in->text_[1];
		in->salary_currency = j->salary_currency;
		in->salary_period = j->salary_period;
	}
	in->skills_required = j->skills_required;
	in->skills_preferred = j->skills_preferred;
	for (size_t i = 0; i < vocab_accommodations_count; i++)
		if (j->accommodations & ((uint64_t)1 << i))
			in->accommodations[in->naccommodations++] = vocab_accommodations[i].code;
	if (j->valid_through != NULL) {
		snprintf(in->text_[2], sizeof(in->text_[2]), "%.10s", j->valid_through);
		in->valid_through = in->text_[2];
	}
}

/* ---- validation ---- */

/*
 * A clean copy of one text field, or NULL; adds the field's message to fe
 * when the value is refused, or empty and required.
 */
static char *
field(struct field_errors *fe, const char *name, const char *in, size_t max, bool multi_line,
      const char *empty_msg, const char *long_msg)
{
	enum text_problem p;
	/* One-line fields: max characters, as people count; the description: max bytes. */
	char *s = text_clean(in, max, multi_line ? TEXT_BYTES : TEXT_CHARS, multi_line, &p);
	switch (p) {
	case TEXT_OK:
		break;
	case TEXT_EMPTY:
		if (empty_msg)
			ferr_add(fe, name, empty_msg);
		break;
	case TEXT_TOO_LONG:
		ferr_add(fe, name, long_msg);
		break;
	case TEXT_MULTI_LINE:
		ferr_add(fe, name, "Write this on one line.");
		break;
	default:
		ferr_add(fe, name,
		         "This holds characters we cannot store (control characters or "
		         "broken text).");
	}
	return s;
}

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/*
 * A salary amount as people type it: digits with at most one decimal point;
 * commas, spaces and underscores between digits are ignored ("52,000").
 * No signs, exponents, "inf" or "nan".
 */
static bool
parse_amount(const char *s, double *out)
{
	char buf[48];
	size_t o = 0;
	int dots = 0;
	for (; *s; s++) {
		char c = *s;
		if (c == ',' || c == ' ' || c == '_')
			continue;
		if (c == '.')
			dots++;
		else if (c < '0' || c > '9')
			return false;
		if (o + 1 >= sizeof(buf))
			return false;
		buf[o++] = c;
	}
	buf[o] = '\0';
	if (o == 0 || dots > 1 || (o == 1 && dots == 1))
		return false;
	*out = strtod(buf, NULL);
	return isfinite(*out);
}

static void
check_salary(const struct posting_input *in, struct job *j, struct field_errors *fe)
{
	bool has_min = !blank(in->salary_min), has_max = !blank(in->salary_max);
	if (!has_min && !has_max)
		return; /* no salary given: currency and period do not matter */
	double lo = 0, hi = 0;
	bool ok = true;
	if (has_min && !parse_amount(in->salary_min, &lo)) {
		ferr_add(fe, "salary_min", "Enter the amount as a number, like 52000.");
		ok = false;
	}
	if (has_max && !parse_amount(in->salary_max, &hi)) {
		ferr_add(fe, "salary_max", "Enter the amount as a number, like 65000.");
		ok = false;
	}
	if (!has_min)
		lo = hi;
	if (!has_max)
		hi = lo;
	if (ok && lo > JOB_SALARY_MAX) {
		ferr_add(fe, has_min ? "salary_min" : "salary_max", "This amount is too large.");
		ok = false;
	}
	if (ok && hi > JOB_SALARY_MAX) {
		ferr_add(fe, "salary_max", "This amount is too large.");
		ok = false;
	}
	if (ok && lo > hi) {
		ferr_add(fe, "salary_max", "The highest amount must not be less than the lowest.");
		ok = false;
	}
	char cur[4] = "";
	const char *c = in->salary_currency;
	while (c != NULL && isspace((unsigned char)*c))
		c++;
	size_t n = 0;
	while (c != NULL && n < 4 && isalpha((unsigned char)c[n]) && (unsigned char)c[n] < 0x80)
		n++;
	if (c == NULL || n != 3 || !blank(c + 3)) {
		ferr_add(fe, "salary_currency",
		         "Enter the currency as a three-letter code, like USD.");
		ok = false;
	} else {
		for (int i = 0; i < 3; i++)
			cur[i] = (char)toupper((unsigned char)c[i]);
		cur[3] = '\0';
	}
	const char *period = blank(in->salary_period) ? "YEAR" : in->salary_period;
	if (vocab_find(vocab_periods, vocab_periods_count, period) < 0) {
		ferr_add(fe, "salary_period", "Choose per hour, day, week, month or year.");
		ok = false;
	}
	if (!ok)
		return;
	j->has_salary = true;
	j->salary_min = lo;
	j->salary_max = hi;
	j->salary_currency = xstrdup(cur);
	j->salary_period = xstrdup(period);
}

/* Skills one per line or comma-separated into a newline-separated list. */
static char *
check_skills(const char *in, const char *name, struct field_errors *fe)
{
	struct buf b = {0};
	size_t count = 0;
	bool bad = false;
	const char *s = in ? in : "";
	while (*s) {
		size_t n = strcspn(s, ",\n\r");
		char *one = xstrndup(s, n);
		enum text_problem p;
		char *c = text_clean(one, JOB_FIELD_MAX, TEXT_CHARS, false, &p);
		free(one);
		if (c != NULL) {
			if (count++)
				buf_putc(&b, '\n');
			buf_puts(&b, c);
			free(c);
		} else if (p != TEXT_EMPTY && !bad) {
			bad = true;
			ferr_add(fe, name,
			         p == TEXT_TOO_LONG ? "Keep each skill to 200 characters or fewer."
			                            : "A skill holds characters we cannot store.");
		}
		s += n;
		if (*s)
			s++;
	}
	if (!bad && count > JOB_SKILLS_MAX)
		ferr_add(fe, name, "List at most 50 skills.");
	return buf_steal(&b);
}

static void
check_valid_through(const struct posting_input *in, const char *current, struct job *j,
                    struct field_errors *fe)
{
	if (blank(in->valid_through))
		return;
	time_t until;
	if (!date_parse(in->valid_through, true, &until)) {
		ferr_add(fe, "valid_through", "Enter a date like 2026-12-31.");
		return;
	}
	char t[INSTANT_LEN];
	instant_format(until, t);
	bool unchanged = current != NULL && strcmp(current, t) == 0;
	if (!unchanged && until < time(NULL)) {
		ferr_add(fe, "valid_through", "Choose today or a later date.");
		return;
	}
	j->valid_through = xstrdup(t);
}

int
posting_validate(const struct posting_input *in, const char *current_valid_through, struct job *j,
                 struct field_errors *fe)
{
	memset(j, 0, sizeof(*j));
	int before = fe->n;
	j->title = field(fe, "title", in->title, JOB_TITLE_MAX, false, "Enter the job title.",
	                 "The title is too long: keep it to 200 characters or fewer.");
	j->description = field(fe, "description", in->description, JOB_DESCRIPTION_MAX, true,
	                       "Describe the job: what the work is and who you are looking for.",
	                       "The description is too long: keep it under 32 KB.");
	if (vocab_find(vocab_employment_types, vocab_employment_types_count, in->employment_type) <
	    0)
		ferr_add(fe, "employment_type", "Choose the type of employment.");
	else
		j->employment_type = xstrdup(in->employment_type);
	if (vocab_find(vocab_levels, vocab_levels_count, in->experience_level) < 0)
		ferr_add(fe, "experience_level", "Choose the experience level.");
	else
		j->experience_level = xstrdup(in->experience_level);

	static const char long_place[] = "This is too long: keep it to 200 characters or fewer.";
	j->city = field(fe, "city", in->city, JOB_FIELD_MAX, false, NULL, long_place);
	j->region = field(fe, "region", in->region, JOB_FIELD_MAX, false, NULL, long_place);
	j->country = field(fe, "country", in->country, JOB_FIELD_MAX, false, NULL, long_place);
	j->remote = in->remote;
	j->applicant_country = field(fe, "applicant_country", in->applicant_country, JOB_FIELD_MAX,
	                             false, NULL, long_place);
	if (!in->remote && blank(in->city) && blank(in->region) && blank(in->country))
		ferr_add(fe, "city",
		         "Enter where the job is (a city, region or country), or mark the "
		         "job as remote.");

	check_salary(in, j, fe);
	j->skills_required = check_skills(in->skills_required, "skills_required", fe);
	j->skills_preferred = check_skills(in->skills_preferred, "skills_preferred", fe);
	for (size_t i = 0; i < in->naccommodations; i++) {
		uint64_t bit = vocab_accommodation_bit(in->accommodations[i]);
		if (bit == 0) {
			ferr_add(fe, "accommodations", "Choose accommodations from the list.");
			break;
		}
		j->accommodations |= bit;
	}
	check_valid_through(in, current_valid_through, j, fe);
	if (fe->n > before) {
		job_free(j);
		return 1;
	}
	return 0;
}

/* ---- storage ---- */

static void
id_text(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

static int
audit_job(struct db *db, const struct actor *a, const char *event, int64_t job_id)
{
	char target[24];
	id_text(job_id, target);
	return audit_log(db, a->user_id, a->ip, event, "job", target, NULL);
}

int
postings_can_edit(struct db *db, const struct actor *a, int64_t job_id)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT m.user_id FROM jobs j LEFT JOIN company_members m "
	                   "ON m.company_id = j.company_id AND m.user_id = ? WHERE j.id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, a->user_id);
	db_bind_int(st, 2, job_id);
	int rc;
	switch (db_step(st)) {
	case DB_ROW:
		rc = a->role == ROLE_ADMIN ||
		     (!db_col_is_null(st, 0) && (a->role & (ROLE_EMPLOYER | ROLE_RECRUITER)));
		break;
	case DB_DONE:
		rc = 0;
		break;
	default:
		rc = -1;
	}
	db_finalize(st);
	return rc;
}

enum posting_result
postings_create(struct db *db, const struct actor *a, const struct posting_input *in,
                struct field_errors *fe, int64_t *id)
{
	if (!a->email_verified)
		return POSTING_UNVERIFIED;
	int64_t company_id;
	enum company_role role;
	int has = companies_of_user(db, a->user_id, &company_id, &role);
	if (has <= 0)
		return has < 0 ? POSTING_ERROR : POSTING_NO_COMPANY;
	struct job j;
	if (posting_validate(in, NULL, &j, fe) != 0)
		return POSTING_INVALID;
	struct company c = {0};
	enum posting_result rc = POSTING_ERROR;
	if (db_begin_write(db) != 0)
		goto out;
	if (companies_get(db, company_id, &c) != 1)
		goto rollback;
	char random[TOKEN_TEXT_SIZE(16)], source_id[8 + sizeof(random)], today[DATE_LEN];
	token_random(random, 16);
	snprintf(source_id, sizeof(source_id), "beacon:%s", random);
	date_format(time(NULL), today);
	j.source_id = xstrdup(source_id);
	j.source_name = xstrdup("Beacon");
	j.company = xstrdup(c.name);
	j.company_url = c.website ? xstrdup(c.website) : NULL;
	j.status = xstrdup("open");
	j.date_posted = xstrdup(today);
	bool created = false;
	if (jobs_upsert(db, &j, id, &created) != 0 || !created)
		goto rollback;
	struct db_stmt *st =
	    db_prepare(db, "UPDATE jobs SET company_id = ?, posted_by = ? WHERE id = ?");
	if (st != NULL) {
		db_bind_int(st, 1, company_id);
		db_bind_int(st, 2, a->user_id);
		db_bind_int(st, 3, *id);
	}
	/* Instant saved-search alerts run right after this commits. */
	if (db_run(st) != 1 || audit_job(db, a, "job.posted", *id) != 0 || saved_alerts_soon(db) != 0)
		goto rollback;
	rc = db_commit(db) == 0 ? POSTING_OK : POSTING_ERROR;
	goto out;
rollback:
	db_rollback(db);
out:
	company_free(&c);
	job_free(&j);
	return rc;
}

/* Begin a write transaction and check that a may change job_id; answers what to return. */
static enum posting_result
begin_edit(struct db *db, const struct actor *a, int64_t job_id, bool publishing)
{
	if (db_begin_write(db) != 0)
		return POSTING_ERROR;
	int may = postings_can_edit(db, a, job_id);
	enum posting_result rc = may < 0                            ? POSTING_ERROR
	                         : may == 0                         ? POSTING_NOT_FOUND
	                         : publishing && !a->email_verified ? POSTING_UNVERIFIED
	                                                            : POSTING_OK;
	if (rc != POSTING_OK)
		db_rollback(db);
	return rc;
}

static enum posting_result
finish(struct db *db, bool ok)
{
	if (ok && db_commit(db) == 0)
		return POSTING_OK;
	db_rollback(db);
	return POSTING_ERROR;
}

enum posting_result
postings_update(struct db *db, const struct actor *a, int64_t job_id,
                const struct posting_input *in, struct field_errors *fe)
{
	enum posting_result rc = begin_edit(db, a, job_id, true);
	if (rc != POSTING_OK)
		return rc;
	struct job old, j;
	if (jobs_get(db, job_id, &old) != 1)
		return finish(db, false);
	if (posting_validate(in, old.valid_through, &j, fe) != 0) {
		db_rollback(db);
		job_free(&old);
		return POSTING_INVALID;
	}
	/* What the employer does not edit stays as it was. */
	j.source_id = old.source_id;
	j.source_name = old.source_name;
	j.company = old.company;
	j.company_url = old.company_url;
	j.industry = old.industry;
	j.sensory_requirement = old.sensory_requirement;
	j.date_posted = old.date_posted;
	j.status = old.status;
	old.source_id = old.source_name = old.company = old.company_url = old.industry = NULL;
	old.sensory_requirement = old.date_posted = old.status = NULL;
	int64_t id = 0;
	bool created = true;
	bool ok = jobs_upsert(db, &j, &id, &created) == 0 && !created && id == job_id &&
	          audit_job(db, a, "job.updated", job_id) == 0;
	job_free(&old);
	job_free(&j);
	return finish(db, ok);
}

/* Set job_id's status with the timestamp that tells feeds and caches it changed. */
static bool
set_status(struct db *db, int64_t job_id, const char *status)
{
	char now[PRECISE_LEN];
	instant_now_precise(now);
	struct db_stmt *st =
	    db_prepare(db, "UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?");
	if (st != NULL) {
		db_bind_text(st, 1, status);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, job_id);
	}
	return db_run(st) == 1;
}

enum posting_result
postings_close(struct db *db, const struct actor *a, int64_t job_id)
{
	enum posting_result rc = begin_edit(db, a, job_id, false);
	if (rc != POSTING_OK)
		return rc;
	return finish(db, set_status(db, job_id, "closed") &&
	                      audit_job(db, a, "job.closed", job_id) == 0);
}

enum posting_result
postings_reopen(struct db *db, const struct actor *a, int64_t job_id)
{
	enum posting_result rc = begin_edit(db, a, job_id, true);
	if (rc != POSTING_OK)
		return rc;
	struct job j;
	if (jobs_get(db, job_id, &j) != 1)
		return finish(db, false);
	char now[INSTANT_LEN];
	instant_now(now);
	bool expired = j.valid_through != NULL && strcmp(j.valid_through, now) < 0;
	job_free(&j);
	if (expired) {
		db_rollback(db);
		return POSTING_EXPIRED;
	}
	return finish(db, set_status(db, job_id, "open") &&
	                      audit_job(db, a, "job.reopened", job_id) == 0 &&
	                      saved_alerts_soon(db) == 0);
}

int
postings_list(struct db *db, int64_t company_id, int page, int per_page,
              void (*fn)(const struct job *j, void *arg), void *arg, int64_t *total)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM jobs WHERE company_id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, company_id);
	*total = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	if (*total < 0)
		return -1;
	st = db_prepare(db, "SELECT " JOB_COLUMNS " FROM jobs j WHERE j.company_id = ? "
	                    "ORDER BY j.updated_at DESC, j.id DESC LIMIT ? OFFSET ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, per_page);
	db_bind_int(st, 3, (int64_t)(page - 1) * per_page);
	enum db_step_result r;
	while ((r = db_step(st)) == DB_ROW) {
		struct job j;
		job_from_row(st, 0, &j);
		fn(&j, arg);
		job_free(&j);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}
