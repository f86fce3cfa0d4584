// Benchmark of the aides-territoires sync (issue 13, docs/decisions/0014): a local server speaking
// the aides-territoires API contract (bench/lib/aides-territoires-serveur.mjs, the same one the
// tests start) lists n upstream aids for the Gard (100 a page, the API's maximum); Atelier runs
// (1) the first, complete sync, (2) an incremental run after `changes` aids changed upstream, (3) a
// run with nothing changed, (4) a search after each, timed, on the embedded and the server
// PostgreSQL. Exported as `runAidesSyncBench`; `node bench/aides-sync.mjs` runs it alone
// (BENCH_SYNC_N, BENCH_SYNC_CHANGES to change the sizes).
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openBenchDatabase } from './lib/harness.mjs';
import { aideAt, demarrerAidesTerritoires } from './lib/aides-territoires-serveur.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dist = (p) => import(pathToFileURL(join(root, 'dist/server', p)).href);

const SCALES = [
  { perimeter: 'France', perimeter_scale: 'Pays' },
  { perimeter: 'Occitanie', perimeter_scale: 'Région' },
  { perimeter: 'Gard', perimeter_scale: 'Département' },
  { perimeter: 'CA de Nîmes Métropole', perimeter_scale: 'epci' },
  { perimeter: 'Alès', perimeter_scale: 'commune' },
];
const THEMES = ['construction de logements sociaux', 'réhabilitation énergétique', 'acquisition foncière', 'revitalisation des centres anciens', 'ingénierie de projet'];

export async function runAidesSyncBench({ n = 5_000, changes = 50, databases = ['embedded', 'postgres'], log = console.log } = {}) {
  const { openEmbedded, openPostgres } = await dist('server/db/client.js');
  const { runMigrations } = await dist('server/db/migrate.js');
  const { ensureDepartements } = await dist('server/modules/referentiel/referentiel.loader.js');
  const { ClientAidesTerritoires } = await dist('server/modules/aides/aides-territoires.client.js');
  const { synchroniserAides } = await dist('server/modules/aides/aides.sync.js');
  const { rechercherAides } = await dist('server/modules/aides/aides.service.js');
  const { journalRecherches } = await dist('server/modules/aides/aides.journal.js');
  const { systemActor } = await dist('server/lib/principal.js');
  const { loadConfig } = await dist('server/config.js');

  const at = await demarrerAidesTerritoires({ cle: 'cle-bench' });
  const results = { n, changes, runs: [] };
  try {
    for (let i = 0; i < n; i++) {
      at.aides.push(aideAt({ id: 100_000 + i, nom: `Aide ${i} pour la ${THEMES[i % THEMES.length]} (${2020 + (i % 7)})`, ...SCALES[i % SCALES.length] }));
    }
    const config = loadConfig({ ATELIER_DEPARTEMENTS: '30', SESSION_SECRET: 'bench-secret-'.padEnd(48, 'x'), ATELIER_DATA_DIR: 'memory://', AIDES_TERRITOIRES_URL: at.url, AIDES_TERRITOIRES_API_KEY: at.cle });
    const actor = systemActor('banc d’essai');
    for (const kind of databases) {
      let database;
      let drop = async () => {};
      const row = { engine: kind === 'embedded' ? 'PGlite embarqué' : 'PostgreSQL serveur' };
      /** The upstream aids changed by this database's run, as they were. */
      const avant = [];
      try {
        ({ database, drop } = await openBenchDatabase(kind, 'atelier_bench_sync', { openEmbedded, openPostgres }));
        await runMigrations(database);
        await ensureDepartements(database.db, ['30'], actor);
        const sync = async (label) => {
          const client = new ClientAidesTerritoires({ url: at.url, apiKey: at.cle });
          at.journal.length = 0;
          const t0 = performance.now();
          const r = await synchroniserAides(database.db, config, { actor, declencheur: 'banc d’essai', client });
          const seconds = (performance.now() - t0) / 1000;
          if (r?.statut !== 'reussie') throw new Error(`${label}: ${r?.erreur ?? 'pas de synchronisation'}`);
          // The search right after: the index follows the catalogue's version (rebuilt or updated here).
          const s0 = performance.now();
          await rechercherAides(database.db, database.reader, 'http://bench', { q: 'logement social', filtres: {}, page: 1, limit: 20, source: 'api', filtresJournal: {}, journaliser: false });
          const searchMs = performance.now() - s0;
          log(`[aides-sync] ${row.engine} · ${label} : ${seconds.toFixed(2)} s, ${r.pages} pages, ${r.creees} créées, ${r.mises_a_jour} mises à jour, ${r.inchangees} inchangées ; recherche juste après ${searchMs.toFixed(0)} ms`);
          return { label, seconds, requests: at.journal.length, pages: r.pages, lues: r.lues, creees: r.creees, mises_a_jour: r.mises_a_jour, retirees: r.retirees, inchangees: r.inchangees, search_after_ms: searchMs };
        };
        row.complete = await sync('première synchronisation (complète)');
        for (let k = 0; k < changes; k++) {
          const a = at.aides[(k * 97) % at.aides.length].aide;
          avant.push({ a, name: a.name, date_updated: a.date_updated });
          a.name = `${a.name} — modifiée`;
          a.date_updated = new Date(Date.UTC(2026, 10, 1, 8, k)).toISOString();
        }
        row.incrementale = await sync(`incrémentale (${changes} modifiées)`);
        row.sans_changement = await sync('sans changement');
        results.runs.push(row);
      } catch (err) {
        results.runs.push({ ...row, error: err.message });
        log(`[aides-sync] ${row.engine} : ${err.message}`);
      } finally {
        if (database) await journalRecherches(database.db).vider();
        await database?.close();
        await drop();
        // The next database's run starts from the same upstream state.
        for (const x of avant.splice(0)) Object.assign(x.a, { name: x.name, date_updated: x.date_updated });
      }
    }
  } finally {
    await at.close();
  }
  return results;
}

