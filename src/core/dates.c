#include "dates.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
date_parse(const char *s, bool end_of_day, time_t *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (s == NULL || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
		return false;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1)
		return false;
	if (d > mdays[mo - 1] + (mo == 2 && leap(y)))
		return false;
	const char *p = s + 10;
	long offset = 0;
	if (*p == '\0') {
		if (end_of_day) {
			h = 23;
			mi = 59;
			se = 59;
		}
	} else {
		if ((*p != 'T' && *p != ' ') || !digits(p + 1, 2, &h) || p[3] != ':' ||
		    !digits(p + 4, 2, &mi))
			return false;
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &se))
				return false;
			p += 3;
			if (*p == '.') {
				p++;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			return false;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) ||
			    oh > 23 || om > 59)
				return false;
			offset = (oh * 3600L + om * 60L) * (*p == '+' ? 1 : -1);
			p += 6;
		}
		if (*p != '\0')
			return false;
	}
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	time_t t = timegm(&tm) - offset;
	/* An offset can push 9999-12-31 into year 10000, which no format here can hold. */
	if (t < 0 || t > (time_t)253402300799LL)
		return false;
	*out = t;
	return true;
}

void
date_format(time_t t, char out[DATE_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, DATE_LEN, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}

void
instant_format(time_t t, char out[INSTANT_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, INSTANT_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

void
instant_now(char out[INSTANT_LEN])
{
	instant_format(time(NULL), out);
}

double
monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void
instant_now_precise(char out[PRECISE_LEN])
{
	static long long last;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long us = (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
	if (us <= last)
		us = last + 1;
	last = us;
	time_t sec = (time_t)(us / 1000000LL);
	struct tm tm;
	gmtime_r(&sec, &tm);
	char base[INSTANT_LEN];
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, PRECISE_LEN, "%.19s.%06dZ", base, (int)(us % 1000000LL));
}
