/**
 * The aids search: French full-text (`fr_unaccent`: unaccent + French stemming, by PostgreSQL), the
 * editable vocabulary (acronyms, synonyms), typo correction against the catalogue's word dictionary
 * (pg_trgm), filters, and a ranking that weighs each query concept by its rarity, rewards aids that
 * cover the whole query, and favours aids for social-housing producers. The query is understood with
 * PostgreSQL (cached); it is evaluated on the instance's in-memory index (aides.index.ts), kept at
 * the database's version by aides.moteur.ts.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db, type Executor } from '../../db/client.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import { RANKING, type ConceptIndex, type FiltresIndex, type Trouve } from './aides.index.js';
import { moteurAides } from './aides.moteur.js';
import { concepts, MOTS_VIDES, normaliser, tokens, type Concept, type Groupe, Vocabulaire } from './aides.texte.js';
import { lireTsqueryPhrases } from './tsvecteur.js';

export { RANKING };

export type Filtres = FiltresIndex;

export interface Recherche {
  q?: string;
  filtres: Filtres;
  offset: number;
  limit: number;
}

export type Resultat = Trouve;

export interface Reponse {
  /** Number of matching aids (exact: every matching aid is evaluated). */
  count: number;
  results: Resultat[];
  /** The query's lexemes (as in the documents' vectors), to highlight the snippets. */
  lexemes: string[];
  /** The query as understood: concepts, corrections. */
  interpretation: { concepts: { source: string; alternatives: string[] }[]; corrections: { de: string; vers: string }[] };
}

const vocabCache = new TtlCache<Vocabulaire>(30_000, 4);
const motsCache = new TtlCache<string | null>(60_000, 20_000);

export function invalidateVocabulaire() {
  vocabCache.clear();
  motsCache.clear();
}

export function loadVocabulaire(db: Executor): Promise<Vocabulaire> {
  return vocabCache.get('v', async () => {
    const g = await rows<Groupe>(db, sql`SELECT id::int AS id, termes FROM aides_vocabulaire ORDER BY id`);
    return new Vocabulaire(g);
  });
}

/**
 * A word unknown to the catalogue and to the vocabulary is replaced by its closest known word. The
 * answer is kept for the catalogue's version (`aides_index_version`): a word an import or an edit
 * brings, on whichever instance, is known to every instance's next search.
 */
async function corriger(db: Executor, mot: string, voc: Vocabulaire, version: number): Promise<string | null> {
  if (mot.length < 4 || /^[0-9]+$/.test(mot) || voc.mots.has(mot) || MOTS_VIDES.has(mot)) return null;
  return motsCache.get(`${version}:${mot}`, async () => {
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

export async function interpreter(db: Executor, q: string, version: number): Promise<{ concepts: Concept[]; corrections: { de: string; vers: string }[] }> {
  const voc = await loadVocabulaire(db);
  const mots = tokens(q).slice(0, 20);
  const corrections: { de: string; vers: string }[] = [];
  const corriges: string[] = [];
  for (const m of mots) {
    const c = await corriger(db, m, voc, version);
    if (c && c !== m) corrections.push({ de: m, vers: c });
    corriges.push(c ?? m);
  }
  return { concepts: concepts(corriges, voc), corrections };
}

/** A concept's tsqueries, built by PostgreSQL (French stemming, unaccent) and read back as phrases. */
interface Compile {
  concepts: ConceptIndex[];
  /** Every lexeme of the query, for the snippets. */
  lexemes: string[];
}

const tsqueryCache = new TtlCache<Compile>(300_000, 5_000);

/** Per concept: the expression typed and its vocabulary equivalents, each searched as a phrase. */
export function compiler(db: Executor, cs: Concept[]): Promise<Compile> {
  return tsqueryCache.get(JSON.stringify(cs.map((c) => c.alternatives)), async () => {
    const phrase = (a: string) => sql`phraseto_tsquery('fr_unaccent', ${a})`;
    const parts = cs.flatMap((c, i) => [
      sql`${phrase(c.alternatives[0]!)}::text AS ${sql.raw(`q${i}`)}`,
      c.alternatives.length > 1 ? sql`(${sql.join(c.alternatives.slice(1).map(phrase), sql` || `)})::text AS ${sql.raw(`s${i}`)}` : sql`NULL::text AS ${sql.raw(`s${i}`)}`,
    ]);
    const [row] = await rows<Record<string, string | null>>(db, sql`SELECT ${sql.join(parts, sql`, `)}`);
    // An expression made only of characters the parser drops gives an empty query: it matches nothing.
    const lire = (t: string | null | undefined) => (t?.trim() ? lireTsqueryPhrases(t) : []);
    const concepts = cs.map((_, i) => ({ tape: lire(row![`q${i}`]), equivalents: lire(row![`s${i}`]) }));
    const lexemes = [...new Set(concepts.flatMap((c) => [...c.tape, ...c.equivalents].flatMap((p) => p.lexemes)))];
    return { concepts, lexemes };
  });
}

/**
 * Runs a search on this instance's index of the catalogue (kept at the database's current version,
 * see aides.moteur.ts); results are ids and scores (the caller loads the records it shows), with the
 * query's lexemes for the snippets.
 */
export async function rechercher(db: Db, r: Recherche): Promise<Reponse> {
  // The index first: its version keys the typo corrections (words of the committed catalogue).
  const index = await moteurAides(db).courant();
  const interp = r.q?.trim() ? await interpreter(db, r.q, index.version) : { concepts: [], corrections: [] };
  const cs = interp.concepts.slice(0, 12);
  const interpretation = { concepts: cs.map((c) => ({ source: c.source, alternatives: c.alternatives })), corrections: interp.corrections };
  if (!cs.length) {
    const l = index.lister(r.filtres, r.offset, r.limit);
    return { count: l.count, results: l.results, lexemes: [], interpretation };
  }
  const c = await compiler(db, cs);
  const res = index.rechercher(c.concepts, r.filtres, r.offset, r.limit);
  return { count: res.count, results: res.results, lexemes: c.lexemes, interpretation };
}

/** Normalised query text for the search log and the statistics. */
export const texteJournal = (q: string | undefined) => (q ? normaliser(q).slice(0, 200) || null : null);
