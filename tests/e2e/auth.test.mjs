// Accounts end to end: sign-up and email verification, password rules
// (NIST SP 800-63B), sign-in, CSRF, session fixation and server-side
// sign-out, password reset, API tokens (forged JWTs, refresh rotation and
// reuse detection), and TOTP for admins (replay, window). Runs on SQLite
// and PostgreSQL like every e2e file.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import blake from 'blakejs';
import {
  Client, PASSWORD, api, linkRe, mails, newEmail, registerVerified, signIn, tokens, totp,
  waitMail,
} from '../lib/accounts.mjs';
import { beaconctl, startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

const b64u = (buf) => Buffer.from(buf).toString('base64url');

/** The key Beacon signs access tokens with, derived from the secrets file like the server does. */
function jwtKey() {
  const text = readFileSync(join(srv.dir, 'secrets'), 'utf8');
  const master = Buffer.from(text.match(/^jwt_key\s*=\s*(\S+)/m)[1], 'base64');
  return Buffer.from(blake.blake2b(Buffer.from('beacon.subkey.v1:jwt'), master, 32));
}

function sign(header, payload, key = jwtKey()) {
  const h = b64u(JSON.stringify(header));
  const p = b64u(JSON.stringify(payload));
  const sig = createHmac('sha256', key).update(`${h}.${p}`).digest();
  return `${h}.${p}.${b64u(sig)}`;
}

function claims(over = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: srv.url, aud: 'beacon-api', sub: '1', role: 'job_seeker', iat: now, nbf: now,
    exp: now + 600, jti: 'test-jti-1', ...over,
  };
}

describe('sign-up and verification', () => {
  test('sign up on the pages, confirm from the mail, sign in', async () => {
    const email = newEmail('page');
    const c = new Client(srv.url);
    const r = await c.submit('/signup', '/signup', {
      display_name: 'Ada Page', email: `  ${email.toUpperCase()} `, password: PASSWORD, role: 'job_seeker',
    });
    assert.equal(r.status, 200);
    assert.match(r.text_, /Check your email/);
    // It names the address (as stored: trimmed, lower case) so a typo shows, and says what next.
    assert.ok(r.text_.includes(`We sent a message to ${email.toLowerCase()}. Open the link in it within 48 hours`), r.text_.slice(0, 3000));
    assert.match(r.text_, /You can sign in now; if the message does not arrive, your account page sends a new link/);
    const link = await waitMail(srv, email, linkRe('/verify-email'));
    const shown = await c.get(link);
    assert.equal(shown.status, 200, 'opening the link only shows a button');
    const token = new URL(link, srv.url).searchParams.get('token');
    const v = await c.submit(link, '/verify-email', { token });
    assert.equal(v.status, 200);
    assert.match(v.text_, /confirmed/);
    const again = await c.submit(link, '/verify-email', { token });
    assert.equal(again.status, 400, 'a verification link works once');
    const s = await signIn(srv, email);
    const acct = await s.get('/account');
    assert.equal(acct.status, 200);
    assert.match(acct.text_, /Ada Page/);
    assert.match(acct.text_, /\(confirmed\)/);
  });

  test('the link opened again by its signed-in owner says the address is confirmed', async () => {
    const email = newEmail('again');
    const r = await api(srv, '/api/v1/auth/register', { email, password: PASSWORD, display_name: 'Al Again', role: 'job_seeker' });
    assert.equal(r.status, 202, r.text);
    const link = await waitMail(srv, email, linkRe('/verify-email'));
    const token = new URL(link, srv.url).searchParams.get('token');
    const c = await signIn(srv, email);
    // Signed in but not confirmed yet: a wrong link sends to the account page for a new one.
    const wrong = await c.submit(link, '/verify-email', { token: 'A'.repeat(43) });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text_, /expired or was already used/);
    assert.match(wrong.text_, /<a href="\/account">/);
    const v = await c.submit(link, '/verify-email', { token });
    assert.equal(v.status, 200);
    assert.match(v.text_, /Your address is confirmed/);

    const again = await c.submit(link, '/verify-email', { token });
    assert.equal(again.status, 200, 'opened again by its signed-in owner');
    assert.match(again.text_, /<h1>Your email address is confirmed<\/h1>/);
    assert.match(again.text_, /already confirmed/);
    assert.match(again.text_, /<a href="\/account">Go to your account<\/a>/);
    assert.doesNotMatch(again.text_, /Sign in and ask for a new one/);

    // Signed out: as before, nothing said about the account.
    const anon = await new Client(srv.url).submit(link, '/verify-email', { token });
    assert.equal(anon.status, 400);
    assert.match(anon.text_, /The link has expired or was already used\. Sign in and ask for a new one/);
    assert.doesNotMatch(anon.text_, /confirmed/);

    // Someone else, signed in and confirmed: they hear about their own address only.
    const other = await registerVerified(srv, { name: 'Olive Other' });
    const oc = await signIn(srv, other.email);
    const theirs = await oc.submit(link, '/verify-email', { token });
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.text_.includes(email), 'nothing about the account the link was for');
    assert.ok(!theirs.text_.includes('Al Again'));
  });

  test('page validation errors are tied to their fields', async () => {
    const c = new Client(srv.url);
    const r = await c.submit('/signup', '/signup', {
      display_name: '', email: 'not-an-address', password: 'short', role: 'admin',
    });
    assert.equal(r.status, 422);
    for (const f of ['display_name', 'email', 'password']) {
      assert.match(r.text_, new RegExp(`id="f-${f}"[^>]*aria-describedby="[^"]*e-${f}"[^>]*aria-invalid="true"`));
    }
    assert.match(r.text_, /id="e-role"/, 'admin cannot be chosen at sign-up');
  });

  test('an address already registered gets the same answer, and its owner a notice', async () => {
    const email = newEmail('dup');
    const body = { email, password: PASSWORD, display_name: 'First', role: 'employer' };
    const a = await api(srv, '/api/v1/auth/register', body);
    const b = await api(srv, '/api/v1/auth/register', { ...body, display_name: 'Second' });
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    assert.deepEqual(a.body, b.body);
    await waitMail(srv, email, /already has one/);
  });

  test('API validation: wrong types and bad JSON are named', async () => {
    const r = await api(srv, '/api/v1/auth/register', { email: 5, password: PASSWORD });
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'validation_failed');
    assert.ok(r.body.errors.some((e) => e.field === 'email'));
    const bad = await api(srv, '/api/v1/auth/register', '{"email": "a@b.org",');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_json');
    const dup = await api(srv, '/api/v1/auth/register', '{"email":"a@b.org","email":"c@d.org"}');
    assert.equal(dup.status, 400, 'duplicate keys are refused');
    const form = await fetch(srv.url + '/api/v1/auth/register', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a',
    });
    assert.equal(form.status, 415);
  });
});

