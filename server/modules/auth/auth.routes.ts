import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessions } from '../../../db/schema.js';
import { email } from '../../../shared/identifiants.js';
import { SESSION_COOKIE, sessionTokenOf } from '../../lib/auth-hook.js';
import { recordAudit } from '../../lib/audit.js';
import { sha256 } from '../../lib/crypto.js';
import { HttpError } from '../../lib/errors.js';
import { csrfSchema, loginSchema, meSchema, oidcConfigSchema, redirectionSchema } from '../../../shared/auth/auth.contract.js';
import { vide } from '../../../shared/contract.js';
import { requireUser } from '../../lib/principal.js';
import { loginWithPassword } from './auth.service.js';
import { presentMe } from './me.presenter.js';
import { beginOidcLogin, callbackUrl, finishOidcLogin, OidcUnknownAccountError, oidcLogoutUrl } from './oidc.js';
import { principalFromSession } from './sessions.repository.js';

const tags = ['Authentification'];

export default async function authRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { config } = app;

  function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date) {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: req.protocol === 'https',
      signed: true,
      expires: expiresAt,
    });
  }

  app.post(
    '/api/v1/auth/login',
    {
      config: { csrf: false, access: 'public' },
      schema: {
        tags,
        summary: 'Connexion par adresse électronique et mot de passe',
        response: { 200: loginSchema },
        body: z.object({ email, password: z.string().min(1, 'Mot de passe requis.').max(1024) }),
      },
    },
    async (req, reply) => {
      const result = await loginWithPassword(app.database.db, config, {
        email: req.body.email,
        password: req.body.password,
        ip: req.ip,
        requestId: req.id,
      });
      setSessionCookie(req, reply, result.token, result.expiresAt);
      const principal = await principalFromSession(app.database.db, result.token);
      return { user: await presentMe(app.database.db, principal!), csrf_token: result.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    // Not exempt from CSRF (issue 19): a same-site page must not sign a user out.
    { config: { access: 'public' }, schema: { tags, summary: 'Déconnexion (supprime la session ; en-tête x-csrf-token requis)', response: { 204: vide } } },
    async (req, reply) => {
      const token = sessionTokenOf(req);
      let redirect: string | undefined;
      if (token) {
        const [deleted] = await app.database.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token))).returning();
        if (deleted?.idToken) redirect = await oidcLogoutUrl(config, deleted.idToken).catch(() => undefined);
        if (deleted && req.principal) {
          await recordAudit(
            app.database.db,
            { kind: 'user', principal: req.principal },
            { action: 'deconnexion', entityType: 'user', entityId: deleted.userId },
            req.id,
          );
        }
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      if (redirect) reply.header('x-logout-redirect', redirect);
      return reply.status(204).send();
    },
  );

  app.get('/api/v1/auth/csrf', { config: { access: 'authentifie' }, schema: { tags, summary: 'Jeton CSRF de la session (en-tête x-csrf-token)', response: { 200: csrfSchema } } }, async (req) => {
    const p = requireUser(req.principal);
    if (p.via !== 'session') throw new HttpError(400, 'pas_de_session', 'Les jetons d’API n’ont pas besoin de jeton CSRF.');
    return { token: p.csrfToken! };
  });

  app.get('/api/v1/me', { config: { access: 'authentifie' }, schema: { tags, summary: 'L’utilisateur connecté, son rôle, son organisation et son périmètre', response: { 200: meSchema } } }, async (req) =>
    presentMe(app.database.db, requireUser(req.principal)),
  );

  app.get('/api/v1/auth/oidc/config', { config: { access: 'public' }, schema: { tags, summary: 'La connexion ProConnect / OpenID Connect est-elle configurée ?', response: { 200: oidcConfigSchema } } }, async () => ({
    enabled: Boolean(config.oidc),
  }));

  app.get(
    '/api/v1/auth/oidc/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Démarre une connexion OpenID Connect (ProConnect)',
        response: { 302: redirectionSchema },
        querystring: z.object({ redirect: z.string().max(2000).optional() }),
      },
    },
    async (req, reply) => {
      if (!config.oidc) throw new HttpError(404, 'oidc_non_configure', 'La connexion ProConnect n’est pas configurée sur cette instance.');
      return reply.redirect(await beginOidcLogin(app.database.db, config, req.query.redirect));
    },
  );

  app.get('/api/v1/auth/oidc/callback', { config: { access: 'public' }, schema: { tags, summary: 'Retour du fournisseur OpenID Connect', response: { 302: redirectionSchema } } }, async (req, reply) => {
    if (!config.oidc) throw new HttpError(404, 'oidc_non_configure', 'La connexion ProConnect n’est pas configurée sur cette instance.');
    try {
      // The provider sent the browser to callbackUrl(config); rebuild it with the received parameters
      // (a proxy may have stripped a path prefix from req.url).
      const current = new URL(callbackUrl(config));
      current.search = new URL(req.url, 'http://localhost').search;
      const result = await finishOidcLogin(app.database.db, config, current, req.id);
      setSessionCookie(req, reply, result.token, result.expiresAt);
      return reply.redirect(result.redirectTo);
    } catch (err) {
      if (err instanceof OidcUnknownAccountError) return reply.redirect('/connexion?erreur=compte-inconnu');
      req.log.warn({ err }, 'OIDC sign-in failed');
      return reply.redirect('/connexion?erreur=oidc');
    }
  });
}
