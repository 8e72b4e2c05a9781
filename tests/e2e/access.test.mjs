// The role x route matrix. The route table is read from src/web/routes.c
// itself, so every route added later is covered without editing this file:
// each protected route and method is tried anonymously and as each of the
// six roles, and must answer exactly as its roles allow (anonymous: sign-in
// page or 401; other roles: 403; allowed roles: past the gate, never a 5xx).
// Then every route on an object (a job) is tried by an employer of another
// company: never a success.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  Client, PASSWORD, adminClient, api, registerVerified, signIn, tokens,
} from '../lib/accounts.mjs';
import { ROOT, startServer, test } from './helpers.mjs';

const ROLE_BITS = {
  ROLE_JOB_SEEKER: 1, ROLE_ENTREPRENEUR: 2, ROLE_EMPLOYER: 4, ROLE_RECRUITER: 8,
  ROLE_COUNSELOR: 16, ROLE_ADMIN: 32,
};
const ROLE_NAMES = ['job_seeker', 'entrepreneur', 'employer', 'recruiter', 'counselor', 'admin'];
const bitOf = (name) => ROLE_BITS[`ROLE_${name.toUpperCase()}`];

/** Evaluate a C constant expression of role macros joined by '|'. */
function evalMask(expr, defs) {
  return expr.split('|').map((t) => t.trim().replace(/[()]/g, '')).reduce((m, t) => {
    if (t === '0' || t === '') return m;
    if (t in ROLE_BITS) return m | ROLE_BITS[t];
    if (t in defs) return m | evalMask(defs[t], defs);
    throw new Error(`unknown role token ${t}`);
  }, 0);
}

