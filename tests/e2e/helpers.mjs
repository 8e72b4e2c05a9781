// Shared helpers for the HTTP end-to-end tests (not a test file itself).
//
// The fixture tests/fixtures/jobs.jsonl is read here a second time and
// turned into a small independent model (an "oracle") of what search must
// return for filters, sorting and facets, so combinations can be checked
// exactly. Word search is not modelled: those tests list their expected
// jobs literally.
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { test as nodeTest } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ROOT, startServer as startServerRaw } from '../lib/server.mjs';

export { ROOT, beaconctl, freshDatabase, freePort } from '../lib/server.mjs';

/**
 * node:test's test with a time limit, so a server that stops answering
 * fails the test instead of hanging the whole run.
 */
export function test(name, opts, fn) {
  if (typeof opts === 'function') return nodeTest(name, { timeout: 60000 }, opts);
  return nodeTest(name, { timeout: 60000, ...opts }, fn);
}

/** Live child processes of pid (from /proc). */
export function childPids(pid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === pid && f[0] !== 'Z') out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/**
 * startServer with a hard limit: its readiness probe can wait minutes on a
 * connection that no live worker will ever answer (workers dying at start-up),
 * so after 30 s whatever it started is killed and the start fails.
 */
export async function startServer(opts) {
  const before = new Set(childPids(process.pid));
  let timer;
  const limit = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error('Beacon did not become ready within 30 s')), 30000);
  });
  try {
    return await Promise.race([startServerRaw(opts), limit]);
  } catch (e) {
    for (const pid of childPids(process.pid)) {
      if (before.has(pid)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export const FIXTURE = 'tests/fixtures/jobs.jsonl';
export const FIXTURE_PATH = join(ROOT, FIXTURE);

export const TYPES = [
  'FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'TEMPORARY', 'INTERN', 'VOLUNTEER', 'PER_DIEM', 'OTHER',
];
export const TYPE_LABELS = {
  FULL_TIME: 'Full-time', PART_TIME: 'Part-time', CONTRACTOR: 'Contract', TEMPORARY: 'Temporary',
  INTERN: 'Internship', VOLUNTEER: 'Volunteer', PER_DIEM: 'Per diem', OTHER: 'Other',
};
export const LEVELS = ['entry', 'mid', 'senior', 'lead', 'executive'];
export const ACCOMMODATIONS = [
  'asl_interpreter', 'captioned_meetings', 'cart', 'text_interviews', 'videophone',
  'visual_alerts', 'flexible_schedule', 'remote_option', 'assistive_technology', 'deaf_owned',
  'asl_fluent_staff', 'written_instructions',
];
export const SALARY_BANDS = [30000, 50000, 75000, 100000, 150000];
const PERIOD_PER_YEAR = { HOUR: 2080, DAY: 260, WEEK: 52, MONTH: 12, YEAR: 1 };
const LEVEL_MONTHS = [0, 24, 60, 96, 120];

/** The fixture as parsed JobPosting objects, in file order. */
export function fixtureJobs() {
  return readFileSync(FIXTURE_PATH, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function endOfDay(v) {
  return v.length === 10 ? `${v}T23:59:59Z` : v;
}

/** One fixture JobPosting reduced to what search looks at. */
export function modelOf(j) {
  let type = Array.isArray(j.employmentType) ? j.employmentType[0] : j.employmentType;
  type = type ? type.toUpperCase().replace(/[- ]/g, '_') : 'FULL_TIME';
  let level = j.experienceLevel;
  if (!level && j.experienceRequirements) {
    const m = j.experienceRequirements.monthsOfExperience;
    level = LEVELS[LEVEL_MONTHS.filter((x) => m >= x).length - 1];
  }
  level ??= 'mid';
  let annualMax = null;
  if (j.baseSalary) {
    const v = j.baseSalary.value;
    if (typeof v === 'number') annualMax = v;
    else {
      const max = v.maxValue ?? v.value ?? v.minValue;
      annualMax = max * PERIOD_PER_YEAR[v.unitText ?? 'YEAR'];
    }
  }
  const addr = j.jobLocation?.address;
  const city = typeof addr === 'string' ? addr : addr?.addressLocality ?? null;
  const region = typeof addr === 'object' ? addr.addressRegion ?? null : null;
  const country = typeof addr === 'object' ? addr.addressCountry ?? null : null;
  const validThrough = j.validThrough ? endOfDay(j.validThrough) : null;
  return {
    sid: j.identifier.value,
    title: j.title,
    type,
    level,
    remote: j.jobLocationType === 'TELECOMMUTE',
    annualMax,
    acc: new Set(j.accommodations ?? []),
    city,
    region,
    country,
    norm: '|' + [city, region, country].filter((x) => x).map((x) => `${asciiLower(x)}|`).join(''),
    datePosted: j.datePosted,
    validThrough,
    open: j.status !== 'closed' && (validThrough === null || validThrough >= new Date().toISOString().slice(0, 19) + 'Z'),
  };
}

const arr = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * What /api/v1/jobs must answer for params (no q): the ordered source ids of
 * every matching job (all pages), the total and the facets. idOf maps a
 * source id to its database id (for the id tie-breaks).
 */
export function oracle(models, idOf, params = {}) {
  if (params.q) throw new Error('the oracle does not model word search');
  const parts = (params.location ?? '')
    .split(',')
    .map((p) => asciiLower(p.trim()))
    .filter((p) => p !== '')
    .slice(0, 3);
  const remote = params.remote === 'true' || params.remote === '1' ? true
    : params.remote === 'false' || params.remote === '0' ? false : null;
  const types = arr(params.type).filter((x) => x);
  const levels = arr(params.level).filter((x) => x);
  const accs = arr(params.accommodation).filter((x) => x);
  const minSalary = Number(params.min_salary ?? 0);
  const pass = (m, skip) =>
    m.open &&
    (skip === 'location' || parts.every((p) => m.norm.includes(`|${p}|`))) &&
    (skip === 'remote' || remote === null || m.remote === remote) &&
    (skip === 'type' || types.length === 0 || types.includes(m.type)) &&
    (skip === 'level' || levels.length === 0 || levels.includes(m.level)) &&
    accs.every((a) => m.acc.has(a)) &&
    (skip === 'salary' || minSalary <= 0 || (m.annualMax !== null && m.annualMax >= minSalary));
  const hits = models.filter((m) => pass(m));
  const sort = params.sort === 'salary' ? 'salary' : 'date';
  const id = (m) => idOf[m.sid];
  hits.sort((a, b) => {
    if (sort === 'salary') {
      if (a.annualMax !== b.annualMax) {
        if (a.annualMax === null) return 1;
        if (b.annualMax === null) return -1;
        return b.annualMax - a.annualMax;
      }
    } else if (a.datePosted !== b.datePosted) {
      return a.datePosted < b.datePosted ? 1 : -1;
    }
    return id(b) - id(a);
  });
  const count = (skip, pred) => models.filter((m) => pass(m, skip) && pred(m)).length;
  const facets = {
    employment_type: Object.fromEntries(TYPES.map((t) => [t, count('type', (m) => m.type === t)])),
    experience_level: Object.fromEntries(LEVELS.map((l) => [l, count('level', (m) => m.level === l)])),
    remote: { true: count('remote', (m) => m.remote), false: count('remote', (m) => !m.remote) },
    accommodation: Object.fromEntries(ACCOMMODATIONS.map((a) => [a, count(null, (m) => m.acc.has(a))])),
    min_salary: Object.fromEntries(
      SALARY_BANDS.map((b) => [String(b), count('salary', (m) => m.annualMax !== null && m.annualMax >= b)]),
    ),
    location: topLocations(models.filter((m) => pass(m, 'location') && m.norm !== '|')),
  };
  return { sids: hits.map((m) => m.sid), total: hits.length, facets, sort };
}

// The ten places with the most jobs: most first, then by city, region, country.
function topLocations(list) {
  const groups = new Map();
  for (const m of list) {
    const key = JSON.stringify([m.city, m.region, m.country]);
    const g = groups.get(key) ?? { city: m.city, region: m.region, country: m.country, count: 0 };
    g.count++;
    groups.set(key, g);
  }
  const cmp = (a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || cmp(a.city, b.city) || cmp(a.region, b.region) || cmp(a.country, b.country))
    .slice(0, 10);
}

/** A query string from an object whose values may be arrays (repeated keys). */
export function qs(params = {}) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of arr(v)) u.append(k, String(x));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** Map every fixture source id to its database id through GET /api/v1/jobs/{id}. */
export async function idMap(base, count) {
  const out = {};
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const r = await fetch(`${base}/api/v1/jobs/${i + 1}`);
      if (r.status !== 200) throw new Error(`job ${i + 1}: ${r.status}`);
      const j = await r.json();
      out[j.data.source.id] = j.data.id;
    }),
  );
  return out;
}

export async function getJson(url, init) {
  const r = await fetch(url, init);
  const text = await r.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url}: ${r.status} not JSON: ${text.slice(0, 300)}`);
  }
  return { status: r.status, headers: r.headers, body };
}

/** Every result of a search, following meta.pages (per_page 100). */
export async function allSids(base, params) {
  const { body } = await getJson(`${base}/api/v1/jobs${qs({ ...params, per_page: 100 })}`);
  return body.data.map((d) => d.source.id);
}

/**
 * A request through node:http (no decompression, no path normalisation).
 * Returns { status, headers, body: Buffer }.
 */
export function request(base, path, { method = 'GET', headers = {}, body, timeout = 15000 } = {}) {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method, path, headers, agent: false, timeout },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeout} ms`)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Send raw bytes on a new TCP connection and collect whatever comes back
 * until the server closes (or ms pass). Returns { status, text, reset }:
 * status is null when no HTTP status line came back.
 */
