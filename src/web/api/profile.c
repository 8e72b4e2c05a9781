/*
 * profile.c - the job seeker profile API and candidate search:
 *   GET/PUT /api/v1/profile            the owner's whole profile (needs and numbers included)
 *   GET /api/v1/profile/resume.json    JSON Resume 1.0 export (no needs, no numbers)
 *   POST /api/v1/profile/resume        JSON Resume 1.0 import
 *   GET /api/v1/candidates             candidate search (employers, recruiters, admins)
 *   GET /api/v1/candidates/{id}        what employers may see of one candidate
 * Documented in docs/api.md and docs/openapi.yaml; the rules live in
 * model/profiles.c, shared with the pages.
 *
 * PUT merges: members sent replace the stored ones, members left out stay.
 * Wrong types and unknown members are 422 naming the JSON path
 * ("experience[1].title", "work[0].startDate").
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/json.h"
#include "core/mem.h"
#include "model/profiles.h"
#include "model/vocab.h"
#include "web/body.h"
#include "web/handlers.h"
#include "web/resume.h"

/* "key[index]" or "key[index].member" (member may be NULL), from the request's path pool. */
static const char *
path_of(const char *key, int index, const char *member)
{
	if (member != NULL)
		return body_path(key, "%s[%d].%s", key, index, member);
	return body_path(key, "%s[%d]", key, index);
}

static void
send_json(struct rctx *ctx, int status)
{
	resp_send(ctx, status, "application/json", CACHE_NONE);
}

/* ---- writing ---- */

/* An array of entries (experience, education): objects of string members. */
struct entry_kind {
	const char *key;                 /* "experience" */
	const char *too_many;            /* the message for more than PROFILE_ENTRIES_MAX */
	size_t size;                     /* of one entry */
	const struct body_field *fields; /* its members, all char * */
};

static const struct body_field experience_fields[] = {
    {"title", offsetof(struct profile_experience, title), false},
    {"organisation", offsetof(struct profile_experience, organisation), false},
    {"start_date", offsetof(struct profile_experience, start_date), true},
    {"end_date", offsetof(struct profile_experience, end_date), true},
    {"description", offsetof(struct profile_experience, description), false},
    {NULL, 0, false}};
static const struct body_field education_fields[] = {
    {"institution", offsetof(struct profile_education, institution), false},
    {"credential", offsetof(struct profile_education, credential), false},
    {"field", offsetof(struct profile_education, field), false},
    {"start_date", offsetof(struct profile_education, start_date), true},
    {"end_date", offsetof(struct profile_education, end_date), true},
    {NULL, 0, false}};

static const struct entry_kind experience_kind = {
    "experience", "Add at most 20 experience entries.", sizeof(struct profile_experience),
    experience_fields};
static const struct entry_kind education_kind = {"education", "Add at most 20 education entries.",
                                                 sizeof(struct profile_education),
                                                 education_fields};

/*
 * key: [the n entries of kind k] with the members fields name (k's own or
 * JSON Resume's); omit_none leaves out nullable members that are NULL
 * instead of writing null.
 */
