/**
 * The words of the operations register, as data: operation types, housing products, blocker types
 * (taxonomy drawn from the Gard roadmap and the USH Occitanie action plan, ../shared/seeds/).
 */
export const TYPES_OPERATION = {
  construction_neuve: 'Construction neuve en maîtrise d’ouvrage directe',
  vefa: 'VEFA',
  acquisition_amelioration: 'Acquisition-amélioration',
  demolition_reconstruction: 'Démolition-reconstruction',
  residence_specifique: 'Résidence spécifique',
} as const;
export type TypeOperation = keyof typeof TYPES_OPERATION;

/** Housing products; the API names them as the columns (`plai`, `plai_adapte`…). */
export const PRODUITS = {
  plai: 'PLAI',
  plai_adapte: 'PLAI adapté',
  plus: 'PLUS',
  pls: 'PLS',
  psla: 'PSLA',
  brs: 'BRS',
} as const;
export type Produit = keyof typeof PRODUITS;
export const PRODUIT_KEYS = Object.keys(PRODUITS) as Produit[];

/**
 * Blocker types. Sources: seed 000 (recours contre les permis, équilibre financier, foncier et ZAN,
 * PLU, appels d'offres infructueux sous le CCP, réticences des riverains, PPRI) and seed 002.
 */
export const TYPES_BLOCAGE = {
  recours: 'Recours contre le permis',
  financement: 'Financement / équilibre d’opération',
  foncier: 'Foncier',
  urbanisme: 'Urbanisme / PLU',
  appel_offres: 'Appel d’offres infructueux',
  acceptabilite: 'Acceptabilité riveraine',
  reseaux: 'Réseaux',
  risques: 'Risques (PPRI)',
  autre: 'Autre',
} as const;
export type TypeBlocage = keyof typeof TYPES_BLOCAGE;

export const STATUTS_BLOCAGE = {
  ouvert: 'Ouvert',
  en_cours: 'En cours de résolution',
  leve: 'Levé',
} as const;
export type StatutBlocage = keyof typeof STATUTS_BLOCAGE;

/** Kinds of documents attached to an operation. */
export const CATEGORIES_DOCUMENT = {
  permis: 'Permis de construire',
  deliberation: 'Délibération',
  plan_financement: 'Plan de financement',
  agrement: 'Décision d’agrément',
  compte_rendu: 'Compte rendu',
  plan: 'Plan, esquisse, photo',
  concertation: 'Concertation des riverains',
  autre: 'Autre',
} as const;
export type CategorieDocument = keyof typeof CATEGORIES_DOCUMENT;

/** Files accepted as operation documents, by extension; the content's signature is checked too. */
export const FORMATS_DOCUMENT = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
} as const;

/** Largest document accepted, in bytes. */
export const TAILLE_MAX_DOCUMENT = 20 * 1024 * 1024;
