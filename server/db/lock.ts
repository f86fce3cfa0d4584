/**
 * Exclusive lock on the embedded data dir. PGlite has no multi-process protection: two processes on
 * one data dir both start and one loses its writes silently (../shared/STACK.md). The lock file is
 * created with O_EXCL and holds the owner's pid and host; a lock left by a dead process on this host
 * is taken over.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  readonly ownerPid: number;
  constructor(
    readonly dataDir: string,
    readonly owner: LockContent,
  ) {
    super(
      `Le dossier de données ${dataDir} est déjà utilisé par un autre processus Atelier (${describeOwner(owner)}). ` +
        `Arrêtez-le, ou choisissez un autre dossier avec ATELIER_DATA_DIR.`,
    );
    this.ownerPid = owner.pid;
  }
}

export interface LockContent {
  pid: number;
  host: string;
  /** When the holder took the lock (ISO 8601). */
  since: string;
  /** The HTTP port of the platform holding the dir, once it listens. */
  port?: number;
}

/** "pid 123, démarré le 03/12/2026 à 15:40:00, port 3000" */
export function describeOwner(owner: LockContent): string {
  const d = new Date(owner.since);
  const since = Number.isNaN(d.getTime())
    ? owner.since
    : `${d.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })} à ${d.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' })}`;
  return [`pid ${owner.pid}`, owner.host !== hostname() ? `machine ${owner.host}` : null, `démarré le ${since}`, owner.port !== undefined ? `port ${owner.port}` : null]
    .filter(Boolean)
    .join(', ');
}

function readLock(file: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockContent;
  } catch {
    return undefined; // missing, or unreadable: a crash while writing it
  }
}

/** The live holder of the data dir's lock, if any (a lock left by a dead process is not one). */
export function lockOwner(dataDir: string): LockContent | undefined {
  const file = join(dataDir, 'atelier.lock');
  if (!existsSync(file)) return undefined;
  const owner = readLock(file);
  return owner && (owner.host !== hostname() || isAlive(owner.pid)) ? owner : undefined;
}

/** Adds facts to the lock this process holds (e.g. the port once the server listens). */
export function annotateLock(dataDir: string, extra: Pick<LockContent, 'port'>): void {
  const file = join(dataDir, 'atelier.lock');
  const owner = readLock(file);
  if (!owner || owner.pid !== process.pid || owner.host !== hostname()) return;
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ ...owner, ...extra }), { mode: 0o600 });
  renameSync(tmp, file);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws DataDirLockedError. Returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'atelier.lock');
  const content: LockContent = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(file); // unreadable: a crash while writing it; treat as stale
      if (owner && (owner.host !== hostname() || isAlive(owner.pid))) {
        throw new DataDirLockedError(dataDir, owner);
      }
      rmSync(file, { force: true }); // stale lock of a dead process: take it over
    }
  }
  throw new Error(`Impossible de verrouiller ${dataDir}`);
}
