// A/B HTTP micro-bench: the baseline tree's server and the current tree's server run side by side on
// ONE prepared server-PostgreSQL database (no schema change between the two commits), and the same
// loads of the bench (foundation: communes, healthz at 10 connections; operations: EPCI listing
// steady, filtered, and without cache at 50 connections) are run alternately A,B / B,A in short
// slices, so that both see the same machine. Server CPU per request is read from /proc.
// Usage: node httpab.mjs <out.json> [rounds]
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
const CUR = '/work/wt/bench10', BASE = '/work/wt/bench10-base';
const require = createRequire(join(CUR, 'package.json'));
const autocannon = require('autocannon');
const pg = require('pg');
const [out, roundsArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg ?? 5), WARM = 1, DUR = Number(process.env.AB_DURATION ?? 5);
const N_OPS = Number(process.env.AB_OPS ?? 30000);
const DB = 'atelier_bench_ab10';
const SECRET = 'bench-session-secret-'.padEnd(48, 'x');
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DB}`);
const url = `postgres://postgres@127.0.0.1:5432/${DB}`;
const dist = (p) => import(pathToFileURL(join(CUR, 'dist/server/server', p)).href);
const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
try {
  const { loadConfig } = await dist('config.js');
  const { openPostgres } = await dist('db/client.js');
  const { prepareDatabase } = await dist('platform.js');
  const { systemActor } = await dist('lib/principal.js');
  const { createToken } = await dist('modules/tokens/tokens.service.js');
  const { generateOperations } = await import(pathToFileURL(join(CUR, 'bench/lib/generate-operations.mjs')).href);
  const env0 = { DATABASE_URL: url, ATELIER_DEMO: '1', SESSION_SECRET: SECRET };
  const database = await openPostgres(url);
  await prepareDatabase(database, loadConfig(env0));
  const t0 = Date.now();
  const counts = await generateOperations(database.db, { n: N_OPS });
  console.log(`prepared: ${JSON.stringify(counts)} in ${(Date.now() - t0) / 1000} s`);
  const token = async (email) => {
    const r = await database.db.execute(`SELECT id FROM users WHERE email = '${email}'`);
    return (await createToken(database.db, systemActor('banc'), r.rows[0].id, 'banc')).token;
  };
  const epciToken = await token('agent-epci@demo.test');
  await database.close();

  const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });
  async function start(tree, extra = {}) {
    const port = await freePort();
    const child = spawn(process.execPath, [join(tree, 'dist/server/server/main.js')], { cwd: tree, env: { ...process.env, ...env0, ...extra, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    for (let i = 0; i < 1200; i++) { try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { child, port, pid: child.pid }; } catch {} await sleep(100); }
    throw new Error(`${tree} did not start`);
  }
  const srv = { A: await start(BASE), B: await start(CUR), A0: await start(BASE, { LISTING_CACHE_MB: '0' }), B0: await start(CUR, { LISTING_CACHE_MB: '0' }) };
  const CLK = 100;
  const cpu = (pid) => { const r = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = r.slice(r.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) / CLK; };
  const busy = () => { const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number); return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLK; };
  const auth = { authorization: `Bearer ${epciToken}` };
  const routes = [
    { name: 'communes?departement=30', path: '/api/v1/communes?departement=30', conn: 10, headers: {}, sides: ['A', 'B'] },
    { name: 'healthz', path: '/healthz', conn: 10, headers: {}, sides: ['A', 'B'] },
    { name: 'operations listing EPCI, steady (cache)', path: '/api/v1/operations?limit=50', conn: 50, headers: auth, sides: ['A', 'B'] },
    { name: 'operations listing EPCI, filtered', path: '/api/v1/operations?limit=50&en_difficulte=true&annee=2019', conn: 50, headers: auth, sides: ['A', 'B'] },
    { name: 'operations listing EPCI, no cache', path: '/api/v1/operations?limit=50', conn: 50, headers: auth, sides: ['A0', 'B0'] },
  ];
  // Same bytes on both sides (the public contract is unchanged)?
  const same = {};
  for (const r of routes) {
    const bodies = await Promise.all(r.sides.map(async (s) => { const x = await fetch(`http://127.0.0.1:${srv[s].port}${r.path}`, { headers: r.headers }); if (!x.ok) throw new Error(`${s} ${r.path}: ${x.status}`); return x.text(); }));
    same[r.name] = { bytesA: bodies[0].length, bytesB: bodies[1].length, identical: bodies[0].replace(/"(requestId|at|generated_at)":"[^"]*"/g, '') === bodies[1].replace(/"(requestId|at|generated_at)":"[^"]*"/g, '') };
  }
  console.log(JSON.stringify(same));
  async function load(side, r) {
    const { port, pid } = srv[side];
    const url = `http://127.0.0.1:${port}${r.path}`;
    await autocannon({ url, headers: r.headers, connections: r.conn, duration: WARM });
    const times = [];
    const c0 = cpu(pid), m0 = busy(), w0 = performance.now(), l0 = os.loadavg()[0];
    const inst = autocannon({ url, headers: r.headers, connections: r.conn, duration: DUR });
    inst.on('response', (_c, _s, _b, ms) => times.push(ms));
    const res = await inst;
    const wall = (performance.now() - w0) / 1000, srvCpu = cpu(pid) - c0, mach = busy() - m0;
    times.sort((a, b) => a - b);
    const q = (p) => Math.round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] * 100) / 100;
    return { side, route: r.name, requests: times.length, reqPerSec: Math.round(times.length / wall), p50: q(0.5), p95: q(0.95), cpuUsPerReq: Math.round((srvCpu / times.length) * 1e6), serverCores: +(srvCpu / wall).toFixed(2), machineCores: +(mach / wall).toFixed(2), loadavg1: +l0.toFixed(2), errors: res.errors + res.non2xx };
  }
  const samples = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const r of routes) {
      const order = round % 2 ? r.sides : [...r.sides].reverse();
      for (const s of order) {
        const x = { round, ...(await load(s, r)) };
        samples.push(x);
        console.log(`${round} ${s.padEnd(2)} ${r.name.padEnd(42)} ${x.reqPerSec} req/s p50 ${x.p50} p95 ${x.p95} cpu/req ${x.cpuUsPerReq} µs load ${x.loadavg1} err ${x.errors}`);
      }
    }
    writeFileSync(out, JSON.stringify({ rounds: ROUNDS, warmupS: WARM, durationS: DUR, nOps: N_OPS, counts, same, samples }, null, 2));
  }
} finally {
  for (const c of children) if (c.exitCode === null) { c.kill('SIGTERM'); await new Promise((r) => c.once('exit', r)); }
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}
