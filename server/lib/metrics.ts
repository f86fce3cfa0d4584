/**
 * `/metrics` in the Prometheus text format (prom-client): request latency by route pattern, the
 * database pool, job runs, the mail outbox backlog, the aids search index version, and Node's own
 * process metrics. Not public: a scrape must carry `Authorization: Bearer <METRICS_TOKEN>` or come
 * from an address of METRICS_ALLOW; anything else gets the same 404 as an unknown address.
 */
import { BlockList, isIP } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { rows, type Database } from '../db/client.js';
import { safeEqual } from './crypto.js';

/** Job runs of this process, by job and outcome; shared by every app of the process. */
const jobRuns = new Counter({
  name: 'atelier_job_runs_total',
  help: 'Exécutions des tâches périodiques, par tâche et résultat (ok, echec)',
  labelNames: ['tache', 'resultat'] as const,
  registers: [],
});

export function recordJobRun(tache: string, resultat: 'ok' | 'echec'): void {
  jobRuns.inc({ tache, resultat });
}

export interface MetricsAccess {
  /** Bearer token a scraper sends. */
  token?: string;
  /** Addresses or CIDR ranges allowed without a token. */
  allow: string[];
}

/** METRICS_TOKEN and METRICS_ALLOW (comma-separated addresses or CIDR ranges). */
export function metricsAccessFromEnv(env: NodeJS.ProcessEnv = process.env): MetricsAccess {
  const token = env.METRICS_TOKEN?.trim() || undefined;
  if (token !== undefined && token.length < 16) throw new Error('METRICS_TOKEN doit compter au moins 16 caractères.');
  const allow = (env.METRICS_ALLOW ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const a of allow) {
    const [addr, bits] = a.split('/');
    if (!isIP(addr ?? '') || (bits !== undefined && !/^\d{1,3}$/.test(bits))) throw new Error(`METRICS_ALLOW : adresse invalide « ${a} » (attendu : 127.0.0.1, ::1 ou 10.0.0.0/8).`);
  }
  return { token, allow };
}

function blockList(allow: string[]): BlockList {
  const list = new BlockList();
  for (const a of allow) {
    const [addr, bits] = a.split('/') as [string, string | undefined];
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

function allowed(req: FastifyRequest, access: MetricsAccess, list: BlockList): boolean {
  const auth = req.headers.authorization;
  if (access.token && typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (m && safeEqual(m[1]!, access.token)) return true;
  }
  if (!access.allow.length) return false;
  const ip = req.ip.startsWith('::ffff:') && isIP(req.ip.slice(7)) === 4 ? req.ip.slice(7) : req.ip;
  const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  return isIP(ip) !== 0 && list.check(ip, type);
}

/** Adds the latency hook and `/metrics` to `app`; to be called before the auth hook is registered. */
export async function registerMetrics(app: FastifyInstance, database: Database, access: MetricsAccess): Promise<Registry> {
  const registry = new Registry();
  registry.registerMetric(jobRuns);
  collectDefaultMetrics({ register: registry });

  const latency = new Histogram({
    name: 'atelier_http_request_duration_seconds',
    help: 'Durée des requêtes HTTP, par méthode, route (motif, pas l’adresse) et statut',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern (/api/v1/operations/:id), never the raw URL: bounded label values.
    const route = req.routeOptions.url ?? '(aucune route)';
    latency.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: 'atelier_db_pool_connections',
    help: 'Connexions du pool PostgreSQL : total, inactives, requêtes en attente d’une connexion',
    labelNames: ['etat'] as const,
    registers: [registry],
    collect() {
      const pool = database.pool;
      if (!pool) return;
      this.set({ etat: 'total' }, pool.totalCount);
      this.set({ etat: 'inactives' }, pool.idleCount);
      this.set({ etat: 'en_attente' }, pool.waitingCount);
    },
  });

  // Database-backed figures are read once per scrape; an unreachable database leaves them out and
  // sets atelier_database_up to 0 rather than failing the scrape.
  let snapshot: Promise<{ up: boolean; outbox: { statut: string; n: number; age: number }[]; indexVersion?: number }> | undefined;
  const readSnapshot = () =>
    (snapshot ??= (async () => {
      try {
        const outbox = await rows<{ statut: string; n: number; age: number }>(
          database.db,
          sql`SELECT statut, count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
              FROM emails_sortants WHERE statut <> 'envoye' GROUP BY statut`,
        );
        const [v] = await rows<{ version: string }>(database.db, sql`SELECT version::text AS version FROM aides_index_version WHERE id = 1`);
        return { up: true, outbox, indexVersion: v ? Number(v.version) : undefined };
      } catch {
        return { up: false, outbox: [] };
      }
    })().finally(() => setTimeout(() => (snapshot = undefined), 0)));

  new Gauge({
    name: 'atelier_database_up',
    help: '1 si la base de données a répondu lors de cette collecte, 0 sinon',
    registers: [registry],
    async collect() {
      this.set((await readSnapshot()).up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'atelier_mail_outbox_backlog',
    help: 'Courriels en file (emails_sortants) non envoyés, par statut (a_envoyer, echec)',
    labelNames: ['statut'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const s = await readSnapshot();
      for (const st of ['a_envoyer', 'echec']) this.set({ statut: st }, s.outbox.find((o) => o.statut === st)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'atelier_mail_outbox_oldest_seconds',
    help: 'Âge du plus ancien courriel en attente d’envoi',
    registers: [registry],
    async collect() {
      this.set((await readSnapshot()).outbox.find((o) => o.statut === 'a_envoyer')?.age ?? 0);
    },
  });
  new Gauge({
    name: 'atelier_aides_index_version',
    help: 'Version du catalogue des aides validée en base (aides_index_version), que suit l’index de recherche',
    registers: [registry],
    async collect() {
      const v = (await readSnapshot()).indexVersion;
      if (v !== undefined) this.set(v);
    },
  });

  const list = blockList(access.allow);
  const serve = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!allowed(req, access, list)) {
      return reply.status(404).send({ error: 'introuvable', message: `Aucune ressource à l’adresse ${req.method} /metrics.` });
    }
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(await registry.metrics());
  };
  // Answered in an onRequest hook added before the auth hook's: the scraper's Bearer token is not a
  // personal API token, and a reply sent here ends the request before the later hooks run.
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.url === '/metrics' && req.method === 'GET') await serve(req, reply);
  });
  app.get('/metrics', { schema: { hide: true } }, serve);
  return registry;
}
