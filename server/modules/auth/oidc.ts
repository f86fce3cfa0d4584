/**
 * OpenID Connect sign-in, compatible with ProConnect (the State agents' SSO): authorization code with
 * PKCE, state and nonce kept in the database so that any instance can finish a sign-in that another
 * started. Accounts are not created on the fly: an existing, active account is matched by its
 * provider subject, else by its e-mail (then linked).
 */
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import * as client from 'openid-client';
import { oidcStates, users } from '../../../db/schema.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { createSession, principalOf } from './sessions.repository.js';

type OidcSettings = NonNullable<Config['oidc']>;

let cached: { key: string; configuration: Promise<client.Configuration> } | undefined;

function configuration(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`;
  if (cached?.key !== key) {
    const metadata: Partial<client.ClientMetadata> = {};
    if (settings.userinfoSignedAlg) metadata.userinfo_signed_response_alg = settings.userinfoSignedAlg;
    const promise = client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      { client_secret: settings.clientSecret, ...metadata },
      undefined,
      settings.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    // A failed discovery is retried on the next sign-in instead of being cached.
    promise.catch(() => {
      if (cached?.configuration === promise) cached = undefined;
    });
    cached = { key, configuration: promise };
  }
  return cached.configuration;
}

export const callbackUrl = (config: Config) => `${config.publicUrl}/api/v1/auth/oidc/callback`;

/** Only local paths are accepted as a destination after sign-in (no open redirect). */
export function safeRedirect(target: string | undefined): string {
  return target && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\') ? target : '/';
}

export async function beginOidcLogin(db: Db, config: Config, redirectTo: string | undefined): Promise<string> {
  const settings = config.oidc!;
  const conf = await configuration(settings);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await db.delete(oidcStates).where(lt(oidcStates.expiresAt, new Date()));
  await db.insert(oidcStates).values({
    state,
    nonce,
    codeVerifier,
    redirectTo: safeRedirect(redirectTo),
    expiresAt: new Date(Date.now() + 10 * 60_000),
  });
  const params: Record<string, string> = {
    redirect_uri: callbackUrl(config),
    scope: settings.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (settings.acrValues) params.acr_values = settings.acrValues;
  return client.buildAuthorizationUrl(conf, params).href;
}

export class OidcUnknownAccountError extends Error {}

export async function finishOidcLogin(
  db: Db,
  config: Config,
  currentUrl: URL,
  requestId?: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date; redirectTo: string }> {
  const settings = config.oidc!;
  const conf = await configuration(settings);
  const state = currentUrl.searchParams.get('state') ?? '';
  const [pending] = await db
    .delete(oidcStates)
    .where(and(eq(oidcStates.state, state), gt(oidcStates.expiresAt, new Date())))
    .returning();
  if (!pending) throw new Error('Connexion expirée ou inconnue (state).');
  const tokens = await client.authorizationCodeGrant(conf, currentUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims()!;
  const info = await client.fetchUserInfo(conf, tokens.access_token, claims.sub);
  const email = String(info.email ?? claims.email ?? '').trim().toLowerCase();

  let [user] = await db.select().from(users).where(and(eq(users.oidcSub, claims.sub), eq(users.actif, true))).limit(1);
  if (!user && email) {
    [user] = await db
      .select()
      .from(users)
      .where(and(eq(users.email, email), eq(users.actif, true), isNull(users.oidcSub)))
      .limit(1);
  }
  if (!user) throw new OidcUnknownAccountError(email);
  const found = user;

  return db.transaction(async (tx) => {
    if (!found.oidcSub) {
      await tx.update(users).set({ oidcSub: claims.sub }).where(eq(users.id, found.id));
    }
    const session = await createSession(tx, found.id, config.sessionTtlMs, 'oidc', tokens.id_token);
    await recordAudit(
      tx,
      { kind: 'user', principal: principalOf(found, 'session') },
      {
        action: 'connexion',
        entityType: 'user',
        entityId: found.id,
        departement: found.departement,
        after: { methode: 'oidc', fournisseur: settings.issuer, compte_lie: !found.oidcSub },
      },
      requestId,
    );
    return { ...session, redirectTo: pending.redirectTo };
  });
}

/** The provider's logout URL for a session opened with OIDC, when the provider offers one. */
export async function oidcLogoutUrl(config: Config, idToken: string): Promise<string | undefined> {
  if (!config.oidc) return undefined;
  const conf = await configuration(config.oidc);
  if (!conf.serverMetadata().end_session_endpoint) return undefined;
  return client.buildEndSessionUrl(conf, { id_token_hint: idToken, post_logout_redirect_uri: `${config.publicUrl}/` }).href;
}
