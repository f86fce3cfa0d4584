/**
 * One instance serving two départements (Gard 30, Hérault 34): for every route family, an agent or
 * user of one département gets 404 on the other's records and never sees them in lists, counts,
 * exports, documents or statistics (decision 0009). Every record is made here by the factories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalRecherches } from '../server/modules/aides/aides.journal.js';
import { createAideFor, createGisementIn, createOperationIn, createOrganisation, createUser, communeOf, loadTerritoire } from './factories.js';
import { createTestApp, multipartBody, type Client, type TestContext } from './helpers.js';

let t: TestContext;

/** Everything one département holds in this suite. */
interface Side {
  dep: string;
  commune: { code_insee: string; epci_siren: string; nom: string };
  bailleurOrg: string;
  financeurOrg: string;
  etat: Client & { id: string };
  epci: Client & { id: string };
  commune_: Client & { id: string };
  bailleur: Client & { id: string };
  financeur: Client & { id: string };
  operation: string;
  operationNom: string;
  documentId: string;
  blocageId: string;
  gisement: string;
  gisementNom: string;
  gisementPartage: string;
  revue: string;
  pointId: string;
  actionId: string;
  aideEnRevue: string;
  aideEnRevue2: string;
  aidePubliee: string;
  aideNationale: string;
  recherche: string;
}
const sides: Record<'30' | '34', Side> = {} as Record<'30' | '34', Side>;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** A point inside each département's main commune (Nîmes, Montpellier). */
const POINT: Record<string, [number, number]> = { '30': [4.36, 43.84], '34': [3.88, 43.61] };
const ANNEE = new Date().getFullYear();

