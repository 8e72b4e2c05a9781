/*
 * ics.h - iCalendar (RFC 5545) for one event: CRLF line ends, lines folded
 * at 75 octets (never inside a UTF-8 sequence), TEXT values escaped
 * (backslash, comma, semicolon, line breaks), times in UTC.
 *
 * An event is published (METHOD:PUBLISH, STATUS:CONFIRMED) or, once
 * cancelled, sent again as a cancellation (RFC 5546 METHOD:CANCEL,
 * STATUS:CANCELLED) with the same UID and a higher SEQUENCE, which tells a
 * calendar that imported the first file to remove the event.
 */
#ifndef BEACON_CORE_ICS_H
#define BEACON_CORE_ICS_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"

struct ics_event {
	const char *uid;         /* globally unique, e.g. "interview-7@beacon.example" */
	time_t stamp;            /* DTSTAMP */
	time_t start, end;       /* DTSTART, DTEND */
	const char *summary;     /* may be NULL */
	const char *location;    /* may be NULL */
	const char *description; /* may be NULL */
	const char *url;         /* may be NULL */
	const char *organizer;   /* "mailto:..." (RFC 5546 wants one); may be NULL */
	int sequence;            /* SEQUENCE: 0 as first published, higher for each revision */
	bool cancelled;          /* a cancellation of the event published under uid */
};

/* Escape s as an RFC 5545 TEXT value into b (no folding). */
void ics_escape(struct buf *b, const char *s);

/* Append one content line "line" folded at 75 octets and ended with CRLF. */
void ics_line(struct buf *b, const char *line, size_t n);

/* A whole VCALENDAR with one VEVENT into b. */
void ics_event_write(struct buf *b, const struct ics_event *e);

#endif
