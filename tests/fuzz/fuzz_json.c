/*
 * libFuzzer driver for the JSON writer. jansson is the independent judge:
 * whatever the writer produces must parse, and strings must come back as the
 * input with invalid UTF-8 replaced. The input also drives a random but
 * well-ordered sequence of writer calls, nesting past JSON_MAX_DEPTH.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
ref_repair(struct buf *b, const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0, len; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 1 && (unsigned char)s[i] >= 0x80)
			buf_puts(b, "\xEF\xBF\xBD");
		else
			buf_append(b, s + i, len);
	}
}

static void
check_escape(const char *s, size_t n)
{
	struct buf out = {0}, want = {0};
	json_error_t err;
	json_t *v;

	jw_escape(&out, s, n);
	for (size_t i = 0; i < out.len; i++) {
		if ((unsigned char)out.data[i] < 0x20 || out.data[i] == 0x7F)
			abort();
	}
	if (memmem(out.data, out.len, "</", 2) != NULL ||
	    memmem(out.data, out.len, "<!--", 4) != NULL ||
	    memmem(out.data, out.len, "\xE2\x80\xA8", 3) != NULL ||
	    memmem(out.data, out.len, "\xE2\x80\xA9", 3) != NULL)
		abort();
	v = json_loadb(out.data, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (v == NULL || !json_is_string(v))
		abort();
	ref_repair(&want, s, n);
	if (json_string_length(v) != want.len ||
	    (want.len > 0 && memcmp(json_string_value(v), want.data, want.len) != 0))
		abort();
	json_decref(v);
	buf_free(&out);
	buf_free(&want);
}

/* Take up to 8 bytes from the input as a chunk. */
static size_t
take(const uint8_t **p, const uint8_t *end, const char **chunk)
{
	size_t n = end > *p ? (size_t)(**p % 9) : 0;

	if (end > *p)
		(*p)++;
	if (n > (size_t)(end - *p))
		n = (size_t)(end - *p);
	*chunk = (const char *)*p;
	*p += n;
	return n;
}

static void
check_writer(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	/* What each open container is: 'o' object, 'a' array. Deeper than the writer allows. */
	char stack[256];
	int depth = 0;
	struct buf out = {0};
	struct json_writer w;
	json_error_t err;
	json_t *v;
	const char *chunk;
	size_t n;

	jw_init(&w, &out);
	jw_arr_begin(&w);
	stack[depth++] = 'a';
	while (p < end) {
		uint8_t op = *p++ % 8;
		if (stack[depth - 1] == 'o') {
			if (op == 7 && depth > 1) {
				jw_obj_end(&w);
				depth--;
				continue;
			}
			n = take(&p, end, &chunk);
			char *key = strndup(chunk, n);
			jw_key(&w, key);
			free(key);
			op = op % 7; /* a value must follow the key */
		} else if (op == 7) {
			if (depth > 1) {
				jw_arr_end(&w);
				depth--;
			}
			continue;
		}
		switch (op) {
		case 0:
			if (depth < (int)sizeof(stack)) {
				jw_obj_begin(&w);
				stack[depth++] = 'o';
			} else {
				jw_null(&w);
			}
			break;
		case 1:
			if (depth < (int)sizeof(stack)) {
				jw_arr_begin(&w);
				stack[depth++] = 'a';
			} else {
				jw_null(&w);
			}
			break;
		case 2:
			n = take(&p, end, &chunk);
			jw_strn(&w, chunk, n);
			break;
		case 3: {
			int64_t v64 = 0;
			n = take(&p, end, &chunk);
			memcpy(&v64, chunk, n < 8 ? n : 8);
			jw_int(&w, v64);
			break;
		}
		case 4: {
			double d = 0;
			n = take(&p, end, &chunk);
			memcpy(&d, chunk, n < 8 ? n : 8);
			jw_double(&w, d);
			break;
		}
		case 5:
			jw_bool(&w, p < end && (*p & 1));
			break;
		default:
			jw_null(&w);
			break;
		}
	}
	while (depth > 0) {
		if (stack[--depth] == 'o')
			jw_obj_end(&w);
		else
			jw_arr_end(&w);
	}
	if (w.depth != 0)
		abort();
	v = json_loadb(out.data, out.len, JSON_ALLOW_NUL, &err);
	if (v == NULL)
		abort();
	json_decref(v);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_escape((const char *)data, size);
	check_writer(data, size);
	return 0;
}