static void
entries_json(struct json_writer *w, const char *key, const struct entry_kind *k,
             const struct body_field *fields, const void *entries, int n, bool omit_none)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (int i = 0; i < n; i++) {
		const char *e = (const char *)entries + (size_t)i * k->size;
		jw_obj_begin(w);
		for (const struct body_field *f = fields; f->key != NULL; f++) {
			const char *v = *(char *const *)(e + f->offset);
			if (v != NULL || !f->nullable || !omit_none)
				jw_kv_str(w, f->key, v);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
lines_array(struct json_writer *w, const char *key, const char *text)
{
	jw_key(w, key);
	jw_arr_begin(w);
	const char *s = text != NULL ? text : "";
	while (*s) {
		size_t n = strcspn(s, "\n");
		if (n > 0)
			jw_strn(w, s, n);
		s += n;
		if (*s == '\n')
			s++;
	}
	jw_arr_end(w);
}

static void
codes_array(struct json_writer *w, const char *key, const struct vocab_entry *v, size_t n,
            uint64_t bits)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		if (bits & ((uint64_t)1 << i))
			jw_str(w, v[i].code);
	jw_arr_end(w);
}

/* The profile as the API shows it; owner adds needs and numbers. */
static void
profile_json(struct json_writer *w, const struct profile *p, bool owner)
{
	jw_obj_begin(w);
	jw_kv_int(w, "user_id", p->user_id);
	jw_kv_str(w, "display_name", p->display_name);
	jw_kv_str(w, "headline", p->headline);
	jw_kv_str(w, "summary", p->summary);
	lines_array(w, "desired_titles", p->desired_titles);
	lines_array(w, "locations", p->locations);
	jw_kv_str(w, "remote_preference", p->remote_preference);
	jw_kv_str(w, "experience_level", p->experience_level);
	jw_key(w, "salary");
	if (p->has_salary) {
		jw_obj_begin(w);
		jw_key(w, "min");
		jw_double(w, p->salary_min);
		jw_kv_str(w, "currency", p->salary_currency);
		jw_kv_str(w, "period", p->salary_period);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_kv_str(w, "availability", p->availability);
	jw_kv_str(w, "work_authorization", p->work_authorization);
	lines_array(w, "links", p->links);
	codes_array(w, "communication_modes", vocab_comm_modes, vocab_comm_modes_count,
	            p->comm_modes);
	jw_key(w, "skills");
	jw_arr_begin(w);
	for (int i = 0; i < p->nskills; i++)
		jw_str(w, p->skills[i]);
	jw_arr_end(w);
	entries_json(w, "experience", &experience_kind, experience_kind.fields, p->experience,
	             p->nexperience, false);
	entries_json(w, "education", &education_kind, education_kind.fields, p->education,
	             p->neducation, false);
	if (owner) {
		jw_kv_str(w, "videophone", p->videophone);
		jw_kv_str(w, "text_phone", p->text_phone);
		jw_key(w, "accommodations");
		jw_obj_begin(w);
		codes_array(w, "needs", vocab_needs, vocab_needs_count, p->needs);
		jw_kv_str(w, "notes", p->needs_notes);
		jw_obj_end(w);
		jw_kv_str(w, "disclosure", p->disclosure);
		jw_kv_str(w, "visibility", p->visibility);
		jw_kv_str(w, "created_at", p->created_at);
	}
	jw_kv_str(w, "updated_at", p->updated_at);
	jw_obj_end(w);
}

static void
send_profile(struct rctx *ctx, const struct profile *p, bool owner, int status)
{
	struct json_writer w;
	resp_data_begin(ctx, &w);
	profile_json(&w, p, owner);
	resp_data_send(ctx, &w, status);
}

/* Load the caller's own profile; false after answering an error. */
static bool
load_own(struct rctx *ctx, struct profile *p)
{
	if (profiles_get(ctx->db, ctx->auth.user_id, PROFILE_OWNER, p) < 0) {
		profiles_free(p);
		resp_db_error(ctx, "load profile");
		return false;
	}
	return true;
}

/*
 * The JSON body of a change to the caller's profile, with the profile as
 * stored in p; NULL after answering an error (p is then empty).
 */
static json_t *
body_and_profile(struct rctx *ctx, struct profile *p)
{
	json_t *o = body_json(ctx);
	if (o != NULL && req_db(ctx) && load_own(ctx, p))
		return o;
	memset(p, 0, sizeof(*p));
	json_decref(o);
	return NULL;
}

void
api_profile_get(struct rctx *ctx)
{
	struct profile p;
	if (!req_db(ctx) || !load_own(ctx, &p))
		return;
	send_profile(ctx, &p, true, 200);
	profiles_free(&p);
}

/* ---- reading ---- */

/*
 * Replace *field by a copy of member key of o when it is a string (null: ""
 * or NULL when nullable); another type is an error named prefix.key.
 */
static void
take_str(json_t *o, const char *key, char **field, bool nullable, struct field_errors *fe,
         const char *prefix)
{
	const struct body_field f[] = {{key, 0, nullable}, {NULL, 0, false}};
	body_read_strs(o, f, field, BODY_COPY, prefix, fe);
}

/* An array of strings into one line each; wrong types -> fe naming key[i]. */
static void
take_lines(json_t *o, const char *key, char **field, struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return;
	if (!json_is_array(v)) {
		ferr_add(fe, key, "Must be an array of strings.");
		return;
	}
	struct buf b = {0};
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s)) {
			ferr_add(fe, path_of(key, (int)i, NULL), "Must be a string.");
			continue;
		}
		if (b.len > 0)
			buf_putc(&b, '\n');
		/* A line break inside one item would split it: keep it for the validator. */
		buf_puts(&b, json_string_value(s));
	}
	free(*field);
	*field = b.data != NULL ? buf_steal(&b) : xstrdup("");
}

