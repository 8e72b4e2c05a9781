/*
 * documents.c - the visitor's documents (GET /documents: the list and the
 * upload form; POST /documents: a multipart upload), downloads (GET
 * /documents/{id}) and deleting (POST /documents/{id}/delete: without
 * confirm=yes it answers a page that asks first, with it the document is
 * deleted). The checks and storage live in model/documents.c; the CSRF
 * field of the upload is checked by the dispatcher (routes.c,
 * ROUTE_MULTIPART) before this runs.
 */
#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "core/multipart.h"
#include "model/documents.h"
#include "web/download.h"
#include "web/handlers.h"
#include "web/layout.h"
#include "web/ui.h"

static const char *const kind_options[][2] = {
    {"resume", "Resume"},
    {"cover_letter", "Cover letter"},
    {"portfolio", "Portfolio"},
    {NULL, NULL},
};

/* "12 KB", "1.4 MB". */
static void
size_text(struct buf *b, int64_t n)
{
	char s[32];
	if (n < 1024)
		snprintf(s, sizeof(s), "%lld bytes", (long long)n);
	else if (n < 1024 * 1024)
		snprintf(s, sizeof(s), "%lld KB", (long long)((n + 1023) / 1024));
	else
		snprintf(s, sizeof(s), "%.1f MB", (double)n / (1024.0 * 1024.0));
	html_text(b, s);
}

static const char *
type_label(const char *mime)
{
	if (strcmp(mime, DOCUMENTS_MIME_PDF) == 0)
		return "PDF";
	if (strcmp(mime, DOCUMENTS_MIME_DOCX) == 0)
		return "Word";
	return "Text";
}

static const char *
status_label(const char *status)
{
	if (strcmp(status, "done") == 0)
		return "Text ready";
	if (strcmp(status, "failed") == 0)
		return "No text found";
	return "Reading the text…";
}

struct list_state {
	struct rctx *ctx;
	int n;
};

static void
row(const struct document *d, void *arg)
{
	struct list_state *ls = arg;
	struct buf *b = &ls->ctx->body;
	if (ls->n++ == 0)
		/* The scrolling region is named by the caption: the section around it is "Stored". */
		HTML_LIT(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"docs-caption\" "
		            "tabindex=\"0\"><table class=\"data\"><caption id=\"docs-caption\" "
		            "class=\"visually-hidden\">Your documents</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Kind"
		            "</th><th scope=\"col\">Type and size</th><th scope=\"col\">Uploaded</th>"
		            "<th scope=\"col\">Text for matching</th><th scope=\"col\">"
		            "<span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
	HTML_LIT(b, "<tr><td><a href=\"/documents/");
	html_int(b, d->id);
	HTML_LIT(b, "\">");
	html_text(b, d->filename);
	HTML_LIT(b, "</a></td><td>");
	html_text(b, documents_kind_label(d->kind));
	HTML_LIT(b, "</td><td>");
	html_text(b, type_label(d->mime));
	HTML_LIT(b, ", ");
	size_text(b, d->size);
	HTML_LIT(b, "</td><td>");
	html_textn(b, d->created_at, 10);
	HTML_LIT(b, "</td><td class=\"doc-status\" data-status=\"");
	html_attr(b, d->extract_status);
	HTML_LIT(b, "\">");
	html_text(b, status_label(d->extract_status));
	HTML_LIT(b, "</td><td><form method=\"post\" action=\"/documents/");
	html_int(b, d->id);
	HTML_LIT(b, "/delete\" class=\"inline-form\">");
	ui_csrf(b, ls->ctx);
	HTML_LIT(b, "<button type=\"submit\" class=\"link-button\">Delete<span "
	            "class=\"visually-hidden\"> ");
	html_text(b, d->filename);
	HTML_LIT(b, "</span></button></form></td></tr>");
}

static void
documents_page(struct rctx *ctx, const struct field_errors *fe, const char *kind,
               const char *notice, int status)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Your documents", .nav = "documents", .status = status};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>Your documents</h1>");
	if (notice)
		ui_notice(b, "ok", notice);
	HTML_LIT(b, "<p>Resumes, cover letters and portfolios you can send with your "
	            "applications. Only you can open them, and the employers of jobs you send "
	            "them to.</p><section aria-labelledby=\"h-list\"><h2 id=\"h-list\">Stored"
	            "</h2>");
	struct list_state ls = {ctx, 0};
	if (documents_list(ctx->db, ctx->auth.user_id, row, &ls) != 0) {
		buf_reset(b);
		resp_db_error(ctx, "list documents");
		return;
	}
	if (ls.n == 0)
		HTML_LIT(b, "<p>No documents yet.</p>");
	else
		HTML_LIT(b, "</tbody></table></div>");
	HTML_LIT(b, "</section><section aria-labelledby=\"h-upload\"><h2 id=\"h-upload\">Upload a "
	            "document</h2>");
	ui_error_summary(b, fe);
	HTML_LIT(b, "<form method=\"post\" action=\"/documents\" enctype=\"multipart/form-data\" "
	            "class=\"form\" novalidate>");
	ui_csrf(b, ctx);
	ui_select(b, fe, "kind", "What is it?", kind_options, kind ? kind : "resume", NULL);
	ui_input(b, fe, "file", "File",
	         &(struct field_opts){.type = "file",
	                              .required = true,
	                              .hint = "PDF, Word (.docx) or plain text (UTF-8), up to 5 MB. "
	                                      "We check what the file holds, not its name."});
	HTML_LIT(b, "<button type=\"submit\">Upload</button></form></section>");
	layout_end(ctx, &pg);
	resp_send(ctx, status, "text/html; charset=utf-8", CACHE_NONE);
}

