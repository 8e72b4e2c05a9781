// Job search semantics through GET /api/v1/jobs: words (stemming, title
// weight), every filter and their combinations, exact facet counts, the
// three sort orders, pagination and its links, and the exclusion of
// expired and closed jobs.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ACCOMMODATIONS, FIXTURE, LEVELS, SALARY_BANDS, TYPES, allSids, fixtureJobs, getJson, idMap,
  modelOf, oracle, qs, startServer, test,
} from './helpers.mjs';

let srv;
let ids; // source id -> database id
let models;

before(async () => {
  srv = await startServer({ fixture: FIXTURE });
  const jobs = fixtureJobs();
  models = jobs.map(modelOf);
  ids = await idMap(srv.url, jobs.length);
});
after(async () => {
  await srv?.stop();
});

const api = (params) => getJson(`${srv.url}/api/v1/jobs${qs(params)}`);
const sidsOf = (body) => body.data.map((d) => d.source.id);

// Newest first; equal dates (fx-20/fx-21, fx-29/fx-30) fall back to the higher id first.
const BY_DATE = [
  'fx-26', 'fx-06', 'fx-17', 'fx-07', 'fx-08', 'fx-18', 'fx-02', 'fx-19', 'fx-12', 'fx-09',
  'fx-01', 'fx-10', 'fx-22', 'fx-21', 'fx-20', 'fx-30', 'fx-29', 'fx-28', 'fx-05', 'fx-04',
  'fx-03', 'fx-32', 'fx-27', 'fx-31', 'fx-16', 'fx-15', 'fx-14', 'fx-13', 'fx-11', 'fx-23',
];
// Highest annual maximum first (hourly x 2080, daily x 260, weekly x 52, monthly x 12);
// ties (fx-27/fx-04 at 93,600, fx-20/fx-16 at 65,000) by higher id; no salary last.
const BY_SALARY = [
  'fx-11', 'fx-06', 'fx-26', 'fx-14', 'fx-29', 'fx-09', 'fx-08', 'fx-27', 'fx-04', 'fx-02',
  'fx-17', 'fx-10', 'fx-22', 'fx-20', 'fx-16', 'fx-03', 'fx-07', 'fx-01', 'fx-18', 'fx-32',
  'fx-15', 'fx-12', 'fx-05', 'fx-19', 'fx-28', 'fx-31', 'fx-30', 'fx-23', 'fx-21', 'fx-13',
];

describe('the fixture as loaded', () => {
  test('ids follow the import order', () => {
    for (let i = 1; i <= 32; i++) assert.equal(ids[`fx-${String(i).padStart(2, '0')}`], i);
  });

  test('30 of 32 jobs are open: the expired and the closed job are not counted', async () => {
    const { status, body } = await api({ per_page: 100 });
    assert.equal(status, 200);
    assert.equal(body.meta.total, 30);
    assert.equal(body.data.length, 30);
    assert.ok(!sidsOf(body).includes('fx-24'));
    assert.ok(!sidsOf(body).includes('fx-25'));
  });
});

describe('sorting', () => {
  test('default without words is newest first, ties by id', async () => {
    const { body } = await api({ per_page: 100 });
    assert.equal(body.meta.sort, 'date');
    assert.deepEqual(sidsOf(body), BY_DATE);
  });

  test('sort=date gives the same order', async () => {
    const { body } = await api({ sort: 'date', per_page: 100 });
    assert.equal(body.meta.sort, 'date');
    assert.deepEqual(sidsOf(body), BY_DATE);
  });

  test('sort=salary orders by annualised maximum, no salary last', async () => {
    const { body } = await api({ sort: 'salary', per_page: 100 });
    assert.equal(body.meta.sort, 'salary');
    assert.deepEqual(sidsOf(body), BY_SALARY);
  });

  test('sort=relevance without words falls back to date', async () => {
    const { body } = await api({ sort: 'relevance', per_page: 100 });
    assert.equal(body.meta.sort, 'date');
    assert.deepEqual(sidsOf(body), BY_DATE);
  });

  test('default with words is relevance', async () => {
    const { body } = await api({ q: 'nurse' });
    assert.equal(body.meta.sort, 'relevance');
  });

  test('words with sort=date and sort=salary', async () => {
    let { body } = await api({ q: 'nurse', sort: 'date' });
    assert.equal(body.meta.sort, 'date');
    assert.deepEqual(sidsOf(body), ['fx-02', 'fx-01', 'fx-29']);
    ({ body } = await api({ q: 'nurse', sort: 'salary' }));
    assert.equal(body.meta.sort, 'salary');
    assert.deepEqual(sidsOf(body), ['fx-29', 'fx-02', 'fx-01']);
  });
});

