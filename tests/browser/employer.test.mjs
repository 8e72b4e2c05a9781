// The employer pages in a real browser: axe-core finds nothing on the
// company and job pages (empty, filled, with errors), with JavaScript on and
// off, at desktop and phone widths, with one h1 and no sideways scrolling
// on phones; and a job can be posted with the keyboard alone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newContext, watchErrors, axe, focused, hasFocusRing, DESKTOP, PHONE, signInPage,
} from './helpers.mjs';
import { startServer } from '../lib/server.mjs';
import { api, linkRe, newEmail, registerVerified, tokens, waitMail, PASSWORD } from '../lib/accounts.mjs';

const VARIANTS = [
  { name: 'desktop, JavaScript on', js: true, viewport: DESKTOP },
  { name: 'phone, JavaScript off', js: false, viewport: PHONE },
];

let srv;
let browser;
let owner; // { email, token, jobId }
let inviteLink;

before(async () => {
  [srv, browser] = await Promise.all([startServer({}), launchBrowser()]);
  const { email } = await registerVerified(srv, { role: 'employer', name: 'Olive Owner' });
  const token = (await tokens(srv, email)).access_token;
  const made = await api(srv, '/api/v1/company', {
    name: 'Signal Bakery', website: 'https://signal.example', size: '11-50', deaf_owned: true,
    description_markdown: 'We bake **bread** and talk in ASL.',
  }, token, 'PUT');
  assert.equal(made.status, 201, made.text);
  const job = await api(srv, '/api/v1/jobs', {
    title: 'Night baker', description_markdown: 'Bake bread.\n\n- Ovens\n- Dough',
    employment_type: 'FULL_TIME', experience_level: 'entry', remote: true,
    accommodations: ['asl_interpreter'],
  }, token);
  assert.equal(job.status, 201, job.text);
  const invitee = newEmail('invitee');
  assert.equal((await api(srv, '/api/v1/company/invites', { email: invitee }, token)).status, 202);
  inviteLink = await waitMail(srv, invitee, linkRe('/invites/accept'));
  owner = { email, token, jobId: job.body.data.id };
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** A browser context signed in as email (through the sign-in form). */
async function signedIn(variant, email) {
  const ctx = await newContext(browser, variant);
  await (await signInPage(ctx, srv.url, email, PASSWORD)).close();
  return ctx;
}

function report(violations) {
  return `axe violations:\n${JSON.stringify(violations, null, 2)}`;
}

async function check(page, variant, status, res) {
  assert.equal(res.status(), status, `status of ${page.url()}`);
  assert.equal(await page.locator('h1').count(), 1, 'exactly one h1');
  if (variant.viewport.width < 600) {
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `no sideways scrolling on ${page.url()} (${over}px)`);
  }
  const violations = await axe(page);
  assert.deepEqual(violations, [], report(violations));
}

for (const variant of VARIANTS) {
  describe(`employer pages, ${variant.name}`, () => {
    it('the owner pages pass axe', async () => {
      const ctx = await signedIn(variant, owner.email);
      try {
        const page = await ctx.newPage();
        const errors = variant.js ? watchErrors(page) : [];
        for (const path of ['/company', '/employer/jobs', '/employer/jobs/new', `/employer/jobs/${owner.jobId}/edit`]) {
          await check(page, variant, 200, await page.goto(srv.url + path));
        }
        // A form sent back with errors.
        await page.goto(`${srv.url}/employer/jobs/new`);
        await page.fill('#f-title', '');
        await page.fill('#f-salary_min', 'lots');
        const [res] = await Promise.all([page.waitForNavigation(), page.click('form.form button[type="submit"]')]);
        await check(page, variant, 422, res);
        assert.equal(await page.locator('#f-title[aria-invalid="true"]').count(), 1);
        await page.goto(`${srv.url}/company`);
        await page.fill('#f-name', 'X');
        const [res2] = await Promise.all([page.waitForNavigation(), page.click('form[action="/company"] button[type="submit"]')]);
        await check(page, variant, 422, res2);
        // The browser logs the 422 of the document itself; that status is checked above.
        const real = errors.filter((e) => !/^console: Failed to load resource: .* status of 422 /.test(e));
        assert.deepEqual(real, [], 'console errors or failed requests');
      } finally {
        await ctx.close();
      }
    });

    it('a new employer sees the create form and the empty list; invitations pass axe', async () => {
      const { email } = await registerVerified(srv, { role: 'employer' });
      const ctx = await signedIn(variant, email);
      try {
        const page = await ctx.newPage();
        await check(page, variant, 200, await page.goto(`${srv.url}/company`));
        await check(page, variant, 200, await page.goto(`${srv.url}/employer/jobs`));
        await check(page, variant, 403, await page.goto(srv.url + inviteLink));
      } finally {
        await ctx.close();
      }
      const anon = await newContext(browser, variant);
      try {
        const page = await anon.newPage();
        await check(page, variant, 200, await page.goto(srv.url + inviteLink));
      } finally {
        await anon.close();
      }
    });
  });
}

describe('keyboard only', () => {
  it('posts a job and reaches the first error from the summary', async () => {
    const ctx = await signedIn({ js: true, viewport: DESKTOP }, owner.email);
    try {
      const page = await ctx.newPage();
      await page.goto(`${srv.url}/employer/jobs/new`);
      // Tab to the title field, every stop with a visible focus ring.
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        assert.ok(hasFocusRing(f), `focus ring on ${JSON.stringify(f)}`);
        if (f.id === 'f-title') break;
      }
      assert.equal((await focused(page)).id, 'f-title');
      // Send the form empty with Enter: the summary gets focus, its link leads to the field.
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).href, '#f-title');
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).id, 'f-title');
      await page.keyboard.type('Pastry chef');
      await page.focus('#f-description');
      await page.keyboard.type('Make pastries.');
      await page.focus('#f-city');
      await page.keyboard.type('Austin');
      await page.focus('#f-acc_cart');
      await page.keyboard.press('Space');
      await page.focus('form.form button[type="submit"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.match(page.url(), /\/employer\/jobs\?done=posted$/);
      assert.ok((await page.locator('main').textContent()).includes('Pastry chef'));
      const list = await api(srv, '/api/v1/jobs?q=pastry', undefined, undefined, 'GET');
      assert.deepEqual(list.body.data.map((j) => j.accommodations.map((a) => a.code)), [['cart']]);
    } finally {
      await ctx.close();
    }
  });
});
