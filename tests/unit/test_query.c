#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/query.h"
#include "harness.h"
#include "suites.h"

/* Parse a literal, which may hold NUL; bad must be an array. */
#define PARSE(q, lit, bad) query_parse((q), (lit), sizeof(lit) - 1, (bad), sizeof(bad))

static void
test_basic(void)
{
	struct query q;
	char bad[32];

	CHECK_INT_EQ(PARSE(&q, "a=1&b=two&c=", bad), QUERY_OK);
	CHECK_INT_EQ(q.count, 3);
	CHECK_STR_EQ(query_get(&q, "a"), "1");
	CHECK_STR_EQ(query_get(&q, "b"), "two");
	CHECK_STR_EQ(query_get(&q, "c"), "");
	CHECK_STR_EQ(query_get(&q, "d"), NULL);
	CHECK_STR_EQ(query_get(&q, NULL), NULL);
	CHECK_STR_EQ(bad, "");
	query_free(&q);
	CHECK_INT_EQ(q.count, 0);

	CHECK_INT_EQ(PARSE(&q, "", bad), QUERY_OK);
	CHECK_INT_EQ(q.count, 0);
	query_free(&q);
	CHECK_INT_EQ(query_parse(&q, NULL, 0, NULL, 0), QUERY_OK);
	CHECK_INT_EQ(q.count, 0);
}

static void
test_shapes(void)
{
	struct query q;
	char bad[32];

	/* Empty pairs are skipped; a key without '=' has value "". */
	CHECK_INT_EQ(PARSE(&q, "&&flag&&x=1&", bad), QUERY_OK);
	CHECK_INT_EQ(q.count, 2);
	CHECK_STR_EQ(q.params[0].key, "flag");
	CHECK_STR_EQ(q.params[0].value, "");
	CHECK_STR_EQ(q.params[1].key, "x");
	CHECK_STR_EQ(q.params[1].value, "1");
	query_free(&q);

	/* Only the first '=' splits; later ones are part of the value. */
	CHECK_INT_EQ(PARSE(&q, "eq=a=b==", bad), QUERY_OK);
	CHECK_STR_EQ(query_get(&q, "eq"), "a=b==");
	query_free(&q);

	/* An empty key is a key. */
	CHECK_INT_EQ(PARSE(&q, "=v", bad), QUERY_OK);
	CHECK_INT_EQ(q.count, 1);
	CHECK_STR_EQ(query_get(&q, ""), "v");
	query_free(&q);

	/* Repeated keys keep order. */
	CHECK_INT_EQ(PARSE(&q, "tag=c&x=0&tag=go&tag=rust", bad), QUERY_OK);
	CHECK_INT_EQ(query_count(&q, "tag"), 3);
	CHECK_INT_EQ(query_count(&q, "x"), 1);
	CHECK_INT_EQ(query_count(&q, "nope"), 0);
	CHECK_STR_EQ(query_get(&q, "tag"), "c");
	CHECK_STR_EQ(q.params[3].value, "rust");
	query_free(&q);

	/* n bounds the input, not the NUL. */
	CHECK_INT_EQ(query_parse(&q, "a=1&b=2", 3, NULL, 0), QUERY_OK);
	CHECK_INT_EQ(q.count, 1);
	CHECK_STR_EQ(query_get(&q, "a"), "1");
	query_free(&q);
}

static void
test_decoding(void)
{
	struct query q;
	char bad[32];

	CHECK_INT_EQ(PARSE(&q, "q=c+developer&loc=K%C3%B6ln&p=%2B1%25%26%3d", bad), QUERY_OK);
	CHECK_STR_EQ(query_get(&q, "q"), "c developer");
	CHECK_STR_EQ(query_get(&q, "loc"), "K\xC3\xB6ln");
	CHECK_STR_EQ(query_get(&q, "p"), "+1%&=");
	query_free(&q);

	CHECK_INT_EQ(PARSE(&q, "my+key%21=1", bad), QUERY_OK);
	CHECK_STR_EQ(query_get(&q, "my key!"), "1");
	query_free(&q);

	/* Escaped markup is decoded, not interpreted; escaping is the writer's job. */
	CHECK_INT_EQ(PARSE(&q, "q=%3Cscript%3E%22'", bad), QUERY_OK);
	CHECK_STR_EQ(query_get(&q, "q"), "<script>\"'");
	query_free(&q);

	/* TAB, LF and CR are allowed: textareas send CRLF. */
	CHECK_INT_EQ(PARSE(&q, "d=a%0D%0Ab%09c", bad), QUERY_OK);
	CHECK_STR_EQ(query_get(&q, "d"), "a\r\nb\tc");
	query_free(&q);
}

