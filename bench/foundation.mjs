// The foundation suite: cold start to the first 200 on /healthz (embedded database, fresh and
// existing data dir), RSS of the server once ready and after the load, req/s and latency of
// GET /api/v1/communes?departement=30 and GET /healthz beside a bare Fastify baseline serving the same
// bytes in the same run, and the same load on the server PostgreSQL when one is reachable.
// Results: bench/results/foundation-<ISO date>.json and foundation-latest.md (see bench/README.md).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CONNECTIONS, DURATION, HEALTHZ_PATH, PG_DB, POLL_MS, QUIET_CORES, QUIET_WAIT_S, RUNS, WARMUP,
  build, fmtN, fmtS, httpGet, load, loadavg, machineInfo, makeTempDir, median, memoryMiB, outDir, postgresTarget,
  ratio, removeTempDir, root, round, serverMain, startProcess, stopProcess, embeddedEnv, table,
} from './lib/harness.mjs';

const baselineMain = join(root, 'bench/lib/baseline-server.mjs');
const COMMUNES_PATH = '/api/v1/communes?departement=30';

/** The first communes request (the per-instance cache is empty: a real database query), then checks. */
async function fetchCommunes(port, label) {
  const t0 = performance.now();
  const res = await httpGet(port, COMMUNES_PATH, 30_000);
  const firstMs = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${label}: GET ${COMMUNES_PATH} answered ${res.status}: ${res.body.toString().slice(0, 500)}`);
  const json = JSON.parse(res.body.toString('utf8'));
  const t1 = performance.now();
  await httpGet(port, COMMUNES_PATH, 30_000);
  const cachedMs = performance.now() - t1;
  return {
    body: res.body,
    contentType: res.headers['content-type'],
    info: {
      bytes: res.body.length,
      count: json.count,
      sha256: createHash('sha256').update(res.body).digest('hex'),
      firstRequestMs: round(firstMs, 1),
      secondRequestMs: round(cachedMs, 1),
    },
  };
}
async function coldStarts() {
  const fresh = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = makeTempDir('fresh');
    const s = await startProcess({ label: `fresh #${i + 1}`, script: serverMain, env: embeddedEnv(join(dir, 'data')), quiet: true });
    const stop = await stopProcess(s.child);
    removeTempDir(dir);
    console.log(`  fresh data dir #${i + 1}: ${(s.readyMs / 1000).toFixed(2)} s (CPU ${s.cpuToReadyS} s, other processes ${s.otherProcessesCores} cores, RSS ${s.rssReadyMiB} MiB, stop ${Math.round(stop.ms)} ms, exit ${stop.code ?? stop.signal})`);
    fresh.push({ readyMs: round(s.readyMs, 0), cpuToReadyS: s.cpuToReadyS, otherProcessesCores: s.otherProcessesCores, quietWait: s.quietWait, rssReadyMiB: s.rssReadyMiB, stopMs: round(stop.ms, 0), exit: stop.code ?? stop.signal });
  }

  // One data dir, created by a first (unmeasured) start, then restarted RUNS times.
  const dir = makeTempDir('existing');
  const dataDir = join(dir, 'data');
  const prep = await startProcess({ label: 'existing (creation)', script: serverMain, env: embeddedEnv(dataDir) });
  const prepStop = await stopProcess(prep.child);
  console.log(`  existing data dir, creation (not counted): ${(prep.readyMs / 1000).toFixed(2)} s`);
  const existing = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await startProcess({ label: `restart #${i + 1}`, script: serverMain, env: embeddedEnv(dataDir), quiet: true });
    const stop = await stopProcess(s.child);
    console.log(`  existing data dir, restart #${i + 1}: ${(s.readyMs / 1000).toFixed(2)} s (CPU ${s.cpuToReadyS} s, other processes ${s.otherProcessesCores} cores, RSS ${s.rssReadyMiB} MiB, stop ${Math.round(stop.ms)} ms, exit ${stop.code ?? stop.signal})`);
    existing.push({ readyMs: round(s.readyMs, 0), cpuToReadyS: s.cpuToReadyS, otherProcessesCores: s.otherProcessesCores, quietWait: s.quietWait, rssReadyMiB: s.rssReadyMiB, stopMs: round(stop.ms, 0), exit: stop.code ?? stop.signal });
  }
  return {
    fresh: { runs: fresh, medianMs: median(fresh.map((r) => r.readyMs)), medianCpuS: median(fresh.map((r) => r.cpuToReadyS)) },
    existing: {
      creationMs: round(prep.readyMs, 0),
      creationStopMs: round(prepStop.ms, 0),
      runs: existing,
      medianMs: median(existing.map((r) => r.readyMs)),
      medianCpuS: median(existing.map((r) => r.cpuToReadyS)),
    },
    dir,
    dataDir,
  };
}
// ---------------------------------------------------------------------------------------------
// Report.