describe('words', () => {
  const set = async (q) => sidsOf((await api({ q, per_page: 100 })).body).sort();

  test('stemming: nurse, nurses, nursing and NURSE find the same three jobs', async () => {
    const want = ['fx-01', 'fx-02', 'fx-29'];
    for (const q of ['nurse', 'nurses', 'nursing', 'NURSE', 'Nursing']) assert.deepEqual(await set(q), want, q);
  });

  test('plural and singular: engineers finds both engineer titles', async () => {
    assert.deepEqual(await set('engineers'), ['fx-06', 'fx-07']);
    assert.deepEqual(await set('engineer'), ['fx-06', 'fx-07']);
  });

  test('every word must match', async () => {
    assert.deepEqual(await set('registered nurse'), ['fx-02']);
    assert.deepEqual(await set('software intern'), ['fx-07']);
    assert.deepEqual(await set('nurse welding'), []);
  });

  test('skills are searched', async () => {
    assert.deepEqual(await set('postgresql'), ['fx-06']);
    assert.deepEqual(await set('kore'), ['fx-06']); // a preferred skill
    assert.deepEqual(await set('zendesk'), ['fx-18']);
  });

  test('descriptions are searched', async () => {
    assert.deepEqual(await set('vibrating pager'), ['fx-32']);
    assert.deepEqual(await set('phone calls'), ['fx-18']);
  });

  test('title outranks skills, skills outrank description', async () => {
    // fx-03 has "Welding" in its title, fx-04 in its skills, fx-05 in its description.
    for (const q of ['weld', 'welding']) {
      const { body } = await api({ q });
      assert.deepEqual(sidsOf(body), ['fx-03', 'fx-04', 'fx-05'], q);
    }
    const { body } = await api({ q: 'captions' });
    assert.equal(sidsOf(body)[0], 'fx-28'); // "Caption Editor"; the others mention captions in passing
    assert.deepEqual(sidsOf(body).sort(), ['fx-17', 'fx-26', 'fx-28']);
  });

  test('a title match comes first for asl', async () => {
    const { body } = await api({ q: 'asl' });
    assert.equal(sidsOf(body)[0], 'fx-09');
    assert.deepEqual(sidsOf(body).sort(), ['fx-09', 'fx-10', 'fx-22', 'fx-30']);
  });

  test('punctuation and operator characters are just separators', async () => {
    assert.deepEqual(await set('nurse!'), ['fx-01', 'fx-02', 'fx-29']);
    assert.deepEqual(await set('"nurse"'), ['fx-01', 'fx-02', 'fx-29']);
    assert.deepEqual(await set('(nurse)'), ['fx-01', 'fx-02', 'fx-29']);
    assert.deepEqual(await set('nurse*'), ['fx-01', 'fx-02', 'fx-29']);
    assert.deepEqual(await set('-nurse'), ['fx-01', 'fx-02', 'fx-29']);
    assert.deepEqual(await set('registered+nurse'), ['fx-02']);
  });

  test('common English words in the query do not hide matches (same on every database)', async () => {
    // "the nurse" means nurse jobs; none of their texts contains "the".
    assert.deepEqual(await set('the nurse'), ['fx-01', 'fx-02', 'fx-29']);
    assert.deepEqual(await set('a welding job'), []); // "job" is a real word no welding job has
    assert.deepEqual(await set('teacher of the deaf'), ['fx-22']);
  });

  test('words and filters combine', async () => {
    const { body } = await api({ q: 'nurse', location: 'Austin', level: 'entry' });
    assert.deepEqual(sidsOf(body), ['fx-01']);
    assert.equal(body.meta.total, 1);
  });

  test('facets are computed within the word search', async () => {
    const { body } = await api({ q: 'nurse' });
    assert.deepEqual(body.facets.employment_type, { ...zero(TYPES), FULL_TIME: 3 });
    assert.deepEqual(body.facets.experience_level, { ...zero(LEVELS), entry: 1, mid: 1, senior: 1 });
    assert.deepEqual(body.facets.remote, { true: 0, false: 3 });
    assert.deepEqual(body.facets.accommodation, {
      ...zero(ACCOMMODATIONS), asl_interpreter: 2, captioned_meetings: 1, text_interviews: 1, visual_alerts: 1,
    });
    assert.deepEqual(body.facets.min_salary, { 30000: 3, 50000: 2, 75000: 2, 100000: 1, 150000: 0 });
  });

  test('expired and closed jobs are not found by their own words', async () => {
    assert.deepEqual(await set('gardener'), []);
    assert.deepEqual(await set('lighthouse'), []);
    assert.deepEqual(await set('expired gardener'), []);
  });

  test('no match: empty data, zero total, no pages, no next/prev', async () => {
    const { status, body } = await api({ q: 'xylophonist' });
    assert.equal(status, 200);
    assert.deepEqual(body.data, []);
    assert.deepEqual(body.meta, { total: 0, page: 1, per_page: 20, pages: 0, sort: 'relevance' });
    assert.equal(body.links.next, undefined);
    assert.equal(body.links.prev, undefined);
    // Facets leave their own filter out, but words are never left out.
    for (const [name, group] of Object.entries(body.facets)) {
      if (name === 'location') assert.deepEqual(group, []);
      else for (const [k, n] of Object.entries(group)) assert.equal(n, 0, k);
    }
  });
});

