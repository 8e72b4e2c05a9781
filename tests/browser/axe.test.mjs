// axe-core (WCAG 2.0/2.1/2.2 A and AA, plus best practice) finds nothing on
// any page: with JavaScript on and off, at desktop and phone widths. The
// 500 page is produced by taking the jobs table away under the running server.
// With JavaScript on, pages also load their scripts without console errors,
// CSP violations or failed requests.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup,
  teardown,
  newContext,
  watchErrors,
  axe,
  breakDatabase,
  repairDatabase,
  DESKTOP,
  PHONE,
} from './helpers.mjs';

const VARIANTS = [
  { name: 'desktop, JavaScript on', js: true, viewport: DESKTOP },
  { name: 'desktop, JavaScript off', js: false, viewport: DESKTOP },
  { name: 'phone, JavaScript on', js: true, viewport: PHONE },
  { name: 'phone, JavaScript off', js: false, viewport: PHONE },
];

// path(ids) -> address; status; text that must be on the page; results: the
// search must list at least one job.
const PAGES = [
  { name: 'home', path: () => '/', status: 200, text: 'Newest jobs' },
  { name: 'search without a query', path: () => '/jobs', status: 200, results: true },
  {
    name: 'search with words and filters',
    path: () => '/jobs?q=manager&accommodation=captioned_meetings&type=FULL_TIME&sort=salary',
    status: 200,
    results: true,
  },
  { name: 'search, second page', path: () => '/jobs?page=2&sort=date', status: 200, results: true },
  {
    name: 'search with no results',
    path: () => '/jobs?q=qqxyzzyplugh&accommodation=cart',
    status: 200,
    text: 'No open jobs match this search',
  },
  { name: 'open job', path: (ids) => `/jobs/${ids.open}`, status: 200, text: 'Accommodations offered' },
  { name: 'expired job', path: (ids) => `/jobs/${ids.expired}`, status: 200, text: 'This job is closed' },
  { name: 'closed job', path: (ids) => `/jobs/${ids.closed}`, status: 200, text: 'This job is closed' },
  { name: 'help', path: () => '/help', status: 200, text: 'How Beacon works' },
  { name: '404 page', path: () => '/no/such/page', status: 404, text: 'Page not found' },
  { name: '404 for a missing job', path: () => '/jobs/987654321', status: 404, text: 'Page not found' },
  { name: '400 page', path: () => '/jobs?page=abc', status: 400, text: 'Something in the address is not right' },
];

/** How far the page is wider than the viewport, in CSS pixels (WCAG 1.4.10 reflow). */
function sidewaysOverflow(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth));
}

function report(violations) {
  return `axe violations:\n${JSON.stringify(violations, null, 2)}`;
}

/** Load path, check status, text and axe; with JS, check scripts ran cleanly. */
async function checkPage(srv, ctx, variant, { path, status, text, results }) {
  const page = await ctx.newPage();
  const errors = variant.js ? watchErrors(page) : [];
  try {
    const res = await page.goto(srv.url + path, { waitUntil: 'load' });
    assert.equal(res.status(), status, `status of ${path}`);
    assert.equal(await page.locator('h1').count(), 1, 'exactly one h1');
    if (text) assert.ok((await page.locator('main').textContent()).includes(text), `"${text}" on ${path}`);
    if (results) assert.ok((await page.locator('#results .card').count()) > 0, `results on ${path}`);
    if (variant.viewport.width < 600) assert.equal(await sidewaysOverflow(page), 0, 'no sideways scrolling');
    if (variant.js) {
      // htmx and beacon.js loaded and initialised (not blocked by CSP).
      assert.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx loaded');
    }
    const violations = await axe(page);
    assert.deepEqual(violations, [], report(violations));
    assert.deepEqual(errors, [], 'console errors or failed requests');
  } finally {
    await page.close();
  }
}

