/*
 * static.c - the fixed list of assets Beacon serves from memory. Only names
 * in the list are served, so no request path ever reaches the file system.
 */
#include "web/static.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/compress.h"
#include "core/log.h"
#include "core/mem.h"

struct asset {
	const char *name;
	const char *content_type;
	struct buf data;
	struct buf gz;
	char etag[24];
	char url[160];
};

static struct asset assets[] = {
    {"beacon.css", "text/css; charset=utf-8", {0}, {0}, "", ""},
    {"beacon.js", "text/javascript; charset=utf-8", {0}, {0}, "", ""},
    {"vendor/htmx.min.js", "text/javascript; charset=utf-8", {0}, {0}, "", ""},
    {"favicon.svg", "image/svg+xml", {0}, {0}, "", ""},
};
#define NASSETS (sizeof(assets) / sizeof(assets[0]))

static int
read_file(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char tmp[65536];
	ssize_t n;
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_append(out, tmp, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

int
static_load(const char *dir)
{
	for (size_t i = 0; i < NASSETS; i++) {
		struct asset *a = &assets[i];
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, a->name);
		buf_free(&a->data);
		buf_free(&a->gz);
		if (read_file(path, &a->data) != 0) {
			log_error("cannot read static asset %s", path);
			return -1;
		}
		uint64_t h = hash_fnv1a(a->data.data, a->data.len);
		snprintf(a->etag, sizeof(a->etag), "\"%016llx\"", (unsigned long long)h);
		snprintf(a->url, sizeof(a->url), "/static/%s?v=%.12s", a->name, a->etag + 1);
		if (strncmp(a->content_type, "image/", 6) != 0 || strstr(a->content_type, "svg"))
			gzip_compress(a->data.data, a->data.len, 9, &a->gz);
	}
	return 0;
}

const char *
static_url(const char *name)
{
	for (size_t i = 0; i < NASSETS; i++)
		if (strcmp(assets[i].name, name) == 0)
			return assets[i].url;
	return "/static/missing";
}

void
static_serve(struct rctx *ctx, const char *prefix)
{
	char name[128];
	snprintf(name, sizeof(name), "%s%s", prefix, ctx->tail ? ctx->tail : "");
	for (size_t i = 0; i < NASSETS; i++) {
		struct asset *a = &assets[i];
		if (strcmp(a->name, name) != 0 || a->data.data == NULL)
			continue;
		/* The fingerprinted URL never changes; any other must revalidate. */
		const char *v = query_get(&ctx->query, "v");
		enum cache_policy cache = (v != NULL && strlen(v) == 12 &&
		                           strncmp(v, a->etag + 1, 12) == 0)
		                              ? CACHE_IMMUTABLE
		                              : CACHE_REVALIDATE;
		resp_send_static(ctx, a->content_type, a->data.data, a->data.len,
		                 a->gz.len ? a->gz.data : NULL, a->gz.len, a->etag, cache);
		return;
	}
	resp_error(ctx, 404, "not_found", "Not found", "There is no such file.", NULL);
}
