#include "web/search_req.h"

#include "search/params.h"

bool
search_req_params(struct rctx *ctx, struct search_query *sq)
{
	const char *param = NULL;
	char detail[200];
	if (params_search(&ctx->query, sq, &param, detail, sizeof(detail)) == 0)
		return true;
	resp_error(ctx, 400, "invalid_parameter", "Invalid parameter", detail, param);
	return false;
}

bool
search_req_run(struct rctx *ctx, const struct search_query *sq, struct search_result *r)
{
	if (!req_db(ctx))
		return false;
	if (search_jobs(ctx->db, sq, r) != 0) {
		resp_db_error(ctx, "job search");
		return false;
	}
	return true;
}
