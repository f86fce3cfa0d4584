import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { fichier, MIME } from '../../../shared/contract.js';
import { codeDepartement, codeInsee, siren } from '../../../shared/identifiants.js';
import { communeSchema, communesSchema, departementsSchema, epciSchema, epcisSchema, featureCollectionSchema } from '../../../shared/referentiel/referentiel.contract.js';
import { notFound } from '../../lib/errors.js';
import { route } from '../../lib/route.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import { communesGeoJson, epciGeoJson, getCommune, listCommunes, listDepartements, listEpci } from './referentiel.repository.js';

const tags = ['Référentiel territorial'];

/**
 * Public reference data: every route answers anonymous callers, on the reader. Lists are sent as
 * cached JSON text (documented by media type), one minute per instance (see TtlCache); single
 * records go through their schema.
 */
export default async function referentielRoutes(app: FastifyInstance) {
  // Buffers, not strings: Fastify sends them without re-encoding (about half the CPU per request).
  const cache = new TtlCache<Buffer>(60_000);
  const configured = app.config.departements;

  /** The requested départements, restricted to those this instance serves. */
  const scope = (departement?: string) => (departement ? configured.filter((d) => d === departement) : configured);

  const sendJson = (reply: FastifyReply, body: Buffer, contentType = 'application/json; charset=utf-8') =>
    reply.header('content-type', contentType).header('cache-control', 'public, max-age=60').send(body);

  const departementQuery = z.object({ departement: codeDepartement.optional() });
  const liste = <T>(results: T[]) => Buffer.from(JSON.stringify({ count: results.length, results }));

  route(app, {
    method: 'GET', url: '/api/v1/departements', tags, summary: 'Départements servis par cette instance',
    access: 'public', reader: true, response: { 200: fichier('Départements', [MIME.json], departementsSchema) },
    handler: async ({ db, reply }) => sendJson(reply, await cache.get('departements', async () => liste(await listDepartements(db, configured)))),
  });

  route(app, {
    method: 'GET', url: '/api/v1/communes', tags, summary: 'Communes (COG 2026) avec population et EPCI',
    access: 'public', reader: true,
    querystring: departementQuery.extend({
      epci: siren.optional(),
      q: z.string().trim().min(1).max(100).optional().describe('Recherche sur le nom (sans accents) ou le début du code INSEE'),
    }),
    response: { 200: fichier('Communes', [MIME.json], communesSchema) },
    handler: async ({ db, query: { departement, epci, q }, reply }) =>
      sendJson(reply, await cache.get(`communes|${departement ?? ''}|${epci ?? ''}|${q ?? ''}`, async () => liste(await listCommunes(db, { departements: scope(departement), epci, q })))),
  });

  route(app, {
    method: 'GET', url: '/api/v1/communes/:code', tags, summary: 'Fiche d’une commune',
    access: 'public', reader: true, params: z.object({ code: codeInsee }), response: { 200: communeSchema },
    handler: async ({ db, params }) => {
      const commune = await getCommune(db, params.code, configured);
      if (!commune) throw notFound(`Aucune commune de code INSEE ${params.code} dans les départements servis.`);
      return commune;
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/epci', tags, summary: 'EPCI à fiscalité propre et leurs communes',
    access: 'public', reader: true, querystring: departementQuery, response: { 200: fichier('EPCI', [MIME.json], epcisSchema) },
    handler: async ({ db, query: { departement }, reply }) => sendJson(reply, await cache.get(`epci|${departement ?? ''}`, async () => liste(await listEpci(db, scope(departement))))),
  });

  route(app, {
    method: 'GET', url: '/api/v1/epci/:siren', tags, summary: 'Fiche d’un EPCI',
    access: 'public', reader: true, params: z.object({ siren }), response: { 200: epciSchema },
    handler: async ({ db, params }) => {
      const [found] = await listEpci(db, configured, params.siren);
      if (!found) throw notFound(`Aucun EPCI de SIREN ${params.siren} dans les départements servis.`);
      return found;
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/geo/communes', tags, summary: 'Contours des communes (GeoJSON), colorées par EPCI',
    access: 'public', reader: true, querystring: departementQuery, response: { 200: fichier('Contours des communes', [MIME.geojson], featureCollectionSchema) },
    handler: async ({ db, query, reply }) => {
      const body = await cache.get(`geo-communes|${query.departement ?? ''}`, async () => Buffer.from(await communesGeoJson(db, scope(query.departement))));
      return sendJson(reply, body, 'application/geo+json; charset=utf-8');
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/geo/epci', tags, summary: 'Contours des EPCI (GeoJSON)',
    access: 'public', reader: true, querystring: departementQuery, response: { 200: fichier('Contours des EPCI', [MIME.geojson], featureCollectionSchema) },
    handler: async ({ db, query, reply }) => {
      const body = await cache.get(`geo-epci|${query.departement ?? ''}`, async () => Buffer.from(await epciGeoJson(db, scope(query.departement))));
      return sendJson(reply, body, 'application/geo+json; charset=utf-8');
    },
  });
}
