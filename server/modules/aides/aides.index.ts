/**
 * The aids search index, held in memory by each application instance: the documents' vectors as
 * PostgreSQL computed them (`aides.search_vector`), in typed arrays (per document its lexemes and
 * positions; per lexeme its documents), with the attributes the filters and the prior need. A
 * search evaluates every matching aid (no bounded candidate stage), with the ranking of decision
 * 0005: per concept its rarity (BM25 idf within the filters), PostgreSQL's `ts_rank` saturated, the
 * coverage of the query and the social-housing prior. Matching, filters and counts are bit sets
 * (32 aids per word); only the aids that may enter the page are scored one by one.
 *
 * The index is a cache of the database, never the reference: `aides.moteur.ts` keeps it at the
 * version of the catalogue the instance has just read (see the migration `aides_index_version`), so
 * every instance answers from the same data, whichever instance or script wrote it.
 *
 * Two segments: the base (built from the whole catalogue) and a small delta holding the aids changed
 * since (their base slot is marked dead). The delta is rebuilt on each change; past its capacity the
 * whole index is rebuilt. What is derived from the base alone (a lexeme's or a phrase's aids, a filter
 * value's aids) is cached for the index's life; the delta's share is added per search.
 */
import { andInto, clearBit, countBits, forEachBit, hasBit, orInto, setBit, wordsFor, type Bits } from '../../lib/bitset.js';
import { normaliser } from './aides.texte.js';
import { itemsDistincts, partOu, phraseTrouvee, rangEt, Vecteurs, type Occurrences, type Phrase } from './tsvecteur.js';

/** Ranking constants (see docs/decisions/0005-aides-catalogue-et-recherche.md). */
export const RANKING = {
  /** Field weights for ts_rank, by weight D (instructors, types), C (text), B (classification), A (name). */
  poids: [0.1, 0.25, 0.5, 1.0] as readonly number[],
  /** ts_rank saturation: r / (r + k) (a name match ranks about 0.6, one mention in the text 0.15). */
  saturation: 0.3,
  /** A vocabulary equivalent counts this much of the expression actually typed. */
  synonyme: 0.75,
  /** Exponent of the coverage factor (share of the query's weight that the aid matches). */
  couverture: 1.5,
  /** Prior for aids with structured social-housing eligibility, and for aids open to social landlords. */
  priorLogementSocial: 0.35,
  priorBailleur: 0.15,
  /** Minimal trigram similarity to replace an unknown word. */
  similariteMin: 0.4,
};

/** What the index keeps of an aid. */
export interface DocAide {
  id: string;
  slug: string;
  statut: string;
  nom: string;
  audiences: string[];
  perimetre: string | null;
  aidTypes: string[];
  operationTypes: string[];
  produits: string[];
  /** Categories, normalised (lower case, no accents, no punctuation). */
  categories: string[];
  /** Epoch milliseconds, NaN when absent. */
  publieeLe: number;
  echeance: number;
  logementSocial: boolean;
}

/** A row of `aides` as `aides.moteur.ts` reads it. */
export interface LigneAide {
  id: string;
  slug: string;
  statut: string;
  name: string;
  vecteur: string | null;
  targeted_audiences: string[] | null;
  perimeter_code: string | null;
  aid_types: string[] | null;
  operation_types: string[] | null;
  produits: string[] | null;
  categories: string[] | null;
  publiee_le: string | Date | null;
  submission_deadline: string | null;
  logement_social: boolean;
}

const ms = (v: string | Date | null) => (v == null ? NaN : v instanceof Date ? v.getTime() : Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v));

export function docDepuisLigne(r: LigneAide): DocAide {
  return {
    id: r.id,
    slug: r.slug,
    statut: r.statut,
    nom: r.name,
    audiences: r.targeted_audiences ?? [],
    perimetre: r.perimeter_code,
    aidTypes: r.aid_types ?? [],
    operationTypes: r.operation_types ?? [],
    produits: r.produits ?? [],
    categories: (r.categories ?? []).map(normaliser),
    publieeLe: ms(r.publiee_le),
    echeance: ms(r.submission_deadline),
    logementSocial: r.logement_social,
  };
}

/**
 * A set of documents numbered from `premier`: per document its entries (lexeme number, positions,
 * share of calc_rank_or: the forward index, for phrases and scores), per lexeme its documents.
 */
