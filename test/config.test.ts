import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';

describe('configuration', () => {
  it('defaults to the embedded database, port 3000, the Gard, demo mode on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-config-'));
    try {
      const c = loadConfig({ ATELIER_DATA_DIR: dir });
      expect(c.port).toBe(3000);
      expect(c.database).toEqual({ kind: 'embedded', dataDir: dir });
      expect(c.departements).toEqual(['30']);
      expect(c.demo).toBe(true);
      // The session secret is generated once and kept in the data dir.
      expect(readFileSync(join(dir, 'session-secret'), 'utf8').trim()).toBe(c.sessionSecret);
      expect(loadConfig({ ATELIER_DATA_DIR: dir }).sessionSecret).toBe(c.sessionSecret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('requires SESSION_SECRET with DATABASE_URL, and keeps demo accounts off unless asked', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/SESSION_SECRET est obligatoire/);
    const secret = 's'.repeat(40);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x', SESSION_SECRET: secret }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x', SESSION_SECRET: secret, ATELIER_DEMO: '1' }).demo).toBe(true);
  });

  it('treats an empty variable as unset and reports invalid values in French', () => {
    expect(loadConfig({ DATABASE_URL: '', ATELIER_DATA_DIR: 'memory://', SESSION_SECRET: 's'.repeat(40) }).database.kind).toBe('embedded');
    expect(() => loadConfig({ PORT: 'abc', ATELIER_DATA_DIR: 'memory://', SESSION_SECRET: 's'.repeat(40) })).toThrow(/Configuration invalide/);
    expect(loadConfig({ ATELIER_DEPARTEMENTS: '30, 34', ATELIER_DATA_DIR: 'memory://', SESSION_SECRET: 's'.repeat(40) }).departements).toEqual(['30', '34']);
  });

  it('reads TRUST_PROXY as a number of hops or a list of proxy addresses, never "trust every hop"', () => {
    const base = { ATELIER_DATA_DIR: 'memory://', SESSION_SECRET: 's'.repeat(40) };
    const tp = (v?: string) => loadConfig({ ...base, ...(v !== undefined && { TRUST_PROXY: v }) }).trustProxy;
    expect(tp()).toBe(false);
    expect(tp('0')).toBe(false);
    expect(tp('1')).toBe(1);
    expect(tp('2')).toBe(2);
    // The older boolean form means one reverse proxy, not every hop.
    expect(tp('true')).toBe(1);
    expect(tp('10.0.0.5, 10.1.0.0/16,::1, loopback')).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'loopback']);
    expect(() => tp('10.0.0.0/33')).toThrow(/TRUST_PROXY : « 10.0.0.0\/33 »/);
    expect(() => tp('proxy.example.fr')).toThrow(/ni une adresse IP, ni un CIDR/);
    expect(() => tp('50')).toThrow(/10 au plus/);
  });
});
