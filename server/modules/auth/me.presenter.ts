import { grants, ROLE_LIBELLES, SCOPE_KIND } from '../../../shared/roles.js';
import type { Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';
import { nomCommune, nomDepartement, nomEpci, organisationOf } from './me.repository.js';

export interface Scope {
  type: 'national' | 'departement' | 'epci' | 'commune' | 'organisation';
  code?: string;
  nom?: string;
}

/** The user as `/api/v1/me` shows it: role, organisation, scope and permissions. */
export async function presentMe(db: Executor, p: Principal) {
  const organisation = p.organisationId ? await organisationOf(db, p.organisationId) : undefined;
  const kind = SCOPE_KIND[p.role];
  let scope: Scope = { type: kind };
  if (kind === 'departement' && p.departement) {
    scope = { type: kind, code: p.departement, nom: await nomDepartement(db, p.departement) };
  } else if (kind === 'epci' && p.epciSiren) {
    scope = { type: kind, code: p.epciSiren, nom: await nomEpci(db, p.epciSiren) };
  } else if (kind === 'commune' && p.communeInsee) {
    scope = { type: kind, code: p.communeInsee, nom: await nomCommune(db, p.communeInsee) };
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
