/*
 * Job validation (the import format), dates and vocabulary.
 */
#include <jansson.h>
#include <string.h>

#include "core/dates.h"
#include "harness.h"
#include "model/jobs.h"
#include "model/vocab.h"
#include "suites.h"

static const char GOOD[] =
    "{\"@type\":\"JobPosting\",\"title\":\" Registered Nurse \",\"description\":\"Care for "
    "patients.\\n\\n- Charting\",\"datePosted\":\"2026-11-01\",\"validThrough\":\"2026-12-01T17:00:"
    "00-05:00\",\"employmentType\":[\"full-time\"],\"hiringOrganization\":{\"name\":\"Harbor "
    "Hospital\",\"sameAs\":\"https://harbor.example\"},\"identifier\":{\"name\":\"ats\",\"value\":"
    "\"RN-1\"},\"jobLocation\":{\"address\":{\"addressLocality\":\"Boston\",\"addressRegion\":\"MA\","
    "\"addressCountry\":{\"name\":\"US\"}}},\"baseSalary\":{\"currency\":\"USD\",\"value\":{"
    "\"minValue\":40,\"maxValue\":55,\"unitText\":\"HOUR\"}},\"skills\":\"BLS, Charting\","
    "\"experienceRequirements\":{\"monthsOfExperience\":60},\"accommodations\":[\"cart\","
    "\"visual_alerts\"],\"sensoryRequirement\":\"Visual alarms on the ward.\"}";

static int
from(const char *text, struct job *j, char *err, size_t len)
{
	json_error_t e;
	json_t *obj = json_loads(text, JSON_ALLOW_NUL, &e);
	CHECK(obj != NULL);
	int rc = job_from_jsonld(obj, j, err, len);
	json_decref(obj);
	return rc;
}

static void
test_good_posting(void)
{
	struct job j;
	char err[200] = "";
	CHECK_INT_EQ(from(GOOD, &j, err, sizeof(err)), 0);
	CHECK_STR_EQ(err, "");
	CHECK_STR_EQ(j.title, "Registered Nurse");
	CHECK_STR_EQ(j.company, "Harbor Hospital");
	CHECK_STR_EQ(j.company_url, "https://harbor.example");
	CHECK_STR_EQ(j.source_id, "RN-1");
	CHECK_STR_EQ(j.employment_type, "FULL_TIME");
	CHECK_STR_EQ(j.experience_level, "senior");
	CHECK_STR_EQ(j.date_posted, "2026-11-01");
	CHECK_STR_EQ(j.valid_through, "2026-12-01T22:00:00Z");
	CHECK_STR_EQ(j.city, "Boston");
	CHECK_STR_EQ(j.country, "US");
	CHECK(j.has_salary && j.salary_min == 40 && j.salary_max == 55);
	CHECK_STR_EQ(j.salary_period, "HOUR");
	CHECK_STR_EQ(j.skills_required, "BLS\nCharting");
	CHECK_INT_EQ(j.accommodations,
	             vocab_accommodation_bit("cart") | vocab_accommodation_bit("visual_alerts"));
	CHECK(!j.remote);
	job_free(&j);
}

/* Replace the first occurrence of from in GOOD with to, then expect an error naming field. */
static void
expect_error(const char *old, const char *new, const char *field)
{
	char text[4096];
	const char *at = strstr(GOOD, old);
	CHECK(at != NULL);
	if (at == NULL)
		return;
	size_t head = (size_t)(at - GOOD);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)head, GOOD, new, at + strlen(old));
	struct job j;
	char err[200] = "";
	CHECK_INT_EQ(from(text, &j, err, sizeof(err)), -1);
	CHECK(strncmp(err, field, strlen(field)) == 0);
	if (strncmp(err, field, strlen(field)) != 0)
		harness_check_str(err, field, __FILE__, __LINE__, "error message");
}