async function side(dep: '30' | '34'): Promise<Side> {
  const commune = await communeOf(t, dep);
  const bailleurOrg = await createOrganisation(t, { type: 'bailleur', departement: dep, nom: `Bailleur ${dep}` });
  const financeurOrg = await createOrganisation(t, { type: 'financeur', departement: dep, nom: `Financeur ${dep}` });
  const [etat, epci, commune_, bailleur, financeur] = await Promise.all([
    createUser(t, { role: 'agent_etat', departement: dep }),
    createUser(t, { role: 'agent_epci', departement: dep, epciSiren: commune.epci_siren }),
    createUser(t, { role: 'commune', departement: dep, communeInsee: commune.code_insee }),
    createUser(t, { role: 'bailleur', departement: dep, organisationId: bailleurOrg }),
    createUser(t, { role: 'financeur', departement: dep, organisationId: financeurOrg }),
  ]);
  const operationNom = `Résidence témoin ${dep}`;
  const operation = await createOperationIn(t, commune.code_insee, bailleurOrg, { nom: operationNom });
  // Sub-records through the API, by the State agent of the département.
  const m = multipartBody(PDF, `permis-${dep}.pdf`, { categorie: 'permis' });
  const doc = await t.app.inject({ method: 'POST', url: `/api/v1/operations/${operation}/documents`, payload: m.body, headers: { cookie: etat.cookie, 'x-csrf-token': etat.csrf, 'content-type': m.contentType } });
  expect(doc.statusCode).toBe(201);
  const bl = await etat.post(`/api/v1/operations/${operation}/blocages`, { type: 'financement', description: `Plan de financement incomplet ${dep}` });
  expect(bl.statusCode).toBe(201);
  expect((await etat.post(`/api/v1/operations/${operation}/concertations`, { modalite: 'reunion_publique', date: '2026-01-15', riverains_rencontres: 12 })).statusCode).toBe(201);
  const gisementNom = `Friche témoin ${dep}`;
  const gisement = await createGisementIn(t, { commune: commune.code_insee, lon: POINT[dep]![0], lat: POINT[dep]![1], nom: gisementNom, organisations: [bailleurOrg] });
  const gisementPartage = await createGisementIn(t, { commune: commune.code_insee, lon: POINT[dep]![0] + 0.01, lat: POINT[dep]![1], nom: `Friche partagée ${dep}`, visibilite: 'partage' });
  // A review of the EPCI: the operation, in difficulty, is on its agenda; an action is decided.
  const rv = await etat.post('/api/v1/revues', { epci_siren: commune.epci_siren, date: `${ANNEE}-06-15T09:30:00+02:00`, participants: [] });
  expect(rv.statusCode).toBe(201);
  const point = rv.json().points.find((p: { operation: { id: string } }) => p.operation.id === operation);
  expect(point).toBeDefined();
  const action = await etat.post(`/api/v1/revues/${rv.json().id}/points/${point.id}/actions`, { libelle: `Relancer le financeur ${dep}`, responsable: 'DDTM', echeance: `${ANNEE}-07-01` });
  expect(action.statusCode).toBe(201);
  // Aids: two submitted by the département's financer, one published, one of a national body whose perimeter is the département.
  const perimetre = { scale: 'Département', code: dep, name: dep === '30' ? 'Gard' : 'Hérault' };
  const nationale = await createOrganisation(t, { type: 'financeur', departement: null, nom: `Organisme national ${dep}` });
  const [aideEnRevue, aideEnRevue2, aidePubliee, aideNationale] = await Promise.all([
    createAideFor(t, { organisationId: financeurOrg, perimeter: perimetre, statut: 'en_revue', name: `Aide en revue ${dep}` }),
    createAideFor(t, { organisationId: financeurOrg, perimeter: perimetre, statut: 'en_revue', name: `Seconde aide en revue ${dep}` }),
    createAideFor(t, { organisationId: financeurOrg, perimeter: perimetre, statut: 'publiee', name: `Aide publiée ${dep}` }),
    createAideFor(t, { organisationId: nationale, perimeter: perimetre, statut: 'en_revue', name: `Aide nationale pour ${dep}` }),
  ]);
  // A public search on the département's commune, logged for the statistics.
  const recherche = `zzrecherche${dep}`;
  expect((await t.app.inject({ method: 'GET', url: `/api/v1/aides?q=${recherche}&perimetre=${commune.code_insee}` })).statusCode).toBe(200);
  return {
    dep, commune, bailleurOrg, financeurOrg, etat, epci, commune_, bailleur, financeur, operation, operationNom,
    documentId: doc.json().id, blocageId: bl.json().id, gisement, gisementNom, gisementPartage, revue: rv.json().id, pointId: point.id, actionId: action.json().id,
    aideEnRevue, aideEnRevue2, aidePubliee, aideNationale, recherche,
  };
}

beforeAll(async () => {
  t = await createTestApp({ ATELIER_DEPARTEMENTS: '30,34' });
  await loadTerritoire(t, '34');
  sides['30'] = await side('30');
  sides['34'] = await side('34');
  await journalRecherches(t.database.db).vider();
}, 300_000);
afterAll(() => t?.close());

/** Each test runs in both directions: `me` acts, `other` holds the records. */
const directions = [
  ['30', '34'],
  ['34', '30'],
] as const;
const pairs = () => directions.map(([a, b]) => ({ me: sides[a], other: sides[b] }));

