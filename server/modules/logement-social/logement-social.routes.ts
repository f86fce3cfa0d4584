/**
 * Public routes of issue 15: the eligibility API, the server-rendered page of a commune, its embed
 * view and the embed's two scripts. All anonymous (public information). The embed routes take the
 * security headers server/app.ts gives them (framing allowed); every other route keeps
 * `frame-ancestors 'none'`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyHelmetRouteOptions } from '@fastify/helmet';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { codeInsee } from '../../../shared/identifiants.js';
import { eligibiliteQuery, eligibiliteReponse } from '../../../shared/logement-social/eligibilite.js';
import { esc, pageHtml } from './logement-social.html.js';
import { renderPage } from './logement-social.page.js';
import { SCRIPT_HAUTEUR, SCRIPT_PARENT } from './logement-social.scripts.js';
import { eligibilite, loadPageCommune } from './logement-social.service.js';

export interface LogementSocialOptions {
  /** Security headers of the embed routes (framing allowed), decided in server/app.ts. */
  embedHelmet: NonNullable<FastifyHelmetRouteOptions['helmet']>;
  /** Headers of the script that host sites load from this origin. */
  scriptHelmet: NonNullable<FastifyHelmetRouteOptions['helmet']>;
}

const tags = ['Logement social (public)'];
const erreurFrance = z.object({ error: z.string(), message: z.string() });

export default async function logementSocialRoutes(appBase: FastifyInstance, opts: LogementSocialOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database } = app;

  app.get(
    '/api/v1/public/eligibilite',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Simulateur d’éligibilité au logement social : catégorie de ménage, plafonds PLAI, PLUS et PLS de l’année et de la zone de la commune',
        description:
          'Plafonds de l’arrêté du 29 juillet 1987 modifié, par année (revenu fiscal de référence N-2). Un revenu égal au plafond est éligible. Un plafond sans source officielle chargée vaut null.',
        querystring: eligibiliteQuery,
        response: { 200: eligibiliteReponse, 400: erreurFrance, 404: erreurFrance },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return eligibilite(database.reader, req.query);
    },
  );

  async function page(req: FastifyRequest, reply: FastifyReply, embed: boolean) {
    const demande = (req.params as { code: string }).code;
    const code = codeInsee.safeParse(demande);
    const p = code.success ? await loadPageCommune(database.reader, code.data, req.query as Record<string, unknown>) : undefined;
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    if (!p) {
      return reply.status(404).send(
        pageHtml({
          titre: 'Commune introuvable — Atelier',
          embed,
          tagline: 'Le logement social',
          corps: `<h1>Commune introuvable</h1><p>Le code « ${esc(demande)} » ne correspond à aucune commune de cette plateforme. Vérifiez le code INSEE de la commune (5 caractères, par exemple 30189 pour Nîmes).</p>`,
        }),
      );
    }
    return reply.send(renderPage(p, { embed, origine: `${req.protocol}://${req.host}` }));
  }

  const params = z.object({ code: z.string().max(20) });
  app.get('/logement-social/:code', { schema: { hide: true, params } }, (req, reply) => page(req, reply, false));
  app.get('/embed/logement-social/:code', { schema: { hide: true, params }, helmet: opts.embedHelmet }, (req, reply) => page(req, reply, true));

  const script = (source: string) => (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(source);
  app.get('/embed/logement-social-hauteur.js', { schema: { hide: true }, helmet: opts.embedHelmet }, script(SCRIPT_HAUTEUR));
  app.get('/embed/logement-social.js', { schema: { hide: true }, helmet: opts.scriptHelmet }, script(SCRIPT_PARENT));
}
