/*
 * profiles.c - job seeker profiles and candidate search (see profiles.h).
 */
#include "profiles.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/dates.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/seal.h"
#include "core/textfield.h"
#include "core/utf8.h"
#include "model/vocab.h"
#include "search/search.h"

const char *const profiles_remote_prefs[] = {"any", "remote", "hybrid", "onsite", NULL};
const char *const profiles_remote_labels[] = {"Any", "Remote", "Hybrid", "On site", NULL};
const char *const profiles_availabilities[] = {"immediately", "two_weeks", "one_month",
                                              "three_months", "not_looking", NULL};
const char *const profiles_availability_labels[] = {
    "Now", "In two weeks", "In a month", "In three months", "Not looking now", NULL};
const char *const profiles_disclosures[] = {"never", "after_apply", "interview", NULL};
const char *const profiles_disclosure_labels[] = {
    "Never: I will tell employers myself",
    "After I apply: employers of jobs I applied to",
    "When invited to interview: only employers who invite me", NULL};
const char *const profiles_visibilities[] = {"private", "employers", "public", NULL};
const char *const profiles_visibility_labels[] = {
    "Private: only me", "Employers and recruiters signed in to Beacon",
    "Public: anyone with the link, also people not signed in", NULL};

int
profiles_code_index(const char *const *list, const char *code)
{
	if (code == NULL)
		return -1;
	for (int i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], code) == 0)
			return i;
	return -1;
}

void
profiles_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	p->headline = xstrdup("");
	p->summary = xstrdup("");
	p->desired_titles = xstrdup("");
	p->locations = xstrdup("");
	p->remote_preference = xstrdup("any");
	p->availability = xstrdup("immediately");
	p->work_authorization = xstrdup("");
	p->links = xstrdup("");
	p->videophone = xstrdup("");
	p->text_phone = xstrdup("");
	p->needs_notes = xstrdup("");
	p->disclosure = xstrdup("never");
	p->visibility = xstrdup("private");
	p->display_name = xstrdup("");
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

static void
experience_free(struct profile_experience *e)
{
	free(e->title);
	free(e->organisation);
	free(e->start_date);
	free(e->end_date);
	free(e->description);
}

static void
education_free(struct profile_education *e)
{
	free(e->institution);
	free(e->credential);
	free(e->field);
	free(e->start_date);
	free(e->end_date);
}

void
profiles_free(struct profile *p)
{
	free(p->headline);
	free(p->summary);
	free(p->desired_titles);
	free(p->locations);
	free(p->remote_preference);
	free(p->experience_level);
	free(p->salary_currency);
	free(p->salary_period);
	free(p->availability);
	free(p->work_authorization);
	free(p->links);
	wipe_free(p->videophone);
	wipe_free(p->text_phone);
	wipe_free(p->needs_notes);
	free(p->disclosure);
	free(p->visibility);
	for (int i = 0; i < p->nskills; i++)
		free(p->skills[i]);
	free(p->skills);
	for (int i = 0; i < p->nexperience; i++)
		experience_free(&p->experience[i]);
	free(p->experience);
	for (int i = 0; i < p->neducation; i++)
		education_free(&p->education[i]);
	free(p->education);
	free(p->created_at);
	free(p->updated_at);
	free(p->display_name);
	memset(p, 0, sizeof(*p));
}

/* ---- skills ---- */

static const char *const skill_aliases[][2] = {
    {"js", "javascript"},
    {"ecmascript", "javascript"},
    {"ts", "typescript"},
    {"american sign language", "asl"},
    {"golang", "go"},
    {"postgres", "postgresql"},
    {"nodejs", "node.js"},
    {"node", "node.js"},
    {"reactjs", "react"},
    {"react.js", "react"},
    {"k8s", "kubernetes"},
    {"cpp", "c++"},
    {"csharp", "c#"},
    {"py", "python"},
    {"ms excel", "excel"},
    {"microsoft excel", "excel"},
    {NULL, NULL},
};

bool
profiles_skill_norm(const char *in, char *out, size_t n)
{
	size_t len = 0;
	bool space = false;

	if (in == NULL || n == 0)
		return false;
	size_t inlen = strlen(in);
	if (!utf8_valid(in, inlen) || utf8_has_control(in, inlen))
		return false;
	for (const char *s = in; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = len > 0;
			continue;
		}
		if (space) {
			if (len + 1 >= n)
				return false;
			out[len++] = ' ';
			space = false;
		}
		if (len + 1 >= n)
			return false;
		out[len++] = (char)tolower(c);
	}
	out[len] = '\0';
	if (len == 0 || utf8_count(out, len) > PROFILE_SKILL_MAX)
		return false;
	for (size_t i = 0; skill_aliases[i][0] != NULL; i++)
		if (strcmp(out, skill_aliases[i][0]) == 0) {
			snprintf(out, n, "%s", skill_aliases[i][1]);
			break;
		}
	return true;
}

/* ---- validation ---- */

static const char *
text_message(enum text_problem p, const char *empty, const char *too_long)
{
	switch (p) {
	case TEXT_EMPTY:
		return empty;
	case TEXT_TOO_LONG:
		return too_long;
	case TEXT_MULTI_LINE:
		return "Write this on one line.";
	default:
		return "This holds characters we cannot store (control characters or broken text).";
	}
}

/*
 * Replace *field with its clean form ("" when empty, or NULL when
 * null_when_empty); a refused value adds too_long (or the problem's own
 * message) under name and stays as it was, so the form can show it again.
 */
static void
clean_text(char **field, const char *name, size_t max, bool multi, bool null_when_empty,
           const char *too_long, struct field_errors *fe)
{
	enum text_problem pr;
	char *c = text_clean(*field, max, TEXT_CHARS, multi, &pr);
	if (c == NULL && pr != TEXT_EMPTY) {
		ferr_add(fe, name, text_message(pr, NULL, too_long));
		return;
	}
	free(*field);
	*field = c != NULL ? c : null_when_empty ? NULL : xstrdup("");
}

