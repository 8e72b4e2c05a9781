// Data for bench/seekers, made through the JSON API like real clients would:
// one employer (company, jobs, a signed-in web session), N job seekers (signed
// up, email confirmed from the mail folder, full profile visible to employers,
// a resume, 1-3 applications each), then stage moves and messages both ways,
// which also make notifications.
//
//   node bench/seekers-setup.mjs BASE VAR_DIR [--seekers 300] [--parallel 8] [--jobs 6] [--seed 7]
//
// Prints one JSON object on stdout (tokens, cookie, ids, counts, timings);
// progress goes to stderr.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '../tests/lib/accounts.mjs';

const [base, varDir, ...rest] = process.argv.slice(2);
if (!base || !varDir) {
  console.error('usage: node bench/seekers-setup.mjs BASE VAR_DIR [--seekers N] [--parallel P] [--jobs J] [--seed S]');
  process.exit(2);
}
const opt = { seekers: 300, parallel: 8, jobs: 6, seed: 7 };
for (let i = 0; i < rest.length; i += 2) {
  const k = rest[i].replace(/^--/, '');
  if (!(k in opt)) throw new Error(`unknown option ${rest[i]}`);
  opt[k] = Number(rest[i + 1]);
}
const PASSWORD = 'correct horse battery staple';
const RUN = Date.now().toString(36);
const t0 = performance.now();
const log = (...a) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1)}s]`, ...a);

// A small deterministic generator (mulberry32), so every run has the same shape.
let seed = opt.seed >>> 0;
function rnd() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const some = (a, lo, hi) => {
  const n = lo + Math.floor(rnd() * (hi - lo + 1));
  const copy = [...a];
  const out = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0]);
  return out;
};

// ---- HTTP ---------------------------------------------------------------
let requests = 0;
async function api(path, body, token, method = body === undefined ? 'GET' : 'POST') {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  for (let attempt = 0; ; attempt++) {
    requests++;
    const res = await fetch(base + path, { method, headers, body: payload });
    const text = await res.text();
    if (res.status === 429 && attempt < 20) {
      await sleep(1000 * Number(res.headers.get('retry-after') || 1));
      continue;
    }
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: json, text };
  }
}
function must(r, want, what) {
  if (!(Array.isArray(want) ? want : [want]).includes(r.status))
    throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 400)}`);
  return r.body;
}
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// ---- The mail folder: verification links by recipient, reading each file once.
const mailDir = join(varDir, 'mail');
const seen = new Set();
const links = new Map();
function unqp(s) {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}
function scanMail() {
  if (!existsSync(mailDir)) return;
  for (const f of readdirSync(mailDir)) {
    if (!f.endsWith('.eml') || seen.has(f)) continue;
    seen.add(f);
    const raw = readFileSync(join(mailDir, f), 'utf8');
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.slice(0, split);
    let text = raw.slice(split + 4);
    if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) text = unqp(text);
    const to = (head.match(/^To: (.*)$/im) || [])[1] || '';
    const m = text.match(/https?:\/\/[^/\s]+(\/verify-email\?token=[A-Za-z0-9_-]+)/);
    if (m) links.set(to.replace(/.*</, '').replace(/>.*/, '').trim().toLowerCase(), m[1]);
  }
}
async function verifyLink(email, ms = 60000) {
  const until = Date.now() + ms;
  for (;;) {
    scanMail();
    const l = links.get(email.toLowerCase());
    if (l) return l;
    if (Date.now() > until) throw new Error(`no verification mail for ${email} within ${ms} ms`);
    await sleep(150);
  }
}

/** Sign up, confirm the address through the page form, get API tokens. */
async function account(email, name, role) {
  must(await api('/api/v1/auth/register', { email, password: PASSWORD, display_name: name, role }), 202, `register ${email}`);
  const link = await verifyLink(email);
  const c = new Client(base);
  const token = new URL(link, base).searchParams.get('token');
  const v = await c.submit(link, '/verify-email', { token });
  if (v.status !== 200) throw new Error(`verify ${email}: HTTP ${v.status}`);
  return signInApi(email);
}
async function signInApi(email) {
  return must(await api('/api/v1/auth/token', { email, password: PASSWORD }), 200, `token ${email}`).access_token;
}

