/**
 * /metrics: Prometheus text format, not public (token or address list, otherwise the 404 of an
 * unknown address), request latency by route pattern, pool, jobs, mail outbox, aids index version;
 * and the structured logs carry each request's id.
 */
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { rows, type Database } from '../server/db/client.js';
import { metricsAccessFromEnv, recordJobRun } from '../server/lib/metrics.js';
import { enqueueEmail } from '../server/modules/mail/outbox.js';
import { DEMO, openTestDatabase, signIn } from './helpers.js';

const TOKEN = 'jeton-de-collecte-prometheus-0123456789';
let database: Database;
let drop: () => Promise<void>;
let app: FastifyInstance;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  const config = loadConfig({
    ATELIER_DEPARTEMENTS: '30',
    SESSION_SECRET: 'x'.repeat(40),
    LOG_LEVEL: 'info',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { ATELIER_DATA_DIR: 'memory://' }),
  });
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  app = await buildApp(database, config, { webRoot: null, logStream: stream, metrics: metricsAccessFromEnv({ METRICS_TOKEN: TOKEN, METRICS_ALLOW: '10.0.0.0/8, ::1' }) });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await drop?.();
});

const scrape = (headers: Record<string, string> = {}, remoteAddress?: string) => app.inject({ url: '/metrics', headers, ...(remoteAddress && { remoteAddress }) });

describe('/metrics', () => {
  it('is not public: without the token or an allowed address, the 404 of an unknown address', async () => {
    const unknown = await app.inject({ url: '/nulle-part' });
    for (const res of [await scrape(), await scrape({ authorization: 'Bearer mauvais-jeton-de-collecte-000' }), await scrape({}, '192.168.1.20')]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe(unknown.json().error);
      expect(res.body).not.toContain('atelier_');
    }
    expect((await scrape({ authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    expect((await scrape({}, '10.20.30.40')).statusCode).toBe(200);
    expect((await scrape({}, '::1')).statusCode).toBe(200);
  });

  it('refuses a malformed configuration with a French message', () => {
    expect(() => metricsAccessFromEnv({ METRICS_ALLOW: '10.0.0.0/8,pas-une-adresse' })).toThrow('METRICS_ALLOW : adresse invalide « pas-une-adresse »');
    expect(() => metricsAccessFromEnv({ METRICS_TOKEN: 'court' })).toThrow('METRICS_TOKEN doit compter au moins 16 caractères.');
    expect(metricsAccessFromEnv({})).toEqual({ token: undefined, allow: [] });
  });

  it('reports latency by route pattern, pool, job runs, mail backlog and the aids index version', async () => {
    const agent = await signIn(app, DEMO.agentEtat);
    const id = '3f0c3a52-8a4e-4b7a-9d3e-2f1b8f1c9a11';
    expect((await agent.get(`/api/v1/operations/${id}`)).statusCode).toBe(404);
    await enqueueEmail(database.db, { destinataire: 'x@exemple.fr', sujet: 'Essai', texte: 'Essai' });
    const [v] = await rows<{ v: number }>(database.db, sql`SELECT version::int AS v FROM aides_index_version WHERE id = 1`);
    recordJobRun('essai', 'ok');

    const res = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toMatch(/atelier_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/operations\/:id",status_code="404"\} 1/);
    expect(text).not.toContain(id);
    expect(text).toMatch(/atelier_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/auth\/login",status_code="200"\} 1/);
    expect(text).toMatch(/atelier_mail_outbox_backlog\{statut="a_envoyer"\} [1-9]/);
    expect(text).toContain(`atelier_aides_index_version ${v!.v}`);
    expect(text).toContain('atelier_job_runs_total{tache="essai",resultat="ok"} 1');
    expect(text).toContain('atelier_database_up 1');
    expect(text).toContain('process_resident_memory_bytes');
    if (database.kind === 'postgres') expect(text).toMatch(/atelier_db_pool_connections\{etat="total"\} [1-9]/);
  });
});

describe('structured logs', () => {
  it('carry the request id given by the caller (or generated) on every line of the request', async () => {
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'essai-journal-42' } });
    expect(res.headers['x-request-id']).toBe('essai-journal-42');
    const lines = logLines.filter((l) => l.reqId === 'essai-journal-42');
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    const generated = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'pas valide !' } });
    const rid = generated.headers['x-request-id'] as string;
    expect(rid).toMatch(/^[0-9a-f-]{36}$/);
    expect(logLines.filter((l) => l.reqId === rid)).toHaveLength(2);
  });
});
