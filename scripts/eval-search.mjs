// `npm run eval:search`: relevance of the aids search on data/aides-queries-dev.json (graded
// judgments), for Atelier's engine and for baselines run in the same command over the same
// catalogue and the same filters (audience, perimeter):
//   - "BM25 (manuel)": a textbook Okapi BM25 (k1 = 1.2, b = 0.75) over name + description +
//     eligibility, lower-cased words, no stemming, no accent folding, no synonyms;
//   - "MiniSearch (défaut)": MiniSearch with default options over the same fields, when the
//     `minisearch` package is installed (skipped otherwise, and said so).
// Prints nDCG@10 and recall@10 per query and overall. EVAL_QUERIES=<file> evaluates another set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
buildIfNeeded({ quiet: true });
const dist = (p) => import(pathToFileURL(join(root, 'dist/server', p)).href);
const { openEmbedded } = await dist('server/db/client.js');
const { runMigrations } = await dist('server/db/migrate.js');
const { ensureDepartements } = await dist('server/modules/referentiel/referentiel.loader.js');
const { ensureCatalogue } = await dist('server/modules/aides/aides.import.js');
const { rechercher } = await dist('server/modules/aides/aides.search.js');
const { perimetreCodes } = await dist('server/modules/aides/aides.perimetre.js');
const { audienceSlug } = await dist('shared/aides/referentiel.js');
const { systemActor } = await dist('server/lib/principal.js');
const { bm25Baseline, miniSearchBaseline, ndcgAt, recallAt } = await import('./lib/search-baselines.mjs');

const queriesFile = process.env.EVAL_QUERIES ?? join(root, 'data/aides-queries-dev.json');
const { queries } = JSON.parse(readFileSync(queriesFile, 'utf8'));
const catalogue = JSON.parse(readFileSync(join(root, 'data/aides-catalogue.json'), 'utf8')).results;

const database = await openEmbedded('memory://');
try {
  await runMigrations(database);
  await ensureDepartements(database.db, ['30'], systemActor('évaluation'));
  await ensureCatalogue(database.db, systemActor('évaluation'));
  const slugToId = new Map(catalogue.map((a) => [a.slug, a.id]));

  const engines = [
    {
      name: 'Atelier',
      async search(q, filtres) {
        const r = await rechercher(database.db, { q: q.query, filtres, offset: 0, limit: 10 });
        return r.results.map((x) => slugToId.get(x.slug));
      },
    },
    bm25Baseline(catalogue),
  ];
  const mini = await miniSearchBaseline(catalogue);
  if (mini) engines.push(mini);
  else console.log('MiniSearch non installé (paquet npm « minisearch ») : seule la base BM25 manuelle est mesurée.\n');

  const table = new Map(engines.map((e) => [e.name, []]));
  for (const q of queries) {
    const audience = q.audience ? audienceSlug(q.audience) : undefined;
    const perimetres = q.perimeter_insee ? await perimetreCodes(database.db, q.perimeter_insee) : undefined;
    const filtres = { audiences: audience ? [audience] : undefined, perimetres };
    for (const e of engines) {
      const top = await e.search(q, filtres);
      table.get(e.name).push({ id: q.id, query: q.query, ndcg: ndcgAt(top, q.judgments, 10), recall: recallAt(top, q.judgments, 10) });
    }
  }
  const pad = (s, n) => String(s).padEnd(n);
  const f = (x) => x.toFixed(3);
  console.log(pad('requête', 52) + engines.map((e) => pad(`${e.name} nDCG@10 / R@10`, 30)).join(''));
  queries.forEach((q, i) => {
    console.log(pad(`${q.id} ${q.query}`.slice(0, 50), 52) + engines.map((e) => pad(`${f(table.get(e.name)[i].ndcg)} / ${f(table.get(e.name)[i].recall)}`, 30)).join(''));
  });
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(pad('MOYENNE', 52) + engines.map((e) => pad(`${f(mean(table.get(e.name).map((r) => r.ndcg)))} / ${f(mean(table.get(e.name).map((r) => r.recall)))}`, 30)).join(''));
  console.log(`\n${queries.length} requêtes (${queriesFile.replace(root + '/', '')}), filtres public visé et périmètre appliqués à tous les moteurs.`);
} finally {
  await database.close();
}
