/**
 * OpenID Connect sign-in (ProConnect-compatible) end to end, against a real local OpenID provider
 * (oidc-provider): the app listens on a real port so that the provider can send the browser back to
 * it, and the browser is played by `fetch` with manual redirects and a cookie jar.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { rows } from '../server/db/client.js';
import { createTestApp, DEMO, signIn, type TestContext } from './helpers.js';
import { startOidcProvider, type AccountClaims, type LocalOidcProvider } from './oidc-provider.js';

const AGENT_SUB = 'proconnect-sub-123';
const EPCI_SUB = 'proconnect-sub-456';
const UNKNOWN_SUB = 'proconnect-sub-999';
const CLIENT_ID = 'atelier-test';
const CLIENT_SECRET = randomBytes(24).toString('hex');

/** Provider accounts by subject; the tests change them between sign-ins. */
const accounts: Record<string, AccountClaims> = {
  [AGENT_SUB]: { email: DEMO.agentEtat, given_name: 'Agnès', usual_name: 'Préfectorale' },
  [EPCI_SUB]: { email: DEMO.agentEpci, given_name: 'Éric', usual_name: 'Intercommunal' },
  [UNKNOWN_SUB]: { email: 'personne.inconnue@exemple.gouv.fr', given_name: 'Personne', usual_name: 'Inconnue' },
};

let t: TestContext;
let op: LocalOidcProvider;
let appUrl: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  op = await startOidcProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${appUrl}/api/v1/auth/oidc/callback`],
    accounts,
  });
  t = await createTestApp({
    OIDC_ISSUER: op.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_ALLOW_HTTP: '1',
    OIDC_SCOPES: 'openid email given_name usual_name',
    PUBLIC_URL: appUrl,
  });
  await t.app.listen({ port, host: '127.0.0.1' });
});

afterAll(async () => {
  await t?.close();
  await op?.close();
});

afterEach(() => {
  // Anything the provider itself rejected (bad PKCE, client authentication, redirect_uri…) shows here.
  if (op) expect(op.errors).toEqual([]);
});

// --- A minimal browser: manual redirects, cookies kept per host:port and matched on their path. ---

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return (
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'))
  );
}

class Browser {
  private readonly jars = new Map<string, Map<string, StoredCookie>>();

  private jar(url: URL): Map<string, StoredCookie> {
    let jar = this.jars.get(url.host);
    if (!jar) this.jars.set(url.host, (jar = new Map()));
    return jar;
  }

  cookie(url: string | URL, name: string): string | undefined {
    const u = new URL(url);
    return [...this.jar(u).values()].find((c) => c.name === name && pathMatches(u.pathname, c.path))?.value;
  }

  private store(url: URL, header: string) {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq < 1) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    // RFC 6265 default-path: the request path up to its last '/'.
    let path = url.pathname.lastIndexOf('/') > 0 ? url.pathname.slice(0, url.pathname.lastIndexOf('/')) : '/';
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.split('=');
      const val = rest.join('=').trim();
      switch (key.trim().toLowerCase()) {
        case 'path':
          if (val.startsWith('/')) path = val;
          break;
        case 'max-age':
          if (Number(val) <= 0) expired = true;
          break;
        case 'expires':
          if (Date.parse(val) <= Date.now()) expired = true;
          break;
      }
    }
    const jar = this.jar(url);
    const key = `${name};${path}`;
    if (expired) jar.delete(key);
    else jar.set(key, { name, value, path });
  }

  /** One request, no redirect followed; the body is read so that the connection is released. */
  async get(target: string | URL): Promise<{ status: number; location: URL | undefined; setCookies: string[]; body: string }> {
    const url = new URL(target);
    const cookies = [...this.jar(url).values()]
      .filter((c) => pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`);
    const res = await fetch(url, { redirect: 'manual', headers: cookies.length ? { cookie: cookies.join('; ') } : {} });
    const setCookies = res.headers.getSetCookie();
    for (const header of setCookies) this.store(url, header);
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, url) : undefined, setCookies, body: await res.text() };
  }

  async json<T>(target: string | URL): Promise<{ status: number; body: T }> {
    const res = await this.get(target);
    return { status: res.status, body: JSON.parse(res.body) as T };
  }
}

interface Flow {
  /** Every URL requested, in order. */
  visited: URL[];
  /** Where the app finally sends the browser (a page of the web app, not followed: no web root here). */
  landing: URL;
  /** The provider's redirect back to the app, with code and state. */
  callback: URL | undefined;
  /** Whether the app set its session cookie on the way. */
  sessionSet: boolean;
}

