import type { Role } from '../../../shared/roles.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { conflict, ReferenceInconnue, RegleMetier } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { userPolicy } from './users.policy.js';
import { hashPassword } from '../auth/passwords.js';
import type { UserCreate, UserUpdate } from './users.schema.js';
import {
  departementOfEpci,
  emailTaken,
  endCredentials,
  findCommune,
  findOrganisation,
  findUser,
  insertUser,
  organisationSummary,
  updateUserRow,
  usersWhere,
  type UserRow,
} from './users.repository.js';


const ORGANISATION_TYPE_OF_ROLE: Partial<Record<Role, string>> = { bailleur: 'bailleur', financeur: 'financeur', epf: 'epf' };

export function presentUser(u: UserRow, org: { id: string; nom: string; type: string } | null) {
  return {
    id: u.id,
    email: u.email,
    nom: u.nom,
    role: u.role,
    actif: u.actif,
    demo: u.demo,
    organisation: org,
    departement: u.departement,
    epci_siren: u.epciSiren,
    commune_insee: u.communeInsee,
    sso_lie: u.oidcSub !== null,
    created_at: u.createdAt.toISOString(),
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
  };
}


interface ResolvedScope {
  organisationId: string | null;
  departement: string | null;
  epciSiren: string | null;
  communeInsee: string | null;
}

/**
 * Checks that the role has the scope it needs and derives the département from it.
 * Errors name the field and value (domain errors: 422).
 */
export async function resolveScope(db: Executor, configured: string[], input: Partial<UserCreate> & { role: Role }): Promise<ResolvedScope> {
  const out: ResolvedScope = { organisationId: null, departement: input.departement ?? null, epciSiren: null, communeInsee: null };
  if (input.organisation_id) {
    const org = await findOrganisation(db, input.organisation_id);
    if (!org) throw new ReferenceInconnue(`organisation_id : aucune organisation « ${input.organisation_id} ».`, { champ: 'organisation_id' });
    const expected = ORGANISATION_TYPE_OF_ROLE[input.role];
    if (expected && org.type !== expected) {
      throw new ReferenceInconnue(`organisation_id : l’organisation « ${org.nom} » est de type ${org.type}, le rôle ${input.role} demande une organisation de type ${expected}.`, { champ: 'organisation_id' });
    }
    out.organisationId = org.id;
    out.departement ??= org.departement;
  }
  switch (input.role) {
    case 'agent_etat':
      if (!input.departement) throw new RegleMetier('departement : obligatoire pour un agent de l’État.', { champ: 'departement' });
      break;
    case 'agent_epci': {
      if (!input.epci_siren) throw new RegleMetier('epci_siren : obligatoire pour un agent d’EPCI.', { champ: 'epci_siren' });
      const departement = await departementOfEpci(db, input.epci_siren, configured);
      if (!departement) throw new ReferenceInconnue(`epci_siren : aucun EPCI de SIREN « ${input.epci_siren} » dans les départements servis.`, { champ: 'epci_siren' });
      out.epciSiren = input.epci_siren;
      out.departement = departement;
      break;
    }
    case 'commune': {
      if (!input.commune_insee) throw new RegleMetier('commune_insee : obligatoire pour un compte de commune.', { champ: 'commune_insee' });
      const c = await findCommune(db, input.commune_insee);
      if (!c || !configured.includes(c.departement)) {
        throw new ReferenceInconnue(`commune_insee : aucune commune de code « ${input.commune_insee} » dans les départements servis.`, { champ: 'commune_insee' });
      }
      out.communeInsee = c.codeInsee;
      out.departement = c.departement;
      out.epciSiren = null;
      break;
    }
    case 'bailleur':
    case 'financeur':
    case 'epf':
      if (!out.organisationId) throw new RegleMetier(`organisation_id : obligatoire pour le rôle ${input.role}.`, { champ: 'organisation_id' });
      break;
    case 'admin':
      break;
  }
  if (out.departement && !configured.includes(out.departement)) {
    throw new ReferenceInconnue(`departement : le département « ${out.departement} » n’est pas servi par cette instance (${configured.join(', ')}).`, { champ: 'departement' });
  }
  return out;
}