function zero(keys) {
  return Object.fromEntries(keys.map((k) => [k, 0]));
}

describe('filters (literal expectations)', () => {
  const set = async (params) => sidsOf((await api({ ...params, per_page: 100 })).body).sort();

  test('location: city, city+region, region, country; case and spaces do not matter', async () => {
    const austin = ['fx-01', 'fx-02', 'fx-12', 'fx-19', 'fx-23', 'fx-32'];
    assert.deepEqual(await set({ location: 'Austin' }), austin);
    assert.deepEqual(await set({ location: 'austin, tx' }), austin);
    assert.deepEqual(await set({ location: '  AUSTIN ,  TX ' }), austin);
    assert.deepEqual(await set({ location: 'Austin, TX, US' }), austin);
    assert.deepEqual(await set({ location: 'Austin, WA' }), []);
    assert.deepEqual(await set({ location: 'Portland' }), ['fx-13', 'fx-14']);
    assert.deepEqual(await set({ location: 'Portland, OR' }), ['fx-13']);
    assert.deepEqual(await set({ location: 'portland, me' }), ['fx-14']);
    assert.deepEqual(await set({ location: 'Canada' }), ['fx-15', 'fx-16']);
    assert.deepEqual(await set({ location: 'Montréal' }), ['fx-16']);
    assert.deepEqual(await set({ location: 'montréal, qc' }), ['fx-16']);
    assert.deepEqual(await set({ location: 'Boston' }), ['fx-31']); // address given as a plain string
    assert.deepEqual(await set({ location: 'NY' }), ['fx-10', 'fx-11', 'fx-22', 'fx-30']);
    assert.deepEqual(await set({ location: 'new york' }), ['fx-11']);
  });

  test('location matches whole parts only; LIKE wildcards are literal', async () => {
    assert.deepEqual(await set({ location: 'Aus' }), []);
    assert.deepEqual(await set({ location: 'Aus%' }), []);
    assert.deepEqual(await set({ location: '%' }), []);
    assert.deepEqual(await set({ location: '_ustin' }), []);
    assert.deepEqual(await set({ location: ',,,' }), (await set({})));
  });

  test('location: "|" is an ordinary character, not a part separator', async () => {
    // Parts are separated by commas; "Austin|TX" names no city, region or country.
    assert.deepEqual(await set({ location: 'Austin|TX' }), []);
    assert.deepEqual(await set({ location: 'TX|US' }), []);
  });

  test('remote', async () => {
    const remote = ['fx-06', 'fx-08', 'fx-17', 'fx-18', 'fx-28'];
    assert.deepEqual(await set({ remote: 'true' }), remote);
    assert.deepEqual(await set({ remote: '1' }), remote);
    assert.equal((await set({ remote: 'false' })).length, 25);
    assert.deepEqual(await set({ remote: '0' }), await set({ remote: 'false' }));
    assert.equal((await set({ remote: 'any' })).length, 30);
    assert.deepEqual(await set({ remote: 'true', location: 'Chicago' }), ['fx-08']);
  });

  test('employment type: each value and OR within', async () => {
    assert.deepEqual(await set({ type: 'PART_TIME' }), ['fx-05', 'fx-09', 'fx-19', 'fx-27', 'fx-28', 'fx-30', 'fx-31']);
    assert.deepEqual(await set({ type: 'CONTRACTOR' }), ['fx-04', 'fx-17']);
    assert.deepEqual(await set({ type: 'TEMPORARY' }), ['fx-12']);
    assert.deepEqual(await set({ type: 'INTERN' }), ['fx-07']);
    assert.deepEqual(await set({ type: 'VOLUNTEER' }), ['fx-13']);
    assert.deepEqual(await set({ type: 'PER_DIEM' }), ['fx-14']);
    assert.deepEqual(await set({ type: 'OTHER' }), ['fx-15']);
    assert.equal((await set({ type: 'FULL_TIME' })).length, 16);
    assert.deepEqual(await set({ type: ['INTERN', 'VOLUNTEER', 'OTHER'] }), ['fx-07', 'fx-13', 'fx-15']);
    assert.deepEqual(await set({ type: ['INTERN', 'INTERN'] }), ['fx-07']);
    assert.deepEqual(await set({ type: ['', 'INTERN'] }), ['fx-07']); // empty values are ignored
  });

  test('experience level: each value and OR within', async () => {
    assert.deepEqual(await set({ level: 'executive' }), ['fx-11']);
    assert.deepEqual(await set({ level: 'lead' }), ['fx-10', 'fx-21']);
    assert.deepEqual(await set({ level: 'senior' }), ['fx-06', 'fx-09', 'fx-14', 'fx-26', 'fx-29']);
    assert.deepEqual(await set({ level: ['lead', 'executive'] }), ['fx-10', 'fx-11', 'fx-21']);
    assert.equal((await set({ level: 'entry' })).length, 9);
    // fx-31 gives 30 months of experience instead of a level: mid.
    assert.ok((await set({ level: 'mid' })).includes('fx-31'));
  });

  test('accommodations: a job must offer every chosen one', async () => {
    assert.deepEqual(await set({ accommodation: 'asl_interpreter' }), ['fx-01', 'fx-02', 'fx-10', 'fx-11', 'fx-22']);
    assert.deepEqual(await set({ accommodation: ['asl_interpreter', 'visual_alerts'] }), ['fx-01', 'fx-10', 'fx-22']);
    assert.deepEqual(await set({ accommodation: ['asl_interpreter', 'visual_alerts', 'deaf_owned'] }), ['fx-10']);
    assert.deepEqual(await set({ accommodation: ['cart', 'videophone'] }), []);
    assert.deepEqual(await set({ accommodation: ['text_interviews', 'remote_option'] }), ['fx-06', 'fx-18']);
  });

  test('min_salary compares the annualised maximum, boundaries included', async () => {
    assert.deepEqual(await set({ min_salary: 100000 }), ['fx-06', 'fx-08', 'fx-09', 'fx-11', 'fx-14', 'fx-26', 'fx-29']);
    assert.deepEqual(await set({ min_salary: 100001 }), ['fx-06', 'fx-09', 'fx-11', 'fx-14', 'fx-26', 'fx-29']);
    assert.deepEqual(await set({ min_salary: 250000 }), ['fx-11']); // the closed job pays 300,000
    assert.deepEqual(await set({ min_salary: 250001 }), []);
    assert.ok((await set({ min_salary: 93600 })).includes('fx-04')); // $45/hour
    assert.ok(!(await set({ min_salary: 93601 })).includes('fx-04'));
    assert.ok((await set({ min_salary: 84000 })).includes('fx-17')); // 7,000 a month
    assert.ok((await set({ min_salary: 31200 })).includes('fx-19')); // 600 a week
    assert.ok(!(await set({ min_salary: 31201 })).includes('fx-19'));
    assert.equal((await set({ min_salary: 0 })).length, 30); // 0 means no filter
    assert.equal((await set({ min_salary: 1 })).length, 25); // jobs without a salary drop out
  });
});

