#include "vocab.h"

#include <string.h>

const struct vocab_entry vocab_accommodations[] = {
    {"asl_interpreter", "ASL interpreter provided"},
    {"captioned_meetings", "Captioned meetings"},
    {"cart", "CART real-time captioning"},
    {"text_interviews", "Text-based interviews"},
    {"videophone", "Videophone available"},
    {"visual_alerts", "Visual alerts"},
    {"flexible_schedule", "Flexible schedule"},
    {"remote_option", "Remote work option"},
    {"assistive_technology", "Assistive technology"},
    {"deaf_owned", "Deaf-owned business"},
    {"asl_fluent_staff", "ASL-fluent staff"},
    {"written_instructions", "Written instructions"},
};
const size_t vocab_accommodations_count =
    sizeof(vocab_accommodations) / sizeof(vocab_accommodations[0]);

const struct vocab_entry vocab_employment_types[] = {
    {"FULL_TIME", "Full-time"}, {"PART_TIME", "Part-time"}, {"CONTRACTOR", "Contract"},
    {"TEMPORARY", "Temporary"}, {"INTERN", "Internship"},   {"VOLUNTEER", "Volunteer"},
    {"PER_DIEM", "Per diem"},   {"OTHER", "Other"},
};
const size_t vocab_employment_types_count =
    sizeof(vocab_employment_types) / sizeof(vocab_employment_types[0]);

const struct vocab_entry vocab_levels[] = {
    {"entry", "Entry level"}, {"mid", "Mid level"},      {"senior", "Senior"},
    {"lead", "Lead"},         {"executive", "Executive"},
};
const size_t vocab_levels_count = sizeof(vocab_levels) / sizeof(vocab_levels[0]);

const struct vocab_entry vocab_periods[] = {
    {"HOUR", "per hour"}, {"DAY", "per day"},   {"WEEK", "per week"},
    {"MONTH", "per month"}, {"YEAR", "per year"},
};
const size_t vocab_periods_count = sizeof(vocab_periods) / sizeof(vocab_periods[0]);

/* A person's ways of communicating: bit i of profiles.comm_modes; never renumber. */
const struct vocab_entry vocab_comm_modes[] = {
    {"asl", "ASL"},
    {"written", "Written English / text"},
    {"email", "Email"},
    {"vrs", "VRS / videophone"},
    {"cart", "CART / captioning"},
    {"spoken", "Spoken"},
};
const size_t vocab_comm_modes_count = sizeof(vocab_comm_modes) / sizeof(vocab_comm_modes[0]);

/* A candidate's accommodation needs (codes in the sealed profile data; never renumber). */
const struct vocab_entry vocab_needs[] = {
    {"asl_interpreter", "ASL interpreter"},
    {"cart", "CART / live captions"},
    {"written_questions", "Written questions"},
    {"extra_time", "Extra time"},
    {"video_relay", "Video relay"},
    {"assistive_listening", "Assistive listening"},
    {"visual_alerts", "Visual alerts"},
    {"flexible_schedule", "Flexible schedule"},
    {"remote_work", "Remote work"},
    {"other", "Other (see notes)"},
};
const size_t vocab_needs_count = sizeof(vocab_needs) / sizeof(vocab_needs[0]);

static const double period_factor[] = {2080.0, 260.0, 52.0, 12.0, 1.0};
static const int level_months[] = {0, 24, 60, 96, 120};

int
vocab_find(const struct vocab_entry *table, size_t count, const char *code)
{
	if (code == NULL)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (strcmp(table[i].code, code) == 0)
			return (int)i;
	return -1;
}

const char *
vocab_label(const struct vocab_entry *table, size_t count, const char *code)
{
	int i = vocab_find(table, count, code);
	return i < 0 ? NULL : table[i].label;
}

uint64_t
vocab_accommodation_bit(const char *code)
{
	int i = vocab_find(vocab_accommodations, vocab_accommodations_count, code);
	return i < 0 ? 0 : (uint64_t)1 << i;
}

double
vocab_period_per_year(const char *period)
{
	int i = vocab_find(vocab_periods, vocab_periods_count, period);
	return i < 0 ? 1.0 : period_factor[i];
}

int
vocab_level_months(const char *level)
{
	int i = vocab_find(vocab_levels, vocab_levels_count, level);
	return i < 0 ? 0 : level_months[i];
}

const char *
vocab_level_from_months(double months)
{
	size_t pick = 0;
	for (size_t i = 0; i < vocab_levels_count; i++)
		if (months >= level_months[i])
			pick = i;
	return vocab_levels[pick].code;
}
