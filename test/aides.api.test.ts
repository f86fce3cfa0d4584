import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueEmails } from '../server/modules/mail/outbox.js';
import { runAidesJobs } from '../server/modules/aides/aides.jobs.js';
import { journalRecherches } from '../server/modules/aides/aides.journal.js';
import { createTestApp, DEMO, signInMany, type Client, type TestContext } from './helpers.js';
import { startSmtpSink } from './smtp-sink.js';

let t: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let financeur: Client;
let etat: Client;
let admin: Client;
let bailleur: Client;

const catalogue = JSON.parse(readFileSync(new URL('../data/aides-catalogue.json', import.meta.url), 'utf8')) as { results: Record<string, unknown>[] };
const get = (url: string) => t.app.inject({ method: 'GET', url });
const post = (url: string, payload?: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://atelier.example.fr' });
  [financeur, etat, admin, bailleur] = await signInMany(t.app, [DEMO.financeur, DEMO.agentEtat, DEMO.admin, DEMO.bailleur]);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('public search', () => {
  it('the shipped catalogue is loaded on first start and searchable without signing in; results carry the contract fields', async () => {
    const res = await get(`/api/v1/aides?q=${encodeURIComponent('prêt PLAI')}&audience=social-landlord`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBeGreaterThan(5);
    const first = body.results[0];
    for (const k of ['id', 'slug', 'name', 'financers', 'aid_types', 'targeted_audiences', 'perimeter', 'submission_deadline', 'url']) expect(first).toHaveProperty(k);
    expect(first.targeted_audiences).toContain('social-landlord');
    // The aid named after the product comes within the first three, with the term highlighted.
    const top3 = body.results.slice(0, 3).map((a: { name: string }) => a.name).join(' | ');
    expect(top3).toMatch(/PLAI/);
    expect(body.results.some((a: { extrait_html: string | null }) => /<mark>/.test(a.extrait_html ?? ''))).toBe(true);
  });

  it('acronyms of the vocabulary are expanded, accents ignored, typos corrected', async () => {
    const hlm = (await get(`/api/v1/aides?q=HLM`)).json();
    expect(hlm.interpretation.concepts[0].alternatives).toContain('logement social');
    expect(hlm.count).toBeGreaterThan(10);
    const typo = (await get(`/api/v1/aides?q=${encodeURIComponent('portage foncié')}`)).json();
    expect(typo.interpretation.corrections).toContainEqual({ de: 'foncie', vers: 'foncier' });
    expect(typo.count).toBeGreaterThan(0);
    const accents = (await get(`/api/v1/aides?q=rehabilitation%20energetique`)).json();
    expect(accents.results[0].name.toLowerCase()).toMatch(/réhabilitation|rénovation|énergétique|éco/);
  });

  it('a common query is ranked over every matching aid: exact count, ordered scores, pages that follow', async () => {
    const url = (page: number) => `/api/v1/aides?q=${encodeURIComponent('logement social prêt')}&limit=5&page=${page}`;
    const p1 = (await get(url(1))).json();
    const p2 = (await get(url(2))).json();
    expect(p1.count).toBe(p2.count);
    expect(p1.count).toBeGreaterThan(10);
    const scores = [...p1.results, ...p2.results].map((a: { score: number }) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((x: number) => x > 0)).toBe(true);
    // No aid on both pages.
    const slugs = [...p1.results, ...p2.results].map((a: { slug: string }) => a.slug);
    expect(new Set(slugs).size).toBe(10);
  });

  it('the perimeter of a commune includes its EPCI, département, region and national aids, not another EPCI’s', async () => {
    const all = (await get('/api/v1/aides?limit=100&page=1')).json();
    const nimes = (await get('/api/v1/aides?perimetre=30189&limit=100')).json();
    const codes = new Set(nimes.results.map((a: { perimeter: { code: string } }) => a.perimeter.code));
    expect(codes.has('243000643')).toBe(true);
    expect(codes.has('FRA')).toBe(true);
    expect(codes.has('30')).toBe(true);
    expect(codes.has('76')).toBe(true);
    expect(codes.has('200066918')).toBe(false);
    expect(nimes.count).toBeLessThan(all.count);
    const epci = (await get('/api/v1/aides?perimetre=243000643&limit=100')).json();
    expect(epci.count).toBe(nimes.count);
  });

  it('filters on aid type, operation type and product', async () => {
    const r = (await get(`/api/v1/aides?type_aide=Pr%C3%AAt&produit=PLS&type_operation=VEFA&limit=50`)).json();
    expect(r.count).toBeGreaterThan(0);
    for (const a of r.results) {
      expect(a.aid_types).toContain('Prêt');
      expect(a.logement_social.produits).toContain('PLS');
      expect(a.logement_social.operation_types).toContain('VEFA');
    }
  });

  it('a NUL character in a filter does not break the search nor the other searches logged with it', async () => {
    const [bad, good] = await Promise.all([get('/api/v1/aides?q=logement&categorie=%00'), get('/api/v1/aides?q=logement')]);
    expect(bad.statusCode).toBe(200);
    expect(good.statusCode).toBe(200);
    expect(good.json().recherche_id).toEqual(expect.any(Number));
  });

  it('concurrent searches each get their own log id; their rows are written behind the answers', async () => {
    const r = await Promise.all(Array.from({ length: 30 }, (_, i) => get(`/api/v1/aides?q=${encodeURIComponent(`logement journal ${i}`)}`)));
    const ids = r.map((x) => x.json().recherche_id as number);
    expect(new Set(ids).size).toBe(30);
    await journalRecherches(t.database.db).vider();
    const { rows } = await import('../server/db/client.js');
    const { sql } = await import('drizzle-orm');
    const lus = await rows<{ id: number; texte: string }>(t.database.db, sql`SELECT id::int AS id, texte FROM aides_recherches WHERE id::text = ANY(string_to_array(${ids.join(',')}, ','))`);
    expect(lus.map((x) => x.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(lus.find((x) => x.id === ids[7])!.texte).toBe('logement journal 7');
  });

  it('bad filters are refused with a French message naming the value', async () => {
    const a = await get('/api/v1/aides?audience=martiens');
    expect(a.statusCode).toBe(400);
    expect(a.body).toMatch(/Public visé inconnu/);
    const p = await get('/api/v1/aides?perimetre=30999');
    expect(p.statusCode).toBe(404);
    expect(p.json().message).toBe('Commune inconnue : 30999.');
    const x = await get('/api/v1/aides?perimetre=abc');
    expect(x.statusCode).toBe(422);
    expect(x.json().message).toMatch(/Périmètre « abc »/);
  });
});

describe('aides-territoires compatible API', () => {
  it('GET /api/aids/ answers the {count, previous, next, results} envelope with pagination links', async () => {
    const p1 = (await get('/api/aids/?text=logement%20social&targeted_audiences=social-landlord&itemsPerPage=5')).json();
    expect(Object.keys(p1).sort()).toEqual(['count', 'next', 'previous', 'results']);
    expect(p1.previous).toBeNull();
    expect(p1.results).toHaveLength(5);
    expect(p1.next).toMatch(/^https:\/\/atelier\.example\.fr\/api\/aids\/\?.*page=2/);
    expect(typeof p1.results[0].perimeter).toBe('string');
    const p2 = (await get(new URL(p1.next).pathname + new URL(p1.next).search)).json();
    expect(p2.previous).toMatch(/page=1/);
    expect(p2.results[0].slug).not.toBe(p1.results[0].slug);
    const one = await get(`/api/aids/${p1.results[0].slug}/`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ slug: p1.results[0].slug, name: p1.results[0].name });
    const backers = (await get('/api/backers/')).json();
    expect(backers.count).toBeGreaterThan(10);
    expect(backers.results.find((b: { name: string }) => b.name === 'Banque des Territoires')).toBeTruthy();
  });
});

describe('import', () => {
  const item = (over: Record<string, unknown> = {}) => ({ ...catalogue.results[0], ...over });

  it('is idempotent on slug: a re-import updates, never duplicates; dry_run writes nothing', async () => {
    const before = (await get('/api/v1/aides?limit=1')).json().count;
    const file = { count: 2, results: [item({ description: 'Description mise à jour par import.' }), item({ id: 'x-1', slug: 'aide-importee-essai', name: 'Aide importée pour essai' })] };
    const dry = await admin.post('/api/v1/aides/import?dry_run=true', file);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toEqual({ fichier: 'import.json', aides: 2, lignes: 2, creees: 1, mises_a_jour: 1, erreurs: [], dry_run: true });
    expect((await get('/api/v1/aides/aide-importee-essai')).statusCode).toBe(404);
    const r1 = (await admin.post('/api/v1/aides/import', file)).json();
    expect(r1).toMatchObject({ aides: 2, creees: 1, mises_a_jour: 1 });
    const r2 = (await admin.post('/api/v1/aides/import', file)).json();
    expect(r2).toMatchObject({ aides: 2, creees: 0, mises_a_jour: 2 });
    expect((await get('/api/v1/aides?limit=1')).json().count).toBe(before + 1);
    expect((await get(`/api/v1/aides/${catalogue.results[0]!.slug}`)).json().description).toBe('Description mise à jour par import.');
  });

  it('refuses a file with errors, listing each (row, field, value), and imports nothing', async () => {
    const bad = { results: [item({ slug: 'nouvelle-aide-valide', name: 'Nouvelle aide valide' }), item({ slug: 'Mauvais Slug', targeted_audiences: ['Martiens'] }), item({ slug: 'x-ok', submission_deadline: '31/12/2026' }), item({ slug: 'z-ok', name: undefined, aid_types: 'Prêt' })] };
    const res = await etat.post('/api/v1/aides/import', bad);
    expect(res.statusCode).toBe(422);
    const { erreurs } = res.json().details;
    expect(erreurs).toContainEqual(expect.objectContaining({ ligne: 2, champ: 'slug', valeur: 'Mauvais Slug' }));
    expect(erreurs).toContainEqual(expect.objectContaining({ ligne: 3, champ: 'submission_deadline', valeur: '31/12/2026' }));
    expect(erreurs).toContainEqual({ ligne: 4, champ: 'name', colonne: 'name', valeur: null, message: 'champ obligatoire manquant' });
    expect(erreurs).toContainEqual({ ligne: 4, champ: 'aid_types', colonne: 'aid_types', valeur: 'Prêt', message: 'type invalide (attendu : liste, reçu : texte)' });
    expect(res.json().message).toMatch(/aucune aide importée/);
    // The common result of every importer, its errors listed as in `details`.
    expect(res.json()).toMatchObject({ dry_run: false, creees: 0, mises_a_jour: 0, fichier: 'import.json', erreurs });
    expect((await get('/api/v1/aides/nouvelle-aide-valide')).statusCode).toBe(404);
    const audience = await etat.post('/api/v1/aides/import', { results: [item({ slug: 'y-ok', targeted_audiences: ['Martiens'] })] });
    expect(audience.json().details.erreurs).toEqual([{ ligne: 1, champ: 'targeted_audiences.0', colonne: 'targeted_audiences.0', valeur: 'Martiens', message: expect.stringMatching(/^public visé inconnu/) }]);
  });

  it('is reserved to the aides:import permission', async () => {
    expect((await financeur.post('/api/v1/aides/import', { results: [] })).statusCode).toBe(403);
    expect((await post('/api/v1/aides/import', { results: [] })).statusCode).toBe(401);
  });
});

describe('financers’ workspace and review', () => {
  const nouvelle = {
    name: 'Subvention démo pour la production de PLAI en centre ancien',
    financers: ['Financeur Démo (fictif)'],
    aid_types: ['Subvention'],
    targeted_audiences: ['social-landlord', 'commune'],
    perimeter: { scale: 'Département', code: '30', name: 'Gard' },
    categories: ['Logement / Logement social'],
    description: 'Aide de démonstration : complément de subvention pour les logements PLAI produits en acquisition-amélioration dans les centres anciens.',
    eligibility: 'Opérations PLAI en centre ancien.',
    mobilization_steps: ['Mise en œuvre / réalisation'],
    logement_social: { operation_types: ['acquisition-amélioration'], produits: ['PLAI'], conditions: ['centre_ancien'] },
  };
  let slug: string;

  it('a financer creates a draft; the public does not see it', async () => {
    const res = await financeur.post('/api/v1/aides', nouvelle);
    expect(res.statusCode).toBe(201);
    slug = res.json().slug;
    expect(res.json().statut).toBe('brouillon');
    expect((await get(`/api/v1/aides/${slug}`)).statusCode).toBe(404);
    expect((await bailleur.get(`/api/v1/aides/${slug}`)).statusCode).toBe(404);
    const search = (await get(`/api/v1/aides?q=${encodeURIComponent('subvention démo')}`)).json();
    expect(search.results.map((a: { slug: string }) => a.slug)).not.toContain(slug);
  });

  it('bad input names the field and the value, in French', async () => {
    const res = await financeur.post('/api/v1/aides', { ...nouvelle, targeted_audiences: ['bailleurs'], logement_social: { operation_types: ['chateau'], produits: [] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/champ « targeted_audiences\.0 », valeur "bailleurs" : public visé inconnu/);
    expect(res.json().message).toMatch(/logement_social\.operation_types\.0/);
  });

  it('a financer edits only its own aids: any other aid does not exist for it', async () => {
    const other = catalogue.results[3]!.slug as string;
    expect((await financeur.patch(`/api/v1/aides/${other}`, nouvelle)).statusCode).toBe(404);
    expect((await financeur.post(`/api/v1/aides/${other}/soumettre`)).statusCode).toBe(404);
    expect((await bailleur.patch(`/api/v1/aides/${slug}`, nouvelle)).statusCode).toBe(403);
  });

  it('draft → review → sent back with a reason → review → published by a State agent; then public, counted, in the campaign', async () => {
    expect((await financeur.post(`/api/v1/aides/${slug}/soumettre`)).json().statut).toBe('en_revue');
    expect((await etat.get('/api/v1/aides/revue/en-attente')).json().results.map((a: { slug: string }) => a.slug)).toContain(slug);
    expect((await financeur.post(`/api/v1/aides/${slug}/publier`)).statusCode).toBe(403);
    const back = await etat.post(`/api/v1/aides/${slug}/renvoyer`, { motif: 'Précisez le taux.' });
    expect(back.json().statut).toBe('brouillon');
    const mine = (await financeur.get('/api/v1/aides/espace/mes-aides')).json().results;
    expect(mine.find((a: { slug: string }) => a.slug === slug).motif_renvoi).toBe('Précisez le taux.');
    const edited = await financeur.patch(`/api/v1/aides/${slug}`, { ...nouvelle, subvention_rate_upper_bound: 20 });
    expect(edited.statusCode).toBe(200);
    await financeur.post(`/api/v1/aides/${slug}/soumettre`);
    const pub = await etat.post(`/api/v1/aides/${slug}/publier`);
    expect(pub.json().statut).toBe('publiee');

    const search = (await get(`/api/v1/aides?q=${encodeURIComponent('subvention démo centre ancien')}&journal=ui`)).json();
    expect(search.results[0].slug).toBe(slug);
    expect((await get(`/api/v1/aides/${slug}`)).statusCode).toBe(200);
    expect((await post(`/api/v1/aides/${slug}/clic`, { recherche_id: search.recherche_id })).statusCode).toBe(204);
    const counted = (await financeur.get('/api/v1/aides/espace/mes-aides')).json().results.find((a: { slug: string }) => a.slug === slug);
    expect(counted).toMatchObject({ vues: 1, clics: 1, statut: 'publiee' });

    const campagne = (await etat.get('/api/v1/aides/revue/campagne')).json().results;
    expect(campagne.find((o: { nom: string }) => o.nom === 'Financeur Démo (fictif)')).toMatchObject({ publiees: 1 });
    const audit = (await admin.get(`/api/v1/audit?entity_type=aide&entity_id=${pub.json().uuid}`)).json();
    expect(JSON.stringify(audit)).toMatch(/statut:publiee/);
  });

  it('matching: a project gets the aids it is eligible for, with reasons and what is missing', async () => {
    const r = (await post('/api/v1/aides/eligibilite', { commune: '30007', type_operation: 'acquisition_amelioration', produits: ['PLAI'], stade: 'realisation' })).json();
    const mine = r.eligibles.find((c: { aide: { slug: string } }) => c.aide.slug === slug);
    expect(mine.raisons).toEqual(expect.arrayContaining(['type d’opération : acquisition-amélioration', 'produits : PLAI']));
    expect(mine.a_verifier).toContain('Centre ancien');
    const pls = (await post('/api/v1/aides/eligibilite', { commune: '30007', type_operation: 'acquisition_amelioration', produits: ['PLS'] })).json();
    const partial = pls.partielles.find((c: { aide: { slug: string } }) => c.aide.slug === slug);
    expect(partial.manques[0]).toMatch(/produits éligibles absents du projet \(PLAI\)/);
  });

  it('matching from an operation of the register, in scope', async () => {
    const op = await bailleur.post('/api/v1/operations', { nom: 'Résidence test aides', commune_insee: '30007', type: 'acquisition_amelioration', logements: { plai: 4 } });
    expect(op.statusCode).toBe(201);
    const r = (await bailleur.get(`/api/v1/operations/${op.json().id}/aides`)).json();
    expect(r.projet).toMatchObject({ commune: '30007', typeOperation: 'acquisition_amelioration', produits: ['PLAI'] });
    // The operation is at the "projet" stage: the aid is for the works stage, so it is partial and says why.
    const partial = r.partielles.find((c: { aide: { slug: string } }) => c.aide.slug === slug);
    expect(partial.raisons).toContain('produits : PLAI');
    expect(partial.manques).toEqual(['mobilisable à une autre étape (Mise en œuvre / réalisation)']);
    expect((await financeur.get(`/api/v1/operations/${op.json().id}/aides`)).statusCode).toBe(403);
  });

  it('an aid past its deadline expires: out of the public results, kept in history, its financer reminded', async () => {
    await financeur.patch(`/api/v1/aides/${slug}`, { ...nouvelle, submission_deadline: '2020-01-31' });
    await financeur.post(`/api/v1/aides/${slug}/soumettre`);
    await etat.post(`/api/v1/aides/${slug}/publier`);
    const jobs = await runAidesJobs(t.database.db, t.config);
    expect(jobs.expirees).toBeGreaterThanOrEqual(1);
    expect(jobs.relances).toBeGreaterThanOrEqual(1);
    const search = (await get(`/api/v1/aides?q=${encodeURIComponent('subvention démo centre ancien')}`)).json();
    expect(search.results.map((a: { slug: string }) => a.slug)).not.toContain(slug);
    expect((await get(`/api/v1/aides/${slug}`)).json().statut).toBe('expiree');
    await deliverDueEmails(t.database.db, t.config);
    const reminder = smtp.messages.find((m) => m.to.includes(DEMO.financeur));
    expect(reminder?.raw.replace(/=\r?\n/g, '')).toContain('https://atelier.example.fr/aides/espace');
    // Reminded at most once a month.
    expect((await runAidesJobs(t.database.db, t.config)).relances).toBe(0);
  });
});

describe('alerts', () => {
  it('double opt-in, then a digest of new matching aids reaches the SMTP sink', async () => {
    smtp.messages.length = 0;
    const res = await post('/api/v1/aides/alertes', { email: 'veille@commune.example', q: 'pension de famille', frequence: 'quotidienne' });
    expect(res.statusCode).toBe(202);
    await deliverDueEmails(t.database.db, t.config);
    const confirm = smtp.messages.find((m) => m.to.includes('veille@commune.example'))!;
    const raw = confirm.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const jeton = /confirmer\?jeton=([A-Za-z0-9_-]+)/.exec(raw)![1]!;
    // Not confirmed yet: nothing sent.
    expect((await runAidesJobs(t.database.db, t.config)).alertes).toBe(0);
    expect((await post('/api/v1/aides/alertes/confirmer', { jeton })).statusCode).toBe(200);
    expect((await post('/api/v1/aides/alertes/confirmer', { jeton: 'inconnu-0123456789' })).statusCode).toBe(404);

    // A new matching aid is published after the confirmation.
    const created = await financeur.post('/api/v1/aides', {
      name: 'Aide démo à la création de pensions de famille',
      aid_types: ['Subvention'],
      targeted_audiences: ['association', 'social-landlord'],
      perimeter: { scale: 'Département', code: '30', name: 'Gard' },
      description: 'Aide de démonstration pour créer une pension de famille.',
      logement_social: { operation_types: ['résidence spécifique'], produits: ['PLAI'] },
    });
    const s = created.json().slug;
    await financeur.post(`/api/v1/aides/${s}/soumettre`);
    await etat.post(`/api/v1/aides/${s}/publier`);
    expect((await runAidesJobs(t.database.db, t.config)).alertes).toBe(1);
    smtp.messages.length = 0;
    await deliverDueEmails(t.database.db, t.config);
    const digest = smtp.messages.find((m) => m.to.includes('veille@commune.example'))!;
    expect(digest.raw.replace(/=\r?\n/g, '')).toContain(`/aides/${s}`);
    // Daily: not again the same day.
    expect((await runAidesJobs(t.database.db, t.config)).alertes).toBe(0);
    expect((await post('/api/v1/aides/alertes/desabonner', { jeton })).statusCode).toBe(200);
  });

  it('subscriptions to one address are bounded (the confirmation e-mail goes to any address typed)', async () => {
    const ask = () => post('/api/v1/aides/alertes', { email: 'cible@exemple.test', frequence: 'hebdomadaire' });
    for (let i = 0; i < 3; i++) expect((await ask()).statusCode).toBe(202);
    const refused = await ask();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().message).toBe('Trop de demandes d’alerte : réessayez dans une heure.');
  });
});

describe('vocabulary and statistics (DDTM)', () => {
  it('the DDTM edits the vocabulary without code; the search uses it at once; audited', async () => {
    const before = (await get('/api/v1/aides?q=zorglub')).json();
    expect(before.count).toBe(0);
    expect((await financeur.post('/api/v1/aides/vocabulaire', { termes: ['zorglub', 'pension de famille'] })).statusCode).toBe(403);
    const bad = await etat.post('/api/v1/aides/vocabulaire', { termes: ['seul'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/au moins deux expressions/);
    const g = await etat.post('/api/v1/aides/vocabulaire', { termes: ['zorglub', 'pension de famille'], note: 'essai' });
    expect(g.statusCode).toBe(201);
    const after = (await get('/api/v1/aides?q=zorglub')).json();
    expect(after.count).toBeGreaterThan(0);
    expect((await etat.delete(`/api/v1/aides/vocabulaire/${g.json().id}`)).statusCode).toBe(204);
    expect((await get('/api/v1/aides?q=zorglub')).json().count).toBe(0);
  });

  it('statistics show the logged searches: per month, most frequent, with no result, with nothing clicked', async () => {
    for (let i = 0; i < 3; i++) await get('/api/v1/aides?q=VEFA%20PLS');
    await get('/api/v1/aides?q=qwxzyv');
    expect((await financeur.get('/api/v1/aides/revue/statistiques')).statusCode).toBe(403);
    const s = (await etat.get('/api/v1/aides/revue/statistiques')).json();
    expect(s.par_mois[0].recherches).toBeGreaterThan(5);
    expect(s.frequentes.find((x: { texte: string }) => x.texte === 'vefa pls')).toMatchObject({ n: 3, clics: 0 });
    expect(s.sans_resultat.map((x: { texte: string }) => x.texte)).toContain('qwxzyv');
    expect(s.sans_clic.map((x: { texte: string }) => x.texte)).toContain('vefa pls');
    // No personal data in the log: the table has no user, IP or session column.
    const cols = await t.database.db.execute(
      (await import('drizzle-orm')).sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'aides_recherches'`,
    );
    expect(((cols as unknown as { rows: { column_name: string }[] }).rows).map((c) => c.column_name).sort()).toEqual(['at', 'audience', 'clics', 'filtres', 'id', 'nb_resultats', 'source', 'texte']);
  });
});

describe('a broken rule is named (server/lib/errors.ts, shared/aides/statuts.ts)', () => {
  it('an action outside the transition table, an invalid aid and an unknown search answer 422 with their rule', async () => {
    const aide = {
      name: 'Aide témoin des transitions (test)',
      financers: ['Financeur Démo (fictif)'],
      targeted_audiences: ['social-landlord'],
      perimeter: { scale: 'Département', code: '30', name: 'Gard' },
      description: 'Aide de test : vérifie que le statut suit la table des transitions.',
    };
    const cree = await financeur.post('/api/v1/aides', aide);
    expect(cree.statusCode).toBe(201);
    const slug = cree.json().slug as string;
    const publiee = await etat.post(`/api/v1/aides/${slug}/publier`);
    expect(publiee.statusCode).toBe(422);
    expect(publiee.json()).toMatchObject({ error: 'donnees_invalides', regle: 'transition_interdite' });
    expect(publiee.json().message).toMatch(/Seule une aide en revue peut être publiée \(statut actuel : brouillon\)/);
    expect((await financeur.post(`/api/v1/aides/${slug}/soumettre`)).json().statut).toBe('en_revue');
    const deux = await financeur.post(`/api/v1/aides/${slug}/soumettre`);
    expect(deux.statusCode).toBe(422);
    expect(deux.json()).toMatchObject({ regle: 'transition_interdite' });
    const modifiee = await financeur.patch(`/api/v1/aides/${slug}`, aide);
    expect(modifiee.statusCode).toBe(422);
    expect(modifiee.json().message).toMatch(/en cours de revue/);

    const invalide = await financeur.post('/api/v1/aides', { ...aide, targeted_audiences: ['bailleurs'] });
    expect(invalide.statusCode).toBe(422);
    expect(invalide.json()).toMatchObject({ error: 'donnees_invalides', regle: 'regle_metier' });
    expect(invalide.json().details.erreurs.length).toBeGreaterThan(0);

    const clic = await post(`/api/v1/aides/${slug}/clic`, { recherche_id: 2_000_000_000 });
    expect(clic.statusCode).toBe(422);
    expect(clic.json()).toMatchObject({ regle: 'reference_inconnue', details: { champ: 'recherche_id' } });
  });
});
