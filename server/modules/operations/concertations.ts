/**
 * Information and consultation of residents per operation (seed 000, AXE 4, solution 7).
 */
import { asc, eq } from 'drizzle-orm';
import { concertations } from '../../../db/schema.js';
import { MODALITES_CONCERTATION } from '../../../shared/operations/operation.schema.js';
import type { Db, Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { unprocessable } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { addEvent, loadEditable, loadVisible } from './operations.service.js';

type Row = typeof concertations.$inferSelect;

const present = (c: Row) => ({
  id: c.id,
  modalite: c.modalite,
  modalite_libelle: MODALITES_CONCERTATION[c.modalite as keyof typeof MODALITES_CONCERTATION] ?? c.modalite,
  date: c.date,
  riverains_rencontres: c.riverainsRencontres,
  preoccupations: c.preoccupations,
  reponses: c.reponses,
});

export async function listConcertations(db: Executor, p: Principal, configured: string[], operationId: string) {
  const o = await loadVisible(db, p, configured, operationId);
  const r = await db.select().from(concertations).where(eq(concertations.operationId, o.id)).orderBy(asc(concertations.date));
  return { contact_riverains: o.contact_riverains, total_riverains: r.reduce((s, c) => s + c.riverainsRencontres, 0), results: r.map(present) };
}

export async function addConcertation(
  db: Db,
  p: Principal,
  configured: string[],
  operationId: string,
  input: { modalite: string; date: string; riverains_rencontres: number; preoccupations?: string | null; reponses?: string | null },
  requestId?: string,
) {
  return db.transaction(async (tx) => {
    const o = await loadEditable(tx, p, configured, operationId);
    if (input.date > new Date().toISOString().slice(0, 10)) {
      throw unprocessable(`date : le ${input.date} est dans le futur ; consignez la concertation une fois tenue.`, { champ: 'date' });
    }
    const [c] = await tx
      .insert(concertations)
      .values({ operationId: o.id, modalite: input.modalite, date: input.date, riverainsRencontres: input.riverains_rencontres, preoccupations: input.preoccupations ?? null, reponses: input.reponses ?? null })
      .returning();
    await addEvent(tx, o.id, { kind: 'user', principal: p }, 'concertation', `${present(c!).modalite_libelle} : ${input.riverains_rencontres} riverain(s) rencontré(s)`, { concertation_id: c!.id });
    await recordAudit(tx, { kind: 'user', principal: p }, { action: 'creation', entityType: 'concertation', entityId: c!.id, departement: o.departement, after: c }, requestId);
    return present(c!);
  });
}
