// A crawl of the living demo site (BEACON_DEMO_DATA=1, src/cli/demo.c): as a
// visitor and signed in, through the /signin page, as one demo account of
// each role, follow the site's own links breadth-first from the pages each
// role starts from. Every HTML page reached must answer below 400, hold
// exactly one h1, pass axe-core with the rules of axe.test.mjs and load
// without console errors or failed requests; the first page of each address
// pattern must also fit a 390 px phone screen without sideways scrolling and
// pass axe-core there too.
//
// Only GET links are followed (forms are never submitted). Left out: signing
// out, downloads and feeds (anything not text/html), the live notification
// stream and the JSON API. Numeric ids count as one pattern (/jobs/1 and
// /jobs/2 are /jobs/:id), and all query strings on one path as one more
// (/jobs?q=a and /jobs?page=2 are /jobs?); at most PER_PATTERN pages of a
// pattern and MAX_PAGES pages per role are visited.
// Runs on SQLite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, newContext, watchErrors, axe, DESKTOP, PHONE, signInPage } from './helpers.mjs';
import { startServer } from '../lib/server.mjs';

const MAX_PAGES = 60;
const PER_PATTERN = 2;

// The demo accounts the crawl signs in as (one of each role), and where each starts.
const ROLES = [
  { role: 'visitor', name: null, start: ['/'] },
  { role: 'Job seeker', name: 'Maya Thompson', start: ['/', '/applications', '/profile', '/documents', '/notifications', '/account'] },
  { role: 'Employer', name: 'Grace Chen', start: ['/', '/employer/jobs', '/applications', '/notifications', '/account'] },
  { role: 'Recruiter', name: 'Omar Haddad', start: ['/', '/employer/jobs', '/applications', '/notifications', '/account'] },
  { role: 'Entrepreneur', name: 'Tomas Rivera', start: ['/', '/documents', '/notifications', '/account'] },
];

/** Paths never followed: they sign out, stream, download or answer JSON/XML. */
const SKIP_PATH = [
  /^\/signout(\/|$)/,
  /^\/notifications\/stream$/,
  /^\/api\//,
  /^\/static\//,
  /\.(ics|json|rss|xml|csv|txt|pdf|docx?)$/,
  /^\/documents\/\d+$/, // the file itself
];

/** The accounts file as { password, accounts: [{ email, role, name }] } (as demo.test.mjs reads it). */
function parseAccounts(text) {
  const pw = text.match(/^Password: (\S+)$/m);
  const accounts = [...text.matchAll(/^- (\S+@\S+) \(([^,]+), ([^)]+)\): (.+)$/gm)].map((m) => ({
    email: m[1], role: m[2], name: m[3],
  }));
  return { password: pw?.[1], accounts };
}

/** /jobs/12/apply -> "/jobs/:id/apply"; any query string makes one more pattern: "/jobs?". */
function patternOf(url) {
  const path = url.pathname.replace(/\/\d+(?=\/|\.|$)/g, '/:id');
  return url.search ? `${path}?` : path;
}

/** How far the page is wider than the viewport, in CSS pixels (WCAG 1.4.10 reflow). */
function sidewaysOverflow(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth));
}

/** Sign in through the /signin page, as a person would: type, then press the button. */
async function signIn(ctx, srv, email, password) {
  const page = await signInPage(ctx, srv.url, email, password);
  try {
    assert.doesNotMatch(new URL(page.url()).pathname, /^\/signin/, `${email} is signed in`);
  } finally {
    await page.close();
  }
}

/**
 * Visit the site breadth-first from start. Returns { visited: [path], problems: [text] };
 * each problem names the page and what is wrong with it.
 */
async function crawl(srv, ctx, start) {
  const origin = new URL(srv.url).origin;
  const queue = start.map((p) => new URL(p, origin));
  const seen = new Set(queue.map((u) => u.pathname + u.search));
  const perPattern = new Map();
  const phoneChecked = new Set();
  const visited = [];
  const problems = [];
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    while (queue.length && visited.length < MAX_PAGES) {
      const url = queue.shift();
      const pattern = patternOf(url);
      if ((perPattern.get(pattern) || 0) >= PER_PATTERN) continue;
      perPattern.set(pattern, (perPattern.get(pattern) || 0) + 1);
      const where = url.pathname + url.search;
      errors.length = 0;
      let res;
      try {
        res = await page.goto(url.href, { waitUntil: 'load' });
      } catch (err) {
        // A download (Content-Disposition: attachment) is no page.
        if (/Download is starting/.test(err.message)) continue;
        problems.push(`${where}: ${err.message.split('\n')[0]}`);
        continue;
      }
      const type = res.headers()['content-type'] || '';
      if (!type.startsWith('text/html')) continue;
      visited.push(where);
      const landed = new URL(page.url());
      if (landed.origin === origin) seen.add(landed.pathname + landed.search);
      const at = landed.pathname + landed.search === where ? where : `${where} (-> ${landed.pathname}${landed.search})`;
      if (res.status() >= 400) problems.push(`${at}: status ${res.status()}`);
      const h1 = await page.locator('h1').count();
      if (h1 !== 1) problems.push(`${at}: ${h1} h1 elements`);
      const violations = await axe(page);
      for (const v of violations) problems.push(`${at}: axe ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`);
      const landedPattern = patternOf(landed);
      if (!phoneChecked.has(landedPattern)) {
        phoneChecked.add(landedPattern);
        await page.setViewportSize(PHONE);
        const over = await sidewaysOverflow(page);
        if (over > 0) problems.push(`${at}: scrolls sideways by ${over}px at ${PHONE.width}px`);
        for (const v of await axe(page)) {
          problems.push(`${at} at ${PHONE.width}px: axe ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`);
        }
        await page.setViewportSize(DESKTOP);
      }
      for (const e of errors) problems.push(`${at}: ${e}`);

      const hrefs = await page.locator('a[href]:not([download])').evaluateAll((as) => as.map((a) => a.href));
      for (const href of hrefs) {
        let next;
        try {
          next = new URL(href);
        } catch {
          continue;
        }
        next.hash = '';
        if (next.origin !== origin) continue;
        if (SKIP_PATH.some((re) => re.test(next.pathname))) continue;
        const key = next.pathname + next.search;
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push(next);
      }
    }
  } finally {
    await page.close();
  }
  return { visited, problems };
}

describe('a crawl of the demo site finds no accessibility faults', () => {
  let srv;
  let browser;
  let demo;

  before(async () => {
    [srv, browser] = await Promise.all([startServer({ env: { BEACON_DEMO_DATA: '1' } }), launchBrowser()]);
    demo = parseAccounts(readFileSync(join(srv.dir, 'demo-accounts.txt'), 'utf8'));
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const { role, name, start } of ROLES) {
    it(name ? `signed in as ${name} (${role})` : 'as a visitor', async (t) => {
      const ctx = await newContext(browser, { js: true, viewport: DESKTOP });
      try {
        if (name) {
          const account = demo.accounts.find((a) => a.name === name);
          assert.ok(account, `${name} is a demo account`);
          assert.equal(account.role, role);
          await signIn(ctx, srv, account.email, demo.password);
        }
        const { visited, problems } = await crawl(srv, ctx, start);
        t.diagnostic(`${visited.length} pages: ${visited.join(' ')}`);
        assert.ok(visited.length >= 10, `only ${visited.length} pages reached: ${visited.join(' ')}`);
        assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join('\n')}`);
      } finally {
        await ctx.close();
      }
    });
  }
});