describe('password rules', () => {
  const reg = (password, email = newEmail('pw')) =>
    api(srv, '/api/v1/auth/register', { email, password, display_name: 'P', role: 'job_seeker' });
  const pwError = (r) => r.body?.errors?.find((e) => e.field === 'password');

  test('15 and 128 characters are accepted, 14 and 129 refused', async () => {
    assert.equal((await reg('a quiet river 9')).status, 202); // 15
    assert.ok(pwError(await reg('a quiet river9')), '14 characters'); // 14
    const long = 'lantern '.repeat(16); // 128
    assert.equal(long.length, 128);
    assert.equal((await reg(long.slice(0, 127) + 'z')).status, 202);
    assert.ok(pwError(await reg(long + 'z')), '129 characters');
  });

  test('common and repetitive passwords are refused', async () => {
    for (const pw of ['passwordpassword', 'password1234567890', 'aaaaaaaaaaaaaaaa', '123456789012345']) {
      assert.ok(pwError(await reg(pw)), pw);
    }
  });

  test('long Unicode passwords are counted in characters and never truncated', async () => {
    const email = newEmail('uni');
    const pw = 'ñandú 🦋 café '.repeat(8); // 104 characters, far more bytes
    assert.equal([...pw].length, 104);
    assert.ok(Buffer.byteLength(pw) > 128);
    const { email: e } = await registerVerified(srv, { email, password: pw });
    assert.equal((await api(srv, '/api/v1/auth/token', { email: e, password: pw })).status, 200);
    const cut = Buffer.from(pw).subarray(0, 72).toString();
    const r = await api(srv, '/api/v1/auth/token', { email: e, password: cut });
    assert.equal(r.status, 401, 'a prefix of the password must not work');
    const last = pw.slice(0, -1) + 'X';
    assert.equal((await api(srv, '/api/v1/auth/token', { email: e, password: last })).status, 401);
  });

  test('a password typed with composed or decomposed accents, or full-width, is the same password', async () => {
    const pw = 'Crème brûlée at the café 42'.normalize('NFC');
    const { email: e } = await registerVerified(srv, { email: newEmail('nfkc'), password: pw });
    const token = (p) => api(srv, '/api/v1/auth/token', { email: e, password: p });
    assert.equal((await token(pw.normalize('NFD'))).status, 200, 'NFD spelling (e + U+0300)');
    assert.notEqual(pw.normalize('NFD'), pw);
    const wide = pw.replace('42', '\uFF14\uFF12'); // full-width digits
    assert.equal((await token(wide)).status, 200, 'full-width digits');
    assert.equal((await token(pw.replace('42', '43'))).status, 401);
    // A full-width spelling of a common password is still common.
    const common = [...'passwordpassword'].map((ch) => String.fromCodePoint(ch.codePointAt(0) + 0xfee0)).join('');
    assert.ok(pwError(await reg(common)), common);
  });
});

