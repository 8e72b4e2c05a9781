/*
 * ui.h - form building blocks shared by every page with a form: labelled
 * fields whose errors are tied to them (aria-describedby, aria-invalid), an
 * error summary that links to each field, the CSRF field, notices.
 */
#ifndef BEACON_WEB_UI_H
#define BEACON_WEB_UI_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/fielderr.h"
#include "web/req.h"

/*
 * A box listing every error with a link to its field, focused on load by
 * beacon.js and announced (role="alert"). Writes nothing when fe is empty.
 */
void ui_error_summary(struct buf *b, const struct field_errors *fe);

/* Optional parts of a field. */
struct field_opts {
	const char *type;         /* input type, default "text" */
	const char *value;        /* current value (escaped), may be NULL */
	const char *autocomplete; /* e.g. "email", "new-password" */
	const char *hint;         /* help text under the label */
	bool required;
	/*
	 * Not required, but no "(optional)" after the label: a search filter, or
	 * a field needed only in some cases (the hint says which).
	 */
	bool unmarked;
	/*
	 * A date and time taken as UTC: data-utc, so static/beacon.js says under
	 * the field what it is in the reader's own time.
	 */
	bool utc;
	const char *inputmode;    /* e.g. "numeric" */
	int maxlength;            /* 0 = none */
};

/* <label>, hint, error and <input> with id "f-<name>". */
void ui_input(struct buf *b, const struct field_errors *fe, const char *name, const char *label,
              const struct field_opts *o);
/* The same for a <textarea> with rows rows. */
void ui_textarea(struct buf *b, const struct field_errors *fe, const char *name,
                 const char *label, const struct field_opts *o, int rows);
/* A <select>; options are pairs {value, label} ending with {NULL, NULL}. */
void ui_select(struct buf *b, const struct field_errors *fe, const char *name, const char *label,
               const char *const (*options)[2], const char *selected, const char *hint);
/* A single checkbox with its label after it. */
void ui_checkbox(struct buf *b, const char *name, const char *label, bool checked,
                 const char *hint);

/* The hidden CSRF field every POST form carries. */
void ui_csrf(struct buf *b, struct rctx *ctx);

/* A status notice (role="status"); kind is "ok" or "info". */
void ui_notice(struct buf *b, const char *kind, const char *text);

/* A radio group in a fieldset; choices are pairs {value, label} ending with {NULL, NULL}. */
void form_radios(struct buf *b, const struct field_errors *fe, const char *name,
                 const char *legend, const char *const (*choices)[2], const char *selected);

/*
 * Where to go after a form: the "next" form field or query parameter when it
 * is a path on this site ("/..." but not "//" or "/\"), else fallback.
 * Never an absolute URL, so it cannot be used to send people elsewhere.
 */
const char *form_next(struct rctx *ctx, const char *fallback);
/* A hidden "next" field carrying form_next's value on, when there is one. */
void form_next_field(struct buf *b, struct rctx *ctx);
/* Retry-After: seconds header for 429 answers. */
void form_retry_after(struct rctx *ctx, int seconds);

#endif
