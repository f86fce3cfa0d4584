/**
 * Record-level scope: a record outside the user's scope does not exist for them (404).
 * Each module states which territory and organisation a record belongs to; these predicates decide.
 */
import type { Principal } from './principal.js';

export interface Placed {
  departement?: string | null;
  epciSiren?: string | null;
  communeInsee?: string | null;
  organisationId?: string | null;
}

/** Whether a record placed in a territory / organisation is within the principal's scope. */
export function inScope(p: Principal, record: Placed): boolean {
  switch (p.role) {
    case 'admin':
      return true;
    case 'agent_etat':
      return record.departement != null && record.departement === p.departement;
    case 'agent_epci':
      return record.epciSiren != null && record.epciSiren === p.epciSiren;
    case 'commune':
      return record.communeInsee != null && record.communeInsee === p.communeInsee;
    case 'bailleur':
    case 'financeur':
    case 'epf':
      return record.organisationId != null && record.organisationId === p.organisationId;
  }
}