/* An array of codes into a bit set over v; unknown codes and wrong types -> fe. */
static void
take_codes(json_t *o, const char *key, const struct vocab_entry *vt, size_t n, uint64_t *bits,
           struct field_errors *fe, const char *path)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return;
	const char *name = path != NULL ? path : key;
	if (!json_is_array(v)) {
		ferr_add(fe, name, "Must be an array of codes.");
		return;
	}
	uint64_t out = 0;
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s)
	{
		int k = json_is_string(s) ? vocab_find(vt, n, json_string_value(s)) : -1;
		if (k < 0)
			ferr_add(fe, path_of(name, (int)i, NULL), "Unknown code.");
		else
			out |= (uint64_t)1 << k;
	}
	*bits = out;
}

/* Free the strings of n entries of kind k. */
static void
entries_free(const struct entry_kind *k, void *entries, int n)
{
	for (int i = 0; i < n; i++)
		for (const struct body_field *f = k->fields; f->key != NULL; f++)
			free(*(char **)((char *)entries + (size_t)i * k->size + f->offset));
}

/*
 * Replace the n entries at entries by those of arr (PUT: the array is the
 * whole list); returns the array, reallocated. Wrong types and unknown
 * members go into fe named "experience[1].title".
 */
static void *
read_entries(json_t *arr, const struct entry_kind *k, void *entries, int *n,
             struct field_errors *fe)
{
	if (!json_is_array(arr)) {
		ferr_add(fe, k->key, "Must be an array of objects.");
		return entries;
	}
	entries_free(k, entries, *n);
	size_t count = json_array_size(arr);
	if (count > PROFILE_ENTRIES_MAX) {
		ferr_add(fe, k->key, k->too_many);
		count = 0;
	}
	entries = xrealloc(entries, k->size * (count + 1));
	*n = (int)count;
	for (size_t i = 0; i < count; i++) {
		void *e = (char *)entries + i * k->size;
		json_t *o = json_array_get(arr, i);
		memset(e, 0, k->size);
		const char *at = path_of(k->key, (int)i, NULL);
		if (!json_is_object(o))
			ferr_add(fe, at, "Must be an object.");
		else
			body_read_strs(o, k->fields, e, BODY_COPY | BODY_STRICT, at, fe);
	}
	return entries;
}

/* Replace p's skills by the names in strings (an array of strings, or of objects with name). */
static void
set_skills(struct profile *p, char **names, int n)
{
	for (int i = 0; i < p->nskills; i++)
		free(p->skills[i]);
	free(p->skills);
	p->skills = names;
	p->nskills = n;
}

static void
read_skills(json_t *arr, struct profile *p, struct field_errors *fe)
{
	if (!json_is_array(arr)) {
		ferr_add(fe, "skills", "Must be an array of strings.");
		return;
	}
	size_t n = json_array_size(arr);
	if (n > PROFILE_SKILLS_MAX * 2) {
		ferr_add(fe, "skills", "List at most 50 skills.");
		return;
	}
	char **names = xcalloc(n + 1, sizeof(char *));
	int k = 0;
	size_t i;
	json_t *s;
	json_array_foreach(arr, i, s)
	{
		if (!json_is_string(s))
			ferr_add(fe, path_of("skills", (int)i, NULL), "Must be a string.");
		else
			names[k++] = xstrdup(json_string_value(s));
	}
	set_skills(p, names, k);
}

static void
read_salary(json_t *v, struct profile *p, struct field_errors *fe)
{
	static const char *const known[] = {"min", "currency", "period", NULL};
	if (v == NULL)
		return;
	if (json_is_null(v)) {
		p->has_salary = false;
		return;
	}
	if (!json_is_object(v)) {
		ferr_add(fe, "salary", "Must be an object or null.");
		return;
	}
	json_t *min = json_object_get(v, "min");
	if (!json_is_number(min)) {
		ferr_add(fe, "salary.min", "Must be a number.");
		return;
	}
	p->has_salary = true;
	p->salary_min = json_number_value(min);
	take_str(v, "currency", &p->salary_currency, true, fe, "salary");
	take_str(v, "period", &p->salary_period, true, fe, "salary");
	body_unknown_members(v, known, NULL, "salary", fe);
}

