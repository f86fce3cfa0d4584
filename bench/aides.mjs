// Benchmark of the aids search (issue 4): the shipped catalogue (157 real aids) grown to 50,000
// by varying the real ones (name suffix, perimeter, audiences, a sentence borrowed from another
// aid of the same theme), then the search measured in-process (version check and search on the
// instance's in-memory index, the page of aids with its snippets, the search log written, i.e.
// what GET /api/v1/aides does minus HTTP) on the embedded and the server PostgreSQL, beside a
// textbook BM25 baseline over the same 50,000 aids in the same run. Also: the index's build time
// and memory, and each query's first search apart. Targets: p95 < 30 ms and ≥ 300 searches/s on 2 cores.
// Exported as `runAidesBench`; `node bench/aides.mjs` runs it alone (BENCH_AIDES=<n> to change the size).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openBenchDatabase } from './lib/harness.mjs';
import { bm25Baseline } from '../scripts/lib/search-baselines.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dist = (p) => import(pathToFileURL(join(root, 'dist/server', p)).href);

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 50,000 plausible aids from the 157 real ones; deterministic. */
export function generateAides(catalogue, n, communes, epcis) {
  const rnd = mulberry32(20261123);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const themes = new Map();
  for (const a of catalogue) {
    const t = (a.categories[0] ?? '').split(' / ')[0];
    if (!themes.has(t)) themes.set(t, []);
    themes.get(t).push(a);
  }
  const departements = ['30', '34', '13', '84', '48', '07', '11', '66', '31', '12'];
  const out = [];
  for (let i = 0; i < n; i++) {
    const base = catalogue[i % catalogue.length];
    const r = rnd();
    const perimeter =
      r < 0.25 ? { scale: 'Pays', code: 'FRA', name: 'France' }
      : r < 0.4 ? { scale: 'Région', code: '76', name: 'Occitanie' }
      : r < 0.6 ? (() => { const d = pick(departements); return { scale: 'Département', code: d, name: `Département ${d}` }; })()
      : r < 0.75 ? (() => { const e = pick(epcis); return { scale: 'EPCI', code: e, name: `EPCI ${e}` }; })()
      : (() => { const c = pick(communes); return { scale: 'Commune', code: c, name: `Commune ${c}` }; })();
    const sameTheme = themes.get((base.categories[0] ?? '').split(' / ')[0]) ?? catalogue;
    const other = pick(sameTheme);
    const sentences = other.description.split(/(?<=\.)\s+/);
    const audiences = base.targeted_audiences.filter(() => rnd() > 0.2);
    out.push({
      ...base,
      id: `gen-${i}`,
      slug: `${base.slug}-g${i}`,
      name: `${base.name} — ${perimeter.name} (${2020 + (i % 7)})`,
      description: `${base.description} ${pick(sentences)}`,
      targeted_audiences: audiences.length ? audiences : base.targeted_audiences,
      perimeter,
      submission_deadline: null,
    });
  }
  return out;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function measure(fn, queries, { rounds, concurrency }) {
  // Warm-up, every query once, one at a time: its first search (nothing of it known yet: words to
  // correct, stems, records of its page) is reported apart.
  const froid = [];
  for (const q of queries) {
    const t0 = performance.now();
    await fn(q);
    froid.push(performance.now() - t0);
  }
  globalThis.gc?.();
  const lat = [];
  const total = queries.length * rounds;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const q = queries[next++ % queries.length];
        const t0 = performance.now();
        await fn(q);
        lat.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    searches: total,
    concurrency,
    p50_ms: +pct(lat, 50).toFixed(2),
    p95_ms: +pct(lat, 95).toFixed(2),
    p99_ms: +pct(lat, 99).toFixed(2),
    per_second: +(total / seconds).toFixed(1),
    first_p50_ms: +pct(froid, 50).toFixed(2),
    first_p95_ms: +pct(froid, 95).toFixed(2),
  };
}

