import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { email } from '../../../shared/identifiants.js';
import { SESSION_COOKIE, sessionTokenOf } from '../../lib/auth-hook.js';
import { sha256 } from '../../lib/crypto.js';
import { HttpError } from '../../lib/errors.js';
import { route } from '../../lib/route.js';
import { csrfSchema, loginSchema, meSchema, oidcConfigSchema, redirectionSchema } from '../../../shared/auth/auth.contract.js';
import { vide } from '../../../shared/contract.js';
import { checkPassword, endSession, openPasswordSession } from './auth.service.js';
import { presentMe } from './me.presenter.js';
import { beginOidcLogin, callbackUrl, checkOidcCallback, oidcConfiguration, oidcLogoutUrl, openOidcSession } from './oidc.js';
import { findSession, principalFromSession } from './sessions.repository.js';

const tags = ['Authentification'];

const oidcNonConfigure = () => new HttpError(404, 'oidc_non_configure', 'La connexion ProConnect n’est pas configurée sur cette instance.');

export default async function authRoutes(app: FastifyInstance) {
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

  route(app, {
    method: 'POST', url: '/api/v1/auth/login', tags, summary: 'Connexion par adresse électronique et mot de passe',
    access: 'public', config: { csrf: false },
    body: z.object({ email, password: z.string().min(1, 'Mot de passe requis.').max(1024) }),
    response: { 200: loginSchema },
    // The failed-attempt counters are written before the transaction: a refusal must not undo them.
    prepare: ({ db, body, req }) => checkPassword(db, config, { email: body.email, password: body.password, ip: req.ip }),
    handler: async ({ db, prepared: user, req, reply, requestId }) => {
      const result = await openPasswordSession(db, config, user, requestId);
      setSessionCookie(req, reply, result.token, result.expiresAt);
      const principal = await principalFromSession(db, result.token);
      return { user: await presentMe(db, principal!), csrf_token: result.csrfToken };
    },
  });

  route(app, {
    // Not exempt from CSRF (issue 19): a same-site page must not sign a user out.
    method: 'POST', url: '/api/v1/auth/logout', tags, summary: 'Déconnexion (supprime la session ; en-tête x-csrf-token requis)',
    access: 'public', status: 204, response: { 204: vide },
    // The provider's logout URL (a session opened with OpenID Connect) is asked before the transaction.
    prepare: async ({ db, req }) => {
      const token = sessionTokenOf(req);
      const idToken = token ? (await findSession(db, sha256(token)))?.idToken : undefined;
      return { token, redirect: idToken ? await oidcLogoutUrl(config, idToken).catch(() => undefined) : undefined };
    },
    handler: async ({ db, principal, prepared, reply, requestId }) => {
      const ended = prepared.token ? await endSession(db, sha256(prepared.token), principal, requestId) : false;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      if (ended && prepared.redirect) reply.header('x-logout-redirect', prepared.redirect);
      return undefined;
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/auth/csrf', tags, summary: 'Jeton CSRF de la session (en-tête x-csrf-token)',
    access: 'authentifie', response: { 200: csrfSchema },
    handler: async ({ principal }) => {
      if (principal.via !== 'session') throw new HttpError(400, 'pas_de_session', 'Les jetons d’API n’ont pas besoin de jeton CSRF.');
      return { token: principal.csrfToken! };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/me', tags, summary: 'L’utilisateur connecté, son rôle, son organisation et son périmètre',
    access: 'authentifie', response: { 200: meSchema },
    handler: async ({ db, principal }) => presentMe(db, principal),
  });

  route(app, {
    method: 'GET', url: '/api/v1/auth/oidc/config', tags, summary: 'La connexion ProConnect / OpenID Connect est-elle configurée ?',
    access: 'public', response: { 200: oidcConfigSchema },
    handler: async () => ({ enabled: Boolean(config.oidc) }),
  });

  route(app, {
    method: 'GET', url: '/api/v1/auth/oidc/login', tags, summary: 'Démarre une connexion OpenID Connect (ProConnect)',
    access: 'public', querystring: z.object({ redirect: z.string().max(2000).optional() }), status: 302, response: { 302: redirectionSchema },
    // The provider's configuration is discovered before the transaction that stores the sign-in's state.
    transaction: true,
    prepare: async () => {
      if (!config.oidc) throw oidcNonConfigure();
      return oidcConfiguration(config);
    },
    // The redirection leaves once the state is committed (the pipeline sends the 302 after the transaction).
    handler: async ({ db, prepared, query, reply }) => {
      reply.header('location', await beginOidcLogin(db, config, prepared, query.redirect));
      return undefined;
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/auth/oidc/callback', tags, summary: 'Retour du fournisseur OpenID Connect',
    access: 'public', status: 302, response: { 302: redirectionSchema },
    // The code is exchanged with the provider before the transaction that opens the session.
    transaction: true,
    prepare: async ({ db, req }) => {
      if (!config.oidc) throw oidcNonConfigure();
      // The provider sent the browser to callbackUrl(config); rebuild it with the received parameters
      // (a proxy may have stripped a path prefix from req.url).
      const current = new URL(callbackUrl(config));
      current.search = new URL(req.url, 'http://localhost').search;
      return checkOidcCallback(db, config, current);
    },
    handler: async ({ db, prepared, req, reply, requestId }) => {
      if ('refus' in prepared) {
        if (prepared.refus === 'oidc') req.log.warn({ err: prepared.cause }, 'OIDC sign-in failed');
        reply.header('location', `/connexion?erreur=${prepared.refus}`);
        return undefined;
      }
      const result = await openOidcSession(db, config, prepared.identity, requestId);
      setSessionCookie(req, reply, result.token, result.expiresAt);
      // Sent by the pipeline once the session is committed.
      reply.header('location', result.redirectTo);
      return undefined;
    },
  });
}
