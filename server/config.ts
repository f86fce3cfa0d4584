/**
 * Configuration from the environment, read once and validated. Everything has a default that works
 * for one département on a laptop, except what a server deployment must decide (SESSION_SECRET).
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { FONDS_IGN, type FondCarte } from '../shared/carte/fonds.js';

const flag = z
  .string()
  .optional()
  .transform((v) => (v === undefined ? undefined : ['1', 'true', 'oui', 'yes'].includes(v.toLowerCase())));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  /** Optional read replica(s) of the server database, comma-separated. */
  DATABASE_REPLICA_URLS: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  ATELIER_DATA_DIR: z.string().default('.atelier'),
  /** Comma-separated département codes served by this instance. */
  ATELIER_DEPARTEMENTS: z
    .string()
    .default('30')
    .transform((v) => v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean)),
  ATELIER_DEMO: flag,
  /** The demo story (a year of operations, reviews, aids) on top of the demo accounts; on with demo mode by default. */
  ATELIER_DEMO_HISTOIRE: flag,
  /** Basemaps of the land map: `ign` (IGN Géoplateforme: Plan IGN, photographies, cadastre) or `aucun`. */
  MAP_FONDS: z.enum(['ign', 'aucun'], 'MAP_FONDS : « ign » ou « aucun » attendu.').default('ign'),
  /** An extra raster basemap (or the only one with MAP_FONDS=aucun): tile URL with {z}, {x} and {y}. */
  MAP_TILES_URL: z
    .string()
    .refine((v) => /\{z\}/.test(v) && /\{x\}/.test(v) && /\{y\}/.test(v), 'MAP_TILES_URL doit contenir {z}, {x} et {y}.')
    .refine((v) => /^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(v), 'MAP_TILES_URL doit être en https (ou http sur 127.0.0.1 / localhost).')
    .optional(),
  MAP_TILES_ATTRIBUTION: z.string().max(300).optional(),
  MAP_TILES_LIBELLE: z.string().max(100).optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET doit compter au moins 32 caractères.').optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  PUBLIC_URL: z.string().url().optional(),
  /** Proxies in front of the app: a number of hops (1 = one reverse proxy) or their addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const r = parseTrustProxy(v);
      if (typeof r === 'string') {
        ctx.addIssue({ code: 'custom', message: r });
        return z.NEVER;
      }
      return r;
    }),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Memory for the per-instance cache of register listings (validated against the database on every read); 0 disables it. */
  LISTING_CACHE_MB: z.coerce.number().min(0).default(32),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** SMTP server for outgoing mail, e.g. smtp://user:pass@smtp.example.fr:587; mail stays queued without it. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Atelier <ne-pas-repondre@atelier.localhost>'),
  /** Months before an operation's planned delivery when the mayor and the réservataires are told (issue 14). */
  AVIS_LIVRAISON_MOIS: z.coerce.number().int().min(1).max(36).default(9),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_SCOPES: z.string().default('openid email given_name usual_name uid siret'),
  OIDC_ACR_VALUES: z.string().optional(),
  /** ProConnect signs its userinfo responses (RS256); leave empty for providers answering JSON. */
  OIDC_USERINFO_SIGNED_ALG: z.string().optional(),
  OIDC_ALLOW_HTTP: flag,
  /** The aides-territoires platform whose API feeds the aids catalogue (docs/decisions/0017). */
  AIDES_TERRITOIRES_URL: z.string().url().default('https://aides-territoires.beta.gouv.fr'),
  /** API key of an aides-territoires account (exchanged for a bearer token); no key, no sync. */
  AIDES_TERRITOIRES_API_KEY: z.string().optional(),
  /** aides-territoires audience slugs (`organization_type_slugs`) the sync asks for, comma-separated. */
  AIDES_TERRITOIRES_PUBLICS: z
    .string()
    .default('commune,epci,department,region,public-org,public-cies,private-sector,association')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Hours between two scheduled syncs. */
  AIDES_TERRITOIRES_INTERVALLE_H: z.coerce.number().positive().default(6),
  /** Longest wait for one answer of the aides-territoires API, in seconds. */
  AIDES_TERRITOIRES_DELAI_S: z.coerce.number().positive().default(30),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  database: { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string; replicaUrls: string[]; poolSize: number };
  departements: string[];
  demo: boolean;
  /** Load the demo story (server/modules/demo/histoire.demo.ts) when the server starts. */
  demoHistoire: boolean;
  /** Basemaps and overlays of the land map, in the order offered (shared/carte/fonds.ts). */
  fondsCarte: FondCarte[];
  sessionSecret: string;
  sessionTtlMs: number;
  publicUrl: string;
  /**
   * Which hops of X-Forwarded-For to trust: false (none, the socket address is the client), a number
   * of hops counted from the socket, or the proxies' addresses and CIDRs. Never "every hop": the
   * leftmost address is written by the client.
   */
  trustProxy: false | number | string[];
  login: { maxFailures: number; windowMinutes: number };
  /** Bytes for the per-instance listing cache; 0 disables it. */
  listingCacheBytes: number;
  logLevel: Env['LOG_LEVEL'];
  mail: { smtpUrl?: string; from: string };
  /** The aides-territoires sync: no `apiKey`, nothing runs. */
  aidesTerritoires: { url: string; apiKey?: string; publics: string[]; everyMs: number; timeoutMs: number };
  /** Months before a planned delivery when its notice goes out (attributions). */
  avisLivraisonMois: number;
  oidc:
    | {
        issuer: string;
        clientId: string;
        clientSecret: string;
        scopes: string;
        acrValues?: string;
        userinfoSignedAlg?: string;
        allowHttp: boolean;
      }
    | undefined;
}