export function aidesSyncMarkdown(r, machine) {
  const lines = [
    '# Atelier — aides-territoires sync benchmark',
    '',
    `${machine}. A local server speaking the aides-territoires API contract (bench/lib/aides-territoires-serveur.mjs) lists ${r.n.toLocaleString('en')} aids for the Gard, 100 a page; ` +
      `the sync exchanges the key, reads every page, maps and checks each aid, writes the changed ones through the import runner; then ${r.changes} aids change upstream; then nothing changes. ` +
      'The search after each run includes the index catching up with the new catalogue version.',
    '',
    '| database | run | s | requests | created | updated | unchanged | first search after, ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of r.runs) {
    if (row.error) {
      lines.push(`| ${row.engine} | error: ${row.error} | | | | | | |`);
      continue;
    }
    for (const x of [row.complete, row.incrementale, row.sans_changement]) {
      lines.push(`| ${row.engine} | ${x.label} | ${x.seconds.toFixed(2)} | ${x.requests} | ${x.creees} | ${x.mises_a_jour} | ${x.inchangees} | ${x.search_after_ms.toFixed(0)} |`);
    }
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { buildIfNeeded } = await import('../scripts/build-if-needed.mjs');
  buildIfNeeded({ quiet: true });
  const os = await import('node:os');
  const r = await runAidesSyncBench({ n: Number(process.env.BENCH_SYNC_N ?? 5_000), changes: Number(process.env.BENCH_SYNC_CHANGES ?? 50), databases: (process.env.BENCH_DATABASES ?? 'embedded,postgres').split(',') });
  console.log(`\n${aidesSyncMarkdown(r, `${new Date().toISOString()} · ${os.cpus().length} cores · Node ${process.version}`)}`);
}