// ---- Vocabulary for realistic profiles and jobs --------------------------
const SKILLS = ['sql', 'python', 'javascript', 'excel', 'asl', 'customer service', 'project management',
  'react', 'java', 'accounting', 'bookkeeping', 'data analysis', 'tableau', 'photoshop', 'figma',
  'ux research', 'technical writing', 'linux', 'aws', 'docker', 'c', 'go', 'scheduling', 'sales',
  'marketing', 'seo', 'copywriting', 'quality assurance', 'forklift', 'welding', 'cad', 'nursing',
  'teaching', 'spanish', 'payroll', 'recruiting'];
const TITLES = ['Data analyst', 'Software engineer', 'Customer support specialist', 'Accountant',
  'UX designer', 'Technical writer', 'QA engineer', 'Project coordinator', 'Marketing specialist',
  'ASL teacher', 'Warehouse associate', 'Registered nurse', 'Payroll clerk', 'DevOps engineer',
  'Graphic designer', 'Sales representative'];
const PLACES = ['Austin, TX, US', 'Washington, DC, US', 'Rochester, NY, US', 'Fremont, CA, US',
  'Chicago, IL, US', 'Seattle, WA, US', 'Minneapolis, MN, US', 'Atlanta, GA, US', 'Toronto, ON, CA',
  'Denver, CO, US', 'Boston, MA, US', 'Frederick, MD, US'];
const ORGS = ['Gallaudet University', 'Sorenson', 'Convo', 'Acme Corp', 'City of Austin', 'NTID',
  'Northwind Traders', 'Contoso', 'Fabrikam', 'Initech', 'Globex', 'Umbrella Health'];
const LEVELS = ['entry', 'mid', 'senior', 'lead', 'executive'];
const AVAIL = ['immediately', 'two_weeks', 'one_month', 'three_months'];
const REMOTE = ['any', 'remote', 'hybrid', 'onsite'];
const WORDS = ('reliable detail oriented team player who communicates clearly in ASL and in writing ' +
  'experienced with data reporting dashboards spreadsheets customers deadlines budgets training mentoring ' +
  'inventory scheduling documentation testing deployment research interviews accessibility').split(' ');
const sentence = (n) => some(WORDS, n, n).join(' ');

function profileFor(i) {
  const title = pick(TITLES);
  const start = 2005 + Math.floor(rnd() * 15);
  const experience = [];
  for (let k = 0, y = start; k < 1 + Math.floor(rnd() * 3); k++) {
    const end = Math.min(2026, y + 1 + Math.floor(rnd() * 4));
    experience.push({ title: pick(TITLES), organisation: pick(ORGS), start_date: `${y}-0${1 + Math.floor(rnd() * 9)}`,
      end_date: k === 0 ? null : `${end}`, description: `Responsible for ${sentence(8)}.` });
    y = end;
  }
  return {
    headline: `${title} with ${2 + Math.floor(rnd() * 15)} years of experience`,
    summary: `${title} (${i}). ${sentence(12)}. ${sentence(10)}.`,
    desired_titles: some(TITLES, 1, 3),
    locations: some(PLACES, 1, 2),
    remote_preference: pick(REMOTE),
    experience_level: pick(LEVELS),
    salary: { min: 30000 + Math.floor(rnd() * 90) * 1000, currency: 'USD', period: 'YEAR' },
    availability: pick(AVAIL),
    work_authorization: 'Authorised to work in the US',
    links: [`https://example.org/portfolio/${i}`],
    communication_modes: some(['asl', 'written', 'email', 'vrs', 'cart'], 1, 3),
    skills: some(SKILLS, 4, 9),
    experience,
    education: [{ institution: pick(['Gallaudet University', 'NTID', 'CSUN', 'Austin Community College']),
      credential: pick(['BA', 'BS', 'AAS', 'MA']), field: pick(['Computer science', 'Accounting', 'Deaf studies', 'Design']),
      start_date: `${start - 4}`, end_date: `${start}` }],
    accommodations: { needs: some(['asl_interpreter', 'cart', 'written_questions', 'video_relay', 'visual_alerts'], 0, 2), notes: '' },
    disclosure: pick(['never', 'after_apply', 'interview']),
    visibility: rnd() < 0.9 ? 'employers' : 'public',
  };
}

