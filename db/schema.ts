/**
 * The database schema, shared by the embedded (PGlite) and the server (PostgreSQL) drivers.
 * Migrations in `db/migrations/` are generated from it with `npm run db:generate`, then read by hand
 * (drizzle-kit drops geometry SRIDs: see docs/decisions/0002-embedded-and-server-database.md).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
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

/** A PostGIS point in WGS84. */
const point = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'geometry(Point,4326)';
  },
});

/**
 * The register of social-housing operations (opérations de logement social). Territory columns
 * (departement, epci) are derived from the commune on write, for scope checks and filters.
 * Stages, their required and locked fields and the allowed transitions are data:
 * shared/operations/etapes.ts.
 */
export const operations = pgTable(
  'operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nom: text('nom').notNull(),
    communeInsee: text('commune_insee')
      .notNull()
      .references(() => communes.codeInsee),
    epciSiren: text('epci_siren').references(() => epci.siren),
    departement: text('departement')
      .notNull()
      .references(() => departements.code),
    adresse: text('adresse'),
    localisation: point('localisation'),
    bailleurId: uuid('bailleur_id')
      .notNull()
      .references(() => organisations.id),
    /** SIAP (formerly Galion) number, when known: the re-import key. */
    numeroSiap: text('numero_siap'),
    /** construction_neuve, vefa, acquisition_amelioration, demolition_reconstruction, residence_specifique */
    type: text('type').notNull(),
    plai: integer('plai').notNull().default(0),
    plaiAdapte: integer('plai_adapte').notNull().default(0),
    plus: integer('plus').notNull().default(0),
    pls: integer('pls').notNull().default(0),
    psla: integer('psla').notNull().default(0),
    brs: integer('brs').notNull().default(0),
    anneeProgrammation: integer('annee_programmation'),
    etape: text('etape').notNull(),
    motifAbandon: text('motif_abandon'),
    dateFoncierMaitrise: date('date_foncier_maitrise'),
    dateDepotPermis: date('date_depot_permis'),
    dateObtentionPermis: date('date_obtention_permis'),
    dateRecours: date('date_recours'),
    dateAgrement: date('date_agrement'),
    dateAppelOffres: date('date_appel_offres'),
    dateOrdreService: date('date_ordre_service'),
    dateLivraison: date('date_livraison'),
    /** Planned dates: an operation past one of them without the actual date is late. */
    dateAgrementPrevue: date('date_agrement_prevue'),
    dateOrdreServicePrevue: date('date_ordre_service_prevue'),
    dateLivraisonPrevue: date('date_livraison_prevue'),
    /** Prix de revient, in euros. */
    coutTotal: numeric('cout_total', { precision: 14, scale: 2, mode: 'number' }),
    /** Financing plan: [{ categorie: pret|subvention|fonds_propres, source, financeur?, montant }]. */
    planFinancement: jsonb('plan_financement').notNull().default(sql`'[]'::jsonb`),
    /** Phone number residents can call about the operation during the whole project (solution 7). */
    contactRiverains: text('contact_riverains'),
    /** Denormalised count of open blockers, kept by the blockers service (filter "en difficulté"). */
    nbBlocagesOuverts: integer('nb_blocages_ouverts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('operations_numero_siap_key').on(t.numeroSiap),
    // Listings are scoped (EPCI, commune, landlord, département) and sorted by last update.
    index('operations_epci_idx').on(t.epciSiren, t.updatedAt.desc(), t.id),
    index('operations_commune_idx').on(t.communeInsee, t.updatedAt.desc(), t.id),
    index('operations_bailleur_idx').on(t.bailleurId, t.updatedAt.desc(), t.id),
    index('operations_departement_idx').on(t.departement, t.updatedAt.desc(), t.id),
  ],
);

/** Blockers (blocages) of an operation, with the seeds' taxonomy (shared/operations/blocages.ts). */
export const blocages = pgTable(
  'blocages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    operationId: uuid('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    description: text('description').notNull(),
    depuis: date('depuis').notNull(),
    /** Who must act to lift it (free text: "commune", "DDTM", "bailleur", a name…). */
    acteurAttendu: text('acteur_attendu'),
    /** ouvert, en_cours, leve */
    statut: text('statut').notNull(),
    leveLe: date('leve_le'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('blocages_operation_idx').on(t.operationId), index('blocages_type_statut_idx').on(t.type, t.statut)],
);