async function organisationOf(db: Executor, id: string | null) {
  return (id && (await organisationSummary(db, id))) || null;
}

export async function listUsers(db: Executor, p: Principal) {
  const r = await usersWhere(db, userPolicy.where('read', p, []));
  return r.map((x) => presentUser(x.user, x.org?.id ? x.org : null));
}

/** The account if the principal may read it (404 otherwise). */
export async function loadVisible(db: Executor, p: Principal, id: string): Promise<UserRow> {
  // Accounts are not bounded by the served départements (servedOnly: false).
  return userPolicy.visibleOr404(await findUser(db, id), p, []);
}

/** An account as the API presents it. */
export async function getUser(db: Executor, u: UserRow) {
  return presentUser(u, await organisationOf(db, u.organisationId));
}

/** Creates an account (CLI, demo or admin), in the given transaction. The password, if any, is hashed with argon2id. */
export async function createUser(tx: Executor, actor: Actor, configured: string[], input: UserCreate, opts: { demo?: boolean; requestId?: string } = {}) {
  // 409, as it always answered: the e-mail is the sign-in key.
  if (await emailTaken(tx, input.email)) throw conflict(`email : un compte existe déjà pour « ${input.email} ».`);
  const s = await resolveScope(tx, configured, input);
  const created = await insertUser(tx, {
    email: input.email,
    nom: input.nom,
    role: input.role,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    demo: opts.demo ?? false,
    ...s,
  });
  await recordAudit(tx, actor, { action: 'creation', entityType: 'user', entityId: created.id, departement: created.departement, after: created }, opts.requestId);
  return presentUser(created, await organisationOf(tx, created.organisationId));
}

/** Changes an account the principal may read (loaded through the policy): role, scope, activation, password. */
export async function updateUser(tx: Executor, p: Principal, configured: string[], before: UserRow, input: UserUpdate, requestId?: string) {
  const id = before.id;
  const role = input.role ?? (before.role as Role);
  const scopeChanged = ['role', 'organisation_id', 'departement', 'epci_siren', 'commune_insee'].some((k) => k in input);
  const s = scopeChanged
    ? await resolveScope(tx, configured, {
        role,
        organisation_id: input.organisation_id ?? before.organisationId ?? undefined,
        departement: input.departement ?? before.departement ?? undefined,
        epci_siren: input.epci_siren ?? before.epciSiren ?? undefined,
        commune_insee: input.commune_insee ?? before.communeInsee ?? undefined,
      })
    : {};
  if (p.userId === id && (input.actif === false || (input.role && input.role !== before.role))) {
    throw new RegleMetier('Vous ne pouvez ni désactiver votre propre compte ni changer votre propre rôle.');
  }
  const after = await updateUserRow(tx, id, {
    ...(input.nom !== undefined && { nom: input.nom }),
    ...(input.role !== undefined && { role: input.role }),
    ...(input.actif !== undefined && { actif: input.actif }),
    ...(input.password !== undefined && { passwordHash: await hashPassword(input.password) }),
    ...s,
  });
  await recordAudit(tx, { kind: 'user', principal: p }, { action: 'modification', entityType: 'user', entityId: id, departement: after.departement, before, after }, requestId);
  // A new password or a deactivation ends the credentials issued before it (issue 19): a reset
  // must lock out whoever held the old password, and a reactivation must not revive them.
  if (input.actif === false || input.password !== undefined) {
    const keep = input.actif !== false && p.userId === id ? p.sessionHash : undefined;
    const ended = await endCredentials(tx, id, keep);
    const motif = input.actif === false ? 'désactivation' : 'nouveau mot de passe';
    await recordAudit(tx, { kind: 'user', principal: p }, { action: 'fin_des_acces', entityType: 'user', entityId: id, departement: after.departement, after: { motif, ...ended } }, requestId);
  }
  return presentUser(after, await organisationOf(tx, after.organisationId));
}
