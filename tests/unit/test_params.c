/*
 * Search parameter validation: every parameter's bad values are refused
 * with that parameter named; good values land in the query.
 */
#include <string.h>

#include "harness.h"
#include "search/params.h"
#include "suites.h"

static int
parse(const char *qs, struct search_query *sq, const char **param, struct query *q)
{
	char detail[200];
	CHECK_INT_EQ(query_parse(q, qs, strlen(qs), NULL, 0), QUERY_OK);
	*param = NULL;
	return params_search(q, sq, param, detail, sizeof(detail));
}

static void
expect_bad(const char *qs, const char *want_param)
{
	struct query q = {0};
	struct search_query sq;
	const char *param;
	CHECK_INT_EQ(parse(qs, &sq, &param, &q), -1);
	CHECK_STR_EQ(param, want_param);
	query_free(&q);
}

static void
test_defaults(void)
{
	struct query q = {0};
	struct search_query sq;
	const char *param;
	CHECK_INT_EQ(parse("", &sq, &param, &q), 0);
	CHECK(sq.words == NULL);
	CHECK_INT_EQ(sq.remote, -1);
	CHECK_INT_EQ(sq.page, 1);
	CHECK_INT_EQ(sq.per_page, SEARCH_DEFAULT_PER_PAGE);
	CHECK_INT_EQ(sq.sort, SEARCH_SORT_DEFAULT);
	query_free(&q);
	/* Empty values (as forms send them) mean "not set"; unknown keys are ignored. */
	CHECK_INT_EQ(parse("q=&location=&remote=&min_salary=&sort=&page=&utm_source=x", &sq, &param,
	                   &q),
	             0);
	CHECK(sq.words == NULL && sq.location == NULL && sq.remote == -1 && sq.min_salary == 0);
	query_free(&q);
}

static void
test_good_values(void)
{
	struct query q = {0};
	struct search_query sq;
	const char *param;
	CHECK_INT_EQ(parse("q=nurse+aide&location=Austin%2C+TX&remote=true&type=FULL_TIME&type=PART_"
	                   "TIME&level=senior&accommodation=asl_interpreter&accommodation=cart&min_"
	                   "salary=50000&sort=salary&page=3&per_page=50",
	                   &sq, &param, &q),
	             0);
	CHECK_STR_EQ(sq.words, "nurse aide");
	CHECK_STR_EQ(sq.location, "Austin, TX");
	CHECK_INT_EQ(sq.remote, 1);
	CHECK_INT_EQ(sq.types, 0x3);
	CHECK_INT_EQ(sq.levels, 0x4);
	CHECK_INT_EQ(sq.accommodations, 0x5);
	CHECK_INT_EQ(sq.min_salary, 50000);
	CHECK_INT_EQ(sq.sort, SEARCH_SORT_SALARY);
	CHECK_INT_EQ(sq.page, 3);
	CHECK_INT_EQ(sq.per_page, 50);

	/* The query string for links reproduces the search. */
	struct buf b = {0};
	params_search_qs(&b, &sq, 4);
	CHECK_STR_EQ(buf_cstr(&b), "q=nurse%20aide&location=Austin%2C%20TX&remote=true&type=FULL_TIME"
	                           "&type=PART_TIME&level=senior&accommodation=asl_interpreter"
	                           "&accommodation=cart&min_salary=50000&sort=salary&per_page=50"
	                           "&page=4");
	buf_free(&b);
	query_free(&q);
	CHECK_INT_EQ(parse("remote=false", &sq, &param, &q), 0);
	CHECK_INT_EQ(sq.remote, 0);
	query_free(&q);
}

static void
test_bad_values(void)
{
	expect_bad("remote=yes", "remote");
	expect_bad("type=FULLTIME", "type");
	expect_bad("type=FULL_TIME&type=%3Cscript%3E", "type");
	expect_bad("level=guru", "level");
	expect_bad("accommodation=asl", "accommodation");
	expect_bad("min_salary=-1", "min_salary");
	expect_bad("min_salary=10000001", "min_salary");
	expect_bad("min_salary=5e4", "min_salary");
	expect_bad("min_salary=1%20OR%201%3D1", "min_salary");
	expect_bad("sort=price", "sort");
	expect_bad("page=0", "page");
	expect_bad("page=501", "page");
	expect_bad("page=99999999999999999999", "page");
	expect_bad("page=2abc", "page");
	expect_bad("per_page=0", "per_page");
	expect_bad("per_page=101", "per_page");
	char long_q[300];
	memset(long_q, 'a', sizeof(long_q));
	memcpy(long_q, "q=", 2);
	long_q[sizeof(long_q) - 1] = '\0';
	expect_bad(long_q, "q");
	char long_loc[200];
	memset(long_loc, 'b', sizeof(long_loc));
	memcpy(long_loc, "location=", 9);
	long_loc[sizeof(long_loc) - 1] = '\0';
	expect_bad(long_loc, "location");
}

void
test_suite_params(void)
{
	RUN_TEST(test_defaults);
	RUN_TEST(test_good_values);
	RUN_TEST(test_bad_values);
}
