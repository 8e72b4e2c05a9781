/*
 * disclosure.c - when an employer may see a candidate's accommodation needs
 * (see disclosure.h).
 *
 * The rules, by the candidate's setting:
 *   never        never;
 *   after_apply  at every stage of an application, rejected and withdrawn
 *                included (the candidate agreed to tell every employer they
 *                apply to; hiding what was shown would not take it back);
 *   interview    at interview, offer and hired only (rejected cannot tell
 *                whether an interview happened, so it stays closed).
 * An unknown stage discloses nothing.
 */
#include "disclosure.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/seal.h"
#include "model/profiles.h"
#include "model/vocab.h"

static const char *const all_stages[] = {"applied",  "screening", "interview", "offer",
                                         "hired",    "rejected",  "withdrawn", NULL};
static const char *const interview_stages[] = {"interview", "offer", "hired", NULL};

static bool
stage_in(const char *const *list, const char *stage)
{
	return stage != NULL && profiles_code_index(list, stage) >= 0;
}

/* Whether setting allows disclosure at stage. */
static bool
allowed(const char *setting, const char *stage)
{
	if (strcmp(setting, "after_apply") == 0)
		return stage_in(all_stages, stage);
	if (strcmp(setting, "interview") == 0)
		return stage_in(interview_stages, stage);
	return false;
}

int
disclosure_accommodations(struct db *db, int64_t candidate_id, const char *stage,
                          struct buf *out)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT disclosure, accommodations_sealed FROM profiles WHERE user_id = ?");
	struct buf pt = {0};
	char *notes = NULL;
	uint64_t needs = 0;
	int rc = 0;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, candidate_id);
	enum db_step_result r = db_step(st);
	if (r != DB_ROW) {
		db_finalize(st);
		return r == DB_DONE ? 0 : -1;
	}
	const char *setting = db_col_text(st, 0);
	const char *sealed = db_col_text(st, 1);
	if (setting == NULL || sealed == NULL || !allowed(setting, stage))
		goto out;

	char aad[96];
	snprintf(aad, sizeof(aad), "profiles.accommodations_sealed:%lld", (long long)candidate_id);
	if (seal_decrypt(sealed, aad, &pt) != 0 ||
	    profiles_needs_parse(buf_cstr(&pt), &needs, &notes) != 0) {
		rc = -1;
		goto out;
	}
	if (needs == 0 && notes[0] == '\0')
		goto out;
	for (size_t i = 0; i < vocab_needs_count; i++)
		if (needs & ((uint64_t)1 << i)) {
			buf_puts(out, "- ");
			buf_puts(out, vocab_needs[i].label);
			buf_putc(out, '\n');
		}
	if (notes[0] != '\0') {
		buf_puts(out, "Notes: ");
		buf_puts(out, notes);
		buf_putc(out, '\n');
	}
	rc = 1;
out:
	db_finalize(st);
	if (pt.data != NULL)
		sodium_memzero(pt.data, pt.len);
	buf_free(&pt);
	if (notes != NULL) {
		sodium_memzero(notes, strlen(notes));
		free(notes);
	}
	return rc;
}
