// Operations: health and readiness, request ids, security headers,
// compression, ETags and 304s, static asset caching, HEAD, configuration
// errors, BEACON_* settings that change behaviour, graceful shutdown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe } from 'node:test';
import {
  FIXTURE, SECURITY_HEADERS, VARY, beaconctl, childPids, fixtureJobs, getJson, rawRequest, request, startServer, test,
} from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ fixture: FIXTURE });
});
after(async () => {
  await srv?.stop();
});

const get = (path, headers = {}, method = 'GET') => request(srv.url, path, { method, headers });

describe('health and readiness', () => {
  test('/healthz', async () => {
    const r = await get('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers.etag, undefined);
    assert.deepEqual(JSON.parse(r.body), { status: 'ok' });
    const again = await get('/healthz', { 'if-none-match': '*' });
    assert.equal(again.status, 200, 'never a 304');
  });

  test('/readyz: database reachable, schema current', async () => {
    const { status, headers, body } = await getJson(`${srv.url}/readyz`);
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'application/json');
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.equal(body.status, 'ready');
    assert.equal(body.database, 'ok');
    assert.ok(Number.isInteger(body.schema_version) && body.schema_version >= 1);
    assert.equal(body.schema_version, body.schema_expected);
  });

  test('HEAD /healthz', async () => {
    const r = await get('/healthz', {}, 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 0);
  });
});

describe('request ids', () => {
  test('every response has a unique 16-hex X-Request-Id', async () => {
    const paths = ['/healthz', '/jobs', '/api/v1/jobs', '/nope', '/api/v1/jobs/999', '/static/beacon.css'];
    const ids = await Promise.all(
      Array.from({ length: 120 }, (_, i) => get(paths[i % paths.length]).then((r) => r.headers['x-request-id'])),
    );
    for (const id of ids) assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('error pages and problems quote the request id', async () => {
    let r = await get('/nope');
    assert.ok(r.body.toString().includes(`<code>${r.headers['x-request-id']}</code>`));
    r = await get('/api/v1/jobs/999');
    assert.equal(JSON.parse(r.body).request_id, r.headers['x-request-id']);
  });
});

describe('security headers', () => {
  const cases = [
    ['GET', '/', 200], ['GET', '/jobs', 200], ['GET', '/jobs/1', 200], ['GET', '/help', 200],
    ['GET', '/api/v1/jobs', 200], ['GET', '/api/v1/jobs/1', 200], ['GET', '/jobs.rss', 200],
    ['GET', '/feeds/indeed.xml', 200], ['GET', '/healthz', 200], ['GET', '/readyz', 200],
    ['GET', '/static/beacon.css', 200], ['GET', '/static/vendor/htmx.min.js', 200],
    ['GET', '/nope', 404], ['GET', '/api/v1/jobs/999', 404], ['GET', '/api/v1/jobs?page=0', 400],
    ['GET', '/jobs?type=x', 400], ['POST', '/jobs', 405], ['DELETE', '/api/v1/jobs/1', 405],
    ['HEAD', '/jobs', 200], ['GET', '/static/missing.css', 404],
  ];
  for (const [method, path, status] of cases) {
    test(`${method} ${path}`, async () => {
      const r = await request(srv.url, path, { method, headers: method === 'POST' ? { 'content-length': 0 } : {} });
      assert.equal(r.status, status);
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) assert.equal(r.headers[k], v, k);
      assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
      assert.match(r.headers['x-request-id'], /^[0-9a-f]{16}$/);
    });
  }

  test('304 responses carry them too', async () => {
    const first = await get('/jobs/1');
    const r = await get('/jobs/1', { 'if-none-match': first.headers.etag });
    assert.equal(r.status, 304);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) assert.equal(r.headers[k], v, k);
    assert.match(r.headers['x-request-id'], /^[0-9a-f]{16}$/);
  });
});

