/*
 * download.c - see download.h.
 */
#include "web/download.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

int
download_load(struct rctx *ctx, int64_t id, struct document *d)
{
	int has = documents_get(ctx->db, id, d);
	if (has > 0)
		has = documents_can_read(ctx->db, d, ctx->auth.user_id, ctx->auth.role);
	if (has < 0) {
		resp_db_error(ctx, "load document");
		return 0;
	}
	if (has == 0) {
		resp_error(ctx, 404, "not_found", "Not found",
		           "We could not find that document. It may have been deleted.", NULL);
		return 0;
	}
	return 1;
}

/* RFC 8187 attr-char: these go as they are, every other byte as %XX. */
static bool
attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("!#$&+-.^_`|~", c) != NULL;
}

static void
disposition(struct buf *b, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_puts(b, "attachment; filename=\"");
	/* The fallback for old clients: printable ASCII without quote or backslash. */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x80 && (*p & 0xc0) == 0x80)
			continue; /* one '_' per non-ASCII character */
		buf_putc(b, (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? (char)*p : '_');
	}
	buf_puts(b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (attr_char(*p)) {
			buf_putc(b, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_append(b, e, 3);
		}
	}
}

void
download_send(struct rctx *ctx, const struct document *d)
{
	buf_reset(&ctx->body);
	if (documents_read_file(d, &ctx->body) != 0) {
		buf_reset(&ctx->body);
		resp_error(ctx, 500, "internal_error", "Server error",
		           "The document could not be read. Please try again later.", NULL);
		return;
	}
	struct buf cd = {0};
	disposition(&cd, d->filename);
	http_response_header(ctx->req, "content-disposition", buf_cstr(&cd));
	buf_free(&cd);
	ctx->personal = true;
	const char *type = strcmp(d->mime, DOCUMENTS_MIME_TEXT) == 0 ? "text/plain; charset=utf-8"
	                                                             : d->mime;
	resp_send(ctx, 200, type, CACHE_NONE);
}