/*
 * A multi-line list field: empty lines dropped, at most PROFILE_LINES_MAX
 * lines of at most max characters each, each passing ok when given.
 */
static void
clean_lines(char **field, const char *name, size_t max, bool (*ok)(const char *),
            const char *bad, struct field_errors *fe)
{
	clean_text(field, name, PROFILE_LINES_MAX * (max + 1), true, false,
	           "This list is too long.", fe);
	struct buf out = {0};
	int lines = 0;
	char *save = NULL;
	for (char *line = strtok_r(*field, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		enum text_problem pr;
		char *c = text_clean(line, max, TEXT_CHARS, false, &pr);
		if (c == NULL) {
			if (pr != TEXT_EMPTY)
				ferr_add(fe, name, "One line of this list is too long.");
			continue;
		}
		if (ok != NULL && !ok(c))
			ferr_add(fe, name, bad);
		if (++lines > PROFILE_LINES_MAX)
			ferr_add(fe, name, "Use at most 10 lines.");
		if (out.len > 0)
			buf_putc(&out, '\n');
		buf_puts(&out, c);
		free(c);
	}
	free(*field);
	*field = out.data != NULL ? buf_steal(&out) : xstrdup("");
}

static void
check_code(char **field, const char *name, const char *const *list, const char *def,
           const char *msg, struct field_errors *fe)
{
	if (*field == NULL || (*field)[0] == '\0') {
		free(*field);
		*field = def != NULL ? xstrdup(def) : NULL;
	} else if (profiles_code_index(list, *field) < 0) {
		ferr_add(fe, name, msg);
	}
}

/* YYYY, YYYY-MM or YYYY-MM-DD (JSON Resume's forms) with a real month (and day). */
static bool
date_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 4)
		return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
		       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]);
	if (n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	}
	int month = (s[5] - '0') * 10 + (s[6] - '0');
	if (month < 1 || month > 12)
		return false;
	if (n == 10) {
		time_t t;
		return date_parse(s, false, &t);
	}
	return true;
}

/* Field names of entries must outlive the response: one fixed table per kind. */
static const char *
entry_name(char names[][8][40], int i, int k, const char *kind, const char *member)
{
	if (names[i][k][0] == '\0')
		snprintf(names[i][k], sizeof(names[i][k]), "%s.%d.%s", kind, i, member);
	return names[i][k];
}

static char exp_names[PROFILE_ENTRIES_MAX][8][40];
static char edu_names[PROFILE_ENTRIES_MAX][8][40];

static void
clean_date(char **d, const char *name, struct field_errors *fe)
{
	clean_text(d, name, 10, false, true, "Use a date like 2024, 2024-05 or 2024-05-31.", fe);
	if (*d != NULL && !date_ok(*d))
		ferr_add(fe, name, "Use a date like 2024, 2024-05 or 2024-05-31.");
}

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static void
validate_experience(struct profile *p, struct field_errors *fe)
{
	int kept = 0;
	for (int i = 0; i < p->nexperience; i++) {
		struct profile_experience *e = &p->experience[i];
		if (blank(e->title) && blank(e->organisation) && blank(e->start_date) &&
		    blank(e->end_date) && blank(e->description)) {
			experience_free(e);
			continue;
		}
		if (kept >= PROFILE_ENTRIES_MAX) {
			ferr_add(fe, "experience", "Add at most 20 experience entries.");
			experience_free(e);
			continue;
		}
		int j = kept;
		clean_text(&e->title, entry_name(exp_names, j, 0, "experience", "title"),
		           PROFILE_ENTRY_TEXT_MAX, false, false,
		           "Use at most 160 characters for the job title.", fe);
		if (e->title[0] == '\0')
			ferr_add(fe, entry_name(exp_names, j, 0, "experience", "title"),
			         "Enter the job title, or empty the whole entry.");
		clean_text(&e->organisation, entry_name(exp_names, j, 1, "experience", "organisation"),
		           PROFILE_ENTRY_TEXT_MAX, false, false,
		           "Use at most 160 characters for the organisation.", fe);
		clean_date(&e->start_date, entry_name(exp_names, j, 2, "experience", "start_date"), fe);
		clean_date(&e->end_date, entry_name(exp_names, j, 3, "experience", "end_date"), fe);
		clean_text(&e->description, entry_name(exp_names, j, 4, "experience", "description"),
		           PROFILE_ENTRY_DESC_MAX, true, false,
		           "Use at most 2,000 characters for the description.", fe);
		p->experience[kept++] = *e;
	}
	p->nexperience = kept;
}

static void
validate_education(struct profile *p, struct field_errors *fe)
{
	int kept = 0;
	for (int i = 0; i < p->neducation; i++) {
		struct profile_education *e = &p->education[i];
		if (blank(e->institution) && blank(e->credential) && blank(e->field) &&
		    blank(e->start_date) && blank(e->end_date)) {
			education_free(e);
			continue;
		}
		if (kept >= PROFILE_ENTRIES_MAX) {
			ferr_add(fe, "education", "Add at most 20 education entries.");
			education_free(e);
			continue;
		}
		int j = kept;
		clean_text(&e->institution, entry_name(edu_names, j, 0, "education", "institution"),
		           PROFILE_ENTRY_TEXT_MAX, false, false,
		           "Use at most 160 characters for the school.", fe);
		if (e->institution[0] == '\0')
			ferr_add(fe, entry_name(edu_names, j, 0, "education", "institution"),
			         "Enter the school, or empty the whole entry.");
		clean_text(&e->credential, entry_name(edu_names, j, 1, "education", "credential"),
		           PROFILE_ENTRY_TEXT_MAX, false, false,
		           "Use at most 160 characters for the qualification.", fe);
		clean_text(&e->field, entry_name(edu_names, j, 2, "education", "field"),
		           PROFILE_ENTRY_TEXT_MAX, false, false,
		           "Use at most 160 characters for the subject.", fe);
		clean_date(&e->start_date, entry_name(edu_names, j, 3, "education", "start_date"), fe);
		clean_date(&e->end_date, entry_name(edu_names, j, 4, "education", "end_date"), fe);
		p->education[kept++] = *e;
	}
	p->neducation = kept;
}

