/*
 * company.c - the employer's company page (GET/POST /company: the profile,
 * or the form that creates it), inviting colleagues (POST
 * /company/invites) and accepting an invitation (GET/POST
 * /invites/accept). The rules live in model/companies.c.
 */
#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "core/markdown.h"
#include "model/companies.h"
#include "model/users.h"
#include "web/actor.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/pages/employer_ui.h"
#include "web/ui.h"

/* What the company page shows after an action. */
struct company_view {
	const struct company *company;      /* NULL: the create form */
	const struct company_input *values; /* form values to show again, or NULL */
	const struct field_errors *profile_errors;
	const struct field_errors *invite_errors;
	const char *notice;
	int status;
};

static const struct {
	const char *name, *label;
} inclusion[] = {
    {"deaf_owned", "Deaf-owned business"},
    {"deaf_led", "Deaf-led: Deaf people in leadership"},
    {"asl_fluent_staff", "Staff fluent in ASL"},
    {"interpreters_on_request", "ASL interpreters provided on request"},
};

static bool
inclusion_value(const struct company_input *in, size_t i)
{
	switch (i) {
	case 0:
		return in->deaf_owned;
	case 1:
		return in->deaf_led;
	case 2:
		return in->asl_fluent_staff;
	default:
		return in->interpreters_on_request;
	}
}

static void
input_from_form(const struct query *f, struct company_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = query_get(f, "name");
	in->description = query_get(f, "description");
	in->website = query_get(f, "website");
	in->size = query_get(f, "size");
	in->industry = query_get(f, "industry");
	in->deaf_owned = query_get(f, "deaf_owned") != NULL;
	in->deaf_led = query_get(f, "deaf_led") != NULL;
	in->asl_fluent_staff = query_get(f, "asl_fluent_staff") != NULL;
	in->interpreters_on_request = query_get(f, "interpreters_on_request") != NULL;
}

static void
input_from_company(const struct company *c, struct company_input *in)
{
	*in = (struct company_input){
	    .name = c->name,
	    .description = c->description,
	    .website = c->website,
	    .size = c->size,
	    .industry = c->industry,
	    .deaf_owned = c->deaf_owned,
	    .deaf_led = c->deaf_led,
	    .asl_fluent_staff = c->asl_fluent_staff,
	    .interpreters_on_request = c->interpreters_on_request,
	};
}

/* The profile form's fields (inside a <form>). */
static void
profile_fields(struct buf *b, const struct field_errors *fe, const struct company_input *v)
{
	const char *sizes[8][2] = {{"", "Not stated"}};
	size_t n = 1;
	for (size_t i = 0; company_sizes[i][0] != NULL && n + 1 < 8; i++, n++) {
		sizes[n][0] = company_sizes[i][0];
		sizes[n][1] = company_sizes[i][1];
	}
	sizes[n][0] = sizes[n][1] = NULL;
	ui_input(b, fe, "name", "Company name",
	         &(struct field_opts){.value = v->name,
	                              .autocomplete = "organization",
	                              .required = true,
	                              .hint = "2 to 120 characters."});
	ui_input(b, fe, "website", "Website",
	         &(struct field_opts){.type = "url",
	                              .value = v->website,
	                              .autocomplete = "url",
	                              .hint = "Starts with https://, for example "
	                                      "https://example.org."});
	ui_select(b, fe, "size", "Company size", (const char *const(*)[2])sizes,
	          v->size ? v->size : "", NULL);
	ui_input(b, fe, "industry", "Industry",
	         &(struct field_opts){.value = v->industry,
	                              .hint = "For example: healthcare, software, education."});
	ui_textarea(b, fe, "description", "About the company",
	            &(struct field_opts){.value = v->description,
	                                 .hint =
	                                     "Up to 8,000 characters. Markdown works: **bold**, "
	                                     "lists that start with -, links. Tell people how "
	                                     "your team communicates."},
	            8);
	HTML_LIT(b, "<fieldset class=\"field checks\"><legend>Inclusion</legend>"
	            "<p class=\"hint\">Tick what is true. Job seekers see this on your jobs.</p>");
	for (size_t i = 0; i < sizeof(inclusion) / sizeof(inclusion[0]); i++)
		ui_checkbox(b, inclusion[i].name, inclusion[i].label, inclusion_value(v, i), NULL);
	HTML_LIT(b, "</fieldset>");
}