/** Routes from the table in routes.c: { path, seg, methods[], api, roles, flags }. */
export function readRoutes() {
  const src = readFileSync(join(ROOT, 'src/web/routes.c'), 'utf8');
  const users = readFileSync(join(ROOT, 'src/model/users.h'), 'utf8');
  const defs = {};
  for (const m of (src + users).matchAll(/^#define (\w+) \(?([A-Z_| ]+|0x3f)\)?\s*$/gm)) defs[m[1]] = m[2];
  defs.ROLES_ALL = Object.keys(ROLE_BITS).join('|');
  const table = src.slice(src.indexOf('static const struct route routes[]'));
  const body = table.slice(0, table.indexOf('\n};'));
  const out = [];
  for (const m of body.matchAll(/^\s*\{"([^"]+)",\s*(SEG_\w+),\s*([^,]+),\s*(\w+),\s*(true|false),\s*([^,]+),\s*([^}]+)\}/gm)) {
    const methods = new Set();
    for (const t of m[3].split('|').map((s) => s.trim())) {
      if (t === 'GET_HEAD') methods.add('GET');
      else if (t === 'GET_POST') { methods.add('GET'); methods.add('POST'); }
      else methods.add(t.replace('HTTP_METHOD_', ''));
    }
    out.push({
      path: m[1], seg: m[2], methods: [...methods], api: m[5] === 'true',
      roles: evalMask(m[6], defs), flags: m[7].trim(), handler: m[4],
    });
  }
  if (out.length < 40) throw new Error(`only ${out.length} routes parsed from routes.c`);
  return out;
}

function concrete(route, id) {
  if (route.seg === 'SEG_ID') return route.path + id;
  if (route.seg === 'SEG_ID_SUFFIX') return route.path.replace('{id}', String(id));
  return route.path;
}

let srv;
const users = {}; // role -> { email, page: Client, token }
let foreignJob; // a job of another company, for ownership checks

before(async () => {
  srv = await startServer();
  const admin = await adminClient(srv, 'Matrix Admin');
  users.admin = { email: admin.email, page: admin.c, token: await admin.token() };
  for (const role of ['job_seeker', 'entrepreneur', 'employer']) {
    const { email } = await registerVerified(srv, { role, name: `Matrix ${role}` });
    users[role] = { email };
  }
  // Recruiter and counselor are granted by an admin.
  for (const role of ['recruiter', 'counselor']) {
    const { email } = await registerVerified(srv, { role: 'job_seeker', name: `Matrix ${role}` });
    const t = await tokens(srv, email);
    const me = await api(srv, '/api/v1/me', undefined, t.access_token, 'GET');
    const r = await api(srv, `/api/v1/admin/users/${me.body.id}`, { role, password: PASSWORD }, users.admin.token, 'PATCH');
    assert.equal(r.status, 200, `granting ${role}: ${r.text}`);
    users[role] = { email };
  }
  for (const role of ROLE_NAMES) {
    if (role === 'admin') continue;
    users[role].page = await signIn(srv, users[role].email);
    users[role].token = (await tokens(srv, users[role].email)).access_token;
  }
  // Company A with a job, owned by another employer than the matrix's.
  const owner = await registerVerified(srv, { role: 'employer', name: 'Owner A' });
  const ot = (await tokens(srv, owner.email)).access_token;
  const co = await api(srv, '/api/v1/company', { name: 'Company A' }, ot, 'PUT');
  assert.ok(co.status < 300, `company A: ${co.status} ${co.text}`);
  const job = await api(srv, '/api/v1/jobs', {
    title: 'Owned Matrix Job', description_markdown: 'A job that belongs to company A only.',
    employment_type: 'FULL_TIME', experience_level: 'mid',
    location: { city: 'Austin', region: 'TX', country: 'US' },
  }, ot);
  assert.equal(job.status, 201, `job: ${job.text}`);
  foreignJob = job.body.data.id;
  // The matrix employer and recruiter have companies of their own.
  for (const role of ['employer', 'recruiter']) {
    const r = await api(srv, '/api/v1/company', { name: `Company of ${role}` }, users[role].token, 'PUT');
    assert.ok(r.status < 300, `company for ${role}: ${r.status} ${r.text}`);
  }
});
after(async () => {
  await srv?.stop();
});

/** One request as who (null = anonymous) with a valid CSRF token for page POSTs. */
async function attempt(route, method, who, id) {
  const path = concrete(route, id);
  if (route.api) {
    const headers = { 'content-type': 'application/json' };
    if (who) headers.authorization = `Bearer ${who.token}`;
    // GET and DELETE carry no body (Beacon refuses one: see body_not_read in routes.c).
    const res = await fetch(srv.url + path, {
      method, headers, redirect: 'manual', body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    });
    const text = await res.text();
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, code: body?.code, location: res.headers.get('location'), text };
  }
  const c = who ? who.page : new Client(srv.url);
  const res = method === 'GET'
    ? await c.get(path)
    : await c.postRaw(path, { _csrf: await c.csrf(who ? '/help' : '/signin') });
  return { status: res.status, location: res.headers.get('location'), text: res.text_ };
}

const denied = (r, route) =>
  route.api ? r.status === 403 && r.code === 'forbidden' : r.status === 403 && /cannot use this page/.test(r.text);
const toSignin = (r) => r.status === 303 && /^\/signin/.test(r.location || '');

describe('role x route matrix', () => {
  test('every protected route refuses anonymous visitors and roles it does not list', { timeout: 600000 }, async () => {
    const routes = readRoutes().filter((r) => r.roles !== 0 && r.seg !== 'SEG_NAME');
    assert.ok(routes.length >= 30, `${routes.length} protected routes`);
    const problems = [];
    let checked = 0;
    // Sign-out last: it ends the session the rest of the matrix uses.
    routes.sort((a, b) => (a.path === '/signout') - (b.path === '/signout'));
    for (const route of routes) {
      for (const method of route.methods) {
        const label = `${method} ${route.path}`;
        const anon = await attempt(route, method, null, foreignJob);
        const anonOk = route.api ? anon.status === 401 : toSignin(anon);
        if (!anonOk) problems.push(`${label} anonymous: ${anon.status} ${anon.location || ''}`);
        checked++;
        for (const role of ROLE_NAMES) {
          const r = await attempt(route, method, users[role], foreignJob);
          checked++;
          const allowed = (route.roles & bitOf(role)) !== 0;
          if (r.status >= 500) problems.push(`${label} as ${role}: ${r.status}`);
          else if (!allowed && !denied(r, route)) problems.push(`${label} as ${role}: expected 403, got ${r.status}`);
          else if (allowed && (denied(r, route) || toSignin(r) ||
            (route.api && r.status === 401 && ['unauthenticated', 'invalid_token'].includes(r.code))))
            problems.push(`${label} as ${role}: allowed role refused (${r.status} ${r.location || ''})`);
        }
      }
    }
    assert.deepEqual(problems, [], `${problems.length} unexpected answers in ${checked} requests`);
  });

  test('routes on a job refuse an employer and a recruiter of another company', async () => {
    const routes = readRoutes().filter((r) => r.roles !== 0 && (r.seg === 'SEG_ID' || r.seg === 'SEG_ID_SUFFIX')
      && /jobs/.test(r.path));
    assert.ok(routes.length >= 4, `${routes.length} job routes`);
    // The matrix ended with sign-out: sign in again.
    for (const role of ['employer', 'recruiter']) users[role].page = await signIn(srv, users[role].email);
    const problems = [];
    for (const route of routes) {
      for (const method of route.methods) {
        for (const role of ['employer', 'recruiter']) {
          const r = await attempt(route, method, users[role], foreignJob);
          if (r.status < 400 || r.status >= 500) problems.push(`${method} ${route.path} as ${role} of another company: ${r.status}`);
        }
      }
    }
    assert.deepEqual(problems, []);
    // And the job is untouched: still open, same title.
    const job = await api(srv, `/api/v1/jobs/${foreignJob}`, undefined, null, 'GET');
    assert.equal(job.status, 200);
    const data = job.body.data ?? job.body;
    assert.equal(data.title, 'Owned Matrix Job');
    assert.equal(data.status, 'open');
  });
});
