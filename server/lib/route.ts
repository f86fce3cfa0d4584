/**
 * One route pipeline (docs/decisions/0010-route-pipeline.md): a route is a declaration, and every
 * route runs the same steps in the same order:
 *
 *   authenticate (auth hook) → permission (401/403, before anything is parsed) → validate input
 *   (zod) → open the transaction (writes) → load with the policy (404 outside scope) → act →
 *   present (the zod response schema, which also documents the answer).
 *
 * Services receive the transaction (or the database handle for reads) and never open one.
 *
 * `accessPlugin` enforces every route's declared `config.access` — including the routes still
 * written with `app.get(...)` — and copies it into the OpenAPI document as `x-permission`, which the
 * every-route test (test/routes.api.test.ts) reads.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import type { z } from 'zod';
import type { Permission } from '../../shared/roles.js';
import { can } from '../../shared/roles.js';
import type { Config } from '../config.js';
import type { Executor } from '../db/client.js';
import { forbidden, unauthorized } from './errors.js';
import type { Actor, Principal } from './principal.js';
import { readUpload, type Upload } from './upload.js';

/**
 * Who may call a route: a permission (or any of several), any signed-in user, or everyone
 * (public routes answer anonymous callers; a signed-in caller may see more).
 */
export type Access = Permission | readonly Permission[] | 'authentifie' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; enforced before validation by `accessPlugin`. */
    access?: Access;
  }
}

/** The route-level check: 401 without a principal, 403 without the permission. */
export function checkAccess(access: Access, principal: Principal | undefined): void {
  if (access === 'public') return;
  if (!principal) throw unauthorized();
  if (access === 'authentifie') return;
  const needed = typeof access === 'string' ? [access] : access;
  if (!needed.some((perm) => can(principal.role, perm))) throw forbidden();
}

/** Enforces `config.access` on every route and documents it as `x-permission`. */
export const accessPlugin = fp(async function accessPlugin(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined || route.schema?.hide) return;
    // A file upload has no body schema (the multipart parts are read by the handler): say so.
    const multipart = (route.schema as { consumes?: string[] } | undefined)?.consumes?.includes('multipart/form-data');
    route.schema = { ...route.schema, 'x-permission': access, ...(multipart && { 'x-multipart': 'file' }) } as typeof route.schema;
  });
  app.addHook('preValidation', async (req) => {
    const access = req.routeOptions.config.access;
    if (access !== undefined) checkAccess(access, req.principal);
  });
});

type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;
type ResponseMap = Record<number, Schema | { description: string; content: Record<string, { schema: Schema }> }>;
type Sent<R extends ResponseMap, C extends keyof R> = R[C] extends Schema ? z.input<R[C]> : unknown;

