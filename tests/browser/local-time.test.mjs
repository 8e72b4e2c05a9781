// Interview times are written and typed in UTC; with JavaScript the pages also
// say the reader's own time (static/beacon.js: time[data-local], input[data-utc]).
// On the demo site, as the demo job seeker with a booked interview: in Chicago
// each interview time gains "(… your time)" in the browser's own format for that
// zone, on UTC nothing is added; as the demo employer in Chicago, a time typed
// into the proposal form is said in Chicago time under the field. axe finds
// nothing on any of them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, newContext, watchErrors, axe, DESKTOP, signInPage } from './helpers.mjs';
import { startServer, dbQuery } from '../lib/server.mjs';

let srv;
let browser;
let password;
let appId;
const EMAIL = 'maya.thompson@example.org';

before(async () => {
  [srv, browser] = await Promise.all([startServer({ env: { BEACON_DEMO_DATA: '1' } }), launchBrowser()]);
  password = readFileSync(join(srv.dir, 'demo-accounts.txt'), 'utf8').match(/^Password: (\S+)$/m)[1];
  appId = Number(dbQuery(srv, `SELECT a.id FROM applications a JOIN users u ON u.id = a.user_id JOIN interviews i ON i.application_id = a.id WHERE u.email = '${EMAIL}' AND i.status = 'confirmed' ORDER BY a.id LIMIT 1`));
  assert.ok(appId > 0, 'the demo seeker has a booked interview');
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function interviewTimes(timezoneId) {
  const ctx = await newContext(browser, { js: true, viewport: DESKTOP, timezoneId });
  await (await signInPage(ctx, srv.url, EMAIL, password)).close();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const res = await page.goto(`${srv.url}/applications/${appId}`);
  assert.equal(res.status(), 200);
  const times = await page.$$eval('#interviews time[data-local]', (ts) => ts.map((t) => ({
    at: t.getAttribute('datetime'),
    utc: t.textContent,
    local: t.nextElementSibling?.classList.contains('local-time') ? t.nextElementSibling.textContent : null,
  })));
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await ctx.close();
  return times;
}

describe('interview times in the reader\'s own time zone', () => {
  it('Chicago: each interview time also says the local time; UTC: nothing added', async () => {
    const chicago = await interviewTimes('America/Chicago');
    assert.ok(chicago.length >= 1, 'the booked time is marked');
    const fmt = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Chicago' });
    // Node's and Chromium's ICU may differ in the kind of space before "AM".
    const spaces = (s) => s?.replace(/[\s\u202f]+/g, ' ');
    for (const t of chicago) {
      assert.match(t.utc, / UTC$/);
      assert.equal(spaces(t.local), spaces(` (${fmt.format(new Date(t.at))} your time)`), JSON.stringify(t));
    }
    const utc = await interviewTimes('UTC');
    assert.equal(utc.length, chicago.length);
    assert.ok(utc.every((t) => t.local === null), 'a reader on UTC sees no second time');
  });

  it('an employer in Chicago typing a UTC time sees what it is in their own time', async () => {
    const employer = 'grace.chen@example.com';
    const id = Number(dbQuery(srv, `SELECT a.id FROM applications a JOIN jobs j ON j.id = a.job_id JOIN company_members m ON m.company_id = j.company_id JOIN users u ON u.id = m.user_id WHERE u.email = '${employer}' AND a.stage IN ('applied', 'screening', 'interview') ORDER BY a.id LIMIT 1`));
    assert.ok(id > 0, 'the demo employer has an open application');
    const ctx = await newContext(browser, { js: true, viewport: DESKTOP, timezoneId: 'America/Chicago' });
    await (await signInPage(ctx, srv.url, employer, password)).close();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    assert.equal((await page.goto(`${srv.url}/employer/applications/${id}`)).status(), 200);
    const field = page.locator('#f-slot1');
    assert.match(await field.getAttribute('aria-describedby'), /\blt-f-slot1\b/);
    assert.equal((await page.locator('#lt-f-slot1').textContent()).trim(), '');
    await field.fill('2026-12-01T14:30');
    const said = (await page.locator('#lt-f-slot1').textContent()).replace(/[\s\u202f]+/g, ' ');
    assert.equal(said, 'That is Dec 1, 2026, 8:30 AM your time (America/Chicago).');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
