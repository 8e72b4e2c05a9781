/*
 * Companies and posted jobs: text cleaning, the validation rules of the
 * company profile and the job form (the limits imports obey too), and on a
 * real database (SQLite, or PostgreSQL with BEACON_TEST_PG) who may change
 * which job, one company per user, and invitations (right address only,
 * once).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/textfield.h"
#include "db/db.h"
#include "dbtest.h"
#include "harness.h"
#include "model/companies.h"
#include "model/postings.h"
#include "model/users.h"
#include "model/vocab.h"
#include "suites.h"

static void
test_text_clean(void)
{
	enum text_problem p;
	char *s = text_clean("  two\r\nlines\rhere \n", 100, TEXT_BYTES, true, &p);
	CHECK_STR_EQ(s, "two\nlines\nhere");
	CHECK_INT_EQ(p, TEXT_OK);
	free(s);
	CHECK(text_clean(" \t\n", 10, TEXT_BYTES, false, &p) == NULL);
	CHECK_INT_EQ(p, TEXT_EMPTY);
	CHECK(text_clean(NULL, 10, TEXT_BYTES, false, &p) == NULL);
	CHECK_INT_EQ(p, TEXT_EMPTY);
	CHECK(text_clean("a\nb", 10, TEXT_BYTES, false, &p) == NULL);
	CHECK_INT_EQ(p, TEXT_MULTI_LINE);
	CHECK(text_clean("bell\a", 10, TEXT_BYTES, true, &p) == NULL);
	CHECK_INT_EQ(p, TEXT_BAD_CHARS);
	CHECK(text_clean("bad \xff byte", 20, TEXT_BYTES, true, &p) == NULL);
	CHECK_INT_EQ(p, TEXT_BAD_CHARS);
	/* "ééé" is 3 characters and 6 bytes. */
	s = text_clean("\xc3\xa9\xc3\xa9\xc3\xa9", 3, TEXT_CHARS, false, &p);
	CHECK(s != NULL);
	free(s);
	CHECK(text_clean("\xc3\xa9\xc3\xa9\xc3\xa9", 5, TEXT_BYTES, false, &p) == NULL);
	CHECK_INT_EQ(p, TEXT_TOO_LONG);
}

