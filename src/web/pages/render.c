/*
 * render.c - job markup shared by the search results, home page and job page.
 */
#include "web/pages/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "model/vocab.h"

void
render_location(struct buf *b, const struct job *j)
{
	const char *parts[] = {j->city, j->region, j->country};
	int n = 0;
	for (int i = 0; i < 3; i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if (n++)
			HTML_LIT(b, ", ");
		html_text(b, parts[i]);
	}
	if (j->remote) {
		if (n)
			HTML_LIT(b, " · ");
		HTML_LIT(b, "Remote");
		if (j->applicant_country) {
			HTML_LIT(b, " (");
			html_text(b, j->applicant_country);
			HTML_LIT(b, ")");
		}
	}
}

/* 60000 -> "60,000" */
static void
amount(struct buf *b, double v)
{
	char digits[32], out[48];
	snprintf(digits, sizeof(digits), "%.0f", floor(v + 0.5));
	size_t n = strlen(digits), k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	html_text(b, out);
}

void
render_money(struct buf *b, const char *currency, double v)
{
	if (currency && strcmp(currency, "USD") == 0) {
		HTML_LIT(b, "$");
		amount(b, v);
	} else {
		amount(b, v);
		HTML_LIT(b, " ");
		html_text(b, currency);
	}
}

void
render_salary(struct buf *b, const struct job *j)
{
	if (!j->has_salary)
		return;
	render_money(b, j->salary_currency, j->salary_min);
	if (j->salary_max > j->salary_min) {
		HTML_LIT(b, "–");
		render_money(b, j->salary_currency, j->salary_max);
	}
	HTML_LIT(b, " ");
	html_text(b, vocab_label(vocab_periods, vocab_periods_count, j->salary_period));
}

void
render_accommodations(struct buf *b, uint64_t bits)
{
	if (bits == 0)
		return;
	HTML_LIT(b, "<ul class=\"tags\" aria-label=\"Accommodations offered\">");
	for (size_t i = 0; i < vocab_accommodations_count; i++) {
		if (!(bits & ((uint64_t)1 << i)))
			continue;
		HTML_LIT(b, "<li>");
		html_text(b, vocab_accommodations[i].label);
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul>");
}

void
render_job_card(struct buf *b, const struct job *j, int heading_level)
{
	char h[4];
	snprintf(h, sizeof(h), "h%d", heading_level < 2 || heading_level > 6 ? 3 : heading_level);
	HTML_LIT(b, "<article class=\"card\"><");
	html_text(b, h);
	HTML_LIT(b, " class=\"card-title\"><a href=\"/jobs/");
	html_int(b, j->id);
	HTML_LIT(b, "\">");
	html_text(b, j->title);
	HTML_LIT(b, "</a></");
	html_text(b, h);
	HTML_LIT(b, "><p class=\"company\">");
	html_text(b, j->company);
	HTML_LIT(b, "</p><ul class=\"facts\"><li>");
	render_location(b, j);
	HTML_LIT(b, "</li><li>");
	html_text(b, vocab_label(vocab_employment_types, vocab_employment_types_count,
	                         j->employment_type));
	HTML_LIT(b, "</li><li>");
	html_text(b, vocab_label(vocab_levels, vocab_levels_count, j->experience_level));
	HTML_LIT(b, "</li>");
	if (j->has_salary) {
		HTML_LIT(b, "<li>");
		render_salary(b, j);
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "<li>Posted <time datetime=\"");
	html_attr(b, j->date_posted);
	HTML_LIT(b, "\">");
	html_text(b, j->date_posted);
	HTML_LIT(b, "</time></li></ul>");
	render_accommodations(b, j->accommodations);
	HTML_LIT(b, "</article>");
}
