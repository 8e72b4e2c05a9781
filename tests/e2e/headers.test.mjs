// Response headers that protect browsers: the security headers on every kind
// of response, HSTS only behind an https base URL, and CORS on the API for
// the configured origins only (exact match, never "*", preflights).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { FIXTURE, request, startServer, test } from './helpers.mjs';

const ALLOWED = 'https://app.example.org';
const ALSO_ALLOWED = 'https://partner.example:8443';

let plain; // http base URL, CORS for two origins
let secure; // https base URL, no CORS origins
before(async () => {
  [plain, secure] = await Promise.all([
    startServer({
      fixture: FIXTURE,
      env: { BEACON_CORS_ORIGINS: ` ${ALLOWED},${ALSO_ALLOWED}  https://third.example ` },
    }),
    startServer({ fixture: FIXTURE, env: { BEACON_BASE_URL: 'https://jobs.example.test' } }),
  ]);
});
after(async () => {
  await Promise.all([plain?.stop(), secure?.stop()]);
});

// One of each kind of response: a page, the API, 404, 405, a problem+json 400, a static file.
const KINDS = [
  ['page', 'GET', '/jobs', 200],
  ['API', 'GET', '/api/v1/jobs/1', 200],
  ['404', 'GET', '/no-such-page', 404],
  ['405', 'DELETE', '/help', 405],
  ['problem+json 400', 'GET', '/api/v1/jobs?page=0', 400],
  ['static file', 'GET', '/static/beacon.css', 200],
];

describe('security headers on every kind of response', () => {
  for (const [kind, method, path, status] of KINDS) {
    test(kind, async () => {
      for (const srv of [plain, secure]) {
        const r = await request(srv.url, path, { method });
        assert.equal(r.status, status);
        const csp = r.headers['content-security-policy'];
        assert.ok(csp, 'CSP present');
        const directives = Object.fromEntries(
          csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]),
        );
        assert.deepEqual(directives['script-src'], ["'self'"]);
        assert.ok(!directives['script-src'].includes("'unsafe-inline'"));
        assert.ok(!csp.includes("'unsafe-eval'"));
        assert.deepEqual(directives['frame-ancestors'], ["'none'"]);
        assert.deepEqual(directives['object-src'], ["'none'"]);
        assert.equal(r.headers['x-content-type-options'], 'nosniff');
        assert.equal(r.headers['referrer-policy'], 'strict-origin-when-cross-origin');
        assert.match(r.headers['permissions-policy'], /camera=\(\)/);
        assert.match(r.headers['permissions-policy'], /geolocation=\(\)/);
        if (status === 400) assert.equal(r.headers['content-type'], 'application/problem+json');
      }
    });
  }
});

describe('HSTS', () => {
  test('sent once on every response when the base URL is https', async () => {
    for (const [kind, method, path] of KINDS) {
      const r = await request(secure.url, path, { method });
      assert.equal(r.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', kind);
    }
    const head = await request(secure.url, '/jobs', { method: 'HEAD' });
    assert.equal(head.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  });

  test('never sent when the base URL is plain http', async () => {
    for (const [kind, method, path] of KINDS) {
      const r = await request(plain.url, path, { method });
      assert.equal(r.headers['strict-transport-security'], undefined, kind);
    }
  });
});

const varyList = (h) => (h.vary ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

describe('CORS', () => {
  test('an allowed origin is echoed on API responses, never "*", no credentials', async () => {
    for (const origin of [ALLOWED, ALSO_ALLOWED, 'https://third.example']) {
      for (const path of ['/api/v1/jobs/1', '/api/v1/jobs?q=nurse', '/api/v1/jobs/99999']) {
        const r = await request(plain.url, path, { headers: { origin } });
        assert.equal(r.headers['access-control-allow-origin'], origin, `${origin} ${path}`);
        assert.ok(varyList(r.headers).includes('origin'), path);
        assert.equal(r.headers['access-control-allow-credentials'], undefined);
        assert.match(r.headers['access-control-expose-headers'], /X-Request-Id/);
      }
    }
  });

  test('other origins get no CORS headers, but the answer still varies on Origin', async () => {
    const others = [
      'https://evil.example', 'https://app.example.org.evil.example', 'https://app.example.or',
      'http://app.example.org', 'HTTPS://APP.EXAMPLE.ORG', 'https://app.example.org:443', 'null',
      `${ALLOWED} ${ALSO_ALLOWED}`, '*',
    ];
    for (const origin of others) {
      const r = await request(plain.url, '/api/v1/jobs/1', { headers: { origin } });
      assert.equal(r.status, 200);
      assert.equal(r.headers['access-control-allow-origin'], undefined, origin);
      assert.ok(varyList(r.headers).includes('origin'), origin);
    }
  });

  test('no Origin: no CORS headers', async () => {
    const r = await request(plain.url, '/api/v1/jobs/1');
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.equal(r.headers['access-control-expose-headers'], undefined);
  });

  test('pages and feeds are not opened to other origins', async () => {
    for (const path of ['/jobs', '/jobs/1', '/jobs.rss', '/static/beacon.css']) {
      const r = await request(plain.url, path, { headers: { origin: ALLOWED } });
      assert.equal(r.status, 200);
      assert.equal(r.headers['access-control-allow-origin'], undefined, path);
      assert.ok(!varyList(r.headers).includes('origin'), path);
    }
  });

  test('without BEACON_CORS_ORIGINS nothing is allowed', async () => {
    const r = await request(secure.url, '/api/v1/jobs/1', { headers: { origin: ALLOWED } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.ok(!varyList(r.headers).includes('origin'));
  });

  const preflight = (srv, path, origin, extra = {}) =>
    request(srv.url, path, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
        ...extra,
      },
    });

  test('preflight from an allowed origin: 204 with methods, headers and max-age', async () => {
    for (const path of ['/api/v1/jobs', '/api/v1/jobs/1']) {
      const r = await preflight(plain, path, ALLOWED);
      assert.equal(r.status, 204, path);
      assert.equal(r.body.length, 0);
      assert.equal(r.headers['access-control-allow-origin'], ALLOWED);
      assert.ok(varyList(r.headers).includes('origin'));
      const methods = r.headers['access-control-allow-methods'].split(',').map((s) => s.trim());
      assert.ok(methods.includes('GET') && methods.includes('POST'));
      const headers = r.headers['access-control-allow-headers'].split(',').map((s) => s.trim().toLowerCase());
      assert.ok(headers.includes('authorization') && headers.includes('content-type'));
      assert.ok(Number(r.headers['access-control-max-age']) > 0);
      assert.equal(r.headers['access-control-allow-credentials'], undefined);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
  });

  test('preflight from another origin allows nothing', async () => {
    for (const [srv, origin] of [[plain, 'https://evil.example'], [secure, ALLOWED]]) {
      const r = await preflight(srv, '/api/v1/jobs', origin);
      assert.equal(r.status, 204);
      assert.equal(r.headers['access-control-allow-origin'], undefined);
      assert.equal(r.headers['access-control-allow-methods'], undefined);
      assert.equal(r.headers['access-control-allow-headers'], undefined);
    }
  });

  test('OPTIONS that is not a preflight, or not on the API, is still 405; unknown API paths 404', async () => {
    let r = await request(plain.url, '/api/v1/jobs', { method: 'OPTIONS' });
    assert.equal(r.status, 405);
    r = await preflight(plain, '/jobs', ALLOWED);
    assert.equal(r.status, 405);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    r = await preflight(plain, '/api/v1/nothing-here', ALLOWED);
    assert.equal(r.status, 404);
  });
});
