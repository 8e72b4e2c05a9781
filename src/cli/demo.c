/*
 * demo.c - the people of the demo data: job seekers with profiles and
 * resumes, employers with their companies and jobs, a recruiter, an
 * entrepreneur, and applications at every stage of the pipeline with
 * messages and interviews, so a newcomer sees a living site.
 *
 * Everything is made through the model functions the pages and the API use
 * (the same validation, sealing, audit records and notifications), in a
 * fixed order, so the content is the same on every run and on both
 * databases; only interview times follow the clock (they must lie in the
 * future) and the password is new each time.
 *
 * The demo accounts share one password, made at random for this database
 * and hashed once. It is written only to <var_dir>/demo-accounts.txt (mode
 * 0600, written then renamed), never to a log. Their addresses are in the
 * reserved example.org and example.com domains (RFC 2606) and their email
 * notifications are off, so the demo never sends mail to anybody; the bell
 * still shows every notification. No admin is made: admins must enrol
 * two-factor sign-in (`beaconctl create-admin`).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/fielderr.h"
#include "core/mem.h"
#include "core/password.h"
#include "model/applications.h"
#include "model/audit.h"
#include "model/companies.h"
#include "model/documents.h"
#include "model/interviews.h"
#include "model/messages.h"
#include "model/notifications.h"
#include "model/postings.h"
#include "model/profiles.h"
#include "model/users.h"
#include "model/vocab.h"

#define DEMO_FILE "demo-accounts.txt"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PW_GROUPS 4
#define PW_GROUP_LEN 5
/* 20 characters from 32 (no l, o, 0, 1: easy to copy by eye): 100 random bits. */
#define PW_LEN (PW_GROUPS * (PW_GROUP_LEN + 1) - 1)
static const char pw_alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";

/* ---- the content ---- */

/* The tables read best laid out by hand. */
/* clang-format off */

struct demo_account {
	const char *email;
	const char *name;
	int role;
	const char *look; /* what to look at, for the accounts file */
};

/* Seekers first (their index is their profile's), then employers, recruiter, entrepreneur. */
enum {
	MAYA, DANIEL, SOFIA, JAMES, PRIYA, LUCAS, /* job seekers */
	GRACE, ROBERT, HANNAH,                    /* company owners */
	OMAR,                                     /* recruiter at Harbor Light */
	TOMAS,                                    /* entrepreneur */
	NACCOUNTS,
	NSEEKERS = GRACE,
};

static const struct demo_account accounts[NACCOUNTS] = {
    [MAYA] = {"maya.thompson@example.org", "Maya Thompson", ROLE_JOB_SEEKER,
              "/applications: an interview she chose a time for (her needs go with it), a "
              "withdrawn application, messages"},
    [DANIEL] = {"daniel.okafor@example.org", "Daniel Okafor", ROLE_JOB_SEEKER,
                "/applications: an offer, one applied and one not selected (with a note)"},
    [SOFIA] = {"sofia.ramirez@example.org", "Sofia Ramirez", ROLE_JOB_SEEKER,
               "/applications: an interview proposal waiting for her to pick a time; her "
               "needs are never disclosed (see /profile)"},
    [JAMES] = {"james.whitfield@example.org", "James Whitfield", ROLE_JOB_SEEKER,
               "/applications: hired after an in-person interview; a private profile"},
    [PRIYA] = {"priya.natarajan@example.org", "Priya Natarajan", ROLE_JOB_SEEKER,
               "/applications: screening with messages, and one applied; needs shared "
               "from the interview stage on"},
    [LUCAS] = {"lucas.bergstrom@example.org", "Lucas Bergstrom", ROLE_JOB_SEEKER,
               "/applications: one applied, one not selected"},
    [GRACE] = {"grace.chen@example.com", "Grace Chen", ROLE_EMPLOYER,
               "/employer/jobs: Harbor Light Software, three jobs with applicants at "
               "interview and offer, a recruiter colleague, /candidates"},
    [ROBERT] = {"robert.alvarez@example.com", "Robert Alvarez", ROLE_EMPLOYER,
                "/employer/jobs: Greenfield Accounting Partners, an interview proposed "
                "(the candidate keeps her needs private)"},
    [HANNAH] = {"hannah.berg@example.com", "Hannah Berg", ROLE_EMPLOYER,
                "/employer/jobs: Northwind Logistics (Deaf-owned), a hire, a candidate not "
                "selected, a withdrawal, messages"},
    [OMAR] = {"omar.haddad@example.com", "Omar Haddad", ROLE_RECRUITER,
              "/employer/jobs: recruiter at Harbor Light Software; made the offer to "
              "Daniel Okafor (messages)"},
    [TOMAS] = {"tomas.rivera@example.org", "Tomas Rivera", ROLE_ENTREPRENEUR,
               "an entrepreneur account: search jobs, keep documents at /documents"},
};

struct demo_experience {
	const char *title, *organisation, *start, *end, *description;
};

struct demo_profile {
	const char *headline, *summary, *titles, *locations;
	const char *remote, *level, *availability, *work_authorization;
	double salary; /* yearly USD; 0 = not stated */
	const char *skills[8];
	const char *comm[4];  /* vocab_comm_modes codes */
	const char *needs[4]; /* vocab_needs codes */
	const char *notes;
	const char *disclosure, *visibility;
	struct demo_experience exp[2];
	const char *school, *credential, *field, *school_end;
	const char *resume; /* a plain-text resume */
};

