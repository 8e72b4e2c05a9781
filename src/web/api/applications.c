/*
 * applications.c - the applications API: applying (POST
 * /api/v1/jobs/{id}/applications), my applications (GET
 * /api/v1/applications), one application (GET /api/v1/applications/{id}),
 * withdrawing, stage changes, notes, the message thread, interviews (POST
 * /api/v1/applications/{id}/...), a job's applicants (GET
 * /api/v1/employer/jobs/{id}/applications) and choosing an interview time
 * (POST /api/v1/interviews/{id}/choose). Documented in docs/api.md and
 * docs/openapi.yaml; the rules live in model/applications.c,
 * model/messages.c and model/interviews.c, shared with the pages.
 *
 * Applications the caller may not see are 404 not_found, whether they
 * exist or not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/json.h"
#include "model/applications.h"
#include "model/disclosure.h"
#include "model/interviews.h"
#include "model/messages.h"
#include "model/postings.h"
#include "web/actor.h"
#include "web/body.h"
#include "web/handlers.h"

static void
send_json(struct rctx *ctx, int status)
{
	resp_send(ctx, status, "application/json", CACHE_NONE);
}

static void
not_found(struct rctx *ctx)
{
	resp_problem(ctx, 404, "not_found", "Not found",
	             "There is no application with this id that you can see.", NULL);
}

/* Answer a result that is not OK. */
static void
app_failed(struct rctx *ctx, enum app_result r, const struct field_errors *fe)
{
	switch (r) {
	case APP_INVALID:
		resp_problem_fields(ctx, fe);
		break;
	case APP_NOT_FOUND:
		not_found(ctx);
		break;
	case APP_DUPLICATE:
		resp_problem(ctx, 409, "already_applied", "Already applied",
		             "You already applied to this job; each person applies once. See GET "
		             "/api/v1/applications.",
		             NULL);
		break;
	case APP_JOB_CLOSED:
		resp_problem(ctx, 409, "job_closed", "Job closed",
		             "This job no longer accepts applications.", NULL);
		break;
	case APP_BAD_TRANSITION:
		resp_problem(ctx, 409, "invalid_transition", "Stage change not allowed",
		             "The application cannot move to that stage from its current stage. "
		             "Allowed: applied -> screening | interview; screening -> interview; "
		             "interview -> offer; offer -> hired; any open stage -> rejected "
		             "(employer) or withdrawn (candidate).",
		             "stage");
		break;
	case APP_FORBIDDEN:
		resp_problem(ctx, 403, "forbidden", "Not allowed",
		             "The other side of the application does this.", NULL);
		break;
	default:
		resp_db_error(ctx, "applications");
	}
}

/* A member that may be an integer id or a decimal string: its text in out, "" when absent. */
static void
id_member(json_t *o, const char *key, char out[24], struct field_errors *fe)
{
	json_t *v = json_object_get(o, key);
	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return;
	if (json_is_integer(v))
		snprintf(out, 24, "%lld", (long long)json_integer_value(v));
	else
		ferr_add(fe, key, "Must be an integer id.");
}

/* The database, then the JSON body: NULL after answering 503, 415 or 400. */
static json_t *
db_and_body(struct rctx *ctx)
{
	return req_db(ctx) ? body_json(ctx) : NULL;
}

static void
row_fields(struct json_writer *w, const struct app_row *r)
{
	jw_kv_int(w, "id", r->id);
	jw_kv_int(w, "job_id", r->job_id);
	jw_kv_str(w, "job_title", r->job_title);
	jw_kv_str(w, "company", r->company);
	jw_kv_int(w, "candidate_id", r->user_id);
	jw_kv_str(w, "candidate_name", r->candidate_name);
	jw_kv_str(w, "stage", app_stage_name(r->stage));
	jw_kv_str(w, "created_at", r->created_at);
	jw_kv_str(w, "updated_at", r->updated_at);
	jw_kv_int(w, "unread_messages", r->unread);
}

static void
row_json(const struct app_row *r, void *arg)
{
	struct json_writer *w = arg;
	jw_obj_begin(w);
	row_fields(w, r);
	jw_obj_end(w);
}

