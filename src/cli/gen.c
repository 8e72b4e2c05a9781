/*
 * gen.c - beaconctl gen-jobs: realistic, reproducible JobPosting lines for
 * the demo data and the benchmarks. Titles, skills, pay and text vary by
 * role, level, place and employer so searches and facets behave as they
 * would on real data.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/dates.h"
#include "core/json.h"
#include "model/vocab.h"

struct role {
	const char *title;
	const char *industry;
	int base_salary; /* mid-level yearly, USD */
	const char *skills[6];
	const char *duties[3];
};

static const struct role roles[] = {
    {"Software Developer", "Information Technology", 105000,
     {"JavaScript", "Python", "SQL", "Git", "REST APIs", "Testing"},
     {"build and maintain web services", "review code with teammates in writing",
      "fix bugs reported by customers"}},
    {"Data Analyst", "Information Technology", 82000,
     {"SQL", "Excel", "Python", "Tableau", "Statistics", "Reporting"},
     {"turn raw data into clear reports", "build dashboards for managers",
      "check data quality"}},
    {"UX Designer", "Information Technology", 95000,
     {"Figma", "User Research", "Accessibility", "Prototyping", "WCAG", "Design Systems"},
     {"design accessible screens", "run studies with users", "keep the design system tidy"}},
    {"Registered Nurse", "Healthcare", 86000,
     {"Patient Care", "Electronic Health Records", "Medication Administration", "BLS",
      "Care Planning", "Charting"},
     {"care for patients on a busy ward", "keep accurate charts", "coordinate with doctors"}},
    {"Medical Coder", "Healthcare", 52000,
     {"ICD-10", "CPT", "Medical Terminology", "Billing", "Compliance", "Attention to Detail"},
     {"code patient records", "check claims before billing", "answer coding questions"}},
    {"Accountant", "Finance", 76000,
     {"Bookkeeping", "Excel", "QuickBooks", "Tax Preparation", "Reconciliation", "GAAP"},
     {"close the books each month", "prepare tax filings", "reconcile accounts"}},
    {"Financial Analyst", "Finance", 84000,
     {"Financial Modeling", "Excel", "Forecasting", "SQL", "Budgeting", "PowerPoint"},
     {"build forecasts", "analyse budgets", "present findings to leaders"}},
    {"ASL Teacher", "Education", 58000,
     {"American Sign Language", "Curriculum Design", "Deaf Culture", "Classroom Management",
      "Assessment", "Lesson Planning"},
     {"teach ASL to hearing and Deaf students", "plan lessons", "assess student progress"}},
    {"Teacher of the Deaf", "Education", 62000,
     {"American Sign Language", "IEP Development", "Bilingual Education", "Literacy",
      "Special Education", "Collaboration"},
     {"teach in a bilingual ASL and English classroom", "write IEPs",
      "work with families"}},
    {"Graphic Designer", "Media and Design", 60000,
     {"Adobe Illustrator", "Photoshop", "Typography", "Branding", "InDesign", "Layout"},
     {"design print and web graphics", "keep the brand consistent", "prepare files for print"}},
    {"Video Editor", "Media and Design", 64000,
     {"Premiere Pro", "Captioning", "After Effects", "Color Grading", "Storytelling",
      "WebVTT"},
     {"edit videos with accurate captions", "add ASL picture-in-picture", "manage footage"}},
    {"Warehouse Associate", "Logistics", 38000,
     {"Forklift", "Inventory", "Shipping", "Receiving", "Safety", "Scanners"},
     {"pick and pack orders", "receive deliveries", "keep the floor safe"}},
    {"Logistics Coordinator", "Logistics", 54000,
     {"Scheduling", "Supply Chain", "Excel", "Vendor Management", "ERP", "Communication"},
     {"schedule shipments", "track deliveries", "solve delivery problems by email"}},
    {"Carpenter", "Construction", 56000,
     {"Framing", "Blueprint Reading", "Power Tools", "Finish Carpentry", "Safety", "Measuring"},
     {"frame and finish buildings", "read plans", "keep tools and site safe"}},
    {"Electrician", "Construction", 64000,
     {"Wiring", "National Electrical Code", "Troubleshooting", "Conduit", "Safety",
      "Blueprint Reading"},
     {"install wiring and panels", "troubleshoot faults", "follow the electrical code"}},
    {"Customer Support Specialist", "Customer Service", 44000,
     {"Live Chat", "Email Support", "Zendesk", "Problem Solving", "Typing", "CRM"},
     {"answer customers by chat and email", "solve account problems", "write help articles"}},
    {"Social Worker", "Social Services", 56000,
     {"Case Management", "Counseling", "Deaf Culture", "American Sign Language",
      "Documentation", "Advocacy"},
     {"support Deaf and hard-of-hearing clients", "connect clients with services",
      "keep case notes"}},
    {"Vocational Rehabilitation Counselor", "Social Services", 60000,
     {"Career Counseling", "Case Management", "American Sign Language", "Job Placement",
      "Assessment", "Documentation"},
     {"help clients plan their careers", "coordinate with employers", "track milestones"}},
    {"Lab Technician", "Science", 50000,
     {"Lab Safety", "Sample Preparation", "Microscopy", "Data Entry", "Quality Control",
      "Chemistry"},
     {"prepare samples", "run tests", "record results precisely"}},
    {"Marketing Coordinator", "Marketing", 55000,
     {"Social Media", "Copywriting", "Email Marketing", "Analytics", "Canva", "SEO"},
     {"plan campaigns", "write posts and newsletters", "report on results"}},
    {"Project Manager", "Business", 92000,
     {"Project Planning", "Agile", "Jira", "Stakeholder Management", "Budgeting", "Risk"},
     {"plan and track projects", "keep stakeholders informed in writing", "manage risks"}},
    {"Administrative Assistant", "Business", 42000,
     {"Scheduling", "Microsoft Office", "Data Entry", "Email", "Organization", "Filing"},
     {"manage calendars", "prepare documents", "answer email"}},
    {"Machinist", "Manufacturing", 52000,
     {"CNC", "Blueprint Reading", "Measuring Tools", "Quality Control", "Lathe", "Milling"},
     {"set up and run CNC machines", "check parts against drawings", "keep machines running"}},
    {"Chef", "Hospitality", 50000,
     {"Cooking", "Menu Planning", "Food Safety", "Kitchen Management", "Inventory", "Baking"},
     {"cook for a busy dining room", "plan menus", "train kitchen staff"}},
    {"Interpreter Coordinator", "Social Services", 58000,
     {"Scheduling", "American Sign Language", "CART", "Vendor Management", "Customer Service",
      "Deaf Culture"},
     {"book ASL interpreters and CART writers", "match requests with providers",
      "track service quality"}},
};
#define NROLES (sizeof(roles) / sizeof(roles[0]))

