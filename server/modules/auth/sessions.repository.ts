import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { apiTokens, oidcStates, sessions, users } from '../../../db/schema.js';
import { rows, type Executor } from '../../db/client.js';
import { JETON_DUREE_MAX_JOURS } from '../../../shared/jetons.js';
import { isRole } from '../../../shared/roles.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import type { Principal } from '../../lib/principal.js';

export type UserRow = typeof users.$inferSelect;

export function principalOf(user: UserRow, via: Principal['via']): Principal {
  const { id, email, nom, role, organisationId, departement, epciSiren, communeInsee } = user;
  return principalOfRow({ id, email, nom, role, organisation_id: organisationId, departement, epci_siren: epciSiren, commune_insee: communeInsee }, via);
}

export async function createSession(
  db: Executor,
  userId: string,
  ttlMs: number,
  methode: 'password' | 'oidc',
  idToken?: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.insert(sessions).values({ tokenHash: sha256(token), userId, csrfToken, expiresAt, methode, idToken });
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, userId));
  if (Math.random() < 0.02) await db.delete(sessions).where(sql`${sessions.expiresAt} < now()`);
  return { token, csrfToken, expiresAt };
}

/** The user's columns a principal is made of (never the password hash). */
interface PrincipalRow {
  id: string;
  email: string;
  nom: string;
  role: string;
  organisation_id: string | null;
  departement: string | null;
  epci_siren: string | null;
  commune_insee: string | null;
}
const PRINCIPAL_COLUMNS = sql`u.id, u.email, u.nom, u.role, u.organisation_id, u.departement, u.epci_siren, u.commune_insee`;

function principalOfRow(r: PrincipalRow, via: Principal['via']): Principal {
  if (!isRole(r.role)) throw new Error(`Rôle inconnu en base : ${r.role}`);
  return {
    userId: r.id,
    email: r.email,
    nom: r.nom,
    role: r.role,
    organisationId: r.organisation_id,
    departement: r.departement,
    epciSiren: r.epci_siren,
    communeInsee: r.commune_insee,
    via,
  };
}

/** The principal of a live session of an active user, or undefined. Runs on every request: one prepared statement. */
export async function principalFromSession(db: Executor, token: string): Promise<Principal | undefined> {
  const tokenHash = sha256(token);
  const [row] = await rows<PrincipalRow & { csrf_token: string }>(
    db,
    sql`SELECT ${PRINCIPAL_COLUMNS}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ${tokenHash} AND s.expires_at > now() AND u.actif LIMIT 1`,
  );
  if (!row) return undefined;
  return { ...principalOfRow(row, 'session'), csrfToken: row.csrf_token, sessionHash: tokenHash };
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export const API_TOKEN_PREFIX = 'atl_';

/**
 * The principal of a valid (not revoked, not expired) API token of an active user. A token stored
 * without expiry (before every token had one) expires 365 days after its creation (shared/jetons.ts).
 */
export async function principalFromApiToken(db: Executor, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
  const [row] = await rows<PrincipalRow & { token_id: string; recent: boolean }>(
    db,
    sql`SELECT ${PRINCIPAL_COLUMNS}, t.id AS token_id, COALESCE(t.last_used_at > now() - interval '1 minute', false) AS recent
        FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ${sha256(token)} AND t.revoked_at IS NULL AND COALESCE(t.expires_at, t.created_at + make_interval(days => ${JETON_DUREE_MAX_JOURS})) > now() AND u.actif
        LIMIT 1`,
  );
  if (!row) return undefined;
  // Record the last use at most once a minute, to keep reads cheap.
  if (!row.recent) await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.token_id));
  return principalOfRow(row, 'token');
}

/** The session of a token hash (the logout reads its OpenID Connect id token). */
export async function findSession(db: Executor, tokenHash: string) {
  const [s] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  return s;
}

/** Deletes a session; returns it when it existed. */
export async function takeSession(tx: Executor, tokenHash: string) {
  const [deleted] = await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).returning();
  return deleted;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
}

/** The active account an OpenID Connect identity signs in: by its subject, else an unlinked account with its e-mail. */
export async function findOidcAccount(db: Executor, sub: string, email: string): Promise<UserRow | undefined> {
  const [bySub] = await db.select().from(users).where(and(eq(users.oidcSub, sub), eq(users.actif, true))).limit(1);
  if (bySub || !email) return bySub;
  const [byEmail] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), eq(users.actif, true), isNull(users.oidcSub)))
    .limit(1);
  return byEmail;
}

export async function linkOidcSubject(tx: Executor, userId: string, sub: string): Promise<void> {
  await tx.update(users).set({ oidcSub: sub }).where(eq(users.id, userId));
}

/** Stores a sign-in under way (state, nonce, PKCE verifier) for ten minutes; drops the expired ones. */
export async function insertOidcState(tx: Executor, values: typeof oidcStates.$inferInsert): Promise<void> {
  await tx.delete(oidcStates).where(lt(oidcStates.expiresAt, new Date()));
  await tx.insert(oidcStates).values(values);
}

/** Takes (deletes and returns) a sign-in under way by its state, if not expired: a state is used once. */
export async function takeOidcState(db: Executor, state: string) {
  const [pending] = await db
    .delete(oidcStates)
    .where(and(eq(oidcStates.state, state), gt(oidcStates.expiresAt, new Date())))
    .returning();
  return pending;
}