describe('sessions and CSRF', () => {
  test('a form without the right CSRF token is refused with 403', async () => {
    const c = new Client(srv.url);
    await c.get('/signin');
    const none = await c.postRaw('/signin', { email: 'x@example.org', password: PASSWORD });
    assert.equal(none.status, 403);
    const wrong = await c.postRaw('/signin', { _csrf: 'A'.repeat(43), email: 'x@example.org', password: PASSWORD });
    assert.equal(wrong.status, 403);
    const other = new Client(srv.url);
    const theirs = await other.csrf('/signin');
    const stolen = await c.postRaw('/signin', { _csrf: theirs, email: 'x@example.org', password: PASSWORD });
    assert.equal(stolen.status, 403, 'a token is bound to its own visitor');
  });

  test('signed-in forms need the session-bound token', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const r = await c.postRaw('/account/signout-everywhere', {});
    assert.equal(r.status, 403);
    const anon = new Client(srv.url);
    const anonToken = await anon.csrf('/signin');
    const r2 = await c.postRaw('/account/signout-everywhere', { _csrf: anonToken });
    assert.equal(r2.status, 403);
  });

  test('session fixation: sign-in always issues a new session id', async () => {
    const { email } = await registerVerified(srv);
    const c = new Client(srv.url);
    const planted = 'P'.repeat(43);
    c.cookies.set('beacon_session', planted);
    const r = await c.submit('/signin', '/signin', { email, password: PASSWORD });
    assert.equal(r.status, 303);
    const sid = c.cookies.get('beacon_session');
    assert.ok(sid && sid !== planted);
    assert.match(sid, /^[A-Za-z0-9_-]{43}$/);
    const cookie = r.headers.getSetCookie().find((l) => l.startsWith('beacon_session='));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    // Signing in again (same browser) replaces the id and ends the old session.
    const r2 = await c.submit('/signin', '/signin', { email, password: PASSWORD });
    assert.equal(r2.status, 303);
    assert.notEqual(c.cookies.get('beacon_session'), sid);
    const old = new Client(srv.url);
    old.cookies.set('beacon_session', sid);
    const a = await old.get('/account');
    assert.equal(a.status, 303);
    assert.match(a.headers.get('location'), /^\/signin/);
  });

  test('sign-out ends the session on the server', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const copy = new Client(srv.url);
    copy.cookies = new Map(c.cookies);
    assert.equal((await copy.get('/account')).status, 200);
    const out = await c.submit('/account', '/signout', {});
    assert.equal(out.status, 303);
    const after = await copy.get('/account');
    assert.equal(after.status, 303, 'the copied cookie no longer works');
  });

  test('sign out everywhere ends other sessions and refresh tokens', async () => {
    const { email } = await registerVerified(srv);
    const a = await signIn(srv, email);
    const b = await signIn(srv, email);
    const t = await tokens(srv, email);
    const r = await a.submit('/account', '/account/signout-everywhere', {});
    assert.equal(r.status, 303);
    assert.equal((await a.get('/account')).status, 200, 'the current session stays');
    assert.equal((await b.get('/account')).status, 303);
    const ref = await api(srv, '/api/v1/auth/refresh', { refresh_token: t.refresh_token });
    assert.equal(ref.status, 401);
  });

  test('protected pages send visitors to sign in and back', async () => {
    const r = await new Client(srv.url).get('/account');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/signin?next=%2Faccount');
    const { email } = await registerVerified(srv);
    const c = new Client(srv.url);
    const s = await c.submit('/signin?next=%2Faccount%2F2fa', '/signin', { email, password: PASSWORD, next: '/account/2fa' });
    assert.equal(s.headers.get('location'), '/account/2fa');
    const evil = await new Client(srv.url).submit('/signin', '/signin', { email, password: PASSWORD, next: '//evil.example/' });
    assert.equal(evil.headers.get('location'), '/account', 'never redirects off the site');
  });

  test('signed-in pages are never stored by shared caches', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const r = await c.get('/jobs');
    assert.equal(r.headers.get('cache-control'), 'private, no-store');
    const anon = await fetch(srv.url + '/jobs');
    assert.equal(anon.headers.get('cache-control'), 'public, max-age=60');
  });
});