struct company {
	const char *name;
	bool deaf_owned;
};

static const struct company companies[] = {
    {"Signal Bridge Technologies", true}, {"Northwind Health", false},
    {"Clearwater Schools", false},        {"Lighthouse Logistics", false},
    {"Hands Up Media", true},             {"Evergreen Builders", false},
    {"Meridian Financial", false},        {"Visual Voice Services", true},
    {"Cascade Manufacturing", false},     {"Open Caption Studio", true},
    {"Summit Community Services", false}, {"Blue Heron Bistro", true},
    {"Brightpath Analytics", false},      {"Keystone Electric", false},
    {"Prairie Labs", false},              {"Harbor City Hospital", false},
    {"Silent Thunder Design", true},      {"Riverbend Credit Union", false},
    {"Maple Street Marketing", false},    {"Gallaudet Row Consulting", true},
    {"Ironwood Supply Co.", false},       {"Starling Software", false},
    {"Quiet Waters Counseling", true},    {"Tidewater Public Library", false},
    {"Redwood Precision", false},         {"Aurora Home Care", false},
};
#define NCOMPANIES (sizeof(companies) / sizeof(companies[0]))

struct place {
	const char *city, *region, *country;
};

static const struct place places[] = {
    {"Washington", "DC", "US"},   {"Rochester", "NY", "US"},   {"Austin", "TX", "US"},
    {"Fremont", "CA", "US"},      {"Seattle", "WA", "US"},     {"Chicago", "IL", "US"},
    {"Minneapolis", "MN", "US"},  {"Atlanta", "GA", "US"},     {"Boston", "MA", "US"},
    {"Denver", "CO", "US"},       {"Phoenix", "AZ", "US"},     {"Columbus", "OH", "US"},
    {"Frederick", "MD", "US"},    {"Portland", "OR", "US"},    {"Raleigh", "NC", "US"},
    {"Salt Lake City", "UT", "US"}, {"New York", "NY", "US"}, {"Los Angeles", "CA", "US"},
    {"Toronto", "ON", "CA"},      {"Vancouver", "BC", "CA"},   {"London", "England", "GB"},
    {"Manchester", "England", "GB"},
};
#define NPLACES (sizeof(places) / sizeof(places[0]))

