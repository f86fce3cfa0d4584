// A/B in embedded mode: baseline and current servers, each on its own copy of one embedded data dir
// (Gard, demo, no gisements), sequential requests of the foncier suite's routes (anonymous, public
// routes) in alternating slices; wall ms and server CPU µs per request. Usage: node embab.mjs <out> <slices>
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
const TREES = { A: '/work/wt/bench10-base', B: '/work/wt/bench10' };
const [out, slicesArg = '8'] = process.argv.slice(2);
const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });
const cpu = (pid) => { const r = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = r.slice(r.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
async function start(tree, dataDir) {
  const port = await freePort();
  const env = { ...process.env, ATELIER_DATA_DIR: dataDir, ATELIER_DEMO: '1', SESSION_SECRET: 'x'.repeat(48), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [join(tree, 'dist/server/server/main.js')], { cwd: tree, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (let i = 0; i < 6000; i++) { try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { child, port, pid: child.pid }; } catch {} await sleep(100); }
  throw new Error('no start');
}
const stop = async (s) => { s.child.kill('SIGTERM'); await new Promise((r) => s.child.once('exit', r)); };
const root = mkdtempSync(join(os.tmpdir(), 'atelier-bench10-emb-'));
try {
  const t0 = Date.now();
  const first = await start(TREES.B, join(root, 'b', 'data'));
  await stop(first);
  console.log(`created in ${(Date.now() - t0) / 1000} s`);
  execFileSync('cp', ['-a', join(root, 'b'), join(root, 'a')]);
  execFileSync('rm', ['-f', join(root, 'a', 'data', 'controle.secret')]);
  const srv = { A: await start(TREES.A, join(root, 'a', 'data')), B: await start(TREES.B, join(root, 'b', 'data')) };
  const routes = [
    { name: 'GET /api/v1/foncier/synthese?niveau=commune', path: '/api/v1/foncier/synthese?niveau=commune', n: 20 },
    { name: 'GET /api/v1/foncier/synthese?niveau=epci', path: '/api/v1/foncier/synthese?niveau=epci', n: 20 },
    { name: 'GET /api/v1/foncier/gisements?bbox=… (Nîmes, 4 × 2.5 km)', path: '/api/v1/foncier/gisements?bbox=4.33,43.82,4.38,43.85', n: 50 },
    { name: 'GET /api/v1/communes?departement=30', path: '/api/v1/communes?departement=30', n: 50 },
  ];
  for (const r of routes) for (const s of ['A', 'B']) { const x = await fetch(`http://127.0.0.1:${srv[s].port}${r.path}`); if (!x.ok) throw new Error(`${s} ${r.path} ${x.status}`); await x.arrayBuffer(); }
  const samples = [];
  for (let slice = 1; slice <= Number(slicesArg); slice++) {
    for (const r of routes) {
      for (const side of slice % 2 ? ['A', 'B'] : ['B', 'A']) {
        const { port, pid } = srv[side];
        const c0 = cpu(pid), w0 = performance.now();
        for (let i = 0; i < r.n; i++) { const x = await fetch(`http://127.0.0.1:${port}${r.path}`); await x.arrayBuffer(); }
        const x = { slice, side, route: r.name, wallMsPerReq: +((performance.now() - w0) / r.n).toFixed(2), cpuUsPerReq: Math.round(((cpu(pid) - c0) / r.n) * 1e6), loadavg1: +os.loadavg()[0].toFixed(2) };
        samples.push(x); console.log(JSON.stringify(x));
      }
    }
    writeFileSync(out, JSON.stringify({ samples }, null, 2));
  }
  await stop(srv.A); await stop(srv.B);
} finally { rmSync(root, { recursive: true, force: true }); }
process.exit(0);
