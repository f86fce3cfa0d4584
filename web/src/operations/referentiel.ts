import { CHAMPS_DATES } from '../../../shared/operations/etapes';
import type { Etape, Operation, Referentiel } from '../api';
import { useApi, type Invalidation } from '../useApi';

/** The rules of the register as data (stages, types, products), fetched once (reference data). */
export function useReferentiel() {
  return useApi<Referentiel>('/api/v1/operations/referentiel')[0];
}

/**
 * The fields a stage rule may require that the stage form asks for (the others — name, commune,
 * landlord, type, dwellings — are the declaration's); their labels are in the field dictionary
 * (shared/operations/champs.ts).
 */
export const CHAMPS_ETAPE: readonly string[] = [...CHAMPS_DATES, 'annee_programmation', 'motif_abandon'];

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
