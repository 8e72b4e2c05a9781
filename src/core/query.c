#include "query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "utf8.h"

static inline int
query_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode the n bytes at raw into out, which holds max bytes, and
 * check the result: *outlen receives the decoded length. One pass does the
 * decoding, the length limit and the ASCII control check; the UTF-8 checks
 * only run when a byte >= 0x80 was seen, which keeps the common all-ASCII
 * query on a single pass. A bad escape or the length limit stops decoding
 * where it occurs; otherwise invalid UTF-8 is reported before a control
 * character.
 */
static enum query_error
query_decode(const char *raw, size_t n, char *out, size_t max, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)raw;
	unsigned char high = 0;
	bool ctl = false;
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = u[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? query_hexval(u[i + 1]) : -1;
			int lo = hi >= 0 ? query_hexval(u[i + 2]) : -1;
			if (lo < 0)
				return QUERY_BAD_ESCAPE;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (len == max)
			return QUERY_TOO_LONG;
		out[len++] = (char)c;
		high |= c;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			ctl = true;
	}
	*outlen = len;
	if (high & 0x80) {
		if (!utf8_valid(out, len))
			return QUERY_BAD_UTF8;
		if (utf8_has_control(out, len))
			return QUERY_CONTROL_CHAR;
	}
	return ctl ? QUERY_CONTROL_CHAR : QUERY_OK;
}

/*
 * Copy the raw key into bad_key for an error message: decoded where the
 * escapes allow, anything outside printable ASCII replaced by '?', and cut
 * to fit. The message is shown to users and logged, so it must not carry
 * markup-breaking or terminal-controlling bytes in its own right; callers
 * still escape it like any other text.
 */
static enum query_error query_parse_into(struct query *q, const char *s, size_t n, char *vbuf,
                                         size_t vmax, char *bad_key, size_t bad_key_len);

static void
query_report_key(const char *raw, size_t n, char *bad_key, size_t bad_key_len)
{
	const unsigned char *u = (const unsigned char *)raw;
	size_t len = 0;

	if (bad_key == NULL || bad_key_len == 0)
		return;
	for (size_t i = 0; i < n && len + 1 < bad_key_len; i++) {
		unsigned char c = u[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%' && i + 2 < n && query_hexval(u[i + 1]) >= 0 &&
		           query_hexval(u[i + 2]) >= 0) {
			c = (unsigned char)(query_hexval(u[i + 1]) << 4 | query_hexval(u[i + 2]));
			i += 2;
		}
		bad_key[len++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
	}
	bad_key[len] = '\0';
}

/*
 * Pairs are split on '&' and then on the first '='. Each parameter gets one
 * allocation holding the key and, right after its NUL, the value, so
 * query_free releases params[i].key only. The decode buffers live on the
 * stack and bound the work per field to the limits, however long the input.
 */
enum query_error
query_parse(struct query *q, const char *s, size_t n, char *bad_key, size_t bad_key_len)
{
	char vbuf[QUERY_MAX_VALUE];
	return query_parse_into(q, s, n, vbuf, sizeof(vbuf), bad_key, bad_key_len);
}

enum query_error
query_parse_form(struct query *q, const char *s, size_t n, size_t max_value, char *bad_key,
                 size_t bad_key_len)
{
	char *vbuf = xmalloc(max_value > 0 ? max_value : 1);
	enum query_error err = query_parse_into(q, s, n, vbuf, max_value, bad_key, bad_key_len);
	free(vbuf);
	return err;
}

static enum query_error
query_parse_into(struct query *q, const char *s, size_t n, char *vbuf, size_t vmax, char *bad_key,
                 size_t bad_key_len)
{
	char kbuf[QUERY_MAX_KEY];
	enum query_error err = QUERY_OK;
	const char *rkey = NULL;
	size_t rklen = 0, pos = 0;

	q->count = 0;
	if (bad_key != NULL && bad_key_len > 0)
		bad_key[0] = '\0';
	if (s == NULL)
		n = 0;
	while (pos < n) {
		const char *pair = s + pos;
		const char *amp = memchr(pair, '&', n - pos);
		size_t plen = amp != NULL ? (size_t)(amp - pair) : n - pos;
		pos += plen + 1;
		if (plen == 0)
			continue;

		const char *eq = memchr(pair, '=', plen);
		rkey = pair;
		rklen = eq != NULL ? (size_t)(eq - pair) : plen;
		const char *rval = eq != NULL ? eq + 1 : pair + plen;
		size_t rvlen = eq != NULL ? plen - rklen - 1 : 0;
		size_t klen, vlen;

		if (q->count == QUERY_MAX_PARAMS) {
			err = QUERY_TOO_MANY;
			goto out;
		}
		err = query_decode(rkey, rklen, kbuf, sizeof(kbuf), &klen);
		if (err != QUERY_OK)
			goto out;
		err = query_decode(rval, rvlen, vbuf, vmax, &vlen);
		if (err != QUERY_OK)
			goto out;

		char *mem = xmalloc(klen + vlen + 2);
		memcpy(mem, kbuf, klen);
		mem[klen] = '\0';
		memcpy(mem + klen + 1, vbuf, vlen);
		mem[klen + 1 + vlen] = '\0';
		q->params[q->count].key = mem;
		q->params[q->count].value = mem + klen + 1;
		q->count++;
	}

out:
	if (err != QUERY_OK) {
		query_report_key(rkey, rklen, bad_key, bad_key_len);
		query_free(q);
	}
	return err;
}

void
query_free(struct query *q)
{
	for (size_t i = 0; i < q->count; i++) {
		free(q->params[i].key);
		q->params[i].key = NULL;
		q->params[i].value = NULL;
	}
	q->count = 0;
}

const char *
query_get(const struct query *q, const char *key)
{
	if (key == NULL)
		return NULL;
	for (size_t i = 0; i < q->count; i++) {
		if (strcmp(q->params[i].key, key) == 0)
			return q->params[i].value;
	}
	return NULL;
}

size_t
query_count(const struct query *q, const char *key)
{
	size_t count = 0;

	if (key == NULL)
		return 0;
	for (size_t i = 0; i < q->count; i++) {
		if (strcmp(q->params[i].key, key) == 0)
			count++;
	}
	return count;
}

const char *
query_strerror(enum query_error err)
{
	switch (err) {
	case QUERY_OK:
		return "no error";
	case QUERY_TOO_MANY:
		return "too many parameters";
	case QUERY_TOO_LONG:
		return "parameter too long";
	case QUERY_BAD_ESCAPE:
		return "malformed percent-escape";
	case QUERY_BAD_UTF8:
		return "invalid UTF-8";
	case QUERY_CONTROL_CHAR:
		return "control character";
	}
	return "unknown error";
}