describe('operations and their sub-routes', () => {
  it('the sheet and every sub-route of another département’s operation answer 404, for every role', async () => {
    for (const { me, other } of pairs()) {
      const id = other.operation;
      for (const c of [me.etat, me.epci, me.commune_, me.bailleur]) {
        expect((await c.get(`/api/v1/operations/${id}`)).statusCode).toBe(404);
        expect((await c.get(`/api/v1/operations/${id}/evenements`)).statusCode).toBe(404);
        expect((await c.get(`/api/v1/operations/${id}/documents`)).statusCode).toBe(404);
        expect((await c.get(`/api/v1/operations/${id}/documents/${other.documentId}`)).statusCode).toBe(404);
        expect((await c.get(`/api/v1/operations/${id}/concertations`)).statusCode).toBe(404);
        expect((await c.get(`/api/v1/operations/${id}/aides`)).statusCode).toBe(404);
      }
      // Writes: the financing plan, a blocker, a document, a consultation.
      expect((await me.etat.patch(`/api/v1/operations/${id}`, { plan_financement: [{ categorie: 'pret', source: 'PLAI', montant: 1000 }] })).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/operations/${id}/blocages`, { type: 'foncier', description: 'intrusion' })).statusCode).toBe(404);
      expect((await me.etat.patch(`/api/v1/operations/${id}/blocages/${other.blocageId}`, { statut: 'leve' })).statusCode).toBe(404);
      expect((await me.etat.delete(`/api/v1/operations/${id}/documents/${other.documentId}`)).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/operations/${id}/concertations`, { modalite: 'permanence', date: '2026-01-10', riverains_rencontres: 1 })).statusCode).toBe(404);
    }
    // Nothing was changed on either side.
    for (const s of Object.values(sides)) {
      const o = (await s.etat.get(`/api/v1/operations/${s.operation}`)).json();
      expect(o.blocages.map((b: { statut: string }) => b.statut)).toEqual(['ouvert']);
      expect((await s.etat.get(`/api/v1/operations/${s.operation}/documents`)).json().count).toBe(1);
    }
  });

  it('lists, counts and exports hold one’s own département only', async () => {
    for (const { me, other } of pairs()) {
      for (const c of [me.etat, me.epci, me.commune_, me.bailleur]) {
        const list = (await c.get('/api/v1/operations?limit=500')).json();
        const ids = list.results.map((o: { id: string }) => o.id);
        expect(ids).toContain(me.operation);
        expect(ids).not.toContain(other.operation);
        expect(list.results.every((o: { departement: string }) => o.departement === me.dep)).toBe(true);
        expect(list.count).toBe(list.results.length);
        // A filter naming the other's territory finds nothing (it does not widen the scope).
        expect((await c.get(`/api/v1/operations?commune=${other.commune.code_insee}`)).json().count).toBe(0);
        expect((await c.get(`/api/v1/operations?epci=${other.commune.epci_siren}`)).json().count).toBe(0);
        const csv = await c.get('/api/v1/operations/export.csv');
        expect(csv.statusCode).toBe(200);
        expect(csv.body).toContain(me.operationNom);
        expect(csv.body).not.toContain(other.operationNom);
      }
    }
  });

  it('the indicators count one’s own département only', async () => {
    for (const { me, other } of pairs()) {
      const i = (await me.etat.get(`/api/v1/indicateurs/operations?annee=${ANNEE}`)).json();
      const epcis = i.projets_qui_aboutissent.par_epci.map((e: { epci_siren: string }) => e.epci_siren);
      expect(epcis).toContain(me.commune.epci_siren);
      expect(epcis).not.toContain(other.commune.epci_siren);
      expect(i.revues.planifiees).toBeGreaterThanOrEqual(1);
      const communes = i.concertation.par_commune.map((c: { code_insee: string }) => c.code_insee);
      expect(communes).toContain(me.commune.code_insee);
      expect(communes).not.toContain(other.commune.code_insee);
      expect(i.blocages.find((b: { type: string }) => b.type === 'financement').encore_ouverts).toBeGreaterThanOrEqual(1);
      // The Hérault holds no demo data: its figures are this suite's records exactly.
      if (me.dep === '34') {
        expect(i.revues.planifiees).toBe(1);
        expect(i.projets_qui_aboutissent.par_epci).toEqual([expect.objectContaining({ epci_siren: me.commune.epci_siren, operations: 1 })]);
      }
    }
  });
});

