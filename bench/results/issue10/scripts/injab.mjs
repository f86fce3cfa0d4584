// A/B per-request server CPU, in process: the baseline tree's app and the current tree's app
// (buildApp of each tree's dist) on ONE prepared server-PostgreSQL database, requests sent with
// Fastify's inject (no socket: the route pipeline, hooks, validation and serialization only), in
// short alternating slices (A,B / B,A). CPU = process.cpuUsage() of this process per request (the
// database's own CPU is not counted). Usage: node injab.mjs <out.json> <slices> <perSlice>
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
const TREES = { A: '/work/wt/bench10-base', B: '/work/wt/bench10' };
const pg = createRequire('/work/wt/bench10/package.json')('pg');
const [out, slicesArg = '15', perArg = '100'] = process.argv.slice(2);
const SLICES = Number(slicesArg), PER = Number(perArg);
const DB = 'atelier_bench_inj10';
const url = `postgres://postgres@127.0.0.1:5432/${DB}`;
const SECRET = 'bench-session-secret-'.padEnd(48, 'x');
const imp = (side, p) => import(pathToFileURL(join(TREES[side], p)).href);
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = '${DB}'`)).rowCount > 0;
const env = { DATABASE_URL: url, ATELIER_DEMO: '1', SESSION_SECRET: SECRET, LOG_LEVEL: 'warn', ATELIER_DEPARTEMENTS: '30' };
let tokenEpci, opId;
{
  const { loadConfig } = await imp('B', 'dist/server/server/config.js');
  const { openPostgres } = await imp('B', 'dist/server/server/db/client.js');
  const { prepareDatabase } = await imp('B', 'dist/server/server/platform.js');
  const { systemActor } = await imp('B', 'dist/server/server/lib/principal.js');
  const { createToken } = await imp('B', 'dist/server/server/modules/tokens/tokens.service.js');
  if (!exists) await admin.query(`CREATE DATABASE ${DB}`);
  const database = await openPostgres(url);
  if (!exists) {
    await prepareDatabase(database, loadConfig(env));
    const { generateOperations } = await import(pathToFileURL(join(TREES.B, 'bench/lib/generate-operations.mjs')).href);
    console.log(JSON.stringify(await generateOperations(database.db, { n: 30000 })));
  }
  const r = await database.db.execute(`SELECT id FROM users WHERE email = 'agent-epci@demo.test'`);
  tokenEpci = (await createToken(database.db, systemActor('banc'), r.rows[0].id, 'banc')).token;
  opId = (await database.db.execute(`SELECT id FROM operations WHERE epci_siren = '243000643' ORDER BY id LIMIT 1`)).rows[0].id;
  await database.close();
}
const apps = {};
for (const side of ['A', 'B']) {
  const { loadConfig } = await imp(side, 'dist/server/server/config.js');
  const { openPostgres } = await imp(side, 'dist/server/server/db/client.js');
  const { buildApp } = await imp(side, 'dist/server/server/app.js');
  for (const [k, extra] of [[side, {}], [`${side}0`, { LISTING_CACHE_MB: '0' }]]) {
    const config = loadConfig({ ...env, ...extra });
    const database = await openPostgres(url);
    const app = await buildApp(database, config, { webRoot: null, ...(side === 'B' && { metrics: { allow: [] } }) });
    await app.ready();
    apps[k] = { app, database };
  }
}
const auth = { authorization: `Bearer ${tokenEpci}` };
const routes = [
  { name: 'GET /api/v1/communes?departement=30', url: '/api/v1/communes?departement=30', headers: {}, sides: ['A', 'B'] },
  { name: 'GET /healthz', url: '/healthz', headers: {}, sides: ['A', 'B'] },
  { name: 'GET /api/v1/operations?limit=50 (EPCI, cache)', url: '/api/v1/operations?limit=50', headers: auth, sides: ['A', 'B'] },
  { name: 'GET /api/v1/operations filtered (EPCI, cache)', url: '/api/v1/operations?limit=50&en_difficulte=true&annee=2019', headers: auth, sides: ['A', 'B'] },
  { name: 'GET /api/v1/operations?limit=50 (EPCI, no cache)', url: '/api/v1/operations?limit=50', headers: auth, sides: ['A0', 'B0'] },
  { name: 'GET /api/v1/operations/:id (not a bench figure)', url: `/api/v1/operations/${opId}`, headers: auth, sides: ['A', 'B'] },
];
const same = {};
for (const r of routes) {
  const b = await Promise.all(r.sides.map(async (s) => { const x = await apps[s].app.inject({ url: r.url, headers: r.headers }); if (x.statusCode !== 200) throw new Error(`${s} ${r.url} ${x.statusCode} ${x.body.slice(0, 200)}`); return x.body; }));
  same[r.name] = { bytesA: b[0].length, bytesB: b[1].length, identical: b[0] === b[1] };
}
console.log(JSON.stringify(same));
const samples = [];
async function slice(side, r) {
  const app = apps[side].app;
  for (let i = 0; i < 5; i++) await app.inject({ url: r.url, headers: r.headers });
  const c0 = process.cpuUsage(), w0 = performance.now();
  for (let i = 0; i < PER; i++) {
    const x = await app.inject({ url: r.url, headers: r.headers });
    if (x.statusCode !== 200) throw new Error(`${side} ${r.url}: ${x.statusCode}`);
  }
  const c = process.cpuUsage(c0), wall = performance.now() - w0;
  return { side, route: r.name, cpuUsPerReq: Math.round((c.user + c.system) / PER), wallMsPerReq: +(wall / PER).toFixed(3), loadavg1: +os.loadavg()[0].toFixed(2) };
}
for (let s = 1; s <= SLICES; s++) {
  for (const r of routes) {
    for (const side of s % 2 ? r.sides : [...r.sides].reverse()) {
      const x = { slice: s, ...(await slice(side, r)) };
      samples.push(x);
    }
  }
  const last = samples.slice(-routes.length * 2);
  console.log(`slice ${s} load ${os.loadavg()[0].toFixed(1)}: ` + routes.map((r) => { const a = last.find((x) => x.route === r.name && x.side.startsWith('A')), b = last.find((x) => x.route === r.name && x.side.startsWith('B')); return `${a.cpuUsPerReq}/${b.cpuUsPerReq}`; }).join('  '));
  writeFileSync(out, JSON.stringify({ slices: SLICES, perSlice: PER, same, samples }, null, 2));
}
for (const k of Object.keys(apps)) { await apps[k].app.close(); await apps[k].database.close(); }
await admin.end();
process.exit(0);
