import type { FastifyInstance } from 'fastify';
import { vide } from '../../../shared/contract.js';
import { tokenCreateSchema, tokenCreeSchema, tokenIdParams, tokensSchema } from '../../../shared/tokens/token.contract.js';
import { forbidden } from '../../lib/errors.js';
import { route } from '../../lib/route.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

const tags = ['Jetons d’API'];

export default async function tokensRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/v1/tokens', tags, summary: 'Mes jetons d’API personnels',
    access: 'tokens:own', response: { 200: tokensSchema },
    handler: async ({ db, principal }) => ({ results: await listTokens(db, principal.userId) }),
  });

  route(app, {
    method: 'POST', url: '/api/v1/tokens', tags,
    summary: 'Créer un jeton (sa valeur n’est montrée qu’une fois ; depuis une session, pas avec un jeton ; 90 jours par défaut, 365 au plus)',
    access: 'tokens:own', body: tokenCreateSchema, status: 201, response: { 201: tokenCreeSchema },
    handler: async ({ db, actor, principal, body, requestId }) => {
      // A token minting tokens would keep a leaked token alive for ever (issue 19).
      if (principal.via !== 'session') throw forbidden('Un jeton d’API ne peut pas créer d’autre jeton : créez-le depuis une session (connexion à Atelier, page « Mon compte »).');
      return createToken(db, actor, principal.userId, body.nom, body.expires_in_days, requestId);
    },
  });

  route(app, {
    method: 'DELETE', url: '/api/v1/tokens/:id', tags, summary: 'Révoquer un de mes jetons',
    access: 'tokens:own', params: tokenIdParams, status: 204, response: { 204: vide },
    handler: async ({ db, actor, principal, params, requestId }) => {
      await revokeToken(db, actor, principal.userId, params.id, requestId);
      return undefined;
    },
  });
}
