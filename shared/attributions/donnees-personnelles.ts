/**
 * The privacy rule of the attributions module (issue 14, « Privacy rule, absolute »): Atelier never
 * holds data about applicants or tenants — names, birth dates, incomes, household composition, SNE
 * numbers (numéro unique), NIR. Allocation decisions stay in the SNE and in the landlords' systems.
 * A form, body or file that carries such a field is refused as a whole (RGPD, art. 5-1-c:
 * minimisation; art. 9 and the NIR decree for the most sensitive), and nothing of its value is kept.
 *
 * The check is on field names (a body's keys, a file's headers), shared by the server and the UI.
 */

/** Normalises a field name: lower case, no accents, separators as `_`. */
export function normaliserChamp(nom: string): string {
  return nom
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Field names that are personal data of a person, whatever the record (normalised). */
const EXACTS = new Set([
  'nom', 'prenom', 'prenoms', 'nom_famille', 'nom_de_famille', 'nom_usage', 'nom_d_usage', 'nom_naissance', 'nom_de_naissance',
  'civilite', 'sexe', 'genre', 'date_naissance', 'date_de_naissance', 'naissance', 'ne_le', 'nee_le', 'lieu_naissance', 'lieu_de_naissance', 'age',
  'nationalite', 'situation_familiale', 'situation_matrimoniale', 'composition_familiale', 'composition_du_foyer', 'composition_foyer',
  'nb_enfants', 'nombre_enfants', 'enfants', 'personnes_a_charge', 'taille_menage', 'menage', 'foyer',
  'revenu', 'revenus', 'revenu_fiscal', 'revenu_fiscal_de_reference', 'rfr', 'ressources', 'salaire', 'quotient_familial', 'allocations', 'apl',
  'numero_unique', 'numero_unique_departemental', 'numero_unique_regional', 'nud', 'nur', 'numero_sne', 'num_sne', 'sne', 'numero_demande', 'n_demande',
  'nir', 'numero_securite_sociale', 'num_secu', 'securite_sociale', 'nss', 'insee_personne', 'numero_allocataire', 'caf',
  'telephone', 'tel', 'portable', 'email', 'courriel', 'mail', 'adresse_mail',
  'demandeur', 'candidat', 'locataire', 'ancien_locataire', 'occupant', 'beneficiaire', 'attributaire', 'titulaire_bail',
  'handicap', 'sante', 'situation_handicap', 'motif_demande', 'priorite_dalo', 'dalo',
]);

/** Prefixes or parts that name a person's data in compound names (`nom_demandeur`, `revenu_2025`…). */
const MOTIFS = [
  /^(nom|prenom)_(du_|de_la_|de_l_)?(demandeur|candidat|locataire|occupant|titulaire|beneficiaire|attributaire|conjoint|co_titulaire)/,
  /(^|_)prenoms?(_|$)/,
  /(^|_)naissance(_|$)/,
  /^revenus?(_|$)/,
  /(^|_)(numero|num|no|n)_unique(_|$)/,
  /(^|_)nir(_|$)/,
  /(^|_)(demandeur|candidat|locataire|occupant|conjoint)s?(_|$)/,
];

/** Whether a field name designates personal data of an applicant or tenant. */
export function estDonneePersonnelle(nom: string): boolean {
  const n = normaliserChamp(nom);
  return n !== '' && (EXACTS.has(n) || MOTIFS.some((m) => m.test(n)));
}

/** The personal-data field names found in a body (keys at any depth, as written), without their values. */
export function champsPersonnels(valeur: unknown, chemin = ''): string[] {
  if (valeur === null || typeof valeur !== 'object') return [];
  if (Array.isArray(valeur)) return valeur.flatMap((v, i) => champsPersonnels(v, `${chemin}[${i}]`));
  return Object.entries(valeur as Record<string, unknown>).flatMap(([k, v]) => {
    const ici = chemin ? `${chemin}.${k}` : k;
    return [...(estDonneePersonnelle(k) ? [ici] : []), ...champsPersonnels(v, ici)];
  });
}

/** The French refusal: which fields, and why (never their values). */
export function messageDonneesPersonnelles(champs: string[], ou = 'La requête'): string {
  const liste = champs.map((c) => `« ${c} »`).join(', ');
  return (
    `${ou} contient ${champs.length > 1 ? 'des champs' : 'un champ'} de données personnelles (${liste}) : refusé, rien n’a été enregistré. ` +
    'Atelier ne conserve aucune donnée sur les demandeurs ou les locataires (nom, date de naissance, revenus, composition du foyer, ' +
    'numéro unique, NIR…) : les décisions d’attribution restent dans le SNE et les outils des bailleurs (RGPD, principe de minimisation). ' +
    'Retirez ces champs : seuls les logements et des nombres sont partagés.'
  );
}
