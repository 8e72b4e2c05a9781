/*
 * documents.h - uploaded resumes, cover letters and portfolios (table
 * `documents`).
 *
 * What a file is, is decided by its bytes, never by its name: libmagic
 * names the type, then a check per type (documents_check) refuses what
 * could be something else too. Accepted: PDF, DOCX and UTF-8 plain text.
 * Files live in <var_dir>/documents/<2 hex>/<43-character random
 * base64url name>, outside every served folder, written to a temporary
 * file, fsynced, renamed and the folder fsynced, so a crash never leaves a
 * half file under a stored name. The client's file name is only a display
 * name: cleaned (documents_clean_filename) and never used on disk.
 *
 * Text is extracted in the background (task kind "extract_text"): PDF with
 * poppler-glib, DOCX with libzip + libxml2, text as is; bounded in size.
 */
#ifndef BEACON_MODEL_DOCUMENTS_H
#define BEACON_MODEL_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/fielderr.h"
#include "db/db.h"

#define DOCUMENTS_MAX_BYTES (5 * 1024 * 1024) /* largest file; BEACON_BODY_MAX must exceed it */
#define DOCUMENTS_FILENAME_MAX 120            /* characters of a display name */
#define DOCUMENTS_TEXT_MAX (256 * 1024)       /* bytes of extracted text kept */
#define DOCUMENTS_PER_USER_MAX 50             /* documents one account may keep */
#define DOCX_MAX_ENTRIES 1000                 /* entries in a DOCX archive */
#define DOCX_MAX_TOTAL (64 * 1024 * 1024)     /* declared uncompressed bytes of all entries */
#define DOCX_MAX_RATIO 100                    /* uncompressed / compressed size of an entry */
#define DOCX_RATIO_FROM 65536                 /* entries smaller than this skip the ratio check */
#define DOCX_XML_MAX (16 * 1024 * 1024)       /* bytes of word/document.xml read at most */
#define PDF_MAX_PAGES 500                     /* pages whose text is extracted */
/*
 * Limits of the process that extracts PDF and DOCX text (see
 * documents_extract_text): wall-clock time (BEACON_EXTRACT_TIMEOUT_MS
 * overrides it), processor time and address space.
 */
#define EXTRACT_WALL_MS 20000
#define EXTRACT_CPU_SECONDS 10
#define EXTRACT_AS_BYTES (512UL * 1024 * 1024)

#define DOCUMENTS_MIME_PDF "application/pdf"
#define DOCUMENTS_MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define DOCUMENTS_MIME_TEXT "text/plain"

/* Why documents_check refused a file (DOC_OK when it did not). */
enum doc_check {
	DOC_OK = 0,
	DOC_EMPTY,         /* no bytes */
	DOC_TOO_LARGE,     /* over DOCUMENTS_MAX_BYTES */
	DOC_TYPE,          /* not PDF, DOCX or text (executables, images, archives, ...) */
	DOC_PDF_POLYGLOT,  /* a PDF that is also something else (see documents_check) */
	DOC_DOCX_INVALID,  /* a ZIP that is not a readable DOCX */
	DOC_DOCX_BOMB,     /* a ZIP over the entry, size or ratio limits */
	DOC_DOCX_PATH,     /* a ZIP entry with an absolute or ../ name */
	DOC_TEXT_ENCODING, /* text that is not UTF-8, or holds control characters */
};

/* One stored document (not deleted). */
struct document {
	int64_t id;
	int64_t user_id;
	char kind[16];         /* resume, cover_letter, portfolio */
	char filename[DOCUMENTS_FILENAME_MAX * 4 + 1];
	char mime[80];
	int64_t size;
	char sha256[65];       /* hex */
	char storage_name[48];
	char extract_status[8]; /* pending, done, failed */
	char created_at[INSTANT_LEN];
};

/*
 * Parent, before the fork: open libmagic and load its database (it reads
 * /usr/share/misc/magic.mgc at load time only, so workers never open it
 * under the sandbox), remember var_dir, create <var_dir>/documents and
 * register the "extract_text" task. 0, or -1 with err.
 */
int documents_setup(const char *var_dir, char *err, size_t errlen);

/*
 * Decide what len bytes at data are. On DOC_OK *mime is one of the
 * DOCUMENTS_MIME_* strings. The checks, in order:
 *  - size: 1..DOCUMENTS_MAX_BYTES;
 *  - libmagic's MIME type must be application/pdf, a ZIP (DOCX is a ZIP)
 *    or text/plain; everything else (ELF, PE/MZ, scripts, HTML, images) is
 *    DOC_TYPE;
 *  - PDF: "%PDF-" at offset 0; a "%%EOF" marker followed only by
 *    whitespace (nothing appended: no ELF, no second file); no ZIP
 *    end-of-central-directory record ("PK\5\6") in the last 64 KiB + 22
 *    bytes, where ZIP readers look for one (a PDF+ZIP polyglot); no
 *    "\x7fELF" or "MZ" header right after the %%EOF line;
 *  - DOCX: "PK\3\4" at offset 0 and libzip opens it with consistency
 *    checks; at most DOCX_MAX_ENTRIES entries, DOCX_MAX_TOTAL declared
 *    bytes, and entries of DOCX_RATIO_FROM bytes or more compress at most
 *    DOCX_MAX_RATIO : 1; no entry name that starts with '/' or '\\', holds
 *    a backslash, a drive letter or a ".." segment; word/document.xml must
 *    be there;
 *  - text: valid UTF-8 without NUL or control characters other than tab,
 *    line feed and carriage return.
 * Call documents_setup first (libmagic).
 */