describe('project reviews', () => {
  it('another département’s review, its points, actions and documents answer 404', async () => {
    for (const { me, other } of pairs()) {
      for (const c of [me.etat, me.epci]) {
        expect((await c.get(`/api/v1/revues/${other.revue}`)).statusCode).toBe(404);
        expect((await c.get(`/api/v1/revues/${other.revue}/ordre-du-jour.pdf`)).statusCode).toBe(404);
        expect((await c.get(`/api/v1/revues/${other.revue}/compte-rendu.docx`)).statusCode).toBe(404);
        expect((await c.patch(`/api/v1/revues/actions/${other.actionId}`, { statut: 'close' })).statusCode).toBe(404);
        expect((await c.post(`/api/v1/revues/${other.revue}/ordre-du-jour/actualiser`)).statusCode).toBe(404);
        expect((await c.post(`/api/v1/revues/${other.revue}/points`, { operation_id: other.operation })).statusCode).toBe(404);
      }
      expect((await me.etat.patch(`/api/v1/revues/${other.revue}`, { lieu: 'ailleurs' })).statusCode).toBe(404);
      expect((await me.etat.patch(`/api/v1/revues/${other.revue}/points/${other.pointId}`, { decisions: 'intrusion' })).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/revues/${other.revue}/points/${other.pointId}/actions`, { libelle: 'x', responsable: 'y', echeance: `${ANNEE}-12-01` })).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/revues/${other.revue}/points/${other.pointId}/escalade`, { motif: 'intrusion dans un autre département' })).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/revues/${other.revue}/participants`, { participants: [{ email: 'x@exemple.fr' }] })).statusCode).toBe(404);
      // An agent cannot plan a review of the other département's EPCI either.
      expect((await me.etat.post('/api/v1/revues', { epci_siren: other.commune.epci_siren, date: `${ANNEE}-09-15T09:30:00+02:00` })).statusCode).toBe(422);
    }
    for (const s of Object.values(sides)) {
      const r = (await s.etat.get(`/api/v1/revues/${s.revue}`)).json();
      expect(r.lieu).toBeNull();
      expect(r.points[0].decisions).toBeNull();
      expect(r.points[0].escalade).toBeNull();
      expect(r.points[0].actions.map((a: { statut: string }) => a.statut)).toEqual(['ouverte']);
    }
  });

  it('lists and the CDHH report hold one’s own département only', async () => {
    for (const { me, other } of pairs()) {
      for (const c of [me.etat, me.epci]) {
        const ids = (await c.get('/api/v1/revues')).json().results.map((r: { id: string }) => r.id);
        expect(ids).toContain(me.revue);
        expect(ids).not.toContain(other.revue);
        expect((await c.get(`/api/v1/revues?epci=${other.commune.epci_siren}`)).json().count).toBe(0);
      }
      const html = await me.etat.get(`/api/v1/rapports/cdhh/${ANNEE}.html`);
      expect(html.statusCode).toBe(200);
      expect(html.body).not.toContain(other.commune.nom);
      expect(html.body).not.toContain(other.operationNom);
    }
  });
});

describe('land observatory', () => {
  it('another département’s gisement answers 404; writes too', async () => {
    for (const { me, other } of pairs()) {
      for (const c of [me.etat, me.epci, me.commune_]) expect((await c.get(`/api/v1/foncier/gisements/${other.gisement}`)).statusCode).toBe(404);
      expect((await me.etat.patch(`/api/v1/foncier/gisements/${other.gisement}`, { nom: 'intrusion' })).statusCode).toBe(404);
      expect((await me.etat.delete(`/api/v1/foncier/gisements/${other.gisement}`)).statusCode).toBe(404);
      // A landlord linked to its own département's gisement only.
      expect((await me.bailleur.get(`/api/v1/foncier/gisements/${me.gisement}`)).statusCode).toBe(200);
      expect((await me.bailleur.get(`/api/v1/foncier/gisements/${other.gisement}`)).statusCode).toBe(404);
      // Shared means shared with the landlords of its département.
      expect((await me.bailleur.get(`/api/v1/foncier/gisements/${me.gisementPartage}`)).statusCode).toBe(200);
      expect((await me.bailleur.get(`/api/v1/foncier/gisements/${other.gisementPartage}`)).statusCode).toBe(404);
    }
  });

  it('the map’s bbox, the list, the exports and the synthesis hold one’s own département only', async () => {
    const bbox = '3.0,43.0,5.0,44.5'; // both départements
    for (const { me, other } of pairs()) {
      for (const c of [me.etat, me.epci, me.commune_, me.bailleur]) {
        const map = (await c.get(`/api/v1/foncier/gisements?bbox=${bbox}`)).json();
        const ids = map.features.map((f: { id: string }) => f.id);
        expect(ids).toContain(me.gisement);
        expect(ids).not.toContain(other.gisement);
        expect(ids).not.toContain(other.gisementPartage);
        const liste = (await c.get('/api/v1/foncier/gisements/liste')).json().results.map((g: { id: string }) => g.id);
        expect(liste).toContain(me.gisement);
        expect(liste).not.toContain(other.gisement);
        const geojson = await c.get('/api/v1/foncier/gisements/export.geojson');
        expect(geojson.body).toContain(me.gisementNom);
        expect(geojson.body).not.toContain(other.gisementNom);
        // The synthesis shows of the other territory what the public sees (its public gisements), no more.
        for (const [niveau, code] of [['commune', other.commune.code_insee], ['epci', other.commune.epci_siren]] as const) {
          const row = (body: { rows: { code: string }[] }) => body.rows.find((r) => r.code === code) ?? null;
          const mine = row((await c.get(`/api/v1/foncier/synthese?niveau=${niveau}`)).json());
          const publique = row((await t.app.inject({ method: 'GET', url: `/api/v1/foncier/synthese?niveau=${niveau}` })).json());
          expect(mine).toEqual(publique);
          const lignes = (csv: string) => csv.split('\n').filter((l) => l.includes(code));
          const csv = (await c.get(`/api/v1/foncier/synthese/export.csv?niveau=${niveau}`)).body;
          const csvPublic = (await t.app.inject({ method: 'GET', url: `/api/v1/foncier/synthese/export.csv?niveau=${niveau}` })).body;
          expect(lignes(csv)).toEqual(lignes(csvPublic));
        }
      }
    }
  });
});

describe('financing aids: review, publication, campaign, statistics', () => {
  it('the review queue holds the aids of one’s département: its financers’ and national bodies’ aids for its perimeter', async () => {
    for (const { me, other } of pairs()) {
      const slugs = (await me.etat.get('/api/v1/aides/revue/en-attente')).json().results.map((a: { slug: string }) => a.slug);
      expect(slugs).toEqual(expect.arrayContaining([me.aideEnRevue, me.aideEnRevue2, me.aideNationale]));
      for (const s of [other.aideEnRevue, other.aideEnRevue2, other.aideNationale]) expect(slugs).not.toContain(s);
    }
  });

  it('another département’s aid under review: its sheet, publication, sending back and confirmation answer 404, and nothing changes', async () => {
    for (const { me, other } of pairs()) {
      expect((await me.etat.get(`/api/v1/aides/${other.aideEnRevue}`)).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/aides/${other.aideEnRevue}/publier`)).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/aides/${other.aideEnRevue2}/renvoyer`, { motif: 'Renvoi par un autre département.' })).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/aides/${other.aideNationale}/publier`)).statusCode).toBe(404);
      expect((await me.etat.post(`/api/v1/aides/${other.aidePubliee}/confirmer`)).statusCode).toBe(404);
      // The other's financer sees its own aids, unchanged.
      const mine = (await other.financeur.get('/api/v1/aides/espace/mes-aides')).json().results;
      expect(mine.find((a: { slug: string }) => a.slug === other.aideEnRevue).statut).toBe('en_revue');
      expect(mine.find((a: { slug: string }) => a.slug === other.aideEnRevue2)).toMatchObject({ statut: 'en_revue', motif_renvoi: null });
    }
    // A published aid stays public for everyone, whatever its département.
    expect((await sides['34'].etat.get(`/api/v1/aides/${sides['30'].aidePubliee}`)).statusCode).toBe(200);
  });

  it('the agent of the département publishes and sends back its own aids', async () => {
    const s = sides['34'];
    const pub = await s.etat.post(`/api/v1/aides/${s.aideNationale}/publier`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().statut).toBe('publiee');
    const back = await s.etat.post(`/api/v1/aides/${s.aideEnRevue2}/renvoyer`, { motif: 'Précisez le taux.' });
    expect(back.json().statut).toBe('brouillon');
  });

  it('the financers’ workspace holds one’s organisation’s aids only; another’s aid does not exist for it', async () => {
    for (const { me, other } of pairs()) {
      const slugs = (await me.financeur.get('/api/v1/aides/espace/mes-aides')).json().results.map((a: { slug: string }) => a.slug);
      expect(slugs).toContain(me.aideEnRevue);
      expect(slugs).not.toContain(other.aideEnRevue);
      expect((await me.financeur.get(`/api/v1/aides/${other.aideEnRevue}`)).statusCode).toBe(404);
      expect((await me.financeur.post(`/api/v1/aides/${other.aidePubliee}/soumettre`)).statusCode).toBe(404);
      expect((await me.financeur.post(`/api/v1/aides/${other.aidePubliee}/confirmer`)).statusCode).toBe(404);
    }
  });

  it('the campaign lists one’s département’s financers (and national bodies), counting only the aids one reviews', async () => {
    for (const { me, other } of pairs()) {
      const rows = (await me.etat.get('/api/v1/aides/revue/campagne')).json().results as { organisation_id: string; nom: string; en_revue: number; publiees: number; brouillons: number }[];
      const ids = rows.map((r) => r.organisation_id);
      expect(ids).toContain(me.financeurOrg);
      expect(ids).not.toContain(other.financeurOrg);
      const mine = rows.find((r) => r.organisation_id === me.financeurOrg)!;
      expect(mine.publiees).toBe(1);
      // National bodies are listed, with the aids of one's département only.
      const autreNational = rows.find((r) => r.nom === `Organisme national ${other.dep}`);
      expect(autreNational).toBeDefined();
      expect(autreNational!.en_revue + autreNational!.publiees + autreNational!.brouillons).toBe(0);
    }
  });

  it('the search statistics hold the searches on one’s département (and those without a perimeter), and its aids', async () => {
    // A search without a perimeter belongs to every département.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/aides?q=zzsansperimetre' })).statusCode).toBe(200);
    await journalRecherches(t.database.db).vider();
    // Each département's published aid is viewed: without the scope, both would top the list.
    for (const s of Object.values(sides)) {
      for (let i = 0; i < 3; i++) expect((await t.app.inject({ method: 'GET', url: `/api/v1/aides/${s.aidePubliee}` })).statusCode).toBe(200);
    }
    for (const { me, other } of pairs()) {
      const s = (await me.etat.get('/api/v1/aides/revue/statistiques')).json();
      const textes = JSON.stringify([s.frequentes, s.sans_resultat, s.sans_clic]);
      expect(textes).toContain(me.recherche);
      expect(textes).toContain('zzsansperimetre');
      expect(textes).not.toContain(other.recherche);
      const vues = s.aides_les_plus_vues.map((a: { slug: string }) => a.slug);
      expect(vues).toContain(me.aidePubliee);
      expect(vues).not.toContain(other.aidePubliee);
    }
  });
});

