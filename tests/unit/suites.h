/*
 * suites.h - every unit-test suite. To add one: write tests/unit/test_<name>.c
 * defining test_suite_<name>(), declare it here and add {"<name>",
 * test_suite_<name>} to the table in main.c.
 */
#ifndef BEACON_TESTS_SUITES_H
#define BEACON_TESTS_SUITES_H

void test_suite_utf8(void);
void test_suite_html(void);
void test_suite_json(void);
void test_suite_query(void);
void test_suite_markdown(void);
void test_suite_params(void);
void test_suite_jobs(void);
void test_suite_config(void);
void test_suite_db(void);
void test_suite_tasks(void);
void test_suite_mail(void);
void test_suite_secrets(void);
void test_suite_token(void);
void test_suite_password(void);
void test_suite_totp(void);
void test_suite_qrsvg(void);
void test_suite_jwt(void);
void test_suite_seal(void);
void test_suite_sealed(void);
void test_suite_audit(void);
void test_suite_throttle(void);
void test_suite_ratetable(void);
void test_suite_useradmin(void);
void test_suite_postings(void);
void test_suite_documents(void);
void test_suite_notifications(void);
void test_suite_profiles(void);
void test_suite_applications(void);

#endif
