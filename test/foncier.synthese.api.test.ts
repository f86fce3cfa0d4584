import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { carre } from './foncier.fixtures.js';
import { createTestApp, DEMO, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let etat: Client, epci: Client, commune: Client, bailleur: Client;
const ids: string[] = [];

// Hand-written set: commune, statut chain, capacities, tools. Caissargues (30060) and Nîmes (30189)
// are in Nîmes Métropole (243000643); Alès (30007) in Alès Agglomération.
const SET = [
  { c: '30060', cote: 50, dx: 0, statut: ['etudie'], cl: 20, lls: 8, outils: ['oap', 'sms'] },
  { c: '30060', cote: 40, dx: 200, statut: [], cl: 12, lls: 12, outils: ['er'] },
  { c: '30189', cote: 100, dx: 0, statut: ['etudie', 'maitrise', 'engage', 'livre'], cl: 60, lls: 25, outils: ['zac', 'sms'] },
  { c: '30189', cote: 30, dx: 300, statut: ['abandonne'], cl: 5, lls: 0, outils: [] },
  { c: '30007', cote: 70, dx: 0, statut: ['etudie', 'maitrise'], cl: 33, lls: 10, outils: ['dpu'] },
];

const surfaces = new Map<number, number>();

beforeAll(async () => {
  t = await createTestApp();
  [etat, epci, commune, bailleur] = await signInMany(t.app, [DEMO.agentEtat, DEMO.agentEpci, DEMO.commune, DEMO.bailleur]);
  // This file's copy of the database: start from no gisement (demo ones included) to check exact sums.
  await t.database.db.execute(sql`DELETE FROM gisements`);
  for (const [i, g] of SET.entries()) {
    const res = await etat.post('/api/v1/foncier/gisements', { nom: `Gisement ${i} (test)`, geometrie: await carre(t, g.c, g.cote, g.dx), capacite_logements: g.cl, capacite_lls: g.lls, outils: g.outils });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().commune.code_insee).toBe(g.c);
    surfaces.set(i, res.json().surface_m2);
    ids.push(res.json().id);
    for (const s of g.statut) expect((await etat.patch(`/api/v1/foncier/gisements/${res.json().id}`, { statut: s })).statusCode).toBe(200);
  }
});
afterAll(() => t.close());

const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(2);

