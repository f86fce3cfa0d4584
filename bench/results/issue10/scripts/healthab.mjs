// A/B/C of GET /healthz on server PostgreSQL: baseline (A), current main (B), current main with the
// coalesced database check (C), side by side on one fresh database, autocannon 10 connections,
// alternating order each round. Usage: node healthab.mjs <out.json> [rounds]
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
const TREES = { A: '/work/wt/bench10-base', B: '/work/wt/bench10', C: '/work/wt/bench10-fix' };
const require = createRequire('/work/wt/bench10/package.json');
const autocannon = require('autocannon');
const pg = require('pg');
const [out, roundsArg = '6'] = process.argv.slice(2);
const DB = 'atelier_bench_health10';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DB}`);
const env0 = { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`, SESSION_SECRET: 'x'.repeat(48), ATELIER_DEMO: '1' };
const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });
async function start(tree) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(tree, 'dist/server/server/main.js')], { cwd: tree, env: { ...process.env, ...env0, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (let i = 0; i < 3000; i++) { try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { port, pid: child.pid }; } catch {} await sleep(100); }
  throw new Error('no start');
}
const srv = {};
for (const k of ['A', 'B', 'C']) srv[k] = await start(TREES[k]); // sequential: the first one migrates
const cpu = (pid) => { const r = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = r.slice(r.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const samples = [];
try {
  for (let round = 1; round <= Number(roundsArg); round++) {
    const order = [['A', 'B', 'C'], ['C', 'B', 'A'], ['B', 'C', 'A']][(round - 1) % 3];
    for (const side of order) {
      const url = `http://127.0.0.1:${srv[side].port}/healthz`;
      await autocannon({ url, connections: 10, duration: 1 });
      const times = []; const c0 = cpu(srv[side].pid), w0 = performance.now(), l0 = os.loadavg()[0];
      const inst = autocannon({ url, connections: 10, duration: 5 });
      inst.on('response', (_c, _s, _b, ms) => times.push(ms));
      const res = await inst;
      const wall = (performance.now() - w0) / 1000, c = cpu(srv[side].pid) - c0;
      times.sort((a, b) => a - b);
      const q = (p) => Math.round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] * 100) / 100;
      const x = { round, side, route: 'healthz', reqPerSec: Math.round(times.length / wall), p50: q(0.5), p95: q(0.95), cpuUsPerReq: Math.round((c / times.length) * 1e6), loadavg1: +l0.toFixed(2), errors: res.errors + res.non2xx };
      samples.push(x);
      console.log(JSON.stringify(x));
    }
    writeFileSync(out, JSON.stringify({ samples }, null, 2));
  }
} finally {
  for (const c of children) { c.kill('SIGTERM'); await new Promise((r) => c.once('exit', r)); }
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}
