// Benchmark of the operations register (issue "Operations and project reviews"), at national scale:
// every département's communes loaded, 100,000 generated operations spread by population, ~334,000
// blocker and event rows. Measures, beside baselines run in the same process:
//  - listing for an EPCI agent (demo account, CA de Nîmes Métropole) under 50 connections,
//    vs a bare Fastify route serving the same bytes;
//  - importing a 20,000-row xlsx (wall time and server peak RSS), vs only reading the file
//    with exceljs in the bench process.
// Exported as `runOperationsBench`; `node bench/operations.mjs` runs it alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { generateOperations } from './lib/generate-operations.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dist = (p) => pathToFileURL(join(root, 'dist/server/server', p)).href;
const require = createRequire(import.meta.url);
const SECRET = 'bench-session-secret-'.padEnd(48, 'x');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssOf = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

async function waitHealthy(port, child, timeoutMs = 300_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

function startServer(env, port) {
  const child = spawn(process.execPath, [join(root, 'dist/server/server/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SESSION_SECRET: SECRET, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Migrates, loads every département, generates the register and returns API tokens. */
async function prepare(database, config, n) {
  const { prepareDatabase } = await import(dist('platform.js'));
  const { loadDepartement } = await import(dist('modules/referentiel/referentiel.loader.js'));
  const { systemActor } = await import(dist('lib/principal.js'));
  const { createToken } = await import(dist('modules/tokens/tokens.service.js'));
  await prepareDatabase(database, config);
  const codes = require('@etalab/decoupage-administratif/data/departements.json').map((d) => d.code);
  for (const code of codes) if (code !== '30') await loadDepartement(database.db, code, systemActor('banc d’essai'));
  const t0 = Date.now();
  const counts = await generateOperations(database.db, { n });
  const genSeconds = (Date.now() - t0) / 1000;
  const token = async (email) => {
    const r = await database.db.execute(`SELECT id FROM users WHERE email = '${email}'`);
    return (await createToken(database.db, systemActor('banc d’essai'), r.rows[0].id, 'banc d’essai')).token;
  };
  return { counts, genSeconds, epciToken: await token('agent-epci@demo.test'), etatToken: await token('agent-etat@demo.test') };
}

/** Runs autocannon and computes exact latency percentiles from every response time. */
async function load(url, headers, connections = 50, duration = 15) {
  await autocannon({ url, headers, connections: 10, duration: 2 }); // warm-up
  const times = [];
  const instance = autocannon({ url, headers, connections, duration });
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const r = await instance;
  times.sort((a, b) => a - b);
  const q = (x) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor(x * times.length))] * 100) / 100 : null);
  return { rps: r.requests.average, p50: q(0.5), p95: q(0.95), p99: q(0.99), errors: r.errors + r.non2xx, requests: times.length };
}

async function baselineServer(body, contentType, port) {
  const code = `const f=require('fastify')();const b=require('fs').readFileSync(process.argv[1]);f.get('/api/v1/operations',(q,r)=>r.header('content-type',${JSON.stringify(contentType)}).send(b));f.listen({port:${port},host:'127.0.0.1'}).then(()=>console.log('ready'))`;
  const dir = mkdtempSync(join(tmpdir(), 'atelier-bench-body-'));
  const file = join(dir, 'body');
  (await import('node:fs')).writeFileSync(file, body);
  const child = spawn(process.execPath, ['-e', code, file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { child, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function makeXlsx(rows, communes, siren) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Opérations');
  ws.addRow(['N° SIAP', 'Nom de l’opération', 'Commune', 'Bailleur', 'Type d’opération', 'PLAI', 'PLUS', 'PLS', 'Année de programmation', 'Étape', 'Agrément le', 'Livraison prévue', 'Prix de revient (€)']);
  for (let i = 0; i < rows; i++) {
    const agree = i % 3 === 0;
    ws.addRow([`IMPORT-${i}`, `Opération importée ${i}`, communes[i % communes.length], siren, ['VEFA', 'Construction neuve', 'Acquisition-amélioration'][i % 3], i % 7, 5 + (i % 20), i % 4, 2020 + (i % 6), agree ? 'Agrément obtenu' : 'Projet identifié', agree ? new Date(Date.UTC(2024, i % 12, 1 + (i % 28))) : null, `${1 + (i % 28)}/0${1 + (i % 9)}/2028`, `${1000000 + i} €`]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importRun(port, token, file) {
  const form = new FormData();
  form.append('file', new Blob([file]), 'bench.xlsx');
  const t0 = Date.now();
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/operations/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const body = await r.json();
  return { status: r.status, seconds: (Date.now() - t0) / 1000, created: body.created, updated: body.updated, errors: body.errors?.length ?? 0, firstError: body.errors?.[0] };
}

async function benchOn(kind, { n, importRows, log }) {
  const { loadConfig } = await import(dist('config.js'));
  const { openEmbedded, openPostgres } = await import(dist('db/client.js'));
  const port = 3310;
  let env;
  let database;
  let dropDb = async () => {};
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-bench-ops-'));
  if (kind === 'embedded') {
    env = { ATELIER_DATA_DIR: dataDir, ATELIER_DEMO: '1', ATELIER_DEMO_HISTOIRE: '0' };
    database = await openEmbedded(dataDir);
  } else {
    const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const name = `atelier_bench_ops_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    env = { DATABASE_URL: u.href, ATELIER_DEMO: '1', ATELIER_DEMO_HISTOIRE: '0' };
    database = await openPostgres(u.href);
    dropDb = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const config = loadConfig({ ...env, SESSION_SECRET: SECRET });
  log(`[${kind}] préparation : référentiel de tous les départements, ${n} opérations générées…`);
  const prep = await prepare(database, config, n);
  const communes = (await database.db.execute(`SELECT code_insee FROM communes WHERE epci_siren = '243000643' ORDER BY code_insee`)).rows.map((r) => r.code_insee);
  const siren = (await database.db.execute(`SELECT siren FROM organisations WHERE nom LIKE 'Bailleur généré%' ORDER BY siren LIMIT 1`)).rows[0].siren;
  const epciCount = (await database.db.execute(`SELECT count(*)::int AS n FROM operations WHERE epci_siren = '243000643'`)).rows[0].n;
  await database.close();
  log(`[${kind}] ${JSON.stringify(prep.counts)} en ${prep.genSeconds.toFixed(1)} s ; ${epciCount} opérations pour l’EPCI mesuré`);

  let child = startServer(env, port);
  try {
    await waitHealthy(port, child);
    const headers = { authorization: `Bearer ${prep.epciToken}` };
    const url = `http://127.0.0.1:${port}/api/v1/operations?limit=50`;
    const filtered = `http://127.0.0.1:${port}/api/v1/operations?limit=50&en_difficulte=true&annee=2019`;
    const first = await fetch(url, { headers });
    const body = Buffer.from(await first.arrayBuffer());
    log(`[${kind}] liste EPCI : ${first.status}, ${body.length} octets`);
    // 1. Steady state: the register does not change during the run (every answer after the first
    //    comes from the instance's listing cache, checked against the register's version).
    const listing = await load(url, headers);
    const listingFiltered = await load(filtered, headers);
    // 2. With writes: one change a second to an operation of the EPCI through the API, so the
    //    version moves and every cached page is recomputed once a second.
    const target = JSON.parse(body.toString()).results[0].id;
    let writes = 0;
    const writer = setInterval(() => {
      writes++;
      void fetch(`http://127.0.0.1:${port}/api/v1/operations/${target}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${prep.etatToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ adresse: `${writes} rue du banc d’essai` }),
      });
    }, 1000);
    let listingWrites;
    try {
      listingWrites = await load(url, headers);
    } finally {
      clearInterval(writer);
    }
    // 3. No cache at all (LISTING_CACHE_MB=0): every request runs the listing statement.
    await stop(child);
    child = startServer({ ...env, LISTING_CACHE_MB: '0' }, port);
    await waitHealthy(port, child);
    const listingNoCache = await load(url, headers);
    const base = await baselineServer(body, first.headers.get('content-type'), 3311);
    let baseline;
    try {
      baseline = await load('http://127.0.0.1:3311/api/v1/operations', {});
    } finally {
      await stop(base.child);
      base.cleanup();
    }
    log(`[${kind}] import : génération d’un fichier de ${importRows} lignes…`);
    const xlsx = await makeXlsx(importRows, communes, siren);
    const parse0 = Date.now();
    const heap0 = process.memoryUsage().rss;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx);
    const parseSeconds = (Date.now() - parse0) / 1000;
    const parseRss = process.memoryUsage().rss - heap0;
    const rssBefore = rssOf(child.pid);
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid))), 100);
    const imp = await importRun(port, prep.etatToken, xlsx);
    clearInterval(sampler);
    const reimp = await importRun(port, prep.etatToken, xlsx);
    return {
      database: kind,
      data: { ...prep.counts, epci_operations: epciCount, generation_s: prep.genSeconds },
      listing_epci: { rps: listing.rps, p50_ms: listing.p50, p95_ms: listing.p95, p99_ms: listing.p99, errors: listing.errors },
      listing_epci_with_writes: { rps: listingWrites.rps, p50_ms: listingWrites.p50, p95_ms: listingWrites.p95, p99_ms: listingWrites.p99, errors: listingWrites.errors, writes },
      listing_epci_no_cache: { rps: listingNoCache.rps, p50_ms: listingNoCache.p50, p95_ms: listingNoCache.p95, p99_ms: listingNoCache.p99, errors: listingNoCache.errors },
      listing_epci_filtered: { rps: listingFiltered.rps, p50_ms: listingFiltered.p50, p95_ms: listingFiltered.p95, p99_ms: listingFiltered.p99, errors: listingFiltered.errors },
      baseline_same_bytes: { rps: baseline.rps, p50_ms: baseline.p50, p95_ms: baseline.p95, p99_ms: baseline.p99 },
      import_xlsx: { rows: importRows, bytes: xlsx.length, ...imp, server_rss_before_mb: rssBefore / 2 ** 20, server_rss_peak_mb: peak / 2 ** 20 },
      reimport_xlsx: reimp,
      baseline_read_only: { seconds: parseSeconds, rss_delta_mb: parseRss / 2 ** 20 },
    };
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
    await dropDb();
  }
}

export async function runOperationsBench({ n = 100_000, importRows = 20_000, log = console.log, databases = ['embedded', 'postgres'] } = {}) {
  const results = [];
  for (const kind of databases) {
    try {
      results.push(await benchOn(kind, { n, importRows, log }));
    } catch (err) {
      log(`[${kind}] échec : ${err.message}`);
      results.push({ database: kind, error: err.message });
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.env.BENCH_OPERATIONS ?? 100_000);
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 20_000);
  const dbs = (process.env.BENCH_DATABASES ?? 'embedded,postgres').split(',');
  console.log(JSON.stringify(await runOperationsBench({ n, importRows: rows, databases: dbs }), null, 2));
}

/** Readable summary of an operations bench run. */
export function operationsMarkdown(results, machine) {
  const lines = [
    '# Atelier — operations register benchmark',
    '',
    `${machine} · targets (issue 3): listing for an EPCI agent p95 < 50 ms at 50 connections; 20,000-row xlsx import < 60 s with the server under 500 MB.`,
    '',
    'Data: the reference territory of every département (COG 2026, ~35,000 communes), 100,000 generated operations spread by population, one blocker for a third of them and three timeline events each. The EPCI agent is the demo account of CA de Nîmes Métropole.',
    '',
    'Listing: `GET /api/v1/operations?limit=50` as the EPCI agent, 50 connections, 15 s each. *Steady*: the register does not change (answers come from the instance\'s listing cache, checked against the register version on every request). *1 write/s*: an operation of the EPCI is changed through the API every second during the run. *No cache*: `LISTING_CACHE_MB=0`, every request runs the listing statement. Baseline: a bare Fastify route serving the same bytes.',
    '',
    '| database | listing, steady: req/s | p50 | p95 | p99 | with 1 write/s: p95 (req/s) | no cache: p95 (req/s) | filtered listing p95 | baseline same bytes: req/s | baseline p95 | steady p95 ÷ baseline |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const cell = (x) => (x ? `${x.p95_ms} ms (${Math.round(x.rps)})` : '—');
  for (const r of results) {
    if (r.error) {
      lines.push(`| ${r.database} | échec : ${r.error} | | | | | | | | | |`);
      continue;
    }
    const l = r.listing_epci;
    lines.push(`| ${r.database} | ${Math.round(l.rps)} | ${l.p50_ms} ms | **${l.p95_ms} ms** | ${l.p99_ms} ms | ${cell(r.listing_epci_with_writes)} | ${cell(r.listing_epci_no_cache)} | ${r.listing_epci_filtered.p95_ms} ms | ${Math.round(r.baseline_same_bytes.rps)} | ${r.baseline_same_bytes.p95_ms} ms | ${(l.p95_ms / r.baseline_same_bytes.p95_ms).toFixed(1)} |`);
  }
  lines.push('', '| database | import 20,000 rows | server RSS before → peak | re-import (no change) | baseline: read the file only (exceljs) |', '| --- | --- | --- | --- | --- |');
  for (const r of results) {
    if (r.error) continue;
    const i = r.import_xlsx;
    lines.push(`| ${r.database} | **${i.seconds.toFixed(1)} s** (${i.created} créées, ${i.errors} erreurs) | ${Math.round(i.server_rss_before_mb)} → **${Math.round(i.server_rss_peak_mb)} MiB** | ${r.reimport_xlsx.seconds.toFixed(1)} s (${r.reimport_xlsx.updated} mises à jour) | ${r.baseline_read_only.seconds.toFixed(1)} s |`);
  }
  lines.push('', `Generation of the data set: ${results.filter((r) => !r.error).map((r) => `${r.database} ${r.data.generation_s.toFixed(0)} s`).join(', ')}.`);
  return `${lines.join('\n')}\n`;
}
