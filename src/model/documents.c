/*
 * documents.c - uploads: content checks, storage, access, text extraction.
 * See documents.h.
 */
#include "model/documents.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libxml/xmlreader.h>
#include <magic.h>
#include <poll.h>
#include <poppler.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "model/tasks.h"
#include "model/users.h"

#define EOCD_WINDOW (65535 + 22) /* a ZIP comment plus the end record */

static magic_t magic_cookie;
static char store_dir[1024];

const char *
documents_dir(void)
{
	return store_dir;
}

static enum task_result extract_task(struct db *db, const struct task *task, char *err,
                                     size_t errlen);

/* libxml2 would print parser errors to stderr; the reason is in our own error. */
static void
xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * Poppler keeps its global parameters only while some document is open
 * (poppler-glib counts them), and building them lists its data folders
 * (/usr/share/poppler: encodings, CMaps) with getdents64, which the worker
 * sandbox does not allow. So the parent opens one tiny PDF before the fork
 * and never closes it: the parameters are built once and every worker
 * inherits them.
 */
static PopplerDocument *poppler_keep;

static void
poppler_warm_up(void)
{
	static const char pdf[] =
	    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
	    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
	    "trailer<</Root 1 0 R>>\n%%EOF\n";
	if (poppler_keep != NULL)
		return;
	GBytes *bytes = g_bytes_new_static(pdf, sizeof(pdf) - 1);
	poppler_keep = poppler_document_new_from_bytes(bytes, NULL, NULL);
	g_bytes_unref(bytes);
}

int
documents_setup(const char *var_dir, char *err, size_t errlen)
{
	if (magic_cookie == NULL) {
		magic_cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS |
		                          MAGIC_NO_CHECK_ELF);
		if (magic_cookie == NULL || magic_load(magic_cookie, NULL) != 0) {
			snprintf(err, errlen, "libmagic: cannot load its database: %s",
			         magic_cookie ? magic_error(magic_cookie) : "out of memory");
			return -1;
		}
	}
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	xmlInitParser();
	poppler_warm_up();
	snprintf(store_dir, sizeof(store_dir), "%s/documents", var_dir);
	if (mkdir(store_dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "BEACON_VAR_DIR: cannot create %s: %s", store_dir,
		         strerror(errno));
		return -1;
	}
	if (tasks_handler("extract_text") == NULL && tasks_register("extract_text", extract_task) != 0) {
		snprintf(err, errlen, "cannot register the extract_text task");
		return -1;
	}
	return 0;
}

/* ---- content checks ---- */

static const void *
find_last(const char *hay, size_t n, const char *needle, size_t m)
{
	if (n < m)
		return NULL;
	for (size_t i = n - m + 1; i-- > 0;)
		if (memcmp(hay + i, needle, m) == 0)
			return hay + i;
	return NULL;
}

static enum doc_check
pdf_check(const char *d, size_t len)
{
	if (len < 5 || memcmp(d, "%PDF-", 5) != 0)
		return DOC_PDF_POLYGLOT;
	size_t from = len > EOCD_WINDOW ? len - EOCD_WINDOW : 0;
	if (memmem(d + from, len - from, "PK\x05\x06", 4) != NULL)
		return DOC_PDF_POLYGLOT;
	const char *eof = find_last(d, len, "%%EOF", 5);
	if (eof == NULL)
		return DOC_PDF_POLYGLOT;
	for (const char *p = eof + 5; p < d + len; p++)
		if (*p != '\r' && *p != '\n' && *p != ' ' && *p != '\t' && *p != '\0')
			return DOC_PDF_POLYGLOT;
	return DOC_OK;
}

