// Notifications, saved searches and alerts end to end: saving a search from
// the search page, its private RSS feed (right and wrong token), alerts that
// never announce a job twice, the notifications list, unread counts and read
// marks (pages and API), email choices per kind (instant mail, off, daily
// digest), one-click unsubscribe without signing in, and the live stream
// (Server-Sent Events) delivering a notification to an open page, RFC 8058
// one-click unsubscribe headers on notification mail (and none on account
// mail), instant alerts within seconds of a job being posted, and the email
// preferences API. The notifications come from real actions: an employer
// posts a matching job and the alerts run (at once through the queue, or
// beaconctl run-alerts, as the server's recurring task does).
// Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  Client, api, linkRe, mails, registerVerified, signIn, tokens, waitMail,
} from '../lib/accounts.mjs';
import { beaconctl, startServer, test } from './helpers.mjs';
import { dbQuery } from '../lib/server.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let wordSeq = 0;
/** A word no other job holds, so a search for it finds exactly our jobs. */
function uniqueWord() {
  wordSeq += 1;
  const letters = 'bcdfghjklmnpqrstvwxz';
  let w = 'zelm';
  let n = Date.now() * 100 + wordSeq + process.pid;
  for (let i = 0; i < 8; i++) {
    w += letters[n % letters.length];
    n = Math.floor(n / letters.length);
  }
  return w;
}

const isoDate = (days) => new Date(Date.now() + days * 86400e3).toISOString().slice(0, 10);

async function getJson(path, token) {
  const res = await fetch(srv.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, text, headers: res.headers };
}

let employerCache;
/** One confirmed employer with a company, shared by the tests. */
async function employer() {
  if (employerCache) return employerCache;
  const { email } = await registerVerified(srv, { role: 'employer', name: 'Erin Employer' });
  const token = (await tokens(srv, email)).access_token;
  const r = await api(srv, '/api/v1/company', { name: `Quiet Bakery ${process.pid}` }, token, 'PUT');
  assert.equal(r.status, 201, r.text);
  employerCache = { email, token };
  return employerCache;
}

async function postJob(word, title = `Pastry cook ${word}`) {
  const e = await employer();
  const r = await api(srv, '/api/v1/jobs', {
    title,
    description_markdown: `Bake bread at dawn. Keyword: ${word}.`,
    employment_type: 'FULL_TIME',
    experience_level: 'entry',
    location: { city: 'Austin', region: 'TX', country: 'US' },
    remote: false,
    valid_through: isoDate(30),
  }, e.token);
  assert.equal(r.status, 201, r.text);
  return r.body.data.id;
}

function runAlerts() {
  const r = beaconctl(srv.env, ['run-alerts']);
  if (process.env.DEBUG_ALERTS) console.error('run-alerts', r.stdout, r.stderr);
  assert.equal(r.status, 0, r.stderr);
}

/** A signed-in job seeker: page client, API token, email. */
async function seeker(name = 'Sam Seeker') {
  const { email } = await registerVerified(srv, { role: 'job_seeker', name });
  const c = await signIn(srv, email);
  const token = (await tokens(srv, email)).access_token;
  return { email, c, token };
}

/** Save a search for word through the pages; returns { id, rss }. */
async function saveSearch(s, word, frequency = 'instant', name = `Bakers ${word}`) {
  const page = await s.c.get(`/jobs?q=${word}`);
  assert.equal(page.status, 200);
  const link = page.text_.match(/href="(\/saved-searches\/new\?[^"]*)"/);
  assert.ok(link, 'the search page links to saving the search');
  const path = link[1].replace(/&amp;/g, '&');
  const r = await s.c.submit(path, '/saved-searches', { query: `q=${word}`, name, frequency });
  assert.equal(r.status, 201, r.text_.slice(0, 500));
  const rss = r.text_.match(/<code class="rss-link">([^<]+)<\/code>/)[1].replace(/&amp;/g, '&');
  const id = Number(rss.match(/saved-searches\/(\d+)\/feed\.rss/)[1]);
  return { id, rss };
}

/** Run SQL on the server's database with the command-line client; returns trimmed output. */
const sql = (query) => dbQuery(srv, query);

/** The header lines of a mail file from mails(srv), unfolded: [[name, value], ...] in order. */
function rawHeaders(mail) {
  const raw = readFileSync(join(srv.dir, 'mail', mail.file), 'latin1');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(head), 'CRLF line ends only');
  return head.replace(/\r\n[ \t]/g, ' ').split('\r\n').map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1).trim()];
  });
}

/** Poll fn until it returns a truthy value or ms pass. */
async function eventually(fn, ms, what) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** POST to an unsubscribe link as a mail provider does (RFC 8058): no cookie, no CSRF token. */
function oneClick(url) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
}