function jobFor(k) {
  const title = k === 0 ? 'Data analyst' : TITLES[(k * 5) % TITLES.length];
  return {
    title: `${title} (${RUN}-${k})`,
    description_markdown: `We are hiring a **${title}**.\n\n${sentence(15)}.\n\n- ${sentence(6)}\n- ${sentence(6)}\n`,
    employment_type: k % 4 === 3 ? 'PART_TIME' : 'FULL_TIME',
    experience_level: LEVELS[k % 4],
    location: { city: 'Austin', region: 'TX', country: 'US' },
    remote: k % 2 === 0,
    salary: { min: 50000 + k * 5000, max: 80000 + k * 5000, currency: 'USD', period: 'YEAR' },
    skills: { required: some(SKILLS, 2, 4), preferred: some(SKILLS, 1, 3) },
    accommodations: ['asl_interpreter'],
  };
}

/** Run fn(i) for i in 0..n-1, at most `parallel` at a time. */
async function pool(n, parallel, fn) {
  let next = 0;
  let done = 0;
  const out = new Array(n);
  const step = Math.max(1, Math.floor(n / 10));
  async function lane() {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
      if (++done % step === 0) log(`  ${done}/${n}`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, lane));
  return out;
}

// ---- 1. The employer ------------------------------------------------------
const employerEmail = `employer.${RUN}@example.org`;
log('employer: sign-up, company, jobs');
let empToken = await account(employerEmail, 'Erin Employer', 'employer');
must(await api('/api/v1/company', { name: `Beacon Bench Co ${RUN}`, description_markdown: 'A company made by bench/seekers.',
  website: 'https://example.org', size: '51-200', industry: 'Software', deaf_owned: true, asl_fluent_staff: true }, empToken, 'PUT'),
[200, 201], 'company');
const jobs = [];
for (let k = 0; k < opt.jobs; k++) jobs.push(must(await api('/api/v1/jobs', jobFor(k), empToken), 201, `job ${k}`).data.id);

// ---- 2. The seekers ----------------------------------------------------------
// Job popularity is skewed: the first job is the one most seekers apply to.
const weights = jobs.map((_, k) => 1 / (k + 1) ** 1.3);
const wsum = weights.reduce((a, b) => a + b, 0);
function pickJob() {
  let r = rnd() * wsum;
  for (let k = 0; k < jobs.length; k++) if ((r -= weights[k]) < 0) return k;
  return jobs.length - 1;
}
log(`${opt.seekers} seekers, ${opt.parallel} at a time: sign-up, confirm, profile, resume, applications`);
const signupMs = [];
const seekers = await pool(opt.seekers, opt.parallel, async (i) => {
  const email = `seeker.${RUN}.${i}@example.org`;
  // Draw everything random up front, so the data does not depend on the interleaving.
  const profile = profileFor(i);
  const want = new Set();
  const nApps = i === 0 ? 3 : 1 + Math.floor(rnd() * 3);
  while (want.size < Math.min(nApps, jobs.length)) want.add(i === 0 ? want.size : pickJob());
  const messageText = rnd() < 0.5 ? `Hello, I am very interested. ${sentence(8)}.` : undefined;
  const s = performance.now();
  const token = await account(email, `Seeker ${i}`, 'job_seeker');
  signupMs.push(performance.now() - s);
  must(await api('/api/v1/profile', profile, token, 'PUT'), 200, `profile ${i}`);
  const form = new FormData();
  form.set('kind', 'resume');
  form.set('file', new Blob([`${profile.headline}\n\n${profile.summary}\n\nSkills: ${profile.skills.join(', ')}\n`], { type: 'text/plain' }), `resume-${i}.txt`);
  const resume = must(await api('/api/v1/documents', form, token), 201, `resume ${i}`).data.id;
  const apps = [];
  for (const k of want) {
    const body = { resume_id: resume };
    if (messageText) body.message = messageText;
    apps.push({ job: k, id: must(await api(`/api/v1/jobs/${jobs[k]}/applications`, body, token), 201, `apply ${i}`).data.id });
  }
  return { email, token, apps };
});

