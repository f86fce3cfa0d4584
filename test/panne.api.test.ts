/**
 * Server PostgreSQL outage, without stopping the shared server: the app reaches its database through
 * a TCP proxy started here, which the test cuts (every connection closed, new ones refused) and then
 * restores. During the cut: /healthz 503 degraded, requests 503 with Retry-After and a French
 * message, quickly; after it: service back within 5 s, and every acknowledged write is there.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openPostgres, type Database } from '../server/db/client.js';
import { DEMO, signIn, type Client } from './helpers.js';
import type { FastifyInstance } from 'fastify';

const url = process.env.DATABASE_URL;

/** A TCP proxy to the server PostgreSQL that can be cut and restored on the same port. */
class Proxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start() {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Closes every connection and refuses new ones (ECONNREFUSED), like a stopped server. */
  async cut() {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

describe.skipIf(!url)('database outage (server PostgreSQL through a proxy)', () => {
  const admin = new pg.Client({ connectionString: url });
  const name = `atelier_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  let proxy: Proxy;
  let database: Database;
  let app: FastifyInstance;
  let bailleur: Client;
  const acknowledged: string[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
    const direct = new URL(url!);
    proxy = new Proxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    await proxy.start();
    const proxied = new URL(url!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    proxied.pathname = `/${name}`;
    database = await openPostgres(proxied.href, { poolSize: 4, connectTimeoutMs: 2_000 });
    const config = loadConfig({ ATELIER_DEPARTEMENTS: '30', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', DATABASE_URL: proxied.href });
    app = await buildApp(database, config, { logger: false, webRoot: null, metrics: { allow: [] } });
    await app.ready();
    bailleur = await signIn(app, DEMO.bailleur);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  });

  const write = async (i: number) => {
    const res = await bailleur.post('/api/v1/operations', { nom: `Panne ${i}`, commune_insee: '30060', type: 'vefa' });
    if (res.statusCode === 201) acknowledged.push(res.json().id);
    return res;
  };

  it('answers 503 quickly during the outage, comes back within 5 s, and loses no acknowledged write', async () => {
    for (let i = 0; i < 5; i++) expect((await write(i)).statusCode).toBe(201);
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok', database: 'postgres' });

    // Writes in flight when the database goes away: each is acknowledged or refused with a 503.
    const inFlight = Array.from({ length: 12 }, (_, i) => write(100 + i));
    await new Promise((r) => setTimeout(r, 30));
    await proxy.cut();
    const statuses = (await Promise.all(inFlight)).map((r) => r.statusCode);
    expect(statuses.every((s) => s === 201 || s === 503), statuses.join(',')).toBe(true);

    let t = Date.now();
    const health = await app.inject({ url: '/healthz' });
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'degraded', database: 'unreachable' });

    t = Date.now();
    const refused = await write(200);
    expect(Date.now() - t).toBeLessThan(3_000);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ error: 'base_indisponible', message: expect.stringContaining('La base de données est momentanément injoignable') });
    const read = await bailleur.get('/api/v1/operations');
    expect(read.statusCode).toBe(503);

    await proxy.start();
    const back = Date.now();
    let healthy = false;
    while (Date.now() - back < 5_000) {
      if ((await app.inject({ url: '/healthz' })).statusCode === 200) {
        healthy = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(healthy).toBe(true);
    expect((await write(300)).statusCode).toBe(201);
    expect(Date.now() - back).toBeLessThan(5_000);

    // Checked directly on the server, not through the proxy.
    const direct = new URL(url!);
    direct.pathname = `/${name}`;
    const check = new pg.Client({ connectionString: direct.href });
    await check.connect();
    try {
      const stored = await check.query<{ id: string }>(`SELECT id::text FROM operations WHERE id = ANY($1::uuid[])`, [acknowledged]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(6);
      expect(stored.rows.map((r) => r.id).sort()).toEqual([...acknowledged].sort());
    } finally {
      await check.end();
    }
    // Sessions survive the outage: the same client still works.
    expect((await bailleur.get('/api/v1/operations')).statusCode).toBe(200);
  });
});
