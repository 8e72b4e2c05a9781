// Notifications in a real browser: the header's "Notifications" link and the
// list on /notifications update live (Server-Sent Events through
// static/beacon.js) when an alert arrives for a saved search, and a polite
// live region says what came in; axe-core finds nothing on /notifications,
// /account/notifications and /saved-searches with JavaScript on and off.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, registerVerified, signIn, tokens } from '../lib/accounts.mjs';
import { beaconctl } from '../lib/server.mjs';
import { setup, teardown, newContext, watchErrors, axe, DESKTOP, PHONE } from './helpers.mjs';

let env;
let seeker;
let employerToken;
const word = `zelmbrowser${process.pid}`;

before(async () => {
  env = await setup();
  const { srv } = env;
  const s = await registerVerified(srv, { role: 'job_seeker', name: 'Bea Browser' });
  const c = await signIn(srv, s.email);
  const token = (await tokens(srv, s.email)).access_token;
  const saved = await api(srv, '/api/v1/saved-searches', { name: `Bakers ${word}`, query: `q=${word}`, frequency: 'instant' }, token);
  assert.equal(saved.status, 201, saved.text);
  seeker = { ...s, c, token };
  const e = await registerVerified(srv, { role: 'employer', name: 'Erin Employer' });
  employerToken = (await tokens(srv, e.email)).access_token;
  const co = await api(srv, '/api/v1/company', { name: 'Browser Bakery' }, employerToken, 'PUT');
  assert.equal(co.status, 201, co.text);
});
after(async () => {
  await teardown(env);
});

/** A browser context signed in as the seeker (the session cookie of the node client). */
async function signedInContext(opts) {
  const ctx = await newContext(env.browser, opts);
  const url = new URL(env.srv.url);
  await ctx.addCookies([...seeker.c.cookies].map(([name, value]) => ({
    name, value, domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Lax',
  })));
  return ctx;
}

describe('notifications in the browser', () => {
  it('the bell, the list and a live region update while the page is open', async () => {
    const ctx = await signedInContext({ js: true, viewport: DESKTOP });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    // Hold the page's stream request until the news exists: what arrives
    // between the page and its stream must still come (the stream starts
    // after the newest id the page was served with, ?after=).
    let release;
    const held = new Promise((ok) => { release = ok; });
    const streamUrls = [];
    await page.route('**/notifications/stream*', async (route) => {
      streamUrls.push(route.request().url());
      await held;
      await route.continue();
    });
    const res = await page.goto(`${env.srv.url}/notifications`);
    assert.equal(res.status(), 200);
    assert.equal((await page.textContent('#nav-notifications')).trim(), 'Notifications');

    const job = await api(env.srv, '/api/v1/jobs', {
      title: `Night baker ${word}`,
      description_markdown: `Bake bread at night. Keyword: ${word}.`,
      employment_type: 'FULL_TIME',
      experience_level: 'entry',
      location: { city: 'Austin', region: 'TX', country: 'US' },
    }, employerToken);
    assert.equal(job.status, 201, job.text);
    const r = beaconctl(env.srv.env, ['run-alerts']);
    assert.equal(r.status, 0, r.stderr);
    for (const until = Date.now() + 10000; streamUrls.length === 0 && Date.now() < until;) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.equal(streamUrls.length, 1, 'the page asked for its stream once, and waits');
    assert.match(streamUrls[0], /\/notifications\/stream\?after=\d+$/);
    release();

    await page.waitForFunction(
      () => document.getElementById('nav-notifications').textContent.includes('Notifications (1 unread)'),
      null, { timeout: 15000 },
    );
    await page.waitForFunction(
      () => /New notification: 1 new job/.test(document.getElementById('notify-live').textContent),
      null, { timeout: 5000 },
    );
    const items = await page.$$eval('#notify-list li', (lis) => lis.map((li) => li.textContent));
    assert.equal(items.length, 1);
    assert.match(items[0], /^Unread: 1 new job for your saved search/);
    assert.match(await page.textContent('#notify-summary'), /You have 1 unread notification\./);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  for (const variant of [
    { name: 'desktop, JavaScript on', js: true, viewport: DESKTOP },
    { name: 'phone, JavaScript off', js: false, viewport: PHONE },
  ]) {
    it(`axe finds nothing on the notification and saved-search pages (${variant.name})`, async () => {
      const ctx = await signedInContext(variant);
      const page = await ctx.newPage();
      for (const path of ['/notifications', '/account/notifications', '/saved-searches', `/saved-searches/new?q=${word}`]) {
        const res = await page.goto(env.srv.url + path);
        assert.equal(res.status(), 200, path);
        assert.deepEqual(await axe(page), [], path);
      }
      await ctx.close();
    });
  }
});