describe('password reset and changes', () => {
  test('reset: same answer for unknown addresses, single-use link, sessions ended', async () => {
    const { email } = await registerVerified(srv);
    const before = await signIn(srv, email);
    const unknown = newEmail('nobody');
    const c = new Client(srv.url);
    const a = await c.submit('/password/forgot', '/password/forgot', { email: unknown });
    const b = await c.submit('/password/forgot', '/password/forgot', { email });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const strip = (t) => t.replace(/name="_csrf" value="[^"]+"/g, '');
    assert.equal(strip(a.text_).replace(/<code>[0-9a-f]+<\/code>/g, ''), strip(b.text_).replace(/<code>[0-9a-f]+<\/code>/g, ''));
    assert.equal(mails(srv).filter((m) => m.to?.includes(unknown)).length, 0);
    const link = await waitMail(srv, email, linkRe('/password/reset'));
    const token = new URL(link, srv.url).searchParams.get('token');
    const weak = await c.submit(link, '/password/reset', { token, password: 'password' });
    assert.equal(weak.status, 422, 'a weak password keeps the link usable');
    const fresh = 'new lighthouse keeper 42';
    const ok = await c.submit(link, '/password/reset', { token, password: fresh });
    assert.equal(ok.status, 200);
    const reuse = await c.submit(link, '/password/reset', { token, password: fresh + '!' });
    assert.equal(reuse.status, 400);
    assert.equal((await before.get('/account')).status, 303, 'old sessions are ended');
    await signIn(srv, email, fresh);
  });

  test('change password needs the current one and keeps this session', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const other = await signIn(srv, email);
    const bad = await c.submit('/account', '/account/password', {
      current_password: 'wrong wrong wrong wrong', new_password: 'another fine sentence here',
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text_, /id="e-current_password"/);
    const ok = await c.submit('/account', '/account/password', {
      current_password: PASSWORD, new_password: 'another fine sentence here',
    });
    assert.equal(ok.status, 303);
    assert.equal((await c.get('/account')).status, 200);
    assert.equal((await other.get('/account')).status, 303);
    await waitMail(srv, email, /password of your Beacon account was changed/);
  });

  test('change email goes through a link sent to the new address', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const next = newEmail('moved');
    const r = await c.submit('/account', '/account/email', { password: PASSWORD, new_email: next });
    assert.equal(r.status, 303);
    await waitMail(srv, email, /change the email address/);
    const link = await waitMail(srv, next, linkRe('/verify-email'));
    const token = new URL(link, srv.url).searchParams.get('token');
    assert.equal((await c.submit(link, '/verify-email', { token })).status, 200);
    await signIn(srv, next);
    const old = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD });
    assert.equal(old.status, 401);
  });
});

