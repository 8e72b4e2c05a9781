// Helpers for tests that sign people in: a small cookie-keeping client that
// fills forms like a browser (CSRF field included), the local mail folder,
// TOTP codes, and API tokens.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beaconctl } from './server.mjs';

/** A client with a cookie jar; redirects are not followed so tests can see them. */
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Request headers with the cookies (none when the jar is empty: Kore refuses empty headers). */
  headers(extra) {
    const c = this.cookieHeader();
    return c ? { cookie: c, ...extra } : { ...extra };
  }

  keep(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('max-age='));
      if (value === '' || maxAge === 'max-age=0') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path, headers = {}) {
    const res = await fetch(this.base + path, {
      redirect: 'manual',
      headers: this.headers(headers),
    });
    this.keep(res);
    res.text_ = await res.text();
    return res;
  }

  /** POST an urlencoded form as is (no CSRF token added). */
  async postRaw(path, fields, headers = {}) {
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...headers }),
      body: new URLSearchParams(fields).toString(),
    });
    this.keep(res);
    res.text_ = await res.text();
    return res;
  }

  /** The CSRF token of the first form on the page at path (GET first, like a browser). */
  async csrf(path) {
    const res = await this.get(path);
    const m = res.text_.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF field on ${path} (status ${res.status})`);
    return m[1];
  }

  /** Fill and send the form found on formPage to action, CSRF token included. */
  async submit(formPage, action, fields) {
    const token = await this.csrf(formPage);
    return this.postRaw(action, { _csrf: token, ...fields });
  }
}

/** Decode a quoted-printable body (RFC 2045). */
function unqp(s) {
  return s
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

/** Every message written to the server's mail folder, oldest first: {to, subject, text}. */
export function mails(srv) {
  const dir = join(srv.dir, 'mail');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => {
      const raw = readFileSync(join(dir, f), 'utf8');
      const split = raw.indexOf('\r\n\r\n');
      const head = raw.slice(0, split);
      let body = raw.slice(split + 4);
      if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) body = unqp(body);
      body = Buffer.from(body, 'latin1').toString('utf8');
      const header = (name) => (head.match(new RegExp(`^${name}: (.*)$`, 'mi')) || [])[1];
      return { file: f, to: header('To'), subject: header('Subject'), text: body };
    });
}

/** Wait for a message to `to` whose text matches re; returns the first capture or the match. */
export async function waitMail(srv, to, re, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const hit = mails(srv)
      .reverse()
      .find((m) => m.to && m.to.includes(to) && re.test(m.text));
    if (hit) {
      const m = hit.text.match(re);
      return m[1] ?? m[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} matching ${re} within ${ms} ms`);
}

/** The path and query of a Beacon link in a mail: "/verify-email?token=...". */
export const linkRe = (path) => new RegExp(`https?://[^/\\s]+(${path.replace('?', '\\?')}\\?token=[A-Za-z0-9_-]+)`);

function base32decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/[\s=-]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`bad base32 character ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) for a base32 secret at time t (seconds). */
export function totp(secret, t = Date.now() / 1000, step = 0) {
  const counter = Math.floor(t / 30) + step;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', base32decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  const n = (h.readUInt32BE(o) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}

/** POST JSON to the API; returns { status, body, headers }. */
export async function api(srv, path, body, token, method = 'POST') {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(srv.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: json, text, headers: res.headers };
}

let seq = 0;
/** A unique address for one test. */
export function newEmail(tag = 'user') {
  seq += 1;
  return `${tag}.${process.pid}.${seq}.${Date.now() % 100000}@example.org`;
}

export const PASSWORD = 'correct horse battery staple';

/**
 * Sign up through the API and confirm the address from the mail folder.
 * Returns { email, password }.
 */
export async function registerVerified(srv, { role = 'job_seeker', name = 'Test Person', email, password = PASSWORD } = {}) {
  email ??= newEmail(role);
  const r = await api(srv, '/api/v1/auth/register', { email, password, display_name: name, role });
  if (r.status !== 202) throw new Error(`register ${r.status}: ${r.text}`);
  const link = await waitMail(srv, email, linkRe('/verify-email'));
  const c = new Client(srv.url);
  const token = new URL(link, srv.url).searchParams.get('token');
  const v = await c.submit(link, '/verify-email', { token });
  if (v.status !== 200) throw new Error(`verify ${v.status}`);
  return { email, password };
}

/** A signed-in page client for an existing account (no second factor). */
export async function signIn(srv, email, password = PASSWORD) {
  const c = new Client(srv.url);
  const r = await c.submit('/signin', '/signin', { email, password });
  if (r.status !== 303) throw new Error(`sign-in ${r.status}: ${r.text_.slice(0, 300)}`);
  return c;
}

/** API tokens for an account: { access_token, refresh_token }. */
export async function tokens(srv, email, password = PASSWORD, code) {
  const r = await api(srv, '/api/v1/auth/token', { email, password, ...(code ? { code } : {}) });
  if (r.status !== 200) throw new Error(`token ${r.status}: ${r.text}`);
  return r.body;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A TOTP code source for one secret. Beacon accepts each step once and only
 * steps newer than the last one accepted (±1 step around now), so codes are
 * handed out with strictly increasing steps, waiting for the clock when the
 * window is used up.
 */
export function codeSource(secret) {
  let last = -Infinity;
  return async function nextCode() {
    for (;;) {
      const now = Math.floor(Date.now() / 1000 / 30);
      const step = Math.max(last + 1, now);
      if (step <= now + 1) {
        last = step;
        return totp(secret, step * 30 + 1);
      }
      await sleep((now + 1) * 30000 - Date.now() + 100);
    }
  };
}

/**
 * A new admin (beaconctl create-admin), signed in on the pages with
 * two-factor sign-in enrolled. Returns { c, email, id, secret, code(),
 * token() }: c the page client, code() the next usable TOTP code, token()
 * an API access token (made once).
 */
export async function adminClient(srv, name = 'Ada Admin') {
  const email = newEmail('admin');
  const made = beaconctl(srv.env, ['create-admin', email, name], `${PASSWORD}\n`);
  if (made.status !== 0) throw new Error(`create-admin failed: ${made.stderr}`);
  const id = Number(made.stdout.match(/id (\d+)/)[1]);
  const c = await signIn(srv, email);
  const setup = await c.get('/account/2fa');
  const secret = setup.text_.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
  const code = codeSource(secret);
  const on = await c.submit('/account/2fa', '/account/2fa/enable', { code: await code() });
  if (on.status !== 200) throw new Error(`2FA enrolment failed: ${on.status}`);
  let access;
  return {
    c, email, id, secret, code,
    async token() {
      access ??= (await tokens(srv, email, PASSWORD, await code())).access_token;
      return access;
    },
  };
}
