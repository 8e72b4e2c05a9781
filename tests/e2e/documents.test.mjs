// Documents end to end: uploads from the page (multipart, CSRF field checked
// before anything is stored) and the API (bearer token); the type decided by
// content (a renamed executable, PDF polyglots, a ZIP bomb disguised as
// DOCX, unsafe entry names, non-UTF-8 text all refused with a field error and
// nothing written to the storage folder); a path-traversal file name kept
// only as a clean display name; oversized bodies; text extracted in the
// background from a PDF and a DOCX built by the test; byte-identical
// downloads with safe headers; who may download (owner, the employer of a
// job the document was sent to; another seeker, an unrelated employer and
// anonymous visitors may not); deleting; a PDF that keeps the parser busy
// past BEACON_EXTRACT_TIMEOUT_MS ends as failed while the server keeps
// serving. Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, describe } from 'node:test';
import { Client, api, registerVerified, signIn, tokens } from '../lib/accounts.mjs';
import { documentXml, elfBytes, makeDocx, makePdf, makeZip } from '../lib/files.mjs';
import { startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

const sql = (statement, s = srv) => dbQuery(s, statement);

/** Every file under the storage folder (temporary files included), as paths. */
function storedFiles() {
  const root = join(srv.dir, 'documents');
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Every file anywhere under the server's folder (to prove a name reached nowhere else). */
function allFiles(d = srv.dir, out = []) {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) allFiles(p, out);
    else out.push(p);
  }
  return out;
}

async function person(role = 'job_seeker', name = 'Sam Seeker') {
  const { email } = await registerVerified(srv, { role, name });
  const c = await signIn(srv, email);
  const token = (await tokens(srv, email)).access_token;
  const id = Number(sql(`SELECT id FROM users WHERE email = '${email}'`));
  return { email, c, token, id };
}

function form(fields, file) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new Blob([file.data]), file.name);
  return fd;
}