describe('API tokens', () => {
  test('token, me, refresh rotation, reuse revokes the family, logout', async () => {
    const { email } = await registerVerified(srv, { role: 'employer', name: 'Tok En' });
    const t = await tokens(srv, email);
    assert.equal(t.token_type, 'Bearer');
    assert.equal(t.expires_in, 900);
    const me = await api(srv, '/api/v1/me', undefined, t.access_token, 'GET');
    assert.equal(me.status, 200);
    assert.equal(me.body.email, email);
    assert.equal(me.body.role, 'employer');
    const r1 = await api(srv, '/api/v1/auth/refresh', { refresh_token: t.refresh_token });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, t.refresh_token);
    const reuse = await api(srv, '/api/v1/auth/refresh', { refresh_token: t.refresh_token });
    assert.equal(reuse.status, 401);
    assert.equal(reuse.body.code, 'token_reused');
    const r2 = await api(srv, '/api/v1/auth/refresh', { refresh_token: r1.body.refresh_token });
    assert.equal(r2.status, 401, 'the whole family is revoked');
    const t2 = await tokens(srv, email);
    assert.equal((await api(srv, '/api/v1/auth/logout', { refresh_token: t2.refresh_token })).status, 204);
    assert.equal((await api(srv, '/api/v1/auth/refresh', { refresh_token: t2.refresh_token })).status, 401);
  });

  test('cookies do not authenticate the API, tokens do not authenticate pages', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const r = await fetch(srv.url + '/api/v1/me', { headers: { cookie: c.cookieHeader() } });
    assert.equal(r.status, 401);
    const t = await tokens(srv, email);
    const p = await fetch(srv.url + '/account', { redirect: 'manual', headers: { authorization: `Bearer ${t.access_token}` } });
    assert.equal(p.status, 303);
  });

  test('forged and invalid access tokens are refused', async () => {
    const { email } = await registerVerified(srv);
    const t = await tokens(srv, email);
    const me = async (tok) => api(srv, '/api/v1/me', undefined, tok, 'GET');
    const good = await me(t.access_token);
    assert.equal(good.status, 200);
    const sub = String(good.body.id);
    // Our own signature over our own claims works: the forging helper is right.
    assert.equal((await me(sign({ alg: 'HS256', typ: 'JWT' }, claims({ sub })))).status, 200);
    const [h, p] = t.access_token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url'));
    const cases = {
      'alg none, no signature': `${b64u(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${p}.`,
      'alg none with a signature': `${b64u(JSON.stringify({ alg: 'none' }))}.${p}.${t.access_token.split('.')[2]}`,
      'HS512': sign({ alg: 'HS512', typ: 'JWT' }, claims({ sub })),
      'RS256 header': sign({ alg: 'RS256', typ: 'JWT' }, claims({ sub })),
      'wrong key': sign({ alg: 'HS256', typ: 'JWT' }, claims({ sub }), Buffer.alloc(32, 7)),
      'tampered payload': `${h}.${b64u(JSON.stringify({ ...payload, role: 'admin' }))}.${t.access_token.split('.')[2]}`,
      'bad signature': `${h}.${p}.${b64u(Buffer.alloc(32))}`,
      expired: sign({ alg: 'HS256', typ: 'JWT' }, claims({ sub, exp: Math.floor(Date.now() / 1000) - 120 })),
      'not yet valid': sign({ alg: 'HS256', typ: 'JWT' }, claims({ sub, nbf: Math.floor(Date.now() / 1000) + 600 })),
      'wrong aud': sign({ alg: 'HS256', typ: 'JWT' }, claims({ sub, aud: 'someone-else' })),
      'wrong iss': sign({ alg: 'HS256', typ: 'JWT' }, claims({ sub, iss: 'https://evil.example' })),
      'missing exp': sign({ alg: 'HS256', typ: 'JWT' }, (({ exp, ...rest }) => rest)(claims({ sub }))),
      'unknown user': sign({ alg: 'HS256', typ: 'JWT' }, claims({ sub: '999999' })),
      garbage: 'not.a.token',
      'too long': `${h}.${'A'.repeat(5000)}.${t.access_token.split('.')[2]}`,
    };
    for (const [name, tok] of Object.entries(cases)) {
      const r = await me(tok);
      assert.equal(r.status, 401, name);
      assert.equal(r.body.code, 'invalid_token', name);
      assert.match(r.headers.get('www-authenticate') || '', /^Bearer/, name);
    }
  });
});

