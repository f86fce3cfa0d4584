/**
 * The aids search engine, in PostgreSQL (PGlite and server alike): French full-text (`fr_unaccent`:
 * unaccent + French stemming), the editable vocabulary (acronyms, synonyms), typo correction against
 * the catalogue's word dictionary (pg_trgm), filters, and a ranking that weighs each query concept by
 * its rarity, rewards aids that cover the whole query, and favours aids for social-housing producers.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, textArray, type Executor } from '../../db/client.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import { concepts, MOTS_VIDES, normaliser, surligner, tokens, type Concept, type Groupe, Vocabulaire } from './aides.texte.js';

export interface Filtres {
  audiences?: string[];
  /** Perimeter codes an aid may have to be kept (FRA, region, département, EPCI, commune). */
  perimetres?: string[];
  aidTypes?: string[];
  categories?: string[];
  operationTypes?: string[];
  produits?: string[];
  /** Keep aids whose deadline is on or after this date (or that have none). */
  echeanceApres?: string;
  /** Keep aids published after this instant (alerts: what is new since the last digest). */
  publieesApres?: string;
  /** Statuses searched; the public search sees only published aids. */
  statuts?: string[];
}

export interface Recherche {
  q?: string;
  filtres: Filtres;
  offset: number;
  limit: number;
}

export interface Resultat {
  id: string;
  slug: string;
  score: number;
  extrait: string | null;
}

export interface Reponse {
  count: number;
  results: Resultat[];
  /** The query as understood: concepts, corrections. */
  interpretation: { concepts: { source: string; alternatives: string[] }[]; corrections: { de: string; vers: string }[] };
}

/** Ranking constants (see docs/decisions/0005-aides-catalogue-et-recherche.md). */
export const RANKING = {
  /** Field weights for ts_rank: D (instructors, types), C (text), B (classification), A (name). */
  poids: '{0.1, 0.25, 0.5, 1.0}',
  /** ts_rank saturation: r / (r + k) (a name match ranks about 0.6, one mention in the text 0.15). */
  saturation: 0.3,
  /** A vocabulary equivalent counts this much of the expression actually typed. */
  synonyme: 0.75,
  /** Exponent of the coverage factor (share of the query's weight that the aid matches). */
  couverture: 1.5,
  /** Prior for aids with structured social-housing eligibility, and for aids open to social landlords. */
  priorLogementSocial: 0.35,
  priorBailleur: 0.15,
  /** How many aids, best by matched concepts × prior, are ranked in full. */
  reclassement: 200,
  /** Minimal trigram similarity to replace an unknown word. */
  similariteMin: 0.4,
};

const vocabCache = new TtlCache<Vocabulaire>(30_000, 4);
const motsCache = new TtlCache<string | null>(60_000, 20_000);

export function invalidateVocabulaire() {
  vocabCache.clear();
  motsCache.clear();
  nCache.clear();
}

export function loadVocabulaire(db: Executor): Promise<Vocabulaire> {
  return vocabCache.get('v', async () => {
    const g = await rows<Groupe>(db, sql`SELECT id::int AS id, termes FROM aides_vocabulaire ORDER BY id`);
    return new Vocabulaire(g);
  });
}

/** A word unknown to the catalogue and to the vocabulary is replaced by its closest known word. */
async function corriger(db: Executor, mot: string, voc: Vocabulaire): Promise<string | null> {
  if (mot.length < 4 || /^[0-9]+$/.test(mot) || voc.mots.has(mot) || MOTS_VIDES.has(mot)) return null;
  return motsCache.get(mot, async () => {
    const r = await rows<{ exact: boolean; mot: string | null; sim: number | null }>(
      db,
      sql`SELECT EXISTS (SELECT 1 FROM aides_termes WHERE mot = ${mot}) AS exact,
          c.mot, c.sim FROM (SELECT 1) one
          LEFT JOIN LATERAL (SELECT mot, similarity(mot, ${mot}) AS sim FROM aides_termes WHERE mot % ${mot}
                             ORDER BY similarity(mot, ${mot}) DESC, nb_aides DESC LIMIT 1) c ON true`,
    );
    const row = r[0];
    if (!row || row.exact || !row.mot || (row.sim ?? 0) < RANKING.similariteMin) {
      // Not in the catalogue: may still be a vocabulary word with a typo.
      if (row?.exact) return null;
      let best: { m: string; s: number } | null = null;
      for (const v of voc.mots) {
        if (v.length < 4) continue;
        const s = trigramSimilarity(mot, v);
        if (s >= RANKING.similariteMin && (!best || s > best.s)) best = { m: v, s };
      }
      return best?.m ?? null;
    }
    return row.mot;
  });
}

