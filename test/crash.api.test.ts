/**
 * Crashes (issue 11): a real platform process is killed with SIGKILL in the middle of each import
 * (operations spreadsheet, gisements GeoJSON, aids JSON, SRU inventory) while agents keep writing,
 * then started again on the same data dir or database. Every restart must open it; in the end no
 * import is half-applied (all of its rows and its audit entry, or none), and every write the platform
 * acknowledged (HTTP 2xx) before a kill is there. On the embedded database and, with DATABASE_URL,
 * on the server PostgreSQL.
 *
 * Each kill lands as soon as the import reports its first saved records: the import's transaction is
 * open then (the big imports have seconds of work left; the aids and SRU imports report once, after
 * their main statements and before their audit entry and commit).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openEmbedded, openPostgres, rows, type Database } from '../server/db/client.js';
import { DEMO, multipartBody } from './helpers.js';
import { arreter, baseServeur, connecter, demarrer, tuer, type ClientHttp, type Processus } from './serveur.js';

const url = process.env.DATABASE_URL;
const mode = url ? 'PostgreSQL serveur' : 'base embarquée';
const work = mkdtempSync(join(tmpdir(), 'atelier-crash-'));
const dataDir = join(work, 'donnees');
let serveur: { url: string; drop(): Promise<void> } | undefined;
const env = (): Record<string, string> => (url ? { DATABASE_URL: serveur!.url } : { ATELIER_DATA_DIR: dataDir });

/** Opens the data dir or database from the test process (the platform must be stopped on the embedded one). */
async function ouvrir(): Promise<Database> {
  return url ? openPostgres(serveur!.url, { poolSize: 2 }) : openEmbedded(dataDir);
}

const catalogue = JSON.parse(readFileSync(new URL('../data/aides-catalogue.json', import.meta.url), 'utf8')) as { results: Record<string, unknown>[] };

interface Fixtures {
  bailleurSiren: string;
  bailleurId: string;
  communes: { code: string; nom: string }[];
  carres: number[][][][];
}
let fx: Fixtures;

beforeAll(async () => {
  if (url) serveur = await baseServeur(url, inject('templateDatabase'));
  const database = url ? await ouvrir() : await openEmbedded(dataDir, { loadDataDir: new Blob([readFileSync(inject('embeddedDump'))]) });
  try {
    const [b] = await rows<{ id: string; siren: string }>(database.db, sql`INSERT INTO organisations (type, nom, siren, departement) VALUES ('bailleur', 'Office Crash Test', '775700123', '30') RETURNING id::text, siren`);
    const communes = await rows<{ code: string; nom: string }>(database.db, sql`SELECT code_insee AS code, nom FROM communes WHERE departement = '30' ORDER BY code_insee`);
    // 300 squares of 30 m on a 60 m grid around a point of Nîmes, in WGS84.
    const carres = await rows<{ g: string }>(
      database.db,
      sql`WITH p AS (SELECT ST_Transform(ST_PointOnSurface(geom), 2154) AS pt FROM communes WHERE code_insee = '30189')
          SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(ST_X(pt) + i * 60, ST_Y(pt) + j * 60, ST_X(pt) + i * 60 + 30, ST_Y(pt) + j * 60 + 30, 2154), 4326), 7) AS g
          FROM p, generate_series(-10, 9) i, generate_series(-7, 7) j`,
    );
    fx = { bailleurSiren: b!.siren, bailleurId: b!.id, communes, carres: carres.map((c) => (JSON.parse(c.g) as { coordinates: number[][][] }).coordinates) };
  } finally {
    await database.close();
  }
}, 600_000);

afterAll(async () => {
  await serveur?.drop();
  rmSync(work, { recursive: true, force: true });
});

/** Agents creating operations one after another until stopped; the names the platform acknowledged. */
function chargeEcriture(base: string, client: ClientHttp, bailleurId: string, prefixe: string) {
  const acquittees: string[] = [];
  let arret = false;
  let n = 0;
  const ecrivain = async () => {
    while (!arret) {
      const nom = `${prefixe} ${n++}`;
      try {
        const r = await client.requete('POST', `${base}/api/v1/operations`, { nom, commune_insee: '30189', type: 'construction_neuve', bailleur_id: bailleurId, logements: { plai: 1, plus: 2 }, annee_programmation: 2026 });
        if (r.status >= 200 && r.status < 300) acquittees.push(nom);
        else if (r.status !== 503) throw new Error(`écriture refusée : ${r.status} ${await r.text()}`);
        await r.body?.cancel();
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('écriture refusée')) throw e;
        return; // the process is gone
      }
    }
  };
  const ecrivains = [ecrivain(), ecrivain(), ecrivain()];
  return {
    acquittees,
    async stop() {
      arret = true;
      await Promise.all(ecrivains);
    },
  };
}

