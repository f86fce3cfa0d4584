/**
 * The demo story (issue 12): loaded through the API, each role sees a populated and coherent year,
 * within its own scope; loading twice changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargerHistoireDemo, type HistoireChargee } from '../server/modules/demo/histoire.demo.js';
import { createTestApp, DEMO, signIn, type TestContext } from './helpers.js';

type Operation = { id: string; nom: string; etape: string; commune: { code_insee: string }; epci: { siren: string } | null; bailleur: { nom: string }; en_difficulte: boolean; retards: string[]; blocages: { type: string; statut: string }[] };

let ctx: TestContext;
let charge: HistoireChargee | null;
// The story is told from the real day: the API refuses dates in the future where they must be past.
const aujourdhui = new Date();

async function toutes(email: string): Promise<Operation[]> {
  const c = await signIn(ctx.app, email);
  const res = await c.get('/api/v1/operations?limit=500');
  expect(res.statusCode).toBe(200);
  const page = res.json<{ count: number; results: { id: string }[] }>();
  expect(page.results.length).toBe(page.count);
  const out: Operation[] = [];
  for (const r of page.results) out.push((await c.get(`/api/v1/operations/${r.id}`)).json<Operation>());
  return out;
}

beforeAll(async () => {
  ctx = await createTestApp();
  charge = await chargerHistoireDemo(ctx.app, { aujourdhui });
}, 120_000);
afterAll(async () => ctx?.close());

describe('demo story', () => {
  it('is created through the API and says what it created', () => {
    expect(charge).toEqual({ operations: 40, blocages: expect.any(Number), concertations: 4, documents: 2, revues: 3, aides: 5, gisements_lies: expect.any(Number) });
    expect(charge!.blocages).toBeGreaterThanOrEqual(15);
    expect(charge!.gisements_lies).toBeGreaterThanOrEqual(4);
  });

  it('shows the State agent every stage, every blocker type, operations late and in difficulty — all named (démo)', async () => {
    const ops = await toutes(DEMO.agentEtat);
    expect(ops.length).toBe(40);
    expect(ops.every((o) => o.nom.includes('(démo)'))).toBe(true);
    expect(new Set(ops.map((o) => o.etape))).toEqual(new Set(['projet', 'foncier_maitrise', 'permis_depose', 'permis_obtenu', 'agrement', 'appel_offres', 'travaux', 'livree', 'abandonnee']));
    const types = new Set(ops.flatMap((o) => o.blocages.map((b) => b.type)));
    expect(types).toEqual(new Set(['recours', 'financement', 'foncier', 'urbanisme', 'appel_offres', 'acceptabilite', 'reseaux', 'risques', 'autre']));
    expect(ops.some((o) => o.blocages.some((b) => b.statut === 'leve'))).toBe(true);
    expect(ops.filter((o) => o.en_difficulte).length).toBeGreaterThanOrEqual(10);
    expect(ops.filter((o) => o.retards.length > 0).length).toBeGreaterThanOrEqual(2);
    expect(new Set(ops.map((o) => o.epci?.siren)).size).toBeGreaterThanOrEqual(7);
  });

  it('keeps each role in its scope: EPCI, commune, landlord', async () => {
    const epci = await toutes(DEMO.agentEpci);
    expect(epci.length).toBeGreaterThanOrEqual(15);
    expect(epci.every((o) => o.epci?.siren === '243000643')).toBe(true);
    const commune = await toutes(DEMO.commune);
    expect(commune.length).toBe(5);
    expect(commune.every((o) => o.commune.code_insee === '30060')).toBe(true);
    const bailleur = await toutes(DEMO.bailleur);
    expect(bailleur.length).toBeGreaterThan(15);
    expect(new Set(bailleur.map((o) => o.bailleur.nom))).toEqual(new Set(['Habitat Démo Gard (bailleur fictif)']));
  });

  it('holds a review with its record, actions, an escalation and its arbitration, and schedules the next ones', async () => {
    const c = await signIn(ctx.app, DEMO.agentEpci);
    const list = (await c.get('/api/v1/revues?epci=243000643')).json<{ results: { id: string; date: string; statut: string; escalades: number }[] }>().results;
    const demo = list.filter((r) => r.statut === 'tenue' || Date.parse(r.date) > aujourdhui.getTime());
    expect(demo.filter((r) => r.statut === 'tenue')).toHaveLength(1);
    expect(demo.filter((r) => r.statut === 'planifiee' && Date.parse(r.date) > aujourdhui.getTime())).toHaveLength(2);
    const tenue = demo.find((r) => r.statut === 'tenue')!;
    expect(Date.parse(tenue.date)).toBeLessThan(aujourdhui.getTime());
    const revue = (await c.get(`/api/v1/revues/${tenue.id}`)).json<{ points: { decisions: string | null; escalade: { arbitrage: string | null } | null; actions: { statut: string }[] }[] }>();
    expect(revue.points.filter((p) => p.decisions).length).toBeGreaterThanOrEqual(4);
    expect(revue.points.some((p) => p.escalade?.arbitrage)).toBe(true);
    const actions = revue.points.flatMap((p) => p.actions);
    expect(actions.some((a) => a.statut === 'close')).toBe(true);
    expect(actions.some((a) => a.statut === 'ouverte')).toBe(true);
  });

  it('gives the financer aids in every status, and the public the published ones', async () => {
    const f = await signIn(ctx.app, DEMO.financeur);
    const mes = (await f.get('/api/v1/aides/espace/mes-aides')).json<{ results: { name: string; statut: string; motif_renvoi: string | null }[] }>().results.filter((a) => a.name.includes('(démo'));
    expect(mes.map((a) => a.statut).sort()).toEqual(['brouillon', 'brouillon', 'en_revue', 'publiee', 'publiee']);
    expect(mes.some((a) => a.statut === 'brouillon' && a.motif_renvoi)).toBe(true);
    const pub = (await ctx.app.inject({ method: 'GET', url: '/api/v1/aides?q=logement%20tr%C3%A8s%20social%20d%C3%A9mo' })).json<{ results: { name: string }[] }>();
    expect(pub.results.some((a) => a.name === 'Prime départementale au logement très social (démo)')).toBe(true);
  });

  it('links demo gisements to operations and keeps consultations and documents on the sheets', async () => {
    const c = await signIn(ctx.app, DEMO.bailleur);
    const ops = await toutes(DEMO.bailleur);
    const canal = ops.find((o) => o.nom === 'Résidence du Canal (démo)')!;
    const conc = (await c.get(`/api/v1/operations/${canal.id}/concertations`)).json<{ total_riverains: number }>();
    expect(conc.total_riverains).toBe(64);
    const docs = (await c.get(`/api/v1/operations/${canal.id}/documents`)).json<{ count: number }>();
    expect(docs.count).toBe(1);
    const etat = await signIn(ctx.app, DEMO.agentEtat);
    const withPlots = [];
    for (const o of ops) {
      const sheet = (await etat.get(`/api/v1/operations/${o.id}`)).json<{ gisements?: unknown[] }>();
      if (sheet.gisements?.length) withPlots.push(o.nom);
    }
    expect(withPlots.length).toBeGreaterThanOrEqual(2);
  });

  it('is loaded once: a second run changes nothing', async () => {
    expect(await chargerHistoireDemo(ctx.app, { aujourdhui })).toBeNull();
    expect((await toutes(DEMO.agentEtat)).length).toBe(40);
  });
});
