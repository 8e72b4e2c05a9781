// The search with JavaScript: HTMX swaps #results without reloading the page,
// pushes the URL, updates the live region and every facet count out of band,
// moves focus after paging, and the back button restores earlier searches.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup,
  teardown,
  newContext,
  watchErrors,
  axe,
  focused,
  hasFocusRing,
  headingCount,
  statusCount,
  apiSearch,
  facetsById,
  pageFacets,
  breakDatabase,
  repairDatabase,
  DESKTOP,
} from './helpers.mjs';

const MARK = 'beacon-test-marker';

/**
 * Do action and wait until HTMX has swapped #results. Returns the HTMX
 * requests made meanwhile (their URLs), so tests can count them.
 */
async function swap(page, action) {
  const requests = [];
  const onRequest = (r) => {
    if (r.headers()['hx-request'] === 'true') requests.push(r.url());
  };
  page.on('request', onRequest);
  await page.evaluate(() => {
    window.__swapped = new Promise((resolve) => {
      document.addEventListener('htmx:afterSettle', function done(e) {
        if (e.detail.target && e.detail.target.id === 'results') {
          document.removeEventListener('htmx:afterSettle', done);
          resolve(true);
        }
      });
    });
  });
  await action();
  await page.evaluate(() => window.__swapped);
  page.off('request', onRequest);
  return requests;
}

/** Do action (back or forward) and wait until htmx has restored that page from the server. */
async function restore(page, action) {
  await page.evaluate(() => {
    window.__restored = new Promise((resolve) => {
      document.addEventListener('htmx:historyRestore', () => resolve(true), { once: true });
    });
  });
  await action();
  await page.evaluate(() => window.__restored);
}

/** The page is still the one we loaded: no full reload happened. */
async function sameDocument(page) {
  return page.evaluate((m) => window.__beaconMarker === m, MARK);
}

/** Status, heading and facet counts all agree with the API for the URL's query. */
async function assertConsistent(srv, page) {
  const qs = new URL(page.url()).searchParams.toString();
  const api = await apiSearch(srv, qs);
  assert.equal(await statusCount(page), api.meta.total, `#result-status for ${qs}`);
  assert.equal(await headingCount(page), api.meta.total, `#results-h for ${qs}`);
  assert.deepEqual(await pageFacets(page), facetsById(api), `facet counts for ${qs}`);
  return api.meta.total;
}

