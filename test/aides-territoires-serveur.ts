/**
 * The local server that speaks the aides-territoires API contract (tests only, and the bench): it
 * lives in bench/lib/aides-territoires-serveur.mjs, plain JavaScript so that the bench (run by Node
 * on the built server) starts the same one. See that file and docs/decisions/0017.
 */
export { aideAt, demarrerAidesTerritoires, GARD, HERAULT } from '../bench/lib/aides-territoires-serveur.mjs';
export type { AideServie, Panne, ServeurAidesTerritoires } from '../bench/lib/aides-territoires-serveur.mjs';
