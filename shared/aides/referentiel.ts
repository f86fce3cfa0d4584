/**
 * The aids catalogue's controlled values, shared by server and UI: audiences (aides-territoires
 * slugs and the catalogue's French labels), structured social-housing eligibility, statuses.
 */
export const AUDIENCES = [
  { slug: 'commune', libelle: 'Communes' },
  { slug: 'epci', libelle: 'EPCI' },
  { slug: 'department', libelle: 'Départements' },
  { slug: 'region', libelle: 'Régions' },
  { slug: 'social-landlord', libelle: 'Bailleurs sociaux' },
  { slug: 'public-org', libelle: 'Établissements publics' },
  { slug: 'association', libelle: 'Associations' },
  { slug: 'private-sector', libelle: 'Entreprises privées' },
  { slug: 'private-person', libelle: 'Particuliers' },
  { slug: 'farmer', libelle: 'Agriculteurs' },
] as const;
export type AudienceSlug = (typeof AUDIENCES)[number]['slug'];
export const AUDIENCE_SLUGS = AUDIENCES.map((a) => a.slug) as [AudienceSlug, ...AudienceSlug[]];

const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
const BY_LABEL = new Map<string, AudienceSlug>(AUDIENCES.flatMap((a) => [[norm(a.libelle), a.slug], [norm(a.slug), a.slug]]));
// Singular forms and a few labels aides-territoires uses.
for (const [k, v] of [
  ['commune', 'commune'], ['departement', 'department'], ['region', 'region'], ['bailleur social', 'social-landlord'],
  ['etablissement public', 'public-org'], ['association', 'association'], ['entreprise privee', 'private-sector'],
  ['entreprises', 'private-sector'], ['particulier', 'private-person'], ['agriculteur', 'farmer'], ['intercommunalites', 'epci'],
  ['intercommunalite', 'epci'], ['etablissements publics (ecoles, bibliotheques…) / services de l\'etat', 'public-org'],
] as const) BY_LABEL.set(k, v);

/** A catalogue label or an aides-territoires slug to our slug; undefined when unknown. */
export function audienceSlug(label: string): AudienceSlug | undefined {
  return BY_LABEL.get(norm(label));
}
export const audienceLibelle = (slug: string) => AUDIENCES.find((a) => a.slug === slug)?.libelle ?? slug;

export const TYPES_OPERATION_AIDE = [
  'construction neuve', 'VEFA', 'acquisition-amélioration', 'réhabilitation', 'démolition', 'foncier', 'ingénierie', 'résidence spécifique',
] as const;
export const PRODUITS_AIDE = ['PLAI', 'PLAI adapté', 'PLUS', 'PLS', 'PSLA', 'BRS'] as const;
export const CONDITIONS_TERRITORIALES = [
  { code: 'sru', libelle: 'Commune soumise à la loi SRU' },
  { code: 'carencee', libelle: 'Commune carencée' },
  { code: 'qpv', libelle: 'Quartier prioritaire (QPV)' },
  { code: 'zone_abc', libelle: 'Zonage A/B/C ou 1/2/3 (zones tendues)' },
  { code: 'centre_ancien', libelle: 'Centre ancien' },
  { code: 'pvd', libelle: 'Petites Villes de Demain' },
  { code: 'acv', libelle: 'Action Cœur de Ville' },
] as const;
export const CONDITION_CODES = CONDITIONS_TERRITORIALES.map((c) => c.code) as [string, ...string[]];

export const AID_TYPES = ['Subvention', 'Prêt', 'Avance récupérable', 'Garantie', 'Ingénierie technique', 'Ingénierie financière', 'Autre aide financière'] as const;

export const STATUTS_AIDE = [
  { code: 'brouillon', libelle: 'Brouillon' },
  { code: 'en_revue', libelle: 'En revue (DDTM)' },
  { code: 'publiee', libelle: 'Publiée' },
  { code: 'expiree', libelle: 'Expirée' },
  /** No longer listed by aides-territoires (the sync): out of the search, its sheet kept for the DDTM. */
  { code: 'retiree', libelle: 'Retirée d’aides-territoires' },
] as const;
export type StatutAide = (typeof STATUTS_AIDE)[number]['code'];

export const PERIMETER_SCALES = ['Pays', 'Région', 'Département', 'EPCI', 'Commune'] as const;