export async function runAidesBench({ n = 50_000, databases = ['embedded', 'postgres'], rounds = 10, log = console.log } = {}) {
  const { openEmbedded, openPostgres } = await dist('server/db/client.js');
  const { runMigrations } = await dist('server/db/migrate.js');
  const { ensureDepartements } = await dist('server/modules/referentiel/referentiel.loader.js');
  const { importAides } = await dist('server/modules/aides/aides.import.js');
  const { rechercherAides } = await dist('server/modules/aides/aides.service.js');
  const { moteurAides } = await dist('server/modules/aides/aides.moteur.js');
  const { journalRecherches } = await dist('server/modules/aides/aides.journal.js');
  const { perimetreCodes } = await dist('server/modules/aides/aides.perimetre.js');
  const { audienceSlug } = await dist('shared/aides/referentiel.js');
  const { systemActor } = await dist('server/lib/principal.js');
  const catalogue = JSON.parse(readFileSync(join(root, 'data/aides-catalogue.json'), 'utf8')).results;
  const dev = JSON.parse(readFileSync(join(root, 'data/aides-queries-dev.json'), 'utf8')).queries;
  const communesCsv = readFileSync(join(root, 'data/gard-communes-2026.csv'), 'utf8').split('\n').slice(1).filter(Boolean);
  const header = readFileSync(join(root, 'data/gard-communes-2026.csv'), 'utf8').split('\n')[0].split(',');
  const ci = header.indexOf('code_insee');
  const ei = header.indexOf('siren_epci');
  const communes = communesCsv.map((l) => l.split(',')[ci]).filter(Boolean);
  const epcis = [...new Set(communesCsv.map((l) => l.split(',')[ei]).filter((x) => /^\d{9}$/.test(x ?? '')))];
  const aides = generateAides(catalogue, n, communes, epcis);
  log(`[aides] ${aides.length} aides générées à partir des ${catalogue.length} réelles`);

  // The same queries for every engine: the dev queries (text + audience + perimeter), and the
  // same texts without filters.
  const queries = [
    ...dev.map((q) => ({ text: q.query, audience: q.audience ? audienceSlug(q.audience) : undefined, insee: q.perimeter_insee })),
    ...dev.map((q) => ({ text: q.query })),
  ];

  const results = { n, queries: queries.length, rounds, engines: [] };
  // Perimeter codes of the queries' communes, resolved by the first database (the same for all).
  const perim = new Map();
  for (const kind of databases) {
    let database;
    let drop = async () => {};
    try {
      ({ database, drop } = await openBenchDatabase(kind, 'atelier_bench_aides', { openEmbedded, openPostgres }));
      await runMigrations(database);
      await ensureDepartements(database.db, ['30'], systemActor('bench'));
      const t0 = performance.now();
      await importAides(database.db, { results: aides }, { actor: systemActor('bench'), fichier: 'bench.json' });
      const importSeconds = +((performance.now() - t0) / 1000).toFixed(1);
      log(`[aides] ${kind} : ${n} aides importées en ${importSeconds} s`);
      for (const q of queries) if (q.insee && !perim.has(q.insee)) perim.set(q.insee, await perimetreCodes(database.db, q.insee));
      // The search index this instance builds from the catalogue (on its first search, or after a
      // large import): time and memory.
      globalThis.gc?.();
      const mem = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      const mem0 = mem();
      const t1 = performance.now();
      const index = await moteurAides(database.reader).reconstruire();
      const indexSeconds = +((performance.now() - t1) / 1000).toFixed(2);
      globalThis.gc?.();
      const indexMiB = Math.round((mem() - mem0) / 2 ** 20);
      log(`[aides] ${kind} : index de recherche construit en ${indexSeconds} s (${index.taille} aides, ${indexMiB} Mio de tas et tampons)`);
      const search = (q) =>
        rechercherAides(database.db, database.reader, 'http://bench', {
          q: q.text,
          filtres: { audiences: q.audience ? [q.audience] : undefined, perimetres: q.insee ? perim.get(q.insee) : undefined },
          page: 1,
          limit: 20,
          source: 'api',
          filtresJournal: {},
          journaliser: true,
        });
      const concurrency = 4;
      const m = await measure(search, queries, { rounds, concurrency });
      log(`[aides] ${kind} : p50 ${m.p50_ms} ms, p95 ${m.p95_ms} ms, ${m.per_second} recherches/s (${concurrency} en parallèle) ; première recherche d'une requête : p50 ${m.first_p50_ms} ms, p95 ${m.first_p95_ms} ms`);
      results.engines.push({ engine: `Atelier (${kind === 'embedded' ? 'PGlite embarqué' : 'PostgreSQL serveur'})`, import_seconds: importSeconds, index_seconds: indexSeconds, index_mib: indexMiB, ...m });
    } catch (err) {
      log(`[aides] ${kind} : échec ${err.stack ?? err.message}`);
      results.engines.push({ engine: kind, error: err.message });
    } finally {
      // The search log rows still waiting are written before the database closes (as on shutdown).
      if (database) await journalRecherches(database.db).vider();
      await database?.close();
      await drop();
    }
  }
  // Baseline, after the engines (its 50,000-aid index is not in the heap while they are measured):
  // textbook BM25 in the same process over the same aids, same filters; fewer rounds (it is slow).
  if (perim.size || !queries.some((q) => q.insee)) {
    const bm25 = bm25Baseline(aides);
    const b = await measure(
      async (q) => bm25.search({ query: q.text }, { audiences: q.audience ? [q.audience] : undefined, perimetres: q.insee ? perim.get(q.insee) : undefined }, 20),
      queries,
      { rounds: Math.min(rounds, 3), concurrency: 1 },
    );
    log(`[aides] BM25 manuel (en mémoire, JS) : p50 ${b.p50_ms} ms, p95 ${b.p95_ms} ms, ${b.per_second} recherches/s`);
    results.engines.push({ engine: 'BM25 manuel (base, en mémoire, même processus)', ...b });
  }
  return results;
}

