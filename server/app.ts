/**
 * The Fastify application: plugins, error handling, modules, static UI. Built around an already
 * opened and migrated database, so tests and the server share it.
 */
import { originesDesFonds } from '../shared/carte/fonds.js';
import carteRoutes from './modules/carte/carte.routes.js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { projectRoot } from './db/paths.js';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './db/unavailable.js';
import authHook from './lib/auth-hook.js';
import { badRequest, ChampVerrouille, Conflit, DomainError, Doublon, HttpError, ReferenceInconnue, RegleMetier, TransitionInterdite } from './lib/errors.js';
import { metricsAccessFromEnv, registerMetrics, type MetricsAccess } from './lib/metrics.js';
import { accessPlugin } from './lib/route.js';
import aidesRoutes from './modules/aides/aides.routes.js';
import aidesSyncRoutes from './modules/aides/aides.sync.routes.js';
import attributionsRoutes from './modules/attributions/attributions.routes.js';
import auditRoutes from './modules/audit/audit.routes.js';
import authRoutes from './modules/auth/auth.routes.js';
import foncierRoutes from './modules/foncier/foncier.routes.js';
import indicateursRoutes from './modules/indicateurs/indicateurs.routes.js';
import logementSocialRoutes from './modules/logement-social/logement-social.routes.js';
import operationsRoutes, { operationsImportRoutes } from './modules/operations/operations.routes.js';
import organisationsRoutes from './modules/organisations/organisations.routes.js';
import referentielRoutes from './modules/referentiel/referentiel.routes.js';
import revuesRoutes from './modules/revues/revues.routes.js';
import sruCalculRoutes from './modules/sru/sru.calcul.routes.js';
import sruRoutes from './modules/sru/sru.routes.js';
import tokensRoutes from './modules/tokens/tokens.routes.js';
import usersRoutes from './modules/users/users.routes.js';

// Zod's own messages (a wrong type, a missing field) in French, like ours.
z.config(z.locales.fr());

/**
 * The HTTP status of each family of domain errors: the one place where business rules meet HTTP.
 * All answer 422 today (the status the clients have always seen); a module's own subclass falls
 * back on its parent's entry.
 */
const DOMAIN_STATUS = new Map<abstract new (...args: never[]) => DomainError, number>([
  // Before Doublon, of which it is a case (the first match wins).
  [Conflit, 409],
  [TransitionInterdite, 422],
  [ChampVerrouille, 422],
  [Doublon, 422],
  [ReferenceInconnue, 422],
  [RegleMetier, 422],
]);

export function domainStatus(err: DomainError): number {
  for (const [type, status] of DOMAIN_STATUS) if (err instanceof type) return status;
  return 422;
}

export interface BuildOptions {
  logger?: boolean;
  /** Directory of the built UI; defaults to dist/web when it exists. */
  webRoot?: string | null;
  /** Who may read /metrics; defaults to METRICS_TOKEN / METRICS_ALLOW of the environment. */
  metrics?: MetricsAccess;
  /** Where the JSON logs go (tests); defaults to stdout. */
  logStream?: NodeJS.WritableStream;
}

/**
 * The Content Security Policy: everything from this origin, plus exactly the hosts of the configured
 * basemaps (tiles are fetched by the map's worker: connect-src; drawn as images: img-src).
 */
function cspFor(config: Config) {
  const tuiles = originesDesFonds(config.fondsCarte);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...tuiles],
    fontSrc: ["'self'", 'data:'],
    workerSrc: ["'self'", 'blob:'],
    connectSrc: ["'self'", ...tuiles],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: null,
  };
}

/**
 * The one exception to `frame-ancestors 'none'`: the public housing page's embed view
 * (/embed/logement-social/…), made to be framed by any commune's website (issue 15). Same policy
 * otherwise; no X-Frame-Options (DENY would override the CSP in older browsers).
 */
const embedHelmet = (csp: ReturnType<typeof cspFor>) =>
  ({
    contentSecurityPolicy: { useDefaults: false, directives: { ...csp, frameAncestors: ['*'] } },
    frameguard: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  }) as const;

/** The embed's resize script is loaded by host sites: readable cross-origin, still not framable. */
const EMBED_SCRIPT_HELMET = { crossOriginResourcePolicy: { policy: 'cross-origin' } } as const;

/**
 * Fastify's own `trustProxy: N` trusts no hop at all (it fails closed since 5.x), and `true` trusts
 * every hop, so that the leftmost, client-written X-Forwarded-For address becomes `req.ip` (issue
 * 19). A hop count is therefore a function: hop 0 is the socket's peer, the nearest proxy.
 */
function trustProxyOf(t: Config['trustProxy']): false | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof t === 'number') return (_addr, hop) => hop < t;
  return t;
}

