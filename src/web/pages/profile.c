/*
 * profile.c - the job seeker's profile pages and candidate search:
 *   GET /profile                 the own profile, with what employers see
 *   GET/POST /profile/edit       everything but experience and education
 *   GET/POST /profile/experience one form per entry: save, remove, add
 *   GET/POST /profile/education  the same for education
 *   POST /profile/import         a pasted JSON Resume document
 *   GET /candidates              candidate search (employers, recruiters, admins)
 *   GET /candidates/{id}         what employers may see of one candidate (anyone: public ones)
 * The rules live in model/profiles.c. Experience and education have pages
 * of their own so every form stays far below the form parser's 64 fields
 * and works without JavaScript.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "core/mem.h"
#include "model/profiles.h"
#include "model/users.h"
#include "model/vocab.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/render.h"
#include "web/resume.h"
#include "web/ui.h"

static void
send_page(struct rctx *ctx, const struct page *pg, int status)
{
	layout_end(ctx, pg);
	resp_send(ctx, status ? status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

static const char *
code_label(const char *const *codes, const char *const *labels, const char *code)
{
	int i = profiles_code_index(codes, code);
	return i < 0 ? "" : labels[i];
}

static void
fact(struct buf *b, const char *term, const char *text)
{
	if (text == NULL || text[0] == '\0')
		return;
	HTML_LIT(b, "<div><dt>");
	html_text(b, term);
	HTML_LIT(b, "</dt><dd>");
	html_text(b, text);
	HTML_LIT(b, "</dd></div>");
}

/*
 * An amount as people type it: "45000", "45,000", "45 000", "$45,000.50"
 * (separators only between digits, at most two decimals, 12 digits). Not
 * strtod: that takes "1e5", "0x10", "inf" and "nan" too.
 */
static bool
form_amount(const char *s, double *out)
{
	while (*s == ' ')
		s++;
	if (*s == '$')
		s++;
	double v = 0;
	int digits = 0;
	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++digits > 12)
				return false;
			v = v * 10 + (*s - '0');
		} else if ((*s == ',' || *s == ' ') && digits > 0 && s[1] >= '0' && s[1] <= '9') {
			continue;
		} else {
			break;
		}
	}
	if (digits == 0)
		return false;
	if (*s == '.') {
		s++;
		double scale = 0.1;
		int decimals = 0;
		for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
			if (++decimals > 2)
				return false;
			else
				v += (*s - '0') * scale;
		if (decimals == 0)
			return false;
	}
	while (*s == ' ')
		s++;
	if (*s != '\0')
		return false;
	*out = v;
	return true;
}

/* A list of the lines of text, or nothing when empty; links become links. */
static void
lines_list(struct buf *b, const char *text, bool links)
{
	if (text == NULL || text[0] == '\0')
		return;
	HTML_LIT(b, "<ul>");
	for (const char *s = text; *s;) {
		size_t n = strcspn(s, "\n");
		if (n > 0) {
			char *line = xstrndup(s, n);
			HTML_LIT(b, "<li>");
			if (links) {
				/* Only http(s) links are ever stored (profiles_validate). */
				HTML_LIT(b, "<a href=\"");
				html_attr(b, line);
				HTML_LIT(b, "\" rel=\"nofollow noopener\">");
				html_text(b, line);
				HTML_LIT(b, "</a>");
			} else {
				html_text(b, line);
			}
			HTML_LIT(b, "</li>");
			free(line);
		}
		s += n;
		if (*s == '\n')
			s++;
	}
	HTML_LIT(b, "</ul>");
}

static void
codes_text(struct buf *out, const struct vocab_entry *v, size_t n, uint64_t bits)
{
	for (size_t i = 0; i < n; i++)
		if (bits & ((uint64_t)1 << i)) {
			if (out->len > 0)
				buf_puts(out, ", ");
			buf_puts(out, v[i].label);
		}
}

static void
dates_text(struct buf *b, const char *start, const char *end)
{
	if (start == NULL && end == NULL)
		return;
	HTML_LIT(b, "<p class=\"muted\">");
	html_text(b, start != NULL ? start : "?");
	HTML_LIT(b, " to ");
	html_text(b, end != NULL ? end : "now");
	HTML_LIT(b, "</p>");
}

/*
 * The parts of a profile an employer may see: never needs, numbers,
 * disclosure or visibility. Headings start at level 2.
 */
