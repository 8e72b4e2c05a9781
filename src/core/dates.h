/*
 * dates.h - ISO 8601 dates as Beacon stores them: dates as "YYYY-MM-DD",
 * instants as "YYYY-MM-DDTHH:MM:SSZ" (UTC), so text order is time order in
 * both databases.
 */
#ifndef BEACON_CORE_DATES_H
#define BEACON_CORE_DATES_H

#include <stdbool.h>
#include <time.h>

#define DATE_LEN 11    /* "YYYY-MM-DD" + NUL */
#define INSTANT_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z", "+HH:MM" or
 * "-HH:MM" (or no zone, taken as UTC). Checks calendar validity. On success
 * stores the UTC instant in *out and returns true. A date alone means its
 * start (00:00:00Z), or its end (23:59:59Z) when end_of_day is set.
 */
bool date_parse(const char *s, bool end_of_day, time_t *out);
/* Format t as "YYYY-MM-DD" (UTC). */
void date_format(time_t t, char out[DATE_LEN]);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ". */
void instant_format(time_t t, char out[INSTANT_LEN]);
/* The current instant, formatted. */
void instant_now(char out[INSTANT_LEN]);
#define PRECISE_LEN 40 /* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (27) + NUL, with room gcc can prove */
/*
 * The current instant with microseconds, strictly increasing within this
 * process (so two writes never share a timestamp).
 */
void instant_now_precise(char out[PRECISE_LEN]);
/* Milliseconds on the monotonic clock (for durations). */
double monotonic_ms(void);

#endif