export function rawRequest(port, data, ms = 3000) {
  return new Promise((ok) => {
    const s = net.connect(port, '127.0.0.1');
    let out = Buffer.alloc(0);
    let reset = false;
    const done = () => {
      clearTimeout(timer);
      const text = out.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      ok({ status: m ? Number(m[1]) : null, text, reset });
    };
    const timer = setTimeout(() => {
      s.destroy();
      done();
    }, ms);
    s.on('data', (d) => (out = Buffer.concat([out, d])));
    s.on('error', () => {
      reset = true;
    });
    s.on('close', done);
    s.write(data);
  });
}

/** The ld+json scripts of a page, as raw text (up to the first "</script"). */
export function jsonLdBlocks(html) {
  const out = [];
  const re = /<script type="application\/ld\+json">/g;
  let m;
  while ((m = re.exec(html)) !== null) {
    const start = m.index + m[0].length;
    const end = html.toLowerCase().indexOf('</script', start);
    out.push(html.slice(start, end));
  }
  return out;
}

/** Job ids of the result cards in a search page or fragment, in order. */
export function cardIds(html) {
  return [...html.matchAll(/<h3 class="card-title"><a href="\/jobs\/(\d+)">/g)].map((m) => Number(m[1]));
}

export function parseXml(text) {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true, // also decodes numeric character references (&#39;)
    isArray: (name) => name === 'item' || name === 'job',
  });
  return parser.parse(text);
}

// What a compressible response varies on (encoding, fragment or page, history restore).
export const VARY = 'Accept-Encoding, Cookie, HX-Request, HX-History-Restore-Request';

export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'x-frame-options': 'DENY',
};
