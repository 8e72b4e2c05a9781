// Guessing limits: after 100 failed sign-ins for one account within an
// hour, the right password is refused too, and still after a restart
// (the failures are stored in the database, not in a worker's memory).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { PASSWORD, api, registerVerified } from '../lib/accounts.mjs';
import { startServer, test } from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

test('the 101st failed sign-in in an hour is refused even with the right password, also after a restart', { timeout: 180000 }, async () => {
  const { email } = await registerVerified(srv);
  const other = await registerVerified(srv);
  const statuses = new Map();
  for (let i = 0; i < 100; i++) {
    const r = await api(srv, '/api/v1/auth/token', { email, password: `wrong guess number ${i}` });
    statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
    if (r.status === 429) assert.match(r.headers.get('retry-after'), /^\d+$/);
  }
  assert.ok(statuses.get(401) >= 5, `first attempts are checked: ${[...statuses]}`);
  assert.ok(statuses.get(429) > 0, `growing delays answer 429: ${[...statuses]}`);
  const right = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD });
  assert.equal(right.status, 429);
  assert.ok(Number(right.headers.get('retry-after')) > 60, 'locked for the rest of the hour');
  await srv.restart();
  const still = await api(srv, '/api/v1/auth/token', { email, password: PASSWORD });
  assert.equal(still.status, 429, 'the lockout survives a restart');
  const page = await fetch(srv.url + '/healthz');
  assert.equal(page.status, 200);
  // The address that made 100 failures is slowed down for every account it tries.
  const sprayed = await api(srv, '/api/v1/auth/token', { email: other.email, password: PASSWORD });
  assert.equal(sprayed.status, 429);
});
