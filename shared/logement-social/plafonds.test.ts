/**
 * Every year's table: its shape, its texts, and a cross-check of each figure against the annual
 * revaluation the arrêtés apply (the IRL of the third quarter: +3.49 % for 2024, +2.47 % for 2025,
 * +0.87 % for 2026), so a mistyped figure fails. Spot values are those printed in the texts.
 */
import { describe, expect, it } from 'vitest';
import { ANNEES, colonnePls, majorerPls, montant, PLAFONDS, findPlafonds, ZONES, type Colonne } from './plafonds.js';

const cellules = (c: Colonne) => [...c.categories, c.parPersonneSupplementaire];

describe('ceilings as data', () => {
  it('covers 2023 to 2026, in order, each year with its arrêté on Légifrance', () => {
    expect(ANNEES).toEqual([2023, 2024, 2025, 2026]);
    for (const p of PLAFONDS) {
      expect(p.texte.url).toMatch(/^https:\/\/www\.legifrance\.gouv\.fr\//);
      expect(p.annexeUrl).toMatch(/^https:\/\/www\.legifrance\.gouv\.fr\//);
      expect(p.texte.titre).toMatch(/^Arrêté du .* modifiant l’arrêté du 29 juillet 1987/);
      expect(Number(p.texte.date.slice(0, 4))).toBe(p.annee - 1);
    }
    expect(findPlafonds(2022)).toBeUndefined();
  });

  it.each(PLAFONDS.map((p) => [p.annee, p] as const))('%i: every PLUS column rises with the category; IDF equals Paris for categories 1 and 2', (_annee, p) => {
    for (const z of ZONES) {
      const c = p.PLUS[z].categories;
      for (let i = 1; i < 6; i++) expect(c[i]).toBeGreaterThan(c[i - 1]!);
      expect(p.PLUS[z].parPersonneSupplementaire).toBeGreaterThan(0);
      for (const v of cellules(p.PLUS[z])) expect(Number.isInteger(v)).toBe(true);
    }
    expect(p.PLUS.ile_de_france.categories.slice(0, 2)).toEqual(p.PLUS.paris_communes_limitrophes.categories.slice(0, 2));
    for (let i = 2; i < 6; i++) expect(p.PLUS.ile_de_france.categories[i]).toBeLessThan(p.PLUS.paris_communes_limitrophes.categories[i]!);
    for (let i = 0; i < 6; i++) expect(p.PLUS.autres_regions.categories[i]).toBeLessThan(p.PLUS.ile_de_france.categories[i]!);
  });

  it.each([
    [2024, 1.0349],
    [2025, 1.0247],
    [2026, 1.0087],
  ])('%i: every figure is the previous year’s revalued (to ±0.02 %)', (annee, taux) => {
    const avant = findPlafonds(annee - 1)!;
    const apres = findPlafonds(annee)!;
    for (const z of ZONES) {
      const a = cellules(avant.PLUS[z]);
      const b = cellules(apres.PLUS[z]);
      b.forEach((v, i) => expect(Math.abs(v / a[i]! - taux), `${annee} ${z} cellule ${i + 1}: ${v} / ${a[i]}`).toBeLessThan(0.0002));
    }
  });

  it('spot values printed in the texts', () => {
    // Légifrance, annexe I in force on 1 January 2024 (LEGIARTI000048667288).
    expect(findPlafonds(2024)!.PLUS.autres_regions).toEqual({ categories: [22642, 30238, 36362, 43899, 51641, 58200], parPersonneSupplementaire: 6492 });
    expect(findPlafonds(2024)!.PLUS.paris_communes_limitrophes.categories[0]).toBe(26044);
    expect(findPlafonds(2026)!.PLUS.autres_regions.categories[0]).toBe(23403);
    expect(findPlafonds(2026)!.PLUS.paris_communes_limitrophes.categories[5]).toBe(84304);
  });

  it('PLAI figures are absent rather than guessed (no official source loaded)', () => {
    for (const p of PLAFONDS) expect(p.PLAI).toBeNull();
  });

  it('PLS is PLUS + 30 %, each published cell rounded to the euro, half up', () => {
    // service-public F869 (2023): 32 715 € for one person in Paris, 11 417 € per additional person.
    const pls = colonnePls(findPlafonds(2023)!.PLUS.paris_communes_limitrophes);
    expect(pls.categories[0]).toBe(32715);
    expect(pls.parPersonneSupplementaire).toBe(11417);
    expect(majorerPls(10)).toBe(13);
  });

  it('beyond category 6, each person adds the per-person amount', () => {
    const c = findPlafonds(2026)!.PLUS.autres_regions;
    expect(montant(c, 1)).toBe(23403);
    expect(montant(c, 6)).toBe(60156);
    expect(montant(c, 7)).toBe(60156 + 6710);
    expect(montant(c, 9)).toBe(60156 + 3 * 6710);
  });
});