export async function buildApp(database: Database, config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'], ...(opts.logStream && { stream: opts.logStream }) },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: trustProxyOf(config.trustProxy),
    return503OnClosing: true,
    bodyLimit: 2 * 1024 * 1024,
  });
  app.decorate('database', database);
  app.decorate('config', config);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // HSTS only when the request really arrived over TLS (directly or through a trusted proxy).
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspFor(config) },
    hsts: false,
    // Same rule as the CSP's frame-ancestors 'none', for browsers that only read the older header.
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyMultipart, { limits: { fileSize: 50 * 1024 * 1024, files: 2, fields: 10 } });

  // JSON bodies: Fastify's parser (prototype poisoning refused), behind a nesting limit checked on
  // the text: a body nested 100,000 deep parses, then overflows the stack of whatever walks it.
  const jsonParDefaut = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (imbricationExcessive(body as string, MAX_IMBRICATION_JSON)) {
      done(badRequest(`Corps JSON trop imbriqué : au plus ${MAX_IMBRICATION_JSON} niveaux de tableaux et d’objets.`), undefined);
      return;
    }
    jsonParDefaut(req, body as string, done);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        champ: [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
        message: v.message,
      }));
      return reply.status(400).send({
        error: 'requete_invalide',
        message: `Requête invalide : ${details.map((d) => `${d.champ} — ${d.message}`).join(' ; ')}`,
        details,
      });
    }
    if (err instanceof DomainError) {
      const status = domainStatus(err);
      return reply.status(status).send({ error: status === 409 ? 'conflit' : 'donnees_invalides', regle: err.regle, message: err.message, ...(err.details !== undefined && { details: err.details }) });
    }
    if (err instanceof HttpError) {
      return reply.status(err.statusCode).send({ error: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }) });
    }
    if (isDatabaseUnavailable(err)) {
      // An outage of the server database: the client may retry; not a hang, not a 500.
      req.log.warn({ err }, 'database unreachable');
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'base_indisponible', message: `La base de données est momentanément injoignable : rien n’a été enregistré par cette requête. Réessayez dans ${RETRY_AFTER_SECONDS} secondes.` });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response does not match its schema');
      return reply.status(500).send({ error: 'erreur_interne', message: 'Erreur interne du serveur.' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error');
      return reply.status(500).send({ error: 'erreur_interne', message: 'Erreur interne du serveur. L’incident est journalisé.' });
    }
    const messages: Record<number, string> = {
      400: 'Requête mal formée.',
      413: 'Le fichier ou le corps de la requête est trop volumineux.',
      415: 'Type de contenu non pris en charge.',
    };
    return reply.status(status).send({ error: err.code ?? 'requete_invalide', message: messages[status] ?? err.message });
  });

  // Before the routes and the OpenAPI collector: every route's declared access is enforced and documented.
  await app.register(accessPlugin);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'API Atelier',
        description: 'API de la plateforme Atelier (production de logement social). Authentification : cookie de session (avec en-tête x-csrf-token pour les écritures) ou `Authorization: Bearer <jeton personnel>`.',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'atelier_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false });

  // Before the auth hook: a scraper's Bearer token is not a personal API token.
  await registerMetrics(app, database, opts.metrics ?? metricsAccessFromEnv());

  await app.register(authHook);

  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    if (database.kind === 'postgres' && !(await databaseReachable(database, 1_500))) {
      return reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ status: 'degraded', database: 'unreachable' });
    }
    return { status: 'ok', database: database.kind };
  });

  await app.register(authRoutes);
  await app.register(referentielRoutes);
  await app.register(usersRoutes);
  await app.register(organisationsRoutes);
  await app.register(tokensRoutes);
  await app.register(auditRoutes);
  await app.register(operationsRoutes);
  await app.register(operationsImportRoutes);
  await app.register(revuesRoutes);
  await app.register(indicateursRoutes);
  await app.register(aidesRoutes);
  await app.register(aidesSyncRoutes);
  await app.register(foncierRoutes);
  await app.register(sruRoutes);
  await app.register(sruCalculRoutes);
  await app.register(carteRoutes);
  await app.register(attributionsRoutes);
  await app.register(logementSocialRoutes, { embedHelmet: embedHelmet(cspFor(config)), scriptHelmet: EMBED_SCRIPT_HELMET });

  const webRoot = opts.webRoot === undefined ? join(projectRoot, 'dist', 'web') : opts.webRoot;
  const hasWeb = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      setHeaders(res, path) {
        res.header('cache-control', path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    if (hasWeb && (req.method === 'GET' || req.method === 'HEAD') && !url.startsWith('/api/') && url !== '/healthz') {
      // The single-page application handles its own routes.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({ error: 'introuvable', message: `Aucune ressource à l’adresse ${req.method} ${url}.` });
  });

  return app;
}

/**
 * The check in flight per database. Concurrent /healthz requests share it instead of each sending
 * its own `SELECT 1` (under a load of health checks the database round trip was most of their cost);
 * a request never gets the answer of a check that had finished before it arrived.
 */
const checksInFlight = new WeakMap<Database, Promise<boolean>>();

function databaseReachable(database: Database, timeoutMs: number): Promise<boolean> {
  let check = checksInFlight.get(database);
  if (!check) {
    check = selectOne(database, timeoutMs).finally(() => checksInFlight.delete(database));
    checksInFlight.set(database, check);
  }
  return check;
}

/** A quick `SELECT 1` on the server database, given up after `timeoutMs`. */
async function selectOne(database: Database, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = database.pool!.query('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Deepest nesting of arrays and objects a JSON body may have (GeoJSON needs 7, imports fewer). */
const MAX_IMBRICATION_JSON = 64;

/** Whether a JSON text nests arrays and objects deeper than `max` (brackets inside strings ignored). */
export function imbricationExcessive(texte: string, max: number): boolean {
  let profondeur = 0;
  let chaine = false;
  for (let i = 0; i < texte.length; i++) {
    const c = texte.charCodeAt(i);
    if (chaine) {
      if (c === 92) i++; // backslash: the next character is escaped
      else if (c === 34) chaine = false;
    } else if (c === 34) chaine = true;
    else if (c === 91 || c === 123) {
      if (++profondeur > max) return true;
    } else if (c === 93 || c === 125) profondeur--;
  }
  return false;
}
