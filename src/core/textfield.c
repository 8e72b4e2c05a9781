/*
 * textfield.c - cleaning submitted text (see textfield.h).
 */
#include "textfield.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "utf8.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *
text_clean(const char *in, size_t max, enum text_unit unit, bool multi_line,
           enum text_problem *problem)
{
	*problem = TEXT_EMPTY;
	if (in == NULL)
		return NULL;
	size_t n = strlen(in);
	while (n > 0 && is_space(*in)) {
		in++;
		n--;
	}
	while (n > 0 && is_space(in[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (!utf8_valid(in, n) || utf8_has_control(in, n)) {
		*problem = TEXT_BAD_CHARS;
		return NULL;
	}
	if (!multi_line && (memchr(in, '\n', n) || memchr(in, '\r', n) || memchr(in, '\t', n))) {
		*problem = TEXT_MULTI_LINE;
		return NULL;
	}
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\r') {
			out[o++] = '\n';
			if (i + 1 < n && in[i + 1] == '\n')
				i++;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
	size_t size = unit == TEXT_CHARS ? utf8_count(out, o) : o;
	if (size > max) {
		free(out);
		*problem = TEXT_TOO_LONG;
		return NULL;
	}
	*problem = TEXT_OK;
	return out;
}

bool
text_web_address_ok(const char *u)
{
	const char *host;
	if (u == NULL)
		return false;
	if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return false;
	size_t hl = strcspn(host, "/?#");
	bool alnum = false;
	for (size_t i = 0; i < hl; i++) {
		char c = host[i];
		bool letter =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		alnum |= letter;
		if (!letter && c != '.' && c != '-' && c != ':' && c != '[' && c != ']')
			return false;
	}
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= 0x20 || strchr("\"'<>\\`{}|^", *p) != NULL)
			return false;
	return alnum;
}