/** What a route's handler receives. */
export interface RouteContext<A extends Access, P, Q, B, L, U extends string | undefined = undefined, V = undefined> {
  /** Signed in unless the route is public. */
  principal: A extends 'public' ? Principal | undefined : Principal;
  /** The audit actor of the principal (public routes: undefined). */
  actor: A extends 'public' ? Actor | undefined : Actor;
  params: P;
  query: Q;
  body: B;
  /** The transaction of a write, or the database handle of a read. */
  db: Executor;
  /** The record loaded with the policy (`load`), in the same transaction. */
  record: L;
  /** The uploaded file and text fields, when the route declares `upload` (read before the transaction). */
  upload: U extends string ? Upload : undefined;
  /** What `prepare` returned (before the transaction). */
  prepared: V;
  config: Config;
  requestId: string;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDeclaration<A extends Access, PS, QS, BS, R extends ResponseMap, C extends keyof R & number, L, U extends string | undefined = undefined, V = undefined> {
  method: HTTPMethods;
  url: string;
  summary: string;
  tags: string[];
  description?: string;
  access: A;
  params?: PS;
  querystring?: QS;
  body?: BS;
  consumes?: string[];
  /**
   * A file upload (multipart/form-data, field « file », plus text fields): read once access is
   * checked and before the transaction opens (a slow upload never holds a transaction), handed to
   * `load` and `handler` as `upload`. The value names the file in the French 400s (« le document »).
   */
  upload?: U;
  /** Every status the route answers with a body (or 204), as zod schemas or files. */
  response: R;
  /** The success status (default 200). */
  status?: C;
  /** Open a transaction around load and act (default: every method but GET). */
  transaction?: boolean;
  /** Read on a replica (heavy reads that tolerate a little lag). */
  reader?: boolean;
  /** Extra route config (csrf: false…). */
  config?: { csrf?: boolean };
  bodyLimit?: number;
  /**
   * Work that must run before the transaction opens and outside it, on the database handle: a call
   * to another server (never made while a transaction is held), or a write that must outlive a
   * refusal (the failed sign-in counters). Its result is handed to `load` and `handler` as `prepared`.
   */
  prepare?: (ctx: RouteContext<A, Out<PS>, Out<QS>, Out<BS>, undefined, U>) => Promise<V>;
  /** Load the record through its policy: throws 404 outside the caller's scope. */
  load?: (ctx: RouteContext<A, Out<PS>, Out<QS>, Out<BS>, undefined, U, V>) => Promise<L>;
  /** Runs once the transaction has committed (invalidate a cache the write made stale). */
  afterCommit?: () => void;
  /** Act and return what the response schema presents. */
  handler: (ctx: RouteContext<A, Out<PS>, Out<QS>, Out<BS>, L, U, V>) => Promise<Sent<R, C> | FastifyReply>;
}

/** Declares a route through the pipeline. */
export function route<A extends Access, PS extends Schema | undefined, QS extends Schema | undefined, BS extends Schema | undefined, R extends ResponseMap, C extends keyof R & number = 200, L = undefined, U extends string | undefined = undefined, V = undefined>(
  appBase: FastifyInstance,
  d: RouteDeclaration<A, PS, QS, BS, R, C, L, U, V>,
): void {
  const { database, config } = appBase;
  const transaction = d.transaction ?? d.method !== 'GET';
  const status = d.status ?? 200;
  appBase.route({
    method: d.method,
    url: d.url,
    bodyLimit: d.bodyLimit,
    config: { ...d.config, access: d.access },
    schema: <FastifySchema>{
      tags: d.tags,
      summary: d.summary,
      ...(d.description && { description: d.description }),
      ...(d.params && { params: d.params }),
      ...(d.querystring && { querystring: d.querystring }),
      ...(d.body && { body: d.body }),
      ...((d.consumes || d.upload !== undefined) && { consumes: d.consumes ?? ['multipart/form-data'] }),
      response: d.response,
    },
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      // The permission was checked before validation (accessPlugin); checked again here so the
      // handler's principal is typed and the pipeline holds even without the plugin.
      checkAccess(d.access, req.principal);
      const principal = req.principal;
      const upload = d.upload !== undefined ? await readUpload(req, d.upload) : undefined;
      const context = (db: Executor) =>
        ({
          principal,
          actor: principal ? ({ kind: 'user', principal } as const) : undefined,
          params: req.params,
          query: req.query,
          body: req.body,
          db,
          config,
          requestId: req.id,
          req,
          reply,
          upload,
        }) as unknown as RouteContext<A, Out<PS>, Out<QS>, Out<BS>, undefined, U>;
      const prepared = d.prepare ? await d.prepare(context(database.db)) : undefined;
      const run = async (db: Executor) => {
        const base = { ...context(db), prepared } as RouteContext<A, Out<PS>, Out<QS>, Out<BS>, undefined, U, V>;
        const record = d.load ? await d.load(base) : undefined;
        return d.handler({ ...base, record } as RouteContext<A, Out<PS>, Out<QS>, Out<BS>, L, U, V>);
      };
      const result = transaction ? await database.db.transaction((tx) => run(tx)) : await run(d.reader ? database.reader : database.db);
      d.afterCommit?.();
      // A handler that answered itself (a file, an NDJSON stream) returns `reply`; a Fastify reply is
      // a thenable, so awaiting it yields undefined, not the reply: ask the reply whether it was sent.
      if (reply.sent || result === reply) return reply;
      return reply.status(status).send(result);
    },
  });
}
