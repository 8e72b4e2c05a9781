// Applications end to end: applying with one's own resume (and only that),
// one application per job, every allowed stage change with its history and
// the refused ones, withdrawing, bulk rejection with a message, notes, the
// message thread with unread counts both ways, interviews (proposal, choice,
// the accommodation recorded, the .ics file), accommodation needs shown to
// the employer only as the candidate's disclosure setting allows, and
// ownership: another company's employer and another job seeker get 404
// everywhere. Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Client, api, registerVerified, signIn, tokens } from '../lib/accounts.mjs';
import { startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

let srv;
after(async () => {
  if (process.env.BEACON_KEEP_LOG) (await import('node:fs')).writeFileSync(process.env.BEACON_KEEP_LOG, srv?.log() ?? '');
  await srv?.stop();
});

const sql = (statement) => dbQuery(srv, statement);

const get = (path, token) => api(srv, path, undefined, token, 'GET');

/** A signed-in person: page client, API token, id. */
async function person(role, name) {
  const { email } = await registerVerified(srv, { role, name });
  const c = await signIn(srv, email);
  const token = (await tokens(srv, email)).access_token;
  const me = await get('/api/v1/me', token);
  return { email, c, token, id: me.body.id ?? me.body.data?.id, name };
}

async function employerWithCompany(company, name) {
  const e = await person('employer', name);
  const r = await api(srv, '/api/v1/company', { name: company }, e.token, 'PUT');
  assert.ok(r.status === 200 || r.status === 201, r.text);
  return e;
}

let jobSeq = 0;
async function postJob(e, title) {
  jobSeq += 1;
  const r = await api(srv, '/api/v1/jobs', {
    title: `${title} ${jobSeq}`,
    description_markdown: 'Work with a friendly team that writes things down.',
    employment_type: 'FULL_TIME',
    experience_level: 'mid',
    location: { city: 'Austin', region: 'TX', country: 'US' },
  }, e.token);
  assert.equal(r.status, 201, r.text);
  return r.body.data?.id ?? r.body.id;
}

/**
 * A document of kind owned by p: uploaded through the documents API, as a
 * person would; while that API is not in the build, a documents row written
 * directly stands in for the upload.
 */
let docSeq = 0;
async function document(p, kind = 'resume', text = 'Resume of a careful accountant.') {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', new Blob([text], { type: 'text/plain' }), `${kind}.txt`);
  const res = await fetch(`${srv.url}/api/v1/documents`, {
    method: 'POST', headers: { authorization: `Bearer ${p.token}` }, body: form,
  });
  const body = await res.json().catch(() => null);
  if (res.status === 404 || res.status === 405) {
    docSeq += 1;
    const name = `fixture-${process.pid}-${docSeq}`;
    return Number(sql(`INSERT INTO documents (user_id, kind, filename, mime, size, sha256, storage_name, created_at)
      VALUES (${p.id}, '${kind}', '${kind}.txt', 'text/plain', ${text.length}, '', '${name}', '2026-01-01T00:00:00Z') RETURNING id`));
  }
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.data?.id ?? body.id;
}

async function apply(p, jobId, fields = {}) {
  return api(srv, `/api/v1/jobs/${jobId}/applications`, fields, p.token);
}

async function appliedWithResume(p, jobId) {
  const resume = await document(p);
  const r = await apply(p, jobId, { resume_id: resume });
  assert.equal(r.status, 201, r.text);
  return r.body.data.id;
}

const move = (e, id, stage, note) =>
  api(srv, `/api/v1/applications/${id}/stage`, note ? { stage, note } : { stage }, e.token);

async function notifications(p) {
  const r = await get('/api/v1/notifications', p.token);
  assert.equal(r.status, 200, r.text);
  return r.body.items ?? r.body.data?.items ?? r.body.data;
}

let empA;
let empB;
let seeker;
let other;
let jobA;
let jobB;
before(async () => {
  srv = await startServer();
  empA = await employerWithCompany('Clear Signal Co', 'Erin Employer');
  empB = await employerWithCompany('Other Company', 'Oscar Other');
  seeker = await person('job_seeker', 'Sam Seeker');
  other = await person('job_seeker', 'Olive Other');
  jobA = await postJob(empA, 'Accounts assistant');
  jobB = await postJob(empB, 'Warehouse lead');
});

describe('applying', () => {
  test('needs one of the applicant\'s own resumes; a cover letter must be a cover letter', async () => {
    const job = await postJob(empA, 'Bookkeeper');
    let r = await apply(seeker, job, {});
    assert.equal(r.status, 422);
    assert.ok(r.body.errors.some((e) => e.field === 'resume_id'));
    const othersResume = await document(other);
    r = await apply(seeker, job, { resume_id: othersResume });
    assert.equal(r.status, 422, 'someone else\'s resume');
    const mine = await document(seeker);
    r = await apply(seeker, job, { resume_id: mine, cover_letter_id: mine });
    assert.equal(r.status, 422, 'a resume is not a cover letter');
    assert.ok(r.body.errors.some((e) => e.field === 'cover_letter_id'));
    sql(`UPDATE documents SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = ${othersResume}`);
    const deleted = await document(seeker);
    sql(`UPDATE documents SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = ${deleted}`);
    r = await apply(seeker, job, { resume_id: deleted });
    assert.equal(r.status, 422, 'a deleted resume');
    const cover = await document(seeker, 'cover_letter', 'Dear team, I would like to join.');
    r = await apply(seeker, job, { resume_id: mine, cover_letter_id: cover, message: 'I sign ASL and write fast.' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.stage, 'applied');
    assert.equal(r.body.data.resume_id, mine);
    assert.equal(r.body.data.cover_letter_id, cover);
    assert.equal(r.body.data.events.length, 1);
    assert.equal(r.body.data.events[0].to, 'applied');
    assert.equal(r.body.data.events[0].by, 'candidate');
    assert.match(r.headers.get('location'), /^\/api\/v1\/applications\/\d+$/);
  });

  test('one application per person per job: the second is 409 already_applied', async () => {
    const job = await postJob(empA, 'Payroll clerk');
    await appliedWithResume(seeker, job);
    const again = await apply(seeker, job, { resume_id: await document(seeker) });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'already_applied');
    const page = await seeker.c.get(`/jobs/${job}/apply`);
    assert.equal(page.status, 409);
    assert.ok(page.text_.includes('You already applied'));
    // Several requests at once: one application, the others 409, never a 500.
    const raceJob = await postJob(empA, 'Race');
    const doc = await document(other);
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => apply(other, raceJob, { resume_id: doc })));
    assert.deepEqual(all.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
  });

  test('a closed job takes no applications; unknown jobs are 404', async () => {
    const job = await postJob(empA, 'Closed role');
    assert.equal((await api(srv, `/api/v1/jobs/${job}/close`, {}, empA.token)).status, 200);
    const r = await apply(seeker, job, { resume_id: await document(seeker) });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'job_closed');
    assert.equal((await apply(seeker, 999999999, { resume_id: 1 })).status, 404);
  });

  test('employers may not apply (403); the company hears of a new application', async () => {
    const r = await apply(empB, jobA, { resume_id: 1 });
    assert.equal(r.status, 403);
    const job = await postJob(empA, 'Data clerk');
    const id = await appliedWithResume(seeker, job);
    const items = await notifications(empA);
    assert.ok(items.some((n) => n.kind === 'application_received' && n.link === `/employer/applications/${id}`));
  });

  test('the apply form on pages: choose a resume, send, land on the application', async () => {
    const job = await postJob(empA, 'Form role');
    const jobPage = await seeker.c.get(`/jobs/${job}`);
    assert.ok(jobPage.text_.includes(`href="/jobs/${job}/apply"`));
    const resume = await document(seeker, 'resume', 'Page resume');
    const form = await seeker.c.get(`/jobs/${job}/apply`);
    assert.equal(form.status, 200);
    assert.ok(form.text_.includes(`value="${resume}"`));
    const bad = await seeker.c.submit(`/jobs/${job}/apply`, `/jobs/${job}/apply`, { resume_id: '' });
    assert.equal(bad.status, 422);
    assert.ok(bad.text_.includes('f-resume_id'));
    const ok = await seeker.c.submit(`/jobs/${job}/apply`, `/jobs/${job}/apply`, { resume_id: String(resume), message: 'Hello' });
    assert.equal(ok.status, 303);
    const loc = ok.headers.get('location');
    assert.match(loc, /^\/applications\/\d+\?done=applied$/);
    const page = await seeker.c.get(loc);
    assert.equal(page.status, 200);
    assert.ok(page.text_.includes('Timeline'));
    const list = await seeker.c.get('/applications');
    assert.ok(list.text_.includes(`href="${loc.split('?')[0]}"`));
    const anon = await new Client(srv.url).get(`/jobs/${job}/apply`);
    assert.equal(anon.status, 303, 'anonymous visitors are sent to sign in');
  });
});

