/**
 * PostgreSQL full-text search, in JavaScript, for the aids search index held in memory
 * (aides.index.ts): reading the text form of a `tsvector` and of a phrase `tsquery`, matching a
 * phrase (`@@`), and `ts_rank` with a weights array, computed as PostgreSQL computes them
 * (src/backend/utils/adt/tsrank.c: `calc_rank_or`, `calc_rank_and`, `word_distance`). The documents'
 * vectors and the queries' lexemes still come from PostgreSQL (French stemming, unaccent): only
 * the evaluation moves to the application. Pure functions; tested against PostgreSQL itself.
 */

/** A position as PostgreSQL stores it (WordEntryPos): 14 bits of position, 2 bits of weight (D=0 … A=3). */
export const posOf = (p: number) => p & 0x3fff;
export const weightOf = (p: number) => p >>> 14;

/**
 * Vectors of many documents, parsed straight into growable typed arrays (no object per lexeme: a
 * national catalogue has millions of them). Lexemes are numbered by a dictionary shared by the caller.
 */
export class Vecteurs {
  /** Per entry (a lexeme of a document): its number, and the end of its positions. */
  termes: Int32Array;
  posFin: Int32Array;
  positions: Uint16Array;
  nEntrees = 0;
  nPositions = 0;
  /** Per document: the end of its entries. */
  docFin: number[] = [];

  constructor(
    private readonly dictionnaire: Map<string, number>,
    capacite = 4096,
  ) {
    this.termes = new Int32Array(capacite);
    this.posFin = new Int32Array(capacite);
    this.positions = new Uint16Array(capacite * 2);
  }

  private place(entrees: number, positions: number) {
    if (this.nEntrees + entrees > this.termes.length) {
      const n = Math.max(this.termes.length * 2, this.nEntrees + entrees);
      const t = new Int32Array(n);
      t.set(this.termes.subarray(0, this.nEntrees));
      this.termes = t;
      const f = new Int32Array(n);
      f.set(this.posFin.subarray(0, this.nEntrees));
      this.posFin = f;
    }
    if (this.nPositions + positions > this.positions.length) {
      const p = new Uint16Array(Math.max(this.positions.length * 2, this.nPositions + positions));
      p.set(this.positions.subarray(0, this.nPositions));
      this.positions = p;
    }
  }

  private terme(lexeme: string): number {
    let t = this.dictionnaire.get(lexeme);
    if (t === undefined) {
      // A copy, so that the key does not keep the whole vector text alive (V8 sliced strings).
      t = this.dictionnaire.size;
      this.dictionnaire.set([...lexeme].join(''), t);
    }
    return t;
  }

