/*
 * jobs.c - job postings: rows, upsert, validation of imported JobPosting
 * objects and the JobPosting / API JSON shapes.
 */
#include "jobs.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/markdown.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "model/vocab.h"

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
job_free(struct job *j)
{
	char **fields[] = {&j->source_id, &j->source_name, &j->title, &j->company,
	                   &j->company_url, &j->description, &j->city, &j->region,
	                   &j->country, &j->applicant_country, &j->employment_type,
	                   &j->experience_level, &j->salary_currency, &j->salary_period,
	                   &j->skills_required, &j->skills_preferred, &j->industry,
	                   &j->sensory_requirement, &j->date_posted, &j->valid_through,
	                   &j->status, &j->updated_at};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		free(*fields[i]);
	memset(j, 0, sizeof(*j));
}

void
job_from_row(struct db_stmt *st, int c, struct job *j)
{
	memset(j, 0, sizeof(*j));
	j->id = db_col_int(st, c + 0);
	j->source_id = dup_or_null(db_col_text(st, c + 1));
	j->source_name = dup_or_null(db_col_text(st, c + 2));
	j->title = dup_or_null(db_col_text(st, c + 3));
	j->company = dup_or_null(db_col_text(st, c + 4));
	j->company_url = dup_or_null(db_col_text(st, c + 5));
	j->description = dup_or_null(db_col_text(st, c + 6));
	j->city = dup_or_null(db_col_text(st, c + 7));
	j->region = dup_or_null(db_col_text(st, c + 8));
	j->country = dup_or_null(db_col_text(st, c + 9));
	j->remote = db_col_int(st, c + 10) != 0;
	j->applicant_country = dup_or_null(db_col_text(st, c + 11));
	j->employment_type = dup_or_null(db_col_text(st, c + 12));
	j->experience_level = dup_or_null(db_col_text(st, c + 13));
	j->has_salary = !db_col_is_null(st, c + 14) || !db_col_is_null(st, c + 15);
	j->salary_min = db_col_double(st, c + 14);
	j->salary_max = db_col_double(st, c + 15);
	j->salary_currency = dup_or_null(db_col_text(st, c + 16));
	j->salary_period = dup_or_null(db_col_text(st, c + 17));
	j->skills_required = dup_or_null(db_col_text(st, c + 18));
	j->skills_preferred = dup_or_null(db_col_text(st, c + 19));
	j->industry = dup_or_null(db_col_text(st, c + 20));
	j->accommodations = (uint64_t)db_col_int(st, c + 21);
	j->sensory_requirement = dup_or_null(db_col_text(st, c + 22));
	j->date_posted = dup_or_null(db_col_text(st, c + 23));
	j->valid_through = dup_or_null(db_col_text(st, c + 24));
	j->status = dup_or_null(db_col_text(st, c + 25));
	j->updated_at = dup_or_null(db_col_text(st, c + 26));
}

static void
job_row(struct db_stmt *st, void *arg)
{
	job_from_row(st, 0, arg);
}

int
jobs_get(struct db *db, int64_t id, struct job *j)
{
	struct db_stmt *st = db_prepare(db, "SELECT " JOB_COLUMNS " FROM jobs j WHERE j.id = ?");
	if (st != NULL)
		db_bind_int(st, 1, id);
	return db_one(st, job_row, j);
}

/* Column 0 as an id. */
static void
id_from_row(struct db_stmt *st, void *arg)
{
	*(int64_t *)arg = db_col_int(st, 0);
}

int
jobs_application_of(struct db *db, int64_t id, int64_t user_id, int64_t *application_id)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT id FROM applications WHERE job_id = ? AND user_id = ?");
	if (st != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, user_id);
	}
	return db_one(st, id_from_row, application_id);
}

