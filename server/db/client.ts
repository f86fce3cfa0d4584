/**
 * One Database interface over the two drivers: PGlite (embedded, in-process, WASM) and node-postgres
 * (server). The rest of the code only sees `Db` (Drizzle) and `rows()` for raw SQL.
 */
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { postgis } from '@electric-sql/pglite-postgis';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from '../../db/schema.js';
import { lockDataDir } from './lock.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
/** Anything that runs queries: the database or a transaction. */
export type Executor = Db | Tx;

export interface Database {
  kind: 'embedded' | 'postgres';
  /** Primary (all writes, and reads that must see them). */
  db: Db;
  /** A read replica when configured, else the primary. For heavy read-only listings. */
  reader: Db;
  /** The PGlite instance (embedded mode only), e.g. for dumps in tests. */
  pglite?: PGlite;
  /** The pool (server mode only). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export const pgliteExtensions = { postgis, pg_trgm, unaccent };

/** Opens the embedded database in `dataDir` ('memory://' for a throw-away one), holding its lock. */
export async function openEmbedded(dataDir: string, opts: { loadDataDir?: Blob; lockRelease?: () => void } = {}): Promise<Database> {
  // A caller that already holds the lock (a restore checks the dir first) hands its release over.
  const release = dataDir.startsWith('memory://') ? () => {} : (opts.lockRelease ?? lockDataDir(dataDir));
  try {
    const client = await PGlite.create(dataDir.startsWith('memory://') ? dataDir : `${dataDir}/pgdata`, {
      extensions: pgliteExtensions,
      loadDataDir: opts.loadDataDir,
      relaxedDurability: false,
    });
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      kind: 'embedded',
      db,
      reader: db,
      pglite: client,
      async close() {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Connects to a server PostgreSQL (with PostGIS), and to its read replicas when given. */
export async function openPostgres(url: string, opts: { poolSize?: number; replicaUrls?: string[]; connectTimeoutMs?: number } = {}): Promise<Database> {
  // A request waits at most connectTimeoutMs for a connection (server down, pool exhausted), then
  // fails with an error the error handler answers with a 503; keep-alive detects dead peers.
  const poolOptions = { connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000, keepAlive: true };
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, ...poolOptions });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
  // discards it and opens a new one on the next query.
  pool.on('error', (err) => console.error(`PostgreSQL : connexion inactive perdue (${err.message}).`));
  // A connection lost while checked out (in a transaction, a held lock) errors its query, and also
  // emits 'error' on its client, which the pool only listens to while the client is idle: without a
  // listener of its own, an outage would crash the process instead of answering 503.
  pool.on('connect', (client) => client.on('error', () => {}));
  // Fail fast with a clear message when the server is unreachable.
  const c = await pool.connect();
  c.release();
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const replicaPools = (opts.replicaUrls ?? []).map((u) => {
    const p = new pg.Pool({ connectionString: u, max: opts.poolSize ?? 10, ...poolOptions });
    p.on('error', (err) => console.error(`PostgreSQL (réplica) : connexion inactive perdue (${err.message}).`));
    p.on('connect', (client) => client.on('error', () => {}));
    return p;
  });
  const readers = replicaPools.map((p) => drizzlePg(p, { schema }) as unknown as Db);
  let next = 0;
  const reader = readers.length === 0 ? db : new Proxy(db, {
    // Round-robin between replicas, one pick per property access on the reader.
    get(_target, prop) {
      const r = readers[next++ % readers.length]!;
      return Reflect.get(r, prop, r);
    },
  });
  return {
    kind: 'postgres',
    db,
    reader,
    pool,
    async close() {
      // pool.end() resolves before its sockets are closed: wait for every client to be removed, so
      // that a caller dropping the database right after does not cut live connections.
      const pools = [pool, ...replicaPools];
      const closed = pools.map(
        (p) =>
          new Promise<void>((resolve) => {
            let open = p.totalCount;
            if (open === 0) return resolve();
            p.on('remove', () => {
              if (--open === 0) resolve();
            });
          }),
      );
      await Promise.all(pools.map((p) => p.end()));
      await Promise.all(closed);
    },
  };
}

interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    constructor: { name: string };
    prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean): { execute(): Promise<{ rows: unknown[] }> };
  };
}

/**
 * Runs raw SQL and returns its rows, whatever the driver. On the server PostgreSQL the statement is
 * named after its text, so each connection parses and plans it once (hot listings re-plan otherwise
 * on every request); PGlite runs it as is.
 */
/** Statement names by SQL text, so hot queries are not hashed on every call (bounded: texts repeat). */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `a${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size >= 2000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const internals = executor as unknown as DrizzleInternals;
  if (internals.session?.constructor.name === 'NodePgSession') {
    const q = internals.dialect.sqlToQuery(query);
    const name = statementName(q.sql);
    const result = await internals.session.prepareQuery(q, undefined, name, false).execute();
    return result.rows as T[];
  }
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A text[] parameter, written as a PostgreSQL array literal (Drizzle spreads JS arrays into lists). */
export function textArray(values: readonly string[]): SQL {
  const literal = `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
  return sql`${literal}::text[]`;
}
