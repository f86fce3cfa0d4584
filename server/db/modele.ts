/**
 * The initial embedded data dir, prepared once and copied into every fresh data dir (issue 11: a
 * fresh `npm start` took about a minute, most of it creating the cluster, migrating and loading the
 * territory, the aids catalogue and the demo accounts, all in WASM). The first fresh start prepares
 * as before, then keeps a dump of the result (`dist/modeles/<clé>.tar.gz`); the next fresh start
 * with the same key loads that dump (PGlite `loadDataDir`) and only checks it (migrations and loads
 * find everything there). The key covers everything the preparation reads: the migrations, the
 * shipped data, the package versions of PGlite and of the COG, the départements and the demo mode.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './client.js';
import { dataFolder, migrationsFolder, projectRoot } from './paths.js';

/** Where the prepared dumps are kept (a build artefact: dist/ is not versioned). */
export const dossierModeles = join(projectRoot, 'dist', 'modeles');

function hacherDossier(h: ReturnType<typeof createHash>, dir: string): void {
  for (const nom of readdirSync(dir).sort()) {
    const p = join(dir, nom);
    if (statSync(p).isDirectory()) hacherDossier(h, p);
    else h.update(`${p.slice(projectRoot.length)}\0`).update(readFileSync(p));
  }
}

/** The key of the prepared data dir for this code, these data and this configuration. */
export function cleModele(departements: string[], demo: boolean): string {
  const h = createHash('sha256');
  hacherDossier(h, migrationsFolder);
  hacherDossier(h, dataFolder);
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis', '@etalab/decoupage-administratif']) {
    h.update(`${pkg}@${(JSON.parse(readFileSync(join(projectRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version}\0`);
  }
  h.update(JSON.stringify({ departements: [...departements].sort(), demo }));
  return h.digest('hex').slice(0, 24);
}

export const fichierModele = (cle: string) => join(dossierModeles, `${cle}.tar.gz`);

/** Whether the data dir holds no database yet. */
export const dataDirNeuf = (dataDir: string) => !existsSync(join(dataDir, 'pgdata', 'PG_VERSION'));

/** The prepared dump for this key, if one was kept. */
export function lireModele(cle: string): Blob | undefined {
  const f = fichierModele(cle);
  return existsSync(f) ? new Blob([readFileSync(f)]) : undefined;
}

/** Keeps the just-prepared database as the model of the next fresh data dirs (atomically; best effort). */
export async function ecrireModele(database: Database, cle: string): Promise<string | undefined> {
  try {
    const dump = await database.pglite!.dumpDataDir('gzip');
    mkdirSync(dossierModeles, { recursive: true });
    const f = fichierModele(cle);
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, f);
    return f;
  } catch {
    return undefined; // a read-only installation: every fresh start prepares, as before
  }
}
