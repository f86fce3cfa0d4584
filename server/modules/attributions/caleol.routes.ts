import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  calendrierSchema,
  presenceSchema,
  seanceAnnulationQuery,
  seanceCreateSchema,
  seanceParams,
  seanceSchema,
  seancesQuery,
  seancesSchema,
  seanceUpdateSchema,
} from '../../../shared/attributions/caleol.contract.js';
import { fichier } from '../../../shared/contract.js';
import { route } from '../../lib/route.js';
import { flux, monCalendrier, renouveler } from './calendrier.service.js';
import { annulerSeance, creerSeance, enregistrerPresence, listerSeances, loadSeance, loadSeanceModifiable, modifierSeance, presenterSeance } from './caleol.service.js';

const tags = ['Attributions'];

export function caleolRoutes(app: FastifyInstance) {
  const { config } = app;
  const served = config.departements;

  route(app, {
    method: 'GET', url: '/api/v1/caleol/seances', tags, summary: 'Séances de CALEOL du périmètre (communes concernées, bailleur, annulées comprises)',
    access: 'attributions:read', querystring: seancesQuery, response: { 200: seancesSchema },
    handler: async ({ db, principal, query }) => {
      const results = (await listerSeances(db, principal, served, query)).map((s) => presenterSeance(s, principal, served));
      return { count: results.length, results };
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/caleol/seances', tags, summary: 'Déclarer une séance de CALEOL (les référents des communes concernées sont prévenus)',
    access: 'attributions:declare', body: seanceCreateSchema, status: 201, response: { 201: seanceSchema },
    handler: async ({ db, principal, body, requestId }) => presenterSeance(await creerSeance(db, config, principal, body, requestId), principal, served),
  });

  route(app, {
    method: 'GET', url: '/api/v1/caleol/seances/:id', tags, summary: 'Une séance de CALEOL, ses modifications et les présences',
    access: 'attributions:read', params: seanceParams, response: { 200: seanceSchema },
    handler: async ({ db, principal, params }) => presenterSeance(await loadSeance(db, principal, served, params.id), principal, served),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/caleol/seances/:id', tags, summary: 'Modifier une séance (gardée dans l’historique ; les calendriers se mettent à jour)',
    access: 'attributions:declare', params: seanceParams, body: seanceUpdateSchema, response: { 200: seanceSchema },
    load: ({ db, principal, params }) => loadSeanceModifiable(db, principal, served, params.id),
    handler: async ({ db, principal, record, body, requestId }) => presenterSeance(await modifierSeance(db, config, principal, record, body, requestId), principal, served),
  });

  route(app, {
    method: 'DELETE', url: '/api/v1/caleol/seances/:id', tags, summary: 'Annuler une séance (elle reste, annulée, dans les calendriers)',
    access: 'attributions:declare', params: seanceParams, querystring: seanceAnnulationQuery, response: { 200: seanceSchema },
    load: ({ db, principal, params }) => loadSeanceModifiable(db, principal, served, params.id),
    handler: async ({ db, principal, record, query, requestId }) => presenterSeance(await annulerSeance(db, config, principal, record, query.motif, requestId), principal, served),
  });

  route(app, {
    method: 'PUT', url: '/api/v1/caleol/seances/:id/presence', tags, summary: 'Enregistrer qui a représenté la commune à la séance (élu, référent, personne)',
    access: 'attributions:presence', params: seanceParams, body: presenceSchema, response: { 200: seanceSchema },
    load: ({ db, principal, params }) => loadSeance(db, principal, served, params.id),
    handler: async ({ db, principal, record, body, requestId }) => presenterSeance(await enregistrerPresence(db, config, principal, record, body, requestId), principal, served),
  });

  route(app, {
    method: 'GET', url: '/api/v1/me/calendrier', tags, summary: 'L’adresse secrète de mon calendrier (iCalendar) : séances de CALEOL et réunions où je suis invité',
    access: 'attributions:read', transaction: true, response: { 200: calendrierSchema },
    handler: async ({ db, principal, requestId }) => monCalendrier(db, config, principal, requestId),
  });

  route(app, {
    method: 'POST', url: '/api/v1/me/calendrier/renouveler', tags, summary: 'Changer l’adresse de mon calendrier (l’ancienne ne répond plus)',
    access: 'attributions:read', response: { 200: calendrierSchema },
    handler: async ({ db, principal, requestId }) => renouveler(db, config, principal, requestId),
  });

  route(app, {
    method: 'GET', url: '/api/v1/calendriers/:jeton.ics', tags, summary: 'Flux iCalendar (RFC 5545) d’un abonnement, sans session : l’adresse est le secret',
    access: 'public', params: z.object({ jeton: z.string().max(200) }),
    response: { 200: fichier('Le calendrier (text/calendar)', ['text/calendar']) },
    handler: async ({ db, params, reply }) =>
      reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="atelier.ics"')
        .header('cache-control', 'private, max-age=300')
        .send(await flux(db, config, params.jeton)),
  });
}