static const struct demo_profile profiles[NSEEKERS] = {
    [MAYA] = {
        "Deaf UX designer: accessible products from research to release",
        "I design products that work for Deaf and hearing people alike. Six years of "
        "research, interaction design and design systems, most recently for a public "
        "transit app used by 400,000 riders. ASL is my first language; I work in written "
        "English with hearing colleagues and bring an interpreter to workshops.",
        "UX Designer\nProduct Designer", "Seattle, WA\nRemote", "hybrid", "mid",
        "two_weeks", "Authorized to work in the United States", 98000,
        {"UX design", "User research", "Figma", "Accessibility", "Design systems", "ASL"},
        {"asl", "written", "email"},
        {"asl_interpreter", "written_questions"},
        "For workshops longer than an hour I work best with a team of two interpreters.",
        "after_apply", "employers",
        {{"UX Designer", "Cascade Transit Lab", "2021-03", NULL,
          "Led research with Deaf and blind riders; redesigned trip alerts as visual and "
          "haptic notices."},
         {"Junior Product Designer", "Evergreen Studio", "2018-06", "2021-02",
          "Built the component library and its accessibility checklist."}},
        "Gallaudet University", "BA", "Graphic Design", "2018",
        "Maya Thompson - UX Designer\n\nSeattle, WA. ASL and written English.\n\n"
        "Experience\n- UX Designer, Cascade Transit Lab (2021 - today): research with Deaf "
        "and blind riders, visual and haptic trip alerts.\n- Junior Product Designer, "
        "Evergreen Studio (2018 - 2021): component library, accessibility checklist.\n\n"
        "Education\n- BA Graphic Design, Gallaudet University, 2018\n\n"
        "Skills\nUser research, interaction design, Figma, design systems, WCAG 2.2.\n",
    },
    [DANIEL] = {
        "Hard of hearing front-end developer (TypeScript, React, accessibility)",
        "Front-end developer with eight years of building fast, accessible web apps. I "
        "use hearing aids and live captions; I do my best work in writing: tickets, code "
        "review and chat. I mentor juniors on semantic HTML and screen reader testing.",
        "Frontend Developer\nSoftware Engineer", "Portland, OR", "remote", "senior",
        "one_month", "US citizen", 135000,
        {"TypeScript", "React", "JavaScript", "CSS", "Accessibility", "Testing", "Git"},
        {"written", "email", "cart"},
        {"cart", "written_questions"},
        "Live captions (CART) for video calls; questions shared in the chat as well.",
        "interview", "public",
        {{"Senior Front-end Developer", "Riverbend Health", "2020-01", NULL,
          "Rebuilt the patient portal in React; cut page weight by half; WCAG 2.2 AA audit "
          "with no open issues."},
         {"Web Developer", "Bridgeport Media", "2016-05", "2019-12",
          "Built the publishing tools used by 40 editors."}},
        "Oregon State University", "BS", "Computer Science", "2016",
        "Daniel Okafor - Front-end Developer\n\nPortland, OR. Written English, CART.\n\n"
        "Experience\n- Senior Front-end Developer, Riverbend Health (2020 - today): patient "
        "portal in React and TypeScript, accessibility audits.\n- Web Developer, Bridgeport "
        "Media (2016 - 2019): publishing tools.\n\nEducation\n- BS Computer Science, Oregon "
        "State University, 2016\n",
    },
    [SOFIA] = {
        "Deaf staff accountant, CPA candidate",
        "Accountant with four years in small-business bookkeeping and month-end close. "
        "ASL is my first language and I use video relay for calls. I am studying for the "
        "CPA exam and enjoy making messy ledgers tidy.",
        "Staff Accountant\nPayroll Specialist", "Austin, TX", "onsite", "mid", "immediately",
        "Authorized to work in the United States", 62000,
        {"Accounting", "QuickBooks", "Excel", "Payroll", "Reconciliation", "ASL"},
        {"asl", "vrs", "written"},
        {"asl_interpreter", "video_relay"},
        "Please book the same interpreter team for a full interview day when possible.",
        "never", "employers",
        {{"Accountant", "Lone Star Bookkeeping", "2021-08", NULL,
          "Month-end close and reconciliations for 30 small-business clients."},
         {NULL, NULL, NULL, NULL, NULL}},
        "Texas School for the Deaf, then Austin Community College", "AAS", "Accounting",
        "2021",
        "Sofia Ramirez - Staff Accountant\n\nAustin, TX. ASL, VRS, written English.\n\n"
        "Experience\n- Accountant, Lone Star Bookkeeping (2021 - today): month-end close, "
        "reconciliations, payroll for 30 clients.\n\nEducation\n- AAS Accounting, Austin "
        "Community College, 2021\n",
    },
    [JAMES] = {
        "Late-deafened data analyst: SQL, Python, clear written reports",
        "Data analyst with ten years in supply chain. I lost my hearing in 2019 and now "
        "work with captions and in writing. I turn warehouse data into dashboards people "
        "actually use.",
        "Data Analyst", "Columbus, OH", "any", "senior", "not_looking",
        "US citizen", 0,
        {"SQL", "Python", "Power BI", "Statistics", "Supply chain"},
        {"written", "cart", "email"},
        {"remote_work", "flexible_schedule"},
        "",
        "after_apply", "private",
        {{"Senior Data Analyst", "Buckeye Freight", "2015-02", NULL,
          "Forecasting and dashboards for 12 warehouses."},
         {NULL, NULL, NULL, NULL, NULL}},
        "Ohio State University", "MS", "Statistics", "2014",
        "James Whitfield - Data Analyst\n\nColumbus, OH. Written English, captions.\n\n"
        "Experience\n- Senior Data Analyst, Buckeye Freight (2015 - today): forecasting, "
        "Power BI dashboards for 12 warehouses.\n\nEducation\n- MS Statistics, Ohio State "
        "University, 2014\n",
    },
    [PRIYA] = {
        "Hard of hearing customer support lead, text-first support",
        "Support lead who built a chat- and email-first help desk for 20,000 customers. I "
        "use hearing aids and speak, but I prefer text for anything that matters.",
        "Customer Support Lead\nSupport Specialist", "Chicago, IL\nRemote", "remote", "lead",
        "two_weeks", "Authorized to work in the United States", 70000,
        {"Customer support", "Zendesk", "Writing", "Team leadership", "QA testing"},
        {"written", "email", "spoken"},
        {"assistive_listening", "written_questions"},
        "A quiet room or a loop system for in-person meetings.",
        "interview", "public",
        {{"Support Team Lead", "Lakeside Software", "2019-04", NULL,
          "Led six agents; moved phone support to chat and email; satisfaction up to 94%."},
         {NULL, NULL, NULL, NULL, NULL}},
        "University of Illinois Chicago", "BA", "Communication", "2015",
        "Priya Natarajan - Customer Support Lead\n\nChicago, IL. Written English, email, "
        "spoken.\n\nExperience\n- Support Team Lead, Lakeside Software (2019 - today): "
        "chat- and email-first help desk, team of six.\n\nEducation\n- BA Communication, "
        "University of Illinois Chicago, 2015\n",
    },
    [LUCAS] = {
        "Deaf warehouse operations coordinator",
        "Seven years in warehouse operations, forklift certified, inventory systems. I "
        "lead by visual signals and written plans on the floor.",
        "Operations Coordinator\nWarehouse Supervisor", "Minneapolis, MN", "onsite", "mid",
        "immediately", "US citizen", 0,
        {"Inventory management", "Forklift", "Logistics", "Excel", "ASL"},
        {"asl", "written"},
        {NULL},
        "",
        "never", "employers",
        {{"Shift Lead", "North Star Distribution", "2018-01", NULL,
          "Ran a shift of 15; introduced visual alerts on the dock."},
         {NULL, NULL, NULL, NULL, NULL}},
        "Minnesota State College", "Certificate", "Supply Chain", "2017",
        "Lucas Bergstrom - Operations Coordinator\n\nMinneapolis, MN. ASL and written "
        "English.\n\nExperience\n- Shift Lead, North Star Distribution (2018 - today): shift "
        "of 15, visual alerts on the dock.\n",
    },
};