int64_t
jobs_count(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM jobs");
	if (st == NULL)
		return -1;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

/* "|city|region|country|" in lower case (ASCII folding) for location filters. */
static char *
location_norm(const struct job *j)
{
	struct buf b = {0};
	const char *parts[] = {j->city, j->region, j->country};
	buf_putc(&b, '|');
	for (int i = 0; i < 3; i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		for (const char *p = parts[i]; *p; p++)
			if (*p != '|')
				buf_putc(&b, (char)tolower((unsigned char)*p));
		buf_putc(&b, '|');
	}
	return buf_steal(&b);
}

int
jobs_upsert(struct db *db, const struct job *j, int64_t *id, bool *created)
{
	/*
	 * created_at is only set on insert; the RETURNING clause tells whether
	 * the row was new by comparing it with the updated_at we wrote, which is
	 * unique per write (microseconds, strictly increasing).
	 */
	static const char sql[] =
	    "INSERT INTO jobs (source_id, source_name, title, company, company_url, description,"
	    " city, region, country, location_norm, remote, applicant_country, employment_type,"
	    " experience_level, salary_min, salary_max, salary_currency, salary_period,"
	    " salary_annual_max, skills_required, skills_preferred, industry, accommodations,"
	    " sensory_requirement, date_posted, valid_through, status, created_at, updated_at)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
	    " ON CONFLICT (source_id) DO UPDATE SET source_name = excluded.source_name,"
	    " title = excluded.title, company = excluded.company,"
	    " company_url = excluded.company_url, description = excluded.description,"
	    " city = excluded.city, region = excluded.region, country = excluded.country,"
	    " location_norm = excluded.location_norm, remote = excluded.remote,"
	    " applicant_country = excluded.applicant_country,"
	    " employment_type = excluded.employment_type,"
	    " experience_level = excluded.experience_level, salary_min = excluded.salary_min,"
	    " salary_max = excluded.salary_max, salary_currency = excluded.salary_currency,"
	    " salary_period = excluded.salary_period,"
	    " salary_annual_max = excluded.salary_annual_max,"
	    " skills_required = excluded.skills_required,"
	    " skills_preferred = excluded.skills_preferred, industry = excluded.industry,"
	    " accommodations = excluded.accommodations,"
	    " sensory_requirement = excluded.sensory_requirement,"
	    " date_posted = excluded.date_posted, valid_through = excluded.valid_through,"
	    " status = excluded.status, updated_at = excluded.updated_at"
	    " RETURNING id, created_at = updated_at";
	char now[PRECISE_LEN];
	instant_now_precise(now);
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	char *norm = location_norm(j);
	int i = 1;
	db_bind_text(st, i++, j->source_id);
	db_bind_text(st, i++, j->source_name);
	db_bind_text(st, i++, j->title);
	db_bind_text(st, i++, j->company);
	db_bind_text(st, i++, j->company_url);
	db_bind_text(st, i++, j->description);
	db_bind_text(st, i++, j->city);
	db_bind_text(st, i++, j->region);
	db_bind_text(st, i++, j->country);
	db_bind_text(st, i++, norm);
	db_bind_int(st, i++, j->remote ? 1 : 0);
	db_bind_text(st, i++, j->applicant_country);
	db_bind_text(st, i++, j->employment_type);
	db_bind_text(st, i++, j->experience_level);
	if (j->has_salary) {
		db_bind_double(st, i++, j->salary_min);
		db_bind_double(st, i++, j->salary_max);
		db_bind_text(st, i++, j->salary_currency);
		db_bind_text(st, i++, j->salary_period);
		db_bind_double(st, i++, j->salary_max * vocab_period_per_year(j->salary_period));
	} else {
		for (int k = 0; k < 5; k++)
			db_bind_null(st, i++);
	}
	db_bind_text(st, i++, j->skills_required ? j->skills_required : "");
	db_bind_text(st, i++, j->skills_preferred ? j->skills_preferred : "");
	db_bind_text(st, i++, j->industry);
	db_bind_int(st, i++, (int64_t)j->accommodations);
	db_bind_text(st, i++, j->sensory_requirement);
	db_bind_text(st, i++, j->date_posted);
	db_bind_text(st, i++, j->valid_through);
	db_bind_text(st, i++, j->status ? j->status : "open");
	db_bind_text(st, i++, now);
	db_bind_text(st, i++, now);
	free(norm);
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		*id = db_col_int(st, 0);
		/* PostgreSQL returns booleans as "t"/"f". */
		const char *c = db_col_text(st, 1);
		*created = c != NULL && (c[0] == '1' || c[0] == 't');
		rc = 0;
	}
	db_finalize(st);
	return rc;
}

