/*
 * Job seeker profiles: skill normalisation, validation limits, the sealed
 * round trip, and disclosure of accommodation needs for every setting and
 * stage, on a real database (SQLite, or PostgreSQL with BEACON_TEST_PG).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/secrets.h"
#include "db/db.h"
#include "dbtest.h"
#include "harness.h"
#include "model/disclosure.h"
#include "model/profiles.h"
#include "model/vocab.h"
#include "suites.h"

static struct secrets_field_key key;
static struct secrets sec;

static void
use_key(void)
{
	memset(&sec, 0, sizeof(sec));
	key.id = 1;
	memset(key.key, 0x5a, sizeof(key.key));
	sec.jwt_key_len = 32;
	sec.field_keys = &key;
	sec.nfield_keys = 1;
	sec.field_key_current = 1;
	secrets_set_global(&sec);
}

static const char *
norm(const char *in)
{
	static char out[256];
	if (!profiles_skill_norm(in, out, sizeof(out)))
		return NULL;
	return out;
}

static void
test_skill_norm(void)
{
	CHECK_STR_EQ(norm("  JavaScript "), "javascript");
	CHECK_STR_EQ(norm("JS"), "javascript");
	CHECK_STR_EQ(norm("American   Sign\tLanguage"), "asl");
	CHECK_STR_EQ(norm("asl"), "asl");
	CHECK_STR_EQ(norm("C++"), "c++");
	CHECK_STR_EQ(norm("c#"), "c#");
	CHECK_STR_EQ(norm("Node"), "node.js");
	CHECK_STR_EQ(norm("Project  Management"), "project management");
	CHECK_STR_EQ(norm("Lengua de Señas"), "lengua de señas");
	CHECK(norm("   ") == NULL);
	CHECK(norm("a\x01b") == NULL);
	CHECK(norm("\xff\xfe") == NULL);
	char big[200];
	memset(big, 'x', 61);
	big[61] = '\0';
	CHECK(norm(big) == NULL);
	big[60] = '\0';
	CHECK(norm(big) != NULL);
}

static char *
rep(char c, size_t n)
{
	char *s = xmalloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
test_validate(void)
{
	struct profile p;
	struct field_errors fe = {0};

	profiles_init(&p);
	free(p.headline);
	p.headline = xstrdup("  <b>Data analyst</b>  ");
	free(p.links);
	p.links = xstrdup("https://example.org/me\r\n\r\nhttp://deaf.example");
	p.skills = xcalloc(4, sizeof(char *));
	p.skills[0] = xstrdup("JS");
	p.skills[1] = xstrdup("javascript");
	p.skills[2] = xstrdup("  ");
	p.skills[3] = xstrdup("ASL");
	p.nskills = 4;
	p.experience = xcalloc(2, sizeof(*p.experience));
	p.experience[0].title = xstrdup("");
	p.experience[1].title = xstrdup("Analyst");
	p.experience[1].start_date = xstrdup("2021-03");
	p.nexperience = 2;
	CHECK_INT_EQ(profiles_validate(&p, &fe), 0);
	CHECK_STR_EQ(p.headline, "<b>Data analyst</b>");
	CHECK_STR_EQ(p.links, "https://example.org/me\nhttp://deaf.example");
	CHECK_INT_EQ(p.nskills, 2);
	CHECK_STR_EQ(p.skills[0], "javascript");
	CHECK_STR_EQ(p.skills[1], "asl");
	CHECK_INT_EQ(p.nexperience, 1);
	CHECK_STR_EQ(p.experience[0].title, "Analyst");
	profiles_free(&p);

	profiles_init(&p);
	memset(&fe, 0, sizeof(fe));
	free(p.headline);
	p.headline = rep('h', PROFILE_HEADLINE_MAX + 1);
	free(p.summary);
	p.summary = rep('s', PROFILE_SUMMARY_MAX + 1);
	free(p.links);
	p.links = xstrdup("javascript:alert(1)");
	free(p.visibility);
	p.visibility = xstrdup("everyone");
	free(p.videophone);
	p.videophone = xstrdup("call me maybe");
	p.experience_level = xstrdup("guru");
	p.has_salary = true;
	p.salary_min = -5;
	p.experience = xcalloc(1, sizeof(*p.experience));
	p.experience[0].organisation = xstrdup("Acme");
	p.experience[0].start_date = xstrdup("2021-13");
	p.nexperience = 1;
	p.salary_currency = xstrdup("U");
	CHECK_INT_EQ(profiles_validate(&p, &fe), 1);
	CHECK(ferr_get(&fe, "headline") != NULL);
	CHECK(ferr_get(&fe, "summary") != NULL);
	CHECK(ferr_get(&fe, "links") != NULL);
	CHECK(ferr_get(&fe, "visibility") != NULL);
	CHECK(ferr_get(&fe, "videophone") != NULL);
	CHECK(ferr_get(&fe, "experience_level") != NULL);
	CHECK(ferr_get(&fe, "salary_min") != NULL);
	CHECK(ferr_get(&fe, "salary_currency") != NULL);
	CHECK(ferr_get(&fe, "experience.0.title") != NULL);
	/* Refused values stay as sent, so the form shows them again. */
	CHECK_INT_EQ(strlen(p.headline), PROFILE_HEADLINE_MAX + 1);
	CHECK(ferr_get(&fe, "experience.0.start_date") != NULL);
	profiles_free(&p);
}