enum { HARBOR, GREENFIELD, NORTHWIND, NCOMPANIES };

static const int company_owner[NCOMPANIES] = {GRACE, ROBERT, HANNAH};

static const struct company_input companies[NCOMPANIES] = {
    [HARBOR] = {
        "Harbor Light Software",
        "Harbor Light builds scheduling software for clinics. Forty people, half of them "
        "remote.\n\n## Accessibility\n\n- Our design lead is Deaf and half of the team signs.\n"
        "- Every meeting is captioned; ASL interpreters are booked for any meeting on "
        "request.\n- Interviews can be by video with an interpreter, in writing, or in "
        "person.\n",
        "https://harborlight.example.com", "11-50", "Software", false, true, true, true,
    },
    [GREENFIELD] = {
        "Greenfield Accounting Partners",
        "An accounting firm serving small businesses and non-profits in Central Texas.\n\n"
        "## Accessibility\n\nWe book ASL interpreters and CART for interviews and team "
        "meetings, and our phones take video relay calls.\n",
        "https://greenfield.example.com", "51-200", "Accounting", false, false, false, true,
    },
    [NORTHWIND] = {
        "Northwind Logistics",
        "A Deaf-owned third-party logistics company with warehouses in Minnesota and Ohio."
        "\n\n## Accessibility\n\nVisual alerts on every floor, ASL-fluent supervisors, "
        "written shift plans, and text-based support for our customers.\n",
        "https://northwind.example.com", "201-1000", "Logistics", true, true, true, true,
    },
};

struct demo_job {
	int company;
	const char *title, *description, *type, *level, *city, *region;
	bool remote;
	const char *salary_min, *salary_max;
	const char *required, *preferred;
	const char *accommodations[6];
};

enum { J_FRONTEND, J_UX, J_QA, J_ACCOUNTANT, J_PAYROLL, J_WAREHOUSE, J_ANALYST, J_SUPPORT, NJOBS };

