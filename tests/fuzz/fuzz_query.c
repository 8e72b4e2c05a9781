/*
 * libFuzzer driver for the query-string parser. A slow reference parser
 * written from query.h decides the expected error and parameters; whatever
 * the parser accepts must also meet the documented guarantees and survive a
 * round trip through html_urlenc, and whatever it rejects must leave q empty
 * and a printable report.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "core/query.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ref_param {
	char key[QUERY_MAX_KEY + 1];
	char value[QUERY_MAX_VALUE + 1];
};

/* Decode one field byte by byte; the limit and escapes are checked in input order. */
static enum query_error
ref_field(const char *s, size_t n, char *out, size_t max)
{
	size_t len = 0;
	uint32_t cp;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (n - i < 3 || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return QUERY_BAD_ESCAPE;
			char hex[3] = {s[i + 1], s[i + 2], '\0'};
			c = (char)strtol(hex, NULL, 16);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (len + 1 > max)
			return QUERY_TOO_LONG;
		out[len++] = c;
	}
	out[len] = '\0';
	if (!utf8_valid(out, len))
		return QUERY_BAD_UTF8;
	for (size_t i = 0, step; i < len; i += step) {
		step = utf8_decode(out + i, len - i, &cp);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7F && cp < 0xA0))
			return QUERY_CONTROL_CHAR;
	}
	return QUERY_OK;
}

static enum query_error
ref_parse(const char *s, size_t n, struct ref_param *params, size_t *count)
{
	size_t start = 0;

	*count = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '&')
			continue;
		const char *pair = s + start;
		size_t plen = i - start, klen = plen;
		start = i + 1;
		if (plen == 0)
			continue;
		if (*count == QUERY_MAX_PARAMS)
			return QUERY_TOO_MANY;
		for (size_t j = 0; j < plen; j++) {
			if (pair[j] == '=') {
				klen = j;
				break;
			}
		}
		enum query_error err = ref_field(pair, klen, params[*count].key, QUERY_MAX_KEY);
		if (err != QUERY_OK)
			return err;
		if (klen < plen)
			err = ref_field(pair + klen + 1, plen - klen - 1, params[*count].value,
			                QUERY_MAX_VALUE);
		else
			params[*count].value[0] = '\0';
		if (err != QUERY_OK)
			return err;
		(*count)++;
	}
	return QUERY_OK;
}

static void
check_accepted(const struct query *q)
{
	struct buf enc = {0};
	struct query again;
	char bad[8];

	if (q->count > QUERY_MAX_PARAMS)
		abort();
	for (size_t i = 0; i < q->count; i++) {
		const char *k = q->params[i].key, *v = q->params[i].value;
		size_t kn = strlen(k), vn = strlen(v);
		if (kn > QUERY_MAX_KEY || vn > QUERY_MAX_VALUE)
			abort();
		if (!utf8_valid(k, kn) || utf8_has_control(k, kn))
			abort();
		if (!utf8_valid(v, vn) || utf8_has_control(v, vn))
			abort();
		if (query_get(q, k) == NULL || query_count(q, k) == 0)
			abort();
		if (i > 0)
			buf_putc(&enc, '&');
		html_urlenc(&enc, k);
		buf_putc(&enc, '=');
		html_urlenc(&enc, v);
	}
	if (query_parse(&again, buf_cstr(&enc), enc.len, bad, sizeof(bad)) != QUERY_OK)
		abort();
	/* Empty keys with empty values are "=" pairs, so the count survives too. */
	if (again.count != q->count)
		abort();
	for (size_t i = 0; i < q->count; i++) {
		if (strcmp(again.params[i].key, q->params[i].key) != 0 ||
		    strcmp(again.params[i].value, q->params[i].value) != 0)
			abort();
	}
	query_free(&again);
	buf_free(&enc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct query q;
	char bad[40];
	enum query_error err;

	static struct ref_param want[QUERY_MAX_PARAMS];
	size_t want_count;

	memset(bad, 'x', sizeof(bad));
	err = query_parse(&q, (const char *)data, size, bad, sizeof(bad));
	if (memchr(bad, '\0', sizeof(bad)) == NULL)
		abort();
	if (ref_parse((const char *)data, size, want, &want_count) != err)
		abort();
	if (err == QUERY_OK) {
		if (bad[0] != '\0' || q.count != want_count)
			abort();
		for (size_t i = 0; i < q.count; i++) {
			if (strcmp(q.params[i].key, want[i].key) != 0 ||
			    strcmp(q.params[i].value, want[i].value) != 0)
				abort();
		}
		check_accepted(&q);
		query_free(&q);
		if (q.count != 0)
			abort();
	} else {
		if (q.count != 0 || strcmp(query_strerror(err), "unknown error") == 0)
			abort();
		for (const char *c = bad; *c != '\0'; c++) {
			if (*c < 0x20 || *c > 0x7E)
				abort();
		}
	}
	/* A report buffer of one byte, and none at all, are both fine. */
	char one[1];
	if (query_parse(&q, (const char *)data, size, one, sizeof(one)) != err)
		abort();
	query_free(&q);
	if (query_parse(&q, (const char *)data, size, NULL, 0) != err)
		abort();
	query_free(&q);
	return 0;
}
