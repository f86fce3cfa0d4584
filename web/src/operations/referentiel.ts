import type { Etape, Operation, Referentiel } from '../api';
import { useApi, type Invalidation } from '../useApi';

/** The rules of the register as data (stages, types, products), fetched once (reference data). */
export function useReferentiel() {
  return useApi<Referentiel>('/api/v1/operations/referentiel')[0];
}

/** French names of the operation's fields that stage rules may require. */
export const LIBELLES_CHAMPS: Record<string, string> = {
  date_foncier_maitrise: 'Date de maîtrise du foncier',
  date_depot_permis: 'Date de dépôt du permis de construire',
  date_obtention_permis: 'Date d’obtention du permis de construire',
  date_recours: 'Date du recours',
  date_agrement: 'Date d’agrément',
  date_appel_offres: 'Date de l’appel d’offres',
  date_ordre_service: 'Date de l’ordre de service',
  date_livraison: 'Date de livraison',
  date_agrement_prevue: 'Date d’agrément prévue',
  date_ordre_service_prevue: 'Date d’ordre de service prévue',
  date_livraison_prevue: 'Date de livraison prévue',
  annee_programmation: 'Année de programmation',
  motif_abandon: 'Motif d’abandon',
};

/** The value of one of the operation's date fields (`date_agrement`…). */
export function dateOf(operation: Operation, field: string): string | null {
  return (operation as unknown as Record<string, string | null | undefined>)[field] ?? null;
}

/** The date that marks reaching a stage: the last date its rules require (none for "projet"). */
export function dateEtape(etape: Etape): string | undefined {
  return [...etape.requis].reverse().find((c) => c.startsWith('date_'));
}

export function libelleEtape(referentiel: Referentiel | undefined, code: string): string {
  return referentiel?.etapes.find((e) => e.code === code)?.libelle ?? code;
}

/** Query string of the register's filters, shared by the list, its pages and its exports. */
export const FILTRES = ['epci', 'commune', 'etape', 'en_difficulte', 'annee', 'q'] as const;

export function filtersQuery(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of FILTRES) {
    const value = params.get(key);
    if (value) out.set(key, value);
  }
  return out;
}

/**
 * What a write on an operation changes beyond its own sheet: the register's lists and exports,
 * the review agendas (stage, blockers), the land observatory (the linked gisement) and the
 * indicators. Active queries refetch at once, the others on their next use.
 */
export const INVALIDE_OPERATION: Invalidation[] = ['/api/v1/operations', '/api/v1/revues', '/api/v1/foncier', '/api/v1/indicateurs'];
