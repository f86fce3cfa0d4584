/** SQL of the residents' consultation of an operation. */
import { asc, eq } from 'drizzle-orm';
import { concertations } from '../../../db/schema.js';
import type { Executor } from '../../db/client.js';

export type ConcertationRow = typeof concertations.$inferSelect;

export async function concertationsOf(db: Executor, operationId: string): Promise<ConcertationRow[]> {
  return db.select().from(concertations).where(eq(concertations.operationId, operationId)).orderBy(asc(concertations.date));
}

export async function insertConcertation(tx: Executor, values: typeof concertations.$inferInsert): Promise<ConcertationRow> {
  const [c] = await tx.insert(concertations).values(values).returning();
  return c!;
}