const THROUGHPUT_HEAD = ['server', 'GET', 'req/s', 'p50', 'p95', 'p99', 'server CPU/req', 'req/s ÷ baseline', 'p95 ÷ baseline', 'CPU/req ÷ baseline', 'other processes'];

function throughputRows(r) {
  const rows = [];
  const add = (target, route, m, base) => {
    if (!m) return;
    const flag = m.non2xx || m.errors || m.timeouts ? ` ⚠ ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts` : '';
    rows.push([
      target,
      route + flag,
      fmtN(m.reqPerSec),
      fmtN(m.latencyMs.p50, ' ms'),
      fmtN(m.latencyMs.p95, ' ms'),
      fmtN(m.latencyMs.p99, ' ms'),
      fmtN(m.cpu.serverCpuUsPerRequest, ' µs'),
      base ? `**${fmtN(ratio(m.reqPerSec, base.reqPerSec))}**` : '—',
      base ? `**${fmtN(ratio(m.latencyMs.p95, base.latencyMs.p95))}**` : '—',
      base ? fmtN(ratio(m.cpu.serverCpuUsPerRequest, base.cpu.serverCpuUsPerRequest)) : '—',
      fmtN(m.cpu.otherProcessesCores, ' cores'),
    ]);
  };
  const b = r.baseline;
  add('Atelier, embedded (PGlite)', 'communes?departement=30', r.embedded.communes, b.communes);
  add('Atelier, server PostgreSQL', 'communes?departement=30', r.postgres?.communes, b.communes);
  add('baseline (bare Fastify)', 'communes?departement=30', b.communes, null);
  add('Atelier, embedded (PGlite)', 'healthz', r.embedded.healthz, b.healthz);
  add('Atelier, server PostgreSQL', 'healthz', r.postgres?.healthz, b.healthz);
  add('baseline (bare Fastify)', 'healthz', b.healthz, null);
  return rows;
}

function coldRow(label, runs) {
  const med = (k) => median(runs.map((x) => x[k]).filter((x) => x !== null && x !== undefined));
  return [label, `**${fmtS(med('readyMs'))}**`, runs.map((x) => fmtS(x.readyMs)).join(', '), fmtN(round(med('cpuToReadyS'), 2), ' s'), fmtN(med('otherProcessesCores'), ' cores'), fmtN(med('rssReadyMiB'), ' MiB')];
}

function quietSummary(r) {
  const waits = [
    ...r.coldStart.fresh.runs,
    ...r.coldStart.existing.runs,
    r.postgres,
    ...['embedded', 'baseline', 'postgres'].flatMap((k) => ['communes', 'healthz'].map((route) => r[k]?.[route])),
  ]
    .map((x) => x?.quietWait)
    .filter(Boolean);
  const notQuiet = waits.filter((w) => !w.quiet).length;
  const waited = waits.reduce((a, w) => a + w.waitedS, 0);
  return `${waits.length - notQuiet} of ${waits.length} measurements started on a quiet machine, ${round(waited, 0)} s spent waiting`;
}

