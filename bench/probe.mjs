// probe.mjs - time search queries one at a time: the work per query without queueing.
//
//   node bench/probe.mjs BASE_URL QUERIES_FILE COUNT [LABEL] [JSON_OUT]
//
// Sends COUNT queries from QUERIES_FILE (evenly spaced through the file, so the same
// ones every run) to BASE_URL/api/v1/jobs, one after another on one connection, and
// prints markdown: time by number of search words, and the slowest queries with their
// query strings. wrk's closed loop mixes a slow query's own time with time spent
// queued behind other slow queries; this shows the first alone.
import { readFileSync, writeFileSync } from 'node:fs';

const [base, file, countArg, label = '', jsonOut] = process.argv.slice(2);
if (!base || !file) {
  console.error('usage: node bench/probe.mjs BASE_URL QUERIES_FILE COUNT [LABEL] [JSON_OUT]');
  process.exit(2);
}
const all = readFileSync(file, 'utf8').split('\n').slice(0, -1);
const count = Math.min(Number(countArg ?? 30), all.length);
const sample = [];
for (let i = 0; i < count; i++) sample.push(all[Math.floor((i * all.length) / count)]);

const words = (qs) => {
  const q = new URLSearchParams(qs).get('q');
  return q ? q.split(/\s+/).filter(Boolean).length : 0;
};

const rows = [];
for (const qs of sample) {
  const t0 = performance.now();
  let status = 'error';
  try {
    const res = await fetch(`${base}/api/v1/jobs${qs ? '?' + qs : ''}`, {
      signal: AbortSignal.timeout(180000),
    });
    await res.arrayBuffer();
    status = res.status;
  } catch (e) {
    status = e.name === 'TimeoutError' ? 'timeout' : 'error';
  }
  rows.push({ qs, words: words(qs), ms: performance.now() - t0, status });
}
if (jsonOut) writeFileSync(jsonOut, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const lab = label ? `${label} ` : '';
console.log(`| ${label ? 'database | ' : ''}search words | queries | median ms | max ms | non-200 |`);
console.log(`|${label ? '---|' : ''}---|---:|---:|---:|---:|`);
const groups = [[0], [1], [2, 3], [0, 1, 2, 3]];
for (const g of groups) {
  const rs = rows.filter((r) => g.includes(r.words));
  if (!rs.length) continue;
  const name = g.length === 4 ? 'all' : g.join(' or ');
  console.log(`| ${label ? label + ' | ' : ''}${name} | ${rs.length} | ${f(med(rs.map((r) => r.ms)))} | ` +
    `${f(Math.max(...rs.map((r) => r.ms)))} | ${rs.filter((r) => r.status !== 200).length} |`);
}
console.log('');
console.log(`Slowest ${lab}queries (one at a time, /api/v1/jobs):`);
console.log('');
for (const r of [...rows].sort((a, b) => b.ms - a.ms).slice(0, 5))
  console.log(`- ${f(r.ms)} ms (${r.status}): \`${r.qs || '(no parameters)'}\``);
