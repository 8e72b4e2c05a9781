// Job seeker profiles end to end: the profile round trip through the pages
// and the API, experience entries, JSON Resume export -> import equality,
// accommodation needs and contact numbers sealed in the database (never
// plain text in the SQLite file or the PostgreSQL columns) yet read back by
// the owner, candidate search that shows only visible profiles and never
// needs or numbers, private profiles 404 for employers, job seekers 403 on
// candidate search, and hostile input. Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import { api, registerVerified, signIn, tokens } from '../lib/accounts.mjs';
import { startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

const sql = (statement) => dbQuery(srv, statement);

const get = (path, token) =>
  fetch(srv.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (res) => {
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text, headers: res.headers };
  });

let seq = 0;
/** A word no other profile holds. */
function marker(prefix) {
  seq += 1;
  return `${prefix}${Date.now().toString(36)}${seq}${process.pid}`.replace(/[0-9]/g, (d) => 'qwrtypsdfg'[d]);
}

async function person(role = 'job_seeker', name = 'Sam Seeker') {
  const { email } = await registerVerified(srv, { role, name });
  const c = await signIn(srv, email);
  const token = (await tokens(srv, email)).access_token;
  return { email, c, token };
}

describe('profile pages', () => {
  test('a seeker fills the form, sees it on /profile, and bad input is refused per field', async () => {
    const s = await person();
    const word = marker('pagezz');
    let res = await s.c.get('/profile');
    assert.equal(res.status, 200);
    // The panel that explains who sees what says exactly one thing for each setting.
    const whoSees = (html) => {
      const m = html.match(/<h2 id="what-employers-see">What employers see<\/h2><p>([^]*?)<\/p>/);
      assert.ok(m, 'the "What employers see" panel');
      return m[1].replace(/<[^>]+>/g, '');
    };
    let said = whoSees(res.text_);
    assert.match(said, /^Your profile is private: employers and recruiters cannot find it/);
    assert.doesNotMatch(said, /can find (it|your profile) in candidate search/);
    res = await s.c.submit('/profile/edit', '/profile/edit', {
      headline: `<script>alert(1)</script> ${word}`,
      summary: 'I build accessible dashboards.',
      skills: 'JS, American Sign Language\nSQL',
      links: 'https://example.org/sam',
      desired_titles: 'Data analyst',
      locations: 'Austin, TX, US',
      remote_preference: 'remote',
      experience_level: 'mid',
      availability: 'two_weeks',
      salary_min: '60000',
      salary_currency: 'USD',
      salary_period: 'YEAR',
      work_authorization: 'US citizen',
      comm_modes: 'asl',
      videophone: '+1 555 0101',
      text_phone: '',
      needs: 'asl_interpreter',
      needs_notes: 'Written questions help.',
      disclosure: 'interview',
      visibility: 'employers',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/profile?done=saved');
    res = await s.c.get('/profile');
    assert.equal(res.status, 200);
    assert.ok(!res.text_.includes('<script>alert(1)'), 'HTML in the headline is escaped');
    assert.match(res.text_, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(res.text_, /javascript/);
    assert.match(res.text_, /<li>asl<\/li>/);
    assert.match(res.text_, /once they invite you to interview/);
    assert.match(res.text_, /\+1 555 0101/);
    said = whoSees(res.text_);
    assert.match(said, /^Your profile is visible to employers and recruiters signed in to Beacon: they can find it/);
    assert.doesNotMatch(said, /private|anyone with its link/);

    // The form comes back with the stored values (checkboxes ticked).
    res = await s.c.get('/profile/edit');
    assert.match(res.text_, /id="f-comm_modes-asl"[^>]*checked/);
    assert.match(res.text_, /id="f-needs-asl_interpreter"[^>]*checked/);
    assert.match(res.text_, /javascript, asl, sql/);

    // javascript: links, oversized headline, unknown choice: 422 with each field named.
    res = await s.c.submit('/profile/edit', '/profile/edit', {
      headline: 'x'.repeat(121),
      links: 'javascript:alert(1)',
      visibility: 'everyone',
      salary_min: 'lots',
    });
    assert.equal(res.status, 422);
    for (const f of ['headline', 'links', 'visibility', 'salary_min']) {
      assert.match(res.text_, new RegExp(`href="#f-${f}"`), f);
      assert.match(res.text_, new RegExp(`id="f-${f}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-${f}"`), f);
    }
    // Nothing changed.
    const got = await get('/api/v1/profile', s.token);
    assert.ok(got.body.data.headline.endsWith(word));
    assert.deepEqual(got.body.data.links, ['https://example.org/sam']);

    // Public: findable, and readable by link.
    res = await s.c.submit('/profile/edit', '/profile/edit', { headline: 'Data analyst', disclosure: 'never', visibility: 'public' });
    assert.equal(res.status, 303);
    said = whoSees((await s.c.get('/profile')).text_);
    assert.match(said, /^Your profile is public: employers and recruiters can find it in candidate search, and anyone with its link/);
    assert.doesNotMatch(said, /private|signed in to Beacon/);
  });

  test('salary as people type it: "55,000" and "usd" are taken; every wrong field is named at once', async () => {
    const s = await person();
    let res = await s.c.submit('/profile/edit', '/profile/edit', {
      headline: 'Bookkeeper', disclosure: 'never', visibility: 'private',
      salary_min: '55,000', salary_currency: 'usd', salary_period: 'YEAR',
    });
    assert.equal(res.status, 303, res.text_.slice(0, 300));
    let got = (await get('/api/v1/profile', s.token)).body.data;
    assert.equal(got.salary.min, 55000, JSON.stringify(got));
    res = await s.c.get('/profile');
    assert.match(res.text_, /<dt>Salary from<\/dt><dd>\$55,000 per year<\/dd>/);

    for (const [typed, value] of [['$60 000', 60000], [' 61000.50 ', 61000.5]]) {
      res = await s.c.submit('/profile/edit', '/profile/edit', {
        headline: 'Bookkeeper', disclosure: 'never', visibility: 'private', salary_min: typed, salary_currency: 'USD', salary_period: 'YEAR',
      });
      assert.equal(res.status, 303, typed);
      got = (await get('/api/v1/profile', s.token)).body.data;
      assert.equal(got.salary.min, value, typed);
    }
    // Both the amount and the currency wrong: both named in one answer; nothing stored.
    for (const bad of ['lots', '1e5', '0x10', 'inf', '1,,000', ',100', '100.', '1.234', '1234567890123']) {
      res = await s.c.submit('/profile/edit', '/profile/edit', {
        headline: 'Bookkeeper', disclosure: 'never', visibility: 'private', salary_min: bad, salary_currency: 'dollars', salary_period: 'YEAR',
      });
      assert.equal(res.status, 422, bad);
      assert.match(res.text_, /href="#f-salary_min"/, bad);
      assert.match(res.text_, /href="#f-salary_currency"/, bad);
      assert.match(res.text_, new RegExp(`id="f-salary_min"[^>]*value="${bad.replace(/[.$]/g, '\\$&')}"`), `${bad} stays in the field`);
    }
    got = (await get('/api/v1/profile', s.token)).body.data;
    assert.equal(got.salary.min, 61000.5);
  });

  test('experience and education entries: add, edit, remove', async () => {
    const s = await person();
    let res = await s.c.submit('/profile/experience', '/profile/experience', {
      index: 'new', action: 'save', 'experience.0.title': 'Analyst', 'experience.0.organisation': 'Acme',
      'experience.0.start_date': '2021-03',
    });
    assert.equal(res.status, 303);
    res = await s.c.submit('/profile/experience', '/profile/experience', {
      index: 'new', action: 'save', 'experience.1.title': 'Lead analyst', 'experience.1.start_date': '2023-13',
    });
    assert.equal(res.status, 422);
    assert.match(res.text_, /href="#f-experience\.1\.start_date"/);
    res = await s.c.submit('/profile/experience', '/profile/experience', {
      index: 'new', action: 'save', 'experience.1.title': 'Lead analyst', 'experience.1.start_date': '2023',
    });
    assert.equal(res.status, 303);
    res = await s.c.submit('/profile/experience', '/profile/experience', {
      index: '0', action: 'save', 'experience.0.title': 'Senior analyst', 'experience.0.organisation': 'Acme',
    });
    assert.equal(res.status, 303);
    let p = (await get('/api/v1/profile', s.token)).body.data;
    assert.deepEqual(p.experience.map((e) => e.title), ['Senior analyst', 'Lead analyst']);
    res = await s.c.submit('/profile/experience', '/profile/experience', { index: '0', action: 'delete' });
    assert.equal(res.status, 303);
    p = (await get('/api/v1/profile', s.token)).body.data;
    assert.deepEqual(p.experience.map((e) => e.title), ['Lead analyst']);
    res = await s.c.submit('/profile/education', '/profile/education', {
      index: 'new', action: 'save', 'education.0.institution': 'Gallaudet University', 'education.0.credential': 'BA',
    });
    assert.equal(res.status, 303);
    p = (await get('/api/v1/profile', s.token)).body.data;
    assert.equal(p.education[0].institution, 'Gallaudet University');
    res = await s.c.submit('/profile/education', '/profile/education', { index: '7', action: 'delete' });
    assert.equal(res.status, 400);
  });
});

const FULL = {
  headline: 'Deaf UX researcher',
  summary: 'Ten years of research with Deaf communities.',
  desired_titles: ['UX researcher', 'Research lead'],
  locations: ['Washington, DC, US'],
  remote_preference: 'hybrid',
  experience_level: 'senior',
  salary: { min: 90000, currency: 'USD', period: 'YEAR' },
  availability: 'one_month',
  work_authorization: 'US citizen',
  links: ['https://example.org/portfolio'],
  communication_modes: ['asl', 'email'],
  skills: ['User Research', 'JS', 'asl'],
  experience: [
    { title: 'Researcher', organisation: 'Acme', start_date: '2019-01', end_date: '2022-06', description: 'Studies.' },
  ],
  education: [{ institution: 'Gallaudet University', credential: 'MA', field: 'Psychology', start_date: '2015', end_date: '2017' }],
  disclosure: 'after_apply',
  visibility: 'employers',
};

describe('profile API', () => {
  test('PUT then GET returns the stored profile; PUT merges', async () => {
    const s = await person();
    let r = await api(srv, '/api/v1/profile', { ...FULL, videophone: '+1 555 0102', accommodations: { needs: ['cart'], notes: 'CART please' } }, s.token, 'PUT');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const d = r.body.data;
    assert.deepEqual(d.skills, ['user research', 'javascript', 'asl']);
    assert.deepEqual(d.accommodations, { needs: ['cart'], notes: 'CART please' });
    assert.equal(d.videophone, '+1 555 0102');
    r = await api(srv, '/api/v1/profile', { headline: 'Changed' }, s.token, 'PUT');
    assert.equal(r.status, 200);
    assert.equal(r.body.data.headline, 'Changed');
    assert.equal(r.body.data.summary, FULL.summary);
    assert.deepEqual(r.body.data.accommodations.needs, ['cart']);
    const g = await get('/api/v1/profile', s.token);
    assert.deepEqual(g.body.data, r.body.data);
  });

  test('wrong types, unknown members and bad values are 422 naming the path', async () => {
    const s = await person();
    let r = await api(srv, '/api/v1/profile', { headline: 5, experience: [{ title: 'A' }, { title: [] }], bogus: 1 }, s.token, 'PUT');
    assert.equal(r.status, 422);
    const fields = r.body.errors.map((e) => e.field);
    assert.ok(fields.includes('headline'));
    assert.ok(fields.includes('experience[1].title'));
    assert.ok(fields.includes('bogus'));
    r = await api(srv, '/api/v1/profile', { links: ['javascript:alert(1)'], summary: 's'.repeat(4001), communication_modes: ['telepathy'] }, s.token, 'PUT');
    assert.equal(r.status, 422);
    const f2 = r.body.errors.map((e) => e.field);
    assert.ok(f2.includes('links') && f2.includes('summary') && f2.includes('communication_modes[0]'), f2.join());
    r = await api(srv, '/api/v1/profile', { experience: [{ title: 'A', start_date: '2020-99' }] }, s.token, 'PUT');
    assert.equal(r.status, 422);
    assert.equal(r.body.errors[0].field, 'experience[0].start_date');
    r = await api(srv, '/api/v1/profile', '{"headline": ', s.token, 'PUT');
    assert.equal(r.status, 400);
  });

  test('JSON Resume: export, import into another account, export again: the mapped fields are equal', async () => {
    const a = await person('job_seeker', 'Alex Resume');
    const b = await person('job_seeker', 'Blair Import');
    let r = await api(srv, '/api/v1/profile', { ...FULL, videophone: '+1 555 0199', text_phone: '+1 555 0198', accommodations: { needs: ['asl_interpreter'], notes: 'sensitive-note' } }, a.token, 'PUT');
    assert.equal(r.status, 200);
    const ex = await get('/api/v1/profile/resume.json', a.token);
    assert.equal(ex.status, 200);
    assert.match(ex.headers.get('content-disposition'), /resume\.json/);
    const resume = ex.body;
    assert.equal(resume.basics.label, FULL.headline);
    assert.equal(resume.basics.email, a.email);
    assert.deepEqual(resume.basics.location, { city: 'Washington', region: 'DC', countryCode: 'US' });
    assert.equal(resume.work[0].position, 'Researcher');
    assert.equal(resume.education[0].studyType, 'MA');
    assert.ok(!ex.text.includes('555'), 'no numbers in JSON Resume');
    assert.ok(!ex.text.includes('sensitive-note') && !ex.text.includes('asl_interpreter'), 'no needs in JSON Resume');

    // Beacon-only fields of b survive the import.
    r = await api(srv, '/api/v1/profile', { visibility: 'public', communication_modes: ['vrs'] }, b.token, 'PUT');
    assert.equal(r.status, 200);
    r = await api(srv, '/api/v1/profile/resume', { ...resume, meta: { version: 'v1' }, interests: [{ name: 'x' }] }, b.token);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data.visibility, 'public');
    assert.deepEqual(r.body.data.communication_modes, ['vrs']);
    const ex2 = (await get('/api/v1/profile/resume.json', b.token)).body;
    const strip = (x) => ({ ...x, basics: { ...x.basics, name: undefined, email: undefined } });
    assert.deepEqual(strip(ex2), strip(resume));

    // The page link works with the session too.
    const page = await a.c.get('/profile/resume.json');
    assert.equal(page.status, 200);
    assert.deepEqual(JSON.parse(page.text_), resume);

    // The page takes a pasted document too, and names the place of a problem.
    const c = await person('job_seeker', 'Cody Paste');
    let res = await c.c.submit('/profile', '/profile/import', { resume: JSON.stringify(resume) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/profile?done=imported');
    const ex3 = (await get('/api/v1/profile/resume.json', c.token)).body;
    assert.deepEqual(strip(ex3), strip(resume));
    res = await c.c.submit('/profile', '/profile/import', { resume: '{"work": [{"position": "A", "startDate": 2020}]}' });
    assert.equal(res.status, 422);
    assert.match(res.text_, /At work\[0\]\.startDate/);
    assert.match(res.text_, /href="#f-resume"/);
    res = await c.c.submit('/profile', '/profile/import', { resume: 'not json <b>' });
    assert.equal(res.status, 422);
    assert.match(res.text_, /not json &lt;b&gt;/);

    r = await api(srv, '/api/v1/profile/resume', { work: [{ position: 'A', startDate: 2020 }], skills: 'js' }, b.token);
    assert.equal(r.status, 422);
    const fields = r.body.errors.map((e) => e.field);
    assert.ok(fields.includes('skills'), fields.join());
    r = await api(srv, '/api/v1/profile/resume', { work: [{ position: 'A', startDate: 2020 }] }, b.token);
    assert.equal(r.status, 422);
    assert.equal(r.body.errors[0].field, 'work[0].startDate');
    r = await api(srv, '/api/v1/profile/resume', { work: [{ name: 'Acme', startDate: '2020-01' }] }, b.token);
    assert.equal(r.status, 422);
    assert.equal(r.body.errors[0].field, 'work[0].position');
  });
});

describe('sealed data', () => {
  test('needs and numbers are never plain text in the database, and open for the owner', async () => {
    const s = await person();
    const note = marker('needsnote');
    const vp = '+1 555 8642';
    const tp = '+44 20 7946 0999';
    const r = await api(srv, '/api/v1/profile', { videophone: vp, text_phone: tp, accommodations: { needs: ['extra_time', 'visual_alerts'], notes: note }, visibility: 'employers', headline: 'Sealed test' }, s.token, 'PUT');
    assert.equal(r.status, 200);
    const url = srv.env.BEACON_DATABASE_URL;
    if (url.startsWith('sqlite:')) {
      sql('PRAGMA wal_checkpoint(FULL)');
      const path = url.slice('sqlite:'.length);
      for (const f of [path, `${path}-wal`]) {
        if (!existsSync(f)) continue;
        const bytes = readFileSync(f).toString('latin1');
        assert.ok(!bytes.includes(note), `note in ${f}`);
        assert.ok(!bytes.includes('555 8642') && !bytes.includes('7946 0999'), `number in ${f}`);
        assert.ok(!bytes.includes('extra_time'), `need code in ${f}`);
      }
    }
    const row = sql(`SELECT videophone_sealed || '|' || text_phone_sealed || '|' || accommodations_sealed FROM profiles WHERE headline = 'Sealed test'`);
    assert.match(row, /^s1\./);
    assert.ok(!row.includes(note) && !row.includes('8642') && !row.includes('extra_time'));
    const g = await get('/api/v1/profile', s.token);
    assert.equal(g.body.data.videophone, vp);
    assert.equal(g.body.data.text_phone, tp);
    assert.deepEqual(g.body.data.accommodations, { needs: ['extra_time', 'visual_alerts'], notes: note });
  });
});

describe('candidate search', () => {
  test('employers find visible profiles only, never needs or numbers; private ones 404; seekers 403', async () => {
    const word = marker('candzz');
    const note = marker('secretneed');
    const vis = await person('job_seeker', 'Vera Visible');
    const priv = await person('job_seeker', 'Pat Private');
    const pub = await person('job_seeker', 'Pia Public');
    const common = { summary: `Works with ${word} daily.`, skills: ['SQL', 'American Sign Language'], videophone: '+1 555 7777', accommodations: { needs: ['cart'], notes: note }, disclosure: 'after_apply' };
    assert.equal((await api(srv, '/api/v1/profile', { ...common, visibility: 'employers', remote_preference: 'remote', experience_level: 'mid' }, vis.token, 'PUT')).status, 200);
    assert.equal((await api(srv, '/api/v1/profile', { ...common, visibility: 'private' }, priv.token, 'PUT')).status, 200);
    assert.equal((await api(srv, '/api/v1/profile', { ...common, visibility: 'public', remote_preference: 'onsite', experience_level: 'senior' }, pub.token, 'PUT')).status, 200);
    const privId = (await get('/api/v1/profile', priv.token)).body.data.user_id;
    const visId = (await get('/api/v1/profile', vis.token)).body.data.user_id;

    const emp = await person('employer', 'Erin Employer');
    let r = await get(`/api/v1/candidates?q=${word}`, emp.token);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data.map((h) => h.display_name).sort(), ['Pia Public', 'Vera Visible']);
    assert.equal(r.body.meta.total, 2);
    for (const bad of [note, '7777', 'cart', '@']) assert.ok(!r.text.includes(bad), bad);
    r = await get(`/api/v1/candidates?q=${word}&skills=asl,sql&remote=remote`, emp.token);
    assert.deepEqual(r.body.data.map((h) => h.display_name), ['Vera Visible']);
    r = await get(`/api/v1/candidates?q=${word}&level=senior`, emp.token);
    assert.deepEqual(r.body.data.map((h) => h.display_name), ['Pia Public']);
    r = await get(`/api/v1/candidates?q=${word}&skills=cobol`, emp.token);
    assert.equal(r.body.meta.total, 0);
    r = await get('/api/v1/candidates?remote=moon', emp.token);
    assert.equal(r.status, 400);
    assert.equal(r.body.param, 'remote');
    r = await get(`/api/v1/candidates?q=${word}&per_page=1&page=2`, emp.token);
    assert.equal(r.body.data.length, 1);

    r = await get(`/api/v1/candidates/${visId}`, emp.token);
    assert.equal(r.status, 200);
    for (const bad of [note, '7777', 'accommodations', 'videophone', 'disclosure', vis.email]) assert.ok(!r.text.includes(bad), bad);
    r = await get(`/api/v1/candidates/${privId}`, emp.token);
    assert.equal(r.status, 404);

    let page = await emp.c.get(`/candidates?q=${word}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /Vera Visible/);
    assert.ok(!page.text_.includes('Pat Private'));
    for (const bad of [note, '7777', vis.email]) assert.ok(!page.text_.includes(bad), bad);
    page = await emp.c.get(`/candidates/${visId}`);
    assert.equal(page.status, 200);
    for (const bad of [note, '7777', 'CART', vis.email]) assert.ok(!page.text_.includes(bad), bad);
    page = await emp.c.get(`/candidates/${privId}`);
    assert.equal(page.status, 404);
    page = await emp.c.get('/candidates?q=nothingmatchesthisatallzz');
    assert.match(page.text_, /No candidates match/);

    // Public profiles are open to anyone with the link; the others are not.
    const pubId = (await get('/api/v1/profile', pub.token)).body.data.user_id;
    const anon = await fetch(`${srv.url}/candidates/${pubId}`);
    const anonText = await anon.text();
    assert.equal(anon.status, 200);
    assert.match(anonText, /Pia Public/);
    for (const bad of [note, '7777', 'CART', pub.email]) assert.ok(!anonText.includes(bad), bad);
    assert.equal((await fetch(`${srv.url}/candidates/${visId}`)).status, 404);
    assert.equal((await vis.c.get(`/candidates/${visId}`)).status, 404);
    assert.equal((await vis.c.get(`/candidates/${pubId}`)).status, 200);
    assert.match((await pub.c.get('/profile')).text_, new RegExp(`href="/candidates/${pubId}"`));

    const seeker = vis;
    assert.equal((await get('/api/v1/candidates', seeker.token)).status, 403);
    assert.equal((await seeker.c.get('/candidates')).status, 403);
    assert.equal((await get(`/api/v1/candidates/${visId}`, seeker.token)).status, 403);
    assert.equal((await get('/api/v1/candidates')).status, 401);
    // Employers have no seeker profile.
    assert.equal((await get('/api/v1/profile', emp.token)).status, 403);
    assert.equal((await emp.c.get('/profile')).status, 403);
  });
});

describe('candidate search by words (full-text index)', () => {
  test('stems and case like job search; hostile input is plain words; edits, private and totals follow', async () => {
    const word = marker('ftszz');
    const emp = await person('employer', 'Finn Finder');
    const names = ['Ada Indexed', 'Ben Indexed', 'Cy Indexed'];
    const seekers = [];
    for (const name of names) seekers.push(await person('job_seeker', name));
    const put = (s, body) => api(srv, '/api/v1/profile', { visibility: 'employers', ...body }, s.token, 'PUT');
    assert.equal((await put(seekers[0], { headline: 'Accessibility Developer', summary: `${word} builds dashboards.`, skills: ['Rust'] })).status, 200);
    assert.equal((await put(seekers[1], { headline: 'Data analyst', summary: `${word} is developing reports near Austin.`, skills: ['SQL'] })).status, 200);
    assert.equal((await put(seekers[2], { headline: 'Interpreter', summary: `${word} works in ASL.`, skills: ['ASL'], visibility: 'public' })).status, 200);
    const found = async (q, extra = '') => {
      const r = await get(`/api/v1/candidates?q=${encodeURIComponent(q)}${extra}`, emp.token);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      return r.body;
    };
    const namesOf = (body) => body.data.map((h) => h.display_name).sort();

    assert.equal((await found(word)).meta.total, 3);
    assert.deepEqual(namesOf(await found(`${word} DEVELOPERS`)), ['Ada Indexed', 'Ben Indexed']);
    assert.deepEqual(namesOf(await found(`${word} dashboard`)), ['Ada Indexed']);
    assert.deepEqual(namesOf(await found(`${word.toUpperCase()} interpreting`)), ['Cy Indexed']);
    assert.equal((await found(`${word} dev`)).meta.total, 0); // whole words, as in job search
    assert.deepEqual(namesOf(await found(word, '&skills=sql')), ['Ben Indexed']);

    // FTS syntax and quotes in the input are plain text: never a 500 or an SQL error.
    const hostile = ['"', `"${word}`, `${word}"`, '"""', `${word} NEAR developer`, `NEAR(${word} developer)`,
      `${word} AND`, `OR ${word}`, `NOT ${word}`, `${word}*`, '*', `^${word}`, `search_text:${word}`,
      `${word} -rust`, `(${word}`, `{${word}}`, "'", "'; DROP TABLE profiles; --", 'a"b"c"', `${word} + +`,
      '\u201c' + word + '\u201d', `${word}\u0000`];
    for (const q of hostile) {
      const r = await get(`/api/v1/candidates?q=${encodeURIComponent(q)}`, emp.token);
      assert.ok(r.status === 200 || r.status === 400, `${JSON.stringify(q)}: ${r.status}`);
      const page = await emp.c.get(`/candidates?q=${encodeURIComponent(q)}`);
      assert.ok(page.status === 200 || page.status === 400, `page ${JSON.stringify(q)}: ${page.status}`);
    }
    assert.equal((await found(`"${word}`)).meta.total, 3);
    assert.equal((await found(`${word}*`)).meta.total, 3);
    assert.equal((await found(`NOT ${word}`)).meta.total, 3); // "not" is a stop word, never negation
    assert.deepEqual(namesOf(await found(`${word} NEAR Austin`)), ['Ben Indexed']);
    assert.deepEqual(namesOf(await found(`\u201c${word}\u201d interpreter`)), ['Cy Indexed']);

    // Pages carry the total; a page past the end still counts.
    let r = await found(word, '&per_page=2&page=1');
    assert.equal(r.data.length, 2);
    assert.equal(r.meta.total, 3);
    const r2 = await found(word, '&per_page=2&page=2');
    assert.equal(r2.data.length, 1);
    assert.equal(r2.meta.total, 3);
    assert.deepEqual([...r.data, ...r2.data].map((h) => h.display_name).sort(), names);
    r = await found(word, '&per_page=2&page=5');
    assert.equal(r.data.length, 0);
    assert.equal(r.meta.total, 3);

    // An edit replaces the indexed words.
    assert.equal((await put(seekers[1], { headline: 'Statistician', summary: `${word} plots.`, skills: ['SQL'] })).status, 200);
    assert.deepEqual(namesOf(await found(`${word} statistician`)), ['Ben Indexed']);
    assert.equal((await found(`${word} analyst`)).meta.total, 0);
    // Made private: no longer found by words, skills or location; visible again: back.
    assert.equal((await put(seekers[0], { headline: 'Accessibility Developer', summary: `${word} builds dashboards.`, skills: ['Rust'], visibility: 'private' })).status, 200);
    assert.deepEqual(namesOf(await found(word)), ['Ben Indexed', 'Cy Indexed']);
    assert.equal((await found(`${word} dashboards`)).meta.total, 0);
    const page = await emp.c.get(`/candidates?q=${word}+dashboards`);
    assert.match(page.text_, /No candidates match/);
    assert.equal((await put(seekers[0], { headline: 'Accessibility Developer', summary: `${word} builds dashboards.`, skills: ['Rust'] })).status, 200);
    assert.deepEqual(namesOf(await found(`${word} dashboards`)), ['Ada Indexed']);
  });
});