/** Warnings when other processes competed for the CPU during the measurements. */
function noiseNotes(r) {
  const notes = [];
  const cores = r.machine.cores;
  const runs = [
    ...r.coldStart.fresh.runs.map((x, i) => [`cold start fresh #${i + 1}`, x.otherProcessesCores]),
    ...r.coldStart.existing.runs.map((x, i) => [`cold start existing #${i + 1}`, x.otherProcessesCores]),
    ...['embedded', 'baseline', 'postgres'].flatMap((k) => ['communes', 'healthz'].map((route) => [`${k} ${route}`, r[k]?.[route]?.cpu?.otherProcessesCores])),
  ].filter(([, v]) => v !== null && v !== undefined);
  const busy = runs.filter(([, v]) => v >= 0.2);
  if (busy.length) {
    notes.push(
      `⚠ **Noisy machine**: other processes used CPU during ${busy.length} of ${runs.length} measurements (${busy.map(([k, v]) => `${k} ${v}`).join(', ')} cores, of ${cores}). ` +
        'Wall-clock figures (start times, req/s, latencies) are then pessimistic and ratios less reliable; server CPU per request and CPU to ready are the least affected figures.',
    );
  }
  return notes;
}

function markdown(r) {
  const m = r.machine;
  const pgNote = r.postgres?.skipped ? `Server PostgreSQL: skipped (${r.postgres.skipped}).` : `Server PostgreSQL: ${r.postgres.version}, fresh database \`${PG_DB}\` (dropped afterwards).`;
  const parts = [
    `# Atelier — foundation benchmark`,
    '',
    `${m.date} · ${m.cpuModel} · ${m.cores} cores · ${m.memTotalMiB} MiB RAM · Node ${m.node} · ${m.platform} · commit ${m.gitCommit ?? '?'}${m.gitDirty ? ' (uncommitted changes)' : ''}`,
    `Load average (1/5/15 min) at start ${m.loadavgAtStart.join(' / ')}, at end ${r.loadavgAtEnd.join(' / ')}. Generated by \`npm run bench\` (bench/foundation.mjs); see bench/README.md.`,
    r.settings.quietWaitS > 0
      ? `Before each measurement the bench waited up to ${r.settings.quietWaitS} s for the machine to be quiet (< ${r.settings.quietCores} core busy); ${quietSummary(r)}.`
      : 'No waiting for a quiet machine (BENCH_QUIET_WAIT=0).',
    '',
    `## Cold start to the first 200 on /healthz (embedded database)`,
    '',
    table(
      ['data dir', 'median', 'runs', 'server CPU to ready (median)', 'other processes (median)', 'RSS when ready (median)'],
      [
        coldRow('fresh (new temp dir each run: create, migrate, load reference + demo data)', r.coldStart.fresh.runs),
        coldRow('existing (restarts on one dir)', r.coldStart.existing.runs),
        ...(r.postgres?.readyMs !== undefined ? [coldRow('server PostgreSQL, fresh database (1 run, for context; the database’s own CPU not counted)', [r.postgres])] : []),
      ],
    ),
    '',
    `Graceful stop after SIGTERM (median): ${fmtN(median([...r.coldStart.fresh.runs, ...r.coldStart.existing.runs].map((x) => x.stopMs)), ' ms')}.`,
    '',
    `## Memory of the server process (VmRSS)`,
    '',
    table(
      ['process', 'ready', 'after the load tests', 'peak (VmHWM)'],
      [
        ['Atelier, embedded (PGlite, in process)', fmtN(r.embedded.rssReadyMiB, ' MiB'), fmtN(r.embedded.rssAfterLoadMiB, ' MiB'), fmtN(r.embedded.peakRssMiB, ' MiB')],
        ...(r.postgres?.rssReadyMiB !== undefined ? [['Atelier, server PostgreSQL (DB in its own processes)', fmtN(r.postgres.rssReadyMiB, ' MiB'), fmtN(r.postgres.rssAfterLoadMiB, ' MiB'), fmtN(r.postgres.peakRssMiB, ' MiB')]] : []),
        ['baseline (bare Fastify)', fmtN(r.baseline.rssReadyMiB, ' MiB'), fmtN(r.baseline.rssAfterLoadMiB, ' MiB'), fmtN(r.baseline.peakRssMiB, ' MiB')],
      ],
    ),
    '',
    `## Throughput: autocannon, ${r.settings.connections} connections, ${r.settings.warmupS} s warm-up + ${r.settings.durationS} s measured, 127.0.0.1`,
    '',
    table(THROUGHPUT_HEAD, throughputRows(r)),
    '',
    `Communes body: ${fmtN(r.embedded.communesBody.bytes, ' bytes')}, ${r.embedded.communesBody.count} communes; first (uncached, database) request ${fmtN(r.embedded.communesBody.firstRequestMs, ' ms')} embedded` +
      (r.postgres?.communesBody ? `, ${fmtN(r.postgres.communesBody.firstRequestMs, ' ms')} on PostgreSQL (same bytes: ${r.postgres.communesBody.sha256 === r.embedded.communesBody.sha256 ? 'yes' : 'NO'})` : '') +
      '. Under load the answer comes from the per-instance 60 s cache.',
    '',
    `Response size on the wire (headers included): communes ${fmtN(r.embedded.communes.bytesPerResponse, ' B')} from Atelier, ${fmtN(r.baseline.communes.bytesPerResponse, ' B')} from the baseline; healthz ${fmtN(r.embedded.healthz.bytesPerResponse, ' B')} and ${fmtN(r.baseline.healthz.bytesPerResponse, ' B')} (Atelier adds security headers and x-request-id).`,
    '',
    pgNote,
    '',
    ...noiseNotes(r).flatMap((n) => [n, '']),
  ];
  return parts.join('\n');
}

