/**
 * Backups and restores of either database, in the file format of `sauvegarde.format.ts`.
 * - Embedded (PGlite): a gzip tar of the data dir (`dumpDataDir`), taken between transactions after
 *   a CHECKPOINT, by the process that holds the data dir (the platform, through the control channel
 *   of `controle.ts`, or the CLI when the platform is stopped).
 * - Server PostgreSQL: `pg_dump --format=custom`, which reads everything in one REPEATABLE READ
 *   snapshot; restored by `pg_restore` piped into one `psql --single-transaction`, so a failed
 *   restore leaves the target as it was.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import pg from 'pg';
import { openEmbedded, rows, type Database, type Executor } from '../../db/client.js';
import { lockDataDir } from '../../db/lock.js';
import { migrationsFolder } from '../../db/paths.js';
import { encodeEntete, FORMAT_VERSION, HEADER_SIZE, SauvegardeInvalide, verifierFichier, type Entete } from './sauvegarde.format.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

interface JournalEntry {
  when: number;
  tag: string;
}
function journal(): JournalEntry[] {
  return (JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
}

/** Applied migrations of a database (Drizzle's own table), named by their tag. */
export async function versionSchema(db: Executor): Promise<Entete['migrations']> {
  const exists = await rows<{ ok: boolean }>(db, sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok`);
  if (!exists[0]?.ok) return { nombre: 0, derniere: null };
  const [r] = await rows<{ n: number; last: string | null }>(db, sql`SELECT count(*)::int AS n, max(created_at)::text AS last FROM drizzle.__drizzle_migrations`);
  const last = r?.last ? journal().find((e) => String(e.when) === r.last)?.tag ?? `inconnue (${r.last})` : null;
  return { nombre: r?.n ?? 0, derniere: last };
}

async function versionServeur(db: Executor): Promise<string> {
  return (await rows<{ v: string }>(db, sql`SELECT current_setting('server_version') AS v`))[0]!.v;
}

/** Writes `content` (header + payload) to `file` through a temporary file, synced, then renamed. */
function ecrireAtomique(file: string, content: Buffer): void {
  const partial = `${file}.partiel-${process.pid}`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  syncDir(dirname(file));
}

function syncDir(dir: string) {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some file systems refuse fsync on a directory: the rename is still done */
  }
}

/**
 * The whole backup file of an open embedded database, in memory. The tar is taken while no
 * transaction and no query runs (PGlite's two mutexes), after a CHECKPOINT: a consistent data dir.
 */
export async function sauvegardeEmbarquee(database: Database): Promise<Buffer> {
  const pglite = database.pglite;
  if (!pglite) throw new Error('not an embedded database');
  const migrations = await versionSchema(database.db);
  const serveur = await versionServeur(database.db);
  await pglite.exec('CHECKPOINT');
  // Only the copy holds the database; compression runs afterwards in libuv's thread pool.
  const blob = await pglite._runExclusiveTransaction(() => pglite._runExclusiveQuery(() => pglite.dumpDataDir('none')));
  const payload = await gzipAsync(Buffer.from(await blob.arrayBuffer()), { level: 6 });
  const entete: Entete = {
    format: FORMAT_VERSION,
    base: 'embarquee',
    contenu: 'pglite-tar-gzip',
    migrations,
    serveur,
    cree_le: new Date().toISOString(),
    taille: payload.length,
    sha256: createHash('sha256').update(payload).digest('hex'),
  };
  return Buffer.concat([encodeEntete(entete), payload]);
}

export function ecrireSauvegarde(file: string, content: Buffer): void {
  ecrireAtomique(file, content);
}

/** Backs up an embedded data dir that no process holds: opens it (taking its lock), dumps, closes. */
export async function sauvegarderDossier(dataDir: string, file: string): Promise<Entete> {
  if (!existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))) throw new SauvegardeInvalide(`Aucune base embarquée dans ${dataDir} : rien à sauvegarder.`);
  const database = await openEmbedded(dataDir);
  try {
    ecrireAtomique(file, await sauvegardeEmbarquee(database));
  } finally {
    await database.close();
  }
  return verifierFichier(file);
}

function majeure(version: string): number {
  return Number(/(\d+)/.exec(version)?.[1] ?? 0);
}

/** pg_dump/pg_restore/psql of the machine, checked against the server's major version. */
function verifierOutilsPostgres(serveur: string): void {
  const r = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new SauvegardeInvalide('pg_dump est introuvable : installez le client PostgreSQL de la même version majeure que le serveur (Debian : paquet postgresql-client-15).');
  }
  const client = /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout)?.[1];
  if (Number(client) < majeure(serveur)) {
    throw new SauvegardeInvalide(`pg_dump ${client} ne sait pas sauvegarder un serveur PostgreSQL ${serveur} : installez postgresql-client-${majeure(serveur)} (ou plus récent).`);
  }
}

/** pg_dump of the server database into `file`, streamed, with the header written once it is done. */
export async function sauvegarderPostgres(url: string, file: string): Promise<Entete> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  let migrations: Entete['migrations'];
  let serveur: string;
  try {
    serveur = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
    const exists = (await client.query<{ ok: boolean }>(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok`)).rows[0]!.ok;
    const r = exists ? (await client.query<{ n: number; last: string | null }>(`SELECT count(*)::int AS n, max(created_at)::text AS last FROM drizzle.__drizzle_migrations`)).rows[0]! : { n: 0, last: null };
    migrations = { nombre: r.n, derniere: r.last ? journal().find((e) => String(e.when) === r.last)?.tag ?? `inconnue (${r.last})` : null };
  } finally {
    await client.end();
  }
  verifierOutilsPostgres(serveur);

  const partial = `${file}.partiel-${process.pid}`;
  const fd = openSync(partial, 'w', 0o600);
  const hash = createHash('sha256');
  let taille = 0;
  try {
    writeSync(fd, Buffer.alloc(HEADER_SIZE, 0x20));
    // --no-owner/--no-privileges: the archive restores into a database owned by another role.
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--dbname=${url}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    for await (const chunk of child.stdout) {
      hash.update(chunk as Buffer);
      writeSync(fd, chunk as Buffer);
      taille += (chunk as Buffer).length;
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('close', resolve)));
    if (code !== 0) throw new Error(`pg_dump a échoué (code ${code}) : ${stderr.trim()}`);
    const entete: Entete = {
      format: FORMAT_VERSION,
      base: 'postgres',
      contenu: 'pg_dump-custom',
      migrations,
      serveur,
      cree_le: new Date().toISOString(),
      taille,
      sha256: hash.digest('hex'),
    };
    writeSync(fd, encodeEntete(entete), 0, HEADER_SIZE, 0);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(partial, file);
    syncDir(dirname(file));
    return entete;
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(partial, { force: true });
    throw err;
  }
}

