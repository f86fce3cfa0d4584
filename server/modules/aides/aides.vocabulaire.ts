/**
 * The search vocabulary, edited by the DDTM without code: groups of equivalent expressions. Every
 * change is audited and takes effect on the next search of this instance (others within 30 s).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rows, textArray } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { notFound } from '../../lib/errors.js';
import { requirePermission } from '../../lib/principal.js';
import { invalidateVocabulaire } from './aides.search.js';

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

interface GroupeRow {
  id: number;
  termes: string[];
  note: string | null;
  updated_at: string;
}

export default async function vocabulaireRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database } = app;
  const load = async (id: number) => {
    const [g] = await rows<GroupeRow>(database.db, sql`SELECT id::int AS id, termes, note, updated_at::text FROM aides_vocabulaire WHERE id = ${id}`);
    if (!g) throw notFound('Groupe de vocabulaire introuvable.');
    return g;
  };

  app.get('/api/v1/aides/vocabulaire', { schema: { tags, summary: 'Le vocabulaire de la recherche (sigles et synonymes), public' } }, async () => ({
    groupes: await rows<GroupeRow>(database.reader, sql`SELECT id::int AS id, termes, note, updated_at::text FROM aides_vocabulaire ORDER BY id`),
  }));

  app.post('/api/v1/aides/vocabulaire', { schema: { tags, summary: 'Ajouter un groupe d’expressions équivalentes', body: groupeBody } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'aides:review');
    const g = await database.db.transaction(async (tx) => {
      const [row] = await rows<{ id: number }>(tx, sql`INSERT INTO aides_vocabulaire (termes, note) VALUES (${textArray(req.body.termes)}, ${req.body.note ?? null}) RETURNING id::int AS id`);
      await recordAudit(tx, { kind: 'user', principal: p }, { action: 'creation', entityType: 'aides_vocabulaire', entityId: String(row!.id), after: req.body }, req.id);
      return row!;
    });
    invalidateVocabulaire();
    return reply.status(201).send(await load(g.id));
  });

  app.patch('/api/v1/aides/vocabulaire/:id', { schema: { tags, summary: 'Modifier un groupe', params: idParams, body: groupeBody } }, async (req) => {
    const p = requirePermission(req.principal, 'aides:review');
    const before = await load(req.params.id);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE aides_vocabulaire SET termes = ${textArray(req.body.termes)}, note = ${req.body.note ?? null}, updated_at = now() WHERE id = ${req.params.id}`);
      await recordAudit(tx, { kind: 'user', principal: p }, { action: 'modification', entityType: 'aides_vocabulaire', entityId: String(req.params.id), before, after: req.body }, req.id);
    });
    invalidateVocabulaire();
    return load(req.params.id);
  });

  app.delete('/api/v1/aides/vocabulaire/:id', { schema: { tags, summary: 'Supprimer un groupe', params: idParams } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'aides:review');
    const before = await load(req.params.id);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM aides_vocabulaire WHERE id = ${req.params.id}`);
      await recordAudit(tx, { kind: 'user', principal: p }, { action: 'suppression', entityType: 'aides_vocabulaire', entityId: String(req.params.id), before }, req.id);
    });
    invalidateVocabulaire();
    return reply.status(204).send();
  });
}