describe('compression', () => {
  test('pages, API and feeds over 1 KiB are gzipped when asked, identical after gunzip', async () => {
    for (const path of ['/', '/jobs', '/jobs/1', '/api/v1/jobs', '/jobs.rss', '/static/beacon.css', '/static/vendor/htmx.min.js']) {
      const plain = await get(path);
      const gz = await get(path, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(plain.headers['content-encoding'], undefined, path);
      assert.equal(gz.headers['content-encoding'], 'gzip', path);
      assert.ok(gz.body.length < plain.body.length, path);
      assert.equal(Number(gz.headers['content-length']), gz.body.length, path);
      assert.deepEqual(gunzipSync(gz.body), plain.body, path);
      assert.equal(gz.headers.vary, VARY, path);
      assert.equal(gz.headers['content-type'], plain.headers['content-type'], path);
    }
  });

  test('small bodies are sent as they are', async () => {
    for (const path of ['/healthz', '/readyz', '/api/v1/jobs/999']) {
      const r = await get(path, { 'accept-encoding': 'gzip' });
      assert.equal(r.headers['content-encoding'], undefined, path);
      assert.ok(r.body.length < 1024);
      JSON.parse(r.body);
    }
  });

  test('no gzip unless the client accepts it', async () => {
    for (const ae of ['identity', 'br', 'deflate', '']) {
      const r = await get('/jobs', ae ? { 'accept-encoding': ae } : {});
      assert.equal(r.headers['content-encoding'], undefined, ae);
      assert.match(r.body.toString(), /^<!doctype html>/);
    }
  });

  test('gzip;q=0 means "not gzip"', async () => {
    const r = await get('/jobs', { 'accept-encoding': 'gzip;q=0, identity' });
    assert.equal(r.headers['content-encoding'], undefined);
  });
});

describe('ETag and 304', () => {
  for (const path of ['/jobs/1', '/api/v1/jobs/1', '/jobs?q=nurse', '/api/v1/jobs?type=INTERN', '/', '/static/beacon.css']) {
    test(`${path}: strong ETag, 304 on If-None-Match`, async () => {
      const first = await get(path);
      assert.equal(first.status, 200);
      const tag = first.headers.etag;
      assert.match(tag, /^"[0-9a-f]{16}"$/);
      const second = await get(path);
      assert.equal(second.headers.etag, tag, 'stable');
      for (const inm of [tag, `W/${tag}`, `"0000000000000000", ${tag}`, '*']) {
        const r = await get(path, { 'if-none-match': inm });
        assert.equal(r.status, 304, inm);
        assert.equal(r.body.length, 0);
        assert.equal(r.headers.etag, tag);
      }
      const miss = await get(path, { 'if-none-match': '"0000000000000000"' });
      assert.equal(miss.status, 200);
      assert.deepEqual(miss.body, first.body);
    });
  }

  test('different representations have different ETags', async () => {
    const a = await get('/jobs/1');
    const b = await get('/jobs/2');
    const c = await get('/jobs', { 'hx-request': 'true' });
    const d = await get('/jobs');
    assert.notEqual(a.headers.etag, b.headers.etag);
    assert.notEqual(c.headers.etag, d.headers.etag);
  });

  test('errors carry no ETag and never answer 304', async () => {
    for (const path of ['/nope', '/api/v1/jobs/999', '/api/v1/jobs?page=0']) {
      const r = await get(path, { 'if-none-match': '*' });
      assert.ok(r.status >= 400, path);
      assert.equal(r.headers.etag, undefined, path);
    }
  });

  test('a changed job gets a new ETag, so a revalidation sees the change', async () => {
    const before1 = await get('/jobs/3');
    const jobs = fixtureJobs();
    jobs[2].title = 'Welding Inspector (renamed)';
    const file = join(srv.dir, 'rename.jsonl');
    writeFileSync(file, JSON.stringify(jobs[2]) + '\n');
    const r = beaconctl(srv.env, ['import-jobs', file]);
    assert.equal(r.status, 0, r.stderr);
    const reval = await get('/jobs/3', { 'if-none-match': before1.headers.etag });
    assert.equal(reval.status, 200);
    assert.notEqual(reval.headers.etag, before1.headers.etag);
    assert.match(reval.body.toString(), /<h1>Welding Inspector \(renamed\)<\/h1>/);
  });
});

describe('static assets', () => {
  let refs;
  before(async () => {
    const html = (await get('/')).body.toString();
    refs = [...html.matchAll(/(?:href|src)="(\/static\/[^"?]+)\?v=([0-9a-f]+)"/g)].map((m) => ({ path: m[1], v: m[2] }));
  });

  test('pages reference fingerprinted URLs for all four assets', () => {
    assert.deepEqual(refs.map((r) => r.path).sort(), [
      '/static/beacon.css', '/static/beacon.js', '/static/favicon.svg', '/static/vendor/htmx.min.js',
    ]);
    for (const r of refs) assert.match(r.v, /^[0-9a-f]{12}$/);
  });

  test('fingerprinted URLs are immutable; bare URLs revalidate', async () => {
    const types = {
      '/static/beacon.css': 'text/css; charset=utf-8',
      '/static/beacon.js': 'text/javascript; charset=utf-8',
      '/static/vendor/htmx.min.js': 'text/javascript; charset=utf-8',
      '/static/favicon.svg': 'image/svg+xml',
    };
    for (const { path, v } of refs) {
      const pinned = await get(`${path}?v=${v}`);
      assert.equal(pinned.status, 200, path);
      assert.equal(pinned.headers['cache-control'], 'public, max-age=31536000, immutable', path);
      assert.equal(pinned.headers['content-type'], types[path], path);
      assert.equal(pinned.headers.etag.slice(1, 13), v, 'the fingerprint is the content hash');
      const bare = await get(path);
      assert.equal(bare.headers['cache-control'], 'no-cache', path);
      assert.deepEqual(bare.body, pinned.body);
      const file = join(srv.env.BEACON_STATIC_DIR, path.replace('/static/', ''));
      assert.deepEqual(bare.body, readFileSync(file), `${path} is the file on disk`);
    }
  });

  test('unknown assets are 404', async () => {
    for (const path of ['/static/nope.css', '/static/vendor/nope.js', '/static/beacon.css.map', '/static/vendor/beacon.css']) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
    }
  });
});