describe('filters, combinations and facets against the fixture model', () => {
  const cases = [
    {},
    { location: 'TX' },
    { location: 'Austin, TX' },
    { location: 'US' },
    { remote: 'true' },
    { remote: 'false' },
    { type: 'FULL_TIME' },
    { type: ['PART_TIME', 'CONTRACTOR'] },
    { level: 'mid' },
    { level: ['entry', 'senior'] },
    { accommodation: 'captioned_meetings' },
    { accommodation: ['captioned_meetings', 'remote_option'] },
    { accommodation: ['deaf_owned', 'asl_fluent_staff'] },
    { min_salary: 50000 },
    { min_salary: 75000, remote: 'true' },
    { type: 'FULL_TIME', level: 'mid', location: 'TX' },
    { type: 'PART_TIME', accommodation: 'captioned_meetings' },
    { remote: 'false', min_salary: 30000, level: 'entry' },
    { location: 'Rochester, NY', accommodation: 'asl_fluent_staff', type: ['FULL_TIME', 'PART_TIME'] },
    { location: 'Seattle', sort: 'salary' },
    { type: ['FULL_TIME', 'CONTRACTOR'], level: ['mid', 'senior'], accommodation: 'captioned_meetings', sort: 'salary' },
    { remote: 'true', type: 'FULL_TIME', level: 'entry', accommodation: 'text_interviews', min_salary: 30000 },
    { location: 'Canada', min_salary: 50000 },
    { type: 'VOLUNTEER', min_salary: 1 },
    { accommodation: ACCOMMODATIONS },
    { type: TYPES, level: LEVELS, sort: 'salary' },
  ];
  for (const params of cases) {
    test(`${qs(params) || '(no parameters)'}`, async () => {
      const want = oracle(models, ids, params);
      const { status, body } = await api({ ...params, per_page: 100 });
      assert.equal(status, 200);
      assert.deepEqual(sidsOf(body), want.sids);
      assert.equal(body.meta.total, want.total);
      assert.equal(body.meta.sort, want.sort);
      assert.deepEqual(body.facets, want.facets);
    });
  }

  test('the model itself agrees with the literal facets of the whole fixture', async () => {
    const want = oracle(models, ids, {});
    assert.deepEqual(want.facets.employment_type, {
      FULL_TIME: 16, PART_TIME: 7, CONTRACTOR: 2, TEMPORARY: 1, INTERN: 1, VOLUNTEER: 1, PER_DIEM: 1, OTHER: 1,
    });
    assert.deepEqual(want.facets.experience_level, { entry: 9, mid: 13, senior: 5, lead: 2, executive: 1 });
    assert.deepEqual(want.facets.remote, { true: 5, false: 25 });
    assert.deepEqual(want.facets.min_salary, { 30000: 25, 50000: 17, 75000: 12, 100000: 7, 150000: 3 });
    assert.deepEqual(want.facets.accommodation, {
      asl_interpreter: 5, captioned_meetings: 8, cart: 2, text_interviews: 4, videophone: 2, visual_alerts: 6,
      flexible_schedule: 3, remote_option: 4, assistive_technology: 2, deaf_owned: 3, asl_fluent_staff: 4,
      written_instructions: 5,
    });
    const place = (city, region, country, count) => ({ city, region, country, count });
    assert.deepEqual(want.facets.location, [
      place('Austin', 'TX', 'US', 6), place('Houston', 'TX', 'US', 3), place('Rochester', 'NY', 'US', 3),
      place('Dallas', 'TX', 'US', 2), place('Denver', 'CO', 'US', 2), place('Seattle', 'WA', 'US', 2),
      place('Boston', null, null, 1), place('Chicago', 'IL', 'US', 1), place('Montréal', 'QC', 'Canada', 1),
      place('New York', 'NY', 'US', 1),
    ]);
    assert.deepEqual(want.sids, BY_DATE);
    assert.deepEqual(oracle(models, ids, { sort: 'salary' }).sids, BY_SALARY);
  });
});

