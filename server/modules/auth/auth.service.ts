import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { HttpError, tooManyRequests } from '../../lib/errors.js';
import { hitCounter, peekCounter, resetCounter } from '../../lib/rate-limit.js';
import { verifyPassword } from './passwords.js';
import { createSession, principalOf } from './sessions.repository.js';

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  userId: string;
}

/**
 * Password sign-in. Failures are counted per e-mail and per address in the database (shared by all
 * instances); past the limit the answer is 429 until the window ends, even with the right password.
 */
export async function loginWithPassword(
  db: Db,
  config: Config,
  input: { email: string; password: string; ip: string; requestId?: string },
): Promise<LoginResult> {
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
  const [user] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || !user.actif) {
    for (const key of keys) await hitCounter(db, key, windowMs);
    throw new HttpError(401, 'identifiants_invalides', 'Adresse électronique ou mot de passe incorrect.');
  }
  await resetCounter(db, keys[0]!, windowMs);
  return db.transaction(async (tx) => {
    const session = await createSession(tx, user.id, config.sessionTtlMs, 'password');
    await recordAudit(
      tx,
      { kind: 'user', principal: principalOf(user, 'session') },
      { action: 'connexion', entityType: 'user', entityId: user.id, departement: user.departement, after: { methode: 'mot de passe' } },
      input.requestId,
    );
    return { ...session, userId: user.id };
  });
}