bool
job_is_closed(const struct job *j, const char *now_iso)
{
	if (j->status == NULL || strcmp(j->status, "open") != 0)
		return true;
	return j->valid_through != NULL && strcmp(j->valid_through, now_iso) < 0;
}

/* ---- validation of imported JobPosting objects ---- */

struct vctx {
	char *err;
	size_t errlen;
	bool failed;
};

static void
verr(struct vctx *v, const char *field, const char *reason)
{
	if (v->failed)
		return;
	v->failed = true;
	snprintf(v->err, v->errlen, "%s: %s", field, reason);
}

/*
 * A clean copy of a JSON string: trimmed, length-checked, no control
 * characters (multi_line allows newlines and tabs). NULL when absent or on
 * error (error recorded when required or malformed).
 */
static char *
clean_str(struct vctx *v, json_t *val, const char *field, size_t max, bool required,
          bool multi_line)
{
	if (val == NULL || json_is_null(val)) {
		if (required)
			verr(v, field, "is required");
		return NULL;
	}
	if (!json_is_string(val)) {
		verr(v, field, "must be a string");
		return NULL;
	}
	const char *s = json_string_value(val);
	size_t n = json_string_length(val);
	if (memchr(s, '\0', n) != NULL) {
		verr(v, field, "must not contain NUL characters");
		return NULL;
	}
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0) {
		if (required)
			verr(v, field, "must not be empty");
		return NULL;
	}
	if (!utf8_valid(s, n) || utf8_has_control(s, n)) {
		verr(v, field, "must not contain control characters");
		return NULL;
	}
	/* One-line fields are counted in characters, as people count; long text in bytes. */
	if ((multi_line ? n : utf8_count(s, n)) > max) {
		char reason[64];
		snprintf(reason, sizeof(reason), "is longer than %zu %s", max,
		         multi_line ? "bytes" : "characters");
		verr(v, field, reason);
		return NULL;
	}
	if (!multi_line && (memchr(s, '\n', n) || memchr(s, '\r', n) || memchr(s, '\t', n))) {
		verr(v, field, "must be a single line");
		return NULL;
	}
	return xstrndup(s, n);
}

/* A string, or the "name" of an object ({"@type": "Country", "name": "US"}). */
static json_t *
name_of(json_t *val)
{
	if (json_is_object(val))
		return json_object_get(val, "name");
	return val;
}

static json_t *
first_of(json_t *val)
{
	if (json_is_array(val))
		return json_array_size(val) ? json_array_get(val, 0) : NULL;
	return val;
}

static bool
number_of(json_t *val, double *out)
{
	if (json_is_number(val)) {
		*out = json_number_value(val);
		return isfinite(*out);
	}
	if (json_is_string(val)) {
		char *end;
		const char *s = json_string_value(val);
		*out = strtod(s, &end);
		return end != s && *end == '\0' && isfinite(*out);
	}
	return false;
}

/* Skills: an array of strings (or DefinedTerm objects), or one comma-separated string. */
static char *
clean_skills(struct vctx *v, json_t *val, const char *field)
{
	if (val == NULL || json_is_null(val))
		return xstrdup("");
	struct buf b = {0};
	size_t count = 0;
	if (json_is_string(val)) {
		const char *s = json_string_value(val);
		while (*s && !v->failed) {
			const char *comma = strchr(s, ',');
			size_t n = comma ? (size_t)(comma - s) : strlen(s);
			json_t *one = json_stringn(s, n);
			char *c = clean_str(v, one, field, JOB_FIELD_MAX, false, false);
			json_decref(one);
			if (c) {
				if (count++)
					buf_putc(&b, '\n');
				buf_puts(&b, c);
				free(c);
			}
			s += n + (comma ? 1 : 0);
		}
	} else if (json_is_array(val)) {
		size_t i;
		json_t *item;
		json_array_foreach(val, i, item)
		{
			char *c = clean_str(v, name_of(item), field, JOB_FIELD_MAX, false, false);
			if (c) {
				if (count++)
					buf_putc(&b, '\n');
				buf_puts(&b, c);
				free(c);
			}
		}
	} else {
		verr(v, field, "must be a string or an array of strings");
	}
	if (count > JOB_SKILLS_MAX)
		verr(v, field, "has too many entries (at most 50)");
	return buf_steal(&b);
}