static void
test_bad_postings(void)
{
	expect_error("\"title\":\" Registered Nurse \",", "", "title: is required");
	expect_error("\" Registered Nurse \"", "\"   \"", "title: must not be empty");
	expect_error("\" Registered Nurse \"", "42", "title: must be a string");
	expect_error("\" Registered Nurse \"", "\"a\\u0000b\"", "title: must not contain NUL");
	expect_error("\" Registered Nurse \"", "\"bell\\u0007\"", "title: must not contain control");
	expect_error("\" Registered Nurse \"", "\"two\\nlines\"", "title: must be a single line");
	{
		/* One-line fields count characters: 200 "é" (400 bytes) fit, 201 do not. */
		char title[2 * 201 + 3];
		size_t k = 0;
		title[k++] = '"';
		for (int i = 0; i < 201; i++) {
			title[k++] = '\xc3';
			title[k++] = '\xa9';
		}
		title[k++] = '"';
		title[k] = '\0';
		expect_error("\" Registered Nurse \"", title, "title: is longer than 200 characters");
		char text[4096];
		const char *at = strstr(GOOD, "\" Registered Nurse \"");
		CHECK(at != NULL);
		title[k - 3] = '"'; /* 200 of them */
		title[k - 2] = '\0';
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - GOOD), GOOD, title,
		         at + strlen("\" Registered Nurse \""));
		struct job j;
		char err[200] = "";
		int rc = from(text, &j, err, sizeof(err));
		CHECK_INT_EQ(rc, 0);
		if (rc == 0) {
			CHECK_INT_EQ(strlen(j.title), 400);
			job_free(&j);
		}
	}
	expect_error("\"2026-11-01\"", "\"2026-02-30\"", "datePosted");
	expect_error("\"2026-11-01\"", "\"yesterday\"", "datePosted");
	expect_error("\"2026-12-01T17:00:00-05:00\"", "\"2026-10-01\"", "validThrough: is before");
	expect_error("[\"full-time\"]", "\"SOMETIMES\"", "employmentType");
	expect_error("\"cart\",", "\"hearing_dog\",", "accommodations");
	expect_error("\"USD\"", "\"usd\"", "baseSalary.currency");
	expect_error("\"minValue\":40", "\"minValue\":90", "baseSalary.value: minValue is greater");
	expect_error("\"minValue\":40", "\"minValue\":-4", "baseSalary.value");
	expect_error("\"HOUR\"", "\"FORTNIGHT\"", "baseSalary.value.unitText");
	expect_error("\"https://harbor.example\"", "\"javascript:alert(1)\"",
	             "hiringOrganization.sameAs");
	expect_error("\"value\":\"RN-1\"", "\"value\":\"\"", "identifier.value");
	expect_error("\"Harbor Hospital\"", "null", "hiringOrganization.name");
	expect_error("\"jobLocation\":{\"address\":{\"addressLocality\":\"Boston\",\"addressRegion\":"
	             "\"MA\",\"addressCountry\":{\"name\":\"US\"}}},",
	             "", "jobLocation: is required");
}

static void
test_remote_without_place(void)
{
	const char *text = "{\"title\":\"Support\",\"description\":\"Chat support\",\"datePosted\":"
	                   "\"2026-11-01\",\"hiringOrganization\":\"Acme\",\"identifier\":\"A-1\","
	                   "\"jobLocationType\":\"TELECOMMUTE\",\"applicantLocationRequirements\":"
	                   "[{\"@type\":\"Country\",\"name\":\"CA\"}]}";
	struct job j;
	char err[200] = "";
	CHECK_INT_EQ(from(text, &j, err, sizeof(err)), 0);
	CHECK(j.remote);
	CHECK_STR_EQ(j.applicant_country, "CA");
	CHECK_STR_EQ(j.employment_type, "FULL_TIME");
	CHECK_STR_EQ(j.experience_level, "mid");
	CHECK(!j.has_salary);
	job_free(&j);
}

static void
test_dates(void)
{
	time_t t;
	CHECK(date_parse("2024-02-29", false, &t));
	CHECK(!date_parse("2023-02-29", false, &t));
	CHECK(!date_parse("2026-13-01", false, &t));
	CHECK(!date_parse("2026-11-01T25:00Z", false, &t));
	CHECK(!date_parse("2026-11-01Tjunk", false, &t));
	/* Year 10000 in UTC does not fit the stored formats. */
	CHECK(!date_parse("9999-12-31T23:59:59-05:00", false, &t));
	CHECK(date_parse("9999-12-31T23:59:59Z", false, &t));
	CHECK(!date_parse("1969-12-31", false, &t));
	CHECK(date_parse("2026-11-01T10:30:15.123Z", false, &t));
	char out[INSTANT_LEN];
	instant_format(t, out);
	CHECK_STR_EQ(out, "2026-11-01T10:30:15Z");
	CHECK(date_parse("2026-11-01", true, &t));
	instant_format(t, out);
	CHECK_STR_EQ(out, "2026-11-01T23:59:59Z");
}

static void
test_vocab(void)
{
	CHECK(vocab_accommodation_bit("asl_interpreter") == 1);
	CHECK(vocab_accommodation_bit("ASL_INTERPRETER") == 0);
	CHECK(vocab_period_per_year("HOUR") == 2080.0);
	CHECK_STR_EQ(vocab_level_from_months(0), "entry");
	CHECK_STR_EQ(vocab_level_from_months(30), "mid");
	CHECK_STR_EQ(vocab_level_from_months(200), "executive");
	CHECK_INT_EQ(vocab_level_months("lead"), 96);
}

void
test_suite_jobs(void)
{
	RUN_TEST(test_good_posting);
	RUN_TEST(test_bad_postings);
	RUN_TEST(test_remote_without_place);
	RUN_TEST(test_dates);
	RUN_TEST(test_vocab);
}
