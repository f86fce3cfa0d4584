import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { carre, carreParis, multipart, noeudPapillon, wkt, type Carre } from './foncier.fixtures.js';
import { createTestApp, DEMO, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let etat: Client, commune: Client, bailleur: Client;

beforeAll(async () => {
  t = await createTestApp();
  [etat, commune, bailleur] = await signInMany(t.app, [DEMO.agentEtat, DEMO.commune, DEMO.bailleur]);
});
afterAll(() => t.close());

async function importer(c: Client, file: Buffer | string, filename: string, dryRun = false) {
  const m = multipart(Buffer.isBuffer(file) ? file : Buffer.from(file), filename);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/foncier/gisements/import${dryRun ? '?dry_run=true' : ''}`,
    payload: m.body,
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.contentType },
  });
}

const feature = (geometry: Carre, properties: Record<string, unknown>) => ({ type: 'Feature', geometry, properties });
const count = async (where = sql`TRUE`) => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM gisements WHERE ${where}`))[0]!.n;

describe('GeoJSON import, both projections', () => {
  it('WGS84: dry run writes nothing, then creates, then re-import updates (key: identifiant)', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        feature(await carre(t, '30189', 60, -500, 0), { identifiant: 'NIM-TEST-001', nom: 'Îlot Jean-Jaurès (test)', capacite_logements: 30, capacite_lls: 10, outils: ['oap'] }),
        feature(await carre(t, '30189', 40, 500, 0), { identifiant: 'NIM-TEST-002', nom: 'Ancienne caserne (test)', commune: '30189', capacite_logements: 80, capacite_lls: 30, statut: 'maitrise', outils: 'sms; zac', taux_sms: 30 }),
      ],
    };
    const avant = await count();
    const dry = await importer(etat, JSON.stringify(fc), 'gisements.geojson', true);
    expect(dry.statusCode, dry.body).toBe(200);
    // The published fields, and the common result of every importer (fields added).
    expect(dry.json()).toEqual({ created: 2, updated: 0, errors: [], dry_run: true, fichier: 'gisements.geojson', lignes: 2, creees: 2, mises_a_jour: 0, erreurs: [] });
    expect(await count()).toBe(avant);
    const res = await importer(etat, JSON.stringify(fc), 'gisements.geojson');
    expect(res.json()).toMatchObject({ created: 2, updated: 0, errors: [], dry_run: false });
    const [g] = await rows<{ commune_insee: string; outils: string[]; statut: string; taux_sms: string }>(t.database.db, sql`SELECT commune_insee, outils, statut, taux_sms::text FROM gisements WHERE identifiant = 'NIM-TEST-002'`);
    expect(g).toEqual({ commune_insee: '30189', outils: ['sms', 'zac'], statut: 'maitrise', taux_sms: '30.00' });
    fc.features[0]!.properties.capacite_logements = 35;
    const again = await importer(etat, JSON.stringify(fc), 'gisements.geojson');
    expect(again.json()).toMatchObject({ created: 0, updated: 2, errors: [], dry_run: false });
    expect(await count()).toBe(avant + 2);
    expect((await rows<{ c: number }>(t.database.db, sql`SELECT capacite_logements AS c FROM gisements WHERE identifiant = 'NIM-TEST-001'`))[0]!.c).toBe(35);
    const audit = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'gisement_import'`);
    expect(audit[0]!.n).toBe(2);
  });

  it('Lambert-93 with a crs member and without (detected from the ranges): reprojected into the right commune; re-import without identifiant updates by geometry', async () => {
    const l93 = await carre(t, '30189', 50, 0, 800, 2154);
    expect(l93.coordinates[0]![0]![0]).toBeGreaterThan(700_000);
    const withCrs = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } }, features: [feature(l93, { nom: 'Terrain nu L93 (test)', capacite_logements: 12 })] };
    const avant = await count();
    const res = await importer(etat, JSON.stringify(withCrs), 'l93.geojson');
    expect(res.json(), res.body).toMatchObject({ created: 1, updated: 0, errors: [], dry_run: false });
    const [g] = await rows<{ commune_insee: string; surface_m2: number; x: number }>(t.database.db, sql`SELECT commune_insee, surface_m2, ST_X(ST_Centroid(geom)) AS x FROM gisements WHERE nom = 'Terrain nu L93 (test)'`);
    expect(g!.commune_insee).toBe('30189');
    expect(Math.abs(g!.surface_m2 - 2500) / 2500).toBeLessThan(0.005);
    expect(g!.x).toBeGreaterThan(4);
    expect(g!.x).toBeLessThan(5);
    const noCrs = { type: 'FeatureCollection', features: [feature(l93, { nom: 'Terrain nu L93 (test)', capacite_logements: 14 })] };
    expect((await importer(etat, JSON.stringify(noCrs), 'l93-sans-crs.json')).json()).toMatchObject({ created: 0, updated: 1, errors: [], dry_run: false });
    expect(await count()).toBe(avant + 1);
    // The GeoJSON export (6 decimals, WGS84) re-imports as an update of the same plot.
    const exp = (await etat.get('/api/v1/foncier/gisements/export.geojson?commune=30189')).json();
    const mien = exp.features.find((f: { properties: { nom: string } }) => f.properties.nom === 'Terrain nu L93 (test)');
    mien.properties.capacite_logements = 16;
    expect((await importer(etat, JSON.stringify({ type: 'FeatureCollection', features: [mien] }), 'export.geojson')).json()).toMatchObject({ created: 0, updated: 1, errors: [], dry_run: false });
    expect(await count()).toBe(avant + 1);
  });

  it('lists every bad feature (index, property, reason) and imports nothing', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        feature(await carre(t, '30189', 30, 0, -800), { nom: 'Correct (test)' }),
        feature(await noeudPapillon(t, '30189'), { nom: 'Papillon (test)' }),
        feature(carreParis, { nom: 'Paris (test)' }),
        feature(await carre(t, '30189', 30, 0, -900), { nom: 'Outil inconnu (test)', outils: ['zzz'] }),
        feature(await carre(t, '30189', 30, 0, -1000), { capacite_logements: 'beaucoup' }),
        feature(await carre(t, '30189', 30, 0, -1100), { nom: 'Statut inconnu (test)', statut: 'vendu' }),
        { type: 'Feature', geometry: { type: 'Point', coordinates: [4.36, 43.84] }, properties: { nom: 'Point (test)' } },
      ],
    };
    const avant = await count();
    const res = await importer(etat, JSON.stringify(fc), 'erreurs.geojson');
    expect(res.statusCode).toBe(422);
    const { created, updated, errors } = res.json();
    expect({ created, updated }).toMatchObject({ created: 0, updated: 0 });
    const par = (i: number) => errors.filter((e: { feature: number }) => e.feature === i);
    // The common error fields: the feature's number (from 1), the property, the value; and a French summary.
    expect(res.json().erreurs).toEqual(errors);
    expect(par(4)).toContainEqual(expect.objectContaining({ ligne: 5, colonne: 'capacite_logements', valeur: 'beaucoup' }));
    expect(res.json()).toMatchObject({ error: 'donnees_invalides', message: expect.stringMatching(/^Import refusé : \d+ erreurs, aucun gisement n’est importé\. Entité 2, propriété « geometry »/) });
    expect(par(0)).toEqual([]);
    expect(par(1)[0]).toMatchObject({ propriete: 'geometry', message: expect.stringMatching(/auto-intersecté/) });
    expect(par(2)[0]).toMatchObject({ propriete: 'geometry', message: expect.stringMatching(/en dehors du département/) });
    expect(par(3)[0]).toMatchObject({ propriete: 'outils', message: expect.stringMatching(/Outil inconnu/) });
    expect(par(4).map((e: { propriete: string }) => e.propriete).sort()).toEqual(['capacite_logements', 'nom']);
    expect(par(5)[0]).toMatchObject({ propriete: 'statut', message: expect.stringMatching(/Statut inconnu/) });
    expect(par(6)[0]).toMatchObject({ propriete: 'geometry' });
    expect(await count()).toBe(avant);
  });

  it('a commune imports only on its territory; landlords cannot import; unreadable files are reported', async () => {
    const fc = { type: 'FeatureCollection', features: [feature(await carre(t, '30189', 30, 900, 900), { nom: 'Nîmes (test)' })] };
    const res = await importer(commune, JSON.stringify(fc), 'a.geojson');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].message).toMatch(/hors de votre territoire/);
    expect((await importer(bailleur, JSON.stringify(fc), 'a.geojson')).statusCode).toBe(403);
    const bad = await importer(etat, '{"type":', 'x.geojson');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].message).toMatch(/illisible/);
    const crs = await importer(etat, JSON.stringify({ ...fc, crs: { type: 'name', properties: { name: 'EPSG:27572' } } }), 'x.geojson');
    expect(crs.json().errors[0]).toMatchObject({ propriete: 'crs', message: expect.stringMatching(/non prise en charge/) });
  });
});

describe('csv and xlsx import', () => {
  it('csv with WKT (Lambert-93) and lon/lat + surface; idempotent', async () => {
    const l93 = await carre(t, '30060', 40, 0, -300, 2154);
    const [pt] = await rows<{ x: number; y: number }>(t.database.db, sql`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) p FROM communes WHERE code_insee = '30060') s`);
    const csv = [
      'identifiant;nom;wkt;longitude;latitude;surface_m2;capacite_logements;capacite_lls;statut;outils',
      `CAI-T-1;Dent creuse rue Haute (test);"${wkt(l93)}";;;;8;3;Étudié;oap`,
      `CAI-T-2;Parking de la gare (test);;${String(pt!.x).replace('.', ',')};${String(pt!.y).replace('.', ',')};900;15;5;;dpu,er`,
    ].join('\n');
    const avant = await count();
    const res = await importer(commune, csv, 'gisements.csv');
    expect(res.json(), res.body).toMatchObject({ created: 2, updated: 0, errors: [], dry_run: false });
    const r = await rows<{ identifiant: string; commune_insee: string; statut: string; surface_m2: number; source: string | null }>(
      t.database.db,
      sql`SELECT identifiant, commune_insee, statut, surface_m2, source FROM gisements WHERE identifiant IN ('CAI-T-1', 'CAI-T-2') ORDER BY identifiant`,
    );
    expect(r.map((g) => [g.identifiant, g.commune_insee, g.statut])).toEqual([['CAI-T-1', '30060', 'etudie'], ['CAI-T-2', '30060', 'identifie']]);
    expect(Math.abs(r[1]!.surface_m2 - 900) / 900).toBeLessThan(0.005);
    expect(r[1]!.source).toMatch(/emprise approchée/);
    expect((await importer(commune, csv, 'gisements.csv')).json()).toMatchObject({ created: 0, updated: 2, errors: [], dry_run: false });
    expect(await count()).toBe(avant + 2);
    const manque = await importer(commune, 'nom;longitude;latitude\nSans surface (test);4.3;43.8\n', 'x.csv');
    expect(manque.json().errors[0]).toMatchObject({ feature: 2, propriete: 'surface_m2' });
  });

  it('xlsx with WKT in WGS84', async () => {
    const g = await carre(t, '30060', 35, 300, -300);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Gisements');
    ws.addRow(['Identifiant', 'Nom', 'Géométrie', 'Capacité logements', 'Capacité LLS', 'Outils', 'Contraintes']);
    ws.addRow(['CAI-X-1', 'Friche artisanale (test)', wkt(g), 22, 7, 'sms', 'ppri']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await importer(commune, buf, 'gisements.xlsx');
    expect(res.json(), res.body).toMatchObject({ created: 1, updated: 0, errors: [], dry_run: false });
    const [r] = await rows<{ contraintes: string[]; capacite_lls: number }>(t.database.db, sql`SELECT contraintes, capacite_lls FROM gisements WHERE identifiant = 'CAI-X-1'`);
    expect(r).toEqual({ contraintes: ['ppri'], capacite_lls: 7 });
  });
});
