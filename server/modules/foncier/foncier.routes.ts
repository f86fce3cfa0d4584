import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { gisementCreateSchema, gisementUpdateSchema } from '../../../shared/foncier/gisement.schema.js';
import { CONTRAINTES, OUTIL_CODES, OUTILS, PROPRIETAIRES, STATUT_CODES, STATUTS, USAGES, VISIBILITES } from '../../../shared/foncier/referentiel.js';
import { erreurSchema, fichier, MIME, vide } from '../../../shared/contract.js';
import { carteGisementsSchema, gisementSchema, gisementsListeSchema, importGisementsSchema, referentielFoncierSchema, syntheseSchema } from '../../../shared/foncier/foncier.contract.js';
import { codeInsee, siren } from '../../../shared/identifiants.js';
import { CSV_CONTENT_TYPE, ecrireCsv } from '../../lib/csv.js';
import { repondreImport } from '../../lib/import/index.js';
import { route } from '../../lib/route.js';
import { readUpload } from '../../lib/upload.js';
import { gisementsCsv, gisementsGeoJson } from './foncier.export.js';
import { importGisements } from './foncier.import.js';
import { contexte, createGisement, deleteGisement, getGisement, listGisements, loadVisible, mapFeatures, placer, replacer, updateGisement } from './foncier.service.js';
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

const niveauQuery = z.object({ niveau: z.enum(['epci', 'commune'], 'niveau : epci ou commune.').default('epci') });
const importQuery = z.object({ dry_run: z.enum(['true', 'false']).optional() });
/** A dated attachment name: `gisements-2026-12-03.csv`. */
const piece = (nom: string, extension: string) => `attachment; filename="${nom}-${new Date().toISOString().slice(0, 10)}.${extension}"`;
const GEOJSON_CONTENT_TYPE = 'application/geo+json; charset=utf-8';

