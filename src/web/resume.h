/*
 * resume.h - JSON Resume 1.0 import shared by the API (POST
 * /api/v1/profile/resume) and the profile page's paste form (POST
 * /profile/import); implemented in api/profile.c.
 */
#ifndef BEACON_WEB_RESUME_H
#define BEACON_WEB_RESUME_H

#include <jansson.h>

#include "core/fielderr.h"
#include "db/db.h"
#include "model/profiles.h"

/*
 * Apply the JSON Resume document doc to p: work, education and skills
 * replace p's; basics.label, basics.summary, links and the first place
 * replace p's when present; every other field of p stays. Wrong types go
 * into fe by JSON path ("work[0].startDate"); unknown members are ignored.
 */
void resume_apply(json_t *doc, struct profile *p, struct field_errors *fe);

/*
 * Save p (after resume_apply) as user_id's profile: 0, -1, or 1 with fe
 * holding every problem by JSON Resume path.
 */
int resume_save(struct db *db, int64_t user_id, struct profile *p, struct field_errors *fe);

#endif
