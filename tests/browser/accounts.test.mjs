// Accounts in a real browser: an employer signs up with the keyboard,
// confirms the address from the mail folder, signs in, turns on two-factor
// sign-in, signs out and back in with a code, creates the company, posts a
// job and finds it in search. Form errors are accessible (the summary takes
// focus, each entry leads to its field, fields point at their error text).
// axe-core finds nothing on any page visited, with JavaScript on and off, at
// desktop and phone widths, and scripts run without console errors or CSP
// violations. The header's account links and Sign out button are reachable
// by Tab and show a focus indicator.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newContext, watchErrors, axe, focused, hasFocusRing, DESKTOP, PHONE,
} from './helpers.mjs';
import { startServer } from '../lib/server.mjs';
import {
  PASSWORD, codeSource, linkRe, newEmail, registerVerified, totp, waitMail,
} from '../lib/accounts.mjs';

let srv;
let browser;

before(async () => {
  const [s, b] = await Promise.allSettled([startServer({}), launchBrowser()]);
  srv = s.value;
  browser = b.value;
  if (s.status === 'rejected') throw s.reason;
  if (b.status === 'rejected') throw b.reason;
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// ---- checks shared by the tests ----

function report(url, violations) {
  return `axe violations on ${url}:\n${JSON.stringify(violations, null, 2)}`;
}

/**
 * The page answered status, has one h1 with the given text, does not scroll
 * sideways on a phone, and axe-core finds nothing. Returns the page's URL path.
 */
async function check(page, variant, res, status, h1) {
  const url = page.url();
  assert.ok(res, `no response for ${url}`);
  assert.equal(res.status(), status, `status of ${url}`);
  const heads = page.locator('h1');
  assert.equal(await heads.count(), 1, `exactly one h1 on ${url}`);
  if (h1) assert.equal((await heads.textContent()).trim(), h1, `h1 of ${url}`);
  if (variant.viewport.width < 600) {
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `no sideways scrolling on ${url} (${over}px)`);
  }
  const violations = await axe(page);
  assert.deepEqual(violations, [], report(url, violations));
  return new URL(url).pathname;
}

/** Go to path and check it (see check). */
async function visit(page, variant, path, status, h1) {
  const res = await page.goto(srv.url + path);
  return check(page, variant, res, status, h1);
}

/** Press a key that navigates (Enter on a link, a button or in a form); returns the response. */
async function pressAndWait(page, key = 'Enter') {
  const [res] = await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  return res;
}

/**
 * Console errors, page errors, failed requests and 4xx/5xx answers for
 * anything but the document. The browser also logs the 4xx status of a
 * document (a form sent back with errors answers 401 or 422): those console
 * lines are dropped here, because a subresource that fails is reported
 * separately as a response by watchErrors.
 */
function realErrors(errors) {
  return errors.filter((e) => !/^console: Failed to load resource: the server responded with a status of 4\d\d /.test(e));
}

/**
 * How much of the focused element is on screen, in CSS pixels of height.
 * Chromium does not scroll when Tab reaches a control that is already partly
 * visible (a tall textarea at the bottom of the window), so a form's
 * textarea can sit half off screen: WCAG 2.4.11 (AA) asks that focus is not
 * entirely hidden, so at least 24px (or all of a smaller control) must show.
 */
function visibleHeight(page) {
  return page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    const shown = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
    const across = Math.min(r.right, innerWidth) - Math.max(r.left, 0);
    return { shown: across > 0 ? Math.max(0, shown) : 0, height: r.height };
  });
}

async function assertFocusVisible(page, what) {
  const f = await focused(page);
  assert.ok(hasFocusRing(f), `${what}: no focus indicator on ${JSON.stringify(f)}`);
  if (!f.inView) {
    const v = await visibleHeight(page);
    assert.ok(v.shown >= Math.min(24, v.height), `${what}: focused element is hidden: ${JSON.stringify({ ...f, ...v })}`);
  }
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

/** Tab to the skip link and follow it: focus moves to main. */
async function skipToMain(page) {
  await page.keyboard.press('Tab');
  const f = await assertFocusVisible(page, 'skip link');
  assert.equal(f.text, 'Skip to main content', 'the skip link is the first stop');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'main', 'the skip link moves focus to main');
}

const byId = (id) => (f) => f.id === id;
const isButton = (text) => (f) => f.tag === 'button' && f.text === text;

