/**
 * Scheduled backups: with ATELIER_BACKUP_DIR set, a backup a day into that folder, the newest
 * ATELIER_BACKUP_KEEP (default 7) kept. Checked every hour (and shortly after start), so a platform
 * restarted every night still backs up once a day. On the embedded database the data dir's lock
 * already makes this process the only runner; on a server PostgreSQL the instances take a session
 * advisory lock, and the newest file's age decides, so several instances write one backup a day.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { startPeriodic } from '../../lib/periodic.js';
import { ecrireSauvegarde, sauvegardeEmbarquee, sauvegarderPostgres } from './sauvegarde.service.js';

export interface ConfigSauvegardes {
  dir: string;
  keep: number;
}

const envSchema = z.object({
  ATELIER_BACKUP_DIR: z.string().optional(),
  ATELIER_BACKUP_KEEP: z.coerce.number().int().min(1, 'ATELIER_BACKUP_KEEP : au moins 1 sauvegarde à conserver.').default(7),
});

/** Reads ATELIER_BACKUP_DIR / ATELIER_BACKUP_KEEP; undefined when scheduled backups are off. */
export function configSauvegardes(env: NodeJS.ProcessEnv = process.env): ConfigSauvegardes | undefined {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) throw new Error(`Configuration invalide :\n${parsed.error.issues.map((i) => `- ${i.path.join('.')} : ${i.message}`).join('\n')}`);
  if (!parsed.data.ATELIER_BACKUP_DIR) return undefined;
  return { dir: resolve(parsed.data.ATELIER_BACKUP_DIR), keep: parsed.data.ATELIER_BACKUP_KEEP };
}

const NOM = /^atelier-\d{8}-\d{6}Z\.sauvegarde$/;
const DAY_MS = 24 * 3600_000;
/** Arbitrary constant shared by every instance: "Atelier scheduled backup". */
const BACKUP_LOCK_KEY = 7_302_031;

export function nomSauvegarde(now: Date): string {
  const s = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `atelier-${s}Z.sauvegarde`;
}

/** The scheduled backups of `dir`, newest first. */
export function sauvegardesDe(dir: string): { nom: string; mtimeMs: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  // Names carry the UTC time: their order is the order of the backups.
  return names.filter((n) => NOM.test(n)).sort().reverse().map((nom) => ({ nom, mtimeMs: statSync(join(dir, nom)).mtimeMs }));
}

/**
 * Writes today's backup when the newest one is a day old (or there is none), then keeps the newest
 * `keep`. Returns the file written, or null when none was due.
 */
export async function sauvegardeProgrammee(database: Database, cfg: ConfigSauvegardes, now = new Date()): Promise<string | null> {
  mkdirSync(cfg.dir, { recursive: true, mode: 0o700 });
  const run = async () => {
    const newest = sauvegardesDe(cfg.dir)[0];
    if (newest && now.getTime() - newest.mtimeMs < DAY_MS - 5 * 60_000) return null;
    const file = join(cfg.dir, nomSauvegarde(now));
    if (database.kind === 'embedded') ecrireSauvegarde(file, await sauvegardeEmbarquee(database));
    else await sauvegarderPostgres(connectionString(database), file);
    for (const old of sauvegardesDe(cfg.dir).slice(cfg.keep)) rmSync(join(cfg.dir, old.nom), { force: true });
    return file;
  };
  if (database.kind === 'embedded') return run();
  const client = await database.pool!.connect();
  try {
    const got = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [BACKUP_LOCK_KEY])).rows[0]?.ok;
    if (!got) return null;
    try {
      return await run();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [BACKUP_LOCK_KEY]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

function connectionString(database: Database): string {
  const options = (database.pool as unknown as { options: { connectionString?: string } }).options;
  if (!options.connectionString) throw new Error('server database without a connection string');
  return options.connectionString;
}

/** Runs the scheduled backup every hour in this process; returns the function that stops it. */
export function startBackupWorker(
  database: Database,
  cfg: ConfigSauvegardes,
  log: { warn(o: object, msg: string): void; info(o: object, msg: string): void },
  everyMs = 3_600_000,
  firstAfterMs = 30_000,
): () => Promise<void> {
  return startPeriodic({
    name: 'sauvegarde',
    failure: 'scheduled backup failed',
    firstAfterMs,
    everyMs,
    log,
    run: async () => {
      const file = await sauvegardeProgrammee(database, cfg);
      if (file) log.info({ file }, 'scheduled backup written');
    },
  });
}
