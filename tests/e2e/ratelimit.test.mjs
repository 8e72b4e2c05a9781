// The per-client request limit: 429 with Retry-After in the route's error
// format, health checks and static files exempt, one budget for all workers
// of a node (shared memory) and, with Redis, for several nodes; Redis going
// away never fails a request.
//
// Each test sends from its own loopback source address (127.0.0.x), so the
// budgets of different tests never mix. Limits count per minute, so a burst
// that must fit one minute waits first when the minute is about to end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe } from 'node:test';
import { FIXTURE, freePort, startServer, test } from './helpers.mjs';

const LIMIT = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wait until at least `need` seconds of the current minute remain. */
async function roomInMinute(need = 8) {
  const left = 60 - (Date.now() / 1000) % 60;
  if (left < need) await sleep(left * 1000 + 250);
}

/** GET on a fresh connection from a chosen source address: { status, headers, body }. */
function get(base, path, from, headers = {}) {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, headers, agent: false, localAddress: from, timeout: 10000 },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', fail);
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer`)));
    req.end();
  });
}

function assertLimited(r) {
  assert.equal(r.status, 429);
  const wait = Number(r.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${r.headers['retry-after']}`);
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  return wait;
}

/** Access-log lines (needs BEACON_LOG_LEVEL=info) for a path and client address. */
function served(srv, path, ip) {
  return srv
    .log()
    .split('\n')
    .filter((l) => l.includes('"msg":"request"'))
    .map((l) => JSON.parse(l))
    .filter((j) => j.path === path && j.ip === ip);
}

describe('one node', () => {
  let srv, killed;
  before(async () => {
    srv = await startServer({
      fixture: FIXTURE,
      env: { BEACON_RATE_LIMIT_MINUTE: String(LIMIT), BEACON_WORKERS: '2', BEACON_LOG_LEVEL: 'info' },
    });
  });
  after(async () => {
    if (!srv) return;
    // Kore writes its own log lines on the way out: read the log after the
    // server has exited, since stop() would report the restart below as a defect.
    if (srv.proc.exitCode === null) {
      const done = new Promise((ok) => srv.proc.once('exit', ok));
      srv.proc.kill('SIGTERM');
      await done;
    }
    const log = srv.log();
    await srv.stop().catch(() => {});
    // The worker killed on purpose is restarted by Kore once; nothing else may show.
    const defects = log.split('\n').filter((l) => /AddressSanitizer|runtime error:|sandbox violation|seccomp violation/.test(l));
    assert.deepEqual(defects, []);
    // (Lines the parent had buffered at a fork can appear twice in the log.)
    const gone = new Set([...log.matchAll(/\((\d+)\) exited with status/g)].map((m) => m[1]));
    assert.deepEqual([...gone], [String(killed)]);
  });

  test('API: the 6th request in a minute is 429 problem+json with Retry-After', async () => {
    await roomInMinute();
    for (let i = 1; i <= LIMIT; i++) {
      const r = await get(srv.url, '/api/v1/jobs/1', '127.0.0.11');
      assert.equal(r.status, 200, `request ${i}`);
    }
    const r = await get(srv.url, '/api/v1/jobs/1', '127.0.0.11');
    const wait = assertLimited(r);
    assert.equal(r.headers['content-type'], 'application/problem+json');
    const p = JSON.parse(r.body);
    assert.equal(p.status, 429);
    assert.equal(p.code, 'rate_limited');
    assert.equal(p.instance, '/api/v1/jobs/1');
    assert.ok(p.detail.includes(String(wait)));
    // The window is the minute: Retry-After points at its end.
    const left = Math.ceil(60 - (Date.now() / 1000) % 60);
    assert.ok(Math.abs(wait - left) <= 2, `Retry-After ${wait}, ${left} s left in the minute`);
    // Other clients are not affected.
    assert.equal((await get(srv.url, '/api/v1/jobs/1', '127.0.0.12')).status, 200);
  });

  test('pages: the 6th request is 429 as an HTML error page', async () => {
    await roomInMinute();
    for (let i = 1; i <= LIMIT; i++) assert.equal((await get(srv.url, '/jobs', '127.0.0.13')).status, 200);
    const r = await get(srv.url, '/jobs/1', '127.0.0.13');
    assertLimited(r);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(r.body, /^<!doctype html>/);
    assert.match(r.body, /<h1 id="err-title">/);
    assert.match(r.body, /Too many requests/);
    // An HTMX request gets the fragment.
    const frag = await get(srv.url, '/jobs', '127.0.0.13', { 'hx-request': 'true' });
    assertLimited(frag);
    assert.doesNotMatch(frag.body, /<!doctype html>/);
    assert.match(frag.body, /<section class="error"/);
  });

  test('health checks and static files are neither counted nor limited', async () => {
    await roomInMinute();
    const from = '127.0.0.14';
    for (let i = 0; i < 3 * LIMIT; i++) {
      for (const path of ['/healthz', '/readyz', '/static/beacon.css', '/static/vendor/htmx.min.js']) {
        assert.equal((await get(srv.url, path, from)).status, 200, path);
      }
    }
    for (let i = 1; i <= LIMIT; i++) assert.equal((await get(srv.url, '/api/v1/jobs/2', from)).status, 200);
    assertLimited(await get(srv.url, '/api/v1/jobs/2', from));
    // Even when the client is over its limit.
    assert.equal((await get(srv.url, '/healthz', from)).status, 200);
    assert.equal((await get(srv.url, '/static/beacon.css', from)).status, 200);
  });

  test('the budget is shared by the workers, and outlives a worker', async () => {
    await roomInMinute(15);
    const from = '127.0.0.15';
    // Kore keeps its accept lock on one worker while it is not busy, so fresh
    // connections alone all land on one worker. Killing that worker hands the
    // lock to another process (the other worker or the replacement), whose
    // private memory has never seen this client.
    for (let i = 0; i < 3; i++) assert.equal((await get(srv.url, '/api/v1/jobs/3', from)).status, 200);
    const first = served(srv, '/api/v1/jobs/3', from);
    assert.equal(first.length, 3);
    const pid = first[0].pid;
    assert.ok(first.every((j) => j.pid === pid));
    killed = pid;
    process.kill(pid, 'SIGKILL');
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      let r;
      for (let tries = 0; ; tries++) {
        try {
          r = await get(srv.url, '/api/v1/jobs/3', from);
          break;
        } catch (e) {
          if (tries > 50) throw e;
          await sleep(100);
        }
      }
      statuses.push(r.status);
    }
    const later = served(srv, '/api/v1/jobs/3', from).slice(3);
    assert.equal(later.length, 3);
    assert.ok(later.every((j) => j.pid !== pid), 'answered by another process');
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});

/** Start a throwaway Redis on a free loopback port. */
async function startRedis(port) {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((ok) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        ok(true);
      });
      s.on('error', () => ok(false));
    });
    if (up) return proc;
    if (proc.exitCode !== null) break;
    await sleep(50);
  }
  proc.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

