// Server-rendered pages: home, search (full page and HTMX fragment), job
// pages with their schema.org JobPosting JSON-LD, closed and expired jobs,
// the help page and HTML error pages.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ACCOMMODATIONS, FIXTURE, LEVELS, SALARY_BANDS, TYPES, cardIds, getJson, jsonLdBlocks, qs, request,
  startServer, test, VARY,
} from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ fixture: FIXTURE });
});
after(async () => {
  await srv?.stop();
});

async function page(path, headers = {}) {
  const r = await fetch(srv.url + path, { headers });
  return { status: r.status, headers: r.headers, html: await r.text() };
}
const count = (html, re) => (html.match(re) ?? []).length;
const apiIds = async (params) =>
  (await getJson(`${srv.url}/api/v1/jobs${qs(params)}`)).body.data.map((d) => d.id);

/** The checks every full HTML page must pass. */
function fullPage(html) {
  assert.ok(html.startsWith('<!doctype html>\n<html lang="en">'));
  assert.equal(count(html, /<h1[ >]/g), 1, 'one h1');
  assert.equal(count(html, /<main /g), 1);
  assert.match(html, /<a class="skip-link" href="#main">/);
  assert.match(html, /<title>[^<]+ · Beacon<\/title>/);
  assert.ok(html.trimEnd().endsWith('</html>'));
  // The form helpers add "(optional)" to fields that are not required: labels never say it too.
  assert.ok(!html.replace(/<[^>]+>/g, '').includes('(optional) (optional)'), '"(optional)" twice');
  assert.ok(!html.includes('optional) (optional'), '"optional" twice in a label');
}

describe('home page', () => {
  test('counts open jobs and lists the five newest', async () => {
    const { status, headers, html } = await page('/');
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'text/html; charset=utf-8');
    fullPage(html);
    assert.match(html, /<p class="muted">30 open jobs right now\.<\/p>/);
    // fx-25 (closed) was posted last but must not show.
    assert.deepEqual(cardIds(html), [26, 6, 17, 7, 8]);
    assert.ok(!html.includes('Lighthouse'));
  });

  test('shortcut links lead to working searches', async () => {
    const { html } = await page('/');
    const links = [...html.matchAll(/<ul class="shortcuts">(.*?)<\/ul>/gs)][0][1];
    const hrefs = [...links.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    assert.ok(hrefs.length >= 4);
    for (const href of hrefs) {
      const r = await page(href);
      assert.equal(r.status, 200, href);
    }
  });
});

