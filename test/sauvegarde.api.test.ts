/**
 * Backups and restores on the database of the run (embedded, or server PostgreSQL with
 * DATABASE_URL): a round trip gives the same rows in every table (count and md5 of the ordered row
 * texts), documents (bytea) and geometries intact; truncated, altered and foreign files are refused
 * and the target is untouched; a non-empty target is refused without --force.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openEmbedded, openPostgres, rows, type Database } from '../server/db/client.js';
import { demander, startControle } from '../server/modules/sauvegarde/controle.js';
import { HEADER_SIZE } from '../server/modules/sauvegarde/sauvegarde.format.js';
import { sauvegardeProgrammee, sauvegardesDe } from '../server/modules/sauvegarde/sauvegarde.jobs.js';
import {
  ecrireSauvegarde,
  restaurerDossier,
  restaurerPostgres,
  sauvegarderDossier,
  sauvegarderPostgres,
} from '../server/modules/sauvegarde/sauvegarde.service.js';
import { carre } from './foncier.fixtures.js';
import { DEMO, multipartBody, signIn, type TestContext } from './helpers.js';

const url = process.env.DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'atelier-sauvegarde-'));
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000), Buffer.from('\n%%EOF\n')]);

/** Count and md5 of the ordered row texts of every application table (public and drizzle schemas). */
async function empreintes(database: Database): Promise<Record<string, { n: number; h: string }>> {
  const tables = await rows<{ s: string; t: string }>(
    database.db,
    sql`SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'drizzle')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1, 2`,
  );
  const out: Record<string, { n: number; h: string }> = {};
  for (const { s, t } of tables) {
    const [r] = await rows<{ n: number; h: string }>(
      database.db,
      sql.raw(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h FROM "${s}"."${t}" AS x`),
    );
    out[`${s}.${t}`] = r!;
  }
  return out;
}

/** An operation with a PDF, and a gisement, written through the API: bytea and geometry to carry. */
async function ecrire(database: Database): Promise<{ documentId: string; gisementId: string }> {
  const config = loadConfig({ ATELIER_DEPARTEMENTS: '30', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', ...(url ? { DATABASE_URL: url } : { ATELIER_DATA_DIR: 'memory://' }) });
  const app = await buildApp(database, config, { logger: false, webRoot: null, metrics: { allow: [] } });
  try {
    const bailleur = await signIn(app, DEMO.bailleur);
    const commune = await signIn(app, DEMO.commune);
    const op = await bailleur.post('/api/v1/operations', { nom: 'Sauvegarde — Les Amandiers', commune_insee: '30060', type: 'vefa' });
    expect(op.statusCode, op.body).toBe(201);
    const m = multipartBody(PDF, 'permis.pdf', { categorie: 'permis' });
    const doc = await app.inject({
      method: 'POST',
      url: `/api/v1/operations/${op.json().id}/documents`,
      payload: m.body,
      headers: { cookie: bailleur.cookie, 'x-csrf-token': bailleur.csrf, 'content-type': m.contentType },
    });
    expect(doc.statusCode, doc.body).toBe(201);
    const geom = await carre({ database } as TestContext, '30060', 80);
    const g = await commune.post('/api/v1/foncier/gisements', { nom: 'Friche (sauvegarde)', geometrie: geom, capacite_logements: 12, outils: ['oap'], usage_actuel: 'friche', proprietaire: 'commune', references_cadastrales: [] });
    expect(g.statusCode, g.body).toBe(201);
    return { documentId: doc.json().id, gisementId: g.json().id };
  } finally {
    await app.close();
  }
}

async function intacts(database: Database, ids: { documentId: string; gisementId: string }, wkt: string) {
  const [d] = await rows<{ contenu: Buffer | Uint8Array }>(database.db, sql`SELECT contenu FROM operation_documents WHERE id = ${ids.documentId}::uuid`);
  expect(Buffer.compare(Buffer.from(d!.contenu), PDF)).toBe(0);
  const [g] = await rows<{ w: string }>(database.db, sql`SELECT ST_AsText(geom) AS w FROM gisements WHERE id = ${ids.gisementId}::uuid`);
  expect(g!.w).toBe(wkt);
}

function alterations(file: string) {
  const truncated = join(work, `tronquee-${randomBytes(3).toString('hex')}`);
  copyFileSync(file, truncated);
  truncateSync(truncated, HEADER_SIZE + 1000);
  const altered = join(work, `alteree-${randomBytes(3).toString('hex')}`);
  const bytes = readFileSync(file);
  bytes[HEADER_SIZE + 500] = bytes[HEADER_SIZE + 500]! ^ 0xff;
  writeFileSync(altered, bytes);
  const foreign = join(work, `etrangere-${randomBytes(3).toString('hex')}`);
  writeFileSync(foreign, Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(9000)]));
  return [
    [truncated, /est tronqué : \d+ octets au lieu de \d+/],
    [altered, /est altéré : la somme de contrôle SHA-256/],
    [foreign, /n’est pas une sauvegarde Atelier/],
  ] as const;
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(Boolean(url))('embedded database', () => {
  const source = join(work, 'source');
  let ids: { documentId: string; gisementId: string };
  let avant: Record<string, { n: number; h: string }>;
  let wkt: string;
  const file = join(work, 'embarquee.sauvegarde');
  const programmees = join(work, 'programmees');

  beforeAll(async () => {
    const database = await openEmbedded(source, { loadDataDir: new Blob([readFileSync(inject('embeddedDump'))]) });
    try {
      ids = await ecrire(database);
      wkt = (await rows<{ w: string }>(database.db, sql`SELECT ST_AsText(geom) AS w FROM gisements WHERE id = ${ids.gisementId}::uuid`))[0]!.w;
      // Through the control channel of the process that holds the data dir, as `npm run cli -- backup` does.
      const stop = await startControle(database, source, () => ({ pid: process.pid, since: new Date().toISOString() }), { warn: () => {} });
      try {
        const r = await demander(source, 'sauvegarde');
        expect(r.reponse.ok, r.reponse.message).toBe(true);
        ecrireSauvegarde(file, r.payload);
        const statut = await demander(source, 'statut');
        expect(statut.reponse.statut?.migrations.nombre).toBeGreaterThan(10);
        // Reading the data dir is needed to ask anything: a request without its secret is refused.
        writeFileSync(join(source, 'controle.secret'), 'faux\n');
        const refus = await demander(source, 'sauvegarde');
        expect(refus.reponse).toEqual({ ok: false, message: 'Secret du canal de contrôle invalide.' });
        expect(refus.payload.length).toBe(0);
      } finally {
        await stop();
      }
      // Scheduled backups, one a day, the newest 2 kept.
      const day = 24 * 3600_000;
      const t0 = Date.UTC(2026, 11, 1, 2, 0, 0);
      for (let i = 0; i < 3; i++) {
        const written = await sauvegardeProgrammee(database, { dir: programmees, keep: 2 }, new Date(t0 + i * day));
        expect(written).not.toBeNull();
        // The newest file's age decides when the next is due: date it like the run that wrote it.
        utimesSync(written!, new Date(t0 + i * day), new Date(t0 + i * day));
      }
      expect(await sauvegardeProgrammee(database, { dir: programmees, keep: 2 }, new Date(t0 + 2 * day + 3600_000))).toBeNull();
      avant = await empreintes(database);
    } finally {
      await database.close();
    }
  });

  it('restores into an empty data dir: same rows in every table, the document and the geometry intact', async () => {
    expect(Object.keys(avant).length).toBeGreaterThan(20);
    expect(avant['public.operation_documents']!.n).toBeGreaterThan(0);
    const cible = join(work, 'cible');
    const r = await restaurerDossier(cible, file);
    expect(r.entete).toMatchObject({ base: 'embarquee', contenu: 'pglite-tar-gzip' });
    const database = await openEmbedded(cible);
    try {
      expect(await empreintes(database)).toEqual(avant);
      await intacts(database, ids, wkt);
    } finally {
      await database.close();
    }
  }, 180_000);

  it('refuses truncated, altered and foreign files with a French message, and touches nothing', async () => {
    const cible = join(work, 'vide');
    for (const [f, message] of alterations(file)) {
      await expect(restaurerDossier(cible, f)).rejects.toThrow(message);
      expect(existsSync(join(cible, 'pgdata'))).toBe(false);
    }
  });

  it('refuses a non-empty data dir without --force; with it, replaces and keeps the old one aside', async () => {
    const cible = join(work, 'cible');
    await expect(restaurerDossier(cible, file)).rejects.toThrow(/contient déjà une base : restauration refusée\. Relancez avec --force/);
    const r = await restaurerDossier(cible, file, { force: true });
    expect(r.ancienne).toMatch(/pgdata\.avant-restauration-/);
    expect(existsSync(join(r.ancienne!, 'PG_VERSION'))).toBe(true);
    const database = await openEmbedded(cible);
    try {
      expect(await empreintes(database)).toEqual(avant);
    } finally {
      await database.close();
    }
  }, 180_000);

  it('a day\'s scheduled backups keep the newest N; a data dir that no process holds is backed up by opening it', async () => {
    expect(sauvegardesDe(programmees).map((x) => x.nom)).toEqual(['atelier-20261203-020000Z.sauvegarde', 'atelier-20261202-020000Z.sauvegarde']);
    expect(readdirSync(programmees).length).toBe(2);
    const e = await sauvegarderDossier(source, join(work, 'arretee.sauvegarde'));
    expect(e.migrations.nombre).toBeGreaterThan(10);
  }, 180_000);
});

describe.skipIf(!url)('server PostgreSQL', () => {
  const admin = new pg.Client({ connectionString: url });
  const created: string[] = [];
  const dbUrl = (name: string) => {
    const u = new URL(url!);
    u.pathname = `/${name}`;
    return u.href;
  };
  const createDb = async (template?: string) => {
    const name = `atelier_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    created.push(name);
    return dbUrl(name);
  };
  const file = join(work, 'serveur.sauvegarde');
  let ids: { documentId: string; gisementId: string };
  let avant: Record<string, { n: number; h: string }>;
  let wkt: string;
  let cible: string;

  beforeAll(async () => {
    await admin.connect();
    const sourceUrl = await createDb(inject('templateDatabase'));
    const database = await openPostgres(sourceUrl, { poolSize: 3 });
    try {
      ids = await ecrire(database);
      wkt = (await rows<{ w: string }>(database.db, sql`SELECT ST_AsText(geom) AS w FROM gisements WHERE id = ${ids.gisementId}::uuid`))[0]!.w;
      const e = await sauvegarderPostgres(sourceUrl, file);
      expect(e).toMatchObject({ base: 'postgres', contenu: 'pg_dump-custom' });
      avant = await empreintes(database);
    } finally {
      await database.close();
    }
    cible = await createDb();
  });
  afterAll(async () => {
    for (const n of created) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`).catch(() => {});
    await admin.end();
  });

  const tablesOf = async (u: string) => {
    const c = new pg.Client({ connectionString: u });
    await c.connect();
    try {
      return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n;
    } finally {
      await c.end();
    }
  };

  it('refuses truncated, altered and foreign files with a French message, and touches nothing', async () => {
    for (const [f, message] of alterations(file)) {
      await expect(restaurerPostgres(cible, f)).rejects.toThrow(message);
      expect(await tablesOf(cible)).toBe(0);
    }
  });

  it('restores into an empty database: same rows in every table, the document and the geometry intact', async () => {
    await restaurerPostgres(cible, file);
    const database = await openPostgres(cible, { poolSize: 2 });
    try {
      expect(Object.keys(avant).length).toBeGreaterThan(20);
      expect(await empreintes(database)).toEqual(avant);
      await intacts(database, ids, wkt);
    } finally {
      await database.close();
    }
  });

  it('refuses a non-empty database without --force; with it, replaces it in one transaction', async () => {
    await expect(restaurerPostgres(cible, file)).rejects.toThrow(/La base cible n’est pas vide \(\d+ tables ou vues\) : restauration refusée/);
    const database = await openPostgres(cible, { poolSize: 2 });
    try {
      await database.db.execute(sql`UPDATE operations SET nom = 'modifiée après la sauvegarde'`);
      await database.db.execute(sql`CREATE TABLE public.en_trop (x int)`);
    } finally {
      await database.close();
    }
    await restaurerPostgres(cible, file, { force: true });
    const again = await openPostgres(cible, { poolSize: 2 });
    try {
      expect(await empreintes(again)).toEqual(avant);
    } finally {
      await again.close();
    }
  });
});
