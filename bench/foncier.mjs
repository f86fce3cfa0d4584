// Benchmark of the land observatory (issue 5): 1,000,000 plots generated inside the Gard's real
// commune contours (ST_GeneratePoints per commune, in proportion to its area, each point expanded to a
// ~30 m × 45 m rectangle), in batches of communes. Measures, beside baselines run in the same process:
//  - the map's bbox query at commune zoom (a 4 km × 2.5 km viewport — a ~1000 × 600 px map at zoom
//    15 — around a point inside a random commune), as the State agent, over HTTP, sequentially:
//    p50/p95/p99; baselines: (a) a bare Fastify route serving the same bytes, (b) the same SQL with
//    index scans disabled (sequential scan of the table), in-process;
//  - the département-wide synthesis per EPCI and per commune (by status and by tool), over HTTP, read
//    from the running totals kept by a trigger (rebuilt once after the bulk load);
//  - for context, the bbox of a whole commune's extent (capped at the route's default 10,000 features).
// Exported as `runFoncierBench`; `node bench/foncier.mjs` runs it alone (BENCH_FONCIER_N, BENCH_DATABASES).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dist = (p) => pathToFileURL(join(root, 'dist/server/server', p)).href;
const SECRET = 'bench-session-secret-'.padEnd(48, 'x');
const BATCH_COMMUNES = 20;

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10 : null;
};
const stats = (xs) => ({ n: xs.length, p50_ms: pct(xs, 0.5), p95_ms: pct(xs, 0.95), p99_ms: pct(xs, 0.99) });

