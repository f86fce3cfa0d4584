/**
 * Stages of an operation as data (trackdechets' rules.ts): the stages in order, the fields each
 * requires and locks, and the allowed transitions. The API, the UI timeline and the docs read this
 * table; nothing else encodes the rules.
 */
export const CHAMPS_DATES = [
  'date_foncier_maitrise',
  'date_depot_permis',
  'date_obtention_permis',
  'date_recours',
  'date_agrement',
  'date_appel_offres',
  'date_ordre_service',
  'date_livraison',
  'date_agrement_prevue',
  'date_ordre_service_prevue',
  'date_livraison_prevue',
] as const;

export type ChampOperation =
  | 'nom'
  | 'commune_insee'
  | 'adresse'
  | 'localisation'
  | 'bailleur_id'
  | 'numero_siap'
  | 'type'
  | 'logements'
  | 'annee_programmation'
  | 'cout_total'
  | 'plan_financement'
  | 'motif_abandon'
  | (typeof CHAMPS_DATES)[number];

export interface Etape {
  code: string;
  libelle: string;
  /** Fields that must be filled to be at this stage. */
  requis: ChampOperation[];
  /** Fields that can no longer change once at this stage (the State's agrément fixes the programme). */
  verrouilles: ChampOperation[];
  /** Stages reachable from this one. */
  suivantes: string[];
  /** A final stage (no planned date can make it late). */
  finale?: boolean;
}

const base: ChampOperation[] = ['nom', 'commune_insee', 'bailleur_id', 'type'];
const programme: ChampOperation[] = ['commune_insee', 'bailleur_id', 'type', 'logements', 'annee_programmation', 'date_agrement'];

export const ETAPES: Etape[] = [
  { code: 'projet', libelle: 'Projet identifié', requis: base, verrouilles: [], suivantes: ['foncier_maitrise', 'permis_depose', 'agrement', 'abandonnee'] },
  {
    code: 'foncier_maitrise',
    libelle: 'Foncier maîtrisé',
    requis: [...base, 'date_foncier_maitrise'],
    verrouilles: [],
    suivantes: ['projet', 'permis_depose', 'agrement', 'abandonnee'],
  },
  {
    code: 'permis_depose',
    libelle: 'Permis de construire déposé',
    requis: [...base, 'date_depot_permis'],
    verrouilles: [],
    suivantes: ['foncier_maitrise', 'permis_obtenu', 'agrement', 'abandonnee'],
  },
  {
    code: 'permis_obtenu',
    libelle: 'Permis de construire obtenu',
    requis: [...base, 'date_obtention_permis'],
    verrouilles: [],
    suivantes: ['permis_depose', 'agrement', 'abandonnee'],
  },
  {
    code: 'agrement',
    libelle: 'Agrément obtenu',
    requis: [...base, 'date_agrement', 'logements', 'annee_programmation'],
    verrouilles: programme,
    suivantes: ['appel_offres', 'travaux', 'abandonnee'],
  },
  {
    code: 'appel_offres',
    libelle: 'Appel d’offres travaux',
    requis: [...base, 'date_agrement', 'logements', 'date_appel_offres'],
    verrouilles: programme,
    suivantes: ['travaux', 'abandonnee'],
  },
  {
    code: 'travaux',
    libelle: 'Travaux (ordre de service)',
    requis: [...base, 'date_agrement', 'logements', 'date_ordre_service'],
    verrouilles: programme,
    suivantes: ['livree', 'abandonnee'],
  },
  {
    code: 'livree',
    libelle: 'Livrée',
    requis: [...base, 'date_agrement', 'logements', 'date_ordre_service', 'date_livraison'],
    verrouilles: [...programme, 'date_ordre_service', 'date_livraison', 'nom', 'numero_siap'],
    suivantes: [],
    finale: true,
  },
  {
    code: 'abandonnee',
    libelle: 'Abandonnée',
    requis: [...base, 'motif_abandon'],
    verrouilles: [],
    suivantes: ['projet'],
    finale: true,
  },
];

export const ETAPE_CODES = ETAPES.map((e) => e.code) as [string, ...string[]];
export const ETAPE_PAR_CODE = new Map(ETAPES.map((e) => [e.code, e]));

export function etape(code: string): Etape {
  const e = ETAPE_PAR_CODE.get(code);
  if (!e) throw new Error(`Étape inconnue : ${code}`);
  return e;
}

export function transitionAutorisee(de: string, vers: string): boolean {
  return de === vers || etape(de).suivantes.includes(vers);
}

/** Stages counted as "reached agrément" for the roadmap indicator. */
export const ETAPES_APRES_AGREMENT = ['agrement', 'appel_offres', 'travaux', 'livree'];
