import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { siren } from '../../../shared/identifiants.js';
import { requirePermission } from '../../lib/principal.js';
import { FORMATS, render } from '../documents/document.js';
import { compteRendu, ordreDuJour, rapportCdhh } from './revues.documents.js';
import {
  actionCreateSchema,
  actionUpdateSchema,
  arbitrageSchema,
  escaladeSchema,
  participantSchema,
  pointUpdateSchema,
  cycleCreateSchema,
  revueCreateSchema,
  revueUpdateSchema,
} from './revues.schema.js';
import {
  addAction,
  addPoint,
  escalate,
  getRevue,
  inviteParticipants,
  listRevues,
  recordArbitrage,
  recordPoint,
  refreshAgenda,
  scheduleCycle,
  scheduleRevue,
  updateAction,
  updateRevue,
} from './revues.service.js';

const tags = ['Revues de projet'];
const idParams = z.object({ id: z.uuid('Identifiant de revue invalide.') });
const pointParams = idParams.extend({ pointId: z.uuid('Identifiant de point invalide.') });

export default async function revuesRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app;
  const db = database.db;

  app.get('/api/v1/revues', { schema: { tags, summary: 'Revues de projet du périmètre', querystring: z.object({ epci: siren.optional(), annee: z.coerce.number().int().min(2000).max(2100).optional() }) } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:read');
    const results = await listRevues(db, p, config.departements, req.query);
    return { count: results.length, results };
  });

  app.post('/api/v1/revues', { schema: { tags, summary: 'Planifier une revue de projet (ordre du jour construit, invitations envoyées)', body: revueCreateSchema } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'revues:manage');
    const revue = await scheduleRevue(db, config, p, req.body, req.id);
    return reply.status(201).send(await getRevue(db, p, config.departements, revue.id));
  });

  app.post('/api/v1/revues/cycle', { schema: { tags, summary: 'Planifier en une fois le cycle de revues d’un EPCI (trois par an par défaut)', body: cycleCreateSchema } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'revues:manage');
    const created = await scheduleCycle(db, config, p, req.body, req.id);
    return reply.status(201).send({ count: created.length, results: await Promise.all(created.map((r) => getRevue(db, p, config.departements, r.id))) });
  });

  app.get('/api/v1/revues/:id', { schema: { tags, summary: 'Une revue : ordre du jour, comptes rendus, actions', params: idParams } }, async (req) => getRevue(db, requirePermission(req.principal, 'revues:read'), config.departements, req.params.id));

  app.patch('/api/v1/revues/:id', { schema: { tags, summary: 'Modifier une revue (date, lieu, statut)', params: idParams, body: revueUpdateSchema } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:manage');
    await updateRevue(db, p, config.departements, req.params.id, req.body, req.id);
    return getRevue(db, p, config.departements, req.params.id);
  });

  app.post('/api/v1/revues/:id/ordre-du-jour/actualiser', { schema: { tags, summary: 'Ajouter à l’ordre du jour les opérations entrées en difficulté depuis la planification', params: idParams } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:contribute');
    return { ajoutes: await refreshAgenda(db, p, config.departements, req.params.id, req.id) };
  });

  app.post('/api/v1/revues/:id/points', { schema: { tags, summary: 'Inscrire une opération à l’ordre du jour', params: idParams, body: z.object({ operation_id: z.uuid('Identifiant d’opération invalide.') }) } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'revues:contribute');
    await addPoint(db, p, config.departements, req.params.id, req.body.operation_id, req.id);
    return reply.status(201).send(await getRevue(db, p, config.departements, req.params.id));
  });

  app.patch('/api/v1/revues/:id/points/:pointId', { schema: { tags, summary: 'Compte rendu d’un point : situation, décisions', params: pointParams, body: pointUpdateSchema } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:manage');
    await recordPoint(db, p, config.departements, req.params.id, req.params.pointId, req.body, req.id);
    return getRevue(db, p, config.departements, req.params.id);
  });

  app.post('/api/v1/revues/:id/points/:pointId/actions', { schema: { tags, summary: 'Décider une action (responsable, échéance)', params: pointParams, body: actionCreateSchema } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'revues:manage');
    return reply.status(201).send(await addAction(db, p, config.departements, req.params.id, req.params.pointId, req.body, req.id));
  });

  app.post('/api/v1/revues/:id/points/:pointId/escalade', { schema: { tags, summary: 'Soumettre un point à l’arbitrage du préfet', params: pointParams, body: escaladeSchema } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:manage');
    await escalate(db, p, config.departements, req.params.id, req.params.pointId, req.body.motif, req.id);
    return getRevue(db, p, config.departements, req.params.id);
  });

  app.post('/api/v1/revues/:id/points/:pointId/arbitrage', { schema: { tags, summary: 'Consigner l’arbitrage rendu par le préfet', params: pointParams, body: arbitrageSchema } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:manage');
    await recordArbitrage(db, p, config.departements, req.params.id, req.params.pointId, req.body, req.id);
    return getRevue(db, p, config.departements, req.params.id);
  });

  app.post('/api/v1/revues/:id/participants', { schema: { tags, summary: 'Inviter des participants (courriel avec invitation iCalendar)', params: idParams, body: z.object({ participants: z.array(participantSchema).min(1).max(100) }) } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:manage');
    await inviteParticipants(db, config, p, req.params.id, req.body.participants, req.id);
    return getRevue(db, p, config.departements, req.params.id);
  });

  app.get(
    '/api/v1/revues/:id/:document.:format',
    { schema: { tags, summary: 'Ordre du jour ou compte rendu, en PDF ou DOCX', params: idParams.extend({ document: z.enum(['ordre-du-jour', 'compte-rendu']), format: z.enum(['pdf', 'docx']) }) } },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'revues:read');
      const doc = req.params.document === 'ordre-du-jour' ? await ordreDuJour(db, p, config.departements, req.params.id) : await compteRendu(db, p, config.departements, req.params.id);
      return reply
        .header('content-type', FORMATS[req.params.format])
        .header('content-disposition', `attachment; filename="${req.params.document}-${req.params.id.slice(0, 8)}.${req.params.format}"`)
        .send(await render(doc, req.params.format));
    },
  );

  app.get(
    '/api/v1/rapports/cdhh/:annee.:format',
    { schema: { tags: ['Indicateurs'], summary: 'Rapport annuel au CDHH (HTML, PDF ou DOCX)', params: z.object({ annee: z.coerce.number().int().min(2000).max(2100), format: z.enum(['html', 'pdf', 'docx']) }) } },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'rapports:cdhh');
      const doc = await rapportCdhh(database.reader, p, config.departements, req.params.annee);
      if (req.params.format !== 'html') reply.header('content-disposition', `attachment; filename="rapport-cdhh-${req.params.annee}.${req.params.format}"`);
      return reply.header('content-type', FORMATS[req.params.format]).send(await render(doc, req.params.format));
    },
  );

  app.patch('/api/v1/revues/actions/:actionId', { schema: { tags, summary: 'Suivre une action (clore, rouvrir, reporter)', params: z.object({ actionId: z.uuid('Identifiant d’action invalide.') }), body: actionUpdateSchema } }, async (req) => {
    const p = requirePermission(req.principal, 'revues:contribute');
    return updateAction(db, p, config.departements, req.params.actionId, req.body, req.id);
  });
}
