import type { Permission, Role } from '../../shared/roles.js';
import { can } from '../../shared/roles.js';
import { forbidden, unauthorized } from './errors.js';

/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  email: string;
  nom: string;
  role: Role;
  organisationId: string | null;
  departement: string | null;
  epciSiren: string | null;
  communeInsee: string | null;
  via: 'session' | 'token';
  /** Set when authenticated by a session cookie: the token to send back on writes. */
  csrfToken?: string;
  sessionHash?: string;
}

/** Who acts in the audit log: a user, or an explicit system identity (never a hidden bypass). */
export type Actor = { kind: 'user'; principal: Principal } | { kind: 'system'; label: string };

export const systemActor = (job: string): Actor => ({ kind: 'system', label: `système (${job})` });

/** Route-level check: authenticated and granted the permission; returns the principal. */
export function requirePermission(principal: Principal | undefined, permission: Permission): Principal {
  if (!principal) throw unauthorized();
  if (!can(principal.role, permission)) throw forbidden();
  return principal;
}

export function requireUser(principal: Principal | undefined): Principal {
  if (!principal) throw unauthorized();
  return principal;
}
