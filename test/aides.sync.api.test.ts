/**
 * The aides-territoires sync (issue 13, docs/decisions/0017) against a local server that speaks the
 * aides-territoires API contract (test/aides-territoires-serveur.ts). That server is the one stand-in
 * of these tests: the national API is remote and cannot be reached from here. Everything on
 * Atelier's side is real: the client's HTTP, the database, the import runner, the search index.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { systemActor } from '../server/lib/principal.js';
import { ClientAidesTerritoires } from '../server/modules/aides/aides-territoires.client.js';
import { synchroniserAides, type Synchronisation } from '../server/modules/aides/aides.sync.js';
import { aideAt, demarrerAidesTerritoires, GARD, HERAULT, type ServeurAidesTerritoires } from './aides-territoires-serveur.js';
import { createTestApp, DEMO, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let at: ServeurAidesTerritoires;
let etat: Client;
let bailleur: Client;

const actor = systemActor('test de synchronisation');
/** A client with a short back-off and timeout, so that retries and timeouts take milliseconds. */
const client = (o: { cle?: string; parPage?: number; timeoutMs?: number; tentatives?: number } = {}) =>
  new ClientAidesTerritoires({ url: at.url, apiKey: o.cle ?? at.cle, attenteMs: 5, timeoutMs: o.timeoutMs ?? 2_000, tentatives: o.tentatives ?? 3, parPage: o.parPage ?? 100 });
const sync = async (o: Parameters<typeof client>[0] & { complete?: boolean } = {}) =>
  (await synchroniserAides(t.database.db, t.config, { actor, declencheur: 'test', client: client(o), complete: o.complete })) as Synchronisation;
const version = async () => Number((await rows<{ v: string }>(t.database.db, sql`SELECT version::text AS v FROM aides_index_version`))[0]!.v);
const synchronisees = async () =>
  rows<{ at_id: string; slug: string; statut: string; name: string; at_url: string; perimeter_scale: string; perimeter_code: string; targeted_audiences: string[]; description: string }>(
    t.database.db,
    sql`SELECT at_id, slug, statut, name, at_url, perimeter_scale, perimeter_code, targeted_audiences, description FROM aides WHERE at_id IS NOT NULL ORDER BY at_id::int`,
  );
