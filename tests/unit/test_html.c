#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "core/mem.h"
#include "harness.h"
#include "suites.h"

/* Run html_textn over a literal (which may hold NUL) and compare. */
#define TEXTN_IS(lit, want)                                                                        \
	do {                                                                                       \
		struct buf b_ = {0};                                                               \
		html_textn(&b_, (lit), sizeof(lit) - 1);                                           \
		CHECK_STR_EQ(buf_cstr(&b_), (want));                                               \
		buf_free(&b_);                                                                     \
	} while (0)

static void
test_text_escapes(void)
{
	struct buf b = {0};

	html_text(&b, "Tom & Jerry <b>\"hi\"</b> it's");
	CHECK_STR_EQ(buf_cstr(&b), "Tom &amp; Jerry &lt;b&gt;&quot;hi&quot;&lt;/b&gt; it&#39;s");
	buf_reset(&b);
	html_text(&b, "<script>alert(1)</script>");
	CHECK_STR_EQ(buf_cstr(&b), "&lt;script&gt;alert(1)&lt;/script&gt;");
	buf_reset(&b);
	html_text(&b, "&amp;");
	CHECK_STR_EQ(buf_cstr(&b), "&amp;amp;");
	buf_reset(&b);
	html_text(&b, NULL);
	html_text(&b, "");
	CHECK_INT_EQ(b.len, 0);
	html_text(&b, "plain text stays");
	CHECK_STR_EQ(buf_cstr(&b), "plain text stays");
	buf_free(&b);
}

static void
test_text_appends(void)
{
	struct buf b = {0};

	HTML_LIT(&b, "<p>");
	html_text(&b, "a<b");
	HTML_LIT(&b, "</p>");
	CHECK_STR_EQ(buf_cstr(&b), "<p>a&lt;b</p>");
	buf_free(&b);
}

static void
test_text_controls(void)
{
	TEXTN_IS("a\0b", "ab");
	TEXTN_IS("\0\0<\0", "&lt;");
	TEXTN_IS("keep\ttab\nlf\rcr", "keep\ttab\nlf\rcr");
	TEXTN_IS("bell\x07"
	         "esc\x1B[0mdel\x7F.",
	         "bellesc[0mdel.");
	TEXTN_IS("\x01\x02\x03\x1F", "");
	TEXTN_IS("c1\xC2\x80\xC2\x85\xC2\x9F.", "c1.");
	TEXTN_IS("nbsp\xC2\xA0.", "nbsp\xC2\xA0.");
}

