/**
 * The database schema, shared by the embedded (PGlite) and the server (PostgreSQL) drivers.
 * Migrations in `db/migrations/` are generated from it with `npm run db:generate`, then read by hand
 * (drizzle-kit drops geometry SRIDs: see docs/decisions/0002-embedded-and-server-database.md).
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** A PostGIS MultiPolygon in WGS84, read and written as GeoJSON text through SQL functions. */
const multiPolygon = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'geometry(MultiPolygon,4326)';
  },
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const departements = pgTable('departements', {
  code: text('code').primaryKey(),
  nom: text('nom').notNull(),
  region: text('region').notNull(),
});

export const epci = pgTable('epci', {
  siren: text('siren').primaryKey(),
  nom: text('nom').notNull(),
  /** CA, CC, CU, ME (métropole) or MET69. */
  type: text('type').notNull(),
  /** Contour of the part of the EPCI that lies in the loaded départements, when shipped. */
  geom: multiPolygon('geom'),
});

export const communes = pgTable(
  'communes',
  {
    codeInsee: text('code_insee').primaryKey(),
    nom: text('nom').notNull(),
    departement: text('departement')
      .notNull()
      .references(() => departements.code),
    epciSiren: text('epci_siren').references(() => epci.siren),
    siren: text('siren'),
    population: integer('population'),
    codesPostaux: text('codes_postaux').array().notNull().default(sql`'{}'::text[]`),
    geom: multiPolygon('geom'),
  },
  (t) => [index('communes_departement_idx').on(t.departement), index('communes_epci_idx').on(t.epciSiren)],
);

/** Every kind of organisation that works on the platform (seed: "tous les acteurs"). */
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** etat, epci, commune, bailleur, financeur, epf, autre */
    type: text('type').notNull(),
    nom: text('nom').notNull(),
    siren: text('siren'),
    departement: text('departement').references(() => departements.code),
    epciSiren: text('epci_siren').references(() => epci.siren),
    communeInsee: text('commune_insee').references(() => communes.codeInsee),
    demo: boolean('demo').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('organisations_type_idx').on(t.type), index('organisations_siren_idx').on(t.siren)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased. */
    email: text('email').notNull(),
    nom: text('nom').notNull(),
    passwordHash: text('password_hash'),
    role: text('role').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    /** Scope: the département of a State agent (and of every user, for the audit log). */
    departement: text('departement').references(() => departements.code),
    /** Scope of an EPCI agent. */
    epciSiren: text('epci_siren').references(() => epci.siren),
    /** Scope of a commune user. */
    communeInsee: text('commune_insee').references(() => communes.codeInsee),
    /** Subject at the OpenID Connect provider, linked on first SSO sign-in. */
    oidcSub: text('oidc_sub'),
    actif: boolean('actif').notNull().default(true),
    demo: boolean('demo').notNull().default(false),
    createdAt: createdAt(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email), uniqueIndex('users_oidc_sub_key').on(t.oidcSub)],
);

/** Server-side sessions: the cookie carries a random token, the table its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** How the session was opened: password or oidc. */
    methode: text('methode').notNull(),
    /** ID token kept for RP-initiated logout at the provider. */
    idToken: text('id_token'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Personal API tokens (Bearer). Only a hash is stored; the clear token is shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    nom: text('nom').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, to recognise it in a list. */
    prefixe: text('prefixe').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

/** Fixed-window counters shared by every app instance (login throttling). */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** In-flight OpenID Connect sign-ins (state, nonce, PKCE verifier), so any instance can finish them. */
export const oidcStates = pgTable('oidc_states', {
  state: text('state').primaryKey(),
  nonce: text('nonce').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  redirectTo: text('redirect_to').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * Append-only audit log of every write. A trigger (migration `audit_append_only`) refuses UPDATE and
 * DELETE on it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    /** Who acted, as shown to readers: an e-mail, or "système (…)" for system jobs. */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    /** The département the record belongs to, for State agents' reading scope. */
    departement: text('departement'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
    index('audit_log_departement_at_idx').on(t.departement, t.at),
    index('audit_log_at_idx').on(t.at),
  ],
);
