/**
 * A real, local OpenID provider for the tests: `oidc-provider` on 127.0.0.1 (plain http) with one
 * confidential client (authorization code, PKCE required, client_secret_post) and the ProConnect claims
 * `email`, `given_name`, `usual_name`. Its interactions are not interactive: the login prompt signs in
 * the account chosen with `setNextLogin`, the consent prompt grants what the client asked for.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Claims of one provider account, `sub` excluded (the key of the account map). */
export type AccountClaims = Record<string, unknown>;

export interface OidcProviderOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Accounts by subject; read on each request, so the caller may change them between sign-ins. */
  accounts: Record<string, AccountClaims>;
  /** The account that the next login prompt signs in (see `setNextLogin`). */
  login?: string;
}

export interface LocalOidcProvider {
  issuer: string;
  port: number;
  /** Sets the account id that the following login prompts sign in. */
  setNextLogin(accountId: string): void;
  /** Errors reported by the provider (server errors, failed grants…), for diagnosing a failed test. */
  errors: { event: string; message: string }[];
  close(): Promise<void>;
}

// --- The few parts of the oidc-provider API used here (the package ships no type declarations). ---

interface InteractionDetails {
  uid: string;
  prompt: {
    name: string;
    details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}

interface GrantInstance {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: {
    new (init: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

let providerClass: Promise<ProviderConstructor> | undefined;

/**
 * Loads oidc-provider once. On import it warns that Node.js 20 is not a supported runtime (it runs
 * fine); that single import-time warning is filtered out, nothing else is.
 */
function loadProvider(): Promise<ProviderConstructor> {
  providerClass ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
      warn(...args);
    };
    try {
      // @ts-expect-error -- oidc-provider ships no type declarations; the API used is typed above.
      const mod = (await import('oidc-provider')) as { Provider: ProviderConstructor };
      return mod.Provider;
    } finally {
      console.warn = warn;
    }
  })();
  return providerClass;
}

// --- Storage: a small in-memory adapter (the built-in one is fine too, but warns on every start). ---

type Payload = Record<string, unknown> & { uid?: string; userCode?: string; grantId?: string; consumed?: number };

function memoryAdapter() {
  const store = new Map<string, { payload: Payload; expiresAt: number }>();
  const read = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.payload;
    store.delete(key);
    return undefined;
  };
  return class MemoryAdapter {
    readonly prefix: string;
    constructor(model: string) {
      this.prefix = `${model}:`;
    }
    async upsert(id: string, payload: Payload, expiresIn?: number) {
      store.set(this.prefix + id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    }
    async find(id: string) {
      return read(this.prefix + id);
    }
    findBy(field: 'uid' | 'userCode', value: string) {
      for (const [key, entry] of store) {
        if (key.startsWith(this.prefix) && entry.payload[field] === value) return read(key);
      }
      return undefined;
    }
    async findByUid(uid: string) {
      return this.findBy('uid', uid);
    }
    async findByUserCode(userCode: string) {
      return this.findBy('userCode', userCode);
    }
    async consume(id: string) {
      const payload = read(this.prefix + id);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.prefix + id);
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  };
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<LocalOidcProvider> {
  const Provider = await loadProvider();
  let nextLogin = options.login;
  let provider: ProviderInstance | undefined;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const errors: LocalOidcProvider['errors'] = [];

  async function interaction(req: IncomingMessage, res: ServerResponse, p: ProviderInstance) {
    const details = await p.interactionDetails(req, res);
    const { prompt } = details;
    if (prompt.name === 'login') {
      const result = nextLogin
        ? { login: { accountId: nextLogin } }
        : { error: 'access_denied', error_description: 'No account chosen for the login prompt (setNextLogin).' };
      await p.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return;
    }
    if (prompt.name === 'consent') {
      const accountId = details.session?.accountId;
      const clientId = String(details.params.client_id);
      if (!accountId) throw new Error('consent prompt without a signed-in account');
      const grant = (details.grantId && (await p.Grant.find(details.grantId))) || new p.Grant({ accountId, clientId });
      const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
      if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await p.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    throw new Error(`unexpected prompt ${prompt.name}`);
  }

  const server = createServer((req, res) => {
    if (!provider || !handler) {
      res.writeHead(503).end();
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (/^\/interaction\/[^/]+$/.test(pathname)) {
      interaction(req, res, provider).catch((err: unknown) => {
        errors.push({ event: 'interaction', message: String(err) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email'], given_name: ['given_name'], usual_name: ['usual_name'] },
    scopes: ['openid', 'email', 'given_name', 'usual_name'],
    async findAccount(_ctx: unknown, sub: string) {
      const claims = options.accounts[sub];
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ ...claims, sub }) };
    },
    interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...jwk, kid: randomUUID(), use: 'sig', alg: 'RS256' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    clientBasedCORS: () => false,
    async renderError(ctx: { type: string; body: unknown }, out: Record<string, unknown>) {
      ctx.type = 'json';
      ctx.body = out;
    },
  });
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error', 'jwks.error', 'discovery.error']) {
    provider.on(event, (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      errors.push({ event, message: err ? `${err.name}: ${err.message}` : 'unknown' });
    });
  }
  handler = provider.callback();

  return {
    issuer,
    port,
    errors,
    setNextLogin(accountId) {
      nextLogin = accountId;
    },
    async close() {
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
