// report.mjs - turn one bench/run's measurements into a markdown table.
//
//   node bench/report.mjs RESULTS.jsonl
//
// RESULTS.jsonl holds one object per measured endpoint, written by bench/run:
//   {"db":"sqlite","endpoint":"/healthz","load":"1.2 0.9 0.8", ...the BENCH fields of
//    bench/wrk/common.lua}
// and one per import: {"import":true,"db":"sqlite","jobs":N,"seconds":S,"summary":"..."}.
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

const ms = (us) => {
  const v = us / 1000;
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
};
const rps = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
const pct = (v) => (v >= 1 ? v.toFixed(0) : v >= 0.1 ? v.toFixed(1) : v > 0 ? v.toPrecision(1) : '0');
const kb = (v) => (v / 1024).toFixed(1);

const out = [];
const imports = rows.filter((r) => r.import);
if (imports.length) {
  out.push('| database | jobs imported | wall time (s) | jobs/s | loader summary |');
  out.push('|---|---:|---:|---:|---|');
  for (const r of imports)
    out.push(`| ${r.db} | ${r.jobs.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} | ` +
      `${Math.round(r.jobs / r.seconds).toLocaleString('en-US')} | ${r.summary} |`);
  out.push('');
}

out.push('| database | endpoint | requests | req/s | p50 ms | p99 ms | max ms | % of /healthz req/s | ' +
  'avg KiB | non-2xx | socket errors | busy after (s) | load avg (1 5 15 min) before |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows.filter((x) => !x.import)) {
  const base = rows.find((x) => !x.import && x.db === r.db && x.endpoint === '/healthz');
  const ratio = base && base.rps > 0 ? pct((100 * r.rps) / base.rps) + '%' : 'n/a';
  const se = r.socket_errors;
  const sock = se.connect + se.read + se.write + se.timeout;
  const sockText = sock ? `${sock} (timeout ${se.timeout})` : '0';
  const non2xx = r.non2xx
    ? `**${r.non2xx}** (${Object.entries(r.statuses).filter(([c]) => c < 200 || c > 299)
        .map(([c, n]) => `${c}: ${n}`).join(', ')})`
    : '0';
  out.push(`| ${r.db} | ${r.endpoint} | ${r.requests.toLocaleString('en-US')} | ${rps(r.rps)} | ` +
    (r.requests ? `${ms(r.p50_us)} | ${ms(r.p99_us)} | ${ms(r.max_us)}` : 'none done | — | —') +
    ` | ${ratio} | ` +
    `${r.requests ? kb(r.bytes / r.requests) : 'n/a'} | ${non2xx} | ${sockText} | ` +
    `${r.drain_s ?? 'n/a'} | ${r.load} |`);
}
console.log(out.join('\n'));
