/*
 * json.h - streaming JSON writer (jw_* names; jansson owns json_* for parsing).
 *
 * Commas and nesting are tracked by the writer, so callers emit values in
 * order: jw_obj_begin(w); jw_key(w, "id"); jw_int(w, 1); jw_obj_end(w).
 * Strings are escaped at output time: quote, backslash, control characters
 * (as \uXXXX or the short escapes; DEL and C1 too), U+2028/U+2029, and
 * "</" is written as "<\/" and "<!--" as "\u003c!--" so the output is safe
 * inside an HTML <script> element (JSON-LD). Invalid UTF-8 becomes U+FFFD.
 * NaN and infinities are written as null. Containers nested deeper than
 * JSON_MAX_DEPTH - 1 are written as null with their contents ignored, so the
 * output stays well-formed.
 */
#ifndef BEACON_CORE_JSON_H
#define BEACON_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define JSON_MAX_DEPTH 32

struct json_writer {
	struct buf *out;
	int depth;
	/* per level: 0 = nothing written yet, 1 = a value written, 2 = key just written */
	unsigned char state[JSON_MAX_DEPTH];
};

/* Start writing into out (appends; does not reset out). */
void jw_init(struct json_writer *w, struct buf *out);
void jw_obj_begin(struct json_writer *w);
void jw_obj_end(struct json_writer *w);
void jw_arr_begin(struct json_writer *w);
void jw_arr_end(struct json_writer *w);
/* An object key (NULL is ""); the next call writes its value. */
void jw_key(struct json_writer *w, const char *key);
/* A string value; NULL writes null. */
void jw_str(struct json_writer *w, const char *s);
/* A string value of n bytes (may hold NUL); NULL writes null. */
void jw_strn(struct json_writer *w, const char *s, size_t n);
void jw_int(struct json_writer *w, int64_t v);
/* A number with up to 15 significant digits; NaN/Inf written as null. */
void jw_double(struct json_writer *w, double v);
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);
/* Convenience: key + string value (NULL value writes null). */
void jw_kv_str(struct json_writer *w, const char *key, const char *s);
/* Convenience: key + integer value. */
void jw_kv_int(struct json_writer *w, const char *key, int64_t v);

/* Append s as a JSON string literal (with quotes) to b; the primitive the writer uses. */
void jw_escape(struct buf *b, const char *s, size_t n);

#endif
