// Applications in a real browser, keyboard only: a job seeker applies with
// a resume, the employer moves the card to interview on the pipeline board
// (a form per card, no dragging) and proposes times, the candidate picks one
// and sees the accommodation recorded, and both write in the thread. A move
// the board offered but that is refused (the candidate withdrew meanwhile)
// says why in place, with HTMX and without JavaScript.
// axe-core finds nothing on every page on the way.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, focused, DESKTOP, PHONE, signInPage, tabTo, assertClean } from './helpers.mjs';
import { dbQuery, startServer } from '../lib/server.mjs';
import { api, registerVerified, tokens, PASSWORD } from '../lib/accounts.mjs';

let srv;
let browser;
let employer; // { email, token }
let seeker; // { email, token, id }
let jobId;

const sql = (statement) => dbQuery(srv, statement);

/** A resume for p: uploaded through the API, or a row standing in while that API is not built. */
async function resume(p) {
  const form = new FormData();
  form.append('kind', 'resume');
  form.append('file', new Blob(['Resume: careful bookkeeper, fluent in ASL.'], { type: 'text/plain' }), 'resume.txt');
  const res = await fetch(`${srv.url}/api/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${p.token}` }, body: form });
  if (res.status === 404 || res.status === 405) {
    sql(`INSERT INTO documents (user_id, kind, filename, mime, size, sha256, storage_name, created_at)
      VALUES (${p.id}, 'resume', 'resume.txt', 'text/plain', 40, '', 'fixture-browser-${process.pid}', '2026-01-01T00:00:00Z')`);
    return;
  }
  assert.equal(res.status, 201, await res.text());
}