static const struct demo_job jobs[NJOBS] = {
    [J_FRONTEND] = {HARBOR, "Senior Frontend Developer",
                    "Build the booking screens clinics use every day, in TypeScript and "
                    "React.\n\n- Design reviews in writing or with an interpreter\n"
                    "- Code review in pull requests\n",
                    "FULL_TIME", "senior", "Seattle", "WA", true, "120000", "150000",
                    "TypeScript, React, Accessibility", "Testing",
                    {"asl_interpreter", "captioned_meetings", "remote_option", NULL}},
    [J_UX] = {HARBOR, "UX Designer",
              "Research with clinic staff and patients, then design and test the flows.\n",
              "FULL_TIME", "mid", "Seattle", "WA", false, "90000", "110000",
              "UX design, User research, Figma", "Design systems",
              {"asl_interpreter", "asl_fluent_staff", "captioned_meetings", "flexible_schedule",
               NULL}},
    [J_QA] = {HARBOR, "QA Analyst",
              "Plan and run tests for each release, including screen reader and caption "
              "checks.\n",
              "FULL_TIME", "mid", "Seattle", "WA", true, "70000", "85000",
              "QA testing, Writing", "Accessibility",
              {"text_interviews", "written_instructions", "remote_option", NULL}},
    [J_ACCOUNTANT] = {GREENFIELD, "Staff Accountant",
                      "Month-end close, reconciliations and client reports for small "
                      "businesses.\n",
                      "FULL_TIME", "mid", "Austin", "TX", false, "58000", "68000",
                      "Accounting, Excel, Reconciliation", "QuickBooks",
                      {"asl_interpreter", "cart", "videophone", NULL}},
    [J_PAYROLL] = {GREENFIELD, "Payroll Specialist",
                   "Run payroll for 60 client companies and answer their questions in "
                   "writing.\n",
                   "PART_TIME", "entry", "Austin", "TX", false, "25", "30",
                   "Payroll, Excel", "QuickBooks",
                   {"flexible_schedule", "written_instructions", NULL}},
    [J_WAREHOUSE] = {NORTHWIND, "Warehouse Operations Coordinator",
                     "Plan shifts, track inventory and keep the dock running safely.\n",
                     "FULL_TIME", "mid", "Minneapolis", "MN", false, "52000", "60000",
                     "Inventory management, Logistics", "Forklift",
                     {"visual_alerts", "asl_fluent_staff", "deaf_owned", NULL}},
    [J_ANALYST] = {NORTHWIND, "Data Analyst",
                   "Forecast volumes and build the dashboards our warehouses run on.\n",
                   "FULL_TIME", "senior", "Columbus", "OH", true, "95000", "115000",
                   "SQL, Python", "Power BI, Supply chain",
                   {"remote_option", "captioned_meetings", "flexible_schedule", NULL}},
    [J_SUPPORT] = {NORTHWIND, "Customer Support Specialist",
                   "Answer customers by chat and email (we have no phone line).\n",
                   "FULL_TIME", "mid", "Minneapolis", "MN", true, "48000", "56000",
                   "Customer support, Writing", "Zendesk",
                   {"text_interviews", "remote_option", "deaf_owned", NULL}},
};

struct demo_message {
	int from; /* account index: the candidate or someone on the employer side */
	const char *body;
};

/* Interview: 0 none, 1 proposed, 2 proposed and a time chosen by the candidate. */
struct demo_interview {
	int state;
	const char *format, *location, *duration, *details;
};

struct demo_app {
	int seeker, job;
	const char *cover; /* the candidate's note */
	int stage;         /* where it ends */
	int by;            /* who moves it on the employer side */
	struct demo_interview iv;
	const char *stage_note; /* on the last move, shown to the candidate */
	const char *private_note;
	struct demo_message msgs[3];
};

