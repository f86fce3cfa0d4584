/** SQL of `/api/v1/me`: the names of the user's organisation and of the place their scope names. */
import { eq } from 'drizzle-orm';
import { communes, departements, epci, organisations } from '../../../db/schema.js';
import type { Executor } from '../../db/client.js';

export async function organisationOf(db: Executor, id: string) {
  const [o] = await db.select({ id: organisations.id, nom: organisations.nom, type: organisations.type }).from(organisations).where(eq(organisations.id, id));
  return o;
}

export async function nomDepartement(db: Executor, code: string): Promise<string | undefined> {
  const [d] = await db.select({ nom: departements.nom }).from(departements).where(eq(departements.code, code));
  return d?.nom;
}

export async function nomEpci(db: Executor, siren: string): Promise<string | undefined> {
  const [e] = await db.select({ nom: epci.nom }).from(epci).where(eq(epci.siren, siren));
  return e?.nom;
}

export async function nomCommune(db: Executor, code: string): Promise<string | undefined> {
  const [c] = await db.select({ nom: communes.nom }).from(communes).where(eq(communes.codeInsee, code));
  return c?.nom;
}
