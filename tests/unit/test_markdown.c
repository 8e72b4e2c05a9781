#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/markdown.h"
#include "core/utf8.h"
#include "harness.h"
#include "suites.h"

#define RENDER_IS(lit, want)                                                                       \
	do {                                                                                       \
		struct buf b_ = {0};                                                               \
		markdown_render(&b_, (lit), sizeof(lit) - 1);                                      \
		CHECK_STR_EQ(buf_cstr(&b_), (want));                                               \
		buf_free(&b_);                                                                     \
	} while (0)

#define PLAIN_IS(lit, max, want)                                                                   \
	do {                                                                                       \
		struct buf b_ = {0};                                                               \
		markdown_plain(&b_, (lit), sizeof(lit) - 1, (max));                                \
		CHECK_STR_EQ(buf_cstr(&b_), (want));                                               \
		buf_free(&b_);                                                                     \
	} while (0)

/* Case-insensitive substring search over a NUL-terminated haystack. */
static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	}
	return false;
}

static void
test_render_blocks(void)
{
	/* The highest heading becomes h3: the text sits under the page's h1 and h2. */
	RENDER_IS("# Senior C developer\n\nWe use *Kore* and **SQLite**.\n",
	          "<h3>Senior C developer</h3>\n"
	          "<p>We use <em>Kore</em> and <strong>SQLite</strong>.</p>\n");
	RENDER_IS("# A\n### B\n###### C\n", "<h3>A</h3>\n<h5>B</h5>\n<h6>C</h6>\n");
	RENDER_IS("#### Deep\n##### Deeper\n", "<h3>Deep</h3>\n<h4>Deeper</h4>\n");
	RENDER_IS("## Perks\n\n- remote\n- 4 days\n\n1. apply\n2. talk\n",
	          "<h3>Perks</h3>\n<ul>\n<li>remote</li>\n<li>4 days</li>\n</ul>\n"
	          "<ol>\n<li>apply</li>\n<li>talk</li>\n</ol>\n");
	RENDER_IS("```\nint x = a < b && c > d;\n```\n",
	          "<pre><code>int x = a &lt; b &amp;&amp; c &gt; d;\n</code></pre>\n");
	RENDER_IS("`<b>`", "<p><code>&lt;b&gt;</code></p>\n");
	RENDER_IS("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>\n");
	RENDER_IS("", "");
}

static void
test_render_appends(void)
{
	struct buf b = {0};

	buf_puts(&b, "<div>");
	markdown_render(&b, "hi", 2);
	CHECK_STR_EQ(buf_cstr(&b), "<div><p>hi</p>\n");
	buf_free(&b);
}

static void
test_render_raw_html(void)
{
	RENDER_IS("<script>alert(1)</script>\n", "<!-- raw HTML omitted -->\n");
	RENDER_IS("<img src=x onerror=alert(1)>\n", "<!-- raw HTML omitted -->\n");
	RENDER_IS("text <img src=x onerror=alert(1)> more",
	          "<p>text <!-- raw HTML omitted --> more</p>\n");
	RENDER_IS("a <b onclick=x>b</b>",
	          "<p>a <!-- raw HTML omitted -->b<!-- raw HTML omitted --></p>\n");
	RENDER_IS("<iframe src=//evil>", "<!-- raw HTML omitted -->\n");
	/* Escaped markup stays text. */
	RENDER_IS("\\<script>", "<p>&lt;script&gt;</p>\n");
	RENDER_IS("&lt;script&gt;", "<p>&lt;script&gt;</p>\n");
	RENDER_IS("5 < 6 > 4 & \"q\"", "<p>5 &lt; 6 &gt; 4 &amp; &quot;q&quot;</p>\n");
}