/* Model field names ("experience.0.title") as API paths ("experience[0].title"). */
static void
api_paths(struct field_errors *fe, const char *model_prefix, const char *api_prefix,
          const char *const (*members)[2])
{
	size_t pl = strlen(model_prefix);
	for (int i = 0; i < fe->n; i++) {
		const char *f = fe->e[i].field;
		if (strncmp(f, model_prefix, pl) != 0 || f[pl] != '.')
			continue;
		int index = atoi(f + pl + 1);
		const char *dot = strchr(f + pl + 1, '.');
		if (dot == NULL)
			continue;
		const char *member = dot + 1;
		for (size_t k = 0; members != NULL && members[k][0] != NULL; k++)
			if (strcmp(member, members[k][0]) == 0)
				member = members[k][1];
		fe->e[i].field = path_of(api_prefix, index, member);
	}
	for (int i = 0; i < fe->n; i++) {
		if (strcmp(fe->e[i].field, "needs_notes") == 0)
			fe->e[i].field = "accommodations.notes";
		else if (strcmp(fe->e[i].field, "salary_min") == 0)
			fe->e[i].field = "salary.min";
		else if (strcmp(fe->e[i].field, "salary_currency") == 0)
			fe->e[i].field = "salary.currency";
		else if (strcmp(fe->e[i].field, "salary_period") == 0)
			fe->e[i].field = "salary.period";
	}
}

/*
 * Save p as user_id's profile: 0, -1, or 1 with fe naming the JSON paths
 * (JSON Resume's names when resume). Errors already in fe (wrong types)
 * come back with the validation messages, all at once.
 */
static int
save_profile(struct db *db, int64_t user_id, struct profile *p, struct field_errors *fe,
             bool resume)
{
	static const char *const work_members[][2] = {
	    {"title", "position"},      {"organisation", "name"}, {"start_date", "startDate"},
	    {"end_date", "endDate"},    {"description", "summary"}, {NULL, NULL}};
	static const char *const edu_members[][2] = {
	    {"institution", "institution"}, {"credential", "studyType"}, {"field", "area"},
	    {"start_date", "startDate"},    {"end_date", "endDate"},     {NULL, NULL}};
	bool read_errors = fe->n > 0;
	int rc = read_errors ? 1 : profiles_save(db, user_id, p, fe);
	if (read_errors)
		profiles_validate(p, fe);
	if (rc == 1 && resume) {
		api_paths(fe, "experience", "work", work_members);
		api_paths(fe, "education", "education", edu_members);
	} else if (rc == 1) {
		api_paths(fe, "experience", "experience", NULL);
		api_paths(fe, "education", "education", NULL);
	}
	return rc;
}

int
resume_save(struct db *db, int64_t user_id, struct profile *p, struct field_errors *fe)
{
	return save_profile(db, user_id, p, fe, true);
}

/* Save p for the caller and answer with the stored profile (or the errors). */
static void
save_and_answer(struct rctx *ctx, struct profile *p, struct field_errors *fe, bool resume)
{
	int rc = save_profile(ctx->db, ctx->auth.user_id, p, fe, resume);
	if (rc == 1) {
		resp_problem_fields(ctx, fe);
		return;
	}
	if (rc != 0) {
		resp_db_error(ctx, "save profile");
		return;
	}
	struct profile stored;
	if (!load_own(ctx, &stored))
		return;
	send_profile(ctx, &stored, true, 200);
	profiles_free(&stored);
}

