/*
 * ui.c - form building blocks (see ui.h).
 */
#include "web/ui.h"

#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "web/auth.h"

void
ui_error_summary(struct buf *b, const struct field_errors *fe)
{
	if (fe == NULL || fe->n == 0)
		return;
	HTML_LIT(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
	            "aria-labelledby=\"error-summary-title\"><h2 id=\"error-summary-title\">");
	if (fe->n == 1)
		HTML_LIT(b, "Please fix one thing");
	else {
		HTML_LIT(b, "Please fix ");
		html_int(b, fe->n);
		HTML_LIT(b, " things");
	}
	HTML_LIT(b, "</h2><ul>");
	for (int i = 0; i < fe->n; i++) {
		HTML_LIT(b, "<li><a href=\"#f-");
		html_attr(b, fe->e[i].field);
		HTML_LIT(b, "\">");
		html_text(b, fe->e[i].msg);
		HTML_LIT(b, "</a></li>");
	}
	HTML_LIT(b, "</ul></div>");
}

/* Label, hint and error; returns the error so the control can point at it. */
static const char *
field_head(struct buf *b, const struct field_errors *fe, const char *name, const char *label,
           const char *hint, bool required)
{
	const char *err = ferr_get(fe, name);
	HTML_LIT(b, "<div class=\"field");
	if (err)
		HTML_LIT(b, " field-error");
	HTML_LIT(b, "\"><label for=\"f-");
	html_attr(b, name);
	HTML_LIT(b, "\">");
	html_text(b, label);
	if (!required)
		HTML_LIT(b, " <span class=\"optional\">(optional)</span>");
	HTML_LIT(b, "</label>");
	if (hint) {
		HTML_LIT(b, "<p class=\"hint\" id=\"h-");
		html_attr(b, name);
		HTML_LIT(b, "\">");
		html_text(b, hint);
		HTML_LIT(b, "</p>");
	}
	if (err) {
		HTML_LIT(b, "<p class=\"error-text\" id=\"e-");
		html_attr(b, name);
		HTML_LIT(b, "\"><span class=\"visually-hidden\">Error: </span>");
		html_text(b, err);
		HTML_LIT(b, "</p>");
	}
	return err;
}

static void
control_attrs(struct buf *b, const char *name, const char *hint, const char *err, bool required)
{
	HTML_LIT(b, " id=\"f-");
	html_attr(b, name);
	HTML_LIT(b, "\" name=\"");
	html_attr(b, name);
	HTML_LIT(b, "\"");
	if (required)
		HTML_LIT(b, " required");
	if (hint || err) {
		HTML_LIT(b, " aria-describedby=\"");
		if (hint) {
			HTML_LIT(b, "h-");
			html_attr(b, name);
		}
		if (hint && err)
			HTML_LIT(b, " ");
		if (err) {
			HTML_LIT(b, "e-");
			html_attr(b, name);
		}
		HTML_LIT(b, "\"");
	}
	if (err)
		HTML_LIT(b, " aria-invalid=\"true\"");
}

void
ui_input(struct buf *b, const struct field_errors *fe, const char *name, const char *label,
         const struct field_opts *o)
{
	const char *err = field_head(b, fe, name, label, o->hint, o->required || o->unmarked);
	HTML_LIT(b, "<input type=\"");
	html_attr(b, o->type ? o->type : "text");
	HTML_LIT(b, "\"");
	control_attrs(b, name, o->hint, err, o->required);
	if (o->value) {
		HTML_LIT(b, " value=\"");
		html_attr(b, o->value);
		HTML_LIT(b, "\"");
	}
	if (o->autocomplete) {
		HTML_LIT(b, " autocomplete=\"");
		html_attr(b, o->autocomplete);
		HTML_LIT(b, "\"");
	}
	if (o->utc)
		HTML_LIT(b, " data-utc");
	if (o->inputmode) {
		HTML_LIT(b, " inputmode=\"");
		html_attr(b, o->inputmode);
		HTML_LIT(b, "\"");
	}
	if (o->maxlength > 0) {
		HTML_LIT(b, " maxlength=\"");
		html_int(b, o->maxlength);
		HTML_LIT(b, "\"");
	}
	HTML_LIT(b, "></div>");
}

void
ui_textarea(struct buf *b, const struct field_errors *fe, const char *name, const char *label,
            const struct field_opts *o, int rows)
{
	const char *err = field_head(b, fe, name, label, o->hint, o->required || o->unmarked);
	HTML_LIT(b, "<textarea rows=\"");
	html_int(b, rows);
	HTML_LIT(b, "\"");
	control_attrs(b, name, o->hint, err, o->required);
	if (o->maxlength > 0) {
		HTML_LIT(b, " maxlength=\"");
		html_int(b, o->maxlength);
		HTML_LIT(b, "\"");
	}
	HTML_LIT(b, ">");
	if (o->value)
		html_text(b, o->value);
	HTML_LIT(b, "</textarea></div>");
}

