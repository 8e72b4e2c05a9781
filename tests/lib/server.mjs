// Start a real Beacon on a loopback port with its own temporary database,
// for end-to-end and browser tests.
//
//   const srv = await startServer({ fixture: 'tests/fixtures/jobs.jsonl' });
//   await fetch(srv.url + '/healthz');
//   await srv.stop();
//
// The database is SQLite in a temporary folder, or, when BEACON_TEST_PG names
// a PostgreSQL server (postgres://user@host:port/postgres, as scripts/pg
// prints), a fresh database created on it and dropped afterwards.
// BEACON_TEST_BUILD picks the build folder (build or build/asan).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BUILD = resolve(ROOT, process.env.BEACON_TEST_BUILD || 'build');
export const BEACONCTL = join(BUILD, 'beaconctl');

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function pgAdmin(sql) {
  const r = spawnSync('psql', [process.env.BEACON_TEST_PG, '-v', 'ON_ERROR_STOP=1', '-qc', sql], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
}

/** Create an empty database for one server; returns { url, drop }. */
export function freshDatabase(dir) {
  if (!process.env.BEACON_TEST_PG) {
    return { url: `sqlite:${join(dir, 'beacon.db')}`, drop() {}, kind: 'sqlite' };
  }
  const name = `beacon_t_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  pgAdmin(`CREATE DATABASE ${name}`);
  const url = process.env.BEACON_TEST_PG.replace(/\/[^/?]*(\?.*)?$/, `/${name}`);
  return {
    url,
    kind: 'postgres',
    drop() {
      pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * Run one SQL statement on a test database (sqlite3 or psql, by its URL):
 * target is a server from startServer or a database URL. Returns the output
 * (values separated by |), trimmed; throws with the client's message on an error.
 */
export function dbQuery(target, statement) {
  const url = typeof target === 'string' ? target : target.env.BEACON_DATABASE_URL;
  const r = url.startsWith('sqlite:')
    ? spawnSync('sqlite3', ['-cmd', '.timeout 5000', url.slice('sqlite:'.length), statement], { encoding: 'utf8' })
    : spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sql failed: ${statement}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Run beaconctl with the server's environment; returns { status, stdout, stderr }. */
export function beaconctl(env, args, input) {
  const r = spawnSync(BEACONCTL, args, {
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function waitReady(url, proc, logFile, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) break;
    try {
      const r = await fetch(url + '/healthz', { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
  throw new Error(`Beacon did not become ready at ${url}\n${log}`);
}

/** SIGTERM, wait (SIGKILL after 10 s). */
async function terminate(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((ok) => proc.once('exit', (code, sig) => ok(code ?? sig)));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
  await done;
  clearTimeout(timer);
}

/** Spawn `beaconctl serve` with env, logging to logFile, and wait until url answers. */
async function launch(baseEnv, logFile, url) {
  const { openSync } = await import('node:fs');
  const out = openSync(logFile, 'a');
  // The sanitizer build's module is loaded by the plain kore binary, so the
  // ASan runtime has to be preloaded into it.
  const sanitizer = BUILD.includes('asan')
    ? {
        LD_PRELOAD: spawnSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim(),
        ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=0:halt_on_error=1',
        UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
      }
    : {};
  const proc = spawn(BEACONCTL, ['serve'], {
    env: { ...process.env, ...baseEnv, ...sanitizer },
    stdio: ['ignore', out, out],
    detached: false,
  });
  try {
    await waitReady(url, proc, logFile);
  } catch (err) {
    // Never leave a half-started server behind to keep the test process alive.
    proc.kill('SIGKILL');
    throw err;
  }
  return proc;
}

/**
 * Start Beacon. Options: fixture (JSONL path imported before start),
 * env (extra BEACON_* variables).
 */
export async function startServer({ fixture, env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-test-'));
  const db = freshDatabase(dir);
  const port = await freePort();
  const baseEnv = {
    BEACON_DATABASE_URL: db.url,
    BEACON_PORT: String(port),
    BEACON_LISTEN_ADDR: '127.0.0.1',
    BEACON_VAR_DIR: dir,
    BEACON_STATIC_DIR: join(ROOT, 'static'),
    BEACON_DEMO_DATA: '0',
    BEACON_WORKERS: '2',
    BEACON_LOG_LEVEL: 'warn',
    // Tests send many requests from one address; the rate-limit tests set their own limits.
    BEACON_RATE_LIMIT_MINUTE: '1000000',
    BEACON_RATE_LIMIT_HOUR: '10000000',
    ...env,
  };
  if (fixture) {
    const r = beaconctl(baseEnv, ['import-jobs', resolve(ROOT, fixture)]);
    if (r.status !== 0) throw new Error(`fixture import failed (${r.status}): ${r.stderr}`);
  }
  const logFile = join(dir, 'server.log');
  const url = `http://127.0.0.1:${port}`;
  let proc;
  try {
    proc = await launch(baseEnv, logFile, url);
  } catch (err) {
    try {
      db.drop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    throw err;
  }
  return {
    url,
    port,
    dir,
    env: baseEnv,
    dbKind: db.kind,
    proc,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    /** Stop gracefully and start again on the same database and folder. */
    async restart() {
      await terminate(this.proc);
      this.proc = await launch(baseEnv, logFile, url);
    },
    /** Stop with SIGTERM (graceful), wait for exit; returns the exit code. */
    async stop() {
      proc = this.proc;
      await terminate(proc);
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      try {
        db.drop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // A sanitizer report or a worker killed by the sandbox fails the test file.
      const bad = log.match(/.*(AddressSanitizer|runtime error:|sandbox violation|seccomp violation|restarting worker).*/);
      if (bad) throw new Error(`server log shows a defect: ${bad[0]}\n${log.slice(-3000)}`);
      return proc.exitCode;
    },
  };
}
