/**
 * The attributions module's vocabularies and status rules as data (issue 14): typologies, products
 * and réservataires of a dwelling, the status table of a vacated dwelling, the attendance values.
 */
export const TYPOLOGIES = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6'] as const;
export type Typologie = (typeof TYPOLOGIES)[number];

/** Financing products of a dwelling in the existing stock. */
export const PRODUITS_LOGEMENT = ['PLAI', 'PLUS', 'PLS', 'PLI', 'PLA', 'HLMO', 'PSLA', 'autre'] as const;

/** Who holds the right to propose candidates for a dwelling (contingents de réservation). */
export const RESERVATAIRES = {
  etat: 'État (contingent préfectoral)',
  commune: 'Commune',
  epci: 'EPCI',
  departement: 'Département',
  action_logement: 'Action Logement',
  bailleur: 'Bailleur (non réservé)',
  autre: 'Autre réservataire',
} as const;
export type Reservataire = keyof typeof RESERVATAIRES;
export const RESERVATAIRE_CODES = Object.keys(RESERVATAIRES) as [Reservataire, ...Reservataire[]];

/** Statuses of a vacated dwelling and the allowed transitions (the attribution itself is the date only). */
export const STATUTS_LOGEMENT_LIBERE = {
  declare: { libelle: 'Déclaré', suivants: ['propose_caleol'] },
  propose_caleol: { libelle: 'Proposé en CALEOL', suivants: ['attribue', 'declare'] },
  attribue: { libelle: 'Attribué', suivants: [] },
} as const satisfies Record<string, { libelle: string; suivants: readonly string[] }>;
export type StatutLogementLibere = keyof typeof STATUTS_LOGEMENT_LIBERE;
export const STATUT_CODES = Object.keys(STATUTS_LOGEMENT_LIBERE) as [StatutLogementLibere, ...StatutLogementLibere[]];

export function transitionPermise(de: StatutLogementLibere, vers: StatutLogementLibere): boolean {
  return (STATUTS_LOGEMENT_LIBERE[de].suivants as readonly string[]).includes(vers);
}

/** Who attended a CALEOL sitting for a commune. */
export const PRESENCES = { elu: 'Un élu', referent: 'Le référent de la commune', absent: 'Personne' } as const;
export type Presence = keyof typeof PRESENCES;