const chercher = async (q: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/aides?q=${encodeURIComponent(q)}&limit=50` })).json<{ count: number; results: { slug: string }[] }>();

beforeAll(async () => {
  at = await demarrerAidesTerritoires();
  t = await createTestApp({ AIDES_TERRITOIRES_URL: at.url, AIDES_TERRITOIRES_API_KEY: at.cle });
  [etat, bailleur] = await signInMany(t.app, [DEMO.agentEtat, DEMO.bailleur]);
});
afterAll(async () => {
  await t?.close();
  await at?.close();
});
beforeEach(() => {
  at.pannes.length = 0;
  at.journal.length = 0;
});

describe('aides-territoires sync', () => {
  it('first run: the served territory’s aids are written, each with its aides-territoires id and page, searchable at once', async () => {
    at.aides.push(
      aideAt({ id: 1001, nom: 'Prêt quetzalcoatl pour la construction de logements sociaux' }),
      aideAt({ id: 1002, nom: 'Aide régionale au foncier solidaire', perimeter: 'Occitanie', perimeter_scale: 'Région' }),
      aideAt({ id: 1003, nom: 'Aide du département à la réhabilitation', perimeter: 'Gard', perimeter_scale: 'Département' }),
      aideAt({ id: 1004, nom: 'Fonds agglomération pour le logement abordable', perimeter: 'CA de Nîmes Métropole', perimeter_scale: 'epci' }),
      aideAt({ id: 1005, nom: 'Subvention communale acquisition amélioration', perimeter: 'Nîmes', perimeter_scale: 'commune' }),
      // Only for research bodies: no audience Atelier knows (left out, and said).
      aideAt({ id: 1006, nom: 'Appel à projets de recherche urbaine', targeted_audiences: ['Recherche'] }, { publics: ['commune'] }),
      // Listed for the Hérault only: not the served territory.
      aideAt({ id: 1007, nom: 'Aide de l’Hérault au logement', perimeter: 'Hérault', perimeter_scale: 'Département' }, { perimetres: [HERAULT] }),
    );
    const v0 = await version();
    const r = await sync();
    expect(r).toMatchObject({ statut: 'reussie', mode: 'complete', lues: 6, creees: 5, mises_a_jour: 0, retirees: 0, ignorees: 1, erreur: null });
    expect(r.details).toEqual([expect.objectContaining({ at_id: '1006', raison: expect.stringMatching(/aucun public visé connu/) })]);
    // The token exchange, then bearer requests: the key is sent to /api/connexion/ only.
    expect(at.journal[0]).toMatchObject({ methode: 'POST', chemin: '/api/connexion/', statut: 200 });

    const ecrites = await synchronisees();
    expect(ecrites.map((a) => a.at_id)).toEqual(['1001', '1002', '1003', '1004', '1005']);
    const p = Object.fromEntries(ecrites.map((a) => [a.at_id, `${a.perimeter_scale}:${a.perimeter_code}`]));
    expect(p).toEqual({ '1001': 'Pays:FRA', '1002': 'Région:76', '1003': 'Département:30', '1004': 'EPCI:243000643', '1005': 'Commune:30189' });
    expect(ecrites[0]!.targeted_audiences).toEqual(['commune', 'epci']);
    expect(ecrites[0]!.description).toBe('Financement des opérations de logement social n° 1001.\n\n- construction neuve\n- réhabilitation');
    expect(ecrites[0]!.at_url).toBe(`${at.url}/aides/${ecrites[0]!.slug}/`);
    expect(await version()).toBeGreaterThan(v0);

    // The sheet links to aides-territoires; the search finds the aid without any rebuild asked.
    const fiche = (await t.app.inject({ method: 'GET', url: `/api/v1/aides/${ecrites[0]!.slug}` })).json();
    expect(fiche.aides_territoires).toEqual({ id: '1001', url: `${at.url}/aides/${ecrites[0]!.slug}/` });
    expect(fiche.id).toBe('1001');
    expect((await chercher('quetzalcoatl')).results.map((x) => x.slug)).toContain(ecrites[0]!.slug);
  });

  it('a second run with nothing changed upstream changes nothing: no write, the index version stays', async () => {
    const v0 = await version();
    const [audits0] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'aides_synchronisation'`);
    const r = await sync();
    expect(r).toMatchObject({ statut: 'reussie', mode: 'incrementale', lues: 6, creees: 0, mises_a_jour: 0, retirees: 0, inchangees: 5, ignorees: 1 });
    expect(await version()).toBe(v0);
    const [audits1] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'aides_synchronisation'`);
    expect(audits1!.n).toBe(audits0!.n);
  });

  it('incremental run: only the aids whose date_updated moved are written; a new one is added', async () => {
    const a = at.aides.find((x) => x.aide.id === 1003)!;
    a.aide.name = 'Aide du département à la réhabilitation thermique des logements';
    a.aide.date_updated = '2026-11-20T08:00:00+01:00';
    // Changed upstream text without a new date: an incremental run trusts date_updated and skips it.
    at.aides.find((x) => x.aide.id === 1002)!.aide.name = 'Nom changé sans date';
    at.aides.push(aideAt({ id: 1008, nom: 'Garantie d’emprunt xylophone pour bailleurs' }));
    const r = await sync();
    expect(r).toMatchObject({ statut: 'reussie', mode: 'incrementale', lues: 7, creees: 1, mises_a_jour: 1, inchangees: 4 });
    const ecrites = await synchronisees();
    expect(ecrites.find((x) => x.at_id === '1003')!.name).toBe('Aide du département à la réhabilitation thermique des logements');
    expect(ecrites.find((x) => x.at_id === '1002')!.name).toBe('Aide régionale au foncier solidaire');
    expect((await chercher('xylophone')).count).toBe(1);
    // A complete run writes every listed aid again.
    const complete = await sync({ complete: true });
    expect(complete).toMatchObject({ mode: 'complete', creees: 0, mises_a_jour: 6 });
    expect((await synchronisees()).find((x) => x.at_id === '1002')!.name).toBe('Nom changé sans date');
  });

  it('an aid withdrawn upstream leaves the search and the public, kept for the DDTM; listed again, it comes back', async () => {
    const i = at.aides.findIndex((x) => x.aide.id === 1001);
    const [retiree] = at.aides.splice(i, 1);
    const slug = retiree!.aide.slug;
    const r = await sync();
    expect(r).toMatchObject({ statut: 'reussie', retirees: 1, creees: 0, mises_a_jour: 0 });
    expect((await synchronisees()).find((x) => x.at_id === '1001')!.statut).toBe('retiree');
    expect((await chercher('quetzalcoatl')).results.map((x) => x.slug)).not.toContain(slug);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/aides/${slug}` })).statusCode).toBe(404);
    const ddtm = await etat.get(`/api/v1/aides/${slug}`);
    expect(ddtm.statusCode).toBe(200);
    expect(ddtm.json().statut).toBe('retiree');
    // Only the aids the sync wrote are withdrawn: the shipped catalogue's own aids stay published.
    const [autres] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM aides WHERE at_id IS NULL AND statut = 'retiree'`);
    expect(autres!.n).toBe(0);
    // A second run does not withdraw it again.
    expect(await sync()).toMatchObject({ retirees: 0, creees: 0, mises_a_jour: 0 });

    at.aides.push(retiree!);
    const retour = await sync();
    expect(retour).toMatchObject({ statut: 'reussie', mises_a_jour: 1, retirees: 0 });
    expect((await synchronisees()).find((x) => x.at_id === '1001')!.statut).toBe('publiee');
    expect((await chercher('quetzalcoatl')).results.map((x) => x.slug)).toContain(slug);
  });

  it('follows `next` over several pages', async () => {
    for (let k = 0; k < 23; k++) at.aides.push(aideAt({ id: 2000 + k, nom: `Aide paginée numéro ${k} pour le logement` }));
    const r = await sync({ parPage: 10 });
    expect(r).toMatchObject({ statut: 'reussie', creees: 23 });
    const pages = at.journal.filter((j) => j.chemin === '/api/aids/').map((j) => j.page);
    const attendu = Math.ceil(at.aides.filter((a) => a.perimetres.includes(GARD)).length / 10);
    expect(pages).toEqual(Array.from({ length: attendu }, (_, k) => k + 1));
    expect(r.pages).toBe(attendu);
    expect((await synchronisees()).filter((a) => Number(a.at_id) >= 2000)).toHaveLength(23);
  });

  it('a refused key: the run fails with a French message, nothing is written, the refusal is not retried', async () => {
    at.aides.push(aideAt({ id: 3001, nom: 'Aide jamais écrite' }));
    const v0 = await version();
    const r = await sync({ cle: 'mauvaise-cle' });
    expect(r.statut).toBe('echouee');
    expect(r.erreur).toMatch(/clé d’API aides-territoires est refusée \(HTTP 401 : User not found\).*AIDES_TERRITOIRES_API_KEY/);
    expect(at.journal.filter((j) => j.chemin === '/api/connexion/')).toHaveLength(1);
    expect(await version()).toBe(v0);
    expect((await synchronisees()).some((a) => a.at_id === '3001')).toBe(false);
  });

  it('a page that never answers in time: the run fails after the retries, and nothing of the pages read before is written', async () => {
    at.pannes.push({ chemin: '/api/aids/', page: 2, delaiMs: 600, fois: 3 });
    const v0 = await version();
    const r = await sync({ parPage: 10, timeoutMs: 150, tentatives: 3 });
    expect(r.statut).toBe('echouee');
    expect(r.erreur).toMatch(/aides-territoires injoignable \(GET \/api\/aids\/.*page=2.*\) : pas de réponse en 0[.,]2 s, après 3 essais\. Rien n’a été modifié/);
    expect(r.pages).toBe(1);
    expect(await version()).toBe(v0);
    expect((await synchronisees()).some((a) => a.at_id === '3001')).toBe(false);
  });

  it('a page that fails with 503 then answers: retried with back-off, the run succeeds', async () => {
    at.pannes.push({ chemin: '/api/aids/', page: 2, statut: 503, fois: 2 });
    const r = await sync({ parPage: 10 });
    expect(r).toMatchObject({ statut: 'reussie', creees: 1 });
    expect(at.journal.filter((j) => j.chemin === '/api/aids/' && j.page === 2).map((j) => j.statut)).toEqual([503, 503, 200]);
    expect((await synchronisees()).some((a) => a.at_id === '3001')).toBe(true);
  });

  it('the admin status route shows the last run; a run can be asked for; others are refused', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/aides/synchronisation' })).statusCode).toBe(401);
    expect((await bailleur.get('/api/v1/aides/synchronisation')).statusCode).toBe(403);
    const lance = await etat.post('/api/v1/aides/synchronisation', {});
    expect(lance.statusCode).toBe(200);
    expect(lance.json()).toMatchObject({ statut: 'reussie', mode: 'incrementale', declencheur: DEMO.agentEtat, creees: 0, mises_a_jour: 0 });
    const s = (await etat.get('/api/v1/aides/synchronisation')).json();
    expect(s).toMatchObject({ configuree: true, message: null, url: at.url, departements: ['30'], derniere: { id: lance.json().id, statut: 'reussie' } });
    expect(s.aides_synchronisees).toBeGreaterThan(25);
    expect(s.historique.some((h: { statut: string; erreur: string | null }) => h.statut === 'echouee' && /refusée/.test(h.erreur ?? ''))).toBe(true);
  });
});

describe('without an API key', () => {
  let sans: TestContext;
  beforeAll(async () => {
    sans = await createTestApp({ AIDES_TERRITOIRES_URL: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await sans?.close();
  });

  it('nothing runs, and the admin page says so', async () => {
    const [admin] = await signInMany(sans.app, [DEMO.admin]);
    const s = (await admin.get('/api/v1/aides/synchronisation')).json();
    expect(s).toMatchObject({ configuree: false, derniere: null, historique: [] });
    expect(s.message).toMatch(/aucune clé d’API configurée \(AIDES_TERRITOIRES_API_KEY\)/);
    const lance = await admin.post('/api/v1/aides/synchronisation', {});
    expect(lance.statusCode).toBe(409);
    expect(lance.json().message).toMatch(/non configurée : renseignez AIDES_TERRITOIRES_API_KEY/);
    await expect(synchroniserAides(sans.database.db, sans.config, { actor, declencheur: 'test' })).rejects.toThrow(/non configurée/);
  });
});