static void
test_render_urls(void)
{
	RENDER_IS("[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("[x](JaVaScRiPt:alert(1))", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("[x](java&#115;cript:alert(1))", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("[x](<javascript:alert(1)>)", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("<javascript:alert(1)>", "<p><a href=\"\">javascript:alert(1)</a></p>\n");
	RENDER_IS("[x](vbscript:msgbox)", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("[x](file:///etc/passwd)", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("[x](data:text/html,<script>)", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("[x](data:text/html;base64,PHNjcmlwdD4=)", "<p><a href=\"\">x</a></p>\n");
	RENDER_IS("[r]\n\n[r]: javascript:alert(1)", "<p><a href=\"\">r</a></p>\n");
	RENDER_IS("![i](javascript:alert(1))", "<p><img src=\"\" alt=\"i\" /></p>\n");
	/* Attribute context: quotes in URL and title cannot break out. */
	RENDER_IS(
	    "[ok](https://example.com/?a=1&b=2 \"t\\\"q\")",
	    "<p><a href=\"https://example.com/?a=1&amp;b=2\" title=\"t&quot;q\">ok</a></p>\n");
	RENDER_IS("[q](https://x/\"onmouseover=\"alert(1))",
	          "<p><a href=\"https://x/%22onmouseover=%22alert(1)\">q</a></p>\n");
	RENDER_IS("<https://example.com>",
	          "<p><a href=\"https://example.com\">https://example.com</a></p>\n");
}

static void
test_render_bytes(void)
{
	RENDER_IS("a\xFF"
	          "b",
	          "<p>a\xEF\xBF\xBD"
	          "b</p>\n");
	RENDER_IS("\xC0\xAF", "<p>\xEF\xBF\xBD\xEF\xBF\xBD</p>\n");
	RENDER_IS("\xED\xA0\x80", "<p>\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD</p>\n");
	RENDER_IS("a\0b", "<p>ab</p>\n");
	RENDER_IS("a\x01\x1B[2Jb\x7F\xC2\x85", "<p>a[2Jb</p>\n");
	/* Character references to controls are dropped too; &#0; is U+FFFD by spec. */
	RENDER_IS("a&#1;b&#x85;c&#0;d", "<p>abc\xEF\xBF\xBD"
	                                "d</p>\n");
}

/* Inputs that stress cmark's nesting and delimiter handling. */
static void
test_render_hostile(void)
{
	static const char *const units[] = {"> ", "[", "*", "- ", "<", "`", "![", "&#", "\\"};
	size_t count = 20000;

	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		struct buf md = {0}, out = {0};
		for (size_t i = 0; i < count; i++)
			buf_puts(&md, units[u]);
		buf_puts(&md, "x");
		markdown_render(&out, md.data, md.len);
		CHECK(out.len > 0);
		CHECK(utf8_valid(out.data, out.len));
		CHECK(!contains_ci(buf_cstr(&out), "<script"));
		buf_reset(&out);
		markdown_plain(&out, md.data, md.len, 100);
		CHECK(out.len <= 100 + 3);
		CHECK(utf8_valid(buf_cstr(&out), out.len));
		buf_free(&md);
		buf_free(&out);
	}
}

static void
test_plain_text(void)
{
	PLAIN_IS("# Title\n\nPara *em* `code`\n\n- a\n- b\n", 1000, "Title Para em code a b");
	PLAIN_IS("a <b>bold</b> c", 1000, "a bold c");
	PLAIN_IS("<script>alert(1)</script>\n\nafter", 1000, "after");
	PLAIN_IS("![alt *text*](i.png) [click **here**](javascript:x)", 1000,
	         "alt text click here");
	PLAIN_IS("&lt;b&gt; &amp; &copy;", 1000, "<b> & \xC2\xA9");
	PLAIN_IS("```\nx  y\n```\nz", 1000, "x y z");
	PLAIN_IS("  a\n\n\n   b\t\tc  \n", 1000, "a b c");
	PLAIN_IS("line one  \nline two\\\nthree", 1000, "line one line two three");
	PLAIN_IS("a\xFF"
	         "b\x01\0c",
	         1000,
	         "a\xEF\xBF\xBD"
	         "bc");
	PLAIN_IS("***\n\n---", 1000, "");
	PLAIN_IS("", 10, "");
}

static void
test_plain_cut(void)
{
	PLAIN_IS("abc", 3, "abc");
	PLAIN_IS("abcd", 3, "abc\xE2\x80\xA6");
	PLAIN_IS("abc def", 4, "abc\xE2\x80\xA6");
	PLAIN_IS("abc def", 3, "abc\xE2\x80\xA6");
	PLAIN_IS("**abc** def", 7, "abc def");
	PLAIN_IS("anything", 0, "\xE2\x80\xA6");
	/* "€€€" is 9 bytes; a cut at 4 or 5 falls inside the second euro sign. */
	PLAIN_IS("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 4, "\xE2\x82\xAC\xE2\x80\xA6");
	PLAIN_IS("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 5, "\xE2\x82\xAC\xE2\x80\xA6");
	PLAIN_IS("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 6, "\xE2\x82\xAC\xE2\x82\xAC\xE2\x80\xA6");
	PLAIN_IS("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 9, "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC");
	PLAIN_IS("\xF0\x9F\x98\x80"
	         "a",
	         3, "\xE2\x80\xA6");
	PLAIN_IS("K\xC3\xB6ln", 2, "K\xE2\x80\xA6");
}

static void
test_plain_long(void)
{
	struct buf md = {0}, out = {0};

	for (int i = 0; i < 50000; i++)
		buf_puts(&md, "word\xC3\xA9 ");
	markdown_plain(&out, md.data, md.len, 160);
	CHECK(out.len <= 163);
	CHECK(out.len > 150);
	CHECK(utf8_valid(out.data, out.len));
	CHECK(out.len >= 3 && memcmp(out.data + out.len - 3, "\xE2\x80\xA6", 3) == 0);
	buf_free(&md);
	buf_free(&out);
}

void
test_suite_markdown(void)
{
	RUN_TEST(test_render_blocks);
	RUN_TEST(test_render_appends);
	RUN_TEST(test_render_raw_html);
	RUN_TEST(test_render_urls);
	RUN_TEST(test_render_bytes);
	RUN_TEST(test_render_hostile);
	RUN_TEST(test_plain_text);
	RUN_TEST(test_plain_cut);
	RUN_TEST(test_plain_long);
}