/** POST /api/v1/documents as multipart; returns { status, body, text }. */
async function apiUpload(token, kind, name, data, s = srv) {
  const res = await fetch(`${s.url}/api/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form(kind === undefined ? {} : { kind }, data === undefined ? null : { name, data }),
  });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** POST /documents from the page, CSRF field from the form (or csrf when given). */
async function pageUpload(c, kind, name, data, csrf) {
  const token = csrf ?? (await c.csrf('/documents'));
  const res = await fetch(`${srv.url}/documents`, {
    method: 'POST',
    redirect: 'manual',
    headers: c.headers(),
    body: form({ _csrf: token, kind }, { name, data }),
  });
  c.keep(res);
  res.text_ = await res.text();
  return res;
}

async function download(path, token, c, s = srv) {
  const headers = token ? { authorization: `Bearer ${token}` } : c ? c.headers() : {};
  const res = await fetch(s.url + path, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function waitText(token, id, s = srv) {
  const until = Date.now() + 20000;
  for (;;) {
    const res = await fetch(`${s.url}/api/v1/documents/${id}/text`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const body = await res.json();
    if (body.data.extract_status !== 'pending') return body.data;
    if (Date.now() > until) throw new Error('text extraction did not finish in 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Assert a refused API upload: status, a field error on "file", nothing stored. */
async function refused(token, name, data, status = 422) {
  const before = storedFiles().length;
  const r = await apiUpload(token, 'resume', name, data);
  assert.equal(r.status, status, `${name}: ${r.text}`);
  if (status === 422) {
    assert.equal(r.body.code, 'validation_failed');
    assert.ok(r.body.errors.some((e) => e.field === 'file'), r.text);
  }
  assert.equal(storedFiles().length, before, `${name}: nothing stored`);
  return r;
}

describe('uploads and text extraction', () => {
  test('a PDF from the page: stored, listed, text extracted, downloaded byte for byte', async () => {
    const s = await person();
    const pdf = makePdf('Sam Rivera ASL interpreter coordinator');
    const before = storedFiles().length;
    const res = await pageUpload(s.c, 'resume', 'Sam resume.pdf', pdf);
    assert.equal(res.status, 303, res.text_);
    assert.equal(res.headers.get('location'), '/documents?done=uploaded');
    assert.equal(storedFiles().length, before + 1);
    const page = await s.c.get('/documents?done=uploaded');
    assert.equal(page.status, 200);
    assert.match(page.text_, /Sam resume\.pdf/);
    assert.match(page.headers.get('cache-control'), /no-store/);

    const list = await (await fetch(`${srv.url}/api/v1/documents`, { headers: { authorization: `Bearer ${s.token}` } })).json();
    assert.equal(list.data.length, 1);
    const doc = list.data[0];
    assert.equal(doc.mime, 'application/pdf');
    assert.equal(doc.kind, 'resume');
    assert.equal(doc.size, pdf.length);
    assert.match(doc.sha256, /^[0-9a-f]{64}$/);

    const text = await waitText(s.token, doc.id);
    assert.equal(text.extract_status, 'done');
    assert.match(text.text, /Sam Rivera ASL interpreter coordinator/);

    for (const d of [await download(`/documents/${doc.id}`, null, s.c), await download(`/api/v1/documents/${doc.id}`, s.token)]) {
      assert.equal(d.status, 200);
      assert.ok(d.bytes.equals(pdf), 'byte-identical');
      assert.equal(d.headers.get('content-type'), 'application/pdf');
      assert.equal(d.headers.get('content-disposition'), 'attachment; filename="Sam resume.pdf"; filename*=UTF-8\'\'Sam%20resume.pdf');
      assert.equal(d.headers.get('cache-control'), 'private, no-store');
      assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    }
    const p2 = await s.c.get('/documents');
    assert.match(p2.text_, /Text ready/);
  });

  test('a DOCX through the API: paragraphs become lines', async () => {
    const s = await person();
    const docx = makeDocx(['Jordan Lee', 'Skills: ASL, bookkeeping', 'Café manager – 5 years']);
    const r = await apiUpload(s.token, 'cover_letter', 'letter.docx', docx);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.mime, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(r.headers.get('location'), `/api/v1/documents/${r.body.data.id}`);
    const text = await waitText(s.token, r.body.data.id);
    assert.equal(text.extract_status, 'done');
    assert.equal(text.text, 'Jordan Lee\nSkills: ASL, bookkeeping\nCafé manager – 5 years\n');
    const d = await download(`/api/v1/documents/${r.body.data.id}`, s.token);
    assert.ok(d.bytes.equals(docx));
  });

  test('UTF-8 text is accepted as is, with a UTF-8 charset on download', async () => {
    const s = await person();
    const txt = Buffer.from('Portfolio\nhttps://example.org/work — captions in every video\n');
    const r = await apiUpload(s.token, 'portfolio', 'links.txt', txt);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.mime, 'text/plain');
    const text = await waitText(s.token, r.body.data.id);
    assert.equal(text.text, txt.toString());
    const d = await download(`/api/v1/documents/${r.body.data.id}`, s.token);
    assert.equal(d.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.ok(d.bytes.equals(txt));
  });
});

describe('refused uploads store nothing', () => {
  test('a renamed executable (ELF bytes named resume.pdf)', async () => {
    const s = await person();
    await refused(s.token, 'resume.pdf', elfBytes());
    const mz = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200, 1)]);
    await refused(s.token, 'resume.docx', mz);
    // From the page: the error is tied to the file field, nothing stored.
    const before = storedFiles().length;
    const res = await pageUpload(s.c, 'resume', 'resume.pdf', elfBytes());
    assert.equal(res.status, 422);
    assert.match(res.text_, /<input type="file"[^>]*aria-invalid="true"/);
    assert.match(res.text_, /href="#f-file"/);
    assert.equal(storedFiles().length, before);
  });

  test('polyglots: a PDF with an ELF or a ZIP appended, or an ELF in front', async () => {
    const s = await person();
    const pdf = makePdf('polyglot');
    const zip = makeDocx(['hidden']);
    await refused(s.token, 'a.pdf', Buffer.concat([pdf, elfBytes()]));
    await refused(s.token, 'b.pdf', Buffer.concat([pdf, zip]));
    await refused(s.token, 'c.pdf', Buffer.concat([elfBytes(), pdf]));
    // A ZIP tucked in before %%EOF: its end record is where ZIP readers look.
    const cut = pdf.length - '%%EOF\n'.length;
    await refused(s.token, 'd.pdf', Buffer.concat([pdf.subarray(0, cut), Buffer.from('% '), zip, Buffer.from('\n%%EOF\n')]));
  });

  test('ZIP bombs disguised as DOCX: high ratio, a huge declared size, too many entries', async () => {
    const s = await person();
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const ratio = makeDocx([], { documentPart: { name: 'word/document.xml', data: zeros } });
    assert.ok(ratio.length < 100 * 1024, `compressed to ${ratio.length}`);
    const r = await refused(s.token, 'cv.docx', ratio);
    assert.match(r.text, /unpacks to far more data/);
    await refused(s.token, 'cv.docx', makeDocx([], {
      documentPart: { name: 'word/document.xml', data: documentXml(['x']), declaredSize: 0xfffffff0 },
    }));
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `m/${i}.xml`, data: 'x' }));
    await refused(s.token, 'cv.docx', makeDocx(['x'], { extra: many }));
  });

  test('unsafe entry names, a ZIP without a document, text that is not UTF-8', async () => {
    const s = await person();
    for (const name of ['../../evil.sh', '/etc/cron.d/x', 'word\\..\\x']) {
      await refused(s.token, 'cv.docx', makeDocx(['x'], { extra: [{ name, data: 'boom' }] }));
    }
    await refused(s.token, 'cv.docx', makeZip([{ name: 'notes.txt', data: 'hello' }]));
    await refused(s.token, 'cv.txt', Buffer.from('R\xe9sum\xe9 of a na\xefve person, written in Latin-1 text.\n', 'latin1'));
    await refused(s.token, 'empty.txt', Buffer.alloc(0));
  });

  test('a path-traversal file name is only a clean display name', async () => {
    const s = await person();
    const before = allFiles().length;
    const r = await apiUpload(s.token, 'resume', '../../etc/passwd.pdf', makePdf('traversal'));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.filename, 'passwd.pdf');
    const after = allFiles();
    const added = after.length - before;
    assert.ok(added >= 1);
    const docs = join(srv.dir, 'documents');
    const stored = storedFiles();
    for (const p of stored) {
      assert.ok(p.startsWith(docs + '/'), p);
      assert.match(p.slice(docs.length), /^\/[0-9a-f]{2}\/[A-Za-z0-9_-]{43}$/);
    }
    assert.ok(!after.some((p) => p.endsWith('passwd.pdf')));
    const d = await download(`/api/v1/documents/${r.body.data.id}`, s.token);
    assert.match(d.headers.get('content-disposition'), /^attachment; filename="passwd\.pdf"/);
  });

  test('oversized: over 5 MiB gets 413 from Beacon, over BEACON_BODY_MAX 413 from Kore', async () => {
    const s = await person();
    const before = storedFiles().length;
    const big = Buffer.concat([makePdf('big'), Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    const r = await apiUpload(s.token, 'resume', 'big.pdf', big);
    assert.equal(r.status, 413, r.text);
    assert.equal(r.body.code, 'document_too_large');
    const huge = Buffer.alloc(7 * 1024 * 1024, 0x20);
    const r2 = await apiUpload(s.token, 'resume', 'huge.txt', huge).catch((e) => ({ status: 'reset', e }));
    assert.ok(r2.status === 413 || r2.status === 'reset', String(r2.status));
    const res = await pageUpload(s.c, 'resume', 'big.pdf', big);
    assert.equal(res.status, 413);
    assert.equal(storedFiles().length, before);
  });

  test('CSRF: a wrong or missing token is 403 before anything is stored', async () => {
    const s = await person();
    const before = storedFiles().length;
    const bad = await pageUpload(s.c, 'resume', 'cv.pdf', makePdf('csrf'), 'not-the-token');
    assert.equal(bad.status, 403);
    const res = await fetch(`${srv.url}/documents`, {
      method: 'POST', redirect: 'manual', headers: s.c.headers(),
      body: form({ kind: 'resume' }, { name: 'cv.pdf', data: makePdf('csrf') }),
    });
    assert.equal(res.status, 403);
    // A urlencoded body where an upload is expected: 415.
    const url = await s.c.postRaw('/documents', { _csrf: await s.c.csrf('/documents'), kind: 'resume' });
    assert.equal(url.status, 415);
    assert.equal(storedFiles().length, before);
  });

  test('kind must be one of the three; only seekers and entrepreneurs upload', async () => {
    const s = await person();
    const r = await apiUpload(s.token, 'diploma', 'cv.pdf', makePdf('kind'));
    assert.equal(r.status, 422);
    assert.ok(r.body.errors.some((e) => e.field === 'kind'));
    const missing = await apiUpload(s.token, 'resume', undefined, undefined);
    assert.equal(missing.status, 422);
    const e = await person('employer', 'Erin Employer');
    const r2 = await apiUpload(e.token, 'resume', 'cv.pdf', makePdf('employer'));
    assert.equal(r2.status, 403);
    const ent = await person('entrepreneur', 'Eli Entrepreneur');
    const r3 = await apiUpload(ent.token, 'portfolio', 'plan.pdf', makePdf('plan'));
    assert.equal(r3.status, 201, r3.text);
  });
});

describe('who may download', () => {
  test('owner and the employer of the job applied to: yes; everyone else: 404', async () => {
    const s = await person();
    const pdf = makePdf('private resume');
    const up = await apiUpload(s.token, 'resume', 'cv.pdf', pdf);
    assert.equal(up.status, 201);
    const id = up.body.data.id;

    const other = await person('job_seeker', 'Other Seeker');
    const stranger = await person('employer', 'Unrelated Employer');
    const hiring = await person('employer', 'Hiring Employer');
    for (const e of [stranger, hiring]) {
      const r = await api(srv, '/api/v1/company', { name: `Company of ${e.email}` }, e.token, 'PUT');
      assert.equal(r.status, 201, r.text);
      e.companyId = r.body.data.id;
    }
    const job = await api(srv, '/api/v1/jobs', {
      title: 'Bookkeeper', description_markdown: 'Keep the books.', employment_type: 'FULL_TIME',
      experience_level: 'entry', location: { city: 'Austin', region: 'TX', country: 'US' }, remote: false,
      valid_through: new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10),
    }, hiring.token);
    assert.equal(job.status, 201, job.text);

    // Before any application, the hiring employer is a stranger too.
    for (const who of [other, stranger, hiring]) {
      assert.equal((await download(`/api/v1/documents/${id}`, who.token)).status, 404);
      assert.equal((await download(`/documents/${id}`, null, who.c)).status, 404);
      assert.equal((await download(`/api/v1/documents/${id}/text`, who.token)).status, 404);
    }
    const now = new Date().toISOString().slice(0, 19) + 'Z';
    sql(`INSERT INTO applications (job_id, user_id, resume_id, created_at, updated_at) VALUES (${job.body.data.id}, ${s.id}, ${id}, '${now}', '${now}')`);
    const ok = await download(`/api/v1/documents/${id}`, hiring.token);
    assert.equal(ok.status, 200);
    assert.ok(ok.bytes.equals(pdf));
    assert.equal((await download(`/documents/${id}`, null, hiring.c)).status, 200);
    for (const who of [other, stranger]) {
      assert.equal((await download(`/api/v1/documents/${id}`, who.token)).status, 404);
      assert.equal((await download(`/documents/${id}`, null, who.c)).status, 404);
    }
    // A withdrawn application no longer opens the document.
    sql(`UPDATE applications SET stage = 'withdrawn' WHERE resume_id = ${id}`);
    assert.equal((await download(`/api/v1/documents/${id}`, hiring.token)).status, 404);

    // Anonymous: the sign-in page, or 401 on the API. Missing ids look the same as others'.
    const anon = await download(`/documents/${id}`, null, new Client(srv.url));
    assert.ok([302, 303].includes(anon.status), String(anon.status));
    assert.equal((await download(`/api/v1/documents/${id}`)).status, 401);
    assert.equal((await download('/api/v1/documents/999999', s.token)).status, 404);

    // Only the owner deletes; others get 404 and the file stays.
    const del = await fetch(`${srv.url}/api/v1/documents/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${other.token}` } });
    assert.equal(del.status, 404);
    assert.equal((await download(`/api/v1/documents/${id}`, s.token)).status, 200);
  });

  test('deleting: the file goes, downloads 404, the list forgets it', async () => {
    const s = await person();
    const up = await apiUpload(s.token, 'resume', 'gone.pdf', makePdf('gone'));
    const id = up.body.data.id;
    const before = storedFiles().length;
    // The list's Delete button asks first: nothing is deleted without confirm=yes.
    const ask = await s.c.submit('/documents', `/documents/${id}/delete`, {});
    assert.equal(ask.status, 200);
    assert.equal(storedFiles().length, before);
    const other = await person();
    assert.equal((await other.c.submit('/documents', `/documents/${id}/delete`, {})).status, 404, 'only the owner is asked');
    assert.equal((await other.c.submit('/documents', `/documents/${id}/delete`, { confirm: 'yes' })).status, 404);
    assert.equal(storedFiles().length, before);
    const res = await s.c.submit('/documents', `/documents/${id}/delete`, { confirm: 'yes' });
    assert.equal(res.status, 303);
    assert.equal(storedFiles().length, before - 1);
    assert.equal((await download(`/api/v1/documents/${id}`, s.token)).status, 404);
    assert.equal(sql(`SELECT deleted_at IS NOT NULL FROM documents WHERE id = ${id}`).replace('t', '1'), '1');
    const up2 = await apiUpload(s.token, 'resume', 'gone2.pdf', makePdf('gone2'));
    const del = await fetch(`${srv.url}/api/v1/documents/${up2.body.data.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
    assert.equal(del.status, 204);
    const list = await (await fetch(`${srv.url}/api/v1/documents`, { headers: { authorization: `Bearer ${s.token}` } })).json();
    assert.equal(list.data.length, 0);
  });
});

