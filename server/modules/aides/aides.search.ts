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
  /**
   * Number of results the engine can page through: every matching aid when `countExact`; otherwise
   * (a common concept was cut to its share of candidates) the candidates, and more aids match.
   */
  count: number;
  countExact: boolean;
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
  reclassement: 100,
  /** Candidate budget of the first stage, shared among the query's concepts (rarest first). */
  candidats: 600,
  /** Minimal trigram similarity to replace an unknown word. */
  similariteMin: 0.4,
};

const vocabCache = new TtlCache<Vocabulaire>(30_000, 4);
const motsCache = new TtlCache<string | null>(60_000, 20_000);

export function invalidateVocabulaire() {
  vocabCache.clear();
  motsCache.clear();
  nCache.clear();
  dfCache.clear();
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

const tsqueryCache = new TtlCache<{ q: string[]; s: (string | null)[]; all: string[]; qall: string; qand: string; nom: string[]; lexemes: string[][][] }>(300_000, 5_000);
const nCache = new TtlCache<number>(60_000, 2);
const dfCache = new TtlCache<Map<string, number>>(60_000, 5_000);

/** The tsqueries of a query's concepts, built by PostgreSQL (text form, to be sent back as constants). */
function compiler(db: Executor, cs: Concept[]) {
  return tsqueryCache.get(JSON.stringify(cs.map((c) => c.alternatives)), async () => {
    const phrase = (a: string) => sql`phraseto_tsquery('fr_unaccent', ${a})`;
    const parts = cs.flatMap((c, i) => [
      sql`${phrase(c.alternatives[0]!)}::text AS ${sql.raw(`q${i}`)}`,
      c.alternatives.length > 1 ? sql`(${sql.join(c.alternatives.slice(1).map(phrase), sql` || `)})::text AS ${sql.raw(`s${i}`)}` : sql`NULL::text AS ${sql.raw(`s${i}`)}`,
      // The lexemes of each alternative, for the concept's document frequency.
      sql`json_build_array(${sql.join(c.alternatives.map((a) => sql`to_json(tsvector_to_array(to_tsvector('fr_unaccent', ${a})))`), sql`, `)}) AS ${sql.raw(`l${i}`)}`,
    ]);
    const [row] = await rows<Record<string, unknown>>(db, sql`SELECT ${sql.join(parts, sql`, `)}`);
    // An expression made only of characters the parser drops gives an empty query: it matches nothing.
    const orNothing = (t: unknown) => (typeof t === 'string' && t.trim() ? t : null);
    const q = cs.map((_, i) => orNothing(row![`q${i}`]) ?? "'∅'");
    const s = cs.map((_, i) => orNothing(row![`s${i}`]));
    const all = cs.map((_, i) => (s[i] ? `(${q[i]}) | (${s[i]})` : q[i]!));
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as string[][];
    const lexemes = cs.map((_, i) => json(row![`l${i}`]));
    // The same concept restricted to the name (weight A): each lexeme gets `:A`.
    const nom = all.map((x) => x.replace(/('(?:[^']|'')*')(?::[A-D*]+)?/g, '$1:A'));
    return { q, s, all, qall: all.map((x) => `(${x})`).join(' | '), qand: all.map((x) => `(${x})`).join(' & '), nom, lexemes };
  });
}

/** Number of published aids (for the concepts' rarity), refreshed every minute. */
function totalPubliees(db: Executor): Promise<number> {
  return nCache.get('n', async () => {
    const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM aides WHERE statut = 'publiee'`);
    return Math.max(r?.n ?? 1, 1);
  });
}

/**
 * Document frequency of each concept over the published catalogue, from `aides_lexemes`: an
 * alternative (a phrase) matches at most as many aids as its rarest lexeme, a concept at most the
 * sum of its alternatives. An upper bound, so a concept estimated at d aids matches at most d.
 */
async function frequences(db: Executor, lexemes: string[][][], n: number): Promise<number[]> {
  const tous = [...new Set(lexemes.flat(2))].sort();
  const nb = await dfCache.get(tous.join(' '), async () => {
    const r = tous.length ? await rows<{ lexeme: string; n: number }>(db, sql`SELECT lexeme, nb_aides AS n FROM aides_lexemes WHERE lexeme = ANY(${textArray(tous)})`) : [];
    return new Map(r.map((x) => [x.lexeme, Number(x.n)]));
  });
  return lexemes.map((alts) => Math.min(n, alts.reduce((sum, lx) => sum + (lx.length ? Math.min(...lx.map((l) => nb.get(l) ?? 0)) : 0), 0)));
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
    return { count, countExact: true, results: list.map((x) => ({ id: x.id, slug: x.slug, score: 0, extrait: null })), interpretation };
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
  const nPubliees = await totalPubliees(db);
  const df = await frequences(db, c.lexemes, nPubliees);
  const tf = (i: number) => sql.raw(`(r${i} / (r${i} + ${k}))`);
  const poids = sql.raw(`'${RANKING.poids}'`);
  const rank = (i: number) =>
    c.s[i]
      ? sql`greatest(ts_rank(${poids}, a.search_vector, ${tq(c.q[i]!)}), ${RANKING.synonyme}::float4 * ts_rank(${poids}, a.search_vector, ${tq(c.s[i]!)}))`
      : sql`ts_rank(${poids}, a.search_vector, ${tq(c.q[i]!)})`;

  // Stage 1, bounded candidates: each concept brings its matches from the GIN index, rarest concepts
  // first, within a budget of `RANKING.candidats` aids shared among the concepts; a concept whose
  // (upper-bound) frequency fits its share is complete, a common one brings only its share (in
  // storage order). Aids that match every concept are added as well (same share). The cost no longer
  // grows with the number of aids a common concept matches (see decision 0005, "Speed").
  const budget = Math.max(RANKING.candidats, r.offset + r.limit);
  const ordre = [...idx].sort((x, y) => df[x]! - df[y]! || x - y);
  const parts: number[] = Array(n).fill(0);
  const complet: boolean[] = Array(n).fill(false);
  let reste = budget;
  const tousComplets = () => complet.every(Boolean);
  ordre.forEach((i, j) => {
    const share = Math.max(1, Math.floor(reste / (n - j + 1)));
    complet[i] = df[i]! <= share;
    parts[i] = complet[i] ? Math.max(df[i]!, 1) : share;
    reste -= complet[i] ? df[i]! : share;
  });
  const partEt = Math.max(1, Math.floor(budget / (n + 1)));
  // Without filters, a common concept (estimated in a quarter of the catalogue or more) is read by a
  // sequential scan that stops at its share: quicker than building the GIN bitmap of all its matches.
  // With filters the GIN bitmap (combined with the perimeter index) is kept: a sequential scan would
  // read many rows per kept one, and its cost estimate would switch on the JIT compiler.
  const filtre = Object.entries(r.filtres).some(([key, v]) => key !== 'statuts' && (Array.isArray(v) ? v.length > 0 : v != null));
  const commun = (i: number) => !filtre && !complet[i] && df[i]! * 4 >= nPubliees;
  const test = (t: string, seq: boolean) => (seq ? sql`(a.search_vector @@ ${tq(t)}) IS TRUE` : sql`a.search_vector @@ ${tq(t)}`);
  const sources = idx.map((i) => sql`${sql.raw(`c${i}`)} AS (SELECT a.id FROM aides a WHERE ${where} AND ${test(c.all[i]!, commun(i))} LIMIT ${parts[i]})`);
  // When no concept is complete, the aids that match them all are fetched as well (any complete
  // concept's list already holds them).
  const et = n >= 2 && !complet.some(Boolean);
  const union = [...idx.map((i) => sql.raw(`SELECT id FROM c${i}`)), ...(et ? [sql.raw('SELECT id FROM cet')] : [])];
  if (et) sources.push(sql`cet AS (SELECT a.id FROM aides a WHERE ${where} AND ${test(c.qand, idx.every(commun))} LIMIT ${partEt})`);
  // Among candidates equal on the first-stage score, those naming the query's concepts in their
  // name (weight A) are ranked in full first (a tie-breaker only: the score is unchanged).
  const idfEstime = df.map((d) => Math.log(1 + (nPubliees - d + 0.5) / (d + 0.5)));
  const nom = sql.join(idx.map((i) => sql`${idfEstime[i]!}::float8 * (a.search_vector @@ ${tq(c.nom[i]!)})::int`), sql` + `);
  const match = (i: number) => (complet[i] ? sql.raw(`(a.id IN (SELECT id FROM c${i}))`) : sql`(a.search_vector @@ ${tq(c.all[i]!)})`);
  // A concept's rarity: the exact number of its matches within the filters when they were all
  // fetched, the catalogue-wide estimate otherwise (a common concept: its weight is small either way).
  const idf = (i: number) => sql.raw(`ln(1 + (df.n - df.d${i} + 0.5) / (df.d${i} + 0.5))`);
  const total = sql.join(idx.map((i) => idf(i)), sql` + `);
  const matched = sql.join(idx.map((i) => sql`${idf(i)} * (m${sql.raw(String(i))})::int`), sql` + `);
  const weighted = sql.join(idx.map((i) => sql`${idf(i)} * ${tf(i)}`), sql` + `);
  const dfs = sql.join(
    idx.map((i) => (complet[i] ? sql`(SELECT count(*) FROM ${sql.raw(`c${i}`)})::float8 AS ${sql.raw(`d${i}`)}` : sql`${df[i]}::float8 AS ${sql.raw(`d${i}`)}`)),
    sql`, `,
  );

  // The count: the candidates. When every concept was complete they are all the matches (exact);
  // otherwise more aids match than the engine ranks, and `count` is the number it can page through.
  const compte = sql`(SELECT count(*)::int FROM cand)`;
  const reclasses = Math.max(RANKING.reclassement, r.offset + r.limit);
  const res = await rows<{ id: string; slug: string; score: number; total: number; extrait: string | null }>(
    db,
    sql`WITH ${sql.join(sources, sql`, `)},
      cand AS (
        SELECT a.id, a.slug, ${prior} AS prior, ${nom} AS nom, ${sql.join(idx.map((i) => sql`${match(i)} AS ${sql.raw(`m${i}`)}`), sql`, `)}
        FROM aides a WHERE a.id IN (${sql.join(union, sql` UNION `)})
      ),
      df AS (SELECT ${nPubliees}::float8 AS n, ${dfs}, ${compte} AS total),
      pre AS (
        SELECT cand.*, df.total, power((${matched}) / nullif(${total}, 0), ${RANKING.couverture}::float8) * cand.prior AS pre
        FROM cand, df ORDER BY pre DESC NULLS LAST, cand.nom DESC, cand.slug COLLATE "C" LIMIT ${reclasses}
      ),
      ranked AS (SELECT pre.*, ${sql.join(idx.map((i) => sql`${rank(i)} AS ${sql.raw(`r${i}`)}`), sql`, `)} FROM pre JOIN aides a ON a.id = pre.id),
      scored AS (SELECT ranked.id, ranked.slug, ranked.total, ((${weighted}) / nullif(${total}, 0)) * ranked.pre AS score FROM ranked, df),
      page AS (SELECT * FROM scored ORDER BY score DESC NULLS LAST, slug COLLATE "C" LIMIT ${r.limit} OFFSET ${r.offset})
      SELECT page.id, page.slug, page.score, page.total,
        ts_headline('fr_unaccent', a.description || ' ' || a.eligibility, ${tq(c.qall)},
          'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "') AS extrait
      FROM page JOIN aides a ON a.id = page.id ORDER BY page.score DESC NULLS LAST, page.slug COLLATE "C"`,
  );
  // Past the last page: the count of the first page.
  const count = res[0]?.total ?? (r.offset > 0 ? (await rechercher(db, { ...r, offset: 0, limit: 1 })).count : 0);
  const countExact = tousComplets();
  return {
    count,
    countExact,
    results: res.map((x) => ({ id: x.id, slug: x.slug, score: Number(x.score), extrait: x.extrait ? surligner(x.extrait) : null })),
    interpretation,
  };
}

async function countOnly(db: Executor, where: SQL): Promise<number> {
  const r = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM aides a WHERE ${where}`);
  return r[0]?.n ?? 0;
}

/** Normalised query text for the search log and the statistics. */
export const texteJournal = (q: string | undefined) => (q ? normaliser(q).slice(0, 200) || null : null);
