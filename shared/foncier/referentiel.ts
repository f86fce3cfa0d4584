/**
 * The land observatory's taxonomies as data: statuses and their allowed transitions, planning tools,
 * current uses, owners, constraints, visibility. The API, the import, the UI and the docs read these
 * tables; nothing else encodes them.
 */
export interface Statut {
  code: string;
  libelle: string;
  /** Statuses reachable from this one. */
  suivants: string[];
  /** Map colour (DSFR illustrative palette). */
  couleur: string;
}

export const STATUTS: Statut[] = [
  { code: 'identifie', libelle: 'Identifié', suivants: ['etudie', 'abandonne'], couleur: '#6a6af4' },
  { code: 'etudie', libelle: 'Étudié', suivants: ['identifie', 'maitrise', 'abandonne'], couleur: '#c3992a' },
  { code: 'maitrise', libelle: 'Maîtrisé', suivants: ['etudie', 'engage', 'abandonne'], couleur: '#009099' },
  { code: 'engage', libelle: 'Engagé dans une opération', suivants: ['maitrise', 'livre', 'abandonne'], couleur: '#a558a0' },
  { code: 'livre', libelle: 'Livré', suivants: [], couleur: '#18753c' },
  { code: 'abandonne', libelle: 'Abandonné', suivants: ['identifie'], couleur: '#7d4e5b' },
];
export const STATUT_CODES = STATUTS.map((s) => s.code) as [string, ...string[]];
export const STATUT_PAR_CODE = new Map(STATUTS.map((s) => [s.code, s]));
export const STATUT_INITIAL = 'identifie';

export function transitionAutorisee(de: string, vers: string): boolean {
  return de === vers || (STATUT_PAR_CODE.get(de)?.suivants.includes(vers) ?? false);
}

/** Planning tools that secure land (code de l'urbanisme). */
export const OUTILS: Record<string, { libelle: string; couleur: string }> = {
  oap: { libelle: 'Orientation d’aménagement et de programmation (OAP)', couleur: '#417dc4' },
  sms: { libelle: 'Secteur de mixité sociale (SMS)', couleur: '#ce614a' },
  er: { libelle: 'Emplacement réservé pour le logement (ER)', couleur: '#fc5d00' },
  zad: { libelle: 'Zone d’aménagement différé (ZAD)', couleur: '#716043' },
  dpu: { libelle: 'Droit de préemption urbain (DPU)', couleur: '#00a95f' },
  zac: { libelle: 'Zone d’aménagement concerté (ZAC)', couleur: '#cd6ee1' },
};
export const OUTIL_CODES = Object.keys(OUTILS) as [string, ...string[]];

export const USAGES: Record<string, string> = {
  friche: 'Friche',
  dent_creuse: 'Dent creuse',
  bureaux: 'Bâti à reconvertir : bureaux',
  locaux_activite: 'Bâti à reconvertir : locaux d’activité',
  foncier_hospitalier: 'Bâti à reconvertir : foncier hospitalier',
  bati_autre: 'Bâti à reconvertir : autre',
  terrain_nu: 'Terrain nu',
  parking: 'Parking',
  autre: 'Autre',
};
export const USAGE_CODES = Object.keys(USAGES) as [string, ...string[]];

export const PROPRIETAIRES: Record<string, string> = {
  commune: 'Commune',
  epci: 'EPCI',
  epf: 'Établissement public foncier',
  bailleur: 'Bailleur social',
  etat: 'État',
  prive: 'Propriétaire privé',
  autre: 'Autre personne publique',
};
export const PROPRIETAIRE_CODES = Object.keys(PROPRIETAIRES) as [string, ...string[]];

export const CONTRAINTES: Record<string, string> = {
  ppri: 'Zone inondable (PPRI)',
  zan: 'Zéro artificialisation nette (ZAN)',
  pollution: 'Pollution des sols',
  patrimoine: 'Protection du patrimoine',
};
export const CONTRAINTE_CODES = Object.keys(CONTRAINTES) as [string, ...string[]];

export const VISIBILITES: Record<string, string> = {
  prive: 'Privé (collectivités, EPF et État)',
  partage: 'Partagé avec les bailleurs',
  public: 'Public',
};
export const VISIBILITE_CODES = Object.keys(VISIBILITES) as [string, ...string[]];

/** Fields the EPF may change (and nothing else). */
export const CHAMPS_PORTAGE = ['epf_convention', 'epf_date_acquisition', 'epf_date_revente_prevue', 'epf_prix'] as const;
