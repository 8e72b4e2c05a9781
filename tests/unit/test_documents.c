/*
 * Uploads: the multipart parser, the content checks that decide what a
 * file is (renamed executables, PDF polyglots, ZIP bombs, unsafe entry
 * names, text encodings), display names, and text extraction from a PDF
 * and a DOCX built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/buf.h"
#include "core/multipart.h"
#include "model/documents.h"
#include "harness.h"
#include "suites.h"

/* ---- multipart ---- */

static void
test_boundary(void)
{
	char b[80];
	CHECK(multipart_boundary("multipart/form-data; boundary=abc123", b, sizeof(b)));
	CHECK_STR_EQ(b, "abc123");
	CHECK(multipart_boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"", b,
	                         sizeof(b)));
	CHECK_STR_EQ(b, "a b:c");
	CHECK(!multipart_boundary("application/x-www-form-urlencoded", b, sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data", b, sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data; boundary=", b, sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data; boundary=a<b", b, sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data; boundary=\"open", b, sizeof(b)));
	char long_ct[200];
	snprintf(long_ct, sizeof(long_ct), "multipart/form-data; boundary=%071d", 7);
	CHECK(!multipart_boundary(long_ct, b, sizeof(b)));
	CHECK(!multipart_boundary(NULL, b, sizeof(b)));
}

static int
parse(struct multipart *m, const char *body, size_t len)
{
	char *copy = malloc(len + 1);
	memcpy(copy, body, len);
	return multipart_parse(m, "XyZ", copy, len);
}

#define PARSE(m, lit) parse((m), (lit), sizeof(lit) - 1)