static void
create_form(struct rctx *ctx, const struct company_view *v)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Create your company", .nav = "employer", .status = v->status};
	struct company_input empty = {0};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Create your company</h1>");
	ui_error_summary(b, v->profile_errors);
	HTML_LIT(b, "<p>Your company profile comes first: every job you post shows its name. "
	            "You become the company's owner and can invite colleagues.</p>"
	            "<p>Has a colleague already set up your company on Beacon? Ask them to invite "
	            "you, then open the link in the invitation email.</p>"
	            "<form method=\"post\" action=\"/company\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	profile_fields(b, v->profile_errors, v->values ? v->values : &empty);
	HTML_LIT(b, "<button type=\"submit\">Create company</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, v->status ? v->status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

static void
fact(struct buf *b, const char *term, const char *text)
{
	HTML_LIT(b, "<div><dt>");
	html_text(b, term);
	HTML_LIT(b, "</dt><dd>");
	html_text(b, text);
	HTML_LIT(b, "</dd></div>");
}

static void
member_item(const struct company_member *m, void *arg)
{
	struct buf *b = arg;
	HTML_LIT(b, "<li>");
	html_text(b, m->display_name);
	HTML_LIT(b, " (");
	html_text(b, m->email);
	HTML_LIT(b, ")");
	if (m->role == COMPANY_ROLE_OWNER)
		HTML_LIT(b, ", owner");
	HTML_LIT(b, "</li>");
}

static void
company_page(struct rctx *ctx, const struct company_view *v)
{
	struct buf *b = &ctx->body;
	const struct company *c = v->company;
	struct page pg = {.title = "Your company", .nav = "employer", .status = v->status};
	struct company_input current;
	input_from_company(c, &current);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>");
	html_text(b, c->name);
	HTML_LIT(b, "</h1>");
	if (v->notice)
		ui_notice(b, "ok", v->notice);
	HTML_LIT(b, "<p><a href=\"/employer/jobs/new\">Post a job</a> · "
	            "<a href=\"/employer/jobs\">Your company's jobs</a></p>"
	            "<section aria-labelledby=\"h-profile\"><h2 id=\"h-profile\">Profile</h2>"
	            "<dl class=\"facts\">");
	fact(b, "Website", c->website ? c->website : "Not given");
	const char *size = "Not stated";
	for (size_t i = 0; company_sizes[i][0] != NULL; i++)
		if (c->size && strcmp(c->size, company_sizes[i][0]) == 0)
			size = company_sizes[i][1];
	fact(b, "Size", size);
	fact(b, "Industry", c->industry ? c->industry : "Not given");
	HTML_LIT(b, "<div><dt>Inclusion</dt><dd>");
	bool any = false;
	for (size_t i = 0; i < sizeof(inclusion) / sizeof(inclusion[0]); i++) {
		if (!inclusion_value(&current, i))
			continue;
		if (!any)
			HTML_LIT(b, "<ul class=\"tags\">");
		any = true;
		HTML_LIT(b, "<li>");
		html_text(b, inclusion[i].label);
		HTML_LIT(b, "</li>");
	}
	if (any)
		HTML_LIT(b, "</ul>");
	else
		HTML_LIT(b, "Nothing stated yet");
	HTML_LIT(b, "</dd></div></dl>");
	if (c->description[0] != '\0') {
		HTML_LIT(b, "<h3>About the company</h3><div class=\"prose\">");
		markdown_render(b, c->description, strlen(c->description));
		HTML_LIT(b, "</div>");
	}
	HTML_LIT(b, "</section>");

	HTML_LIT(b, "<section aria-labelledby=\"h-edit\"><h2 id=\"h-edit\">Edit the profile</h2>");
	ui_error_summary(b, v->profile_errors);
	HTML_LIT(b, "<form method=\"post\" action=\"/company\" class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	profile_fields(b, v->profile_errors, v->values ? v->values : &current);
	HTML_LIT(b, "<button type=\"submit\">Save the profile</button></form></section>");

	HTML_LIT(b, "<section aria-labelledby=\"h-invite\"><h2 id=\"h-invite\">Invite a "
	            "colleague</h2>");
	if (!ctx->auth.email_verified) {
		HTML_LIT(b,
		         "<p>Confirm your email address first: open the link we sent you, or ask "
		         "for a new one on <a href=\"/account\">your account page</a>.</p>");
	} else {
		ui_error_summary(b, v->invite_errors);
		HTML_LIT(b, "<p>We email them a link that works once, for 7 days. They accept it "
		            "with an employer account that uses the same address.</p>"
		            "<form method=\"post\" action=\"/company/invites\" class=\"form\" "
		            "novalidate>");
		ui_csrf(b, ctx);
		ui_input(b, v->invite_errors, "email", "Colleague's email address",
		         &(struct field_opts){
		             .type = "email",
		             .value = v->invite_errors ? query_get(&ctx->form, "email") : NULL,
		             .autocomplete = "off",
		             .required = true});
		HTML_LIT(b, "<button type=\"submit\">Send the invitation</button></form>");
	}
	HTML_LIT(b, "</section><section aria-labelledby=\"h-people\"><h2 id=\"h-people\">People"
	            "</h2><ul>");
	if (companies_members(ctx->db, c->id, member_item, b) != 0)
		HTML_LIT(b, "<li>The list of people could not be loaded.</li>");
	HTML_LIT(b, "</ul></section>");
	layout_end(ctx, &pg);
	resp_send(ctx, v->status ? v->status : 200, "text/html; charset=utf-8", CACHE_NONE);
}

/*
 * The visitor's company: 1 (c filled, free with company_free), 0 none, or
 * answers a database error and returns -1.
 */
static int
my_company(struct rctx *ctx, struct company *c, enum company_role *role)
{
	int64_t id;
	int has = companies_of_user(ctx->db, ctx->auth.user_id, &id, role);
	if (has == 1)
		has = companies_get(ctx->db, id, c) == 1 ? 1 : -1;
	if (has < 0)
		resp_db_error(ctx, "load company");
	return has;
}

static const char *
done_notice(const char *done)
{
	if (done == NULL)
		return NULL;
	if (strcmp(done, "created") == 0)
		return "Your company is created. You can post jobs now.";
	if (strcmp(done, "saved") == 0)
		return "The profile is saved.";
	if (strcmp(done, "invited") == 0)
		return "The invitation is on its way.";
	if (strcmp(done, "joined") == 0)
		return "Welcome: you are now a member of this company.";
	return NULL;
}

void
page_company(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct company c;
	enum company_role role;
	int has = my_company(ctx, &c, &role);
	if (has < 0)
		return;
	if (ctx->req->method != HTTP_METHOD_POST) {
		if (has == 0)
			create_form(ctx, &(struct company_view){.status = 200});
		else
			company_page(ctx, &(struct company_view){.company = &c,
			                                         .notice = done_notice(query_get(
			                                             &ctx->query, "done"))});
		goto out;
	}
	struct company_input in;
	input_from_form(&ctx->form, &in);
	struct field_errors fe = {0};
	struct actor a = actor_of(ctx);
	if (has == 0) {
		int64_t id;
		int rc = companies_create(ctx->db, &a, &in, &fe, &id);
		if (rc < 0)
			resp_db_error(ctx, "create company");
		else if (rc == 1)
			create_form(ctx, &(struct company_view){
			                     .values = &in, .profile_errors = &fe, .status = 422});
		else
			resp_redirect(ctx, 303, rc == 0 ? "/company?done=created" : "/company");
		return;
	}
	int rc = companies_update(ctx->db, &a, c.id, &in, &fe);
	if (rc < 0)
		resp_db_error(ctx, "update company");
	else if (rc == 1)
		company_page(
		    ctx, &(struct company_view){
		             .company = &c, .values = &in, .profile_errors = &fe, .status = 422});
	else
		resp_redirect(ctx, 303, "/company?done=saved");
out:
	if (has == 1)
		company_free(&c);
}

void
page_company_invite(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct company c;
	enum company_role role;
	int has = my_company(ctx, &c, &role);
	if (has < 0)
		return;
	if (has == 0) {
		resp_redirect(ctx, 303, "/company");
		return;
	}
	if (!ctx->auth.email_verified) {
		emp_unverified(ctx);
		goto out;
	}
	struct field_errors fe = {0};
	struct actor a = actor_of(ctx);
	int rc = companies_invite(ctx->db, &a, c.id, query_get(&ctx->form, "email"), &fe, NULL);
	if (rc < 0)
		resp_db_error(ctx, "invite");
	else if (rc == 1)
		company_page(ctx, &(struct company_view){
		                      .company = &c, .invite_errors = &fe, .status = 422});
	else
		resp_redirect(ctx, 303, "/company?done=invited");
out:
	company_free(&c);
}

/* ---- accepting an invitation ---- */

/* The address of this invitation page, for "sign in, then come back". */
static void
invite_path(struct buf *out, const char *token)
{
	buf_puts(out, "/invites/accept?token=");
	html_urlenc(out, token);
}

static void
invite_sign_in(struct rctx *ctx, const char *token, const struct invite_info *info)
{
	struct buf *b = &ctx->body, back = {0};
	struct page pg = {.title = "Join a company on Beacon"};
	invite_path(&back, token);
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Join ");
	html_text(b, info->company_name);
	HTML_LIT(b, " on Beacon</h1><p>This invitation is for <strong>");
	html_text(b, info->email);
	HTML_LIT(
	    b, "</strong>. Sign in with that address to accept it.</p><p><a href=\"/signin?next=");
	html_urlenc(b, buf_cstr(&back));
	HTML_LIT(b, "\">Sign in to accept</a></p><p>No account yet? <a href=\"/signup\">Create an "
	            "employer account</a> with that address and confirm it, then open the "
	            "invitation link again.</p>");
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
	buf_free(&back);
}

static void
invite_offer(struct rctx *ctx, const char *token, const struct invite_info *info)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Join a company on Beacon"};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Join ");
	html_text(b, info->company_name);
	HTML_LIT(b, " on Beacon</h1><p>You were invited to join this company. As a member you "
	            "can post its jobs and look after them with your colleagues. You can belong "
	            "to one company at a time.</p><form method=\"post\" action=\"/invites/accept\" "
	            "class=\"form\">");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<input type=\"hidden\" name=\"token\" value=\"");
	html_attr(b, token);
	HTML_LIT(b, "\"><button type=\"submit\">Join ");
	html_text(b, info->company_name);
	HTML_LIT(b, "</button></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

/* The page for an invitation that cannot be accepted (now, or by this account). */
static void
invite_refused(struct rctx *ctx, enum invite_status st, const struct invite_info *info)
{
	struct buf text = {0};
	switch (st) {
	case INVITE_USED:
		emp_message(
		    ctx, 410, "This invitation was already used",
		    "Each invitation link works once. If you have not joined the company yet, "
		    "ask your colleague to send a new invitation.",
		    "/company", "Go to your company page");
		break;
	case INVITE_EXPIRED:
		emp_message(ctx, 410, "This invitation has expired",
		            "Invitations work for 7 days. Ask your colleague to send a new one.",
		            NULL, NULL);
		break;
	case INVITE_WRONG_EMAIL:
		buf_printf(&text,
		           "This invitation is for %s, but you are signed in as %s. Sign out, "
		           "then sign in with %s to accept it.",
		           info->email, ctx->auth.email, info->email);
		emp_message(ctx, 403, "This invitation is for someone else", buf_cstr(&text), NULL,
		            NULL);
		break;
	case INVITE_WRONG_ROLE:
		buf_printf(&text,
		           "Only employer and recruiter accounts can join a company. You are "
		           "signed in with a %s account.",
		           role_label(ctx->auth.role));
		emp_message(ctx, 403, "This account cannot join a company", buf_cstr(&text), NULL,
		            NULL);
		break;
	case INVITE_UNVERIFIED:
		emp_message(
		    ctx, 403, "Confirm your email address first",
		    "Open the link in the message we sent you when you signed up, then open "
		    "the invitation link again. You can ask for a new confirmation link on "
		    "your account page.",
		    "/account", "Go to your account page");
		break;
	case INVITE_HAS_COMPANY:
		emp_message(
		    ctx, 409, "You already belong to a company",
		    "A person can belong to one company at a time, so this invitation cannot "
		    "be accepted with this account.",
		    "/company", "Go to your company page");
		break;
	default:
		emp_message(ctx, 404, "This invitation link does not work",
		            "The link may have been cut short when it was copied. Open it straight "
		            "from the email, or ask your colleague to send a new invitation.",
		            NULL, NULL);
	}
	buf_free(&text);
}

void
page_invite_accept(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	bool post = ctx->req->method == HTTP_METHOD_POST;
	const char *token = query_get(post ? &ctx->form : &ctx->query, "token");
	bool signed_in = ctx->auth.user_id != 0 && !ctx->auth.mfa_pending;
	struct actor a = actor_of(ctx);
	struct invite_info info;
	enum invite_status st =
	    companies_invite_check(ctx->db, token, signed_in ? &a : NULL, &info);
	if (st == INVITE_ERROR) {
		resp_db_error(ctx, "check invitation");
		return;
	}
	if (st != INVITE_VALID) {
		invite_refused(ctx, st, &info);
		return;
	}
	if (!signed_in) {
		if (post) {
			struct buf loc = {0}, back = {0};
			invite_path(&back, token);
			buf_puts(&loc, "/signin?next=");
			html_urlenc(&loc, buf_cstr(&back));
			resp_redirect(ctx, 303, buf_cstr(&loc));
			buf_free(&loc);
			buf_free(&back);
		} else {
			invite_sign_in(ctx, token, &info);
		}
		return;
	}
	if (!post) {
		invite_offer(ctx, token, &info);
		return;
	}
	int64_t company_id;
	st = companies_invite_accept(ctx->db, token, &a, &company_id);
	if (st == INVITE_ERROR)
		resp_db_error(ctx, "accept invitation");
	else if (st != INVITE_VALID)
		invite_refused(ctx, st, &info);
	else
		resp_redirect(ctx, 303, "/company?done=joined");
}