void
api_profile_put(struct rctx *ctx)
{
	static const char *const known[] = {
	    "headline",  "summary", "desired_titles", "locations", "remote_preference",
	    "experience_level", "salary", "availability", "work_authorization", "links",
	    "communication_modes", "skills", "experience", "education", "videophone",
	    "text_phone", "accommodations", "disclosure", "visibility",
	    /* read only, ignored */
	    "user_id", "display_name", "created_at", "updated_at", NULL};
	static const char *const acc_known[] = {"needs", "notes", NULL};
	struct profile p = {0};
	struct field_errors fe = {0};
	json_t *o = body_and_profile(ctx, &p);
	if (o == NULL)
		goto out;
	take_str(o, "headline", &p.headline, false, &fe, NULL);
	take_str(o, "summary", &p.summary, false, &fe, NULL);
	take_lines(o, "desired_titles", &p.desired_titles, &fe);
	take_lines(o, "locations", &p.locations, &fe);
	take_str(o, "remote_preference", &p.remote_preference, false, &fe, NULL);
	take_str(o, "experience_level", &p.experience_level, true, &fe, NULL);
	read_salary(json_object_get(o, "salary"), &p, &fe);
	take_str(o, "availability", &p.availability, false, &fe, NULL);
	take_str(o, "work_authorization", &p.work_authorization, false, &fe, NULL);
	take_lines(o, "links", &p.links, &fe);
	take_codes(o, "communication_modes", vocab_comm_modes, vocab_comm_modes_count,
	           &p.comm_modes, &fe, NULL);
	if (json_object_get(o, "skills") != NULL)
		read_skills(json_object_get(o, "skills"), &p, &fe);
	if (json_object_get(o, "experience") != NULL)
		p.experience = read_entries(json_object_get(o, "experience"), &experience_kind,
		                            p.experience, &p.nexperience, &fe);
	if (json_object_get(o, "education") != NULL)
		p.education = read_entries(json_object_get(o, "education"), &education_kind,
		                           p.education, &p.neducation, &fe);
	take_str(o, "videophone", &p.videophone, false, &fe, NULL);
	take_str(o, "text_phone", &p.text_phone, false, &fe, NULL);
	json_t *acc = json_object_get(o, "accommodations");
	if (acc != NULL && !json_is_object(acc)) {
		ferr_add(&fe, "accommodations", "Must be an object with needs and notes.");
	} else if (acc != NULL) {
		take_codes(acc, "needs", vocab_needs, vocab_needs_count, &p.needs, &fe,
		           "accommodations.needs");
		take_str(acc, "notes", &p.needs_notes, false, &fe, "accommodations");
		body_unknown_members(acc, acc_known, NULL, "accommodations", &fe);
	}
	take_str(o, "disclosure", &p.disclosure, false, &fe, NULL);
	take_str(o, "visibility", &p.visibility, false, &fe, NULL);
	body_unknown_members(o, known, NULL, NULL, &fe);
	save_and_answer(ctx, &p, &fe, false);
out:
	profiles_free(&p);
	json_decref(o);
}

/* ---- JSON Resume 1.0 ---- */

/*
 * Entries under their JSON Resume names: a work entry is the profile's
 * experience, its organisation "name" (or "company", the older name).
 * Nullable members are dates: "" reads as none, none is left out.
 */
struct resume_kind {
	const char *key;                 /* "work" */
	const char *too_many;            /* the message for more than PROFILE_ENTRIES_MAX */
	const struct entry_kind *kind;   /* the profile's entries */
	const struct body_field *fields; /* JSON Resume names, in the order written */
	const char *alias[2];            /* alias[1] is read when alias[0] is absent */
	size_t blank;                    /* set to "" in an entry that is not an object */
};

static const struct body_field resume_work_fields[] = {
    {"name", offsetof(struct profile_experience, organisation), false},
    {"position", offsetof(struct profile_experience, title), false},
    {"startDate", offsetof(struct profile_experience, start_date), true},
    {"endDate", offsetof(struct profile_experience, end_date), true},
    {"summary", offsetof(struct profile_experience, description), false},
    {NULL, 0, false}};
static const struct body_field resume_education_fields[] = {
    {"institution", offsetof(struct profile_education, institution), false},
    {"area", offsetof(struct profile_education, field), false},
    {"studyType", offsetof(struct profile_education, credential), false},
    {"startDate", offsetof(struct profile_education, start_date), true},
    {"endDate", offsetof(struct profile_education, end_date), true},
    {NULL, 0, false}};

static const struct resume_kind resume_work_kind = {"work",
                                                    "Add at most 20 work entries.",
                                                    &experience_kind,
                                                    resume_work_fields,
                                                    {"name", "company"},
                                                    offsetof(struct profile_experience, title)};
static const struct resume_kind resume_education_kind = {
    "education",     "Add at most 20 education entries.",
    &education_kind, resume_education_fields,
    {NULL, NULL},    offsetof(struct profile_education, institution)};

/* The first location line "City, Region, CC" as a JSON Resume location. */
static void
resume_location(struct json_writer *w, const char *locations)
{
	char line[4 * PROFILE_LINE_MAX + 1];
	size_t n = strcspn(locations, "\n");
	if (n == 0 || n >= sizeof(line))
		return;
	memcpy(line, locations, n);
	line[n] = '\0';
	char *parts[3] = {0}, *save = NULL;
	int k = 0;
	for (char *s = strtok_r(line, ",", &save); s != NULL && k < 3;
	     s = strtok_r(NULL, ",", &save)) {
		while (*s == ' ')
			s++;
		parts[k++] = s;
	}
	jw_key(w, "location");
	jw_obj_begin(w);
	if (parts[0] != NULL)
		jw_kv_str(w, "city", parts[0]);
	if (parts[1] != NULL)
		jw_kv_str(w, "region", parts[1]);
	if (parts[2] != NULL)
		jw_kv_str(w, "countryCode", parts[2]);
	jw_obj_end(w);
}

