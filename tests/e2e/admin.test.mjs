// The admin area end to end: who may use it, the user list (search,
// filters, pages, hostile search text), role changes and disabling (the
// account's sessions and tokens end at once), the self and last-admin rules
// (also under a race between two admins), re-authentication before changes,
// and the audit log (page, API, filters, cursor, chain check). Runs on
// SQLite and PostgreSQL like every e2e file.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  Client, PASSWORD, adminClient, api, newEmail, registerVerified, signIn, tokens,
} from '../lib/accounts.mjs';
import { beaconctl, startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

let srv;
let admin; // the main admin of this server, shared by the tests below
let adminToken;
before(async () => {
  srv = await startServer();
  admin = await adminClient(srv, 'Main Admin');
  adminToken = await admin.token();
});
after(async () => {
  await srv?.stop();
});


/** Run one SQL statement on the server's database (to age a session, as time would). */
const sql = (server, statement) => dbQuery(server, statement);

const get = (server, path, token) =>
  fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (res) => {
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text, headers: res.headers };
  });

const patch = (server, id, body, token) => api(server, `/api/v1/admin/users/${id}`, body, token, 'PATCH');

/** The user's id from /api/v1/me. */
async function idOf(server, email) {
  const t = await tokens(server, email);
  return (await get(server, '/api/v1/me', t.access_token)).body.id;
}

/** Register (unverified) accounts, `at` at a time (1: in order). */
async function registerMany(server, names, role = 'job_seeker', at = 6) {
  const emails = [];
  for (let i = 0; i < names.length; i += at) {
    const batch = names.slice(i, i + at).map(async (display_name) => {
      const email = newEmail('many');
      const r = await api(server, '/api/v1/auth/register', { email, password: PASSWORD, display_name, role });
      assert.equal(r.status, 202, r.text);
      return email;
    });
    emails.push(...(await Promise.all(batch)));
  }
  return emails;
}

describe('who may use the admin area', () => {
  const pages = ['/admin', '/admin/users', '/admin/users/1', '/admin/audit'];
  const apis = [
    ['GET', '/api/v1/admin/users'],
    ['GET', '/api/v1/admin/users/1'],
    ['PATCH', '/api/v1/admin/users/1'],
    ['GET', '/api/v1/admin/audit'],
  ];

  test('anonymous visitors are sent to sign in (pages) or get 401 (API)', async () => {
    const anon = new Client(srv.url);
    for (const p of pages) {
      const r = await anon.get(p);
      assert.equal(r.status, 303, p);
      assert.equal(r.headers.get('location'), `/signin?next=${encodeURIComponent(p)}`, p);
    }
    const post = await anon.submit('/signin', '/admin/users/1/status', { status: 'disabled' });
    assert.equal(post.status, 303);
    assert.match(post.headers.get('location'), /^\/signin\?next=/);
    for (const [method, p] of apis) {
      const r = await api(srv, p, method === 'PATCH' ? { disabled: true, password: PASSWORD } : undefined, undefined, method);
      assert.equal(r.status, 401, `${method} ${p}`);
      assert.equal(r.body.code, 'unauthenticated');
    }
  });

  test('job seekers and employers get 403 on every admin page and endpoint', async () => {
    for (const role of ['job_seeker', 'employer']) {
      const { email } = await registerVerified(srv, { role });
      const c = await signIn(srv, email);
      for (const p of pages) {
        const r = await c.get(p);
        assert.equal(r.status, 403, `${role} ${p}`);
      }
      const post = await c.submit('/account', `/admin/users/${admin.id}/status`, { status: 'disabled' });
      assert.equal(post.status, 403, `${role} POST`);
      const t = (await tokens(srv, email)).access_token;
      for (const [method, p] of apis) {
        const r = await api(srv, p, method === 'PATCH' ? { disabled: true, password: PASSWORD } : undefined, t, method);
        assert.equal(r.status, 403, `${role} ${method} ${p}`);
        assert.equal(r.body.code, 'forbidden');
      }
    }
    const me = await get(srv, '/api/v1/me', adminToken);
    assert.equal(me.body.role, 'admin', 'nothing was changed by those attempts');
  });

  test('an admin without two-factor sign-in is sent to enrol first', async () => {
    const email = newEmail('admin');
    assert.equal(beaconctl(srv.env, ['create-admin', email, 'New Admin'], `${PASSWORD}\n`).status, 0);
    const c = await signIn(srv, email);
    for (const p of pages) {
      const r = await c.get(p);
      assert.equal(r.status, 303, p);
      assert.match(r.headers.get('location'), /^\/account\/2fa\?next=/, p);
    }
  });

  test('an admin sees the header link and the sub-navigation', async () => {
    const r = await admin.c.get('/admin/users');
    assert.equal(r.status, 200);
    assert.match(r.text_, /<a href="\/admin\/users" aria-current="page">Admin<\/a>/);
    assert.match(r.text_, /<nav class="subnav" aria-label="Admin sections">/);
    assert.match(r.text_, /href="\/admin\/audit">Audit log</);
    const a = await admin.c.get('/admin/audit');
    assert.match(a.text_, /href="\/admin\/audit" aria-current="page">Audit log</);
    const root = await admin.c.get('/admin');
    assert.equal(root.status, 303);
    assert.equal(root.headers.get('location'), '/admin/users');
  });
});

