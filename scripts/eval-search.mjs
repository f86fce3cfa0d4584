// `npm run eval:search`: relevance of the aids search (graded judgments, nDCG@10 and recall@10),
// for Atelier's engine and for baselines run in the same command over the same catalogue and the
// same filters (audience, perimeter):
//   - "BM25 (manuel)": a textbook Okapi BM25 (k1 = 1.2, b = 0.75) over name + description +
//     eligibility, lower-cased words, no stemming, no accent folding, no synonyms;
//   - "MiniSearch (défaut)": MiniSearch with default options over the same fields, when the
//     `minisearch` package is installed (skipped otherwise, and said so).
//
// Query sets, by default:
//   - data/aides-queries-dev.json: the 20 development queries the engine was tuned on;
//   - data/aides-queries-eval.json, split by its `split` field (rule in its _meta, checked here):
//     "dev" (may be used for tuning) and "heldout" (no tuning ever looks at it: only its means,
//     overall and per kind, are printed and written; never its per-query results).
// EVAL_QUERIES=<file> evaluates that file alone (split into its parts when its queries carry one).
//
// The default run writes bench/results/eval-search-latest.md and a dated JSON beside it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
import { expectedSplit } from './lib/search-baselines.mjs';

const rel = (p) => p.replace(root + '/', '');
const catalogue = JSON.parse(readFileSync(join(root, 'data/aides-catalogue.json'), 'utf8')).results;
const knownIds = new Set(catalogue.map((a) => a.id));

// ---- query sets -------------------------------------------------------------------------------