static void
test_multipart_parse(void)
{
	struct multipart m;
	CHECK_INT_EQ(PARSE(&m, "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
	                       "tok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
	                       "filename=\"../a \\\"b\\\".pdf\"\r\nContent-Type: text/html\r\n\r\n"
	                       "a\r\n-XyZ\r\nbinary\0data\r\n--XyZ--\r\n"),
	             0);
	CHECK_INT_EQ(m.n, 2);
	const struct multipart_part *p = multipart_get(&m, "_csrf");
	CHECK(p != NULL && p->filename == NULL && p->len == 3 && memcmp(p->data, "tok", 3) == 0);
	p = multipart_get(&m, "file");
	CHECK(p != NULL);
	CHECK_STR_EQ(p ? p->filename : NULL, "../a \"b\".pdf");
	CHECK_MEM_EQ(p ? p->data : "", p ? p->len : 0, "a\r\n-XyZ\r\nbinary\0data", 20);
	CHECK(multipart_get(&m, "nope") == NULL);
	multipart_free(&m);

	/* A preamble before the first delimiter is skipped; an empty field is kept. */
	CHECK_INT_EQ(PARSE(&m, "preamble\r\n--XyZ\r\ncontent-disposition: form-data; name=k\r\n\r\n"
	                       "\r\n--XyZ--"),
	             0);
	CHECK(m.n == 1 && m.parts[0].len == 0);
	multipart_free(&m);

	/* Malformed: no closing delimiter, no name, not form-data, no headers, no parts. */
	CHECK_INT_EQ(PARSE(&m, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv"), -1);
	multipart_free(&m);
	CHECK_INT_EQ(PARSE(&m, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--"), -1);
	multipart_free(&m);
	CHECK_INT_EQ(PARSE(&m, "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--"),
	             -1);
	multipart_free(&m);
	CHECK_INT_EQ(PARSE(&m, "--XyZ\r\n\r\nv\r\n--XyZ--"), -1);
	multipart_free(&m);
	CHECK_INT_EQ(PARSE(&m, "--XyZ--"), -1);
	multipart_free(&m);
	CHECK_INT_EQ(PARSE(&m, "no delimiter at all"), -1);
	multipart_free(&m);
	CHECK_INT_EQ(PARSE(&m, "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n"
	                       "--XyZ--"),
	             -1);
	multipart_free(&m);

	/* More parts than MULTIPART_MAX_PARTS. */
	struct buf b = {0};
	for (int i = 0; i <= MULTIPART_MAX_PARTS; i++)
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	buf_puts(&b, "--XyZ--\r\n");
	CHECK_INT_EQ(parse(&m, b.data, b.len), -1);
	multipart_free(&m);
	buf_free(&b);
}

/* ---- files built here ---- */

/* A one-page PDF whose page shows text, with a correct cross-reference table. */
static void
make_pdf(struct buf *out, const char *text)
{
	char content[256];
	int clen = snprintf(content, sizeof(content), "BT /F1 24 Tf 72 720 Td (%s) Tj ET", text);
	const char *objs[5];
	char o4[320];
	objs[0] = "<< /Type /Catalog /Pages 2 0 R >>";
	objs[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
	objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
	          "/Resources << /Font << /F1 5 0 R >> >> >>";
	snprintf(o4, sizeof(o4), "<< /Length %d >>\nstream\n%s\nendstream", clen, content);
	objs[3] = o4;
	objs[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
	size_t offs[5];
	buf_reset(out);
	buf_puts(out, "%PDF-1.4\n");
	for (int i = 0; i < 5; i++) {
		offs[i] = out->len;
		buf_printf(out, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	size_t xref = out->len;
	buf_puts(out, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 0; i < 5; i++)
		buf_printf(out, "%010zu 00000 n \n", offs[i]);
	buf_printf(out, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

struct entry {
	const char *name;
	const char *data;
	size_t len;
};

/* A ZIP of the entries (deflated), written by libzip to a temporary file and read back. */
static void
make_zip(struct buf *out, const struct entry *e, int n)
{
	char path[] = "/tmp/beacon-docx-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	int err;
	zip_t *za = zip_open(path, ZIP_TRUNCATE, &err);
	for (int i = 0; za != NULL && i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, e[i].data, e[i].len, 0);
		zip_int64_t idx = zip_file_add(za, e[i].name, s, ZIP_FL_ENC_UTF_8);
		if (idx < 0)
			zip_source_free(s);
		else
			zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
	}
	if (za != NULL)
		zip_close(za);
	buf_reset(out);
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t k;
	while (f != NULL && (k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, k);
	if (f)
		fclose(f);
	unlink(path);
}

static const char docxml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:body><w:p><w:r><w:t>Sam Rivera</w:t></w:r></w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">ASL </w:t></w:r><w:r><w:tab/><w:t>fluent"
    "</w:t></w:r></w:p></w:body></w:document>";
static const char content_types[] =
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";

static void
make_docx(struct buf *out, const char *xml, size_t xml_len, const char *extra_name)
{
	struct entry e[3] = {
	    {"[Content_Types].xml", content_types, sizeof(content_types) - 1},
	    {"word/document.xml", xml, xml_len},
	    {extra_name, "x", 1},
	};
	make_zip(out, e, extra_name ? 3 : 2);
}

static enum doc_check
check(const struct buf *b, const char **mime)
{
	return documents_check(b->data, b->len, mime);
}

static void
test_check_types(void)
{
	const char *mime;
	struct buf b = {0};
	/* A renamed executable: ELF and PE headers. */
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0"
	                          "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	CHECK_INT_EQ(documents_check(elf, sizeof(elf) - 1, &mime), DOC_TYPE);
	CHECK(mime == NULL);
	static const char mz[] = "MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0This program cannot be run "
	                         "in DOS mode.";
	CHECK_INT_EQ(documents_check(mz, sizeof(mz) - 1, &mime), DOC_TYPE);
	CHECK_INT_EQ(documents_check("", 0, &mime), DOC_EMPTY);
	CHECK_INT_EQ(documents_check("x", DOCUMENTS_MAX_BYTES + 1, &mime), DOC_TOO_LARGE);
	static const char html[] = "<!DOCTYPE html><html><script>alert(1)</script></html>";
	CHECK_INT_EQ(documents_check(html, sizeof(html) - 1, &mime), DOC_TYPE);
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
	CHECK_INT_EQ(documents_check(png, sizeof(png) - 1, &mime), DOC_TYPE);

	/* Text: UTF-8 only, no control characters. */
	static const char txt[] = "Sam Rivera\nASL fluent, caf\xc3\xa9 owner.\n";
	CHECK_INT_EQ(documents_check(txt, sizeof(txt) - 1, &mime), DOC_OK);
	CHECK_STR_EQ(mime, DOCUMENTS_MIME_TEXT);
	static const char latin1[] = "Sam Rivera, caf\xe9 owner, na\xefve r\xe9sum\xe9 text here.\n";
	CHECK_INT_EQ(documents_check(latin1, sizeof(latin1) - 1, &mime), DOC_TEXT_ENCODING);

	/* PDF and its polyglots. */
	make_pdf(&b, "Hello Beacon");
	CHECK_INT_EQ(check(&b, &mime), DOC_OK);
	CHECK_STR_EQ(mime, DOCUMENTS_MIME_PDF);
	struct buf pg = {0};
	buf_append(&pg, b.data, b.len);
	buf_append(&pg, elf, sizeof(elf) - 1);
	CHECK_INT_EQ(check(&pg, &mime), DOC_PDF_POLYGLOT); /* an executable appended */
	buf_reset(&pg);
	struct buf zip = {0};
	make_docx(&zip, docxml, sizeof(docxml) - 1, NULL);
	buf_append(&pg, b.data, b.len);
	buf_append(&pg, zip.data, zip.len);
	CHECK_INT_EQ(check(&pg, &mime), DOC_PDF_POLYGLOT); /* a ZIP appended */
	/* A ZIP hidden before the %%EOF: its end record is still where ZIP readers look. */
	buf_reset(&pg);
	buf_append(&pg, b.data, b.len - 6);
	buf_puts(&pg, "% ");
	buf_append(&pg, zip.data, zip.len);
	buf_puts(&pg, "\n%%EOF\n");
	CHECK_INT_EQ(check(&pg, &mime), DOC_PDF_POLYGLOT);
	/* An executable in front: not a PDF at all. */
	buf_reset(&pg);
	buf_append(&pg, elf, sizeof(elf) - 1);
	buf_append(&pg, b.data, b.len);
	CHECK(check(&pg, &mime) != DOC_OK);
	/* No %%EOF. */
	buf_reset(&pg);
	buf_append(&pg, b.data, b.len - 6);
	CHECK_INT_EQ(check(&pg, &mime), DOC_PDF_POLYGLOT);
	buf_free(&pg);
	buf_free(&zip);
	buf_free(&b);
}

static void
test_check_docx(void)
{
	const char *mime;
	struct buf b = {0};
	make_docx(&b, docxml, sizeof(docxml) - 1, NULL);
	CHECK_INT_EQ(check(&b, &mime), DOC_OK);
	CHECK_STR_EQ(mime, DOCUMENTS_MIME_DOCX);

	/* Unsafe entry names. */
	const char *bad[] = {"../evil.sh", "word/../../x", "/etc/passwd", "C:/x", "a\\b"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_docx(&b, docxml, sizeof(docxml) - 1, bad[i]);
		CHECK_INT_EQ(check(&b, &mime), DOC_DOCX_PATH);
	}
	/* A ZIP that is not a DOCX. */
	struct entry plain[] = {{"notes.txt", "hello", 5}};
	make_zip(&b, plain, 1);
	CHECK_INT_EQ(check(&b, &mime), DOC_DOCX_INVALID);

	/* A bomb: 20 MiB of zeros deflate to about 20 KiB (ratio ~1000). */
	size_t big = 20u * 1024 * 1024;
	char *zeros = calloc(1, big);
	make_docx(&b, zeros, big, NULL);
	CHECK(b.len < 1024 * 1024);
	CHECK_INT_EQ(check(&b, &mime), DOC_DOCX_BOMB);
	free(zeros);

	/* Too many entries. */
	struct entry *many = calloc(DOCX_MAX_ENTRIES + 2, sizeof(*many));
	char(*names)[16] = calloc(DOCX_MAX_ENTRIES + 2, 16);
	many[0] = (struct entry){"word/document.xml", docxml, sizeof(docxml) - 1};
	for (int i = 1; i < DOCX_MAX_ENTRIES + 2; i++) {
		snprintf(names[i], 16, "m/%d", i);
		many[i] = (struct entry){names[i], "x", 1};
	}
	make_zip(&b, many, DOCX_MAX_ENTRIES + 2);
	CHECK_INT_EQ(check(&b, &mime), DOC_DOCX_BOMB);
	free(many);
	free(names);

	/* A declared size far beyond the limit (central directory patched to 4 GiB - 1). */
	make_docx(&b, docxml, sizeof(docxml) - 1, NULL);
	for (size_t i = 0; i + 46 <= b.len; i++) {
		if (memcmp(b.data + i, "PK\x01\x02", 4) == 0)
			memset(b.data + i + 24, 0xff, 4); /* uncompressed size */
	}
	CHECK(check(&b, &mime) != DOC_OK);
	buf_free(&b);
}

static void
test_clean_filename(void)
{
	char out[DOCUMENTS_FILENAME_MAX * 4 + 1];
	documents_clean_filename("../../etc/passwd.pdf", out, sizeof(out));
	CHECK_STR_EQ(out, "passwd.pdf");
	documents_clean_filename("C:\\Users\\sam\\cv.docx", out, sizeof(out));
	CHECK_STR_EQ(out, "cv.docx");
	documents_clean_filename("a\r\nb\x01\x7f" "c\xe2\x80\xae.txt", out, sizeof(out));
	CHECK_STR_EQ(out, "abc.txt");
	documents_clean_filename("..", out, sizeof(out));
	CHECK_STR_EQ(out, "document");
	documents_clean_filename(NULL, out, sizeof(out));
	CHECK_STR_EQ(out, "document");
	documents_clean_filename("  .hidden ", out, sizeof(out));
	CHECK_STR_EQ(out, "hidden");
	documents_clean_filename("r\xc3\xa9sum\xc3\xa9 \xff.pdf", out, sizeof(out));
	CHECK_STR_EQ(out, "r\xc3\xa9sum\xc3\xa9 .pdf");
	char longname[400];
	memset(longname, 'a', 300);
	strcpy(longname + 300, ".pdf");
	documents_clean_filename(longname, out, sizeof(out));
	CHECK_INT_EQ(strlen(out), DOCUMENTS_FILENAME_MAX);
	CHECK(strcmp(out + strlen(out) - 4, ".pdf") == 0);
}

static void
test_extract(void)
{
	struct buf b = {0}, t = {0};
	char err[256];
	make_pdf(&b, "Hello Beacon resume");
	CHECK_INT_EQ(documents_extract_text(DOCUMENTS_MIME_PDF, b.data, b.len, &t, err, sizeof(err)),
	             0);
	CHECK(strstr(buf_cstr(&t), "Hello Beacon resume") != NULL);
	buf_reset(&t);
	make_docx(&b, docxml, sizeof(docxml) - 1, NULL);
	CHECK_INT_EQ(documents_extract_text(DOCUMENTS_MIME_DOCX, b.data, b.len, &t, err, sizeof(err)),
	             0);
	CHECK_STR_EQ(buf_cstr(&t), "Sam Rivera\nASL \tfluent\n");
	buf_reset(&t);
	/* Entities are never expanded, DTDs never fetched. */
	static const char xxe[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">"
	    "<!ENTITY a \"aaaaaaaaaa\">]><w:document xmlns:w=\"w\"><w:p><w:t>A&x;&a;B</w:t></w:p>"
	    "</w:document>";
	make_docx(&b, xxe, sizeof(xxe) - 1, NULL);
	CHECK_INT_EQ(documents_extract_text(DOCUMENTS_MIME_DOCX, b.data, b.len, &t, err, sizeof(err)),
	             0);
	CHECK(strstr(buf_cstr(&t), "root:") == NULL);
	CHECK(strstr(buf_cstr(&t), "aaaaaaaaaa") == NULL);
	buf_reset(&t);
	static const char broken[] = "<w:document><w:p><w:t>open";
	make_docx(&b, broken, sizeof(broken) - 1, NULL);
	CHECK_INT_EQ(documents_extract_text(DOCUMENTS_MIME_DOCX, b.data, b.len, &t, err, sizeof(err)),
	             -1);
	buf_reset(&t);
	CHECK_INT_EQ(documents_extract_text(DOCUMENTS_MIME_PDF, "%PDF-1.4 junk", 13, &t, err,
	                                    sizeof(err)),
	             -1);
	buf_reset(&t);
	static const char txt[] = "line one\r\nline\ttwo\x01";
	CHECK_INT_EQ(documents_extract_text(DOCUMENTS_MIME_TEXT, txt, sizeof(txt) - 1, &t, err,
	                                    sizeof(err)),
	             0);
	CHECK_STR_EQ(buf_cstr(&t), "line one\n\nline\ttwo");
	buf_free(&b);
	buf_free(&t);
}

void
test_suite_documents(void)
{
	char dir[] = "/tmp/beacon-docs-XXXXXX", err[256];
	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT_EQ(documents_setup(dir, err, sizeof(err)), 0);
	RUN_TEST(test_boundary);
	RUN_TEST(test_multipart_parse);
	RUN_TEST(test_check_types);
	RUN_TEST(test_check_docx);
	RUN_TEST(test_clean_filename);
	RUN_TEST(test_extract);
	char sub[64];
	snprintf(sub, sizeof(sub), "%s/documents", dir);
	rmdir(sub);
	rmdir(dir);
}
