/**
 * The official SRU inventory: import of the data.gouv.fr file (as published: windows-1252, a title
 * line, French numbers), all or nothing, and its use by the aids matching. The rows below are test
 * fixtures in the official layout, not real figures.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { createTestApp, DEMO, multipartBody, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let admin: Client;
let etat: Client;

beforeAll(async () => {
  t = await createTestApp();
  [admin, etat] = await signInMany(t.app, [DEMO.admin, DEMO.agentEtat]);
});
afterAll(async () => t?.close());

/** The 2024 vintage's layout: a title line, then the header (column names as published). */
const ENTETE =
  'Code_INSEE_commune,Nom_commune,Code_Département,Population_municipale_01_01_2024,Taux_SRU_au_01_01_2023,Taux_cible_commune_2023_2025,' +
  'Commune_déficitaire_2024,Commune_carencée_2023_2025,Commune_exemptée_2023_2025,Nombre_lls_ Inventaire_au_01_01_2023,Prélèvement_net_2024_dont_majoration';

/** windows-1252 as published (latin-1 plus € at 0x80), or UTF-8. */
function fichier(lignes: string[], encodage: 'windows-1252' | 'utf8' = 'windows-1252'): Buffer {
  const texte = ['Inventaire SRU 2024 (données de test)', ENTETE, ...lignes].join('\r\n');
  return encodage === 'utf8' ? Buffer.from(texte, 'utf8') : Buffer.from(texte.replace(/€/g, '\x80'), 'latin1');
}

const FIXTURE = [
  '30189,Nîmes,30,"148 000","18,50 %","25 %",1,0,0,"27 000","1 234 567,89 €"',
  '30028,Bagnols-sur-Cèze,30,"18 000","12,10 %","25 %",1,1,0,"2 100","- €"',
  '30007,Alès,30,"42 000","30,00 %","20 %",0,0,0,"12 000","- €"',
  '13055,Marseille,13,"870 000","21,00 %","25 %",1,0,0,"150 000","- €"',
];

function importer(c: Client, file: Buffer, query = '') {
  const m = multipartBody(file, 'donnees-sru-data-gouv-maj2024-vf.csv');
  return t.app.inject({ method: 'POST', url: `/api/v1/sru/import${query}`, payload: m.body, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.contentType } });
}

const compte = async () => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM communes_sru`))[0]!.n;

describe('SRU inventory import', () => {
  it('is reserved to administrators', async () => {
    expect((await importer(etat, fichier(FIXTURE))).statusCode).toBe(403);
  });

  it('refuses a file with an error, naming the line, column and value, and writes nothing', async () => {
    // A blank line in between: errors still name the file's own line numbers.
    const r = await importer(admin, fichier([FIXTURE[0]!, '', '30028,Bagnols-sur-Cèze,30,"18 000","douze",25 %,1,2,0,"2 100","- €"', ',Sans code,30,"1",0 %,25 %,0,0,0,"0","- €"']));
    expect(r.statusCode).toBe(422);
    const erreurs = r.json().details.erreurs as { ligne: number; colonne: string; valeur: string; message: string }[];
    expect(erreurs).toContainEqual(expect.objectContaining({ ligne: 5, colonne: 'Taux_SRU_au_01_01_2023', valeur: 'douze' }));
    expect(erreurs).toContainEqual(expect.objectContaining({ ligne: 5, colonne: 'Commune_carencée_2023_2025', valeur: '2' }));
    expect(erreurs).toContainEqual(expect.objectContaining({ ligne: 6, colonne: 'Code_INSEE_commune', valeur: '', message: 'code INSEE de commune manquant' }));
    expect(r.json().message).toMatch(/Ligne 5, colonne « Taux_SRU_au_01_01_2023 », valeur « douze »/);
    expect(await compte()).toBe(0);
    const annee = await importer(admin, fichier(FIXTURE), '?millesime=vingt');
    expect(annee.statusCode).toBe(400);
    expect(annee.json().message).toMatch(/Millésime : une année est attendue/);
    const pasSru = await importer(admin, Buffer.from('nom;valeur\nx;1\n'));
    expect(pasSru.statusCode).toBe(422);
    expect(pasSru.json().message).toMatch(/en-tête introuvable/);
  });

  it('imports the territory’s communes of the official file (windows-1252, French numbers), idempotently; dry run writes nothing', async () => {
    const essai = await importer(admin, fichier(FIXTURE), '?dry_run=true');
    expect(essai.json()).toMatchObject({ dry_run: true, importees: 3 });
    expect(await compte()).toBe(0);
    const r = await importer(admin, fichier(FIXTURE));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ millesime: 2024, lignes: 4, importees: 3, hors_territoire: 1, dry_run: false, fichier: 'donnees-sru-data-gouv-maj2024-vf.csv', creees: 3, mises_a_jour: 0, erreurs: [] });
    expect((await importer(admin, fichier(FIXTURE, 'utf8'))).json()).toMatchObject({ importees: 3, creees: 0, mises_a_jour: 3 });
    expect(await compte()).toBe(3);
    const nimes = (await t.app.inject({ method: 'GET', url: '/api/v1/sru/communes/30189' })).json();
    expect(nimes.millesimes[0]).toMatchObject({ millesime: 2024, population: 148000, taux_sru: 0.185, taux_cible: 0.25, deficitaire: true, carencee: false, nb_lls: 27000, prelevement: 1234567.89 });
    const audit = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'communes_sru' AND action = 'import'`);
    expect(audit[0]!.n).toBe(2);
  });
});