static void
parse_employment_type(struct vctx *v, json_t *val, struct job *j)
{
	json_t *first = first_of(val);
	if (first == NULL || json_is_null(first)) {
		j->employment_type = xstrdup("FULL_TIME");
		return;
	}
	if (!json_is_string(first)) {
		verr(v, "employmentType", "must be a string");
		return;
	}
	char code[32];
	const char *s = json_string_value(first);
	size_t n = strlen(s);
	if (n >= sizeof(code)) {
		verr(v, "employmentType", "unknown value");
		return;
	}
	for (size_t i = 0; i <= n; i++)
		code[i] = s[i] == '-' || s[i] == ' ' ? '_' : (char)toupper((unsigned char)s[i]);
	if (vocab_find(vocab_employment_types, vocab_employment_types_count, code) < 0) {
		verr(v, "employmentType",
		     "unknown value (use FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, "
		     "VOLUNTEER, PER_DIEM or OTHER)");
		return;
	}
	j->employment_type = xstrdup(code);
}

static void
parse_level(struct vctx *v, json_t *obj, struct job *j)
{
	json_t *lvl = json_object_get(obj, "experienceLevel");
	if (lvl != NULL) {
		const char *s = json_is_string(lvl) ? json_string_value(lvl) : NULL;
		if (vocab_find(vocab_levels, vocab_levels_count, s) < 0) {
			verr(v, "experienceLevel",
			     "unknown value (use entry, mid, senior, lead or executive)");
			return;
		}
		j->experience_level = xstrdup(s);
		return;
	}
	json_t *req = json_object_get(obj, "experienceRequirements");
	double months;
	if (json_is_object(req) && number_of(json_object_get(req, "monthsOfExperience"), &months) &&
	    months >= 0) {
		j->experience_level = xstrdup(vocab_level_from_months(months));
		return;
	}
	j->experience_level = xstrdup("mid");
}

static void
parse_salary(struct vctx *v, json_t *val, struct job *j)
{
	if (val == NULL || json_is_null(val))
		return;
	if (!json_is_object(val)) {
		verr(v, "baseSalary", "must be a MonetaryAmount object");
		return;
	}
	j->salary_currency =
	    clean_str(v, json_object_get(val, "currency"), "baseSalary.currency", 3, true, false);
	if (v->failed)
		return;
	if (strlen(j->salary_currency) != 3 || !isupper((unsigned char)j->salary_currency[0]) ||
	    !isupper((unsigned char)j->salary_currency[1]) ||
	    !isupper((unsigned char)j->salary_currency[2])) {
		verr(v, "baseSalary.currency", "must be an ISO 4217 code such as USD");
		return;
	}
	json_t *qv = json_object_get(val, "value");
	double lo = NAN, hi = NAN, one;
	const char *unit = "YEAR";
	if (json_is_object(qv)) {
		json_t *u = json_object_get(qv, "unitText");
		if (u != NULL) {
			unit = json_is_string(u) ? json_string_value(u) : "";
			if (vocab_find(vocab_periods, vocab_periods_count, unit) < 0) {
				verr(v, "baseSalary.value.unitText",
				     "must be HOUR, DAY, WEEK, MONTH or YEAR");
				return;
			}
		}
		json_t *mn = json_object_get(qv, "minValue"), *mx = json_object_get(qv, "maxValue"),
		       *vv = json_object_get(qv, "value");
		if ((mn && !number_of(mn, &lo)) || (mx && !number_of(mx, &hi)) ||
		    (vv && !number_of(vv, &one))) {
			verr(v, "baseSalary.value", "amounts must be numbers");
			return;
		}
		if (vv != NULL && mn == NULL && mx == NULL)
			lo = hi = one;
	} else if (number_of(qv, &one)) {
		lo = hi = one;
	} else {
		verr(v, "baseSalary.value", "must be a number or a QuantitativeValue object");
		return;
	}
	if (isnan(lo))
		lo = hi;
	if (isnan(hi))
		hi = lo;
	if (isnan(lo)) {
		verr(v, "baseSalary.value", "needs minValue, maxValue or value");
		return;
	}
	if (lo < 0 || hi < 0 || lo > JOB_SALARY_MAX || hi > JOB_SALARY_MAX) {
		verr(v, "baseSalary.value", "amounts must be between 0 and 10^12");
		return;
	}
	if (lo > hi) {
		verr(v, "baseSalary.value", "minValue is greater than maxValue");
		return;
	}
	j->has_salary = true;
	j->salary_min = lo;
	j->salary_max = hi;
	j->salary_period = xstrdup(unit);
}

