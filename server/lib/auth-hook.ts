/**
 * Authenticates every request (Bearer API token or session cookie) and enforces CSRF on
 * cookie-authenticated writes. It never authorises: routes and services do.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { principalFromApiToken, principalFromSession } from '../modules/auth/sessions.repository.js';
import { safeEqual } from './crypto.js';
import { HttpError, unauthorized } from './errors.js';

export const SESSION_COOKIE = 'atelier_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionTokenOf(req: FastifyRequest): string | undefined {
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = req.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

export default fp(async function authHook(app: FastifyInstance) {
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', async (req) => {
    const authorization = req.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const principal = match ? await principalFromApiToken(app.database.db, match[1]!) : undefined;
      // A wrong token is an error, not an anonymous request: the caller must know.
      if (!principal) throw unauthorized('Jeton d’accès invalide, expiré ou révoqué.');
      req.principal = principal;
      return;
    }
    const token = sessionTokenOf(req);
    if (token) req.principal = await principalFromSession(app.database.db, token);
  });

  app.addHook('preHandler', async (req) => {
    if (SAFE_METHODS.has(req.method) || req.principal?.via !== 'session') return;
    if (req.routeOptions.config.csrf === false) return;
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, req.principal.csrfToken ?? '')) {
      throw new HttpError(
        403,
        'csrf',
        'Jeton anti-falsification (CSRF) manquant ou invalide : obtenez-le par GET /api/v1/auth/csrf et envoyez-le dans l’en-tête x-csrf-token.',
      );
    }
  });
});