async function notifications(token) {
  const r = await getJson('/api/v1/notifications', token);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

describe('saved searches', () => {
  test('save from the search page, RSS with the right token only, rename, frequency, delete', async () => {
    const s = await seeker();
    const word = uniqueWord();
    const jobId = await postJob(word);
    const { id, rss } = await saveSearch(s, word, 'daily');

    const list = await s.c.get('/saved-searches');
    assert.equal(list.status, 200);
    assert.match(list.text_, new RegExp(`Bakers ${word}`));
    assert.match(list.text_, /Alerts: once a day/);
    // The token is shown once only.
    assert.doesNotMatch(list.text_, /feed\.rss\?token=/);

    // The feed needs no sign-in; the token is the key.
    const feed = await fetch(rss);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /application\/rss\+xml/);
    const xml = await feed.text();
    assert.match(xml, new RegExp(`/jobs/${jobId}<`));
    const url = new URL(rss);
    for (const bad of [`${url.pathname}?token=${'A'.repeat(43)}`, url.pathname,
      `/saved-searches/${id + 1000}/feed.rss${url.search}`]) {
      assert.equal((await fetch(srv.url + bad)).status, 404, bad);
    }

    // Rename and change the frequency.
    const upd = await s.c.submit('/saved-searches', `/saved-searches/${id}`, { name: 'Dawn bakers', frequency: 'off' });
    assert.equal(upd.status, 303);
    const again = await s.c.get('/saved-searches');
    assert.match(again.text_, /Dawn bakers/);
    assert.match(again.text_, /Alerts: off/);

    // A new RSS link: the old one stops working.
    const rot = await s.c.submit('/saved-searches', `/saved-searches/${id}/rss`, {});
    assert.equal(rot.status, 200);
    const rss2 = rot.text_.match(/<code class="rss-link">([^<]+)<\/code>/)[1].replace(/&amp;/g, '&');
    assert.notEqual(rss2, rss);
    assert.equal((await fetch(rss)).status, 404);
    assert.equal((await fetch(rss2)).status, 200);

    // Another person cannot change or delete it.
    const other = await seeker('Olive Other');
    const theirs = await other.c.submit('/saved-searches', `/saved-searches/${id}/delete`, {});
    assert.equal(theirs.status, 404);
    assert.equal((await getJson(`/api/v1/saved-searches/${id}`, other.token)).status, 404);

    const del = await s.c.submit('/saved-searches', `/saved-searches/${id}/delete`, {});
    assert.equal(del.status, 303);
    assert.equal((await fetch(rss2)).status, 404);
  });

  test('a form sent back with an error keeps the chosen alerts; a missing name is named as missing', async () => {
    const s = await seeker();
    const word = uniqueWord();
    const path = `/saved-searches/new?q=${word}`;
    const checked = (html, value) => new RegExp(`<input type="radio" name="frequency" id="f-frequency(-${value})?" value="${value}" checked>`).test(html);
    const first = await s.c.get(path);
    assert.ok(checked(first.text_, 'daily'), 'once a day at first');

    const empty = await s.c.submit(path, '/saved-searches', { query: `q=${word}`, name: '', frequency: 'instant' });
    assert.equal(empty.status, 422);
    assert.ok(checked(empty.text_, 'instant'), 'the chosen frequency is still checked');
    assert.ok(!checked(empty.text_, 'daily'));
    assert.match(empty.text_, /<a href="#f-name">Give the search a name\.<\/a>/);
    assert.doesNotMatch(empty.text_, /at most 100 characters/);
    const blank = await s.c.submit(path, '/saved-searches', { query: `q=${word}`, name: '   ', frequency: 'off' });
    assert.equal(blank.status, 422);
    assert.ok(checked(blank.text_, 'off'));
    assert.match(blank.text_, /Give the search a name\./);

    const long = await s.c.submit(path, '/saved-searches', { query: `q=${word}`, name: 'b'.repeat(101), frequency: 'off' });
    assert.equal(long.status, 422);
    assert.ok(checked(long.text_, 'off'));
    assert.match(long.text_, /Give the search a name of at most 100 characters\./);
    assert.equal((await getJson('/api/v1/saved-searches', s.token)).body.items.length, 0, 'nothing saved');

    // The edit form on the list: a refused change comes back as sent, tied to that search.
    const { id } = await saveSearch(s, word, 'daily', `Bakers ${word}`);
    const { id: id2 } = await saveSearch(s, uniqueWord(), 'off', 'Other bakers');
    const edit = await s.c.submit('/saved-searches', `/saved-searches/${id}`, { name: '', frequency: 'instant' });
    assert.equal(edit.status, 422);
    assert.match(edit.text_, new RegExp(`<a href="#name-${id}">Give the search a name\\.</a>`));
    assert.match(edit.text_, new RegExp(`<input type="text" id="name-${id}" name="name" required maxlength="100" aria-describedby="e-name-${id}" aria-invalid="true" value="">`));
    const select = (sid) => edit.text_.match(new RegExp(`<select id="freq-${sid}"[^>]*>(.*?)</select>`, 's'))[1];
    assert.match(select(id), /<option value="instant" selected>/, 'the submitted frequency is kept');
    assert.match(select(id2), /<option value="off" selected>/, 'the other search is as stored');
    assert.match(edit.text_, new RegExp(`id="name-${id2}" name="name" required maxlength="100" value="Other bakers"`));
    const tooLong = await s.c.submit('/saved-searches', `/saved-searches/${id}`, { name: 'c'.repeat(101), frequency: 'off' });
    assert.equal(tooLong.status, 422);
    assert.match(tooLong.text_, /Give the search a name of at most 100 characters\./);
    assert.match(tooLong.text_, new RegExp(`value="${'c'.repeat(101)}"`));
    const stored = (await getJson(`/api/v1/saved-searches/${id}`, s.token)).body;
    assert.equal(stored.name, `Bakers ${word}`, 'nothing changed');
    assert.equal(stored.frequency, 'daily');
    // Someone else's search: 404 as before, whatever the error.
    const other = await seeker('Olive Other');
    assert.equal((await other.c.submit('/saved-searches', `/saved-searches/${id}`, { name: '', frequency: 'off' })).status, 404);
  });

  test('API: create, list, patch, new RSS token, delete; bad input is 422', async () => {
    const s = await seeker();
    const word = uniqueWord();
    const made = await api(srv, '/api/v1/saved-searches', { name: 'Remote bakers', query: `q=${word}&remote=true&page=3`, frequency: 'instant' }, s.token);
    assert.equal(made.status, 201, made.text);
    // Only the filters are kept, in canonical form.
    assert.equal(made.body.query, `q=${word}&remote=true`);
    assert.equal(made.body.frequency, 'instant');
    assert.match(made.body.rss_url, /\/saved-searches\/\d+\/feed\.rss\?token=[A-Za-z0-9_-]{43}$/);
    const id = made.body.id;

    const list = await getJson('/api/v1/saved-searches', s.token);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((x) => x.id), [id]);
    assert.equal(list.body.items[0].rss_url, undefined);

    const p = await api(srv, `/api/v1/saved-searches/${id}`, { name: 'Bakers', frequency: 'daily', new_rss_token: true }, s.token, 'PATCH');
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.name, 'Bakers');
    assert.equal(p.body.frequency, 'daily');
    assert.notEqual(p.body.rss_url, made.body.rss_url);
    assert.equal((await fetch(made.body.rss_url)).status, 404);
    assert.equal((await fetch(p.body.rss_url)).status, 200);

    for (const body of [{ name: '', query: 'q=x' }, { name: 'x', query: 'remote=maybe' }, { name: 'x', query: 'q=x', frequency: 'hourly' }]) {
      const bad = await api(srv, '/api/v1/saved-searches', body, s.token);
      assert.equal(bad.status, 422, JSON.stringify(body));
      assert.equal(bad.body.code, 'validation_failed');
    }
    assert.equal((await api(srv, '/api/v1/saved-searches', { name: 'x', query: 'q=x' })).status, 401);

    assert.equal((await api(srv, `/api/v1/saved-searches/${id}`, undefined, s.token, 'DELETE')).status, 204);
    assert.equal((await api(srv, `/api/v1/saved-searches/${id}`, undefined, s.token, 'DELETE')).status, 404);
  });
});

