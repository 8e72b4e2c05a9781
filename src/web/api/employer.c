/*
 * employer.c - the employer API: the company (GET/PUT /api/v1/company),
 * invitations (POST /api/v1/company/invites), the company's jobs (GET
 * /api/v1/employer/jobs), posting (POST /api/v1/jobs), editing (PATCH
 * /api/v1/jobs/{id}), closing and reopening (POST
 * /api/v1/jobs/{id}/close and /reopen). Documented in docs/api.md and
 * docs/openapi.yaml; the rules live in model/companies.c and
 * model/postings.c, shared with the pages.
 *
 * A job is written in the shape GET /api/v1/jobs/{id} reads (job_write_api):
 * what a client reads it can change and send back. Read-only members (id,
 * url, company, date_posted, status, source, ...) are ignored; members
 * Beacon does not know are refused, so a typing mistake is not lost.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/json.h"
#include "model/companies.h"
#include "model/postings.h"
#include "model/vocab.h"
#include "web/actor.h"
#include "web/body.h"
#include "web/handlers.h"

#define API_PER_PAGE_DEFAULT 20
#define API_PER_PAGE_MAX 100
#define API_MAX_PAGE 10000

static void
send_json(struct rctx *ctx, int status)
{
	resp_send(ctx, status, "application/json", CACHE_NONE);
}

static void
problem_unverified(struct rctx *ctx)
{
	resp_problem(ctx, 403, "email_unverified", "Email address not confirmed",
	             "Only accounts with a confirmed email address can publish jobs or invite "
	             "colleagues. Open the link we emailed you, then try again.",
	             NULL);
}

static void
problem_no_company(struct rctx *ctx)
{
	resp_problem(ctx, 409, "company_required", "No company yet",
	             "Jobs belong to a company. Create yours first with PUT /api/v1/company, or "
	             "accept a colleague's invitation.",
	             NULL);
}

/* ---- the company ---- */

static void
member_json(const struct company_member *m, void *arg)
{
	struct json_writer *w = arg;
	jw_obj_begin(w);
	jw_kv_int(w, "user_id", m->user_id);
	jw_kv_str(w, "display_name", m->display_name);
	jw_kv_str(w, "email", m->email);
	jw_kv_str(w, "role", company_role_name(m->role));
	jw_kv_str(w, "since", m->since);
	jw_obj_end(w);
}