describe('axe-core finds no WCAG 2.2 AA violations', () => {
  let srv;
  let browser;
  before(async () => {
    ({ srv, browser } = await setup());
  });
  after(() => teardown({ srv, browser }));

  // The variants are independent (a context each): run two at a time.
  describe('pages', { concurrency: 2 }, () => {
    for (const variant of VARIANTS) {
      describe(variant.name, () => {
        let ctx;
        before(async () => {
          ctx = await newContext(browser, variant);
        });
        after(async () => ctx?.close());
        for (const p of PAGES) {
          it(p.name, () => checkPage(srv, ctx, variant, { ...p, path: p.path(srv.ids) }));
        }
      });
    }
  });

  // The checks themselves: axe finds a planted fault (also with JavaScript
  // off, where it runs on a timer shim), and the error watcher sees CSP.
  describe('the checks catch faults', () => {
    for (const js of [true, false]) {
      it(`axe reports planted faults (JavaScript ${js ? 'on' : 'off'})`, async () => {
        const ctx = await newContext(browser, { js });
        try {
          const page = await ctx.newPage();
          await page.goto(srv.url + '/help');
          await page.evaluate(() => {
            const main = document.querySelector('main');
            main.append(document.createElement('input'));
            const faint = document.createElement('p');
            faint.textContent = 'Faint text';
            faint.style.color = '#c8c8c8';
            main.append(faint);
          });
          const ids = (await axe(page)).map((v) => v.id).sort();
          assert.deepEqual(ids, ['color-contrast', 'label']);
        } finally {
          await ctx.close();
        }
      });
    }
    it('the error watcher reports a CSP violation', async () => {
      const ctx = await newContext(browser, { js: true });
      try {
        const page = await ctx.newPage();
        const errors = watchErrors(page);
        await page.goto(srv.url + '/help');
        await page.evaluate(() => {
          const s = document.createElement('script');
          s.textContent = 'window.inlineRan = true';
          document.head.append(s);
        });
        await page.waitForTimeout(100);
        assert.equal(await page.evaluate(() => window.inlineRan), undefined, 'CSP blocked the inline script');
        assert.ok(errors.some((e) => /Content Security Policy/.test(e)), JSON.stringify(errors));
      } finally {
        await ctx.close();
      }
    });
  });

  // markdown_render makes the description's highest heading an h3, so
  // "## What you will do" sits under "About the job" and "# ..." is no second h1.
  it('description headings sit under "About the job"', async () => {
    const ctx = await newContext(browser, { js: false });
    try {
      const page = await ctx.newPage();
      await page.goto(`${srv.url}/jobs/${srv.ids.open}`);
      const levels = await page.locator('.prose :is(h1, h2, h3, h4, h5, h6)').evaluateAll((hs) => hs.map((h) => h.tagName));
      assert.ok(levels.length > 0, 'the description has headings');
      assert.deepEqual(levels.filter((t) => t === 'H1' || t === 'H2'), [], 'no h1 or h2 inside the description');
    } finally {
      await ctx.close();
    }
  });

  // 320 CSS pixels is 1280 at 400% zoom: nothing may need sideways scrolling,
  // not even with a long unbroken word in the query or in a description.
  it('reflow at 320 CSS pixels', async () => {
    const ctx = await newContext(browser, { js: false, viewport: { width: 320, height: 640 } });
    try {
      const page = await ctx.newPage();
      const long = 'Supercalifragilisticexpialidocious'.repeat(3);
      const paths = [...PAGES.map((p) => p.path(srv.ids)), `/jobs?q=${long}`, `/jobs?q=${long}&accommodation=cart`];
      for (const path of paths) {
        await page.goto(srv.url + path);
        assert.equal(await sidewaysOverflow(page), 0, `${path} scrolls sideways at 320px`);
      }
    } finally {
      await ctx.close();
    }
  });

  describe('500 page (the database fails)', () => {
    before(() => breakDatabase(srv));
    after(() => repairDatabase(srv));
    it('every page that reads the database answers 500', async () => {
      for (const path of ['/', '/jobs', `/jobs/${srv.ids.open}`, '/jobs.rss', '/api/v1/jobs']) {
        const r = await fetch(srv.url + path);
        assert.equal(r.status, 500, path);
      }
    });
    let n = 0;
    for (const variant of VARIANTS) {
      it(variant.name, async () => {
        const ctx = await newContext(browser, variant);
        try {
          const path = `/jobs?q=broken${n++}`;
          await checkPage(srv, ctx, variant, { path, status: 500, text: 'Something went wrong on our side' });
        } finally {
          await ctx.close();
        }
      });
    }
  });
});