static void
test_text_utf8(void)
{
	TEXTN_IS("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
	         "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
	TEXTN_IS("a\xFF"
	         "b",
	         "a\xEF\xBF\xBD"
	         "b");
	TEXTN_IS("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");                 /* overlong '/' */
	TEXTN_IS("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
	TEXTN_IS("\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	TEXTN_IS("end\xE2\x82", "end\xEF\xBF\xBD\xEF\xBF\xBD"); /* truncated */
	/* An invalid lead byte must not swallow the markup after it. */
	TEXTN_IS("\xC3<", "\xEF\xBF\xBD&lt;");
	TEXTN_IS("\xE2\x82<script>", "\xEF\xBF\xBD\xEF\xBF\xBD&lt;script&gt;");
}

static void
test_attr(void)
{
	struct buf b = {0};

	HTML_LIT(&b, "<a title=\"");
	html_attr(&b, "\" onmouseover=\"alert(1)");
	HTML_LIT(&b, "\">");
	CHECK_STR_EQ(buf_cstr(&b), "<a title=\"&quot; onmouseover=&quot;alert(1)\">");
	buf_reset(&b);
	html_attr(&b, "' onfocus='x' \x01\xFF");
	CHECK_STR_EQ(buf_cstr(&b), "&#39; onfocus=&#39;x&#39; \xEF\xBF\xBD");
	buf_reset(&b);
	html_attr(&b, NULL);
	CHECK_INT_EQ(b.len, 0);
	buf_free(&b);
}

static void
test_int(void)
{
	struct buf b = {0};

	html_int(&b, 0);
	buf_putc(&b, ' ');
	html_int(&b, -42);
	buf_putc(&b, ' ');
	html_int(&b, INT64_MAX);
	buf_putc(&b, ' ');
	html_int(&b, INT64_MIN);
	CHECK_STR_EQ(buf_cstr(&b), "0 -42 9223372036854775807 -9223372036854775808");
	buf_free(&b);
}

static void
test_urlenc(void)
{
	struct buf b = {0};

	html_urlenc(&b, "AZaz09-._~");
	CHECK_STR_EQ(buf_cstr(&b), "AZaz09-._~");
	buf_reset(&b);
	html_urlenc(&b, "a b&c=d/e?f#g+h%i");
	CHECK_STR_EQ(buf_cstr(&b), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i");
	buf_reset(&b);
	html_urlenc(&b, "\"'<>");
	CHECK_STR_EQ(buf_cstr(&b), "%22%27%3C%3E");
	buf_reset(&b);
	html_urlenc(&b, "caf\xC3\xA9\xFF\x01");
	CHECK_STR_EQ(buf_cstr(&b), "caf%C3%A9%FF%01");
	buf_reset(&b);
	html_urlenc(&b, NULL);
	html_urlenc(&b, "");
	CHECK_INT_EQ(b.len, 0);
	buf_free(&b);
}

static void
test_raw_trusted(void)
{
	struct buf b = {0};

	html_raw_trusted_(&b, "<em>x</em>", 10);
	html_raw_trusted_(&b, NULL, 0);
	CHECK_STR_EQ(buf_cstr(&b), "<em>x</em>");
	buf_free(&b);
}

#define CDATA_IS(in, want)                                                                         \
	do {                                                                                       \
		struct buf b_ = {0};                                                               \
		xml_cdata(&b_, (in));                                                              \
		CHECK_STR_EQ(buf_cstr(&b_), (want));                                               \
		buf_free(&b_);                                                                     \
	} while (0)

static void
test_cdata(void)
{
	CDATA_IS("plain <b>&amp;</b>", "<![CDATA[plain <b>&amp;</b>]]>");
	CDATA_IS("", "<![CDATA[]]>");
	CDATA_IS(NULL, "<![CDATA[]]>");
	CDATA_IS("a]]>b", "<![CDATA[a]]]]><![CDATA[>b]]>");
	CDATA_IS("]]>]]>", "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>");
	CDATA_IS("]]]>", "<![CDATA[]]]]]><![CDATA[>]]>");
	CDATA_IS("]>]", "<![CDATA[]>]]]>");
	CDATA_IS("]] >", "<![CDATA[]] >]]>");
	/* A dropped control character must not join "]]" and ">". */
	CDATA_IS("]]\x01>", "<![CDATA[]]]]><![CDATA[>]]>");
	CDATA_IS("]\x02]>", "<![CDATA[]]]]><![CDATA[>]]>");
	/* The input ending in "]]" is closed correctly. */
	CDATA_IS("x]]", "<![CDATA[x]]]]>");
}

static void
test_cdata_chars(void)
{
	CDATA_IS("t\tl\nc\r", "<![CDATA[t\tl\nc\r]]>");
	CDATA_IS("\x01\x08\x0B\x0C\x1F|", "<![CDATA[|]]>");
	/* DEL and C1 are XML 1.0 Chars. */
	CDATA_IS("\x7F\xC2\x85", "<![CDATA[\x7F\xC2\x85]]>");
	CDATA_IS("\xEF\xBF\xBE\xEF\xBF\xBF|", "<![CDATA[|]]>"); /* U+FFFE, U+FFFF */
	CDATA_IS("\xEF\xBF\xBD", "<![CDATA[\xEF\xBF\xBD]]>");
	CDATA_IS("\xED\x9F\xBF\xEE\x80\x80", "<![CDATA[\xED\x9F\xBF\xEE\x80\x80]]>");
	CDATA_IS("\xF4\x8F\xBF\xBF", "<![CDATA[\xF4\x8F\xBF\xBF]]>");
	CDATA_IS("\xED\xA0\x80", "<![CDATA[\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD]]>");
	CDATA_IS("a\xFF"
	         "b",
	         "<![CDATA[a\xEF\xBF\xBD"
	         "b]]>");
	CDATA_IS("\xC0\xAF", "<![CDATA[\xEF\xBF\xBD\xEF\xBF\xBD]]>");
}

static void
test_large(void)
{
	struct buf b = {0};
	size_t n = 1 << 20;
	char *s = xmalloc(n + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = "<a&\xFF\0"[i % 5];
	s[n] = '\0';
	html_textn(&b, s, n);
	/* per 5 bytes: "&lt;" + "a" + "&amp;" + U+FFFD + nothing */
	CHECK_INT_EQ(b.len, (n / 5) * (4 + 1 + 5 + 3) + 4);
	buf_free(&b);
	free(s);
}

static void
test_text_noncharacters(void)
{
	struct buf b = {0};
	/* U+FFFE and U+FFFF are dropped (XML forbids them, RSS reuses this escaper); U+FFFD stays. */
	html_text(&b, "a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c\xEF\xBF\xBD");
	CHECK_STR_EQ(buf_cstr(&b), "abc\xEF\xBF\xBD");
	buf_free(&b);
}

void
test_suite_html(void)
{
	RUN_TEST(test_text_noncharacters);
	RUN_TEST(test_text_escapes);
	RUN_TEST(test_text_appends);
	RUN_TEST(test_text_controls);
	RUN_TEST(test_text_utf8);
	RUN_TEST(test_attr);
	RUN_TEST(test_int);
	RUN_TEST(test_urlenc);
	RUN_TEST(test_raw_trusted);
	RUN_TEST(test_cdata);
	RUN_TEST(test_cdata_chars);
	RUN_TEST(test_large);
}
