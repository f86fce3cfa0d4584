import { eq } from 'drizzle-orm';
import { communes, departements, epci, organisations } from '../../../db/schema.js';
import { grants, ROLE_LIBELLES, SCOPE_KIND } from '../../../shared/roles.js';
import type { Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';

export interface Scope {
  type: 'national' | 'departement' | 'epci' | 'commune' | 'organisation';
  code?: string;
  nom?: string;
}

/** The user as `/api/v1/me` shows it: role, organisation, scope and permissions. */
export async function presentMe(db: Executor, p: Principal) {
  const [organisation] = p.organisationId
    ? await db
        .select({ id: organisations.id, nom: organisations.nom, type: organisations.type })
        .from(organisations)
        .where(eq(organisations.id, p.organisationId))
    : [];
  const kind = SCOPE_KIND[p.role];
  let scope: Scope = { type: kind };
  if (kind === 'departement' && p.departement) {
    const [d] = await db.select().from(departements).where(eq(departements.code, p.departement));
    scope = { type: kind, code: p.departement, nom: d?.nom };
  } else if (kind === 'epci' && p.epciSiren) {
    const [e] = await db.select({ nom: epci.nom }).from(epci).where(eq(epci.siren, p.epciSiren));
    scope = { type: kind, code: p.epciSiren, nom: e?.nom };
  } else if (kind === 'commune' && p.communeInsee) {
    const [c] = await db.select({ nom: communes.nom }).from(communes).where(eq(communes.codeInsee, p.communeInsee));
    scope = { type: kind, code: p.communeInsee, nom: c?.nom };
  } else if (kind === 'organisation' && organisation) {
    scope = { type: kind, code: organisation.id, nom: organisation.nom };
  }
  return {
    id: p.userId,
    email: p.email,
    nom: p.nom,
    role: p.role,
    role_libelle: ROLE_LIBELLES[p.role],
    departement: p.departement,
    organisation: organisation ?? null,
    scope,
    permissions: [...grants[p.role]],
  };
}
