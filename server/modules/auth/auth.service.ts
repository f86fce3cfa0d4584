import type { Config } from '../../config.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { HttpError, tooManyRequests } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { hitCounter, peekCounter, resetCounter } from '../../lib/rate-limit.js';
import { verifyPassword } from './passwords.js';
import { createSession, findUserByEmail, principalOf, takeSession, type UserRow } from './sessions.repository.js';

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  userId: string;
}

/**
 * Checks a password sign-in and returns the account. Failures are counted per e-mail and per
 * address in the database (shared by all instances); past the limit the answer is 429 until the
 * window ends, even with the right password. Runs outside any transaction (the route's `prepare`):
 * the count of a refused attempt must outlive the refusal.
 */
export async function checkPassword(
  db: Executor,
  config: Config,
  input: { email: string; password: string; ip: string },
): Promise<UserRow> {
  const windowMs = config.login.windowMinutes * 60_000;
  const keys = [`login:email:${input.email}`, `login:ip:${input.ip}`];
  const limits = [config.login.maxFailures, config.login.maxFailures * 10];
  for (let i = 0; i < keys.length; i++) {
    if ((await peekCounter(db, keys[i]!, windowMs)) >= limits[i]!) {
      throw tooManyRequests(
        `Trop de tentatives de connexion échouées. Réessayez dans ${config.login.windowMinutes} minutes au plus.`,
      );
    }
  }
  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || !user.actif) {
    for (const key of keys) await hitCounter(db, key, windowMs);
    throw new HttpError(401, 'identifiants_invalides', 'Adresse électronique ou mot de passe incorrect.');
  }
  await resetCounter(db, keys[0]!, windowMs);
  return user;
}

/** Opens a password session for a checked account, in the given transaction, and audits the sign-in. */
export async function openPasswordSession(tx: Executor, config: Config, user: UserRow, requestId?: string): Promise<LoginResult> {
  const session = await createSession(tx, user.id, config.sessionTtlMs, 'password');
  await recordAudit(
    tx,
    { kind: 'user', principal: principalOf(user, 'session') },
    { action: 'connexion', entityType: 'user', entityId: user.id, departement: user.departement, after: { methode: 'mot de passe' } },
    requestId,
  );
  return { ...session, userId: user.id };
}

/** Ends the session of a token hash; audits the sign-out when the caller was signed in by it. Returns whether it existed. */
export async function endSession(tx: Executor, tokenHash: string, principal: Principal | undefined, requestId?: string): Promise<boolean> {
  const deleted = await takeSession(tx, tokenHash);
  if (deleted && principal) {
    await recordAudit(tx, { kind: 'user', principal }, { action: 'deconnexion', entityType: 'user', entityId: deleted.userId }, requestId);
  }
  return Boolean(deleted);
}
