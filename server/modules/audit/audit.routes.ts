import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditLog } from '../../../db/schema.js';
import { requirePermission } from '../../lib/principal.js';
import { auditPolicy } from './audit.policy.js';

const tags = ['Journal'];

export default async function auditRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags,
        summary: 'Journal des modifications (administrateurs ; agents de l’État pour leur département)',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: z.coerce.number().int().positive().optional().describe('Pagination : identifiant en deçà duquel lire'),
          entity_type: z.string().max(50).optional(),
          entity_id: z.string().max(100).optional(),
        }),
      },
    },
    async (req) => {
      const p = requirePermission(req.principal, 'audit:read');
      const q = req.query;
      const where: SQL[] = [auditPolicy.where('read', p, app.config.departements)];
      if (q.before) where.push(lt(auditLog.id, q.before));
      if (q.entity_type) where.push(eq(auditLog.entityType, q.entity_type));
      if (q.entity_id) where.push(eq(auditLog.entityId, q.entity_id));
      const r = await app.database.db
        .select()
        .from(auditLog)
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(q.limit + 1);
      const page = r.slice(0, q.limit);
      return {
        results: page.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          actor_user_id: e.actorUserId,
          actor_label: e.actorLabel,
          action: e.action,
          entity_type: e.entityType,
          entity_id: e.entityId,
          departement: e.departement,
          before: e.before,
          after: e.after,
          request_id: e.requestId,
        })),
        next_before: r.length > q.limit ? page[page.length - 1]!.id : null,
      };
    },
  );
}