static int64_t
add_user(struct db *db, const char *email)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO users (email, password_hash, role, display_name, password_changed_at, "
	        "created_at, updated_at) VALUES (?, 'x', 'job_seeker', 'Seeker', "
	        "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	db_bind_text(st, 1, email);
	CHECK_INT_EQ(db_run(st), 1);
	st = db_prepare(db, "SELECT id FROM users WHERE email = ?");
	db_bind_text(st, 1, email);
	CHECK(db_step(st) == DB_ROW);
	int64_t id = db_col_int(st, 0);
	db_finalize(st);
	return id;
}

static void
save_with(struct db *db, int64_t uid, const char *disclosure, uint64_t needs, const char *notes)
{
	struct profile p;
	struct field_errors fe = {0};
	profiles_init(&p);
	free(p.disclosure);
	p.disclosure = xstrdup(disclosure);
	p.needs = needs;
	free(p.needs_notes);
	p.needs_notes = xstrdup(notes);
	free(p.videophone);
	p.videophone = xstrdup("+1 555 0100");
	CHECK_INT_EQ(profiles_save(db, uid, &p, &fe), 0);
	profiles_free(&p);
}

static void
test_disclosure(void)
{
	static const char *const stages[] = {"applied", "screening", "interview", "offer",
	                                     "hired",   "rejected",  "withdrawn"};
	/* Expected disclosure per setting (rows) and stage (columns). */
	static const int expect[3][7] = {
	    {0, 0, 0, 0, 0, 0, 0}, /* never */
	    {1, 1, 1, 1, 1, 1, 1}, /* after_apply */
	    {0, 0, 1, 1, 1, 0, 0}, /* interview */
	};
	static const char *const settings[] = {"never", "after_apply", "interview"};
	use_key();
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t uid = add_user(db, "disclose@example.org");
	int64_t none = add_user(db, "noprofile@example.org");
	uint64_t needs = vocab_needs_count > 3 ? (1u << 0) | (1u << 3) : 1;

	for (int s = 0; s < 3; s++) {
		save_with(db, uid, settings[s], needs, "Please send questions in writing.");
		for (int k = 0; k < 7; k++) {
			struct buf out = {0};
			int r = disclosure_accommodations(db, uid, stages[k], &out);
			CHECK_INT_EQ(r, expect[s][k]);
			if (r == 1) {
				CHECK(strstr(buf_cstr(&out), "ASL interpreter") != NULL);
				CHECK(strstr(buf_cstr(&out), "Extra time") != NULL);
				CHECK(strstr(buf_cstr(&out), "in writing") != NULL);
			} else {
				CHECK_INT_EQ(out.len, 0);
			}
			buf_free(&out);
		}
		struct buf out = {0};
		CHECK_INT_EQ(disclosure_accommodations(db, uid, "bogus", &out), 0);
		CHECK_INT_EQ(disclosure_accommodations(db, uid, NULL, &out), 0);
		buf_free(&out);
	}
	/* No needs at all: nothing to disclose even when allowed. */
	save_with(db, uid, "after_apply", 0, "");
	struct buf out = {0};
	CHECK_INT_EQ(disclosure_accommodations(db, uid, "hired", &out), 0);
	CHECK_INT_EQ(disclosure_accommodations(db, none, "hired", &out), 0);
	CHECK_INT_EQ(out.len, 0);

	/* Sealed at rest: no plain text in the row, and the owner reads it back. */
	save_with(db, uid, "interview", needs, "Zebra-notes-42");
	struct db_stmt *st = db_prepare(db, "SELECT accommodations_sealed, videophone_sealed FROM "
	                                    "profiles WHERE user_id = ?");
	db_bind_int(st, 1, uid);
	CHECK(db_step(st) == DB_ROW);
	CHECK(strstr(db_col_text(st, 0), "Zebra") == NULL);
	CHECK(strstr(db_col_text(st, 0), "asl_interpreter") == NULL);
	CHECK(strstr(db_col_text(st, 1), "555") == NULL);
	db_finalize(st);
	struct profile p;
	CHECK_INT_EQ(profiles_get(db, uid, PROFILE_OWNER, &p), 1);
	CHECK_STR_EQ(p.needs_notes, "Zebra-notes-42");
	CHECK_INT_EQ(p.needs, needs);
	CHECK_STR_EQ(p.videophone, "+1 555 0100");
	profiles_free(&p);
	CHECK_INT_EQ(profiles_get(db, uid, PROFILE_PUBLIC, &p), 1);
	CHECK_STR_EQ(p.needs_notes, "");
	CHECK_INT_EQ(p.needs, 0);
	CHECK_STR_EQ(p.videophone, "");
	profiles_free(&p);

	/* A sealed value moved to another user no longer opens: an error, never plain text. */
	st = db_prepare(db, "UPDATE profiles SET accommodations_sealed = (SELECT "
	                    "accommodations_sealed FROM profiles WHERE user_id = ?) WHERE user_id = ?");
	save_with(db, none, "after_apply", 0, "");
	db_bind_int(st, 1, uid);
	db_bind_int(st, 2, none);
	CHECK_INT_EQ(db_run(st), 1);
	CHECK_INT_EQ(disclosure_accommodations(db, none, "applied", &out), -1);
	CHECK_INT_EQ(out.len, 0);
	buf_free(&out);
	dbtest_close(db);
}