export default async function foncierRoutes(app: FastifyInstance) {
  const { database, config } = app;
  const served = config.departements;
  /** Loads the gisement of `:id` through its policy (404 outside the caller's scope). */
  const leGisement = ({ db, principal, params }: { db: Parameters<typeof loadVisible>[0]; principal: Parameters<typeof loadVisible>[1]; params: { id: string } }) =>
    loadVisible(db, principal, served, params.id);

  route(app, {
    method: 'GET', url: '/api/v1/foncier/referentiel', tags, summary: 'Statuts et transitions, outils, usages, propriétaires, contraintes, visibilités',
    access: 'public', response: { 200: referentielFoncierSchema },
    handler: async () => ({ statuts: STATUTS, outils: OUTILS, usages: USAGES, proprietaires: PROPRIETAIRES, contraintes: CONTRAINTES, visibilites: VISIBILITES }),
  });

  route(app, {
    method: 'GET', url: '/api/v1/foncier/gisements', tags, summary: 'Gisements dans une emprise (GeoJSON FeatureCollection) ; publics seulement sans droit de lecture',
    access: 'public', reader: true, querystring: filtresQuery.extend({ limit: z.coerce.number().int().min(1).max(50_000).default(10_000) }),
    response: { 200: fichier('FeatureCollection GeoJSON', [MIME.geojson], carteGisementsSchema) },
    handler: async ({ db, principal, query, reply }) => {
      const fc = await mapFeatures(db, principal, served, query, query.limit);
      return reply.header('content-type', GEOJSON_CONTENT_TYPE).header('cache-control', 'private, no-cache').send(fc);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/foncier/gisements/liste', tags, summary: 'Gisements du périmètre, en liste (alternative accessible à la carte)',
    access: 'public', reader: true, querystring: filtresQuery.extend({ limit: z.coerce.number().int().min(1).max(5000).default(500) }), response: { 200: gisementsListeSchema },
    handler: async ({ db, principal, query }) => {
      // One more than asked tells whether the list was cut.
      const results = await listGisements(db, principal, served, query, query.limit + 1);
      return { results: results.slice(0, query.limit).map(({ geometrie: _g, ...g }) => g), tronque: results.length > query.limit };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/foncier/gisements/export.geojson', tags, summary: 'Export GeoJSON complet (réimportable)',
    access: 'public', reader: true, querystring: filtresQuery, response: { 200: fichier('FeatureCollection GeoJSON', [MIME.geojson], carteGisementsSchema) },
    handler: async ({ db, principal, query, reply }) => {
      const body = await gisementsGeoJson(db, principal, served, query);
      return reply.header('content-type', GEOJSON_CONTENT_TYPE).header('content-disposition', piece('gisements', 'geojson')).send(body);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/foncier/gisements/export.csv', tags, summary: 'Export csv (colonnes de l’import, géométrie en WKT WGS84 ; réimportable)',
    access: 'public', reader: true, querystring: filtresQuery, response: { 200: fichier('Les gisements du périmètre, en csv', [MIME.csv]) },
    handler: async ({ db, principal, query, reply }) => {
      const body = ecrireCsv(await gisementsCsv(db, principal, served, query));
      return reply.header('content-type', CSV_CONTENT_TYPE).header('content-disposition', piece('gisements', 'csv')).send(body);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/foncier/gisements', tags, summary: 'Créer un gisement (commune déduite de la géométrie)',
    access: 'foncier:write', body: gisementCreateSchema, status: 201, response: { 201: gisementSchema },
    handler: async ({ db, principal, body, requestId }) => {
      const placement = await placer(db, served, body.geometrie, body.commune);
      const id = await createGisement(db, contexte(principal, served, requestId), body, placement);
      return getGisement(db, principal, served, id);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/foncier/gisements/:id', tags, summary: 'Un gisement',
    access: 'public', params: idParams, response: { 200: gisementSchema },
    handler: async ({ db, principal, params }) => getGisement(db, principal, served, params.id),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/foncier/gisements/:id', tags, summary: 'Modifier un gisement (l’EPF : données de portage seulement)',
    // The EPF holds `foncier:portage`: the service checks its fields one by one.
    access: ['foncier:write', 'foncier:portage'], params: idParams, body: gisementUpdateSchema, response: { 200: gisementSchema }, load: leGisement,
    handler: async ({ db, principal, record, body, requestId }) => {
      const placement = await replacer(db, served, record, body);
      await updateGisement(db, contexte(principal, served, requestId), record, body, placement);
      return getGisement(db, principal, served, record.id);
    },
  });

  route(app, {
    method: 'DELETE', url: '/api/v1/foncier/gisements/:id', tags, summary: 'Supprimer un gisement',
    access: 'foncier:write', params: idParams, status: 204, response: { 204: vide }, load: leGisement,
    handler: async ({ db, principal, record, requestId }) => {
      await deleteGisement(db, contexte(principal, served, requestId), record);
      return undefined;
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/foncier/synthese', tags, summary: 'Observatoire : par EPCI ou par commune, par statut et par outil ; indicateur PLH',
    access: 'public', reader: true, querystring: niveauQuery, response: { 200: syntheseSchema },
    handler: async ({ db, principal, query }) => synthese(db, principal, served, query.niveau),
  });

  route(app, {
    method: 'GET', url: '/api/v1/foncier/synthese/export.:format', tags, summary: 'Export de la synthèse (xlsx ou csv)',
    access: 'public', reader: true, params: z.object({ format: z.enum(['xlsx', 'csv']) }), querystring: niveauQuery, response: { 200: fichier('La synthèse', [MIME.xlsx, MIME.csv]) },
    handler: async ({ db, principal, params, query, reply }) => {
      const { body, contentType } = await exportSynthese(await synthese(db, principal, served, query.niveau), params.format);
      return reply.header('content-type', contentType).header('content-disposition', piece(`observatoire-foncier-${query.niveau}`, params.format)).send(body);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/foncier/gisements/import', tags,
    summary: 'Importer des gisements (GeoJSON WGS84 ou Lambert-93, csv avec WKT ou lon/lat, xlsx ; champ multipart « file ») ; dry_run=true pour vérifier',
    access: 'foncier:write', querystring: importQuery, consumes: ['multipart/form-data'],
    response: { 200: importGisementsSchema, 422: importGisementsSchema.or(erreurSchema) },
    // The import runner owns its transaction (all or nothing, dry run rolled back, progress streamed).
    transaction: false,
    handler: async ({ req, reply, principal, query, requestId }) => {
      const file = await readUpload(req);
      const dryRun = query.dry_run === 'true' || file.fields.dry_run === 'true';
      return repondreImport(req, reply, { rien: 'aucun gisement n’est importé', libelles: { ligne: 'Entité', colonne: 'propriété' } }, (onProgress) =>
        importGisements(database.db, { ...contexte(principal, served, requestId), buffer: file.buffer, filename: file.filename, dryRun, onProgress }),
      );
    },
  });
}