static const struct demo_app apps[] = {
    {MAYA, J_UX, "I would love to bring my transit research to clinic scheduling.",
     STAGE_INTERVIEW, GRACE,
     {2, "video", "https://meet.example.com/harbor-light-ux", "60",
      "Grace and two designers; two ASL interpreters are booked. We will share a short "
      "portfolio task in writing first."},
     NULL, "Strong research portfolio; ask about the transit alerts project.",
     {{GRACE, "Hi Maya, thank you for applying. Your transit research is impressive. We "
              "have proposed interview times; the interpreters are booked for all of them."},
      {MAYA, "Thank you! I picked the second time. Could you send the portfolio task a day "
             "ahead?"},
      {GRACE, "Of course, you will have it the morning before."}}},
    {MAYA, J_SUPPORT, NULL, STAGE_WITHDRAWN, HANNAH, {0}, "I have accepted another interview.",
     NULL, {{0}}},
    {DANIEL, J_FRONTEND, "Accessibility is what I care about most in front-end work.",
     STAGE_OFFER, OMAR,
     {2, "video", "https://meet.example.com/harbor-light-frontend", "45",
      "A pairing session on a small React component; CART captions are booked."},
     "We are happy to offer you the role; the details are in the messages.",
     "Great pairing session; team recommends an offer.",
     {{OMAR, "Daniel, congratulations: we would like to offer you the Senior Frontend "
             "Developer role at 142,000 USD, fully remote. Take your time to read it."},
      {DANIEL, "Thank you, Omar! I will read it carefully and answer by Friday."}}},
    {DANIEL, J_QA, NULL, STAGE_APPLIED, GRACE, {0}, NULL, NULL, {{0}}},
    {DANIEL, J_ANALYST, "I have built many dashboards for front-end performance.",
     STAGE_REJECTED, HANNAH, {0},
     "Thank you for applying. We chose a candidate with supply-chain experience.", NULL,
     {{0}}},
    {SOFIA, J_ACCOUNTANT, "I am a CPA candidate with four years of month-end close.",
     STAGE_INTERVIEW, ROBERT,
     {1, "in_person", "Greenfield Accounting Partners, 500 Congress Avenue, Austin, TX", "60",
      "We will book ASL interpreters for whichever time you choose."},
     NULL, NULL,
     {{ROBERT, "Hello Sofia, we would like to meet you. Please pick one of the times "
               "we proposed, and tell us anything we should arrange."}}},
    {SOFIA, J_PAYROLL, NULL, STAGE_SCREENING, ROBERT, {0}, NULL, NULL, {{0}}},
    {JAMES, J_ANALYST, "Ten years of warehouse analytics; I would like to bring them home.",
     STAGE_HIRED, HANNAH,
     {2, "in_person", "Northwind Logistics, 200 Riverside Drive, Columbus, OH", "90",
      "A tour of the warehouse, then a written case study. Captions on a tablet."},
     "Welcome to Northwind! Your first day is in two weeks.", NULL,
     {{HANNAH, "James, we are delighted to have you. Your start date is set."},
      {JAMES, "Thank you, Hannah. See you on the first day."}}},
    {PRIYA, J_SUPPORT, "Text-first support is exactly what I built at Lakeside.",
     STAGE_SCREENING, HANNAH, {0}, NULL, NULL,
     {{HANNAH, "Hi Priya, thanks for applying. Could you share a support reply you are "
               "proud of (anonymised)?"},
      {PRIYA, "Gladly, I will send one this afternoon."}}},
    {PRIYA, J_QA, NULL, STAGE_APPLIED, OMAR, {0}, NULL, NULL, {{0}}},
    {LUCAS, J_WAREHOUSE, "Seven years on the warehouse floor, forklift certified.",
     STAGE_APPLIED, HANNAH, {0}, NULL, NULL, {{0}}},
    {LUCAS, J_QA, NULL, STAGE_REJECTED, OMAR, {0},
     "Thank you for your interest; we are looking for software testing experience.", NULL,
     {{0}}},
};
/* clang-format on */
#define NAPPS NELEM(apps)

/* ---- helpers ---- */

/* The ids of what was made, by the content's indexes. */
struct demo_ids {
	int64_t user[NACCOUNTS];
	int64_t resume[NSEEKERS];
	int64_t job[NJOBS];
};

static struct actor
actor_of(const struct demo_ids *ids, int who)
{
	return (struct actor){.user_id = ids->user[who],
	                      .role = accounts[who].role,
	                      .email_verified = true,
	                      .email = accounts[who].email,
	                      .name = accounts[who].name,
	                      .ip = NULL};
}

/* Report what the model refused (a bug in the content above) and fail. */
static int
refused(const char *what, const struct field_errors *fe)
{
	fprintf(stderr, "beaconctl: demo data: %s refused", what);
	for (int i = 0; i < fe->n; i++)
		fprintf(stderr, "%s %s: %s", i ? ";" : ":", fe->e[i].field, fe->e[i].msg);
	fputc('\n', stderr);
	return -1;
}

static void
set_text(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value ? value : "");
}

/* The bit set of codes[0..n) (NULL ends it early) in table; false for an unknown code. */
static bool
bits_of(const struct vocab_entry *table, size_t count, const char *const *codes, size_t n,
        uint64_t *bits)
{
	*bits = 0;
	for (size_t i = 0; i < n && codes[i] != NULL; i++) {
		int k = vocab_find(table, count, codes[i]);
		if (k < 0) {
			fprintf(stderr, "beaconctl: demo data: unknown code %s\n", codes[i]);
			return false;
		}
		*bits |= (uint64_t)1 << k;
	}
	return true;
}

/*
 * A password of PW_LEN characters in groups ("abcde-fghij-..."), checked
 * against the password rules and every demo address; into out (PW_LEN + 1).
 */
static void
make_password(char *out)
{
	for (;;) {
		size_t k = 0;
		for (int g = 0; g < PW_GROUPS; g++) {
			if (g > 0)
				out[k++] = '-';
			for (int i = 0; i < PW_GROUP_LEN; i++)
				out[k++] =
				    pw_alphabet[randombytes_uniform(sizeof(pw_alphabet) - 1)];
		}
		out[k] = '\0';
		bool ok = true;
		const char *code;
		for (int i = 0; ok && i < NACCOUNTS; i++)
			ok = password_check(out, k, accounts[i].email, &code) == 0;
		if (ok)
			return;
	}
}

/* "YYYY-MM-DDTHH:MM" (UTC) for 15:00 on the day days after today. */
static void
slot_time(int days, char out[20])
{
	time_t t = time(NULL);
	t = t - t % 86400 + (time_t)days * 86400 + 15 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%dT%H:%M", &tm);
}

/* ---- the steps ---- */

/*
 * Every account in one transaction, with the shared hash, confirmed
 * addresses and email notifications off. 0, 1 when an address is taken
 * (nothing made), -1.
 */
