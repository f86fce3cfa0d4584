import type { FastifyInstance } from 'fastify';
import {
  importLogementsSchema,
  logementLibereCreateSchema,
  logementLibereParams,
  logementLibereSchema,
  logementLibereUpdateSchema,
  logementsImportQuery,
  logementsLiberesQuery,
  logementsLiberesSchema,
} from '../../../shared/attributions/logements-liberes.contract.js';
import { contingentsReponseSchema, contingentsSchema, livraisonsQuery, livraisonsSchema, operationParams } from '../../../shared/attributions/livraisons.contract.js';
import { PRODUITS_LOGEMENT, RESERVATAIRES, STATUTS_LOGEMENT_LIBERE, type Reservataire, type StatutLogementLibere } from '../../../shared/attributions/referentiel.js';
import { fichier, MIME } from '../../../shared/contract.js';
import { CSV_CONTENT_TYPE, ecrireCsv } from '../../lib/csv.js';
import { repondreImport } from '../../lib/import/index.js';
import { route } from '../../lib/route.js';
import { readUpload } from '../../lib/upload.js';
import { loadEditable } from '../operations/operations.service.js';
import { importerLogements, PRESENTATION_LOGEMENTS } from './logements-liberes.import.js';
import { pageLogements, tousLogements, whereLogements } from './logements-liberes.repository.js';
import { bailleurDeclarant, declarerLogement, loadLogementModifiable, presenterLogement, suivreLogement } from './logements-liberes.service.js';
import { enregistrerContingents, livraisons } from './livraisons.service.js';

const tags = ['Attributions'];
const MAX_EXPORT = 50_000;

export function logementsLiberesRoutes(app: FastifyInstance) {
  const { config, database } = app;
  const served = config.departements;

  route(app, {
    method: 'GET', url: '/api/v1/logements-liberes', tags, summary: 'Logements libérés du périmètre (commune, EPCI, bailleur, département), filtrables',
    access: 'attributions:read', querystring: logementsLiberesQuery, response: { 200: logementsLiberesSchema },
    handler: async ({ db, principal, query }) => {
      const { count, rows } = await pageLogements(db, whereLogements(principal, served, query), query.limit, query.offset);
      return { count, results: rows.map((l) => presenterLogement(l, principal, served)) };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/logements-liberes/export.csv', tags, summary: 'Export CSV des logements libérés du périmètre (mêmes filtres)',
    access: 'attributions:read', querystring: logementsLiberesQuery.omit({ limit: true, offset: true }), response: { 200: fichier('Le tableau (CSV ; séparé par des points-virgules)', [MIME.csv]) },
    handler: async ({ db, principal, query, reply }) => {
      const ls = await tousLogements(db, whereLogements(principal, served, query), MAX_EXPORT);
      const lignes: unknown[][] = [
        ['reference', 'bailleur', 'commune', 'code_insee', 'residence', 'adresse', 'typologie', 'produit', 'surface_m2', 'loyer_mensuel', 'disponible_le', 'reservataire', 'accessible', 'seance_caleol', 'statut', 'attribue_le'],
        ...ls.map((l) => [
          l.reference ?? '', l.bailleur_nom, l.commune_nom, l.commune_insee, l.residence ?? '', l.adresse ?? '', l.typologie, l.produit,
          l.surface_m2 === null ? '' : Number(l.surface_m2), l.loyer_mensuel === null ? '' : Number(l.loyer_mensuel), l.disponible_le,
          RESERVATAIRES[l.reservataire as Reservataire] ?? l.reservataire, l.accessible === null ? '' : l.accessible ? 'oui' : 'non',
          l.seance_debut ? new Date(l.seance_debut).toISOString() : '', STATUTS_LOGEMENT_LIBERE[l.statut as StatutLogementLibere]?.libelle ?? l.statut, l.attribue_le ?? '',
        ]),
      ];
      return reply.header('content-type', CSV_CONTENT_TYPE).header('content-disposition', 'attachment; filename="logements-liberes.csv"').send(ecrireCsv(lignes));
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/logements-liberes', tags, summary: 'Déclarer un logement libéré (le logement seulement : aucune donnée sur les personnes)',
    access: 'attributions:declare', body: logementLibereCreateSchema, status: 201, response: { 201: logementLibereSchema },
    handler: async ({ db, principal, body, requestId }) => presenterLogement(await declarerLogement(db, config, principal, body, requestId), principal, served),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/logements-liberes/:id', tags, summary: 'Suivre un logement libéré : proposé en CALEOL, attribué (la date seulement)',
    access: 'attributions:declare', params: logementLibereParams, body: logementLibereUpdateSchema, response: { 200: logementLibereSchema },
    load: ({ db, principal, params }) => loadLogementModifiable(db, principal, served, params.id),
    handler: async ({ db, principal, record, body, requestId }) => presenterLogement(await suivreLogement(db, config, principal, record, body, requestId), principal, served),
  });

  route(app, {
    method: 'POST', url: '/api/v1/logements-liberes/import', tags,
    summary: `Importer des logements libérés (csv ou xlsx), tout ou rien, avec essai à blanc ; produits : ${PRODUITS_LOGEMENT.join(', ')}`,
    access: 'attributions:declare', querystring: logementsImportQuery, consumes: ['multipart/form-data'], response: { 200: importLogementsSchema },
    transaction: false,
    handler: async ({ db, req, reply, principal, query, requestId }) => {
      const file = await readUpload(req);
      const bailleurId = await bailleurDeclarant(db, principal, file.fields.bailleur_id);
      return repondreImport(req, reply, PRESENTATION_LOGEMENTS, (onProgress) =>
        importerLogements(database.db, config, principal, bailleurId, file.buffer, { fichier: file.filename, dryRun: query.dry_run === 'true' || file.fields.dry_run === 'true', requestId, onProgress }),
      );
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/livraisons', tags, summary: 'Opérations du périmètre à livrer dans l’horizon (12 mois par défaut), logements par produit et contingents',
    access: ['attributions:read', 'operations:read'], querystring: livraisonsQuery, response: { 200: livraisonsSchema },
    handler: async ({ db, principal, query }) => livraisons(db, principal, served, query.horizon_mois),
  });

  route(app, {
    method: 'PUT', url: '/api/v1/operations/:id/contingents', tags, summary: 'Contingents de réservation d’une opération (logements par réservataire), par son bailleur',
    access: 'attributions:declare', params: operationParams, body: contingentsSchema, response: { 200: contingentsReponseSchema },
    load: ({ db, principal, params }) => loadEditable(db, principal, served, params.id),
    handler: async ({ db, principal, record, body, requestId }) => enregistrerContingents(db, principal, record, body.contingents, requestId),
  });
}