static void
test_round_trip(void)
{
	use_key();
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t uid = add_user(db, "round@example.org");
	struct profile p;
	struct field_errors fe = {0};
	profiles_init(&p);
	free(p.headline);
	p.headline = xstrdup("Deaf UX researcher");
	free(p.visibility);
	p.visibility = xstrdup("employers");
	p.comm_modes = 1 | 2;
	p.has_salary = true;
	p.salary_min = 65000;
	p.skills = xcalloc(2, sizeof(char *));
	p.skills[0] = xstrdup("User Research");
	p.skills[1] = xstrdup("American Sign Language");
	p.nskills = 2;
	free(p.locations);
	p.locations = xstrdup("Austin, TX, US\nWashington, DC, US");
	p.education = xcalloc(1, sizeof(*p.education));
	p.education[0].institution = xstrdup("Gallaudet University");
	p.education[0].credential = xstrdup("BA");
	p.neducation = 1;
	CHECK_INT_EQ(profiles_save(db, uid, &p, &fe), 0);
	profiles_free(&p);
	CHECK_INT_EQ(profiles_get(db, uid, PROFILE_OWNER, &p), 1);
	CHECK_STR_EQ(p.headline, "Deaf UX researcher");
	CHECK_INT_EQ(p.comm_modes, 3);
	CHECK(p.has_salary && p.salary_min == 65000);
	CHECK_STR_EQ(p.salary_currency, "USD");
	CHECK_INT_EQ(p.nskills, 2);
	CHECK_STR_EQ(p.skills[1], "asl");
	CHECK_INT_EQ(p.neducation, 1);
	CHECK_STR_EQ(p.education[0].institution, "Gallaudet University");
	profiles_free(&p);
	CHECK_INT_EQ(profiles_visible_to_employers(db, uid), 1);

	struct candidate_query q = {.skills = "asl, user research", .words = "researcher"};
	int64_t total = -1;
	CHECK_INT_EQ(candidates_search(db, &q, &fe, NULL, NULL, &total), 0);
	CHECK_INT_EQ(total, 1);
	struct candidate_query lq = {.location = "washington, dc"};
	CHECK_INT_EQ(candidates_search(db, &lq, &fe, NULL, NULL, &total), 0);
	CHECK_INT_EQ(total, 1);
	lq.location = "wash_ngton";
	CHECK_INT_EQ(candidates_search(db, &lq, &fe, NULL, NULL, &total), 0);
	CHECK_INT_EQ(total, 0);
	lq.location = "%";
	CHECK_INT_EQ(candidates_search(db, &lq, &fe, NULL, NULL, &total), 0);
	CHECK_INT_EQ(total, 0);
	q.words = "plumber";
	CHECK_INT_EQ(candidates_search(db, &q, &fe, NULL, NULL, &total), 0);
	CHECK_INT_EQ(total, 0);
	/* A word longer than a word slot is cut, never written past it. */
	char *longword = rep('r', 200);
	q.words = longword;
	q.skills = NULL;
	CHECK_INT_EQ(candidates_search(db, &q, &fe, NULL, NULL, &total), 0);
	CHECK_INT_EQ(total, 0);
	free(longword);
	q.words = NULL;
	q.remote = "moon";
	CHECK_INT_EQ(candidates_search(db, &q, &fe, NULL, NULL, &total), 1);
	CHECK(ferr_get(&fe, "remote") != NULL);
	dbtest_close(db);
}