describe('the user list', () => {
  test('search, role and status filters, API paging', async () => {
    const tag = `Zebrafinch${process.pid}`;
    const emails = await registerMany(srv, [`${tag} One`, `${tag} Two`, `${tag} Three`], 'employer', 1);
    const seeker = (await registerMany(srv, [`${tag} Four`], 'job_seeker'))[0];
    let r = await get(srv, `/api/v1/admin/users?q=${tag.toLowerCase()}`, adminToken);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 4, 'name search ignores case');
    assert.deepEqual(r.body.items.map((u) => u.display_name), [`${tag} Four`, `${tag} Three`, `${tag} Two`, `${tag} One`], 'newest first');
    for (const u of r.body.items) {
      assert.deepEqual(Object.keys(u).sort(), ['created_at', 'display_name', 'email', 'email_verified', 'id', 'role', 'status', 'two_factor']);
    }
    r = await get(srv, `/api/v1/admin/users?q=${encodeURIComponent(emails[1].toUpperCase())}`, adminToken);
    assert.deepEqual(r.body.items.map((u) => u.email), [emails[1]], 'email search, any case');
    r = await get(srv, `/api/v1/admin/users?q=${tag}&role=employer`, adminToken);
    assert.equal(r.body.total, 3);
    assert.ok(r.body.items.every((u) => u.role === 'employer'));
    r = await get(srv, `/api/v1/admin/users?q=${tag}&role=job_seeker&status=active`, adminToken);
    assert.deepEqual(r.body.items.map((u) => u.email), [seeker]);
    r = await get(srv, `/api/v1/admin/users?q=${tag}&status=disabled`, adminToken);
    assert.equal(r.body.total, 0);
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const p = await get(srv, `/api/v1/admin/users?q=${tag}&per_page=3&page=${page}`, adminToken);
      assert.equal(p.body.total, 4);
      assert.equal(p.body.per_page, 3);
      pages.push(p.body.items.map((u) => u.id));
    }
    assert.equal(pages[0].length, 3);
    assert.equal(pages[1].length, 1);
    assert.equal(pages[2].length, 0, 'past the end: empty list, same total');
    assert.equal(new Set([...pages[0], ...pages[1]]).size, 4, 'pages do not overlap');
    r = await get(srv, '/api/v1/admin/users?role=admin', adminToken);
    assert.ok(r.body.items.some((u) => u.id === admin.id && u.two_factor === true));
  });

  test('bad parameters are 400 naming the parameter', async () => {
    for (const [qs, param] of [
      ['role=superuser', 'role'], ['status=gone', 'status'], ['page=0', 'page'], ['page=abc', 'page'],
      ['page=100001', 'page'], ['per_page=101', 'per_page'], ['per_page=0', 'per_page'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ]) {
      const r = await get(srv, `/api/v1/admin/users?${qs}`, adminToken);
      assert.equal(r.status, 400, qs);
      assert.equal(r.body.code, 'invalid_parameter', qs);
      assert.equal(r.body.param, param, qs);
      // The page has a fixed page size: per_page is not one of its parameters.
      if (param !== 'per_page') assert.equal((await admin.c.get(`/admin/users?${qs}`)).status, 400, `page ${qs}`);
    }
  });

  test('the page: 50 a page, "showing X–Y of N", page links, empty state', async () => {
    const tag = `Pagerbird${process.pid}`;
    const names = Array.from({ length: 53 }, (_, i) => `${tag} ${String(i + 1).padStart(2, '0')}`);
    await registerMany(srv, names.slice(0, 3), 'job_seeker', 1); // the oldest three, in order
    await registerMany(srv, names.slice(3));
    const p1 = await admin.c.get(`/admin/users?q=${tag}`);
    assert.equal(p1.status, 200);
    assert.match(p1.text_, /Showing 1–50 of 53 users/);
    assert.equal((p1.text_.match(/<tr><th scope="row">/g) || []).length, 50);
    assert.match(p1.text_, new RegExp(`href="/admin/users\\?q=${tag}&amp;page=2">2</a>`));
    assert.match(p1.text_, /aria-current="page" href="\/admin\/users\?q=[^"]*page=1">1</);
    assert.match(p1.text_, /rel="next"/);
    assert.ok(p1.text_.includes(`${tag} 53<`) && !p1.text_.includes(`${tag} 03<`), 'newest first');
    const p2 = await admin.c.get(`/admin/users?q=${tag}&page=2`);
    assert.match(p2.text_, /Showing 51–53 of 53 users/);
    assert.equal((p2.text_.match(/<tr><th scope="row">/g) || []).length, 3);
    assert.match(p2.text_, /rel="prev"/);
    const row = p2.text_.match(/<a href="\/admin\/users\/(\d+)">Pagerbird\d+ 01<\/a>/);
    assert.ok(row, 'each row links to the user');
    const detail = await admin.c.get(`/admin/users/${row[1]}`);
    assert.equal(detail.status, 200);
    const past = await admin.c.get(`/admin/users?q=${tag}&page=9`);
    assert.equal(past.status, 200);
    assert.match(past.text_, /past the last page/);
    assert.match(past.text_, /page=2">Go to the last page/);
    const none = await admin.c.get('/admin/users?q=nobody-has-this-name-at-all');
    assert.match(none.text_, /No users match this search/);
    const filtered = await admin.c.get(`/admin/users?q=${tag}&role=employer&status=active`);
    assert.match(filtered.text_, /No users match/);
    assert.match(filtered.text_, /<option value="employer" selected>/);
    assert.match(filtered.text_, /<option value="active" selected>/);
  });

  test('hostile search text: LIKE wildcards are literal, SQL and markup are inert', async () => {
    const hostile = `O'Brien <script>alert(1)</script> 100%_off`;
    const [email] = await registerMany(srv, [hostile]);
    const [plain] = await registerMany(srv, ['Percentless Person 100xoff']);
    let r = await get(srv, `/api/v1/admin/users?q=${encodeURIComponent('100%_off')}`, adminToken);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((u) => u.email), [email], '% and _ match only themselves');
    r = await get(srv, `/api/v1/admin/users?q=${encodeURIComponent('%')}&per_page=100`, adminToken);
    assert.ok(r.body.items.length >= 1);
    assert.ok(r.body.items.every((u) => u.display_name.includes('%') || u.email.includes('%')), 'a lone % is not "everything"');
    assert.ok(!r.body.items.some((u) => u.email === plain));
    r = await get(srv, `/api/v1/admin/users?q=${encodeURIComponent("o'brien")}`, adminToken);
    assert.deepEqual(r.body.items.map((u) => u.email), [email]);
    r = await get(srv, `/api/v1/admin/users?q=${encodeURIComponent("' OR '1'='1")}`, adminToken);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0);
    r = await get(srv, `/api/v1/admin/users?q=${encodeURIComponent('!')}`, adminToken);
    assert.equal(r.status, 200, 'the escape character itself is literal');
    const page = await admin.c.get(`/admin/users?q=${encodeURIComponent("O'Brien <script>")}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /Showing 1–1 of 1 user</);
    assert.ok(!page.text_.includes('<script>alert(1)'), 'the name is escaped');
    assert.ok(page.text_.includes('O&#39;Brien &lt;script&gt;alert(1)&lt;/script&gt; 100%_off') ||
      page.text_.includes('O&#x27;Brien &lt;script&gt;alert(1)&lt;/script&gt; 100%_off'));
    assert.match(page.text_, /value="O&#(39|x27);Brien &lt;script&gt;"/, 'the search box keeps the text, escaped');
    const attr = await admin.c.get(`/admin/users?q=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`);
    assert.equal(attr.status, 200);
    assert.ok(!attr.text_.includes('<img src=x'));
  });
});

/** Sign a page client in with email and password; returns the response (not following redirects). */
async function trySignIn(email, password) {
  const c = new Client(srv.url);
  const r = await c.submit('/signin', '/signin', { email, password });
  return { c, r };
}

describe('changing an account', () => {
  test('a role change ends the user\'s sessions and refresh tokens; signing in again shows the new role', async () => {
    const { email } = await registerVerified(srv, { role: 'employer', name: 'Role Changer' });
    const id = await idOf(srv, email);
    const them = await signIn(srv, email);
    assert.equal((await them.get('/account')).status, 200);
    const t = await tokens(srv, email);
    const detail = await admin.c.get(`/admin/users/${id}`);
    assert.equal(detail.status, 200);
    assert.equal((detail.text_.match(/<option value="/g) || []).length, 6, 'six roles to choose from');
    assert.match(detail.text_, /<option value="employer" selected>Employer</);
    for (const f of ['Email address', 'Email confirmed', 'Role', 'Status', 'Two-factor sign-in', 'Joined']) {
      assert.match(detail.text_, new RegExp(`<dt>${f}</dt>`), f);
    }
    const r = await admin.c.submit(`/admin/users/${id}`, `/admin/users/${id}/role`, { role: 'recruiter' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/admin/users/${id}?done=role`);
    const shown = await admin.c.get(r.headers.get('location'));
    assert.match(shown.text_, /Role changed/);
    assert.match(shown.text_, /<dt>Role<\/dt><dd>Recruiter<\/dd>/);
    const old = await them.get('/account');
    assert.equal(old.status, 303, 'their page session ended');
    assert.match(old.headers.get('location'), /^\/signin/);
    const refresh = await api(srv, '/api/v1/auth/refresh', { refresh_token: t.refresh_token });
    assert.equal(refresh.status, 401, 'their refresh token was revoked');
    const again = await signIn(srv, email);
    assert.equal((await again.get('/account')).status, 200);
    const fresh = await tokens(srv, email);
    const me = await get(srv, '/api/v1/me', fresh.access_token);
    assert.equal(me.body.role, 'recruiter');
    // Nothing to change: no audit record, a plain notice.
    const same = await admin.c.submit(`/admin/users/${id}`, `/admin/users/${id}/role`, { role: 'recruiter' });
    assert.equal(same.headers.get('location'), `/admin/users/${id}?done=same`);
    // The audit log names the admin and the user.
    const log = await get(srv, `/api/v1/admin/audit?event=admin.user.role_changed&actor=${admin.id}`, adminToken);
    const rec = log.body.items.filter((i) => i.target_id === String(id));
    assert.equal(rec.length, 1);
    assert.equal(rec[0].actor_id, admin.id);
    assert.equal(rec[0].target_type, 'user');
    assert.deepEqual(rec[0].detail, { from: 'employer', to: 'recruiter' });
    assert.equal(rec[0].actor_ip, '127.0.0.1');
    const page = await admin.c.get('/admin/audit?event=admin.user.role_changed');
    assert.match(page.text_, new RegExp(`<a href="/admin/users/${admin.id}">${admin.email.replace(/\./g, '\\.')}</a>`));
    assert.match(page.text_, new RegExp(`<a href="/admin/users/${id}">user ${id}</a>`));
    assert.match(page.text_, /\{&quot;from&quot;:&quot;employer&quot;,&quot;to&quot;:&quot;recruiter&quot;\}/);
  });

  test('a bad role or status is refused and changes nothing', async () => {
    const { email } = await registerVerified(srv, { role: 'job_seeker' });
    const id = await idOf(srv, email);
    const bad = await admin.c.submit(`/admin/users/${id}`, `/admin/users/${id}/role`, { role: 'superuser' });
    assert.equal(bad.status, 422);
    assert.match(bad.text_, /id="f-role"[^>]*aria-describedby="[^"]*e-role"[^>]*aria-invalid="true"/);
    const act = await admin.c.submit(`/admin/users/${id}`, `/admin/users/${id}/status`, { status: 'deleted' });
    assert.equal(act.status, 400);
    const missing = await admin.c.get('/admin/users/999999999');
    assert.equal(missing.status, 404);
    const apiMissing = await patch(srv, 999999999, { role: 'employer', password: PASSWORD }, adminToken);
    assert.equal(apiMissing.status, 404);
    const types = await patch(srv, id, { role: 7, disabled: 'yes', password: PASSWORD }, adminToken);
    assert.equal(types.status, 422);
    assert.deepEqual(types.body.errors.map((e) => e.field).sort(), ['disabled', 'role']);
    const unknown = await patch(srv, id, { role: 'owner', password: PASSWORD }, adminToken);
    assert.equal(unknown.status, 422);
    const nothing = await patch(srv, id, { password: PASSWORD }, adminToken);
    assert.equal(nothing.status, 422);
    const form = await fetch(`${srv.url}/api/v1/admin/users/${id}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'role=admin',
    });
    assert.equal(form.status, 415);
    const post = await api(srv, `/api/v1/admin/users/${id}`, { role: 'admin' }, adminToken, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD, PATCH');
    const me = await get(srv, `/api/v1/admin/users/${id}`, adminToken);
    assert.equal(me.body.role, 'job_seeker');
    assert.equal(me.body.status, 'active');
  });

  test('disabling: sign-in fails like a wrong password, the API token stops working; enabling restores', async () => {
    const { email } = await registerVerified(srv, { role: 'job_seeker', name: 'Dee Sabled' });
    const id = await idOf(srv, email);
    const them = await signIn(srv, email);
    const t = await tokens(srv, email);
    assert.equal((await get(srv, '/api/v1/me', t.access_token)).status, 200);

    const noPw = await patch(srv, id, { disabled: true }, adminToken);
    assert.equal(noPw.status, 403);
    assert.equal(noPw.body.code, 'reauthentication_required');
    const wrongPw = await patch(srv, id, { disabled: true, password: 'not my password at all' }, adminToken);
    assert.equal(wrongPw.status, 403);
    assert.equal(wrongPw.body.code, 'reauthentication_required');
    assert.equal((await get(srv, `/api/v1/admin/users/${id}`, adminToken)).body.status, 'active');

    const r = await patch(srv, id, { disabled: true, password: PASSWORD }, adminToken);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'disabled');
    assert.equal(r.body.id, id);

    const me = await get(srv, '/api/v1/me', t.access_token);
    assert.equal(me.status, 401, 'the access token stops working at once');
    assert.equal(me.body.code, 'invalid_token');
    assert.equal((await api(srv, '/api/v1/auth/refresh', { refresh_token: t.refresh_token })).status, 401);
    assert.equal((await them.get('/account')).status, 303, 'their session ended');
    const right = await trySignIn(email, PASSWORD);
    const wrong = await trySignIn(email, 'a wrong password for sure');
    assert.equal(right.r.status, 401);
    assert.equal(right.r.status, wrong.r.status, 'same status as a wrong password');
    const msg = (x) => x.r.text_.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0];
    assert.ok(msg(right));
    assert.equal(msg(right), msg(wrong), 'same words as a wrong password');
    const apiRight = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD });
    const apiWrong = await api(srv, '/api/v1/auth/token', { email, password: 'a wrong password for sure' });
    assert.equal(apiRight.status, 401);
    assert.equal(apiRight.body.code, apiWrong.body.code);
    assert.equal(apiRight.body.detail, apiWrong.body.detail);

    const list = await get(srv, `/api/v1/admin/users?q=${encodeURIComponent(email)}&status=disabled`, adminToken);
    assert.deepEqual(list.body.items.map((u) => u.id), [id]);
    const page = await admin.c.get(`/admin/users/${id}`);
    assert.match(page.text_, /Disabled: cannot sign in/);
    assert.match(page.text_, /action="\/admin\/users\/\d+\/status"[\s\S]*name="status" value="active"/);

    const en = await admin.c.submit(`/admin/users/${id}`, `/admin/users/${id}/status`, { status: 'active' });
    assert.equal(en.status, 303);
    assert.equal(en.headers.get('location'), `/admin/users/${id}?done=enabled`);
    assert.equal((await trySignIn(email, PASSWORD)).r.status, 303, 'they can sign in again');
    assert.equal((await get(srv, '/api/v1/me', (await tokens(srv, email)).access_token)).status, 200);

    const dis = await admin.c.submit(`/admin/users/${id}`, `/admin/users/${id}/status`, { status: 'disabled' });
    assert.equal(dis.headers.get('location'), `/admin/users/${id}?done=disabled`);
    const log = await get(srv, `/api/v1/admin/audit?event=admin.user.&actor=${admin.id}&limit=100`, adminToken);
    const mine = log.body.items.filter((i) => i.target_id === String(id)).map((i) => [i.event, i.detail]);
    assert.deepEqual(mine, [
      ['admin.user.disabled', { from: 'active', to: 'disabled' }],
      ['admin.user.enabled', { from: 'disabled', to: 'active' }],
      ['admin.user.disabled', { from: 'active', to: 'disabled' }],
    ]);
    const fail = await get(srv, `/api/v1/admin/audit?event=auth.reauth.failure&actor=${admin.id}`, adminToken);
    assert.ok(fail.body.items.length >= 1, 'the wrong password was audited');
  });

  test('an admin cannot demote or disable themselves', async () => {
    const page = await admin.c.get(`/admin/users/${admin.id}`);
    assert.match(page.text_, /This is your account/);
    assert.ok(!page.text_.includes('method="post" action="/admin/users/'), 'no change forms on your own account');
    const demote = await admin.c.submit('/account', `/admin/users/${admin.id}/role`, { role: 'employer' });
    assert.equal(demote.status, 409);
    assert.match(demote.text_, /You cannot take away your own admin role/);
    const disable = await admin.c.submit('/account', `/admin/users/${admin.id}/status`, { status: 'disabled' });
    assert.equal(disable.status, 409);
    assert.match(disable.text_, /You cannot disable your own account/);
    for (const body of [{ role: 'job_seeker' }, { disabled: true }, { role: 'admin', disabled: true }]) {
      const r = await patch(srv, admin.id, { ...body, password: PASSWORD }, adminToken);
      assert.equal(r.status, 409, JSON.stringify(body));
      assert.equal(r.body.code, 'self_change_forbidden');
    }
    const same = await patch(srv, admin.id, { role: 'admin', disabled: false, password: PASSWORD }, adminToken);
    assert.equal(same.status, 200, 'confirming what already holds is fine');
    assert.equal((await get(srv, '/api/v1/me', adminToken)).body.role, 'admin');
  });

  test('promoting to admin, then demoting another admin works; new admins must enrol 2FA', async () => {
    const { email } = await registerVerified(srv, { role: 'entrepreneur' });
    const id = await idOf(srv, email);
    const up = await patch(srv, id, { role: 'admin', password: PASSWORD }, adminToken);
    assert.equal(up.status, 200);
    assert.equal(up.body.role, 'admin');
    const c = await signIn(srv, email);
    const r = await c.get('/admin/users');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/account\/2fa/);
    const down = await patch(srv, id, { role: 'counselor', password: PASSWORD }, adminToken);
    assert.equal(down.body.role, 'counselor');
    assert.equal(down.status, 200);
    assert.equal((await c.get('/account')).status, 303, 'demotion ended their session');
  });
});

describe('re-authentication', () => {
  test('a change without a recent password goes to /account/confirm and comes back', async () => {
    const a = await adminClient(srv, 'Reauth Admin');
    const { email } = await registerVerified(srv, { role: 'job_seeker' });
    const id = await idOf(srv, email);
    // Ten minutes pass: the session's last password entry is older than the window.
    sql(srv, `UPDATE sessions SET auth_at = '2000-01-01T00:00:00Z' WHERE user_id = ${a.id}`);
    assert.equal((await a.c.get('/admin/users')).status, 200, 'viewing needs no fresh password');
    const back = `/admin/users/${id}/status`;
    const r = await a.c.submit(`/admin/users/${id}`, back, { status: 'disabled' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/account/confirm?next=${encodeURIComponent(back)}`);
    assert.equal((await get(srv, `/api/v1/admin/users/${id}`, adminToken)).body.status, 'active', 'nothing changed');
    const confirm = await a.c.get(r.headers.get('location'));
    assert.equal(confirm.status, 200);
    assert.ok(confirm.text_.includes(`name="next" value="${back}"`));
    const wrong = await a.c.submit(r.headers.get('location'), '/account/confirm', {
      next: back, password: 'not the right password', code: '000000',
    });
    assert.equal(wrong.status, 401);
    const right = await a.c.submit(r.headers.get('location'), '/account/confirm', {
      next: back, password: PASSWORD, code: await a.code(),
    });
    assert.equal(right.status, 303);
    assert.equal(right.headers.get('location'), back);
    // The browser follows with a GET, which lands on the user's page to send the form again.
    const landed = await a.c.get(back);
    assert.equal(landed.status, 303);
    assert.equal(landed.headers.get('location'), `/admin/users/${id}`);
    const done = await a.c.submit(`/admin/users/${id}`, `/admin/users/${id}/status`, { status: 'disabled' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `/admin/users/${id}?done=disabled`);
  });
});