/** Follows redirects from `start` until the app sends the browser to one of its pages. */
async function follow(browser: Browser, start: string | URL): Promise<Flow> {
  const visited: URL[] = [];
  let sessionSet = false;
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    visited.push(url);
    const res = await browser.get(url);
    if (url.origin === appUrl && res.setCookies.some((c) => c.startsWith('atelier_session='))) sessionSet = true;
    if (res.status < 300 || res.status >= 400 || !res.location) {
      throw new Error(`the flow stopped on ${url.href}: ${res.status} ${res.body.slice(0, 500)}`);
    }
    if (res.location.origin === appUrl && !res.location.pathname.startsWith('/api/')) {
      const callback = visited.find((u) => u.origin === appUrl && u.pathname === '/api/v1/auth/oidc/callback');
      return { visited, landing: res.location, callback, sessionSet };
    }
    url = res.location;
  }
  throw new Error(`too many redirects: ${visited.map((u) => u.href).join(' → ')}`);
}

/** A fresh browser signs in through the provider as `sub`, starting on the app's login route. */
async function ssoSignIn(sub: string, redirect = '/carte'): Promise<{ browser: Browser; flow: Flow }> {
  op.setNextLogin(sub);
  const browser = new Browser();
  const flow = await follow(browser, `${appUrl}/api/v1/auth/oidc/login?redirect=${encodeURIComponent(redirect)}`);
  return { browser, flow };
}

async function oidcSubOf(email: string): Promise<string | null> {
  const [user] = await rows<{ oidc_sub: string | null }>(t.database.db, sql`SELECT oidc_sub FROM users WHERE email = ${email}`);
  if (!user) throw new Error(`no user ${email}`);
  return user.oidc_sub;
}

interface Me {
  id: string;
  email: string;
  role: string;
}

interface AuditEntry {
  action: string;
  entity_id: string;
  after: { methode?: string; fournisseur?: string; compte_lie?: boolean } | null;
}