async function stopRedis(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((ok) => proc.once('exit', ok));
  proc.kill('SIGTERM');
  await done;
}

describe('several nodes with Redis', () => {
  let redisPort, redis, a, b;
  before(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    const env = {
      BEACON_RATE_LIMIT_MINUTE: String(LIMIT),
      BEACON_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      BEACON_WORKERS: '2',
    };
    [a, b] = await Promise.all([startServer({ fixture: FIXTURE, env }), startServer({ fixture: FIXTURE, env })]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    if (redis) await stopRedis(redis);
  });

  test('two servers sharing one Redis share the budget', async () => {
    await roomInMinute();
    const from = '127.0.0.21';
    for (let i = 0; i < 3; i++) assert.equal((await get(a.url, '/api/v1/jobs/1', from)).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await get(b.url, '/jobs/1', from)).status, 200);
    assertLimited(await get(b.url, '/api/v1/jobs/1', from));
    assertLimited(await get(a.url, '/jobs', from));
    // Neither server alone has seen more than three requests: without Redis both would say 200.
    assert.equal((await get(a.url, '/api/v1/jobs/1', '127.0.0.22')).status, 200);
  });

  test('Redis stopped: requests are still served, each node limits on its own', async () => {
    await stopRedis(redis);
    await roomInMinute();
    const from = '127.0.0.23';
    const started = Date.now();
    for (let i = 1; i <= LIMIT; i++) {
      const r = await get(a.url, '/api/v1/jobs/1', from);
      assert.equal(r.status, 200, `request ${i}`);
    }
    assertLimited(await get(a.url, '/api/v1/jobs/1', from));
    // Node b has not seen this client.
    for (let i = 1; i <= 2; i++) assert.equal((await get(b.url, '/jobs', from)).status, 200);
    assert.ok(Date.now() - started < 5000, 'no request waited long on the missing Redis');
    // One warning per node, not one per request.
    for (const srv of [a, b]) {
      const warnings = srv.log().split('\n').filter((l) => l.includes('Redis unreachable'));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.equal(JSON.parse(warnings[0]).level, 'warn');
    }
  });

  test('Redis back: the nodes share the budget again', async () => {
    redis = await startRedis(redisPort);
    await sleep(2500); // each worker waits 2 s before trying Redis again
    await roomInMinute();
    const from = '127.0.0.24';
    // Each worker reconnects on its next request; these also count.
    for (let i = 0; i < 3; i++) assert.equal((await get(a.url, '/api/v1/jobs/2', from)).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await get(b.url, '/api/v1/jobs/2', from)).status, 200);
    assertLimited(await get(b.url, '/api/v1/jobs/2', from));
  });
});