/** pg_trgm's similarity, for the vocabulary's own words (a few hundred, kept in memory). */
export function trigramSimilarity(a: string, b: string): number {
  const grams = (s: string) => {
    const out = new Set<string>();
    for (const w of s.split(/[^a-z0-9]+/).filter(Boolean)) {
      const p = `  ${w} `;
      for (let i = 0; i + 3 <= p.length; i++) out.add(p.slice(i, i + 3));
    }
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let common = 0;
  for (const g of ga) if (gb.has(g)) common++;
  return common / (ga.size + gb.size - common || 1);
}

export async function interpreter(db: Executor, q: string): Promise<{ concepts: Concept[]; corrections: { de: string; vers: string }[] }> {
  const voc = await loadVocabulaire(db);
  const mots = tokens(q).slice(0, 20);
  const corrections: { de: string; vers: string }[] = [];
  const corriges: string[] = [];
  for (const m of mots) {
    const c = await corriger(db, m, voc);
    if (c && c !== m) corrections.push({ de: m, vers: c });
    corriges.push(c ?? m);
  }
  return { concepts: concepts(corriges, voc), corrections };
}

function conditions(f: Filtres): SQL {
  const parts: SQL[] = [sql`a.statut = ANY(${textArray(f.statuts?.length ? f.statuts : ['publiee'])})`];
  if (f.audiences?.length) parts.push(sql`a.targeted_audiences && ${textArray(f.audiences)}`);
  if (f.perimetres?.length) parts.push(sql`a.perimeter_code = ANY(${textArray(f.perimetres)})`);
  if (f.aidTypes?.length) parts.push(sql`a.aid_types && ${textArray(f.aidTypes)}`);
  if (f.operationTypes?.length) parts.push(sql`a.operation_types && ${textArray(f.operationTypes)}`);
  if (f.produits?.length) parts.push(sql`a.produits && ${textArray(f.produits)}`);
  if (f.categories?.length) {
    parts.push(sql`(${sql.join(f.categories.map((c) => sql`unaccent(lower(array_to_string(a.categories, '|'))) LIKE ${`%${normaliser(c)}%`}`), sql` OR `)})`);
  }
  if (f.publieesApres) parts.push(sql`a.publiee_le > ${f.publieesApres}::timestamptz`);
  if (f.echeanceApres) parts.push(sql`(a.submission_deadline IS NULL OR a.submission_deadline >= ${f.echeanceApres}::date)`);
  return sql.join(parts, sql` AND `);
}

const prior = sql`(1 + ${RANKING.priorLogementSocial}::float8 * (a.logement_social)::int + ${RANKING.priorBailleur}::float8 * ('social-landlord' = ANY(a.targeted_audiences))::int)`;

const tsqueryCache = new TtlCache<{ q: string[]; s: (string | null)[]; all: string[]; qall: string }>(300_000, 5_000);
const nCache = new TtlCache<number>(60_000, 2);

/** The tsqueries of a query's concepts, built by PostgreSQL (text form, to be sent back as constants). */
function compiler(db: Executor, cs: Concept[]) {
  return tsqueryCache.get(JSON.stringify(cs.map((c) => c.alternatives)), async () => {
    const phrase = (a: string) => sql`phraseto_tsquery('fr_unaccent', ${a})`;
    const parts = cs.flatMap((c, i) => [
      sql`${phrase(c.alternatives[0]!)}::text AS ${sql.raw(`q${i}`)}`,
      c.alternatives.length > 1 ? sql`(${sql.join(c.alternatives.slice(1).map(phrase), sql` || `)})::text AS ${sql.raw(`s${i}`)}` : sql`NULL::text AS ${sql.raw(`s${i}`)}`,
    ]);
    const [row] = await rows<Record<string, string | null>>(db, sql`SELECT ${sql.join(parts, sql`, `)}`);
    // An expression made only of characters the parser drops gives an empty query: it matches nothing.
    const orNothing = (t: string | null | undefined) => (t && t.trim() ? t : null);
    const q = cs.map((_, i) => orNothing(row![`q${i}`]) ?? "'∅'");
    const s = cs.map((_, i) => orNothing(row![`s${i}`]));
    const all = cs.map((_, i) => (s[i] ? `(${q[i]}) | (${s[i]})` : q[i]!));
    return { q, s, all, qall: all.map((x) => `(${x})`).join(' | ') };
  });
}

/** Number of published aids (for the concepts' rarity), refreshed every minute. */
function totalPubliees(db: Executor): Promise<number> {
  return nCache.get('n', async () => {
    const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM aides WHERE statut = 'publiee'`);
    return Math.max(r?.n ?? 1, 1);
  });
}

/** Runs a search; results are ids and scores (the caller loads the records it shows). */
export async function rechercher(db: Executor, r: Recherche): Promise<Reponse> {
  const interp = r.q?.trim() ? await interpreter(db, r.q) : { concepts: [], corrections: [] };
  const cs = interp.concepts.slice(0, 12);
  const where = conditions(r.filtres);
  const interpretation = { concepts: cs.map((c) => ({ source: c.source, alternatives: c.alternatives })), corrections: interp.corrections };

  if (!cs.length) {
    const list = await rows<{ id: string; slug: string; total: number }>(
      db,
      sql`SELECT a.id, a.slug, count(*) OVER ()::int AS total FROM aides a WHERE ${where}
          ORDER BY ${prior} DESC, a.name, a.id LIMIT ${r.limit} OFFSET ${r.offset}`,
    );
    const count = list[0]?.total ?? (r.offset > 0 ? await countOnly(db, where) : 0);
    return { count, results: list.map((x) => ({ id: x.id, slug: x.slug, score: 0, extrait: null })), interpretation };
  }

  // Per concept: the expression typed (q) and its vocabulary equivalents (s), each searched as a
  // phrase. The tsqueries are built once (one small query, cached) and sent as constants, so that
  // the GIN index is used and nothing is re-parsed per row.
  const c = await compiler(db, cs);
  // A scalar subquery: evaluated once per execution even in a generic plan (a bare cast of a
  // parameter would be re-parsed for every row).
  const tq = (t: string) => sql`(SELECT ${t}::tsquery)`;
  const n = cs.length;
  const idx = [...Array(n).keys()];
  const k = RANKING.saturation;
  const tf = (i: number) => sql.raw(`(r${i} / (r${i} + ${k}))`);
  const idf = (i: number) => sql.raw(`ln(1 + (df.n - df.d${i} + 0.5) / (df.d${i} + 0.5))`);
  const total = sql.join(idx.map((i) => idf(i)), sql` + `);
  const matched = sql.join(idx.map((i) => sql`${idf(i)} * (m${sql.raw(String(i))})::int`), sql` + `);
  const weighted = sql.join(idx.map((i) => sql`${idf(i)} * ${tf(i)}`), sql` + `);
  const poids = sql.raw(`'${RANKING.poids}'`);
  const rank = (i: number) =>
    c.s[i]
      ? sql`greatest(ts_rank(${poids}, a.search_vector, ${tq(c.q[i]!)}), ${RANKING.synonyme}::float4 * ts_rank(${poids}, a.search_vector, ${tq(c.s[i]!)}))`
      : sql`ts_rank(${poids}, a.search_vector, ${tq(c.q[i]!)})`;
  const nPubliees = await totalPubliees(db);

  // Two stages: every matching aid gets the cheap part of the score (which concepts it matches,
  // weighted by rarity, times the prior); only the best `RANKING.reclassement` are ranked in full
  // (ts_rank per concept), which keeps the cost flat as the catalogue grows.
  const reclasses = Math.max(RANKING.reclassement, r.offset + r.limit);
  const res = await rows<{ id: string; slug: string; score: number; total: number; extrait: string | null }>(
    db,
    sql`WITH cand AS (
        SELECT a.id, a.slug, ${prior} AS prior,
          ${sql.join(idx.map((i) => sql`(a.search_vector @@ ${tq(c.all[i]!)}) AS ${sql.raw(`m${i}`)}`), sql`, `)}
        FROM aides a WHERE ${where} AND a.search_vector @@ ${tq(c.qall)}
      ),
      df AS (SELECT ${nPubliees}::float8 AS n,
        ${sql.join(idx.map((i) => sql.raw(`count(*) FILTER (WHERE m${i})::float8 AS d${i}`)), sql`, `)}, count(*)::int AS total FROM cand),
      pre AS (
        SELECT cand.*, df.total, power((${matched}) / nullif(${total}, 0), ${RANKING.couverture}::float8) * cand.prior AS pre
        FROM cand, df ORDER BY pre DESC NULLS LAST, cand.slug LIMIT ${reclasses}
      ),
      ranked AS (SELECT pre.*, ${sql.join(idx.map((i) => sql`${rank(i)} AS ${sql.raw(`r${i}`)}`), sql`, `)} FROM pre JOIN aides a ON a.id = pre.id),
      scored AS (SELECT ranked.id, ranked.slug, ranked.total, ((${weighted}) / nullif(${total}, 0)) * ranked.pre AS score FROM ranked, df),
      page AS (SELECT * FROM scored ORDER BY score DESC NULLS LAST, slug LIMIT ${r.limit} OFFSET ${r.offset})
      SELECT page.id, page.slug, page.score, page.total,
        ts_headline('fr_unaccent', a.description || ' ' || a.eligibility, ${tq(c.qall)},
          'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "') AS extrait
      FROM page JOIN aides a ON a.id = page.id ORDER BY page.score DESC NULLS LAST, page.slug`,
  );
  const count = res[0]?.total ?? (r.offset > 0 ? await countMatching(db, where, c.qall) : 0);
  return {
    count,
    results: res.map((x) => ({ id: x.id, slug: x.slug, score: Number(x.score), extrait: x.extrait ? surligner(x.extrait) : null })),
    interpretation,
  };
}

async function countOnly(db: Executor, where: SQL): Promise<number> {
  const r = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM aides a WHERE ${where}`);
  return r[0]?.n ?? 0;
}

async function countMatching(db: Executor, where: SQL, qall: string): Promise<number> {
  const r = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM aides a WHERE ${where} AND a.search_vector @@ ${qall}::tsquery`);
  return r[0]?.n ?? 0;
}

/** Normalised query text for the search log and the statistics. */
export const texteJournal = (q: string | undefined) => (q ? normaliser(q).slice(0, 200) || null : null);