enum doc_check documents_check(const void *data, size_t len, const char **mime);
/* A short sentence for a refused file, for the form and the API. */
const char *documents_check_message(enum doc_check c);

/*
 * The display name for a client's file name raw (may be NULL): the part
 * after the last '/' or '\\', invalid UTF-8 and control characters dropped,
 * leading dots and spaces removed, cut to DOCUMENTS_FILENAME_MAX
 * characters (keeping the extension), "document" when nothing is left.
 * out needs DOCUMENTS_FILENAME_MAX * 4 + 1 bytes.
 */
void documents_clean_filename(const char *raw, char *out, size_t outlen);

/* True for resume, cover_letter and portfolio. */
bool documents_kind_ok(const char *kind);
/* "Resume", "Cover letter", "Portfolio". */
const char *documents_kind_label(const char *kind);

/*
 * Store an upload for user_id: check kind and bytes (errors go to fe under
 * "kind" and "file"), write the file, insert the row and queue its text
 * extraction in one transaction. Returns 0 (*id set), 1 refused (fe
 * filled, nothing stored), -1 on a database or disk error (nothing stored).
 */
int documents_create(struct db *db, int64_t user_id, const char *kind, const char *raw_filename,
                     const void *data, size_t len, struct field_errors *fe, int64_t *id);

/* Call fn for each of user_id's documents, newest first. 0 or -1. */
int documents_list(struct db *db, int64_t user_id, void (*fn)(const struct document *, void *),
                   void *arg);

/* Load document id unless deleted: 1 found, 0 none, -1 database error. */
int documents_get(struct db *db, int64_t id, struct document *out);

/*
 * May viewer (user id, one enum role bit) download d? The owner may; an
 * employer or recruiter may when d is the resume or cover letter of an
 * application (not withdrawn) to a job of their company. Nobody else, admins
 * included. 1 yes, 0 no, -1 database error.
 */
int documents_can_read(struct db *db, const struct document *d, int64_t viewer, int role);

/* The extracted text of document id into out ("" while pending). 0, or -1 database error. */
int documents_text(struct db *db, int64_t id, struct buf *out);

/* Read d's stored bytes into out (checked against its size). 0, or -1 (logged). */
int documents_read_file(const struct document *d, struct buf *out);

/*
 * Delete user_id's document id: the row is marked deleted_at (applications
 * keep their reference, which then leads nowhere) and the file unlinked.
 * 1 deleted, 0 no such document of this user, -1 database error.
 */
int documents_delete(struct db *db, int64_t user_id, int64_t id);

/* What documents_extract_text made of a file. */
enum extract_result {
	EXTRACT_OK = 0,          /* text in out */
	EXTRACT_UNREADABLE = -1, /* not readable as its type (a property of the file) */
	EXTRACT_STOPPED = -2,    /* over a time or memory limit, or the parser crashed */
	EXTRACT_SYSTEM = -3,     /* no process could be started (pipe, fork): try later */
};

/*
 * The text of len bytes of type mime (one of DOCUMENTS_MIME_*) into out:
 * valid UTF-8, control characters other than tab and line feed removed, at
 * most DOCUMENTS_TEXT_MAX bytes. PDF and DOCX are parsed in a forked child
 * process that never touches the database or the event loop: it runs under
 * RLIMIT_CPU (EXTRACT_CPU_SECONDS), RLIMIT_AS (EXTRACT_AS_BYTES; not in the
 * sanitizer build, whose shadow memory needs terabytes of address space),
 * no core files and no file writes, sends the text through a pipe (at most
 * DOCUMENTS_TEXT_MAX bytes are read) and ends with _exit. The caller waits
 * at most BEACON_EXTRACT_TIMEOUT_MS (EXTRACT_WALL_MS without a loaded
 * configuration), then kills it with SIGKILL.
 * The text is cleaned again on this side. Plain text is handled in place.
 * Returns an enum extract_result; on failure a one-line reason in err.
 */
int documents_extract_text(const char *mime, const void *data, size_t len, struct buf *out,
                           char *err, size_t errlen);

/* The folder documents are stored in ("<var_dir>/documents"), "" before setup. */
const char *documents_dir(void);

#endif