static int
make_accounts(struct db *db, const char *hash, struct demo_ids *ids)
{
	if (db_begin_write(db) != 0)
		return -1;
	for (int i = 0; i < NACCOUNTS; i++) {
		int rc = users_create(db, accounts[i].email, hash, accounts[i].role,
		                      accounts[i].name, true, &ids->user[i]);
		if (rc != 0) {
			db_rollback(db);
			if (rc == 1)
				fprintf(stderr,
				        "demo accounts skipped: %s already has an account\n",
				        accounts[i].email);
			return rc;
		}
		for (size_t k = 0; k < NOTIFY_KINDS; k++)
			if (notify_pref_set(db, ids->user[i], notify_kinds[k].name,
			                    NOTIFY_EMAIL_OFF) != 0)
				goto fail;
		char target[24], detail[64];
		snprintf(target, sizeof(target), "%lld", (long long)ids->user[i]);
		snprintf(detail, sizeof(detail), "{\"role\":\"%s\",\"via\":\"demo data\"}",
		         role_name(accounts[i].role));
		if (audit_log(db, ids->user[i], NULL, "auth.signup", "user", target, detail) != 0)
			goto fail;
	}
	if (db_commit(db) == 0)
		return 0;
fail:
	db_rollback(db);
	return -1;
}

static int
make_profile(struct db *db, int who, const struct demo_ids *ids)
{
	const struct demo_profile *d = &profiles[who];
	struct profile p;
	struct field_errors fe = {0};
	profiles_init(&p);
	set_text(&p.headline, d->headline);
	set_text(&p.summary, d->summary);
	set_text(&p.desired_titles, d->titles);
	set_text(&p.locations, d->locations);
	set_text(&p.remote_preference, d->remote);
	p.experience_level = xstrdup(d->level);
	set_text(&p.availability, d->availability);
	set_text(&p.work_authorization, d->work_authorization);
	if (d->salary > 0) {
		p.has_salary = true;
		p.salary_min = d->salary;
		p.salary_currency = xstrdup("USD");
		p.salary_period = xstrdup("YEAR");
	}
	if (!bits_of(vocab_comm_modes, vocab_comm_modes_count, d->comm, NELEM(d->comm),
	             &p.comm_modes) ||
	    !bits_of(vocab_needs, vocab_needs_count, d->needs, NELEM(d->needs), &p.needs)) {
		profiles_free(&p);
		return -1;
	}
	set_text(&p.needs_notes, d->notes);
	set_text(&p.disclosure, d->disclosure);
	set_text(&p.visibility, d->visibility);
	p.skills = xcalloc(NELEM(d->skills), sizeof(char *));
	for (size_t i = 0; i < NELEM(d->skills) && d->skills[i] != NULL; i++)
		p.skills[p.nskills++] = xstrdup(d->skills[i]);
	p.experience = xcalloc(NELEM(d->exp), sizeof(*p.experience));
	for (size_t i = 0; i < NELEM(d->exp) && d->exp[i].title != NULL; i++) {
		struct profile_experience *e = &p.experience[p.nexperience++];
		e->title = xstrdup(d->exp[i].title);
		e->organisation = xstrdup(d->exp[i].organisation);
		e->start_date = xstrdup(d->exp[i].start);
		e->end_date = d->exp[i].end ? xstrdup(d->exp[i].end) : NULL;
		e->description = xstrdup(d->exp[i].description);
	}
	p.education = xcalloc(1, sizeof(*p.education));
	p.neducation = 1;
	p.education[0] = (struct profile_education){
	    .institution = xstrdup(d->school),
	    .credential = xstrdup(d->credential),
	    .field = xstrdup(d->field),
	    .start_date = NULL,
	    .end_date = xstrdup(d->school_end),
	};
	int rc = profiles_save(db, ids->user[who], &p, &fe);
	profiles_free(&p);
	if (rc == 1)
		return refused(accounts[who].email, &fe);
	return rc;
}

static int
make_resume(struct db *db, int who, struct demo_ids *ids)
{
	struct field_errors fe = {0};
	char name[80];
	snprintf(name, sizeof(name), "%.*s-resume.txt",
	         (int)(strchr(accounts[who].email, '@') - accounts[who].email),
	         accounts[who].email);
	const char *text = profiles[who].resume;
	int rc = documents_create(db, ids->user[who], "resume", name, text, strlen(text), &fe,
	                          &ids->resume[who]);
	if (rc == 1)
		return refused(name, &fe);
	return rc;
}