async function waitHealthy(port, child, timeoutMs = 600_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Generates `n` plots inside the communes of département 30, in batches; returns seconds. */
async function generate(database, n, log) {
  const q = (s) => database.db.execute(s);
  await q(`DROP INDEX IF EXISTS gisements_geom_idx`);
  // Bulk load: the running totals are rebuilt once at the end instead of by the per-row trigger.
  await q(`ALTER TABLE gisements DISABLE TRIGGER gisements_agregats_trg`);
  const communes = (await q(`SELECT code_insee, ST_Area(geom::geography) / (SELECT sum(ST_Area(geom::geography)) FROM communes WHERE departement = '30' AND geom IS NOT NULL) AS part
                            FROM communes WHERE departement = '30' AND geom IS NOT NULL ORDER BY code_insee`)).rows;
  const t0 = Date.now();
  let done = 0;
  for (let i = 0; i < communes.length; i += BATCH_COMMUNES) {
    const batch = communes.slice(i, i + BATCH_COMMUNES);
    const values = batch.map((c) => `('${c.code_insee}', ${Math.max(1, Math.round(Number(c.part) * n))})`).join(',');
    await q(`INSERT INTO gisements (nom, geom, geojson, surface_m2, commune_insee, epci_siren, departement, statut, capacite_logements, capacite_lls, outils, visibilite, source, demo)
             SELECT 'Parcelle générée (banc d’essai)', s.g, ST_AsGeoJSON(s.g, 6), ST_Area(s.g::geography), c.code_insee, c.epci_siren, c.departement,
                    (ARRAY['identifie','etudie','maitrise','engage','livre','abandonne'])[1 + (abs(hashtext(ST_AsText(p.geom))) % 6)],
                    5 + abs(hashtext(ST_AsText(p.geom))) % 60, abs(hashtext(ST_AsText(p.geom))) % 20,
                    string_to_array((ARRAY['oap','sms','oap,sms','dpu','','er,zac'])[1 + (abs(hashtext(c.code_insee || ST_AsText(p.geom))) % 6)], ',')::text[],
                    'prive', 'banc d’essai : données générées', true
             FROM (VALUES ${values}) v(code, n)
             JOIN communes c ON c.code_insee = v.code
             CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(c.geom, v.n)) p
             CROSS JOIN LATERAL (SELECT ST_Multi(ST_Expand(p.geom, 0.0002::float8, 0.0002::float8))::geometry(MultiPolygon,4326) AS g) s`);
    done += batch.reduce((s, c) => s + Math.max(1, Math.round(Number(c.part) * n)), 0);
    log(`  ${done} parcelles (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const t1 = Date.now();
  await q(`CREATE INDEX gisements_geom_idx ON gisements USING gist (geom)`);
  const indexSeconds = (Date.now() - t1) / 1000;
  const t2 = Date.now();
  await q(`SELECT gisements_agregats_reconstruire()`);
  await q(`ALTER TABLE gisements ENABLE TRIGGER gisements_agregats_trg`);
  const totalsSeconds = (Date.now() - t2) / 1000;
  await q(`VACUUM ANALYZE gisements`);
  return { generation_s: (t1 - t0) / 1000, gist_index_s: indexSeconds, running_totals_s: totalsSeconds, total_s: (Date.now() - t0) / 1000 };
}

/** Viewports of 4 km × 2.5 km around points inside random communes (deterministic). */
async function viewports(database, count) {
  const r = await database.db.execute(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (
      SELECT ST_PointOnSurface(geom) AS p FROM communes WHERE departement = '30' AND geom IS NOT NULL ORDER BY md5(code_insee) LIMIT ${count}) s`);
  const dx = 2 / (111.32 * Math.cos((44 * Math.PI) / 180));
  const dy = 1.25 / 111.32;
  return r.rows.map((p) => [p.x - dx, p.y - dy, p.x + dx, p.y + dy].map((v) => v.toFixed(6)).join(','));
}

async function benchOn(kind, { n, log }) {
  const { loadConfig } = await import(dist('config.js'));
  const { openEmbedded, openPostgres } = await import(dist('db/client.js'));
  const { prepareDatabase } = await import(dist('platform.js'));
  const { systemActor } = await import(dist('lib/principal.js'));
  const { createToken } = await import(dist('modules/tokens/tokens.service.js'));
  const { mapFeatures } = await import(dist('modules/foncier/foncier.service.js'));
  const port = 3320;
  let env;
  let database;
  let dropDb = async () => {};
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-bench-foncier-'));
  const reopen = async () => (kind === 'embedded' ? openEmbedded(dataDir) : openPostgres(env.DATABASE_URL));
  if (kind === 'embedded') {
    env = { ATELIER_DATA_DIR: dataDir, ATELIER_DEMO: '1', ATELIER_DEMO_HISTOIRE: '0' };
  } else {
    const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const name = `atelier_bench_foncier_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    env = { DATABASE_URL: u.href, ATELIER_DEMO: '1', ATELIER_DEMO_HISTOIRE: '0' };
    dropDb = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  try {
    database = await reopen();
    const config = loadConfig({ ...env, SESSION_SECRET: SECRET });
    await prepareDatabase(database, config);
    log(`[${kind}] génération de ${n} parcelles dans les contours des communes du Gard…`);
    const gen = await generate(database, n, log);
    const count = Number((await database.db.execute(`SELECT count(*)::int AS n FROM gisements`)).rows[0].n);
    const boxes = await viewports(database, 200);
    const etat = { userId: '00000000-0000-0000-0000-000000000000', email: 'bench', nom: 'bench', role: 'agent_etat', organisationId: null, departement: '30', epciSiren: null, communeInsee: null, via: 'token' };
    const parse = (b) => b.split(',').map(Number);
    // Baseline (b): the same query, in-process, without index scans (sequential scan), on a sample.
    const sqlIndexed = [];
    for (const b of boxes.slice(0, 30)) {
      const t0 = performance.now();
      await mapFeatures(database.db, etat, ['30'], { bbox: parse(b) }, 10_000);
      sqlIndexed.push(performance.now() - t0);
    }
    // Without the GiST index: dropped inside a transaction that is rolled back (DDL is transactional;
    // dropping also invalidates any cached plan, which SET enable_indexscan would not).
    const seq = [];
    await database.db
      .transaction(async (tx) => {
        await tx.execute(`DROP INDEX gisements_geom_idx`);
        for (const b of boxes.slice(0, 5)) {
          const t0 = performance.now();
          await mapFeatures(tx, etat, ['30'], { bbox: parse(b) }, 10_000);
          seq.push(performance.now() - t0);
        }
        throw new Error('rollback');
      })
      .catch((e) => {
        if (e.message !== 'rollback') throw e;
      });
    const r = await database.db.execute(`SELECT id FROM users WHERE email = 'agent-etat@demo.test'`);
    const token = (await createToken(database.db, systemActor('banc d’essai'), r.rows[0].id, 'banc d’essai')).token;
    const { principalFromApiToken } = await import(dist('modules/auth/sessions.repository.js'));
    log(`[${kind}] jeton : ${token.slice(0, 8)}… ${(await principalFromApiToken(database.db, token))?.role ?? 'INVALIDE'}`);
    const nimes = (await database.db.execute(`SELECT ST_XMin(geom) a, ST_YMin(geom) b, ST_XMax(geom) c, ST_YMax(geom) d FROM communes WHERE code_insee = '30189'`)).rows[0];
    await database.close();
    database = undefined;
    log(`[${kind}] ${count} gisements ; démarrage du serveur…`);

    const child = spawn(process.execPath, [join(root, 'dist/server/server/main.js')], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SESSION_SECRET: SECRET },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      await waitHealthy(port, child);
      const headers = { authorization: `Bearer ${token}` };
      const get = async (path) => {
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.toString().slice(0, 200)}`);
        return { ms: performance.now() - t0, body, type: res.headers.get('content-type') };
      };
      for (const b of boxes.slice(0, 20)) await get(`/api/v1/foncier/gisements?bbox=${b}`); // warm-up
      const bbox = [];
      const sizes = [];
      const features = [];
      let sample;
      // First pass: each area is requested for the first time by this server (cold caches for 180 of
      // the 200 areas); second pass: the same areas again (warm).
      for (const b of boxes) {
        const x = await get(`/api/v1/foncier/gisements?bbox=${b}`);
        bbox.push(x.ms);
        sizes.push(x.body.length);
        features.push((x.body.toString().match(/"type":"Feature"/g) ?? []).length);
        if (!sample || Math.abs(x.body.length - pct(sizes, 0.5)) < Math.abs(sample.body.length - pct(sizes, 0.5))) sample = x;
      }
      const bboxWarm = [];
      for (const b of boxes) bboxWarm.push((await get(`/api/v1/foncier/gisements?bbox=${b}`)).ms);
      const communeEntiere = [];
      for (let i = 0; i < 10; i++) communeEntiere.push((await get(`/api/v1/foncier/gisements?bbox=${nimes.a},${nimes.b},${nimes.c},${nimes.d}`)).ms);
      const synthEpci = [];
      const synthCommune = [];
      for (let i = 0; i < 5; i++) {
        synthEpci.push((await get('/api/v1/foncier/synthese?niveau=epci')).ms);
        synthCommune.push((await get('/api/v1/foncier/synthese?niveau=commune')).ms);
      }
      // Baseline (a): a bare Fastify route serving the median-sized response's bytes.
      const dir = mkdtempSync(join(tmpdir(), 'atelier-bench-body-'));
      writeFileSync(join(dir, 'body'), sample.body);
      const code = `const f=require('fastify')();const b=require('fs').readFileSync(process.argv[1]);f.get('/x',(q,r)=>r.header('content-type',${JSON.stringify(sample.type)}).send(b));f.listen({port:${port + 1},host:'127.0.0.1'}).then(()=>console.log('ready'))`;
      const base = spawn(process.execPath, ['-e', code, join(dir, 'body')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => base.stdout.once('data', resolve));
      const baseline = [];
      try {
        for (let i = 0; i < 220; i++) {
          const t0 = performance.now();
          await (await fetch(`http://127.0.0.1:${port + 1}/x`)).arrayBuffer();
          if (i >= 20) baseline.push(performance.now() - t0);
        }
      } finally {
        await stop(base);
        rmSync(dir, { recursive: true, force: true });
      }
      return {
        database: kind,
        data: { gisements: count, ...gen },
        bbox_commune_zoom_http: { ...stats(bbox), features_p50: pct(features, 0.5), features_max: Math.max(...features), bytes_p50: pct(sizes, 0.5) },
        bbox_commune_zoom_http_second_pass: stats(bboxWarm),
        baseline_same_bytes_http: { ...stats(baseline), bytes: sample.body.length },
        bbox_sql_indexed_inprocess: stats(sqlIndexed),
        baseline_sql_without_index_inprocess: stats(seq),
        bbox_whole_nimes_http_capped_10000: stats(communeEntiere),
        synthese_epci_http: stats(synthEpci),
        synthese_commune_http: stats(synthCommune),
      };
    } finally {
      await stop(child);
    }
  } finally {
    if (database) await database.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    await dropDb();
  }
}