/** Tab to a field and type into it. */
async function tabAndType(page, id, text) {
  await tabTo(page, byId(id), id);
  await page.keyboard.type(text);
}

/**
 * The form came back with errors for exactly these fields (in this order):
 * with JavaScript the summary has focus; each summary entry is a link that
 * moves focus to its field; each field has aria-invalid and an
 * aria-describedby that names its visible error text, which says what the
 * summary says.
 */
async function checkErrors(page, variant, fields) {
  const summary = page.locator('.error-summary');
  assert.equal(await summary.count(), 1, 'one error summary');
  assert.equal(await summary.getAttribute('role'), 'alert');
  if (variant.js) {
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  }
  const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })));
  assert.deepEqual(links.map((l) => l.href), fields.map((f) => `#f-${f}`), 'the summary lists the fields');

  for (const [i, link] of links.entries()) {
    const name = fields[i];
    if (i === 0 && variant.js) {
      // From the focused summary, Tab reaches the first entry.
      await page.keyboard.press('Tab');
      const f = await assertFocusVisible(page, 'first error link');
      assert.equal(f.href, link.href, 'Tab from the summary reaches its first link');
    } else {
      await summary.locator(`a[href="${link.href}"]`).focus();
      await assertFocusVisible(page, `error link ${link.href}`);
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.id === id, `f-${name}`, { timeout: 5000 })
      .catch(() => {});
    const active = await focused(page);
    assert.equal(active.id, `f-${name}`, `following ${link.href} focuses the field`);
    assert.ok(['input', 'textarea', 'select'].includes(active.tag), `${link.href} leads to a form control, not ${active.tag}`);

    const field = await page.evaluate((id) => {
      const el = document.getElementById(id);
      // A radio group describes its error on the fieldset, read when entering the group.
      const holder = el.type === 'radio' ? el.closest('fieldset') : el;
      const ids = (holder.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      return {
        invalid: el.getAttribute('aria-invalid'),
        describedBy: ids,
        missing: ids.filter((d) => !document.getElementById(d)),
      };
    }, `f-${name}`);
    assert.equal(field.invalid, 'true', `f-${name} has aria-invalid="true"`);
    assert.ok(field.describedBy.includes(`e-${name}`), `f-${name} is described by e-${name}: ${field.describedBy}`);
    assert.deepEqual(field.missing, [], `f-${name}: aria-describedby names elements that exist`);
    const err = page.locator(`#e-${name}`);
    assert.ok(await err.isVisible(), `the error text of ${name} is visible`);
    assert.equal((await err.textContent()).trim(), `Error: ${link.text}`, `the error text of ${name} says what the summary says`);
  }
  // Fields without errors are not marked invalid.
  const invalid = await page.locator('main [aria-invalid="true"]').evaluateAll((els) => [...new Set(els.map((e) => e.name))]);
  assert.deepEqual(invalid.sort(), [...fields].sort(), 'only the fields with errors are invalid');
}

/** A TOTP code that is wrong now (none of the steps around the current time). */
function wrongCode(secret) {
  const now = Date.now() / 1000;
  const near = new Set([-2, -1, 0, 1, 2].map((s) => totp(secret, now, s)));
  for (const c of ['000000', '123456', '999999', '246810']) if (!near.has(c)) return c;
  throw new Error('no wrong code found');
}

