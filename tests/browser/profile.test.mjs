// The job seeker profile and candidate search in a real browser: axe-core
// finds nothing on /profile (empty and filled), /profile/edit (with and
// without errors), the experience and education pages, /candidates (with
// results and empty) and a candidate's page, with JavaScript on and off, at
// desktop and phone widths, one h1 and no sideways scrolling on phones; and
// a seeker completes a profile with the keyboard alone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newContext, watchErrors, axe, focused, hasFocusRing, DESKTOP, PHONE, signInPage,
} from './helpers.mjs';
import { startServer } from '../lib/server.mjs';
import { api, registerVerified, tokens, PASSWORD } from '../lib/accounts.mjs';

const VARIANTS = [
  { name: 'desktop, JavaScript on', js: true, viewport: DESKTOP },
  { name: 'phone, JavaScript off', js: false, viewport: PHONE },
];

let srv;
let browser;
let seeker; // { email, token, id }
let employer; // { email }

before(async () => {
  [srv, browser] = await Promise.all([startServer({}), launchBrowser()]);
  const s = await registerVerified(srv, { role: 'job_seeker', name: 'Vera Visible' });
  const token = (await tokens(srv, s.email)).access_token;
  const put = await api(srv, '/api/v1/profile', {
    headline: 'Data analyst, fluent in ASL', summary: 'I make dashboards people can read.',
    skills: ['SQL', 'ASL'], locations: ['Austin, TX, US'], remote_preference: 'remote',
    links: ['https://example.org/vera'], communication_modes: ['asl', 'email'],
    experience: [{ title: 'Analyst', organisation: 'Acme', start_date: '2021-03' }],
    education: [{ institution: 'Gallaudet University', credential: 'BA' }],
    videophone: '+1 555 0100', accommodations: { needs: ['cart'], notes: 'CART for meetings' },
    disclosure: 'interview', visibility: 'employers',
  }, token, 'PUT');
  assert.equal(put.status, 200, put.text);
  seeker = { email: s.email, token, id: put.body.data.user_id };
  employer = await registerVerified(srv, { role: 'employer', name: 'Erin Employer' });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signedIn(variant, email) {
  const ctx = await newContext(browser, variant);
  await (await signInPage(ctx, srv.url, email, PASSWORD)).close();
  return ctx;
}

async function check(page, variant, status, res) {
  assert.equal(res.status(), status, `status of ${page.url()}`);
  assert.equal(await page.locator('h1').count(), 1, 'exactly one h1');
  if (variant.viewport.width < 600) {
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `no sideways scrolling on ${page.url()} (${over}px)`);
  }
  const violations = await axe(page);
  assert.deepEqual(violations, [], `axe violations:\n${JSON.stringify(violations, null, 2)}`);
}

for (const variant of VARIANTS) {
  describe(`profile pages, ${variant.name}`, () => {
    it('the seeker pages pass axe, with and without errors', async () => {
      const ctx = await signedIn(variant, seeker.email);
      try {
        const page = await ctx.newPage();
        const errors = variant.js ? watchErrors(page) : [];
        for (const path of ['/profile', '/profile/edit', '/profile/experience', '/profile/education']) {
          await check(page, variant, 200, await page.goto(srv.url + path));
        }
        await page.goto(`${srv.url}/profile/edit`);
        await page.fill('#f-headline', 'x'.repeat(130));
        await page.fill('#f-links', 'javascript:alert(1)');
        const [res] = await Promise.all([page.waitForNavigation(), page.click('form.form button[type="submit"]')]);
        await check(page, variant, 422, res);
        assert.equal(await page.locator('#f-links[aria-invalid="true"]').count(), 1);
        await page.goto(`${srv.url}/profile/experience`);
        await page.fill('#f-experience\\.0\\.start_date', '2021-99');
        const [res2] = await Promise.all([page.waitForNavigation(), page.click('form.entry button[value="save"]')]);
        await check(page, variant, 422, res2);
        // The browser logs the 422 of the document itself (checked above), and leaving a page
        // aborts its live notification stream.
        const real = errors.filter((e) => !/^console: Failed to load resource: .* status of 422 /.test(e)
          && !/^requestfailed: \S+\/notifications\/stream net::ERR_ABORTED$/.test(e));
        assert.deepEqual(real, [], 'console errors or failed requests');
      } finally {
        await ctx.close();
      }
    });

    it('a new seeker sees the empty profile; employers search candidates', async () => {
      const { email } = await registerVerified(srv, { role: 'job_seeker' });
      let ctx = await signedIn(variant, email);
      try {
        const page = await ctx.newPage();
        await check(page, variant, 200, await page.goto(`${srv.url}/profile`));
        await check(page, variant, 200, await page.goto(`${srv.url}/profile/experience`));
      } finally {
        await ctx.close();
      }
      ctx = await signedIn(variant, employer.email);
      try {
        const page = await ctx.newPage();
        await check(page, variant, 200, await page.goto(`${srv.url}/candidates`));
        await check(page, variant, 200, await page.goto(`${srv.url}/candidates?skills=sql&remote=remote`));
        assert.match(await page.locator('main').textContent(), /Vera Visible/);
        await check(page, variant, 200, await page.goto(`${srv.url}/candidates?q=nobodyhaszz`));
        await check(page, variant, 200, await page.goto(`${srv.url}/candidates/${seeker.id}`));
        const text = await page.locator('main').textContent();
        assert.ok(!text.includes('CART for meetings') && !text.includes('555 0100'));
      } finally {
        await ctx.close();
      }
    });
  });
}

describe('keyboard only', () => {
  it('a seeker completes a profile with the keyboard', async () => {
    const { email } = await registerVerified(srv, { role: 'job_seeker', name: 'Kay Keys' });
    const ctx = await signedIn({ js: true, viewport: DESKTOP }, email);
    try {
      const page = await ctx.newPage();
      await page.goto(`${srv.url}/profile/edit`);
      /** Tab forward until the element with id has focus; every stop shows a focus ring. */
      async function tabTo(id, limit = 80) {
        for (let i = 0; i < limit; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          assert.ok(hasFocusRing(f), `focus ring on ${f.tag}#${f.id}`);
          if (f.id === id) return f;
        }
        throw new Error(`never reached #${id}`);
      }
      await tabTo('f-headline');
      await page.keyboard.type('Deaf designer');
      await page.keyboard.press('Tab');
      await page.keyboard.type('I design for everyone.');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Figma, JS');
      await tabTo('f-comm_modes-asl');
      await page.keyboard.press('Space');
      await tabTo('f-needs-written_questions');
      await page.keyboard.press('Space');
      await tabTo('f-disclosure');
      await page.keyboard.press('ArrowDown'); // after_apply
      await tabTo('f-visibility');
      await page.keyboard.press('ArrowDown'); // employers
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (f.tag === 'button' && f.text === 'Save profile') break;
      }
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.match(page.url(), /\/profile\?done=saved$/);
      const got = (await (await fetch(`${srv.url}/api/v1/profile`, {
        headers: { authorization: `Bearer ${(await tokens(srv, email)).access_token}` },
      })).json()).data;
      assert.equal(got.headline, 'Deaf designer');
      assert.deepEqual(got.skills, ['figma', 'javascript']);
      assert.deepEqual(got.communication_modes, ['asl']);
      assert.deepEqual(got.accommodations.needs, ['written_questions']);
      assert.equal(got.disclosure, 'after_apply');
      assert.equal(got.visibility, 'employers');

      // An experience entry, by keyboard too.
      await page.goto(`${srv.url}/profile/experience`);
      await tabTo('f-experience.0.title');
      await page.keyboard.type('Designer');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Acme');
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (f.tag === 'button' && f.text === 'Add') break;
      }
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.match(await page.locator('main').textContent(), /Your changes are saved/);
    } finally {
      await ctx.close();
    }
  });
});