describe('alerts and notifications', () => {
  test('alerts never announce a job twice; list, unread count, read marks', async () => {
    const s = await seeker();
    const word = uniqueWord();
    // A job that existed before the search was saved is not news.
    await postJob(word, `Old baker ${word}`);
    await sleep(1100);
    const { id } = await saveSearch(s, word, 'instant');
    runAlerts();
    assert.equal((await notifications(s.token)).items.length, 0);

    await sleep(1100);
    await postJob(word, `Night baker ${word}`);
    runAlerts();
    runAlerts();
    let n = await notifications(s.token);
    assert.equal(n.items.length, 1, JSON.stringify(n));
    assert.equal(n.items[0].kind, 'saved_search');
    assert.equal(n.items[0].read, false);
    assert.match(n.items[0].title, /^1 new job for your saved search "Bakers /);
    assert.match(n.items[0].link, new RegExp(`^/jobs\\?q=${word}`));
    assert.equal(n.unread, 1);

    await postJob(word, `Bread baker ${word}`);
    runAlerts();
    runAlerts();
    n = await notifications(s.token);
    assert.equal(n.items.length, 2);
    assert.equal(n.unread, 2);
    assert.ok(n.items[0].id > n.items[1].id, 'newest first');

    // The bell says it in text; the list marks unread in text.
    const page = await s.c.get('/notifications');
    assert.equal(page.status, 200);
    assert.match(page.text_, /id="nav-notifications"[^>]*>Notifications \(2<span class="visually-hidden"> unread<\/span>\)/);
    assert.equal((page.text_.match(/Unread:/g) || []).length, 2);
    assert.match(page.text_, /You have 2 unread notifications\./);

    // Opening one marks it read and goes to its page.
    const open = await s.c.get(`/notifications/${n.items[1].id}`);
    assert.equal(open.status, 303);
    assert.match(open.headers.get('location'), new RegExp(`^/jobs\\?q=${word}`));
    assert.equal((await notifications(s.token)).unread, 1);

    // Nobody else can open or mark it.
    const other = await seeker('Olive Other');
    assert.equal((await other.c.get(`/notifications/${n.items[0].id}`)).status, 404);
    const theirs = await api(srv, '/api/v1/notifications/read', { ids: [n.items[0].id] }, other.token);
    assert.equal(theirs.status, 200);
    assert.equal(theirs.body.marked, 0);
    assert.equal((await notifications(s.token)).unread, 1);

    // API: by ids.
    const mark = await api(srv, '/api/v1/notifications/read', { ids: [n.items[0].id] }, s.token);
    assert.deepEqual(mark.body, { marked: 1, unread: 0 });
    assert.equal((await api(srv, '/api/v1/notifications/read', { ids: 'all' }, s.token)).status, 422);

    // One more, then "Mark all as read" on the page.
    await postJob(word, `Cake baker ${word}`);
    runAlerts();
    assert.equal((await notifications(s.token)).unread, 1);
    const all = await s.c.submit('/notifications', '/notifications/read-all', {});
    assert.equal(all.status, 303);
    assert.equal((await notifications(s.token)).unread, 0);
    const after = await s.c.get('/notifications');
    assert.doesNotMatch(after.text_, /Unread:/);
    assert.match(after.text_, /You have no unread notifications\./);

    // CSRF still guards the page form.
    assert.equal((await s.c.postRaw('/notifications/read-all', {})).status, 403);
    await api(srv, `/api/v1/saved-searches/${id}`, undefined, s.token, 'DELETE');
  });

  test('email choices: instant mail with unsubscribe, off sends none, daily digest groups', async () => {
    const s = await seeker('Dana Digest');
    const word = uniqueWord();
    await saveSearch(s, word, 'instant', `Digest ${word}`);

    // Instant email for saved searches.
    const set = await s.c.submit('/account/notifications', '/account/notifications', { email_saved_search: 'instant' });
    assert.equal(set.status, 303);
    const form = await s.c.get('/account/notifications');
    assert.match(form.text_, /name="email_saved_search" id="[^"]*" value="instant" checked/);
    await postJob(word, `Morning baker ${word}`);
    runAlerts();
    const unsub = await waitMail(srv, s.email, /(https?:\/\/\S+\/unsubscribe\?u=\d+&k=saved_search&t=[A-Za-z0-9_-]+)/);
    const mail = mails(srv).reverse().find((m) => m.to.includes(s.email) && /unsubscribe/.test(m.text));
    assert.match(mail.subject, /1 new job for your saved search/);
    assert.match(mail.text, new RegExp(`Morning baker ${word}`));

    // One-click unsubscribe: no cookie, no CSRF token; a wrong token is refused.
    const u = new URL(unsub);
    const anon = new Client(srv.url);
    const confirm = await anon.get(u.pathname + u.search);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text_, /Stop these emails/);
    const wrong = new URL(unsub);
    wrong.searchParams.set('t', 'A'.repeat(43));
    assert.equal((await anon.postRaw(wrong.pathname + wrong.search, { 'List-Unsubscribe': 'One-Click' })).status, 404);
    const otherKind = new URL(unsub);
    otherKind.searchParams.set('k', 'new_message');
    assert.equal((await anon.postRaw(otherKind.pathname + otherKind.search, {})).status, 404);
    const done = await anon.postRaw(u.pathname + u.search, { 'List-Unsubscribe': 'One-Click' });
    assert.equal(done.status, 200);
    assert.match(done.text_, /Unsubscribed/);
    const off = await s.c.get('/account/notifications');
    assert.match(off.text_, /name="email_saved_search" id="[^"]*" value="off" checked/);

    // Off: the notification appears, no email is sent.
    const before = mails(srv).filter((m) => m.to.includes(s.email)).length;
    await postJob(word, `Evening baker ${word}`);
    runAlerts();
    assert.equal((await notifications(s.token)).items.length, 2);
    await sleep(2500);
    assert.equal(mails(srv).filter((m) => m.to.includes(s.email)).length, before);

    // Daily: nothing at once; the digest sends one email with every waiting item.
    await s.c.submit('/account/notifications', '/account/notifications', { email_saved_search: 'daily' });
    await postJob(word, `Weekend baker ${word}`);
    runAlerts();
    await sleep(1100);
    await postJob(word, `Holiday baker ${word}`);
    runAlerts();
    assert.equal((await notifications(s.token)).items.length, 4);
    const r = beaconctl(srv.env, ['send-digest']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /queued [1-9]\d* digest emails/, r.stdout + r.stderr);
    await waitMail(srv, s.email, /Holiday baker/);
    const digests = mails(srv).filter((m) => m.to.includes(s.email) && /digest/.test(m.subject));
    assert.equal(digests.length, 1);
    assert.match(digests[0].subject, /Your Beacon digest: 2 updates/);
    assert.match(digests[0].text, /Weekend baker/);
    assert.match(digests[0].text, /Holiday baker/);
    assert.doesNotMatch(digests[0].text, /Evening baker/);
    // Nothing waits any more.
    beaconctl(srv.env, ['send-digest']);
    await sleep(1500);
    assert.equal(mails(srv).filter((m) => m.to.includes(s.email) && /digest/.test(m.subject)).length, 1);
  });

  test('the live stream delivers a new notification to an open page', async () => {
    const s = await seeker('Lee Live');
    const word = uniqueWord();
    await saveSearch(s, word, 'instant');

    // Signed out: no stream. A request that cannot read events gets 406 at once.
    const anon = await fetch(`${srv.url}/notifications/stream`, { redirect: 'manual', headers: { accept: 'text/event-stream' } });
    assert.equal(anon.status, 303);
    assert.equal((await s.c.get('/notifications/stream')).status, 406);

    const ac = new AbortController();
    const res = await fetch(`${srv.url}/notifications/stream`, { headers: s.c.headers({ accept: 'text/event-stream' }), signal: ac.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    assert.match(res.headers.get('cache-control'), /no-store/);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    async function until(re, ms = 15000) {
      const deadline = Date.now() + ms;
      while (!re.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${re} in the stream: ${text}`);
        const { value, done } = await Promise.race([
          reader.read(),
          sleep(deadline - Date.now()).then(() => ({ value: undefined, done: false })),
        ]);
        if (done) throw new Error(`stream ended: ${text}`);
        if (value) text += decoder.decode(value, { stream: true });
      }
      return text.match(re);
    }
    await until(/event: count\ndata: \{"unread":0\}\n\n/);
    assert.match(text, /^retry: \d+\n\n/);

    await postJob(word, `Live baker ${word}`);
    runAlerts();
    const m = await until(/event: notification\nid: (\d+)\ndata: (\{.*\})\n\n/);
    const item = JSON.parse(m[2]);
    assert.match(item.title, /^1 new job for your saved search/);
    assert.equal(item.link, `/notifications/${m[1]}`);
    await until(/event: count\ndata: \{"unread":1\}\n\n/);

    // Reading it elsewhere updates the open page's count.
    await s.c.submit('/notifications', '/notifications/read-all', {});
    await until(/event: count\ndata: \{"unread":0\}\n\n[^]*$/);
    ac.abort();

    // Last-Event-ID: a reconnecting page gets what it missed.
    await postJob(word, `Missed baker ${word}`);
    runAlerts();
    const ac2 = new AbortController();
    const res2 = await fetch(`${srv.url}/notifications/stream`, { headers: s.c.headers({ accept: 'text/event-stream', 'last-event-id': m[1] }), signal: ac2.signal });
    const r2 = res2.body.getReader();
    let t2 = '';
    const deadline = Date.now() + 10000;
    while (!/Missed baker|1 new job/.test(t2) && Date.now() < deadline) {
      const { value, done } = await r2.read();
      if (done) break;
      t2 += decoder.decode(value, { stream: true });
    }
    ac2.abort();
    assert.match(t2, /event: notification\nid: \d+\n/);

    // Signing out ends the stream.
    const ac3 = new AbortController();
    const res3 = await fetch(`${srv.url}/notifications/stream`, { headers: s.c.headers({ accept: 'text/event-stream' }), signal: ac3.signal });
    const r3 = res3.body.getReader();
    await r3.read();
    await s.c.submit('/account', '/signout', {});
    const end = Date.now() + 10000;
    let ended = false;
    while (Date.now() < end) {
      const { done } = await r3.read();
      if (done) {
        ended = true;
        break;
      }
    }
    ac3.abort();
    assert.ok(ended, 'the stream of a signed-out session ends');
  });

  test('a notification that arrives between the page and its stream is not lost (?after=)', async () => {
    const s = await seeker('Gap Gale');
    const other = await seeker('Busy Bea');
    const word = uniqueWord();
    await saveSearch(s, word, 'instant');
    const userId = async (email) => Number(await sql(`SELECT id FROM users WHERE email = '${email}'`));
    // n notifications for a user straight into the table (ids are shared by everybody).
    const filler = async (email, n) => sql(
      'WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ' + n + ') ' +
      "INSERT INTO notifications (user_id, kind, title, link, created_at) SELECT " + (await userId(email)) +
      ", 'new_message', 'Filler', '/notifications', '2026-01-01T00:00:00Z' FROM k");
    // Read what the stream should start after from the page, as the script does.
    const streamUrl = async () => {
      const html = (await s.c.get('/notifications')).text_;
      const m = html.match(/data-stream="(\/notifications\/stream\?after=(\d+))"/);
      assert.ok(m, 'the bell names its stream with the newest id the page knew');
      return { path: m[1].replace(/&amp;/g, '&'), after: Number(m[2]) };
    };
    const first = await streamUrl();
    assert.equal(first.after, 0, 'no notifications yet');

    // The news arrives after the page was served, before the stream connects,
    // and on a busy site other people's notifications arrive meanwhile too.
    await filler(other.email, 30);
    await postJob(word, `Gap baker ${word}`);
    runAlerts();
    const id = await eventually(async () => (await notifications(s.token)).items[0]?.id, 15000, 'the alert\'s notification');

    /*
     * Open a stream and read it: until want matches (at most 10 s), or without
     * want until the opening count event and 300 ms more (what a catch-up
     * would have sent by then).
     */
    const opening = async (path, { headers = {}, want } = {}) => {
      const ac = new AbortController();
      const res = await fetch(srv.url + path, { headers: s.c.headers({ accept: 'text/event-stream', ...headers }), signal: ac.signal });
      assert.equal(res.status, 200);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const deadline = Date.now() + 10000;
      const done = () => (want ? want.test(text) : /event: count\n/.test(text));
      while (!done() && Date.now() < deadline) {
        const r = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => null)]);
        if (!r || r.done) break;
        text += decoder.decode(r.value, { stream: true });
      }
      if (!want) {
        const more = await Promise.race([reader.read(), sleep(300).then(() => null)]);
        if (more?.value) text += decoder.decode(more.value, { stream: true });
      }
      ac.abort();
      return text;
    };
    const mine = new RegExp(`event: notification\nid: ${id}\ndata: \\{[^\n]*"title":"1 new job for your saved search`);
    assert.match(await opening(first.path, { want: mine }), mine);

    // A page served after it starts after it: nothing is sent twice.
    const second = await streamUrl();
    assert.equal(second.after, id);
    assert.doesNotMatch(await opening(second.path), /event: notification/);
    // Nonsense or a future id starts from now on, like a stream without ?after=.
    for (const v of ['x', '-1', `${id + 1000}`, '1e3', '', '99999999999999999999999']) {
      assert.doesNotMatch(await opening(`/notifications/stream?after=${encodeURIComponent(v)}`), /event: notification/, v);
    }
    // Last-Event-ID (a reconnection) wins over the page's ?after=.
    assert.doesNotMatch(await opening('/notifications/stream?after=0', { headers: { 'last-event-id': String(id) } }), /event: notification/);
    assert.match(await opening('/notifications/stream?after=0', { want: mine }), mine);
    // More than 20 of one's own missed: the stream starts from now on; the list page has them.
    await filler(s.email, 21);
    assert.doesNotMatch(await opening(`/notifications/stream?after=${id}`), /event: notification/);
  });
});

describe('saved searches say what they search for', () => {
  test('the save page and the list put the filters in words; no filter is "Every job"', async () => {
    const s = await seeker('Fay Filters');
    const word = uniqueWord();
    const qs = `q=${word}&remote=false&accommodation=asl_interpreter&accommodation=cart&min_salary=50000&type=FULL_TIME`;
    const page = await s.c.get(`/saved-searches/new?${qs}`);
    assert.equal(page.status, 200);
    const said = (html) => html.match(/<p class="filters-said">([^]*?)<\/p>/g)?.map((p) => p.replace(/<[^>]+>/g, ''));
    const want = `Words: ${word} · On site only · Type: Full-time · Accommodations: ASL interpreter provided, CART real-time captioning · Salary: $50,000 or more`;
    assert.deepEqual(said(page.text_), [want]);
    const query = page.text_.match(/name="query" value="([^"]*)"/)[1].replace(/&amp;/g, '&');
    const r = await s.c.submit(`/saved-searches/new?${qs}`, '/saved-searches', { query, name: 'Filters', frequency: 'off' });
    assert.equal(r.status, 201, r.text_.slice(0, 500));
    const all = await s.c.submit('/saved-searches/new', '/saved-searches', { query: '', name: 'Everything', frequency: 'off' });
    assert.equal(all.status, 201, all.text_.slice(0, 500));
    const list = (await s.c.get('/saved-searches')).text_;
    assert.deepEqual(said(list).sort(), ['Every job', want].sort());
    // A long search gets a suggested name that can be saved as it is (100 characters at most).
    const long = `q=${encodeURIComponent('ä'.repeat(90))}&location=${encodeURIComponent('ö'.repeat(40))}`;
    const form = await s.c.get(`/saved-searches/new?${long}`);
    assert.equal(form.status, 200);
    const name = form.text_.match(/id="f-name"[^>]*value="([^"]*)"/)?.[1] ?? form.text_.match(/value="([^"]*)"[^>]*id="f-name"/)[1];
    assert.equal([...name].length, 100);
    const q2 = form.text_.match(/name="query" value="([^"]*)"/)[1].replace(/&amp;/g, '&');
    assert.equal((await s.c.submit(`/saved-searches/new?${long}`, '/saved-searches', { query: q2, name, frequency: 'off' })).status, 201);
  });
});

describe('one-click unsubscribe headers and instant alerts', () => {
  test('a saved search with instant alerts hears of a new job within seconds, once', async () => {
    const s = await seeker('Ivy Instant');
    const word = uniqueWord();
    await saveSearch(s, word, 'instant');
    const prefs = await api(srv, '/api/v1/notifications/preferences', { email: { saved_search: 'instant' } }, s.token, 'PATCH');
    assert.equal(prefs.status, 200, prefs.text);
    // Keep the once-a-minute run away, so only the run queued by the posting can announce the job.
    sql("UPDATE tasks SET run_at = '2100-01-01T00:00:00Z' WHERE kind = 'saved-search-alerts' AND status = 'pending'");

    const t0 = Date.now();
    const jobId = await postJob(word, `Sunrise baker ${word}`);
    const n = await eventually(async () => {
      const r = await notifications(s.token);
      return r.items.length > 0 && r;
    }, 8000, 'the instant alert');
    const seconds = (Date.now() - t0) / 1000;
    assert.ok(seconds < 8, `announced after ${seconds} s`);
    assert.equal(n.items.length, 1);
    assert.match(n.items[0].title, /^1 new job for your saved search/);
    assert.equal(sql(`SELECT COUNT(*) FROM saved_search_seen WHERE job_id = ${jobId}`), '1');

    // The email: one, with the one-click headers, well-formed.
    await waitMail(srv, s.email, /Sunrise baker/);
    const sent = mails(srv).filter((m) => m.to.includes(s.email) && /new job/.test(m.subject));
    assert.equal(sent.length, 1);
    const h = rawHeaders(sent[0]);
    const lu = h.filter(([k]) => k === 'List-Unsubscribe');
    const lup = h.filter(([k]) => k === 'List-Unsubscribe-Post');
    assert.equal(lu.length, 1);
    assert.deepEqual(lup, [['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']]);
    const m = lu[0][1].match(/^<(https?:\/\/[^>\s]+\/unsubscribe\?u=\d+&k=saved_search&t=[A-Za-z0-9_-]{43})>$/);
    assert.ok(m, lu[0][1]);
    const url = m[1];
    assert.ok(url.startsWith(srv.url), url);
    // The same link as the footer of the text.
    assert.ok(sent[0].text.includes(`Stop these emails: ${url}`));

    // More runs (the safety net, another posting's run) never repeat the job.
    runAlerts();
    await postJob(uniqueWord(), 'Unrelated job');
    await sleep(2500);
    assert.equal((await notifications(s.token)).items.length, 1);
    assert.equal(mails(srv).filter((x) => x.to.includes(s.email) && /new job/.test(x.subject)).length, 1);
    assert.equal(sql(`SELECT COUNT(*) FROM saved_search_seen WHERE job_id = ${jobId}`), '1');
    assert.equal(sql("SELECT COUNT(*) FROM tasks WHERE kind = 'saved-search-instant' AND status = 'failed'"), '0');

    // What a mail provider sends: works without a session, and again (idempotent).
    for (let i = 0; i < 2; i++) {
      const r = await oneClick(url);
      assert.equal(r.status, 200, `attempt ${i + 1}`);
      assert.match(await r.text(), /Unsubscribed/);
    }
    const after = await getJson('/api/v1/notifications/preferences', s.token);
    assert.equal(after.body.email.saved_search, 'off');
    // A tampered link changes nothing.
    const bad = new URL(url);
    bad.searchParams.set('u', String(Number(bad.searchParams.get('u')) + 1));
    assert.equal((await oneClick(bad.href)).status, 404);
  });

  test('reopening a closed job announces it at once when it was never announced', async () => {
    const s = await seeker('Rita Reopen');
    const word = uniqueWord();
    await saveSearch(s, word, 'off');
    const jobId = await postJob(word, `Reopened baker ${word}`);
    const e = await employer();
    assert.equal((await api(srv, `/api/v1/jobs/${jobId}/close`, {}, e.token)).status, 200);
    const list = await getJson('/api/v1/saved-searches', s.token);
    const id = list.body.items[0].id;
    assert.equal((await api(srv, `/api/v1/saved-searches/${id}`, { frequency: 'instant' }, s.token, 'PATCH')).status, 200);
    sql("UPDATE tasks SET run_at = '2100-01-01T00:00:00Z' WHERE kind = 'saved-search-alerts' AND status = 'pending'");
    assert.equal((await api(srv, `/api/v1/jobs/${jobId}/reopen`, {}, e.token)).status, 200);
    const n = await eventually(async () => {
      const r = await notifications(s.token);
      return r.items.length > 0 && r;
    }, 8000, 'the alert after reopening');
    assert.equal(n.items.length, 1);
  });

  test('a digest carries the unsubscribe headers of its kind', async () => {
    const s = await seeker('Dora Digest');
    const word = uniqueWord();
    await saveSearch(s, word, 'instant');
    await api(srv, '/api/v1/notifications/preferences', { email: { saved_search: 'daily' } }, s.token, 'PATCH');
    await postJob(word, `Digest baker ${word}`);
    runAlerts();
    const r = beaconctl(srv.env, ['send-digest']);
    assert.equal(r.status, 0, r.stderr);
    await waitMail(srv, s.email, /Digest baker/);
    const digest = mails(srv).find((m) => m.to.includes(s.email) && /digest/.test(m.subject));
    const h = Object.fromEntries(rawHeaders(digest));
    assert.match(h['List-Unsubscribe'], /^<https?:\/\/\S+\/unsubscribe\?u=\d+&k=saved_search&t=[A-Za-z0-9_-]{43}>$/);
    assert.equal(h['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.equal((await oneClick(h['List-Unsubscribe'].slice(1, -1))).status, 200);
    assert.equal((await getJson('/api/v1/notifications/preferences', s.token)).body.email.saved_search, 'off');
  });

  test('account mail (password reset) carries no unsubscribe header', async () => {
    const { email } = await registerVerified(srv, { name: 'Rhea Reset' });
    assert.equal((await api(srv, '/api/v1/auth/password/forgot', { email })).status, 202);
    await waitMail(srv, email, linkRe('/password/reset'));
    const reset = mails(srv).find((m) => m.to.includes(email) && /password/i.test(m.subject));
    assert.ok(reset);
    const names = rawHeaders(reset).map(([k]) => k.toLowerCase());
    assert.ok(names.includes('subject') && names.includes('auto-submitted'));
    assert.ok(!names.some((k) => k.startsWith('list-')), names.join(', '));
    // Nor does the verification mail.
    for (const m of mails(srv).filter((x) => x.to.includes(email))) {
      assert.ok(!rawHeaders(m).some(([k]) => /^list-/i.test(k)), m.subject);
    }
  });
});

describe('notification preferences API', () => {
  test('GET and PATCH round trip, per token, for every role with notifications', async () => {
    const s = await seeker('Pat Prefs');
    const r = await getJson('/api/v1/notifications/preferences', s.token);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(r.body.email, {
      application_received: 'instant',
      stage_changed: 'instant',
      interview_proposed: 'instant',
      interview_confirmed: 'instant',
      new_message: 'instant',
      saved_search: 'daily',
    });
    assert.deepEqual(r.body.kinds.map((k) => k.kind), Object.keys(r.body.email));
    assert.equal(r.body.kinds.find((k) => k.kind === 'saved_search').default, 'daily');
    assert.ok(r.body.kinds.every((k) => typeof k.label === 'string' && k.label.length > 0));

    const p = await api(srv, '/api/v1/notifications/preferences', { email: { new_message: 'off', saved_search: 'instant' } }, s.token, 'PATCH');
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.email.new_message, 'off');
    assert.equal(p.body.email.saved_search, 'instant');
    assert.equal(p.body.email.stage_changed, 'instant', 'kinds not sent stay as they were');
    const again = await getJson('/api/v1/notifications/preferences', s.token);
    assert.deepEqual(again.body, p.body);
    // The page shows the same choices.
    const page = await s.c.get('/account/notifications');
    assert.match(page.text_, /name="email_new_message" id="[^"]*" value="off" checked/);
    assert.match(page.text_, /name="email_saved_search" id="[^"]*" value="instant" checked/);
    // And the page's changes show in the API.
    await s.c.submit('/account/notifications', '/account/notifications', { email_new_message: 'daily' });
    assert.equal((await getJson('/api/v1/notifications/preferences', s.token)).body.email.new_message, 'daily');

    // Per token: another person's preferences are their own.
    const o = await seeker('Otto Other');
    const theirs = await getJson('/api/v1/notifications/preferences', o.token);
    assert.equal(theirs.body.email.new_message, 'instant');
    assert.equal(theirs.body.email.saved_search, 'daily');

    // An employer has notifications too.
    const e = await employer();
    const ep = await api(srv, '/api/v1/notifications/preferences', { email: { application_received: 'daily' } }, e.token, 'PATCH');
    assert.equal(ep.status, 200, ep.text);
    assert.equal(ep.body.email.application_received, 'daily');
  });

  test('bad kinds and values are 422 with field errors; nothing is stored', async () => {
    const s = await seeker('Val Invalid');
    const path = '/api/v1/notifications/preferences';
    const bad = await api(srv, path, { email: { saved_search: 'hourly', bogus: 'off', new_message: 'off' } }, s.token, 'PATCH');
    assert.equal(bad.status, 422, bad.text);
    assert.match(bad.headers.get('content-type'), /^application\/problem\+json/);
    assert.equal(bad.body.code, 'validation_failed');
    const fields = bad.body.errors.map((x) => x.field).sort();
    assert.deepEqual(fields, ['email.bogus', 'email.saved_search']);
    assert.equal((await getJson(path, s.token)).body.email.new_message, 'instant', 'the valid member was not stored either');

    for (const body of [{}, { email: 'off' }, { email: ['off'] }, { email: { saved_search: 1 } },
      { email: { saved_search: null } }, { email: {}, extra: true }, { email: { saved_search: 'OFF' } }]) {
      const r = await api(srv, path, body, s.token, 'PATCH');
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(r.body.code, 'validation_failed');
      assert.ok(r.body.errors.length > 0);
    }
    const notJson = await fetch(srv.url + path, {
      method: 'PATCH', body: '{"email":', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    });
    assert.equal(notJson.status, 400);
    assert.equal((await api(srv, path, { email: {} }, s.token, 'PATCH')).status, 200);
  });

  test('anonymous is 401; other methods are 405', async () => {
    const path = '/api/v1/notifications/preferences';
    const g = await getJson(path);
    assert.equal(g.status, 401);
    assert.match(g.headers.get('content-type'), /^application\/problem\+json/);
    assert.equal((await api(srv, path, { email: { saved_search: 'off' } }, undefined, 'PATCH')).status, 401);
    const s = await seeker('Mo Method');
    assert.equal((await api(srv, path, { email: {} }, s.token, 'POST')).status, 405);
    assert.equal((await api(srv, path, undefined, s.token, 'DELETE')).status, 405);
  });
});