export function aidesMarkdown(r, machine) {
  const lines = [
    '# Atelier — aids search benchmark',
    '',
    `${machine} · targets (issue 4): search p95 < 30 ms and ≥ 300 searches/s on 2 cores, at ${r.n.toLocaleString('en')} aids.`,
    '',
    `Data: the 157 real aids of data/aides-catalogue.json grown to ${r.n.toLocaleString('en')} by bench/aides.mjs (varied name, perimeter, audiences, one borrowed sentence). ` +
      `Queries: the ${r.queries / 2} dev queries with their audience and perimeter filters, and the same texts without filters; ${r.rounds} rounds. ` +
      'Atelier is measured in-process: search on the instance\'s in-memory index (version check included), the page of 20 aids with their highlighted snippets, and the search log written (GET /api/v1/aides minus HTTP). ' +
      'The baseline is a textbook BM25 over name + description + eligibility held in memory (no database, no snippets, no log), in the same run.',
    '',
    '| engine | concurrency | searches | p50 ms | p95 ms | p99 ms | searches/s | first search of a query: p50 / p95 ms | import s | index build s | index memory MiB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.engines.map((e) =>
      e.error
        ? `| ${e.engine} | failed: ${e.error} | | | | | | | | | |`
        : `| ${e.engine} | ${e.concurrency} | ${e.searches} | ${e.p50_ms} | ${e.p95_ms} | ${e.p99_ms} | ${e.per_second} | ${e.first_p50_ms} / ${e.first_p95_ms} | ${e.import_seconds ?? '—'} | ${e.index_seconds ?? '—'} | ${e.index_mib ?? '—'} |`,
    ),
    '',
    `Load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (the machine is shared with other agents; figures vary with their load).`,
    '',
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.env.BENCH_AIDES ?? 50_000);
  const dbs = (process.env.BENCH_DATABASES ?? 'embedded,postgres').split(',');
  const r = await runAidesBench({ n, databases: dbs, rounds: Number(process.env.BENCH_AIDES_ROUNDS ?? 10) });
  console.log(aidesMarkdown(r, `${new Date().toISOString()}`));
}