static void
bool_kv(struct json_writer *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

/* {"data": company} with the members; 0, or -1 after a database error (nothing sent). */
static int
company_json(struct rctx *ctx, const struct company *c, enum company_role role)
{
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_obj_begin(&w);
	jw_kv_int(&w, "id", c->id);
	jw_kv_str(&w, "name", c->name);
	jw_kv_str(&w, "description_markdown", c->description);
	jw_kv_str(&w, "website", c->website);
	jw_kv_str(&w, "size", c->size);
	jw_kv_str(&w, "industry", c->industry);
	bool_kv(&w, "deaf_owned", c->deaf_owned);
	bool_kv(&w, "deaf_led", c->deaf_led);
	bool_kv(&w, "asl_fluent_staff", c->asl_fluent_staff);
	bool_kv(&w, "interpreters_on_request", c->interpreters_on_request);
	jw_kv_str(&w, "your_role", company_role_name(role));
	jw_kv_str(&w, "created_at", c->created_at);
	jw_kv_str(&w, "updated_at", c->updated_at);
	jw_key(&w, "members");
	jw_arr_begin(&w);
	if (companies_members(ctx->db, c->id, member_json, &w) != 0)
		return -1;
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	return 0;
}

/*
 * The caller's company: 1 (c filled), 0 none, -1 after answering a
 * database error.
 */
static int
load_company(struct rctx *ctx, struct company *c, enum company_role *role)
{
	int64_t id;
	int has = companies_of_user(ctx->db, ctx->auth.user_id, &id, role);
	if (has == 1)
		has = companies_get(ctx->db, id, c) == 1 ? 1 : -1;
	if (has < 0)
		resp_db_error(ctx, "load company");
	return has;
}

void
api_company_get(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct company c;
	enum company_role role;
	int has = load_company(ctx, &c, &role);
	if (has < 0)
		return;
	if (has == 0) {
		resp_problem(ctx, 404, "company_not_found", "No company yet",
		             "You do not belong to a company. Create one with PUT /api/v1/company.",
		             NULL);
		return;
	}
	if (company_json(ctx, &c, role) != 0)
		resp_db_error(ctx, "company members");
	else
		send_json(ctx, 200);
	company_free(&c);
}

/* Model field names that the API spells differently. */
static const char *const company_names[][2] = {
    {"description", "description_markdown"},
    {NULL, NULL},
};

static const char *const job_names[][2] = {
    {"description", "description_markdown"},
    {"city", "location.city"},
    {"region", "location.region"},
    {"country", "location.country"},
    {"applicant_country", "applicant_location_requirement"},
    {"salary_min", "salary.min"},
    {"salary_max", "salary.max"},
    {"salary_currency", "salary.currency"},
    {"salary_period", "salary.period"},
    {"skills_required", "skills.required"},
    {"skills_preferred", "skills.preferred"},
    {NULL, NULL},
};

/* Rename fe's fields from the model's names to the API's. */
static void
api_field_names(struct field_errors *fe, const char *const (*names)[2])
{
	for (int i = 0; i < fe->n; i++)
		for (size_t k = 0; names[k][0] != NULL; k++)
			if (strcmp(fe->e[i].field, names[k][0]) == 0)
				fe->e[i].field = names[k][1];
}

void
api_company_put(struct rctx *ctx)
{
	static const char *const known[] = {"name",
	                                    "description_markdown",
	                                    "website",
	                                    "size",
	                                    "industry",
	                                    "deaf_owned",
	                                    "deaf_led",
	                                    "asl_fluent_staff",
	                                    "interpreters_on_request",
	                                    NULL};
	static const char *const read_only[] = {"id",         "your_role", "created_at",
	                                        "updated_at", "members",   NULL};
	json_t *o = body_json(ctx);
	if (o == NULL || !req_db(ctx))
		goto out;
	struct field_errors fe = {0};
	struct company_input in = {
	    .name = body_str(o, "name", &fe),
	    .description = body_str(o, "description_markdown", &fe),
	    .website = body_str(o, "website", &fe),
	    .size = body_str(o, "size", &fe),
	    .industry = body_str(o, "industry", &fe),
	    .deaf_owned = body_bool(o, "deaf_owned", false, &fe),
	    .deaf_led = body_bool(o, "deaf_led", false, &fe),
	    .asl_fluent_staff = body_bool(o, "asl_fluent_staff", false, &fe),
	    .interpreters_on_request = body_bool(o, "interpreters_on_request", false, &fe),
	};
	body_unknown_members(o, known, read_only, NULL, &fe);
	if (fe.n > 0) {
		resp_problem_fields(ctx, &fe);
		goto out;
	}
	struct company c;
	enum company_role role;
	int has = load_company(ctx, &c, &role);
	if (has < 0)
		goto out;
	struct actor a = actor_of(ctx);
	int64_t id = has == 1 ? c.id : 0;
	int rc = has == 1 ? companies_update(ctx->db, &a, id, &in, &fe)
	                  : companies_create(ctx->db, &a, &in, &fe, &id);
	if (has == 1)
		company_free(&c);
	if (rc == 1) {
		api_field_names(&fe, company_names);
		resp_problem_fields(ctx, &fe);
	} else if (rc == 2) {
		resp_problem(
		    ctx, 409, "company_exists", "You already have a company",
		    "You joined a company while this request was on its way. Send it again "
		    "to update that company.",
		    NULL);
	} else if (rc != 0 || companies_of_user(ctx->db, a.user_id, &id, &role) != 1 ||
	           companies_get(ctx->db, id, &c) != 1) {
		resp_db_error(ctx, "save company");
	} else {
		if (company_json(ctx, &c, role) != 0) {
			resp_db_error(ctx, "company members");
		} else {
			if (has == 0)
				http_response_header(ctx->req, "location", "/api/v1/company");
			send_json(ctx, has == 0 ? 201 : 200);
		}
		company_free(&c);
	}
out:
	json_decref(o);
}

void
api_company_invite(struct rctx *ctx)
{
	json_t *o = body_json(ctx);
	if (o == NULL || !req_db(ctx))
		goto out;
	struct field_errors fe = {0};
	const char *email = body_str(o, "email", &fe);
	static const char *const known[] = {"email", NULL};
	body_unknown_members(o, known, NULL, NULL, &fe);
	if (fe.n > 0) {
		resp_problem_fields(ctx, &fe);
		goto out;
	}
	int64_t company_id;
	enum company_role role;
	int has = companies_of_user(ctx->db, ctx->auth.user_id, &company_id, &role);
	if (has < 0) {
		resp_db_error(ctx, "invite");
		goto out;
	}
	if (has == 0) {
		problem_no_company(ctx);
		goto out;
	}
	if (!ctx->auth.email_verified) {
		problem_unverified(ctx);
		goto out;
	}
	struct actor a = actor_of(ctx);
	char expires[INSTANT_LEN];
	int rc = companies_invite(ctx->db, &a, company_id, email, &fe, expires);
	if (rc < 0) {
		resp_db_error(ctx, "invite");
	} else if (rc == 1) {
		resp_problem_fields(ctx, &fe);
	} else {
		struct json_writer w;
		jw_init(&w, &ctx->body);
		jw_obj_begin(&w);
		jw_kv_str(&w, "status", "invited");
		jw_kv_str(&w, "expires_at", expires);
		jw_obj_end(&w);
		send_json(ctx, 202);
	}
out:
	json_decref(o);
}

/* ---- jobs ---- */

static void
list_item(const struct job *j, void *arg)
{
	job_write_api(arg, j, config_get()->base_url);
}

static void
page_link(struct json_writer *w, const char *key, int page, int per_page)
{
	char tail[96];
	snprintf(tail, sizeof(tail), "/api/v1/employer/jobs?page=%d&per_page=%d", page, per_page);
	struct buf u = {0};
	buf_puts(&u, config_get()->base_url);
	buf_puts(&u, tail);
	jw_kv_str(w, key, buf_cstr(&u));
	buf_free(&u);
}

void
api_employer_jobs(struct rctx *ctx)
{
	int page, per_page;
	if (!req_param_int(ctx, &ctx->query, "page", 1, API_MAX_PAGE, &page) ||
	    !req_param_int(ctx, &ctx->query, "per_page", API_PER_PAGE_DEFAULT, API_PER_PAGE_MAX, &per_page) ||
	    !req_db(ctx))
		return;
	int64_t company_id;
	enum company_role role;
	int has = companies_of_user(ctx->db, ctx->auth.user_id, &company_id, &role);
	if (has < 0) {
		resp_db_error(ctx, "employer jobs");
		return;
	}
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_arr_begin(&w);
	int64_t total = 0;
	if (has == 1 &&
	    postings_list(ctx->db, company_id, page, per_page, list_item, &w, &total) != 0) {
		resp_db_error(ctx, "employer jobs");
		return;
	}
	jw_arr_end(&w);
	int64_t pages = (total + per_page - 1) / per_page;
	jw_key(&w, "meta");
	jw_obj_begin(&w);
	jw_key(&w, "company_id");
	if (has == 1)
		jw_int(&w, company_id);
	else
		jw_null(&w);
	jw_kv_int(&w, "total", total);
	jw_kv_int(&w, "page", page);
	jw_kv_int(&w, "per_page", per_page);
	jw_kv_int(&w, "pages", pages);
	jw_obj_end(&w);
	jw_key(&w, "links");
	jw_obj_begin(&w);
	page_link(&w, "self", page, per_page);
	if (page < pages)
		page_link(&w, "next", page + 1, per_page);
	if (page > 1)
		page_link(&w, "prev", page - 1, per_page);
	jw_obj_end(&w);
	resp_data_send(ctx, &w, 200);
}

/* Text that a job input points at while the request runs. */
struct input_store {
	char num[2][48];
	struct buf skills[2];
};

/* The string members of a job, and of its location and salary objects. */
static const struct body_field job_strs[] = {
    {"title", offsetof(struct posting_input, title), true},
    {"description_markdown", offsetof(struct posting_input, description), true},
    {"employment_type", offsetof(struct posting_input, employment_type), true},
    {"experience_level", offsetof(struct posting_input, experience_level), true},
    {"applicant_location_requirement", offsetof(struct posting_input, applicant_country), true},
    {"valid_through", offsetof(struct posting_input, valid_through), true},
    {NULL, 0, false},
};
static const struct body_field location_strs[] = {
    {"city", offsetof(struct posting_input, city), true},
    {"region", offsetof(struct posting_input, region), true},
    {"country", offsetof(struct posting_input, country), true},
    {NULL, 0, false},
};
static const struct body_field salary_strs[] = {
    {"currency", offsetof(struct posting_input, salary_currency), true},
    {"period", offsetof(struct posting_input, salary_period), true},
    {NULL, 0, false},
};

static void
amount_member(json_t *o, const char *key, const char *api_name, char *buf, const char **out,
              struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return;
	if (json_is_null(v)) {
		*out = NULL;
	} else if (json_is_number(v) && json_number_value(v) >= 0) {
		snprintf(buf, 48, "%.17g", json_number_value(v));
		*out = buf;
	} else {
		ferr_add(fe, api_name, "Must be a number that is not negative.");
	}
}

/* skills.required / skills.preferred: an array of strings (or null: none). */
static void
skills_member(json_t *o, const char *key, const char *api_name, struct buf *store, const char **out,
              struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return;
	buf_reset(store);
	*out = "";
	if (json_is_null(v))
		return;
	if (!json_is_array(v)) {
		ferr_add(fe, api_name, "Must be an array of strings.");
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item)) {
			ferr_add(fe, api_name, "Must be an array of strings.");
			return;
		}
		/* The model splits on commas and line breaks; an array item is one skill. */
		if (strpbrk(json_string_value(item), ",\n\r") != NULL) {
			ferr_add(fe, api_name, "A skill must not contain commas or line breaks.");
			return;
		}
		if (store->len)
			buf_putc(store, '\n');
		buf_puts(store, json_string_value(item));
	}
	*out = buf_cstr(store);
}