static void
validate_skills(struct profile *p, struct field_errors *fe)
{
	int kept = 0;
	for (int i = 0; i < p->nskills; i++) {
		char norm[4 * PROFILE_SKILL_MAX + 1];
		bool dup = false;
		if (blank(p->skills[i])) {
			free(p->skills[i]);
			continue;
		}
		if (!profiles_skill_norm(p->skills[i], norm, sizeof(norm))) {
			ferr_add(fe, "skills", "Use at most 60 characters for each skill.");
			free(p->skills[i]);
			continue;
		}
		free(p->skills[i]);
		for (int j = 0; j < kept; j++)
			dup |= strcmp(p->skills[j], norm) == 0;
		if (dup)
			continue;
		if (kept >= PROFILE_SKILLS_MAX) {
			ferr_add(fe, "skills", "List at most 50 skills.");
			continue;
		}
		p->skills[kept++] = xstrdup(norm);
	}
	p->nskills = kept;
}

/* A contact number: digits with spaces, +, -, ., ( and ), at least 3 digits. */
static void
clean_phone(char **field, const char *name, struct field_errors *fe)
{
	clean_text(field, name, PROFILE_PHONE_MAX, false, false,
	           "Use at most 40 characters for the number.", fe);
	int digits = 0;
	for (const char *s = *field; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (strchr(" +-.()", *s) == NULL) {
			ferr_add(fe, name, "Use only digits, spaces and + - ( ) in the number.");
			return;
		}
	}
	if ((*field)[0] != '\0' && digits < 3)
		ferr_add(fe, name, "Enter the whole number, with at least 3 digits.");
}

int
profiles_validate(struct profile *p, struct field_errors *fe)
{
	int before = fe->n;

	clean_text(&p->headline, "headline", PROFILE_HEADLINE_MAX, false, false,
	           "Use at most 120 characters for the headline.", fe);
	clean_text(&p->summary, "summary", PROFILE_SUMMARY_MAX, true, false,
	           "Use at most 4,000 characters for the summary.", fe);
	clean_lines(&p->desired_titles, "desired_titles", PROFILE_LINE_MAX, NULL, NULL, fe);
	clean_lines(&p->locations, "locations", PROFILE_LINE_MAX, NULL, NULL, fe);
	clean_lines(&p->links, "links", PROFILE_LINK_MAX, text_web_address_ok,
	            "Each link must start with https:// or http://, like https://example.org.",
	            fe);
	check_code(&p->remote_preference, "remote_preference", profiles_remote_prefs, "any",
	           "Choose one of the remote options.", fe);
	check_code(&p->availability, "availability", profiles_availabilities, "immediately",
	           "Choose one of the availability options.", fe);
	check_code(&p->disclosure, "disclosure", profiles_disclosures, "never",
	           "Choose when employers may see your needs.", fe);
	check_code(&p->visibility, "visibility", profiles_visibilities, "private",
	           "Choose who may see your profile.", fe);
	if (p->experience_level != NULL && p->experience_level[0] == '\0') {
		free(p->experience_level);
		p->experience_level = NULL;
	}
	if (p->experience_level != NULL &&
	    vocab_find(vocab_levels, vocab_levels_count, p->experience_level) < 0)
		ferr_add(fe, "experience_level", "Choose one of the experience levels.");

	clean_text(&p->salary_currency, "salary_currency", 3, false, true,
	           "Use a three-letter currency code, like USD.", fe);
	clean_text(&p->salary_period, "salary_period", 10, false, true, "Choose a period.", fe);
	if (p->has_salary) {
		if (!isfinite(p->salary_min) || p->salary_min < 0 ||
		    p->salary_min > PROFILE_SALARY_MAX)
			ferr_add(fe, "salary_min", "Enter an amount between 0 and 100,000,000.");
		if (p->salary_currency == NULL)
			p->salary_currency = xstrdup("USD");
		/* "usd" means USD (ISO 4217 codes are capitals). */
		for (char *c = p->salary_currency; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		bool ok = strlen(p->salary_currency) == 3;
		for (int i = 0; ok && i < 3; i++)
			ok = p->salary_currency[i] >= 'A' && p->salary_currency[i] <= 'Z';
		if (!ok)
			ferr_add(fe, "salary_currency",
			         "Use a three-letter currency code, like USD.");
		if (p->salary_period == NULL)
			p->salary_period = xstrdup("YEAR");
		if (vocab_find(vocab_periods, vocab_periods_count, p->salary_period) < 0)
			ferr_add(fe, "salary_period", "Choose a period: HOUR, DAY, WEEK, MONTH or YEAR.");
	} else {
		free(p->salary_currency);
		free(p->salary_period);
		p->salary_currency = p->salary_period = NULL;
		p->salary_min = 0;
	}

	clean_text(&p->work_authorization, "work_authorization", PROFILE_WORKAUTH_MAX, false,
	           false, "Use at most 300 characters.", fe);
	clean_phone(&p->videophone, "videophone", fe);
	clean_phone(&p->text_phone, "text_phone", fe);
	clean_text(&p->needs_notes, "needs_notes", PROFILE_NOTES_MAX, true, false,
	           "Use at most 1,000 characters for the notes.", fe);
	p->comm_modes &= ((uint64_t)1 << vocab_comm_modes_count) - 1;
	p->needs &= ((uint64_t)1 << vocab_needs_count) - 1;
	validate_skills(p, fe);
	validate_experience(p, fe);
	validate_education(p, fe);
	return fe->n > before ? 1 : 0;
}

/* ---- sealed needs ---- */

void
profiles_needs_json(uint64_t needs, const char *notes, struct buf *out)
{
	struct json_writer w;
	jw_init(&w, out);
	jw_obj_begin(&w);
	jw_key(&w, "needs");
	jw_arr_begin(&w);
	for (size_t i = 0; i < vocab_needs_count; i++)
		if (needs & ((uint64_t)1 << i))
			jw_str(&w, vocab_needs[i].code);
	jw_arr_end(&w);
	jw_kv_str(&w, "notes", notes != NULL ? notes : "");
	jw_obj_end(&w);
}

int
profiles_needs_parse(const char *text, uint64_t *needs, char **notes)
{
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	int rc = -1;
	*needs = 0;
	*notes = NULL;
	if (!json_is_object(o))
		goto out;
	json_t *arr = json_object_get(o, "needs");
	json_t *nt = json_object_get(o, "notes");
	if (!json_is_array(arr) || (nt != NULL && !json_is_string(nt)))
		goto out;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		int k = vocab_find(vocab_needs, vocab_needs_count, json_string_value(v));
		if (k >= 0)
			*needs |= (uint64_t)1 << k;
	}
	*notes = xstrdup(nt != NULL ? json_string_value(nt) : "");
	rc = 0;
out:
	json_decref(o);
	return rc;
}

