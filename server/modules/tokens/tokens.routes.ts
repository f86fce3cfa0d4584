import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JETON_DUREE_DEFAUT_JOURS, JETON_DUREE_MAX_JOURS } from '../../../shared/jetons.js';
import { forbidden } from '../../lib/errors.js';
import { requirePermission } from '../../lib/principal.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

const tags = ['Jetons d’API'];

const joursInvalides = `expires_in_days : nombre entier de jours entre 1 et ${JETON_DUREE_MAX_JOURS} attendu.`;

const jetonCreationSchema = z.object({
  /** A name to recognise the token by, e.g. « Tableau de bord SIG ». */
  nom: z.string().trim().min(1, 'Nom du jeton requis.').max(100),
  /** Days until the token expires (90 by default, 365 at most). */
  expires_in_days: z
    .number(joursInvalides)
    .int(joursInvalides)
    .min(1, joursInvalides)
    .max(JETON_DUREE_MAX_JOURS, `expires_in_days : ${JETON_DUREE_MAX_JOURS} jours au plus.`)
    .default(JETON_DUREE_DEFAUT_JOURS),
});

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
        summary: 'Créer un jeton (sa valeur n’est montrée qu’une fois ; depuis une session, pas avec un jeton ; 90 jours par défaut, 365 au plus)',
        body: jetonCreationSchema,
      },
    },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'tokens:own');
      // A token minting tokens would keep a leaked token alive for ever (issue 19).
      if (p.via !== 'session') throw forbidden('Un jeton d’API ne peut pas créer d’autre jeton : créez-le depuis une session (connexion à Atelier, page « Mon compte »).');
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
