import { and, asc, eq, type SQL } from 'drizzle-orm';
import { organisations } from '../../../db/schema.js';
import type { OrganisationCreate } from '../../../shared/organisations/organisation.contract.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { notFound, ReferenceInconnue } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { organisationPolicy } from './organisations.policy.js';

export { organisationCreateSchema, type OrganisationCreate } from '../../../shared/organisations/organisation.contract.js';

type OrgRow = typeof organisations.$inferSelect;

export const presentOrganisation = (o: OrgRow) => ({
  id: o.id,
  type: o.type,
  nom: o.nom,
  siren: o.siren,
  departement: o.departement,
  epci_siren: o.epciSiren,
  commune_insee: o.communeInsee,
  demo: o.demo,
});

/** The organisations the principal reads (organisations.policy.ts; not bounded by the served départements). */
const visibility = (p: Principal): SQL => organisationPolicy.where('read', p, []);

export async function listOrganisations(db: Executor, p: Principal, type?: string) {
  const where = [visibility(p), type ? eq(organisations.type, type) : undefined].filter(Boolean) as SQL[];
  const r = await db.select().from(organisations).where(where.length ? and(...where) : undefined).orderBy(asc(organisations.type), asc(organisations.nom));
  return r.map(presentOrganisation);
}

export async function getOrganisation(db: Executor, p: Principal, id: string) {
  const [o] = await db.select().from(organisations).where(eq(organisations.id, id));
  return presentOrganisation(organisationPolicy.visibleOr404(o, p, []));
}

export async function createOrganisation(tx: Executor, actor: Actor, configured: string[], input: OrganisationCreate, opts: { demo?: boolean; requestId?: string } = {}) {
  const departement =
    input.departement ??
    (input.commune_insee ? input.commune_insee.slice(0, input.commune_insee.startsWith('97') ? 3 : 2) : undefined) ??
    (actor.kind === 'user' ? (actor.principal.departement ?? undefined) : undefined);
  if (departement && !configured.includes(departement)) {
    throw new ReferenceInconnue(`departement : le département « ${departement} » n’est pas servi par cette instance.`, { champ: 'departement' });
  }
  if (actor.kind === 'user' && actor.principal.role !== 'admin' && departement !== actor.principal.departement) {
    throw new ReferenceInconnue(`departement : vous ne pouvez créer une organisation que dans votre département (${actor.principal.departement}).`, { champ: 'departement' });
  }
  const [created] = await tx
    .insert(organisations)
    .values({
      type: input.type,
      nom: input.nom,
      siren: input.siren ?? null,
      departement: departement ?? null,
      epciSiren: input.epci_siren ?? null,
      communeInsee: input.commune_insee ?? null,
      demo: opts.demo ?? false,
    })
    .returning();
  await recordAudit(tx, actor, { action: 'creation', entityType: 'organisation', entityId: created!.id, departement: created!.departement, after: created }, opts.requestId);
  return presentOrganisation(created!);
}
