// Shared pieces of the browser tests: Debian's Chromium through playwright-core,
// a Beacon with generated jobs (plus one expired and one closed job), axe-core,
// and a console / network error collector.
//
//   node --test tests/browser/
//   BEACON_TEST_PG=$(sh scripts/pg start /tmp/pgb 55450) node --test tests/browser/
//
// Never downloads a browser: CHROMIUM (default /usr/bin/chromium) must exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer, beaconctl, BEACONCTL } from '../lib/server.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Generated jobs: enough for several result pages and every facet. */
export const JOB_COUNT = 120;

function isoDate(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400e3).toISOString().slice(0, 10);
}

/**
 * Two jobs that must render as closed: one whose validThrough has passed,
 * and one whose status is closed. The titles are unique so tests can find them.
 */
export function closedJobsJsonl() {
  const base = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    description:
      'Zephyrine Archive needs an archivist.\n\n## What you will do\n\n- Catalogue **records**\n- Answer questions in writing\n\n' +
      'Read more at https://archive.example/careers/archivist-position-description-and-application-instructions-2026\n',
    employmentType: 'FULL_TIME',
    hiringOrganization: { '@type': 'Organization', name: 'Zephyrine Archive' },
    jobLocation: {
      '@type': 'Place',
      address: { '@type': 'PostalAddress', addressLocality: 'Olympia', addressRegion: 'WA', addressCountry: 'US' },
    },
    experienceLevel: 'mid',
    accommodations: ['asl_interpreter', 'text_interviews'],
  };
  const expired = {
    ...base,
    title: 'Expired Quillwright Archivist',
    datePosted: isoDate(-90),
    validThrough: isoDate(-10),
    identifier: { '@type': 'PropertyValue', name: 'browser-tests', value: 'expired-1' },
  };
  const closed = {
    ...base,
    title: 'Closed Quillwright Cataloguer',
    datePosted: isoDate(-60),
    validThrough: isoDate(30),
    status: 'closed',
    identifier: { '@type': 'PropertyValue', name: 'browser-tests', value: 'closed-1' },
  };
  return [expired, closed].map((j) => JSON.stringify(j)).join('\n') + '\n';
}

function mustImport(env, text, what) {
  const r = beaconctl(env, ['import-jobs', '-'], text);
  if (r.status !== 0) throw new Error(`importing ${what} failed (${r.status}): ${r.stderr}`);
}

/**
 * Start Beacon with JOB_COUNT generated jobs and the closed jobs above.
 * Returns the startServer handle plus ids: { open, expired, closed }.
 */
export async function startBeacon() {
  let srv;
  try {
    srv = await startServer({});
  } catch (err) {
    // startServer leaves its server running when it never became ready,
    // which would keep this test process alive: stop our own children.
    stopOwnServers();
    throw err;
  }
  try {
    await loadJobs(srv);
  } catch (err) {
    await srv.stop();
    throw err;
  }
  return srv;
}

/** SIGTERM the beaconctl processes this process started (found by parent pid). */
function stopOwnServers() {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (ppid === process.pid && cmd.startsWith(BEACONCTL)) process.kill(Number(pid), 'SIGTERM');
    } catch {
      /* gone meanwhile */
    }
  }
}

async function loadJobs(srv) {
  const gen = beaconctl({}, ['gen-jobs', String(JOB_COUNT), '11']);
  if (gen.status !== 0) throw new Error(`gen-jobs failed: ${gen.stderr}`);
  mustImport(srv.env, gen.stdout, 'generated jobs');
  mustImport(srv.env, closedJobsJsonl(), 'closed jobs');
  srv.ids = await findIds(srv);
}

/** Look up ids: an open job from the search page, closed ones by scanning the id range. */
async function findIds(srv) {
  const html = await (await fetch(`${srv.url}/jobs`)).text();
  const m = html.match(/href="\/jobs\/(\d+)"/);
  if (!m) throw new Error('no open job on /jobs');
  const ids = { open: Number(m[1]) };
  // Imports assign increasing ids; the two closed jobs come last.
  for (let id = JOB_COUNT + 5; id > 0 && !(ids.expired && ids.closed); id--) {
    const r = await fetch(`${srv.url}/jobs/${id}`);
    if (r.status !== 200) continue;
    const t = await r.text();
    if (t.includes('Expired Quillwright Archivist')) ids.expired = id;
    else if (t.includes('Closed Quillwright Cataloguer')) ids.closed = id;
  }
  if (!ids.expired || !ids.closed) throw new Error(`closed jobs not found: ${JSON.stringify(ids)}`);
  return ids;
}

