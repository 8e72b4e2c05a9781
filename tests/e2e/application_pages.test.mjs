// Application pages end to end: withdrawing asks first (a page with the real
// button and a way to keep the application, without JavaScript), the POST
// still withdraws with its CSRF token and only for the candidate, and the
// form labels of the apply page, the employer's application page and the
// candidate search say "(optional)" once. Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { api, registerVerified, signIn, tokens } from '../lib/accounts.mjs';
import { startServer, test } from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

const get = (path, token) => api(srv, path, undefined, token, 'GET');

/** A signed-in person: page client, API token. */
async function person(role, name) {
  const { email } = await registerVerified(srv, { role, name });
  const c = await signIn(srv, email);
  const token = (await tokens(srv, email)).access_token;
  return { email, c, token, name };
}

let companySeq = 0;
async function employerWithCompany() {
  companySeq += 1;
  const e = await person('employer', 'Erin Employer');
  const r = await api(srv, '/api/v1/company', { name: `Quiet Ledger ${process.pid} ${companySeq}` }, e.token, 'PUT');
  assert.ok(r.status === 200 || r.status === 201, r.text);
  return e;
}

let jobSeq = 0;
async function postJob(e, title = `Bookkeeper ${jobSeq + 1}`) {
  jobSeq += 1;
  const r = await api(srv, '/api/v1/jobs', {
    title,
    description_markdown: 'Keep the books of a small shop. Everything is written down.',
    employment_type: 'FULL_TIME',
    experience_level: 'mid',
    location: { city: 'Austin', region: 'TX', country: 'US' },
  }, e.token);
  assert.equal(r.status, 201, r.text);
  return r.body.data.id;
}