/* ---- storage ---- */

static char *
dup_col(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return s != NULL ? xstrdup(s) : NULL;
}

static char *
dup_col_empty(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return xstrdup(s != NULL ? s : "");
}

/* Open a sealed column value of user_id into *out ("" for NULL): 0 or -1. */
static int
open_sealed(const char *column, int64_t user_id, const char *sealed, char **out)
{
	char aad[96];
	struct buf pt = {0};
	if (sealed == NULL) {
		*out = xstrdup("");
		return 0;
	}
	snprintf(aad, sizeof(aad), "profiles.%s:%lld", column, (long long)user_id);
	if (seal_decrypt(sealed, aad, &pt) != 0)
		return -1;
	*out = xstrdup(buf_cstr(&pt));
	if (pt.data != NULL)
		sodium_memzero(pt.data, pt.len);
	buf_free(&pt);
	return 0;
}

/* Seal plain for column of user_id, or NULL when plain is empty. Caller frees. */
static char *
seal_value(const char *column, int64_t user_id, const char *plain, bool *failed)
{
	char aad[96];
	struct buf out = {0};
	if (plain == NULL || plain[0] == '\0')
		return NULL;
	snprintf(aad, sizeof(aad), "profiles.%s:%lld", column, (long long)user_id);
	if (seal_encrypt(plain, strlen(plain), aad, &out) != 0) {
		*failed = true;
		return NULL;
	}
	return buf_steal(&out);
}

