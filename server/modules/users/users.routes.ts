import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { userSchema, usersSchema } from '../../../shared/users/user.contract.js';
import { route } from '../../lib/route.js';
import { userCreateSchema, userUpdateSchema } from './users.schema.js';
import { createUser, getUser, listUsers, loadVisible, updateUser } from './users.service.js';

const tags = ['Comptes'];
const idParams = z.object({ id: z.uuid('Identifiant invalide.') });

export default async function usersRoutes(app: FastifyInstance) {
  const { config } = app;

  route(app, {
    method: 'GET', url: '/api/v1/users', tags, summary: 'Comptes du périmètre',
    access: 'users:read', response: { 200: usersSchema },
    handler: async ({ db, principal }) => {
      const results = await listUsers(db, principal);
      return { count: results.length, results };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/users/:id', tags, summary: 'Un compte',
    access: 'users:read', params: idParams, response: { 200: userSchema },
    load: ({ db, principal, params }) => loadVisible(db, principal, params.id),
    handler: async ({ db, record }) => getUser(db, record),
  });

  route(app, {
    method: 'POST', url: '/api/v1/users', tags, summary: 'Créer un compte',
    access: 'users:manage', body: userCreateSchema, status: 201, response: { 201: userSchema },
    handler: async ({ db, actor, body, requestId }) => createUser(db, actor, config.departements, body, { requestId }),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/users/:id', tags, summary: 'Modifier un compte (rôle, périmètre, activation)',
    access: 'users:manage', params: idParams, body: userUpdateSchema, response: { 200: userSchema },
    load: ({ db, principal, params }) => loadVisible(db, principal, params.id),
    handler: async ({ db, principal, record, body, requestId }) => updateUser(db, principal, config.departements, record, body, requestId),
  });
}
