/*
 * api_tokens.h - API access tokens (JWT, HS256, 15 minutes) as the
 * dispatcher checks them. Issued by the /api/v1/auth endpoints.
 */
#ifndef BEACON_WEB_API_TOKENS_H
#define BEACON_WEB_API_TOKENS_H

#include <stdint.h>

/* Access tokens live this long (seconds). */
#define ACCESS_TOKEN_SECONDS (15 * 60)
/* The audience every Beacon access token names. */
#define ACCESS_TOKEN_AUD "beacon-api"

/* NULL when token is a valid access token (*user_id set), else why not, for the client. */
const char *api_token_verify(const char *token, int64_t *user_id);

#endif