describe('the audit log', () => {
  test('filters, cursor paging, bad parameters, hostile filters', async () => {
    const all = await get(srv, '/api/v1/admin/audit?limit=100', adminToken);
    assert.equal(all.status, 200);
    const ids = all.body.items.map((i) => i.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
    for (const i of all.body.items) {
      assert.deepEqual(Object.keys(i).sort(), ['actor_id', 'actor_ip', 'at', 'detail', 'event', 'id', 'target_id', 'target_type']);
    }
    // Cursor: pages of 3 walk the same records without gaps or repeats.
    const walked = [];
    let before = '';
    for (let n = 0; n < 4; n++) {
      const p = await get(srv, `/api/v1/admin/audit?limit=3${before}`, adminToken);
      walked.push(...p.body.items.map((i) => i.id));
      assert.equal(p.body.next_before, p.body.items.at(-1).id);
      before = `&before=${p.body.next_before}`;
    }
    assert.deepEqual(walked, ids.slice(0, 12));
    const last = await get(srv, '/api/v1/admin/audit?before=2', adminToken);
    assert.ok(last.body.items.length <= 1);
    assert.equal(last.body.next_before, null, 'no older records: no cursor');

    const byActor = await get(srv, `/api/v1/admin/audit?actor=${admin.id}&limit=100`, adminToken);
    assert.ok(byActor.body.items.length > 0 && byActor.body.items.every((i) => i.actor_id === admin.id));
    const byEvent = await get(srv, '/api/v1/admin/audit?event=admin.&limit=100', adminToken);
    assert.ok(byEvent.body.items.length > 0 && byEvent.body.items.every((i) => i.event.startsWith('admin.')));
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
    assert.equal((await get(srv, `/api/v1/admin/audit?since=${tomorrow}`, adminToken)).body.items.length, 0);
    assert.equal((await get(srv, `/api/v1/admin/audit?until=${yesterday}`, adminToken)).body.items.length, 0);
    const inDay = await get(srv, `/api/v1/admin/audit?since=${today}&until=${today}&limit=100`, adminToken);
    assert.ok(inDay.body.items.length > 0, 'until includes the whole day');

    for (const [qs, param] of [
      ['actor=abc', 'actor'], ['actor=0', 'actor'], ['since=yesterday', 'since'], ['until=2025-13-01', 'until'],
      [`since=${today}&until=${yesterday}`, 'until'], ['before=-1', 'before'], ['limit=0', 'limit'],
      ['limit=101', 'limit'], [`event=${'a'.repeat(101)}`, 'event'],
    ]) {
      const r = await get(srv, `/api/v1/admin/audit?${qs}`, adminToken);
      assert.equal(r.status, 400, qs);
      assert.equal(r.body.param, param, qs);
      if (param !== 'limit') assert.equal((await admin.c.get(`/admin/audit?${qs}`)).status, 400, `page ${qs}`);
    }
    for (const ev of ["'; DROP TABLE audit_log; --", '%', '_', '<script>alert(1)</script>']) {
      const r = await get(srv, `/api/v1/admin/audit?event=${encodeURIComponent(ev)}`, adminToken);
      assert.equal(r.status, 200, ev);
      assert.equal(r.body.items.length, 0, `${ev} is a literal prefix`);
      const p = await admin.c.get(`/admin/audit?event=${encodeURIComponent(ev)}`);
      assert.equal(p.status, 200);
      assert.match(p.text_, /No audit records match/);
      assert.ok(!p.text_.includes('<script>alert(1)'));
    }
  });

  test('the page: columns, older/newest links, chain status; beaconctl audit-verify agrees', async () => {
    const p = await admin.c.get('/admin/audit');
    assert.equal(p.status, 200);
    for (const h of ['Time', 'Event', 'Actor', 'IP address', 'Target', 'Detail']) {
      assert.match(p.text_, new RegExp(`<th scope="col">${h}</th>`), h);
    }
    assert.match(p.text_, /Chain intact:<\/strong> all \d+ records check out/);
    assert.match(p.text_, /Showing the 50 newest records/);
    const older = p.text_.match(/rel="next" href="(\/admin\/audit\?before=\d+)">Older records/);
    assert.ok(older, 'an older-records link');
    const p2 = await admin.c.get(older[1].replace(/&amp;/g, '&'));
    assert.equal(p2.status, 200);
    assert.match(p2.text_, /rel="first" href="\/admin\/audit">Newest records/);
    assert.match(p2.text_, /older records, newest first/);
    const filtered = await admin.c.get(`/admin/audit?event=admin.user.&actor=${admin.id}&since=2020-01-01`);
    assert.match(filtered.text_, /value="admin\.user\."/);
    assert.match(filtered.text_, /admin\.user\.disabled/);
    const v = beaconctl(srv.env, ['audit-verify']);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /chain intact/);
  });
});

