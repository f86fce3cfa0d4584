// Foundation tables: the one full suite run per side, and the A/B drivers.
import { readdirSync, readFileSync } from 'node:fs';
const D = '/tmp/bench10';
const J = (f) => JSON.parse(readFileSync(f, 'utf8'));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const verdict = (r, lowerBetter = true) => (lowerBetter ? r > 1.1 : r < 1 / 1.1) ? '**worse > 10 %**' : '≤ 10 %';
const out = [];
const base = J(`${D}/base/f1/${readdirSync(`${D}/base/f1`).find((f) => f.endsWith('.json'))}`);
out.push('### Foundation: the full suite, one run per side', '');
out.push('| figure | before | after | ratio | verdict |', '| --- | --- | --- | --- | --- |');
out.push(`| cold start, fresh data dir (wall) | ${(base.coldStart.fresh.medianMs / 1000).toFixed(1)} s | 144.2 s | 1.18 | not resolvable: 1 run each, load average 7 → 20 between them |`);
out.push(`| cold start, fresh data dir: server CPU to ready | ${base.coldStart.fresh.medianCpuS} s | 35.88 s | 1.15 | not resolvable (1 run each); see the start-up stages below (+4 %) |`);
out.push(`| cold start, existing data dir | ${(base.coldStart.existing.medianMs / 1000).toFixed(1)} s (CPU ${base.coldStart.existing.medianCpuS} s) | — | — | the current side's run stopped: creating its data dir took > 180 s (harness timeout) at load 20 |`);
out.push('', `Before: ${base.machine.date}, load average ${base.machine.loadavgAtStart.join(' / ')} at start. After: 19:10 UTC, load 19.9 / 15.5 / 7.9 at start (log: \`foundation-1-failed.log\`).`, '');
// httpab
const h = J(`${D}/httpab.json`);
const pairedOf = (samples, r, k) => med(samples.filter((s) => s.route === r && s.side.startsWith('A')).map((a) => samples.find((b) => b.route === r && b.round === a.round && b.side.startsWith('B'))[k] / a[k]));
out.push('### Foundation and operations loads over HTTP, A/B side by side (server PostgreSQL, 5 rounds)', '');
out.push('| GET | figure | before median | after median | paired ratio | verdict |', '| --- | --- | --- | --- | --- | --- |');
for (const r of [...new Set(h.samples.map((s) => s.route))]) {
  for (const [k, lb, label] of [['cpuUsPerReq', true, 'server CPU/req µs'], ['reqPerSec', false, 'req/s'], ['p50', true, 'p50 ms'], ['p95', true, 'p95 ms']]) {
    const A = h.samples.filter((s) => s.route === r && s.side.startsWith('A')).map((s) => s[k]), B = h.samples.filter((s) => s.route === r && s.side.startsWith('B')).map((s) => s[k]);
    const p = pairedOf(h.samples, r, k);
    out.push(`| ${r} | ${label} | ${med(A)} | ${med(B)} | ${p.toFixed(2)} | ${k === 'cpuUsPerReq' ? verdict(p, lb) : verdict(p, lb) + ' (wall clock)'} |`);
  }
}
out.push('', `Load average during these rounds: ${Math.min(...h.samples.map((s) => s.loadavg1))}–${Math.max(...h.samples.map((s) => s.loadavg1))}.`, '');
const i = J(`${D}/injab.json`);
out.push('### The same requests in process (inject, both apps in one process, 15 alternating slices of 100 requests)', '');
out.push('| request | before: CPU µs/req (median) | after | paired ratio | interquartile range of the paired ratios | wall ms/req before → after | verdict |', '| --- | --- | --- | --- | --- | --- | --- |');
for (const r of [...new Set(i.samples.map((s) => s.route))]) {
  const A = i.samples.filter((s) => s.route === r && s.side.startsWith('A')), B = i.samples.filter((s) => s.route === r && s.side.startsWith('B'));
  const ratios = A.map((a) => B.find((b) => b.slice === a.slice).cpuUsPerReq / a.cpuUsPerReq).sort((x, y) => x - y);
  const q = (p) => ratios[Math.floor(p * (ratios.length - 1))];
  const p = med(ratios);
  out.push(`| ${r} | ${med(A.map((s) => s.cpuUsPerReq))} | ${med(B.map((s) => s.cpuUsPerReq))} | ${p.toFixed(2)} | ${q(0.25).toFixed(2)}–${q(0.75).toFixed(2)} | ${med(A.map((s) => s.wallMsPerReq))} → ${med(B.map((s) => s.wallMsPerReq))} | ${verdict(p)} |`);
}
out.push('', `Load average during the slices: ${Math.min(...i.samples.map((s) => s.loadavg1))}–${Math.max(...i.samples.map((s) => s.loadavg1))}. Bodies identical on both sides (checked before measuring).`, '');
const hh = J(`${D}/healthab.json`);
out.push('### `GET /healthz` on server PostgreSQL: baseline (A), main (B), main + the fix of this branch (C); 6 rounds', '');
out.push('| figure | A median | B median | C median | B ÷ A (paired) | C ÷ A (paired) | C ÷ B (paired) |', '| --- | --- | --- | --- | --- | --- | --- |');
const pr = (x, y, k) => med(hh.samples.filter((s) => s.side === x).map((a) => hh.samples.find((b) => b.side === y && b.round === a.round)[k] / a[k]));
for (const [k, label] of [['cpuUsPerReq', 'server CPU/req µs'], ['reqPerSec', 'req/s'], ['p50', 'p50 ms'], ['p95', 'p95 ms']]) {
  const m = (s) => med(hh.samples.filter((x) => x.side === s).map((x) => x[k]));
  out.push(`| ${label} | ${m('A')} | ${m('B')} | ${m('C')} | ${pr('A', 'B', k).toFixed(2)} | ${pr('A', 'C', k).toFixed(2)} | ${pr('B', 'C', k).toFixed(2)} |`);
}
out.push('', `Load average: ${Math.min(...hh.samples.map((s) => s.loadavg1))}–${Math.max(...hh.samples.map((s) => s.loadavg1))}.`, '');
const L = readFileSync(`${D}/stagecpu.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
out.push('### Start-up CPU by stage (existing PostgreSQL database, CPU seconds of the process, 3 alternated runs per side)', '');
out.push('| stage | before (runs) | after (runs) | before median | after median | ratio | verdict |', '| --- | --- | --- | --- | --- | --- | --- |');
const names = { 'load: config, db, platform': 'loading every module (config, db, platform → app and all modules)', 'prepareDatabase (existing database)': 'prepareDatabase (migrations check, reference, catalogue, demo: all present)', 'buildApp (plugins, routes)': 'buildApp (plugins, hooks, every route and its schemas)', 'app.ready()': 'app.ready()', total: '**total, process start to listening**' };
for (const k of Object.keys(names)) {
  const a = L.filter((x) => x.tree.endsWith('base')).map((x) => x[k]), b = L.filter((x) => !x.tree.endsWith('base')).map((x) => x[k]);
  out.push(`| ${names[k]} | ${a.join(', ')} | ${b.join(', ')} | ${med(a)} | ${med(b)} | ${(med(b) / med(a)).toFixed(2)} | ${k === 'total' ? verdict(med(b) / med(a)) : ''} |`);
}
console.log(out.join('\n'));
