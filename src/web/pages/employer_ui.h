/*
 * employer_ui.h - small page pieces shared by the company and employer
 * job pages.
 */
#ifndef BEACON_WEB_PAGES_EMPLOYER_UI_H
#define BEACON_WEB_PAGES_EMPLOYER_UI_H

#include "web/req.h"

/*
 * A whole page with an h1 title, one paragraph of text and, when href is
 * set, a link; sent with status.
 */
void emp_message(struct rctx *ctx, int status, const char *title, const char *text,
                 const char *href, const char *link_text);

/* 403: publishing needs a confirmed email address; says how to confirm it. */
void emp_unverified(struct rctx *ctx);

/* 404 for a job this visitor may not change (or that does not exist: the same answer). */
void emp_job_not_found(struct rctx *ctx);

#endif
