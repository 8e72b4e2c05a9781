/*
 * fielderr.h - validation messages by field name, gathered by the model
 * and shown next to each field by the pages (web/ui.h) or listed in an API
 * problem ("errors": [{"field", "message"}]).
 */
#ifndef BEACON_CORE_FIELDERR_H
#define BEACON_CORE_FIELDERR_H

#define FIELD_ERRORS_MAX 24

/* Messages are string literals or outlive the response. */
struct field_errors {
	int n;
	struct {
		const char *field;
		const char *msg;
	} e[FIELD_ERRORS_MAX];
};

/* Add a message for field unless it already has one (the first problem is the one to fix). */
void ferr_add(struct field_errors *fe, const char *field, const char *msg);
/* The message for field, or NULL. */
const char *ferr_get(const struct field_errors *fe, const char *field);

#endif