/* An entry name a careless unzip could write outside its folder. */
static bool
zip_name_bad(const char *name)
{
	if (name[0] == '\0' || name[0] == '/' || name[0] == '\\' || strchr(name, '\\') != NULL)
		return true;
	if (((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')) &&
	    name[1] == ':')
		return true;
	for (const char *seg = name; seg != NULL;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return true;
		seg = slash ? slash + 1 : NULL;
	}
	return false;
}

/* Open len bytes as a ZIP archive (read-only, consistency checked); NULL when it is not one. */
static zip_t *
zip_from_memory(const void *data, size_t len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL) {
		zip_error_fini(&ze);
		return NULL;
	}
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (za == NULL)
		zip_source_free(src);
	zip_error_fini(&ze);
	return za;
}

static enum doc_check
docx_check(const void *data, size_t len)
{
	if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0)
		return DOC_DOCX_INVALID;
	zip_t *za = zip_from_memory(data, len);
	if (za == NULL)
		return DOC_DOCX_INVALID;
	enum doc_check rc = DOC_OK;
	bool has_document = false;
	zip_int64_t n = zip_get_num_entries(za, 0);
	if (n < 0 || n > DOCX_MAX_ENTRIES) {
		rc = n < 0 ? DOC_DOCX_INVALID : DOC_DOCX_BOMB;
		goto out;
	}
	uint64_t total = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
		    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
			rc = DOC_DOCX_INVALID;
			goto out;
		}
		if (zip_name_bad(st.name)) {
			rc = DOC_DOCX_PATH;
			goto out;
		}
		if (st.size > DOCX_MAX_TOTAL || (total += st.size) > DOCX_MAX_TOTAL) {
			rc = DOC_DOCX_BOMB;
			goto out;
		}
		if (st.size >= DOCX_RATIO_FROM &&
		    (st.comp_size == 0 || st.size / st.comp_size > DOCX_MAX_RATIO)) {
			rc = DOC_DOCX_BOMB;
			goto out;
		}
		if (strcmp(st.name, "word/document.xml") == 0)
			has_document = true;
	}
	if (!has_document)
		rc = DOC_DOCX_INVALID;
out:
	zip_discard(za);
	return rc;
}

static enum doc_check
text_check(const char *d, size_t len)
{
	if (memchr(d, '\0', len) != NULL || !utf8_valid(d, len) || utf8_has_control(d, len))
		return DOC_TEXT_ENCODING;
	return DOC_OK;
}

enum doc_check
documents_check(const void *data, size_t len, const char **mime)
{
	*mime = NULL;
	if (len == 0)
		return DOC_EMPTY;
	if (len > DOCUMENTS_MAX_BYTES)
		return DOC_TOO_LARGE;
	if (magic_cookie == NULL)
		return DOC_TYPE;
	const char *m = magic_buffer(magic_cookie, data, len);
	if (m == NULL)
		return DOC_TYPE;
	enum doc_check rc;
	if (strcmp(m, "application/pdf") == 0) {
		rc = pdf_check(data, len);
		*mime = DOCUMENTS_MIME_PDF;
	} else if (strcmp(m, "application/zip") == 0 || strcmp(m, DOCUMENTS_MIME_DOCX) == 0) {
		rc = docx_check(data, len);
		*mime = DOCUMENTS_MIME_DOCX;
	} else if (strcmp(m, "text/plain") == 0) {
		rc = text_check(data, len);
		*mime = DOCUMENTS_MIME_TEXT;
	} else {
		rc = DOC_TYPE;
	}
	if (rc != DOC_OK)
		*mime = NULL;
	return rc;
}

const char *
documents_check_message(enum doc_check c)
{
	switch (c) {
	case DOC_OK:
		return "";
	case DOC_EMPTY:
		return "Choose a file to upload: this one is empty.";
	case DOC_TOO_LARGE:
		return "The file is larger than 5 MB. Save a smaller version and try again.";
	case DOC_TYPE:
		return "This is not a PDF, Word (.docx) or plain text file. Those are the types we "
		       "accept, whatever the file name says.";
	case DOC_PDF_POLYGLOT:
		return "This PDF holds something besides the document (data after its end, or a "
		       "second file inside). Save it again from your PDF viewer and upload that "
		       "copy.";
	case DOC_DOCX_INVALID:
		return "This Word file could not be read. Save it again as .docx and try again.";
	case DOC_DOCX_BOMB:
		return "This Word file unpacks to far more data than a document needs, so we "
		       "refused it.";
	case DOC_DOCX_PATH:
		return "This Word file holds entries with unsafe names, so we refused it.";
	case DOC_TEXT_ENCODING:
		return "This text file is not in UTF-8 or holds control characters. Save it as "
		       "UTF-8 text and try again.";
	}
	return "This file cannot be accepted.";
}

/* ---- names ---- */