void
api_profile_resume_get(struct rctx *ctx)
{
	struct profile p;
	if (!req_db(ctx) || !load_own(ctx, &p))
		return;
	struct json_writer wr, *w = &wr;
	buf_reset(&ctx->body);
	jw_init(w, &ctx->body);
	jw_obj_begin(w);
	jw_kv_str(w, "$schema",
	          "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json");
	jw_key(w, "basics");
	jw_obj_begin(w);
	jw_kv_str(w, "name", p.display_name);
	jw_kv_str(w, "label", p.headline);
	jw_kv_str(w, "email", ctx->auth.email);
	jw_kv_str(w, "summary", p.summary);
	resume_location(w, p.locations);
	jw_key(w, "profiles");
	jw_arr_begin(w);
	for (const char *s = p.links; *s;) {
		size_t n = strcspn(s, "\n");
		if (n > 0) {
			jw_obj_begin(w);
			jw_key(w, "url");
			jw_strn(w, s, n);
			jw_obj_end(w);
		}
		s += n;
		if (*s == '\n')
			s++;
	}
	jw_arr_end(w);
	jw_obj_end(w);
	entries_json(w, "work", &experience_kind, resume_work_kind.fields, p.experience,
	             p.nexperience, true);
	entries_json(w, "education", &education_kind, resume_education_kind.fields, p.education,
	             p.neducation, true);
	jw_key(w, "skills");
	jw_arr_begin(w);
	for (int i = 0; i < p.nskills; i++) {
		jw_obj_begin(w);
		jw_kv_str(w, "name", p.skills[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	profiles_free(&p);
	http_response_header(ctx->req, "content-disposition", "attachment; filename=\"resume.json\"");
	send_json(ctx, 200);
}

/*
 * Where member key of an object at base is: key (base NULL), "base.key"
 * (index < 0) or "base[index].key". Only made for an error.
 */
static const char *
member_at(const char *base, int index, const char *key)
{
	if (base == NULL)
		return key;
	if (index < 0)
		return body_path(key, "%s.%s", base, key);
	return path_of(base, index, key);
}

/* A string member of o (at base, see member_at), or NULL; another type adds an error. */
static const char *
resume_str(json_t *o, const char *key, const char *base, int index, struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		ferr_add(fe, member_at(base, index, key), "Must be a string.");
		return NULL;
	}
	return json_string_value(v);
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? xstrdup(s) : NULL;
}

/* An array member (at base, see member_at), or NULL; another type adds an error. */
static json_t *
resume_array(json_t *o, const char *key, const char *base, int index, struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		ferr_add(fe, member_at(base, index, key), "Must be an array.");
		return NULL;
	}
	return v;
}

static void
resume_basics(json_t *b, struct profile *p, struct field_errors *fe)
{
	const char *label = resume_str(b, "label", "basics", -1, fe);
	const char *summary = resume_str(b, "summary", "basics", -1, fe);
	if (label != NULL) {
		free(p->headline);
		p->headline = xstrdup(label);
	}
	if (summary != NULL) {
		free(p->summary);
		p->summary = xstrdup(summary);
	}
	json_t *loc = json_object_get(b, "location");
	if (loc != NULL && !json_is_null(loc) && !json_is_object(loc)) {
		ferr_add(fe, "basics.location", "Must be an object.");
	} else if (loc != NULL && json_is_object(loc)) {
		const char *parts[3] = {resume_str(loc, "city", "basics.location", -1, fe),
		                        resume_str(loc, "region", "basics.location", -1, fe),
		                        resume_str(loc, "countryCode", "basics.location", -1, fe)};
		struct buf line = {0};
		for (int i = 0; i < 3; i++)
			if (parts[i] != NULL && parts[i][0] != '\0') {
				if (line.len > 0)
					buf_puts(&line, ", ");
				buf_puts(&line, parts[i]);
			}
		if (line.len > 0) {
			/* The first line is where the person is: put it first, once. */
			struct buf all = {0};
			buf_puts(&all, buf_cstr(&line));
			const char *s = p->locations;
			while (*s) {
				size_t n = strcspn(s, "\n");
				if (n > 0 && !(n == line.len && memcmp(s, line.data, n) == 0)) {
					buf_putc(&all, '\n');
					buf_append(&all, s, n);
				}
				s += n;
				if (*s == '\n')
					s++;
			}
			free(p->locations);
			p->locations = buf_steal(&all);
		}
		buf_free(&line);
	}
	struct buf links = {0};
	const char *url = resume_str(b, "url", "basics", -1, fe);
	if (url != NULL && url[0] != '\0')
		buf_puts(&links, url);
	json_t *profiles = resume_array(b, "profiles", "basics", -1, fe);
	size_t i;
	json_t *pr;
	json_array_foreach(profiles, i, pr)
	{
		if (!json_is_object(pr)) {
			ferr_add(fe, path_of("basics.profiles", (int)i, NULL),
			         "Must be an object.");
			continue;
		}
		const char *u = resume_str(pr, "url", "basics.profiles", (int)i, fe);
		if (u != NULL && u[0] != '\0') {
			if (links.len > 0)
				buf_putc(&links, '\n');
			buf_puts(&links, u);
		}
	}
	if (url != NULL || profiles != NULL) {
		free(p->links);
		p->links = links.data != NULL ? buf_steal(&links) : xstrdup("");
	}
	buf_free(&links);
}

/*
 * Replace the n entries at old by those of arr (an array, or NULL: none);
 * returns the new array. More than PROFILE_ENTRIES_MAX leaves old as it is.
 */
static void *
resume_entries(json_t *arr, const struct resume_kind *rk, void *old, int *n,
               struct field_errors *fe)
{
	size_t count = json_array_size(arr);
	if (count > PROFILE_ENTRIES_MAX) {
		ferr_add(fe, rk->key, rk->too_many);
		return old;
	}
	size_t size = rk->kind->size;
	char *entries = xcalloc(count + 1, size);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		char *e = entries + i * size;
		if (!json_is_object(o)) {
			ferr_add(fe, path_of(rk->key, (int)i, NULL), "Must be an object.");
			*(char **)(e + rk->blank) = xstrdup("");
			continue;
		}
		for (const struct body_field *f = rk->fields; f->key != NULL; f++) {
			const char *v = resume_str(o, f->key, rk->key, (int)i, fe);
			if (v == NULL && rk->alias[0] != NULL && strcmp(f->key, rk->alias[0]) == 0)
				v = resume_str(o, rk->alias[1], rk->key, (int)i, fe);
			*(char **)(e + f->offset) = f->nullable ? dup_or_null(v) : dup_or_empty(v);
		}
	}
	entries_free(rk->kind, old, *n);
	free(old);
	*n = (int)count;
	return entries;
}

