import type { FastifyInstance } from 'fastify';
import { rapportSruSchema, sruCommuneParams, sruCommuneSchema, sruImportQuery } from '../../../shared/sru/sru.contract.js';
import { route } from '../../lib/route.js';
import { readUpload } from '../../lib/upload.js';
import { repondreImport } from '../../lib/import/index.js';
import { importerSru, PRESENTATION_SRU } from './sru.import.js';
import { millesimeDemande, sruCommune } from './sru.service.js';

const tags = ['Loi SRU'];

export default async function sruRoutes(app: FastifyInstance) {
  const { database } = app;

  route(app, {
    method: 'GET', url: '/api/v1/sru/communes/:code', tags, summary: 'Inventaire SRU officiel d’une commune, par millésime importé',
    access: 'public', reader: true, params: sruCommuneParams, response: { 200: sruCommuneSchema },
    handler: async ({ db, params }) => sruCommune(db, params.code),
  });

  route(app, {
    method: 'POST', url: '/api/v1/sru/import', tags,
    summary: 'Importer l’inventaire SRU officiel (CSV data.gouv.fr « Communes et inventaire SRU »), tout ou rien',
    access: 'referentiel:manage', querystring: sruImportQuery, consumes: ['multipart/form-data'], response: { 200: rapportSruSchema },
    // The importer owns its transaction (all or nothing, dry run rolled back).
    transaction: false,
    handler: async ({ req, reply, actor, query, requestId }) => {
      const file = await readUpload(req);
      const millesime = millesimeDemande(query.millesime, file.fields.millesime);
      return repondreImport(req, reply, PRESENTATION_SRU, (onProgress) =>
        importerSru(database.db, file.buffer, {
          actor,
          fichier: file.filename,
          millesime,
          dryRun: query.dry_run === 'true' || file.fields.dry_run === 'true',
          requestId,
          onProgress,
        }),
      );
    },
  });
}