describe('stages and history', () => {
  const paths = [
    ['screening', 'interview', 'offer', 'hired'],
    ['interview', 'rejected'],
    ['rejected'],
    ['screening', 'rejected'],
    ['screening', 'interview', 'rejected'],
    ['screening', 'interview', 'offer', 'rejected'],
  ];
  for (const path of paths) {
    test(`employer moves applied -> ${path.join(' -> ')} and every change is kept`, async () => {
      const job = await postJob(empA, 'Pipeline');
      const id = await appliedWithResume(seeker, job);
      let from = 'applied';
      for (const to of path) {
        const r = await move(empA, id, to, to === 'rejected' ? 'Thank you for your time.' : undefined);
        assert.equal(r.status, 200, `${from} -> ${to}: ${r.text}`);
        assert.equal(r.body.data.stage, to);
        from = to;
      }
      const got = (await get(`/api/v1/applications/${id}`, seeker.token)).body.data;
      assert.deepEqual(got.events.map((e) => [e.from, e.to]),
        [[null, 'applied'], ...path.map((to, i) => [i === 0 ? 'applied' : path[i - 1], to])]);
      for (const e of got.events.slice(1)) {
        assert.equal(e.by, 'employer');
        assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }
      const emp = (await get(`/api/v1/applications/${id}`, empA.token)).body.data;
      assert.equal(emp.events[1].actor_name, 'Erin Employer');
      assert.deepEqual(emp.next_stages, []);
      const items = await notifications(seeker);
      assert.ok(items.some((n) => n.kind === 'stage_changed' && n.link === `/applications/${id}`));
    });
  }

  test('the candidate withdraws from every open stage; nobody moves a closed application', async () => {
    for (const path of [[], ['screening'], ['screening', 'interview'], ['interview', 'offer']]) {
      const job = await postJob(empA, 'Withdraw');
      const id = await appliedWithResume(seeker, job);
      for (const to of path) assert.equal((await move(empA, id, to)).status, 200);
      const w = await api(srv, `/api/v1/applications/${id}/withdraw`, {}, seeker.token);
      assert.equal(w.status, 200, w.text);
      assert.equal(w.body.data.stage, 'withdrawn');
      assert.equal(w.body.data.events.at(-1).by, 'candidate');
      const again = await api(srv, `/api/v1/applications/${id}/withdraw`, {}, seeker.token);
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'invalid_transition');
      assert.equal((await move(empA, id, 'screening')).status, 409);
    }
  });

  test('refused transitions: skipping ahead, going back, leaving a final stage, the wrong side', async () => {
    const job = await postJob(empA, 'Refused');
    const id = await appliedWithResume(seeker, job);
    for (const to of ['offer', 'hired', 'applied', 'withdrawn']) {
      const r = await move(empA, id, to);
      assert.equal(r.status, 409, `applied -> ${to}`);
      assert.equal(r.body.code, 'invalid_transition');
    }
    assert.equal((await move(empA, id, 'bogus')).status, 422);
    assert.equal((await move(empA, id, 'screening')).status, 200);
    assert.equal((await move(empA, id, 'applied')).status, 409, 'no going back');
    assert.equal((await move(empA, id, 'screening')).status, 409, 'not to itself');
    assert.equal((await move(seeker, id, 'interview')).status, 403, 'candidates do not move stages');
    const w = await api(srv, `/api/v1/applications/${id}/withdraw`, {}, empA.token);
    assert.equal(w.status, 403, 'the employer does not withdraw for the candidate');
    const got = (await get(`/api/v1/applications/${id}`, seeker.token)).body.data;
    assert.equal(got.stage, 'screening');
    assert.equal(got.events.length, 2, 'refused changes leave no history');
  });

  test('the employer\'s page moves a card with a form (no dragging) and back to the board', async () => {
    const job = await postJob(empA, 'Board');
    const id = await appliedWithResume(seeker, job);
    const board = await empA.c.get(`/employer/jobs/${job}/applicants`);
    assert.equal(board.status, 200);
    assert.ok(board.text_.includes('id="col-applied"'));
    assert.match(board.text_, /Applied <span class="count">\(1\)<\/span>/);
    assert.ok(!board.text_.includes('draggable'));
    const r = await empA.c.submit(`/employer/jobs/${job}/applicants`, `/employer/applications/${id}/stage`, {
      stage: 'screening', next: `/employer/jobs/${job}/applicants`,
    });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/employer/jobs/${job}/applicants?moved=${id}`);
    const after1 = await empA.c.get(r.headers.get('location'));
    assert.match(after1.text_, /Screening <span class="count">\(1\)<\/span>/);
    assert.ok(after1.text_.includes('Moved Sam Seeker to Screening'));
    const bad = await empA.c.submit(`/employer/applications/${id}`, `/employer/applications/${id}/stage`, { stage: 'hired' });
    assert.equal(bad.status, 409);
    const filtered = await empA.c.get(`/employer/jobs/${job}/applicants?stage=applied`);
    assert.match(filtered.text_, /Applied <span class="count">\(0\)<\/span>/);
    assert.ok(!filtered.text_.includes('id="col-screening"'));
    assert.equal((await empA.c.get(`/employer/jobs/${job}/applicants?stage=nope`)).status, 400);
  });

  test('bulk reject: one message to each selected candidate, final stages left alone', async () => {
    const job = await postJob(empA, 'Bulk');
    const a1 = await appliedWithResume(seeker, job);
    const a2 = await appliedWithResume(other, job);
    const a3 = await appliedWithResume((await person('job_seeker', 'Third Person')), job);
    const message = 'Thank you for applying. We chose another candidate this time.';
    const empty = await empA.c.submit(`/employer/jobs/${job}/applicants`, `/employer/jobs/${job}/reject`, { message: '' });
    assert.equal(empty.status, 422);
    const r = await empA.c.submit(`/employer/jobs/${job}/applicants`, `/employer/jobs/${job}/reject`, {
      id: String(a1), message,
    });
    assert.equal(r.status, 303);
    const form = new URLSearchParams();
    form.append('_csrf', await empA.c.csrf(`/employer/jobs/${job}/applicants`));
    for (const id of [a1, a2]) form.append('id', String(id));
    form.append('message', message);
    const both = await empA.c.postRaw(`/employer/jobs/${job}/reject`, form);
    assert.equal(both.status, 303);
    assert.match(both.headers.get('location'), /rejected=1$/, 'a1 was already rejected');
    for (const [p, id] of [[seeker, a1], [other, a2]]) {
      const got = (await get(`/api/v1/applications/${id}`, p.token)).body.data;
      assert.equal(got.stage, 'rejected');
      assert.equal(got.events.at(-1).note, message);
      const items = await notifications(p);
      assert.ok(items.some((n) => n.kind === 'stage_changed' && n.link === `/applications/${id}`));
    }
    const foreign = await empA.c.submit(`/employer/jobs/${job}/applicants`, `/employer/jobs/${job}/reject`, {
      id: String(await appliedWithResume(seeker, await postJob(empA, 'Elsewhere'))), message,
    });
    assert.equal(foreign.status, 404, 'an application to another job');
    const otherCo = await empB.c.submit('/employer/jobs', `/employer/jobs/${job}/reject`, { id: String(a3), message });
    assert.equal(otherCo.status, 404);
    assert.equal((await get(`/api/v1/applications/${a3}`, empA.token)).body.data.stage, 'applied');
  });

  test('private notes: the employer side writes and reads them, the candidate never sees them', async () => {
    const job = await postJob(empA, 'Notes');
    const id = await appliedWithResume(seeker, job);
    const r = await api(srv, `/api/v1/applications/${id}/notes`, { body: 'Strong bookkeeping; book an interpreter.' }, empA.token);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.notes[0].body, 'Strong bookkeeping; book an interpreter.');
    assert.equal((await api(srv, `/api/v1/applications/${id}/notes`, { body: '' }, empA.token)).status, 422);
    const mine = (await get(`/api/v1/applications/${id}`, seeker.token)).body.data;
    assert.equal(mine.notes, undefined);
    assert.ok(!(await seeker.c.get(`/applications/${id}`)).text_.includes('book an interpreter'));
    const page = await empA.c.submit(`/employer/applications/${id}`, `/employer/applications/${id}/notes`, { note_body: 'Second note' });
    assert.equal(page.status, 303);
    assert.ok((await empA.c.get(`/employer/applications/${id}`)).text_.includes('Second note'));
  });
});

describe('who may see an application', () => {
  let id;
  before(async () => {
    id = await appliedWithResume(seeker, jobA);
  });

  test('another company\'s employer gets 404 for every part of it', async () => {
    for (const [path, body, method] of [
      [`/api/v1/applications/${id}`, undefined, 'GET'],
      [`/api/v1/employer/jobs/${jobA}/applications`, undefined, 'GET'],
      [`/api/v1/applications/${id}/stage`, { stage: 'screening' }, 'POST'],
      [`/api/v1/applications/${id}/notes`, { body: 'peek' }, 'POST'],
      [`/api/v1/applications/${id}/messages`, undefined, 'GET'],
      [`/api/v1/applications/${id}/messages`, { body: 'hello' }, 'POST'],
      [`/api/v1/applications/${id}/interviews`, { format: 'text', slots: ['2099-01-01T10:00:00Z'] }, 'POST'],
    ]) {
      const r = await api(srv, path, body, empB.token, method);
      assert.equal(r.status, 404, `${method} ${path}`);
    }
    for (const path of [`/employer/applications/${id}`, `/employer/jobs/${jobA}/applicants`, `/applications/${id}`]) {
      assert.equal((await empB.c.get(path)).status, 404, path);
    }
    for (const action of ['stage', 'notes', 'interviews']) {
      const r = await empB.c.submit('/employer/jobs', `/employer/applications/${id}/${action}`, {
        stage: 'screening', note_body: 'x', format: 'text', slot1: '2099-01-01T10:00',
      });
      assert.equal(r.status, 404, action);
    }
    const msg = await empB.c.submit('/employer/jobs', `/applications/${id}/messages`, { body: 'hi' });
    assert.equal(msg.status, 404);
    const got = (await get(`/api/v1/applications/${id}`, seeker.token)).body.data;
    assert.equal(got.stage, 'applied');
    assert.equal(got.events.length, 1);
  });

  test('another job seeker gets 404; lists hold only one\'s own', async () => {
    assert.equal((await get(`/api/v1/applications/${id}`, other.token)).status, 404);
    assert.equal((await api(srv, `/api/v1/applications/${id}/withdraw`, {}, other.token)).status, 404);
    assert.equal((await get(`/api/v1/applications/${id}/messages`, other.token)).status, 404);
    assert.equal((await other.c.get(`/applications/${id}`)).status, 404);
    assert.equal((await other.c.submit('/applications', `/applications/${id}/withdraw`, {})).status, 404);
    const mine = (await get('/api/v1/applications', other.token)).body.data;
    assert.ok(!mine.some((a) => a.id === id));
    assert.ok((await get('/api/v1/applications', seeker.token)).body.data.some((a) => a.id === id));
    assert.equal((await get('/api/v1/applications/999999999', seeker.token)).status, 404);
  });

  test('the job\'s own company sees it and lists it with filters', async () => {
    const list = await get(`/api/v1/employer/jobs/${jobA}/applications`, empA.token);
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((a) => a.id === id && a.candidate_name === 'Sam Seeker'));
    const screening = await get(`/api/v1/employer/jobs/${jobA}/applications?stage=screening`, empA.token);
    assert.ok(!screening.body.data.some((a) => a.id === id));
    assert.equal((await get(`/api/v1/employer/jobs/${jobA}/applications?stage=x`, empA.token)).status, 400);
    assert.equal((await get(`/api/v1/employer/jobs/${jobB}/applications`, empA.token)).status, 404);
  });
});

describe('accommodation needs follow the candidate\'s disclosure setting', () => {
  const needs = { needs: ['asl_interpreter', 'written_questions'], notes: 'Please share questions in writing.' };
  for (const [setting, atApplied, atInterview] of [
    ['never', false, false],
    ['after_apply', true, true],
    ['interview', false, true],
  ]) {
    test(`disclosure ${setting}: applied ${atApplied ? 'shown' : 'hidden'}, interview ${atInterview ? 'shown' : 'hidden'}`, async () => {
      const p = await person('job_seeker', `Dee ${setting}`);
      const put = await api(srv, '/api/v1/profile', { headline: 'Bookkeeper', accommodations: needs, disclosure: setting }, p.token, 'PUT');
      assert.equal(put.status, 200, put.text);
      const job = await postJob(empA, 'Disclosure');
      const id = await appliedWithResume(p, job);
      const check = async (shown) => {
        const got = (await get(`/api/v1/applications/${id}`, empA.token)).body.data;
        const page = await empA.c.get(`/employer/applications/${id}`);
        if (shown) {
          assert.match(got.accommodation_needs, /ASL interpreter/);
          assert.ok(page.text_.includes('ASL interpreter'));
          assert.ok(page.text_.includes('Please share questions in writing.'));
        } else {
          assert.equal(got.accommodation_needs, null);
          assert.ok(!page.text_.includes('ASL interpreter'));
          assert.ok(page.text_.includes('Not shared by the candidate at this stage'));
        }
      };
      await check(atApplied);
      assert.equal((await move(empA, id, 'interview')).status, 200);
      await check(atInterview);
      assert.equal((await get(`/api/v1/applications/${id}`, p.token)).body.data.accommodation_needs, undefined,
        'the candidate\'s own view does not carry the employer\'s field');
    });
  }
});

describe('messages', () => {
  test('both ways, with unread counts per reader, links made safe', async () => {
    const job = await postJob(empA, 'Messages');
    const id = await appliedWithResume(seeker, job);
    const unreadFor = async (p, list) => (list.find((a) => a.id === id) || {}).unread_messages;
    const r = await api(srv, `/api/v1/applications/${id}/messages`,
      { body: 'Hello! My portfolio: https://example.org/work?a=1&b=2. <script>alert(1)</script>' }, seeker.token);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.length, 1);
    assert.equal(r.body.data[0].from, 'candidate');
    const empList = (await get(`/api/v1/employer/jobs/${job}/applications`, empA.token)).body.data;
    assert.equal(await unreadFor(empA, empList), 1);
    assert.equal(await unreadFor(seeker, (await get('/api/v1/applications', seeker.token)).body.data), 0, 'own message is read');
    const unreadOnly = (await get(`/api/v1/employer/jobs/${job}/applications?unread=1`, empA.token)).body.data;
    assert.deepEqual(unreadOnly.map((a) => a.id), [id]);
    const board = await empA.c.get(`/employer/jobs/${job}/applicants`);
    assert.ok(board.text_.includes('1 unread message'));
    const page = await empA.c.get(`/employer/applications/${id}`);
    assert.ok(page.text_.includes('<a rel="nofollow noopener ugc" href="https://example.org/work?a=1&amp;b=2">'));
    assert.ok(page.text_.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!page.text_.includes('<script>alert(1)'));
    const afterView = (await get(`/api/v1/employer/jobs/${job}/applications`, empA.token)).body.data;
    assert.equal(await unreadFor(empA, afterView), 0, 'viewing the thread marks it read');
    const reply = await empA.c.submit(`/employer/applications/${id}`, `/applications/${id}/messages`, { body: 'Thanks, we will write soon.' });
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.get('location'), `/employer/applications/${id}?done=sent#thread`);
    const mine = (await get('/api/v1/applications', seeker.token)).body.data;
    assert.equal(await unreadFor(seeker, mine), 1);
    assert.ok((await seeker.c.get('/applications')).text_.includes('1 unread message'));
    const thread = await get(`/api/v1/applications/${id}/messages`, seeker.token);
    assert.deepEqual(thread.body.data.map((m) => m.from), ['candidate', 'employer']);
    assert.equal(await unreadFor(seeker, (await get('/api/v1/applications', seeker.token)).body.data), 0);
    const items = await notifications(seeker);
    assert.ok(items.some((n) => n.kind === 'new_message'));
    assert.equal((await api(srv, `/api/v1/applications/${id}/messages`, { body: '   ' }, seeker.token)).status, 422);
    assert.equal((await api(srv, `/api/v1/applications/${id}/messages`, { body: 'x'.repeat(4001) }, seeker.token)).status, 422);
    const js = await api(srv, `/api/v1/applications/${id}/messages`, { body: 'javascript:alert(1) and http://' }, seeker.token);
    assert.equal(js.status, 201);
    const p2 = await empA.c.get(`/employer/applications/${id}`);
    assert.ok(!p2.text_.includes('href="javascript:'));
  });
});