describe('search with JavaScript (HTMX)', () => {
  let srv;
  let browser;
  let ctx;
  let page;
  let errors;
  before(async () => {
    ({ srv, browser } = await setup());
    ctx = await newContext(browser, { js: true, viewport: DESKTOP });
    page = await ctx.newPage();
    errors = watchErrors(page);
    await page.goto(srv.url + '/jobs');
    await page.evaluate((m) => {
      window.__beaconMarker = m;
    }, MARK);
  });
  after(() => teardown({ srv, browser }));

  it('Enter in the words field swaps the results once, without a reload', async () => {
    const all = await headingCount(page);
    await page.getByLabel('Job title, skill or keyword').fill('manager');
    const reqs = await swap(page, () => page.getByLabel('Job title, skill or keyword').press('Enter'));
    assert.equal(reqs.length, 1, `one request, not ${JSON.stringify(reqs)}`);
    assert.ok(await sameDocument(page), 'no full page load');
    assert.equal(new URL(page.url()).searchParams.get('q'), 'manager', 'hx-push-url put the words in the URL');
    assert.match(await page.locator('#results-h').textContent(), /for “manager”/);
    const n = await assertConsistent(srv, page);
    assert.ok(n > 0 && n < all);
    assert.equal(await page.title(), 'Find jobs · Beacon');
  });

  it('ticking a filter searches at once; live region and counts follow', async () => {
    const predicted = Number((await page.locator('#fc-acc-asl_interpreter').textContent()).match(/\d+/)[0]);
    const beforeFacets = await pageFacets(page);
    await swap(page, () => page.getByLabel(/^ASL interpreter provided/).check());
    assert.ok(await sameDocument(page));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('accommodation'), 'asl_interpreter');
    assert.equal(url.searchParams.get('q'), 'manager');
    assert.equal(await page.locator('#result-status').textContent(), `${predicted} ${predicted === 1 ? 'job' : 'jobs'} found`);
    const n = await assertConsistent(srv, page);
    assert.equal(n, predicted, 'the count next to the filter was right');
    assert.notDeepEqual(await pageFacets(page), beforeFacets, 'facet counts were swapped out of band');
    // Focus stays on the checkbox the user ticked.
    assert.equal((await focused(page)).id, 'f-acc-asl_interpreter');
    // The live region is the one from the full page, still polite and atomic.
    const live = page.locator('#result-status');
    assert.equal(await live.getAttribute('role'), 'status');
    assert.equal(await live.getAttribute('aria-live'), 'polite');
  });

  it('the sort order and a radio also search on change', async () => {
    await swap(page, () => page.getByLabel('Sort by').selectOption('salary'));
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'salary');
    await swap(page, () => page.getByLabel(/^On-site/).check());
    assert.equal(new URL(page.url()).searchParams.get('remote'), 'false');
    await assertConsistent(srv, page);
    assert.ok(await sameDocument(page));
  });

  it('the page after swaps still has no axe violations', async () => {
    const violations = await axe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  });

  it('a pager link swaps the next page and moves focus to the results heading', async () => {
    // Back to a long list: clear the filters (each change searches).
    await swap(page, () => page.getByLabel(/^Anywhere/).check());
    await swap(page, () => page.getByLabel(/^ASL interpreter provided/).uncheck());
    const total = await assertConsistent(srv, page);
    assert.ok(total > 20, `enough results for a second page (${total})`);
    const firstTitle = await page.locator('#results .card-title a').first().textContent();
    const next = page.getByRole('link', { name: /Next page/ });
    await next.focus();
    await swap(page, () => page.keyboard.press('Enter'));
    assert.ok(await sameDocument(page));
    assert.equal(new URL(page.url()).searchParams.get('page'), '2');
    assert.match(await page.locator('.pager').textContent(), /Page 2 of/);
    assert.notEqual(await page.locator('#results .card-title a').first().textContent(), firstTitle);
    const f = await focused(page);
    assert.equal(f.id, 'results-h', 'focus moved to the results heading');
    assert.ok(hasFocusRing(f), `the focused heading shows focus: ${JSON.stringify(f)}`);
    const inView = await page.locator('#results-h').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(inView, 'the focused heading is scrolled into view');
    assert.equal(await statusCount(page), total);
  });

  it('the back button restores each earlier search', async () => {
    // History: /jobs, +words, +ASL, +sort, +on-site, anywhere, -ASL, page 2.
    const steps = [
      (q) => q.get('page') === null && q.get('accommodation') === null && q.get('remote') === '',
      (q) => q.get('accommodation') === 'asl_interpreter' && q.get('remote') === '',
      (q) => q.get('accommodation') === 'asl_interpreter' && q.get('remote') === 'false',
      (q) => q.get('accommodation') === 'asl_interpreter' && q.get('sort') === 'salary' && q.get('remote') === '',
    ];
    for (const ok of steps) {
      // htmx fetches the full page for the address and swaps the body.
      await restore(page, () => page.goBack());
      const q = new URL(page.url()).searchParams;
      assert.ok(ok(q), `unexpected history entry ${page.url()}`);
      assert.ok(await sameDocument(page), 'history restore did not reload the page');
      assert.equal(await page.locator('h1').count(), 1, 'one h1 after restore (a whole page, not a fragment)');
      assert.equal(await page.locator('header.site-header').count(), 1, 'the page frame is intact');
      assert.equal(
        await page.getByLabel(/^ASL interpreter provided/).isChecked(),
        q.get('accommodation') === 'asl_interpreter',
        'the checkbox matches the address',
      );
      assert.equal(await page.getByLabel('Job title, skill or keyword').inputValue(), 'manager');
      await assertConsistent(srv, page);
    }
    // Forward again, and a new search from a restored page still works.
    await restore(page, () => page.goForward());
    assert.equal(new URL(page.url()).searchParams.get('remote'), 'false');
    await swap(page, () => page.getByLabel(/^Text-based interviews/).check());
    assert.equal(new URL(page.url()).searchParams.getAll('accommodation').sort().join(), 'asl_interpreter,text_interviews');
    await assertConsistent(srv, page);
    assert.ok(await sameDocument(page));
  });

  it('a style a browser extension put on a field does not make HTMX break the CSP on Back', async () => {
    // Extensions (password managers, spelling tools) style form fields through
    // the CSSOM, which the CSP allows. HTMX's settle step used to copy such a
    // style attribute onto the restored field with setAttribute, which it does not.
    await page.goto(srv.url + '/jobs');
    await page.evaluate((m) => { window.__beaconMarker = m; }, MARK);
    await swap(page, () => page.getByRole('link', { name: /Next page/ }).click());
    assert.equal(new URL(page.url()).searchParams.get('page'), '2');
    await page.evaluate(() => { document.getElementById('q').style.backgroundImage = 'none'; });
    await restore(page, () => page.goBack());
    assert.ok(await sameDocument(page), 'history restore did not reload the page');
    assert.equal(new URL(page.url()).searchParams.get('page'), null);
  });

  it('no console errors, CSP violations or failed requests', () => {
    assert.deepEqual(errors, []);
  });

  it('a failed search says so in the live region', async () => {
    await page.goto(srv.url + '/jobs?q=manager');
    const failed = page.waitForResponse((r) => r.request().headers()['hx-request'] === 'true');
    breakDatabase(srv);
    try {
      await page.getByLabel(/^Visual alerts/).check();
      assert.equal((await failed).status(), 500);
      await page.waitForFunction(() => /did not work/.test(document.querySelector('#result-status').textContent));
      assert.ok(await page.locator('#result-status').isVisible(), 'the message is visible, not only announced');
    } finally {
      repairDatabase(srv);
    }
    // Trying again works.
    await swap(page, () => page.getByLabel(/^Visual alerts/).uncheck());
    await assertConsistent(srv, page);
  });
});
