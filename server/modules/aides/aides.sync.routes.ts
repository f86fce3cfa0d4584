/**
 * The aides-territoires sync for the DDTM and the administrators: its state (configured or not,
 * last runs, counts, error) and a run on demand. The scheduled runs: aides.sync.jobs.ts.
 */
import type { FastifyInstance } from 'fastify';
import { erreurSchema } from '../../../shared/contract.js';
import { etatSynchronisationSchema, lancerSynchronisationSchema, synchronisationSchema } from '../../../shared/aides/synchronisation.contract.js';
import { conflict } from '../../lib/errors.js';
import { route } from '../../lib/route.js';
import { etatSynchronisation, synchroniserAides } from './aides.sync.js';

const tags = ['Aides'];

export default async function aidesSyncRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/v1/aides/synchronisation', tags,
    summary: 'État de la synchronisation avec aides-territoires : configurée ou non, dernières exécutions, compteurs, erreur',
    access: 'aides:import', response: { 200: etatSynchronisationSchema },
    handler: async ({ db, config }) => etatSynchronisation(db, config),
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/synchronisation', tags,
    summary: 'Lancer une synchronisation avec aides-territoires maintenant (la réponse est l’exécution, réussie ou échouée avec son erreur)',
    access: 'aides:import', body: lancerSynchronisationSchema, response: { 200: synchronisationSchema, 409: erreurSchema },
    // The run opens its own transactions (claim, then the write with its record).
    transaction: false,
    handler: async ({ config, actor, principal, body, requestId }) => {
      if (!config.aidesTerritoires.apiKey) {
        throw conflict('Synchronisation avec aides-territoires non configurée : renseignez AIDES_TERRITOIRES_API_KEY (clé d’API d’un compte aides-territoires).');
      }
      const run = await synchroniserAides(app.database.db, config, { actor, declencheur: principal.email, complete: body.complete, requestId });
      if (!run) throw conflict('Une synchronisation avec aides-territoires est déjà en cours : attendez sa fin.');
      return run;
    },
  });
}