void
documents_clean_filename(const char *raw, char *out, size_t outlen)
{
	const char *base = raw ? raw : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	/* Keep well-formed characters that are not control characters. */
	struct buf b = {0};
	size_t n = strlen(base);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(base + i, n - i, &cp);
		if (k == 1 && cp == 0xFFFD) {
			i++; /* invalid UTF-8 */
			continue;
		}
		bool control = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
		               cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
		               (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
		if (!control && !(b.len == 0 && (cp == '.' || cp == ' ')))
			buf_append(&b, base + i, k);
		i += k;
	}
	while (b.len > 0 && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '.'))
		b.len--;
	const char *s = b.len ? buf_cstr(&b) : "document";
	size_t len = b.len ? b.len : strlen("document");
	size_t chars = utf8_count(s, len);
	if (chars > DOCUMENTS_FILENAME_MAX) {
		/* Keep the extension (up to 10 bytes after the last dot) and cut the stem. */
		const char *dot = strrchr(s, '.');
		size_t ext = dot && (size_t)(s + len - dot) <= 10 ? (size_t)(s + len - dot) : 0;
		size_t keep_chars = DOCUMENTS_FILENAME_MAX - utf8_count(s + len - ext, ext);
		size_t stem = 0, counted = 0;
		while (stem < len - ext && counted < keep_chars) {
			uint32_t cp;
			size_t k = utf8_decode(s + stem, len - ext - stem, &cp);
			stem += k ? k : 1;
			counted++;
		}
		snprintf(out, outlen, "%.*s%.*s", (int)stem, s, (int)ext, s + len - ext);
	} else {
		snprintf(out, outlen, "%.*s", (int)len, s);
	}
	buf_free(&b);
}

static const char *const kinds[][2] = {
    {"resume", "Resume"},
    {"cover_letter", "Cover letter"},
    {"portfolio", "Portfolio"},
};