static const char *const sensory[] = {
    "Hearing is not required. The team works in writing and in ASL.",
    "Hearing is not required. Meetings are captioned and chat is the main channel.",
    "No phone work. Customer contact is by chat and email.",
    "Visual alarms are installed; hearing is not required for safety on site.",
    NULL,
};

struct rng {
	uint64_t s;
};

static uint64_t
next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static unsigned
pick(struct rng *r, unsigned n)
{
	return (unsigned)(next(r) % n);
}

static bool
chance(struct rng *r, unsigned percent)
{
	return pick(r, 100) < percent;
}

static const char *const level_codes[] = {"entry", "mid", "senior", "lead", "executive"};
static const char *const level_prefix[] = {"Junior ", "", "Senior ", "Lead ", "Director, "};
static const double level_factor[] = {0.75, 1.0, 1.3, 1.5, 1.9};

static void
description(struct buf *b, const struct role *role, const struct company *co, int level,
            uint64_t acc)
{
	char first = level_prefix[level][0] ? level_prefix[level][0] : role->title[0];
	const char *article = strchr("AEIOU", first) ? "an" : "a";
	buf_printf(b, "%s is hiring %s %s%s. ", co->name, article, level_prefix[level], role->title);
	if (co->deaf_owned)
		buf_puts(b, "We are a Deaf-owned business and ASL is used every day. ");
	buf_puts(b, "We value clear written communication and we plan meetings so everyone can "
	            "take part.\n\n## What you will do\n\n");
	for (int i = 0; i < 3; i++)
		buf_printf(b, "- %c%s\n", role->duties[i][0] - 32, role->duties[i] + 1);
	buf_puts(b, "\n## What you bring\n\n");
	for (int i = 0; i < 3; i++)
		buf_printf(b, "- Experience with **%s**\n", role->skills[i]);
	buf_puts(b, "\n## How we work together\n\n");
	if (acc & vocab_accommodation_bit("asl_interpreter"))
		buf_puts(b, "We book ASL interpreters for interviews, training and team meetings. ");
	if (acc & vocab_accommodation_bit("text_interviews"))
		buf_puts(b, "You can choose a text-based interview. ");
	if (acc & vocab_accommodation_bit("captioned_meetings"))
		buf_puts(b, "Every video meeting has live captions. ");
	buf_puts(b, "Tell us what you need to do your best work; we will arrange it.\n");
}

