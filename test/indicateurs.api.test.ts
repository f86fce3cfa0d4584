import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let bailleur: Client;
let etat: Client;
let epci: Client;
let commune: Client;

beforeAll(async () => {
  t = await createTestApp();
  [bailleur, etat, epci, commune] = await signInMany(t.app, [DEMO.bailleur, DEMO.agentEtat, DEMO.agentEpci, DEMO.commune]);
});
afterAll(() => t.close());

const op = async (over: Record<string, unknown>) => {
  const res = await bailleur.post('/api/v1/operations', { commune_insee: '30060', type: 'vefa', ...over });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};

describe('roadmap indicators, against hand-computed figures', () => {
  beforeAll(async () => {
    // 2025: two agréments (10 + 5 dwellings), one start of works, one delivery (8 dwellings).
    await op({ nom: 'A', etape: 'agrement', date_agrement: '2025-03-01', annee_programmation: 2025, logements: { plai: 4, plus: 6 } });
    await op({ nom: 'B', etape: 'agrement', date_agrement: '2025-11-30', annee_programmation: 2025, logements: { pls: 5 } });
    await op({ nom: 'C', etape: 'travaux', date_agrement: '2024-06-01', date_ordre_service: '2025-02-01', annee_programmation: 2024, logements: { plus: 12 } });
    await op({ nom: 'D', etape: 'livree', date_agrement: '2022-06-01', date_ordre_service: '2023-02-01', date_livraison: '2025-09-15', annee_programmation: 2022, logements: { plai: 3, plus: 5 } });
    await op({ nom: 'E (2024)', etape: 'agrement', date_agrement: '2024-12-31', annee_programmation: 2024, logements: { plus: 100 } });
    // Blockers: two "recours" lifted in 2025 after 30 and 90 days (median 60), one still open.
    const x = await op({ nom: 'X' });
    for (const [depuis, leve] of [['2025-01-01', '2025-01-31'], ['2025-02-01', '2025-05-02']] as const) {
      const b = (await bailleur.post(`/api/v1/operations/${x}/blocages`, { type: 'recours', description: 'Recours', depuis })).json();
      await bailleur.patch(`/api/v1/operations/${x}/blocages/${b.id}`, { statut: 'leve', leve_le: leve });
    }
    await bailleur.post(`/api/v1/operations/${x}/blocages`, { type: 'foncier', description: 'Foncier', depuis: '2025-06-01' });
    await bailleur.post(`/api/v1/operations/${x}/concertations`, { modalite: 'porte_a_porte', date: '2025-04-10', riverains_rencontres: 23, preoccupations: 'Vis-à-vis', reponses: 'Plantations prévues' });
    await bailleur.post(`/api/v1/operations/${x}/concertations`, { modalite: 'reunion_publique', date: '2025-05-10', riverains_rencontres: 40 });
    await bailleur.post(`/api/v1/operations/${x}/concertations`, { modalite: 'reunion_publique', date: '2024-05-10', riverains_rencontres: 7 });
  });

  it('counts the projects that reach agrément, start works and are delivered, per EPCI', async () => {
    const res = await etat.get('/api/v1/indicateurs/operations?annee=2025');
    expect(res.statusCode).toBe(200);
    const i = res.json();
    expect(i.projets_qui_aboutissent).toMatchObject({ agrements: 2, logements_agrees: 15, ordres_service: 1, livraisons: 1, logements_livres: 8 });
    expect(i.projets_qui_aboutissent.par_epci).toEqual([expect.objectContaining({ epci_siren: '243000643', agrements: 2, operations: 6 })]);
    expect((await etat.get('/api/v1/indicateurs/operations?annee=2024')).json().projets_qui_aboutissent).toMatchObject({ agrements: 2, logements_agrees: 112 });
  });

  it('gives blockers opened and lifted, and the median time blocked by type', async () => {
    const i = (await etat.get('/api/v1/indicateurs/operations?annee=2025')).json();
    const recours = i.blocages.find((b: { type: string }) => b.type === 'recours');
    expect(recours).toMatchObject({ ouverts_annee: 2, leves_annee: 2, encore_ouverts: 0, duree_mediane_jours: 60, type_libelle: 'Recours contre le permis' });
    expect(i.blocages.find((b: { type: string }) => b.type === 'foncier')).toMatchObject({ ouverts_annee: 1, leves_annee: 0, encore_ouverts: 1, duree_mediane_jours: null });
  });

  it('counts residents met per commune in the year (solution 7)', async () => {
    const i = (await commune.get('/api/v1/indicateurs/operations?annee=2025')).json();
    expect(i.concertation).toEqual({ riverains_rencontres: 63, par_commune: [{ code_insee: '30060', nom: 'Caissargues', riverains_rencontres: 63, actions: 2 }] });
  });

  it('is scoped: another EPCI sees nothing; financers are refused; the year is required', async () => {
    expect((await epci.get('/api/v1/indicateurs/operations?annee=2025')).json().projets_qui_aboutissent.agrements).toBe(2);
    expect((await etat.get('/api/v1/indicateurs/operations?annee=2025&epci=200066918')).json().projets_qui_aboutissent.agrements).toBe(0);
    expect((await etat.get('/api/v1/indicateurs/operations')).statusCode).toBe(400);
    const [financeur] = await signInMany(t.app, [DEMO.financeur]);
    expect((await financeur.get('/api/v1/indicateurs/operations?annee=2025')).statusCode).toBe(403);
  });

  it('consultation records are listed on the operation, validated, and in its timeline', async () => {
    const x = (await etat.get('/api/v1/operations?q=X')).json().results.find((o: { nom: string }) => o.nom === 'X');
    const list = (await commune.get(`/api/v1/operations/${x.id}/concertations`)).json();
    expect(list.total_riverains).toBe(70);
    expect(list.results[0]).toMatchObject({ modalite_libelle: 'Réunion publique', riverains_rencontres: 7 });
    expect((await bailleur.post(`/api/v1/operations/${x.id}/concertations`, { modalite: 'sondage', date: '2025-01-01', riverains_rencontres: 1 })).statusCode).toBe(400);
    expect((await bailleur.post(`/api/v1/operations/${x.id}/concertations`, { modalite: 'autre', date: '2999-01-01', riverains_rencontres: 1 })).statusCode).toBe(422);
    const events = (await bailleur.get(`/api/v1/operations/${x.id}/evenements`)).json().results;
    expect(events.filter((e: { type: string }) => e.type === 'concertation')).toHaveLength(3);
    expect((await bailleur.patch(`/api/v1/operations/${x.id}`, { contact_riverains: '04 66 00 00 00' })).json().contact_riverains).toBe('04 66 00 00 00');
  });
});