function printSummary(r) {
  const rows = [
    ['cold start, fresh data dir (median)', `${fmtS(r.coldStart.fresh.medianMs)} (server CPU ${fmtN(r.coldStart.fresh.medianCpuS)} s)`],
    ['cold start, existing data dir (median)', `${fmtS(r.coldStart.existing.medianMs)} (server CPU ${fmtN(r.coldStart.existing.medianCpuS)} s)`],
    ['RSS embedded: ready / after load', `${fmtN(r.embedded.rssReadyMiB)} / ${fmtN(r.embedded.rssAfterLoadMiB)} MiB`],
  ];
  if (r.postgres?.rssReadyMiB !== undefined) rows.push(['RSS PostgreSQL mode: ready / after load', `${fmtN(r.postgres.rssReadyMiB)} / ${fmtN(r.postgres.rssAfterLoadMiB)} MiB`]);
  rows.push(['RSS baseline: ready / after load', `${fmtN(r.baseline.rssReadyMiB)} / ${fmtN(r.baseline.rssAfterLoadMiB)} MiB`]);
  const w = Math.max(...rows.map((x) => x[0].length));
  console.log('\n=== Summary ===');
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  console.log('');
  const head = ['server', 'GET', 'req/s', 'p50', 'p95', 'p99', 'CPU/req', 'req/s÷base', 'p95÷base', 'CPU÷base', 'others'];
  const body = throughputRows(r).map((row) => row.map((c) => String(c).replaceAll('*', '')));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((n) => '-'.repeat(n)).join('  '));
  for (const row of body) console.log(line(row));
  if (r.postgres?.skipped) console.log(`\nServer PostgreSQL skipped: ${r.postgres.skipped}`);
  for (const n of noiseNotes(r)) console.log(`\n${n.replaceAll('**', '')}`);
}

// ---------------------------------------------------------------------------------------------