class Segment {
  /** Per lexeme number, its first posting (length: lexemes known when built + 1). */
  readonly debuts: Int32Array;
  /** Per posting: the document (global number). */
  readonly docs: Int32Array;
  /** Per entry: its share of calc_rank_or (the fixed field weights). */
  readonly ou: Float32Array;

  constructor(
    readonly v: Vecteurs,
    nTermes: number,
    readonly premier: number,
  ) {
    const nb = new Int32Array(nTermes);
    for (let e = 0; e < v.nEntrees; e++) nb[v.termes[e]!]!++;
    this.debuts = new Int32Array(nTermes + 1);
    for (let t = 0; t < nTermes; t++) this.debuts[t + 1] = this.debuts[t]! + nb[t]!;
    this.docs = new Int32Array(this.debuts[nTermes]!);
    this.ou = new Float32Array(v.nEntrees);
    const cur = this.debuts.slice(0, nTermes);
    let e = 0;
    for (let k = 0; k < v.docFin.length; k++) {
      for (const fin = v.docFin[k]!; e < fin; e++) {
        this.docs[cur[v.termes[e]!]!++] = premier + k;
        this.ou[e] = partOu(v.positions, e === 0 ? 0 : v.posFin[e - 1]!, v.posFin[e]!, RANKING.poids);
      }
    }
  }

  /** The postings of lexeme t: [from, to). */
  postings(t: number): [number, number] {
    return t < this.debuts.length - 1 ? [this.debuts[t]!, this.debuts[t + 1]!] : [0, 0];
  }

  /** The entries of document d (global number): [from, to). */
  entrees(d: number): [number, number] {
    return this.v.entrees(d - this.premier);
  }

  /** Points `o` at the positions of entry e. */
  occurrences(e: number, o: Occurrences): Occurrences {
    o.positions = this.v.positions;
    o.debut = e === 0 ? 0 : this.v.posFin[e - 1]!;
    o.fin = this.v.posFin[e]!;
    return o;
  }
}

export interface FiltresIndex {
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
  /** Statuses searched (default: published only; the public search sees only published aids). */
  statuts?: string[];
}

/** A concept of the query as the index evaluates it: the expression typed, and its equivalents. */
export interface ConceptIndex {
  tape: Phrase[];
  equivalents: Phrase[];
}

export interface Trouve {
  id: string;
  slug: string;
  score: number;
}

type Champ = 'audiences' | 'aidTypes' | 'operationTypes' | 'produits' | 'perimetre';
const CHAMPS: [keyof FiltresIndex, Champ][] = [
  ['audiences', 'audiences'],
  ['aidTypes', 'aidTypes'],
  ['operationTypes', 'operationTypes'],
  ['produits', 'produits'],
  ['perimetres', 'perimetre'],
];
const aLaValeur = (d: DocAide, champ: Champ, v: string) => (champ === 'perimetre' ? d.perimetre === v : d[champ].includes(v));

/** Cached bit sets of the base segment (a lexeme's, a phrase's, a filter value's aids): at most this many of each kind. */
const MAX_CACHE = 4096;

function cacher<K>(cache: Map<K, Bits>, cle: K, calcul: () => Bits): Bits {
  let b = cache.get(cle);
  if (!b) {
    if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(cle, (b = calcul()));
  }
  return b;
}

export class IndexAides {
  readonly capacite: number;
  private readonly base: Segment;
  private delta: Segment | null = null;
  private readonly nBase: number;
  private nDelta = 0;
  private readonly docs: (DocAide | undefined)[];
  private readonly parId = new Map<string, number>();
  /** Changed aids since the base was built: their attributes and their vector. */
  private aidesDelta = new Map<string, { doc: DocAide; vecteur: Vecteurs }>();
  /** Lexeme → number, shared by the segments. */
  private readonly dictionnaire: Map<string, number>;
  readonly maxDelta: number;
  private readonly W: number;

  /** Alive documents, and alive published ones. */
  private readonly vivants: Bits;
  private readonly publiees: Bits;
  private readonly statut: Uint8Array;
  private readonly statuts = new Map<string, number>();
  /** Prior class: bit 1 structured social-housing eligibility, bit 0 open to social landlords (see PRIORS). */
  private readonly classePrior: Uint8Array;
  /** Rank of each document's slug in byte order (ties of score are broken by slug); delta documents fall between. */
  private readonly rangSlug: Float64Array;
  private slugsTries: string[] | undefined;
  /** Base documents in listing order (prior, then name): the order of a search without text. */
  private readonly ordreBase: Int32Array;
  private nPubliees = 0;