static int
load_lists(struct db *db, int64_t user_id, struct profile *p)
{
	struct db_stmt *st = db_prepare(db, "SELECT skill FROM profile_skills WHERE user_id = ? "
	                                    "ORDER BY position, skill");
	enum db_step_result r;
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	while ((r = db_step(st)) == DB_ROW) {
		p->skills = xrealloc(p->skills, sizeof(*p->skills) * (size_t)(p->nskills + 1));
		p->skills[p->nskills++] = dup_col_empty(st, 0);
	}
	db_finalize(st);
	if (r != DB_DONE)
		return -1;

	st = db_prepare(db, "SELECT title, organisation, start_date, end_date, description FROM "
	                    "profile_experience WHERE user_id = ? ORDER BY position, id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	while ((r = db_step(st)) == DB_ROW) {
		p->experience =
		    xrealloc(p->experience, sizeof(*p->experience) * (size_t)(p->nexperience + 1));
		struct profile_experience *e = &p->experience[p->nexperience++];
		e->title = dup_col_empty(st, 0);
		e->organisation = dup_col_empty(st, 1);
		e->start_date = dup_col(st, 2);
		e->end_date = dup_col(st, 3);
		e->description = dup_col_empty(st, 4);
	}
	db_finalize(st);
	if (r != DB_DONE)
		return -1;

	st = db_prepare(db, "SELECT institution, credential, field, start_date, end_date FROM "
	                    "profile_education WHERE user_id = ? ORDER BY position, id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	while ((r = db_step(st)) == DB_ROW) {
		p->education =
		    xrealloc(p->education, sizeof(*p->education) * (size_t)(p->neducation + 1));
		struct profile_education *e = &p->education[p->neducation++];
		e->institution = dup_col_empty(st, 0);
		e->credential = dup_col_empty(st, 1);
		e->field = dup_col_empty(st, 2);
		e->start_date = dup_col(st, 3);
		e->end_date = dup_col(st, 4);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

int
profiles_get(struct db *db, int64_t user_id, enum profile_view view, struct profile *p)
{
	profiles_init(p);
	p->user_id = user_id;
	struct db_stmt *st = db_prepare(
	    db, "SELECT p.headline, p.summary, p.desired_titles, p.locations, p.remote_preference, "
	        "p.experience_level, p.salary_min, p.salary_currency, p.salary_period, "
	        "p.availability, p.work_authorization, p.links, p.comm_modes, p.videophone_sealed, "
	        "p.text_phone_sealed, p.accommodations_sealed, p.disclosure, p.visibility, "
	        "p.created_at, p.updated_at, u.display_name FROM users u LEFT JOIN profiles p ON "
	        "p.user_id = u.id WHERE u.id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	enum db_step_result r = db_step(st);
	if (r != DB_ROW) {
		db_finalize(st);
		return r == DB_DONE ? 0 : -1;
	}
	free(p->display_name);
	p->display_name = dup_col_empty(st, 20);
	if (db_col_is_null(st, 19)) {
		db_finalize(st);
		return 0;
	}
	int rc = 1;
#define TAKE(field, i)                                                                             \
	do {                                                                                       \
		free(p->field);                                                                    \
		p->field = dup_col_empty(st, i);                                                   \
	} while (0)
	TAKE(headline, 0);
	TAKE(summary, 1);
	TAKE(desired_titles, 2);
	TAKE(locations, 3);
	TAKE(remote_preference, 4);
	p->experience_level = dup_col(st, 5);
	p->has_salary = !db_col_is_null(st, 6);
	p->salary_min = p->has_salary ? db_col_double(st, 6) : 0;
	p->salary_currency = dup_col(st, 7);
	p->salary_period = dup_col(st, 8);
	TAKE(availability, 9);
	TAKE(work_authorization, 10);
	TAKE(links, 11);
	p->comm_modes = (uint64_t)db_col_int(st, 12);
	TAKE(disclosure, 16);
	TAKE(visibility, 17);
	p->created_at = dup_col(st, 18);
	p->updated_at = dup_col(st, 19);
#undef TAKE
	if (view == PROFILE_OWNER) {
		char *needs_doc = NULL;
		free(p->videophone);
		free(p->text_phone);
		p->videophone = p->text_phone = NULL;
		if (open_sealed("videophone_sealed", user_id, db_col_text(st, 13), &p->videophone) !=
		        0 ||
		    open_sealed("text_phone_sealed", user_id, db_col_text(st, 14), &p->text_phone) !=
		        0 ||
		    open_sealed("accommodations_sealed", user_id, db_col_text(st, 15), &needs_doc) !=
		        0)
			rc = -1;
		if (p->videophone == NULL)
			p->videophone = xstrdup("");
		if (p->text_phone == NULL)
			p->text_phone = xstrdup("");
		if (rc == 1 && needs_doc[0] != '\0') {
			free(p->needs_notes);
			p->needs_notes = NULL;
			if (profiles_needs_parse(needs_doc, &p->needs, &p->needs_notes) != 0) {
				p->needs_notes = xstrdup("");
				rc = -1;
			}
		}
		wipe_free(needs_doc);
	}
	db_finalize(st);
	if (rc == 1 && load_lists(db, user_id, p) != 0)
		rc = -1;
	return rc;
}

static void
search_add(struct buf *b, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return;
	buf_putc(b, ' ');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		buf_putc(b, c == '\n' ? ' ' : (char)tolower(c));
	}
}

/* The text candidate search matches words against: lower case, one line, spaces around. */
static char *
search_text(const struct profile *p)
{
	struct buf b = {0};
	search_add(&b, p->headline);
	search_add(&b, p->summary);
	search_add(&b, p->desired_titles);
	search_add(&b, p->locations);
	for (int i = 0; i < p->nskills; i++)
		search_add(&b, p->skills[i]);
	for (int i = 0; i < p->nexperience; i++) {
		search_add(&b, p->experience[i].title);
		search_add(&b, p->experience[i].organisation);
		search_add(&b, p->experience[i].description);
	}
	for (int i = 0; i < p->neducation; i++) {
		search_add(&b, p->education[i].institution);
		search_add(&b, p->education[i].credential);
		search_add(&b, p->education[i].field);
	}
	buf_putc(&b, ' ');
	return buf_steal(&b);
}

static int
replace_lists(struct db *db, int64_t user_id, const struct profile *p)
{
	static const char *const deletes[] = {
	    "DELETE FROM profile_skills WHERE user_id = ?",
	    "DELETE FROM profile_experience WHERE user_id = ?",
	    "DELETE FROM profile_education WHERE user_id = ?",
	};
	for (size_t i = 0; i < sizeof(deletes) / sizeof(deletes[0]); i++) {
		struct db_stmt *st = db_prepare(db, deletes[i]);
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, user_id);
		if (db_run(st) < 0)
			return -1;
	}
	for (int i = 0; i < p->nskills; i++) {
		struct db_stmt *st = db_prepare(
		    db, "INSERT INTO profile_skills (user_id, skill, position) VALUES (?, ?, ?)");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, p->skills[i]);
		db_bind_int(st, 3, i);
		if (db_run(st) != 1)
			return -1;
	}
	for (int i = 0; i < p->nexperience; i++) {
		const struct profile_experience *e = &p->experience[i];
		struct db_stmt *st = db_prepare(
		    db, "INSERT INTO profile_experience (user_id, position, title, organisation, "
		        "start_date, end_date, description) VALUES (?, ?, ?, ?, ?, ?, ?)");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, user_id);
		db_bind_int(st, 2, i);
		db_bind_text(st, 3, e->title);
		db_bind_text(st, 4, e->organisation);
		db_bind_text(st, 5, e->start_date);
		db_bind_text(st, 6, e->end_date);
		db_bind_text(st, 7, e->description);
		if (db_run(st) != 1)
			return -1;
	}
	for (int i = 0; i < p->neducation; i++) {
		const struct profile_education *e = &p->education[i];
		struct db_stmt *st = db_prepare(
		    db, "INSERT INTO profile_education (user_id, position, institution, credential, "
		        "field, start_date, end_date) VALUES (?, ?, ?, ?, ?, ?, ?)");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, user_id);
		db_bind_int(st, 2, i);
		db_bind_text(st, 3, e->institution);
		db_bind_text(st, 4, e->credential);
		db_bind_text(st, 5, e->field);
		db_bind_text(st, 6, e->start_date);
		db_bind_text(st, 7, e->end_date);
		if (db_run(st) != 1)
			return -1;
	}
	return 0;
}

