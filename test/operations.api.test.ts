import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, multipartBody, signIn, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let bailleur: Client;
let bailleur2: Client;
let epci: Client;
let commune: Client;
let etat: Client;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  [bailleur, bailleur2, epci, commune, etat, admin] = await signInMany(t.app, [DEMO.bailleur, DEMO.bailleur2, DEMO.agentEpci, DEMO.commune, DEMO.agentEtat, DEMO.admin]);
});
afterAll(() => t.close());

const nouvelle = (over: Record<string, unknown> = {}) => ({
  nom: 'Résidence Les Micocouliers',
  commune_insee: '30060',
  type: 'construction_neuve',
  logements: { plai: 6, plus: 12, pls: 2 },
  annee_programmation: 2025,
  ...over,
});

describe('operations register: scope', () => {
  let id: string;

  beforeAll(async () => {
    const res = await bailleur.post('/api/v1/operations', nouvelle());
    expect(res.statusCode).toBe(201);
    id = res.json().id;
  });

  it('a landlord declares an operation; commune, EPCI and département are derived; the contract fields are there', async () => {
    const o = (await bailleur.get(`/api/v1/operations/${id}`)).json();
    expect(o).toMatchObject({
      nom: 'Résidence Les Micocouliers',
      commune: { code_insee: '30060', nom: 'Caissargues' },
      epci: { siren: '243000643' },
      departement: '30',
      etape: 'projet',
      en_difficulte: false,
      blocages: [],
      logements: { plai: 6, plus: 12, pls: 2, plai_adapte: 0, total: 20 },
      numero_siap: null,
      policies: { modifier: true },
    });
    expect(o.bailleur).toHaveProperty('siren');
  });

  it('is visible to the commune, its EPCI and the State; another landlord gets 404; financers 403; anonymous 401', async () => {
    for (const c of [commune, epci, etat, admin]) expect((await c.get(`/api/v1/operations/${id}`)).statusCode).toBe(200);
    expect((await bailleur2.get(`/api/v1/operations/${id}`)).statusCode).toBe(404);
    expect((await bailleur2.patch(`/api/v1/operations/${id}`, { nom: 'X' })).statusCode).toBe(404);
    expect((await bailleur2.get('/api/v1/operations')).json().results.map((o: { id: string }) => o.id)).not.toContain(id);
    const financeur = await signIn(t.app, DEMO.financeur);
    expect((await financeur.get('/api/v1/operations')).statusCode).toBe(403);
    expect((await t.app.inject('/api/v1/operations')).statusCode).toBe(401);
    expect((await t.app.inject(`/api/v1/operations/${id}`)).statusCode).toBe(401);
  });

  it('an EPCI agent cannot declare an operation outside its territory; bad payloads are 400/422 with the field named', async () => {
    const orgs = (await admin.get('/api/v1/organisations?type=bailleur')).json().results;
    const outside = await epci.post('/api/v1/operations', nouvelle({ commune_insee: '30007', bailleur_id: orgs[0].id })); // Alès
    expect(outside.statusCode).toBe(422);
    expect(outside.json().message).toMatch(/30007.*hors de votre périmètre/);
    const badType = await bailleur.post('/api/v1/operations', nouvelle({ type: 'chateau' }));
    expect(badType.statusCode).toBe(400);
    expect(badType.json().message).toMatch(/type/);
    const badCommune = await bailleur.post('/api/v1/operations', nouvelle({ commune_insee: '75056' }));
    expect(badCommune.statusCode).toBe(422);
    expect(badCommune.json().message).toMatch(/75056/);
    const notMine = await bailleur.post('/api/v1/operations', nouvelle({ bailleur_id: orgs.find((o: { nom: string }) => /second/.test(o.nom)).id }));
    expect(notMine.statusCode).toBe(422);
    expect((await bailleur.get('/api/v1/operations/not-a-uuid')).statusCode).toBe(400);
  });

  it('filters by EPCI, commune, landlord, stage, year and difficulty', async () => {
    const q = async (qs: string) => (await etat.get(`/api/v1/operations?${qs}`)).json().results.map((o: { id: string }) => o.id);
    expect(await q('epci=243000643')).toContain(id);
    expect(await q('epci=200066918')).not.toContain(id);
    expect(await q('commune=30060')).toContain(id);
    expect(await q('etape=projet')).toContain(id);
    expect(await q('etape=livree')).not.toContain(id);
    expect(await q('annee=2025')).toContain(id);
    expect(await q('annee=2019')).not.toContain(id);
    expect(await q('en_difficulte=false')).toContain(id);
    const me = (await bailleur.get('/api/v1/me')).json();
    expect(await q(`bailleur=${me.organisation.id}`)).toContain(id);
    expect((await etat.get('/api/v1/operations?etape=inconnue')).statusCode).toBe(400);
  });

  it('lists summaries with labels, open blockers and late milestones, paged, with the total even past the last page', async () => {
    const late = (await bailleur.post('/api/v1/operations', nouvelle({ nom: 'Résumé en retard', date_agrement_prevue: '2020-02-01' }))).json().id;
    await bailleur.post(`/api/v1/operations/${late}/blocages`, { type: 'foncier', description: 'Vendeur revenu sur son accord', depuis: '2025-01-15' });
    const res = await bailleur.get('/api/v1/operations?q=Résumé en retard');
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const page = res.json();
    expect(page).toMatchObject({ count: 1, page: 1, limit: 50 });
    const detail = (await bailleur.get(`/api/v1/operations/${late}`)).json();
    expect(page.results[0]).toEqual({
      id: late,
      nom: 'Résumé en retard',
      commune: detail.commune,
      epci: detail.epci,
      departement: '30',
      bailleur: detail.bailleur,
      numero_siap: detail.numero_siap,
      type: detail.type,
      type_libelle: detail.type_libelle,
      logements: detail.logements,
      annee_programmation: detail.annee_programmation,
      etape: 'projet',
      etape_libelle: detail.etape_libelle,
      en_difficulte: true,
      retards: ['agrement'],
      blocages: [{ id: detail.blocages[0].id, type: 'foncier', type_libelle: 'Foncier', depuis: '2025-01-15', acteur_attendu: null, statut: 'ouvert' }],
      updated_at: detail.updated_at,
    });
    const all = (await etat.get('/api/v1/operations?limit=1')).json();
    expect(all.results).toHaveLength(1);
    const past = (await etat.get(`/api/v1/operations?limit=1&page=${all.count + 1}`)).json();
    expect(past).toEqual({ count: all.count, page: all.count + 1, limit: 1, results: [] });
  });

  it('never serves a cached listing after a change committed elsewhere (another instance, a script)', async () => {
    const id = (await bailleur.post('/api/v1/operations', nouvelle({ nom: 'Cache avant' }))).json().id;
    const names = async () => (await bailleur.get('/api/v1/operations?q=Cache')).json().results.map((o: { nom: string }) => o.nom);
    expect(await names()).toEqual(['Cache avant']);
    expect(await names()).toEqual(['Cache avant']); // served again, possibly from the cache
    // Written straight to the database, as another app instance would: this instance's cache must not hide it.
    await t.database.db.execute(sql`UPDATE operations SET nom = 'Cache après' WHERE id = ${id}::uuid`);
    expect(await names()).toEqual(['Cache après']);
    await t.database.db.execute(sql`INSERT INTO blocages (operation_id, type, description, depuis, statut) VALUES (${id}::uuid, 'autre', 'Ajouté ailleurs', '2025-01-01', 'ouvert')`);
    expect((await bailleur.get('/api/v1/operations?q=Cache')).json().results[0].blocages).toHaveLength(1);
  });
});

