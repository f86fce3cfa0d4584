/**
 * The OpenAPI document as the route-walking tests read it (routes.api, hostile.api): its types, the
 * list of routes, and one demo account per role.
 */
import type { FastifyInstance } from 'fastify';
import type { Permission, Role } from '../shared/roles.js';
import { DEMO } from './helpers.js';

export type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
  default?: unknown;
};

export interface Operation {
  'x-permission'?: Permission | Permission[] | 'public' | 'authentifie';
  /** A file upload (multipart field « file »), read by the handler. */
  'x-multipart'?: string;
  parameters?: { in: string; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; description?: string }>;
}

export interface Route {
  method: string;
  path: string;
  /** « METHOD /path », as the tests name routes. */
  key: string;
  op: Operation;
}

/** The demo account of each role. */
export const COMPTE: Record<Role, string> = {
  admin: DEMO.admin,
  agent_etat: DEMO.agentEtat,
  agent_epci: DEMO.agentEpci,
  commune: DEMO.commune,
  bailleur: DEMO.bailleur,
  financeur: DEMO.financeur,
  epf: DEMO.epf,
};

/** Every route of the application's OpenAPI document. */
export async function lireRoutes(app: FastifyInstance): Promise<Route[]> {
  const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}`, op })),
  );
}