/**
 * A valid PDF that keeps a parser busy: pages pages that all share one
 * Flate-compressed content stream of ops text-showing operators. The file is
 * about 65 KB; poppler works through ~1 MB of operators per page, 400 MB in
 * all, which takes it far longer than the limits below (it runs into the
 * 10 s processor-time limit when nothing stops it sooner).
 */
function slowPdf(pages = 400, ops = 20000) {
  const stream = deflateSync(Buffer.from('BT /F1 9 Tf 40 700 Td (slow slow slow slow) Tj ET\n'.repeat(ops), 'latin1'), { level: 9 });
  const kids = Array.from({ length: pages }, (_, i) => `${5 + i} 0 R`).join(' ');
  const objs = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    Buffer.concat([Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`), stream, Buffer.from('\nendstream')]),
  ];
  for (let i = 0; i < pages; i++) {
    objs.push(Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>'));
  }
  const parts = [Buffer.from('%PDF-1.4\n')];
  let len = parts[0].length;
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(len);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(b);
    len += b.length;
  });
  let tail = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) tail += `${String(off).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${len}\n%%EOF\n`;
  parts.push(Buffer.from(tail));
  return Buffer.concat(parts);
}

describe('hostile PDFs: text extraction has a time limit', () => {
  // A server of its own with a 1 s limit: long enough for an ordinary PDF
  // (also in the sanitizer build), far too short for the slow one.
  let lim;
  before(async () => {
    lim = await startServer({ env: { BEACON_EXTRACT_TIMEOUT_MS: '1000' } });
  });
  after(async () => {
    await lim?.stop();
  });

  test('a PDF that takes too long ends as failed, for good; the server keeps serving', async () => {
    const { email } = await registerVerified(lim, { role: 'job_seeker', name: 'Hostile Upload' });
    const token = (await tokens(lim, email)).access_token;
    const pdf = slowPdf();
    const up = await apiUpload(token, 'resume', 'slow.pdf', pdf, lim);
    assert.equal(up.status, 201, up.text);
    const id = up.body.data.id;
    const started = Date.now();
    const text = await waitText(token, id, lim);
    assert.equal(text.extract_status, 'failed');
    assert.equal(text.text, '');
    // Stopped by the wall-clock limit (1 s + the task timer), not by the 10 s processor limit.
    assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
    assert.match(lim.log(), new RegExp(`text extraction of document ${id} stopped: stopped after 1000 ms`));
    // Failed at once, never retried.
    const task = sql(`SELECT status || ' ' || attempts || ' ' || last_error FROM tasks WHERE kind = 'extract_text' AND payload = '${id}'`, lim);
    assert.match(task, /^failed 1 document \d+: text extraction stopped: stopped after 1000 ms/);
    // The file is still there for whoever may download it.
    const d = await download(`/api/v1/documents/${id}`, token, null, lim);
    assert.equal(d.status, 200);
    assert.ok(d.bytes.equals(pdf));
    // The workers serve and extract as before (the log check in stop() finds no restarted worker).
    assert.equal((await fetch(`${lim.url}/healthz`)).status, 200);
    const ok = await apiUpload(token, 'resume', 'fine.pdf', makePdf('Still extracting fine'), lim);
    assert.equal(ok.status, 201, ok.text);
    const fine = await waitText(token, ok.body.data.id, lim);
    assert.equal(fine.extract_status, 'done');
    assert.match(fine.text, /Still extracting fine/);
  });
});

describe('stopping the server while a document is being extracted', () => {
  // One worker, so the extraction and the stop signal meet in the same process.
  let one;
  before(async () => {
    one = await startServer({ env: { BEACON_EXTRACT_TIMEOUT_MS: '4000', BEACON_WORKERS: '1' } });
  });
  after(async () => {
    await one?.stop();
  });

  test('SIGTERM during an extraction stops Beacon once the extraction ends (the signal is not lost)', async () => {
    const { email } = await registerVerified(one, { role: 'job_seeker', name: 'Stop Meanwhile' });
    const token = (await tokens(one, email)).access_token;
    const up = await apiUpload(token, 'resume', 'slow.pdf', slowPdf(), one);
    assert.equal(up.status, 201, up.text);
    const id = up.body.data.id;
    const until = Date.now() + 10000;
    const state = () => sql(`SELECT status FROM tasks WHERE kind = 'extract_text' AND payload = '${id}'`, one);
    while (state() !== 'running' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(state(), 'running', 'the extraction started');
    const exited = new Promise((ok) => one.proc.once('exit', () => ok(Date.now())));
    const sent = Date.now();
    one.proc.kill('SIGTERM');
    // The test harness would SIGKILL after 10 s; Beacon must be gone well before.
    const at = await Promise.race([exited, new Promise((ok) => setTimeout(() => ok(null), 9000))]);
    assert.ok(at !== null, 'Beacon was still running 9 s after SIGTERM');
    assert.ok(at - sent < 8000, `stopped after ${at - sent} ms`);
  });
});