static void
test_bad_escapes(void)
{
	struct query q;
	char bad[32];

	CHECK_INT_EQ(PARSE(&q, "a=1&q=%zz", bad), QUERY_BAD_ESCAPE);
	CHECK_STR_EQ(bad, "q");
	CHECK_INT_EQ(q.count, 0);
	CHECK_INT_EQ(PARSE(&q, "q=%4", bad), QUERY_BAD_ESCAPE);
	CHECK_STR_EQ(bad, "q");
	CHECK_INT_EQ(PARSE(&q, "q=%", bad), QUERY_BAD_ESCAPE);
	CHECK_INT_EQ(PARSE(&q, "q=%4g", bad), QUERY_BAD_ESCAPE);
	CHECK_INT_EQ(PARSE(&q, "q=% 41", bad), QUERY_BAD_ESCAPE);
	CHECK_INT_EQ(PARSE(&q, "q=50%&x=1", bad), QUERY_BAD_ESCAPE);
	/* The escape is not allowed to borrow bytes across '&'. */
	CHECK_INT_EQ(PARSE(&q, "q=%4&1=x", bad), QUERY_BAD_ESCAPE);
	CHECK_INT_EQ(PARSE(&q, "ke%y=1", bad), QUERY_BAD_ESCAPE);
	CHECK_STR_EQ(bad, "ke%y");
	/* n cuts an escape short. */
	CHECK_INT_EQ(query_parse(&q, "q=%41", 4, bad, sizeof(bad)), QUERY_BAD_ESCAPE);
	CHECK_INT_EQ(q.count, 0);
}

static void
test_bad_bytes(void)
{
	struct query q;
	char bad[32];

	CHECK_INT_EQ(PARSE(&q, "q=%00", bad), QUERY_CONTROL_CHAR);
	CHECK_STR_EQ(bad, "q");
	CHECK_INT_EQ(PARSE(&q, "q=a\0b", bad), QUERY_CONTROL_CHAR); /* raw NUL */
	CHECK_INT_EQ(PARSE(&q, "q=%1B%5B31m", bad), QUERY_CONTROL_CHAR);
	CHECK_INT_EQ(PARSE(&q, "q=%7F", bad), QUERY_CONTROL_CHAR);
	CHECK_INT_EQ(PARSE(&q, "q=%C2%85", bad), QUERY_CONTROL_CHAR); /* NEL, C1 */
	CHECK_INT_EQ(PARSE(&q, "k%00=v", bad), QUERY_CONTROL_CHAR);
	CHECK_STR_EQ(bad, "k?");

	CHECK_INT_EQ(PARSE(&q, "path=%C0%AF", bad), QUERY_BAD_UTF8); /* overlong '/' */
	CHECK_STR_EQ(bad, "path");
	CHECK_INT_EQ(PARSE(&q, "q=%ED%A0%80", bad), QUERY_BAD_UTF8);    /* surrogate */
	CHECK_INT_EQ(PARSE(&q, "q=%F4%90%80%80", bad), QUERY_BAD_UTF8); /* > U+10FFFF */
	CHECK_INT_EQ(PARSE(&q, "q=%E2%82", bad), QUERY_BAD_UTF8);       /* truncated */
	CHECK_INT_EQ(PARSE(&q, "q=\xFF", bad), QUERY_BAD_UTF8);         /* raw byte */
	CHECK_INT_EQ(PARSE(&q, "q=ok&k\xC3=1", bad), QUERY_BAD_UTF8);
	CHECK_STR_EQ(bad, "k?");
	CHECK_INT_EQ(q.count, 0);
}

