/*
 * vocab.h - the fixed vocabularies of a job: accommodations offered,
 * employment types (schema.org values), experience levels, salary periods.
 *
 * Codes are stable: they appear in URLs, the API, import files and (for
 * accommodations) as bit positions in the database. Add new entries at the
 * end; never renumber. docs/vocabulary.md lists them for people.
 */
#ifndef BEACON_MODEL_VOCAB_H
#define BEACON_MODEL_VOCAB_H

#include <stddef.h>
#include <stdint.h>

struct vocab_entry {
	const char *code;  /* stable machine code, e.g. "asl_interpreter" */
	const char *label; /* short English label for pages */
};

extern const struct vocab_entry vocab_accommodations[];
extern const size_t vocab_accommodations_count;
extern const struct vocab_entry vocab_employment_types[];
extern const size_t vocab_employment_types_count;
extern const struct vocab_entry vocab_levels[];
extern const size_t vocab_levels_count;
extern const struct vocab_entry vocab_periods[];
extern const size_t vocab_periods_count;
/* Communication modes of a profile (bit i = entry i of profiles.comm_modes). */
extern const struct vocab_entry vocab_comm_modes[];
extern const size_t vocab_comm_modes_count;
/* Accommodation needs a candidate may state (sealed; see model/profiles.h). */
extern const struct vocab_entry vocab_needs[];
extern const size_t vocab_needs_count;

/* Index of code in the table, or -1. Exact, case-sensitive match. */
int vocab_find(const struct vocab_entry *table, size_t count, const char *code);
/* Label for code, or NULL when unknown. */
const char *vocab_label(const struct vocab_entry *table, size_t count, const char *code);

/* Bit for accommodation code, or 0 when unknown. */
uint64_t vocab_accommodation_bit(const char *code);

/* Multiplier that turns an amount per period into an amount per year (YEAR = 1). */
double vocab_period_per_year(const char *period);

/* Months of experience schema.org's experienceRequirements gets for a level. */
int vocab_level_months(const char *level);
/* The level for months of experience. */
const char *vocab_level_from_months(double months);

#endif
