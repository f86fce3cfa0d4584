/**
 * Issue 15: the eligibility API (contract and edges), the server-rendered page of a commune without
 * JavaScript (form, result, errors, SRU facts with their source), its embed view and the security
 * headers that differ between the embed and the rest.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnnee, eligibiliteReponse } from '../shared/logement-social/eligibilite.js';
import { createTestApp, type TestContext } from './helpers.js';

let t: TestContext;

beforeAll(async () => {
  t = await createTestApp();
  // One commune limitrophe of Paris, to see the zone follow the commune end to end.
  await t.database.db.execute(sql`INSERT INTO departements (code, nom, region) VALUES ('92', 'Hauts-de-Seine', '11') ON CONFLICT DO NOTHING`);
  await t.database.db.execute(sql`INSERT INTO communes (code_insee, nom, departement) VALUES ('92012', 'Boulogne-Billancourt', '92') ON CONFLICT DO NOTHING`);
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const api = (q: string) => get(`/api/v1/public/eligibilite?${q}`);
const NBSP = '\u00a0';

describe('GET /api/v1/public/eligibilite', () => {
  it('answers the contract: category, zone, ceilings, eligibility, source', async () => {
    const r = await api('commune=30189&personnes=3&personnes_a_charge=1&revenu_fiscal=25000&annee=2026');
    expect(r.statusCode).toBe(200);
    const body = eligibiliteReponse.parse(r.json());
    expect(body).toMatchObject({
      commune: { code_insee: '30189', nom: 'Nîmes' },
      annee: 2026,
      categorie: 3,
      personnes_supplementaires: 0,
      zone: 'autres_regions',
      plafonds: { PLAI: null, PLUS: 37584, PLS: 48859 },
      eligible: { PLAI: null, PLUS: true, PLS: true },
    });
    expect(body.source.texte).toMatch(/^Arrêté du 19 décembre 2025/);
    expect(body.source.url).toMatch(/^https:\/\/www\.legifrance\.gouv\.fr\//);
    expect(body.source.jorf).toMatch(/24 décembre 2025/);
    expect(body.explication[0]).toBe('Votre ménage relève de la catégorie 3 : trois personnes.');
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('an income equal to the ceiling is eligible; one euro more is not', async () => {
    const egal = (await api('commune=30189&personnes=3&personnes_a_charge=1&revenu_fiscal=37584&annee=2026')).json();
    expect(egal.eligible).toEqual({ PLAI: null, PLUS: true, PLS: true });
    const plus = (await api('commune=30189&personnes=3&personnes_a_charge=1&revenu_fiscal=37585&annee=2026')).json();
    expect(plus.eligible).toEqual({ PLAI: null, PLUS: false, PLS: true });
    const pls = (await api('commune=30189&personnes=3&revenu_fiscal=48860&annee=2026')).json();
    expect(pls.eligible.PLS).toBe(false);
    expect(pls.explication.join(' ')).toMatch(/dépassent le plafond PLS/);
  });

  it('disability, jeune ménage, single parent and persons beyond category 6', async () => {
    expect((await api('commune=30189&personnes=3&personnes_a_charge=1&revenu_fiscal=1&annee=2026&handicap=true')).json()).toMatchObject({ categorie: 4, plafonds: { PLUS: 45374 } });
    expect((await api('commune=30189&personnes=2&revenu_fiscal=1&annee=2026&jeune_menage=true')).json()).toMatchObject({ categorie: 3, plafonds: { PLUS: 37584 } });
    expect((await api('commune=30189&personnes=2&revenu_fiscal=1&annee=2026')).json()).toMatchObject({ categorie: 2, plafonds: { PLUS: 31254 } });
    expect((await api('commune=30189&personnes=2&personnes_a_charge=1&revenu_fiscal=1&annee=2025')).json()).toMatchObject({ categorie: 3, plafonds: { PLUS: 37259 } });
    expect((await api('commune=30189&personnes=8&personnes_a_charge=6&revenu_fiscal=1&annee=2026')).json()).toMatchObject({
      categorie: 6,
      personnes_supplementaires: 2,
      plafonds: { PLUS: 60156 + 2 * 6710, PLS: Math.round(60156 * 1.3) + 2 * Math.round(6710 * 1.3) },
    });
  });

  it('the zone follows the commune (a commune limitrophe of Paris)', async () => {
    const r = (await api('commune=92012&personnes=3&revenu_fiscal=50000&annee=2024')).json();
    expect(r).toMatchObject({ zone: 'paris_communes_limitrophes', zone_libelle: 'Paris et communes limitrophes', plafonds: { PLUS: 51025 }, eligible: { PLUS: true } });
  });

  it('each year uses its own table and text; the default is the current year', async () => {
    const a2023 = (await api('commune=30189&personnes=1&revenu_fiscal=1&annee=2023')).json();
    expect(a2023.plafonds.PLUS).toBe(21878);
    expect(a2023.source.texte).toMatch(/27 décembre 2022/);
    const defaut = (await api('commune=30189&personnes=1&revenu_fiscal=1')).json();
    expect(defaut.annee).toBe(defaultAnnee());
  });

  it('refuses, in French: unknown commune (404), year without ceilings (404), negative income, impossible household, bad code (400)', async () => {
    const inconnue = await api('commune=99999&personnes=1&revenu_fiscal=1&annee=2026');
    expect(inconnue.statusCode).toBe(404);
    expect(inconnue.json().message).toBe('Commune « 99999 » inconnue : ce code INSEE n’est pas dans le référentiel des communes de cette plateforme.');
    const annee = await api('commune=30189&personnes=1&revenu_fiscal=1&annee=2019');
    expect(annee.statusCode).toBe(404);
    expect(annee.json().message).toBe('Aucun plafond de ressources n’est chargé pour l’année 2019 : années disponibles 2023, 2024, 2025, 2026.');
    const negatif = await api('commune=30189&personnes=1&revenu_fiscal=-1&annee=2026');
    expect(negatif.statusCode).toBe(400);
    expect(negatif.json().message).toMatch(/revenu_fiscal : le revenu fiscal de référence ne peut pas être négatif/);
    const menage = await api('commune=30189&personnes=2&personnes_a_charge=2&revenu_fiscal=1&annee=2026');
    expect(menage.statusCode).toBe(400);
    expect(menage.json().message).toMatch(/^Personnes à charge « 2 »/);
    const code = await api('commune=abc&personnes=1&revenu_fiscal=1');
    expect(code.statusCode).toBe(400);
    expect(code.json().message).toMatch(/Code INSEE invalide/);
    const manque = await api('commune=30189&revenu_fiscal=1');
    expect(manque.statusCode).toBe(400);
    expect(manque.json().message).toMatch(/personnes/);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await get('/api/docs/json')).json();
    expect(Object.keys(doc.paths)).toContain('/api/v1/public/eligibilite');
  });
});

describe('GET /logement-social/{code}: HTML without JavaScript', () => {
  it('serves the page with its form, landmarks and no script', async () => {
    const r = await get('/logement-social/30189');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = r.body;
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Le logement social à Nîmes</h1>');
    expect(html).toContain('<form method="get" action="/logement-social/30189#resultat" novalidate>');
    for (const name of ['annee', 'personnes', 'personnes_a_charge', 'revenu_fiscal', 'handicap', 'jeune_menage']) {
      expect(html).toContain(`id="${name}" name="${name}"`);
      expect(html).toContain(`for="${name}"`);
    }
    expect(html).toMatch(/role="banner"/);
    expect(html).toMatch(/role="contentinfo"/);
    expect(html).toContain('href="https://www.demande-logement-social.gouv.fr"');
    expect(html).toContain('href="/aides?perimetre=30189"');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('id="resultat"');
    // No SRU inventory imported: no figure, and the page says why.
    expect(html).toContain('Aucune source officielle n’est encore chargée pour les logements sociaux de Nîmes');
    // The copy-paste snippet, with absolute addresses and the link fallback.
    expect(html).toContain('&lt;iframe src=&quot;http://localhost:80/embed/logement-social/30189&quot;');
    expect(html).toContain('&lt;script src=&quot;http://localhost:80/embed/logement-social.js&quot; async&gt;&lt;/script&gt;');
  });

  it('renders the result from the submitted form', async () => {
    const html = (await get('/logement-social/30189?annee=2026&personnes=3&personnes_a_charge=1&revenu_fiscal=25+000&handicap=true')).body;
    expect(html).toContain('Résultat : catégorie de ménage 4');
    expect(html).toContain(`45${NBSP}374${NBSP}€`);
    expect(html).toContain('Éligible');
    expect(html).toContain('Non disponible (aucune source officielle chargée)');
    expect(html).toContain('Arrêté du 19 décembre 2025');
    expect(html).toMatch(/<input type="checkbox" id="handicap" name="handicap" value="true" checked/);
    expect(html).toContain('value="25 000"');
  });

  it('shows each wrong field with its message, the value typed (escaped), and no result', async () => {
    const r = await get('/logement-social/30189?personnes=0&personnes_a_charge=&revenu_fiscal=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(r.statusCode).toBe(200);
    const html = r.body;
    expect(html).toContain('Le formulaire contient 2 erreurs');
    expect(html).toContain('Nombre de personnes « 0 » : un nombre entier de 1 à 30 est attendu.');
    expect(html).toContain('Revenu fiscal de référence « &lt;script&gt;alert(1)&lt;/script&gt; » : un montant en euros est attendu');
    expect(html).toMatch(/id="personnes" name="personnes" value="0"[^>]*aria-describedby="personnes-aide personnes-erreur" aria-invalid="true"/);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('id="resultat"');
    const negatif = (await get('/logement-social/30189?personnes=1&revenu_fiscal=-5')).body;
    expect(negatif).toContain('Revenu fiscal de référence « -5 » : le montant ne peut pas être négatif.');
    const annee = (await get('/logement-social/30189?annee=2019&personnes=1&revenu_fiscal=5')).body;
    expect(annee).toContain('Aucun plafond n’est chargé pour l’année 2019');
  });

  it('shows the SRU facts with their vintage and source once the inventory is imported', async () => {
    await t.database.db.execute(sql`INSERT INTO communes_sru (code_insee, millesime, population, taux_sru, taux_cible, deficitaire, carencee, exemptee, nb_lls, fichier)
      VALUES ('30189', 2024, 148000, 0.185, 0.25, true, false, false, 27000, 'sru-donnees-de-test.csv')`);
    const html = (await get('/logement-social/30189')).body;
    expect(html).toContain('inventaire 2024');
    expect(html).toContain('18,5 %');
    expect(html).toContain(`27${NBSP}000`);
    expect(html).toContain('fichier « sru-donnees-de-test.csv »');
    expect(html).not.toContain('Aucune source officielle n’est encore chargée');
  });

  it('answers 404 in HTML for an unknown or malformed code', async () => {
    for (const code of ['99999', 'abc']) {
      const r = await get(`/logement-social/${code}`);
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('<h1>Commune introuvable</h1>');
    }
  });
});

describe('embed view and its security headers', () => {
  it('the page and the API forbid framing; the embed allows it', async () => {
    for (const url of ['/logement-social/30189', '/api/v1/public/eligibilite?commune=30189&personnes=1&revenu_fiscal=1', '/healthz']) {
      const r = await get(url);
      expect(r.headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
      expect(r.headers['x-frame-options'], url).toBe('DENY');
    }
    const e = await get('/embed/logement-social/30189');
    expect(e.statusCode).toBe(200);
    expect(e.headers['content-security-policy']).toMatch(/frame-ancestors \*/);
    expect(e.headers['content-security-policy']).not.toMatch(/frame-ancestors 'none'/);
    expect(e.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(e.headers['x-frame-options']).toBeUndefined();
  });

  it('the embed has the same content without header, footer nor snippet, plus the resize script', async () => {
    const html = (await get('/embed/logement-social/30189?personnes=1&revenu_fiscal=20000&annee=2026')).body;
    expect(html).toContain('<h1>Le logement social à Nîmes</h1>');
    expect(html).toContain('<form method="get" action="/embed/logement-social/30189#resultat" novalidate>');
    expect(html).toContain('Résultat : catégorie de ménage 1');
    expect(html).not.toMatch(/role="banner"|role="contentinfo"/);
    expect(html).not.toContain('Intégrer cette page');
    expect(html).toContain('<script src="/embed/logement-social-hauteur.js" defer></script>');
    // Links leave the frame for a new window, and say so.
    expect(html).toContain('href="https://www.demande-logement-social.gouv.fr" target="_blank" rel="noopener" title="demande-logement-social.gouv.fr — nouvelle fenêtre"');
  });

  it('serves both scripts; the host-site script is readable cross-origin', async () => {
    const parent = await get('/embed/logement-social.js');
    expect(parent.statusCode).toBe(200);
    expect(parent.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(parent.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(parent.body).toContain("e.origin !== origine");
    const hauteur = await get('/embed/logement-social-hauteur.js');
    expect(hauteur.body).toContain('postMessage');
    expect((await get('/api/v1/public/eligibilite?commune=30189&personnes=1&revenu_fiscal=1')).headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});