void
ui_select(struct buf *b, const struct field_errors *fe, const char *name, const char *label,
          const char *const (*options)[2], const char *selected, const char *hint)
{
	const char *err = field_head(b, fe, name, label, hint, true);
	HTML_LIT(b, "<select");
	control_attrs(b, name, hint, err, false);
	HTML_LIT(b, ">");
	for (size_t i = 0; options[i][0] != NULL; i++) {
		HTML_LIT(b, "<option value=\"");
		html_attr(b, options[i][0]);
		HTML_LIT(b, "\"");
		if (selected && strcmp(selected, options[i][0]) == 0)
			HTML_LIT(b, " selected");
		HTML_LIT(b, ">");
		html_text(b, options[i][1]);
		HTML_LIT(b, "</option>");
	}
	HTML_LIT(b, "</select></div>");
}

void
ui_checkbox(struct buf *b, const char *name, const char *label, bool checked, const char *hint)
{
	HTML_LIT(b, "<div class=\"field check\"><input type=\"checkbox\" value=\"1\"");
	control_attrs(b, name, hint, NULL, false);
	if (checked)
		HTML_LIT(b, " checked");
	HTML_LIT(b, "><label for=\"f-");
	html_attr(b, name);
	HTML_LIT(b, "\">");
	html_text(b, label);
	HTML_LIT(b, "</label>");
	if (hint) {
		HTML_LIT(b, "<p class=\"hint\" id=\"h-");
		html_attr(b, name);
		HTML_LIT(b, "\">");
		html_text(b, hint);
		HTML_LIT(b, "</p>");
	}
	HTML_LIT(b, "</div>");
}

void
ui_csrf(struct buf *b, struct rctx *ctx)
{
	HTML_LIT(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	html_attr(b, auth_csrf(ctx));
	HTML_LIT(b, "\">");
}

void
ui_notice(struct buf *b, const char *kind, const char *text)
{
	HTML_LIT(b, "<div class=\"notice notice-");
	html_attr(b, kind);
	HTML_LIT(b, "\" role=\"status\"><p>");
	html_text(b, text);
	HTML_LIT(b, "</p></div>");
}

void
form_radios(struct buf *b, const struct field_errors *fe, const char *name, const char *legend,
            const char *const (*choices)[2], const char *selected)
{
	const char *err = ferr_get(fe, name);
	HTML_LIT(b, "<fieldset class=\"field radios");
	if (err)
		HTML_LIT(b, " field-error");
	HTML_LIT(b, "\"");
	if (err) {
		HTML_LIT(b, " aria-describedby=\"e-");
		html_attr(b, name);
		HTML_LIT(b, "\"");
	}
	HTML_LIT(b, "><legend>");
	html_text(b, legend);
	HTML_LIT(b, "</legend>");
	if (err) {
		HTML_LIT(b, "<p class=\"error-text\" id=\"e-");
		html_attr(b, name);
		HTML_LIT(b, "\"><span class=\"visually-hidden\">Error: </span>");
		html_text(b, err);
		HTML_LIT(b, "</p>");
	}
	/*
	 * The first radio is "f-NAME", where the error summary's link points: a
	 * link to the fieldset would move focus nowhere, as a fieldset cannot
	 * take focus. The others are "f-NAME-VALUE".
	 */
	for (size_t i = 0; choices[i][0] != NULL; i++) {
		HTML_LIT(b, "<div class=\"check\"><input type=\"radio\" name=\"");
		html_attr(b, name);
		HTML_LIT(b, "\" id=\"f-");
		html_attr(b, name);
		if (i > 0) {
			HTML_LIT(b, "-");
			html_attr(b, choices[i][0]);
		}
		HTML_LIT(b, "\" value=\"");
		html_attr(b, choices[i][0]);
		HTML_LIT(b, "\"");
		if (selected && strcmp(selected, choices[i][0]) == 0)
			HTML_LIT(b, " checked");
		if (err)
			HTML_LIT(b, " aria-invalid=\"true\"");
		HTML_LIT(b, "><label for=\"f-");
		html_attr(b, name);
		if (i > 0) {
			HTML_LIT(b, "-");
			html_attr(b, choices[i][0]);
		}
		HTML_LIT(b, "\">");
		html_text(b, choices[i][1]);
		HTML_LIT(b, "</label></div>");
	}
	HTML_LIT(b, "</fieldset>");
}

static bool
local_path(const char *p)
{
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) > 500)
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x21 || *c == 0x7f || *c == '\\')
			return false;
	return true;
}

const char *
form_next(struct rctx *ctx, const char *fallback)
{
	const char *n = query_get(&ctx->form, "next");
	if (!local_path(n))
		n = query_get(&ctx->query, "next");
	return local_path(n) ? n : fallback;
}

void
form_next_field(struct buf *b, struct rctx *ctx)
{
	const char *n = form_next(ctx, NULL);
	if (n == NULL)
		return;
	HTML_LIT(b, "<input type=\"hidden\" name=\"next\" value=\"");
	html_attr(b, n);
	HTML_LIT(b, "\">");
}

void
form_retry_after(struct rctx *ctx, int seconds)
{
	char v[16];
	snprintf(v, sizeof(v), "%d", seconds > 0 ? seconds : 1);
	http_response_header(ctx->req, "retry-after", v);
}
