/** SQL of the accounts: users, their organisation, the places their scope names, their credentials. */
import { and, desc, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { apiTokens, communes, organisations, sessions, users } from '../../../db/schema.js';
import { rows, textArray, type Executor } from '../../db/client.js';

export type UserRow = typeof users.$inferSelect;
export type OrganisationSummary = { id: string; nom: string; type: string };

export async function findUser(db: Executor, id: string): Promise<UserRow | undefined> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u;
}

export async function emailTaken(db: Executor, email: string): Promise<boolean> {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return Boolean(u);
}

/** Accounts matching `where` (the policy's SQL), newest first, with their organisation. */
export async function usersWhere(db: Executor, where: SQL | undefined) {
  return db
    .select({ user: users, org: { id: organisations.id, nom: organisations.nom, type: organisations.type } })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(where)
    .orderBy(desc(users.createdAt), users.email);
}

export async function findOrganisation(db: Executor, id: string) {
  const [org] = await db.select().from(organisations).where(eq(organisations.id, id));
  return org;
}

export async function organisationSummary(db: Executor, id: string): Promise<OrganisationSummary | undefined> {
  const [org] = await db.select({ id: organisations.id, nom: organisations.nom, type: organisations.type }).from(organisations).where(eq(organisations.id, id));
  return org;
}

/** The first served département where the EPCI has communes (undefined: not an EPCI served here). */
export async function departementOfEpci(db: Executor, epciSiren: string, served: string[]): Promise<string | undefined> {
  const r = await rows<{ departement: string }>(
    db,
    sql`SELECT c.departement FROM communes c WHERE c.epci_siren = ${epciSiren} AND c.departement = ANY(${textArray(served)}) ORDER BY c.departement LIMIT 1`,
  );
  return r[0]?.departement;
}

export async function findCommune(db: Executor, code: string) {
  const [c] = await db.select({ codeInsee: communes.codeInsee, departement: communes.departement }).from(communes).where(eq(communes.codeInsee, code));
  return c;
}

export async function insertUser(tx: Executor, values: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await tx.insert(users).values(values).returning();
  return created!;
}

export async function updateUserRow(tx: Executor, id: string, changes: Partial<typeof users.$inferInsert>): Promise<UserRow> {
  const [after] = await tx.update(users).set(changes).where(eq(users.id, id)).returning();
  return after!;
}

/**
 * Deletes the user's sessions (but `keepSessionHash`, the one making a password change) and revokes
 * their API tokens.
 */
export async function endCredentials(tx: Executor, userId: string, keepSessionHash?: string) {
  const deleted = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keepSessionHash ? ne(sessions.tokenHash, keepSessionHash) : undefined))
    .returning({ userId: sessions.userId });
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return { sessions_fermees: deleted.length, jetons_revoques: revoked.map((r) => r.id) };
}
