import type { FastifyInstance } from 'fastify';
import { fondsCarteSchema } from '../../../shared/carte/fonds.js';
import { route } from '../../lib/route.js';

/** The basemaps configured on this platform (config MAP_FONDS / MAP_TILES_URL; shared/carte/fonds.ts). */
export default async function carteRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/v1/carte/fonds', tags: ['Référentiel'],
    summary: 'Fonds de carte et couches superposables configurés (aucun : la carte montre les seuls contours)',
    access: 'public', response: { 200: fondsCarteSchema },
    handler: async () => ({ fonds: app.config.fondsCarte }),
  });
}
