// Behind a reverse proxy: X-Forwarded-For counts only when the connection
// comes from an address in BEACON_TRUSTED_PROXIES, and then only the hops
// our proxies added (read from the right), so clients cannot pick their
// address; per-client limits follow the real client.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { startServer, test } from './helpers.mjs';

const xff = (srv, value) =>
  fetch(srv.url + '/api/v1/jobs?per_page=1', { headers: value ? { 'x-forwarded-for': value } : {} });

describe('trusted proxy', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      env: { BEACON_TRUSTED_PROXIES: '10.9.8.7, 127.0.0.1', BEACON_RATE_LIMIT_MINUTE: '3', BEACON_LOG_LEVEL: 'info' },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  test('the client is the right-most address our proxies did not add', async () => {
    // A client claims 1.2.3.4; the proxy appends the real 198.51.100.20.
    assert.equal((await xff(srv, '1.2.3.4, 198.51.100.20')).status, 200);
    await new Promise((r) => setTimeout(r, 300));
    const lines = srv.log().split('\n').filter((l) => l.includes('"request"'));
    assert.match(lines.at(-1), /"ip":"198\.51\.100\.20"/);
    // Another trusted hop in between is skipped.
    assert.equal((await xff(srv, '198.51.100.21, 10.9.8.7')).status, 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.match(srv.log().split('\n').filter((l) => l.includes('"request"')).at(-1), /"ip":"198\.51\.100\.21"/);
  });

  test('limits count per forwarded client, not per proxy', async () => {
    const a = [];
    for (let i = 0; i < 4; i++) a.push((await xff(srv, '203.0.113.1')).status);
    assert.deepEqual(a, [200, 200, 200, 429]);
    assert.equal((await xff(srv, '203.0.113.2')).status, 200, 'another client behind the same proxy');
  });

  test('garbage in the header falls back to the proxy address', async () => {
    const r = await xff(srv, 'not-an-address');
    assert.ok([200, 429].includes(r.status));
  });
});

describe('no trusted proxy', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { BEACON_RATE_LIMIT_MINUTE: '3' } });
  });
  after(async () => {
    await srv?.stop();
  });

  test('X-Forwarded-For is ignored: a client cannot escape its limit by naming others', async () => {
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await xff(srv, `203.0.113.${i + 10}`)).status);
    assert.deepEqual(got, [200, 200, 200, 429]);
  });
});
