// Employers end to end: the company (pages and API, validation per field),
// posting a job that search finds at once, editing, closing (gone from
// search) and reopening (back), who may do what (another company's
// employer gets 404, a job seeker 403, anonymous visitors the sign-in page
// or 401, unconfirmed accounts may not publish), invitations by email
// (accept as the invited address only, once), CSRF on the forms, hostile
// text in jobs, and the audit trail. Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  Client, PASSWORD, api, linkRe, newEmail, registerVerified, signIn, tokens, totp, waitMail,
} from '../lib/accounts.mjs';
import { beaconctl, startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

/** Run one SQL statement on the server's database (to let time pass, as a clock would). */
const sql = (statement) => dbQuery(srv, statement);

const get = (path, token) =>
  fetch(srv.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (res) => {
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text, headers: res.headers };
  });

/** A word no other job holds, so a search for it finds exactly our job. */
let wordSeq = 0;
function uniqueWord() {
  wordSeq += 1;
  const letters = 'bcdfghjklmnpqrstvwxz';
  let w = 'quorb';
  let n = Date.now() * 100 + wordSeq + process.pid;
  for (let i = 0; i < 8; i++) {
    w += letters[n % letters.length];
    n = Math.floor(n / letters.length);
  }
  return w;
}

const isoDate = (days) => new Date(Date.now() + days * 86400e3).toISOString().slice(0, 10);