int
profiles_save(struct db *db, int64_t user_id, struct profile *p, struct field_errors *fe)
{
	if (profiles_validate(p, fe) != 0)
		return 1;

	bool failed = false;
	struct buf needs = {0};
	char *vp = seal_value("videophone_sealed", user_id, p->videophone, &failed);
	char *tp = seal_value("text_phone_sealed", user_id, p->text_phone, &failed);
	char *acc = NULL;
	if (p->needs != 0 || p->needs_notes[0] != '\0') {
		profiles_needs_json(p->needs, p->needs_notes, &needs);
		acc = seal_value("accommodations_sealed", user_id, buf_cstr(&needs), &failed);
	}
	char *st_text = search_text(p);
	char now[INSTANT_LEN];
	int rc = -1;
	bool began = false;
	instant_now(now);
	if (failed)
		goto out;
	if (db_begin_write(db) != 0)
		goto out;
	began = true;
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO profiles (user_id, headline, summary, desired_titles, locations, "
	        "remote_preference, experience_level, salary_min, salary_currency, salary_period, "
	        "availability, work_authorization, links, comm_modes, videophone_sealed, "
	        "text_phone_sealed, accommodations_sealed, disclosure, visibility, search_text, "
	        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	        "?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET headline = excluded.headline, "
	        "summary = excluded.summary, desired_titles = excluded.desired_titles, locations = "
	        "excluded.locations, remote_preference = excluded.remote_preference, "
	        "experience_level = excluded.experience_level, salary_min = excluded.salary_min, "
	        "salary_currency = excluded.salary_currency, salary_period = "
	        "excluded.salary_period, availability = excluded.availability, work_authorization "
	        "= excluded.work_authorization, links = excluded.links, comm_modes = "
	        "excluded.comm_modes, videophone_sealed = excluded.videophone_sealed, "
	        "text_phone_sealed = excluded.text_phone_sealed, accommodations_sealed = "
	        "excluded.accommodations_sealed, disclosure = excluded.disclosure, visibility = "
	        "excluded.visibility, search_text = excluded.search_text, updated_at = "
	        "excluded.updated_at");
	if (st == NULL)
		goto out;
	int i = 1;
	db_bind_int(st, i++, user_id);
	db_bind_text(st, i++, p->headline);
	db_bind_text(st, i++, p->summary);
	db_bind_text(st, i++, p->desired_titles);
	db_bind_text(st, i++, p->locations);
	db_bind_text(st, i++, p->remote_preference);
	db_bind_text(st, i++, p->experience_level);
	if (p->has_salary)
		db_bind_double(st, i++, p->salary_min);
	else
		db_bind_null(st, i++);
	db_bind_text(st, i++, p->salary_currency);
	db_bind_text(st, i++, p->salary_period);
	db_bind_text(st, i++, p->availability);
	db_bind_text(st, i++, p->work_authorization);
	db_bind_text(st, i++, p->links);
	db_bind_int(st, i++, (int64_t)p->comm_modes);
	db_bind_text(st, i++, vp);
	db_bind_text(st, i++, tp);
	db_bind_text(st, i++, acc);
	db_bind_text(st, i++, p->disclosure);
	db_bind_text(st, i++, p->visibility);
	db_bind_text(st, i++, st_text);
	db_bind_text(st, i++, now);
	db_bind_text(st, i++, now);
	if (db_run(st) != 1)
		goto out;
	if (replace_lists(db, user_id, p) != 0)
		goto out;
	if (db_commit(db) != 0)
		goto out;
	began = false;
	rc = 0;
out:
	if (began)
		db_rollback(db);
	if (needs.data != NULL)
		sodium_memzero(needs.data, needs.len);
	buf_free(&needs);
	free(vp);
	free(tp);
	free(acc);
	free(st_text);
	return rc;
}

int
profiles_visible_to_employers(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT 1 FROM profiles p JOIN users u ON u.id = p.user_id WHERE p.user_id = ? AND "
	        "p.visibility IN ('employers', 'public') AND u.status = 'active' AND u.role = "
	        "'job_seeker'");
	if (st != NULL)
		db_bind_int(st, 1, user_id);
	return db_one(st, NULL, NULL);
}

int
profiles_public(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT 1 FROM profiles p JOIN users u ON u.id = p.user_id WHERE p.user_id = ? AND "
	        "p.visibility = 'public' AND u.status = 'active' AND u.role = 'job_seeker'");
	if (st != NULL)
		db_bind_int(st, 1, user_id);
	return db_one(st, NULL, NULL);
}

/* ---- candidate search ---- */

#define CANDIDATE_SKILLS_MAX 10
#define CANDIDATE_PER_PAGE_MAX 50
#define CANDIDATE_BINDS (CANDIDATE_SKILLS_MAX + 8)

/* Who may be found, on every path: the same rule as profiles_visible_to_employers. */
#define CANDIDATE_VISIBLE                                                                          \
	" p.visibility IN ('employers', 'public') AND u.status = 'active' AND u.role = "           \
	"'job_seeker'"

/* "%text%" for LIKE with %, _ and \ escaped, text lowered. */
static char *
like_pattern(const char *text)
{
	struct buf b = {0};
	buf_putc(&b, '%');
	for (; *text; text++) {
		if (*text == '%' || *text == '_' || *text == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, (char)tolower((unsigned char)*text));
	}
	buf_putc(&b, '%');
	return buf_steal(&b);
}