describe('interviews', () => {
  const future = (days, hour = 14) => {
    const d = new Date(Date.now() + days * 86400e3);
    d.setUTCHours(hour, 30, 0, 0);
    return d.toISOString().slice(0, 16);
  };

  test('propose, choose, accommodation recorded, calendar file for both and nobody else', async () => {
    const p = await person('job_seeker', 'Ivy Interviewee');
    const put = await api(srv, '/api/v1/profile', {
      headline: 'Analyst', disclosure: 'interview',
      accommodations: { needs: ['cart'], notes: 'CART captioner, please; written questions too.' },
    }, p.token, 'PUT');
    assert.equal(put.status, 200, put.text);
    const job = await postJob(empA, 'Interviews');
    const id = await appliedWithResume(p, job);
    assert.equal((await move(empA, id, 'screening')).status, 200);
    const url = `/api/v1/applications/${id}/interviews`;
    const bad = [
      { format: 'phone', location: 'x', slots: [`${future(3)}Z`] },
      { format: 'video', location: '', slots: [`${future(3)}Z`] },
      { format: 'text', slots: ['2020-01-01T10:00:00Z'] },
      { format: 'text', slots: ['2099-01-01'] },
      { format: 'text', slots: [] },
      { format: 'text', slots: [1, 2, 3, 4, 5, 6].map((d) => `${future(d)}Z`) },
      { format: 'text', duration_minutes: 5, slots: [`${future(3)}Z`] },
    ];
    for (const body of bad) assert.equal((await api(srv, url, body, empA.token)).status, 422, JSON.stringify(body));
    assert.equal((await api(srv, url, { format: 'text', slots: [`${future(2)}Z`] }, p.token)).status, 403, 'the candidate does not propose');
    const r = await api(srv, url, {
      format: 'video', location: 'https://meet.example.org/room-7', duration_minutes: 45,
      slots: [`${future(3)}Z`, `${future(4)}+02:00`], details: 'Captions on; interpreter booked.',
    }, empA.token);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.stage, 'interview', 'proposing moves the application to interview');
    const iv = r.body.data.interviews[0];
    assert.equal(iv.status, 'proposed');
    assert.equal(iv.slots.length, 2);
    assert.equal(iv.slots[1].starts_at, `${future(4, 12)}:00Z`, 'offsets are turned into UTC');
    assert.ok((await notifications(p)).some((n) => n.kind === 'interview_proposed'));
    const cand = await p.c.get(`/applications/${id}`);
    assert.ok(cand.text_.includes('Choose a time (UTC)'));
    assert.equal((await api(srv, `/api/v1/interviews/${iv.id}/choose`, { slot_id: iv.slots[0].id }, empA.token)).status, 403);
    assert.equal((await api(srv, `/api/v1/interviews/${iv.id}/choose`, { slot_id: iv.slots[0].id }, other.token)).status, 404);
    assert.equal((await api(srv, `/api/v1/interviews/${iv.id}/choose`, { slot_id: 999999 }, p.token)).status, 422);
    const ics0 = await p.c.get(`/interviews/${iv.id}.ics`);
    assert.equal(ics0.status, 409, 'no calendar file before a time is chosen');
    const chose = await p.c.submit(`/applications/${id}`, `/interviews/${iv.id}/choose`, { slot_id: String(iv.slots[1].id) });
    assert.equal(chose.status, 303);
    const again = await api(srv, `/api/v1/interviews/${iv.id}/choose`, { slot_id: iv.slots[0].id }, p.token);
    assert.equal(again.status, 409);
    const emp = (await get(`/api/v1/applications/${id}`, empA.token)).body.data.interviews[0];
    assert.equal(emp.status, 'confirmed');
    assert.equal(emp.chosen_slot_id, iv.slots[1].id);
    assert.match(emp.accommodation, /CART/);
    assert.match(emp.accommodation, /written questions too/);
    const sealed = sql(`SELECT accommodation_sealed FROM interviews WHERE id = ${iv.id}`);
    assert.ok(sealed.startsWith('s1.') && !sealed.includes('CART'), 'sealed at rest');
    assert.ok((await notifications(empA)).some((n) => n.kind === 'interview_confirmed'));
    const empPage = await empA.c.get(`/employer/applications/${id}`);
    assert.ok(empPage.text_.includes('CART captioner, please'));
    const candPage = await p.c.get(`/applications/${id}`);
    assert.ok(candPage.text_.includes('CART captioner, please'), 'the candidate sees what was recorded');
    for (const who of [p, empA]) {
      const res = await fetch(`${srv.url}/interviews/${iv.id}.ics`, { headers: who.c.headers() });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/calendar/);
      const text = await res.text();
      assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'));
      assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
      for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
      const unfolded = text.replace(/\r\n /g, '');
      const start = iv.slots[1].starts_at.replace(/[-:]/g, '');
      assert.ok(unfolded.includes(`DTSTART:${start}`));
      assert.ok(unfolded.includes(`UID:interview-${iv.id}@beacon`));
      for (const line of ['METHOD:PUBLISH', 'SEQUENCE:0', 'STATUS:CONFIRMED']) assert.ok(unfolded.split('\r\n').includes(line), line);
      assert.match(unfolded, /DTSTAMP:\d{8}T\d{6}Z/);
      assert.match(unfolded, /DTEND:\d{8}T\d{6}Z/);
      assert.ok(unfolded.includes('LOCATION:https://meet.example.org/room-7'));
      assert.ok(unfolded.includes('Captions on\\; interpreter booked.'));
      // The candidate's calendar says with which company; the employer's with whom.
      const summary = unfolded.split('\r\n').find((l) => l.startsWith('SUMMARY:'));
      assert.match(summary, who === p ? / at [^\r\n]+$/ : / with [^\r\n]+$/, summary);
    }
    // The candidate's page names the company under the job title.
    assert.match(candPage.text_, /<\/h1><p class="company">[^<]+<\/p>/);
    for (const who of [empB, other]) assert.equal((await who.c.get(`/interviews/${iv.id}.ics`)).status, 404);
    assert.equal((await new Client(srv.url).get(`/interviews/${iv.id}.ics`)).status, 303);
  });

  test('the candidate may decline; proposing on a closed application is refused', async () => {
    const job = await postJob(empA, 'Decline');
    const id = await appliedWithResume(seeker, job);
    const r = await api(srv, `/api/v1/applications/${id}/interviews`, { format: 'text', slots: [`${future(5)}Z`] }, empA.token);
    assert.equal(r.status, 201, r.text);
    const iv = r.body.data.interviews[0];
    assert.equal(iv.accommodation, null);
    const d = await api(srv, `/api/v1/interviews/${iv.id}/choose`, { decline: true }, seeker.token);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.data.interviews[0].status, 'cancelled');
    assert.equal((await move(empA, id, 'rejected')).status, 200);
    const late = await api(srv, `/api/v1/applications/${id}/interviews`, { format: 'text', slots: [`${future(5)}Z`] }, empA.token);
    assert.equal(late.status, 409);
  });

  /** Propose two times for application id as e; the interview as the API gives it. */
  async function proposed(e, id, format = 'video') {
    const r = await api(srv, `/api/v1/applications/${id}/interviews`, {
      format, location: 'https://meet.example.org/room-9', slots: [`${future(8)}Z`, `${future(9)}Z`],
    }, e.token);
    assert.equal(r.status, 201, r.text);
    return r.body.data.interviews.at(-1);
  }

  /** The interview card of iv on a page's HTML. */
  const card = (html, iv) => {
    const at = html.indexOf('<section id="interviews"');
    return html.slice(at, html.indexOf('</section>', at));
  };

  test('no time is ticked in advance; sending no choice is refused (page and API)', async () => {
    const p = await person('job_seeker', 'Nora Nochoice');
    const id = await appliedWithResume(p, await postJob(empA, 'No choice'));
    const iv = await proposed(empA, id);
    // The list says what the candidate has to do, on the page and in the API.
    const mine = async () => (await get('/api/v1/applications', p.token)).body.data.find((a) => a.id === id);
    assert.equal((await mine()).interviews_to_choose, 1);
    const list = await p.c.get('/applications');
    assert.ok(list.text_.includes(`<p class="action-needed"><strong>Action needed:</strong> <a href="/applications/${id}#interviews">choose a time for your interview</a></p>`));
    const page = await p.c.get(`/applications/${id}`);
    assert.match(page.text_, /name="slot_id"/);
    assert.doesNotMatch(page.text_, /name="slot_id"[^>]*checked/, 'no radio is pre-selected');
    const none = await p.c.submit(`/applications/${id}`, `/interviews/${iv.id}/choose`, {});
    assert.equal(none.status, 422);
    // The application page again: the summary links to the group's first radio, the rest stays.
    assert.match(none.text_, /<div class="error-summary"[^]*<a href="#f-slot-(\d+)">Choose a time, or say that none of these times work\.<\/a>/);
    assert.ok(none.text_.includes(`<input type="radio" name="slot_id" id="f-slot-${iv.id}" value="${iv.slots[0].id}" aria-invalid="true">`));
    assert.ok(none.text_.includes(`aria-describedby="e-slot-${iv.id}"`));
    assert.doesNotMatch(none.text_, /name="slot_id"[^>]*checked/);
    for (const part of ['id="h-timeline"', 'id="thread"', 'Send my choice', `/applications/${id}/withdraw`]) assert.ok(none.text_.includes(part), part);
    const notOne = await p.c.submit(`/applications/${id}`, `/interviews/${iv.id}/choose`, { slot_id: '999999' });
    assert.equal(notOne.status, 422);
    assert.ok(notOne.text_.includes(`<a href="#f-slot-${iv.id}">Choose one of the proposed times.</a>`));
    const api0 = await api(srv, `/api/v1/interviews/${iv.id}/choose`, {}, p.token);
    assert.equal(api0.status, 422);
    assert.ok(api0.body.errors.some((e) => e.field === 'slot_id'));
    const got = (await get(`/api/v1/applications/${id}`, p.token)).body.data.interviews[0];
    assert.equal(got.status, 'proposed', 'nothing was booked');
    assert.equal(got.chosen_slot_id, null);
    // Once chosen, nothing is waiting any more.
    assert.equal((await p.c.submit(`/applications/${id}`, `/interviews/${iv.id}/choose`, { slot_id: String(iv.slots[0].id) })).status, 303);
    assert.equal((await mine()).interviews_to_choose, 0);
    assert.doesNotMatch((await p.c.get('/applications')).text_, /Action needed/);
  });

  test('withdrawing cancels a confirmed interview on both sides; its times cannot be chosen', async () => {
    const p = await person('job_seeker', 'Wanda Withdraws');
    const id = await appliedWithResume(p, await postJob(empA, 'Withdrawn interview'));
    const iv = await proposed(empA, id);
    const chose = await p.c.submit(`/applications/${id}`, `/interviews/${iv.id}/choose`, { slot_id: String(iv.slots[0].id) });
    assert.equal(chose.status, 303);
    assert.ok(card((await p.c.get(`/applications/${id}`)).text_).includes(`/interviews/${iv.id}.ics`));
    // The question before withdrawing says the booked interview goes too.
    const ask = await p.c.get(`/applications/${id}/withdraw`);
    assert.equal(ask.status, 200);
    assert.match(ask.text_, /<p>This interview is cancelled too, and the employer is told:<\/p><ul><li>Video call, booked for <time[^>]*>[^<]+<\/time><\/li><\/ul>/);
    const w = await p.c.submit(`/applications/${id}/withdraw`, `/applications/${id}/withdraw`, {});
    assert.equal(w.status, 303);
    assert.equal(sql(`SELECT status FROM interviews WHERE id = ${iv.id}`), 'cancelled');
    for (const [who, path] of [[p, `/applications/${id}`], [empA, `/employer/applications/${id}`]]) {
      const html = card((await who.c.get(path)).text_);
      assert.ok(html.includes('Status: <strong>Cancelled</strong>'), path);
      assert.ok(html.includes('Cancelled because the application was withdrawn.'), path);
      assert.ok(!html.includes('Confirmed'), path);
      assert.ok(!html.includes('.ics'), `${path}: no calendar link`);
      assert.ok(!html.includes('name="slot_id"'), `${path}: no time picker`);
      const data = (await get(`/api/v1/applications/${id}`, who.token)).body.data;
      assert.equal(data.stage, 'withdrawn');
      assert.equal(data.interviews[0].status, 'cancelled');
      assert.equal(data.interviews[0].calendar_url, null);
      assert.equal(data.interviews[0].chosen_slot_id, iv.slots[0].id, 'the booked time stays on record');
    }
    const again = await api(srv, `/api/v1/interviews/${iv.id}/choose`, { slot_id: iv.slots[1].id }, p.token);
    assert.equal(again.status, 409);
    assert.match(again.body.detail, /cancelled/);
    const page = await p.c.submit(`/applications/${id}`, `/interviews/${iv.id}/choose`, { slot_id: String(iv.slots[1].id) });
    assert.equal(page.status, 409);
    assert.ok(page.text_.includes('This interview was declined or cancelled, so none of its times can be chosen.'));
    // The calendar file, for a calendar that imported the event: its cancellation.
    for (const who of [p, empA]) {
      const res = await fetch(`${srv.url}/interviews/${iv.id}.ics`, { headers: who.c.headers() });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/calendar/);
      assert.match(res.headers.get('content-disposition'), /interview-\d+-cancelled\.ics/);
      const text = (await res.text()).replace(/\r\n /g, '');
      for (const line of ['METHOD:CANCEL', 'STATUS:CANCELLED', 'SEQUENCE:1', `UID:interview-${iv.id}@beacon`,
        `DTSTART:${iv.slots[0].starts_at.replace(/[-:]/g, '')}`]) assert.ok(text.split('\r\n').includes(line), line);
      assert.ok(!text.includes('METHOD:PUBLISH'));
      assert.match(text, /SUMMARY:Cancelled: Interview/);
    }
    assert.equal(sql(`SELECT status FROM interviews WHERE id = ${iv.id}`), 'cancelled');
    // The employer hears of it: the withdrawal notification says the interview is cancelled.
    const n = (await notifications(empA)).find((x) => x.link === `/employer/applications/${id}` && /withdrew/.test(x.title));
    assert.ok(n, 'the company is told of the withdrawal');
    assert.match(n.title, /the interview is cancelled/);
    assert.match(sql(`SELECT body FROM notifications WHERE id = ${n.id}`), /The interview on .* UTC is cancelled\./);
  });

  test('rejecting, singly (API and page) or in bulk, cancels a proposed interview', async () => {
    const job = await postJob(empA, 'Rejected interview');
    const people = [];
    for (const name of ['Rita Api', 'Rob Page', 'Ruth Bulk']) people.push(await person('job_seeker', name));
    const ids = [];
    for (const p of people) ids.push(await appliedWithResume(p, job));
    const ivs = [];
    for (const id of ids) ivs.push(await proposed(empA, id, 'text'));
    assert.equal((await move(empA, ids[0], 'rejected', 'We chose someone else.')).status, 200);
    const one = await empA.c.submit(`/employer/applications/${ids[1]}`, `/employer/applications/${ids[1]}/stage`, { stage: 'rejected' });
    assert.equal(one.status, 303);
    const bulk = await empA.c.submit(`/employer/jobs/${job}/applicants`, `/employer/jobs/${job}/reject`, {
      id: String(ids[2]), message: 'Thank you for your time; we chose another candidate.',
    });
    assert.equal(bulk.status, 303);
    for (let i = 0; i < 3; i++) {
      const [p, id, iv] = [people[i], ids[i], ivs[i]];
      assert.equal(sql(`SELECT status FROM interviews WHERE id = ${iv.id}`), 'cancelled', p.name);
      const data = (await get(`/api/v1/applications/${id}`, p.token)).body.data;
      assert.equal(data.stage, 'rejected');
      assert.equal(data.interviews[0].status, 'cancelled');
      assert.equal(data.interviews[0].calendar_url, null);
      for (const [who, path] of [[p, `/applications/${id}`], [empA, `/employer/applications/${id}`]]) {
        const html = card((await who.c.get(path)).text_);
        assert.ok(html.includes('Status: <strong>Cancelled</strong>'), `${p.name} ${path}`);
        assert.ok(!html.includes('name="slot_id"'), `${p.name} ${path}: no time picker`);
        assert.ok(!html.includes('.ics'), `${p.name} ${path}: no calendar link`);
      }
      const late = await api(srv, `/api/v1/interviews/${iv.id}/choose`, { slot_id: iv.slots[0].id }, p.token);
      assert.equal(late.status, 409, p.name);
      const ics = await p.c.get(`/interviews/${iv.id}.ics`);
      assert.equal(ics.status, 409, 'no time was booked: nothing to add or remove');
      assert.ok(ics.text_.includes('cancelled before a time was chosen'));
      const n = (await notifications(p)).find((x) => x.kind === 'stage_changed' && x.link === `/applications/${id}`);
      assert.match(n.title, /Not selected; the interview is cancelled/, p.name);
      const body = sql(`SELECT body FROM notifications WHERE id = ${n.id}`);
      assert.match(body, /The interview being arranged is cancelled/, p.name);
    }
    assert.match(sql(`SELECT body FROM notifications WHERE link = '/applications/${ids[0]}' AND kind = 'stage_changed'`), /^We chose someone else\.\n\nThe interview/);
    // A confirmed interview of a rejected application: its booked time is shown as cancelled.
    const p = await person('job_seeker', 'Carl Confirmed');
    const id = await appliedWithResume(p, job);
    const iv = await proposed(empA, id);
    assert.equal((await api(srv, `/api/v1/interviews/${iv.id}/choose`, { slot_id: iv.slots[1].id }, p.token)).status, 200);
    assert.equal((await move(empA, id, 'rejected')).status, 200);
    const html = card((await p.c.get(`/applications/${id}`)).text_);
    assert.ok(html.includes('Was booked for:'));
    assert.ok(html.includes('Cancelled because the application was not taken further.'));
    const n = (await notifications(p)).find((x) => x.link === `/applications/${id}` && x.kind === 'stage_changed');
    assert.match(sql(`SELECT body FROM notifications WHERE id = ${n.id}`), /^The interview on \d+ \w+ \d{4}, \d\d:30 UTC is cancelled\.$/);
  });

  test('the page form proposes times typed as datetime-local values (UTC)', async () => {
    const job = await postJob(empA, 'Form interview');
    const id = await appliedWithResume(seeker, job);
    const page = `/employer/applications/${id}`;
    const bad = await empA.c.submit(page, `${page}/interviews`, { format: 'video', location: '', slot1: 'tomorrow' });
    assert.equal(bad.status, 422);
    assert.ok(bad.text_.includes('f-slot1'));
    assert.ok(bad.text_.includes('f-location'));
    const ok = await empA.c.submit(page, `${page}/interviews`, {
      format: 'in_person', location: '500 Main St, Austin', duration: '30', slot1: future(6), slot2: future(7),
    });
    assert.equal(ok.status, 303, ok.text_.slice(0, 500));
    const got = (await get(`/api/v1/applications/${id}`, seeker.token)).body.data;
    assert.equal(got.stage, 'interview');
    assert.deepEqual(got.interviews[0].slots.map((s) => s.starts_at), [`${future(6)}:00Z`, `${future(7)}:00Z`]);
  });
});