/** Ids of the open jobs search finds for q. */
async function searchIds(q) {
  const r = await get(`/api/v1/jobs?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200);
  return r.body.data.map((j) => j.id);
}

/** A confirmed employer with a page client and an API token. */
async function employer(name = 'Erin Employer', role = 'employer') {
  const { email } = await registerVerified(srv, { role, name });
  const c = await signIn(srv, email);
  const token = (await tokens(srv, email)).access_token;
  return { email, c, token };
}

/** An employer who created a company through the API. */
async function employerWithCompany(company, name) {
  const e = await employer(name);
  const r = await api(srv, '/api/v1/company', { name: company }, e.token, 'PUT');
  assert.equal(r.status, 201, r.text);
  e.companyId = r.body.data.id;
  return e;
}

function jobBody(word, extra = {}) {
  return {
    title: `Accounts assistant ${word}`,
    description_markdown: `We keep the books of a small bakery. Keyword: ${word}.\n\n- Invoices\n- Payroll`,
    employment_type: 'FULL_TIME',
    experience_level: 'entry',
    location: { city: 'Austin', region: 'TX', country: 'US' },
    remote: false,
    salary: { min: 40000, max: 52000, currency: 'USD', period: 'YEAR' },
    skills: { required: ['Bookkeeping', 'Spreadsheets'], preferred: ['ASL'] },
    accommodations: ['asl_interpreter', 'captioned_meetings'],
    valid_through: isoDate(30),
    ...extra,
  };
}

async function postJob(e, word, extra) {
  const r = await api(srv, '/api/v1/jobs', jobBody(word, extra), e.token);
  assert.equal(r.status, 201, r.text);
  return r.body.data.id;
}

/** The fields of the urlencoded job form for a job with word in its title. */
function jobForm(word, extra = {}) {
  return {
    title: `Bakery cashier ${word}`,
    description: `Serve customers at the counter.\r\nKeyword: ${word}.`,
    employment_type: 'PART_TIME',
    experience_level: 'entry',
    city: 'Rochester',
    region: 'NY',
    country: 'US',
    salary_min: '18',
    salary_max: '22',
    salary_currency: 'usd',
    salary_period: 'HOUR',
    skills_required: 'Cash handling, Customer service',
    skills_preferred: 'ASL',
    acc_text_interviews: '1',
    acc_visual_alerts: '1',
    valid_through: isoDate(20),
    ...extra,
  };
}

/** Does the control with id f-<name> carry aria-invalid? */
function invalid(html, name) {
  const m = html.match(new RegExp(`<(?:input|textarea|select)[^>]*id="f-${name}"[^>]*>`));
  assert.ok(m, `control f-${name} is on the page`);
  return /aria-invalid="true"/.test(m[0]);
}

const fieldsOf = (r) => r.body.errors.map((e) => e.field).sort();

describe('company', () => {
  test('created on the page after per-field errors, then edited', async () => {
    const e = await employer();
    const first = await e.c.get('/company');
    assert.equal(first.status, 200);
    assert.match(first.text_, /<h1>Create your company<\/h1>/);
    assert.match(first.text_, /<label for="f-name">Company name/);

    const bad = await e.c.submit('/company', '/company', {
      name: 'A', website: 'javascript:alert(1)', size: 'huge', description: 'x'.repeat(8001),
    });
    assert.equal(bad.status, 422);
    for (const f of ['name', 'website', 'size', 'description']) assert.ok(invalid(bad.text_, f), f);
    assert.ok(!invalid(bad.text_, 'industry'));
    assert.match(bad.text_, /class="error-summary"/);
    assert.match(bad.text_, /href="#f-website"/);
    assert.match(bad.text_, /aria-describedby="[^"]*e-name/);

    const ok = await e.c.submit('/company', '/company', {
      name: 'Signal Bakery', website: 'https://signal.example', size: '11-50',
      industry: 'Food', description: 'We bake **bread**.', deaf_owned: '1', asl_fluent_staff: '1',
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/company?done=created');
    const page = await e.c.get('/company?done=created');
    assert.equal(page.status, 200);
    assert.match(page.text_, /<h1>Signal Bakery<\/h1>/);
    assert.match(page.text_, /<strong>bread<\/strong>/);
    assert.match(page.text_, /Deaf-owned business/);
    assert.match(page.text_, /id="f-deaf_owned"[^>]*checked/);
    assert.doesNotMatch(page.text_, /id="f-deaf_led"[^>]*checked/);

    const saved = await e.c.submit('/company', '/company', { name: 'Signal Bakery & Co', size: '' });
    assert.equal(saved.status, 303);
    const me = await get('/api/v1/company', e.token);
    assert.equal(me.status, 200);
    assert.equal(me.body.data.name, 'Signal Bakery & Co');
    assert.equal(me.body.data.size, null);
    assert.equal(me.body.data.deaf_owned, false);
    assert.equal(me.body.data.your_role, 'owner');
  });

  test('created and replaced through the API, with errors per field', async () => {
    const e = await employer();
    const none = await get('/api/v1/company', e.token);
    assert.equal(none.status, 404);
    assert.equal(none.body.code, 'company_not_found');

    const bad = await api(srv, '/api/v1/company', {
      name: ' ', website: 'ftp://x.example', size: 'big', description_markdown: 'y'.repeat(8001),
      deaf_led: 'yes', colour: 'blue',
    }, e.token, 'PUT');
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'validation_failed');
    assert.deepEqual(fieldsOf(bad), ['colour', 'deaf_led']);
    const bad2 = await api(srv, '/api/v1/company', {
      name: ' ', website: 'ftp://x.example', size: 'big', description_markdown: 'y'.repeat(8001),
    }, e.token, 'PUT');
    assert.equal(bad2.status, 422);
    assert.deepEqual(fieldsOf(bad2), ['description_markdown', 'name', 'size', 'website']);

    const made = await api(srv, '/api/v1/company', {
      name: 'Lantern Logistics', website: 'https://lantern.example', size: '51-200',
      interpreters_on_request: true, description_markdown: 'Trucks.',
    }, e.token, 'PUT');
    assert.equal(made.status, 201, made.text);
    assert.equal(made.headers.get('location'), '/api/v1/company');
    assert.equal(made.body.data.name, 'Lantern Logistics');
    assert.equal(made.body.data.interpreters_on_request, true);
    assert.equal(made.body.data.members.length, 1);
    assert.equal(made.body.data.members[0].email, e.email);
    assert.equal(made.body.data.members[0].role, 'owner');

    const again = await api(srv, '/api/v1/company', { ...made.body.data, name: 'Lantern Freight' }, e.token, 'PUT');
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.data.id, made.body.data.id);
    assert.equal(again.body.data.name, 'Lantern Freight');
    const page = await e.c.get('/company');
    assert.match(page.text_, /<h1>Lantern Freight<\/h1>/);
  });

  test('renaming the company renames its jobs', async () => {
    const e = await employerWithCompany('Old Name Ltd');
    const id = await postJob(e, uniqueWord());
    const r = await api(srv, '/api/v1/company', { name: 'New Name Ltd', website: 'https://new.example' }, e.token, 'PUT');
    assert.equal(r.status, 200);
    const job = await get(`/api/v1/jobs/${id}`);
    assert.equal(job.body.data.company.name, 'New Name Ltd');
    assert.equal(job.body.data.company.url, 'https://new.example');
  });
});

describe('posting through the API', () => {
  test('a posted job is found by search at once; edit, close and reopen', async () => {
    const e = await employerWithCompany('Harbor Books');
    const word = uniqueWord();
    const r = await api(srv, '/api/v1/jobs', jobBody(word), e.token);
    assert.equal(r.status, 201, r.text);
    const job = r.body.data;
    assert.equal(r.headers.get('location'), `/api/v1/jobs/${job.id}`);
    assert.equal(job.title, `Accounts assistant ${word}`);
    assert.equal(job.company.name, 'Harbor Books');
    assert.equal(job.status, 'open');
    assert.equal(job.source.name, 'Beacon');
    assert.match(job.source.id, /^beacon:[A-Za-z0-9_-]+$/);
    assert.equal(job.date_posted, new Date().toISOString().slice(0, 10));
    assert.equal(job.valid_through, `${isoDate(30)}T23:59:59Z`);
    assert.deepEqual(job.salary, { min: 40000, max: 52000, currency: 'USD', period: 'YEAR' });
    assert.deepEqual(job.skills, { required: ['Bookkeeping', 'Spreadsheets'], preferred: ['ASL'] });
    assert.deepEqual(job.accommodations.map((a) => a.code), ['asl_interpreter', 'captioned_meetings']);
    assert.deepEqual(await searchIds(word), [job.id]);
    const filtered = await get(`/api/v1/jobs?q=${word}&accommodation=asl_interpreter`);
    assert.deepEqual(filtered.body.data.map((j) => j.id), [job.id]);
    const page = await fetch(`${srv.url}/jobs/${job.id}`).then((x) => x.text());
    assert.match(page, /Accounts assistant/);
    assert.match(page, /application\/ld\+json/);

    const list = await get('/api/v1/employer/jobs', e.token);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((j) => j.id), [job.id]);
    assert.equal(list.body.meta.total, 1);

    // PATCH changes what it names and keeps the rest.
    const word2 = uniqueWord();
    const p = await api(srv, `/api/v1/jobs/${job.id}`, { title: `Bookkeeper ${word2}`, salary: null }, e.token, 'PATCH');
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.data.title, `Bookkeeper ${word2}`);
    assert.equal(p.body.data.salary, null);
    assert.equal(p.body.data.description_markdown, job.description_markdown);
    assert.equal(p.body.data.date_posted, job.date_posted);
    assert.deepEqual(p.body.data.location, job.location);
    assert.deepEqual(await searchIds(word2), [job.id]);
    // What GET returns can be sent back as it is.
    const back = await api(srv, `/api/v1/jobs/${job.id}`, p.body.data, e.token, 'PATCH');
    assert.equal(back.status, 200, back.text);
    assert.deepEqual({ ...back.body.data }, { ...p.body.data });
    const merge = await api(srv, `/api/v1/jobs/${job.id}`, { location: { city: 'Dallas' }, remote: true }, e.token, 'PATCH');
    assert.equal(merge.status, 200);
    assert.deepEqual(merge.body.data.location, { city: 'Dallas', region: 'TX', country: 'US' });
    assert.equal(merge.body.data.remote, true);

    const closed = await api(srv, `/api/v1/jobs/${job.id}/close`, undefined, e.token);
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.body.data.status, 'closed');
    assert.deepEqual(await searchIds(word2), []);
    assert.equal((await get(`/api/v1/jobs/${job.id}`)).body.data.status, 'closed');
    const again = await api(srv, `/api/v1/jobs/${job.id}/close`, undefined, e.token);
    assert.equal(again.status, 200, 'closing twice is fine');

    const reopened = await api(srv, `/api/v1/jobs/${job.id}/reopen`, undefined, e.token);
    assert.equal(reopened.status, 200);
    assert.equal(reopened.body.data.status, 'open');
    assert.deepEqual(await searchIds(word2), [job.id]);
  });

  test('every wrong field is named at once', async () => {
    const e = await employerWithCompany('Field Checks Inc');
    const r = await api(srv, '/api/v1/jobs', {
      title: '',
      description_markdown: 'z'.repeat(32769),
      employment_type: 'SOMETIMES',
      experience_level: 'guru',
      location: { city: null },
      salary: { min: 60000, max: 50000, currency: 'dollars', period: 'FORTNIGHT' },
      skills: { required: Array.from({ length: 51 }, (_, i) => `skill ${i}`) },
      accommodations: ['asl_interpreter', 'telepathy'],
      valid_through: isoDate(-2),
    }, e.token);
    assert.equal(r.status, 422);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(fieldsOf(r), [
      'accommodations', 'description_markdown', 'employment_type', 'experience_level', 'location.city',
      'salary.currency', 'salary.max', 'salary.period', 'skills.required', 'title', 'valid_through',
    ]);
    const types = await api(srv, '/api/v1/jobs', { ...jobBody('x'), remote: 'yes', salary: { min: 'lots' }, title: 7, hobby: 1 }, e.token);
    assert.equal(types.status, 422);
    assert.deepEqual(fieldsOf(types), ['hobby', 'remote', 'salary.min', 'title']);
    const notJson = await api(srv, '/api/v1/jobs', '{"title":', e.token);
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.code, 'invalid_json');
    assert.equal((await get('/api/v1/employer/jobs', e.token)).body.meta.total, 0, 'nothing was stored');
  });

  test('a job past its closing date cannot be reopened until the date moves', async () => {
    const e = await employerWithCompany('Late Dates Co');
    const word = uniqueWord();
    const id = await postJob(e, word);
    assert.equal((await api(srv, `/api/v1/jobs/${id}/close`, undefined, e.token)).status, 200);
    sql(`UPDATE jobs SET valid_through = '2020-01-31T23:59:59Z' WHERE id = ${id}`);
    const r = await api(srv, `/api/v1/jobs/${id}/reopen`, undefined, e.token);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'job_expired');
    assert.equal(r.body.param, 'valid_through');
    // Editing other fields keeps the old date; a past date cannot be chosen anew.
    assert.equal((await api(srv, `/api/v1/jobs/${id}`, { title: `Clerk ${word}` }, e.token, 'PATCH')).status, 200);
    const past = await api(srv, `/api/v1/jobs/${id}`, { valid_through: '2021-03-01' }, e.token, 'PATCH');
    assert.equal(past.status, 422);
    assert.deepEqual(fieldsOf(past), ['valid_through']);
    assert.equal((await api(srv, `/api/v1/jobs/${id}`, { valid_through: isoDate(10) }, e.token, 'PATCH')).status, 200);
    assert.equal((await api(srv, `/api/v1/jobs/${id}/reopen`, undefined, e.token)).status, 200);
    assert.deepEqual(await searchIds(word), [id]);
  });

  test('the company job list pages', async () => {
    const e = await employerWithCompany('Many Jobs LLC');
    const ids = [];
    for (let i = 0; i < 23; i++) ids.push(await postJob(e, uniqueWord()));
    const p1 = await get('/api/v1/employer/jobs?per_page=10', e.token);
    assert.equal(p1.body.meta.total, 23);
    assert.equal(p1.body.meta.pages, 3);
    assert.deepEqual(p1.body.data.map((j) => j.id), ids.slice().reverse().slice(0, 10));
    assert.match(p1.body.links.next, /page=2&per_page=10$/);
    const p3 = await get('/api/v1/employer/jobs?page=3&per_page=10', e.token);
    assert.equal(p3.body.data.length, 3);
    assert.equal((await get('/api/v1/employer/jobs?page=0', e.token)).status, 400);
    // One reader for every API list: empty means the default, anything but digits is refused.
    for (const list of ['/api/v1/employer/jobs', '/api/v1/candidates']) {
      const empty = await get(`${list}?page=&per_page=`, e.token);
      assert.equal(empty.status, 200, list);
      assert.equal(empty.body.meta.page, 1, list);
      for (const bad of ['page=%2B2', 'page=%202', 'page=2x', 'per_page=-1', 'per_page=101', 'page=99999999999999999999']) {
        const r = await get(`${list}?${bad}`, e.token);
        assert.equal(r.status, 400, `${list}?${bad}`);
        assert.equal(r.body.code, 'invalid_parameter');
        assert.equal(r.body.param, bad.split('=')[0]);
      }
    }

    const h1 = await e.c.get('/employer/jobs');
    assert.equal((h1.text_.match(/<li class="card">/g) || []).length, 20);
    assert.match(h1.text_, /href="\/employer\/jobs\?page=2" rel="next"/);
    const h2 = await e.c.get('/employer/jobs?page=2');
    assert.equal((h2.text_.match(/<li class="card">/g) || []).length, 3);
    assert.match(h2.text_, /rel="prev"/);
    assert.equal((await e.c.get('/employer/jobs?page=x')).status, 400);
  });
});

describe('posting on the pages', () => {
  test('empty list, form errors tied to fields, post, edit, close and reopen', async () => {
    const e = await employer();
    const noCompany = await e.c.get('/employer/jobs');
    assert.equal(noCompany.status, 200);
    assert.match(noCompany.text_, /href="\/company"/);
    assert.equal((await e.c.get('/employer/jobs/new')).status, 200);
    assert.match((await e.c.get('/employer/jobs/new')).text_, /Create your company first/);
    assert.equal((await e.c.submit('/company', '/company', { name: 'Quiet Harbor Café' })).status, 303);

    const empty = await e.c.get('/employer/jobs');
    assert.equal(empty.status, 200);
    assert.match(empty.text_, /No jobs yet/);
    assert.match(empty.text_, /href="\/employer\/jobs\/new">Post your first job/);

    const form = await e.c.get('/employer/jobs/new');
    assert.equal(form.status, 200);
    assert.equal((form.text_.match(/<h1>/g) || []).length, 1);
    for (const f of ['title', 'description', 'employment_type', 'experience_level', 'city', 'salary_min', 'valid_through', 'acc_asl_interpreter'])
      assert.match(form.text_, new RegExp(`<label for="f-${f}">`), `label for ${f}`);
    assert.match(form.text_, /name="_csrf"/);

    const word = uniqueWord();
    const bad = await e.c.submit('/employer/jobs/new', '/employer/jobs/new', jobForm(word, {
      title: '', description: 'd'.repeat(40000), city: '', region: '', country: '', salary_min: 'lots',
      valid_through: '31/12/2030',
    }));
    assert.equal(bad.status, 422);
    for (const f of ['title', 'description', 'city', 'salary_min', 'valid_through']) assert.ok(invalid(bad.text_, f), f);
    assert.ok(!invalid(bad.text_, 'salary_max'));
    assert.match(bad.text_, /id="e-description"[^>]*>.*too long/);
    assert.match(bad.text_, /value="Rochester"|value=""/, 'values are kept');
    assert.match(bad.text_, /id="f-acc_text_interviews"[^>]*checked/, 'ticked boxes stay ticked');
    assert.deepEqual(await searchIds(word), []);

    const ok = await e.c.submit('/employer/jobs/new', '/employer/jobs/new', jobForm(word));
    assert.equal(ok.status, 303, ok.text_.slice(0, 500));
    assert.equal(ok.headers.get('location'), '/employer/jobs?done=posted');
    const [id] = await searchIds(word);
    assert.ok(id, 'found by search at once');
    const job = (await get(`/api/v1/jobs/${id}`)).body.data;
    assert.equal(job.company.name, 'Quiet Harbor Café');
    assert.equal(job.description_markdown, `Serve customers at the counter.\nKeyword: ${word}.`);
    assert.deepEqual(job.salary, { min: 18, max: 22, currency: 'USD', period: 'HOUR' });
    assert.deepEqual(job.skills.required, ['Cash handling', 'Customer service']);
    assert.deepEqual(job.accommodations.map((a) => a.code), ['text_interviews', 'visual_alerts']);

    const list = await e.c.get('/employer/jobs?done=posted');
    assert.match(list.text_, /Your job is posted/);
    assert.match(list.text_, new RegExp(`href="/jobs/${id}">Bakery cashier ${word}</a>`));
    assert.match(list.text_, /Status: <strong>Open/);
    assert.match(list.text_, new RegExp(`action="/employer/jobs/${id}/close"`));

    const edit = await e.c.get(`/employer/jobs/${id}/edit`);
    assert.equal(edit.status, 200);
    assert.match(edit.text_, new RegExp(`value="Bakery cashier ${word}"`));
    assert.match(edit.text_, /id="f-acc_visual_alerts"[^>]*checked/);
    assert.match(edit.text_, new RegExp(`value="${isoDate(20)}"`));
    const word2 = uniqueWord();
    const changed = jobForm(word2, { remote: '1', city: '', region: '', country: '' });
    delete changed.acc_visual_alerts; // an unticked box is not sent
    const saved = await e.c.submit(`/employer/jobs/${id}/edit`, `/employer/jobs/${id}/edit`, changed);
    assert.equal(saved.status, 303);
    assert.deepEqual(await searchIds(word2), [id]);
    assert.deepEqual(await searchIds(word), []);
    const after = (await get(`/api/v1/jobs/${id}`)).body.data;
    assert.equal(after.remote, true);
    assert.deepEqual(after.accommodations.map((a) => a.code), ['text_interviews']);

    const closed = await e.c.submit('/employer/jobs', `/employer/jobs/${id}/close`, {});
    assert.equal(closed.status, 303);
    assert.equal(closed.headers.get('location'), '/employer/jobs?done=closed');
    assert.deepEqual(await searchIds(word2), []);
    const closedList = await e.c.get('/employer/jobs');
    assert.match(closedList.text_, /Status: <strong>Closed/);
    assert.match(closedList.text_, new RegExp(`action="/employer/jobs/${id}/reopen"`));
    const reopened = await e.c.submit('/employer/jobs', `/employer/jobs/${id}/reopen`, {});
    assert.equal(reopened.status, 303);
    assert.deepEqual(await searchIds(word2), [id]);

    sql(`UPDATE jobs SET status = 'closed', valid_through = '2020-01-31T23:59:59Z' WHERE id = ${id}`);
    const late = await e.c.submit('/employer/jobs', `/employer/jobs/${id}/reopen`, {});
    assert.equal(late.status, 409);
    assert.match(late.text_, /closing date has passed/);
    assert.match(late.text_, new RegExp(`href="/employer/jobs/${id}/edit"`));
  });

  test('the job form refuses a missing or wrong CSRF token', async () => {
    const e = await employerWithCompany('Token Checks Ltd');
    await e.c.get('/employer/jobs/new');
    const word = uniqueWord();
    const none = await e.c.postRaw('/employer/jobs/new', jobForm(word));
    assert.equal(none.status, 403);
    const wrong = await e.c.postRaw('/employer/jobs/new', { _csrf: 'A'.repeat(43), ...jobForm(word) });
    assert.equal(wrong.status, 403);
    assert.deepEqual(await searchIds(word), []);
    const id = await postJob(e, word);
    assert.equal((await e.c.postRaw(`/employer/jobs/${id}/close`, {})).status, 403);
    assert.deepEqual(await searchIds(word), [id]);
  });

  test('hostile text is escaped on the job page; oversized text is refused', async () => {
    const e = await employerWithCompany('Escapes <b>Inc</b>');
    const word = uniqueWord();
    const id = await postJob(e, word, {
      title: `<script>alert(1)</script> Baker ${word} "quoted" & more`,
      description_markdown: `<img src=x onerror=alert(2)>\n\n<script>alert(3)</script>\n\n[click](javascript:alert(4)) ${word}`,
      skills: { required: ['<b>bold</b>'] },
    });
    const raw = await fetch(`${srv.url}/jobs/${id}`).then((x) => x.text());
    // The JSON-LD holds the text as data, with "</" written as "<\/" so it cannot end the element.
    const ld = raw.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)[1];
    assert.doesNotMatch(ld, /<\//);
    assert.equal(JSON.parse(ld).title, `<script>alert(1)</script> Baker ${word} "quoted" & more`);
    const page = raw.replace(ld, '');
    assert.doesNotMatch(page, /<script>alert/);
    assert.doesNotMatch(page, /<img src=x/);
    assert.doesNotMatch(page, /javascript:alert/);
    assert.doesNotMatch(page, /<b>bold<\/b>/);
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Baker/);
    assert.match(page, /Escapes &lt;b&gt;Inc&lt;\/b&gt;/);
    const list = await e.c.get('/employer/jobs');
    assert.doesNotMatch(list.text_, /<script>alert/);
    const edit = await e.c.get(`/employer/jobs/${id}/edit`);
    assert.doesNotMatch(edit.text_, /<script>alert/);
    assert.doesNotMatch(edit.text_, /<img src=x/);

    const big = await api(srv, `/api/v1/jobs/${id}`, { description_markdown: 'w '.repeat(20000) }, e.token, 'PATCH');
    assert.equal(big.status, 422);
    assert.deepEqual(fieldsOf(big), ['description_markdown']);
    const ctl = await api(srv, '/api/v1/jobs', jobBody(word, { title: 'Bell\u0007 ringer' }), e.token);
    assert.equal(ctl.status, 422);
    assert.deepEqual(fieldsOf(ctl), ['title']);
    const multi = await api(srv, '/api/v1/jobs', jobBody(word, { title: 'Two\nlines' }), e.token);
    assert.deepEqual(fieldsOf(multi), ['title']);
  });
});

describe('who may do what', () => {
  test("another company's employer gets 404 for every page and API action", async () => {
    const a = await employerWithCompany('Company A');
    const b = await employerWithCompany('Company B');
    const word = uniqueWord();
    const id = await postJob(a, word);
    await b.c.get('/employer/jobs');

    assert.equal((await b.c.get(`/employer/jobs/${id}/edit`)).status, 404);
    assert.equal((await b.c.submit('/employer/jobs', `/employer/jobs/${id}/edit`, jobForm('hijack'))).status, 404);
    assert.equal((await b.c.submit('/employer/jobs', `/employer/jobs/${id}/close`, {})).status, 404);
    assert.equal((await b.c.submit('/employer/jobs', `/employer/jobs/${id}/reopen`, {})).status, 404);
    const missing = await b.c.get('/employer/jobs/987654321/edit');
    assert.equal(missing.status, 404, 'an unknown job looks the same');

    const patch = await api(srv, `/api/v1/jobs/${id}`, { title: 'Hijacked' }, b.token, 'PATCH');
    assert.equal(patch.status, 404);
    assert.equal(patch.body.code, 'job_not_found');
    assert.equal((await api(srv, `/api/v1/jobs/${id}/close`, undefined, b.token)).status, 404);
    assert.equal((await api(srv, `/api/v1/jobs/${id}/reopen`, undefined, b.token)).status, 404);
    assert.equal((await api(srv, '/api/v1/jobs/987654321', { title: 'x' }, b.token, 'PATCH')).status, 404);
    assert.deepEqual((await get('/api/v1/employer/jobs', b.token)).body.data, []);
    assert.doesNotMatch((await b.c.get('/employer/jobs')).text_, new RegExp(word));

    const job = (await get(`/api/v1/jobs/${id}`)).body.data;
    assert.equal(job.title, `Accounts assistant ${word}`);
    assert.equal(job.status, 'open');
    assert.deepEqual(await searchIds(word), [id]);

    // An employer with no company at all fares no better.
    const c = await employer();
    assert.equal((await api(srv, `/api/v1/jobs/${id}/close`, undefined, c.token)).status, 404);
    const post = await api(srv, '/api/v1/jobs', jobBody(uniqueWord()), c.token);
    assert.equal(post.status, 409);
    assert.equal(post.body.code, 'company_required');
  });

  test('job seekers get 403; anonymous visitors are sent to sign in (pages) or get 401 (API)', async () => {
    const a = await employerWithCompany('Gatekeepers');
    const id = await postJob(a, uniqueWord());
    const { email } = await registerVerified(srv, { role: 'job_seeker' });
    const seeker = await signIn(srv, email);
    const tok = (await tokens(srv, email)).access_token;
    for (const path of ['/employer/jobs', '/employer/jobs/new', '/company', `/employer/jobs/${id}/edit`])
      assert.equal((await seeker.get(path)).status, 403, path);
    assert.equal((await seeker.submit('/account', `/employer/jobs/${id}/close`, {})).status, 403);
    assert.equal((await api(srv, '/api/v1/jobs', jobBody('x'), tok)).status, 403);
    assert.equal((await api(srv, `/api/v1/jobs/${id}`, { title: 'x' }, tok, 'PATCH')).status, 403);
    assert.equal((await api(srv, `/api/v1/jobs/${id}/close`, undefined, tok)).status, 403);
    assert.equal((await get('/api/v1/company', tok)).status, 403);
    assert.equal((await get('/api/v1/employer/jobs', tok)).status, 403);

    const anon = new Client(srv.url);
    for (const path of ['/employer/jobs', '/employer/jobs/new', '/company', `/employer/jobs/${id}/edit`]) {
      const r = await anon.get(path);
      assert.equal(r.status, 303, path);
      assert.equal(r.headers.get('location'), `/signin?next=${encodeURIComponent(path)}`);
    }
    for (const [path, method] of [['/api/v1/jobs', 'POST'], [`/api/v1/jobs/${id}`, 'PATCH'],
      [`/api/v1/jobs/${id}/close`, 'POST'], [`/api/v1/jobs/${id}/reopen`, 'POST'],
      ['/api/v1/company', 'PUT'], ['/api/v1/company/invites', 'POST']]) {
      const r = await api(srv, path, {}, undefined, method);
      assert.equal(r.status, 401, `${method} ${path}`);
      assert.equal(r.body.code, 'unauthenticated');
    }
    assert.equal((await get('/api/v1/company')).status, 401);
    assert.equal((await get('/api/v1/employer/jobs')).status, 401);
    // The public job stays public.
    assert.equal((await get(`/api/v1/jobs/${id}`)).status, 200);
  });

  test('methods: 405 lists every method of the path', async () => {
    const e = await employerWithCompany('Method Co');
    const id = await postJob(e, uniqueWord());
    const del = await api(srv, `/api/v1/jobs/${id}`, undefined, e.token, 'DELETE');
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'GET, HEAD, PATCH');
    const put = await api(srv, '/api/v1/jobs', {}, e.token, 'PUT');
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD, POST');
    const comp = await api(srv, '/api/v1/company', {}, e.token, 'POST');
    assert.equal(comp.headers.get('allow'), 'GET, HEAD, PUT');
    const closeGet = await get(`/api/v1/jobs/${id}/close`, e.token);
    assert.equal(closeGet.status, 405);
    assert.equal(closeGet.headers.get('allow'), 'POST');
    assert.equal((await e.c.get(`/employer/jobs/${id}/close`)).status, 405);
    assert.equal((await e.c.get(`/employer/jobs/${id}/editx`)).status, 404);
    assert.equal((await e.c.get(`/employer/jobs/0${id}/edit`)).status, 404);
  });

  test('only confirmed accounts may publish', async () => {
    const email = newEmail('unconfirmed');
    const reg = await api(srv, '/api/v1/auth/register', { email, password: PASSWORD, display_name: 'Una', role: 'employer' });
    assert.equal(reg.status, 202);
    const token = (await tokens(srv, email)).access_token;
    const made = await api(srv, '/api/v1/company', { name: 'Unconfirmed Co' }, token, 'PUT');
    assert.equal(made.status, 201, made.text);
    const post = await api(srv, '/api/v1/jobs', jobBody(uniqueWord()), token);
    assert.equal(post.status, 403);
    assert.equal(post.body.code, 'email_unverified');
    const inv = await api(srv, '/api/v1/company/invites', { email: newEmail('colleague') }, token);
    assert.equal(inv.status, 403);
    assert.equal(inv.body.code, 'email_unverified');

    const c = await signIn(srv, email);
    const page = await c.get('/employer/jobs/new');
    assert.equal(page.status, 403);
    assert.match(page.text_, /Confirm your email address first/);
    assert.match(page.text_, /href="\/account"/);
    const sent = await c.submit('/employer/jobs', '/employer/jobs/new', jobForm(uniqueWord()));
    assert.equal(sent.status, 403);
    assert.match((await c.get('/employer/jobs')).text_, /Confirm your email address to post/);
  });

  test('recruiters post like employers; admins may change any job', async () => {
    const r = await employer('Rita Recruiter');
    sql(`UPDATE users SET role = 'recruiter' WHERE email = '${r.email}'`);
    r.token = (await tokens(srv, r.email)).access_token;
    assert.equal((await api(srv, '/api/v1/company', { name: 'Recruit Partners' }, r.token, 'PUT')).status, 201);
    const word = uniqueWord();
    const id = await postJob(r, word);
    assert.deepEqual(await searchIds(word), [id]);

    const adminEmail = newEmail('admin');
    const made = beaconctl(srv.env, ['create-admin', adminEmail, 'Ada Admin'], `${PASSWORD}\n`);
    assert.equal(made.status, 0, made.stderr);
    const admin = await signIn(srv, adminEmail);
    const setup = await admin.get('/account/2fa');
    const secret = setup.text_.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
    const on = await admin.submit('/account/2fa', '/account/2fa/enable', { code: totp(secret) });
    assert.equal(on.status, 200);
    assert.equal((await admin.get(`/employer/jobs/${id}/edit`)).status, 200);
    const closed = await admin.submit('/employer/jobs', `/employer/jobs/${id}/close`, {});
    assert.equal(closed.status, 303);
    assert.deepEqual(await searchIds(word), []);
    const audit = sql(`SELECT actor_id || ' ' || event FROM audit_log WHERE target_type = 'job' AND target_id = '${id}' ORDER BY id`);
    assert.match(audit, /job\.posted\n\d+ job\.closed$/);
  });
});

describe('invitations', () => {
  test('invite by email; only the invited address accepts, once', async () => {
    const owner = await employer('Olive Owner');
    assert.equal((await owner.c.submit('/company', '/company', { name: 'Beacon Bistro' })).status, 303);
    const jobId = await postJob(owner, uniqueWord());

    const badInvite = await owner.c.submit('/company', '/company/invites', { email: 'not an address' });
    assert.equal(badInvite.status, 422);
    assert.ok(invalid(badInvite.text_, 'email'));
    const self = await owner.c.submit('/company', '/company/invites', { email: owner.email });
    assert.equal(self.status, 422);

    const invitee = newEmail('invitee');
    const sent = await owner.c.submit('/company', '/company/invites', { email: invitee.toUpperCase() });
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.get('location'), '/company?done=invited');
    const link = await waitMail(srv, invitee, linkRe('/invites/accept'));
    const token = new URL(link, srv.url).searchParams.get('token');
    const stored = sql('SELECT token_hash FROM company_invites ORDER BY id DESC LIMIT 1');
    assert.match(stored, /^[0-9a-f]{64}$/);
    assert.notEqual(stored, token, 'only a hash of the token is stored');

    // Anonymous: told whom it is for and where to sign in.
    const anon = await new Client(srv.url).get(link);
    assert.equal(anon.status, 200);
    assert.match(anon.text_, /Join Beacon Bistro on Beacon/);
    assert.match(anon.text_, new RegExp(invitee.replace(/[.]/g, '\\.')));
    assert.match(anon.text_, /href="\/signin\?next=%2Finvites%2Faccept%3Ftoken%3D/);

    // Signed in with another address: refused.
    const other = await employer('Wrong Person');
    const wrongGet = await other.c.get(link);
    assert.equal(wrongGet.status, 403);
    assert.match(wrongGet.text_, /This invitation is for someone else/);
    const wrongPost = await other.c.submit('/employer/jobs', '/invites/accept', { token });
    assert.equal(wrongPost.status, 403);

    // A job seeker with the invited address cannot join either.
    const seekerMail = newEmail('seeker');
    const seekerSent = await api(srv, '/api/v1/company/invites', { email: seekerMail }, owner.token);
    assert.equal(seekerSent.status, 202, seekerSent.text);
    assert.match(seekerSent.body.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const seekerLink = await waitMail(srv, seekerMail, linkRe('/invites/accept'));
    await registerVerified(srv, { role: 'job_seeker', email: seekerMail });
    const seeker = await signIn(srv, seekerMail);
    assert.equal((await seeker.get(seekerLink)).status, 403);

    // The invited address, as an employer: a button, then membership.
    await registerVerified(srv, { role: 'employer', email: invitee, name: 'Ivy Invitee' });
    const ivy = await signIn(srv, invitee);
    const offer = await ivy.get(link);
    assert.equal(offer.status, 200);
    assert.match(offer.text_, /<button type="submit">Join Beacon Bistro<\/button>/);
    const accepted = await ivy.submit(link, '/invites/accept', { token });
    assert.equal(accepted.status, 303);
    assert.equal(accepted.headers.get('location'), '/company?done=joined');
    const company = await ivy.get('/company?done=joined');
    assert.match(company.text_, /<h1>Beacon Bistro<\/h1>/);
    assert.match(company.text_, /Ivy Invitee/);
    const ivyToken = (await tokens(srv, invitee)).access_token;
    const me = await get('/api/v1/company', ivyToken);
    assert.equal(me.body.data.your_role, 'member');
    assert.equal(me.body.data.members.length, 2);
    // Members change the company's jobs.
    const edited = await api(srv, `/api/v1/jobs/${jobId}`, { title: 'Line cook' }, ivyToken, 'PATCH');
    assert.equal(edited.status, 200);

    // Used once only.
    const reuse = await ivy.submit(link, '/invites/accept', { token });
    assert.equal(reuse.status, 410);
    assert.equal((await ivy.get(link)).status, 410);
    assert.equal((await ivy.get('/invites/accept?token=short')).status, 404);
    assert.equal((await ivy.get(`/invites/accept?token=${'x'.repeat(43)}`)).status, 404);

    // Expired invitations are refused.
    const late = newEmail('late');
    assert.equal((await api(srv, '/api/v1/company/invites', { email: late }, ivyToken)).status, 202);
    const lateLink = await waitMail(srv, late, linkRe('/invites/accept'));
    sql("UPDATE company_invites SET expires_at = '2020-01-01T00:00:00Z' WHERE accepted_at IS NULL");
    assert.equal((await new Client(srv.url).get(lateLink)).status, 410);

    const events = sql(`SELECT event FROM audit_log WHERE event LIKE 'company.%' ORDER BY id`).split('\n');
    for (const ev of ['company.created', 'company.invite.sent', 'company.invite.accepted'])
      assert.ok(events.includes(ev), ev);
  });
});
