/**
 * Test factories: an app on its own copy of the prepared database, signed-in clients per demo role.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import { openEmbedded, openPostgres, type Database } from '../server/db/client.js';
import { DEMO_PASSWORD } from '../server/modules/demo/demo.loader.js';

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

/** Opens a private copy of the prepared database (embedded dump or server template). */
export async function openTestDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const template = inject('templateDatabase');
  const url = process.env.DATABASE_URL;
  if (template && url) {
    const name = `atelier_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openPostgres(u.href, { poolSize: 5 });
    return {
      database,
      async drop() {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dump = new Blob([readFileSync(inject('embeddedDump'))]);
  const database = await openEmbedded('memory://', { loadDataDir: dump });
  return { database, drop: async () => {} };
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestContext> {
  const { database, drop } = await openTestDatabase();
  const config = loadConfig({
    ATELIER_DEPARTEMENTS: '30',
    SESSION_SECRET: 'test-secret-'.padEnd(48, 'x'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { ATELIER_DATA_DIR: 'memory://' }),
    ...env,
  });
  const app = await buildApp(database, config, { logger: Boolean(process.env.TEST_LOG_LEVEL), webRoot: null });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

export interface Client {
  email: string;
  cookie: string;
  csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

/** Signs in through the real login route and returns a client that sends the cookie and CSRF token. */
export async function signIn(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'atelier_session')!;
  const cookie = `atelier_session=${setCookie.value}`;
  const csrf = res.json<{ csrf_token: string }>().csrf_token;
  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object | undefined, headers: { cookie, 'x-csrf-token': csrf } });
  return {
    email,
    cookie,
    csrf,
    get: (url) => send('GET', url),
    post: (url, payload) => send('POST', url, payload ?? {}),
    patch: (url, payload) => send('PATCH', url, payload ?? {}),
    delete: (url) => send('DELETE', url),
  };
}

export const DEMO = {
  admin: 'admin@demo.test',
  agentEtat: 'agent-etat@demo.test',
  agentEpci: 'agent-epci@demo.test',
  commune: 'commune@demo.test',
  bailleur: 'bailleur@demo.test',
  bailleur2: 'bailleur2@demo.test',
  financeur: 'financeur@demo.test',
  epf: 'epf@demo.test',
} as const;

/** Signs several accounts in, in order. */
export function signInMany<const T extends readonly string[]>(app: FastifyInstance, emails: T): Promise<{ [K in keyof T]: Client }> {
  return Promise.all(emails.map((e) => signIn(app, e))) as Promise<{ [K in keyof T]: Client }>;
}

/** A multipart/form-data body: text fields, then one file in the field `file`. */
export function multipartBody(file: Buffer, filename: string, fields: Record<string, string> = {}) {
  const boundary = '----atelier' + Math.random().toString(16).slice(2);
  const parts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const body = Buffer.concat([
    ...parts,
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
