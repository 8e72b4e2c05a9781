// beaconctl import-jobs / export-jobs / gen-jobs: idempotent imports keyed
// on identifier.value, bad-line reporting with line numbers and exit code
// 3, export -> import round trips, and imports into a running server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  FIXTURE, FIXTURE_PATH, ROOT, beaconctl, fixtureJobs, freshDatabase, getJson, startServer, test,
} from './helpers.mjs';

const BAD = join(ROOT, 'tests/fixtures/bad.jsonl');
const SUMMARY = /^imported (\d+) jobs \((\d+) new, (\d+) updated\), (\d+) bad lines skipped, in \d+\.\d s$/;

let tmp;
const dbs = [];
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'beacon-import-'));
});
after(() => {
  for (const db of dbs) db.drop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh, empty database and the environment beaconctl needs for it. */
function freshEnv() {
  const dir = mkdtempSync(join(tmp, 'db-'));
  const db = freshDatabase(dir);
  dbs.push(db);
  return { BEACON_DATABASE_URL: db.url, BEACON_VAR_DIR: dir, BEACON_LOG_LEVEL: 'warn' };
}

function run(env, args, input) {
  return beaconctl(env, args, input);
}

function summary(stderr) {
  const line = stderr.trimEnd().split('\n').pop();
  const m = SUMMARY.exec(line);
  assert.ok(m, `summary line: ${JSON.stringify(line)}`);
  return { total: +m[1], created: +m[2], updated: +m[3], bad: +m[4] };
}

function exportLines(env) {
  const r = run(env, ['export-jobs']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('import-jobs', () => {
  test('the fixture imports cleanly, and again as pure updates', () => {
    const env = freshEnv();
    let r = run(env, ['import-jobs', FIXTURE_PATH]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(summary(r.stderr), { total: 32, created: 32, updated: 0, bad: 0 });
    assert.equal(r.stderr.trim().split('\n').length, 1, 'nothing but the summary');
    const first = exportLines(env);
    assert.equal(first.length, 32);

    r = run(env, ['import-jobs', FIXTURE_PATH]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(summary(r.stderr), { total: 32, created: 0, updated: 32, bad: 0 });
    assert.deepEqual(exportLines(env), first, 're-import changes nothing');
  });

  test('a changed file updates in place and adds only what is new', () => {
    const env = freshEnv();
    run(env, ['import-jobs', FIXTURE_PATH]);
    const jobs = fixtureJobs();
    jobs[1].title = 'Registered Nurse (nights)';
    jobs.push({ ...jobs[0], identifier: { '@type': 'PropertyValue', name: 'Fixture', value: 'fx-99' }, title: 'Brand New Job' });
    const file = join(tmp, 'changed.jsonl');
    writeFileSync(file, jobs.map((j) => JSON.stringify(j)).join('\n') + '\n');
    const r = run(env, ['import-jobs', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(summary(r.stderr), { total: 33, created: 1, updated: 32, bad: 0 });
    const out = exportLines(env).map((l) => JSON.parse(l));
    assert.equal(out.length, 33);
    // Export is in id order: the updated job kept its place, the new one came last.
    assert.equal(out[1].identifier.value, 'fx-02');
    assert.equal(out[1].title, 'Registered Nurse (nights)');
    assert.equal(out[32].identifier.value, 'fx-99');
  });

  test('bad lines are reported with their number and reason; good lines are kept; exit 3', () => {
    const env = freshEnv();
    const r = run(env, ['import-jobs', BAD]);
    assert.equal(r.status, 3, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(summary(r.stderr), { total: 4, created: 3, updated: 1, bad: 24 });
    const reported = lines.slice(0, -1);
    const expected = [
      /^line 2: invalid JSON at column \d+: .+$/,
      /^line 3: title: is required$/,
      /^line 4: datePosted: must be an ISO 8601 date$/,
      /^line 5: employmentType: unknown value \(use FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER, PER_DIEM or OTHER\)$/,
      /^line 6: accommodations: unknown code .*$/,
      /^line 7: title: must be a string$/,
      /^line 8: invalid JSON at column \d+: .*0xff.*$/, // invalid UTF-8 bytes
      /^line 10: validThrough: is before datePosted$/, // line 9 is empty: skipped, still counted
      /^line 11: line: must be a JSON object$/,
      /^line 12: @type: must be JobPosting$/,
      /^line 13: invalid JSON at column \d+: duplicate object key.*$/,
      /^line 14: description: must not contain NUL characters$/,
      /^line 15: baseSalary\.value: amounts must be between 0 and 10\^12$/,
      /^line 16: identifier\.value: is required$/,
      /^line 17: jobLocation: is required unless jobLocationType is TELECOMMUTE$/,
      /^line 18: title: must not contain control characters$/,
      /^line 19: baseSalary\.currency: must be an ISO 4217 code such as USD$/,
      /^line 20: status: must be open or closed$/,
      /^line 21: experienceLevel: unknown value .*$/,
      /^line 22: title: is longer than 200 characters$/,
      /^line 23: title: must be a single line$/,
      /^line 24: hiringOrganization\.sameAs: must be an http\(s\) URL$/,
      /^line 25: baseSalary\.value\.unitText: must be HOUR, DAY, WEEK, MONTH or YEAR$/,
      /^line 26: baseSalary\.value: minValue is greater than maxValue$/,
    ];
    assert.equal(reported.length, expected.length, reported.join('\n'));
    expected.forEach((re, i) => assert.match(reported[i], re));

    const out = exportLines(env).map((l) => JSON.parse(l));
    assert.deepEqual(out.map((j) => j.identifier.value), ['bad-01', 'bad-02', 'bad-03']);
    assert.equal(out[0].title, 'Good job bad-01, renamed by line 28'); // the later line wins
    assert.equal(out[1].jobLocationType, 'TELECOMMUTE');
    assert.equal(out[2].title, 'Good job bad-03'); // CRLF line ending
  });

  test('a line over 1 MiB is reported and skipped, the rest imported', () => {
    const env = freshEnv();
    const good = readFileSync(BAD, 'utf8').split('\n')[0];
    const huge = JSON.stringify({ ...JSON.parse(good), identifier: 'huge', description: 'x'.repeat(1100 * 1024) });
    const file = join(tmp, 'huge.jsonl');
    writeFileSync(file, `${huge}\n${good}\n`);
    const r = run(env, ['import-jobs', file]);
    assert.equal(r.status, 3);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'line 1: line is longer than 1048576 bytes');
    assert.deepEqual(summary(r.stderr), { total: 1, created: 1, updated: 0, bad: 1 });
  });

  test('a description over 32 KiB is refused with its field named', () => {
    const env = freshEnv();
    const good = JSON.parse(readFileSync(BAD, 'utf8').split('\n')[0]);
    const r = run(env, ['import-jobs', '-'], JSON.stringify({ ...good, description: 'y'.repeat(32769) }) + '\n');
    assert.equal(r.status, 3);
    assert.equal(r.stderr.split('\n')[0], 'line 1: description: is longer than 32768 bytes');
  });

  test('reads standard input with "-"', () => {
    const env = freshEnv();
    const r = run(env, ['import-jobs', '-'], readFileSync(FIXTURE_PATH));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(summary(r.stderr), { total: 32, created: 32, updated: 0, bad: 0 });
  });

  test('an empty file imports nothing and succeeds', () => {
    const env = freshEnv();
    const r = run(env, ['import-jobs', '-'], '');
    assert.equal(r.status, 0);
    assert.deepEqual(summary(r.stderr), { total: 0, created: 0, updated: 0, bad: 0 });
  });

  test('a missing file is fatal: exit 1 naming the file', () => {
    const env = freshEnv();
    const r = run(env, ['import-jobs', '/nonexistent/jobs.jsonl']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^beaconctl: cannot open \/nonexistent\/jobs\.jsonl: No such file or directory$/m);
  });

  test('usage errors exit 2', () => {
    const env = freshEnv();
    assert.equal(run(env, ['import-jobs']).status, 2);
    assert.equal(run(env, ['import-jobs', 'a', 'b']).status, 2);
    assert.equal(run(env, ['no-such-command']).status, 2);
  });
});

describe('export-jobs', () => {
  let env;
  let lines;
  before(() => {
    env = freshEnv();
    run(env, ['import-jobs', FIXTURE_PATH]);
    lines = exportLines(env);
  });

  test('writes one JobPosting per line with the Beacon extension fields', () => {
    assert.equal(lines.length, 32);
    const byId = Object.fromEntries(lines.map((l) => JSON.parse(l)).map((j) => [j.identifier.value, j]));
    const six = byId['fx-06'];
    assert.equal(six['@type'], 'JobPosting');
    assert.equal(six['@context'], 'https://schema.org/');
    assert.equal(six.title, 'Senior Software Engineer');
    assert.equal(six.description, 'Build the core of our accessible video platform in C and SQL.'); // Markdown, not HTML
    assert.equal(six.experienceLevel, 'senior');
    assert.deepEqual(six.skills, ['C', 'PostgreSQL']);
    assert.deepEqual(six.preferredSkills, ['Kore']);
    assert.deepEqual(six.accommodations, ['captioned_meetings', 'text_interviews', 'flexible_schedule', 'remote_option']);
    assert.equal(six.status, 'open');
    assert.equal(six.jobLocationType, 'TELECOMMUTE');
    assert.equal(six.url, undefined);
    assert.equal(byId['fx-25'].status, 'closed');
    assert.equal(byId['fx-24'].status, 'open'); // expiry comes from validThrough
    assert.equal(byId['fx-24'].validThrough, '2020-01-31T23:59:59Z');
    assert.equal(byId['fx-32'].validThrough, undefined);
    assert.equal(byId['fx-23'].title, fixtureJobs()[22].title);
    assert.equal(byId['fx-23'].description, fixtureJobs()[22].description);
  });

  test('export -> import into an empty database -> export is identical', () => {
    const file = join(tmp, 'export.jsonl');
    let r = run(env, ['export-jobs', file]);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /^exported 32 jobs$/m);
    const other = freshEnv();
    r = run(other, ['import-jobs', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(summary(r.stderr), { total: 32, created: 32, updated: 0, bad: 0 });
    assert.deepEqual(exportLines(other), lines);
    // And importing the export over the original changes nothing.
    r = run(env, ['import-jobs', file]);
    assert.deepEqual(summary(r.stderr), { total: 32, created: 0, updated: 32, bad: 0 });
    assert.deepEqual(exportLines(env), lines);
  });

  test('an unwritable destination is fatal', () => {
    const r = run(env, ['export-jobs', '/nonexistent/dir/out.jsonl']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^beaconctl: cannot write \/nonexistent\/dir\/out\.jsonl/m);
  });
});

describe('round trip through a running server', () => {
  let a;
  let b;
  before(async () => {
    a = await startServer({ fixture: FIXTURE });
    const file = join(tmp, 'served-export.jsonl');
    assert.equal(beaconctl(a.env, ['export-jobs', file]).status, 0);
    b = await startServer({ fixture: file });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  test('a server fed the export answers the API exactly as the original', async () => {
    for (let id = 1; id <= 32; id++) {
      const x = (await getJson(`${a.url}/api/v1/jobs/${id}`)).body.data;
      const y = (await getJson(`${b.url}/api/v1/jobs/${id}`)).body.data;
      assert.equal(x.url, `${a.url}/jobs/${id}`);
      assert.equal(y.url, `${b.url}/jobs/${id}`);
      delete x.url;
      delete y.url;
      assert.deepEqual(y, x, `job ${id}`);
    }
    const s1 = (await getJson(`${a.url}/api/v1/jobs?per_page=100&sort=salary`)).body;
    const s2 = (await getJson(`${b.url}/api/v1/jobs?per_page=100&sort=salary`)).body;
    assert.deepEqual(s2.facets, s1.facets);
    assert.deepEqual(s2.data.map((d) => d.id), s1.data.map((d) => d.id));
  });

  test('importing while the server runs updates what it serves', async () => {
    const feed = async () => (await fetch(`${a.url}/feeds/indeed.xml`)).text();
    for (let i = 0; i < 6; i++) assert.ok((await feed()).includes('<![CDATA[fx-01]]>')); // every worker has built it
    const jobs = fixtureJobs();
    jobs[1].title = 'Registered Nurse, updated live';
    jobs[0].status = 'closed';
    const file = join(tmp, 'live.jsonl');
    writeFileSync(file, `${JSON.stringify(jobs[1])}\n${JSON.stringify(jobs[0])}\n`);
    const r = beaconctl(a.env, ['import-jobs', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(summary(r.stderr), { total: 2, created: 0, updated: 2, bad: 0 });
    const two = (await getJson(`${a.url}/api/v1/jobs/2`)).body.data;
    assert.equal(two.title, 'Registered Nurse, updated live');
    const one = (await getJson(`${a.url}/api/v1/jobs/1`)).body.data;
    assert.equal(one.status, 'closed');
    const search = (await getJson(`${a.url}/api/v1/jobs?q=nurse`)).body;
    assert.deepEqual(search.data.map((d) => d.id).sort((x, y) => x - y), [2, 29]);
    assert.equal(search.meta.total, 2);
    const page = await (await fetch(`${a.url}/jobs/1`)).text();
    assert.match(page, /This job is closed/);
    for (let i = 0; i < 6; i++) {
      const xml = await feed();
      assert.ok(!xml.includes('<![CDATA[fx-01]]>'), 'the closed job left the Indeed feed');
      assert.ok(xml.includes('<title><![CDATA[Registered Nurse, updated live]]></title>'));
    }
  });
});

describe('gen-jobs', () => {
  test('is deterministic for a seed and imports cleanly', () => {
    const one = beaconctl({}, ['gen-jobs', '25', '7']);
    const two = beaconctl({}, ['gen-jobs', '25', '7']);
    const other = beaconctl({}, ['gen-jobs', '25', '8']);
    assert.equal(one.status, 0);
    assert.equal(one.stdout, two.stdout);
    assert.notEqual(one.stdout, other.stdout);
    const lines = one.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 25);
    for (const l of lines) assert.equal(JSON.parse(l)['@type'], 'JobPosting');
    const env = freshEnv();
    const r = run(env, ['import-jobs', '-'], one.stdout);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(summary(r.stderr), { total: 25, created: 25, updated: 0, bad: 0 });
  });

  test('rejects a bad count', () => {
    assert.equal(beaconctl({}, ['gen-jobs', 'many']).status, 2);
    assert.equal(beaconctl({}, ['gen-jobs', '-1']).status, 2);
    assert.equal(beaconctl({}, ['gen-jobs']).status, 2);
  });
});
