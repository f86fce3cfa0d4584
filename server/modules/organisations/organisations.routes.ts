import type { FastifyInstance } from 'fastify';
import {
  organisationCreateSchema,
  organisationIdParams,
  organisationSchema,
  organisationsQuery,
  organisationsSchema,
} from '../../../shared/organisations/organisation.contract.js';
import { route } from '../../lib/route.js';
import { createOrganisation, getOrganisation, listOrganisations } from './organisations.service.js';

const tags = ['Organisations'];

export default async function organisationsRoutes(app: FastifyInstance) {
  const { config } = app;

  route(app, {
    method: 'GET', url: '/api/v1/organisations', tags, summary: 'Organisations du département',
    access: 'organisations:read', querystring: organisationsQuery, response: { 200: organisationsSchema },
    handler: async ({ db, principal, query }) => {
      const results = await listOrganisations(db, principal, query.type);
      return { count: results.length, results };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/organisations/:id', tags, summary: 'Une organisation',
    access: 'organisations:read', params: organisationIdParams, response: { 200: organisationSchema },
    handler: async ({ db, principal, params }) => getOrganisation(db, principal, params.id),
  });

  route(app, {
    method: 'POST', url: '/api/v1/organisations', tags, summary: 'Créer une organisation',
    access: 'organisations:manage', body: organisationCreateSchema, status: 201, response: { 201: organisationSchema },
    handler: async ({ db, actor, body, requestId }) => createOrganisation(db, actor, config.departements, body, { requestId }),
  });
}
