// The catalogue's French audience labels to aides-territoires slugs (same table as shared/aides/referentiel.ts,
// kept in plain JS for the baselines which read the raw catalogue).
const MAP = {
  Communes: 'commune', EPCI: 'epci', Départements: 'department', Régions: 'region', 'Bailleurs sociaux': 'social-landlord',
  'Établissements publics': 'public-org', Associations: 'association', 'Entreprises privées': 'private-sector',
  Particuliers: 'private-person', Agriculteurs: 'farmer',
};
export const audienceSlugOf = (label) => MAP[label] ?? label;