static void
test_limits(void)
{
	struct query q;
	struct buf s = {0};
	char bad[32];

	/* Exactly at the limits is fine. */
	buf_puts(&s, "k=");
	for (int i = 0; i < QUERY_MAX_VALUE; i++)
		buf_putc(&s, 'v');
	buf_puts(&s, "&");
	for (int i = 0; i < QUERY_MAX_KEY; i++)
		buf_putc(&s, 'k');
	buf_puts(&s, "=1");
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, bad, sizeof(bad)), QUERY_OK);
	CHECK_INT_EQ(strlen(query_get(&q, "k")), QUERY_MAX_VALUE);
	query_free(&q);

	/* One byte over is not. */
	buf_reset(&s);
	buf_puts(&s, "a=1&long=");
	for (int i = 0; i <= QUERY_MAX_VALUE; i++)
		buf_putc(&s, 'v');
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, bad, sizeof(bad)), QUERY_TOO_LONG);
	CHECK_STR_EQ(bad, "long");
	CHECK_INT_EQ(q.count, 0);

	/* The limit counts decoded bytes: 1024 escapes decode to 1024 bytes. */
	buf_reset(&s);
	buf_puts(&s, "e=");
	for (int i = 0; i < QUERY_MAX_VALUE; i++)
		buf_puts(&s, "%41");
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, bad, sizeof(bad)), QUERY_OK);
	CHECK_INT_EQ(strlen(query_get(&q, "e")), QUERY_MAX_VALUE);
	query_free(&q);

	/* A too-long key is reported decoded and cut to the report buffer. */
	buf_reset(&s);
	for (int i = 0; i <= QUERY_MAX_KEY; i++)
		buf_puts(&s, "%41");
	buf_puts(&s, "=1");
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, bad, sizeof(bad)), QUERY_TOO_LONG);
	CHECK_INT_EQ(strlen(bad), sizeof(bad) - 1);
	CHECK(strspn(bad, "A") == sizeof(bad) - 1);
	CHECK_INT_EQ(q.count, 0);

	/* A tiny report buffer still gets a terminated string. */
	char tiny[1] = {'x'};
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, tiny, sizeof(tiny)), QUERY_TOO_LONG);
	CHECK_INT_EQ(tiny[0], '\0');
	buf_free(&s);
}

static void
test_too_many(void)
{
	struct query q;
	struct buf s = {0};
	char bad[32];

	for (int i = 0; i < QUERY_MAX_PARAMS; i++)
		buf_printf(&s, "p%d=%d&&", i, i);
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, bad, sizeof(bad)), QUERY_OK);
	CHECK_INT_EQ(q.count, QUERY_MAX_PARAMS);
	CHECK_STR_EQ(query_get(&q, "p63"), "63");
	query_free(&q);

	buf_puts(&s, "extra=1");
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, bad, sizeof(bad)), QUERY_TOO_MANY);
	CHECK_STR_EQ(bad, "extra");
	CHECK_INT_EQ(q.count, 0);

	/* Any number of empty pairs is not "too many". */
	buf_reset(&s);
	for (int i = 0; i < 100000; i++)
		buf_putc(&s, '&');
	buf_puts(&s, "a=1");
	CHECK_INT_EQ(query_parse(&q, s.data, s.len, bad, sizeof(bad)), QUERY_OK);
	CHECK_STR_EQ(query_get(&q, "a"), "1");
	query_free(&q);
	buf_free(&s);
}

static void
test_report_sanitised(void)
{
	struct query q;
	char bad[32];

	CHECK_INT_EQ(PARSE(&q, "%3Cb%3E%0A%zz=1", bad), QUERY_BAD_ESCAPE);
	CHECK_STR_EQ(bad, "<b>?%zz");
	CHECK_INT_EQ(PARSE(&q, "caf%C3%A9%FF=1", bad), QUERY_BAD_UTF8);
	CHECK_STR_EQ(bad, "caf???");
	CHECK_INT_EQ(query_parse(&q, "x=%zz", 5, NULL, 0), QUERY_BAD_ESCAPE);
}

static void
test_strerror(void)
{
	CHECK_STR_EQ(query_strerror(QUERY_BAD_UTF8), "invalid UTF-8");
	CHECK(strlen(query_strerror(QUERY_OK)) > 0);
	CHECK(strlen(query_strerror(QUERY_TOO_MANY)) > 0);
	CHECK(strlen(query_strerror(QUERY_TOO_LONG)) > 0);
	CHECK(strlen(query_strerror(QUERY_BAD_ESCAPE)) > 0);
	CHECK(strlen(query_strerror(QUERY_CONTROL_CHAR)) > 0);
	CHECK(strlen(query_strerror((enum query_error)99)) > 0);
}

void
test_suite_query(void)
{
	RUN_TEST(test_basic);
	RUN_TEST(test_shapes);
	RUN_TEST(test_decoding);
	RUN_TEST(test_bad_escapes);
	RUN_TEST(test_bad_bytes);
	RUN_TEST(test_limits);
	RUN_TEST(test_too_many);
	RUN_TEST(test_report_sanitised);
	RUN_TEST(test_strerror);
}