describe('HEAD', () => {
  for (const path of ['/', '/jobs', '/jobs/1', '/help', '/api/v1/jobs', '/api/v1/jobs/1', '/jobs.rss', '/feeds/indeed.xml', '/static/beacon.css', '/readyz']) {
    test(`HEAD ${path}: same status and type as GET, no body`, async () => {
      const g = await get(path);
      const h = await get(path, {}, 'HEAD');
      assert.equal(h.status, g.status);
      assert.equal(h.headers['content-type'], g.headers['content-type']);
      assert.equal(h.headers['cache-control'], g.headers['cache-control']);
      assert.equal(h.body.length, 0);
    });
  }
});

describe('configuration', () => {
  const base = { BEACON_DATABASE_URL: 'sqlite:/tmp/beacon-config-check.db', BEACON_VAR_DIR: '/tmp', BEACON_LOG_LEVEL: 'warn' };
  const bad = [
    ['BEACON_PORT', 'abc'], ['BEACON_PORT', '0'], ['BEACON_PORT', '65536'], ['BEACON_PORT', '80 '],
    ['BEACON_LISTEN_ADDR', 'localhost'], ['BEACON_LISTEN_ADDR', '999.1.1.1'],
    ['BEACON_LOG_LEVEL', 'loud'], ['BEACON_WORKERS', '0'], ['BEACON_WORKERS', '257'], ['BEACON_WORKERS', 'many'],
    ['BEACON_BODY_MAX', '10'], ['BEACON_BODY_MAX', '1e6'], ['BEACON_DEMO_DATA', 'maybe'],
    ['BEACON_DATABASE_URL', 'mysql://x/y'], ['BEACON_DATABASE_URL', 'sqlite:'], ['BEACON_DATABASE_URL', 'postgres://a b@h/db'],
    ['BEACON_BASE_URL', 'ftp://x'], ['BEACON_BASE_URL', 'http://x/"><script>'], ['BEACON_BASE_URL', 'javascript:alert(1)'],
    ['BEACON_VAR_DIR', 'a\nb'],
  ];
  for (const [name, value] of bad) {
    test(`${name}=${JSON.stringify(value)}: one line naming the variable, exit 1`, () => {
      const r = beaconctl({ ...base, [name]: value }, ['check-config']);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0].startsWith(`beaconctl: ${name}: `), lines[0]);
    });
  }

  test('the offending value is shown without control characters', () => {
    const r = beaconctl({ ...base, BEACON_PORT: '\x1b[31mred' }, ['check-config']);
    assert.equal(r.status, 1);
    assert.ok(!r.stderr.includes('\x1b'));
    assert.match(r.stderr, /^beaconctl: BEACON_PORT: .*\?\[31mred/);
  });

  test('serve refuses to start with a bad setting', () => {
    const r = beaconctl({ ...base, BEACON_PORT: 'abc' }, ['serve']);
    assert.equal(r.status, 1);
    assert.match(r.stderr.trim(), /^beaconctl: BEACON_PORT: [^\n]+$/);
  });

  test('a valid configuration passes', () => {
    const r = beaconctl({ ...base, BEACON_PORT: '8088', BEACON_WORKERS: '4' }, ['check-config']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^configuration is valid; database sqlite:\/tmp\/beacon-config-check\.db$/m);
    assert.ok(!existsSync('/tmp/beacon-config-check.db'), 'check-config does not create the database');
  });
});