static void
resume_skills(json_t *arr, struct profile *p, struct field_errors *fe)
{
	char **names = xcalloc(PROFILE_SKILLS_MAX * 2 + 1, sizeof(char *));
	int k = 0;
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		if (!json_is_object(o)) {
			ferr_add(fe, path_of("skills", (int)i, NULL), "Must be an object.");
			continue;
		}
		const char *name = resume_str(o, "name", "skills", (int)i, fe);
		if (name != NULL && k < PROFILE_SKILLS_MAX * 2)
			names[k++] = xstrdup(name);
		json_t *kw = resume_array(o, "keywords", "skills", (int)i, fe);
		size_t j;
		json_t *s;
		json_array_foreach(kw, j, s)
		{
			if (!json_is_string(s))
				ferr_add(fe, path_of("skills", (int)i, "keywords"),
				         "Must be an array of strings.");
			else if (k < PROFILE_SKILLS_MAX * 2)
				names[k++] = xstrdup(json_string_value(s));
		}
	}
	set_skills(p, names, k);
}

void
resume_apply(json_t *o, struct profile *p, struct field_errors *fe)
{
	body_paths_reset();
	json_t *basics = json_object_get(o, "basics");
	if (basics != NULL && !json_is_null(basics) && !json_is_object(basics))
		ferr_add(fe, "basics", "Must be an object.");
	else if (basics != NULL && json_is_object(basics))
		resume_basics(basics, p, fe);
	json_t *work = resume_array(o, "work", NULL, 0, fe);
	json_t *edu = resume_array(o, "education", NULL, 0, fe);
	json_t *skills = resume_array(o, "skills", NULL, 0, fe);
	if (fe->n == 0) {
		p->experience = resume_entries(work, &resume_work_kind, p->experience,
		                               &p->nexperience, fe);
		p->education = resume_entries(edu, &resume_education_kind, p->education,
		                              &p->neducation, fe);
		resume_skills(skills, p, fe);
	}
}