/* The candidate's list also says how many interviews wait for their choice. */
static void
mine_json(const struct app_row *r, void *arg)
{
	struct json_writer *w = arg;
	jw_obj_begin(w);
	row_fields(w, r);
	jw_kv_int(w, "interviews_to_choose", r->to_choose);
	jw_obj_end(w);
}

static void
event_json(const struct app_event *e, void *arg)
{
	struct json_writer *w = arg;
	jw_obj_begin(w);
	jw_kv_str(w, "from", e->from_stage >= 0 ? app_stage_name(e->from_stage) : NULL);
	jw_kv_str(w, "to", app_stage_name(e->to_stage));
	jw_kv_str(w, "by", e->by_candidate ? "candidate" : "employer");
	jw_kv_str(w, "actor_name", e->actor_name);
	jw_kv_str(w, "at", e->at);
	jw_kv_str(w, "note", e->note);
	jw_obj_end(w);
}

static void
note_json(const struct app_note *n, void *arg)
{
	struct json_writer *w = arg;
	jw_obj_begin(w);
	jw_kv_int(w, "id", n->id);
	jw_kv_str(w, "author_name", n->author_name);
	jw_kv_str(w, "created_at", n->created_at);
	jw_kv_str(w, "body", n->body);
	jw_obj_end(w);
}

struct iv_json {
	struct json_writer *w;
	struct db *db;
	int err;
};

static void
interview_json(const struct interview *iv, void *arg)
{
	struct iv_json *s = arg;
	struct json_writer *w = s->w;
	jw_obj_begin(w);
	jw_kv_int(w, "id", iv->id);
	jw_kv_str(w, "format", iv->format);
	jw_kv_str(w, "status", iv->status);
	jw_kv_str(w, "location", iv->location);
	jw_kv_int(w, "duration_minutes", iv->duration_min);
	jw_kv_str(w, "details", iv->details);
	jw_key(w, "slots");
	jw_arr_begin(w);
	const char *chosen = NULL;
	for (size_t i = 0; i < iv->nslots; i++) {
		jw_obj_begin(w);
		jw_kv_int(w, "id", iv->slots[i].id);
		jw_kv_str(w, "starts_at", iv->slots[i].starts_at);
		jw_obj_end(w);
		if (iv->slots[i].id == iv->chosen_slot_id)
			chosen = iv->slots[i].starts_at;
	}
	jw_arr_end(w);
	jw_key(w, "chosen_slot_id");
	if (iv->chosen_slot_id)
		jw_int(w, iv->chosen_slot_id);
	else
		jw_null(w);
	jw_kv_str(w, "starts_at", chosen);
	struct buf needs = {0};
	int has = interviews_accommodation(s->db, iv, &needs);
	if (has < 0)
		s->err = 1;
	jw_kv_str(w, "accommodation", has == 1 ? buf_cstr(&needs) : NULL);
	buf_free(&needs);
	char ics[64];
	snprintf(ics, sizeof(ics), "/interviews/%lld.ics", (long long)iv->id);
	/* Only while confirmed: a cancelled one's file is its cancellation (docs/api.md). */
	jw_kv_str(w, "calendar_url", chosen && strcmp(iv->status, "confirmed") == 0 ? ics : NULL);
	jw_obj_end(w);
}

