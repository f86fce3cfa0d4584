import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiTokens, users } from '../../../db/schema.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { notFound, unprocessable } from '../../lib/errors.js';
import type { Actor } from '../../lib/principal.js';
import { JETON_DUREE_DEFAUT_JOURS, JETON_DUREE_MAX_JOURS } from '../../../shared/jetons.js';
import { API_TOKEN_PREFIX } from '../auth/sessions.repository.js';

type TokenRow = typeof apiTokens.$inferSelect;

/**
 * A token stored without expiry (before every token had one) counts as expiring the longest
 * validity after its creation; the sign-in check (`principalFromApiToken`) applies the same rule.
 */
export const effectiveExpiry = (t: Pick<TokenRow, 'createdAt' | 'expiresAt'>) =>
  t.expiresAt ?? new Date(t.createdAt.getTime() + JETON_DUREE_MAX_JOURS * 86_400_000);

export const presentToken = (t: TokenRow) => ({
  id: t.id,
  nom: t.nom,
  prefixe: t.prefixe,
  created_at: t.createdAt.toISOString(),
  expires_at: effectiveExpiry(t).toISOString(),
  last_used_at: t.lastUsedAt?.toISOString() ?? null,
  revoked_at: t.revokedAt?.toISOString() ?? null,
});

export async function listTokens(db: Executor, userId: string) {
  const r = await db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
  return r.map(presentToken);
}

/**
 * Creates a personal token; the clear value is returned once and never stored. It expires after
 * `expiresInDays` (90 by default, 365 at most).
 */
export async function createToken(tx: Executor, actor: Actor, userId: string, nom: string, expiresInDays = JETON_DUREE_DEFAUT_JOURS, requestId?: string) {
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > JETON_DUREE_MAX_JOURS) {
    throw unprocessable(`expires_in_days : nombre entier de jours entre 1 et ${JETON_DUREE_MAX_JOURS} attendu (reçu « ${expiresInDays} »).`, { champ: 'expires_in_days' });
  }
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const [owner] = await tx.select({ departement: users.departement }).from(users).where(eq(users.id, userId));
  if (!owner) throw notFound('Utilisateur introuvable.');
  const [created] = await tx
    .insert(apiTokens)
    .values({
      userId,
      nom,
      tokenHash: sha256(token),
      prefixe: token.slice(0, API_TOKEN_PREFIX.length + 6),
      expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
    })
    .returning();
  await recordAudit(tx, actor, { action: 'creation', entityType: 'api_token', entityId: created!.id, departement: owner.departement, after: created }, requestId);
  return { ...presentToken(created!), token };
}

/** Revokes one of the user's own tokens; another user's token does not exist for them. */
export async function revokeToken(tx: Executor, actor: Actor, userId: string, id: string, requestId?: string) {
  const [before] = await tx.select().from(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)));
  if (!before) throw notFound('Jeton introuvable.');
  if (before.revokedAt) return;
  const [after] = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning();
  const [owner] = await tx.select({ departement: users.departement }).from(users).where(eq(users.id, userId));
  await recordAudit(tx, actor, { action: 'revocation', entityType: 'api_token', entityId: id, departement: owner?.departement, before, after }, requestId);
}