/*
 * The FTS5 expression for words (search_words output, space separated): each
 * word a quoted string, so NEAR, AND, OR, * or a quote in user text are
 * plain text. search_words leaves no quote in a word; one is doubled anyway,
 * the FTS5 escape, so the expression stays well formed whatever comes in.
 */
static char *
fts5_phrases(const char *words)
{
	struct buf b = {0};
	bool open = false;
	for (const char *p = words;; p++) {
		if (*p == ' ' || *p == '\0') {
			if (open)
				buf_putc(&b, '"');
			open = false;
			if (*p == '\0')
				break;
			continue;
		}
		if (!open) {
			if (b.len > 0)
				buf_putc(&b, ' ');
			buf_putc(&b, '"');
			open = true;
		}
		if (*p == '"')
			buf_putc(&b, '"');
		buf_putc(&b, *p);
	}
	return buf_steal(&b);
}

struct bound {
	char *text[CANDIDATE_BINDS];
	int n;
};

static void
bind_all(struct db_stmt *st, const struct bound *b)
{
	for (int i = 0; i < b->n; i++)
		db_bind_text(st, i + 1, b->text[i]);
}

/* What a candidate search starts from (see candidates_from). */
enum candidates_driver { DRIVE_WORDS, DRIVE_SKILL, DRIVE_LIST };

/*
 * FROM ... WHERE for q into from, values into b, and which index drives: the
 * full-text index when there are words (private profiles are not in it), else
 * profile_skills_skill for the first skill, else profiles_searchable (visible
 * profiles, newest first). CROSS JOIN pins that order on SQLite, as in job
 * search; without it the planner started from users_role and read every
 * job seeker. The other conditions check each row the driver yields.
 */
static enum candidates_driver
candidates_from(struct db *db, const struct candidate_query *q, struct buf *from, struct bound *b)
{
	bool sqlite = db_kind(db) == DB_SQLITE;
	char *skills[CANDIDATE_SKILLS_MAX];
	int nskills = 0;
	if (q->skills != NULL) {
		char *copy = xstrdup(q->skills), *save = NULL;
		for (char *s = strtok_r(copy, ",", &save);
		     s != NULL && nskills < CANDIDATE_SKILLS_MAX; s = strtok_r(NULL, ",", &save)) {
			char norm[4 * PROFILE_SKILL_MAX + 1];
			if (profiles_skill_norm(s, norm, sizeof(norm)))
				skills[nskills++] = xstrdup(norm);
		}
		free(copy);
	}
	struct buf w = {0};
	int first_skill = 0;
	enum candidates_driver driver = DRIVE_LIST;
	if (search_words(q->words, &w) > 0) {
		driver = DRIVE_WORDS;
		if (sqlite) {
			buf_puts(from, " FROM profiles_fts CROSS JOIN profiles p ON p.user_id = "
			               "profiles_fts.rowid JOIN users u ON u.id = p.user_id WHERE "
			               "profiles_fts MATCH ? AND");
			b->text[b->n++] = fts5_phrases(buf_cstr(&w));
		} else {
			buf_puts(from, " FROM profiles p JOIN users u ON u.id = p.user_id WHERE "
			               "p.search_tsv @@ plainto_tsquery('english', ?) AND");
			b->text[b->n++] = buf_steal(&w);
		}
	} else if (nskills > 0) {
		buf_puts(from, sqlite ? " FROM profile_skills s0 CROSS JOIN profiles p"
		                      : " FROM profile_skills s0 JOIN profiles p");
		buf_puts(from, " ON p.user_id = s0.user_id JOIN users u ON u.id = p.user_id WHERE "
		               "s0.skill = ? AND");
		b->text[b->n++] = skills[0];
		first_skill = 1;
		driver = DRIVE_SKILL;
	} else {
		buf_puts(from, sqlite ? " FROM profiles p CROSS JOIN users u"
		                      : " FROM profiles p JOIN users u");
		buf_puts(from, " ON u.id = p.user_id WHERE");
	}
	buf_free(&w);
	buf_puts(from, CANDIDATE_VISIBLE);
	for (int i = first_skill; i < nskills; i++) {
		buf_puts(from, " AND EXISTS (SELECT 1 FROM profile_skills s WHERE s.user_id = "
		               "p.user_id AND s.skill = ?)");
		b->text[b->n++] = skills[i];
	}
	if (q->location != NULL && !blank(q->location)) {
		buf_puts(from, " AND lower(p.locations) LIKE ? ESCAPE '\\'");
		enum text_problem pr;
		char *t = text_clean(q->location, PROFILE_LINE_MAX, TEXT_CHARS, false, &pr);
		b->text[b->n++] = like_pattern(t != NULL ? t : "");
		free(t);
	}
	if (q->remote != NULL && q->remote[0] != '\0' && strcmp(q->remote, "any") != 0) {
		/* Someone open to anything fits every remote filter. */
		buf_puts(from, " AND p.remote_preference IN (?, 'any')");
		b->text[b->n++] = xstrdup(q->remote);
	}
	if (q->availability != NULL && q->availability[0] != '\0') {
		buf_puts(from, " AND p.availability = ?");
		b->text[b->n++] = xstrdup(q->availability);
	}
	if (q->level != NULL && q->level[0] != '\0') {
		buf_puts(from, " AND p.experience_level = ?");
		b->text[b->n++] = xstrdup(q->level);
	}
	return driver;
}

/* COUNT(*) of the matches, for when the page query does not carry it. */
static int
candidates_count(struct db *db, const struct buf *from, const struct bound *b, int64_t *total)
{
	struct buf sql = {0};
	buf_puts(&sql, "SELECT COUNT(*)");
	buf_puts(&sql, buf_cstr(from));
	struct db_stmt *st = db_prepare(db, buf_cstr(&sql));
	buf_free(&sql);
	if (st == NULL)
		return -1;
	bind_all(st, b);
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		*total = db_col_int(st, 0);
		rc = 0;
	}
	db_finalize(st);
	return rc;
}

