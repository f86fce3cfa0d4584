/**
 * Several instances on one server PostgreSQL (issue 11): two platform processes on the same database.
 * A session opened on one works on the other (and its logout ends it there); the login rate limit
 * is shared; a write on one is in the next answer of the other (register listing cache, aids search
 * index and its typo corrections); each queued e-mail is sent once although both instances deliver;
 * the hourly aids jobs run once when two instances run them together; two instances preparing an
 * empty database at once (migrations, reference territory, aids catalogue) both start and load it
 * once.
 *
 * The embedded database is one process by design (its data dir is locked, decision 0011): skipped.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../server/config.js';
import { openPostgres, rows, type Database } from '../server/db/client.js';
import { runAidesJobs } from '../server/modules/aides/aides.jobs.js';
import { prepareDatabase } from '../server/platform.js';
import { DEMO } from './helpers.js';
import { arreter, baseServeur, connecter, demarrer, tuer, type Processus } from './serveur.js';
import { startSmtpSink } from './smtp-sink.js';

const url = process.env.DATABASE_URL;
const catalogue = JSON.parse(readFileSync(new URL('../data/aides-catalogue.json', import.meta.url), 'utf8')) as { results: Record<string, unknown>[] };

describe.skipIf(!url)('two instances on one server PostgreSQL', () => {
  let base: Awaited<ReturnType<typeof baseServeur>>;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let a: Processus, b: Processus;
  let database: Database;

  beforeAll(async () => {
    base = await baseServeur(url!, inject('templateDatabase'));
    sink = await startSmtpSink();
    database = await openPostgres(base.url, { poolSize: 3 });
    // Both instances poll the outbox every 5 s and deliver to the same SMTP server.
    const env = { DATABASE_URL: base.url, SMTP_URL: sink.url };
    [a, b] = await Promise.all([demarrer(env), demarrer(env)]);
  }, 400_000);

  afterAll(async () => {
    for (const p of [a, b]) if (p) await arreter(p).catch(() => tuer(p));
    await database?.close();
    await sink?.close();
    await base?.drop();
  });

  it('a session opened on one instance works on the other, and its logout ends it there', async () => {
    const surA = await connecter(a.base, DEMO.agentEtat);
    const me = await fetch(`${b.base}/api/v1/me`, { headers: { cookie: surA.cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(DEMO.agentEtat);
    // A write on B with the session and CSRF token issued by A.
    const [bailleur] = await rows<{ id: string }>(database.db, sql`INSERT INTO organisations (type, nom, departement) VALUES ('bailleur', 'Office Deux Instances', '30') RETURNING id::text`);
    const w = await surA.requete('POST', `${b.base}/api/v1/operations`, { nom: 'Écrite sur B avec la session de A', commune_insee: '30189', type: 'construction_neuve', bailleur_id: bailleur!.id, logements: { plai: 1 }, annee_programmation: 2026 });
    expect(w.status, await w.clone().text()).toBe(201);
    expect((await surA.requete('POST', `${a.base}/api/v1/auth/logout`, {})).status).toBeLessThan(300);
    expect((await fetch(`${b.base}/api/v1/me`, { headers: { cookie: surA.cookie } })).status).toBe(401);
  });

  it('the login rate limit is shared: failures on both instances add up', async () => {
    const essai = (p: Processus, password: string) =>
      fetch(`${p.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO.epf, password }) });
    // LOGIN_MAX_FAILURES is 5: three failures on A, two on B.
    for (const p of [a, a, a, b, b]) expect((await essai(p, 'mauvais-mot-de-passe')).status).toBe(401);
    const bloque = await essai(b, 'demo-atelier-2026');
    expect(bloque.status).toBe(429);
    expect(((await bloque.json()) as { message: string }).message).toMatch(/Trop de tentatives de connexion échouées/);
    expect((await essai(a, 'demo-atelier-2026')).status).toBe(429);
  });

  it('a write on one instance is in the next answer of the other (register listing)', async () => {
    const [etatA, etatB] = await Promise.all([connecter(a.base, DEMO.agentEtat), connecter(b.base, DEMO.agentEtat)]);
    const liste = async () => (await etatB.requete('GET', '/api/v1/operations?limit=200&q=Instance%20A')).text();
    // B answers, and keeps that answer in its listing cache.
    expect(await liste()).not.toContain('Créée sur l’instance A');
    expect(await liste()).not.toContain('Créée sur l’instance A');
    const [bailleur] = await rows<{ id: string }>(database.db, sql`SELECT id::text FROM organisations WHERE nom = 'Office Deux Instances'`);
    const w = await etatA.requete('POST', '/api/v1/operations', { nom: 'Instance A : Créée sur l’instance A', commune_insee: '30189', type: 'construction_neuve', bailleur_id: bailleur!.id, logements: { plus: 3 }, annee_programmation: 2026 });
    expect(w.status).toBe(201);
    expect(await liste()).toContain('Créée sur l’instance A');
  });

  it('an aid imported on one instance is found by the next search on the other, its new word no longer “corrected”', async () => {
    // A word of the catalogue, and a new word one letter away from it (a typo of it, until an aid uses it).
    const [terme] = await rows<{ mot: string }>(database.db, sql`SELECT mot FROM aides_termes WHERE length(mot) BETWEEN 9 AND 14 AND mot ~ '^[a-z]+$' ORDER BY nb_aides DESC, mot LIMIT 1`);
    const nouveau = `${terme!.mot}z`;
    const cherche = async () => (await (await fetch(`${b.base}/api/v1/aides?q=${nouveau}`)).json()) as { count: number; results: { slug: string }[]; interpretation: { corrections: { de: string; vers: string }[] } };
    const avant = await cherche();
    expect(avant.interpretation.corrections).toEqual([{ de: nouveau, vers: terme!.mot }]);
    const admin = await connecter(a.base, DEMO.admin);
    const item = { ...catalogue.results[0], slug: 'aide-deux-instances', name: `Aide ${nouveau} des deux instances`, submission_deadline: '2099-12-31' };
    const r = await admin.requete('POST', '/api/v1/aides/import', { results: [item] });
    expect(r.status, await r.clone().text()).toBe(200);
    const apres = await cherche();
    expect(apres.interpretation.corrections).toEqual([]);
    expect(apres.results.map((x) => x.slug)).toContain('aide-deux-instances');
  });

  it('each queued e-mail is sent once although both instances deliver the queue', async () => {
    const n = 40;
    await database.db.execute(sql`INSERT INTO emails_sortants (destinataire, sujet, texte)
      SELECT 'instances-' || i || '@exemple.fr', 'Test deux instances ' || i, 'Message de test.' FROM generate_series(1, ${n}) i`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [r] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM emails_sortants WHERE destinataire LIKE 'instances-%' AND statut = 'envoye'`);
      if (r!.n === n || Date.now() > deadline) break;
      await new Promise((ok) => setTimeout(ok, 500));
    }
    const recus = sink.messages.flatMap((m) => m.to).filter((x) => x.startsWith('instances-'));
    expect(recus).toHaveLength(n);
    expect(new Set(recus).size).toBe(n);
  }, 90_000);

  it('the aids jobs run once when two instances run them together', async () => {
    const [org] = await rows<{ id: string }>(database.db, sql`SELECT organisation_id::text AS id FROM users WHERE email = ${DEMO.financeur}`);
    await database.db.execute(sql`INSERT INTO aides (slug, name, perimeter_scale, perimeter_code, perimeter_name, statut, organisation_id, description, publiee_le, submission_deadline)
      VALUES ('aide-echue-deux-instances', 'Aide échue (deux instances)', 'Département', '30', 'Gard', 'publiee', ${org!.id}::uuid, 'Aide de test.', now() - interval '1 year', current_date - 2)`);
    const config = loadConfig({ DATABASE_URL: base.url, SESSION_SECRET: 'x'.repeat(40), ATELIER_DEPARTEMENTS: '30' });
    const autre = await openPostgres(base.url, { poolSize: 2 });
    try {
      for (let i = 0; i < 3; i++) await Promise.all([runAidesJobs(database.db, config), runAidesJobs(autre.db, config)]);
    } finally {
      await autre.close();
    }
    const [aide] = await rows<{ id: string; statut: string }>(database.db, sql`SELECT id::text, statut FROM aides WHERE slug = 'aide-echue-deux-instances'`);
    expect(aide!.statut).toBe('expiree');
    const [audit] = await rows<{ expirations: number; relances: number }>(
      database.db,
      sql`SELECT count(*) FILTER (WHERE action = 'statut:expiree')::int AS expirations, count(*) FILTER (WHERE action = 'relance')::int AS relances FROM audit_log WHERE entity_id = ${aide!.id}`,
    );
    expect(audit).toEqual({ expirations: 1, relances: 1 });
    const [mails] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM emails_sortants WHERE sujet LIKE '%Aide échue (deux instances)%'`);
    const [financeurs] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM users WHERE organisation_id = ${org!.id}::uuid AND role = 'financeur' AND actif`);
    expect(mails!.n).toBe(financeurs!.n);
  });
});

describe.skipIf(!url)('two instances preparing an empty server database at once', () => {
  it('both start; migrations, the territory, the vocabulary and the catalogue are loaded once', async () => {
    const name = `atelier_t_${process.pid}_vide`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url!);
    u.pathname = `/${name}`;
    const config = loadConfig({ DATABASE_URL: u.href, SESSION_SECRET: 'x'.repeat(40), ATELIER_DEPARTEMENTS: '30', ATELIER_DEMO: '0' });
    const [d1, d2] = await Promise.all([openPostgres(u.href, { poolSize: 2 }), openPostgres(u.href, { poolSize: 2 })]);
    try {
      await Promise.all([prepareDatabase(d1, config), prepareDatabase(d2, config)]);
      const [r] = await rows<{ communes: number; distinctes: number; vocabulaire: number; imports: number; chargements: number }>(
        d1.db,
        sql`SELECT (SELECT count(*) FROM communes)::int AS communes, (SELECT count(DISTINCT code_insee) FROM communes)::int AS distinctes,
                   (SELECT count(*) FROM aides_vocabulaire)::int AS vocabulaire,
                   (SELECT count(*) FROM audit_log WHERE entity_type = 'aides_import')::int AS imports,
                   (SELECT count(*) FROM audit_log WHERE entity_type = 'aides_vocabulaire')::int AS chargements`,
      );
      const fichier = JSON.parse(readFileSync(new URL('../data/aides-vocabulaire.json', import.meta.url), 'utf8')) as { groupes: unknown[] };
      expect(r!.communes).toBeGreaterThan(300);
      expect(r!.communes).toBe(r!.distinctes);
      expect(r!.vocabulaire).toBe(fichier.groupes.length);
      expect(r!.imports).toBe(1);
      expect(r!.chargements).toBe(1);
    } finally {
      await d1.close();
      await d2.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    }
  }, 400_000);
});