interface Cas {
  nom: string;
  email: string;
  /** Records in the file. */
  total: number;
  fichier(): { chemin: string; body: Uint8Array; contentType: string };
  /** How many of the file's records are in the database, and its audit entries. */
  compter(db: Database['db']): Promise<{ lignes: number; audit: number }>;
}

const compte = async (db: Database['db'], q: ReturnType<typeof sql>) => (await rows<{ n: number }>(db, q))[0]!.n;

const CAS: Cas[] = [
  {
    nom: 'operations (tableur)',
    email: DEMO.agentEtat,
    total: 1000,
    fichier() {
      const lignes = ['Nom de l’opération;Commune;Bailleur;Type d’opération;PLAI'];
      for (let i = 0; i < 1000; i++) lignes.push(`Crash import ${i};30189;${fx.bailleurSiren};VEFA;${i % 5}`);
      const m = multipartBody(Buffer.from(lignes.join('\r\n')), 'crash.csv');
      return { chemin: '/api/v1/operations/import', body: new Uint8Array(m.body), contentType: m.contentType };
    },
    compter: async (db) => ({
      lignes: await compte(db, sql`SELECT count(*)::int AS n FROM operations WHERE nom LIKE 'Crash import %'`),
      audit: await compte(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import' AND entity_id = 'crash.csv'`),
    }),
  },
  {
    nom: 'gisements (GeoJSON)',
    email: DEMO.agentEtat,
    total: 300,
    fichier() {
      const fc = { type: 'FeatureCollection', features: fx.carres.map((coordinates, i) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties: { identifiant: `CRASH-G-${i}`, nom: `Gisement crash ${i}`, capacite_logements: 10 } })) };
      const m = multipartBody(Buffer.from(JSON.stringify(fc)), 'crash.geojson');
      return { chemin: '/api/v1/foncier/gisements/import', body: new Uint8Array(m.body), contentType: m.contentType };
    },
    compter: async (db) => ({
      lignes: await compte(db, sql`SELECT count(*)::int AS n FROM gisements WHERE identifiant LIKE 'CRASH-G-%'`),
      audit: await compte(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import' AND entity_id = 'crash.geojson'`),
    }),
  },
  {
    nom: 'aides (JSON)',
    email: DEMO.admin,
    total: 600,
    fichier() {
      const modele = catalogue.results[0]!;
      const results = Array.from({ length: 600 }, (_, i) => ({ ...modele, slug: `crash-aide-${i}`, name: `Aide crash ${i} ${String(modele.name)}` }));
      return { chemin: '/api/v1/aides/import', body: Buffer.from(JSON.stringify({ results })), contentType: 'application/json' };
    },
    compter: async (db) => ({
      lignes: await compte(db, sql`SELECT count(*)::int AS n FROM aides WHERE slug LIKE 'crash-aide-%'`),
      audit: await compte(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import' AND entity_type = 'aides_import' AND after->>'lignes' = '600'`),
    }),
  },
  {
    nom: 'inventaire SRU (CSV)',
    email: DEMO.admin,
    total: 0, // the Gard's communes, set below
    fichier() {
      const entete = 'Code_INSEE_commune,Nom_commune,Code_Département,Population_municipale_01_01_2031,Taux_SRU_au_01_01_2030,Taux_cible_commune_2029_2031,Commune_déficitaire_2031,Commune_carencée_2029_2031,Commune_exemptée_2029_2031,Nombre_lls_ Inventaire_au_01_01_2030,Prélèvement_net_2031_dont_majoration';
      const lignes = fx.communes.map((x, i) => `${x.code},"${x.nom}",30,"${1000 + i}","12,50 %","25 %",1,0,0,"${100 + i}","- €"`);
      const m = multipartBody(Buffer.from(['Inventaire SRU 2031 (données de test)', entete, ...lignes].join('\r\n')), 'crash-sru.csv');
      return { chemin: '/api/v1/sru/import?millesime=2031', body: new Uint8Array(m.body), contentType: m.contentType };
    },
    compter: async (db) => ({
      lignes: await compte(db, sql`SELECT count(*)::int AS n FROM communes_sru WHERE millesime = 2031`),
      audit: await compte(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import' AND entity_id = 'crash-sru.csv'`),
    }),
  },
];

/**
 * Sends an import asking for NDJSON progress and reads it until the first progress line of the
 * saving phase (true if seen). With node:http, which has no body timeout (fetch gives up after 300 s without a byte, and checking
 * the geometries of a GeoJSON file can take that long on a loaded machine).
 */
function importNdjson(c: ClientHttp, base: string, chemin: string, body: Uint8Array, contentType: string): Promise<{ status: number; vu: boolean; fin?: unknown }> {
  const u = new URL(chemin, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method: 'POST', path: u.pathname + u.search, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': contentType, accept: 'application/x-ndjson', 'content-length': body.length } },
      (res) => {
        let reste = '';
        res.on('data', (d: Buffer) => {
          reste += d.toString('utf8');
          const lignes = reste.split('\n');
          reste = lignes.pop()!;
          for (const l of lignes) {
            if (!l) continue;
            const e = JSON.parse(l) as { progression?: { phase: string }; resultat?: unknown };
            if (e.progression?.phase === 'enregistrement') {
              res.destroy();
              return resolve({ status: res.statusCode!, vu: true });
            }
            if (e.resultat) return resolve({ status: res.statusCode!, vu: false, fin: e.resultat });
          }
        });
        res.on('end', () => resolve({ status: res.statusCode!, vu: false }));
        res.on('error', () => {});
      },
    );
    req.setTimeout(0);
    req.on('error', reject);
    req.end(body);
  });
}

