import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { siren } from '../../../shared/identifiants.js';
import { requirePermission } from '../../lib/principal.js';
import { indicateursOperations } from './indicateurs.service.js';

export default async function indicateursRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/indicateurs/operations',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Indicateurs de la feuille de route (axe 1, solution 7) pour une année, dans le périmètre',
        querystring: z.object({ annee: z.coerce.number().int().min(2000).max(2100), epci: siren.optional() }),
      },
    },
    async (req) => {
      const p = requirePermission(req.principal, 'operations:read');
      return indicateursOperations(app.database.reader, p, app.config.departements, req.query.annee, req.query.epci);
    },
  );
}
