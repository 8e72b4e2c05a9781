/*
 * query.h - application/x-www-form-urlencoded parsing (query strings and
 * form bodies).
 *
 * The parser never trusts its input: it limits the number of parameters and
 * their lengths, percent-decodes ('+' is a space), rejects malformed escapes,
 * invalid UTF-8, NUL and other control characters, and reports which
 * parameter was wrong.
 */
#ifndef BEACON_CORE_QUERY_H
#define BEACON_CORE_QUERY_H

#include <stddef.h>

#define QUERY_MAX_PARAMS 64
#define QUERY_MAX_KEY 64
#define QUERY_MAX_VALUE 1024

struct query_param {
	char *key;   /* decoded, NUL-terminated */
	char *value; /* decoded, NUL-terminated, valid UTF-8 without control characters */
};

struct query {
	struct query_param params[QUERY_MAX_PARAMS];
	size_t count;
};

enum query_error {
	QUERY_OK = 0,
	QUERY_TOO_MANY,      /* more than QUERY_MAX_PARAMS parameters */
	QUERY_TOO_LONG,      /* a key or value longer than its limit (after decoding) */
	QUERY_BAD_ESCAPE,    /* '%' not followed by two hex digits */
	QUERY_BAD_UTF8,      /* decoded bytes are not valid UTF-8 */
	QUERY_CONTROL_CHAR,  /* decoded bytes hold NUL or another control character */
};

/*
 * Parse the first n bytes of s ("a=1&b=2"; empty pairs are skipped; a key
 * without '=' has the value ""). Keys get the same checks as values. q need
 * not be initialised; whatever it held is overwritten, not freed. On success
 * returns QUERY_OK and fills q (free with query_free). On error returns the
 * error and, when bad_key is not NULL, stores a copy of the offending
 * (decoded as far as possible, truncated, sanitised to printable ASCII) key
 * in bad_key of size bad_key_len ("" on success). q is left empty on error.
 */
enum query_error query_parse(struct query *q, const char *s, size_t n, char *bad_key,
                             size_t bad_key_len);
/*
 * query_parse for form bodies (application/x-www-form-urlencoded): the same
 * checks, but values may be up to max_value bytes after decoding (a job
 * description is longer than any query-string value).
 */
enum query_error query_parse_form(struct query *q, const char *s, size_t n, size_t max_value,
                                  char *bad_key, size_t bad_key_len);
/* Release what query_parse allocated; q becomes empty. */
void query_free(struct query *q);
/* The first value for key, or NULL. */
const char *query_get(const struct query *q, const char *key);
/* How many times key appears. */
size_t query_count(const struct query *q, const char *key);
/* A short English description of err ("invalid UTF-8"). */
const char *query_strerror(enum query_error err);

#endif
