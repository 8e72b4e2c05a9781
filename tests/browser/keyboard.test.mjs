// Keyboard only: skip link first, search, filters with Space, open a job with
// Enter, with JavaScript on and off. Every element that takes focus shows a
// visible indicator and is on screen (WCAG 2.4.7, 2.4.11).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup,
  teardown,
  newContext,
  watchErrors,
  focused,
  hasFocusRing,
  headingCount,
  apiSearch,
  DESKTOP,
  PHONE,
} from './helpers.mjs';

async function assertFocusVisible(page, what) {
  const f = await focused(page);
  assert.ok(hasFocusRing(f), `${what}: no focus indicator on ${JSON.stringify(f)}`);
  assert.ok(f.inView, `${what}: focused element is not fully on screen: ${JSON.stringify(f)}`);
  return f;
}

/** Tab until pred holds, checking the focus indicator on every stop on the way. */
async function tabTo(page, pred, what, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await assertFocusVisible(page, what);
    if (pred(f)) return f;
  }
  throw new Error(`${what}: not reached in ${max} Tab presses`);
}

async function skipLinkFirst(page) {
  await page.keyboard.press('Tab');
  const f = await assertFocusVisible(page, 'skip link');
  assert.equal(f.tag, 'a');
  assert.equal(f.text, 'Skip to main content');
  await page.keyboard.press('Enter');
  const m = await focused(page);
  assert.equal(m.id, 'main', 'Enter on the skip link moves focus to main');
}

const isJobLink = (f) => f.tag === 'a' && /^\/jobs\/\d+$/.test(f.href || '');

describe('keyboard only', () => {
  let srv;
  let browser;
  before(async () => {
    ({ srv, browser } = await setup());
  });
  after(() => teardown({ srv, browser }));

  for (const js of [true, false]) {
    it(`search, filter and open a job (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const ctx = await newContext(browser, { js, viewport: DESKTOP });
      try {
        const page = await ctx.newPage();
        const errors = js ? watchErrors(page) : [];
        await page.goto(srv.url + '/jobs');
        await skipLinkFirst(page);

        // Tab to the words field, type, Enter.
        let f = await tabTo(page, () => true, 'first stop in main');
        assert.equal(f.id, 'q', 'the words field is the first stop in main');
        await page.keyboard.type('manager');
        if (js) {
          const swapped = page.waitForResponse((r) => r.request().headers()['hx-request'] === 'true');
          await page.keyboard.press('Enter');
          await swapped;
          await page.waitForFunction(() => /for “manager”/.test(document.querySelector('#results-h').textContent));
          assert.equal((await focused(page)).id, 'q', 'focus stays in the words field');
        } else {
          await Promise.all([page.waitForURL(/q=manager/), page.keyboard.press('Enter')]);
          // A new page: start again from the top, past the skip link.
          await skipLinkFirst(page);
        }
        const words = await headingCount(page);

        // Tab to a filter and tick it with Space.
        f = await tabTo(page, (x) => x.type === 'checkbox', 'first filter');
        assert.equal(f.id, 'f-acc-asl_interpreter');
        if (js) {
          const swapped = page.waitForResponse((r) => r.request().headers()['hx-request'] === 'true');
          await page.keyboard.press('Space');
          await swapped;
          await page.waitForFunction((n) => {
            const m = document.querySelector('#result-status').textContent.match(/^(\d+)/);
            return m && Number(m[1]) !== n;
          }, words);
          assert.equal((await focused(page)).id, 'f-acc-asl_interpreter', 'focus stays on the filter');
        } else {
          await page.keyboard.press('Space');
          assert.ok(await page.isChecked('#f-acc-asl_interpreter'), 'Space ticks the filter');
          f = await tabTo(page, (x) => x.tag === 'button' && x.text === 'Apply filters', 'Apply filters');
          await Promise.all([page.waitForURL(/accommodation=asl_interpreter/), page.keyboard.press('Enter')]);
        }
        assert.ok(await page.isChecked('#f-acc-asl_interpreter'));
        const api = await apiSearch(srv, 'q=manager&accommodation=asl_interpreter');
        assert.equal(await headingCount(page), api.meta.total);

        // Reach a job link and open it with Enter.
        if (!js) await skipLinkFirst(page);
        f = await tabTo(page, isJobLink, 'first job link');
        await Promise.all([page.waitForURL(/\/jobs\/\d+$/), page.keyboard.press('Enter')]);
        assert.equal((await page.locator('h1').textContent()).trim(), f.text);

        // On the job page, the skip link is first again.
        await skipLinkFirst(page);
        assert.deepEqual(errors, []);
      } finally {
        await ctx.close();
      }
    });
  }

  // Every focus stop on each page, desktop and phone: indicator and on screen.
  for (const viewport of [DESKTOP, PHONE]) {
    it(`every focus stop is visible (${viewport === PHONE ? 'phone' : 'desktop'})`, async () => {
      const ctx = await newContext(browser, { js: true, viewport });
      try {
        const page = await ctx.newPage();
        const paths = ['/', '/jobs?q=manager', `/jobs/${srv.ids.open}`, `/jobs/${srv.ids.expired}`, '/help', '/nope'];
        for (const path of paths) {
          await page.goto(srv.url + path);
          const seen = new Set();
          for (let i = 0; i < 150; i++) {
            await page.keyboard.press('Tab');
            const f = await focused(page);
            if (f.tag === 'body') break; // wrapped past the last stop
            const key = `${f.tag}#${f.id}|${f.name}|${f.href}|${f.text}`;
            if (seen.has(key)) break;
            seen.add(key);
            assert.ok(hasFocusRing(f), `${path}: no focus indicator on ${JSON.stringify(f)}`);
            assert.ok(f.inView, `${path}: focus stop not on screen: ${JSON.stringify(f)}`);
          }
          assert.ok(seen.size >= 5, `${path}: only ${seen.size} focus stops`);
        }
      } finally {
        await ctx.close();
      }
    });
  }
});