void
cli_gen_jobs(FILE *out, long n, unsigned long seed)
{
	struct rng r = {0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0xD1B54A32D192ED03ULL)};
	if (r.s == 0)
		r.s = 1;
	time_t now = time(NULL);
	struct buf line = {0}, text = {0};
	for (long i = 0; i < n; i++) {
		const struct role *role = &roles[pick(&r, NROLES)];
		const struct company *co = &companies[pick(&r, NCOMPANIES)];
		const struct place *pl = &places[pick(&r, NPLACES)];
		int level = (int)pick(&r, 100);
		level = level < 30 ? 0 : level < 65 ? 1 : level < 88 ? 2 : level < 97 ? 3 : 4;
		unsigned t = pick(&r, 100);
		const char *type = t < 70 ? "FULL_TIME" : t < 82 ? "PART_TIME" : t < 90 ? "CONTRACTOR"
		                   : t < 95 ? "TEMPORARY" : t < 99 ? "INTERN" : "VOLUNTEER";
		if (strcmp(type, "INTERN") == 0)
			level = 0;
		bool remote = chance(&r, 25);
		uint64_t acc = 0;
		for (size_t k = 0; k < vocab_accommodations_count; k++)
			if (chance(&r, 30))
				acc |= (uint64_t)1 << k;
		if (co->deaf_owned)
			acc |= vocab_accommodation_bit("deaf_owned") | vocab_accommodation_bit("asl_fluent_staff");
		else
			acc &= ~vocab_accommodation_bit("deaf_owned");
		if (remote)
			acc |= vocab_accommodation_bit("remote_option");
		time_t posted = now - (time_t)pick(&r, 60) * 86400;
		time_t until = posted + (time_t)(30 + pick(&r, 60)) * 86400;
		if (chance(&r, 4))
			until = now - (time_t)(1 + pick(&r, 10)) * 86400;
		char dp[DATE_LEN], vt[DATE_LEN];
		date_format(posted, dp);
		date_format(until < posted ? posted : until, vt);

		struct json_writer w;
		buf_reset(&line);
		jw_init(&w, &line);
		jw_obj_begin(&w);
		jw_kv_str(&w, "@context", "https://schema.org/");
		jw_kv_str(&w, "@type", "JobPosting");
		buf_reset(&text);
		buf_printf(&text, "%s%s", level_prefix[level], role->title);
		jw_kv_str(&w, "title", text.data);
		buf_reset(&text);
		description(&text, role, co, level, acc);
		jw_kv_str(&w, "description", text.data);
		jw_kv_str(&w, "datePosted", dp);
		jw_kv_str(&w, "validThrough", vt);
		jw_kv_str(&w, "employmentType", type);
		jw_key(&w, "hiringOrganization");
		jw_obj_begin(&w);
		jw_kv_str(&w, "@type", "Organization");
		jw_kv_str(&w, "name", co->name);
		jw_obj_end(&w);
		jw_key(&w, "identifier");
		jw_obj_begin(&w);
		jw_kv_str(&w, "@type", "PropertyValue");
		jw_kv_str(&w, "name", "beacon-generator");
		buf_reset(&text);
		buf_printf(&text, "gen-%lu-%ld", seed, i + 1);
		jw_kv_str(&w, "value", text.data);
		jw_obj_end(&w);
		if (!remote || chance(&r, 30)) {
			jw_key(&w, "jobLocation");
			jw_obj_begin(&w);
			jw_kv_str(&w, "@type", "Place");
			jw_key(&w, "address");
			jw_obj_begin(&w);
			jw_kv_str(&w, "@type", "PostalAddress");
			jw_kv_str(&w, "addressLocality", pl->city);
			jw_kv_str(&w, "addressRegion", pl->region);
			jw_kv_str(&w, "addressCountry", pl->country);
			jw_obj_end(&w);
			jw_obj_end(&w);
		}
		if (remote) {
			jw_kv_str(&w, "jobLocationType", "TELECOMMUTE");
			jw_key(&w, "applicantLocationRequirements");
			jw_obj_begin(&w);
			jw_kv_str(&w, "@type", "Country");
			jw_kv_str(&w, "name", pl->country);
			jw_obj_end(&w);
		}
		if (chance(&r, 85)) {
			double yearly = role->base_salary * level_factor[level] * (0.85 + pick(&r, 30) / 100.0);
			bool hourly = strcmp(type, "PART_TIME") == 0 || strcmp(type, "TEMPORARY") == 0 ||
			              strcmp(type, "INTERN") == 0;
			double lo = hourly ? (double)(long)(yearly / 2080.0) : (double)((long)yearly / 1000 * 1000);
			double hi = hourly ? lo + 2 + pick(&r, 8) : lo + 5000 + pick(&r, 20) * 1000;
			jw_key(&w, "baseSalary");
			jw_obj_begin(&w);
			jw_kv_str(&w, "@type", "MonetaryAmount");
			jw_kv_str(&w, "currency", strcmp(pl->country, "US") == 0   ? "USD"
			                          : strcmp(pl->country, "CA") == 0 ? "CAD"
			                                                           : "GBP");
			jw_key(&w, "value");
			jw_obj_begin(&w);
			jw_kv_str(&w, "@type", "QuantitativeValue");
			jw_key(&w, "minValue");
			jw_double(&w, lo);
			jw_key(&w, "maxValue");
			jw_double(&w, hi);
			jw_kv_str(&w, "unitText", hourly ? "HOUR" : "YEAR");
			jw_obj_end(&w);
			jw_obj_end(&w);
		}
		jw_kv_str(&w, "experienceLevel", level_codes[level]);
		jw_key(&w, "skills");
		jw_arr_begin(&w);
		for (int k = 0; k < 4; k++)
			jw_str(&w, role->skills[k]);
		jw_arr_end(&w);
		jw_key(&w, "preferredSkills");
		jw_arr_begin(&w);
		for (int k = 4; k < 6; k++)
			jw_str(&w, role->skills[k]);
		jw_arr_end(&w);
		jw_kv_str(&w, "industry", role->industry);
		const char *sens = sensory[pick(&r, sizeof(sensory) / sizeof(sensory[0]))];
		if (sens)
			jw_kv_str(&w, "sensoryRequirement", sens);
		jw_key(&w, "accommodations");
		jw_arr_begin(&w);
		for (size_t k = 0; k < vocab_accommodations_count; k++)
			if (acc & ((uint64_t)1 << k))
				jw_str(&w, vocab_accommodations[k].code);
		jw_arr_end(&w);
		jw_obj_end(&w);
		buf_putc(&line, '\n');
		fwrite(line.data, 1, line.len, out);
	}
	buf_free(&line);
	buf_free(&text);
}
