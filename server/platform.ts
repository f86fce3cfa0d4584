/**
 * Opens the configured database, migrates it, loads what a first start needs (reference territory,
 * demo accounts when demo mode is on) and builds the app.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp, type BuildOptions } from './app.js';
import type { Config } from './config.js';
import { openEmbedded, openPostgres, type Database } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { cleModele, dataDirNeuf, ecrireModele, lireModele } from './db/modele.js';
import { systemActor } from './lib/principal.js';
import { ensureCatalogue } from './modules/aides/aides.import.js';
import { loadDemo } from './modules/demo/demo.loader.js';
import { ensureDepartements } from './modules/referentiel/referentiel.loader.js';

export async function openDatabase(config: Config): Promise<Database> {
  return config.database.kind === 'embedded'
    ? openEmbedded(config.database.dataDir)
    : openPostgres(config.database.url, { poolSize: config.database.poolSize, replicaUrls: config.database.replicaUrls });
}

/** Arbitrary constant shared by every instance: "Atelier first-start preparation". */
const PREPARATION_LOCK_KEY = 7_302_027;

/**
 * Migrations, reference data for the configured départements, and demo data if asked for. On a
 * server database, instances starting together take turns (a session advisory lock): each step
 * checks what is already there, and two instances checking at once would both load it.
 */
export async function prepareDatabase(database: Database, config: Config, log: (msg: string) => void = () => {}) {
  if (database.kind === 'embedded') return prepare(database, config, log);
  // Its own connection, outside the pool (a pool of one would wait for itself).
  const client = new pg.Client(database.pool!.options);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PREPARATION_LOCK_KEY]);
    await prepare(database, config, log);
  } finally {
    await client.end().catch(() => {}); // ending the session releases its lock
  }
}

async function prepare(database: Database, config: Config, log: (msg: string) => void) {
  await runMigrations(database);
  for (const d of await ensureDepartements(database.db, config.departements, systemActor('chargement du référentiel'))) {
    log(`Référentiel chargé : ${d.nom} (${d.departement}), ${d.communes} communes, ${d.epci} EPCI${d.contours ? ', contours' : ', sans contours'}.`);
  }
  const aides = await ensureCatalogue(database.db, systemActor('chargement du catalogue des aides'));
  if (aides.aides) log(`Catalogue des aides chargé : ${aides.aides} aides.`);
  if (config.demo) {
    const r = await loadDemo(database.db, config.departements);
    if (r.users > 0) log(`Mode démo : ${r.users} comptes de démonstration créés (mot de passe demo-atelier-2026).`);
  }
}

export async function startPlatform(config: Config, opts: BuildOptions = {}): Promise<{ app: FastifyInstance; database: Database }> {
  // A fresh embedded data dir starts from the prepared model when one was kept (server/db/modele.ts).
  const neuf = config.database.kind === 'embedded' && !config.database.dataDir.startsWith('memory://') && dataDirNeuf(config.database.dataDir);
  const cle = neuf ? cleModele(config.departements, config.demo) : '';
  const modele = neuf ? lireModele(cle) : undefined;
  const database = config.database.kind === 'embedded' && modele ? await openEmbedded(config.database.dataDir, { loadDataDir: modele }) : await openDatabase(config);
  if (modele) console.log('Nouveau dossier de données : copie de la base initiale déjà préparée (référentiel, catalogue des aides, démo).');
  try {
    await prepareDatabase(database, config, (m) => console.log(m));
    if (neuf && !modele) await ecrireModele(database, cle);
    const app = await buildApp(database, config, opts);
    return { app, database };
  } catch (err) {
    await database.close();
    throw err;
  }
}