static void
parse_location(struct vctx *v, json_t *obj, struct job *j)
{
	json_t *type = json_object_get(obj, "jobLocationType");
	j->remote = json_is_string(type) && strcmp(json_string_value(type), "TELECOMMUTE") == 0;
	json_t *loc = first_of(json_object_get(obj, "jobLocation"));
	if (json_is_object(loc)) {
		json_t *addr = json_object_get(loc, "address");
		if (json_is_string(addr)) {
			j->city = clean_str(v, addr, "jobLocation.address", JOB_FIELD_MAX, false, false);
		} else if (json_is_object(addr)) {
			j->city = clean_str(v, json_object_get(addr, "addressLocality"),
			                    "jobLocation.address.addressLocality", JOB_FIELD_MAX, false,
			                    false);
			j->region = clean_str(v, json_object_get(addr, "addressRegion"),
			                      "jobLocation.address.addressRegion", JOB_FIELD_MAX, false,
			                      false);
			j->country = clean_str(v, name_of(json_object_get(addr, "addressCountry")),
			                       "jobLocation.address.addressCountry", JOB_FIELD_MAX,
			                       false, false);
		} else if (addr != NULL) {
			verr(v, "jobLocation.address", "must be a PostalAddress object");
		}
	} else if (loc != NULL && !json_is_null(loc)) {
		verr(v, "jobLocation", "must be a Place object");
	}
	json_t *alr = first_of(json_object_get(obj, "applicantLocationRequirements"));
	if (alr != NULL)
		j->applicant_country = clean_str(v, name_of(alr), "applicantLocationRequirements",
		                                 JOB_FIELD_MAX, false, false);
	if (!v->failed && !j->remote && j->city == NULL && j->region == NULL && j->country == NULL)
		verr(v, "jobLocation", "is required unless jobLocationType is TELECOMMUTE");
}

