// The bench harness: child processes (started, measured, always cleaned up), load generation with
// exact percentiles, CPU and memory readings, a quiet-machine wait, the server PostgreSQL target and
// the results writer. The suites (bench/*.mjs) use it; scripts/bench.mjs picks which suites run.
// Knobs (for quick trials only; published figures use the defaults): BENCH_RUNS, BENCH_DURATION,
// BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_QUIET_WAIT, BENCH_SKIP_PG=1, BENCH_DATABASES, BENCH_OUT_DIR.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const serverMain = join(root, 'dist/server/server/main.js');
export const outDir = process.env.BENCH_OUT_DIR ? resolve(process.env.BENCH_OUT_DIR) : join(root, 'bench/results');

export const int = (name, dflt) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
export const RUNS = int('BENCH_RUNS', 3);
export const DURATION = int('BENCH_DURATION', 10); // seconds measured
export const WARMUP = int('BENCH_WARMUP', 2); // seconds discarded before each measurement
export const CONNECTIONS = int('BENCH_CONNECTIONS', 10);
// Before each measurement, wait (at most this many seconds) for the machine to be quiet: other
// sessions/tests on a shared 2-core machine otherwise dominate the figures. 0 disables.
export const QUIET_WAIT_S = Number.isFinite(Number(process.env.BENCH_QUIET_WAIT)) && process.env.BENCH_QUIET_WAIT !== '' ? Number(process.env.BENCH_QUIET_WAIT) : 30;
export const QUIET_CORES = 0.3;
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
export const POLL_MS = 50;
export const HEALTHZ_PATH = '/healthz';
export const PG_DB = 'atelier_bench';

// ---------------------------------------------------------------------------------------------
// Cleanup: every child and temp dir is registered, and released on success, error or signal.

const children = new Set();
const tempDirs = new Set();
export const cleanups = []; // async, run once (e.g. drop the bench database)
let cleaning;

export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(os.tmpdir(), `atelier-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}
export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export async function cleanup() {
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

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? null : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const round = (x, digits = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
export const mib = (kb) => (kb === null ? null : round(kb / 1024, 1));

export function freePort() {
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
export function httpGet(port, path, timeoutMs = 5_000) {
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
export function memoryOf(pid) {
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

export const loadavg = () => os.loadavg().map((x) => round(x, 2));

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // rest[0] is field 3 (state)
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
export function machineBusySeconds() {
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
export async function waitForQuiet(label) {
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
export function cpuSnapshot(pid) {
  const own = process.cpuUsage();
  return { t: performance.now(), server: cpuSecondsOf(pid), bench: (own.user + own.system) / 1e6, machine: machineBusySeconds() };
}
export function cpuDelta(a, b, requests) {
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
export async function startProcess({ label, script, env, readyPath = HEALTHZ_PATH, quiet = false }) {
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
export async function stopProcess(child) {
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
export function embeddedEnv(dataDir) {
  const env = { ...process.env, ATELIER_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.DATABASE_REPLICA_URLS;
  delete env.SMTP_URL;
  return env;
}

// ---------------------------------------------------------------------------------------------
// Load.

export function cannon(opts) {
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

export const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);

/** Warm-up (discarded), then the measured run. Latencies from every response, percentiles exact. */
export async function load({ port, pid }, path, label) {
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


/** Memory figures of a running server, in MiB. */
export function memoryMiB(pid) {
  const m = memoryOf(pid);
  return { rss: mib(m.rssKb), peak: mib(m.hwmKb) };
}

// ---------------------------------------------------------------------------------------------
// Steps.

export function build() {
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

export function machineInfo() {
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


/** A PostgreSQL server to bench on: DATABASE_URL's, or the local one; null (with a note) if none. */
export async function postgresTarget() {
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
// Report helpers.

export const fmtS = (ms) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
export const fmtN = (x, unit = '') => (x === null || x === undefined ? '—' : `${x.toLocaleString('en-US')}${unit}`);
export const ratio = (a, b) => (a && b ? round(a / b, 2) : null);
export function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The databases a suite runs on: BENCH_DATABASES=postgres (or embedded) picks one; BENCH_SKIP_PG drops the server. */
export function suiteDatabases() {
  if (process.env.BENCH_DATABASES) return process.env.BENCH_DATABASES.split(',');
  return process.env.BENCH_SKIP_PG ? ['embedded'] : ['embedded', 'postgres'];
}

/**
 * Runs one suite of bench/<name>.mjs and writes its results: the raw JSON under a dated name and
 * `<name>-latest.md`, whose first line names the machine and its load when the suite started.
 */
export async function runSuite(name, run, markdown) {
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


/**
 * A bench database of `kind` ('embedded': in memory; 'postgres': a fresh database `name` on the
 * server of DATABASE_URL), opened with the built drivers `drivers` ({ openEmbedded, openPostgres }).
 * Returns it with `drop()`, which removes the server database (nothing to do in memory).
 */
export async function openBenchDatabase(kind, name, { openEmbedded, openPostgres }) {
  if (kind === 'embedded') return { database: await openEmbedded('memory://'), drop: async () => {} };
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.href, { poolSize: 10 });
  return {
    database,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