bool
documents_kind_ok(const char *kind)
{
	for (size_t i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			return true;
	return false;
}

const char *
documents_kind_label(const char *kind)
{
	for (size_t i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			return kinds[i][1];
	return "Document";
}

/* ---- storage ---- */

static void
file_path(const char *storage_name, char *out, size_t n, char *folder, size_t fn)
{
	/* storage_name is "<2 hex>/<43 base64url>" */
	snprintf(out, n, "%s/%s", store_dir, storage_name);
	if (folder != NULL)
		snprintf(folder, fn, "%s/%.2s", store_dir, storage_name);
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
fsync_dir(const char *folder)
{
	int dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

/*
 * Write data under a new random name: temporary file, fsync, rename, fsync
 * of the folder. name gets "<2 hex>/<name>". 0, or -1 (logged, nothing left).
 */
static int
store_file(const void *data, size_t len, char name[48])
{
	unsigned char rnd[33];
	randombytes_buf(rnd, sizeof(rnd));
	char b64[64];
	sodium_bin2base64(b64, sizeof(b64), rnd, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(name, 48, "%02x/%.43s", rnd[32], b64);
	char path[1200], folder[1100], tmp[1300];
	file_path(name, path, sizeof(path), folder, sizeof(folder));
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", folder, b64);
	if (mkdir(folder, 0700) != 0 && errno != EEXIST) {
		log_error("documents: cannot create %s: %s", folder, strerror(errno));
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("documents: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		log_error("documents: cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		log_error("documents: cannot store %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	fsync_dir(folder);
	return 0;
}

static void
remove_file(const char *storage_name)
{
	char path[1200], folder[1100];
	file_path(storage_name, path, sizeof(path), folder, sizeof(folder));
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("documents: cannot remove %s: %s", path, strerror(errno));
	else
		fsync_dir(folder);
}

static int
count_documents(struct db *db, int64_t user_id, int64_t *n)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT COUNT(*) FROM documents WHERE user_id = ? AND deleted_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		*n = db_col_int(st, 0);
	db_finalize(st);
	return r == DB_ROW ? 0 : -1;
}

int
documents_create(struct db *db, int64_t user_id, const char *kind, const char *raw_filename,
                 const void *data, size_t len, struct field_errors *fe, int64_t *id)
{
	if (!documents_kind_ok(kind))
		ferr_add(fe, "kind", "Choose what this document is: resume, cover letter or portfolio.");
	const char *mime = NULL;
	enum doc_check c = data == NULL ? DOC_EMPTY : documents_check(data, len, &mime);
	if (c != DOC_OK)
		ferr_add(fe, "file", documents_check_message(c));
	if (fe->n > 0)
		return 1;
	int64_t have = 0;
	if (count_documents(db, user_id, &have) != 0)
		return -1;
	if (have >= DOCUMENTS_PER_USER_MAX) {
		ferr_add(fe, "file", "You keep 50 documents already. Delete one you no longer need "
		                     "first.");
		return 1;
	}
	char filename[DOCUMENTS_FILENAME_MAX * 4 + 1];
	documents_clean_filename(raw_filename, filename, sizeof(filename));
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, data, len);
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	char name[48];
	if (store_file(data, len, name) != 0)
		return -1;
	char now[INSTANT_LEN];
	instant_now(now);
	bool own_tx = !db_in_transaction(db);
	if (own_tx && db_begin_write(db) != 0)
		goto fail;
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO documents (user_id, kind, filename, mime, size, sha256, storage_name, "
	        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (st == NULL)
		goto fail_tx;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, filename);
	db_bind_text(st, 4, mime);
	db_bind_int(st, 5, (int64_t)len);
	db_bind_text(st, 6, hex);
	db_bind_text(st, 7, name);
	db_bind_text(st, 8, now);
	if (db_step(st) != DB_ROW) {
		db_finalize(st);
		goto fail_tx;
	}
	*id = db_col_int(st, 0);
	db_finalize(st);
	char payload[24];
	snprintf(payload, sizeof(payload), "%" PRId64, *id);
	if (tasks_enqueue(db, "extract_text", payload, NULL) < 0)
		goto fail_tx;
	if (own_tx && db_commit(db) != 0)
		goto fail_tx;
	return 0;
fail_tx:
	log_error("documents: cannot record an upload: %s", db_errmsg(db));
	if (own_tx)
		db_rollback(db);
fail:
	remove_file(name);
	return -1;
}

#define DOC_COLS                                                                                  \
	"id, user_id, kind, filename, mime, size, sha256, storage_name, extract_status, created_at"

static void
doc_from_row(struct db_stmt *st, struct document *d)
{
	memset(d, 0, sizeof(*d));
	d->id = db_col_int(st, 0);
	d->user_id = db_col_int(st, 1);
	snprintf(d->kind, sizeof(d->kind), "%s", db_col_text(st, 2));
	snprintf(d->filename, sizeof(d->filename), "%s", db_col_text(st, 3));
	snprintf(d->mime, sizeof(d->mime), "%s", db_col_text(st, 4));
	d->size = db_col_int(st, 5);
	snprintf(d->sha256, sizeof(d->sha256), "%s", db_col_text(st, 6));
	snprintf(d->storage_name, sizeof(d->storage_name), "%s", db_col_text(st, 7));
	snprintf(d->extract_status, sizeof(d->extract_status), "%s", db_col_text(st, 8));
	snprintf(d->created_at, sizeof(d->created_at), "%s", db_col_text(st, 9));
}

int
documents_list(struct db *db, int64_t user_id, void (*fn)(const struct document *, void *),
               void *arg)
{
	struct db_stmt *st = db_prepare(db, "SELECT " DOC_COLS " FROM documents WHERE user_id = ? "
	                                    "AND deleted_at IS NULL ORDER BY id DESC");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	enum db_step_result r;
	struct document d;
	while ((r = db_step(st)) == DB_ROW) {
		doc_from_row(st, &d);
		fn(&d, arg);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

int
documents_get(struct db *db, int64_t id, struct document *out)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " DOC_COLS " FROM documents WHERE id = ? AND deleted_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		doc_from_row(st, out);
	db_finalize(st);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int
documents_can_read(struct db *db, const struct document *d, int64_t viewer, int role)
{
	if (viewer != 0 && viewer == d->user_id)
		return 1;
	if (role != ROLE_EMPLOYER && role != ROLE_RECRUITER)
		return 0;
	struct db_stmt *st = db_prepare(
	    db, "SELECT 1 FROM applications a JOIN jobs j ON j.id = a.job_id "
	        "JOIN company_members m ON m.company_id = j.company_id "
	        "WHERE (a.resume_id = ? OR a.cover_letter_id = ?) AND a.user_id = ? "
	        "AND a.stage <> 'withdrawn' AND m.user_id = ? LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, d->id);
	db_bind_int(st, 2, d->id);
	db_bind_int(st, 3, d->user_id);
	db_bind_int(st, 4, viewer);
	enum db_step_result r = db_step(st);
	db_finalize(st);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int
documents_text(struct db *db, int64_t id, struct buf *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT text FROM documents WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	enum db_step_result r = db_step(st);
	if (r == DB_ROW)
		buf_puts(out, db_col_text(st, 0));
	db_finalize(st);
	return r == DB_ERROR ? -1 : 0;
}

int
documents_read_file(const struct document *d, struct buf *out)
{
	char path[1200];
	file_path(d->storage_name, path, sizeof(path), NULL, 0);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("documents: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	buf_reserve(out, (size_t)d->size + 1);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && out->len <= (size_t)d->size)
		buf_append(out, chunk, (size_t)n);
	close(fd);
	if (n < 0 || out->len != (size_t)d->size) {
		log_error("documents: %s is not the size recorded", path);
		return -1;
	}
	return 0;
}

int
documents_delete(struct db *db, int64_t user_id, int64_t id)
{
	struct document d;
	int has = documents_get(db, id, &d);
	if (has <= 0)
		return has;
	if (d.user_id != user_id)
		return 0;
	char now[INSTANT_LEN];
	instant_now(now);
	struct db_stmt *st = db_prepare(db, "UPDATE documents SET deleted_at = ?, text = '' "
	                                    "WHERE id = ? AND user_id = ? AND deleted_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, user_id);
	int64_t n = db_run(st);
	if (n < 0)
		return -1;
	if (n == 1)
		remove_file(d.storage_name);
	return n == 1 ? 1 : 0;
}

/* ---- text extraction ---- */

/* Append n bytes of s to out as clean text (see documents_extract_text), up to the limit. */
static void
text_append(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n && out->len < DOCUMENTS_TEXT_MAX;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (k == 1 && cp == 0xFFFD) {
			i++; /* invalid UTF-8 */
			continue;
		}
		if (cp == '\r' || cp == '\f' || cp == 0x0b)
			cp = '\n', k = 1;
		bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp < 0xa0);
		if (!control && out->len + k <= DOCUMENTS_TEXT_MAX)
			buf_append(out, cp == '\n' ? "\n" : s + i, cp == '\n' ? 1 : k);
		i += (s[i] == '\r' || s[i] == '\f' || s[i] == 0x0b) ? 1 : k;
	}
}

static int
pdf_text(const void *data, size_t len, struct buf *out, char *err, size_t errlen)
{
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (doc == NULL) {
		snprintf(err, errlen, "PDF: %s", gerr ? gerr->message : "cannot be read");
		if (gerr)
			g_error_free(gerr);
		g_bytes_unref(bytes);
		return -1;
	}
	int pages = poppler_document_get_n_pages(doc);
	for (int i = 0; i < pages && i < PDF_MAX_PAGES && out->len < DOCUMENTS_TEXT_MAX; i++) {
		PopplerPage *pg = poppler_document_get_page(doc, i);
		if (pg == NULL)
			continue;
		char *t = poppler_page_get_text(pg);
		if (t != NULL) {
			if (out->len > 0)
				text_append(out, "\n", 1);
			text_append(out, t, strlen(t));
			g_free(t);
		}
		g_object_unref(pg);
	}
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return 0;
}

/* The text of word/document.xml: w:t runs, w:tab as tab, w:br and the end of w:p as lines. */
static int
docx_xml_text(const char *xml, size_t len, struct buf *out, char *err, size_t errlen)
{
	/* No network, no DTD loading, no entity substitution (references stay unexpanded). */
	xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, "document.xml", NULL,
	                                        XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                            XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (r == NULL) {
		snprintf(err, errlen, "DOCX: the document part cannot be parsed");
		return -1;
	}
	int in_text = 0, rc;
	while ((rc = xmlTextReaderRead(r)) == 1 && out->len < DOCUMENTS_TEXT_MAX) {
		int type = xmlTextReaderNodeType(r);
		const char *name = (const char *)xmlTextReaderConstName(r);
		if (name == NULL)
			continue;
		if (type == XML_READER_TYPE_ELEMENT) {
			if (strcmp(name, "w:t") == 0 && !xmlTextReaderIsEmptyElement(r))
				in_text = 1;
			else if (strcmp(name, "w:tab") == 0)
				text_append(out, "\t", 1);
			else if (strcmp(name, "w:br") == 0 || strcmp(name, "w:cr") == 0)
				text_append(out, "\n", 1);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(name, "w:t") == 0)
				in_text = 0;
			else if (strcmp(name, "w:p") == 0)
				text_append(out, "\n", 1);
		} else if (in_text && (type == XML_READER_TYPE_TEXT ||
		                       type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		                       type == XML_READER_TYPE_WHITESPACE)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (v != NULL)
				text_append(out, v, strlen(v));
		}
	}
	xmlFreeTextReader(r);
	if (rc < 0) {
		snprintf(err, errlen, "DOCX: the document part is not well-formed XML");
		return -1;
	}
	return 0;
}

static int
docx_text(const void *data, size_t len, struct buf *out, char *err, size_t errlen)
{
	zip_t *za = zip_from_memory(data, len);
	if (za == NULL) {
		snprintf(err, errlen, "DOCX: not a ZIP archive");
		return -1;
	}
	int rc = -1;
	struct buf xml = {0};
	zip_file_t *zf = zip_fopen(za, "word/document.xml", 0);
	if (zf == NULL) {
		snprintf(err, errlen, "DOCX: no word/document.xml");
		goto out;
	}
	char chunk[65536];
	zip_int64_t n;
	/* Never trust the declared size: read at most DOCX_XML_MAX bytes. */
	while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
		if (xml.len + (size_t)n > DOCX_XML_MAX) {
			snprintf(err, errlen, "DOCX: word/document.xml is over %d bytes", DOCX_XML_MAX);
			zip_fclose(zf);
			goto out;
		}
		buf_append(&xml, chunk, (size_t)n);
	}
	zip_fclose(zf);
	if (n < 0) {
		snprintf(err, errlen, "DOCX: word/document.xml cannot be unpacked");
		goto out;
	}
	rc = docx_xml_text(xml.data ? xml.data : "", xml.len, out, err, errlen);
out:
	buf_free(&xml);
	zip_discard(za);
	return rc;
}

/* The parsers themselves, in whatever process calls them. */
static int
extract_here(const char *mime, const void *data, size_t len, struct buf *out, char *err,
             size_t errlen)
{
	int rc;
	if (strcmp(mime, DOCUMENTS_MIME_PDF) == 0)
		rc = pdf_text(data, len, out, err, errlen);
	else if (strcmp(mime, DOCUMENTS_MIME_DOCX) == 0)
		rc = docx_text(data, len, out, err, errlen);
	else if (strcmp(mime, DOCUMENTS_MIME_TEXT) == 0)
		rc = (text_append(out, data, len), 0);
	else
		rc = (snprintf(err, errlen, "unknown type %s", mime), -1);
	return rc;
}

/*
 * The sanitizer runtime maps terabytes of shadow memory, so an address-space
 * limit would stop the child before it parses anything; that build relies on
 * the time limits alone.
 */
#if defined(__SANITIZE_ADDRESS__)
#define EXTRACT_LIMIT_AS 0
#else
#define EXTRACT_LIMIT_AS 1
#endif

/*
 * Lower a limit to soft/hard; never raise one (an operator's lower limit,
 * e.g. systemd's LimitCPU=, stays, and lowering needs no privilege). True
 * when it held.
 */
static bool
limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit now;
	if (getrlimit(resource, &now) != 0)
		return false;
	if (now.rlim_max != RLIM_INFINITY && hard > now.rlim_max)
		hard = now.rlim_max;
	if (now.rlim_cur != RLIM_INFINITY && soft > now.rlim_cur)
		soft = now.rlim_cur;
	if (soft > hard)
		soft = hard;
	struct rlimit rl = {.rlim_cur = soft, .rlim_max = hard};
	return setrlimit(resource, &rl) == 0;
}

/*
 * What the child leaves behind of the worker before it parses anything:
 * every descriptor but its pipe and the standard ones (the database
 * connection, listening and client sockets, the event queue), Kore's signal
 * handlers (a stop signal to the whole group ends it) and the blocked set.
 * SIGXFSZ is ignored: with RLIMIT_FSIZE 0 a library's warning on a stderr
 * that is a log file would otherwise kill the child.
 */
static void
child_shed(int keep)
{
	if ((keep > 3 && close_range(3, (unsigned)keep - 1, 0) != 0) ||
	    close_range((unsigned)keep + 1, ~0U, 0) != 0) {
		/* A kernel before 5.9: one by one. */
		long max = sysconf(_SC_OPEN_MAX);
		for (long fd = 3; fd < (max > 0 ? max : 1024); fd++)
			if (fd != keep)
				close((int)fd);
	}
	const int stops[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD, SIGPIPE};
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		signal(stops[i], SIG_DFL);
	signal(SIGPIPE, SIG_IGN); /* a parent gone: write fails, the child exits 3 */
	signal(SIGXFSZ, SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * The child: limits first, then parse, write one status byte ('T' text
 * follows, 'E' a reason follows) and the bytes, and _exit without running
 * any atexit handler or touching the inherited database connection, sockets
 * or event loop. Never returns.
 */
static _Noreturn void
extract_child(int fd, const char *mime, const void *data, size_t len)
{
	struct buf out = {0};
	char why[256] = "";
	child_shed(fd);
	/* The hard CPU limit one second later kills a child that ignores SIGXCPU. */
	bool limited = limit(RLIMIT_CPU, EXTRACT_CPU_SECONDS, EXTRACT_CPU_SECONDS + 1) &&
	               limit(RLIMIT_CORE, 0, 0) && limit(RLIMIT_FSIZE, 0, 0) &&
	               (!EXTRACT_LIMIT_AS || limit(RLIMIT_AS, EXTRACT_AS_BYTES, EXTRACT_AS_BYTES));
	/* No processes of its own (not enforced for root; Kore runs workers as another user). */
	limit(RLIMIT_NPROC, 0, 0);
	int rc = -1;
	if (!limited)
		snprintf(why, sizeof(why), "cannot set the process limits: %s", strerror(errno));
	else
		rc = extract_here(mime, data, len, &out, why, sizeof(why));
	const char *p = rc == 0 ? out.data : why;
	size_t n = rc == 0 ? out.len : strlen(why);
	char tag = rc == 0 ? 'T' : 'E';
	if (write_all(fd, &tag, 1) != 0 || (n > 0 && write_all(fd, p, n) != 0))
		_exit(3);
	_exit(rc == 0 ? 0 : 2);
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* A reason from the child: printable ASCII only, kept short. */
static void
child_reason(const char *p, size_t n, char *err, size_t errlen)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < errlen; i++)
		err[k++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
	err[k] = '\0';
	if (k == 0)
		snprintf(err, errlen, "cannot be read");
}

/*
 * Run the parser for mime in a child process under the limits described in
 * documents.h. Reads at most 1 + DOCUMENTS_TEXT_MAX bytes from it; more is
 * a broken child (killed). Returns an enum extract_result.
 */
static int
extract_isolated(const char *mime, const void *data, size_t len, struct buf *out, int timeout_ms,
                 char *err, size_t errlen)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
		return EXTRACT_SYSTEM;
	}
	/*
	 * Kore's worker keeps only the last signal it received: the child's
	 * SIGCHLD would overwrite a SIGTERM that arrives meanwhile and the
	 * worker would never stop. The default action (ignore, still
	 * collectable by waitpid) holds until the child is collected.
	 */
	struct sigaction dfl = {.sa_handler = SIG_DFL}, kore_chld;
	sigemptyset(&dfl.sa_mask);
	if (sigaction(SIGCHLD, &dfl, &kore_chld) != 0) {
		snprintf(err, errlen, "cannot set SIGCHLD: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return EXTRACT_SYSTEM;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start the extraction process: %s", strerror(errno));
		sigaction(SIGCHLD, &kore_chld, NULL);
		close(fds[0]);
		close(fds[1]);
		return EXTRACT_SYSTEM;
	}
	if (pid == 0) {
		close(fds[0]);
		extract_child(fds[1], mime, data, len);
	}
	close(fds[1]);
	struct buf got = {0};
	const size_t cap = 1 + DOCUMENTS_TEXT_MAX;
	const double deadline = now_ms() + timeout_ms;
	bool timed_out = false, too_much = false, read_failed = false;
	char chunk[65536];
	for (;;) {
		double left = deadline - now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		int pr = poll(&pfd, 1, (int)left + 1);
		if (pr < 0 && errno == EINTR)
			continue; /* SIGCHLD, among others */
		if (pr < 0) {
			read_failed = true;
			break;
		}
		if (pr == 0)
			continue; /* the loop head sees the deadline */
		ssize_t n = read(fds[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			read_failed = true;
			break;
		}
		if (n == 0)
			break;
		if (got.len + (size_t)n > cap) {
			too_much = true;
			break;
		}
		buf_append(&got, chunk, (size_t)n);
	}
	close(fds[0]);
	/* Past the deadline or misbehaving: stop it. After a clean end it is exiting anyway. */
	if (timed_out || too_much || read_failed)
		kill(pid, SIGKILL);
	int status = 0;
	pid_t w;
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	sigaction(SIGCHLD, &kore_chld, NULL);
	int rc;
	if (timed_out) {
		snprintf(err, errlen, "stopped after %d ms (BEACON_EXTRACT_TIMEOUT_MS)", timeout_ms);
		rc = EXTRACT_STOPPED;
	} else if (too_much || read_failed) {
		snprintf(err, errlen, "the extraction process %s", too_much ? "sent more than the text "
		                                                               "limit"
		                                                             : "could not be read");
		rc = EXTRACT_STOPPED;
	} else if (w < 0) {
		snprintf(err, errlen, "cannot collect the extraction process: %s", strerror(errno));
		rc = EXTRACT_STOPPED;
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (sig == SIGXCPU || sig == SIGKILL)
			snprintf(err, errlen, "stopped after %d s of processor time", EXTRACT_CPU_SECONDS);
		else if (sig == SIGSYS)
			/* Worded like Kore's own message so tests and operators notice it. */
			snprintf(err, errlen, "the extraction process died from sandbox violation (a "
			                      "system call missing from the filter in src/web/app.c)");
		else
			snprintf(err, errlen, "the extraction process crashed or ran out of memory "
			                      "(signal %d, %s)", sig, strsignal(sig));
		rc = EXTRACT_STOPPED;
	} else if (got.len > 0 && got.data[0] == 'E') {
		child_reason(got.data + 1, got.len - 1, err, errlen);
		rc = EXTRACT_UNREADABLE;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && got.len > 0 &&
	           got.data[0] == 'T') {
		/* Cleaned again: the child parsed hostile bytes and is trusted no further. */
		text_append(out, got.data + 1, got.len - 1);
		rc = EXTRACT_OK;
	} else {
		snprintf(err, errlen, "the extraction process failed (exit status %d)",
		         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		rc = EXTRACT_STOPPED;
	}
	buf_free(&got);
	return rc;
}

int
documents_extract_text(const char *mime, const void *data, size_t len, struct buf *out,
                       char *err, size_t errlen)
{
	int rc;
	if (strcmp(mime, DOCUMENTS_MIME_PDF) == 0 || strcmp(mime, DOCUMENTS_MIME_DOCX) == 0) {
		const struct config *cfg = config_get();
		int timeout = cfg && cfg->extract_timeout_ms > 0 ? cfg->extract_timeout_ms
		                                                 : EXTRACT_WALL_MS;
		rc = extract_isolated(mime, data, len, out, timeout, err, errlen);
	} else {
		rc = extract_here(mime, data, len, out, err, errlen) == 0 ? EXTRACT_OK
		                                                          : EXTRACT_UNREADABLE;
	}
	if (rc == EXTRACT_OK && out->data == NULL)
		buf_append(out, "", 0);
	return rc;
}

static int
set_text(struct db *db, int64_t id, const char *status, const char *text)
{
	struct db_stmt *st = db_prepare(db, "UPDATE documents SET extract_status = ?, text = ? "
	                                    "WHERE id = ? AND deleted_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, text);
	db_bind_int(st, 3, id);
	return db_run(st) < 0 ? -1 : 0;
}

/*
 * The "extract_text" task: payload is the document id. A deleted document
 * is done at once; a file that cannot be read as its type is marked
 * 'failed' (a property of the file, so no retry); one that stopped its
 * extraction process (time, memory, crash) is marked 'failed' too and the
 * task gives up at once, so it shows among the failed tasks and never runs
 * again; a database error, or no process to extract with, retries.
 */
static enum task_result
extract_task(struct db *db, const struct task *task, char *err, size_t errlen)
{
	char *end;
	long long id = strtoll(task->payload, &end, 10);
	if (end == task->payload || *end != '\0' || id <= 0) {
		snprintf(err, errlen, "bad payload");
		return TASK_GIVE_UP;
	}
	struct document d;
	int has = documents_get(db, id, &d);
	if (has < 0) {
		snprintf(err, errlen, "database: %s", db_errmsg(db));
		return TASK_RETRY;
	}
	if (has == 0)
		return TASK_DONE;
	struct buf file = {0}, text = {0};
	char why[256] = "";
	enum task_result res = TASK_DONE;
	if (documents_read_file(&d, &file) != 0) {
		snprintf(err, errlen, "document %lld: stored file unreadable", id);
		res = TASK_RETRY;
		goto out;
	}
	int rc = documents_extract_text(d.mime, file.data, file.len, &text, why, sizeof(why));
	if (rc == EXTRACT_SYSTEM) {
		snprintf(err, errlen, "document %lld: %s", id, why);
		res = TASK_RETRY;
		goto out;
	}
	if (set_text(db, id, rc == EXTRACT_OK ? "done" : "failed",
	             rc == EXTRACT_OK ? buf_cstr(&text) : "") != 0) {
		snprintf(err, errlen, "database: %s", db_errmsg(db));
		res = TASK_RETRY;
		goto out;
	}
	if (rc == EXTRACT_STOPPED) {
		log_warn("documents: text extraction of document %lld stopped: %s", id, why);
		snprintf(err, errlen, "document %lld: text extraction stopped: %s", id, why);
		res = TASK_GIVE_UP;
	} else if (rc != EXTRACT_OK) {
		log_warn("documents: no text from document %lld: %s", id, why);
	}
out:
	buf_free(&file);
	buf_free(&text);
	return res;
}
