// `npm run bench`: the foundation benchmark of Atelier, in one run (a few minutes).
//
//   1. cold start to the first 200 on /healthz, embedded database, fresh and existing data dir;
//   2. RSS of the server process once ready and after the load tests;
//   3. req/s and latency of GET /api/v1/communes?departement=30 (and GET /healthz) under autocannon,
//      beside a bare Fastify baseline serving the same bytes, measured in the same run;
//   4. the same load on the server PostgreSQL when one is reachable.
//
// Results: bench/results/foundation-<ISO date>.json and bench/results/foundation-latest.md; then the
// operations register bench (bench/operations.mjs): bench/results/operations-*.json and operations-latest.md.
// BENCH_SUITES=foundation or BENCH_SUITES=operations runs one of the two.
// See bench/README.md for what the figures mean. Knobs (for quick trials only; published figures use
// the defaults): BENCH_RUNS, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_SKIP_PG=1,
// BENCH_OUT_DIR.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const serverMain = join(root, 'dist/server/server/main.js');
const baselineMain = join(root, 'bench/lib/baseline-server.mjs');
const outDir = process.env.BENCH_OUT_DIR ? resolve(process.env.BENCH_OUT_DIR) : join(root, 'bench/results');

const int = (name, dflt) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const RUNS = int('BENCH_RUNS', 3);
const DURATION = int('BENCH_DURATION', 10); // seconds measured
const WARMUP = int('BENCH_WARMUP', 2); // seconds discarded before each measurement
const CONNECTIONS = int('BENCH_CONNECTIONS', 10);
// Before each measurement, wait (at most this many seconds) for the machine to be quiet: other
// sessions/tests on a shared 2-core machine otherwise dominate the figures. 0 disables.
const QUIET_WAIT_S = Number.isFinite(Number(process.env.BENCH_QUIET_WAIT)) && process.env.BENCH_QUIET_WAIT !== '' ? Number(process.env.BENCH_QUIET_WAIT) : 30;
const QUIET_CORES = 0.3;
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
const COMMUNES_PATH = '/api/v1/communes?departement=30';
const HEALTHZ_PATH = '/healthz';
const PG_DB = 'atelier_bench';

// ---------------------------------------------------------------------------------------------
// Cleanup: every child and temp dir is registered, and released on success, error or signal.

const children = new Set();
const tempDirs = new Set();
const cleanups = []; // async, run once (e.g. drop the bench database)
let cleaning;

function makeTempDir(prefix) {
  const dir = mkdtempSync(join(os.tmpdir(), `atelier-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}
function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

async function cleanup() {
  cleaning ??= (async () => {
    await Promise.allSettled([...children].map((c) => stopProcess(c)));
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((err) => console.error(`cleanup: ${err.message}`));
    for (const dir of [...tempDirs]) removeTempDir(dir);
  })();
  return cleaning;
}

process.on('exit', () => {
  // Last resort (synchronous): nothing may outlive the bench.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping the servers and cleaning up…`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? null : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const mib = (kb) => (kb === null ? null : round(kb / 1024, 1));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One HTTP GET on a fresh connection (no keep-alive pool that could hold the server open). */
function httpGet(port, path, timeoutMs = 5_000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** VmRSS and VmHWM (peak) of a process, in kB, from /proc. */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) : null;
    };
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return { rssKb: null, hwmKb: null };
  }
}

const loadavg = () => os.loadavg().map((x) => round(x, 2));

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // rest[0] is field 3 (state)
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
function machineBusySeconds() {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
    return (user + nice + system + irq + softirq + steal) / CLK_TCK;
  } catch {
    return null;
  }
}

/**
 * Waits until the whole machine uses less than QUIET_CORES cores over one second (our idle servers
 * included), for at most QUIET_WAIT_S seconds. Returns how long it waited and the last busy figure.
 */