static void
render_shared(struct buf *b, const struct profile *p)
{
	struct buf t = {0};
	if (p->summary[0] != '\0') {
		HTML_LIT(b, "<h2>About</h2><p class=\"prewrap\">");
		html_text(b, p->summary);
		HTML_LIT(b, "</p>");
	}
	HTML_LIT(b, "<h2>Looking for</h2><dl class=\"facts\">");
	fact(b, "Remote or on site",
	     code_label(profiles_remote_prefs, profiles_remote_labels, p->remote_preference));
	fact(b, "Experience level",
	     vocab_label(vocab_levels, vocab_levels_count, p->experience_level));
	fact(b, "Available",
	     code_label(profiles_availabilities, profiles_availability_labels, p->availability));
	if (p->has_salary) {
		/* Written as job pages write salaries: "$55,000 per year". */
		const char *period = vocab_label(vocab_periods, vocab_periods_count, p->salary_period);
		HTML_LIT(b, "<div><dt>Salary from</dt><dd>");
		render_money(b, p->salary_currency, p->salary_min);
		if (period != NULL) {
			HTML_LIT(b, " ");
			html_text(b, period);
		}
		HTML_LIT(b, "</dd></div>");
	}
	fact(b, "Work authorisation", p->work_authorization);
	codes_text(&t, vocab_comm_modes, vocab_comm_modes_count, p->comm_modes);
	fact(b, "Communicates by", buf_cstr(&t));
	HTML_LIT(b, "</dl>");
	if (p->desired_titles[0] != '\0') {
		HTML_LIT(b, "<h3>Job titles</h3>");
		lines_list(b, p->desired_titles, false);
	}
	if (p->locations[0] != '\0') {
		HTML_LIT(b, "<h3>Places</h3>");
		lines_list(b, p->locations, false);
	}
	HTML_LIT(b, "<h2>Skills</h2>");
	if (p->nskills == 0) {
		HTML_LIT(b, "<p>No skills listed yet.</p>");
	} else {
		HTML_LIT(b, "<ul class=\"tags\">");
		for (int i = 0; i < p->nskills; i++) {
			HTML_LIT(b, "<li>");
			html_text(b, p->skills[i]);
			HTML_LIT(b, "</li>");
		}
		HTML_LIT(b, "</ul>");
	}
	HTML_LIT(b, "<h2>Experience</h2>");
	if (p->nexperience == 0)
		HTML_LIT(b, "<p>No experience listed yet.</p>");
	for (int i = 0; i < p->nexperience; i++) {
		const struct profile_experience *e = &p->experience[i];
		HTML_LIT(b, "<h3>");
		html_text(b, e->title);
		if (e->organisation[0] != '\0') {
			HTML_LIT(b, ", ");
			html_text(b, e->organisation);
		}
		HTML_LIT(b, "</h3>");
		dates_text(b, e->start_date, e->end_date);
		if (e->description[0] != '\0') {
			HTML_LIT(b, "<p class=\"prewrap\">");
			html_text(b, e->description);
			HTML_LIT(b, "</p>");
		}
	}
	HTML_LIT(b, "<h2>Education</h2>");
	if (p->neducation == 0)
		HTML_LIT(b, "<p>No education listed yet.</p>");
	for (int i = 0; i < p->neducation; i++) {
		const struct profile_education *e = &p->education[i];
		HTML_LIT(b, "<h3>");
		html_text(b, e->institution);
		HTML_LIT(b, "</h3>");
		if (e->credential[0] != '\0' || e->field[0] != '\0') {
			HTML_LIT(b, "<p>");
			html_text(b, e->credential);
			if (e->credential[0] != '\0' && e->field[0] != '\0')
				HTML_LIT(b, ", ");
			html_text(b, e->field);
			HTML_LIT(b, "</p>");
		}
		dates_text(b, e->start_date, e->end_date);
	}
	if (p->links[0] != '\0') {
		HTML_LIT(b, "<h2>Links</h2>");
		lines_list(b, p->links, true);
	}
	buf_free(&t);
}

/* Load the visitor's own profile (with sealed fields); false after answering. */
static bool
load_own(struct rctx *ctx, struct profile *p)
{
	if (profiles_get(ctx->db, ctx->auth.user_id, PROFILE_OWNER, p) < 0) {
		profiles_free(p);
		resp_db_error(ctx, "load profile");
		return false;
	}
	return true;
}

static const char *
done_notice(const char *done)
{
	if (done == NULL)
		return NULL;
	if (strcmp(done, "saved") == 0)
		return "Your profile is saved.";
	if (strcmp(done, "entry") == 0)
		return "Your changes are saved.";
	if (strcmp(done, "imported") == 0)
		return "Your JSON Resume is imported.";
	return NULL;
}

/* The own profile page; fe and resume are the import form's error and value, or NULL. */
static void
profile_page(struct rctx *ctx, const struct field_errors *fe, const char *resume, int status)
{
	struct profile p;
	if (!req_db(ctx) || !load_own(ctx, &p))
		return;
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Your profile", .nav = "profile"};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Your profile</h1>");
	ui_error_summary(b, fe);
	const char *notice = done_notice(query_get(&ctx->query, "done"));
	if (notice != NULL)
		ui_notice(b, "ok", notice);

	HTML_LIT(b, "<section class=\"panel\" aria-labelledby=\"what-employers-see\">"
	            "<h2 id=\"what-employers-see\">What employers see</h2><p>");
	if (strcmp(p.visibility, "private") == 0) {
		HTML_LIT(b, "Your profile is <strong>private</strong>: employers and recruiters "
		            "cannot find it in candidate search. They see what you send when you "
		            "apply to a job.");
	} else if (strcmp(p.visibility, "public") == 0) {
		HTML_LIT(b, "Your profile is <strong>public</strong>: employers and recruiters can "
		            "find it in candidate search, and anyone with its link can read it, "
		            "except your contact numbers and accommodation needs, which only you see "
		            "here. Your email address is never shown. <a href=\"/candidates/");
		html_int(b, p.user_id);
		HTML_LIT(b, "\">Your public page</a>.");
	} else {
		HTML_LIT(b, "Your profile is <strong>visible to employers and recruiters</strong> "
		            "signed in to Beacon: they can find it in candidate search and see "
		            "everything below except your contact numbers and accommodation needs. "
		            "They never see your email address there; they write to you through "
		            "your applications.");
	}
	HTML_LIT(b, "</p><p>Your accommodation needs: ");
	if (strcmp(p.disclosure, "after_apply") == 0)
		HTML_LIT(b, "the employer of each job you apply to sees them with your application.");
	else if (strcmp(p.disclosure, "interview") == 0)
		HTML_LIT(b, "an employer sees them only once they invite you to interview.");
	else
		HTML_LIT(b, "no employer ever sees them on Beacon. You decide if and when to tell "
		            "them.");
	HTML_LIT(b, " They are stored encrypted.</p>"
	            "<p><a href=\"/profile/edit\">Change who sees what</a></p></section>");

	HTML_LIT(b, "<p class=\"actions\"><a class=\"button\" href=\"/profile/edit\">Edit profile</a> "
	            "<a href=\"/profile/experience\">Edit experience</a> "
	            "<a href=\"/profile/education\">Edit education</a> "
	            "<a href=\"/profile/resume.json\" download>Download as JSON Resume</a></p>");

	HTML_LIT(b, "<h2>Headline</h2><p>");
	if (p.headline[0] != '\0')
		html_text(b, p.headline);
	else
		HTML_LIT(b, "No headline yet. A headline says in a few words what you do.");
	HTML_LIT(b, "</p>");
	render_shared(b, &p);

	HTML_LIT(b, "<h2>Only you see this</h2><dl class=\"facts\">");
	fact(b, "Videophone number", p.videophone);
	fact(b, "Text-capable number", p.text_phone);
	struct buf t = {0};
	codes_text(&t, vocab_needs, vocab_needs_count, p.needs);
	fact(b, "Accommodation needs", t.len > 0 ? buf_cstr(&t) : "None stated");
	fact(b, "Notes on accommodations", p.needs_notes);
	fact(b, "Who sees your needs",
	     code_label(profiles_disclosures, profiles_disclosure_labels, p.disclosure));
	fact(b, "Who sees your profile",
	     code_label(profiles_visibilities, profiles_visibility_labels, p.visibility));
	HTML_LIT(b, "</dl>");
	buf_free(&t);
	profiles_free(&p);

	HTML_LIT(b, "<h2>Import a JSON Resume</h2><p>Have a resume.json from another site? Paste "
	            "it here. Your experience, education and skills are replaced; your needs, "
	            "numbers and settings stay as they are.</p>"
	            "<form method=\"post\" action=\"/profile/import\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	ui_textarea(b, fe, "resume", "JSON Resume document",
	            &(struct field_opts){.value = resume,
	                                 .hint = "The whole file, starting with {."},
	            6);
	HTML_LIT(b, "<button type=\"submit\">Import</button></form>");
	send_page(ctx, &pg, status);
}

