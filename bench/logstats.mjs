// logstats.mjs - server-side view of a benchmark run, from Beacon's JSON access log.
//
//   node bench/logstats.mjs SERVER_LOG [LABEL]
//
// For each route: requests, responses by status, and the handler time Beacon itself
// logged ("ms": from request start to response queued; no network, no waiting in the
// worker's queue). Compared with wrk's latency this separates time spent in Beacon from
// time spent waiting behind other requests. Covers the whole server life: sanity checks,
// warm-up and the measured runs.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const path = process.argv[2];
const label = process.argv[3] ?? '';
let input = createReadStream(path);
if (path.endsWith('.gz')) input = input.pipe(createGunzip());

const routes = new Map();
for await (const line of createInterface({ input, crlfDelay: Infinity })) {
  if (!line.includes('"msg":"request"')) continue;
  let r;
  try {
    r = JSON.parse(line);
  } catch {
    continue;
  }
  let s = routes.get(r.route);
  if (!s) routes.set(r.route, (s = { ms: [], status: {} }));
  s.ms.push(r.ms);
  s.status[r.status] = (s.status[r.status] ?? 0) + 1;
}

if (routes.size === 0) {
  console.log(`(no access-log lines${label ? ' for ' + label : ''}: log level above info?)`);
  process.exit(0);
}
const q = (a, p) => a[Math.min(a.length - 1, Math.floor((a.length * p) / 100))];
const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
console.log(`| ${label ? 'database | ' : ''}route | requests | by status | handler p50 ms | handler p99 ms | handler max ms |`);
console.log(`|${label ? '---|' : ''}---|---:|---|---:|---:|---:|`);
for (const [route, s] of [...routes].sort()) {
  s.ms.sort((a, b) => a - b);
  const st = Object.entries(s.status).map(([c, n]) => `${c}: ${n}`).join(', ');
  console.log(`| ${label ? label + ' | ' : ''}${route} | ${s.ms.length} | ${st} | ${f(q(s.ms, 50))} | ` +
    `${f(q(s.ms, 99))} | ${f(s.ms[s.ms.length - 1])} |`);
}
