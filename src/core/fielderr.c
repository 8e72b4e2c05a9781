#include "fielderr.h"

#include <stddef.h>
#include <string.h>

void
ferr_add(struct field_errors *fe, const char *field, const char *msg)
{
	if (fe->n >= FIELD_ERRORS_MAX || ferr_get(fe, field) != NULL)
		return;
	fe->e[fe->n].field = field;
	fe->e[fe->n].msg = msg;
	fe->n++;
}

const char *
ferr_get(const struct field_errors *fe, const char *field)
{
	if (fe == NULL)
		return NULL;
	for (int i = 0; i < fe->n; i++)
		if (strcmp(fe->e[i].field, field) == 0)
			return fe->e[i].msg;
	return NULL;
}