void
page_profile(struct rctx *ctx)
{
	profile_page(ctx, NULL, NULL, 200);
}

void
page_profile_import(struct rctx *ctx)
{
	static char message[200];
	struct field_errors fe = {0};
	const char *text = query_get(&ctx->form, "resume");
	json_error_t jerr;
	json_t *doc = text != NULL ? json_loads(text, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	if (!json_is_object(doc)) {
		snprintf(message, sizeof(message),
		         "This is not a JSON Resume document: paste the whole file, from { to }.");
		ferr_add(&fe, "resume", message);
		profile_page(ctx, &fe, text, 422);
		goto out;
	}
	struct profile p;
	if (!req_db(ctx) || !load_own(ctx, &p))
		goto out;
	resume_apply(doc, &p, &fe);
	int rc = resume_save(ctx->db, ctx->auth.user_id, &p, &fe);
	profiles_free(&p);
	if (rc < 0) {
		resp_db_error(ctx, "import resume");
	} else if (rc == 1) {
		/* One message on the one field, naming the place in the document. */
		snprintf(message, sizeof(message), "At %.60s: %.120s", fe.e[0].field, fe.e[0].msg);
		struct field_errors one = {0};
		ferr_add(&one, "resume", message);
		profile_page(ctx, &one, text, 422);
	} else {
		resp_redirect(ctx, 303, "/profile?done=imported");
	}
out:
	json_decref(doc);
}

/* ---- the main form ---- */

static void
checkbox_group(struct buf *b, const char *name, const char *legend, const char *hint,
               const struct vocab_entry *v, size_t n, uint64_t bits)
{
	HTML_LIT(b, "<fieldset class=\"checks\"><legend>");
	html_text(b, legend);
	HTML_LIT(b, "</legend>");
	if (hint != NULL) {
		HTML_LIT(b, "<p class=\"hint\">");
		html_text(b, hint);
		HTML_LIT(b, "</p>");
	}
	for (size_t i = 0; i < n; i++) {
		HTML_LIT(b, "<div class=\"check\"><input type=\"checkbox\" id=\"f-");
		html_attr(b, name);
		HTML_LIT(b, "-");
		html_attr(b, v[i].code);
		HTML_LIT(b, "\" name=\"");
		html_attr(b, name);
		HTML_LIT(b, "\" value=\"");
		html_attr(b, v[i].code);
		HTML_LIT(b, "\"");
		if (bits & ((uint64_t)1 << i))
			HTML_LIT(b, " checked");
		HTML_LIT(b, "><label for=\"f-");
		html_attr(b, name);
		HTML_LIT(b, "-");
		html_attr(b, v[i].code);
		HTML_LIT(b, "\">");
		html_text(b, v[i].label);
		HTML_LIT(b, "</label></div>");
	}
	HTML_LIT(b, "</fieldset>");
}

/* Options {code, label} from two NULL-ended lists, into out (room for n + 1 pairs). */
static void
options_of(const char *const *codes, const char *const *labels, const char *(*out)[2],
           size_t n)
{
	size_t i = 0;
	for (; codes[i] != NULL && i < n; i++) {
		out[i][0] = codes[i];
		out[i][1] = labels[i];
	}
	out[i][0] = out[i][1] = NULL;
}

static void
vocab_options(const struct vocab_entry *v, size_t n, const char *none, const char *(*out)[2])
{
	size_t k = 0;
	if (none != NULL) {
		out[k][0] = "";
		out[k++][1] = none;
	}
	for (size_t i = 0; i < n; i++, k++) {
		out[k][0] = v[i].code;
		out[k][1] = v[i].label;
	}
	out[k][0] = out[k][1] = NULL;
}

static void
skills_text(struct buf *out, const struct profile *p)
{
	for (int i = 0; i < p->nskills; i++) {
		if (i > 0)
			buf_puts(out, ", ");
		buf_puts(out, p->skills[i]);
	}
}

static void
edit_form(struct rctx *ctx, const struct profile *p, const struct field_errors *fe,
          const char *skills, const char *salary, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Edit your profile", .nav = "profile"};
	const char *opts[16][2];
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Edit your profile</h1>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<p>Every field is optional. Experience and education have their own pages: "
	            "<a href=\"/profile/experience\">experience</a>, "
	            "<a href=\"/profile/education\">education</a>.</p>"
	            "<form method=\"post\" action=\"/profile/edit\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);

	HTML_LIT(b, "<fieldset><legend>About you</legend>");
	ui_input(b, fe, "headline", "Headline",
	         &(struct field_opts){.value = p->headline,
	                              .hint = "A few words on what you do, like \"Data analyst, "
	                                      "fluent in ASL\".",
	                              .maxlength = PROFILE_HEADLINE_MAX});
	ui_textarea(b, fe, "summary", "Summary",
	            &(struct field_opts){.value = p->summary, .maxlength = PROFILE_SUMMARY_MAX}, 6);
	ui_textarea(b, fe, "skills", "Skills",
	            &(struct field_opts){.value = skills,
	                                 .hint = "Separate skills with commas or new lines. We "
	                                         "write them in one way, so \"JS\" becomes "
	                                         "\"javascript\" and \"American Sign Language\" "
	                                         "becomes \"asl\"."},
	            3);
	ui_textarea(b, fe, "links", "Links",
	            &(struct field_opts){.value = p->links,
	                                 .hint = "One web address per line, starting with https:// "
	                                         "or http://. At most 10."},
	            3);
	HTML_LIT(b, "</fieldset>");

	HTML_LIT(b, "<fieldset><legend>The work you look for</legend>");
	ui_textarea(b, fe, "desired_titles", "Job titles",
	            &(struct field_opts){.value = p->desired_titles,
	                                 .hint = "One per line. At most 10."},
	            3);
	ui_textarea(b, fe, "locations", "Places",
	            &(struct field_opts){.value = p->locations,
	                                 .hint = "One per line, like \"Austin, TX, US\". At most "
	                                         "10."},
	            3);
	options_of(profiles_remote_prefs, profiles_remote_labels, opts, 15);
	form_radios(b, fe, "remote_preference", "Remote or on site", opts, p->remote_preference);
	vocab_options(vocab_levels, vocab_levels_count, "Not stated", opts);
	ui_select(b, fe, "experience_level", "Experience level", opts, p->experience_level, NULL);
	options_of(profiles_availabilities, profiles_availability_labels, opts, 15);
	ui_select(b, fe, "availability", "When you can start", opts, p->availability, NULL);
	ui_input(b, fe, "salary_min", "Lowest salary you would accept",
	         &(struct field_opts){.value = salary, .inputmode = "decimal",
	                              .hint = "A number, or leave it empty."});
	ui_input(b, fe, "salary_currency", "Currency",
	         &(struct field_opts){.value = p->salary_currency ? p->salary_currency : "USD",
	                              .hint = "Three letters, like USD.", .maxlength = 3});
	vocab_options(vocab_periods, vocab_periods_count, NULL, opts);
	ui_select(b, fe, "salary_period", "Salary period", opts,
	          p->salary_period ? p->salary_period : "YEAR", NULL);
	ui_input(b, fe, "work_authorization", "Work authorisation",
	         &(struct field_opts){.value = p->work_authorization,
	                              .hint = "In your words, like \"US citizen\" or \"Needs visa "
	                                      "sponsorship\".",
	                              .maxlength = PROFILE_WORKAUTH_MAX});
	HTML_LIT(b, "</fieldset>");

	HTML_LIT(b, "<fieldset><legend>How you communicate</legend>");
	checkbox_group(b, "comm_modes", "Ways you like to communicate", "Choose all that apply.",
	               vocab_comm_modes, vocab_comm_modes_count, p->comm_modes);
	ui_input(b, fe, "videophone", "Videophone number",
	         &(struct field_opts){.value = p->videophone, .type = "tel",
	                              .autocomplete = "tel",
	                              .hint = "Only you see it. Optional.",
	                              .maxlength = PROFILE_PHONE_MAX});
	ui_input(b, fe, "text_phone", "Text-capable number",
	         &(struct field_opts){.value = p->text_phone, .type = "tel",
	                              .hint = "For text messages. Only you see it. Optional.",
	                              .maxlength = PROFILE_PHONE_MAX});
	HTML_LIT(b, "</fieldset>");

	HTML_LIT(b, "<fieldset><legend>Accommodation needs</legend><p class=\"hint\">These are "
	            "stored encrypted. Employers see them only as you choose below, and never in "
	            "candidate search.</p>");
	checkbox_group(b, "needs", "What you need", NULL, vocab_needs, vocab_needs_count,
	               p->needs);
	ui_textarea(b, fe, "needs_notes", "Notes on your needs",
	            &(struct field_opts){.value = p->needs_notes, .maxlength = PROFILE_NOTES_MAX},
	            3);
	options_of(profiles_disclosures, profiles_disclosure_labels, opts, 15);
	form_radios(b, fe, "disclosure", "When may an employer see your needs?", opts,
	            p->disclosure);
	HTML_LIT(b, "</fieldset>");

	options_of(profiles_visibilities, profiles_visibility_labels, opts, 15);
	form_radios(b, fe, "visibility", "Who may find your profile?", opts, p->visibility);
	HTML_LIT(b, "<button type=\"submit\">Save profile</button> "
	            "<a href=\"/profile\">Cancel</a></form>");
	send_page(ctx, &pg, status);
}

static void
replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value != NULL ? value : "");
}