  /** Adds one document from the text output of its tsvector (null: an empty vector). */
  ajouter(text: string | null): void {
    if (text) {
      // At most one entry per 3 characters ('x'), one position per 2 (',1').
      this.place(Math.ceil(text.length / 3), text.length >> 1);
      let i = 0;
      const n = text.length;
      while (i < n) {
        if (text.charCodeAt(i) === 32) {
          i++;
          continue;
        }
        if (text.charCodeAt(i) !== 39) throw new Error(`tsvector illisible à la position ${i} : ${text.slice(i, i + 20)}`);
        // The lexeme: up to the closing quote ('' is a quote, \ escapes).
        let j = i + 1;
        let simple = true;
        for (;;) {
          const c = text.charCodeAt(j);
          if (Number.isNaN(c)) throw new Error('tsvector illisible : apostrophe non fermée');
          if (c === 92) {
            simple = false;
            j += 2;
            continue;
          }
          if (c === 39) {
            if (text.charCodeAt(j + 1) === 39) {
              simple = false;
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        const brut = text.slice(i + 1, j);
        const lexeme = simple ? brut : brut.replace(/''/g, "'").replace(/\\(.)/g, '$1');
        i = j + 1;
        const e = this.nEntrees++;
        this.termes[e] = this.terme(lexeme);
        if (text.charCodeAt(i) === 58) {
          i++;
          for (;;) {
            let p = 0;
            let c = text.charCodeAt(i);
            while (c >= 48 && c <= 57) {
              p = p * 10 + c - 48;
              c = text.charCodeAt(++i);
            }
            let w = 0;
            if (c >= 65 && c <= 68) {
              w = 68 - c; // A=3, B=2, C=1, D=0
              c = text.charCodeAt(++i);
            }
            this.positions[this.nPositions++] = (w << 14) | (p & 0x3fff);
            if (c === 44) i++;
            else break;
          }
        }
        this.posFin[e] = this.nPositions;
      }
    }
    this.docFin.push(this.nEntrees);
  }

  /** Trims the arrays to what they hold (after the last document). */
  ajuster(): void {
    this.termes = this.termes.slice(0, this.nEntrees);
    this.posFin = this.posFin.slice(0, this.nEntrees);
    this.positions = this.positions.slice(0, this.nPositions);
  }

  /** The document k's entries: [from, to). */
  entrees(k: number): [number, number] {
    return [k === 0 ? 0 : this.docFin[k - 1]!, this.docFin[k]!];
  }

  /** Copies document k of another set (same dictionary) into this one. */
  copier(de: Vecteurs, k: number): void {
    const [a, b] = de.entrees(k);
    const p0 = a === 0 ? 0 : de.posFin[a - 1]!;
    const p1 = b === 0 ? 0 : de.posFin[b - 1]!;
    this.place(b - a, p1 - p0);
    for (let e = a; e < b; e++) {
      const x = this.nEntrees++;
      this.termes[x] = de.termes[e]!;
      this.posFin[x] = this.nPositions + (de.posFin[e]! - p0);
    }
    this.positions.set(de.positions.subarray(p0, p1), this.nPositions);
    this.nPositions += p1 - p0;
    this.docFin.push(this.nEntrees);
  }
}

/** One alternative of a concept: a phrase, i.e. lexemes at given offsets from the first (`a <-> b <2> c`). */
export interface Phrase {
  lexemes: string[];
  /** Offset of each lexeme from the first one (0 for the first). */
  decalages: number[];
}

/**
 * Reads the text of a tsquery made of phrases joined by `|` (what `phraseto_tsquery` and `||` give
 * for the normalised expressions of the search): `'logement' <-> 'social' | 'hlm'`. Anything else
 * (`&`, `!`, parentheses inside a phrase, weights, prefixes) is refused: the search never builds it.
 */
export function lireTsqueryPhrases(text: string): Phrase[] {
  const out: Phrase[] = [];
  let cur: Phrase | null = null;
  /** The distance operator read before the next lexeme (-1: none). */
  let pending = -1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '(' || c === ')') {
      i++;
      continue;
    }
    if (c === "'") {
      i++;
      let lexeme = '';
      for (;;) {
        const d = text[i];
        if (d === undefined) throw new Error('tsquery illisible : apostrophe non fermée');
        if (d === "'") {
          if (text[i + 1] === "'") {
            lexeme += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === '\\') {
          lexeme += text[i + 1] ?? '';
          i += 2;
          continue;
        }
        lexeme += d;
        i++;
      }
      if (text[i] === ':') throw new Error(`tsquery non prise en charge (poids ou préfixe) : ${text}`);
      if (!cur) {
        cur = { lexemes: [lexeme], decalages: [0] };
        out.push(cur);
      } else {
        if (pending < 0) throw new Error(`tsquery illisible : ${text}`);
        cur.lexemes.push(lexeme);
        cur.decalages.push(cur.decalages[cur.decalages.length - 1]! + pending);
        pending = -1;
      }
      continue;
    }
    if (c === '|') {
      cur = null;
      i++;
      continue;
    }
    if (c === '<') {
      const end = text.indexOf('>', i);
      const d = text.slice(i + 1, end);
      pending = d === '-' ? 1 : Number(d);
      if (!Number.isInteger(pending) || pending < 0) throw new Error(`tsquery illisible : ${text}`);
      i = end + 1;
      continue;
    }
    throw new Error(`tsquery non prise en charge (« ${c} ») : ${text}`);
  }
  return out;
}

/** The distinct lexemes of a query (PostgreSQL's SortAndUniqItems), in a stable order. */
export function itemsDistincts(phrases: Phrase[]): string[] {
  return [...new Set(phrases.flatMap((p) => p.lexemes))].sort();
}

/**
 * A lexeme's share of `calc_rank_or` for one document, before the division by the number of
 * distinct query items: `(wjm + resj - wjm / (jm+1)²) / (π²/6)`, with `resj = Σ w(pos_j) / (j+1)²`
 * over the positions in vector order and `wjm` the largest weight, found first at `jm`.
 */
export function partOu(positions: ArrayLike<number>, debut: number, fin: number, poids: readonly number[]): number {
  let resj = 0;
  let wjm = -1;
  let jm = 0;
  for (let j = 0; j < fin - debut; j++) {
    const w = poids[weightOf(positions[debut + j]!)]!;
    resj += w / ((j + 1) * (j + 1));
    if (w > wjm) {
      wjm = w;
      jm = j;
    }
  }
  return (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685;
}

/** PostgreSQL's word_distance(): how much two lexemes `dist` positions apart count together. */
const DISTANCE = (() => {
  const t = new Float64Array(0x4000 + 1);
  for (let d = 0; d < t.length; d++) t[d] = d > 100 ? 1e-30 : 1 / (1.005 + 0.05 * Math.exp(d / 1.5 - 2));
  return t;
})();

/** Positions of one query item in one document: a slice of a packed positions array. */
export interface Occurrences {
  positions: ArrayLike<number>;
  debut: number;
  fin: number;
}

/**
 * `calc_rank_and` over the items present in a document (absent items: null), for a query whose top
 * operator is a phrase or an AND and that has at least two distinct items. Returns -1 when no pair
 * of items occurs (PostgreSQL then ranks 1e-20).
 */
export function rangEt(items: (Occurrences | null)[], poids: readonly number[]): number {
  let res = -1;
  for (let i = 0; i < items.length; i++) {
    const a = items[i];
    if (!a) continue;
    for (let k = 0; k < i; k++) {
      const b = items[k];
      if (!b) continue;
      for (let l = a.debut; l < a.fin; l++) {
        const pl = a.positions[l]!;
        for (let p = b.debut; p < b.fin; p++) {
          const pp = b.positions[p]!;
          const dist = Math.abs(posOf(pl) - posOf(pp));
          if (dist === 0) continue;
          const curw = Math.sqrt(poids[weightOf(pl)]! * poids[weightOf(pp)]! * DISTANCE[dist]!);
          res = res < 0 ? curw : 1 - (1 - res) * (1 - curw);
        }
      }
    }
  }
  return res;
}

/**
 * Whether a phrase occurs in a document: the first lexeme at some position p and every other one at
 * p + its offset (`a <-> b` as PostgreSQL evaluates it on a vector with positions).
 */
export function phraseTrouvee(occ: Occurrences[], decalages: readonly number[]): boolean {
  const first = occ[0]!;
  outer: for (let j = first.debut; j < first.fin; j++) {
    const p0 = posOf(first.positions[j]!);
    for (let k = 1; k < occ.length; k++) {
      const o = occ[k]!;
      const want = p0 + decalages[k]!;
      let found = false;
      for (let m = o.debut; m < o.fin; m++) {
        const p = posOf(o.positions[m]!);
        if (p === want) {
          found = true;
          break;
        }
        if (p > want) break;
      }
      if (!found) continue outer;
    }
    return true;
  }
  return false;
}