/**
 * Start Beacon and Chromium for one test file. Both are returned even when
 * one fails, so that after() can close the other.
 */
export async function setup() {
  const [srv, browser] = await Promise.allSettled([startBeacon(), launchBrowser()]);
  const env = { srv: srv.value, browser: browser.value };
  const failed = [srv, browser].find((r) => r.status === 'rejected');
  if (failed) {
    await teardown(env);
    throw failed.reason;
  }
  return env;
}

export async function teardown({ srv, browser } = {}) {
  await browser?.close();
  await srv?.stop();
}

/**
 * Launch Chromium. Playwright gives every launch a fresh temporary profile
 * (--user-data-dir) and removes it on close.
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh context. js: JavaScript on or off; viewport: DESKTOP or PHONE.
 * bypassCSP stays off by default so CSP violations show up as console errors;
 * axe is injected through the DevTools protocol, which CSP does not govern.
 */
export async function newContext(browser, { js = true, viewport = DESKTOP, bypassCSP = false, timezoneId = 'UTC', locale = 'en-US' } = {}) {
  // UTC and en-US unless a test asks otherwise: pages that add the reader's
  // own time (interview times) then read the same on any machine.
  const ctx = await browser.newContext({
    javaScriptEnabled: js,
    viewport,
    bypassCSP,
    timezoneId,
    locale,
    reducedMotion: 'reduce',
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    deviceScaleFactor: 1,
  });
  if (!js) noScript.add(ctx);
  return ctx;
}

/**
 * Sign in through the /signin form as a person would (type, then press the
 * button) in a new page of ctx; returns that page, on where sign-in led.
 */
