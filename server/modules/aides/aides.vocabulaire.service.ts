/**
 * The search vocabulary's groups (sigles and synonyms): reading and audited writes. Writers receive
 * the route's transaction; the search's cache is invalidated by the route once it has committed.
 */
import { sql } from 'drizzle-orm';
import { rows, textArray, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { notFound } from '../../lib/errors.js';
import type { Actor } from '../../lib/principal.js';

export interface GroupeRow {
  id: number;
  termes: string[];
  note: string | null;
  updated_at: string;
}

export interface GroupeEdition {
  termes: string[];
  note?: string | null;
}

export function listGroupes(db: Executor): Promise<GroupeRow[]> {
  return rows<GroupeRow>(db, sql`SELECT id::int AS id, termes, note, updated_at::text FROM aides_vocabulaire ORDER BY id`);
}

export async function loadGroupe(db: Executor, id: number): Promise<GroupeRow> {
  const [g] = await rows<GroupeRow>(db, sql`SELECT id::int AS id, termes, note, updated_at::text FROM aides_vocabulaire WHERE id = ${id}`);
  if (!g) throw notFound('Groupe de vocabulaire introuvable.');
  return g;
}

export async function createGroupe(tx: Executor, actor: Actor, input: GroupeEdition, requestId?: string): Promise<GroupeRow> {
  const [row] = await rows<{ id: number }>(tx, sql`INSERT INTO aides_vocabulaire (termes, note) VALUES (${textArray(input.termes)}, ${input.note ?? null}) RETURNING id::int AS id`);
  await recordAudit(tx, actor, { action: 'creation', entityType: 'aides_vocabulaire', entityId: String(row!.id), after: input }, requestId);
  return loadGroupe(tx, row!.id);
}

export async function updateGroupe(tx: Executor, actor: Actor, before: GroupeRow, input: GroupeEdition, requestId?: string): Promise<GroupeRow> {
  await tx.execute(sql`UPDATE aides_vocabulaire SET termes = ${textArray(input.termes)}, note = ${input.note ?? null}, updated_at = now() WHERE id = ${before.id}`);
  await recordAudit(tx, actor, { action: 'modification', entityType: 'aides_vocabulaire', entityId: String(before.id), before, after: input }, requestId);
  return loadGroupe(tx, before.id);
}

export async function deleteGroupe(tx: Executor, actor: Actor, before: GroupeRow, requestId?: string): Promise<void> {
  await tx.execute(sql`DELETE FROM aides_vocabulaire WHERE id = ${before.id}`);
  await recordAudit(tx, actor, { action: 'suppression', entityType: 'aides_vocabulaire', entityId: String(before.id), before }, requestId);
}