static uint64_t
form_bits(const struct query *q, const char *name, const struct vocab_entry *v, size_t n)
{
	uint64_t bits = 0;
	for (size_t i = 0; i < q->count; i++) {
		if (strcmp(q->params[i].key, name) != 0)
			continue;
		int k = vocab_find(v, n, q->params[i].value);
		if (k >= 0)
			bits |= (uint64_t)1 << k;
	}
	return bits;
}

/* Split skills text on commas and line breaks into p's skills. */
static void
skills_from_text(struct profile *p, const char *text)
{
	for (int i = 0; i < p->nskills; i++)
		free(p->skills[i]);
	free(p->skills);
	p->skills = NULL;
	p->nskills = 0;
	if (text == NULL)
		return;
	char *copy = xstrdup(text), *save = NULL;
	for (char *s = strtok_r(copy, ",\r\n", &save); s != NULL; s = strtok_r(NULL, ",\r\n", &save)) {
		if (p->nskills > PROFILE_SKILLS_MAX * 2)
			break;
		p->skills = xrealloc(p->skills, sizeof(char *) * (size_t)(p->nskills + 1));
		p->skills[p->nskills++] = xstrdup(s);
	}
	free(copy);
}

void
page_profile_edit(struct rctx *ctx)
{
	struct profile p;
	if (!req_db(ctx) || !load_own(ctx, &p))
		return;
	struct buf skills = {0};
	char salary[32] = "";
	if (ctx->req->method != HTTP_METHOD_POST) {
		skills_text(&skills, &p);
		if (p.has_salary)
			snprintf(salary, sizeof(salary), "%.0f", p.salary_min);
		edit_form(ctx, &p, NULL, buf_cstr(&skills), salary, 200);
		goto out;
	}
	const struct query *f = &ctx->form;
	replace(&p.headline, query_get(f, "headline"));
	replace(&p.summary, query_get(f, "summary"));
	replace(&p.links, query_get(f, "links"));
	replace(&p.desired_titles, query_get(f, "desired_titles"));
	replace(&p.locations, query_get(f, "locations"));
	replace(&p.remote_preference, query_get(f, "remote_preference"));
	replace(&p.experience_level, query_get(f, "experience_level"));
	replace(&p.availability, query_get(f, "availability"));
	replace(&p.work_authorization, query_get(f, "work_authorization"));
	replace(&p.videophone, query_get(f, "videophone"));
	replace(&p.text_phone, query_get(f, "text_phone"));
	replace(&p.needs_notes, query_get(f, "needs_notes"));
	replace(&p.disclosure, query_get(f, "disclosure"));
	replace(&p.visibility, query_get(f, "visibility"));
	replace(&p.salary_currency, query_get(f, "salary_currency"));
	replace(&p.salary_period, query_get(f, "salary_period"));
	p.comm_modes = form_bits(f, "comm_modes", vocab_comm_modes, vocab_comm_modes_count);
	p.needs = form_bits(f, "needs", vocab_needs, vocab_needs_count);
	const char *skills_in = query_get(f, "skills");
	skills_from_text(&p, skills_in);
	const char *sal = query_get(f, "salary_min");
	struct field_errors fe = {0};
	p.has_salary = false;
	if (sal != NULL && sal[0] != '\0') {
		p.has_salary = true;
		if (!form_amount(sal, &p.salary_min)) {
			ferr_add(&fe, "salary_min", "Enter an amount in figures, like 45000 or 45,000, "
			                            "or leave it empty.");
			p.salary_min = 0; /* so the rest (currency, period) is still checked */
		}
		snprintf(salary, sizeof(salary), "%.30s", sal);
	}
	int rc;
	if (fe.n > 0) {
		profiles_validate(&p, &fe); /* every other error too, in one answer */
		rc = 1;
	} else {
		rc = profiles_save(ctx->db, ctx->auth.user_id, &p, &fe);
	}
	if (rc < 0)
		resp_db_error(ctx, "save profile");
	else if (rc == 1)
		edit_form(ctx, &p, &fe, skills_in, salary, 422);
	else
		resp_redirect(ctx, 303, "/profile?done=saved");
out:
	buf_free(&skills);
	profiles_free(&p);
}