  private readonly termesBase = new Map<number, Bits>();
  private readonly phrasesBase = new Map<string, Bits>();
  private readonly valeursBase = new Map<string, Bits>();

  // Scratch space of a search (a search runs synchronously, so one set per index is enough).
  private readonly cand: Int32Array;
  private readonly cles: Int32Array;
  private readonly ordre: Int32Array;
  private slotDeTerme = new Int32Array(0);

  /** `vecteurs` holds the vectors of `docs`, in the same order, numbered with `dictionnaire`. */
  constructor(
    docs: DocAide[],
    vecteurs: Vecteurs,
    dictionnaire: Map<string, number>,
    readonly version: number,
  ) {
    this.dictionnaire = dictionnaire;
    this.nBase = docs.length;
    this.maxDelta = Math.max(256, Math.ceil(docs.length / 10));
    const cap = (this.capacite = this.nBase + this.maxDelta);
    this.W = wordsFor(cap);
    this.docs = new Array(cap);
    this.vivants = new Uint32Array(this.W);
    this.publiees = new Uint32Array(this.W);
    this.statut = new Uint8Array(cap);
    this.classePrior = new Uint8Array(cap);
    this.rangSlug = new Float64Array(cap);
    this.cand = new Int32Array(cap);
    this.cles = new Int32Array(cap);
    this.ordre = new Int32Array(cap);
    docs.forEach((d, k) => this.poser(k, d));
    vecteurs.ajuster();
    this.base = new Segment(vecteurs, dictionnaire.size, 0);
    this.ordreBase = Int32Array.from(this.trier([...docs.keys()]));
    const parSlug = [...docs.keys()].sort((a, b) => (docs[a]!.slug < docs[b]!.slug ? -1 : docs[a]!.slug > docs[b]!.slug ? 1 : 0));
    parSlug.forEach((k, r) => (this.rangSlug[k] = r));
    this.slugsTries = parSlug.map((k) => docs[k]!.slug);
  }

  /** Builds an index from rows of `aides` (see LigneAide), read in batches by the caller. */
  static construire(version: number): { ajouter(l: LigneAide): void; finir(): IndexAides } {
    const dictionnaire = new Map<string, number>();
    const vecteurs = new Vecteurs(dictionnaire);
    const docs: DocAide[] = [];
    return {
      ajouter(l) {
        docs.push(docDepuisLigne(l));
        vecteurs.ajouter(l.vecteur);
      },
      finir: () => new IndexAides(docs, vecteurs, dictionnaire, version),
    };
  }

  get taille(): number {
    return this.parId.size;
  }

