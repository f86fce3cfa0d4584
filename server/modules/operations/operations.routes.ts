import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { codeInsee, siren } from '../../../shared/identifiants.js';
import { ETAPE_CODES, ETAPES } from '../../../shared/operations/etapes.js';
import {
  blocageCreateSchema,
  blocageUpdateSchema,
  concertationCreateSchema,
  operationCreateSchema,
  operationUpdateSchema,
} from '../../../shared/operations/operation.schema.js';
import { CATEGORIES_DOCUMENT, PRODUITS, STATUTS_BLOCAGE, TYPES_BLOCAGE, TYPES_OPERATION } from '../../../shared/operations/referentiel.js';
import { erreurSchema, fichier, MIME, vide } from '../../../shared/contract.js';
import {
  blocageSchema,
  concertationSchema,
  concertationsSchema,
  documentSchema,
  documentsSchema,
  evenementsSchema,
  importOperationsSchema,
  operationSchema,
  operationsPageSchema,
  referentielOperationsSchema,
} from '../../../shared/operations/operation.contract.js';
import { HttpError } from '../../lib/errors.js';
import { requirePermission } from '../../lib/principal.js';
import { readUpload } from '../../lib/upload.js';
import { CoalescedRead } from '../../lib/coalesced-read.js';
import { VersionedCache } from '../../lib/versioned-cache.js';
import { importOperations, templateXlsx } from './operations.import.js';
import { repondreImport } from '../../lib/import/index.js';
import { addConcertation, listConcertations } from './concertations.js';
import { addDocument, contentDisposition, listDocuments, readDocument, removeDocument } from './documents.js';
import { exportOperations } from './operations.export.js';
import {
  createOperation,
  declareBlocage,
  getOperation,
  listOperationsJson,
  registreVersion,
  loadVisible,
  timeline,
  updateBlocage,
  updateOperation,
} from './operations.service.js';

const tags = ['Opérations'];
const idParams = z.object({ id: z.uuid('Identifiant d’opération invalide.') });

export const operationFiltersQuery = z.object({
  epci: siren.optional(),
  commune: codeInsee.optional(),
  bailleur: z.union([siren, z.uuid()], 'Bailleur : SIREN (9 chiffres) ou identifiant attendu.').optional(),
  etape: z.enum(ETAPE_CODES, 'Étape inconnue.').optional(),
  en_difficulte: z.enum(['true', 'false'], 'en_difficulte : true ou false.').transform((v) => v === 'true').optional(),
  annee: z.coerce.number().int().min(1990).max(2100).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});

export const toFilters = (q: z.infer<typeof operationFiltersQuery>) => ({
  epci: q.epci,
  commune: q.commune,
  bailleur: q.bailleur,
  etape: q.etape,
  enDifficulte: q.en_difficulte,
  annee: q.annee,
  q: q.q,
});

