import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { fichier, MIME } from '../../../shared/contract.js';
import { codeDepartement, codeInsee, siren } from '../../../shared/identifiants.js';
import { communeSchema, communesSchema, departementsSchema, epciSchema, epcisSchema, featureCollectionSchema } from '../../../shared/referentiel/referentiel.contract.js';
import { rows, textArray } from '../../db/client.js';
import { notFound } from '../../lib/errors.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import { communesGeoJson, epciGeoJson, getCommune, listCommunes, listEpci } from './referentiel.repository.js';

const tags = ['Référentiel territorial'];

/** Public reference data; answers are cached one minute per instance (see TtlCache). */
export default async function referentielRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const db = () => app.database.reader;
  // Buffers, not strings: Fastify sends them without re-encoding (about half the CPU per request).
  const cache = new TtlCache<Buffer>(60_000);
  const configured = app.config.departements;

  /** The requested départements, restricted to those this instance serves. */
  const scope = (departement?: string) => (departement ? configured.filter((d) => d === departement) : configured);

  const sendJson = (reply: FastifyReply, body: Buffer, contentType = 'application/json; charset=utf-8') =>
    reply.header('content-type', contentType).header('cache-control', 'public, max-age=60').send(body);

  const departementQuery = z.object({ departement: codeDepartement.optional() });

  // Public: every route of this module answers anonymous callers. Lists are sent as cached JSON
  // text (documented by media type); single records go through their schema.
  const config = { access: 'public' } as const;

  app.get('/api/v1/departements', { config, schema: { tags, summary: 'Départements servis par cette instance', response: { 200: fichier('Départements', [MIME.json], departementsSchema) } } }, async (_req, reply) => {
    const body = await cache.get('departements', async () => {
      const r = await rows<{ code: string; nom: string; region: string }>(
        db(),
        sql`SELECT code, nom, region FROM departements WHERE code = ANY(${textArray(configured)}) ORDER BY code`,
      );
      return Buffer.from(JSON.stringify({ count: r.length, results: r }));
    });
    return sendJson(reply, body);
  });

  app.get(
    '/api/v1/communes',
    {
      config,
      schema: {
        tags,
        summary: 'Communes (COG 2026) avec population et EPCI',
        response: { 200: fichier('Communes', [MIME.json], communesSchema) },
        querystring: departementQuery.extend({
          epci: siren.optional(),
          q: z.string().trim().min(1).max(100).optional().describe('Recherche sur le nom (sans accents) ou le début du code INSEE'),
        }),
      },
    },
    async (req, reply) => {
      const { departement, epci, q } = req.query;
      const body = await cache.get(`communes|${departement ?? ''}|${epci ?? ''}|${q ?? ''}`, async () => {
        const results = await listCommunes(db(), { departements: scope(departement), epci, q });
        return Buffer.from(JSON.stringify({ count: results.length, results }));
      });
      return sendJson(reply, body);
    },
  );

  app.get(
    '/api/v1/communes/:code',
    { config, schema: { tags, summary: 'Fiche d’une commune', params: z.object({ code: codeInsee }), response: { 200: communeSchema } } },
    async (req) => {
      const commune = await getCommune(db(), req.params.code, configured);
      if (!commune) throw notFound(`Aucune commune de code INSEE ${req.params.code} dans les départements servis.`);
      return commune;
    },
  );

  app.get('/api/v1/epci', { config, schema: { tags, summary: 'EPCI à fiscalité propre et leurs communes', querystring: departementQuery, response: { 200: fichier('EPCI', [MIME.json], epcisSchema) } } }, async (req, reply) => {
    const { departement } = req.query;
    const body = await cache.get(`epci|${departement ?? ''}`, async () => {
      const results = await listEpci(db(), scope(departement));
      return Buffer.from(JSON.stringify({ count: results.length, results }));
    });
    return sendJson(reply, body);
  });

  app.get('/api/v1/epci/:siren', { config, schema: { tags, summary: 'Fiche d’un EPCI', params: z.object({ siren }), response: { 200: epciSchema } } }, async (req) => {
    const [found] = await listEpci(db(), configured, req.params.siren);
    if (!found) throw notFound(`Aucun EPCI de SIREN ${req.params.siren} dans les départements servis.`);
    return found;
  });

  app.get('/api/v1/geo/communes', { config, schema: { tags, summary: 'Contours des communes (GeoJSON), colorées par EPCI', querystring: departementQuery, response: { 200: fichier('Contours des communes', [MIME.geojson], featureCollectionSchema) } } }, async (req, reply) => {
    const body = await cache.get(`geo-communes|${req.query.departement ?? ''}`, async () => Buffer.from(await communesGeoJson(db(), scope(req.query.departement))));
    return sendJson(reply, body, 'application/geo+json; charset=utf-8');
  });

  app.get('/api/v1/geo/epci', { config, schema: { tags, summary: 'Contours des EPCI (GeoJSON)', querystring: departementQuery, response: { 200: fichier('Contours des EPCI', [MIME.geojson], featureCollectionSchema) } } }, async (req, reply) => {
    const body = await cache.get(`geo-epci|${req.query.departement ?? ''}`, async () => Buffer.from(await epciGeoJson(db(), scope(req.query.departement))));
    return sendJson(reply, body, 'application/geo+json; charset=utf-8');
  });
}