// ---- 3. The employer works the pipeline; messages both ways -----------------
// Tokens last 15 minutes: take fresh ones for this part.
empToken = await signInApi(employerEmail);
const all = seekers.flatMap((s, i) => s.apps.map((a) => ({ ...a, seeker: i })));
let stageMoves = 0;
let messages = 0;
log(`employer: stage moves and messages on ${all.length} applications`);
const plan = all.map((a) => ({ a, r: rnd(), r2: rnd() }));
const needSeekerTokens = new Set(plan.filter((p) => p.a.seeker === 0 || p.r2 < 0.15).map((p) => p.a.seeker));
const fresh = new Map();
await pool([...needSeekerTokens].length, opt.parallel, async (j) => {
  const i = [...needSeekerTokens][j];
  fresh.set(i, await signInApi(seekers[i].email));
});
await pool(plan.length, opt.parallel, async (j) => {
  const { a, r, r2 } = plan[j];
  const first = a.seeker === 0;
  if (first || r < 0.35) {
    must(await api(`/api/v1/applications/${a.id}/stage`, { stage: 'screening', note: 'Thanks, we are looking at it.' }, empToken), 200, 'stage');
    stageMoves++;
    if (first || r < 0.1) {
      must(await api(`/api/v1/applications/${a.id}/stage`, { stage: r < 0.05 ? 'rejected' : 'interview' }, empToken), 200, 'stage 2');
      stageMoves++;
    }
  }
  if (first || r2 < 0.3) {
    must(await api(`/api/v1/applications/${a.id}/messages`, { body: `Hi, thanks for applying. ${sentence(10)}?` }, empToken), 201, 'message');
    messages++;
    if (first || r2 < 0.15) {
      const tok = fresh.get(a.seeker);
      must(await api(`/api/v1/applications/${a.id}/messages`, { body: `Thank you! ${sentence(8)}.` }, tok), 201, 'reply');
      messages++;
    }
  }
});

// ---- 4. What the benchmark needs -------------------------------------------
const perJob = jobs.map((id, k) => ({ id, applications: all.filter((a) => a.job === k).length }));
const biggest = perJob.reduce((a, b) => (b.applications > a.applications ? b : a));
const web = new Client(base);
const si = await web.submit('/signin', '/signin', { email: employerEmail, password: PASSWORD });
if (si.status !== 303) throw new Error(`employer web sign-in: HTTP ${si.status}`);
const cookie = web.cookieHeader();
const seekerToken = await signInApi(seekers[0].email);
empToken = await signInApi(employerEmail);
const seekerNotes = must(await api('/api/v1/notifications?limit=1', undefined, seekerToken), 200, 'seeker notifications');
const empNotes = must(await api('/api/v1/notifications?limit=1', undefined, empToken), 200, 'employer notifications');
const board = await web.get(`/employer/jobs/${biggest.id}/applicants`);
if (board.status !== 200) throw new Error(`pipeline board: HTTP ${board.status}`);
signupMs.sort((a, b) => a - b);
log('done');
console.log(JSON.stringify({
  employer_token: empToken,
  employer_cookie: cookie,
  seeker_token: seekerToken,
  biggest_job: biggest.id,
  biggest_job_applications: biggest.applications,
  board_bytes: Buffer.byteLength(board.text_),
  jobs: perJob,
  seekers: seekers.length,
  applications: all.length,
  stage_moves: stageMoves,
  messages,
  seeker_apps: seekers[0].apps.length,
  seeker_notifications_unread: seekerNotes.unread,
  employer_notifications_unread: empNotes.unread,
  setup_requests: requests,
  setup_seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  signup_ms_median: Number(signupMs[Math.floor(signupMs.length / 2)].toFixed(0)),
}));
