// Hostile input: every search parameter of the API, the page, the HTMX
// fragment and the RSS feed given SQL injection, markup, broken encodings,
// control characters, overlong and out-of-range values; hostile stored
// text (the fx-23 fixture job) on every surface; path traversal, long
// URLs, big headers and bodies, malformed request lines. The answer is
// always the right 4xx (or 200 for harmless text), never a 5xx, and the
// server keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ACCOMMODATIONS, FIXTURE, LEVELS, TYPES, cardIds, fixtureJobs, getJson, jsonLdBlocks, rawRequest, request,
  startServer, test,
} from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ fixture: FIXTURE });
});
after(async () => {
  await srv?.stop();
});

const HOSTILE = fixtureJobs()[22]; // fx-23
const escapeHtml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// Raw (already percent-encoded) values as they travel in the query string.
const PAYLOADS = [
  "%27%20OR%20%271%27%3D%271", // ' OR '1'='1
  "1%3B%20DROP%20TABLE%20jobs%3B%20--",
  "%22%3B%20SELECT%20pg_sleep(5)%3B%20--",
  "1%27)%20UNION%20SELECT%20*%20FROM%20sqlite_master--",
  "x%27%20AND%201%3D(SELECT%20COUNT(*)%20FROM%20jobs)%20--",
  "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
  "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
  "%3C%2Ftitle%3E%3C%2Fscript%3E%5D%5D%3E%3C!--",
  "javascript%3Aalert(1)",
  "%C3%28", // invalid UTF-8
  "%FF",
  "%C0%AF", // overlong
  "%ED%A0%80", // surrogate
  "%F4%90%80%80", // above U+10FFFF
  "%00",
  "nurse%00",
  "%1B%5B2J",
  "%7F",
  "%C2%85", // C1 control
  "%0A",
  "%09tab",
  "%E2%80%AE", // right-to-left override: valid text
  "%",
  "%2",
  "%G0",
  "a".repeat(1025),
  "a".repeat(1024),
  "b".repeat(201),
  "c".repeat(101),
  "-1",
  "0",
  "1",
  "501",
  "99999999999999999999",
  "-99999999999999999999",
  "1e3",
  "0x10",
  "%2B5", // +5
  "5%20", // trailing space
  "..%2F..%2Fetc%2Fpasswd",
  "*",
  "NEAR(nurse%20care)",
  "%22",
  "%5C",
  "%25",
  "_",
  "Z%C3%BCrich",
  "%F0%9F%98%80",
  "true",
  "any",
  "FULL_TIME",
  "entry",
  "asl_interpreter",
  "salary",
  "50000",
  "",
];
const PARAMS = ['q', 'location', 'remote', 'type', 'level', 'accommodation', 'min_salary', 'sort', 'page', 'per_page', 'foo'];

/** Decode like Beacon's query parser; null when the encoding itself is invalid. */
function decode(raw) {
  if (/%(?![0-9A-Fa-f]{2})/.test(raw)) return null;
  let bytes;
  try {
    bytes = Buffer.from(decodeURIComponent(raw.replace(/\+/g, ' ')), 'utf8');
  } catch {
    return null; // invalid UTF-8
  }
  if (bytes.length > 1024) return null;
  const s = bytes.toString('utf8');
  if (/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x80-\x9F]/.test(s)) return null;
  return s;
}

function strtolOk(v, lo, hi) {
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(v)) return false;
  const n = Number(v.trim());
  return n >= lo && n <= hi;
}

/** The status Beacon must answer for param=raw on a search endpoint. */
function expectedStatus(param, raw) {
  const v = decode(raw);
  if (v === null) return 400;
  if (v === '') return 200;
  const bytes = Buffer.byteLength(v);
  switch (param) {
    case 'q': return bytes > 200 ? 400 : 200;
    case 'location': return bytes > 100 ? 400 : 200;
    case 'remote': return ['true', '1', 'false', '0', 'any'].includes(v) ? 200 : 400;
    case 'type': return TYPES.includes(v) ? 200 : 400;
    case 'level': return LEVELS.includes(v) ? 200 : 400;
    case 'accommodation': return ACCOMMODATIONS.includes(v) ? 200 : 400;
    case 'min_salary': return strtolOk(v, 0, 10000000) ? 200 : 400;
    case 'sort': return ['relevance', 'date', 'salary'].includes(v) ? 200 : 400;
    case 'page': return strtolOk(v, 1, 500) ? 200 : 400;
    case 'per_page': return strtolOk(v, 1, 100) ? 200 : 400;
    default: return 200;
  }
}

