/**
 * OpenID Connect sign-in, compatible with ProConnect (the State agents' SSO): authorization code with
 * PKCE, state and nonce kept in the database so that any instance can finish a sign-in that another
 * started. Accounts are not created on the fly: an existing, active account is matched by its
 * provider subject, else by its e-mail (then linked).
 */
import * as client from 'openid-client';
import type { Config } from '../../config.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { createSession, findOidcAccount, insertOidcState, linkOidcSubject, principalOf, takeOidcState, type UserRow } from './sessions.repository.js';

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

/** The provider's configuration (discovered once per instance, retried after a failure): a call to the provider. */
export const oidcConfiguration = (config: Config) => configuration(config.oidc!);

/** Starts a sign-in: stores its state, nonce and PKCE verifier; returns the provider's authorization URL. */
export async function beginOidcLogin(tx: Executor, config: Config, conf: client.Configuration, redirectTo: string | undefined): Promise<string> {
  const settings = config.oidc!;
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await insertOidcState(tx, {
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

/** An identity the provider vouched for, matched to an account. */
export interface OidcIdentity {
  user: UserRow;
  sub: string;
  idToken: string | undefined;
  redirectTo: string;
}

/** The provider's answer on the callback, or why the sign-in is refused (`compte-inconnu`, else `oidc`). */
export type OidcCallback = { identity: OidcIdentity } | { refus: 'compte-inconnu' | 'oidc'; cause: unknown };

/**
 * Checks the provider's answer on the callback (outside any transaction: it calls the provider):
 * the state is taken once, the code exchanged (PKCE, nonce), the user info read, the account matched.
 */
export async function checkOidcCallback(db: Executor, config: Config, currentUrl: URL): Promise<OidcCallback> {
  try {
    const conf = await configuration(config.oidc!);
    const pending = await takeOidcState(db, currentUrl.searchParams.get('state') ?? '');
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
    const user = await findOidcAccount(db, claims.sub, email);
    if (!user) throw new OidcUnknownAccountError(email);
    return { identity: { user, sub: claims.sub, idToken: tokens.id_token, redirectTo: pending.redirectTo } };
  } catch (cause) {
    return { refus: cause instanceof OidcUnknownAccountError ? 'compte-inconnu' : 'oidc', cause };
  }
}

/** Opens the session of a checked identity in the given transaction (linking the account to its subject the first time) and audits the sign-in. */
export async function openOidcSession(tx: Executor, config: Config, identity: OidcIdentity, requestId?: string): Promise<{ token: string; csrfToken: string; expiresAt: Date; redirectTo: string }> {
  const { user, sub } = identity;
  if (!user.oidcSub) await linkOidcSubject(tx, user.id, sub);
  const session = await createSession(tx, user.id, config.sessionTtlMs, 'oidc', identity.idToken);
  await recordAudit(
    tx,
    { kind: 'user', principal: principalOf(user, 'session') },
    {
      action: 'connexion',
      entityType: 'user',
      entityId: user.id,
      departement: user.departement,
      after: { methode: 'oidc', fournisseur: config.oidc!.issuer, compte_lie: !user.oidcSub },
    },
    requestId,
  );
  return { ...session, redirectTo: identity.redirectTo };
}

/** The provider's logout URL for a session opened with OIDC, when the provider offers one. */
export async function oidcLogoutUrl(config: Config, idToken: string): Promise<string | undefined> {
  if (!config.oidc) return undefined;
  const conf = await configuration(config.oidc);
  if (!conf.serverMetadata().end_session_endpoint) return undefined;
  return client.buildEndSessionUrl(conf, { id_token_hint: idToken, post_logout_redirect_uri: `${config.publicUrl}/` }).href;
}
