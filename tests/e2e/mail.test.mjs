// Email through the background queue: a queued message reaches an SMTP
// server (tests/lib/smtp-sink.mjs) with proper headers, a 451 is retried and
// then delivered, and without BEACON_SMTP_URL the message becomes a whole
// .eml file under the server's var folder. Messages are queued with
// `beaconctl send-test-mail`, which goes through the same outbox and task
// queue as every other mail.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { startSmtpSink } from '../lib/smtp-sink.mjs';
import { beaconctl, startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

/** Run SQL on the server's database with the command-line client; returns trimmed output. */
const sql = (server, query) => dbQuery(server, query);

/** Queue a test message to address; returns the outbox id. */
function sendTestMail(srv, address) {
  const r = beaconctl(srv.env, ['send-test-mail', address]);
  assert.equal(r.status, 0, r.stderr);
  const m = /queued test message (\d+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  return Number(m[1]);
}

/** Poll fn until it returns a truthy value or ms pass. */
async function eventually(fn, ms = 10000, what = 'condition') {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const FROM = 'jobs@beacon.test';

describe('email by SMTP', () => {
  let sink;
  let srv;
  before(async () => {
    sink = await startSmtpSink();
    srv = await startServer({ env: { BEACON_SMTP_URL: sink.url, BEACON_SMTP_FROM: FROM } });
  });
  after(async () => {
    await srv?.stop();
    await sink?.close();
  });

  test('a queued message arrives with proper headers and is marked sent', async () => {
    const id = sendTestMail(srv, 'operator@example.com');
    const msg = await sink.waitFor((m) => m.to.includes('operator@example.com'), 15000);
    assert.equal(msg.from, FROM);
    assert.deepEqual(msg.to, ['operator@example.com']);
    assert.equal(msg.headers.from, FROM);
    assert.equal(msg.headers.to, 'operator@example.com');
    assert.equal(msg.subject, 'Beacon test message');
    assert.match(msg.headers.date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/);
    assert.match(msg.headers['message-id'], new RegExp(`^<beacon\\.${id}\\.\\d{8}T\\d{6}Z@beacon\\.test>$`));
    assert.equal(msg.headers['mime-version'], '1.0');
    assert.equal(msg.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.match(msg.text, /If you can read it, outgoing email works\./);
    assert.match(msg.text, /for operator@example\.com\./);
    assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(msg.data), 'CRLF line ends only');
    await eventually(() => sql(srv, `SELECT sent_at FROM outbox WHERE id = ${id}`), 5000, 'sent_at');
    const task = await eventually(
      () => sql(srv, `SELECT status || ' ' || attempts FROM tasks WHERE kind = 'email' AND payload = '${id}' AND status = 'done'`),
      5000, 'task done');
    assert.equal(task, 'done 1');
  });

  test('a 451 is retried and the message then delivered once', async () => {
    sink.failNext(1);
    const refusedBefore = sink.failures;
    const id = sendTestMail(srv, 'retry@example.com');
    // The first attempt is refused; the task goes back to the queue with the reply kept.
    const err = await eventually(
      () => sql(srv, `SELECT last_error FROM tasks WHERE payload = '${id}' AND status = 'pending' AND attempts = 1 AND last_error IS NOT NULL`),
      15000, 'the failed first attempt');
    assert.match(err, /451/);
    assert.equal(sink.failures, refusedBefore + 1);
    const runAt = sql(srv, `SELECT run_at FROM tasks WHERE payload = '${id}'`);
    const wait = (Date.parse(runAt) - Date.now()) / 1000;
    assert.ok(wait > 20 && wait <= 39, `first retry 30-37.5 s later (${wait} s)`);
    assert.equal(sql(srv, `SELECT COUNT(*) FROM outbox WHERE id = ${id} AND sent_at IS NULL`), '1');
    // Let the backoff pass instead of waiting for it.
    sql(srv, `UPDATE tasks SET run_at = '2000-01-01T00:00:00Z' WHERE payload = '${id}' AND status = 'pending'`);
    const msg = await sink.waitFor((m) => m.to.includes('retry@example.com'), 15000);
    assert.equal(msg.subject, 'Beacon test message');
    await eventually(
      () => sql(srv, `SELECT status FROM tasks WHERE payload = '${id}' AND status = 'done' AND attempts = 2`),
      5000, 'task done after two attempts');
    assert.equal(sink.messages.filter((m) => m.to.includes('retry@example.com')).length, 1);
    assert.ok(!/operator|retry@/.test(srv.log().replace(/"path":"[^"]*"/g, '')), 'no addresses in the log');
  });

  test('an address that is not one plain address is refused before anything is queued', () => {
    for (const bad of ['a@example.com\r\nBcc: x@evil.test', 'Name <a@example.com>', 'a@example.com,b@example.com']) {
      const r = beaconctl(srv.env, ['send-test-mail', bad]);
      assert.equal(r.status, 2, r.stderr);
    }
    assert.equal(sql(srv, `SELECT COUNT(*) FROM outbox WHERE to_addr LIKE '%evil%' OR to_addr LIKE '%<%'`), '0');
  });
});

describe('email with SMTP authentication', () => {
  const PASSWORD = 'correct horse battery staple';
  let sink;
  let srv;
  before(async () => {
    sink = await startSmtpSink({ auth: { user: 'beacon', pass: PASSWORD } });
    srv = await startServer({ env: { BEACON_SMTP_URL: `smtp://beacon@127.0.0.1:${sink.port}` } });
  });
  after(async () => {
    await srv?.stop();
    await sink?.close();
  });

  test('a password in BEACON_SMTP_URL stops start-up without echoing it', () => {
    const r = beaconctl({ ...srv.env, BEACON_SMTP_URL: `smtp://beacon:${encodeURIComponent(PASSWORD)}@127.0.0.1:${sink.port}` },
      ['send-test-mail', 'x@example.com']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^beaconctl: BEACON_SMTP_URL: .*secrets file/);
    assert.ok(!r.stderr.includes('horse'), 'the password is not repeated');
  });

  test('the user comes from the URL and the password from the secrets file', async () => {
    // The server made its secrets file at first start; add the SMTP password and restart.
    const secrets = join(srv.dir, 'secrets');
    appendFileSync(secrets, `smtp_password = ${PASSWORD}\n`);
    await srv.restart();
    const id = sendTestMail(srv, 'authed@example.com');
    const msg = await sink.waitFor((m) => m.to.includes('authed@example.com'), 15000);
    assert.equal(msg.subject, 'Beacon test message');
    assert.deepEqual(sink.logins, ['beacon']);
    assert.equal(sink.badLogins, 0);
    await eventually(() => sql(srv, `SELECT sent_at FROM outbox WHERE id = ${id}`), 5000, 'sent_at');
    assert.ok(!srv.log().includes('horse'), 'the password never reaches the log');
  });
});

describe('email to an SMTP host name', () => {
  let srv;
  before(async () => {
    // Nothing answers for .invalid (RFC 2606), so this only exercises name
    // resolution: libcurl resolves in a thread, inside the worker sandbox.
    srv = await startServer({ env: { BEACON_SMTP_URL: 'smtp://beacon-mail-test.invalid:2525' } });
  });
  after(async () => {
    await srv?.stop(); // fails on a sandbox violation or a restarted worker
  });

  test('a failed lookup is a retry with the reason kept, and the worker lives on', async () => {
    const id = sendTestMail(srv, 'ops@example.com');
    const err = await eventually(
      () => sql(srv, `SELECT last_error FROM tasks WHERE payload = '${id}' AND status = 'pending' AND last_error IS NOT NULL`),
      20000, 'the failed attempt');
    assert.match(err, /^smtp: .*\(curl (6|28), reply 0\)$/);
    assert.equal((await fetch(srv.url + '/healthz')).status, 200);
  });
});

describe('a mail server that never answers', () => {
  let silent;
  let connected;
  let srv;
  before(async () => {
    // Accepts and stays silent: the sending worker waits for the greeting until libcurl gives up.
    connected = new Promise((ok) => {
      silent = createServer((sock) => {
        sock.on('error', () => {});
        ok();
      });
    });
    await new Promise((ok) => silent.listen(0, '127.0.0.1', ok));
    srv = await startServer({ env: { BEACON_SMTP_URL: `smtp://127.0.0.1:${silent.address().port}` } });
  });
  after(async () => {
    await srv?.stop();
    silent?.close();
  });

  test('new connections are served by the other worker meanwhile', async () => {
    sendTestMail(srv, 'slow@example.com');
    await connected; // one worker is now blocked in the SMTP exchange
    const slowest = [];
    const fresh = new http.Agent({ keepAlive: false }); // each request on a new connection
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const status = await new Promise((ok, fail) => {
        http.get(srv.url + '/healthz', { agent: fresh }, (r) => {
          r.resume();
          r.on('end', () => ok(r.statusCode));
        }).on('error', fail);
      });
      assert.equal(status, 200);
      slowest.push(performance.now() - t0);
    }
    // Without handing Kore's accept lock over, the first of these waited about 10 s.
    assert.ok(Math.max(...slowest) < 2000, `slowest request ${Math.max(...slowest).toFixed(0)} ms`);
  });
});

describe('email without SMTP', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { BEACON_LOG_LEVEL: 'info' } });
  });
  after(async () => {
    await srv?.stop();
  });

  test('the message becomes a whole .eml file under var/mail and the log names it', async () => {
    const id = sendTestMail(srv, 'dev@example.com');
    const dir = join(srv.dir, 'mail');
    const name = await eventually(
      () => existsSync(dir) && readdirSync(dir).find((f) => f.endsWith(`-${id}.eml`)),
      15000, 'the .eml file');
    assert.match(name, /^\d{8}T\d{6}Z-\d+\.eml$/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temporary files');
    const text = readFileSync(join(dir, name), 'utf8');
    assert.match(text, /^Date: /m);
    assert.match(text, /^To: dev@example\.com\r$/m);
    assert.match(text, /^Subject: Beacon test message\r$/m);
    assert.match(text, /\r\n\r\nThis is a test message from Beacon/);
    await eventually(() => sql(srv, `SELECT sent_at FROM outbox WHERE id = ${id}`), 5000, 'sent_at');
    const line = await eventually(
      () => srv.log().split('\n').find((l) => l.includes('"mail written to a file') && l.includes(name)),
      5000, 'the log line');
    const entry = JSON.parse(line);
    assert.equal(entry.level, 'info');
    assert.equal(entry.path, join(dir, name));
    assert.equal(entry.outbox, id);
  });
});