async function resume(p) {
  const form = new FormData();
  form.append('kind', 'resume');
  form.append('file', new Blob(['Resume of a careful bookkeeper.'], { type: 'text/plain' }), 'resume.txt');
  const res = await fetch(`${srv.url}/api/v1/documents`, {
    method: 'POST', headers: { authorization: `Bearer ${p.token}` }, body: form,
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.data.id;
}

/** A job seeker with an application to a new job of e; returns { s, id, jobId }. */
async function application(e) {
  const s = await person('job_seeker', 'Sam Seeker');
  const jobId = await postJob(e);
  const r = await api(srv, `/api/v1/jobs/${jobId}/applications`, { resume_id: await resume(s) }, s.token);
  assert.equal(r.status, 201, r.text);
  return { s, id: r.body.data.id, jobId };
}

const stage = async (p, id) => (await get(`/api/v1/applications/${id}`, p.token)).body.data.stage;

/** No label says "(optional)" twice: the form helpers add it to every field that is not required. */
function optionalOnce(html, where) {
  const text = html.replace(/<[^>]+>/g, '');
  assert.ok(!text.includes('(optional) (optional)'), `${where}: "(optional)" twice`);
  assert.ok(!html.includes('optional) (optional'), `${where}: "optional" twice in a label`);
  assert.ok(!/optional\)?\s*<span class="optional">/.test(html), `${where}: "optional" in the label and after it`);
}

describe('withdrawing an application', () => {
  test('the application page links to a page that asks first; keeping it changes nothing', async () => {
    const e = await employerWithCompany();
    const { s, id } = await application(e);
    const page = await s.c.get(`/applications/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, new RegExp(`<a href="/applications/${id}/withdraw">Withdraw my application</a>`));
    assert.doesNotMatch(page.text_, /<form[^>]*action="\/applications\/\d+\/withdraw"/,
      'no button on the application page withdraws at once');

    const ask = await s.c.get(`/applications/${id}/withdraw`);
    assert.equal(ask.status, 200);
    assert.match(ask.text_, /<h1>Withdraw your application: Bookkeeper \d+\?<\/h1>/);
    assert.match(ask.text_, /cannot be undone/);
    const form = ask.text_.match(new RegExp(`<form method="post" action="/applications/${id}/withdraw"[^>]*>(.*?)</form>`, 's'));
    assert.ok(form, 'the page holds the form that withdraws');
    assert.match(form[1], /name="_csrf" value="[^"]+"/);
    assert.match(form[1], /<button type="submit">Withdraw my application<\/button>/);
    assert.match(form[1], new RegExp(`<a href="/applications/${id}">Keep my application</a>`));
    // Asking (and a HEAD) changes nothing.
    assert.equal((await fetch(`${srv.url}/applications/${id}/withdraw`, {
      method: 'HEAD', headers: s.c.headers(), redirect: 'manual',
    })).status, 200);
    assert.equal(await stage(s, id), 'applied');
    assert.equal((await s.c.get(`/applications/${id}`)).status, 200);
    assert.equal(await stage(s, id), 'applied');
  });

  test('the button of that page withdraws; afterwards the page says it is closed', async () => {
    const e = await employerWithCompany();
    const { s, id } = await application(e);
    // Without the CSRF token nothing happens.
    const forged = await s.c.postRaw(`/applications/${id}/withdraw`, {});
    assert.equal(forged.status, 403);
    assert.equal(await stage(s, id), 'applied');

    const done = await s.c.submit(`/applications/${id}/withdraw`, `/applications/${id}/withdraw`, {});
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `/applications/${id}?done=withdrawn`);
    assert.equal(await stage(s, id), 'withdrawn');
    const after = await s.c.get(`/applications/${id}?done=withdrawn`);
    assert.match(after.text_, /You withdrew this application\./);
    assert.doesNotMatch(after.text_, /Withdraw my application/);

    // Asking again: it is closed already.
    const again = await s.c.get(`/applications/${id}/withdraw`);
    assert.equal(again.status, 409);
    assert.match(again.text_, /already closed/);
    assert.equal((await s.c.submit(`/applications/${id}`, `/applications/${id}/withdraw`, {})).status, 409);
  });

  test('only the candidate is asked: the employer and other people get 404, visitors sign in', async () => {
    const e = await employerWithCompany();
    const { s, id } = await application(e);
    assert.equal((await e.c.get(`/applications/${id}/withdraw`)).status, 404);
    const other = await person('job_seeker', 'Olive Other');
    assert.equal((await other.c.get(`/applications/${id}/withdraw`)).status, 404);
    assert.equal((await other.c.get(`/applications/${id + 100000}/withdraw`)).status, 404);
    const anon = await fetch(`${srv.url}/applications/${id}/withdraw`, { redirect: 'manual' });
    assert.equal(anon.status, 303);
    assert.match(anon.headers.get('location'), /^\/signin/);
    assert.equal(await stage(s, id), 'applied');
  });
});

describe('form labels', () => {
  test('"(optional)" is said once on the apply page, the employer application page and candidate search', async () => {
    const e = await employerWithCompany();
    const { s, id } = await application(e);

    const s2 = await person('job_seeker', 'Pat Seeker');
    await resume(s2);
    const jobId = await postJob(e);
    const apply = await s2.c.get(`/jobs/${jobId}/apply`);
    assert.equal(apply.status, 200);
    assert.match(apply.text_, /<label for="f-message">Message to the employer <span class="optional">\(optional\)<\/span><\/label>/);
    optionalOnce(apply.text_, 'apply page');
    // The form with an error comes back the same way.
    const bad = await s2.c.submit(`/jobs/${jobId}/apply`, `/jobs/${jobId}/apply`, { resume_id: '999999999', message: 'Hello' });
    assert.equal(bad.status, 422);
    optionalOnce(bad.text_, 'apply page with errors');

    const emp = await e.c.get(`/employer/applications/${id}`);
    assert.equal(emp.status, 200);
    assert.match(emp.text_, /<label for="f-note">Message to the candidate <span class="optional">\(optional\)<\/span><\/label>/);
    for (let i = 2; i <= 5; i++)
      assert.match(emp.text_, new RegExp(`<label for="f-slot${i}">Time ${i} \\(UTC\\) <span class="optional">\\(optional\\)</span></label>`));
    assert.match(emp.text_, /<label for="f-slot1">Time 1 \(UTC\)<\/label>/);
    // Needed for video and in person only: not marked optional; the hint says when.
    assert.match(emp.text_, /<label for="f-location">Meeting link or address<\/label><p class="hint" id="h-location">Needed for video and in person/);
    assert.match(emp.text_, /<label for="f-details">Anything else the candidate should know <span class="optional">\(optional\)<\/span><\/label>/);
    optionalOnce(emp.text_, 'employer application page');
    const proposed = await e.c.submit(`/employer/applications/${id}`, `/employer/applications/${id}/interviews`,
      { format: 'video', location: '', duration: '30', slot1: '', details: '' });
    assert.equal(proposed.status, 422);
    optionalOnce(proposed.text_, 'employer application page with errors');

    const cand = await e.c.get('/candidates');
    assert.equal(cand.status, 200);
    optionalOnce(cand.text_, 'candidate search');
    // Search filters are never required, so none says "(optional)".
    for (const [name, label] of [['q', 'Words'], ['skills', 'Skills'], ['location', 'Place']]) {
      assert.match(cand.text_, new RegExp(`<label for="f-${name}">${label}</label>`), name);
    }

    assert.equal((await s.c.get(`/applications/${id}`)).status, 200);
    optionalOnce((await s.c.get(`/applications/${id}`)).text_, 'application page');
  });
});

describe('opening an application marks its notifications read', () => {
  test('the candidate and the employer: what points to the page (and its parts) is read, nothing else', async () => {
    const e = await employerWithCompany();
    const { s, id } = await application(e);
    // A second application of the same candidate, to another job of the same employer.
    const other = await postJob(e);
    const r = await api(srv, `/api/v1/jobs/${other}/applications`, { resume_id: await resume(s) }, s.token);
    assert.equal(r.status, 201, r.text);
    const id2 = r.body.data.id;

    // Each application: a stage change and a message for the candidate.
    for (const app of [id, id2]) {
      assert.equal((await api(srv, `/api/v1/applications/${app}/stage`, { stage: 'screening' }, e.token)).status, 200);
      assert.equal((await api(srv, `/api/v1/applications/${app}/messages`, { body: 'Could you start in May?' }, e.token)).status, 201);
    }
    const unread = async (p) => (await get('/api/v1/notifications', p.token)).body.items.filter((n) => !n.read);
    const links = (items) => items.map((n) => n.link).sort();
    assert.deepEqual(links(await unread(s)), [
      `/applications/${id}`, `/applications/${id}#thread`, `/applications/${id2}`, `/applications/${id2}#thread`,
    ].sort());

    // The candidate opens the first application: its two are read, the other two not.
    let page = await s.c.get(`/applications/${id}`);
    assert.equal(page.status, 200);
    assert.deepEqual(links(await unread(s)), [`/applications/${id2}`, `/applications/${id2}#thread`].sort());
    // The bell on that very page already counts what is left.
    assert.match(page.text_, /id="nav-notifications"[^>]*>Notifications \(2<span class="visually-hidden"> unread<\/span>\)/);

    // The employer: the new applications and the candidate's reply point to their page.
    assert.equal((await api(srv, `/api/v1/applications/${id}/messages`, { body: 'Yes, May works.' }, s.token)).status, 201);
    const before = links(await unread(e));
    assert.ok(before.includes(`/employer/applications/${id}#thread`), JSON.stringify(before));
    page = await e.c.get(`/employer/applications/${id}`);
    assert.equal(page.status, 200);
    const after = links(await unread(e));
    assert.ok(!after.some((l) => l === `/employer/applications/${id}` || l.startsWith(`/employer/applications/${id}#`)), JSON.stringify(after));
    assert.ok(after.includes(`/employer/applications/${id2}`), JSON.stringify(after));
    // The candidate's other notifications are untouched by the employer's visit.
    assert.equal((await unread(s)).length, 2);
  });
});

