// The aids search evaluation set (data/aides-queries-eval.json): well-formed, judged only over real
// aids that the query's own filters let through, split by the documented rule, independent of the
// 20 development queries; and the metrics of scripts/lib/search-baselines.mjs behave.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const readJson = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));

type Query = { id: string; query: string; kind: string; audience?: string; perimeter_insee?: string; split: string; note?: string; judgments: Record<string, number> };
type Aide = { id: string; targeted_audiences: string[]; perimeter: { code: string } };

const evalSet = readJson('data/aides-queries-eval.json') as { _meta: { kinds: Record<string, string>; count: number }; queries: Query[] };
const devSet = readJson('data/aides-queries-dev.json') as { queries: { query: string }[] };
const aides = new Map((readJson('data/aides-catalogue.json').results as Aide[]).map((a) => [a.id, a]));
const epciOf = new Map(
  readFileSync(join(root, 'data/gard-communes-2026.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .map((c) => [c[0], c[8]]),
);
type Lib = {
  expectedSplit: (q: Query[]) => Map<string, string>;
  ndcgAt: (ranked: string[], j: Record<string, number>, k: number) => number;
  recallAt: (ranked: string[], j: Record<string, number>, k: number) => number;
};
const lib = (): Promise<Lib> => import(pathToFileURL(join(root, 'scripts/lib/search-baselines.mjs')).href);

describe('aides-queries-eval.json', () => {
  const { queries } = evalSet;

  it('has at least 150 distinct queries of the documented kinds, each with a useful aid (grade ≥ 2)', () => {
    expect(queries.length).toBeGreaterThanOrEqual(150);
    expect(evalSet._meta.count).toBe(queries.length);
    expect(new Set(queries.map((q) => q.id)).size).toBe(queries.length);
    expect(new Set(queries.map((q) => q.query.toLowerCase())).size).toBe(queries.length);
    for (const q of queries) {
      expect(Object.keys(evalSet._meta.kinds), q.id).toContain(q.kind);
      expect(Math.max(...Object.values(q.judgments)), q.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('judges only catalogue aids, with grades 1 to 3, that pass the query’s own filters', () => {
    for (const q of queries) {
      for (const [id, grade] of Object.entries(q.judgments)) {
        const a = aides.get(id);
        expect(a, `${q.id} ${id}`).toBeDefined();
        expect([1, 2, 3], `${q.id} ${id}`).toContain(grade);
        if (q.audience) expect(a!.targeted_audiences, `${q.id} ${id}`).toContain(q.audience);
        if (q.perimeter_insee) {
          expect(epciOf.has(q.perimeter_insee), q.perimeter_insee).toBe(true);
          expect(['FRA', '76', '30', epciOf.get(q.perimeter_insee), q.perimeter_insee], `${q.id} ${id}`).toContain(a!.perimeter.code);
        }
      }
    }
  });

  it('shares no query with the 20 development queries', () => {
    const dev = new Set(devSet.queries.map((q) => q.query.toLowerCase()));
    expect(queries.filter((q) => dev.has(q.query.toLowerCase()))).toEqual([]);
  });

  it('follows the split rule, about one third dev in every kind', async () => {
    const want = (await lib()).expectedSplit(queries);
    expect(queries.filter((q) => q.split !== want.get(q.id)).map((q) => q.id)).toEqual([]);
    for (const kind of Object.keys(evalSet._meta.kinds)) {
      const ofKind = queries.filter((q) => q.kind === kind);
      const dev = ofKind.filter((q) => q.split === 'dev').length;
      expect(dev, kind).toBe(Math.ceil(ofKind.length / 3));
    }
  });

  it('moves a query to the other part when its text changes (the rule depends on the text)', async () => {
    const { expectedSplit } = await lib();
    const base = queries.filter((q) => q.kind === 'sigle');
    const first = base[0]!;
    const parts = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const changed = base.map((q, j) => (j === 0 ? { ...q, query: `${q.query} ${i}` } : q));
      parts.add(expectedSplit(changed).get(first.id)!);
    }
    expect(parts).toEqual(new Set(['dev', 'heldout']));
  });
});

describe('relevance metrics', () => {
  it('nDCG@10 is 1 for the ideal order, lower for a worse one, 0 with no relevant aid; recall counts grades ≥ 1', async () => {
    const { ndcgAt, recallAt } = await lib();
    const j = { a: 3, b: 2, c: 1 };
    expect(ndcgAt(['a', 'b', 'c'], j, 10)).toBeCloseTo(1, 10);
    expect(ndcgAt(['c', 'b', 'a'], j, 10)).toBeLessThan(1);
    expect(ndcgAt(['x', 'y'], j, 10)).toBe(0);
    expect(recallAt(['a', 'x', 'c'], j, 10)).toBeCloseTo(2 / 3, 10);
  });
});