/* Save a profile for uid with headline, summary, one skill and visibility. */
static void
save_seeker(struct db *db, int64_t uid, const char *headline, const char *summary,
            const char *skill, const char *visibility)
{
	struct profile p;
	struct field_errors fe = {0};
	profiles_init(&p);
	free(p.headline);
	p.headline = xstrdup(headline);
	free(p.summary);
	p.summary = xstrdup(summary);
	free(p.visibility);
	p.visibility = xstrdup(visibility);
	p.skills = xcalloc(1, sizeof(char *));
	p.skills[0] = xstrdup(skill);
	p.nskills = 1;
	CHECK_INT_EQ(profiles_save(db, uid, &p, &fe), 0);
	profiles_free(&p);
}

struct hits {
	int64_t ids[8];
	int n;
};

static void
collect(const struct candidate_hit *h, void *arg)
{
	struct hits *hs = arg;
	if (hs->n < 8)
		hs->ids[hs->n++] = h->user_id;
}

/* Total for words (and skills), or -1 when the search failed. */
static int64_t
count_words(struct db *db, const char *words, const char *skills)
{
	struct candidate_query q = {.words = words, .skills = skills};
	struct field_errors fe = {0};
	int64_t total = -2;
	if (candidates_search(db, &q, &fe, NULL, NULL, &total) != 0)
		return -1;
	return total;
}

/*
 * Words go through the full-text index: whole words, stemmed like job
 * search, any case; operators and quotes in user text are plain text; the
 * index follows edits and visibility; totals and pages hold.
 */