describe('OpenID Connect sign-in (ProConnect) against a real provider', () => {
  it('is announced when configured, absent otherwise', async () => {
    expect((await t.app.inject('/api/v1/auth/oidc/config')).json()).toEqual({ enabled: true });

    // The same platform without the OIDC_* variables (a second app on the same database: copying the
    // database again would only make the test slower).
    const plainConfig = loadConfig({
      ATELIER_DEPARTEMENTS: '30',
      SESSION_SECRET: 'test-secret-'.padEnd(48, 'x'),
      LOG_LEVEL: 'silent',
      ATELIER_DATA_DIR: 'memory://',
      PUBLIC_URL: appUrl,
    });
    expect(plainConfig.oidc).toBeUndefined();
    const plain = await buildApp(t.database, plainConfig, { logger: false, webRoot: null });
    try {
      expect((await plain.inject('/api/v1/auth/oidc/config')).json()).toEqual({ enabled: false });
      const login = await plain.inject('/api/v1/auth/oidc/login?redirect=/carte');
      expect(login.statusCode).toBe(404);
      expect(login.headers.location).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('signs an existing account in by its e-mail, links it, then recognises it by its subject', async () => {
    expect(await oidcSubOf(DEMO.agentEtat)).toBeNull();

    const { browser, flow } = await ssoSignIn(AGENT_SUB);

    // The app sends the browser to the provider's authorization endpoint: code flow, PKCE S256, state, nonce.
    const discovery = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string };
    const authorize = flow.visited[1]!;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(discovery.authorization_endpoint);
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${appUrl}/api/v1/auth/oidc/callback`,
      scope: 'openid email given_name usual_name',
      code_challenge_method: 'S256',
    });
    expect(params.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(params.state).toBeTruthy();
    expect(params.nonce).toBeTruthy();
    expect(params.nonce).not.toBe(params.state);
    // (The provider does require PKCE: the same request without a code challenge is refused.)
    const withoutPkce = new URL(authorize);
    withoutPkce.searchParams.delete('code_challenge');
    withoutPkce.searchParams.delete('code_challenge_method');
    const refused = await new Browser().get(withoutPkce);
    expect(refused.location?.searchParams.get('error')).toBe('invalid_request');
    expect(op.errors.splice(0)).toEqual([expect.objectContaining({ event: 'authorization.error' })]);
    // The provider went through its (non-interactive) login and consent before coming back with a code.
    expect(flow.visited.filter((u) => u.origin === op.issuer && u.pathname.startsWith('/interaction/'))).toHaveLength(2);
    expect(flow.callback?.searchParams.get('code')).toBeTruthy();
    expect(flow.callback?.searchParams.get('state')).toBe(params.state);

    // Back on the app: the requested page, with a session.
    expect(flow.landing.href).toBe(`${appUrl}/carte`);
    expect(flow.sessionSet).toBe(true);
    expect(browser.cookie(`${appUrl}/`, 'atelier_session')).toBeTruthy();
    const me = await browser.json<Me>(`${appUrl}/api/v1/me`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: DEMO.agentEtat, role: 'agent_etat' });

    // The account is now linked to the provider's subject.
    expect(await oidcSubOf(DEMO.agentEtat)).toBe(AGENT_SUB);

    // The sign-in is in the audit log, as an OIDC one that linked the account.
    const admin = await signIn(t.app, DEMO.admin);
    const audit = (await admin.get('/api/v1/audit?entity_type=user&limit=500')).json<{ results: AuditEntry[] }>();
    const oidcSignIns = audit.results.filter((e) => e.action === 'connexion' && e.entity_id === me.body.id && e.after?.methode === 'oidc');
    expect(oidcSignIns).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ methode: 'oidc', fournisseur: op.issuer, compte_lie: true }) }),
    ]);

    // Second sign-in, from another browser, after the e-mail changed at the provider: found by subject.
    accounts[AGENT_SUB] = { ...accounts[AGENT_SUB], email: 'agnes.prefectorale@interieur.gouv.fr' };
    const second = await ssoSignIn(AGENT_SUB, '/operations');
    expect(second.flow.landing.href).toBe(`${appUrl}/operations`);
    expect(second.flow.sessionSet).toBe(true);
    const again = await second.browser.json<Me>(`${appUrl}/api/v1/me`);
    expect(again.body).toMatchObject({ id: me.body.id, email: DEMO.agentEtat, role: 'agent_etat' });
    expect(await oidcSubOf(DEMO.agentEtat)).toBe(AGENT_SUB);

    const audit2 = (await admin.get('/api/v1/audit?entity_type=user&limit=500')).json<{ results: AuditEntry[] }>();
    const entries = audit2.results.filter((e) => e.action === 'connexion' && e.entity_id === me.body.id && e.after?.methode === 'oidc');
    expect(entries.map((e) => e.after?.compte_lie).sort()).toEqual([false, true]);
  });

  it('refuses an e-mail that matches no account, without opening a session', async () => {
    const { browser, flow } = await ssoSignIn(UNKNOWN_SUB);
    expect(flow.callback).toBeDefined();
    expect(`${flow.landing.pathname}${flow.landing.search}`).toBe('/connexion?erreur=compte-inconnu');
    expect(flow.sessionSet).toBe(false);
    expect(browser.cookie(`${appUrl}/`, 'atelier_session')).toBeUndefined();
    expect((await browser.get(`${appUrl}/api/v1/me`)).status).toBe(401);
    expect(await rows(t.database.db, sql`SELECT id FROM users WHERE oidc_sub = ${UNKNOWN_SUB}`)).toEqual([]);
  });

  it('refuses a replayed or forged state on the callback', async () => {
    const { flow } = await ssoSignIn(EPCI_SUB);
    expect(flow.sessionSet).toBe(true);
    const callback = flow.callback!;

    // The very same callback (code and state), replayed from another browser: the state was consumed.
    const replayer = new Browser();
    const replay = await follow(replayer, callback);
    expect(`${replay.landing.pathname}${replay.landing.search}`).toBe('/connexion?erreur=oidc');
    expect(replay.sessionSet).toBe(false);
    expect(replayer.cookie(`${appUrl}/`, 'atelier_session')).toBeUndefined();

    // A state the app never issued, with a fresh code from a genuine authorization.
    op.setNextLogin(EPCI_SUB);
    const forger = new Browser();
    const begun = await forger.get(`${appUrl}/api/v1/auth/oidc/login?redirect=/carte`);
    let res = await forger.get(begun.location!);
    while (res.location && res.location.origin !== appUrl) res = await forger.get(res.location);
    const genuine = res.location!;
    expect(genuine.pathname).toBe('/api/v1/auth/oidc/callback');
    const forged = new URL(genuine);
    forged.searchParams.set('state', randomBytes(32).toString('base64url'));
    const forgedFlow = await follow(forger, forged);
    expect(`${forgedFlow.landing.pathname}${forgedFlow.landing.search}`).toBe('/connexion?erreur=oidc');
    expect(forgedFlow.sessionSet).toBe(false);

    // No state at all.
    const bare = await follow(new Browser(), `${appUrl}/api/v1/auth/oidc/callback?code=abc`);
    expect(`${bare.landing.pathname}${bare.landing.search}`).toBe('/connexion?erreur=oidc');
    expect(bare.sessionSet).toBe(false);
    expect(forger.cookie(`${appUrl}/`, 'atelier_session')).toBeUndefined();
  });

  it('does not follow a redirect to another site after sign-in', async () => {
    const { browser, flow } = await ssoSignIn(EPCI_SUB, '//evil.example');
    expect(flow.landing.href).toBe(`${appUrl}/`);
    expect(flow.sessionSet).toBe(true);
    expect((await browser.json<Me>(`${appUrl}/api/v1/me`)).body).toMatchObject({ email: DEMO.agentEpci });
  });
});
