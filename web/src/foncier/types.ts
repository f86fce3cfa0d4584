import type { Reponse } from '../../../shared/contract';
import type { GisementReponse, importGisementsSchema, proprietesCarteSchema, syntheseSchema } from '../../../shared/foncier/foncier.contract';

/** Types of the land observatory's API answers, from its contracts (shared/foncier/foncier.contract.ts). */
export type Gisement = GisementReponse;
/** The properties of a gisement on the map. */
export type GisementProps = Reponse<typeof proprietesCarteSchema>;
export type Synthese = Reponse<typeof syntheseSchema>;
export type LigneSynthese = Synthese['total'];
export type Agregat = LigneSynthese['par_statut'][string];
export type ImportResultFoncier = Reponse<typeof importGisementsSchema>;

/**
 * What a write on a gisement changes: the map, the sheets, the synthesis of the observatory, and
 * the sheet of the operation it is linked to.
 */
export const INVALIDE_GISEMENT = ['/api/v1/foncier', '/api/v1/operations', '/api/v1/indicateurs'];