describe('two-factor sign-in', () => {
  test('admins must enrol; codes work once; ±2 steps are refused; recovery codes work once', async () => {
    const email = newEmail('admin');
    const made = beaconctl(srv.env, ['create-admin', email, 'Ada Admin'], `${PASSWORD}\n`);
    assert.equal(made.status, 0, made.stderr);
    const c = await signIn(srv, email);
    const home = await c.get('/account');
    assert.equal(home.status, 303);
    assert.match(home.headers.get('location'), /^\/account\/2fa/);
    const api1 = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD });
    assert.equal(api1.status, 403);
    assert.equal(api1.body.code, 'mfa_enrolment_required');
    const setup = await c.get('/account/2fa');
    assert.equal(setup.status, 200);
    assert.match(setup.text_, /<svg[^>]+role="img"/);
    const secret = setup.text_.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
    const again = await c.get('/account/2fa');
    assert.ok(again.text_.includes(secret), 'reloading shows the same secret');
    const wrong = await c.submit('/account/2fa', '/account/2fa/enable', { code: '000000' === totp(secret) ? '111111' : '000000' });
    assert.equal(wrong.status, 422);
    const code = totp(secret);
    const on = await c.submit('/account/2fa', '/account/2fa/enable', { code });
    assert.equal(on.status, 200);
    const recovery = [...on.text_.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(recovery.length, 10);
    assert.equal((await c.get('/account')).status, 200);

    // A new sign-in needs the code; the code already used is refused (replay).
    const d = new Client(srv.url);
    const s = await d.submit('/signin', '/signin', { email, password: PASSWORD });
    assert.equal(s.status, 303);
    assert.match(s.headers.get('location'), /^\/signin\/2fa/);
    assert.equal((await d.get('/account')).status, 303, 'nothing else before the code');
    const replay = await d.submit('/signin/2fa', '/signin/2fa', { code });
    assert.equal(replay.status, 401);
    for (const step of [-2, 2]) {
      const far = totp(secret, Date.now() / 1000, step);
      const r = await d.submit('/signin/2fa', '/signin/2fa', { code: far });
      assert.equal(r.status, 401, `step ${step}`);
    }
    const next = totp(secret, Date.now() / 1000, 1);
    const ok = await d.submit('/signin/2fa', '/signin/2fa', { code: next });
    assert.equal(ok.status, 303);
    assert.equal((await d.get('/account')).status, 200);
    const replay2 = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD, code: next });
    assert.equal(replay2.status, 401, 'the API refuses the used code too');

    // Recovery codes: each once, any case and spacing.
    const e = new Client(srv.url);
    await e.submit('/signin', '/signin', { email, password: PASSWORD });
    const rc = await e.submit('/signin/2fa', '/signin/2fa', { code: recovery[0].toUpperCase().replace('-', ' ') });
    assert.equal(rc.status, 303);
    const f = new Client(srv.url);
    await f.submit('/signin', '/signin', { email, password: PASSWORD });
    assert.equal((await f.submit('/signin/2fa', '/signin/2fa', { code: recovery[0] })).status, 401);
    // Five failures so far: the account now waits a growing delay between attempts.
    let tok = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD, code: recovery[1] });
    if (tok.status === 429) {
      const wait = Number(tok.headers.get('retry-after'));
      assert.ok(wait >= 1 && wait <= 4, `short delay after five failures (${wait} s)`);
      await new Promise((r) => setTimeout(r, wait * 1000 + 200));
      tok = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD, code: recovery[1] });
    }
    assert.equal(tok.status, 200, 'API token with a recovery code');
  });
});

/** One SQL statement on the server's database (to look at what is stored). */
const sql = (statement) => dbQuery(srv, statement);

