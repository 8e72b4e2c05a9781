/*
 * render.h - pieces of job markup shared by several pages.
 */
#ifndef BEACON_WEB_PAGES_RENDER_H
#define BEACON_WEB_PAGES_RENDER_H

#include "core/buf.h"
#include "model/jobs.h"

/* "Austin, TX, US", "Remote (US)", "Austin, TX, US · Remote" as escaped text. */
void render_location(struct buf *b, const struct job *j);
/* An amount as escaped text: "$60,000" in US dollars, "60,000 EUR" otherwise. */
void render_money(struct buf *b, const char *currency, double v);
/* "$60,000–$80,000 per year" as escaped text; nothing when the job has no salary. */
void render_salary(struct buf *b, const struct job *j);
/* A result card: <article> with a heading link, facts and accommodation tags. */
void render_job_card(struct buf *b, const struct job *j, int heading_level);
/* The accommodation tags as a list (nothing when none). */
void render_accommodations(struct buf *b, uint64_t bits);

#endif
