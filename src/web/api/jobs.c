/*
 * api/jobs.c - GET /api/v1/jobs (search) and GET /api/v1/jobs/{id}.
 * Documented in docs/api.md and docs/openapi.yaml.
 */
#include <stdio.h>

#include "core/config.h"
#include "core/json.h"
#include "model/vocab.h"
#include "search/search.h"
#include "web/handlers.h"
#include "web/search_req.h"
#include "search/params.h"

static void
write_link(struct json_writer *w, const char *key, const struct search_query *sq, int page)
{
	struct buf u = {0}, qs = {0};
	params_search_qs(&qs, sq, page);
	buf_puts(&u, config_get()->base_url);
	buf_puts(&u, "/api/v1/jobs");
	if (qs.len) {
		buf_putc(&u, '?');
		buf_append(&u, qs.data, qs.len);
	}
	jw_kv_str(w, key, u.data);
	buf_free(&u);
	buf_free(&qs);
}

static void
write_facets(struct json_writer *w, const struct search_result *r)
{
	jw_key(w, "facets");
	jw_obj_begin(w);
	jw_key(w, "employment_type");
	jw_obj_begin(w);
	for (size_t i = 0; i < vocab_employment_types_count; i++)
		jw_kv_int(w, vocab_employment_types[i].code, r->type_counts[i]);
	jw_obj_end(w);
	jw_key(w, "experience_level");
	jw_obj_begin(w);
	for (size_t i = 0; i < vocab_levels_count; i++)
		jw_kv_int(w, vocab_levels[i].code, r->level_counts[i]);
	jw_obj_end(w);
	jw_key(w, "remote");
	jw_obj_begin(w);
	jw_kv_int(w, "true", r->remote_counts[1]);
	jw_kv_int(w, "false", r->remote_counts[0]);
	jw_obj_end(w);
	jw_key(w, "accommodation");
	jw_obj_begin(w);
	for (size_t i = 0; i < vocab_accommodations_count; i++)
		jw_kv_int(w, vocab_accommodations[i].code, r->accommodation_counts[i]);
	jw_obj_end(w);
	jw_key(w, "min_salary");
	jw_obj_begin(w);
	for (int i = 0; i < SEARCH_SALARY_BANDS; i++) {
		char k[24];
		snprintf(k, sizeof(k), "%lld", (long long)search_salary_bands[i]);
		jw_kv_int(w, k, r->salary_counts[i]);
	}
	jw_obj_end(w);
	jw_key(w, "location");
	jw_arr_begin(w);
	for (size_t i = 0; i < r->nlocations; i++) {
		const struct search_location *l = &r->locations[i];
		jw_obj_begin(w);
		jw_kv_str(w, "city", l->city);
		jw_kv_str(w, "region", l->region);
		jw_kv_str(w, "country", l->country);
		jw_kv_int(w, "count", l->count);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

void
api_jobs_search(struct rctx *ctx)
{
	struct search_query sq;
	struct search_result r;
	if (!search_req_params(ctx, &sq) || !search_req_run(ctx, &sq, &r))
		return;
	static const char *const sorts[] = {"relevance", "relevance", "date", "salary"};
	int64_t pages = (r.total + sq.per_page - 1) / sq.per_page;
	if (pages > SEARCH_MAX_PAGE)
		pages = SEARCH_MAX_PAGE;
	const char *base = config_get()->base_url;
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_key(&w, "data");
	jw_arr_begin(&w);
	for (size_t i = 0; i < r.njobs; i++)
		job_write_api(&w, &r.jobs[i], base);
	jw_arr_end(&w);
	jw_key(&w, "meta");
	jw_obj_begin(&w);
	jw_kv_int(&w, "total", r.total);
	jw_kv_int(&w, "page", sq.page);
	jw_kv_int(&w, "per_page", sq.per_page);
	jw_kv_int(&w, "pages", pages);
	jw_kv_str(&w, "sort", sorts[r.sort]);
	jw_obj_end(&w);
	write_facets(&w, &r);
	jw_key(&w, "links");
	jw_obj_begin(&w);
	write_link(&w, "self", &sq, sq.page);
	if (sq.page < pages)
		write_link(&w, "next", &sq, sq.page + 1);
	if (sq.page > 1)
		write_link(&w, "prev", &sq, sq.page - 1);
	jw_obj_end(&w);
	jw_obj_end(&w);
	search_result_free(&r);
	resp_send(ctx, 200, "application/json", CACHE_SHORT);
}

void
api_job_get(struct rctx *ctx)
{
	struct job j;
	if (!req_db(ctx))
		return;
	int found = jobs_get(ctx->db, ctx->id, &j);
	if (found < 0) {
		resp_db_error(ctx, "api load job");
		return;
	}
	if (found == 0) {
		resp_problem(ctx, 404, "job_not_found", "Job not found",
		             "There is no job with this id.", NULL);
		return;
	}
	struct json_writer w;
	jw_init(&w, &ctx->body);
	jw_obj_begin(&w);
	jw_key(&w, "data");
	job_write_api(&w, &j, config_get()->base_url);
	jw_obj_end(&w);
	job_free(&j);
	resp_send(ctx, 200, "application/json", CACHE_REVALIDATE);
}
