import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { gisementCreateSchema, gisementUpdateSchema } from '../../../shared/foncier/gisement.schema.js';
import { CONTRAINTES, OUTIL_CODES, OUTILS, PROPRIETAIRES, STATUT_CODES, STATUTS, USAGES, VISIBILITES } from '../../../shared/foncier/referentiel.js';
import { erreurSchema, fichier, MIME, vide } from '../../../shared/contract.js';
import { carteGisementsSchema, gisementSchema, gisementsListeSchema, importGisementsSchema, referentielFoncierSchema, syntheseSchema } from '../../../shared/foncier/foncier.contract.js';
import { codeInsee, siren } from '../../../shared/identifiants.js';
import { can } from '../../../shared/roles.js';
import { forbidden, unauthorized } from '../../lib/errors.js';
import { requirePermission, type Principal } from '../../lib/principal.js';
import { readUpload } from '../../lib/upload.js';
import { gisementsCsv, gisementsGeoJson } from './foncier.export.js';
import { CSV_CONTENT_TYPE, ecrireCsv } from '../../lib/csv.js';
import { importGisements } from './foncier.import.js';
import { repondreImport } from '../../lib/import/index.js';
import { createGisement, deleteGisement, getGisement, listGisements, loadVisible, mapFeatures, placer, updateGisement } from './foncier.service.js';
import { exportSynthese, synthese } from './foncier.synthese.js';

const tags = ['Foncier'];
const idParams = z.object({ id: z.uuid('Identifiant de gisement invalide.') });

const bbox = z
  .string()
  .transform((v, ctx) => {
    const n = v.split(',').map((x) => Number(x.trim()));
    if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) {
      ctx.addIssue({ code: 'custom', message: 'bbox : quatre nombres attendus, minLon,minLat,maxLon,maxLat.' });
      return z.NEVER;
    }
    const [a, b, c, d] = n as [number, number, number, number];
    if (a < -180 || c > 180 || b < -90 || d > 90 || a >= c || b >= d) {
      ctx.addIssue({ code: 'custom', message: 'bbox : emprise invalide (longitudes −180..180, latitudes −90..90, min < max).' });
      return z.NEVER;
    }
    return [a, b, c, d] as [number, number, number, number];
  });

export const filtresQuery = z.object({
  bbox: bbox.optional(),
  commune: codeInsee.optional(),
  epci: siren.optional(),
  statut: z.enum(STATUT_CODES, 'Statut inconnu.').optional(),
  outil: z.enum(OUTIL_CODES, 'Outil inconnu (oap, sms, er, zad, dpu, zac).').optional(),
});

/** Writes need `foncier:write`, or `foncier:portage` (checked field by field by the service). */
function requireWriter(p: Principal | undefined): Principal {
  if (!p) throw unauthorized();
  if (!can(p.role, 'foncier:write') && !can(p.role, 'foncier:portage')) throw forbidden();
  return p;
}

