/**
 * A real platform process for the tests that need one (crashes, several instances): `server/main.ts`
 * spawned on a data dir or a server database, reached over HTTP, signed in through the real login
 * route, stopped with a signal of the test's choice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../server/db/paths.js';
import { DEMO_PASSWORD } from '../server/modules/demo/demo.loader.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Processus {
  child: ChildProcess;
  base: string;
  logs(): string;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<number | string>;
}

/** Spawns the platform and waits for /healthz to answer 200. */
export async function demarrer(env: Record<string, string>, timeoutMs = 300_000): Promise<Processus> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'server', 'main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ATELIER_DEMO: '0',
      ATELIER_BACKUP_DIR: '',
      ATELIER_DEPARTEMENTS: '30',
      SESSION_SECRET: 'crash-et-instances-'.padEnd(48, 'x'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`la plateforme s’est arrêtée au démarrage : ${logs}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`la plateforme ne répond pas : ${logs}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { child, base, logs: () => logs, exited };
}

/** kill -9, and wait until the process is gone. */
export async function tuer(p: Processus): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

export async function arreter(p: Processus): Promise<number | string> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  return p.exited;
}

export interface ClientHttp {
  cookie: string;
  csrf: string;
  requete(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** Signs in through the real login route of a spawned platform. */
export async function connecter(base: string, email: string, password = DEMO_PASSWORD): Promise<ClientHttp> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`connexion de ${email} refusée : ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('atelier_session='))!;
  const csrf = ((await res.json()) as { csrf_token: string }).csrf_token;
  return {
    cookie,
    csrf,
    requete: (method, url, body, headers = {}) =>
      fetch(url.startsWith('http') ? url : `${base}${url}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrf,
          ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
      }),
  };
}

/** A private server database copied from the prepared template (DATABASE_URL runs only). */
export async function baseServeur(url: string, template: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `atelier_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.href,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}