/** The operation's timeline: every change, readable by those who see the operation. */
export const operationEvenements = pgTable(
  'operation_evenements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    operationId: uuid('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorLabel: text('actor_label').notNull(),
    /** creation, modification, etape, blocage_ouvert, blocage_modifie, blocage_leve, import */
    kind: text('kind').notNull(),
    resume: text('resume').notNull(),
    details: jsonb('details'),
  },
  (t) => [index('operation_evenements_operation_idx').on(t.operationId, t.at)],
);

/**
 * Project reviews (revues de projet), per EPCI, three times a year by default (seed 000, solution 1):
 * the DDTM schedules and chairs them, the EPCI lists the operations to discuss.
 */
export const revues = pgTable(
  'revues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    epciSiren: text('epci_siren')
      .notNull()
      .references(() => epci.siren),
    departement: text('departement')
      .notNull()
      .references(() => departements.code),
    date: timestamp('date', { withTimezone: true }).notNull(),
    lieu: text('lieu'),
    /** planifiee, tenue, annulee */
    statut: text('statut').notNull().default('planifiee'),
    createdAt: createdAt(),
  },
  (t) => [index('revues_epci_date_idx').on(t.epciSiren, t.date), index('revues_departement_date_idx').on(t.departement, t.date)],
);

export const revueParticipants = pgTable(
  'revue_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    revueId: uuid('revue_id')
      .notNull()
      .references(() => revues.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    nom: text('nom'),
    organisation: text('organisation'),
    inviteLe: timestamp('invite_le', { withTimezone: true }),
  },
  (t) => [uniqueIndex('revue_participants_key').on(t.revueId, t.email)],
);

/** An item of a review's agenda: one operation, its record (situation, decisions) and escalation. */
export const revuePoints = pgTable(
  'revue_points',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    revueId: uuid('revue_id')
      .notNull()
      .references(() => revues.id, { onDelete: 'cascade' }),
    operationId: uuid('operation_id')
      .notNull()
      .references(() => operations.id),
    /** en_difficulte, actions_en_cours, ajout */
    origine: text('origine').notNull(),
    ordre: integer('ordre').notNull(),
    situation: text('situation'),
    decisions: text('decisions'),
    /** Escalation to an arbitration by the préfet. */
    escalade: boolean('escalade').notNull().default(false),
    escaladeMotif: text('escalade_motif'),
    escaladeLe: timestamp('escalade_le', { withTimezone: true }),
    /** The préfet's arbitration, once given. */
    arbitrage: text('arbitrage'),
    arbitrageLe: date('arbitrage_le'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('revue_points_key').on(t.revueId, t.operationId), index('revue_points_operation_idx').on(t.operationId)],
);

/** Actions decided in a review, followed until closed; open ones come back on the next agenda. */
export const revueActions = pgTable(
  'revue_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pointId: uuid('point_id')
      .notNull()
      .references(() => revuePoints.id, { onDelete: 'cascade' }),
    operationId: uuid('operation_id')
      .notNull()
      .references(() => operations.id),
    libelle: text('libelle').notNull(),
    responsable: text('responsable').notNull(),
    echeance: date('echeance').notNull(),
    /** ouverte, close */
    statut: text('statut').notNull().default('ouverte'),
    closeLe: date('close_le'),
    createdAt: createdAt(),
  },
  (t) => [index('revue_actions_operation_idx').on(t.operationId, t.statut)],
);

/**
 * Outgoing e-mail, queued in the database and sent by whichever instance claims it first
 * (FOR UPDATE SKIP LOCKED): no message is lost if an instance stops.
 */
export const emailsSortants = pgTable(
  'emails_sortants',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    destinataire: text('destinataire').notNull(),
    sujet: text('sujet').notNull(),
    texte: text('texte').notNull(),
    /** Optional iCalendar attachment (invitations). */
    ics: text('ics'),
    /** a_envoyer, envoye, echec */
    statut: text('statut').notNull().default('a_envoyer'),
    tentatives: integer('tentatives').notNull().default(0),
    prochainEssai: timestamp('prochain_essai', { withTimezone: true }).notNull().defaultNow(),
    derniereErreur: text('derniere_erreur'),
    envoyeLe: timestamp('envoye_le', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('emails_sortants_file_idx').on(t.statut, t.prochainEssai)],
);