export async function runFoncierBench({ n = 1_000_000, log = console.log, databases = ['postgres', 'embedded'], sizes = {} } = {}) {
  const results = [];
  for (const kind of databases) {
    const size = sizes[kind] ?? n;
    try {
      results.push(await benchOn(kind, { n: size, log }));
    } catch (err) {
      log(`[${kind}] échec : ${err.cause?.message ?? ''} ${err.stack ?? err.message}`);
      results.push({ database: kind, n: size, error: err.message });
    }
  }
  return results;
}

export function foncierMarkdown(results, machine) {
  const lines = [
    '# Atelier — land observatory benchmark',
    '',
    `${machine} · targets (issue 5): with 1,000,000 plots, bbox query at commune zoom p95 < 100 ms; département-wide synthesis < 1 s; on embedded and server PostgreSQL, beside a baseline.`,
    '',
    'Data: plots generated inside the real contours of the Gard’s communes (ST_GeneratePoints, in proportion to the commune’s area; ~30 × 45 m rectangles). Commune zoom: a 4 km × 2.5 km viewport around a point inside one of 200 communes, requested sequentially by the State agent (every plot of the département in scope). Times are wall-clock, from the bench process, one request at a time.',
    '',
    '| database | gisements | generation + GiST index (+ running totals) | bbox at commune zoom, first pass p50 | **p95** | p99 | second pass (same areas) p50 / **p95** | features per response (p50 / max) | bytes p50 | baseline: same bytes, bare Fastify, p95 | baseline: same SQL without the GiST index, p50 (in-process) | same SQL with index, p50 (in-process) | whole Nîmes extent (capped 10,000) p50 | **synthesis per EPCI** p50 / max | synthesis per commune p50 / max |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.error) {
      lines.push(`| ${r.database} | ${r.n} | échec : ${r.error} | | | | | | | | | | | | |`);
      continue;
    }
    const b = r.bbox_commune_zoom_http;
    const max = (s) => `${s.p50_ms} ms / ${s.p99_ms} ms`;
    lines.push(
      `| ${r.database} | ${r.data.gisements.toLocaleString('en')} | ${r.data.generation_s.toFixed(0)} s + ${r.data.gist_index_s.toFixed(0)} s (+ ${r.data.running_totals_s?.toFixed(1) ?? '?'} s totals) | ${b.p50_ms} ms | **${b.p95_ms} ms** | ${b.p99_ms} ms | ${r.bbox_commune_zoom_http_second_pass?.p50_ms ?? '—'} ms / **${r.bbox_commune_zoom_http_second_pass?.p95_ms ?? '—'} ms** | ${b.features_p50} / ${b.features_max} | ${b.bytes_p50} | ${r.baseline_same_bytes_http.p95_ms} ms | ${r.baseline_sql_without_index_inprocess.p50_ms} ms | ${r.bbox_sql_indexed_inprocess.p50_ms} ms | ${r.bbox_whole_nimes_http_capped_10000.p50_ms} ms | **${max(r.synthese_epci_http)}** | ${max(r.synthese_commune_http)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.env.BENCH_FONCIER_N ?? 1_000_000);
  const dbs = (process.env.BENCH_DATABASES ?? 'postgres,embedded').split(',');
  const results = await runFoncierBench({ n, databases: dbs });
  console.log(JSON.stringify(results, null, 2));
  const { default: os } = await import('node:os');
  const machine = `${new Date().toISOString()} · ${os.cpus()[0]?.model ?? 'cpu'} · ${os.cpus().length} cores · Node ${process.version}`;
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, `bench/results/foncier-${new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, 'bench/results/foncier-latest.md'), foncierMarkdown(results, machine));
}
