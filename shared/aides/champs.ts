/**
 * The fields of an aid, once (see shared/champs.ts): the label and help the financer's form, the
 * aid's sheet and the import's error table show. Keys are the aides-territoires field names (the
 * mirror keeps the upstream names, docs/GLOSSAIRE.md), `logement_social.*` Atelier's structured
 * eligibility. The import reads JSON, so its « column » is the field's path, the key itself.
 */
import type { Champ } from '../champs.js';

export const CHAMPS_AIDE = {
  name: { libelle: 'Nom de l’aide' },
  short_title: { libelle: 'Titre court' },
  description: { libelle: 'Description' },
  eligibility: { libelle: 'Conditions d’éligibilité' },
  financers: { libelle: 'Financeurs' },
  instructors: { libelle: 'Instructeurs' },
  programs: { libelle: 'Programmes' },
  aid_types: { libelle: 'Types d’aide' },
  targeted_audiences: { libelle: 'Publics visés' },
  perimeter: { libelle: 'Territoire', aide: 'Le territoire où l’aide s’applique' },
  categories: { libelle: 'Catégories' },
  mobilization_steps: { libelle: 'Étapes du projet', aide: 'Les étapes où l’aide peut être mobilisée' },
  recurrence: { libelle: 'Récurrence' },
  submission_deadline: { libelle: 'Date limite de dépôt', aide: 'Facultative' },
  subvention_rate_lower_bound: { libelle: 'Taux de subvention minimal', unite: '%' },
  subvention_rate_upper_bound: { libelle: 'Taux de subvention maximal', unite: '%' },
  loan_amount: { libelle: 'Montant du prêt', unite: '€' },
  origin_url: { libelle: 'Page d’origine de l’aide' },
  application_url: { libelle: 'Dépôt de la demande' },
  'logement_social.operation_types': { libelle: 'Opérations éligibles' },
  'logement_social.produits': { libelle: 'Produits éligibles' },
  'logement_social.conditions': { libelle: 'Conditions vérifiées par Atelier' },
  slug: { libelle: 'Identifiant (slug)', aide: 'Clé de mise à jour à l’import' },
} as const satisfies Record<string, Champ>;

export type CleChampAide = keyof typeof CHAMPS_AIDE;

/**
 * The label of the field an import error names: its path (`targeted_audiences.0`,
 * `logement_social.produits.1`) without the item numbers; undefined for an unknown field.
 */
export function libelleChampAide(chemin: string): string | undefined {
  const cle = chemin.split('.').filter((p) => !/^\d+$/.test(p)).join('.');
  return (CHAMPS_AIDE as Record<string, Champ>)[cle]?.libelle;
}