describe('the candidate sees what they sent', () => {
  test('resume by its file name (theirs to download), cover letter, message; a deleted file says so', async () => {
    const e = await employerWithCompany();
    const s = await person('job_seeker', 'Sol Sender');
    const jobId = await postJob(e);
    const resumeId = await resume(s);
    const r = await api(srv, `/api/v1/jobs/${jobId}/applications`, { resume_id: resumeId, message: 'I keep <b>tidy</b> books: https://example.org/sol' }, s.token);
    assert.equal(r.status, 201, r.text);
    const id = r.body.data.id;
    let page = (await s.c.get(`/applications/${id}`)).text_;
    const sent = page.slice(page.indexOf('<h2 id="h-sent">'), page.indexOf('</section>', page.indexOf('<h2 id="h-sent">')));
    assert.ok(sent.includes(`<li>Resume: <a href="/documents/${resumeId}">resume.txt</a></li>`), sent);
    assert.ok(sent.includes('<li>Cover letter: none</li>'), sent);
    assert.ok(sent.includes('I keep &lt;b&gt;tidy&lt;/b&gt; books: <a rel="nofollow noopener ugc" href="https://example.org/sol">'), sent);
    assert.equal((await s.c.get(`/documents/${resumeId}`)).status, 200, 'the link downloads');
    // The employer's page names the same file, and the link downloads it for them too.
    const emp = (await e.c.get(`/employer/applications/${id}`)).text_;
    assert.ok(emp.includes(`<li>Resume: <a href="/documents/${resumeId}">resume.txt</a></li>`), emp.slice(0, 200));
    assert.equal((await e.c.get(`/documents/${resumeId}`)).status, 200);
    // Withdrawn: the employer no longer gets the file, nor its name.
    assert.equal((await api(srv, `/api/v1/applications/${id}/withdraw`, {}, s.token)).status, 200);
    const after = (await e.c.get(`/employer/applications/${id}`)).text_;
    assert.ok(after.includes('<li>Resume: no longer shared (the application was withdrawn)</li>'));
    assert.ok(!after.includes('resume.txt'));
    assert.notEqual((await e.c.get(`/documents/${resumeId}`)).status, 200);
    assert.ok((await s.c.get(`/applications/${id}`)).text_.includes(`<a href="/documents/${resumeId}">resume.txt</a>`), 'the candidate still has it');
    // Deleted later: the application keeps its reference, the page says what happened.
    const del = await fetch(`${srv.url}/api/v1/documents/${resumeId}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
    assert.ok(del.status === 204 || del.status === 200, String(del.status));
    page = (await s.c.get(`/applications/${id}`)).text_;
    assert.ok(page.includes('<li>Resume: deleted since</li>'));
  });
});

describe('the apply page says what the employer will see of the needs', () => {
  test('after applying: the list; at interview: later; never or none: nothing', async () => {
    const e = await employerWithCompany();
    const jobId = await postJob(e);
    const said = async (s) => {
      const html = (await s.c.get(`/jobs/${jobId}/apply`)).text_;
      const m = html.match(/<div class="hint" id="apply-disclosure">([^]*?)<\/div>/);
      assert.ok(m, 'the apply page says it');
      assert.match(m[1], /<a href="\/profile\/edit">Change who sees what<\/a><\/p>$/);
      return m[1].replace(/<li>/g, ' * ').replace(/<[^>]+>/g, '');
    };
    const cases = [
      ['after_apply', ['asl_interpreter', 'written_questions'], /^With this application, the employer also sees your accommodation needs: \* ASL interpreter \* Written questions/],
      ['interview', ['asl_interpreter'], /^If your profile lists accommodation needs, the employer sees them only if they invite you to interview\./],
      ['never', ['asl_interpreter'], /^The employer does not see accommodation needs from your profile\./],
      ['after_apply', [], /^The employer does not see accommodation needs from your profile\./],
    ];
    for (const [disclosure, needs, want] of cases) {
      const s = await person('job_seeker', 'Dee Discloses');
      await resume(s);
      const put = await api(srv, '/api/v1/profile', { headline: 'Bookkeeper', disclosure, accommodations: { needs, notes: '' }, visibility: 'private' }, s.token, 'PUT');
      assert.equal(put.status, 200, put.text);
      assert.match(await said(s), want, `${disclosure} ${needs}`);
    }
  });
});

describe('long titles in any script, one proposal at a time', () => {
  test('a 200-character title in Japanese: applying, moving, messaging and proposing work; notifications are cut, not refused', async () => {
    const e = await employerWithCompany();
    const title = '日本語の求人'.repeat(34).slice(0, 200);
    const jobId = await postJob(e, title);
    const s = await person('job_seeker', 'Kei Long');
    const r = await api(srv, `/api/v1/jobs/${jobId}/applications`, { resume_id: await resume(s) }, s.token);
    assert.equal(r.status, 201, r.text);
    const id = r.body.data.id;
    assert.equal((await api(srv, `/api/v1/applications/${id}/stage`, { stage: 'screening' }, e.token)).status, 200);
    assert.equal((await api(srv, `/api/v1/applications/${id}/messages`, { body: 'Hello' }, e.token)).status, 201);
    const when = new Date(Date.now() + 5 * 86400e3).toISOString().slice(0, 11) + '14:30';
    const p1 = await api(srv, `/api/v1/applications/${id}/interviews`, { format: 'text', slots: [when] }, e.token);
    assert.equal(p1.status, 201, p1.text);
    const items = (await get('/api/v1/notifications', s.token)).body.items;
    assert.equal(items.length, 4, 'moved, message, moved to interview, interview proposed');
    for (const n of items) {
      assert.ok(Buffer.byteLength(n.title) <= 200, n.title);
      assert.ok(n.title.endsWith('…') && n.title.includes('日本語の求人'), n.title);
    }

    // A second proposal while the first waits: refused (API 422), the page shows no form.
    const p2 = await api(srv, `/api/v1/applications/${id}/interviews`, { format: 'text', slots: [when] }, e.token);
    assert.equal(p2.status, 422, p2.text);
    assert.ok(p2.body.errors.some((x) => x.field === 'slots' && /already waiting/.test(x.message)), p2.text);
    const page = (await e.c.get(`/employer/applications/${id}`)).text_;
    assert.match(page, /Your proposal is waiting for the candidate's choice\./);
    assert.doesNotMatch(page, /Propose these times/);
    // The candidate answers; then the form is back.
    const iv = p1.body.data.interviews[0].id; // 201 with the application
    const declined = await api(srv, `/api/v1/interviews/${iv}/choose`, { decline: true }, s.token);
    assert.equal(declined.status, 200, declined.text);
    assert.match((await e.c.get(`/employer/applications/${id}`)).text_, /Propose these times/);
  });
});
