/**
 * The search vocabulary, edited by the DDTM without code: groups of equivalent expressions. Every
 * change is audited and takes effect on the next search of this instance (others within 30 s).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { groupeVocabulaireSchema, vocabulaireSchema } from '../../../shared/aides/aide.contract.js';
import { vide } from '../../../shared/contract.js';
import { route } from '../../lib/route.js';
import { invalidateVocabulaire } from './aides.search.js';
import { createGroupe, deleteGroupe, listGroupes, loadGroupe, updateGroupe } from './aides.vocabulaire.service.js';

const tags = ['Aides : vocabulaire'];
const groupeBody = z.object({
  termes: z
    .array(z.string().trim().min(1, 'Expression vide.').max(120, 'Expression trop longue (120 caractères au plus).'))
    .min(2, 'Un groupe réunit au moins deux expressions équivalentes.')
    .max(40, 'Quarante expressions au plus par groupe.')
    .refine((t) => new Set(t.map((x) => x.toLowerCase())).size === t.length, 'Expressions en double dans le groupe.'),
  note: z.string().trim().max(500).nullable().optional(),
});
const idParams = z.object({ id: z.coerce.number().int().positive('Identifiant de groupe invalide.') });

export default async function vocabulaireRoutes(app: FastifyInstance) {
  // A change takes effect on this instance's next search, once committed.
  const afterCommit = invalidateVocabulaire;
  const leGroupe = ({ db, params }: { db: Parameters<typeof loadGroupe>[0]; params: { id: number } }) => loadGroupe(db, params.id);

  route(app, {
    method: 'GET', url: '/api/v1/aides/vocabulaire', tags, summary: 'Le vocabulaire de la recherche (sigles et synonymes), public',
    access: 'public', reader: true, response: { 200: vocabulaireSchema },
    handler: async ({ db }) => ({ groupes: await listGroupes(db) }),
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/vocabulaire', tags, summary: 'Ajouter un groupe d’expressions équivalentes',
    access: 'aides:review', body: groupeBody, status: 201, response: { 201: groupeVocabulaireSchema }, afterCommit,
    handler: async ({ db, actor, body, requestId }) => createGroupe(db, actor, body, requestId),
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/aides/vocabulaire/:id', tags, summary: 'Modifier un groupe',
    access: 'aides:review', params: idParams, body: groupeBody, response: { 200: groupeVocabulaireSchema }, load: leGroupe, afterCommit,
    handler: async ({ db, actor, record, body, requestId }) => updateGroupe(db, actor, record, body, requestId),
  });

  route(app, {
    method: 'DELETE', url: '/api/v1/aides/vocabulaire/:id', tags, summary: 'Supprimer un groupe',
    access: 'aides:review', params: idParams, status: 204, response: { 204: vide }, load: leGroupe, afterCommit,
    handler: async ({ db, actor, record, requestId }) => {
      await deleteGroupe(db, actor, record, requestId);
      return undefined;
    },
  });
}
