import type { FastifyInstance } from 'fastify';
import { indicateursQuery, indicateursSchema } from '../../../shared/indicateurs/indicateurs.contract.js';
import { route } from '../../lib/route.js';
import { indicateursOperations } from './indicateurs.service.js';

export default async function indicateursRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/v1/indicateurs/operations', tags: ['Indicateurs'],
    summary: 'Indicateurs de la feuille de route (axe 1, solution 7) pour une année, dans le périmètre',
    access: 'operations:read', reader: true, querystring: indicateursQuery, response: { 200: indicateursSchema },
    handler: async ({ db, principal, query }) => indicateursOperations(db, principal, app.config.departements, query.annee, query.epci),
  });
}