int
candidates_search(struct db *db, const struct candidate_query *q, struct field_errors *fe,
                  void (*fn)(const struct candidate_hit *h, void *arg), void *arg, int64_t *total)
{
	struct buf from = {0}, sql = {0};
	struct bound b = {0};
	int rc = -1;

	*total = 0;
	if (q->remote != NULL && q->remote[0] != '\0' &&
	    profiles_code_index(profiles_remote_prefs, q->remote) < 0)
		ferr_add(fe, "remote", "Choose one of the remote options.");
	if (q->availability != NULL && q->availability[0] != '\0' &&
	    profiles_code_index(profiles_availabilities, q->availability) < 0)
		ferr_add(fe, "availability", "Choose one of the availability options.");
	if (q->level != NULL && q->level[0] != '\0' &&
	    vocab_find(vocab_levels, vocab_levels_count, q->level) < 0)
		ferr_add(fe, "level", "Choose one of the experience levels.");
	if (q->words != NULL && strlen(q->words) > 200)
		ferr_add(fe, "q", "Use at most 200 characters.");
	if (q->location != NULL && strlen(q->location) > PROFILE_LINE_MAX)
		ferr_add(fe, "location", "Use at most 120 characters.");
	if (q->skills != NULL && strlen(q->skills) > 600)
		ferr_add(fe, "skills", "Use at most 600 characters.");
	if (fe->n > 0)
		return 1;

	enum candidates_driver driver = candidates_from(db, q, &from, &b);
	/*
	 * Words and skills: the index yields the matches, so one query counts
	 * them (COUNT(*) OVER () before LIMIT) and sorts them. The plain list
	 * instead walks profiles_searchable in page order and stops at the page;
	 * counting all visible profiles is a second query without the sort, which
	 * at 30,000 visible profiles cost less than the window's sort.
	 */
	bool windowed = driver != DRIVE_LIST;
	int per = q->per_page < 1                        ? 20
	          : q->per_page > CANDIDATE_PER_PAGE_MAX ? CANDIDATE_PER_PAGE_MAX
	                                                 : q->per_page;
	int page = q->page < 1 ? 1 : q->page > 10000 ? 10000 : q->page;
	/*
	 * The inner query finds the page's ids (and the total); only those rows
	 * are then read whole, with their skills. Newest update first, the id
	 * breaking ties, for stable pages.
	 */
	buf_puts(&sql, "SELECT p.user_id, u.display_name, p.headline, p.locations, "
	               "p.remote_preference, p.availability, p.experience_level, p.updated_at, ");
	/* The one dialect difference: SQLite 3.40 has group_concat, PostgreSQL string_agg. */
	buf_puts(&sql, db_kind(db) == DB_SQLITE ? "(SELECT group_concat(skill, ', ')"
	                                        : "(SELECT string_agg(skill, ', ')");
	buf_puts(&sql, " FROM (SELECT skill FROM profile_skills k WHERE k.user_id = p.user_id "
	               "ORDER BY position LIMIT 12) x), m.total FROM ");
	if (windowed) {
		/*
		 * The window over the unsorted matches, sorted after: with ORDER BY
		 * next to COUNT(*) OVER (), PostgreSQL costed the LIMIT as if it
		 * could stop early and walked profiles_searchable checking every
		 * visible profile.
		 */
		buf_puts(&sql,
		         "(SELECT id, at, total FROM (SELECT p.user_id AS id, p.updated_at AS "
		         "at, COUNT(*) OVER () AS total");
		buf_puts(&sql, buf_cstr(&from));
		buf_puts(&sql, ") w ORDER BY at DESC, id DESC LIMIT ? OFFSET ?) m");
	} else {
		buf_puts(&sql, "(SELECT p.user_id AS id, p.updated_at AS at, 0 AS total");
		buf_puts(&sql, buf_cstr(&from));
		buf_puts(&sql, " ORDER BY p.updated_at DESC, p.user_id DESC LIMIT ? OFFSET ?) m");
	}
	buf_puts(&sql, db_kind(db) == DB_SQLITE ? " CROSS JOIN profiles p" : " JOIN profiles p");
	buf_puts(&sql, " ON p.user_id = m.id JOIN users u ON u.id = p.user_id ORDER BY m.at DESC, "
	               "m.id DESC");
	struct db_stmt *st = db_prepare(db, buf_cstr(&sql));
	if (st == NULL)
		goto out;
	bind_all(st, &b);
	db_bind_int(st, b.n + 1, per);
	db_bind_int(st, b.n + 2, (int64_t)(page - 1) * per);
	enum db_step_result r;
	int rows = 0;
	while ((r = db_step(st)) == DB_ROW) {
		struct candidate_hit h = {
		    .user_id = db_col_int(st, 0),
		    .display_name = db_col_text(st, 1),
		    .headline = db_col_text(st, 2),
		    .locations = db_col_text(st, 3),
		    .remote_preference = db_col_text(st, 4),
		    .availability = db_col_text(st, 5),
		    .experience_level = db_col_text(st, 6),
		    .updated_at = db_col_text(st, 7),
		    .skills = db_col_text(st, 8),
		};
		*total = db_col_int(st, 9);
		rows++;
		if (fn != NULL)
			fn(&h, arg);
	}
	db_finalize(st);
	if (r != DB_DONE)
		goto out;
	if ((!windowed || (rows == 0 && page > 1)) && candidates_count(db, &from, &b, total) != 0)
		goto out;
	rc = 0;
out:
	for (int i = 0; i < b.n; i++)
		free(b.text[i]);
	buf_free(&from);
	buf_free(&sql);
	return rc;
}
