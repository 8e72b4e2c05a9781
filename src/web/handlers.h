/*
 * handlers.h - every route handler, as listed in routes.c.
 * Each answers through the helpers in req.h exactly once.
 */
#ifndef BEACON_WEB_HANDLERS_H
#define BEACON_WEB_HANDLERS_H

#include "web/req.h"

/* pages/home.c */
void page_home(struct rctx *ctx);
/* pages/help.c */
void page_help(struct rctx *ctx);
/* pages/search.c: full page, or the results fragment for HTMX */
void page_search(struct rctx *ctx);
/* pages/job.c */
void page_job(struct rctx *ctx);
/* api/jobs.c */
void api_jobs_search(struct rctx *ctx);
void api_job_get(struct rctx *ctx);
/* feeds.c */
void feed_rss(struct rctx *ctx);
void feed_indeed(struct rctx *ctx);
/* ops.c */
void ops_healthz(struct rctx *ctx);
void ops_readyz(struct rctx *ctx);
/* static.c wrappers */
void static_assets(struct rctx *ctx);
void static_vendor(struct rctx *ctx);

#endif