/* {"data": application} as side sees it; 0 or -1 (nothing sent). */
static int
application_json(struct rctx *ctx, const struct application *app, enum app_side side)
{
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_obj_begin(&w);
	jw_kv_int(&w, "id", app->id);
	jw_kv_int(&w, "job_id", app->job_id);
	jw_kv_str(&w, "job_title", app->job_title);
	jw_kv_int(&w, "candidate_id", app->user_id);
	jw_kv_str(&w, "candidate_name", app->candidate_name);
	jw_kv_str(&w, "stage", app_stage_name(app->stage));
	jw_kv_str(&w, "your_side", side == SIDE_EMPLOYER ? "employer" : "candidate");
	jw_key(&w, "resume_id");
	if (app->resume_id)
		jw_int(&w, app->resume_id);
	else
		jw_null(&w);
	jw_key(&w, "cover_letter_id");
	if (app->cover_letter_id)
		jw_int(&w, app->cover_letter_id);
	else
		jw_null(&w);
	jw_kv_str(&w, "message", app->message);
	jw_kv_str(&w, "created_at", app->created_at);
	jw_kv_str(&w, "updated_at", app->updated_at);
	jw_key(&w, "next_stages");
	jw_arr_begin(&w);
	for (int to = 0; to < STAGE_COUNT; to++)
		if (app_transition_allowed(app->stage, to, side))
			jw_str(&w, app_stage_name(to));
	jw_arr_end(&w);
	int64_t unread = messages_unread(ctx->db, app->id, ctx->auth.user_id);
	if (unread < 0)
		return -1;
	jw_kv_int(&w, "unread_messages", unread);
	jw_key(&w, "events");
	jw_arr_begin(&w);
	if (applications_events(ctx->db, app->id, app->user_id, event_json, &w) != 0)
		return -1;
	jw_arr_end(&w);
	jw_key(&w, "interviews");
	jw_arr_begin(&w);
	struct iv_json ivs = {.w = &w, .db = ctx->db};
	if (interviews_of_application(ctx->db, app->id, interview_json, &ivs) != 0 || ivs.err)
		return -1;
	jw_arr_end(&w);
	if (side == SIDE_EMPLOYER) {
		jw_kv_str(&w, "candidate_email", app->candidate_email);
		struct buf needs = {0};
		int has = disclosure_accommodations(ctx->db, app->user_id, app_stage_name(app->stage),
		                                    &needs);
		if (has < 0)
			return -1;
		/* null: not shared by the candidate at this stage (or none). */
		jw_kv_str(&w, "accommodation_needs", has == 1 ? buf_cstr(&needs) : NULL);
		buf_free(&needs);
		jw_key(&w, "notes");
		jw_arr_begin(&w);
		if (applications_notes(ctx->db, app->id, note_json, &w) != 0)
			return -1;
		jw_arr_end(&w);
	}
	jw_obj_end(&w);
	jw_obj_end(&w);
	return 0;
}

static void
send_application(struct rctx *ctx, int64_t id, int status)
{
	struct actor a = actor_of(ctx);
	struct application app;
	enum app_side side;
	enum app_result r = applications_load(ctx->db, &a, id, &app, &side);
	if (r != APP_OK) {
		app_failed(ctx, r, NULL);
		return;
	}
	if (application_json(ctx, &app, side) != 0)
		resp_db_error(ctx, "application");
	else
		send_json(ctx, status);
	application_free(&app);
}

/* After a change to application ctx->id: it with status when r is APP_OK, else the problem. */
static void
after_change(struct rctx *ctx, enum app_result r, const struct field_errors *fe, int status)
{
	if (r == APP_OK)
		send_application(ctx, ctx->id, status);
	else
		app_failed(ctx, r, fe);
}