/** Runs the foundation suite and writes its results. */
export async function runFoundationBench() {
  const started = Date.now();
  const builtWeb = build();
  const results = {
    benchmark: 'foundation',
    machine: machineInfo(),
    settings: { coldStartRuns: RUNS, connections: CONNECTIONS, warmupS: WARMUP, durationS: DURATION, pollMs: POLL_MS, route: COMMUNES_PATH, quietWaitS: QUIET_WAIT_S, quietCores: QUIET_CORES },
    build: builtWeb,
  };
  const m = results.machine;
  console.log(`${m.cpuModel}, ${m.cores} cores, Node ${m.node}, load average ${m.loadavgAtStart.join(' / ')}`);

  console.log(`\n1. Cold start (embedded), ${RUNS} runs each`);
  const cs = await coldStarts();
  results.coldStart = { fresh: cs.fresh, existing: cs.existing };

  console.log('\n2–3. Embedded server (existing data dir) and baseline under load, measured alternately');
  const emb = await startProcess({ label: 'embedded', script: serverMain, env: embeddedEnv(cs.dataDir) });
  const communes = await fetchCommunes(emb.port, 'embedded');
  const healthzBody = (await httpGet(emb.port, HEALTHZ_PATH)).body.toString('utf8');
  const bodyDir = makeTempDir('body');
  const bodyFile = join(bodyDir, 'communes.json');
  writeFileSync(bodyFile, communes.body);
  const base = await startProcess({
    label: 'baseline',
    script: baselineMain,
    env: { ...process.env, BODY_FILE: bodyFile, CONTENT_TYPE: communes.contentType, HEALTHZ_BODY: healthzBody },
  });
  const check = await httpGet(base.port, COMMUNES_PATH);
  if (!check.body.equals(communes.body) || check.headers['content-type'] !== communes.contentType) {
    throw new Error('baseline: not the same bytes or content-type as the real server');
  }
  results.embedded = { readyMs: round(emb.readyMs, 0), rssReadyMiB: emb.rssReadyMiB, communesBody: communes.info };
  results.baseline = { readyMs: round(base.readyMs, 0), rssReadyMiB: base.rssReadyMiB };
  // Real and baseline back to back on each route, so that both see the same machine.
  results.embedded.communes = await load(emb, COMMUNES_PATH, 'embedded communes');
  results.baseline.communes = await load(base, COMMUNES_PATH, 'baseline communes');
  results.embedded.healthz = await load(emb, HEALTHZ_PATH, 'embedded healthz');
  results.baseline.healthz = await load(base, HEALTHZ_PATH, 'baseline healthz');
  for (const [key, srv] of [['embedded', emb], ['baseline', base]]) {
    const mem = memoryMiB(srv.pid);
    results[key].rssAfterLoadMiB = mem.rss;
    results[key].peakRssMiB = mem.peak;
    results[key].stop = await stopProcess(srv.child);
  }
  removeTempDir(cs.dir);

  console.log('\n4. Server PostgreSQL');
  const target = await postgresTarget();
  if (target.skipped) {
    console.log(`  skipped: ${target.skipped}`);
    results.postgres = { skipped: target.skipped };
  } else {
    console.log(`  ${target.version}${target.shown ? `, database ${target.shown}` : ''}`);
    const env = { ...process.env, DATABASE_URL: target.url, SESSION_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
    if (target.demo) Object.assign(env, { ATELIER_DEMO: '1', ATELIER_DEMO_HISTOIRE: '0' });
    delete env.DATABASE_REPLICA_URLS;
    delete env.SMTP_URL;
    const pgs = await startProcess({ label: 'postgres', script: serverMain, env, quiet: true });
    console.log(`  first start on a ${target.fresh ? 'fresh' : 'given'} database: ${(pgs.readyMs / 1000).toFixed(2)} s`);
    const pgCommunes = await fetchCommunes(pgs.port, 'postgres');
    results.postgres = { version: target.version, freshDatabase: target.fresh, readyMs: round(pgs.readyMs, 0), quietWait: pgs.quietWait, rssReadyMiB: pgs.rssReadyMiB, communesBody: pgCommunes.info };
    results.postgres.communes = await load(pgs, COMMUNES_PATH, 'postgres communes');
    results.postgres.healthz = await load(pgs, HEALTHZ_PATH, 'postgres healthz');
    const mem = memoryMiB(pgs.pid);
    results.postgres.rssAfterLoadMiB = mem.rss;
    results.postgres.peakRssMiB = mem.peak;
    results.postgres.stop = await stopProcess(pgs.child);
  }

  results.loadavgAtEnd = loadavg();
  results.totalSeconds = Math.round((Date.now() - started) / 1000);

  mkdirSync(outDir, { recursive: true });
  const stamp = results.machine.date.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const jsonFile = join(outDir, `foundation-${stamp}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  const mdFile = join(outDir, 'foundation-latest.md');
  writeFileSync(mdFile, `${markdown(results)}\nRaw figures: [${relative(outDir, jsonFile)}](${relative(outDir, jsonFile)}).\n`);
  printSummary(results);
  console.log(`\nWritten: ${relative(root, jsonFile)}, ${relative(root, mdFile)} (${results.totalSeconds} s in all)`);
}
