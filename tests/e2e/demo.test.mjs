// The demo data of `beaconctl serve` (src/cli/demo.c): with BEACON_DEMO_DATA=1
// an empty database gets seekers, employers with companies and jobs, a
// recruiter and applications at every stage with messages and interviews.
// The accounts share one random password written only to
// <var_dir>/demo-accounts.txt (mode 0600). Checked here: the file, the
// seeker's and the employer's view on the pages and the API, that needs stay
// hidden where the candidate's disclosure setting says so, that the
// password appears in no log, and that BEACON_DEMO_DATA=0 leaves the
// database empty. Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { PASSWORD, api, signIn, tokens, totp } from '../lib/accounts.mjs';
import { beaconctl, dbQuery } from '../lib/server.mjs';
import { startServer, test } from './helpers.mjs';

const sql = (server, statement) => dbQuery(server, statement);

/** The accounts file as { password, accounts: [{ email, role, name, look }] }. */
function parseAccounts(text) {
  const pw = text.match(/^Password: (\S+)$/m);
  const accounts = [...text.matchAll(/^- (\S+@\S+) \(([^,]+), ([^)]+)\): (.+)$/gm)].map((m) => ({
    email: m[1], role: m[2], name: m[3], look: m[4],
  }));
  return { password: pw?.[1], accounts };
}

