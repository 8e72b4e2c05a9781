#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

#define UTF8_REPLACEMENT "\xEF\xBF\xBD"

/* ASCII bytes jw_escape copies unchanged; '<' needs a look at what follows. */
static inline bool
jw_ascii_plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != 0x7F;
}

static void
jw_put_u(struct buf *b, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = {'\\', 'u'};

	for (int i = 0; i < 4; i++)
		esc[2 + i] = hex[(cp >> (12 - 4 * i)) & 0xF];
	buf_append(b, esc, sizeof(esc));
}

/*
 * Runs of bytes that need no escaping are copied with one buf_append; every
 * other byte ends the run. Besides what JSON requires, DEL and C1 controls
 * are escaped (they are invisible and confuse logs and terminals), U+2028
 * and U+2029 are escaped (they end a line in older JavaScript), "</" becomes
 * "<\/" and "<!--" becomes "\u003c!--": those two are the only sequences
 * that can end or derail an HTML <script> element holding the output.
 */
void
jw_escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;
	uint32_t cp;

	if (s == NULL)
		n = 0;
	buf_reserve(b, n + 2);
	buf_putc(b, '"');
	while (i < n) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if (jw_ascii_plain(c)) {
				i++;
				continue;
			}
			if (c == '<') {
				bool slash = i + 1 < n && u[i + 1] == '/';
				bool comment = i + 3 < n && u[i + 1] == '!' && u[i + 2] == '-' &&
				               u[i + 3] == '-';
				if (!slash && !comment) {
					i++;
					continue;
				}
				if (i > start)
					buf_append(b, s + start, i - start);
				if (slash) {
					buf_append(b, "<\\/", 3);
					i += 2;
				} else {
					jw_put_u(b, '<');
					i++;
				}
				start = i;
				continue;
			}
			if (i > start)
				buf_append(b, s + start, i - start);
			switch (c) {
			case '"':
				buf_append(b, "\\\"", 2);
				break;
			case '\\':
				buf_append(b, "\\\\", 2);
				break;
			case '\b':
				buf_append(b, "\\b", 2);
				break;
			case '\f':
				buf_append(b, "\\f", 2);
				break;
			case '\n':
				buf_append(b, "\\n", 2);
				break;
			case '\r':
				buf_append(b, "\\r", 2);
				break;
			case '\t':
				buf_append(b, "\\t", 2);
				break;
			default:
				jw_put_u(b, c);
				break;
			}
			start = ++i;
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len > 1 && (cp > 0x9F && cp != 0x2028 && cp != 0x2029)) {
			i += len;
			continue;
		}
		if (i > start)
			buf_append(b, s + start, i - start);
		if (len == 1)
			buf_append(b, UTF8_REPLACEMENT, 3);
		else
			jw_put_u(b, cp);
		i += len;
		start = i;
	}
	if (i > start)
		buf_append(b, s + start, i - start);
	buf_putc(b, '"');
}

void
jw_init(struct json_writer *w, struct buf *out)
{
	w->out = out;
	w->depth = 0;
	memset(w->state, 0, sizeof(w->state));
}

/*
 * Nesting deeper than JSON_MAX_DEPTH - 1 containers has no state slot. The
 * container that would overflow is written as null and the writer keeps
 * counting depth (w->depth >= JSON_MAX_DEPTH) while ignoring everything
 * inside it, so the output stays well-formed JSON and the matching *_end
 * calls bring it back.
 */
static inline bool
jw_skipping(const struct json_writer *w)
{
	return w->depth >= JSON_MAX_DEPTH;
}

/* Write the separator a value needs at the current level. */
static void
jw_value_prefix(struct json_writer *w)
{
	unsigned char *st = &w->state[w->depth];
	if (*st == 1)
		buf_putc(w->out, ',');
	*st = 1;
}

static void
jw_begin(struct json_writer *w, char open)
{
	if (jw_skipping(w)) {
		w->depth++;
		return;
	}
	jw_value_prefix(w);
	if (w->depth == JSON_MAX_DEPTH - 1) {
		buf_append(w->out, "null", 4);
		w->depth++;
		return;
	}
	buf_putc(w->out, open);
	w->depth++;
	w->state[w->depth] = 0;
}

/* An unbalanced end at the top level is ignored rather than corrupting state. */
static void
jw_end(struct json_writer *w, char close)
{
	if (w->depth <= 0)
		return;
	if (w->depth-- < JSON_MAX_DEPTH)
		buf_putc(w->out, close);
}

void
jw_obj_begin(struct json_writer *w)
{
	jw_begin(w, '{');
}

void
jw_obj_end(struct json_writer *w)
{
	jw_end(w, '}');
}

void
jw_arr_begin(struct json_writer *w)
{
	jw_begin(w, '[');
}

void
jw_arr_end(struct json_writer *w)
{
	jw_end(w, ']');
}

void
jw_key(struct json_writer *w, const char *key)
{
	if (jw_skipping(w))
		return;
	if (w->state[w->depth] == 1)
		buf_putc(w->out, ',');
	jw_escape(w->out, key, key != NULL ? strlen(key) : 0);
	buf_putc(w->out, ':');
	w->state[w->depth] = 2;
}

void
jw_str(struct json_writer *w, const char *s)
{
	if (s == NULL)
		jw_null(w);
	else
		jw_strn(w, s, strlen(s));
}

void
jw_strn(struct json_writer *w, const char *s, size_t n)
{
	if (s == NULL) {
		jw_null(w);
		return;
	}
	if (jw_skipping(w))
		return;
	jw_value_prefix(w);
	jw_escape(w->out, s, n);
}

void
jw_int(struct json_writer *w, int64_t v)
{
	if (jw_skipping(w))
		return;
	jw_value_prefix(w);
	buf_put_i64(w->out, v);
}

/*
 * %.15g never produces more digits than a double holds exactly, and its
 * forms (1e+20, -0, 0.5) are all valid JSON numbers. Near DBL_MAX, rounding
 * to 15 digits can round up past the largest double, which parsers read as
 * infinity or reject, so those few values get the exact %.17g form. A locale
 * with a decimal comma would not give valid JSON, so the comma is put back
 * to a point.
 */
void
jw_double(struct json_writer *w, double v)
{
	char tmp[32];
	int len;

	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	if (jw_skipping(w))
		return;
	len = snprintf(tmp, sizeof(tmp), fabs(v) >= 1e308 ? "%.17g" : "%.15g", v);
	if (len <= 0 || (size_t)len >= sizeof(tmp)) {
		jw_null(w);
		return;
	}
	for (int i = 0; i < len; i++) {
		if (tmp[i] == ',')
			tmp[i] = '.';
	}
	jw_value_prefix(w);
	buf_append(w->out, tmp, (size_t)len);
}

void
jw_bool(struct json_writer *w, bool v)
{
	if (jw_skipping(w))
		return;
	jw_value_prefix(w);
	if (v)
		buf_append(w->out, "true", 4);
	else
		buf_append(w->out, "false", 5);
}

void
jw_null(struct json_writer *w)
{
	if (jw_skipping(w))
		return;
	jw_value_prefix(w);
	buf_append(w->out, "null", 4);
}

void
jw_kv_str(struct json_writer *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void
jw_kv_int(struct json_writer *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}