/* ---- experience and education entries ---- */

struct entry_member {
	const char *name, *label, *hint;
	size_t exp_off, edu_off; /* offsetof in each entry struct, or (size_t)-1 */
	bool multi, required;
	int max;
};

#define NO_OFF ((size_t)-1)

static const struct entry_member exp_members[] = {
    {"title", "Job title", NULL, offsetof(struct profile_experience, title), NO_OFF, false, true,
     PROFILE_ENTRY_TEXT_MAX},
    {"organisation", "Organisation", NULL, offsetof(struct profile_experience, organisation),
     NO_OFF, false, false, PROFILE_ENTRY_TEXT_MAX},
    {"start_date", "Started", "Like 2021-03 or 2021.",
     offsetof(struct profile_experience, start_date), NO_OFF, false, false, 10},
    {"end_date", "Ended", "Leave it empty if you still work there.",
     offsetof(struct profile_experience, end_date), NO_OFF, false, false, 10},
    {"description", "What you did", NULL, offsetof(struct profile_experience, description),
     NO_OFF, true, false, PROFILE_ENTRY_DESC_MAX},
    {NULL, NULL, NULL, 0, 0, false, false, 0},
};

static const struct entry_member edu_members[] = {
    {"institution", "School", NULL, NO_OFF, offsetof(struct profile_education, institution),
     false, true, PROFILE_ENTRY_TEXT_MAX},
    {"credential", "Qualification", "Like BA, Certificate or High school diploma.", NO_OFF,
     offsetof(struct profile_education, credential), false, false, PROFILE_ENTRY_TEXT_MAX},
    {"field", "Subject", NULL, NO_OFF, offsetof(struct profile_education, field), false, false,
     PROFILE_ENTRY_TEXT_MAX},
    {"start_date", "Started", "Like 2018-09 or 2018.", NO_OFF,
     offsetof(struct profile_education, start_date), false, false, 10},
    {"end_date", "Ended", NULL, NO_OFF, offsetof(struct profile_education, end_date), false,
     false, 10},
    {NULL, NULL, NULL, 0, 0, false, false, 0},
};

