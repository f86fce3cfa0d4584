/**
 * The in-memory search index against PostgreSQL: the same matches, counts and scores as the ranking
 * computed in SQL with PostgreSQL's own `@@` and `ts_rank`, and the same data as the database after
 * writes made behind the application's back (as another instance or a script would make them).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { moteurAides } from '../server/modules/aides/aides.moteur.js';
import { compiler, interpreter, RANKING, rechercher } from '../server/modules/aides/aides.search.js';
import type { Phrase } from '../server/modules/aides/tsvecteur.js';
import { createTestApp, type TestContext } from './helpers.js';

let t: TestContext;
const get = (url: string) => t.app.inject({ method: 'GET', url });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const tsquery = (phs: Phrase[]) =>
  phs.length
    ? phs
        .map((p) => p.lexemes.map((l, i) => `${i ? `<${p.decalages[i]! - p.decalages[i - 1]!}> ` : ''}'${l.replace(/'/g, "''")}'`).join(' '))
        .map((x) => `(${x})`)
        .join(' | ')
    : null;

/** The ranking of decision 0005, computed by PostgreSQL over the whole published catalogue. */
async function reference(q: string): Promise<{ count: number; scores: Map<string, number> }> {
  const db = t.database.db;
  const interp = await interpreter(db, q, (await moteurAides(db).courant()).version);
  const { concepts } = await compiler(db, interp.concepts.slice(0, 12));
  const poids = `'{${RANKING.poids.join(',')}}'`;
  const parts = concepts.map((c, i) => {
    const tq = tsquery(c.tape);
    const ts = tsquery(c.equivalents);
    const all = [tq, ts].filter(Boolean).join(' | ') || "'∅'";
    const rq = tq ? `ts_rank(${poids}, a.search_vector, ${lit(tq)}::tsquery)` : '0';
    const r = ts ? `greatest(${rq}, ${RANKING.synonyme} * ts_rank(${poids}, a.search_vector, ${lit(ts)}::tsquery))` : rq;
    return `coalesce(a.search_vector @@ ${lit(all)}::tsquery, false) AS m${i}, (${r})::float8 AS r${i}`;
  });
  const res = await rows<Record<string, unknown>>(
    db,
    sql.raw(`SELECT a.slug, a.logement_social, 'social-landlord' = ANY(a.targeted_audiences) AS bailleur, ${parts.join(', ')}
      FROM aides a WHERE a.statut = 'publiee'`),
  );
  const n = res.length;
  const df = concepts.map((_, i) => res.filter((x) => x[`m${i}`]).length);
  const idf = df.map((d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  const total = idf.reduce((a, b) => a + b, 0);
  const scores = new Map<string, number>();
  for (const x of res) {
    if (!concepts.some((_, i) => x[`m${i}`])) continue;
    const matched = idf.reduce((s, w, i) => s + (x[`m${i}`] ? w : 0), 0);
    const weighted = idf.reduce((s, w, i) => {
      const r = Number(x[`r${i}`]);
      return s + w * (r / (r + RANKING.saturation));
    }, 0);
    const prior = 1 + RANKING.priorLogementSocial * (x.logement_social ? 1 : 0) + RANKING.priorBailleur * (x.bailleur ? 1 : 0);
    scores.set(String(x.slug), (weighted / total) * Math.pow(matched / total, RANKING.couverture) * prior);
  }
  return { count: scores.size, scores };
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

describe('the index computes what PostgreSQL computes', () => {
  // Queries written for this test (vocabulary acronyms, phrases, plain and rare words), not the evaluation's.
  const requetes = ['logement social', 'PLAI adapté', 'prêt', 'bail réel solidaire', 'rénovation thermique des logements', 'portage foncier EPF', 'Action cœur de ville', 'pension de famille', 'centre ancien'];
  for (const q of requetes) {
    it(`« ${q} »: same aids, same count, same scores, same order`, async () => {
      const ref = await reference(q);
      const r = await rechercher(t.database.db, { q, filtres: { statuts: ['publiee'] }, offset: 0, limit: 1000 });
      expect(r.count).toBe(ref.count);
      expect(r.results.length).toBe(ref.count);
      expect(new Set(r.results.map((x) => x.slug))).toEqual(new Set(ref.scores.keys()));
      for (const x of r.results) expect(x.score).toBeCloseTo(ref.scores.get(x.slug)!, 5);
      // Descending scores, ties by slug.
      for (let i = 1; i < r.results.length; i++) {
        const a = r.results[i - 1]!;
        const b = r.results[i]!;
        expect(a.score > b.score || (a.score === b.score && a.slug < b.slug)).toBe(true);
      }
    });
  }
});

describe('the index follows the database', () => {
  it('a change written straight to the database is searched at once, applied without rebuilding the index', async () => {
    const db = t.database.db;
    const moteur = moteurAides(t.database.reader);
    await get('/api/v1/aides?q=logement');
    const avant = { ...moteur.stats };
    const [cible] = await rows<{ id: string; slug: string }>(db, sql`SELECT id, slug FROM aides WHERE statut = 'publiee' ORDER BY slug LIMIT 1`);
    // As another instance or a script would: plain SQL, in its own transaction.
    await db.execute(sql`UPDATE aides SET name = 'Aide zygomorphe expérimentale', search_vector = search_vector || setweight(to_tsvector('fr_unaccent', 'zygomorphe'), 'A') WHERE id = ${cible!.id}::uuid`);
    const trouve = (await get('/api/v1/aides?q=zygomorphe')).json();
    expect(trouve.count).toBe(1);
    expect(trouve.results[0].slug).toBe(cible!.slug);
    // The page shows the record as it is now, not as an earlier search read it.
    expect(trouve.results[0].name).toBe('Aide zygomorphe expérimentale');
    expect(moteur.stats.reconstructions).toBe(avant.reconstructions);
    expect(moteur.stats.miseAJour).toBeGreaterThan(avant.miseAJour);

    // Withdrawn, then deleted: gone from the results and the counts.
    await db.execute(sql`UPDATE aides SET statut = 'brouillon' WHERE id = ${cible!.id}::uuid`);
    expect((await get('/api/v1/aides?q=zygomorphe')).json().count).toBe(0);
    const total = (await get('/api/v1/aides?limit=1')).json().count;
    await db.execute(sql`UPDATE aides SET statut = 'publiee' WHERE id = ${cible!.id}::uuid`);
    expect((await get('/api/v1/aides?limit=1')).json().count).toBe(total + 1);
    await db.execute(sql`DELETE FROM aides WHERE id = ${cible!.id}::uuid`);
    expect((await get('/api/v1/aides?q=zygomorphe')).json().count).toBe(0);
    expect((await get('/api/v1/aides?limit=1')).json().count).toBe(total);
  });

  it('views and clicks do not move the index; a renamed financer organisation shows on the next page', async () => {
    const db = t.database.db;
    const [aide] = await rows<{ id: string; slug: string; name: string }>(db, sql`SELECT id, slug, name FROM aides WHERE statut = 'publiee' ORDER BY slug DESC LIMIT 1`);
    const [org] = await rows<{ id: string }>(db, sql`SELECT id FROM organisations WHERE type = 'financeur' ORDER BY nom LIMIT 1`);
    await db.execute(sql`UPDATE aides SET organisation_id = ${org!.id}::uuid WHERE id = ${aide!.id}::uuid`);
    const q = `/api/v1/aides?q=${encodeURIComponent(aide!.name)}&limit=50`;
    const premiere = (await get(q)).json().results.find((x: { slug: string }) => x.slug === aide!.slug);
    expect(premiere.organisation.id).toBe(org!.id);

    const [v0] = await rows<{ version: string }>(db, sql`SELECT version::text FROM aides_index_version`);
    await db.execute(sql`UPDATE aides SET vues = vues + 1, clics = clics + 1 WHERE id = ${aide!.id}::uuid`);
    const [v1] = await rows<{ version: string }>(db, sql`SELECT version::text FROM aides_index_version`);
    expect(v1!.version).toBe(v0!.version);

    await db.execute(sql`UPDATE organisations SET nom = 'Financeur renommé (test)' WHERE id = ${org!.id}::uuid`);
    const apres = (await get(q)).json().results.find((x: { slug: string }) => x.slug === aide!.slug);
    expect(apres.organisation.nom).toBe('Financeur renommé (test)');
  });

  it('an instance whose missed changes were purged rebuilds its index', async () => {
    const db = t.database.db;
    const moteur = moteurAides(t.database.reader);
    await get('/api/v1/aides?q=logement');
    const avant = moteur.stats.reconstructions;
    // Another instance's jobs purged the record of changes this one has not read yet.
    await db.execute(sql`UPDATE aides SET name = name || ' (révisée)' WHERE id = (SELECT id FROM aides WHERE statut = 'publiee' ORDER BY slug LIMIT 1 OFFSET 3)`);
    await db.execute(sql`WITH d AS (DELETE FROM aides_changements RETURNING version) UPDATE aides_index_version SET purge = (SELECT max(version) FROM d)`);
    const r = (await get('/api/v1/aides?limit=100')).json();
    expect(moteur.stats.reconstructions).toBe(avant + 1);
    expect(r.results.some((x: { name: string }) => x.name.endsWith('(révisée)'))).toBe(true);
  });
});