async function waitForQuiet(label) {
  if (QUIET_WAIT_S <= 0) return null;
  const t0 = performance.now();
  let announced = false;
  for (;;) {
    const m0 = machineBusySeconds();
    const s0 = performance.now();
    await sleep(1_000);
    const m1 = machineBusySeconds();
    if (m0 === null || m1 === null) return null;
    const busy = (m1 - m0) / ((performance.now() - s0) / 1000);
    const waited = (performance.now() - t0) / 1000;
    if (busy < QUIET_CORES || waited >= QUIET_WAIT_S) {
      if (announced) process.stdout.write(busy < QUIET_CORES ? `quiet after ${waited.toFixed(0)} s.\n` : `still ${busy.toFixed(1)} cores busy after ${waited.toFixed(0)} s: measuring anyway.\n`);
      return { waitedS: round(waited, 1), busyCores: round(busy, 2), quiet: busy < QUIET_CORES };
    }
    if (!announced) {
      process.stdout.write(`  ${label}: machine busy (${busy.toFixed(1)} cores used), waiting up to ${QUIET_WAIT_S} s… `);
      announced = true;
    }
  }
}

/**
 * Snapshot for measuring one load run: the server's CPU, this process's CPU (autocannon) and the
 * machine's, so that the CPU used by OTHER processes during the run (noise) can be reported.
 */