export default async function operationsRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app;
  // Listing answers, per instance, valid for one version of the register (see VersionedCache);
  // the version is read once for the requests of the same event-loop turn (see CoalescedRead).
  const listings = { answers: new VersionedCache(config.listingCacheBytes), version: new CoalescedRead(() => registreVersion(database.reader)) };

  app.get('/api/v1/operations/referentiel', { config: { access: 'public' }, schema: { tags, summary: 'Étapes, transitions, types d’opération et de blocage (les règles comme données)', response: { 200: referentielOperationsSchema } } }, async () => ({
    etapes: ETAPES,
    types_operation: TYPES_OPERATION,
    produits: PRODUITS,
    types_blocage: TYPES_BLOCAGE,
    statuts_blocage: STATUTS_BLOCAGE,
    categories_document: CATEGORIES_DOCUMENT,
  }));

  const docParams = idParams.extend({ documentId: z.uuid('Identifiant de document invalide.') });

  app.get('/api/v1/operations/:id/documents', { config: { access: 'operations:read' }, schema: { tags, summary: 'Documents de l’opération (sans leur contenu)', params: idParams, response: { 200: documentsSchema } } }, async (req) =>
    listDocuments(database.reader, requirePermission(req.principal, 'operations:read'), config.departements, req.params.id),
  );

  app.post(
    '/api/v1/operations/:id/documents',
    { config: { access: 'operations:write' }, schema: { tags, summary: 'Joindre un document (multipart : « file » et « categorie »)', params: idParams, consumes: ['multipart/form-data'], response: { 201: documentSchema } } },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'operations:write');
      const upload = await readUpload(req, 'le document');
      return reply.status(201).send(await addDocument(database.db, p, config.departements, req.params.id, { categorie: upload.fields.categorie ?? 'autre', content: upload.buffer, filename: upload.filename }, req.id));
    },
  );

  app.get('/api/v1/operations/:id/documents/:documentId', { config: { access: 'operations:read' }, schema: { tags, summary: 'Télécharger un document', params: docParams, response: { 200: fichier('Le document, dans son format déposé', [MIME.pdf, MIME.docx, MIME.xlsx, 'image/jpeg', 'image/png', 'application/octet-stream']) } } }, async (req, reply) => {
    const d = await readDocument(database.reader, requirePermission(req.principal, 'operations:read'), config.departements, req.params.id, req.params.documentId);
    return reply
      .header('content-type', d.type_mime)
      .header('content-disposition', contentDisposition(d.nom_fichier))
      .header('cache-control', 'private, no-store')
      .send(d.contenu);
  });

  app.delete('/api/v1/operations/:id/documents/:documentId', { config: { access: 'operations:write' }, schema: { tags, summary: 'Retirer un document', params: docParams, response: { 204: vide } } }, async (req, reply) => {
    await removeDocument(database.db, requirePermission(req.principal, 'operations:write'), config.departements, req.params.id, req.params.documentId, req.id);
    return reply.status(204).send();
  });

  app.get(
    '/api/v1/operations',
    {
      config: { access: 'operations:read' },
      schema: {
        tags,
        summary: 'Opérations du périmètre, filtrées : une page de résumés (le détail : GET /api/v1/operations/{id})',
        // Sent as JSON text built by the database (see summaryPageSql): documented by media type.
        response: { 200: fichier('Une page de résumés', [MIME.json], operationsPageSchema) },
        querystring: operationFiltersQuery.extend({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'operations:read');
      const json = await listOperationsJson(database.reader, p, config.departements, toFilters(req.query), req.query.page, req.query.limit, listings);
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  app.get(
    '/api/v1/operations/export.:format',
    { config: { access: 'operations:read' }, schema: { tags, summary: 'Export de la liste filtrée (xlsx ou csv)', params: z.object({ format: z.enum(['xlsx', 'csv']) }), querystring: operationFiltersQuery, response: { 200: fichier('La liste', [MIME.xlsx, MIME.csv]) } } },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'operations:read');
      const { body, contentType } = await exportOperations(database.reader, p, config.departements, toFilters(req.query), req.params.format);
      return reply
        .header('content-type', contentType)
        .header('content-disposition', `attachment; filename="operations-${new Date().toISOString().slice(0, 10)}.${req.params.format}"`)
        .send(body);
    },
  );

  app.post('/api/v1/operations', { config: { access: 'operations:write' }, schema: { tags, summary: 'Déclarer une opération', body: operationCreateSchema, response: { 201: operationSchema } } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'operations:write');
    const row = await database.db.transaction((tx) =>
      createOperation(tx, { actor: { kind: 'user', principal: p }, principal: p, configured: config.departements, requestId: req.id }, req.body),
    );
    return reply.status(201).send(await getOperation(database.db, p, row.id, config.departements));
  });

  app.get('/api/v1/operations/:id', { config: { access: 'operations:read' }, schema: { tags, summary: 'Une opération, avec tous ses blocages', params: idParams, response: { 200: operationSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'operations:read');
    return getOperation(database.db, p, req.params.id, config.departements);
  });

  app.patch('/api/v1/operations/:id', { config: { access: 'operations:write' }, schema: { tags, summary: 'Modifier une opération (règles d’étape appliquées)', params: idParams, body: operationUpdateSchema, response: { 200: operationSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'operations:write');
    await database.db.transaction(async (tx) => {
      const before = await loadVisible(tx, p, config.departements, req.params.id);
      await updateOperation(tx, { actor: { kind: 'user', principal: p }, principal: p, configured: config.departements, requestId: req.id }, before, req.body);
    });
    return getOperation(database.db, p, req.params.id, config.departements);
  });

  app.get('/api/v1/operations/:id/evenements', { config: { access: 'operations:read' }, schema: { tags, summary: 'Historique de l’opération', params: idParams, response: { 200: evenementsSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'operations:read');
    return { results: await timeline(database.db, p, config.departements, req.params.id) };
  });

  app.get('/api/v1/operations/:id/concertations', { config: { access: 'operations:read' }, schema: { tags, summary: 'Concertation des riverains : réunions, porte-à-porte', params: idParams, response: { 200: concertationsSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'operations:read');
    return listConcertations(database.db, p, config.departements, req.params.id);
  });

  app.post('/api/v1/operations/:id/concertations', { config: { access: 'operations:write' }, schema: { tags, summary: 'Consigner une action de concertation des riverains', params: idParams, body: concertationCreateSchema, response: { 201: concertationSchema } } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'operations:write');
    return reply.status(201).send(await addConcertation(database.db, p, config.departements, req.params.id, req.body, req.id));
  });

  app.post('/api/v1/operations/:id/blocages', { config: { access: 'operations:write' }, schema: { tags, summary: 'Déclarer un blocage', params: idParams, body: blocageCreateSchema, response: { 201: blocageSchema } } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'operations:write');
    const b = await declareBlocage(database.db, { actor: { kind: 'user', principal: p }, principal: p, configured: config.departements, requestId: req.id }, req.params.id, req.body);
    return reply.status(201).send(b);
  });

  app.patch(
    '/api/v1/operations/:id/blocages/:blocageId',
    { config: { access: 'operations:write' }, schema: { tags, summary: 'Mettre à jour ou lever un blocage', params: idParams.extend({ blocageId: z.uuid('Identifiant de blocage invalide.') }), body: blocageUpdateSchema, response: { 200: blocageSchema } } },
    async (req) => {
      const p = requirePermission(req.principal, 'operations:write');
      return updateBlocage(database.db, { actor: { kind: 'user', principal: p }, principal: p, configured: config.departements, requestId: req.id }, req.params.id, req.params.blocageId, req.body);
    },
  );
}

/** Spreadsheet import and its template. */
export async function operationsImportRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app;

  app.get('/api/v1/operations/import/template.xlsx', { config: { access: 'public' }, schema: { tags, summary: 'Modèle de fichier d’import (colonnes en français, feuille d’aide)', response: { 200: fichier('Le modèle', [MIME.xlsx]) } } }, async (_req, reply) =>
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="modele-import-operations.xlsx"')
      .send(await templateXlsx()),
  );

  app.post(
    '/api/v1/operations/import',
    {
      config: { access: 'operations:import' },
      schema: {
        tags,
        summary: 'Importer des opérations (xlsx ou csv, champ multipart « file ») ; dry_run=true pour vérifier sans écrire',
        // With Accept: application/x-ndjson the answer is streamed: {"progression":…} lines, then {"resultat":…}.
        response: { 200: importOperationsSchema, 422: importOperationsSchema.or(erreurSchema) },
        querystring: z.object({ dry_run: z.enum(['true', 'false']).optional() }),
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'operations:import');
      const file = await readUpload(req);
      const dryRun = req.query.dry_run === 'true' || file.fields.dry_run === 'true';
      const options = { actor: { kind: 'user', principal: p } as const, principal: p, configured: config.departements, buffer: file.buffer, filename: file.filename, dryRun, requestId: req.id };
      return repondreImport(req, reply, { rien: 'rien n’est importé' }, (onProgress) => importOperations(database.db, { ...options, onProgress }));
    },
  );
}