static int
make_company(struct db *db, int c, struct demo_ids *ids)
{
	struct field_errors fe = {0};
	struct actor a = actor_of(ids, company_owner[c]);
	int64_t id;
	int rc = companies_create(db, &a, &companies[c], &fe, &id);
	if (rc == 1)
		return refused(companies[c].name, &fe);
	if (rc != 0)
		return -1;
	if (c != HARBOR)
		return 0;
	/*
	 * The recruiter joins Harbor Light. People join a company by accepting an
	 * emailed invitation whose token only the email holds (companies.h); the
	 * model has no call that adds a member without one, so the membership row
	 * is written here, as companies_invite_accept writes it, and audited.
	 */
	char now[INSTANT_LEN], target[24];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO company_members (company_id, user_id, "
	                                    "role, created_at) VALUES (?, ?, 'member', ?)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, ids->user[OMAR]);
	db_bind_text(st, 3, now);
	enum db_step_result r = db_step(st);
	db_finalize(st);
	snprintf(target, sizeof(target), "%lld", (long long)id);
	if (r != DB_DONE || audit_log(db, ids->user[OMAR], NULL, "company.member.added", "company",
	                              target, "{\"via\":\"demo data\"}") != 0)
		return -1;
	return 0;
}

static int
make_job(struct db *db, int j, struct demo_ids *ids)
{
	const struct demo_job *d = &jobs[j];
	struct posting_input in = {
	    .title = d->title,
	    .description = d->description,
	    .employment_type = d->type,
	    .experience_level = d->level,
	    .city = d->city,
	    .region = d->region,
	    .country = "US",
	    .remote = d->remote,
	    .applicant_country = d->remote ? "US" : NULL,
	    .salary_min = d->salary_min,
	    .salary_max = d->salary_max,
	    .salary_currency = "USD",
	    .salary_period = strcmp(d->type, "PART_TIME") == 0 ? "HOUR" : "YEAR",
	    .skills_required = d->required,
	    .skills_preferred = d->preferred,
	};
	for (size_t i = 0; i < NELEM(d->accommodations) && d->accommodations[i] != NULL; i++)
		in.accommodations[in.naccommodations++] = d->accommodations[i];
	struct field_errors fe = {0};
	struct actor a = actor_of(ids, company_owner[d->company]);
	enum posting_result rc = postings_create(db, &a, &in, &fe, &ids->job[j]);
	if (rc == POSTING_INVALID)
		return refused(d->title, &fe);
	return rc == POSTING_OK ? 0 : -1;
}

static int
app_failed(const struct demo_app *d, const char *step, enum app_result rc,
           const struct field_errors *fe)
{
	if (rc == APP_INVALID)
		return refused(step, fe);
	fprintf(stderr, "beaconctl: demo data: %s for %s: %s failed (%d)\n",
	        accounts[d->seeker].name, jobs[d->job].title, step, (int)rc);
	return -1;
}

/* Post d's messages into the thread of application id. */
static int
app_messages(struct db *db, const struct demo_app *d, int64_t id, const struct demo_ids *ids)
{
	for (size_t i = 0; i < NELEM(d->msgs) && d->msgs[i].body != NULL; i++) {
		int from = d->msgs[i].from;
		struct actor a = actor_of(ids, from);
		struct application app;
		enum app_side side;
		struct field_errors fe = {0};
		enum app_result r = applications_load(db, &a, id, &app, &side);
		if (r != APP_OK)
			return app_failed(d, "loading", r, &fe);
		int64_t mid;
		int rc =
		    messages_post(db, &app, side, a.user_id, a.name, d->msgs[i].body, &fe, &mid);
		application_free(&app);
		if (rc == 1)
			return refused("a message", &fe);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Propose d's interview for application id (three times), and let the candidate choose. */
static int
app_interview(struct db *db, const struct demo_app *d, int64_t id, const struct demo_ids *ids,
              int n)
{
	char slots[3][20];
	struct interview_input in = {
	    .format = d->iv.format,
	    .location = d->iv.location,
	    .duration = d->iv.duration,
	    .details = d->iv.details,
	};
	for (int i = 0; i < 3; i++) {
		slot_time(3 + i + n % 3, slots[i]);
		in.slots[i] = slots[i];
	}
	struct field_errors fe = {0};
	struct actor emp = actor_of(ids, d->by);
	int64_t iv_id;
	enum app_result r = interviews_propose(db, &emp, id, &in, &fe, &iv_id);
	if (r != APP_OK)
		return app_failed(d, "proposing an interview", r, &fe);
	if (d->iv.state < 2)
		return 0;
	struct actor cand = actor_of(ids, d->seeker);
	struct interview iv;
	struct application app;
	enum app_side side;
	r = interviews_load(db, &cand, iv_id, &iv, &app, &side);
	if (r != APP_OK)
		return app_failed(d, "loading the interview", r, &fe);
	int64_t slot = iv.nslots > 1 ? iv.slots[1].id : iv.slots[0].id;
	interview_free(&iv);
	application_free(&app);
	r = interviews_choose(db, &cand, iv_id, slot, &fe);
	return r == APP_OK ? 0 : app_failed(d, "choosing a time", r, &fe);
}

/* Apply, then walk the application to its stage the way people would. */
static int
make_application(struct db *db, int n, const struct demo_ids *ids)
{
	const struct demo_app *d = &apps[n];
	struct actor cand = actor_of(ids, d->seeker);
	struct actor emp = actor_of(ids, d->by);
	struct field_errors fe = {0};
	char resume[24];
	snprintf(resume, sizeof(resume), "%lld", (long long)ids->resume[d->seeker]);
	struct app_input in = {.resume_id = resume, .message = d->cover};
	int64_t id;
	enum app_result r = applications_apply(db, &cand, ids->job[d->job], &in, &fe, &id);
	if (r != APP_OK)
		return app_failed(d, "applying", r, &fe);

	int stage = d->stage;
	/* Everything that got past the first look was screened first; rejections come at once. */
	bool screened = stage == STAGE_SCREENING || stage == STAGE_INTERVIEW ||
	                stage == STAGE_OFFER || stage == STAGE_HIRED;
	if (screened && (r = applications_move(db, &emp, id, STAGE_SCREENING, NULL, &fe)) != APP_OK)
		return app_failed(d, "screening", r, &fe);
	if (d->iv.state > 0 && app_interview(db, d, id, ids, n) != 0)
		return -1;
	const char *last_note = d->stage_note;
	if ((stage == STAGE_OFFER || stage == STAGE_HIRED) &&
	    (r = applications_move(db, &emp, id, STAGE_OFFER,
	                           stage == STAGE_OFFER ? last_note : NULL, &fe)) != APP_OK)
		return app_failed(d, "the offer", r, &fe);
	if (stage == STAGE_HIRED || stage == STAGE_REJECTED) {
		r = applications_move(db, &emp, id, stage, last_note, &fe);
		if (r != APP_OK)
			return app_failed(d, app_stage_name(stage), r, &fe);
	}
	if (stage == STAGE_WITHDRAWN) {
		r = applications_move(db, &cand, id, STAGE_WITHDRAWN, last_note, &fe);
		if (r != APP_OK)
			return app_failed(d, "withdrawing", r, &fe);
	}
	if (d->private_note != NULL &&
	    (r = applications_note_add(db, &emp, id, d->private_note, &fe)) != APP_OK)
		return app_failed(d, "a private note", r, &fe);
	return app_messages(db, d, id, ids);
}

/* ---- the accounts file ---- */

static void
list_accounts(struct buf *b, const char *heading, int from, int to)
{
	buf_printf(b, "\n%s\n\n", heading);
	for (int i = from; i < to; i++)
		buf_printf(b, "- %s (%s, %s): %s\n", accounts[i].email,
		           role_label(accounts[i].role), accounts[i].name, accounts[i].look);
}

/* Write the accounts and the password to path with mode 0600 (temporary file, then rename). */
static int
write_accounts_file(const struct config *cfg, const char *path, const char *password)
{
	struct buf b = {0};
	buf_printf(&b,
	           "Beacon demo accounts\n"
	           "====================\n\n"
	           "beaconctl serve made these accounts when it loaded the demo data into an\n"
	           "empty database. They all share one password, made at random for this\n"
	           "database and kept nowhere else:\n\n"
	           "Password: %s\n\n"
	           "Sign in at %s/signin\n\n"
	           "The addresses are in reserved example domains, so email notifications\n"
	           "are off for these accounts; the bell shows them.\n"
	           "Demo data is for trying Beacon out: a real site starts with\n"
	           "BEACON_DEMO_DATA=0. Admins are not part of it (beaconctl create-admin).\n",
	           password, cfg->base_url);
	list_accounts(&b, "Job seekers", MAYA, NSEEKERS);
	list_accounts(&b, "Employers (each owns a company and posted its jobs)", GRACE, OMAR);
	list_accounts(&b, "Recruiter", OMAR, TOMAS);
	list_accounts(&b, "Entrepreneur", TOMAS, NACCOUNTS);

	char tmp[PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	size_t done = 0;
	while (done < b.len) {
		ssize_t w = write(fd, b.data + done, b.len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	bool ok = done == b.len && fchmod(fd, 0600) == 0 && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (b.data != NULL)
		sodium_memzero(b.data, b.cap);
	buf_free(&b);
	return rc;
}

int
cli_demo_people(const struct config *cfg, struct db *db)
{
	char err[256];
	if (documents_setup(cfg->var_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "beaconctl: demo data: %s\n", err);
		return -1;
	}
	char password[PW_LEN + 1], hash[PASSWORD_HASH_SIZE];
	make_password(password);
	int rc = -1;
	if (password_hash(password, strlen(password), hash, sizeof(hash)) != 0) {
		fprintf(stderr, "beaconctl: demo data: cannot hash the password\n");
		goto out;
	}
	/*
	 * The file first: accounts whose password was never written down would
	 * be of no use, and the next start would not make them again.
	 */
	char path[PATH_MAX];
	int werr = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", cfg->var_dir, DEMO_FILE) >= sizeof(path))
		werr = ENAMETOOLONG;
	else {
		errno = 0;
		if (write_accounts_file(cfg, path, password) != 0)
			werr = errno != 0 ? errno : EIO;
	}
	if (werr != 0) {
		fprintf(stderr, "beaconctl: demo data: cannot write %s: %s\n", path, strerror(werr));
		goto out;
	}
	struct demo_ids ids = {0};
	int made = make_accounts(db, hash, &ids);
	if (made != 0) {
		if (made < 0)
			fprintf(stderr, "beaconctl: demo data: database error: %s\n",
			        db_errmsg(db));
		unlink(path);
		rc = made > 0 ? 0 : -1;
		goto out;
	}
	for (int i = 0; i < NSEEKERS; i++)
		if (make_profile(db, i, &ids) != 0 || make_resume(db, i, &ids) != 0)
			goto failed;
	for (int c = 0; c < NCOMPANIES; c++)
		if (make_company(db, c, &ids) != 0)
			goto failed;
	for (int j = 0; j < NJOBS; j++)
		if (make_job(db, j, &ids) != 0)
			goto failed;
	for (size_t n = 0; n < NAPPS; n++)
		if (make_application(db, (int)n, &ids) != 0)
			goto failed;

	fprintf(stderr, "demo accounts and their password: %s\n", path);
	rc = 0;
	goto out;
failed:
	fprintf(stderr,
	        "beaconctl: demo data: the demo people failed to load (%s); start again with "
	        "an empty database\n",
	        db_errmsg(db));
	unlink(path);
out:
	sodium_memzero(password, sizeof(password));
	sodium_memzero(hash, sizeof(hash));
	return rc;
}
