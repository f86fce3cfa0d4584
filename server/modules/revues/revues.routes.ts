import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fichier, MIME } from '../../../shared/contract.js';
import {
  actionCreateSchema,
  actionParams,
  actionSchema,
  actionUpdateSchema,
  actualisationSchema,
  arbitrageSchema,
  cycleCreateSchema,
  cycleSchema,
  escaladeSchema,
  participantsSchema,
  pointCreateSchema,
  pointParams,
  pointUpdateSchema,
  revueCreateSchema,
  revueIdParams,
  revueSchema,
  revuesQuery,
  revuesSchema,
  revueUpdateSchema,
} from '../../../shared/revues/revue.contract.js';
import { route } from '../../lib/route.js';
import { FORMATS, render } from '../documents/document.js';
import { compteRendu, ordreDuJour, rapportCdhh } from './revues.documents.js';
import {
  addAction,
  addPoint,
  escalate,
  getRevue,
  inviteParticipants,
  listRevues,
  loadAction,
  loadRevue,
  recordArbitrage,
  recordPoint,
  refreshAgenda,
  scheduleCycle,
  scheduleRevue,
  updateAction,
  updateRevue,
} from './revues.service.js';

const tags = ['Revues de projet'];

export default async function revuesRoutes(app: FastifyInstance) {
  const { config } = app;
  /** Loads the review of `:id` through its scope (404 outside). */
  const laRevue = ({ db, principal, params }: { db: Parameters<typeof loadRevue>[0]; principal: Parameters<typeof loadRevue>[1]; params: { id: string } }) =>
    loadRevue(db, principal, config.departements, params.id);

  route(app, {
    method: 'GET', url: '/api/v1/revues', tags, summary: 'Revues de projet du périmètre',
    access: 'revues:read', querystring: revuesQuery, response: { 200: revuesSchema },
    handler: async ({ db, principal, query }) => {
      const results = await listRevues(db, principal, config.departements, query);
      return { count: results.length, results };
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues', tags, summary: 'Planifier une revue de projet (ordre du jour construit, invitations envoyées)',
    access: 'revues:manage', body: revueCreateSchema, status: 201, response: { 201: revueSchema },
    handler: async ({ db, principal, body, requestId }) => {
      const revue = await scheduleRevue(db, config, principal, body, requestId);
      return getRevue(db, principal, config.departements, revue.id);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues/cycle', tags, summary: 'Planifier en une fois le cycle de revues d’un EPCI (trois par an par défaut)',
    access: 'revues:manage', body: cycleCreateSchema, status: 201, response: { 201: cycleSchema },
    handler: async ({ db, principal, body, requestId }) => {
      const created = await scheduleCycle(db, config, principal, body, requestId);
      const results = [];
      for (const r of created) results.push(await getRevue(db, principal, config.departements, r.id));
      return { count: results.length, results };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/revues/:id', tags, summary: 'Une revue : ordre du jour, comptes rendus, actions',
    access: 'revues:read', params: revueIdParams, response: { 200: revueSchema },
    handler: async ({ db, principal, params }) => getRevue(db, principal, config.departements, params.id),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/revues/:id', tags, summary: 'Modifier une revue (date, lieu, statut)',
    access: 'revues:manage', params: revueIdParams, body: revueUpdateSchema, response: { 200: revueSchema }, load: laRevue,
    handler: async ({ db, principal, record, body, requestId }) => {
      await updateRevue(db, principal, record, body, requestId);
      return getRevue(db, principal, config.departements, record.id);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues/:id/ordre-du-jour/actualiser', tags, summary: 'Ajouter à l’ordre du jour les opérations entrées en difficulté depuis la planification',
    access: 'revues:contribute', params: revueIdParams, response: { 200: actualisationSchema }, load: laRevue,
    handler: async ({ db, principal, record, requestId }) => ({ ajoutes: await refreshAgenda(db, principal, record, requestId) }),
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues/:id/points', tags, summary: 'Inscrire une opération à l’ordre du jour',
    access: 'revues:contribute', params: revueIdParams, body: pointCreateSchema, status: 201, response: { 201: revueSchema }, load: laRevue,
    handler: async ({ db, principal, record, body, requestId }) => {
      await addPoint(db, principal, record, body.operation_id, requestId);
      return getRevue(db, principal, config.departements, record.id);
    },
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/revues/:id/points/:pointId', tags, summary: 'Compte rendu d’un point : situation, décisions',
    access: 'revues:manage', params: pointParams, body: pointUpdateSchema, response: { 200: revueSchema }, load: laRevue,
    handler: async ({ db, principal, record, params, body, requestId }) => {
      await recordPoint(db, principal, record, params.pointId, body, requestId);
      return getRevue(db, principal, config.departements, record.id);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues/:id/points/:pointId/actions', tags, summary: 'Décider une action (responsable, échéance)',
    access: 'revues:manage', params: pointParams, body: actionCreateSchema, status: 201, response: { 201: actionSchema }, load: laRevue,
    handler: async ({ db, principal, record, params, body, requestId }) => addAction(db, principal, record, params.pointId, body, requestId),
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues/:id/points/:pointId/escalade', tags, summary: 'Soumettre un point à l’arbitrage du préfet',
    access: 'revues:manage', params: pointParams, body: escaladeSchema, response: { 200: revueSchema }, load: laRevue,
    handler: async ({ db, principal, record, params, body, requestId }) => {
      await escalate(db, principal, record, params.pointId, body.motif, requestId);
      return getRevue(db, principal, config.departements, record.id);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues/:id/points/:pointId/arbitrage', tags, summary: 'Consigner l’arbitrage rendu par le préfet',
    access: 'revues:manage', params: pointParams, body: arbitrageSchema, response: { 200: revueSchema }, load: laRevue,
    handler: async ({ db, principal, record, params, body, requestId }) => {
      await recordArbitrage(db, principal, record, params.pointId, body, requestId);
      return getRevue(db, principal, config.departements, record.id);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/revues/:id/participants', tags, summary: 'Inviter des participants (courriel avec invitation iCalendar)',
    access: 'revues:manage', params: revueIdParams, body: participantsSchema, response: { 200: revueSchema }, load: laRevue,
    handler: async ({ db, principal, record, body, requestId }) => {
      await inviteParticipants(db, config, principal, record, body.participants, requestId);
      return getRevue(db, principal, config.departements, record.id);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/revues/:id/:document.:format', tags, summary: 'Ordre du jour ou compte rendu, en PDF ou DOCX',
    access: 'revues:read',
    params: revueIdParams.extend({ document: z.enum(['ordre-du-jour', 'compte-rendu']), format: z.enum(['pdf', 'docx']) }),
    response: { 200: fichier('Le document', [MIME.pdf, MIME.docx]) },
    handler: async ({ db, principal, params, reply }) => {
      const doc = params.document === 'ordre-du-jour' ? await ordreDuJour(db, principal, config.departements, params.id) : await compteRendu(db, principal, config.departements, params.id);
      return reply
        .header('content-type', FORMATS[params.format])
        .header('content-disposition', `attachment; filename="${params.document}-${params.id.slice(0, 8)}.${params.format}"`)
        .send(await render(doc, params.format));
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/rapports/cdhh/:annee.:format', tags: ['Indicateurs'], summary: 'Rapport annuel au CDHH (HTML, PDF ou DOCX)',
    access: 'rapports:cdhh', reader: true,
    params: z.object({ annee: z.coerce.number().int().min(2000).max(2100), format: z.enum(['html', 'pdf', 'docx']) }),
    response: { 200: fichier('Le rapport', [MIME.html, MIME.pdf, MIME.docx]) },
    handler: async ({ db, principal, params, reply }) => {
      const doc = await rapportCdhh(db, principal, config.departements, params.annee);
      if (params.format !== 'html') reply.header('content-disposition', `attachment; filename="rapport-cdhh-${params.annee}.${params.format}"`);
      return reply.header('content-type', FORMATS[params.format]).send(await render(doc, params.format));
    },
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/revues/actions/:actionId', tags, summary: 'Suivre une action (clore, rouvrir, reporter)',
    access: 'revues:contribute', params: actionParams, body: actionUpdateSchema, response: { 200: actionSchema },
    load: ({ db, principal, params }) => loadAction(db, principal, config.departements, params.actionId),
    handler: async ({ db, principal, record, body, requestId }) => updateAction(db, principal, record, body, requestId),
  });
}
