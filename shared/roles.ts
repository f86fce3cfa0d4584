/**
 * Roles and permissions: one table, one pure function (trackdechets' permissions.ts).
 * The route checks the permission; the service checks the record's scope (see server/lib/policy.ts and each module's `<entity>.policy.ts`).
 */
export const ROLES = ['admin', 'agent_etat', 'agent_epci', 'commune', 'bailleur', 'financeur', 'epf'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LIBELLES: Record<Role, string> = {
  admin: 'Administrateur',
  agent_etat: 'Agent de l’État',
  agent_epci: 'Agent d’EPCI',
  commune: 'Commune',
  bailleur: 'Bailleur social',
  financeur: 'Financeur',
  epf: 'Établissement public foncier',
};

export const PERMISSIONS = [
  /** Read user accounts (in scope). */
  'users:read',
  /** Create and edit user accounts. */
  'users:manage',
  /** Read the organisations of the département. */
  'organisations:read',
  /** Create and edit organisations. */
  'organisations:manage',
  /** Read the audit log (in scope). */
  'audit:read',
  /** Hold personal API tokens. */
  'tokens:own',
  /** Load reference data (communes, EPCI) and demo data. */
  'referentiel:manage',
  /** Read the operations register (in scope). */
  'operations:read',
  /** Create and edit operations and their blockers (in scope). */
  'operations:write',
  /** Import operations from a spreadsheet (in scope). */
  'operations:import',
  /** Read project reviews, their records and actions (in scope). */
  'revues:read',
  /** Schedule and chair project reviews: record, decide, escalate to the préfet (the DDTM). */
  'revues:manage',
  /** Add operations to a review's agenda and follow up actions (the EPCI). */
  'revues:contribute',
  /** Produce the annual report to the CDHH (the DDTM, for the préfet). */
  'rapports:cdhh',
  /** Edit the financing aids of one's own organisation (the financers). */
  'aides:write',
  /** Review and publish financers' aids, follow the catalogue campaign and search statistics (the DDTM). */
  'aides:review',
  /** Import aides-territoires JSON into the catalogue. */
  'aides:import',
  /** Read the land observatory's gisements (in scope; shared ones for bailleurs). */
  'foncier:read',
  /** Create and edit gisements of one's territory, import them. */
  'foncier:write',
  /** Edit the EPF portage data of gisements (the EPF). */
  'foncier:portage',
  // ----- Attributions (issue 14): CALEOL sittings, vacated dwellings, deliveries ahead
  /** Read the CALEOL sittings and the vacated dwellings of one's scope, subscribe to the calendar feed. */
  'attributions:read',
  /** Declare one's own CALEOL sittings and vacated dwellings, record reservation contingents (the landlords). */
  'attributions:declare',
  /** Record the attendance of one's commune at a sitting (the communes). */
  'attributions:presence',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const everyone: Permission[] = ['tokens:own', 'organisations:read'];
const operationsInScope: Permission[] = ['operations:read', 'operations:write', 'operations:import'];
const foncierInScope: Permission[] = ['foncier:read', 'foncier:write'];
/** Attributions (issue 14): every territorial actor reads its scope; landlords declare; communes record attendance. */
const attributions = {
  lire: ['attributions:read'] as Permission[],
  bailleur: ['attributions:read', 'attributions:declare'] as Permission[],
  commune: ['attributions:read', 'attributions:presence'] as Permission[],
};

export const grants: Record<Role, readonly Permission[]> = {
  admin: [...PERMISSIONS],
  agent_etat: [
    ...everyone, 'users:read', 'organisations:manage', 'audit:read', ...operationsInScope,
    'revues:read', 'revues:manage', 'revues:contribute', 'rapports:cdhh', 'aides:review', 'aides:import', ...foncierInScope, 'foncier:portage',
    ...attributions.lire,
  ],
  agent_epci: [...everyone, ...operationsInScope, 'revues:read', 'revues:contribute', ...foncierInScope, ...attributions.lire],
  commune: [...everyone, ...operationsInScope, ...foncierInScope, ...attributions.commune],
  bailleur: [...everyone, ...operationsInScope, 'foncier:read', ...attributions.bailleur],
  financeur: [...everyone, 'aides:write'],
  epf: [...everyone, 'foncier:read', 'foncier:portage'],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Which kind of scope each role is bound to. */
export const SCOPE_KIND: Record<Role, 'national' | 'departement' | 'epci' | 'commune' | 'organisation'> = {
  admin: 'national',
  agent_etat: 'departement',
  agent_epci: 'epci',
  commune: 'commune',
  bailleur: 'organisation',
  financeur: 'organisation',
  epf: 'organisation',
};

export const ORGANISATION_TYPES = ['etat', 'epci', 'commune', 'bailleur', 'financeur', 'epf', 'autre'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];