/**
 * Information and consultation of residents around an operation (seed 000, solution 7): public
 * meetings and door-to-door contacts; indicator: residents met per commune.
 */
export const concertations = pgTable(
  'concertations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    operationId: uuid('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    /** reunion_publique, porte_a_porte, permanence, autre */
    modalite: text('modalite').notNull(),
    date: date('date').notNull(),
    riverainsRencontres: integer('riverains_rencontres').notNull(),
    preoccupations: text('preoccupations'),
    reponses: text('reponses'),
    createdAt: createdAt(),
  },
  (t) => [index('concertations_operation_idx').on(t.operationId, t.date)],
);

/** Binary content stored in the database (bytea): every instance serves it, backups hold it. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType() {
    return 'bytea';
  },
});

/** Documents attached to an operation (permit, council decision, financing plan…), kept in the database. */
export const operationDocuments = pgTable(
  'operation_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    operationId: uuid('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    /** see CATEGORIES_DOCUMENT in shared/operations/referentiel.ts */
    categorie: text('categorie').notNull(),
    nomFichier: text('nom_fichier').notNull(),
    typeMime: text('type_mime').notNull(),
    taille: integer('taille').notNull(),
    sha256: text('sha256').notNull(),
    contenu: bytea('contenu').notNull(),
    deposePar: text('depose_par').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('operation_documents_operation_idx').on(t.operationId, t.createdAt)],
);

/** Full-text vector (tsvector), filled by SQL on write with the `fr_unaccent` configuration. */
const tsvector = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'tsvector';
  },
});

/**
 * The financing-aids catalogue (issue 4): the aides-territoires item fields, plus structured
 * social-housing eligibility, a review workflow and counters. `slug` is the import key.
 */
export const aides = pgTable(
  'aides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    /** Identifier in the source catalogue (e.g. `at-047`), kept on import. */
    sourceId: text('source_id'),
    name: text('name').notNull(),
    shortTitle: text('short_title'),
    financers: text('financers').array().notNull().default(sql`'{}'::text[]`),
    instructors: text('instructors').array().notNull().default(sql`'{}'::text[]`),
    programs: text('programs').array().notNull().default(sql`'{}'::text[]`),
    aidTypes: text('aid_types').array().notNull().default(sql`'{}'::text[]`),
    /** Audience slugs (commune, epci, social-landlord…): shared/aides/referentiel.ts. */
    targetedAudiences: text('targeted_audiences').array().notNull().default(sql`'{}'::text[]`),
    /** Pays, Région, Département, EPCI, Commune. */
    perimeterScale: text('perimeter_scale').notNull(),
    /** FRA, region code, département code, EPCI SIREN or commune INSEE code. */
    perimeterCode: text('perimeter_code').notNull(),
    perimeterName: text('perimeter_name').notNull(),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    description: text('description').notNull().default(''),
    eligibility: text('eligibility').notNull().default(''),
    mobilizationSteps: text('mobilization_steps').array().notNull().default(sql`'{}'::text[]`),
    recurrence: text('recurrence'),
    isCallForProject: boolean('is_call_for_project').notNull().default(false),
    startDate: date('start_date'),
    submissionDeadline: date('submission_deadline'),
    subventionRateLowerBound: numeric('subvention_rate_lower_bound', { mode: 'number' }),
    subventionRateUpperBound: numeric('subvention_rate_upper_bound', { mode: 'number' }),
    loanAmount: numeric('loan_amount', { mode: 'number' }),
    originUrl: text('origin_url'),
    applicationUrl: text('application_url'),
    /** Structured social-housing eligibility; empty arrays when the aid is not for social housing. */
    logementSocial: boolean('logement_social').notNull().default(false),
    operationTypes: text('operation_types').array().notNull().default(sql`'{}'::text[]`),
    produits: text('produits').array().notNull().default(sql`'{}'::text[]`),
    /** sru, carencee, qpv, zone_a, zone_b1, zone_b2, zone_c, centre_ancien, pvd, acv */
    conditionsTerritoriales: text('conditions_territoriales').array().notNull().default(sql`'{}'::text[]`),
    /** high, medium, low (catalogue's own confidence in its facts). */
    confidence: text('confidence'),
    /** brouillon, en_revue, publiee, expiree, retiree (withdrawn from aides-territoires) */
    statut: text('statut').notNull().default('brouillon'),
    /** The financer organisation that keeps the aid up to date (its workspace), if any. */
    organisationId: uuid('organisation_id').references(() => organisations.id),
    /** Last time the financer (or the DDTM) confirmed the aid is current; reminders after 6 months. */
    confirmeeLe: timestamp('confirmee_le', { withTimezone: true }),
    publieeLe: timestamp('publiee_le', { withTimezone: true }),
    motifRenvoi: text('motif_renvoi'),
    derniereRelance: timestamp('derniere_relance', { withTimezone: true }),
    vues: integer('vues').notNull().default(0),
    clics: integer('clics').notNull().default(0),
    searchVector: tsvector('search_vector'),
    /** aides-territoires id of an aid written by the sync (docs/decisions/0014). */
    atId: text('at_id'),
    /** Its page on aides-territoires (the sheet links to it). */
    atUrl: text('at_url'),
    /** Its `date_updated` upstream when last written: an incremental run skips it until it moves. */
    atDateUpdated: timestamp('at_date_updated', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('aides_slug_key').on(t.slug),
    uniqueIndex('aides_at_id_key').on(t.atId).where(sql`${t.atId} IS NOT NULL`),
    index('aides_statut_idx').on(t.statut),
    index('aides_organisation_idx').on(t.organisationId),
    index('aides_perimeter_idx').on(t.perimeterCode),
  ],
);

