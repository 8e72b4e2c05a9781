// Withdrawing an application in a real browser, keyboard only, with and
// without JavaScript: the application page's "Withdraw my application" leads
// to a page that asks first; "Keep my application" goes back with nothing
// changed, the button there withdraws. And the saved-search forms (new and
// on the list) sent back with an error keep the chosen alerts. axe-core finds nothing on the way.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, DESKTOP, signInPage, tabTo, assertClean } from './helpers.mjs';
import { startServer } from '../lib/server.mjs';
import { api, registerVerified, tokens, PASSWORD } from '../lib/accounts.mjs';

let srv;
let browser;
let employer; // { email, token }

before(async () => {
  [srv, browser] = await Promise.all([startServer({}), launchBrowser()]);
  const e = await registerVerified(srv, { role: 'employer', name: 'Erin Employer' });
  employer = { email: e.email, token: (await tokens(srv, e.email)).access_token };
  assert.equal((await api(srv, '/api/v1/company', { name: 'Clear Signal Co' }, employer.token, 'PUT')).status, 201);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

let jobSeq = 0;
/** A new job seeker with an application to a new job: { email, token, appId }. */
async function applied() {
  jobSeq += 1;
  const job = await api(srv, '/api/v1/jobs', {
    title: `Accounts assistant ${jobSeq}`, description_markdown: 'Keep the books in order.',
    employment_type: 'FULL_TIME', experience_level: 'mid', remote: true,
  }, employer.token);
  assert.equal(job.status, 201, job.text);
  const s = await registerVerified(srv, { role: 'job_seeker', name: 'Sam Seeker' });
  const token = (await tokens(srv, s.email)).access_token;
  const form = new FormData();
  form.append('kind', 'resume');
  form.append('file', new Blob(['Resume: careful bookkeeper.'], { type: 'text/plain' }), 'resume.txt');
  const doc = await fetch(`${srv.url}/api/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  assert.equal(doc.status, 201);
  const resumeId = (await doc.json()).data.id;
  const app = await api(srv, `/api/v1/jobs/${job.body.data.id}/applications`, { resume_id: resumeId }, token);
  assert.equal(app.status, 201, app.text);
  return { email: s.email, token, appId: app.body.data.id };
}

const stage = async (s) => (await api(srv, `/api/v1/applications/${s.appId}`, undefined, s.token, 'GET')).body.data.stage;

async function press(page, key = 'Enter') {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

for (const js of [true, false]) {
  describe(`withdrawing asks first (${js ? 'with' : 'without'} JavaScript)`, () => {
    it('keep it changes nothing; the button on the page that asks withdraws', async () => {
      const s = await applied();
      const ctx = await newContext(browser, { js, viewport: DESKTOP });
      try {
        const p = await signInPage(ctx, srv.url, s.email, PASSWORD);
        await p.goto(`${srv.url}/applications/${s.appId}`);
        await assertClean(p);
        await tabTo(p, (f) => f.href === `/applications/${s.appId}/withdraw`);
        await press(p);
        assert.equal(new URL(p.url()).pathname, `/applications/${s.appId}/withdraw`);
        await assertClean(p);
        assert.match(await p.locator('h1').textContent(), /^Withdraw your application: Accounts assistant \d+\?$/);
        await tabTo(p, (f) => f.tag === 'a' && f.text === 'Keep my application');
        await press(p);
        assert.equal(new URL(p.url()).pathname, `/applications/${s.appId}`);
        assert.equal(await stage(s), 'applied');

        await tabTo(p, (f) => f.href === `/applications/${s.appId}/withdraw`);
        await press(p);
        await tabTo(p, (f) => f.tag === 'button' && f.text === 'Withdraw my application');
        await press(p);
        assert.match(p.url(), new RegExp(`/applications/${s.appId}\\?done=withdrawn$`));
        await assertClean(p);
        assert.match(await p.locator('main').textContent(), /You withdrew this application\./);
        assert.equal(await stage(s), 'withdrawn');
      } finally {
        await ctx.close();
      }
    });
  });
}

describe('saving a search', () => {
  it('an error keeps the chosen alerts and names the missing name', async () => {
    const s = await registerVerified(srv, { role: 'job_seeker', name: 'Sue Saver' });
    const ctx = await newContext(browser, { js: true, viewport: DESKTOP });
    try {
      const p = await signInPage(ctx, srv.url, s.email, PASSWORD);
      await p.goto(`${srv.url}/saved-searches/new?q=accountant`);
      await assertClean(p);
      await p.locator('#f-name').fill('');
      await p.locator('input[name=frequency][value=instant]').check();
      // The browser's own check would stop an empty required field; the server's answer is what is tested.
      await p.locator('form[action="/saved-searches"]').evaluate((f) => { f.noValidate = true; });
      await Promise.all([p.waitForNavigation(), p.locator('form[action="/saved-searches"] button[type=submit]').click()]);
      await assertClean(p);
      assert.equal(await p.locator('input[name=frequency][value=instant]').isChecked(), true);
      assert.match(await p.locator('.error-summary').textContent(), /Give the search a name\./);

      // Saved, then renamed to nothing on the list: the list comes back with the error on that form.
      await p.locator('#f-name').fill('Accountants');
      await Promise.all([p.waitForNavigation(), p.locator('form[action="/saved-searches"] button[type=submit]').click()]);
      await p.goto(`${srv.url}/saved-searches`);
      const form = p.locator('form.form[action^="/saved-searches/"]').first();
      await form.locator('input[name=name]').fill('');
      await form.locator('select[name=frequency]').selectOption('off');
      await form.evaluate((f) => { f.noValidate = true; });
      await Promise.all([p.waitForNavigation(), form.locator('button[type=submit]').click()]);
      await assertClean(p);
      assert.match(await p.locator('.error-summary').textContent(), /Give the search a name\./);
      const again = p.locator('form.form[action^="/saved-searches/"]').first();
      assert.equal(await again.locator('select[name=frequency]').inputValue(), 'off');
      assert.equal(await again.locator('input[name=name]').getAttribute('aria-invalid'), 'true');
    } finally {
      await ctx.close();
    }
  });
});
