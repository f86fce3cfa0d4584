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

export const AUDIENCES: { slug: string; libelle: string }[] = [
  { slug: 'social-landlord', libelle: 'Bailleurs sociaux' },
  { slug: 'commune', libelle: 'Communes' },
  { slug: 'epci', libelle: 'EPCI' },
  { slug: 'department', libelle: 'Départements' },
  { slug: 'region', libelle: 'Régions' },
  { slug: 'public-org', libelle: 'Établissements publics' },
  { slug: 'association', libelle: 'Associations' },
  { slug: 'private-sector', libelle: 'Entreprises privées' },
  { slug: 'private-person', libelle: 'Particuliers' },
  { slug: 'farmer', libelle: 'Agriculteurs' },
];
export const audienceLibelle = (slug: string) => AUDIENCES.find((a) => a.slug === slug)?.libelle ?? slug;
export const TYPES_OPERATION = ['construction neuve', 'VEFA', 'acquisition-amélioration', 'réhabilitation', 'démolition', 'foncier', 'ingénierie', 'résidence spécifique'];
export const PRODUITS = ['PLAI', 'PLAI adapté', 'PLUS', 'PLS', 'PSLA', 'BRS'];
export const TYPES_AIDE = ['Subvention', 'Prêt', 'Avance récupérable', 'Garantie', 'Ingénierie technique', 'Ingénierie financière', 'Autre aide financière'];
export const STATUTS: Record<string, { libelle: string; severity: 'info' | 'success' | 'warning' | 'error' | 'new' }> = {
  brouillon: { libelle: 'Brouillon', severity: 'info' },
  en_revue: { libelle: 'En revue', severity: 'new' },
  publiee: { libelle: 'Publiée', severity: 'success' },
  expiree: { libelle: 'Expirée', severity: 'warning' },
};