/** One run of the aides-territoires sync: when, how it ended, what it changed (docs/decisions/0014). */
export const aidesSynchronisations = pgTable(
  'aides_synchronisations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    debut: timestamp('debut', { withTimezone: true }).notNull().defaultNow(),
    fin: timestamp('fin', { withTimezone: true }),
    /** Until when the running instance holds the run; another may take over after. */
    bail: timestamp('bail', { withTimezone: true }).notNull(),
    /** en_cours, reussie, echouee */
    statut: text('statut').notNull().default('en_cours'),
    /** complete, incrementale */
    mode: text('mode').notNull(),
    /** Who started it: planificateur, ligne de commande, or the user's e-mail. */
    declencheur: text('declencheur').notNull(),
    pages: integer('pages').notNull().default(0),
    lues: integer('lues').notNull().default(0),
    creees: integer('creees').notNull().default(0),
    misesAJour: integer('mises_a_jour').notNull().default(0),
    retirees: integer('retirees').notNull().default(0),
    inchangees: integer('inchangees').notNull().default(0),
    ignorees: integer('ignorees').notNull().default(0),
    details: jsonb('details').notNull().default(sql`'[]'::jsonb`),
    erreur: text('erreur'),
  },
  (t) => [index('aides_synchronisations_debut_idx').on(t.debut)],
);

/** Financers (aides-territoires "backers"), optionally linked to a platform organisation. */
export const aidesFinanceurs = pgTable(
  'aides_financeurs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    nom: text('nom').notNull(),
    slug: text('slug').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('aides_financeurs_slug_key').on(t.slug)],
);

/** Search log: what was searched, never who searched (no personal data). */
export const aidesRecherches = pgTable(
  'aides_recherches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    texte: text('texte'),
    filtres: jsonb('filtres').notNull().default(sql`'{}'::jsonb`),
    audience: text('audience'),
    nbResultats: integer('nb_resultats').notNull(),
    /** ui, api (v1), at (aides-territoires compatible API) */
    source: text('source').notNull(),
    clics: integer('clics').notNull().default(0),
  },
  (t) => [index('aides_recherches_at_idx').on(t.at)],
);

/**
 * The search vocabulary: groups of equivalent expressions (acronyms, synonyms). Seeded from
 * data/aides-vocabulaire.json on first start; edited by the DDTM afterwards (audited).
 */