/* Company websites and profile links: http(s) with a plain host, nothing to break out with. */
static void
test_web_address(void)
{
	const char *good[] = {"https://example.org",         "http://example.org/jobs?x=1#top",
	                      "HTTPS://Example.ORG/a/b",      "https://[2001:db8::1]:8443/",
	                      "https://my-site.example:8080", "https://example.org/caf\xC3\xA9"};
	const char *bad[] = {NULL,
	                     "",
	                     "example.org",
	                     "ftp://example.org",
	                     "javascript:alert(1)",
	                     "https://",
	                     "https:///path",
	                     "https://user@example.org",
	                     "https://example.org\\@evil.example",
	                     "https://exa mple.org",
	                     "https://example.org/\"onmouseover=x",
	                     "https://example.org/<script>",
	                     "https://example.org/a\tb",
	                     "https://example.org/{x}",
	                     "https://..."};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(text_web_address_ok(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!text_web_address_ok(bad[i]));
}

static void
test_company_validate(void)
{
	struct company c;
	struct field_errors fe = {0};
	struct company_input in = {.name = " Signal Bakery ",
	                           .website = "https://signal.example/about",
	                           .size = "11-50",
	                           .industry = "",
	                           .description = "We *bake*."};
	CHECK_INT_EQ(company_validate(&in, &c, &fe), 0);
	CHECK_STR_EQ(c.name, "Signal Bakery");
	CHECK(c.industry == NULL);
	company_free(&c);

	static const char *const bad_sites[] = {"javascript:alert(1)",
	                                        "ftp://x.example",
	                                        "https://",
	                                        "https://user@evil.example",
	                                        "https://a.example/\"onmouseover",
	                                        "https://exa mple.org",
	                                        "//x.example",
	                                        NULL};
	for (size_t i = 0; bad_sites[i]; i++) {
		struct field_errors e = {0};
		struct company_input b = {.name = "Valid Name", .website = bad_sites[i]};
		CHECK_INT_EQ(company_validate(&b, &c, &e), 1);
		CHECK(ferr_get(&e, "website") != NULL);
	}

	char name[4 * COMPANY_NAME_MAX + 8] = "";
	for (int i = 0; i < COMPANY_NAME_MAX; i++)
		strcat(name, "\xc3\xa9"); /* 120 characters, 240 bytes: fine */
	struct company_input longer = {.name = name};
	memset(&fe, 0, sizeof(fe));
	CHECK_INT_EQ(company_validate(&longer, &c, &fe), 0);
	company_free(&c);
	strcat(name, "x");
	CHECK_INT_EQ(company_validate(&longer, &c, &fe), 1);
	CHECK(ferr_get(&fe, "name") != NULL);

	struct company_input bad = {.name = "\xc3\xa9", .size = "huge"};
	memset(&fe, 0, sizeof(fe));
	CHECK_INT_EQ(company_validate(&bad, &c, &fe), 1);
	CHECK(ferr_get(&fe, "name") != NULL);
	CHECK(ferr_get(&fe, "size") != NULL);
}

static void
base_input(struct posting_input *in)
{
	memset(in, 0, sizeof(*in));
	in->title = "Baker";
	in->description = "Bake bread.";
	in->employment_type = "FULL_TIME";
	in->experience_level = "entry";
	in->city = "Austin";
}

static void
test_posting_validate(void)
{
	struct posting_input in;
	struct job j;
	struct field_errors fe = {0};
	base_input(&in);
	in.salary_min = "52,000";
	in.salary_max = " 60000.50 ";
	in.salary_currency = " usd ";
	in.skills_required = "Ovens,  Dough\r\n\nTiming ,";
	in.accommodations[in.naccommodations++] = "cart";
	in.accommodations[in.naccommodations++] = "asl_interpreter";
	CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 0);
	CHECK(j.has_salary);
	CHECK(j.salary_min == 52000 && j.salary_max == 60000.5);
	CHECK_STR_EQ(j.salary_currency, "USD");
	CHECK_STR_EQ(j.salary_period, "YEAR");
	CHECK_STR_EQ(j.skills_required, "Ovens\nDough\nTiming");
	CHECK_STR_EQ(j.skills_preferred, "");
	CHECK_INT_EQ(j.accommodations,
	             vocab_accommodation_bit("cart") | vocab_accommodation_bit("asl_interpreter"));
	CHECK(j.valid_through == NULL);
	job_free(&j);

	/* One-line fields count characters: 200 "é" (400 bytes) fit, 201 do not. */
	{
		char e200[401], e201[403];
		for (int i = 0; i < 201; i++) {
			e201[2 * i] = '\xc3';
			e201[2 * i + 1] = '\xa9';
		}
		e201[402] = '\0';
		memcpy(e200, e201, 400);
		e200[400] = '\0';
		base_input(&in);
		in.title = e200;
		in.skills_required = e200;
		CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 0);
		CHECK_INT_EQ(fe.n, 0);
		job_free(&j);
		base_input(&in);
		in.title = e201;
		in.skills_required = e201;
		struct field_errors fe2 = {0};
		CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe2), 1);
		CHECK(ferr_get(&fe2, "title") != NULL);
		CHECK(ferr_get(&fe2, "skills_required") != NULL);
		job_free(&j);
	}

	/* A currency and period alone do not make a salary. */
	base_input(&in);
	in.salary_currency = "EUR";
	in.salary_period = "HOUR";
	CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 0);
	CHECK(!j.has_salary);
	job_free(&j);

	static const char *const bad_amounts[] = {"-5",    "1e5",  "inf",           "nan", ".",
	                                          "5.5.5", "0x10", "2000000000000", NULL};
	for (size_t i = 0; bad_amounts[i]; i++) {
		base_input(&in);
		in.salary_min = bad_amounts[i];
		in.salary_currency = "USD";
		memset(&fe, 0, sizeof(fe));
		CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 1);
		CHECK(ferr_get(&fe, "salary_min") != NULL);
	}

	/* Every problem at once. */
	memset(&in, 0, sizeof(in));
	in.title = "Two\nlines";
	in.employment_type = "full_time";
	in.salary_min = "10";
	in.salary_max = "5";
	in.salary_currency = "US";
	in.accommodations[in.naccommodations++] = "telepathy";
	in.valid_through = "2020-02-30";
	memset(&fe, 0, sizeof(fe));
	CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 1);
	static const char *const fields[] = {
	    "title",      "description",     "employment_type", "experience_level", "city",
	    "salary_max", "salary_currency", "accommodations",  "valid_through",    NULL};
	for (size_t i = 0; fields[i]; i++)
		CHECK(ferr_get(&fe, fields[i]) != NULL);

	/* The limits of imported jobs apply. */
	char *big = malloc(JOB_DESCRIPTION_MAX + 2);
	memset(big, 'a', JOB_DESCRIPTION_MAX + 1);
	big[JOB_DESCRIPTION_MAX + 1] = '\0';
	base_input(&in);
	in.description = big;
	memset(&fe, 0, sizeof(fe));
	CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 1);
	CHECK(ferr_get(&fe, "description") != NULL);
	big[JOB_DESCRIPTION_MAX] = '\0';
	CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 0);
	job_free(&j);
	free(big);

	/* A past closing date may stay when it is the one stored, not be chosen anew. */
	base_input(&in);
	in.valid_through = "2020-01-31";
	memset(&fe, 0, sizeof(fe));
	CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 1);
	CHECK_INT_EQ(posting_validate(&in, "2020-01-31T23:59:59Z", &j, &fe), 0);
	CHECK_STR_EQ(j.valid_through, "2020-01-31T23:59:59Z");
	job_free(&j);

	/* Remote jobs need no place. */
	base_input(&in);
	in.city = NULL;
	in.remote = true;
	CHECK_INT_EQ(posting_validate(&in, NULL, &j, &fe), 0);
	job_free(&j);
}

