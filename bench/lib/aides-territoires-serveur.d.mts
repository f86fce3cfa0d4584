// Types of aides-territoires-serveur.mjs (the local server speaking the aides-territoires API contract, tests and bench).
import type { AideAt, PerimetreAt } from '../../server/modules/aides/aides-territoires.client.js';

/** An upstream aid and, for the server only, where and for whom it is listed. */
export interface AideServie {
  aide: AideAt;
  /** Numeric ids of the département perimeters it is listed for. */
  perimetres: number[];
  /** Audience slugs (organization_type_slugs) it targets. */
  publics: string[];
}

export interface Panne {
  chemin: string;
  /** Page concerned (1 by default). */
  page?: number;
  /** Answer this status… */
  statut?: number;
  /** …or answer only after this delay (ms). */
  delaiMs?: number;
  /** How many requests it hits (then the page answers normally). */
  fois: number;
}

export interface ServeurAidesTerritoires {
  url: string;
  cle: string;
  aides: AideServie[];
  perimetres: PerimetreAt[];
  pannes: Panne[];
  /** Every request received: method, path, page, status answered. */
  journal: { methode: string; chemin: string; page: number; statut: number }[];
  close(): Promise<void>;
}

export function demarrerAidesTerritoires(opts?: { cle?: string }): Promise<ServeurAidesTerritoires>;
export const GARD: number;
export const HERAULT: number;
/** An upstream aid as `/api/aids/` serialises it (AidController::getResultsSpe), listed for the Gard. */
export function aideAt(n?: Partial<AideAt> & { nom?: string }, servie?: Partial<Omit<AideServie, 'aide'>>): AideServie;
