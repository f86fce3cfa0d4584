import { readFileSync } from 'node:fs';
const d = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const key = d.samples[0].slice !== undefined ? 'slice' : 'round';
for (const r of [...new Set(d.samples.map((s) => s.route))]) {
  const ss = d.samples.filter((s) => s.route === r);
  const A = ss.filter((s) => s.side.startsWith('A')), B = ss.filter((s) => !s.side.startsWith('A'));
  for (const k of ['cpuUsPerReq', 'wallMsPerReq']) {
    const ratios = A.map((a) => B.find((x) => x[key] === a[key])[k] / a[k]).sort((x, y) => x - y);
    // bootstrap-free: the interquartile range of the paired ratios
    const q = (p) => ratios[Math.floor(p * (ratios.length - 1))];
    console.log(`${r.padEnd(52)} ${k.padEnd(13)} n=${A.length} before ${med(A.map((s) => s[k]))} after ${med(B.map((s) => s[k]))} ratio-of-medians ${(med(B.map((s) => s[k])) / med(A.map((s) => s[k]))).toFixed(2)} paired median ${med(ratios).toFixed(2)} IQR ${q(0.25).toFixed(2)}–${q(0.75).toFixed(2)}`);
  }
}