/* ---- on a database ---- */

static int64_t
make_user(struct db *db, const char *email, int role, bool verified)
{
	int64_t id = 0;
	CHECK_INT_EQ(
	    users_create(db, email, "$argon2id$not-a-real-hash", role, "Someone", verified, &id),
	    0);
	return id;
}

static struct actor
actor(int64_t id, int role, const char *email)
{
	return (struct actor){
	    .user_id = id, .role = role, .email_verified = true, .email = email, .name = "Someone"};
}

static void
test_ownership(void)
{
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	struct actor a = actor(make_user(db, "a@example.org", ROLE_EMPLOYER, true), ROLE_EMPLOYER,
	                       "a@example.org");
	struct actor b = actor(make_user(db, "b@example.org", ROLE_RECRUITER, true), ROLE_RECRUITER,
	                       "b@example.org");
	struct actor admin = actor(make_user(db, "admin@example.org", ROLE_ADMIN, true), ROLE_ADMIN,
	                           "admin@example.org");
	struct field_errors fe = {0};
	int64_t ca = 0, cb = 0, other = 0;
	CHECK_INT_EQ(
	    companies_create(db, &a, &(struct company_input){.name = "Company A"}, &fe, &ca), 0);
	CHECK_INT_EQ(
	    companies_create(db, &b, &(struct company_input){.name = "Company B"}, &fe, &cb), 0);
	CHECK_INT_EQ(
	    companies_create(db, &a, &(struct company_input){.name = "Second"}, &fe, &other), 2);

	struct posting_input in;
	base_input(&in);
	int64_t job = 0;
	CHECK_INT_EQ(postings_create(db, &a, &in, &fe, &job), POSTING_OK);
	struct job j;
	CHECK_INT_EQ(jobs_get(db, job, &j), 1);
	CHECK_STR_EQ(j.company, "Company A");
	CHECK_STR_EQ(j.status, "open");
	CHECK_STR_EQ(j.source_name, "Beacon");
	CHECK(strncmp(j.source_id, "beacon:", 7) == 0);
	job_free(&j);

	CHECK_INT_EQ(postings_can_edit(db, &a, job), 1);
	CHECK_INT_EQ(postings_can_edit(db, &b, job), 0);
	CHECK_INT_EQ(postings_can_edit(db, &admin, job), 1);
	CHECK_INT_EQ(postings_can_edit(db, &a, job + 1000), 0);
	CHECK_INT_EQ(postings_close(db, &b, job), POSTING_NOT_FOUND);
	CHECK_INT_EQ(postings_update(db, &b, job, &in, &fe), POSTING_NOT_FOUND);
	/* A member whose role was changed to job seeker may no longer edit. */
	struct actor demoted = a;
	demoted.role = ROLE_JOB_SEEKER;
	CHECK_INT_EQ(postings_can_edit(db, &demoted, job), 0);

	struct actor unverified = a;
	unverified.email_verified = false;
	CHECK_INT_EQ(postings_create(db, &unverified, &in, &fe, &job), POSTING_UNVERIFIED);
	CHECK_INT_EQ(postings_update(db, &unverified, job, &in, &fe), POSTING_UNVERIFIED);
	CHECK_INT_EQ(postings_close(db, &unverified, job), POSTING_OK);
	CHECK_INT_EQ(postings_reopen(db, &unverified, job), POSTING_UNVERIFIED);
	CHECK_INT_EQ(postings_reopen(db, &admin, job), POSTING_OK);

	struct actor nobody = actor(make_user(db, "c@example.org", ROLE_EMPLOYER, true),
	                            ROLE_EMPLOYER, "c@example.org");
	CHECK_INT_EQ(postings_create(db, &nobody, &in, &fe, &other), POSTING_NO_COMPANY);

	/* Renaming a company renames its jobs. */
	CHECK_INT_EQ(
	    companies_update(db, &a, ca, &(struct company_input){.name = "Company A2"}, &fe), 0);
	CHECK_INT_EQ(jobs_get(db, job, &j), 1);
	CHECK_STR_EQ(j.company, "Company A2");
	job_free(&j);
	dbtest_close(db);
}

