import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './lock.js';

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'atelier-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('data dir lock', () => {
  it('refuses a second holder with a clear French message, and frees the dir on release', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/déjà utilisé par un autre processus Atelier/);
    release();
    expect(existsSync(join(dir, 'atelier.lock'))).toBe(false);
    lockDataDir(dir)();
  });

  it('takes over the lock left by a dead process', () => {
    const dir = freshDir();
    // A pid that has exited: spawn a process and wait for it.
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(join(dir, 'atelier.lock'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString() }));
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, 'atelier.lock'), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('respects a lock held by a live process', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'atelier.lock'), JSON.stringify({ pid: process.ppid, host: hostname(), since: new Date().toISOString() }));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
  });
});
