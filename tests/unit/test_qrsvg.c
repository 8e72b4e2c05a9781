/*
 * QR codes as SVG: the drawn modules are exactly libqrencode's symbol, with
 * the quiet zone, the label escaped, nothing else but generated numbers.
 */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/qrsvg.h"
#include "harness.h"
#include "suites.h"

/* Parse the d attribute's "Mx yhNv1h-Nz" runs into grid (size x size); -1 when malformed. */
static int
paint(const char *d, unsigned char *grid, int size)
{
	while (*d && *d != '"') {
		int x, y, n, n2, used = 0;
		if (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &n2, &used) != 4 || used == 0 ||
		    n != n2 || n <= 0 || x < 0 || y < 0 || x + n > size || y >= size)
			return -1;
		for (int i = 0; i < n; i++)
			grid[y * size + x + i]++;
		d += used;
	}
	return 0;
}

static void
test_modules_match(void)
{
	const char *text = "otpauth://totp/Beacon:ana%40example.org?secret="
	                   "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Beacon&algorithm=SHA1"
	                   "&digits=6&period=30";
	struct buf b = {0};

	CHECK_INT_EQ(qrsvg_render(text, "QR code for your authenticator app", &b), 0);
	const char *svg = buf_cstr(&b);
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	CHECK(qr != NULL);
	if (qr == NULL)
		return;
	int size = qr->width + 8;
	char want[64];
	snprintf(want, sizeof(want), "viewBox=\"0 0 %d %d\"", size, size);
	CHECK(strstr(svg, want) != NULL);
	CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40) == 0);
	CHECK(strcmp(svg + b.len - 6, "</svg>") == 0);
	CHECK(strstr(svg, " role=\"img\"") != NULL);
	CHECK(strstr(svg, "aria-label=\"QR code for your authenticator app\"") != NULL);
	CHECK(strstr(svg, "<title>QR code for your authenticator app</title>") != NULL);
	CHECK(strstr(svg, "fill=\"#fff\"") != NULL && strstr(svg, "fill=\"#000\"") != NULL);

	/* One path, whose runs paint exactly the dark modules, each once, inside the quiet zone. */
	const char *p = strstr(svg, "<path");
	CHECK(p != NULL && strstr(p + 1, "<path") == NULL);
	unsigned char *grid = calloc((size_t)(size * size), 1);
	CHECK(p != NULL && paint(strstr(p, " d=\"") + 4, grid, size) == 0);
	int wrong = 0, dark = 0;
	for (int y = 0; y < size; y++) {
		for (int x = 0; x < size; x++) {
			int in = x >= 4 && y >= 4 && x < size - 4 && y < size - 4;
			int want_dark = in && (qr->data[(y - 4) * qr->width + (x - 4)] & 1);
			wrong += grid[y * size + x] != want_dark;
			dark += want_dark;
		}
	}
	CHECK_INT_EQ(wrong, 0);
	CHECK(dark > 100);

	/* Whole pixels per module, at least 200 px. */
	int w = 0, h = 0;
	const char *wp = strstr(svg, " width=\""), *hp = strstr(svg, " height=\"");
	CHECK(wp != NULL && sscanf(wp, " width=\"%d\"", &w) == 1);
	CHECK(hp != NULL && sscanf(hp, " height=\"%d\"", &h) == 1);
	CHECK(w >= 200 && w == h && w % size == 0);
	free(grid);
	QRcode_free(qr);
	buf_free(&b);
}

static void
test_label_escaped(void)
{
	struct buf b = {0};

	CHECK_INT_EQ(qrsvg_render("hello", "a\"b<c>&d'", &b), 0);
	const char *svg = buf_cstr(&b);
	CHECK(strstr(svg, "aria-label=\"a&quot;b&lt;c&gt;&amp;d&#39;\"") != NULL);
	CHECK(strstr(svg, "<title>a&quot;b&lt;c&gt;&amp;d&#39;</title>") != NULL);
	/* Apart from the label, only generated markup and numbers. */
	CHECK(strstr(svg, "hello") == NULL);
	size_t odd = strspn(svg, "<>/=\"#:. -+svgxmlnshtpw3orf2000viewBxidheay"
	                         "labelrol&;quotgampicaptzrndsEdMVHz0123456789");
	CHECK_INT_EQ(odd, b.len);
	buf_free(&b);
}

static void
test_limits(void)
{
	struct buf b = {0};
	size_t n = 8000;
	char *big = malloc(n + 1);

	memset(big, 'x', n);
	big[n] = '\0';
	buf_puts(&b, "before");
	CHECK_INT_EQ(qrsvg_render(big, "too much", &b), -1);
	CHECK_STR_EQ(buf_cstr(&b), "before");
	free(big);
	/* A tiny symbol (version 1: 21 modules + 8) still renders at least 200 px. */
	buf_reset(&b);
	CHECK_INT_EQ(qrsvg_render("1", "one", &b), 0);
	CHECK(strstr(buf_cstr(&b), "viewBox=\"0 0 29 29\" width=\"203\" height=\"203\"") != NULL);
	buf_free(&b);
}

void
test_suite_qrsvg(void)
{
	RUN_TEST(test_modules_match);
	RUN_TEST(test_label_escaped);
	RUN_TEST(test_limits);
}