export const aidesVocabulaire = pgTable('aides_vocabulaire', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  termes: text('termes').array().notNull(),
  note: text('note'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Dictionary of the catalogue's words (unaccented, lower case) for typo correction (pg_trgm). */
export const aidesTermes = pgTable(
  'aides_termes',
  {
    mot: text('mot').primaryKey(),
    nbAides: integer('nb_aides').notNull(),
  },
  (t) => [index('aides_termes_trgm_idx').using('gin', sql`${t.mot} gin_trgm_ops`)],
);

/** Saved searches sent by e-mail (double opt-in). The e-mail is the subscriber's, kept for sending only. */
export const aidesAlertes = pgTable(
  'aides_alertes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    /** { q, audience, perimetre, ... } as accepted by the search. */
    recherche: jsonb('recherche').notNull(),
    /** quotidienne, hebdomadaire */
    frequence: text('frequence').notNull(),
    jetonHash: text('jeton_hash').notNull(),
    confirmeeLe: timestamp('confirmee_le', { withTimezone: true }),
    dernierEnvoi: timestamp('dernier_envoi', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('aides_alertes_jeton_key').on(t.jetonHash)],
);

/**
 * Land observatory (seed 000, AXE 3, solutions 4 and 5): gisements fonciers, a plot or group of
 * plots on which social housing can be built. Taxonomies are data in shared/foncier/referentiel.ts.
 * Territory columns are derived from the geometry on write; `surface_m2` (geography area) and
 * `geojson` (6-decimal GeoJSON text served by the map's bbox query) are computed on write too.
 */
export const gisements = pgTable(
  'gisements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The re-import key, when the source has one. */
    identifiant: text('identifiant'),
    nom: text('nom').notNull(),
    geom: multiPolygon('geom').notNull(),
    geojson: text('geojson').notNull(),
    /** The map's GeoJSON Feature text (geometry + contract properties), kept by a BEFORE trigger. */
    feature: text('feature'),
    surfaceM2: doublePrecision('surface_m2').notNull(),
    communeInsee: text('commune_insee')
      .notNull()
      .references(() => communes.codeInsee),
    epciSiren: text('epci_siren').references(() => epci.siren),
    departement: text('departement')
      .notNull()
      .references(() => departements.code),
    referencesCadastrales: text('references_cadastrales').array().notNull().default(sql`'{}'::text[]`),
    usageActuel: text('usage_actuel'),
    proprietaire: text('proprietaire'),
    capaciteLogements: integer('capacite_logements'),
    capaciteLls: integer('capacite_lls'),
    outils: text('outils').array().notNull().default(sql`'{}'::text[]`),
    tauxSms: numeric('taux_sms', { precision: 5, scale: 2, mode: 'number' }),
    contraintes: text('contraintes').array().notNull().default(sql`'{}'::text[]`),
    epfConvention: text('epf_convention'),
    epfDateAcquisition: date('epf_date_acquisition'),
    epfDateReventePrevue: date('epf_date_revente_prevue'),
    epfPrix: numeric('epf_prix', { precision: 14, scale: 2, mode: 'number' }),
    statut: text('statut').notNull(),
    operationId: uuid('operation_id').references(() => operations.id, { onDelete: 'set null' }),
    /** prive, partage (with landlords), public */
    visibilite: text('visibilite').notNull().default('prive'),
    /** Organisations linked to the gisement (a landlord linked reads it). */
    organisations: uuid('organisations').array().notNull().default(sql`'{}'::uuid[]`),
    source: text('source'),
    commentaire: text('commentaire'),
    /** Demo data (never presented as real). */
    demo: boolean('demo').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('gisements_identifiant_key').on(t.identifiant),
    index('gisements_geom_idx').using('gist', t.geom),
    // gisements_synthese_idx (commune_insee, statut) INCLUDE (…): custom migration, drizzle-kit has no INCLUDE.
    index('gisements_epci_idx').on(t.epciSiren, t.statut),
    index('gisements_departement_idx').on(t.departement),
    index('gisements_outils_idx').using('gin', t.outils),
    index('gisements_operation_idx').on(t.operationId).where(sql`operation_id IS NOT NULL`),
  ],
);

/**
 * Running totals of gisements per territory, status, tools and visibility, kept by a trigger on
 * `gisements` (custom migration `foncier_agregats`): the observatory's synthesis reads a few thousand
 * rows instead of scanning every gisement. `gisements_agregats_reconstruire()` rebuilds it after a bulk load.
 */
export const gisementsAgregats = pgTable(
  'gisements_agregats',
  {
    communeInsee: text('commune_insee').notNull(),
    /** '' when the commune has no EPCI (part of the key). */
    epciSiren: text('epci_siren').notNull().default(''),
    departement: text('departement').notNull(),
    statut: text('statut').notNull(),
    outils: text('outils').array().notNull(),
    visibilite: text('visibilite').notNull(),
    nb: integer('nb').notNull(),
    surfaceM2: doublePrecision('surface_m2').notNull(),
    capaciteLogements: bigint('capacite_logements', { mode: 'number' }).notNull(),
    capaciteLls: bigint('capacite_lls', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('gisements_agregats_key').on(t.communeInsee, t.epciSiren, t.departement, t.statut, t.outils, t.visibilite)],
);

/**
 * The official per-commune SRU inventory (data.gouv.fr "Communes et inventaire SRU", DGALN-DHUP),
 * one row per commune in the SRU perimeter and vintage, as imported from the official file (never
 * typed in): rates, deficit / carence / exemption flags, social dwellings counted, net levy.
 */
export const communesSru = pgTable(
  'communes_sru',
  {
    codeInsee: text('code_insee')
      .notNull()
      .references(() => communes.codeInsee),
    millesime: integer('millesime').notNull(),
    population: integer('population'),
    tauxSru: numeric('taux_sru', { precision: 7, scale: 5 }),
    tauxCible: numeric('taux_cible', { precision: 7, scale: 5 }),
    deficitaire: boolean('deficitaire'),
    carencee: boolean('carencee'),
    exemptee: boolean('exemptee'),
    nbLls: integer('nb_lls'),
    prelevement: numeric('prelevement', { precision: 14, scale: 2 }),
    fichier: text('fichier').notNull(),
    importeLe: timestamp('importe_le', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.codeInsee, t.millesime] })],
);