  private poser(k: number, d: DocAide) {
    this.docs[k] = d;
    this.parId.set(d.id, k);
    setBit(this.vivants, k);
    if (d.statut === 'publiee') {
      setBit(this.publiees, k);
      this.nPubliees++;
    } else clearBit(this.publiees, k);
    let s = this.statuts.get(d.statut);
    if (s === undefined) this.statuts.set(d.statut, (s = this.statuts.size));
    this.statut[k] = s;
    this.classePrior[k] = (d.logementSocial ? 2 : 0) | (d.audiences.includes('social-landlord') ? 1 : 0);
    if (this.slugsTries) {
      // After the base's ranks: between the base slugs around it.
      let lo = 0;
      let hi = this.slugsTries.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.slugsTries[mid]! < d.slug) lo = mid + 1;
        else hi = mid;
      }
      this.rangSlug[k] = lo - 0.5 + (k - this.nBase) * 1e-6;
    }
  }

  private retirer(id: string) {
    const k = this.parId.get(id);
    if (k === undefined) return;
    if (this.docs[k]!.statut === 'publiee') this.nPubliees--;
    clearBit(this.vivants, k);
    clearBit(this.publiees, k);
    this.parId.delete(id);
  }

  /** Listing order: prior first, then the name (French collation), then the id. */
  private trier(ks: number[]): number[] {
    // French order of names without the cost of a collator per comparison: unaccented lower case.
    const cle = new Map(ks.map((k) => [k, normaliser(this.docs[k]!.nom)]));
    return ks.sort(
      (a, b) =>
        PRIORS[this.classePrior[b]!]! - PRIORS[this.classePrior[a]!]! ||
        (cle.get(a)! < cle.get(b)! ? -1 : cle.get(a)! > cle.get(b)! ? 1 : 0) ||
        (this.docs[a]!.id < this.docs[b]!.id ? -1 : 1),
    );
  }

  /**
   * Applies the changes read at `version`: each changed aid's current row, or null when it was
   * deleted. Returns false when the delta would exceed its capacity (the caller rebuilds instead).
   */
  appliquer(changes: { id: string; ligne: LigneAide | null }[], version: number): boolean {
    const aides = new Map(this.aidesDelta);
    for (const c of changes) {
      aides.delete(c.id);
      if (c.ligne) {
        const v = new Vecteurs(this.dictionnaire, 64);
        v.ajouter(c.ligne.vecteur);
        v.ajuster();
        aides.set(c.id, { doc: docDepuisLigne(c.ligne), vecteur: v });
      }
    }
    if (aides.size > this.maxDelta) return false;
    for (const c of changes) this.retirer(c.id);
    // Delta documents are renumbered on each rebuild of the delta: retire them all, place them again.
    for (const id of this.aidesDelta.keys()) this.retirer(id);
    const entrees = [...aides.values()].sort((a, b) => (a.doc.slug < b.doc.slug ? -1 : a.doc.slug > b.doc.slug ? 1 : 0));
    const vecteurs = new Vecteurs(this.dictionnaire);
    entrees.forEach((x, k) => {
      this.poser(this.nBase + k, x.doc);
      vecteurs.copier(x.vecteur, 0);
    });
    for (let k = this.nBase + entrees.length; k < this.nBase + this.nDelta; k++) {
      clearBit(this.vivants, k);
      clearBit(this.publiees, k);
    }
    vecteurs.ajuster();
    this.nDelta = entrees.length;
    this.delta = entrees.length ? new Segment(vecteurs, this.dictionnaire.size, this.nBase) : null;
    this.aidesDelta = aides;
    (this as { version: number }).version = Math.max(this.version, version);
    return true;
  }

  private segmentDe(d: number): Segment {
    return d < this.nBase ? this.base : this.delta!;
  }

  private vide(): Bits {
    return new Uint32Array(this.W);
  }

  /** acc |= the documents holding lexeme t (base from the cache, delta from its postings). */
  private ajouterTerme(acc: Bits, t: number) {
    orInto(
      acc,
      cacher(this.termesBase, t, () => {
        const b = this.vide();
        const [debut, fin] = this.base.postings(t);
        for (let j = debut; j < fin; j++) setBit(b, this.base.docs[j]!);
        return b;
      }),
    );
    if (this.delta) {
      const [debut, fin] = this.delta.postings(t);
      for (let j = debut; j < fin; j++) setBit(acc, this.delta.docs[j]!);
    }
  }

  /** Whether document d holds the phrase (lexeme numbers `ts` at offsets `decalages`). */
  private contientPhrase(d: number, ts: number[], decalages: number[], occ: Occurrences[]): boolean {
    const seg = this.segmentDe(d);
    const [a, b] = seg.entrees(d);
    let trouves = 0;
    for (let e = a; e < b && trouves < ts.length; e++) {
      const t = seg.v.termes[e]!;
      for (let k = 0; k < ts.length; k++) {
        if (ts[k] === t) {
          seg.occurrences(e, occ[k]!);
          trouves++;
        }
      }
    }
    return trouves === ts.length && phraseTrouvee(occ, decalages);
  }

  /** acc |= the documents holding the phrase. */
  private ajouterPhrase(acc: Bits, ph: Phrase) {
    const ts = ph.lexemes.map((l) => this.dictionnaire.get(l));
    if (ts.some((t) => t === undefined)) return;
    const ids = ts as number[];
    const occ = ids.map(() => ({ positions: this.base.v.positions, debut: 0, fin: 0 }));
    const cle = `${ids.join(',')}/${ph.decalages.join(',')}`;
    orInto(
      acc,
      cacher(this.phrasesBase, cle, () => {
        // The documents holding every lexeme, then the positions.
        const tous = this.vide();
        this.ajouterTerme(tous, ids[0]!);
        for (const t of ids.slice(1)) {
          const b = this.vide();
          this.ajouterTerme(b, t);
          andInto(tous, b);
        }
        const out = this.vide();
        forEachBit(tous, (d) => {
          if (d < this.nBase && this.contientPhrase(d, ids, ph.decalages, occ)) setBit(out, d);
        });
        return out;
      }),
    );
    if (this.delta) {
      const [debut, fin] = this.delta.postings(ids[0]!);
      for (let j = debut; j < fin; j++) {
        const d = this.delta.docs[j]!;
        if (this.contientPhrase(d, ids, ph.decalages, occ)) setBit(acc, d);
      }
    }
  }

  /** The documents within the filters. */
  private filtrer(f: FiltresIndex): Bits {
    const F = this.vide();
    const statuts = f.statuts?.length ? f.statuts : ['publiee'];
    if (statuts.length === 1 && statuts[0] === 'publiee') F.set(this.publiees);
    else {
      const codes = new Set(statuts.map((x) => this.statuts.get(x)));
      forEachBit(this.vivants, (d) => {
        if (codes.has(this.statut[d]!)) setBit(F, d);
      });
    }
    for (const [cle, champ] of CHAMPS) {
      const valeurs = f[cle] as string[] | undefined;
      if (!valeurs?.length) continue;
      const M = this.vide();
      for (const v of valeurs) {
        orInto(
          M,
          cacher(this.valeursBase, `${champ}\u0000${v}`, () => {
            const b = this.vide();
            for (let d = 0; d < this.nBase; d++) if (aLaValeur(this.docs[d]!, champ, v)) setBit(b, d);
            return b;
          }),
        );
      }
      for (let d = this.nBase; d < this.nBase + this.nDelta; d++) if (valeurs.some((v) => aLaValeur(this.docs[d]!, champ, v))) setBit(M, d);
      andInto(F, M);
    }
    // Rarely used filters (alerts, catalogue views): checked per document.
    const cats = f.categories?.length ? f.categories.map(normaliser) : null;
    const apres = f.publieesApres ? Date.parse(f.publieesApres) : NaN;
    const echeance = f.echeanceApres ? Date.parse(`${f.echeanceApres.slice(0, 10)}T00:00:00Z`) : NaN;
    if (cats || !Number.isNaN(apres) || !Number.isNaN(echeance)) {
      forEachBit(F, (d) => {
        const x = this.docs[d]!;
        const ok =
          (Number.isNaN(apres) || x.publieeLe > apres) &&
          (Number.isNaN(echeance) || Number.isNaN(x.echeance) || x.echeance >= echeance) &&
          (!cats || x.categories.some((c) => cats.some((y) => c.includes(y))));
        if (!ok) clearBit(F, d);
      });
    }
    return F;
  }

  /** Aids without text: every aid within the filters, in listing order. */
  lister(f: FiltresIndex, offset: number, limit: number): { count: number; results: Trouve[] } {
    const F = this.filtrer(f);
    const garder = offset + limit;
    const base: number[] = [];
    for (const d of this.ordreBase) {
      if (base.length >= garder) break;
      if (hasBit(F, d)) base.push(d);
    }
    const delta: number[] = [];
    for (let d = this.nBase; d < this.nBase + this.nDelta; d++) if (hasBit(F, d)) delta.push(d);
    const tous = delta.length ? this.trier([...base, ...delta]) : base;
    return { count: countBits(F), results: tous.slice(offset, garder).map((d) => ({ id: this.docs[d]!.id, slug: this.docs[d]!.slug, score: 0 })) };
  }

  /**
   * Every aid within the filters that matches at least one concept, ranked; returns the page and the
   * exact count. Synchronous: nothing else runs on this index meanwhile.
   *
   * 1. Bit sets: the filters; per concept, the aids matching one of its alternatives (a lexeme's
   *    aids, or a phrase's); their counts give each concept's rarity, their union the count.
   * 2. Groups of candidates by (matched concepts, prior class), in decreasing order of coverage ×
   *    prior, an upper bound of their scores (each concept's saturated rank is below 1).
   * 3. Full scores (ts_rank from each aid's own lexemes and positions), group by group, until no
   *    remaining group can enter the page.
   */
  rechercher(concepts: ConceptIndex[], f: FiltresIndex, offset: number, limit: number): { count: number; results: Trouve[] } {
    const n = concepts.length;
    const F = this.filtrer(f);

    // 1. Concepts.
    const C = concepts.map((c) => {
      const b = this.vide();
      for (const ph of [...c.tape, ...c.equivalents]) {
        if (ph.lexemes.length === 1) {
          const t = this.dictionnaire.get(ph.lexemes[0]!);
          if (t !== undefined) this.ajouterTerme(b, t);
        } else this.ajouterPhrase(b, ph);
      }
      andInto(b, F);
      return b;
    });
    const df = C.map(countBits);

    // 2. Candidates and their groups, 32 at a time.
    const groupes = new Int32Array(4 << n);
    const { cand, cles } = this;
    let nc = 0;
    const cw = new Int32Array(n);
    for (let w = 0; w < this.W; w++) {
      let u = 0;
      for (let i = 0; i < n; i++) u |= cw[i] = C[i]![w]!;
      while (u !== 0) {
        const bas = u & -u;
        const b = 31 - Math.clz32(bas);
        u ^= bas;
        const d = (w << 5) | b;
        let m = 0;
        for (let i = 0; i < n; i++) m |= ((cw[i]! >>> b) & 1) << i;
        const g = (m << 2) | this.classePrior[d]!;
        cles[nc] = g;
        cand[nc++] = d;
        groupes[g]!++;
      }
    }

    // Rarity within the filters (BM25 idf over the published catalogue).
    const N = Math.max(this.nPubliees, 1);
    const idf = df.map((x) => Math.log(1 + Math.max(N - x + 0.5, 1e-9) / (x + 0.5)));
    const total = idf.reduce((a, b) => a + b, 0);
    const presents: number[] = [];
    const borne = new Float64Array(groupes.length);
    for (let g = 0; g < groupes.length; g++) {
      if (!groupes[g]) continue;
      presents.push(g);
      let m = 0;
      for (let i = 0; i < n; i++) if ((g >> 2) & (1 << i)) m += idf[i]!;
      borne[g] = Math.pow(m / total, RANKING.couverture) * PRIORS[g & 3]!;
    }
    presents.sort((a, b) => borne[b]! - borne[a]!);
    // Candidates by group (counting sort), groups in decreasing order of their bound.
    const debutGroupe = new Int32Array(groupes.length);
    let cur = 0;
    for (const g of presents) {
      debutGroupe[g] = cur;
      cur += groupes[g]!;
    }
    const ordre = this.ordre;
    const curseur = debutGroupe.slice();
    for (let x = 0; x < nc; x++) ordre[curseur[cles[x]!]!++] = cand[x]!;

    // 3. Scores. Slots: the query's distinct lexemes; per scored aid, which of its entries holds each.
    const slots = new Map<number, number>();
    const slot = (l: string) => {
      const t = this.dictionnaire.get(l);
      if (t === undefined) return -1;
      let s = slots.get(t);
      if (s === undefined) slots.set(t, (s = slots.size));
      return s;
    };
    const plans = concepts.map((c) => ({ tape: this.planRang(c.tape, slot), equivalents: c.equivalents.length ? this.planRang(c.equivalents, slot) : null }));
    if (this.slotDeTerme.length < this.dictionnaire.size) {
      this.slotDeTerme = new Int32Array(this.dictionnaire.size).fill(-1);
    }
    const slotDeTerme = this.slotDeTerme;
    for (const [t, s] of slots) slotDeTerme[t] = s;
    const entreeDe = new Int32Array(slots.size);
    const occs = [...slots.keys()].map(() => ({ positions: this.base.v.positions, debut: 0, fin: 0 }) as Occurrences);
    const k = RANKING.saturation;
    const poids = RANKING.poids;
    let seg = this.base;
    const rang = (p: PlanRang): number => {
      const items = p.items;
      if (!items.length) return 0;
      if (!p.et) {
        let r = 0;
        for (let x = 0; x < items.length; x++) {
          const s = items[x]!;
          const e = s < 0 ? -1 : entreeDe[s]!;
          if (e >= 0) r += seg.ou[e]!;
        }
        return r / items.length;
      }
      let presentes = 0;
      for (let x = 0; x < items.length; x++) {
        const s = items[x]!;
        const e = s < 0 ? -1 : entreeDe[s]!;
        if (e >= 0) {
          p.occ[x] = seg.occurrences(e, occs[s]!);
          presentes++;
        } else p.occ[x] = null;
      }
      if (presentes < 2) return 1e-20;
      const r = rangEt(p.occ, poids);
      return r < 0 ? 1e-20 : r;
    };
    const top = new TopK(Math.max(0, offset + limit), this.rangSlug);
    try {
      for (const g of presents) {
        const b = borne[g]!;
        // Every score of the group is below its bound (saturated ranks are below 1).
        if (top.plein() && !(b > top.pireScore())) break;
        const debut = debutGroupe[g]!;
        for (let x = debut, fin = debut + groupes[g]!; x < fin; x++) {
          const d = ordre[x]!;
          seg = this.segmentDe(d);
          entreeDe.fill(-1);
          const [a, z] = seg.entrees(d);
          const termes = seg.v.termes;
          for (let e = a; e < z; e++) {
            const s = slotDeTerme[termes[e]!]!;
            if (s >= 0) entreeDe[s] = e;
          }
          let weighted = 0;
          for (let i = 0; i < n; i++) {
            const p = plans[i]!;
            let r = rang(p.tape);
            if (p.equivalents) r = Math.max(r, RANKING.synonyme * rang(p.equivalents));
            weighted += idf[i]! * (r / (r + k));
          }
          top.ajouter(d, total > 0 ? (weighted / total) * b : -Infinity);
        }
      }
    } finally {
      for (const t of slots.keys()) slotDeTerme[t] = -1;
    }
    return {
      count: nc,
      results: top
        .tries()
        .slice(offset)
        .map(({ d, score }) => ({ id: this.docs[d]!.id, slug: this.docs[d]!.slug, score })),
    };
  }

  /** How one of a concept's two tsqueries is ranked (PostgreSQL: calc_rank_and for a phrase of distinct lexemes, else calc_rank_or). */
  private planRang(phs: Phrase[], slot: (l: string) => number): PlanRang {
    // A lexeme unknown to the index still counts in the number of items (PostgreSQL divides by it).
    const items = itemsDistincts(phs).map(slot);
    return { items, et: phs.length === 1 && new Set(phs[0]!.lexemes).size > 1, occ: items.map(() => null) };
  }
}

