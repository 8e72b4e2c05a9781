// The JSON API: the job resource, response headers, and RFC 9457 problem
// details for every error class (bad parameter, bad query encoding,
// unknown job, unknown path, wrong method).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { FIXTURE, getJson, request, startServer, test } from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ fixture: FIXTURE });
});
after(async () => {
  await srv?.stop();
});

const acc = (code, label) => ({ code, label });

/** Assert an RFC 9457 problem response and return its body. */
async function problem(res, { status, code, param, instance }) {
  assert.equal(res.status, status);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = await res.json();
  assert.equal(body.type, `https://beacon.example/problems/${code}`);
  assert.equal(typeof body.title, 'string');
  assert.ok(body.title.length > 0);
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.detail, 'string');
  assert.ok(body.detail.length > 0);
  if (param === undefined) assert.equal('param' in body, false);
  else assert.equal(body.param, param);
  if (instance !== undefined) assert.equal(body.instance, instance);
  assert.match(body.request_id, /^[0-9a-f]{16}$/);
  assert.equal(body.request_id, res.headers.get('x-request-id'));
  return body;
}

describe('GET /api/v1/jobs/{id}', () => {
  test('a remote job, every field', async () => {
    const { status, headers, body } = await getJson(`${srv.url}/api/v1/jobs/6`);
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'application/json');
    assert.equal(headers.get('cache-control'), 'no-cache');
    // fetch asks for gzip; a gzipped body has its own tag.
    assert.match(headers.get('etag'), /^"[0-9a-f]{16}(-gz)?"$/);
    assert.equal(headers.get('etag').endsWith('-gz"'), headers.get('content-encoding') === 'gzip');
    assert.deepEqual(body, {
      data: {
        id: 6,
        url: `${srv.url}/jobs/6`,
        title: 'Senior Software Engineer',
        company: { name: 'Signal Works', url: 'https://signal.example' },
        description_markdown: 'Build the core of our accessible video platform in C and SQL.',
        location: { city: null, region: null, country: null },
        remote: true,
        applicant_location_requirement: 'US',
        employment_type: 'FULL_TIME',
        experience_level: 'senior',
        salary: { min: 140000, max: 180000, currency: 'USD', period: 'YEAR' },
        skills: { required: ['C', 'PostgreSQL'], preferred: ['Kore'] },
        industry: 'Software',
        accommodations: [
          acc('captioned_meetings', 'Captioned meetings'),
          acc('text_interviews', 'Text-based interviews'),
          acc('flexible_schedule', 'Flexible schedule'),
          acc('remote_option', 'Remote work option'),
        ],
        sensory_requirement: null,
        date_posted: '2025-03-10',
        valid_through: '2099-12-31T23:59:59Z',
        status: 'open',
        source: { name: 'Fixture', id: 'fx-06' },
      },
    });
  });

  test('an on-site job with an hourly salary and a sensory requirement', async () => {
    const { body } = await getJson(`${srv.url}/api/v1/jobs/1`);
    const j = body.data;
    assert.deepEqual(j.location, { city: 'Austin', region: 'TX', country: 'US' });
    assert.equal(j.remote, false);
    assert.equal(j.applicant_location_requirement, null);
    assert.deepEqual(j.salary, { min: 18, max: 24, currency: 'USD', period: 'HOUR' });
    assert.equal(j.sensory_requirement, 'Hearing is not required; alarms are visual.');
    assert.equal(j.industry, 'Healthcare');
    assert.deepEqual(j.company, { name: 'Hill Country Care', url: 'https://hillcountry.example' });
    assert.deepEqual(j.accommodations.map((a) => a.code), ['asl_interpreter', 'captioned_meetings', 'visual_alerts']);
  });

  test('alternative import shapes are normalised', async () => {
    // fx-31: address as a plain string, employmentType as a list, 30 months of experience, no skills.
    let j = (await getJson(`${srv.url}/api/v1/jobs/31`)).body.data;
    assert.deepEqual(j.location, { city: 'Boston', region: null, country: null });
    assert.equal(j.employment_type, 'PART_TIME');
    assert.equal(j.experience_level, 'mid');
    assert.deepEqual(j.skills, { required: [], preferred: [] });
    assert.equal(j.salary, null);
    assert.deepEqual(j.accommodations, []);
    // fx-32: skills as one comma-separated string, "full-time", no validThrough.
    j = (await getJson(`${srv.url}/api/v1/jobs/32`)).body.data;
    assert.deepEqual(j.skills.required, ['Patrol', 'First aid']);
    assert.equal(j.employment_type, 'FULL_TIME');
    assert.equal(j.valid_through, null);
    assert.equal(j.status, 'open');
    // fx-07: a single value instead of a range; fx-12: a bare number (a yearly amount).
    j = (await getJson(`${srv.url}/api/v1/jobs/7`)).body.data;
    assert.deepEqual(j.salary, { min: 25, max: 25, currency: 'USD', period: 'HOUR' });
    j = (await getJson(`${srv.url}/api/v1/jobs/12`)).body.data;
    assert.deepEqual(j.salary, { min: 38000, max: 38000, currency: 'USD', period: 'YEAR' });
  });

  test('expired and closed jobs stay readable with their status', async () => {
    let { status, body } = await getJson(`${srv.url}/api/v1/jobs/24`);
    assert.equal(status, 200);
    assert.equal(body.data.status, 'expired');
    assert.equal(body.data.valid_through, '2020-01-31T23:59:59Z');
    ({ status, body } = await getJson(`${srv.url}/api/v1/jobs/25`));
    assert.equal(status, 200);
    assert.equal(body.data.status, 'closed');
    assert.equal(body.data.title, 'Closed Lighthouse Keeper');
  });

  test('search results hold the same objects as the single-job resource', async () => {
    const { body } = await getJson(`${srv.url}/api/v1/jobs?per_page=100`);
    for (const j of body.data.slice(0, 10)) {
      const one = (await getJson(`${srv.url}/api/v1/jobs/${j.id}`)).body.data;
      assert.deepEqual(one, j);
    }
  });

  test('search response headers', async () => {
    const r = await fetch(`${srv.url}/api/v1/jobs`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=60');
    const body = await r.json();
    assert.deepEqual(Object.keys(body), ['data', 'meta', 'facets', 'links']);
  });
});

