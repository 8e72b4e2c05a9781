/*
 * body.h - JSON request bodies for the API: media type, size, syntax and
 * field types checked in one place, with problem+json answers naming the
 * field that is wrong.
 */
#ifndef BEACON_WEB_BODY_H
#define BEACON_WEB_BODY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/fielderr.h"
#include "web/req.h"

/*
 * The request body as a JSON object. Answers 415 (not application/json),
 * 400 invalid_json (syntax, invalid UTF-8, duplicate keys, not an object,
 * nesting deeper than 32) itself and returns NULL. Free with json_decref.
 */
json_t *body_json(struct rctx *ctx);

/*
 * The string member key of o, or NULL when absent or null. A member of
 * another type adds "must be a string" for key to fe and returns NULL.
 */
const char *body_str(json_t *o, const char *key, struct field_errors *fe);

/* An optional boolean member: def when absent; another type adds an error to fe. */
bool body_bool(json_t *o, const char *key, bool def, struct field_errors *fe);

/*
 * 422 validation_failed problem with "errors": [{"field", "message"}] for
 * every entry of fe.
 */
void resp_problem_fields(struct rctx *ctx, const struct field_errors *fe);

#endif
