/**
 * Household categories: every case article 2 of the arrêté du 29 juillet 1987 lists (as worded by
 * service-public F869), "jeune ménage", disability, and each additional person.
 */
import { describe, expect, it } from 'vitest';
import { categorieMenage, validateMenage, type Menage } from './categorie.js';
import { zoneDeCommune } from './zone.js';

const m = (personnes: number, personnesACharge = 0, extra: Partial<Menage> = {}): Menage => ({ personnes, personnesACharge, handicap: false, jeuneMenage: false, ...extra });
const cat = (x: Menage) => categorieMenage(x).categorie;

describe('household category', () => {
  it('1: one person alone', () => {
    expect(cat(m(1))).toBe(1);
    expect(categorieMenage(m(1)).motif).toBe('une personne seule');
  });

  it('2: two persons without dependants, except jeunes ménages; or one person alone with a disability', () => {
    expect(cat(m(2))).toBe(2);
    expect(cat(m(1, 0, { handicap: true }))).toBe(2);
    expect(categorieMenage(m(1, 0, { handicap: true })).motif).toBe('une personne seule en situation de handicap');
  });

  it('3: three persons; one person alone with one dependant; a jeune ménage without dependants; two persons, one with a disability', () => {
    expect(cat(m(3))).toBe(3);
    expect(cat(m(3, 1))).toBe(3); // a couple and a child
    expect(cat(m(2, 1))).toBe(3);
    expect(categorieMenage(m(2, 1)).motif).toBe('une personne seule avec une personne à charge');
    expect(cat(m(2, 0, { jeuneMenage: true }))).toBe(3);
    expect(categorieMenage(m(2, 0, { jeuneMenage: true })).motif).toMatch(/^un jeune ménage sans personne à charge/);
    expect(cat(m(2, 0, { handicap: true }))).toBe(3);
  });

  it('4: four persons; one person alone with two dependants; three persons, one with a disability', () => {
    expect(cat(m(4, 2))).toBe(4);
    expect(cat(m(3, 2))).toBe(4);
    expect(cat(m(3, 0, { handicap: true }))).toBe(4);
    expect(cat(m(3, 1, { handicap: true }))).toBe(4);
  });

  it('5: five persons; one person alone with three dependants; four persons, one with a disability', () => {
    expect(cat(m(5, 3))).toBe(5);
    expect(cat(m(4, 3))).toBe(5);
    expect(cat(m(4, 2, { handicap: true }))).toBe(5);
  });

  it('6: six persons; one person alone with four dependants; five persons, one with a disability', () => {
    expect(cat(m(6, 4))).toBe(6);
    expect(cat(m(5, 4))).toBe(6);
    expect(cat(m(5, 3, { handicap: true }))).toBe(6);
    expect(categorieMenage(m(6, 4)).personnesSupplementaires).toBe(0);
  });

  it('each person beyond category 6 is one additional person', () => {
    expect(categorieMenage(m(7, 5))).toMatchObject({ categorie: 6, personnesSupplementaires: 1, rang: 7 });
    expect(categorieMenage(m(9, 7))).toMatchObject({ categorie: 6, personnesSupplementaires: 3 });
    // One person alone with five dependants: the category-6 step plus one.
    expect(categorieMenage(m(6, 5))).toMatchObject({ categorie: 6, personnesSupplementaires: 1 });
    // Six persons, one with a disability: one step more.
    expect(categorieMenage(m(6, 4, { handicap: true }))).toMatchObject({ categorie: 6, personnesSupplementaires: 1 });
  });

  it('the rules are alternatives, not added up: a disability and a single parent give one step', () => {
    expect(cat(m(2, 1, { handicap: true }))).toBe(3);
    expect(cat(m(2, 0, { handicap: true, jeuneMenage: true }))).toBe(3);
  });

  it('"jeune ménage" only concerns a couple without dependants: elsewhere it changes nothing and says so', () => {
    const r = categorieMenage(m(3, 1, { jeuneMenage: true }));
    expect(r.categorie).toBe(3);
    expect(r.remarques).toEqual([expect.stringMatching(/ne concerne que les couples sans personne à charge/)]);
    expect(categorieMenage(m(1, 0, { jeuneMenage: true })).categorie).toBe(1);
  });

  it('refuses impossible households with the field and the value', () => {
    expect(validateMenage({ personnes: 0, personnesACharge: 0 })).toEqual([expect.stringMatching(/^Nombre de personnes « 0 »/)]);
    expect(validateMenage({ personnes: 2, personnesACharge: 2 })).toEqual([expect.stringMatching(/^Personnes à charge « 2 ».*au plus 1 personne\(s\) à charge/)]);
    expect(validateMenage({ personnes: 3, personnesACharge: 2 })).toEqual([]);
  });
});

describe('zone of a commune', () => {
  it('Paris, its arrondissements and the 29 communes limitrophes', () => {
    expect(zoneDeCommune('75056')).toBe('paris_communes_limitrophes');
    expect(zoneDeCommune('75113')).toBe('paris_communes_limitrophes');
    expect(zoneDeCommune('92012')).toBe('paris_communes_limitrophes'); // Boulogne-Billancourt
    expect(zoneDeCommune('93066')).toBe('paris_communes_limitrophes'); // Saint-Denis
    expect(zoneDeCommune('94052')).toBe('paris_communes_limitrophes'); // Nogent-sur-Marne
  });

  it('the rest of Île-de-France', () => {
    expect(zoneDeCommune('92002')).toBe('ile_de_france'); // Antony
    expect(zoneDeCommune('93008')).toBe('ile_de_france'); // Bobigny
    for (const d of ['77', '78', '91', '95']) expect(zoneDeCommune(`${d}001`)).toBe('ile_de_france');
  });

  it('every other commune, Corsica included', () => {
    expect(zoneDeCommune('30189')).toBe('autres_regions');
    expect(zoneDeCommune('2A004')).toBe('autres_regions');
    expect(zoneDeCommune('97411')).toBe('autres_regions');
  });
});
