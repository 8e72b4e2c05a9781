/*
 * ics.c - one-event iCalendar files. See ics.h.
 */
#include <string.h>

#include "ics.h"

void
ics_escape(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case ',':
			buf_puts(b, "\\,");
			break;
		case ';':
			buf_puts(b, "\\;");
			break;
		case '\r':
			if (s[1] == '\n')
				s++;
			buf_puts(b, "\\n");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		default:
			/* Other control characters are not allowed in TEXT. */
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				break;
			buf_putc(b, *s);
		}
	}
}

void
ics_line(struct buf *b, const char *line, size_t n)
{
	size_t col = 0; /* octets on the current physical line */
	size_t i = 0;
	while (i < n) {
		/* The length of the UTF-8 sequence starting here: never split one. */
		size_t len = 1;
		unsigned char c = (unsigned char)line[i];
		if (c >= 0xf0)
			len = 4;
		else if (c >= 0xe0)
			len = 3;
		else if (c >= 0xc0)
			len = 2;
		if (i + len > n)
			len = n - i;
		if (col + len > 75) {
			buf_puts(b, "\r\n ");
			col = 1; /* the leading space counts */
		}
		buf_append(b, line + i, len);
		col += len;
		i += len;
	}
	buf_puts(b, "\r\n");
}

static void
prop_text(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	struct buf l = {0};
	buf_puts(&l, name);
	buf_putc(&l, ':');
	ics_escape(&l, value);
	ics_line(b, l.data, l.len);
	buf_free(&l);
}

static void
prop_time(struct buf *b, const char *name, time_t t)
{
	struct tm tm;
	char v[32];
	gmtime_r(&t, &tm);
	strftime(v, sizeof(v), "%Y%m%dT%H%M%SZ", &tm);
	struct buf l = {0};
	buf_printf(&l, "%s:%s", name, v);
	ics_line(b, l.data, l.len);
	buf_free(&l);
}

void
ics_event_write(struct buf *b, const struct ics_event *e)
{
	ics_line(b, "BEGIN:VCALENDAR", 15);
	ics_line(b, "VERSION:2.0", 11);
	ics_line(b, "PRODID:-//Beacon//Interviews//EN", 32);
	ics_line(b, "CALSCALE:GREGORIAN", 18);
	if (e->cancelled)
		ics_line(b, "METHOD:CANCEL", 13);
	else
		ics_line(b, "METHOD:PUBLISH", 14);
	ics_line(b, "BEGIN:VEVENT", 12);
	prop_text(b, "UID", e->uid);
	struct buf l = {0};
	buf_printf(&l, "SEQUENCE:%d", e->sequence > 0 ? e->sequence : 0);
	ics_line(b, l.data, l.len);
	buf_free(&l);
	prop_time(b, "DTSTAMP", e->stamp);
	prop_time(b, "DTSTART", e->start);
	prop_time(b, "DTEND", e->end);
	if (e->cancelled)
		ics_line(b, "STATUS:CANCELLED", 16);
	else
		ics_line(b, "STATUS:CONFIRMED", 16);
	if (e->organizer && *e->organizer) {
		/* A cal-address is a URI: not TEXT-escaped. */
		buf_printf(&l, "ORGANIZER;CN=Beacon:%s", e->organizer);
		ics_line(b, l.data, l.len);
		buf_free(&l);
	}
	prop_text(b, "SUMMARY", e->summary);
	prop_text(b, "LOCATION", e->location);
	prop_text(b, "DESCRIPTION", e->description);
	if (e->url && *e->url) {
		buf_printf(&l, "URL:%s", e->url);
		ics_line(b, l.data, l.len);
		buf_free(&l);
	}
	ics_line(b, "END:VEVENT", 10);
	ics_line(b, "END:VCALENDAR", 13);
}
