import { readFileSync } from 'node:fs';
const d = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const by = (side, k) => d.samples.filter((s) => s.side === side).map((s) => s[k]);
const paired = (x, y, k) => med(d.samples.filter((s) => s.side === x).map((a) => d.samples.find((b) => b.side === y && b.round === a.round)[k] / a[k]));
for (const k of ['cpuUsPerReq', 'reqPerSec', 'p50', 'p95']) console.log(`${k}: A ${med(by('A', k))} [${by('A', k).join(', ')}]  B ${med(by('B', k))} [${by('B', k).join(', ')}]  C ${med(by('C', k))} [${by('C', k).join(', ')}]  paired B/A ${paired('A', 'B', k).toFixed(2)}  C/A ${paired('A', 'C', k).toFixed(2)}  C/B ${paired('B', 'C', k).toFixed(2)}`);
