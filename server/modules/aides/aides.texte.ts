/**
 * Query text processing for the aids search, pure functions: normalisation, tokens, French stop
 * words, and matching the vocabulary's expressions (longest first) in a query.
 */

/** Lower case, no accents, apostrophes and punctuation turned into spaces. */
export function normaliser(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export const tokens = (s: string) => normaliser(s).split(' ').filter(Boolean);

/** Words that carry no meaning in a query (questions included). Acronyms of the vocabulary win over this list. */
export const MOTS_VIDES = new Set(
  (
    'a au aux avec ce ces cet cette c ca d dans de des du elle en et est etre eux il ils je j l la le les leur leurs lui ' +
    'ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu que quel quelle quelles quels qui quoi s sa sans se ses ' +
    'si son sont sur ta te tes toi ton tu un une vos votre vous y comment combien quand peut peuvent puis puisse faire fait avoir ' +
    'ont sommes etes suis etc tout tous toute toutes afin entre chez vers selon dont donc or ni car cela celui celle ceux'
  ).split(' '),
);

export interface Groupe {
  id: number;
  termes: string[];
}

interface Expression {
  groupe: number;
  mots: string[];
}

/** The vocabulary compiled for matching: every expression as its token sequence. */
export class Vocabulaire {
  readonly expressions: Expression[];
  readonly mots = new Set<string>();
  constructor(readonly groupes: Groupe[]) {
    this.expressions = groupes
      .flatMap((g) => g.termes.map((t) => ({ groupe: g.id, mots: tokens(t) })))
      .filter((e) => e.mots.length > 0)
      .sort((a, b) => b.mots.length - a.mots.length);
    for (const e of this.expressions) for (const m of e.mots) this.mots.add(m);
  }

  termes(groupe: number): string[] {
    return this.groupes.find((g) => g.id === groupe)?.termes ?? [];
  }
}

export interface Concept {
  /** What the user typed (normalised) for this concept. */
  source: string;
  /** Equivalent expressions, searched as phrases; the first is what was typed. */
  alternatives: string[];
  groupe: number | null;
}

/**
 * Splits a (corrected) query into concepts: a vocabulary expression (longest match first) becomes
 * one concept searched through all its group's expressions; any other word that is not a stop
 * word is a concept of its own.
 */
export function concepts(mots: string[], voc: Vocabulaire): Concept[] {
  const out: Concept[] = [];
  let i = 0;
  while (i < mots.length) {
    const e = voc.expressions.find((x) => x.mots.length <= mots.length - i && x.mots.every((m, k) => mots[i + k] === m));
    if (e && !(e.mots.length === 1 && MOTS_VIDES.has(e.mots[0]!) && e.mots[0]!.length < 3)) {
      const source = e.mots.join(' ');
      const alternatives = [source, ...voc.termes(e.groupe).map(normaliser).filter((t) => t !== source)];
      const prev = out.find((c) => c.groupe === e.groupe);
      if (!prev) out.push({ source, alternatives: [...new Set(alternatives)], groupe: e.groupe });
      i += e.mots.length;
      continue;
    }
    const m = mots[i]!;
    if (!MOTS_VIDES.has(m) && !out.some((c) => c.groupe === null && c.source === m)) out.push({ source: m, alternatives: [m], groupe: null });
    i += 1;
  }
  return out;
}

/** Escapes HTML, then turns the \u0001…\u0002 markers of ts_headline into <mark> elements. */
export function surligner(fragment: string): string {
  return fragment
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\u0001/g, '<mark>')
    .replace(/\u0002/g, '</mark>');
}