describe('demo data on', () => {
  let srv, file, mode, demo;
  const session = new Map();

  before(async () => {
    srv = await startServer({ env: { BEACON_DEMO_DATA: '1' } });
    const path = join(srv.dir, 'demo-accounts.txt');
    mode = statSync(path).mode & 0o777;
    file = readFileSync(path, 'utf8');
    demo = parseAccounts(file);
  });
  after(async () => {
    await srv?.stop();
  });

  const emailOf = (name) => demo.accounts.find((a) => a.name === name).email;
  /** A page client and an API token for a demo account, made once. */
  async function who(name) {
    if (!session.has(name)) {
      const email = emailOf(name);
      const c = await signIn(srv, email, demo.password);
      const token = (await tokens(srv, email, demo.password)).access_token;
      session.set(name, { email, c, token });
    }
    return session.get(name);
  }
  const get = (path, token) => api(srv, path, undefined, token, 'GET');
  /** The candidate's application to the job titled title. */
  async function applicationOf(name, title) {
    const r = await get('/api/v1/applications', (await who(name)).token);
    assert.equal(r.status, 200, r.text);
    const row = r.body.data.find((a) => a.job_title === title);
    assert.ok(row, `${name} applied to ${title}`);
    return row;
  }

  test('the accounts file: mode 0600, one password, seekers, employers, no admin', () => {
    assert.equal(mode, 0o600);
    assert.ok(demo.password && demo.password.length >= 15, 'a password of at least 15 characters');
    assert.ok(!existsSync(join(srv.dir, 'demo-accounts.txt.tmp')), 'no temporary file left');
    const roles = demo.accounts.map((a) => a.role);
    assert.equal(roles.filter((r) => r === 'Job seeker').length, 6);
    assert.equal(roles.filter((r) => r === 'Employer').length, 3);
    assert.ok(roles.includes('Recruiter'));
    assert.ok(!roles.includes('Admin'));
    for (const a of demo.accounts) assert.match(a.email, /@example\.(org|com)$/);
    assert.equal(sql(srv, "SELECT count(*) FROM users WHERE role = 'admin'"), '0');
  });

  test('the password is in no log, no mail and not stored in the clear', () => {
    const log = srv.log();
    assert.match(log, /demo accounts and their password: .*demo-accounts\.txt/);
    assert.ok(!log.includes(demo.password), 'the server log does not hold the password');
    const mailDir = join(srv.dir, 'mail');
    if (existsSync(mailDir))
      for (const f of readdirSync(mailDir))
        assert.ok(!readFileSync(join(mailDir, f), 'utf8').includes(demo.password), f);
    if (srv.dbKind === 'sqlite')
      for (const f of readdirSync(srv.dir).filter((n) => n.startsWith('beacon.db')))
        assert.ok(!readFileSync(join(srv.dir, f)).includes(demo.password), f);
    assert.equal(sql(srv, "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'"),
      String(demo.accounts.length));
  });

  test('every demo account signs in with the password; a wrong one does not', async () => {
    for (const a of demo.accounts) {
      const r = await api(srv, '/api/v1/auth/token', { email: a.email, password: demo.password });
      assert.equal(r.status, 200, `${a.email}: ${r.text}`);
    }
    const bad = await api(srv, '/api/v1/auth/token', { email: demo.accounts[0].email, password: 'not the demo password' });
    assert.equal(bad.status, 401);
  });

  test('a seeker sees applications at several stages, on the page and in the API', async () => {
    const daniel = await who('Daniel Okafor');
    const r = await get('/api/v1/applications', daniel.token);
    assert.equal(r.status, 200, r.text);
    const stages = Object.fromEntries(r.body.data.map((a) => [a.job_title, a.stage]));
    assert.deepEqual(stages, { 'Senior Frontend Developer': 'offer', 'QA Analyst': 'applied', 'Data Analyst': 'rejected' });
    const page = await daniel.c.get('/applications');
    assert.equal(page.status, 200);
    for (const s of ['Offer', 'Applied', 'Not selected']) assert.match(page.text_, new RegExp(`Stage: <strong>${s}</strong>`));
    assert.match(page.text_, /Harbor Light Software/);
    // Across all demo applications every stage is there.
    const all = sql(srv, 'SELECT DISTINCT stage FROM applications ORDER BY stage').split('\n');
    assert.deepEqual(all, ['applied', 'hired', 'interview', 'offer', 'rejected', 'screening', 'withdrawn']);
  });

  test('an interview with a chosen time, the needs recorded with it, and messages', async () => {
    const maya = await who('Maya Thompson');
    const row = await applicationOf('Maya Thompson', 'UX Designer');
    assert.equal(row.stage, 'interview');
    const app = await get(`/api/v1/applications/${row.id}`, maya.token);
    assert.equal(app.status, 200, app.text);
    const [iv] = app.body.data.interviews;
    assert.equal(iv.slots.length, 3);
    assert.ok(iv.chosen_slot_id, 'Maya chose a time');
    assert.ok(Date.parse(iv.starts_at) > Date.now(), 'the interview lies ahead');
    assert.match(iv.accommodation, /ASL interpreter/);
    const msgs = await get(`/api/v1/applications/${row.id}/messages`, maya.token);
    assert.equal(msgs.status, 200, msgs.text);
    assert.equal(msgs.body.data.length, 3);
    const page = await maya.c.get(`/applications/${row.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /the portfolio task a day ahead/);
    assert.match(page.text_, /meet\.example\.com\/harbor-light-ux/);
    // Sofia's proposal waits for her choice.
    const sofia = await who('Sofia Ramirez');
    const srow = await applicationOf('Sofia Ramirez', 'Staff Accountant');
    const sapp = await get(`/api/v1/applications/${srow.id}`, sofia.token);
    assert.equal(sapp.body.data.interviews[0].chosen_slot_id, null);
    assert.equal(sapp.body.data.interviews[0].slots.length, 3);
  });

  test("an employer sees the applicants of their own job, with needs shared after applying", async () => {
    const grace = await who('Grace Chen');
    const jobs = await grace.c.get('/employer/jobs');
    assert.equal(jobs.status, 200);
    for (const t of ['Senior Frontend Developer', 'UX Designer', 'QA Analyst']) assert.ok(jobs.text_.includes(t), t);
    const row = await applicationOf('Maya Thompson', 'UX Designer');
    // The job list leads to each job's applicants.
    assert.match(jobs.text_, new RegExp(`<a href="/employer/jobs/${row.job_id}/applicants" aria-label="Applicants UX Designer">Applicants</a>`));
    const pipeline = await grace.c.get(`/employer/jobs/${row.job_id}/applicants`);
    assert.equal(pipeline.status, 200);
    assert.match(pipeline.text_, /Maya Thompson/);
    const list = await get(`/api/v1/employer/jobs/${row.job_id}/applications`, grace.token);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.data.map((a) => [a.candidate_name, a.stage]), [['Maya Thompson', 'interview']]);
    const app = await get(`/api/v1/applications/${row.id}`, grace.token);
    assert.equal(app.body.data.your_side, 'employer');
    assert.match(app.body.data.accommodation_needs, /team of two interpreters/);
    const page = await grace.c.get(`/employer/applications/${row.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /team of two interpreters/);
    assert.match(page.text_, /Strong research portfolio/, 'the private note');
    // The recruiter of the same company works on the same pipeline.
    const omar = await who('Omar Haddad');
    const offer = await applicationOf('Daniel Okafor', 'Senior Frontend Developer');
    const seen = await get(`/api/v1/employer/jobs/${offer.job_id}/applications`, omar.token);
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.body.data.map((a) => [a.candidate_name, a.stage]), [['Daniel Okafor', 'offer']]);
  });

  test('needs stay hidden from employers where the disclosure setting forbids it', async () => {
    // Sofia: "never" — not even at the interview stage, not on the interview.
    const sofia = await who('Sofia Ramirez');
    const own = await sofia.c.get('/profile');
    assert.match(own.text_, /same interpreter team/, 'her needs are on her own profile');
    const robert = await who('Robert Alvarez');
    const row = await applicationOf('Sofia Ramirez', 'Staff Accountant');
    const app = await get(`/api/v1/applications/${row.id}`, robert.token);
    assert.equal(app.status, 200, app.text);
    assert.equal(app.body.data.stage, 'interview');
    assert.equal(app.body.data.accommodation_needs, null);
    assert.equal(app.body.data.interviews[0].accommodation, null);
    assert.ok(!app.text.includes('same interpreter team'));
    const page = await robert.c.get(`/employer/applications/${row.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /Not shared by the candidate at this stage/);
    assert.ok(!page.text_.includes('same interpreter team'));
    const profile = await robert.c.get(`/candidates/${row.candidate_id}`);
    assert.ok(!profile.text_.includes('same interpreter team'));
    // Priya: "interview" — her application at screening shows nothing yet.
    const hannah = await who('Hannah Berg');
    const prow = await applicationOf('Priya Natarajan', 'Customer Support Specialist');
    const papp = await get(`/api/v1/applications/${prow.id}`, hannah.token);
    assert.equal(papp.body.data.stage, 'screening');
    assert.equal(papp.body.data.accommodation_needs, null);
    assert.ok(!papp.text.includes('loop system'));
  });

  test('the job page offers to apply only to those who can, and sends a candidate to her application', async () => {
    const row = await applicationOf('Maya Thompson', 'UX Designer');
    const applyLink = `href="/jobs/${row.job_id}/apply"`;
    const visitor = await (await fetch(`${srv.url}/jobs/${row.job_id}`)).text();
    assert.ok(visitor.includes(applyLink), 'a visitor gets the apply link (it asks to sign in)');
    const maya = await who('Maya Thompson');
    const mine = await maya.c.get(`/jobs/${row.job_id}`);
    assert.equal(mine.status, 200);
    assert.ok(!mine.text_.includes(applyLink), 'no apply link to a job she applied to');
    assert.match(mine.text_, new RegExp(`You applied to this job\\. <a href="/applications/${row.id}">See your application</a>`));
    const other = await applicationOf('Daniel Okafor', 'QA Analyst');
    const fresh = await maya.c.get(`/jobs/${other.job_id}`);
    assert.ok(fresh.text_.includes(`href="/jobs/${other.job_id}/apply"`), 'the apply link on a job she has not applied to');
    for (const name of ['Grace Chen', 'Omar Haddad', 'Tomas Rivera']) {
      const { c } = await who(name);
      const page = await c.get(`/jobs/${row.job_id}`);
      assert.equal(page.status, 200, name);
      assert.ok(!page.text_.includes(applyLink), `${name} cannot apply, so gets no apply link`);
      assert.match(page.text_, /Applications come from job seeker accounts\./, name);
      assert.equal((await c.get(`/jobs/${row.job_id}/apply`)).status, 403, `${name}: the apply page still refuses`);
    }
  });

  test('a session still waiting for its second factor is signed out on the job page', async () => {
    // Lucas turns on two-factor sign-in; a password alone then leaves the session pending.
    const email = emailOf('Lucas Bergstrom');
    const c = await signIn(srv, email, demo.password);
    const setup = await c.get('/account/2fa');
    const secret = setup.text_.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
    assert.equal((await c.submit('/account/2fa', '/account/2fa/enable', { code: totp(secret) })).status, 200);
    const r = await get('/api/v1/applications', (await tokens(srv, email, demo.password, totp(secret, Date.now() / 1000 + 30))).access_token);
    const job = r.body.data.find((a) => a.stage === 'applied').job_id;
    const full = await c.get(`/jobs/${job}`);
    assert.match(full.text_, /You applied to this job\./, 'signed in with both factors');
    const pending = await signIn(srv, email, demo.password);
    const page = await pending.get(`/jobs/${job}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text_, /You applied|\/applications\/\d/, 'a password alone reveals no application');
    assert.ok(page.text_.includes(`href="/jobs/${job}/apply"`), 'it sees what a visitor sees');
  });

  test('another company sees nothing of these applications', async () => {
    const robert = await who('Robert Alvarez');
    const row = await applicationOf('Maya Thompson', 'UX Designer');
    assert.equal((await get(`/api/v1/applications/${row.id}`, robert.token)).status, 404);
    assert.equal((await get(`/api/v1/employer/jobs/${row.job_id}/applications`, robert.token)).status, 404);
    for (const q of ['page=0', 'per_page=abc', 'stage=nope'])
      assert.equal((await get(`/api/v1/employer/jobs/${row.job_id}/applications?${q}`, robert.token)).status, 404, q);
  });
});