describe('synthesis against hand-computed sums', () => {
  it('per commune', async () => {
    const s = (await etat.get('/api/v1/foncier/synthese?niveau=commune')).json();
    const byCode = Object.fromEntries(s.rows.map((r: { code: string }) => [r.code, r]));
    expect(Object.keys(byCode).sort()).toEqual(['30007', '30060', '30189']);
    expect(byCode['30060']).toMatchObject({ nom: 'Caissargues', nb_gisements: 2, capacite_logements: 32, capacite_lls: 20 });
    near(byCode['30060'].surface_m2, surfaces.get(0)! + surfaces.get(1)!);
    // ~2,500 + 1,600 m² (Lambert-93 squares; geodesic area within 0.5 %)
    expect(Math.abs(byCode['30060'].surface_m2 - 4100) / 4100).toBeLessThan(0.005);
    expect(byCode['30060'].par_statut).toMatchObject({ etudie: { nb_gisements: 1, capacite_logements: 20, capacite_lls: 8 }, identifie: { nb_gisements: 1, capacite_logements: 12, capacite_lls: 12 } });
    expect(byCode['30060'].par_outil).toMatchObject({ oap: { nb_gisements: 1, capacite_logements: 20 }, sms: { nb_gisements: 1, capacite_lls: 8 }, er: { nb_gisements: 1, capacite_logements: 12 } });
    expect(byCode['30189']).toMatchObject({ nom: 'Nîmes', nb_gisements: 2, capacite_logements: 65, capacite_lls: 25 });
    expect(byCode['30189'].par_statut).toMatchObject({ livre: { nb_gisements: 1, capacite_logements: 60 }, abandonne: { nb_gisements: 1, capacite_logements: 5 } });
    // PLH: 60 delivered on identified land, potential 60 (the abandoned 5 excluded) → 100 %.
    expect(byCode['30189'].plh).toEqual({ logements_livres: 60, potentiel_logements: 60, taux: 100 });
    expect(byCode['30060'].plh).toEqual({ logements_livres: 0, potentiel_logements: 32, taux: 0 });
    expect(s.total).toMatchObject({ nb_gisements: 5, capacite_logements: 130, capacite_lls: 55, plh: { logements_livres: 60, potentiel_logements: 125, taux: 48 } });
    expect(s.total.par_outil.sms).toMatchObject({ nb_gisements: 2, capacite_logements: 80, capacite_lls: 33 });
  });

  it('per EPCI, and scoped: the EPCI sees its own, the commune its own', async () => {
    const s = (await etat.get('/api/v1/foncier/synthese?niveau=epci')).json();
    const byCode = Object.fromEntries(s.rows.map((r: { code: string }) => [r.code, r]));
    expect(byCode['243000643']).toMatchObject({ nb_gisements: 4, capacite_logements: 97, capacite_lls: 45 });
    near(byCode['243000643'].surface_m2, [0, 1, 2, 3].reduce((a, i) => a + surfaces.get(i)!, 0));
    const ales = (await rows<{ epci_siren: string }>(t.database.db, sql`SELECT epci_siren FROM communes WHERE code_insee = '30007'`))[0]!.epci_siren;
    expect(byCode[ales]).toMatchObject({ nb_gisements: 1, capacite_logements: 33, capacite_lls: 10, par_statut: { maitrise: { nb_gisements: 1 } }, par_outil: { dpu: { nb_gisements: 1 } } });
    expect((await epci.get('/api/v1/foncier/synthese?niveau=epci')).json().rows.map((r: { code: string }) => r.code)).toEqual(['243000643']);
    const c = (await commune.get('/api/v1/foncier/synthese?niveau=commune')).json();
    expect(c.rows.map((r: { code: string }) => r.code)).toEqual(['30060']);
    expect(c.total.capacite_logements).toBe(32);
    expect((await etat.get('/api/v1/foncier/synthese?niveau=region')).statusCode).toBe(400);
  });

  it('exports the synthesis in csv and xlsx, and the gisements in GeoJSON', async () => {
    const csv = await etat.get('/api/v1/foncier/synthese/export.csv?niveau=commune');
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Code;Nom;Gisements;Surface \(m²\);Capacité \(logements\)/);
    expect(lines.find((l) => l.startsWith('30060;Caissargues;2;'))).toBeTruthy();
    expect(lines.at(-1)).toMatch(/^;Total;5;\d+;130;55;/);
    const xlsx = await etat.get('/api/v1/foncier/synthese/export.xlsx?niveau=epci');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const total = ws.getRow(ws.actualRowCount).values as unknown[];
    expect(total.slice(2, 7)).toEqual(['Total', 5, expect.any(Number), 130, 55]);
    const gj = (await etat.get('/api/v1/foncier/gisements/export.geojson')).json();
    expect(gj.features).toHaveLength(5);
    expect(gj.features[0].properties).toHaveProperty('statut');
  });

  it('running totals follow updates, moves and deletions; landlords get the shared ones only', async () => {
    // Gisement 1 (Caissargues, 12/12, er) is shared with landlords; gisement 0 moves to Nîmes; gisement 3 is deleted.
    expect((await etat.patch(`/api/v1/foncier/gisements/${ids[1]}`, { visibilite: 'partage', capacite_logements: 15 })).statusCode).toBe(200);
    expect((await etat.patch(`/api/v1/foncier/gisements/${ids[0]}`, { geometrie: await carre(t, '30189', 50, -600, 0) })).statusCode).toBe(200);
    expect((await etat.delete(`/api/v1/foncier/gisements/${ids[3]}`)).statusCode).toBe(204);
    const s = (await etat.get('/api/v1/foncier/synthese?niveau=commune')).json();
    const byCode = Object.fromEntries(s.rows.map((r: { code: string }) => [r.code, r]));
    expect(byCode['30060']).toMatchObject({ nb_gisements: 1, capacite_logements: 15, capacite_lls: 12 });
    expect(byCode['30189']).toMatchObject({ nb_gisements: 2, capacite_logements: 80, capacite_lls: 33 });
    expect(byCode['30189'].par_statut.abandonne).toBeUndefined();
    expect(s.total).toMatchObject({ nb_gisements: 4, capacite_logements: 128, capacite_lls: 55 });
    // The running totals equal a direct computation over the table.
    const [direct] = await rows<{ n: number; cl: number; s: number }>(t.database.db, sql`SELECT count(*)::int AS n, sum(capacite_logements)::int AS cl, sum(surface_m2)::float8 AS s FROM gisements`);
    const [agr] = await rows<{ n: number; cl: number; s: number }>(t.database.db, sql`SELECT sum(nb)::int AS n, sum(capacite_logements)::int AS cl, sum(surface_m2)::float8 AS s FROM gisements_agregats`);
    expect(agr!.n).toBe(direct!.n);
    expect(agr!.cl).toBe(direct!.cl);
    expect(Math.abs(agr!.s - direct!.s)).toBeLessThan(0.01);
    const b = (await bailleur.get('/api/v1/foncier/synthese?niveau=commune')).json();
    expect(b.rows.map((r: { code: string }) => r.code)).toEqual(['30060']);
    expect(b.total).toMatchObject({ nb_gisements: 1, capacite_logements: 15 });
    const anonyme = (await t.app.inject({ method: 'GET', url: '/api/v1/foncier/synthese?niveau=epci' })).json();
    expect(anonyme.total.nb_gisements).toBe(0);
  });
});