/** Run fn over items with a few requests in flight. */
async function pool(items, n, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

const CASES = PARAMS.flatMap((param) => PAYLOADS.map((raw) => ({ param, raw, want: expectedStatus(param, raw) })));

describe('every search parameter with hostile values', () => {
  test('the expectations are not trivial', () => {
    assert.ok(CASES.filter((c) => c.want === 400).length > 400);
    assert.ok(CASES.filter((c) => c.want === 200).length > 120);
  });

  test('API: exact status; 400s are invalid_parameter naming the parameter', async () => {
    const wrong = [];
    await pool(CASES, 8, async ({ param, raw, want }) => {
      const r = await request(srv.url, `/api/v1/jobs?${param}=${raw}`);
      const body = JSON.parse(r.body.toString('utf8'));
      if (r.status !== want) wrong.push(`${param}=${raw.slice(0, 40)}: ${r.status}, want ${want}`);
      else if (want === 400 && (body.code !== 'invalid_parameter' || body.param !== param))
        wrong.push(`${param}=${raw.slice(0, 40)}: ${body.code} ${body.param}`);
      else if (want === 200 && !Array.isArray(body.data)) wrong.push(`${param}=${raw}: no data`);
    });
    assert.deepEqual(wrong, []);
  });

  for (const [name, path, headers] of [
    ['search page', '/jobs', {}],
    ['HTMX fragment', '/jobs', { 'HX-Request': 'true' }],
  ]) {
    test(`${name}: exact status, and nothing echoed unescaped`, async () => {
      const wrong = [];
      await pool(CASES, 8, async ({ param, raw, want }) => {
        const r = await request(srv.url, `${path}?${param}=${raw}`, { headers });
        const html = r.body.toString('utf8');
        const v = decode(raw);
        if (r.status !== want) wrong.push(`${param}=${raw.slice(0, 40)}: ${r.status}, want ${want}`);
        if (r.headers['content-type'] !== 'text/html; charset=utf-8') wrong.push(`${param}=${raw}: ${r.headers['content-type']}`);
        if (v && v.includes("<") && html.includes(v)) wrong.push(`${param}=${raw}: echoed raw`);
        if (/<script>alert|<img src=x/.test(html)) wrong.push(`${param}=${raw}: markup injected`);
      });
      assert.deepEqual(wrong, []);
    });
  }

  test('RSS feed: exact status, and the XML stays well-formed', async () => {
    const { XMLValidator } = await import('fast-xml-parser');
    const wrong = [];
    await pool(CASES, 8, async ({ param, raw, want }) => {
      const r = await request(srv.url, `/jobs.rss?${param}=${raw}`);
      if (r.status !== want) wrong.push(`${param}=${raw.slice(0, 40)}: ${r.status}, want ${want}`);
      if (r.status === 200 && XMLValidator.validate(r.body.toString('utf8')) !== true) wrong.push(`${param}=${raw}: bad XML`);
    });
    assert.deepEqual(wrong, []);
  });

  test('SQL injection attempts are plain words and change nothing', async () => {
    for (const [param, value] of [
      ['q', "nurse' OR 1=1 --"],
      ['q', 'nurse"); DROP TABLE jobs; --'],
      ['q', "nurse') UNION SELECT sql FROM sqlite_master --"],
      ['location', "Austin' OR '1'='1"],
      ['location', "Austin%' OR 1=1 --"],
    ]) {
      const { status, body } = await getJson(`${srv.url}/api/v1/jobs?${new URLSearchParams({ [param]: value })}`);
      assert.equal(status, 200);
      assert.equal(body.meta.total, 0, `${param}=${value}`);
    }
    const { body } = await getJson(`${srv.url}/api/v1/jobs`);
    assert.equal(body.meta.total, 30);
  });

  test('harmless unusual text searches normally', async () => {
    for (const q of ['Zürich', '😀', 'nurse\u202e', '%', '_', '\\', '*']) {
      const { status } = await getJson(`${srv.url}/api/v1/jobs?${new URLSearchParams({ q })}`);
      assert.equal(status, 200, q);
    }
    const { body } = await getJson(`${srv.url}/api/v1/jobs?q=nurse%09%0A`);
    assert.equal(body.meta.total, 3);
  });

  test('repeated parameters: the first single value wins, lists combine', async () => {
    let { body } = await getJson(`${srv.url}/api/v1/jobs?q=nurse&q=welding`);
    assert.deepEqual(body.data.map((d) => d.source.id).sort(), ['fx-01', 'fx-02', 'fx-29']);
    ({ body } = await getJson(`${srv.url}/api/v1/jobs?per_page=2&per_page=50&page=1&page=7`));
    assert.equal(body.meta.per_page, 2);
    assert.equal(body.meta.page, 1);
    ({ body } = await getJson(`${srv.url}/api/v1/jobs?${'type=INTERN&'.repeat(60)}`));
    assert.equal(body.meta.total, 1);
  });

  test('huge and negative page numbers', async () => {
    for (const v of ['501', '2147483648', '9223372036854775808', '-2147483649', '-0', '00000000000000000001']) {
      const r = await fetch(`${srv.url}/api/v1/jobs?page=${v}`);
      const want = v === '00000000000000000001' ? 200 : 400;
      assert.equal(r.status, want, v);
    }
  });
});

describe('hostile stored text (fixture fx-23)', () => {
  test('job page: every string escaped, no active markup', async () => {
    const html = await (await fetch(`${srv.url}/jobs/23`)).text();
    assert.ok(html.includes(`<h1>${escapeHtml(HOSTILE.title)}</h1>`));
    assert.ok(html.includes(`<title>${escapeHtml(HOSTILE.title)} · Beacon</title>`));
    assert.ok(html.includes(`<p class="company">${escapeHtml(HOSTILE.hiringOrganization.name)}</p>`));
    assert.ok(html.includes(`<p>${escapeHtml(HOSTILE.sensoryRequirement)}</p>`));
    assert.ok(html.includes(`<li>${escapeHtml(HOSTILE.skills[0])}</li>`));
    // Only Beacon's own three script elements (the JSON-LD text may hold "<script", inert there).
    const outside = html.replace(jsonLdBlocks(html)[0], '');
    assert.equal((outside.match(/<script/gi) ?? []).length, 3);
    assert.doesNotMatch(outside, /<(img|svg|iframe)\b/i);
    assert.doesNotMatch(outside, /<[a-z][^>]*\son[a-z]+=/i);
    assert.doesNotMatch(outside, /(href|src)="\s*javascript:/i);
    assert.ok(!outside.includes('javascript:alert(1)'));
  });

  test('job page: the JSON-LD cannot end its script element and parses to the exact strings', async () => {
    const html = await (await fetch(`${srv.url}/jobs/23`)).text();
    const blocks = jsonLdBlocks(html);
    assert.equal(blocks.length, 1);
    const block = blocks[0];
    assert.doesNotMatch(block, /<\/script/i);
    assert.ok(!block.includes('<!--'));
    const ld = JSON.parse(block);
    assert.equal(ld.title, HOSTILE.title);
    assert.equal(ld.hiringOrganization.name, HOSTILE.hiringOrganization.name);
    assert.equal(ld.sensoryRequirement, HOSTILE.sensoryRequirement);
    assert.deepEqual(ld.skills, HOSTILE.skills);
    // The description is rendered Markdown: raw HTML and javascript: links are dropped.
    assert.doesNotMatch(ld.description, /<script|<img|javascript:|onerror/i);
    assert.match(ld.description, /click me/);
    // The block ends exactly where the element ends.
    assert.ok(html.includes(`${block}</script></head>`));
  });

  test('search results, HTMX fragment and home page escape the card', async () => {
    for (const headers of [{}, { 'HX-Request': 'true' }]) {
      const html = await (await fetch(`${srv.url}/jobs?q=hostile`, { headers })).text();
      assert.deepEqual(cardIds(html), [23]);
      assert.ok(html.includes(`<a href="/jobs/23">${escapeHtml(HOSTILE.title)}</a>`));
      assert.ok(html.includes(`<p class="company">${escapeHtml(HOSTILE.hiringOrganization.name)}</p>`));
      assert.doesNotMatch(html, /<script>alert/);
    }
  });

  test('API returns the exact strings as JSON', async () => {
    const { body } = await getJson(`${srv.url}/api/v1/jobs/23`);
    assert.equal(body.data.title, HOSTILE.title);
    assert.equal(body.data.company.name, HOSTILE.hiringOrganization.name);
    assert.equal(body.data.description_markdown, HOSTILE.description);
    assert.equal(body.data.sensory_requirement, HOSTILE.sensoryRequirement);
    assert.deepEqual(body.data.skills.required, HOSTILE.skills);
  });

  test('words typed into the search box are escaped wherever they are shown', async () => {
    const q = '"><script>alert(1)</script>';
    const html = await (await fetch(`${srv.url}/jobs?${new URLSearchParams({ q, location: q })}`)).text();
    assert.ok(html.includes(`value="${escapeHtml(q)}"`));
    assert.ok(html.includes(`for “${escapeHtml(q)}”`));
    assert.ok(!html.includes(q));
  });
});

describe('paths, request lines, headers and bodies', () => {
  const LEAKS = /PHONY|root:x:0:0|CFLAGS|\[extensions\]/;

  test('path traversal never reaches the file system', async () => {
    for (const path of [
      '/static/../Makefile', '/static/%2e%2e/Makefile', '/static/..%2fMakefile', '/static/%2e%2e%2fMakefile',
      '/static/vendor/../../Makefile', '/static/vendor/..%2f..%2fMakefile', '/jobs/../../etc/passwd',
      '/../../../../etc/passwd', '//etc/passwd', '/static//etc/passwd', '/static/.htaccess', '/static/.git/config',
      '/static/beacon.css%00.png', '/static/%00', '/static/beacon.css/', '/static/BEACON.CSS', '/static/...',
      '/%2e%2e/%2e%2e/etc/passwd', '/static/....//....//Makefile', '/api/v1/jobs/..%2f..%2f', '/jobs/1%2f..%2f..%2fMakefile',
      '/static/vendor/htmx.min.js/../../../Makefile', '/static/%252e%252e/Makefile', '/static/vendor/', '/static/',
    ]) {
      const r = await request(srv.url, path);
      assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status}`);
      assert.doesNotMatch(r.body.toString('latin1'), LEAKS, path);
    }
  });

  test('odd but valid paths in the API answer problem+json with the path as given', async () => {
    const r = await request(srv.url, '/api/v1/%3Cscript%3E%22');
    assert.equal(r.status, 404);
    const body = JSON.parse(r.body.toString('utf8'));
    assert.equal(body.code, 'not_found');
    assert.equal(typeof body.instance, 'string');
  });

  test('very long request targets: 414 from 2000 bytes', async () => {
    let r = await request(srv.url, `/api/v1/jobs?zz=${'a'.repeat(1000)}&yy=${'b'.repeat(900)}`);
    assert.equal(r.status, 200);
    for (const n of [2000, 3000, 8000]) {
      r = await rawRequest(srv.port, `GET /jobs?q=${'a'.repeat(n)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.equal(r.status, 414, `${n}`);
    }
    // Past Kore's 8 KiB request-head limit the connection is dropped without an answer.
    r = await rawRequest(srv.port, `GET /jobs?q=${'a'.repeat(65536)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === null || (r.status >= 400 && r.status < 500), `status ${r.status}`);
  });

  test('a header over the limit is refused without a 2xx or 5xx', async () => {
    const r = await rawRequest(srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(10000)}\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === null || (r.status >= 400 && r.status < 500), `status ${r.status}`);
  });

  test('huge header total (many headers) is never a 5xx', async () => {
    const many = Array.from({ length: 300 }, (_, i) => `X-H${i}: ${'v'.repeat(20)}`).join('\r\n');
    const r = await rawRequest(srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${many}\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === null || r.status < 500, `status ${r.status}`);
  });

  test('control bytes in a header value are never a 5xx', async () => {
    const r = await rawRequest(srv.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Evil: a\x00b\x1bc\r\nConnection: close\r\n\r\n');
    assert.ok(r.status === null || r.status < 500, `status ${r.status}`);
  });

  test('a body on GET or DELETE is refused and the connection closed: nothing is smuggled after it', async () => {
    for (const method of ['GET', 'DELETE']) {
      const r = await rawRequest(srv.port,
        `${method} /api/v1/jobs/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}` +
        'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal(r.status, 400, method);
      assert.match(r.text, /connection: close/i, method);
      assert.equal((r.text.match(/HTTP\/1\.1 \d{3}/g) || []).length, 1, `${method}: the smuggled request got no answer`);
      assert.match(r.text, /body_not_allowed/);
    }
  });

  test('a request body over BEACON_BODY_MAX: 413', async () => {
    for (const path of ['/jobs', '/api/v1/jobs', '/nope']) {
      const r = await rawRequest(srv.port, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${65 * 1024 * 1024}\r\nConnection: close\r\n\r\n{"a":`);
      assert.equal(r.status, 413, path);
    }
  });

  test('a small body on a GET-only route: 405, not 5xx', async () => {
    const body = '{"x":1}';
    const r = await request(srv.url, '/api/v1/me', {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length }, body,
    });
    assert.equal(r.status, 405);
  });

  test('a chunked or unsized body: 411', async () => {
    let r = await rawRequest(srv.port, 'POST /jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    assert.equal(r.status, 411);
    r = await rawRequest(srv.port, 'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n');
    assert.equal(r.status, 411);
  });

  test('malformed request lines: 400', async () => {
    for (const line of [
      'GARBAGE\r\n\r\n',
      'GET\r\n\r\n',
      'GET /jobs\r\n\r\n',
      'GET /jobs HTTP/1.1\r\n\r\n', // no Host
      '\x00\x01\x02\x03\r\n\r\n',
      'BREW /jobs HTTP/1.1\r\nHost: x\r\n\r\n',
    ]) {
      const r = await rawRequest(srv.port, line);
      assert.equal(r.status, 400, JSON.stringify(line));
    }
  });

  test('a space inside the request target is refused and harms nothing', async () => {
    // "GET /jobs?q=two words HTTP/1.1" has four parts: a malformed request line (RFC 9112 3.2).
    // Kore's own request-line parser answers it before Beacon sees it, with 505 rather than
    // the 400 the RFC suggests (a known Kore limitation); Beacon code never runs for it.
    for (const line of [
      'GET /jobs?q=two words HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /jobs/1 x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]) {
      const r = await rawRequest(srv.port, line);
      assert.ok([400, 505].includes(r.status), `${JSON.stringify(line)} -> ${r.status}`);
    }
    const ok = await fetch(srv.url + '/healthz');
    assert.equal(ok.status, 200);
  });

  test('an unsupported HTTP version: 505', async () => {
    const r = await rawRequest(srv.port, 'GET /jobs HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.status, 505);
  });

  test('a request that never ends does not block others', async () => {
    const slow = rawRequest(srv.port, 'GET /jobs HTTP/1.1\r\nHost: x\r\n', 1500);
    const r = await fetch(`${srv.url}/healthz`);
    assert.equal(r.status, 200);
    await slow;
  });
});

describe('after all of that', () => {
  test('the server still answers and its data is intact', async () => {
    assert.equal(srv.proc.exitCode, null);
    assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
    const ready = await getJson(`${srv.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
    const { body } = await getJson(`${srv.url}/api/v1/jobs?per_page=100`);
    assert.equal(body.meta.total, 30);
    assert.doesNotMatch(srv.log(), /sandbox violation|restarting worker|AddressSanitizer|runtime error/);
  });
});