/** The base32 secret shown on the set-up page. */
async function shownSecret(page) {
  const text = (await page.locator('code.secret').textContent()).trim();
  assert.match(text, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the secret is shown as groups of base32 letters');
  return text;
}

/** The QR code on the set-up page is an image with a name, shown at a scannable size. */
async function checkQr(page) {
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app', exact: true });
  assert.equal(await qr.count(), 1, 'one QR code image with an accessible name');
  assert.ok(await qr.isVisible(), 'the QR code is visible');
  assert.equal(await qr.evaluate((el) => el.tagName.toLowerCase()), 'svg');
  const box = await qr.boundingBox();
  assert.ok(box.width >= 150 && box.height >= 150, `QR code large enough to scan: ${JSON.stringify(box)}`);
}

/** The ten recovery codes on the page, each different. */
async function recoveryCodes(page) {
  const codes = await page.locator('ul.codes li code').allTextContents();
  assert.equal(codes.length, 10, `ten recovery codes: ${codes}`);
  assert.equal(new Set(codes).size, 10, 'the codes differ');
  for (const c of codes) assert.ok(c.trim().length >= 8, `a recovery code: ${c}`);
  // The list is named by its heading.
  assert.equal(await page.getByRole('list', { name: 'Your recovery codes' }).count(), 1);
  return codes;
}

/** The Sign out button in the header. */
/** Header link and button text without the brand's decorative mark. */
const plain = (t) => t.replace('\u25C9', '').trim();

const signOutButton = (page) => page.locator('header').getByRole('button', { name: 'Sign out', exact: true });

async function headerLinks(page) {
  return page.locator('header nav a').allTextContents();
}

// ---- 1-4: the journey, keyboard only where it matters, desktop with JavaScript ----

describe('the employer journey (keyboard, desktop, JavaScript on)', () => {
  const variant = { js: true, viewport: DESKTOP };
  const email = newEmail('employer');
  const word = `Zor${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
  const title = `Captioning coordinator ${word}`;
  let ctx;
  let page;
  let errors;
  let secret;
  let nextCode;
  let step = 0; // the steps that passed, so a later one says why it cannot run

  before(async () => {
    ctx = await newContext(browser, variant);
    page = await ctx.newPage();
    errors = watchErrors(page);
  });
  after(async () => {
    await ctx?.close();
  });

  it('1. signs up as an employer, confirms the address, signs in', async () => {
    await visit(page, variant, '/signup', 200, 'Create an account');
    await tabAndType(page, 'f-display_name', 'Erin Employer');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'f-email', 'Tab goes from the name to the email field');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'f-password');
    await page.keyboard.type(PASSWORD);
    // Tab enters the radio group; the arrow keys move to "Employer", Space picks it.
    const radio = await tabTo(page, (f) => f.name === 'role', 'role radios');
    assert.equal(radio.type, 'radio');
    for (let i = 0; i < 3 && (await page.evaluate(() => document.activeElement.value)) !== 'employer'; i++) {
      await page.keyboard.press('ArrowDown');
      await assertFocusVisible(page, 'role radio');
    }
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked('input[name="role"][value="employer"]'), 'Employer is chosen');
    let res = await pressAndWait(page, 'Enter');
    await check(page, variant, res, 200, 'Check your email');
    const sent = await page.locator('main [role="status"]').textContent();
    assert.ok(sent.includes(`We sent a message to ${email}. Open the link in it within 48 hours to confirm`), sent);

    const link = await waitMail(srv, email, linkRe('/verify-email'));
    await visit(page, variant, link, 200, 'Confirm your email address');
    await tabTo(page, isButton('Confirm my email address'), 'confirm button');
    res = await pressAndWait(page);
    await check(page, variant, res, 200, 'Email address confirmed');

    // The page offers the way on: skip to main, Tab to "Sign in", Enter.
    await skipToMain(page);
    await tabTo(page, (f) => f.tag === 'a' && f.href === '/signin', 'sign-in link in main');
    res = await pressAndWait(page);
    await check(page, variant, res, 200, 'Sign in');
    await tabAndType(page, 'f-email', email);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'f-password');
    await page.keyboard.type(PASSWORD);
    res = await pressAndWait(page, 'Enter');
    assert.equal(await check(page, variant, res, 200, 'Your account'), '/account');
    const details = await page.locator('dl.details').textContent();
    assert.ok(details.includes(`${email} (confirmed)`), details);
    assert.ok(details.includes('Employer'), details);
    assert.deepEqual(realErrors(errors), []);
    step = 1;
  });

  it('2. turns on two-factor sign-in; signs out and in again with a code', async () => {
    assert.ok(step >= 1, 'step 1 did not pass');
    await tabTo(page, (f) => f.href === '/account/2fa', 'Manage two-factor sign-in');
    let res = await pressAndWait(page);
    await check(page, variant, res, 200, 'Set up two-factor sign-in');
    await checkQr(page);
    secret = await shownSecret(page);

    // A wrong code: an accessible error, and the same set-up again.
    await tabAndType(page, 'f-code', wrongCode(secret));
    res = await pressAndWait(page, 'Enter');
    await check(page, variant, res, 422, 'Set up two-factor sign-in');
    await checkErrors(page, variant, ['code']);
    await checkQr(page);
    secret = await shownSecret(page);
    nextCode = codeSource(secret);

    // Focus is in the code field (from the summary link): type the real code.
    assert.equal((await focused(page)).id, 'f-code');
    await page.keyboard.type(await nextCode());
    res = await pressAndWait(page, 'Enter');
    await check(page, variant, res, 200, 'Two-factor sign-in is on');
    await recoveryCodes(page);

    await visit(page, variant, '/account/2fa', 200, 'Two-factor sign-in');
    assert.match(await page.locator('main').textContent(), /Two-factor sign-in is on\. Recovery codes left: 10\./);
    await visit(page, variant, '/account', 200, 'Your account');
    assert.match(await page.locator('#h-2fa + p').textContent(), /^On\..*Recovery codes left: 10\./);

    // Sign out with the header button.
    await signOutButton(page).focus();
    await assertFocusVisible(page, 'Sign out');
    res = await pressAndWait(page);
    assert.equal(await check(page, variant, res, 200), '/');
    assert.deepEqual((await headerLinks(page)).slice(-2), ['Sign in', 'Sign up'], 'signed out');
    assert.equal(await signOutButton(page).count(), 0);

    // A page that needs sign-in sends to /signin, then to the code, then back.
    res = await page.goto(`${srv.url}/company`);
    await check(page, variant, res, 200, 'Sign in');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/company');
    await tabAndType(page, 'f-email', email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    res = await pressAndWait(page, 'Enter');
    assert.equal(await check(page, variant, res, 200, 'Enter your sign-in code'), '/signin/2fa');
    assert.equal(await signOutButton(page).count(), 0, 'no account links before the second factor');
    await tabAndType(page, 'f-code', await nextCode());
    res = await pressAndWait(page, 'Enter');
    assert.equal(await check(page, variant, res, 200, 'Create your company'), '/company', 'lands on the page asked for');
    assert.equal(await signOutButton(page).count(), 1, 'signed in');
    assert.deepEqual(realErrors(errors), []);
    step = 2;
  });

  it('3. creates the company, posts a job and finds it in search', async () => {
    assert.ok(step >= 2, 'step 2 did not pass');
    await tabAndType(page, 'f-name', 'Quiet Harbor Captions');
    await tabAndType(page, 'f-industry', 'Media');
    await tabTo(page, isButton('Create company'), 'Create company');
    let res = await pressAndWait(page);
    assert.equal(await check(page, variant, res, 200), '/company');
    assert.equal(new URL(page.url()).search, '?done=created');

    await visit(page, variant, '/employer/jobs/new', 200, 'Post a job');
    await tabAndType(page, 'f-title', title);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'f-description', 'Tab goes from the title to the description');
    await page.keyboard.type('Coordinate live captions for our video team.');
    await page.keyboard.press('Enter'); // a new line in the description, not a submit
    await page.keyboard.type('- Work in writing\n- Plan meetings with CART');
    assert.equal(new URL(page.url()).pathname, '/employer/jobs/new');
    await tabAndType(page, 'f-city', 'Olympia');
    await tabAndType(page, 'f-region', 'WA');
    await tabTo(page, byId('f-acc_asl_interpreter'), 'ASL interpreter checkbox');
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked('#f-acc_asl_interpreter'));
    await tabTo(page, isButton('Post the job'), 'Post the job');
    res = await pressAndWait(page);
    assert.equal(await check(page, variant, res, 200, 'Your jobs'), '/employer/jobs');
    assert.ok((await page.locator('main').textContent()).includes(title));

    res = await page.goto(`${srv.url}/jobs?q=${word}`);
    await check(page, variant, res, 200);
    const links = page.locator('#results .card a[href^="/jobs/"]');
    assert.deepEqual((await links.allTextContents()).map((t) => t.trim()), [title], `the search for ${word} finds the job`);
    await links.first().focus();
    await assertFocusVisible(page, 'job link');
    res = await pressAndWait(page);
    await check(page, variant, res, 200, title);
    const main = await page.locator('main').textContent();
    assert.ok(main.includes('Quiet Harbor Captions'), 'the job names the company');
    assert.ok(main.includes('Coordinate live captions'), 'the job shows the description');
    assert.deepEqual(realErrors(errors), []);
  });
});

// ---- 4: validation states, with JavaScript on and off ----

for (const variant of [
  { name: 'JavaScript on', js: true, viewport: DESKTOP },
  { name: 'JavaScript off', js: false, viewport: DESKTOP },
]) {
  describe(`form errors are accessible (${variant.name})`, () => {
    it('sign-up: empty, then a 14-character password', async () => {
      const ctx = await newContext(browser, variant);
      try {
        const page = await ctx.newPage();
        const errors = variant.js ? watchErrors(page) : [];
        await visit(page, variant, '/signup', 200, 'Create an account');
        await tabTo(page, isButton('Create account'), 'Create account');
        let res = await pressAndWait(page);
        await check(page, variant, res, 422, 'Create an account');
        assert.equal(await page.locator('#error-summary-title').textContent(), 'Please fix 4 things');
        await checkErrors(page, variant, ['display_name', 'email', 'password', 'role']);

        const email = newEmail('short');
        await page.locator('#f-display_name').fill('Sam Short');
        await page.locator('#f-email').fill(email);
        await page.locator('#f-password').fill('abcdefghijklmn');
        assert.equal((await page.locator('#f-password').inputValue()).length, 14);
        await page.locator('input[name="role"][value="job_seeker"]').check();
        await page.locator('#f-password').focus();
        res = await pressAndWait(page, 'Enter');
        await check(page, variant, res, 422, 'Create an account');
        await checkErrors(page, variant, ['password']);
        assert.match(await page.locator('#e-password').textContent(), /15/);
        // What was typed is kept, except the password.
        assert.equal(await page.locator('#f-display_name').inputValue(), 'Sam Short');
        assert.equal(await page.locator('#f-email').inputValue(), email);
        assert.equal(await page.locator('#f-password').inputValue(), '');
        assert.ok(await page.isChecked('input[name="role"][value="job_seeker"]'), 'the role stays chosen');
        assert.deepEqual(realErrors(errors), []);
      } finally {
        await ctx.close();
      }
    });

    it('sign-in with a wrong password', async () => {
      const { email } = await registerVerified(srv, { role: 'job_seeker', name: 'Wes Wrong' });
      const ctx = await newContext(browser, variant);
      try {
        const page = await ctx.newPage();
        const errors = variant.js ? watchErrors(page) : [];
        await visit(page, variant, '/signin', 200, 'Sign in');
        await tabAndType(page, 'f-email', email);
        await page.keyboard.press('Tab');
        await page.keyboard.type('not the right password at all');
        const res = await pressAndWait(page, 'Enter');
        await check(page, variant, res, 401, 'Sign in');
        await checkErrors(page, variant, ['email']);
        assert.equal(await page.locator('#f-email').inputValue(), email);
        assert.equal(await page.locator('#f-password').inputValue(), '');
        assert.equal(await signOutButton(page).count(), 0, 'not signed in');
        assert.deepEqual(realErrors(errors), []);
      } finally {
        await ctx.close();
      }
    });
  });
}

// ---- 5: axe on every account page, desktop and phone, JavaScript on and off ----

const SWEEP = [
  { name: 'desktop, JavaScript on', js: true, viewport: DESKTOP },
  { name: 'phone, JavaScript on', js: true, viewport: PHONE },
  { name: 'desktop, JavaScript off', js: false, viewport: DESKTOP },
  { name: 'phone, JavaScript off', js: false, viewport: PHONE },
];

/** Send the form whose submit button says text; returns the response. */
async function submit(page, text) {
  const [res] = await Promise.all([
    page.waitForNavigation(),
    page.locator('main').getByRole('button', { name: text, exact: true }).click(),
  ]);
  return res;
}

for (const variant of SWEEP) {
  it(`every account page passes axe (${variant.name})`, async () => {
    const ctx = await newContext(browser, variant);
    try {
      const page = await ctx.newPage();
      const errors = variant.js ? watchErrors(page) : [];
      const email = newEmail('sweep');
      const seen = [];
      const at = async (res, status, h1) => seen.push(`${await check(page, variant, res, status, h1)} ${status}`);

      // Sign up, with an error first.
      await at(await page.goto(`${srv.url}/signup`), 200, 'Create an account');
      await page.locator('#f-password').fill('too short');
      await at(await submit(page, 'Create account'), 422, 'Create an account');
      await checkErrors(page, variant, ['display_name', 'email', 'password', 'role']);
      await page.locator('#f-display_name').fill('Pat Phone');
      await page.locator('#f-email').fill(email);
      await page.locator('#f-password').fill(PASSWORD);
      await page.locator('input[name="role"][value="employer"]').check();
      await at(await submit(page, 'Create account'), 200, 'Check your email');

      // Confirm the address.
      const verify = await waitMail(srv, email, linkRe('/verify-email'));
      await at(await page.goto(srv.url + verify), 200, 'Confirm your email address');
      await at(await submit(page, 'Confirm my email address'), 200, 'Email address confirmed');

      // Forgotten password: the form, the "Check your email" page, the reset link.
      await at(await page.goto(`${srv.url}/password/forgot`), 200, 'Reset your password');
      await page.locator('#f-email').fill('not an address');
      await at(await submit(page, 'Send the link'), 422, 'Reset your password');
      await checkErrors(page, variant, ['email']);
      await page.locator('#f-email').fill(email);
      await at(await submit(page, 'Send the link'), 200, 'Check your email');
      const reset = await waitMail(srv, email, linkRe('/password/reset'));
      await at(await page.goto(srv.url + reset), 200, 'Choose a new password');
      await page.locator('#f-password').fill('fourteen chars');
      await at(await submit(page, 'Save the new password'), 422, 'Choose a new password');
      await checkErrors(page, variant, ['password']);

      // Sign in, with a wrong password first.
      await at(await page.goto(`${srv.url}/signin`), 200, 'Sign in');
      await page.locator('#f-email').fill(email);
      await page.locator('#f-password').fill(`${PASSWORD}!`);
      await at(await submit(page, 'Sign in'), 401, 'Sign in');
      await checkErrors(page, variant, ['email']);
      await page.locator('#f-password').fill(PASSWORD);
      await at(await submit(page, 'Sign in'), 200, 'Your account');
      assert.equal(new URL(page.url()).pathname, '/account');

      // Two-factor sign-in: set up, a wrong code, the recovery codes, the enabled state.
      await at(await page.goto(`${srv.url}/account/2fa`), 200, 'Set up two-factor sign-in');
      await checkQr(page);
      let secret = await shownSecret(page);
      await page.locator('#f-code').fill(wrongCode(secret));
      await at(await submit(page, 'Turn on two-factor sign-in'), 422, 'Set up two-factor sign-in');
      await checkErrors(page, variant, ['code']);
      secret = await shownSecret(page);
      const nextCode = codeSource(secret);
      await page.locator('#f-code').fill(await nextCode());
      await at(await submit(page, 'Turn on two-factor sign-in'), 200, 'Two-factor sign-in is on');
      await recoveryCodes(page);
      await at(await page.goto(`${srv.url}/account/2fa`), 200, 'Two-factor sign-in');
      await at(await page.goto(`${srv.url}/account`), 200, 'Your account');
      await at(await page.goto(`${srv.url}/account/confirm`), 200, 'Confirm it is you');
      assert.equal(await page.locator('#f-code').count(), 1, 'the confirm step asks for a code too');
      // New recovery codes need a recent sign-in; this one is, so they come at once.
      await at(await page.goto(`${srv.url}/account/2fa`), 200, 'Two-factor sign-in');
      await at(await submit(page, 'Make new recovery codes'), 200, 'New recovery codes');
      await recoveryCodes(page);

      // Sign out, sign in again: the second-factor page, with a wrong code first.
      const [out] = await Promise.all([page.waitForNavigation(), signOutButton(page).click()]);
      await at(out, 200);
      await at(await page.goto(`${srv.url}/signin`), 200, 'Sign in');
      await page.locator('#f-email').fill(email);
      await page.locator('#f-password').fill(PASSWORD);
      await at(await submit(page, 'Sign in'), 200, 'Enter your sign-in code');
      assert.equal(new URL(page.url()).pathname, '/signin/2fa');
      await page.locator('#f-code').fill(wrongCode(secret));
      await at(await submit(page, 'Continue'), 401, 'Enter your sign-in code');
      await checkErrors(page, variant, ['code']);
      await page.locator('#f-code').fill(await nextCode());
      await at(await submit(page, 'Continue'), 200, 'Your account');
      assert.equal(new URL(page.url()).pathname, '/account');

      assert.deepEqual(realErrors(errors), []);
      assert.deepEqual(seen, [
        '/signup 200', '/signup 422', '/signup 200', // the form, its errors, "Check your email"
        '/verify-email 200', '/verify-email 200', // the link's button, "Email address confirmed"
        '/password/forgot 200', '/password/forgot 422', '/password/forgot 200', // ..., "Check your email"
        '/password/reset 200', '/password/reset 422',
        '/signin 200', '/signin 401', '/account 200',
        '/account/2fa 200', '/account/2fa/enable 422', '/account/2fa/enable 200', // set-up, wrong code, codes
        '/account/2fa 200', '/account 200', '/account/confirm 200',
        '/account/2fa 200', '/account/2fa/recovery 200', // enabled state, new codes
        '/ 200', '/signin 200', '/signin/2fa 200', '/signin/2fa 401', '/account 200',
      ], 'the pages checked');
    } finally {
      await ctx.close();
    }
  });
}

// ---- 6: the header's account links and Sign out button by keyboard ----

/** Styles of every link and button in the header, unfocused. */
function headerStyles(page) {
  return page.evaluate(() => [...document.querySelectorAll('header a, header button')].map((el) => {
    const cs = getComputedStyle(el);
    return { text: el.textContent.replace('\u25C9', '').trim(), outline: `${cs.outlineStyle} ${cs.outlineWidth}`, boxShadow: cs.boxShadow };
  }));
}

function headerIndex(page) {
  return page.evaluate(() => [...document.querySelectorAll('header a, header button')].indexOf(document.activeElement));
}

for (const variant of [
  { name: 'desktop, JavaScript on', js: true, viewport: DESKTOP },
  { name: 'phone, JavaScript on', js: true, viewport: PHONE },
  { name: 'desktop, JavaScript off', js: false, viewport: DESKTOP },
]) {
  it(`the header's account links and Sign out are reachable by Tab with a focus indicator (${variant.name})`, async () => {
    const { email } = await registerVerified(srv, { role: 'employer', name: 'Kim Keys' });
    const ctx = await newContext(browser, variant);
    try {
      const page = await ctx.newPage();
      const errors = variant.js ? watchErrors(page) : [];
      await page.goto(`${srv.url}/signin`);
      await tabAndType(page, 'f-email', email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORD);
      await check(page, variant, await pressAndWait(page, 'Enter'), 200, 'Your account');

      const before = await headerStyles(page);
      const names = before.map((s) => s.text);
      for (const name of ['My jobs', 'Account', 'Sign out']) assert.ok(names.includes(name), `${name} in the header: ${names}`);
      assert.equal(names.at(-1), 'Sign out', 'Sign out comes last in the header');
      for (const s of before) {
        assert.equal(s.boxShadow, 'none', `${s.text} has no box-shadow before focus`);
        assert.ok(s.outline.startsWith('none') || s.outline.endsWith(' 0px'), `${s.text} has no outline before focus: ${s.outline}`);
      }

      // Tab from the top through the header: every stop shows a ring that it did not have before.
      const reached = [];
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).text, 'Skip to main content');
      for (let i = 0; i < 20 && !reached.includes('Sign out'); i++) {
        await page.keyboard.press('Tab');
        const f = await assertFocusVisible(page, 'header');
        const idx = await headerIndex(page);
        assert.ok(idx >= 0, `Tab left the header before Sign out: ${JSON.stringify(f)}`);
        const was = before[idx];
        assert.equal(plain(f.text), was.text);
        assert.notEqual(`${f.outlineStyle} ${f.outlineWidth}|${f.boxShadow}`, `${was.outline}|${was.boxShadow}`,
          `${f.text}: focus changes the outline or box-shadow`);
        assert.ok(f.focusVisible, `${f.text} matches :focus-visible`);
        reached.push(plain(f.text));
      }
      // Every link and button in the header, in order, none skipped.
      assert.deepEqual(reached, names);
      const account = page.locator('header a[href="/account"]');
      assert.equal(await account.getAttribute('aria-current'), 'page', 'the Account link marks the current page');

      // Past the header, the account page's own links and buttons.
      const f = await tabTo(page, (x) => x.href === '/account/2fa', 'Manage two-factor sign-in');
      assert.equal(f.text, 'Manage two-factor sign-in');

      // Back to Sign out (Shift+Tab), and Enter signs out.
      for (let i = 0; i < 20 && (await focused(page)).text !== 'Sign out'; i++) {
        await page.keyboard.press('Shift+Tab');
        await assertFocusVisible(page, 'Shift+Tab');
      }
      assert.equal((await focused(page)).tag, 'button');
      const res = await pressAndWait(page);
      assert.equal(await check(page, variant, res, 200), '/');
      assert.deepEqual((await headerLinks(page)).slice(-2), ['Sign in', 'Sign up']);
      assert.equal((await page.goto(`${srv.url}/account`)).url().startsWith(`${srv.url}/signin`), true, 'signed out');
      assert.deepEqual(realErrors(errors), []);
    } finally {
      await ctx.close();
    }
  });
}
