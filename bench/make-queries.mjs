// make-queries.mjs - the benchmark's search mix, written once and read by the wrk scripts.
//
//   node bench/make-queries.mjs [COUNT] [OUT]     (defaults: 5000, bench/out/queries.txt)
//
// Each line is a query string (no leading "?") for /api/v1/jobs and /jobs. The mix is
// deterministic (fixed seed) and shaped like real job-search traffic: mostly one or two
// words from the generator's titles and skills, often a place, sometimes filters, a few
// other sorts and deeper pages, and a small share of words that match nothing.
// Every line is distinct.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const count = Number(process.argv[2] ?? 5000);
const out = resolve(process.argv[3] ?? `${here}/out/queries.txt`);
if (!Number.isInteger(count) || count < 1 || count > 1000000) {
  console.error('make-queries: COUNT must be a whole number from 1 to 1000000');
  process.exit(2);
}

// mulberry32: small, fast, and the same on every machine.
let seed = 0x5eed2026;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];
const chance = (p) => rand() < p;

// Words that occur in src/cli/gen.c output (titles, skills, duties, descriptions).
const common = [
  'nurse', 'registered nurse', 'developer', 'software', 'teacher', 'ASL', 'excel', 'python',
  'warehouse', 'electrician', 'analyst', 'data', 'captioning', 'designer', 'accountant',
  'sql', 'chef', 'machinist', 'carpenter', 'coordinator', 'support', 'marketing', 'manager',
  'project', 'deaf', 'interpreter', 'counselor', 'social worker', 'lab', 'technician',
  'coder', 'medical', 'financial', 'logistics', 'video', 'editor', 'UX', 'figma',
  'accessibility', 'javascript', 'git', 'tableau', 'forklift', 'inventory', 'wiring',
  'cnc', 'cooking', 'scheduling', 'budgeting', 'jira', 'agile', 'seo', 'copywriting',
  'zendesk', 'bookkeeping', 'quickbooks', 'curriculum', 'literacy', 'charting', 'billing',
  'typography', 'photoshop', 'blueprint', 'safety', 'case management', 'chat', 'remote',
  'senior', 'junior', 'lead', 'director', 'assistant', 'administrative', 'customer',
  'statistics', 'reporting', 'forecasting', 'microscopy', 'chemistry', 'baking', 'framing',
];
// Words that match nothing or nearly nothing: real users misspell and ask for jobs we lack.
const rare = ['astronaut', 'plumber', 'kubernetes', 'nurce', 'developr', 'zookeeper', 'rust',
  'welder', 'pharmacist', 'sommelier'];
const places = [
  'Austin', 'Seattle', 'Rochester', 'Toronto', 'London', 'Washington', 'Fremont', 'Chicago',
  'Minneapolis', 'Atlanta', 'Boston', 'Denver', 'Phoenix', 'Columbus', 'Frederick', 'Portland',
  'Raleigh', 'Salt Lake City', 'New York', 'Los Angeles', 'Vancouver', 'Manchester',
  'Austin, TX', 'Rochester, NY', 'Seattle, WA', 'Toronto, ON', 'London, England', 'US', 'CA',
  'GB', 'Springfield',
];
const types = ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'TEMPORARY', 'INTERN', 'VOLUNTEER'];
const levels = ['entry', 'mid', 'senior', 'lead', 'executive'];
const accommodations = [
  'asl_interpreter', 'captioned_meetings', 'cart', 'text_interviews', 'videophone',
  'visual_alerts', 'flexible_schedule', 'remote_option', 'assistive_technology', 'deaf_owned',
  'asl_fluent_staff', 'written_instructions',
];

function words() {
  const r = rand();
  const n = r < 0.2 ? 0 : r < 0.65 ? 1 : r < 0.9 ? 2 : 3;
  const chosen = [];
  for (let i = 0; i < n; i++) chosen.push(chance(0.04) ? pick(rare) : pick(common));
  return [...new Set(chosen)].join(' ');
}

function distinct(list, n) {
  const s = new Set();
  while (s.size < n) s.add(pick(list));
  return [...s];
}

function query() {
  const p = [];
  const add = (k, v) => p.push(`${k}=${encodeURIComponent(v)}`);
  const q = words();
  if (q) add('q', q);
  if (chance(0.35)) add('location', pick(places));
  if (chance(0.2)) add('remote', chance(0.75) ? 'true' : 'false');
  if (chance(0.25)) for (const t of distinct(types, chance(0.8) ? 1 : 2)) add('type', t);
  if (chance(0.2)) for (const l of distinct(levels, chance(0.8) ? 1 : 2)) add('level', l);
  if (chance(0.2))
    for (const a of distinct(accommodations, chance(0.75) ? 1 : 2)) add('accommodation', a);
  if (chance(0.15)) add('min_salary', pick([30000, 50000, 75000, 100000, 150000]));
  const s = rand();
  if (s < 0.15) add('sort', 'date');
  else if (s < 0.27) add('sort', 'salary');
  else if (s < 0.32) add('sort', 'relevance');
  const pg = rand();
  if (pg < 0.15) add('page', 2 + Math.floor(rand() * 4));
  else if (pg < 0.2) add('page', 6 + Math.floor(rand() * 45));
  if (chance(0.1)) add('per_page', pick([50, 100]));
  return p.join('&');
}

const seen = new Set();
let attempts = 0;
while (seen.size < count && attempts++ < count * 50) seen.add(query());
if (seen.size < count) {
  console.error(`make-queries: only ${seen.size} distinct queries could be made`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, [...seen].join('\n') + '\n');
console.log(`make-queries: wrote ${seen.size} distinct queries to ${out}`);