describe('accounts, organisations, audit log', () => {
  it('a State agent reads the accounts of its département only', async () => {
    for (const { me, other } of pairs()) {
      const ids = (await me.etat.get('/api/v1/users')).json().results.map((u: { id: string }) => u.id);
      expect(ids).toEqual(expect.arrayContaining([me.etat.id, me.bailleur.id]));
      for (const u of [other.etat, other.bailleur, other.financeur]) {
        expect(ids).not.toContain(u.id);
        expect((await me.etat.get(`/api/v1/users/${u.id}`)).statusCode).toBe(404);
      }
    }
  });

  it('organisations of the other département do not exist for its users', async () => {
    for (const { me, other } of pairs()) {
      for (const c of [me.etat, me.bailleur]) {
        const ids = (await c.get('/api/v1/organisations')).json().results.map((o: { id: string }) => o.id);
        expect(ids).toContain(me.bailleurOrg);
        expect(ids).not.toContain(other.bailleurOrg);
        expect((await c.get(`/api/v1/organisations/${other.bailleurOrg}`)).statusCode).toBe(404);
      }
    }
  });

  it('the audit log of a State agent holds its département’s entries only', async () => {
    for (const { me, other } of pairs()) {
      const all = (await me.etat.get('/api/v1/audit?limit=500')).json().results as { departement: string | null; entity_id: string }[];
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((e) => e.departement === me.dep)).toBe(true);
      expect(all.map((e) => e.entity_id)).toContain(me.operation);
      expect((await me.etat.get(`/api/v1/audit?entity_type=operation&entity_id=${other.operation}`)).json().results).toEqual([]);
    }
  });
});