describe('facet semantics (literal)', () => {
  test('a filter does not change its own facet, but changes the others', async () => {
    const all = (await api({})).body.facets;
    const { body } = await api({ type: 'PART_TIME' });
    assert.deepEqual(body.facets.employment_type, all.employment_type);
    assert.deepEqual(body.facets.experience_level, { entry: 2, mid: 4, senior: 1, lead: 0, executive: 0 });
    assert.deepEqual(body.facets.remote, { true: 1, false: 6 });
    assert.deepEqual(body.facets.min_salary, { 30000: 5, 50000: 2, 75000: 2, 100000: 1, 150000: 0 });
    assert.deepEqual(body.facets.accommodation, {
      ...zero(ACCOMMODATIONS), captioned_meetings: 2, cart: 1, videophone: 1, deaf_owned: 2,
      asl_fluent_staff: 2, remote_option: 1,
    });
  });

  test('the location facet leaves the location filter out and skips jobs without a place', async () => {
    const { body } = await api({ location: 'Portland, OR', type: 'PART_TIME' });
    assert.equal(body.meta.total, 0);
    assert.deepEqual(body.facets.location, [
      // fx-28 is part-time too, but remote with no place.
      { city: 'Dallas', region: 'TX', country: 'US', count: 2 },
      { city: 'Austin', region: 'TX', country: 'US', count: 1 },
      { city: 'Boston', region: null, country: null, count: 1 },
      { city: 'Rochester', region: 'NY', country: 'US', count: 1 },
      { city: 'Washington', region: 'DC', country: 'US', count: 1 },
    ]);
  });

  test('remote and min_salary facets leave their own filter out', async () => {
    const { body } = await api({ remote: 'true', min_salary: 150000 });
    assert.equal(body.meta.total, 1); // fx-06
    assert.deepEqual(body.facets.remote, { true: 1, false: 2 }); // 150,000+: fx-06 remote; fx-11, fx-26 on site
    assert.deepEqual(body.facets.min_salary, { 30000: 5, 50000: 3, 75000: 3, 100000: 2, 150000: 1 });
  });

  test('accommodation counts are what remains when one more is added', async () => {
    const { body } = await api({ accommodation: 'asl_interpreter' });
    assert.equal(body.meta.total, 5);
    assert.deepEqual(body.facets.accommodation, {
      ...zero(ACCOMMODATIONS), asl_interpreter: 5, captioned_meetings: 2, cart: 1, text_interviews: 1,
      videophone: 1, visual_alerts: 3, deaf_owned: 1, asl_fluent_staff: 2,
    });
    assert.deepEqual(body.facets.employment_type, { ...zero(TYPES), FULL_TIME: 5 });
  });

  test('facet keys are the full vocabularies in order', async () => {
    const { body } = await api({ q: 'xylophonist' });
    assert.deepEqual(Object.keys(body.facets), ['employment_type', 'experience_level', 'remote', 'accommodation', 'min_salary', 'location']);
    assert.deepEqual(body.facets.location, []);
    assert.deepEqual(Object.keys(body.facets.employment_type), TYPES);
    assert.deepEqual(Object.keys(body.facets.experience_level), LEVELS);
    assert.deepEqual(Object.keys(body.facets.accommodation), ACCOMMODATIONS);
    assert.deepEqual(Object.keys(body.facets.min_salary), SALARY_BANDS.map(String));
  });
});