/** Refuses a backup made by a newer version of Atelier (a migration this code does not know). */
function verifierCompatibilite(entete: Entete, file: string): void {
  if (entete.migrations.derniere && !journal().some((e) => e.tag === entete.migrations.derniere)) {
    throw new SauvegardeInvalide(
      `${file} vient d’une version plus récente d’Atelier (migration « ${entete.migrations.derniere} » inconnue de cette version) : mettez Atelier à jour avant de restaurer.`,
    );
  }
}

function libelleBase(base: Entete['base']): string {
  return base === 'embarquee' ? 'une base embarquée' : 'un serveur PostgreSQL';
}

export interface ResultatRestauration {
  entete: Entete;
  /** Where the replaced embedded data was moved (embedded with --force). */
  ancienne?: string;
}

/** Restores a checked backup file into an embedded data dir. Refuses a non-empty one without `force`. */
export async function restaurerDossier(dataDir: string, file: string, opts: { force?: boolean } = {}): Promise<ResultatRestauration> {
  const entete = await verifierFichier(file);
  if (entete.base !== 'embarquee') throw new SauvegardeInvalide(`${file} est la sauvegarde d’${libelleBase(entete.base)} : elle ne se restaure pas dans la base embarquée (configurez DATABASE_URL).`);
  verifierCompatibilite(entete, file);
  const release = lockDataDir(dataDir);
  const pgdata = join(dataDir, 'pgdata');
  let ancienne: string | undefined;
  try {
    const occupe = existsSync(pgdata) && readdirSync(pgdata).length > 0;
    if (occupe && !opts.force) {
      throw new SauvegardeInvalide(`Le dossier de données ${dataDir} contient déjà une base : restauration refusée. Relancez avec --force pour la remplacer (l’ancienne sera conservée à côté).`);
    }
    if (occupe) {
      ancienne = `${pgdata}.avant-restauration-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(pgdata, ancienne);
    } else rmSync(pgdata, { recursive: true, force: true });
    const payload = await gunzipAsync(readFileSync(file).subarray(HEADER_SIZE));
    try {
      const database = await openEmbedded(dataDir, { loadDataDir: new Blob([payload]), lockRelease: release });
      try {
        const v = await versionSchema(database.db);
        if (v.nombre !== entete.migrations.nombre) throw new Error(`restored ${v.nombre} migrations, header says ${entete.migrations.nombre}`);
      } finally {
        await database.close();
      }
    } catch (err) {
      rmSync(pgdata, { recursive: true, force: true });
      if (ancienne) renameSync(ancienne, pgdata);
      ancienne = undefined;
      throw err;
    }
  } finally {
    release();
  }
  return { entete, ancienne };
}

/** Relations that make a server database "not empty": any outside the system and extension objects. */
async function relationsUtilisateur(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: number }>(`
    SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`);
  return r.rows[0]!.n;
}

/**
 * Restores a checked backup file into the server database of `url`, in one transaction. Refuses a
 * database that already has tables without `force`; with it, the application's schemas are dropped
 * first, in the same transaction.
 */
export async function restaurerPostgres(url: string, file: string, opts: { force?: boolean } = {}): Promise<ResultatRestauration> {
  const entete = await verifierFichier(file);
  if (entete.base !== 'postgres') throw new SauvegardeInvalide(`${file} est la sauvegarde d’${libelleBase(entete.base)} : elle ne se restaure pas sur un serveur PostgreSQL (retirez DATABASE_URL pour la base embarquée).`);
  verifierCompatibilite(entete, file);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  let schemas: string[];
  try {
    const serveur = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
    verifierOutilsPostgres(serveur);
    const n = await relationsUtilisateur(client);
    if (n > 0 && !opts.force) {
      throw new SauvegardeInvalide(`La base cible n’est pas vide (${n} tables ou vues) : restauration refusée. Relancez avec --force pour la remplacer.`);
    }
    schemas = (
      await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = pg_namespace.oid AND d.deptype = 'e')`)
    ).rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
  const prefix = opts.force
    ? [...schemas.map((s) => `DROP SCHEMA "${s.replace(/"/g, '""')}" CASCADE;`), 'DROP SCHEMA IF EXISTS public CASCADE;', 'CREATE SCHEMA public;'].join('\n') + '\n'
    : '';

  const psql = spawn('psql', ['-X', '-q', '--single-transaction', '-v', 'ON_ERROR_STOP=1', `--dbname=${url}`], { stdio: ['pipe', 'ignore', 'pipe'] });
  const restore = spawn('pg_restore', ['--no-owner', '--no-privileges', '--file=-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  psql.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  restore.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  psql.stdin.on('error', () => {}); // psql stopped on an error: its exit code says so
  restore.stdin.on('error', () => {});
  const done = (p: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => p.on('close', resolve));
  const psqlDone = done(psql);
  const restoreDone = done(restore);
  psql.stdin.write(prefix);
  restore.stdout!.pipe(psql.stdin);
  createReadStream(file, { start: HEADER_SIZE }).pipe(restore.stdin);
  const [codeRestore, codePsql] = await Promise.all([restoreDone, psqlDone]);
  if (codeRestore !== 0 || codePsql !== 0) {
    throw new Error(`Restauration échouée, la base cible est inchangée (transaction annulée) :\n${errors.trim()}`);
  }
  return { entete };
}