export default async function foncierRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app;
  const ctxOf = (p: Principal, requestId: string) => ({ actor: { kind: 'user', principal: p } as const, principal: p, configured: config.departements, requestId });

  app.get('/api/v1/foncier/referentiel', { config: { access: 'public' }, schema: { tags, summary: 'Statuts et transitions, outils, usages, propriétaires, contraintes, visibilités', response: { 200: referentielFoncierSchema } } }, async () => ({
    statuts: STATUTS,
    outils: OUTILS,
    usages: USAGES,
    proprietaires: PROPRIETAIRES,
    contraintes: CONTRAINTES,
    visibilites: VISIBILITES,
  }));

  app.get(
    '/api/v1/foncier/gisements',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Gisements dans une emprise (GeoJSON FeatureCollection) ; publics seulement sans droit de lecture',
        response: { 200: fichier('FeatureCollection GeoJSON', [MIME.geojson], carteGisementsSchema) },
        querystring: filtresQuery.extend({ limit: z.coerce.number().int().min(1).max(50_000).default(10_000) }),
      },
    },
    async (req, reply) => {
      const fc = await mapFeatures(database.reader, req.principal, config.departements, req.query, req.query.limit);
      return reply.header('content-type', 'application/geo+json; charset=utf-8').header('cache-control', 'private, no-cache').send(fc);
    },
  );

  app.get(
    '/api/v1/foncier/gisements/liste',
    { config: { access: 'public' }, schema: { tags, summary: 'Gisements du périmètre, en liste (alternative accessible à la carte)', querystring: filtresQuery.extend({ limit: z.coerce.number().int().min(1).max(5000).default(500) }), response: { 200: gisementsListeSchema } } },
    async (req) => {
      const results = await listGisements(database.reader, req.principal, config.departements, req.query, req.query.limit + 1);
      return { results: results.slice(0, req.query.limit).map(({ geometrie: _g, ...g }) => g), tronque: results.length > req.query.limit };
    },
  );

  app.get('/api/v1/foncier/gisements/export.geojson', { config: { access: 'public' }, schema: { tags, summary: 'Export GeoJSON complet (réimportable)', querystring: filtresQuery, response: { 200: fichier('FeatureCollection GeoJSON', [MIME.geojson], carteGisementsSchema) } } }, async (req, reply) => {
    const body = await gisementsGeoJson(database.reader, req.principal, config.departements, req.query);
    return reply
      .header('content-type', 'application/geo+json; charset=utf-8')
      .header('content-disposition', `attachment; filename="gisements-${new Date().toISOString().slice(0, 10)}.geojson"`)
      .send(body);
  });

  app.get('/api/v1/foncier/gisements/export.csv', { config: { access: 'public' }, schema: { tags, summary: 'Export csv (colonnes de l’import, géométrie en WKT WGS84 ; réimportable)', querystring: filtresQuery, response: { 200: fichier('Les gisements du périmètre, en csv', [MIME.csv]) } } }, async (req, reply) => {
    const body = ecrireCsv(await gisementsCsv(database.reader, req.principal, config.departements, req.query));
    return reply
      .header('content-type', CSV_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="gisements-${new Date().toISOString().slice(0, 10)}.csv"`)
      .send(body);
  });

  app.post('/api/v1/foncier/gisements', { config: { access: 'foncier:write' }, schema: { tags, summary: 'Créer un gisement (commune déduite de la géométrie)', body: gisementCreateSchema, response: { 201: gisementSchema } } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'foncier:write');
    const pl = await placer(database.db, config.departements, req.body.geometrie, req.body.commune);
    const id = await database.db.transaction((tx) => createGisement(tx, ctxOf(p, req.id), req.body, pl));
    return reply.status(201).send(await getGisement(database.db, p, config.departements, id));
  });

  app.get('/api/v1/foncier/gisements/:id', { config: { access: 'public' }, schema: { tags, summary: 'Un gisement', params: idParams, response: { 200: gisementSchema } } }, async (req) =>
    getGisement(database.db, req.principal, config.departements, req.params.id),
  );

  app.patch('/api/v1/foncier/gisements/:id', { config: { access: ['foncier:write', 'foncier:portage'] }, schema: { tags, summary: 'Modifier un gisement (l’EPF : données de portage seulement)', params: idParams, body: gisementUpdateSchema, response: { 200: gisementSchema } } }, async (req) => {
    const p = requireWriter(req.principal);
    const current = await loadVisible(database.db, p, config.departements, req.params.id);
    const pl = req.body.geometrie || req.body.commune ? await placer(database.db, config.departements, req.body.geometrie ?? JSON.parse(current.geojson), req.body.commune) : undefined;
    await database.db.transaction(async (tx) => {
      const before = await loadVisible(tx, p, config.departements, req.params.id);
      await updateGisement(tx, ctxOf(p, req.id), before, req.body, pl);
    });
    return getGisement(database.db, p, config.departements, req.params.id);
  });

  app.delete('/api/v1/foncier/gisements/:id', { config: { access: 'foncier:write' }, schema: { tags, summary: 'Supprimer un gisement', params: idParams, response: { 204: vide } } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'foncier:write');
    await database.db.transaction(async (tx) => {
      const before = await loadVisible(tx, p, config.departements, req.params.id);
      await deleteGisement(tx, ctxOf(p, req.id), before);
    });
    return reply.status(204).send();
  });

  const niveauQuery = z.object({ niveau: z.enum(['epci', 'commune'], 'niveau : epci ou commune.').default('epci') });

  app.get('/api/v1/foncier/synthese', { config: { access: 'public' }, schema: { tags, summary: 'Observatoire : par EPCI ou par commune, par statut et par outil ; indicateur PLH', querystring: niveauQuery, response: { 200: syntheseSchema } } }, async (req) =>
    synthese(database.reader, req.principal, config.departements, req.query.niveau),
  );

  app.get(
    '/api/v1/foncier/synthese/export.:format',
    { config: { access: 'public' }, schema: { tags, summary: 'Export de la synthèse (xlsx ou csv)', params: z.object({ format: z.enum(['xlsx', 'csv']) }), querystring: niveauQuery, response: { 200: fichier('La synthèse', [MIME.xlsx, MIME.csv]) } } },
    async (req, reply) => {
      const s = await synthese(database.reader, req.principal, config.departements, req.query.niveau);
      const { body, contentType } = await exportSynthese(s, req.params.format);
      return reply
        .header('content-type', contentType)
        .header('content-disposition', `attachment; filename="observatoire-foncier-${req.query.niveau}-${new Date().toISOString().slice(0, 10)}.${req.params.format}"`)
        .send(body);
    },
  );

  app.post(
    '/api/v1/foncier/gisements/import',
    {
      config: { access: 'foncier:write' },
      schema: {
        tags,
        summary: 'Importer des gisements (GeoJSON WGS84 ou Lambert-93, csv avec WKT ou lon/lat, xlsx ; champ multipart « file ») ; dry_run=true pour vérifier',
        response: { 200: importGisementsSchema, 422: importGisementsSchema.or(erreurSchema) },
        querystring: z.object({ dry_run: z.enum(['true', 'false']).optional() }),
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'foncier:write');
      const file = await readUpload(req);
      const dryRun = req.query.dry_run === 'true' || file.fields.dry_run === 'true';
      return repondreImport(req, reply, { rien: 'aucun gisement n’est importé', libelles: { ligne: 'Entité', colonne: 'propriété' } }, (onProgress) =>
        importGisements(database.db, { ...ctxOf(p, req.id), buffer: file.buffer, filename: file.filename, dryRun, onProgress }),
      );
    },
  );
}
