#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "harness.h"
#include "suites.h"

/* jw_escape over a literal (which may hold NUL), compared with want. */
#define ESC_IS(lit, want)                                                                          \
	do {                                                                                       \
		struct buf b_ = {0};                                                               \
		jw_escape(&b_, (lit), sizeof(lit) - 1);                                            \
		CHECK_STR_EQ(buf_cstr(&b_), (want));                                               \
		buf_free(&b_);                                                                     \
	} while (0)

static void
test_escape_basic(void)
{
	ESC_IS("", "\"\"");
	ESC_IS("plain", "\"plain\"");
	ESC_IS("say \"hi\"", "\"say \\\"hi\\\"\"");
	ESC_IS("C:\\path\\", "\"C:\\\\path\\\\\"");
	ESC_IS("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	ESC_IS("\x01\x1F", "\"\\u0001\\u001f\"");
	ESC_IS("a\0b", "\"a\\u0000b\"");
	ESC_IS("\x7F", "\"\\u007f\"");
	ESC_IS("\xC2\x80\xC2\x9F", "\"\\u0080\\u009f\"");
	ESC_IS("'single' & <b>", "\"'single' & <b>\"");
	ESC_IS("a/b", "\"a/b\"");
}

static void
test_escape_script(void)
{
	ESC_IS("</script><script>alert(1)</script>", "\"<\\/script><script>alert(1)<\\/script>\"");
	ESC_IS("</SCRIPT", "\"<\\/SCRIPT\"");
	ESC_IS("<!--<script>", "\"\\u003c!--<script>\"");
	ESC_IS("<!-", "\"<!-\"");
	ESC_IS("<", "\"<\"");
	ESC_IS("x<", "\"x<\"");
	ESC_IS("<<//", "\"<<\\//\"");
	ESC_IS("\xE2\x80\xA8\xE2\x80\xA9", "\"\\u2028\\u2029\"");
	ESC_IS("\xE2\x80\xA7", "\"\xE2\x80\xA7\""); /* U+2027 is not special */
}

