import type {
  aideSchema,
  campagneSchema,
  correspondanceSchema,
  eligibiliteOperationSchema,
  eligibiliteSchema,
  groupeVocabulaireSchema,
  importAidesSchema,
  mesAidesSchema,
  rechercheAidesSchema,
  statistiquesSchema,
} from '../../../shared/aides/aide.contract';
import { STATUTS_AIDE, type StatutAide } from '../../../shared/aides/referentiel';
import type { Reponse } from '../../../shared/contract';

/** Types of the aids API answers, from its contracts (shared/aides/aide.contract.ts). */
export type Aide = Reponse<typeof aideSchema>;
export type RechercheReponse = Reponse<typeof rechercheAidesSchema>;
/** A search result: an aid with its score and highlighted snippet. */
export type Resultat = RechercheReponse['results'][number];
export type MonAide = Reponse<typeof mesAidesSchema>['results'][number];
export type Campagne = Reponse<typeof campagneSchema>['results'][number];
export type Statistiques = Reponse<typeof statistiquesSchema>;
export type Correspondance = Reponse<typeof correspondanceSchema>;
export type Correspondances = Reponse<typeof eligibiliteSchema>;
export type CorrespondancesOperation = Reponse<typeof eligibiliteOperationSchema>;
export type GroupeVocabulaire = Reponse<typeof groupeVocabulaireSchema>;
export type ImportAides = Reponse<typeof importAidesSchema>;

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