/* Which list a page edits. */
struct entry_kind {
	const char *key;    /* "experience" or "education": field names and URL */
	const char *title;  /* page title */
	const char *one;    /* "experience entry" */
	const struct entry_member *members;
	bool experience;
};

static const struct entry_kind kind_exp = {"experience", "Your experience", "job",
                                           exp_members, true};
static const struct entry_kind kind_edu = {"education", "Your education", "school",
                                           edu_members, false};

static int
entry_count(const struct entry_kind *k, const struct profile *p)
{
	return k->experience ? p->nexperience : p->neducation;
}

/* The address of member m of entry i. */
static char **
entry_field(const struct entry_kind *k, struct profile *p, int i, const struct entry_member *m)
{
	if (k->experience)
		return (char **)((char *)&p->experience[i] + m->exp_off);
	return (char **)((char *)&p->education[i] + m->edu_off);
}

/* Field names must outlive the response. */
static char entry_names[PROFILE_ENTRIES_MAX + 1][5][40];

static const char *
member_name(const struct entry_kind *k, int i, int m)
{
	snprintf(entry_names[i][m], sizeof(entry_names[i][m]), "%s.%d.%s", k->key, i,
	         k->members[m].name);
	return entry_names[i][m];
}

static void
entry_form(struct rctx *ctx, const struct entry_kind *k, struct profile *p, int i, bool is_new,
           const struct field_errors *fe)
{
	struct buf *b = &ctx->body;
	char heading[80];
	if (is_new)
		snprintf(heading, sizeof(heading), "Add a %s", k->one);
	else
		snprintf(heading, sizeof(heading), "%s %d", k->experience ? "Job" : "School", i + 1);
	HTML_LIT(b, "<form method=\"post\" action=\"/profile/");
	html_attr(b, k->key);
	HTML_LIT(b, "\" class=\"form entry\" novalidate><fieldset><legend>");
	html_text(b, heading);
	HTML_LIT(b, "</legend>");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<input type=\"hidden\" name=\"index\" value=\"");
	if (is_new)
		HTML_LIT(b, "new");
	else
		html_int(b, i);
	HTML_LIT(b, "\">");
	for (int m = 0; k->members[m].name != NULL; m++) {
		const struct entry_member *em = &k->members[m];
		const char *value = NULL;
		if (i < entry_count(k, p))
			value = *entry_field(k, p, i, em);
		struct field_opts o = {.value = value, .hint = em->hint, .required = em->required,
		                       .maxlength = em->max};
		if (em->multi)
			ui_textarea(b, fe, member_name(k, i, m), em->label, &o, 4);
		else
			ui_input(b, fe, member_name(k, i, m), em->label, &o);
	}
	HTML_LIT(b, "</fieldset><button type=\"submit\" name=\"action\" value=\"save\">");
	if (is_new)
		HTML_LIT(b, "Add");
	else
		HTML_LIT(b, "Save");
	HTML_LIT(b, "</button>");
	if (!is_new) {
		HTML_LIT(b, " <button type=\"submit\" name=\"action\" value=\"delete\" "
		            "class=\"secondary\">Remove ");
		html_text(b, heading);
		HTML_LIT(b, "</button>");
	}
	HTML_LIT(b, "</form>");
}

static void
entries_page(struct rctx *ctx, const struct entry_kind *k, struct profile *p,
             const struct field_errors *fe, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = k->title, .nav = "profile"};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>");
	html_text(b, k->title);
	HTML_LIT(b, "</h1>");
	ui_error_summary(b, fe);
	const char *notice = done_notice(query_get(&ctx->query, "done"));
	if (notice != NULL)
		ui_notice(b, "ok", notice);
	HTML_LIT(b, "<p><a href=\"/profile\">Back to your profile</a></p>");
	int n = entry_count(k, p);
	bool has_new = n > 0 && fe != NULL && fe->n > 0 &&
	               query_get(&ctx->form, "index") != NULL &&
	               strcmp(query_get(&ctx->form, "index"), "new") == 0;
	int stored = has_new ? n - 1 : n;
	if (stored == 0)
		HTML_LIT(b, "<p>Nothing here yet. Add your first entry below.</p>");
	for (int i = 0; i < stored; i++)
		entry_form(ctx, k, p, i, false, fe);
	if (stored < PROFILE_ENTRIES_MAX)
		entry_form(ctx, k, p, stored, true, fe);
	send_page(ctx, &pg, status);
}

/* Grow the list by one empty entry. */
static void
entry_append(const struct entry_kind *k, struct profile *p)
{
	if (k->experience) {
		p->experience =
		    xrealloc(p->experience, sizeof(*p->experience) * (size_t)(p->nexperience + 1));
		memset(&p->experience[p->nexperience++], 0, sizeof(*p->experience));
	} else {
		p->education =
		    xrealloc(p->education, sizeof(*p->education) * (size_t)(p->neducation + 1));
		memset(&p->education[p->neducation++], 0, sizeof(*p->education));
	}
}

static void
entry_remove(const struct entry_kind *k, struct profile *p, int i)
{
	for (int m = 0; k->members[m].name != NULL; m++) {
		char **f = entry_field(k, p, i, &k->members[m]);
		free(*f);
	}
	if (k->experience) {
		memmove(&p->experience[i], &p->experience[i + 1],
		        sizeof(*p->experience) * (size_t)(p->nexperience - i - 1));
		p->nexperience--;
	} else {
		memmove(&p->education[i], &p->education[i + 1],
		        sizeof(*p->education) * (size_t)(p->neducation - i - 1));
		p->neducation--;
	}
}