function loadSets(file, label) {
  const { queries } = JSON.parse(readFileSync(file, 'utf8'));
  const problems = [];
  const ids = new Set();
  for (const q of queries) {
    if (ids.has(q.id)) problems.push(`identifiant en double : ${q.id}`);
    ids.add(q.id);
    for (const [id, g] of Object.entries(q.judgments ?? {})) {
      if (!knownIds.has(id)) problems.push(`${q.id} : aide inconnue du catalogue ${id}`);
      if (![1, 2, 3].includes(g)) problems.push(`${q.id} : note ${g} pour ${id} (1 à 3 attendu)`);
    }
  }
  const split = queries.some((q) => q.split);
  if (split) {
    const want = expectedSplit(queries);
    for (const q of queries) if (q.split !== want.get(q.id)) problems.push(`${q.id} « ${q.query} » : split ${q.split}, la règle donne ${want.get(q.id)}`);
  }
  if (problems.length) {
    console.error(`${rel(file)} : ${problems.length} problème(s)\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exit(1);
  }
  if (!split) return [{ name: label, file: rel(file), part: 'all', queries }];
  return ['dev', 'heldout'].map((part) => ({ name: `${label} — ${part}`, file: rel(file), part, queries: queries.filter((q) => q.split === part) }));
}

const custom = process.env.EVAL_QUERIES;
const sets = custom
  ? loadSets(custom, rel(custom))
  : [...loadSets(join(root, 'data/aides-queries-dev.json'), 'dev historique (20)'), ...loadSets(join(root, 'data/aides-queries-eval.json'), 'jeu d’évaluation')];

// ---- engines ----------------------------------------------------------------------------------

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

const started = new Date();
const load0 = loadavg();
const database = await openEmbedded('memory://');
const results = []; // per set: { set, perEngine: Map(engine -> [{ id, query, kind, ndcg, recall }]) }
let engineNames;
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
  engineNames = engines.map((e) => e.name);

  for (const set of sets) {
    const perEngine = new Map(engines.map((e) => [e.name, []]));
    for (const q of set.queries) {
      const audience = q.audience ? audienceSlug(q.audience) : undefined;
      const perimetres = q.perimeter_insee ? await perimetreCodes(database.db, q.perimeter_insee) : undefined;
      const filtres = { audiences: audience ? [audience] : undefined, perimetres };
      for (const e of engines) {
        const top = await e.search(q, filtres);
        perEngine.get(e.name).push({ id: q.id, query: q.query, kind: q.kind ?? null, ndcg: ndcgAt(top, q.judgments, 10), recall: recallAt(top, q.judgments, 10) });
      }
    }
    results.push({ set, perEngine });
  }
} finally {
  await database.close();
}

// ---- aggregation ------------------------------------------------------------------------------

const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const MINI = 'MiniSearch (défaut)';
const BM25 = 'BM25 (manuel)';
const summarise = (rows) => ({ n: rows.length, ndcg10: mean(rows.map((r) => r.ndcg)), recall10: mean(rows.map((r) => r.recall)) });
const ratio = (a, b) => (b > 0 && Number.isFinite(a) ? a / b : null);

const report = results.map(({ set, perEngine }) => {
  const engines = Object.fromEntries(engineNames.map((n) => [n, summarise(perEngine.get(n))]));
  const kinds = [...new Set(set.queries.map((q) => q.kind).filter(Boolean))].sort();
  const byKind = Object.fromEntries(
    kinds.map((k) => [k, Object.fromEntries(engineNames.map((n) => [n, summarise(perEngine.get(n).filter((r) => r.kind === k))]))]),
  );
  const withRatios = (e) => ({
    atelier_over_minisearch: e[MINI] ? ratio(e.Atelier.ndcg10, e[MINI].ndcg10) : null,
    atelier_over_bm25: ratio(e.Atelier.ndcg10, e[BM25].ndcg10),
  });
  return {
    set: set.name,
    file: set.file,
    part: set.part,
    queries: set.queries.length,
    engines,
    ratios_ndcg10: withRatios(engines),
    by_kind: Object.fromEntries(Object.entries(byKind).map(([k, e]) => [k, { engines: e, ratios_ndcg10: withRatios(e) }])),
    // Held-out per-query results are never printed nor written: only means are.
    per_query:
      set.part === 'heldout'
        ? undefined
        : set.queries.map((q, i) => ({ id: q.id, query: q.query, kind: q.kind ?? null, ...Object.fromEntries(engineNames.map((n) => [n, { ndcg10: perEngine.get(n)[i].ndcg, recall10: perEngine.get(n)[i].recall }])) })),
  };
});

// ---- console ----------------------------------------------------------------------------------

const pad = (s, n) => String(s).padEnd(n);
const f = (x) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(3));
const fr = (x) => (x == null ? '—' : `${x.toFixed(2)}×`);
for (const r of report) {
  if (!r.per_query) continue;
  console.log(`\n${r.set} (${r.file}) — par requête`);
  console.log(pad('requête', 56) + engineNames.map((n) => pad(`${n} nDCG@10 / R@10`, 30)).join(''));
  for (const q of r.per_query) console.log(pad(`${q.id} ${q.query}`.slice(0, 54), 56) + engineNames.map((n) => pad(`${f(q[n].ndcg10)} / ${f(q[n].recall10)}`, 30)).join(''));
}
console.log('\nSynthèse (nDCG@10 / R@10)');
console.log(pad('jeu', 36) + pad('n', 5) + engineNames.map((n) => pad(n, 24)).join('') + pad('Atelier ÷ MiniSearch', 22) + 'Atelier ÷ BM25');
for (const r of report) {
  console.log(
    pad(r.set, 36) + pad(r.queries, 5) + engineNames.map((n) => pad(`${f(r.engines[n].ndcg10)} / ${f(r.engines[n].recall10)}`, 24)).join('') + pad(fr(r.ratios_ndcg10.atelier_over_minisearch), 22) + fr(r.ratios_ndcg10.atelier_over_bm25),
  );
}
for (const r of report) {
  if (!Object.keys(r.by_kind).length) continue;
  console.log(`\nPar type — ${r.set} (nDCG@10 / R@10)`);
  for (const [k, v] of Object.entries(r.by_kind)) {
    console.log(pad(k, 36) + pad(v.engines.Atelier.n, 5) + engineNames.map((n) => pad(`${f(v.engines[n].ndcg10)} / ${f(v.engines[n].recall10)}`, 24)).join('') + pad(fr(v.ratios_ndcg10.atelier_over_minisearch), 22) + fr(v.ratios_ndcg10.atelier_over_bm25));
  }
}
console.log('\nFiltres public visé et périmètre appliqués à tous les moteurs ; jeu « heldout » : moyennes seulement.');

// ---- files ------------------------------------------------------------------------------------

if (custom) {
  console.log(`(EVAL_QUERIES=${rel(custom)} : rien n'est écrit dans bench/results.)`);
} else {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout?.trim() || null;
  const stamp = started.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const outDir = join(root, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const jsonName = `eval-search-${stamp}.json`;
  const env = { date: started.toISOString(), commit, node: process.version, cpu: cpus()[0]?.model ?? null, cores: cpus().length, loadavg_start: load0, loadavg_end: loadavg(), catalogue_aids: catalogue.length };
  writeFileSync(join(outDir, jsonName), JSON.stringify({ env, engines: engineNames, metrics: 'nDCG@10 (gains 2^note − 1), recall@10 (aides notées ≥ 1)', sets: report }, null, 1) + '\n');

  const md = [];
  md.push('# Atelier — pertinence de la recherche d’aides (`npm run eval:search`)', '');
  md.push(`${env.date} · commit ${commit ?? '?'} · Node ${env.node} · ${env.cores} cœurs · catalogue de ${env.catalogue_aids} aides (data/aides-catalogue.json).`, '');
  md.push('Moteurs mesurés dans la même exécution, avec les mêmes filtres (public visé, périmètre) : Atelier (moteur du produit), un BM25 de manuel (k1 = 1,2, b = 0,75 ; nom + description + éligibilité ; ni racinisation, ni accents, ni synonymes) et MiniSearch avec ses options par défaut sur les mêmes champs. nDCG@10 avec gains 2^note − 1 ; R@10 = part des aides notées ≥ 1 présentes dans les 10 premières.', '');
  md.push('Jeux : les 20 requêtes de développement historiques (sur lesquelles le moteur a été réglé) ; le jeu d’évaluation `data/aides-queries-eval.json` (écrit indépendamment, jugé par lecture du catalogue), partagé par empreinte SHA-256 du texte, stratifié par type, en « dev » (réglage permis) et « heldout » (qu’aucun réglage ne regarde : moyennes seulement). Cible de l’issue 13 sur le heldout : nDCG@10 ≥ 0,85 et ≥ 1,25 × MiniSearch.', '');
  md.push(`| jeu | requêtes | ${engineNames.map((n) => `${n} nDCG@10 | ${n} R@10`).join(' | ')} | Atelier ÷ MiniSearch | Atelier ÷ BM25 |`);
  md.push(`| --- | --- | ${engineNames.map(() => '--- | ---').join(' | ')} | --- | --- |`);
  for (const r of report) md.push(`| ${r.set} | ${r.queries} | ${engineNames.map((n) => `${f(r.engines[n].ndcg10)} | ${f(r.engines[n].recall10)}`).join(' | ')} | ${fr(r.ratios_ndcg10.atelier_over_minisearch)} | ${fr(r.ratios_ndcg10.atelier_over_bm25)} |`);
  for (const r of report) {
    if (!Object.keys(r.by_kind).length) continue;
    md.push('', `## Par type — ${r.set}`, '');
    md.push(`| type | requêtes | ${engineNames.map((n) => `${n} nDCG@10 | ${n} R@10`).join(' | ')} | Atelier ÷ MiniSearch |`);
    md.push(`| --- | --- | ${engineNames.map(() => '--- | ---').join(' | ')} | --- |`);
    for (const [k, v] of Object.entries(r.by_kind)) md.push(`| ${k} | ${v.engines.Atelier.n} | ${engineNames.map((n) => `${f(v.engines[n].ndcg10)} | ${f(v.engines[n].recall10)}`).join(' | ')} | ${fr(v.ratios_ndcg10.atelier_over_minisearch)} |`);
  }
  md.push('', `Charge moyenne au début : ${load0.map((x) => x.toFixed(1)).join(', ')} (la pertinence ne dépend pas de la charge).`, '');
  md.push(`Chiffres bruts, dont le détail par requête des jeux dev : [${jsonName}](${jsonName}).`, '');
  writeFileSync(join(outDir, 'eval-search-latest.md'), md.join('\n'));
  console.log(`\nÉcrit : bench/results/eval-search-latest.md et bench/results/${jsonName}`);
}