static void
parse_accommodations(struct vctx *v, json_t *val, struct job *j)
{
	if (val == NULL || json_is_null(val))
		return;
	if (!json_is_array(val)) {
		verr(v, "accommodations", "must be an array of codes");
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach(val, i, item)
	{
		uint64_t bit = json_is_string(item) ? vocab_accommodation_bit(json_string_value(item)) : 0;
		if (bit == 0) {
			verr(v, "accommodations", "unknown code (see docs/vocabulary.md)");
			return;
		}
		j->accommodations |= bit;
	}
}

static void
parse_dates(struct vctx *v, json_t *obj, struct job *j)
{
	time_t posted, until;
	json_t *dp = json_object_get(obj, "datePosted");
	if (!json_is_string(dp) || !date_parse(json_string_value(dp), false, &posted)) {
		verr(v, "datePosted", dp ? "must be an ISO 8601 date" : "is required");
		return;
	}
	char d[DATE_LEN];
	date_format(posted, d);
	j->date_posted = xstrdup(d);
	json_t *vt = json_object_get(obj, "validThrough");
	if (vt == NULL || json_is_null(vt))
		return;
	if (!json_is_string(vt) || !date_parse(json_string_value(vt), true, &until)) {
		verr(v, "validThrough", "must be an ISO 8601 date or date-time");
		return;
	}
	if (until < posted) {
		verr(v, "validThrough", "is before datePosted");
		return;
	}
	char t[INSTANT_LEN];
	instant_format(until, t);
	j->valid_through = xstrdup(t);
}

int
job_from_jsonld(json_t *obj, struct job *j, char *err, size_t errlen)
{
	struct vctx v = {err, errlen, false};
	memset(j, 0, sizeof(*j));
	if (!json_is_object(obj)) {
		verr(&v, "line", "must be a JSON object");
		goto out;
	}
	json_t *type = json_object_get(obj, "@type");
	if (type != NULL && (!json_is_string(type) || strcmp(json_string_value(type), "JobPosting"))) {
		verr(&v, "@type", "must be JobPosting");
		goto out;
	}
	json_t *ident = json_object_get(obj, "identifier");
	if (json_is_object(ident)) {
		j->source_id = clean_str(&v, json_object_get(ident, "value"), "identifier.value",
		                         JOB_SOURCE_ID_MAX, true, false);
		j->source_name = clean_str(&v, json_object_get(ident, "name"), "identifier.name",
		                           JOB_FIELD_MAX, false, false);
	} else {
		j->source_id =
		    clean_str(&v, ident, "identifier.value", JOB_SOURCE_ID_MAX, true, false);
	}
	j->title = clean_str(&v, json_object_get(obj, "title"), "title", JOB_TITLE_MAX, true, false);
	json_t *org = json_object_get(obj, "hiringOrganization");
	j->company = clean_str(&v, name_of(org), "hiringOrganization.name", JOB_COMPANY_MAX, true,
	                       false);
	if (json_is_object(org)) {
		json_t *u = json_object_get(org, "sameAs");
		j->company_url = clean_str(&v, u ? u : json_object_get(org, "url"),
		                           "hiringOrganization.sameAs", 500, false, false);
		if (j->company_url && strncmp(j->company_url, "https://", 8) != 0 &&
		    strncmp(j->company_url, "http://", 7) != 0)
			verr(&v, "hiringOrganization.sameAs", "must be an http(s) URL");
	}
	j->description = clean_str(&v, json_object_get(obj, "description"), "description",
	                           JOB_DESCRIPTION_MAX, true, true);
	parse_dates(&v, obj, j);
	parse_location(&v, obj, j);
	if (!v.failed)
		parse_employment_type(&v, json_object_get(obj, "employmentType"), j);
	if (!v.failed)
		parse_level(&v, obj, j);
	if (!v.failed)
		parse_salary(&v, json_object_get(obj, "baseSalary"), j);
	if (!v.failed)
		j->skills_required = clean_skills(&v, json_object_get(obj, "skills"), "skills");
	if (!v.failed)
		j->skills_preferred =
		    clean_skills(&v, json_object_get(obj, "preferredSkills"), "preferredSkills");
	j->industry =
	    clean_str(&v, name_of(first_of(json_object_get(obj, "industry"))), "industry",
	              JOB_FIELD_MAX, false, false);
	j->sensory_requirement = clean_str(&v, json_object_get(obj, "sensoryRequirement"),
	                                   "sensoryRequirement", 1000, false, true);
	if (!v.failed)
		parse_accommodations(&v, json_object_get(obj, "accommodations"), j);
	json_t *status = json_object_get(obj, "status");
	if (status != NULL) {
		const char *s = json_is_string(status) ? json_string_value(status) : "";
		if (strcmp(s, "open") != 0 && strcmp(s, "closed") != 0)
			verr(&v, "status", "must be open or closed");
		else
			j->status = xstrdup(s);
	} else {
		j->status = xstrdup("open");
	}
out:
	if (v.failed) {
		job_free(j);
		return -1;
	}
	return 0;
}

/* ---- JSON shapes ---- */

struct skill_writer {
	struct json_writer *w;
};

static void
write_skill(const char *s, size_t n, void *arg)
{
	jw_strn(((struct skill_writer *)arg)->w, s, n);
}

void
job_each_skill(const char *list, void (*fn)(const char *, size_t, void *), void *arg)
{
	if (list == NULL)
		return;
	while (*list) {
		const char *nl = strchr(list, '\n');
		size_t n = nl ? (size_t)(nl - list) : strlen(list);
		if (n)
			fn(list, n, arg);
		list += n + (nl ? 1 : 0);
	}
}

static void
write_skill_array(struct json_writer *w, const char *list)
{
	struct skill_writer sw = {w};
	jw_arr_begin(w);
	job_each_skill(list, write_skill, &sw);
	jw_arr_end(w);
}

static void
write_url(struct json_writer *w, const char *base_url, int64_t id)
{
	char tail[40];
	snprintf(tail, sizeof(tail), "/jobs/%lld", (long long)id);
	struct buf u = {0};
	buf_puts(&u, base_url);
	buf_puts(&u, tail);
	jw_str(w, u.data);
	buf_free(&u);
}

void
job_write_jsonld(struct json_writer *w, const struct job *j, const char *base_url, bool extended,
                 const char *description_html)
{
	jw_obj_begin(w);
	jw_kv_str(w, "@context", "https://schema.org/");
	jw_kv_str(w, "@type", "JobPosting");
	jw_kv_str(w, "title", j->title);
	jw_key(w, "description");
	if (extended) {
		jw_str(w, j->description);
	} else if (description_html) {
		jw_str(w, description_html);
	} else {
		/* Google for Jobs wants HTML here; our renderer is the safe one. */
		struct buf html = {0};
		markdown_render(&html, j->description, strlen(j->description));
		jw_str(w, buf_cstr(&html));
		buf_free(&html);
	}
	jw_kv_str(w, "datePosted", j->date_posted);
	if (j->valid_through)
		jw_kv_str(w, "validThrough", j->valid_through);
	jw_kv_str(w, "employmentType", j->employment_type);
	jw_key(w, "hiringOrganization");
	jw_obj_begin(w);
	jw_kv_str(w, "@type", "Organization");
	jw_kv_str(w, "name", j->company);
	if (j->company_url)
		jw_kv_str(w, "sameAs", j->company_url);
	jw_obj_end(w);
	jw_key(w, "identifier");
	jw_obj_begin(w);
	jw_kv_str(w, "@type", "PropertyValue");
	if (j->source_name)
		jw_kv_str(w, "name", j->source_name);
	jw_kv_str(w, "value", j->source_id);
	jw_obj_end(w);
	if (!extended && base_url) {
		jw_key(w, "url");
		write_url(w, base_url, j->id);
	}
	if (j->city || j->region || j->country) {
		jw_key(w, "jobLocation");
		jw_obj_begin(w);
		jw_kv_str(w, "@type", "Place");
		jw_key(w, "address");
		jw_obj_begin(w);
		jw_kv_str(w, "@type", "PostalAddress");
		if (j->city)
			jw_kv_str(w, "addressLocality", j->city);
		if (j->region)
			jw_kv_str(w, "addressRegion", j->region);
		if (j->country)
			jw_kv_str(w, "addressCountry", j->country);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	if (j->remote) {
		jw_kv_str(w, "jobLocationType", "TELECOMMUTE");
		if (j->applicant_country) {
			jw_key(w, "applicantLocationRequirements");
			jw_obj_begin(w);
			jw_kv_str(w, "@type", "Country");
			jw_kv_str(w, "name", j->applicant_country);
			jw_obj_end(w);
		}
	}
	if (j->has_salary) {
		jw_key(w, "baseSalary");
		jw_obj_begin(w);
		jw_kv_str(w, "@type", "MonetaryAmount");
		jw_kv_str(w, "currency", j->salary_currency);
		jw_key(w, "value");
		jw_obj_begin(w);
		jw_kv_str(w, "@type", "QuantitativeValue");
		jw_key(w, "minValue");
		jw_double(w, j->salary_min);
		jw_key(w, "maxValue");
		jw_double(w, j->salary_max);
		jw_kv_str(w, "unitText", j->salary_period);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_key(w, "experienceRequirements");
	jw_obj_begin(w);
	jw_kv_str(w, "@type", "OccupationalExperienceRequirements");
	jw_kv_int(w, "monthsOfExperience", vocab_level_months(j->experience_level));
	jw_obj_end(w);
	jw_key(w, "skills");
	write_skill_array(w, j->skills_required);
	if (j->industry)
		jw_kv_str(w, "industry", j->industry);
	if (j->sensory_requirement)
		jw_kv_str(w, "sensoryRequirement", j->sensory_requirement);
	if (j->accommodations) {
		/* Accommodations are a benefit to schema.org readers; spelled out in words. */
		struct buf b = {0};
		for (size_t i = 0; i < vocab_accommodations_count; i++) {
			if (!(j->accommodations & ((uint64_t)1 << i)))
				continue;
			if (b.len)
				buf_puts(&b, "; ");
			buf_puts(&b, vocab_accommodations[i].label);
		}
		jw_kv_str(w, "jobBenefits", b.data);
		buf_free(&b);
	}
	if (extended) {
		jw_kv_str(w, "experienceLevel", j->experience_level);
		jw_key(w, "preferredSkills");
		write_skill_array(w, j->skills_preferred);
		jw_key(w, "accommodations");
		jw_arr_begin(w);
		for (size_t i = 0; i < vocab_accommodations_count; i++)
			if (j->accommodations & ((uint64_t)1 << i))
				jw_str(w, vocab_accommodations[i].code);
		jw_arr_end(w);
		jw_kv_str(w, "status", strcmp(j->status, "closed") == 0 ? "closed" : "open");
	}
	jw_obj_end(w);
}

void
job_write_api(struct json_writer *w, const struct job *j, const char *base_url)
{
	char now[INSTANT_LEN];
	instant_now(now);
	jw_obj_begin(w);
	jw_kv_int(w, "id", j->id);
	jw_key(w, "url");
	write_url(w, base_url, j->id);
	jw_kv_str(w, "title", j->title);
	jw_key(w, "company");
	jw_obj_begin(w);
	jw_kv_str(w, "name", j->company);
	jw_kv_str(w, "url", j->company_url);
	jw_obj_end(w);
	jw_kv_str(w, "description_markdown", j->description);
	jw_key(w, "location");
	jw_obj_begin(w);
	jw_kv_str(w, "city", j->city);
	jw_kv_str(w, "region", j->region);
	jw_kv_str(w, "country", j->country);
	jw_obj_end(w);
	jw_key(w, "remote");
	jw_bool(w, j->remote);
	jw_kv_str(w, "applicant_location_requirement", j->applicant_country);
	jw_kv_str(w, "employment_type", j->employment_type);
	jw_kv_str(w, "experience_level", j->experience_level);
	jw_key(w, "salary");
	if (j->has_salary) {
		jw_obj_begin(w);
		jw_key(w, "min");
		jw_double(w, j->salary_min);
		jw_key(w, "max");
		jw_double(w, j->salary_max);
		jw_kv_str(w, "currency", j->salary_currency);
		jw_kv_str(w, "period", j->salary_period);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "skills");
	jw_obj_begin(w);
	jw_key(w, "required");
	write_skill_array(w, j->skills_required);
	jw_key(w, "preferred");
	write_skill_array(w, j->skills_preferred);
	jw_obj_end(w);
	jw_kv_str(w, "industry", j->industry);
	jw_key(w, "accommodations");
	jw_arr_begin(w);
	for (size_t i = 0; i < vocab_accommodations_count; i++) {
		if (!(j->accommodations & ((uint64_t)1 << i)))
			continue;
		jw_obj_begin(w);
		jw_kv_str(w, "code", vocab_accommodations[i].code);
		jw_kv_str(w, "label", vocab_accommodations[i].label);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kv_str(w, "sensory_requirement", j->sensory_requirement);
	jw_kv_str(w, "date_posted", j->date_posted);
	jw_kv_str(w, "valid_through", j->valid_through);
	const char *status = j->status;
	if (strcmp(status, "open") == 0 && job_is_closed(j, now))
		status = "expired";
	jw_kv_str(w, "status", status);
	jw_key(w, "source");
	jw_obj_begin(w);
	jw_kv_str(w, "name", j->source_name);
	jw_kv_str(w, "id", j->source_id);
	jw_obj_end(w);
	jw_obj_end(w);
}