static void
object_member_error(json_t *v, const char *api_name, struct field_errors *fe)
{
	if (!json_is_object(v) && !json_is_null(v))
		ferr_add(fe, api_name, "Must be an object or null.");
}

/*
 * Lay the members of o over in (PATCH: in holds the job; POST: defaults):
 * each member present replaces what in has; null clears it. Type errors go
 * into fe under the API's names.
 */
static void
job_overlay(json_t *o, struct posting_input *in, struct input_store *st, struct field_errors *fe)
{
	static const char *const known[] = {"title",
	                                    "description_markdown",
	                                    "employment_type",
	                                    "experience_level",
	                                    "location",
	                                    "remote",
	                                    "applicant_location_requirement",
	                                    "salary",
	                                    "skills",
	                                    "accommodations",
	                                    "valid_through",
	                                    NULL};
	static const char *const read_only[] = {
	    "id",     "url",    "company",  "date_posted",
	    "status", "source", "industry", "sensory_requirement",
	    NULL};
	body_unknown_members(o, known, read_only, NULL, fe);
	body_read_strs(o, job_strs, in, 0, NULL, fe);
	json_t *v = json_object_get(o, "remote");
	if (v != NULL) {
		if (json_is_boolean(v))
			in->remote = json_is_true(v);
		else
			ferr_add(fe, "remote", "Must be true or false.");
	}
	if ((v = json_object_get(o, "location")) != NULL) {
		object_member_error(v, "location", fe);
		if (json_is_null(v))
			in->city = in->region = in->country = NULL;
		body_read_strs(v, location_strs, in, 0, "location", fe);
	}
	if ((v = json_object_get(o, "salary")) != NULL) {
		object_member_error(v, "salary", fe);
		if (json_is_null(v))
			in->salary_min = in->salary_max = NULL;
		amount_member(v, "min", "salary.min", st->num[0], &in->salary_min, fe);
		amount_member(v, "max", "salary.max", st->num[1], &in->salary_max, fe);
		body_read_strs(v, salary_strs, in, 0, "salary", fe);
	}
	if ((v = json_object_get(o, "skills")) != NULL) {
		object_member_error(v, "skills", fe);
		if (json_is_null(v))
			in->skills_required = in->skills_preferred = NULL;
		skills_member(v, "required", "skills.required", &st->skills[0],
		              &in->skills_required, fe);
		skills_member(v, "preferred", "skills.preferred", &st->skills[1],
		              &in->skills_preferred, fe);
	}
	if ((v = json_object_get(o, "accommodations")) != NULL) {
		in->naccommodations = 0;
		if (!json_is_array(v) && !json_is_null(v))
			ferr_add(fe, "accommodations", "Must be an array of codes.");
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
		{
			/* A code, or an object with one as GET returns them. */
			json_t *code = json_is_object(item) ? json_object_get(item, "code") : item;
			if (!json_is_string(code) ||
			    in->naccommodations >= POSTING_ACCOMMODATIONS_MAX) {
				ferr_add(fe, "accommodations", "Must be an array of codes.");
				break;
			}
			in->accommodations[in->naccommodations++] = json_string_value(code);
		}
	}
}

