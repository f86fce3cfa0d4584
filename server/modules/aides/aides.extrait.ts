/**
 * Result snippets with the query's words highlighted, computed in the application (PostgreSQL's
 * ts_headline costs about 0.8 ms per aid, more than the whole search). A word of the text is
 * highlighted when its lexeme (PostgreSQL's `fr_unaccent` stemming, asked once per word and
 * remembered) is one of the query's. Up to two fragments of at most 35 words, around the places
 * where the most distinct query words occur, joined by " … " (as ts_headline with MaxFragments=2,
 * MaxWords=35, MinWords=15). Markers \u0001…\u0002 around highlighted words, as `surligner` expects.
 */
import { sql } from 'drizzle-orm';
import { rows, textArray, type Executor } from '../../db/client.js';
import { MOTS_VIDES, normaliser } from './aides.texte.js';

const MAX_MOTS = 35;
const MIN_MOTS = 15;
const FRAGMENTS = 2;

/** Normalised word → its lexeme ('' when the parser gives none); bounded, shared by the searches. */
const lexemes = new Map<string, string>();
const MAX_LEXEMES = 200_000;

interface Mot {
  debut: number;
  fin: number;
  forme: string;
  /** Its lexeme, once known. */
  lexeme?: string;
}

/** The words of each text shown (keyed by the record object, so they live as long as it is kept). */
const decoupages = new WeakMap<object, Mot[]>();

/** Word as written → normalised form (the normalisation is the costly part of a snippet). */
const formes = new Map<string, string>();

function forme(mot: string): string {
  let f = formes.get(mot);
  if (f === undefined) {
    if (formes.size >= MAX_LEXEMES) formes.clear();
    formes.set(mot, (f = normaliser(mot)));
  }
  return f;
}

function mots(texte: string): Mot[] {
  const out: Mot[] = [];
  for (const m of texte.matchAll(/[\p{L}\p{N}]+/gu)) out.push({ debut: m.index, fin: m.index + m[0].length, forme: forme(m[0]) });
  return out;
}

/** Lexemes of words not met yet, in one statement. */
async function apprendre(db: Executor, formes: Iterable<string>): Promise<void> {
  const inconnues = [...new Set(formes)].filter((f) => f && !lexemes.has(f));
  if (!inconnues.length) return;
  const r = await rows<{ w: string; v: string }>(db, sql`SELECT w, to_tsvector('fr_unaccent', w)::text AS v FROM unnest(${textArray(inconnues)}) AS w`);
  if (lexemes.size + inconnues.length > MAX_LEXEMES) lexemes.clear();
  for (const x of r) lexemes.set(x.w, /^'((?:[^']|'')*)'/.exec(x.v)?.[1]?.replace(/''/g, "'") ?? '');
}

function fragment(texte: string, ms: Mot[], hit: boolean[], debut: number, fin: number): string {
  let out = '';
  let cur = ms[debut]!.debut;
  for (let i = debut; i < fin; i++) {
    const m = ms[i]!;
    out += texte.slice(cur, m.debut);
    out += hit[i] ? `\u0001${texte.slice(m.debut, m.fin)}\u0002` : texte.slice(m.debut, m.fin);
    cur = m.fin;
  }
  return out;
}

function extraire(texte: string, ms: Mot[], requete: Set<string>): string | null {
  if (!ms.length) return null;
  const lex = ms.map((m) => (m.lexeme ??= lexemes.get(m.forme)) ?? '');
  const hit = ms.map((m, i) => requete.has(lex[i]!) && !MOTS_VIDES.has(m.forme));
  const places = hit.flatMap((h, i) => (h ? [i] : []));
  if (!places.length) return fragment(texte, ms, hit, 0, Math.min(MIN_MOTS, ms.length));
  // Candidate windows start a few words before a highlighted word; the best covers the most distinct
  // query lexemes, then the most highlighted words, then comes first.
  const fenetre = (debut: number) => {
    const fin = Math.min(ms.length, debut + MAX_MOTS);
    const vus = new Set<string>();
    let n = 0;
    for (let i = debut; i < fin; i++) {
      if (hit[i]) {
        vus.add(lex[i]!);
        n++;
      }
    }
    return { debut, fin, vus, n };
  };
  const fenetres = [...new Set(places.map((p) => Math.max(0, p - 4)))].map(fenetre);
  const choisies: ReturnType<typeof fenetre>[] = [];
  while (choisies.length < FRAGMENTS) {
    const deja = new Set(choisies.flatMap((c) => [...c.vus]));
    let best: ReturnType<typeof fenetre> | null = null;
    let bestScore = 0;
    for (const f of fenetres) {
      if (choisies.some((c) => f.debut < c.fin && c.debut < f.fin)) continue;
      const nouveaux = [...f.vus].filter((l) => !deja.has(l)).length;
      const score = choisies.length === 0 ? f.vus.size * 1000 + f.n : nouveaux * 1000 + f.n;
      if (score > bestScore && (choisies.length === 0 || nouveaux > 0)) {
        best = f;
        bestScore = score;
      }
    }
    if (!best) break;
    choisies.push(best);
  }
  return choisies
    .sort((a, b) => a.debut - b.debut)
    .map((c) => fragment(texte, ms, hit, c.debut, c.fin))
    .join(' … ');
}

/**
 * The snippet of each text for a query given by its lexemes (null for an empty text, or without
 * query). `cle` identifies the text's record: its words are cut once while the record is alive.
 */
export async function extraits(db: Executor, textes: { cle: object; texte: string }[], requete: readonly string[]): Promise<(string | null)[]> {
  if (!requete.length) return textes.map(() => null);
  const decoupes = textes.map(({ cle, texte }) => {
    let ms = decoupages.get(cle);
    if (!ms) decoupages.set(cle, (ms = mots(texte)));
    return ms;
  });
  const inconnues: string[] = [];
  for (const ms of decoupes) for (const m of ms) if (m.lexeme === undefined && !lexemes.has(m.forme)) inconnues.push(m.forme);
  if (inconnues.length) await apprendre(db, inconnues);
  const q = new Set(requete);
  return textes.map(({ texte }, i) => extraire(texte, decoupes[i]!, q));
}