describe('pagination', () => {
  async function walk(params, perPage) {
    const seen = [];
    let page = 1;
    let pages;
    do {
      const { status, body } = await api({ ...params, per_page: perPage, page });
      assert.equal(status, 200);
      assert.equal(body.meta.page, page);
      assert.equal(body.meta.per_page, perPage);
      pages = body.meta.pages;
      assert.equal(pages, Math.ceil(body.meta.total / perPage));
      assert.ok(body.data.length <= perPage);
      if (page < pages) assert.equal(body.data.length, perPage);
      seen.push(...sidsOf(body));
      page++;
    } while (page <= pages);
    return seen;
  }

  for (const [name, params] of [
    ['date', { sort: 'date' }],
    ['salary', { sort: 'salary' }],
    ['relevance', { q: 'asl' }],
    ['relevance with ties', { q: 'care' }],
    ['filtered', { location: 'TX', sort: 'salary' }],
  ]) {
    for (const perPage of [1, 3, 7]) {
      test(`${name}: pages of ${perPage} concatenate to the full order without duplicates`, async () => {
        const full = await allSids(srv.url, params);
        const paged = await walk(params, perPage);
        assert.deepEqual(paged, full);
        assert.equal(new Set(paged).size, paged.length);
      });
    }
  }

  test('meta and links on a middle page', async () => {
    const { body } = await api({ remote: 'true', type: 'FULL_TIME', per_page: 1, page: 2 });
    assert.deepEqual(body.meta, { total: 3, page: 2, per_page: 1, pages: 3, sort: 'date' });
    const base = `${srv.url}/api/v1/jobs?remote=true&type=FULL_TIME&per_page=1`;
    assert.deepEqual(body.links, { self: `${base}&page=2`, next: `${base}&page=3`, prev: base });
  });

  test('links on the first and last page', async () => {
    let { body } = await api({ per_page: 10 });
    assert.deepEqual(body.links, {
      self: `${srv.url}/api/v1/jobs?per_page=10`,
      next: `${srv.url}/api/v1/jobs?per_page=10&page=2`,
    });
    ({ body } = await api({ per_page: 10, page: 3 }));
    assert.deepEqual(body.links, {
      self: `${srv.url}/api/v1/jobs?per_page=10&page=3`,
      prev: `${srv.url}/api/v1/jobs?per_page=10&page=2`,
    });
    assert.equal(body.data.length, 10);
  });

  test('links carry every parameter in a canonical order and encode values', async () => {
    const { body } = await api({
      page: 1, per_page: 2, sort: 'salary', min_salary: 30000, accommodation: ['visual_alerts', 'asl_interpreter'],
      level: 'mid', type: ['PART_TIME', 'FULL_TIME'], remote: 'false', location: 'Austin, TX', q: 'care & more',
    });
    assert.equal(
      body.links.self,
      `${srv.url}/api/v1/jobs?q=care%20%26%20more&location=Austin%2C%20TX&remote=false&type=FULL_TIME&type=PART_TIME` +
        '&level=mid&accommodation=asl_interpreter&accommodation=visual_alerts&min_salary=30000&sort=salary&per_page=2',
    );
  });

  test('links can be followed and reproduce the same pages', async () => {
    const first = (await api({ location: 'TX', per_page: 4 })).body;
    const second = (await getJson(first.links.next)).body;
    assert.equal(second.meta.page, 2);
    const back = (await getJson(second.links.prev)).body;
    assert.deepEqual(sidsOf(back), sidsOf(first));
    assert.deepEqual(sidsOf(second), (await allSids(srv.url, { location: 'TX' })).slice(4, 8));
  });

  test('a page past the end is empty but keeps the total', async () => {
    const { status, body } = await api({ per_page: 10, page: 4 });
    assert.equal(status, 200);
    assert.deepEqual(body.data, []);
    assert.equal(body.meta.total, 30);
    assert.equal(body.meta.pages, 3);
    assert.equal(body.links.next, undefined);
    assert.equal(body.links.prev, `${srv.url}/api/v1/jobs?per_page=10&page=3`);
  });

  test('page 500 is the last allowed page', async () => {
    const { status, body } = await api({ page: 500 });
    assert.equal(status, 200);
    assert.deepEqual(body.data, []);
    assert.equal(body.meta.page, 500);
  });

  test('default page size is 20; per_page bounds 1..100', async () => {
    let { body } = await api({});
    assert.equal(body.meta.per_page, 20);
    assert.equal(body.data.length, 20);
    assert.equal(body.meta.pages, 2);
    ({ body } = await api({ per_page: 100 }));
    assert.equal(body.data.length, 30);
    ({ body } = await api({ per_page: 1 }));
    assert.equal(body.data.length, 1);
    assert.equal(body.meta.pages, 30);
  });
});
