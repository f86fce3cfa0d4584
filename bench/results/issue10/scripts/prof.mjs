// Summarise a .cpuprofile: self time by file (package or project file) and by function; with two
// profiles, the difference. Usage: node prof.mjs a.cpuprofile [b.cpuprofile] [--fn]
import { readFileSync } from 'node:fs';
const load = (f) => {
  const p = JSON.parse(readFileSync(f, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = p.timeDeltas; let total = 0;
  for (let i = 0; i < p.samples.length; i++) { const id = p.samples[i]; self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)); }
  const byFile = new Map(), byFn = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id); const cf = n.callFrame;
    if (cf.functionName === '(idle)' || cf.functionName === '(program)') continue;
    total += us;
    let url = cf.url.replace(/^file:\/\//, '').replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, 'pkg:$1').replace(/.*\/dist\/server\//, 'dist:');
    if (!url) url = cf.functionName.startsWith('(') ? cf.functionName : '(native/node)';
    if (url.startsWith('node:')) url = 'node:*';
    byFile.set(url, (byFile.get(url) ?? 0) + us);
    const fn = `${cf.functionName || '(anon)'} ${url}:${cf.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  return { total, byFile, byFn };
};
const [a, b] = process.argv.slice(2).filter((x) => !x.startsWith('--'));
const mode = process.argv.includes('--fn') ? 'byFn' : 'byFile';
const A = load(a), B = b ? load(b) : null;
console.log(`total (non-idle) ${(A.total / 1000).toFixed(0)} ms${B ? ` vs ${(B.total / 1000).toFixed(0)} ms` : ''}`);
const keys = new Set([...A[mode].keys(), ...(B ? B[mode].keys() : [])]);
const rows = [...keys].map((k) => ({ k, a: (A[mode].get(k) ?? 0) / 1000, b: B ? (B[mode].get(k) ?? 0) / 1000 : 0 }));
rows.sort((x, y) => (B ? Math.abs(y.b - y.a) - Math.abs(x.b - x.a) : y.a - x.a));
for (const r of rows.slice(0, Number(process.env.TOP ?? 25))) console.log(`${r.a.toFixed(0).padStart(7)} ${B ? r.b.toFixed(0).padStart(7) + ' ' + (r.b - r.a >= 0 ? '+' : '') + (r.b - r.a).toFixed(0).padStart(6) : ''}  ${r.k}`);
