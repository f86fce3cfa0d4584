import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/principal.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

const tags = ['Jetons d’API'];

export default async function tokensRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database } = app;

  app.get('/api/v1/tokens', { schema: { tags, summary: 'Mes jetons d’API personnels' } }, async (req) => {
    const p = requirePermission(req.principal, 'tokens:own');
    return { results: await listTokens(database.db, p.userId) };
  });

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags,
        summary: 'Créer un jeton (sa valeur n’est montrée qu’une fois)',
        body: z.object({
          nom: z.string().trim().min(1, 'Nom du jeton requis.').max(100),
          expires_in_days: z.number().int().min(1).max(3650).optional(),
        }),
      },
    },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'tokens:own');
      const created = await createToken(database.db, { kind: 'user', principal: p }, p.userId, req.body.nom, req.body.expires_in_days, req.id);
      return reply.status(201).send(created);
    },
  );

  app.delete('/api/v1/tokens/:id', { schema: { tags, summary: 'Révoquer un de mes jetons', params: z.object({ id: z.uuid('Identifiant invalide.') }) } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'tokens:own');
    await revokeToken(database.db, { kind: 'user', principal: p }, p.userId, req.params.id, req.id);
    return reply.status(204).send();
  });
}