describe(`kill -9 in the middle of each import and of a write load, then a restart (${mode})`, () => {
  const acquittees: string[] = [];
  const bilans: string[] = [];

  it('each import is killed while it saves; every restart opens the data and answers', async () => {
    fx.communes.length && (CAS[3]!.total = fx.communes.length);
    let p: Processus | undefined;
    try {
      for (const [k, cas] of CAS.entries()) {
        const t0 = performance.now();
        p = await demarrer(env());
        const demarrage = performance.now() - t0;
        const [agent, importeur] = await Promise.all([connecter(p.base, DEMO.agentEtat), connecter(p.base, cas.email)]);
        const charge = chargeEcriture(p.base, agent, fx.bailleurId, `Crash écriture ${k}`);
        // Some writes acknowledged before the import starts.
        while (charge.acquittees.length < 10) await new Promise((r) => setTimeout(r, 20));
        const f = cas.fichier();
        const r = await importNdjson(importeur, p.base, f.chemin, f.body, f.contentType);
        expect(r.status, `${cas.nom} : ${r.status}`).toBe(200);
        expect(r.vu, `${cas.nom} : aucune progression d’enregistrement (${JSON.stringify(r.fin)})`).toBe(true);
        await tuer(p);
        await charge.stop();
        acquittees.push(...charge.acquittees);
        bilans.push(`${cas.nom} : démarrage ${Math.round(demarrage)} ms, tué ${Math.round(performance.now() - t0 - demarrage)} ms plus tard, ${charge.acquittees.length} écritures acquittées`);
        console.log(bilans.at(-1));
      }
      // A last restart on the data left by the fourth kill.
      p = await demarrer(env());
      expect((await fetch(`${p.base}/healthz`)).status).toBe(200);
      expect(await arreter(p)).toBe(0);
    } finally {
      if (p) await tuer(p);
    }
  }, 900_000);

  it('no import is half-applied, and every acknowledged write is there', async () => {
    const database = await ouvrir();
    try {
      for (const cas of CAS) {
        const { lignes, audit } = await cas.compter(database.db);
        bilans.push(`${cas.nom} : ${lignes === 0 ? 'annulé par l’arrêt brutal' : 'validé avant l’arrêt'} (${lignes}/${cas.total} lignes)`);
        // All or nothing: the file's records with its audit entry, or neither.
        expect([0, cas.total], `${cas.nom} : ${lignes} lignes sur ${cas.total}`).toContain(lignes);
        expect(audit, `${cas.nom} : entrée du journal d’audit`).toBe(lignes === 0 ? 0 : 1);
      }
      expect(acquittees.length).toBeGreaterThanOrEqual(40);
      const presentes = new Set(
        (await rows<{ nom: string }>(database.db, sql`SELECT nom FROM operations WHERE nom LIKE 'Crash écriture %'`)).map((x) => x.nom),
      );
      const perdues = acquittees.filter((n) => !presentes.has(n));
      expect(perdues, 'écritures acquittées perdues').toEqual([]);
      // Each acknowledged write has its audit entry too (same transaction).
      const auditees = await compte(database.db, sql`SELECT count(*)::int AS n FROM audit_log a JOIN operations o ON o.id::text = a.entity_id WHERE a.action = 'creation' AND o.nom LIKE 'Crash écriture %'`);
      expect(auditees).toBe(presentes.size);
    } finally {
      await database.close();
    }
    console.log(`[crash ${mode}]\n  ${bilans.join('\n  ')}`);
  }, 600_000);
});