export class ConfigError extends Error {}

/** Reads and validates the configuration; throws a ConfigError with a French message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset (e.g. `DATABASE_URL= npm start`).
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join('.')} : ${i.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.ATELIER_DATA_DIR);
  const database: Config['database'] = e.DATABASE_URL
    ? {
        kind: 'postgres',
        url: e.DATABASE_URL,
        replicaUrls: (e.DATABASE_REPLICA_URLS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
        poolSize: e.DATABASE_POOL_SIZE,
      }
    : { kind: 'embedded', dataDir };

  let sessionSecret = e.SESSION_SECRET;
  if (!sessionSecret) {
    if (database.kind === 'postgres') {
      throw new ConfigError(
        'SESSION_SECRET est obligatoire avec DATABASE_URL (au moins 32 caractères, identique sur toutes les instances).',
      );
    }
    sessionSecret = embeddedSessionSecret(dataDir);
  }

  const oidc =
    e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
      ? {
          issuer: e.OIDC_ISSUER,
          clientId: e.OIDC_CLIENT_ID,
          clientSecret: e.OIDC_CLIENT_SECRET,
          scopes: e.OIDC_SCOPES,
          acrValues: e.OIDC_ACR_VALUES,
          userinfoSignedAlg: e.OIDC_USERINFO_SIGNED_ALG,
          allowHttp: e.OIDC_ALLOW_HTTP ?? false,
        }
      : undefined;

  return {
    port: e.PORT,
    host: e.HOST,
    database,
    departements: e.ATELIER_DEPARTEMENTS,
    // Demo accounts on a server database only when explicitly asked for.
    demo: e.ATELIER_DEMO ?? database.kind === 'embedded',
    demoHistoire: (e.ATELIER_DEMO ?? database.kind === 'embedded') && (e.ATELIER_DEMO_HISTOIRE ?? true),
    fondsCarte: [
      ...(e.MAP_TILES_URL
        ? [{ id: 'personnalise', libelle: e.MAP_TILES_LIBELLE ?? 'Fond de carte', tiles: [e.MAP_TILES_URL], tileSize: 256, maxzoom: 19, attribution: e.MAP_TILES_ATTRIBUTION ?? '', superposable: false }]
        : []),
      ...(e.MAP_FONDS === 'ign' ? FONDS_IGN : []),
    ],
    sessionSecret,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    trustProxy: e.TRUST_PROXY ?? false,
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowMinutes: e.LOGIN_WINDOW_MINUTES },
    listingCacheBytes: Math.round(e.LISTING_CACHE_MB * 1024 * 1024),
    logLevel: e.LOG_LEVEL,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    aidesTerritoires: {
      url: e.AIDES_TERRITOIRES_URL.replace(/\/+$/, ''),
      apiKey: e.AIDES_TERRITOIRES_API_KEY,
      publics: e.AIDES_TERRITOIRES_PUBLICS,
      everyMs: e.AIDES_TERRITOIRES_INTERVALLE_H * 3600_000,
      timeoutMs: e.AIDES_TERRITOIRES_DELAI_S * 1000,
    },
    avisLivraisonMois: e.AVIS_LIVRAISON_MOIS,
    oidc,
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: empty, `0`, `false`, `non` → no proxy; a whole number N → N hops (`1`, and the older
 * `true`/`oui`, mean one reverse proxy); otherwise a comma list of addresses, CIDRs or the names
 * loopback, linklocal, uniquelocal. Returns a French message for an invalid value.
 */
export function parseTrustProxy(v: string | undefined): false | number | string[] | string {
  const value = (v ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'non', 'no'].includes(value)) return false;
  if (['true', 'oui', 'yes'].includes(value)) return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10 ? hops : `TRUST_PROXY : ${hops} proxys en chaîne, c’est trop (10 au plus).`;
  }
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const [addr, prefix, extra] = entry.split('/');
    const family = isIP(addr ?? '');
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!(PROXY_NAMES.has(entry) || (family !== 0 && prefixOk && extra === undefined))) {
      return `TRUST_PROXY : « ${entry} » n’est ni un nombre de proxys, ni une adresse IP, ni un CIDR (ex. 1, ou 10.0.0.5, 10.1.0.0/16).`;
    }
  }
  return entries;
}

/** The embedded mode keeps a generated secret in its data dir, so that restarts keep sessions. */
function embeddedSessionSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