function cpuSnapshot(pid) {
  const own = process.cpuUsage();
  return { t: performance.now(), server: cpuSecondsOf(pid), bench: (own.user + own.system) / 1e6, machine: machineBusySeconds() };
}
function cpuDelta(a, b, requests) {
  const wall = (b.t - a.t) / 1000;
  const server = b.server !== null && a.server !== null ? b.server - a.server : null;
  const bench = b.bench - a.bench;
  const machine = b.machine !== null && a.machine !== null ? b.machine - a.machine : null;
  return {
    serverCores: server === null ? null : round(server / wall, 2),
    serverCpuUsPerRequest: server === null || !requests ? null : round((server / requests) * 1e6, 0),
    loadGeneratorCores: round(bench / wall, 2),
    otherProcessesCores: machine === null || server === null ? null : round(Math.max(0, (machine - server - bench) / wall), 2),
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes.

/**
 * Spawns a server and waits for its first 200 on `readyPath`, polled every 50 ms. Returns the child,
 * its port and the time from spawn to that first 200.
 */
async function startProcess({ label, script, env, readyPath = HEALTHZ_PATH, quiet = false }) {
  const quietWait = quiet ? await waitForQuiet(label) : null;
  const port = await freePort();
  const machine0 = machineBusySeconds();
  const bench0 = process.cpuUsage();
  const t0 = performance.now();
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.label = label;
  children.add(child);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.output = () => output;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited = exited;
  exited.then(() => children.delete(child));

  let early;
  exited.then((e) => (early = e));
  const deadline = t0 + START_TIMEOUT_MS;
  for (;;) {
    const attempt = performance.now();
    if (early) throw new Error(`${label}: the process exited before being ready (${JSON.stringify(early)}):\n${output}`);
    try {
      const res = await httpGet(port, readyPath, 1_000);
      if (res.status === 200) {
        const readyMs = performance.now() - t0;
        const cpuS = cpuSecondsOf(child.pid);
        const machine1 = machineBusySeconds();
        const bench1 = process.cpuUsage(bench0);
        const others = cpuS === null || machine0 === null ? null : (machine1 - machine0 - cpuS - (bench1.user + bench1.system) / 1e6) / (readyMs / 1000);
        return {
          child,
          port,
          readyMs,
          pid: child.pid,
          rssReadyMiB: mib(memoryOf(child.pid).rssKb),
          cpuToReadyS: round(cpuS, 2),
          quietWait,
          otherProcessesCores: others === null ? null : round(Math.max(0, others), 2),
        };
      }
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      await stopProcess(child);
      throw new Error(`${label}: no 200 on ${readyPath} within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await sleep(Math.max(0, POLL_MS - (performance.now() - attempt)));
  }
}

/** SIGTERM, wait for the exit (graceful shutdown releases the data-dir lock), SIGKILL after 30 s. */
async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return { ms: 0, code: child.exitCode, signal: child.signalCode };
  const t0 = performance.now();
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.error(`${child.label}: still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM, SIGKILL`);
    child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  return { ms: performance.now() - t0, code, signal };
}

/** The environment of an embedded-mode server: no inherited DATABASE_URL, quiet logs, localhost only. */
function embeddedEnv(dataDir) {
  const env = { ...process.env, ATELIER_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.DATABASE_REPLICA_URLS;
  delete env.SMTP_URL;
  return env;
}

// ---------------------------------------------------------------------------------------------
// Load.

function cannon(opts) {
  return new Promise((resolve, reject) => {
    const samples = [];
    let bytes = 0;
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve({ result, samples, bytes })));
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      samples.push(responseTime);
      bytes += resBytes;
    });
  });
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);

/** Warm-up (discarded), then the measured run. Latencies from every response, percentiles exact. */
async function load({ port, pid }, path, label) {
  const url = `http://127.0.0.1:${port}${path}`;
  const base = { url, connections: CONNECTIONS, pipelining: 1, timeout: 10 };
  const quietWait = await waitForQuiet(label);
  process.stdout.write(`  load ${label}: ${WARMUP} s warm-up + ${DURATION} s… `);
  await cannon({ ...base, duration: WARMUP });
  const loadBefore = loadavg();
  const cpu0 = cpuSnapshot(pid);
  const { result, samples, bytes } = await cannon({ ...base, duration: DURATION });
  const cpu = cpuDelta(cpu0, cpuSnapshot(pid), samples.length);
  const sorted = Float64Array.from(samples).sort();
  const seconds = result.duration || DURATION;
  const r = {
    url,
    connections: CONNECTIONS,
    durationS: round(seconds, 2),
    requests: samples.length,
    reqPerSec: round(samples.length / seconds, 0),
    autocannonReqPerSecMean: result.requests.average,
    latencyMs: {
      p50: round(percentile(sorted, 50), 2),
      p95: round(percentile(sorted, 95), 2),
      p99: round(percentile(sorted, 99), 2),
      max: round(sorted.length ? sorted[sorted.length - 1] : null, 2),
      mean: round(samples.reduce((a, b) => a + b, 0) / (samples.length || 1), 2),
    },
    bytesPerResponse: samples.length ? Math.round(bytes / samples.length) : null,
    mbPerSec: round(bytes / seconds / 1e6, 1),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpu,
    quietWait,
    loadavgBefore: loadBefore,
  };
  console.log(
    `${r.reqPerSec} req/s, p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms, ` +
      `server ${cpu.serverCpuUsPerRequest} µs CPU/req, other processes ${cpu.otherProcessesCores} cores` +
      (r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''),
  );
  return r;
}

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

/** Memory figures of a running server, in MiB. */
function memoryMiB(pid) {
  const m = memoryOf(pid);
  return { rss: mib(m.rssKb), peak: mib(m.hwmKb) };
}

// ---------------------------------------------------------------------------------------------
// Steps.

function build() {
  console.log('Build (scripts/build-if-needed.mjs)…');
  // buildIfNeeded() exits its process on failure: run it in a child so a failed web build can fall
  // back to the server build alone (the bench does not need the UI).
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', "import('./scripts/build-if-needed.mjs').then((m) => m.buildIfNeeded())"], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status === 0) return { web: true };
  console.warn('buildIfNeeded() failed; building the server only (npm run build:server).');
  const s = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit' });
  if (s.status !== 0) throw new Error('npm run build:server failed: nothing to measure.');
  return { web: false };
}

function machineInfo() {
  const cpus = os.cpus();
  const git = (args) => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    gitCommit: git(['rev-parse', '--short', 'HEAD']),
    gitDirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    loadavgAtStart: loadavg(),
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

/** A PostgreSQL server to bench on: DATABASE_URL's, or the local one; null (with a note) if none. */
async function postgresTarget() {
  if (process.env.BENCH_SKIP_PG === '1') return { skipped: 'BENCH_SKIP_PG=1' };
  const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const shown = adminUrl.replace(/\/\/[^@/]*@/, '//…@');
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `no PostgreSQL answers at ${shown} (${err.message})` };
  }
  try {
    const { rows } = await admin.query('SELECT version() AS v');
    const version = rows[0].v.split(',')[0];
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${PG_DB}`);
    } catch (err) {
      if (!process.env.DATABASE_URL) return { skipped: `cannot create database ${PG_DB} at ${shown} (${err.message})` };
      console.log(`  note: cannot create ${PG_DB} (${err.message}); benching on DATABASE_URL itself, without demo data.`);
      return { url: process.env.DATABASE_URL, version, fresh: false, demo: false };
    }
    const url = new URL(adminUrl);
    url.pathname = `/${PG_DB}`;
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    });
    return { url: url.toString(), shown: `${shown.replace(/\/[^/]*$/, '')}/${PG_DB}`, version, fresh: true, demo: true };
  } finally {
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

const fmtS = (ms) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const fmtN = (x, unit = '') => (x === null || x === undefined ? '—' : `${x.toLocaleString('en-US')}${unit}`);
const ratio = (a, b) => (a && b ? round(a / b, 2) : null);

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

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
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
    `Load average (1/5/15 min) at start ${m.loadavgAtStart.join(' / ')}, at end ${r.loadavgAtEnd.join(' / ')}. Generated by \`npm run bench\` (scripts/bench.mjs); see bench/README.md.`,
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

async function main() {
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
    if (target.demo) env.ATELIER_DEMO = '1';
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

/** The databases a suite runs on: BENCH_DATABASES=postgres (or embedded) picks one; BENCH_SKIP_PG drops the server. */
function suiteDatabases() {
  if (process.env.BENCH_DATABASES) return process.env.BENCH_DATABASES.split(',');
  return process.env.BENCH_SKIP_PG ? ['embedded'] : ['embedded', 'postgres'];
}

/**
 * Runs one suite of bench/<name>.mjs and writes its results: the raw JSON under a dated name and
 * `<name>-latest.md`, whose first line names the machine and its load when the suite started.
 */
async function runSuite(name, run, markdown) {
  const started = new Date();
  const machine = `${started.toISOString()} · ${os.cpus()[0]?.model ?? 'cpu'} · ${os.cpus().length} cores · Node ${process.version} · load average at start ${os.loadavg()[0].toFixed(1)}`;
  const results = await run({ databases: suiteDatabases(), log: (m) => console.log(m) });
  mkdirSync(outDir, { recursive: true });
  const stamp = started.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const jsonFile = join(outDir, `${name}-${stamp}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  const md = markdown(results, machine);
  writeFileSync(join(outDir, `${name}-latest.md`), `${md}\nRaw figures: [${relative(outDir, jsonFile)}](${relative(outDir, jsonFile)}).\n`);
  console.log(`\n${md}`);
}

/** The operations register bench (bench/operations.mjs): 100,000 operations, listing and import. */
async function operationsSuite() {
  const { runOperationsBench, operationsMarkdown } = await import('../bench/operations.mjs');
  await runSuite('operations', (o) => runOperationsBench(o), operationsMarkdown);
}

/** The aids search bench (bench/aides.mjs): 50,000 aids, embedded and server PostgreSQL, BM25 baseline. */
async function aidesSuite() {
  const { runAidesBench, aidesMarkdown } = await import('../bench/aides.mjs');
  await runSuite('aides', (o) => runAidesBench({ ...o, n: int('BENCH_AIDES', 50_000), rounds: int('BENCH_AIDES_ROUNDS', 30) }), aidesMarkdown);
}

/** The land observatory bench (bench/foncier.mjs): 1,000,000 generated plots, bbox and synthesis. */
async function foncierSuite() {
  const { runFoncierBench, foncierMarkdown } = await import('../bench/foncier.mjs');
  const sizes = process.env.BENCH_FONCIER_EMBEDDED_N ? { embedded: Number(process.env.BENCH_FONCIER_EMBEDDED_N) } : {};
  await runSuite('foncier', (o) => runFoncierBench({ ...o, n: Number(process.env.BENCH_FONCIER_N ?? 1_000_000), sizes }), foncierMarkdown);
}

const suites = (process.env.BENCH_SUITES ?? 'foundation,operations,aides,foncier').split(',');
try {
  if (suites.includes('foundation')) await main();
  await cleanup();
  if (suites.includes('operations')) await operationsSuite();
  if (suites.includes('aides')) await aidesSuite();
  if (suites.includes('foncier')) await foncierSuite();
} catch (err) {
  console.error(`\nBenchmark failed: ${err.stack ?? err}`);
  await cleanup();
  process.exitCode = 1;
}