describe('problem details', () => {
  test('unknown job: 404 job_not_found', async () => {
    for (const id of ['999', '33', '999999999999999999']) {
      const r = await fetch(`${srv.url}/api/v1/jobs/${id}`);
      await problem(r, { status: 404, code: 'job_not_found', instance: `/api/v1/jobs/${id}` });
    }
  });

  test('not an id: 404 not_found', async () => {
    for (const tail of ['0', '-1', 'abc', '1.5', '01', '1e3', '9999999999999999999', '1/2', '']) {
      const r = await fetch(`${srv.url}/api/v1/jobs/${tail}`);
      if (tail === '') {
        // "/api/v1/jobs/" is not "/api/v1/jobs"
        await problem(r, { status: 404, code: 'not_found', instance: '/api/v1/jobs/' });
      } else {
        await problem(r, { status: 404, code: 'not_found' });
      }
    }
  });

  test('unknown API path: 404 not_found', async () => {
    for (const path of ['/api/v1/nope', '/api/v2/jobs', '/api/', '/api/v1/jobs/1/extra']) {
      const r = await fetch(srv.url + path);
      await problem(r, { status: 404, code: 'not_found', instance: path });
    }
  });

  test('wrong method: 405 method_not_allowed with Allow', async () => {
    // Employers also POST to /api/v1/jobs and PATCH /api/v1/jobs/{id} (api/employer.c).
    for (const [method, path, allow] of [
      ['PUT', '/api/v1/jobs', 'GET, HEAD, POST'],
      ['PUT', '/api/v1/jobs/1', 'GET, HEAD, PATCH'],
      ['DELETE', '/api/v1/jobs/1', 'GET, HEAD, PATCH'],
      ['PATCH', '/api/v1/jobs', 'GET, HEAD, POST'],
    ]) {
      const r = await fetch(srv.url + path, { method, body: method === 'DELETE' ? undefined : '{}' });
      assert.equal(r.headers.get('allow'), allow, `${method} ${path}`);
      await problem(r, { status: 405, code: 'method_not_allowed', instance: path });
    }
  });

  test('wrong method on the JSON ops endpoints answers problem+json too', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const r = await fetch(srv.url + path, { method: 'POST', body: '{}' });
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
      await problem(r, { status: 405, code: 'method_not_allowed', instance: path });
    }
  });

  test('OPTIONS is not allowed either', async () => {
    const r = await request(srv.url, '/api/v1/jobs', { method: 'OPTIONS' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'GET, HEAD, POST');
    assert.equal(JSON.parse(r.body).code, 'method_not_allowed');
  });

  test('the method check comes before the query check', async () => {
    const r = await fetch(`${srv.url}/api/v1/jobs?q=%FF`, { method: 'PUT' });
    await problem(r, { status: 405, code: 'method_not_allowed' });
  });

  const badParams = [
    ['q', 'x'.repeat(201)],
    ['location', 'x'.repeat(101)],
    ['remote', 'yes'],
    ['remote', 'TRUE'],
    ['type', 'FULLTIME'],
    ['type', 'full_time'],
    ['level', 'junior'],
    ['level', 'Senior'],
    ['accommodation', 'telepathy'],
    ['accommodation', 'ASL_INTERPRETER'],
    ['min_salary', '-1'],
    ['min_salary', 'abc'],
    ['min_salary', '1.5'],
    ['min_salary', '10000001'],
    ['min_salary', '5e4'],
    ['sort', 'popular'],
    ['sort', 'DATE'],
    ['page', '0'],
    ['page', '-1'],
    ['page', '501'],
    ['page', '1.0'],
    ['page', '99999999999999999999'],
    ['per_page', '0'],
    ['per_page', '101'],
    ['per_page', 'ten'],
  ];
  for (const [param, value] of badParams) {
    test(`bad ${param}=${value.length > 20 ? value.slice(0, 8) + '…' : value}: 400 invalid_parameter`, async () => {
      const r = await fetch(`${srv.url}/api/v1/jobs?${new URLSearchParams({ [param]: value })}`);
      await problem(r, { status: 400, code: 'invalid_parameter', param, instance: '/api/v1/jobs' });
    });
  }

  test('the first bad parameter among several is named; good ones around it do not matter', async () => {
    const r = await fetch(`${srv.url}/api/v1/jobs?q=nurse&type=INTERN&level=guru&sort=salary`);
    await problem(r, { status: 400, code: 'invalid_parameter', param: 'level' });
  });

  test('one bad value among repeated ones is enough', async () => {
    const r = await fetch(`${srv.url}/api/v1/jobs?type=FULL_TIME&type=NOPE`);
    await problem(r, { status: 400, code: 'invalid_parameter', param: 'type' });
  });

  test('limits are inclusive: 200-character q, 100-character location, page 500, per_page 100', async () => {
    for (const p of [
      { q: 'x'.repeat(200) }, { location: 'x'.repeat(100) }, { page: '500' }, { per_page: '100' },
      { min_salary: '10000000' }, { min_salary: '0' },
    ]) {
      const r = await fetch(`${srv.url}/api/v1/jobs?${new URLSearchParams(p)}`);
      assert.equal(r.status, 200, JSON.stringify(p).slice(0, 40));
    }
  });

  const badEncodings = [
    ['bad escape', 'q=%ZZ', 'q'],
    ['truncated escape', 'q=abc%4', 'q'],
    ['lone percent', 'location=%', 'location'],
    ['invalid UTF-8 (C3 28)', 'q=%C3%28', 'q'],
    ['invalid UTF-8 (FF)', 'location=%FF', 'location'],
    ['overlong UTF-8', 'q=%C0%AF', 'q'],
    ['UTF-16 surrogate', 'q=%ED%A0%80', 'q'],
    ['NUL', 'q=nurse%00', 'q'],
    ['escape character', 'q=%1B%5B31m', 'q'],
    ['DEL', 'sort=%7F', 'sort'],
    ['C1 control', 'q=%C2%85', 'q'],
    ['value over 1024 bytes', `q=${'a'.repeat(1025)}`, 'q'],
    ['key over 64 bytes', `${'k'.repeat(65)}=1`, 'k'.repeat(64)],
    ['bad key', '%FF=1', '?'],
    ['65 parameters', Array.from({ length: 65 }, (_, i) => `p${i}=1`).join('&'), 'p64'],
  ];
  for (const [name, query, param] of badEncodings) {
    test(`query encoding: ${name} → 400 invalid_parameter`, async () => {
      const r = await request(srv.url, `/api/v1/jobs?${query}`);
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/problem+json');
      const body = JSON.parse(r.body.toString('utf8'));
      assert.equal(body.code, 'invalid_parameter');
      assert.equal(body.status, 400);
      assert.equal(body.param, param);
      assert.equal(body.request_id, r.headers['x-request-id']);
    });
  }

  test('64 parameters and a 1024-byte value are still accepted', async () => {
    let r = await request(srv.url, `/api/v1/jobs?${Array.from({ length: 64 }, (_, i) => `p${i}=1`).join('&')}`);
    assert.equal(r.status, 200);
    r = await request(srv.url, `/api/v1/jobs?zz=${'a'.repeat(1024)}`);
    assert.equal(r.status, 200);
  });

  test('the same checks guard the job resource, the feeds and ops endpoints', async () => {
    for (const path of ['/api/v1/jobs/1?x=%FF', '/healthz?x=%00']) {
      const r = await fetch(srv.url + path);
      await problem(r, { status: 400, code: 'invalid_parameter', param: 'x' });
    }
  });

  test('HEAD of an error has the status and headers but no body', async () => {
    const r = await request(srv.url, '/api/v1/jobs/999', { method: 'HEAD' });
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'application/problem+json');
    assert.equal(r.body.length, 0);
  });
});