void
api_profile_resume_post(struct rctx *ctx)
{
	struct profile p = {0};
	struct field_errors fe = {0};
	json_t *o = body_and_profile(ctx, &p);
	if (o == NULL)
		goto out;
	resume_apply(o, &p, &fe);
	save_and_answer(ctx, &p, &fe, true);
out:
	profiles_free(&p);
	json_decref(o);
}

/* ---- candidate search ---- */

struct hits {
	struct json_writer *w;
};

static void
split_json(struct json_writer *w, const char *key, const char *s, const char *sep)
{
	jw_key(w, key);
	jw_arr_begin(w);
	size_t sl = strlen(sep);
	while (s != NULL && *s) {
		const char *e = strstr(s, sep);
		size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n > 0)
			jw_strn(w, s, n);
		s += n;
		if (e != NULL)
			s += sl;
	}
	jw_arr_end(w);
}

static void
hit_json(const struct candidate_hit *h, void *arg)
{
	struct json_writer *w = arg;
	char url[64];
	snprintf(url, sizeof(url), "/api/v1/candidates/%lld", (long long)h->user_id);
	jw_obj_begin(w);
	jw_kv_int(w, "id", h->user_id);
	jw_kv_str(w, "display_name", h->display_name);
	jw_kv_str(w, "headline", h->headline);
	split_json(w, "locations", h->locations, "\n");
	jw_kv_str(w, "remote_preference", h->remote_preference);
	jw_kv_str(w, "availability", h->availability);
	jw_kv_str(w, "experience_level", h->experience_level);
	split_json(w, "skills", h->skills, ", ");
	jw_kv_str(w, "updated_at", h->updated_at);
	jw_kv_str(w, "url", url);
	jw_obj_end(w);
}

void
api_candidates(struct rctx *ctx)
{
	struct field_errors fe = {0};
	int page, per;
	if (!req_param_int(ctx, &ctx->query, "page", 1, 10000, &page) ||
	    !req_param_int(ctx, &ctx->query, "per_page", 20, 50, &per))
		return;
	if (!req_db(ctx))
		return;
	struct candidate_query q = {
	    .words = query_get(&ctx->query, "q"),
	    .skills = query_get(&ctx->query, "skills"),
	    .location = query_get(&ctx->query, "location"),
	    .remote = query_get(&ctx->query, "remote"),
	    .availability = query_get(&ctx->query, "availability"),
	    .level = query_get(&ctx->query, "level"),
	    .page = page,
	    .per_page = per,
	};
	struct json_writer w;
	int64_t total = 0;
	resp_data_begin(ctx, &w);
	jw_arr_begin(&w);
	int rc = candidates_search(ctx->db, &q, &fe, hit_json, &w, &total);
	if (rc == 1) {
		resp_problem(ctx, 400, "invalid_parameter", "Invalid parameter", fe.e[0].msg,
		             fe.e[0].field);
		return;
	}
	if (rc != 0) {
		resp_db_error(ctx, "candidate search");
		return;
	}
	jw_arr_end(&w);
	jw_key(&w, "meta");
	jw_obj_begin(&w);
	jw_kv_int(&w, "total", total);
	jw_kv_int(&w, "page", page);
	jw_kv_int(&w, "per_page", per);
	jw_obj_end(&w);
	resp_data_send(ctx, &w, 200);
}

void
api_candidate_get(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	int vis = profiles_visible_to_employers(ctx->db, ctx->id);
	if (vis < 0) {
		resp_db_error(ctx, "candidate visible");
		return;
	}
	if (vis == 0) {
		resp_problem(ctx, 404, "not_found", "Not found",
		             "There is no candidate profile visible to employers with this id.", NULL);
		return;
	}
	struct profile p;
	if (profiles_get(ctx->db, ctx->id, PROFILE_PUBLIC, &p) != 1) {
		profiles_free(&p);
		resp_db_error(ctx, "load candidate");
		return;
	}
	send_profile(ctx, &p, false, 200);
	profiles_free(&p);
}