describe('demo data off', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { BEACON_DEMO_DATA: '0' } });
  });
  after(async () => {
    await srv?.stop();
  });

  test('BEACON_DEMO_DATA=0 leaves the database empty and writes no accounts file', async () => {
    assert.ok(!existsSync(join(srv.dir, 'demo-accounts.txt')));
    for (const table of ['jobs', 'users', 'companies', 'profiles', 'applications', 'documents'])
      assert.equal(sql(srv, `SELECT count(*) FROM ${table}`), '0', table);
    assert.doesNotMatch(srv.log(), /demo/);
    const r = await api(srv, '/api/v1/auth/token', { email: 'maya.thompson@example.org', password: 'any password at all' });
    assert.equal(r.status, 401);
  });
});

describe('demo data never goes into a database with accounts', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { BEACON_DEMO_DATA: '0' } });
  });
  after(async () => {
    await srv?.stop();
  });

  test('an admin made before the first demo start keeps the database free of demo people and jobs', async () => {
    const made = beaconctl(srv.env, ['create-admin', 'first.admin@example.org', 'First Admin'], `${PASSWORD}\n`);
    assert.equal(made.status, 0, made.stderr);
    srv.env.BEACON_DEMO_DATA = '1'; // restart() starts again with this environment
    await srv.restart();
    assert.match(srv.log(), /the database has accounts: no demo data loaded/);
    assert.ok(!existsSync(join(srv.dir, 'demo-accounts.txt')));
    assert.equal(sql(srv, 'SELECT count(*) FROM users'), '1');
    for (const table of ['jobs', 'companies', 'profiles', 'applications'])
      assert.equal(sql(srv, `SELECT count(*) FROM ${table}`), '0', table);
  });
});