describe('a busy job: the board shows the first cards of each stage, the stage view pages', () => {
  // 60 applicants at applied (oldest first: Busy 000 ... Busy 059) and 3 at
  // screening, written as rows: signing up 63 people through the API would
  // take minutes of Argon2id.
  let job;
  const ids = []; // application ids, oldest first
  const cards = (html, stage) => {
    const col = html.split(`id="col-${stage}"`)[1]?.split('</section>')[0] ?? '';
    return [...col.matchAll(/<li class="card applicant" id="app-(\d+)"/g)].map((m) => Number(m[1]));
  };
  before(async () => {
    job = await postJob(empA, 'Busy');
    const tag = `${process.pid}-${job}`;
    const users = [];
    for (let i = 0; i < 63; i++) {
      const n = String(i).padStart(3, '0');
      users.push(`('busy-${tag}-${n}@example.org', 'x', 'job_seeker', 'Busy ${n}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
    }
    sql(`INSERT INTO users (email, password_hash, role, display_name, password_changed_at, created_at, updated_at) VALUES ${users.join(', ')}`);
    const apps = [];
    for (let i = 0; i < 63; i++) {
      const n = String(i).padStart(3, '0');
      const at = `2026-01-01T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
      apps.push(`(${job}, (SELECT id FROM users WHERE email = 'busy-${tag}-${n}@example.org'), '${i < 60 ? 'applied' : 'screening'}', '${at}', '${at}')`);
    }
    sql(`INSERT INTO applications (job_id, user_id, stage, created_at, updated_at) VALUES ${apps.join(', ')}`);
    ids.push(...sql(`SELECT id FROM applications WHERE job_id = ${job} ORDER BY created_at, id`).split('\n').map(Number));
    // One unread message, from Busy 030 to the employer.
    sql(`INSERT INTO messages (application_id, sender_id, created_at, body) VALUES (${ids[30]}, (SELECT user_id FROM applications WHERE id = ${ids[30]}), '2026-01-02T00:00:00Z', 'Hello')`);
  });

  test('the board: every count, the first 25 cards of a stage and a link to all of them', async () => {
    const r = await empA.c.get(`/employer/jobs/${job}/applicants`);
    assert.equal(r.status, 200);
    assert.match(r.text_, /Applied <span class="count">\(60\)<\/span>/);
    assert.match(r.text_, /Screening <span class="count">\(3\)<\/span>/);
    assert.deepEqual(cards(r.text_, 'applied'), ids.slice(0, 25), 'the oldest 25, oldest first');
    assert.deepEqual(cards(r.text_, 'screening'), ids.slice(60));
    assert.ok(r.text_.includes(`<a href="/employer/jobs/${job}/applicants?stage=applied">Show all 60 in Applied</a>`));
    assert.ok(!r.text_.includes('Show all 3 in Screening'));
    assert.ok(r.text_.includes('Showing 28 of 63 applicants'));
    assert.equal((r.text_.match(/name="_csrf"/g) ?? []).length, 28 + 2, 'a move form per card, the filter has none, bulk and sign-out have one each');
    const unread = await empA.c.get(`/employer/jobs/${job}/applicants?unread=1`);
    assert.match(unread.text_, /Applied <span class="count">\(1\)<\/span>/);
    assert.deepEqual(cards(unread.text_, 'applied'), [ids[30]]);
    assert.ok(unread.text_.includes('1 unread message'));
  });

  test('the stage view pages by 50 with numbered links and keeps the place after a move', async () => {
    const p1 = await empA.c.get(`/employer/jobs/${job}/applicants?stage=applied`);
    assert.equal(p1.status, 200);
    assert.deepEqual(cards(p1.text_, 'applied'), ids.slice(0, 50));
    assert.ok(!p1.text_.includes('id="col-screening"'));
    assert.match(p1.text_, /<nav class="pager" aria-label="Pages of Applied">/);
    assert.ok(p1.text_.includes(`<a aria-current="page" href="/employer/jobs/${job}/applicants?stage=applied">1</a>`));
    assert.ok(p1.text_.includes(`<a rel="next" href="/employer/jobs/${job}/applicants?stage=applied&amp;page=2">Next →</a>`));
    assert.ok(p1.text_.includes('Showing 1–50 of 60 applicants (page 1 of 2)'));
    assert.ok(p1.text_.includes(`<a href="/employer/jobs/${job}/applicants">← All stages</a>`));
    const p2 = await empA.c.get(`/employer/jobs/${job}/applicants?stage=applied&page=2`);
    assert.deepEqual(cards(p2.text_, 'applied'), ids.slice(50, 60));
    assert.ok(p2.text_.includes(`<a rel="prev" href="/employer/jobs/${job}/applicants?stage=applied">← Previous</a>`));
    const past = await empA.c.get(`/employer/jobs/${job}/applicants?stage=applied&page=9`);
    assert.equal(past.status, 200);
    assert.deepEqual(cards(past.text_, 'applied'), ids.slice(50, 60), 'past the end: the last page');
    for (const bad of ['0', 'x', '10001']) {
      assert.equal((await empA.c.get(`/employer/jobs/${job}/applicants?stage=applied&page=${bad}`)).status, 400, bad);
    }
    // Each card's form brings the employer back to the same page.
    const here = `/employer/jobs/${job}/applicants?stage=applied&page=2`;
    assert.ok(p2.text_.includes(`name="next" value="/employer/jobs/${job}/applicants?stage=applied&amp;page=2"`));
    const mv = await empA.c.submit(here, `/employer/applications/${ids[55]}/stage`, { stage: 'screening', next: here });
    assert.equal(mv.status, 303);
    assert.equal(mv.headers.get('location'), `${here}&moved=${ids[55]}`);
    const back = await empA.c.get(mv.headers.get('location'));
    assert.ok(back.text_.includes('Moved Busy 055 to Screening'), 'said even though the card left this view');
    assert.deepEqual(cards(back.text_, 'applied'), [...ids.slice(50, 55), ...ids.slice(56, 60)]);
    // A refused move from the stage view: 409 with the same view, up to date.
    const refused = await empA.c.submit(here, `/employer/applications/${ids[55]}/stage`, { stage: 'offer', next: here });
    assert.equal(refused.status, 409);
    assert.ok(refused.text_.includes('Busy 055 was not moved'));
    assert.match(refused.text_, /Applied <span class="count">\(59\)<\/span>/);
    assert.deepEqual(cards(refused.text_, 'applied'), [...ids.slice(50, 55), ...ids.slice(56, 60)]);
  });

  test('bulk rejection works on the cards shown', async () => {
    const r = await empA.c.get(`/employer/jobs/${job}/applicants?stage=applied&page=2`);
    const shown = [...r.text_.matchAll(/type="checkbox" form="bulk" name="id" value="(\d+)"/g)].map((m) => m[1]);
    assert.equal(shown.length, 9);
    const form = new URLSearchParams();
    form.append('_csrf', r.text_.match(/name="_csrf" value="([^"]+)"/)[1]);
    for (const id of shown.slice(0, 2)) form.append('id', id);
    form.append('message', 'Thank you; we chose someone else this time.');
    const rej = await empA.c.postRaw(`/employer/jobs/${job}/reject`, form);
    assert.equal(rej.status, 303);
    assert.match(rej.headers.get('location'), /rejected=2$/);
    const board = await empA.c.get(rej.headers.get('location'));
    assert.match(board.text_, /Applied <span class="count">\(57\)<\/span>/);
    assert.match(board.text_, /Not selected <span class="count">\(2\)<\/span>|Rejected <span class="count">\(2\)<\/span>/);
  });

  test('the API pages with page and per_page, in stage order, with the counts per stage', async () => {
    const url = `/api/v1/employer/jobs/${job}/applications`;
    const first = await get(url, empA.token);
    assert.equal(first.status, 200);
    assert.equal(first.body.data.length, 20, 'per_page 20 by default');
    assert.deepEqual(first.body.meta, {
      total: 63, page: 1, per_page: 20, pages: 4,
      stages: { applied: 57, screening: 4, interview: 0, offer: 0, hired: 0, rejected: 2, withdrawn: 0 },
    });
    assert.ok(first.body.links.self.endsWith(`${url}?page=1&per_page=20`));
    assert.ok(first.body.links.next.endsWith(`${url}?page=2&per_page=20`));
    assert.equal(first.body.links.prev, undefined);
    const all = await get(`${url}?per_page=100`, empA.token);
    assert.equal(all.body.data.length, 63);
    assert.deepEqual(all.body.data.map((a) => a.stage), [
      ...Array(57).fill('applied'), ...Array(4).fill('screening'), ...Array(2).fill('rejected')]);
    const paged = [];
    for (let page = 1; page <= 4; page++) {
      const r = await get(`${url}?page=${page}`, empA.token);
      paged.push(...r.body.data.map((a) => a.id));
      assert.equal(r.body.links.next === undefined, page === 4);
    }
    assert.deepEqual(paged, all.body.data.map((a) => a.id), 'the pages make the whole list once');
    const st = await get(`${url}?stage=applied&per_page=50&page=2`, empA.token);
    assert.equal(st.body.data.length, 7);
    assert.equal(st.body.meta.total, 57);
    assert.ok(st.body.links.prev.endsWith(`${url}?stage=applied&page=1&per_page=50`));
    const unread = await get(`${url}?unread=1`, empA.token);
    assert.deepEqual(unread.body.data.map((a) => [a.id, a.unread_messages]), [[ids[30], 1]]);
    assert.equal(unread.body.meta.total, 1);
    assert.equal((await get(`${url}?page=99`, empA.token)).body.data.length, 0);
    for (const bad of ['per_page=0', 'per_page=101', 'page=0', 'page=x']) {
      const r = await get(`${url}?${bad}`, empA.token);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.code, 'invalid_parameter');
    }
  });
});