static void
store_free(struct input_store *st)
{
	buf_free(&st->skills[0]);
	buf_free(&st->skills[1]);
}

/* Answer with {"data": job id} and status; extra headers are the caller's. */
static void
send_job(struct rctx *ctx, int64_t id, int status)
{
	struct job j;
	int found = jobs_get(ctx->db, id, &j);
	if (found != 1) {
		resp_db_error(ctx, "load job");
		return;
	}
	struct json_writer w;
	resp_data_begin(ctx, &w);
	job_write_api(&w, &j, config_get()->base_url);
	job_free(&j);
	resp_data_send(ctx, &w, status);
}

/* Answer a posting_result other than OK. */
static void
posting_problem(struct rctx *ctx, enum posting_result r, struct field_errors *fe)
{
	switch (r) {
	case POSTING_INVALID:
		api_field_names(fe, job_names);
		resp_problem_fields(ctx, fe);
		break;
	case POSTING_NOT_FOUND:
		resp_problem(ctx, 404, "job_not_found", "Job not found",
		             "There is no job with this id among your company's jobs.", NULL);
		break;
	case POSTING_UNVERIFIED:
		problem_unverified(ctx);
		break;
	case POSTING_NO_COMPANY:
		problem_no_company(ctx);
		break;
	case POSTING_EXPIRED:
		resp_problem(
		    ctx, 409, "job_expired", "Closing date passed",
		    "This job's valid_through date has passed. Set a later one with PATCH, "
		    "then reopen the job.",
		    "valid_through");
		break;
	default:
		resp_db_error(ctx, "posting");
	}
}

