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
#include "core/json.h"
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
 * A JSON path for a field error ("experience[1].title", "salary.min"),
 * formatted into a pool that lasts until the next request's body_json()
 * (field errors keep pointers). fallback when the pool is full.
 */
const char *body_path(const char *fallback, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empty the path pool; body_json() does it for each request body. */
void body_paths_reset(void);

/*
 * The table-driven reader: one string member of a JSON object and where it
 * goes in a struct. A table ends with a NULL key.
 */
struct body_field {
	const char *key; /* member name */
	size_t offset;   /* offsetof() the char * (BODY_COPY) or const char * member */
	bool nullable;   /* null stores NULL; otherwise it stores "" */
};

/* Store copies (xstrdup, the old value freed) instead of pointers into the JSON. */
#define BODY_COPY 1u
/* Members that no field names add "Unknown field." */
#define BODY_STRICT 2u

/*
 * Read the members of o that fields name into target: a string replaces the
 * value, null clears it (see nullable), another type adds "Must be a
 * string." and leaves it; absent members leave it too. Errors name
 * "prefix.key", or key when prefix is NULL. Without BODY_COPY the values
 * point into o and live as long as it does.
 */
void body_read_strs(json_t *o, const struct body_field *fields, void *target, unsigned flags,
                    const char *prefix, struct field_errors *fe);

/*
 * "Unknown field." for every member of o that is in neither known nor
 * ignored (NULL-terminated lists; ignored may be NULL), named "prefix.key"
 * or key when prefix is NULL.
 */
void body_unknown_members(json_t *o, const char *const *known, const char *const *ignored,
                          const char *prefix, struct field_errors *fe);

/*
 * Begin the answer {"data": ...} in ctx->body: the caller writes the value
 * (and may add members such as "meta" after it), then resp_data_send.
 */
void resp_data_begin(struct rctx *ctx, struct json_writer *w);
/* Close the object resp_data_begin opened and send it as application/json, uncached. */
void resp_data_send(struct rctx *ctx, struct json_writer *w, int status);

/*
 * 422 validation_failed problem with "errors": [{"field", "message"}] for
 * every entry of fe.
 */
void resp_problem_fields(struct rctx *ctx, const struct field_errors *fe);

#endif
