import type { FastifyInstance } from 'fastify';
import { auditPageSchema, auditQuery } from '../../../shared/audit/audit.contract.js';
import { route } from '../../lib/route.js';
import { listAudit } from './audit.repository.js';

export default async function auditRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/v1/audit', tags: ['Journal'],
    summary: 'Journal des modifications (administrateurs ; agents de l’État pour leur département)',
    access: 'audit:read', querystring: auditQuery, response: { 200: auditPageSchema },
    handler: async ({ db, principal, query }) => listAudit(db, principal, app.config.departements, query),
  });
}
