import { STATUTS_AIDE, type StatutAide } from '../../../shared/aides/referentiel';

/** Shapes of the aids API answers (server/modules/aides). */
export type Aide = {
  id: string;
  uuid: string;
  slug: string;
  url: string;
  name: string;
  short_title: string | null;
  financers: string[];
  instructors: string[];
  programs: string[];
  aid_types: string[];
  targeted_audiences: string[];
  perimeter: { scale: string; code: string; name: string };
  categories: string[];
  description: string;
  eligibility: string;
  mobilization_steps: string[];
  recurrence: string | null;
  submission_deadline: string | null;
  subvention_rate_lower_bound: number | null;
  subvention_rate_upper_bound: number | null;
  origin_url: string | null;
  application_url: string | null;
  logement_social: { operation_types: string[]; produits: string[]; conditions: string[] } | null;
  confidence: string | null;
  statut: string;
  confirmee_le: string | null;
  date_updated: string;
  /** The aid on aides-territoires when the sync keeps it from there. */
  aides_territoires?: { id: string | null; url: string } | null;
};

export type Resultat = Aide & { score: number; extrait_html: string | null };

export type RechercheReponse = {
  count: number;
  /** False when more aids match than the engine ranks (a very common query): `count` is then a lower bound. */
  page: number;
  limit: number;
  recherche_id: number | null;
  interpretation: { concepts: { source: string; alternatives: string[] }[]; corrections: { de: string; vers: string }[] };
  results: Resultat[];
};

export type MonAide = Aide & { vues: number; clics: number; motif_renvoi: string | null };

/**
 * The catalogue's controlled values come from shared/aides/referentiel.ts (one table for the
 * server, its imports and the UI); only the badge colour of each status is the UI's own.
 */
export { AUDIENCES, audienceLibelle } from '../../../shared/aides/referentiel';
export { TYPES_OPERATION_AIDE as TYPES_OPERATION, PRODUITS_AIDE as PRODUITS, AID_TYPES as TYPES_AIDE } from '../../../shared/aides/referentiel';

const SEVERITE: Record<StatutAide, 'info' | 'success' | 'warning' | 'error' | 'new'> = {
  brouillon: 'info',
  en_revue: 'new',
  publiee: 'success',
  expiree: 'warning',
  retiree: 'error',
};

export const STATUTS: Record<string, { libelle: string; severity: 'info' | 'success' | 'warning' | 'error' | 'new' }> = Object.fromEntries(
  STATUTS_AIDE.map((s) => [s.code, { libelle: s.libelle, severity: SEVERITE[s.code] }]),
);
