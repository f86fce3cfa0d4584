import { readFileSync } from 'node:fs';
const d = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const routes = [...new Set(d.samples.map((s) => s.route))];
const rows = [];
for (const r of routes) {
  const ss = d.samples.filter((s) => s.route === r);
  const A = ss.filter((s) => s.side.startsWith('A')), B = ss.filter((s) => s.side.startsWith('B'));
  for (const [k, lowerBetter] of [['cpuUsPerReq', true], ['reqPerSec', false], ['p95', true], ['p50', true]]) {
    const ma = med(A.map((s) => s[k])), mb = med(B.map((s) => s[k]));
    const paired = med(A.map((a) => { const b = B.find((x) => x.round === a.round); return b[k] / a[k]; }));
    rows.push({ route: r, figure: k, n: A.length, before: ma, after: mb, ratio: +(mb / ma).toFixed(2), pairedRatio: +paired.toFixed(2), worse: lowerBetter ? paired > 1.1 : paired < 1 / 1.1 });
  }
}
console.table(rows);
console.log(JSON.stringify(rows));
