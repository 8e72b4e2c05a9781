// Feeds: RSS 2.0 for any search (/jobs.rss) and the Indeed-style XML feed
// of every open job (/feeds/indeed.xml). Both must be well-formed XML and
// carry exactly the right jobs and fields, hostile text included.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  FIXTURE, TYPE_LABELS, fixtureJobs, getJson, modelOf, parseXml, qs, startServer, test,
} from './helpers.mjs';

let srv;
let apiJobs; // every job by database id, from the API
before(async () => {
  srv = await startServer({ fixture: FIXTURE });
  apiJobs = {};
  for (let id = 1; id <= fixtureJobs().length; id++) apiJobs[id] = (await getJson(`${srv.url}/api/v1/jobs/${id}`)).body.data;
});
after(async () => {
  await srv?.stop();
});

async function rss(params) {
  const r = await fetch(`${srv.url}/jobs.rss${qs(params)}`);
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, xml: r.status === 200 ? parseXml(text) : null };
}
const idFromLink = (link) => Number(/\/jobs\/(\d+)$/.exec(link)[1]);
const apiIds = async (params) => (await getJson(`${srv.url}/api/v1/jobs${qs(params)}`)).body.data.map((d) => d.id);

function rfc822(date) {
  return new Date(`${date}T00:00:00Z`).toUTCString(); // "Wed, 05 Mar 2025 00:00:00 GMT"
}

describe('RSS 2.0', () => {
  test('all open jobs, newest first, well-formed', async () => {
    const { status, headers, text, xml } = await rss({});
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"'));
    assert.equal(xml.rss['@version'], '2.0');
    const ch = xml.rss.channel;
    assert.equal(ch.title, 'Beacon jobs');
    assert.equal(ch.language, 'en');
    assert.equal(typeof ch.description, 'string');
    assert.equal(ch['atom:link']['@rel'], 'self');
    assert.equal(ch['atom:link']['@type'], 'application/rss+xml');
    assert.equal(ch.item.length, 30);
    assert.deepEqual(ch.item.map((i) => idFromLink(i.link)), await apiIds({ sort: 'date', per_page: 100 }));
  });

  test('every item: title, link, permalink guid, pubDate, description', async () => {
    const { xml } = await rss({});
    for (const item of xml.rss.channel.item) {
      const id = idFromLink(item.link);
      const j = apiJobs[id];
      assert.equal(item.title, `${j.title} — ${j.company.name}`);
      assert.equal(item.link, `${srv.url}/jobs/${id}`);
      assert.equal(item.guid['#text'], item.link);
      assert.equal(item.guid['@isPermaLink'], 'true');
      assert.equal(item.pubDate, rfc822(j.date_posted));
      assert.equal(typeof item.description, 'string');
      assert.ok(!item.description.includes('<'), `description of ${id} carries no markup`);
    }
  });

  test('an item in detail', async () => {
    const { xml } = await rss({ q: 'registered nurse' });
    assert.equal(xml.rss.channel.item.length, 1);
    const item = xml.rss.channel.item[0];
    assert.equal(item.title, 'Registered Nurse — Capital Health');
    assert.equal(item.pubDate, 'Wed, 05 Mar 2025 00:00:00 GMT');
    assert.equal(item.description, 'Austin, TX, US. Care for patients on a busy ward with a supportive team.');
    const remote = (await rss({ q: 'zendesk' })).xml.rss.channel.item[0];
    assert.equal(remote.description, 'Remote (US). Answer customers by chat and email only: no phone calls, ever.');
  });

  test('searches: words are ordered by date in the feed', async () => {
    const { xml } = await rss({ q: 'nurse' });
    assert.equal(xml.rss.channel.title, 'Beacon jobs: nurse');
    assert.deepEqual(xml.rss.channel.item.map((i) => idFromLink(i.link)), [2, 1, 29]);
  });

  test('searches: filters, sort and per_page apply', async () => {
    for (const params of [
      { remote: 'true' },
      { location: 'Rochester, NY', accommodation: 'asl_fluent_staff' },
      { type: ['PART_TIME', 'TEMPORARY'], sort: 'salary' },
      { min_salary: 100000, per_page: 3 },
      { level: 'entry', per_page: 2, page: 2 },
    ]) {
      const { xml } = await rss(params);
      const ids = (xml.rss.channel.item ?? []).map((i) => idFromLink(i.link));
      assert.deepEqual(ids, await apiIds({ sort: 'date', per_page: 50, ...params }), JSON.stringify(params));
    }
  });

  test('self link and channel link carry the search', async () => {
    const { xml } = await rss({ q: 'nurse', location: 'Austin, TX' });
    const ch = xml.rss.channel;
    assert.equal(ch.link, `${srv.url}/jobs?q=nurse&location=Austin%2C%20TX&sort=date&per_page=50`);
    assert.equal(ch['atom:link']['@href'], `${srv.url}/jobs.rss?q=nurse&location=Austin%2C%20TX&sort=date&per_page=50`);
    const again = await rss(Object.fromEntries(new URL(ch['atom:link']['@href']).searchParams));
    assert.deepEqual(again.xml, (await rss({ q: 'nurse', location: 'Austin, TX' })).xml);
  });

  test('no results: a valid, empty channel', async () => {
    const { status, xml } = await rss({ q: 'xylophonist' });
    assert.equal(status, 200);
    assert.equal(xml.rss.channel.item, undefined);
    assert.equal(xml.rss.channel.title, 'Beacon jobs: xylophonist');
  });

  test('expired and closed jobs are not in any feed', async () => {
    for (const params of [{}, { q: 'gardener' }, { q: 'lighthouse' }, { sort: 'salary' }]) {
      const { text } = await rss(params);
      assert.ok(!text.includes('Gardener'));
      assert.ok(!text.includes('Lighthouse'));
    }
  });

  test('hostile words in the channel title stay text', async () => {
    const q = '</title><script>x</script> & ]]>';
    const { status, text, xml } = await rss({ q });
    assert.equal(status, 200);
    assert.equal(xml.rss.channel.title, `Beacon jobs: ${q}`);
    assert.ok(!text.includes('<script>'));
  });

  test('bad parameter: 400', async () => {
    const r = await fetch(`${srv.url}/jobs.rss?type=NOPE`);
    assert.equal(r.status, 400);
    const body = await r.json();
    assert.equal(body.code, 'invalid_parameter');
    assert.equal(body.param, 'type');
  });
});