describe('attributions: CALEOL sittings, calendar feeds, vacated dwellings, deliveries', () => {
  const att: Record<string, { seance: string; logement: string; livraison: string; flux: string }> = {};
  const dans6Mois = () => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + 6);
    return d.toISOString().slice(0, 10);
  };

  beforeAll(async () => {
    for (const s of Object.values(sides)) {
      const seance = await s.bailleur.post('/api/v1/caleol/seances', { debut: `${ANNEE + 1}-02-10T09:30:00+01:00`, communes: [s.commune.code_insee], commission: `CALEOL témoin ${s.dep}` });
      expect(seance.statusCode).toBe(201);
      const logement = await s.bailleur.post('/api/v1/logements-liberes', { commune: s.commune.code_insee, typologie: 'T3', produit: 'PLUS', disponible_le: `${ANNEE + 1}-03-01`, reservataire: 'commune', reference: `LGT-${s.dep}` });
      expect(logement.statusCode).toBe(201);
      const livraison = await createOperationIn(t, s.commune.code_insee, s.bailleurOrg, { nom: `Livraison témoin ${s.dep}`, date_livraison_prevue: dans6Mois() });
      const flux = (await s.commune_.get('/api/v1/me/calendrier')).json().url as string;
      att[s.dep] = { seance: seance.json().id, logement: logement.json().id, livraison, flux };
    }
  });

  it('another département’s sitting, dwelling and operation answer 404; lists, exports and feeds hold one’s own', async () => {
    for (const { me, other } of pairs()) {
      const mine = att[me.dep]!;
      const theirs = att[other.dep]!;
      for (const c of [me.etat, me.epci, me.commune_, me.bailleur]) {
        expect((await c.get(`/api/v1/caleol/seances/${theirs.seance}`)).statusCode).toBe(404);
        const seances = (await c.get('/api/v1/caleol/seances')).json().results.map((x: { id: string }) => x.id);
        expect(seances).toContain(mine.seance);
        expect(seances).not.toContain(theirs.seance);
        expect((await c.get(`/api/v1/caleol/seances?commune=${other.commune.code_insee}`)).json().count).toBe(0);
        const logements = (await c.get('/api/v1/logements-liberes')).json();
        expect(logements.results.map((x: { id: string }) => x.id)).toContain(mine.logement);
        expect(logements.results.map((x: { id: string }) => x.id)).not.toContain(theirs.logement);
        expect(logements.results.every((x: { departement: string }) => x.departement === me.dep)).toBe(true);
        expect((await c.get(`/api/v1/logements-liberes?commune=${other.commune.code_insee}`)).json().count).toBe(0);
        const csv = (await c.get('/api/v1/logements-liberes/export.csv')).body;
        expect(csv).toContain(`LGT-${me.dep}`);
        expect(csv).not.toContain(`LGT-${other.dep}`);
        const livraisons = (await c.get('/api/v1/livraisons')).json().results.map((x: { operation_id: string }) => x.operation_id);
        expect(livraisons).toContain(mine.livraison);
        expect(livraisons).not.toContain(theirs.livraison);
      }
      // Writes on the other side's records.
      expect((await me.bailleur.patch(`/api/v1/caleol/seances/${theirs.seance}`, { lieu: 'intrusion' })).statusCode).toBe(404);
      expect((await me.bailleur.delete(`/api/v1/caleol/seances/${theirs.seance}`)).statusCode).toBe(404);
      expect((await me.bailleur.patch(`/api/v1/logements-liberes/${theirs.logement}`, { disponible_le: `${ANNEE + 1}-01-01` })).statusCode).toBe(404);
      const put = await t.app.inject({ method: 'PUT', url: `/api/v1/operations/${theirs.livraison}/contingents`, payload: { contingents: [{ reservataire: 'etat', logements: 1 }] }, headers: { cookie: me.bailleur.cookie, 'x-csrf-token': me.bailleur.csrf } });
      expect(put.statusCode).toBe(404);
      const presence = await t.app.inject({ method: 'PUT', url: `/api/v1/caleol/seances/${theirs.seance}/presence`, payload: { presence: 'elu' }, headers: { cookie: me.commune_.cookie, 'x-csrf-token': me.commune_.csrf } });
      expect(presence.statusCode).toBe(404);
      // A landlord declares neither a sitting nor a dwelling in the other département's communes.
      expect((await me.bailleur.post('/api/v1/caleol/seances', { debut: `${ANNEE + 1}-02-10T09:30:00+01:00`, communes: [other.commune.code_insee] })).statusCode).toBe(422);
      expect((await me.bailleur.patch(`/api/v1/caleol/seances/${mine.seance}`, { communes: [me.commune.code_insee, other.commune.code_insee] })).statusCode).toBe(422);
      expect((await me.bailleur.post('/api/v1/logements-liberes', { commune: other.commune.code_insee, typologie: 'T2', produit: 'PLAI', disponible_le: `${ANNEE + 1}-03-01`, reservataire: 'etat' })).statusCode).toBe(422);
      const m = multipartBody(Buffer.from(`commune;typologie;produit;disponible_le;reservataire\n${other.commune.code_insee};T2;PLAI;${ANNEE + 1}-03-01;etat\n`), 'liberes.csv');
      const imp = await t.app.inject({ method: 'POST', url: '/api/v1/logements-liberes/import', payload: m.body, headers: { cookie: me.bailleur.cookie, 'x-csrf-token': me.bailleur.csrf, 'content-type': m.contentType } });
      expect(imp.statusCode).toBe(422);
      // The feed carries one's own sittings only.
      const flux = await t.app.inject({ method: 'GET', url: new URL(mine.flux).pathname });
      expect(flux.statusCode).toBe(200);
      expect(flux.body).toContain(`caleol-${mine.seance}@atelier`);
      expect(flux.body).not.toContain(`caleol-${theirs.seance}@atelier`);
    }
    // Nothing was changed on either side.
    for (const s of Object.values(sides)) {
      const seance = (await s.bailleur.get(`/api/v1/caleol/seances/${att[s.dep]!.seance}`)).json();
      expect(seance).toMatchObject({ statut: 'planifiee', sequence: 0, lieu: null, presences: [] });
    }
  });
});