/**
 * Attributions (issue 14; seed 000, AXE 5, solutions 10 and 11). Atelier never holds data about
 * applicants or tenants (shared/attributions/donnees-personnelles.ts): counts, dates and dwellings only.
 *
 * A sitting (séance) of a landlord's CALEOL: the communes it concerns (their EPCI and département
 * derived on write, for scope), kept when moved (`sequence` + `modifications`) or cancelled
 * (`statut` annulee), so that subscribed calendars update or cancel the event.
 */
export const caleolSeances = pgTable(
  'caleol_seances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bailleurId: uuid('bailleur_id')
      .notNull()
      .references(() => organisations.id),
    /** The landlord's name of the commission (« CALEOL Nîmes Ouest »). */
    commission: text('commission').notNull(),
    debut: timestamp('debut', { withTimezone: true }).notNull(),
    fin: timestamp('fin', { withTimezone: true }).notNull(),
    lieu: text('lieu'),
    lienVisio: text('lien_visio'),
    ordreDuJour: text('ordre_du_jour'),
    communes: text('communes').array().notNull(),
    epcis: text('epcis').array().notNull().default(sql`'{}'::text[]`),
    departements: text('departements').array().notNull(),
    /** planifiee, annulee */
    statut: text('statut').notNull().default('planifiee'),
    motifAnnulation: text('motif_annulation'),
    /** RFC 5545 SEQUENCE: incremented on every change a calendar shows. */
    sequence: integer('sequence').notNull().default(0),
    /** Every change: [{ le, champs: { debut: { avant, apres } } }]. */
    modifications: jsonb('modifications').notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('caleol_seances_bailleur_idx').on(t.bailleurId, t.debut),
    index('caleol_seances_communes_idx').using('gin', t.communes),
    index('caleol_seances_epcis_idx').using('gin', t.epcis),
    index('caleol_seances_departements_idx').using('gin', t.departements),
  ],
);