describe('Indeed XML feed', () => {
  let text;
  let xml;
  before(async () => {
    const r = await fetch(`${srv.url}/feeds/indeed.xml`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/xml; charset=utf-8');
    text = await r.text();
    xml = parseXml(text);
  });

  test('publisher header', () => {
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<source>'));
    assert.equal(xml.source.publisher, 'Beacon');
    assert.equal(xml.source.publisherurl, srv.url);
    assert.match(xml.source.lastBuildDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('every open job once, by id; no expired or closed job', () => {
    const refs = xml.source.job.map((j) => j.referencenumber);
    const open = fixtureJobs().map(modelOf).filter((m) => m.open).map((m) => m.sid);
    assert.deepEqual(refs, open);
    assert.equal(refs.length, 30);
    assert.ok(!refs.includes('fx-24'));
    assert.ok(!refs.includes('fx-25'));
  });

  test('every field is CDATA', () => {
    const jobs = text.split('<job>').slice(1);
    assert.equal(jobs.length, 30);
    for (const job of jobs)
      for (const f of ['title', 'date', 'referencenumber', 'url', 'company', 'city', 'state', 'country', 'description', 'salary', 'jobtype'])
        assert.ok(job.includes(`<${f}><![CDATA[`), `${f} in ${job.slice(0, 80)}`);
  });

  test('fields hold the job', () => {
    for (const j of xml.source.job) {
      const id = Number(/\/jobs\/(\d+)$/.exec(j.url)[1]);
      const a = apiJobs[id];
      assert.equal(j.url, `${srv.url}/jobs/${id}`);
      assert.equal(j.referencenumber, a.source.id);
      assert.equal(j.title, a.title);
      assert.equal(j.company, a.company.name);
      assert.equal(j.date, a.date_posted);
      assert.equal(j.city, a.location.city ?? '');
      assert.equal(j.state, a.location.region ?? '');
      assert.equal(j.country, a.location.country ?? '');
      assert.equal(j.jobtype, TYPE_LABELS[a.employment_type]);
      assert.equal(j.remotetype, a.remote ? 'Fully remote' : undefined);
      assert.ok(j.description.startsWith('<p>'), a.source.id);
      if (!a.salary) assert.equal(j.salary, '');
    }
  });

  test('salary text for each pay period and currency', () => {
    const salary = Object.fromEntries(xml.source.job.map((j) => [j.referencenumber, j.salary]));
    assert.equal(salary['fx-01'], '$18–$24 per hour');
    assert.equal(salary['fx-02'], '$70,000–$90,000 per year');
    assert.equal(salary['fx-07'], '$25 per hour');
    assert.equal(salary['fx-17'], '6,000 CAD–7,000 CAD per month');
    assert.equal(salary['fx-19'], '$600 per week');
    assert.equal(salary['fx-20'], '$250 per day');
    assert.equal(salary['fx-16'], '65,000 CAD per year');
    assert.equal(salary['fx-13'], '');
  });

  test('hostile text survives exactly, and "]]>" cannot end the CDATA early', () => {
    const j = xml.source.job.find((x) => x.referencenumber === 'fx-23');
    const src = fixtureJobs().find((x) => x.identifier.value === 'fx-23');
    assert.equal(j.title, src.title);
    assert.equal(j.company, src.hiringOrganization.name);
    assert.ok(!j.description.includes('<script'));
    assert.ok(!j.description.includes('javascript:'));
    assert.ok(!j.description.includes('onerror'));
  });
});