void
api_application_create(struct rctx *ctx)
{
	json_t *o = db_and_body(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	char resume[24], cover[24];
	id_member(o, "resume_id", resume, &fe);
	id_member(o, "cover_letter_id", cover, &fe);
	struct app_input in = {.resume_id = resume,
	                       .cover_letter_id = cover,
	                       .message = body_str(o, "message", &fe)};
	int64_t id = 0;
	enum app_result r = APP_INVALID;
	if (fe.n == 0) {
		struct actor a = actor_of(ctx);
		r = applications_apply(ctx->db, &a, ctx->id, &in, &fe, &id);
	}
	if (r == APP_OK) {
		char loc[64];
		snprintf(loc, sizeof(loc), "/api/v1/applications/%lld", (long long)id);
		http_response_header(ctx->req, "location", loc);
		send_application(ctx, id, 201);
	} else if (r == APP_NOT_FOUND) {
		resp_problem(ctx, 404, "not_found", "Not found", "There is no job with this id.", NULL);
	} else {
		app_failed(ctx, r, &fe);
	}
	json_decref(o);
}

void
api_applications_mine(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_arr_begin(&w);
	if (applications_mine(ctx->db, ctx->auth.user_id, mine_json, &w) != 0) {
		resp_db_error(ctx, "my applications");
		return;
	}
	jw_arr_end(&w);
	resp_data_send(ctx, &w, 200);
}

void
api_application_get(struct rctx *ctx)
{
	if (req_db(ctx))
		send_application(ctx, ctx->id, 200);
}

#define JOB_APPS_PER_PAGE 20
#define JOB_APPS_PER_PAGE_MAX 100
#define JOB_APPS_MAX_PAGE 10000

/* links.<key>: page of job_id's list with the same filters. */
static void
job_apps_link(struct json_writer *w, const char *key, int64_t job_id,
              const struct app_job_query *q, int page, int per_page)
{
	struct buf u = {0};
	buf_printf(&u, "%s/api/v1/employer/jobs/%lld/applications?", config_get()->base_url,
	           (long long)job_id);
	if (q->stage >= 0)
		buf_printf(&u, "stage=%s&", app_stage_name(q->stage));
	if (q->unread_only)
		buf_puts(&u, "unread=1&");
	buf_printf(&u, "page=%d&per_page=%d", page, per_page);
	jw_kv_str(w, key, buf_cstr(&u));
	buf_free(&u);
}

void
api_employer_job_applications(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	/* Whose job it is comes first: another company's job is 404 whatever the parameters. */
	struct actor a = actor_of(ctx);
	int may = postings_can_edit(ctx->db, &a, ctx->id);
	if (may != 1) {
		if (may < 0)
			resp_db_error(ctx, "job applications");
		else
			resp_problem(ctx, 404, "not_found", "Not found",
			             "There is no job with this id among your company's jobs.", NULL);
		return;
	}
	int page, per_page;
	if (!req_param_int(ctx, &ctx->query, "page", 1, JOB_APPS_MAX_PAGE, &page) ||
	    !req_param_int(ctx, &ctx->query, "per_page", JOB_APPS_PER_PAGE, JOB_APPS_PER_PAGE_MAX, &per_page))
		return;
	const char *sv = query_get(&ctx->query, "stage");
	int stage = sv && sv[0] ? app_stage_parse(sv) : -1;
	if (sv && sv[0] && stage < 0) {
		resp_problem(ctx, 400, "invalid_parameter", "Invalid parameter",
		             "stage must be one of applied, screening, interview, offer, hired, "
		             "rejected, withdrawn.",
		             "stage");
		return;
	}
	const char *uv = query_get(&ctx->query, "unread");
	struct app_job_query q = {
	    .stage = stage,
	    .unread_only = uv && (strcmp(uv, "1") == 0 || strcmp(uv, "true") == 0),
	    .limit = per_page,
	    .offset = (page - 1) * per_page,
	};
	int64_t counts[STAGE_COUNT];
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_arr_begin(&w);
	if (applications_of_job(ctx->db, ctx->id, &q, ctx->auth.user_id, counts, row_json, &w) !=
	    0) {
		resp_db_error(ctx, "job applications");
		return;
	}
	jw_arr_end(&w);
	int64_t total = 0;
	for (int i = 0; i < STAGE_COUNT; i++)
		total += counts[i];
	int64_t pages = (total + per_page - 1) / per_page;
	jw_key(&w, "meta");
	jw_obj_begin(&w);
	jw_kv_int(&w, "total", total);
	jw_kv_int(&w, "page", page);
	jw_kv_int(&w, "per_page", per_page);
	jw_kv_int(&w, "pages", pages);
	jw_key(&w, "stages");
	jw_obj_begin(&w);
	for (int i = 0; i < STAGE_COUNT; i++)
		jw_kv_int(&w, app_stage_name(i), counts[i]);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_key(&w, "links");
	jw_obj_begin(&w);
	job_apps_link(&w, "self", ctx->id, &q, page, per_page);
	if (page < pages)
		job_apps_link(&w, "next", ctx->id, &q, page + 1, per_page);
	if (page > 1)
		job_apps_link(&w, "prev", ctx->id, &q, page - 1, per_page);
	jw_obj_end(&w);
	resp_data_send(ctx, &w, 200);
}

void
api_application_withdraw(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	struct application app;
	enum app_side side;
	enum app_result r = applications_load(ctx->db, &a, ctx->id, &app, &side);
	if (r == APP_OK) {
		struct field_errors fe = {0};
		r = side == SIDE_CANDIDATE
		        ? applications_move(ctx->db, &a, app.id, STAGE_WITHDRAWN, NULL, &fe)
		        : APP_FORBIDDEN;
		application_free(&app);
	}
	after_change(ctx, r, NULL, 200);
}

void
api_application_stage(struct rctx *ctx)
{
	json_t *o = db_and_body(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	const char *stage = body_str(o, "stage", &fe);
	const char *note = body_str(o, "note", &fe);
	int to = app_stage_parse(stage);
	if (fe.n == 0 && to < 0)
		ferr_add(&fe, "stage",
		         "Must be one of applied, screening, interview, offer, hired, rejected, "
		         "withdrawn.");
	enum app_result r = APP_INVALID;
	if (fe.n == 0) {
		struct actor a = actor_of(ctx);
		r = applications_move(ctx->db, &a, ctx->id, to, note, &fe);
	}
	after_change(ctx, r, &fe, 200);
	json_decref(o);
}

void
api_application_note(struct rctx *ctx)
{
	json_t *o = db_and_body(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	const char *body = body_str(o, "body", &fe);
	enum app_result r = APP_INVALID;
	if (fe.n == 0) {
		struct actor a = actor_of(ctx);
		r = applications_note_add(ctx->db, &a, ctx->id, body, &fe);
	}
	if (r == APP_FORBIDDEN)
		r = APP_NOT_FOUND; /* notes are the employer's: the candidate learns nothing */
	after_change(ctx, r, &fe, 201);
	json_decref(o);
}

static void
message_json(const struct message *m, void *arg)
{
	struct json_writer *w = arg;
	jw_obj_begin(w);
	jw_kv_int(w, "id", m->id);
	jw_kv_str(w, "from", m->from_candidate ? "candidate" : "employer");
	jw_kv_str(w, "sender_name", m->sender_name);
	jw_kv_str(w, "created_at", m->created_at);
	jw_kv_str(w, "body", m->body);
	jw_obj_end(w);
}

/* GET: the thread (and it is read); POST {"body"}: a new message. */
void
api_application_messages(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct actor a = actor_of(ctx);
	struct application app;
	enum app_side side;
	enum app_result r = applications_load(ctx->db, &a, ctx->id, &app, &side);
	if (r != APP_OK) {
		app_failed(ctx, r, NULL);
		return;
	}
	int status = 200;
	if (ctx->req->method == HTTP_METHOD_POST) {
		json_t *o = body_json(ctx);
		if (o == NULL)
			goto out;
		struct field_errors fe = {0};
		const char *body = body_str(o, "body", &fe);
		int64_t id;
		int pr = fe.n ? 1
		              : messages_post(ctx->db, &app, side, a.user_id, a.name, body, &fe, &id);
		json_decref(o);
		if (pr == 1) {
			resp_problem_fields(ctx, &fe);
			goto out;
		}
		if (pr < 0) {
			resp_db_error(ctx, "message");
			goto out;
		}
		status = 201;
	} else if (messages_mark_read(ctx->db, app.id, a.user_id) != 0) {
		resp_db_error(ctx, "messages");
		goto out;
	}
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_arr_begin(&w);
	if (messages_list(ctx->db, &app, message_json, &w) != 0) {
		resp_db_error(ctx, "messages");
		goto out;
	}
	jw_arr_end(&w);
	resp_data_send(ctx, &w, status);
out:
	application_free(&app);
}

void
api_application_interview(struct rctx *ctx)
{
	json_t *o = db_and_body(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	struct interview_input in = {.format = body_str(o, "format", &fe),
	                             .location = body_str(o, "location", &fe),
	                             .details = body_str(o, "details", &fe)};
	char duration[24] = "";
	json_t *d = json_object_get(o, "duration_minutes");
	if (d && json_is_integer(d))
		snprintf(duration, sizeof(duration), "%lld", (long long)json_integer_value(d));
	else if (d && !json_is_null(d))
		ferr_add(&fe, "duration_minutes", "Must be a whole number of minutes.");
	in.duration = duration;
	json_t *slots = json_object_get(o, "slots");
	if (!json_is_array(slots) || json_array_size(slots) == 0)
		ferr_add(&fe, "slots", "Give one to five start times, like \"2026-12-01T14:30:00Z\".");
	else if (json_array_size(slots) > INTERVIEW_SLOTS_MAX)
		ferr_add(&fe, "slots", "Give at most five start times.");
	else
		for (size_t i = 0; i < json_array_size(slots); i++) {
			json_t *s = json_array_get(slots, i);
			if (!json_is_string(s))
				ferr_add(&fe, "slots", "Each start time must be a string.");
			else
				in.slots[i] = json_string_value(s);
		}
	enum app_result r = APP_INVALID;
	int64_t id = 0;
	if (fe.n == 0) {
		struct actor a = actor_of(ctx);
		r = interviews_propose(ctx->db, &a, ctx->id, &in, &fe, &id);
		/* The model names slots slot1..slot5; the API has one array. */
		for (int i = 0; i < fe.n; i++)
			if (strncmp(fe.e[i].field, "slot", 4) == 0)
				fe.e[i].field = "slots";
			else if (strcmp(fe.e[i].field, "duration") == 0)
				fe.e[i].field = "duration_minutes";
	}
	if (r == APP_FORBIDDEN)
		r = APP_NOT_FOUND;
	after_change(ctx, r, &fe, 201);
	json_decref(o);
}

void
api_interview_choose(struct rctx *ctx)
{
	json_t *o = db_and_body(ctx);
	if (o == NULL)
		return;
	struct field_errors fe = {0};
	bool decline = body_bool(o, "decline", false, &fe);
	json_t *s = json_object_get(o, "slot_id");
	int64_t slot = 0;
	if (s && json_is_integer(s) && json_integer_value(s) > 0)
		slot = (int64_t)json_integer_value(s);
	else if (!decline)
		ferr_add(&fe, "slot_id", "Give the id of one of the proposed slots, or decline: true.");
	if (decline && slot)
		ferr_add(&fe, "slot_id", "Give a slot or decline, not both.");
	enum app_result r = APP_INVALID;
	struct actor a = actor_of(ctx);
	if (fe.n == 0)
		r = interviews_choose(ctx->db, &a, ctx->id, decline ? 0 : slot, &fe);
	if (r == APP_OK) {
		struct interview iv;
		struct application app;
		enum app_side side;
		if (interviews_load(ctx->db, &a, ctx->id, &iv, &app, &side) == APP_OK) {
			send_application(ctx, app.id, 200);
			interview_free(&iv);
			application_free(&app);
		} else {
			resp_db_error(ctx, "interview");
		}
	} else if (r == APP_NOT_FOUND) {
		resp_problem(ctx, 404, "not_found", "Not found",
		             "There is no interview with this id that you can see.", NULL);
	} else if (r == APP_BAD_TRANSITION) {
		/* Say which: a cancelled interview's times are gone for good. */
		struct interview iv;
		struct application app;
		enum app_side side;
		bool gone = false;
		if (interviews_load(ctx->db, &a, ctx->id, &iv, &app, &side) == APP_OK) {
			gone = strcmp(iv.status, "cancelled") == 0;
			interview_free(&iv);
			application_free(&app);
		}
		resp_problem(ctx, 409, "interview_not_open", "Interview not open",
		             gone ? "This interview was declined or cancelled (its application was "
		                    "withdrawn or rejected), so none of its times can be chosen."
		                  : "A time was already chosen for this interview, or its application "
		                    "is closed.",
		             NULL);
	} else {
		app_failed(ctx, r, &fe);
	}
	json_decref(o);
}
