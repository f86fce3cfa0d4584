import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORGANISATION_TYPES } from '../../../shared/roles.js';
import { requirePermission } from '../../lib/principal.js';
import { createOrganisation, getOrganisation, listOrganisations, organisationCreateSchema } from './organisations.service.js';

const tags = ['Organisations'];

export default async function organisationsRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app;

  app.get('/api/v1/organisations', { schema: { tags, summary: 'Organisations du département', querystring: z.object({ type: z.enum(ORGANISATION_TYPES).optional() }) } }, async (req) => {
    const p = requirePermission(req.principal, 'organisations:read');
    const results = await listOrganisations(database.db, p, req.query.type);
    return { count: results.length, results };
  });

  app.get('/api/v1/organisations/:id', { schema: { tags, summary: 'Une organisation', params: z.object({ id: z.uuid('Identifiant invalide.') }) } }, async (req) => {
    const p = requirePermission(req.principal, 'organisations:read');
    return getOrganisation(database.db, p, req.params.id);
  });

  app.post('/api/v1/organisations', { schema: { tags, summary: 'Créer une organisation', body: organisationCreateSchema } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'organisations:manage');
    return reply.status(201).send(await createOrganisation(database.db, { kind: 'user', principal: p }, config.departements, req.body, { requestId: req.id }));
  });
}
