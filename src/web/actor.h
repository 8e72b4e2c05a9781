/*
 * actor.h - the signed-in visitor as the company and posting rules see
 * them (model/companies.h struct actor), for pages and the API alike.
 */
#ifndef BEACON_WEB_ACTOR_H
#define BEACON_WEB_ACTOR_H

#include "model/companies.h"
#include "web/req.h"

/* The actor for this request; its strings live as long as ctx->auth. */
static inline struct actor
actor_of(const struct rctx *ctx)
{
	return (struct actor){
	    .user_id = ctx->auth.user_id,
	    .role = ctx->auth.role,
	    .email_verified = ctx->auth.email_verified,
	    .email = ctx->auth.email,
	    .name = ctx->auth.display_name,
	    .ip = ctx->ip,
	};
}

#endif