before(async () => {
  [srv, browser] = await Promise.all([startServer({}), launchBrowser()]);
  const e = await registerVerified(srv, { role: 'employer', name: 'Erin Employer' });
  employer = { email: e.email, token: (await tokens(srv, e.email)).access_token };
  assert.equal((await api(srv, '/api/v1/company', { name: 'Clear Signal Co' }, employer.token, 'PUT')).status, 201);
  const job = await api(srv, '/api/v1/jobs', {
    title: 'Accounts assistant', description_markdown: 'Keep the books in order.',
    employment_type: 'FULL_TIME', experience_level: 'mid', remote: true,
  }, employer.token);
  assert.equal(job.status, 201, job.text);
  jobId = job.body.data.id;
  const s = await registerVerified(srv, { role: 'job_seeker', name: 'Sam Seeker' });
  const token = (await tokens(srv, s.email)).access_token;
  const me = await api(srv, '/api/v1/me', undefined, token, 'GET');
  seeker = { email: s.email, token, id: me.body.id ?? me.body.data?.id };
  const put = await api(srv, '/api/v1/profile', {
    headline: 'Bookkeeper', disclosure: 'interview',
    accommodations: { needs: ['asl_interpreter'], notes: 'An ASL interpreter for the interview, please.' },
  }, token, 'PUT');
  assert.equal(put.status, 200, put.text);
  await resume(seeker);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signedIn(email, { js = true, viewport = DESKTOP } = {}) {
  const ctx = await newContext(browser, { js, viewport });
  return { ctx, page: await signInPage(ctx, srv.url, email, PASSWORD) };
}

describe('applying, the pipeline, an interview and messages, keyboard only', () => {
  it('goes from apply to a confirmed interview with the accommodation recorded', async () => {
    const cand = await signedIn(seeker.email);
    const emp = await signedIn(employer.email);
    try {
      // The candidate opens the job and follows "Apply for this job".
      let p = cand.page;
      await p.goto(`${srv.url}/jobs/${jobId}`);
      await assertClean(p);
      await tabTo(p, (f) => f.href === `/jobs/${jobId}/apply`);
      await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
      await assertClean(p);
      await tabTo(p, (f) => f.id === 'f-message');
      await p.keyboard.type('I keep tidy books and sign ASL.');
      await tabTo(p, (f) => f.tag === 'button' && /Send my application/.test(f.text));
      await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
      assert.match(p.url(), /\/applications\/\d+\?done=applied$/);
      const appId = Number(p.url().match(/applications\/(\d+)/)[1]);
      await assertClean(p);
      await p.goto(`${srv.url}/applications`);
      await assertClean(p);

      // The employer moves the card to interview on the board, with a form, not by dragging.
      const e = emp.page;
      await e.goto(`${srv.url}/employer/jobs/${jobId}/applicants`);
      await assertClean(e);
      assert.equal(await e.locator('[draggable="true"]').count(), 0);
      await tabTo(e, (f) => f.id === `to-${appId}`);
      await e.keyboard.press('ArrowDown'); // Screening -> Interview
      assert.equal(await e.locator(`#to-${appId}`).inputValue(), 'interview');
      await e.keyboard.press('Tab');
      assert.match((await focused(e)).text, /Move/);
      await e.keyboard.press('Enter');
      await e.waitForFunction(() => /Moved Sam Seeker to Interview/.test(document.querySelector('#board-status')?.textContent || ''));
      assert.match(await e.locator('#col-interview').textContent(), /\(1\)/);
      await assertClean(e);

      // ... opens the application: the needs are shown (disclosed from the interview stage).
      await tabTo(e, (f) => f.href === `/employer/applications/${appId}`);
      await Promise.all([e.waitForNavigation(), e.keyboard.press('Enter')]);
      await assertClean(e);
      assert.ok((await e.locator('main').textContent()).includes('An ASL interpreter for the interview, please.'));
      // ... and proposes two times (UTC).
      const day = (n) => {
        const d = new Date(Date.now() + n * 86400e3);
        d.setUTCHours(15, 0, 0, 0);
        return d.toISOString().slice(0, 16);
      };
      await tabTo(e, (f) => f.id === 'f-location');
      await e.keyboard.type('https://meet.example.org/clear-signal');
      // The date-time controls are filled in one step (their segment editing differs by locale).
      await tabTo(e, (f) => f.id === 'f-slot1');
      await e.fill('#f-slot1', day(3));
      await e.focus('#f-slot2');
      await e.fill('#f-slot2', day(4));
      await tabTo(e, (f) => f.tag === 'button' && /Propose these times/.test(f.text));
      await Promise.all([e.waitForNavigation(), e.keyboard.press('Enter')]);
      assert.match(e.url(), /done=proposed/);
      await assertClean(e);

      // The candidate picks the second time and sees the accommodation recorded.
      await p.goto(`${srv.url}/applications/${appId}`);
      await assertClean(p);
      // Nothing is chosen in advance: Tab reaches the group's first time, unticked, and the
      // arrow key moves to the second and ticks it.
      assert.equal(await p.locator('input[name="slot_id"]:checked').count(), 0);
      const first = await tabTo(p, (f) => f.name === 'slot_id');
      assert.equal(first.type, 'radio');
      assert.equal(await p.locator('input[name="slot_id"]:checked').count(), 0);
      await p.keyboard.press('ArrowDown');
      assert.equal((await focused(p)).name, 'slot_id');
      assert.equal(await p.locator('input[name="slot_id"]:checked').count(), 1);
      assert.equal(await p.evaluate(() => document.activeElement.checked), true);
      await tabTo(p, (f) => f.tag === 'button' && /Send my choice/.test(f.text));
      await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
      assert.match(p.url(), /done=chosen/);
      await assertClean(p);
      const main = await p.locator('#interviews').textContent();
      assert.ok(main.includes('Confirmed'));
      assert.ok(main.includes('An ASL interpreter for the interview, please.'));
      assert.equal(await p.locator(`a[href="/interviews/${(await api(srv, `/api/v1/applications/${appId}`, undefined, seeker.token, 'GET')).body.data.interviews[0].id}.ics"]`).count(), 1);

      // Messages both ways.
      await tabTo(p, (f) => f.id === 'f-body');
      await p.keyboard.type('Thank you! See https://example.org/portfolio for my work.');
      await tabTo(p, (f) => f.tag === 'button' && /Send message/.test(f.text));
      await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
      await assertClean(p);
      await e.goto(`${srv.url}/employer/jobs/${jobId}/applicants`);
      assert.ok((await e.locator('main').textContent()).includes('1 unread message'));
      await e.goto(`${srv.url}/employer/applications/${appId}`);
      await assertClean(e);
      assert.equal(await e.locator('#thread a[href="https://example.org/portfolio"]').count(), 1);
      await tabTo(e, (f) => f.id === 'f-body');
      await e.keyboard.type('Great, the interpreter is booked.');
      await tabTo(e, (f) => f.tag === 'button' && /Send message/.test(f.text));
      await Promise.all([e.waitForNavigation(), e.keyboard.press('Enter')]);
      await assertClean(e);
      await p.goto(`${srv.url}/applications`);
      assert.ok((await p.locator('main').textContent()).includes('1 unread message'));
      await p.goto(`${srv.url}/applications/${appId}`);
      assert.ok((await p.locator('#thread').textContent()).includes('the interpreter is booked'));
      await assertClean(p);
    } finally {
      await cand.ctx.close();
      await emp.ctx.close();
    }
  });
});

/** A new candidate with a resume who applied to the job; returns { token, appId }. */
async function candidate(name) {
  const s = await registerVerified(srv, { role: 'job_seeker', name });
  const token = (await tokens(srv, s.email)).access_token;
  const me = await api(srv, '/api/v1/me', undefined, token, 'GET');
  await resume({ token, id: me.body.id ?? me.body.data?.id });
  const docs = await api(srv, '/api/v1/documents', undefined, token, 'GET');
  const app = await api(srv, `/api/v1/jobs/${jobId}/applications`, { resume_id: docs.body.data[0].id, message: 'Hello.' }, token);
  assert.equal(app.status, 201, app.text);
  return { token, appId: app.body.data.id };
}

describe('a refused move on the pipeline board', () => {
  for (const [js, viewport] of [[true, DESKTOP], [false, DESKTOP], [true, PHONE]]) {
    it(`says why in place (JavaScript ${js ? 'on' : 'off'}, ${viewport.width} px wide)`, async () => {
      const name = `Riley ${js ? 'Scripted' : 'Plain'} ${viewport.width}`;
      const c = await candidate(name);
      const emp = await signedIn(employer.email, { js, viewport });
      try {
        const e = emp.page;
        await e.goto(`${srv.url}/employer/jobs/${jobId}/applicants`);
        await assertClean(e);
        // The card offers moves from "Applied"; meanwhile the candidate withdraws.
        const w = await api(srv, `/api/v1/applications/${c.appId}/withdraw`, {}, c.token);
        assert.equal(w.status, 200, w.text);
        await tabTo(e, (f) => f.id === `to-${c.appId}`);
        await e.keyboard.press('Tab');
        assert.match((await focused(e)).text, /^Move$/);
        const answer = e.waitForResponse((r) => r.url().endsWith(`/employer/applications/${c.appId}/stage`));
        if (js) {
          await e.keyboard.press('Enter');
          assert.equal((await answer).status(), 409);
          await e.waitForSelector('#board-error');
          // Swapped in place: same address, focus on the reason.
          assert.match(e.url(), new RegExp(`/employer/jobs/${jobId}/applicants$`));
          assert.equal((await focused(e)).id, 'board-error');
        } else {
          await Promise.all([e.waitForNavigation(), e.keyboard.press('Enter')]);
          assert.equal((await answer).status(), 409);
        }
        const alert = e.locator('#board-error');
        assert.equal(await alert.getAttribute('role'), 'alert');
        const said = await alert.textContent();
        assert.match(said, new RegExp(`${name} was not moved`));
        assert.match(said, /Withdrawn/);
        // The board is up to date: the card sits under "Withdrawn" and offers no move.
        assert.equal(await e.locator(`#col-withdrawn ~ ul #app-${c.appId}`).count(), 1);
        assert.equal(await e.locator(`#to-${c.appId}`).count(), 0);
        assert.equal(await e.locator('#board-error').count(), 1);
        await assertClean(e);
      } finally {
        await emp.ctx.close();
      }
    });
  }
});

describe('a busy stage on the pipeline board', () => {
  it('shows the first 25 cards, links to the whole stage, which pages; keyboard only, axe clean', async () => {
    const job = await api(srv, '/api/v1/jobs', {
      title: 'Busy desk', description_markdown: 'Many people want this job.',
      employment_type: 'FULL_TIME', experience_level: 'mid', remote: true,
    }, employer.token);
    assert.equal(job.status, 201, job.text);
    const busy = job.body.data.id;
    // 60 applicants as rows: signing up 60 people would take minutes of Argon2id.
    const tag = `${process.pid}-${busy}`;
    const n = (i) => String(i).padStart(2, '0');
    sql(`INSERT INTO users (email, password_hash, role, display_name, password_changed_at, created_at, updated_at) VALUES ${
      Array.from({ length: 60 }, (_, i) => `('busy-${tag}-${n(i)}@example.org', 'x', 'job_seeker', 'Busy ${n(i)}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`).join(', ')}`);
    sql(`INSERT INTO applications (job_id, user_id, stage, created_at, updated_at) VALUES ${
      Array.from({ length: 60 }, (_, i) => `(${busy}, (SELECT id FROM users WHERE email = 'busy-${tag}-${n(i)}@example.org'), 'applied', '2026-01-01T00:${n(i)}:00Z', '2026-01-01T00:${n(i)}:00Z')`).join(', ')}`);
    const emp = await signedIn(employer.email);
    try {
      const e = emp.page;
      await e.goto(`${srv.url}/employer/jobs/${busy}/applicants`);
      await assertClean(e);
      assert.equal(await e.locator('#col-applied ~ ul > li').count(), 25);
      await tabTo(e, (f) => f.tag === 'a' && f.text === 'Show all 60 in Applied');
      await Promise.all([e.waitForNavigation(), e.keyboard.press('Enter')]);
      assert.match(e.url(), new RegExp(`/employer/jobs/${busy}/applicants\\?stage=applied$`));
      await assertClean(e);
      assert.equal(await e.locator('#col-applied ~ ul > li').count(), 50);
      await tabTo(e, (f) => f.tag === 'a' && f.text === '2', 300); // past 50 cards of four stops each
      await Promise.all([e.waitForNavigation(), e.keyboard.press('Enter')]);
      await assertClean(e);
      assert.equal(await e.locator('#col-applied ~ ul > li').count(), 10);
      assert.equal(await e.locator('nav.pager a[aria-current="page"]').textContent(), '2');
      // A move on page 2 swaps the board in place (HTMX) and stays on page 2.
      const first = await e.locator('#col-applied ~ ul > li').first().getAttribute('id');
      const id = first.slice('app-'.length);
      await tabTo(e, (f) => f.id === `to-${id}`);
      await e.keyboard.press('Tab');
      await e.keyboard.press('Enter');
      await e.waitForFunction(() => /Moved Busy 50 to Screening/.test(document.querySelector('#board-status')?.textContent || ''));
      assert.match(e.url(), new RegExp(`stage=applied&page=2$`));
      assert.equal(await e.locator('#col-applied ~ ul > li').count(), 9);
      await assertClean(e);
    } finally {
      await emp.ctx.close();
    }
  });
});