/* The token of the newest invitation email in the outbox. */
static void
newest_token(struct db *db, char *out, size_t n)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT body_text FROM outbox ORDER BY id DESC LIMIT 1");
	out[0] = '\0';
	if (st != NULL && db_step(st) == DB_ROW) {
		const char *t = strstr(db_col_text(st, 0), "token=");
		if (t != NULL)
			snprintf(out, n, "%.43s", t + 6);
	}
	db_finalize(st);
}

static void
test_invites(void)
{
	/* The invitation link needs a base URL; unit tests run without a loaded configuration. */
	static char base_url[] = "https://jobs.example.org";
	static struct config cfg = {.base_url = base_url};
	CHECK(config_get() == NULL);
	config_set_global(&cfg);
	struct db *db = dbtest_open();
	if (db == NULL)
		goto out;
	struct actor owner = actor(make_user(db, "owner@example.org", ROLE_EMPLOYER, true),
	                           ROLE_EMPLOYER, "owner@example.org");
	struct field_errors fe = {0};
	int64_t company = 0;
	CHECK_INT_EQ(companies_create(db, &owner, &(struct company_input){.name = "Inviting Co"},
	                              &fe, &company),
	             0);
	CHECK_INT_EQ(companies_invite(db, &owner, company, "not-an-address", &fe, NULL), 1);
	memset(&fe, 0, sizeof(fe));
	CHECK_INT_EQ(companies_invite(db, &owner, company, "OWNER@example.org", &fe, NULL), 1);
	memset(&fe, 0, sizeof(fe));
	char expires[INSTANT_LEN];
	CHECK_INT_EQ(companies_invite(db, &owner, company, " New@Example.org ", &fe, expires), 0);
	char token[64];
	newest_token(db, token, sizeof(token));
	CHECK_INT_EQ(strlen(token), 43);

	struct invite_info info;
	CHECK_INT_EQ(companies_invite_check(db, token, NULL, &info), INVITE_VALID);
	CHECK_STR_EQ(info.company_name, "Inviting Co");
	CHECK_STR_EQ(info.email, "new@example.org");
	CHECK_STR_EQ(info.expires_at, expires);
	CHECK_INT_EQ(companies_invite_check(db, "short", NULL, &info), INVITE_UNKNOWN);

	struct actor wrong = actor(make_user(db, "other@example.org", ROLE_EMPLOYER, true),
	                           ROLE_EMPLOYER, "other@example.org");
	struct actor seeker = actor(make_user(db, "new@example.org", ROLE_JOB_SEEKER, true),
	                            ROLE_JOB_SEEKER, "new@example.org");
	int64_t joined = 0;
	CHECK_INT_EQ(companies_invite_accept(db, token, &wrong, &joined), INVITE_WRONG_EMAIL);
	CHECK_INT_EQ(companies_invite_accept(db, token, &seeker, &joined), INVITE_WRONG_ROLE);
	struct actor invitee = seeker;
	invitee.role = ROLE_RECRUITER;
	invitee.email_verified = false;
	CHECK_INT_EQ(companies_invite_accept(db, token, &invitee, &joined), INVITE_UNVERIFIED);
	invitee.email_verified = true;
	CHECK_INT_EQ(companies_invite_accept(db, token, &invitee, &joined), INVITE_VALID);
	CHECK_INT_EQ(joined, company);
	int64_t cid = 0;
	enum company_role role;
	CHECK_INT_EQ(companies_of_user(db, invitee.user_id, &cid, &role), 1);
	CHECK_INT_EQ(cid, company);
	CHECK_INT_EQ(role, COMPANY_ROLE_MEMBER);
	CHECK_INT_EQ(companies_invite_accept(db, token, &invitee, &joined), INVITE_USED);
	CHECK_INT_EQ(companies_invite_check(db, token, NULL, &info), INVITE_USED);

	/* A second invitation cannot move a member to another company. */
	CHECK_INT_EQ(companies_invite(db, &owner, company, "new@example.org", &fe, NULL), 0);
	newest_token(db, token, sizeof(token));
	CHECK_INT_EQ(companies_invite_accept(db, token, &invitee, &joined), INVITE_HAS_COMPANY);
	dbtest_close(db);
out:
	config_set_global(NULL);
}

void
test_suite_postings(void)
{
	RUN_TEST(test_text_clean);
	RUN_TEST(test_web_address);
	RUN_TEST(test_company_validate);
	RUN_TEST(test_posting_validate);
	RUN_TEST(test_ownership);
	RUN_TEST(test_invites);
}
