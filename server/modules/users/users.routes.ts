import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userSchema, usersSchema } from '../../../shared/users/user.contract.js';
import { requirePermission } from '../../lib/principal.js';
import { userCreateSchema, userUpdateSchema } from './users.schema.js';
import { createUser, getUser, listUsers, updateUser } from './users.service.js';

const tags = ['Comptes'];
const idParams = z.object({ id: z.uuid('Identifiant invalide.') });

export default async function usersRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app;

  app.get('/api/v1/users', { config: { access: 'users:read' }, schema: { tags, summary: 'Comptes du périmètre', response: { 200: usersSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'users:read');
    const results = await listUsers(database.db, p);
    return { count: results.length, results };
  });

  app.get('/api/v1/users/:id', { config: { access: 'users:read' }, schema: { tags, summary: 'Un compte', params: idParams, response: { 200: userSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'users:read');
    return getUser(database.db, p, req.params.id);
  });

  app.post('/api/v1/users', { config: { access: 'users:manage' }, schema: { tags, summary: 'Créer un compte', body: userCreateSchema, response: { 201: userSchema } } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'users:manage');
    const created = await createUser(database.db, { kind: 'user', principal: p }, config.departements, req.body, { requestId: req.id });
    return reply.status(201).send(created);
  });

  app.patch('/api/v1/users/:id', { config: { access: 'users:manage' }, schema: { tags, summary: 'Modifier un compte (rôle, périmètre, activation)', params: idParams, body: userUpdateSchema, response: { 200: userSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'users:manage');
    return updateUser(database.db, p, config.departements, req.params.id, req.body, req.id);
  });
}