static const char *
done_notice(const char *done)
{
	if (done == NULL)
		return NULL;
	if (strcmp(done, "uploaded") == 0)
		return "The document is stored. Its text is being read for matching.";
	if (strcmp(done, "deleted") == 0)
		return "The document is deleted.";
	return NULL;
}

void
page_documents(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	if (ctx->req->method != HTTP_METHOD_POST) {
		documents_page(ctx, NULL, NULL, done_notice(query_get(&ctx->query, "done")), 200);
		return;
	}
	const char *kind = query_get(&ctx->form, "kind");
	const struct multipart_part *file = ctx->upload ? multipart_get(ctx->upload, "file") : NULL;
	if (file != NULL && file->filename == NULL)
		file = NULL;
	struct field_errors fe = {0};
	int64_t id;
	int rc = documents_create(ctx->db, ctx->auth.user_id, kind, file ? file->filename : NULL,
	                          file ? file->data : NULL, file ? file->len : 0, &fe, &id);
	if (rc < 0) {
		resp_db_error(ctx, "store document");
		return;
	}
	if (rc == 1) {
		bool too_large = file != NULL && file->len > DOCUMENTS_MAX_BYTES;
		documents_page(ctx, &fe, kind, NULL, too_large ? 413 : 422);
		return;
	}
	resp_redirect(ctx, 303, "/documents?done=uploaded");
}

void
page_document(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	struct document d;
	if (download_load(ctx, ctx->id, &d))
		download_send(ctx, &d);
}

/* Deleting cannot be undone: the page that asks first (the Delete button of the list leads here). */
static void
delete_confirm_page(struct rctx *ctx, const struct document *d)
{
	struct buf *b = &ctx->body;
	char title[DOCUMENTS_FILENAME_MAX * 4 + 16];
	snprintf(title, sizeof(title), "Delete %s?", d->filename);
	struct page pg = {.title = title, .nav = "documents", .status = 200};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<p class=\"back\"><a href=\"/documents\">← Your documents</a></p><h1>Delete ");
	html_text(b, d->filename);
	HTML_LIT(b, "?</h1><p>This ");
	html_text(b, documents_kind_label(d->kind));
	HTML_LIT(b, " (");
	html_text(b, type_label(d->mime));
	HTML_LIT(b, ", ");
	size_text(b, d->size);
	HTML_LIT(b, ", uploaded ");
	html_textn(b, d->created_at, 10);
	HTML_LIT(b, ") is deleted for good. Employers you sent it to can no longer open it; "
	            "your applications stay as they are.</p><form method=\"post\" action=\"/documents/");
	html_int(b, d->id);
	HTML_LIT(b, "/delete\" class=\"form\">");
	ui_csrf(b, ctx);
	HTML_LIT(b, "<input type=\"hidden\" name=\"confirm\" value=\"yes\"><p class=\"actions\">"
	            "<button type=\"submit\">Delete ");
	html_text(b, d->filename);
	HTML_LIT(b, "</button> <a href=\"/documents\">Keep it</a></p></form>");
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_NONE);
}

void
page_document_delete(struct rctx *ctx)
{
	if (!req_db(ctx))
		return;
	const char *confirm = query_get(&ctx->form, "confirm");
	if (confirm == NULL || strcmp(confirm, "yes") != 0) {
		struct document d;
		int has = documents_get(ctx->db, ctx->id, &d);
		if (has < 0)
			resp_db_error(ctx, "load document");
		else if (has == 0 || d.user_id != ctx->auth.user_id)
			resp_error(ctx, 404, "not_found", "Not found",
			           "We could not find that document. It may have been deleted.", NULL);
		else
			delete_confirm_page(ctx, &d);
		return;
	}
	int rc = documents_delete(ctx->db, ctx->auth.user_id, ctx->id);
	if (rc < 0)
		resp_db_error(ctx, "delete document");
	else if (rc == 0)
		resp_error(ctx, 404, "not_found", "Not found",
		           "We could not find that document. It may have been deleted.", NULL);
	else
		resp_redirect(ctx, 303, "/documents?done=deleted");
}
