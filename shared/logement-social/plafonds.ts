/**
 * Income ceilings (plafonds de ressources) of social housing, as data per year, each year with the
 * arrêté that set it. Amounts are annual revenu fiscal de référence in euros, by household category
 * 1–6 plus an amount per additional person, in the three geographic columns of the arrêté du
 * 29 juillet 1987 (annexe I for PLUS, annexe II for PLAI). Sources: docs/decisions/0013.
 *
 * - PLUS: annexe I as amended every year (values as consolidated on Légifrance; every year is
 *   carried by OpenFisca France's parameters `logement_social/plu`, which cite the same texts; 2024
 *   was also checked against Légifrance's consolidated annexe I, LEGIARTI000048667288).
 * - PLS: article 1 of the same arrêté: the PLUS ceilings "majorés de 30 %" for dwellings financed
 *   with the loans of article R. 331-17 CCH. Computed, rounded to the nearest euro (service-public's
 *   sheet F869 publishes 32 715 € for 25 165 × 1.3 = 32 714.5 in 2023: half rounds up).
 * - PLAI: annexe II. No official source for 2023–2026 was found among the stored sources, so the
 *   values are absent (`null`) and shown as "not available", never guessed. Add them with their
 *   source when confirmed.
 */

export const ZONES = ['paris_communes_limitrophes', 'ile_de_france', 'autres_regions'] as const;
export type Zone = (typeof ZONES)[number];

export const ZONE_LIBELLES: Record<Zone, string> = {
  paris_communes_limitrophes: 'Paris et communes limitrophes',
  ile_de_france: 'Île-de-France hors Paris et communes limitrophes',
  autres_regions: 'Autres régions',
};

export const PRODUITS = ['PLAI', 'PLUS', 'PLS'] as const;
export type Produit = (typeof PRODUITS)[number];

export const PRODUIT_LIBELLES: Record<Produit, string> = {
  PLAI: 'PLAI — logements très sociaux (prêt locatif aidé d’intégration)',
  PLUS: 'PLUS — logements HLM « classiques » (prêt locatif à usage social)',
  PLS: 'PLS — logements intermédiaires (prêt locatif social)',
};

/** One column of an annex: categories 1 to 6, then the amount per additional person. */
export interface Colonne {
  categories: readonly [number, number, number, number, number, number];
  parPersonneSupplementaire: number;
}

export type Bareme = Record<Zone, Colonne>;

export interface Texte {
  /** Title of the amending arrêté. */
  titre: string;
  /** Date of the arrêté (ISO). */
  date: string;
  /** Journal officiel reference, when known. */
  jorf: string | null;
  /** Légifrance address of the amending text or of the consolidated annex. */
  url: string;
}

export interface PlafondsAnnuels {
  annee: number;
  /** In force from 1 January of the year. */
  texte: Texte;
  /** Consolidated annexe I on Légifrance at that date. */
  annexeUrl: string;
  PLUS: Bareme;
  /** `null`: no official source found; never shown as figures. */
  PLAI: Bareme | null;
}

const col = (c: Colonne['categories'], sup: number): Colonne => ({ categories: c, parPersonneSupplementaire: sup });

/** The base text every year amends. */
export const ARRETE_1987 = {
  titre:
    'Arrêté du 29 juillet 1987 relatif aux plafonds de ressources des bénéficiaires de la législation sur les habitations à loyer modéré et des nouvelles aides de l’État en secteur locatif',
  url: 'https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000294318',
} as const;

