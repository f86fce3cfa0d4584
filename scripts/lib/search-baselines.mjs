// Baselines for the aids search (evaluation and bench) and the relevance metrics.
// Both baselines index name + description + eligibility and apply the same filters as Atelier
// (audience slugs, perimeter codes) so that only the ranking differs.
import { createHash } from 'node:crypto';
import { audienceSlugOf } from './audiences.mjs';

const words = (s) => (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

function keep(aide, filtres) {
  if (filtres.audiences?.length && !aide.targeted_audiences.some((a) => filtres.audiences.includes(audienceSlugOf(a)))) return false;
  if (filtres.perimetres?.length && !filtres.perimetres.includes(aide.perimeter.code)) return false;
  return true;
}

/** Textbook Okapi BM25 (k1 = 1.2, b = 0.75), one field made of name + description + eligibility. */
export function bm25Baseline(aides, { k1 = 1.2, b = 0.75 } = {}) {
  const docs = aides.map((a) => {
    const t = words(`${a.name} ${a.description} ${a.eligibility ?? ''}`);
    const tf = new Map();
    for (const w of t) tf.set(w, (tf.get(w) ?? 0) + 1);
    return { aide: a, tf, len: t.length };
  });
  const df = new Map();
  for (const d of docs) for (const w of d.tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const avg = docs.reduce((s, d) => s + d.len, 0) / docs.length;
  const N = docs.length;
  return {
    name: 'BM25 (manuel)',
    search(q, filtres, limit = 10) {
      const terms = [...new Set(words(q.query))];
      const scored = [];
      for (const d of docs) {
        if (!keep(d.aide, filtres)) continue;
        let s = 0;
        for (const w of terms) {
          const f = d.tf.get(w);
          if (!f) continue;
          const n = df.get(w);
          s += Math.log(1 + (N - n + 0.5) / (n + 0.5)) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.len) / avg)));
        }
        if (s > 0) scored.push([s, d.aide.id]);
      }
      return scored.sort((x, y) => y[0] - x[0]).slice(0, limit).map((x) => x[1]);
    },
  };
}

/** MiniSearch with default options, if the package is installed; null otherwise. */
export async function miniSearchBaseline(aides) {
  let MiniSearch;
  try {
    MiniSearch = (await import('minisearch')).default;
  } catch {
    return null;
  }
  const ms = new MiniSearch({ fields: ['name', 'description', 'eligibility'], storeFields: ['id'] });
  ms.addAll(aides.map((a) => ({ id: a.id, name: a.name, description: a.description, eligibility: a.eligibility ?? '' })));
  const byId = new Map(aides.map((a) => [a.id, a]));
  return {
    name: 'MiniSearch (défaut)',
    search(q, filtres, limit = 10) {
      return ms
        .search(q.query)
        .filter((r) => keep(byId.get(r.id), filtres))
        .slice(0, limit)
        .map((r) => r.id);
    },
  };
}

/** nDCG@k with gains 2^grade - 1 over the judged grades (unjudged = 0). */
export function ndcgAt(ranked, judgments, k) {
  const gain = (g) => 2 ** g - 1;
  const dcg = ranked.slice(0, k).reduce((s, id, i) => s + gain(judgments[id] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(judgments).sort((a, b) => b - a).slice(0, k).reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  return ideal ? dcg / ideal : 0;
}

/** Share of the judged aids (grade ≥ 1) found in the first k. */
export function recallAt(ranked, judgments, k) {
  const rel = Object.keys(judgments).filter((id) => judgments[id] >= 1);
  if (!rel.length) return 0;
  const top = new Set(ranked.slice(0, k));
  return rel.filter((id) => top.has(id)).length / rel.length;
}

const sha256 = (t) => createHash('sha256').update(t, 'utf8').digest('hex');

/**
 * The dev/heldout split rule of data/aides-queries-eval.json (documented in its _meta): within each
 * kind, queries sorted by the SHA-256 of their exact text (UTF-8, lower-case hex); ranks 0, 3, 6…
 * are "dev", the others "heldout". Returns a Map from query id to its part.
 */
export function expectedSplit(queries) {
  const byKind = new Map();
  for (const q of queries) byKind.set(q.kind ?? '', [...(byKind.get(q.kind ?? '') ?? []), q]);
  const split = new Map();
  for (const qs of byKind.values()) {
    qs.map((q) => [sha256(q.query), q])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .forEach(([, q], i) => split.set(q.id, i % 3 === 0 ? 'dev' : 'heldout'));
  }
  return split;
}
