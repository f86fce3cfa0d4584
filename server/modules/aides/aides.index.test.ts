import { describe, expect, it } from 'vitest';
import { IndexAides, type LigneAide } from './aides.index.js';
import { lireTsqueryPhrases } from './tsvecteur.js';

const ligne = (id: string, vecteur: string, extra: Partial<LigneAide> = {}): LigneAide => ({
  id,
  slug: `aide-${id}`,
  statut: 'publiee',
  name: `Aide ${id}`,
  vecteur,
  targeted_audiences: ['commune'],
  perimeter_code: 'FRA',
  aid_types: ['grant'],
  operation_types: [],
  produits: [],
  categories: ['Logement / Habitat'],
  publiee_le: '2026-01-01T00:00:00Z',
  submission_deadline: null,
  logement_social: false,
  ...extra,
});

function index(lignes: LigneAide[], version = 1): IndexAides {
  const b = IndexAides.construire(version);
  for (const l of lignes) b.ajouter(l);
  return b.finir();
}

const concept = (tape: string, equivalents = '') => ({ tape: lireTsqueryPhrases(tape), equivalents: equivalents ? lireTsqueryPhrases(equivalents) : [] });
const slugs = (r: { results: { slug: string }[] }) => r.results.map((x) => x.slug);

describe('IndexAides', () => {
  const base = [
    ligne('1', "'logement':1A 'social':2A 'pret':5C"),
    ligne('2', "'logement':1C 'tres':2C 'social':3C", { perimeter_code: '30', targeted_audiences: ['social-landlord'] }),
    ligne('3', "'social':1A 'logement':2A"),
    ligne('4', "'hlm':1A", { statut: 'brouillon' }),
  ];

  it('a phrase matches adjacent lexemes in order only; drafts stay out', () => {
    const ix = index(base);
    const r = ix.rechercher([concept("'logement' <-> 'social'", "'hlm'")], {}, 0, 10);
    expect(slugs(r)).toEqual(['aide-1']);
    expect(r.count).toBe(1);
    expect(ix.rechercher([concept("'hlm'")], { statuts: ['brouillon'] }, 0, 10).count).toBe(1);
  });

  it('words are OR-ed, aids that cover more of the query come first; filters apply', () => {
    const ix = index(base);
    const q = [concept("'logement'"), concept("'pret'")];
    const r = ix.rechercher(q, {}, 0, 10);
    expect(r.count).toBe(3);
    expect(slugs(r)[0]).toBe('aide-1');
    expect(slugs(ix.rechercher(q, { perimetres: ['30'] }, 0, 10))).toEqual(['aide-2']);
    expect(slugs(ix.rechercher(q, { audiences: ['social-landlord'] }, 0, 10))).toEqual(['aide-2']);
    expect(ix.rechercher(q, { audiences: ['farmer'] }, 0, 10).count).toBe(0);
    // Pages follow each other.
    const p2 = ix.rechercher(q, {}, 1, 1);
    expect(slugs(p2)).toEqual([slugs(r)[1]]);
  });

  it('changes go to the delta (old slot dead, new words searchable); past its capacity the caller must rebuild', () => {
    const ix = index(base);
    expect(ix.appliquer([{ id: '3', ligne: ligne('3', "'zygomorph':1A") }, { id: '1', ligne: null }], 2)).toBe(true);
    expect(ix.version).toBe(2);
    expect(slugs(ix.rechercher([concept("'zygomorph'")], {}, 0, 10))).toEqual(['aide-3']);
    expect(slugs(ix.rechercher([concept("'logement'")], {}, 0, 10))).toEqual(['aide-2']);
    expect(ix.lister({}, 0, 10).count).toBe(2);
    const trop = Array.from({ length: ix.maxDelta + 1 }, (_, i) => ({ id: `n${i}`, ligne: ligne(`n${i}`, "'x':1") }));
    expect(ix.appliquer(trop, 3)).toBe(false);
    // Refused as a whole: nothing of it applied.
    expect(ix.version).toBe(2);
    expect(ix.lister({}, 0, 10).count).toBe(2);
  });
});
