#include "qrsvg.h"

#include <qrencode.h>

#include "core/html.h"

int
qrsvg_render(const char *text, const char *label, struct buf *out)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int size, scale;

	if (qr == NULL)
		return -1;
	size = qr->width + 2 * QRSVG_QUIET;
	scale = (QRSVG_MIN_PX + size - 1) / size;

	HTML_LIT(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	buf_printf(out, "%d %d\" width=\"%d\" height=\"%d\"", size, size, size * scale,
	           size * scale);
	HTML_LIT(out, " role=\"img\" aria-label=\"");
	html_attr(out, label);
	HTML_LIT(out, "\" shape-rendering=\"crispEdges\"><title>");
	html_text(out, label);
	HTML_LIT(out, "</title>");
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>", size, size);
	HTML_LIT(out, "<path fill=\"#000\" d=\"");
	/* One rectangle per horizontal run of dark modules. */
	for (int y = 0; y < qr->width; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)qr->width;
		int x = 0;
		while (x < qr->width) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int start = x;
			while (x < qr->width && (row[x] & 1))
				x++;
			buf_printf(out, "M%d %dh%dv1h-%dz", start + QRSVG_QUIET, y + QRSVG_QUIET,
			           x - start, x - start);
		}
	}
	HTML_LIT(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
