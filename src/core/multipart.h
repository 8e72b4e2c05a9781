/*
 * multipart.h - multipart/form-data request bodies (RFC 7578), parsed in
 * memory.
 *
 * Kore's own parser (http_populate_multipart_form) keeps a text field only
 * when the Kore route declares it in a params block; Beacon has one
 * catch-all route, so it would drop the "_csrf" and "kind" fields. This
 * parser keeps every part: fields and files alike, by name.
 *
 * Limits: at most MULTIPART_MAX_PARTS parts, part headers of at most
 * MULTIPART_MAX_HEADERS bytes, names of at most MULTIPART_MAX_NAME bytes.
 * Only Content-Disposition is read from a part's headers; a part's own
 * Content-Type is ignored on purpose (what a file is, is decided by its
 * bytes).
 */
#ifndef BEACON_CORE_MULTIPART_H
#define BEACON_CORE_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_MAX_PARTS 16
#define MULTIPART_MAX_HEADERS 4096
#define MULTIPART_MAX_NAME 64
#define MULTIPART_MAX_FILENAME 1024

struct multipart_part {
	char *name;          /* the form field's name, NUL-terminated */
	char *filename;      /* the client's file name as sent (raw), NULL for a plain field */
	const char *data;    /* the part's bytes, inside multipart.body */
	size_t len;
};

struct multipart {
	char *body; /* owned copy of the request body */
	size_t body_len;
	int n;
	struct multipart_part parts[MULTIPART_MAX_PARTS];
};

/*
 * The boundary of a "multipart/form-data; boundary=..." content type, into
 * out (RFC 2046: 1..70 characters, optionally quoted). Returns false when
 * content_type is not multipart/form-data or has no valid boundary.
 */
bool multipart_boundary(const char *content_type, char *out, size_t outlen);

/*
 * Parse body (len bytes; ownership passes to m, which frees it with
 * multipart_free even on failure) as multipart/form-data with boundary.
 * Returns 0, or -1 when the body is malformed (no closing delimiter, a
 * part without a Content-Disposition form-data name, headers or names over
 * the limits, more than MULTIPART_MAX_PARTS parts). m is zeroed first.
 */
int multipart_parse(struct multipart *m, const char *boundary, char *body, size_t len);

/* The first part named name, or NULL. */
const struct multipart_part *multipart_get(const struct multipart *m, const char *name);

/* Free what m holds (safe on a zeroed or already freed m). */
void multipart_free(struct multipart *m);

#endif
