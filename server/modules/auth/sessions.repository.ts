import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { apiTokens, sessions, users } from '../../../db/schema.js';
import type { Executor } from '../../db/client.js';
import { isRole } from '../../../shared/roles.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import type { Principal } from '../../lib/principal.js';

type UserRow = typeof users.$inferSelect;

export function principalOf(user: UserRow, via: Principal['via']): Principal {
  if (!isRole(user.role)) throw new Error(`Rôle inconnu en base : ${user.role}`);
  return {
    userId: user.id,
    email: user.email,
    nom: user.nom,
    role: user.role,
    organisationId: user.organisationId,
    departement: user.departement,
    epciSiren: user.epciSiren,
    communeInsee: user.communeInsee,
    via,
  };
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

/** The principal of a live session of an active user, or undefined. */
export async function principalFromSession(db: Executor, token: string): Promise<Principal | undefined> {
  const tokenHash = sha256(token);
  const [row] = await db
    .select({ user: users, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date()), eq(users.actif, true)))
    .limit(1);
  if (!row) return undefined;
  return { ...principalOf(row.user, 'session'), csrfToken: row.csrfToken, sessionHash: tokenHash };
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export const API_TOKEN_PREFIX = 'atl_';

/** The principal of a valid (not revoked, not expired) API token of an active user. */
export async function principalFromApiToken(db: Executor, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
  const [row] = await db
    .select({ user: users, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, sha256(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
        eq(users.actif, true),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  // Record the last use at most once a minute, to keep reads cheap.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  }
  return principalOf(row.user, 'token');
}