static void
test_candidate_index(void)
{
	use_key();
	struct db *db = dbtest_open();
	if (db == NULL)
		return;
	int64_t a = add_user(db, "idx-a@example.org");
	int64_t b = add_user(db, "idx-b@example.org");
	int64_t c = add_user(db, "idx-c@example.org");
	save_seeker(db, a, "Senior Developer", "Builds payment systems in Rust.", "Rust",
	            "employers");
	save_seeker(db, b, "Data analyst", "Developing dashboards; near the sea.", "SQL", "public");
	save_seeker(db, c, "Developer", "Hidden away.", "Rust", "private");

	CHECK_INT_EQ(count_words(db, "developer", NULL), 2);
	CHECK_INT_EQ(count_words(db, "DEVELOPERS", NULL), 2); /* case and stem */
	CHECK_INT_EQ(count_words(db, "developing", NULL), 2); /* both stem to "develop" */
	CHECK_INT_EQ(count_words(db, "payments rust", NULL), 1);
	CHECK_INT_EQ(count_words(db, "develop", NULL), 2);
	CHECK_INT_EQ(count_words(db, "dev", NULL), 0); /* no prefix match, as in job search */
	CHECK_INT_EQ(count_words(db, "hidden", NULL), 0); /* private: not in the index */
	CHECK_INT_EQ(count_words(db, "developer", "rust"), 1);
	CHECK_INT_EQ(count_words(db, "developer", "rust, sql"), 0);
	CHECK_INT_EQ(count_words(db, NULL, "rust"), 1);
	CHECK_INT_EQ(count_words(db, "the", NULL), 2); /* only stop words: no word filter */

	/* Hostile input never reaches the FTS syntax: no SQL error, plain words only. */
	static const char *const hostile[] = {
	    "\"", "\"developer", "developer\"", "\"\"\"", "developer NEAR rust", "NEAR(developer rust)",
	    "developer AND", "OR developer", "NOT developer", "develop*", "*", "^developer",
	    "search_text:developer", "developer -rust", "(developer", "{developer}", "'", "'; --",
	    "a\"b\"c\"", "developer + rust", "\xff\xfe developer",
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		int64_t n = count_words(db, hostile[i], NULL);
		CHECK(n >= 0);
	}
	CHECK_INT_EQ(count_words(db, "developer NEAR rust", NULL), 0); /* "near" is a word */
	CHECK_INT_EQ(count_words(db, "\"developer", NULL), 2);
	CHECK_INT_EQ(count_words(db, "develop*", NULL), 2);
	CHECK_INT_EQ(count_words(db, "NEAR(data analyst)", NULL), 1); /* b's summary has "near" */
	CHECK_INT_EQ(count_words(db, "*", NULL), 2);

	/* An edit replaces the indexed words. */
	save_seeker(db, b, "Statistician", "Plots.", "SQL", "public");
	CHECK_INT_EQ(count_words(db, "developer", NULL), 1);
	CHECK_INT_EQ(count_words(db, "statistician", NULL), 1);
	CHECK_INT_EQ(count_words(db, "analyst", NULL), 0);
	/* Made private: no longer found by words, skills or the plain list; visible again: back. */
	save_seeker(db, a, "Senior Developer", "Builds payment systems in Rust.", "Rust", "private");
	CHECK_INT_EQ(count_words(db, "developer", NULL), 0);
	CHECK_INT_EQ(count_words(db, NULL, "rust"), 0);
	CHECK_INT_EQ(count_words(db, NULL, NULL), 1);
	save_seeker(db, c, "Developer", "Hidden away.", "Rust", "employers");
	CHECK_INT_EQ(count_words(db, "hidden", NULL), 1);
	/* A disabled account is not found even though its profile is indexed. */
	struct db_stmt *st = db_prepare(db, "UPDATE users SET status = 'disabled' WHERE id = ?");
	db_bind_int(st, 1, c);
	CHECK_INT_EQ(db_run(st), 1);
	CHECK_INT_EQ(count_words(db, "hidden", NULL), 0);
	st = db_prepare(db, "UPDATE users SET status = 'active' WHERE id = ?");
	db_bind_int(st, 1, c);
	CHECK_INT_EQ(db_run(st), 1);

	/* Pages: total on every page, stable order, a page past the end still counts. */
	save_seeker(db, a, "Senior Developer", "Builds payment systems in Rust.", "Rust", "public");
	st = db_prepare(db, "UPDATE profiles SET updated_at = CASE WHEN user_id = ? THEN "
	                    "'2030-01-02T00:00:00Z' ELSE '2030-01-01T00:00:00Z' END");
	db_bind_int(st, 1, a);
	CHECK_INT_EQ(db_run(st), 3);
	struct candidate_query q = {.per_page = 2, .page = 1};
	struct field_errors fe = {0};
	struct hits h1 = {0}, h2 = {0}, h3 = {0};
	int64_t total = -1;
	CHECK_INT_EQ(candidates_search(db, &q, &fe, collect, &h1, &total), 0);
	CHECK_INT_EQ(total, 3);
	CHECK_INT_EQ(h1.n, 2);
	q.page = 2;
	total = -1;
	CHECK_INT_EQ(candidates_search(db, &q, &fe, collect, &h2, &total), 0);
	CHECK_INT_EQ(total, 3);
	CHECK_INT_EQ(h2.n, 1);
	q.page = 3;
	total = -1;
	CHECK_INT_EQ(candidates_search(db, &q, &fe, collect, &h3, &total), 0);
	CHECK_INT_EQ(total, 3);
	CHECK_INT_EQ(h3.n, 0);
	if (h1.n == 2 && h2.n == 1) {
		CHECK_INT_EQ(h1.ids[0], a); /* newest update first */
		CHECK_INT_EQ(h1.ids[1], c); /* then the highest id */
		CHECK_INT_EQ(h2.ids[0], b);
	}
	dbtest_close(db);
}

void
test_suite_profiles(void)
{
	RUN_TEST(test_skill_norm);
	RUN_TEST(test_validate);
	RUN_TEST(test_disclosure);
	RUN_TEST(test_round_trip);
	RUN_TEST(test_candidate_index);
}
