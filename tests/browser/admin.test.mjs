// The admin pages in a real browser: axe-core finds nothing on the user
// list (with pages, empty), a user's page (plain and with an error), and
// the audit log (newest, older, empty), with JavaScript on and off, at
// desktop and phone widths, with one h1 and no sideways scrolling on phones.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, watchErrors, axe, DESKTOP, PHONE } from './helpers.mjs';
import { beaconctl, startServer } from '../lib/server.mjs';
import { Client, PASSWORD, api, newEmail, signIn, totp } from '../lib/accounts.mjs';

const VARIANTS = [
  { name: 'desktop, JavaScript on', js: true, viewport: DESKTOP },
  { name: 'phone, JavaScript off', js: false, viewport: PHONE },
];

let srv;
let browser;
let session; // the admin's session cookie, enrolled in two-factor sign-in
let userId; // a job seeker to look at

before(async () => {
  [srv, browser] = await Promise.all([startServer({}), launchBrowser()]);
  const email = newEmail('admin');
  const made = beaconctl(srv.env, ['create-admin', email, 'Ada Admin'], `${PASSWORD}\n`);
  assert.equal(made.status, 0, made.stderr);
  const c = await signIn(srv, email);
  const setup = await c.get('/account/2fa');
  const secret = setup.text_.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
  const on = await c.submit('/account/2fa', '/account/2fa/enable', { code: totp(secret) });
  assert.equal(on.status, 200);
  session = c.cookies.get('beacon_session');
  // More than a page of users (and so more than a page of audit records).
  for (let i = 0; i < 54; i += 6) {
    await Promise.all(Array.from({ length: 6 }, (_, k) => api(srv, '/api/v1/auth/register', {
      email: newEmail('seeker'), password: PASSWORD, display_name: `Seeker ${i + k}`, role: 'job_seeker',
    })));
  }
  const list = await new Client(srv.url);
  list.cookies.set('beacon_session', session);
  const page = await list.get('/admin/users?q=Seeker%201');
  userId = Number(page.text_.match(/<a href="\/admin\/users\/(\d+)">Seeker 1</)[1]);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function adminContext(variant) {
  const ctx = await newContext(browser, variant);
  await ctx.addCookies([{ name: 'beacon_session', value: session, url: srv.url }]);
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
  describe(`admin pages, ${variant.name}`, () => {
    it('the user list, a user, the audit log, the queue pass axe', async () => {
      const ctx = await adminContext(variant);
      try {
        const page = await ctx.newPage();
        const errors = variant.js ? watchErrors(page) : [];
        for (const path of [
          '/admin/users', '/admin/users?page=2', '/admin/users?q=nobody-at-all&role=admin&status=disabled',
          `/admin/users/${userId}`, '/admin/audit', '/admin/audit?event=no.such.event', '/admin/queue',
        ]) {
          await check(page, variant, 200, await page.goto(srv.url + path));
        }
        await page.goto(`${srv.url}/admin/users`);
        assert.ok(await page.locator('nav.pager a[rel="next"]').count(), 'a pager on the user list');
        await page.goto(`${srv.url}/admin/audit`);
        const older = page.locator('nav.pager a[rel="next"]');
        assert.equal(await older.count(), 1, 'an older-records link');
        const [res] = await Promise.all([page.waitForNavigation(), older.click()]);
        await check(page, variant, 200, res);
        // A role the list does not offer comes back as an error tied to the field.
        await page.goto(`${srv.url}/admin/users/${userId}`);
        await page.evaluate(() => { document.querySelector('#f-role option').value = 'owner'; document.querySelector('#f-role').selectedIndex = 0; });
        const [bad] = await Promise.all([page.waitForNavigation(), page.click('form[action$="/role"] button[type="submit"]')]);
        await check(page, variant, 422, bad);
        assert.equal(await page.locator('#f-role[aria-invalid="true"]').count(), 1);
        const real = errors.filter((e) => !/^console: Failed to load resource: .* status of 422 /.test(e));
        assert.deepEqual(real, [], 'console errors or failed requests');
      } finally {
        await ctx.close();
      }
    });
  });
}