describe('search page', () => {
  test('full page: form, filters with counts, results in API order', async () => {
    const { status, headers, html } = await page('/jobs');
    assert.equal(status, 200);
    assert.equal(headers.get('cache-control'), 'public, max-age=60');
    assert.equal(headers.get('vary'), VARY);
    fullPage(html);
    assert.match(html, /<h1>Find jobs<\/h1>/);
    assert.match(html, /<form class="search" id="search-form" action="\/jobs" method="get"/);
    assert.match(html, /<div id="result-status" class="status" role="status" aria-live="polite" aria-atomic="true">30 jobs found<\/div>/);
    assert.match(html, /<h2 id="results-h" tabindex="-1">30 jobs found<\/h2>/);
    assert.deepEqual(cardIds(html), await apiIds({}));
    assert.match(html, /<span>Page 1 of 2<\/span>/);
    assert.match(html, /<a href="\/jobs\?page=2" rel="next" hx-get="\/jobs\?page=2"/);
    assert.match(html, /<link rel="alternate" type="application\/rss\+xml" title="Jobs matching this search" href="\/jobs\.rss">/);
  });

  test('every control has a label', async () => {
    const { html } = await page('/jobs');
    const ids = [...html.matchAll(/<(?:input|select)[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(ids.length >= 2 + ACCOMMODATIONS.length + 3 + TYPES.length + LEVELS.length + SALARY_BANDS.length + 1);
    for (const id of ids) assert.ok(html.includes(`<label for="${id}">`), `label for ${id}`);
  });

  test('facet counts on the page equal the API facets', async () => {
    const params = { type: 'PART_TIME', accommodation: 'captioned_meetings', location: 'TX' };
    const { html } = await page(`/jobs${qs(params)}`);
    const { body } = await getJson(`${srv.url}/api/v1/jobs${qs(params)}`);
    const span = (group, code) => {
      const m = new RegExp(`<span class="count" id="fc-${group}-${code}">\\((\\d+)\\)</span>`).exec(html);
      assert.ok(m, `${group}-${code}`);
      return Number(m[1]);
    };
    for (const t of TYPES) assert.equal(span('type', t), body.facets.employment_type[t], t);
    for (const l of LEVELS) assert.equal(span('level', l), body.facets.experience_level[l], l);
    for (const a of ACCOMMODATIONS) assert.equal(span('acc', a), body.facets.accommodation[a], a);
    for (const b of SALARY_BANDS) assert.equal(span('salary', b), body.facets.min_salary[b], String(b));
    assert.equal(span('remote', 'true'), body.facets.remote.true);
    assert.equal(span('remote', 'false'), body.facets.remote.false);
    assert.deepEqual(cardIds(html), body.data.map((d) => d.id));
    assert.match(html, new RegExp(`${body.meta.total} jobs? found`));
  });

  test('chosen filters are checked and the words fill the form', async () => {
    const { html } = await page('/jobs?q=nurse&location=Austin&type=FULL_TIME&level=entry&accommodation=asl_interpreter&remote=false&min_salary=30000&sort=date');
    assert.match(html, /<input id="q" name="q" type="search" maxlength="200" value="nurse">/);
    assert.match(html, /<input id="location" name="location" type="text" maxlength="100" autocomplete="address-level2" value="Austin">/);
    for (const id of ['f-type-FULL_TIME', 'f-level-entry', 'f-acc-asl_interpreter', 'f-remote-false', 'f-salary-30000'])
      assert.match(html, new RegExp(`id="${id}" checked>`), id);
    assert.equal(count(html, / checked>/g), 5);
    assert.match(html, /<option value="date" selected>/);
    assert.deepEqual(cardIds(html), [1]);
    assert.match(html, /1 job found for “nurse”/);
  });

  test('sort select shows the order actually used', async () => {
    assert.match((await page('/jobs?q=nurse')).html, /<option value="relevance" selected>/);
    assert.match((await page('/jobs')).html, /<option value="date" selected>/);
    assert.match((await page('/jobs?sort=salary')).html, /<option value="salary" selected>/);
  });

  test('results, pages and order match the API for each sort', async () => {
    for (const params of [{ sort: 'salary', per_page: 7, page: 3 }, { q: 'asl' }, { location: 'TX', page: 1, per_page: 4 }]) {
      const { html } = await page(`/jobs${qs(params)}`);
      assert.deepEqual(cardIds(html), await apiIds(params), JSON.stringify(params));
    }
  });

  test('pager links keep every parameter', async () => {
    const { html } = await page('/jobs?remote=true&per_page=2&page=2');
    assert.match(html, /<ol class="results" start="3">/);
    assert.match(html, /<span>Page 2 of 3<\/span>/);
    assert.match(html, /<a href="\/jobs\?remote=true&amp;per_page=2" rel="prev"/);
    assert.match(html, /<a href="\/jobs\?remote=true&amp;per_page=2&amp;page=3" rel="next"/);
  });

  test('no results: a clear message and a link that removes each active filter', async () => {
    const { status, html } = await page('/jobs?q=xylophonist&location=Austin&remote=true&type=INTERN&level=lead&accommodation=cart&min_salary=50000');
    assert.equal(status, 200);
    assert.match(html, /0 jobs found for “xylophonist”/);
    assert.match(html, /No open jobs match this search/);
    const links = [...html.matchAll(/<ul class="suggestions">(.*?)<\/ul>/gs)][0][1];
    const hrefs = [...links.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    assert.equal(hrefs.length, 8); // seven filters + "start a new search"
    assert.ok(hrefs.includes('/jobs'));
    assert.ok(hrefs.some((h) => !h.includes('q=') && h.includes('location=Austin')));
    assert.ok(hrefs.some((h) => h.includes('q=xylophonist') && !h.includes('min_salary')));
    assert.equal(cardIds(html).length, 0);
  });

  test('a page past the last one says so and links to the last page', async () => {
    for (const headers of [{}, { 'HX-Request': 'true' }]) {
      const { status, html } = await page('/jobs?remote=true&per_page=2&page=9', headers);
      assert.equal(status, 200);
      assert.match(html, /This page is past the last page of results\./);
      assert.match(html, /<a href="\/jobs\?remote=true&amp;per_page=2&amp;page=3" rel="last"/);
      assert.deepEqual(cardIds(html), []);
    }
  });

  test('places facet: the top places with counts, each a working location search', async () => {
    const params = { type: 'FULL_TIME', location: 'Denver' };
    const { html } = await page(`/jobs${qs(params)}`);
    const { body } = await getJson(`${srv.url}/api/v1/jobs${qs(params)}`);
    const list = /<ul class="places" id="fc-places">(.*?)<\/ul>/s.exec(html)[1];
    const items = [...list.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a> <span class="count">\((\d+)\)<\/span><\/li>/g)];
    assert.equal(items.length, body.facets.location.length);
    assert.ok(items.length >= 5);
    for (const [i, [, href, label, n]] of items.entries()) {
      const want = body.facets.location[i];
      assert.equal(label, [want.city, want.region, want.country].filter((x) => x).join(', '));
      assert.equal(Number(n), want.count);
      // The link searches that place alone (other filters reset).
      const { body: there } = await getJson(`${srv.url}/api/v1/jobs${href.replace(/&amp;/g, '&').slice('/jobs'.length)}`);
      assert.ok(there.meta.total >= want.count, href);
    }
  });

  test('bad parameter: 400 HTML error page naming the problem', async () => {
    const { status, headers, html } = await page('/jobs?type=NOPE');
    assert.equal(status, 400);
    assert.equal(headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(headers.get('cache-control'), 'no-store');
    fullPage(html);
    assert.match(html, /<h1 id="err-title">Something in the address is not right<\/h1>/);
    assert.match(html, /Unknown value for type/);
    assert.ok(html.includes(`<code>${headers.get('x-request-id')}</code>`));
  });
});

describe('HTMX', () => {
  const HX = { 'HX-Request': 'true' };

  test('HX-Request gets only the results fragment plus out-of-band counts', async () => {
    const { status, headers, html } = await page('/jobs?q=nurse&per_page=1', HX);
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'text/html; charset=utf-8');
    assert.ok(html.startsWith('<h2 id="results-h" tabindex="-1">3 jobs found for “nurse”</h2>'));
    assert.ok(!html.includes('<html'));
    assert.ok(!html.includes('<form'));
    assert.ok(!html.includes('<head'));
    assert.deepEqual(cardIds(html), [29]);
    assert.match(html, /<div id="result-status" hx-swap-oob="innerHTML">3 jobs found<\/div>/);
    const oob = [...html.matchAll(/<span class="count" id="fc-([a-z]+)-([A-Za-z0-9_]+)" hx-swap-oob="true">\((\d+)\)<\/span>/g)];
    assert.equal(oob.length, ACCOMMODATIONS.length + 2 + TYPES.length + LEVELS.length + SALARY_BANDS.length);
    const got = Object.fromEntries(oob.map((m) => [`${m[1]}-${m[2]}`, Number(m[3])]));
    assert.equal(got['type-FULL_TIME'], 3);
    assert.equal(got['level-entry'], 1);
    assert.equal(got['acc-asl_interpreter'], 2);
    assert.equal(got['remote-false'], 3);
    assert.equal(got['salary-100000'], 1);
    assert.match(html, /hx-get="\/jobs\?q=nurse&amp;per_page=1&amp;page=2" hx-target="#results" hx-push-url="true"/);
  });

  test('the fragment is the same markup as the results section of the full page', async () => {
    const full = (await page('/jobs?location=TX&sort=salary')).html;
    const frag = (await page('/jobs?location=TX&sort=salary', HX)).html;
    const section = /<section id="results" aria-labelledby="results-h">(.*?)<\/section><\/div><\/div><\/form>/s.exec(full)[1];
    assert.ok(frag.startsWith(section));
  });

  test('a history-restore request or another HX-Request value gets the full page', async () => {
    let { html } = await page('/jobs', { ...HX, 'HX-History-Restore-Request': 'true' });
    assert.ok(html.startsWith('<!doctype html>'));
    ({ html } = await page('/jobs', { 'HX-Request': 'false' }));
    assert.ok(html.startsWith('<!doctype html>'));
  });

  test('full page and fragment have different ETags', async () => {
    const a = await page('/jobs');
    const b = await page('/jobs', HX);
    assert.notEqual(a.headers.get('etag'), b.headers.get('etag'));
  });

  test('an HTMX request with a bad parameter gets an error fragment', async () => {
    const { status, html } = await page('/jobs?per_page=0', HX);
    assert.equal(status, 400);
    assert.ok(html.startsWith('<section class="error"'));
    assert.ok(!html.includes('<html'));
  });
});

describe('job page', () => {
  async function jobLd(id) {
    const { status, html } = await page(`/jobs/${id}`);
    assert.equal(status, 200);
    const blocks = jsonLdBlocks(html);
    assert.equal(blocks.length, 1, 'one JSON-LD block');
    return { ld: JSON.parse(blocks[0]), html };
  }

  test('on-site job: JobPosting JSON-LD with every required property', async () => {
    const { ld, html } = await jobLd(1);
    fullPage(html);
    assert.equal(ld['@context'], 'https://schema.org/');
    assert.equal(ld['@type'], 'JobPosting');
    assert.equal(ld.title, 'Nursing Assistant');
    assert.equal(ld.description, '<p>Help residents with daily living in a calm care home. Training provided.</p>\n');
    assert.equal(ld.datePosted, '2025-03-01');
    assert.equal(ld.validThrough, '2099-12-31T23:59:59Z');
    assert.equal(ld.employmentType, 'FULL_TIME');
    assert.deepEqual(ld.hiringOrganization, { '@type': 'Organization', name: 'Hill Country Care', sameAs: 'https://hillcountry.example' });
    assert.deepEqual(ld.identifier, { '@type': 'PropertyValue', name: 'Fixture', value: 'fx-01' });
    assert.deepEqual(ld.jobLocation, {
      '@type': 'Place',
      address: { '@type': 'PostalAddress', addressLocality: 'Austin', addressRegion: 'TX', addressCountry: 'US' },
    });
    assert.equal(ld.jobLocationType, undefined);
    assert.deepEqual(ld.baseSalary, {
      '@type': 'MonetaryAmount', currency: 'USD',
      value: { '@type': 'QuantitativeValue', minValue: 18, maxValue: 24, unitText: 'HOUR' },
    });
    assert.equal(ld.url, `${srv.url}/jobs/1`);
    assert.deepEqual(ld.skills, ['Patient care', 'CPR']);
    assert.equal(ld.sensoryRequirement, 'Hearing is not required; alarms are visual.');
    assert.equal(ld.jobBenefits, 'ASL interpreter provided; Captioned meetings; Visual alerts');
    assert.deepEqual(ld.experienceRequirements, { '@type': 'OccupationalExperienceRequirements', monthsOfExperience: 0 });
    assert.match(html, /<link rel="canonical" href="http:\/\/127\.0\.0\.1:\d+\/jobs\/1">/);
    assert.match(html, /<h1>Nursing Assistant<\/h1>/);
    assert.match(html, /<dd>\$18–\$24 per hour<\/dd>/);
    assert.match(html, /<dd>Austin, TX, US<\/dd>/);
    assert.match(html, /<li>ASL interpreter provided<\/li><li>Captioned meetings<\/li><li>Visual alerts<\/li>/);
    assert.ok(!html.includes('This job is closed'));
  });

  test('remote job: TELECOMMUTE with applicantLocationRequirements and no jobLocation', async () => {
    const { ld, html } = await jobLd(6);
    assert.equal(ld.jobLocationType, 'TELECOMMUTE');
    assert.deepEqual(ld.applicantLocationRequirements, { '@type': 'Country', name: 'US' });
    assert.equal(ld.jobLocation, undefined);
    assert.equal(ld.title, 'Senior Software Engineer');
    assert.equal(ld.datePosted, '2025-03-10');
    assert.equal(ld.hiringOrganization.name, 'Signal Works');
    assert.deepEqual(ld.baseSalary.value, { '@type': 'QuantitativeValue', minValue: 140000, maxValue: 180000, unitText: 'YEAR' });
    assert.match(html, /<dd>Remote \(US\)<\/dd>/);
  });

  test('remote job with an office keeps both', async () => {
    const { ld } = await jobLd(8);
    assert.equal(ld.jobLocationType, 'TELECOMMUTE');
    assert.equal(ld.jobLocation.address.addressLocality, 'Chicago');
    assert.deepEqual(ld.applicantLocationRequirements, { '@type': 'Country', name: 'US' });
  });

  test('JSON-LD of every open job parses and agrees with the API', async () => {
    const { body } = await getJson(`${srv.url}/api/v1/jobs?per_page=100`);
    for (const j of body.data) {
      const { ld } = await jobLd(j.id);
      assert.equal(ld.title, j.title);
      assert.equal(ld.datePosted, j.date_posted);
      assert.equal(ld.employmentType, j.employment_type);
      assert.equal(ld.hiringOrganization.name, j.company.name);
      assert.equal(ld.identifier.value, j.source.id);
      assert.equal(ld.validThrough, j.valid_through ?? undefined);
      assert.ok(ld.jobLocation || ld.jobLocationType === 'TELECOMMUTE', j.source.id);
      if (j.salary) assert.equal(ld.baseSalary.value.maxValue, j.salary.max);
      else assert.equal(ld.baseSalary, undefined);
    }
  });

  test('closed job: page stays, says it is closed, no JSON-LD', async () => {
    const { status, html } = await page('/jobs/25');
    assert.equal(status, 200);
    fullPage(html);
    assert.match(html, /<strong>This job is closed\.<\/strong>/);
    assert.ok(!html.includes('expired on'));
    assert.deepEqual(jsonLdBlocks(html), []);
    assert.match(html, /<h1>Closed Lighthouse Keeper<\/h1>/);
  });

  test('expired job: says when it expired, no JSON-LD', async () => {
    const { status, html } = await page('/jobs/24');
    assert.equal(status, 200);
    assert.match(html, /<strong>This job is closed\.<\/strong>/);
    assert.match(html, /the posting expired on <time datetime="2020-01-31T23:59:59Z">2020-01-31<\/time>/);
    assert.deepEqual(jsonLdBlocks(html), []);
  });

  test('unknown job: 404 HTML page', async () => {
    for (const path of ['/jobs/999', '/jobs/0', '/jobs/abc', '/jobs/1/', '/jobs/-1']) {
      const { status, headers, html } = await page(path);
      assert.equal(status, 404, path);
      assert.equal(headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(html, /<h1 id="err-title">Page not found<\/h1>/);
    }
  });
});

describe('other pages and errors', () => {
  test('help page', async () => {
    const { status, html } = await page('/help');
    assert.equal(status, 200);
    fullPage(html);
    assert.match(html, /aria-current="page">Help</);
  });

  test('unknown page: 404 HTML error page with a way back', async () => {
    const { status, headers, html } = await page('/no/such/page');
    assert.equal(status, 404);
    assert.equal(headers.get('content-type'), 'text/html; charset=utf-8');
    fullPage(html);
    assert.match(html, /<a href="\/jobs">searching all jobs<\/a>/);
  });

  test('wrong method on a page: 405 HTML with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await fetch(`${srv.url}/jobs`, { method, body: method === 'DELETE' ? undefined : 'a=b' });
      assert.equal(r.status, 405);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(await r.text(), /That action is not allowed here/);
    }
  });

  test('HEAD of a page: headers without a body', async () => {
    const get = await request(srv.url, '/jobs/1');
    const head = await request(srv.url, '/jobs/1', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(head.headers.etag, get.headers.etag);
    assert.equal(Number(head.headers['content-length']), get.body.length);
  });
});
