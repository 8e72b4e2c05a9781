#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "harness.h"
#include "suites.h"

#define VALID(lit) utf8_valid((lit), sizeof(lit) - 1)

static void
test_valid_accepts(void)
{
	CHECK(VALID(""));
	CHECK(VALID("plain ascii"));
	CHECK(VALID("a\0b"));             /* NUL is well-formed */
	CHECK(VALID("caf\xC3\xA9"));      /* U+00E9 */
	CHECK(VALID("\xE2\x82\xAC"));     /* U+20AC */
	CHECK(VALID("\xF0\x9F\x98\x80")); /* U+1F600 */
	CHECK(VALID("\xC2\x80"));         /* lowest 2-byte */
	CHECK(VALID("\xE0\xA0\x80"));     /* lowest 3-byte */
	CHECK(VALID("\xF0\x90\x80\x80")); /* lowest 4-byte */
	CHECK(VALID("\xED\x9F\xBF"));     /* U+D7FF, just below surrogates */
	CHECK(VALID("\xEE\x80\x80"));     /* U+E000, just above */
	CHECK(VALID("\xEF\xBF\xBF"));     /* U+FFFF is a noncharacter but valid */
	CHECK(VALID("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
}

static void
test_valid_rejects(void)
{
	CHECK(!VALID("\x80")); /* lone continuation */
	CHECK(!VALID("a\xBF"));
	CHECK(!VALID("\xC0\xAF"));                 /* overlong '/' */
	CHECK(!VALID("\xC1\xBF"));                 /* overlong */
	CHECK(!VALID("\xE0\x80\xAF"));             /* overlong 3-byte '/' */
	CHECK(!VALID("\xE0\x9F\xBF"));             /* overlong 3-byte */
	CHECK(!VALID("\xF0\x80\x80\xAF"));         /* overlong 4-byte */
	CHECK(!VALID("\xF0\x8F\xBF\xBF"));         /* overlong 4-byte */
	CHECK(!VALID("\xED\xA0\x80"));             /* U+D800 surrogate */
	CHECK(!VALID("\xED\xBF\xBF"));             /* U+DFFF surrogate */
	CHECK(!VALID("\xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 surrogate pair */
	CHECK(!VALID("\xF4\x90\x80\x80"));         /* U+110000 */
	CHECK(!VALID("\xF5\x80\x80\x80"));
	CHECK(!VALID("\xF8\x88\x80\x80\x80")); /* old 5-byte form */
	CHECK(!VALID("\xFE"));
	CHECK(!VALID("\xFF"));
	CHECK(!VALID("\xC3"));         /* truncated */
	CHECK(!VALID("\xE2\x82"));     /* truncated */
	CHECK(!VALID("\xF0\x9F\x98")); /* truncated */
	CHECK(!VALID("\xE2\x82x"));    /* continuation missing mid-sequence */
	CHECK(!VALID("ok\xC3(more"));
	/* The length argument is the boundary, not the NUL. */
	CHECK(!utf8_valid("\xC3\xA9", 1));
	CHECK(utf8_valid("\xC3\xA9\xFF", 2));
}

static void
test_decode(void)
{
	uint32_t cp = 0;

	CHECK_INT_EQ(utf8_decode("A", 1, &cp), 1);
	CHECK_INT_EQ(cp, 'A');
	CHECK_INT_EQ(utf8_decode("", 1, &cp), 1); /* the NUL byte */
	CHECK_INT_EQ(cp, 0);
	CHECK_INT_EQ(utf8_decode("\xC3\xA9z", 3, &cp), 2);
	CHECK_INT_EQ(cp, 0xE9);
	CHECK_INT_EQ(utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
	CHECK_INT_EQ(cp, 0x20AC);
	CHECK_INT_EQ(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	CHECK_INT_EQ(cp, 0x1F600);
	CHECK_INT_EQ(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	CHECK_INT_EQ(cp, 0x10FFFF);

	cp = 0;
	CHECK_INT_EQ(utf8_decode("\xC0\xAF", 2, &cp), 1);
	CHECK_INT_EQ(cp, 0xFFFD);
	cp = 0;
	CHECK_INT_EQ(utf8_decode("\xED\xA0\x80", 3, &cp), 1);
	CHECK_INT_EQ(cp, 0xFFFD);
	cp = 0;
	CHECK_INT_EQ(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 1);
	CHECK_INT_EQ(cp, 0xFFFD);
	cp = 0;
	/* Valid bytes beyond n must not be read: truncated by n. */
	CHECK_INT_EQ(utf8_decode("\xE2\x82\xAC", 2, &cp), 1);
	CHECK_INT_EQ(cp, 0xFFFD);
	cp = 0;
	CHECK_INT_EQ(utf8_decode("\x80", 1, &cp), 1);
	CHECK_INT_EQ(cp, 0xFFFD);
}

static void
test_has_control(void)
{
	CHECK(!utf8_has_control("", 0));
	CHECK(!utf8_has_control("tab\tnl\ncr\r", 10));
	CHECK(!utf8_has_control("caf\xC3\xA9 \xE2\x82\xAC", 9));
	CHECK(!utf8_has_control("\xC2\xA0", 2)); /* NBSP is not a control */
	CHECK(utf8_has_control("a\0b", 3));
	CHECK(utf8_has_control("\x01", 1));
	CHECK(utf8_has_control("x\x1B[31m", 6)); /* ESC */
	CHECK(utf8_has_control("\x1F", 1));
	CHECK(utf8_has_control("\x7F", 1));     /* DEL */
	CHECK(utf8_has_control("\xC2\x80", 2)); /* U+0080 */
	CHECK(utf8_has_control("\xC2\x85", 2)); /* NEL */
	CHECK(utf8_has_control("\xC2\x9F", 2)); /* U+009F */
	CHECK(!utf8_has_control("\xC2", 1));    /* no continuation within n */
}

void
test_suite_utf8(void)
{
	RUN_TEST(test_valid_accepts);
	RUN_TEST(test_valid_rejects);
	RUN_TEST(test_decode);
	RUN_TEST(test_has_control);
}
