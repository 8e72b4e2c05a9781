/*
 * disclosure.h - when an employer may see a candidate's accommodation needs.
 *
 * The candidate decides on their profile: never, after they apply, or once
 * invited to interview. Every page and API answer that shows needs to an
 * employer asks here; nothing else decrypts them for anyone but the owner.
 */
#ifndef BEACON_MODEL_DISCLOSURE_H
#define BEACON_MODEL_DISCLOSURE_H

#include <stdint.h>

#include "core/buf.h"
#include "db/db.h"

/*
 * The accommodation needs of candidate_id as an employer may see them on an
 * application at stage ("applied", "screening", "interview", "offer",
 * "hired", "rejected", "withdrawn"): 1 and a short plain-text list in out
 * when the candidate's disclosure setting allows it at this stage (and they
 * have needs), 0 when not (out untouched), -1 on error.
 */
int disclosure_accommodations(struct db *db, int64_t candidate_id, const char *stage,
                              struct buf *out);

#endif
