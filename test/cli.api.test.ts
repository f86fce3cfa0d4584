/**
 * The CLI beside a running platform (embedded database): a platform process is spawned on a temporary
 * data dir; unknown commands get the help and exit 2 without touching anything; help, status and
 * backup run beside it; the others name the process that holds the data dir. Then, the platform
 * stopped, restore refuses a non-empty dir and restores into an empty one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openEmbedded, rows } from '../server/db/client.js';
import { lockOwner } from '../server/db/lock.js';
import { projectRoot } from '../server/db/paths.js';
import { verifierFichier } from '../server/modules/sauvegarde/sauvegarde.format.js';

const work = mkdtempSync(join(tmpdir(), 'atelier-cli-'));
const dataDir = join(work, 'donnees');
let platform: ChildProcess | undefined;
let port = 0;
let logs = '';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'server', 'cli.ts'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: '', ATELIER_DATA_DIR: dataDir, ATELIER_BACKUP_DIR: '', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort().map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`);
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('npm run cli beside a running platform (embedded)', () => {
  beforeAll(async () => {
    // A prepared data dir (the test template), so the platform starts in seconds.
    const database = await openEmbedded(dataDir, { loadDataDir: new Blob([readFileSync(inject('embeddedDump'))]) });
    await database.close();
    platform = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'server', 'main.ts')], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: '', ATELIER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ATELIER_DEMO: '0', ATELIER_BACKUP_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    platform.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    platform.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    const deadline = Date.now() + 400_000;
    while (Date.now() < deadline) {
      if (platform.exitCode !== null) throw new Error(`platform exited: ${logs}`);
      const owner = lockOwner(dataDir);
      if (owner?.port && existsSync(join(dataDir, 'atelier.sock'))) {
        port = owner.port;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!port) throw new Error(`platform not ready: ${logs}`);
  }, 420_000);

  afterAll(async () => {
    if (platform && platform.exitCode === null) {
      platform.kill('SIGTERM');
      await new Promise((r) => platform!.once('exit', r));
    }
    rmSync(work, { recursive: true, force: true });
  });

  // Each CLI run compiles the server with tsx: minutes on a loaded 2-core machine.
  const SLOW = 400_000;

  it('an unknown command gets the help and exit code 2, and touches no data dir', () => {
    const before = listing(dataDir);
    const r = cli(['sauvgarde', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Commande inconnue « sauvgarde ».');
    expect(r.err).toContain('backup <fichier>');
    expect(listing(dataDir)).toEqual(before);
    // Not even created when it does not exist.
    const ailleurs = join(work, 'inexistant');
    expect(cli(['frobnicate'], { ATELIER_DATA_DIR: ailleurs }).code).toBe(2);
    expect(existsSync(ailleurs)).toBe(false);
    // An unknown option is a usage error too.
    const o = cli(['migrate', '--vite']);
    expect(o.code).toBe(2);
    expect(o.err).toMatch(/Option invalide pour « migrate »/);
  }, SLOW);

  it('help and status run beside the platform; status names it', () => {
    const h = cli(['help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('restore <fichier> [--force]');
    const s = cli(['status']);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toContain(`Plateforme en marche sur ${dataDir} (pid ${platform!.pid}, démarré le `);
    expect(s.out).toContain(`port ${port})`);
    expect(s.out).toMatch(/Base embarquée : \d+ migrations appliquées \(dernière : \d+_\w+\)/);
  }, SLOW);

  it('a command that needs the data dir alone says which process holds it and how to proceed (exit 3)', () => {
    const r = cli(['user:create', '--email', 'x@y.fr', '--nom', 'X', '--role', 'admin']);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`La commande « user:create » a besoin du dossier de données ${dataDir} pour elle seule, or la plateforme Atelier l’utilise (pid ${platform!.pid}, démarré le `);
    expect(r.err).toContain(`port ${port})`);
    expect(r.err).toContain(`kill -TERM ${platform!.pid}`);
    expect(r.err).toContain('npm run cli -- backup <fichier>');
  }, SLOW);

  it('backup writes a consistent snapshot while the platform runs and keeps answering', async () => {
    const file = join(work, 'en-marche.sauvegarde');
    const r = cli(['backup', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Sauvegarde écrite : .*en-marche\.sauvegarde \(base embarquée \d+/);
    const e = await verifierFichier(file);
    expect(e.base).toBe('embarquee');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  }, SLOW);

  it('the platform stopped: restore refuses the non-empty dir, restores into an empty one', async () => {
    platform!.kill('SIGTERM');
    const code = await new Promise((r) => platform!.once('exit', r));
    expect(code).toBe(0);
    expect(lockOwner(dataDir)).toBeUndefined();
    expect(existsSync(join(dataDir, 'atelier.sock'))).toBe(false);
    const file = join(work, 'en-marche.sauvegarde');
    const refus = cli(['restore', file]);
    expect(refus.code).toBe(1);
    expect(refus.err).toContain('contient déjà une base : restauration refusée. Relancez avec --force');
    const vide = join(work, 'restauree');
    const ok = cli(['restore', file], { ATELIER_DATA_DIR: vide });
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('Sauvegarde restaurée (base embarquée');
    const database = await openEmbedded(vide);
    try {
      const [n] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM users`);
      expect(n!.n).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  }, SLOW);
});
