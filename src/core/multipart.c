/*
 * multipart.c - multipart/form-data bodies: see multipart.h.
 */
#include "core/multipart.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"

#define BOUNDARY_MAX 70

static bool
bchar(char c)
{
	/* RFC 2046 bcharsnospace plus space (not last). */
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       strchr("'()+_,-./:=? ", c) != NULL;
}

bool
multipart_boundary(const char *ct, char *out, size_t outlen)
{
	static const char type[] = "multipart/form-data";
	if (ct == NULL || strncasecmp(ct, type, sizeof(type) - 1) != 0)
		return false;
	const char *p = ct + sizeof(type) - 1;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *key = p;
		while (*p != '\0' && *p != '=' && *p != ';')
			p++;
		size_t klen = (size_t)(p - key);
		while (klen > 0 && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
			klen--;
		if (*p != '=') {
			continue;
		}
		p++;
		const char *val = p;
		size_t vlen;
		if (*p == '"') {
			val = ++p;
			while (*p != '\0' && *p != '"')
				p++;
			if (*p != '"')
				return false;
			vlen = (size_t)(p - val);
			p++;
		} else {
			while (*p != '\0' && *p != ';' && *p != ' ' && *p != '\t')
				p++;
			vlen = (size_t)(p - val);
		}
		if (klen == 8 && strncasecmp(key, "boundary", 8) == 0) {
			if (vlen == 0 || vlen > BOUNDARY_MAX || vlen + 1 > outlen || val[vlen - 1] == ' ')
				return false;
			for (size_t i = 0; i < vlen; i++)
				if (!bchar(val[i]))
					return false;
			memcpy(out, val, vlen);
			out[vlen] = '\0';
			return true;
		}
	}
	return false;
}

/*
 * Read the form-data parameters "name" and "filename" of one
 * Content-Disposition value (s, n bytes). Returns false when it is not
 * form-data, has no name, or a value is over its limit or unterminated.
 */
static bool
disposition(const char *s, size_t n, char **name, char **filename)
{
	const char *end = s + n, *p = s;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 9 || strncasecmp(p, "form-data", 9) != 0)
		return false;
	p += 9;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		const char *key = p;
		while (p < end && *p != '=' && *p != ';' && *p != ' ')
			p++;
		size_t klen = (size_t)(p - key);
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && *p == ' ')
			p++;
		struct buf_like {
			char *s;
			size_t n;
		} v = {xmalloc((size_t)(end - p) + 1), 0};
		if (p < end && *p == '"') {
			p++;
			bool closed = false;
			while (p < end) {
				if (*p == '\\' && p + 1 < end) {
					v.s[v.n++] = p[1];
					p += 2;
				} else if (*p == '"') {
					closed = true;
					p++;
					break;
				} else {
					v.s[v.n++] = *p++;
				}
			}
			if (!closed) {
				free(v.s);
				return false;
			}
		} else {
			while (p < end && *p != ';' && *p != ' ')
				v.s[v.n++] = *p++;
		}
		v.s[v.n] = '\0';
		char **slot = NULL;
		size_t max = 0;
		if (klen == 4 && strncasecmp(key, "name", 4) == 0) {
			slot = name;
			max = MULTIPART_MAX_NAME;
		} else if (klen == 8 && strncasecmp(key, "filename", 8) == 0) {
			slot = filename;
			max = MULTIPART_MAX_FILENAME;
		}
		if (slot == NULL || *slot != NULL || memchr(v.s, '\0', v.n) != NULL) {
			/* Other parameters (filename*) are ignored; a repeated one is refused. */
			bool bad = slot != NULL;
			free(v.s);
			if (bad)
				return false;
			continue;
		}
		if (v.n > max) {
			free(v.s);
			return false;
		}
		*slot = v.s;
	}
	return *name != NULL && (*name)[0] != '\0';
}

/* Parse the header block hdr (n bytes, lines separated by CRLF) into part. */
static bool
part_headers(const char *hdr, size_t n, struct multipart_part *part)
{
	const char *p = hdr, *end = hdr + n;
	bool seen = false;
	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		static const char cd[] = "content-disposition:";
		if (len >= sizeof(cd) - 1 && strncasecmp(p, cd, sizeof(cd) - 1) == 0) {
			if (seen)
				return false;
			seen = true;
			if (!disposition(p + sizeof(cd) - 1, len - (sizeof(cd) - 1), &part->name,
			                 &part->filename))
				return false;
		}
		p += len + (eol ? 2 : 0);
	}
	return seen;
}

int
multipart_parse(struct multipart *m, const char *boundary, char *body, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->body = body;
	m->body_len = len;
	size_t blen = strlen(boundary);
	if (blen == 0 || blen > BOUNDARY_MAX || body == NULL)
		return -1;
	char delim[BOUNDARY_MAX + 5];
	/* "\r\n--boundary": every delimiter but a first one at offset 0 starts with CRLF. */
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	size_t dlen = blen + 4;
	size_t pos;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		pos = dlen - 2;
	} else {
		const char *d = memmem(body, len, delim, dlen);
		if (d == NULL)
			return -1;
		pos = (size_t)(d - body) + dlen;
	}
	for (;;) {
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			return m->n > 0 ? 0 : -1; /* the closing delimiter; an epilogue is ignored */
		while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			return -1;
		pos += 2;
		if (m->n == MULTIPART_MAX_PARTS)
			return -1;
		size_t room = len - pos < MULTIPART_MAX_HEADERS + 4 ? len - pos : MULTIPART_MAX_HEADERS + 4;
		size_t hlen;
		if (room >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
			hlen = 0; /* no headers at all: refused below (no name) */
		} else {
			const char *he = memmem(body + pos, room, "\r\n\r\n", 4);
			if (he == NULL)
				return -1;
			hlen = (size_t)(he - (body + pos)) + 2;
		}
		struct multipart_part *part = &m->parts[m->n++];
		if (!part_headers(body + pos, hlen, part))
			return -1;
		pos += hlen + 2;
		const char *d = memmem(body + pos, len - pos, delim, dlen);
		if (d == NULL)
			return -1;
		part->data = body + pos;
		part->len = (size_t)(d - (body + pos));
		pos = (size_t)(d - body) + dlen;
	}
}

const struct multipart_part *
multipart_get(const struct multipart *m, const char *name)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->parts[i].name, name) == 0)
			return &m->parts[i];
	return NULL;
}

void
multipart_free(struct multipart *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->parts[i].name);
		free(m->parts[i].filename);
	}
	free(m->body);
	memset(m, 0, sizeof(*m));
}
