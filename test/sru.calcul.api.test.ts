/**
 * POST /api/v1/sru/calcul and GET /api/v1/sru/regles: the contract, French 400s naming the
 * commune and the field, the effect of a scenario. Public routes (pure computation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, signIn, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let etat: Client;

beforeAll(async () => {
  t = await createTestApp();
  etat = await signIn(t.app, DEMO.agentEtat);
});
afterAll(async () => t?.close());

/** The example. */
const EXEMPLE = {
  code_insee: '30060',
  residences_principales: 3200,
  lls: 410,
  taux_cible: 0.25,
  potentiel_fiscal_par_habitant: 850,
  depenses_reelles_fonctionnement: 4_500_000,
  population: 7100,
  couverte_plh: true,
};

const calcul = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/sru/calcul', payload: payload as object });

describe('POST /api/v1/sru/calcul', () => {
  it('answers the issue example with the contract fields, anonymously', async () => {
    const r = await calcul({ communes: [EXEMPLE] });
    expect(r.statusCode).toBe(200);
    const [res] = r.json().resultats;
    expect(res).toMatchObject({
      code_insee: '30060',
      taux_lls: 0.128125,
      deficit: 390,
      objectif_triennal: { total: 129, plai_min: 39, pls_max: 38 },
      prelevement_brut: 82_875,
      prelevement: 82_875,
    });
    expect(res.regles).toContainEqual({ id: 'prelevement.taux_potentiel_fiscal', source: expect.stringMatching(/^CCH L302-7/) });
    expect(r.json().agregats.departements[0]).toMatchObject({ code: '30' });
  });

  it('works for a signed-in agent without a CSRF token (nothing is written)', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/sru/calcul', payload: { communes: [EXEMPLE] }, headers: { cookie: etat.cookie } });
    expect(r.statusCode).toBe(200);
  });

  it('applies a scenario and shows the current law beside it', async () => {
    const r = await calcul({ communes: [EXEMPLE], scenario: { taux_cible_unique: 0.2, libelle: 'Taux unique 20 %' } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.resultats[0]).toMatchObject({ deficit: 230, objectif_triennal: { total: 76 }, prelevement_brut: 48_875 });
    expect(body.resultats[0].regles.map((x: { id: string }) => x.id)).toContain('scenario.taux_cible_unique');
    expect(body.agregats.total.droit_actuel).toMatchObject({ deficit: 390, prelevement: 82_875 });
    expect(body.agregats.total.scenario).toMatchObject({ deficit: 230, prelevement: 48_875 });
    expect(body.scenario).toMatchObject({ libelle: 'Taux unique 20 %', parametres: { taux_cible_unique: 0.2 } });
  });

  it('refuses a negative count, naming the commune and the field', async () => {
    const r = await calcul({ communes: [EXEMPLE, { ...EXEMPLE, code_insee: '30189', lls: -3 }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/commune 30189 \(n° 2\), champ « lls » : .*positif ou nul.*valeur reçue : -3/);
    expect(r.json().details).toContainEqual(expect.objectContaining({ commune: '30189', index: 1, champ: 'lls' }));
  });

  it('refuses a rate above 1', async () => {
    const r = await calcul({ communes: [{ ...EXEMPLE, taux_cible: 25 }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/commune 30060 \(n° 1\), champ « taux_cible » : un taux entre 0 et 1 est attendu/);
  });

  it('refuses a missing field', async () => {
    const { residences_principales: _omis, ...sans } = EXEMPLE;
    const r = await calcul({ communes: [sans] });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/commune 30060 \(n° 1\), champ « residences_principales » : .*champ manquant/);
  });

  it('names the commune by its rank when its code is missing or wrong', async () => {
    const { code_insee: _omis, ...sans } = EXEMPLE;
    const r = await calcul({ communes: [EXEMPLE, sans] });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/commune n° 2, champ « code_insee »/);
  });

  it('refuses a bad scenario parameter and an empty list', async () => {
    const r = await calcul({ communes: [EXEMPLE], scenario: { taux_cible_unique: 1.5 } });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/champ « scenario.taux_cible_unique »/);
    const vide = await calcul({ communes: [] });
    expect(vide.statusCode).toBe(400);
    expect(vide.json().message).toMatch(/au moins une commune/);
  });
});

describe('OpenAPI', () => {
  it('documents the request and the response of the computation', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const op = doc.paths['/api/v1/sru/calcul'].post;
    expect(JSON.stringify(op.requestBody)).toMatch(/potentiel_fiscal_par_habitant/);
    expect(JSON.stringify(op.responses['200'])).toMatch(/objectif_triennal/);
  });
});

describe('GET /api/v1/sru/regles', () => {
  it('lists the rules with their sources and which are not confirmed', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/sru/regles' });
    expect(r.statusCode).toBe(200);
    const { regles, non_confirmees } = r.json();
    expect(regles).toContainEqual(expect.objectContaining({ id: 'prelevement.seuil_minimum', article: 'CCH L302-7', valeur: 4000, confirme: true }));
    expect(regles).toContainEqual(expect.objectContaining({ id: 'objectif.taux_rattrapage_proche_cible', confirme: false }));
    expect(non_confirmees).toBe(regles.filter((x: { confirme: boolean }) => !x.confirme).length);
    expect(non_confirmees).toBeGreaterThan(0);
  });
});