/** Whether a commune's élu or referent attended a sitting (recorded by the commune). */
export const caleolPresences = pgTable(
  'caleol_presences',
  {
    seanceId: uuid('seance_id')
      .notNull()
      .references(() => caleolSeances.id, { onDelete: 'cascade' }),
    communeInsee: text('commune_insee')
      .notNull()
      .references(() => communes.codeInsee),
    /** elu, referent, absent */
    presence: text('presence').notNull(),
    enregistreLe: timestamp('enregistre_le', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.seanceId, t.communeInsee] })],
);

/**
 * A user's calendar feed. The URL's token is HMAC(secret, user id + nonce): the database keeps the
 * nonce and the token's SHA-256 only (a copy of the database does not give the URLs); renewing
 * draws a new nonce, so the old URL answers 404 (docs/decisions/0014-attributions.md).
 */
export const calendrierAbonnements = pgTable(
  'calendrier_abonnements',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    nonce: text('nonce').notNull(),
    jetonHash: text('jeton_hash').notNull(),
    createdAt: createdAt(),
    dernierAcces: timestamp('dernier_acces', { withTimezone: true }),
  },
  (t) => [uniqueIndex('calendrier_abonnements_jeton_key').on(t.jetonHash)],
);

/**
 * A dwelling freed in the existing stock, declared by its landlord: the dwelling only, never its
 * former or next occupant. Status: declare → propose_caleol → attribue (the date only).
 */
export const logementsLiberes = pgTable(
  'logements_liberes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bailleurId: uuid('bailleur_id')
      .notNull()
      .references(() => organisations.id),
    communeInsee: text('commune_insee')
      .notNull()
      .references(() => communes.codeInsee),
    epciSiren: text('epci_siren').references(() => epci.siren),
    departement: text('departement')
      .notNull()
      .references(() => departements.code),
    /** The landlord's own reference of the dwelling (re-import key), never a tenant's. */
    reference: text('reference'),
    residence: text('residence'),
    adresse: text('adresse'),
    /** T1…T6 */
    typologie: text('typologie').notNull(),
    surfaceM2: numeric('surface_m2', { precision: 7, scale: 2, mode: 'number' }),
    /** PLAI, PLUS, PLS, PLI… */
    produit: text('produit').notNull(),
    loyerMensuel: numeric('loyer_mensuel', { precision: 9, scale: 2, mode: 'number' }),
    disponibleLe: date('disponible_le').notNull(),
    /** etat, commune, epci, departement, action_logement, bailleur, autre */
    reservataire: text('reservataire').notNull(),
    accessible: boolean('accessible'),
    seanceId: uuid('seance_id').references(() => caleolSeances.id, { onDelete: 'set null' }),
    /** declare, propose_caleol, attribue */
    statut: text('statut').notNull().default('declare'),
    attribueLe: date('attribue_le'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('logements_liberes_reference_key').on(t.bailleurId, t.reference),
    index('logements_liberes_commune_idx').on(t.communeInsee, t.disponibleLe),
    index('logements_liberes_epci_idx').on(t.epciSiren, t.disponibleLe),
    index('logements_liberes_departement_idx').on(t.departement, t.disponibleLe),
    index('logements_liberes_bailleur_idx').on(t.bailleurId, t.disponibleLe),
  ],
);

/** Reservation contingents of an operation to be delivered: dwellings per réservataire, recorded by the landlord. */
export const operationContingents = pgTable(
  'operation_contingents',
  {
    operationId: uuid('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    reservataire: text('reservataire').notNull(),
    logements: integer('logements').notNull(),
  },
  (t) => [primaryKey({ columns: [t.operationId, t.reservataire] })],
);

/**
 * The delivery notice sent for an operation (issue 14: N months before the planned delivery, once
 * per operation, and again if the date moves): the planned date it announced.
 */
export const livraisonsAvis = pgTable('livraisons_avis', {
  operationId: uuid('operation_id')
    .primaryKey()
    .references(() => operations.id, { onDelete: 'cascade' }),
  dateLivraisonPrevue: date('date_livraison_prevue').notNull(),
  envoyeLe: timestamp('envoye_le', { withTimezone: true }).notNull().defaultNow(),
});