describe('aids matching with the SRU inventory', () => {
  it('SRU conditions become reasons or what is missing once the département’s inventory is imported', async () => {
    const projet = (commune: string) => ({ commune, type_operation: 'construction_neuve', produits: ['PLUS'], stade: 'conception' });
    const avant = (await t.app.inject({ method: 'POST', url: '/api/v1/aides/eligibilite', payload: projet('30028') })).json();
    const [cible] = [...avant.eligibles, ...avant.partielles] as { aide: { slug: string } }[];
    expect(cible).toBeDefined();
    await t.database.db.execute(sql`UPDATE aides SET conditions_territoriales = '{sru,carencee}' WHERE slug = ${cible!.aide.slug}`);
    const trouve = (r: { eligibles: unknown[]; partielles: unknown[] }) =>
      [...r.eligibles, ...r.partielles].find((c) => (c as { aide: { slug: string } }).aide.slug === cible!.aide.slug) as { raisons: string[]; manques: string[]; a_verifier: string[] };

    const carencee = trouve((await t.app.inject({ method: 'POST', url: '/api/v1/aides/eligibilite', payload: projet('30028') })).json());
    expect(carencee.raisons).toEqual(expect.arrayContaining(['commune soumise à la loi SRU (inventaire SRU 2024, déficitaire, taux 12,1 %)', 'commune carencée (inventaire SRU 2024)']));
    const ales = trouve((await t.app.inject({ method: 'POST', url: '/api/v1/aides/eligibilite', payload: projet('30007') })).json());
    expect(ales.manques).toContain('commune non carencée (inventaire SRU 2024)');
    // A commune of the Gard absent from the inventary is outside the SRU perimeter.
    const hors = trouve((await t.app.inject({ method: 'POST', url: '/api/v1/aides/eligibilite', payload: projet('30001') })).json());
    expect(hors.manques).toContain('commune hors du périmètre SRU (inventaire SRU 2024)');
    // Without any inventory imported for the département, the conditions are left to check.
    await t.database.db.execute(sql`DELETE FROM communes_sru`);
    const sans = trouve((await t.app.inject({ method: 'POST', url: '/api/v1/aides/eligibilite', payload: projet('30028') })).json());
    expect(sans.a_verifier).toContain('Commune carencée (inventaire SRU officiel non importé pour ce département)');
  });
});