export async function signInPage(ctx, url, email, password) {
  const page = await ctx.newPage();
  await page.goto(`${url}/signin`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  return page;
}

/**
 * Record console errors, page errors, failed requests and 4xx/5xx responses
 * for anything but the document itself (error pages are expected to be 4xx/5xx).
 */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const text = msg.text();
      // The browser logs the expected status of an error page itself; that is
      // checked by the tests, not an error of the page.
      if (/Failed to load resource: the server responded with a status of (400|404|500)/.test(text) &&
          msg.location().url === page.url()) return;
      errors.push(`console: ${text} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    // The live notification stream stays open until the page goes away; leaving the page
    // cancels it, which is how an EventSource ends, not a failure.
    if (new URL(req.url()).pathname === '/notifications/stream' && req.failure()?.errorText === 'net::ERR_ABORTED') return;
    errors.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (res.status() >= 400 && !(req.isNavigationRequest() && req.frame() === page.mainFrame())) {
      errors.push(`response ${res.status()}: ${res.url()}`);
    }
  });
  return errors;
}

// Contexts created with JavaScript off. Chromium still lets the test evaluate
// code there, but page timers never fire, and axe waits on setTimeout(fn, 0).
const noScript = new WeakSet();

/** Run axe-core on the page; returns the violations, formatted for a failure message. */
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) {
    if (noScript.has(page.context())) {
      // Zero-delay timers run as microtasks; longer ones are only watchdogs
      // (frame and preload timeouts) and never fire.
      await page.evaluate(() => {
        window.setTimeout = (fn, ms, ...args) => {
          if (!ms || ms <= 1) Promise.resolve().then(() => fn(...args));
          return 0;
        };
        window.clearTimeout = () => {};
      });
    }
    await page.evaluate(AXE_SOURCE + '\n;void 0');
  }
  const result = await page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
        preload: false,
      }),
    AXE_TAGS,
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} :: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
  }));
}

/** Describe the element that has focus (tag, id, text, focus styles). */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type'),
      name: el.getAttribute('name'),
      href: el.getAttribute('href'),
      text: (el.textContent || '').trim().slice(0, 80),
      outlineStyle: cs.outlineStyle,
      outlineWidth: cs.outlineWidth,
      boxShadow: cs.boxShadow,
      focusVisible: el.matches(':focus-visible'),
      // Its box is inside the viewport (1px of slack for subpixel layout).
      inView:
        r.width > 0 &&
        r.height > 0 &&
        r.top >= -1 &&
        r.left >= -1 &&
        r.bottom <= innerHeight + 1 &&
        r.right <= innerWidth + 1,
    };
  });
}

/** Has a visible focus indicator: an outline or a box-shadow. */
export function hasFocusRing(f) {
  const outline = f.outlineStyle !== 'none' && parseFloat(f.outlineWidth) > 0;
  const shadow = f.boxShadow && f.boxShadow !== 'none';
  return outline || shadow;
}

/** Number in the #result-status live region ("12 jobs found" -> 12). */
export async function statusCount(page) {
  const t = (await page.locator('#result-status').textContent()).trim();
  const m = t.match(/^(\d+) jobs? found$/);
  if (!m) throw new Error(`unexpected #result-status text: ${JSON.stringify(t)}`);
  return Number(m[1]);
}

/** Number in the results heading ("12 jobs found for ..." -> 12). */
export async function headingCount(page) {
  const t = (await page.locator('#results-h').textContent()).trim();
  const m = t.match(/^(\d+) jobs? found/);
  if (!m) throw new Error(`unexpected #results-h text: ${JSON.stringify(t)}`);
  return Number(m[1]);
}

/** JSON API search for a query string (the page's own), the ground truth for counts. */
export async function apiSearch(srv, qs) {
  const params = new URLSearchParams(qs);
  for (const [k, v] of [...params]) if (v === '') params.delete(k);
  params.set('per_page', '1');
  const r = await fetch(`${srv.url}/api/v1/jobs?${params}`);
  if (!r.ok) throw new Error(`API ${params}: ${r.status} ${await r.text()}`);
  return r.json();
}

// Facet count span ids on the search page: fc-GROUP-CODE; API facet names.
const FACET_GROUPS = {
  acc: 'accommodation',
  type: 'employment_type',
  level: 'experience_level',
  remote: 'remote',
  salary: 'min_salary',
};

/** The API's facets as { 'fc-acc-cart': 3, ... }, the ids the page uses. */
export function facetsById(api) {
  const out = {};
  for (const [group, name] of Object.entries(FACET_GROUPS)) {
    for (const [code, n] of Object.entries(api.facets[name] || {})) out[`fc-${group}-${code}`] = n;
  }
  return out;
}

/** Every facet count shown on the page, as { id: number }. */
export function pageFacets(page) {
  return page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll('.filters .count[id]')) {
      const m = el.textContent.trim().match(/^\((\d+)\)$/);
      out[el.id] = m ? Number(m[1]) : el.textContent;
    }
    return out;
  });
}

/**
 * Make every database query fail (the jobs table disappears under the running
 * server), so pages answer 500; repairDatabase puts it back.
 */
export function breakDatabase(srv) {
  renameJobs(srv, 'jobs', 'jobs_broken_by_test');
}

export function repairDatabase(srv) {
  renameJobs(srv, 'jobs_broken_by_test', 'jobs');
}

function renameJobs(srv, from, to) {
  const url = srv.env.BEACON_DATABASE_URL;
  const sql = `ALTER TABLE ${from} RENAME TO ${to};`;
  const r = url.startsWith('sqlite:')
    ? spawnSync('sqlite3', ['-cmd', '.timeout 5000', url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
    : spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${sql} failed: ${r.stderr || r.error}`);
}

/**
 * Press Tab until want(focused element) holds and return it; every control on
 * the way must show a focus ring (a date-time control highlights the segment
 * being edited inside it, not its own box, so it is let off). Throws when
 * limit presses never reach it.
 */
export async function tabTo(page, want, limit = 120) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && ['a', 'button', 'input', 'select', 'textarea'].includes(f.tag) && f.type !== 'datetime-local') {
      assert.ok(hasFocusRing(f), `focus ring on ${JSON.stringify(f)}`);
    }
    if (f && want(f)) return f;
  }
  throw new Error(`Tab never reached the element on ${page.url()}`);
}

/** axe finds nothing on the page, and it has exactly one h1. */
export async function assertClean(page) {
  const violations = await axe(page);
  assert.deepEqual(violations, [], `axe on ${page.url()}:\n${JSON.stringify(violations, null, 2)}`);
  assert.equal(await page.locator('h1').count(), 1, `one h1 on ${page.url()}`);
}