describe('the last active admin', () => {
  test('two admins demoting each other at once: exactly one wins; the last admin cannot leave', { timeout: 120000 }, async () => {
    const own = await startServer();
    try {
      const b = await adminClient(own, 'Admin Bee');
      const c = await adminClient(own, 'Admin Cee');
      const [tb, tc] = [await b.token(), await c.token()];
      const results = await Promise.all([
        patch(own, c.id, { role: 'employer', password: PASSWORD }, tb),
        patch(own, b.id, { role: 'employer', password: PASSWORD }, tc),
      ]);
      const statuses = results.map((r) => r.status).sort();
      assert.equal(statuses.filter((s) => s === 200).length, 1, `one wins: ${statuses}`);
      for (const r of results.filter((x) => x.status !== 200)) {
        assert.ok(r.status === 409 && r.body.code === 'last_admin' || r.status === 403, `loser: ${r.status} ${r.text}`);
      }
      const winner = results[0].status === 200 ? { who: b, token: tb } : { who: c, token: tc };
      const admins = await get(own, '/api/v1/admin/users?role=admin&status=active', winner.token);
      assert.deepEqual(admins.body.items.map((u) => u.id), [winner.who.id], 'one active admin remains');

      // The remaining admin is the last one: neither demotion nor disabling.
      for (const body of [{ role: 'employer' }, { disabled: true }]) {
        const r = await patch(own, winner.who.id, { ...body, password: PASSWORD }, winner.token);
        assert.equal(r.status, 409);
        assert.equal(r.body.code, 'last_admin');
      }
      const page = await winner.who.c.submit('/account', `/admin/users/${winner.who.id}/status`, { status: 'disabled' });
      assert.equal(page.status, 409);
      assert.match(page.text_, /This is the last active admin/);
      const v = beaconctl(own.env, ['audit-verify']);
      assert.equal(v.status, 0, v.stdout + v.stderr);
    } finally {
      await own.stop();
    }
  });
});

describe('the background queue', () => {
  test('counts and the last failures, with their errors escaped, on the page and the API', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    sql(srv, `INSERT INTO tasks (kind, payload, status, run_at, attempts, max_attempts, last_error, created_at, updated_at)
      VALUES ('email', '999999', 'failed', '${now}', 8, 8, 'smtp said <script>alert(1)</script> no', '${now}', '${now}')`);
    const page = await admin.c.get('/admin/queue');
    assert.equal(page.status, 200);
    assert.match(page.text_, /<h1>Background work<\/h1>/);
    assert.ok(page.text_.includes('smtp said &lt;script&gt;alert(1)&lt;/script&gt; no'));
    assert.ok(!page.text_.includes('<script>alert(1)'));
    const r = await get(srv, '/api/v1/admin/queue', adminToken);
    assert.equal(r.status, 200);
    assert.ok(r.body.failed >= 1);
    assert.ok(r.body.failures.some((f) => f.kind === 'email' && f.last_error.includes('<script>') && f.attempts === 8));
    for (const k of ['pending', 'due', 'running', 'done']) assert.equal(typeof r.body[k], 'number', k);
  });
});
