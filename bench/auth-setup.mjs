// Sign-up, ten timed sign-ins (Argon2id), a web session and an access token for bench/auth.
const base = process.argv[2];
const email = 'bench@example.org', password = 'correct horse battery staple';
let r = await fetch(base + '/api/v1/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, display_name: 'Bench', role: 'job_seeker' }) });
const t0 = performance.now();
const times = [];
let tok;
for (let i = 0; i < 10; i++) {
  const s = performance.now();
  r = await fetch(base + '/api/v1/auth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  tok = await r.json();
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
// A page session, signed in through the form like a browser.
let res = await fetch(base + '/signin');
const anon = res.headers.getSetCookie()[0].split(';')[0];
const html = await res.text();
const csrf = html.match(/name="_csrf" value="([^"]+)"/)[1];
res = await fetch(base + '/signin', { method: 'POST', redirect: 'manual', headers: { cookie: anon, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email, password }).toString() });
const sess = res.headers.getSetCookie().find((l) => l.startsWith('beacon_session')).split(';')[0];
console.log(JSON.stringify({ token: tok.access_token, cookie: sess, signin_ms_median: times[5].toFixed(1), signin_ms_min: times[0].toFixed(1) }));
