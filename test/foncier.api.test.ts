import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { carre, carreParis, noeudPapillon, type Carre } from './foncier.fixtures.js';
import { createTestApp, DEMO, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let commune: Client, epci: Client, etat: Client, bailleur: Client, bailleur2: Client, epf: Client, financeur: Client, admin: Client;
const anonyme = (url: string) => t.app.inject({ method: 'GET', url });
let orgBailleur: string;

beforeAll(async () => {
  t = await createTestApp();
  [commune, epci, etat, bailleur, bailleur2, epf, financeur, admin] = await signInMany(t.app, [
    DEMO.commune, DEMO.agentEpci, DEMO.agentEtat, DEMO.bailleur, DEMO.bailleur2, DEMO.epf, DEMO.financeur, DEMO.admin,
  ]);
  orgBailleur = (await rows<{ id: string }>(t.database.db, sql`SELECT organisation_id AS id FROM users WHERE email = ${DEMO.bailleur}`))[0]!.id;
});
afterAll(() => t.close());

const gisement = (geometrie: Carre, over: Record<string, unknown> = {}) => ({
  nom: 'Friche de l’avenue (test)',
  geometrie,
  capacite_logements: 40,
  capacite_lls: 14,
  outils: ['oap', 'sms'],
  taux_sms: 35,
  usage_actuel: 'friche',
  proprietaire: 'commune',
  references_cadastrales: ['30060000AB0123'],
  ...over,
});

describe('gisements: placement and scope', () => {
  let id: string;
  let geom: Carre;
  let idAles: string;

  beforeAll(async () => {
    geom = await carre(t, '30060', 80);
    const res = await commune.post('/api/v1/foncier/gisements', gisement(geom));
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().id;
  });

  it('a commune creates a gisement on its territory; commune, EPCI, département and area come from the geometry', async () => {
    const g = (await commune.get(`/api/v1/foncier/gisements/${id}`)).json();
    expect(g).toMatchObject({
      commune: { code_insee: '30060', nom: 'Caissargues' },
      epci: { siren: '243000643' },
      departement: '30',
      statut: 'identifie',
      outils: ['oap', 'sms'],
      taux_sms: 35,
      visibilite: 'prive',
      policies: { modifier: true, supprimer: true, portage: false },
    });
    // 80 m × 80 m in Lambert-93 = 6,400 m² (the geodesic area differs by the projection's scale factor, < 0.2 % here).
    expect(Math.abs(g.surface_m2 - 6400) / 6400).toBeLessThan(0.005);
    expect(g.geometrie.type).toBe('MultiPolygon');
  });

  it('a commune cannot create outside its territory (422); the EPCI and the State can', async () => {
    const nimes = await carre(t, '30189', 60);
    const res = await commune.post('/api/v1/foncier/gisements', gisement(nimes, { references_cadastrales: [] }));
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/hors de votre territoire/);
    expect((await epci.post('/api/v1/foncier/gisements', gisement(nimes, { references_cadastrales: [] }))).statusCode).toBe(201);
    const ales = await carre(t, '30007', 60);
    expect((await epci.post('/api/v1/foncier/gisements', gisement(ales, { references_cadastrales: [] }))).statusCode).toBe(422);
    const res2 = await etat.post('/api/v1/foncier/gisements', gisement(ales, { references_cadastrales: [] }));
    expect(res2.statusCode).toBe(201);
    expect(res2.json().commune.code_insee).toBe('30007');
    idAles = res2.json().id;
  });

  it('reads: territory for collectivities, the State and the EPF; 404 for others until linked, shared or public', async () => {
    for (const c of [commune, epci, etat, epf, admin]) expect((await c.get(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(200);
    for (const c of [bailleur, bailleur2, financeur]) expect((await c.get(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(404);
    expect((await anonyme(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(404);

    expect((await commune.patch(`/api/v1/foncier/gisements/${id}`, { organisations: [orgBailleur] })).statusCode).toBe(200);
    expect((await bailleur.get(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(200);
    expect((await bailleur2.get(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(404);

    expect((await commune.patch(`/api/v1/foncier/gisements/${id}`, { visibilite: 'partage' })).statusCode).toBe(200);
    expect((await bailleur2.get(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(200);
    expect((await anonyme(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(404);

    expect((await commune.patch(`/api/v1/foncier/gisements/${id}`, { visibilite: 'public' })).statusCode).toBe(200);
    expect((await anonyme(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(200);
    expect((await financeur.get(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(200);
    const fc = (await anonyme('/api/v1/foncier/gisements')).json();
    expect(fc.features.map((f: { id: string }) => f.id)).toContain(id);
    expect((await commune.patch(`/api/v1/foncier/gisements/${id}`, { visibilite: 'prive', organisations: [] })).statusCode).toBe(200);
    expect((await anonyme(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(404);
    expect((await anonyme('/api/v1/foncier/gisements')).json().features.map((f: { id: string }) => f.id)).not.toContain(id);
  });

  it('landlords (403, no write permission) and anonymous (401) cannot write; out of their territory a commune and an EPCI get 404', async () => {
    expect((await bailleur.post('/api/v1/foncier/gisements', gisement(geom))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/foncier/gisements', payload: gisement(geom) })).statusCode).toBe(401);
    expect((await bailleur.patch(`/api/v1/foncier/gisements/${id}`, { nom: 'X' })).statusCode).toBe(403);
    for (const c of [commune, epci]) {
      expect((await c.get(`/api/v1/foncier/gisements/${idAles}`)).statusCode).toBe(404);
      expect((await c.patch(`/api/v1/foncier/gisements/${idAles}`, { nom: 'X' })).statusCode).toBe(404);
      expect((await c.delete(`/api/v1/foncier/gisements/${idAles}`)).statusCode).toBe(404);
    }
  });

  it('the EPF edits the portage data only', async () => {
    const res = await epf.patch(`/api/v1/foncier/gisements/${id}`, { epf_convention: 'Convention opérationnelle 2025-12 (test)', epf_date_acquisition: '2025-03-01', epf_date_revente_prevue: '2028-03-01', epf_prix: 450000 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ epf_convention: 'Convention opérationnelle 2025-12 (test)', epf_prix: 450000, epf_date_acquisition: '2025-03-01', policies: { portage: true, modifier: false } });
    const refus = await epf.patch(`/api/v1/foncier/gisements/${id}`, { nom: 'Autre nom', epf_prix: 1 });
    expect(refus.statusCode).toBe(403);
    expect(refus.json().message).toMatch(/portage/);
    expect((await epf.delete(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(403);
    expect((await commune.get(`/api/v1/foncier/gisements/${id}`)).json().epf_prix).toBe(450000);
  });

  it('status follows the allowed transitions', async () => {
    const saut = await commune.patch(`/api/v1/foncier/gisements/${id}`, { statut: 'livre' });
    expect(saut.statusCode).toBe(422);
    expect(saut.json().message).toMatch(/non autorisé/);
    expect((await commune.patch(`/api/v1/foncier/gisements/${id}`, { statut: 'etudie' })).json().statut).toBe('etudie');
    expect((await commune.patch(`/api/v1/foncier/gisements/${id}`, { statut: 'maitrise' })).json().statut).toBe('maitrise');
  });

  it('every change is in the audit log', async () => {
    const r = await rows<{ action: string; actor_label: string }>(t.database.db, sql`SELECT action, actor_label FROM audit_log WHERE entity_type = 'gisement' AND entity_id = ${id} ORDER BY at, id`);
    expect(r.map((a) => a.action)).toEqual(['create', 'update', 'update', 'update', 'update', 'update', 'update', 'update']);
    expect(r.some((a) => a.actor_label === DEMO.epf)).toBe(true);
  });

  it('moving the geometry re-derives the commune; delete is audited', async () => {
    const ailleurs = await carre(t, '30060', 50, 150, 0);
    const res = await commune.patch(`/api/v1/foncier/gisements/${id}`, { geometrie: ailleurs });
    expect(res.statusCode).toBe(200);
    const nimes = await carre(t, '30189', 50);
    expect((await commune.patch(`/api/v1/foncier/gisements/${id}`, { geometrie: nimes })).statusCode).toBe(422);
    expect((await commune.delete(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(204);
    expect((await commune.get(`/api/v1/foncier/gisements/${id}`)).statusCode).toBe(404);
    const r = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'gisement' AND entity_id = ${id} AND action = 'delete'`);
    expect(r[0]!.n).toBe(1);
  });
});

describe('gisements: bad input, in French', () => {
  it('rejects a self-intersecting polygon, a polygon outside the département, unknown tools, a bad bbox', async () => {
    const papillon = await commune.post('/api/v1/foncier/gisements', gisement(await noeudPapillon(t, '30060')));
    expect(papillon.statusCode).toBe(422);
    expect(papillon.json().message).toMatch(/auto-intersecté/);
    const paris = await etat.post('/api/v1/foncier/gisements', gisement(carreParis));
    expect(paris.statusCode).toBe(422);
    expect(paris.json().message).toMatch(/en dehors du département/);
    const outil = await commune.post('/api/v1/foncier/gisements', gisement(await carre(t, '30060', 40), { outils: ['zzz'] }));
    expect(outil.statusCode).toBe(400);
    expect(outil.json().message).toMatch(/Outil inconnu/);
    const lls = await commune.post('/api/v1/foncier/gisements', gisement(await carre(t, '30060', 40), { capacite_lls: 50 }));
    expect(lls.statusCode).toBe(400);
    expect(lls.json().message).toMatch(/dépasse la capacité totale/);
    const point = await commune.post('/api/v1/foncier/gisements', gisement({ type: 'Point', coordinates: [4.3, 43.8] } as unknown as Carre));
    expect(point.statusCode).toBe(400);
    expect((await commune.get('/api/v1/foncier/gisements?bbox=4,43,3,44')).statusCode).toBe(400);
    expect((await commune.get('/api/v1/foncier/gisements?bbox=a,b')).json().message).toMatch(/quatre nombres/);
    const autreCommune = await etat.post('/api/v1/foncier/gisements', gisement(await carre(t, '30060', 40), { commune: '30189' }));
    expect(autreCommune.statusCode).toBe(422);
    expect(autreCommune.json().message).toMatch(/ne touche pas cette commune/);
  });
});

describe('the map query', () => {
  it('answers a GeoJSON FeatureCollection of the bbox with the contract properties, filtered', async () => {
    const g1 = await carre(t, '30060', 30, -300, 0);
    const g2 = await carre(t, '30060', 30, 300, 0);
    const a = (await commune.post('/api/v1/foncier/gisements', gisement(g1, { nom: 'A (test)', outils: ['er'], taux_sms: null, capacite_logements: 10, capacite_lls: 3 }))).json();
    const b = (await commune.post('/api/v1/foncier/gisements', gisement(g2, { nom: 'B (test)', outils: ['dpu'], taux_sms: null }))).json();
    expect((await commune.patch(`/api/v1/foncier/gisements/${b.id}`, { statut: 'etudie' })).statusCode).toBe(200);
    const [x0, y0] = g1.coordinates[0]![0]!;
    const bboxA = `${x0! - 0.0005},${y0! - 0.0005},${x0! + 0.001},${y0! + 0.001}`;
    const res = await commune.get(`/api/v1/foncier/gisements?bbox=${bboxA}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { id: string }) => f.id)).toEqual([a.id]);
    expect(fc.features[0].properties).toEqual({ id: a.id, nom: 'A (test)', commune: '30060', capacite_logements: 10, capacite_lls: 3, statut: 'identifie', outils: ['er'], demo: false });
    const ids = async (q: string) => (await commune.get(`/api/v1/foncier/gisements?${q}`)).json().features.map((f: { id: string }) => f.id);
    expect(await ids('statut=etudie')).toContain(b.id);
    expect(await ids('statut=etudie')).not.toContain(a.id);
    expect(await ids('outil=er')).toContain(a.id);
    expect(await ids('outil=er')).not.toContain(b.id);
    expect(await ids('commune=30189')).not.toContain(a.id);
    // The commune reads Nîmes' gisements only when public.
    const nimes = (await commune.get('/api/v1/foncier/gisements?commune=30189')).json().features;
    for (const f of nimes) expect((await commune.get(`/api/v1/foncier/gisements/${f.id}`)).json().visibilite).toBe('public');
    const tronque = (await etat.get('/api/v1/foncier/gisements?limit=1')).json();
    expect(tronque.features).toHaveLength(1);
    expect(tronque.tronque).toBe(true);
  });
});

describe('demo gisements', () => {
  it('are loaded in demo mode, flagged and named as demo data', async () => {
    const r = await rows<{ nom: string; source: string; demo: boolean; commune_insee: string }>(t.database.db, sql`SELECT nom, source, demo, commune_insee FROM gisements WHERE demo ORDER BY nom`);
    expect(r.length).toBeGreaterThanOrEqual(8);
    for (const g of r) {
      expect(g.nom).toMatch(/\(démo\)$/);
      expect(g.source).toMatch(/démonstration — fictives/);
    }
    const liste = (await admin.get('/api/v1/foncier/gisements/liste?commune=30189')).json();
    expect(liste.results.filter((g: { demo: boolean }) => g.demo).length).toBeGreaterThanOrEqual(3);
  });
});

describe('the operation built on a gisement', () => {
  it('shows on the operation sheet, to those who may read the gisement only', async () => {
    const op = (await bailleur.post('/api/v1/operations', { nom: 'Résidence sur la friche (test)', commune_insee: '30060', type: 'construction_neuve' })).json();
    expect(op.gisements).toEqual([]);
    const geom = await carre(t, '30060', 60);
    const g = await commune.post('/api/v1/foncier/gisements', gisement(geom, { nom: 'Friche liée (test)', operation_id: op.id }));
    expect(g.statusCode).toBe(201);
    // The commune and the State read the gisement: they see it on the operation.
    for (const c of [commune, etat]) {
      expect((await c.get(`/api/v1/operations/${op.id}`)).json().gisements).toEqual([{ id: g.json().id, nom: 'Friche liée (test)', statut: 'identifie', statut_libelle: 'Identifié' }]);
    }
    // The landlord sees its operation, but not a gisement neither shared nor linked to its organisation.
    expect((await bailleur.get(`/api/v1/operations/${op.id}`)).json().gisements).toEqual([]);
    expect((await commune.patch(`/api/v1/foncier/gisements/${g.json().id}`, { visibilite: 'partage' })).statusCode).toBe(200);
    expect((await bailleur.get(`/api/v1/operations/${op.id}`)).json().gisements.map((x: { id: string }) => x.id)).toEqual([g.json().id]);
  });
});

describe('gisements: a broken rule is named (server/lib/errors.ts)', () => {
  it('duplicate identifiant → 409 conflit; forbidden transition, capacities, unknown operation → 422 with the rule', async () => {
    const identifiant = `DOUBLON-${Date.now()}`;
    const premier = await commune.post('/api/v1/foncier/gisements', gisement(await carre(t, '30060', 30, 150, 0), { identifiant }));
    expect(premier.statusCode).toBe(201);
    const second = await commune.post('/api/v1/foncier/gisements', gisement(await carre(t, '30060', 30), { identifiant }));
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: 'conflit', regle: 'doublon', details: { champ: 'identifiant' } });
    expect(second.json().message).toMatch(/identifiant/);

    const id = premier.json().id as string;
    const saut = await commune.patch(`/api/v1/foncier/gisements/${id}`, { statut: 'livre' });
    expect(saut.statusCode).toBe(422);
    expect(saut.json()).toMatchObject({ error: 'donnees_invalides', regle: 'transition_interdite', details: { champ: 'statut' } });
    const capacites = await commune.patch(`/api/v1/foncier/gisements/${id}`, { capacite_lls: 50 }); // over the stored 40: the service's rule (the schema sees one field)
    expect(capacites.statusCode).toBe(422);
    expect(capacites.json()).toMatchObject({ error: 'donnees_invalides', regle: 'regle_metier', details: { champ: 'capacite_lls' } });
    const operation = await commune.patch(`/api/v1/foncier/gisements/${id}`, { operation_id: '00000000-0000-4000-8000-000000000000' });
    expect(operation.statusCode).toBe(422);
    expect(operation.json()).toMatchObject({ error: 'donnees_invalides', regle: 'reference_inconnue', details: { champ: 'operation_id' } });
    // Nothing of the refused changes was written.
    const apres = (await commune.get(`/api/v1/foncier/gisements/${id}`)).json();
    expect(apres).toMatchObject({ statut: premier.json().statut, capacite_logements: 40, capacite_lls: 14, operation: null });
  });
});