export const PLAFONDS: readonly PlafondsAnnuels[] = [
  {
    annee: 2023,
    texte: {
      titre: 'Arrêté du 27 décembre 2022 modifiant l’arrêté du 29 juillet 1987 relatif aux plafonds de ressources',
      date: '2022-12-27',
      jorf: null,
      url: 'https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000046850762',
    },
    annexeUrl: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000046905006/2023-01-01/',
    PLUS: {
      paris_communes_limitrophes: col([25165, 37611, 49303, 58865, 70036, 78809], 8782),
      ile_de_france: col([25165, 37611, 45210, 54154, 64108, 72142], 8038),
      autres_regions: col([21878, 29217, 35135, 42417, 49898, 56236], 6273),
    },
    PLAI: null,
  },
  {
    annee: 2024,
    texte: {
      titre: 'Arrêté du 18 décembre 2023 modifiant l’arrêté du 29 juillet 1987 relatif aux plafonds de ressources',
      date: '2023-12-18',
      jorf: null,
      url: 'https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048658284',
    },
    annexeUrl: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000048667288/2024-01-01/',
    PLUS: {
      paris_communes_limitrophes: col([26044, 38925, 51025, 60921, 72482, 81562], 9089),
      ile_de_france: col([26044, 38925, 46789, 56046, 66347, 74662], 8319),
      autres_regions: col([22642, 30238, 36362, 43899, 51641, 58200], 6492),
    },
    PLAI: null,
  },
  {
    annee: 2025,
    texte: {
      titre: 'Arrêté du 23 décembre 2024 modifiant l’arrêté du 29 juillet 1987 relatif aux plafonds de ressources',
      date: '2024-12-23',
      jorf: null,
      url: 'https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000050865366/2025-01-01',
    },
    annexeUrl: 'https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000050865366/2025-01-01',
    PLUS: {
      paris_communes_limitrophes: col([26687, 39885, 52284, 62424, 74271, 83575], 9313),
      ile_de_france: col([26687, 39885, 47944, 57429, 67984, 76504], 8524),
      autres_regions: col([23201, 30984, 37259, 44982, 52915, 59636], 6652),
    },
    PLAI: null,
  },
  {
    annee: 2026,
    texte: {
      titre: 'Arrêté du 19 décembre 2025 modifiant l’arrêté du 29 juillet 1987 relatif aux plafonds de ressources',
      date: '2025-12-19',
      jorf: 'JORF n° 0301 du 24 décembre 2025, NOR : VLOL2534266A',
      url: 'https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000053307202/2026-01-01',
    },
    annexeUrl: 'https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000053307202/2026-01-01',
    PLUS: {
      paris_communes_limitrophes: col([26920, 40233, 52740, 62968, 74919, 84304], 9394),
      ile_de_france: col([26920, 40233, 48362, 57930, 68577, 77171], 8598),
      autres_regions: col([23403, 31254, 37584, 45374, 53376, 60156], 6710),
    },
    PLAI: null,
  },
];

/** Article 1 of the arrêté du 29 juillet 1987: PLS ceilings are PLUS ceilings raised by 30 %. */
export const MAJORATION_PLS = 1.3;

export const ANNEES = PLAFONDS.map((p) => p.annee);

export function findPlafonds(annee: number): PlafondsAnnuels | undefined {
  return PLAFONDS.find((p) => p.annee === annee);
}

/**
 * The ceiling of one column for a household: its category's amount, plus one amount per person
 * beyond the sixth category step (`rang` above 6).
 */
export function montant(colonne: Colonne, rang: number): number {
  const categorie = Math.min(Math.max(rang, 1), 6);
  return colonne.categories[categorie - 1]! + Math.max(0, rang - 6) * colonne.parPersonneSupplementaire;
}

/** PLS = PLUS × 1.3, to the nearest euro (half up). */
export const majorerPls = (plus: number) => Math.round(plus * MAJORATION_PLS);

/**
 * The PLS column derived from the PLUS one, cell by cell (each category and the per-person amount
 * rounded on its own, as service-public publishes them).
 */
export function colonnePls(plus: Colonne): Colonne {
  return {
    categories: plus.categories.map(majorerPls) as unknown as Colonne['categories'],
    parPersonneSupplementaire: majorerPls(plus.parPersonneSupplementaire),
  };
}