void
api_job_create(struct rctx *ctx)
{
	struct input_store st = {0};
	json_t *o = body_json(ctx);
	if (o == NULL || !req_db(ctx))
		goto out;
	struct posting_input in;
	memset(&in, 0, sizeof(in));
	in.salary_period = "YEAR";
	struct field_errors fe = {0};
	job_overlay(o, &in, &st, &fe);
	if (fe.n > 0) {
		resp_problem_fields(ctx, &fe);
		goto out;
	}
	struct actor a = actor_of(ctx);
	int64_t id;
	enum posting_result r = postings_create(ctx->db, &a, &in, &fe, &id);
	if (r != POSTING_OK) {
		posting_problem(ctx, r, &fe);
		goto out;
	}
	char loc[64];
	snprintf(loc, sizeof(loc), "/api/v1/jobs/%lld", (long long)id);
	http_response_header(ctx->req, "location", loc);
	send_job(ctx, id, 201);
out:
	store_free(&st);
	json_decref(o);
}

void
api_job_patch(struct rctx *ctx)
{
	struct input_store st = {0};
	struct job j = {0};
	json_t *o = body_json(ctx);
	if (o == NULL || !req_db(ctx))
		goto out;
	struct actor a = actor_of(ctx);
	int may = postings_can_edit(ctx->db, &a, ctx->id);
	if (may != 1) {
		posting_problem(ctx, may == 0 ? POSTING_NOT_FOUND : POSTING_ERROR, NULL);
		goto out;
	}
	if (jobs_get(ctx->db, ctx->id, &j) != 1) {
		resp_db_error(ctx, "load job");
		goto out;
	}
	struct posting_input in;
	posting_input_from_job(&in, &j);
	struct field_errors fe = {0};
	job_overlay(o, &in, &st, &fe);
	if (fe.n > 0) {
		resp_problem_fields(ctx, &fe);
		goto out;
	}
	enum posting_result r = postings_update(ctx->db, &a, ctx->id, &in, &fe);
	if (r != POSTING_OK)
		posting_problem(ctx, r, &fe);
	else
		send_job(ctx, ctx->id, 200);
out:
	job_free(&j);
	store_free(&st);
	json_decref(o);
}

void
api_job_close(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	enum posting_result r = postings_close(ctx->db, &a, ctx->id);
	if (r != POSTING_OK)
		posting_problem(ctx, r, NULL);
	else
		send_job(ctx, ctx->id, 200);
}

void
api_job_reopen(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	enum posting_result r = postings_reopen(ctx->db, &a, ctx->id);
	if (r != POSTING_OK)
		posting_problem(ctx, r, NULL);
	else
		send_job(ctx, ctx->id, 200);
}