static void
test_escape_utf8(void)
{
	ESC_IS("caf\xC3\xA9 \xF0\x9F\x98\x80", "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
	ESC_IS("a\xFF"
	       "b",
	       "\"a\xEF\xBF\xBD"
	       "b\"");
	ESC_IS("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
	ESC_IS("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
	ESC_IS("\xF4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
	/* A truncated sequence must not eat the closing quote's escape. */
	ESC_IS("\xE2\x82\"", "\"\xEF\xBF\xBD\xEF\xBF\xBD\\\"\"");
	ESC_IS("\xC3", "\"\xEF\xBF\xBD\"");
}

static void
test_writer_structure(void)
{
	struct buf b = {0};
	struct json_writer w;

	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_int(&w, "id", 1);
	jw_kv_str(&w, "title", "C dev");
	jw_key(&w, "tags");
	jw_arr_begin(&w);
	jw_str(&w, "c");
	jw_str(&w, "kore");
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "remote");
	jw_bool(&w, true);
	jw_key(&w, "visa");
	jw_bool(&w, false);
	jw_key(&w, "salary");
	jw_null(&w);
	jw_kv_str(&w, "missing", NULL);
	jw_obj_end(&w);
	CHECK_STR_EQ(buf_cstr(&b),
	             "{\"id\":1,\"title\":\"C dev\",\"tags\":[\"c\",\"kore\",[],{}],"
	             "\"remote\":true,\"visa\":false,\"salary\":null,\"missing\":null}");
	buf_free(&b);
}

static void
test_writer_appends(void)
{
	struct buf b = {0};
	struct json_writer w;

	buf_puts(&b, "data: ");
	jw_init(&w, &b);
	jw_arr_begin(&w);
	jw_int(&w, INT64_MIN);
	jw_int(&w, INT64_MAX);
	jw_strn(&w, "a\0b", 3);
	jw_strn(&w, NULL, 5);
	jw_str(&w, NULL);
	jw_arr_end(&w);
	CHECK_STR_EQ(buf_cstr(&b),
	             "data: [-9223372036854775808,9223372036854775807,\"a\\u0000b\",null,null]");
	buf_free(&b);
}

static void
test_writer_keys_escaped(void)
{
	struct buf b = {0};
	struct json_writer w;

	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "\"k\"</", "v");
	jw_kv_int(&w, NULL, 2);
	jw_obj_end(&w);
	CHECK_STR_EQ(buf_cstr(&b), "{\"\\\"k\\\"<\\/\":\"v\",\"\":2}");
	buf_free(&b);
}

static void
test_double(void)
{
	struct buf b = {0};
	struct json_writer w;

	jw_init(&w, &b);
	jw_arr_begin(&w);
	jw_double(&w, 0.5);
	jw_double(&w, -2.0);
	jw_double(&w, 0.1);
	jw_double(&w, 1e21);
	jw_double(&w, 1.5e-7);
	jw_double(&w, 3.14159265358979323846);
	jw_double(&w, NAN);
	jw_double(&w, INFINITY);
	jw_double(&w, -INFINITY);
	jw_double(&w, 0.0);
	jw_arr_end(&w);
	CHECK_STR_EQ(buf_cstr(&b), "[0.5,-2,0.1,1e+21,1.5e-07,3.14159265358979,null,null,null,0]");

	/* 15 digits would round DBL_MAX up past the largest double. */
	buf_reset(&b);
	jw_init(&w, &b);
	jw_arr_begin(&w);
	jw_double(&w, DBL_MAX);
	jw_double(&w, -DBL_MAX);
	jw_double(&w, 1e307);
	jw_arr_end(&w);
	CHECK_STR_EQ(buf_cstr(&b), "[1.7976931348623157e+308,-1.7976931348623157e+308,1e+307]");
	buf_free(&b);
}

/*
 * Nesting past the writer's depth turns the overflowing container into null
 * and ignores what is inside it; the output must stay balanced JSON.
 */
static void
test_depth_limit(void)
{
	struct buf b = {0}, want = {0};
	struct json_writer w;
	int deep = JSON_MAX_DEPTH + 8;

	jw_init(&w, &b);
	for (int i = 0; i < deep; i++) {
		jw_arr_begin(&w);
		jw_int(&w, i);
	}
	for (int i = 0; i < deep; i++)
		jw_arr_end(&w);
	jw_arr_end(&w); /* unbalanced: ignored */
	CHECK_INT_EQ(w.depth, 0);

	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++) {
		buf_putc(&want, '[');
		buf_put_i64(&want, i);
		buf_putc(&want, ',');
	}
	buf_puts(&want, "null");
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		buf_putc(&want, ']');
	CHECK_STR_EQ(buf_cstr(&b), buf_cstr(&want));

	/* The writer is usable again after the overflow. */
	buf_reset(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_int(&w, "ok", 1);
	jw_obj_end(&w);
	CHECK_STR_EQ(buf_cstr(&b), "{\"ok\":1}");
	buf_free(&b);
	buf_free(&want);
}

static void
test_large_string(void)
{
	struct buf b = {0};
	size_t n = 1 << 20;
	char *s = malloc(n);

	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		s[i] = (i % 2) ? 'x' : '"';
	jw_escape(&b, s, n);
	CHECK_INT_EQ(b.len, n / 2 * 3 + 2);
	CHECK(b.data[0] == '"' && b.data[1] == '\\' && b.data[2] == '"' && b.data[3] == 'x');
	free(s);
	buf_free(&b);
}

void
test_suite_json(void)
{
	RUN_TEST(test_escape_basic);
	RUN_TEST(test_escape_script);
	RUN_TEST(test_escape_utf8);
	RUN_TEST(test_writer_structure);
	RUN_TEST(test_writer_appends);
	RUN_TEST(test_writer_keys_escaped);
	RUN_TEST(test_double);
	RUN_TEST(test_depth_limit);
	RUN_TEST(test_large_string);
}