describe('account takeover defences', () => {
  test('a password reset cancels every pending emailed link (e.g. an email change)', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const attacker = newEmail('attacker');
    assert.equal((await c.submit('/account', '/account/email', { password: PASSWORD, new_email: attacker })).status, 303);
    const change = await waitMail(srv, attacker, linkRe('/verify-email'));
    // The owner resets the password.
    const o = new Client(srv.url);
    await o.submit('/password/forgot', '/password/forgot', { email });
    const reset = await waitMail(srv, email, linkRe('/password/reset'));
    const rt = new URL(reset, srv.url).searchParams.get('token');
    assert.equal((await o.submit(reset, '/password/reset', { token: rt, password: 'the owner is back again' })).status, 200);
    await waitMail(srv, email, /password of your Beacon account was reset/);
    const ct = new URL(change, srv.url).searchParams.get('token');
    const r = await new Client(srv.url).submit(change, '/verify-email', { token: ct });
    assert.equal(r.status, 400, 'the email-change link no longer works');
    await signIn(srv, email, 'the owner is back again');
  });

  test('an unconfirmed account cannot change its address or set up 2FA', async () => {
    const email = newEmail('unverified');
    assert.equal((await api(srv, '/api/v1/auth/register', { email, password: PASSWORD, display_name: 'U', role: 'job_seeker' })).status, 202);
    const c = await signIn(srv, email);
    const r = await c.submit('/account', '/account/email', { password: PASSWORD, new_email: newEmail('x') });
    assert.equal(r.status, 422);
    assert.match(r.text_, /id="e-new_email"/);
    const f = await c.get('/account/2fa');
    assert.equal(f.status, 403);
  });

  test('turning on 2FA ends other sessions and API tokens, and tells the owner', async () => {
    const { email } = await registerVerified(srv);
    const a = await signIn(srv, email);
    const b = await signIn(srv, email);
    const t = await tokens(srv, email);
    const setup = await a.get('/account/2fa');
    const secret = setup.text_.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
    assert.equal((await a.submit('/account/2fa', '/account/2fa/enable', { code: totp(secret) })).status, 200);
    assert.equal((await a.get('/account')).status, 200);
    assert.equal((await b.get('/account')).status, 303, 'the other session ended');
    assert.equal((await api(srv, '/api/v1/auth/refresh', { refresh_token: t.refresh_token })).status, 401);
    await waitMail(srv, email, /Two-factor sign-in for your Beacon account was turned on/);
  });

  test('reset mails are limited per account, and known and unknown addresses answer alike', async () => {
    const { email } = await registerVerified(srv);
    for (let i = 0; i < 5; i++) {
      const r = await api(srv, '/api/v1/auth/password/forgot', { email });
      assert.equal(r.status, 202);
    }
    await waitMail(srv, email, linkRe('/password/reset'));
    await new Promise((r) => setTimeout(r, 1500));
    const sent = mails(srv).filter((m) => m.to?.includes(email) && /Reset your Beacon password/.test(m.subject || ''));
    assert.equal(sent.length, 3);
  });

  test('the current password on account forms is throttled and audited', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const token = await c.csrf('/account');
    const texts = [];
    for (let i = 0; i < 7; i++) {
      const r = await c.postRaw('/account/password', { _csrf: token, current_password: `wrong ${i} wrong wrong`, new_password: 'a brand new sentence here' });
      assert.equal(r.status, 422);
      texts.push(/Too many attempts/.test(r.text_));
    }
    assert.ok(texts.includes(true), 'slowed down after repeated wrong passwords');
    const id = sql(`SELECT id FROM users WHERE email = '${email}'`);
    assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE event = 'auth.reauth.failure' AND actor_id = ${id}`)) >= 5);
  });

  test('a sensitive POST without a recent password comes back to the page the form was on', async () => {
    const { email } = await registerVerified(srv);
    const c = await signIn(srv, email);
    const setup = await c.get('/account/2fa');
    const secret = setup.text_.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
    assert.equal((await c.submit('/account/2fa', '/account/2fa/enable', { code: totp(secret) })).status, 200);
    const id = sql(`SELECT id FROM users WHERE email = '${email}'`);
    sql(`UPDATE sessions SET auth_at = '2000-01-01T00:00:00Z' WHERE user_id = ${id}`);
    const token = await c.csrf('/account/2fa');
    const r = await c.postRaw('/account/2fa/recovery', { _csrf: token }, { referer: `${srv.url}/account/2fa` });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/account/confirm?next=%2Faccount%2F2fa');
    const evil = await c.postRaw('/account/2fa/recovery', { _csrf: token }, { referer: 'https://evil.example/x' });
    assert.equal(evil.headers.get('location'), '/account/confirm?next=%2Faccount');
  });

  test('a delivered email keeps no live link in the database', async () => {
    const { email } = await registerVerified(srv);
    await new Promise((r) => setTimeout(r, 500));
    const rows = sql(`SELECT COUNT(*) FROM outbox WHERE to_addr = '${email}' AND sent_at IS NOT NULL AND body_text <> ''`);
    assert.equal(rows, '0');
    assert.ok(Number(sql(`SELECT COUNT(*) FROM outbox WHERE to_addr = '${email}' AND sent_at IS NOT NULL`)) >= 1);
  });
});