describe('stages as data', () => {
  it('requires the target stage’s fields, refuses a jump, locks the programme after agrément, and records the timeline', async () => {
    const id = (await bailleur.post('/api/v1/operations', nouvelle({ nom: 'Îlot Gambetta' }))).json().id;
    const missing = await bailleur.patch(`/api/v1/operations/${id}`, { etape: 'agrement' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().message).toMatch(/Agrément obtenu.*date_agrement/);
    const jump = await bailleur.patch(`/api/v1/operations/${id}`, { etape: 'livree', date_livraison: '2025-01-01' });
    expect(jump.statusCode).toBe(422);
    expect(jump.json().message).toMatch(/non autorisé/);
    const ok = await bailleur.patch(`/api/v1/operations/${id}`, { etape: 'agrement', date_agrement: '2025-06-30' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().etape).toBe('agrement');
    const locked = await bailleur.patch(`/api/v1/operations/${id}`, { logements: { plai: 10 } });
    expect(locked.statusCode).toBe(422);
    expect(locked.json().message).toMatch(/verrouillés.*logements/);
    // Unchanged values of locked fields are accepted (forms send the whole record).
    expect((await bailleur.patch(`/api/v1/operations/${id}`, { logements: { plai: 6 }, adresse: '2 rue Gambetta' })).statusCode).toBe(200);
    const abandon = await bailleur.patch(`/api/v1/operations/${id}`, { etape: 'abandonnee' });
    expect(abandon.statusCode).toBe(422);
    expect(abandon.json().message).toMatch(/motif/);
    expect((await bailleur.patch(`/api/v1/operations/${id}`, { etape: 'abandonnee', motif_abandon: 'Équilibre financier impossible' })).json().etape).toBe('abandonnee');
    const events = (await commune.get(`/api/v1/operations/${id}/evenements`)).json().results;
    expect(events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['creation', 'etape', 'modification']));
    expect(events[0].auteur).toBe(DEMO.bailleur);
  });

  it('flags an operation late against its planned dates as "en difficulté"', async () => {
    const id = (await bailleur.post('/api/v1/operations', nouvelle({ nom: 'En retard', date_livraison_prevue: '2020-01-01' }))).json().id;
    const o = (await bailleur.get(`/api/v1/operations/${id}`)).json();
    expect(o.en_difficulte).toBe(true);
    expect(o.retards).toEqual(['livraison']);
    expect((await etat.get('/api/v1/operations?en_difficulte=true')).json().results.map((x: { id: string }) => x.id)).toContain(id);
  });
});

describe('blockers', () => {
  it('a landlord declares a blocker: the operation is "en difficulté" until it is lifted; every change is audited', async () => {
    const id = (await bailleur.post('/api/v1/operations', nouvelle({ nom: 'Le Clos des Oliviers' }))).json().id;
    const b = await bailleur.post(`/api/v1/operations/${id}/blocages`, { type: 'recours', description: 'Recours d’un riverain contre le permis', depuis: '2025-03-01', acteur_attendu: 'Tribunal administratif' });
    expect(b.statusCode).toBe(201);
    expect(b.json()).toMatchObject({ type: 'recours', type_libelle: 'Recours contre le permis', statut: 'ouvert' });
    let o = (await epci.get(`/api/v1/operations/${id}`)).json();
    expect(o.en_difficulte).toBe(true);
    expect(o.blocages).toHaveLength(1);
    expect((await bailleur.post(`/api/v1/operations/${id}/blocages`, { type: 'meteo', description: 'x' })).statusCode).toBe(400);
    expect((await bailleur.post(`/api/v1/operations/${id}/blocages`, { type: 'autre', description: 'x', depuis: '2999-01-01' })).statusCode).toBe(422);
    expect((await bailleur2.post(`/api/v1/operations/${id}/blocages`, { type: 'autre', description: 'x' })).statusCode).toBe(404);
    const lifted = await epci.patch(`/api/v1/operations/${id}/blocages/${b.json().id}`, { statut: 'leve', leve_le: '2025-09-15' });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ statut: 'leve', leve_le: '2025-09-15' });
    o = (await bailleur.get(`/api/v1/operations/${id}`)).json();
    expect(o.en_difficulte).toBe(false);
    expect(o.blocages[0].statut).toBe('leve');
    const audit = (await etat.get(`/api/v1/audit?entity_type=blocage&entity_id=${b.json().id}`)).json().results;
    expect(audit.map((e: { action: string; actor_label: string }) => [e.action, e.actor_label])).toEqual([
      ['modification', DEMO.agentEpci],
      ['creation', DEMO.bailleur],
    ]);
  });
});

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Feuil1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importer(c: Client, file: Buffer, filename: string, dryRun = false) {
  const m = multipartBody(file, filename);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/operations/import${dryRun ? '?dry_run=true' : ''}`,
    payload: m.body,
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.contentType },
  });
}

describe('spreadsheet import', () => {
  let siren: string;
  beforeAll(async () => {
    siren = '775700000';
    const res = await admin.post('/api/v1/organisations', { type: 'bailleur', nom: 'Office Import Test', siren, departement: '30' });
    expect(res.statusCode).toBe(201);
  });

  it('serves a template whose headers the importer recognises', async () => {
    const res = await t.app.inject('/api/v1/operations/import/template.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const headers = (wb.getWorksheet('Opérations')!.getRow(1).values as string[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['N° SIAP', 'Nom de l’opération', 'Commune', 'Bailleur', 'Type d’opération']));
    // The empty template imports as "no rows", with a French message.
    const empty = await importer(etat, res.rawPayload, 'modele.xlsx');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors[0].message).toMatch(/Aucune ligne/);
  });

  it('matches headers tolerantly, reads Excel and French dates, numbers with spaces, communes by name; re-import updates', async () => {
    const rows = [
      ['  TYPE d\'operation ', 'commune', 'NOM DE L OPERATION', 'bailleur', 'n° siap', 'Plai', 'PLUS', 'Agrément le', 'Prix de revient (€)', 'Étape', 'Colonne inconnue', 'ANNÉE'],
      ['VEFA', 'Nîmes', 'Les Jardins de la Fontaine', siren, 'SIAP-2025-001', '8', 20, new Date(Date.UTC(2025, 4, 12)), '3 250 000,50', 'Agrément obtenu', 'ignorée', 2025],
      ['Acquisition-amélioration', '30060', 'Maison Caissargues', '775 700 000', '', 2, '3', '01/02/2024', 450000, 'agrement', '', '2024'],
      ['construction neuve', 'uzes', 'Îlot Uzès', 'Office Import Test', 'SIAP-2025-003', '', '', '', '', '', '', ''],
    ];
    const file = await xlsx(rows);
    const dry = await importer(etat, file, 'operations.xlsx', true);
    expect(dry.json()).toMatchObject({ created: 3, updated: 0, errors: [], dry_run: true });
    expect((await etat.get('/api/v1/operations?q=Jardins de la Fontaine')).json().count).toBe(0);

    const first = await importer(etat, file, 'operations.xlsx');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 3, updated: 0, errors: [] });
    const found = (await etat.get('/api/v1/operations?q=SIAP-2025-001')).json().results[0];
    const o = (await etat.get(`/api/v1/operations/${found.id}`)).json();
    expect(o).toMatchObject({ type: 'vefa', commune: { code_insee: '30189' }, etape: 'agrement', date_agrement: '2025-05-12', cout_total: 3250000.5, logements: { plai: 8, plus: 20 } });
    const maisonId = (await etat.get('/api/v1/operations?q=Maison Caissargues')).json().results[0].id;
    const maison = (await etat.get(`/api/v1/operations/${maisonId}`)).json();
    expect(maison).toMatchObject({ date_agrement: '2024-02-01', commune: { code_insee: '30060' } });
    expect((await etat.get('/api/v1/operations?q=Îlot Uzès')).json().results[0].commune.code_insee).toBe('30334');

    const again = await importer(etat, file, 'operations.xlsx');
    expect(again.json()).toMatchObject({ created: 0, updated: 3, errors: [] });
    expect((await etat.get(`/api/v1/operations?bailleur=${siren}`)).json().count).toBe(3);
  });

  it('streams its progress when asked for NDJSON, then the result', async () => {
    const lines = ['Nom de l’opération;Commune;Bailleur;Type d’opération'];
    for (let i = 0; i < 450; i++) lines.push(`Lot ${i};30189;${siren};VEFA`);
    const m = multipartBody(Buffer.from(lines.join('\n')), 'gros.csv');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operations/import?dry_run=true',
      payload: m.body,
      headers: { cookie: etat.cookie, 'x-csrf-token': etat.csrf, 'content-type': m.contentType, accept: 'application/x-ndjson' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/ndjson/);
    const events = res.body.trim().split('\n').map((l) => JSON.parse(l));
    const progress = events.filter((e) => e.progression).map((e) => e.progression);
    expect(progress).toContainEqual({ phase: 'verification', traitees: 450, total: 450 });
    expect(progress).toContainEqual({ phase: 'enregistrement', traitees: 200, total: 450 });
    // The published fields, and the common result every importer answers (fields added).
    expect(events.at(-1)).toEqual({ resultat: { created: 450, updated: 0, errors: [], dry_run: true, fichier: 'gros.csv', lignes: 450, creees: 450, mises_a_jour: 0, erreurs: [] } });
  });

  it('lists every error (row, column, value, reason) and imports nothing when a row is wrong', async () => {
    const csv = [
      'Nom de l’opération;Commune;Bailleur;Type d’opération;Agrément le;PLAI',
      `Bonne ligne;30189;${siren};VEFA;12/05/2025;4`,
      `Commune inconnue;Atlantis;${siren};VEFA;;`,
      `Date fausse;30189;${siren};VEFA;31/02/2025;`,
      `Nombre faux;30189;${siren};château;;quatre`,
      `;30189;${siren};VEFA;;`,
    ].join('\r\n');
    const res = await importer(etat, Buffer.from(csv, 'utf8'), 'erreurs.csv');
    expect(res.statusCode).toBe(422);
    const { created, updated, errors } = res.json();
    expect([created, updated]).toEqual([0, 0]);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ligne: 3, colonne: 'Commune', valeur: 'Atlantis', message: expect.stringMatching(/Commune/) }),
        expect.objectContaining({ ligne: 4, colonne: 'Agrément le', valeur: '31/02/2025', message: expect.stringMatching(/date inexistante/) }),
        expect.objectContaining({ ligne: 5, colonne: 'Type d’opération', valeur: 'château' }),
        expect.objectContaining({ ligne: 5, colonne: 'PLAI', valeur: 'quatre' }),
        expect.objectContaining({ ligne: 6, colonne: 'Nom de l’opération', message: expect.stringMatching(/obligatoire/) }),
      ]),
    );
    expect((await etat.get('/api/v1/operations?q=Bonne ligne')).json().count).toBe(0);
  });

  it('reports a missing required column, and a landlord may import only its own operations', async () => {
    const noBailleur = await importer(etat, Buffer.from('Nom;Commune;Type\nA;30189;VEFA\n'), 'x.csv');
    expect(noBailleur.statusCode).toBe(422);
    expect(noBailleur.json().errors[0]).toMatchObject({ ligne: 1, colonne: 'Bailleur' });
    const other = await importer(bailleur, Buffer.from(`Nom;Commune;Bailleur;Type\nA;30060;${siren};VEFA\n`), 'x.csv');
    expect(other.statusCode).toBe(422);
    expect(other.json().errors[0].message).toMatch(/votre organisme/);
    const m = multipartBody(Buffer.from('x'), 'x.csv');
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/operations/import', payload: m.body, headers: { 'content-type': m.contentType } });
    expect(anon.statusCode).toBe(401);
    const garbage = await importer(etat, Buffer.from('PK\u0003\u0004garbage'), 'x.xlsx');
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().message).toMatch(/Fichier illisible/);
  });

  it('turns a business rule the service enforces into the row’s error (row, column, value, the rule’s message), the API answering the same rule with a 422 naming it', async () => {
    // Alès (30007) is outside the EPCI agent's territory: the service refuses it while writing the row.
    const csv = `Nom de l’opération;Commune;Bailleur;Type d’opération\nDans le périmètre;30189;${siren};VEFA\nHors périmètre;30007;${siren};VEFA\n`;
    const res = await importer(epci, Buffer.from(csv, 'utf8'), 'perimetre.csv');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ ligne: 3, colonne: 'Commune', valeur: '30007', message: 'commune_insee : la commune 30007 est hors de votre périmètre.' }]);
    expect(res.json()).toMatchObject({ created: 0, updated: 0 });
    expect((await epci.get('/api/v1/operations?q=Dans le périmètre')).json().count).toBe(0);
    const api = await epci.post('/api/v1/operations', { nom: 'Hors périmètre', commune_insee: '30007', bailleur_id: (await admin.get('/api/v1/organisations?type=bailleur')).json().results[0].id, type: 'vefa' });
    expect(api.statusCode).toBe(422);
    expect(api.json()).toMatchObject({ error: 'donnees_invalides', regle: 'reference_inconnue', details: { champ: 'commune_insee' } });
  });

  it('exports the filtered list to csv and xlsx in the template columns; the export re-imports as updates', async () => {
    const csv = await etat.get(`/api/v1/operations/export.csv?bailleur=${siren}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^N° SIAP;Nom de l’opération;Commune;Bailleur/);
    const x = await etat.get(`/api/v1/operations/export.xlsx?bailleur=${siren}`);
    expect(x.headers['content-type']).toMatch(/spreadsheetml/);
    const back = await importer(etat, x.rawPayload, 'export.xlsx');
    expect(back.json()).toMatchObject({ created: 0, updated: 3, errors: [] });
    const backCsv = await importer(etat, Buffer.from(csv.body, 'utf8'), 'export.csv');
    expect(backCsv.json()).toMatchObject({ created: 0, updated: 3, errors: [] });
  });
});