/** The prior of each class (bit 1: structured social-housing eligibility, bit 0: open to social landlords). */
const PRIORS = [0, 1, 2, 3].map((c) => 1 + RANKING.priorLogementSocial * (c >> 1) + RANKING.priorBailleur * (c & 1));

interface PlanRang {
  /** Slots of the distinct lexemes (-1: unknown to the index). */
  items: number[];
  et: boolean;
  /** Scratch: the items' occurrences in the current document (calc_rank_and). */
  occ: (Occurrences | null)[];
}

/** The k best (score descending, then slug in byte order, as ranks), in a binary heap whose root is the worst kept. */
class TopK {
  private readonly d: number[] = [];
  private readonly s: number[] = [];
  constructor(
    private readonly k: number,
    private readonly rangSlug: Float64Array,
  ) {}

  plein(): boolean {
    return this.d.length >= this.k;
  }

  pireScore(): number {
    return this.s[0] ?? -Infinity;
  }

  /** a ranks after b. */
  private pire(da: number, sa: number, db: number, sb: number): boolean {
    return sa < sb || (sa === sb && this.rangSlug[da]! > this.rangSlug[db]!);
  }

  private echanger(i: number, j: number) {
    const { d: ds, s: ss } = this;
    const d = ds[i]!;
    ds[i] = ds[j]!;
    ds[j] = d;
    const s = ss[i]!;
    ss[i] = ss[j]!;
    ss[j] = s;
  }

  ajouter(d: number, score: number) {
    if (this.k === 0) return;
    const { d: ds, s: ss } = this;
    if (ds.length < this.k) {
      ds.push(d);
      ss.push(score);
      let i = ds.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.pire(ds[i]!, ss[i]!, ds[p]!, ss[p]!)) break;
        this.echanger(i, p);
        i = p;
      }
      return;
    }
    if (score < ss[0]! || !this.pire(ds[0]!, ss[0]!, d, score)) return;
    ds[0] = d;
    ss[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < ds.length && this.pire(ds[l]!, ss[l]!, ds[m]!, ss[m]!)) m = l;
      if (r < ds.length && this.pire(ds[r]!, ss[r]!, ds[m]!, ss[m]!)) m = r;
      if (m === i) break;
      this.echanger(i, m);
      i = m;
    }
  }

  tries(): { d: number; score: number }[] {
    return this.d.map((d, i) => ({ d, score: this.s[i]! })).sort((a, b) => b.score - a.score || this.rangSlug[a.d]! - this.rangSlug[b.d]!);
  }
}
