import type { FastifyInstance } from 'fastify';
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
import type { Executor } from '../../db/client.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { route } from '../../lib/route.js';
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
  loadEditable,
  loadVisible,
  registreVersion,
  timeline,
  updateBlocage,
  updateOperation,
} from './operations.service.js';

const tags = ['Opérations'];
const idParams = z.object({ id: z.uuid('Identifiant d’opération invalide.') });
const docParams = idParams.extend({ documentId: z.uuid('Identifiant de document invalide.') });

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

/** The route context a loader needs: the handle, the caller, the operation's id. */
interface LoadContext {
  db: Executor;
  principal: Principal;
  params: { id: string };
}

export default async function operationsRoutes(app: FastifyInstance) {
  const { database, config } = app;
  const configured = config.departements;
  // Listing answers, per instance, valid for one version of the register (see VersionedCache);
  // the version is read once for the requests of the same event-loop turn (see CoalescedRead).
  const listings = { answers: new VersionedCache(config.listingCacheBytes), version: new CoalescedRead(() => registreVersion(database.reader)) };
  /** The operation of `:id` as the caller sees it (404 outside their scope). */
  const visible = ({ db, principal, params }: LoadContext) => loadVisible(db, principal, configured, params.id);
  /** The operation of `:id` if the caller may edit it (404 outside their scope, 403 read-only). */
  const editable = ({ db, principal, params }: LoadContext) => loadEditable(db, principal, configured, params.id);
  const writeContext = ({ actor, principal, requestId }: { actor: Actor; principal: Principal; requestId: string }) => ({
    actor,
    principal,
    configured,
    requestId,
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/referentiel', tags, summary: 'Étapes, transitions, types d’opération et de blocage (les règles comme données)',
    access: 'public', response: { 200: referentielOperationsSchema },
    handler: async () => ({
      etapes: ETAPES,
      types_operation: TYPES_OPERATION,
      produits: PRODUITS,
      types_blocage: TYPES_BLOCAGE,
      statuts_blocage: STATUTS_BLOCAGE,
      categories_document: CATEGORIES_DOCUMENT,
    }),
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/:id/documents', tags, summary: 'Documents de l’opération (sans leur contenu)',
    access: 'operations:read', reader: true, params: idParams, response: { 200: documentsSchema }, load: visible,
    handler: async ({ db, record }) => listDocuments(db, record),
  });

  route(app, {
    method: 'POST', url: '/api/v1/operations/:id/documents', tags, summary: 'Joindre un document (multipart : « file » et « categorie »)',
    access: 'operations:write', params: idParams, upload: 'le document', status: 201, response: { 201: documentSchema }, load: editable,
    handler: async ({ db, principal, record, upload, requestId }) =>
      addDocument(db, principal, record, { categorie: upload.fields.categorie ?? 'autre', content: upload.buffer, filename: upload.filename }, requestId),
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/:id/documents/:documentId', tags, summary: 'Télécharger un document',
    access: 'operations:read', reader: true, params: docParams,
    response: { 200: fichier('Le document, dans son format déposé', [MIME.pdf, MIME.docx, MIME.xlsx, 'image/jpeg', 'image/png', 'application/octet-stream']) },
    load: visible,
    handler: async ({ db, record, params, reply }) => {
      const d = await readDocument(db, record, params.documentId);
      return reply
        .header('content-type', d.type_mime)
        .header('content-disposition', contentDisposition(d.nom_fichier))
        .header('cache-control', 'private, no-store')
        .send(d.contenu);
    },
  });

  route(app, {
    method: 'DELETE', url: '/api/v1/operations/:id/documents/:documentId', tags, summary: 'Retirer un document',
    access: 'operations:write', params: docParams, status: 204, response: { 204: vide }, load: editable,
    handler: async ({ db, principal, record, params, requestId }) => {
      await removeDocument(db, principal, record, params.documentId, requestId);
      return undefined;
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations', tags,
    summary: 'Opérations du périmètre, filtrées : une page de résumés (le détail : GET /api/v1/operations/{id})',
    access: 'operations:read', reader: true,
    querystring: operationFiltersQuery.extend({
      page: z.coerce.number().int().min(1).default(1),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    // Sent as JSON text built by the database (see summaryPageSql): documented by media type.
    response: { 200: fichier('Une page de résumés', [MIME.json], operationsPageSchema) },
    handler: async ({ db, principal, query, reply }) => {
      const json = await listOperationsJson(db, principal, configured, toFilters(query), query.page, query.limit, listings);
      return reply.type('application/json; charset=utf-8').send(json);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/export.:format', tags, summary: 'Export de la liste filtrée (xlsx ou csv)',
    access: 'operations:read', reader: true, params: z.object({ format: z.enum(['xlsx', 'csv']) }), querystring: operationFiltersQuery,
    response: { 200: fichier('La liste', [MIME.xlsx, MIME.csv]) },
    handler: async ({ db, principal, params, query, reply }) => {
      const { body, contentType } = await exportOperations(db, principal, configured, toFilters(query), params.format);
      return reply
        .header('content-type', contentType)
        .header('content-disposition', `attachment; filename="operations-${new Date().toISOString().slice(0, 10)}.${params.format}"`)
        .send(body);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/operations', tags, summary: 'Déclarer une opération',
    access: 'operations:write', body: operationCreateSchema, status: 201, response: { 201: operationSchema },
    handler: async ({ db, actor, principal, body, requestId }) => {
      const row = await createOperation(db, writeContext({ actor, principal, requestId }), body);
      return getOperation(db, principal, row.id, configured);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/:id', tags, summary: 'Une opération, avec tous ses blocages',
    access: 'operations:read', params: idParams, response: { 200: operationSchema },
    handler: async ({ db, principal, params }) => getOperation(db, principal, params.id, configured),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/operations/:id', tags, summary: 'Modifier une opération (règles d’étape appliquées)',
    access: 'operations:write', params: idParams, body: operationUpdateSchema, response: { 200: operationSchema }, load: visible,
    handler: async ({ db, actor, principal, record, body, requestId }) => {
      await updateOperation(db, writeContext({ actor, principal, requestId }), record, body);
      return getOperation(db, principal, record.id, configured);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/:id/evenements', tags, summary: 'Historique de l’opération',
    access: 'operations:read', params: idParams, response: { 200: evenementsSchema }, load: visible,
    handler: async ({ db, record }) => ({ results: await timeline(db, record) }),
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/:id/concertations', tags, summary: 'Concertation des riverains : réunions, porte-à-porte',
    access: 'operations:read', params: idParams, response: { 200: concertationsSchema }, load: visible,
    handler: async ({ db, record }) => listConcertations(db, record),
  });

  route(app, {
    method: 'POST', url: '/api/v1/operations/:id/concertations', tags, summary: 'Consigner une action de concertation des riverains',
    access: 'operations:write', params: idParams, body: concertationCreateSchema, status: 201, response: { 201: concertationSchema }, load: editable,
    handler: async ({ db, actor, record, body, requestId }) => addConcertation(db, actor, record, body, requestId),
  });

  route(app, {
    method: 'POST', url: '/api/v1/operations/:id/blocages', tags, summary: 'Déclarer un blocage',
    access: 'operations:write', params: idParams, body: blocageCreateSchema, status: 201, response: { 201: blocageSchema }, load: visible,
    handler: async ({ db, actor, principal, record, body, requestId }) => declareBlocage(db, writeContext({ actor, principal, requestId }), record, body),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/operations/:id/blocages/:blocageId', tags, summary: 'Mettre à jour ou lever un blocage',
    access: 'operations:write', params: idParams.extend({ blocageId: z.uuid('Identifiant de blocage invalide.') }), body: blocageUpdateSchema, response: { 200: blocageSchema }, load: visible,
    handler: async ({ db, actor, principal, record, params, body, requestId }) => updateBlocage(db, writeContext({ actor, principal, requestId }), record, params.blocageId, body),
  });
}

/** Spreadsheet import and its template. */
export async function operationsImportRoutes(app: FastifyInstance) {
  const { database, config } = app;

  route(app, {
    method: 'GET', url: '/api/v1/operations/import/template.xlsx', tags, summary: 'Modèle de fichier d’import (colonnes en français, feuille d’aide)',
    access: 'public', response: { 200: fichier('Le modèle', [MIME.xlsx]) },
    handler: async ({ reply }) =>
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="modele-import-operations.xlsx"')
        .send(await templateXlsx()),
  });

  route(app, {
    method: 'POST', url: '/api/v1/operations/import', tags,
    summary: 'Importer des opérations (xlsx ou csv, champ multipart « file ») ; dry_run=true pour vérifier sans écrire',
    access: 'operations:import', querystring: z.object({ dry_run: z.enum(['true', 'false']).optional() }), upload: 'le fichier',
    // With Accept: application/x-ndjson the answer is streamed: {"progression":…} lines, then {"resultat":…}.
    response: { 200: importOperationsSchema, 422: importOperationsSchema.or(erreurSchema) },
    // The runner owns the import's transaction (all or nothing, dry run rolled back).
    transaction: false,
    handler: async ({ req, reply, actor, principal, query, upload, requestId }) => {
      const dryRun = query.dry_run === 'true' || upload.fields.dry_run === 'true';
      const options = { actor, principal, configured: config.departements, buffer: upload.buffer, filename: upload.filename, dryRun, requestId };
      return repondreImport(req, reply, { rien: 'rien n’est importé' }, (onProgress) => importOperations(database.db, { ...options, onProgress }));
    },
  });
}