function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('settings that change behaviour, and shutdown', () => {
  let other;
  before(async () => {
    other = await startServer({
      fixture: FIXTURE,
      env: { BEACON_BODY_MAX: '2048', BEACON_BASE_URL: 'https://jobs.example/', BEACON_WORKERS: '2' },
    });
  });
  after(async () => {
    if (other?.proc.exitCode === null) await other.stop();
  });

  test('BEACON_BODY_MAX limits request bodies', async () => {
    let r = await rawRequest(other.port, 'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n');
    assert.equal(r.status, 413);
    r = await request(other.url, '/jobs', { method: 'POST', headers: { 'content-length': 1500 }, body: 'x'.repeat(1500) });
    assert.equal(r.status, 405);
  });

  test('BEACON_BASE_URL is used for absolute links (trailing slash dropped)', async () => {
    const { body } = await getJson(`${other.url}/api/v1/jobs?per_page=1`);
    assert.equal(body.data[0].url, `https://jobs.example/jobs/${body.data[0].id}`);
    assert.equal(body.links.self, 'https://jobs.example/api/v1/jobs?per_page=1');
    const html = await (await fetch(`${other.url}/jobs/1`)).text();
    assert.match(html, /<link rel="canonical" href="https:\/\/jobs\.example\/jobs\/1">/);
    const rss = await (await fetch(`${other.url}/jobs.rss`)).text();
    assert.ok(rss.includes('<link>https://jobs.example/jobs/'));
  });

  test('SIGTERM: exit code 0 within seconds, every worker gone', async () => {
    const workers = childPids(other.proc.pid);
    assert.equal(workers.length, 2, 'two workers (BEACON_WORKERS=2)');
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${other.url}/jobs`).then((r) => r.text())));
    const t0 = Date.now();
    const code = await other.stop();
    const ms = Date.now() - t0;
    assert.equal(code, 0);
    assert.ok(ms < 5000, `stopped in ${ms} ms`);
    const until = Date.now() + 3000;
    while (workers.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(workers.filter(alive), [], 'no worker outlives the server');
    await assert.rejects(fetch(`${other.url}/healthz`));
  });
});

// Only meaningful with a database server to lose; on SQLite there is no connection.
if (process.env.BEACON_TEST_PG) {
  describe('PostgreSQL connection loss', () => {
    let s;
    before(async () => {
      // One worker, so one request is enough to make it notice a dropped connection.
      s = await startServer({ fixture: FIXTURE, env: { BEACON_WORKERS: '1' } });
    });
    after(async () => {
      await s?.stop();
    });
    const psql = (sql) => {
      const r = spawnSync('psql', [process.env.BEACON_TEST_PG, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    const dbName = () => new URL(s.env.BEACON_DATABASE_URL).pathname.slice(1);
    const kick = () =>
      psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName()}' AND pid <> pg_backend_pid()`);
    const get = (path) => fetch(s.url + path, { signal: AbortSignal.timeout(5000) });

    test('the request that meets a dropped connection still succeeds', async () => {
      // Connections are lost long after start-up in real life: let a few seconds pass.
      await new Promise((r) => setTimeout(r, 2100));
      kick();
      const r = await get('/api/v1/jobs?per_page=1');
      assert.equal(r.status, 200);
    });

    test('after a dropped connection the worker reconnects and serves again', async () => {
      kick();
      await get('/api/v1/jobs?per_page=1').catch(() => null); // may meet the dead connection
      for (let i = 0; i < 6; i++) assert.equal((await get('/api/v1/jobs?per_page=1')).status, 200);
      assert.equal((await get('/readyz')).status, 200);
      assert.doesNotMatch(s.log(), /sandbox violation|restarting worker/);
    });

    test('while the database is unreachable: 503; service resumes when it is back', async () => {
      const name = dbName();
      kick();
      psql(`ALTER DATABASE ${name} RENAME TO ${name}_gone`);
      try {
        await get('/api/v1/jobs').catch(() => null); // may meet the dead connection
        const api = await get('/api/v1/jobs');
        assert.equal(api.status, 503);
        assert.equal(api.headers.get('content-type'), 'application/problem+json');
        assert.equal((await api.json()).code, 'unavailable');
        const page = await get('/jobs');
        assert.equal(page.status, 503);
        assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
        const ready = await get('/readyz');
        assert.equal(ready.status, 503);
        assert.deepEqual(await ready.json(), { status: 'unready', database: 'unreachable', schema_version: -1, schema_expected: -1 });
        assert.equal((await get('/healthz')).status, 200);
      } finally {
        psql(`ALTER DATABASE ${name}_gone RENAME TO ${name}`);
      }
      for (let i = 0; i < 4; i++) assert.equal((await get('/api/v1/jobs?per_page=1')).status, 200);
      assert.equal((await get('/readyz')).status, 200);
    });
  });
}
