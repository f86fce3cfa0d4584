/**
 * Exclusive lock on the embedded data dir. PGlite has no multi-process protection: two processes on
 * one data dir both start and one loses its writes silently (../shared/STACK.md). The lock file is
 * created with O_EXCL and holds the owner's pid and host; a lock left by a dead process on this host
 * is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `Le dossier de données ${dataDir} est déjà utilisé par un autre processus Atelier (pid ${ownerPid}). ` +
        `Arrêtez-le, ou choisissez un autre dossier avec ATELIER_DATA_DIR.`,
    );
  }
}

interface LockContent {
  pid: number;
  host: string;
  since: string;
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
      let owner: LockContent | undefined;
      try {
        owner = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
      } catch {
        owner = undefined; // unreadable: a crash while writing it; treat as stale
      }
      if (owner && (owner.host !== hostname() || isAlive(owner.pid))) {
        throw new DataDirLockedError(dataDir, owner.pid);
      }
      rmSync(file, { force: true }); // stale lock of a dead process: take it over
    }
  }
  throw new Error(`Impossible de verrouiller ${dataDir}`);
}
