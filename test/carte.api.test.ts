/**
 * Basemaps (issue 12): what is configured is what the map offers, and the Content Security Policy
 * lists exactly the configured tile hosts — no more (a platform without basemaps fetches nothing
 * from elsewhere).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';
import { createTestApp, type TestContext } from './helpers.js';

let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

function directive(csp: string, name: string): string[] {
  return (csp.split(';').map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name) ?? []).slice(1);
}

describe('basemaps', { timeout: 180_000 }, () => {
  it('offers the IGN Géoplateforme by default (Plan IGN, orthophotos, cadastral parcels) and allows its host only', async () => {
    ctx = await createTestApp();
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/carte/fonds' });
    expect(res.statusCode).toBe(200);
    const { fonds } = res.json<{ fonds: { id: string; tiles: string[]; superposable: boolean; attribution: string }[] }>();
    expect(fonds.map((f) => f.id)).toEqual(['plan-ign', 'photographies', 'cadastre']);
    expect(fonds.find((f) => f.id === 'cadastre')!.superposable).toBe(true);
    for (const f of fonds) {
      expect(f.tiles[0]).toMatch(/^https:\/\/data\.geopf\.fr\/wmts\?.*TILEMATRIXSET=PM.*\{z\}.*\{y\}.*\{x\}/);
      expect(f.attribution).toContain('IGN');
    }
    const csp = String(res.headers['content-security-policy']);
    expect(directive(csp, 'img-src')).toContain('https://data.geopf.fr');
    expect(directive(csp, 'connect-src')).toEqual(["'self'", 'https://data.geopf.fr']);
    expect(directive(csp, 'script-src')).toEqual(["'self'"]);
  });

  it('offers none with MAP_FONDS=aucun, and the policy allows no other host', async () => {
    ctx = await createTestApp({ MAP_FONDS: 'aucun' });
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/carte/fonds' });
    expect(res.json()).toEqual({ fonds: [] });
    const csp = String(res.headers['content-security-policy']);
    expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('geopf');
  });

  it('puts a configured tile source first, with its attribution, and allows its origin (also on the embed page)', async () => {
    ctx = await createTestApp({ MAP_TILES_URL: 'https://tuiles.example.fr/plan/{z}/{x}/{y}.png', MAP_TILES_ATTRIBUTION: '© Exemple', MAP_TILES_LIBELLE: 'Plan local' });
    const { fonds } = (await ctx.app.inject({ method: 'GET', url: '/api/v1/carte/fonds' })).json<{ fonds: { id: string; libelle: string; attribution: string }[] }>();
    expect(fonds[0]).toMatchObject({ id: 'personnalise', libelle: 'Plan local', attribution: '© Exemple' });
    expect(fonds).toHaveLength(4);
    const embed = await ctx.app.inject({ method: 'GET', url: '/embed/logement-social/30189' });
    const csp = String(embed.headers['content-security-policy']);
    expect(directive(csp, 'connect-src')).toEqual(["'self'", 'https://tuiles.example.fr', 'https://data.geopf.fr']);
    expect(directive(csp, 'frame-ancestors')).toEqual(['*']);
  });

  it('refuses a tile URL without its placeholders or over plain http, in French', () => {
    const base = { SESSION_SECRET: 'x'.repeat(40), ATELIER_DATA_DIR: 'memory://' };
    expect(() => loadConfig({ ...base, MAP_TILES_URL: 'https://tuiles.example.fr/plan.png' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, MAP_TILES_URL: 'https://tuiles.example.fr/plan.png' })).toThrow(/MAP_TILES_URL doit contenir \{z\}, \{x\} et \{y\}/);
    expect(() => loadConfig({ ...base, MAP_TILES_URL: 'http://tuiles.example.fr/{z}/{x}/{y}.png' })).toThrow(/https/);
    expect(() => loadConfig({ ...base, MAP_FONDS: 'osm' })).toThrow(/MAP_FONDS/);
    expect(loadConfig({ ...base, MAP_TILES_URL: 'http://127.0.0.1:8088/{z}/{x}/{y}.png', MAP_FONDS: 'aucun' }).fondsCarte.map((f) => f.id)).toEqual(['personnalise']);
  });
});
