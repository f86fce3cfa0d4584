/**
 * Information and consultation of residents per operation (seed 000, AXE 4, solution 7).
 */
import { MODALITES_CONCERTATION } from '../../../shared/operations/operation.schema.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { RegleMetier } from '../../lib/errors.js';
import type { Actor } from '../../lib/principal.js';
import { concertationsOf, insertConcertation, type ConcertationRow } from './concertations.repository.js';
import type { OperationRow } from './operations.repository.js';
import { addEvent } from './operations.service.js';

const present = (c: ConcertationRow) => ({
  id: c.id,
  modalite: c.modalite,
  modalite_libelle: MODALITES_CONCERTATION[c.modalite as keyof typeof MODALITES_CONCERTATION] ?? c.modalite,
  date: c.date,
  riverains_rencontres: c.riverainsRencontres,
  preoccupations: c.preoccupations,
  reponses: c.reponses,
});

/** The consultation of an operation the caller sees (loaded through the policy). */
export async function listConcertations(db: Executor, o: OperationRow) {
  const r = await concertationsOf(db, o.id);
  return { contact_riverains: o.contact_riverains, total_riverains: r.reduce((s, c) => s + c.riverainsRencontres, 0), results: r.map(present) };
}

/** Records a consultation action held on an operation the caller may edit. */
export async function addConcertation(
  tx: Executor,
  actor: Actor,
  o: OperationRow,
  input: { modalite: string; date: string; riverains_rencontres: number; preoccupations?: string | null; reponses?: string | null },
  requestId?: string,
) {
  if (input.date > new Date().toISOString().slice(0, 10)) {
    throw new RegleMetier(`date : le ${input.date} est dans le futur ; consignez la concertation une fois tenue.`, { champ: 'date' });
  }
  const c = await insertConcertation(tx, { operationId: o.id, modalite: input.modalite, date: input.date, riverainsRencontres: input.riverains_rencontres, preoccupations: input.preoccupations ?? null, reponses: input.reponses ?? null });
  await addEvent(tx, o.id, actor, 'concertation', `${present(c).modalite_libelle} : ${input.riverains_rencontres} riverain(s) rencontré(s)`, { concertation_id: c.id });
  await recordAudit(tx, actor, { action: 'creation', entityType: 'concertation', entityId: c.id, departement: o.departement, after: c }, requestId);
  return present(c);
}
