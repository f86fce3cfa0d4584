import cog from '@etalab/decoupage-administratif/data/departements.json';
import regionsCog from '@etalab/decoupage-administratif/data/regions.json';
import type { Departement } from './api';
import { useApi } from './useApi';
import { useSession } from './session';

/** A département this instance serves (`GET /api/v1/departements`). */
export type { Departement };

/**
 * The COG's "type de liaison" (TNCC) of each département: which article its name takes.
 * The API does not carry it; it comes from the same official file the server loads
 * (`@etalab/decoupage-administratif`), so no département is named in the UI's code.
 */
const LIAISON = new Map((cog as { code: string; typeLiaison: number }[]).map((d) => [d.code, d.typeLiaison]));

const REGIONS = new Map((regionsCog as { code: string; nom: string }[]).map((r) => [r.code, r.nom]));

/** The name of a region from its COG code ("76" gives "Occitanie"). */
export function nomRegion(code: string): string {
  return REGIONS.get(code) ?? code;
}

/** "du Gard", "de l’Hérault", "de la Lozère", "des Bouches-du-Rhône", "de Paris". */
export function duDepartement(d: Pick<Departement, 'code' | 'nom'>): string {
  switch (LIAISON.get(d.code)) {
    case 1:
      return `d’${d.nom}`;
    case 2:
      return `du ${d.nom}`;
    case 3:
      return `de la ${d.nom}`;
    case 4:
    case 6:
      return `des ${d.nom}`;
    case 5:
      return `de l’${d.nom}`;
    default:
      return `de ${d.nom}`;
  }
}

/** "du Gard", "du Gard et de l’Hérault", "du Gard, de l’Hérault et de la Lozère". */
function joinFr(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} et ${parts[parts.length - 1]}`;
}

export type Territoire = {
  /** False until `/api/v1/departements` answered (the texts are then neutral). */
  ready: boolean;
  /** The départements the instance serves. */
  departements: Departement[];
  /**
   * The départements the user works on: their own when their scope is one département, else
   * every département served.
   */
  perimetre: Departement[];
  /** "Gard", "Gard, Hérault": for a tagline. */
  noms: string;
  /** "du Gard", "du Gard et de l’Hérault", or "du département" while loading. */
  du: string;
  /** `departement=30` for the reference-data queries when the user works on one département, else ''. */
  query: string;
};

/**
 * The territory the pages speak of: the départements the instance serves (from the API, cached
 * for the page's life), narrowed to the user's own département when their scope is one.
 */
export function useTerritoire(): Territoire {
  const { me } = useSession();
  const [state] = useApi<{ results: Departement[] }>('/api/v1/departements');
  const departements = state.status === 'ready' ? state.data.results : [];
  const own = me?.scope.type === 'departement' && me.scope.code ? me.scope.code : null;
  const perimetre = own ? departements.filter((d) => d.code === own) : departements;
  const ready = perimetre.length > 0;
  return {
    ready,
    departements,
    perimetre,
    noms: perimetre.map((d) => d.nom).join(', '),
    du: ready ? joinFr(perimetre.map(duDepartement)) : 'du département',
    query: own ? `departement=${encodeURIComponent(own)}` : '',
  };
}
