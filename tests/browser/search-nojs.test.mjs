// The search works with JavaScript off: plain GET forms and links, full pages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup,
  teardown,
  newContext,
  headingCount,
  statusCount,
  apiSearch,
  facetsById,
  pageFacets,
  DESKTOP,
  PHONE,
} from './helpers.mjs';

function query(page) {
  return new URL(page.url()).searchParams;
}

describe('search without JavaScript', () => {
  let srv;
  let browser;
  let ctx;
  let page;
  before(async () => {
    ({ srv, browser } = await setup());
    ctx = await newContext(browser, { js: false, viewport: DESKTOP });
    page = await ctx.newPage();
  });
  after(() => teardown({ srv, browser }));

  it('home page search box leads to the results', async () => {
    await page.goto(srv.url + '/');
    await page.getByLabel('Job title, skill or keyword').fill('manager');
    await Promise.all([page.waitForURL(/\/jobs\?/), page.getByRole('button', { name: 'Search jobs' }).click()]);
    assert.equal(query(page).get('q'), 'manager');
    const api = await apiSearch(srv, 'q=manager');
    assert.ok(api.meta.total > 0);
    assert.equal(await headingCount(page), api.meta.total);
    assert.match(await page.locator('#results-h').textContent(), /for “manager”/);
  });

  it('words, a filter, apply, then open a job', async () => {
    await page.goto(srv.url + '/jobs');
    const all = await headingCount(page);

    // Type words and submit with Enter.
    await page.getByLabel('Job title, skill or keyword').fill('manager');
    await Promise.all([page.waitForURL(/q=manager/), page.getByLabel('Job title, skill or keyword').press('Enter')]);
    const words = await headingCount(page);
    assert.ok(words > 0 && words < all, `words narrow the list (${words} of ${all})`);
    assert.equal(await statusCount(page), words);

    // Tick a filter: nothing happens until "Apply filters" (no script).
    const predicted = Number((await page.locator('#fc-acc-asl_interpreter').textContent()).match(/\d+/)[0]);
    const before = page.url();
    await page.getByLabel(/^ASL interpreter provided/).check();
    assert.equal(page.url(), before, 'ticking alone does not navigate without JavaScript');
    await Promise.all([
      page.waitForURL(/accommodation=asl_interpreter/),
      page.getByRole('button', { name: 'Apply filters' }).click(),
    ]);
    const q = query(page);
    assert.equal(q.get('q'), 'manager', 'the words stay in the URL');
    assert.equal(q.get('accommodation'), 'asl_interpreter');
    const filtered = await headingCount(page);
    assert.equal(filtered, predicted, 'the facet count told how many jobs the filter gives');
    assert.ok(filtered < words, 'the filter narrows the list');
    assert.ok(await page.getByLabel(/^ASL interpreter provided/).isChecked(), 'the filter stays ticked');
    assert.equal(await page.getByLabel('Job title, skill or keyword').inputValue(), 'manager');

    // The counts next to the filters are those of the API for the same search.
    const api = await apiSearch(srv, q.toString());
    assert.equal(api.meta.total, filtered);
    assert.deepEqual(await pageFacets(page), facetsById(api));

    // A radio and the sort order, then Search.
    await page.getByLabel(/^On-site/).check();
    await page.getByLabel('Sort by').selectOption('salary');
    await Promise.all([page.waitForURL(/remote=false/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    assert.equal(query(page).get('sort'), 'salary');
    assert.equal(await headingCount(page), (await apiSearch(srv, query(page).toString())).meta.total);

    // Open the first job.
    const link = page.locator('#results .card-title a').first();
    const title = (await link.textContent()).trim();
    await Promise.all([page.waitForURL(/\/jobs\/\d+$/), link.click()]);
    assert.equal((await page.locator('h1').textContent()).trim(), title);
    assert.ok(await page.getByRole('heading', { name: 'Accommodations offered' }).isVisible());
  });

  it('pager links and the way out of an empty result', async () => {
    await page.goto(srv.url + '/jobs');
    assert.match(await page.locator('.pager').textContent(), /Page 1 of \d+/);
    const first = await page.locator('#results .card-title a').first().textContent();
    await Promise.all([page.waitForURL(/page=2/), page.getByRole('link', { name: /Next page/ }).click()]);
    assert.match(await page.locator('.pager').textContent(), /Page 2 of/);
    assert.notEqual(await page.locator('#results .card-title a').first().textContent(), first);
    assert.equal(await page.locator('#results ol').getAttribute('start'), '21');

    await page.goto(srv.url + '/jobs?q=qqxyzzyplugh');
    assert.equal(await headingCount(page), 0);
    await Promise.all([page.waitForURL((u) => !u.search.includes('q=')), page.getByRole('link', { name: 'Search without the words' }).click()]);
    assert.ok((await headingCount(page)) > 0);
  });

  it('works the same at phone width', async () => {
    const phone = await newContext(browser, { js: false, viewport: PHONE });
    try {
      const p = await phone.newPage();
      await p.goto(srv.url + '/jobs');
      await p.getByLabel(/^Text-based interviews/).check();
      await Promise.all([p.waitForURL(/accommodation=text_interviews/), p.getByRole('button', { name: 'Apply filters' }).click()]);
      assert.equal(await headingCount(p), (await apiSearch(srv, 'accommodation=text_interviews')).meta.total);
      // Nothing wider than the screen (no sideways scrolling, WCAG 1.4.10).
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    } finally {
      await phone.close();
    }
  });
});
