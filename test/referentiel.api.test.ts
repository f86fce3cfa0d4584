import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('reference territory (public)', () => {
  it('lists the 350 communes of the Gard with population and EPCI', async () => {
    const res = await t.app.inject('/api/v1/communes?departement=30');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(350);
    expect(body.results).toHaveLength(350);
    const nimes = body.results.find((c: { code_insee: string }) => c.code_insee === '30189');
    expect(nimes).toMatchObject({ nom: 'Nîmes', epci: { siren: '243000643' } });
    expect(nimes.population).toBeGreaterThan(100_000);
    // The COG 2026 merges are applied: Mars (30157) became part of Bréau-Mars (30052).
    expect(body.results.some((c: { code_insee: string }) => c.code_insee === '30157')).toBe(false);
    expect(body.results.some((c: { code_insee: string }) => c.code_insee === '30052')).toBe(true);
  });

  it('lists the 17 EPCI with their member communes, which partition the département', async () => {
    const res = await t.app.inject('/api/v1/epci?departement=30');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ count: number; results: { siren: string; nom: string; type: string; communes: string[] }[] }>();
    expect(body.count).toBe(17);
    const all = body.results.flatMap((e) => e.communes);
    expect(all).toHaveLength(350);
    expect(new Set(all).size).toBe(350);
    const nimes = body.results.find((e) => e.siren === '243000643')!;
    expect(nimes.type).toBe('CA');
    expect(nimes.communes).toContain('30060'); // Caissargues
    expect(nimes.communes).toHaveLength(39);
  });

  it('filters communes by EPCI and by accent-insensitive name', async () => {
    const byEpci = (await t.app.inject('/api/v1/communes?epci=243000643')).json();
    expect(byEpci.count).toBe(39);
    const byName = (await t.app.inject(`/api/v1/communes?q=${encodeURIComponent('nimes')}`)).json();
    expect(byName.results.map((c: { code_insee: string }) => c.code_insee)).toContain('30189');
  });

  it('returns a commune sheet, 404 for an unknown commune, 400 for a malformed code', async () => {
    expect((await t.app.inject('/api/v1/communes/30060')).json()).toMatchObject({ nom: 'Caissargues', epci: { siren: '243000643' } });
    const outside = await t.app.inject('/api/v1/communes/75056'); // Paris: not served here
    expect(outside.statusCode).toBe(404);
    expect(outside.json().message).toMatch(/75056/);
    const bad = await t.app.inject('/api/v1/communes/3018');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/Code INSEE invalide/);
  });

  it('returns an EPCI sheet and 404 outside the served départements', async () => {
    expect((await t.app.inject('/api/v1/epci/243000643')).json()).toMatchObject({ nom: 'CA de Nîmes Métropole' });
    expect((await t.app.inject('/api/v1/epci/200054781')).statusCode).toBe(404); // Métropole du Grand Paris
    expect((await t.app.inject('/api/v1/epci?departement=ZZ')).statusCode).toBe(400);
  });

  it('serves contours as GeoJSON, each commune coloured by its EPCI', async () => {
    const res = await t.app.inject('/api/v1/geo/communes?departement=30');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/geo\+json/);
    const fc = res.json<{ features: { geometry: { type: string }; properties: Record<string, string> }[] }>();
    expect(fc.features).toHaveLength(350);
    expect(fc.features[0]!.geometry.type).toBe('MultiPolygon');
    const colourOf = new Map<string, Set<string>>();
    for (const f of fc.features) {
      const set = colourOf.get(f.properties.epci_siren!) ?? new Set();
      set.add(f.properties.couleur!);
      colourOf.set(f.properties.epci_siren!, set);
    }
    expect(colourOf.size).toBe(17);
    for (const colours of colourOf.values()) expect(colours.size).toBe(1);
    const epci = (await t.app.inject('/api/v1/geo/epci?departement=30')).json<{ features: unknown[] }>();
    expect(epci.features).toHaveLength(17);
  });

  it('answers the health check with the database kind', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'embedded' });
  });

  it('documents the API as OpenAPI', async () => {
    const res = await t.app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const spec = res.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/communes', '/api/v1/epci', '/api/v1/auth/login', '/api/v1/me']));
  });
});
