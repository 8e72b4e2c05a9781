/*
 * documents.c - the documents API: GET /api/v1/documents (the caller's
 * documents), POST /api/v1/documents (multipart/form-data with "kind" and
 * "file"), GET /api/v1/documents/{id} (download), GET
 * /api/v1/documents/{id}/text (the extracted text), DELETE
 * /api/v1/documents/{id}. Documented in docs/api.md and docs/openapi.yaml;
 * the rules live in model/documents.c, shared with the pages.
 */
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/multipart.h"
#include "model/documents.h"
#include "web/body.h"
#include "web/download.h"
#include "web/handlers.h"

static void
doc_json(struct json_writer *w, const struct document *d)
{
	char url[64];
	snprintf(url, sizeof(url), "/api/v1/documents/%lld", (long long)d->id);
	jw_obj_begin(w);
	jw_kv_int(w, "id", d->id);
	jw_kv_str(w, "kind", d->kind);
	jw_kv_str(w, "filename", d->filename);
	jw_kv_str(w, "mime", d->mime);
	jw_kv_int(w, "size", d->size);
	jw_kv_str(w, "sha256", d->sha256);
	jw_kv_str(w, "extract_status", d->extract_status);
	jw_kv_str(w, "created_at", d->created_at);
	jw_kv_str(w, "url", url);
	jw_obj_end(w);
}

static void
list_item(const struct document *d, void *arg)
{
	doc_json(arg, d);
}

static void
upload(struct rctx *ctx)
{
	const char *kind = query_get(&ctx->form, "kind");
	const struct multipart_part *file = ctx->upload ? multipart_get(ctx->upload, "file") : NULL;
	if (file != NULL && file->filename == NULL)
		file = NULL;
	if (file != NULL && file->len > DOCUMENTS_MAX_BYTES) {
		resp_problem(ctx, 413, "document_too_large", "Document too large",
		             documents_check_message(DOC_TOO_LARGE), "file");
		return;
	}
	struct field_errors fe = {0};
	int64_t id;
	int rc = documents_create(ctx->db, ctx->auth.user_id, kind, file ? file->filename : NULL,
	                          file ? file->data : NULL, file ? file->len : 0, &fe, &id);
	if (rc < 0) {
		resp_db_error(ctx, "store document");
		return;
	}
	if (rc == 1) {
		resp_problem_fields(ctx, &fe);
		return;
	}
	struct document d;
	if (documents_get(ctx->db, id, &d) != 1) {
		resp_db_error(ctx, "load document");
		return;
	}
	struct json_writer w;
	resp_data_begin(ctx, &w);
	doc_json(&w, &d);
	char url[64];
	snprintf(url, sizeof(url), "/api/v1/documents/%lld", (long long)id);
	http_response_header(ctx->req, "location", url);
	resp_data_send(ctx, &w, 201);
}

void
api_documents(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	if (ctx->req->method == HTTP_METHOD_POST) {
		upload(ctx);
		return;
	}
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_arr_begin(&w);
	if (documents_list(ctx->db, ctx->auth.user_id, list_item, &w) != 0) {
		buf_reset(&ctx->body);
		resp_db_error(ctx, "list documents");
		return;
	}
	jw_arr_end(&w);
	resp_data_send(ctx, &w, 200);
}

void
api_document(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	if (ctx->req->method == HTTP_METHOD_DELETE) {
		int rc = documents_delete(ctx->db, ctx->auth.user_id, ctx->id);
		if (rc < 0) {
			resp_db_error(ctx, "delete document");
		} else if (rc == 0) {
			resp_problem(ctx, 404, "not_found", "Not found", "No such document.", NULL);
		} else {
			buf_reset(&ctx->body);
			resp_send(ctx, 204, "application/json", CACHE_NONE);
		}
		return;
	}
	struct document d;
	if (download_load(ctx, ctx->id, &d))
		download_send(ctx, &d);
}

void
api_document_text(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct document d;
	if (!download_load(ctx, ctx->id, &d))
		return;
	struct buf text = {0};
	if (documents_text(ctx->db, d.id, &text) != 0) {
		buf_free(&text);
		resp_db_error(ctx, "document text");
		return;
	}
	struct json_writer w;
	resp_data_begin(ctx, &w);
	jw_obj_begin(&w);
	jw_kv_int(&w, "id", d.id);
	jw_kv_str(&w, "extract_status", d.extract_status);
	jw_kv_str(&w, "text", buf_cstr(&text));
	jw_obj_end(&w);
	buf_free(&text);
	ctx->personal = true;
	resp_data_send(ctx, &w, 200);
}
