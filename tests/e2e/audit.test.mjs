// `beaconctl audit-verify` on a real database (SQLite, or PostgreSQL with
// BEACON_TEST_PG). The records are written here with SQL, hashed by an
// independent implementation of the encoding documented in
// src/model/audit.h, so the test also pins that encoding down.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { beaconctl, freshDatabase, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

const GENESIS = '0'.repeat(64);

function field(v) {
  if (v === null || v === undefined) return '~';
  const s = String(v);
  return `${Buffer.byteLength(s)}:${s}`;
}

function auditHash(prev, r) {
  const text =
    'beacon-audit-v1\n' +
    [prev, r.id, r.at, r.actor_id || null, r.actor_ip, r.event, r.target_type, r.target_id, r.detail]
      .map(field)
      .join('');
  return createHash('sha256').update(text).digest('hex');
}

const lit = (v) => (v === null || v === undefined ? 'NULL' : `'${String(v).replaceAll("'", "''")}'`);

let dir, db, env;
const sql = (text) => dbQuery(db.url, text);

function insert(r) {
  sql(
    'INSERT INTO audit_log (id, at, actor_id, actor_ip, event, target_type, target_id, detail, prev_hash, hash) VALUES (' +
      [r.id, lit(r.at), r.actor_id ? r.actor_id : 'NULL', lit(r.actor_ip), lit(r.event), lit(r.target_type),
        lit(r.target_id), lit(r.detail), lit(r.prev_hash), lit(r.hash)].join(', ') + ')',
  );
}

const verify = () => beaconctl(env, ['audit-verify']);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'beacon-audit-'));
  db = freshDatabase(dir);
  env = { BEACON_DATABASE_URL: db.url, BEACON_VAR_DIR: dir, BEACON_LOG_LEVEL: 'warn' };
});
after(() => {
  try {
    db?.drop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('beaconctl audit-verify', () => {
  test('an empty log is intact', () => {
    const r = verify();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^audit log: 0 records, chain intact\n/);
    assert.match(r.stdout, new RegExp(`head: 0 ${GENESIS}`));
  });

  test('a chain written by the documented encoding is intact', () => {
    const records = [
      { at: '2026-11-01T10:00:00Z', actor_id: 0, actor_ip: '203.0.113.9', event: 'auth.signin.failure', target_type: 'user', target_id: null, detail: '{"reason":"password"}' },
      { at: '2026-11-01T10:00:05Z', actor_id: 7, actor_ip: '2001:db8::1', event: 'auth.signin.success', target_type: 'user', target_id: '7', detail: '' },
      { at: '2026-11-01T10:01:00Z', actor_id: 7, actor_ip: null, event: 'account.name.change', target_type: 'user', target_id: '7', detail: '{"name":"Zoë ☃"}' },
    ];
    let prev = GENESIS;
    records.forEach((r, i) => {
      r.id = i + 1;
      r.prev_hash = prev;
      r.hash = auditHash(prev, r);
      insert(r);
      prev = r.hash;
    });
    const r = verify();
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log: 3 records, chain intact\n/);
    assert.match(r.stdout, new RegExp(`head: 3 ${prev}`));
  });

  test('a forged record at the end is named, exit 1', () => {
    const head = sql('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    const forged = { id: 4, at: '2026-11-01T11:00:00Z', actor_id: 1, actor_ip: null, event: 'admin.role.grant', target_type: 'user', target_id: '66', detail: '{}', prev_hash: head };
    forged.hash = auditHash(GENESIS, forged); // chained onto the wrong predecessor
    insert(forged);
    const r = verify();
    assert.equal(r.status, 1);
    assert.match(r.stdout, /record 4 breaks the chain \(3 records before it are intact\)/);
  });

  test('a changed record in the middle is named', () => {
    if (db.kind === 'sqlite') sql('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
    else sql('DROP TRIGGER audit_log_no_change ON audit_log');
    sql('DELETE FROM audit_log WHERE id = 4');
    assert.equal(verify().status, 0);
    sql(`UPDATE audit_log SET detail = '{"reason":"none"}' WHERE id = 1`);
    const r = verify();
    assert.equal(r.status, 1);
    assert.match(r.stdout, /record 1 breaks the chain \(0 records before it are intact\)/);
  });
});
