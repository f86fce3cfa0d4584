import { describe, expect, it } from 'vitest';
import { trigramSimilarity } from './aides.search.js';
import { concepts, normaliser, surligner, Vocabulaire } from './aides.texte.js';

const voc = new Vocabulaire([
  { id: 1, termes: ['logement social', 'LLS', 'HLM'] },
  { id: 2, termes: ['PLUS', 'prêt locatif à usage social'] },
  { id: 3, termes: ['portage foncier', 'portage'] },
]);

describe('query text', () => {
  it('normalises accents, ligatures, apostrophes and punctuation', () => {
    expect(normaliser('Réhabilitation d’un cœur de ville ?')).toBe('rehabilitation d un coeur de ville');
  });

  it('cuts a query into concepts: longest vocabulary expression first, stop words dropped', () => {
    const cs = concepts(normaliser('qui finance le portage foncier de logements sociaux en HLM ?').split(' '), voc);
    expect(cs.map((c) => c.source)).toEqual(['finance', 'portage foncier', 'logements', 'sociaux', 'hlm']);
    const hlm = cs.find((c) => c.source === 'hlm')!;
    expect(hlm.alternatives).toEqual(['hlm', 'logement social', 'lls']);
  });

  it('keeps an acronym that is also a French word when the vocabulary knows it', () => {
    const cs = concepts(['pret', 'plus'], voc);
    expect(cs.map((c) => c.source)).toEqual(['pret', 'plus']);
    expect(cs[1]!.alternatives).toContain('pret locatif a usage social');
  });

  it('escapes HTML in snippets and only adds <mark>', () => {
    expect(surligner('<b>x</b> \u0001PLAI\u0002 & co')).toBe('&lt;b&gt;x&lt;/b&gt; <mark>PLAI</mark> &amp; co');
  });

  it('trigram similarity agrees with pg_trgm on a typo', () => {
    expect(trigramSimilarity('foncie', 'foncier')).toBeCloseTo(0.6667, 3);
    expect(trigramSimilarity('abc', 'xyz')).toBe(0);
  });
});