static void
entries_handle(struct rctx *ctx, const struct entry_kind *k)
{
	struct profile p;
	if (!req_db(ctx) || !load_own(ctx, &p))
		return;
	if (ctx->req->method != HTTP_METHOD_POST) {
		entries_page(ctx, k, &p, NULL, 200);
		goto out;
	}
	const char *index = query_get(&ctx->form, "index");
	const char *action = query_get(&ctx->form, "action");
	int n = entry_count(k, &p), i;
	if (index != NULL && strcmp(index, "new") == 0) {
		if (n >= PROFILE_ENTRIES_MAX) {
			resp_error_page(ctx, 400, "You have the most entries Beacon keeps (20).");
			goto out;
		}
		entry_append(k, &p);
		i = n;
	} else {
		char *end;
		long v = index != NULL ? strtol(index, &end, 10) : -1;
		if (index == NULL || *end != '\0' || v < 0 || v >= n) {
			resp_error_page(ctx, 400, "This entry no longer exists. Open the page again.");
			goto out;
		}
		i = (int)v;
	}
	if (action != NULL && strcmp(action, "delete") == 0 && i < n) {
		entry_remove(k, &p, i);
	} else {
		for (int m = 0; k->members[m].name != NULL; m++) {
			char **f = entry_field(k, &p, i, &k->members[m]);
			free(*f);
			char key[48];
			snprintf(key, sizeof(key), "%s.%d.%s", k->key, i, k->members[m].name);
			const char *v = query_get(&ctx->form, key);
			*f = xstrdup(v != NULL ? v : "");
		}
		const char *req = *entry_field(k, &p, i, &k->members[0]);
		if (i == n && req[0] == '\0') {
			/* An empty "add" form: nothing to add, but say what is missing. */
			struct field_errors fe = {0};
			ferr_add(&fe, member_name(k, i, 0), k->experience
			                                        ? "Enter the job title."
			                                        : "Enter the school.");
			entries_page(ctx, k, &p, &fe, 422);
			goto out;
		}
	}
	struct field_errors fe = {0};
	int rc = profiles_save(ctx->db, ctx->auth.user_id, &p, &fe);
	if (rc < 0) {
		resp_db_error(ctx, "save entries");
	} else if (rc == 1) {
		entries_page(ctx, k, &p, &fe, 422);
	} else {
		char to[64];
		snprintf(to, sizeof(to), "/profile/%s?done=entry", k->key);
		resp_redirect(ctx, 303, to);
	}
out:
	profiles_free(&p);
}

void
page_profile_experience(struct rctx *ctx)
{
	entries_handle(ctx, &kind_exp);
}

void
page_profile_education(struct rctx *ctx)
{
	entries_handle(ctx, &kind_edu);
}

/* ---- candidate search ---- */

#define CANDIDATES_PER_PAGE 20

struct result_ctx {
	struct buf *b;
	int shown;
};

static void
result_item(const struct candidate_hit *h, void *arg)
{
	struct result_ctx *r = arg;
	struct buf *b = r->b;
	r->shown++;
	HTML_LIT(b, "<li class=\"card\"><h3><a href=\"/candidates/");
	html_int(b, h->user_id);
	HTML_LIT(b, "\">");
	html_text(b, h->display_name);
	HTML_LIT(b, "</a></h3>");
	if (h->headline != NULL && h->headline[0] != '\0') {
		HTML_LIT(b, "<p>");
		html_text(b, h->headline);
		HTML_LIT(b, "</p>");
	}
	HTML_LIT(b, "<dl class=\"facts\">");
	if (h->locations != NULL && h->locations[0] != '\0') {
		size_t n = strcspn(h->locations, "\n");
		char *first = xstrndup(h->locations, n);
		fact(b, "Place", first);
		free(first);
	}
	fact(b, "Remote or on site",
	     code_label(profiles_remote_prefs, profiles_remote_labels, h->remote_preference));
	fact(b, "Available",
	     code_label(profiles_availabilities, profiles_availability_labels, h->availability));
	fact(b, "Level", vocab_label(vocab_levels, vocab_levels_count, h->experience_level));
	fact(b, "Skills", h->skills);
	HTML_LIT(b, "</dl></li>");
}

static void
page_link(struct buf *b, struct rctx *ctx, int page, const char *label, bool current)
{
	static const char *const keys[] = {"q", "skills", "location", "remote", "availability",
	                                   "level", NULL};
	HTML_LIT(b, "<li><a href=\"/candidates?page=");
	html_int(b, page);
	for (int i = 0; keys[i] != NULL; i++) {
		const char *v = query_get(&ctx->query, keys[i]);
		if (v == NULL || v[0] == '\0')
			continue;
		HTML_LIT(b, "&amp;");
		html_text(b, keys[i]);
		HTML_LIT(b, "=");
		html_urlenc(b, v);
	}
	HTML_LIT(b, "\"");
	if (current)
		HTML_LIT(b, " aria-current=\"page\"");
	HTML_LIT(b, ">");
	html_text(b, label);
	HTML_LIT(b, "</a></li>");
}

