/*
 * Applications: the stage transition table (every pair of stages for both
 * sides, against an independent list of the allowed moves), stage names,
 * and the iCalendar writer (escaping, folding at 75 octets without
 * splitting UTF-8, CRLF, UTC times).
 */
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/ics.h"
#include "harness.h"
#include "model/applications.h"
#include "suites.h"

/* The allowed moves, written out by hand from the product rules. */
static const struct {
	const char *from, *to;
	enum app_side side;
} allowed[] = {
    {"applied", "screening", SIDE_EMPLOYER},   {"applied", "interview", SIDE_EMPLOYER},
    {"applied", "rejected", SIDE_EMPLOYER},    {"screening", "interview", SIDE_EMPLOYER},
    {"screening", "rejected", SIDE_EMPLOYER},  {"interview", "offer", SIDE_EMPLOYER},
    {"interview", "rejected", SIDE_EMPLOYER},  {"offer", "hired", SIDE_EMPLOYER},
    {"offer", "rejected", SIDE_EMPLOYER},      {"applied", "withdrawn", SIDE_CANDIDATE},
    {"screening", "withdrawn", SIDE_CANDIDATE}, {"interview", "withdrawn", SIDE_CANDIDATE},
    {"offer", "withdrawn", SIDE_CANDIDATE},
};

static bool
expected(int from, int to, enum app_side side)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(allowed[i].from, app_stage_name(from)) == 0 &&
		    strcmp(allowed[i].to, app_stage_name(to)) == 0 && allowed[i].side == side)
			return true;
	return false;
}

static void
test_transition_table(void)
{
	int yes = 0;
	for (int from = 0; from < STAGE_COUNT; from++)
		for (int to = 0; to < STAGE_COUNT; to++)
			for (int side = SIDE_NONE; side <= SIDE_EMPLOYER; side++) {
				bool got = app_transition_allowed(from, to, (enum app_side)side);
				CHECK(got == expected(from, to, (enum app_side)side));
				yes += got;
			}
	CHECK_INT_EQ(yes, 13);
	CHECK(!app_transition_allowed(-1, STAGE_APPLIED, SIDE_EMPLOYER));
	CHECK(!app_transition_allowed(STAGE_APPLIED, STAGE_COUNT, SIDE_EMPLOYER));
	/* Final stages are exactly those with no way out. */
	for (int s = 0; s < STAGE_COUNT; s++) {
		bool out = false;
		for (int to = 0; to < STAGE_COUNT; to++)
			out = out || app_transition_allowed(s, to, SIDE_EMPLOYER) ||
			      app_transition_allowed(s, to, SIDE_CANDIDATE);
		CHECK(app_stage_final(s) == !out);
	}
}

static void
test_stage_names(void)
{
	for (int s = 0; s < STAGE_COUNT; s++)
		CHECK_INT_EQ(app_stage_parse(app_stage_name(s)), s);
	CHECK_INT_EQ(app_stage_parse("Applied"), -1);
	CHECK_INT_EQ(app_stage_parse(""), -1);
	CHECK_INT_EQ(app_stage_parse(NULL), -1);
	CHECK(app_stage_name(STAGE_COUNT) == NULL);
	CHECK_STR_EQ(app_stage_label(STAGE_REJECTED), "Not selected");
}

static void
test_ics_escape(void)
{
	struct buf b = {0};
	ics_escape(&b, "a,b;c\\d\ne\r\nf\rg\x01h");
	CHECK_STR_EQ(buf_cstr(&b), "a\\,b\\;c\\\\d\\ne\\nf\\ngh");
	buf_free(&b);
}

static void
test_ics_fold(void)
{
	struct buf b = {0};
	char line[200];
	memset(line, 'x', 160);
	line[160] = '\0';
	ics_line(&b, line, 160);
	/* 75 + (1 + 74) + (1 + 11): folded lines start with one space. */
	const char *s = buf_cstr(&b);
	const char *first_end = strstr(s, "\r\n");
	CHECK_INT_EQ(first_end - s, 75);
	CHECK(first_end[2] == ' ');
	const char *second_end = strstr(first_end + 2, "\r\n");
	CHECK_INT_EQ(second_end - (first_end + 2), 75);
	CHECK_INT_EQ(b.len, 160 + 2 * 3 + 2);
	buf_free(&b);

	/* A 3-byte character at the fold point moves whole to the next line. */
	struct buf u = {0};
	char text[100];
	memset(text, 'a', 74);
	memcpy(text + 74, "\xe2\x82\xac", 3); /* EURO SIGN */
	memcpy(text + 77, "b", 2);
	ics_line(&u, text, 78);
	CHECK_INT_EQ(strstr(buf_cstr(&u), "\r\n") - buf_cstr(&u), 74);
	CHECK(strstr(buf_cstr(&u), "\r\n \xe2\x82\xac" "b\r\n") != NULL);
	buf_free(&u);
}

static void
test_ics_event(void)
{
	struct buf b = {0};
	time_t start = 1796220000; /* 2026-12-02T14:00:00Z */
	struct ics_event e = {.uid = "interview-7@beacon",
	                      .stamp = start - 86400,
	                      .start = start,
	                      .end = start + 1800,
	                      .summary = "Interview: Clerk, Payroll; Team",
	                      .location = "https://meet.example.org/a",
	                      .description = "Line one\nLine two"};
	ics_event_write(&b, &e);
	const char *s = buf_cstr(&b);
	CHECK(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	CHECK(strstr(s, "DTSTART:20261202T140000Z\r\n") != NULL);
	CHECK(strstr(s, "DTEND:20261202T143000Z\r\n") != NULL);
	CHECK(strstr(s, "DTSTAMP:20261201T140000Z\r\n") != NULL);
	CHECK(strstr(s, "UID:interview-7@beacon\r\n") != NULL);
	CHECK(strstr(s, "SUMMARY:Interview: Clerk\\, Payroll\\; Team\r\n") != NULL);
	CHECK(strstr(s, "DESCRIPTION:Line one\\nLine two\r\n") != NULL);
	CHECK(strstr(s, "END:VEVENT\r\nEND:VCALENDAR\r\n") != NULL);
	/* No bare LF anywhere. */
	for (size_t i = 0; i < b.len; i++)
		if (s[i] == '\n')
			CHECK(i > 0 && s[i - 1] == '\r');
	buf_free(&b);
}

void
test_suite_applications(void)
{
	RUN_TEST(test_transition_table);
	RUN_TEST(test_stage_names);
	RUN_TEST(test_ics_escape);
	RUN_TEST(test_ics_fold);
	RUN_TEST(test_ics_event);
}
