/*
 * qrsvg.h - QR codes as inline SVG (libqrencode).
 *
 * Used for the TOTP enrolment page: the SVG goes straight into the HTML,
 * needs no image route and no JavaScript, and is accessible (role="img"
 * with a label; the page shows the same secret as text beside it).
 */
#ifndef BEACON_CORE_QRSVG_H
#define BEACON_CORE_QRSVG_H

#include "core/buf.h"

/* Quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4). */
#define QRSVG_QUIET 4
/* Smallest rendered width and height in CSS pixels. */
#define QRSVG_MIN_PX 200

/*
 * Append to out a standalone <svg> element showing text as a QR code (error
 * correction level M): black modules on white, drawn as one <path>, with the
 * quiet zone, role="img", aria-label and <title> set to label (escaped), and
 * width and height of at least 200 px in whole pixels per module. Everything
 * else in the markup is generated numbers. Returns 0, or -1 (out unchanged)
 * when text does not fit in a QR code or cannot be encoded.
 */
int qrsvg_render(const char *text, const char *label, struct buf *out);

#endif