void
page_candidates(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	const char *pg_s = query_get(&ctx->query, "page");
	/* People get the first page for a page number that is not one (the API answers 400). */
	int page = 1;
	if (pg_s != NULL) {
		char *end;
		long v = strtol(pg_s, &end, 10);
		if (pg_s[0] >= '0' && pg_s[0] <= '9' && *end == '\0' && v >= 1 && v <= 10000)
			page = (int)v;
	}
	struct candidate_query q = {
	    .words = query_get(&ctx->query, "q"),
	    .skills = query_get(&ctx->query, "skills"),
	    .location = query_get(&ctx->query, "location"),
	    .remote = query_get(&ctx->query, "remote"),
	    .availability = query_get(&ctx->query, "availability"),
	    .level = query_get(&ctx->query, "level"),
	    .page = page,
	    .per_page = CANDIDATES_PER_PAGE,
	};
	struct buf results = {0};
	struct result_ctx r = {.b = &results};
	struct field_errors fe = {0};
	int64_t total = 0;
	int rc = candidates_search(ctx->db, &q, &fe, result_item, &r, &total);
	if (rc < 0) {
		buf_free(&results);
		resp_db_error(ctx, "candidate search");
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Find candidates", .nav = "candidates"};
	const char *opts[16][2];
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Find candidates</h1>"
	            "<p>Only job seekers who chose to be visible to employers appear here. Their "
	            "accommodation needs and contact numbers are never shown: you learn about "
	            "needs when a candidate applies, as they chose, and you write to candidates "
	            "through their applications.</p>");
	ui_error_summary(b, &fe);
	HTML_LIT(b, "<form method=\"get\" action=\"/candidates\" class=\"form search-form\" "
	            "role=\"search\" aria-label=\"Candidates\">");
	/* Search filters: none is required, so none is marked "(optional)". */
	ui_input(b, &fe, "q", "Words",
	         &(struct field_opts){.value = q.words, .type = "search", .unmarked = true});
	ui_input(b, &fe, "skills", "Skills",
	         &(struct field_opts){.value = q.skills, .unmarked = true,
	                              .hint = "Separate skills with commas. Candidates have every "
	                                      "skill you list."});
	ui_input(b, &fe, "location", "Place",
	         &(struct field_opts){.value = q.location, .unmarked = true});
	opts[0][0] = "";
	opts[0][1] = "Any";
	for (int i = 1; profiles_remote_prefs[i] != NULL; i++) {
		opts[i][0] = profiles_remote_prefs[i];
		opts[i][1] = profiles_remote_labels[i];
		opts[i + 1][0] = opts[i + 1][1] = NULL;
	}
	ui_select(b, &fe, "remote", "Remote or on site", opts, q.remote, NULL);
	opts[0][0] = "";
	opts[0][1] = "Any time";
	for (int i = 0; profiles_availabilities[i] != NULL; i++) {
		opts[i + 1][0] = profiles_availabilities[i];
		opts[i + 1][1] = profiles_availability_labels[i];
		opts[i + 2][0] = opts[i + 2][1] = NULL;
	}
	ui_select(b, &fe, "availability", "Available", opts, q.availability, NULL);
	vocab_options(vocab_levels, vocab_levels_count, "Any level", opts);
	ui_select(b, &fe, "level", "Experience level", opts, q.level, NULL);
	HTML_LIT(b, "<button type=\"submit\">Search</button></form>"
	            "<h2 id=\"results-heading\">Results</h2><p role=\"status\" aria-live=\"polite\">");
	if (rc == 1)
		HTML_LIT(b, "Fix the search above to see candidates.");
	else if (total == 0)
		HTML_LIT(b, "No candidates match. Try fewer words or skills.");
	else {
		html_int(b, total);
		if (total == 1)
			HTML_LIT(b, " candidate");
		else
			HTML_LIT(b, " candidates");
	}
	HTML_LIT(b, "</p>");
	if (r.shown > 0) {
		HTML_LIT(b, "<ul class=\"results\" aria-labelledby=\"results-heading\">");
		buf_append(b, results.data, results.len);
		HTML_LIT(b, "</ul>");
	} else if (total > 0) {
		HTML_LIT(b, "<p>This page is past the last result.</p>");
	}
	int pages = (int)((total + CANDIDATES_PER_PAGE - 1) / CANDIDATES_PER_PAGE);
	if (pages > 1) {
		HTML_LIT(b, "<nav class=\"pager\" aria-label=\"Pages of candidates\"><ul "
		            "class=\"page-list\">");
		if (page > 1)
			page_link(b, ctx, page - 1, "Previous page", false);
		char label[32];
		snprintf(label, sizeof(label), "Page %d of %d", page, pages);
		page_link(b, ctx, page, label, true);
		if (page < pages)
			page_link(b, ctx, page + 1, "Next page", false);
		HTML_LIT(b, "</ul></nav>");
	}
	buf_free(&results);
	send_page(ctx, &pg, rc == 1 ? 400 : 200);
}

void
page_candidate(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	/* Employers see profiles visible to employers; anyone else only public ones. */
	bool employer = (ctx->auth.role & (ROLE_EMPLOYER | ROLE_RECRUITER | ROLE_ADMIN)) != 0;
	int vis = employer ? profiles_visible_to_employers(ctx->db, ctx->id)
	                   : profiles_public(ctx->db, ctx->id);
	if (vis < 0) {
		resp_db_error(ctx, "candidate visible");
		return;
	}
	if (vis == 0) {
		resp_error_page(ctx, 404, "There is no candidate profile here, or it is private.");
		return;
	}
	struct profile p;
	if (profiles_get(ctx->db, ctx->id, PROFILE_PUBLIC, &p) != 1) {
		profiles_free(&p);
		resp_db_error(ctx, "load candidate");
		return;
	}
	struct buf *b = &ctx->body;
	struct page pg = {.title = p.display_name, .nav = "candidates"};
	layout_begin(ctx, &pg);
	if (employer)
		HTML_LIT(b, "<p><a href=\"/candidates\">Back to candidate search</a></p>");
	HTML_LIT(b, "<h1>");
	html_text(b, p.display_name);
	HTML_LIT(b, "</h1>");
	if (p.headline[0] != '\0') {
		HTML_LIT(b, "<p class=\"lead\">");
		html_text(b, p.headline);
		HTML_LIT(b, "</p>");
	}
	render_shared(b, &p);
	HTML_LIT(b, "<h2>Contact</h2><p>Beacon does not show candidates' email addresses or "
	            "numbers. When this person applies to one of your jobs you can write to them "
	            "in the application's messages, in writing, and see the accommodations they "
	            "chose to share.</p>");
	profiles_free(&p);
	send_page(ctx, &pg, 200);
}
